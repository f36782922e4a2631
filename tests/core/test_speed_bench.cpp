// Speed measurement (core/speed/speed_bench.h): a tiny run's report is internally consistent (GB/s and
// GFLOP/s follow from bytes, shape and median; rotation covers the requested bytes), cancel stops it,
// bad requests throw, and the decode tokens/s model gives the hand-computed figures.
#include <QtTest>

#include <cmath>

#include "core/host_memory.h"
#include "core/speed/speed_bench.h"

using namespace ql::speed;

namespace {
constexpr double kRelTol = 1e-9;   // derived figures are plain divisions of reported ones
bool close(double a, double b) { return std::fabs(a - b) <= kRelTol * std::max(std::fabs(a), std::fabs(b)); }
} // namespace

class TestSpeedBench : public QObject {
    Q_OBJECT
private slots:
    void parse_format_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("format");  // -1 = not a format
        QTest::newRow("fp32") << "fp32" << int(SpeedFormat::F32);
        QTest::newRow("INT8 upper case") << "INT8" << int(SpeedFormat::Int8);
        QTest::newRow("w4") << "w4" << int(SpeedFormat::W4);
        QTest::newRow("int4 alias") << "int4" << int(SpeedFormat::W4);
        QTest::newRow("fp16") << "fp16" << int(SpeedFormat::F16);
        QTest::newRow("W4A16 upper case") << "W4A16" << int(SpeedFormat::W4A16);
        QTest::newRow("fp8 unknown") << "fp8" << -1;
        QTest::newRow("empty") << "" << -1;
    }
    void parse_format() {
        QFETCH(QString, text);
        QFETCH(int, format);
        const auto f = parse_speed_format(text.toStdString());
        QCOMPARE(f ? int(*f) : -1, format);
    }

    // Every format's name parses back to it; the CPU has kernels for fp32, int8 and w4 only.
    void format_names_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("cpu");
        QTest::newRow("F32") << int(SpeedFormat::F32) << "fp32" << true;
        QTest::newRow("F16") << int(SpeedFormat::F16) << "fp16" << false;
        QTest::newRow("Int8") << int(SpeedFormat::Int8) << "int8" << true;
        QTest::newRow("W4") << int(SpeedFormat::W4) << "w4" << true;
        QTest::newRow("W4A16") << int(SpeedFormat::W4A16) << "w4a16" << false;
    }
    void format_names() {
        QFETCH(int, format);
        QFETCH(QString, name);
        QFETCH(bool, cpu);
        const auto f = static_cast<SpeedFormat>(format);
        QCOMPARE(QString::fromLatin1(format_name(f)), name);
        QCOMPARE(int(parse_speed_format(name.toStdString()).value()), format);
        QCOMPARE(cpu_has_kernel(f), cpu);
    }

    // Formats without a CPU kernel are left to the GPU: run_speed measures the others only.
    void gpu_only_formats_are_skipped() {
        SpeedRequest req;
        req.rows = 32;
        req.cols = 64;
        req.batches = {1};
        req.repeats = 1;
        req.warmup = 0;
        req.rotate_bytes = 1e4;
        req.formats = {SpeedFormat::F16, SpeedFormat::Int8, SpeedFormat::W4A16};
        const SpeedReport r = run_speed(req);
        QCOMPARE(r.items.size(), std::size_t(1));
        QCOMPARE(int(r.items[0].format), int(SpeedFormat::Int8));
        QVERIFY(!r.items[0].on_gpu);
        QVERIFY(!r.gpu.present());
    }

    // intensity = 2 b R C / (weight bytes + 4 b (R + C)): 4096 x 4096 FP32 at batch 1 -> 33554432 /
    // (67108864 + 32768) = 0.49976; the roofline places each point there.
    void intensity() {
        QVERIFY(close(arithmetic_intensity(1, 4096, 4096, 4096.0 * 4096 * 4), 33554432.0 / 67141632.0));
        QVERIFY(close(arithmetic_intensity(512, 10, 20, 100), 2.0 * 512 * 200 / (100 + 4.0 * 512 * 30)));
    }

    // The floor's read returns what it read: the sum of the 64-bit words plus the tail bytes, for sizes
    // around the 32-byte vector, the four streams and the thread split.
    void read_bytes_sum_data() {
        QTest::addColumn<int>("n");
        for (int n : {0, 7, 8, 31, 32, 127, 128, 129, 4096 + 13, 100003}) QTest::newRow(qPrintable(QString::number(n))) << n;
    }
    void read_bytes_sum() {
        QFETCH(int, n);
        std::vector<unsigned char> b(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) b[static_cast<std::size_t>(i)] = static_cast<unsigned char>((i * 131 + 7) & 0xFF);
        std::uint64_t expect = 0;
        for (int i = 0; i + 8 <= n; i += 8) {
            std::uint64_t w = 0;
            for (int k = 7; k >= 0; --k) w = (w << 8) | b[static_cast<std::size_t>(i + k)];
            expect += w;
        }
        for (int i = n / 8 * 8; i < n; ++i) expect += b[static_cast<std::size_t>(i)];
        QCOMPARE(read_bytes(b.data(), b.size()), expect);
    }

    void tiny_run() {
        SpeedRequest req;
        req.rows = 64;
        req.cols = 200;
        req.batches = {1, 5};
        req.repeats = 3;
        req.warmup = 1;
        req.rotate_bytes = 1e6;
        std::size_t last = 0, total = 0;
        const SpeedReport r = run_speed(req, [&](std::size_t d, std::size_t t) { last = d; total = t; return true; });
        QVERIFY(!r.cancelled);
        QCOMPARE(last, total);
        QCOMPARE(r.items.size(), std::size_t(6));
        QVERIFY(r.read_gbps > 0);
        QVERIFY(r.device.rfind("CPU: ", 0) == 0);
        for (const auto& m : r.items) {
            QVERIFY(m.median_ms > 0 && m.floor_ms > 0);
            QVERIFY(m.min_ms <= m.q25_ms && m.q25_ms <= m.median_ms && m.median_ms <= m.q75_ms && m.q75_ms <= m.max_ms);
            QVERIFY(close(m.gbps, m.weight_bytes / (m.median_ms * 1e-3) / 1e9));
            QVERIFY(close(m.gflops, 2.0 * m.batch * 64 * 200 / (m.median_ms * 1e-3) / 1e9));
            QVERIFY(m.copies * m.weight_bytes >= req.rotate_bytes);
            QVERIFY(r.read_gbps >= m.floor_gbps);
            QVERIFY(close(m.intensity, arithmetic_intensity(m.batch, 64, 200, m.weight_bytes)));
        }
        // bytes per format: fp32 4 B/weight; int8 padded rows (256 inputs) + a float scale per row;
        // w4 half a byte per padded input + a float scale per group of 128.
        QCOMPARE(r.items[0].weight_bytes, 64.0 * 200 * 4);
        QCOMPARE(r.items[2].weight_bytes, 64.0 * 256 + 64 * 4);
        QCOMPARE(r.items[4].weight_bytes, 64.0 * 256 / 2 + 64 * 2 * 4);
    }

    void cancel() {
        SpeedRequest req;
        req.rows = 32;
        req.cols = 64;
        req.rotate_bytes = 1e5;
        int calls = 0;
        const SpeedReport r = run_speed(req, [&](std::size_t, std::size_t) { return ++calls < 2; });
        QVERIFY(r.cancelled);
        QCOMPARE(calls, 2);
        QVERIFY(r.items.empty());
    }

    void bad_requests() {
        SpeedRequest req;
        req.rows = 0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run_speed(req));
        req.rows = 8;
        req.batches = {0};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run_speed(req));
        req.batches = {1};
        req.formats.clear();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, run_speed(req));
    }

    // The memory a request needs at least, by hand: 4096 x 4096 fp32 weights (67108864 B), batches up to
    // 512 in and out (4 x 512 x 8192 = 16777216 B), and 1 GiB of weight copies to rotate over (16 of
    // 67108864 B; int8: 64 of its 16777216 code bytes; w4: 128 of 8388608). A 65536 x 65536 layer is
    // 17179869184 B of fp32, and one copy already passes 1 GiB.
    void memoryNeeded_data() {
        QTest::addColumn<qint64>("side");
        QTest::addColumn<int>("format");
        QTest::addColumn<double>("bytes");
        QTest::newRow("4096 fp32") << qint64(4096) << int(SpeedFormat::F32) << 67108864.0 + 16777216.0 + 1073741824.0;
        QTest::newRow("4096 int8") << qint64(4096) << int(SpeedFormat::Int8) << 67108864.0 + 16777216.0 + 64 * 16777216.0;
        QTest::newRow("4096 w4") << qint64(4096) << int(SpeedFormat::W4) << 67108864.0 + 16777216.0 + 128 * 8388608.0;
        QTest::newRow("65536 fp32: one copy") << qint64(65536) << int(SpeedFormat::F32)
                                              << 2 * 17179869184.0 + 4.0 * 512 * 131072;
    }
    void memoryNeeded() {
        QFETCH(qint64, side);
        QFETCH(int, format);
        QFETCH(double, bytes);
        SpeedRequest req;
        req.rows = req.cols = side;
        req.formats = {static_cast<SpeedFormat>(format)};
        QCOMPARE(speed_memory_bytes(req), bytes);
    }
    // A layer that cannot fit is refused with the reason before anything is allocated (a 65536 x 65536
    // fp32 layer and its copy: 34.4 GB), instead of the out-of-memory killer ending the application.
    void refusesWhatCannotFit() {
        SpeedRequest req;
        req.rows = req.cols = 65536;
        const double need = speed_memory_bytes(req);
        const auto avail = ql::available_memory_bytes();
        QVERIFY(avail.has_value());
        if (*avail >= need) QSKIP("this machine has the memory for a 65536 x 65536 layer; requireMemory checks the refusal");
        try {
            (void)run_speed(req);
            QFAIL("run_speed accepted a layer larger than the available memory");
        } catch (const std::invalid_argument& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.startsWith(QLatin1String("speed: a 65536 x 65536 layer needs at least 34.6 GB (32.2 GiB) of memory; this machine has ")) &&
                         what.endsWith(QLatin1String(" available. Choose a smaller size.")),
                     qPrintable(what));
        }
    }
    // require_memory: the message names the job, both sizes in GB and GiB; what fits passes.
    void requireMemory() {
        try {
            ql::require_memory(3e9, "a job", 2e9);
            QFAIL("3 GB passed with 2 GB available");
        } catch (const std::invalid_argument& e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                     QStringLiteral("a job needs at least 3.0 GB (2.8 GiB) of memory; this machine has 2.0 GB (1.9 GiB) available. Choose a smaller size."));
        }
        ql::require_memory(2e9, "a job", 2e9);  // exactly what is there: allowed
        ql::require_memory(1e6, "a small job");  // the machine's own figure
    }

    // tokens/s = bandwidth / (params x bits / 8 + KV cache): RTX 4090 (1008 GB/s), 7B at FP16 = 14 GB
    // -> 72.0; INT4 3.5 GB -> 288; with the 7B preset's KV cache at 4096 tokens in FP16
    // (2 x 32 layers x 32 heads x 128 x 4096 x 2 B = 2147483648 B) FP16 -> 1008e9 / 16147483648 = 62.42.
    void decode_model_data() {
        QTest::addColumn<double>("bits");
        QTest::addColumn<double>("context");
        QTest::addColumn<double>("tokens");
        QTest::newRow("FP16, no KV") << 16.0 << 0.0 << 72.0;
        QTest::newRow("INT4, no KV") << 4.0 << 0.0 << 288.0;
        QTest::newRow("FP16, 4096-token KV") << 16.0 << 4096.0 << 1008e9 / 16147483648.0;
    }
    void decode_model() {
        QFETCH(double, bits);
        QFETCH(double, context);
        QFETCH(double, tokens);
        const ql::ModelPreset* m = ql::find_model("7B");
        QVERIFY(m);
        ql::KvCacheOptions kv;
        kv.context = context;
        const DecodeEstimate e = decode_estimate(7e9, {ql::MemoryFormat("X", bits)}, m, kv, 50.0);
        const auto it = std::find_if(e.devices.begin(), e.devices.end(), [](const DecodeDevice& d) { return d.name == "RTX 4090"; });
        QVERIFY(it != e.devices.end());
        QVERIFY(std::fabs(it->tokens_per_s[0] - tokens) < 1e-6 * tokens);
        QVERIFY(e.devices.back().measured);
        QCOMPARE(e.devices.back().bandwidth_gbps, 50.0);
        QCOMPARE(e.reference.size(), std::size_t(3));
        QCOMPARE(e.reference[0].tokens_per_s, 35.0);
    }
};

QTEST_APPLESS_MAIN(TestSpeedBench)
#include "test_speed_bench.moc"
