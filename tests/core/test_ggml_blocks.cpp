// ggml block layouts and dequantizers: sizes as ggml-common.h states them, hand-worked blocks (each
// expected value computed by hand from the layout's definition in the comment of its row), fp16
// conversion, and the bounds rules of the byte-span API.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/ggml_blocks.h"
#include "core/half.h"
#include "core/rng.h"

using ql::DType;
namespace gg = ql::ggml;

Q_DECLARE_METATYPE(ql::DType)
Q_DECLARE_METATYPE(std::vector<std::uint8_t>)

namespace {

template <class B>
std::vector<std::uint8_t> bytes_of(const B& b) {
    std::vector<std::uint8_t> v(sizeof(B));
    std::memcpy(v.data(), &b, sizeof(B));
    return v;
}

template <class B>
B zero_block() {
    B b;
    std::memset(&b, 0, sizeof b);
    return b;
}

std::vector<float> decode(DType t, const std::vector<std::uint8_t>& bytes, std::int64_t count) {
    std::vector<float> out(static_cast<std::size_t>(count), -12345.0f);
    const ql::Status st = gg::dequantize(t, bytes, count, out);
    if (!st) qWarning("%s", st.error().message().c_str());
    return out;
}

} // namespace

class TestGgmlBlocks : public QObject {
    Q_OBJECT
private slots:
    void blockSizes_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<int>("values");
        QTest::addColumn<int>("bytes");
        // ggml-common.h: block_q4_0 = half + 16 bytes, ... block_q6_K = half + 16 + 3*256/4.
        QTest::newRow("Q4_0") << DType::GGML_Q4_0 << 32 << 18;
        QTest::newRow("Q4_1") << DType::GGML_Q4_1 << 32 << 20;
        QTest::newRow("Q5_0") << DType::GGML_Q5_0 << 32 << 22;
        QTest::newRow("Q5_1") << DType::GGML_Q5_1 << 32 << 24;
        QTest::newRow("Q8_0") << DType::GGML_Q8_0 << 32 << 34;
        QTest::newRow("Q2_K") << DType::GGML_Q2_K << 256 << 84;
        QTest::newRow("Q3_K") << DType::GGML_Q3_K << 256 << 110;
        QTest::newRow("Q4_K") << DType::GGML_Q4_K << 256 << 144;
        QTest::newRow("Q5_K") << DType::GGML_Q5_K << 256 << 176;
        QTest::newRow("Q6_K") << DType::GGML_Q6_K << 256 << 210;
        QTest::newRow("IQ4_NL") << DType::GGML_IQ4_NL << 32 << 18;
        // block_iq4_xs = half + uint16 + 4 + 128; block_mxfp4 = uint8 e + 16
        QTest::newRow("IQ4_XS") << DType::GGML_IQ4_XS << 256 << 136;
        QTest::newRow("MXFP4") << DType::GGML_MXFP4 << 32 << 17;
        // block_nvfp4 = 4 UE4M3 bytes + 32; block_tq1_0 = 48 + 4 + half; block_tq2_0 = 64 + half
        QTest::newRow("NVFP4") << DType::GGML_NVFP4 << 64 << 36;
        QTest::newRow("TQ1_0") << DType::GGML_TQ1_0 << 256 << 54;
        QTest::newRow("TQ2_0") << DType::GGML_TQ2_0 << 256 << 66;
        // block_iq2_xxs = half + 32 uint16; iq2_xs + 8 scales; iq2_s = half + 64 + 8 + 8; iq3_xxs = half + 96;
        // iq3_s = half + 64 + 8 + 32 + 4; iq1_s = half + 32 + 8 uint16; iq1_m = 32 + 16 + 8 (d in the scales)
        QTest::newRow("IQ2_XXS") << DType::GGML_IQ2_XXS << 256 << 66;
        QTest::newRow("IQ2_XS") << DType::GGML_IQ2_XS << 256 << 74;
        QTest::newRow("IQ2_S") << DType::GGML_IQ2_S << 256 << 82;
        QTest::newRow("IQ3_XXS") << DType::GGML_IQ3_XXS << 256 << 98;
        QTest::newRow("IQ3_S") << DType::GGML_IQ3_S << 256 << 110;
        QTest::newRow("IQ1_S") << DType::GGML_IQ1_S << 256 << 50;
        QTest::newRow("IQ1_M") << DType::GGML_IQ1_M << 256 << 56;
    }
    void blockSizes() {
        QFETCH(DType, type);
        QFETCH(int, values);
        QFETCH(int, bytes);
        const auto L = gg::block_layout(type);
        QVERIFY(L.has_value());
        QCOMPARE(L->values, values);
        QCOMPARE(L->bytes, bytes);
        QCOMPARE(gg::bytes_for(type, values).value(), std::uint64_t(bytes));
        QCOMPARE(gg::bytes_for(type, values + 1).value(), std::uint64_t(2 * bytes));  // partial block stored whole
        QCOMPARE(gg::bytes_for(type, 0).value(), std::uint64_t(0));
    }

    // IEEE binary16 <-> float: values from the IEEE 754 definition (exponent bias 15, 10 mantissa bits).
    void halfToFloat_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<float>("value");
        QTest::newRow("1.0") << 0x3C00 << 1.0f;
        QTest::newRow("-2.0") << 0xC000 << -2.0f;
        QTest::newRow("max finite 65504") << 0x7BFF << 65504.0f;
        QTest::newRow("smallest normal 2^-14") << 0x0400 << 0x1p-14f;
        QTest::newRow("smallest subnormal 2^-24") << 0x0001 << 0x1p-24f;
        QTest::newRow("largest subnormal 1023 * 2^-24") << 0x03FF << 1023.0f * 0x1p-24f;
        QTest::newRow("+inf") << 0x7C00 << std::numeric_limits<float>::infinity();
        QTest::newRow("1 + 2^-10") << 0x3C01 << 1.0f + 0x1p-10f;
    }
    void halfToFloat() {
        QFETCH(int, bits);
        QFETCH(float, value);
        QCOMPARE(ql::half_to_float(static_cast<std::uint16_t>(bits)), value);
        QCOMPARE(int(ql::float_to_half(value)), bits);
    }
    void halfSpecial() {
        QVERIFY(std::signbit(ql::half_to_float(0x8000)) && ql::half_to_float(0x8000) == 0.0f);
        QVERIFY(std::isnan(ql::half_to_float(0x7E00)));
        QCOMPARE(int(ql::float_to_half(1.0f + 0x1p-11f)), 0x3C00);          // tie -> even mantissa 0
        QCOMPARE(int(ql::float_to_half(1.0f + 3.0f * 0x1p-11f)), 0x3C02);   // tie -> even mantissa 2
        QCOMPARE(int(ql::float_to_half(65520.0f)), 0x7C00);                  // halfway to 2^16 rounds up: inf
        QCOMPARE(int(ql::float_to_half(65519.0f)), 0x7BFF);
        QCOMPARE(int(ql::float_to_half(0x1p-25f)), 0x0000);                  // tie between 0 and 2^-24 -> 0
        QCOMPARE(int(ql::float_to_half(0x1.8p-25f)), 0x0001);
    }

    // Hand-worked blocks. Each row: the block bytes, the flat index looked at, the value by hand.
    void handWorked_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<std::vector<std::uint8_t>>("bytes");
        QTest::addColumn<int>("index");
        QTest::addColumn<float>("expected");

        {   // Q4_0, d = 0.5 (0x3800): x = (q - 8) * d; value j low nibble of qs[j], value j+16 high nibble.
            auto b = zero_block<gg::BlockQ4_0>();
            b.d = 0x3800;
            b.qs[0] = 0xF0;
            b.qs[5] = 0x98;
            const auto v = bytes_of(b);
            QTest::newRow("Q4_0 q=0 -> -8 * 0.5") << DType::GGML_Q4_0 << v << 0 << -4.0f;
            QTest::newRow("Q4_0 q=15 -> 7 * 0.5") << DType::GGML_Q4_0 << v << 16 << 3.5f;
            QTest::newRow("Q4_0 q=8 -> 0") << DType::GGML_Q4_0 << v << 5 << 0.0f;
            QTest::newRow("Q4_0 q=9 -> 0.5") << DType::GGML_Q4_0 << v << 21 << 0.5f;
            b.d = 0xB800;  // d = -0.5, as quantize_row_q4_0_ref stores when the block's max-magnitude value is positive
            QTest::newRow("Q4_0 negative d: q=0 -> 4") << DType::GGML_Q4_0 << bytes_of(b) << 0 << 4.0f;
        }
        {   // Q4_1, d = 1, m = -2: x = q * d + m.
            auto b = zero_block<gg::BlockQ4_1>();
            b.d = 0x3C00;
            b.m = 0xC000;
            b.qs[1] = 0x3A;
            const auto v = bytes_of(b);
            QTest::newRow("Q4_1 q=10 -> 8") << DType::GGML_Q4_1 << v << 1 << 8.0f;
            QTest::newRow("Q4_1 q=3 -> 1") << DType::GGML_Q4_1 << v << 17 << 1.0f;
            QTest::newRow("Q4_1 q=0 -> m") << DType::GGML_Q4_1 << v << 31 << -2.0f;
        }
        {   // Q5_0, d = 0.25: 5th bit of value j at bit j of qh (little-endian uint32); x = (q - 16) * d.
            auto b = zero_block<gg::BlockQ5_0>();
            b.d = 0x3400;
            b.qh[0] = 0x04;  // bit 2: value 2
            b.qh[2] = 0x04;  // bit 18: value 18
            b.qs[2] = 0x1F;
            const auto v = bytes_of(b);
            QTest::newRow("Q5_0 q=31 -> 3.75") << DType::GGML_Q5_0 << v << 2 << 3.75f;
            QTest::newRow("Q5_0 q=17 -> 0.25") << DType::GGML_Q5_0 << v << 18 << 0.25f;
            QTest::newRow("Q5_0 q=0 -> -4") << DType::GGML_Q5_0 << v << 0 << -4.0f;
        }
        {   // Q5_1, d = 0.5, m = 1: x = q * d + m.
            auto b = zero_block<gg::BlockQ5_1>();
            b.d = 0x3800;
            b.m = 0x3C00;
            b.qh[3] = 0x80;  // bit 31: value 31
            b.qs[15] = 0xE0;
            const auto v = bytes_of(b);
            QTest::newRow("Q5_1 q=30 -> 16") << DType::GGML_Q5_1 << v << 31 << 16.0f;
            QTest::newRow("Q5_1 q=0 -> 1") << DType::GGML_Q5_1 << v << 15 << 1.0f;
        }
        {   // Q8_0, d = 0.125: x = q * d.
            auto b = zero_block<gg::BlockQ8_0>();
            b.d = 0x3000;
            b.qs[7] = -128;
            b.qs[8] = 127;
            const auto v = bytes_of(b);
            QTest::newRow("Q8_0 q=-128 -> -16") << DType::GGML_Q8_0 << v << 7 << -16.0f;
            QTest::newRow("Q8_0 q=127 -> 15.875") << DType::GGML_Q8_0 << v << 8 << 15.875f;
        }
        {   // Q2_K, d = 1, dmin = 0.5: x = d*sc*q - dmin*m; per 128 values, shift 0/2/4/6 of qs[l] (+16).
            auto b = zero_block<gg::BlockQ2_K>();
            b.d = 0x3C00;
            b.dmin = 0x3800;
            b.scales[0] = 0x32;  // sub-block 0: sc 2, m 3
            b.scales[2] = 0x11;  // sub-block 2 (values 32..47, shift 2): sc 1, m 1
            b.scales[6] = 0x05;  // sub-block 6 (values 96..111, shift 6): sc 5, m 0
            b.scales[8] = 0x24;  // sub-block 8 (values 128..143, qs[32..47] shift 0): sc 4, m 2
            b.qs[0] = 0xE4;      // 0b11'10'01'00: q = 0 (shift 0), 1 (2), 2 (4), 3 (6)
            b.qs[32] = 0x03;
            const auto v = bytes_of(b);
            QTest::newRow("Q2_K sub-block 0: 2*0 - 1.5") << DType::GGML_Q2_K << v << 0 << -1.5f;
            QTest::newRow("Q2_K sub-block 2: 1*1 - 0.5") << DType::GGML_Q2_K << v << 32 << 0.5f;
            QTest::newRow("Q2_K sub-block 6: 5*3 - 0") << DType::GGML_Q2_K << v << 96 << 15.0f;
            QTest::newRow("Q2_K second half: 4*3 - 1") << DType::GGML_Q2_K << v << 128 << 11.0f;
        }
        {   // Q3_K, d = 1: x = d * (sc - 32) * (q - (hmask bit ? 0 : 4)), sc 6-bit from scales[j] and scales[8 + j%4].
            auto b = zero_block<gg::BlockQ3_K>();
            b.d = 0x3C00;
            b.scales[0] = 0x03;  // sub-block 0: low nibble 3
            b.scales[8] = 0x02;  // ... high bits 2 -> 35 -> scale 3
            b.scales[1] = 0xB0;  // sub-block 9: low nibble 0xB (high nibble of byte 1)
            b.scales[9] = 0x10;  // ... high bits at bits 4..5 of byte 9 = 1 -> 27 -> scale -5
            b.qs[0] = 0x02;
            b.hmask[0] = 0x01;   // value 0: high bit set -> q = 2
            b.qs[48] = 0x03;     // value 144 (second 128, second 16 of shift 0) low bits 3
            b.hmask[16] = 0x10;  // its high bit: mask 16 (5th shift step)
            const auto v = bytes_of(b);
            QTest::newRow("Q3_K scale 3, q 2 -> 6") << DType::GGML_Q3_K << v << 0 << 6.0f;
            QTest::newRow("Q3_K scale 3, no high bit -> 3*(0-4)") << DType::GGML_Q3_K << v << 1 << -12.0f;
            QTest::newRow("Q3_K scale -5, q 3 -> -15") << DType::GGML_Q3_K << v << 144 << -15.0f;
        }
        {   // Q4_K, d = 1, dmin = 0.5: x = d*sc*q - dmin*m with the 6-bit packed scales (get_scale_min_k4).
            auto b = zero_block<gg::BlockQ4_K>();
            b.d = 0x3C00;
            b.dmin = 0x3800;
            b.scales[0] = 2;            // sub-block 0: sc 2
            b.scales[4] = 3;            // sub-block 0: m 3
            b.scales[1] = 0x80 | 1;     // sub-block 1: sc 1; top bits 2 = high bits of sub-block 5's scale
            b.scales[5] = 0x40 | 4;     // sub-block 1: m 4; top bits 1 = high bits of sub-block 5's min
            b.scales[9] = 0x13;         // sub-block 5: sc low nibble 3 (-> 35), m low nibble 1 (-> 17)
            b.qs[0] = 0xA7;             // value 0: q 7 (sub-block 0); value 32: q 10 (sub-block 1)
            b.qs[64] = 0x50;            // value 160 (sub-block 5 = high nibbles of qs[64..95]): q 5
            const auto v = bytes_of(b);
            QTest::newRow("Q4_K sub-block 0: 2*7 - 0.5*3") << DType::GGML_Q4_K << v << 0 << 12.5f;
            QTest::newRow("Q4_K sub-block 1: 1*10 - 0.5*4") << DType::GGML_Q4_K << v << 32 << 8.0f;
            QTest::newRow("Q4_K sub-block 5 (split 6-bit): 35*5 - 0.5*17") << DType::GGML_Q4_K << v << 160 << 166.5f;
            QTest::newRow("Q4_K sub-block 5, q 0: -8.5") << DType::GGML_Q4_K << v << 161 << -8.5f;
        }
        {   // Q5_K, d = dmin = 1: as Q4_K with the 5th bit in qh (bits 2p / 2p+1 for sub-block pair p).
            auto b = zero_block<gg::BlockQ5_K>();
            b.d = 0x3C00;
            b.dmin = 0x3C00;
            b.scales[0] = 3;            // sub-block 0: sc 3
            b.scales[4] = 1;            // sub-block 0: m 1
            b.scales[3] = 2;            // sub-block 3: sc 2, m 0
            b.qs[0] = 0x02;             // value 0 low bits 2
            b.qh[0] = 0x01 | 0x08;      // value 0: bit 0 (+16); value 96: bit 3 (sub-block 3 = pair 1, high)
            b.qs[32] = 0x70;            // value 96 = high nibble of qs[32]: 7
            const auto v = bytes_of(b);
            QTest::newRow("Q5_K q 18: 3*18 - 1") << DType::GGML_Q5_K << v << 0 << 53.0f;
            QTest::newRow("Q5_K q 23: 2*23") << DType::GGML_Q5_K << v << 96 << 46.0f;
        }
        {   // Q6_K, d = 0.25: x = d * sc * (q - 32), q = 4 bits of ql | 2 bits of qh.
            auto b = zero_block<gg::BlockQ6_K>();
            b.d = 0x3400;
            b.scales[0] = -3;
            b.scales[6] = 5;
            b.scales[12] = -1;
            b.ql[0] = 0x0A;             // value 0 low bits 0xA
            b.qh[0] = 0xC2;             // value 0 high bits 2 (-> q 42); value 96 high bits 3
            b.ql[32] = 0x10;            // value 96 = high nibble of ql[32]: 1 -> q 49
            b.ql[72] = 0xF0;            // value 200 = 128 + 64 + 8: high nibble of ql[64 + 8]
            b.qh[40] = 0x30;            // its high bits (bits 4..5 of qh[32 + 8]) 3 -> q 63
            const auto v = bytes_of(b);
            QTest::newRow("Q6_K 0.25 * -3 * 10") << DType::GGML_Q6_K << v << 0 << -7.5f;
            QTest::newRow("Q6_K 0.25 * 5 * 17") << DType::GGML_Q6_K << v << 96 << 21.25f;
            QTest::newRow("Q6_K second half 0.25 * -1 * 31") << DType::GGML_Q6_K << v << 200 << -7.75f;
        }
        {   // IQ4_NL, d = 0.5: x = d * kvalues_iq4nl[q].
            auto b = zero_block<gg::BlockIQ4_NL>();
            b.d = 0x3800;
            b.qs[0] = 0xF0;
            b.qs[3] = 0x78;
            const auto v = bytes_of(b);
            QTest::newRow("IQ4_NL q 0 -> -127 * 0.5") << DType::GGML_IQ4_NL << v << 0 << -63.5f;
            QTest::newRow("IQ4_NL q 15 -> 113 * 0.5") << DType::GGML_IQ4_NL << v << 16 << 56.5f;
            QTest::newRow("IQ4_NL q 8 -> 1 * 0.5") << DType::GGML_IQ4_NL << v << 3 << 0.5f;
            QTest::newRow("IQ4_NL q 7 -> -10 * 0.5") << DType::GGML_IQ4_NL << v << 19 << -5.0f;
        }
        {   // IQ4_XS, d = 0.5: x = d * (ls - 32) * kvalues_iq4nl[q]; ls = low nibble | 2 high bits << 4.
            auto b = zero_block<gg::BlockIQ4_XS>();
            b.d = 0x3800;
            b.scales_h = (2 << 0) | (1 << 6);  // sub-block 0: high bits 2; sub-block 3: high bits 1
            b.scales_l[0] = 0x01;              // sub-block 0: low nibble 1 -> ls 33 (scale +1)
            b.scales_l[1] = 0xE0;              // sub-block 3: high nibble 14 -> ls 30 (scale -2)
            b.qs[0] = 0x0F;                    // value 0: q 15; value 16: q 0
            b.qs[48 + 5] = 0x08;               // sub-block 3 (qs 48..63), value 96 + 5: q 8
            b.qs[48 + 2] = 0xC0;               // value 96 + 16 + 2: q 12
            const auto v = bytes_of(b);        // sub-block 7: ls 0 (scale -32), every q 0
            QTest::newRow("IQ4_XS 0.5 * 1 * 113") << DType::GGML_IQ4_XS << v << 0 << 56.5f;
            QTest::newRow("IQ4_XS 0.5 * 1 * -127") << DType::GGML_IQ4_XS << v << 16 << -63.5f;
            QTest::newRow("IQ4_XS 0.5 * -2 * 1") << DType::GGML_IQ4_XS << v << 101 << -1.0f;
            QTest::newRow("IQ4_XS 0.5 * -2 * 53") << DType::GGML_IQ4_XS << v << 114 << -53.0f;
            QTest::newRow("IQ4_XS 0.5 * -32 * -127") << DType::GGML_IQ4_XS << v << 224 << 2032.0f;
        }
        {   // MXFP4: x = E2M1(code) * 2^(e - 127); code bit 3 is the sign.
            auto b = zero_block<gg::BlockMXFP4>();
            b.e = 127;                         // X = 1
            b.qs[0] = 0xD7;                    // value 0: code 7 (6); value 16: code 13 (-3)
            b.qs[4] = 0x01;                    // value 4: code 1 (0.5)
            const auto v = bytes_of(b);
            QTest::newRow("MXFP4 X 1: 6") << DType::GGML_MXFP4 << v << 0 << 6.0f;
            QTest::newRow("MXFP4 X 1: -3") << DType::GGML_MXFP4 << v << 16 << -3.0f;
            QTest::newRow("MXFP4 X 1: 0.5") << DType::GGML_MXFP4 << v << 4 << 0.5f;
            b.e = 130;                         // X = 8
            QTest::newRow("MXFP4 X 8: 48") << DType::GGML_MXFP4 << bytes_of(b) << 0 << 48.0f;
            b.e = 0;                           // X = 2^-127: 0.5 X is the subnormal 2^-128
            QTest::newRow("MXFP4 X 2^-127: 0.5 X") << DType::GGML_MXFP4 << bytes_of(b) << 4 << std::ldexp(1.0f, -128);
            b.e = 1;                           // X = 2^-126: 6 X = 3 * 2^-125
            QTest::newRow("MXFP4 X 2^-126: 6 X") << DType::GGML_MXFP4 << bytes_of(b) << 0 << std::ldexp(3.0f, -125);
            b.e = 254;                         // X = 2^127: 6 X overflows float32 to +inf, 0.5 X = 2^126
            QTest::newRow("MXFP4 X 2^127: 6 X is inf") << DType::GGML_MXFP4 << bytes_of(b) << 0 << std::numeric_limits<float>::infinity();
            QTest::newRow("MXFP4 X 2^127: 0.5 X") << DType::GGML_MXFP4 << bytes_of(b) << 4 << std::ldexp(1.0f, 126);
        }
        {   // NVFP4 (llama.cpp): x = E2M1(code) * UE4M3(d[s]) per 16 values; byte 8s + j: value 16s + j low,
            // 16s + j + 8 high nibble.
            auto b = zero_block<gg::BlockNVFP4>();
            b.d[0] = 0x38;                     // e 7, m 0: 1
            b.d[1] = 0x01;                     // subnormal: 2^-9
            b.d[2] = 0x7F;                     // the NaN pattern: 0
            b.d[3] = 0xF8;                     // bit 7 ignored: e 15, m 0: 2^8
            b.qs[0] = 0xD7;                    // value 0: code 7 (6); value 8: code 13 (-3)
            b.qs[8] = 0x07;                    // value 16: 6
            b.qs[16] = 0x07;                   // value 32: 6
            b.qs[24 + 3] = 0x10;               // value 48 + 3 + 8: code 1 (0.5)
            const auto v = bytes_of(b);
            QTest::newRow("NVFP4 6 x 1") << DType::GGML_NVFP4 << v << 0 << 6.0f;
            QTest::newRow("NVFP4 -3 x 1 (high nibble: value j + 8)") << DType::GGML_NVFP4 << v << 8 << -3.0f;
            QTest::newRow("NVFP4 6 x 2^-9 (subnormal scale)") << DType::GGML_NVFP4 << v << 16 << std::ldexp(6.0f, -9);
            QTest::newRow("NVFP4 scale 0x7F reads 0") << DType::GGML_NVFP4 << v << 32 << 0.0f;
            QTest::newRow("NVFP4 0.5 x 256 (bit 7 ignored)") << DType::GGML_NVFP4 << v << 59 << 128.0f;
        }
        {   // TQ2_0, d = 0.5: x = d * (q - 1), 2 bits per value; per 128 values byte m holds values m, m + 32,
            // m + 64, m + 96.
            auto b = zero_block<gg::BlockTQ2_0>();
            b.d = 0x3800;
            b.qs[0] = 0x92;                    // 10 01 00 10: values 0, 32, 64, 96 take q 2, 0, 1, 2
            b.qs[32 + 5] = 0x03;               // value 128 + 5: q 3 (decoded as +2 d, as llama.cpp does)
            const auto v = bytes_of(b);
            QTest::newRow("TQ2_0 q 2 -> +d") << DType::GGML_TQ2_0 << v << 0 << 0.5f;
            QTest::newRow("TQ2_0 q 0 -> -d") << DType::GGML_TQ2_0 << v << 32 << -0.5f;
            QTest::newRow("TQ2_0 q 1 -> 0") << DType::GGML_TQ2_0 << v << 64 << 0.0f;
            QTest::newRow("TQ2_0 q 2 (bits 6-7)") << DType::GGML_TQ2_0 << v << 96 << 0.5f;
            QTest::newRow("TQ2_0 q 3 -> +2d") << DType::GGML_TQ2_0 << v << 133 << 1.0f;
            QTest::newRow("TQ2_0 q 0 elsewhere -> -d") << DType::GGML_TQ2_0 << v << 255 << -0.5f;
        }
        {   // TQ1_0, d = 0.5: trits (2, 0, 1, 1, 0) = 174 in base 3, stored as ceil(174 * 256 / 243) = 184;
            // trit n of byte b is (((b 3^n) mod 256) * 3) >> 8, and x = d * (trit - 1).
            auto b = zero_block<gg::BlockTQ1_0>();
            b.d = 0x3800;
            b.qs[0] = 184;                     // values 0, 32, 64, 96, 128
            b.qs[32 + 3] = 184;                // values 160 + 3 + 16 n
            b.qh[1] = 184;                     // values 240 + 4 n + 1, n < 4: trits 2, 0, 1, 1
            const auto v = bytes_of(b);
            QTest::newRow("TQ1_0 trit 0 of qs[0]: +d") << DType::GGML_TQ1_0 << v << 0 << 0.5f;
            QTest::newRow("TQ1_0 trit 1: -d") << DType::GGML_TQ1_0 << v << 32 << -0.5f;
            QTest::newRow("TQ1_0 trit 2: 0") << DType::GGML_TQ1_0 << v << 64 << 0.0f;
            QTest::newRow("TQ1_0 trit 4: -d") << DType::GGML_TQ1_0 << v << 128 << -0.5f;
            QTest::newRow("TQ1_0 qs[35] trit 0: value 163") << DType::GGML_TQ1_0 << v << 163 << 0.5f;
            QTest::newRow("TQ1_0 qs[35] trit 1: value 179") << DType::GGML_TQ1_0 << v << 179 << -0.5f;
            QTest::newRow("TQ1_0 qh[1] trit 0: value 241") << DType::GGML_TQ1_0 << v << 241 << 0.5f;
            QTest::newRow("TQ1_0 qh[1] trit 1: value 245") << DType::GGML_TQ1_0 << v << 245 << -0.5f;
            QTest::newRow("TQ1_0 byte 0: every trit 0 -> -d") << DType::GGML_TQ1_0 << v << 1 << -0.5f;
        }
        {   // IQ2_XXS, d = 1: per 32 values 4 codebook indices, then a word of 4 x 7 sign bits and a 4-bit
            // scale s: x = d (1/2 + s) / 4 * level, level of entry 0 = 8 for all 8 values. Group 0's sign bits 1:
            // value 0 negative and, for an even count of minus signs, value 7 too.
            auto b = zero_block<gg::BlockIQ2_XXS>();
            b.d = 0x3C00;
            b.qs[2] = 0x0001;                  // group 0's signs: 0000001
            b.qs[3] = 0x3000;                  // s = 3: (1/2 + 3) / 4 = 0.875
            const auto v = bytes_of(b);
            QTest::newRow("IQ2_XXS -0.875 x 8 (sign bit 0)") << DType::GGML_IQ2_XXS << v << 0 << -7.0f;
            QTest::newRow("IQ2_XXS +0.875 x 8") << DType::GGML_IQ2_XXS << v << 1 << 7.0f;
            QTest::newRow("IQ2_XXS parity sign on value 7") << DType::GGML_IQ2_XXS << v << 7 << -7.0f;
            QTest::newRow("IQ2_XXS group 1: no signs") << DType::GGML_IQ2_XXS << v << 8 << 7.0f;
            QTest::newRow("IQ2_XXS next 32: s = 0, 0.125 x 8") << DType::GGML_IQ2_XXS << v << 32 << 1.0f;
        }
        {   // IQ3_S, d = 0.5: per 32 values a 4-bit s, x = d (1 + 2 s) level, entry 0 all level 1; one sign bit
            // per value (8 per byte, no parity).
            auto b = zero_block<gg::BlockIQ3_S>();
            b.d = 0x3800;
            b.scales[0] = 0x21;                // values 0-31: s 1 (d 3); values 32-63: s 2 (d 5)
            b.signs[0] = 0x81;                 // values 0 and 7 negative
            const auto v = bytes_of(b);
            QTest::newRow("IQ3_S -0.5 x 3 x 1") << DType::GGML_IQ3_S << v << 0 << -1.5f;
            QTest::newRow("IQ3_S +0.5 x 3 x 1") << DType::GGML_IQ3_S << v << 1 << 1.5f;
            QTest::newRow("IQ3_S sign bit 7 alone (no parity)") << DType::GGML_IQ3_S << v << 7 << -1.5f;
            QTest::newRow("IQ3_S second 32: 0.5 x 5") << DType::GGML_IQ3_S << v << 32 << 2.5f;
        }
        {   // IQ1_S, d = 1: x = d (2 s + 1) (level + delta), entry 0 all level -1, delta +-1/8 by qh bit 15.
            auto b = zero_block<gg::BlockIQ1_S>();
            b.d = 0x3C00;
            b.qh[0] = 0xF000;                  // s = 7 (15 x), delta -1/8
            const auto v = bytes_of(b);
            QTest::newRow("IQ1_S 15 x (-1 - 1/8)") << DType::GGML_IQ1_S << v << 0 << -16.875f;
            QTest::newRow("IQ1_S next 32: 1 x (-1 + 1/8)") << DType::GGML_IQ1_S << v << 32 << -0.875f;
        }
        {   // IQ1_M: d is the four top nibbles of the 16-bit scale words (lowest first): 0x3C00 = 1 is
            // nibble 3 in word 2 and nibble 3 in word 3; 3-bit scales per 16 values: x = d (2 s + 1) (level +
            // delta), delta -1/8 where a group's qh nibble has bit 3.
            auto b = zero_block<gg::BlockIQ1_M>();
            b.scales[5] = 0xC0;                // word 2's top nibble: C (d bits 8-11)
            b.scales[7] = 0x30;                // word 3's top nibble: 3 (d bits 12-15)
            b.scales[0] = 0x0A;                // word 0: values 0-15 s = 2 (x 5), values 16-31 s = 1 (x 3)
            b.qh[0] = 0x80;                    // group 1 (values 8-15): delta -1/8
            const auto v = bytes_of(b);
            QTest::newRow("IQ1_M 5 x (-1 + 1/8)") << DType::GGML_IQ1_M << v << 0 << -4.375f;
            QTest::newRow("IQ1_M 5 x (-1 - 1/8)") << DType::GGML_IQ1_M << v << 8 << -5.625f;
            QTest::newRow("IQ1_M values 16-31: 3 x (-1 + 1/8)") << DType::GGML_IQ1_M << v << 16 << -2.625f;
        }
    }
    void handWorked() {
        QFETCH(DType, type);
        QFETCH(std::vector<std::uint8_t>, bytes);
        QFETCH(int, index);
        QFETCH(float, expected);
        const int n = gg::block_layout(type)->values;
        const auto y = decode(type, bytes, n);
        QCOMPARE(y[static_cast<std::size_t>(index)], expected);
    }

    // The 6-bit scale/min packing of Q4_K/Q5_K round-trips for every value (packing as the layout says).
    void scaleMinK4AllValues() {
        for (int j = 0; j < 8; ++j) {
            for (int v = 0; v < 64; ++v) {
                std::uint8_t s[12] = {};
                const int sc = v, m = 63 - v;
                if (j < 4) {
                    s[j] = static_cast<std::uint8_t>(sc);
                    s[j + 4] = static_cast<std::uint8_t>(m);
                } else {
                    s[j + 4] = static_cast<std::uint8_t>((sc & 0xF) | ((m & 0xF) << 4));
                    s[j - 4] = static_cast<std::uint8_t>((sc >> 4) << 6);
                    s[j] = static_cast<std::uint8_t>((m >> 4) << 6);
                }
                std::uint8_t gsc = 0, gm = 0;
                gg::scale_min_k4(j, s, gsc, gm);
                QCOMPARE(int(gsc), sc);
                QCOMPARE(int(gm), m);
            }
        }
    }

    // Bounds: sizes are checked against count, errors name the data and the byte offset.
    void bounds_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<int>("nbytes");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("message_part");
        QTest::newRow("exact") << DType::GGML_Q4_K << 288 << 512 << true << QString();
        QTest::newRow("one byte short") << DType::GGML_Q4_K << 287 << 512 << false << QString("at byte 287");
        QTest::newRow("one byte over") << DType::GGML_Q4_K << 289 << 512 << false << QString("bytes left over");
        QTest::newRow("partial last block") << DType::GGML_Q8_0 << 68 << 40 << true << QString();
        QTest::newRow("partial block missing") << DType::GGML_Q8_0 << 34 << 40 << false << QString("2 blocks of 34 bytes = 68 bytes");
        QTest::newRow("not a block type") << DType::F32 << 4 << 1 << false << QString("not a ggml block type");
        QTest::newRow("Q8_K not decoded") << DType::GGML_Q8_K << 292 << 256 << false << QString("not a ggml block type");
        QTest::newRow("negative count") << DType::GGML_Q4_0 << 0 << -1 << false << QString("negative");
        QTest::newRow("empty") << DType::GGML_Q6_K << 0 << 0 << true << QString();
    }
    void bounds() {
        QFETCH(DType, type);
        QFETCH(int, nbytes);
        QFETCH(int, count);
        QFETCH(bool, ok);
        QFETCH(QString, message_part);
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(nbytes), 0);
        std::vector<float> out(static_cast<std::size_t>(std::max(count, 0)));
        const ql::Status st = gg::dequantize(type, bytes, count, out, "blk.0.w");
        QCOMPARE(st.ok(), ok);
        if (!ok) {
            const QString msg = QString::fromStdString(st.error().message());
            QVERIFY2(msg.contains(message_part), qPrintable(msg));
            QVERIFY2(msg.startsWith("blk.0.w: "), qPrintable(msg));
        }
    }
    void outputTooSmall() {
        std::vector<std::uint8_t> bytes(34, 0);
        std::vector<float> out(31);
        const ql::Status st = gg::dequantize(DType::GGML_Q8_0, bytes, 32, out);
        QVERIFY(!st.ok());
        QVERIFY(QString::fromStdString(st.error().message()).contains("output holds 31 floats"));
    }

    // A partial last block decodes its first values only; unaligned input bytes decode the same.
    void partialAndUnaligned() {
        auto b = zero_block<gg::BlockQ8_0>();
        b.d = 0x3C00;
        for (int j = 0; j < 32; ++j) b.qs[j] = static_cast<std::int8_t>(j - 16);
        std::vector<std::uint8_t> two = bytes_of(b);
        const auto again = bytes_of(b);
        two.insert(two.end(), again.begin(), again.end());
        std::vector<std::uint8_t> shifted(two.size() + 1);
        std::memcpy(shifted.data() + 1, two.data(), two.size());
        std::vector<float> out(40, 99.0f), out2(40, 99.0f);
        QVERIFY(gg::dequantize(DType::GGML_Q8_0, two, 40, out).ok());
        QVERIFY(gg::dequantize(DType::GGML_Q8_0, std::span<const std::uint8_t>(shifted).subspan(1), 40, out2).ok());
        for (int i = 0; i < 40; ++i) {
            QCOMPARE(out[static_cast<std::size_t>(i)], static_cast<float>((i % 32) - 16));
            QCOMPARE(out2[static_cast<std::size_t>(i)], out[static_cast<std::size_t>(i)]);
        }
    }

    // Arbitrary bytes never crash and always give count values (NaN/Inf only where an fp16 field is).
    void randomBytesDecode() {
        ql::Rng rng(1234);
        for (DType t : {DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0, DType::GGML_Q5_1, DType::GGML_Q8_0,
                        DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K,
                        DType::GGML_IQ4_NL, DType::GGML_IQ4_XS, DType::GGML_MXFP4, DType::GGML_NVFP4, DType::GGML_TQ1_0,
                        DType::GGML_TQ2_0, DType::GGML_IQ2_XXS, DType::GGML_IQ2_XS, DType::GGML_IQ2_S, DType::GGML_IQ3_XXS,
                        DType::GGML_IQ3_S, DType::GGML_IQ1_S, DType::GGML_IQ1_M}) {
            const int n = gg::block_layout(t)->values * 3 - 5;
            std::vector<std::uint8_t> bytes(gg::bytes_for(t, n).value());
            for (auto& c : bytes) c = static_cast<std::uint8_t>(rng.next_u64() & 0xFF);
            std::vector<float> out(static_cast<std::size_t>(n), 7.0f);
            QVERIFY(gg::dequantize(t, bytes, n, out).ok());
        }
    }
};

QTEST_APPLESS_MAIN(TestGgmlBlocks)
#include "test_ggml_blocks.moc"
