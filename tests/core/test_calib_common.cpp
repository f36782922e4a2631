// Calibration building blocks: the two reference group quantizers (GPTQ's Quantizer and llm-awq's
// pseudo_quantize_tensor) on hand-derived values, SmoothQuant's absmax INT8 fake quantization, layer
// generation (determinism, outliers, correlation), loading with checked shapes, the output-error
// objective, and the report's JSON.
#include <QtTest>

#include <cmath>
#include <cstring>

#include "core/calibration/act_quant.h"
#include "core/calibration/calib_layer.h"
#include "core/calibration/calibration.h"
#include "core/calibration/calibration_json.h"
#include "core/calibration/group_quant.h"
#include "core/host_memory.h"
#include "core/npy.h"
#include "core/rng.h"

using namespace ql::calib;

Q_DECLARE_METATYPE(std::vector<float>)

namespace {

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

MatrixRF matrix(std::int64_t rows, std::int64_t cols, const std::vector<float>& v) {
    MatrixRF m(rows, cols);
    for (std::int64_t i = 0; i < m.size(); ++i) m.data()[i] = v[static_cast<std::size_t>(i)];
    return m;
}

} // namespace

class TestCalibCommon : public QObject {
    Q_OBJECT
private slots:
    // Hand-derived from GPTQ's find_params: range widened to include 0, scale = (xmax - xmin) / maxq,
    // zero = round(-xmin / scale); then q = clamp(round(x / scale) + zero, 0, maxq) and scale * (q - zero).
    // Values checked with a float32 emulation (Python struct, round half to even).
    void gptqQuantizer_data() {
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<int>("bits");
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("zero");
        QTest::addColumn<std::vector<float>>("expected");
        // xmin = -1, xmax = 2: scale 1, zero 1; 0.5 / 1 = 0.5 rounds to 0 (half to even).
        QTest::newRow("mixed signs, 2 bits") << std::vector<float>{-1.0f, 0.5f, 2.0f} << 2 << 1.0f << 1.0f
                                             << std::vector<float>{-1.0f, 0.0f, 2.0f};
        // all positive: xmin widened to 0, so scale = 3 / 3 = 1 and zero = 0; 1.5 rounds to 2.
        QTest::newRow("all positive widened to 0") << std::vector<float>{1.0f, 1.5f, 3.0f} << 2 << 1.0f << 0.0f
                                                   << std::vector<float>{1.0f, 2.0f, 3.0f};
        // all negative: xmax widened to 0: scale = 3 / 3, zero = round(3 / 1) = 3.
        QTest::newRow("all negative widened to 0") << std::vector<float>{-3.0f, -0.5f, -2.5f} << 2 << 1.0f << 3.0f
                                                   << std::vector<float>{-3.0f, -0.0f, -2.0f};
        // all zero: the special case xmin = -1, xmax = 1: scale = 2/15, -xmin/scale = 7.4999995 -> 7.
        QTest::newRow("all zero, 4 bits") << std::vector<float>{0.0f, 0.0f} << 4 << 2.0f / 15.0f << 7.0f
                                          << std::vector<float>{0.0f, 0.0f};
    }
    void gptqQuantizer() {
        QFETCH(std::vector<float>, x);
        QFETCH(int, bits);
        QFETCH(float, scale);
        QFETCH(float, zero);
        QFETCH(std::vector<float>, expected);
        const GroupParams p = gptq_group_params(x.data(), static_cast<std::int64_t>(x.size()), max_code(bits));
        QCOMPARE(p.scale, scale);
        QCOMPARE(p.zero, zero);
        for (std::size_t i = 0; i < x.size(); ++i) QCOMPARE(fake_quant(x[i], p, static_cast<float>(max_code(bits))), expected[i]);
    }

    // llm-awq's pseudo_quantize_tensor: min/max not widened, scale = max(max - min, 1e-5) / maxq,
    // zero = clamp(-round(min / scale), 0, maxq). On {1, 2, 3} with 2 bits: scale = fl(2/3),
    // min / scale = 1.5 -> round 2 -> zero = clamp(-2) = 0, so the grid starts at 0 and 3 clips to
    // 3 * fl(2/3) = 2 (float32 emulation: 1.3333334, 2.0, 2.0) -- the reference's behaviour.
    void awqQuantizer_data() {
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<int>("bits");
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("zero");
        QTest::addColumn<std::vector<float>>("expected");
        QTest::newRow("all positive: zero clamps to 0") << std::vector<float>{1.0f, 2.0f, 3.0f} << 2 << 2.0f / 3.0f << 0.0f
                                                        << std::vector<float>{1.3333333730697632f, 2.0f, 2.0f};
        QTest::newRow("mixed signs as GPTQ") << std::vector<float>{-1.0f, 0.5f, 2.0f} << 2 << 1.0f << 1.0f
                                             << std::vector<float>{-1.0f, 0.0f, 2.0f};
        // constant group: the range clamps to 1e-5, zero = clamp(-round(0.25 / (1e-5/15)), 0, 15) = 0.
        QTest::newRow("constant: range clamped to 1e-5") << std::vector<float>{0.25f, 0.25f} << 4 << 1e-5f / 15.0f << 0.0f
                                                         << std::vector<float>{15.0f * (1e-5f / 15.0f), 15.0f * (1e-5f / 15.0f)};
    }
    void awqQuantizer() {
        QFETCH(std::vector<float>, x);
        QFETCH(int, bits);
        QFETCH(float, scale);
        QFETCH(float, zero);
        QFETCH(std::vector<float>, expected);
        const GroupParams p = awq_group_params(x.data(), static_cast<std::int64_t>(x.size()), max_code(bits));
        QCOMPARE(p.scale, scale);
        QCOMPARE(p.zero, zero);
        for (std::size_t i = 0; i < x.size(); ++i) QVERIFY(same_bits(fake_quant(x[i], p, static_cast<float>(max_code(bits))), expected[i]));
    }

    // Groups of consecutive columns per row, the last one shorter; -1 = one group per row.
    void groupLayout_data() {
        QTest::addColumn<int>("group");
        QTest::addColumn<int>("groups");
        QTest::newRow("group 4 of 10 columns: 3 groups, last of 2") << 4 << 3;
        QTest::newRow("group 5: 2 groups") << 5 << 2;
        QTest::newRow("per row (-1)") << -1 << 1;
        QTest::newRow("group larger than the row") << 128 << 1;
    }
    void groupLayout() {
        QFETCH(int, group);
        QFETCH(int, groups);
        ql::Rng rng(3);
        MatrixRF W(3, 10);
        for (std::int64_t i = 0; i < W.size(); ++i) W.data()[i] = static_cast<float>(rng.normal());
        std::vector<GroupParams> params;
        const MatrixRF Q = rtn_quantize(W, 3, group, &params);
        QCOMPARE(group_count(10, group), static_cast<std::int64_t>(groups));
        QCOMPARE(params.size(), static_cast<std::size_t>(3 * groups));
        const std::int64_t g = effective_group(10, group);
        for (std::int64_t r = 0; r < 3; ++r)
            for (std::int64_t k = 0; k < groups; ++k) {
                const std::int64_t c0 = k * g, n = std::min<std::int64_t>(g, 10 - c0);
                const GroupParams p = gptq_group_params(W.data() + r * 10 + c0, n, 7);
                QCOMPARE(params[static_cast<std::size_t>(r * groups + k)].scale, p.scale);
                for (std::int64_t c = c0; c < c0 + n; ++c) QCOMPARE(Q(r, c), fake_quant(W(r, c), p, 7.0f));
            }
    }

    // SmoothQuant's absmax INT8: scale = max(absmax, 1e-5) / 127, x~ = round(x / scale) * scale.
    // Rows {127, -254, 63.5} (absmax 254, scale 2: 63.5 -> 64 and 31.75 -> 32 by half-to-even) and
    // {31.75, -0.375, 1.125} (absmax 31.75, scale 0.25: -1.5 -> -2, 4.5 -> 4); per tensor both use 2.
    void absmaxInt8_data() {
        QTest::addColumn<bool>("perToken");
        QTest::addColumn<std::vector<float>>("expected");
        QTest::newRow("per token") << true << std::vector<float>{128.0f, -254.0f, 64.0f, 31.75f, -0.5f, 1.0f, 0.0f, 0.0f, 0.0f};
        QTest::newRow("per tensor") << false << std::vector<float>{128.0f, -254.0f, 64.0f, 32.0f, -0.0f, 2.0f, 0.0f, 0.0f, 0.0f};
    }
    void absmaxInt8() {
        QFETCH(bool, perToken);
        QFETCH(std::vector<float>, expected);
        const MatrixRF X = matrix(3, 3, {127.0f, -254.0f, 63.5f, 31.75f, -0.375f, 1.125f, 0.0f, 0.0f, 0.0f});
        const MatrixRF Q = quantize_activations(X, perToken ? ActGranularity::PerToken : ActGranularity::PerTensor);
        for (std::int64_t i = 0; i < Q.size(); ++i) QVERIFY2(same_bits(Q.data()[i], expected[static_cast<std::size_t>(i)]), qPrintable(QString::number(i)));
        std::vector<float> scales;
        (void)absmax_quantize_rows(X, 8, &scales);
        QCOMPARE(scales[0], 2.0f);
        QCOMPARE(scales[1], 0.25f);
        QCOMPARE(scales[2], 1e-5f / 127.0f);   // a zero row: absmax clamped to 1e-5
    }

    void generatedLayerIsDeterministic() {
        LayerSpec s;
        s.out = 16;
        s.in = 64;
        s.tokens = 100;
        s.seed = 9;
        const CalibLayer a = generate_layer(s), b = generate_layer(s);
        QVERIFY(a.W == b.W);
        QVERIFY(a.X == b.X);
        QCOMPARE(a.outlier_channels, b.outlier_channels);
        s.seed = 10;
        const CalibLayer c = generate_layer(s);
        QVERIFY(!(a.X == c.X));
        // A spot value pins the streams: a change in the generator shows up here.
        QVERIFY(std::isfinite(a.X(0, 0)));
    }

    // The outlier channels are scaled by 20..100; their mean |x| stands out by that factor.
    void generatedOutliers() {
        LayerSpec s;
        s.out = 8;
        s.in = 128;
        s.tokens = 2000;
        s.outlier_channels = 3;
        s.correlation = 0.0;   // every other channel is exactly N(0, 1)
        const CalibLayer L = generate_layer(s);
        QCOMPARE(L.outlier_channels.size(), std::size_t{3});
        QVERIFY(std::is_sorted(L.outlier_channels.begin(), L.outlier_channels.end()));
        double normal = 0;
        int nn = 0;
        for (std::int64_t j = 0; j < s.in; ++j)
            if (std::find(L.outlier_channels.begin(), L.outlier_channels.end(), j) == L.outlier_channels.end()) {
                normal += L.X.col(j).cwiseAbs().mean();
                ++nn;
            }
        normal /= nn;
        for (std::size_t k = 0; k < 3; ++k) {
            QVERIFY(L.outlier_scales[k] >= 20.0f && L.outlier_scales[k] <= 100.0f);
            const double ratio = L.X.col(L.outlier_channels[k]).cwiseAbs().mean() / normal;
            QVERIFY2(std::fabs(ratio / L.outlier_scales[k] - 1.0) < 0.1, qPrintable(QString::number(ratio)));
        }
    }

    // Correlation makes H = X^T X far from diagonal: the off-diagonal share of its squared Frobenius
    // norm. Independent channels: off-diagonal sums grow like sqrt(n) against n on the diagonal, a share
    // near 64*63/n / (64*63/n + 64) = 0.016 at n = 4000. Correlation 0.9 with rank 8: H ~ 0.1 I + 0.9 B^T B,
    // whose off-diagonal entries are ~1/sqrt(8) against ~1 on the diagonal: a share near 0.86.
    void correlationSpreadsH_data() {
        QTest::addColumn<double>("correlation");
        QTest::addColumn<double>("minShare");
        QTest::addColumn<double>("maxShare");
        QTest::newRow("independent") << 0.0 << 0.0 << 0.05;
        QTest::newRow("correlated 0.9") << 0.9 << 0.75 << 1.0;
    }
    void correlationSpreadsH() {
        QFETCH(double, correlation);
        QFETCH(double, minShare);
        QFETCH(double, maxShare);
        LayerSpec s;
        s.out = 4;
        s.in = 64;
        s.tokens = 4000;
        s.outlier_channels = 0;
        s.correlation = correlation;
        const CalibLayer L = generate_layer(s);
        const Eigen::MatrixXd H = L.X.cast<double>().transpose() * L.X.cast<double>();
        const double total = H.squaredNorm(), diag = H.diagonal().squaredNorm();
        const double share = (total - diag) / total;
        QVERIFY2(share >= minShare && share <= maxShare, qPrintable(QString::number(share)));
    }

    void badSpecsThrow() {
        LayerSpec s;
        s.in = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generate_layer(s));
        s = LayerSpec{};
        s.correlation = 1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, generate_layer(s));
    }

    // Loading checks the shapes and values and names the file and the rule.
    void loadingErrors_data() {
        QTest::addColumn<std::vector<std::int64_t>>("wShape");
        QTest::addColumn<std::vector<std::int64_t>>("xShape");
        QTest::addColumn<bool>("nanInX");
        QTest::addColumn<QString>("message");
        QTest::newRow("in features differ") << std::vector<std::int64_t>{4, 8} << std::vector<std::int64_t>{5, 6} << false
                                            << "x.npy: activations have 6 input channels";
        QTest::newRow("weights of rank 1") << std::vector<std::int64_t>{8} << std::vector<std::int64_t>{5, 8} << false
                                           << "w.npy: weights must have at least 2 axes";
        QTest::newRow("NaN activation") << std::vector<std::int64_t>{4, 8} << std::vector<std::int64_t>{5, 8} << true
                                        << "x.npy: activations hold a non-finite value at flat index 3";
    }
    void loadingErrors() {
        QFETCH(std::vector<std::int64_t>, wShape);
        QFETCH(std::vector<std::int64_t>, xShape);
        QFETCH(bool, nanInX);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const std::string wp = dir.filePath("w.npy").toStdString(), xp = dir.filePath("x.npy").toStdString();
        ql::Tensor w("w", wShape), x("x", xShape);
        for (auto& v : w.values) v = 0.5f;
        for (auto& v : x.values) v = 1.0f;
        if (nanInX) x.values[3] = std::nanf("");
        QVERIFY(ql::write_npy(wp, w).ok());
        QVERIFY(ql::write_npy(xp, x).ok());
        auto r = load_layer(wp, xp);
        QVERIFY(!r.ok());
        const QString got = QString::fromStdString(r.error().message());
        QVERIFY2(got.contains(message), qPrintable(got));
        QVERIFY2(got.contains(QString::fromStdString(wShape.size() < 2 ? wp : xp)), qPrintable(got));
    }

    void loadRoundTripAndFlattening() {
        QTemporaryDir dir;
        const std::string wp = dir.filePath("w.npy").toStdString(), xp = dir.filePath("x.npy").toStdString();
        ql::Tensor w("w", {3, 4}), x("x", {2, 5, 4});   // [batch, seq, in] -> 10 tokens
        for (std::size_t i = 0; i < w.values.size(); ++i) w.values[i] = static_cast<float>(i) * 0.25f;
        for (std::size_t i = 0; i < x.values.size(); ++i) x.values[i] = static_cast<float>(i) - 7.0f;
        QVERIFY(ql::write_npy(wp, w).ok());
        QVERIFY(ql::write_npy(xp, x).ok());
        auto r = load_layer(wp, xp);
        QVERIFY(r.ok());
        QCOMPARE(r->out(), std::int64_t{3});
        QCOMPARE(r->in(), std::int64_t{4});
        QCOMPARE(r->tokens(), std::int64_t{10});
        QCOMPARE(r->W(2, 3), 11.0f * 0.25f);
        QCOMPARE(r->X(9, 3), 39.0f - 7.0f);
    }

    // The objective: Wq = W gives 0; Wq = W / 2 gives Y / 2, so exactly a quarter of the energy;
    // Wq = 0 gives 1. Weight MSE is the mean squared weight difference.
    void objective_data() {
        QTest::addColumn<float>("factor");
        QTest::addColumn<double>("relative");
        QTest::newRow("exact") << 1.0f << 0.0;
        QTest::newRow("half") << 0.5f << 0.25;
        QTest::newRow("zero") << 0.0f << 1.0;
    }
    void objective() {
        QFETCH(float, factor);
        QFETCH(double, relative);
        LayerSpec s;
        s.out = 12;
        s.in = 32;
        s.tokens = 50;
        const CalibLayer L = generate_layer(s);
        const LayerObjective obj(L);
        const MatrixRF Wq = L.W * factor;
        const OutputError e = obj.weight_only(Wq);
        QVERIFY2(std::fabs(e.relative_output_error - relative) < 1e-6, qPrintable(QString::number(e.relative_output_error)));
        const double wmse = (L.W - Wq).cast<double>().squaredNorm() / static_cast<double>(L.W.size());
        QVERIFY(std::fabs(e.weight_mse - wmse) <= 1e-12 + 1e-9 * wmse);
        // Unquantized activations through with_activations agree with the weight-only path.
        const OutputError e2 = obj.with_activations(L.X, Wq, Wq);
        QVERIFY(std::fabs(e2.relative_output_error - relative) < 1e-5);
    }

    void methodNames() {
        std::vector<CalibMethod> m;
        QVERIFY(parse_calib_methods("all", m));
        QCOMPARE(m.size(), std::size_t{5});
        QVERIFY(parse_calib_methods("gptq,rtn", m));
        QCOMPARE(m.size(), std::size_t{2});
        QCOMPARE(std::string(calib_method_name(m[0])), std::string("gptq"));
        QVERIFY(!parse_calib_methods("gptq,bogus", m));
        QCOMPARE(m.size(), std::size_t{2});
    }

    // The memory the methods add to W and X, by hand on 1024 x 1024 with 1024 tokens (4 MiB a matrix):
    // Y, X (W - Wq)^T, Wq and W - Wq for any method (16 MiB); GPTQ's Hessian (4 MiB more); SmoothQuant's
    // smoothed W and X (8 MiB more).
    void memoryNeeded_data() {
        QTest::addColumn<QString>("methods");
        QTest::addColumn<double>("mib");
        QTest::newRow("rtn") << "rtn" << 16.0;
        QTest::newRow("gptq") << "gptq" << 20.0;
        QTest::newRow("smoothquant") << "smoothquant" << 24.0;
        QTest::newRow("all") << "all" << 28.0;
    }
    void memoryNeeded() {
        QFETCH(QString, methods);
        QFETCH(double, mib);
        std::vector<CalibMethod> m;
        QVERIFY(parse_calib_methods(methods.toStdString(), m));
        QCOMPARE(calibration_extra_bytes(1024, 1024, 1024, m), mib * 1048576.0);
    }
    // A generated layer that cannot fit is refused with the reason in report.error before it is built
    // (65536 x 65536 with 65536 tokens: W, X and what the methods add, 155 GB), instead of the
    // out-of-memory killer ending the application.
    void refusesWhatCannotFit() {
        CalibrationRequest req;
        req.source.spec.out = req.source.spec.in = req.source.spec.tokens = 65536;
        const double need = 4.0 * 2 * 65536.0 * 65536.0 + calibration_extra_bytes(65536, 65536, 65536, req.methods);
        const auto avail = ql::available_memory_bytes();
        QVERIFY(avail.has_value());
        if (*avail >= need) QSKIP("this machine has the memory for the layer; TestSpeedBench::requireMemory checks the refusal");
        const CalibrationReport rep = run_calibration(req);
        QVERIFY2(rep.error.rfind("calibration: a layer of 65536 x 65536 with 65536 tokens needs at least 154.6 GB (144.0 GiB) of memory; "
                                 "this machine has ", 0) == 0,
                 rep.error.c_str());
        QVERIFY(rep.methods.empty());
    }

    // The whole run on a small generated layer: every method present in the JSON with its own values.
    void reportJson() {
        CalibrationRequest req;
        req.source.spec.out = 32;
        req.source.spec.in = 128;
        req.source.spec.tokens = 256;
        req.settings.group_size = 32;
        std::size_t calls = 0;
        const CalibrationReport rep = run_calibration(req, [&](std::size_t d, std::size_t t) {
            ++calls;
            return d <= t;
        });
        QVERIFY2(rep.error.empty(), rep.error.c_str());
        QVERIFY(calls > 5);
        const auto j = to_json(rep, true);
        QStringList names;
        for (const auto& m : j["methods"]) names << QString::fromStdString(m["method"].get<std::string>());
        QCOMPARE(names, (QStringList{"rtn", "gptq", "awq", "awq_clip", "smoothquant_w8a8_tensor", "smoothquant_w8a8_token",
                                     "w8a8_tensor", "w8a8_token"}));
        QVERIFY(j["methods"][1].contains("loss"));
        QVERIFY(j["methods"][1].contains("damp_retries"));
        QVERIFY(j["methods"][2].contains("ratio"));
        QCOMPARE(j["methods"][2]["loss_vs_ratio"].size(), std::size_t{20});
        QVERIFY(j["methods"][4].contains("alpha"));
        QCOMPARE(j["details"]["gptq"]["hessian_diag"].size(), std::size_t{128});
        QCOMPARE(j["details"]["smoothquant"]["act_absmax_before"].size(), std::size_t{128});
        QCOMPARE(j["details"]["smoothquant"]["act_hist_before"]["total"].get<std::uint64_t>(), std::uint64_t{256 * 128});
        for (const auto& m : j["methods"]) {
            const double e = m["relative_output_error"].get<double>();
            QVERIFY2(e > 0 && e < 1, m.dump().c_str());
        }
    }

    void cancelStopsTheRun() {
        CalibrationRequest req;
        req.source.spec.out = 16;
        req.source.spec.in = 64;
        req.source.spec.tokens = 64;
        const CalibrationReport rep = run_calibration(req, [](std::size_t d, std::size_t) { return d < 1500; });
        QVERIFY(rep.cancelled);
    }
};

QTEST_APPLESS_MAIN(TestCalibCommon)
#include "test_calib_common.moc"
