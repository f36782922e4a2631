// Calibration request in, report out (DESIGN rule 2): one layer (generated, loaded or given), the
// methods to run (RTN, GPTQ, AWQ, AWQ + clip, SmoothQuant W8A8), and every number the calibration
// charts draw: per method the relative layer-output error and weight MSE, GPTQ's per-column loss and
// Hessian diagonal, AWQ's loss-vs-ratio curve and scales, SmoothQuant's per-channel maxima and
// activation histograms before and after smoothing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calibration/awq.h"
#include "core/calibration/calib_layer.h"
#include "core/calibration/gptq.h"
#include "core/calibration/smoothquant.h"
#include "core/progress.h"
#include "core/tensor.h"

namespace ql::calib {

enum class CalibMethod { Rtn, Gptq, Awq, AwqClip, SmoothQuant };

const char* calib_method_name(CalibMethod m);   // "rtn", "gptq", "awq", "awq_clip", "smoothquant"
// "all" or a comma-separated list of names; false (with out untouched) on an unknown name.
bool parse_calib_methods(const std::string& text, std::vector<CalibMethod>& out);
std::vector<CalibMethod> all_calib_methods();

struct CalibrationSettings {
    int bits = 4;                 // weight-only methods (RTN, GPTQ, AWQ): 2..8
    int group_size = 128;         // columns per (scale, zero) group; <= 0: one group per row
    // GPTQ
    int blocksize = 128;
    double percdamp = 0.01;
    bool act_order = false;
    HinvMethod hinv = HinvMethod::Reversed;
    // AWQ
    int awq_n_grid = 20;
    int awq_n_sample_token = 512;
    // SmoothQuant
    double alpha = 0.5;
    int histogram_bins = 100;
};

struct LayerSource {
    enum class Kind { Generated, Files, WeightFile, Tensors, WeightTensor };
    Kind kind = Kind::Generated;
    LayerSpec spec;                        // Generated; and for the generated X of WeightFile/WeightTensor
    std::string weights_path;              // Files, WeightFile (.npy)
    std::string activations_path;          // Files (.npy)
    std::shared_ptr<const Tensor> weights; // Tensors, WeightTensor
    std::shared_ptr<const Tensor> activations; // Tensors
};

struct CalibrationRequest {
    LayerSource source;
    std::vector<CalibMethod> methods = all_calib_methods();
    CalibrationSettings settings;
};

// A number a method reports besides the common ones (GPTQ's loss, AWQ's ratio ...).
struct NamedValue {
    std::string name;             // JSON key, snake_case
    double value = 0;
};

struct MethodResult {
    std::string method;           // rtn, gptq, awq, awq_clip, smoothquant_w8a8_tensor, ..., w8a8_token
    OutputError error;
    std::vector<NamedValue> values;
    double seconds = 0;           // wall time of the method
};

struct LayerInfo {
    std::string name;
    std::int64_t out = 0, in = 0, tokens = 0;
    std::vector<std::int64_t> outlier_channels; // generated layers
    std::vector<float> outlier_scales;
    double output_energy = 0;     // ||X W^T||_F^2
};

struct CalibrationReport {
    std::string error;            // the layer could not be built or the settings are invalid
    bool cancelled = false;
    LayerInfo layer;
    CalibrationSettings settings;
    std::vector<MethodResult> methods;
    // Details for the charts; the quantized matrices themselves are dropped (Wq fields empty).
    std::optional<GptqResult> gptq;
    std::optional<AwqResult> awq;             // scale search (and clip results when awq_clip ran)
    std::optional<SmoothQuantResult> smoothquant;
    std::vector<std::string> warnings;        // e.g. GPTQ's damping retries
    std::vector<std::string> failed;          // methods that could not run (their reason is in warnings)
    double compute_seconds = 0;
};

// The memory the methods need at least besides the layer's W (out x in) and X (tokens x in), in bytes:
// the reference output Y = X W^T every method is judged against, one quantized W and its difference to
// W, and the product X (W - Wq)^T; GPTQ adds its Hessian X^T X (in x in), SmoothQuant its smoothed
// copies of W and X. run_calibration() refuses a layer whose W, X and this exceed the machine's
// available memory (core/host_memory.h), with the reason in report.error, before allocating it.
double calibration_extra_bytes(std::int64_t out, std::int64_t in, std::int64_t tokens, const std::vector<CalibMethod>& methods);

// Builds the layer (errors as values in report.error) and runs the methods in the order given.
// progress counts 1000 units per stage (layer, then each method); returning false cancels.
CalibrationReport run_calibration(const CalibrationRequest& request, const ProgressFn& progress = {});

// The layer a source describes.
Result<CalibLayer> build_layer(const LayerSource& source);

// Runs the methods on an existing layer.
CalibrationReport run_calibration_on(const CalibLayer& layer, const std::vector<CalibMethod>& methods,
                                     const CalibrationSettings& settings, const ProgressFn& progress = {});

} // namespace ql::calib
