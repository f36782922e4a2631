// Range setting (clipping) for the integer format: which [lo, hi] a per-tensor INT configuration maps onto
// its codes. Values outside are clipped; a narrower range gives finer steps for the bulk of the values.
//
//   MinMax      [min, max] of the finite values (PyTorch's MinMaxObserver).
//   Percentile  symmetric scheme: [-t, t] with t = the p-th percentile of |x|; asymmetric: each tail
//               separately, [the (100 - p)-th percentile of x, the p-th percentile of x]. Percentiles by
//               nearest rank: the value of rank ceil(p/100 * n) in ascending order (exact, no interpolation).
//   MseOptimal  the clip ratio r in {0.01, 0.02, ..., 1.00} of the min-max range ([r min, r max]) whose
//               quantization has the smallest mean squared error, estimated on a 2048-bin histogram of x
//               (each bin's count at its centre, quantized with that range's own INT parameters); ties
//               keep the larger r.
//   KlDivergence  TensorRT's entropy calibration: a 2048-bin histogram of |x| on [0, amax]; for every
//               candidate threshold bin i = nq .. 2048 (nq = 2^(bits-1) quantized bins, 128 for INT8) the
//               reference P = the first i bins with every count beyond folded into bin i-1, and Q = the
//               first i bins merged into nq equal groups and spread back evenly over each group's non-empty
//               bins; both smoothed (every empty bin gets eps = 1e-4, taken evenly from the others),
//               normalised, KL(P || Q) = sum p ln(p / q). The smallest divergence wins (the first on ties);
//               the threshold is the upper edge of bin i - 1, and the range [-t, t] meets [min, max].
// Every method returns a range that contains 0 and lies within [min, max] (widened to include 0).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "core/quant_config.h"
#include "core/tensor.h"

namespace ql {

struct ClipChoice {
    float lo = 0, hi = 0;            // the chosen range
    float min = 0, max = 0;          // the finite min and max it was chosen from
    std::vector<double> curve_x;     // MSE: clip ratios, KL: thresholds; empty for min-max / percentile
    std::vector<double> curve_y;     // MSE: estimated MSE per ratio, KL: divergence per threshold
};

// The range `c.range` chooses for tensor t (c.bits and c.scheme are used; per tensor).
ClipChoice choose_clip_range(const Tensor& t, const QuantConfig& c);

// The pieces, for tests and charts.
float percentile_nearest_rank(std::vector<float> values, double p);  // p in (0, 100]
// TensorRT's KL threshold on a histogram of |x| (bins of equal width `bin_width` from 0) for nq quantized bins.
double kl_threshold(const std::vector<double>& hist_abs, double bin_width, int nq, std::vector<double>* divergences = nullptr);

} // namespace ql
