// Speed kernels (core/speed/speed_kernels.h): every format, every ISA path this CPU has plus the plain
// C++ path forced, against a double-precision reference product, on shapes around the vector, tile,
// group and k-block edges. Two checks per case:
//   kernel:  against the double product of the operands the kernel actually multiplies (dequantized
//            weights and activations): only float rounding of scales and sums may differ;
//   format:  against the double product of the original float operands: the quantization error of
//            the format (INT8 per-row weights and activations; 4-bit weights with group scales).
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/rng.h"
#include "core/speed/speed_kernels.h"

using namespace ql::speed;

namespace {

// Tolerances on NMSE = sum (y - ref)^2 / sum ref^2.
constexpr double kTolKernelF32 = 1e-10;   // float sums of up to 4096 products vs double
constexpr double kTolKernelInt = 1e-10;   // int32 dots are exact; only scale products round
constexpr double kTolFormatInt8 = 1e-3;   // 8-bit weights and activations: ~2e-4 on normal data
constexpr double kTolFormatW4 = 4e-2;     // 4-bit weights, group 128: ~1.2e-2 on normal data

std::vector<float> normal(std::size_t n, std::uint64_t seed) {
    ql::Rng rng(seed);
    std::vector<float> v(n);
    for (auto& f : v) f = static_cast<float>(rng.normal());
    return v;
}

// ref[b][r] = sum_k x[b][k] w[r][k] in double.
std::vector<double> reference(const std::vector<double>& x, const std::vector<double>& w, std::int64_t batch, std::int64_t rows,
                              std::int64_t cols) {
    std::vector<double> y(static_cast<std::size_t>(batch * rows));
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t r = 0; r < rows; ++r) {
            double s = 0;
            for (std::int64_t k = 0; k < cols; ++k) s += x[b * cols + k] * w[r * cols + k];
            y[b * rows + r] = s;
        }
    return y;
}

double nmse(const std::vector<float>& y, const std::vector<double>& ref) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < ref.size(); ++i) {
        num += (y[i] - ref[i]) * (y[i] - ref[i]);
        den += ref[i] * ref[i];
    }
    return den > 0 ? num / den : num;
}

std::vector<double> to_double(const std::vector<float>& v) { return {v.begin(), v.end()}; }

// The activations as the integer kernels see them: q * scale per row.
std::vector<double> dequantized_activations(const std::vector<float>& x, std::int64_t batch, std::int64_t cols) {
    const Int8Activations a = quantize_activations(x.data(), batch, cols, cols);
    std::vector<double> d(static_cast<std::size_t>(batch * cols));
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t k = 0; k < cols; ++k) d[b * cols + k] = double(a.q[b * a.padded_cols + k]) * a.scale[b];
    return d;
}

} // namespace

Q_DECLARE_METATYPE(ql::speed::Isa)

class TestSpeedKernels : public QObject {
    Q_OBJECT
private slots:
    void isa_detection() {
        QVERIFY(isa_supported(Isa::Scalar));
        QVERIFY(isa_supported(best_isa()));
        QCOMPARE(resolve(Isa::Auto), best_isa());
        QCOMPARE(supported_isas().front(), Isa::Scalar);
        if (!isa_supported(Isa::Avx512Vnni)) QCOMPARE(resolve(Isa::Avx512Vnni), best_isa());
        qInfo("best ISA on this CPU: %s", isa_name(best_isa()));
    }

    // Known codes from the definitions: INT8 s = max|W|/127, q = round-half-even(W/s); W4 s = max|W|/7,
    // u = round(W/s) + 8. Tile layouts: INT8 byte ((t * padded/4 + s) * 16 + i) * 4 + j = code(16t+i, 4s+j) + 128;
    // W4 byte (t * padded/8 + s) * 64 + 4i + j = u(16t+i, 8s+j) | u(16t+i, 8s+4+j) << 4.
    void known_codes() {
        std::vector<float> w8(2 * 70, 0.0f);
        w8[0] = 127.0f;
        w8[1] = -63.5f;   // rounds to even: -64
        w8[3] = 1.4f;
        w8[70 + 5] = 2.0f; // row 1: s = 2/127, code 127 at input 5
        w8[70 + 69] = -1.0f;
        const Int8Weights q8 = quantize_int8_rows(w8.data(), 2, 70);
        QCOMPARE(q8.padded_cols, std::int64_t{128});
        QCOMPARE(q8.tiles, std::int64_t{1});
        QCOMPARE(q8.scale[0], 1.0f);
        QCOMPARE(q8.scale[1], 2.0f / 127.0f);
        QCOMPARE(q8.scale[2], 0.0f);          // padding row of the tile
        QCOMPARE(q8.code(0, 0), 127);
        QCOMPARE(q8.code(0, 1), -64);
        QCOMPARE(q8.code(0, 2), 0);
        QCOMPARE(q8.code(0, 3), 1);
        QCOMPARE(q8.code(1, 5), 127);
        QCOMPARE(q8.code(1, 69), -64);        // -1 / (2/127) = -63.5 -> -64
        QCOMPARE(int(q8.q[0]), 127 + 128);    // row 0, inputs 0..3
        QCOMPARE(int(q8.q[1]), -64 + 128);
        QCOMPARE(int(q8.q[4 + 0]), 128);      // row 1, input 0
        QCOMPARE(int(q8.q[64 + 4 + 1]), 255); // step 1 (inputs 4..7), row 1, input 5
        QCOMPARE(int(q8.q[(17 * 16 + 1) * 4 + 1]), -64 + 128);  // step 17 (inputs 68..71), row 1, input 69
        QCOMPARE(q8.q.size(), std::size_t(16 * 128));
        const std::vector<std::int8_t> rm8 = q8.row_major();
        QCOMPARE(rm8.size(), std::size_t(2 * 128));
        QCOMPARE(int(rm8[1]), -64);
        QCOMPARE(int(rm8[128 + 69]), -64);
        QCOMPARE(int(rm8[128 + 70]), 0);      // padding input

        std::vector<float> w4(70, 0.0f);
        w4[0] = 7.0f;
        w4[1] = -7.0f;
        w4[2] = 3.5f;    // 3.5 -> 4 (half to even) -> u = 12
        w4[33] = -2.6f;  // alone in group 1 (inputs 32..63): s = 2.6/7, -2.6/s = -7 -> u = 1
        w4[5] = 1.0f;    // 1/1 -> u = 9, high nibble of byte 1
        w4[69] = 1.0f;   // second group of 64 inputs (group 32): its own scale 1/7
        const W4Weights q4 = quantize_w4(w4.data(), 1, 70, 32);
        QCOMPARE(q4.padded_cols, std::int64_t{128});
        QCOMPARE(q4.groups, std::int64_t{4});
        QCOMPARE(q4.tiles, std::int64_t{1});
        QCOMPARE(q4.group_scale(0, 0), 1.0f);
        QCOMPARE(q4.code(0, 0), 15);
        QCOMPARE(q4.code(0, 1), 1);
        QCOMPARE(q4.code(0, 2), 12);
        QCOMPARE(q4.code(0, 3), 8);
        QCOMPARE(q4.code(0, 5), 9);
        QCOMPARE(q4.code(0, 33), 1);
        QCOMPARE(q4.group_scale(0, 1), 2.6f / 7.0f);
        QCOMPARE(int(q4.packed[0]), 0x8F);    // inputs 0 (u 15) and 4 (u 8)
        QCOMPARE(int(q4.packed[1]), 0x91);    // inputs 1 (u 1) and 5 (u 9)
        QCOMPARE(int(q4.packed[4 * 64 + 1]), 0x81);  // step 4 (inputs 32..39): input 33 (u 1), input 37 (u 8)
        QCOMPARE(int(q4.packed[4]), 0x88);    // row 1 of the tile: padding, code 0
        QCOMPARE(q4.scale[1 * 16], 2.6f / 7.0f);     // tile 0, group 1, row 0
        QCOMPARE(q4.group_scale(0, 2), 1.0f / 7.0f);
        QCOMPARE(q4.code(0, 69), 15);
        QCOMPARE(q4.group_scale(0, 3), 0.0f); // padding group
        QCOMPARE(q4.packed.size(), std::size_t(16 * 64));
        // the plain layout: byte j of a row's 32-byte chunk = input j (low nibble) | input 32 + j (high)
        const std::vector<std::uint8_t> rm4 = q4.row_major_packed();
        QCOMPARE(rm4.size(), std::size_t(64));
        QCOMPARE(int(rm4[1]), 0x11);          // input 1 (u 1), input 33 (u 1)
        QCOMPARE(int(rm4[2]), 0x8C);          // input 2 (u 12), input 34 (u 8)
        QCOMPARE(int(rm4[32 + 5]), 0x8F);     // chunk 1: input 69 (u 15) low, input 101 (padding, u 8) high
        const std::vector<float> rs4 = q4.row_major_scale();
        QCOMPARE(rs4.size(), std::size_t(4));
        QCOMPARE(rs4[1], 2.6f / 7.0f);
    }

    // The tiles hold the same codes as the plain layout for rows and inputs around the tile and
    // group edges.
    void layouts_agree_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("group");
        QTest::newRow("1x1 g32") << 1 << 1 << 32;
        QTest::newRow("17x100 g32") << 17 << 100 << 32;
        QTest::newRow("33x300 g96") << 33 << 300 << 96;
    }
    void layouts_agree() {
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, group);
        const std::vector<float> w = normal(std::size_t(rows) * cols, 77);
        const Int8Weights q8 = quantize_int8_rows(w.data(), rows, cols);
        const W4Weights q4 = quantize_w4(w.data(), rows, cols, group);
        const std::vector<std::int8_t> rm8 = q8.row_major();
        const std::vector<std::uint8_t> rm4 = q4.row_major_packed();
        const std::vector<float> rs4 = q4.row_major_scale();
        for (int r = 0; r < rows; ++r)
            for (int k = 0; k < cols; ++k) {
                QCOMPARE(int(rm8[std::size_t(r) * q8.padded_cols + k]), q8.code(r, k));
                // the code from the definition, against both layouts
                const float s8 = q8.scale[std::size_t(r)];
                QCOMPARE(q8.code(r, k), int(std::clamp(std::nearbyint(w[std::size_t(r) * cols + k] / s8), -127.0f, 127.0f)));
                const std::uint8_t b = rm4[std::size_t(r) * (q4.padded_cols / 2) + (k / 64) * 32 + (k % 64) % 32];
                QCOMPARE((k % 64) < 32 ? (b & 0x0F) : (b >> 4), q4.code(r, k));
                QCOMPARE(rs4[std::size_t(r) * q4.groups + k / group], q4.group_scale(r, k / group));
            }
    }

    void bad_shapes() {
        const float w = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quantize_int8_rows(&w, 0, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, quantize_w4(&w, 1, 1, 48));
        float y = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, matmul_f32(&w, 0, &w, 1, 1, &y));
    }

    void products_data() {
        QTest::addColumn<Isa>("isa");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("group");
        struct Shape { int rows, cols, batch, group; };
        const Shape shapes[] = {
            {1, 1, 1, 128},      {3, 3, 1, 128},     {31, 33, 1, 128},    {33, 31, 3, 128},
            {4096, 33, 1, 128},  {33, 4096, 1, 128}, {31, 4096, 7, 128},  {5, 2100, 1, 128},  // 2100: not a multiple of 128 or 1024
            {7, 300, 5, 32},     {9, 330, 2, 64},    {17, 2100, 400, 128}, // 400 activation rows: past the 384-row block
            {3, 1, 4, 128},
            {200, 520, 1, 128},  // decode bands: 13 tiles, the last one half full, 2 tiles past the 4 bands of a thread
            {20, 2000, 14, 96},  // group 96: k-blocks of 960 inputs; 14 rows = a 12-row register block and 2

        };
        for (Isa isa : supported_isas())
            for (const char* fmt : {"fp32", "int8", "w4"})
                for (const Shape& s : shapes) {
                    const QString name = QString("%1 %2 %3x%4 batch %5 g%6").arg(isa_name(isa), fmt).arg(s.rows).arg(s.cols).arg(s.batch).arg(s.group);
                    QTest::newRow(qPrintable(name)) << isa << QString(fmt) << s.rows << s.cols << s.batch << s.group;
                }
    }

    void products() {
        QFETCH(Isa, isa);
        QFETCH(QString, format);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, batch);
        QFETCH(int, group);
        const std::vector<float> w = normal(std::size_t(rows) * cols, 1000 + rows * 7 + cols);
        const std::vector<float> x = normal(std::size_t(batch) * cols, 2000 + batch * 11 + cols);
        std::vector<float> y(std::size_t(batch) * rows, std::nanf(""));
        const std::vector<double> exact = reference(to_double(x), to_double(w), batch, rows, cols);

        if (format == "fp32") {
            matmul_f32(x.data(), batch, w.data(), rows, cols, y.data(), isa);
            const double e = nmse(y, exact);
            QVERIFY2(e <= kTolKernelF32, qPrintable(QString("fp32 NMSE %1").arg(e)));
            return;
        }
        const std::vector<double> xd = dequantized_activations(x, batch, cols);
        std::vector<double> wd(w.size());
        double tol_format = 0;
        if (format == "int8") {
            const Int8Weights q = quantize_int8_rows(w.data(), rows, cols);
            for (int r = 0; r < rows; ++r)
                for (int k = 0; k < cols; ++k) wd[std::size_t(r) * cols + k] = double(q.code(r, k)) * q.scale[std::size_t(r)];
            matmul_int8(x.data(), batch, q, y.data(), isa);
            tol_format = kTolFormatInt8;
        } else {
            const W4Weights q = quantize_w4(w.data(), rows, cols, group);
            for (int r = 0; r < rows; ++r)
                for (int k = 0; k < cols; ++k)
                    wd[std::size_t(r) * cols + k] = double(q.code(r, k) - 8) * q.group_scale(r, k / group);
            matmul_w4(x.data(), batch, q, y.data(), isa);
            tol_format = kTolFormatW4;
        }
        const double e_kernel = nmse(y, reference(xd, wd, batch, rows, cols));
        const double e_format = nmse(y, exact);
        QVERIFY2(e_kernel <= kTolKernelInt, qPrintable(QString("kernel NMSE %1 vs the dequantized operands").arg(e_kernel)));
        QVERIFY2(e_format <= tol_format, qPrintable(QString("format NMSE %1 vs the float product").arg(e_format)));
    }

    // The paths agree with each other on one larger product (prefill-like: 64 x 1024 x 2048).
    void paths_agree() {
        const int rows = 64, cols = 2048, batch = 24;
        const std::vector<float> w = normal(std::size_t(rows) * cols, 5);
        const std::vector<float> x = normal(std::size_t(batch) * cols, 6);
        const W4Weights q = quantize_w4(w.data(), rows, cols);
        std::vector<float> ref(std::size_t(batch) * rows), y(ref.size());
        matmul_w4(x.data(), batch, q, ref.data(), Isa::Scalar);
        for (Isa isa : supported_isas()) {
            matmul_w4(x.data(), batch, q, y.data(), isa);
            QVERIFY2(nmse(y, to_double(ref)) <= kTolKernelInt, isa_name(isa));
        }
    }
};

QTEST_APPLESS_MAIN(TestSpeedKernels)
#include "test_speed_kernels.moc"
