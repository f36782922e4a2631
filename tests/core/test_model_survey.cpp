// survey_model: which tensors count as weights, SQNR per tensor from analyze() against a value known
// by hand, memory rows, progress and cancellation.
#include <QtTest>

#include <cmath>
#include <cstring>

#include "core/model_survey.h"
#include "loader_test_util.h"

using namespace qltest;

Q_DECLARE_METATYPE(ql::DType)
Q_DECLARE_METATYPE(ql::Format)

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
        QTest::newRow("IQ4_XS matrix") << ql::DType::GGML_IQ4_XS << std::vector<std::int64_t>{2, 256} << "" << true;
        QTest::newRow("MXFP4 expert matrix") << ql::DType::GGML_MXFP4 << std::vector<std::int64_t>{4, 2, 64} << "" << true;
        QTest::newRow("NVFP4 matrix") << ql::DType::GGML_NVFP4 << std::vector<std::int64_t>{2, 64} << "" << true;
        QTest::newRow("TQ1_0 ternary matrix") << ql::DType::GGML_TQ1_0 << std::vector<std::int64_t>{2, 256} << "" << true;
        QTest::newRow("TQ2_0 ternary matrix") << ql::DType::GGML_TQ2_0 << std::vector<std::int64_t>{2, 256} << "" << true;
        QTest::newRow("IQ2_XXS matrix") << ql::DType::GGML_IQ2_XXS << std::vector<std::int64_t>{2, 256} << "" << true;
        QTest::newRow("IQ1_M matrix") << ql::DType::GGML_IQ1_M << std::vector<std::int64_t>{2, 256} << "" << true;
        QTest::newRow("F32 bias") << ql::DType::F32 << std::vector<std::int64_t>{4} << "" << false;
        QTest::newRow("I64 index table") << ql::DType::I64 << std::vector<std::int64_t>{4, 4} << "" << false;
        QTest::newRow("plain U8 matrix") << ql::DType::U8 << std::vector<std::int64_t>{4, 4} << "" << false;
        QTest::newRow("TF.js affine U8") << ql::DType::U8 << std::vector<std::int64_t>{4, 4} << "uint8 affine: ..." << true;
        QTest::newRow("undecodable type") << ql::DType::Unknown << std::vector<std::int64_t>{2, 256} << "Q4_0_4_4" << false;
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

    // Formats whose blocks run along each row store a row's last block whole: w1's rows of 40 values and
    // w2's row of 64, in blocks of 32 (Q4_0, MXFP4), 16 (NVFP4) or 256 (Q4_K). The summary gives the
    // fraction of stored code slots that are padding and the tensors that have some; NF4 (blocks over the
    // flattened tensor) and INT8 per channel pad nothing.
    void paddedRows_data() {
        QTest::addColumn<ql::Format>("format");
        QTest::addColumn<double>("fraction");
        QTest::addColumn<int>("tensors");
        // 144 weights; padding: Q4_0 2 x (64 - 40), NVFP4 2 x (48 - 40), Q4_K 2 x 216 + 192
        QTest::newRow("q4_0: 48 of 192 slots") << ql::Format::Q4_0 << 48.0 / 192 << 1;
        QTest::newRow("mxfp4: 48 of 192") << ql::Format::MXFP4 << 48.0 / 192 << 1;
        QTest::newRow("nvfp4: 16 of 160") << ql::Format::NVFP4 << 16.0 / 160 << 1;
        QTest::newRow("q4_k: 624 of 768") << ql::Format::Q4_K << 624.0 / 768 << 2;
        QTest::newRow("nf4: none (flattened blocks)") << ql::Format::NF4 << 0.0 << 0;
        QTest::newRow("int: none") << ql::Format::Int << 0.0 << 0;
    }
    void paddedRows() {
        QFETCH(ql::Format, format);
        QFETCH(double, fraction);
        QFETCH(int, tensors);
        QTemporaryDir dir;
        const std::string header = "{\"w1\":{\"dtype\":\"F32\",\"shape\":[2,40],\"data_offsets\":[0,320]},"
                                   "\"w2\":{\"dtype\":\"F32\",\"shape\":[1,64],\"data_offsets\":[320,576]}}";
        std::vector<float> v(144);
        for (std::size_t k = 0; k < v.size(); ++k) v[k] = std::sin(0.37f * static_cast<float>(k)) * 2.0f;
        std::string data(v.size() * sizeof(float), '\0');
        std::memcpy(data.data(), v.data(), data.size());
        auto f = open_bytes(dir, "m.safetensors", safetensors(header, data));
        QVERIFY(f.ok());
        ql::QuantConfig c;
        c.format = format;
        if (format == ql::Format::Int) c.granularity = ql::Granularity::PerChannel;
        const ql::ModelSurvey s = ql::survey_model(**f, {c});
        QCOMPARE(s.summary.at(0).tensors, 2);
        constexpr double kExact = 1e-12;  // a ratio of small integers
        QVERIFY2(std::fabs(s.summary[0].padding_fraction - fraction) < kExact, qPrintable(QString::number(s.summary[0].padding_fraction)));
        QCOMPARE(s.summary[0].padded_tensors, tensors);
    }
};

QTEST_APPLESS_MAIN(TestModelSurvey)
#include "test_model_survey.moc"
