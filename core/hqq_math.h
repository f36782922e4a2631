// Per-element arithmetic of HQQ's half-quadratic solver (core/hqq.h), shared by its scalar reference and
// its group loop so that both give the same float for every element (DESIGN rule 4). Plain float32
// operations in a fixed order, no contraction (core is built with -ffp-contract=off), nothing that
// depends on how a loop is vectorised.
//
// The solver's shrinkage needs |d|^(p - 1) (p = 0.7): computed here as 2^((p - 1) log2 |d|) with
// polynomials for log2 and exp2 (relative error below 1e-6 against std::pow, tests/core/test_hqq.cpp),
// so every machine and every build gives the same bits, where a library pow may differ by an ulp.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

// Inlined into the group loop whatever the optimiser's size limits: a call left in it stops the loop
// from being vectorised.
#if defined(__GNUC__)
#define QL_HQQ_INLINE inline __attribute__((always_inline))
#else
#define QL_HQQ_INLINE inline
#endif

namespace ql::hqq {

// Round half to even (torch.round; rint in the default rounding mode) in plain operations a compiler
// vectorises: below 2^23 in magnitude, adding and taking away 2^23 leaves the nearest integer (ties to
// even, the sign of zero kept by copysign); from 2^23 on every float is an integer already. NaN and
// +-Inf come back as they are.
QL_HQQ_INLINE float round_even(float v) {
    const float a = std::fabs(v);
    const float r = std::copysign((a + 8388608.0f) - 8388608.0f, v);
    return a < 8388608.0f ? r : v;
}

// The same for |v| < 2^22 in two operations: 1.5 * 2^23 added and taken away (the sum lies where floats
// are the integers). Beyond 2^22 the result stays on v's side of 0 and at least 2^22 - 1 in magnitude, so
// any clamp to a small code range gives what rounding v would (code() below).
QL_HQQ_INLINE float round_even_small(float v) { return (v + 12582912.0f) - 12582912.0f; }

// log2(a) for a normal positive float: exponent plus log2 of the mantissa m in [sqrt(1/2), sqrt(2)),
// log2(m) = (2 / ln 2) atanh(t), t = (m - 1) / (m + 1), |t| <= 0.172, by its series to t^9.
QL_HQQ_INLINE float log2_pos(float a) {
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(a);
    float e = static_cast<float>(static_cast<std::int32_t>((bits >> 23) & 0xFFu) - 127);
    float m = std::bit_cast<float>((bits & 0x007FFFFFu) | 0x3F800000u);
    // both sides computed, then chosen (a compiler may not speculate a float operation into a select)
    const bool high = m > 1.41421356f;
    const float m_half = m * 0.5f, e_next = e + 1.0f;
    m = high ? m_half : m;
    e = high ? e_next : e;
    const float t = (m - 1.0f) / (m + 1.0f);
    const float t2 = t * t;
    // 2 / (k ln 2) for k = 1, 3, 5, 7, 9
    const float p = 2.88539008f + t2 * (0.961796694f + t2 * (0.577078016f + t2 * (0.412198583f + t2 * 0.320598898f)));
    return e + t * p;
}

// 2^y for y in [-126, 127]: 2^n (built in the exponent bits) times 2^f, f = y - n in [-0.5, 0.5],
// from e^(f ln 2)'s series to the 7th power.
QL_HQQ_INLINE float exp2_small(float y) {
    const float n = round_even_small(y);  // |y| <= 127
    const float g = (y - n) * 0.693147181f;
    const float p = 1.0f + g * (1.0f + g * (0.5f + g * (0.166666667f + g * (0.0416666667f + g * (0.00833333333f + g * (0.00138888889f + g * 0.000198412698f))))));
    const float scale = std::bit_cast<float>(static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23);
    return p * scale;
}

// The power is taken of a + 1e-30, which is a itself for a above 1e-23 and keeps log2 on normal floats
// for 0 and subnormals; every magnitude that small shrinks to 0 at every beta the solver uses (its power
// is then above 1e6). (An addition, not a max: a compiler keeps a clamp to a constant as a branch.)
constexpr float kTiny = 1e-30f;

// a^e for a >= 0, e in [-1, 0): the shrinkage's |d|^(p - 1).
QL_HQQ_INLINE float pow_neg(float a, float e) { return exp2_small(e * log2_pos(a + kTiny)); }

// The lp shrinkage operator of HQQ: sign(d) max(|d| - (1 / beta) |d|^(p - 1), 0), with inv_beta the
// float32 value of 1 / beta and e = p - 1.
QL_HQQ_INLINE float shrink(float d, float inv_beta, float e) {
    const float a = std::fabs(d);
    const float t = a - inv_beta * pow_neg(a, e);
    return std::copysign(t > 0.0f ? t : 0.0f, d);
}

// The code of x: round half to even (torch.round) of x * scale_inv + zero, clamped to [0, qmax].
QL_HQQ_INLINE float code(float x, float scale_inv, float zero, float qmax) {
    const float v = round_even_small(x * scale_inv + zero);  // exact after the clamp for any v (qmax < 2^22)
    return v < 0.0f ? 0.0f : (v > qmax ? qmax : v);
}

} // namespace ql::hqq
