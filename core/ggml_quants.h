// ggml's reference quantizers (ggml-quants.c quantize_row_*_ref, and quantize_iq4_nl as llama-quantize
// runs it without an importance matrix), written from their published arithmetic: the same float32
// operations in the same order, fp16 scales rounded to nearest even, ggml's nearest_int (add 1.5 * 2^23
// and read the mantissa: round half to even) and C roundf (half away from zero) where the reference
// uses each. Together with core/ggml_blocks.h (the decoders) a block quantized here dequantizes to the
// float32 values llama.cpp's own quantize-then-dequantize gives, value for value, provided the core is
// built without floating-point contraction (-ffp-contract=off): an FMA changes the chosen scales of
// Q4_K, Q5_K, Q6_K and IQ4_NL.
//
// Reference version: ggml 0.5 (llama.cpp, 2026). IQ4_NL's nearest codebook entry is the upper of two
// neighbours when 2x >= v[i-1] + v[i]; older ggml compared the rounded differences x - v[i-1] < v[i] - x,
// which decides every finite x the same way for this codebook (near every midpoint both differences are
// multiples of ulp(x) below 2^24 ulp(x), so they are exact). Checked byte for byte against ggml 0.5's own functions
// by tests/core/test_ggml_reference.cpp when scripts/fetch-ggml-reference.sh has fetched the library.
//
// QuantLens' rules where ggml has none:
//   * Partial blocks: a row whose length is not a multiple of the block is padded with zeros to a whole
//     block, the whole block is quantized and stored (storage counts whole blocks), and the padding's
//     dequantized values are dropped.
//   * Non-finite inputs (ggml's references are undefined on them) are quantized as 0: a NaN or +-Inf
//     value takes the code of 0 and does not enter its block's scale.
#pragma once

#include <cstdint>
#include <cstring>

#include "core/ggml_blocks.h"
#include "core/tensor.h"

namespace ql::ggml {

// ggml's nearest_int: round to nearest, ties to even, through the float adder (valid for |v| <= 2^22).
inline int nearest_int(float v) {
    const float val = v + 12582912.0f;  // 1.5 * 2^23: the float adder rounds v to an integer (ties to even)
    std::int32_t i;
    std::memcpy(&i, &val, sizeof i);
    return (i & 0x007fffff) - 0x00400000;
}

// One block each: x holds the block's QK finite values (32, or 256 for the K types).
void quantize_block_ref(const float* x, BlockQ4_0& y);   // quantize_row_q4_0_ref
void quantize_block_ref(const float* x, BlockQ4_1& y);   // quantize_row_q4_1_ref
void quantize_block_ref(const float* x, BlockQ5_0& y);   // quantize_row_q5_0_ref
void quantize_block_ref(const float* x, BlockQ8_0& y);   // quantize_row_q8_0_ref
void quantize_block_ref(const float* x, BlockQ2_K& y);   // quantize_row_q2_K_ref (make_qkx2_quants, nmax 3, abs. error)
void quantize_block_ref(const float* x, BlockQ3_K& y);   // quantize_row_q3_K_ref (make_q3_quants)
void quantize_block_ref(const float* x, BlockQ4_K& y);   // quantize_row_q4_K_ref (make_qkx2_quants)
void quantize_block_ref(const float* x, BlockQ5_K& y);   // quantize_row_q5_K_ref (make_qkx2_quants, nmax 31)
void quantize_block_ref(const float* x, BlockQ6_K& y);   // quantize_row_q6_K_ref (make_qx_quants)
void quantize_block_ref(const float* x, BlockIQ4_NL& y); // quantize_iq4_nl: quantize_row_iq4_nl_impl, ntry 7
void quantize_block_ref(const float* x, BlockIQ4_XS& y); // quantize_iq4_xs: the same search per 32, 6-bit scales per 256

// The formats QuantLens quantizes into (a subset of block_layout's): Q8_0, Q4_0, Q4_1, Q5_0, Q2_K,
// Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS.
bool can_quantize(DType type);

// Quantizes `count` values of x into ceil(count / QK) blocks at out (bytes_for(type, count) bytes), with
// the partial-block and non-finite rules above. The _ref form runs the scalar reference block by block;
// the other one runs the vectorised paths where the build has them (several blocks side by side, one per
// SIMD lane, each lane doing its block's operations in the reference's order) and gives the same bytes.
// Throws std::invalid_argument for a type can_quantize() rejects.
void quantize_row_ref(DType type, const float* x, std::int64_t count, std::uint8_t* out);
void quantize_row(DType type, const float* x, std::int64_t count, std::uint8_t* out);

// What the analysis (core/format_quantizers.cpp) keeps of a run of blocks besides their bytes, over the
// blocks' values x and their dequantized values y (dequantize_block): lo and hi fold in the smallest and
// largest y, err the largest |y - x|, and clipped[k] is set to the number of values of block k outside its
// grid's reach: below l0 - (l1 - l0) / 2 or above ln + (ln - l(n-1)) / 2 for the levels l0 < l1 < ... < ln
// of its codes in ascending order (no limit when all levels are equal).
struct BlockBoundsArgs {
    std::uint32_t* clipped = nullptr;  // one per block
    float lo = 0, hi = 0, err = 0;     // folded in (min, max, max)
};

// Quantizes the leading whole blocks of x (nblocks of them) that the AVX-512 path takes, as quantize_row
// does, and folds their figures into `bounds`; returns how many blocks it did. Q8_0, Q4_0, Q4_1, Q5_0: a
// multiple of 16 (the path stops before 16 blocks holding a non-finite value or giving an fp16 scale or
// minimum that is not finite); the searched formats (Q2_K .. Q6_K, IQ4_NL, IQ4_XS): the path's leading
// blocks up to the first one holding a non-finite value or giving a non-finite fp16 scale (or min), in its
// steps (2 blocks for Q2_K and Q6_K, 4 for Q3_K, Q4_K, Q5_K and IQ4_XS, 32 for IQ4_NL) but for such a
// stop; 0 for other types or without AVX-512. The caller does the rest.
std::int64_t quantize_blocks_with_bounds(DType type, const float* x, std::int64_t nblocks, std::uint8_t* out, BlockBoundsArgs& bounds);
// The same for Q8_0, Q4_0, Q4_1 and Q5_0 without storing the blocks: the leading whole blocks' dequantized
// values go to y (as dequantize_block gives them, 32 per block), their codes to codes (as block_codes; may
// be null) and each block's clipped count to clipped[k]; returns the blocks done, a multiple of 16 that
// stops where quantize_blocks_with_bounds() would (0 for other types or without AVX-512).
std::int64_t quantize_blocks_decoded(DType type, const float* x, std::int64_t nblocks, float* y, std::int8_t* codes, std::uint32_t* clipped);
// Q8_0, Q4_0, Q4_1 and Q5_0: what the analysis' fused statistics need to quantize the leading whole blocks
// of x themselves, as quantize_blocks_decoded() would (core/ggml_small_avx512_inl.h): per block k,
// params[j * stride + k] for j = 0 its id, 1 its fp16 scale as a float, 2 Q4_1's minimum (0 otherwise),
// 3 that minimum's fp16 value as a float (0 otherwise), 4 and 5 the lowest and highest value that does
// not clip. Returns the blocks done, a multiple of 16 that stops where quantize_blocks_decoded() would, and
// also before a group whose id is not finite (0 for other types or without AVX-512).
std::int64_t small_block_params(DType type, const float* x, std::int64_t nblocks, float* params, std::int64_t stride);
// Whether quantize_blocks_with_bounds() can take blocks of this type on this CPU.
bool has_bounds_path(DType type);

// The smallest (lo[k]) and largest (hi[k]) of each 32-value block of x's nblocks whole blocks, on the
// AVX-512 path; false, lo and hi then meaningless, when a value is not finite or the CPU lacks AVX-512.
bool block_ranges_32(const float* x, std::int64_t nblocks, float* lo, float* hi);
// Q4_0, Q4_1 and Q5_0 (whole blocks of x, every value finite) without quantizing them: from each block's
// min and max (block_ranges_32) its scale, fp16 scale and minimum as the reference works them out, so the
// block's dequantized values lie between those of its min and max (codes and levels are monotone in x),
// which give dq_lo and dq_hi exactly. err bounds every |y - x|: the errors of the min and max (exact; a
// clipped code's largest error is at the block's end) and, for the other values, whose code is x's to
// within one half step, half a step of the block's scale plus what storing the scale (and minimum) in
// fp16 moves the levels, grown by 2^-19 of a step and 2^-20 overall for the float roundings on the way
// (Q4_1: and 2^-21 of the block's magnitudes). On normal data the bound lies within a fraction of a percent
// of the largest error measured. False where a block's inverse scale, fp16 scale or minimum is not finite
// (subnormal or huge blocks), or without AVX-512; x is read only for blocks where both signs reach the
// largest magnitude (Q4_0 and Q5_0 take the first).
bool small_block_bounds(DType type, const float* x, const float* lo, const float* hi, std::int64_t nblocks, float& dq_lo, float& dq_hi, float& err);

// dequantize_block, and block_codes where codes is not null, of nb blocks on the AVX-512 path (the same
// floats and codes); false, with nothing written, on a CPU without it.
bool dequantize_blocks_fast(const BlockQ4_K* b, std::int64_t nb, float* y, std::int8_t* codes);
bool dequantize_blocks_fast(const BlockQ6_K* b, std::int64_t nb, float* y, std::int8_t* codes);
bool dequantize_blocks_fast(const BlockQ2_K* b, std::int64_t nb, float* y, std::int8_t* codes);
bool dequantize_blocks_fast(const BlockQ3_K* b, std::int64_t nb, float* y, std::int8_t* codes);
bool dequantize_blocks_fast(const BlockQ5_K* b, std::int64_t nb, float* y, std::int8_t* codes);
bool dequantize_blocks_fast(const BlockIQ4_XS* b, std::int64_t nb, float* y, std::int8_t* codes);

} // namespace ql::ggml
