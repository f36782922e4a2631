// `quantlens speed --json` as a user runs it (a small shape, few repeats): one object per measurement
// with the documented keys, a positive floor, GB/s and GFLOP/s that follow from the bytes, the shape
// and the median; bad arguments exit with code 2 naming the option.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "cli/cmd_speed.h"
#include "core/host_memory.h"
#include "core/speed/speed_bench.h"
#include "cli_run.h"
#include "gpu/gpu_backend.h"
#include "gpu/gpu_speed.h"

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

    // Every format's JSON name, CPU and GPU rows alike (a GPU row made from a timing, as gpu_speed.h
    // makes them): "fp16" and "w4a16" exist only on the GPU.
    void jsonFormatNames_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("gpu");
        QTest::addColumn<QString>("name");
        QTest::newRow("cpu fp32") << int(ql::speed::SpeedFormat::F32) << false << "fp32";
        QTest::newRow("cpu int8") << int(ql::speed::SpeedFormat::Int8) << false << "int8";
        QTest::newRow("cpu w4") << int(ql::speed::SpeedFormat::W4) << false << "w4";
        QTest::newRow("gpu fp32") << int(ql::speed::SpeedFormat::F32) << true << "fp32";
        QTest::newRow("gpu fp16") << int(ql::speed::SpeedFormat::F16) << true << "fp16";
        QTest::newRow("gpu int8") << int(ql::speed::SpeedFormat::Int8) << true << "int8";
        QTest::newRow("gpu w4a16") << int(ql::speed::SpeedFormat::W4A16) << true << "w4a16";
    }
    void jsonFormatNames() {
        QFETCH(int, format);
        QFETCH(bool, gpu);
        QFETCH(QString, name);
        ql::speed::SpeedMeasurement m;
        if (gpu) {
            ql::gpu::GemmTiming t;
            t.device = "Test GPU";
            t.kernel = "test kernel";
            t.median_ms = 0.5;
            t.floor_ms = 0.25;
            t.weight_bytes = 1e6;
            t.flops = 2e6;
            m = ql::gpu::gpu_measurement(static_cast<ql::speed::SpeedFormat>(format), 1000, 500, 2, t);
        } else {
            m.format = static_cast<ql::speed::SpeedFormat>(format);
            m.device = "CPU: test";
        }
        const nlohmann::json j = ql::cli::speed_measurement_json(m);
        QCOMPARE(QString::fromStdString(j.at("format").get<std::string>()), name);
        QCOMPARE(j.at("on_gpu").get<bool>(), gpu);
        QCOMPARE(QString::fromStdString(j.at("device").get<std::string>()).startsWith(gpu ? "CUDA: " : "CPU: "), true);
        if (gpu) {
            QCOMPARE(j.at("floor_ms").get<double>(), 0.25);
            QCOMPARE(j.at("gbps").get<double>(), 2.0);        // 1e6 bytes / 0.5 ms
            QCOMPARE(j.at("floor_gbps").get<double>(), 4.0);
            QCOMPARE(j.at("gflops").get<double>(), 4.0);      // 2e6 FLOP / 0.5 ms
            QCOMPARE(j.at("path").get<std::string>(), std::string("test kernel"));
        }
    }

    // --formats fp16 asks for a GPU-only format: with a device, fp16 rows from it; without, an empty
    // array and the reason on stderr.
    void gpuOnlyFormat() {
        const Run r = run({"speed", "--shape", "64x128", "--batch", "1", "--formats", "fp16", "--repeats", "2", "--rotate-gib", "0.001", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonArray a = QJsonDocument::fromJson(r.out).array();
        const auto& dev = ql::gpu::device_info();
        if (!dev.available) {
            QCOMPARE(a.size(), 0);
            QVERIFY2(r.err.contains(QByteArray("GPU: none (") + QByteArray::fromStdString(dev.reason) + ")"), r.err.constData());
            return;
        }
        QCOMPARE(a.size(), 1);
        const QJsonObject o = a[0].toObject();
        QCOMPARE(o["format"].toString(), QStringLiteral("fp16"));
        QVERIFY(o["on_gpu"].toBool());
        QVERIFY(o["device"].toString().startsWith("CUDA: "));
        QVERIFY(o["floor_ms"].toDouble() > 0);
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
        QTest::newRow("unknown format") << QStringList{"--formats", "fp8"} << "fp8";
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
    // A layer beyond the machine's free memory: a clear error and exit 1, nothing allocated (before, the
    // out-of-memory killer ended the process part way).
    void layerThatCannotFit() {
        ql::speed::SpeedRequest req;
        req.rows = req.cols = 65536;
        const auto avail = ql::available_memory_bytes();
        QVERIFY(avail.has_value());
        if (*avail >= ql::speed::speed_memory_bytes(req)) QSKIP("this machine has the memory for a 65536 x 65536 layer");
        const Run r = run({"speed", "--shape", "65536x65536"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("speed: a 65536 x 65536 layer needs at least") && r.err.contains("Choose a smaller size."), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCliSpeed)
#include "test_cli_speed.moc"
