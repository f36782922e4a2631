// The CUDA backend's plain C++ face: no CUDA types here, so app/ and tests/ include it whether or not
// the build has CUDA. Without a device (or without CUDA in the build) every call reports that and the
// caller uses core's CPU path.
#pragma once

#include <string>

namespace ql::gpu {

struct DeviceInfo {
    bool available = false;        // a usable CUDA device exists and the build has CUDA
    bool built_with_cuda = false;  // the binary contains the CUDA backend
    std::string name;              // "NVIDIA H100 80GB HBM3"
    int cc_major = 0, cc_minor = 0;// compute capability
    double memory_total_gib = 0;   // GiB (2^30 bytes)
    double memory_free_gib = 0;    // GiB (2^30 bytes)
    double bandwidth_gbps = 0;     // theoretical memory bandwidth, GB/s (10^9 bytes/s)
    std::string reason;            // why it is not available ("built without CUDA", "no CUDA device")
};

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

} // namespace ql::gpu
