// The GPU products y = x W^T (gpu/gpu_gemm.h) against a double-precision reference product, by NMSE with
// a tolerance per format, and INT8 against core's CPU kernel on the same codes. Shapes around the block
// edges (1, 3, 31, 33 rows/cols; inputs not a multiple of the group). Skips, saying why, without a
// device; without one the calls must return an error value, which is checked here on every machine.
#include <QtTest>

#include <cmath>

#include "core/rng.h"
#include "core/speed/speed_kernels.h"
#include "gpu/gpu_backend.h"
#include "gpu/gpu_gemm.h"

using ql::gpu::GemmFormat;

Q_DECLARE_METATYPE(ql::gpu::GemmFormat)

namespace {

// NMSE = ||y - ref||^2 / ||ref||^2 allowed per format: float32 sums in another order; fp16 inputs
// (2^-11 relative rounding); int8 per-row weights and activations; 4-bit weights in groups of 128.
constexpr double kNmseF32 = 1e-10;
constexpr double kNmseF16 = 1e-5;
constexpr double kNmseInt8 = 1e-3;
constexpr double kNmseW4 = 3e-2;
constexpr double kNmseSameCodes = 1e-10;  // GPU INT8 vs CPU INT8: the same int32 sums, scaled in float

std::vector<float> randoms(std::size_t n, std::uint64_t seed) {
    ql::Rng rng(seed);
    std::vector<float> v(n);
    for (float& x : v) x = static_cast<float>(rng.normal());
    return v;
}

std::vector<double> reference(const std::vector<float>& x, const std::vector<float>& w, std::int64_t batch, std::int64_t rows, std::int64_t cols) {
    std::vector<double> y(static_cast<std::size_t>(batch * rows));
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t r = 0; r < rows; ++r) {
            double s = 0;
            for (std::int64_t k = 0; k < cols; ++k) s += double(x[std::size_t(b * cols + k)]) * double(w[std::size_t(r * cols + k)]);
            y[std::size_t(b * rows + r)] = s;
        }
    return y;
}

template <class V>
double nmse(const std::vector<float>& y, const V& ref) {
    double num = 0, den = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double d = double(y[i]) - double(ref[i]);
        num += d * d;
        den += double(ref[i]) * double(ref[i]);
    }
    return den > 0 ? num / den : num;
}

} // namespace

class TestGpuGemm : public QObject {
    Q_OBJECT
private slots:
    // Without a device every entry point answers with an error that says why (no crash, no abort).
    void noDeviceIsAnError() {
        if (ql::gpu::device_info().available) QSKIP("a CUDA device is present: the no-device path is not reachable here");
        const std::vector<float> x(4, 1.0f), w(4, 1.0f);
        const auto y = ql::gpu::gemm(GemmFormat::F32, x.data(), 1, w.data(), 1, 4);
        QVERIFY(!y.ok());
        QVERIFY(y.error().message().find("no CUDA device") != std::string::npos);
        const auto t = ql::gpu::measure_gemm(GemmFormat::W4A16, 64, 64, 1, 1);
        QVERIFY(!t.ok());
        QVERIFY(!t.error().rule.empty());
    }

    void matchesReference_data() {
        QTest::addColumn<GemmFormat>("format");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("batch");
        QTest::addColumn<double>("tolerance");
        const struct {
            GemmFormat f;
            double tol;
        } formats[] = {{GemmFormat::F32, kNmseF32}, {GemmFormat::F16, kNmseF16}, {GemmFormat::Int8, kNmseInt8}, {GemmFormat::W4A16, kNmseW4}};
        // batch 1 and <= 8 take the GEMV kernels, > 8 the GEMM paths (cuBLASLt int8, W4 dequantize + GemmEx)
        const int shapes[][3] = {{1, 1, 1}, {3, 31, 1}, {33, 33, 3}, {31, 300, 1}, {64, 4096, 1}, {40, 200, 8},
                                 {40, 200, 9}, {257, 1000, 17}, {128, 512, 64}};
        for (const auto& f : formats)
            for (const auto& s : shapes)
                QTest::newRow(qPrintable(QStringLiteral("%1 %2x%3 batch %4").arg(ql::gpu::gemm_format_name(f.f)).arg(s[0]).arg(s[1]).arg(s[2])))
                    << f.f << s[0] << s[1] << s[2] << f.tol;
    }
    void matchesReference() {
        if (!ql::gpu::device_info().available) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        QFETCH(GemmFormat, format);
        QFETCH(int, rows);
        QFETCH(int, cols);
        QFETCH(int, batch);
        QFETCH(double, tolerance);
        const auto w = randoms(std::size_t(rows) * cols, 11);
        const auto x = randoms(std::size_t(batch) * cols, 12);
        const auto y = ql::gpu::gemm(format, x.data(), batch, w.data(), rows, cols);
        QVERIFY2(y.ok(), y.ok() ? "" : y.error().message().c_str());
        QCOMPARE(y->size(), std::size_t(rows) * batch);
        const double e = nmse(*y, reference(x, w, batch, rows, cols));
        QVERIFY2(e <= tolerance, qPrintable(QStringLiteral("NMSE %1 > %2").arg(e).arg(tolerance)));
    }

    // The GPU INT8 paths sum the same codes as core's CPU kernel in int32: the results agree to float
    // rounding (batch 5: the dp4a GEMV; batch 40: cuBLASLt's int8 GEMM or, without an algorithm, the GEMV).
    void int8SameCodesAsCpu_data() {
        QTest::addColumn<int>("batch");
        QTest::newRow("gemv batch 5") << 5;
        QTest::newRow("gemm batch 40") << 40;
    }
    void int8SameCodesAsCpu() {
        if (!ql::gpu::device_info().available) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        QFETCH(int, batch);
        const int rows = 96, cols = 1000;
        const auto w = randoms(std::size_t(rows) * cols, 21);
        const auto x = randoms(std::size_t(batch) * cols, 22);
        const auto y = ql::gpu::gemm(GemmFormat::Int8, x.data(), batch, w.data(), rows, cols);
        QVERIFY(y.ok());
        std::vector<float> cpu(std::size_t(rows) * batch);
        ql::speed::matmul_int8(x.data(), batch, ql::speed::quantize_int8_rows(w.data(), rows, cols), cpu.data(), ql::speed::Isa::Scalar);
        QVERIFY(nmse(*y, cpu) <= kNmseSameCodes);
    }

    // The timing entry point the speed view calls: positive medians within [min, max], a floor, the
    // kernel's name, and FLOPs of the shape.
    void measureGemm_data() {
        QTest::addColumn<GemmFormat>("format");
        QTest::addColumn<int>("batch");
        for (GemmFormat f : {GemmFormat::F32, GemmFormat::F16, GemmFormat::Int8, GemmFormat::W4A16})
            for (int b : {1, 16})
                QTest::newRow(qPrintable(QStringLiteral("%1 batch %2").arg(ql::gpu::gemm_format_name(f)).arg(b))) << f << b;
    }
    void measureGemm() {
        if (!ql::gpu::device_info().available) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        QFETCH(GemmFormat, format);
        QFETCH(int, batch);
        const int rows = 512, cols = 1024, repeats = 5;
        int calls = 0;
        const auto t = ql::gpu::measure_gemm(format, rows, cols, batch, repeats, [&](int done, int total) {
            ++calls;
            return done <= total;
        });
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message().c_str());
        QCOMPARE(calls, repeats);
        QVERIFY(t->median_ms > 0 && t->min_ms <= t->median_ms && t->median_ms <= t->max_ms);
        QVERIFY(t->floor_ms > 0);
        QVERIFY(!t->kernel.empty());
        QVERIFY(t->copies >= 1);
        QCOMPARE(t->flops, 2.0 * rows * cols * batch);
        QVERIFY(t->weight_bytes >= rows * cols / 2.0);
        const auto cancelled = ql::gpu::measure_gemm(format, rows, cols, batch, repeats, [](int, int) { return false; });
        QVERIFY(!cancelled.ok());
    }

    void badShapeIsAnError() {
        if (!ql::gpu::device_info().available) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        const std::vector<float> v(16, 1.0f);
        QVERIFY(!ql::gpu::gemm(GemmFormat::F32, v.data(), 0, v.data(), 4, 4).ok());
        QVERIFY(!ql::gpu::gemm(GemmFormat::W4A16, v.data(), 1, v.data(), 4, 4, 48).ok());
    }
};

QTEST_APPLESS_MAIN(TestGpuGemm)
#include "test_gpu_gemm.moc"
