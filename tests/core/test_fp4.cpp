// FP4 E2M1, MXFP4 (OCP Microscaling v1.0) and NVFP4 (ModelOpt's two-level scales): the E2M1 grid and its
// ties, saturation, the E8M0 shared exponent, NVFP4's block scales and their 2^-9 clamp, partial blocks;
// expected values worked by hand from the definitions in core/fp4.h.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/float_formats_math.h"
#include "core/fp4.h"

class TestFp4 : public QObject {
    Q_OBJECT
private slots:
    void grid() {
        const float expected[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
        for (std::uint32_t c = 0; c < 8; ++c) {
            QCOMPARE(ql::minifloat_decode(c, ql::kE2M1), expected[c]);
            QCOMPARE(ql::minifloat_decode(c | 8u, ql::kE2M1), -expected[c]);
        }
    }
    // ties go to the even mantissa: 0.25 -> 0, 0.75 -> 1, 1.25 -> 1, 1.75 -> 2, 2.5 -> 2, 3.5 -> 4, 5 -> 4
    void rounding_data() {
        QTest::addColumn<float>("x");
        QTest::addColumn<float>("expected");
        QTest::addColumn<bool>("clipped");
        QTest::newRow("0.25 -> 0") << 0.25f << 0.0f << false;
        QTest::newRow("0.26 -> 0.5") << 0.26f << 0.5f << false;
        QTest::newRow("0.75 -> 1") << 0.75f << 1.0f << false;
        QTest::newRow("1.25 -> 1") << 1.25f << 1.0f << false;
        QTest::newRow("1.75 -> 2") << 1.75f << 2.0f << false;
        QTest::newRow("2.5 -> 2") << 2.5f << 2.0f << false;
        QTest::newRow("3.5 -> 4") << 3.5f << 4.0f << false;
        QTest::newRow("5 -> 4") << 5.0f << 4.0f << false;
        QTest::newRow("5.1 -> 6") << 5.1f << 6.0f << false;
        QTest::newRow("6.9 -> 6") << 6.9f << 6.0f << false;
        QTest::newRow("7 -> 8 on an unbounded grid: saturates") << 7.0f << 6.0f << true;
        QTest::newRow("-2.5 -> -2") << -2.5f << -2.0f << false;
    }
    void rounding() {
        QFETCH(float, x);
        QFETCH(float, expected);
        QFETCH(bool, clipped);
        bool c = false;
        QCOMPARE(ql::minifloat_round(x, ql::kE2M1, c), expected);
        QCOMPARE(c, clipped);
    }

    // E8M0 shared exponent: floor(log2 amax) - 2.
    void sharedExponent_data() {
        QTest::addColumn<float>("amax");
        QTest::addColumn<int>("e");
        QTest::newRow("5 -> 2 - 2 = 0") << 5.0f << 0;
        QTest::newRow("4 -> 0") << 4.0f << 0;
        QTest::newRow("3.99 -> -1") << 3.99f << -1;
        QTest::newRow("0.3 -> -2 - 2 = -4") << 0.3f << -4;
        QTest::newRow("0 -> -127") << 0.0f << -127;
        QTest::newRow("2^-140 (float subnormal) clamps to -127") << 0x1p-140f << -127;
        QTest::newRow("3e38 -> 127 - 2 = 125") << 3e38f << 125;
    }
    void sharedExponent() {
        QFETCH(float, amax);
        QFETCH(int, e);
        QCOMPARE(ql::mx_shared_exponent(amax), e);
    }

    // MXFP4 blocks of 32 along a row of 40 (the second block holds 8 values).
    void mxfp4HandWorked() {
        ql::Tensor t("t", {1, 40});
        t.values.assign(40, 0.0f);
        t.values[0] = 5.0f;   // block 0 amax 5: X = 1
        t.values[1] = 2.5f;   // -> 2 (tie to even)
        t.values[2] = -0.3f;  // -> -0.5
        t.values[3] = 4.9f;   // -> 4
        t.values[32] = 0.3f;  // block 1 amax 0.3: X = 2^-4; 0.3 * 16 = 4.8 -> 4 -> 0.25
        t.values[33] = -0.05f; // 0.8 -> 1 -> -0.0625
        std::vector<std::int8_t> codes;
        ql::QuantParams p;
        const auto y = ql::quantize_mxfp4_ref(t, &codes, &p);
        QCOMPARE(p.scales.size(), std::size_t(2));
        QCOMPARE(p.scales[0], 1.0f);
        QCOMPARE(p.scales[1], 0.0625f);
        QCOMPARE(y[0], 4.0f);  // 5 -> 4 (tie between 4 and 6 goes to even 4)
        QCOMPARE(y[1], 2.0f);
        QCOMPARE(y[2], -0.5f);
        QCOMPARE(y[3], 4.0f);
        QCOMPARE(y[32], 0.25f);
        QCOMPARE(y[33], -0.0625f);
        QCOMPARE(int(codes[2]), 0x9);  // sign bit 3 | code of 0.5
    }
    // amax 7.5: X = 2^(2 - 2) = 1, so 7.5 clamps to 6 (the MX scale rule leaves values in (6X, 8X) clipped).
    void mxfp4Clamps() {
        ql::Tensor t("t", {32});
        t.values.assign(32, 0.0f);
        t.values[0] = 7.5f;
        const auto y = ql::quantize_mxfp4_ref(t, nullptr, nullptr);
        QCOMPARE(y[0], 6.0f);
    }

    // NVFP4: tensor amax 2688 -> s2 = 1; block amax 6 -> s = E4M3(1) = 1; block amax 30 -> s = 5;
    // block amax 0.001 -> 0.001/6 < 2^-9 -> s = 2^-9 and 0.001 * 512 = 0.512 -> 0.5 -> y = 2^-10.
    void nvfp4HandWorked() {
        ql::Tensor t("t", {4, 16});
        t.values.assign(64, 0.0f);
        t.values[0] = 2688.0f;                  // block 0: amax 2688 -> s = E4M3(448) = 448
        t.values[16] = 6.0f;  t.values[17] = 2.6f;   // block 1: s 1; 2.6 -> 3
        t.values[32] = 30.0f; t.values[33] = 11.0f;  // block 2: s 5; 11/5 = 2.2 -> 2 -> 10
        t.values[48] = 0.001f;                  // block 3
        ql::QuantParams p;
        const auto y = ql::quantize_nvfp4_ref(t, nullptr, &p);
        QCOMPARE(ql::nvfp4_tensor_scale(2688.0f), 1.0f);
        QCOMPARE(p.scales[0], 448.0f);
        QCOMPARE(y[0], 2688.0f);
        QCOMPARE(p.scales[1], 1.0f);
        QCOMPARE(y[16], 6.0f);
        QCOMPARE(y[17], 3.0f);
        QCOMPARE(p.scales[2], 5.0f);
        QCOMPARE(y[32], 30.0f);
        QCOMPARE(y[33], 10.0f);
        QCOMPARE(p.scales[3], 0x1p-9f);
        QCOMPARE(y[48], 0x1p-10f);
    }
    // The E4M3 block scale rounds: amax 6 * 1.07 -> s_raw 1.07 -> 1.125 (spacing 1/8 in [1, 2)).
    void nvfp4ScaleRounds() {
        QCOMPARE(ql::nvfp4_block_scale(6.0f * 1.07f, 1.0f), 1.125f);
        QCOMPARE(ql::nvfp4_block_scale(0.0f, 1.0f), 0x1p-9f);
        QCOMPARE(ql::nvfp4_tensor_scale(0.0f), 1.0f);
    }

    // FP4 E2M1 per tensor: amax 3 (Inf is not finite) -> scale 0.5; 1.3 / 0.5 = 2.6 -> 3 -> 1.5; NaN -> +0;
    // Inf saturates at 6 * 0.5.
    void fp4PerTensor() {
        ql::Tensor t("t", {5});
        t.values = {3.0f, 1.3f, -0.2f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()};
        ql::QuantConfig c;
        c.format = ql::Format::FP4_E2M1;
        ql::QuantParams p;
        std::vector<std::int8_t> codes;
        const auto y = ql::quantize_fp4_e2m1_ref(t, c, &codes, &p);
        QCOMPARE(p.scales.at(0), 0.5f);
        QCOMPARE(y[0], 3.0f);
        QCOMPARE(y[1], 1.5f);
        QCOMPARE(y[2], -0.25f);    // -0.2 / 0.5 = -0.4 -> -0.5 (nearer than 0)
        QCOMPARE(y[3], 0.0f);
        QCOMPARE(int(codes[3]), 0);
        QCOMPARE(y[4], 3.0f);
    }
};

QTEST_APPLESS_MAIN(TestFp4)
#include "test_fp4.moc"
