// Generators: the RNG against independently computed outputs, moments of every distribution within
// statistical tolerances, determinism for any thread count, outliers, LLM-like rows, bad specs.
#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "core/generators.h"
#include "core/rng.h"

using ql::Distribution;
using ql::GeneratorSpec;

Q_DECLARE_METATYPE(ql::GeneratorSpec)

namespace {

struct Moments {
    double mean = 0, std = 0, excess_kurtosis = 0;
};
Moments moments(const std::vector<float>& v) {
    Moments m;
    const double n = static_cast<double>(v.size());
    for (float x : v) m.mean += x;
    m.mean /= n;
    double m2 = 0, m4 = 0;
    for (float x : v) {
        const double d = x - m.mean;
        m2 += d * d;
        m4 += d * d * d * d;
    }
    m2 /= n;
    m4 /= n;
    m.std = std::sqrt(m2);
    m.excess_kurtosis = m4 / (m2 * m2) - 3.0;
    return m;
}

} // namespace

class TestGenerators : public QObject {
    Q_OBJECT
private slots:
    // xoshiro256** seeded through splitmix64: outputs computed independently from the published
    // definitions (a few lines of Python with 64-bit masks), not by this code.
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

    // Sample moments of 10^6 values. Tolerances: the mean's standard error is std/sqrt(n) = 0.001 std;
    // we allow 5 standard errors. The std within 0.5%; excess kurtosis within 0.1 (0.3 for heavy tails,
    // whose fourth moment converges slowly).
    void moments_data() {
        QTest::addColumn<int>("dist");
        QTest::addColumn<double>("dof");
        QTest::addColumn<double>("kurtosis");
        QTest::addColumn<double>("kurtosis_tol");
        QTest::newRow("normal: excess kurtosis 0") << int(Distribution::Normal) << 0.0 << 0.0 << 0.1;
        QTest::newRow("uniform: -1.2") << int(Distribution::Uniform) << 0.0 << -1.2 << 0.1;
        QTest::newRow("laplace: 3") << int(Distribution::Laplace) << 0.0 << 3.0 << 0.3;
        QTest::newRow("student-t dof 10: 6/(dof-4) = 1") << int(Distribution::StudentT) << 10.0 << 1.0 << 0.3;
    }
    void moments() {
        QFETCH(int, dist);
        QFETCH(double, dof);
        QFETCH(double, kurtosis);
        QFETCH(double, kurtosis_tol);
        GeneratorSpec g;
        g.distribution = static_cast<Distribution>(dist);
        g.shape = {1000, 1000};
        g.mean = 0.5;
        g.std = 2.0;
        if (dof > 0) g.dof = dof;
        const auto t = ql::generate(g);
        const Moments m = ::moments(t.values);
        QVERIFY2(std::fabs(m.mean - 0.5) < 5 * 2.0 / 1000.0, qPrintable(QString("mean %1").arg(m.mean)));
        QVERIFY2(std::fabs(m.std / 2.0 - 1.0) < 0.005, qPrintable(QString("std %1").arg(m.std)));
        QVERIFY2(std::fabs(m.excess_kurtosis - kurtosis) < kurtosis_tol, qPrintable(QString("excess kurtosis %1").arg(m.excess_kurtosis)));
    }

    void seedNotebookDefaults() {
        const GeneratorSpec g;
        QCOMPARE(g.shape, (std::vector<std::int64_t>{1000, 1000}));
        QCOMPARE(g.std, 2.0);
        QCOMPARE(g.distribution, Distribution::Normal);
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

    void independentOfThreadCount() {
        GeneratorSpec g;
        g.shape = {1024, 700};  // several chunks
        g.distribution = Distribution::StudentT;
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const auto a = ql::generate(g);
        omp_set_num_threads(2);
        const auto b = ql::generate(g);
        omp_set_num_threads(before);
        QCOMPARE(a.values, b.values);
    }

    void outliers() {
        GeneratorSpec g;
        g.shape = {200, 500};
        g.std = 1.0;
        g.outlier_fraction = 0.002;
        g.outlier_magnitude = 50.0;
        const auto t = ql::generate(g);
        const auto n = std::count_if(t.values.begin(), t.values.end(), [](float v) { return std::fabs(v) == 50.0f; });
        QCOMPARE(n, 200L);  // exactly 0.2% of 10^5 values, at distinct positions
    }

    void llmLikeRows() {
        GeneratorSpec g;
        g.shape = {100, 1000};
        g.std = 1.0;
        g.llm_channels = 5;
        g.llm_scale_min = 20;
        g.llm_scale_max = 40;
        const auto t = ql::generate(g);
        int scaled = 0;
        for (int r = 0; r < 100; ++r) {
            std::vector<float> row(t.values.begin() + r * 1000, t.values.begin() + (r + 1) * 1000);
            const double s = ::moments(row).std;
            if (s > 10) {
                ++scaled;
                QVERIFY2(s > 20 * 0.9 && s < 40 * 1.1, qPrintable(QString("row std %1").arg(s)));
            } else {
                QVERIFY(std::fabs(s - 1.0) < 0.15);
            }
        }
        QCOMPARE(scaled, 5);
    }

    void badSpecs_data() {
        QTest::addColumn<GeneratorSpec>("spec");
        GeneratorSpec g;
        g.shape = {};
        QTest::newRow("no dims") << g;
        g = GeneratorSpec{};
        g.shape = {1, 1, 1, 1, 1};
        QTest::newRow("5 dims") << g;
        g = GeneratorSpec{};
        g.shape = {10, 0};
        QTest::newRow("zero dim") << g;
        g = GeneratorSpec{};
        g.std = -1;
        QTest::newRow("negative std") << g;
        g = GeneratorSpec{};
        g.distribution = Distribution::StudentT;
        g.dof = 2.0;
        QTest::newRow("dof 2") << g;
        g = GeneratorSpec{};
        g.outlier_fraction = 1.5;
        QTest::newRow("fraction > 1") << g;
        g = GeneratorSpec{};
        g.llm_channels = 2000;
        QTest::newRow("more LLM rows than rows") << g;
    }
    void badSpecs() {
        QFETCH(GeneratorSpec, spec);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ql::generate(spec));
    }

    void cancel() {
        GeneratorSpec g;
        g.shape = {2048, 2048};
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, ql::generate(g, [](std::size_t, std::size_t) { return false; }));
    }
};

QTEST_APPLESS_MAIN(TestGenerators)
#include "test_generators.moc"
