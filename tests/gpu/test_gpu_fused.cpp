// The CUDA fused analysis pass (gpu/fused_pass.cu, gpu/fused_ggml.cu) against core's CPU pass, for every
// format: Int (tensor / channel / group, sym / asym), NF4 (with and without double quantization), FP8
// E4M3 / E5M2 and FP4 E2M1 (tensor / channel / group), MXFP4, NVFP4 and the ggml blocks. Shapes leave
// partial blocks at the row ends; some tensors hold NaN and Inf. Both paths evaluate the same QL_HD
// per-element functions, so counts, codes, histograms, maxima and clipping must be identical; the double
// sums (MSE, MAE, cosine) differ only in the order of addition. Skips, saying why, without a device.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/accelerator.h"
#include "core/analysis.h"
#include "core/generators.h"
#include "gpu/gpu_backend.h"

namespace {

// The CPU adds float partial sums of 8 products before widening to double, the GPU adds doubles per
// thread: the totals differ by rounding only, a few float ulps of the partials (2^-24 ~ 6e-8) at most.
constexpr double kSumOrderRelTol = 1e-6;

struct Case {
    ql::QuantConfig config;
    std::vector<std::int64_t> shape;
    bool nonfinite = false;  // plant NaN and +-Inf
};

ql::QuantConfig fmt(ql::Format f, ql::Granularity g = ql::Granularity::PerTensor, int axis = 0, int group = 128, int block = 0) {
    ql::QuantConfig c;
    c.format = f;
    c.granularity = g;
    c.axis = axis;
    c.group_size = group;
    c.block_size = block;
    return c;
}

std::shared_ptr<const ql::Tensor> make_tensor(const std::vector<std::int64_t>& shape, bool nonfinite) {
    ql::GeneratorSpec g;
    g.shape = shape;
    g.outlier_fraction = 0.001;
    g.seed = 7;
    ql::Tensor t = ql::generate(g);
    if (nonfinite && t.values.size() > 40) {
        t.values[3] = std::numeric_limits<float>::quiet_NaN();
        t.values[17] = std::numeric_limits<float>::infinity();
        t.values[t.values.size() - 5] = -std::numeric_limits<float>::infinity();
    }
    return std::make_shared<const ql::Tensor>(std::move(t));
}

bool close(double a, double b, double rel) { return std::fabs(a - b) <= rel * std::max(std::fabs(a), 1e-30); }

} // namespace

Q_DECLARE_METATYPE(Case)

class TestGpuFused : public QObject {
    Q_OBJECT
private slots:
    void matchesCpu_data() {
        using ql::Format;
        using ql::Granularity;
        QTest::addColumn<Case>("c");
        const std::vector<std::int64_t> m{65, 300};  // 300: not a multiple of 32, 64, 128 or 256
        for (int bits : {2, 4, 8})
            for (int g : {0, 1, 2})
                for (int s : {0, 1}) {
                    ql::QuantConfig c;
                    c.bits = bits;
                    c.granularity = static_cast<Granularity>(g);
                    c.scheme = s ? ql::Scheme::Asymmetric : ql::Scheme::Symmetric;
                    QTest::newRow(qPrintable(QString("int%1 %2 %3").arg(bits).arg(g == 0 ? "tensor" : g == 1 ? "channel" : "group")
                                                 .arg(s ? "asym" : "sym")))
                        << Case{c, m, false};
                }
        {
            ql::QuantConfig c;
            c.bits = 4;
            c.granularity = Granularity::PerChannel;
            c.axis = 1;
            QTest::newRow("int4 channel axis 1 of 3-D") << Case{c, {6, 40, 33}, false};
        }
        QTest::newRow("int8 tensor nan inf") << Case{ql::QuantConfig{}, m, true};
        QTest::newRow("nf4 block 64") << Case{fmt(Format::NF4), m, false};
        QTest::newRow("nf4 block 256, partial last block") << Case{fmt(Format::NF4, Granularity::PerTensor, 0, 128, 256), {7, 99}, false};
        QTest::newRow("nf4 nan inf") << Case{fmt(Format::NF4), m, true};
        QTest::newRow("nf4 double quantization") << Case{fmt(Format::NF4_DQ), {300, 257}, false};
        QTest::newRow("fp8 e4m3 tensor") << Case{fmt(Format::FP8_E4M3), m, false};
        QTest::newRow("fp8 e4m3 channel") << Case{fmt(Format::FP8_E4M3, Granularity::PerChannel), m, false};
        QTest::newRow("fp8 e4m3 channel axis 1") << Case{fmt(Format::FP8_E4M3, Granularity::PerChannel, 1), {6, 40, 33}, false};
        QTest::newRow("fp8 e4m3 nan inf") << Case{fmt(Format::FP8_E4M3), m, true};
        QTest::newRow("fp8 e5m2 group 32") << Case{fmt(Format::FP8_E5M2, Granularity::PerGroup, 0, 32), m, false};
        QTest::newRow("fp8 e5m2 nan inf") << Case{fmt(Format::FP8_E5M2), m, true};
        QTest::newRow("fp4 e2m1 tensor") << Case{fmt(Format::FP4_E2M1), m, false};
        QTest::newRow("fp4 e2m1 block 32") << Case{fmt(Format::FP4_E2M1, Granularity::PerTensor, 0, 128, 32), m, false};
        QTest::newRow("mxfp4") << Case{fmt(Format::MXFP4), m, false};
        QTest::newRow("mxfp4 1-D") << Case{fmt(Format::MXFP4), {1000}, false};
        QTest::newRow("mxfp4 nan inf") << Case{fmt(Format::MXFP4), m, true};
        QTest::newRow("nvfp4") << Case{fmt(Format::NVFP4), m, false};
        QTest::newRow("nvfp4 cols 17") << Case{fmt(Format::NVFP4), {31, 17}, false};
        QTest::newRow("q8_0") << Case{fmt(Format::Q8_0), m, false};
        QTest::newRow("q8_0 nan inf") << Case{fmt(Format::Q8_0), m, true};
        QTest::newRow("q4_0") << Case{fmt(Format::Q4_0), m, false};
        QTest::newRow("q4_0 nan inf") << Case{fmt(Format::Q4_0), m, true};
        QTest::newRow("q4_1") << Case{fmt(Format::Q4_1), m, false};
        QTest::newRow("q5_0") << Case{fmt(Format::Q5_0), m, false};
        QTest::newRow("iq4_nl") << Case{fmt(Format::IQ4_NL), m, false};
        QTest::newRow("q4_k cols 300") << Case{fmt(Format::Q4_K), m, false};
        QTest::newRow("q4_k cols 512") << Case{fmt(Format::Q4_K), {20, 512}, false};
        QTest::newRow("q2_k cols 300") << Case{fmt(Format::Q2_K), m, false};
        QTest::newRow("q3_k cols 300") << Case{fmt(Format::Q3_K), m, false};
        QTest::newRow("q5_k cols 300") << Case{fmt(Format::Q5_K), m, false};
        QTest::newRow("q6_k cols 300") << Case{fmt(Format::Q6_K), m, false};
        QTest::newRow("iq4_xs cols 300") << Case{fmt(Format::IQ4_XS), m, false};
    }
    void matchesCpu() {
        QFETCH(Case, c);
        auto acc = ql::gpu::make_accelerator();
        if (!acc) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        ql::AnalysisRequest req;
        req.tensor = make_tensor(c.shape, c.nonfinite);
        req.configs = {c.config};
        req.options.layer_sim.enabled = false;
        req.options.snr_sweep = false;
        req.options.forward_diff = false;
        const auto cpu = ql::analyze(req);
        req.options.accelerator = acc.get();
        const auto gpu = ql::analyze(req);
        QVERIFY2(cpu.configs[0].error.empty(), cpu.configs[0].error.c_str());
        QVERIFY2(gpu.backend.find("CUDA") != std::string::npos, ql::gpu::last_pass_error(acc.get()).c_str());
        const auto& a = cpu.configs[0];
        const auto& b = gpu.configs[0];
        QCOMPARE(b.metrics.count, a.metrics.count);
        QCOMPARE(b.metrics.nonfinite, a.metrics.nonfinite);
        QCOMPARE(b.metrics.levels_used, a.metrics.levels_used);
        QCOMPARE(b.metrics.clipped, a.metrics.clipped);
        QCOMPARE(b.metrics.max_abs, a.metrics.max_abs);
        QCOMPARE(b.code_counts, a.code_counts);
        QCOMPARE(b.dequantized.counts, a.dequantized.counts);
        QCOMPARE(b.errors.counts, a.errors.counts);
        QVERIFY2(close(b.metrics.mse, a.metrics.mse, kSumOrderRelTol), qPrintable(QString("mse %1 vs %2").arg(b.metrics.mse).arg(a.metrics.mse)));
        QVERIFY(close(b.metrics.mae, a.metrics.mae, kSumOrderRelTol));
        QVERIFY(std::fabs(b.metrics.cosine - a.metrics.cosine) <= kSumOrderRelTol);
        QCOMPARE(b.channel_mse.size(), a.channel_mse.size());
        for (std::size_t i = 0; i < a.channel_mse.size(); ++i) QVERIFY(close(b.channel_mse[i], a.channel_mse[i], kSumOrderRelTol));
    }

    // A quantizer the GPU has no pass for is declined (the CPU runs it) with the reason, not a crash.
    void foreignQuantizerIsDeclined() {
        auto acc = ql::gpu::make_accelerator();
        if (!acc) QSKIP(qPrintable(QString::fromStdString(ql::gpu::device_info().reason)));
        struct Foreign final : ql::Quantizer {
            Foreign() : ql::Quantizer(ql::QuantConfig{}) {}
            bool prepare(const ql::Tensor&, const ql::ProgressFn&) override { return true; }
            std::int64_t granule() const override { return 1; }
            void run(std::int64_t, std::int64_t, float*, std::int8_t*, std::uint64_t*) const override {}
            ql::StorageSize storage() const override { return {}; }
            ql::StorageSize storage_for(const std::vector<std::int64_t>&) const override { return {}; }
            std::vector<float> levels_at(std::int64_t) const override { return {}; }
            int code_count() const override { return 1; }
            ql::QuantParams params() const override { return {}; }
        } q;
        const auto t = make_tensor({4, 8}, false);
        ql::FusedPassSpec spec;
        ql::FusedPassResult r;
        QVERIFY(!acc->fused_pass(*t, q, spec, r));
        QVERIFY(!ql::gpu::last_pass_error(acc.get()).empty());
    }
};

QTEST_APPLESS_MAIN(TestGpuFused)
#include "test_gpu_fused.moc"
