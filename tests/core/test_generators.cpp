// Generators: the RNG and the first generated values against independently computed outputs, moments
// of every distribution within statistical tolerances derived from the sample size, the heavy tails
// of Student-t, the gamma sampler at non-integer shapes, determinism for any thread count, outliers,
// LLM-like rows, bad specs, progress and cancel.
#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/generators.h"
#include "core/rng.h"

using ql::Distribution;
using ql::GeneratorSpec;

Q_DECLARE_METATYPE(ql::GeneratorSpec)

namespace {

// Every statistical check allows this many standard errors: a correct generator fails one check with
// probability below 1e-6 (normal approximation), and the seeds are fixed, so a pass is repeatable.
constexpr double kZ = 5.0;

struct Moments {
    double mean = 0, std = 0, excess_kurtosis = 0;
};
Moments moments(const float* v, std::size_t count) {
    Moments m;
    const double n = static_cast<double>(count);
    for (std::size_t i = 0; i < count; ++i) m.mean += v[i];
    m.mean /= n;
    double m2 = 0, m4 = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double d = v[i] - m.mean;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    m2 /= n;
    m4 /= n;
    m.std = std::sqrt(m2);
    m.excess_kurtosis = m4 / (m2 * m2) - 3.0;
    return m;
}
Moments moments(const std::vector<float>& v) { return moments(v.data(), v.size()); }

// Even moments mu_4, mu_6, mu_8 of the distribution scaled to mean 0 and variance 1 (all odd ones are
// 0: every distribution here is symmetric).
//   normal: 3, 15, 105;  uniform on [-sqrt3, sqrt3]: mu_k = 3^(k/2) / (k + 1);
//   Laplace with b = 1/sqrt2: mu_k = k! b^k;
//   Student-t with nu dof scaled by sqrt((nu - 2)/nu): mu_2k = (nu - 2)^k prod_{i=1..k} (2i - 1)/(nu - 2i)
//   (finite for 2k < nu).
struct EvenMoments {
    double m4, m6, m8;
};
EvenMoments standard_moments(Distribution d, double nu) {
    switch (d) {
    case Distribution::Normal: return {3, 15, 105};
    case Distribution::Uniform: return {9.0 / 5, 27.0 / 7, 81.0 / 9};
    case Distribution::Laplace: return {24.0 / 4, 720.0 / 8, 40320.0 / 16};
    case Distribution::StudentT: {
        double m[5] = {1, 1, 1, 1, 1};
        for (int k = 1; k <= 4; ++k) m[k] = m[k - 1] * (nu - 2) * (2 * k - 1) / (nu - 2 * k);
        return {m[2], m[3], m[4]};
    }
    }
    return {};
}

// Standard errors of the sample statistics of n values (delta method, symmetric distribution, unit
// variance): std: sqrt((mu_4 - 1) / (4n)); excess kurtosis m4/m2^2 - 3: sqrt(Var(X^4 - 2 mu_4 X^2) / n)
// = sqrt((mu_8 - 4 mu_4 mu_6 + 4 mu_4^3 - mu_4^2) / n)  (24/n for the normal distribution).
double se_std(const EvenMoments& m, double n) { return std::sqrt((m.m4 - 1.0) / (4.0 * n)); }
double se_kurtosis(const EvenMoments& m, double n) {
    return std::sqrt((m.m8 - 4.0 * m.m4 * m.m6 + 4.0 * m.m4 * m.m4 * m.m4 - m.m4 * m.m4) / n);
}

// Student-t with 3 dof: P(|T| > t) = 1 - 2 (F(t) - 1/2), F(t) = 1/2 + (1/pi) (t/(sqrt3 (1 + t^2/3)) + atan(t/sqrt3)).
double student3_two_sided_tail(double t) {
    const double s = std::sqrt(3.0);
    return 1.0 - (2.0 / std::numbers::pi) * (t / (s * (1.0 + t * t / 3.0)) + std::atan(t / s));
}

} // namespace

class TestGenerators : public QObject {
    Q_OBJECT
private slots:
    // xoshiro256** seeded through splitmix64: outputs computed independently from the published
    // definitions (Blackman & Vigna, prng.di.unimi.it) by a few lines of Python with 64-bit masks, not
    // by this code. splitmix64 from state 0 gives 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4 (the
    // reference implementation's first outputs).
    void rngKnownOutputs_data() {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<quint64>("first");
        QTest::addColumn<quint64>("second");
        QTest::addColumn<quint64>("third");
        QTest::newRow("seed 0") << quint64(0) << quint64(0x99ec5f36cb75f2b4ull) << quint64(0xbf6e1f784956452aull) << quint64(0x1a5f849d4933e6e0ull);
        QTest::newRow("seed 42") << quint64(42) << quint64(0x15780b2e0c2ec716ull) << quint64(0x6104d9866d113a7eull) << quint64(0xae17533239e499a1ull);
        QTest::newRow("seed 12345") << quint64(12345) << quint64(0xbe6a36374160d49bull) << quint64(0x214aaa0637a688c6ull) << quint64(0xf69d16de9954d388ull);
    }
    void rngKnownOutputs() {
        QFETCH(quint64, seed);
        QFETCH(quint64, first);
        QFETCH(quint64, second);
        QFETCH(quint64, third);
        ql::Rng r(seed);
        QCOMPARE(quint64(r.next_u64()), first);
        QCOMPARE(quint64(r.next_u64()), second);
        QCOMPARE(quint64(r.next_u64()), third);
    }
    // fill_normal (the layer simulation's weights) gives the floats of the sequential loop
    // float(scale x rng.normal()), for odd and even counts and across its blocks of 32768 values.
    void fillNormalMatchesSequential_data() {
        QTest::addColumn<qint64>("n");
        for (qint64 n : {qint64(1), qint64(7), qint64(8192), qint64(32767), qint64(32768), qint64(32769), qint64(100001)})
            QTest::newRow(qPrintable(QString::number(n))) << n;
    }
    void fillNormalMatchesSequential() {
        QFETCH(qint64, n);
        const double scale = 0.1;
        ql::Rng a(77), b(77);
        std::vector<float> seq(static_cast<std::size_t>(n)), fast(static_cast<std::size_t>(n), -1.0f);
        for (auto& v : seq) v = static_cast<float>(scale * a.normal());
        ql::fill_normal(b, fast.data(), n, scale);
        for (qint64 i = 0; i < n; ++i)
            if (seq[static_cast<std::size_t>(i)] != fast[static_cast<std::size_t>(i)])
                QFAIL(qPrintable(QString("value %1: %2 in turn, %3 from fill_normal").arg(i).arg(seq[static_cast<std::size_t>(i)]).arg(fast[static_cast<std::size_t>(i)])));
        // both streams drew the same number of values (odd n: the spare is dropped, its draw made)
        if (n % 2 == 1) (void)a.normal();
        QCOMPARE(quint64(a.next_u64()), quint64(b.next_u64()));
    }

    void splitmix64KnownOutputs() {
        std::uint64_t state = 0;
        QCOMPARE(quint64(ql::Rng::splitmix64(state)), quint64(0xe220a8397b1dcdafull));
        QCOMPARE(quint64(ql::Rng::splitmix64(state)), quint64(0x6e789e6aa1b965f4ull));
    }

    // The first values of chunk 0 and chunk 1 (flat index 65536) of seed 42, computed independently in
    // Python from the definitions: chunk seed = splitmix64(seed ^ 0xD1B54A32D192ED03 (c+1)), xoshiro256**,
    // u = (x >> 11) 2^-53 (open: + 0.5), Box-Muller cos then sin, uniform sqrt3 (2u - 1), Laplace inverse
    // CDF, value = float32(mean + std x unit). Uniform is exact IEEE arithmetic; normal and Laplace use
    // the C library's log/sin/cos in double (the same glibc as Python's math module here).
    void firstValues_data() {
        QTest::addColumn<int>("dist");
        QTest::addColumn<double>("mean");
        QTest::addColumn<QList<float>>("chunk0");
        QTest::addColumn<QList<float>>("chunk1");
        QTest::newRow("normal std 2 (the seed notebooks' default)")
            << int(Distribution::Normal) << 0.0 << QList<float>{-0.7872622609138489f, -2.320456027984619f, 0.217645063996315f}
            << QList<float>{-0.6671403646469116f, 0.06176324188709259f, 2.9484059810638428f};
        QTest::newRow("uniform mean 0.5 std 2")
            << int(Distribution::Uniform) << 0.5 << QList<float>{0.3067919909954071f, 1.871388554573059f, 2.3890600204467773f}
            << QList<float>{3.5860562324523926f, 0.3982070982456207f, -0.6395168900489807f};
        QTest::newRow("laplace std 2")
            << int(Distribution::Laplace) << 0.0 << QList<float>{-0.08116186410188675f, 0.7127523422241211f, 1.1146429777145386f}
            << QList<float>{3.1327576637268066f, -0.04217957705259323f, -0.5641466379165649f};
    }
    void firstValues() {
        QFETCH(int, dist);
        QFETCH(double, mean);
        QFETCH(QList<float>, chunk0);
        QFETCH(QList<float>, chunk1);
        GeneratorSpec g;
        g.distribution = static_cast<Distribution>(dist);
        g.mean = mean;
        g.shape = {ql::kGeneratorChunk + 3};
        const auto t = ql::generate(g);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(t.values[static_cast<std::size_t>(i)], chunk0[i]);
            QCOMPARE(t.values[static_cast<std::size_t>(ql::kGeneratorChunk + i)], chunk1[i]);
        }
    }

    // Sample moments of 10^6 values against the distribution's, each within kZ standard errors of the
    // statistic for this sample size (se_std, se_kurtosis above; the mean's is std / sqrt(n)).
    void moments_data() {
        QTest::addColumn<int>("dist");
        QTest::addColumn<double>("dof");
        QTest::addColumn<double>("kurtosis");
        QTest::newRow("normal: excess kurtosis 0") << int(Distribution::Normal) << 0.0 << 0.0;
        QTest::newRow("uniform: -1.2") << int(Distribution::Uniform) << 0.0 << -1.2;
        QTest::newRow("laplace: 3") << int(Distribution::Laplace) << 0.0 << 3.0;
        QTest::newRow("student-t dof 10: 6/(dof-4) = 1") << int(Distribution::StudentT) << 10.0 << 1.0;
        QTest::newRow("student-t dof 12.5 (non-integer): 6/8.5") << int(Distribution::StudentT) << 12.5 << 6.0 / 8.5;
    }
    void moments() {
        QFETCH(int, dist);
        QFETCH(double, dof);
        QFETCH(double, kurtosis);
        GeneratorSpec g;
        g.distribution = static_cast<Distribution>(dist);
        g.shape = {1000, 1000};
        g.mean = 0.5;
        g.std = 2.0;
        if (dof > 0) g.dof = dof;
        const auto t = ql::generate(g);
        const double n = static_cast<double>(t.values.size());
        const Moments m = ::moments(t.values);
        const EvenMoments em = standard_moments(g.distribution, g.dof);
        const double tol_mean = kZ * g.std / std::sqrt(n);
        const double tol_std = kZ * g.std * se_std(em, n);
        const double tol_kurt = kZ * se_kurtosis(em, n);
        QVERIFY2(std::fabs(m.mean - g.mean) < tol_mean, qPrintable(QString("mean %1, tolerance %2").arg(m.mean).arg(tol_mean)));
        QVERIFY2(std::fabs(m.std - g.std) < tol_std, qPrintable(QString("std %1, tolerance %2").arg(m.std).arg(tol_std)));
        QVERIFY2(std::fabs(m.excess_kurtosis - kurtosis) < tol_kurt,
                 qPrintable(QString("excess kurtosis %1, tolerance %2").arg(m.excess_kurtosis).arg(tol_kurt)));
    }

    // Uniform: every value within mean +- sqrt(3) std, and both ends reached to within 1e-4 of the width.
    void uniformBounds() {
        GeneratorSpec g;
        g.distribution = Distribution::Uniform;
        g.mean = 1.0;
        g.std = 2.0;
        const auto t = ql::generate(g);
        const auto [lo, hi] = std::minmax_element(t.values.begin(), t.values.end());
        const double half = std::sqrt(3.0) * 2.0;
        QVERIFY(*lo >= static_cast<float>(1.0 - half));
        QVERIFY(*hi <= static_cast<float>(1.0 + half));
        QVERIFY(*lo < 1.0 - half + 1e-4 * 2 * half);
        QVERIFY(*hi > 1.0 + half - 1e-4 * 2 * half);
    }

    // Heavy tails at the default dof 3 (kurtosis infinite, so no moment test): the share of |T| beyond
    // t against the closed-form CDF of Student-t with 3 dof, within kZ binomial standard errors
    // sqrt(p (1 - p) / n). T = (x - mean) / (std sqrt(1/3)) undoes the scaling to the given std.
    void studentTTails_data() {
        QTest::addColumn<double>("t");
        for (double t : {0.5, 1.0, 3.0, 10.0}) QTest::newRow(qPrintable(QString("|T| > %1").arg(t))) << t;
    }
    void studentTTails() {
        QFETCH(double, t);
        GeneratorSpec g;
        g.distribution = Distribution::StudentT;
        g.dof = 3.0;
        g.std = 2.0;
        const auto x = ql::generate(g);
        const double scale = g.std * std::sqrt(1.0 / 3.0);
        const double n = static_cast<double>(x.values.size());
        const auto beyond = std::count_if(x.values.begin(), x.values.end(), [&](float v) { return std::fabs(v) / scale > t; });
        const double p = student3_two_sided_tail(t);
        const double tol = kZ * std::sqrt(p * (1 - p) / n);
        QVERIFY2(std::fabs(static_cast<double>(beyond) / n - p) < tol,
                 qPrintable(QString("share %1, expected %2 +- %3").arg(static_cast<double>(beyond) / n).arg(p).arg(tol)));
    }

    // The gamma sampler behind chi-square (non-integer dof works): mean k and variance k; the sample
    // variance's standard error is sqrt((mu_4 - k^2) / n) with mu_4 = 3k^2 + 6k for Gamma(k, 1).
    void gammaMoments_data() {
        QTest::addColumn<double>("k");
        for (double k : {0.4, 1.0, 1.25, 2.5, 6.25}) QTest::newRow(qPrintable(QString("shape %1").arg(k))) << k;
    }
    void gammaMoments() {
        QFETCH(double, k);
        ql::Rng rng(7);
        const int n = 400000;
        double s = 0, s2 = 0;
        std::vector<double> v(n);
        for (auto& x : v) {
            x = ql::gamma_variate(rng, k);
            QVERIFY(x >= 0);
            s += x;
        }
        const double mean = s / n;
        for (double x : v) s2 += (x - mean) * (x - mean);
        const double var = s2 / n;
        QVERIFY2(std::fabs(mean - k) < kZ * std::sqrt(k / n), qPrintable(QString("mean %1").arg(mean)));
        QVERIFY2(std::fabs(var - k) < kZ * std::sqrt((2 * k * k + 6 * k) / n), qPrintable(QString("variance %1").arg(var)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ql::gamma_variate(rng, 0.0));
    }

    void seedNotebookDefaults() {
        const GeneratorSpec g;
        QCOMPARE(g.shape, (std::vector<std::int64_t>{1000, 1000}));
        QCOMPARE(g.std, 2.0);
        QCOMPARE(g.mean, 0.0);
        QCOMPARE(g.seed, std::uint64_t(42));
        QCOMPARE(g.distribution, Distribution::Normal);
        QCOMPARE(QString::fromStdString(ql::describe(g)), QString("normal(mean 0, std 2), 1000x1000, seed 42"));
    }

    void deterministic() {
        GeneratorSpec g;
        g.shape = {300, 500};
        g.outlier_fraction = 0.01;
        g.llm_channels = 3;
        const auto a = ql::generate(g);
        const auto b = ql::generate(g);
        QCOMPARE(a.values, b.values);
        g.seed = 43;
        QVERIFY(ql::generate(g).values != a.values);
    }

    // A bulk value depends on the seed and its flat index only: the same values for any shape.
    void independentOfShape() {
        GeneratorSpec g;
        g.shape = {1000, 1000};
        const auto a = ql::generate(g);
        g.shape = {10, 100, 1000};
        const auto b = ql::generate(g);
        g.shape = {1000000};
        const auto c = ql::generate(g);
        QCOMPARE(a.values, b.values);
        QCOMPARE(a.values, c.values);
    }

    void independentOfThreadCount_data() {
        QTest::addColumn<int>("dist");
        QTest::addColumn<int>("threads");
        for (int d : {int(Distribution::Normal), int(Distribution::StudentT)})
            for (int th : {2, 3, 4})
                QTest::newRow(qPrintable(QString("%1, 1 vs %2 threads").arg(ql::distribution_name(Distribution(d))).arg(th))) << d << th;
    }
    void independentOfThreadCount() {
        QFETCH(int, dist);
        QFETCH(int, threads);
        GeneratorSpec g;
        g.shape = {1024, 700};  // 11 chunks, the last one partial
        g.distribution = static_cast<Distribution>(dist);
        g.outlier_fraction = 0.001;
        g.llm_channels = 4;
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const auto a = ql::generate(g);
        omp_set_num_threads(threads);
        const auto b = ql::generate(g);
        omp_set_num_threads(before);
        QCOMPARE(a.values, b.values);
    }

    // round(fraction x n) outliers at distinct positions, each exactly mean +- magnitude x std (also in
    // LLM-like rows: outliers are placed after the scaling), signs balanced within kZ binomial errors.
    void outliers_data() {
        QTest::addColumn<double>("fraction");
        QTest::addColumn<double>("magnitude");
        QTest::addColumn<int>("llm");
        QTest::newRow("0.2% at 50 std") << 0.002 << 50.0 << 0;
        QTest::newRow("1% at 20 std, with LLM rows") << 0.01 << 20.0 << 10;
        QTest::newRow("0.0001% rounds to 0") << 0.000001 << 20.0 << 0;
    }
    void outliers() {
        QFETCH(double, fraction);
        QFETCH(double, magnitude);
        QFETCH(int, llm);
        GeneratorSpec g;
        g.shape = {200, 500};
        g.mean = 0.25;
        g.std = 1.5;
        g.outlier_fraction = fraction;
        g.outlier_magnitude = magnitude;
        g.llm_channels = llm;
        g.llm_scale_min = g.llm_scale_max = 2.0;  // LLM rows stay far below the outliers
        const auto t = ql::generate(g);
        const float hi = static_cast<float>(0.25 + magnitude * 1.5), lo = static_cast<float>(0.25 - magnitude * 1.5);
        const auto n_hi = std::count(t.values.begin(), t.values.end(), hi);
        const auto n_lo = std::count(t.values.begin(), t.values.end(), lo);
        const auto expected = std::llround(fraction * 1e5);
        QCOMPARE(static_cast<long long>(n_hi + n_lo), static_cast<long long>(expected));
        QVERIFY2(std::fabs(double(n_hi) - expected / 2.0) <= kZ * std::sqrt(expected * 0.25),
                 qPrintable(QString("%1 positive of %2").arg(n_hi).arg(expected)));
        // nothing else comes near the outliers
        const auto rest = std::count_if(t.values.begin(), t.values.end(), [&](float v) { return v != hi && v != lo && std::fabs(v - 0.25) > 15 * 1.5; });
        QCOMPARE(static_cast<long long>(rest), 0LL);
    }

    // Exactly llm_channels rows have a std between min and max times the bulk std (row std's relative
    // standard error is about 1/sqrt(2 x 1000) = 2.2%: kZ of them is 11%); the others keep the bulk std.
    void llmLikeRows_data() {
        QTest::addColumn<int>("dist");
        QTest::addColumn<int>("channels");
        QTest::newRow("normal, 5 rows x20-40") << int(Distribution::Normal) << 5;
        QTest::newRow("uniform, 1 row x20-40") << int(Distribution::Uniform) << 1;
        QTest::newRow("laplace, all 100 rows x20-40") << int(Distribution::Laplace) << 100;
    }
    void llmLikeRows() {
        QFETCH(int, dist);
        QFETCH(int, channels);
        GeneratorSpec g;
        g.distribution = static_cast<Distribution>(dist);
        g.shape = {100, 1000};
        g.std = 1.0;
        g.mean = 3.0;
        g.llm_channels = channels;
        g.llm_scale_min = 20;
        g.llm_scale_max = 40;
        const auto t = ql::generate(g);
        const double rel = kZ / std::sqrt(2.0 * 1000);
        int scaled = 0;
        for (int r = 0; r < 100; ++r) {
            const Moments m = ::moments(t.values.data() + r * 1000, 1000);
            if (m.std > 10) {
                ++scaled;
                QVERIFY2(m.std > 20 * (1 - 2 * rel) && m.std < 40 * (1 + 2 * rel), qPrintable(QString("row %1 std %2").arg(r).arg(m.std)));
            } else {
                QVERIFY2(std::fabs(m.std - 1.0) < 2 * rel, qPrintable(QString("row %1 std %2").arg(r).arg(m.std)));
            }
            QVERIFY2(std::fabs(m.mean - 3.0) < kZ * m.std / std::sqrt(1000.0), qPrintable(QString("row %1 mean %2").arg(r).arg(m.mean)));
        }
        QCOMPARE(scaled, channels);
    }

    // LLM-like channels are slices along axis 0 of a 3-D tensor too.
    void llmChannelsOfThreeDimensions() {
        GeneratorSpec g;
        g.shape = {4, 50, 100};
        g.std = 1.0;
        g.llm_channels = 1;
        g.llm_scale_min = g.llm_scale_max = 50;
        const auto t = ql::generate(g);
        int scaled = 0;
        for (int c = 0; c < 4; ++c) scaled += ::moments(t.values.data() + c * 5000, 5000).std > 10;
        QCOMPARE(scaled, 1);
    }

    void zeroStdIsConstant() {
        GeneratorSpec g;
        g.shape = {7};
        g.std = 0;
        g.mean = -1.5;
        g.distribution = Distribution::Laplace;
        QCOMPARE(ql::generate(g).values, std::vector<float>(7, -1.5f));
    }

    void badSpecs_data() {
        QTest::addColumn<GeneratorSpec>("spec");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, auto edit, const char* message) {
            GeneratorSpec g;
            edit(g);
            QTest::newRow(name) << g << QString(message);
        };
        row("no dims", [](GeneratorSpec& g) { g.shape = {}; }, "1 to 4 dimensions");
        row("5 dims", [](GeneratorSpec& g) { g.shape = {1, 1, 1, 1, 1}; }, "1 to 4 dimensions");
        row("zero dim", [](GeneratorSpec& g) { g.shape = {10, 0}; }, "positive");
        row("negative dim", [](GeneratorSpec& g) { g.shape = {-3, 4}; }, "positive");
        row("more than 2^32 elements", [](GeneratorSpec& g) { g.shape = {65536, 65537}; }, "2^32");
        row("overflowing count", [](GeneratorSpec& g) { g.shape = {1ll << 40, 1ll << 40}; }, "overflows");
        row("negative std", [](GeneratorSpec& g) { g.std = -1; }, "std");
        row("NaN std", [](GeneratorSpec& g) { g.std = std::nan(""); }, "std");
        row("infinite mean", [](GeneratorSpec& g) { g.mean = INFINITY; }, "mean");
        row("dof 2", [](GeneratorSpec& g) { g.distribution = Distribution::StudentT; g.dof = 2.0; }, "dof > 2");
        row("NaN dof", [](GeneratorSpec& g) { g.distribution = Distribution::StudentT; g.dof = std::nan(""); }, "dof > 2");
        row("fraction > 1", [](GeneratorSpec& g) { g.outlier_fraction = 1.5; }, "outlier fraction");
        row("negative fraction", [](GeneratorSpec& g) { g.outlier_fraction = -0.1; }, "outlier fraction");
        row("negative magnitude", [](GeneratorSpec& g) { g.outlier_magnitude = -1; }, "outlier magnitude");
        row("more LLM rows than rows", [](GeneratorSpec& g) { g.llm_channels = 2000; }, "0..1000");
        row("negative LLM rows", [](GeneratorSpec& g) { g.llm_channels = -1; }, "0..1000");
        row("LLM scale min > max", [](GeneratorSpec& g) { g.llm_scale_min = 50; g.llm_scale_max = 10; }, "0 < min <= max");
        row("LLM scale 0", [](GeneratorSpec& g) { g.llm_scale_min = 0; }, "0 < min <= max");
    }
    void badSpecs() {
        QFETCH(GeneratorSpec, spec);
        QFETCH(QString, message);
        try {
            (void)ql::generate(spec);
            QFAIL("expected std::invalid_argument");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
        }
    }

    void progressReachesTotal() {
        GeneratorSpec g;
        g.shape = {1000, 1000};  // 16 chunks
        std::size_t last = 0, total = 0;
        (void)ql::generate(g, [&](std::size_t d, std::size_t t) {
            last = std::max(last, d);
            total = t;
            return true;
        });
        QCOMPARE(total, std::size_t(16));
        QCOMPARE(last, total);
    }

    void cancel() {
        GeneratorSpec g;
        g.shape = {2048, 2048};
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, ql::generate(g, [](std::size_t, std::size_t) { return false; }));
    }
};

QTEST_APPLESS_MAIN(TestGenerators)
#include "test_generators.moc"
