// Integer quantization: PyTorch-convention golden values, the optimised path against the scalar
// reference bit for bit, storage sizes, and the edge cases (empty, constant, NaN/Inf, odd groups).
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "core/int_quantizer.h"
#include "core/quantizer.h"
#include "core/rng.h"
#include "core/simd_kernels.h"

using ql::Granularity;
using ql::QuantConfig;
using ql::Scheme;
using ql::Tensor;

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<int>)
Q_DECLARE_METATYPE(std::vector<std::int64_t>)
Q_DECLARE_METATYPE(ql::QuantConfig)

namespace {

QuantConfig cfg(int bits, Scheme s, Granularity g = Granularity::PerTensor, int axis = 0, int group = 128,
                ql::ScaleType st = ql::ScaleType::Auto) {
    QuantConfig c;
    c.bits = bits;
    c.scheme = s;
    c.granularity = g;
    c.axis = axis;
    c.group_size = group;
    c.scale_type = st;
    return c;
}

Tensor tensor_of(std::vector<std::int64_t> shape, std::vector<float> v) {
    Tensor t("t", std::move(shape));
    t.values = std::move(v);
    return t;
}

Tensor random_tensor(std::vector<std::int64_t> shape, std::uint64_t seed, float scale = 1.0f) {
    Tensor t("r", std::move(shape));
    ql::Rng rng(seed);
    for (auto& v : t.values) v = static_cast<float>(rng.normal()) * scale;
    return t;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

} // namespace

class TestIntQuant : public QObject {
    Q_OBJECT
private slots:
    // Golden values derived independently: a float32 emulation of PyTorch's MinMax observer and
    // fake_quantize_per_tensor_affine in Python (inputs and each product/quotient rounded to float32
    // with struct.pack('f'), round() = half to even), not by this code.
    void pytorchGolden_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("symmetric");
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<float>("scale");
        QTest::addColumn<int>("zero");
        QTest::addColumn<std::vector<int>>("codes");
        QTest::addColumn<std::vector<float>>("dq");
        const std::vector<float> x{-1.0f, 0.0f, 0.5f, 2.0f};
        QTest::newRow("int8 asym") << 8 << false << x << 0.0117647061124444f << -43 << std::vector<int>{-128, -43, -1, 127}
                                   << std::vector<float>{-1.0f, 0.0f, 0.4941176474094391f, 2.0f};
        QTest::newRow("int8 sym restricted range") << 8 << true << x << 0.015748031437397003f << 0 << std::vector<int>{-64, 0, 32, 127}
                                                   << std::vector<float>{-1.0078740119934082f, 0.0f, 0.5039370059967041f, 2.0f};
        QTest::newRow("int4 asym") << 4 << false << x << 0.20000000298023224f << -3 << std::vector<int>{-8, -3, -1, 7}
                                   << std::vector<float>{-1.0f, 0.0f, 0.4000000059604645f, 2.0f};
        QTest::newRow("int4 sym") << 4 << true << x << 0.2857142984867096f << 0 << std::vector<int>{-3, 0, 2, 7}
                                  << std::vector<float>{-0.8571429252624512f, 0.0f, 0.5714285969734192f, 2.0f};
        QTest::newRow("int4 asym all positive: range widened to 0")
            << 4 << false << std::vector<float>{0.3f, 0.7f, 1.1f, 2.5f} << 0.1666666716337204f << -8 << std::vector<int>{-6, -4, -1, 7}
            << std::vector<float>{0.3333333432674408f, 0.6666666865348816f, 1.1666667461395264f, 2.5f};
        QTest::newRow("int3 sym") << 3 << true << std::vector<float>{-0.9f, -0.1f, 0.25f, 0.2f} << 0.29999998211860657f << 0
                                  << std::vector<int>{-3, 0, 1, 1}
                                  << std::vector<float>{-0.8999999761581421f, 0.0f, 0.29999998211860657f, 0.29999998211860657f};
        QTest::newRow("int2 asym") << 2 << false << std::vector<float>{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f}
                                   << 0.23333333432674408f << -2 << std::vector<int>{-2, -1, -1, 0, 0, 1, 1}
                                   << std::vector<float>{0.0f, 0.23333333432674408f, 0.23333333432674408f, 0.46666666865348816f,
                                                         0.46666666865348816f, 0.699999988079071f, 0.699999988079071f};
        // amax 127 at 8 bits sym gives scale 1: x = k + 0.5 shows rounding half to even
        QTest::newRow("ties to even") << 8 << true << std::vector<float>{0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 127.0f, -127.0f} << 1.0f << 0
                                      << std::vector<int>{0, 2, 2, 0, -2, 127, -127}
                                      << std::vector<float>{0.0f, 2.0f, 2.0f, 0.0f, -2.0f, 127.0f, -127.0f};
    }
    void pytorchGolden() {
        QFETCH(int, bits);
        QFETCH(bool, symmetric);
        QFETCH(std::vector<float>, x);
        QFETCH(float, scale);
        QFETCH(int, zero);
        QFETCH(std::vector<int>, codes);
        QFETCH(std::vector<float>, dq);
        const Tensor t = tensor_of({static_cast<std::int64_t>(x.size())}, x);
        const QuantConfig c = cfg(bits, symmetric ? Scheme::Symmetric : Scheme::Asymmetric);
        const ql::QuantizedTensor q = ql::quantize(t, c);
        QCOMPARE(q.params.scales.size(), std::size_t(1));
        QVERIFY(same_bits(q.params.scales[0], scale));
        if (!symmetric) QCOMPARE(q.params.zero_points.at(0), zero);
        for (std::size_t i = 0; i < x.size(); ++i) {
            QCOMPARE(int(q.codes[i]), codes[i]);
            QVERIFY2(same_bits(q.dequantized.values[i], dq[i]),
                     qPrintable(QString("value %1: got %2, expected %3").arg(i).arg(q.dequantized.values[i], 0, 'g', 9).arg(dq[i], 0, 'g', 9)));
        }
    }

    // Per-channel (axis 0 and axis 1) and per-group with an fp16 scale and a short last group,
    // derived with the same independent emulation (fp16 rounding with struct.pack('e')).
    void slicedGolden_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<std::vector<float>>("scales");
        QTest::addColumn<std::vector<float>>("dq");
        QTest::newRow("per-channel axis 0 sym8")
            << cfg(8, Scheme::Symmetric, Granularity::PerChannel, 0) << std::vector<std::int64_t>{2, 2}
            << std::vector<float>{-1.0f, 2.0f, 0.5f, 4.0f} << std::vector<float>{0.015748031437397003f, 0.031496062874794006f}
            << std::vector<float>{-1.0078740119934082f, 2.0f, 0.5039370059967041f, 4.0f};
        QTest::newRow("per-channel axis 1 asym4")
            << cfg(4, Scheme::Asymmetric, Granularity::PerChannel, 1) << std::vector<std::int64_t>{2, 2}
            << std::vector<float>{-1.0f, 2.0f, 0.5f, 4.0f} << std::vector<float>{0.10000000149011612f, 0.2666666805744171f}
            << std::vector<float>{-1.0f, 1.8666667938232422f, 0.5f, 4.0f};
        QTest::newRow("per-group 3, fp16 scale, short last group")
            << cfg(4, Scheme::Symmetric, Granularity::PerGroup, 0, 3) << std::vector<std::int64_t>{1, 5}
            << std::vector<float>{0.1f, -0.4f, 0.25f, 1.0f, 3.0f} << std::vector<float>{0.05712890625f, 0.428466796875f}
            << std::vector<float>{0.1142578125f, -0.39990234375f, 0.228515625f, 0.85693359375f, 2.999267578125f};
    }
    void slicedGolden() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(std::vector<float>, x);
        QFETCH(std::vector<float>, scales);
        QFETCH(std::vector<float>, dq);
        const ql::QuantizedTensor q = ql::quantize(tensor_of(shape, x), config);
        QCOMPARE(q.params.scales.size(), scales.size());
        for (std::size_t i = 0; i < scales.size(); ++i) QVERIFY(same_bits(q.params.scales[i], scales[i]));
        for (std::size_t i = 0; i < dq.size(); ++i)
            QVERIFY2(same_bits(q.dequantized.values[i], dq[i]),
                     qPrintable(QString("value %1: got %2, expected %3").arg(i).arg(q.dequantized.values[i], 0, 'g', 9).arg(dq[i], 0, 'g', 9)));
    }

    // The vectorised quantizer equals the plain scalar reference, bit for bit, everywhere.
    void optimizedMatchesReference_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        const std::vector<std::vector<std::int64_t>> shapes{{1000}, {37, 100}, {64, 130}, {4, 3, 5, 7}, {3, 1}};
        for (int bits = 2; bits <= 8; ++bits)
            for (Scheme s : {Scheme::Symmetric, Scheme::Asymmetric})
                for (const auto& shape : shapes) {
                    const QString sh = QString::fromStdString(Tensor("", shape).shape_string());
                    const char* sn = s == Scheme::Symmetric ? "sym" : "asym";
                    QTest::newRow(qPrintable(QString("int%1 %2 tensor %3").arg(bits).arg(sn).arg(sh))) << cfg(bits, s) << shape;
                    for (int axis = 0; axis < static_cast<int>(shape.size()); ++axis)
                        QTest::newRow(qPrintable(QString("int%1 %2 channel axis %3 %4").arg(bits).arg(sn).arg(axis).arg(sh)))
                            << cfg(bits, s, Granularity::PerChannel, axis) << shape;
                    for (int g : {32, 100, 128})
                        QTest::newRow(qPrintable(QString("int%1 %2 group %3 %4").arg(bits).arg(sn).arg(g).arg(sh)))
                            << cfg(bits, s, Granularity::PerGroup, 0, g) << shape;
                }
    }
    void optimizedMatchesReference() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        Tensor t = random_tensor(shape, 1234 + static_cast<std::uint64_t>(config.bits), 3.0f);
        if (t.values.size() > 10) t.values[7] = 25.0f;  // an outlier
        std::vector<std::int8_t> ref_codes;
        ql::QuantParams ref_params;
        const std::vector<float> ref = ql::quantize_int_ref(t, config, &ref_codes, &ref_params);
        const ql::QuantizedTensor q = ql::quantize(t, config);
        QCOMPARE(q.codes.size(), ref_codes.size());
        for (std::size_t i = 0; i < ref.size(); ++i) {
            if (!same_bits(q.dequantized.values[i], ref[i]) || q.codes[i] != ref_codes[i])
                QFAIL(qPrintable(QString("element %1: got %2 (code %3), reference %4 (code %5)")
                                     .arg(i).arg(q.dequantized.values[i], 0, 'g', 9).arg(int(q.codes[i]))
                                     .arg(ref[i], 0, 'g', 9).arg(int(ref_codes[i]))));
        }
        QCOMPARE(q.params.scales, ref_params.scales);
        QCOMPARE(q.params.zero_points, ref_params.zero_points);
        // every code inside the scheme's range
        const ql::IntRange r = ql::int_code_range(config.bits, config.scheme == Scheme::Symmetric);
        for (auto c : q.codes) QVERIFY(c >= r.qmin && c <= r.qmax);
    }

    // The vectorised slice parameters (simd::int_slice_params) against int_slice_params, bit for bit, on
    // ranges that reach every branch: empty slices (no finite value), zero and tiny ranges (the FLT_EPSILON
    // floor, fp16 subnormal scales), huge ranges (fp16 overflow to the largest half), one-signed ranges,
    // and random ones; 45 slices, so the last few take the scalar tail.
    void sliceParamsVectorised_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("symmetric");
        QTest::addColumn<bool>("f16");
        for (int bits : {2, 4, 8})
            for (bool sym : {false, true})
                for (bool f16 : {false, true})
                    QTest::newRow(qPrintable(QString("int%1 %2 %3").arg(bits).arg(sym ? "sym" : "asym").arg(f16 ? "fp16" : "fp32")))
                        << bits << sym << f16;
    }
    void sliceParamsVectorised() {
        QFETCH(int, bits);
        QFETCH(bool, symmetric);
        QFETCH(bool, f16);
        const float inf = std::numeric_limits<float>::infinity();
        std::vector<float> lo{inf, 1.0f, 0.0f, -0.0f, 3.0f, -1e-9f, 1e-30f, -2e-7f, -1e6f, -3e30f, 0.5f, -4.0f,
                              -1e-5f, 2e-6f, -7.0e4f, 1e4f};
        std::vector<float> hi{-inf, -1.0f, 0.0f, -0.0f, 3.0f, 1e-9f, 2e-30f, 1e-7f, 1e6f, 3e30f, 9.0f, -0.5f,
                              3e-5f, 5e-6f, 7.0e4f, 1e5f};
        ql::Rng rng(99);
        while (lo.size() < 45) {
            const float a = static_cast<float>(rng.normal()) * 3.0f, b = static_cast<float>(rng.normal()) * 3.0f;
            lo.push_back(std::min(a, b));
            hi.push_back(std::max(a, b));
        }
        std::vector<ql::IntParams> got(lo.size());
        ql::simd::int_slice_params(lo.data(), hi.data(), static_cast<std::int64_t>(lo.size()), bits, symmetric, f16, got.data());
        for (std::size_t k = 0; k < lo.size(); ++k) {
            float a = lo[k], b = hi[k];
            if (!(a <= b)) a = b = 0.0f;
            const ql::IntParams want = ql::int_slice_params(a, b, bits, symmetric, f16 ? ql::ScaleType::F16 : ql::ScaleType::F32);
            if (!same_bits(got[k].scale, want.scale) || !same_bits(got[k].inv_scale, want.inv_scale) ||
                got[k].zero_point != want.zero_point)
                QFAIL(qPrintable(QString("slice %1 [%2, %3]: got scale %4 inv %5 z %6, want %7 %8 %9")
                                     .arg(k).arg(lo[k], 0, 'g', 9).arg(hi[k], 0, 'g', 9)
                                     .arg(got[k].scale, 0, 'g', 9).arg(got[k].inv_scale, 0, 'g', 9).arg(got[k].zero_point)
                                     .arg(want.scale, 0, 'g', 9).arg(want.inv_scale, 0, 'g', 9).arg(want.zero_point)));
        }
    }

    // The vectorised output bounds (simd::int_output_bounds, which IntQuantizer::output_bounds() takes by
    // slice) against its scalar path slice by slice, exactly: slices whose values reach past their levels
    // (parameters from a range 0.7 times as wide: clipped values), empty slices, one-signed and random
    // ranges; 45 slices, so the last few take the scalar tail in the vector call too.
    void outputBoundsVectorised_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<bool>("symmetric");
        for (int bits : {2, 4, 8})
            for (bool sym : {false, true})
                QTest::newRow(qPrintable(QString("int%1 %2").arg(bits).arg(sym ? "sym" : "asym"))) << bits << sym;
    }
    void outputBoundsVectorised() {
        QFETCH(int, bits);
        QFETCH(bool, symmetric);
        const float inf = std::numeric_limits<float>::infinity();
        std::vector<float> lo{inf, 0.0f, 3.0f, -1e-9f, -1e6f, 0.5f, -4.0f, -7.0e4f}, hi{-inf, 0.0f, 3.0f, 1e-9f, 1e6f, 9.0f, -0.5f, 7.0e4f};
        ql::Rng rng(17);
        while (lo.size() < 45) {
            const float a = static_cast<float>(rng.normal()) * 3.0f, b = static_cast<float>(rng.normal()) * 3.0f;
            lo.push_back(std::min(a, b));
            hi.push_back(std::max(a, b));
        }
        const ql::IntRange rg = ql::int_code_range(bits, symmetric);
        std::vector<ql::IntParams> p;
        for (std::size_t k = 0; k < lo.size(); ++k) {
            const bool some = lo[k] <= hi[k];
            const float scale = (k % 3 == 0) ? 0.7f : 1.0f;  // every third slice reaches past its levels
            p.push_back(ql::int_slice_params(some ? lo[k] * scale : 0.0f, some ? hi[k] * scale : 0.0f, bits, symmetric, ql::ScaleType::F16));
        }
        // blocks of 8 slices (one vector, or the tail), so a block's largest bound is not always the
        // 1e6-wide slice's
        const auto n = static_cast<std::int64_t>(lo.size());
        bool clip_decides = false;
        for (std::int64_t b = 0; b < n; b += 8) {
            const std::int64_t len = std::min<std::int64_t>(8, n - b);
            float vlo = inf, vhi = -inf, verr = 0.0f;
            ql::simd::int_output_bounds(p.data() + b, lo.data() + b, hi.data() + b, len, rg.qmin, rg.qmax, vlo, vhi, verr);
            float slo = inf, shi = -inf, serr = 0.0f, half_step = 0.0f;
            for (std::int64_t k = b; k < b + len; ++k) {
                ql::simd::int_output_bounds(p.data() + k, lo.data() + k, hi.data() + k, 1, rg.qmin, rg.qmax, slo, shi, serr);
                half_step = std::max(half_step, 0.5f * p[static_cast<std::size_t>(k)].scale);
            }
            const QString at = QString("slices %1-%2: ").arg(b).arg(b + len - 1);
            QVERIFY2(same_bits(vlo, slo), qPrintable(at + QString("lowest level %1 vs %2").arg(vlo, 0, 'g', 9).arg(slo, 0, 'g', 9)));
            QVERIFY2(same_bits(vhi, shi), qPrintable(at + QString("highest level %1 vs %2").arg(vhi, 0, 'g', 9).arg(shi, 0, 'g', 9)));
            QVERIFY2(same_bits(verr, serr), qPrintable(at + QString("error bound %1 vs %2").arg(verr, 0, 'g', 9).arg(serr, 0, 'g', 9)));
            if (serr > 1.5f * half_step) clip_decides = true;
        }
        QVERIFY2(clip_decides, "in some block a clipped slice's reach, not a half step, gives the bound");
    }

    // The benchmarks' floors (core/simd_kernels.h): read_sum adds every value (against a double sum, up to
    // float rounding) and histogram_floor counts every value once, NaN and values beyond the range
    // included, for lengths around the vector width and the threads' shares.
    void benchFloorsCountEveryValue_data() {
        QTest::addColumn<qint64>("n");
        for (qint64 n : {0, 1, 7, 8, 9, 31, 1000, 4097, 100003}) QTest::newRow(qPrintable(QString("n = %1").arg(n))) << n;
    }
    void benchFloorsCountEveryValue() {
        QFETCH(qint64, n);
        constexpr double kSumTolerance = 1e-4;  // relative to the sum of |x|: float partial sums
        std::vector<float> x(static_cast<std::size_t>(n));
        ql::Rng rng(5);
        double sum = 0, abs_sum = 0;
        for (auto& v : x) {
            v = static_cast<float>(rng.normal()) * 3.0f;
            sum += v;
            abs_sum += std::fabs(v);
        }
        QVERIFY(std::fabs(ql::simd::read_sum(x.data(), n) - sum) <= kSumTolerance * std::max(abs_sum, 1.0));
        if (n > 3) {
            x[1] = std::numeric_limits<float>::quiet_NaN();
            x[2] = 1e30f;
            x[3] = -1e30f;
        }
        QCOMPARE(ql::simd::histogram_floor(x.data(), n, -2.0f, 2.0f, 10), static_cast<std::int64_t>(n));
    }

    // Slice ranges handed over from an earlier scan of the same tensor and slicing give the same
    // parameters as a scan; ranges that do not match the slicing are ignored, and handed-over ranges
    // are really used (doctored ones change the scales).
    void sliceRangesReused_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::newRow("int4 asym group 32") << cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 0, 32);
        QTest::newRow("int8 sym group 100") << cfg(8, Scheme::Symmetric, Granularity::PerGroup, 0, 100);
        QTest::newRow("int3 asym channel axis 0") << cfg(3, Scheme::Asymmetric, Granularity::PerChannel, 0);
        QTest::newRow("int6 sym channel axis 1") << cfg(6, Scheme::Symmetric, Granularity::PerChannel, 1);
    }
    void sliceRangesReused() {
        QFETCH(QuantConfig, config);
        const Tensor t = random_tensor({24, 200}, 77, 2.0f);
        ql::IntQuantizer scanned(config);
        QVERIFY(scanned.prepare(t));
        const auto ranges = scanned.slice_ranges();
        QVERIFY(ranges);
        QCOMPARE(static_cast<std::int64_t>(ranges->lo.size()), scanned.layout().slices);

        QuantConfig other_bits = config;
        other_bits.bits = config.bits == 8 ? 5 : config.bits + 1;
        ql::IntQuantizer fresh(other_bits), reused(other_bits);
        QVERIFY(fresh.prepare(t));
        reused.set_slice_ranges(ranges);
        QVERIFY(reused.prepare(t));
        QCOMPARE(reused.slice_ranges(), ranges);  // the very ranges handed over
        QCOMPARE(reused.slice_params().size(), fresh.slice_params().size());
        for (std::size_t s = 0; s < fresh.slice_params().size(); ++s) {
            QVERIFY(same_bits(reused.slice_params()[s].scale, fresh.slice_params()[s].scale));
            QCOMPARE(reused.slice_params()[s].zero_point, fresh.slice_params()[s].zero_point);
        }

        auto doctored = std::make_shared<ql::SliceRanges>(*ranges);
        for (auto& v : doctored->lo) v -= 10.0f;
        for (auto& v : doctored->hi) v += 10.0f;
        ql::IntQuantizer wide(other_bits);
        wide.set_slice_ranges(doctored);
        QVERIFY(wide.prepare(t));
        QVERIFY(wide.slice_params()[0].scale > 2 * fresh.slice_params()[0].scale);

        auto short_ranges = std::make_shared<ql::SliceRanges>(*doctored);
        short_ranges->lo.pop_back();
        short_ranges->hi.pop_back();
        ql::IntQuantizer mismatched(other_bits);
        mismatched.set_slice_ranges(short_ranges);
        QVERIFY(mismatched.prepare(t));
        QVERIFY(same_bits(mismatched.slice_params()[0].scale, fresh.slice_params()[0].scale));

        // handed-over ranges count for one prepare(): a second one scans again
        QVERIFY(wide.prepare(t));
        QVERIFY(same_bits(wide.slice_params()[0].scale, fresh.slice_params()[0].scale));
    }

    // Seed exercise: the codes are int8, and 4 bits lose more than 8 bits.
    void seedExercise() {
        static_assert(std::is_same_v<decltype(ql::QuantizedTensor::codes)::value_type, std::int8_t>, "codes are int8");
        const Tensor t = random_tensor({100, 100}, 42, 2.0f);
        const auto q8 = ql::quantize(t, cfg(8, Scheme::Asymmetric));
        const auto q4 = ql::quantize(t, cfg(4, Scheme::Asymmetric));
        double e8 = 0, e4 = 0;
        for (std::size_t i = 0; i < t.values.size(); ++i) {
            e8 += std::pow(t.values[i] - q8.dequantized.values[i], 2);
            e4 += std::pow(t.values[i] - q4.dequantized.values[i], 2);
        }
        QVERIFY(e4 >= e8);
        QVERIFY(e4 > 100 * e8);  // about 16^2 = 256 times the MSE: 4 fewer bits
    }

    void storage_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<double>("bits_per_weight");
        QTest::addColumn<qulonglong>("bytes");
        // INT4 + fp16 scale per 128 = 4 + 16/128 = 4.125 bits (the example)
        QTest::newRow("int4 sym g128 fp16") << cfg(4, Scheme::Symmetric, Granularity::PerGroup, 0, 128) << std::vector<std::int64_t>{256, 1024}
                                            << 4.125 << qulonglong(256 * 1024 * 4.125 / 8);
        // asymmetric adds a 4-bit zero point per group: 4 + 20/128
        QTest::newRow("int4 asym g128 fp16") << cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 0, 128) << std::vector<std::int64_t>{256, 1024}
                                             << 4.15625 << qulonglong(256 * 1024 * 4.15625 / 8);
        // per tensor: one fp32 scale and an 8-bit zero point for 1e6 weights
        QTest::newRow("int8 asym tensor") << cfg(8, Scheme::Asymmetric) << std::vector<std::int64_t>{1000, 1000}
                                          << 8.0 + 40.0 / 1e6 << qulonglong(1000000 + 5);
        // per channel: 1000 fp32 scales
        QTest::newRow("int8 sym channel") << cfg(8, Scheme::Symmetric, Granularity::PerChannel) << std::vector<std::int64_t>{1000, 1000}
                                          << 8.0 + 32.0 * 1000 / 1e6 << qulonglong(1000000 + 4000);
        // the last group of each row is shorter but still stores a full scale: 3 groups per 300 values
        QTest::newRow("int4 sym g128 short groups") << cfg(4, Scheme::Symmetric, Granularity::PerGroup, 0, 128) << std::vector<std::int64_t>{2, 300}
                                                    << 4.0 + 3.0 * 16 / 300 << qulonglong((600 * 4 + 6 * 16) / 8);
    }
    void storage() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(double, bits_per_weight);
        QFETCH(qulonglong, bytes);
        const auto q = ql::quantize(random_tensor(shape, 5), config);
        QCOMPARE(q.storage.bits_per_weight, bits_per_weight);
        QCOMPARE(qulonglong(q.storage.bytes), bytes);
    }

    void edgeCases_data() {
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<QuantConfig>("config");
        const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
        QTest::newRow("empty") << std::vector<std::int64_t>{0, 5} << std::vector<float>{} << cfg(8, Scheme::Asymmetric);
        QTest::newRow("one element") << std::vector<std::int64_t>{1} << std::vector<float>{3.0f} << cfg(4, Scheme::Asymmetric);
        QTest::newRow("constant") << std::vector<std::int64_t>{2, 3} << std::vector<float>(6, -1.5f) << cfg(4, Scheme::Symmetric);
        QTest::newRow("all zero") << std::vector<std::int64_t>{2, 3} << std::vector<float>(6, 0.0f) << cfg(8, Scheme::Asymmetric);
        QTest::newRow("all-zero row per channel") << std::vector<std::int64_t>{2, 3} << std::vector<float>{0, 0, 0, 1, -2, 3}
                                                  << cfg(4, Scheme::Asymmetric, Granularity::PerChannel);
        QTest::newRow("NaN and Inf") << std::vector<std::int64_t>{6} << std::vector<float>{1.0f, nan, -2.0f, inf, -inf, 0.5f}
                                     << cfg(8, Scheme::Asymmetric);
        QTest::newRow("group not dividing the row") << std::vector<std::int64_t>{3, 10} << std::vector<float>(30, 0.25f)
                                                    << cfg(4, Scheme::Symmetric, Granularity::PerGroup, 0, 4);
        QTest::newRow("4-D per channel axis 3") << std::vector<std::int64_t>{2, 2, 2, 3}
                                                << std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12}
                                                << cfg(6, Scheme::Asymmetric, Granularity::PerChannel, 3);
    }
    void edgeCases() {
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(std::vector<float>, x);
        QFETCH(QuantConfig, config);
        const Tensor t = tensor_of(shape, x);
        const auto q = ql::quantize(t, config);
        QCOMPARE(q.dequantized.values.size(), x.size());
        for (float s : q.params.scales) QVERIFY(std::isfinite(s) && s > 0);  // a zero range never divides by 0
        std::vector<std::int8_t> rc;
        const auto ref = ql::quantize_int_ref(t, config, &rc, nullptr);
        for (std::size_t i = 0; i < x.size(); ++i) {
            QVERIFY(same_bits(q.dequantized.values[i], ref[i]));
            if (std::isfinite(x[i])) {
                QVERIFY2(std::isfinite(q.dequantized.values[i]), "finite input gives a finite output");
            }
            if (std::isnan(x[i])) QCOMPARE(int(q.codes[i]), q.params.zero_points.empty() ? 0 : q.params.zero_points[0]);
        }
        // a constant or all-zero slice reproduces its values (0 exactly; a constant within half a step)
        if (!x.empty() && std::all_of(x.begin(), x.end(), [&](float v) { return v == x[0]; }))
            for (float v : q.dequantized.values) QVERIFY(std::fabs(v - x[0]) <= std::fabs(x[0]) / 2 + 1e-6f);
    }

    void invalidConfigs_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<QString>("message");
        QTest::newRow("9 bits") << cfg(9, Scheme::Symmetric) << "bits must be 2..8";
        QTest::newRow("1 bit") << cfg(1, Scheme::Symmetric) << "bits must be 2..8";
        QTest::newRow("axis out of range") << cfg(8, Scheme::Symmetric, Granularity::PerChannel, 2) << "axis 2 out of range";
        QTest::newRow("group 0") << cfg(8, Scheme::Symmetric, Granularity::PerGroup, 0, 0) << "group size must be at least 1";
    }
    void invalidConfigs() {
        QFETCH(QuantConfig, config);
        QFETCH(QString, message);
        try {
            (void)ql::quantize(random_tensor({4, 4}, 1), config);
            QFAIL("expected std::invalid_argument");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    // output_bounds() holds for every value: the dequantized values inside [dq_lo, dq_hi] and every
    // |dq - x| within err_abs, also where values are clipped (an fp16 scale rounded down leaves the
    // slice's maximum above its top level; a percentile range per tensor clips the tails). A bound that
    // does not hold costs the analysis a second pass over the tensor.
    void outputBoundsHold_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<bool>("clip_top");  // the first group built so its maximum is clipped
        QTest::newRow("int8 asym group 128, fp16 scales, top clipped") << cfg(8, Scheme::Asymmetric, Granularity::PerGroup, 0, 128) << true;
        QTest::newRow("int4 asym group 32, fp16 scales") << cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 0, 32) << false;
        QTest::newRow("int8 sym group 64, fp16 scales") << cfg(8, Scheme::Symmetric, Granularity::PerGroup, 0, 64) << false;
        QTest::newRow("int8 asym channel") << cfg(8, Scheme::Asymmetric, Granularity::PerChannel, 0) << false;
        QTest::newRow("int8 asym tensor, fp16 scale") << cfg(8, Scheme::Asymmetric, Granularity::PerTensor, 0, 128, ql::ScaleType::F16) << false;
        QuantConfig pct = cfg(8, Scheme::Asymmetric);
        pct.range = ql::RangeMethod::Percentile;
        QTest::newRow("int8 asym tensor, percentile range") << pct << false;
    }
    void outputBoundsHold() {
        QFETCH(QuantConfig, config);
        QFETCH(bool, clip_top);
        // with clip_top the other groups are small, so group 0's errors are the largest
        Tensor t = random_tensor({64, 512}, 77, clip_top ? 0.01f : 2.0f);
        if (!clip_top) {
            t.values[1000] = 40.0f;  // outliers
            t.values[9000] = -35.0f;
        } else {
            // group 0 spans [-1, top] evenly; top is chosen so the fp16 scale rounds down far enough that
            // top's code passes qmax and top lies more than half a step above the highest level
            const ql::IntRange r = ql::int_code_range(config.bits, false);
            float top = 0;
            for (int k = 0; k < 4000 && top == 0; ++k) {
                const float cand = 1.0f + static_cast<float>(k) * 0x1p-12f;
                const ql::IntParams p = ql::int_slice_params(-1.0f, cand, config.bits, false, ql::ScaleType::F16);
                if (cand - ql::int_dequantize(r.qmax, p) > 0.55f * p.scale) top = cand;
            }
            QVERIFY2(top > 0, "a group whose maximum lies more than half a step above its top level");
            for (int k = 0; k < config.group_size; ++k)
                t.values[static_cast<std::size_t>(k)] = -1.0f + (top + 1.0f) * static_cast<float>(k) / static_cast<float>(config.group_size - 1);
            t.values[static_cast<std::size_t>(config.group_size - 1)] = top;
        }
        const auto [mn, mx] = std::minmax_element(t.values.begin(), t.values.end());
        auto q = ql::make_quantizer(config);
        q->set_tensor_range(*mn, *mx);
        q->prepare(t);
        const auto b = q->output_bounds();
        QVERIFY(b.has_value());
        const auto n = static_cast<std::int64_t>(t.values.size());
        std::vector<float> dq(t.values.size());
        q->run(0, n, dq.data(), nullptr, nullptr);
        float worst = 0;
        for (std::size_t k = 0; k < dq.size(); ++k) {
            QVERIFY(dq[k] >= b->dq_lo && dq[k] <= b->dq_hi);
            worst = std::max(worst, std::fabs(dq[k] - t.values[k]));
        }
        QVERIFY2(worst <= b->err_abs, qPrintable(QString("largest error %1 above the bound %2").arg(worst, 0, 'g', 9).arg(b->err_abs, 0, 'g', 9)));
        // and not far above the largest error: the error histogram keeps its resolution
        QVERIFY2(b->err_abs <= worst * 1.25f, qPrintable(QString("bound %1 for a largest error of %2").arg(b->err_abs, 0, 'g', 9).arg(worst, 0, 'g', 9)));
    }

    // Levels of a slice: 2^b evenly spaced values (2^b - 1 when symmetric), one step = the scale.
    void levels() {
        const Tensor t = tensor_of({4}, {-1.0f, 0.0f, 0.5f, 2.0f});
        for (Scheme s : {Scheme::Symmetric, Scheme::Asymmetric}) {
            ql::IntQuantizer q(cfg(4, s));
            q.prepare(t);
            const auto lv = q.levels_at(0);
            QCOMPARE(int(lv.size()), s == Scheme::Symmetric ? 15 : 16);
            for (std::size_t k = 1; k < lv.size(); ++k) QCOMPARE(lv[k] - lv[k - 1], q.params().scales[0]);
            const auto b = q.output_bounds();
            QVERIFY(b.has_value());
            QCOMPARE(b->dq_lo, lv.front());
            QCOMPARE(b->dq_hi, lv.back());
        }
    }
};

QTEST_APPLESS_MAIN(TestIntQuant)
#include "test_int_quant.moc"
