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
using MapCF = Eigen::Map<MatrixCF>;

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Eigen sizes the packing buffers of a matrix product from the cache sizes the CPU reports (an L3 of
// hundreds of MiB gives buffers of several MiB) and takes them from the heap, for every product,
// once they exceed EIGEN_STACK_ALLOCATION_LIMIT; fresh pages can then cost more than the arithmetic.
// The products here run as tiles whose operands are at most kTile x kDepth and kDepth x kTile, so
// that both packed copies stay within the limit and live on the stack.
constexpr Eigen::Index kTile = 256;
constexpr Eigen::Index kDepth = 128;
static_assert(kTile * kDepth * sizeof(float) <= EIGEN_STACK_ALLOCATION_LIMIT, "packing buffers must fit on the stack");

// c += alpha * a * b (a: m x k, b: k x n; blocks of float matrices of any storage order), tile by tile
// and, along k, in steps of kDepth.
template <class C, class A, class B>
void add_product_tiled(C&& c, const A& a, const B& b, float alpha) {
    const Eigen::Index m = a.rows(), k = a.cols(), n = b.cols();
    for (Eigen::Index k0 = 0; k0 < k; k0 += kDepth) {
        const Eigen::Index kk = std::min(kDepth, k - k0);
        for (Eigen::Index m0 = 0; m0 < m; m0 += kTile) {
            const Eigen::Index mm = std::min(kTile, m - m0);
            for (Eigen::Index n0 = 0; n0 < n; n0 += kTile) {
                const Eigen::Index nn = std::min(kTile, n - n0);
                c.block(m0, n0, mm, nn).noalias() += alpha * (a.block(m0, k0, mm, kk) * b.block(k0, n0, kk, nn));
            }
        }
    }
}

// In a row-major n x n matrix, the strict upper triangle := the strict lower one transposed
// (lower_to_upper), or the other way round; in blocks, so that both sides are read along cache lines.
void mirror_triangle(float* a, std::int64_t n, bool lower_to_upper) {
    constexpr std::int64_t kB = 64;
    const std::int64_t nb = (n + kB - 1) / kB;
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t bi = 0; bi < nb; ++bi)
        for (std::int64_t bj = 0; bj <= bi; ++bj) {
            // Block (bi, bj) of the lower triangle and its mirror (bj, bi).
            const std::int64_t i0 = bi * kB, i1 = std::min(n, i0 + kB), j0 = bj * kB, j1 = std::min(n, j0 + kB);
            for (std::int64_t i = i0; i < i1; ++i)
                for (std::int64_t j = j0; j < std::min(j1, i); ++j) {
                    if (lower_to_upper) a[j * n + i] = a[i * n + j];
                    else a[i * n + j] = a[j * n + i];
                }
        }
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
// two triangular-by-dense products. Used by the Reference method only.
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

// Inverse Y = R^-1 of an upper-triangular R in place (column-major, strict lower triangle zero), by
// row tiles of height b = kDepth, from the bottom up. With tiles indexed i, k:
//   Y_ii = R_ii^-1,   Y_i,>i = -R_ii^-1 (R_i,>i Y_>i,>i)
// Row tile i needs only R's row tile i (copied aside first, since it is overwritten) and the rows of
// Y below it, which are final; its column tiles are independent and run in parallel, the longest
// first. n^3/3 floating-point operations, nearly all in tiled matrix products (the zero lower
// triangle lets the products run over whole tiles).
void invert_upper_in_place(MapCF R) {
    const Eigen::Index n = R.rows(), b = kDepth, tiles = (n + b - 1) / b;
    std::vector<MatrixCF> diag_inv(static_cast<std::size_t>(tiles));   // R_tt^-1, upper triangular
#pragma omp parallel for schedule(dynamic, 1)
    for (Eigen::Index t = 0; t < tiles; ++t) {
        const Eigen::Index c0 = t * b, w = std::min(n, c0 + b) - c0;
        MatrixCF& D = diag_inv[static_cast<std::size_t>(t)];
        D = MatrixCF::Identity(w, w);
        R.block(c0, c0, w, w).triangularView<Eigen::Upper>().solveInPlace(D);
    }
    MatrixCF Rrow(b, n);   // R_i,>i
#pragma omp parallel
    {
        MatrixCF S(b, kTile);
        for (Eigen::Index i = tiles - 1; i >= 0; --i) {
            const Eigen::Index r0 = i * b, h = std::min(n, r0 + b) - r0, k0 = r0 + h, m = n - k0;
            const Eigen::Index ncols = (m + kTile - 1) / kTile;
#pragma omp single
            Rrow.topLeftCorner(h, m) = R.block(r0, k0, h, m);
#pragma omp for schedule(dynamic, 1)
            for (Eigen::Index cc = 0; cc < ncols; ++cc) {
                const Eigen::Index c = ncols - 1 - cc;
                const Eigen::Index c0 = k0 + c * kTile, wc = std::min(n, c0 + kTile) - c0, kn = c0 + wc - k0;
                auto Si = S.topLeftCorner(h, wc);
                Si.setZero();
                add_product_tiled(Si, Rrow.topLeftCorner(h, kn), R.block(k0, c0, kn, wc), 1.0f);
                R.block(r0, c0, h, wc).noalias() = -(diag_inv[static_cast<std::size_t>(i)] * Si);
            }
#pragma omp single
            R.block(r0, r0, h, h).triangularView<Eigen::Upper>() = diag_inv[static_cast<std::size_t>(i)];
        }
    }
}

// The Reversed method (gptq.h) in place: U with H^-1 = U^T U replaces H. The buffer read column-major:
// reversing it gives J H J; Eigen's LLT leaves R = L'^T in its upper triangle (J H J = L' L'^T, only
// that triangle read or written); inverting R in place leaves R^-1 = L'^-T, which read row-major is
// L'^-1; reversing the buffer again gives J L'^-1 J = U row-major.
// On failure (H not positive definite) returns false with A holding H again, all but its diagonal.
bool reversed_factor_in_place(MatrixRF& A) {
    const Eigen::Index n = A.rows();
    MapCF M(A.data(), n, n);
    M.reverseInPlace();
    Eigen::LLT<RefCF, Eigen::Upper> llt(M);
    bool ok = llt.info() == Eigen::Success;
    for (Eigen::Index i = 0; ok && i < n; ++i) ok = M(i, i) > 0.0f && std::isfinite(M(i, i));
    if (!ok) {
        // Column-major lower (intact) -> upper is row-major upper -> lower.
        mirror_triangle(A.data(), n, false);
        M.reverseInPlace();
        return false;
    }
    // Clear the strict lower triangle (column-major), which still holds J H J: row-major, the part of
    // each row right of the diagonal.
#pragma omp parallel for schedule(static)
    for (Eigen::Index i = 0; i < n; ++i) std::fill(A.data() + i * n + i + 1, A.data() + (i + 1) * n, 0.0f);
    invert_upper_in_place(M);
    M.reverseInPlace();
    return true;
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
    // Tiles (I, J) of the lower triangle, I >= J: half the work of the full product.
    const std::int64_t nt = (in + kTile - 1) / kTile;
    std::vector<std::pair<std::int64_t, std::int64_t>> tiles;
    for (std::int64_t I = 0; I < nt; ++I)
        for (std::int64_t J = 0; J <= I; ++J) tiles.emplace_back(I, J);
    const auto ntiles = static_cast<std::int64_t>(tiles.size());
    MatrixRF Xs(std::min<std::int64_t>(kDepth, std::max<std::int64_t>(N, 1)), in);   // one chunk of scaled rows
    std::int64_t nsamples = 0;
    for (std::int64_t t0 = 0; t0 < N; t0 += b) {
        const std::int64_t tmp = std::min(b, N - t0);
        // self.H *= self.nsamples / (self.nsamples + tmp): a Python float applied to a float32 tensor.
        const auto shrink = static_cast<float>(static_cast<double>(nsamples) / static_cast<double>(nsamples + tmp));
        if (nsamples > 0) H *= shrink;
        nsamples += tmp;
        // inp = sqrt(2 / nsamples) * inp, then H += inp^T inp: the rows are scaled first, as the
        // reference scales them, kDepth rows at a time.
        const auto c = static_cast<float>(std::sqrt(2.0 / static_cast<double>(nsamples)));
        for (std::int64_t r0 = t0; r0 < t0 + tmp; r0 += kDepth) {
            const std::int64_t rn = std::min(kDepth, t0 + tmp - r0);
            Xs.topRows(rn) = c * X.middleRows(r0, rn);
#pragma omp parallel for schedule(dynamic, 1)
            for (std::int64_t k = 0; k < ntiles; ++k) {
                const std::int64_t i0 = tiles[static_cast<std::size_t>(k)].first * kTile;
                const std::int64_t j0 = tiles[static_cast<std::size_t>(k)].second * kTile;
                const std::int64_t h = std::min(kTile, in - i0), w = std::min(kTile, in - j0);
                H.block(i0, j0, h, w).noalias() += Xs.block(0, i0, rn, h).transpose() * Xs.block(0, j0, rn, w);
            }
        }
    }
    mirror_triangle(H.data(), in, true);
    return H;
}

bool gptq_inverse_factor(MatrixRF& H, HinvMethod method, MatrixRF& U) {
    const Eigen::Index n = H.rows();
    if (method == HinvMethod::Reversed) {
        if (!reversed_factor_in_place(H)) return false;
        U = std::move(H);
    } else {
        Eigen::Map<MatrixCF> M(H.data(), n, n);   // symmetric: the same matrix column-major
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

    r.hessian_diag.resize(static_cast<std::size_t>(cols));
    std::vector<char> dead(static_cast<std::size_t>(cols), 0);
    for (std::int64_t j = 0; j < cols; ++j) {
        r.hessian_diag[static_cast<std::size_t>(j)] = H(j, j);
        if (H(j, j) == 0.0f) {
            r.dead_columns.push_back(j);
            dead[static_cast<std::size_t>(j)] = 1;
            H(j, j) = 1.0f;
        }
    }
    r.order.resize(static_cast<std::size_t>(cols));
    std::iota(r.order.begin(), r.order.end(), std::int64_t{0});
    if (opt.act_order) {
        std::stable_sort(r.order.begin(), r.order.end(), [&](std::int64_t a, std::int64_t b) { return H(a, a) > H(b, b); });
        MatrixRF Hp(cols, cols);
#pragma omp parallel for schedule(static)
        for (std::int64_t a = 0; a < cols; ++a) {
            const float* src = H.data() + r.order[static_cast<std::size_t>(a)] * cols;
            float* dst = Hp.data() + a * cols;
            for (std::int64_t b = 0; b < cols; ++b) dst[b] = src[r.order[static_cast<std::size_t>(b)]];
        }
        H = std::move(Hp);
    }

    // damp = percdamp * mean(diag H); raise it tenfold while the factorisation fails.
    std::vector<float> diag(static_cast<std::size_t>(cols));
    double diag_sum = 0;
    for (std::int64_t j = 0; j < cols; ++j) {
        diag[static_cast<std::size_t>(j)] = H(j, j);
        diag_sum += H(j, j);
    }
    const auto diag_mean = static_cast<float>(diag_sum / static_cast<double>(cols));
    MatrixRF U;
    double percdamp = opt.percdamp;
    bool ok = false;
    for (int attempt = 0; attempt <= opt.max_damp_retries; ++attempt) {
        const auto damp = static_cast<float>(percdamp * static_cast<double>(diag_mean));
        for (std::int64_t j = 0; j < cols; ++j) H(j, j) = diag[static_cast<std::size_t>(j)] + damp;
        bool factored = false;
        if (opt.hinv == HinvMethod::Reversed) {
            // In place: H becomes U, or is left as it was (all but the diagonal) for the next try.
            factored = reversed_factor_in_place(H);
            if (factored) U = std::move(H);
        } else {
            MatrixRF Hd = H;
            factored = gptq_inverse_factor(Hd, HinvMethod::Reference, U);
        }
        if (factored) {
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

    // The working copy of W in processing order, dead columns zeroed. It also receives Q: the reference
    // never reads W[:, i1:i2] again once block [i1, i2) is quantized (group parameters read columns
    // from the group start on, which are not yet quantized), so Q[:, i1:i2] takes its place.
    MatrixRF W(rows, cols);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < rows; ++i) {
        const float* src = W0.data() + i * cols;
        float* dst = W.data() + i * cols;
        for (std::int64_t k = 0; k < cols; ++k) {
            const std::int64_t j = r.order[static_cast<std::size_t>(k)];
            dst[k] = dead[static_cast<std::size_t>(j)] ? 0.0f : src[j];
        }
    }

    r.groups = ng;
    r.params.assign(static_cast<std::size_t>(rows * ng), GroupParams{});
    if (!grouped)
        for (std::int64_t i = 0; i < rows; ++i) r.params[static_cast<std::size_t>(i)] = cur[static_cast<std::size_t>(i)];
    r.column_loss.assign(static_cast<std::size_t>(cols), 0.0);
    const std::int64_t bs = std::min<std::int64_t>(opt.blocksize, cols);
    // Rows are independent: each has its own quantizer parameters and its own error propagation, in
    // the block (w[j:] -= e_j U[j, j:]) and after it (W[i, i2:] -= E[i, :] U[i1:i2, i2:]). Chunks of
    // kTile rows run the whole block, lazy update included, as one job; the losses are summed per
    // chunk and the chunks in order, so the result does not depend on the thread count.
    const std::int64_t chunks = (rows + kTile - 1) / kTile;
    MatrixRF Err(rows, bs);
    std::vector<double> chunk_loss(static_cast<std::size_t>(chunks * bs));
    for (std::int64_t i1 = 0; i1 < cols; i1 += bs) {
        const std::int64_t i2 = std::min(i1 + bs, cols), count = i2 - i1;
#pragma omp parallel for schedule(dynamic, 1)
        for (std::int64_t ch = 0; ch < chunks; ++ch) {
            const std::int64_t r0 = ch * kTile, r1 = std::min(rows, r0 + kTile);
            std::vector<float> w(static_cast<std::size_t>(count));
            double* closs = chunk_loss.data() + ch * bs;
            std::fill(closs, closs + count, 0.0);
            for (std::int64_t i = r0; i < r1; ++i) {
                float* wrow = W.data() + i * cols;
                std::copy(wrow + i1, wrow + i2, w.begin());
                GroupParams& p = cur[static_cast<std::size_t>(i)];
                float* erow = Err.data() + i * bs;
                for (std::int64_t k = 0; k < count; ++k) {
                    const std::int64_t j = i1 + k;
                    if (grouped && j % gs == 0) {
                        p = gptq_group_params(wrow + j, std::min(gs, cols - j), maxq);
                        r.params[static_cast<std::size_t>(i * ng + j / gs)] = p;
                    }
                    const float q = fake_quant(w[static_cast<std::size_t>(k)], p, fmaxq);
                    const float d = U(j, j);
                    const float diff = w[static_cast<std::size_t>(k)] - q;
                    closs[k] += static_cast<double>(((diff * diff) / (d * d)) / 2.0f);   // Losses1 / 2
                    const float e = diff / d;
                    erow[k] = e;
                    w[static_cast<std::size_t>(k)] = q;
                    const float* urow = U.data() + j * cols + i1;
                    for (std::int64_t m = k + 1; m < count; ++m) w[static_cast<std::size_t>(m)] -= e * urow[m];
                }
                std::copy(w.begin(), w.end(), wrow + i1);   // Q[:, i1:i2]
            }
            // W[:, i2:] -= Err1 @ Hinv[i1:i2, i2:], for these rows
            if (i2 < cols)
                add_product_tiled(W.block(r0, i2, r1 - r0, cols - i2), Err.block(r0, 0, r1 - r0, count), U.block(i1, i2, count, cols - i2), -1.0f);
        }
        for (std::int64_t k = 0; k < count; ++k) {
            double s = 0;
            for (std::int64_t ch = 0; ch < chunks; ++ch) s += chunk_loss[static_cast<std::size_t>(ch * bs + k)];
            r.column_loss[static_cast<std::size_t>(i1 + k)] = s;
        }
        if (!report_progress(progress, static_cast<std::size_t>(i2), static_cast<std::size_t>(cols))) {
            r.cancelled = true;
            return r;
        }
    }
    U.resize(0, 0);
    r.quant_seconds = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();

    r.cumulative_loss.resize(static_cast<std::size_t>(cols));
    double run = 0;
    for (std::int64_t k = 0; k < cols; ++k) {
        run += r.column_loss[static_cast<std::size_t>(k)];
        r.cumulative_loss[static_cast<std::size_t>(k)] = run;
    }
    r.loss = run;

    // Q = Q[:, invperm], row by row in place.
    if (opt.act_order) {
#pragma omp parallel
        {
            std::vector<float> tmp(static_cast<std::size_t>(cols));
#pragma omp for schedule(static)
            for (std::int64_t i = 0; i < rows; ++i) {
                float* row = W.data() + i * cols;
                std::copy(row, row + cols, tmp.begin());
                for (std::int64_t k = 0; k < cols; ++k) row[r.order[static_cast<std::size_t>(k)]] = tmp[static_cast<std::size_t>(k)];
            }
        }
    }
    r.Wq = std::move(W);
    r.group_of_column.resize(static_cast<std::size_t>(cols));
    for (std::int64_t k = 0; k < cols; ++k) r.group_of_column[static_cast<std::size_t>(r.order[static_cast<std::size_t>(k)])] = grouped ? k / gs : 0;

    // Per column, sum over rows of (W - Q)^2 for GPTQ and for RTN (rtn_quantize's arithmetic, row by
    // row, without forming its matrix); per chunk of rows, then the chunks in order.
    std::vector<double> gsq(static_cast<std::size_t>(chunks * cols), 0.0), rsq(static_cast<std::size_t>(chunks * cols), 0.0);
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t ch = 0; ch < chunks; ++ch) {
        double* g = gsq.data() + ch * cols;
        double* t = rsq.data() + ch * cols;
        for (std::int64_t i = ch * kTile; i < std::min(rows, (ch + 1) * kTile); ++i) {
            const float* w = W0.data() + i * cols;
            const float* q = r.Wq.data() + i * cols;
            for (std::int64_t c0 = 0; c0 < cols; c0 += gs) {
                const std::int64_t n = std::min(gs, cols - c0);
                const GroupParams p = gptq_group_params(w + c0, n, maxq);
                for (std::int64_t j = c0; j < c0 + n; ++j) {
                    const double dg = static_cast<double>(w[j]) - q[j];
                    const double dr = static_cast<double>(w[j]) - fake_quant(w[j], p, fmaxq);
                    g[j] += dg * dg;
                    t[j] += dr * dr;
                }
            }
        }
    }
    r.column_weight_sq_error.assign(static_cast<std::size_t>(cols), 0.0);
    r.column_rtn_sq_error.assign(static_cast<std::size_t>(cols), 0.0);
    for (std::int64_t k = 0; k < cols; ++k) {
        const std::int64_t j = r.order[static_cast<std::size_t>(k)];
        double g = 0, t = 0;
        for (std::int64_t ch = 0; ch < chunks; ++ch) {
            g += gsq[static_cast<std::size_t>(ch * cols + j)];
            t += rsq[static_cast<std::size_t>(ch * cols + j)];
        }
        r.column_weight_sq_error[static_cast<std::size_t>(k)] = g;
        r.column_rtn_sq_error[static_cast<std::size_t>(k)] = t;
    }
    r.finish_seconds = seconds_since(t0);
    return r;
}

} // namespace ql::calib
