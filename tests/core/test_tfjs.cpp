// TensorFlow.js weights: byte-built manifests and shards (float32, int32, bool, uint8/uint16 affine
// quantization, float16 quantization, weights spanning shards, string weights), malformed manifests,
// and the real face-api models checked against facts computed independently by
// tests/data/tfjs_facts.py (weight counts, parameters, CRC-32 of stored bytes, value sums).
#include <QtTest>

#include <cmath>

#include "core/model_file.h"
#include "loader_test_util.h"

using namespace qltest;

namespace {

// Writes model.json (or another manifest name) and shards into dir.
ql::Result<std::unique_ptr<ql::ModelFile>> model(const QTemporaryDir& dir, const std::string& manifest,
                                                 const std::vector<std::pair<std::string, std::string>>& shards,
                                                 const std::string& name = "model.json") {
    for (const auto& s : shards) write_file(dir.filePath(QString::fromStdString(s.first)).toStdString(), s.second);
    return open_bytes(dir, name, manifest);
}

} // namespace

class TestTfjs : public QObject {
    Q_OBJECT
private slots:
    void dtypesAndQuantization() {
        // group 1: a float32 [2], an int32 [2], a bool [3]; group 2 (two shards, the uint8 weight spans
        // them): uint8 affine [4], uint16 affine [2], float16 [2]
        const std::string m = R"({"format": "graph-model", "generatedBy": "2.x", "convertedBy": "TensorFlow.js Converter v3",
          "modelTopology": {"node": [{"name": "x"}, {"name": "y"}]},
          "weightsManifest": [
            {"paths": ["g1.bin"], "weights": [
              {"name": "f", "shape": [2], "dtype": "float32"},
              {"name": "i", "shape": [2], "dtype": "int32"},
              {"name": "b", "shape": [3], "dtype": "bool"}]},
            {"paths": ["g2-shard1of2.bin", "g2-shard2of2.bin"], "weights": [
              {"name": "q8", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.1}},
              {"name": "q16", "shape": [2], "dtype": "float32", "quantization": {"dtype": "uint16", "min": 0.5, "scale": 0.25}},
              {"name": "qi", "shape": [2], "dtype": "int32", "quantization": {"dtype": "uint8", "min": -2, "scale": 0.5}},
              {"name": "h", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]}]})";
        const std::string g1 = pack<float>({1.5f, -2.5f}) + pack<std::int32_t>({-7, 9}) + pack<std::uint8_t>({0, 1, 1});
        const std::string g2 = pack<std::uint8_t>({0, 10, 20, 255}) + pack<std::uint16_t>({0, 4}) + pack<std::uint8_t>({0, 3}) +
                               pack<std::uint16_t>({0x3C00, 0xC200});
        QTemporaryDir dir;
        auto f = model(dir, m, {{"g1.bin", g1}, {"g2-shard1of2.bin", g2.substr(0, 2)}, {"g2-shard2of2.bin", g2.substr(2)}});
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->format(), std::string("tfjs"));
        const auto& ts = (*f)->tensors();
        QCOMPARE(ts.size(), std::size_t{7});
        auto values = [&](const char* n) {
            auto t = (*f)->load(n);
            return t.ok() ? t->values : std::vector<float>{-999};
        };
        QCOMPARE(values("f"), (std::vector<float>{1.5f, -2.5f}));
        QCOMPARE(values("i"), (std::vector<float>{-7, 9}));
        QCOMPARE(values("b"), (std::vector<float>{0, 1, 1}));
        // q * 0.1 + (-1) in double, then float32
        QCOMPARE(values("q8"), (std::vector<float>{static_cast<float>(0 * 0.1 - 1.0), static_cast<float>(10 * 0.1 - 1.0),
                                                   static_cast<float>(20 * 0.1 - 1.0), static_cast<float>(255 * 0.1 - 1.0)}));
        QCOMPARE(values("q16"), (std::vector<float>{0.5f, 1.5f}));
        QCOMPARE(values("qi"), (std::vector<float>{-2.0f, 0.0f}));  // Math.round(3 * 0.5 - 2 = -0.5) = 0 (half up)
        QCOMPARE(values("h"), (std::vector<float>{1.0f, -3.0f}));
        const ql::TensorInfo* q8 = (*f)->find("q8");
        QVERIFY(q8);
        QCOMPARE(q8->dtype, ql::DType::U8);
        QCOMPARE(q8->shape, (std::vector<std::int64_t>{2, 2}));
        QVERIFY(QString::fromStdString(q8->encoding).contains("uint8 affine"));
        QVERIFY(QString::fromStdString(q8->file).endsWith("g2-shard1of2.bin"));  // starts in shard 1
        const ql::TensorInfo* q16 = (*f)->find("q16");
        QVERIFY(QString::fromStdString(q16->file).endsWith("g2-shard2of2.bin"));
        QCOMPARE(q16->offset, std::uint64_t{2});
        QCOMPARE((*f)->load("q8")->source_dtype, ql::DType::U8);
        const auto& md = (*f)->metadata();
        QVERIFY(std::find(md.begin(), md.end(), std::make_pair(std::string("tfjs.format"), std::string("graph-model"))) != md.end());
        QVERIFY(std::find(md.begin(), md.end(), std::make_pair(std::string("tfjs.graph_nodes"), std::string("2"))) != md.end());
    }

    void manifestArrayAndStrings() {
        // *weights_manifest.json is a bare array of groups; string weights: u32 length + bytes each
        const std::string m = R"([{"paths": ["w.bin"], "weights": [
            {"name": "s", "shape": [2], "dtype": "string"}, {"name": "x", "shape": [1], "dtype": "float32"}]}])";
        const std::string bin = Bytes().u32(3).raw("abc").u32(0).f32(4.0f).b;
        QTemporaryDir dir;
        auto f = model(dir, m, {{"w.bin", bin}}, "tiny-weights_manifest.json");
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->find("s")->bytes, std::uint64_t{11});
        QCOMPARE((*f)->load("x")->values, (std::vector<float>{4.0f}));
        auto s = (*f)->load("s");
        QVERIFY(!s.ok());
        QVERIFY(message(s.error()).contains("string values"));
    }

    void malformed_data() {
        QTest::addColumn<QString>("manifest");
        QTest::addColumn<int>("shard_bytes");
        QTest::addColumn<QString>("rule");
        auto row = [](const char* name, const char* m, int bytes, const char* rule) { QTest::newRow(name) << QString(m) << bytes << QString(rule); };
        row("not a manifest", R"({"modelTopology": {}})", 8, "not a TensorFlow.js model");
        row("weightsManifest not an array", R"({"weightsManifest": {}})", 8, "\"weightsManifest\" must be an array");
        row("group without paths", R"([{"weights": []}])", 8, "must be an object with \"paths\" and \"weights\"");
        row("missing shard", R"([{"paths": ["nope.bin"], "weights": []}])", 8, "cannot open");
        row("shard outside the folder", R"([{"paths": ["../w.bin"], "weights": []}])", 8, "points outside the model's folder");
        row("weight needs more than the shards hold", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [3], "dtype": "float32"}]}])", 8,
            "whose shards hold 8 bytes");
        row("shards hold more than the weights", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [1], "dtype": "float32"}]}])", 8,
            "weights take 4 bytes but its shards hold 8");
        row("duplicate weight name", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [1], "dtype": "float32"}, {"name": "a", "shape": [1], "dtype": "float32"}]}])",
            8, "duplicate weight name 'a'");
        row("duplicate JSON key", R"([{"paths": ["w.bin"], "paths": ["w.bin"], "weights": []}])", 8, "duplicate key 'paths'");
        row("negative dim", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [-2], "dtype": "float32"}]}])", 8, "non-negative integers");
        row("shape overflows", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [4294967296, 4294967296], "dtype": "float32"}]}])", 8,
            "overflows 64 bits");
        row("unknown dtype", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [2], "dtype": "float128"}]}])", 8, "dtype 'float128' of 'a' is not supported");
        row("unknown quantization", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [8], "dtype": "float32", "quantization": {"dtype": "int4"}}]}])", 8,
            "quantization dtype 'int4'");
        row("affine without scale", R"([{"paths": ["w.bin"], "weights": [{"name": "a", "shape": [8], "dtype": "float32", "quantization": {"dtype": "uint8", "min": 0}}]}])", 8,
            "needs numbers \"scale\" and \"min\"");
        row("string longer than the shards", R"([{"paths": ["w.bin"], "weights": [{"name": "s", "shape": [1], "dtype": "string"}]}])", 8,
            "runs past the end of its shards");
        row("invalid JSON", R"([{"paths": ["w.bin"], "weights": [}])", 8, "invalid JSON");
    }
    void malformed() {
        QFETCH(QString, manifest);
        QFETCH(int, shard_bytes);
        QFETCH(QString, rule);
        QTemporaryDir dir;
        // w.bin: 8 bytes; a string weight reading it sees a length of 0x64646464
        auto f = model(dir, manifest.toStdString(), {{"w.bin", std::string(static_cast<std::size_t>(shard_bytes), 'd')}});
        QVERIFY(!f.ok());
        QVERIFY2(message(f.error()).contains(rule), qPrintable(message(f.error())));
    }

    // Real weights (face-api, MIT): facts from tests/data/tfjs_facts.py on the same files.
    void realFaceApi_data() {
        QTest::addColumn<QString>("manifest");
        QTest::addColumn<int>("weights");
        QTest::addColumn<qint64>("params");
        QTest::addColumn<int>("quantized");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("stored");
        QTest::addColumn<quint32>("crc");
        QTest::addColumn<double>("sum");
        QTest::addColumn<float>("first");
        QTest::newRow("tiny_face_detector conv8/bias (uint8)") << "tiny_face_detector_model-weights_manifest.json" << 19 << qint64{193321} << 19
                                                               << "conv8/bias" << "U8" << 0xaf474df3u << -1.626252087764442 << 0.165573791f;
        QTest::newRow("age_gender conv_in/filters (uint8)") << "age_gender_model-weights_manifest.json" << 51 << qint64{421731} << 32
                                                            << "entry_flow/conv_in/filters" << "U8" << 0x70e2c1aau << -4.3345964350737631 << -0.0814773738f;
        QTest::newRow("age_gender conv_in/bias (float32)") << "age_gender_model-weights_manifest.json" << 51 << qint64{421731} << 32
                                                          << "entry_flow/conv_in/bias" << "F32" << 0x5c3ddbfbu << -5.8059579040855169 << -0.295012772f;
        QTest::newRow("ssd_mobilenetv1 Output/extra_dim (float32)") << "ssd_mobilenetv1_model-weights_manifest.json" << 151 << qint64{5555541} << 150
                                                                    << "Output/extra_dim" << "F32" << 0x03781bf9u << 10235.999983757734 << -0.0343750007f;
    }
    void realFaceApi() {
        QFETCH(QString, manifest);
        QFETCH(int, weights);
        QFETCH(qint64, params);
        QFETCH(int, quantized);
        QFETCH(QString, name);
        QFETCH(QString, stored);
        QFETCH(quint32, crc);
        QFETCH(double, sum);
        QFETCH(float, first);
        const std::string path = cached_model("face-api/model/" + manifest.toStdString());
        if (path.empty()) QSKIP("face-api weights not fetched: run scripts/fetch-test-models.sh (needs the npm registry)");
        auto f = ql::open_model_file(path);
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE(static_cast<int>((*f)->tensors().size()), weights);
        QCOMPARE(static_cast<qint64>(ql::model_totals(**f).params), params);
        int q = 0;
        for (const auto& t : (*f)->tensors()) q += t.encoding.find("uint8 affine") != std::string::npos;
        QCOMPARE(q, quantized);
        const ql::TensorInfo* ti = (*f)->find(name.toStdString());
        QVERIFY(ti);
        QCOMPARE(QString::fromStdString(std::string(ql::dtype_name(ti->dtype))), stored);
        QCOMPARE(crc32(stored_bytes(*ti)), static_cast<std::uint32_t>(crc));
        auto t = (*f)->load(name.toStdString());
        QVERIFY(t.ok());
        QCOMPARE(static_cast<qint64>(t->values.size()), static_cast<qint64>(ti->numel()));
        QCOMPARE(t->values[0], first);
        constexpr double kSumTolerance = 1e-9;  // float32 values summed in double, different order than math.fsum
        QVERIFY2(std::fabs(qltest::sum(t->values) - sum) < kSumTolerance * std::max(1.0, std::fabs(sum)),
                 qPrintable(QString("sum %1, expected %2").arg(qltest::sum(t->values), 0, 'g', 17).arg(sum, 0, 'g', 17)));
    }
};

QTEST_APPLESS_MAIN(TestTfjs)
#include "test_tfjs.moc"
