// Histogram bin arithmetic shared by the CPU analysis and the CUDA kernels (QL_HD), so both put every
// value in the same bin.
//
// Equal-width bins: the base range [base_lo, base_hi] in base_bins bins, extended by whole bins of the
// same width below and above (so the original tensor's histogram on the base range embeds exactly in
// a wider one that also holds every dequantized value). bin(v) = floor((v - base_lo) * inv_width) with
// base_hi itself in the last base bin, shifted by `below`; -1 outside the grid or for NaN/Inf.
#pragma once

#include "core/ql_hd.h"

#if !defined(__CUDACC__)
#include <cmath>
#endif

namespace ql {

// The float parameters the per-element bin function needs.
struct BinParams {
    float lo = 0, hi = 1;  // base range
    float inv_width = 1;   // base_bins / (base_hi - base_lo), in float
    int base_bins = 1, below = 0, total = 1;
};

QL_HD int bin_index(float v, const BinParams& p) {
#if defined(__CUDACC__)
    const float t = floorf((v - p.lo) * p.inv_width);
#else
    const float t = std::floor((v - p.lo) * p.inv_width);
#endif
    if (!(t > -2.0e9f && t < 2.0e9f)) return -1;  // NaN, Inf, or absurdly far out
    int i = static_cast<int>(t);
    // v - lo has the sign of v - lo exactly, so floor() already puts v < lo below bin 0; at the top,
    // base_hi belongs to the last base bin and anything above it to the bins beyond.
    if (v <= p.hi) i = i < p.base_bins - 1 ? i : p.base_bins - 1;
    else i = i > p.base_bins ? i : p.base_bins;
    i += p.below;
    return i >= 0 && i < p.total ? i : -1;
}

} // namespace ql
