// Internal to core/format_kernels.cpp: the AVX-512 forms of its NF4 and minifloat loops
// (core/format_kernels_avx512.cpp, compiled for AVX-512 alone and called only when the CPU has it). Plain
// data in the signatures, so that translation unit shares no inline code with the rest of core.
#pragma once

#include <cstdint>

namespace ql::kernels::detail {

// Minifloat grid of core/float_formats_math.h's MiniFloat, as plain fields.
struct MiniFloatArgs {
    int mbits = 0, ebits = 0, emin = 0;
    float max = 0;
    bool has_nan = false;        // the format stores NaN (FP8); else a NaN input is stored as +0
    std::uint8_t nan_code = 0;   // the code stored for a NaN input
    std::uint8_t max_code = 0;   // the code of +max
};

// As minifloat_fake_quant_blocks / nf4_fake_quant_blocks (core/format_kernels.h), lane for lane the
// same operations.
std::uint64_t minifloat_fake_quant_blocks_avx512(const float* x, std::int64_t n, std::int64_t block, const float* scales,
                                                 const MiniFloatArgs& f, float* y, std::int8_t* codes);
void nf4_fake_quant_blocks_avx512(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored,
                                  const float* levels, const float* thresholds, float* y, std::int8_t* codes);
// The 32-value ggml blocks whose values are one scale times a code's level: the layout as byte offsets
// (the block structs live with inline code in core/ggml_blocks.h, which this kernel does not include).
struct GgmlDecodeArgs {
    enum Kind { Q8_0, Q4_0, Q4_1, Q5_0, IQ4_NL } kind = Q8_0;
    int block_bytes = 0;             // sizeof the block
    int d_at = 0, m_at = 0;          // fp16 scale; fp16 minimum (Q4_1)
    int qh_at = 0;                   // Q5_0: the fifth bits, little-endian uint32
    int qs_at = 0;                   // the quants: 32 bytes (Q8_0) or 16 bytes of nibbles
    const float* levels = nullptr;   // IQ4_NL: the 16 levels as floats
};
// Values (as core/ggml_blocks.h's dequantize_block) and codes (as its block_codes, may be null) of nb
// consecutive blocks.
void ggml_decode_blocks_avx512(const GgmlDecodeArgs& a, const std::uint8_t* blocks, std::int64_t nb, float* y, std::int8_t* codes);

// out[k] = the largest finite |x| of block k of x[0, n) (blocks of `block` values, the last may be shorter), 0 if none.
void block_absmax_avx512(const float* x, std::int64_t n, std::int64_t block, float* out, bool from_memory);

bool format_kernels_avx512_compiled();

} // namespace ql::kernels::detail
