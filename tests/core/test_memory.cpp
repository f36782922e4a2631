// Memory per format (GB vs GiB), true bits per weight of the named formats, the KV-cache term by hand,
// overhead, GPU fit at its boundary with headroom, the embedded catalogs, and malformed catalogs.
#include <QtTest>

#include <cmath>

#include "core/memory.h"
#include "core/quantizer.h"

namespace {
constexpr double GiB = 1073741824.0;

ql::GpuSpec card(double gib, double usable = 1.0) {
    ql::GpuSpec g;
    g.name = "test card";
    g.memory_bytes = gib * GiB;
    g.usable_fraction = usable;
    g.bandwidth_gbps = 1;
    return g;
}
} // namespace

class TestMemory : public QObject {
    Q_OBJECT
private slots:
    // The named formats' bits per weight (memory --format, a hand-written table) are the storage the
    // quantizers themselves give a large matrix, 4096 x 4096, worked out from its shape alone: the two
    // cannot drift apart. The table leaves a per-tensor scale out (FP8's, NVFP4's), at most 64 bits
    // over 4096^2 weights.
    void namedFormatsMatchTheQuantizers_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("granularity");
        QTest::addColumn<int>("scheme");
        QTest::addColumn<int>("group");  // group size (INT), block size (NF4, FP4, HQQ)
        const int in = static_cast<int>(ql::Format::Int), pt = static_cast<int>(ql::Granularity::PerTensor),
                  pg = static_cast<int>(ql::Granularity::PerGroup);
        const int sym = static_cast<int>(ql::Scheme::Symmetric), asym = static_cast<int>(ql::Scheme::Asymmetric);
        QTest::newRow("INT8_G128") << "INT8_G128" << in << 8 << pg << sym << 128;
        QTest::newRow("INT4_G128") << "INT4_G128" << in << 4 << pg << sym << 128;
        QTest::newRow("INT4_G128_ASYM") << "INT4_G128_ASYM" << in << 4 << pg << asym << 128;
        QTest::newRow("INT4_G64") << "INT4_G64" << in << 4 << pg << sym << 64;
        QTest::newRow("INT4_G32") << "INT4_G32" << in << 4 << pg << sym << 32;
        QTest::newRow("INT3_G128") << "INT3_G128" << in << 3 << pg << sym << 128;
        QTest::newRow("INT2_G64") << "INT2_G64" << in << 2 << pg << sym << 64;
        auto fmt = [&](const char* name, ql::Format f, int block) {
            QTest::newRow(name) << name << static_cast<int>(f) << 4 << pt << asym << block;
        };
        fmt("FP8_E4M3", ql::Format::FP8_E4M3, 0);
        fmt("FP8_E5M2", ql::Format::FP8_E5M2, 0);
        fmt("NF4", ql::Format::NF4, 64);
        fmt("NF4_DQ", ql::Format::NF4_DQ, 64);
        fmt("HQQ_G64", ql::Format::HQQ, 64);
        fmt("FP4_E2M1", ql::Format::FP4_E2M1, 64);
        fmt("MXFP4", ql::Format::MXFP4, 0);
        fmt("NVFP4", ql::Format::NVFP4, 0);
        fmt("Q8_0", ql::Format::Q8_0, 0);
        fmt("Q6_K", ql::Format::Q6_K, 0);
        fmt("Q5_K", ql::Format::Q5_K, 0);
        fmt("Q2_K", ql::Format::Q2_K, 0);
        fmt("Q3_K", ql::Format::Q3_K, 0);
        fmt("Q5_0", ql::Format::Q5_0, 0);
        fmt("Q4_K", ql::Format::Q4_K, 0);
        fmt("Q4_1", ql::Format::Q4_1, 0);
        fmt("Q4_0", ql::Format::Q4_0, 0);
        fmt("IQ4_NL", ql::Format::IQ4_NL, 0);
        fmt("IQ4_XS", ql::Format::IQ4_XS, 0);
    }
    void namedFormatsMatchTheQuantizers() {
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(int, bits);
        QFETCH(int, granularity);
        QFETCH(int, scheme);
        QFETCH(int, group);
        constexpr double kPerTensorScaleBits = 64.0 / (4096.0 * 4096.0);
        const auto named = ql::find_memory_format(name.toStdString());
        QVERIFY(named.has_value());
        ql::QuantConfig c;
        c.format = static_cast<ql::Format>(format);
        c.bits = bits;
        c.granularity = static_cast<ql::Granularity>(granularity);
        c.scheme = static_cast<ql::Scheme>(scheme);
        if (c.format == ql::Format::Int) c.group_size = group;
        else c.block_size = group;
        const double quantizer = ql::storage_for_shape(c, {4096, 4096}).bits_per_weight;
        QVERIFY2(std::fabs(named->bits_per_weight - quantizer) <= kPerTensorScaleBits,
                 qPrintable(QStringLiteral("%1: the table says %2 bits, the quantizer %3").arg(name).arg(named->bits_per_weight, 0, 'g', 12).arg(quantizer, 0, 'g', 12)));
    }
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
        QTest::newRow("Q4_K 4.5 bits") << 4.5 << 3.9375 << 3.67;
    }
    void seedExercise() {
        QFETCH(double, bits);
        QFETCH(double, gb);
        QFETCH(double, gib);
        const ql::MemoryEstimate e = ql::estimate_memory(7e9, bits, nullptr, {});
        QCOMPARE(e.total_gb(), gb);
        QCOMPARE(e.total_bytes, 7e9 * bits / 8);
        QCOMPARE(std::round(e.total_gib() * 100) / 100, gib);  // to 2 decimals, as the seeds print
    }

    // True bits per weight of the named formats, from each format's definition: ggml blocks from the
    // byte layout of their structs in ggml-common.h (Q4_K: fp16 d + fp16 dmin + 12 bytes of 6-bit scales
    // + 128 bytes of nibbles = 144 bytes per 256 ...), scales per group for the others.
    void namedFormatBits_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("bits");
        QTest::newRow("FP16") << "FP16" << 16.0;
        QTest::newRow("BF16") << "bf16" << 16.0;
        QTest::newRow("FP8 E4M3") << "fp8-e4m3" << 8.0;
        QTest::newRow("INT4 g128: 4 + 16/128") << "int4_g128" << 4.125;
        QTest::newRow("INT4 g128 asym: 4 + 20/128") << "INT4-G128-ASYM" << 4.15625;
        QTest::newRow("HQQ g64: 4 + (16 + 16)/64") << "hqq_g64" << 4.5;
        QTest::newRow("INT4 g32: 4 + 16/32") << "int4_g32" << 4.5;
        QTest::newRow("NF4: 4 + 32/64") << "nf4" << 4.5;
        QTest::newRow("NF4 double quant: 4 + 8/64 + 32/16384") << "nf4_dq" << 4.126953125;
        QTest::newRow("MXFP4: 4 + 8/32") << "mxfp4" << 4.25;
        QTest::newRow("NVFP4: 4 + 8/16") << "nvfp4" << 4.5;
        QTest::newRow("Q8_0: (2 + 32) x 8 / 32") << "q8_0" << 8.5;
        QTest::newRow("Q4_0: (2 + 16) x 8 / 32") << "Q4_0" << 4.5;
        QTest::newRow("Q4_1: (2 + 2 + 16) x 8 / 32") << "q4_1" << 5.0;
        QTest::newRow("Q5_0: (2 + 4 + 16) x 8 / 32") << "q5_0" << 5.5;
        QTest::newRow("Q2_K: (16 + 64 + 2 + 2) x 8 / 256") << "q2_k" << 2.625;
        QTest::newRow("Q3_K: (32 + 64 + 12 + 2) x 8 / 256") << "q3_k" << 3.4375;
        QTest::newRow("Q4_K: (2 + 2 + 12 + 128) x 8 / 256") << "Q4_K" << 4.5;
        QTest::newRow("Q5_K: (2 + 2 + 12 + 32 + 128) x 8 / 256") << "q5-k" << 5.5;
        QTest::newRow("IQ4_XS: (2 + 2 + 4 + 128) x 8 / 256") << "iq4_xs" << 4.25;
        QTest::newRow("Q6_K: (128 + 64 + 16 + 2) x 8 / 256") << "q6_k" << 6.5625;
        QTest::newRow("TQ2_0: (64 + 2) x 8 / 256") << "tq2_0" << 2.0625;
        QTest::newRow("TQ1_0: (48 + 4 + 2) x 8 / 256, log2(3) = 1.585 at best") << "TQ1_0" << 1.6875;
        QTest::newRow("IQ3_S: (2 + 64 + 8 + 32 + 4) x 8 / 256") << "iq3_s" << 3.4375;
        QTest::newRow("IQ3_XXS: (2 + 96) x 8 / 256") << "IQ3_XXS" << 3.0625;
        QTest::newRow("IQ2_S: (2 + 64 + 8 + 8) x 8 / 256") << "iq2_s" << 2.5625;
        QTest::newRow("IQ2_XS: (2 + 64 + 8) x 8 / 256") << "iq2_xs" << 2.3125;
        QTest::newRow("IQ2_XXS: (2 + 64) x 8 / 256") << "iq2_xxs" << 2.0625;
        QTest::newRow("IQ1_M: (32 + 16 + 8) x 8 / 256") << "iq1_m" << 1.75;
        QTest::newRow("IQ1_S: (2 + 32 + 16) x 8 / 256") << "iq1_s" << 1.5625;
    }
    void namedFormatBits() {
        QFETCH(QString, name);
        QFETCH(double, bits);
        const auto f = ql::find_memory_format(name.toStdString());
        QVERIFY2(f, qPrintable(name));
        QCOMPARE(f->bits_per_weight, bits);
        QVERIFY(!f->note.empty());
    }
    void unknownFormat() {
        QVERIFY(!ql::find_memory_format("q9_k"));
        QVERIFY(!ql::find_memory_format(""));
        // every named format is found by its own name and names are unique
        const auto all = ql::named_memory_formats();
        for (const auto& f : all) {
            const auto g = ql::find_memory_format(f.name);
            QVERIFY2(g && g->bits_per_weight == f.bits_per_weight, f.name.c_str());
        }
    }

    void parseParamCount_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<double>("params");
        QTest::newRow("7e9") << "7e9" << true << 7e9;
        QTest::newRow("6.74e9") << "6.74e9" << true << 6.74e9;
        QTest::newRow("7B") << "7B" << true << 7e9;
        QTest::newRow("1.5b") << "1.5b" << true << 1.5e9;
        QTest::newRow("350M") << "350M" << true << 350e6;
        QTest::newRow("70 B") << "70 B" << true << 70e9;
        QTest::newRow("1.8T") << "1.8T" << true << 1.8e12;
        QTest::newRow("empty") << "" << false << 0.0;
        QTest::newRow("word") << "seven" << false << 0.0;
        QTest::newRow("negative") << "-7B" << false << 0.0;
        QTest::newRow("zero") << "0" << false << 0.0;
        QTest::newRow("unknown unit") << "7X" << false << 0.0;
        QTest::newRow("hex") << "0x10" << false << 0.0;
    }
    void parseParamCount() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(double, params);
        double v = -1;
        QCOMPARE(ql::parse_param_count(text.toStdString(), v), ok);
        if (ok) QCOMPARE(v, params);
    }

    void parseByteSize_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<double>("bytes");
        QTest::newRow("1.5GB = 1.5e9") << "1.5GB" << true << 1.5e9;
        QTest::newRow("2GiB = 2^31") << "2GiB" << true << 2147483648.0;
        QTest::newRow("512MB") << "512MB" << true << 512e6;
        QTest::newRow("300 MiB") << "300 MiB" << true << 300.0 * 1048576;
        QTest::newRow("plain bytes") << "1e9" << true << 1e9;
        QTest::newRow("1e9B") << "1e9B" << true << 1e9;
        QTest::newRow("bad unit") << "2 parsecs" << false << 0.0;
        QTest::newRow("negative") << "-1GB" << false << 0.0;
        QTest::newRow("unit only") << "GB" << false << 0.0;
    }
    void parseByteSize() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(double, bytes);
        double v = -1;
        QCOMPARE(ql::parse_byte_size(text.toStdString(), v), ok);
        if (ok) QCOMPARE(v, bytes);
    }

    // KV cache = 2 x layers x kv_heads x head_dim x context x batch x bytes per element, by hand:
    //   7B (32 x 32 x 128), 4096 tokens, FP16:          2 x 32 x 32 x 128 x 4096 x 2   = 2 GiB
    //   Llama-3.1 8B (32 x 8 x 128), 4096, FP16:        a quarter of that               = 0.5 GiB
    //   Qwen2.5 7B (28 x 4 x 128), 32768, FP16:         2 x 28 x 4 x 128 x 32768 x 2    = 1.75 GiB
    //   Llama-3.1 70B (80 x 8 x 128), 131072, FP16:     2 x 80 x 8 x 128 x 131072 x 2   = 40 GiB
    //   Phi-3-mini (32 x 32 x 96), 4096, FP16:          2 x 32 x 32 x 96 x 4096 x 2     = 1.5 GiB
    //   Mistral 7B (32 x 8 x 128), 8192, batch 4, FP8:  2 x 32 x 8 x 128 x 8192 x 4 x 1 = 2 GiB
    void kvCache_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("context");
        QTest::addColumn<int>("batch");
        QTest::addColumn<double>("bytes_per_element");
        QTest::addColumn<double>("gib");
        QTest::newRow("7B, 4096 tokens") << "7B" << 4096.0 << 1 << 2.0 << 2.0;
        QTest::newRow("Llama-3.1 8B, 4096 (GQA 8 heads)") << "Llama-3.1 8B" << 4096.0 << 1 << 2.0 << 0.5;
        QTest::newRow("Qwen2.5 7B, 32768 (4 KV heads)") << "Qwen2.5 7B" << 32768.0 << 1 << 2.0 << 1.75;
        QTest::newRow("Llama-3.1 70B, 131072") << "Llama-3.1 70B" << 131072.0 << 1 << 2.0 << 40.0;
        QTest::newRow("Phi-3-mini, 4096") << "Phi-3-mini" << 4096.0 << 1 << 2.0 << 1.5;
        QTest::newRow("Mistral 7B, 8192 x 4, FP8") << "Mistral 7B" << 8192.0 << 4 << 1.0 << 2.0;
    }
    void kvCache() {
        QFETCH(QString, model);
        QFETCH(double, context);
        QFETCH(int, batch);
        QFETCH(double, bytes_per_element);
        QFETCH(double, gib);
        const ql::ModelPreset* m = ql::find_model(model.toStdString());
        QVERIFY2(m, qPrintable(model));
        ql::KvCacheOptions kv;
        kv.context = context;
        kv.batch = batch;
        kv.bytes_per_element = bytes_per_element;
        QCOMPARE(ql::kv_cache_bytes(*m, kv), gib * GiB);
        const auto e = ql::estimate_memory(m->params, 16, m, kv);
        QCOMPARE(e.kv_bytes, gib * GiB);
        QCOMPARE(e.total_bytes, m->params * 2 + gib * GiB);
        // no model, no KV term
        QCOMPARE(ql::estimate_memory(m->params, 16, nullptr, kv).kv_bytes, 0.0);
    }

    // total = (weights + KV) x (1 + fraction) + bytes: 7B FP16 with 20% and 1 GB = 14e9 x 1.2 + 1e9.
    void overhead() {
        const auto e = ql::estimate_memory(7e9, 16, nullptr, {}, 0.25, 1e9);
        QCOMPARE(e.overhead_bytes, 14e9 * 0.25 + 1e9);
        QCOMPARE(e.total_bytes, 14e9 * 1.25 + 1e9);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ql::estimate_memory(-1, 16, nullptr, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ql::estimate_memory(7e9, NAN, nullptr, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ql::estimate_memory(7e9, 16, nullptr, {}, -0.1));
    }

    // The fit boundary on a 10 GiB card, with headrooms that are exact in binary so the capacity is an
    // exact byte count: need == capacity fits (free 0), 8 bytes more does not.
    void fitBoundary_data() {
        QTest::addColumn<double>("usable");
        QTest::addColumn<double>("headroom");
        QTest::addColumn<double>("capacity");
        QTest::newRow("no headroom: the whole card") << 1.0 << 0.0 << 10 * GiB;
        QTest::newRow("25% headroom: 7.5 GiB") << 1.0 << 0.25 << 7.5 * GiB;
        QTest::newRow("half usable, half headroom: 2.5 GiB") << 0.5 << 0.5 << 2.5 * GiB;
    }
    void fitBoundary() {
        QFETCH(double, usable);
        QFETCH(double, headroom);
        QFETCH(double, capacity);
        const ql::GpuSpec g = card(10, usable);
        // at INT8 one parameter is one byte
        const auto at = ql::fit_on_gpu(ql::estimate_memory(capacity, 8, nullptr, {}), g, headroom);
        QCOMPARE(at.capacity_bytes, capacity);
        QVERIFY(at.fits);
        QCOMPARE(at.free_bytes, 0.0);
        QCOMPARE(at.used_fraction, 1.0 - headroom);
        const auto over = ql::fit_on_gpu(ql::estimate_memory(capacity + 8, 8, nullptr, {}), g, headroom);
        QVERIFY(!over.fits);
        QCOMPARE(over.free_bytes, -8.0);
    }

    void fitCatalog_data() {
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
    void fitCatalog() {
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

    // Unified memory: only the usable share counts (75% on the Apple entries). 70B at INT8 = 70 GB
    // fits the 96 GiB M2 Max's 77.3 GB usable share; at FP16 (140 GB) nothing Apple sells here does.
    void unifiedMemory() {
        const ql::GpuSpec* m = ql::find_gpu("Apple M2 Max 96 GB");
        QVERIFY(m);
        QVERIFY(m->unified);
        QCOMPARE(m->usable_fraction, 0.75);
        const auto f = ql::fit_on_gpu(ql::estimate_memory(70e9, 8, nullptr, {}), *m, 0.0);
        QCOMPARE(f.capacity_bytes, 96.0 * GiB * 0.75);
        QVERIFY(f.fits);
        for (const auto& g : ql::gpu_catalog())
            if (g.unified) QVERIFY(!ql::fit_on_gpu(ql::estimate_memory(70e9, 16, nullptr, {}), g, 0.0).fits);
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

    // Every GPU the issue names, with its marketed size read as binary GiB, stored as exact bytes.
    void catalogHasRequiredGpus_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("marketed");
        QTest::addColumn<double>("gib");
        for (auto [n, m, g] : std::initializer_list<std::tuple<const char*, const char*, double>>{
                 {"GTX 1080", "8 GB", 8}, {"RTX 3080", "10 GB", 10}, {"RTX 3090", "24 GB", 24}, {"RTX 4090", "24 GB", 24},
                 {"RTX 5090", "32 GB", 32}, {"T4", "16 GB", 16}, {"L4", "24 GB", 24}, {"A100 40GB", "40 GB", 40},
                 {"A100 80GB", "80 GB", 80}, {"H100 SXM", "80 GB", 80}, {"H100 PCIe", "80 GB", 80}, {"H200", "141 GB", 141},
                 {"Apple M2 Max 96 GB", "96 GB", 96}, {"Apple M3 Max 128 GB", "128 GB", 128}, {"Apple M4 Max 128 GB", "128 GB", 128}})
            QTest::newRow(n) << n << m << g;
    }
    void catalogHasRequiredGpus() {
        QFETCH(QString, name);
        QFETCH(QString, marketed);
        QFETCH(double, gib);
        const ql::GpuSpec* g = ql::find_gpu(name.toStdString());
        QVERIFY2(g, qPrintable(name));
        QCOMPARE(g->memory_bytes, gib * GiB);
        QCOMPARE(QString::fromStdString(g->marketed_memory), marketed);
        QVERIFY(g->bandwidth_gbps > 100);
    }
    void catalogEntriesComplete() {
        const auto& c = ql::gpu_catalog();
        QVERIFY(c.size() >= 15);
        for (const auto& g : c) {
            QVERIFY2(std::floor(g.memory_bytes) == g.memory_bytes, g.name.c_str());
            QVERIFY2(!g.vendor.empty() && !g.memory_type.empty() && !g.marketed_memory.empty(), g.name.c_str());
            QVERIFY2(QString::fromStdString(g.note).contains("Source"), g.name.c_str());
            QVERIFY2(g.unified == (g.usable_fraction < 1.0), g.name.c_str());
            QVERIFY2(g.unified || g.fp16_tflops > 0, g.name.c_str());
        }
        QCOMPARE(ql::find_gpu("rtx 4090"), ql::find_gpu("RTX 4090"));  // case-insensitive
        QVERIFY(!ql::find_gpu("Voodoo2"));
    }

    void presets_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("params");
        QTest::newRow("7B") << "7B" << 7e9;
        QTest::newRow("8B") << "8B" << 8e9;
        QTest::newRow("13B") << "13B" << 13e9;
        QTest::newRow("70B") << "70B" << 70e9;
        QTest::newRow("Llama-2 7B") << "Llama-2 7B" << 6.74e9;
        QTest::newRow("Llama-2 13B") << "Llama-2 13B" << 13.02e9;
        QTest::newRow("Llama-3.1 8B") << "Llama-3.1 8B" << 8.03e9;
        QTest::newRow("Llama-3.1 70B") << "Llama-3.1 70B" << 70.55e9;
        QTest::newRow("Mistral 7B") << "Mistral 7B" << 7.24e9;
        QTest::newRow("Mixtral 8x7B") << "Mixtral 8x7B" << 46.7e9;
        QTest::newRow("Qwen2.5 7B") << "Qwen2.5 7B" << 7.62e9;
        QTest::newRow("Qwen2.5 72B") << "Qwen2.5 72B" << 72.7e9;
        QTest::newRow("Phi-3-mini") << "Phi-3-mini" << 3.82e9;
    }
    void presets() {
        QFETCH(QString, name);
        QFETCH(double, params);
        const ql::ModelPreset* m = ql::find_model(name.toStdString());
        QVERIFY2(m, qPrintable(name));
        QCOMPARE(m->params, params);
        QCOMPARE(ql::find_model(name.toLower().toStdString()), m);  // case-insensitive
    }
    // Every preset's shape is consistent: heads x head_dim = hidden, heads a multiple of kv_heads.
    void presetShapes() {
        for (const auto& m : ql::model_presets()) {
            QVERIFY2(m.params > 1e9, m.name.c_str());
            QVERIFY2(m.layers > 0 && m.kv_heads > 0 && m.head_dim > 0 && m.context > 0, m.name.c_str());
            QVERIFY2(m.heads * m.head_dim == m.hidden, m.name.c_str());
            QVERIFY2(m.heads % m.kv_heads == 0, m.name.c_str());
        }
    }

    void badGpuCatalogs_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        const QString ok = R"("name": "X", "memory_bytes": 1024, "bandwidth_gbps": 1)";
        QTest::newRow("not json") << "{gpus" << "not valid JSON";
        QTest::newRow("no array") << R"({"gpus": 3})" << "array \"gpus\"";
        QTest::newRow("entry not an object") << R"({"gpus": [3]})" << "gpus[0]: must be an object";
        QTest::newRow("missing name") << R"({"gpus": [{"memory_bytes": 1, "bandwidth_gbps": 1}]})" << "missing \"name\"";
        QTest::newRow("missing memory") << R"({"gpus": [{"name": "X", "bandwidth_gbps": 1}]})" << "gpus[0] (X): missing \"memory_bytes\"";
        QTest::newRow("fractional bytes") << R"({"gpus": [{"name": "X", "memory_bytes": 1.5, "bandwidth_gbps": 1}]})" << "whole number of bytes";
        QTest::newRow("negative bytes") << R"({"gpus": [{"name": "X", "memory_bytes": -1, "bandwidth_gbps": 1}]})" << "whole number of bytes";
        QTest::newRow("zero bytes") << R"({"gpus": [{"name": "X", "memory_bytes": 0, "bandwidth_gbps": 1}]})" << "whole number of bytes";
        QTest::newRow("bytes as text") << R"({"gpus": [{"name": "X", "memory_bytes": "24GB", "bandwidth_gbps": 1}]})" << "whole number of bytes";
        QTest::newRow("no bandwidth") << R"({"gpus": [{"name": "X", "memory_bytes": 1}]})" << "missing \"bandwidth_gbps\"";
        QTest::newRow("usable 1.5") << QString(R"({"gpus": [{%1, "usable_fraction": 1.5}]})").arg(ok) << "usable_fraction";
        QTest::newRow("unified as text") << QString(R"({"gpus": [{%1, "unified": "yes"}]})").arg(ok) << "\"unified\" must be true or false";
        QTest::newRow("duplicate") << QString(R"({"gpus": [{%1}, {%1}]})").arg(ok) << "gpus[1]: duplicate GPU name";
    }
    void badGpuCatalogs() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            (void)ql::parse_gpu_catalog(json.toStdString(), "test.json");
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains(message) && QString(e.what()).startsWith("test.json: "), e.what());
        }
    }

    void badModelPresets_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("no array") << R"({"gpus": []})" << "array \"models\"";
        QTest::newRow("missing params") << R"({"models": [{"name": "M"}]})" << "models[0] (M): missing \"params\"";
        QTest::newRow("zero params") << R"({"models": [{"name": "M", "params": 0}]})" << "\"params\" must be > 0";
        QTest::newRow("fractional layers") << R"({"models": [{"name": "M", "params": 1, "layers": 2.5}]})" << "\"layers\" must be a whole number";
        QTest::newRow("heads not a multiple of kv_heads")
            << R"({"models": [{"name": "M", "params": 1, "heads": 32, "kv_heads": 5}]})" << "multiple of \"kv_heads\"";
        QTest::newRow("duplicate") << R"({"models": [{"name": "M", "params": 1}, {"name": "m", "params": 2}]})" << "duplicate model name";
    }
    void badModelPresets() {
        QFETCH(QString, json);
        QFETCH(QString, message);
        try {
            (void)ql::parse_model_presets(json.toStdString(), "m.json");
            QFAIL("expected an error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains(message) && QString(e.what()).startsWith("m.json: "), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestMemory)
#include "test_memory.moc"
