// CPU speed kernels for y = x W^T (issue 7): FP32, INT8 weights with per-row scales, and 4-bit
// weights with group scales (W4), for decode (GEMV, batch 1) and prefill (GEMM, batch e.g. 512).
//
// These kernels are the *speed* path, not the exact-arithmetic analysis path of DESIGN rule 6: they
// reorder float sums, use FMA intrinsics and quantize the activations dynamically to int8. They are
// tested against a double-precision reference product by NMSE with a tolerance per format. The ISA
// path (AVX-512 VNNI, AVX2, plain C++) is chosen at run time with __builtin_cpu_supports; every path
// can be forced for tests and benchmarks. Threads: OpenMP over output rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
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

// Output rows per weight tile: the 16 int32 lanes of a 512-bit vector (two 256-bit halves on AVX2).
constexpr int kTileRows = 16;

// Allocator of 64-byte aligned storage (one cache line, one 512-bit vector), so that the kernels'
// vector loads never straddle two lines.
template <typename T>
struct AlignedAllocator {
    using value_type = T;
    static constexpr std::align_val_t kAlign{64};
    AlignedAllocator() = default;
    template <typename U>
    AlignedAllocator(const AlignedAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlign)); }
    // the unsized form: clang before 19 leaves sized deallocation out unless asked (-fsized-deallocation)
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, kAlign); }
    template <typename U>
    bool operator==(const AlignedAllocator<U>&) const noexcept { return true; }
};
template <typename T>
using AlignedVector = std::vector<T, AlignedAllocator<T>>;

// The weight layouts are repacked for the kernels (as ggml's and oneDNN's CPU backends repack): the
// output rows are cut into tiles of 16 rows, and within a tile the codes of the 16 rows for the same
// few inputs lie together in one 64-byte line. One 512-bit load then feeds one dot-product
// instruction whose 16 int32 lanes are the 16 rows' sums, with the activation's 4 bytes broadcast,
// so no horizontal sum is needed and a tile is read as one sequential stream.

// INT8 weights, symmetric per output row: W[r][k] ~= code(r, k) * scale[r], code in [-127, 127].
struct Int8Weights {
    std::int64_t rows = 0, cols = 0;
    std::int64_t padded_cols = 0;         // cols rounded up to a multiple of 64 (code 0 after cols)
    std::int64_t tiles = 0;               // ceil(rows / 16); rows past `rows` in the last tile have code 0
    // tiles x (padded_cols / 4) x 16 x 4 bytes, offset binary: byte ((t * padded_cols / 4 + s) * 16 + i) * 4 + j
    // holds code(16 t + i, 4 s + j) + 128.
    AlignedVector<std::uint8_t> q;
    AlignedVector<float> scale;           // tiles x 16: per row max|W[r]| / 127 (1 for a zero row, 0 for padding rows)
    std::size_t bytes() const { return q.size() + scale.size() * sizeof(float); }  // what a product reads
    int code(std::int64_t r, std::int64_t k) const;
    std::vector<std::int8_t> row_major() const;  // rows x padded_cols codes, row by row
};

// 4-bit weights, symmetric per group of `group` consecutive inputs of a row:
//   W[r][k] ~= (u - 8) * group_scale(r, k / group), u = code(r, k) in [0, 15] (offset binary).
struct W4Weights {
    std::int64_t rows = 0, cols = 0;
    int group = 128;                      // inputs per scale; a multiple of 32
    std::int64_t padded_cols = 0;         // cols rounded up to a multiple of 64 and of group (u = 8 after cols)
    std::int64_t groups = 0;              // padded_cols / group
    std::int64_t tiles = 0;               // ceil(rows / 16); padding rows have u = 8 and scale 0
    // tiles x (padded_cols / 8) x 64 bytes: byte (t * padded_cols / 8 + s) * 64 + 4 i + j holds u(16 t + i, 8 s + j)
    // in its low nibble and u(16 t + i, 8 s + 4 + j) in its high nibble (one AND and one shift give two
    // vectors of 16 rows x 4 inputs).
    AlignedVector<std::uint8_t> packed;
    AlignedVector<float> scale;           // tiles x groups x 16: (t * groups + g) * 16 + i -> max|W| / 7 of row 16 t + i, group g
    std::size_t bytes() const { return packed.size() + scale.size() * sizeof(float); }
    int code(std::int64_t r, std::int64_t k) const;
    float group_scale(std::int64_t r, std::int64_t g) const;
    // The plain layouts (the GPU kernels'): rows x padded_cols / 2 bytes where byte j of the 32-byte
    // chunk c of a row holds input 64 c + j (low nibble) and 64 c + 32 + j (high nibble); rows x groups scales.
    std::vector<std::uint8_t> row_major_packed() const;
    std::vector<float> row_major_scale() const;
};

// Quantize row-major float weights W (rows x cols). group must be a positive multiple of 32.
Int8Weights quantize_int8_rows(const float* w, std::int64_t rows, std::int64_t cols);
W4Weights quantize_w4(const float* w, std::int64_t rows, std::int64_t cols, int group = 128);

// Activations quantized per row (dynamic, symmetric): x[b][k] ~= q[b][k] * scale[b], q in [-127, 127].
struct Int8Activations {
    std::int64_t batch = 0, cols = 0, padded_cols = 0;  // padded with zeros
    AlignedVector<std::int8_t> q;         // batch x padded_cols
    std::vector<float> scale;             // per row: max|x[b]| / 127
    std::int64_t sum_block = 0;           // inputs per entry of sums (0: no sums)
    std::vector<std::int32_t> sums;       // batch x ceil(padded_cols / sum_block): sum of q[b][k] over each block
};
Int8Activations quantize_activations(const float* x, std::int64_t batch, std::int64_t cols, std::int64_t padded_cols,
                                     std::int64_t sum_block = 0);

// y (batch x rows) = x (batch x cols) W^T. Every pointer is row-major and dense. Throws
// std::invalid_argument when a dimension is not positive. Batch 1 runs the GEMV kernel; larger
// batches run a register-blocked GEMM (FP32 through Eigen).
void matmul_f32(const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols,
                float* y, Isa isa = Isa::Auto);
void matmul_int8(const float* x, std::int64_t batch, const Int8Weights& w, float* y, Isa isa = Isa::Auto);
void matmul_w4(const float* x, std::int64_t batch, const W4Weights& w, float* y, Isa isa = Isa::Auto);

} // namespace ql::speed
