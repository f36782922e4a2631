// Symmetric absmax INT8 fake quantization for W8A8, as mit-han-lab/smoothquant's fake_quant.py does
// it in float32:
//   scale = max(absmax, 1e-5) / qmax,  qmax = 2^(b-1) - 1 (127 for 8 bits)
//   x~ = round(x / scale) * scale          (no clamp: |x| / scale <= qmax by construction)
// Weights: one absmax per output row (quantize_weight_per_channel_absmax).
// Activations, dynamic: one absmax per token (row of X, quantize_activation_per_token_absmax) or one
// for the whole batch of tokens (quantize_activation_per_tensor_absmax).
#pragma once

#include <vector>

#include "core/calibration/calib_layer.h"

namespace ql::calib {

enum class ActGranularity { PerTensor, PerToken };

const char* act_granularity_name(ActGranularity g);   // "tensor", "token"

// Rows of m quantized with one scale each; scales (one per row) returned when asked for.
MatrixRF absmax_quantize_rows(const MatrixRF& m, int bits = 8, std::vector<float>* scales = nullptr);
// The whole of m with one scale.
MatrixRF absmax_quantize_tensor(const MatrixRF& m, int bits = 8, float* scale = nullptr);

// Activation quantization of X (tokens x in) at the given granularity.
inline MatrixRF quantize_activations(const MatrixRF& X, ActGranularity g, int bits = 8) {
    return g == ActGranularity::PerToken ? absmax_quantize_rows(X, bits) : absmax_quantize_tensor(X, bits);
}
// Weight quantization, per output channel.
inline MatrixRF quantize_weights_per_channel(const MatrixRF& W, int bits = 8) { return absmax_quantize_rows(W, bits); }

} // namespace ql::calib
