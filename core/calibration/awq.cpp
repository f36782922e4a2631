// AWQ: activation-aware scale search and weight clipping (see awq.h for the reference arithmetic).
#include "core/calibration/awq.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

#include "core/calibration/group_quant.h"

namespace ql::calib {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Q(W * s) / s, element by element in float32, groups by llm-awq's rule.
MatrixRF scaled_quantize(const MatrixRF& W, const std::vector<float>& s, int bits, int group_size) {
    MatrixRF Ws = W;
    const std::int64_t cols = W.cols();
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < W.rows(); ++i)
        for (std::int64_t j = 0; j < cols; ++j) Ws(i, j) = W(i, j) * s[static_cast<std::size_t>(j)];
    MatrixRF Q = quantize_groups(Ws, bits, group_size, GroupRule::Awq);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < W.rows(); ++i)
        for (std::int64_t j = 0; j < cols; ++j) Q(i, j) = Q(i, j) / s[static_cast<std::size_t>(j)];
    return Q;
}

// mean((X (W - Wq)^T)^2), squares summed in double.
double output_mse(const MatrixRF& X, const MatrixRF& W, const MatrixRF& Wq) {
    const MatrixRF D = W - Wq;
    MatrixRF E;
    E.noalias() = X * D.transpose();
    return squared_norm(E) / static_cast<double>(std::max<std::int64_t>(1, E.size()));
}

} // namespace

std::vector<float> awq_scales(const std::vector<float>& x_mean, double ratio) {
    std::vector<float> s(x_mean.size());
    const auto e = static_cast<float>(ratio);
    for (std::size_t j = 0; j < s.size(); ++j) {
        float v = e == 0.5f ? std::sqrt(x_mean[j]) : std::pow(x_mean[j], e);
        if (v < 1e-4f) v = 1e-4f;   // .clamp(min=1e-4)
        s[j] = v;
    }
    if (s.empty()) return s;
    const auto [mn, mx] = std::minmax_element(s.begin(), s.end());
    const float norm = std::sqrt(*mx * *mn);
    for (auto& v : s) v = v / norm;
    return s;
}

AwqClip awq_auto_clip(const MatrixRF& Ws, const MatrixRF& Xs, const AwqOptions& opt) {
    const std::int64_t rows = Ws.rows(), cols = Ws.cols(), N = Xs.rows();
    AwqClip out;
    const std::int64_t step = std::max<std::int64_t>(1, N / std::max(opt.n_sample_token, 1));
    const std::int64_t ns = (N + step - 1) / step;
    out.tokens = ns;
    MatrixRF Xsamp(ns, cols);
    for (std::int64_t t = 0; t < ns; ++t) Xsamp.row(t) = Xs.row(t * step);
    const int clip_steps = static_cast<int>(opt.max_shrink * opt.clip_n_grid);
    const std::int64_t gs = effective_group(cols, opt.group_size), ng = group_count(cols, opt.group_size);
    const int maxq = max_code(opt.bits);
    const auto fmaxq = static_cast<float>(maxq);
    out.groups = ng;
    out.max.assign(static_cast<std::size_t>(rows * ng), 0.0f);
    out.fraction.assign(static_cast<std::size_t>(rows * ng), 1.0f);
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t g = 0; g < ng; ++g) {
        const std::int64_t c0 = g * gs, n = std::min(gs, cols - c0);
        const MatrixRF Wg = Ws.middleCols(c0, n);
        const MatrixRF Xg = Xsamp.middleCols(c0, n);
        std::vector<float> org_max(static_cast<std::size_t>(rows)), best_max(static_cast<std::size_t>(rows));
        std::vector<double> min_err(static_cast<std::size_t>(rows), 1e9);
        for (std::int64_t i = 0; i < rows; ++i) {
            float m = 0;
            for (std::int64_t c = 0; c < n; ++c) m = std::max(m, std::fabs(Wg(i, c)));
            org_max[static_cast<std::size_t>(i)] = best_max[static_cast<std::size_t>(i)] = m;
        }
        MatrixRF D(rows, n), E;
        std::vector<float> cur(static_cast<std::size_t>(n));
        for (int is = 0; is < clip_steps; ++is) {
            // max_val = org_max_val * (1 - i_s / n_grid): a Python float applied to a float32 tensor
            const auto f = static_cast<float>(1.0 - static_cast<double>(is) / static_cast<double>(opt.clip_n_grid));
            for (std::int64_t i = 0; i < rows; ++i) {
                const float mx = org_max[static_cast<std::size_t>(i)] * f, mn = -mx;
                for (std::int64_t c = 0; c < n; ++c) cur[static_cast<std::size_t>(c)] = std::min(std::max(Wg(i, c), mn), mx);
                const GroupParams p = awq_group_params(cur.data(), n, maxq);
                for (std::int64_t c = 0; c < n; ++c) D(i, c) = fake_quant(cur[static_cast<std::size_t>(c)], p, fmaxq) - Wg(i, c);
            }
            E.noalias() = Xg * D.transpose();   // tokens x rows: sum over the group of x (q - w)
            for (std::int64_t i = 0; i < rows; ++i) {
                double e = 0;
                for (std::int64_t t = 0; t < ns; ++t) e += static_cast<double>(E(t, i)) * static_cast<double>(E(t, i));
                e /= static_cast<double>(ns);
                if (e < min_err[static_cast<std::size_t>(i)]) {
                    min_err[static_cast<std::size_t>(i)] = e;
                    best_max[static_cast<std::size_t>(i)] = org_max[static_cast<std::size_t>(i)] * f;
                }
            }
        }
        for (std::int64_t i = 0; i < rows; ++i) {
            const float om = org_max[static_cast<std::size_t>(i)], bm = best_max[static_cast<std::size_t>(i)];
            out.max[static_cast<std::size_t>(i * ng + g)] = bm;
            out.fraction[static_cast<std::size_t>(i * ng + g)] = om > 0 ? bm / om : 1.0f;
        }
    }
    return out;
}

void apply_clip(MatrixRF& Ws, const AwqClip& clip, int group_size) {
    const std::int64_t cols = Ws.cols(), gs = effective_group(cols, group_size), ng = group_count(cols, group_size);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < Ws.rows(); ++i)
        for (std::int64_t j = 0; j < cols; ++j) {
            const float m = clip.max[static_cast<std::size_t>(i * ng + j / gs)];
            Ws(i, j) = std::min(std::max(Ws(i, j), -m), m);   // torch.clamp(w, -max_val, max_val)
        }
}

AwqResult awq_quantize(const MatrixRF& W, const MatrixRF& X, const AwqOptions& opt, const ProgressFn& progress) {
    AwqResult r;
    const std::int64_t rows = W.rows(), cols = W.cols(), N = X.rows();
    if (X.cols() != cols) {
        r.error = "activations have " + std::to_string(X.cols()) + " input channels but the weights have " + std::to_string(cols);
        return r;
    }
    if (opt.bits < 2 || opt.bits > 8) {
        r.error = "AWQ bits must be 2..8 (got " + std::to_string(opt.bits) + ")";
        return r;
    }
    if (opt.n_grid < 1 || opt.clip_n_grid < 1 || !(opt.max_shrink >= 0.0 && opt.max_shrink < 1.0) || opt.n_sample_token < 1) {
        r.error = "AWQ grid settings out of range (n_grid >= 1, 0 <= max_shrink < 1, n_sample_token >= 1)";
        return r;
    }
    const std::size_t total = static_cast<std::size_t>(opt.n_grid) + (opt.clip ? 1 : 0);
    auto t0 = std::chrono::steady_clock::now();

    // x_mean = |X|.mean(0), summed in double
    r.x_mean.assign(static_cast<std::size_t>(cols), 0.0f);
    {
        std::vector<double> acc(static_cast<std::size_t>(cols), 0.0);
        for (std::int64_t t = 0; t < N; ++t) {
            const float* x = X.data() + t * cols;
            for (std::int64_t j = 0; j < cols; ++j) acc[static_cast<std::size_t>(j)] += std::fabs(static_cast<double>(x[j]));
        }
        for (std::int64_t j = 0; j < cols; ++j)
            r.x_mean[static_cast<std::size_t>(j)] = static_cast<float>(acc[static_cast<std::size_t>(j)] / static_cast<double>(std::max<std::int64_t>(N, 1)));
    }

    double best = std::numeric_limits<double>::infinity();
    for (int k = 0; k < opt.n_grid; ++k) {
        const double ratio = static_cast<double>(k) * 1.0 / static_cast<double>(opt.n_grid);
        const std::vector<float> s = awq_scales(r.x_mean, ratio);
        MatrixRF Wq = scaled_quantize(W, s, opt.bits, opt.group_size);
        const double loss = output_mse(X, W, Wq);
        r.ratios.push_back(ratio);
        r.loss_vs_ratio.push_back(loss);
        if (loss < best) {
            best = loss;
            r.best_index = k;
            r.ratio = ratio;
            r.loss = loss;
            r.scales = s;
            r.Wq = std::move(Wq);
        }
        if (!report_progress(progress, static_cast<std::size_t>(k + 1), total)) {
            r.cancelled = true;
            return r;
        }
    }
    if (r.best_index < 0) {
        r.error = "AWQ: no ratio gave a finite loss (the reference raises here too)";
        return r;
    }
    r.search_seconds = seconds_since(t0);
    if (!opt.clip) return r;

    // auto_clip on W * s with X / s.
    t0 = std::chrono::steady_clock::now();
    const std::vector<float>& s = r.scales;
    MatrixRF Ws(rows, cols), Xs(N, cols);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j) Ws(i, j) = W(i, j) * s[static_cast<std::size_t>(j)];
#pragma omp parallel for schedule(static)
    for (std::int64_t t = 0; t < N; ++t)
        for (std::int64_t j = 0; j < cols; ++j) Xs(t, j) = X(t, j) / s[static_cast<std::size_t>(j)];
    AwqClip clip = awq_auto_clip(Ws, Xs, opt);
    r.groups = clip.groups;
    r.clip_tokens = clip.tokens;
    apply_clip(Ws, clip, opt.group_size);
    r.clip_max = std::move(clip.max);
    r.clip_fraction = std::move(clip.fraction);
    MatrixRF Q = quantize_groups(Ws, opt.bits, opt.group_size, GroupRule::Awq);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j) Q(i, j) = Q(i, j) / s[static_cast<std::size_t>(j)];
    r.Wq_clip = std::move(Q);
    r.clip_seconds = seconds_since(t0);
    report_progress(progress, total, total);
    return r;
}

} // namespace ql::calib
