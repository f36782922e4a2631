// IEEE 754 binary16 (fp16) and bfloat16 conversions, bit-exact and shared by CPU and GPU (QL_HD).
// float -> half rounds to nearest, ties to even, with subnormals, overflow to infinity and NaN kept
// (as numpy's float16 cast and ggml's GGML_FP32_TO_FP16).
#pragma once

#include <cstdint>
#include <cstring>

#include "core/ql_hd.h"

namespace ql {

QL_HD std::uint32_t float_bits(float f) {
#if defined(__CUDA_ARCH__)  // device pass only: the intrinsics do not exist on the host
    return __float_as_uint(f);
#else
    std::uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
#endif
}

QL_HD float bits_float(std::uint32_t u) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(u);
#else
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
#endif
}

// binary16 bits -> float (exact: every half is a float).
QL_HD float half_to_float(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exp = (h >> 10) & 0x1Fu;
    std::uint32_t mant = h & 0x3FFu;
    if (exp == 0x1F) return bits_float(sign | 0x7F800000u | (mant << 13));  // inf / NaN
    if (exp == 0) {
        if (mant == 0) return bits_float(sign);                                // +-0
        // subnormal: mant * 2^-24
        float v = static_cast<float>(mant) * 5.9604644775390625e-08f;
        return sign ? -v : v;
    }
    return bits_float(sign | ((exp + 112u) << 23) | (mant << 13));
}

// float -> binary16 bits, round to nearest even.
QL_HD std::uint16_t float_to_half(float f) {
    const std::uint32_t x = float_bits(f);
    const std::uint16_t sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
    const std::uint32_t absx = x & 0x7FFFFFFFu;
    if (absx >= 0x7F800000u) {                                   // inf or NaN
        return static_cast<std::uint16_t>(sign | 0x7C00u | (absx > 0x7F800000u ? 0x200u | ((absx >> 13) & 0x3FFu) : 0u));
    }
    if (absx >= 0x477FF000u) return static_cast<std::uint16_t>(sign | 0x7C00u);  // rounds to >= 65520: inf
    if (absx < 0x38800000u) {                                    // below the smallest normal half (2^-14)
        if (absx < 0x33000000u) return sign;                     // below half of the smallest subnormal: 0
        // subnormal half: value / 2^-24 rounded to nearest even
        const std::uint32_t e = absx >> 23;
        const std::uint32_t m = (absx & 0x7FFFFFu) | 0x800000u;  // 24-bit significand
        const std::uint32_t shift = 126u - e;                    // bits to drop so the unit is 2^-24
        std::uint32_t q = m >> shift;
        const std::uint32_t rem = m & ((1u << shift) - 1u);
        const std::uint32_t halfway = 1u << (shift - 1u);
        if (rem > halfway || (rem == halfway && (q & 1u))) ++q;
        return static_cast<std::uint16_t>(sign | q);
    }
    // normal: rebias exponent, round 23-bit mantissa to 10 bits (carry may bump the exponent)
    std::uint32_t h = ((absx >> 13) - (112u << 10));
    const std::uint32_t rem = absx & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
    return static_cast<std::uint16_t>(sign | h);
}

// Rounds a float to the nearest fp16 value and back (the value an fp16 scale really has).
QL_HD float round_to_half(float f) { return half_to_float(float_to_half(f)); }

QL_HD float bf16_to_float(std::uint16_t b) { return bits_float(static_cast<std::uint32_t>(b) << 16); }

// float -> bfloat16 bits, round to nearest even; NaN stays NaN (quiet bit set).
QL_HD std::uint16_t float_to_bf16(float f) {
    const std::uint32_t x = float_bits(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<std::uint16_t>((x >> 16) | 0x40u);
    const std::uint32_t rounding = 0x7FFFu + ((x >> 16) & 1u);
    return static_cast<std::uint16_t>((x + rounding) >> 16);
}

} // namespace ql
