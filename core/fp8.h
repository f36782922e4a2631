// FP8 (OCP 8-bit floating point v1.0) fake quantization: E4M3 (bias 7, no infinities, max 448, NaN =
// S.1111.111) and E5M2 (bias 15, IEEE infinities and NaNs, max 57344).
//   scale = amax / max_finite in fp32, per tensor, per channel or per group (QuantConfig::granularity);
//           a slice with no non-zero finite value gets scale 1
//   q     = x / scale rounded to nearest even on the format's grid, subnormals included, saturating at
//           +-max (core/float_formats_math.h); NaN -> the NaN code (E4M3 0x7F, E5M2 0x7E)
//   y     = q * scale
// Storage: 8 bits per value plus one fp32 scale per slice.
#pragma once

#include <cstdint>
#include <vector>

#include "core/float_formats_math.h"
#include "core/quantizer.h"

namespace ql {

const MiniFloat& fp8_format(Format f);  // kE4M3 or kE5M2; throws for other formats

// Slice scale from the slice's largest finite magnitude: amax / fmt.max, or 1 when amax is 0.
float minifloat_slice_scale(float amax, const MiniFloat& fmt);

// Scalar reference: plain loops over the tensor. codes get the FP8 bit patterns (as int8).
std::vector<float> quantize_fp8_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                    QuantParams* params);

} // namespace ql
