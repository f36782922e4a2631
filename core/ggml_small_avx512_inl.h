// The per-vector rules of ggml's Q8_0, Q4_0, Q4_1 and Q5_0 on AVX-512: each value's code from its
// block's id (and Q4_1's minimum) and the dequantizer's level, as quantize_row_*_ref and dequantize_row_*
// compute them. Shared by the quantizer (core/ggml_quants_avx512.cpp) and the analysis' fused statistics
// (core/format_pass_avx512.cpp), so both take the same IEEE operations lane by lane. Included only by
// translation units compiled with AVX-512 (F, BW, VL, DQ).
#pragma once

#include <immintrin.h>

namespace ql::ggml::detail {

enum class Small { Q8_0, Q4_0, Q4_1, Q5_0 };

// level(q): the dequantizer's expression, q d or q d + m (Q4_1), for q already less its bias.
template <Small K>
inline __m512 level_of(__m512 q, __m512 d, __m512 m) {
    if constexpr (K == Small::Q4_1) return _mm512_add_ps(_mm512_mul_ps(q, d), m);
    else return _mm512_mul_ps(q, d);
}

// The codes of 16 values v of a block with the block's id (and min, Q4_1), as int32: Q4_0
// min(15, (int)(x id + 8.5)), Q5_0 min(31, (int)(x id + 16.5)), Q4_1 min(15, (int)((x - min) id + 0.5)),
// Q8_0 roundf(x id) (half away from zero: trunc, then one step away when the exact remainder is at least
// one half).
template <Small K>
inline __m512i codes_of(__m512 v, __m512 id, __m512 min) {
    if constexpr (K == Small::Q8_0) {
        const __m512 t = _mm512_mul_ps(v, id);
        const __m512 tr = _mm512_roundscale_ps(t, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        const __m512 rem = _mm512_sub_ps(t, tr);  // exact
        __m512i q = _mm512_cvttps_epi32(tr);
        q = _mm512_mask_add_epi32(q, _mm512_cmp_ps_mask(rem, _mm512_set1_ps(0.5f), _CMP_GE_OQ), q, _mm512_set1_epi32(1));
        return _mm512_mask_sub_epi32(q, _mm512_cmp_ps_mask(rem, _mm512_set1_ps(-0.5f), _CMP_LE_OQ), q, _mm512_set1_epi32(1));
    } else if constexpr (K == Small::Q4_1) {
        const __m512 t = _mm512_add_ps(_mm512_mul_ps(_mm512_sub_ps(v, min), id), _mm512_set1_ps(0.5f));
        return _mm512_min_epi32(_mm512_cvttps_epi32(t), _mm512_set1_epi32(15));
    } else {
        constexpr int half = K == Small::Q4_0 ? 8 : 16;
        const __m512 t = _mm512_add_ps(_mm512_mul_ps(v, id), _mm512_set1_ps(static_cast<float>(half) + 0.5f));
        return _mm512_min_epi32(_mm512_cvttps_epi32(t), _mm512_set1_epi32(2 * half - 1));
    }
}

// The dequantized values of codes q (the dequantizer's expression: (q - 8) d, (q - 16) d, q d, q d + m).
template <Small K>
inline __m512 values_of(__m512i q, __m512 d, __m512 m) {
    constexpr int bias = K == Small::Q4_0 ? 8 : K == Small::Q5_0 ? 16 : 0;
    return level_of<K>(_mm512_cvtepi32_ps(_mm512_sub_epi32(q, _mm512_set1_epi32(bias))), d, m);
}

} // namespace ql::ggml::detail
