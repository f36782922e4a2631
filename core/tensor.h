// Tensor: the float32 values QuantLens analyses, with their shape, name and the dtype they came from.
//
// Axis conventions (numpy / PyTorch order, row-major, last axis contiguous):
//   - A Linear layer's weight is [out_features, in_features]: rows are output channels, columns are
//     input channels. "Per-channel" quantization defaults to axis 0 (one scale per output channel).
//   - rows() is the product of every axis but the last, cols() is the last axis. Per-group
//     quantization groups consecutive values along the last axis inside each row.
//   - GGUF stores ne[0] innermost; its loader reverses the dims so shapes here are numpy-order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ql {

// The element type a tensor was stored in before it was widened to float32 for analysis.
enum class DType {
    F32, F16, BF16, F64,
    F8_E4M3, F8_E5M2,
    I8, U8, I16, U16, I32, U32, I64, U64, Bool,
    // ggml block types (already quantized in a GGUF file)
    GGML_Q4_0, GGML_Q4_1, GGML_Q5_0, GGML_Q5_1, GGML_Q8_0, GGML_Q8_1,
    GGML_Q2_K, GGML_Q3_K, GGML_Q4_K, GGML_Q5_K, GGML_Q6_K, GGML_Q8_K, GGML_IQ4_NL, GGML_IQ4_XS, GGML_MXFP4,
    GGML_NVFP4, GGML_TQ1_0, GGML_TQ2_0,
    GGML_IQ2_XXS, GGML_IQ2_XS, GGML_IQ2_S, GGML_IQ3_XXS, GGML_IQ3_S, GGML_IQ1_S, GGML_IQ1_M,  // decoded only (codebooks)
    Unknown
};

std::string_view dtype_name(DType t);       // "F32", "F16", "Q4_K", ...
double dtype_bits(DType t);                 // storage bits per element (block types: incl. scales)

constexpr int kMaxRank = 4;

struct Tensor {
    std::string name;               // e.g. "model.layers.0.self_attn.q_proj.weight" or "generated"
    std::vector<std::int64_t> shape;// numpy order; empty shape = scalar (1 element)
    std::vector<float> values;      // row-major, size == numel()
    DType source_dtype = DType::F32;

    Tensor() = default;
    Tensor(std::string n, std::vector<std::int64_t> s, DType src = DType::F32);  // zero-filled

    std::int64_t numel() const;     // product of shape (1 for a scalar, 0 if any dim is 0)
    int rank() const { return static_cast<int>(shape.size()); }
    std::int64_t rows() const;      // product of all axes but the last (1 for rank <= 1)
    std::int64_t cols() const;      // last axis (numel for rank 1, 1 for a scalar)
    std::string shape_string() const; // "4096x4096"
    const float* data() const { return values.data(); }
    float* data() { return values.data(); }
};

// Product of dims with overflow and sign checks; returns false if negative or it overflows int64.
bool checked_numel(const std::vector<std::int64_t>& shape, std::int64_t& out);
// The same product; throws std::invalid_argument ("tensor shape overflows") where checked_numel fails.
std::int64_t numel_of(const std::vector<std::int64_t>& shape);

// Parse "1000x1000" or "4,1024" into a shape; false on malformed text.
bool parse_shape(std::string_view text, std::vector<std::int64_t>& out);

} // namespace ql
