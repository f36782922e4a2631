// AVX-512 pieces shared by the fused statistics kernels (core/int_pass_avx512.cpp,
// core/format_pass_avx512.cpp). Include it only from files compiled with AVX-512 enabled, after
// <immintrin.h>: everything here has internal linkage (an unnamed namespace), so each such file keeps
// its own copy and no AVX-512 code can stand in for a function that other files call.
#pragma once

#include "core/bin_grid.h"

namespace ql::kernels::detail {
namespace {

// A weight grid (BinParams) broadcast to the 16 lanes.
struct WeightGrid {
    __m512 lo, hi, inv;
    __m512i last, base_bins, below, total, outside;
};

inline WeightGrid weight_grid(const BinParams& w) {
    WeightGrid g;
    g.lo = _mm512_set1_ps(w.lo);
    g.hi = _mm512_set1_ps(w.hi);
    g.inv = _mm512_set1_ps(w.inv_width);
    g.last = _mm512_set1_epi32(w.base_bins - 1);
    g.base_bins = _mm512_set1_epi32(w.base_bins);
    g.below = _mm512_set1_epi32(w.below);
    g.total = _mm512_set1_epi32(w.total);
    g.outside = _mm512_set1_epi32(w.total);
    return g;
}

// bin_index(v) for finite v, `outside` beyond the grid; t is clamped to +-2^30 first, which keeps every
// out-of-grid value out (bin_index returns -1 beyond +-2e9) and makes the conversion exact.
inline __m512i weight_bin(__m512 v, const WeightGrid& g) {
    __m512 t = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(v, g.lo), g.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    t = _mm512_min_ps(_mm512_max_ps(t, _mm512_set1_ps(-0x1p30f)), _mm512_set1_ps(0x1p30f));
    __m512i i = _mm512_cvttps_epi32(t);
    const __mmask16 le = _mm512_cmp_ps_mask(v, g.hi, _CMP_LE_OQ);
    i = _mm512_mask_blend_epi32(le, _mm512_max_epi32(i, g.base_bins), _mm512_min_epi32(i, g.last));
    i = _mm512_add_epi32(i, g.below);
    const __mmask16 ok = _mm512_cmpge_epi32_mask(i, _mm512_setzero_si512()) & _mm512_cmplt_epi32_mask(i, g.total);
    return _mm512_mask_blend_epi32(ok, g.outside, i);
}

// Float lanes added into two double accumulators (lanes 0-7 and 8-15).
inline void widen_add(__m512d& lo, __m512d& hi, __m512 v) {
    lo = _mm512_add_pd(lo, _mm512_cvtps_pd(_mm512_castps512_ps256(v)));
    hi = _mm512_add_pd(hi, _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)));
}

// The sum of two double accumulators, in a fixed order.
inline double reduce(__m512d lo, __m512d hi) {
    alignas(64) double d[8];
    _mm512_store_pd(d, _mm512_add_pd(lo, hi));
    return ((d[0] + d[4]) + (d[2] + d[6])) + ((d[1] + d[5]) + (d[3] + d[7]));
}

} // namespace
} // namespace ql::kernels::detail
