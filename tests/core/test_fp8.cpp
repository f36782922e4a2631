// FP8 E4M3 / E5M2: bit patterns and values from the OCP 8-bit floating point specification v1.0, rounding
// to nearest even with subnormals, saturation, sign of zero, NaN, every code's round trip, and the
// per-tensor / per-channel scale rule on hand-worked tensors, and the vectorised loops against the scalar rounding.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <vector>
#include <limits>

#include "core/float_formats_math.h"
#include "core/format_kernels.h"
#include "core/fp8.h"
#include "core/quantizer.h"

using ql::Format;

namespace {
const ql::MiniFloat& fmt(bool e4m3) { return e4m3 ? ql::kE4M3 : ql::kE5M2; }
} // namespace

class TestFp8 : public QObject {
    Q_OBJECT
private slots:
    // OCP FP8 v1.0 table 1/2: E4M3 bias 7 (max S.1111.110 = 448, S.1111.111 NaN), E5M2 bias 15 (max
    // S.11110.11 = 57344, S.11111.00 inf).
    void decode_data() {
        QTest::addColumn<bool>("e4m3");
        QTest::addColumn<int>("code");
        QTest::addColumn<float>("value");
        QTest::newRow("E4M3 0x7E = 448 (max)") << true << 0x7E << 448.0f;
        QTest::newRow("E4M3 0xFE = -448") << true << 0xFE << -448.0f;
        QTest::newRow("E4M3 0x38 = 1.0 (exponent 7 - bias 7)") << true << 0x38 << 1.0f;
        QTest::newRow("E4M3 0x08 = 2^-6 (smallest normal)") << true << 0x08 << 0x1p-6f;
        QTest::newRow("E4M3 0x07 = 7 * 2^-9 (largest subnormal)") << true << 0x07 << 7.0f * 0x1p-9f;
        QTest::newRow("E4M3 0x01 = 2^-9 (smallest subnormal)") << true << 0x01 << 0x1p-9f;
        QTest::newRow("E4M3 0x78 = 256") << true << 0x78 << 256.0f;
        QTest::newRow("E5M2 0x7B = 57344 (max)") << false << 0x7B << 57344.0f;
        QTest::newRow("E5M2 0x3C = 1.0") << false << 0x3C << 1.0f;
        QTest::newRow("E5M2 0x04 = 2^-14 (smallest normal)") << false << 0x04 << 0x1p-14f;
        QTest::newRow("E5M2 0x01 = 2^-16 (smallest subnormal)") << false << 0x01 << 0x1p-16f;
        QTest::newRow("E5M2 0x7C = inf") << false << 0x7C << std::numeric_limits<float>::infinity();
        QTest::newRow("E5M2 0xFC = -inf") << false << 0xFC << -std::numeric_limits<float>::infinity();
    }
    void decode() {
        QFETCH(bool, e4m3);
        QFETCH(int, code);
        QFETCH(float, value);
        QCOMPARE(ql::minifloat_decode(static_cast<std::uint32_t>(code), fmt(e4m3)), value);
        if (std::isfinite(value)) QCOMPARE(int(ql::minifloat_encode(value, fmt(e4m3))), code);
    }
    void nanCodes() {
        QVERIFY(std::isnan(ql::minifloat_decode(0x7F, ql::kE4M3)));
        QVERIFY(std::isnan(ql::minifloat_decode(0xFF, ql::kE4M3)));
        QVERIFY(!std::isnan(ql::minifloat_decode(0x7E, ql::kE4M3)));
        for (int c : {0x7D, 0x7E, 0x7F, 0xFD, 0xFE, 0xFF}) QVERIFY(std::isnan(ql::minifloat_decode(static_cast<std::uint32_t>(c), ql::kE5M2)));
    }

    // Rounding to nearest, ties to even, on the grid (values worked by hand from the grid spacing).
    void rounding_data() {
        QTest::addColumn<bool>("e4m3");
        QTest::addColumn<float>("x");
        QTest::addColumn<float>("expected");
        QTest::addColumn<bool>("clipped");
        // E4M3 in [1, 2): spacing 1/8
        QTest::newRow("E4M3 1.0625 tie -> 1.0 (even)") << true << 1.0625f << 1.0f << false;
        QTest::newRow("E4M3 1.1875 tie -> 1.25 (even)") << true << 1.1875f << 1.25f << false;
        QTest::newRow("E4M3 1.07 -> 1.125") << true << 1.07f << 1.125f << false;
        QTest::newRow("E4M3 1.96875 tie -> 2.0 (next binade)") << true << 1.96875f << 2.0f << false;
        // top: 416, 448; 464 is the midpoint to the next (absent) 480 and ties to even 448
        QTest::newRow("E4M3 432 tie -> 448 (mantissa 110 even)") << true << 432.0f << 448.0f << false;
        QTest::newRow("E4M3 464 -> 448, not clipped (ties to even)") << true << 464.0f << 448.0f << false;
        QTest::newRow("E4M3 465 saturates to 448") << true << 465.0f << 448.0f << true;
        QTest::newRow("E4M3 1e6 saturates") << true << 1e6f << 448.0f << true;
        QTest::newRow("E4M3 -1e6 saturates to -448") << true << -1e6f << -448.0f << true;
        // subnormals: spacing 2^-9
        QTest::newRow("E4M3 2^-10 tie -> 0 (even)") << true << 0x1p-10f << 0.0f << false;
        QTest::newRow("E4M3 3*2^-10 tie -> 2^-8 (even)") << true << 3.0f * 0x1p-10f << 0x1p-8f << false;
        QTest::newRow("E4M3 1.1*2^-10 -> 2^-9") << true << 1.1f * 0x1p-10f << 0x1p-9f << false;
        QTest::newRow("E4M3 inf saturates") << true << std::numeric_limits<float>::infinity() << 448.0f << true;
        // E5M2 in [1, 2): spacing 1/4; top 49152, 57344, next 65536, midpoint 61440
        QTest::newRow("E5M2 1.125 tie -> 1.0") << false << 1.125f << 1.0f << false;
        QTest::newRow("E5M2 1.375 tie -> 1.5") << false << 1.375f << 1.5f << false;
        QTest::newRow("E5M2 61440 tie -> 65536: saturates") << false << 61440.0f << 57344.0f << true;
        QTest::newRow("E5M2 61439 -> 57344") << false << 61439.0f << 57344.0f << false;
        QTest::newRow("E5M2 2^-17 tie -> 0") << false << 0x1p-17f << 0.0f << false;
        QTest::newRow("E5M2 3*2^-17 tie -> 2^-15") << false << 3.0f * 0x1p-17f << 0x1p-15f << false;
    }
    void rounding() {
        QFETCH(bool, e4m3);
        QFETCH(float, x);
        QFETCH(float, expected);
        QFETCH(bool, clipped);
        bool c = false;
        QCOMPARE(ql::minifloat_round(x, fmt(e4m3), c), expected);
        QCOMPARE(c, clipped);
    }
    void signOfZeroAndNaN() {
        bool c = false;
        const float z = ql::minifloat_round(-0x1p-12f, ql::kE4M3, c);
        QVERIFY(z == 0.0f && std::signbit(z));
        QCOMPARE(int(ql::minifloat_encode(z, ql::kE4M3)), 0x80);
        QVERIFY(std::isnan(ql::minifloat_round(std::numeric_limits<float>::quiet_NaN(), ql::kE4M3, c)));
        QCOMPARE(int(ql::minifloat_nan_code(ql::kE4M3)), 0x7F);
        QCOMPARE(int(ql::minifloat_nan_code(ql::kE5M2)), 0x7E);
    }
    // The vectorised loop (AVX-512 or AVX2 where the CPU has it, scalar otherwise) against the scalar
    // definition, value for value: every code's value, the midpoints between neighbours (ties to even) and
    // the floats next to both, values beyond the largest, +-0, +-Inf and NaN, times the scale, in blocks
    // whose length is no multiple of the vector width, and in whole blocks of 16 and 32 values (MXFP4's
    // and NVFP4's, which the AVX-512 E2M1 loop takes without masks), every other block scaled by 1.5 times
    // the row's scale so that a value taking its neighbour's scale shows.
    void kernelMatchesScalar_data() {
        QTest::addColumn<int>("format");  // 0 E4M3, 1 E5M2, 2 E2M1
        QTest::addColumn<float>("scale");
        QTest::addColumn<qint64>("block");
        QTest::newRow("e4m3 scale 1") << 0 << 1.0f << qint64(37);
        QTest::newRow("e4m3 scale 0.37") << 0 << 0.37f << qint64(37);
        QTest::newRow("e5m2 scale 1") << 1 << 1.0f << qint64(37);
        QTest::newRow("e5m2 scale 3e-3") << 1 << 3e-3f << qint64(37);
        QTest::newRow("e2m1 scale 1") << 2 << 1.0f << qint64(37);
        QTest::newRow("e2m1 scale 0.5") << 2 << 0.5f << qint64(37);
        // scales that are powers of two and not, subnormal to 2^127 (the E4M3/E5M2 loop multiplies by a normal
        // exact inverse, the E2M1 loop divides)
        QTest::newRow("e2m1 scale 0.75") << 2 << 0.75f << qint64(37);
        QTest::newRow("e2m1 scale 2^-126") << 2 << 0x1p-126f << qint64(37);
        QTest::newRow("e2m1 scale 2^-127 (subnormal)") << 2 << 0x1p-127f << qint64(37);
        QTest::newRow("e2m1 scale 2^126") << 2 << 0x1p126f << qint64(37);
        QTest::newRow("e2m1 scale 2^127") << 2 << 0x1p127f << qint64(37);
        QTest::newRow("e4m3 scale 2^-20") << 0 << 0x1p-20f << qint64(37);
        QTest::newRow("e5m2 scale 2^100") << 1 << 0x1p100f << qint64(37);
        QTest::newRow("e2m1 scale 0.75, blocks of 16") << 2 << 0.75f << qint64(16);
        QTest::newRow("e2m1 scale 2^-127, blocks of 16") << 2 << 0x1p-127f << qint64(16);
        QTest::newRow("e2m1 scale 2^-3, blocks of 32") << 2 << 0.125f << qint64(32);
        QTest::newRow("e2m1 scale 2^126, blocks of 32") << 2 << 0x1p126f << qint64(32);
        QTest::newRow("e4m3 scale 0.37, blocks of 32") << 0 << 0.37f << qint64(32);
        // one block longer than the values (a per-tensor scale): its whole vectors, then a tail
        QTest::newRow("e5m2 scale 0.37, one block") << 1 << 0.37f << qint64(4097);
        QTest::newRow("e4m3 scale 2^-4, one block") << 0 << 0.0625f << qint64(4097);
    }
    void kernelMatchesScalar() {
        QFETCH(int, format);
        QFETCH(float, scale);
        const ql::MiniFloat& f = format == 0 ? ql::kE4M3 : format == 1 ? ql::kE5M2 : ql::kE2M1;
        const int codes_n = 1 << (1 + f.ebits + f.mbits);
        std::vector<float> grid;
        for (int c = 0; c < codes_n; ++c) {
            const float v = ql::minifloat_decode(static_cast<std::uint32_t>(c), f);
            if (std::isfinite(v)) grid.push_back(v);
        }
        std::sort(grid.begin(), grid.end());
        std::vector<float> x;
        const float inf = std::numeric_limits<float>::infinity();
        for (std::size_t k = 0; k < grid.size(); ++k) {
            x.push_back(grid[k]);
            if (k + 1 < grid.size()) {
                const float mid = grid[k] + (grid[k + 1] - grid[k]) * 0.5f;
                for (float v : {mid, std::nextafter(mid, -inf), std::nextafter(mid, inf)}) x.push_back(v);
            }
        }
        for (float v : {0.0f, -0.0f, f.max * 1.2f, -f.max * 1.2f, f.max * 1.0e6f, inf, -inf, std::numeric_limits<float>::quiet_NaN(),
                        1.0e-30f, -1.0e-30f})
            x.push_back(v);
        for (float& v : x) v *= scale;
        QFETCH(qint64, block);
        if (block % 16 == 0)  // whole blocks: the values again from the start up to the next block's end
            for (std::size_t k = 0; x.size() % static_cast<std::size_t>(block) != 0; ++k) x.push_back(x[k]);
        const auto n = static_cast<std::int64_t>(x.size());
        std::vector<float> scales(static_cast<std::size_t>((n + block - 1) / block), scale);
        for (std::size_t k = 1; k < scales.size(); k += 2) scales[k] = scale * 1.5f;
        std::vector<float> y(x.size());
        std::vector<std::int8_t> codes(x.size());
        const std::uint64_t clipped = ql::kernels::minifloat_fake_quant_blocks(x.data(), n, block, scales.data(), f, y.data(), codes.data());
        std::uint64_t want_clipped = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            const float s = scales[i / static_cast<std::size_t>(block)];
            bool c = false;
            float q = ql::minifloat_round(x[i] / s, f, c);
            if (q != q && !ql::minifloat_has_nan(f)) q = 0.0f;
            want_clipped += c && std::isfinite(x[i]) ? 1 : 0;
            const float want = q * s;
            const auto code = static_cast<std::int8_t>(q != q ? ql::minifloat_nan_code(f) : ql::minifloat_encode(q, f));
            QVERIFY2((std::isnan(want) && std::isnan(y[i])) || (want == y[i] && std::signbit(want) == std::signbit(y[i])),
                     qPrintable(QString("x = %1: %2, want %3").arg(double(x[i])).arg(double(y[i])).arg(double(want))));
            QCOMPARE(int(codes[i]), int(code));
        }
        QCOMPARE(clipped, want_clipped);
    }

    // Every finite code decodes to a value that rounds to itself and encodes back to the code.
    void everyCodeRoundTrips() {
        for (bool e4m3 : {true, false}) {
            int finite = 0;
            for (std::uint32_t code = 0; code < 256; ++code) {
                const float v = ql::minifloat_decode(code, fmt(e4m3));
                if (!std::isfinite(v)) continue;
                ++finite;
                bool c = false;
                QCOMPARE(ql::minifloat_round(v, fmt(e4m3), c), v);
                QVERIFY(!c);
                QCOMPARE(std::uint32_t(ql::minifloat_encode(v, fmt(e4m3))), code);
            }
            QCOMPARE(finite, e4m3 ? 254 : 248);  // E4M3: 2 NaNs; E5M2: 2 infinities and 6 NaNs
        }
    }

    // Scale = amax / 448 per tensor: amax 56 -> scale 1/8 (exact), so y = E4M3(8 x) / 8.
    void perTensorHandWorked() {
        ql::Tensor t("t", {1, 4});
        t.values = {56.0f, -1.0f, 0.13f, 0.0f};
        ql::QuantConfig c;
        c.format = Format::FP8_E4M3;
        ql::QuantParams p;
        std::vector<std::int8_t> codes;
        const auto y = ql::quantize_fp8_ref(t, c, &codes, &p);
        QCOMPARE(p.scales.at(0), 0.125f);
        QCOMPARE(y[0], 56.0f);          // 448 * 1/8
        QCOMPARE(y[1], -1.0f);          // -8 exact
        QCOMPARE(y[2], 0.125f);         // 1.04 -> 1.0 (spacing 1/8 in [1, 2))
        QCOMPARE(y[3], 0.0f);
        QCOMPARE(static_cast<std::uint8_t>(codes[0]), std::uint8_t(0x7E));
    }
    // Per channel: each row gets its own amax / 57344 (E5M2).
    void perChannel() {
        ql::Tensor t("t", {2, 2});
        t.values = {57344.0f, 1.0f, -7.0f, 3.5f};
        ql::QuantConfig c;
        c.format = Format::FP8_E5M2;
        c.granularity = ql::Granularity::PerChannel;
        ql::QuantParams p;
        const auto y = ql::quantize_fp8_ref(t, c, nullptr, &p);
        QCOMPARE(p.scales.at(0), 1.0f);
        QCOMPARE(p.scales.at(1), 7.0f / 57344.0f);
        QCOMPARE(y[0], 57344.0f);
        QCOMPARE(y[1], 1.0f);
        QCOMPARE(y[2], -7.0f);
    }
    // An all-zero tensor gets scale 1 and stays zero.
    void allZero() {
        ql::Tensor t("t", {8});
        ql::QuantConfig c;
        c.format = Format::FP8_E4M3;
        ql::QuantParams p;
        const auto y = ql::quantize_fp8_ref(t, c, nullptr, &p);
        QCOMPARE(p.scales.at(0), 1.0f);
        for (float v : y) QCOMPARE(v, 0.0f);
    }
};

QTEST_APPLESS_MAIN(TestFp8)
#include "test_fp8.moc"
