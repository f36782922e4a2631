// Internal to core/format_pass.cpp and its vector kernel (core/format_pass_avx512.cpp): plain data only,
// so the kernel's translation unit, compiled for AVX-512, shares no inline code with the rest of core.
#pragma once

#include <cstdint>

#include "core/bin_grid.h"

namespace ql::kernels::detail {

struct FormatPassArgs {
    int stride = 1;                   // columns of the joint table: error bins + 1 (the last: outside)
    int ebins = 1;                    // error bins
    float elo = 0, ehi = 0, einv = 1; // error grid: [elo, ehi] in ebins bins, einv = ebins / (ehi - elo)
    BinParams w;                      // grid of the dequantized values
    float rule_lo = 0, rule_hi = 0;   // the values whose bin the upper-edge rule changes lie in [rule_lo, rule_hi]
    int mode = 0;                     // FormatDqHistogram: 0 FromCodes, 1 CountedCodes, 2 Correction
    int rows = 256;                   // rows of the joint table: codes (modes 0, 2) or dequantized bins + 1 (mode 1)
    std::uint32_t* joint = nullptr;   // [rows * stride + 1]: modes 0, 2 [code + 128][error bin], mode 1
                                      // [dequantized bin (w.total = outside)][error bin]; the extra cell takes masked lanes
    int code_lo = 0, code_n = 0;      // mode 1: the codes counted, code_lo .. code_lo + code_n - 1 (code_n 16 or 32)
    std::uint64_t* code_counts = nullptr; // mode 1: [code_n], added to
    // mode 2 (w.total < 65535): for each value that moves, its dequantized bin's slot << 16 | its own
    // bin's slot, where a slot is the grid bin + 1 and 0 / w.total + 1 stand for below / above the grid;
    // room for n + 16
    std::uint32_t* moves_packed = nullptr;
    std::int64_t moves = 0;           // out: entries written
    const float* ahead = nullptr;     // values the caller reads next, pulled into the cache meanwhile ...
    std::int64_t ahead_n = 0;         // ... this many (one cache line per 16 values of the call)
};

struct FormatPassSums {
    double e2 = 0, abs = 0, dq2 = 0;
    float max_abs = 0;
    float dq_lo = 0, dq_hi = 0;       // valid when n > 0
};

// The vector kernel over x[0, n), dq[0, n), codes[0, n).
void format_pass_avx512(FormatPassArgs& a, const float* x, const float* dq, const std::int8_t* codes, std::int64_t n,
                        FormatPassSums& out);
// A quantizer's rule worked out by the kernel itself (format_pass.h's FusedRule, the same fields): value i
// of a call lies in block (first + i) >> shift, whose parameter j is params[j * stride + block]. E2M1:
// y = e2m1(x / s) * s, s parameter 0 (core/format_vec_avx512_inl.h); E2M1Pow2: x times parameter 1, s's
// exact inverse, instead; Q8_0 .. Q5_0: ggml's rule (core/ggml_small_avx512_inl.h) with id, d, min, m and the
// clipping range [lo, hi] as parameters 0-5.
struct FusedRuleArgs {
    enum Kind { E2M1, E2M1Pow2, Q8_0, Q4_0, Q4_1, Q5_0 } kind = E2M1;
    int shift = 0;
    std::int64_t first = 0;
    const float* params = nullptr;
    std::int64_t stride = 0;
};
// As format_pass_avx512 with dq and codes computed by the rule r from x, and written to dq[0, n) and
// codes[0, n) for the code count and format_pass_fix_avx512; adds the values that clipped (E2M1: whose
// rounding saturated; ggml: outside the block's range) to clipped (x finite).
void format_pass_fused_avx512(FormatPassArgs& a, const FusedRuleArgs& r, const float* x, float* dq, std::int8_t* codes, std::int64_t n,
                              FormatPassSums& out, std::uint64_t& clipped);
// After format_pass_avx512 over the same values: moves each value it counted in a cell other than
// bin_index() gives (an error outside [elo, ehi] in an edge bin; mode 1, a dequantized value in
// [rule_lo, rule_hi] or NaN in the bin without the upper-edge rule) to its right cell.
void format_pass_fix_avx512(const FormatPassArgs& a, const float* x, const float* dq, const std::int8_t* codes, std::int64_t n);
bool format_pass_avx512_compiled();

} // namespace ql::kernels::detail
