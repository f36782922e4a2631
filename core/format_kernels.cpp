// Vectorised float-format and NF4 loops (see format_kernels.h).
#include "core/cpu_features.h"
#include "core/format_kernels.h"
#include "core/format_kernels_avx512.h"
#include "core/simd_fold.h"
#include "core/simd_kernels.h"

#include <algorithm>
#include <array>
#include <cmath>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace ql::kernels {

namespace {

// nf4_code()'s thresholds: the fp32 midpoints between neighbouring NF4 levels, ascending.
constexpr float kNf4Thresholds[15] = {-0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f,
                                     -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
                                     0.1202552504837513f, 0.2035212516784668f, 0.2920137718319893f, 0.3893125355243683f,
                                     0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f};

// The AVX-512 forms (core/format_kernels_avx512.cpp) where this CPU has them.
bool use_avx512() {
    static const bool ok = detail::format_kernels_avx512_compiled() && ql::cpu_has_avx512();
    return ok;
}

std::uint64_t minifloat_avx512(const float* x, std::int64_t n, std::int64_t block, const float* scales, const MiniFloat& f, float* y,
                               std::int8_t* codes) {
    detail::MiniFloatArgs a;
    a.mbits = f.mbits;
    a.ebits = f.ebits;
    a.emin = f.emin;
    a.max = f.max;
    a.has_nan = minifloat_has_nan(f);
    a.nan_code = minifloat_nan_code(f);
    a.max_code = minifloat_encode(f.max, f);
    return detail::minifloat_fake_quant_blocks_avx512(x, n, block, scales, a, y, codes);
}

void nf4_avx512(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored, float* y, std::int8_t* codes) {
    // the levels, and the thresholds between them (the last slot is never looked up)
    static const auto tables = [] {
        std::array<float, 32> t{};
        for (int c = 0; c < 16; ++c) t[static_cast<std::size_t>(c)] = nf4_value(c);
        for (int k = 0; k < 15; ++k) t[static_cast<std::size_t>(16 + k)] = kNf4Thresholds[k];
        t[31] = INFINITY;
        return t;
    }();
    detail::nf4_fake_quant_blocks_avx512(x, n, block, invs, stored, tables.data(), tables.data() + 16, y, codes);
}

inline std::uint64_t scalar_minifloat(const float* x, std::int64_t n, float s, const MiniFloat& f, float* y, std::int8_t* codes) {
    const bool has_nan = minifloat_has_nan(f);
    std::uint64_t clip = 0;
    for (std::int64_t k = 0; k < n; ++k) {
        bool c = false;
        const float v = x[k];
        float q = minifloat_round(v / s, f, c);
        if (q != q && !has_nan) q = 0.0f;
        y[k] = q * s;
        clip += (c && std::isfinite(v)) ? 1 : 0;
        if (codes) codes[k] = static_cast<std::int8_t>(q != q ? minifloat_nan_code(f) : minifloat_encode(q, f));
    }
    return clip;
}

} // namespace

#if defined(__AVX2__)
namespace {
using simd::detail::fold_lanes;
// The 8 lanes of c (each 0..255) as 8 bytes at p: the low byte of each lane, as the scalar cast keeps.
inline void store_codes8(std::int8_t* p, __m256i c) {
    const __m128i w = _mm_packus_epi32(_mm256_castsi256_si128(c), _mm256_extracti128_si256(c, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_packus_epi16(w, w));
}
} // namespace

std::uint64_t minifloat_fake_quant_blocks(const float* x, std::int64_t n, std::int64_t block, const float* scales, const MiniFloat& f,
                                          float* y, std::int8_t* codes) {
    if (use_avx512()) return minifloat_avx512(x, n, block, scales, f, y, codes);
    const bool has_nan = minifloat_has_nan(f);
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256 signmask = _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int>(0x80000000u)));
    const __m256 vmax = _mm256_set1_ps(f.max);
    const __m256 inf = _mm256_set1_ps(INFINITY);
    const __m256i emin = _mm256_set1_epi32(f.emin), mbits = _mm256_set1_epi32(f.mbits), b127 = _mm256_set1_epi32(127);
    const __m256 sub_scale = _mm256_set1_ps(pow2f(f.mbits - f.emin));  // subnormal code = r * 2^(mbits - emin)
    const __m256i mmask = _mm256_set1_epi32((1 << f.mbits) - 1);
    const __m256i nan_code = _mm256_set1_epi32(minifloat_nan_code(f));
    std::uint64_t clip = 0;
    for (std::int64_t b0 = 0; b0 < n; b0 += block) {
    const std::int64_t b1 = std::min(n, b0 + block);
    const float s = scales[b0 / block];
    const __m256 vs = _mm256_set1_ps(s);
    std::int64_t i = b0;
    for (; i + 8 <= b1; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i);
        const __m256 v = _mm256_div_ps(xv, vs);
        const __m256 a = _mm256_and_ps(v, absmask);
        // e = max(floor(log2 a), emin) from the exponent bits (float subnormals and 0 fall below emin)
        __m256i e = _mm256_sub_epi32(_mm256_srli_epi32(_mm256_castps_si256(a), 23), b127);
        e = _mm256_min_epi32(_mm256_max_epi32(e, emin), b127);  // Inf/NaN: keep 2^-k a normal float
        const __m256i k = _mm256_sub_epi32(e, mbits);
        const __m256 p = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(k, b127), 23));
        const __m256 pinv = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_sub_epi32(b127, k), 23));
        __m256 r = _mm256_mul_ps(_mm256_round_ps(_mm256_mul_ps(a, pinv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), p);
        const __m256 over = _mm256_cmp_ps(r, vmax, _CMP_GT_OQ);
        r = _mm256_blendv_ps(r, vmax, over);
        const __m256 finite_x = _mm256_cmp_ps(_mm256_and_ps(xv, absmask), inf, _CMP_LT_OQ);
        clip += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(_mm256_and_ps(over, finite_x)))));
        const __m256 isnan = _mm256_cmp_ps(v, v, _CMP_UNORD_Q);
        if (!has_nan) r = _mm256_andnot_ps(isnan, r);  // a NaN input is stored as +0
        __m256 q = _mm256_or_ps(r, _mm256_and_ps(v, signmask));
        q = _mm256_blendv_ps(q, has_nan ? v : _mm256_setzero_ps(), isnan);
        _mm256_storeu_ps(y + i, _mm256_mul_ps(q, vs));
        if (codes) {
            // code of r: normal -> exponent field e_r - emin + 1 and the top mantissa bits; else r * 2^(mbits - emin)
            const __m256i rb = _mm256_castps_si256(r);
            const __m256i er = _mm256_sub_epi32(_mm256_srli_epi32(rb, 23), b127);
            const __m256i normal = _mm256_cmpgt_epi32(er, _mm256_sub_epi32(emin, _mm256_set1_epi32(1)));
            const __m256i field = _mm256_add_epi32(_mm256_sub_epi32(er, emin), _mm256_set1_epi32(1));
            const __m256i mant_n = _mm256_and_si256(_mm256_srlv_epi32(rb, _mm256_sub_epi32(_mm256_set1_epi32(23), mbits)), mmask);
            const __m256i code_n = _mm256_or_si256(_mm256_sllv_epi32(field, mbits), mant_n);
            const __m256i code_s = _mm256_cvttps_epi32(_mm256_mul_ps(r, sub_scale));
            __m256i code = _mm256_blendv_epi8(code_s, code_n, normal);
            const __m256i sign = _mm256_srli_epi32(_mm256_castps_si256(_mm256_and_ps(q, signmask)), 31);
            code = _mm256_or_si256(code, _mm256_slli_epi32(sign, f.ebits + f.mbits));
            if (has_nan) code = _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(code), _mm256_castsi256_ps(nan_code), isnan));
            store_codes8(codes + i, code);
        }
    }
    clip += scalar_minifloat(x + i, b1 - i, s, f, y + i, codes ? codes + i : nullptr);
    }
    return clip;
}

std::uint64_t minifloat_fake_quant(const float* x, std::int64_t n, float s, const MiniFloat& f, float* y, std::int8_t* codes) {
    return n > 0 ? minifloat_fake_quant_blocks(x, n, n, &s, f, y, codes) : 0;
}

void nf4_fake_quant_blocks(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored_v, float* y,
                           std::int8_t* codes) {
    if (use_avx512()) return nf4_avx512(x, n, block, invs, stored_v, y, codes);
    alignas(32) float lut[16];
    for (int c = 0; c < 16; ++c) lut[c] = nf4_value(c);
    const __m256 lo = _mm256_load_ps(lut), hi = _mm256_load_ps(lut + 8);
    const float* t = kNf4Thresholds;
    // The code is the number of thresholds below v (x > t, NaN: none), found as the tree does in four
    // steps: compare with t[idx + step - 1] for step 8, 4, 2, 1 (each step's candidates looked up by idx).
    alignas(32) float t_odd[8], t_even[8];  // t[4k + 1] and t[4k + 3] (t[15] does not exist: never looked up); t[2k]
    for (int k = 0; k < 4; ++k) {
        t_odd[k] = t[4 * k + 1];
        t_odd[k + 4] = k < 3 ? t[4 * k + 3] : INFINITY;
    }
    for (int k = 0; k < 8; ++k) t_even[k] = t[2 * k];
    const __m256 vt_odd = _mm256_load_ps(t_odd), vt_even = _mm256_load_ps(t_even);
    const __m256 t7 = _mm256_set1_ps(t[7]);
    const __m256i i8 = _mm256_set1_epi32(8), i4 = _mm256_set1_epi32(4), i2 = _mm256_set1_epi32(2), i1 = _mm256_set1_epi32(1);
    for (std::int64_t b0 = 0; b0 < n; b0 += block) {
    const std::int64_t b1 = std::min(n, b0 + block);
    const float inv = invs[b0 / block], stored = stored_v[b0 / block];
    const __m256 vinv = _mm256_set1_ps(inv), vs = _mm256_set1_ps(stored);
    std::int64_t i = b0;
    for (; i + 8 <= b1; i += 8) {
        const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + i), vinv);
        // step 8: t[7]; step 4: t[idx + 3] = t_odd[4 + idx / 4]; step 2: t[idx + 1] = t_odd[idx / 4];
        // step 1: t[idx] = t_even[idx / 2]
        __m256i c = _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v, t7, _CMP_GT_OQ)), i8);
        __m256 th = _mm256_permutevar8x32_ps(vt_odd, _mm256_add_epi32(_mm256_srli_epi32(c, 2), i4));
        c = _mm256_add_epi32(c, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v, th, _CMP_GT_OQ)), i4));
        th = _mm256_permutevar8x32_ps(vt_odd, _mm256_srli_epi32(c, 2));
        c = _mm256_add_epi32(c, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v, th, _CMP_GT_OQ)), i2));
        th = _mm256_permutevar8x32_ps(vt_even, _mm256_srli_epi32(c, 1));
        c = _mm256_add_epi32(c, _mm256_and_si256(_mm256_castps_si256(_mm256_cmp_ps(v, th, _CMP_GT_OQ)), i1));
        const __m256 a = _mm256_permutevar8x32_ps(lo, c), b = _mm256_permutevar8x32_ps(hi, c);
        const __m256 val = _mm256_blendv_ps(a, b, _mm256_castsi256_ps(_mm256_cmpgt_epi32(c, _mm256_set1_epi32(7))));
        _mm256_storeu_ps(y + i, _mm256_mul_ps(val, vs));
        if (codes) {
            store_codes8(codes + i, c);
        }
    }
    for (; i < b1; ++i) {
        const int q = nf4_code(x[i] * inv);
        y[i] = nf4_value(q) * stored;
        if (codes) codes[i] = static_cast<std::int8_t>(q);
    }
    }
}

void nf4_fake_quant(const float* x, std::int64_t n, float inv, float stored, float* y, std::int8_t* codes) {
    if (n > 0) nf4_fake_quant_blocks(x, n, n, &inv, &stored, y, codes);
}

void block_stats(const float* x, const float* y, std::int64_t n, float elo, float ehi, float& lo, float& hi, float& err,
                 std::uint32_t& clip) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256 inf = _mm256_set1_ps(INFINITY), vlo0 = _mm256_set1_ps(elo), vhi0 = _mm256_set1_ps(ehi);
    __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), verr = _mm256_set1_ps(err);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i), yv = _mm256_loadu_ps(y + i);
        const __m256 fin = _mm256_cmp_ps(_mm256_and_ps(xv, absmask), inf, _CMP_LT_OQ);
        vlo = _mm256_blendv_ps(vlo, _mm256_min_ps(vlo, yv), fin);
        vhi = _mm256_blendv_ps(vhi, _mm256_max_ps(vhi, yv), fin);
        verr = _mm256_blendv_ps(verr, _mm256_max_ps(verr, _mm256_and_ps(_mm256_sub_ps(yv, xv), absmask)), fin);
        const __m256 out = _mm256_or_ps(_mm256_cmp_ps(xv, vlo0, _CMP_LT_OQ), _mm256_cmp_ps(xv, vhi0, _CMP_GT_OQ));
        clip += static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(_mm256_and_ps(out, fin)))));
    }
    fold_lanes(vlo, vhi, verr, lo, hi, err);
    for (; i < n; ++i) {
        if (!std::isfinite(x[i])) continue;
        lo = std::min(lo, y[i]);
        hi = std::max(hi, y[i]);
        err = std::max(err, std::fabs(y[i] - x[i]));
        clip += (x[i] < elo || x[i] > ehi) ? 1u : 0u;
    }
}

void block_stats_edges(const float* x, const float* y, std::int64_t n, const float* elo, const float* ehi, float& lo, float& hi,
                       float& err, std::uint32_t& clip) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256 inf = _mm256_set1_ps(INFINITY);
    __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), verr = _mm256_set1_ps(err);
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i), yv = _mm256_loadu_ps(y + i);
        const __m256 fin = _mm256_cmp_ps(_mm256_and_ps(xv, absmask), inf, _CMP_LT_OQ);
        vlo = _mm256_blendv_ps(vlo, _mm256_min_ps(vlo, yv), fin);
        vhi = _mm256_blendv_ps(vhi, _mm256_max_ps(vhi, yv), fin);
        verr = _mm256_blendv_ps(verr, _mm256_max_ps(verr, _mm256_and_ps(_mm256_sub_ps(yv, xv), absmask)), fin);
        const __m256 out = _mm256_or_ps(_mm256_cmp_ps(xv, _mm256_loadu_ps(elo + i), _CMP_LT_OQ),
                                        _mm256_cmp_ps(xv, _mm256_loadu_ps(ehi + i), _CMP_GT_OQ));
        clip += static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(_mm256_and_ps(out, fin)))));
    }
    fold_lanes(vlo, vhi, verr, lo, hi, err);
    for (; i < n; ++i) {
        if (!std::isfinite(x[i])) continue;
        lo = std::min(lo, y[i]);
        hi = std::max(hi, y[i]);
        err = std::max(err, std::fabs(y[i] - x[i]));
        clip += (x[i] < elo[i] || x[i] > ehi[i]) ? 1u : 0u;
    }
}

void group_stats(const float* x, const float* y, std::int64_t groups, int len, const float* elo, const float* ehi, float& lo,
                 float& hi, float& err, std::uint32_t* clip) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256 inf = _mm256_set1_ps(INFINITY);
    __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), verr = _mm256_set1_ps(err);
    for (std::int64_t g = 0; g < groups; ++g) {
        const __m256 glo = _mm256_set1_ps(elo[g]), ghi = _mm256_set1_ps(ehi[g]);
        std::uint32_t c = 0;
        for (int k = 0; k < len; k += 8) {
            const std::int64_t i = g * len + k;
            const __m256 xv = _mm256_loadu_ps(x + i), yv = _mm256_loadu_ps(y + i);
            const __m256 fin = _mm256_cmp_ps(_mm256_and_ps(xv, absmask), inf, _CMP_LT_OQ);
            vlo = _mm256_blendv_ps(vlo, _mm256_min_ps(vlo, yv), fin);
            vhi = _mm256_blendv_ps(vhi, _mm256_max_ps(vhi, yv), fin);
            verr = _mm256_blendv_ps(verr, _mm256_max_ps(verr, _mm256_and_ps(_mm256_sub_ps(yv, xv), absmask)), fin);
            const __m256 out = _mm256_or_ps(_mm256_cmp_ps(xv, glo, _CMP_LT_OQ), _mm256_cmp_ps(xv, ghi, _CMP_GT_OQ));
            c += static_cast<std::uint32_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(_mm256_and_ps(out, fin)))));
        }
        clip[g] = c;
    }
    fold_lanes(vlo, vhi, verr, lo, hi, err);
}

#else

void group_stats(const float* x, const float* y, std::int64_t groups, int len, const float* elo, const float* ehi, float& lo,
                 float& hi, float& err, std::uint32_t* clip) {
    for (std::int64_t g = 0; g < groups; ++g) {
        clip[g] = 0;
        block_stats(x + g * len, y + g * len, len, elo[g], ehi[g], lo, hi, err, clip[g]);
    }
}

void block_stats_edges(const float* x, const float* y, std::int64_t n, const float* elo, const float* ehi, float& lo, float& hi,
                       float& err, std::uint32_t& clip) {
    for (std::int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i])) continue;
        lo = std::min(lo, y[i]);
        hi = std::max(hi, y[i]);
        err = std::max(err, std::fabs(y[i] - x[i]));
        clip += (x[i] < elo[i] || x[i] > ehi[i]) ? 1u : 0u;
    }
}

void block_stats(const float* x, const float* y, std::int64_t n, float elo, float ehi, float& lo, float& hi, float& err,
                 std::uint32_t& clip) {
    for (std::int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i])) continue;
        lo = std::min(lo, y[i]);
        hi = std::max(hi, y[i]);
        err = std::max(err, std::fabs(y[i] - x[i]));
        clip += (x[i] < elo || x[i] > ehi) ? 1u : 0u;
    }
}

std::uint64_t minifloat_fake_quant(const float* x, std::int64_t n, float s, const MiniFloat& f, float* y, std::int8_t* codes) {
    return scalar_minifloat(x, n, s, f, y, codes);
}

std::uint64_t minifloat_fake_quant_blocks(const float* x, std::int64_t n, std::int64_t block, const float* scales, const MiniFloat& f,
                                          float* y, std::int8_t* codes) {
    if (use_avx512()) return minifloat_avx512(x, n, block, scales, f, y, codes);
    std::uint64_t clip = 0;
    for (std::int64_t b0 = 0; b0 < n; b0 += block)
        clip += scalar_minifloat(x + b0, std::min(block, n - b0), scales[b0 / block], f, y + b0, codes ? codes + b0 : nullptr);
    return clip;
}

void nf4_fake_quant_blocks(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored_v, float* y,
                           std::int8_t* codes) {
    if (use_avx512()) return nf4_avx512(x, n, block, invs, stored_v, y, codes);
    for (std::int64_t i = 0; i < n; ++i) {
        const int q = nf4_code(x[i] * invs[i / block]);
        y[i] = nf4_value(q) * stored_v[i / block];
        if (codes) codes[i] = static_cast<std::int8_t>(q);
    }
}

void nf4_fake_quant(const float* x, std::int64_t n, float inv, float stored, float* y, std::int8_t* codes) {
    for (std::int64_t i = 0; i < n; ++i) {
        const int q = nf4_code(x[i] * inv);
        y[i] = nf4_value(q) * stored;
        if (codes) codes[i] = static_cast<std::int8_t>(q);
    }
}

#endif

void block_absmax(const float* x, std::int64_t n, std::int64_t block, float* out, bool from_memory) {
    if (use_avx512()) return detail::block_absmax_avx512(x, n, block, out, from_memory);
    for (std::int64_t b0 = 0, k = 0; b0 < n; b0 += block, ++k) out[k] = simd::absmax_finite(x + b0, std::min(block, n - b0));
}

bool ggml_decode_blocks(const detail::GgmlDecodeArgs& a, const std::uint8_t* blocks, std::int64_t nb, float* y, std::int8_t* codes) {
    if (!use_avx512()) return false;
    detail::ggml_decode_blocks_avx512(a, blocks, nb, y, codes);
    return true;
}

} // namespace ql::kernels
