// Element types as stored in weight files -> float32 for analysis. One place for the byte-level
// definitions (IEEE fp16/bf16, OCP FP8 E4M3FN and E5M2, little-endian integers) that every loader shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor.h"

namespace ql {

// Bytes per element of a plain (non-block) dtype; 0 for ggml block types and Unknown.
std::size_t element_bytes(DType t);

// FP8 E4M3FN (as torch.float8_e4m3fn, safetensors F8_E4M3): bias 7, no infinities, S.1111.111 is NaN,
// largest finite 448; exponent 0 is subnormal: m/8 * 2^-6.
float f8_e4m3_to_float(std::uint8_t b);
// FP8 E5M2 (torch.float8_e5m2): the upper byte of an IEEE binary16, so fp16 decoding applies.
float f8_e5m2_to_float(std::uint8_t b);

// Converts n little-endian (or big-endian when asked) elements of a plain dtype to float32.
// Returns false when t is not a plain dtype. Large inputs are converted in parallel.
bool convert_to_float(DType t, const std::uint8_t* src, std::size_t n, float* dst, bool big_endian = false);

// Makes a Tensor's shape fit Tensor's rank limit: dims beyond kMaxRank are folded into the first axis
// (the last axes, which per-channel and per-group quantization use, stay as they are).
std::vector<std::int64_t> fold_shape(const std::vector<std::int64_t>& shape);

} // namespace ql
