// GPU products y = x W^T for the speed view (issue 7), behind a plain C++ header: no CUDA types, so
// app/ and tests/ include it with or without CUDA. Without a device (or a CUDA build) every call
// returns an Error saying so, and the caller measures the CPU only.
//
// Formats (W is out x in, row-major; x is batch x in; y is batch x out; all float32 on the host):
//   F32    cuBLAS SGEMM on float32 W and x.
//   F16    cuBLAS GemmEx on float16 W and x, float32 accumulation and output.
//   Int8   W quantized per row (core/speed: symmetric absmax, scale per row), x quantized per row
//          dynamically; int8 x int8 -> int32 dot products with __dp4a, y = acc * sw[row] * sx[b].
//   W4A16  4-bit W with a float32 scale per group of 128 inputs (core/speed's packed layout, two codes
//          per byte), float16 activations, dequantized in registers, float32 accumulation.
// The quantized layouts are core/speed's, so the GPU and CPU kernels see the very same codes.
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
// rows, cols, batch must be positive; group is W4A16's group size (a multiple of 32).
Result<std::vector<float>> gemm(GemmFormat f, const float* x, std::int64_t batch, const float* w, std::int64_t rows,
                                std::int64_t cols, int group = 128);

struct GemmTiming {
    std::string device;          // the CUDA device's name
    double median_ms = 0;        // kernel time per product (CUDA events), median over repetitions
    double min_ms = 0, max_ms = 0;
    double floor_ms = 0;         // a plain device-memory read of the same weight bytes, same rotation
    double weight_bytes = 0;     // bytes of W (with its scales) read per product
    double flops = 0;            // 2 * rows * cols * batch
    int copies = 1;              // weight copies rotated over so decode reads come from device memory
};

// Times the format on random data of the given shape: one warm-up, then `repeats` products (each on
// the next weight copy), and the read floor the same way. progress(done, total) may cancel.
Result<GemmTiming> measure_gemm(GemmFormat f, std::int64_t rows, std::int64_t cols, std::int64_t batch, int repeats,
                                const std::function<bool(int, int)>& progress = {});

} // namespace ql::gpu
