// Per-element arithmetic of the float and codebook formats (FP8 E4M3/E5M2, FP4 E2M1, E8M0 scales, NF4),
// shared by the CPU quantizers (core/) and the CUDA path (gpu/) through QL_HD.
//
// Minifloat rounding (OCP 8-bit floating point spec v1.0, OCP MX v1.0, IEEE 754 rules): a value a >= 0 is
// rounded to nearest, ties to even, on the format's grid including its subnormals:
//     e = max(floor(log2 a), emin)            emin = 1 - bias, the exponent of the smallest normal
//     quantum = 2^(e - mbits)                 the spacing of the grid in a's binade
//     r = rint(a / quantum) * quantum         exact: a / quantum and the product are power-of-two scalings
// The parity of rint's integer is the last mantissa bit, so ties go to the even mantissa as the spec
// demands; a tie at the top of a binade rounds into the next binade, as IEEE does. Saturation clamps
// r to the largest finite value (the formats have no infinity in saturating mode).
#pragma once

#include <cstdint>

#include "core/half.h"
#include "core/int_quant_math.h"
#include "core/ql_hd.h"

namespace ql {

// A sign-magnitude minifloat: mantissa bits, exponent bits, the smallest normal exponent, the largest
// finite value, and whether the all-ones exponent is reserved (E5M2: IEEE inf/NaN) or holds normal
// values (E4M3 OCP: only S.1111.111 is NaN; E2M1: no specials).
struct MiniFloat {
    int mbits;
    int ebits;
    int emin;        // 1 - bias
    float max;       // largest finite magnitude
    bool ieee_specials;
};

constexpr MiniFloat kE4M3{3, 4, -6, 448.0f, false};     // OCP FP8 E4M3: bias 7, max S.1111.110 = 448
constexpr MiniFloat kE5M2{2, 5, -14, 57344.0f, true};   // OCP FP8 E5M2: bias 15, max S.11110.11 = 57344
constexpr MiniFloat kE2M1{1, 2, 0, 6.0f, false};        // FP4 E2M1: bias 1, {0, 0.5, 1, 1.5, 2, 3, 4, 6}

QL_HD float pow2f(int k) {  // 2^k for -126 <= k <= 127
    return bits_float(static_cast<std::uint32_t>(k + 127) << 23);
}

// floor(log2 a) for finite a > 0 (float subnormals included).
QL_HD int floor_log2(float a) {
    const std::uint32_t b = float_bits(a) & 0x7FFFFFFFu;
    const int e = static_cast<int>(b >> 23);
    if (e != 0) return e - 127;
    int m = static_cast<int>(b);  // subnormal: value m * 2^-149
    int k = -150;
    while (m) { m >>= 1; ++k; }
    return k;
}

// Round |v| (finite, >= 0) to the grid of f without an upper bound (see the file comment).
QL_HD float minifloat_round_unbounded(float a, MiniFloat f) {
    if (!(a > 0.0f)) return 0.0f;
    int e = floor_log2(a);
    if (e < f.emin) e = f.emin;
    const int k = e - f.mbits;
    return ql_rint(a * pow2f(-k)) * pow2f(k);
}

// Round a finite v to nearest even on f's grid and saturate to +-max. clipped is set when the rounded
// magnitude lay beyond max. NaN stays NaN; +-Inf saturates (and counts as clipped).
QL_HD float minifloat_round(float v, MiniFloat f, bool& clipped) {
    clipped = false;
    if (v != v) return v;
    const float a = v < 0.0f ? -v : v;
    float r = a > 3.0e38f ? f.max * 2.0f : minifloat_round_unbounded(a, f);
    if (r > f.max) {
        r = f.max;
        clipped = true;
    }
    return v < 0.0f ? -r : (v == 0.0f ? v : r);
}

// The code (sign | exponent field | mantissa) of a value already on f's grid (|r| <= max).
QL_HD std::uint8_t minifloat_encode(float r, MiniFloat f) {
    const std::uint32_t sign = (float_bits(r) >> 31) & 1u;
    const float a = r < 0.0f ? -r : r;
    std::uint32_t field = 0, mant = 0;
    if (a > 0.0f) {
        const int e = floor_log2(a);
        if (e < f.emin) {
            mant = static_cast<std::uint32_t>(a * pow2f(f.mbits - f.emin));  // a / 2^(emin - mbits)
        } else {
            field = static_cast<std::uint32_t>(e - f.emin + 1);
            mant = static_cast<std::uint32_t>(a * pow2f(f.mbits - e)) - (1u << f.mbits);
        }
    }
    return static_cast<std::uint8_t>((sign << (f.ebits + f.mbits)) | (field << f.mbits) | mant);
}

// The value of a code of f; NaN for the NaN codes, +-Inf for E5M2's infinities.
QL_HD float minifloat_decode(std::uint32_t code, MiniFloat f) {
    const std::uint32_t mmask = (1u << f.mbits) - 1u, emask = (1u << f.ebits) - 1u;
    const bool neg = (code >> (f.ebits + f.mbits)) & 1u;
    const std::uint32_t field = (code >> f.mbits) & emask, mant = code & mmask;
    float v;
    if (f.ieee_specials && field == emask) {
        v = mant == 0 ? bits_float(0x7F800000u) : bits_float(0x7FC00000u);
    } else if (!f.ieee_specials && f.ebits == 4 && field == emask && mant == mmask) {
        v = bits_float(0x7FC00000u);  // E4M3: S.1111.111 is NaN
    } else if (field == 0) {
        v = static_cast<float>(mant) * pow2f(f.emin - f.mbits);
    } else {
        v = static_cast<float>(mant + (1u << f.mbits)) * pow2f(static_cast<int>(field) - 1 + f.emin - f.mbits);
    }
    return neg ? -v : v;
}

// Whether the format can store NaN (FP8: yes; E2M1: no, a NaN input is stored as +0).
QL_HD bool minifloat_has_nan(MiniFloat f) { return f.ebits >= 4; }

// The NaN code a format stores for a NaN input (E4M3 0x7F, E5M2 0x7E), 0 for E2M1 (no NaN: a NaN input
// is stored as +0).
QL_HD std::uint8_t minifloat_nan_code(MiniFloat f) {
    if (f.ebits == 4) return 0x7F;
    if (f.ebits == 5) return 0x7E;
    return 0;
}

// ---- E8M0 (the MX shared scale): 2^(code - 127), code 0..254; 255 is NaN --------------------------------

// MX shared exponent of a block whose largest magnitude is amax (OCP MX v1.0 section 6.3):
// floor(log2 amax) - emax_elem, emax_elem = 2 for E2M1, clamped to E8M0's [-127, 127]. amax = 0 -> -127.
QL_HD int mx_shared_exponent(float amax) {
    if (!(amax > 0.0f) || !(amax <= 3.4028235e38f)) return -127;  // zero, NaN or Inf
    int e = floor_log2(amax) - 2;
    return e < -127 ? -127 : (e > 127 ? 127 : e);
}

// 2^e for -127 <= e <= 127 (2^-127 is a float subnormal).
QL_HD float e8m0_value(int e) { return e >= -126 ? pow2f(e) : pow2f(-126) * 0.5f; }

// ---- NF4 (bitsandbytes get_4bit_type("nf4"), dQuantizeNF4 / dDequantizeNF4) ----------------------------

QL_HD float nf4_value(int code) {
    constexpr float v[16] = {-1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
                             -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
                             0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
                             0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f};
    return v[code & 15];
}

// dQuantizeNF4's decision tree: the thresholds are the fp32 midpoints between neighbouring codes and the
// test is x > threshold, so a value exactly on a midpoint takes the lower code. The tree is a binary
// search; counting the thresholds below x gives the same code (NaN: no comparison holds -> code 0).
QL_HD int nf4_code(float x) {
    constexpr float t[15] = {-0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f,
                             -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
                             0.1202552504837513f, 0.2035212516784668f, 0.2920137718319893f, 0.3893125355243683f,
                             0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f};
    int c = 0;
    for (int k = 0; k < 15; ++k) c += x > t[k] ? 1 : 0;
    return c;
}

} // namespace ql
