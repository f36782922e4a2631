// GPTQ (Frantar et al. 2022) for one linear layer, as IST-DASLab/gptq's
// GPTQ.fasterquant(blocksize, percdamp, groupsize, actorder, static_groups=False) computes it, with
// GPTQ's asymmetric Quantizer (group_quant.h), in float32 like the reference:
//
//   H = 2/n X^T X                      accumulated as add_batch does: per batch of t rows,
//                                      H *= n/(n+t); n += t; H += (sqrt(2/n) x)^T (sqrt(2/n) x)
//   dead = diag(H) == 0  ->  H_jj = 1, W[:, j] = 0
//   act-order: perm = columns by descending diag(H) (stable: ties keep their index order)
//   H += percdamp * mean(diag H) * I
//   U = upper Cholesky factor of H^-1  (H^-1 = U^T U)
//   for each block of `blocksize` columns [i1, i2):
//     for each column j of the block:
//       at a group start (j % groupsize == 0): group params from W[:, j : j+groupsize], the weights
//         as the previous blocks' lazy updates left them (the reference reads W, not the block copy)
//       q = Q(w_j);  Losses_j = (w_j - q)^2 / U_jj^2 / 2;  e_j = (w_j - q) / U_jj
//       W_block[:, j:] -= e_j U[j, j:]
//     W[:, i2:] -= E_block U[i1:i2, i2:]     (lazy batch update, one matrix product)
//   act-order: Q = Q[:, invperm]
//
// U is computed one of two ways:
//   Reference: the reference's three steps: L = chol(H); H^-1 = cholesky_inverse(L) = L^-T L^-1;
//              U = chol(H^-1, upper).
//   Reversed (default): one Cholesky and one triangular inverse. With J the exchange matrix,
//              J H J = L' L'^T gives H = (J L' J)(J L' J)^T with J L' J upper triangular, so
//              H^-1 = (J L'^-1 J)^T (J L'^-1 J) and, by uniqueness of the Cholesky factor,
//              U = J L'^-1 J. Same U in exact arithmetic, half the work, and H^-1 is never formed.
//              Computed in H's own storage: the reversals are buffer reversals, and the triangular
//              inverse runs by tile columns in parallel (tile column j of L'^-T needs only tile
//              columns <= j of L'^T).
// If the Cholesky factorisation fails (H not positive definite after damping, in float32), percdamp
// is multiplied by 10 and the factorisation retried, up to `max_damp_retries` times; every retry is
// recorded in the result's notes. Nothing falls back silently: when all retries fail, `error` says so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/calibration/calib_layer.h"
#include "core/calibration/group_quant.h"
#include "core/progress.h"

namespace ql::calib {

enum class HinvMethod { Reversed, Reference };

struct GptqOptions {
    int bits = 4;
    int group_size = 128;           // <= 0: one group per row (the reference's groupsize=-1)
    int blocksize = 128;
    double percdamp = 0.01;
    bool act_order = false;
    HinvMethod hinv = HinvMethod::Reversed;
    int max_damp_retries = 6;       // percdamp x10 each time
    std::int64_t hessian_batch = 0; // rows of X per add_batch call; 0 = all rows in one batch
};

struct GptqResult {
    std::string error;              // non-empty: GPTQ could not run (e.g. H never positive definite)
    bool cancelled = false;
    MatrixRF Wq;                    // out x in, original column order
    double loss = 0;                // sum of the reference's Losses: sum (w - q)^2 / U_jj^2 / 2
    double percdamp_used = 0;       // after any retries
    double damp = 0;                // the value added to diag(H): percdamp_used * mean(diag H)
    int damp_retries = 0;
    std::vector<std::string> notes; // every retry, in words
    std::vector<std::int64_t> dead_columns;   // inputs with H_jj = 0, zeroed
    std::vector<std::int64_t> order;          // order[k] = original column quantized k-th
    std::vector<double> hessian_diag;         // diag(H) per original column, before dead fix and damping
    // Per column in processing order (k = 0 .. in-1), for the "error as quantization proceeds" chart:
    std::vector<double> column_loss;          // sum over rows of (w - q)^2 / U_jj^2 / 2
    std::vector<double> cumulative_loss;      // running sum of column_loss
    std::vector<double> column_weight_sq_error; // sum over rows of (W_original - Q)^2
    std::vector<double> column_rtn_sq_error;  // the same for RTN (GPTQ's quantizer applied directly)
    // Group parameters: out x groups, row-major; group k covers processing positions
    // [k * groupsize, (k+1) * groupsize) (with act-order: a set of original columns, see group_of_column).
    std::vector<GroupParams> params;
    std::int64_t groups = 0;
    std::vector<std::int64_t> group_of_column; // per original column: its group (the reference's g_idx)
    double hessian_seconds = 0;     // forming H
    double factor_seconds = 0;      // damping, Cholesky, inverse factor
    double quant_seconds = 0;       // the working copy of W, the column loop with the lazy updates
    double finish_seconds = 0;      // undoing act-order, the per-column errors of GPTQ and RTN
};

// H = 2/n X^T X in float32 (in x in, row-major, both triangles filled), accumulated as add_batch does
// with batches of `batch` rows (0: one batch). The product is formed as tiles of the lower triangle
// (half the work of a full product), computed in parallel, 128 scaled rows of X at a time.
MatrixRF gptq_hessian(const MatrixRF& X, std::int64_t batch = 0);

// GPTQ on W with a Hessian formed from X.
GptqResult gptq_quantize(const MatrixRF& W, const MatrixRF& X, const GptqOptions& opt, const ProgressFn& progress = {});
// GPTQ on W with a given H (in x in, symmetric); H is consumed.
GptqResult gptq_quantize_hessian(const MatrixRF& W, MatrixRF H, const GptqOptions& opt, const ProgressFn& progress = {});

// U with H^-1 = U^T U (upper), by either method. Returns false when a Cholesky factorisation fails.
// H is overwritten (with the Reversed method U is computed in H's storage and moved out of it).
bool gptq_inverse_factor(MatrixRF& H, HinvMethod method, MatrixRF& U);

// Eigen's Cholesky factorisation of an n x n float32 matrix in place (lower factor); false when it
// is not positive definite. Exposed for the benchmark's floor.
bool cholesky_in_place(MatrixRF& A);

} // namespace ql::calib
