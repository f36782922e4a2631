// CPU speed kernels for y = x W^T (issue 7): FP32, INT8 weights with per-row scales, and 4-bit
// weights with group scales (W4), for decode (GEMV, batch 1) and prefill (GEMM, batch e.g. 512).
//
// These kernels are the *speed* path, not the exact-arithmetic analysis path of DESIGN rule 6: they
// reorder float sums, use FMA intrinsics and quantize the activations dynamically to int8. They are
// tested against a double-precision reference product by NMSE with a tolerance per format. The ISA
// path (AVX-512 VNNI, AVX2, plain C++) is chosen at run time with __builtin_cpu_supports; every path
// can be forced for tests and benchmarks. Threads: OpenMP over output rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql::speed {

// Instruction-set path of a kernel. Auto picks the best one this CPU supports.
enum class Isa { Auto, Scalar, Avx2, Avx512Vnni };

const char* isa_name(Isa isa);            // "auto", "scalar", "avx2", "avx512vnni"
bool isa_supported(Isa isa);              // Scalar and Auto always; the others by CPUID
Isa best_isa();                           // the path Auto resolves to on this CPU
std::vector<Isa> supported_isas();        // Scalar first, then every supported vector path
Isa resolve(Isa isa);                     // Auto -> best_isa(); an unsupported path -> best_isa()
std::string cpu_name();                   // model name from /proc/cpuinfo ("" when unknown)

// Inputs per block of Int8Weights::block_sum (the GEMM's k-block).
constexpr std::int64_t kInt8SumBlock = 1024;

// INT8 weights, symmetric per output row: W[r][k] ~= q[r*padded_cols + k] * scale[r], q in [-127, 127].
struct Int8Weights {
    std::int64_t rows = 0, cols = 0;
    std::int64_t padded_cols = 0;         // cols rounded up to a multiple of 64 (zeros after cols)
    std::vector<std::int8_t> q;           // rows x padded_cols, row-major
    std::vector<float> scale;             // per row: max|W[r]| / 127
    std::vector<std::int32_t> row_sum;    // per row: sum_k q[r][k] (the VNNI path's +128 offset correction)
    std::vector<std::int32_t> block_sum;  // rows x ceil(padded_cols / kInt8SumBlock): the same per k-block
    std::size_t bytes() const { return q.size() + scale.size() * sizeof(float); }  // what a product reads
};

// 4-bit weights, symmetric per group of `group` consecutive inputs of a row:
//   W[r][k] ~= (u - 8) * scale[r][k / group], u in [0, 15] (4-bit code, offset binary).
// Storage reordered for the kernels: each row is padded to a multiple of 64 inputs and stored as
// 32-byte chunks; byte j of chunk c holds input 64c + j in the low nibble and 64c + 32 + j in the high
// nibble, so one 256-bit load, one AND and one shift give 64 codes in order.
struct W4Weights {
    std::int64_t rows = 0, cols = 0;
    int group = 128;                      // inputs per scale; a multiple of 32
    std::int64_t padded_cols = 0;         // cols rounded up to a multiple of 64 (and of group)
    std::int64_t groups = 0;              // padded_cols / group
    std::vector<std::uint8_t> packed;     // rows x padded_cols / 2 bytes
    std::vector<float> scale;             // rows x groups: max|W| over the group / 7 (0 for an all-zero group)
    std::size_t bytes() const { return packed.size() + scale.size() * sizeof(float); }
    int code(std::int64_t r, std::int64_t k) const;  // u in [0, 15] of W[r][k]
};

// Quantize row-major float weights W (rows x cols). group must be a positive multiple of 32.
Int8Weights quantize_int8_rows(const float* w, std::int64_t rows, std::int64_t cols);
W4Weights quantize_w4(const float* w, std::int64_t rows, std::int64_t cols, int group = 128);

// Activations quantized per row (dynamic, symmetric): x[b][k] ~= q[b][k] * scale[b], q in [-127, 127].
struct Int8Activations {
    std::int64_t batch = 0, cols = 0, padded_cols = 0;  // padded to a multiple of 64 with zeros
    std::vector<std::int8_t> q;           // batch x padded_cols
    std::vector<float> scale;             // per row: max|x[b]| / 127
};
Int8Activations quantize_activations(const float* x, std::int64_t batch, std::int64_t cols, std::int64_t padded_cols);

// y (batch x rows) = x (batch x cols) W^T. Every pointer is row-major and dense. Throws
// std::invalid_argument when a dimension is not positive. Batch 1 runs the GEMV kernel; larger
// batches run a register-blocked GEMM (FP32 through Eigen).
void matmul_f32(const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols,
                float* y, Isa isa = Isa::Auto);
void matmul_int8(const float* x, std::int64_t batch, const Int8Weights& w, float* y, Isa isa = Isa::Auto);
void matmul_w4(const float* x, std::int64_t batch, const W4Weights& w, float* y, Isa isa = Isa::Auto);

} // namespace ql::speed
