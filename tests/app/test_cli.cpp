// The headless commands of the quantlens binary, run as a user would: exit codes, outputs, and clear
// messages for bad arguments (exit 2) and bad files (exit 1).
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>

#include "cli_run.h"
#include "examples.h"

namespace {

using ql::test::Run;
using ql::test::run;

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const char* name) const { return dir_.filePath(name); }

private slots:
    void generateThenStats() {
        Run g = run({"generate", "--shape", "200x300", "--std", "2", "--seed", "42", "--out", path("w.npy")});
        QCOMPARE(g.code, 0);
        QVERIFY(QFile::exists(path("w.npy")));
        Run s = run({"stats", path("w.npy"), "--bits", "4", "--json"});
        QCOMPARE(s.code, 0);
        const auto j = QJsonDocument::fromJson(s.out).object();
        QCOMPARE(j["tensor"].toObject()["numel"].toInt(), 60000);
        const auto c = j["configs"].toArray().at(0).toObject();
        QCOMPARE(c["config"].toObject()["bits"].toInt(), 4);
        const double snr = c["metrics"].toObject()["snr_db"].toDouble();
        QVERIFY2(snr > 10 && snr < 20, qPrintable(QString::number(snr)));  // INT4 per tensor on a normal tensor
        QVERIFY(c["storage"].toObject()["bits_per_weight"].toDouble() > 4.0);
    }

    void statsWithGenerator() {
        Run s8 = run({"stats", "--generate", "--shape", "100x100", "--bits", "8", "--json"});
        Run s4 = run({"stats", "--generate", "--shape", "100x100", "--bits", "4", "--json"});
        QCOMPARE(s8.code, 0);
        QCOMPARE(s4.code, 0);
        auto mse = [](const QByteArray& o) {
            return QJsonDocument::fromJson(o).object()["configs"].toArray().at(0).toObject()["metrics"].toObject()["mse"].toDouble();
        };
        QVERIFY(mse(s4.out) > mse(s8.out));
    }

    // stats --json --full gives a configuration's SNR at 2-8 bits: INT's sweep and HQQ's (its solver at each
    // width, b + 32/64 bits per weight); without --full there is none.
    void statsFullHasTheSnrSweep_data() {
        QTest::addColumn<QStringList>("config");
        QTest::addColumn<double>("overhead");  // bits per weight beyond b
        QTest::newRow("int4 asym per tensor") << QStringList{"--bits", "4"} << 0.0;
        QTest::newRow("hqq3 g64") << QStringList{"--format", "hqq", "--bits", "3"} << 0.5;
    }
    void statsFullHasTheSnrSweep() {
        QFETCH(QStringList, config);
        QFETCH(double, overhead);
        const QStringList base = QStringList{"stats", "--generate", "--shape", "64x256"} + config + QStringList{"--json"};
        auto sweepOf = [](const Run& r) {
            return QJsonDocument::fromJson(r.out).object()["configs"].toArray().at(0).toObject()["snr_vs_bits"].toArray();
        };
        const Run full = run(base + QStringList{"--full"});
        QCOMPARE(full.code, 0);
        const QJsonArray sweep = sweepOf(full);
        QCOMPARE(sweep.size(), 7);
        for (int i = 0; i < sweep.size(); ++i) {
            const QJsonObject p = sweep.at(i).toObject();
            QCOMPARE(p["bits"].toInt(), i + 2);
            QVERIFY(std::fabs(p["bits_per_weight"].toDouble() - (i + 2 + overhead)) < 0.01);
            if (i) QVERIFY(p["snr_db"].toDouble() > sweep.at(i - 1).toObject()["snr_db"].toDouble());
        }
        const Run plain = run(base);
        QCOMPARE(plain.code, 0);
        QVERIFY(sweepOf(plain).isEmpty());
    }

    void quantizeWritesDequantizedAndCodes() {
        QCOMPARE(run({"generate", "--shape", "8x16", "--out", path("small.npy")}).code, 0);
        Run q = run({"quantize", path("small.npy"), "--bits", "4", "--scheme", "sym", "--granularity", "group", "--group-size", "16",
                     "--out", path("dq.npy"), "--codes", path("codes.npy")});
        QCOMPARE(q.code, 0);
        QVERIFY2(q.out.contains("5.0000 bits per weight"), q.out.constData());  // INT4 + an fp16 scale per 16 = 4 + 16/16
        QFile codes(path("codes.npy"));
        QVERIFY(codes.open(QIODevice::ReadOnly));
        QVERIFY(codes.readAll().contains("'descr': '|i1'"));
    }

    void memory() {
        Run m = run({"memory", "--params", "7e9", "--json"});
        QCOMPARE(m.code, 0);
        const auto formats = QJsonDocument::fromJson(m.out).object()["formats"].toArray();
        QCOMPARE(formats.at(1).toObject()["format"].toString(), QString("FP16"));
        QCOMPARE(formats.at(1).toObject()["total_gb"].toDouble(), 14.0);
        Run t = run({"memory", "--params", "7e9", "--gpu", "RTX 4090"});
        QCOMPARE(t.code, 0);
        QVERIFY(t.out.contains("13.04"));  // FP16 in GiB
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown option") << QStringList{"stats", "--generate", "--bogus"} << 2 << "unknown option --bogus";
        QTest::newRow("bits out of range") << QStringList{"stats", "--generate", "--bits", "9"} << 2 << "--bits must be 2..8";
        QTest::newRow("not a number") << QStringList{"stats", "--generate", "--bits", "four"} << 2 << "needs a number";
        QTest::newRow("bad shape") << QStringList{"generate", "--shape", "10xx", "--out", "x.npy"} << 2 << "--shape must look like";
        QTest::newRow("missing --out") << QStringList{"generate"} << 2 << "missing required option --out";
        QTest::newRow("missing file") << QStringList{"stats", "/nonexistent/w.npy"} << 1 << "cannot open";
        QTest::newRow("unknown GPU") << QStringList{"memory", "--params", "7e9", "--gpu", "Voodoo2"} << 2 << "unknown --gpu";
        QTest::newRow("axis out of range") << QStringList{"stats", "--generate", "--granularity", "channel", "--axis", "3"} << 2 << "axis 3 out of range";
        QTest::newRow("unknown command") << QStringList{"models", "--help"} << 2 << "'models' is neither a command nor a file";
    }
    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        Run r = run(args);
        QCOMPARE(r.code, code);
        QVERIFY2(QString(r.err).contains(message), r.err.constData());
    }

    // The window without a display: a message that names the headless way instead of Qt's abort about
    // platform plugins (exit 1).
    void windowWithoutDisplay() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}) env.remove(QString::fromLatin1(v));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(QL_QUANTLENS_BIN), QStringList{});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains("no display") && err.contains("quantlens export --demo"), err.constData());
    }

    // The help texts list every classroom example by its id (from the examples' table, so they cannot drift).
    void helpListsTheExamples() {
        for (const QStringList& args : {QStringList{"--help"}, QStringList{"export", "--help"}}) {
            const Run r = run(args);
            QCOMPARE(r.code, 0);
            for (const ql::ui::Example& e : ql::ui::examples()) QVERIFY2(r.out.contains(e.id.toUtf8()), qPrintable(e.id));
        }
    }

    void notAnNpyFile() {
        QFile f(path("bad.npy"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not numpy");
        f.close();
        Run r = run({"stats", path("bad.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("bad.npy"), r.err.constData());
    }

    void benchListsSections() {
        Run r = run({"bench", "--list"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("analysis"));
    }

    // bench formats --json: a row per chosen format, and for the searched ggml formats (q4_k, q6_k, iq4_nl)
    // a second row timing ggml's quantization alone next to the INT path; none for the others.
    void benchFormatsTimesTheSearchAlone_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("searched");
        QTest::newRow("q4_k") << "q4_k" << true;
        QTest::newRow("q6_k") << "q6_k" << true;
        QTest::newRow("iq4_nl") << "iq4_nl" << true;
        QTest::newRow("nf4") << "nf4" << false;
        QTest::newRow("q4_0") << "q4_0" << false;
    }
    void benchFormatsTimesTheSearchAlone() {
        QFETCH(QString, format);
        QFETCH(bool, searched);
        const Run r = run({"bench", "--only", "formats", "--size", "256", "--repeats", "1", "--formats", format, "--json"});
        QCOMPARE(r.code, 0);
        const QJsonArray rows = QJsonDocument::fromJson(r.out).array();
        int analyses = 0, alone = 0;
        for (const auto& v : rows) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o["section"].toString(), QStringLiteral("formats"));
            QCOMPARE(o["format"].toString(), format);
            if (o["config"].toString() == QStringLiteral("ggml quantization alone")) {
                ++alone;
                QVERIFY(o["median_ms"].toDouble() > 0.0);
                QVERIFY(o["int_path_ms"].toDouble() > 0.0);
                QVERIFY(o["vs_int_path"].toDouble() > 0.0);
                QVERIFY(o["share_of_analysis"].toDouble() > 0.0);
            } else {
                ++analyses;
                QVERIFY(o["median_ms"].toDouble() > 0.0);
            }
        }
        QCOMPARE(analyses, 1);
        QCOMPARE(alone, searched ? 1 : 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
