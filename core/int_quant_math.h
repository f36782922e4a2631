// Per-element integer quantization, shared by the CPU path (core/) and the CUDA path (gpu/).
//
// PyTorch's fake-quantization arithmetic, in float32 (fake_quantize_per_{tensor,channel}_affine):
//   inv_scale = 1.0f / scale
//   q  = clamp(rint(x * inv_scale) + z, qmin, qmax)        rint: round half to even
//   dq = (q - z) * scale
// Parameters as PyTorch's MinMax observers compute them (range widened to include 0):
//   symmetric:  scale = max(-min, max) / ((qmax - qmin) / 2),        z = 0,
//               codes in [-(2^(b-1) - 1), 2^(b-1) - 1]
//   asymmetric: scale = (max - min) / (qmax - qmin),  z = clamp(qmin - rint(min / scale), qmin, qmax),
//               codes in [-2^(b-1), 2^(b-1) - 1]
//   scale = max(scale, FLT_EPSILON), so a constant or all-zero slice never divides by zero.
#pragma once

#include <cfloat>
#include <cstdint>

#include "core/ql_hd.h"

#if !defined(__CUDACC__)
#include <cmath>
#endif

namespace ql {

struct IntRange {
    int qmin;
    int qmax;
};

// Code range of a b-bit integer code: symmetric uses the restricted range [-(2^(b-1)-1), 2^(b-1)-1].
QL_HD IntRange int_code_range(int bits, bool symmetric) {
    const int half = 1 << (bits - 1);
    return symmetric ? IntRange{-(half - 1), half - 1} : IntRange{-half, half - 1};
}

QL_HD float ql_rint(float v) {
#if defined(__CUDACC__)
    return rintf(v);
#else
    return std::nearbyint(v);   // current rounding mode: to nearest, ties to even
#endif
}

struct IntParams {
    float scale;     // float32, >= FLT_EPSILON
    float inv_scale; // 1.0f / scale, as PyTorch computes it
    std::int32_t zero_point;
};

// Observer parameters for a slice whose finite values span [lo, hi].
QL_HD IntParams int_params(float lo, float hi, int bits, bool symmetric) {
    const IntRange r = int_code_range(bits, symmetric);
    const float min_neg = lo < 0.0f ? lo : 0.0f;
    const float max_pos = hi > 0.0f ? hi : 0.0f;
    float scale;
    std::int32_t z;
    if (symmetric) {
        const float amax = -min_neg > max_pos ? -min_neg : max_pos;
        scale = amax / (static_cast<float>(r.qmax - r.qmin) / 2.0f);
        if (!(scale > FLT_EPSILON)) scale = FLT_EPSILON;  // also maps NaN to epsilon
        z = 0;
    } else {
        scale = (max_pos - min_neg) / static_cast<float>(r.qmax - r.qmin);
        if (!(scale > FLT_EPSILON)) scale = FLT_EPSILON;
        float zf = static_cast<float>(r.qmin) - ql_rint(min_neg / scale);
        zf = zf < static_cast<float>(r.qmin) ? static_cast<float>(r.qmin) : zf;
        zf = zf > static_cast<float>(r.qmax) ? static_cast<float>(r.qmax) : zf;
        z = static_cast<std::int32_t>(zf);
    }
    return IntParams{scale, 1.0f / scale, z};
}

// The integer code of x. NaN maps to the zero point's code (it carries no magnitude); +-Inf clamp.
QL_HD int int_quantize(float x, const IntParams& p, IntRange r) {
    float v = ql_rint(x * p.inv_scale) + static_cast<float>(p.zero_point);
    v = v < static_cast<float>(r.qmin) ? static_cast<float>(r.qmin) : v;  // NaN fails both tests ...
    v = v > static_cast<float>(r.qmax) ? static_cast<float>(r.qmax) : v;
    return v == v ? static_cast<int>(v) : p.zero_point;                     // ... and is caught here
}

QL_HD float int_dequantize(int q, const IntParams& p) {
    return static_cast<float>(q - p.zero_point) * p.scale;
}

} // namespace ql
