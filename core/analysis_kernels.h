// The per-element loops of the analysis pass, vectorised: error sums, min/max, histogram binning.
// Float sums are accumulated in double; only integer counts and min/max are reordered.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "core/bin_grid.h"

namespace ql::kernels {

// Sums over the finite x of a chunk, comparing x with its dequantized dq.
struct ErrorSums {
    double sum_e2 = 0;    // sum (dq - x)^2
    double sum_abs = 0;   // sum |dq - x|
    double sum_dq2 = 0;   // sum dq^2
    double sum_xdq = 0;   // sum x * dq
    float max_abs = 0;    // max |dq - x|
    float dq_lo = std::numeric_limits<float>::infinity(), dq_hi = -std::numeric_limits<float>::infinity();
    std::uint64_t count = 0; // finite x (error_sums: with a finite dq)
    // error_sums: finite x whose dq is +-inf or NaN (a format whose stored scale overflows), left out of
    // every sum above; the vector passes do not count these (the analysis takes such a configuration
    // through error_sums when its sums come out non-finite)
    std::uint64_t nonfinite_dq = 0;
    void merge(const ErrorSums& o);
};
// Sums over the pairs whose x and dq are both finite; a finite x with a non-finite dq is counted in
// nonfinite_dq and left out of the rest.
void error_sums(const float* x, const float* dq, std::int64_t n, ErrorSums& acc);

// Moments of the finite values of a chunk (Welford/Chan merge for the variance).
struct Moments {
    std::uint64_t count = 0;
    double mean = 0, m2 = 0;  // running mean and sum of squared deviations
    double sum_sq = 0;        // sum x^2
    float lo = std::numeric_limits<float>::infinity(), hi = -std::numeric_limits<float>::infinity();
    std::uint64_t nan = 0, inf = 0;
    void merge(const Moments& o);
};
void moments(const float* x, std::int64_t n, Moments& acc);

// The integer and format passes' Correction mode packs a move's two bins into one 32-bit word, 16 bits
// each with one value kept for each side outside the grid: the most bins of its weights grid.
inline constexpr int kMaxCorrectionBins = 65534;

// Equal-width bins: the base range [base_lo, base_hi] in base_bins bins, extended by whole bins of the
// same width below and above (so the original tensor's histogram on the base range embeds exactly in a
// wider one that also holds every dequantized value). Bin of v = floor((v - base_lo) / width), with
// base_hi itself in the last base bin, shifted by `below`.
struct BinGrid {
    double base_lo = 0, base_hi = 1;
    int base_bins = 1;
    int below = 0, above = 0;
    double width() const { return (base_hi - base_lo) / base_bins; }
    int total() const { return base_bins + below + above; }
    double lo() const { return base_lo - below * width(); }
    double hi() const { return base_hi + above * width(); }
    BinParams params() const;   // the float parameters of bin_index() (core/bin_grid.h)
    int bin_of(float v) const { return bin_index(v, params()); }  // -1 outside the grid or not finite
};

// A histogram under construction: 4 interleaved uint32 sub-histograms (so consecutive increments of the
// same bin do not wait on each other) with one extra "dump" bin for values that are not counted.
class BinCounter {
public:
    BinCounter() = default;
    explicit BinCounter(const BinGrid& grid);
    // Counts v[k] where x[k] is finite (x may equal v). Values outside the grid go to `outside`.
    void add(const float* v, const float* x, std::int64_t n);
    // Counts dq[k] - x[k] where x[k] is finite.
    void add_error(const float* x, const float* dq, std::int64_t n);
    void merge_into(std::vector<std::uint64_t>& counts) const;  // resized to grid.total()
    std::uint64_t outside() const;                              // finite x whose value fell outside

private:
    void flush_if_needed(std::int64_t n);
    BinGrid grid_;
    int bins_ = 0;
    std::vector<std::uint32_t> sub_;       // 4 * (bins + 2): the last two are "outside" and "x not finite"
    std::vector<std::uint64_t> extra_;     // spill-over of the uint32 counters
    std::int64_t pending_ = 0;
};

// Codes and errors counted together: one increment per element of a [256 codes][bins + 1] table gives
// the code histogram (levels used, and the dequantized histogram when all values share one scale) and
// the error histogram as its two marginals.
class CodeErrorCounter {
public:
    CodeErrorCounter() = default;
    explicit CodeErrorCounter(const BinGrid& error_grid);
    // codes[k] with error dq[k] - x[k], where x[k] is finite (non-finite x are skipped entirely).
    void add(const float* x, const float* dq, const std::int8_t* codes, std::int64_t n);
    // Adds the marginals: code_counts (256, index code + 128), error_counts (bins); returns the number of
    // finite values whose error fell outside the range.
    std::uint64_t merge_into(std::vector<std::uint64_t>& code_counts, std::vector<std::uint64_t>& error_counts) const;

private:
    void flush();
    BinGrid grid_;
    int bins_ = 0;
    int shift_ = 0;                      // row stride of table_ = 2^shift_ >= bins + 2
    std::vector<std::uint32_t> table_;   // [256][stride]: column bins = out of range, bins + 1 = x not finite
    std::vector<std::uint64_t> wide_;    // spill-over of table_
    std::int64_t pending_ = 0;
};

} // namespace ql::kernels
