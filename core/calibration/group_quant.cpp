// Group-wise asymmetric INT-b weight quantization (the GPTQ and llm-awq parameter rules).
#include "core/calibration/group_quant.h"

#include <algorithm>

namespace ql::calib {

GroupParams gptq_group_params(const float* x, std::int64_t n, int maxq) {
    float lo = 0.0f, hi = 0.0f;   // torch.minimum(x.min(1), 0), torch.maximum(x.max(1), 0)
    for (std::int64_t i = 0; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    if (lo == 0.0f && hi == 0.0f) {
        lo = -1.0f;
        hi = 1.0f;
    }
    GroupParams p;
    p.scale = (hi - lo) / static_cast<float>(maxq);
    p.zero = std::nearbyint(-lo / p.scale);
    return p;
}

GroupParams awq_group_params(const float* x, std::int64_t n, int maxq) {
    float lo = x[0], hi = x[0];
    for (std::int64_t i = 1; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    GroupParams p;
    float range = hi - lo;
    if (range < 1e-5f) range = 1e-5f;   // .clamp(min=1e-5)
    p.scale = range / static_cast<float>(maxq);
    float z = -std::nearbyint(lo / p.scale);
    z = z < 0.0f ? 0.0f : (z > static_cast<float>(maxq) ? static_cast<float>(maxq) : z);
    p.zero = z;
    return p;
}

MatrixRF quantize_groups(const MatrixRF& W, int bits, int group_size, GroupRule rule, std::vector<GroupParams>* params) {
    const std::int64_t rows = W.rows(), cols = W.cols();
    const std::int64_t g = effective_group(cols, group_size), ng = group_count(cols, group_size);
    const int maxq = max_code(bits);
    const auto fmaxq = static_cast<float>(maxq);
    MatrixRF Q(rows, cols);
    if (params) params->assign(static_cast<std::size_t>(rows * ng), GroupParams{});
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* w = W.data() + r * cols;
        float* q = Q.data() + r * cols;
        for (std::int64_t k = 0; k < ng; ++k) {
            const std::int64_t c0 = k * g, n = std::min(g, cols - c0);
            const GroupParams p = rule == GroupRule::Gptq ? gptq_group_params(w + c0, n, maxq) : awq_group_params(w + c0, n, maxq);
            for (std::int64_t c = c0; c < c0 + n; ++c) q[c] = fake_quant(w[c], p, fmaxq);
            if (params) (*params)[static_cast<std::size_t>(r * ng + k)] = p;
        }
    }
    return Q;
}

} // namespace ql::calib
