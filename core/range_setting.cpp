// Range-setting methods for per-tensor INT (see range_setting.h).
#include "core/range_setting.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <omp.h>

#include "core/int_quant_math.h"
#include "core/int_quantizer.h"
#include "core/simd_kernels.h"

namespace ql {

namespace {

constexpr int kBins = 2048;

// Counts of v (finite values of x, or their magnitudes) in kBins equal bins on [lo, hi].
std::vector<double> histogram(const Tensor& t, double lo, double hi, bool magnitude) {
    const std::int64_t n = t.numel();
    const float* x = t.data();
    const double scale = hi > lo ? kBins / (hi - lo) : 0.0;
    const int nt = omp_get_max_threads();
    std::vector<std::vector<std::uint64_t>> part(static_cast<std::size_t>(nt), std::vector<std::uint64_t>(kBins, 0));
#pragma omp parallel
    {
        auto& h = part[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
        for (std::int64_t i = 0; i < n; ++i) {
            const float v0 = x[i];
            if (!std::isfinite(v0)) continue;
            const double v = magnitude ? std::fabs(static_cast<double>(v0)) : static_cast<double>(v0);
            int b = static_cast<int>((v - lo) * scale);
            b = std::clamp(b, 0, kBins - 1);
            ++h[static_cast<std::size_t>(b)];
        }
    }
    std::vector<double> out(kBins, 0.0);
    for (const auto& h : part)
        for (int b = 0; b < kBins; ++b) out[static_cast<std::size_t>(b)] += static_cast<double>(h[static_cast<std::size_t>(b)]);
    return out;
}

// Every empty bin gets eps, taken evenly from the non-empty ones (MXNet/TensorRT _smooth_distribution).
bool smooth(std::vector<double>& p, double eps = 1e-4) {
    std::size_t zeros = 0;
    for (double v : p) zeros += v == 0.0 ? 1 : 0;
    const std::size_t nonzeros = p.size() - zeros;
    if (nonzeros == 0) return false;
    const double eps1 = eps * static_cast<double>(zeros) / static_cast<double>(nonzeros);
    for (double& v : p) {
        v = v == 0.0 ? eps : v - eps1;
        if (v <= 0.0) return false;
    }
    return true;
}

} // namespace

float percentile_nearest_rank(std::vector<float> v, double p) {
    if (v.empty()) return 0.0f;
    if (p <= 0.0) return *std::min_element(v.begin(), v.end());
    const auto n = static_cast<double>(v.size());
    auto rank = static_cast<std::size_t>(std::ceil(std::min(p, 100.0) / 100.0 * n));
    rank = std::clamp<std::size_t>(rank, 1, v.size());
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(rank - 1), v.end());
    return v[rank - 1];
}

double kl_threshold(const std::vector<double>& hist, double bin_width, int nq, std::vector<double>* divergences) {
    const int n = static_cast<int>(hist.size());
    if (n == 0 || nq < 1) return 0.0;
    std::vector<double> tail(static_cast<std::size_t>(n) + 1, 0.0);  // tail[i] = sum hist[i:]
    for (int i = n - 1; i >= 0; --i) tail[static_cast<std::size_t>(i)] = tail[static_cast<std::size_t>(i) + 1] + hist[static_cast<std::size_t>(i)];
    double best = std::numeric_limits<double>::infinity();
    int best_i = n;
    if (divergences) divergences->clear();
    std::vector<double> P, Q;
    for (int i = std::min(nq, n); i <= n; ++i) {
        P.assign(hist.begin(), hist.begin() + i);
        P[static_cast<std::size_t>(i) - 1] += tail[static_cast<std::size_t>(i)];
        // Q: the first i bins merged into nq groups of i / nq bins (the last group takes the rest), each
        // group's count spread evenly over its bins that are non-empty in P
        Q.assign(static_cast<std::size_t>(i), 0.0);
        const int merged = std::max(1, i / nq);
        const int groups = std::min(nq, i);
        for (int g = 0; g < groups; ++g) {
            const int s = g * merged, e = g == groups - 1 ? i : s + merged;
            double total = 0, nonzero = 0;
            for (int k = s; k < e; ++k) {
                total += hist[static_cast<std::size_t>(k)];
                nonzero += P[static_cast<std::size_t>(k)] != 0.0 ? 1.0 : 0.0;
            }
            if (nonzero == 0) continue;
            for (int k = s; k < e; ++k)
                if (P[static_cast<std::size_t>(k)] != 0.0) Q[static_cast<std::size_t>(k)] = total / nonzero;
        }
        double kl = std::numeric_limits<double>::infinity();
        if (smooth(P) && smooth(Q)) {
            double sp = 0, sq = 0;
            for (int k = 0; k < i; ++k) {
                sp += P[static_cast<std::size_t>(k)];
                sq += Q[static_cast<std::size_t>(k)];
            }
            kl = 0;
            for (int k = 0; k < i; ++k) {
                const double p = P[static_cast<std::size_t>(k)] / sp, q = Q[static_cast<std::size_t>(k)] / sq;
                if (p > 0) kl += p * std::log(p / q);
            }
        }
        if (divergences) divergences->push_back(kl);
        if (kl < best) {
            best = kl;
            best_i = i;
        }
    }
    return static_cast<double>(best_i) * bin_width;
}

ClipChoice choose_clip_range(const Tensor& t, const QuantConfig& c) {
    ClipChoice r;
    const std::int64_t n = t.numel();
    float lo = 0, hi = 0;
    if (n > 0 && !simd::minmax_finite(t.data(), n, lo, hi)) lo = hi = 0;
    r.min = lo;
    r.max = hi;
    const float lo0 = std::min(lo, 0.0f), hi0 = std::max(hi, 0.0f);
    r.lo = lo0;
    r.hi = hi0;
    const bool sym = c.scheme == Scheme::Symmetric;
    switch (c.range) {
    case RangeMethod::MinMax:
        break;
    case RangeMethod::Percentile: {
        std::vector<float> v;
        v.reserve(static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) {
            const float x = t.values[static_cast<std::size_t>(i)];
            if (std::isfinite(x)) v.push_back(sym ? std::fabs(x) : x);
        }
        if (v.empty()) break;
        if (sym) {
            const float a = percentile_nearest_rank(v, c.percentile);
            r.lo = -a;
            r.hi = a;
        } else {
            r.hi = percentile_nearest_rank(v, c.percentile);
            r.lo = percentile_nearest_rank(std::move(v), 100.0 - c.percentile);
        }
        break;
    }
    case RangeMethod::MseOptimal: {
        if (!(hi0 > lo0)) break;
        const std::vector<double> h = histogram(t, lo0, hi0, false);
        const double w = (static_cast<double>(hi0) - lo0) / kBins;
        double total = 0;
        for (double v : h) total += v;
        const IntRange qr = int_code_range(c.bits, sym);
        double best = std::numeric_limits<double>::infinity();
        for (int k = 1; k <= 100; ++k) {
            const float ratio = static_cast<float>(k) / 100.0f;
            const float clo = lo0 * ratio, chi = hi0 * ratio;
            const IntParams p = int_slice_params(clo, chi, c.bits, sym, ScaleType::F32);
            double sse = 0;
            for (int b = 0; b < kBins; ++b) {
                if (h[static_cast<std::size_t>(b)] == 0) continue;
                const float centre = static_cast<float>(lo0 + (b + 0.5) * w);
                const double e = static_cast<double>(centre) - int_dequantize(int_quantize(centre, p, qr), p);
                sse += h[static_cast<std::size_t>(b)] * e * e;
            }
            const double mse = total > 0 ? sse / total : 0.0;
            r.curve_x.push_back(ratio);
            r.curve_y.push_back(mse);
            if (mse <= best) {  // ties keep the larger ratio
                best = mse;
                r.lo = clo;
                r.hi = chi;
            }
        }
        break;
    }
    case RangeMethod::KlDivergence: {
        const float amax = std::max(std::fabs(lo0), std::fabs(hi0));
        if (!(amax > 0)) break;
        const std::vector<double> h = histogram(t, 0.0, amax, true);
        const double w = static_cast<double>(amax) / kBins;
        std::vector<double> div;
        const int nq = 1 << (c.bits - 1);
        const auto th = static_cast<float>(kl_threshold(h, w, nq, &div));
        for (std::size_t k = 0; k < div.size(); ++k) {
            r.curve_x.push_back(static_cast<double>(std::min(nq, kBins) + static_cast<int>(k)) * w);
            r.curve_y.push_back(div[k]);
        }
        r.lo = std::max(lo0, -th);
        r.hi = std::min(hi0, th);
        break;
    }
    }
    r.lo = std::min(r.lo, 0.0f);
    r.hi = std::max(r.hi, 0.0f);
    return r;
}

} // namespace ql
