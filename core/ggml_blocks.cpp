// Bounds-checked decoding of ggml block rows (see ggml_blocks.h).
#include "core/ggml_blocks.h"

#include <cstring>
#include <limits>
#include <string>

namespace ql::ggml {
namespace {

template <class Block, int QK>
void decode(const std::uint8_t* p, std::int64_t count, float* out) {
    const std::int64_t whole = count / QK;
    Block b;
    for (std::int64_t i = 0; i < whole; ++i) {
        std::memcpy(&b, p + i * static_cast<std::int64_t>(sizeof(Block)), sizeof(Block));  // bytes may be unaligned
        dequantize_block(b, out + i * QK);
    }
    if (const std::int64_t rest = count - whole * QK; rest > 0) {
        float tmp[QK];
        std::memcpy(&b, p + whole * static_cast<std::int64_t>(sizeof(Block)), sizeof(Block));
        dequantize_block(b, tmp);
        std::memcpy(out + whole * QK, tmp, static_cast<std::size_t>(rest) * sizeof(float));
    }
}

} // namespace

std::optional<BlockLayout> block_layout(DType type) {
    switch (type) {
    case DType::GGML_Q4_0: return BlockLayout{kQK4_0, sizeof(BlockQ4_0)};
    case DType::GGML_Q4_1: return BlockLayout{kQK4_1, sizeof(BlockQ4_1)};
    case DType::GGML_Q5_0: return BlockLayout{kQK5_0, sizeof(BlockQ5_0)};
    case DType::GGML_Q5_1: return BlockLayout{kQK5_1, sizeof(BlockQ5_1)};
    case DType::GGML_Q8_0: return BlockLayout{kQK8_0, sizeof(BlockQ8_0)};
    case DType::GGML_Q2_K: return BlockLayout{kQK_K, sizeof(BlockQ2_K)};
    case DType::GGML_Q3_K: return BlockLayout{kQK_K, sizeof(BlockQ3_K)};
    case DType::GGML_Q4_K: return BlockLayout{kQK_K, sizeof(BlockQ4_K)};
    case DType::GGML_Q5_K: return BlockLayout{kQK_K, sizeof(BlockQ5_K)};
    case DType::GGML_Q6_K: return BlockLayout{kQK_K, sizeof(BlockQ6_K)};
    case DType::GGML_IQ4_NL: return BlockLayout{kQK4_NL, sizeof(BlockIQ4_NL)};
    case DType::GGML_IQ4_XS: return BlockLayout{kQK_K, sizeof(BlockIQ4_XS)};
    case DType::GGML_MXFP4: return BlockLayout{kQK_MXFP4, sizeof(BlockMXFP4)};
    case DType::GGML_NVFP4: return BlockLayout{kQK_NVFP4, sizeof(BlockNVFP4)};
    case DType::GGML_TQ1_0: return BlockLayout{kQK_K, sizeof(BlockTQ1_0)};
    case DType::GGML_TQ2_0: return BlockLayout{kQK_K, sizeof(BlockTQ2_0)};
    default: return std::nullopt;
    }
}

std::optional<std::uint64_t> bytes_for(DType type, std::int64_t count) {
    const auto L = block_layout(type);
    if (!L || count < 0) return std::nullopt;
    const std::uint64_t blocks = (static_cast<std::uint64_t>(count) + static_cast<std::uint64_t>(L->values) - 1) /
                                 static_cast<std::uint64_t>(L->values);
    if (blocks > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(L->bytes)) return std::nullopt;
    return blocks * static_cast<std::uint64_t>(L->bytes);
}

Status dequantize(DType type, std::span<const std::uint8_t> bytes, std::int64_t count, std::span<float> out,
                  std::string_view what) {
    const std::string file(what);
    const std::string tname(dtype_name(type));
    const auto L = block_layout(type);
    if (!L) return make_error(file, "tensor type " + tname + " is not a ggml block type QuantLens decodes");
    if (count < 0) return make_error(file, "negative value count " + std::to_string(count));
    const auto need = bytes_for(type, count);
    if (!need) return make_error(file, std::to_string(count) + " values of " + tname + " overflow a 64-bit byte count");
    const std::string rule_head = tname + ": " + std::to_string(count) + " values need " +
                                  std::to_string(*need / static_cast<std::uint64_t>(L->bytes)) + " blocks of " +
                                  std::to_string(L->bytes) + " bytes = " + std::to_string(*need) + " bytes, got " +
                                  std::to_string(bytes.size());
    if (bytes.size() < *need) return make_error(file, bytes.size(), rule_head + " (data ends early)");
    if (bytes.size() > *need) return make_error(file, *need, rule_head + " (bytes left over)");
    if (out.size() < static_cast<std::uint64_t>(count))
        return make_error(file, tname + ": output holds " + std::to_string(out.size()) + " floats, " + std::to_string(count) +
                                    " needed");
    const std::uint8_t* p = bytes.data();
    float* y = out.data();
    switch (type) {
    case DType::GGML_Q4_0: decode<BlockQ4_0, kQK4_0>(p, count, y); break;
    case DType::GGML_Q4_1: decode<BlockQ4_1, kQK4_1>(p, count, y); break;
    case DType::GGML_Q5_0: decode<BlockQ5_0, kQK5_0>(p, count, y); break;
    case DType::GGML_Q5_1: decode<BlockQ5_1, kQK5_1>(p, count, y); break;
    case DType::GGML_Q8_0: decode<BlockQ8_0, kQK8_0>(p, count, y); break;
    case DType::GGML_Q2_K: decode<BlockQ2_K, kQK_K>(p, count, y); break;
    case DType::GGML_Q3_K: decode<BlockQ3_K, kQK_K>(p, count, y); break;
    case DType::GGML_Q4_K: decode<BlockQ4_K, kQK_K>(p, count, y); break;
    case DType::GGML_Q5_K: decode<BlockQ5_K, kQK_K>(p, count, y); break;
    case DType::GGML_Q6_K: decode<BlockQ6_K, kQK_K>(p, count, y); break;
    case DType::GGML_IQ4_NL: decode<BlockIQ4_NL, kQK4_NL>(p, count, y); break;
    case DType::GGML_IQ4_XS: decode<BlockIQ4_XS, kQK_K>(p, count, y); break;
    case DType::GGML_MXFP4: decode<BlockMXFP4, kQK_MXFP4>(p, count, y); break;
    case DType::GGML_NVFP4: decode<BlockNVFP4, kQK_NVFP4>(p, count, y); break;
    case DType::GGML_TQ1_0: decode<BlockTQ1_0, kQK_K>(p, count, y); break;
    case DType::GGML_TQ2_0: decode<BlockTQ2_0, kQK_K>(p, count, y); break;
    default: break;
    }
    return Ok{};
}

} // namespace ql::ggml
