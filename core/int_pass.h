// The analysis pass of an integer configuration fused into one sweep per output channel: fake
// quantization (core/int_quant_math.h, bit for bit), the error sums, the clipped count, the code counts
// and the dequantized / error histograms, with every per-element value kept in registers.
//
// The histograms cost one counter increment per value, not three:
//   codes x error bins   one 32-bit table [code][error bin] whose marginals are the code counts and the
//                        error histogram
//   dequantized values   FromCodes: one scale for the whole tensor, so the caller maps each code's
//                        count to its level's bin; Correction: the original values' histogram (already
//                        known) plus a move for each value whose dequantized bin differs from its own
//                        (rare when a step is narrow against a bin); GroupCodes (at most 16 codes): each
//                        vector lane counts the codes of its slice in 4-bit fields of two registers, and
//                        each slice adds its code counts to its levels' bins (16 increments per slice, or
//                        per 240 values); Direct: one increment per value.
// The vector path needs AVX-512 (F, BW, VL, DQ) or AVX2 and is chosen at run time; without either
// available() is false and the analysis uses its general path. Only finite inputs are handled here.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/analysis_kernels.h"
#include "core/int_quant_math.h"

namespace ql::kernels {

enum class DqHistogram { FromCodes, Correction, Direct, GroupCodes };

struct IntPassSetup {
    int qmin = 0, qmax = 0;             // code range of the configuration
    BinGrid weights;                    // grid of the dequantized-value histogram (and of the original's)
    BinGrid errors;                     // grid of the error histogram (dq - x); below = above = 0
    // Correction: every value lies in weights' base range, and weights.total() <= kMaxCorrectionBins
    DqHistogram dq_mode = DqHistogram::FromCodes;
    // false (FromCodes with one parameter set for every value): the pass leaves the sum of dq^2 and the
    // dequantized range out (ErrorSums' sum_dq2 stays 0, dq_lo / dq_hi +-inf); the caller has them from
    // the code counts and the levels. GroupCodes takes both from each slice's code counts. The sum of
    // x dq is never summed (ErrorSums' sum_xdq stays 0): the caller derives it as (x^2 + dq^2 - e^2) / 2
    bool dq_sums = true;
};

struct IntPassTables;  // per-thread counters (int_pass.cpp)

// One thread's share of the pass. Not thread-safe: one object per thread.
class IntPass {
public:
    // True when this CPU has the vector path and the tables of `s` are small enough for it.
    static bool available(const IntPassSetup& s);

    explicit IntPass(const IntPassSetup& s);
    ~IntPass();
    IntPass(const IntPass&) = delete;
    IntPass& operator=(const IntPass&) = delete;

    // x[0, n): finite values of one output channel's segment. Slice 0 (parameters params[0]) covers the
    // first first_len values, slice k >= 1 the next slice_len values each (the last may be shorter).
    // Adds the segment's sums to `sums` and its clipped values to `clipped`. slice_lo / slice_hi (null,
    // or indexed as params): each slice's lowest and highest value, from which the dequantized range is
    // taken per slice rather than per value, and Correction's bins skip their edge rules in slices that
    // stay clear of the grid's ends.
    void add(const float* x, std::int64_t n, const IntParams* params, const float* slice_lo, const float* slice_hi,
             std::int64_t first_len, std::int64_t slice_len, ErrorSums& sums, std::uint64_t& clipped);

    // Adds this thread's counts: code_counts (256, index code + 128), err (errors.total()), and for
    // Correction / Direct / GroupCodes the dequantized counts to dq (weights.total(); Correction adds only the moves,
    // modulo 2^64, to which the caller adds the original histogram). Dequantized values outside the grid
    // go to dq_outside. err_outside becomes nonzero when some error fell outside the error grid: then
    // the error counts are not valid (those errors sit in the edge bins) and the caller re-bins.
    void merge_into(std::vector<std::uint64_t>& code_counts, std::vector<std::uint64_t>& dq, std::vector<std::uint64_t>& err,
                    std::uint64_t& dq_outside, std::uint64_t& err_outside);

private:
    void flush();
    IntPassSetup setup_;
    std::unique_ptr<IntPassTables> t_;
};

} // namespace ql::kernels
