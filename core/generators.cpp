// Seeded generators. The bulk values are produced in fixed chunks of kGeneratorChunk elements, each
// chunk with its own Rng seeded from (seed, chunk index) through splitmix64, so the tensor is the same
// for any thread count, and a value depends only on the seed and its flat index (not on the shape).
// Transforms use IEEE arithmetic and the C library's log/sin/cos/sqrt in double (the same glibc on
// every Debian machine); the result is rounded to float32 once, at the end.
#include "core/generators.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/rng.h"

namespace ql {
namespace {

constexpr double kSqrt3 = 1.7320508075688772935;
constexpr double kInvSqrt2 = 0.70710678118654752440;

// One value of the bulk distribution with mean 0 and standard deviation 1.
//   uniform:   sqrt(3) (2u - 1), u in [0, 1)                          (variance 3 x 1/3 = 1)
//   Laplace:   inverse CDF x = -b sgn(v) ln(1 - 2|v|), v = u - 1/2, b = 1/sqrt(2) (variance 2b^2 = 1)
//   Student-t: t = z / sqrt(chi2_dof / dof) has variance dof / (dof - 2); times sqrt((dof - 2) / dof)
double unit_sample(Rng& rng, Distribution d, double dof) {
    switch (d) {
    case Distribution::Normal: return rng.normal();
    case Distribution::Uniform: return (2.0 * rng.uniform() - 1.0) * kSqrt3;
    case Distribution::Laplace: {
        const double v = rng.uniform_open() - 0.5;
        return v < 0 ? kInvSqrt2 * std::log(1.0 + 2.0 * v) : -kInvSqrt2 * std::log(1.0 - 2.0 * v);
    }
    case Distribution::StudentT: {
        const double z = rng.normal();
        const double chi2 = chi_square_variate(rng, dof);
        return z / std::sqrt(chi2 / dof) * std::sqrt((dof - 2.0) / dof);
    }
    }
    return 0.0;
}

void validate(const GeneratorSpec& spec, std::int64_t& n) {
    if (spec.shape.empty() || spec.shape.size() > static_cast<std::size_t>(kMaxRank))
        throw std::invalid_argument("shape must have 1 to 4 dimensions, got " + std::to_string(spec.shape.size()));
    for (auto d : spec.shape)
        if (d <= 0) throw std::invalid_argument("every dimension of the shape must be positive, got " + std::to_string(d));
    if (!checked_numel(spec.shape, n)) throw std::invalid_argument("the shape's element count overflows");
    if (n > (std::int64_t(1) << 32)) throw std::invalid_argument("the shape has more than 2^32 elements");
    if (!(spec.std >= 0.0) || !std::isfinite(spec.std)) throw std::invalid_argument("std must be finite and >= 0");
    if (!std::isfinite(spec.mean)) throw std::invalid_argument("mean must be finite");
    if (spec.distribution == Distribution::StudentT && !(spec.dof > 2.0 && std::isfinite(spec.dof)))
        throw std::invalid_argument("Student-t needs a finite dof > 2 (so its std exists)");
    if (!(spec.outlier_fraction >= 0.0 && spec.outlier_fraction <= 1.0))
        throw std::invalid_argument("outlier fraction must be in [0, 1]");
    if (!(spec.outlier_magnitude >= 0.0) || !std::isfinite(spec.outlier_magnitude))
        throw std::invalid_argument("outlier magnitude must be finite and >= 0");
    const std::int64_t channels = spec.shape[0];
    if (spec.llm_channels < 0 || spec.llm_channels > channels)
        throw std::invalid_argument("LLM-like channels must be 0.." + std::to_string(channels) + " (the size of axis 0), got " +
                                    std::to_string(spec.llm_channels));
    if (!(spec.llm_scale_min > 0.0 && spec.llm_scale_max >= spec.llm_scale_min && std::isfinite(spec.llm_scale_max)))
        throw std::invalid_argument("LLM-like scale range must satisfy 0 < min <= max");
}

} // namespace

std::uint64_t generator_stream_seed(std::uint64_t seed, std::uint64_t chunk, std::uint64_t stream) {
    std::uint64_t x = seed ^ (0xD1B54A32D192ED03ull * (chunk + 1)) ^ (0x8CB92BA72F3D8DD7ull * stream);
    return Rng::splitmix64(x);
}

// Marsaglia & Tsang, "A simple method for generating gamma variables" (2000), k >= 1:
//   d = k - 1/3, c = 1 / sqrt(9d); repeat: z ~ N(0,1), v = (1 + c z)^3 (v > 0), u ~ U(0,1);
//   accept d v if u < 1 - 0.0331 z^4 (squeeze) or ln u < z^2/2 + d (1 - v + ln v).
// k < 1: Gamma(k) = Gamma(k + 1) x U^(1/k) (their section 6).
double gamma_variate(Rng& rng, double k) {
    if (!(k > 0.0) || !std::isfinite(k)) throw std::invalid_argument("gamma shape must be finite and > 0");
    if (k < 1.0) {
        const double u = rng.uniform_open();
        return gamma_variate(rng, k + 1.0) * std::pow(u, 1.0 / k);
    }
    const double d = k - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
        double z, v;
        do {
            z = rng.normal();
            v = 1.0 + c * z;
        } while (v <= 0.0);
        v = v * v * v;
        const double u = rng.uniform_open();
        if (u < 1.0 - 0.0331 * (z * z) * (z * z)) return d * v;
        if (std::log(u) < 0.5 * z * z + d * (1.0 - v + std::log(v))) return d * v;
    }
}

double chi_square_variate(Rng& rng, double dof) { return 2.0 * gamma_variate(rng, dof / 2.0); }

void fill_normal(Rng& rng, float* out, std::int64_t n, double scale) {
    // blocks of an even number of values, so that no pair straddles two blocks
    constexpr std::int64_t kBlock = 1 << 15;
    std::vector<std::uint64_t> bits(static_cast<std::size_t>(std::min(n + 1, kBlock)));
    for (std::int64_t b = 0; b < n; b += kBlock) {
        const std::int64_t m = std::min(kBlock, n - b), pairs = (m + 1) / 2;
        for (std::int64_t k = 0; k < 2 * pairs; ++k) bits[static_cast<std::size_t>(k)] = rng.next_u64();
        float* o = out + b;
#pragma omp parallel for schedule(static) if (pairs >= 4096)
        for (std::int64_t k = 0; k < pairs; ++k) {
            double z0, z1;
            Rng::normal_pair(bits[static_cast<std::size_t>(2 * k)], bits[static_cast<std::size_t>(2 * k + 1)], z0, z1);
            o[2 * k] = static_cast<float>(scale * z0);
            if (2 * k + 1 < m) o[2 * k + 1] = static_cast<float>(scale * z1);
        }
    }
}

const char* distribution_name(Distribution d) {
    switch (d) {
    case Distribution::Normal: return "normal";
    case Distribution::Uniform: return "uniform";
    case Distribution::Laplace: return "laplace";
    case Distribution::StudentT: return "student_t";
    }
    return "normal";
}

bool parse_distribution(const char* text, Distribution& out) {
    const std::string s = text ? text : "";
    if (s == "normal" || s == "gaussian") out = Distribution::Normal;
    else if (s == "uniform") out = Distribution::Uniform;
    else if (s == "laplace") out = Distribution::Laplace;
    else if (s == "student_t" || s == "student-t" || s == "t") out = Distribution::StudentT;
    else return false;
    return true;
}

std::string describe(const GeneratorSpec& g) {
    auto num = [](double v) {
        char b[32];
        std::snprintf(b, sizeof b, "%g", v);
        return std::string(b);
    };
    std::string shape;
    for (std::size_t i = 0; i < g.shape.size(); ++i) {
        if (i) shape += 'x';
        shape += std::to_string(g.shape[i]);
    }
    std::string s = std::string(distribution_name(g.distribution)) + "(mean " + num(g.mean) + ", std " + num(g.std);
    if (g.distribution == Distribution::StudentT) s += ", dof " + num(g.dof);
    s += "), " + shape + ", seed " + std::to_string(g.seed);
    if (g.outlier_fraction > 0)
        s += ", " + num(g.outlier_fraction * 100) + "% outliers at " + num(g.outlier_magnitude) + " std";
    if (g.llm_channels > 0)
        s += ", " + std::to_string(g.llm_channels) + " LLM-like rows x" + num(g.llm_scale_min) + "-" + num(g.llm_scale_max);
    return s;
}

Tensor generate(const GeneratorSpec& spec, const ProgressFn& progress) {
    std::int64_t n = 0;
    validate(spec, n);

    Tensor t("generated", spec.shape, DType::F32);
    float* out = t.data();
    const std::int64_t nchunks = (n + kGeneratorChunk - 1) / kGeneratorChunk;
    std::atomic<std::int64_t> done{0};
    std::atomic<bool> cancelled{false};
#pragma omp parallel for schedule(dynamic, 4)
    for (std::int64_t c = 0; c < nchunks; ++c) {
        if (cancelled.load(std::memory_order_relaxed)) continue;
        Rng rng(generator_stream_seed(spec.seed, static_cast<std::uint64_t>(c), 0));
        const std::int64_t b = c * kGeneratorChunk, e = std::min(n, b + kGeneratorChunk);
        for (std::int64_t i = b; i < e; ++i)
            out[i] = static_cast<float>(spec.mean + spec.std * unit_sample(rng, spec.distribution, spec.dof));
        const std::int64_t d = ++done;
        if (progress && (d % 16 == 0 || d == nchunks)) {
#pragma omp critical(ql_generate_progress)
            if (!progress(static_cast<std::size_t>(d), static_cast<std::size_t>(nchunks))) cancelled = true;
        }
    }
    if (cancelled) throw std::runtime_error("generation cancelled");

    // LLM-like channels: the first llm_channels entries of a Fisher-Yates permutation of axis 0 get a
    // factor f uniform in [min, max]; their values become mean + (x - mean) f.
    if (spec.llm_channels > 0) {
        Rng rng(generator_stream_seed(spec.seed, 0, 2));
        const std::int64_t channels = spec.shape[0];
        std::vector<std::int64_t> perm(static_cast<std::size_t>(channels));
        for (std::int64_t r = 0; r < channels; ++r) perm[static_cast<std::size_t>(r)] = r;
        for (std::int64_t r = channels - 1; r > 0; --r)
            std::swap(perm[static_cast<std::size_t>(r)], perm[rng.below(static_cast<std::uint64_t>(r + 1))]);
        const std::int64_t per_channel = n / channels;
        for (int k = 0; k < spec.llm_channels; ++k) {
            const double f = spec.llm_scale_min + (spec.llm_scale_max - spec.llm_scale_min) * rng.uniform();
            float* row = out + perm[static_cast<std::size_t>(k)] * per_channel;
            for (std::int64_t j = 0; j < per_channel; ++j)
                row[j] = static_cast<float>(spec.mean + (static_cast<double>(row[j]) - spec.mean) * f);
        }
    }

    // Outliers: m = round(fraction x n) distinct positions by Floyd's algorithm (for j = n-m .. n-1:
    // r uniform in [0, j]; take r, or j when r is taken), each then set to mean +- magnitude x std
    // with a random sign.
    const auto n_out = static_cast<std::int64_t>(std::llround(spec.outlier_fraction * static_cast<double>(n)));
    if (n_out > 0) {
        Rng rng(generator_stream_seed(spec.seed, 0, 1));
        std::vector<std::int64_t> picked;
        picked.reserve(static_cast<std::size_t>(n_out));
        std::vector<bool> taken(static_cast<std::size_t>(n), false);
        for (std::int64_t j = n - n_out; j < n; ++j) {
            auto r = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(j + 1)));
            if (taken[static_cast<std::size_t>(r)]) r = j;
            taken[static_cast<std::size_t>(r)] = true;
            picked.push_back(r);
        }
        for (std::int64_t p : picked) {
            const double sign = (rng.next_u64() >> 63) ? -1.0 : 1.0;
            out[p] = static_cast<float>(spec.mean + sign * spec.outlier_magnitude * spec.std);
        }
    }
    return t;
}

} // namespace ql
