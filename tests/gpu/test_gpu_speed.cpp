// The GPU part of the Speed measurement (gpu/gpu_speed.h), shared by `quantlens speed` and the Speed
// view: which GPU formats a choice measures, how one timing becomes a report row (both checked on
// every machine), what a report says without a device, and, on a device, real rows with their
// floors and roofs (skipped, saying why, when there is none).
#include <QtTest>

#include <cmath>

#include "gpu/gpu_backend.h"
#include "gpu/gpu_speed.h"

using ql::speed::SpeedFormat;

namespace {
constexpr double kRelTol = 1e-12;  // plain divisions of the timing's numbers
bool close(double a, double b) { return std::fabs(a - b) <= kRelTol * std::max(std::fabs(a), std::fabs(b)); }

QString names(const std::vector<SpeedFormat>& fs) {
    QStringList out;
    for (SpeedFormat f : fs) out << QString::fromLatin1(ql::speed::format_name(f));
    return out.join(QLatin1Char(','));
}
std::vector<SpeedFormat> parse(const QString& list) {
    std::vector<SpeedFormat> out;
    for (const QString& s : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) out.push_back(*ql::speed::parse_speed_format(s.toStdString()));
    return out;
}
} // namespace

class TestGpuSpeed : public QObject {
    Q_OBJECT
private slots:
    void formatsForAChoice_data() {
        QTest::addColumn<QString>("chosen");
        QTest::addColumn<QString>("measured");
        QTest::newRow("all three CPU formats") << "fp32,int8,w4" << "fp32,fp16,int8,w4a16";
        QTest::newRow("fp32 brings fp16") << "fp32" << "fp32,fp16";
        QTest::newRow("fp16 alone") << "fp16" << "fp16";
        QTest::newRow("w4 and w4a16 once") << "w4,w4a16" << "w4a16";
        QTest::newRow("order of the choice") << "int8,fp16,fp32" << "int8,fp16,fp32";
    }
    void formatsForAChoice() {
        QFETCH(QString, chosen);
        QFETCH(QString, measured);
        QCOMPARE(names(ql::gpu::gpu_speed_formats(parse(chosen))), measured);
    }

    // A timing becomes a row: GB/s = bytes / median, floor GB/s = bytes / floor, GFLOP/s = FLOPs / median,
    // intensity by core's formula; the kernel is the row's path.
    void timingToRow() {
        ql::gpu::GemmTiming t;
        t.device = "Test GPU";
        t.kernel = "dp4a GEMV";
        t.median_ms = 0.02;
        t.min_ms = 0.018;
        t.max_ms = 0.03;
        t.q25_ms = 0.019;
        t.q75_ms = 0.021;
        t.floor_ms = 0.01;
        t.weight_bytes = 4096.0 * 4096 + 4096 * 4;
        t.flops = 2.0 * 4096 * 4096;
        t.copies = 63;
        const auto m = ql::gpu::gpu_measurement(SpeedFormat::Int8, 4096, 4096, 1, t);
        QVERIFY(m.on_gpu);
        QCOMPARE(QString::fromStdString(m.device), QStringLiteral("CUDA: Test GPU"));
        QCOMPARE(QString::fromStdString(m.path), QStringLiteral("dp4a GEMV"));
        QCOMPARE(int(m.format), int(SpeedFormat::Int8));
        QCOMPARE(m.copies, 63);
        QCOMPARE(m.q25_ms, 0.019);
        QCOMPARE(m.q75_ms, 0.021);
        QVERIFY(close(m.gbps, t.weight_bytes / 0.02e-3 / 1e9));
        QVERIFY(close(m.floor_gbps, t.weight_bytes / 0.01e-3 / 1e9));
        QVERIFY(close(m.gflops, t.flops / 0.02e-3 / 1e9));
        QVERIFY(close(m.ratio_to_floor(), 2.0));
        QVERIFY(close(m.intensity, ql::speed::arithmetic_intensity(1, 4096, 4096, t.weight_bytes)));
    }

    // Without a device the report holds no GPU rows and says why, in the words of device_info().
    void noDeviceSaysWhy() {
        if (ql::gpu::device_info().available) QSKIP("a CUDA device is present: the no-device path is not reachable here");
        ql::speed::SpeedRequest req;
        req.rows = 64;
        req.cols = 64;
        ql::speed::SpeedReport r;
        ql::gpu::add_gpu_speed(req, r);
        QVERIFY(r.items.empty());
        QVERIFY(!r.gpu.present());
        QCOMPARE(r.gpu.none_reason, ql::gpu::device_info().reason);
        QVERIFY(!r.gpu.none_reason.empty());
    }

    // On a device: one row per GPU format and batch, on_gpu, with a floor, inside the roofs the summary
    // reports; cancel stops the run.
    void measuresOnTheDevice() {
        if (!ql::gpu::device_info().available) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        ql::speed::SpeedRequest req;
        req.rows = 512;
        req.cols = 1024;
        req.batches = {1, 16};
        req.repeats = 3;
        ql::speed::SpeedReport r;
        std::size_t last = 0, total = 0;
        ql::gpu::add_gpu_speed(req, r, [&](std::size_t d, std::size_t t) {
            last = d;
            total = t;
            return true;
        });
        QVERIFY2(r.gpu.failures.empty(), r.gpu.failures.c_str());
        QCOMPARE(r.items.size(), std::size_t(4 * 2));
        QCOMPARE(last, total);
        QVERIFY(r.gpu.present());
        for (const auto& m : r.items) {
            QVERIFY(m.on_gpu);
            QVERIFY(m.floor_ms > 0 && m.median_ms > 0);
            QVERIFY(m.q25_ms <= m.median_ms && m.median_ms <= m.q75_ms);
            QVERIFY(r.gpu.read_gbps >= m.floor_gbps);
            QVERIFY(r.gpu.roof_gflops >= m.gflops);
        }
        ql::speed::SpeedReport c;
        ql::gpu::add_gpu_speed(req, c, [](std::size_t, std::size_t) { return false; });
        QVERIFY(c.cancelled);
    }
};

QTEST_APPLESS_MAIN(TestGpuSpeed)
#include "test_gpu_speed.moc"
