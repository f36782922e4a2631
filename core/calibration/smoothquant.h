// SmoothQuant (Xiao et al. 2023) for one linear layer, as mit-han-lab/smoothquant's smooth_ln_fcs
// computes the smoothing factors, in float32:
//   act_j = max over tokens |X_tj|                       (the calibration's act_scales)
//   wgt_j = max(max over rows |W_rj|, 1e-5)
//   s_j   = max(act_j^alpha / wgt_j^(1 - alpha), 1e-5)
//   X' = X / s  (folded into the previous LayerNorm in a model),  W' = W * s
// X' W'^T = X W^T in exact arithmetic; the outliers of X move into W by the factor s.
// Then W8A8 (act_quant.h): weights per-output-channel absmax INT8, activations dynamic absmax INT8 per
// tensor or per token. Reported with and without smoothing:
//   smoothquant_w8a8_tensor, smoothquant_w8a8_token, w8a8_tensor, w8a8_token.
// Powers as torch computes them for these exponents: x^0 = 1, x^1 = x, x^0.5 = sqrt(x), x^2 = x*x.
#pragma once

#include <string>
#include <vector>

#include "core/analysis.h"
#include "core/calibration/act_quant.h"
#include "core/calibration/calib_layer.h"

namespace ql::calib {

struct SmoothQuantOptions {
    double alpha = 0.5;          // migration strength, 0..1
    int bits = 8;                // W8A8
    int histogram_bins = 100;
};

struct W8A8Result {
    std::string method;          // "smoothquant_w8a8_tensor", "w8a8_token", ...
    bool smoothed = false;
    ActGranularity act = ActGranularity::PerTensor;
    OutputError error;           // weight_mse with Wq in the original coordinates, Q(W s) / s
};

struct SmoothQuantResult {
    std::string error;
    double alpha = 0.5;
    std::vector<float> scales;                 // s per input channel
    std::vector<float> act_absmax_before;      // max_t |X_tj| per input channel
    std::vector<float> act_absmax_after;       // max_t |X_tj / s_j|
    std::vector<float> weight_absmax_before;   // max_r |W_rj| per input channel
    std::vector<float> weight_absmax_after;    // max_r |W_rj s_j|
    Histogram act_hist_before;                 // values of X, on [min X, max X]
    Histogram act_hist_after;                  // values of X / s, on their own [min, max]
    std::vector<W8A8Result> variants;          // smoothed tensor, smoothed token, plain tensor, plain token
};

// max over rows of |m| per column.
std::vector<float> column_absmax(const MatrixRF& m);
// torch's pow(x, e) for a float32 tensor and a scalar exponent (the special cases above).
float torch_pow(float x, double e);
// s from the per-channel maxima.
std::vector<float> smoothquant_scales(const std::vector<float>& act_absmax, const std::vector<float>& weight_absmax, double alpha);
// X / s and W * s.
void smooth_layer(const MatrixRF& W, const MatrixRF& X, const std::vector<float>& s, MatrixRF& Ws, MatrixRF& Xs);

// Smoothing, the four W8A8 variants and the per-channel pictures. objective must belong to (W, X).
SmoothQuantResult smoothquant_w8a8(const CalibLayer& layer, const LayerObjective& objective, const SmoothQuantOptions& opt);

// Counts of the values of m over `bins` equal bins on [min, max] (the last bin includes max).
Histogram value_histogram(const MatrixRF& m, int bins);

} // namespace ql::calib
