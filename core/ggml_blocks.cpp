// Bounds-checked decoding of ggml block rows (see ggml_blocks.h).
#include "core/ggml_blocks.h"

#include "core/ggml_iq_grids.h"

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
    case DType::GGML_IQ2_XXS: return BlockLayout{kQK_K, sizeof(BlockIQ2_XXS)};
    case DType::GGML_IQ2_XS: return BlockLayout{kQK_K, sizeof(BlockIQ2_XS)};
    case DType::GGML_IQ2_S: return BlockLayout{kQK_K, sizeof(BlockIQ2_S)};
    case DType::GGML_IQ3_XXS: return BlockLayout{kQK_K, sizeof(BlockIQ3_XXS)};
    case DType::GGML_IQ3_S: return BlockLayout{kQK_K, sizeof(BlockIQ3_S)};
    case DType::GGML_IQ1_S: return BlockLayout{kQK_K, sizeof(BlockIQ1_S)};
    case DType::GGML_IQ1_M: return BlockLayout{kQK_K, sizeof(BlockIQ1_M)};
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
    case DType::GGML_IQ2_XXS: decode<BlockIQ2_XXS, kQK_K>(p, count, y); break;
    case DType::GGML_IQ2_XS: decode<BlockIQ2_XS, kQK_K>(p, count, y); break;
    case DType::GGML_IQ2_S: decode<BlockIQ2_S, kQK_K>(p, count, y); break;
    case DType::GGML_IQ3_XXS: decode<BlockIQ3_XXS, kQK_K>(p, count, y); break;
    case DType::GGML_IQ3_S: decode<BlockIQ3_S, kQK_K>(p, count, y); break;
    case DType::GGML_IQ1_S: decode<BlockIQ1_S, kQK_K>(p, count, y); break;
    case DType::GGML_IQ1_M: decode<BlockIQ1_M, kQK_K>(p, count, y); break;
    default: break;
    }
    return Ok{};
}

// ---- the i-quants below 4 bits ------------------------------------------------------------------------

namespace {
// v or -v as bit j of signs says (ggml multiplies by -1.f or 1.f, which is exact either way)
float signed_value(float v, unsigned signs, int j) { return (signs >> j) & 1u ? -v : v; }
// an IQ2 / IQ3_XXS sub-block scale: d (1/2 + s) unit, in ggml's order
float iq_scale(float d, unsigned s, float unit) { return d * (0.5f + static_cast<float>(s)) * unit; }
// 8 IQ1 values: dl (level + delta) for each level of the codebook entry
void iq1_group(std::uint16_t entry, float dl, float delta, float* y) {
    for (int j = 0; j < 8; ++j) y[j] = dl * (static_cast<float>(iq1_grid_value(entry, j)) + delta);
}
std::uint32_t word32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 | static_cast<std::uint32_t>(p[2]) << 16 |
           static_cast<std::uint32_t>(p[3]) << 24;
}
} // namespace

void dequantize_block(const BlockIQ2_XXS& b, float* y) {
    const float d = half_to_float(b.d);
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const std::uint32_t idx = b.qs[4 * ib] | static_cast<std::uint32_t>(b.qs[4 * ib + 1]) << 16;
        const std::uint32_t aux = b.qs[4 * ib + 2] | static_cast<std::uint32_t>(b.qs[4 * ib + 3]) << 16;
        const float db = iq_scale(d, aux >> 28, 0.25f);
        for (int l = 0; l < 4; ++l) {
            const std::uint16_t e = kIq2xxsGrid[(idx >> (8 * l)) & 255u];
            const unsigned s = iq_signs(aux >> (7 * l));
            for (int j = 0; j < 8; ++j) y[8 * l + j] = signed_value(db * static_cast<float>(iq2_grid_value(e, j)), s, j);
        }
    }
}

void dequantize_block(const BlockIQ2_XS& b, float* y) {
    const float d = half_to_float(b.d);
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const float db[2] = {iq_scale(d, b.scales[ib] & 0xFu, 0.25f), iq_scale(d, b.scales[ib] >> 4, 0.25f)};
        for (int l = 0; l < 4; ++l) {
            const std::uint16_t q = b.qs[4 * ib + l];
            const std::uint16_t e = kIq2xsGrid[q & 511u];
            const unsigned s = iq_signs(q >> 9);
            for (int j = 0; j < 8; ++j) y[8 * l + j] = signed_value(db[l / 2] * static_cast<float>(iq2_grid_value(e, j)), s, j);
        }
    }
}

void dequantize_block(const BlockIQ2_S& b, float* y) {
    const float d = half_to_float(b.d);
    const std::uint8_t* signs = b.qs + kQK_K / 8;
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const float db[2] = {iq_scale(d, b.scales[ib] & 0xFu, 0.25f), iq_scale(d, b.scales[ib] >> 4, 0.25f)};
        for (int l = 0; l < 4; ++l) {
            const unsigned index = b.qs[4 * ib + l] | ((static_cast<unsigned>(b.qh[ib]) >> (2 * l) & 3u) << 8);
            const std::uint16_t e = kIq2sGrid[index];
            for (int j = 0; j < 8; ++j)
                y[8 * l + j] = signed_value(db[l / 2] * static_cast<float>(iq2_grid_value(e, j)), signs[4 * ib + l], j);
        }
    }
}

void dequantize_block(const BlockIQ3_XXS& b, float* y) {
    const float d = half_to_float(b.d);
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const std::uint32_t aux = word32(b.qs + kQK_K / 4 + 4 * ib);
        const float db = iq_scale(d, aux >> 28, 0.5f);
        for (int l = 0; l < 4; ++l) {
            const unsigned s = iq_signs(aux >> (7 * l));
            const std::uint16_t e1 = kIq3xxsGrid[b.qs[8 * ib + 2 * l]], e2 = kIq3xxsGrid[b.qs[8 * ib + 2 * l + 1]];
            for (int j = 0; j < 4; ++j) {
                y[8 * l + j] = signed_value(db * static_cast<float>(iq3xxs_grid_value(e1, j)), s, j);
                y[8 * l + j + 4] = signed_value(db * static_cast<float>(iq3xxs_grid_value(e2, j)), s, j + 4);
            }
        }
    }
}

void dequantize_block(const BlockIQ3_S& b, float* y) {
    const float d = half_to_float(b.d);
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const float db = d * static_cast<float>(1 + 2 * ((b.scales[ib / 2] >> (4 * (ib % 2))) & 0xF));
        for (int l = 0; l < 4; ++l) {
            const unsigned s = b.signs[4 * ib + l];
            for (int h = 0; h < 2; ++h) {
                const unsigned index = b.qs[8 * ib + 2 * l + h] | ((static_cast<unsigned>(b.qh[ib]) >> (2 * l + h) & 1u) << 8);
                const std::uint16_t e = kIq3sGrid[index];
                for (int j = 0; j < 4; ++j)
                    y[8 * l + 4 * h + j] = signed_value(db * static_cast<float>(iq3s_grid_value(e, j)), s, 4 * h + j);
            }
        }
    }
}

void dequantize_block(const BlockIQ1_S& b, float* y) {
    const float d = half_to_float(b.d);
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const unsigned qh = b.qh[ib];
        const float dl = d * static_cast<float>(2 * ((qh >> 12) & 7u) + 1);
        const float delta = qh & 0x8000u ? -kIq1Delta : kIq1Delta;
        for (int l = 0; l < 4; ++l) {
            iq1_group(kIq1sGrid[b.qs[4 * ib + l] | (((qh >> (3 * l)) & 7u) << 8)], dl, delta, y + 8 * l);
        }
    }
}

void dequantize_block(const BlockIQ1_M& b, float* y) {
    std::uint16_t sc[4];
    for (int k = 0; k < 4; ++k) sc[k] = static_cast<std::uint16_t>(b.scales[2 * k] | b.scales[2 * k + 1] << 8);
    // d's four nibbles are the top nibbles of the four scale words, lowest first
    const auto dbits = static_cast<std::uint16_t>((sc[0] >> 12) | ((sc[1] >> 8) & 0x00F0) | ((sc[2] >> 4) & 0x0F00) | (sc[3] & 0xF000));
    const float d = half_to_float(dbits);
    for (int ib = 0; ib < kQK_K / 32; ++ib, y += 32) {
        const unsigned s = sc[ib / 2] >> (6 * (ib % 2));
        const float dl[2] = {d * static_cast<float>(2 * (s & 7u) + 1), d * static_cast<float>(2 * ((s >> 3) & 7u) + 1)};
        for (int l = 0; l < 4; ++l) {
            // the group's high index bits and shift sign: the low (l even) or high (l odd) nibble of qh[2 ib + l / 2]
            const unsigned nib = (b.qh[2 * ib + l / 2] >> (4 * (l % 2))) & 0xFu;
            iq1_group(kIq1sGrid[b.qs[4 * ib + l] | ((nib & 7u) << 8)], dl[l / 2], nib & 8u ? -kIq1Delta : kIq1Delta, y + 8 * l);
        }
    }
}

} // namespace ql::ggml
