// Internal to core/ggml_quants*.cpp: the vectorised block-parallel quantizers and the scalar pieces of
// the reference they share. Not part of core's interface.
#pragma once

#include <cstdint>

#include "core/ggml_blocks.h"
#include "core/ggml_quants.h"

namespace ql::ggml::detail {

// AVX2 paths (ggml_quants_simd.cpp, compiled where the build targets AVX2) and AVX-512 paths
// (ggml_quants_avx512.cpp, compiled for AVX-512 on x86-64 and called only when the CPU has it). Each
// returns the number of blocks it did (a multiple of its lane count, possibly 0); the caller finishes
// the rest with the next path, the scalar reference last.
std::int64_t quantize_q4_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ4_K* y);
std::int64_t quantize_q6_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ6_K* y);
std::int64_t quantize_iq4_nl_blocks_simd(const float* x, std::int64_t nblocks, BlockIQ4_NL* y);
std::int64_t quantize_q5_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ5_K* y);
std::int64_t quantize_q2_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ2_K* y);
std::int64_t quantize_q3_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ3_K* y);
std::int64_t quantize_iq4_xs_blocks_simd(const float* x, std::int64_t nblocks, BlockIQ4_XS* y);
std::int64_t quantize_q8_0_blocks_simd(const float* x, std::int64_t nblocks, BlockQ8_0* y);
std::int64_t quantize_q4_0_blocks_simd(const float* x, std::int64_t nblocks, BlockQ4_0* y);
std::int64_t quantize_q4_1_blocks_simd(const float* x, std::int64_t nblocks, BlockQ4_1* y);
std::int64_t quantize_q5_0_blocks_simd(const float* x, std::int64_t nblocks, BlockQ5_0* y);

bool ggml_quants_avx512_compiled();
// Q8_0, Q4_0, Q4_1, Q5_0: 16 blocks at a time, stopping before a group of 16 that holds a non-finite
// value. With bounds (may be null) they also give what quantize_blocks_with_bounds() (ggml_quants.h)
// promises, and stop before a group whose fp16 scale or minimum is not finite.
std::int64_t quantize_q8_0_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ8_0* y, BlockBoundsArgs* bounds);
std::int64_t quantize_q4_0_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_0* y, BlockBoundsArgs* bounds);
std::int64_t quantize_q4_1_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_1* y, BlockBoundsArgs* bounds);
std::int64_t quantize_q5_0_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ5_0* y, BlockBoundsArgs* bounds);
// Q8_0, Q4_0, Q4_1, Q5_0 (0 for other types): as the above with bounds, but instead of the blocks, their
// dequantized values (y), codes (codes, may be null) and clipped counts (see quantize_blocks_decoded).
std::int64_t quantize_small_blocks_decoded_avx512(DType type, const float* x, std::int64_t nblocks, float* y, std::int8_t* codes,
                                                 std::uint32_t* clipped);
// small_block_params (ggml_quants.h).
std::int64_t small_block_params_avx512(DType type, const float* x, std::int64_t nblocks, float* params, std::int64_t stride);
// block_ranges_32 and small_block_bounds (ggml_quants.h).
bool block_ranges_32_avx512(const float* x, std::int64_t nblocks, float* lo, float* hi);
bool small_block_bounds_avx512(DType type, const float* x, const float* lo, const float* hi, std::int64_t nblocks, float& dq_lo, float& dq_hi,
                               float& err);
// The searched formats: any blocks (finite or not); each stops before a step (group of lanes) that holds
// a non-finite value, and so do the bounds forms below.
std::int64_t quantize_q4_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_K* y);
std::int64_t quantize_q5_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ5_K* y);
std::int64_t quantize_q2_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ2_K* y);
std::int64_t quantize_q6_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ6_K* y);
std::int64_t quantize_q3_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ3_K* y);
std::int64_t quantize_iq4_nl_blocks_avx512(const float* x, std::int64_t nblocks, BlockIQ4_NL* y);
std::int64_t quantize_iq4_xs_blocks_avx512(const float* x, std::int64_t nblocks, BlockIQ4_XS* y);
// The same, folding the blocks' figures into `bounds` (see quantize_blocks_with_bounds); they stop before a
// block whose fp16 scale (or min) is not finite and return the blocks done.
std::int64_t quantize_q4_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ4_K* y, BlockBoundsArgs& bounds);
std::int64_t quantize_q5_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ5_K* y, BlockBoundsArgs& bounds);
std::int64_t quantize_q2_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ2_K* y, BlockBoundsArgs& bounds);
std::int64_t quantize_q3_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ3_K* y, BlockBoundsArgs& bounds);
std::int64_t quantize_iq4_xs_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockIQ4_XS* y, BlockBoundsArgs& bounds);
std::int64_t quantize_q6_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ6_K* y, BlockBoundsArgs& bounds);
std::int64_t quantize_iq4_nl_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockIQ4_NL* y, BlockBoundsArgs& bounds);
// dequantize_block and block_codes (codes may be null) of nb blocks.
void dequantize_q4_k_blocks_avx512(const BlockQ4_K* b, std::int64_t nb, float* y, std::int8_t* codes);
void dequantize_q6_k_blocks_avx512(const BlockQ6_K* b, std::int64_t nb, float* y, std::int8_t* codes);
void dequantize_q2_k_blocks_avx512(const BlockQ2_K* b, std::int64_t nb, float* y, std::int8_t* codes);
void dequantize_q3_k_blocks_avx512(const BlockQ3_K* b, std::int64_t nb, float* y, std::int8_t* codes);
void dequantize_q5_k_blocks_avx512(const BlockQ5_K* b, std::int64_t nb, float* y, std::int8_t* codes);
void dequantize_iq4_xs_blocks_avx512(const BlockIQ4_XS* b, std::int64_t nb, float* y, std::int8_t* codes);

// The scalar tails of the reference (ggml_quants.cpp). finish_* = everything after the sub-block scale
// search; the pieces: *_scales stores the block's scales and gives each sub-block's requantization
// scale d (and Q4_K's dm) as the reference computes them from the stored values (q6_k_scales returns
// false, the block zeroed, when every sub-block scale is below GROUP_MAX_EPS); *_pack packs the codes
// L (Q4_K: 0..15, Q6_K: 0..63); iq4_nl_scale stores d in fp16 and returns the inverse the codes use.
// (The AVX-512 file calls these rather than the inline helpers of ggml_blocks.h and half.h, so that
// no inline function compiled for AVX-512 can stand in for the plain one elsewhere.)
void finish_q4_k(const float* x, const float* scales, const float* mins, std::uint8_t* L, BlockQ4_K& y);
void finish_q5_k(const float* x, const float* scales, const float* mins, std::uint8_t* L, BlockQ5_K& y);
void finish_q2_k(const float* x, const float* scales, const float* mins, std::uint8_t* L, BlockQ2_K& y);
void finish_q6_k(const float* x, const float* scales, std::int8_t* L, BlockQ6_K& y);
void finish_q3_k(const float* x, const float* scales, std::int8_t* L, BlockQ3_K& y);
void q3_k_scales(const float* scales, BlockQ3_K& y, float* d);
void q2_k_scales(const float* scales, const float* mins, BlockQ2_K& y, float* d, float* dm);
void q3_k_pack(std::int8_t* L, BlockQ3_K& y);
void finish_iq4_nl(const float* x, float scale, BlockIQ4_NL& y);
void finish_iq4_xs(const float* x, const float* scales, BlockIQ4_XS& y);
void iq4_xs_scales(const float* scales, BlockIQ4_XS& y, float* idl);
void q4_k_scales(const float* scales, const float* mins, BlockQ4_K& y, float* d, float* dm);
void q4_k_pack(const std::uint8_t* L, BlockQ4_K& y);
void q5_k_scales(const float* scales, const float* mins, BlockQ5_K& y, float* d, float* dm);
void q5_k_pack(const std::uint8_t* L, BlockQ5_K& y);
bool q6_k_scales(const float* scales, BlockQ6_K& y, float* d);
void q6_k_pack(const std::int8_t* L, BlockQ6_K& y);
float iq4_nl_scale(float scale, BlockIQ4_NL& y);

} // namespace ql::ggml::detail
