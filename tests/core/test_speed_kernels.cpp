// Speed kernels (core/speed/speed_kernels.h): every format, every ISA path this CPU has plus the plain
// C++ path forced, against a double-precision reference product, on shapes around the vector, tile,
// group and k-block edges. Two checks per case:
//   kernel:  against the double product of the operands the kernel actually multiplies (dequantized
//            weights and activations): only float rounding of scales and sums may differ;
//   format:  against the double product of the original float operands: the quantization error of
//            the format (INT8 per-row weights and activations; 4-bit weights with group scales).
#include <QtTest>

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
    // u = round(W/s) + 8, low nibble of byte j = input j of a 64-input chunk, high nibble = input j+32.
    void known_codes() {
        const std::vector<float> w8 = {127.0f, -63.5f, 0.0f, 1.4f};
        const Int8Weights q8 = quantize_int8_rows(w8.data(), 1, 4);
        QCOMPARE(q8.scale[0], 1.0f);
        QCOMPARE(int(q8.q[0]), 127);
        QCOMPARE(int(q8.q[1]), -64);   // -63.5 rounds to even
        QCOMPARE(int(q8.q[2]), 0);
        QCOMPARE(int(q8.q[3]), 1);
        QCOMPARE(q8.row_sum[0], 64);
        QCOMPARE(q8.padded_cols, std::int64_t{64});

        std::vector<float> w4(70, 0.0f);
        w4[0] = 7.0f;
        w4[1] = -7.0f;
        w4[2] = 3.5f;    // 3.5 -> 4 (half to even) -> u = 12
        w4[33] = -2.6f;  // alone in group 1 (inputs 32..63): s = 2.6/7, -2.6/s = -7 -> u = 1, high nibble of byte 1
        w4[69] = 1.0f;   // second group of 64 inputs (group 32): its own scale 1/7
        const W4Weights q4 = quantize_w4(w4.data(), 1, 70, 32);
        QCOMPARE(q4.padded_cols, std::int64_t{128});
        QCOMPARE(q4.groups, std::int64_t{4});
        QCOMPARE(q4.scale[0], 1.0f);
        QCOMPARE(q4.code(0, 0), 15);
        QCOMPARE(q4.code(0, 1), 1);
        QCOMPARE(q4.code(0, 2), 12);
        QCOMPARE(q4.code(0, 3), 8);
        QCOMPARE(q4.code(0, 33), 1);
        QCOMPARE(q4.scale[1], 2.6f / 7.0f);
        QCOMPARE(int(q4.packed[1]), 0x11);  // low nibble input 1 (u 1), high nibble input 33 (u 1)
        QCOMPARE(int(q4.packed[2]), 0x8C);  // input 2 (u 12), input 34 (zero: u 8)
        QCOMPARE(q4.scale[2], 1.0f / 7.0f);
        QCOMPARE(q4.code(0, 69), 15);
        QCOMPARE(q4.scale[3], 0.0f);        // padding group
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
            {7, 300, 5, 32},     {9, 330, 2, 64},    {17, 2100, 200, 128}, // 200 activation rows: past the 192-row block
            {3, 1, 4, 128},
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
                for (int k = 0; k < cols; ++k) wd[std::size_t(r) * cols + k] = double(q.q[std::size_t(r) * q.padded_cols + k]) * q.scale[r];
            matmul_int8(x.data(), batch, q, y.data(), isa);
            tol_format = kTolFormatInt8;
        } else {
            const W4Weights q = quantize_w4(w.data(), rows, cols, group);
            for (int r = 0; r < rows; ++r)
                for (int k = 0; k < cols; ++k)
                    wd[std::size_t(r) * cols + k] = double(q.code(r, k) - 8) * q.scale[std::size_t(r) * q.groups + k / group];
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
