// Vectorised ggml scale searches (Q2_K's, Q4_K's and Q5_K's make_qkx2_quants, Q3_K's make_q3_quants, Q6_K's
// make_qx_quants, IQ4_NL's and IQ4_XS's 15 scale tries) that give the scalar reference's bytes exactly: each AVX2 lane runs one
// sub-block (Q4_K, Q5_K, IQ4_XS: the 8 sub-blocks of a super-block; Q2_K, Q3_K, Q6_K: 8 of its 16 sub-blocks;
// IQ4_NL: 8 consecutive blocks) through the
// reference's operations in the reference's order. Every step is one IEEE single-precision operation
// (add, mul, div, sqrt, compare, select) per lane, so a lane's float results equal the scalar loop's;
// nothing is reassociated across lanes. nearest_int followed by the reference's clamp to an integer
// range is computed as rounding (to nearest, ties to even, as nearest_int) of the clamped value, which
// gives the same integer.
// The scalar tail of each format (fp16 scales, requantization, packing) is shared with the reference
// (detail::finish_*). Q8_0, Q4_0, Q4_1 and Q5_0 have no search: their blocks are vectorised within the
// block, each element's operations being the reference's single operations (only max |x|, min and
// max are taken in another order, which is exact). Without AVX2 these return 0 and the scalar
// reference does every block.
#include <cstdint>
#include <cstring>

#include "core/ggml_blocks.h"
#include "core/ggml_quants.h"
#include "core/ggml_quants_detail.h"
#include "core/half.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace ql::ggml::detail {

#if defined(__AVX2__)

namespace {

inline __m256 vabs(__m256 v) { return _mm256_and_ps(v, _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF))); }

inline __m256 sel(__m256 mask, __m256 a_if_set, __m256 b) { return _mm256_blendv_ps(b, a_if_set, mask); }

// clamp(nearest_int(v), lo, hi) as a float, for integer lo, hi and |v| <= 2^22: rounding is monotone, so
// clamping first and rounding (to nearest, ties to even, as nearest_int) gives the same integer. A NaN
// lane (only in lanes whose results are discarded) becomes lo.
inline __m256 vround_clamped(__m256 v, float lo, float hi) {
    return _mm256_round_ps(_mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(lo)), _mm256_set1_ps(hi)),
                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
inline __m256i seli(__m256 mask, __m256i a_if_set, __m256i b) {
    return _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(b), _mm256_castsi256_ps(a_if_set), mask));
}

// Lane j of the result = x[j * stride + l] for l = 0..n-1: out[l] holds the 8 lanes of element l.
template <int N>
inline void transpose_in(const float* x, std::int64_t stride, __m256* out) {
    alignas(32) float t[N][8];
    for (int j = 0; j < 8; ++j)
        for (int l = 0; l < N; ++l) t[l][j] = x[j * stride + l];
    for (int l = 0; l < N; ++l) out[l] = _mm256_load_ps(t[l]);
}

// The iscale the codes are worked out with: an infinite iscale (a sub-block whose range is below
// nmax / FLT_MAX: float subnormals) makes every product iscale (x - min) +inf or NaN, which ggml's
// nearest_int and clamp turn into code 0 where rounding and clamping here give nmax (+inf); iscale 0 gives
// code 0. (A NaN iscale is a lane that returns early.)
inline __m256 code_scale(__m256 iscale) {
    return _mm256_and_ps(iscale, _mm256_cmp_ps(iscale, _mm256_set1_ps(__builtin_inff()), _CMP_NEQ_UQ));
}

// make_qkx2_quants(n, nmax, x, weights, L, &the_min, Laux, rmin, 0.1, nstep, mad) in 8 lanes (Q4_K: 32
// values, nmax 15, rmin -1, 20 steps; Q5_K: 32, 31, -0.5, 15; Q2_K: 16, 3, -0.5, 15, absolute error).
template <int n, int nmax, int nstep, bool mad>
void make_qkx2_lanes(const __m256* X, const __m256* W, __m256i* L, __m256& scale_out, __m256& the_min_out, float rmin) {
    const float rdelta = 0.1f;
    // the error of one value: squared, or absolute (use_mad)
    const auto err = [](__m256 diff) { return mad ? vabs(diff) : _mm256_mul_ps(diff, diff); };
    __m256 min = X[0], max = X[0];
    __m256 sum_w = W[0];
    __m256 sum_x = _mm256_mul_ps(sum_w, X[0]);
    for (int i = 1; i < n; ++i) {
        min = sel(_mm256_cmp_ps(X[i], min, _CMP_LT_OQ), X[i], min);
        max = sel(_mm256_cmp_ps(X[i], max, _CMP_GT_OQ), X[i], max);
        sum_w = _mm256_add_ps(sum_w, W[i]);
        sum_x = _mm256_add_ps(sum_x, _mm256_mul_ps(W[i], X[i]));
    }
    const __m256 zero = _mm256_setzero_ps();
    min = sel(_mm256_cmp_ps(min, zero, _CMP_GT_OQ), zero, min);
    const __m256 flat = _mm256_cmp_ps(max, min, _CMP_EQ_OQ);  // lanes that return early
    __m256 iscale = _mm256_div_ps(_mm256_set1_ps(static_cast<float>(nmax)), _mm256_sub_ps(max, min));
    __m256 scale = _mm256_div_ps(_mm256_set1_ps(1.0f), iscale);
    iscale = code_scale(iscale);
    __m256 best_error = zero;
    __m256 Lf[n];  // the chosen codes, as floats
    for (int i = 0; i < n; ++i) {
        const __m256 l = vround_clamped(_mm256_mul_ps(iscale, _mm256_sub_ps(X[i], min)), 0.0f, static_cast<float>(nmax));
        Lf[i] = l;
        __m256 diff = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(scale, l), min), X[i]);
        diff = err(diff);
        best_error = _mm256_add_ps(best_error, _mm256_mul_ps(W[i], diff));
    }
    __m256 Laux[n];
    for (int is = 0; is <= nstep; ++is) {
        const float num = rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax);
        iscale = code_scale(_mm256_div_ps(_mm256_set1_ps(num), _mm256_sub_ps(max, min)));
        __m256 sum_l = zero, sum_l2 = zero, sum_xl = zero;
        for (int i = 0; i < n; ++i) {
            const __m256 fl = vround_clamped(_mm256_mul_ps(iscale, _mm256_sub_ps(X[i], min)), 0.0f, static_cast<float>(nmax));
            Laux[i] = fl;
            const __m256 wl = _mm256_mul_ps(W[i], fl);
            sum_l = _mm256_add_ps(sum_l, wl);
            sum_l2 = _mm256_add_ps(sum_l2, _mm256_mul_ps(wl, fl));
            sum_xl = _mm256_add_ps(sum_xl, _mm256_mul_ps(wl, X[i]));
        }
        const __m256 D = _mm256_sub_ps(_mm256_mul_ps(sum_w, sum_l2), _mm256_mul_ps(sum_l, sum_l));
        const __m256 dpos = _mm256_cmp_ps(D, zero, _CMP_GT_OQ);
        if (_mm256_movemask_ps(dpos) == 0) continue;
        __m256 this_scale = _mm256_div_ps(_mm256_sub_ps(_mm256_mul_ps(sum_w, sum_xl), _mm256_mul_ps(sum_x, sum_l)), D);
        __m256 this_min = _mm256_div_ps(_mm256_sub_ps(_mm256_mul_ps(sum_l2, sum_x), _mm256_mul_ps(sum_l, sum_xl)), D);
        const __m256 minpos = _mm256_cmp_ps(this_min, zero, _CMP_GT_OQ);
        this_scale = sel(minpos, _mm256_div_ps(sum_xl, sum_l2), this_scale);
        this_min = sel(minpos, zero, this_min);
        __m256 cur_error = zero;
        for (int i = 0; i < n; ++i) {
            __m256 diff = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(this_scale, Laux[i]), this_min), X[i]);
            diff = err(diff);
            cur_error = _mm256_add_ps(cur_error, _mm256_mul_ps(W[i], diff));
        }
        // (lanes that returned early take nothing: their sums are meaningless)
        const __m256 take = _mm256_andnot_ps(flat, _mm256_and_ps(dpos, _mm256_cmp_ps(cur_error, best_error, _CMP_LT_OQ)));
        if (_mm256_movemask_ps(take) == 0) continue;
        for (int i = 0; i < n; ++i) Lf[i] = sel(take, Laux[i], Lf[i]);
        best_error = sel(take, cur_error, best_error);
        scale = sel(take, this_scale, scale);
        min = sel(take, this_min, min);
    }
    // early-return lanes: L = 0, the_min = -min, scale 0
    for (int i = 0; i < n; ++i) L[i] = _mm256_cvtps_epi32(sel(flat, zero, Lf[i]));
    scale_out = sel(flat, zero, scale);
    the_min_out = _mm256_xor_ps(min, _mm256_set1_ps(-0.0f));  // -min, sign of zero included
}

// make_qx_quants(16, 32, x, L, rmse_type 1, NULL) in 8 lanes; returns the scale, L = l + 32.
__m256 make_qx_q6k_lanes(const __m256* X, __m256i* L) {
    constexpr int n = 16, nmax = 32;
    const __m256 zero = _mm256_setzero_ps();
    __m256 max = zero, amax = zero;
    for (int i = 0; i < n; ++i) {
        const __m256 ax = vabs(X[i]);
        const __m256 gt = _mm256_cmp_ps(ax, amax, _CMP_GT_OQ);
        amax = sel(gt, ax, amax);
        max = sel(gt, X[i], max);
    }
    const __m256 tiny = _mm256_cmp_ps(amax, _mm256_set1_ps(1e-15f), _CMP_LT_OQ);  // GROUP_MAX_EPS: all zero
    __m256 iscale = _mm256_div_ps(_mm256_set1_ps(static_cast<float>(-nmax)), max);
    __m256 W[n], Lf[n];  // Lf: the chosen l, as floats
    __m256 sumlx = zero, suml2 = zero;
    for (int i = 0; i < n; ++i) {
        const __m256 fl = vround_clamped(_mm256_mul_ps(iscale, X[i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
        Lf[i] = fl;
        W[i] = _mm256_mul_ps(X[i], X[i]);
        sumlx = _mm256_add_ps(sumlx, _mm256_mul_ps(_mm256_mul_ps(W[i], X[i]), fl));
        suml2 = _mm256_add_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(W[i], fl), fl));
    }
    __m256 scale = sel(_mm256_cmp_ps(suml2, zero, _CMP_NEQ_UQ), _mm256_div_ps(sumlx, suml2), zero);
    __m256 best = _mm256_mul_ps(scale, sumlx);
    __m256 Lt[n];
    for (int is = -9; is <= 9; ++is) {
        if (is == 0) continue;
        const float num = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is));
        iscale = _mm256_div_ps(_mm256_set1_ps(num), max);
        sumlx = suml2 = zero;
        for (int i = 0; i < n; ++i) {
            const __m256 fl = vround_clamped(_mm256_mul_ps(iscale, X[i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
            Lt[i] = fl;
            sumlx = _mm256_add_ps(sumlx, _mm256_mul_ps(_mm256_mul_ps(W[i], X[i]), fl));
            suml2 = _mm256_add_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(W[i], fl), fl));
        }
        const __m256 take = _mm256_and_ps(_mm256_cmp_ps(suml2, zero, _CMP_GT_OQ),
                                          _mm256_cmp_ps(_mm256_mul_ps(sumlx, sumlx), _mm256_mul_ps(best, suml2), _CMP_GT_OQ));
        if (_mm256_movemask_ps(take) == 0) continue;
        for (int i = 0; i < n; ++i) Lf[i] = sel(take, Lt[i], Lf[i]);
        const __m256 s = _mm256_div_ps(sumlx, suml2);
        scale = sel(take, s, scale);
        best = sel(take, _mm256_mul_ps(s, sumlx), best);
    }
    for (int i = 0; i < n; ++i) L[i] = seli(tiny, _mm256_setzero_si256(), _mm256_add_epi32(_mm256_cvtps_epi32(Lf[i]), _mm256_set1_epi32(nmax)));
    return sel(tiny, zero, scale);
}

// 16-entry float table lookup per lane (index 0..15).
inline __m256 lookup16(__m256i idx, __m256 lo8, __m256 hi8) {
    const __m256 a = _mm256_permutevar8x32_ps(lo8, idx);
    const __m256 b = _mm256_permutevar8x32_ps(hi8, idx);
    const __m256 upper = _mm256_castsi256_ps(_mm256_cmpgt_epi32(idx, _mm256_set1_epi32(7)));
    return _mm256_blendv_ps(a, b, upper);
}

struct Iq4Tables {
    __m256 val_lo, val_hi;   // kvalues_iq4nl as floats
    __m256 mid4, mid8, mid12;  // mid[j] = v[j-1] + v[j] for the fixed first two search steps
    __m256 mid_even, mid_odd;  // mid[2k] and mid[2k+1], k = 0..7, for the last two steps
};

// ggml 0.5's best_index_int8 per lane: the upper neighbour once 2x >= v[j-1] + v[j], as the reference's
// four-step search (j = idx + 8, + 4, + 2, + 1); each step's threshold is looked up from j directly.
inline __m256i vbest_index(__m256 x, const Iq4Tables& T) {
    const __m256 x2 = _mm256_add_ps(x, x);
    const __m256 m8 = _mm256_cmp_ps(x2, T.mid8, _CMP_GE_OQ);
    __m256i idx = _mm256_and_si256(_mm256_castps_si256(m8), _mm256_set1_epi32(8));
    const __m256 t4 = _mm256_blendv_ps(T.mid4, T.mid12, m8);
    idx = _mm256_add_epi32(idx, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(x2, t4, _CMP_GE_OQ)), _mm256_set1_epi32(4)));
    __m256i j = _mm256_add_epi32(idx, _mm256_set1_epi32(2));  // even: mid_even[j / 2]
    idx = seli(_mm256_cmp_ps(x2, _mm256_permutevar8x32_ps(T.mid_even, _mm256_srli_epi32(j, 1)), _CMP_GE_OQ), j, idx);
    j = _mm256_add_epi32(idx, _mm256_set1_epi32(1));  // odd: mid_odd[(j - 1) / 2] = mid_odd[j / 2]
    idx = seli(_mm256_cmp_ps(x2, _mm256_permutevar8x32_ps(T.mid_odd, _mm256_srli_epi32(j, 1)), _CMP_GE_OQ), j, idx);
    return idx;
}

// quantize_row_iq4_nl_impl's scale search (block 32, ntry 7, weights x^2) in 8 lanes; returns d.
__m256 iq4nl_scale_lanes(const __m256* X, const Iq4Tables& T) {
    constexpr int n = 32, ntry = 7;
    const __m256 zero = _mm256_setzero_ps();
    __m256 W[n];
    __m256 amax = zero, max = zero;
    for (int j = 0; j < n; ++j) {
        W[j] = _mm256_mul_ps(X[j], X[j]);
        const __m256 ax = vabs(X[j]);
        const __m256 gt = _mm256_cmp_ps(ax, amax, _CMP_GT_OQ);
        amax = sel(gt, ax, amax);
        max = sel(gt, X[j], max);
    }
    const __m256 tiny = _mm256_cmp_ps(amax, _mm256_set1_ps(1e-15f), _CMP_LT_OQ);
    __m256 d = _mm256_div_ps(_mm256_sub_ps(zero, max), _mm256_set1_ps(-127.0f));
    __m256 id = _mm256_div_ps(_mm256_set1_ps(1.0f), d);
    auto sums = [&](__m256 idv, __m256& sumqx, __m256& sumq2) {
        sumqx = sumq2 = zero;
        for (int j = 0; j < n; ++j) {
            const __m256 q = lookup16(vbest_index(_mm256_mul_ps(idv, X[j]), T), T.val_lo, T.val_hi);
            const __m256 wq = _mm256_mul_ps(W[j], q);
            sumqx = _mm256_add_ps(sumqx, _mm256_mul_ps(wq, X[j]));
            sumq2 = _mm256_add_ps(sumq2, _mm256_mul_ps(wq, q));
        }
    };
    __m256 sumqx, sumq2;
    sums(id, sumqx, sumq2);
    d = sel(_mm256_cmp_ps(sumq2, zero, _CMP_GT_OQ), _mm256_div_ps(sumqx, sumq2), zero);
    __m256 best = _mm256_mul_ps(d, sumqx);
    for (int itry = -ntry; itry <= ntry; ++itry) {
        id = _mm256_div_ps(_mm256_set1_ps(static_cast<float>(itry - 127)), max);
        sums(id, sumqx, sumq2);
        const __m256 take = _mm256_and_ps(_mm256_cmp_ps(sumq2, zero, _CMP_GT_OQ),
                                          _mm256_cmp_ps(_mm256_mul_ps(sumqx, sumqx), _mm256_mul_ps(best, sumq2), _CMP_GT_OQ));
        if (_mm256_movemask_ps(take) == 0) continue;
        const __m256 dn = _mm256_div_ps(sumqx, sumq2);
        d = sel(take, dn, d);
        best = sel(take, _mm256_mul_ps(dn, sumqx), best);
    }
    return sel(tiny, zero, d);
}


// Packs 32 codes (v[k] holds codes 8k..8k+7, each 0..15) into ggml's 16 nibble bytes: byte j = code j
// | code (j + 16) << 4.
inline void pack_nibbles(const __m256i* v, std::uint8_t* qs) {
    const __m256i lo = _mm256_or_si256(_mm256_and_si256(v[0], _mm256_set1_epi32(0xF)), _mm256_slli_epi32(_mm256_and_si256(v[2], _mm256_set1_epi32(0xF)), 4));
    const __m256i hi = _mm256_or_si256(_mm256_and_si256(v[1], _mm256_set1_epi32(0xF)), _mm256_slli_epi32(_mm256_and_si256(v[3], _mm256_set1_epi32(0xF)), 4));
    __m256i p16 = _mm256_packus_epi32(lo, hi);           // [lo0-3 hi0-3 | lo4-7 hi4-7]
    p16 = _mm256_permute4x64_epi64(p16, 0xD8);           // [lo0-3 lo4-7 | hi0-3 hi4-7]
    const __m256i p8 = _mm256_packus_epi16(p16, p16);    // [lo0-7 lo0-7 | hi0-7 hi0-7]
    const __m256i q = _mm256_permute4x64_epi64(p8, 0x08);  // [lo0-7 hi0-7 | ...]
    _mm_storeu_si128(reinterpret_cast<__m128i*>(qs), _mm256_castsi256_si128(q));
}

// The value of largest magnitude of a block of 32, as the reference's scan finds it (the first one
// reaching the largest |x|; 0 when every |x| is 0). amax itself is exact in any order.
inline float signed_absmax32(const float* xb, const __m256* v) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    __m256 m = _mm256_and_ps(v[0], absmask);
    for (int k = 1; k < 4; ++k) m = _mm256_max_ps(m, _mm256_and_ps(v[k], absmask));
    m = _mm256_max_ps(m, _mm256_permute2f128_ps(m, m, 1));
    m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0x4E));
    m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0xB1));
    if (_mm256_cvtss_f32(m) == 0.0f) return 0.0f;
    std::uint32_t hit = 0;
    for (int k = 0; k < 4; ++k)
        hit |= static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_cmp_ps(_mm256_and_ps(v[k], absmask), m, _CMP_EQ_OQ))) << (8 * k);
    return xb[__builtin_ctz(hit)];
}

// quantize_row_q4_0_ref / q5_0_ref per block: d = max / -(2^(bits-1)), q = min(qmax, (int)(x * id + off)).
// Each element's product, sum and truncation are the reference's own single operations.
template <int Bits>
inline void q_sym_block(const float* xb, float& d_out, __m256i* q) {
    __m256 v[4];
    for (int k = 0; k < 4; ++k) v[k] = _mm256_loadu_ps(xb + 8 * k);
    const float max = signed_absmax32(xb, v);
    const float d = max / static_cast<float>(-(1 << (Bits - 1)));
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    d_out = d;
    const __m256 vid = _mm256_set1_ps(id), off = _mm256_set1_ps(static_cast<float>(1 << (Bits - 1)) + 0.5f);
    const __m256i qmax = _mm256_set1_epi32((1 << Bits) - 1);
    for (int k = 0; k < 4; ++k) q[k] = _mm256_min_epi32(qmax, _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(v[k], vid), off)));
}

} // namespace

std::int64_t quantize_q4_0_blocks_simd(const float* x, std::int64_t nblocks, BlockQ4_0* y) {
    __m256i q[4];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        float d;
        q_sym_block<4>(x + b * kQK4_0, d, q);
        y[b].d = float_to_half(d);
        pack_nibbles(q, y[b].qs);
    }
    return nblocks;
}

std::int64_t quantize_q5_0_blocks_simd(const float* x, std::int64_t nblocks, BlockQ5_0* y) {
    __m256i q[4];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        float d;
        q_sym_block<5>(x + b * kQK5_0, d, q);
        y[b].d = float_to_half(d);
        pack_nibbles(q, y[b].qs);
        std::uint32_t qh = 0;  // bit k = bit 4 of code k
        for (int k = 0; k < 4; ++k)
            qh |= static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_slli_epi32(q[k], 27)))) << (8 * k);
        std::memcpy(y[b].qh, &qh, sizeof qh);  // little-endian, as the reference's byte order
    }
    return nblocks;
}

// quantize_row_q4_1_ref per block: min and max (exact in any order, but a zero's sign is the first
// zero's, so blocks whose min or max is zero go to the scalar reference), d = (max - min) / 15,
// q = min(15, (int)((x - min) * id + 0.5)).
std::int64_t quantize_q4_1_blocks_simd(const float* x, std::int64_t nblocks, BlockQ4_1* y) {
    __m256i q[4];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK4_1;
        __m256 v[4];
        for (int k = 0; k < 4; ++k) v[k] = _mm256_loadu_ps(xb + 8 * k);
        __m256 mn = _mm256_min_ps(_mm256_min_ps(v[0], v[1]), _mm256_min_ps(v[2], v[3]));
        __m256 mx = _mm256_max_ps(_mm256_max_ps(v[0], v[1]), _mm256_max_ps(v[2], v[3]));
        mn = _mm256_min_ps(mn, _mm256_permute2f128_ps(mn, mn, 1));
        mx = _mm256_max_ps(mx, _mm256_permute2f128_ps(mx, mx, 1));
        mn = _mm256_min_ps(mn, _mm256_shuffle_ps(mn, mn, 0x4E));
        mx = _mm256_max_ps(mx, _mm256_shuffle_ps(mx, mx, 0x4E));
        mn = _mm256_min_ps(mn, _mm256_shuffle_ps(mn, mn, 0xB1));
        mx = _mm256_max_ps(mx, _mm256_shuffle_ps(mx, mx, 0xB1));
        const float min = _mm256_cvtss_f32(mn), max = _mm256_cvtss_f32(mx);
        if (min == 0.0f || max == 0.0f) {
            quantize_block_ref(xb, y[b]);
            continue;
        }
        const float d = (max - min) / ((1 << 4) - 1);
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[b].d = float_to_half(d);
        y[b].m = float_to_half(min);
        const __m256 vid = _mm256_set1_ps(id), vmin = _mm256_set1_ps(min), half = _mm256_set1_ps(0.5f);
        for (int k = 0; k < 4; ++k)
            q[k] = _mm256_min_epi32(_mm256_set1_epi32(15),
                                    _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(_mm256_sub_ps(v[k], vmin), vid), half)));
        pack_nibbles(q, y[b].qs);
    }
    return nblocks;
}

namespace {

// Codes of 8 sub-blocks of n values from lanes (Lv[l] lane j = value l of sub-block j) into L[n j + l].
template <int n, class T>
inline void codes_from_lanes(const __m256i* Lv, T* L) {
    alignas(32) std::int32_t Lt[n][8];
    for (int l = 0; l < n; ++l) _mm256_store_si256(reinterpret_cast<__m256i*>(Lt[l]), Lv[l]);
    for (int j = 0; j < 8; ++j)
        for (int l = 0; l < n; ++l) L[n * j + l] = static_cast<T>(Lt[l][j]);
}

// Q4_K's and Q5_K's search (k_sub_block_search): per sub-block of 32 (lane j = sub-block j), weights
// av_x + |x| with av_x = sqrt(sum x^2 / 32), then make_qkx2_quants; the rest is the reference's finish.
template <int nmax, int nstep, class Block>
std::int64_t k32_blocks(const float* x, std::int64_t nblocks, Block* y, float rmin,
                        void (*finish)(const float*, const float*, const float*, std::uint8_t*, Block&)) {
    alignas(32) float scales[8], mins[8];
    std::uint8_t L[kQK_K];
    __m256 X[32], W[32];
    __m256i Lv[32];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK_K;
        transpose_in<32>(xb, 32, X);  // lane j = sub-block j
        __m256 sum_x2 = _mm256_setzero_ps();
        for (int l = 0; l < 32; ++l) sum_x2 = _mm256_add_ps(sum_x2, _mm256_mul_ps(X[l], X[l]));
        const __m256 av_x = _mm256_sqrt_ps(_mm256_div_ps(sum_x2, _mm256_set1_ps(32.0f)));
        for (int l = 0; l < 32; ++l) W[l] = _mm256_add_ps(av_x, vabs(X[l]));
        __m256 sc, mn;
        make_qkx2_lanes<32, nmax, nstep, false>(X, W, Lv, sc, mn, rmin);
        _mm256_store_ps(scales, sc);
        _mm256_store_ps(mins, mn);
        codes_from_lanes<32>(Lv, L);
        finish(xb, scales, mins, L, y[b]);
    }
    return nblocks;
}

} // namespace

std::int64_t quantize_q4_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ4_K* y) {
    return k32_blocks<15, 20>(x, nblocks, y, -1.f, finish_q4_k);
}

std::int64_t quantize_q5_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ5_K* y) {
    return k32_blocks<31, 15>(x, nblocks, y, -0.5f, finish_q5_k);
}

// Q2_K: per sub-block of 16 (lanes: 8 of the 16 at a time), weights |x|, make_qkx2_quants(nmax 3, rmin
// -0.5, 15 steps, absolute error); the rest is the reference's finish.
std::int64_t quantize_q2_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ2_K* y) {
    alignas(32) float scales[16], mins[16];
    std::uint8_t L[kQK_K];
    __m256 X[16], W[16];
    __m256i Lv[16];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK_K;
        for (int half = 0; half < 2; ++half) {  // sub-blocks 8 * half + lane
            transpose_in<16>(xb + 128 * half, 16, X);
            for (int l = 0; l < 16; ++l) W[l] = vabs(X[l]);
            __m256 sc, mn;
            make_qkx2_lanes<16, 3, 15, true>(X, W, Lv, sc, mn, -0.5f);
            _mm256_store_ps(scales + 8 * half, sc);
            _mm256_store_ps(mins + 8 * half, mn);
            codes_from_lanes<16>(Lv, L + 128 * half);
        }
        finish_q2_k(xb, scales, mins, L, y[b]);
    }
    return nblocks;
}

namespace {

// ggml's nearest_int bit for bit, then the clamp to [lo, hi]: (bits(v + 1.5 * 2^23) & 0x7fffff) - 0x400000
// (Q3_K's x sl2 / slx may pass 2^22, where rounding would not give ggml's integer).
inline __m256i nearest_int_clamped(__m256 v, int lo, int hi) {
    const __m256i bits = _mm256_castps_si256(_mm256_add_ps(v, _mm256_set1_ps(12582912.0f)));
    const __m256i i = _mm256_sub_epi32(_mm256_and_si256(bits, _mm256_set1_epi32(0x007fffff)), _mm256_set1_epi32(0x00400000));
    return _mm256_min_epi32(_mm256_max_epi32(i, _mm256_set1_epi32(lo)), _mm256_set1_epi32(hi));
}

// make_q3_quants(16, 4, x, L, do_rmse = true) in 8 lanes (lane j = sub-block j); returns the scales, L =
// the codes + 4 (0 for a sub-block below GROUP_MAX_EPS). The passes move one code at a time, each move
// depending on the sums the last one left, so a lane walks its 16 values in order; a lane leaves the
// passes after one that moved nothing, as the reference breaks out of its loop.
__m256 make_q3_lanes(const __m256* X, __m256i* Lout) {
    constexpr int n = 16;
    const __m256 zero = _mm256_setzero_ps(), nmax = _mm256_set1_ps(4.0f);
    __m256 max = zero, amax = zero;
    for (int i = 0; i < n; ++i) {  // the first value of largest magnitude
        const __m256 ax = vabs(X[i]);
        const __m256 gt = _mm256_cmp_ps(ax, amax, _CMP_GT_OQ);
        amax = sel(gt, ax, amax);
        max = sel(gt, X[i], max);
    }
    const __m256 keep = _mm256_cmp_ps(amax, _mm256_set1_ps(1e-15f), _CMP_NLT_UQ);  // not below GROUP_MAX_EPS
    __m256 active = keep;
    const __m256 iscale = _mm256_div_ps(_mm256_set1_ps(-4.0f), max);
    __m256 L[n], W[n], WX[n];  // w = x^2, w x
    __m256 sumlx = zero, suml2 = zero;
    for (int i = 0; i < n; ++i) {
        L[i] = vround_clamped(_mm256_mul_ps(iscale, X[i]), -4.0f, 3.0f);
        W[i] = _mm256_mul_ps(X[i], X[i]);
        WX[i] = _mm256_mul_ps(W[i], X[i]);
        sumlx = _mm256_add_ps(sumlx, _mm256_mul_ps(WX[i], L[i]));
        suml2 = _mm256_add_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(W[i], L[i]), L[i]));
    }
    for (int itry = 0; itry < 5; ++itry) {
        __m256 changed = zero;
        for (int i = 0; i < n; ++i) {
            const __m256 l = L[i];
            const __m256 slx = _mm256_sub_ps(sumlx, _mm256_mul_ps(WX[i], l));
            const __m256 positive = _mm256_and_ps(active, _mm256_cmp_ps(slx, zero, _CMP_GT_OQ));
            const __m256 sl2 = _mm256_sub_ps(suml2, _mm256_mul_ps(_mm256_mul_ps(W[i], l), l));
            const __m256 nl = _mm256_cvtepi32_ps(nearest_int_clamped(_mm256_div_ps(_mm256_mul_ps(X[i], sl2), slx), -4, 3));
            const __m256 moved = _mm256_and_ps(positive, _mm256_cmp_ps(nl, l, _CMP_NEQ_UQ));
            const __m256 slx2 = _mm256_add_ps(slx, _mm256_mul_ps(WX[i], nl));
            const __m256 sl22 = _mm256_add_ps(sl2, _mm256_mul_ps(_mm256_mul_ps(W[i], nl), nl));
            const __m256 better = _mm256_cmp_ps(_mm256_mul_ps(_mm256_mul_ps(slx2, slx2), suml2),
                                                _mm256_mul_ps(_mm256_mul_ps(sumlx, sumlx), sl22), _CMP_GT_OQ);
            const __m256 take = _mm256_and_ps(_mm256_and_ps(moved, _mm256_cmp_ps(sl22, zero, _CMP_GT_OQ)), better);
            L[i] = sel(take, nl, l);
            sumlx = sel(take, slx2, sumlx);
            suml2 = sel(take, sl22, suml2);
            changed = _mm256_or_ps(changed, take);
        }
        active = _mm256_and_ps(active, changed);
        if (_mm256_movemask_ps(active) == 0) break;
    }
    for (int i = 0; i < n; ++i) Lout[i] = _mm256_cvtps_epi32(_mm256_and_ps(keep, _mm256_add_ps(L[i], nmax)));
    return _mm256_and_ps(keep, _mm256_div_ps(sumlx, suml2));
}

// finish_q3_k with its two loops over the values in vectors: every code of a sub-block whose stored scale
// d[j] is not 0 requantized as clamp(nearest_int(x / d[j]), -4, 3) + 4, bit for bit (the search's codes
// stay where d[j] is 0), then q3_k_pack's bytes without its branch per value: hmask[m] bit k = bit 2 of
// code 32k + m, and each qs byte of a 128-value half holds the low 2 bits of codes l, l + 32, l + 64,
// l + 96 (bits 0-1 .. 6-7).
void finish_q3_k_vec(const float* xb, const float* scales, std::int8_t* L, BlockQ3_K& y) {
    float d[kQK_K / 16];
    q3_k_scales(scales, y, d);
    alignas(32) std::int32_t c[16];
    for (int j = 0; j < kQK_K / 16; ++j) {
        if (d[j] == 0.0f) continue;
        const __m256 dv = _mm256_set1_ps(d[j]);
        for (int h = 0; h < 2; ++h) {
            const __m256i q = nearest_int_clamped(_mm256_div_ps(_mm256_loadu_ps(xb + 16 * j + 8 * h), dv), -4, 3);
            _mm256_store_si256(reinterpret_cast<__m256i*>(c + 8 * h), _mm256_add_epi32(q, _mm256_set1_epi32(4)));
        }
        for (int l = 0; l < 16; ++l) L[16 * j + l] = static_cast<std::int8_t>(c[l]);
    }
    __m256i r[8];
    __m256i hmask = _mm256_setzero_si256();
    const __m256i four = _mm256_set1_epi8(4), three = _mm256_set1_epi8(3);
    for (int k = 0; k < 8; ++k) {
        r[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(L + 32 * k));
        const __m256i high = _mm256_cmpeq_epi8(_mm256_and_si256(r[k], four), four);
        hmask = _mm256_or_si256(hmask, _mm256_and_si256(high, _mm256_set1_epi8(static_cast<char>(1 << k))));
        r[k] = _mm256_and_si256(r[k], three);
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y.hmask), hmask);
    for (int h = 0; h < 2; ++h) {  // 2-bit fields stay inside their byte under the 16-bit shifts
        const __m256i q = _mm256_or_si256(_mm256_or_si256(r[4 * h], _mm256_slli_epi16(r[4 * h + 1], 2)),
                                          _mm256_or_si256(_mm256_slli_epi16(r[4 * h + 2], 4), _mm256_slli_epi16(r[4 * h + 3], 6)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(y.qs + 32 * h), q);
    }
}

// Q3_K's and Q6_K's blocks: each super-block's 16 sub-blocks of 16 searched 8 at a time (lane j =
// sub-block 8 half + j) with their scale out of Search, then Finish (scales, requantization, packing).
template <class Block, __m256 (*Search)(const __m256*, __m256i*), void (*Finish)(const float*, const float*, std::int8_t*, Block&)>
std::int64_t sub16_blocks(const float* x, std::int64_t nblocks, Block* y) {
    alignas(32) float scales[16];
    std::int8_t L[kQK_K];
    __m256 X[16];
    __m256i Lv[16];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK_K;
        for (int half = 0; half < 2; ++half) {
            transpose_in<16>(xb + 128 * half, 16, X);
            _mm256_store_ps(scales + 8 * half, Search(X, Lv));
            codes_from_lanes<16>(Lv, L + 128 * half);
        }
        Finish(xb, scales, L, y[b]);
    }
    return nblocks;
}

} // namespace

// Q3_K: make_q3_quants per sub-block of 16, then the reference's 6-bit scales and the requantization
// and packing in vectors (finish_q3_k_vec).
std::int64_t quantize_q3_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ3_K* y) {
    return sub16_blocks<BlockQ3_K, make_q3_lanes, finish_q3_k_vec>(x, nblocks, y);
}

std::int64_t quantize_q6_k_blocks_simd(const float* x, std::int64_t nblocks, BlockQ6_K* y) {
    return sub16_blocks<BlockQ6_K, make_qx_q6k_lanes, finish_q6_k>(x, nblocks, y);
}

namespace {

// The IQ4_NL codebook's values and the midpoint sums best_index_int8 compares 2x with.
Iq4Tables iq4_tables() {
    static const std::int8_t kv[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
    alignas(32) float v[16], mid[16], even[8], odd[8];
    for (int j = 0; j < 16; ++j) {
        v[j] = static_cast<float>(kv[j]);
        mid[j] = j == 0 ? 0.0f : static_cast<float>(kv[j - 1] + kv[j]);
    }
    for (int k = 0; k < 8; ++k) {
        even[k] = mid[2 * k];
        odd[k] = mid[2 * k + 1];
    }
    return Iq4Tables{_mm256_load_ps(v),       _mm256_load_ps(v + 8), _mm256_set1_ps(mid[4]), _mm256_set1_ps(mid[8]),
                     _mm256_set1_ps(mid[12]), _mm256_load_ps(even),  _mm256_load_ps(odd)};
}

} // namespace

// IQ4_XS: each block of 32's scale is IQ4_NL's search (lane j = block j of the super-block), the 6-bit
// scales the reference's (iq4_xs_scales), and every code best_index_int8(idl x) as vbest_index gives it
// for any float (the reference's comparisons, 8 values at a time).
std::int64_t quantize_iq4_xs_blocks_simd(const float* x, std::int64_t nblocks, BlockIQ4_XS* y) {
    const Iq4Tables T = iq4_tables();
    alignas(32) float scales[8];
    float idl[kQK_K / 32];
    __m256 X[32];
    __m256i codes[4];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK_K;
        transpose_in<32>(xb, 32, X);
        _mm256_store_ps(scales, iq4nl_scale_lanes(X, T));
        iq4_xs_scales(scales, y[b], idl);
        for (int ib = 0; ib < kQK_K / 32; ++ib) {
            const __m256 id = _mm256_set1_ps(idl[ib]);
            for (int k = 0; k < 4; ++k) codes[k] = vbest_index(_mm256_mul_ps(id, _mm256_loadu_ps(xb + 32 * ib + 8 * k)), T);
            pack_nibbles(codes, y[b].qs + 16 * ib);
        }
    }
    return nblocks;
}

std::int64_t quantize_iq4_nl_blocks_simd(const float* x, std::int64_t nblocks, BlockIQ4_NL* y) {
    const Iq4Tables T = iq4_tables();
    alignas(32) float d[8];
    alignas(32) std::int32_t Lt[kQK4_NL][8];
    __m256 X[32];
    const std::int64_t groups = nblocks / 8;
    for (std::int64_t g = 0; g < groups; ++g) {
        const float* xb = x + g * 8 * kQK4_NL;
        transpose_in<32>(xb, kQK4_NL, X);  // lane j = block 8g + j
        const __m256 scale = iq4nl_scale_lanes(X, T);
        _mm256_store_ps(d, scale);
        // finish_iq4_nl in lanes: every code from the unrounded scale, id = scale ? 1 / scale : 0
        const __m256 nz = _mm256_cmp_ps(scale, _mm256_setzero_ps(), _CMP_NEQ_UQ);
        const __m256 id = _mm256_and_ps(nz, _mm256_div_ps(_mm256_set1_ps(1.0f), scale));
        for (int l = 0; l < kQK4_NL; ++l) _mm256_store_si256(reinterpret_cast<__m256i*>(Lt[l]), vbest_index(_mm256_mul_ps(id, X[l]), T));
        for (int j = 0; j < 8; ++j) {
            BlockIQ4_NL& blk = y[g * 8 + j];
            blk.d = float_to_half(d[j]);
            for (int k = 0; k < 16; ++k) blk.qs[k] = static_cast<std::uint8_t>(Lt[k][j] | (Lt[16 + k][j] << 4));
        }
    }
    return groups * 8;
}

// quantize_row_q8_0_ref: d = amax / 127 (amax is exact in any order), q = roundf(x * id) with C roundf
// (half away from zero) as trunc plus one step away from zero when the dropped fraction is >= 1/2.
std::int64_t quantize_q8_0_blocks_simd(const float* x, std::int64_t nblocks, BlockQ8_0* y) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256 signmask = _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(0x80000000u)));
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    alignas(32) std::int32_t q[32];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK8_0;
        __m256 v[4];
        __m256 m = _mm256_setzero_ps();
        for (int k = 0; k < 4; ++k) {
            v[k] = _mm256_loadu_ps(xb + 8 * k);
            m = _mm256_max_ps(m, _mm256_and_ps(v[k], absmask));
        }
        alignas(32) float mm[8];
        _mm256_store_ps(mm, m);
        float amax = 0.0f;
        for (float f : mm) amax = amax > f ? amax : f;
        const float d = amax / ((1 << 7) - 1);
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        y[b].d = float_to_half(d);
        const __m256 vid = _mm256_set1_ps(id);
        for (int k = 0; k < 4; ++k) {
            const __m256 t0 = _mm256_mul_ps(v[k], vid);
            const __m256 t = _mm256_round_ps(t0, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
            const __m256 frac = _mm256_and_ps(_mm256_sub_ps(t0, t), absmask);
            const __m256 step = _mm256_and_ps(_mm256_cmp_ps(frac, half, _CMP_GE_OQ), one);
            const __m256 r = _mm256_add_ps(t, _mm256_or_ps(step, _mm256_and_ps(t0, signmask)));
            _mm256_store_si256(reinterpret_cast<__m256i*>(q + 8 * k), _mm256_cvttps_epi32(r));
        }
        for (int j = 0; j < kQK8_0; ++j) y[b].qs[j] = static_cast<std::int8_t>(q[j]);
    }
    return nblocks;
}

#else

std::int64_t quantize_q4_0_blocks_simd(const float*, std::int64_t, BlockQ4_0*) { return 0; }
std::int64_t quantize_q4_1_blocks_simd(const float*, std::int64_t, BlockQ4_1*) { return 0; }
std::int64_t quantize_q5_0_blocks_simd(const float*, std::int64_t, BlockQ5_0*) { return 0; }
std::int64_t quantize_q8_0_blocks_simd(const float*, std::int64_t, BlockQ8_0*) { return 0; }
std::int64_t quantize_q4_k_blocks_simd(const float*, std::int64_t, BlockQ4_K*) { return 0; }
std::int64_t quantize_q6_k_blocks_simd(const float*, std::int64_t, BlockQ6_K*) { return 0; }
std::int64_t quantize_q3_k_blocks_simd(const float*, std::int64_t, BlockQ3_K*) { return 0; }
std::int64_t quantize_iq4_nl_blocks_simd(const float*, std::int64_t, BlockIQ4_NL*) { return 0; }
std::int64_t quantize_q5_k_blocks_simd(const float*, std::int64_t, BlockQ5_K*) { return 0; }
std::int64_t quantize_q2_k_blocks_simd(const float*, std::int64_t, BlockQ2_K*) { return 0; }
std::int64_t quantize_iq4_xs_blocks_simd(const float*, std::int64_t, BlockIQ4_XS*) { return 0; }

#endif

} // namespace ql::ggml::detail
