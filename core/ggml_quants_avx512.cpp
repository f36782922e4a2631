// AVX-512 forms of the ggml scale searches (Q4_K's, Q5_K's and Q2_K's make_qkx2_quants, Q3_K's
// make_q3_quants, Q6_K's make_qx_quants, IQ4_NL's 15 scale tries) that give the scalar reference's bytes
// exactly, and the K formats' decoders. This file alone is compiled with AVX-512 enabled
// (core/CMakeLists.txt); core/ggml_quants.cpp calls it only when the CPU has it.
//
// As in the AVX2 forms (ggml_quants_simd.cpp), each of the 16 lanes runs one sub-block (Q4_K: the 8
// sub-blocks of two super-blocks; Q2_K, Q3_K, Q6_K: the 16 sub-blocks of one super-block; IQ4_NL: 16
// consecutive blocks) through the reference's float32 operations in the reference's order, one IEEE
// operation per lane and step, no contraction, nothing reassociated across lanes. nearest_int followed by a
// clamp to an integer range is rounding (to nearest even) of the clamped value, the same integer for the
// values a search sees (|v| <= 2^22; Q3_K's passes, whose x sl2 / slx can pass that, take the exact form).
// After the search the requantization with the stored scales runs along the sub-block's values instead,
// with nearest_int reproduced bit for bit (add 1.5 * 2^23, read the mantissa), which holds for every input.
// Scale packing and code packing are the scalar reference's own (detail::q4_k_scales, q4_k_pack,
// q6_k_scales, q6_k_pack, q3_k_scales), except Q3_K's codes, whose reference packing branches on every
// value (q3_k_pack_vec gives its bytes).
//
// IQ4_NL's nearest codebook entry: the reference's binary search counts the midpoints
// m_j = v[j-1] + v[j] (integers) that 2x reaches. Cut the range of 2x into buckets narrower than the
// gaps between midpoints: each holds at most one, so the index is the number of midpoints below 2x's
// bucket (a table) plus 1 when 2x reaches the bucket's own (see iq4_index2).
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "core/ggml_blocks.h"
#include "core/ggml_quants_detail.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*(), which -Wuninitialized flags.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "core/ggml_small_avx512_inl.h"

namespace ql::ggml::detail {

namespace {

constexpr float kGroupMaxEps = 1e-15f;  // GROUP_MAX_EPS
// Groups of 16 lanes searched together: every running sum is a chain of dependent additions, so one
// group alone waits on the adder's latency; interleaved groups fill those waits.
constexpr int kQ4kGroups = 2;
constexpr int kQ6kGroups = 2;
constexpr int kIq4nlGroups = 2;
constexpr int kQ3kGroups = 4;

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

// Asks for the `bytes` bytes at p (a whole number of 64-byte lines) ahead of their use: a step of the
// searches takes several thousand cycles, far longer than a line takes to come from memory, so one
// step's lead hides it (the gathers below otherwise wait on every line). A prefetch past the end of the
// values does not fault.
inline void prefetch_ahead(const float* p, int bytes) {
    for (int o = 0; o < bytes; o += 64) _mm_prefetch(reinterpret_cast<const char*>(p) + o, _MM_HINT_T0);
}

// out[c] = column c of the 16 x 16 floats r[0..15] (lane j of out[c] = r[j] lane c): pairs of rows
// interleaved, then pairs of pairs, then 128-bit quarters twice (64 shuffles, where 16 gathers cost
// several times more).
inline void transpose16(const __m512* r, __m512* out) {
    __m512 t[16], u[16], v[16];
    for (int q = 0; q < 8; ++q) {
        t[2 * q] = _mm512_unpacklo_ps(r[2 * q], r[2 * q + 1]);      // per quarter: a0 b0 a1 b1
        t[2 * q + 1] = _mm512_unpackhi_ps(r[2 * q], r[2 * q + 1]);  // a2 b2 a3 b3
    }
    for (int q = 0; q < 4; ++q) {  // u[4q + k], quarter m: rows 4q..4q+3 of column 4m + k
        const __m512d a = _mm512_castps_pd(t[4 * q]), b = _mm512_castps_pd(t[4 * q + 1]);
        const __m512d c = _mm512_castps_pd(t[4 * q + 2]), d = _mm512_castps_pd(t[4 * q + 3]);
        u[4 * q] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        u[4 * q + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        u[4 * q + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        u[4 * q + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int k = 0; k < 4; ++k)
        for (int h = 0; h < 2; ++h) {  // rows 8h..8h+7: columns k, k + 8 (0x88) and k + 4, k + 12 (0xDD)
            v[8 * h + k] = _mm512_shuffle_f32x4(u[8 * h + k], u[8 * h + 4 + k], 0x88);
            v[8 * h + 4 + k] = _mm512_shuffle_f32x4(u[8 * h + k], u[8 * h + 4 + k], 0xDD);
        }
    for (int k = 0; k < 4; ++k) {
        out[k] = _mm512_shuffle_f32x4(v[k], v[8 + k], 0x88);
        out[k + 8] = _mm512_shuffle_f32x4(v[k], v[8 + k], 0xDD);
        out[k + 4] = _mm512_shuffle_f32x4(v[4 + k], v[12 + k], 0x88);
        out[k + 12] = _mm512_shuffle_f32x4(v[4 + k], v[12 + k], 0xDD);
    }
}

// Lane j of out[l] = x[j * N + l], l = 0..N-1 (16 consecutive runs of N values, N = 16 or 32).
template <int N>
inline void transpose_in(const float* x, __m512* out) {
    static_assert(N == 16 || N == 32);
    for (int c = 0; c < N; c += 16) {
        __m512 r[16];
        for (int j = 0; j < 16; ++j) r[j] = _mm512_loadu_ps(x + j * N + c);
        transpose16(r, out + c);
    }
}

// True when one of the G x N vectors holds an infinity or a NaN. The searches assume finite values: they
// stop before such a step, and their caller leaves its blocks to the scalar reference (this costs one
// class test per vector of a search that does dozens of operations per vector, where a separate sweep
// for non-finite values read the whole tensor once more).
template <int G, int N>
inline bool any_nonfinite(const __m512 (&X)[G][N]) {
    __mmask16 bad = 0;
    for (int g = 0; g < G; ++g)
        for (int l = 0; l < N; ++l) bad |= _mm512_fpclass_ps_mask(X[g][l], 0x99);  // quiet NaN, +inf, -inf, signalling NaN
    return bad != 0;
}

// The iscale the codes are worked out with: an infinite iscale (a sub-block whose range is below
// nmax / FLT_MAX: float subnormals) makes every product iscale (x - min) +inf or NaN, which ggml's
// nearest_int and clamp turn into code 0 where the processor's rounding and clamp give nmax (+inf); iscale
// 0 gives code 0 here. (A NaN iscale is a lane that returns early.)
inline __m512 code_scale(__m512 iscale) { return _mm512_maskz_mov_ps(QL_CMP(iscale, set1(__builtin_inff()), _CMP_NEQ_UQ), iscale); }

// make_qkx2_quants(n, nmax, x, weights, L, &the_min, Laux, rmin, 0.1, nstep, mad) in G groups of 16 lanes
// (Q4_K: 32 values, nmax 15, rmin -1, 20 steps; Q5_K: 32, nmax 31, rmin -0.5, 15 steps; Q2_K: 16, nmax 3,
// rmin -0.5, 15 steps, absolute error),
// the groups interleaved so that their running sums (each a chain of dependent additions) overlap.
// Lf: the codes as floats.
// A trial's codes are round(clamp(iscale (x - min))) for the trial's iscale and the min it started from,
// so a lane that takes a trial only notes those two; the chosen codes are worked out once at the end
// from them, with the same operations (copying 32 codes per taken trial cost more than the trial's sums).
template <int G, int n, int nmax, int nstep, bool mad>
void make_qkx2_lanes(const __m512 (*X)[n], const __m512 (*W)[n], __m512 (*Lf)[n], __m512* scale_out, __m512* the_min_out,
                     float rmin) {
    const float rdelta = 0.1f;
    // the error of one value: squared, or absolute (use_mad)
    const auto err = [](__m512 diff) { return mad ? vabs(diff) : _mm512_mul_ps(diff, diff); };
    const __m512 zero = _mm512_setzero_ps();
    __m512 min[G], max[G], sum_w[G], sum_x[G], scale[G], best_error[G];
    __m512 code_iscale[G], code_min[G];  // the iscale and min that gave the lane's chosen codes
    __mmask16 live[G];  // lanes that do not return early
    for (int g = 0; g < G; ++g) {
        min[g] = max[g] = X[g][0];
        sum_w[g] = W[g][0];
        sum_x[g] = _mm512_mul_ps(sum_w[g], X[g][0]);
    }
    for (int i = 1; i < n; ++i)
        for (int g = 0; g < G; ++g) {
            min[g] = sel(QL_CMP(X[g][i], min[g], _CMP_LT_OQ), X[g][i], min[g]);
            max[g] = sel(QL_CMP(X[g][i], max[g], _CMP_GT_OQ), X[g][i], max[g]);
            sum_w[g] = _mm512_add_ps(sum_w[g], W[g][i]);
            sum_x[g] = _mm512_add_ps(sum_x[g], _mm512_mul_ps(W[g][i], X[g][i]));
        }
    __m512 iscale[G];
    __m512 lowest[G];  // the smallest x
    for (int g = 0; g < G; ++g) {
        lowest[g] = min[g];
        min[g] = sel(QL_CMP(min[g], zero, _CMP_GT_OQ), zero, min[g]);
        live[g] = static_cast<__mmask16>(~QL_CMP(max[g], min[g], _CMP_EQ_OQ));
        iscale[g] = _mm512_div_ps(set1(static_cast<float>(nmax)), _mm512_sub_ps(max[g], min[g]));
        scale[g] = _mm512_div_ps(set1(1.0f), iscale[g]);
        iscale[g] = code_scale(iscale[g]);
        best_error[g] = zero;
        code_iscale[g] = iscale[g];
        code_min[g] = min[g];
    }
    for (int i = 0; i < n; ++i)
        for (int g = 0; g < G; ++g) {
            const __m512 l = round_clamped(_mm512_mul_ps(iscale[g], _mm512_sub_ps(X[g][i], min[g])), 0.0f, static_cast<float>(nmax));
            __m512 diff = _mm512_sub_ps(_mm512_add_ps(_mm512_mul_ps(scale[g], l), min[g]), X[g][i]);
            diff = err(diff);
            best_error[g] = _mm512_add_ps(best_error[g], _mm512_mul_ps(W[g][i], diff));
        }
    __m512 Laux[G][n];
    for (int is = 0; is <= nstep; ++is) {
        const float num = rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax);
        __m512 sum_l[G], sum_l2[G], sum_xl[G];
        // The clamp to [0, nmax] changes nothing when every product iscale (x - min) lies in
        // [-0.5, nmax + 0.5): rounding gives 0..nmax there (-0 for a product in [-0.5, 0), which
        // every later sum and product treats as 0). The products are monotone in x, so the largest
        // and smallest x decide.
        bool unclamped = true;
        for (int g = 0; g < G; ++g) {
            const __m512 range = _mm512_sub_ps(max[g], min[g]);
            iscale[g] = code_scale(_mm512_div_ps(set1(num), range));
            sum_l[g] = sum_l2[g] = sum_xl[g] = zero;
            const __mmask16 inside = QL_CMP(_mm512_mul_ps(iscale[g], range), set1(nmax + 0.5f), _CMP_LT_OQ) &
                                     QL_CMP(_mm512_mul_ps(iscale[g], _mm512_sub_ps(lowest[g], min[g])), set1(-0.5f), _CMP_GE_OQ);
            unclamped = unclamped && (inside | static_cast<__mmask16>(~live[g])) == 0xFFFF;
        }
        auto trial = [&](auto clamp) {
            for (int i = 0; i < n; ++i)
                for (int g = 0; g < G; ++g) {
                    const __m512 v = _mm512_mul_ps(iscale[g], _mm512_sub_ps(X[g][i], min[g]));
                    const __m512 fl = clamp ? round_clamped(v, 0.0f, static_cast<float>(nmax))
                                            : _mm512_roundscale_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
                    Laux[g][i] = fl;
                    const __m512 wl = _mm512_mul_ps(W[g][i], fl);
                    sum_l[g] = _mm512_add_ps(sum_l[g], wl);
                    sum_l2[g] = _mm512_add_ps(sum_l2[g], _mm512_mul_ps(wl, fl));
                    sum_xl[g] = _mm512_add_ps(sum_xl[g], _mm512_mul_ps(wl, X[g][i]));
                }
        };
        if (unclamped)
            trial(std::false_type{});
        else
            trial(std::true_type{});
        __mmask16 dpos[G];
        __m512 this_scale[G], this_min[G], cur_error[G];
        unsigned any = 0;
        for (int g = 0; g < G; ++g) {
            const __m512 D = _mm512_sub_ps(_mm512_mul_ps(sum_w[g], sum_l2[g]), _mm512_mul_ps(sum_l[g], sum_l[g]));
            dpos[g] = QL_CMP(D, zero, _CMP_GT_OQ) & live[g];
            any |= dpos[g];
            this_scale[g] = _mm512_div_ps(_mm512_sub_ps(_mm512_mul_ps(sum_w[g], sum_xl[g]), _mm512_mul_ps(sum_x[g], sum_l[g])), D);
            this_min[g] = _mm512_div_ps(_mm512_sub_ps(_mm512_mul_ps(sum_l2[g], sum_x[g]), _mm512_mul_ps(sum_l[g], sum_xl[g])), D);
            const __mmask16 minpos = QL_CMP(this_min[g], zero, _CMP_GT_OQ);
            this_scale[g] = sel(minpos, _mm512_div_ps(sum_xl[g], sum_l2[g]), this_scale[g]);
            this_min[g] = sel(minpos, zero, this_min[g]);
            cur_error[g] = zero;
        }
        if (any == 0) continue;
        for (int i = 0; i < n; ++i)
            for (int g = 0; g < G; ++g) {
                __m512 diff = _mm512_sub_ps(_mm512_add_ps(_mm512_mul_ps(this_scale[g], Laux[g][i]), this_min[g]), X[g][i]);
                diff = err(diff);
                cur_error[g] = _mm512_add_ps(cur_error[g], _mm512_mul_ps(W[g][i], diff));
            }
        for (int g = 0; g < G; ++g) {
            const __mmask16 take = dpos[g] & QL_CMP(cur_error[g], best_error[g], _CMP_LT_OQ);
            best_error[g] = sel(take, cur_error[g], best_error[g]);
            scale[g] = sel(take, this_scale[g], scale[g]);
            code_iscale[g] = sel(take, iscale[g], code_iscale[g]);
            code_min[g] = sel(take, min[g], code_min[g]);
            min[g] = sel(take, this_min[g], min[g]);
        }
    }
    // the chosen codes (a taken trial's clamp-free rounding gave the same integers); early-return lanes:
    // L = 0, scale 0, the_min = -min
    for (int g = 0; g < G; ++g) {
        for (int i = 0; i < n; ++i)
            Lf[g][i] = _mm512_maskz_mov_ps(
                live[g], round_clamped(_mm512_mul_ps(code_iscale[g], _mm512_sub_ps(X[g][i], code_min[g])), 0.0f, static_cast<float>(nmax)));
        scale_out[g] = _mm512_maskz_mov_ps(live[g], scale[g]);
        the_min_out[g] = _mm512_xor_ps(min[g], set1(-0.0f));  // -min, sign of zero included
    }
}

// make_qx_quants(16, 32, x, L, rmse_type 1, NULL) in G interleaved groups of 16 lanes; scale[g] = the
// scales, Lf = l + 32 as floats. As in Q4_K's search, a lane notes the iscale of the trial it takes and
// its codes are worked out once at the end.
template <int G>
void make_qx_q6k_lanes(const __m512 (*X)[16], __m512 (*Lf)[16], __m512* scale_out) {
    constexpr int n = 16, nmax = 32;
    const __m512 zero = _mm512_setzero_ps();
    __m512 max[G], amax[G], iscale[G], sumlx[G], suml2[G], scale[G], best[G], code_iscale[G];
    __mmask16 tiny[G];
    for (int g = 0; g < G; ++g) max[g] = amax[g] = zero;
    for (int i = 0; i < n; ++i)
        for (int g = 0; g < G; ++g) {
            const __m512 ax = vabs(X[g][i]);
            const __mmask16 gt = QL_CMP(ax, amax[g], _CMP_GT_OQ);
            amax[g] = sel(gt, ax, amax[g]);
            max[g] = sel(gt, X[g][i], max[g]);
        }
    for (int g = 0; g < G; ++g) {
        tiny[g] = QL_CMP(amax[g], set1(kGroupMaxEps), _CMP_LT_OQ);
        iscale[g] = _mm512_div_ps(set1(static_cast<float>(-nmax)), max[g]);
        code_iscale[g] = iscale[g];
        sumlx[g] = suml2[g] = zero;
    }
    __m512 WX[G][n], W[G][n];  // w x and w, w = x^2
    for (int i = 0; i < n; ++i)
        for (int g = 0; g < G; ++g) {
            const __m512 fl = round_clamped(_mm512_mul_ps(iscale[g], X[g][i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
            W[g][i] = _mm512_mul_ps(X[g][i], X[g][i]);
            WX[g][i] = _mm512_mul_ps(W[g][i], X[g][i]);
            sumlx[g] = _mm512_add_ps(sumlx[g], _mm512_mul_ps(WX[g][i], fl));
            suml2[g] = _mm512_add_ps(suml2[g], _mm512_mul_ps(_mm512_mul_ps(W[g][i], fl), fl));
        }
    for (int g = 0; g < G; ++g) {
        scale[g] = _mm512_maskz_div_ps(QL_CMP(suml2[g], zero, _CMP_NEQ_UQ), sumlx[g], suml2[g]);
        best[g] = _mm512_mul_ps(scale[g], sumlx[g]);
    }
    for (int is = -9; is <= 9; ++is) {
        if (is == 0) continue;
        const float num = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is));
        for (int g = 0; g < G; ++g) {
            iscale[g] = _mm512_div_ps(set1(num), max[g]);
            sumlx[g] = suml2[g] = zero;
        }
        for (int i = 0; i < n; ++i)
            for (int g = 0; g < G; ++g) {
                const __m512 fl = round_clamped(_mm512_mul_ps(iscale[g], X[g][i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
                sumlx[g] = _mm512_add_ps(sumlx[g], _mm512_mul_ps(WX[g][i], fl));
                suml2[g] = _mm512_add_ps(suml2[g], _mm512_mul_ps(_mm512_mul_ps(W[g][i], fl), fl));
            }
        for (int g = 0; g < G; ++g) {
            const __mmask16 take = QL_CMP(suml2[g], zero, _CMP_GT_OQ) &
                                   QL_CMP(_mm512_mul_ps(sumlx[g], sumlx[g]), _mm512_mul_ps(best[g], suml2[g]), _CMP_GT_OQ);
            if (take == 0) continue;
            code_iscale[g] = sel(take, iscale[g], code_iscale[g]);
            const __m512 sc = _mm512_div_ps(sumlx[g], suml2[g]);
            scale[g] = sel(take, sc, scale[g]);
            best[g] = sel(take, _mm512_mul_ps(sc, sumlx[g]), best[g]);
        }
    }
    for (int g = 0; g < G; ++g) {
        const __mmask16 keep = static_cast<__mmask16>(~tiny[g]);
        for (int i = 0; i < n; ++i) {
            const __m512 fl = round_clamped(_mm512_mul_ps(code_iscale[g], X[g][i]), static_cast<float>(-nmax), static_cast<float>(nmax - 1));
            Lf[g][i] = _mm512_maskz_add_ps(keep, fl, set1(static_cast<float>(nmax)));
        }
        scale_out[g] = _mm512_maskz_mov_ps(keep, scale[g]);
    }
}

// IQ4_NL codebook tables (see the file comment).
struct Iq4Tables {
    __m512 thr_lo, thr_hi;     // bucket b's midpoint v[j-1] + v[j] (+inf where it holds none), b = 0..31
    __m512i base_lo, base_hi;  // number of midpoints below bucket b
    __m512 values;             // kvalues_iq4nl as floats
};

// Buckets of 2x: b = [17 b - 272.5, 17 b - 255.5), b = 0..31, covering |2x| < 272. 17 is below the
// smallest gap between midpoints (23), so a bucket holds at most one, and the edges lie half-way
// between integers, 0.5 from every midpoint.
constexpr float kIq4BucketWidth = 17.0f, kIq4BucketStart = -272.5f, kIq4Reach = 268.0f;
constexpr std::int8_t kIq4Values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

constexpr bool iq4_buckets_hold_one_midpoint() {
    for (int b = 0; b < 32; ++b) {
        const float lo = kIq4BucketStart + kIq4BucketWidth * static_cast<float>(b);
        int held = 0;
        for (int j = 1; j < 16; ++j) {
            const float m = static_cast<float>(kIq4Values[j - 1] + kIq4Values[j]);
            held += (m >= lo && m < lo + kIq4BucketWidth) ? 1 : 0;
        }
        if (held > 1) return false;
    }
    return kIq4BucketStart + 32 * kIq4BucketWidth > kIq4Reach && kIq4BucketStart < -kIq4Reach;
}
static_assert(iq4_buckets_hold_one_midpoint(), "an IQ4_NL bucket holds two midpoints, or the buckets miss +-268");

Iq4Tables make_iq4_tables() {
    const std::int8_t* kv = kIq4Values;
    alignas(64) float thr[32], v[16];
    alignas(64) std::int32_t base[32];
    for (int b = 0; b < 32; ++b) {
        thr[b] = __builtin_inff();
        base[b] = 0;
        const float lo = kIq4BucketStart + kIq4BucketWidth * static_cast<float>(b);
        for (int j = 1; j < 16; ++j) {
            const float m = static_cast<float>(kv[j - 1] + kv[j]);
            if (m < lo) ++base[b];
            else if (m < lo + kIq4BucketWidth) thr[b] = m;
        }
    }
    for (int j = 0; j < 16; ++j) v[j] = static_cast<float>(kv[j]);
    return Iq4Tables{_mm512_load_ps(thr), _mm512_load_ps(thr + 16), _mm512_load_si512(base), _mm512_load_si512(base + 16),
                     _mm512_load_ps(v)};
}

// best_index_int8 per lane from x2 = 2x, |x2| <= 268: the midpoints below x2's bucket, plus one when x2
// reaches the bucket's own. The bucket is trunc(x2 / 17 + 272.5 / 17) computed with an FMA from
// rounded constants: off by less than 1e-5 of a bucket, which moves no value across an edge it is
// not within 2e-4 of, and no midpoint is nearer than 0.5 to an edge.
inline __m512i iq4_index2(__m512 x2, const Iq4Tables& T) {
    const __m512i b = _mm512_cvttps_epi32(
        _mm512_fmadd_ps(x2, set1(1.0f / kIq4BucketWidth), set1(-kIq4BucketStart / kIq4BucketWidth)));
    const __mmask16 up = QL_CMP(x2, _mm512_permutex2var_ps(T.thr_lo, b, T.thr_hi), _CMP_GE_OQ);
    const __m512i base = _mm512_permutex2var_epi32(T.base_lo, b, T.base_hi);
    return _mm512_mask_add_epi32(base, up, base, _mm512_set1_epi32(1));
}

// best_index_int8(id * x) per lane for |id * x| <= 134 (the search's inverse scales: |id| <= 134 / max|x|),
// given id2 = id + id: (id + id) * x = (id * x) + (id * x) exactly (doubling is exact; where id * x
// overflows, so does the sum, and below 2^-125 both are far inside the bucket around 0).
inline __m512i iq4_index(__m512 id2, __m512 x, const Iq4Tables& T) { return iq4_index2(_mm512_mul_ps(id2, x), T); }

// The same for any id * x: 2x is first clamped to +-268, beyond every midpoint (|m| <= 231).
inline __m512i iq4_index_any(__m512 id2, __m512 x, const Iq4Tables& T) {
    const __m512 x2 = _mm512_mul_ps(id2, x);
    return iq4_index2(_mm512_min_ps(_mm512_max_ps(x2, set1(-kIq4Reach)), set1(kIq4Reach)), T);
}

// quantize_row_iq4_nl_impl's scale search (block 32, ntry 7, weights x^2) in G interleaved groups of
// 16 lanes; d[g] = the scales.
template <int G>
void iq4nl_scale_lanes(const __m512 (*X)[32], const Iq4Tables& T, __m512* d_out) {
    constexpr int n = 32, ntry = 7;
    const __m512 zero = _mm512_setzero_ps();
    __m512 W[G][n];
    __m512 amax[G], max[G], d[G], best[G], sumqx[G], sumq2[G];
    __mmask16 tiny[G];
    for (int g = 0; g < G; ++g) amax[g] = max[g] = zero;
    for (int j = 0; j < n; ++j)
        for (int g = 0; g < G; ++g) {
            W[g][j] = _mm512_mul_ps(X[g][j], X[g][j]);
            const __m512 ax = vabs(X[g][j]);
            const __mmask16 gt = QL_CMP(ax, amax[g], _CMP_GT_OQ);
            amax[g] = sel(gt, ax, amax[g]);
            max[g] = sel(gt, X[g][j], max[g]);
        }
    auto sums = [&](const __m512* idv) {
        __m512 id2[G];
        for (int g = 0; g < G; ++g) {
            id2[g] = _mm512_add_ps(idv[g], idv[g]);
            sumqx[g] = sumq2[g] = zero;
        }
        for (int j = 0; j < n; ++j)
            for (int g = 0; g < G; ++g) {
                const __m512 q = _mm512_permutexvar_ps(iq4_index(id2[g], X[g][j], T), T.values);
                const __m512 wq = _mm512_mul_ps(W[g][j], q);
                sumqx[g] = _mm512_add_ps(sumqx[g], _mm512_mul_ps(wq, X[g][j]));
                sumq2[g] = _mm512_add_ps(sumq2[g], _mm512_mul_ps(wq, q));
            }
    };
    __m512 id[G];
    for (int g = 0; g < G; ++g) {
        tiny[g] = QL_CMP(amax[g], set1(kGroupMaxEps), _CMP_LT_OQ);
        d[g] = _mm512_div_ps(_mm512_xor_ps(max[g], set1(-0.0f)), set1(-127.0f));
        id[g] = _mm512_div_ps(set1(1.0f), d[g]);
    }
    sums(id);
    for (int g = 0; g < G; ++g) {
        d[g] = _mm512_maskz_div_ps(QL_CMP(sumq2[g], zero, _CMP_GT_OQ), sumqx[g], sumq2[g]);
        best[g] = _mm512_mul_ps(d[g], sumqx[g]);
    }
    for (int itry = -ntry; itry <= ntry; ++itry) {
        for (int g = 0; g < G; ++g) id[g] = _mm512_div_ps(set1(static_cast<float>(itry - 127)), max[g]);
        sums(id);
        for (int g = 0; g < G; ++g) {
            const __mmask16 take = QL_CMP(sumq2[g], zero, _CMP_GT_OQ) &
                                   QL_CMP(_mm512_mul_ps(sumqx[g], sumqx[g]), _mm512_mul_ps(best[g], sumq2[g]), _CMP_GT_OQ);
            if (take == 0) continue;
            const __m512 dn = _mm512_div_ps(sumqx[g], sumq2[g]);
            d[g] = sel(take, dn, d[g]);
            best[g] = sel(take, _mm512_mul_ps(dn, sumqx[g]), best[g]);
        }
    }
    for (int g = 0; g < G; ++g) d_out[g] = _mm512_maskz_mov_ps(static_cast<__mmask16>(~tiny[g]), d[g]);
}

// 16 int32 codes -> 16 bytes
inline __m128i bytes_of(__m512i v) { return _mm512_cvtepi32_epi8(v); }

// ---------------------------------------------------------------------------------- Q8_0, Q4_0, Q4_1, Q5_0
// Sixteen 32-value blocks at a time, one block per lane for everything done once per block (its extreme
// values, scale, fp16 scale, grid), then block by block along its values with the block's numbers
// broadcast. Per block the reference takes max |x| (Q8_0), the first value of largest magnitude (Q4_0,
// Q5_0) or min and max (Q4_1), all exact in any order; the scale d and id = d != 0 ? 1 / d : 0 are single
// IEEE operations, so a lane gives the reference's float. Every value's code is the reference's own
// operations: Q4_0 min(15, (int)(x id + 8.5)), Q5_0 min(31, (int)(x id + 16.5)), Q4_1
// min(15, (int)((x - min) id + 0.5)), Q8_0 roundf(x id) (half away from zero: trunc, then one step away
// when the exact remainder is at least one half). The fp16 scale is the processor's conversion, rounding
// to nearest even as float_to_half does.

// How far ahead the values are fetched, in groups of 16 blocks (2 KiB each): the work per group is short
// next to the time a line takes to come from memory.
constexpr int kPrefetchGroups = 4;

// Lane b of the result = op over the 16 lanes of m[b]: four levels, each halving the partial values per
// vector (whole 128-bit quarters, then pairs of quarters' lanes). The levels leave vector 4k + p of their
// input in lane 4p + k, so the input is taken in that order.
template <class Op>
inline __m512 reduce16(const __m512* m, Op op) {
    auto in = [&](int i) { return m[((i & 3) << 2) | (i >> 2)]; };
    __m512 r[8], s[4], u[2];
    for (int j = 0; j < 8; ++j) {  // lanes 0-7: vector 2j's 8 partials, 8-15: vector 2j + 1's
        const __m512 a = in(2 * j), b = in(2 * j + 1);
        r[j] = op(_mm512_shuffle_f32x4(a, b, 0x44), _mm512_shuffle_f32x4(a, b, 0xEE));
    }
    for (int j = 0; j < 4; ++j)  // quarter q: vector 4j + q's 4 partials
        s[j] = op(_mm512_shuffle_f32x4(r[2 * j], r[2 * j + 1], 0x88), _mm512_shuffle_f32x4(r[2 * j], r[2 * j + 1], 0xDD));
    for (int j = 0; j < 2; ++j)  // quarter q: 2 partials of vector 8j + q, 2 of vector 8j + 4 + q
        u[j] = op(_mm512_shuffle_ps(s[2 * j], s[2 * j + 1], 0x44), _mm512_shuffle_ps(s[2 * j], s[2 * j + 1], 0xEE));
    return op(_mm512_shuffle_ps(u[0], u[1], 0x88), _mm512_shuffle_ps(u[0], u[1], 0xDD));
}

inline __m512 vmax(__m512 a, __m512 b) { return _mm512_max_ps(a, b); }
inline __m512 vmin(__m512 a, __m512 b) { return _mm512_min_ps(a, b); }

// The first value of the 32 at xb equal to +a or -a (a > 0: the block's largest magnitude), which the
// reference's scan keeps when both signs reach it.
inline float first_of_magnitude(const float* xb, float a) {
    for (int j = 0; j < 32; ++j)
        if (xb[j] == a || xb[j] == -a) return xb[j];
    return a;
}

// The first zero of the 32 at xb, sign included (the reference keeps the first of equal minima or maxima).
inline float first_zero(const float* xb) {
    for (int j = 0; j < 32; ++j)
        if (xb[j] == 0.0f) return xb[j];
    return 0.0f;
}

// The analysis' figures of a block (see BlockBoundsArgs), lane by lane: level(q) is the dequantizer's
// expression (level_of, core/ggml_small_avx512_inl.h); the reach is [a0 - (a1 - a0) / 2, z0 + (z0 - z1) / 2]
// for ascending levels a0 = level(qmin), a1, ..., z1, z0 = level(qmax) (mirrored for descending ones,
// unlimited when a0 == z0).
template <Small K>
inline void grid_reach(__m512 d, __m512 m, __m512& lo, __m512& hi) {
    constexpr float qmin = K == Small::Q8_0 ? -128.0f : K == Small::Q4_0 ? -8.0f : K == Small::Q5_0 ? -16.0f : 0.0f;
    constexpr float qmax = K == Small::Q8_0 ? 127.0f : K == Small::Q4_0 ? 7.0f : K == Small::Q5_0 ? 15.0f : 15.0f;
    const __m512 a0 = level_of<K>(set1(qmin), d, m), a1 = level_of<K>(set1(qmin + 1.0f), d, m);
    const __m512 z1 = level_of<K>(set1(qmax - 1.0f), d, m), z0 = level_of<K>(set1(qmax), d, m);
    const __m512 half = set1(0.5f);
    const __mmask16 flat = QL_CMP(a0, z0, _CMP_EQ_OQ), up = QL_CMP(a0, z0, _CMP_LT_OQ);
    const __m512 lo_up = _mm512_sub_ps(a0, _mm512_mul_ps(_mm512_sub_ps(a1, a0), half));
    const __m512 hi_up = _mm512_add_ps(z0, _mm512_mul_ps(_mm512_sub_ps(z0, z1), half));
    const __m512 lo_down = _mm512_sub_ps(z0, _mm512_mul_ps(_mm512_sub_ps(z1, z0), half));
    const __m512 hi_down = _mm512_add_ps(a0, _mm512_mul_ps(_mm512_sub_ps(a0, a1), half));
    lo = sel(flat, set1(-__builtin_inff()), sel(up, lo_up, lo_down));
    hi = sel(flat, set1(__builtin_inff()), sel(up, hi_up, hi_down));
}

template <Small K>
struct SmallBlock;
template <> struct SmallBlock<Small::Q8_0> { using type = BlockQ8_0; };
template <> struct SmallBlock<Small::Q4_0> { using type = BlockQ4_0; };
template <> struct SmallBlock<Small::Q4_1> { using type = BlockQ4_1; };
template <> struct SmallBlock<Small::Q5_0> { using type = BlockQ5_0; };

// The reference's scale d, its inverse id = d != 0 ? 1 / d : 0 and (Q4_1) minimum of 16 blocks, one per
// lane, from each block's min and max (pmin, pmax): Q8_0 amax / 127; Q4_0, Q5_0 the first value of largest
// magnitude over -8 or -16 (where both signs reach it, the block's values at xg + 32 b decide); Q4_1
// (max - min) / 15 and the min, a zero carrying the sign of the block's first zero. Shared by the quantizer
// and the bounds from block ranges, so that both take the same float operations. Only the lanes of
// `valid` are blocks whose values may be read.
template <Small K>
inline void block_scales(const float* xg, __m512 pmin, __m512 pmax, __m512& d, __m512& id, __m512& mins,
                         __mmask16 valid = 0xFFFF) {
    const __m512 zero = _mm512_setzero_ps();
    mins = zero;
    if constexpr (K == Small::Q4_1) {
        // min and max: exact, but a zero's sign is the first zero's
        __m512 lo = pmin, hi = pmax;
        const __mmask16 zeros = static_cast<__mmask16>((QL_CMP(lo, zero, _CMP_EQ_OQ) | QL_CMP(hi, zero, _CMP_EQ_OQ)) & valid);
        if (zeros) {
            alignas(64) float la[16], ha[16];
            _mm512_store_ps(la, lo);
            _mm512_store_ps(ha, hi);
            for (unsigned z = zeros; z; z &= z - 1) {
                const int b = __builtin_ctz(z);
                const float f = first_zero(xg + 32 * b);
                if (la[b] == 0.0f) la[b] = f;
                if (ha[b] == 0.0f) ha[b] = f;
            }
            lo = _mm512_load_ps(la);
            hi = _mm512_load_ps(ha);
        }
        mins = lo;
        d = _mm512_div_ps(_mm512_sub_ps(hi, lo), set1(15.0f));
    } else {
        const __m512 nmin = _mm512_sub_ps(zero, pmin);  // -min (exact; the sign of a zero does not matter here)
        const __m512 amax = _mm512_max_ps(pmax, nmin);
        if constexpr (K == Small::Q8_0) {
            d = _mm512_div_ps(amax, set1(127.0f));
        } else {
            // the first value of largest magnitude: the max, the min, or, when both reach it, the first
            const __mmask16 pos = QL_CMP(pmax, nmin, _CMP_GT_OQ), neg = QL_CMP(pmax, nmin, _CMP_LT_OQ);
            const __mmask16 tie = static_cast<__mmask16>(~(pos | neg) & ~QL_CMP(amax, zero, _CMP_EQ_OQ) & valid);
            __m512 m = _mm512_mask_blend_ps(neg, _mm512_maskz_mov_ps(pos, pmax), pmin);  // all zero: +0
            if (tie) {
                alignas(64) float tmp[16], aa[16];
                _mm512_store_ps(tmp, m);
                _mm512_store_ps(aa, amax);
                for (unsigned t = tie; t; t &= t - 1) {
                    const int b = __builtin_ctz(t);
                    tmp[b] = first_of_magnitude(xg + 32 * b, aa[b]);
                }
                m = _mm512_load_ps(tmp);
            }
            d = _mm512_div_ps(m, set1(K == Small::Q4_0 ? -8.0f : -16.0f));
        }
    }
    id = _mm512_maskz_div_ps(QL_CMP(d, zero, _CMP_NEQ_UQ), set1(1.0f), d);
}

// One group of 16 blocks (one per lane): each block's min and max, the reference's d, id and (Q4_1)
// minimum (block_scales), the fp16 scale and minimum and their floats.
struct SmallGroup {
    __m512 pmin, pmax, d, id, mins, df, mf;
    __m256i dhv, mhv;
};
// false (sg unset) where the group's 512 values at xg hold a NaN or an infinity.
template <Small K>
inline bool small_group(const float* xg, SmallGroup& sg) {
    __m512 mx[16], mn[16];
    __mmask16 bad = 0;
    for (int b = 0; b < 16; ++b) {
        const __m512 v0 = _mm512_loadu_ps(xg + 32 * b), v1 = _mm512_loadu_ps(xg + 32 * b + 16);
        bad |= static_cast<__mmask16>(_mm512_fpclass_ps_mask(v0, 0x99) | _mm512_fpclass_ps_mask(v1, 0x99));  // NaN, +-Inf
        mx[b] = _mm512_max_ps(v0, v1);
        mn[b] = _mm512_min_ps(v0, v1);
    }
    if (bad) return false;
    sg.pmax = reduce16(mx, vmax);  // lane b: block b's max and min
    sg.pmin = reduce16(mn, vmin);
    block_scales<K>(xg, sg.pmin, sg.pmax, sg.d, sg.id, sg.mins);
    sg.dhv = _mm512_cvtps_ph(sg.d, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    sg.df = _mm512_cvtph_ps(sg.dhv);
    sg.mhv = _mm256_setzero_si256();
    sg.mf = _mm512_setzero_ps();
    if constexpr (K == Small::Q4_1) {
        sg.mhv = _mm512_cvtps_ph(sg.mins, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        sg.mf = _mm512_cvtph_ps(sg.mhv);
    }
    return true;
}

// Groups of 16 whole blocks; stops before a group holding a non-finite value (left to the next path) and,
// with bounds, before one whose fp16 scale or minimum is not finite (whose levels the analysis' scalar
// path works out). Returns the blocks done. Decode (with Bounds): no blocks are stored; the values are
// written as dequantize_block gives them to yv, their codes (block_codes) to codes when not null, and
// each block's clipped count to bb->clipped; bb's lo, hi and err are left alone.
template <Small K, bool Bounds, bool Decode = false>
std::int64_t quantize_small_avx512(const float* x, std::int64_t nblocks, typename SmallBlock<K>::type* y, BlockBoundsArgs* bb,
                                   float* yv = nullptr, std::int8_t* codes = nullptr) {
    static_assert(Bounds || !Decode, "decoding works out the clipped counts");
    const std::int64_t groups = nblocks / 16;
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    __m512 vlo = set1(__builtin_inff()), vhi = set1(-__builtin_inff()), verr = _mm512_setzero_ps();
    alignas(64) float ida[16], dfa[16], mina[16], mfa[16], eloa[16], ehia[16];
    alignas(32) std::uint16_t dh[16], mh[16];
    std::int64_t g = 0;
    for (; g < groups; ++g) {
        const float* xg = x + g * 16 * 32;
        // the values of the group kPrefetchGroups on are asked for now (past the end too: a prefetch
        // does not fault, and the caller's next blocks usually follow); not when decoding, whose caller
        // hands over values in cache and fetches its next ones itself
        if constexpr (!Decode)
            for (int l = 0; l < 16 * 32; l += 16) _mm_prefetch(reinterpret_cast<const char*>(xg + kPrefetchGroups * 16 * 32 + l), _MM_HINT_T0);
        SmallGroup sg;
        if (!small_group<K>(xg, sg)) break;
        const __m512 pmax = sg.pmax, pmin = sg.pmin, id = sg.id, mins = sg.mins, df = sg.df, mf = sg.mf;
        const __m256i dhv = sg.dhv;
        if constexpr (K == Small::Q4_1) {
            _mm256_store_si256(reinterpret_cast<__m256i*>(mh), sg.mhv);
            _mm512_store_ps(mina, mins);
        }
        if constexpr (Bounds) {
            const __mmask16 finite = static_cast<__mmask16>(~_mm512_fpclass_ps_mask(_mm512_add_ps(df, mf), 0x99));
            if (finite != 0xFFFF) break;
            __m512 elo, ehi;
            grid_reach<K>(df, mf, elo, ehi);
            _mm512_store_ps(eloa, elo);
            _mm512_store_ps(ehia, ehi);
            _mm512_store_ps(dfa, df);
            _mm512_store_ps(mfa, mf);
            if constexpr (!Decode) {
                // the dequantized values are monotone in x within a block: its extremes come from its min and max
                const __m512 ylo = values_of<K>(codes_of<K>(pmin, id, mins), df, mf), yhi = values_of<K>(codes_of<K>(pmax, id, mins), df, mf);
                vlo = _mm512_min_ps(vlo, _mm512_min_ps(ylo, yhi));
                vhi = _mm512_max_ps(vhi, _mm512_max_ps(ylo, yhi));
            }
        }
        _mm512_store_ps(ida, id);
        _mm256_store_si256(reinterpret_cast<__m256i*>(dh), dhv);
        // Decode: blocks whose min and max lie within their grid's reach clip nothing; with every id
        // finite the codes are in range as worked out (no stored byte or nibble to take them from)
        [[maybe_unused]] __mmask16 reached = 0;
        [[maybe_unused]] bool in_range = true;
        if constexpr (Decode) {
            reached = static_cast<__mmask16>(QL_CMP(pmin, _mm512_load_ps(eloa), _CMP_GE_OQ) & QL_CMP(pmax, _mm512_load_ps(ehia), _CMP_LE_OQ));
            in_range = _mm512_fpclass_ps_mask(id, 0x99) == 0;
        }
        for (int b = 0; b < 16; ++b) {
            const float* xb = xg + 32 * b;
            const __m512 idb = set1(ida[b]), minb = K == Small::Q4_1 ? set1(mina[b]) : _mm512_setzero_ps();
            const __m512 v0 = _mm512_loadu_ps(xb), v1 = _mm512_loadu_ps(xb + 16);
            const __m512i q0 = codes_of<K>(v0, idb, minb), q1 = codes_of<K>(v1, idb, minb);
            if constexpr (Decode) {
                // the codes as the block stores them (an infinite or NaN product leaves an out-of-range
                // int32 whose stored byte or nibbles are what dequantize_block reads)
                const auto stored = [](__m512i q) {
                    if constexpr (K == Small::Q8_0) return _mm512_cvtepi8_epi32(bytes_of(q));
                    else return _mm512_and_si512(q, _mm512_set1_epi32(K == Small::Q5_0 ? 31 : 15));
                };
                const __m512i s0 = in_range ? q0 : stored(q0), s1 = in_range ? q1 : stored(q1);
                const __m512 db = set1(dfa[b]), mb = set1(mfa[b]);
                float* yb = yv + (g * 16 + b) * 32;
                _mm512_storeu_ps(yb, values_of<K>(s0, db, mb));
                _mm512_storeu_ps(yb + 16, values_of<K>(s1, db, mb));
                if (codes) {
                    _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + (g * 16 + b) * 32), bytes_of(s0));
                    _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + (g * 16 + b) * 32 + 16), bytes_of(s1));
                }
                if ((reached >> b) & 1u) {
                    bb->clipped[g * 16 + b] = 0;
                    continue;
                }
                const __m512 lob = set1(eloa[b]), hib = set1(ehia[b]);
                const __mmask16 c0 = static_cast<__mmask16>(QL_CMP(v0, lob, _CMP_LT_OQ) | QL_CMP(v0, hib, _CMP_GT_OQ));
                const __mmask16 c1 = static_cast<__mmask16>(QL_CMP(v1, lob, _CMP_LT_OQ) | QL_CMP(v1, hib, _CMP_GT_OQ));
                bb->clipped[g * 16 + b] = static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(c0) | (static_cast<unsigned>(c1) << 16)));
                continue;
            }
            auto& blk = y[g * 16 + b];
            blk.d = dh[b];
            if constexpr (K == Small::Q8_0) {
                _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs), bytes_of(q0));
                _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs + 16), bytes_of(q1));
            } else {
                const __m512i nib = _mm512_set1_epi32(0xF);
                _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs),
                                 bytes_of(_mm512_or_si512(_mm512_and_si512(q0, nib), _mm512_slli_epi32(_mm512_and_si512(q1, nib), 4))));
            }
            if constexpr (K == Small::Q4_1) blk.m = mh[b];
            if constexpr (K == Small::Q5_0) {
                const __m512i bit4 = _mm512_set1_epi32(16);
                const std::uint32_t qh = static_cast<std::uint32_t>(_mm512_test_epi32_mask(q0, bit4)) |
                                         (static_cast<std::uint32_t>(_mm512_test_epi32_mask(q1, bit4)) << 16);
                std::memcpy(blk.qh, &qh, sizeof qh);  // little-endian, as the reference's byte order
            }
            if constexpr (Bounds) {
                const __m512 db = set1(dfa[b]), mb = set1(mfa[b]), lob = set1(eloa[b]), hib = set1(ehia[b]);
                const __m512 y0 = values_of<K>(q0, db, mb), y1 = values_of<K>(q1, db, mb);
                verr = _mm512_max_ps(verr, _mm512_and_ps(_mm512_sub_ps(y0, v0), absmask));
                verr = _mm512_max_ps(verr, _mm512_and_ps(_mm512_sub_ps(y1, v1), absmask));
                const __mmask16 c0 = static_cast<__mmask16>(QL_CMP(v0, lob, _CMP_LT_OQ) | QL_CMP(v0, hib, _CMP_GT_OQ));
                const __mmask16 c1 = static_cast<__mmask16>(QL_CMP(v1, lob, _CMP_LT_OQ) | QL_CMP(v1, hib, _CMP_GT_OQ));
                bb->clipped[g * 16 + b] = static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(c0) | (static_cast<unsigned>(c1) << 16)));
            }
        }
    }
    if constexpr (Bounds && !Decode) {
        bb->lo = bb->lo < _mm512_reduce_min_ps(vlo) ? bb->lo : _mm512_reduce_min_ps(vlo);
        bb->hi = bb->hi > _mm512_reduce_max_ps(vhi) ? bb->hi : _mm512_reduce_max_ps(vhi);
        bb->err = bb->err > _mm512_reduce_max_ps(verr) ? bb->err : _mm512_reduce_max_ps(verr);
    }
    return g * 16;
}

} // namespace

bool ggml_quants_avx512_compiled() { return true; }

namespace {

// ------------------------------------------------------------------------------ K-quant and IQ4_NL blocks
// Decoding (values as dequantize_block gives them, codes as block_codes): the fp16 scales converted by the
// processor (exact, as half_to_float), each sub-block's factor the reference's single products (Q6_K:
// d * sc; Q4_K: d * sc and dmin * m; IQ4_NL: d), then every value its product (and difference) with the
// code (IQ4_NL: the code's level) as a float.
// With bounds, the quantizers fold each block's figures (BlockBoundsArgs) in as they store it, from the
// block as stored: its values decoded as above, and each sub-block's grid reach as the analysis works it
// out from the dequantizer's levels (first two and last two: a0 = level(qmin), a1, z1, z0 = level(qmax)).
// They stop before a block whose fp16 scale (or min) is not finite, whose levels the analysis' scalar
// path works out.

inline float half_of(std::uint16_t h) { return _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(h))); }
inline bool finite(float f) { return __builtin_isfinite(f); }

// 16 codes (bytes) at c -> 16 floats
inline __m512 floats_of(const std::uint8_t* c) {
    return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(c))));
}

// Q4_K: the 256 codes and the factors d1 = d * sc, m1 = dmin * m of the 8 sub-blocks (value = d1 q - m1).
inline void q4_k_unpack(const BlockQ4_K& blk, std::uint8_t* c, float* d1, float* m1) {
    const __m256i low = _mm256_set1_epi8(0x0F);
    const float d = half_of(blk.d), dmin = half_of(blk.dmin);
    const std::uint8_t* q = blk.scales;
    for (int ch = 0; ch < 4; ++ch) {  // per 64 values: 32 bytes, low nibbles first
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * ch));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 64 * ch), _mm256_and_si256(v, low));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 64 * ch + 32), _mm256_and_si256(_mm256_srli_epi16(v, 4), low));
    }
    for (int j = 0; j < kQK_K / 32; ++j) {  // scale_min_k4: 6-bit scale and min of sub-block j
        const int sc = j < 4 ? (q[j] & 63) : ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        const int m = j < 4 ? (q[j + 4] & 63) : ((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
        d1[j] = d * static_cast<float>(sc);
        m1[j] = dmin * static_cast<float>(m);
    }
}

// Q6_K: the 256 codes (0..63, value = f (code - 32)) and the factors f = d * sc of the 16 sub-blocks.
inline void q6_k_unpack(const BlockQ6_K& blk, std::uint8_t* c, float* f) {
    const __m256i low = _mm256_set1_epi8(0x0F), two = _mm256_set1_epi8(3);
    const __m512 sc = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blk.scales))));
    _mm512_storeu_ps(f, _mm512_mul_ps(set1(half_of(blk.d)), sc));
    for (int h = 0; h < 2; ++h) {
        // per 128 values: value l and l + 64 in the nibbles of ql[l], l + 32 and l + 96 in those of
        // ql[l + 32], their upper two bits in qh[l] (bits 0-1, 4-5 and 2-3, 6-7)
        const __m256i ql0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.ql + 64 * h));
        const __m256i ql1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.ql + 64 * h + 32));
        const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qh + 32 * h));
        auto upper = [&](int shift) { return _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, shift), two), 4); };
        std::uint8_t* o = c + 128 * h;
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o), _mm256_or_si256(_mm256_and_si256(ql0, low), upper(0)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 32), _mm256_or_si256(_mm256_and_si256(ql1, low), upper(2)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 64), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low), upper(4)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(o + 96), _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low), upper(6)));
    }
}

// Q2_K: the 256 codes (0..3; value = d1 code - m1) and each sub-block of 16's d1 = d (sc & 15), m1 = dmin (sc >> 4).
// Per 128 values, byte l of qs holds values l, l + 32, l + 64, l + 96 in bits 0-1 .. 6-7.
inline void q2_k_unpack(const BlockQ2_K& blk, std::uint8_t* c, float* d1, float* m1) {
    const __m256i two = _mm256_set1_epi8(3);
    for (int n = 0; n < 2; ++n) {
        const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * n));
        for (int s = 0; s < 4; ++s)  // a 16-bit shift, then the mask: no bit of the next byte stays
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 128 * n + 32 * s), _mm256_and_si256(_mm256_srli_epi16(q, 2 * s), two));
    }
    const __m512i sc = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(blk.scales)));
    _mm512_storeu_ps(d1, _mm512_mul_ps(set1(half_of(blk.d)), _mm512_cvtepi32_ps(_mm512_and_si512(sc, _mm512_set1_epi32(15)))));
    _mm512_storeu_ps(m1, _mm512_mul_ps(set1(half_of(blk.dmin)), _mm512_cvtepi32_ps(_mm512_srli_epi32(sc, 4))));
}

// Q3_K: the 256 codes (0..7; value = f (code - 4)): the low 2 bits as Q2_K's, the 3rd of value 128n + 32s + l
// in bit 4n + s of hmask[l]; f = d * (6-bit scale - 32) per sub-block of 16.
inline void q3_k_unpack(const BlockQ3_K& blk, std::uint8_t* c, float* f) {
    const __m256i two = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.hmask));
    for (int n = 0; n < 2; ++n) {
        const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * n));
        for (int s = 0; s < 4; ++s) {
            const __m256i lo = _mm256_and_si256(_mm256_srli_epi16(q, 2 * s), two);
            const __m256i hi = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, 4 * n + s), one), 2);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 128 * n + 32 * s), _mm256_or_si256(lo, hi));
        }
    }
    const float d = half_of(blk.d);
    for (int j = 0; j < kQK_K / 16; ++j) {  // q3k_scale
        const int lo = j < 8 ? (blk.scales[j] & 0xF) : (blk.scales[j - 8] >> 4);
        const int hi = (blk.scales[8 + j % 4] >> (2 * (j / 4))) & 3;
        f[j] = d * static_cast<float>((lo | (hi << 4)) - 32);
    }
}

// Q5_K: the 256 codes (0..31; value = d1 code - m1 as Q4_K's): the low 4 bits as Q4_K's, the 5th of value
// 64 ch + l in bit 2 ch of qh[l] and of value 64 ch + 32 + l in bit 2 ch + 1.
inline void q5_k_unpack(const BlockQ5_K& blk, std::uint8_t* c, float* d1, float* m1) {
    const __m256i low = _mm256_set1_epi8(0x0F), one = _mm256_set1_epi8(1);
    const __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qh));
    for (int ch = 0; ch < 4; ++ch) {
        const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk.qs + 32 * ch));
        const auto fifth = [&](int bit) { return _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(h, bit), one), 4); };
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 64 * ch), _mm256_or_si256(_mm256_and_si256(v, low), fifth(2 * ch)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + 64 * ch + 32),
                            _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(v, 4), low), fifth(2 * ch + 1)));
    }
    const float d = half_of(blk.d), dmin = half_of(blk.dmin);
    const std::uint8_t* q = blk.scales;
    for (int j = 0; j < kQK_K / 32; ++j) {  // scale_min_k4, as Q4_K's
        const int sc = j < 4 ? (q[j] & 63) : ((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        const int m = j < 4 ? (q[j + 4] & 63) : ((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
        d1[j] = d * static_cast<float>(sc);
        m1[j] = dmin * static_cast<float>(m);
    }
}

// Q3_K and Q6_K values of sub-block j (16 of them): f[j] (code - Bias), code - Bias exact as a float.
template <int Bias>
inline __m512 offset_values(const std::uint8_t* c, const float* f, int j) {
    return _mm512_mul_ps(set1(f[j]), _mm512_sub_ps(floats_of(c + 16 * j), set1(static_cast<float>(Bias))));
}
// Q4_K values of 16 codes at c with the sub-block's d1, m1.
inline __m512 q4_k_values(const std::uint8_t* c, float d1, float m1) { return _mm512_sub_ps(_mm512_mul_ps(set1(d1), floats_of(c)), set1(m1)); }

// The reach of a grid from its levels a0 = level(qmin), a1, z1, z0 = level(qmax), as the analysis works
// it out: below the lowest level by half its gap, above the highest by half its; none when a0 == z0.
inline void reach_of(__m512 a0, __m512 a1, __m512 z1, __m512 z0, __m512& lo, __m512& hi) {
    const __m512 half = set1(0.5f);
    const __mmask16 flat = QL_CMP(a0, z0, _CMP_EQ_OQ), up = QL_CMP(a0, z0, _CMP_LT_OQ);
    const __m512 lo_up = _mm512_sub_ps(a0, _mm512_mul_ps(_mm512_sub_ps(a1, a0), half));
    const __m512 hi_up = _mm512_add_ps(z0, _mm512_mul_ps(_mm512_sub_ps(z0, z1), half));
    const __m512 lo_down = _mm512_sub_ps(z0, _mm512_mul_ps(_mm512_sub_ps(z1, z0), half));
    const __m512 hi_down = _mm512_add_ps(a0, _mm512_mul_ps(_mm512_sub_ps(a0, a1), half));
    lo = sel(flat, set1(-__builtin_inff()), sel(up, lo_up, lo_down));
    hi = sel(flat, set1(__builtin_inff()), sel(up, hi_up, hi_down));
}

// The figures folded in so far: smallest and largest value, largest |value - x| (finite values only, so
// the order of min and max does not matter).
struct Figures {
    __m512 lo = set1(__builtin_inff()), hi = set1(-__builtin_inff()), err = _mm512_setzero_ps();
    // 16 values x and their dequantized values y; returns how many x lie outside [elo, ehi]
    unsigned add(__m512 x, __m512 y, __m512 elo, __m512 ehi) {
        lo = _mm512_min_ps(lo, y);
        hi = _mm512_max_ps(hi, y);
        err = _mm512_max_ps(err, _mm512_abs_ps(_mm512_sub_ps(y, x)));
        return static_cast<unsigned>(__builtin_popcount(static_cast<unsigned>(QL_CMP(x, elo, _CMP_LT_OQ) | QL_CMP(x, ehi, _CMP_GT_OQ))));
    }
    void fold(BlockBoundsArgs& bb) const {
        const float l = _mm512_reduce_min_ps(lo), h = _mm512_reduce_max_ps(hi), e = _mm512_reduce_max_ps(err);
        bb.lo = bb.lo < l ? bb.lo : l;
        bb.hi = bb.hi > h ? bb.hi : h;
        bb.err = bb.err > e ? bb.err : e;
    }
};

// What a searched format's stored blocks give the analysis (Bounds): their figures, folded into bb on
// every way out of the loop; stop(at) returns at, the count of blocks stored.
template <bool Bounds>
struct Tally {
    BlockBoundsArgs* bb;
    Figures fig;
    std::int64_t stop(std::int64_t at) {
        if constexpr (Bounds) fig.fold(*bb);
        return at;
    }
};

// One stored block's figures; false (nothing folded) when its scales are not finite. Q2_K, Q4_K and Q5_K:
// sub-blocks of Sub values whose level q is d1 q - m1, q = 0..Top (Unpack gives the codes, d1 and m1).
template <class Block, int Sub, int Top, void (*Unpack)(const Block&, std::uint8_t*, float*, float*)>
inline bool scale_min_figures(const Block& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    if (!finite(half_of(blk.d)) || !finite(half_of(blk.dmin))) return false;
    alignas(64) std::uint8_t c[kQK_K];
    alignas(64) float d1[16] = {}, m1[16] = {}, elo[16], ehi[16];
    Unpack(blk, c, d1, m1);
    const __m512 vd = _mm512_load_ps(d1), vm = _mm512_load_ps(m1);  // lane j: sub-block j (kQK_K / Sub of them)
    auto level = [&](float q) { return _mm512_sub_ps(_mm512_mul_ps(vd, set1(q)), vm); };  // d1 q - m1
    __m512 lo, hi;
    reach_of(level(0.0f), level(1.0f), level(Top - 1.0f), level(static_cast<float>(Top)), lo, hi);
    _mm512_store_ps(elo, lo);
    _mm512_store_ps(ehi, hi);
    unsigned clip = 0;
    for (int j = 0; j < kQK_K / Sub; ++j)
        for (int k = 0; k < Sub / 16; ++k)
            clip += fig.add(_mm512_loadu_ps(xb + Sub * j + 16 * k), q4_k_values(c + Sub * j + 16 * k, d1[j], m1[j]), set1(elo[j]), set1(ehi[j]));
    clipped = clip;
    return true;
}
inline bool q4_k_figures(const BlockQ4_K& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    return scale_min_figures<BlockQ4_K, 32, 15, q4_k_unpack>(blk, xb, fig, clipped);
}

// Q3_K and Q6_K: 16 sub-blocks of 16, level f (q - Bias), q 0..2 Bias - 1 (Unpack gives the codes and f).
template <class Block, int Bias, void (*Unpack)(const Block&, std::uint8_t*, float*)>
inline bool offset_figures(const Block& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    if (!finite(half_of(blk.d))) return false;
    alignas(64) std::uint8_t c[kQK_K];
    alignas(64) float f[16], elo[16], ehi[16];
    Unpack(blk, c, f);
    const __m512 vf = _mm512_load_ps(f);
    auto level = [&](int q) { return _mm512_mul_ps(vf, set1(static_cast<float>(q - Bias))); };
    __m512 lo, hi;
    reach_of(level(0), level(1), level(2 * Bias - 2), level(2 * Bias - 1), lo, hi);
    _mm512_store_ps(elo, lo);
    _mm512_store_ps(ehi, hi);
    unsigned clip = 0;
    for (int j = 0; j < kQK_K / 16; ++j)
        clip += fig.add(_mm512_loadu_ps(xb + 16 * j), offset_values<Bias>(c, f, j), set1(elo[j]), set1(ehi[j]));
    clipped = clip;
    return true;
}
inline bool q6_k_figures(const BlockQ6_K& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    return offset_figures<BlockQ6_K, 32, q6_k_unpack>(blk, xb, fig, clipped);
}

inline bool q5_k_figures(const BlockQ5_K& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    return scale_min_figures<BlockQ5_K, 32, 31, q5_k_unpack>(blk, xb, fig, clipped);
}
inline bool q2_k_figures(const BlockQ2_K& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    return scale_min_figures<BlockQ2_K, 16, 3, q2_k_unpack>(blk, xb, fig, clipped);
}

inline bool q3_k_figures(const BlockQ3_K& blk, const float* xb, Figures& fig, std::uint32_t& clipped) {
    return offset_figures<BlockQ3_K, 4, q3_k_unpack>(blk, xb, fig, clipped);
}

// Q4_K and Q5_K: the same search and scale steps with 4- and 5-bit codes (ggml_quants.cpp's references).
struct Q4kSearch {
    using Block = BlockQ4_K;
    static constexpr int nmax = 15, nstep = 20;
    static constexpr float rmin = -1.f;
    static void scales(const float* s, const float* m, Block& y, float* d, float* dm) { q4_k_scales(s, m, y, d, dm); }
    static void pack(const std::uint8_t* L, Block& y) { q4_k_pack(L, y); }
    static bool figures(const Block& b, const float* xb, Figures& fig, std::uint32_t& clipped) { return q4_k_figures(b, xb, fig, clipped); }
};
struct Q5kSearch {
    using Block = BlockQ5_K;
    static constexpr int nmax = 31, nstep = 15;
    static constexpr float rmin = -0.5f;
    static void scales(const float* s, const float* m, Block& y, float* d, float* dm) { q5_k_scales(s, m, y, d, dm); }
    static void pack(const std::uint8_t* L, Block& y) { q5_k_pack(L, y); }
    static bool figures(const Block& b, const float* xb, Figures& fig, std::uint32_t& clipped) { return q5_k_figures(b, xb, fig, clipped); }
};

template <class K, bool Bounds>
std::int64_t k_blocks(const float* x, std::int64_t nblocks, typename K::Block* y, BlockBoundsArgs* bb) {
    Tally<Bounds> t{bb, {}};
    constexpr int G = kQ4kGroups;
    constexpr int per = 2 * G;  // super-blocks per step: two per group of 16 lanes
    const std::int64_t steps = nblocks / per;
    __m512 X[G][32], W[G][32], Lf[G][32], sc[G], mn[G];
    alignas(64) float scales[G][16], mins[G][16];
    alignas(64) std::uint8_t Lb[G][32][16];  // the search's codes: Lb[g][l][lane]
    alignas(64) std::uint8_t L[kQK_K];
    for (std::int64_t p = 0; p < steps; ++p) {
        const float* xp = x + p * per * kQK_K;
        prefetch_ahead(xp + per * kQK_K, per * kQK_K * 4);
        for (int g = 0; g < G; ++g) {
            transpose_in<32>(xp + g * 2 * kQK_K, X[g]);  // lane j = sub-block j of the group's two super-blocks
            __m512 sum_x2 = _mm512_setzero_ps();
            for (int l = 0; l < 32; ++l) sum_x2 = _mm512_add_ps(sum_x2, _mm512_mul_ps(X[g][l], X[g][l]));
            const __m512 av_x = _mm512_sqrt_ps(_mm512_div_ps(sum_x2, set1(32.0f)));
            for (int l = 0; l < 32; ++l) W[g][l] = _mm512_add_ps(av_x, vabs(X[g][l]));
        }
        if (any_nonfinite(X)) return t.stop(p * per);
        make_qkx2_lanes<G, 32, K::nmax, K::nstep, false>(X, W, Lf, sc, mn, K::rmin);
        for (int g = 0; g < G; ++g) {
            _mm512_store_ps(scales[g], sc[g]);
            _mm512_store_ps(mins[g], mn[g]);
            for (int l = 0; l < 32; ++l) _mm_store_si128(reinterpret_cast<__m128i*>(Lb[g][l]), bytes_of(_mm512_cvtps_epi32(Lf[g][l])));
        }
        for (int h = 0; h < per; ++h) {
            const int g = h / 2, lane0 = 8 * (h % 2);
            auto& blk = y[p * per + h];
            const float* xb = xp + h * kQK_K;
            float d[kQK_K / 32], dm[kQK_K / 32];
            K::scales(scales[g] + lane0, mins[g] + lane0, blk, d, dm);
            for (int j = 0; j < kQK_K / 32; ++j) {
                if (d[j] == 0.0f) {  // the search's codes stay
                    for (int l = 0; l < 32; ++l) L[32 * j + l] = Lb[g][l][lane0 + j];
                    continue;
                }
                const __m512 vdm = set1(dm[j]), vd = set1(d[j]);
                for (int k = 0; k < 2; ++k) {
                    const __m512 v = _mm512_div_ps(_mm512_add_ps(_mm512_loadu_ps(xb + 32 * j + 16 * k), vdm), vd);
                    _mm_store_si128(reinterpret_cast<__m128i*>(L + 32 * j + 16 * k), bytes_of(nearest_int_clamped(v, 0, K::nmax)));
                }
            }
            K::pack(L, blk);
            if constexpr (Bounds) {
                if (!K::figures(blk, xb, t.fig, bb->clipped[p * per + h])) return t.stop(p * per + h);
            }
        }
    }
    return t.stop(steps * per);
}

// The low 2 bits of 256 codes (r[k] = codes 32k .. 32k + 31) packed as Q2_K and Q3_K store them: per 128
// values, byte l holds codes l, l + 32, l + 64, l + 96 in bits 0-1 .. 6-7.
inline void pack_2bit_vec(const __m256i* r, std::uint8_t* qs) {
    const __m256i low = _mm256_set1_epi8(3);
    for (int half = 0; half < 2; ++half) {
        const __m256i* q = r + 4 * half;
        // masked to 2 bits first, so no 16-bit shift carries a bit into the next byte
        const __m256i b = _mm256_or_si256(_mm256_or_si256(_mm256_and_si256(q[0], low), _mm256_slli_epi16(_mm256_and_si256(q[1], low), 2)),
                                          _mm256_or_si256(_mm256_slli_epi16(_mm256_and_si256(q[2], low), 4),
                                                          _mm256_slli_epi16(_mm256_and_si256(q[3], low), 6)));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(qs + 32 * half), b);
    }
}

// Q2_K: one super-block per group of 16 lanes (lane j = sub-block j of 16 values), weights |x|; the
// scales stored by the reference's q2_k_scales, the requantization along each sub-block's values (bit for
// bit, see the file comment) and the packing by byte masks.
template <bool Bounds>
std::int64_t q2_k_blocks(const float* x, std::int64_t nblocks, BlockQ2_K* y, BlockBoundsArgs* bb) {
    Tally<Bounds> t{bb, {}};
    constexpr int G = kQ6kGroups;
    const std::int64_t steps = nblocks / G;
    __m512 X[G][16], W[G][16], Lf[G][16], sc[G], mn[G];
    alignas(64) float scales[16], mins[16];
    alignas(64) std::uint8_t Lb[16][16];  // the search's codes: Lb[l][lane]
    alignas(64) std::uint8_t L[kQK_K];
    for (std::int64_t p = 0; p < steps; ++p) {
        prefetch_ahead(x + (p + 1) * G * kQK_K, G * kQK_K * 4);
        for (int g = 0; g < G; ++g) {
            transpose_in<16>(x + (p * G + g) * kQK_K, X[g]);
            for (int l = 0; l < 16; ++l) W[g][l] = vabs(X[g][l]);
        }
        if (any_nonfinite(X)) return t.stop(p * G);
        make_qkx2_lanes<G, 16, 3, 15, true>(X, W, Lf, sc, mn, -0.5f);
        for (int g = 0; g < G; ++g) {
            _mm512_store_ps(scales, sc[g]);
            _mm512_store_ps(mins, mn[g]);
            for (int l = 0; l < 16; ++l) _mm_store_si128(reinterpret_cast<__m128i*>(Lb[l]), bytes_of(_mm512_cvtps_epi32(Lf[g][l])));
            // finish_q2_k: the stored scales, then each sub-block requantized along its values (a sub-block
            // whose stored scale is 0 keeps the search's codes), then packed
            const float* xb = x + (p * G + g) * kQK_K;
            BlockQ2_K& blk = y[p * G + g];
            float d[kQK_K / 16], dm[kQK_K / 16];
            q2_k_scales(scales, mins, blk, d, dm);
            for (int j = 0; j < kQK_K / 16; ++j) {
                if (d[j] == 0.0f) {
                    for (int l = 0; l < 16; ++l) L[16 * j + l] = Lb[l][j];
                    continue;
                }
                const __m512 v = _mm512_div_ps(_mm512_add_ps(_mm512_loadu_ps(xb + 16 * j), set1(dm[j])), set1(d[j]));
                _mm_store_si128(reinterpret_cast<__m128i*>(L + 16 * j), bytes_of(nearest_int_clamped(v, 0, 3)));
            }
            __m256i r[8];
            for (int k = 0; k < 8; ++k) r[k] = _mm256_load_si256(reinterpret_cast<const __m256i*>(L + 32 * k));
            pack_2bit_vec(r, blk.qs);
            if constexpr (Bounds) {
                if (!q2_k_figures(blk, xb, t.fig, bb->clipped[p * G + g])) return t.stop(p * G + g);
            }
        }
    }
    return t.stop(steps * G);
}

// make_q3_quants(16, 4, x, L, do_rmse = true) in G interleaved groups of 16 lanes (lane j = sub-block j of
// one super-block); scale_out[g] = the scales, L[g] = the codes + 4 as floats. The passes move one code at
// a time, each move depending on the sums the last one left, so a lane walks its 16 values in order; a
// lane leaves the passes after one that moved nothing, as the reference breaks out of its loop.
template <int G>
void make_q3_lanes(const __m512 (*X)[16], __m512 (*L)[16], __m512* scale_out) {
    constexpr int n = 16;
    constexpr float nmax = 4.f;
    const __m512 zero = _mm512_setzero_ps();
    __m512 max[G], amax[G], sumlx[G], suml2[G];
    __mmask16 active[G];
    for (int g = 0; g < G; ++g) max[g] = amax[g] = zero;
    for (int i = 0; i < n; ++i)
        for (int g = 0; g < G; ++g) {
            const __m512 ax = vabs(X[g][i]);
            const __mmask16 gt = QL_CMP(ax, amax[g], _CMP_GT_OQ);
            amax[g] = sel(gt, ax, amax[g]);
            max[g] = sel(gt, X[g][i], max[g]);
        }
    __m512 WX[G][n], W[G][n];  // w x and w, w = x^2
    for (int g = 0; g < G; ++g) {
        active[g] = static_cast<__mmask16>(~QL_CMP(amax[g], set1(kGroupMaxEps), _CMP_LT_OQ));
        const __m512 iscale = _mm512_div_ps(set1(-nmax), max[g]);
        sumlx[g] = suml2[g] = zero;
        for (int i = 0; i < n; ++i) {
            L[g][i] = round_clamped(_mm512_mul_ps(iscale, X[g][i]), -nmax, nmax - 1);
            W[g][i] = _mm512_mul_ps(X[g][i], X[g][i]);
            WX[g][i] = _mm512_mul_ps(W[g][i], X[g][i]);
            sumlx[g] = _mm512_add_ps(sumlx[g], _mm512_mul_ps(WX[g][i], L[g][i]));
            suml2[g] = _mm512_add_ps(suml2[g], _mm512_mul_ps(_mm512_mul_ps(W[g][i], L[g][i]), L[g][i]));
        }
    }
    for (int itry = 0; itry < 5; ++itry) {
        __mmask16 changed[G], any = 0;
        for (int g = 0; g < G; ++g) changed[g] = 0;
        for (int i = 0; i < n; ++i)
            for (int g = 0; g < G; ++g) {
                const __m512 l = L[g][i];
                const __m512 slx = _mm512_sub_ps(sumlx[g], _mm512_mul_ps(WX[g][i], l));
                const __mmask16 positive = active[g] & QL_CMP(slx, zero, _CMP_GT_OQ);
                const __m512 sl2 = _mm512_sub_ps(suml2[g], _mm512_mul_ps(_mm512_mul_ps(W[g][i], l), l));
                // nearest_int bit for bit: x sl2 / slx may pass 2^22 when slx is tiny
                const __m512 nl = _mm512_cvtepi32_ps(nearest_int_clamped(_mm512_div_ps(_mm512_mul_ps(X[g][i], sl2), slx), -4, 3));
                const __mmask16 moved = positive & QL_CMP(nl, l, _CMP_NEQ_UQ);
                const __m512 slx2 = _mm512_add_ps(slx, _mm512_mul_ps(WX[g][i], nl));
                const __m512 sl22 = _mm512_add_ps(sl2, _mm512_mul_ps(_mm512_mul_ps(W[g][i], nl), nl));
                const __mmask16 take = moved & QL_CMP(sl22, zero, _CMP_GT_OQ) &
                                       QL_CMP(_mm512_mul_ps(_mm512_mul_ps(slx2, slx2), suml2[g]),
                                              _mm512_mul_ps(_mm512_mul_ps(sumlx[g], sumlx[g]), sl22), _CMP_GT_OQ);
                L[g][i] = sel(take, nl, l);
                sumlx[g] = sel(take, slx2, sumlx[g]);
                suml2[g] = sel(take, sl22, suml2[g]);
                changed[g] |= take;
            }
        for (int g = 0; g < G; ++g) {
            active[g] &= changed[g];
            any |= active[g];
        }
        if (any == 0) break;
    }
    for (int g = 0; g < G; ++g) {
        const __mmask16 keep = static_cast<__mmask16>(~QL_CMP(amax[g], set1(kGroupMaxEps), _CMP_LT_OQ));
        for (int i = 0; i < n; ++i) L[g][i] = _mm512_maskz_add_ps(keep, L[g][i], set1(nmax));
        scale_out[g] = _mm512_maskz_div_ps(keep, sumlx[g], suml2[g]);
    }
}

// q3_k_pack's bytes without its branch per value: hmask[m] bit k = bit 2 of code 32k + m, and each qs byte
// of a 128-value half holds the low 2 bits of codes l, l + 32, l + 64, l + 96 (bits 0-1 .. 6-7).
inline void q3_k_pack_vec(const std::int8_t* L, BlockQ3_K& y) {
    __m256i r[8];
    for (int k = 0; k < 8; ++k) r[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(L + 32 * k));
    __m256i h = _mm256_setzero_si256();
    for (int k = 0; k < 8; ++k)
        h = _mm256_or_si256(h, _mm256_maskz_mov_epi8(_mm256_test_epi8_mask(r[k], _mm256_set1_epi8(4)),
                                                     _mm256_set1_epi8(static_cast<char>(1 << k))));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(y.hmask), h);
    pack_2bit_vec(r, y.qs);
}

// Q3_K's and Q6_K's requantization of one super-block's 16 sub-blocks of 16 with their stored scales d[j]:
// code = clamp(nearest_int(x / d), Lo, Hi) - Lo, bit for bit; a sub-block whose d is 0 keeps the search's
// codes Lb[.][j].
template <int Lo, int Hi>
inline void requantize_16s(const float* xb, const float* d, const std::uint8_t (*Lb)[16], std::int8_t* L) {
    for (int j = 0; j < kQK_K / 16; ++j) {
        if (d[j] == 0.0f) {
            for (int l = 0; l < 16; ++l) L[16 * j + l] = static_cast<std::int8_t>(Lb[l][j]);
            continue;
        }
        const __m512 v = _mm512_div_ps(_mm512_loadu_ps(xb + 16 * j), set1(d[j]));
        _mm_store_si128(reinterpret_cast<__m128i*>(L + 16 * j), bytes_of(_mm512_sub_epi32(nearest_int_clamped(v, Lo, Hi), _mm512_set1_epi32(Lo))));
    }
}

// Q3_K: one super-block per group of 16 lanes (lane j = sub-block j of 16 values); the requantization
// with the stored scales runs along each sub-block's values, bit for bit (see the file comment), and
// the packing gives the reference's bytes (q3_k_pack_vec).
template <bool Bounds>
std::int64_t q3_k_blocks(const float* x, std::int64_t nblocks, BlockQ3_K* y, BlockBoundsArgs* bb) {
    Tally<Bounds> t{bb, {}};
    constexpr int G = kQ3kGroups;
    const std::int64_t steps = nblocks / G;
    __m512 X[G][16], Lf[G][16], sc[G];
    alignas(64) float scales[16];
    alignas(64) std::uint8_t Lb[16][16];  // the search's codes: Lb[l][lane]
    alignas(64) std::int8_t L[kQK_K];
    for (std::int64_t p = 0; p < steps; ++p) {
        prefetch_ahead(x + (p + 1) * G * kQK_K, G * kQK_K * 4);
        for (int g = 0; g < G; ++g) transpose_in<16>(x + (p * G + g) * kQK_K, X[g]);
        if (any_nonfinite(X)) return t.stop(p * G);
        make_q3_lanes<G>(X, Lf, sc);
        for (int g = 0; g < G; ++g) {
            const float* xb = x + (p * G + g) * kQK_K;
            BlockQ3_K& blk = y[p * G + g];
            _mm512_store_ps(scales, sc[g]);
            float d[kQK_K / 16];
            q3_k_scales(scales, blk, d);
            for (int l = 0; l < 16; ++l) _mm_store_si128(reinterpret_cast<__m128i*>(Lb[l]), bytes_of(_mm512_cvtps_epi32(Lf[g][l])));
            requantize_16s<-4, 3>(xb, d, Lb, L);
            q3_k_pack_vec(L, blk);
            if constexpr (Bounds) {
                if (!q3_k_figures(blk, xb, t.fig, bb->clipped[p * G + g])) return t.stop(p * G + g);
            }
        }
    }
    return t.stop(steps * G);
}

template <bool Bounds>
std::int64_t q6_k_blocks(const float* x, std::int64_t nblocks, BlockQ6_K* y, BlockBoundsArgs* bb) {
    Tally<Bounds> t{bb, {}};
    constexpr int G = kQ6kGroups;  // super-blocks per step, one per group of 16 lanes
    const std::int64_t steps = nblocks / G;
    __m512 X[G][16], Lf[G][16], sc[G];
    alignas(64) float scales[16];
    alignas(64) std::uint8_t Lb[16][16];  // the search's codes: Lb[l][lane]
    alignas(64) std::int8_t L[kQK_K];
    for (std::int64_t p = 0; p < steps; ++p) {
        prefetch_ahead(x + (p + 1) * G * kQK_K, G * kQK_K * 4);
        for (int g = 0; g < G; ++g) transpose_in<16>(x + (p * G + g) * kQK_K, X[g]);  // lane j = sub-block j
        if (any_nonfinite(X)) return t.stop(p * G);
        make_qx_q6k_lanes<G>(X, Lf, sc);
        for (int g = 0; g < G; ++g) {
            const float* xb = x + (p * G + g) * kQK_K;
            BlockQ6_K& blk = y[p * G + g];
            _mm512_store_ps(scales, sc[g]);
            float d[kQK_K / 16];
            const bool scaled = q6_k_scales(scales, blk, d);
            if (scaled) {  // (else the block is all zero)
                for (int l = 0; l < 16; ++l) _mm_store_si128(reinterpret_cast<__m128i*>(Lb[l]), bytes_of(_mm512_cvtps_epi32(Lf[g][l])));
                requantize_16s<-32, 31>(xb, d, Lb, L);
                q6_k_pack(L, blk);
            }
            if constexpr (Bounds) {
                if (!q6_k_figures(blk, xb, t.fig, bb->clipped[p * G + g])) return t.stop(p * G + g);
            }
        }
    }
    return t.stop(steps * G);
}

template <bool Bounds>
std::int64_t iq4_nl_blocks(const float* x, std::int64_t nblocks, BlockIQ4_NL* y, BlockBoundsArgs* bb) {
    Tally<Bounds> t{bb, {}};
    constexpr int G = kIq4nlGroups;  // 16 blocks per group
    const Iq4Tables T = make_iq4_tables();
    const std::int64_t steps = nblocks / (16 * G);
    __m512 X[G][32], dv[G];
    alignas(64) float d[G][16];
    for (std::int64_t p = 0; p < steps; ++p) {
        const float* xp = x + p * 16 * G * kQK4_NL;
        prefetch_ahead(xp + 16 * G * kQK4_NL, 16 * G * kQK4_NL * 4);
        for (int g = 0; g < G; ++g) transpose_in<32>(xp + g * 16 * kQK4_NL, X[g]);  // lane j = block 16 g + j
        if (any_nonfinite(X)) return t.stop(p * 16 * G);
        iq4nl_scale_lanes<G>(X, T, dv);
        for (int g = 0; g < G; ++g) _mm512_store_ps(d[g], dv[g]);
        // finish_iq4_nl per block: fp16 d, every code from the unrounded scale, id = d ? 1 / d : 0
        for (int j = 0; j < 16 * G; ++j) {
            BlockIQ4_NL& blk = y[p * 16 * G + j];
            const float* xb = xp + j * kQK4_NL;
            const float id = iq4_nl_scale(d[j / 16][j % 16], blk);
            const __m512 id2 = set1(id + id);
            const __m512 x0 = _mm512_loadu_ps(xb), x1 = _mm512_loadu_ps(xb + 16);
            const __m512i lo = iq4_index_any(id2, x0, T);
            const __m512i hi = iq4_index_any(id2, x1, T);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs), bytes_of(_mm512_or_si512(lo, _mm512_slli_epi32(hi, 4))));
            if constexpr (Bounds) {
                const float dd = half_of(blk.d);  // value = d * level(code)
                if (!finite(dd)) return t.stop(p * 16 * G + j);
                const __m512 vd = set1(dd);
                __m512 elo, ehi;
                reach_of(_mm512_mul_ps(vd, set1(-127.0f)), _mm512_mul_ps(vd, set1(-104.0f)), _mm512_mul_ps(vd, set1(89.0f)),
                         _mm512_mul_ps(vd, set1(113.0f)), elo, ehi);
                bb->clipped[p * 16 * G + j] = t.fig.add(x0, _mm512_mul_ps(vd, _mm512_permutexvar_ps(lo, T.values)), elo, ehi) +
                                              t.fig.add(x1, _mm512_mul_ps(vd, _mm512_permutexvar_ps(hi, T.values)), elo, ehi);
            }
        }
    }
    return t.stop(steps * 16 * G);
}

// IQ4_XS: one group of 16 lanes holds the 16 blocks of 32 of two super-blocks; the search is IQ4_NL's,
// the 6-bit scales the reference's (iq4_xs_scales), the codes IQ4_NL's vector index with each block's
// unrounded scale.
template <bool Bounds>
std::int64_t iq4_xs_blocks(const float* x, std::int64_t nblocks, BlockIQ4_XS* y, BlockBoundsArgs* bb) {
    Tally<Bounds> t{bb, {}};
    constexpr int G = kIq4nlGroups;
    constexpr int per = 2 * G;  // super-blocks per step
    const Iq4Tables T = make_iq4_tables();
    const std::int64_t steps = nblocks / per;
    __m512 X[G][32], dv[G];
    alignas(64) float d[G][16];
    for (std::int64_t p = 0; p < steps; ++p) {
        const float* xp = x + p * per * kQK_K;
        prefetch_ahead(xp + per * kQK_K, per * kQK_K * 4);
        for (int g = 0; g < G; ++g) transpose_in<32>(xp + g * 2 * kQK_K, X[g]);  // lane j = block j of 32
        if (any_nonfinite(X)) return t.stop(p * per);
        iq4nl_scale_lanes<G>(X, T, dv);
        for (int g = 0; g < G; ++g) _mm512_store_ps(d[g], dv[g]);
        for (int s = 0; s < per; ++s) {
            BlockIQ4_XS& blk = y[p * per + s];
            const float* xb = xp + s * kQK_K;
            float idl[kQK_K / 32];
            iq4_xs_scales(&d[s / 2][8 * (s % 2)], blk, idl);
            const float dd = half_of(blk.d);  // value = d (ls - 32) level(code)
            if constexpr (Bounds) {
                if (!finite(dd)) return t.stop(p * per + s);
            }
            unsigned clip = 0;
            for (int ib = 0; ib < kQK_K / 32; ++ib) {
                const __m512 id2 = set1(idl[ib] + idl[ib]);
                const __m512 x0 = _mm512_loadu_ps(xb + 32 * ib), x1 = _mm512_loadu_ps(xb + 32 * ib + 16);
                const __m512i lo = iq4_index_any(id2, x0, T);
                const __m512i hi = iq4_index_any(id2, x1, T);
                _mm_storeu_si128(reinterpret_cast<__m128i*>(blk.qs + 16 * ib), bytes_of(_mm512_or_si512(lo, _mm512_slli_epi32(hi, 4))));
                if constexpr (Bounds) {
                    const int ls = ((blk.scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((blk.scales_h >> (2 * ib)) & 3) << 4);
                    const __m512 vd = set1(dd * static_cast<float>(ls - 32));
                    __m512 elo, ehi;
                    reach_of(_mm512_mul_ps(vd, set1(-127.0f)), _mm512_mul_ps(vd, set1(-104.0f)), _mm512_mul_ps(vd, set1(89.0f)),
                             _mm512_mul_ps(vd, set1(113.0f)), elo, ehi);
                    clip += t.fig.add(x0, _mm512_mul_ps(vd, _mm512_permutexvar_ps(lo, T.values)), elo, ehi) +
                            t.fig.add(x1, _mm512_mul_ps(vd, _mm512_permutexvar_ps(hi, T.values)), elo, ehi);
                }
            }
            if constexpr (Bounds) bb->clipped[p * per + s] = clip;
        }
    }
    return t.stop(steps * per);
}

} // namespace

std::int64_t quantize_q4_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_K* y) { return k_blocks<Q4kSearch, false>(x, nblocks, y, nullptr); }
std::int64_t quantize_q5_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ5_K* y) { return k_blocks<Q5kSearch, false>(x, nblocks, y, nullptr); }
std::int64_t quantize_q2_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ2_K* y) { return q2_k_blocks<false>(x, nblocks, y, nullptr); }
std::int64_t quantize_q3_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ3_K* y) { return q3_k_blocks<false>(x, nblocks, y, nullptr); }
std::int64_t quantize_iq4_xs_blocks_avx512(const float* x, std::int64_t nblocks, BlockIQ4_XS* y) { return iq4_xs_blocks<false>(x, nblocks, y, nullptr); }
std::int64_t quantize_q6_k_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ6_K* y) { return q6_k_blocks<false>(x, nblocks, y, nullptr); }
std::int64_t quantize_iq4_nl_blocks_avx512(const float* x, std::int64_t nblocks, BlockIQ4_NL* y) { return iq4_nl_blocks<false>(x, nblocks, y, nullptr); }
std::int64_t quantize_q5_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ5_K* y, BlockBoundsArgs& bounds) {
    return k_blocks<Q5kSearch, true>(x, nblocks, y, &bounds);
}
std::int64_t quantize_q2_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ2_K* y, BlockBoundsArgs& bounds) {
    return q2_k_blocks<true>(x, nblocks, y, &bounds);
}
std::int64_t quantize_q3_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ3_K* y, BlockBoundsArgs& bounds) {
    return q3_k_blocks<true>(x, nblocks, y, &bounds);
}
std::int64_t quantize_iq4_xs_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockIQ4_XS* y, BlockBoundsArgs& bounds) {
    return iq4_xs_blocks<true>(x, nblocks, y, &bounds);
}
std::int64_t quantize_q4_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ4_K* y, BlockBoundsArgs& bounds) {
    return k_blocks<Q4kSearch, true>(x, nblocks, y, &bounds);
}
std::int64_t quantize_q6_k_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockQ6_K* y, BlockBoundsArgs& bounds) {
    return q6_k_blocks<true>(x, nblocks, y, &bounds);
}
std::int64_t quantize_iq4_nl_blocks_bounds_avx512(const float* x, std::int64_t nblocks, BlockIQ4_NL* y, BlockBoundsArgs& bounds) {
    return iq4_nl_blocks<true>(x, nblocks, y, &bounds);
}

namespace {
// Q2_K, Q4_K and Q5_K: value d1 q - m1 in each sub-block of Sub values (Unpack gives the codes, d1 and m1).
template <class Block, int Sub, void (*Unpack)(const Block&, std::uint8_t*, float*, float*)>
void scale_min_decode(const Block* b, std::int64_t nb, float* y, std::int8_t* codes) {
    alignas(64) std::uint8_t c[kQK_K];
    alignas(64) float d1[kQK_K / Sub], m1[kQK_K / Sub];
    for (std::int64_t k = 0; k < nb; ++k) {
        Unpack(b[k], c, d1, m1);
        if (codes) std::memcpy(codes + k * kQK_K, c, kQK_K);
        float* yb = y + k * kQK_K;
        for (int j = 0; j < kQK_K / 16; ++j)
            _mm512_storeu_ps(yb + 16 * j, q4_k_values(c + 16 * j, d1[16 * j / Sub], m1[16 * j / Sub]));
    }
}
} // namespace

void dequantize_q4_k_blocks_avx512(const BlockQ4_K* b, std::int64_t nb, float* y, std::int8_t* codes) {
    scale_min_decode<BlockQ4_K, 32, q4_k_unpack>(b, nb, y, codes);
}

void dequantize_q2_k_blocks_avx512(const BlockQ2_K* b, std::int64_t nb, float* y, std::int8_t* codes) {
    scale_min_decode<BlockQ2_K, 16, q2_k_unpack>(b, nb, y, codes);
}

void dequantize_q3_k_blocks_avx512(const BlockQ3_K* b, std::int64_t nb, float* y, std::int8_t* codes) {
    alignas(64) std::uint8_t c[kQK_K];
    alignas(64) float f[kQK_K / 16];
    for (std::int64_t k = 0; k < nb; ++k) {
        q3_k_unpack(b[k], c, f);
        if (codes) std::memcpy(codes + k * kQK_K, c, kQK_K);
        float* yb = y + k * kQK_K;
        for (int j = 0; j < kQK_K / 16; ++j)
            _mm512_storeu_ps(yb + 16 * j, offset_values<4>(c, f, j));
    }
}

void dequantize_q5_k_blocks_avx512(const BlockQ5_K* b, std::int64_t nb, float* y, std::int8_t* codes) {
    scale_min_decode<BlockQ5_K, 32, q5_k_unpack>(b, nb, y, codes);
}

void dequantize_iq4_xs_blocks_avx512(const BlockIQ4_XS* b, std::int64_t nb, float* y, std::int8_t* codes) {
    const Iq4Tables T = make_iq4_tables();
    const __m128i low = _mm_set1_epi8(0x0F);
    for (std::int64_t k = 0; k < nb; ++k) {
        const BlockIQ4_XS& blk = b[k];
        const float d = half_of(blk.d);
        float* yb = y + k * kQK_K;
        for (int ib = 0; ib < kQK_K / 32; ++ib) {
            const int ls = ((blk.scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((blk.scales_h >> (2 * ib)) & 3) << 4);
            const __m512 dl = set1(d * static_cast<float>(ls - 32));
            const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(blk.qs + 16 * ib));
            const __m128i c0 = _mm_and_si128(q, low), c1 = _mm_and_si128(_mm_srli_epi16(q, 4), low);
            if (codes) {
                _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + k * kQK_K + 32 * ib), c0);
                _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + k * kQK_K + 32 * ib + 16), c1);
            }
            _mm512_storeu_ps(yb + 32 * ib, _mm512_mul_ps(dl, _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(c0), T.values)));
            _mm512_storeu_ps(yb + 32 * ib + 16, _mm512_mul_ps(dl, _mm512_permutexvar_ps(_mm512_cvtepu8_epi32(c1), T.values)));
        }
    }
}

void dequantize_q6_k_blocks_avx512(const BlockQ6_K* b, std::int64_t nb, float* y, std::int8_t* codes) {
    alignas(64) std::uint8_t c[kQK_K];
    alignas(64) float f[kQK_K / 16];
    for (std::int64_t k = 0; k < nb; ++k) {
        q6_k_unpack(b[k], c, f);
        if (codes) std::memcpy(codes + k * kQK_K, c, kQK_K);
        float* yb = y + k * kQK_K;
        for (int j = 0; j < kQK_K / 16; ++j) _mm512_storeu_ps(yb + 16 * j, offset_values<32>(c, f, j));
    }
}

std::int64_t quantize_q8_0_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ8_0* y, BlockBoundsArgs* bounds) {
    return bounds ? quantize_small_avx512<Small::Q8_0, true>(x, nblocks, y, bounds) : quantize_small_avx512<Small::Q8_0, false>(x, nblocks, y, nullptr);
}
std::int64_t quantize_q4_0_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_0* y, BlockBoundsArgs* bounds) {
    return bounds ? quantize_small_avx512<Small::Q4_0, true>(x, nblocks, y, bounds) : quantize_small_avx512<Small::Q4_0, false>(x, nblocks, y, nullptr);
}
std::int64_t quantize_q4_1_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ4_1* y, BlockBoundsArgs* bounds) {
    return bounds ? quantize_small_avx512<Small::Q4_1, true>(x, nblocks, y, bounds) : quantize_small_avx512<Small::Q4_1, false>(x, nblocks, y, nullptr);
}
std::int64_t quantize_q5_0_blocks_avx512(const float* x, std::int64_t nblocks, BlockQ5_0* y, BlockBoundsArgs* bounds) {
    return bounds ? quantize_small_avx512<Small::Q5_0, true>(x, nblocks, y, bounds) : quantize_small_avx512<Small::Q5_0, false>(x, nblocks, y, nullptr);
}

std::int64_t quantize_small_blocks_decoded_avx512(DType type, const float* x, std::int64_t nblocks, float* y, std::int8_t* codes,
                                                 std::uint32_t* clipped) {
    BlockBoundsArgs bb;
    bb.clipped = clipped;
    switch (type) {
    case DType::GGML_Q8_0: return quantize_small_avx512<Small::Q8_0, true, true>(x, nblocks, nullptr, &bb, y, codes);
    case DType::GGML_Q4_0: return quantize_small_avx512<Small::Q4_0, true, true>(x, nblocks, nullptr, &bb, y, codes);
    case DType::GGML_Q4_1: return quantize_small_avx512<Small::Q4_1, true, true>(x, nblocks, nullptr, &bb, y, codes);
    case DType::GGML_Q5_0: return quantize_small_avx512<Small::Q5_0, true, true>(x, nblocks, nullptr, &bb, y, codes);
    default: return 0;
    }
}

namespace {
// small_block_params_avx512 for one type: small_group() and the grid's reach, stored per block.
template <Small K>
std::int64_t small_params(const float* x, std::int64_t nblocks, float* p, std::int64_t stride) {
    const std::int64_t groups = nblocks / 16;
    std::int64_t g = 0;
    for (; g < groups; ++g) {
        SmallGroup sg;
        if (!small_group<K>(x + g * 16 * 32, sg)) break;
        if (_mm512_fpclass_ps_mask(_mm512_add_ps(sg.df, sg.mf), 0x99) != 0 || _mm512_fpclass_ps_mask(sg.id, 0x99) != 0) break;
        __m512 elo, ehi;
        grid_reach<K>(sg.df, sg.mf, elo, ehi);
        float* at = p + g * 16;
        _mm512_storeu_ps(at, sg.id);
        _mm512_storeu_ps(at + stride, sg.df);
        _mm512_storeu_ps(at + 2 * stride, sg.mins);
        _mm512_storeu_ps(at + 3 * stride, sg.mf);
        _mm512_storeu_ps(at + 4 * stride, elo);
        _mm512_storeu_ps(at + 5 * stride, ehi);
    }
    return g * 16;
}
} // namespace

std::int64_t small_block_params_avx512(DType type, const float* x, std::int64_t nblocks, float* params, std::int64_t stride) {
    switch (type) {
    case DType::GGML_Q8_0: return small_params<Small::Q8_0>(x, nblocks, params, stride);
    case DType::GGML_Q4_0: return small_params<Small::Q4_0>(x, nblocks, params, stride);
    case DType::GGML_Q4_1: return small_params<Small::Q4_1>(x, nblocks, params, stride);
    case DType::GGML_Q5_0: return small_params<Small::Q5_0>(x, nblocks, params, stride);
    default: return 0;
    }
}

bool block_ranges_32_avx512(const float* x, std::int64_t nblocks, float* lo, float* hi) {
    const std::int64_t groups = nblocks / 16;
    __mmask16 bad = 0;
    for (std::int64_t g = 0; g < groups; ++g) {
        const float* xg = x + g * 16 * 32;
        for (int l = 0; l < 16 * 32; l += 16) _mm_prefetch(reinterpret_cast<const char*>(xg + kPrefetchGroups * 16 * 32 + l), _MM_HINT_T0);
        __m512 mx[16], mn[16];
        for (int b = 0; b < 16; ++b) {
            const __m512 v0 = _mm512_loadu_ps(xg + 32 * b), v1 = _mm512_loadu_ps(xg + 32 * b + 16);
            bad |= static_cast<__mmask16>(_mm512_fpclass_ps_mask(v0, 0x99) | _mm512_fpclass_ps_mask(v1, 0x99));  // NaN, +-Inf
            mx[b] = _mm512_max_ps(v0, v1);
            mn[b] = _mm512_min_ps(v0, v1);
        }
        _mm512_storeu_ps(hi + g * 16, reduce16(mx, vmax));
        _mm512_storeu_ps(lo + g * 16, reduce16(mn, vmin));
    }
    if (bad) return false;
    for (std::int64_t b = groups * 16; b < nblocks; ++b) {
        const float* xb = x + b * 32;
        float a = xb[0], z = xb[0];
        for (int j = 0; j < 32; ++j) {
            if (!(xb[j] - xb[j] == 0.0f)) return false;  // NaN or +-Inf
            a = xb[j] < a ? xb[j] : a;
            z = xb[j] > z ? xb[j] : z;
        }
        lo[b] = a;
        hi[b] = z;
    }
    return true;
}

namespace {

// small_block_bounds for one format: the scale, its inverse and the fp16 scale (and Q4_1's fp16 minimum)
// of 16 blocks per lane from their min and max, as quantize_small_avx512 works them out.
template <Small K>
bool small_bounds_avx512(const float* x, const float* lo, const float* hi, std::int64_t nblocks, float& dq_lo, float& dq_hi, float& err) {
    static_assert(K != Small::Q8_0, "Q8_0 states its bounds from the tensor's range");
    const __m512 zero = _mm512_setzero_ps(), absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    // slack for the float roundings between a value and its code (see ggml_quants.h)
    const __m512 grow = set1(1.0f + 0x1p-20f);
    __m512 vlo = set1(__builtin_inff()), vhi = set1(-__builtin_inff()), verr = zero;
    for (std::int64_t g = 0; g < nblocks; g += 16) {
        const __mmask16 m = nblocks - g >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << (nblocks - g)) - 1u);
        const __m512 pmin = _mm512_maskz_loadu_ps(m, lo + g), pmax = _mm512_maskz_loadu_ps(m, hi + g);
        __m512 d, id, mins;  // as the quantizer works them out (lanes past the end: zero blocks, never read)
        block_scales<K>(x + g * 32, pmin, pmax, d, id, mins, m);
        const __m512 df = _mm512_cvtph_ps(_mm512_cvtps_ph(d, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
        const __m512 mf = K == Small::Q4_1 ? _mm512_cvtph_ps(_mm512_cvtps_ph(mins, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)) : zero;
        // an infinite inverse scale (subnormal scales) gives codes out of range, a non-finite fp16 scale
        // or minimum non-finite values: the caller quantizes every block instead
        if ((_mm512_fpclass_ps_mask(id, 0x99) | _mm512_fpclass_ps_mask(_mm512_add_ps(df, mf), 0x99)) & m) return false;
        // dequantized values are monotone in x within a block: its extremes are those of its min and max
        const __m512 ylo = values_of<K>(codes_of<K>(pmin, id, mins), df, mf), yhi = values_of<K>(codes_of<K>(pmax, id, mins), df, mf);
        vlo = _mm512_mask_min_ps(vlo, m, vlo, _mm512_min_ps(ylo, yhi));
        vhi = _mm512_mask_max_ps(vhi, m, vhi, _mm512_max_ps(ylo, yhi));
        // the errors of the min and max (exact), and the bound on every value whose code is not clipped
        const __m512 ends = _mm512_max_ps(_mm512_and_ps(_mm512_sub_ps(ylo, pmin), absmask), _mm512_and_ps(_mm512_sub_ps(yhi, pmax), absmask));
        const __m512 ad = _mm512_and_ps(d, absmask);
        __m512 inner;
        if constexpr (K == Small::Q4_1) {
            // the fp16 scale and minimum move level q by q (df - d) + (mf - min), largest at q = 0 or 15
            const __m512 dm = _mm512_sub_ps(mf, mins);
            const __m512 shift = _mm512_max_ps(_mm512_and_ps(dm, absmask),
                                               _mm512_and_ps(_mm512_add_ps(_mm512_mul_ps(set1(15.0f), _mm512_sub_ps(df, d)), dm), absmask));
            const __m512 mag = _mm512_add_ps(_mm512_and_ps(pmin, absmask), _mm512_and_ps(pmax, absmask));
            inner = _mm512_add_ps(shift, _mm512_add_ps(_mm512_mul_ps(ad, set1(0.5f + 0x1p-19f)), _mm512_mul_ps(mag, set1(0x1p-21f))));
        } else {
            constexpr float half = K == Small::Q4_0 ? 8.0f : 16.0f;
            const __m512 dd = _mm512_and_ps(_mm512_sub_ps(df, d), absmask);
            inner = _mm512_add_ps(_mm512_mul_ps(set1(half), dd), _mm512_mul_ps(ad, set1(0.5f + half * 0x1p-20f)));
        }
        verr = _mm512_mask_max_ps(verr, m, verr, _mm512_max_ps(ends, _mm512_mul_ps(inner, grow)));
    }
    dq_lo = _mm512_reduce_min_ps(vlo);
    dq_hi = _mm512_reduce_max_ps(vhi);
    err = _mm512_reduce_max_ps(verr);
    return true;
}

} // namespace

bool small_block_bounds_avx512(DType type, const float* x, const float* lo, const float* hi, std::int64_t nblocks, float& dq_lo, float& dq_hi,
                               float& err) {
    switch (type) {
    case DType::GGML_Q4_0: return small_bounds_avx512<Small::Q4_0>(x, lo, hi, nblocks, dq_lo, dq_hi, err);
    case DType::GGML_Q4_1: return small_bounds_avx512<Small::Q4_1>(x, lo, hi, nblocks, dq_lo, dq_hi, err);
    case DType::GGML_Q5_0: return small_bounds_avx512<Small::Q5_0>(x, lo, hi, nblocks, dq_lo, dq_hi, err);
    default: return false;
    }
}

} // namespace ql::ggml::detail
#else

namespace ql::ggml::detail {
bool ggml_quants_avx512_compiled() { return false; }
std::int64_t quantize_q4_k_blocks_avx512(const float*, std::int64_t, BlockQ4_K*) { return 0; }
std::int64_t quantize_q5_k_blocks_avx512(const float*, std::int64_t, BlockQ5_K*) { return 0; }
std::int64_t quantize_q2_k_blocks_avx512(const float*, std::int64_t, BlockQ2_K*) { return 0; }
std::int64_t quantize_q3_k_blocks_avx512(const float*, std::int64_t, BlockQ3_K*) { return 0; }
std::int64_t quantize_q6_k_blocks_avx512(const float*, std::int64_t, BlockQ6_K*) { return 0; }
std::int64_t quantize_iq4_xs_blocks_avx512(const float*, std::int64_t, BlockIQ4_XS*) { return 0; }
void dequantize_iq4_xs_blocks_avx512(const BlockIQ4_XS*, std::int64_t, float*, std::int8_t*) {}
std::int64_t quantize_iq4_nl_blocks_avx512(const float*, std::int64_t, BlockIQ4_NL*) { return 0; }
std::int64_t quantize_q4_k_blocks_bounds_avx512(const float*, std::int64_t, BlockQ4_K*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_q5_k_blocks_bounds_avx512(const float*, std::int64_t, BlockQ5_K*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_q2_k_blocks_bounds_avx512(const float*, std::int64_t, BlockQ2_K*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_q3_k_blocks_bounds_avx512(const float*, std::int64_t, BlockQ3_K*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_iq4_xs_blocks_bounds_avx512(const float*, std::int64_t, BlockIQ4_XS*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_q6_k_blocks_bounds_avx512(const float*, std::int64_t, BlockQ6_K*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_iq4_nl_blocks_bounds_avx512(const float*, std::int64_t, BlockIQ4_NL*, BlockBoundsArgs&) { return 0; }
std::int64_t quantize_q8_0_blocks_avx512(const float*, std::int64_t, BlockQ8_0*, BlockBoundsArgs*) { return 0; }
std::int64_t small_block_params_avx512(DType, const float*, std::int64_t, float*, std::int64_t) { return 0; }
std::int64_t quantize_q4_0_blocks_avx512(const float*, std::int64_t, BlockQ4_0*, BlockBoundsArgs*) { return 0; }
std::int64_t quantize_q4_1_blocks_avx512(const float*, std::int64_t, BlockQ4_1*, BlockBoundsArgs*) { return 0; }
std::int64_t quantize_q5_0_blocks_avx512(const float*, std::int64_t, BlockQ5_0*, BlockBoundsArgs*) { return 0; }
std::int64_t quantize_small_blocks_decoded_avx512(DType, const float*, std::int64_t, float*, std::int8_t*, std::uint32_t*) { return 0; }
bool block_ranges_32_avx512(const float*, std::int64_t, float*, float*) { return false; }
bool small_block_bounds_avx512(DType, const float*, const float*, const float*, std::int64_t, float&, float&, float&) { return false; }
void dequantize_q4_k_blocks_avx512(const BlockQ4_K*, std::int64_t, float*, std::int8_t*) {}
void dequantize_q6_k_blocks_avx512(const BlockQ6_K*, std::int64_t, float*, std::int8_t*) {}
void dequantize_q2_k_blocks_avx512(const BlockQ2_K*, std::int64_t, float*, std::int8_t*) {}
void dequantize_q3_k_blocks_avx512(const BlockQ3_K*, std::int64_t, float*, std::int8_t*) {}
void dequantize_q5_k_blocks_avx512(const BlockQ5_K*, std::int64_t, float*, std::int8_t*) {}
} // namespace ql::ggml::detail

#endif
