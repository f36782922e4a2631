// Seeded generators. Values are produced in fixed chunks of kChunk elements, each chunk with its own
// Rng seeded from (seed, chunk index), so the tensor is the same for any thread count and machine.
#include "core/generators.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "core/rng.h"

namespace ql {
namespace {

constexpr std::int64_t kChunk = 1 << 16;

// Seed of chunk c: splitmix64 over (seed, c) so neighbouring chunks get unrelated streams.
std::uint64_t chunk_seed(std::uint64_t seed, std::uint64_t c, std::uint64_t stream) {
    std::uint64_t x = seed ^ (0xD1B54A32D192ED03ull * (c + 1)) ^ (0x8CB92BA72F3D8DD7ull * stream);
    return Rng::splitmix64(x);
}

// Gamma(shape k, scale 1) by Marsaglia and Tsang (2000); k < 1 by the boost Gamma(k+1) * U^(1/k).
double gamma_sample(Rng& rng, double k) {
    if (k < 1.0) {
        const double u = rng.uniform_open();
        return gamma_sample(rng, k + 1.0) * std::pow(u, 1.0 / k);
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
        if (u < 1.0 - 0.0331 * z * z * z * z) return d * v;
        if (std::log(u) < 0.5 * z * z + d * (1.0 - v + std::log(v))) return d * v;
    }
}

// One value of the bulk distribution with mean 0 and standard deviation 1.
double unit_sample(Rng& rng, Distribution d, double dof) {
    switch (d) {
    case Distribution::Normal: return rng.normal();
    case Distribution::Uniform: return (2.0 * rng.uniform() - 1.0) * 1.7320508075688772;  // sqrt(3)
    case Distribution::Laplace: {
        // inverse CDF with b = 1/sqrt(2): x = -b sgn(u) ln(1 - 2|u|), u in (-1/2, 1/2)
        const double u = rng.uniform_open() - 0.5;
        const double b = 0.70710678118654752;
        return u < 0 ? b * std::log(1.0 + 2.0 * u) : -b * std::log(1.0 - 2.0 * u);
    }
    case Distribution::StudentT: {
        // t = z / sqrt(chi2_dof / dof), chi2_dof = 2 Gamma(dof/2); scaled by sqrt((dof-2)/dof) to unit std
        const double z = rng.normal();
        const double chi2 = 2.0 * gamma_sample(rng, dof / 2.0);
        return z / std::sqrt(chi2 / dof) * std::sqrt((dof - 2.0) / dof);
    }
    }
    return 0.0;
}

} // namespace

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

Tensor generate(const GeneratorSpec& spec, const ProgressFn& progress) {
    std::int64_t n = 0;
    if (spec.shape.empty() || spec.shape.size() > static_cast<std::size_t>(kMaxRank))
        throw std::invalid_argument("shape must have 1 to 4 dimensions");
    for (auto d : spec.shape)
        if (d <= 0) throw std::invalid_argument("every dimension must be positive");
    if (!checked_numel(spec.shape, n)) throw std::invalid_argument("shape's element count overflows");
    if (n > (std::int64_t(1) << 32)) throw std::invalid_argument("shape has more than 2^32 elements");
    if (!(spec.std >= 0.0) || !std::isfinite(spec.std)) throw std::invalid_argument("std must be finite and >= 0");
    if (!std::isfinite(spec.mean)) throw std::invalid_argument("mean must be finite");
    if (spec.distribution == Distribution::StudentT && !(spec.dof > 2.0 && std::isfinite(spec.dof)))
        throw std::invalid_argument("Student-t needs dof > 2 (so its std exists)");
    if (!(spec.outlier_fraction >= 0.0 && spec.outlier_fraction <= 1.0))
        throw std::invalid_argument("outlier fraction must be in [0, 1]");
    if (!(spec.outlier_magnitude >= 0.0) || !std::isfinite(spec.outlier_magnitude))
        throw std::invalid_argument("outlier magnitude must be finite and >= 0");
    const std::int64_t rows = spec.shape.size() >= 2 ? spec.shape[0] : 1;
    if (spec.llm_channels < 0 || spec.llm_channels > rows)
        throw std::invalid_argument("LLM-like channels must be 0.." + std::to_string(rows));
    if (!(spec.llm_scale_min > 0.0 && spec.llm_scale_max >= spec.llm_scale_min && std::isfinite(spec.llm_scale_max)))
        throw std::invalid_argument("LLM-like scale range must satisfy 0 < min <= max");

    Tensor t("generated", spec.shape, DType::F32);
    float* out = t.data();
    const std::int64_t nchunks = (n + kChunk - 1) / kChunk;
    std::atomic<std::int64_t> done{0};
    std::atomic<bool> cancelled{false};
#pragma omp parallel for schedule(dynamic, 4)
    for (std::int64_t c = 0; c < nchunks; ++c) {
        if (cancelled.load(std::memory_order_relaxed)) continue;
        Rng rng(chunk_seed(spec.seed, static_cast<std::uint64_t>(c), 0));
        const std::int64_t b = c * kChunk, e = std::min(n, b + kChunk);
        for (std::int64_t i = b; i < e; ++i)
            out[i] = static_cast<float>(spec.mean + spec.std * unit_sample(rng, spec.distribution, spec.dof));
        const std::int64_t d = ++done;
        if (progress && (d % 16 == 0 || d == nchunks)) {
#pragma omp critical(ql_generate_progress)
            if (!progress(static_cast<std::size_t>(d), static_cast<std::size_t>(nchunks))) cancelled = true;
        }
    }
    if (cancelled) throw std::runtime_error("generation cancelled");

    // Outliers: a sequential stream picks distinct positions (Floyd's algorithm over [0, n)) and signs.
    const auto n_out = static_cast<std::int64_t>(std::llround(spec.outlier_fraction * static_cast<double>(n)));
    if (n_out > 0) {
        Rng rng(chunk_seed(spec.seed, 0, 1));
        std::vector<std::int64_t> picked;
        picked.reserve(static_cast<std::size_t>(n_out));
        std::vector<std::uint8_t> taken(static_cast<std::size_t>(n), 0);
        for (std::int64_t j = n - n_out; j < n; ++j) {
            auto r = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(j + 1)));
            if (taken[static_cast<std::size_t>(r)]) r = j;
            taken[static_cast<std::size_t>(r)] = 1;
            picked.push_back(r);
        }
        for (std::int64_t p : picked) {
            const double sign = (rng.next_u64() >> 63) ? -1.0 : 1.0;
            out[p] = static_cast<float>(spec.mean + sign * spec.outlier_magnitude * spec.std);
        }
    }
    // LLM-like channels: the first rows of a random permutation get a scale in [min, max].
    if (spec.llm_channels > 0) {
        Rng rng(chunk_seed(spec.seed, 0, 2));
        std::vector<std::int64_t> perm(static_cast<std::size_t>(rows));
        for (std::int64_t r = 0; r < rows; ++r) perm[static_cast<std::size_t>(r)] = r;
        for (std::int64_t r = rows - 1; r > 0; --r)
            std::swap(perm[static_cast<std::size_t>(r)], perm[rng.below(static_cast<std::uint64_t>(r + 1))]);
        const std::int64_t cols = n / rows;
        for (int k = 0; k < spec.llm_channels; ++k) {
            const double f = spec.llm_scale_min + (spec.llm_scale_max - spec.llm_scale_min) * rng.uniform();
            float* row = out + perm[static_cast<std::size_t>(k)] * cols;
            for (std::int64_t j = 0; j < cols; ++j) row[j] = static_cast<float>(spec.mean + (row[j] - spec.mean) * f);
        }
    }
    return t;
}

} // namespace ql
