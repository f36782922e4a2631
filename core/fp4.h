// 4-bit floating point formats, all on the E2M1 grid {0, +-0.5, +-1, +-1.5, +-2, +-3, +-4, +-6}
// (core/float_formats_math.h, rounding to nearest even, saturating at +-6; NaN inputs are stored as +0):
//
// FP4_E2M1: scale = amax / 6 in fp32 per tensor / channel / group (QuantConfig::granularity; a block size
//   N > 0 means per group of N along the last axis); q = E2M1(x / scale); y = q * scale. Storage 4 bits
//   per value + one fp32 scale per slice.
// MXFP4 (OCP Microscaling Formats v1.0): per block of 32 along the last axis, shared scale
//   X = 2^(floor(log2 amax) - 2) stored as E8M0; q = E2M1(x / X) (values in (6X, 8X) clamp to 6X);
//   y = q * X. Storage 4 + 8/32 = 4.25 bits per value.
// NVFP4 (NVIDIA TensorRT Model Optimizer): tensor scale s2 = amax / (6 * 448) in fp32; per block of 16
//   along the last axis s = E4M3(max(block amax / (6 * s2), 2^-9)) (the clamp at the smallest E4M3
//   subnormal keeps a tiny block's scale from rounding to 0, where ModelOpt's export would divide by 0);
//   q = E2M1(x / (s * s2)); y = q * (s * s2). Storage 4 + 8/16 bits per value + the fp32 tensor scale.
//   An all-zero tensor uses s2 = 1.
// Blocks run along the last axis of each row; a row's partial last block holds fewer values (as if padded
// with zeros, which changes no block maximum) and is stored whole.
#pragma once

#include <cstdint>
#include <vector>

#include "core/float_formats_math.h"
#include "core/quantizer.h"

namespace ql {

constexpr int kMxfp4Block = 32;
constexpr int kNvfp4Block = 16;

// The effective slice configuration of FP4_E2M1 (a block size turns it into per-group).
QuantConfig fp4_e2m1_slices(const QuantConfig& c);

// Scalar references (codes: the 4-bit E2M1 code, sign in bit 3).
std::vector<float> quantize_fp4_e2m1_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                         QuantParams* params);
std::vector<float> quantize_mxfp4_ref(const Tensor& t, std::vector<std::int8_t>* codes, QuantParams* params);
std::vector<float> quantize_nvfp4_ref(const Tensor& t, std::vector<std::int8_t>* codes, QuantParams* params);

// NVFP4's per-block scale for a block maximum: E4M3(max(block_amax / (6 * s2), 2^-9)).
float nvfp4_block_scale(float block_amax, float s2);
// NVFP4's tensor scale: amax / (6 * 448), or 1 for an all-zero tensor.
float nvfp4_tensor_scale(float amax);

} // namespace ql
