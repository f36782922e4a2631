// Asymmetric INT-b weight quantization with one (scale, integer zero point) per output row and group
// of input columns, as the two reference codes compute it, in float32 like them:
//
// GPTQ's Quantizer.find_params(weight=True), perchannel, asymmetric (IST-DASLab/gptq quant.py),
// used by RTN and GPTQ:
//   xmin = min(min x, 0), xmax = max(max x, 0)        (the range is widened to include 0)
//   xmin = -1, xmax = +1 when both are 0
//   scale = (xmax - xmin) / maxq,  zero = round(-xmin / scale),  maxq = 2^b - 1
// llm-awq's pseudo_quantize_tensor(zero_point=True), used by AWQ:
//   max = max x, min = min x                           (not widened)
//   scale = max(max - min, 1e-5) / maxq,  zero = clamp(-round(min / scale), 0, maxq)
// Both then fake-quantize the same way (it divides by the scale; no reciprocal):
//   q = clamp(round(x / scale) + zero, 0, maxq),  x~ = scale * (q - zero)
// round() is round half to even (torch.round). Groups are `group_size` consecutive columns of a row,
// the last one shorter when in_features is not a multiple; group_size <= 0 means one group per row.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/calibration/calib_layer.h"

namespace ql::calib {

struct GroupParams {
    float scale = 1;
    float zero = 0;      // an integer value held in float, as the references hold it
};

// Which reference's parameter rule.
enum class GroupRule { Gptq, Awq };

inline int max_code(int bits) { return (1 << bits) - 1; }

// Columns per group: group_size, or all columns when group_size <= 0.
inline std::int64_t effective_group(std::int64_t in, int group_size) {
    return group_size > 0 ? group_size : in;
}
inline std::int64_t group_count(std::int64_t in, int group_size) {
    const std::int64_t g = effective_group(in, group_size);
    return (in + g - 1) / g;
}

// Parameters of one group of n values (n >= 1, finite).
GroupParams gptq_group_params(const float* x, std::int64_t n, int maxq);
GroupParams awq_group_params(const float* x, std::int64_t n, int maxq);

// scale * (clamp(round(x / scale) + zero, 0, maxq) - zero), float32 operation by operation.
inline float fake_quant(float x, GroupParams p, float maxq) {
    float q = std::nearbyint(x / p.scale) + p.zero;
    q = q < 0.0f ? 0.0f : (q > maxq ? maxq : q);
    return p.scale * (q - p.zero);
}

// The integer code (0..maxq) of x.
inline int quant_code(float x, GroupParams p, float maxq) {
    float q = std::nearbyint(x / p.scale) + p.zero;
    q = q < 0.0f ? 0.0f : (q > maxq ? maxq : q);
    return static_cast<int>(q);
}

// Round to nearest of every (row, group) of W with the given rule. params, when given, receives
// out x groups entries, row-major.
MatrixRF quantize_groups(const MatrixRF& W, int bits, int group_size, GroupRule rule,
                         std::vector<GroupParams>* params = nullptr);

// RTN: GPTQ's quantizer applied directly.
inline MatrixRF rtn_quantize(const MatrixRF& W, int bits, int group_size, std::vector<GroupParams>* params = nullptr) {
    return quantize_groups(W, bits, group_size, GroupRule::Gptq, params);
}

} // namespace ql::calib
