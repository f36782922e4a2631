// Tensor basics: element counts with overflow checks, shape text, dtype names and sizes.
#include "core/tensor.h"

#include <charconv>
#include <limits>
#include <stdexcept>

namespace ql {

std::string_view dtype_name(DType t) {
    switch (t) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::F64: return "F64";
    case DType::F8_E4M3: return "F8_E4M3";
    case DType::F8_E5M2: return "F8_E5M2";
    case DType::I8: return "I8";
    case DType::U8: return "U8";
    case DType::I16: return "I16";
    case DType::U16: return "U16";
    case DType::I32: return "I32";
    case DType::U32: return "U32";
    case DType::I64: return "I64";
    case DType::U64: return "U64";
    case DType::Bool: return "BOOL";
    case DType::GGML_Q4_0: return "Q4_0";
    case DType::GGML_Q4_1: return "Q4_1";
    case DType::GGML_Q5_0: return "Q5_0";
    case DType::GGML_Q5_1: return "Q5_1";
    case DType::GGML_Q8_0: return "Q8_0";
    case DType::GGML_Q8_1: return "Q8_1";
    case DType::GGML_Q2_K: return "Q2_K";
    case DType::GGML_Q3_K: return "Q3_K";
    case DType::GGML_Q4_K: return "Q4_K";
    case DType::GGML_Q5_K: return "Q5_K";
    case DType::GGML_Q6_K: return "Q6_K";
    case DType::GGML_Q8_K: return "Q8_K";
    case DType::GGML_IQ4_NL: return "IQ4_NL";
    case DType::GGML_IQ4_XS: return "IQ4_XS";
    case DType::GGML_MXFP4: return "MXFP4";
    case DType::GGML_NVFP4: return "NVFP4";
    case DType::GGML_TQ1_0: return "TQ1_0";
    case DType::GGML_TQ2_0: return "TQ2_0";
    case DType::GGML_IQ2_XXS: return "IQ2_XXS";
    case DType::GGML_IQ2_XS: return "IQ2_XS";
    case DType::GGML_IQ2_S: return "IQ2_S";
    case DType::GGML_IQ3_XXS: return "IQ3_XXS";
    case DType::GGML_IQ3_S: return "IQ3_S";
    case DType::GGML_IQ1_S: return "IQ1_S";
    case DType::GGML_IQ1_M: return "IQ1_M";
    case DType::Unknown: break;
    }
    return "unknown";
}

double dtype_bits(DType t) {
    switch (t) {
    case DType::F32: case DType::I32: case DType::U32: return 32;
    case DType::F16: case DType::BF16: case DType::I16: case DType::U16: return 16;
    case DType::F64: case DType::I64: case DType::U64: return 64;
    case DType::F8_E4M3: case DType::F8_E5M2: case DType::I8: case DType::U8: case DType::Bool: return 8;
    // ggml blocks: bytes per block * 8 / values per block
    case DType::GGML_Q4_0: return 18.0 * 8 / 32;
    case DType::GGML_Q4_1: return 20.0 * 8 / 32;
    case DType::GGML_Q5_0: return 22.0 * 8 / 32;
    case DType::GGML_Q5_1: return 24.0 * 8 / 32;
    case DType::GGML_Q8_0: return 34.0 * 8 / 32;
    case DType::GGML_Q8_1: return 36.0 * 8 / 32;
    case DType::GGML_Q2_K: return 84.0 * 8 / 256;
    case DType::GGML_Q3_K: return 110.0 * 8 / 256;
    case DType::GGML_Q4_K: return 144.0 * 8 / 256;
    case DType::GGML_Q5_K: return 176.0 * 8 / 256;
    case DType::GGML_Q6_K: return 210.0 * 8 / 256;
    case DType::GGML_Q8_K: return 292.0 * 8 / 256;
    case DType::GGML_IQ4_NL: return 18.0 * 8 / 32;
    case DType::GGML_IQ4_XS: return 136.0 * 8 / 256;
    case DType::GGML_MXFP4: return 17.0 * 8 / 32;
    case DType::GGML_NVFP4: return 36.0 * 8 / 64;
    case DType::GGML_TQ1_0: return 54.0 * 8 / 256;
    case DType::GGML_TQ2_0: return 66.0 * 8 / 256;
    case DType::GGML_IQ2_XXS: return 66.0 * 8 / 256;
    case DType::GGML_IQ2_XS: return 74.0 * 8 / 256;
    case DType::GGML_IQ2_S: return 82.0 * 8 / 256;
    case DType::GGML_IQ3_XXS: return 98.0 * 8 / 256;
    case DType::GGML_IQ3_S: return 110.0 * 8 / 256;
    case DType::GGML_IQ1_S: return 50.0 * 8 / 256;
    case DType::GGML_IQ1_M: return 56.0 * 8 / 256;
    case DType::Unknown: break;
    }
    return 0;
}

Tensor::Tensor(std::string n, std::vector<std::int64_t> s, DType src)
    : name(std::move(n)), shape(std::move(s)), source_dtype(src) {
    std::int64_t count = 0;
    if (!checked_numel(shape, count)) count = 0;
    values.assign(static_cast<std::size_t>(count), 0.0f);
}

bool checked_numel(const std::vector<std::int64_t>& shape, std::int64_t& out) {
    std::int64_t n = 1;
    for (std::int64_t d : shape) {
        if (d < 0) return false;
        if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d) return false;
        n *= d;
    }
    out = n;
    return true;
}

std::int64_t numel_of(const std::vector<std::int64_t>& shape) {
    std::int64_t n = 0;
    if (!checked_numel(shape, n)) throw std::invalid_argument("tensor shape overflows");
    return n;
}

std::int64_t Tensor::numel() const {
    std::int64_t n = 0;
    return checked_numel(shape, n) ? n : 0;
}

std::int64_t Tensor::rows() const {
    if (shape.size() <= 1) return shape.empty() ? 1 : (shape[0] == 0 ? 0 : 1);
    std::int64_t r = 1;
    for (std::size_t i = 0; i + 1 < shape.size(); ++i) r *= shape[i];
    return r;
}

std::int64_t Tensor::cols() const { return shape.empty() ? 1 : shape.back(); }

std::string Tensor::shape_string() const {
    if (shape.empty()) return "scalar";
    std::string s;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += 'x';
        s += std::to_string(shape[i]);
    }
    return s;
}

bool parse_shape(std::string_view text, std::vector<std::int64_t>& out) {
    out.clear();
    if (text.empty()) return false;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find_first_of("x,X*", pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view part = text.substr(pos, end - pos);
        if (part.empty()) return false;
        std::int64_t v = 0;
        auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
        if (ec != std::errc() || p != part.data() + part.size() || v <= 0) return false;
        out.push_back(v);
        if (out.size() > static_cast<std::size_t>(kMaxRank)) return false;
        pos = end + 1;
        if (end == text.size()) break;
    }
    std::int64_t n = 0;
    return !out.empty() && checked_numel(out, n);
}

} // namespace ql
