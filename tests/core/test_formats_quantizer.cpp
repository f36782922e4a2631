// Every non-Int format through the Quantizer interface against its scalar reference, value for value
// (dequantized floats bit-identical, codes identical), on shapes with whole and partial blocks, 1-D and
// 3-D tensors, non-finite values and all-zero data; run() on arbitrary chunks; true storage sizes;
// levels and output bounds that hold.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>
#include <limits>
#include <vector>

#include "core/format_kernels.h"
#include "core/format_quantizers.h"
#include "core/quantizer.h"
#include "core/rng.h"
#include "core/simd_kernels.h"

using ql::Format;
using ql::QuantConfig;
using ql::Tensor;

Q_DECLARE_METATYPE(ql::QuantConfig)
Q_DECLARE_METATYPE(std::vector<std::int64_t>)

namespace {

QuantConfig cfg(Format f, int block = 0, ql::Granularity g = ql::Granularity::PerTensor, int axis = 0, int group = 128) {
    QuantConfig c;
    c.format = f;
    c.block_size = block;
    c.granularity = g;
    c.axis = axis;
    c.group_size = group;
    return c;
}

Tensor make_tensor(const std::vector<std::int64_t>& shape, int kind, std::uint64_t seed) {
    Tensor t("t", shape);
    ql::Rng rng(seed);
    for (std::size_t i = 0; i < t.values.size(); ++i) {
        const double z = rng.normal();
        switch (kind) {
        case 0: t.values[i] = static_cast<float>(0.05 * z); break;
        case 1: t.values[i] = static_cast<float>(z * z * z); break;           // heavy tails
        case 2: t.values[i] = 0.0f; break;                                      // all zero
        case 3: t.values[i] = (i / 40) % 3 == 1 ? 0.0f : static_cast<float>(z * 100.0); break;  // zero runs
        default: t.values[i] = static_cast<float>(z); break;
        }
    }
    if (kind == 4 && t.values.size() > 20) {
        t.values[3] = std::numeric_limits<float>::quiet_NaN();
        t.values[11] = std::numeric_limits<float>::infinity();
        t.values[19] = -std::numeric_limits<float>::infinity();
    }
    return t;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }
// "exact to the reference": identical floats, +0 and -0 aside; NaN matches NaN
bool same_value(float a, float b) { return same_bits(a, b) || (a == b) || (a != a && b != b); }

// Two quantizers of the same tensor, both prepared: one told the tensor's finite range (as the analysis
// does), one that reads it itself. Null when a prepare() fails.
std::pair<float, float> finite_range(const Tensor& t) {
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    for (float v : t.values)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    return {lo, hi};
}
std::pair<std::unique_ptr<ql::Quantizer>, std::unique_ptr<ql::Quantizer>> given_and_read(const QuantConfig& config, const Tensor& t) {
    const auto [lo, hi] = finite_range(t);
    auto given = ql::make_quantizer(config);
    given->set_tensor_range(lo, hi);
    auto read = ql::make_quantizer(config);
    if (!given->prepare(t) || !read->prepare(t)) return {};
    return {std::move(given), std::move(read)};
}

std::vector<QuantConfig> all_configs() {
    return {cfg(Format::NF4), cfg(Format::NF4, 32), cfg(Format::NF4, 256), cfg(Format::NF4_DQ), cfg(Format::NF4_DQ, 128),
            cfg(Format::FP8_E4M3), cfg(Format::FP8_E4M3, 0, ql::Granularity::PerChannel),
            cfg(Format::FP8_E4M3, 0, ql::Granularity::PerChannel, 1), cfg(Format::FP8_E5M2),
            cfg(Format::FP8_E5M2, 0, ql::Granularity::PerGroup, 0, 32), cfg(Format::FP4_E2M1), cfg(Format::FP4_E2M1, 32),
            cfg(Format::FP4_E2M1, 0, ql::Granularity::PerChannel), cfg(Format::MXFP4), cfg(Format::NVFP4),
            cfg(Format::Q8_0), cfg(Format::Q4_0), cfg(Format::Q4_1), cfg(Format::Q5_0), cfg(Format::Q2_K), cfg(Format::Q3_K), cfg(Format::Q4_K), cfg(Format::Q5_K),
            cfg(Format::Q6_K), cfg(Format::IQ4_NL), cfg(Format::IQ4_XS)};
}

} // namespace

class TestFormatsQuantizer : public QObject {
    Q_OBJECT
private slots:
    void matchesReference_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<int>("kind");
        const std::vector<std::pair<const char*, std::vector<std::int64_t>>> shapes = {
            {"32x512", {32, 512}}, {"7x300 partial blocks", {7, 300}}, {"3x5x40", {3, 5, 40}}, {"1-D 1000", {1000}}};
        for (const auto& c : all_configs())
            for (const auto& [sname, shape] : shapes) {
                if (!ql::validate(c, shape).empty()) continue;  // e.g. channel axis 1 of a 1-D tensor
                for (int kind : {0, 1, 2, 3, 4}) {
                    const QByteArray name = QByteArray::fromStdString(c.describe() + " " + std::string(ql::granularity_name(c.granularity)) +
                                                                      " axis " + std::to_string(c.axis) + " " + sname + " data " +
                                                                      std::to_string(kind));
                    QTest::newRow(name.constData()) << c << shape << kind;
                }
            }
    }
    void matchesReference() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(int, kind);
        const Tensor t = make_tensor(shape, kind, 99 + static_cast<std::uint64_t>(kind));
        std::vector<std::int8_t> ref_codes;
        ql::QuantParams ref_params;
        const std::vector<float> ref = ql::quantize_format_ref(t, config, &ref_codes, &ref_params);
        const ql::QuantizedTensor q = ql::quantize(t, config);
        QCOMPARE(q.dequantized.values.size(), ref.size());
        for (std::size_t i = 0; i < ref.size(); ++i) {
            if (!same_value(q.dequantized.values[i], ref[i]))
                QFAIL(qPrintable(QString("value %1 (x = %2): quantizer %3, reference %4").arg(i).arg(t.values[i], 0, 'g', 9)
                                     .arg(q.dequantized.values[i], 0, 'g', 9).arg(ref[i], 0, 'g', 9)));
            if (q.codes[i] != ref_codes[i])
                QFAIL(qPrintable(QString("code %1: quantizer %2, reference %3").arg(i).arg(q.codes[i]).arg(ref_codes[i])));
        }
        QCOMPARE(q.params.scales.size(), ref_params.scales.size());
        for (std::size_t s = 0; s < ref_params.scales.size(); ++s) QVERIFY(same_value(q.params.scales[s], ref_params.scales[s]));
    }

    // NF4 with double quantization over several 256-block groups of absmax values (and a partial one).
    void nf4DoubleQuantManyGroups() {
        const Tensor t = make_tensor({1000, 70}, 1, 21);  // 70000 values: 1094 blocks of 64, 5 groups of 256
        QuantConfig c = cfg(Format::NF4_DQ);
        std::vector<std::int8_t> codes;
        const auto ref = ql::quantize_format_ref(t, c, &codes, nullptr);
        const ql::QuantizedTensor q = ql::quantize(t, c);
        for (std::size_t i = 0; i < ref.size(); ++i) QVERIFY(same_value(q.dequantized.values[i], ref[i]));
        QCOMPARE(q.codes, codes);
    }

    // run() on ranges that do not follow the granule gives the same values (a chart or the GPU path may
    // ask for any window), and the clipped counts of a partition add up to the whole tensor's.
    void arbitraryChunks_data() {
        QTest::addColumn<QuantConfig>("config");
        for (const auto& c : all_configs()) QTest::newRow(c.describe().c_str()) << c;
    }
    void arbitraryChunks() {
        QFETCH(QuantConfig, config);
        const Tensor t = make_tensor({9, 300}, 1, 5);
        auto q = ql::make_quantizer(config);
        QVERIFY(q->prepare(t));
        const std::int64_t n = t.numel();
        std::vector<float> whole(static_cast<std::size_t>(n)), parts(static_cast<std::size_t>(n));
        std::uint64_t clip_whole = 0, clip_parts = 0;
        q->run(0, n, whole.data(), nullptr, &clip_whole);
        std::int64_t b = 0, step = 1;
        while (b < n) {
            const std::int64_t e = std::min(n, b + step);
            q->run(b, e, parts.data() + b, nullptr, &clip_parts);
            b = e;
            step = step * 3 % 97 + 1;
        }
        for (std::int64_t i = 0; i < n; ++i) QVERIFY(same_bits(whole[static_cast<std::size_t>(i)], parts[static_cast<std::size_t>(i)]));
        QCOMPARE(clip_parts, clip_whole);
    }

    // True bits per weight, scales included (the formats' definitions).
    void storage_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<double>("bpw");
        const double n = 256.0 * 1024.0;
        QTest::newRow("NF4 block 64: 4 + 32/64") << cfg(Format::NF4) << 4.5;
        QTest::newRow("NF4 block 256: 4 + 32/256") << cfg(Format::NF4, 256) << 4.125;
        QTest::newRow("NF4 double quant: 4 + 8/64 + 32/(64*256) + 32/n") << cfg(Format::NF4_DQ) << 4.0 + 8.0 / 64 + 32.0 / (64 * 256) + 32.0 / n;
        QTest::newRow("FP8 E4M3 per tensor: 8 + 32/n") << cfg(Format::FP8_E4M3) << 8.0 + 32.0 / n;
        QTest::newRow("FP8 E5M2 per channel: 8 + 32*256/n") << cfg(Format::FP8_E5M2, 0, ql::Granularity::PerChannel) << 8.0 + 32.0 * 256 / n;
        QTest::newRow("FP4 E2M1 block 32: 4 + 32/32") << cfg(Format::FP4_E2M1, 32) << 5.0;
        QTest::newRow("MXFP4: 4 + 8/32") << cfg(Format::MXFP4) << 4.25;
        QTest::newRow("NVFP4: 4 + 8/16 + 32/n") << cfg(Format::NVFP4) << 4.5 + 32.0 / n;
        QTest::newRow("Q8_0: 34 bytes / 32") << cfg(Format::Q8_0) << 8.5;
        QTest::newRow("Q4_0: 18 bytes / 32") << cfg(Format::Q4_0) << 4.5;
        QTest::newRow("Q4_1: 20 bytes / 32") << cfg(Format::Q4_1) << 5.0;
        QTest::newRow("Q5_0: 22 bytes / 32") << cfg(Format::Q5_0) << 5.5;
        QTest::newRow("Q2_K: 84 bytes / 256") << cfg(Format::Q2_K) << 2.625;
        QTest::newRow("Q3_K: 110 bytes / 256") << cfg(Format::Q3_K) << 3.4375;
        QTest::newRow("Q4_K: 144 bytes / 256") << cfg(Format::Q4_K) << 4.5;
        QTest::newRow("Q5_K: 176 bytes / 256") << cfg(Format::Q5_K) << 5.5;
        QTest::newRow("Q6_K: 210 bytes / 256") << cfg(Format::Q6_K) << 6.5625;
        QTest::newRow("IQ4_NL: 18 bytes / 32") << cfg(Format::IQ4_NL) << 4.5;
        QTest::newRow("IQ4_XS: 136 bytes / 256") << cfg(Format::IQ4_XS) << 4.25;
    }
    void storage() {
        QFETCH(QuantConfig, config);
        QFETCH(double, bpw);
        const Tensor t = make_tensor({256, 1024}, 0, 1);
        auto q = ql::make_quantizer(config);
        QVERIFY(q->prepare(t));
        QCOMPARE(q->storage().bits_per_weight, bpw);
        QCOMPARE(q->storage().bytes, static_cast<std::uint64_t>(std::ceil(bpw * 256 * 1024 / 8 - 1e-9)));
        QCOMPARE(ql::storage_for_shape(config, t.shape).bits_per_weight, bpw);
    }
    // The storage worked out from a shape alone (what the GPU fit sizes a model's matrices with) is the
    // storage of a quantizer prepared on a tensor of that shape, field for field: every format, the INT
    // path's granularities and HQQ, on shapes whose rows are and are not whole blocks, 1-D and 3-D.
    void storageFromShapeAlone_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        std::vector<QuantConfig> configs = all_configs();
        for (int bits : {4, 8})
            for (auto g : {ql::Granularity::PerTensor, ql::Granularity::PerChannel, ql::Granularity::PerGroup})
                for (auto sch : {ql::Scheme::Symmetric, ql::Scheme::Asymmetric}) {
                    QuantConfig c;
                    c.bits = bits;
                    c.granularity = g;
                    c.scheme = sch;
                    c.group_size = 64;
                    configs.push_back(c);
                }
        QuantConfig hqq;
        hqq.format = Format::HQQ;
        hqq.bits = 4;
        hqq.block_size = 64;
        configs.push_back(hqq);
        const std::vector<std::vector<std::int64_t>> shapes = {{64, 96}, {9, 300}, {512, 256}, {1000}, {3, 5, 70}};
        for (const auto& c : configs)
            for (const auto& sh : shapes) {
                if (!ql::validate(c, sh).empty()) continue;
                std::string name = c.describe() + " on";
                for (auto d : sh) name += " " + std::to_string(d);
                QTest::newRow(name.c_str()) << c << sh;
            }
    }
    void storageFromShapeAlone() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        const Tensor t = make_tensor(shape, 0, 3);
        auto q = ql::make_quantizer(config);
        QVERIFY(q->prepare(t));
        const ql::StorageSize want = q->storage(), got = ql::storage_for_shape(config, shape);
        QCOMPARE(got.bits_per_weight, want.bits_per_weight);
        QCOMPARE(got.bytes, want.bytes);
        QCOMPARE(got.code_bytes, want.code_bytes);
        QCOMPARE(got.meta_bytes, want.meta_bytes);
        QCOMPARE(got.padding, want.padding);
    }
    // A configuration that does not fit the shape is refused with validate()'s reason.
    void storageFromShapeRefusesBadConfig() {
        QuantConfig c;
        c.granularity = ql::Granularity::PerChannel;
        c.axis = 2;
        const std::vector<std::int64_t> shape = {64, 96};
        QVERIFY(!ql::validate(c, shape).empty());
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ql::storage_for_shape(c, shape));
    }
    // A partial block is stored whole: 300 values of Q4_K take 2 super-blocks.
    void partialBlockStorage() {
        const Tensor t = make_tensor({300}, 0, 2);
        auto q = ql::make_quantizer(cfg(Format::Q4_K));
        QVERIFY(q->prepare(t));
        QCOMPARE(q->storage().bytes, std::uint64_t(288));
    }
    // NF4 with double quantization on 1000 values: 16 blocks of 64 (the last partial), one block of 256
    // absmax codes for them with its fp32 scale, and the fp32 mean: 4 + (16 x 8 + 32 + 32) / 1000 bits.
    void nf4DoubleQuantPartialStorage() {
        const Tensor t = make_tensor({1000}, 0, 2);
        auto q = ql::make_quantizer(cfg(Format::NF4_DQ));
        QVERIFY(q->prepare(t));
        QCOMPARE(q->storage().bits_per_weight, (4000.0 + 16 * 8 + 32 + 32) / 1000);
    }

    // Levels of the block holding i contain that element's dequantized value; bounds hold for every value.
    void levelsAndBounds_data() {
        QTest::addColumn<QuantConfig>("config");
        for (const auto& c : all_configs()) QTest::newRow(c.describe().c_str()) << c;
    }
    void levelsAndBounds() {
        QFETCH(QuantConfig, config);
        const Tensor t = make_tensor({16, 512}, 1, 7);
        auto q = ql::make_quantizer(config);
        QVERIFY(q->prepare(t));
        std::vector<float> y(t.values.size());
        q->run(0, t.numel(), y.data(), nullptr, nullptr);
        const auto bounds = q->output_bounds();
        QVERIFY(bounds.has_value());
        for (std::int64_t i = 0; i < t.numel(); i += 37) {
            const auto lv = q->levels_at(i);
            QVERIFY(!lv.empty());
            QVERIFY(std::is_sorted(lv.begin(), lv.end()));
            QVERIFY(static_cast<int>(lv.size()) <= q->code_count());
            const float v = y[static_cast<std::size_t>(i)] == 0.0f ? 0.0f : y[static_cast<std::size_t>(i)];
            QVERIFY2(std::find(lv.begin(), lv.end(), v) != lv.end(), qPrintable(QString("value %1 not among the levels").arg(v)));
        }
        for (std::size_t i = 0; i < y.size(); ++i) {
            QVERIFY(y[i] >= bounds->dq_lo && y[i] <= bounds->dq_hi);
            QVERIFY(std::fabs(y[i] - t.values[i]) <= bounds->err_abs);
        }
    }

    // NF4, MXFP4 and NVFP4 work out their block scales in run() from the block's values, and their output
    // bounds from the tensor's range alone: blocks whose absmax takes every float exponent (zero and
    // subnormals too) match the reference value for value, scales included.
    void blockScalesEveryExponent_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::newRow("mxfp4") << cfg(Format::MXFP4);
        QTest::newRow("nvfp4") << cfg(Format::NVFP4);
        QTest::newRow("nf4 block 32") << cfg(Format::NF4, 32);
    }
    void blockScalesEveryExponent() {
        QFETCH(QuantConfig, config);
        // block k of 32 values: a normal spread times 2^(k - 150) (k = 0: all zero), so that the block
        // absmax runs through every binade, subnormal ones included, with varied mantissas
        const int blocks = 280;
        Tensor t("t", {blocks, 32});
        ql::Rng rng(17);
        for (int k = 0; k < blocks; ++k)
            for (int j = 0; j < 32; ++j) {
                const double v = k == 0 ? 0.0 : std::ldexp(rng.normal(), std::min(k, 277) - 150);
                t.values[static_cast<std::size_t>(k * 32 + j)] = static_cast<float>(std::clamp(v, -3.0e38, 3.0e38));
            }
        std::vector<std::int8_t> ref_codes;
        ql::QuantParams ref_params;
        const std::vector<float> ref = ql::quantize_format_ref(t, config, &ref_codes, &ref_params);
        const ql::QuantizedTensor q = ql::quantize(t, config);
        for (std::size_t i = 0; i < ref.size(); ++i) {
            if (!same_value(q.dequantized.values[i], ref[i]))
                QFAIL(qPrintable(QString("value %1 (x = %2): quantizer %3, reference %4").arg(i).arg(t.values[i], 0, 'g', 9)
                                     .arg(q.dequantized.values[i], 0, 'g', 9).arg(ref[i], 0, 'g', 9)));
            QCOMPARE(q.codes[i], ref_codes[i]);
        }
        QCOMPARE(q.params.scales.size(), ref_params.scales.size());
        for (std::size_t s = 0; s < ref_params.scales.size(); ++s)
            if (!same_bits(q.params.scales[s], ref_params.scales[s]))
                QFAIL(qPrintable(QString("scale %1: quantizer %2, reference %3").arg(s).arg(q.params.scales[s], 0, 'g', 9)
                                     .arg(ref_params.scales[s], 0, 'g', 9)));
    }

    // The output bounds of NF4, MXFP4 and NVFP4 come from the tensor's absmax before any block is read:
    // they equal the bounds every block's scale gives (dq within 6 (or 1) times the largest scale; error
    // within max(s, a - 6 s) per block for the FP4 formats, 0.1525 a for NF4), whether the range is given
    // or read, and hold for every value.
    void boundsFromTensorRange_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("factor");
        for (const auto& c : {cfg(Format::MXFP4), cfg(Format::NVFP4), cfg(Format::NF4), cfg(Format::NF4, 32), cfg(Format::NF4, 4096)})
            for (int kind : {0, 1, 2, 3, 4, 5})
                for (double factor : {1.0, -1.0, 0x1p-120, 0x1p-140, 0x1p100}) {
                    if (kind == 2 && factor != 1.0) continue;
                    const QByteArray name = QByteArray::fromStdString(c.describe() + " data " + std::to_string(kind) + " times " +
                                                                      QByteArray::number(factor, 'g', 6).toStdString());
                    QTest::newRow(name.constData()) << c << kind << factor;
                }
    }
    void boundsFromTensorRange() {
        QFETCH(QuantConfig, config);
        QFETCH(int, kind);
        QFETCH(double, factor);
        Tensor t = make_tensor({24, 4096}, kind == 5 ? 1 : kind, 3 + static_cast<std::uint64_t>(kind));
        for (float& v : t.values) v = static_cast<float>(v * factor);
        if (kind == 5) {
            // E4M3 rounds each NVFP4 block's a / (6 s2) down by up to half a step: blocks just below a
            // rounding midpoint, where a - 6 s is largest
            for (std::size_t b = 0; b < t.values.size() / 16; ++b)
                t.values[b * 16] = static_cast<float>(factor * (1.0 + 0.0624 * static_cast<double>(b % 7)) * std::ldexp(1.0, -static_cast<int>(b % 9)));
        }
        const auto [lo, hi] = finite_range(t);
        auto [given, read] = given_and_read(config, t);
        QVERIFY(given && read);
        const auto b = given->output_bounds(), br = read->output_bounds();
        QVERIFY(b.has_value() && br.has_value());
        // the bounds from every block's scale
        const std::vector<float> scales = given->params().scales;
        const bool fp4 = config.format != Format::NF4;
        const std::int64_t block = fp4 ? (config.format == Format::NVFP4 ? 16 : 32) : (config.block_size ? config.block_size : 64);
        float err = 0.0f, smax = 0.0f;
        for (std::size_t k = 0; k < scales.size(); ++k) {
            float a = 0.0f;
            for (std::int64_t j = 0; j < block; ++j) {
                const float v = t.values[k * static_cast<std::size_t>(block) + static_cast<std::size_t>(j)];
                if (std::isfinite(v)) a = std::max(a, std::fabs(v));
            }
            const float s = scales[k];
            err = std::max(err, fp4 ? std::max(s, a - 6.0f * s) : 0.1525f * a);
            smax = std::max(smax, s);
        }
        const float top = fp4 ? 6.0f * smax : smax;
        QCOMPARE(b->dq_hi, top);
        QCOMPARE(b->dq_lo, -top);
        QCOMPARE(b->err_abs, err * (1.0f + 0x1p-16f));
        QCOMPARE(br->dq_hi, b->dq_hi);
        QCOMPARE(br->err_abs, b->err_abs);
        // (NF4 blocks of subnormal values have no finite 1 / absmax, and their values miss the bound: the
        // analysis finds that and re-bins)
        if (!fp4 && !(1.0f / std::max(std::fabs(lo), std::fabs(hi)) < std::numeric_limits<float>::infinity())) return;
        std::vector<float> y(t.values.size());
        given->run(0, t.numel(), y.data(), nullptr, nullptr);
        for (std::size_t i = 0; i < y.size(); ++i) {
            if (!std::isfinite(t.values[i])) continue;
            QVERIFY(y[i] >= b->dq_lo && y[i] <= b->dq_hi);
            QVERIFY(std::fabs(y[i] - t.values[i]) <= b->err_abs);
        }
    }

    // kernels::block_absmax (16 blocks at a time where the block is a multiple of 16 values) against
    // simd::absmax_finite per block: NaN and Inf left out, -0, subnormals, a short last block.
    // Q8_0 with the tensor's range given quantizes in run() and states its bounds from the range alone,
    // Q4_0, Q4_1 and Q5_0 (rows of whole blocks, finite values) from each block's min and max: values,
    // codes, clipped counts, parameters, levels and packed blocks as when prepare() quantizes every block,
    // bounds that hold for every value and contain the measured ones (Q4_0, Q4_1, Q5_0: the dequantized
    // range equal to them), an error bound at most 1/8 above the measured one on plain data. Data 6 and 7:
    // blocks where -a and +a both reach the largest magnitude, -a first in one and +a in the other. Data 5: blocks whose scale d = a / 127 lies
    // just above a midpoint between fp16 values (stored scale rounded up by almost half a step) and values
    // at 126.5 d, which take code 127: the largest error the bound allows, and a top level above the
    // block's absmax.
    void ggmlBoundsFromTensorRange_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("factor");
        const std::vector<std::vector<std::int64_t>> shapes = {{24, 512}, {7, 100}, {3, 5, 96}, {1000}};
        for (Format f : {Format::Q8_0, Format::Q4_0, Format::Q4_1, Format::Q5_0})
            for (const auto& shape : shapes)
                for (int kind : {0, 1, 2, 3, 4, 5, 6, 7})
                    for (double factor : {1.0, -1.0, 0x1p-20, 0x1p-140, 0x1p8}) {
                        if ((kind == 2 && factor != 1.0) || ((f != Format::Q8_0 || kind >= 6) && factor != 1.0 && kind != 0)) continue;
                        std::string dims;
                        for (std::int64_t d : shape) dims += (dims.empty() ? "" : "x") + std::to_string(d);
                        const QByteArray name = QByteArray::fromStdString(std::string(ql::format_name(f)) + " " + dims + " data " +
                                                                          std::to_string(kind) + " times " +
                                                                          QByteArray::number(factor, 'g', 6).toStdString());
                        QTest::newRow(name.constData()) << cfg(f) << shape << kind << factor;
                    }
    }
    void ggmlBoundsFromTensorRange() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(int, kind);
        QFETCH(double, factor);
        Tensor t = make_tensor(shape, kind == 5 ? 9 : kind, 11 + static_cast<std::uint64_t>(kind));
        if (kind == 5) {
            for (std::size_t b = 0; b + 32 <= t.values.size(); b += 32) {
                const int e = static_cast<int>(b / 32 % 5) - 2, j = static_cast<int>(b / 32 * 7 % 1024);
                // just above the midpoint between fp16 (1 + j / 1024) 2^e and the next one up
                const float d = static_cast<float>(std::ldexp(1.0 + (j + 0.5) / 1024.0, e) * (1.0 + 0x1p-21));
                const float a = 127.0f * d, dd = a / 127.0f;
                t.values[b] = a;
                for (int k = 0; k < 4; ++k) {
                    t.values[b + 1 + static_cast<std::size_t>(k)] = static_cast<float>(126.5 * dd * (1.0 + k * 0x1p-23));
                    t.values[b + 5 + static_cast<std::size_t>(k)] = -static_cast<float>(126.5 * dd * (1.0 + k * 0x1p-23));
                }
            }
        }
        if (kind == 6 || kind == 7) {
            // both signs reach each block's largest magnitude, the negative one first (data 7: the positive
            // one): Q4_0 and Q5_0 take the first as the block's extreme, which its min and max do not tell
            for (std::size_t b = 0; b + 32 <= t.values.size(); b += 32) {
                const float a = 5.0f + static_cast<float>(b / 32 % 3);
                const std::size_t first = b + b / 32 % 7, second = b + 10 + b / 32 % 5;
                t.values[first] = kind == 6 ? -a : a;
                t.values[second] = -t.values[first];
            }
        }
        for (float& v : t.values) v = static_cast<float>(v * factor);
        auto [given, read] = given_and_read(config, t);
        QVERIFY(given && read);
        const std::int64_t n = t.numel();
        const auto nz = static_cast<std::size_t>(n);
        // run() whole and on arbitrary chunks, against the quantizer that packed every block
        std::vector<float> y(nz), yr(nz), yc(nz);
        std::vector<std::int8_t> c(nz), cr(nz), cc(nz);
        std::uint64_t clip = 0, clip_r = 0, clip_c = 0;
        given->run(0, n, y.data(), c.data(), &clip);
        read->run(0, n, yr.data(), cr.data(), &clip_r);
        for (std::int64_t b = 0, step = 1; b < n; step = step * 5 % 89 + 1) {
            const std::int64_t e = std::min(n, b + (given->granule() > 1 ? given->granule() * step : step));
            given->run(b, e, yc.data() + b, cc.data() + b, &clip_c);
            b = e;
        }
        for (std::size_t i = 0; i < nz; ++i) {
            QVERIFY(same_bits(y[i], yr[i]));
            QVERIFY(same_bits(yc[i], yr[i]));
        }
        QVERIFY(c == cr);
        QVERIFY(cc == cr);
        QCOMPARE(clip, clip_r);
        QCOMPARE(clip_c, clip_r);
        for (std::int64_t i : {std::int64_t{0}, n / 3, n - 1}) QVERIFY(given->levels_at(i) == read->levels_at(i));
        QVERIFY(given->params().scales == read->params().scales);
        const ql::GgmlBlocksView v = ql::ggml_blocks_view(*given), vr = ql::ggml_blocks_view(*read);
        QVERIFY(v.blocks && vr.blocks);
        QCOMPARE(v.block_count, vr.block_count);
        QCOMPARE(v.clipped, vr.clipped);
        const std::size_t block_bytes = config.format == Format::Q8_0 ? 34 : config.format == Format::Q4_0 ? 18 : config.format == Format::Q4_1 ? 20 : 22;
        QVERIFY(std::memcmp(v.blocks, vr.blocks, static_cast<std::size_t>(v.block_count) * block_bytes) == 0);
        // the bounds
        const auto b = given->output_bounds(), br = read->output_bounds();
        QVERIFY(b.has_value() && br.has_value());
        if (config.format != Format::Q8_0) {
            // the dequantized range from each block's min and max is the measured one exactly (and where a
            // value or a block's scale is not finite the bounds are measured)
            QCOMPARE(b->dq_lo, br->dq_lo);
            QCOMPARE(b->dq_hi, br->dq_hi);
        }
        for (std::size_t i = 0; i < nz; ++i) {
            if (!std::isfinite(t.values[i])) continue;
            QVERIFY2(y[i] >= b->dq_lo && y[i] <= b->dq_hi, qPrintable(QString("value %1 dq %2 outside [%3, %4]").arg(t.values[i]).arg(y[i]).arg(b->dq_lo).arg(b->dq_hi)));
            QVERIFY2(std::fabs(y[i] - t.values[i]) <= b->err_abs,
                     qPrintable(QString("value %1 dq %2 error above %3").arg(t.values[i]).arg(y[i]).arg(b->err_abs)));
        }
        QVERIFY(b->dq_lo <= br->dq_lo && b->dq_hi >= br->dq_hi && b->err_abs >= br->err_abs);
        if (kind == 0 || (kind == 5 && std::fabs(factor) >= 1.0)) QVERIFY2(b->err_abs <= 1.125f * br->err_abs, qPrintable(QString("%1 vs measured %2").arg(b->err_abs).arg(br->err_abs)));
    }

    void blockAbsmax_data() {
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("special");  // 0 none, 1 NaN / Inf in some blocks, 2 every value non-finite in a block
        QTest::addColumn<bool>("fromMemory");
        for (int block : {16, 32, 64, 48, 4096, 20})
            for (int n : {block * 16, block * 37 + 5, block * 3, 1})
                for (int special : {0, 1, 2})
                    for (bool from_memory : {true, false}) {
                        const QByteArray name = QByteArray::fromStdString("block " + std::to_string(block) + " n " + std::to_string(n) +
                                                                          " special " + std::to_string(special) +
                                                                          (from_memory ? " from memory" : " in cache"));
                        QTest::newRow(name.constData()) << block << n << special << from_memory;
                    }
    }
    void blockAbsmax() {
        QFETCH(int, block);
        QFETCH(int, n);
        QFETCH(int, special);
        QFETCH(bool, fromMemory);
        std::vector<float> x(static_cast<std::size_t>(n));
        ql::Rng rng(static_cast<std::uint64_t>(block * 7 + n));
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double z = rng.normal();
            // each block its own scale, subnormal ones too; a -0 now and then
            x[i] = i % 29 == 3 ? -0.0f : static_cast<float>(std::ldexp(z, static_cast<int>((i / static_cast<std::size_t>(block)) % 23) * 9 - 160));
        }
        const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
        if (special == 1)
            for (std::size_t i = 5; i < x.size(); i += static_cast<std::size_t>(block) * 5 + 3) x[i] = (i / 7) % 2 ? nan : (i % 2 ? inf : -inf);
        if (special == 2 && n >= block * 3)
            for (int j = 0; j < block; ++j) x[static_cast<std::size_t>(block * 2 + j)] = j % 2 ? nan : inf;
        const std::int64_t nb = (n + block - 1) / block;
        std::vector<float> got(static_cast<std::size_t>(nb), -1.0f);
        ql::kernels::block_absmax(x.data(), n, block, got.data(), fromMemory);
        for (std::int64_t k = 0; k < nb; ++k) {
            const float want = ql::simd::absmax_finite(x.data() + k * block, std::min<std::int64_t>(block, n - k * block));
            if (!same_bits(got[static_cast<std::size_t>(k)], want))
                QFAIL(qPrintable(QString("block %1: %2, want %3").arg(k).arg(got[static_cast<std::size_t>(k)], 0, 'g', 9).arg(want, 0, 'g', 9)));
        }
    }

    // NF4's block absmax from an earlier quantizer of the tensor (the analysis keeps them per tensor and block
    // size): a quantizer given them quantizes as the reference does, and ignores ones of another block count.
    void nf4GivenBlockAbsmax_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::newRow("nf4 block 64, not whole blocks") << cfg(Format::NF4, 64) << std::vector<std::int64_t>{37, 101};
        QTest::newRow("nf4_dq block 64, not whole blocks") << cfg(Format::NF4_DQ, 64) << std::vector<std::int64_t>{37, 101};
        QTest::newRow("nf4_dq block 4096, not whole blocks") << cfg(Format::NF4_DQ, 4096) << std::vector<std::int64_t>{9, 1000};
    }
    void nf4GivenBlockAbsmax() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        const Tensor t = make_tensor(shape, 4, 31);  // NaN and +-Inf in the first block
        const std::int64_t n = t.numel(), block = config.block_size;
        std::vector<std::int8_t> ref_codes;
        ql::QuantParams ref_params;
        const std::vector<float> ref = ql::quantize_format_ref(t, config, &ref_codes, &ref_params);
        // every value through run(), and the parameters, against the reference
        auto check = [&](const ql::Quantizer& q) {
            std::vector<float> dq(static_cast<std::size_t>(n));
            std::vector<std::int8_t> codes(dq.size());
            q.run(0, n, dq.data(), codes.data());
            for (std::size_t i = 0; i < ref.size(); ++i)
                if (!same_value(dq[i], ref[i]) || codes[i] != ref_codes[i])
                    QFAIL(qPrintable(QString("value %1: %2 (code %3), reference %4 (code %5)").arg(i).arg(dq[i], 0, 'g', 9).arg(codes[i])
                                         .arg(ref[i], 0, 'g', 9).arg(ref_codes[i])));
            const ql::QuantParams p = q.params();
            QCOMPARE(p.scales.size(), ref_params.scales.size());
            for (std::size_t b = 0; b < p.scales.size(); ++b) QVERIFY(same_bits(p.scales[b], ref_params.scales[b]));
        };

        QuantConfig dq_config = config;
        dq_config.format = Format::NF4_DQ;
        auto source = ql::make_quantizer(dq_config);
        QVERIFY(source->prepare(t));
        const auto absmax = ql::nf4_block_absmax(*source);
        QVERIFY(absmax);
        QCOMPARE(absmax->size(), static_cast<std::size_t>((n + block - 1) / block));
        for (std::size_t b = 0; b < absmax->size(); ++b) {
            const std::int64_t b0 = static_cast<std::int64_t>(b) * block;
            QVERIFY(same_bits((*absmax)[b], ql::simd::absmax_finite(t.data() + b0, std::min(block, n - b0))));
        }

        auto given = ql::make_quantizer(config);
        QVERIFY(ql::set_nf4_block_absmax(*given, absmax));
        QVERIFY(given->prepare(t));
        QCOMPARE(ql::nf4_block_absmax(*given), absmax);  // used, not read again
        check(*given);
        if (QTest::currentTestFailed()) return;

        // absmax of blocks half as long: twice as many entries, not this block size's
        QuantConfig halves = dq_config;
        halves.block_size = static_cast<int>(block / 2);
        auto other = ql::make_quantizer(halves);
        QVERIFY(other->prepare(t));
        auto wrong = ql::make_quantizer(config);
        QVERIFY(ql::set_nf4_block_absmax(*wrong, ql::nf4_block_absmax(*other)));
        QVERIFY(wrong->prepare(t));
        check(*wrong);
        if (QTest::currentTestFailed()) return;
        QVERIFY(ql::nf4_block_absmax(*wrong) != ql::nf4_block_absmax(*other));

        // other formats take none
        auto q8 = ql::make_quantizer(cfg(Format::Q8_0));
        QVERIFY(!ql::set_nf4_block_absmax(*q8, absmax));
        QVERIFY(q8->prepare(t));
        QVERIFY(!ql::nf4_block_absmax(*q8));
    }

    void invalidConfigurations_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<QString>("message");
        QTest::newRow("NF4 block 48") << cfg(Format::NF4, 48) << "power of two in 32..4096";
        QTest::newRow("NF4 block 8192") << cfg(Format::NF4, 8192) << "power of two in 32..4096";
        QTest::newRow("MXFP4 block 16") << cfg(Format::MXFP4, 16) << "blocks of 32 values";
        QTest::newRow("NVFP4 block 32") << cfg(Format::NVFP4, 32) << "blocks of 16 values";
        QTest::newRow("Q4_K block 32") << cfg(Format::Q4_K, 32) << "blocks of 256 values";
        QTest::newRow("FP8 axis 2 of a 2-D tensor") << cfg(Format::FP8_E4M3, 0, ql::Granularity::PerChannel, 2) << "axis 2 out of range";
    }
    void invalidConfigurations() {
        QFETCH(QuantConfig, config);
        QFETCH(QString, message);
        const std::string why = ql::validate(config, {8, 64});
        QVERIFY2(QString::fromStdString(why).contains(message), why.c_str());
    }
};

QTEST_APPLESS_MAIN(TestFormatsQuantizer)
#include "test_formats_quantizer.moc"
