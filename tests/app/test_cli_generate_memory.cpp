// `quantlens generate` and `quantlens memory` run as a user would: the written tensor equals the core
// generator's, the memory numbers in JSON equal the formulas, and bad arguments exit with code 2 and
// a message naming the option.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "cli_run.h"

#include "core/generators.h"
#include "core/npy.h"

namespace {

using ql::test::Run;
using ql::test::run;

QJsonObject formatRow(const QJsonObject& j, const QString& name) {
    for (const auto& f : j["formats"].toArray())
        if (f.toObject()["format"].toString() == name) return f.toObject();
    return {};
}

} // namespace

class TestCliGenerateMemory : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    // The file holds exactly what ql::generate gives for the same spec.
    void generateWritesTheGeneratorsTensor_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("dist");
        QTest::addColumn<double>("dof");
        QTest::newRow("seed notebook default") << QStringList{} << int(ql::Distribution::Normal) << 3.0;
        QTest::newRow("student-t dof 4.5, outliers, LLM rows")
            << QStringList{"--dist", "student_t", "--dof", "4.5", "--outliers", "0.01", "--outlier-magnitude", "20", "--llm-channels", "3"}
            << int(ql::Distribution::StudentT) << 4.5;
        QTest::newRow("laplace mean 1 std 0.1") << QStringList{"--dist", "laplace", "--mean", "1", "--std", "0.1"}
                                                << int(ql::Distribution::Laplace) << 3.0;
    }
    void generateWritesTheGeneratorsTensor() {
        QFETCH(QStringList, args);
        QFETCH(int, dist);
        QFETCH(double, dof);
        const QString out = dir_.filePath("g.npy");
        Run r = run(QStringList{"generate", "--shape", "64x96", "--seed", "7", "--out", out} + args);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("64x96"), r.out.constData());
        auto t = ql::read_npy(out.toStdString());
        QVERIFY2(t, t ? "" : t.error().message().c_str());
        ql::GeneratorSpec g;
        g.shape = {64, 96};
        g.seed = 7;
        g.distribution = ql::Distribution(dist);
        g.dof = dof;
        if (args.contains("--outliers")) {
            g.outlier_fraction = 0.01;
            g.outlier_magnitude = 20;
            g.llm_channels = 3;
        }
        if (args.contains("--mean")) {
            g.mean = 1;
            g.std = 0.1;
        }
        QCOMPARE(t.value().shape, g.shape);
        QCOMPARE(t.value().values, ql::generate(g).values);
    }

    // 7B: FP16 14.0 GB = 13.04 GiB; --bits 4.125 and --format q4_k rows; KV cache of the 7B preset at
    // 4096 tokens = 2 GiB; fits on an RTX 4090 with 10% headroom.
    void memoryJson() {
        Run r = run({"memory", "--params", "7B", "--bits", "4.125", "--format", "Q4_K", "--gpu", "RTX 4090,RTX 3080", "--kv-context",
                     "4096", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["params"].toDouble(), 7e9);
        const auto fp16 = formatRow(j, "FP16");
        QCOMPARE(fp16["weight_bytes"].toDouble(), 14e9);
        QCOMPARE(fp16["kv_bytes"].toDouble(), 2.0 * 1073741824);
        QCOMPARE(fp16["total_bytes"].toDouble(), 14e9 + 2.0 * 1073741824);
        QCOMPARE(formatRow(j, "4.125 bits")["weight_bytes"].toDouble(), 7e9 * 4.125 / 8);
        QCOMPARE(formatRow(j, "Q4_K")["bits_per_weight"].toDouble(), 4.5);
        const auto fits = fp16["gpus"].toArray();
        QCOMPARE(fits.size(), 2);
        QCOMPARE(fits.at(0).toObject()["gpu"].toString(), QString("RTX 4090"));
        QVERIFY(fits.at(0).toObject()["fits"].toBool());    // 16.1 GB of 24 GiB
        QVERIFY(!fits.at(1).toObject()["fits"].toBool());   // not on 10 GiB
    }

    void memoryTable() {
        Run t = run({"memory", "--params", "7e9", "--gpu", "RTX 4090"});
        QCOMPARE(t.code, 0);
        QVERIFY(t.out.contains("13.04"));  // FP16 in GiB
        QVERIFY(t.out.contains("14.00"));  // FP16 in GB
        QVERIFY(t.out.contains("GiB") && t.out.contains("GB"));
        // the card in both units, 24 GiB = 24 x 2^30 bytes = 25.77 GB, and as sold ("24 GB" = 24.00 GiB read
        // as a contradiction)
        QVERIFY2(t.out.contains("RTX 4090: 24.00 GiB = 25.77 GB GDDR6X (sold as \"24 GB\")"), qPrintable(t.out));
        Run l = run({"memory", "--list"});
        QCOMPARE(l.code, 0);
        QVERIFY(l.out.contains("H200") && l.out.contains("Phi-3-mini") && l.out.contains("Q4_K"));
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("generate: unknown dist") << QStringList{"generate", "--dist", "cauchy", "--out", "x.npy"} << "unknown --dist";
        QTest::newRow("generate: dof 2") << QStringList{"generate", "--dist", "student_t", "--dof", "2", "--out", "x.npy"} << "dof > 2";
        QTest::newRow("generate: negative std") << QStringList{"generate", "--std", "-1", "--out", "x.npy"} << "std";
        QTest::newRow("generate: outliers 2") << QStringList{"generate", "--outliers", "2", "--out", "x.npy"} << "outlier fraction";
        QTest::newRow("generate: too many LLM rows") << QStringList{"generate", "--shape", "4x4", "--llm-channels", "5", "--out", "x.npy"}
                                                     << "LLM-like channels";
        QTest::newRow("memory: no --params") << QStringList{"memory"} << "missing required option --params";
        QTest::newRow("memory: bad count") << QStringList{"memory", "--params", "lots"} << "--params needs a positive count";
        QTest::newRow("memory: unknown gpu") << QStringList{"memory", "--params", "7e9", "--gpu", "Voodoo2"} << "unknown --gpu 'Voodoo2'";
        QTest::newRow("memory: unknown format") << QStringList{"memory", "--params", "7e9", "--format", "q9_k"} << "unknown --format 'q9_k'";
        QTest::newRow("memory: KV without a model") << QStringList{"memory", "--params", "7e9", "--kv-context", "4096"} << "--kv-context needs";
        QTest::newRow("memory: headroom 1") << QStringList{"memory", "--params", "7e9", "--headroom", "1"} << "--headroom must be in [0, 1)";
        QTest::newRow("memory: bad overhead") << QStringList{"memory", "--params", "7e9", "--overhead", "lots"} << "--overhead needs";
        QTest::newRow("memory: bits 0") << QStringList{"memory", "--params", "7e9", "--bits", "0"} << "--bits must be in (0, 64]";
    }
    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Run r = run(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(QString(r.err).contains(message), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliGenerateMemory)
#include "test_cli_generate_memory.moc"
