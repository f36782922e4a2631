// The CUDA backend's plain C++ face: no CUDA types here, so app/ and tests/ include it whether or not
// the build has CUDA. Without a device (or without CUDA in the build) every call reports that and the
// caller uses core's CPU path.
#pragma once

#include <cstdint>
#include <string>

namespace ql::gpu {

struct DeviceInfo {
    bool available = false;        // a usable CUDA device exists and the build has CUDA
    bool built_with_cuda = false;  // the binary contains the CUDA backend
    std::string name;              // "NVIDIA H100 80GB HBM3"
    int cc_major = 0, cc_minor = 0;// compute capability
    int sm_count = 0;              // streaming multiprocessors
    int device_count = 0;          // CUDA devices seen (QuantLens uses device 0)
    double memory_total_gib = 0;   // GiB (2^30 bytes)
    double memory_free_gib = 0;    // GiB (2^30 bytes), when queried
    int memory_clock_khz = 0;      // peak memory clock, kHz (cudaDevAttrMemoryClockRate)
    int memory_bus_bits = 0;       // memory bus width, bits (cudaDevAttrGlobalMemoryBusWidth)
    double bandwidth_gbps = 0;     // theoretical peak memory bandwidth, GB/s (10^9 bytes/s): peak_bandwidth_gbps()
    std::int64_t l2_bytes = 0;     // L2 cache, bytes
    int runtime_version = 0;       // CUDA runtime the binary uses, 1000 * major + 10 * minor (13000 = 13.0)
    int driver_version = 0;        // newest CUDA the installed driver supports, same encoding; 0 = no driver
    std::string reason;            // why it is not available ("built without CUDA ...", "no CUDA device: ...")
};

// Peak memory bandwidth from the memory clock and the bus width: two transfers per clock (double data
// rate; the attribute is the clock those transfers count against),
//     GB/s = 2 * clock_kHz * 10^3 * (bus_bits / 8) / 10^9.
// A100 40GB: 1215 MHz, 5120 bits -> 1555.2 GB/s; H100 SXM: 2619 MHz, 5120 bits -> 3352.3 GB/s.
inline double peak_bandwidth_gbps(int memory_clock_khz, int memory_bus_bits) {
    if (memory_clock_khz <= 0 || memory_bus_bits <= 0) return 0.0;
    return 2.0 * memory_clock_khz * 1e3 * (memory_bus_bits / 8.0) / 1e9;
}

// Queries device 0 once and caches the answer.
const DeviceInfo& device_info();

} // namespace ql::gpu

#include <memory>

namespace ql {
class Accelerator;
}

namespace ql::gpu {

// The analysis accelerator on device 0 (core/accelerator.h): the fused quantize / dequantize / error /
// histogram pass for Int configurations per tensor, per channel (axis 0) and per group. nullptr when
// there is no usable device or the build has no CUDA; the caller then runs the CPU path.
std::unique_ptr<Accelerator> make_accelerator();

// Why the accelerator's last fused_pass returned false ("" after a pass that ran): a format without a
// CUDA pass ("format q2_k has no CUDA pass (the CPU runs it)") or the CUDA error that stopped it.
std::string last_pass_error(const Accelerator* accelerator);

} // namespace ql::gpu
