// `quantlens speed --json` as a user runs it (a small shape, few repeats): one object per measurement
// with the documented keys, a positive floor, GB/s and GFLOP/s that follow from the bytes, the shape
// and the median; bad arguments exit with code 2 naming the option.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "cli_run.h"

namespace {

using ql::test::Run;
using ql::test::run;

constexpr double kRelTol = 1e-9;  // gbps and gflops are divisions of printed doubles

} // namespace

class TestCliSpeed : public QObject {
    Q_OBJECT
private slots:
    void jsonMeasurements() {
        const Run r = run({"speed", "--shape", "96x160", "--batch", "1,4", "--formats", "fp32,int8,w4", "--repeats", "3",
                           "--rotate-gib", "0.01", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray a = QJsonDocument::fromJson(r.out).array();
        QCOMPARE(a.size(), 6);
        QStringList seen;
        for (const auto& v : a) {
            const QJsonObject o = v.toObject();
            for (const char* key : {"format", "device", "batch", "median_ms", "floor_ms", "gbps", "gflops", "q25_ms", "q75_ms", "weight_bytes"})
                QVERIFY2(o.contains(key), key);
            const double median = o["median_ms"].toDouble(), bytes = o["weight_bytes"].toDouble();
            const double batch = o["batch"].toDouble();
            QVERIFY(o["floor_ms"].toDouble() > 0);
            QVERIFY(median > 0);
            QVERIFY(o["q25_ms"].toDouble() <= median && median <= o["q75_ms"].toDouble());
            QVERIFY(std::fabs(o["gbps"].toDouble() - bytes / (median * 1e-3) / 1e9) <= kRelTol * o["gbps"].toDouble());
            QVERIFY(std::fabs(o["gflops"].toDouble() - 2 * batch * 96 * 160 / (median * 1e-3) / 1e9) <= kRelTol * o["gflops"].toDouble());
            QVERIFY(o["device"].toString().startsWith("CPU: "));
            seen << QString("%1/%2").arg(o["format"].toString()).arg(batch);
        }
        QCOMPARE(seen, (QStringList{"fp32/1", "fp32/4", "int8/1", "int8/4", "w4/1", "w4/4"}));
        // weight bytes: fp32 4 per weight; int8 rows padded to 192 inputs + a float per row; w4 half a
        // byte per input padded to 256 + a float per group of 128
        QCOMPARE(a[0].toObject()["weight_bytes"].toDouble(), 96.0 * 160 * 4);
        QCOMPARE(a[2].toObject()["weight_bytes"].toDouble(), 96.0 * 192 + 96 * 4);
        QCOMPARE(a[4].toObject()["weight_bytes"].toDouble(), 96.0 * 128 + 96 * 2 * 4);
    }

    void table() {
        const Run r = run({"speed", "--shape", "64x64", "--batch", "1", "--formats", "w4", "--repeats", "2", "--rotate-gib", "0.001"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("floor ms"));
        QVERIFY(r.out.contains("decode estimate"));
        QVERIFY(r.out.contains("RTX 4090"));
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("shape without x") << QStringList{"--shape", "4096"} << "--shape";
        QTest::newRow("unknown format") << QStringList{"--formats", "fp16"} << "fp16";
        QTest::newRow("zero batch") << QStringList{"--batch", "0"} << "--batch";
        QTest::newRow("group not a multiple of 32") << QStringList{"--group", "48"} << "--group";
    }
    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = run(QStringList{"speed"} + args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message.toUtf8()), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliSpeed)
#include "test_cli_speed.moc"
