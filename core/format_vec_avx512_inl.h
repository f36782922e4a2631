// The per-vector rule of FP4 E2M1 quantization on AVX-512, shared by the quantizers' loop
// (core/format_kernels_avx512.cpp) and the analysis' fused statistics (core/format_pass_avx512.cpp), so
// both take the same IEEE operations lane by lane as the scalar definitions (core/float_formats_math.h).
// Included only by translation units compiled with AVX-512 (F, BW, VL, DQ).
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace ql::kernels::detail {

// FP4 E2M1 (levels 0, 0.5, 1, 1.5, 2, 3, 4, 6; no NaN): v = x / s rounded to nearest with ties to the even
// code is the count of the thresholds |v| passes: strictly 0.25, 1.25, 2.5, 5 (ties go down to an even
// code), or reaches 0.75, 1.75, 3.5 (ties go up to one); |v| >= 7 would round to 8 and saturates. NaN is
// stored as +0 (code 0). The thresholds are whole numbers of quarters, and 4 |v| is exact: |v| > T / 4
// exactly when ceil(4 |v|) > T, |v| >= T / 4 exactly when floor(4 |v|) >= T, so the count is two table
// lookups, by the ceiling (strict thresholds) and by the floor (the others), of 4 |v| capped at 31 (past
// every threshold). x / s is a division even where s is a power of two: in the quantizer's loop it
// measured no slower than the multiplication by the exact inverse, which would need that inverse per block.
struct E2M1Vec {
    __m512 absmask, signmask, levels, t7, four, cap;
    __m512i strict_lo, strict_hi, reach_lo, reach_hi;

    E2M1Vec() {
        absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
        signmask = _mm512_castsi512_ps(_mm512_set1_epi32(static_cast<int>(0x80000000u)));
        levels = _mm512_setr_ps(0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f, 0, 0, 0, 0, 0, 0, 0, 0);
        t7 = _mm512_set1_ps(7.0f);
        four = _mm512_set1_ps(4.0f);
        cap = _mm512_set1_ps(31.0f);
        // strict[k]: the strict thresholds (quarters 1, 5, 10, 20) below k; reach[k]: the others (3, 7, 14) at or below k
        alignas(64) std::int32_t strict[32], reach[32];
        for (int k = 0; k < 32; ++k) {
            strict[k] = (k > 1) + (k > 5) + (k > 10) + (k > 20);
            reach[k] = (k >= 3) + (k >= 7) + (k >= 14);
        }
        strict_lo = _mm512_load_si512(strict);
        strict_hi = _mm512_load_si512(strict + 16);
        reach_lo = _mm512_load_si512(reach);
        reach_hi = _mm512_load_si512(reach + 16);
    }

    // One vector: y = q s with q the signed level of x / s, code its code (sign in bit 3), and in `over`
    // the lanes whose |x / s| saturated (>= 7; NaN does not; an infinite x does, which the caller tells apart).
    inline __attribute__((always_inline)) __m512 operator()(__m512 xv, __m512 vs, __m512i& code, __mmask16& over) const {
        return on(_mm512_div_ps(xv, vs), vs, code, over);
    }
    // The same where s = 2^k is a power of two whose inverse is a float too (k >= -127) and inv that inverse:
    // x * inv is then x / s bit for bit, both being the one real number x 2^-k rounded once.
    inline __attribute__((always_inline)) __m512 operator()(__m512 xv, __m512 vinv, __m512 vs, __m512i& code, __mmask16& over) const {
        return on(_mm512_mul_ps(xv, vinv), vs, code, over);
    }
    // v = x / s worked out
    inline __attribute__((always_inline)) __m512 on(__m512 v, __m512 vs, __m512i& code, __mmask16& over) const {
        const __m512 a = _mm512_and_ps(v, absmask);  // NaN passes no threshold: code 0
        const __mmask16 isnan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        const __m512 q4 = _mm512_min_ps(_mm512_mul_ps(a, four), cap);  // NaN lanes: code 0 below
        const __m512i up = _mm512_cvt_roundps_epi32(q4, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC), down = _mm512_cvttps_epi32(q4);
        const __m512i c = _mm512_maskz_add_epi32(static_cast<__mmask16>(~isnan), _mm512_permutex2var_epi32(strict_lo, up, strict_hi),
                                                 _mm512_permutex2var_epi32(reach_lo, down, reach_hi));
        over = _mm512_cmp_ps_mask(a, t7, _CMP_GE_OQ);
        const __m512 sign = _mm512_maskz_and_ps(static_cast<__mmask16>(~isnan), v, signmask);
        code = _mm512_or_si512(c, _mm512_srli_epi32(_mm512_castps_si512(sign), 28));  // sign in bit 3
        return _mm512_mul_ps(_mm512_or_ps(_mm512_permutexvar_ps(c, levels), sign), vs);
    }
};

} // namespace ql::kernels::detail
