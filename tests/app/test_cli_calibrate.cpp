// quantlens calibrate as a user runs it: every method in the JSON with its own values, loaded layers,
// and clear errors for bad arguments (exit 2) and mismatched files (exit 1).
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "cli_run.h"

namespace {

using ql::test::Run;

Run run(const QStringList& args) { return ql::test::run(args, 300000); }  // calibration of big layers takes longer

QJsonObject method(const QJsonArray& methods, const QString& name) {
    for (const auto& m : methods)
        if (m.toObject()["method"].toString() == name) return m.toObject();
    return {};
}

} // namespace

class TestCliCalibrate : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const char* name) const { return dir_.filePath(name); }

private slots:
    void allMethodsJson() {
        Run r = run({"calibrate", "--method", "all", "--tokens", "256", "--in", "128", "--out", "32", "--group-size", "32", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = QJsonDocument::fromJson(r.out).object();
        const auto methods = j["methods"].toArray();
        QStringList names;
        for (const auto& m : methods) names << m.toObject()["method"].toString();
        QCOMPARE(names, (QStringList{"rtn", "gptq", "awq", "awq_clip", "smoothquant_w8a8_tensor", "smoothquant_w8a8_token",
                                     "w8a8_tensor", "w8a8_token"}));
        for (const auto& m : methods) {
            const double e = m.toObject()["relative_output_error"].toDouble();
            QVERIFY2(e > 0 && e < 1, qPrintable(m.toObject()["method"].toString()));
            QVERIFY(m.toObject()["weight_mse"].toDouble() > 0);
        }
        QVERIFY(method(methods, "gptq").contains("loss"));
        QVERIFY(method(methods, "gptq").contains("percdamp"));
        QVERIFY(method(methods, "awq").contains("ratio"));
        QCOMPARE(method(methods, "awq")["loss_vs_ratio"].toArray().size(), 20);
        QVERIFY(method(methods, "gptq")["relative_output_error"].toDouble() < method(methods, "rtn")["relative_output_error"].toDouble());
        QCOMPARE(j["layer"].toObject()["in"].toInt(), 128);
        QVERIFY(!j.contains("details"));
    }

    void detailsAndOneMethod() {
        Run r = run({"calibrate", "--method", "gptq", "--tokens", "128", "--in", "64", "--out", "16", "--act-order", "--json", "--details"});
        QVERIFY2(r.code == 0, r.err.constData());
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["methods"].toArray().size(), 1);
        const auto g = j["details"].toObject()["gptq"].toObject();
        QCOMPARE(g["hessian_diag"].toArray().size(), 64);
        QCOMPARE(g["column_loss"].toArray().size(), 64);
        QCOMPARE(j["settings"].toObject()["act_order"].toBool(), true);
    }

    void loadedLayer() {
        QCOMPARE(run({"generate", "--shape", "16x64", "--std", "0.1", "--out", path("w.npy")}).code, 0);
        QCOMPARE(run({"generate", "--shape", "200x64", "--seed", "3", "--out", path("x.npy")}).code, 0);
        Run r = run({"calibrate", "--weights", path("w.npy"), "--activations", path("x.npy"), "--method", "rtn,smoothquant", "--group-size", "-1"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("W 16 x 64, X 200 tokens"), r.out.constData());
        QVERIFY(r.out.contains("smoothquant_w8a8_token"));
        // weights only: activations generated to match
        Run w = run({"calibrate", "--weights", path("w.npy"), "--tokens", "100", "--method", "awq", "--group-size", "32", "--json"});
        QVERIFY2(w.code == 0, w.err.constData());
        QCOMPARE(QJsonDocument::fromJson(w.out).object()["layer"].toObject()["tokens"].toInt(), 100);
    }

    void mismatchedFiles() {
        QCOMPARE(run({"generate", "--shape", "16x64", "--out", path("w2.npy")}).code, 0);
        QCOMPARE(run({"generate", "--shape", "20x48", "--out", path("x2.npy")}).code, 0);
        Run r = run({"calibrate", "--weights", path("w2.npy"), "--activations", path("x2.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("x2.npy") && r.err.contains("48 input channels"), r.err.constData());
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("bits") << QStringList{"--bits", "9"} << "--bits must be 2..8";
        QTest::newRow("method") << QStringList{"--method", "gptq,foo"} << "--method must be";
        QTest::newRow("group size 0") << QStringList{"--group-size", "0"} << "--group-size";
        QTest::newRow("alpha") << QStringList{"--alpha", "2"} << "--alpha must be in [0, 1]";
        QTest::newRow("activations alone") << QStringList{"--activations", "x.npy"} << "--activations needs --weights";
    }
    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Run r = run(QStringList{"calibrate"} + args);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestCliCalibrate)
#include "test_cli_calibrate.moc"
