// AWQ against hand-derived results: the scale formula, ratio 0 equal to RTN, ties keeping the first
// ratio, the search beating RTN on activations with outlier channels, and auto_clip's grid, token
// sampling and one clipping decision worked out by hand.
#include <QtTest>

#include <cmath>
#include <cstring>

#include "core/calibration/awq.h"
#include "core/calibration/calib_layer.h"
#include "core/calibration/group_quant.h"

using namespace ql::calib;

Q_DECLARE_METATYPE(std::vector<float>)

namespace {

bool same_bits(const MatrixRF& a, const MatrixRF& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

double output_mse(const MatrixRF& X, const MatrixRF& W, const MatrixRF& Wq) {
    const MatrixRF D = W - Wq;
    MatrixRF E;
    E.noalias() = X * D.transpose();
    return squared_norm(E) / static_cast<double>(E.size());
}

LayerSpec small_spec(std::uint64_t seed) {
    LayerSpec s;
    s.out = 32;
    s.in = 128;
    s.tokens = 256;
    s.seed = seed;
    return s;
}

} // namespace

class TestAwq : public QObject {
    Q_OBJECT
private slots:
    // s = max(x_mean^ratio, 1e-4) / sqrt(max(s) min(s)):
    //   {1, 4, 16}, ratio 0.5: {1, 2, 4} / sqrt(4 * 1) = {0.5, 1, 2}
    //   any x_mean, ratio 0: all 1 (x^0 = 1, then / sqrt(1 * 1))
    //   {0, 1}, ratio 0.5: {1e-4, 1} / sqrt(1e-4) = {0.01, 100}
    //   {1, 16}, ratio 0.25: {1, 2} / sqrt(2) = {0.70711, 1.41421}
    void scales_data() {
        QTest::addColumn<std::vector<float>>("xMean");
        QTest::addColumn<double>("ratio");
        QTest::addColumn<std::vector<float>>("expected");
        QTest::newRow("ratio 0.5") << std::vector<float>{1.0f, 4.0f, 16.0f} << 0.5 << std::vector<float>{0.5f, 1.0f, 2.0f};
        QTest::newRow("ratio 0") << std::vector<float>{0.3f, 7.0f, 0.0f} << 0.0 << std::vector<float>{1.0f, 1.0f, 1.0f};
        QTest::newRow("clamped at 1e-4") << std::vector<float>{0.0f, 1.0f} << 0.5 << std::vector<float>{0.01f, 100.0f};
        QTest::newRow("ratio 0.25") << std::vector<float>{1.0f, 16.0f} << 0.25 << std::vector<float>{0.70710678f, 1.41421356f};
    }
    void scales() {
        QFETCH(std::vector<float>, xMean);
        QFETCH(double, ratio);
        QFETCH(std::vector<float>, expected);
        const auto s = awq_scales(xMean, ratio);
        QCOMPARE(s.size(), expected.size());
        for (std::size_t j = 0; j < s.size(); ++j) QVERIFY2(std::fabs(s[j] - expected[j]) <= 2e-6f * expected[j], qPrintable(QString::number(s[j])));
    }

    // At ratio 0 every scale is exactly 1, so W' = Q(W): the first point of the curve is RTN with
    // llm-awq's quantizer, bit for bit. When every group holds both signs, llm-awq's parameters equal
    // GPTQ's (same scale; -round(min/scale) = round(-min/scale), inside [0, maxq]), so it is also
    // the RTN of the report; with all-positive weights the two quantizers differ (GPTQ widens to 0).
    void ratioZeroIsRtn_data() {
        QTest::addColumn<bool>("allPositive");
        QTest::addColumn<int>("group");
        QTest::newRow("mixed signs, group 32") << false << 32;
        QTest::newRow("mixed signs, per row") << false << -1;
        QTest::newRow("all positive, group 32") << true << 32;
    }
    void ratioZeroIsRtn() {
        QFETCH(bool, allPositive);
        QFETCH(int, group);
        CalibLayer L = generate_layer(small_spec(3));
        if (allPositive) L.W = (L.W.cwiseAbs().array() + 0.01f).matrix();
        AwqOptions o;
        o.bits = 4;
        o.group_size = group;
        const AwqResult r = awq_quantize(L.W, L.X, o);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.loss_vs_ratio.size(), std::size_t{20});
        QCOMPARE(r.ratios[0], 0.0);
        const double awq_rtn = output_mse(L.X, L.W, quantize_groups(L.W, 4, group, GroupRule::Awq));
        QCOMPARE(r.loss_vs_ratio[0], awq_rtn);
        const double gptq_rtn = output_mse(L.X, L.W, rtn_quantize(L.W, 4, group));
        if (allPositive) QVERIFY(r.loss_vs_ratio[0] != gptq_rtn);
        else QCOMPARE(r.loss_vs_ratio[0], gptq_rtn);
    }

    // All channels with the same mean |x| (entries +-1): every ratio gives s = 1 and the same loss;
    // the first strictly lowest wins, so ratio 0 is kept.
    void tiesKeepTheFirstRatio() {
        LayerSpec s = small_spec(4);
        CalibLayer L = generate_layer(s);
        L.X = L.X.unaryExpr([](float v) { return v < 0 ? -1.0f : 1.0f; });
        AwqOptions o;
        const AwqResult r = awq_quantize(L.W, L.X, o);
        QVERIFY2(r.error.empty(), r.error.c_str());
        for (double l : r.loss_vs_ratio) QCOMPARE(l, r.loss_vs_ratio[0]);
        QCOMPARE(r.best_index, 0);
        QCOMPARE(r.ratio, 0.0);
        QVERIFY(same_bits(r.Wq, quantize_groups(L.W, 4, 128, GroupRule::Awq)));
    }

    // With outlier input channels the search protects the salient weights: the chosen ratio is above 0
    // and its loss below RTN's (the ratio-0 point); the loss reported is the chosen point of the curve.
    void searchBeatsRtnWithOutliers_data() {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("bits");
        QTest::newRow("seed 1, 4 bits") << quint64(1) << 4;
        QTest::newRow("seed 2, 3 bits") << quint64(2) << 3;
        QTest::newRow("seed 3, 4 bits") << quint64(3) << 4;
    }
    void searchBeatsRtnWithOutliers() {
        QFETCH(quint64, seed);
        QFETCH(int, bits);
        LayerSpec s = small_spec(seed);
        s.outlier_channels = 6;
        const CalibLayer L = generate_layer(s);
        AwqOptions o;
        o.bits = bits;
        o.group_size = 32;
        const AwqResult r = awq_quantize(L.W, L.X, o);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QVERIFY(r.best_index > 0);
        QVERIFY2(r.loss < r.loss_vs_ratio[0], qPrintable(QString("%1 vs %2").arg(r.loss).arg(r.loss_vs_ratio[0])));
        QCOMPARE(r.loss, r.loss_vs_ratio[static_cast<std::size_t>(r.best_index)]);
        for (double l : r.loss_vs_ratio) QVERIFY(r.loss <= l);
        QCOMPARE(output_mse(L.X, L.W, r.Wq), r.loss);
        // Salient channels (large mean |x|) get the largest scales.
        const auto jmax = std::max_element(r.x_mean.begin(), r.x_mean.end()) - r.x_mean.begin();
        QCOMPARE(std::max_element(r.scales.begin(), r.scales.end()) - r.scales.begin(), jmax);
    }

    // auto_clip by hand: one row W = [4, 1.5], 2 bits (maxq 3), one group; the first input is always 0,
    // the second always 1, so the error is (q(1.5) - 1.5)^2 alone. Candidates m = 4 (1 - i/20):
    //   i = 0: m = 4, llm-awq params on [4, 1.5]: min 1.5, scale 2.5/3, zero 0: 1.5 -> 1.8 -> 2 -> 1.667 (err 0.028)
    //   i = 1: m = 3.8: scale 0.7667: 1.957 -> 2 -> 1.533 (err 0.0011)
    //   i = 5: m = 3.0: scale 1.5/3 = 0.5 exactly: 1.5 -> 3 -> 1.5 (err 0): the best, kept (strictly lower).
    void autoClipByHand() {
        MatrixRF W(1, 2);
        W << 4.0f, 1.5f;
        MatrixRF X(10, 2);
        X.col(0).setZero();
        X.col(1).setOnes();
        AwqOptions o;
        o.bits = 2;
        o.group_size = -1;
        const AwqClip c = awq_auto_clip(W, X, o);
        QCOMPARE(c.groups, std::int64_t{1});
        QCOMPARE(c.max[0], 3.0f);
        QCOMPARE(c.fraction[0], 0.75f);
        MatrixRF Wc = W;
        apply_clip(Wc, c, -1);
        QCOMPARE(Wc(0, 0), 3.0f);
        QCOMPARE(Wc(0, 1), 1.5f);
    }

    // Every chosen max is the group's max times one of the ten grid factors 1, 0.95, ..., 0.55.
    void clipGrid() {
        const CalibLayer L = generate_layer(small_spec(5));
        AwqOptions o;
        o.group_size = 32;
        o.clip = true;
        const AwqResult r = awq_quantize(L.W, L.X, o);
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.clip_fraction.size(), static_cast<std::size_t>(32 * 4));
        int clipped = 0;
        for (float f : r.clip_fraction) {
            bool on_grid = false;
            for (int i = 0; i < 10; ++i) on_grid |= std::fabs(f - (1.0f - static_cast<float>(i) / 20.0f)) < 1e-6f;
            QVERIFY2(on_grid, qPrintable(QString::number(f)));
            clipped += f < 1.0f;
        }
        QVERIFY(clipped > 0);   // clipping helps some groups at 4 bits
        QCOMPARE(r.Wq_clip.rows(), L.W.rows());
        QCOMPARE(r.clip_tokens, std::int64_t{256});
    }

    // Tokens sampled as X[0::N // 512] (step 1 below 512 tokens, where the reference's step would be 0).
    void clipTokenSampling_data() {
        QTest::addColumn<int>("tokens");
        QTest::addColumn<int>("sampled");
        QTest::newRow("2048 tokens: every 4th") << 2048 << 512;
        QTest::newRow("1500 tokens: every 2nd") << 1500 << 750;
        QTest::newRow("1000 tokens: all") << 1000 << 1000;
        QTest::newRow("300 tokens: all") << 300 << 300;
    }
    void clipTokenSampling() {
        QFETCH(int, tokens);
        QFETCH(int, sampled);
        MatrixRF W = MatrixRF::Ones(2, 8), X = MatrixRF::Ones(tokens, 8);
        AwqOptions o;
        o.group_size = -1;
        QCOMPARE(awq_auto_clip(W, X, o).tokens, std::int64_t{sampled});
    }

    void cancelStops() {
        const CalibLayer L = generate_layer(small_spec(6));
        int calls = 0;
        const AwqResult r = awq_quantize(L.W, L.X, AwqOptions{}, [&](std::size_t d, std::size_t) {
            ++calls;
            return d < 3;
        });
        QVERIFY(r.cancelled);
        QCOMPARE(calls, 3);
    }
};

QTEST_APPLESS_MAIN(TestAwq)
#include "test_awq.moc"
