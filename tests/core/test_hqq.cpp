// HQQ (half-quadratic quantization): the per-element math against the C library, the shrinkage operator
// on hand-worked values, the solver against an independent double-precision transcription of the hqq
// library's algorithm (start, round_zero, the 2e4 clamp, early stop with the zero of the stopping
// iteration), the quantizer's storage, levels, bounds and chunked runs, non-finite values, thread-count
// independence and the configuration rules.
#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/format_quantizers.h"
#include "core/half.h"
#include "core/hqq.h"
#include "core/hqq_math.h"
#include "core/quantizer.h"
#include "core/rng.h"

namespace {

constexpr double kPowTol = 1e-6;        // relative error of pow_neg against std::pow for |e log2 a| <= 6 (weights' errors at p 0.7)
constexpr double kPowTolWide = 1e-5;    // the same over 1e-20..1e20 (the float exponent's own rounding grows with |e log2 a|)
constexpr double kZeroTol = 1e-3;       // final zero points, in code units, float solver vs double transcription ...
constexpr double kZeroShare = 0.98;     // ... for this share of the groups; the rest ...
constexpr double kZeroFlipTol = 0.06;   // ... within a few codes that rounded the other way in some iteration (1/64 each at g64)
constexpr double kErrorTol = 1e-4;      // relative difference of each iteration's mean |x - W_r|
constexpr double kCodeAgreement = 0.995;  // share of codes equal to the double transcription's

std::vector<float> normal_values(std::int64_t n, double std, std::uint64_t seed) {
    ql::Rng r(seed);
    std::vector<float> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = static_cast<float>(std * r.normal());
    return v;
}

// The hqq library's Quantizer.quantize(optimize=True, axis=1) with optimize_weights_proximal_legacy,
// written out again in double precision: groups of `group` consecutive values (the last may be shorter).
struct DoubleHqq {
    std::vector<double> scale_inv, zero;
    std::vector<double> errors;
    int iterations = 0;
};

DoubleHqq double_hqq(const std::vector<float>& x, int bits, std::int64_t group) {
    const auto n = static_cast<std::int64_t>(x.size());
    const std::int64_t ng = (n + group - 1) / group;
    const double qmax = (1 << bits) - 1;
    DoubleHqq h;
    for (std::int64_t g = 0; g < ng; ++g) {
        const auto b = x.begin() + g * group, e = x.begin() + std::min(n, (g + 1) * group);
        const double lo = *std::min_element(b, e), hi = *std::max_element(b, e);
        const double si = std::min(qmax / (hi - lo), 2e4);
        double z = -lo * si;
        if (bits == 4) z = std::nearbyint(z);
        h.scale_inv.push_back(si);
        h.zero.push_back(z);
    }
    double beta = 10.0, best = 1e4;
    for (int it = 0; it < 20; ++it) {
        double err = 0.0;
        for (std::int64_t g = 0; g < ng; ++g) {
            const double si = h.scale_inv[static_cast<std::size_t>(g)], z = h.zero[static_cast<std::size_t>(g)];
            double zs = 0.0;
            const std::int64_t len = std::min(group, n - g * group);
            for (std::int64_t i = g * group; i < g * group + len; ++i) {
                const double xv = x[static_cast<std::size_t>(i)];
                const double q = std::clamp(std::nearbyint(xv * si + z), 0.0, qmax);
                const double d = xv - (q - z) / si;
                const double a = std::fabs(d);
                const double t = a > 0.0 ? a - (1.0 / beta) * std::pow(a, 0.7 - 1.0) : 0.0;
                const double we = std::copysign(std::max(t, 0.0), d);
                zs += q - (xv - we) * si;
                err += a;
            }
            h.zero[static_cast<std::size_t>(g)] = zs / static_cast<double>(len);
        }
        beta *= 1.01;
        const double cur = err / static_cast<double>(n);
        h.errors.push_back(cur);
        h.iterations = it + 1;
        if (cur < best) best = cur;
        else break;
    }
    return h;
}

ql::QuantConfig hqq_config(int bits, int group) {
    ql::QuantConfig c;
    c.format = ql::Format::HQQ;
    c.bits = bits;
    c.block_size = group;
    return c;
}

} // namespace

class TestHqq : public QObject {
    Q_OBJECT
private slots:
    void roundEvenIsRint_data() {
        QTest::addColumn<float>("v");
        for (float v : {0.5f, 1.5f, 2.5f, -0.5f, -2.5f, -0.4f, 0.49999997f, 3.7f, -3.7f, 8388607.5f, 8388608.0f, 8388609.0f, 16777218.0f,
                        1e30f, -1e30f, 0.0f, -0.0f})
            QTest::addRow("%g", static_cast<double>(v)) << v;
    }
    void roundEvenIsRint() {
        QFETCH(float, v);
        const float r = ql::hqq::round_even(v), e = std::nearbyint(v);
        QCOMPARE(r, e);
        QCOMPARE(std::signbit(r), std::signbit(e));
    }
    void roundEvenKeepsNonFinite() {
        QVERIFY(std::isnan(ql::hqq::round_even(std::numeric_limits<float>::quiet_NaN())));
        QCOMPARE(ql::hqq::round_even(std::numeric_limits<float>::infinity()), std::numeric_limits<float>::infinity());
    }

    // code() rounds with the two-operation form, which is exact below 2^22 and clamps like rint beyond.
    void codeIsClampedRint_data() {
        QTest::addColumn<float>("v");
        for (float v : {0.5f, 1.5f, 2.5f, 14.5f, 15.5f, -0.5f, -0.4f, 255.5f, 4194303.5f, 4194304.0f, 6291457.0f, 8388609.0f, 1.3e7f, 3e7f,
                        1e30f, -4194305.0f, -1.3e7f, -3e7f, -1e30f})
            QTest::addRow("%g", static_cast<double>(v)) << v;
    }
    void codeIsClampedRint() {
        QFETCH(float, v);
        for (float qmax : {3.0f, 15.0f, 255.0f}) {
            const float want = std::clamp(std::nearbyint(v), 0.0f, qmax);
            QCOMPARE(ql::hqq::code(v, 1.0f, 0.0f, qmax), want);
        }
    }

    void powMatchesStd_data() {
        QTest::addColumn<double>("e");
        QTest::newRow("p 0.7 (HQQ's)") << -0.3;
        QTest::newRow("p 0.5") << -0.5;
        QTest::newRow("p 0.1") << -0.9;
    }
    void powMatchesStd() {
        QFETCH(double, e);
        double worst = 0.0, worst_wide = 0.0;
        for (double a = 1e-20; a < 1e20; a *= 1.0137) {  // every binade, mantissas spread over [1, 2)
            const auto af = static_cast<float>(a);
            const double want = std::pow(static_cast<double>(af), e);
            const double rel = std::fabs(ql::hqq::pow_neg(af, static_cast<float>(e)) - want) / want;
            worst_wide = std::max(worst_wide, rel);
            if (std::fabs(e * std::log2(a)) <= 6.0) worst = std::max(worst, rel);
        }
        QVERIFY2(worst < kPowTol, qPrintable(QString::number(worst)));
        QVERIFY2(worst_wide < kPowTolWide, qPrintable(QString::number(worst_wide)));
        // 0 and subnormals take the power of 1e-30: far above any threshold the solver compares with
        QVERIFY(ql::hqq::pow_neg(0.0f, static_cast<float>(e)) >= 1e6f);
        QVERIFY(ql::hqq::pow_neg(1e-40f, static_cast<float>(e)) >= 1e6f);
    }

    void shrinkOperator_data() {
        QTest::addColumn<float>("d");
        QTest::addColumn<float>("invBeta");
        QTest::addColumn<float>("want");
        // sign(d) max(|d| - (1/beta) |d|^-0.3, 0): |d| = 1 leaves 1 - 1/beta
        QTest::newRow("1, beta 10") << 1.0f << 0.1f << 0.9f;
        QTest::newRow("-1, beta 10") << -1.0f << 0.1f << -0.9f;
        QTest::newRow("2, beta 4") << 2.0f << 0.25f << static_cast<float>(2.0 - 0.25 * std::pow(2.0, -0.3));
        QTest::newRow("below the threshold") << 0.1f << 0.1f << 0.0f;  // 0.1^1.3 = 0.05 < 0.1
        QTest::newRow("0") << 0.0f << 0.1f << 0.0f;
    }
    void shrinkOperator() {
        QFETCH(float, d);
        QFETCH(float, invBeta);
        QFETCH(float, want);
        const float got = ql::hqq::shrink(d, invBeta, -0.3f);
        QVERIFY2(std::fabs(got - want) <= 1e-6f * std::max(1.0f, std::fabs(want)), qPrintable(QString::number(static_cast<double>(got))));
    }

    void solverFollowsTheLibrary_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group");
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("std");
        QTest::addColumn<int>("iterations");  // -1: not checked
        QTest::newRow("INT4 g64 (round_zero)") << 4 << 64 << 64 * 300 << 2.0 << 20;
        QTest::newRow("INT3 g64") << 3 << 64 << 64 * 300 << 2.0 << 20;
        QTest::newRow("INT2 g128") << 2 << 128 << 128 * 150 << 0.02 << 20;
        QTest::newRow("INT8 g32") << 8 << 32 << 32 * 400 << 1.0 << -1;
        QTest::newRow("INT4 g8, short last group") << 4 << 8 << 8 * 500 + 5 << 1.0 << -1;
        // errors above the library's starting best (1e4) stop it at once, with the zero already updated
        QTest::newRow("errors above 1e4 stop at once") << 4 << 64 << 64 * 50 << 1e6 << 1;
    }
    void solverFollowsTheLibrary() {
        QFETCH(int, bits);
        QFETCH(int, group);
        QFETCH(int, n);
        QFETCH(double, std);
        QFETCH(int, iterations);
        const std::vector<float> x = normal_values(n, std, 99);
        const ql::HqqSolution s = ql::hqq_solve(x.data(), n, bits, group);
        const DoubleHqq d = double_hqq(x, bits, group);
        QCOMPARE(s.iterations, d.iterations);
        if (iterations >= 0) QCOMPARE(s.iterations, iterations);
        for (int i = 0; i < s.iterations; ++i) {
            const double a = s.errors[static_cast<std::size_t>(i)], b = d.errors[static_cast<std::size_t>(i)];
            QVERIFY2(std::fabs(a - b) <= kErrorTol * b, qPrintable(QStringLiteral("iteration %1: %2 vs %3").arg(i).arg(a).arg(b)));
        }
        if (s.iterations > 1) QVERIFY(s.errors.back() < s.errors.front());  // the solver lowers the error
        std::size_t close = 0;
        for (std::size_t g = 0; g < d.zero.size(); ++g) {
            const double diff = std::fabs(s.zero[g] - d.zero[g]);
            close += diff <= kZeroTol ? 1 : 0;
            QVERIFY2(diff <= kZeroFlipTol, qPrintable(QStringLiteral("group %1: %2 vs %3").arg(g).arg(s.zero[g]).arg(d.zero[g])));
        }
        QVERIFY2(static_cast<double>(close) >= kZeroShare * static_cast<double>(d.zero.size()),
                 qPrintable(QStringLiteral("%1 of %2 zero points agree").arg(close).arg(d.zero.size())));
        // the codes from the final zero
        std::vector<float> dq(x.size());
        std::vector<std::int8_t> codes(x.size());
        ql::hqq_apply(s, x.data(), 0, n, dq.data(), codes.data(), nullptr);
        std::int64_t same = 0;
        const double qmax = (1 << bits) - 1;
        for (std::int64_t i = 0; i < n; ++i) {
            const auto g = static_cast<std::size_t>(i / group);
            const double q = std::clamp(std::nearbyint(x[static_cast<std::size_t>(i)] * d.scale_inv[g] + d.zero[g]), 0.0, qmax);
            same += static_cast<int>(q) - (1 << (bits - 1)) == codes[static_cast<std::size_t>(i)] ? 1 : 0;
        }
        QVERIFY2(static_cast<double>(same) >= kCodeAgreement * n, qPrintable(QStringLiteral("%1 of %2 codes agree").arg(same).arg(n)));
    }

    // The library stops at the first iteration whose error is not below the best, and keeps the zero
    // that iteration computed: one update more than the last improving iteration left.
    void earlyStopKeepsTheStoppingIterationsZero() {
        const std::vector<float> x = normal_values(256, 1.0, 99);  // stops after 11 of 20 iterations
        const ql::HqqSolution s = ql::hqq_solve(x.data(), 256, 3, 64);
        QVERIFY(s.iterations > 1 && s.iterations < 20);
        QVERIFY(!(s.errors.back() < s.errors[s.errors.size() - 2]));
        ql::HqqOptions upto;
        upto.iters = s.iterations;
        QVERIFY(ql::hqq_solve(x.data(), 256, 3, 64, upto).zero == s.zero);
        upto.iters = s.iterations - 1;
        QVERIFY(ql::hqq_solve(x.data(), 256, 3, 64, upto).zero != s.zero);
    }

    // Where every error of 16 values is below the shrinkage's threshold the solver leaves the power out;
    // the zero points must be the same floats as with the power taken everywhere.
    void shortcutChangesNothing_data() {
        QTest::addColumn<double>("std");
        QTest::newRow("errors all below the threshold (LLM-sized weights)") << 0.02;
        QTest::newRow("errors around it") << 0.3;
        QTest::newRow("errors above it") << 2.0;
    }
    void shortcutChangesNothing() {
        QFETCH(double, std);
        const std::vector<float> x = normal_values(64 * 512, std, 21);
        ql::HqqOptions full;
        full.shortcut = false;
        for (int bits : {2, 4, 8}) {
            const ql::HqqSolution a = ql::hqq_solve(x.data(), 64 * 512, bits, 64), b = ql::hqq_solve(x.data(), 64 * 512, bits, 64, full);
            QCOMPARE(a.iterations, b.iterations);
            QVERIFY(a.zero == b.zero);
            QVERIFY(a.errors == b.errors);
        }
    }

    void solverIsTheSameOnAnyThreadCount() {
        const std::vector<float> x = normal_values(64 * 4096 + 17, 1.0, 5);
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const ql::HqqSolution one = ql::hqq_solve(x.data(), static_cast<std::int64_t>(x.size()), 4, 64);
        omp_set_num_threads(std::max(2, before));
        const ql::HqqSolution many = ql::hqq_solve(x.data(), static_cast<std::int64_t>(x.size()), 4, 64);
        omp_set_num_threads(before);
        QCOMPARE(one.iterations, many.iterations);
        QVERIFY(one.zero == many.zero);
        QVERIFY(one.errors == many.errors);
    }

    void quantizer_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("group");
        QTest::addColumn<double>("bitsPerWeight");  // b + 32 / group: fp16 scale and zero per group
        QTest::newRow("INT4 g64") << 4 << 0 << 4.5;
        QTest::newRow("INT3 g64") << 3 << 64 << 3.5;
        QTest::newRow("INT4 g128") << 4 << 128 << 4.25;
        QTest::newRow("INT8 g32") << 8 << 32 << 9.0;
    }
    void quantizer() {
        QFETCH(int, bits);
        QFETCH(int, group);
        QFETCH(double, bitsPerWeight);
        ql::Tensor t;
        t.shape = {96, 256};
        t.values = normal_values(96 * 256, 1.5, 11);
        auto q = ql::make_quantizer(hqq_config(bits, group));
        QVERIFY(q->prepare(t));
        QCOMPARE(q->storage().bits_per_weight, bitsPerWeight);
        const std::int64_t n = t.numel(), g = group > 0 ? group : ql::kHqqDefaultGroup;
        QCOMPARE(q->granule(), g);
        // whole tensor at once vs chunks starting on group boundaries
        std::vector<float> whole(static_cast<std::size_t>(n)), parts(whole.size());
        std::vector<std::int8_t> cw(whole.size()), cp(whole.size());
        std::uint64_t clipped_whole = 0, clipped_parts = 0;
        q->run(0, n, whole.data(), cw.data(), &clipped_whole);
        for (std::int64_t b = 0; b < n; b += 3 * g) {
            const std::int64_t e = std::min(n, b + 3 * g);
            q->run(b, e, parts.data() + b, cp.data() + b, &clipped_parts);
        }
        QVERIFY(whole == parts);
        QVERIFY(cw == cp);
        QCOMPARE(clipped_whole, clipped_parts);
        // every value is one of its group's levels, and the bounds hold
        const auto bounds = q->output_bounds();
        QVERIFY(bounds.has_value());
        for (std::int64_t i = 0; i < n; i += 37) {
            const std::vector<float> lv = q->levels_at(i);
            QVERIFY(static_cast<int>(lv.size()) <= (1 << bits));
            QVERIFY(std::is_sorted(lv.begin(), lv.end()));
            QVERIFY(std::binary_search(lv.begin(), lv.end(), whole[static_cast<std::size_t>(i)]));
        }
        const float qmax = static_cast<float>((1 << bits) - 1);
        for (std::int64_t i = 0; i < n; ++i) {
            const float y = whole[static_cast<std::size_t>(i)];
            QVERIFY(y >= bounds->dq_lo && y <= bounds->dq_hi);
            const int code = cw[static_cast<std::size_t>(i)] + (1 << (bits - 1));
            QVERIFY(code >= 0 && code <= static_cast<int>(qmax));
            if (code > 0 && code < static_cast<int>(qmax))  // clipped values may lie beyond
                QVERIFY(std::fabs(y - t.values[static_cast<std::size_t>(i)]) <= bounds->err_abs);
        }
        QCOMPARE(q->params().scales.size(), static_cast<std::size_t>((n + g - 1) / g));
        QCOMPARE(q->params().zero_values.size(), q->params().scales.size());
    }

    // Dequantized values are what the library's fp16 dequantizer gives: fp16(fp16(q - zero) * scale).
    void dequantizedAsFp16() {
        const std::vector<float> x = normal_values(64 * 20, 1.0, 3);
        const ql::HqqSolution s = ql::hqq_solve(x.data(), static_cast<std::int64_t>(x.size()), 4, 64);
        std::vector<float> dq(x.size());
        std::vector<std::int8_t> codes(x.size());
        ql::hqq_apply(s, x.data(), 0, static_cast<std::int64_t>(x.size()), dq.data(), codes.data(), nullptr);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const std::size_t g = i / 64;
            QVERIFY(s.scale[g] == ql::round_to_half(1.0f / s.scale_inv[g]));
            QVERIFY(s.zero16[g] == ql::round_to_half(s.zero[g]));
            const float q = static_cast<float>(codes[i] + 8);
            QCOMPARE(dq[i], ql::round_to_half(ql::round_to_half(q - s.zero16[g]) * s.scale[g]));
        }
    }

    void nonFiniteValues() {
        std::vector<float> x = normal_values(64 * 4, 1.0, 8);
        const float inf = std::numeric_limits<float>::infinity();
        x[3] = std::numeric_limits<float>::quiet_NaN();
        x[70] = inf;
        x[140] = -inf;
        const ql::HqqSolution s = ql::hqq_solve(x.data(), static_cast<std::int64_t>(x.size()), 4, 64);
        for (std::size_t g = 0; g < s.zero.size(); ++g) {
            QVERIFY(std::isfinite(s.zero[g]));
            QVERIFY(std::isfinite(s.scale[g]) && s.scale[g] > 0.0f);
        }
        std::vector<float> dq(x.size());
        std::vector<std::int8_t> codes(x.size());
        std::uint64_t clipped = 0;
        ql::hqq_apply(s, x.data(), 0, static_cast<std::int64_t>(x.size()), dq.data(), codes.data(), &clipped);
        for (float v : dq) QVERIFY(std::isfinite(v));
        const float z0 = std::clamp(std::nearbyint(s.zero[0]), 0.0f, 15.0f);
        QCOMPARE(codes[3] + 8, static_cast<int>(z0));  // NaN: the code 0 would get
        QCOMPARE(codes[70] + 8, 15);                   // +Inf: the top code
        QCOMPARE(codes[140] + 8, 0);                   // -Inf: the bottom code
        // the infinities are not counted as clipped finite values
        std::uint64_t finite_clipped = 0;
        std::vector<float> x2 = x;
        x2[3] = x2[70] = x2[140] = 0.0f;
        ql::hqq_apply(s, x2.data(), 0, static_cast<std::int64_t>(x2.size()), dq.data(), codes.data(), &finite_clipped);
        QVERIFY(clipped <= finite_clipped);
    }

    // A group spanning more than the float range, and one of a single repeated value: finite scales,
    // zero points and values, each value on its group's grid.
    void extremeGroups() {
        std::vector<float> x(64 * 3, 1.0f);
        x[0] = 3e38f;
        x[1] = -3e38f;
        for (int i = 64; i < 128; ++i) x[static_cast<std::size_t>(i)] = 2.5f;  // constant group
        const ql::HqqSolution s = ql::hqq_solve(x.data(), static_cast<std::int64_t>(x.size()), 4, 64);
        for (std::size_t g = 0; g < s.zero.size(); ++g) {
            QVERIFY(std::isfinite(s.zero[g]) && std::isfinite(s.zero16[g]));
            QVERIFY(std::isfinite(s.scale[g]) && s.scale[g] > 0.0f);
        }
        std::vector<float> dq(x.size());
        std::vector<std::int8_t> codes(x.size());
        ql::hqq_apply(s, x.data(), 0, static_cast<std::int64_t>(x.size()), dq.data(), codes.data(), nullptr);
        for (std::size_t i = 0; i < x.size(); ++i) {
            QVERIFY(std::isfinite(dq[i]));
            QVERIFY(codes[i] >= -8 && codes[i] <= 7);
        }
        QVERIFY(std::fabs(dq[100] - 2.5f) <= 2.5f * 1e-3f);  // a constant group comes back (fp16 dequantization)
    }

    void configuration_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("block");
        QTest::addColumn<bool>("valid");
        QTest::newRow("INT4 g64") << 4 << 64 << true;
        QTest::newRow("INT2 g8") << 2 << 8 << true;
        QTest::newRow("default group") << 8 << 0 << true;
        QTest::newRow("1 bit") << 1 << 64 << false;
        QTest::newRow("9 bits") << 9 << 64 << false;
        QTest::newRow("group 12") << 4 << 12 << false;
        QTest::newRow("group 8192") << 4 << 8192 << false;
    }
    void configuration() {
        QFETCH(int, bits);
        QFETCH(int, block);
        QFETCH(bool, valid);
        const ql::QuantConfig c = hqq_config(bits, block);
        QCOMPARE(ql::validate(c, {64, 64}).empty(), valid);
        QCOMPARE(ql::parse_format("hqq"), std::optional<ql::Format>(ql::Format::HQQ));
        if (valid) QCOMPARE(QString::fromStdString(c.describe()), QStringLiteral("HQQ INT%1 g%2").arg(bits).arg(block > 0 ? block : 64));
    }

    // "Compare all formats" shows HQQ at its common setting, INT4 in groups of 64.
    void commonSetting() {
        ql::QuantConfig int8;
        const auto all = ql::common_format_configs(int8);
        const auto it = std::find_if(all.begin(), all.end(), [](const ql::QuantConfig& c) { return c.format == ql::Format::HQQ; });
        QVERIFY(it != all.end());
        QCOMPARE(it->bits, 4);
        QCOMPARE(ql::default_block_size(ql::Format::HQQ), 64);
    }
};

QTEST_APPLESS_MAIN(TestHqq)
#include "test_hqq.moc"
