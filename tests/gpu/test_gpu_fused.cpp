// The CUDA fused pass against core's CPU path: same codes, histograms and error sums (sums within a
// tolerance: the GPU adds doubles in another order). Skips, saying why, when there is no device.
#include <QtTest>

#include <cmath>

#include "core/accelerator.h"
#include "core/analysis.h"
#include "core/generators.h"
#include "gpu/gpu_backend.h"

namespace {
constexpr double kSumRelTol = 1e-9;  // double sums in a different order
}

class TestGpuFused : public QObject {
    Q_OBJECT
private slots:
    void deviceInfoIsConsistent() {
        const auto& d = ql::gpu::device_info();
        if (!d.available) {
            QVERIFY2(!d.reason.empty(), "an unavailable device must say why");
            QSKIP(qPrintable(QString::fromStdString(d.reason)));
        }
        QVERIFY(!d.name.empty());
        QVERIFY(d.cc_major >= 5);
        QVERIFY(d.memory_total_gib > 0);
    }

    void matchesCpu_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("granularity");
        QTest::addColumn<int>("scheme");
        for (int bits : {2, 4, 8})
            for (int g : {0, 1, 2})
                for (int s : {0, 1})
                    QTest::newRow(qPrintable(QString("int%1 %2 %3").arg(bits).arg(g == 0 ? "tensor" : g == 1 ? "channel" : "group").arg(s ? "asym" : "sym")))
                        << bits << g << s;
    }
    void matchesCpu() {
        QFETCH(int, bits);
        QFETCH(int, granularity);
        QFETCH(int, scheme);
        auto acc = ql::gpu::make_accelerator();
        if (!acc) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        ql::GeneratorSpec g;
        g.shape = {257, 1000};
        g.outlier_fraction = 0.001;
        auto t = std::make_shared<const ql::Tensor>(ql::generate(g));
        ql::QuantConfig c;
        c.bits = bits;
        c.granularity = static_cast<ql::Granularity>(granularity);
        c.scheme = scheme ? ql::Scheme::Asymmetric : ql::Scheme::Symmetric;
        ql::AnalysisRequest req;
        req.tensor = t;
        req.configs = {c};
        req.options.layer_sim.enabled = false;
        req.options.snr_sweep = false;
        req.options.forward_diff = false;
        const auto cpu = ql::analyze(req);
        req.options.accelerator = acc.get();
        const auto gpu = ql::analyze(req);
        QVERIFY(gpu.backend.find("CUDA") != std::string::npos);
        const auto& a = cpu.configs[0];
        const auto& b = gpu.configs[0];
        QCOMPARE(b.metrics.count, a.metrics.count);
        QCOMPARE(b.metrics.levels_used, a.metrics.levels_used);
        QCOMPARE(b.metrics.max_abs, a.metrics.max_abs);
        QCOMPARE(b.dequantized.counts, a.dequantized.counts);
        QCOMPARE(b.errors.counts, a.errors.counts);
        QVERIFY(std::fabs(b.metrics.mse - a.metrics.mse) <= kSumRelTol * a.metrics.mse);
        QVERIFY(std::fabs(b.metrics.cosine - a.metrics.cosine) <= kSumRelTol);
        for (std::size_t i = 0; i < a.channel_mse.size(); ++i)
            QVERIFY(std::fabs(b.channel_mse[i] - a.channel_mse[i]) <= kSumRelTol * std::max(a.channel_mse[i], 1e-30));
    }
};

QTEST_APPLESS_MAIN(TestGpuFused)
#include "test_gpu_fused.moc"
