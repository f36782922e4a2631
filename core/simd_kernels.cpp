// Vectorised building blocks (see simd_kernels.h). The AVX2 paths reproduce the scalar arithmetic of
// core/int_quant_math.h exactly: _mm256_round_ps with _MM_FROUND_TO_NEAREST_INT is rint (ties to
// even), products and differences are the same single float operations, no contraction.
#include "core/simd_kernels.h"
#include "core/simd_fold.h"

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "core/int_quant_math.h"
#include "core/int_quantizer.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace ql::simd {

bool minmax_finite(const float* x, std::int64_t n, float& lo_out, float& hi_out) {
    float lo = std::numeric_limits<float>::infinity();
    float hi = -std::numeric_limits<float>::infinity();
    std::int64_t i = 0;
#if defined(__AVX2__)
    __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi);
    const __m256 inf = _mm256_set1_ps(std::numeric_limits<float>::infinity());
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        // finite <=> |v| < inf (false for NaN and +-inf)
        __m256 fin = _mm256_cmp_ps(_mm256_and_ps(v, absmask), inf, _CMP_LT_OQ);
        vlo = _mm256_min_ps(vlo, _mm256_blendv_ps(inf, v, fin));
        vhi = _mm256_max_ps(vhi, _mm256_blendv_ps(_mm256_sub_ps(_mm256_setzero_ps(), inf), v, fin));
    }
    alignas(32) float a[8], b[8];
    _mm256_store_ps(a, vlo);
    _mm256_store_ps(b, vhi);
    for (int k = 0; k < 8; ++k) {
        lo = a[k] < lo ? a[k] : lo;
        hi = b[k] > hi ? b[k] : hi;
    }
#endif
    for (; i < n; ++i) {
        float v = x[i];
        if (!std::isfinite(v)) continue;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (!(lo <= hi)) return false;
    lo_out = lo;
    hi_out = hi;
    return true;
}

float absmax_finite(const float* x, std::int64_t n) {
    float lo = 0, hi = 0;
    if (!minmax_finite(x, n, lo, hi)) return 0.0f;
    return std::fmax(std::fabs(lo), std::fabs(hi));
}

namespace {

inline std::uint64_t scalar_fake_quant(const float* x, std::int64_t n, float scale, float inv, int z, int qmin,
                                       int qmax, float* dq, std::int8_t* codes) {
    std::uint64_t clipped = 0;
    const IntParams p{scale, inv, z};
    const IntRange r{qmin, qmax};
    for (std::int64_t k = 0; k < n; ++k) {
        const float v = ql_rint(x[k] * inv) + static_cast<float>(z);
        if (std::isfinite(x[k]) && (v < static_cast<float>(qmin) || v > static_cast<float>(qmax))) ++clipped;
        const int q = int_quantize(x[k], p, r);
        dq[k] = int_dequantize(q, p);
        if (codes) codes[k] = static_cast<std::int8_t>(q);
    }
    return clipped;
}

#if defined(__AVX2__)
// One vector of 8: returns the clipped mask bits.
inline int fq8(__m256 xv, __m256 vscale, __m256 vinv, __m256 vz, __m256 vqmin, __m256 vqmax, float* dq,
               std::int8_t* codes) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256 inf = _mm256_set1_ps(std::numeric_limits<float>::infinity());
    __m256 t = _mm256_round_ps(_mm256_mul_ps(xv, vinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 v = _mm256_add_ps(t, vz);
    __m256 fin = _mm256_cmp_ps(_mm256_and_ps(xv, absmask), inf, _CMP_LT_OQ);
    __m256 out = _mm256_or_ps(_mm256_cmp_ps(v, vqmin, _CMP_LT_OQ), _mm256_cmp_ps(v, vqmax, _CMP_GT_OQ));
    int clipbits = _mm256_movemask_ps(_mm256_and_ps(out, fin));
    __m256 nan = _mm256_cmp_ps(v, v, _CMP_UNORD_Q);
    // clamp exactly as the scalar: v < qmin ? qmin : v; then v > qmax ? qmax : v; NaN -> z
    __m256 c = _mm256_blendv_ps(v, vqmin, _mm256_cmp_ps(v, vqmin, _CMP_LT_OQ));
    c = _mm256_blendv_ps(c, vqmax, _mm256_cmp_ps(c, vqmax, _CMP_GT_OQ));
    c = _mm256_blendv_ps(c, vz, nan);
    _mm256_storeu_ps(dq, _mm256_mul_ps(_mm256_sub_ps(c, vz), vscale));
    if (codes) {
        __m256i i32 = _mm256_cvtps_epi32(c);
        __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(i32), _mm256_extracti128_si256(i32, 1));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(codes), _mm_packs_epi16(p16, p16));
    }
    return clipbits;
}
#endif

} // namespace

std::uint64_t int_fake_quant(const float* x, std::int64_t n, float scale, float inv, int z, int qmin, int qmax,
                             float* dq, std::int8_t* codes) {
    std::uint64_t clipped = 0;
    std::int64_t i = 0;
#if defined(__AVX2__)
    const __m256 vscale = _mm256_set1_ps(scale), vinv = _mm256_set1_ps(inv), vz = _mm256_set1_ps(static_cast<float>(z));
    const __m256 vqmin = _mm256_set1_ps(static_cast<float>(qmin)), vqmax = _mm256_set1_ps(static_cast<float>(qmax));
    for (; i + 8 <= n; i += 8) {
        int bits = fq8(_mm256_loadu_ps(x + i), vscale, vinv, vz, vqmin, vqmax, dq + i, codes ? codes + i : nullptr);
        clipped += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(bits)));
    }
#endif
    clipped += scalar_fake_quant(x + i, n - i, scale, inv, z, qmin, qmax, dq + i, codes ? codes + i : nullptr);
    return clipped;
}

std::uint64_t int_fake_quant_vec(const float* x, std::int64_t n, const float* scale, const float* inv,
                                 const float* zp, int qmin, int qmax, float* dq, std::int8_t* codes) {
    std::uint64_t clipped = 0;
    std::int64_t i = 0;
#if defined(__AVX2__)
    const __m256 vqmin = _mm256_set1_ps(static_cast<float>(qmin)), vqmax = _mm256_set1_ps(static_cast<float>(qmax));
    for (; i + 8 <= n; i += 8) {
        int bits = fq8(_mm256_loadu_ps(x + i), _mm256_loadu_ps(scale + i), _mm256_loadu_ps(inv + i),
                       _mm256_loadu_ps(zp + i), vqmin, vqmax, dq + i, codes ? codes + i : nullptr);
        clipped += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(bits)));
    }
#endif
    for (; i < n; ++i)
        clipped += scalar_fake_quant(x + i, 1, scale[i], inv[i], static_cast<int>(zp[i]), qmin, qmax, dq + i,
                                     codes ? codes + i : nullptr);
    return clipped;
}

void int_slice_params(const float* lo, const float* hi, std::int64_t n, int bits, bool symmetric, bool f16_scale,
                      IntParams* out) {
    std::int64_t k = 0;
#if defined(__AVX2__) && defined(__F16C__)
    // int_params() and the fp16 rounding of int_slice_params(), eight slices at a time: max/min with 0
    // are the scalar comparisons (vmaxps(v, 0) = v > 0 ? v : 0), the divisions are IEEE, rint is round
    // to nearest even, and vcvtps2ph rounds to nearest even as float_to_half() does.
    const IntRange r = int_code_range(bits, symmetric);
    const __m256 zero = _mm256_setzero_ps();
    const __m256 qminf = _mm256_set1_ps(static_cast<float>(r.qmin)), qmaxf = _mm256_set1_ps(static_cast<float>(r.qmax));
    const __m256 denom = _mm256_set1_ps(symmetric ? static_cast<float>(r.qmax - r.qmin) / 2.0f : static_cast<float>(r.qmax - r.qmin));
    const __m256 eps = _mm256_set1_ps(FLT_EPSILON), one = _mm256_set1_ps(1.0f);
    const __m256 h_min = _mm256_set1_ps(5.9604644775390625e-08f), h_max = _mm256_set1_ps(65504.0f);
    const __m256 inf = _mm256_set1_ps(std::numeric_limits<float>::infinity());
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    alignas(32) float sc[8], inv[8];
    alignas(32) std::int32_t zp[8];
    for (; k + 8 <= n; k += 8) {
        __m256 a = _mm256_loadu_ps(lo + k), b = _mm256_loadu_ps(hi + k);
        const __m256 ok = _mm256_cmp_ps(a, b, _CMP_LE_OQ);  // else no finite value: [0, 0]
        a = _mm256_and_ps(a, ok);
        b = _mm256_and_ps(b, ok);
        const __m256 min_neg = _mm256_min_ps(a, zero), max_pos = _mm256_max_ps(b, zero);
        const __m256 span = symmetric ? _mm256_max_ps(_mm256_sub_ps(zero, min_neg), max_pos) : _mm256_sub_ps(max_pos, min_neg);
        __m256 s = _mm256_div_ps(span, denom);
        s = _mm256_blendv_ps(eps, s, _mm256_cmp_ps(s, eps, _CMP_GT_OQ));
        if (f16_scale) {
            s = _mm256_cvtph_ps(_mm256_cvtps_ph(s, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            s = _mm256_blendv_ps(h_min, s, _mm256_cmp_ps(s, zero, _CMP_GT_OQ));
            s = _mm256_blendv_ps(h_max, s, _mm256_cmp_ps(_mm256_and_ps(s, absmask), inf, _CMP_LT_OQ));
        }
        __m256 z = zero;
        if (!symmetric) {
            z = _mm256_sub_ps(qminf, _mm256_round_ps(_mm256_div_ps(min_neg, s), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            z = _mm256_min_ps(_mm256_max_ps(z, qminf), qmaxf);
        }
        _mm256_store_ps(sc, s);
        _mm256_store_ps(inv, _mm256_div_ps(one, s));
        _mm256_store_si256(reinterpret_cast<__m256i*>(zp), _mm256_cvttps_epi32(z));
        for (int l = 0; l < 8; ++l) out[k + l] = IntParams{sc[l], inv[l], zp[l]};
    }
#endif
    for (; k < n; ++k) {
        float a = lo[k], b = hi[k];
        if (!(a <= b)) a = b = 0.0f;
        out[k] = ql::int_slice_params(a, b, bits, symmetric, f16_scale ? ScaleType::F16 : ScaleType::F32);
    }
}

namespace {
// One slice of int_output_bounds(), as the vector path computes it lane by lane.
void output_bound_of(const IntParams& p, float rl, float rh, int qmin, int qmax, float& dq_lo, float& dq_hi, float& err_abs) {
    const float lo = int_dequantize(qmin, p), hi = int_dequantize(qmax, p);
    dq_lo = std::min(dq_lo, lo);
    dq_hi = std::max(dq_hi, hi);
    float clip = 0.0f;
    if (rl <= rh) clip = std::max({clip, rh - hi, lo - rl});
    const float mag = std::max({std::fabs(lo), std::fabs(hi), rl <= rh ? std::max(std::fabs(rl), std::fabs(rh)) : 0.0f});
    err_abs = std::max(err_abs, std::max(p.scale * 0.5f * (1.0f + 0x1p-20f), clip) + mag * 0x1p-21f);
}
} // namespace

void int_output_bounds(const IntParams* p, const float* reach_lo, const float* reach_hi, std::int64_t n, int qmin, int qmax,
                       float& dq_lo, float& dq_hi, float& err_abs) {
    std::int64_t k = 0;
#if defined(__AVX2__)
    // Eight slices at a time. Every value is finite except an empty slice's reach (+inf, -inf), which
    // the reach test masks out; max / min of two finite floats equal std::max / std::min's values.
    static_assert(sizeof(IntParams) == 12, "IntParams: three 32-bit fields");
    const float* pf = reinterpret_cast<const float*>(p);
    const __m256i idx = _mm256_setr_epi32(0, 3, 6, 9, 12, 15, 18, 21);
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF)), zero = _mm256_setzero_ps();
    const __m256 half = _mm256_set1_ps(0.5f), widen = _mm256_set1_ps(1.0f + 0x1p-20f), ulp = _mm256_set1_ps(0x1p-21f);
    __m256 vlo = _mm256_set1_ps(dq_lo), vhi = _mm256_set1_ps(dq_hi), verr = _mm256_set1_ps(err_abs);
    for (; k + 8 <= n; k += 8) {
        const __m256 s = _mm256_i32gather_ps(pf + 3 * k, idx, 4);
        const __m256i zi = _mm256_i32gather_epi32(reinterpret_cast<const int*>(pf + 3 * k + 2), idx, 4);
        // (q - z) as int_dequantize() computes it: the integer difference, then its float
        const __m256 lo = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_set1_epi32(qmin), zi)), s);
        const __m256 hi = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_set1_epi32(qmax), zi)), s);
        vlo = _mm256_min_ps(vlo, lo);
        vhi = _mm256_max_ps(vhi, hi);
        const __m256 rl = _mm256_loadu_ps(reach_lo + k), rh = _mm256_loadu_ps(reach_hi + k);
        const __m256 has = _mm256_cmp_ps(rl, rh, _CMP_LE_OQ);
        const __m256 clip = _mm256_and_ps(has, _mm256_max_ps(zero, _mm256_max_ps(_mm256_sub_ps(rh, hi), _mm256_sub_ps(lo, rl))));
        const __m256 reach = _mm256_and_ps(has, _mm256_max_ps(_mm256_and_ps(rl, absmask), _mm256_and_ps(rh, absmask)));
        const __m256 mag = _mm256_max_ps(_mm256_max_ps(_mm256_and_ps(lo, absmask), _mm256_and_ps(hi, absmask)), reach);
        const __m256 bound = _mm256_add_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_mul_ps(s, half), widen), clip), _mm256_mul_ps(mag, ulp));
        verr = _mm256_max_ps(verr, bound);
    }
    detail::fold_lanes(vlo, vhi, verr, dq_lo, dq_hi, err_abs);
#endif
    for (; k < n; ++k) output_bound_of(p[k], reach_lo[k], reach_hi[k], qmin, qmax, dq_lo, dq_hi, err_abs);
}

namespace {
// histogram_floor()'s bin of v: (v - lo) * inv truncated into [0, bins - 1]; NaN in bin 0.
std::size_t floor_bin(float v, float lo, float inv, int bins) {
    const float b = (v - lo) * inv;
    if (!(b >= 0.0f)) return 0;
    return b >= static_cast<float>(bins - 1) ? static_cast<std::size_t>(bins - 1) : static_cast<std::size_t>(b);
}
} // namespace

std::int64_t histogram_floor(const float* x, std::int64_t n, float lo, float hi, int bins) {
    if (bins < 1) bins = 1;
    const float inv = static_cast<float>(bins) / (hi - lo);
    std::int64_t total = 0;
#pragma omp parallel reduction(+ : total)
    {
        // four interleaved copies (value l of a step counts in copy l % 4): consecutive increments of one
        // bin would otherwise wait on each other, which the analysis' larger tables rarely do
        std::vector<std::uint32_t> table(4 * static_cast<std::size_t>(bins), 0);
        std::uint32_t* t = table.data();
        const std::size_t nb = static_cast<std::size_t>(bins);
        constexpr std::int64_t kStep = 8;
#if defined(__AVX2__)
        const __m256 vlo = _mm256_set1_ps(lo), vinv = _mm256_set1_ps(inv), zero = _mm256_setzero_ps();
        const __m256 last = _mm256_set1_ps(static_cast<float>(bins - 1));
        alignas(32) std::int32_t ring[4][kStep] = {};
        int slot = 0;
        bool primed[4] = {false, false, false, false};
#endif
#pragma omp for schedule(static) nowait
        for (std::int64_t i = 0; i < n / kStep; ++i) {
            const float* p = x + i * kStep;
#if defined(__AVX2__)
            const __m256 b = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(p), vlo), vinv), zero), last);
            if (primed[slot])
                for (int l = 0; l < kStep; ++l) ++t[static_cast<std::size_t>(l & 3) * nb + static_cast<std::size_t>(ring[slot][l])];
            _mm256_store_si256(reinterpret_cast<__m256i*>(ring[slot]), _mm256_cvttps_epi32(b));
            primed[slot] = true;
            slot = (slot + 1) & 3;
#else
            for (int l = 0; l < kStep; ++l) ++t[static_cast<std::size_t>(l & 3) * nb + floor_bin(p[l], lo, inv, bins)];
#endif
        }
#if defined(__AVX2__)
        for (int r = 0; r < 4; ++r)
            if (primed[r])
                for (int l = 0; l < kStep; ++l) ++t[static_cast<std::size_t>(l & 3) * nb + static_cast<std::size_t>(ring[r][l])];
#endif
        for (std::uint32_t c : table) total += c;
    }
    std::vector<std::uint32_t> tail(static_cast<std::size_t>(bins), 0);
    for (std::int64_t i = n / 8 * 8; i < n; ++i) ++tail[floor_bin(x[i], lo, inv, bins)];
    for (std::uint32_t c : tail) total += c;
    return total;
}

float read_sum(const float* x, std::int64_t n) {
    float total = 0;
#pragma omp parallel reduction(+ : total)
    {
        float part = 0;
#if defined(__AVX2__)
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
#pragma omp for schedule(static) nowait
        for (std::int64_t i = 0; i < n / 32; ++i) {
            const float* p = x + i * 32;
            s0 = _mm256_add_ps(s0, _mm256_loadu_ps(p));
            s1 = _mm256_add_ps(s1, _mm256_loadu_ps(p + 8));
            s2 = _mm256_add_ps(s2, _mm256_loadu_ps(p + 16));
            s3 = _mm256_add_ps(s3, _mm256_loadu_ps(p + 24));
        }
        alignas(32) float v[8];
        _mm256_store_ps(v, _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        for (float f : v) part += f;
#else
        float a[8] = {};
#pragma omp for schedule(static) nowait
        for (std::int64_t i = 0; i < n / 8; ++i)
            for (int k = 0; k < 8; ++k) a[k] += x[i * 8 + k];
        for (float f : a) part += f;
#endif
        total += part;
    }
    for (std::int64_t i = n / 32 * 32; i < n; ++i) total += x[i];
    return total;
}

} // namespace ql::simd
