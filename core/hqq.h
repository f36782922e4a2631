// HQQ, half-quadratic quantization (Badri & Shaji, 2023), as the hqq library quantizes a weight with its
// default settings (BaseQuantizeConfig: nbits, group_size 64, axis 1, optimize=True; the solver
// optimize_weights_proximal_legacy with lp_norm 0.7, beta 10, kappa 1.01, 20 iterations):
//   groups      `group` consecutive values of the flattened tensor (a Linear weight [out, in]: along in;
//               QuantLens lets the last group be shorter where the library asks numel % group == 0)
//   start       scale_inv = min((2^b - 1) / (max - min), 2e4), zero = -min * scale_inv, rounded when b = 4
//               (round_zero), codes q = clamp(round(x * scale_inv + zero), 0, 2^b - 1)
//   iteration   W_r = (q - zero) / scale_inv, W_e = shrink_p(x - W_r, beta),
//               zero = mean over the group of (q - (x - W_e) * scale_inv), beta *= kappa;
//               the error of the iteration is mean |x - W_r| over the whole tensor (zero before its update):
//               the loop stops at the first iteration whose error is not below the best so far (starting
//               from 1e4), keeping the zero that iteration computed, as the library does
//   stored      scale = fp16(1 / scale_inv), zero as fp16: b bits per value + 32 bits per group (INT4 g64:
//               4.5 bits per weight); q from the float32 scale_inv and zero the solver ended with
//   dequantized as the library's fp16 dequantizer: fp16(fp16(q - zero) * scale) (saturated at +-65504
//               where fp16 would overflow: weights beyond the fp16 range)
// The scale stays as min-max gives it; only the zero point moves, by whatever the solver finds (not an
// integer): HQQ needs no calibration data.
// Arithmetic is float32 per element (core/hqq_math.h) with each group's sums in a fixed order, so the
// result is the same on every machine and thread count; the library's float32 pow and its reduction
// order differ in the last bits, so codes can differ from the library's where a value sits on a
// rounding edge. Non-finite values take no part in the solver (min/max, means and errors are over the
// finite ones); NaN gets the code of 0, +-Inf the end codes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/progress.h"
#include "core/quantizer.h"

namespace ql {

constexpr int kHqqDefaultGroup = 64;

struct HqqOptions {
    double lp_norm = 0.7;  // p of the lp shrinkage, in (0, 1)
    double beta = 10.0;
    double kappa = 1.01;
    int iters = 20;
    bool shortcut = true;  // leave the power out where the shrinkage is 0 for certain: the same floats (tests compare)
};

struct HqqSolution {
    int bits = 4;
    std::int64_t group = kHqqDefaultGroup;
    std::int64_t n = 0;
    std::vector<float> scale_inv, zero;  // per group, float32: what the codes come from
    std::vector<float> scale, zero16;    // per group, as stored (fp16 values): dequantization
    int iterations = 0;                  // iterations whose error was evaluated (the last may be the one that stopped)
    std::vector<double> errors;          // that error, mean |x - W_r|, per evaluated iteration
    bool cancelled = false;
};

// The solver over x[0, n). progress gets (iteration, iterations) and may cancel.
HqqSolution hqq_solve(const float* x, std::int64_t n, int bits, std::int64_t group, const HqqOptions& o = {},
                      const ProgressFn& progress = {});

// Dequantized values (and codes q - 2^(b-1), as INT asym codes; may be null) of x[begin, end).
// clipped (may be null) counts finite values whose x * scale_inv + zero rounded outside [0, 2^b - 1].
void hqq_apply(const HqqSolution& s, const float* x, std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes,
               std::uint64_t* clipped);

// The quantizer of a Format::HQQ configuration (bits 2..8, block_size = group, 0 = 64).
std::unique_ptr<Quantizer> make_hqq_quantizer(const QuantConfig& c);

} // namespace ql
