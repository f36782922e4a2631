// The statistics of a non-Int format's analysis pass in one sweep over what Quantizer::run() wrote: the
// error sums, the code counts and the dequantized / error histograms, with one table increment per value
// where the integer pass (core/int_pass.h) has one, from the dequantized values and codes of a chunk that
// is still in cache. Formats whose run() is one rule per block (MXFP4, NVFP4, and Q8_0, Q4_0, Q4_1, Q5_0
// with the tensor's range known) hand over their blocks' parameters instead, and the sweep quantizes the
// values itself (add_fused), as the integer pass does.
//
//   codes x error bins     FromCodes, Correction: one 32-bit table [code][error bin] whose marginals are
//                          the code counts and the error histogram
//   dequantized values     FromCodes: one scale for the whole tensor, so the caller maps each code's count
//                          to its value's bin (Quantizer::code_values())
//   dequantized x error    CountedCodes (formats of at most 32 codes with block scales): the table is
//                          [dequantized bin][error bin], whose marginals are both histograms, and the
//                          codes are counted by vector compares (no second increment)
//                          Correction (many codes, block scales): the original values' histogram (already
//                          known) plus a move for each value whose dequantized bin differs from its own, as
//                          the integer pass does (cheap when steps are narrow against a bin)
// The vector path needs AVX-512 (F, BW, VL, DQ) and is chosen at run time; without it available() is false
// and the analysis keeps its general loops. Only finite inputs are handled here.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/analysis_kernels.h"

namespace ql::kernels {

enum class FormatDqHistogram { FromCodes, CountedCodes, Correction };

struct FormatPassSetup {
    BinGrid weights;                    // grid of the dequantized-value histogram
    BinGrid errors;                     // grid of the error histogram (dq - x); below = above = 0
    FormatDqHistogram dq_mode = FormatDqHistogram::FromCodes;  // Correction: weights.total() <= kMaxCorrectionBins
    int code_lo = 0, code_n = 0;        // CountedCodes: every code lies in [code_lo, code_lo + code_n), code_n 16 or 32
};

// A quantizer's per-element rule that the pass works out itself from x (Quantizer::block_rule, whose
// BlockRule it follows), instead of reading run()'s output: one parameter set per 1 << shift consecutive
// values, parameter j of block k at params[j * stride + k].
struct FusedRule {
    enum class Kind { E2M1, E2M1Pow2, Q8_0, Q4_0, Q4_1, Q5_0 } kind = Kind::E2M1;
    int shift = 0;
    std::int64_t first = 0;          // x[0] of a call is value `first` counted from the start of block 0: a
                                     // multiple of 16 (the kernel takes one block per vector of 16 values)
    const float* params = nullptr;
    std::int64_t stride = 0;
};

struct FormatPassTables;  // per-thread counters (format_pass.cpp)

// One thread's share of the pass. Not thread-safe: one object per thread.
class FormatPass {
public:
    // True when this CPU has the vector path and the tables of `s` are small enough for it.
    static bool available(const FormatPassSetup& s);

    explicit FormatPass(const FormatPassSetup& s);
    ~FormatPass();
    FormatPass(const FormatPass&) = delete;
    FormatPass& operator=(const FormatPass&) = delete;

    // x[0, n) finite (Correction: inside the weights' base range, as the original histogram's values), dq
    // and codes what Quantizer::run() gave for them. Adds their sums to `sums` but for sum_xdq, which stays
    // 0: it is (sum x^2 + sum dq^2 - sum e^2) / 2, from sums the caller has. ahead (may be null): ahead_n
    // values the caller reads next, fetched into the cache while these are counted.
    void add(const float* x, const float* dq, const std::int8_t* codes, std::int64_t n, ErrorSums& sums,
             const float* ahead = nullptr, std::int64_t ahead_n = 0);

    // As add(), with dq and codes worked out from x by `rule` and written to dq[0, n) and codes[0, n); adds
    // the values whose rounding saturated to `clipped`.
    void add_fused(const FusedRule& rule, const float* x, float* dq, std::int8_t* codes, std::int64_t n, ErrorSums& sums,
                   std::uint64_t& clipped, const float* ahead = nullptr, std::int64_t ahead_n = 0);

    // Adds this thread's counts: code_counts (256, index code + 128), err (errors.total()), and for
    // CountedCodes / Correction the dequantized counts to dq (weights.total(); Correction adds only the
    // moves, modulo 2^64, to which the caller adds the original histogram). Out-of-grid values go to the
    // *_outside counts.
    void merge_into(std::vector<std::uint64_t>& code_counts, std::vector<std::uint64_t>& dq, std::vector<std::uint64_t>& err,
                    std::uint64_t& dq_outside, std::uint64_t& err_outside);

private:
    // add()'s loop, kernel(done, len, piece_sums) running the vector kernel over [done, done + len)
    template <class Kernel>
    void add_pieces(const float* x, const float* dq, const std::int8_t* codes, std::int64_t n, ErrorSums& sums, const float* ahead,
                    std::int64_t ahead_n, Kernel&& kernel);
    FormatPassSetup setup_;
    bool by_dq_ = false;  // CountedCodes
    std::unique_ptr<FormatPassTables> t_;
};

} // namespace ql::kernels
