// `quantlens export` run as a user would, with no display: the built-in demo and a session file give
// every chart in the asked formats and sizes, metrics.csv and session.json, and say where they went;
// bad arguments exit 2 and a bad session exits 1, both with a message.
#include <QtTest>

#include <QImageReader>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSvgRenderer>

#include "session.h"

using namespace ql::ui;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run quantlens(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));  // the command must pick offscreen by itself
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(QL_QUANTLENS_BIN), args);
    p.waitForFinished(300000);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromLocal8Bit(p.readAllStandardOutput()),
               QString::fromLocal8Bit(p.readAllStandardError())};
}

const QStringList kCharts = {"weight_distribution", "error_distribution", "memory", "sample_values",
                             "layer_accumulation", "gpu_fit", "snr_vs_bits", "channel_error"};

} // namespace

class TestHeadlessExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    // The demo reproduces the seed notebook's setup: 1000x1000 normal(0, 2), INT8 and INT4 per tensor.
    void demo() {
        const QString out = dir_.filePath("demo");
        const Run r = quantlens({"export", "--demo", "--out", out, "--format", "png", "--size", "1000x640"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QDir(out).absolutePath()), qPrintable(r.out));  // says where the files went
        for (const QString& id : kCharts) {
            QImageReader img(QDir(out).filePath(id + ".png"));
            QCOMPARE(img.size(), QSize(1000, 640));
            QVERIFY2(!img.read().isNull(), qPrintable(id));
        }
        QVERIFY(QFile::exists(QDir(out).filePath("metrics.csv")));
        QString error;
        auto s = loadSession(QDir(out).filePath("session.json"), &error);
        QVERIFY2(s.has_value(), qPrintable(error));
        QCOMPARE(s->tensor.generator.shape, (std::vector<std::int64_t>{1000, 1000}));
        QCOMPARE(s->tensor.generator.std, 2.0);
        QCOMPARE(s->tensor.generator.seed, std::uint64_t(42));
        QCOMPARE(s->configs.size(), std::size_t(2));
        QCOMPARE(s->configs[0].bits, 8);
        QCOMPARE(s->configs[1].bits, 4);
        QCOMPARE(s->analysis.layer_sim.layers, 5);
        QCOMPARE(s->analysis.layer_sim.weight_std, 0.1);
        const QStringList csv = QString::fromUtf8([&] {
                                    QFile f(QDir(out).filePath("metrics.csv"));
                                    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
                                }())
                                    .trimmed()
                                    .split('\n');
        QCOMPARE(csv.size(), 3);
    }

    // A session file, vector formats, a chosen size.
    void sessionFile_data() {
        QTest::addColumn<QString>("format");
        QTest::newRow("svg") << "svg";
        QTest::newRow("pdf") << "pdf";
        QTest::newRow("jpg") << "jpg";
    }
    void sessionFile() {
        QFETCH(QString, format);
        Session s = Session::defaults();
        s.tensor.generator.shape = {64, 80};
        s.analysis.layer_sim.width = 48;
        const QString session = dir_.filePath("small.json");
        QString error;
        QVERIFY2(saveSession(session, s, &error), qPrintable(error));
        const QString out = dir_.filePath("session_" + format);
        const Run r = quantlens({"export", "--session", session, "--out", out, "--format", format, "--size", "900x560"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        for (const QString& id : kCharts) {
            const QString path = QDir(out).filePath(id + '.' + format);
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray bytes = f.readAll();
            if (format == "svg") {
                QSvgRenderer svg(bytes);
                QVERIFY2(svg.isValid(), qPrintable(path));
                QCOMPARE(svg.viewBox().size(), QSize(900, 560));
            } else if (format == "pdf") {
                QVERIFY2(bytes.startsWith("%PDF-"), qPrintable(path));
            } else {
                QImage img;
                QVERIFY2(img.loadFromData(bytes, "JPG"), qPrintable(path));
                QCOMPARE(img.size(), QSize(900, 560));
            }
        }
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no source") << QStringList{"export", "--out", "x"} << 2 << "--session";
        QTest::newRow("no out") << QStringList{"export", "--demo"} << 2 << "out";
        QTest::newRow("bad format") << QStringList{"export", "--demo", "--out", "x", "--format", "gif"} << 2 << "gif";
        QTest::newRow("bad size") << QStringList{"export", "--demo", "--out", "x", "--size", "big"} << 2 << "--size";
        QTest::newRow("missing session") << QStringList{"export", "--session", "no_such_session.json", "--out", "x"} << 1
                                         << "no_such_session.json";
        QTest::newRow("unknown example") << QStringList{"export", "--example", "no-such-lesson", "--out", "x"} << 2 << "outlier-rows";
    }

    // A classroom example rendered headless: its session (the embedded file's) and its configurations'
    // rows in metrics.csv.
    void example() {
        const QString out = dir_.filePath("example");
        const Run r = quantlens({"export", "--example", "gguf-blocks", "--out", out, "--format", "png", "--size", "800x500"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QFile::exists(QDir(out).filePath("weight_distribution.png")));
        QString error;
        auto s = loadSession(QDir(out).filePath("session.json"), &error);
        QVERIFY2(s.has_value(), qPrintable(error));
        QCOMPARE(s->configs.size(), std::size_t(4));
        QFile csv(QDir(out).filePath("metrics.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray text = csv.readAll();
        for (const char* name : {"Q8_0", "Q6_K", "Q4_K", "Q4_0"}) QVERIFY2(text.contains(name), name);
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        for (QString& a : args)
            if (a == "x") a = dir_.filePath("unused");
        const Run r = quantlens(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(!QDir(dir_.filePath("unused")).exists());
    }

    void badSessionFile() {
        const QString path = dir_.filePath("bad.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"quantlens_session": 1, "analysis": {"histogram_bins": "many"}})");
        f.close();
        const Run r = quantlens({"export", "--session", path, "--out", dir_.filePath("bad_out")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("histogram_bins") && r.err.contains("bad.json"), qPrintable(r.err));
    }
};

QTEST_MAIN(TestHeadlessExport)
#include "test_headless_export.moc"
