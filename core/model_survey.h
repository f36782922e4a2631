// Whole-model survey: every weight tensor of a model file quantized with each configuration through
// analyze(), giving per-tensor SQNR (which layers suffer most), and the model's memory per format.
// Tensors are loaded one at a time, so memory holds one tensor (plus its analysis) at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model_file.h"
#include "core/progress.h"
#include "core/quant_config.h"
#include "core/quantizer.h"

namespace ql {

// A weight tensor in the survey's sense: a matrix or kernel (rank >= 2) of floating-point or
// block-quantized values, or affine-quantized integers (TF.js). Biases, norms (rank 1), integer index
// tensors and undecodable types are left out.
bool is_weight_tensor(const TensorInfo& t);

struct SurveyTensor {
    std::string name;
    std::vector<std::int64_t> shape;   // numpy order
    DType dtype = DType::F32;          // as stored
    std::int64_t params = 0;
    std::vector<double> sqnr_db;       // per configuration: 10 log10(var(x) / MSE); NaN when not applicable
    std::vector<double> snr_db;        // per configuration: 10 log10(sum x^2 / sum (x - dq)^2)
    std::vector<double> bits_per_weight; // per configuration, including scales (NaN when not applicable)
    std::vector<std::string> errors;   // per configuration: why it does not apply to this tensor, else ""
    std::string load_error;            // non-empty: the tensor could not be read (no metrics)
};

struct SurveyConfigSummary {
    double mean_sqnr_db = 0;           // parameter-weighted mean of the tensors' SQNR in dB
    double min_sqnr_db = 0;            // the worst tensor's SQNR
    std::string worst_tensor;
    double bits_per_weight = 0;        // parameter-weighted mean over the surveyed tensors
    int tensors = 0;                   // tensors the configuration applied to
    // blocks along rows: of the code slots stored, the fraction that pads rows that are not whole blocks,
    // and the tensors with such rows (their bits per weight count the padding)
    double padding_fraction = 0;
    int padded_tensors = 0;
};

struct SurveyMemory {
    std::string label;                 // "FP32", "FP16", ..., or a configuration's name
    double bits_per_weight = 0;        // of the weight tensors; other tensors count at 16 bits for configs
    std::uint64_t bytes = 0;
    double gb = 0;                     // bytes / 1e9
    double gib = 0;                    // bytes / 2^30
    int config_index = -1;             // -1 for the plain formats (every parameter at bits_per_weight)
};

struct ModelSurvey {
    std::string file;
    std::string format;
    std::int64_t total_params = 0;     // every tensor of the file
    std::uint64_t stored_bytes = 0;    // bytes of every tensor as stored in the file
    std::int64_t weight_params = 0;    // parameters of the surveyed weight tensors
    std::vector<QuantConfig> configs;
    std::vector<SurveyConfigSummary> summary;  // per configuration
    std::vector<SurveyMemory> memory;  // FP32, FP16, BF16, INT8, INT4 of all parameters, then per configuration:
                                       // weight tensors at its bits per weight + other tensors at FP16
    std::vector<SurveyTensor> tensors; // the weight tensors, in file order
    bool cancelled = false;
};

// progress counts parameters of weight tensors analysed so far; returning false cancels.
ModelSurvey survey_model(const ModelFile& file, const std::vector<QuantConfig>& configs, const ProgressFn& progress = {});

} // namespace ql
