// survey_model: which tensors count as weights, SQNR per tensor from analyze() against a value known
// by hand, memory rows, progress and cancellation.
#include <QtTest>

#include <cmath>

#include "core/model_survey.h"
#include "loader_test_util.h"

using namespace qltest;

Q_DECLARE_METATYPE(ql::DType)

class TestModelSurvey : public QObject {
    Q_OBJECT
private slots:
    void weightTensors_data() {
        QTest::addColumn<ql::DType>("dtype");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<QString>("encoding");
        QTest::addColumn<bool>("weight");
        QTest::newRow("F32 matrix") << ql::DType::F32 << std::vector<std::int64_t>{4, 4} << "" << true;
        QTest::newRow("BF16 conv kernel") << ql::DType::BF16 << std::vector<std::int64_t>{8, 3, 3, 3} << "" << true;
        QTest::newRow("Q4_K matrix") << ql::DType::GGML_Q4_K << std::vector<std::int64_t>{2, 256} << "" << true;
        QTest::newRow("F32 bias") << ql::DType::F32 << std::vector<std::int64_t>{4} << "" << false;
        QTest::newRow("I64 index table") << ql::DType::I64 << std::vector<std::int64_t>{4, 4} << "" << false;
        QTest::newRow("plain U8 matrix") << ql::DType::U8 << std::vector<std::int64_t>{4, 4} << "" << false;
        QTest::newRow("TF.js affine U8") << ql::DType::U8 << std::vector<std::int64_t>{4, 4} << "uint8 affine: ..." << true;
        QTest::newRow("undecodable ggml type") << ql::DType::Unknown << std::vector<std::int64_t>{2, 256} << "IQ2_XXS" << false;
        QTest::newRow("1x1") << ql::DType::F32 << std::vector<std::int64_t>{1, 1} << "" << false;
    }
    void weightTensors() {
        QFETCH(ql::DType, dtype);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(QString, encoding);
        QFETCH(bool, weight);
        ql::TensorInfo t;
        t.dtype = dtype;
        t.shape = shape;
        t.encoding = encoding.toStdString();
        QCOMPARE(ql::is_weight_tensor(t), weight);
    }

    void surveyAndCancel() {
        QTemporaryDir dir;
        // two weight tensors and a bias; w1 = [[127, 0.5, 0, 0], [127, -127, 0, 0]]: INT8 sym per
        // channel errs only on 0.5 (scale 1, rint(0.5) = 0)
        const std::string header = "{\"w1\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,32]},"
                                   "\"w2\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[32,48]},"
                                   "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[48,56]}}";
        auto f = open_bytes(dir, "m.safetensors", safetensors(header, pack<float>({127, 0.5f, 0, 0, 127, -127, 0, 0, 1, -1, 2, -2, 5, 6})));
        QVERIFY(f.ok());
        ql::QuantConfig int8;
        int8.bits = 8;
        int8.scheme = ql::Scheme::Symmetric;
        int8.granularity = ql::Granularity::PerChannel;
        std::vector<std::pair<std::size_t, std::size_t>> calls;
        const ql::ModelSurvey s = ql::survey_model(**f, {int8}, [&](std::size_t d, std::size_t t) {
            calls.emplace_back(d, t);
            return true;
        });
        QVERIFY(!s.cancelled);
        QCOMPARE(s.total_params, std::int64_t{14});
        QCOMPARE(s.weight_params, std::int64_t{12});
        QCOMPARE(s.tensors.size(), std::size_t{2});
        const double w[8] = {127, 0.5, 0, 0, 127, -127, 0, 0};
        double mean = 0, var = 0;
        for (double x : w) mean += x / 8;
        for (double x : w) var += (x - mean) * (x - mean) / 8;
        constexpr double kDbTolerance = 1e-9;
        QVERIFY(std::fabs(s.tensors[0].sqnr_db[0] - 10 * std::log10(var / (0.25 / 8))) < kDbTolerance);
        QVERIFY(std::isinf(s.tensors[1].sqnr_db[0]));  // rows +-1, +-2: codes +-127 at scale amax/127 give them back exactly
        QCOMPARE(s.summary[0].worst_tensor, std::string("w1"));
        QCOMPARE(s.memory[0].label, std::string("FP32"));
        QCOMPARE(s.memory[0].bytes, std::uint64_t{56});
        QVERIFY(!calls.empty());
        QCOMPARE(calls.back(), (std::pair<std::size_t, std::size_t>{12, 12}));

        const ql::ModelSurvey c = ql::survey_model(**f, {int8}, [](std::size_t d, std::size_t) { return d == 0; });
        QVERIFY(c.cancelled);
        QCOMPARE(c.tensors.size(), std::size_t{1});
    }
};

QTEST_APPLESS_MAIN(TestModelSurvey)
#include "test_model_survey.moc"
