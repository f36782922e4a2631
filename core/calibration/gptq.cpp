// GPTQ for one linear layer (see gptq.h for the algorithm and the reference it follows).
#include "core/calibration/gptq.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include <Eigen/Dense>

namespace ql::calib {
namespace {

using MatrixCF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;   // column-major
using RefCF = Eigen::Ref<MatrixCF, 0, Eigen::OuterStride<>>;

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Eigen's blocked Cholesky in place on the lower triangle of a column-major matrix; false when a
// pivot is not positive (or not finite).
bool llt_lower(RefCF A) {
    Eigen::LLT<RefCF> llt(A);
    if (llt.info() != Eigen::Success) return false;
    for (Eigen::Index i = 0; i < A.rows(); ++i)
        if (!(A(i, i) > 0.0f) || !std::isfinite(A(i, i))) return false;
    return true;
}

// Inverse of a lower-triangular matrix in place (the strict upper triangle is neither read nor
// written). Recursive halving: [A 0; B C]^-1 = [A^-1 0; -C^-1 B A^-1  C^-1], the off-diagonal block by
// two triangular-by-dense products, n^3/3 multiply-adds in all.
void invert_lower_in_place(RefCF L) {
    const Eigen::Index n = L.rows();
    if (n <= 64) {
        MatrixCF I = MatrixCF::Identity(n, n);
        L.triangularView<Eigen::Lower>().solveInPlace(I);
        L.triangularView<Eigen::Lower>() = I;
        return;
    }
    const Eigen::Index n1 = n / 2, n2 = n - n1;
    invert_lower_in_place(L.topLeftCorner(n1, n1));
    invert_lower_in_place(L.bottomRightCorner(n2, n2));
    MatrixCF T(n2, n1);
    T.noalias() = L.bottomLeftCorner(n2, n1) * L.topLeftCorner(n1, n1).triangularView<Eigen::Lower>();
    L.bottomLeftCorner(n2, n1).noalias() = -(L.bottomRightCorner(n2, n2).triangularView<Eigen::Lower>() * T);
}

} // namespace

bool cholesky_in_place(MatrixRF& A) {
    // A is symmetric, so its row-major buffer read column-major is the same matrix.
    Eigen::Map<MatrixCF> M(A.data(), A.rows(), A.cols());
    return llt_lower(M);
}

MatrixRF gptq_hessian(const MatrixRF& X, std::int64_t batch) {
    const std::int64_t N = X.rows(), in = X.cols();
    const std::int64_t b = batch > 0 ? batch : std::max<std::int64_t>(N, 1);
    MatrixRF H = MatrixRF::Zero(in, in);
    constexpr std::int64_t kBlock = 256;
    std::int64_t nsamples = 0;
    for (std::int64_t t0 = 0; t0 < N; t0 += b) {
        const std::int64_t tmp = std::min(b, N - t0);
        // self.H *= self.nsamples / (self.nsamples + tmp): a Python float applied to a float32 tensor.
        const auto shrink = static_cast<float>(static_cast<double>(nsamples) / static_cast<double>(nsamples + tmp));
        if (nsamples > 0) H *= shrink;
        nsamples += tmp;
        const auto c = static_cast<float>(std::sqrt(2.0 / static_cast<double>(nsamples)));
        const MatrixRF Xs = c * X.middleRows(t0, tmp);
        // H += Xs^T Xs on the lower triangle, one column block per task (Eigen runs each product
        // single-threaded inside the parallel region).
        const std::int64_t nblocks = (in + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(dynamic, 1)
        for (std::int64_t k = 0; k < nblocks; ++k) {
            const std::int64_t j0 = k * kBlock, w = std::min(kBlock, in - j0);
            H.block(j0, j0, in - j0, w).noalias() += Xs.middleCols(j0, in - j0).transpose() * Xs.middleCols(j0, w);
        }
    }
    // Mirror the lower triangle into the upper one.
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < in; ++i)
        for (std::int64_t j = i + 1; j < in; ++j) H(i, j) = H(j, i);
    return H;
}

bool gptq_inverse_factor(MatrixRF& H, HinvMethod method, MatrixRF& U) {
    const Eigen::Index n = H.rows();
    Eigen::Map<MatrixCF> M(H.data(), n, n);   // symmetric: the same matrix column-major
    if (method == HinvMethod::Reversed) {
        M.reverseInPlace();                     // J H J
        if (!llt_lower(M)) return false;        // L'
        invert_lower_in_place(M);               // L'^-1
        M.reverseInPlace();                     // J L'^-1 J: upper triangular, = U
        U = M.triangularView<Eigen::Upper>();
    } else {
        if (!llt_lower(M)) return false;        // torch.linalg.cholesky(H)
        invert_lower_in_place(M);               // L^-1
        MatrixCF Linv = M.triangularView<Eigen::Lower>();
        MatrixCF Hinv;
        Hinv.noalias() = Linv.transpose() * Linv;   // torch.cholesky_inverse(L) = L^-T L^-1
        if (!llt_lower(Hinv)) return false;     // torch.linalg.cholesky(Hinv, upper=True) = L2^T
        MatrixCF L2 = Hinv.triangularView<Eigen::Lower>();
        U = L2.transpose();
    }
    for (Eigen::Index i = 0; i < n; ++i)
        if (!(U(i, i) > 0.0f) || !std::isfinite(U(i, i))) return false;
    return true;
}

GptqResult gptq_quantize(const MatrixRF& W, const MatrixRF& X, const GptqOptions& opt, const ProgressFn& progress) {
    GptqResult r;
    if (X.cols() != W.cols()) {
        r.error = "activations have " + std::to_string(X.cols()) + " input channels but the weights have " + std::to_string(W.cols());
        return r;
    }
    const auto t0 = std::chrono::steady_clock::now();
    MatrixRF H = gptq_hessian(X, opt.hessian_batch);
    const double hs = seconds_since(t0);
    r = gptq_quantize_hessian(W, std::move(H), opt, progress);
    r.hessian_seconds = hs;
    return r;
}

GptqResult gptq_quantize_hessian(const MatrixRF& W0, MatrixRF H, const GptqOptions& opt, const ProgressFn& progress) {
    GptqResult r;
    const std::int64_t rows = W0.rows(), cols = W0.cols();
    if (H.rows() != cols || H.cols() != cols) {
        r.error = "H is " + std::to_string(H.rows()) + "x" + std::to_string(H.cols()) + " but W has " + std::to_string(cols) + " columns";
        return r;
    }
    if (opt.bits < 2 || opt.bits > 8) {
        r.error = "GPTQ bits must be 2..8 (got " + std::to_string(opt.bits) + ")";
        return r;
    }
    if (opt.blocksize < 1) {
        r.error = "GPTQ block size must be >= 1";
        return r;
    }
    if (!(opt.percdamp > 0.0) || !std::isfinite(opt.percdamp)) {
        r.error = "GPTQ percdamp must be finite and > 0";
        return r;
    }
    const int maxq = max_code(opt.bits);
    const auto fmaxq = static_cast<float>(maxq);
    const bool grouped = opt.group_size > 0;
    const std::int64_t gs = effective_group(cols, opt.group_size);
    const std::int64_t ng = group_count(cols, opt.group_size);
    auto t0 = std::chrono::steady_clock::now();

    // quantizer.find_params(W) before anything else: the per-row parameters used when groupsize = -1
    // (from the original W, dead columns included, as the reference computes them).
    std::vector<GroupParams> cur(static_cast<std::size_t>(rows));
    if (!grouped)
        for (std::int64_t i = 0; i < rows; ++i) cur[static_cast<std::size_t>(i)] = gptq_group_params(W0.data() + i * cols, cols, maxq);

    MatrixRF W = W0;
    r.hessian_diag.resize(static_cast<std::size_t>(cols));
    for (std::int64_t j = 0; j < cols; ++j) r.hessian_diag[static_cast<std::size_t>(j)] = H(j, j);
    for (std::int64_t j = 0; j < cols; ++j)
        if (H(j, j) == 0.0f) {
            r.dead_columns.push_back(j);
            H(j, j) = 1.0f;
            W.col(j).setZero();
        }

    r.order.resize(static_cast<std::size_t>(cols));
    std::iota(r.order.begin(), r.order.end(), std::int64_t{0});
    if (opt.act_order) {
        std::stable_sort(r.order.begin(), r.order.end(), [&](std::int64_t a, std::int64_t b) { return H(a, a) > H(b, b); });
        MatrixRF Wp(rows, cols), Hp(cols, cols);
        for (std::int64_t k = 0; k < cols; ++k) Wp.col(k) = W.col(r.order[static_cast<std::size_t>(k)]);
#pragma omp parallel for schedule(static)
        for (std::int64_t a = 0; a < cols; ++a)
            for (std::int64_t b = 0; b < cols; ++b) Hp(a, b) = H(r.order[static_cast<std::size_t>(a)], r.order[static_cast<std::size_t>(b)]);
        W = std::move(Wp);
        H = std::move(Hp);
    }

    // damp = percdamp * mean(diag H); raise it tenfold while the factorisation fails.
    double diag_sum = 0;
    for (std::int64_t j = 0; j < cols; ++j) diag_sum += H(j, j);
    const auto diag_mean = static_cast<float>(diag_sum / static_cast<double>(cols));
    MatrixRF U;
    double percdamp = opt.percdamp;
    bool ok = false;
    for (int attempt = 0; attempt <= opt.max_damp_retries; ++attempt) {
        const auto damp = static_cast<float>(percdamp * static_cast<double>(diag_mean));
        MatrixRF Hd = (attempt == opt.max_damp_retries) ? std::move(H) : H;
        for (std::int64_t j = 0; j < cols; ++j) Hd(j, j) += damp;
        if (gptq_inverse_factor(Hd, opt.hinv, U)) {
            ok = true;
            r.percdamp_used = percdamp;
            r.damp = damp;
            r.damp_retries = attempt;
            break;
        }
        char buf[200];
        std::snprintf(buf, sizeof buf, "H + %.3g * mean(diag H) * I is not positive definite in float32 (Cholesky failed)%s",
                      percdamp, attempt < opt.max_damp_retries ? "; damping raised tenfold" : "");
        r.notes.emplace_back(buf);
        percdamp *= 10.0;
    }
    H.resize(0, 0);
    if (!ok) {
        r.error = "GPTQ: H is not positive definite even with percdamp " + std::to_string(percdamp / 10.0) + " after " +
                  std::to_string(opt.max_damp_retries) + " retries; no result (no silent fallback)";
        return r;
    }
    r.factor_seconds = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();

    MatrixRF Q(rows, cols);
    r.groups = ng;
    r.params.assign(static_cast<std::size_t>(rows * ng), GroupParams{});
    if (!grouped)
        for (std::int64_t i = 0; i < rows; ++i) r.params[static_cast<std::size_t>(i)] = cur[static_cast<std::size_t>(i)];
    r.column_loss.assign(static_cast<std::size_t>(cols), 0.0);
    const std::int64_t bs = opt.blocksize;
    MatrixRF Err(rows, std::min<std::int64_t>(bs, cols));
    MatrixRF Loss(rows, std::min<std::int64_t>(bs, cols));
    for (std::int64_t i1 = 0; i1 < cols; i1 += bs) {
        const std::int64_t i2 = std::min(i1 + bs, cols), count = i2 - i1;
        // Rows are independent inside a block: each has its own quantizer parameters and its own
        // error propagation w[j:] -= e_j U[j, j:].
#pragma omp parallel for schedule(static)
        for (std::int64_t i = 0; i < rows; ++i) {
            float w1[1024];
            std::vector<float> big;
            float* w = w1;
            if (count > 1024) {
                big.resize(static_cast<std::size_t>(count));
                w = big.data();
            }
            const float* wrow = W.data() + i * cols;
            for (std::int64_t k = 0; k < count; ++k) w[k] = wrow[i1 + k];
            GroupParams& p = cur[static_cast<std::size_t>(i)];
            float* qrow = Q.data() + i * cols;
            float* erow = Err.data() + i * Err.cols();
            float* lrow = Loss.data() + i * Loss.cols();
            for (std::int64_t k = 0; k < count; ++k) {
                const std::int64_t j = i1 + k;
                if (grouped && j % gs == 0) {
                    p = gptq_group_params(wrow + j, std::min(gs, cols - j), maxq);
                    r.params[static_cast<std::size_t>(i * ng + j / gs)] = p;
                }
                const float q = fake_quant(w[k], p, fmaxq);
                qrow[j] = q;
                const float d = U(j, j);
                const float diff = w[k] - q;
                lrow[k] = (diff * diff) / (d * d);   // (w - q) ** 2 / d ** 2
                const float e = diff / d;
                erow[k] = e;
                const float* urow = U.data() + j * cols + i1;
                for (std::int64_t m = k; m < count; ++m) w[m] -= e * urow[m];
            }
        }
        for (std::int64_t k = 0; k < count; ++k) {
            double s = 0;
            for (std::int64_t i = 0; i < rows; ++i) s += static_cast<double>(Loss(i, k) / 2.0f);   // Losses1 / 2
            r.column_loss[static_cast<std::size_t>(i1 + k)] = s;
        }
        // W[:, i2:] -= Err1 @ Hinv[i1:i2, i2:]
        if (i2 < cols)
            W.rightCols(cols - i2).noalias() -= Err.leftCols(count) * U.block(i1, i2, count, cols - i2);
        if (!report_progress(progress, static_cast<std::size_t>(i2), static_cast<std::size_t>(cols))) {
            r.cancelled = true;
            return r;
        }
    }
    r.quant_seconds = seconds_since(t0);

    r.cumulative_loss.resize(static_cast<std::size_t>(cols));
    double run = 0;
    for (std::int64_t k = 0; k < cols; ++k) {
        run += r.column_loss[static_cast<std::size_t>(k)];
        r.cumulative_loss[static_cast<std::size_t>(k)] = run;
    }
    r.loss = run;

    r.Wq.resize(rows, cols);
    for (std::int64_t k = 0; k < cols; ++k) r.Wq.col(r.order[static_cast<std::size_t>(k)]) = Q.col(k);
    r.group_of_column.resize(static_cast<std::size_t>(cols));
    for (std::int64_t k = 0; k < cols; ++k) r.group_of_column[static_cast<std::size_t>(r.order[static_cast<std::size_t>(k)])] = grouped ? k / gs : 0;

    const MatrixRF R = rtn_quantize(W0, opt.bits, opt.group_size);
    r.column_weight_sq_error.assign(static_cast<std::size_t>(cols), 0.0);
    r.column_rtn_sq_error.assign(static_cast<std::size_t>(cols), 0.0);
#pragma omp parallel for schedule(static)
    for (std::int64_t k = 0; k < cols; ++k) {
        const std::int64_t j = r.order[static_cast<std::size_t>(k)];
        double g = 0, t = 0;
        for (std::int64_t i = 0; i < rows; ++i) {
            const double dg = static_cast<double>(W0(i, j)) - r.Wq(i, j);
            const double dr = static_cast<double>(W0(i, j)) - R(i, j);
            g += dg * dg;
            t += dr * dr;
        }
        r.column_weight_sq_error[static_cast<std::size_t>(k)] = g;
        r.column_rtn_sq_error[static_cast<std::size_t>(k)] = t;
    }
    return r;
}

} // namespace ql::calib
