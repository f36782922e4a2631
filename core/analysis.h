// The one call behind every chart (DESIGN rule 2): AnalysisRequest in, AnalysisReport out.
// GUI, headless export and CLI all call analyze(); charts draw the report and compute nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "core/quant_config.h"
#include "core/quantizer.h"
#include "core/tensor.h"

namespace ql {

class Accelerator;

enum class Activation { None, ReLU, GELU };

// Error accumulation through layers (seed notebook 005): N random d x d layers, batch B of inputs.
struct LayerSimOptions {
    bool enabled = true;
    int layers = 5;
    int width = 1000;               // d: every layer is d x d
    int batch = 32;                 // B input rows
    double weight_std = 0.1;        // layer weights ~ normal(0, weight_std)
    Activation activation = Activation::None;
    std::uint64_t seed = 42;
};

struct AnalysisOptions {
    int histogram_bins = 100;       // bins of the original / dequantized / error histograms
    std::int64_t sample_row = 0;    // row whose first values feed the original-vs-dequantized chart
    int sample_count = 50;          // N values of that row
    bool per_channel_error = true;  // MSE per row (output channel)
    bool forward_diff = true;       // one layer's output difference, X @ W^T (seed notebook 002)
    int forward_batch = 32;         // rows of the random input X ~ normal(0, 1)
    std::uint64_t forward_seed = 7;
    bool snr_sweep = true;          // SNR at bits 2..8 for each Int (scheme/granularity kept) and HQQ (group kept) configuration
    // false: the sweeps of solver formats (HQQ: 7 solves, 0.1-0.4 s each on 4096x4096) are left to
    // add_snr_sweeps(), which the window runs after it has drawn the charts
    bool snr_sweep_solvers = true;
    std::int64_t levels_index = 0;  // flat index whose slice/block levels are reported (the levels grid)
    LayerSimOptions layer_sim;
    Accelerator* accelerator = nullptr; // optional (gpu/): asked first for each configuration's fused pass
};

struct AnalysisRequest {
    std::shared_ptr<const Tensor> tensor;  // generated or loaded; shared so a new request reuses it
    std::vector<QuantConfig> configs;
    AnalysisOptions options;
};

// Counts over equal-width bins on [lo, hi]; the last bin includes hi. Values outside are not counted
// (the analysis picks ranges that hold every value).
struct Histogram {
    double lo = 0;
    double hi = 0;
    std::vector<std::uint64_t> counts;
    std::uint64_t total = 0;                  // sum of counts
    double bin_width() const { return counts.empty() ? 0.0 : (hi - lo) / static_cast<double>(counts.size()); }
    double bin_center(std::size_t i) const { return lo + (static_cast<double>(i) + 0.5) * bin_width(); }
    // count / (total * bin width): integrates to 1, comparable across histograms with the same bins.
    std::vector<double> density() const;
};

struct TensorSummary {
    std::string name;
    std::vector<std::int64_t> shape;
    std::int64_t numel = 0;
    double min = 0, max = 0;        // over finite values
    double mean = 0, std = 0;       // population std over finite values
    double absmax = 0;
    std::uint64_t nan_count = 0;
    std::uint64_t inf_count = 0;
};

// Error of a dequantized tensor against the original, over finite original values. Sums in double.
struct ErrorMetrics {
    double mse = 0;                 // mean (x - dq)^2
    double rmse = 0;
    double mae = 0;                 // mean |x - dq|
    double max_abs = 0;             // max |x - dq|
    double snr_db = 0;              // 10 log10(sum x^2 / sum (x - dq)^2), the seeds' SNR; +inf when exact
    double sqnr_db = 0;             // 10 log10(var(x) / mse): signal power about its mean over noise
    double cosine = 0;              // <x, dq> / (|x| |dq|)
    std::uint64_t clipped = 0;      // values whose code hit qmin/qmax while x lay outside the grid
    std::uint64_t levels_used = 0;  // distinct codes that occur
    std::uint64_t count = 0;        // finite values compared
    std::uint64_t nonfinite = 0;    // NaN/Inf inputs, counted and left out of every mean
    // finite inputs whose dequantized value is +-inf or NaN (a ggml block whose fp16 scale or minimum
    // overflows, as llama.cpp stores it): mse, rmse, mae and max_abs are then +inf, snr_db and sqnr_db
    // -inf, cosine NaN, and the histograms hold the finite values only
    std::uint64_t nonfinite_dq = 0;
};

struct ForwardDiff {                // Y = X W^T against Yq = X Wq^T
    double mean_abs = 0;            // mean |Y - Yq|
    double max_abs = 0;             // max |Y - Yq|
    double mean_rel_pct = 0;        // mean |Y - Yq| / mean |Y| * 100 (seed 002)
};

struct LayerError {                 // after layer i of the simulation, against the FP32 chain
    int layer = 0;                  // 1-based
    double mean_abs = 0;            // mean |h - hq|
    double relative = 0;            // ||h - hq||_F / ||h||_F
};

struct SnrPoint {
    int bits = 0;
    double snr_db = 0;
    double bits_per_weight = 0;
    double reference_db = 0;        // the 6.02 dB-per-bit line through the 8-bit point: snr(8) - 6.02 (8 - bits)
};

// One bar of the memory chart: the current tensor stored in a format (bytes, GB = 10^9, GiB = 2^30).
struct MemoryBar {
    std::string label;              // "FP32", "FP16", "INT8", "INT4", or a configuration's name
    double bits_per_weight = 0;     // including scales and zero points
    std::uint64_t bytes = 0;
    double gb = 0;                  // bytes / 1e9
    double gib = 0;                 // bytes / 2^30
    int config_index = -1;          // index into AnalysisReport::configs, -1 for the plain formats
};

struct ConfigReport {
    QuantConfig config;
    std::string error;              // non-empty: the configuration was invalid; other fields are empty
    ErrorMetrics metrics;
    StorageSize storage;
    Histogram dequantized;          // same range and bins as AnalysisReport::original
    Histogram errors;               // dq - x; its own range, from this configuration's error bound
    std::vector<float> levels;      // representable values at options.levels_index, ascending
    std::optional<std::pair<double, double>> clip; // range chosen by a clipping method
    std::vector<double> channel_mse;// MSE per row (output channel)
    std::vector<float> sample_dequantized; // first sample_count values of sample_row
    // The levels of each block (slice, group) the sample values fall in, consecutive duplicates merged:
    // sample_levels[sample_level_of[k]] are the values sample k could take. For per-tensor formats one
    // entry; for block formats one per block, so the GUI shows the grid of the block under the cursor.
    std::vector<std::vector<float>> sample_levels;
    std::vector<int> sample_level_of;
    ForwardDiff forward;
    std::vector<LayerError> layers;
    std::vector<SnrPoint> snr_vs_bits;
    std::vector<std::uint64_t> code_counts; // how often each code occurs; index 0 = the lowest code
    int lowest_code = 0;            // the code that code_counts[0] counts (Int: qmin)
    double compute_ms = 0;          // time of this configuration's quantize + metrics + histograms
    bool from_memo = false;         // metrics and histograms came from the memo of an earlier analysis
};

struct AnalysisReport {
    TensorSummary tensor;
    Histogram original;             // range holds every original and dequantized value
    std::vector<float> sample_original;
    std::int64_t sample_row = 0;
    std::vector<ConfigReport> configs;
    std::vector<MemoryBar> memory;  // FP32, FP16, INT8, INT4, then each configuration's true size
    double compute_ms = 0;          // wall time of analyze()
    bool forward_pending = false;   // set by a caller that runs add_forward_diffs() later (the window)
    bool layers_pending = false;    // set by a caller that runs add_layer_sims() later (the window)
    bool sweeps_pending = false;    // set by a caller that runs add_snr_sweeps() later (the window)
    std::string backend;            // "CPU, 2 threads" or the CUDA device's name
    bool cancelled = false;
    std::vector<std::string> warnings;
};

// Runs every analysis the options ask for. progress counts work units over all configurations;
// returning false cancels (the report comes back with cancelled = true and whatever was finished).
AnalysisReport analyze(const AnalysisRequest& request, const ProgressFn& progress = {});

// The forward difference of every configuration of `report`, made by analyze() for `request` with
// options.forward_diff off: afterwards the report holds what analyze() gives with it on. The window
// draws the charts of the report first and fills the table's output-error column with this (about
// 1 GFLOP per configuration on 4096x4096, no chart needs it). threads: for the products (0: every
// thread; the window leaves the GUI thread a core while it paints). False when cancelled.
bool add_forward_diffs(const AnalysisRequest& request, AnalysisReport& report, const ProgressFn& progress = {}, int threads = 0);

// The layer simulation of every configuration of `report`, made by analyze() for `request` with
// options.layer_sim.enabled off: afterwards the report's layers are what analyze() gives with it on
// (the same memo). The window draws every other chart while this runs (a few ms for the seeds' five
// 1000x1000 layers, whatever the tensor). False when cancelled.
bool add_layer_sims(const AnalysisRequest& request, AnalysisReport& report, const ProgressFn& progress = {});

// The SNR sweeps of every configuration of `report` that has none yet, made by analyze() for `request`
// with options.snr_sweep_solvers off: afterwards the report's sweeps are what analyze() gives with it on
// (the same memo). The window draws the charts first; HQQ's sweep solves the tensor at 7 bit widths.
// False when cancelled (the solver stops within an iteration).
bool add_snr_sweeps(const AnalysisRequest& request, AnalysisReport& report, const ProgressFn& progress = {});

// Whether analyze() gives configuration c an SNR sweep (Int and HQQ), and whether it is a solver's
// (HQQ: options.snr_sweep_solvers, add_snr_sweeps()).
bool has_snr_sweep(const QuantConfig& c);
bool snr_sweep_solves(const QuantConfig& c);

TensorSummary summarize(const Tensor& t);

// analyze() memoises what depends on a configuration and not on the tensor's other settings: the
// prepared quantizer and its histograms and metrics (per tensor and configuration), the layer
// simulation and the forward difference per configuration (a configuration seen before costs nothing
// the second time, and moving one configuration's slider recomputes that configuration alone). This
// drops those entries (not the per-tensor summaries, the slice ranges and NF4 block absmax values, the
// FP32 side of the layer simulation, or the SNR sweeps, which do not depend on the bit width), so that
// a benchmark can time a first visit.
void forget_configuration_memos();
// The same for one configuration only (its label and colour aside): a first visit of that configuration
// while the others stay memoised, as when a user moves one configuration's slider.
void forget_configuration_memos(const QuantConfig& config);

// The Pareto front of (bits per weight, quality) points where fewer bits and more quality are better:
// the indices of the points no other point beats on both (ties on both count as not beaten), in
// ascending bits. Points with a non-finite coordinate are left out (an exact SQNR of +inf is kept only
// when higher_is_better, where it is the best possible quality).
std::vector<std::size_t> pareto_front(const std::vector<double>& bits, const std::vector<double>& quality,
                                      bool higher_is_better = true);

} // namespace ql
