// Device detection for the CUDA backend: name, compute capability, SM count, memory (total, free, clock,
// bus width, peak bandwidth), L2 and the runtime/driver versions of device 0. Every CUDA call is checked;
// a failure makes the device unavailable with the reason, never an abort.
#include <cuda_runtime.h>

#include <string>

#include "gpu/gpu_backend.h"

namespace ql::gpu {
namespace {

std::string version_text(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }

DeviceInfo query() {
    DeviceInfo d;
    d.built_with_cuda = true;
    cudaRuntimeGetVersion(&d.runtime_version);  // needs no driver
    if (cudaDriverGetVersion(&d.driver_version) != cudaSuccess) d.driver_version = 0;
    auto unavailable = [&](const std::string& why) {
        d.available = false;
        d.reason = "no CUDA device: " + why;
        cudaGetLastError();  // clear a non-sticky error so later calls start clean
        return d;
    };
    int count = 0;
    if (cudaError_t e = cudaGetDeviceCount(&count); e != cudaSuccess) {
        std::string why = cudaGetErrorString(e);
        if (d.driver_version == 0) why += " (no NVIDIA driver found)";
        else if (d.driver_version < d.runtime_version)
            why += " (the driver supports CUDA " + version_text(d.driver_version) + ", this build needs " + version_text(d.runtime_version) + ")";
        return unavailable(why);
    }
    d.device_count = count;
    if (count == 0) return unavailable("the driver reports none");
    cudaDeviceProp p{};
    if (cudaError_t e = cudaGetDeviceProperties(&p, 0); e != cudaSuccess)
        return unavailable(std::string("cudaGetDeviceProperties: ") + cudaGetErrorString(e));
    int sms = 0, clock_khz = 0, bus_bits = 0, l2 = 0;
    for (auto [attr, out] : {std::pair{cudaDevAttrMultiProcessorCount, &sms}, std::pair{cudaDevAttrMemoryClockRate, &clock_khz},
                             std::pair{cudaDevAttrGlobalMemoryBusWidth, &bus_bits}, std::pair{cudaDevAttrL2CacheSize, &l2}})
        if (cudaError_t e = cudaDeviceGetAttribute(out, attr, 0); e != cudaSuccess)
            return unavailable(std::string("cudaDeviceGetAttribute: ") + cudaGetErrorString(e));
    // creates the context: fails on a device in prohibited compute mode or out of memory
    size_t free_b = 0, total_b = 0;
    if (cudaError_t e = cudaMemGetInfo(&free_b, &total_b); e != cudaSuccess)
        return unavailable(std::string("cudaMemGetInfo: ") + cudaGetErrorString(e));
    constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
    d.available = true;
    d.name = p.name;
    d.cc_major = p.major;
    d.cc_minor = p.minor;
    d.sm_count = sms;
    d.memory_total_gib = static_cast<double>(total_b) / kGiB;
    d.memory_free_gib = static_cast<double>(free_b) / kGiB;
    d.memory_clock_khz = clock_khz;
    d.memory_bus_bits = bus_bits;
    d.bandwidth_gbps = peak_bandwidth_gbps(clock_khz, bus_bits);
    d.l2_bytes = l2;
    return d;
}

} // namespace

const DeviceInfo& device_info() {
    static const DeviceInfo info = query();
    return info;
}

} // namespace ql::gpu
