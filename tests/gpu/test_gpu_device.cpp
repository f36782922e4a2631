// Device detection (gpu/gpu_backend.h) and the no-device path. Runs on every machine: without a device
// (or without CUDA in the build) every gpu/ entry point must answer with an error value that says why,
// never crash; with one, the detected figures must be plausible and self-consistent.
#include <QtTest>

#include "core/accelerator.h"
#include "gpu/gpu_backend.h"
#include "gpu/gpu_gemm.h"

namespace {
constexpr double kGbpsTol = 0.05;  // GB/s: the formula's figures are exact to well below this
}

class TestGpuDevice : public QObject {
    Q_OBJECT
private slots:
    // GB/s = 2 * clock_kHz * 1e3 * bus_bits / 8 / 1e9, with the clocks and bus widths the CUDA runtime
    // reports for these boards and their published bandwidths.
    void peakBandwidth_data() {
        QTest::addColumn<int>("clockKhz");
        QTest::addColumn<int>("busBits");
        QTest::addColumn<double>("gbps");
        QTest::newRow("A100 40GB (HBM2, 1555 GB/s)") << 1215000 << 5120 << 1555.2;
        QTest::newRow("H100 SXM (HBM3, 3.35 TB/s)") << 2619000 << 5120 << 3352.32;
        QTest::newRow("RTX 4090 (GDDR6X, 1008 GB/s)") << 10501000 << 384 << 1008.096;
        QTest::newRow("T4 (GDDR6, 320 GB/s)") << 5001000 << 256 << 320.064;
        QTest::newRow("unknown clock") << 0 << 5120 << 0.0;
        QTest::newRow("unknown bus") << 1215000 << 0 << 0.0;
    }
    void peakBandwidth() {
        QFETCH(int, clockKhz);
        QFETCH(int, busBits);
        QFETCH(double, gbps);
        QVERIFY(std::fabs(ql::gpu::peak_bandwidth_gbps(clockKhz, busBits) - gbps) <= kGbpsTol);
    }

    void buildFlagMatchesBinary() {
#if defined(QL_HAVE_CUDA)
        QVERIFY(ql::gpu::device_info().built_with_cuda);
#else
        QVERIFY(!ql::gpu::device_info().built_with_cuda);
#endif
    }

    // Without a device: no accelerator, a reason, and error values from every entry point.
    void noDevicePathReturnsErrors() {
        const auto& d = ql::gpu::device_info();
        if (d.available) QSKIP("a CUDA device is present: the no-device path is not reachable here");
        QVERIFY2(d.reason.rfind("no CUDA device", 0) == 0, d.reason.c_str());
        QVERIFY(d.name.empty());
        QCOMPARE(d.bandwidth_gbps, 0.0);
        QVERIFY(ql::gpu::make_accelerator() == nullptr);
        QVERIFY(!ql::gpu::last_pass_error(nullptr).empty());
        const std::vector<float> x(8, 1.0f), w(16, 1.0f);
        for (auto f : {ql::gpu::GemmFormat::F32, ql::gpu::GemmFormat::F16, ql::gpu::GemmFormat::Int8, ql::gpu::GemmFormat::W4A16}) {
            const auto y = ql::gpu::gemm(f, x.data(), 1, w.data(), 2, 8);
            QVERIFY(!y.ok());
            QVERIFY2(y.error().message().find(d.reason) != std::string::npos, y.error().message().c_str());
            const auto t = ql::gpu::measure_gemm(f, 64, 64, 1, 3);
            QVERIFY(!t.ok());
            QVERIFY(t.error().message().find(d.reason) != std::string::npos);
        }
    }

    // With a device: the figures the status bar and About show.
    void deviceFiguresArePlausible() {
        const auto& d = ql::gpu::device_info();
        if (!d.available) QSKIP(qPrintable(QString::fromStdString(d.reason)));
        QVERIFY(d.reason.empty());
        QVERIFY(!d.name.empty());
        QVERIFY(d.cc_major >= 5);
        QVERIFY(d.sm_count > 0);
        QVERIFY(d.device_count >= 1);
        QVERIFY(d.memory_total_gib > 0);
        QVERIFY(d.memory_free_gib > 0 && d.memory_free_gib <= d.memory_total_gib);
        QVERIFY(d.memory_clock_khz > 0 && d.memory_bus_bits > 0);
        QCOMPARE(d.bandwidth_gbps, ql::gpu::peak_bandwidth_gbps(d.memory_clock_khz, d.memory_bus_bits));
        QVERIFY(d.bandwidth_gbps > 50 && d.bandwidth_gbps < 20000);  // from a laptop GPU to beyond B200
        QVERIFY(d.runtime_version >= 12000);
        QVERIFY(d.driver_version > 0);
        QVERIFY(ql::gpu::make_accelerator() != nullptr);
    }
};

QTEST_APPLESS_MAIN(TestGpuDevice)
#include "test_gpu_device.moc"
