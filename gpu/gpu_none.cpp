// The gpu/ API in a build without CUDA: no device, with the reason the app shows.
#include "gpu/gpu_backend.h"

#include "core/accelerator.h"
#include "gpu/gpu_gemm.h"

namespace ql::gpu {

const DeviceInfo& device_info() {
    static const DeviceInfo info = [] {
        DeviceInfo d;
        d.reason = "no CUDA device: built without CUDA (no nvcc at build time)";
        return d;
    }();
    return info;
}

std::unique_ptr<Accelerator> make_accelerator() { return nullptr; }

std::string last_pass_error(const Accelerator*) { return "no accelerator: " + device_info().reason; }

const char* gemm_format_name(GemmFormat f) {
    switch (f) {
    case GemmFormat::F32: return "fp32";
    case GemmFormat::F16: return "fp16";
    case GemmFormat::Int8: return "int8";
    case GemmFormat::W4A16: return "w4a16";
    }
    return "?";
}

Result<std::vector<float>> gemm(GemmFormat, const float*, std::int64_t, const float*, std::int64_t, std::int64_t, int) {
    return make_error("CUDA", device_info().reason);
}

Result<GemmTiming> measure_gemm(GemmFormat, std::int64_t, std::int64_t, std::int64_t, int, const std::function<bool(int, int)>&) {
    return make_error("CUDA", device_info().reason);
}

} // namespace ql::gpu
