// AVX-512 forms of the ggml scale searches (Q4_K's make_qkx2_quants, Q6_K's make_qx_quants, IQ4_NL's
// 15 scale tries) that give the scalar reference's bytes exactly. This file alone is compiled with
// AVX-512 enabled (core/CMakeLists.txt); core/ggml_quants.cpp calls it only when the CPU has it.
//
// As in the AVX2 forms (ggml_quants_simd.cpp), each of the 16 lanes runs one sub-block (Q4_K: the 8
// sub-blocks of two super-blocks; Q6_K: the 16 sub-blocks of one super-block; IQ4_NL: 16 consecutive
// blocks) through the reference's float32 operations in the reference's order, one IEEE operation per
// lane and step, no contraction, nothing reassociated across lanes. nearest_int followed by a clamp to
// an integer range is rounding (to nearest even) of the clamped value, the same integer for the values
// a search sees (|v| <= 2^22). After the search the requantization with the stored scales runs along the
// sub-block's values instead, with nearest_int reproduced bit for bit (add 1.5 * 2^23, read the
// mantissa), which holds for every input. Scale packing and code packing are the scalar reference's own
// (detail::q4_k_scales, q4_k_pack, q6_k_scales, q6_k_pack).
//
// IQ4_NL's nearest codebook entry: the reference's binary search counts the midpoints
// m_j = v[j-1] + v[j] (integers) that 2x reaches. The 15 midpoints, shifted by 232, fall in different
// 16-wide buckets [16b, 16b + 16), so for u = clamp(2x, -232, 203) the bucket b = trunc((u + 232) / 16)
// holds at most one midpoint: the index is base[b] (midpoints in lower buckets) plus 1 when 2x reaches
// bucket b's midpoint. (u + 232 may round onto a bucket edge from below; no midpoint lies within 1 of an
// edge, so the count is the same.)
#include <cstdint>
#include <cstring>

#include "core/ggml_blocks.h"
#include "core/ggml_quants_detail.h"
#include "core/half.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*(), which -Wuninitialized flags.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

namespace ql::ggml::detail {

namespace {

constexpr float kGroupMaxEps = 1e-15f;  // GROUP_MAX_EPS

inline __m512 set1(float v) { return _mm512_set1_ps(v); }
inline __m512 vabs(__m512 v) { return _mm512_abs_ps(v); }
// lanes of k take a, the others keep b
inline __m512 sel(__mmask16 k, __m512 a, __m512 b) { return _mm512_mask_blend_ps(k, b, a); }
#define QL_CMP(a, b, pred) _mm512_cmp_ps_mask((a), (b), (pred))

// clamp(nearest_int(v), lo, hi) as a float for |v| <= 2^22 (rounding is monotone: clamp, then round to
// nearest even). A NaN lane (only in lanes whose results are discarded) becomes lo.
inline __m512 round_clamped(__m512 v, float lo, float hi) {
    return _mm512_roundscale_ps(_mm512_min_ps(_mm512_max_ps(v, set1(lo)), set1(hi)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}

// ggml's nearest_int bit for bit, then the clamp to [lo, hi]: (bits(v + 1.5 * 2^23) & 0x7fffff) - 0x400000.
inline __m512i nearest_int_clamped(__m512 v, int lo, int hi) {
    const __m512i bits = _mm512_castps_si512(_mm512_add_ps(v, set1(12582912.0f)));
    const __m512i i = _mm512_sub_epi32(_mm512_and_si512(bits, _mm512_set1_epi32(0x007fffff)), _mm512_set1_epi32(0x00400000));
    return _mm512_min_epi32(_mm512_max_epi32(i, _mm512_set1_epi32(lo)), _mm512_set1_epi32(hi));
}

// Lane j of out[l] = x[j * stride + l], l = 0..N-1.
template <int N>
inline void transpose_in(const float* x, int stride, __m512* out) {
    const __m512i idx = _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0), _mm512_set1_epi32(stride));
    for (int l = 0; l < N; ++l) out[l] = _mm512_i32gather_ps(idx, x + l, 4);
}

// make_qkx2_quants(32, 15, x, weights, L, &the_min, Laux, -1, 0.1, 20, false) in 16 lanes. L: the codes
// as floats.
void make_qkx2_q4k_lanes(const __m512* X, const __m512* W, __m512* Lf, __m512& scale_out, __m512& the_min_out) {
    constexpr int n = 32, nmax = 15, nstep = 20;
    const float rmin = -1.f, rdelta = 0.1f;
    __m512 min = X[0], max = X[0];
    __m512 sum_w = W[0];
    __m512 sum_x = _mm512_mul_ps(sum_w, X[0]);
    for (int i = 1; i < n; ++i) {
        min = sel(QL_CMP(X[i], min, _CMP_LT_OQ), X[i], min);
        max = sel(QL_CMP(X[i], max, _CMP_GT_OQ), X[i], max);
        sum_w = _mm512_add_ps(sum_w, W[i]);
        sum_x = _mm512_add_ps(sum_x, _mm512_mul_ps(W[i], X[i]));
    }
    const __m512 zero = _mm512_setzero_ps();
    min = sel(QL_CMP(min, zero, _CMP_GT_OQ), zero, min);
    const __mmask16 live = static_cast<__mmask16>(~QL_CMP(max, min, _CMP_EQ_OQ));  // the others return early
    __m512 iscale = _mm512_div_ps(set1(static_cast<float>(nmax)), _mm512_sub_ps(max, min));
    __m512 scale = _mm512_div_ps(set1(1.0f), iscale);
    __m512 best_error = zero;
    __m512 Xm[n];  // x - min for the lane's current min
    for (int i = 0; i < n; ++i) {
        Xm[i] = _mm512_sub_ps(X[i], min);
        const __m512 l = round_clamped(_mm512_mul_ps(iscale, Xm[i]), 0.0f, static_cast<float>(nmax));
        Lf[i] = l;
        __m512 diff = _mm512_sub_ps(_mm512_add_ps(_mm512_mul_ps(scale, l), min), X[i]);
        diff = _mm512_mul_ps(diff, diff);
        best_error = _mm512_add_ps(best_error, _mm512_mul_ps(W[i], diff));
    }
    __m512 Laux[n];
    for (int is = 0; is <= nstep; ++is) {
        const float num = rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax);
        iscale = _mm512_div_ps(set1(num), _mm512_sub_ps(max, min));
        __m512 sum_l = zero, sum_l2 = zero, sum_xl = zero;
        for (int i = 0; i < n; ++i) {
            const __m512 fl = round_clamped(_mm512_mul_ps(iscale, Xm[i]), 0.0f, static_cast<float>(nmax));
            Laux[i] = fl;
            const __m512 wl = _mm512_mul_ps(W[i], fl);
            sum_l = _mm512_add_ps(sum_l, wl);
            sum_l2 = _mm512_add_ps(sum_l2, _mm512_mul_ps(wl, fl));
            sum_xl = _mm512_add_ps(sum_xl, _mm512_mul_ps(wl, X[i]));
        }
        const __m512 D = _mm512_sub_ps(_mm512_mul_ps(sum_w, sum_l2), _mm512_mul_ps(sum_l, sum_l));
        const __mmask16 dpos = QL_CMP(D, zero, _CMP_GT_OQ) & live;
        if (dpos == 0) continue;
        __m512 this_scale = _mm512_div_ps(_mm512_sub_ps(_mm512_mul_ps(sum_w, sum_xl), _mm512_mul_ps(sum_x, sum_l)), D);
        __m512 this_min = _mm512_div_ps(_mm512_sub_ps(_mm512_mul_ps(sum_l2, sum_x), _mm512_mul_ps(sum_l, sum_xl)), D);
        const __mmask16 minpos = QL_CMP(this_min, zero, _CMP_GT_OQ);
        this_scale = sel(minpos, _mm512_div_ps(sum_xl, sum_l2), this_scale);
        this_min = sel(minpos, zero, this_min);
        __m512 cur_error = zero;
        for (int i = 0; i < n; ++i) {
            __m512 diff = _mm512_sub_ps(_mm512_add_ps(_mm512_mul_ps(this_scale, Laux[i]), this_min), X[i]);
            diff = _mm512_mul_ps(diff, diff);
            cur_error = _mm512_add_ps(cur_error, _mm512_mul_ps(W[i], diff));
        }
        const __mmask16 take = dpos & QL_CMP(cur_error, best_error, _CMP_LT_OQ);
        if (take == 0) continue;
        best_error = sel(take, cur_error, best_error);
        scale = sel(take, this_scale, scale);
        min = sel(take, this_min, min);
        for (int i = 0; i < n; ++i) {
            Lf[i] = sel(take, Laux[i], Lf[i]);
            Xm[i] = _mm512_mask_sub_ps(Xm[i], take, X[i], min);
        }
    }
    // early-return lanes: L = 0, scale 0, the_min = -min
    for (int i = 0; i < n; ++i) Lf[i] = _mm512_maskz_mov_ps(live, Lf[i]);
    scale_out = _mm512_maskz_mov_ps(live, scale);
    the_min_out = _mm512_xor_ps(min, set1(-0.0f));  // -min, sign of zero included
}

// make_qx_quants(16, 32, x, L, rmse_type 1, NULL) in 16 lanes; returns the scale, Lf = l + 32 as floats.
__m512 make_qx_q6k_lanes(const __m512* X, __m512* Lf) {
    constexpr int n = 16, nmax = 32;
    const __m512 zero = _mm512_setzero_ps();
    __m512 max = zero, amax = zero;
    for (int i = 0; i < n; ++i) {
        const __m512 ax = vabs(X[i]);
        const __mmask16 gt = QL_CMP(ax, amax, _CMP_GT_OQ);
        amax = sel(gt, ax, amax);
        max = sel(gt, X[i], max);
    }
    const __mmask16 tiny = QL_CMP(amax, set1(kGroupMaxEps), _CMP_LT_OQ);
    __m512 iscale = _mm512_div_ps(set1(static_cast<float>(-nmax)), max);
    __m512 WX[n], W[n];  // w x and w, w = x^2
    __m512 sumlx = zero, suml2 = zero;
    for (int i = 0; i < n; ++i) {
        const __m512 fl = round_clamped(_mm512_mul_ps(iscale, X[i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
        Lf[i] = fl;
        W[i] = _mm512_mul_ps(X[i], X[i]);
        WX[i] = _mm512_mul_ps(W[i], X[i]);
        sumlx = _mm512_add_ps(sumlx, _mm512_mul_ps(WX[i], fl));
        suml2 = _mm512_add_ps(suml2, _mm512_mul_ps(_mm512_mul_ps(W[i], fl), fl));
    }
    __m512 scale = _mm512_maskz_div_ps(QL_CMP(suml2, zero, _CMP_NEQ_UQ), sumlx, suml2);
    __m512 best = _mm512_mul_ps(scale, sumlx);
    __m512 Lt[n];
    for (int is = -9; is <= 9; ++is) {
        if (is == 0) continue;
        const float num = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is));
        iscale = _mm512_div_ps(set1(num), max);
        sumlx = suml2 = zero;
        for (int i = 0; i < n; ++i) {
            const __m512 fl = round_clamped(_mm512_mul_ps(iscale, X[i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
            Lt[i] = fl;
            sumlx = _mm512_add_ps(sumlx, _mm512_mul_ps(WX[i], fl));
            suml2 = _mm512_add_ps(suml2, _mm512_mul_ps(_mm512_mul_ps(W[i], fl), fl));
        }
        const __mmask16 take = QL_CMP(suml2, zero, _CMP_GT_OQ) &
                               QL_CMP(_mm512_mul_ps(sumlx, sumlx), _mm512_mul_ps(best, suml2), _CMP_GT_OQ);
        if (take == 0) continue;
        for (int i = 0; i < n; ++i) Lf[i] = sel(take, Lt[i], Lf[i]);
        const __m512 s = _mm512_div_ps(sumlx, suml2);
        scale = sel(take, s, scale);
        best = sel(take, _mm512_mul_ps(s, sumlx), best);
    }
    for (int i = 0; i < n; ++i) Lf[i] = _mm512_maskz_add_ps(static_cast<__mmask16>(~tiny), Lf[i], set1(static_cast<float>(nmax)));
    return _mm512_maskz_mov_ps(static_cast<__mmask16>(~tiny), scale);
}

// IQ4_NL codebook tables (see the file comment).
struct Iq4Tables {
    __m512 thr_lo, thr_hi;     // bucket b's midpoint v[j-1] + v[j] (+inf where it holds none), b = 0..31
    __m512i base_lo, base_hi;  // number of midpoints below bucket b
    __m512 values;             // kvalues_iq4nl as floats
};

Iq4Tables make_iq4_tables() {
    static const std::int8_t kv[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
    alignas(64) float thr[32], v[16];
    alignas(64) std::int32_t base[32];
    for (int b = 0; b < 32; ++b) {
        thr[b] = __builtin_inff();
        base[b] = 0;
        for (int j = 1; j < 16; ++j) {
            const int m = kv[j - 1] + kv[j] + 232;
            if (m < 16 * b) ++base[b];
            else if (m < 16 * b + 16) thr[b] = static_cast<float>(kv[j - 1] + kv[j]);
        }
    }
    for (int j = 0; j < 16; ++j) v[j] = static_cast<float>(kv[j]);
    return Iq4Tables{_mm512_load_ps(thr), _mm512_load_ps(thr + 16), _mm512_load_si512(base), _mm512_load_si512(base + 16),
                     _mm512_load_ps(v)};
}

// best_index_int8 per lane: the midpoints below 2x's bucket, plus one when 2x reaches the bucket's own.
inline __m512i iq4_index(__m512 x, const Iq4Tables& T) {
    const __m512 x2 = _mm512_add_ps(x, x);
    const __m512 u = _mm512_min_ps(_mm512_max_ps(x2, set1(-232.0f)), set1(203.0f));
    const __m512i b = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_add_ps(u, set1(232.0f)), set1(0.0625f)));
    const __mmask16 up = QL_CMP(x2, _mm512_permutex2var_ps(T.thr_lo, b, T.thr_hi), _CMP_GE_OQ);
    const __m512i base = _mm512_permutex2var_epi32(T.base_lo, b, T.base_hi);
    return _mm512_mask_add_epi32(base, up, base, _mm512_set1_epi32(1));
}

// quantize_row_iq4_nl_impl's scale search (block 32, ntry 7, weights x^2) in 16 lanes; returns d.
__m512 iq4nl_scale_lanes(const __m512* X, const Iq4Tables& T) {
    constexpr int n = 32, ntry = 7;
    const __m512 zero = _mm512_setzero_ps();
    __m512 W[n];
    __m512 amax = zero, max = zero;
    for (int j = 0; j < n; ++j) {
        W[j] = _mm512_mul_ps(X[j], X[j]);
        const __m512 ax = vabs(X[j]);
        const __mmask16 gt = QL_CMP(ax, amax, _CMP_GT_OQ);
        amax = sel(gt, ax, amax);
        max = sel(gt, X[j], max);
    }
    const __mmask16 tiny = QL_CMP(amax, set1(kGroupMaxEps), _CMP_LT_OQ);
    __m512 d = _mm512_div_ps(_mm512_xor_ps(max, set1(-0.0f)), set1(-127.0f));
    __m512 id = _mm512_div_ps(set1(1.0f), d);
    auto sums = [&](__m512 idv, __m512& sumqx, __m512& sumq2) {
        sumqx = sumq2 = zero;
        for (int j = 0; j < n; ++j) {
            const __m512 q = _mm512_permutexvar_ps(iq4_index(_mm512_mul_ps(idv, X[j]), T), T.values);
            const __m512 wq = _mm512_mul_ps(W[j], q);
            sumqx = _mm512_add_ps(sumqx, _mm512_mul_ps(wq, X[j]));
            sumq2 = _mm512_add_ps(sumq2, _mm512_mul_ps(wq, q));
        }
    };
    __m512 sumqx, sumq2;
    sums(id, sumqx, sumq2);
    d = _mm512_maskz_div_ps(QL_CMP(sumq2, zero, _CMP_GT_OQ), sumqx, sumq2);
    __m512 best = _mm512_mul_ps(d, sumqx);
    for (int itry = -ntry; itry <= ntry; ++itry) {
        id = _mm512_div_ps(set1(static_cast<float>(itry - 127)), max);
        sums(id, sumqx, sumq2);
        const __mmask16 take = QL_CMP(sumq2, zero, _CMP_GT_OQ) &
                               QL_CMP(_mm512_mul_ps(sumqx, sumqx), _mm512_mul_ps(best, sumq2), _CMP_GT_OQ);
        if (take == 0) continue;
        const __m512 dn = _mm512_div_ps(sumqx, sumq2);
        d = sel(take, dn, d);
        best = sel(take, _mm512_mul_ps(dn, sumqx), best);
    }
    return _mm512_maskz_mov_ps(static_cast<__mmask16>(~tiny), d);
}

// 16 int32 codes -> 16 bytes
inline __m128i bytes_of(__m512i v) { return _mm512_cvtepi32_epi8(v); }

} // namespace

bool ggml_quants_avx512_compiled() { return true; }

std::int64_t quantize_q4_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_K* y) {
    const std::int64_t pairs = nblocks / 2;
    __m512 X[32], W[32], Lf[32];
    alignas(64) float scales[16], mins[16];
    alignas(64) std::uint8_t Lb[32][16];  // the search's codes: Lb[l][lane]
    alignas(64) std::uint8_t L[kQK_K];
    for (std::int64_t p = 0; p < pairs; ++p) {
        const float* xp = x + p * 2 * kQK_K;
        transpose_in<32>(xp, 32, X);  // lane j = sub-block j of the two super-blocks
        __m512 sum_x2 = _mm512_setzero_ps();
        for (int l = 0; l < 32; ++l) sum_x2 = _mm512_add_ps(sum_x2, _mm512_mul_ps(X[l], X[l]));
        const __m512 av_x = _mm512_sqrt_ps(_mm512_div_ps(sum_x2, set1(32.0f)));
        for (int l = 0; l < 32; ++l) W[l] = _mm512_add_ps(av_x, vabs(X[l]));
        __m512 sc, mn;
        make_qkx2_q4k_lanes(X, W, Lf, sc, mn);
        _mm512_store_ps(scales, sc);
        _mm512_store_ps(mins, mn);
        for (int l = 0; l < 32; ++l) _mm_store_si128(reinterpret_cast<__m128i*>(Lb[l]), bytes_of(_mm512_cvtps_epi32(Lf[l])));
        for (int h = 0; h < 2; ++h) {
            BlockQ4_K& blk = y[2 * p + h];
            const float* xb = xp + h * kQK_K;
            q4_k_scales(scales + 8 * h, mins + 8 * h, blk);
            const float dh = half_to_float(blk.d), dmh = half_to_float(blk.dmin);
            for (int j = 0; j < kQK_K / 32; ++j) {
                std::uint8_t s, m;
                scale_min_k4(j, blk.scales, s, m);
                const float d = dh * static_cast<float>(s);
                if (d == 0.0f) {  // the search's codes stay
                    for (int l = 0; l < 32; ++l) L[32 * j + l] = Lb[l][8 * h + j];
                    continue;
                }
                const __m512 vdm = set1(dmh * static_cast<float>(m)), vd = set1(d);
                for (int k = 0; k < 2; ++k) {
                    const __m512 v = _mm512_div_ps(_mm512_add_ps(_mm512_loadu_ps(xb + 32 * j + 16 * k), vdm), vd);
                    _mm_store_si128(reinterpret_cast<__m128i*>(L + 32 * j + 16 * k), bytes_of(nearest_int_clamped(v, 0, 15)));
                }
            }
            q4_k_pack(L, blk);
        }
    }
    return pairs * 2;
}

std::int64_t quantize_q6_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ6_K* y) {
    __m512 X[16], Lf[16];
    alignas(64) float scales[16];
    alignas(64) std::uint8_t Lb[16][16];  // the search's codes: Lb[l][lane]
    alignas(64) std::int8_t L[kQK_K];
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const float* xb = x + b * kQK_K;
        BlockQ6_K& blk = y[b];
        transpose_in<16>(xb, 16, X);  // lane j = sub-block j
        _mm512_store_ps(scales, make_qx_q6k_lanes(X, Lf));
        if (!q6_k_scales(scales, blk)) continue;
        for (int l = 0; l < 16; ++l) _mm_store_si128(reinterpret_cast<__m128i*>(Lb[l]), bytes_of(_mm512_cvtps_epi32(Lf[l])));
        const float dh = half_to_float(blk.d);
        for (int j = 0; j < kQK_K / 16; ++j) {
            const float d = dh * static_cast<float>(blk.scales[j]);
            if (d == 0.0f) {  // the search's codes stay
                for (int l = 0; l < 16; ++l) L[16 * j + l] = static_cast<std::int8_t>(Lb[l][j]);
                continue;
            }
            const __m512 v = _mm512_div_ps(_mm512_loadu_ps(xb + 16 * j), set1(d));
            const __m512i q = _mm512_add_epi32(nearest_int_clamped(v, -32, 31), _mm512_set1_epi32(32));
            _mm_store_si128(reinterpret_cast<__m128i*>(L + 16 * j), bytes_of(q));
        }
        q6_k_pack(L, blk);
    }
    return nblocks;
}

std::int64_t quantize_iq4_nl_blocks_avx512(const float* x, std::int64_t nblocks, BlockIQ4_NL* y) {
    const Iq4Tables T = make_iq4_tables();
    const std::int64_t groups = nblocks / 16;
    __m512 X[32];
    alignas(64) float d[16];
    for (std::int64_t g = 0; g < groups; ++g) {
        const float* xg = x + g * 16 * kQK4_NL;
        transpose_in<32>(xg, kQK4_NL, X);  // lane j = block 16 g + j
        _mm512_store_ps(d, iq4nl_scale_lanes(X, T));
        // finish_iq4_nl per block: fp16 d, every code from the unrounded scale, id = d ? 1 / d : 0
        for (int j = 0; j < 16; ++j) {
            BlockIQ4_NL& blk = y[g * 16 + j];
            const float* xb = xg + j * kQK4_NL;
            blk.d = float_to_half(d[j]);
            const __m512 id = set1(d[j] != 0.0f ? 1 / d[j] : 0.0f);
            const __m512i lo = iq4_index(_mm512_mul_ps(id, _mm512_loadu_ps(xb)), T);
            const __m512i hi = iq4_index(_mm512_mul_ps(id, _mm512_loadu_ps(xb + 16)), T);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs), bytes_of(_mm512_or_si512(lo, _mm512_slli_epi32(hi, 4))));
        }
    }
    return groups * 16;
}

} // namespace ql::ggml::detail
#else

namespace ql::ggml::detail {
bool ggml_quants_avx512_compiled() { return false; }
std::int64_t quantize_q4_k_blocks_avx512(const float*, std::int64_t, BlockQ4_K*) { return 0; }
std::int64_t quantize_q6_k_blocks_avx512(const float*, std::int64_t, BlockQ6_K*) { return 0; }
std::int64_t quantize_iq4_nl_blocks_avx512(const float*, std::int64_t, BlockIQ4_NL*) { return 0; }
} // namespace ql::ggml::detail

#endif
