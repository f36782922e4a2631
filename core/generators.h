// Seeded weight generators, identical on every machine (DESIGN rule 7: the project's own RNG and
// transforms). Defaults reproduce the seed notebooks: 1000x1000 normal with std 2.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/progress.h"
#include "core/tensor.h"

namespace ql {

enum class Distribution { Normal, Uniform, Laplace, StudentT };

struct GeneratorSpec {
    Distribution distribution = Distribution::Normal;
    std::vector<std::int64_t> shape{1000, 1000};
    double mean = 0.0;
    double std = 2.0;            // standard deviation of the bulk (Student-t: of the whole distribution, dof > 2)
    double dof = 3.0;            // Student-t degrees of freedom (heavy tails; > 2 so the std exists)
    std::uint64_t seed = 42;
    double outlier_fraction = 0.0;   // fraction of values replaced by outliers (0..1)
    double outlier_magnitude = 10.0; // outlier = +-magnitude * std (random sign)
    int llm_channels = 0;            // "LLM-like": this many output channels (slices along axis 0) get a larger scale
    double llm_scale_min = 10.0;     // those rows are multiplied by a factor in [min, max]
    double llm_scale_max = 100.0;
    bool operator==(const GeneratorSpec&) const = default;
};

// Generates the tensor (name "generated"). Throws std::invalid_argument for a bad spec
// (empty/overflowing shape, std < 0, dof <= 2, fraction outside [0, 1]).
// Order of the steps: bulk values (depend only on seed and flat index, in chunks of
// kGeneratorChunk values, each chunk its own Rng), then the LLM-like channels are scaled about the
// mean, then outliers replace values (so an outlier is exactly mean +- magnitude x std everywhere).
// Progress counts chunks; a cancel throws std::runtime_error("generation cancelled").
Tensor generate(const GeneratorSpec& spec, const ProgressFn& progress = {});

// Values per chunk of the bulk step (each chunk has its own stream; see generate()).
constexpr std::int64_t kGeneratorChunk = 1 << 16;
// Seed of the stream of chunk c: splitmix64 of (seed, c, stream); stream 0 = bulk chunks,
// 1 = outlier positions and signs, 2 = LLM-like channels.
std::uint64_t generator_stream_seed(std::uint64_t seed, std::uint64_t chunk, std::uint64_t stream);

class Rng;
// Gamma(shape k, scale 1) variate by Marsaglia and Tsang (2000) for k >= 1; for k < 1 the boost
// Gamma(k) = Gamma(k + 1) x U^(1/k). Mean k, variance k. Throws std::invalid_argument for k <= 0.
double gamma_variate(Rng& rng, double shape);
// Chi-square with dof degrees of freedom (any real dof > 0): 2 x Gamma(dof / 2).
double chi_square_variate(Rng& rng, double dof);

// out[i] = float(scale x z_i) for the next n values z_i of rng.normal() from a fresh stream (no spare
// pending), the same floats as that sequential loop; the draws are taken in order, the logarithms and
// sines on every thread.
void fill_normal(Rng& rng, float* out, std::int64_t n, double scale);

// "normal(mean 0, std 2), 1000x1000, seed 42, 0.1% outliers at 10 std, 4 LLM-like rows x10-100"
std::string describe(const GeneratorSpec& spec);

const char* distribution_name(Distribution d);           // "normal", "uniform", "laplace", "student_t"
bool parse_distribution(const char* text, Distribution& out);

} // namespace ql
