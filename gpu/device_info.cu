// Device detection for the CUDA backend: name, compute capability, memory and bandwidth of device 0.
#include <cuda_runtime.h>

#include "gpu/gpu_backend.h"

namespace ql::gpu {

const DeviceInfo& device_info() {
    static const DeviceInfo info = [] {
        DeviceInfo d;
        d.built_with_cuda = true;
        int count = 0;
        cudaError_t err = cudaGetDeviceCount(&count);
        if (err != cudaSuccess || count == 0) {
            d.reason = err != cudaSuccess ? std::string("no CUDA device: ") + cudaGetErrorString(err)
                                          : std::string("no CUDA device");
            cudaGetLastError();  // clear the sticky-free error so later calls start clean
            return d;
        }
        cudaDeviceProp p{};
        if (cudaGetDeviceProperties(&p, 0) != cudaSuccess) {
            d.reason = "cudaGetDeviceProperties failed";
            return d;
        }
        size_t free_b = 0, total_b = 0;
        cudaMemGetInfo(&free_b, &total_b);
        int mem_clock_khz = 0, bus_width_bits = 0;
        cudaDeviceGetAttribute(&mem_clock_khz, cudaDevAttrMemoryClockRate, 0);
        cudaDeviceGetAttribute(&bus_width_bits, cudaDevAttrGlobalMemoryBusWidth, 0);
        d.available = true;
        d.name = p.name;
        d.cc_major = p.major;
        d.cc_minor = p.minor;
        d.memory_total_gib = static_cast<double>(total_b) / (1024.0 * 1024.0 * 1024.0);
        d.memory_free_gib = static_cast<double>(free_b) / (1024.0 * 1024.0 * 1024.0);
        // DDR: two transfers per clock; kHz * 1e3 * bytes per transfer * 2 / 1e9 = GB/s
        d.bandwidth_gbps = 2.0 * mem_clock_khz * 1e3 * (bus_width_bits / 8.0) / 1e9;
        return d;
    }();
    return info;
}

} // namespace ql::gpu
