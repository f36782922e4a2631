// quantlens info / survey and model-file inputs to stats and quantize (--tensor NAME), run as a user
// would, on byte-built safetensors files: outputs checked against values known from the file and the
// INT8 definition; bad files exit 1 with the loader's message naming the file.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "cli_run.h"

#include <cmath>
#include <cstring>
#include <fstream>

namespace {

using ql::test::Run;
using ql::test::run;

std::string floats(std::initializer_list<float> v) {
    std::string s;
    for (float x : v) {
        char b[4];
        std::memcpy(b, &x, 4);
        s.append(b, 4);
    }
    return s;
}

void write_safetensors(const QString& path, const std::string& header, const std::string& data) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    const std::uint64_t n = header.size();
    char len[8];
    std::memcpy(len, &n, 8);
    out.write(len, 8);
    out << header << data;
}

} // namespace

class TestCliModels : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_;
    const std::string header_ = "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,32]},"
                                "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[32,40]}}";

private slots:
    void initTestCase() {
        // w: 2x4, row 0 = [127, 0.5, 0, 0], row 1 = [127, -127, 0, 0]; b: 2 (a bias, not a weight tensor)
        model_ = dir_.filePath("m.safetensors");
        write_safetensors(model_, header_, floats({127, 0.5f, 0, 0, 127, -127, 0, 0, 1, 2}));
    }

    void infoText() {
        Run r = run({"info", model_});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("format:  safetensors"));
        QVERIFY(r.out.contains("format: pt"));
        QVERIFY(r.out.contains("2x4"));
        QVERIFY(r.out.contains("10 parameters"));
        QVERIFY(r.out.contains("40 bytes"));
    }

    void infoJson() {
        Run r = run({"info", model_, "--json"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["format"].toString(), QString("safetensors"));
        QCOMPARE(j["tensor_count"].toInt(), 2);
        QCOMPARE(j["total_params"].toInt(), 10);
        QCOMPARE(j["total_bytes"].toInt(), 40);
        const auto w = j["tensors"].toArray().at(0).toObject();
        QCOMPARE(w["name"].toString(), QString("w"));
        QCOMPARE(w["shape"].toArray(), (QJsonArray{2, 4}));
        QCOMPARE(w["dtype"].toString(), QString("F32"));
        QCOMPARE(w["bytes"].toInt(), 32);
        QCOMPARE(w["offset"].toInt(), static_cast<int>(8 + header_.size()));  // 8-byte length + the header
        QCOMPARE(j["metadata"].toArray().at(0).toObject()["key"].toString(), QString("format"));
    }

    void infoBadFiles_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("rule");
        QTest::newRow("pickle") << "model.pt" << QByteArray("\x80\x02", 2) << "unpickling can run arbitrary code";
        QTest::newRow("truncated safetensors") << "cut.safetensors" << QByteArray("\x40\x00\x00\x00\x00\x00\x00\x00{}", 10) << "runs past the end of the file";
        QTest::newRow("empty") << "e.gguf" << QByteArray() << "file is empty";
    }
    void infoBadFiles() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, rule);
        QFile f(dir_.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        Run r = run({"info", f.fileName()});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(rule.toUtf8()), r.err.constData());
        QVERIFY2(r.err.contains(name.toUtf8()), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    // INT8 symmetric per channel: both rows have absmax 127, so scale = 1; only 0.5 is off the grid
    // (rint(0.5) = 0), so MSE = 0.25 / 8 and SQNR = 10 log10(var(w) / MSE) over the 8 values.
    void surveyJson() {
        Run r = run({"survey", model_, "--configs", "int8:sym:channel,int4:sym:channel", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["total_params"].toInt(), 10);
        QCOMPARE(j["weight_params"].toInt(), 8);
        QCOMPARE(j["weight_tensors"].toInt(), 1);
        const double w[8] = {127, 0.5, 0, 0, 127, -127, 0, 0};
        double mean = 0, sq = 0;
        for (double x : w) mean += x / 8;
        for (double x : w) sq += (x - mean) * (x - mean) / 8;
        const double expected = 10 * std::log10(sq / (0.25 / 8));
        const auto cfg = j["configs"].toArray();
        QCOMPARE(cfg.size(), 2);
        const double got = cfg.at(0).toObject()["mean_sqnr_db"].toDouble();
        constexpr double kDbTolerance = 1e-9;
        QVERIFY2(std::fabs(got - expected) < kDbTolerance, qPrintable(QString("%1 vs %2").arg(got, 0, 'g', 17).arg(expected, 0, 'g', 17)));
        QCOMPARE(cfg.at(0).toObject()["worst_tensor"].toString(), QString("w"));
        const auto t = j["tensors"].toArray().at(0).toObject();
        QCOMPARE(t["name"].toString(), QString("w"));
        QCOMPARE(t["sqnr_db"].toArray().size(), 2);
        // INT4 sym per channel: scale 127/7, so 127, -127 and 0 are again exact and only 0.5 -> 0 errs
        QVERIFY(std::fabs(t["sqnr_db"].toArray().at(1).toDouble() - expected) < kDbTolerance);
        // memory: plain formats count all 10 parameters (FP16: 20 bytes)
        bool fp16 = false;
        for (const auto& m : j["memory"].toArray())
            if (m.toObject()["label"].toString() == "FP16") {
                fp16 = true;
                QCOMPARE(m.toObject()["bytes"].toInt(), 20);
            }
        QVERIFY(fp16);
    }

    // HQQ in a survey: "hqq3:b8" is HQQ at 3 bits in groups of 8, "hqq" alone its common INT4 (g64); the
    // model's 8 weights make one group: 3 + 32/8 and 4 + 32/8 bits per weight.
    void surveyHqq() {
        Run r = run({"survey", model_, "--configs", "hqq3:b8,hqq", "--json"});
        QCOMPARE(r.code, 0);
        const auto cfg = QJsonDocument::fromJson(r.out).object()["configs"].toArray();
        QCOMPARE(cfg.size(), 2);
        QCOMPARE(cfg.at(0).toObject()["name"].toString(), QString("HQQ INT3 g8"));
        QCOMPARE(cfg.at(1).toObject()["name"].toString(), QString("HQQ INT4 g64"));
        QCOMPARE(cfg.at(0).toObject()["bits_per_weight"].toDouble(), 3.0 + 32.0 / 8);
        QCOMPARE(cfg.at(1).toObject()["bits_per_weight"].toDouble(), 4.0 + 32.0 / 8);
        QVERIFY(std::isfinite(cfg.at(0).toObject()["mean_sqnr_db"].toDouble()));
    }

    void surveyBadConfigs() {
        Run r = run({"survey", model_, "--configs", "int9"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown format 'int9'"));
    }

    void statsAndQuantizeWithTensor() {
        Run s = run({"stats", model_, "--tensor", "w", "--bits", "8", "--scheme", "sym", "--granularity", "channel", "--json"});
        QCOMPARE(s.code, 0);
        const auto j = QJsonDocument::fromJson(s.out).object();
        QCOMPARE(j["tensor"].toObject()["numel"].toInt(), 8);
        Run noname = run({"stats", model_, "--bits", "8"});
        QCOMPARE(noname.code, 2);
        QVERIFY2(noname.err.contains("choose one with --tensor NAME"), noname.err.constData());
        Run missing = run({"stats", model_, "--tensor", "nope"});
        QCOMPARE(missing.code, 1);
        QVERIFY(missing.err.contains("no tensor named 'nope'"));
        const QString out = dir_.filePath("dq.npy");
        Run q = run({"quantize", model_, "--tensor", "w", "--bits", "8", "--scheme", "sym", "--granularity", "channel", "--out", out});
        QCOMPARE(q.code, 0);
        Run back = run({"info", out, "--json"});
        QCOMPARE(back.code, 0);
        QCOMPARE(QJsonDocument::fromJson(back.out).object()["tensors"].toArray().at(0).toObject()["shape"].toArray(), (QJsonArray{2, 4}));
    }
};

QTEST_GUILESS_MAIN(TestCliModels)
#include "test_cli_models.moc"
