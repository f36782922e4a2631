// GPU products y = x W^T for the speed view (issue 7), behind a plain C++ header: no CUDA types, so
// app/ and tests/ include it with or without CUDA. Without a device (or a CUDA build) every call
// returns an Error saying so, and the caller measures the CPU only.
//
// Formats (W is out x in, row-major; x is batch x in; y is batch x out; all float32 on the host):
//   F32    cuBLAS SGEMM on float32 W and x.
//   F16    cuBLAS GemmEx on float16 W and x, float32 accumulation and output.
//   Int8   W quantized per row (core/speed: symmetric absmax, scale per row), x quantized per row
//          dynamically; int8 x int8 -> int32 sums, y = acc * sw[row] * sx[b]. Batch <= 8: a __dp4a GEMV
//          kernel; larger batches: a cuBLASLt int8 GEMM (tensor cores) and a scaling kernel.
//   W4A16  4-bit W with a float32 scale per group of 128 inputs (core/speed's packed layout, two codes
//          per byte), float16 activations. Batch <= 8: a GEMV kernel that unpacks and scales the codes in
//          registers; larger batches: W dequantized to float16 once per product, then cuBLAS GemmEx.
// The quantized layouts are core/speed's, so the GPU and CPU kernels see the very same codes.
// These are the speed path (DESIGN rule 6's exception): sums are reordered and use FMA.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace ql::gpu {

enum class GemmFormat { F32, F16, Int8, W4A16 };
const char* gemm_format_name(GemmFormat f);  // "fp32", "fp16", "int8", "w4a16"

// One product on device 0: copies x and W, runs the format's kernel, returns y (batch x rows).
//   x [batch x cols] float32 row-major, w [rows x cols] float32 row-major; rows, cols, batch positive
//   (rows, cols <= 2^28, batch <= 2^18, rows * batch < 2^31); group: W4A16's group size, a multiple of 32.
// Errors (values, never an abort): no device (DeviceInfo::reason), a shape outside the limits (the rule
// and the values), or the CUDA / cuBLAS / cuBLASLt call that failed.
Result<std::vector<float>> gemm(GemmFormat f, const float* x, std::int64_t batch, const float* w, std::int64_t rows,
                                std::int64_t cols, int group = 128);

struct GemmTiming {
    std::string device;          // the CUDA device's name
    std::string kernel;          // what ran, e.g. "dp4a GEMV", "cuBLASLt int8 GEMM"
    double median_ms = 0;        // time per product (CUDA events around the launch), median over repetitions
    double min_ms = 0, max_ms = 0;
    double q25_ms = 0, q75_ms = 0; // spread: quartiles of the timed repetitions
    double floor_ms = 0;         // a plain device-memory read of the weight bytes (scales left out), same rotation, median
    double weight_bytes = 0;     // bytes of W (with its scales) read per product
    double flops = 0;            // 2 * rows * cols * batch
    int copies = 1;              // weight copies rotated over so decode reads come from device memory
    double peak_gbps = 0;        // the device's theoretical memory bandwidth, GB/s (DeviceInfo::bandwidth_gbps)
};

// Times the format on random normal(0, 1) data of the given shape (group 128 for W4A16): one warm-up,
// then `repeats` products, each on the next weight copy, each timed by CUDA events and followed by the
// read floor (read_kernel over the same copy's weight bytes); medians of both. progress(done, total)
// may cancel (an Error "cancelled"). Without a device: an Error with DeviceInfo::reason.
Result<GemmTiming> measure_gemm(GemmFormat f, std::int64_t rows, std::int64_t cols, std::int64_t batch, int repeats,
                                const std::function<bool(int, int)>& progress = {});

} // namespace ql::gpu
