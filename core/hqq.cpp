// HQQ's half-quadratic solver and quantizer (core/hqq.h).
#include "core/hqq.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/half.h"
#include "core/hqq_math.h"

#if defined(__F16C__) && defined(__AVX__)
#include <immintrin.h>
#endif

namespace ql {

namespace {

constexpr int kLanes = 16;               // each group's sums: element i adds to partial i % 16, then 0..15 in order
constexpr std::int64_t kErrChunk = 4096; // groups per double partial of the tensor's error (a fixed order)

inline bool finite(float v) { return v - v == 0.0f; }  // false for +-Inf and NaN

// One solver iteration on a group x[0, len): the sum of |x - W_r| over its finite values and its new
// zero. Value i adds to partial sum i % 16; the partials are added in order. A group with non-finite
// values (kAllFinite false) skips them one by one; the others run the same operations 16 at a time, and
// when none of the 16 errors exceeds `small` (below which the shrinkage is 0 for certain) they leave the
// power out: x - (+-0) is x, so the terms are the same floats.
template <bool kAllFinite>
void iterate_group(const float* x, std::int64_t len, std::int64_t finite_count, float scale_inv, float zero, float qmax, float inv_beta,
                   float e, float small, float& err, float& zero_out) {
    float ea[kLanes] = {}, za[kLanes] = {};
    std::int64_t i = 0;
    if constexpr (kAllFinite) {
        for (; i + kLanes <= len; i += kLanes) {
            float qv[kLanes], dv[kLanes], largest = 0.0f;
#pragma omp simd reduction(max : largest)
            for (int l = 0; l < kLanes; ++l) {
                const float q = hqq::code(x[i + l], scale_inv, zero, qmax);
                const float d = x[i + l] - (q - zero) / scale_inv;
                qv[l] = q;
                dv[l] = d;
                largest = std::max(largest, std::fabs(d));
            }
            if (largest <= small) {
#pragma omp simd
                for (int l = 0; l < kLanes; ++l) {
                    ea[l] += std::fabs(dv[l]);
                    za[l] += qv[l] - x[i + l] * scale_inv;
                }
            } else {
#pragma omp simd
                for (int l = 0; l < kLanes; ++l) {
                    ea[l] += std::fabs(dv[l]);
                    za[l] += qv[l] - (x[i + l] - hqq::shrink(dv[l], inv_beta, e)) * scale_inv;
                }
            }
        }
    }
    for (int l = static_cast<int>(i % kLanes); i < len; ++i, l = (l + 1) % kLanes) {
        if (!finite(x[i])) continue;
        const float q = hqq::code(x[i], scale_inv, zero, qmax);
        const float d = x[i] - (q - zero) / scale_inv;
        ea[l] += std::fabs(d);
        za[l] += q - (x[i] - hqq::shrink(d, inv_beta, e)) * scale_inv;
    }
    float es = 0.0f, zs = 0.0f;
    for (int l = 0; l < kLanes; ++l) {
        es += ea[l];
        zs += za[l];
    }
    err = es;
    zero_out = finite_count > 0 ? zs / static_cast<float>(finite_count) : zero;
}

// fp16 as stored, saturated at the largest half (a scale beyond it would be inf in the library's fp16)
inline float stored_half(float v) {
    const float h = round_to_half(v);
    return std::isinf(h) ? std::copysign(65504.0f, v) : h;
}

// fp16(fp16(q - zero16) * scale16), saturated at the largest half where fp16 would overflow to inf (only
// for weights beyond the fp16 range, which no fp16 dequantizer can return)
inline float saturate_half(float h) { return h > 65504.0f ? 65504.0f : (h < -65504.0f ? -65504.0f : h); }
inline float dequantize(float q, float zero16, float scale16) {
    return saturate_half(round_to_half(saturate_half(round_to_half(q - zero16)) * scale16));
}


} // namespace

HqqSolution hqq_solve(const float* x, std::int64_t n, int bits, std::int64_t group, const HqqOptions& o, const ProgressFn& progress) {
    if (bits < 2 || bits > 8) throw std::invalid_argument("HQQ bits must be 2..8, got " + std::to_string(bits));
    if (group < 1) throw std::invalid_argument("HQQ group size must be at least 1, got " + std::to_string(group));
    HqqSolution s;
    s.bits = bits;
    s.group = group;
    s.n = n;
    const std::int64_t ng = n > 0 ? (n + group - 1) / group : 0;
    s.scale_inv.resize(static_cast<std::size_t>(ng));
    s.zero.resize(static_cast<std::size_t>(ng));
    std::vector<std::int64_t> finite_count(static_cast<std::size_t>(ng), 0);
    const float qmax = static_cast<float>((1 << bits) - 1);
    std::int64_t total_finite = 0;
#pragma omp parallel for schedule(static) reduction(+ : total_finite)
    for (std::int64_t g = 0; g < ng; ++g) {
        const float* xg = x + g * group;
        const std::int64_t len = std::min(group, n - g * group);
        float lo = 0.0f, hi = 0.0f;
        std::int64_t cnt = 0;
        for (std::int64_t i = 0; i < len; ++i) {
            const float v = xg[i];
            if (!finite(v)) continue;
            lo = cnt == 0 ? v : std::min(lo, v);
            hi = cnt == 0 ? v : std::max(hi, v);
            ++cnt;
        }
        // +inf for a constant group: clamped below, as the library clamps. The range in double: a group
        // spanning more than the float range would give 0 in float32 (and NaN codes after it)
        float si = static_cast<float>(static_cast<double>(qmax) / (static_cast<double>(hi) - static_cast<double>(lo)));
        si = si > 2e4f ? 2e4f : si;
        float z = -lo * si;
        if (bits == 4) z = hqq::round_even(z);  // round_zero, which the library sets for 4 bits
        s.scale_inv[static_cast<std::size_t>(g)] = si;
        s.zero[static_cast<std::size_t>(g)] = z;
        finite_count[static_cast<std::size_t>(g)] = cnt;
        total_finite += cnt;
    }

    const float e = static_cast<float>(o.lp_norm - 1.0);
    double beta = o.beta, best = 1e4;
    std::vector<float> gerr(static_cast<std::size_t>(ng), 0.0f);
    const std::int64_t nchunks = (ng + kErrChunk - 1) / kErrChunk;
    std::vector<double> chunk_err(static_cast<std::size_t>(nchunks), 0.0);
    for (int it = 0; it < o.iters; ++it) {
        const float inv_beta = static_cast<float>(1.0 / beta);
        // |d| - inv_beta |d|^e <= 0 for |d| <= inv_beta^(1 / (1 - e)); a thousandth below it the power's
        // own error (under 1e-5) cannot lift the difference above 0
        const float small = o.shortcut ? static_cast<float>(std::pow(static_cast<double>(inv_beta), 1.0 / (1.0 - static_cast<double>(e))) * (1.0 - 1e-3))
                                       : -1.0f;
#pragma omp parallel for schedule(dynamic, 1)
        for (std::int64_t c = 0; c < nchunks; ++c) {
            double acc = 0.0;
            for (std::int64_t g = c * kErrChunk; g < std::min(ng, (c + 1) * kErrChunk); ++g) {
                const auto k = static_cast<std::size_t>(g);
                const std::int64_t len = std::min(group, n - g * group);
                if (finite_count[k] == len)
                    iterate_group<true>(x + g * group, len, len, s.scale_inv[k], s.zero[k], qmax, inv_beta, e, small, gerr[k], s.zero[k]);
                else
                    iterate_group<false>(x + g * group, len, finite_count[k], s.scale_inv[k], s.zero[k], qmax, inv_beta, e, small, gerr[k],
                                         s.zero[k]);
                acc += static_cast<double>(gerr[k]);
            }
            chunk_err[static_cast<std::size_t>(c)] = acc;
        }
        double total = 0.0;
        for (double v : chunk_err) total += v;
        const double cur = total_finite > 0 ? total / static_cast<double>(total_finite) : 0.0;
        beta *= o.kappa;
        s.errors.push_back(cur);
        s.iterations = it + 1;
        if (cur < best) best = cur;
        else break;
        if (!report_progress(progress, static_cast<std::size_t>(it + 1), static_cast<std::size_t>(o.iters))) {
            s.cancelled = true;
            return s;
        }
    }
    s.scale.resize(s.scale_inv.size());
    s.zero16.resize(s.zero.size());
    for (std::size_t g = 0; g < s.scale_inv.size(); ++g) {
        s.scale[g] = stored_half(1.0f / s.scale_inv[g]);
        s.zero16[g] = stored_half(s.zero[g]);
    }
    return s;
}

namespace {

// out[i] = dequantize(q[i], zero16, scale16), 8 at a time with F16C where the build has it (the same
// round-to-nearest-even conversions as round_to_half, the same saturation).
void dequantize_codes(const float* q, std::int64_t n, float zero16, float scale16, float* out) {
    std::int64_t i = 0;
#if defined(__F16C__) && defined(__AVX__)
    const __m256 vz = _mm256_set1_ps(zero16), vs = _mm256_set1_ps(scale16);
    const __m256 top = _mm256_set1_ps(65504.0f), bottom = _mm256_set1_ps(-65504.0f);
    constexpr int kRne = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
    auto half = [&](__m256 v) { return _mm256_max_ps(_mm256_min_ps(_mm256_cvtph_ps(_mm256_cvtps_ph(v, kRne)), top), bottom); };
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, half(_mm256_mul_ps(half(_mm256_sub_ps(_mm256_loadu_ps(q + i), vz)), vs)));
#endif
    for (; i < n; ++i) out[i] = dequantize(q[i], zero16, scale16);
}

} // namespace

void hqq_apply(const HqqSolution& s, const float* x, std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes,
               std::uint64_t* clipped) {
    const float qmax = static_cast<float>((1 << s.bits) - 1);
    const int offset = 1 << (s.bits - 1);
    std::uint64_t clip = 0;
    constexpr std::int64_t kStep = 1024;
    float qbuf[kStep];
    for (std::int64_t i = begin; i < end;) {
        const std::int64_t g = i / s.group;
        const std::int64_t stop = std::min({end, (g + 1) * s.group, i + kStep});
        const auto k = static_cast<std::size_t>(g);
        const float si = s.scale_inv[k], z = s.zero[k];
        const std::int64_t len = stop - i;
        const float* xs = x + i;
        int nan = 0;
        unsigned clipped_here = 0;
#pragma omp simd reduction(+ : nan, clipped_here)
        for (std::int64_t j = 0; j < len; ++j) {
            const float v = xs[j];
            const float raw = hqq::round_even(v * si + z);
            const float q = raw < 0.0f ? 0.0f : (raw > qmax ? qmax : raw);
            nan += q != q ? 1 : 0;
            clipped_here += (finite(v) && q != raw) ? 1u : 0u;
            qbuf[j] = q;
        }
        if (nan > 0) {  // NaN takes the code 0 would get
            const float raw0 = hqq::round_even(z);
            const float q0 = raw0 < 0.0f ? 0.0f : (raw0 > qmax ? qmax : (raw0 == raw0 ? raw0 : 0.0f));
            for (std::int64_t j = 0; j < len; ++j)
                if (qbuf[j] != qbuf[j]) qbuf[j] = q0;
        }
        clip += clipped_here;
        if (codes) {
            std::int8_t* c = codes + (i - begin);
#pragma omp simd
            for (std::int64_t j = 0; j < len; ++j) c[j] = static_cast<std::int8_t>(static_cast<int>(qbuf[j]) - offset);
        }
        dequantize_codes(qbuf, len, s.zero16[k], s.scale[k], dq + (i - begin));
        i = stop;
    }
    if (clipped) *clipped += clip;
}

namespace {

// What every group's levels and errors stay within. Levels rise with the code (the scale is positive):
// code 0 and the top code bound them. A finite value that is not clipped rounds to its code from at most
// half a step, x scale_inv + zero within 0.5 of q, so |x - dq| <= 0.5 S + |(q - zero) S - (q - zero16) scale16|
// + the two fp16 roundings of the dequantizer, S = 1 / scale_inv: at most
// 0.5 S + (qmax + |zero|) |S - scale16| + |zero - zero16| scale16 + 2^-10 (qmax + |zero16|) scale16, with 1%
// on top for the float rounding of x scale_inv + zero.
std::optional<OutputBounds> hqq_bounds(const HqqSolution& s) {
    if (s.scale.empty()) return std::nullopt;
    const float qmax = static_cast<float>((1 << s.bits) - 1);
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    double err = 0.0;
    for (std::size_t g = 0; g < s.scale.size(); ++g) {
        const float s16 = s.scale[g], z16 = s.zero16[g], z = s.zero[g];
        const double S = 1.0 / static_cast<double>(s.scale_inv[g]);
        lo = std::min(lo, dequantize(0.0f, z16, s16));
        hi = std::max(hi, dequantize(qmax, z16, s16));
        const double e = 0.5 * S + (qmax + std::fabs(static_cast<double>(z))) * std::fabs(S - s16) + std::fabs(static_cast<double>(z) - z16) * s16 +
                         std::ldexp(1.0, -10) * (qmax + std::fabs(static_cast<double>(z16))) * s16;
        err = std::max(err, e);
    }
    if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(err)) return std::nullopt;
    return OutputBounds{lo, hi, static_cast<float>(err * 1.01 + 1e-30)};
}

class HqqQuantizer final : public Quantizer {
public:
    explicit HqqQuantizer(QuantConfig c) : Quantizer(std::move(c)) {
        group_ = config_.block_size > 0 ? config_.block_size : kHqqDefaultGroup;
    }
    bool prepare(const Tensor& t, const ProgressFn& progress) override {
        tensor_ = &t;
        sol_ = hqq_solve(t.data(), t.numel(), config_.bits, group_, HqqOptions{}, progress);
        if (sol_.cancelled) return false;
        bounds_ = hqq_bounds(sol_);
        return true;
    }
    std::int64_t granule() const override { return group_; }
    void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes, std::uint64_t* clipped) const override {
        hqq_apply(sol_, tensor_->data(), begin, end, dq, codes, clipped);
    }
    StorageSize storage() const override { return sized(sol_.n); }
    StorageSize storage_for(const std::vector<std::int64_t>& shape) const override {
        return sized(numel_of(shape));
    }
    std::vector<float> levels_at(std::int64_t i) const override {
        if (!tensor_ || sol_.scale.empty()) return {};
        const auto g = static_cast<std::size_t>(std::clamp<std::int64_t>(i, 0, sol_.n - 1) / group_);
        std::vector<float> v;
        for (int q = 0; q < (1 << config_.bits); ++q) v.push_back(dequantize(static_cast<float>(q), sol_.zero16[g], sol_.scale[g]));
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        v.erase(std::remove_if(v.begin(), v.end(), [](float f) { return !std::isfinite(f); }), v.end());
        return v;
    }
    int code_count() const override { return 1 << config_.bits; }
    std::pair<int, int> code_range() const override { return {-(1 << (config_.bits - 1)), (1 << (config_.bits - 1)) - 1}; }
    std::optional<OutputBounds> output_bounds() const override { return bounds_; }
    QuantParams params() const override {
        QuantParams p;
        p.scales = sol_.scale;
        p.zero_values = sol_.zero16;
        return p;
    }

private:
    // bits-wide codes and per group of the flattened tensor an fp16 scale and an fp16 zero point
    StorageSize sized(std::int64_t n) const {
        const std::uint64_t groups = n > 0 ? static_cast<std::uint64_t>((n + group_ - 1) / group_) : 0;
        return storage_of(static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(config_.bits), groups * 32);
    }
    const Tensor* tensor_ = nullptr;
    std::int64_t group_ = kHqqDefaultGroup;
    HqqSolution sol_;
    std::optional<OutputBounds> bounds_;
};

} // namespace

std::unique_ptr<Quantizer> make_hqq_quantizer(const QuantConfig& c) { return std::make_unique<HqqQuantizer>(c); }

} // namespace ql
