// The gpu/ API in a build without CUDA: no device, with the reason the app shows.
#include "gpu/gpu_backend.h"

#include "core/accelerator.h"

namespace ql::gpu {

const DeviceInfo& device_info() {
    static const DeviceInfo info = [] {
        DeviceInfo d;
        d.reason = "built without CUDA (no nvcc at build time)";
        return d;
    }();
    return info;
}

std::unique_ptr<Accelerator> make_accelerator() { return nullptr; }

} // namespace ql::gpu
