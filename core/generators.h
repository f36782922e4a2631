// Seeded weight generators, identical on every machine (DESIGN rule 7: the project's own RNG and
// transforms). Defaults reproduce the seed notebooks: 1000x1000 normal with std 2.
#pragma once

#include <cstdint>
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
    int llm_channels = 0;            // "LLM-like": this many output channels (rows) get a larger scale
    double llm_scale_min = 10.0;     // those rows are multiplied by a factor in [min, max]
    double llm_scale_max = 100.0;
    bool operator==(const GeneratorSpec&) const = default;
};

// Generates the tensor (name "generated"). Throws std::invalid_argument for a bad spec
// (empty/overflowing shape, std < 0, dof <= 2, fraction outside [0, 1]).
Tensor generate(const GeneratorSpec& spec, const ProgressFn& progress = {});

const char* distribution_name(Distribution d);           // "normal", "uniform", "laplace", "student_t"
bool parse_distribution(const char* text, Distribution& out);

} // namespace ql
