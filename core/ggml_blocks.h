// ggml's packed block layouts (ggml-common.h) and their dequantizers (ggml-quants.c dequantize_row_*),
// written from the layouts' definitions: the GGUF loader decodes quantized tensors with them and the
// ggml-format quantizers (core/ggml_quants.h) produce and read back the very same bytes.
//
// Every struct matches ggml's byte for byte (static_assert on the size; fields are uint8/uint16 only,
// so there is no padding); multi-byte fields are little-endian as in GGUF files, which is what a
// memcpy gives on the little-endian machines QuantLens runs on. Scales are IEEE binary16 bit patterns.
//
// The per-block decoders are QL_HD so the CUDA path can run the same arithmetic. They evaluate the
// same float32 expressions in the same order as ggml's reference (e.g. Q4_K: d1 * q - m1, with
// d1 = d * sc computed first), so with -ffp-contract=off the floats are identical.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/half.h"
#include "core/ql_hd.h"
#include "core/result.h"
#include "core/tensor.h"

namespace ql::ggml {

constexpr int kQK4_0 = 32;   // values per Q4_0 block
constexpr int kQK4_1 = 32;
constexpr int kQK5_0 = 32;
constexpr int kQK5_1 = 32;
constexpr int kQK8_0 = 32;
constexpr int kQK4_NL = 32;
constexpr int kQK_K = 256;   // values per k-quant super-block
constexpr int kKScaleSize = 12;  // bytes of the packed 6-bit scales and mins of Q4_K / Q5_K

// Q4_0: x = d * (q - 8), q in 0..15. 4.5 bits per weight.
struct BlockQ4_0 {
    std::uint16_t d;                  // fp16 scale (delta)
    std::uint8_t qs[kQK4_0 / 2];      // nibbles: value j in the low nibble of qs[j], value j + 16 in the high nibble
};
static_assert(sizeof(BlockQ4_0) == 18, "block_q4_0 is 18 bytes");

// Q4_1: x = d * q + m, q in 0..15. 5 bits per weight.
struct BlockQ4_1 {
    std::uint16_t d;                  // fp16 scale
    std::uint16_t m;                  // fp16 minimum (offset added to every value)
    std::uint8_t qs[kQK4_1 / 2];      // nibbles as in Q4_0
};
static_assert(sizeof(BlockQ4_1) == 20, "block_q4_1 is 20 bytes");

// Q5_0: x = d * (q - 16), q in 0..31. 5.5 bits per weight.
struct BlockQ5_0 {
    std::uint16_t d;                  // fp16 scale
    std::uint8_t qh[4];               // 5th bit of value j at bit j of this little-endian uint32
    std::uint8_t qs[kQK5_0 / 2];      // low 4 bits, nibbles as in Q4_0
};
static_assert(sizeof(BlockQ5_0) == 22, "block_q5_0 is 22 bytes");

// Q5_1: x = d * q + m, q in 0..31. 6 bits per weight.
struct BlockQ5_1 {
    std::uint16_t d;                  // fp16 scale
    std::uint16_t m;                  // fp16 minimum
    std::uint8_t qh[4];               // 5th bits as in Q5_0
    std::uint8_t qs[kQK5_1 / 2];      // low 4 bits
};
static_assert(sizeof(BlockQ5_1) == 24, "block_q5_1 is 24 bytes");

// Q8_0: x = d * q, q in -128..127 (the reference quantizer produces -127..127). 8.5 bits per weight.
struct BlockQ8_0 {
    std::uint16_t d;                  // fp16 scale
    std::int8_t qs[kQK8_0];           // one signed byte per value
};
static_assert(sizeof(BlockQ8_0) == 34, "block_q8_0 is 34 bytes");

// Q2_K: 16 sub-blocks of 16; x = d * sc * q - dmin * m, q in 0..3, sc and m 4 bits. 2.625 bits per weight.
struct BlockQ2_K {
    std::uint8_t scales[kQK_K / 16];  // sub-block j: scale in the low nibble, min in the high nibble
    std::uint8_t qs[kQK_K / 4];       // 2-bit quants, 4 per byte (see dequantize_block)
    std::uint16_t d;                  // fp16 super-block scale of the scales
    std::uint16_t dmin;               // fp16 super-block scale of the mins
};
static_assert(sizeof(BlockQ2_K) == 84, "block_q2_K is 84 bytes");

// Q3_K: 16 sub-blocks of 16; x = d * (sc - 32) * (q - 4), q in 0..7, sc 6 bits. 3.4375 bits per weight.
struct BlockQ3_K {
    std::uint8_t hmask[kQK_K / 8];    // high (3rd) bit of each quant; set means q >= 4
    std::uint8_t qs[kQK_K / 4];       // low 2 bits of each quant
    std::uint8_t scales[12];          // 16 6-bit scales: low nibbles in bytes 0..7, high 2 bits in bytes 8..11
    std::uint16_t d;                  // fp16 super-block scale
};
static_assert(sizeof(BlockQ3_K) == 110, "block_q3_K is 110 bytes");

// Q4_K: 8 sub-blocks of 32; x = d * sc * q - dmin * m, q in 0..15, sc and m 6 bits. 4.5 bits per weight.
struct BlockQ4_K {
    std::uint16_t d;                  // fp16 super-block scale of the 6-bit scales
    std::uint16_t dmin;               // fp16 super-block scale of the 6-bit mins
    std::uint8_t scales[kKScaleSize]; // 8 scales and 8 mins, 6 bits each (see scale_min_k4)
    std::uint8_t qs[kQK_K / 2];       // 4-bit quants: per 64 values, 32 bytes, low nibbles first
};
static_assert(sizeof(BlockQ4_K) == 144, "block_q4_K is 144 bytes");

// Q5_K: as Q4_K with a 5th bit per quant, q in 0..31. 5.5 bits per weight.
struct BlockQ5_K {
    std::uint16_t d;                  // fp16 super-block scale of the scales
    std::uint16_t dmin;               // fp16 super-block scale of the mins
    std::uint8_t scales[kKScaleSize]; // packed 6-bit scales and mins as in Q4_K
    std::uint8_t qh[kQK_K / 8];       // 5th bits: value l of sub-block pair p at bit 2p (low) / 2p+1 (high) of qh[l]
    std::uint8_t qs[kQK_K / 2];       // low 4 bits as in Q4_K
};
static_assert(sizeof(BlockQ5_K) == 176, "block_q5_K is 176 bytes");

// Q6_K: 16 sub-blocks of 16; x = d * sc * (q - 32), q in 0..63, sc signed 8 bits. 6.5625 bits per weight.
struct BlockQ6_K {
    std::uint8_t ql[kQK_K / 2];       // low 4 bits of the quants
    std::uint8_t qh[kQK_K / 4];       // high 2 bits of the quants
    std::int8_t scales[kQK_K / 16];   // signed sub-block scales
    std::uint16_t d;                  // fp16 super-block scale
};
static_assert(sizeof(BlockQ6_K) == 210, "block_q6_K is 210 bytes");

// IQ4_NL: x = d * kvalues_iq4nl[q], q in 0..15 (a non-uniform 4-bit codebook). 4.5 bits per weight.
struct BlockIQ4_NL {
    std::uint16_t d;                  // fp16 scale
    std::uint8_t qs[kQK4_NL / 2];     // codebook indices, nibbles as in Q4_0
};
static_assert(sizeof(BlockIQ4_NL) == 18, "block_iq4_nl is 18 bytes");

// IQ4_XS: the IQ4_NL codebook in super-blocks of 256 with a 6-bit scale per 32 values:
// x = d * (ls - 32) * kvalues_iq4nl[q], ls = 4 low bits from scales_l, 2 high bits from scales_h.
// 136 bytes per 256 values = 4.25 bits per weight.
struct BlockIQ4_XS {
    std::uint16_t d;                  // fp16 super-block scale
    std::uint16_t scales_h;           // 2 high bits of each sub-block's scale, sub-block ib at bits 2ib
    std::uint8_t scales_l[kQK_K / 64];// 4 low bits of each scale, sub-block ib in nibble ib % 2 of byte ib / 2
    std::uint8_t qs[kQK_K / 2];       // codebook indices, per sub-block of 32 the nibbles as in Q4_0
};
static_assert(sizeof(BlockIQ4_XS) == 136, "block_iq4_xs is 136 bytes");

// MXFP4 as GGUF stores it (OCP MX v1.0 with ggml's layout): per 32 values one E8M0 exponent byte e
// (X = 2^(e - 127)) and 16 bytes of E2M1 codes, value j in the low and j + 16 in the high nibble.
// 17 bytes per 32 values = 4.25 bits per weight. Decoded only (gpt-oss and other MXFP4 files).
constexpr int kQK_MXFP4 = 32;
struct BlockMXFP4 {
    std::uint8_t e;                   // E8M0 shared exponent
    std::uint8_t qs[kQK_MXFP4 / 2];   // E2M1 codes: bit 3 sign, bits 0-2 magnitude
};
static_assert(sizeof(BlockMXFP4) == 17, "block_mxfp4 is 17 bytes");

// NVFP4 as GGUF stores it (llama.cpp's block_nvfp4): per 64 values four UE4M3 scale bytes, one per 16
// values, and 32 bytes of E2M1 codes; within sub-block s (bytes 8s .. 8s + 7) value j sits in the low and
// value j + 8 in the high nibble. No per-tensor scale (ModelOpt's second level is not stored). 36 bytes per
// 64 values = 4.5 bits per weight. Decoded only.
constexpr int kQK_NVFP4 = 64;
struct BlockNVFP4 {
    std::uint8_t d[kQK_NVFP4 / 16];   // UE4M3 scale of each sub-block of 16
    std::uint8_t qs[kQK_NVFP4 / 2];   // E2M1 codes: bit 3 sign, bits 0-2 magnitude
};
static_assert(sizeof(BlockNVFP4) == 36, "block_nvfp4 is 36 bytes");

// TQ1_0 and TQ2_0 (ternary weights, BitNet b1.58 and TriLM models): every value is d * t, t in {-1, 0, 1},
// with one fp16 d per 256 values. TQ2_0 keeps t + 1 in 2 bits (per 128 values, byte m holds values m,
// m + 32, m + 64, m + 96 in bits 0-1 .. 6-7): 66 bytes = 2.0625 bits per weight. TQ1_0 packs 5 trits per
// byte as a base-3 fraction (byte b = ceil(256 * t0 t1 t2 t3 t4 (base 3) / 243)): 48 such bytes for
// values 0-239 (bytes 0-31 give values 32n + m, bytes 32-47 values 160 + 16n + m, for trit n) and 4 bytes
// of 4 trits for values 240 + 4n + j: 54 bytes = 1.6875 bits per weight. Decoded only.
struct BlockTQ1_0 {
    std::uint8_t qs[(kQK_K - 4 * kQK_K / 64) / 5]; // 48 bytes of 5 trits
    std::uint8_t qh[kQK_K / 64];                   // 4 bytes of 4 trits
    std::uint16_t d;                               // fp16 scale
};
static_assert(sizeof(BlockTQ1_0) == 54, "block_tq1_0 is 54 bytes");
struct BlockTQ2_0 {
    std::uint8_t qs[kQK_K / 4];       // 2 bits per value: t + 1
    std::uint16_t d;                  // fp16 scale
};
static_assert(sizeof(BlockTQ2_0) == 66, "block_tq2_0 is 66 bytes");

// The i-quants below 4 bits (llama.cpp's IQ1_S, IQ1_M, IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S): each
// stored index picks 8 (IQ1, IQ2) or 4 (IQ3) values at once from a fixed codebook (core/ggml_iq_grids.h),
// with signs stored apart (IQ2, IQ3: 7 bits per 8 values and an even count of minus signs, or 8 bits in
// IQ2_S and IQ3_S) or a shift of +-1/8 (IQ1). One fp16 d per 256 values (IQ1_M spreads it over the top
// nibbles of its scales) and a small scale per 32 or 16 values. Decoded only; the layouts are those of
// ggml's block_iq*, read by the dequantize_block overloads below (core/ggml_blocks.cpp).
struct BlockIQ2_XXS {
    std::uint16_t d;
    std::uint16_t qs[kQK_K / 8];      // per 32 values: 4 index bytes, then 4 x 7 sign bits and a 4-bit scale
};
static_assert(sizeof(BlockIQ2_XXS) == 66, "block_iq2_xxs is 66 bytes");
struct BlockIQ2_XS {
    std::uint16_t d;
    std::uint16_t qs[kQK_K / 8];      // per 8 values: a 9-bit index and 7 sign bits
    std::uint8_t scales[kQK_K / 32];  // two 4-bit scales per 32 values (16 each)
};
static_assert(sizeof(BlockIQ2_XS) == 74, "block_iq2_xs is 74 bytes");
struct BlockIQ2_S {
    std::uint16_t d;
    std::uint8_t qs[kQK_K / 4];       // 32 low index bytes, then 32 sign bytes (one per 8 values)
    std::uint8_t qh[kQK_K / 32];      // the indices' top 2 bits, 4 per byte
    std::uint8_t scales[kQK_K / 32];
};
static_assert(sizeof(BlockIQ2_S) == 82, "block_iq2_s is 82 bytes");
struct BlockIQ3_XXS {
    std::uint16_t d;
    std::uint8_t qs[3 * kQK_K / 8];   // 64 index bytes (4 values each), then per 32 values 4 x 7 sign bits and a 4-bit scale
};
static_assert(sizeof(BlockIQ3_XXS) == 98, "block_iq3_xxs is 98 bytes");
struct BlockIQ3_S {
    std::uint16_t d;
    std::uint8_t qs[kQK_K / 4];       // low index bytes (4 values each)
    std::uint8_t qh[kQK_K / 32];      // the indices' ninth bits, 8 per byte
    std::uint8_t signs[kQK_K / 8];    // one sign bit per value
    std::uint8_t scales[kQK_K / 64];  // two 4-bit scales per 64 values
};
static_assert(sizeof(BlockIQ3_S) == 110, "block_iq3_s is 110 bytes");
struct BlockIQ1_S {
    std::uint16_t d;
    std::uint8_t qs[kQK_K / 8];       // low index bytes (8 values each)
    std::uint16_t qh[kQK_K / 32];     // per 32 values: 4 x 3 high index bits, a 3-bit scale, the shift's sign
};
static_assert(sizeof(BlockIQ1_S) == 50, "block_iq1_s is 50 bytes");
struct BlockIQ1_M {
    std::uint8_t qs[kQK_K / 8];       // low index bytes (8 values each)
    std::uint8_t qh[kQK_K / 16];      // per 8 values: 3 high index bits and the shift's sign, 2 to a byte
    std::uint8_t scales[kQK_K / 32];  // 3-bit scales per 16 values; the top nibbles of the four 16-bit words hold d
};
static_assert(sizeof(BlockIQ1_M) == 56, "block_iq1_m is 56 bytes");
// The shift of every IQ1 value from its codebook level, in units of the scale.
constexpr float kIq1Delta = 0.125f;

// Half a UE4M3 scale byte, as llama.cpp reads it (the E2M1 values below are doubled): 0x00 and 0x7F
// (NaN) are 0; bit 7 is ignored; exponent bits 6-3 with bias 7, mantissa bits 2-0, subnormal below
// exponent 1. Every result is exact in float.
QL_HD float ue4m3_half_scale(std::uint8_t x) {
    if (x == 0 || x == 0x7F) return 0.0f;
    const int e = (x >> 3) & 0xF, m = x & 0x7;
    // m 2^-9 or (1 + m / 8) 2^(e - 7), halved: m 2^-10 or (8 + m) 2^(e - 11)
    const std::uint32_t p = e == 0 ? 127u - 10u : static_cast<std::uint32_t>(127 + e - 11);
    return static_cast<float>(e == 0 ? m : 8 + m) * bits_float(p << 23);
}
// The trit (0, 1, 2 = t + 1) in the top of a base-3 fraction byte times 3^n, as TQ1_0 stores it.
QL_HD int tq1_trit(std::uint8_t byte, int n) {
    constexpr std::uint8_t pow3[5] = {1, 3, 9, 27, 81};
    const auto q = static_cast<std::uint8_t>(byte * pow3[n]);  // modulo 256
    return (q * 3) >> 8;
}

// E2M1 code -> twice its value (0, 0.5, 1, 1.5, 2, 3, 4, 6 doubled, then the negatives): integers, as
// ggml's kvalues_mxfp4, so the block scale carries the factor 1/2.
QL_HD int mxfp4_doubled_value(int i) {
    constexpr std::int8_t v[16] = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};
    return v[i & 15];
}
// Half the E8M0 scale, 2^(e - 128), exactly (e = 0 and 1 give the subnormals 2^-128 and 2^-127; 255 gives
// 2^127: GGUF files carry no NaN scale).
QL_HD float e8m0_half_scale(std::uint8_t e) {
    return bits_float(e < 2 ? (0x00200000u << e) : static_cast<std::uint32_t>(e - 1) << 23);
}

// The IQ4_NL codebook (ggml's kvalues_iq4nl), ascending.
QL_HD int iq4nl_value(int i) {
    constexpr std::int8_t v[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
    return v[i & 15];
}

// The 6-bit scale and min of sub-block j (0..7) of a Q4_K / Q5_K block: j < 4 in the low 6 bits of
// bytes j and j + 4; j >= 4 in the nibbles of byte j + 4 with their top 2 bits in the top bits of
// bytes j - 4 (scale) and j (min).
QL_HD void scale_min_k4(int j, const std::uint8_t* q, std::uint8_t& sc, std::uint8_t& m) {
    if (j < 4) {
        sc = static_cast<std::uint8_t>(q[j] & 63);
        m = static_cast<std::uint8_t>(q[j + 4] & 63);
    } else {
        sc = static_cast<std::uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        m = static_cast<std::uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// ---- one block -> its values (y[0, QK)) -------------------------------------------------------------

QL_HD void dequantize_block(const BlockQ4_0& b, float* y) {
    const float d = half_to_float(b.d);
    for (int j = 0; j < kQK4_0 / 2; ++j) {
        y[j] = static_cast<float>((b.qs[j] & 0x0F) - 8) * d;
        y[j + kQK4_0 / 2] = static_cast<float>((b.qs[j] >> 4) - 8) * d;
    }
}

QL_HD void dequantize_block(const BlockQ4_1& b, float* y) {
    const float d = half_to_float(b.d), m = half_to_float(b.m);
    for (int j = 0; j < kQK4_1 / 2; ++j) {
        y[j] = static_cast<float>(b.qs[j] & 0x0F) * d + m;
        y[j + kQK4_1 / 2] = static_cast<float>(b.qs[j] >> 4) * d + m;
    }
}

QL_HD std::uint32_t load_le32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

QL_HD void dequantize_block(const BlockQ5_0& b, float* y) {
    const float d = half_to_float(b.d);
    const std::uint32_t qh = load_le32(b.qh);
    for (int j = 0; j < kQK5_0 / 2; ++j) {
        const int h0 = static_cast<int>((qh >> j) & 1u) << 4;
        const int h1 = static_cast<int>((qh >> (j + 16)) & 1u) << 4;
        y[j] = static_cast<float>(((b.qs[j] & 0x0F) | h0) - 16) * d;
        y[j + kQK5_0 / 2] = static_cast<float>(((b.qs[j] >> 4) | h1) - 16) * d;
    }
}

QL_HD void dequantize_block(const BlockQ5_1& b, float* y) {
    const float d = half_to_float(b.d), m = half_to_float(b.m);
    const std::uint32_t qh = load_le32(b.qh);
    for (int j = 0; j < kQK5_1 / 2; ++j) {
        const int h0 = static_cast<int>((qh >> j) & 1u) << 4;
        const int h1 = static_cast<int>((qh >> (j + 16)) & 1u) << 4;
        y[j] = static_cast<float>((b.qs[j] & 0x0F) | h0) * d + m;
        y[j + kQK5_1 / 2] = static_cast<float>((b.qs[j] >> 4) | h1) * d + m;
    }
}

QL_HD void dequantize_block(const BlockQ8_0& b, float* y) {
    const float d = half_to_float(b.d);
    for (int j = 0; j < kQK8_0; ++j) y[j] = static_cast<float>(b.qs[j]) * d;
}

// Q2_K: per 128 values, 32 bytes of qs hold 4 groups of 32 at shifts 0, 2, 4, 6; each group of 32 is
// two sub-blocks of 16 (bytes l and l + 16).
QL_HD void dequantize_block(const BlockQ2_K& b, float* y) {
    const float d = half_to_float(b.d), dmin = half_to_float(b.dmin);
    const std::uint8_t* q = b.qs;
    int is = 0;
    for (int n = 0; n < kQK_K; n += 128) {
        for (int shift = 0; shift < 8; shift += 2) {
            for (int half = 0; half < 2; ++half) {
                const std::uint8_t sc = b.scales[is++];
                const float dl = d * static_cast<float>(sc & 0xF);
                const float ml = dmin * static_cast<float>(sc >> 4);
                for (int l = 0; l < 16; ++l)
                    *y++ = dl * static_cast<float>((q[l + 16 * half] >> shift) & 3) - ml;
            }
        }
        q += 32;
    }
}

// The 16 signed 6-bit scales of a Q3_K block (value - 32).
QL_HD int q3k_scale(const std::uint8_t* s, int j) {
    const int lo = j < 8 ? (s[j] & 0xF) : (s[j - 8] >> 4);
    const int hi = (s[8 + j % 4] >> (2 * (j / 4))) & 3;
    return (lo | (hi << 4)) - 32;
}

QL_HD void dequantize_block(const BlockQ3_K& b, float* y) {
    const float d_all = half_to_float(b.d);
    const std::uint8_t* q = b.qs;
    std::uint8_t m = 1;
    int is = 0;
    for (int n = 0; n < kQK_K; n += 128) {
        for (int shift = 0; shift < 8; shift += 2) {
            for (int half = 0; half < 2; ++half) {
                const float dl = d_all * static_cast<float>(q3k_scale(b.scales, is++));
                for (int l = 0; l < 16; ++l) {
                    const int k = l + 16 * half;
                    const int v = ((q[k] >> shift) & 3) - ((b.hmask[k] & m) ? 0 : 4);
                    *y++ = dl * static_cast<float>(v);
                }
            }
            m = static_cast<std::uint8_t>(m << 1);
        }
        q += 32;
    }
}

QL_HD void dequantize_block(const BlockQ4_K& b, float* y) {
    const float d = half_to_float(b.d), dmin = half_to_float(b.dmin);
    const std::uint8_t* q = b.qs;
    int is = 0;
    for (int j = 0; j < kQK_K; j += 64) {
        std::uint8_t sc, m;
        scale_min_k4(is, b.scales, sc, m);
        const float d1 = d * static_cast<float>(sc), m1 = dmin * static_cast<float>(m);
        scale_min_k4(is + 1, b.scales, sc, m);
        const float d2 = d * static_cast<float>(sc), m2 = dmin * static_cast<float>(m);
        for (int l = 0; l < 32; ++l) *y++ = d1 * static_cast<float>(q[l] & 0xF) - m1;
        for (int l = 0; l < 32; ++l) *y++ = d2 * static_cast<float>(q[l] >> 4) - m2;
        q += 32;
        is += 2;
    }
}

QL_HD void dequantize_block(const BlockQ5_K& b, float* y) {
    const float d = half_to_float(b.d), dmin = half_to_float(b.dmin);
    const std::uint8_t* ql = b.qs;
    int is = 0;
    std::uint8_t u1 = 1, u2 = 2;
    for (int j = 0; j < kQK_K; j += 64) {
        std::uint8_t sc, m;
        scale_min_k4(is, b.scales, sc, m);
        const float d1 = d * static_cast<float>(sc), m1 = dmin * static_cast<float>(m);
        scale_min_k4(is + 1, b.scales, sc, m);
        const float d2 = d * static_cast<float>(sc), m2 = dmin * static_cast<float>(m);
        for (int l = 0; l < 32; ++l) *y++ = d1 * static_cast<float>((ql[l] & 0xF) + ((b.qh[l] & u1) ? 16 : 0)) - m1;
        for (int l = 0; l < 32; ++l) *y++ = d2 * static_cast<float>((ql[l] >> 4) + ((b.qh[l] & u2) ? 16 : 0)) - m2;
        ql += 32;
        is += 2;
        u1 = static_cast<std::uint8_t>(u1 << 2);
        u2 = static_cast<std::uint8_t>(u2 << 2);
    }
}

// Q6_K: per 128 values, ql holds 64 bytes (values l and l + 64 in the nibbles of byte l, values l + 32
// and l + 96 in those of byte l + 32) and qh 32 bytes (2 bits each of values l, l+32, l+64, l+96).
QL_HD void dequantize_block(const BlockQ6_K& b, float* y) {
    const float d = half_to_float(b.d);
    const std::uint8_t* ql = b.ql;
    const std::uint8_t* qh = b.qh;
    const std::int8_t* sc = b.scales;
    for (int n = 0; n < kQK_K; n += 128) {
        for (int l = 0; l < 32; ++l) {
            const int is = l / 16;
            const int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
            const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            y[l] = d * static_cast<float>(sc[is]) * static_cast<float>(q1);
            y[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
            y[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
            y[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
        }
        y += 128;
        ql += 64;
        qh += 32;
        sc += 8;
    }
}

QL_HD void dequantize_block(const BlockIQ4_NL& b, float* y) {
    const float d = half_to_float(b.d);
    for (int j = 0; j < kQK4_NL / 2; ++j) {
        y[j] = d * static_cast<float>(iq4nl_value(b.qs[j] & 0xF));
        y[j + kQK4_NL / 2] = d * static_cast<float>(iq4nl_value(b.qs[j] >> 4));
    }
}

QL_HD void dequantize_block(const BlockIQ4_XS& b, float* y) {
    const float d = half_to_float(b.d);
    for (int ib = 0; ib < kQK_K / 32; ++ib) {
        const int ls = ((b.scales_l[ib / 2] >> (4 * (ib % 2))) & 0xF) | (((b.scales_h >> (2 * ib)) & 3) << 4);
        const float dl = d * static_cast<float>(ls - 32);
        const std::uint8_t* qs = b.qs + 16 * ib;
        for (int j = 0; j < 16; ++j) {
            y[32 * ib + j] = dl * static_cast<float>(iq4nl_value(qs[j] & 0xF));
            y[32 * ib + j + 16] = dl * static_cast<float>(iq4nl_value(qs[j] >> 4));
        }
    }
}

QL_HD void dequantize_block(const BlockMXFP4& b, float* y) {
    const float d = e8m0_half_scale(b.e);
    for (int j = 0; j < kQK_MXFP4 / 2; ++j) {
        y[j] = static_cast<float>(mxfp4_doubled_value(b.qs[j] & 0xF)) * d;
        y[j + kQK_MXFP4 / 2] = static_cast<float>(mxfp4_doubled_value(b.qs[j] >> 4)) * d;
    }
}

QL_HD void dequantize_block(const BlockNVFP4& b, float* y) {
    for (int s = 0; s < kQK_NVFP4 / 16; ++s) {
        const float d = ue4m3_half_scale(b.d[s]);
        for (int j = 0; j < 8; ++j) {
            const std::uint8_t q = b.qs[8 * s + j];
            y[16 * s + j] = static_cast<float>(mxfp4_doubled_value(q & 0xF)) * d;
            y[16 * s + j + 8] = static_cast<float>(mxfp4_doubled_value(q >> 4)) * d;
        }
    }
}

QL_HD void dequantize_block(const BlockTQ1_0& b, float* y) {
    const float d = half_to_float(b.d);
    for (int n = 0; n < 5; ++n)
        for (int m = 0; m < 32; ++m) y[32 * n + m] = static_cast<float>(tq1_trit(b.qs[m], n) - 1) * d;
    for (int n = 0; n < 5; ++n)
        for (int m = 0; m < 16; ++m) y[160 + 16 * n + m] = static_cast<float>(tq1_trit(b.qs[32 + m], n) - 1) * d;
    for (int n = 0; n < 4; ++n)
        for (int j = 0; j < 4; ++j) y[240 + 4 * n + j] = static_cast<float>(tq1_trit(b.qh[j], n) - 1) * d;
}

QL_HD void dequantize_block(const BlockTQ2_0& b, float* y) {
    const float d = half_to_float(b.d);
    for (int h = 0; h < 2; ++h)
        for (int l = 0; l < 4; ++l)
            for (int m = 0; m < 32; ++m) y[128 * h + 32 * l + m] = static_cast<float>(((b.qs[32 * h + m] >> (2 * l)) & 3) - 1) * d;
}

// The i-quants' blocks (CPU only: they read the codebooks of core/ggml_iq_grids.h), in ggml's own float
// operations and order, so every value is the float dequantize_row_iq* gives.
void dequantize_block(const BlockIQ2_XXS& b, float* y);
void dequantize_block(const BlockIQ2_XS& b, float* y);
void dequantize_block(const BlockIQ2_S& b, float* y);
void dequantize_block(const BlockIQ3_XXS& b, float* y);
void dequantize_block(const BlockIQ3_S& b, float* y);
void dequantize_block(const BlockIQ1_S& b, float* y);
void dequantize_block(const BlockIQ1_M& b, float* y);

// ---- one block -> the stored code of each value (c[0, QK)) --------------------------------------------
// The quant each value keeps, in value order: Q8_0 -128..127, Q4_0/Q4_1/IQ4_NL/IQ4_XS 0..15, Q5_0 0..31, Q4_K
// 0..15, Q2_K 0..3, Q3_K 0..7, Q5_K 0..31, Q6_K 0..63 (the analysis' code histogram; the CPU and CUDA passes both read them from here).

QL_HD void block_codes(const BlockQ8_0& b, std::int8_t* c) {
    for (int j = 0; j < kQK8_0; ++j) c[j] = b.qs[j];
}

// Q4_0, Q4_1 and IQ4_NL share the nibble layout: value j low, value j + 16 high nibble of qs[j].
QL_HD void nibble_codes(const std::uint8_t* qs, std::int8_t* c) {
    for (int j = 0; j < 16; ++j) {
        c[j] = static_cast<std::int8_t>(qs[j] & 15);
        c[j + 16] = static_cast<std::int8_t>(qs[j] >> 4);
    }
}
QL_HD void block_codes(const BlockQ4_0& b, std::int8_t* c) { nibble_codes(b.qs, c); }
QL_HD void block_codes(const BlockQ4_1& b, std::int8_t* c) { nibble_codes(b.qs, c); }
QL_HD void block_codes(const BlockIQ4_NL& b, std::int8_t* c) { nibble_codes(b.qs, c); }
// IQ4_XS: 0..15 (value = d (ls - 32) kvalues_iq4nl[code]), each block of 32 in IQ4_NL's nibble layout.
QL_HD void block_codes(const BlockIQ4_XS& b, std::int8_t* c) {
    for (int ib = 0; ib < kQK_K / 32; ++ib) nibble_codes(b.qs + 16 * ib, c + 32 * ib);
}

QL_HD void block_codes(const BlockQ5_0& b, std::int8_t* c) {
    const std::uint32_t qh = load_le32(b.qh);
    for (int j = 0; j < 16; ++j) {
        c[j] = static_cast<std::int8_t>((b.qs[j] & 15) | (((qh >> j) & 1u) << 4));
        c[j + 16] = static_cast<std::int8_t>((b.qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4));
    }
}

QL_HD void block_codes(const BlockQ4_K& b, std::int8_t* c) {
    for (int ch = 0; ch < 4; ++ch)
        for (int l = 0; l < 32; ++l) {
            c[ch * 64 + l] = static_cast<std::int8_t>(b.qs[ch * 32 + l] & 15);
            c[ch * 64 + 32 + l] = static_cast<std::int8_t>(b.qs[ch * 32 + l] >> 4);
        }
}

QL_HD void block_codes(const BlockQ2_K& b, std::int8_t* c) {
    for (int n = 0; n < 2; ++n)
        for (int s = 0; s < 4; ++s)
            for (int l = 0; l < 32; ++l) c[128 * n + 32 * s + l] = static_cast<std::int8_t>((b.qs[32 * n + l] >> (2 * s)) & 3);
}

// Q3_K: 0..7 (value = d sc (code - 4)), the low 2 bits as Q2_K's, the 3rd from hmask.
QL_HD void block_codes(const BlockQ3_K& b, std::int8_t* c) {
    for (int n = 0; n < 2; ++n)
        for (int s = 0; s < 4; ++s)
            for (int l = 0; l < 32; ++l)
                c[128 * n + 32 * s + l] = static_cast<std::int8_t>(((b.qs[32 * n + l] >> (2 * s)) & 3) |
                                                                   (((b.hmask[l] >> (4 * n + s)) & 1) << 2));
}

QL_HD void block_codes(const BlockQ5_K& b, std::int8_t* c) {
    for (int ch = 0; ch < 4; ++ch)
        for (int l = 0; l < 32; ++l) {
            const int hi_lo = (b.qh[l] >> (2 * ch)) & 1, hi_hi = (b.qh[l] >> (2 * ch + 1)) & 1;
            c[ch * 64 + l] = static_cast<std::int8_t>((b.qs[ch * 32 + l] & 15) | (hi_lo << 4));
            c[ch * 64 + 32 + l] = static_cast<std::int8_t>((b.qs[ch * 32 + l] >> 4) | (hi_hi << 4));
        }
}

QL_HD void block_codes(const BlockQ6_K& b, std::int8_t* c) {
    for (int h = 0; h < 2; ++h) {
        const std::uint8_t* ql = b.ql + 64 * h;
        const std::uint8_t* qh = b.qh + 32 * h;
        std::int8_t* o = c + 128 * h;
        for (int l = 0; l < 32; ++l) {
            o[l] = static_cast<std::int8_t>((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4));
            o[l + 32] = static_cast<std::int8_t>((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4));
            o[l + 64] = static_cast<std::int8_t>((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
            o[l + 96] = static_cast<std::int8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
        }
    }
}

// ---- rows of bytes, bounds-checked -------------------------------------------------------------------

// Values and bytes per block of a ggml block type (DType::GGML_*); nullopt for types this module does
// not decode (Q8_1, Q8_K) and for non-block types.
struct BlockLayout {
    int values = 0;  // values per block (32 or 256)
    int bytes = 0;   // bytes per block
};
std::optional<BlockLayout> block_layout(DType type);

// Bytes that `count` values of `type` occupy: ceil(count / values) whole blocks (a partial last block
// is stored whole, its tail padding). nullopt for an unsupported type, a negative count, or overflow.
std::optional<std::uint64_t> bytes_for(DType type, std::int64_t count);

// Decodes `count` values of `type` from `bytes` into out[0, count). The bytes must hold exactly
// bytes_for(type, count) bytes (more is an error too: it means the caller's count is wrong) and out at
// least count floats. `what` names the data in the error ("blk.0.attn_q.weight"); the error's offset is
// where the data ran short or where the surplus starts.
Status dequantize(DType type, std::span<const std::uint8_t> bytes, std::int64_t count, std::span<float> out,
                  std::string_view what = {});

} // namespace ql::ggml
