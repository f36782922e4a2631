// Absmax INT8 fake quantization of weights and activations (SmoothQuant's W8A8 simulation).
#include "core/calibration/act_quant.h"

#include <algorithm>
#include <cmath>

namespace ql::calib {
namespace {

float absmax_scale(float absmax, int bits) {
    const auto qmax = static_cast<float>((1 << (bits - 1)) - 1);
    return std::max(absmax, 1e-5f) / qmax;   // scales.clamp_(min=1e-5).div_(q_max)
}

// w.div_(scales).round_().mul_(scales)
inline float absmax_fake(float x, float scale) { return std::nearbyint(x / scale) * scale; }

} // namespace

const char* act_granularity_name(ActGranularity g) { return g == ActGranularity::PerToken ? "token" : "tensor"; }

MatrixRF absmax_quantize_rows(const MatrixRF& m, int bits, std::vector<float>* scales) {
    MatrixRF q(m.rows(), m.cols());
    if (scales) scales->assign(static_cast<std::size_t>(m.rows()), 0.0f);
    const std::int64_t cols = m.cols();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < m.rows(); ++i) {
        const float* x = m.data() + i * cols;
        float a = 0;
        for (std::int64_t j = 0; j < cols; ++j) a = std::max(a, std::fabs(x[j]));
        const float s = absmax_scale(a, bits);
        float* y = q.data() + i * cols;
        for (std::int64_t j = 0; j < cols; ++j) y[j] = absmax_fake(x[j], s);
        if (scales) (*scales)[static_cast<std::size_t>(i)] = s;
    }
    return q;
}

MatrixRF absmax_quantize_tensor(const MatrixRF& m, int bits, float* scale) {
    float a = 0;
    const float* x = m.data();
    for (std::int64_t i = 0; i < m.size(); ++i) a = std::max(a, std::fabs(x[i]));
    const float s = absmax_scale(a, bits);
    MatrixRF q(m.rows(), m.cols());
    float* y = q.data();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < m.size(); ++i) y[i] = absmax_fake(x[i], s);
    if (scale) *scale = s;
    return q;
}

} // namespace ql::calib
