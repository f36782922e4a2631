// Vectorised per-element loops of the analysis (see analysis_kernels.h).
#include "core/analysis_kernels.h"

#include <algorithm>
#include <cmath>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace ql::kernels {

void ErrorSums::merge(const ErrorSums& o) {
    sum_e2 += o.sum_e2;
    sum_abs += o.sum_abs;
    sum_dq2 += o.sum_dq2;
    sum_xdq += o.sum_xdq;
    max_abs = std::max(max_abs, o.max_abs);
    dq_lo = std::min(dq_lo, o.dq_lo);
    dq_hi = std::max(dq_hi, o.dq_hi);
    count += o.count;
    nonfinite_dq += o.nonfinite_dq;
}

#if defined(__AVX2__)
namespace {
inline __m256 finite_mask(__m256 x) {
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    return _mm256_cmp_ps(_mm256_and_ps(x, absmask), _mm256_set1_ps(INFINITY), _CMP_LT_OQ);
}
inline double hsum(__m256d v) {
    alignas(32) double a[4];
    _mm256_store_pd(a, v);
    return (a[0] + a[1]) + (a[2] + a[3]);
}
inline float hmax(__m256 v) {
    alignas(32) float a[8];
    _mm256_store_ps(a, v);
    float m = a[0];
    for (int k = 1; k < 8; ++k) m = a[k] > m ? a[k] : m;
    return m;
}
inline float hmin(__m256 v) {
    alignas(32) float a[8];
    _mm256_store_ps(a, v);
    float m = a[0];
    for (int k = 1; k < 8; ++k) m = a[k] < m ? a[k] : m;
    return m;
}
} // namespace
#endif

// e = dq - x in float (the error a user sees). Squares and products are formed in float lanes and summed
// over blocks of 64 values per lane group (8 lanes x 8 steps), then each block's partial sums are added
// in double: long sums never accumulate in float.
void error_sums(const float* x, const float* dq, std::int64_t n, ErrorSums& acc) {
    std::int64_t i = 0;
#if defined(__AVX2__)
    __m256d se2 = _mm256_setzero_pd(), sabs = se2, sdq = se2, sxd = se2;
    __m256 vmax = _mm256_setzero_ps();
    __m256 vlo = _mm256_set1_ps(INFINITY), vhi = _mm256_set1_ps(-INFINITY);
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    std::uint64_t cnt = 0, bad = 0;
    auto widen_add = [](__m256d acc2, __m256 v) {
        return _mm256_add_pd(acc2, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v)),
                                                 _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
    };
    while (i + 8 <= n) {
        __m256 be2 = _mm256_setzero_ps(), babs = be2, bdq = be2, bxd = be2;
        const std::int64_t stop = std::min(n - (n - i) % 8, i + 64);
        for (; i < stop; i += 8) {
            const __m256 xv = _mm256_loadu_ps(x + i);
            const __m256 dv = _mm256_loadu_ps(dq + i);
            const __m256 xfin = finite_mask(xv);
            const __m256 fin = _mm256_and_ps(xfin, finite_mask(dv));     // both finite
            bad += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(_mm256_andnot_ps(fin, xfin)))));
            const __m256 xz = _mm256_and_ps(xv, fin);                     // a pair not both finite -> 0, 0
            const __m256 d = _mm256_and_ps(dv, fin);
            const __m256 e = _mm256_sub_ps(d, xz);
            const __m256 ae = _mm256_and_ps(e, absmask);
            vmax = _mm256_max_ps(vmax, ae);
            vlo = _mm256_min_ps(vlo, _mm256_blendv_ps(_mm256_set1_ps(INFINITY), d, fin));
            vhi = _mm256_max_ps(vhi, _mm256_blendv_ps(_mm256_set1_ps(-INFINITY), d, fin));
            cnt += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(fin))));
            be2 = _mm256_add_ps(be2, _mm256_mul_ps(e, e));
            babs = _mm256_add_ps(babs, ae);
            bdq = _mm256_add_ps(bdq, _mm256_mul_ps(d, d));
            bxd = _mm256_add_ps(bxd, _mm256_mul_ps(xz, d));
        }
        se2 = widen_add(se2, be2);
        sabs = widen_add(sabs, babs);
        sdq = widen_add(sdq, bdq);
        sxd = widen_add(sxd, bxd);
    }
    if (i > 0) {
        acc.sum_e2 += hsum(se2);
        acc.sum_abs += hsum(sabs);
        acc.sum_dq2 += hsum(sdq);
        acc.sum_xdq += hsum(sxd);
        acc.max_abs = std::max(acc.max_abs, hmax(vmax));
        acc.dq_lo = std::min(acc.dq_lo, hmin(vlo));
        acc.dq_hi = std::max(acc.dq_hi, hmax(vhi));
        acc.count += cnt;
        acc.nonfinite_dq += bad;
    }
#endif
    for (; i < n; ++i) {
        const float xv = x[i];
        if (!std::isfinite(xv)) continue;
        const float d = dq[i];
        if (!std::isfinite(d)) {
            ++acc.nonfinite_dq;
            continue;
        }
        const float e = d - xv;
        acc.sum_e2 += static_cast<double>(e * e);
        acc.sum_abs += std::fabs(static_cast<double>(e));
        acc.sum_dq2 += static_cast<double>(d * d);
        acc.sum_xdq += static_cast<double>(xv * d);
        acc.max_abs = std::max(acc.max_abs, std::fabs(e));
        acc.dq_lo = std::min(acc.dq_lo, d);
        acc.dq_hi = std::max(acc.dq_hi, d);
        ++acc.count;
    }
}

void Moments::merge(const Moments& o) {
    if (o.count) {
        if (!count) {
            mean = o.mean;
            m2 = o.m2;
        } else {
            const double n1 = static_cast<double>(count), n2 = static_cast<double>(o.count);
            const double delta = o.mean - mean;
            mean += delta * n2 / (n1 + n2);
            m2 += o.m2 + delta * delta * n1 * n2 / (n1 + n2);
        }
        count += o.count;
    }
    sum_sq += o.sum_sq;
    lo = std::min(lo, o.lo);
    hi = std::max(hi, o.hi);
    nan += o.nan;
    inf += o.inf;
}

// One pass: sums of d = x - K and d^2 about a shift K (the chunk's first finite value, which keeps the
// variance free of cancellation), in float over blocks of 64 values, then in double.
void moments(const float* x, std::int64_t n, Moments& acc) {
    Moments m;
    float K = 0.0f;
    for (std::int64_t k = 0; k < n; ++k)
        if (std::isfinite(x[k])) { K = x[k]; break; }
    double sd = 0, sd2 = 0, sx2 = 0;
    std::uint64_t nonfinite = 0;
    std::int64_t i = 0;
#if defined(__AVX2__)
    __m256d asd = _mm256_setzero_pd(), asd2 = asd, asx2 = asd;
    __m256 vlo = _mm256_set1_ps(INFINITY), vhi = _mm256_set1_ps(-INFINITY);
    const __m256 vK = _mm256_set1_ps(K);
    auto widen_add = [](__m256d a2, __m256 v) {
        return _mm256_add_pd(a2, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v)),
                                               _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
    };
    std::uint64_t cnt = 0;
    while (i + 8 <= n) {
        __m256 bd = _mm256_setzero_ps(), bd2 = bd, bx2 = bd;
        const std::int64_t stop = std::min(n - (n - i) % 8, i + 64);
        for (; i < stop; i += 8) {
            const __m256 xv = _mm256_loadu_ps(x + i);
            const __m256 fin = finite_mask(xv);
            const __m256 xz = _mm256_and_ps(xv, fin);
            const __m256 d = _mm256_and_ps(_mm256_sub_ps(xv, vK), fin);
            cnt += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(_mm256_movemask_ps(fin))));
            vlo = _mm256_min_ps(vlo, _mm256_blendv_ps(_mm256_set1_ps(INFINITY), xv, fin));
            vhi = _mm256_max_ps(vhi, _mm256_blendv_ps(_mm256_set1_ps(-INFINITY), xv, fin));
            bd = _mm256_add_ps(bd, d);
            bd2 = _mm256_add_ps(bd2, _mm256_mul_ps(d, d));
            bx2 = _mm256_add_ps(bx2, _mm256_mul_ps(xz, xz));
        }
        asd = widen_add(asd, bd);
        asd2 = widen_add(asd2, bd2);
        asx2 = widen_add(asx2, bx2);
    }
    if (i > 0) {
        sd = hsum(asd);
        sd2 = hsum(asd2);
        sx2 = hsum(asx2);
        m.lo = hmin(vlo);
        m.hi = hmax(vhi);
        m.count = cnt;
        nonfinite = static_cast<std::uint64_t>(i) - cnt;
    }
#endif
    for (; i < n; ++i) {
        const float v = x[i];
        if (!std::isfinite(v)) { ++nonfinite; continue; }
        const float d = v - K;
        sd += d;
        sd2 += static_cast<double>(d * d);
        sx2 += static_cast<double>(v * v);
        m.lo = std::min(m.lo, v);
        m.hi = std::max(m.hi, v);
        ++m.count;
    }
    if (nonfinite)
        for (std::int64_t k = 0; k < n; ++k) {
            if (std::isnan(x[k])) ++m.nan;
            else if (std::isinf(x[k])) ++m.inf;
        }
    if (m.count) {
        const double c = static_cast<double>(m.count);
        m.mean = static_cast<double>(K) + sd / c;
        m.m2 = std::max(0.0, sd2 - sd * sd / c);
    }
    m.sum_sq = sx2;
    acc.merge(m);
}

BinParams BinGrid::params() const {
    BinParams p;
    p.lo = static_cast<float>(base_lo);
    p.hi = static_cast<float>(base_hi);
    p.inv_width = static_cast<float>(base_bins / (base_hi - base_lo));
    p.base_bins = base_bins;
    p.below = below;
    p.total = total();
    return p;
}

namespace {

#if defined(__AVX2__)
// Vector form of BinGrid::bin_of; lanes that are outside, or whose x is not finite, get `outside` or
// `nonfinite` instead of a bin.
struct GridVec {
    __m256 lo, hi, inv_w;
    __m256i last_base, base_bins, minus1, zero, below, total, outside, nonfinite;
    GridVec(const BinGrid& g, int outside_bin, int nonfinite_bin) {
        lo = _mm256_set1_ps(static_cast<float>(g.base_lo));
        hi = _mm256_set1_ps(static_cast<float>(g.base_hi));
        inv_w = _mm256_set1_ps(static_cast<float>(g.base_bins / (g.base_hi - g.base_lo)));
        last_base = _mm256_set1_epi32(g.base_bins - 1);
        base_bins = _mm256_set1_epi32(g.base_bins);
        minus1 = _mm256_set1_epi32(-1);
        zero = _mm256_setzero_si256();
        below = _mm256_set1_epi32(g.below);
        total = _mm256_set1_epi32(g.total());
        outside = _mm256_set1_epi32(outside_bin);
        nonfinite = _mm256_set1_epi32(nonfinite_bin);
    }
    // v - base_lo has the sign of v - base_lo exactly, so floor() already sends v < base_lo below bin 0
    // and v >= base_lo to bin >= 0; only the upper edge needs the base_hi rule. NaN and +-inf land in
    // `outside` as bin_of() leaves them out (the upper-edge rule alone would put them in the first bin
    // above base_hi of a grid extended above).
    __m256i bins(__m256 v, __m256 x_finite) const {
        __m256i i = _mm256_cvttps_epi32(_mm256_floor_ps(_mm256_mul_ps(_mm256_sub_ps(v, lo), inv_w)));
        const __m256i le_hi = _mm256_castps_si256(_mm256_cmp_ps(v, hi, _CMP_LE_OQ));
        i = _mm256_blendv_epi8(_mm256_max_epi32(i, base_bins), _mm256_min_epi32(i, last_base), le_hi);
        i = _mm256_add_epi32(i, below);
        const __m256i ok = _mm256_and_si256(_mm256_and_si256(_mm256_cmpgt_epi32(i, minus1), _mm256_cmpgt_epi32(total, i)),
                                            _mm256_castps_si256(finite_mask(v)));
        i = _mm256_blendv_epi8(outside, i, ok);
        return _mm256_blendv_epi8(nonfinite, i, _mm256_castps_si256(x_finite));
    }
};
#endif

// Bins of v (or of dq - x) into 4 interleaved sub-histograms of stride bins + 2.
template <bool kError>
void bin_values(const BinGrid& g, const float* x, const float* v, std::int64_t n, std::uint32_t* sub) {
    const int bins = g.total();
    const std::size_t stride = static_cast<std::size_t>(bins + 2);
    std::uint32_t* h0 = sub;
    std::uint32_t* h1 = sub + stride;
    std::uint32_t* h2 = sub + 2 * stride;
    std::uint32_t* h3 = sub + 3 * stride;
    std::int64_t i = 0;
#if defined(__AVX2__)
    const GridVec gv(g, bins, bins + 1);
    alignas(32) std::int32_t idx[8];
    for (; i + 8 <= n; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i);
        const __m256 val = kError ? _mm256_sub_ps(_mm256_loadu_ps(v + i), xv) : _mm256_loadu_ps(v + i);
        _mm256_store_si256(reinterpret_cast<__m256i*>(idx), gv.bins(val, finite_mask(xv)));
        ++h0[idx[0]]; ++h1[idx[1]]; ++h2[idx[2]]; ++h3[idx[3]];
        ++h0[idx[4]]; ++h1[idx[5]]; ++h2[idx[6]]; ++h3[idx[7]];
    }
#endif
    for (; i < n; ++i) {
        const float xv = x[i];
        int b = bins + 1;
        if (std::isfinite(xv)) {
            b = g.bin_of(kError ? v[i] - xv : v[i]);
            if (b < 0) b = bins;
        }
        ++h0[b];
    }
}

} // namespace

BinCounter::BinCounter(const BinGrid& grid) : grid_(grid), bins_(grid.total()) {
    sub_.assign(4 * static_cast<std::size_t>(bins_ + 2), 0);
    extra_.assign(static_cast<std::size_t>(bins_ + 2), 0);
}

void BinCounter::flush_if_needed(std::int64_t n) {
    pending_ += n;
    if (pending_ < (std::int64_t(1) << 30)) return;
    const std::size_t stride = static_cast<std::size_t>(bins_ + 2);
    for (std::size_t s = 0; s < 4; ++s)
        for (std::size_t b = 0; b < stride; ++b) {
            extra_[b] += sub_[s * stride + b];
            sub_[s * stride + b] = 0;
        }
    pending_ = 0;
}

void BinCounter::add(const float* v, const float* x, std::int64_t n) {
    flush_if_needed(n);
    bin_values<false>(grid_, x, v, n, sub_.data());
}

void BinCounter::add_error(const float* x, const float* dq, std::int64_t n) {
    flush_if_needed(n);
    bin_values<true>(grid_, x, dq, n, sub_.data());
}

void BinCounter::merge_into(std::vector<std::uint64_t>& counts) const {
    counts.resize(static_cast<std::size_t>(bins_), 0);
    const std::size_t stride = static_cast<std::size_t>(bins_ + 2);
    for (std::size_t b = 0; b < static_cast<std::size_t>(bins_); ++b) {
        std::uint64_t c = extra_[b];
        for (std::size_t s = 0; s < 4; ++s) c += sub_[s * stride + b];
        counts[b] += c;
    }
}

std::uint64_t BinCounter::outside() const {
    const std::size_t stride = static_cast<std::size_t>(bins_ + 2);
    const auto b = static_cast<std::size_t>(bins_);
    std::uint64_t c = extra_[b];
    for (std::size_t s = 0; s < 4; ++s) c += sub_[s * stride + b];
    return c;
}

CodeErrorCounter::CodeErrorCounter(const BinGrid& error_grid) : grid_(error_grid), bins_(error_grid.total()) {
    while ((1 << shift_) < bins_ + 2) ++shift_;
    table_.assign(256u << shift_, 0);
    wide_.assign(table_.size(), 0);
}

void CodeErrorCounter::flush() {
    for (std::size_t k = 0; k < table_.size(); ++k) {
        wide_[k] += table_[k];
        table_[k] = 0;
    }
    pending_ = 0;
}

void CodeErrorCounter::add(const float* x, const float* dq, const std::int8_t* codes, std::int64_t n) {
    pending_ += n;
    if (pending_ >= (std::int64_t(1) << 30)) flush();
    std::uint32_t* tab = table_.data();
    std::int64_t i = 0;
#if defined(__AVX2__)
    const GridVec gv(grid_, bins_, bins_ + 1);
    const __m256i v128 = _mm256_set1_epi32(128);
    const __m128i vshift = _mm_cvtsi32_si128(shift_);
    alignas(32) std::int32_t idx[8];
    for (; i + 8 <= n; i += 8) {
        const __m256 xv = _mm256_loadu_ps(x + i);
        const __m256i b = gv.bins(_mm256_sub_ps(_mm256_loadu_ps(dq + i), xv), finite_mask(xv));
        const __m256i c = _mm256_add_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(codes + i))), v128);
        _mm256_store_si256(reinterpret_cast<__m256i*>(idx), _mm256_or_si256(_mm256_sll_epi32(c, vshift), b));
        ++tab[idx[0]]; ++tab[idx[1]]; ++tab[idx[2]]; ++tab[idx[3]];
        ++tab[idx[4]]; ++tab[idx[5]]; ++tab[idx[6]]; ++tab[idx[7]];
    }
#endif
    for (; i < n; ++i) {
        const float xv = x[i];
        int b = bins_ + 1;
        if (std::isfinite(xv)) {
            b = grid_.bin_of(dq[i] - xv);
            if (b < 0) b = bins_;
        }
        ++tab[(static_cast<std::size_t>(codes[i] + 128) << shift_) + static_cast<std::size_t>(b)];
    }
}

std::uint64_t CodeErrorCounter::merge_into(std::vector<std::uint64_t>& code_counts,
                                           std::vector<std::uint64_t>& error_counts) const {
    code_counts.resize(256, 0);
    error_counts.resize(static_cast<std::size_t>(bins_), 0);
    const std::size_t stride = std::size_t(1) << shift_;
    std::uint64_t outside = 0;
    for (std::size_t c = 0; c < 256; ++c) {
        for (std::size_t b = 0; b < static_cast<std::size_t>(bins_); ++b) {
            const std::uint64_t v = table_[c * stride + b] + wide_[c * stride + b];
            code_counts[c] += v;
            error_counts[b] += v;
        }
        const std::uint64_t out = table_[c * stride + static_cast<std::size_t>(bins_)] + wide_[c * stride + static_cast<std::size_t>(bins_)];
        code_counts[c] += out;
        outside += out;
    }
    return outside;
}

} // namespace ql::kernels
