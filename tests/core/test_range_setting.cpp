// Range setting for INT: nearest-rank percentiles, min-max, percentile of |x| and of each tail, the
// MSE-optimal clip ratio, TensorRT's KL threshold on hand-made histograms, and the Int quantizer using the
// chosen range (clip_range(), clipped counts, the scalar reference agreeing value for value).
#include <QtTest>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/int_quantizer.h"
#include "core/quantizer.h"
#include "core/range_setting.h"
#include "core/rng.h"

using ql::QuantConfig;
using ql::RangeMethod;
using ql::Tensor;

namespace {

QuantConfig int_cfg(int bits, ql::Scheme s, RangeMethod r, double pct = 99.9) {
    QuantConfig c;
    c.bits = bits;
    c.scheme = s;
    c.range = r;
    c.percentile = pct;
    return c;
}

Tensor ramp_with_outlier() {  // 0.001, 0.002, ..., 1.000 and one value 1000
    Tensor t("t", {1001});
    for (int k = 1; k <= 1000; ++k) t.values[static_cast<std::size_t>(k - 1)] = 0.001f * static_cast<float>(k);
    t.values[1000] = 1000.0f;
    return t;
}

Tensor normal_with_outlier() {  // 20000 values of normal(0, 1) and one value 50
    Tensor t("t", {20001});
    ql::Rng rng(8);
    for (auto& v : t.values) v = static_cast<float>(rng.normal());
    t.values[20000] = 50.0f;
    return t;
}

} // namespace

class TestRangeSetting : public QObject {
    Q_OBJECT
private slots:
    // A configuration's name says how its range was set: which percentile, or what chose the clip
    // (legends and the metrics table showed "percentile" and "mse").
    void namesTheRangeMethod_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<double>("percentile");
        QTest::addColumn<QString>("name");
        QTest::newRow("min-max") << int(RangeMethod::MinMax) << 99.9 << "INT4 asym per-tensor";
        QTest::newRow("percentile 99.9") << int(RangeMethod::Percentile) << 99.9 << "INT4 asym per-tensor p99.9";
        QTest::newRow("percentile 99.99") << int(RangeMethod::Percentile) << 99.99 << "INT4 asym per-tensor p99.99";
        QTest::newRow("MSE-optimal") << int(RangeMethod::MseOptimal) << 99.9 << "INT4 asym per-tensor MSE-clip";
        QTest::newRow("KL divergence") << int(RangeMethod::KlDivergence) << 99.9 << "INT4 asym per-tensor KL-clip";
    }
    void namesTheRangeMethod() {
        QFETCH(int, method);
        QFETCH(double, percentile);
        QFETCH(QString, name);
        QuantConfig c;
        c.bits = 4;
        c.range = static_cast<RangeMethod>(method);
        c.percentile = percentile;
        QCOMPARE(QString::fromStdString(c.describe()), name);
    }

    void percentileNearestRank_data() {
        QTest::addColumn<double>("p");
        QTest::addColumn<float>("expected");
        // values 1..100: the p-th percentile is the value of rank ceil(p/100 * 100)
        QTest::newRow("50 -> 50") << 50.0 << 50.0f;
        QTest::newRow("99 -> 99") << 99.0 << 99.0f;
        QTest::newRow("99.9 -> rank 100") << 99.9 << 100.0f;
        QTest::newRow("100 -> max") << 100.0 << 100.0f;
        QTest::newRow("0.5 -> rank 1") << 0.5 << 1.0f;
        QTest::newRow("0 -> min") << 0.0 << 1.0f;
    }
    void percentileNearestRank() {
        QFETCH(double, p);
        QFETCH(float, expected);
        std::vector<float> v;
        for (int k = 100; k >= 1; --k) v.push_back(static_cast<float>(k));
        QCOMPARE(ql::percentile_nearest_rank(v, p), expected);
    }

    void minMax() {
        Tensor t("t", {3});
        t.values = {0.5f, 2.0f, 1.0f};
        const auto r = ql::choose_clip_range(t, int_cfg(8, ql::Scheme::Asymmetric, RangeMethod::MinMax));
        QCOMPARE(r.lo, 0.0f);  // widened to include 0
        QCOMPARE(r.hi, 2.0f);
    }
    // |x| percentile 99.9 of 1001 values: rank ceil(0.999 * 1001) = 1000 -> 1.0; the outlier is clipped.
    void percentileSymmetric() {
        const auto r = ql::choose_clip_range(ramp_with_outlier(), int_cfg(8, ql::Scheme::Symmetric, RangeMethod::Percentile));
        QCOMPARE(r.hi, 1.0f);
        QCOMPARE(r.lo, -1.0f);
    }
    // Each tail: values -500, -499.5, ..., 499.5, 500 (2001); the 1st and 99th percentiles by rank.
    void percentileTails() {
        Tensor t("t", {2001});
        for (int k = 0; k <= 2000; ++k) t.values[static_cast<std::size_t>(k)] = -500.0f + 0.5f * static_cast<float>(k);
        const auto r = ql::choose_clip_range(t, int_cfg(8, ql::Scheme::Asymmetric, RangeMethod::Percentile, 99.0));
        // rank ceil(0.99 * 2001) = 1981 -> -500 + 0.5 * 1980 = 490; rank ceil(0.01 * 2001) = 21 -> -490
        QCOMPARE(r.hi, 490.0f);
        QCOMPARE(r.lo, -490.0f);
    }

    // Uniform data: clipping only hurts, so the MSE-optimal ratio stays near 1. Normal data at 4 bits: the
    // best clip is well inside the maximum (about 2.5 sigma against a maximum near 4 sigma).
    void mseOptimal() {
        Tensor u("u", {20000});
        ql::Rng rng(3);
        for (auto& v : u.values) v = static_cast<float>(rng.uniform() * 2.0 - 1.0);
        const auto ru = ql::choose_clip_range(u, int_cfg(8, ql::Scheme::Symmetric, RangeMethod::MseOptimal));
        QCOMPARE(ru.curve_x.size(), std::size_t(100));
        QVERIFY2(ru.hi >= 0.95f * ru.max, qPrintable(QString("chose %1 of %2").arg(ru.hi).arg(ru.max)));
        const Tensor g = normal_with_outlier();
        const auto ro = ql::choose_clip_range(g, int_cfg(4, ql::Scheme::Symmetric, RangeMethod::MseOptimal));
        QVERIFY2(ro.hi <= 0.2f * ro.max, qPrintable(QString("chose %1 of %2").arg(ro.hi).arg(ro.max)));
        // the chosen ratio has the smallest estimated MSE of the curve
        const double best = *std::min_element(ro.curve_y.begin(), ro.curve_y.end());
        for (std::size_t k = 0; k < ro.curve_x.size(); ++k)
            if (std::fabs(static_cast<float>(ro.curve_x[k]) * ro.max - ro.hi) < 1e-4f * ro.max) QCOMPARE(ro.curve_y[k], best);
    }

    // KL on hand-made histograms of 2048 bins (bin width 1).
    void klFitsInQuantizedBins() {
        // mass in the first 100 bins only: at i = nq = 128 every group is one bin, Q = P, KL = 0
        std::vector<double> h(2048, 0.0);
        for (int k = 0; k < 100; ++k) h[static_cast<std::size_t>(k)] = 10.0 + k;
        std::vector<double> div;
        QCOMPARE(ql::kl_threshold(h, 1.0, 128, &div), 128.0);
        QCOMPARE(div.size(), std::size_t(2048 - 128 + 1));
        QVERIFY(std::fabs(div[0]) < 1e-9);
    }
    void klIgnoresFarOutlier() {
        // a wide bulk over 1500 bins and one count in the last bin: the threshold stays in the bulk
        std::vector<double> h(2048, 0.0);
        for (int k = 0; k < 1500; ++k) h[static_cast<std::size_t>(k)] = 1e5 * std::exp(-static_cast<double>(k) / 300.0);
        h[2047] = 1;
        const double th = ql::kl_threshold(h, 1.0, 128, nullptr);
        QVERIFY2(th < 2000.0, qPrintable(QString("threshold %1").arg(th)));
        QVERIFY2(th > 128.0, qPrintable(QString("threshold %1").arg(th)));
    }
    void klOnTensor() {
        Tensor t = ramp_with_outlier();
        const auto r = ql::choose_clip_range(t, int_cfg(8, ql::Scheme::Symmetric, RangeMethod::KlDivergence));
        QVERIFY2(r.hi < 1000.0f && r.hi >= 1.0f, qPrintable(QString("kl chose %1").arg(r.hi)));
        QCOMPARE(r.lo, 0.0f);  // [-t, t] meets [min, max] = [0.001, 1000] widened to include 0
        QVERIFY(!r.curve_y.empty());
    }

    // The Int quantizer applies the method: clip_range() reports it, values beyond it are counted as
    // clipped, and the scalar reference gives the same values.
    void intQuantizerUsesMethod_data() {
        QTest::addColumn<int>("method");
        QTest::newRow("percentile") << int(RangeMethod::Percentile);
        QTest::newRow("mse") << int(RangeMethod::MseOptimal);
        QTest::newRow("kl") << int(RangeMethod::KlDivergence);
    }
    void intQuantizerUsesMethod() {
        QFETCH(int, method);
        const Tensor t = normal_with_outlier();
        const QuantConfig c = int_cfg(4, ql::Scheme::Symmetric, static_cast<RangeMethod>(method));
        auto q = ql::make_quantizer(c);
        QVERIFY(q->prepare(t));
        const auto clip = q->clip_range();
        QVERIFY(clip.has_value());
        const auto expected = ql::choose_clip_range(t, c);
        QCOMPARE(clip->first, expected.lo);
        QCOMPARE(clip->second, expected.hi);
        std::vector<float> y(t.values.size());
        std::uint64_t clipped = 0;
        q->run(0, t.numel(), y.data(), nullptr, &clipped);
        QVERIFY(clipped >= 1);  // the outlier at least
        std::vector<std::int8_t> codes;
        const auto ref = ql::quantize_int_ref(t, c, &codes, nullptr);
        for (std::size_t i = 0; i < y.size(); ++i) QCOMPARE(y[i], ref[i]);
    }
    void onlyPerTensor() {
        QuantConfig c = int_cfg(8, ql::Scheme::Symmetric, RangeMethod::KlDivergence);
        c.granularity = ql::Granularity::PerChannel;
        QVERIFY(QString::fromStdString(ql::validate(c, {4, 4})).contains("per-tensor INT only"));
    }
};

QTEST_APPLESS_MAIN(TestRangeSetting)
#include "test_range_setting.moc"
