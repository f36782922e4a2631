// Internal to core/int_pass.cpp and its vector kernels (core/int_pass_avx512.cpp, core/int_pass_avx2.cpp):
// plain data only, so the kernels' translation units, compiled for their instruction sets, share no
// inline code with the rest of core.
#pragma once

#include <cstdint>

#include "core/bin_grid.h"
#include "core/int_quant_math.h"

namespace ql::kernels::detail {

struct IntPassArgs {
    float qminf = 0, qmaxf = 0;     // code range as floats
    int stride = 1;                 // columns of the joint table: the error bins
    int ebins = 1;                  // error bins
    float elo = 0, ehi = 0, einv = 1; // error grid: [elo, ehi] in ebins bins, einv = ebins / (ehi - elo)
    BinParams w;                    // grid of the dequantized (and original) values
    bool dq_sums = true;            // false (FromCodes only): no sums of dq^2 and x dq, no dequantized range
    bool dq_range = true;           // false: no per-value dequantized range (the caller has it from the slices')
    int mode = 0;                   // DqHistogram: 0 FromCodes, 1 Correction, 2 Direct, 3 GroupCodes (<= 16 codes)
    std::uint32_t* joint = nullptr; // [rows * stride + 1]: [code - qmin][error bin]; the extra cell takes masked lanes
    std::uint16_t* dq16 = nullptr;  // Direct, GroupCodes: [w.total + 2]: bins, outside, masked lanes
    // Correction (every x in the base range [w.lo, w.hi], w.total < 65535): for each value that moves,
    // (its dequantized value's bin + 1) << 16 | its own bin, where the dequantized bin is 0 below the
    // grid and w.total + 1 above it, and the own bin is a base-grid bin (before the shift by w.below);
    // room for n + 16
    std::uint32_t* moves_packed = nullptr;
    std::int64_t moves = 0;         // out: entries written
};

struct IntPassSums {
    double e2 = 0, abs = 0, dq2 = 0, xdq = 0;
    float max_abs = 0;
    float dq_lo = 0, dq_hi = 0;     // valid when n > 0
    std::uint64_t clipped = 0;
};

// The vector kernel over x[0, n) (n <= 65535 - cells already counted), slices as IntPass::add. fast
// (null, or one flag per slice, indexed as params): Correction's slices whose values and dequantized
// values all lie in [w.lo, w.hi] with both bins at most w.base_bins - 1 and whose codes do not clip,
// which skip the clamp and the edge rules.
void int_pass_avx512(IntPassArgs& a, const float* x, std::int64_t n, const IntParams* params, const std::uint8_t* fast,
                     std::int64_t first_len, std::int64_t slice_len, IntPassSums& out);
// Slices [0, count) whose finite values span [lo[k], hi[k]]: the lowest and highest dequantized value
// over all of them, and when fast is not null, each slice's flag for int_pass_avx512 (1: the kernel may
// skip the edge rules of Correction's bins).
void int_slice_bounds_avx512(const IntPassArgs& a, const IntParams* params, const float* lo, const float* hi, std::int64_t count,
                             std::uint8_t* fast, float& dq_lo, float& dq_hi);
bool int_pass_avx512_compiled();
// The same kernel on AVX2 (core/int_pass_avx2.cpp), and the slices' bounds worked out one slice at a
// time with the same float operations (core/int_pass.cpp).
void int_pass_avx2(IntPassArgs& a, const float* x, std::int64_t n, const IntParams* params, const std::uint8_t* fast,
                   std::int64_t first_len, std::int64_t slice_len, IntPassSums& out);
bool int_pass_avx2_compiled();
void int_slice_bounds_scalar(const IntPassArgs& a, const IntParams* params, const float* lo, const float* hi, std::int64_t count,
                             std::uint8_t* fast, float& dq_lo, float& dq_hi);

} // namespace ql::kernels::detail
