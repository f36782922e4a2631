// AWQ (Lin et al. 2023) for one linear layer, as mit-han-lab/llm-awq computes it, with llm-awq's
// pseudo_quantize_tensor (zero point, min/max not widened to 0, scale clamped at 1e-5; group_quant.h):
//
// auto_scale (_search_module_scale with the linear itself as the block):
//   x_mean = mean over tokens of |X|, per input channel          (get_act_scale)
//   for ratio = k / n_grid, k = 0 .. n_grid-1:
//     s = max(x_mean^ratio, 1e-4);  s = s / sqrt(max(s) * min(s))
//     W' = Q(W * s) / s
//     loss = mean((X W^T - X W'^T)^2)
//   the first strictly lowest loss wins (loss < best, best starting at +inf)
// auto_clip (auto_clip_layer), on the scaled layer W * s and X / s:
//   tokens sampled as X[0::N // n_sample_token] (every step-th row; step 1 when N < n_sample_token,
//     where the reference's slice step would be 0)
//   per output row and group: m0 = max |w| over the group;
//   for i = 0 .. int(max_shrink * n_grid)-1 (10 steps: 1, 0.95, ..., 0.55 of m0):
//     m = m0 * (1 - i / n_grid);  q = Q(clamp(w, -m, m))
//     err = mean over sampled tokens of (sum over the group of x (q - w))^2
//     keep m when err < the best so far (starting at 1e9)
//   then W * s is clamped to [-m, m] per group and quantized: Wq = Q(clamp(W * s)) / s.
// Losses are computed from the difference, X (W - W')^T, in one float32 product with squares summed in
// double: the reference's X W^T - X W'^T in exact arithmetic, without its cancellation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/calibration/calib_layer.h"
#include "core/progress.h"

namespace ql::calib {

struct AwqOptions {
    int bits = 4;
    int group_size = 128;         // <= 0: one group per row
    int n_grid = 20;              // ratios k / n_grid
    bool clip = false;            // also run auto_clip
    int clip_n_grid = 20;
    double max_shrink = 0.5;
    int n_sample_token = 512;
};

struct AwqResult {
    std::string error;
    bool cancelled = false;
    MatrixRF Wq;                  // Q(W * s) / s at the chosen ratio, original coordinates
    MatrixRF Wq_clip;             // with clip: Q(clamp(W * s)) / s; empty otherwise
    double ratio = 0;             // the chosen ratio
    int best_index = -1;          // its k
    double loss = 0;              // loss at the chosen ratio
    std::vector<double> ratios;   // k / n_grid
    std::vector<double> loss_vs_ratio; // mean((X W^T - X W'^T)^2) per ratio (output units squared)
    std::vector<float> x_mean;    // mean |X| per input channel
    std::vector<float> scales;    // s per input channel at the chosen ratio
    // auto_clip (with clip): per output row and group, row-major out x groups
    std::int64_t groups = 0;
    std::vector<float> clip_max;  // the chosen max |w| in the scaled coordinates W * s
    std::vector<float> clip_fraction; // chosen max / original max of the group (1 = not clipped)
    std::int64_t clip_tokens = 0; // sampled tokens used by auto_clip
    double search_seconds = 0;
    double clip_seconds = 0;
};

// auto_clip alone, on an already scaled layer (Ws = W * s, Xs = X / s; X is sampled inside).
struct AwqClip {
    std::vector<float> max;       // out x groups, row-major: the chosen max |w|
    std::vector<float> fraction;  // chosen max / the group's original max
    std::int64_t groups = 0;
    std::int64_t tokens = 0;      // sampled tokens
};
AwqClip awq_auto_clip(const MatrixRF& Ws, const MatrixRF& Xs, const AwqOptions& opt);
// apply_clip: Ws clamped to [-max, max] per (row, group).
void apply_clip(MatrixRF& Ws, const AwqClip& clip, int group_size);

AwqResult awq_quantize(const MatrixRF& W, const MatrixRF& X, const AwqOptions& opt, const ProgressFn& progress = {});

// The scales of one ratio: s = max(x_mean^ratio, 1e-4) / sqrt(max * min), float32 as torch computes
// them (x^0.5 by a square root, as torch's pow does for that exponent).
std::vector<float> awq_scales(const std::vector<float>& x_mean, double ratio);

} // namespace ql::calib
