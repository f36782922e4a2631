// SmoothQuant smoothing and the W8A8 comparison with and without it (see smoothquant.h).
#include "core/calibration/smoothquant.h"

#include <algorithm>
#include <cmath>

namespace ql::calib {

std::vector<float> column_absmax(const MatrixRF& m) {
    std::vector<float> a(static_cast<std::size_t>(m.cols()), 0.0f);
    for (std::int64_t i = 0; i < m.rows(); ++i) {
        const float* x = m.data() + i * m.cols();
        for (std::int64_t j = 0; j < m.cols(); ++j) a[static_cast<std::size_t>(j)] = std::max(a[static_cast<std::size_t>(j)], std::fabs(x[j]));
    }
    return a;
}

float torch_pow(float x, double e) {
    if (e == 0.0) return 1.0f;
    if (e == 1.0) return x;
    if (e == 0.5) return std::sqrt(x);
    if (e == 2.0) return x * x;
    return std::pow(x, static_cast<float>(e));
}

std::vector<float> smoothquant_scales(const std::vector<float>& act, const std::vector<float>& wgt, double alpha) {
    std::vector<float> s(act.size());
    for (std::size_t j = 0; j < s.size(); ++j) {
        const float w = std::max(wgt[j], 1e-5f);                          // .clamp(min=1e-5)
        float v = torch_pow(act[j], alpha) / torch_pow(w, 1.0 - alpha);
        s[j] = std::max(v, 1e-5f);                                         // .clamp(min=1e-5)
    }
    return s;
}

void smooth_layer(const MatrixRF& W, const MatrixRF& X, const std::vector<float>& s, MatrixRF& Ws, MatrixRF& Xs) {
    Ws.resize(W.rows(), W.cols());
    Xs.resize(X.rows(), X.cols());
    const std::int64_t in = W.cols();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < W.rows(); ++i)
        for (std::int64_t j = 0; j < in; ++j) Ws(i, j) = W(i, j) * s[static_cast<std::size_t>(j)];
#pragma omp parallel for schedule(static)
    for (std::int64_t t = 0; t < X.rows(); ++t)
        for (std::int64_t j = 0; j < in; ++j) Xs(t, j) = X(t, j) / s[static_cast<std::size_t>(j)];
}

Histogram value_histogram(const MatrixRF& m, int bins) {
    Histogram h;
    bins = std::max(bins, 1);
    h.counts.assign(static_cast<std::size_t>(bins), 0);
    if (m.size() == 0) return h;
    h.lo = m.minCoeff();
    h.hi = m.maxCoeff();
    const double width = (h.hi - h.lo) / bins;
    for (std::int64_t i = 0; i < m.size(); ++i) {
        const double v = m.data()[i];
        std::int64_t b = width > 0 ? static_cast<std::int64_t>(std::floor((v - h.lo) / width)) : 0;
        b = std::clamp<std::int64_t>(b, 0, bins - 1);
        ++h.counts[static_cast<std::size_t>(b)];
    }
    h.total = static_cast<std::uint64_t>(m.size());
    return h;
}

SmoothQuantResult smoothquant_w8a8(const CalibLayer& layer, const LayerObjective& objective, const SmoothQuantOptions& opt) {
    SmoothQuantResult r;
    r.alpha = opt.alpha;
    if (!(opt.alpha >= 0.0 && opt.alpha <= 1.0)) {
        r.error = "SmoothQuant alpha must be in [0, 1] (got " + std::to_string(opt.alpha) + ")";
        return r;
    }
    if (opt.bits < 2 || opt.bits > 16) {
        r.error = "W8A8 bits must be 2..16";
        return r;
    }
    const MatrixRF& W = layer.W;
    const MatrixRF& X = layer.X;
    r.act_absmax_before = column_absmax(X);
    r.weight_absmax_before = column_absmax(W);
    r.scales = smoothquant_scales(r.act_absmax_before, r.weight_absmax_before, opt.alpha);
    MatrixRF Ws, Xs;
    smooth_layer(W, X, r.scales, Ws, Xs);
    r.act_absmax_after = column_absmax(Xs);
    r.weight_absmax_after = column_absmax(Ws);
    r.act_hist_before = value_histogram(X, opt.histogram_bins);
    r.act_hist_after = value_histogram(Xs, opt.histogram_bins);

    const MatrixRF Wq_plain = quantize_weights_per_channel(W, opt.bits);
    const MatrixRF Wq_smooth = quantize_weights_per_channel(Ws, opt.bits);
    MatrixRF Wq_smooth_orig = Wq_smooth;
    for (std::int64_t i = 0; i < Wq_smooth_orig.rows(); ++i)
        for (std::int64_t j = 0; j < Wq_smooth_orig.cols(); ++j) Wq_smooth_orig(i, j) = Wq_smooth(i, j) / r.scales[static_cast<std::size_t>(j)];
    for (bool smoothed : {true, false}) {
        for (ActGranularity g : {ActGranularity::PerTensor, ActGranularity::PerToken}) {
            W8A8Result v;
            v.smoothed = smoothed;
            v.act = g;
            v.method = std::string(smoothed ? "smoothquant_" : "") + "w8a8_" + act_granularity_name(g);
            const MatrixRF Xq = quantize_activations(smoothed ? Xs : X, g, opt.bits);
            v.error = smoothed ? objective.with_activations(Xq, Wq_smooth, Wq_smooth_orig)
                               : objective.with_activations(Xq, Wq_plain, Wq_plain);
            r.variants.push_back(std::move(v));
        }
    }
    return r;
}

} // namespace ql::calib
