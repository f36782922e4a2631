// SmoothQuant against hand-derived results: the smoothing factors, what alpha 0 and alpha 1 do exactly,
// the product X W^T kept, and W8A8 with smoothing beating W8A8 without it on activations with outlier
// channels (the SmoothQuant paper's point), plus the per-channel pictures the charts draw.
#include <QtTest>

#include <cmath>
#include <cstring>

#include "core/calibration/act_quant.h"
#include "core/calibration/calib_layer.h"
#include "core/calibration/smoothquant.h"

using namespace ql::calib;

Q_DECLARE_METATYPE(std::vector<float>)

namespace {

bool same_bits(const MatrixRF& a, const MatrixRF& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && std::memcmp(a.data(), b.data(), sizeof(float) * static_cast<std::size_t>(a.size())) == 0;
}

LayerSpec outlier_spec(std::uint64_t seed) {
    LayerSpec s;
    s.out = 64;
    s.in = 256;
    s.tokens = 256;
    s.seed = seed;
    s.outlier_channels = 4;
    return s;
}

} // namespace

class TestSmoothQuant : public QObject {
    Q_OBJECT
private slots:
    // s_j = max(act_j^alpha / max(wgt_j, 1e-5)^(1 - alpha), 1e-5), with act = {4, 1, 9}, wgt = {1, 4, 0.25}:
    //   alpha 0.5: {2/1, 1/2, 3/0.5} = {2, 0.5, 6}
    //   alpha 0:   1 / wgt = {1, 0.25, 4}
    //   alpha 1:   act = {4, 1, 9}
    // and the clamps: wgt 0 -> 1e-5 (alpha 1: s = act); act 0 -> s = 0 -> 1e-5.
    void scales_data() {
        QTest::addColumn<std::vector<float>>("act");
        QTest::addColumn<std::vector<float>>("wgt");
        QTest::addColumn<double>("alpha");
        QTest::addColumn<std::vector<float>>("expected");
        const std::vector<float> act{4.0f, 1.0f, 9.0f}, wgt{1.0f, 4.0f, 0.25f};
        QTest::newRow("alpha 0.5") << act << wgt << 0.5 << std::vector<float>{2.0f, 0.5f, 6.0f};
        QTest::newRow("alpha 0") << act << wgt << 0.0 << std::vector<float>{1.0f, 0.25f, 4.0f};
        QTest::newRow("alpha 1") << act << wgt << 1.0 << std::vector<float>{4.0f, 1.0f, 9.0f};
        QTest::newRow("zero weight column, alpha 0") << std::vector<float>{2.0f} << std::vector<float>{0.0f} << 0.0
                                                     << std::vector<float>{1.0f / 1e-5f};
        QTest::newRow("zero activation column, alpha 0.5") << std::vector<float>{0.0f} << std::vector<float>{1.0f} << 0.5
                                                           << std::vector<float>{1e-5f};
    }
    void scales() {
        QFETCH(std::vector<float>, act);
        QFETCH(std::vector<float>, wgt);
        QFETCH(double, alpha);
        QFETCH(std::vector<float>, expected);
        const auto s = smoothquant_scales(act, wgt, alpha);
        for (std::size_t j = 0; j < s.size(); ++j) QCOMPARE(s[j], expected[j]);
    }

    // What alpha 0 does, precisely: s_j = 1 / max(max_r |W_rj|, 1e-5). The factors depend on the
    // weights alone (the activations are not looked at), every smoothed weight column W_j s_j has
    // absmax 1 (up to one rounding), and the activations take all the range: X_j / s_j = X_j max|W_j|.
    // So alpha 0 does not leave the weights unchanged in general; it leaves them unchanged exactly when
    // every weight column already has absmax 1 (then s = 1: see alphaZeroUnitColumns).
    // Alpha 1 is the mirror image: s_j = max_t |X_tj|, the smoothed activation columns have absmax 1.
    void alphaExtremes_data() {
        QTest::addColumn<double>("alpha");
        QTest::newRow("alpha 0: weights decide") << 0.0;
        QTest::newRow("alpha 1: activations decide") << 1.0;
    }
    void alphaExtremes() {
        QFETCH(double, alpha);
        const CalibLayer L = generate_layer(outlier_spec(1));
        const auto act = column_absmax(L.X), wgt = column_absmax(L.W);
        const auto s = smoothquant_scales(act, wgt, alpha);
        // The other side does not matter: scale it by 10 and the factors stay the same.
        const auto s10 = alpha == 0.0 ? smoothquant_scales(column_absmax(MatrixRF(L.X * 10.0f)), wgt, alpha)
                                      : smoothquant_scales(act, column_absmax(MatrixRF(L.W * 10.0f)), alpha);
        QCOMPARE(s10, s);
        MatrixRF Ws, Xs;
        smooth_layer(L.W, L.X, s, Ws, Xs);
        const auto unit = alpha == 0.0 ? column_absmax(Ws) : column_absmax(Xs);
        for (float v : unit) QVERIFY2(std::fabs(v - 1.0f) <= 2.4e-7f, qPrintable(QString::number(v, 'g', 9)));
        for (std::size_t j = 0; j < s.size(); ++j)
            QCOMPARE(s[j], alpha == 0.0 ? 1.0f / wgt[j] : act[j]);
    }

    // The "alpha 0 leaves the weights unchanged" holds when each weight column's absmax is 1:
    // s = 1 / 1 = 1 exactly, so W and X are untouched bit for bit and smoothing changes no W8A8 result.
    void alphaZeroUnitColumns() {
        CalibLayer L = generate_layer(outlier_spec(2));
        const auto wgt = column_absmax(L.W);
        for (std::int64_t j = 0; j < L.in(); ++j) L.W.col(j) /= wgt[static_cast<std::size_t>(j)];
        for (std::int64_t j = 0; j < L.in(); ++j) {
            // make the column's absmax exactly 1 (division may land one ulp off)
            Eigen::Index r;
            L.W.col(j).cwiseAbs().maxCoeff(&r);
            L.W(r, j) = L.W(r, j) < 0 ? -1.0f : 1.0f;
        }
        for (float v : column_absmax(L.W)) QCOMPARE(v, 1.0f);
        const LayerObjective obj(L);
        SmoothQuantOptions o;
        o.alpha = 0.0;
        const SmoothQuantResult r = smoothquant_w8a8(L, obj, o);
        for (float v : r.scales) QCOMPARE(v, 1.0f);
        MatrixRF Ws, Xs;
        smooth_layer(L.W, L.X, r.scales, Ws, Xs);
        QVERIFY(same_bits(Ws, L.W));
        QVERIFY(same_bits(Xs, L.X));
        QCOMPARE(r.variants[0].error.relative_output_error, r.variants[2].error.relative_output_error);
        QCOMPARE(r.variants[1].error.relative_output_error, r.variants[3].error.relative_output_error);
    }

    // X' W'^T = X W^T up to float rounding, for any alpha.
    void productKept_data() {
        QTest::addColumn<double>("alpha");
        QTest::newRow("0.5") << 0.5;
        QTest::newRow("0.85") << 0.85;
    }
    void productKept() {
        QFETCH(double, alpha);
        const CalibLayer L = generate_layer(outlier_spec(3));
        const auto s = smoothquant_scales(column_absmax(L.X), column_absmax(L.W), alpha);
        MatrixRF Ws, Xs;
        smooth_layer(L.W, L.X, s, Ws, Xs);
        const Eigen::MatrixXd Y = L.X.cast<double>() * L.W.cast<double>().transpose();
        const Eigen::MatrixXd Ys = Xs.cast<double>() * Ws.cast<double>().transpose();
        QVERIFY((Y - Ys).norm() < 1e-6 * Y.norm());
    }

    // The SmoothQuant paper's point: with outlier channels, per-tensor INT8 activations lose the small
    // channels; smoothing moves the range into the weights and the W8A8 output error drops.
    void smoothingHelpsWithOutliers_data() {
        QTest::addColumn<quint64>("seed");
        QTest::newRow("seed 1") << quint64(1);
        QTest::newRow("seed 2") << quint64(2);
        QTest::newRow("seed 3") << quint64(3);
    }
    void smoothingHelpsWithOutliers() {
        QFETCH(quint64, seed);
        const CalibLayer L = generate_layer(outlier_spec(seed));
        const LayerObjective obj(L);
        const SmoothQuantResult r = smoothquant_w8a8(L, obj, SmoothQuantOptions{});
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.variants.size(), std::size_t{4});
        QCOMPARE(QString::fromStdString(r.variants[0].method), QString("smoothquant_w8a8_tensor"));
        QCOMPARE(QString::fromStdString(r.variants[1].method), QString("smoothquant_w8a8_token"));
        QCOMPARE(QString::fromStdString(r.variants[2].method), QString("w8a8_tensor"));
        QCOMPARE(QString::fromStdString(r.variants[3].method), QString("w8a8_token"));
        const double smooth = r.variants[0].error.relative_output_error, plain = r.variants[2].error.relative_output_error;
        QVERIFY2(smooth < 0.5 * plain, qPrintable(QString("%1 vs %2").arg(smooth).arg(plain)));
        // Per token is never worse than per tensor without smoothing (each token's own range).
        QVERIFY(r.variants[3].error.relative_output_error <= plain);
        // The outlier picture: the largest activation channel max shrinks, the largest weight max grows.
        const float act_before = *std::max_element(r.act_absmax_before.begin(), r.act_absmax_before.end());
        const float act_after = *std::max_element(r.act_absmax_after.begin(), r.act_absmax_after.end());
        const float w_before = *std::max_element(r.weight_absmax_before.begin(), r.weight_absmax_before.end());
        const float w_after = *std::max_element(r.weight_absmax_after.begin(), r.weight_absmax_after.end());
        QVERIFY(act_after < 0.5f * act_before);
        QVERIFY(w_after > w_before);
        QCOMPARE(r.act_hist_before.total, std::uint64_t(256 * 256));
        QCOMPARE(r.act_hist_after.total, std::uint64_t(256 * 256));
        std::uint64_t sum = 0;
        for (auto c : r.act_hist_after.counts) sum += c;
        QCOMPARE(sum, r.act_hist_after.total);
        QVERIFY(r.act_hist_after.hi - r.act_hist_after.lo < r.act_hist_before.hi - r.act_hist_before.lo);
        // Weight MSE in original coordinates: Q(W s) / s against W.
        QVERIFY(r.variants[0].error.weight_mse > 0);
    }

    void badAlpha() {
        const CalibLayer L = generate_layer(outlier_spec(4));
        const LayerObjective obj(L);
        SmoothQuantOptions o;
        o.alpha = 1.5;
        QVERIFY(!smoothquant_w8a8(L, obj, o).error.empty());
    }

    // torch's pow special cases the formula relies on.
    void torchPow() {
        QCOMPARE(torch_pow(0.0f, 0.0), 1.0f);
        QCOMPARE(torch_pow(7.0f, 1.0), 7.0f);
        QCOMPARE(torch_pow(2.25f, 0.5), 1.5f);
        QCOMPARE(torch_pow(3.0f, 2.0), 9.0f);
    }
};

QTEST_APPLESS_MAIN(TestSmoothQuant)
#include "test_smoothquant.moc"
