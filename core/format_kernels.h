// Vectorised per-element loops of the float and codebook formats (AVX2 when the build targets it, the
// QL_HD scalar functions of core/float_formats_math.h otherwise and for tails). Each returns exactly what
// the scalar loop returns: the same single-precision operations per element, no reassociation.
#pragma once

#include <cstdint>

#include "core/float_formats_math.h"
#include "core/format_kernels_avx512.h"

namespace ql::kernels {

// y = F(x / s) * s on the grid of f (round to nearest even, saturating), for n values with one scale s.
// NaN stays NaN when f has a NaN (code: its NaN code), else becomes +0. codes (may be null) get the codes.
// Returns the number of finite x whose rounding saturated.
std::uint64_t minifloat_fake_quant(const float* x, std::int64_t n, float s, const MiniFloat& f, float* y, std::int8_t* codes);

// The same over consecutive blocks of `block` values (the last may be shorter), block k scaled by scales[k].
std::uint64_t minifloat_fake_quant_blocks(const float* x, std::int64_t n, std::int64_t block, const float* scales, const MiniFloat& f,
                                          float* y, std::int8_t* codes);

// NF4: q = nf4_code(x * inv), y = nf4_value(q) * stored (bitsandbytes' order), for n values of one block.
void nf4_fake_quant(const float* x, std::int64_t n, float inv, float stored, float* y, std::int8_t* codes);
// The same over consecutive blocks, block k with invs[k] and stored[k].
void nf4_fake_quant_blocks(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored, float* y,
                           std::int8_t* codes);

// Statistics of one block for the analysis' bounds, over the finite x[k] only: lo/hi take the min/max of
// y[k], err the max of |y[k] - x[k]|, clip counts x[k] outside [elo, ehi]. (min/max are exact in any order.)
void block_stats(const float* x, const float* y, std::int64_t n, float elo, float ehi, float& lo, float& hi, float& err,
                 std::uint32_t& clip);
// The same with an edge pair per element (a block whose sub-blocks have different grids).
void block_stats_edges(const float* x, const float* y, std::int64_t n, const float* elo, const float* ehi, float& lo, float& hi,
                       float& err, std::uint32_t& clip);

// The same over `groups` consecutive groups of `len` values (len a multiple of 8), group k with its own
// edges elo[k], ehi[k]: lo/hi/err over all of them, clip[k] the count of group k (assigned, not added).
void group_stats(const float* x, const float* y, std::int64_t groups, int len, const float* elo, const float* ehi, float& lo,
                 float& hi, float& err, std::uint32_t* clip);

// out[k] = the largest finite |x| of block k of x[0, n) (consecutive blocks of `block` values, the last may
// be shorter), 0 when the block has none: simd::absmax_finite of each block. from_memory: the values come
// from memory (prefetched ahead, block by block); false: they are in cache already (run() on a piece of
// the fused pass, whose statistics prefetch the next piece), and blocks of a multiple of 16 values go 16
// at a time.
void block_absmax(const float* x, std::int64_t n, std::int64_t block, float* out, bool from_memory = true);

// The values and codes of nb consecutive 32-value ggml blocks laid out as `a` says, through the AVX-512
// decoder; false (nothing written) where the CPU lacks it.
bool ggml_decode_blocks(const detail::GgmlDecodeArgs& a, const std::uint8_t* blocks, std::int64_t nb, float* y, std::int8_t* codes);

} // namespace ql::kernels
