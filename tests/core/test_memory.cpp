// Memory per format (GB vs GiB), the KV-cache term, GPU fit with headroom, and the embedded catalogs.
#include <QtTest>

#include <cmath>

#include "core/memory.h"

class TestMemory : public QObject {
    Q_OBJECT
private slots:
    // The seed notebooks' exercise: 7B parameters in FP16 = 14.0 GB (they also say 13.04 "GB", which
    // is GiB), INT8 = 7.0 GB, INT4 = 3.5 GB.
    void seedExercise_data() {
        QTest::addColumn<double>("bits");
        QTest::addColumn<double>("gb");
        QTest::addColumn<double>("gib");
        QTest::newRow("FP32") << 32.0 << 28.0 << 26.08;
        QTest::newRow("FP16") << 16.0 << 14.0 << 13.04;
        QTest::newRow("INT8") << 8.0 << 7.0 << 6.52;
        QTest::newRow("INT4") << 4.0 << 3.5 << 3.26;
        // INT4 with an fp16 scale per 128 weights: 4.125 bits -> 7e9 * 4.125 / 8 bytes
        QTest::newRow("INT4 g128 fp16 scale") << 4.125 << 3.609375 << 3.36;
    }
    void seedExercise() {
        QFETCH(double, bits);
        QFETCH(double, gb);
        QFETCH(double, gib);
        const ql::MemoryEstimate e = ql::estimate_memory(7e9, bits, nullptr, {});
        QCOMPARE(e.total_gb(), gb);
        QCOMPARE(std::round(e.total_gib() * 100) / 100, gib);  // to 2 decimals, as the seeds print
    }

    // KV cache by hand for the 7B preset (32 layers, 32 KV heads x 128): 2 x 32 x 32 x 128 x 4096
    // tokens x 1 x 2 bytes = 2 GiB exactly.
    void kvCache() {
        const ql::ModelPreset* m = ql::find_model("7B");
        QVERIFY(m);
        ql::KvCacheOptions kv;
        kv.context = 4096;
        QCOMPARE(ql::kv_cache_bytes(*m, kv), 2.0 * 1073741824.0);
        const auto e = ql::estimate_memory(m->params, 16, m, kv);
        QCOMPARE(e.total_bytes, 14e9 + 2.0 * 1073741824.0);
        // grouped-query attention: Llama-3.1 8B has 8 KV heads, a quarter of the 7B's cache per layer
        const ql::ModelPreset* l3 = ql::find_model("Llama-3.1 8B");
        QVERIFY(l3);
        QCOMPARE(ql::kv_cache_bytes(*l3, kv), 0.5 * 1073741824.0);
    }

    void fit_data() {
        QTest::addColumn<QString>("gpu");
        QTest::addColumn<double>("bits");
        QTest::addColumn<double>("headroom");
        QTest::addColumn<bool>("fits");
        QTest::newRow("7B FP16 on RTX 4090 (24 GiB)") << "RTX 4090" << 16.0 << 0.1 << true;
        QTest::newRow("7B FP32 on RTX 4090") << "RTX 4090" << 32.0 << 0.1 << false;
        QTest::newRow("7B FP16 on RTX 3080 (10 GiB)") << "RTX 3080" << 16.0 << 0.1 << false;
        QTest::newRow("7B INT8 on RTX 3080") << "RTX 3080" << 8.0 << 0.1 << true;
        // 7B INT8 = 7e9 bytes on a GTX 1080 (8 GiB = 8.59e9): used 81.5%: fits with 10% headroom,
        // not with 20%
        QTest::newRow("7B INT8 on GTX 1080, 10% headroom") << "GTX 1080" << 8.0 << 0.1 << true;
        QTest::newRow("7B INT8 on GTX 1080, 20% headroom") << "GTX 1080" << 8.0 << 0.2 << false;
    }
    void fit() {
        QFETCH(QString, gpu);
        QFETCH(double, bits);
        QFETCH(double, headroom);
        QFETCH(bool, fits);
        const ql::GpuSpec* g = ql::find_gpu(gpu.toStdString());
        QVERIFY(g);
        const auto f = ql::fit_on_gpu(ql::estimate_memory(7e9, bits, nullptr, {}), *g, headroom);
        QCOMPARE(f.fits, fits);
        QCOMPARE(f.free_bytes >= 0, fits);
        QCOMPARE(f.used_fraction, 7e9 * bits / 8 / g->memory_bytes);
    }

    // Unified memory: only the usable share counts (75% on the Apple entries).
    void unifiedMemory() {
        const ql::GpuSpec* m = ql::find_gpu("Apple M2 Max 96 GB");
        QVERIFY(m);
        QVERIFY(m->unified);
        QCOMPARE(m->usable_fraction, 0.75);
        const auto f = ql::fit_on_gpu(ql::estimate_memory(70e9, 8, nullptr, {}), *m, 0.0);
        QCOMPARE(f.capacity_bytes, 96.0 * 1073741824.0 * 0.75);
        QVERIFY(f.fits);  // 70 GB <= 77.3 GB
    }

    // The GPU-fit chart's report: one estimate per format, one fit per (format, GPU), unknown names kept.
    void fitReport() {
        const std::vector<ql::MemoryFormat> formats{{"FP16", 16}, {"INT4 g128", 4.125}};
        const auto r = ql::gpu_fit_report(7e9, formats, {"RTX 4090", "No Such GPU", "RTX 3080"}, nullptr, {}, 0.1);
        QCOMPARE(r.estimates.size(), std::size_t(2));
        QCOMPARE(r.gpus.size(), std::size_t(2));
        QCOMPARE(r.unknown_gpus, std::vector<std::string>{"No Such GPU"});
        QCOMPARE(r.fits.size(), std::size_t(2));
        QCOMPARE(r.fits[0].size(), std::size_t(2));
        QCOMPARE(r.estimates[1].total_bytes, 7e9 * 4.125 / 8);
        QVERIFY(r.fits[0][0].fits);    // 14 GB on 24 GiB
        QVERIFY(!r.fits[0][1].fits);   // 14 GB on 10 GiB
        QVERIFY(r.fits[1][1].fits);    // 3.6 GB on 10 GiB
    }

    void catalogHasRequiredGpus_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("gib");
        for (auto [n, g] : std::initializer_list<std::pair<const char*, double>>{
                 {"GTX 1080", 8}, {"RTX 3080", 10}, {"RTX 3090", 24}, {"RTX 4090", 24}, {"RTX 5090", 32}, {"T4", 16}, {"L4", 24},
                 {"A100 40GB", 40}, {"A100 80GB", 80}, {"H100 SXM", 80}, {"H100 PCIe", 80}, {"H200", 140.4}, {"Apple M3 Max 128 GB", 128}})
            QTest::newRow(n) << n << g;
    }
    void catalogHasRequiredGpus() {
        QFETCH(QString, name);
        QFETCH(double, gib);
        const ql::GpuSpec* g = ql::find_gpu(name.toStdString());
        QVERIFY2(g, qPrintable(name));
        QCOMPARE(g->memory_gib(), gib);
        QVERIFY(g->bandwidth_gbps > 100);
    }

    void presets() {
        for (const char* n : {"7B", "8B", "13B", "70B"}) QVERIFY2(ql::find_model(n), n);
        QCOMPARE(ql::find_model("7b")->params, 7e9);  // case-insensitive
        for (const auto& m : ql::model_presets()) {
            QVERIFY(m.params > 1e9);
            QVERIFY(m.layers > 0 && m.kv_heads > 0 && m.head_dim > 0);
        }
    }

    void badCatalogs_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << "{gpus" << "not valid JSON";
        QTest::newRow("no array") << "{\"gpus\": 3}" << "array \"gpus\"";
        QTest::newRow("missing memory") << "{\"gpus\": [{\"name\": \"X\", \"bandwidth_gbps\": 1}]}" << "missing \"memory_gib\"";
        QTest::newRow("negative memory") << "{\"gpus\": [{\"name\": \"X\", \"memory_gib\": -1, \"bandwidth_gbps\": 1}]}" << "finite and >= 0";
        QTest::newRow("duplicate") << "{\"gpus\": [{\"name\": \"X\", \"memory_gib\": 1, \"bandwidth_gbps\": 1}, {\"name\": \"x\", \"memory_gib\": 1, \"bandwidth_gbps\": 1}]}"
                                   << "duplicate GPU name";
    }
    void badCatalogs() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            (void)ql::parse_gpu_catalog(json.toStdString(), "test.json");
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains(message) && QString(e.what()).startsWith("test.json"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestMemory)
#include "test_memory.moc"
