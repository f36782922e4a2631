// NF4, bitsandbytes' 4-bit NormalFloat (QLoRA), as quantize_4bit / dequantize_4bit compute it:
//   absmax = max |x| per block of the flattened tensor (64 values by default; 32..4096, powers of two),
//            kept in fp32; the last block may be shorter
//   q      = dQuantizeNF4(x * (1 / absmax)): the NF4 code whose fp32 midpoints bracket the normalised
//            value, a value on a midpoint taking the lower code (core/float_formats_math.h)
//   y      = nf4[q] * absmax
// An all-zero block has 1 / absmax = inf and 0 * inf = NaN, which the tree maps to code 0: y = -1 * 0.
// Non-finite inputs: absmax is taken over the finite values; NaN -> code 0 (as the tree does), +-Inf ->
// code 15 / 0. Storage: 4 bits per value + one fp32 absmax per block (4.5 bits per weight at 64).
//
// NF4 with double quantization (compress_statistics=True): the absmax values are stored as
//   offset = mean(absmax) (fp32; QuantLens sums in double, PyTorch's float32 cascade sum may differ in the
//            last bit)
//   absmax - offset quantized in blocks of 256 with the signed 8-bit dynamic map
//            (create_dynamic_map(signed=True)): per block c = max |v| in fp32, code = the map entry
//            nearest to v * (1 / c) (clamped to [-1, 1]; ties to the lower entry, as torch.argmin)
//   absmax' = map[code] * c + offset, and y = nf4[q] * absmax' with q computed from the exact absmax.
// Storage: 4 + 8/64 + 32/(64*256) bits per value + the fp32 offset (about 4.127 bits per weight).
// The map is computed in float32 with linspace's formula start + step * i (upper half: end - step * (n-1-i)),
// means (b[i] + b[i+1]) / 2 and the fp32 product with 10^(i-6); PyTorch's vectorised CPU linspace may round
// a few entries differently in the last bit.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/quantizer.h"

namespace ql {

constexpr int kNf4DefaultBlock = 64;
constexpr int kNf4DqBlock = 256;   // absmax values per double-quantization block

// bitsandbytes' create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8), ascending.
const std::array<float, 256>& bnb_dynamic_map_signed();
// Index of the map entry nearest to v (|v| <= 1), ties to the lower index.
int bnb_dynamic_code(float v);

// Double-quantized absmax values: absmax' for every block (see above); offset and per-256 scales out.
std::vector<float> nf4_double_quantize(const std::vector<float>& absmax, float* offset, std::vector<float>* scales2,
                                       std::vector<std::uint8_t>* codes);
// The same from absmax[0, n) into out[0, n) (not overlapping), codes (may be null) into codes[0, n);
// the 256-value blocks run in parallel.
void nf4_double_quantize(const float* absmax, std::size_t n, float* out, float* offset, std::vector<float>* scales2,
                         std::uint8_t* codes);

// Scalar references over the flattened tensor; codes get the NF4 code (0..15).
std::vector<float> quantize_nf4_ref(const Tensor& t, int block_size, std::vector<std::int8_t>* codes, QuantParams* params);
std::vector<float> quantize_nf4_dq_ref(const Tensor& t, int block_size, std::vector<std::int8_t>* codes,
                                       QuantParams* params);

} // namespace ql
