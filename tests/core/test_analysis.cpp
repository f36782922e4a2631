// analyze(): metrics against hand-computed values, histograms that hold every value, SNR rising
// 6.02 dB per bit, per-channel error, one layer's output error, layer accumulation, cancellation,
// determinism across thread counts, and non-finite inputs.
#include <QtTest>

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <tuple>
#include <cstring>
#include <limits>
#include <numeric>

#include "core/analysis.h"
#include "core/analysis_kernels.h"
#include "core/bin_grid.h"
#include "core/format_pass.h"
#include "core/format_quantizers.h"
#include "core/generators.h"
#include "core/cpu_features.h"
#include "core/int_pass.h"
#include "core/int_pass_kernel.h"
#include "core/int_quantizer.h"
#include "core/rng.h"

using ql::AnalysisRequest;
using ql::Granularity;
using ql::QuantConfig;
using ql::Scheme;
using ql::Tensor;

Q_DECLARE_METATYPE(ql::QuantConfig)
Q_DECLARE_METATYPE(std::vector<std::int64_t>)
Q_DECLARE_METATYPE(ql::Format)

namespace {
// One randomised case of randomisedAgainstReference: a generated tensor (with a special touch), the
// configurations analysed together, the histogram bins and the thread count.
struct RandomCase {
    ql::GeneratorSpec gen;
    int special = 0;  // 0 none, 1 an all-zero first row, 2 a NaN and a -inf, 3 values rounded to a coarse grid (ties)
    std::vector<ql::QuantConfig> configs;
    int bins = 100;
    int threads = 2;
};
} // namespace
Q_DECLARE_METATYPE(RandomCase)

namespace {

constexpr double kRelTol = 1e-9;            // double sums of a few exact values
constexpr double kSumTol = 1e-6;            // float-block partial sums over many values
constexpr double kSnrPerBit = 6.02;         // 20 log10(2) dB per bit of a uniform quantizer
constexpr double kMemoTolerance = 1e-12;     // relative: a memo hit vs a recomputation (sum order may differ)
constexpr double kSnrPerBitTolerance = 0.15; // dB, on 10^6 uniform values

// The grids a report's histograms were counted on: weights on [min, max] extended by whole bins,
// errors on the configuration's own [-e, e].
std::pair<ql::kernels::BinGrid, ql::kernels::BinGrid> report_grids(const ql::AnalysisReport& r, const ql::ConfigReport& c, int bins) {
    ql::kernels::BinGrid wg;
    wg.base_lo = r.tensor.min;
    wg.base_hi = r.tensor.max;
    wg.base_bins = bins;
    wg.below = static_cast<int>(std::lround((wg.base_lo - c.dequantized.lo) / wg.width()));
    wg.above = static_cast<int>(c.dequantized.counts.size()) - bins - wg.below;
    ql::kernels::BinGrid eg;
    eg.base_lo = c.errors.lo;
    eg.base_hi = c.errors.hi;
    eg.base_bins = static_cast<int>(c.errors.counts.size());
    return {wg, eg};
}

// A report's dequantized and error histograms against the reference's dequantized values, bin for bin on
// the report's grids (which must be finite and hold every finite value), over the finite pairs.
void compareFiniteHistograms(const ql::AnalysisReport& r, const ql::ConfigReport& cr, const Tensor& t, const std::vector<float>& dq,
                             int bins) {
    QVERIFY(std::isfinite(cr.dequantized.lo) && std::isfinite(cr.dequantized.hi) && std::isfinite(cr.errors.lo) &&
            std::isfinite(cr.errors.hi));
    const auto [wg, eg] = report_grids(r, cr, bins);
    std::vector<std::uint64_t> want_dq(cr.dequantized.counts.size(), 0), want_err(cr.errors.counts.size(), 0);
    for (std::size_t k = 0; k < dq.size(); ++k) {
        if (!std::isfinite(t.values[k]) || !std::isfinite(dq[k])) continue;
        const int db = wg.bin_of(dq[k]), eb = eg.bin_of(dq[k] - t.values[k]);
        QVERIFY2(db >= 0 && eb >= 0, "every finite value inside the report's grids");
        ++want_dq[static_cast<std::size_t>(db)];
        ++want_err[static_cast<std::size_t>(eb)];
    }
    QCOMPARE(cr.dequantized.counts, want_dq);
    QCOMPARE(cr.errors.counts, want_err);
}

QuantConfig cfg(int bits, Scheme s, Granularity g = Granularity::PerTensor, int group = 128) {
    QuantConfig c;
    c.bits = bits;
    c.scheme = s;
    c.granularity = g;
    c.group_size = group;
    return c;
}

std::shared_ptr<const Tensor> make(std::vector<std::int64_t> shape, std::vector<float> v) {
    auto t = std::make_shared<Tensor>("t", std::move(shape));
    t->values = std::move(v);
    return t;
}

AnalysisRequest request(std::shared_ptr<const Tensor> t, std::vector<QuantConfig> cs) {
    AnalysisRequest r;
    r.tensor = std::move(t);
    r.configs = std::move(cs);
    r.options.layer_sim.enabled = false;
    r.options.snr_sweep = false;
    return r;
}

bool near(double a, double b, double rel) { return std::fabs(a - b) <= rel * std::max({1.0, std::fabs(a), std::fabs(b)}); }

// The counts of the vector integer pass over x with one parameter set (the caller checks available()).
struct IntPassCounts {
    std::vector<std::uint64_t> codes, dq, err;
    std::uint64_t dq_outside = 0, err_outside = 0;
};
// slice_range: the pass is given x's range as the slice's (so it takes the dequantized range per slice
// and Correction may skip its edge rules where the slice stays clear of the grid's ends).
// dq_range, clipped_out (when not null): the pass's dequantized range and clipped count.
IntPassCounts int_pass_counts(const ql::kernels::IntPassSetup& setup, const std::vector<float>& x, const ql::IntParams& p,
                              bool slice_range = false, std::pair<float, float>* dq_range = nullptr,
                              std::uint64_t* clipped_out = nullptr) {
    ql::kernels::IntPass pass(setup);
    ql::kernels::ErrorSums sums;
    std::uint64_t clipped = 0;
    const auto n = static_cast<std::int64_t>(x.size());
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    pass.add(x.data(), n, &p, slice_range ? &*lo : nullptr, slice_range ? &*hi : nullptr, n, n, sums, clipped);
    IntPassCounts c;
    pass.merge_into(c.codes, c.dq, c.err, c.dq_outside, c.err_outside);
    if (dq_range) *dq_range = {sums.dq_lo, sums.dq_hi};
    if (clipped_out) *clipped_out = clipped;
    return c;
}

// INT8 and INT4 in each dequantized-histogram mode of the vector integer pass (GroupCodes takes at most
// 16 codes): (bits, row name, mode as int).
std::vector<std::tuple<int, const char*, int>> int_pass_modes() {
    std::vector<std::tuple<int, const char*, int>> rows;
    const std::pair<const char*, ql::kernels::DqHistogram> modes[] = {
        {"moves", ql::kernels::DqHistogram::Correction}, {"direct", ql::kernels::DqHistogram::Direct},
        {"group codes", ql::kernels::DqHistogram::GroupCodes}};
    for (int bits : {8, 4})
        for (const auto& [name, mode] : modes)
            if (bits == 4 || mode != ql::kernels::DqHistogram::GroupCodes) rows.emplace_back(bits, name, static_cast<int>(mode));
    return rows;
}

// Data rows (bits, mode, slice_range): each histogram mode of int_pass_modes(), without and with the
// slice's range given to the pass.
void int_pass_mode_rows() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("slice_range");
    for (const auto& [bits, name, mode] : int_pass_modes())
        for (bool ranged : {false, true})
            QTest::newRow(qPrintable(QString("int%1 %2%3").arg(bits).arg(name).arg(ranged ? ", slice range given" : "")))
                << bits << mode << ranged;
}

// The vector integer pass over x (one parameter set p, code range rg) on weight grid wg in histogram
// mode `mode`, with the error grid [-emax, emax] in 40 bins (emax the largest |dq - x|); Correction's
// counts get the original's histogram added, so dq holds every dequantized count. Empty when this CPU
// has no vector path for the setup.
struct GridPass {
    IntPassCounts counts;
    ql::kernels::BinGrid errors;
    std::pair<float, float> dq_range;  // the pass's dequantized range
    std::uint64_t clipped = 0;
};
std::optional<GridPass> int_pass_on_grid(const std::vector<float>& x, const ql::IntParams& p, const ql::IntRange& rg,
                                         const ql::kernels::BinGrid& wg, int mode, bool slice_range) {
    float emax = 0;
    for (float v : x) emax = std::max(emax, std::fabs(ql::int_dequantize(ql::int_quantize(v, p, rg), p) - v));
    GridPass g;
    g.errors.base_lo = -emax;
    g.errors.base_hi = emax;
    g.errors.base_bins = 40;
    ql::kernels::IntPassSetup setup;
    setup.qmin = rg.qmin;
    setup.qmax = rg.qmax;
    setup.weights = wg;
    setup.errors = g.errors;
    setup.dq_mode = static_cast<ql::kernels::DqHistogram>(mode);
    if (!ql::kernels::IntPass::available(setup)) return std::nullopt;
    g.counts = int_pass_counts(setup, x, p, slice_range, &g.dq_range, &g.clipped);
    if (setup.dq_mode == ql::kernels::DqHistogram::Correction)  // moves only: add the original's histogram
        for (float v : x) ++g.counts.dq[static_cast<std::size_t>(wg.bin_of(v))];
    return g;
}

// The report of one configuration against quantize_format_ref of the same values: codes, the largest
// error, the mean squared error, the sample row's dequantized values bit for bit.
void matchesReference(const Tensor& x, const ql::AnalysisReport& r, const QuantConfig& config) {
    QCOMPARE(r.configs.size(), std::size_t(1));
    const ql::ConfigReport& c = r.configs[0];
    QVERIFY2(c.error.empty(), c.error.c_str());
    std::vector<std::int8_t> codes;
    const std::vector<float> ref = ql::quantize_format_ref(x, config, &codes, nullptr);
    std::vector<std::uint64_t> code_counts(256, 0);
    double sum_e2 = 0, max_abs = 0;
    for (std::size_t k = 0; k < ref.size(); ++k) {
        ++code_counts[static_cast<std::size_t>(codes[k] + 128)];
        const float e = ref[k] - x.values[k];
        sum_e2 += static_cast<double>(e * e);
        max_abs = std::max(max_abs, static_cast<double>(std::fabs(e)));
    }
    QCOMPARE(c.lowest_code, -128);
    QCOMPARE(c.code_counts, code_counts);
    QCOMPARE(c.metrics.max_abs, max_abs);
    QVERIFY(near(c.metrics.mse, sum_e2 / static_cast<double>(ref.size()), kSumTol));
    const std::int64_t cols = x.shape.back();
    QVERIFY(!c.sample_dequantized.empty());
    for (std::size_t k = 0; k < c.sample_dequantized.size(); ++k) {
        const float want = ref[static_cast<std::size_t>(r.sample_row * cols) + k];
        if (std::memcmp(&c.sample_dequantized[k], &want, sizeof want) != 0)
            QFAIL(qPrintable(QString("sample %1: analysis %2, reference %3").arg(k).arg(c.sample_dequantized[k], 0, 'g', 9)
                                 .arg(want, 0, 'g', 9)));
    }
}

} // namespace

class TestAnalysis : public QObject {
    Q_OBJECT
private slots:
    // x = {0.5, -0.5, 127, -127} at INT8 symmetric: scale = 127/127 = 1, so 0.5 and -0.5 round (half to
    // even) to 0 and 127 stay exact. Errors {-0.5, 0.5, 0, 0}: MSE 0.125, MAE 0.25, max 0.5;
    // signal power 32258.5, noise 0.5: SNR = 10 log10(64517) = 48.0969 dB; mean 0 so SQNR is the same.
    void metricsByHand() {
        auto r = ql::analyze(request(make({4}, {0.5f, -0.5f, 127.0f, -127.0f}), {cfg(8, Scheme::Symmetric)}));
        QVERIFY(r.warnings.empty());
        const auto& m = r.configs.at(0).metrics;
        QVERIFY(near(m.mse, 0.125, kRelTol));
        QVERIFY(near(m.rmse, std::sqrt(0.125), kRelTol));
        QVERIFY(near(m.mae, 0.25, kRelTol));
        QCOMPARE(m.max_abs, 0.5);
        QVERIFY(near(m.snr_db, 10 * std::log10(64517.0), kRelTol));
        QVERIFY(near(m.sqnr_db, 10 * std::log10(8064.625 / 0.125), kRelTol));
        QVERIFY(near(m.cosine, 32258.0 / (std::sqrt(32258.5) * std::sqrt(32258.0)), kRelTol));
        QCOMPARE(m.levels_used, std::uint64_t(3));  // codes 0, 127, -127
        QCOMPARE(m.clipped, std::uint64_t(0));
        QCOMPARE(m.count, std::uint64_t(4));
        QCOMPARE(r.configs[0].sample_dequantized, (std::vector<float>{0.0f, -0.0f, 127.0f, -127.0f}));
    }

    // A representable tensor is reproduced exactly: zero error, infinite SNR, cosine 1.
    void exactTensor() {
        std::vector<float> v;
        for (int k = -127; k <= 127; ++k) v.push_back(static_cast<float>(k));
        auto r = ql::analyze(request(make({255}, v), {cfg(8, Scheme::Symmetric)}));
        const auto& m = r.configs.at(0).metrics;
        QCOMPARE(m.mse, 0.0);
        QVERIFY(std::isinf(m.snr_db) && m.snr_db > 0);
        QCOMPARE(m.cosine, 1.0);
        QCOMPARE(m.levels_used, std::uint64_t(255));
    }

    // Histograms count every finite value, share one weight range with the original, and hold every
    // dequantized value; the error range is symmetric and shared by the configurations.
    void histograms_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::newRow("int8 asym tensor") << cfg(8, Scheme::Asymmetric);
        QTest::newRow("int4 asym tensor") << cfg(4, Scheme::Asymmetric);
        QTest::newRow("int2 asym tensor: levels beyond the data") << cfg(2, Scheme::Asymmetric);
        QTest::newRow("int4 sym group 32") << cfg(4, Scheme::Symmetric, Granularity::PerGroup, 32);
        QTest::newRow("int3 asym channel") << cfg(3, Scheme::Asymmetric, Granularity::PerChannel);
    }
    void histograms() {
        QFETCH(QuantConfig, config);
        ql::GeneratorSpec g;
        g.shape = {64, 256};
        g.distribution = ql::Distribution::Laplace;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        auto req = request(t, {config, cfg(8, Scheme::Symmetric)});
        req.options.histogram_bins = 50;
        const auto r = ql::analyze(req);
        const std::uint64_t n = static_cast<std::uint64_t>(t->numel());
        QCOMPARE(r.original.total, n);
        QCOMPARE(r.original.counts.size(), r.configs[0].dequantized.counts.size());
        QVERIFY(r.original.counts.size() >= 50);
        QVERIFY(r.original.lo <= r.tensor.min && r.original.hi >= r.tensor.max);
        for (const auto& c : r.configs) {
            QCOMPARE(c.dequantized.total, n);
            QCOMPARE(c.errors.total, n);
            QCOMPARE(c.dequantized.lo, r.original.lo);
            QCOMPARE(c.dequantized.hi, r.original.hi);
            QCOMPARE(c.errors.lo, -c.errors.hi);
            QVERIFY(c.errors.hi >= c.metrics.max_abs);
            // density integrates to 1
            const auto d = c.dequantized.density();
            const double integral = std::accumulate(d.begin(), d.end(), 0.0) * c.dequantized.bin_width();
            QVERIFY(near(integral, 1.0, 1e-9));
            // the levels grid lies within the histogram
            for (float lv : c.levels) QVERIFY(lv >= c.dequantized.lo - 1e-6 && lv <= c.dequantized.hi + 1e-6);
        }
        // the dequantized histogram of a per-tensor configuration has at most 2^b occupied bins
        if (config.granularity == Granularity::PerTensor) {
            const auto& dq = r.configs[0].dequantized.counts;
            QVERIFY(std::count_if(dq.begin(), dq.end(), [](auto c) { return c > 0; }) <= (1 << config.bits));
        }
    }

    // On uniform data, min-max quantization with 2^b levels has step = range / (2^b - 1) and noise
    // step^2 / 12 against signal range^2 / 12, so SNR = 20 log10(2^b - 1): each extra bit adds
    // 20 log10((2^b - 1) / (2^(b-1) - 1)) dB, which tends to the classic 20 log10(2) = 6.02 dB per bit.
    // Each configuration's error histogram spans its own error bound: the INT8 one is not squeezed into
    // the few central bins of an INT4 range.
    void errorGridPerConfiguration() {
        ql::GeneratorSpec g;
        g.shape = {64, 256};
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        const auto r = ql::analyze(request(t, {cfg(8, Scheme::Asymmetric), cfg(4, Scheme::Asymmetric)}));
        const auto& c8 = r.configs[0];
        const auto& c4 = r.configs[1];
        QVERIFY(c8.errors.hi < c4.errors.hi / 8);  // the 8-bit step is 17x smaller
        for (const auto* c : {&c8, &c4}) {
            QVERIFY(c->errors.hi >= c->metrics.max_abs);
            QVERIFY(c->errors.hi <= 2 * c->metrics.max_abs);  // a bound of the step, not of another configuration
            QCOMPARE(c->errors.total, static_cast<std::uint64_t>(t->numel()));
        }
    }

    // Moving one configuration recomputes that one alone: the untouched configuration's report, served
    // from the memo, is the same as a fresh analysis of it.
    void untouchedConfigurationFromMemo_data() {
        QTest::addColumn<QuantConfig>("kept");
        QTest::addColumn<bool>("expect_wider");
        QTest::newRow("INT8 asym per-tensor") << cfg(8, Scheme::Asymmetric) << true;
        QTest::newRow("INT4 sym g32") << cfg(4, Scheme::Symmetric, Granularity::PerGroup, 32) << false;
        QuantConfig nf4;
        nf4.format = ql::Format::NF4;
        nf4.block_size = 64;
        QTest::newRow("NF4") << nf4 << false;
    }
    void untouchedConfigurationFromMemo() {
        QFETCH(QuantConfig, kept);
        QFETCH(bool, expect_wider);
        ql::GeneratorSpec g;
        g.shape = {96, 320};
        g.seed = 11;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        ql::forget_configuration_memos();
        const auto first = ql::analyze(request(t, {kept, cfg(4, Scheme::Asymmetric)}));
        const auto moved = ql::analyze(request(t, {kept, cfg(3, Scheme::Asymmetric)}));  // kept from the memo
        ql::forget_configuration_memos(kept);
        const auto fresh = ql::analyze(request(t, {kept, cfg(3, Scheme::Asymmetric)}));   // kept recomputed
        const auto& a = moved.configs[0];
        const auto& b = fresh.configs[0];
        QVERIFY(a.error.empty());
        QVERIFY(a.from_memo);
        QVERIFY(!b.from_memo);
        QVERIFY(!moved.configs[1].from_memo);
        // INT3 widens the shared weight grid: the kept configuration's histogram moved over by whole bins
        if (expect_wider) QVERIFY(moved.original.counts.size() > first.original.counts.size());
        QCOMPARE(a.dequantized.lo, b.dequantized.lo);
        QCOMPARE(a.dequantized.hi, b.dequantized.hi);
        QCOMPARE(a.metrics.mse, b.metrics.mse);
        QCOMPARE(a.metrics.max_abs, b.metrics.max_abs);
        QCOMPARE(a.metrics.snr_db, b.metrics.snr_db);
        QCOMPARE(a.metrics.cosine, b.metrics.cosine);
        QCOMPARE(a.metrics.levels_used, b.metrics.levels_used);
        QCOMPARE(a.dequantized.counts, b.dequantized.counts);
        QCOMPARE(a.errors.lo, b.errors.lo);
        QCOMPARE(a.errors.counts, b.errors.counts);
        QCOMPARE(a.code_counts, b.code_counts);
        QCOMPARE(a.channel_mse, b.channel_mse);
        QCOMPARE(a.sample_dequantized, b.sample_dequantized);
        // and the moved configuration is not served from another bit width's memo
        QVERIFY(moved.configs[1].metrics.mse > 2 * first.configs[1].metrics.mse);  // INT3 is not INT4's memo
        QCOMPARE(moved.configs[1].metrics.mse, fresh.configs[1].metrics.mse);
    }

    void snrPerBit_data() {
        QTest::addColumn<int>("bits");
        for (int b = 3; b <= 8; ++b) QTest::newRow(qPrintable(QString("%1 -> %2 bits").arg(b - 1).arg(b))) << b;
    }
    void snrPerBit() {
        QFETCH(int, bits);
        static std::shared_ptr<const Tensor> t = [] {
            ql::GeneratorSpec g;
            g.distribution = ql::Distribution::Uniform;
            g.shape = {1000, 1000};
            g.std = 1.0;
            return std::make_shared<const Tensor>(ql::generate(g));
        }();
        const auto r = ql::analyze(request(t, {cfg(bits - 1, Scheme::Asymmetric), cfg(bits, Scheme::Asymmetric)}));
        const double gain = r.configs[1].metrics.snr_db - r.configs[0].metrics.snr_db;
        const double expected = 20 * std::log10(((1 << bits) - 1.0) / ((1 << (bits - 1)) - 1.0));
        QVERIFY2(std::fabs(gain - expected) < kSnrPerBitTolerance, qPrintable(QString("gain %1 dB, expected %2").arg(gain).arg(expected)));
        QVERIFY(std::fabs(r.configs[1].metrics.snr_db - 20 * std::log10((1 << bits) - 1.0)) < kSnrPerBitTolerance);
        if (bits >= 6) QVERIFY2(std::fabs(gain - kSnrPerBit) < kSnrPerBitTolerance, qPrintable(QString("gain %1 dB").arg(gain)));
    }

    void snrSweep() {
        ql::GeneratorSpec g;
        g.shape = {200, 200};
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        auto req = request(t, {cfg(4, Scheme::Asymmetric)});
        req.options.snr_sweep = true;
        const auto r = ql::analyze(req);
        const auto& s = r.configs[0].snr_vs_bits;
        QCOMPARE(int(s.size()), 7);
        for (std::size_t i = 0; i < s.size(); ++i) {
            QCOMPARE(s[i].bits, int(i) + 2);
            if (i) QVERIFY(s[i].snr_db > s[i - 1].snr_db);
            QVERIFY(near(s[i].reference_db, s.back().snr_db - kSnrPerBit * (8 - s[i].bits), 1e-12));
        }
        QVERIFY(near(s[2].snr_db, r.configs[0].metrics.snr_db, 1e-12));  // the 4-bit point is this config
    }

    // HQQ's sweep: the solver at bits 2..8 with the configuration's group, at b + 32 / group bits per weight
    // (an fp16 scale and zero per group), SNR rising with the bits, the 3-bit point this configuration's own.
    // Left to add_snr_sweeps() (snr_sweep_solvers off), the first analysis has none and the INT sweep as
    // before; add_snr_sweeps() then gives what one whole analysis gives, and later analyses take it from
    // the memo. A progress callback that says stop within the solver ends add_snr_sweeps() with false.
    void hqqSnrSweep() {
        ql::GeneratorSpec g;
        g.shape = {64, 256};
        g.seed = 1234;  // a tensor of its own: no memo from other tests
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        QuantConfig hqq;
        hqq.format = ql::Format::HQQ;
        hqq.bits = 3;
        hqq.block_size = 32;
        auto req = request(t, {cfg(4, Scheme::Asymmetric), hqq});
        req.options.snr_sweep = true;

        auto first = req;
        first.options.snr_sweep_solvers = false;
        // stopped within the solver (its iterations ask too): false, no sweep, and none kept in the memo
        ql::AnalysisReport stop = ql::analyze(first);
        int asked = 0;
        QVERIFY(!ql::add_snr_sweeps(req, stop, [&](std::size_t, std::size_t) { return ++asked < 6; }));
        QVERIFY2(asked >= 6, "stopped before the solver");
        QVERIFY(stop.configs[1].snr_vs_bits.empty());
        QVERIFY(ql::analyze(first).configs[1].snr_vs_bits.empty());

        ql::AnalysisReport part = ql::analyze(first);
        QCOMPARE(int(part.configs[0].snr_vs_bits.size()), 7);
        QVERIFY(part.configs[1].snr_vs_bits.empty());
        part.sweeps_pending = true;
        QVERIFY(ql::add_snr_sweeps(req, part));
        QVERIFY(!part.sweeps_pending);

        const auto whole = ql::analyze(req);
        const auto& s = whole.configs[1].snr_vs_bits;
        QCOMPARE(int(s.size()), 7);
        for (std::size_t i = 0; i < s.size(); ++i) {
            QCOMPARE(s[i].bits, int(i) + 2);
            QCOMPARE(s[i].bits_per_weight, s[i].bits + 32.0 / 32.0);
            if (i) QVERIFY2(s[i].snr_db > s[i - 1].snr_db, qPrintable(QString("%1 bits").arg(s[i].bits)));
            QCOMPARE(s[i].snr_db, part.configs[1].snr_vs_bits[i].snr_db);
        }
        QVERIFY(near(s[1].snr_db, whole.configs[1].metrics.snr_db, kRelTol));  // the 3-bit point is this config
        // HQQ at 2 bits beats plain min-max INT2 with the same groups: the zero the solver moves pays
        QuantConfig int2 = cfg(2, Scheme::Asymmetric, Granularity::PerGroup, 32);
        int2.scale_type = ql::ScaleType::F16;
        const auto rtn = ql::analyze(request(t, {int2}));
        QVERIFY2(s[0].snr_db > rtn.configs[0].metrics.snr_db,
                 qPrintable(QString("HQQ INT2 %1 dB, min-max INT2 %2 dB").arg(s[0].snr_db).arg(rtn.configs[0].metrics.snr_db)));

        const auto again = ql::analyze(first);  // from the memo, though the solver's sweeps are left out
        QCOMPARE(int(again.configs[1].snr_vs_bits.size()), 7);
    }

    // LLM-like rows (10-100x larger) ruin a per-tensor scale for every other row; per-channel scales fix it.
    void perChannelBeatsPerTensor() {
        ql::GeneratorSpec g;
        g.shape = {64, 512};
        g.std = 0.02;
        g.llm_channels = 4;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        const auto r = ql::analyze(request(t, {cfg(8, Scheme::Symmetric), cfg(8, Scheme::Symmetric, Granularity::PerChannel)}));
        const auto& pt = r.configs[0].channel_mse;
        const auto& pc = r.configs[1].channel_mse;
        QCOMPARE(int(pt.size()), 64);
        QCOMPARE(int(pc.size()), 64);
        QVERIFY(r.configs[1].metrics.mse < r.configs[0].metrics.mse);
        int better = 0;
        for (std::size_t i = 0; i < pt.size(); ++i) better += pc[i] < pt[i];
        QVERIFY2(better >= 56, qPrintable(QString("%1 of 64 rows better per channel").arg(better)));
        // per-row MSEs average to the tensor MSE (equal row lengths)
        QVERIFY(near(std::accumulate(pt.begin(), pt.end(), 0.0) / 64, r.configs[0].metrics.mse, kSumTol));
    }

    // One layer: W = [[127, 63.5]] at INT8 sym has scale 1, so Wq = [[127, 64]] (63.5 ties to 64) and
    // Y - Yq = x1 * (-0.5) for the single input row x = (x0, x1) ~ normal from ql::Rng(forward_seed).
    void forwardDiffByHand() {
        auto req = request(make({1, 2}, {127.0f, 63.5f}), {cfg(8, Scheme::Symmetric)});
        req.options.forward_batch = 1;
        req.options.forward_seed = 99;
        const auto r = ql::analyze(req);
        ql::Rng rng(99);
        const double x0 = static_cast<float>(rng.normal()), x1 = static_cast<float>(rng.normal());
        const double y = x0 * 127.0 + x1 * 63.5;
        const auto& f = r.configs[0].forward;
        QVERIFY(near(f.mean_abs, 0.5 * std::fabs(x1), 1e-6));
        QVERIFY(near(f.max_abs, 0.5 * std::fabs(x1), 1e-6));
        QVERIFY(near(f.mean_rel_pct, 0.5 * std::fabs(x1) / std::fabs(y) * 100, 1e-5));
    }

    void layerAccumulation_data() {
        QTest::addColumn<int>("activation");
        QTest::newRow("none") << int(ql::Activation::None);
        QTest::newRow("relu") << int(ql::Activation::ReLU);
        QTest::newRow("gelu") << int(ql::Activation::GELU);
    }
    void layerAccumulation() {
        QFETCH(int, activation);
        auto req = request(make({8, 8}, std::vector<float>(64, 1.0f)), {cfg(8, Scheme::Asymmetric), cfg(4, Scheme::Asymmetric)});
        req.options.layer_sim.enabled = true;
        req.options.layer_sim.width = 128;
        req.options.layer_sim.layers = 5;
        req.options.layer_sim.activation = static_cast<ql::Activation>(activation);
        const auto r = ql::analyze(req);
        const auto& l8 = r.configs[0].layers;
        const auto& l4 = r.configs[1].layers;
        QCOMPARE(int(l8.size()), 5);
        QCOMPARE(int(l4.size()), 5);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(l8[static_cast<std::size_t>(i)].layer, i + 1);
            QVERIFY(l8[static_cast<std::size_t>(i)].relative > 0);
            QVERIFY(l4[static_cast<std::size_t>(i)].relative > 4 * l8[static_cast<std::size_t>(i)].relative);
        }
        // error accumulates: the last layer is worse than the first
        QVERIFY(l4.back().relative > l4.front().relative);
    }

    // The window's three parts: analyze() without the layer simulation and the forward differences,
    // then add_layer_sims() and add_forward_diffs() on copies, give what one analyze() gives, value
    // for value, with one thread or all of them; the flags say what is still to come.
    void partsAddUpToTheWhole_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("every thread") << 0;
        QTest::newRow("one thread") << 1;
    }
    void partsAddUpToTheWhole() {
        QFETCH(int, threads);
        const int defaultThreads = omp_get_max_threads();
        ql::GeneratorSpec g;
        g.shape = {96, 130};
        auto req = request(std::make_shared<const ql::Tensor>(ql::generate(g)), {cfg(8, Scheme::Asymmetric), cfg(3, Scheme::Symmetric)});
        req.options.layer_sim.enabled = true;
        req.options.layer_sim.width = 200;
        req.options.layer_sim.layers = 3;
        req.options.forward_diff = true;
        ql::forget_configuration_memos();
        const ql::AnalysisReport whole = ql::analyze(req);
        ql::forget_configuration_memos();  // the parts compute afresh, not from the whole's memos
        auto first = req;
        first.options.layer_sim.enabled = false;
        first.options.forward_diff = false;
        ql::AnalysisReport part = ql::analyze(first);
        for (const auto& c : part.configs) QVERIFY(c.layers.empty());
        part.layers_pending = part.forward_pending = true;
        if (threads > 0) omp_set_num_threads(threads);
        const bool layersIn = ql::add_layer_sims(req, part);
        omp_set_num_threads(defaultThreads);
        QVERIFY(layersIn);
        QVERIFY(!part.layers_pending);
        QVERIFY(part.forward_pending);
        QVERIFY(ql::add_forward_diffs(req, part, {}, threads));
        QVERIFY(!part.forward_pending);
        QCOMPARE(part.configs.size(), whole.configs.size());
        for (std::size_t i = 0; i < whole.configs.size(); ++i) {
            const auto& a = part.configs[i];
            const auto& b = whole.configs[i];
            QCOMPARE(a.layers.size(), std::size_t(3));
            QCOMPARE(a.layers.size(), b.layers.size());
            for (std::size_t l = 0; l < b.layers.size(); ++l) {
                QCOMPARE(a.layers[l].mean_abs, b.layers[l].mean_abs);
                QCOMPARE(a.layers[l].relative, b.layers[l].relative);
            }
            QCOMPARE(a.forward.mean_abs, b.forward.mean_abs);
            QCOMPARE(a.forward.mean_rel_pct, b.forward.mean_rel_pct);
            QCOMPARE(a.metrics.mse, b.metrics.mse);
        }
    }

    // The forward difference and the layer simulation are memoised per configuration, and the FP32
    // side of the layer simulation per simulation options: a second analysis, one after the memos
    // were dropped, and one with other options must each give what a fresh computation gives.
    void memosMatchFreshResults_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("batch");
        QTest::newRow("width 64, batch 4") << 64 << 4;
        QTest::newRow("width 96, batch 9") << 96 << 9;
    }
    void memosMatchFreshResults() {
        QFETCH(int, width);
        QFETCH(int, batch);
        ql::GeneratorSpec g;
        g.shape = {48, 80};
        g.seed = 5;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        auto req = request(t, {cfg(8, Scheme::Asymmetric), cfg(4, Scheme::Symmetric, Granularity::PerGroup, 32)});
        req.options.layer_sim.enabled = true;
        req.options.layer_sim.width = width;
        req.options.layer_sim.batch = batch;
        req.options.layer_sim.layers = 3;
        req.options.forward_batch = batch;
        ql::forget_configuration_memos();
        const auto first = ql::analyze(req);
        const auto again = ql::analyze(req);   // every per-configuration result from the memos
        ql::forget_configuration_memos();
        const auto fresh = ql::analyze(req);   // recomputed; the FP32 side of the layers still shared
        for (std::size_t i = 0; i < 2; ++i) {
            for (const auto* r : {&again, &fresh}) {
                const auto& a = first.configs[i];
                const auto& b = r->configs[i];
                QVERIFY(near(a.forward.mean_abs, b.forward.mean_abs, kMemoTolerance));
                QVERIFY(near(a.forward.max_abs, b.forward.max_abs, kMemoTolerance));
                QCOMPARE(a.layers.size(), b.layers.size());
                for (std::size_t l = 0; l < a.layers.size(); ++l) QCOMPARE(a.layers[l].relative, b.layers[l].relative);
            }
        }
        QVERIFY(first.configs[1].forward.mean_abs > first.configs[0].forward.mean_abs);  // INT4 is not INT8's memo
        // Other forward and layer options are not served from the memo of these.
        auto other = req;
        other.options.forward_seed += 1;
        other.options.layer_sim.seed += 1;
        const auto o = ql::analyze(other);
        QVERIFY(o.configs[0].forward.mean_abs != first.configs[0].forward.mean_abs);
        QVERIFY(o.configs[0].layers.front().relative != first.configs[0].layers.front().relative);
        // and the first options again, after the shared FP32 side was replaced: the same numbers
        ql::forget_configuration_memos();
        const auto back = ql::analyze(req);
        for (std::size_t l = 0; l < first.configs[1].layers.size(); ++l)
            QCOMPARE(back.configs[1].layers[l].relative, first.configs[1].layers[l].relative);
    }

    // NF4's block absmax values are kept per tensor and block size (NF4+DQ reads the tensor for them once),
    // and forgetting the configurations' memos keeps them. Analyses that reuse them, and one of a changed
    // copy of the tensor (a new Tensor, whose absmax must be its own), match the scalar reference: codes,
    // the sample row's dequantized values bit for bit, the largest error, the mean squared error. Each row
    // first analyses the tensor at NF4+DQ with its block size and with the other one, so both are kept.
    void nf4BlockAbsmaxReuse_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        auto nf4 = [](ql::Format f, int block) {
            QuantConfig c;
            c.format = f;
            c.block_size = block;
            return c;
        };
        const std::vector<std::int64_t> whole64{32, 256}, partial64{37, 101}, whole4096{16, 512}, partial4096{9, 1000};
        QTest::newRow("nf4_dq block 64") << nf4(ql::Format::NF4_DQ, 64) << whole64;
        QTest::newRow("nf4_dq block 64, not whole blocks") << nf4(ql::Format::NF4_DQ, 64) << partial64;
        QTest::newRow("nf4_dq block 4096") << nf4(ql::Format::NF4_DQ, 4096) << whole4096;
        QTest::newRow("nf4_dq block 4096, not whole blocks") << nf4(ql::Format::NF4_DQ, 4096) << partial4096;
        QTest::newRow("nf4_dq default block, not whole blocks") << nf4(ql::Format::NF4_DQ, 0) << partial64;
        QTest::newRow("nf4 block 64, not whole blocks") << nf4(ql::Format::NF4, 64) << partial64;
        QTest::newRow("nf4 block 4096, not whole blocks") << nf4(ql::Format::NF4, 4096) << partial4096;
    }
    void nf4BlockAbsmaxReuse() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        ql::GeneratorSpec g;
        g.shape = shape;
        g.seed = 23;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        const int block = config.block_size > 0 ? config.block_size : ql::default_block_size(config.format);
        QuantConfig dq = config, other = config;
        dq.format = other.format = ql::Format::NF4_DQ;
        other.block_size = block == 64 ? 4096 : 64;

        auto check = [&](const Tensor& x, const ql::AnalysisReport& r) { matchesReference(x, r, config); };

        ql::forget_configuration_memos();
        const auto first = ql::analyze(request(t, {dq, other}));  // both block sizes' absmax kept
        QVERIFY(first.configs[0].error.empty() && first.configs[1].error.empty());
        ql::forget_configuration_memos();
        const auto again = ql::analyze(request(t, {config}));  // prepared afresh with the kept absmax
        QVERIFY(!again.configs[0].from_memo);
        check(*t, again);
        if (QTest::currentTestFailed()) return;

        // A changed copy: its first block halved (absmax falls), its last, partial or not, tripled (rises). Its
        // codes are the first tensor's; the first tensor's absmax would give others.
        auto changed = std::make_shared<Tensor>(*t);
        const std::size_t n = changed->values.size(), b = static_cast<std::size_t>(block);
        for (std::size_t k = 0; k < std::min(n, b); ++k) changed->values[k] *= 0.5f;
        for (std::size_t k = (n - 1) / b * b; k < n; ++k) changed->values[k] *= 3.0f;
        ql::forget_configuration_memos();
        const auto copy = ql::analyze(request(changed, {config}));
        check(*changed, copy);
        if (QTest::currentTestFailed()) return;
        QVERIFY(copy.configs[0].metrics.mse != again.configs[0].metrics.mse);  // NF4 codes do not change with a block's scale

        // and the first tensor once more, after the copy's absmax were kept too
        ql::forget_configuration_memos();
        check(*t, ql::analyze(request(t, {config})));
    }

    // Q4_0, Q4_1 and Q5_0 state their bounds from each 32-value block's min and max, kept per tensor as its
    // per-group-32 slice ranges once a scan has checked every value is finite. Each row analyses first with
    // an Int g32 configuration (its ranges do not say whether values were left out), then with the row's
    // format, again after the memos were dropped (from the kept ranges), then a changed copy of the tensor
    // (its own ranges), and one holding a NaN (every block quantized to measure the bounds): each matches the
    // scalar reference.
    void ggmlBlockRangesReuse_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        for (ql::Format f : {ql::Format::Q4_0, ql::Format::Q4_1, ql::Format::Q5_0}) {
            QuantConfig c;
            c.format = f;
            QTest::newRow((std::string(ql::format_name(f)) + " 64x256").c_str()) << c << std::vector<std::int64_t>{64, 256};
            QTest::newRow((std::string(ql::format_name(f)) + " 4x8x96").c_str()) << c << std::vector<std::int64_t>{4, 8, 96};
            QTest::newRow((std::string(ql::format_name(f)) + " 33x100, not whole blocks").c_str()) << c << std::vector<std::int64_t>{33, 100};
        }
    }
    void ggmlBlockRangesReuse() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        ql::GeneratorSpec g;
        g.shape = shape;
        g.seed = 31;
        g.outlier_fraction = 0.001;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        ql::forget_configuration_memos();
        const auto int_first = ql::analyze(request(t, {cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 32)}));
        QVERIFY(int_first.configs[0].error.empty());
        matchesReference(*t, ql::analyze(request(t, {config})), config);
        if (QTest::currentTestFailed()) return;
        ql::forget_configuration_memos();
        const auto again = ql::analyze(request(t, {config}));
        QVERIFY(!again.configs[0].from_memo);
        matchesReference(*t, again, config);
        if (QTest::currentTestFailed()) return;

        // a changed copy: its first block's values scaled up, its last block's halved
        auto changed = std::make_shared<Tensor>(*t);
        const std::size_t n = changed->values.size();
        for (std::size_t k = 0; k < 32; ++k) changed->values[k] *= 4.0f;
        for (std::size_t k = n - 32; k < n; ++k) changed->values[k] *= 0.5f;
        ql::forget_configuration_memos();
        const auto copy = ql::analyze(request(changed, {config}));
        matchesReference(*changed, copy, config);
        if (QTest::currentTestFailed()) return;
        QVERIFY(copy.configs[0].metrics.mse != again.configs[0].metrics.mse);

        auto with_nan = std::make_shared<Tensor>(*t);
        with_nan->values[n / 2] = std::numeric_limits<float>::quiet_NaN();
        ql::forget_configuration_memos();
        const auto nan_report = ql::analyze(request(with_nan, {config}));
        QVERIFY2(nan_report.configs[0].error.empty(), nan_report.configs[0].error.c_str());
        QCOMPARE(nan_report.tensor.nan_count, std::uint64_t(1));
    }

    void cancel() {
        ql::GeneratorSpec g;
        g.shape = {512, 512};
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        int calls = 0;
        const auto r = ql::analyze(request(t, {cfg(8, Scheme::Asymmetric), cfg(4, Scheme::Asymmetric)}),
                                   [&](std::size_t, std::size_t) { return ++calls < 2; });
        QVERIFY(r.cancelled);
        QVERIFY(calls >= 2);
    }

    void progressReachesTotal() {
        ql::GeneratorSpec g;
        g.shape = {256, 256};
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        std::size_t last_done = 0, last_total = 0;
        bool monotone = true;
        const auto r = ql::analyze(request(t, {cfg(8, Scheme::Asymmetric)}), [&](std::size_t d, std::size_t tot) {
            monotone = monotone && d >= last_done && d <= tot;
            last_done = d;
            last_total = tot;
            return true;
        });
        QVERIFY(!r.cancelled);
        QVERIFY(monotone);
        QVERIFY(last_total > 0);
    }

    // The same numbers with 1 and 2 threads (sums are merged in chunk order).
    void deterministicAcrossThreads() {
        ql::GeneratorSpec g;
        g.shape = {300, 700};
        g.outlier_fraction = 0.001;
        const Tensor base = ql::generate(g);
        const auto cs = std::vector<QuantConfig>{cfg(4, Scheme::Asymmetric), cfg(4, Scheme::Symmetric, Granularity::PerGroup, 64)};
        const int before = omp_get_max_threads();
        omp_set_num_threads(1);
        const auto r1 = ql::analyze(request(std::make_shared<const Tensor>(base), cs));
        omp_set_num_threads(2);
        const auto r2 = ql::analyze(request(std::make_shared<const Tensor>(base), cs));
        omp_set_num_threads(before);
        for (std::size_t i = 0; i < cs.size(); ++i) {
            QCOMPARE(r1.configs[i].metrics.mse, r2.configs[i].metrics.mse);
            QCOMPARE(r1.configs[i].metrics.snr_db, r2.configs[i].metrics.snr_db);
            QCOMPARE(r1.configs[i].dequantized.counts, r2.configs[i].dequantized.counts);
            QCOMPARE(r1.configs[i].errors.counts, r2.configs[i].errors.counts);
            QCOMPARE(r1.configs[i].channel_mse, r2.configs[i].channel_mse);
        }
        QCOMPARE(r1.tensor.std, r2.tensor.std);
    }

    void nonFiniteInputs() {
        const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
        auto r = ql::analyze(request(make({2, 4}, {1.0f, nan, -2.0f, 0.5f, inf, 3.0f, -inf, 0.25f}), {cfg(8, Scheme::Asymmetric)}));
        QCOMPARE(r.tensor.nan_count, std::uint64_t(1));
        QCOMPARE(r.tensor.inf_count, std::uint64_t(2));
        QCOMPARE(r.tensor.min, -2.0);
        QCOMPARE(r.tensor.max, 3.0);
        QVERIFY(!r.warnings.empty());
        const auto& c = r.configs[0];
        QCOMPARE(c.metrics.count, std::uint64_t(5));
        QCOMPARE(c.metrics.nonfinite, std::uint64_t(3));
        QVERIFY(std::isfinite(c.metrics.mse));
        QCOMPARE(c.dequantized.total, std::uint64_t(5));
        QCOMPARE(c.errors.total, std::uint64_t(5));
        QCOMPARE(r.original.total, std::uint64_t(5));
    }

    void invalidConfigIsReported() {
        QuantConfig bad = cfg(8, Scheme::Symmetric, Granularity::PerChannel);
        bad.axis = 5;
        auto r = ql::analyze(request(make({2, 2}, {1, 2, 3, 4}), {bad, cfg(8, Scheme::Symmetric)}));
        QVERIFY(r.configs[0].error.find("axis 5 out of range") != std::string::npos);
        QVERIFY(r.configs[1].error.empty());
        QCOMPARE(r.configs[1].metrics.count, std::uint64_t(4));
    }

    void emptyAndNoConfigs() {
        auto r = ql::analyze(request(make({0, 4}, {}), {cfg(8, Scheme::Symmetric)}));
        QCOMPARE(r.tensor.numel, std::int64_t(0));
        QCOMPARE(r.configs.size(), std::size_t(1));
        auto r2 = ql::analyze(request(make({3}, {1, 2, 3}), {}));
        QCOMPARE(r2.original.total, std::uint64_t(3));
        AnalysisRequest none;
        QVERIFY(!ql::analyze(none).warnings.empty());
    }

    // The memory bars: FP32 = 4 bytes per value ... and each configuration's true size.
    void memoryBars() {
        auto r = ql::analyze(request(make({1000, 1000}, std::vector<float>(1000000, 0.5f)),
                                     {cfg(4, Scheme::Symmetric, Granularity::PerGroup, 128)}));
        QCOMPARE(int(r.memory.size()), 5);
        QCOMPARE(r.memory[0].bytes, std::uint64_t(4000000));
        QCOMPARE(r.memory[0].gb, 0.004);
        QVERIFY(near(r.memory[0].gib, 4000000.0 / 1073741824.0, 1e-12));
        QCOMPARE(r.memory[1].bytes, std::uint64_t(2000000));
        QCOMPARE(r.memory[2].bytes, std::uint64_t(1000000));
        QCOMPARE(r.memory[3].bytes, std::uint64_t(500000));
        QCOMPARE(r.memory[4].config_index, 0);
        // 1000 columns = 8 groups per row (the last has 104 values), each with an fp16 scale
        QCOMPARE(r.memory[4].bytes, std::uint64_t((1000000 * 4 + 1000 * 8 * 16) / 8));
    }

    // levels_index picks the slice whose levels are drawn: group 2 of row 0 here.
    // The vector integer pass at the top edge of the weights' grid, where bin_index() has its two rules:
    // a value equal to the top (whose (hi - lo) * inv reaches base_bins) stays in the last bin, and a
    // dequantized value above the top goes to the bins beyond even when rounding puts (v - lo) * inv
    // below base_bins. The grid and the parameters are built so each case happens (checked first); the
    // dequantized and error histograms must equal bin_of() of every value, for each histogram mode.
    void intPassBinEdges_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("mode");
        QTest::addColumn<bool>("above");
        QTest::addColumn<bool>("slice_range");
        for (const auto& [bits, name, mode] : int_pass_modes())
            for (bool above : {false, true})
                for (bool ranged : {false, true})
                    QTest::newRow(qPrintable(QString("int%1 %2, %3%4")
                                                 .arg(bits)
                                                 .arg(name)
                                                 .arg(above ? "dequantized above the top" : "value on the top edge")
                                                 .arg(ranged ? ", slice range given" : "")))
                        << bits << mode << above << ranged;
    }
    void intPassBinEdges() {
        QFETCH(int, bits);
        QFETCH(int, mode);
        QFETCH(bool, above);
        QFETCH(bool, slice_range);
        constexpr int kBins = 100;
        float lo = 0.0f, hi = 1.0f, top = 1.0f;  // top: the dequantized value of hi
        ql::kernels::BinGrid wg;
        wg.base_bins = kBins;
        wg.below = wg.above = 2;
        auto set_grid = [&] {
            wg.base_lo = lo;
            wg.base_hi = hi;
        };
        if (!above) {
            set_grid();
            const ql::BinParams p = wg.params();
            QVERIFY2((hi - p.lo) * p.inv_width >= static_cast<float>(kBins), "the top value reaches base_bins before its rule");
        } else {
            // the top's successor d rounds back onto hi - lo when lo is further from 0, and the grid's inverse
            // width is rounded down, so (d - lo) * inv stays below base_bins although d > hi
            lo = -3.0f;
            bool found = false;
            for (int k = 0; k < 1024 && !found; ++k) {
                hi = 1.0f + static_cast<float>(k) / 1024.0f;
                top = std::nextafter(hi, 2.0f * hi);
                set_grid();
                const ql::BinParams p = wg.params();
                found = top - lo == hi - lo && std::floor((top - p.lo) * p.inv_width) < static_cast<float>(kBins);
            }
            QVERIFY2(found, "a top value whose dequantized successor falls short of base_bins");
        }
        const int c = 1 << (bits - 2);  // hi dequantizes to c * scale = top exactly (c a power of two)
        ql::IntParams p{top / static_cast<float>(c), 0.0f, 0};
        p.inv_scale = 1.0f / p.scale;
        const ql::IntRange rg = ql::int_code_range(bits, true);
        std::vector<float> x{hi, lo};
        ql::Rng rng(7);
        while (x.size() < 700) x.push_back(lo + (hi - lo) * static_cast<float>(rng.uniform()));
        x.push_back(hi);
        auto dq_of = [&](float v) { return ql::int_dequantize(ql::int_quantize(v, p, rg), p); };
        QCOMPARE(dq_of(hi), top);
        const auto run = int_pass_on_grid(x, p, rg, wg, mode, slice_range);
        if (!run) QSKIP("this CPU has no vector path for the integer pass");
        const auto& [codes, dq, err, dq_out, err_out] = run->counts;
        const ql::kernels::BinGrid& eg = run->errors;

        std::vector<std::uint64_t> want_dq(static_cast<std::size_t>(wg.total()), 0), want_err(static_cast<std::size_t>(eg.total()), 0);
        for (float v : x) {
            const float d = dq_of(v);
            const int db = wg.bin_of(d), eb = eg.bin_of(d - v);
            QVERIFY(db >= 0 && eb >= 0);
            ++want_dq[static_cast<std::size_t>(db)];
            ++want_err[static_cast<std::size_t>(eb)];
        }
        if (above) QVERIFY2(want_dq[static_cast<std::size_t>(kBins + wg.below)] > 0, "the top's dequantized value lies in the first bin above");
        QCOMPARE(dq, want_dq);
        QCOMPARE(err, want_err);
        QCOMPARE(dq_out, std::uint64_t(0));
        QCOMPARE(err_out, std::uint64_t(0));
    }

    // Dequantized values beyond both ends of a grid without bins outside it: the vector integer pass counts
    // them as outside, each side on its own, and every other value in its bin, for each histogram mode.
    // The values fill [-1, 1] = the grid; the scale 1 / 3.6 sends |x| >= 0.9722 to |dq| = 4 / 3.6 > 1.
    void intPassDequantizedOutsideTheGrid_data() {
        int_pass_mode_rows();
    }
    void intPassDequantizedOutsideTheGrid() {
        QFETCH(int, bits);
        QFETCH(int, mode);
        QFETCH(bool, slice_range);
        constexpr int kBins = 100;
        ql::kernels::BinGrid wg;
        wg.base_lo = -1.0f;
        wg.base_hi = 1.0f;
        wg.base_bins = kBins;
        ql::IntParams p{1.0f / 3.6f, 0.0f, 0};
        p.inv_scale = 1.0f / p.scale;
        const ql::IntRange rg = ql::int_code_range(bits, true);
        std::vector<float> x{-1.0f, 1.0f};
        ql::Rng rng(11);
        while (x.size() < 3000) x.push_back(static_cast<float>(2.0 * rng.uniform() - 1.0));
        auto dq_of = [&](float v) { return ql::int_dequantize(ql::int_quantize(v, p, rg), p); };
        const auto run = int_pass_on_grid(x, p, rg, wg, mode, slice_range);
        if (!run) QSKIP("this CPU has no vector path for the integer pass");
        const auto& [codes, dq, err, dq_out, err_out] = run->counts;

        std::vector<std::uint64_t> want_dq(static_cast<std::size_t>(wg.total()), 0);
        std::uint64_t below = 0, above = 0;
        for (float v : x) {
            const float d = dq_of(v);
            const int db = wg.bin_of(d);
            if (db >= 0) ++want_dq[static_cast<std::size_t>(db)];
            else if (d < 0) ++below;
            else ++above;
        }
        QVERIFY2(below > 0 && above > 0, "dequantized values beyond both ends");
        QCOMPARE(dq, want_dq);
        std::vector<float> dqs;
        for (float v : x) dqs.push_back(dq_of(v));
        QVERIFY2(run->dq_range.first == *std::min_element(dqs.begin(), dqs.end()), "the pass's lowest dequantized value, exactly");
        QVERIFY2(run->dq_range.second == *std::max_element(dqs.begin(), dqs.end()), "the pass's highest dequantized value, exactly");
        QCOMPARE(dq_out, below + above);
        QCOMPARE(err_out, std::uint64_t(0));
    }

    // Codes that clip in a slice well inside the grid: x in [-0.5, 0.5] on the grid [-1, 1], a scale of
    // 0.05 that sends |x| > 0.375 past INT4's 7 (and, at 4x the scale's inverse, nothing past INT8's
    // range: the unclipped control). Given the slice's range, the pass must still clamp and count the
    // clipped values, and every histogram must equal the scalar definitions'.
    void intPassClippedInsideTheGrid_data() {
        int_pass_mode_rows();
    }
    void intPassClippedInsideTheGrid() {
        QFETCH(int, bits);
        QFETCH(int, mode);
        QFETCH(bool, slice_range);
        ql::kernels::BinGrid wg;
        wg.base_lo = -1.0f;
        wg.base_hi = 1.0f;
        wg.base_bins = 100;
        ql::IntParams p{bits == 4 ? 0.05f : 0.05f / 4.0f, 0.0f, 0};
        p.inv_scale = 1.0f / p.scale;
        const ql::IntRange rg = ql::int_code_range(bits, true);
        std::vector<float> x{-0.5f, 0.5f};
        ql::Rng rng(5);
        while (x.size() < 2000) x.push_back(static_cast<float>(rng.uniform() - 0.5));
        const auto run = int_pass_on_grid(x, p, rg, wg, mode, slice_range);
        if (!run) QSKIP("this CPU has no vector path for the integer pass");
        const auto& [codes, dq, err, dq_out, err_out] = run->counts;
        std::vector<std::uint64_t> want_dq(static_cast<std::size_t>(wg.total()), 0), want_codes(256, 0);
        std::vector<std::uint64_t> want_err(static_cast<std::size_t>(run->errors.total()), 0);
        std::uint64_t clipped = 0;
        for (float v : x) {
            const int q = ql::int_quantize(v, p, rg);
            const float d = ql::int_dequantize(q, p);
            ++want_codes[static_cast<std::size_t>(q + 128)];
            ++want_dq[static_cast<std::size_t>(wg.bin_of(d))];
            ++want_err[static_cast<std::size_t>(run->errors.bin_of(d - v))];
            const float r = ql::ql_rint(v * p.inv_scale);
            if (r < static_cast<float>(rg.qmin) || r > static_cast<float>(rg.qmax)) ++clipped;
        }
        if (bits == 4) QVERIFY2(clipped > 0, "INT4's codes clip");
        else QCOMPARE(clipped, std::uint64_t(0));
        QCOMPARE(run->clipped, clipped);
        QCOMPARE(codes, want_codes);
        QCOMPARE(dq, want_dq);
        QCOMPARE(err, want_err);
        QCOMPARE(dq_out, std::uint64_t(0));
        QCOMPARE(err_out, std::uint64_t(0));
    }

    // The per-slice bounds of the vector integer pass (int_slice_bounds_avx512, and the scalar form the
    // AVX2 kernel takes) against their definition,
    // slice by slice: the lowest and highest dequantized value over the slices, and the flag that lets a
    // slice skip the clamp and the bins' edge rules (its values and dequantized values inside the grid
    // with (v - lo) * inv below base_bins, and no code that clips). Slices that may not take the flag
    // (the grid's top value, codes that clip, a dequantized top above the grid) sit in every lane of
    // the three loads the parameters come from and in the tail.
    void intSliceBounds_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("avx512");
        for (bool avx512 : {true, false})
            for (int bits : {8, 4})
                for (int count : {16, 37})
                    QTest::newRow(qPrintable(QString("%3, int%1, %2 slices").arg(bits).arg(count).arg(avx512 ? "AVX-512" : "scalar")))
                        << bits << count << avx512;
    }
    void intSliceBounds() {
        QFETCH(int, bits);
        QFETCH(int, count);
        QFETCH(bool, avx512);
        if (avx512 && (!ql::kernels::detail::int_pass_avx512_compiled() || !ql::cpu_has_avx512()))
            QSKIP("this CPU has no AVX-512 vector path for the integer pass");
        ql::kernels::BinGrid wg;
        wg.base_lo = -1.0f;
        wg.base_hi = 1.0f;
        wg.base_bins = 100;
        wg.below = wg.above = 3;
        const ql::IntRange rg = ql::int_code_range(bits, false);
        ql::kernels::detail::IntPassArgs a;
        a.qminf = static_cast<float>(rg.qmin);
        a.qmaxf = static_cast<float>(rg.qmax);
        a.w = wg.params();
        std::vector<float> lo, hi;
        std::vector<ql::IntParams> p;
        ql::Rng rng(23);
        for (int k = 0; k < count; ++k) {
            float l = static_cast<float>(rng.uniform() * 1.6 - 0.9), h = static_cast<float>(rng.uniform() * 1.6 - 0.9);
            if (l > h) std::swap(l, h);
            ql::IntParams q = ql::int_params(l, h, bits, false);
            switch (k % 6) {
            case 1: h = 1.0f; q = ql::int_params(l, h, bits, false); break;        // the grid's top value
            case 3: q = ql::int_params(l * 0.5f, h * 0.5f, bits, false); break;   // codes clip
            case 5: q = ql::int_params(l, 1.1f, bits, false); h = 0.999f; break;  // may dequantize above the top
            default: break;
            }
            lo.push_back(l);
            hi.push_back(h);
            p.push_back(q);
        }
        std::vector<std::uint8_t> fast(static_cast<std::size_t>(count), 2);
        float dlo = 0, dhi = 0;
        if (avx512) ql::kernels::detail::int_slice_bounds_avx512(a, p.data(), lo.data(), hi.data(), count, fast.data(), dlo, dhi);
        else ql::kernels::detail::int_slice_bounds_scalar(a, p.data(), lo.data(), hi.data(), count, fast.data(), dlo, dhi);
        const ql::BinParams w = wg.params();
        const float base = static_cast<float>(w.base_bins);
        float want_lo = std::numeric_limits<float>::infinity(), want_hi = -want_lo;
        int fast_n = 0;
        for (int k = 0; k < count; ++k) {
            const auto K = static_cast<std::size_t>(k);
            const float da = ql::int_dequantize(ql::int_quantize(lo[K], p[K], rg), p[K]);
            const float db = ql::int_dequantize(ql::int_quantize(hi[K], p[K], rg), p[K]);
            want_lo = std::min(want_lo, da);
            want_hi = std::max(want_hi, db);
            const float ra = ql::ql_rint(lo[K] * p[K].inv_scale) + static_cast<float>(p[K].zero_point);
            const float rb = ql::ql_rint(hi[K] * p[K].inv_scale) + static_cast<float>(p[K].zero_point);
            const bool want = da >= w.lo && db <= w.hi && (hi[K] - w.lo) * w.inv_width < base && (db - w.lo) * w.inv_width < base &&
                              ra >= static_cast<float>(rg.qmin) && rb <= static_cast<float>(rg.qmax);
            fast_n += want ? 1 : 0;
            QVERIFY2(fast[K] == (want ? 1 : 0), qPrintable(QString("slice %1 [%2, %3]: flag %4, want %5")
                                                                .arg(k).arg(lo[K], 0, 'g', 9).arg(hi[K], 0, 'g', 9).arg(fast[K]).arg(want)));
        }
        QVERIFY2(fast_n > 0 && fast_n < count, "slices of both kinds");
        QVERIFY2(dlo == want_lo && dhi == want_hi, qPrintable(QString("dequantized range [%1, %2], want [%3, %4]")
                                                                   .arg(dlo, 0, 'g', 9).arg(dhi, 0, 'g', 9).arg(want_lo, 0, 'g', 9).arg(want_hi, 0, 'g', 9)));
    }

    // An error grid narrower than the errors (a broken bound): the vector integer pass must say so through
    // err_outside (the analysis then re-bins with the measured range), whichever side is too narrow, and
    // still count the codes and the dequantized values exactly.
    void intPassErrorsOutsideTheGrid_data() {
        QTest::addColumn<double>("lo_part");
        QTest::addColumn<double>("hi_part");
        QTest::newRow("both sides narrow") << 0.5 << 0.5;
        QTest::newRow("top narrow") << 1.0 << 0.5;
        QTest::newRow("bottom narrow") << 0.5 << 1.0;
    }
    void intPassErrorsOutsideTheGrid() {
        QFETCH(double, lo_part);
        QFETCH(double, hi_part);
        ql::Rng rng(11);
        std::vector<float> x(3000);
        for (auto& v : x) v = static_cast<float>(rng.normal());
        const auto [lo_it, hi_it] = std::minmax_element(x.begin(), x.end());
        const ql::IntParams p = ql::int_params(*lo_it, *hi_it, 4, false);
        const ql::IntRange rg = ql::int_code_range(4, false);
        float emin = 0, emax = 0;
        std::vector<float> dqv;
        for (float v : x) {
            const float d = ql::int_dequantize(ql::int_quantize(v, p, rg), p);
            dqv.push_back(d);
            emin = std::min(emin, d - v);
            emax = std::max(emax, d - v);
        }
        QVERIFY(emin < 0 && emax > 0);
        ql::kernels::IntPassSetup setup;
        setup.qmin = rg.qmin;
        setup.qmax = rg.qmax;
        setup.weights.base_lo = *lo_it;
        setup.weights.base_hi = *hi_it;
        setup.weights.base_bins = 50;
        setup.weights.below = setup.weights.above = 2;
        setup.errors.base_lo = emin * lo_part;
        setup.errors.base_hi = emax * hi_part;
        setup.errors.base_bins = 30;
        setup.dq_mode = ql::kernels::DqHistogram::GroupCodes;
        if (!ql::kernels::IntPass::available(setup)) QSKIP("this CPU has no vector path for the integer pass");
        auto [codes, dq, err, dq_out, err_out] = int_pass_counts(setup, x, p);
        QVERIFY2(err_out > 0, "errors outside the grid are reported");
        std::vector<std::uint64_t> want_dq(static_cast<std::size_t>(setup.weights.total()), 0), want_codes(256, 0);
        for (std::size_t k = 0; k < x.size(); ++k) {
            ++want_dq[static_cast<std::size_t>(setup.weights.bin_of(dqv[k]))];
            ++want_codes[static_cast<std::size_t>(ql::int_quantize(x[k], p, rg) + 128)];
        }
        QCOMPARE(dq, want_dq);
        QCOMPARE(codes, want_codes);
        QCOMPARE(dq_out, std::uint64_t(0));
    }

    // The fused integer pass (vector path where the CPU has it) against the scalar definitions, element
    // by element: codes and dequantized values from quantize_int_ref, the clipped test on
    // rint(x * (1 / scale)) + z, bins from BinGrid::bin_of on the report's grids, plain double sums.
    // Counts, maximum and clipped values must match exactly; sums only up to their summation order.
    void intPassMatchesScalar_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::newRow("int8 asym tensor") << cfg(8, Scheme::Asymmetric) << std::vector<std::int64_t>{96, 517};
        QTest::newRow("int4 sym tensor") << cfg(4, Scheme::Symmetric) << std::vector<std::int64_t>{96, 517};
        QTest::newRow("int8 asym group 128 (moves from the original)") << cfg(8, Scheme::Asymmetric, Granularity::PerGroup, 128)
                                                                      << std::vector<std::int64_t>{64, 1024};
        QTest::newRow("int8 sym group 32 (moves, 32 slices per row: every lane of the slice bounds)")
            << cfg(8, Scheme::Symmetric, Granularity::PerGroup, 32) << std::vector<std::int64_t>{16, 1024};
        QTest::newRow("int4 asym group 128 (counted)") << cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 128)
                                                      << std::vector<std::int64_t>{64, 1024};
        QTest::newRow("int4 asym group 512 (codes counted in pieces of 240)") << cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 512)
                                                                           << std::vector<std::int64_t>{16, 1300};
        QTest::newRow("int2 sym group 40, short last group") << cfg(2, Scheme::Symmetric, Granularity::PerGroup, 40)
                                                            << std::vector<std::int64_t>{33, 250};
        QTest::newRow("int4 sym channel axis 0 (codes counted per channel)") << cfg(4, Scheme::Symmetric, Granularity::PerChannel)
                                                                            << std::vector<std::int64_t>{24, 777};
        QTest::newRow("int5 sym group 48, short last group, 3-D") << cfg(5, Scheme::Symmetric, Granularity::PerGroup, 48)
                                                                 << std::vector<std::int64_t>{12, 7, 200};
        QTest::newRow("int3 asym channel axis 0") << cfg(3, Scheme::Asymmetric, Granularity::PerChannel) << std::vector<std::int64_t>{40, 333};
        QuantConfig axis1 = cfg(6, Scheme::Asymmetric, Granularity::PerChannel);
        axis1.axis = 1;
        QTest::newRow("int6 asym channel axis 1, 3-D") << axis1 << std::vector<std::int64_t>{9, 11, 70};
        QTest::newRow("int8 sym, rows longer than a chunk") << cfg(8, Scheme::Symmetric) << std::vector<std::int64_t>{3, 40000};
    }
    void intPassMatchesScalar() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        ql::GeneratorSpec g;
        g.shape = shape;
        g.distribution = ql::Distribution::Laplace;
        g.outlier_fraction = 0.001;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        auto req = request(t, {config});
        req.options.histogram_bins = 73;
        const auto r = ql::analyze(req);
        QVERIFY(r.warnings.empty());
        const auto& c = r.configs.at(0);

        std::vector<std::int8_t> codes;
        ql::QuantParams qp;
        const std::vector<float> dq = ql::quantize_int_ref(*t, config, &codes, &qp);
        const ql::SliceLayout L = ql::SliceLayout::make(config, t->shape);
        const bool sym = config.scheme == Scheme::Symmetric;
        const ql::IntRange rg = ql::int_code_range(config.bits, sym);
        // the report's grids: weights on [min, max] extended by whole bins, errors on [-e, e]
        const auto [wg, eg] = report_grids(r, c, req.options.histogram_bins);

        const std::int64_t n = t->numel();
        const std::int64_t len = n / shape[0];
        std::vector<std::uint64_t> code_counts(static_cast<std::size_t>(rg.qmax - rg.qmin + 1), 0);
        std::vector<std::uint64_t> dq_counts(c.dequantized.counts.size(), 0), err_counts(c.errors.counts.size(), 0);
        std::vector<double> channel(static_cast<std::size_t>(shape[0]), 0.0);
        double sum_e2 = 0, sum_abs = 0, max_abs = 0, sum_x2 = 0, sum_dq2 = 0, sum_xdq = 0;
        std::uint64_t clipped = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const float x = t->values[k];
            const auto s = static_cast<std::size_t>(L.slice_of(i));
            const float scale = qp.scales[s];
            const int z = sym ? 0 : qp.zero_points[s];
            const float v = std::nearbyint(x * (1.0f / scale)) + static_cast<float>(z);
            if (v < static_cast<float>(rg.qmin) || v > static_cast<float>(rg.qmax)) ++clipped;
            ++code_counts[static_cast<std::size_t>(codes[k] - rg.qmin)];
            const float e = dq[k] - x;
            const int db = wg.bin_of(dq[k]), eb = eg.bin_of(e);
            QVERIFY2(db >= 0 && eb >= 0, "every value inside the report's grids");
            ++dq_counts[static_cast<std::size_t>(db)];
            ++err_counts[static_cast<std::size_t>(eb)];
            sum_e2 += static_cast<double>(e * e);
            sum_abs += std::fabs(static_cast<double>(e));
            max_abs = std::max(max_abs, static_cast<double>(std::fabs(e)));
            channel[static_cast<std::size_t>(i / len)] += static_cast<double>(e * e);
            sum_x2 += static_cast<double>(x) * x;
            sum_dq2 += static_cast<double>(dq[k]) * dq[k];
            sum_xdq += static_cast<double>(x) * dq[k];
        }
        QCOMPARE(c.code_counts, code_counts);
        QCOMPARE(c.lowest_code, rg.qmin);
        QCOMPARE(c.dequantized.counts, dq_counts);
        QCOMPARE(c.errors.counts, err_counts);
        QCOMPARE(c.metrics.max_abs, max_abs);
        QCOMPARE(c.metrics.clipped, clipped);
        QCOMPARE(c.metrics.count, static_cast<std::uint64_t>(n));
        QVERIFY(near(c.metrics.mse, sum_e2 / static_cast<double>(n), kSumTol));
        QVERIFY(near(c.metrics.mae, sum_abs / static_cast<double>(n), kSumTol));
        QVERIFY(near(c.metrics.cosine, sum_xdq / (std::sqrt(sum_x2) * std::sqrt(sum_dq2)), kSumTol));
        QCOMPARE(c.channel_mse.size(), channel.size());
        for (std::size_t k = 0; k < channel.size(); ++k)
            QVERIFY(near(c.channel_mse[k], channel[k] / static_cast<double>(len), kSumTol));
    }

    // The fused statistics of the other formats (core/format_pass.h where the CPU has AVX-512, the general
    // loops elsewhere and for non-finite inputs) against each format's scalar reference, element by element:
    // codes and dequantized values from quantize_format_ref, bins from BinGrid::bin_of on the report's
    // grids, plain double sums over the finite values, the clipped count from the quantizer's run() over the
    // whole tensor. Counts and the maximum must match exactly, sums only
    // up to their summation order. Rows cover each way of building the dequantized histogram (from the codes
    // of one scale, counted codes with a dequantized x error table, moves from the original's), partial blocks,
    // rows that are not whole blocks, all-zero blocks and non-finite inputs.
    void formatPassMatchesScalar_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<bool>("specials");  // all-zero rows, NaN and +-Inf
        auto fmt = [](ql::Format f) {
            QuantConfig c;
            c.format = f;
            return c;
        };
        const std::vector<std::int64_t> whole{48, 512}, partial{37, 200}, odd{5, 7, 131};
        for (ql::Format f : {ql::Format::NF4, ql::Format::NF4_DQ, ql::Format::FP8_E4M3, ql::Format::FP8_E5M2, ql::Format::FP4_E2M1,
                             ql::Format::MXFP4, ql::Format::NVFP4, ql::Format::Q8_0, ql::Format::Q4_0, ql::Format::Q4_1,
                             ql::Format::Q5_0, ql::Format::IQ4_NL}) {
            const std::string name(ql::format_name(f));
            QTest::newRow((name + " whole blocks").c_str()) << fmt(f) << whole << false;
            QTest::newRow((name + " rows not whole blocks").c_str()) << fmt(f) << partial << false;
            QTest::newRow((name + " 3-D, odd rows").c_str()) << fmt(f) << odd << false;
            QTest::newRow((name + " zero rows, NaN and Inf").c_str()) << fmt(f) << partial << true;
        }
        QuantConfig fp8ch = fmt(ql::Format::FP8_E4M3);
        fp8ch.granularity = Granularity::PerChannel;
        QTest::newRow("fp8_e4m3 per channel (moves from the original)") << fp8ch << partial << false;
        QuantConfig fp4g = fmt(ql::Format::FP4_E2M1);
        fp4g.granularity = Granularity::PerGroup;
        fp4g.group_size = 48;
        QTest::newRow("fp4_e2m1 group 48 (counted codes)") << fp4g << partial << false;
        QTest::newRow("nf4 short last block") << fmt(ql::Format::NF4) << std::vector<std::int64_t>{33, 48} << false;
        QTest::newRow("nf4_dq short last block") << fmt(ql::Format::NF4_DQ) << std::vector<std::int64_t>{33, 48} << false;
        QuantConfig nf4b = fmt(ql::Format::NF4);
        nf4b.block_size = 32;
        QTest::newRow("nf4 block 32, rows longer than a chunk") << nf4b << std::vector<std::int64_t>{3, 40000} << false;
    }
    void formatPassMatchesScalar() {
        QFETCH(QuantConfig, config);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(bool, specials);
        ql::GeneratorSpec g;
        g.shape = shape;
        g.outlier_fraction = 0.001;
        Tensor base = ql::generate(g);
        const std::int64_t n = base.numel();
        const std::int64_t len = n / shape[0];
        if (specials) {
            std::fill(base.values.begin(), base.values.begin() + 2 * len, 0.0f);  // two all-zero rows
            base.values[static_cast<std::size_t>(3 * len + 5)] = std::numeric_limits<float>::quiet_NaN();
            base.values[static_cast<std::size_t>(4 * len + 1)] = std::numeric_limits<float>::infinity();
            base.values[static_cast<std::size_t>(n - 3)] = -std::numeric_limits<float>::infinity();
        }
        auto t = std::make_shared<const Tensor>(std::move(base));
        auto req = request(t, {config});
        req.options.histogram_bins = 73;
        const auto r = ql::analyze(req);
        const auto& c = r.configs.at(0);
        QVERIFY2(c.error.empty(), c.error.c_str());

        std::vector<std::int8_t> codes;
        const std::vector<float> dq = ql::quantize_format_ref(*t, config, &codes, nullptr);
        const auto [wg, eg] = report_grids(r, c, req.options.histogram_bins);

        std::vector<std::uint64_t> code_counts(256, 0);
        std::vector<std::uint64_t> dq_counts(c.dequantized.counts.size(), 0), err_counts(c.errors.counts.size(), 0);
        std::vector<double> channel(static_cast<std::size_t>(shape[0]), 0.0);
        double sum_e2 = 0, sum_abs = 0, sum_dq2 = 0, sum_xdq = 0, max_abs = 0;
        std::uint64_t finite = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i);
            const float x = t->values[k];
            if (!std::isfinite(x)) continue;
            ++finite;
            ++code_counts[static_cast<std::size_t>(codes[k] + 128)];
            const float e = dq[k] - x;
            const int db = wg.bin_of(dq[k]), eb = eg.bin_of(e);
            QVERIFY2(db >= 0 && eb >= 0, "every value inside the report's grids");
            ++dq_counts[static_cast<std::size_t>(db)];
            ++err_counts[static_cast<std::size_t>(eb)];
            sum_e2 += static_cast<double>(e * e);
            sum_abs += std::fabs(static_cast<double>(e));
            sum_dq2 += static_cast<double>(dq[k] * dq[k]);
            sum_xdq += static_cast<double>(x * dq[k]);
            max_abs = std::max(max_abs, static_cast<double>(std::fabs(e)));
            channel[static_cast<std::size_t>(i / len)] += static_cast<double>(e * e);
        }
        QCOMPARE(c.lowest_code, -128);
        QCOMPARE(c.code_counts, code_counts);
        QCOMPARE(c.dequantized.counts, dq_counts);
        QCOMPARE(c.errors.counts, err_counts);
        QCOMPARE(c.metrics.max_abs, max_abs);
        QCOMPARE(c.metrics.count, finite);
        // the clipped values as the quantizer's own run() counts them, prepared without the tensor's range
        // (ggml formats: every block quantized in prepare(), none in the pass)
        {
            auto qz = ql::make_quantizer(config);
            QVERIFY(qz->prepare(*t));
            std::vector<float> out(static_cast<std::size_t>(n));
            std::uint64_t clipped = 0;
            qz->run(0, n, out.data(), nullptr, &clipped);
            QCOMPARE(c.metrics.clipped, clipped);
        }
        const double cnt = static_cast<double>(finite);
        QVERIFY(near(c.metrics.mse, sum_e2 / cnt, kSumTol));
        QVERIFY(near(c.metrics.mae, sum_abs / cnt, kSumTol));
        double sum_x2 = 0;
        for (float x : t->values)
            if (std::isfinite(x)) sum_x2 += static_cast<double>(x) * static_cast<double>(x);
        QVERIFY(near(c.metrics.cosine, sum_xdq / (std::sqrt(sum_x2) * std::sqrt(sum_dq2)), kSumTol));
        QCOMPARE(c.channel_mse.size(), channel.size());
        for (std::size_t k = 0; k < channel.size(); ++k)
            QVERIFY(near(c.channel_mse[k], channel[k] / static_cast<double>(len), kSumTol));
    }

    // core/format_pass.h's vector bins at the grid's edges against bin_index(), value by value: each side
    // of the base range's ends and of the extended grid's, values far outside, and the floats just above
    // base_hi whose floor still lands inside the base bins (this grid has some: they go to the first bin
    // above), as dequantized values (counted codes: the dequantized x error table) and as dequantized
    // values and, within the base range, original values (moves); errors on both sides of the error grid's
    // ends (the kernel puts an error outside the grid in an edge bin and the pass moves it out afterwards:
    // grids wider on one side check that the nearer end decides). Codes 0-15 (counted codes: every count
    // of a piece not a whole number of 64-code vectors) or all 256.
    void formatPassBinEdges_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("count");
        QTest::addColumn<double>("elo");
        QTest::addColumn<double>("ehi");
        QTest::addColumn<bool>("top_edge");  // base_hi moved so that base_hi's own floor reaches base_bins
        const int counted = int(ql::kernels::FormatDqHistogram::CountedCodes), moves = int(ql::kernels::FormatDqHistogram::Correction),
                  from_codes = int(ql::kernels::FormatDqHistogram::FromCodes);
        QTest::newRow("counted codes") << counted << 0 << -0.25 << 0.25 << false;
        QTest::newRow("counted codes, 1000 more") << counted << 1000 << -0.25 << 0.25 << false;
        QTest::newRow("counted codes, error grid wider below") << counted << 1000 << -0.3 << 0.25 << false;
        QTest::newRow("counted codes, error grid wider above") << counted << 1000 << -0.25 << 0.3 << false;
        QTest::newRow("moves") << moves << 0 << -0.25 << 0.25 << false;
        QTest::newRow("moves, 1000 more") << moves << 1000 << -0.25 << 0.25 << false;
        QTest::newRow("moves, error grid wider above") << moves << 1000 << -0.25 << 0.3 << false;
        QTest::newRow("moves, error grid wider below") << moves << 1000 << -0.3 << 0.25 << false;
        QTest::newRow("from codes") << from_codes << 1000 << -0.25 << 0.25 << false;
        QTest::newRow("from codes, error grid wider below") << from_codes << 1000 << -0.3 << 0.25 << false;
        QTest::newRow("counted codes, top value's floor past the base bins") << counted << 1000 << -0.25 << 0.25 << true;
        QTest::newRow("moves, top value's floor past the base bins") << moves << 1000 << -0.25 << 0.25 << true;
        // every error inside the grid: nothing else has the pass look at a piece again
        QTest::newRow("counted codes, errors inside the grid") << counted << 1000 << -2.5 << 2.5 << false;
        QTest::newRow("counted codes, errors inside the grid, top value's floor past the base bins") << counted << 1000 << -2.5 << 2.5 << true;
    }
    void formatPassBinEdges() {
        QFETCH(int, mode);
        QFETCH(int, count);
        QFETCH(double, elo);
        QFETCH(double, ehi);
        QFETCH(bool, top_edge);
        ql::kernels::FormatPassSetup s;
        s.weights.base_lo = -3.461778742196246;
        s.weights.base_hi = -0.20874098480111147;
        s.weights.base_bins = 136;
        s.weights.below = 4;
        s.weights.above = 6;
        s.errors.base_lo = elo;
        s.errors.base_hi = ehi;
        s.errors.base_bins = 50;
        s.dq_mode = static_cast<ql::kernels::FormatDqHistogram>(mode);
        const bool counted = s.dq_mode == ql::kernels::FormatDqHistogram::CountedCodes;
        const bool moves = s.dq_mode == ql::kernels::FormatDqHistogram::Correction;
        if (counted) {
            s.code_lo = 0;
            s.code_n = 16;
        }
        if (!ql::kernels::FormatPass::available(s)) QSKIP("no vector path on this CPU");
        if (top_edge) {
            bool found = false;
            for (int k = 0; k < 4096 && !found; ++k) {
                s.weights.base_hi = -0.20874098480111147 + k * 1e-6;
                const ql::BinParams p = s.weights.params();
                found = std::floor((p.hi - p.lo) * p.inv_width) >= static_cast<float>(p.base_bins);
            }
            QVERIFY2(found, "a base_hi whose floor reaches base_bins");
        }
        const ql::BinParams wp = s.weights.params(), ep = s.errors.params();
        std::vector<float> v;
        auto around = [&](float e) {
            float a = e, b = e;
            v.push_back(e);
            for (int k = 0; k < 3; ++k) {
                a = std::nextafter(a, -1e30f);
                b = std::nextafter(b, 1e30f);
                v.push_back(a);
                v.push_back(b);
            }
        };
        for (double e : {s.weights.base_lo, s.weights.base_hi, s.weights.lo(), s.weights.hi(), 0.0}) around(static_cast<float>(e));
        int past_hi = 0;  // above base_hi, floor inside the base bins
        float a = wp.hi;
        for (int k = 0; k < 64; ++k) {
            a = std::nextafter(a, 1e30f);
            if (std::floor((a - wp.lo) * wp.inv_width) < static_cast<float>(wp.base_bins)) {
                v.push_back(a);
                ++past_hi;
            }
        }
        QVERIFY(past_hi > 0 || top_edge);
        for (float f : {1e30f, -1e30f, 3e38f, -3e38f, 1e-30f}) v.push_back(f);
        ql::Rng rng(11);
        for (int k = 0; k < count; ++k) v.push_back(static_cast<float>(rng.uniform() * 4.0 - 3.8));
        const std::size_t n = v.size();
        // x: the value itself or off by an error on either side of the error grid's ends. A grid wider on one
        // side has no error beyond that side, so only the errors past the nearer end are outside.
        const bool inside = ehi > 2;  // no error outside the grid
        const float wide = inside ? 2.0f : std::max(-ep.lo, ep.hi);
        const bool one_side = -ep.lo != ep.hi || inside;
        std::vector<float> offs;
        for (float o : {0.0f, ep.hi, std::nextafter(ep.hi, 1.0f), ep.lo, std::nextafter(ep.lo, -1.0f), 0.1f, 2.0f})
            if (!one_side || std::fabs(o) <= wide) offs.push_back(o);
        std::vector<float> x(n), dq(n);
        std::vector<std::int8_t> codes(n);
        for (std::size_t k = 0; k < n; ++k) {
            dq[k] = v[k];
            x[k] = k % 2 && !one_side ? v[(k * 7 + 3) % n] : v[k] - offs[k % offs.size()];
            if (!std::isfinite(x[k])) x[k] = v[k];
            if (moves) x[k] = std::clamp(x[k], wp.lo, wp.hi);  // the original's values lie in its base range
            if (one_side && !(std::fabs(dq[k] - x[k]) <= wide)) (moves ? dq[k] : x[k]) = moves ? x[k] : v[k];
            codes[k] = static_cast<std::int8_t>(counted ? static_cast<int>(k % 16) : static_cast<int>(k * 37 % 256) - 128);
        }
        ql::kernels::FormatPass pass(s);
        ql::kernels::ErrorSums sums;
        pass.add(x.data(), dq.data(), codes.data(), static_cast<std::int64_t>(n), sums);
        std::vector<std::uint64_t> cc, dqh, err;
        std::uint64_t dq_out = 0, err_out = 0;
        pass.merge_into(cc, dqh, err, dq_out, err_out);

        const auto total = static_cast<std::size_t>(s.weights.total());
        std::vector<std::uint64_t> want_cc(256, 0), want_dq(total + 1, 0), want_err(static_cast<std::size_t>(s.errors.total()) + 1, 0);
        auto slot = [](int b, std::size_t out) { return b < 0 ? out : static_cast<std::size_t>(b); };
        for (std::size_t k = 0; k < n; ++k) {
            ++want_cc[static_cast<std::size_t>(codes[k] + 128)];
            ++want_err[slot(ql::bin_index(dq[k] - x[k], ep), want_err.size() - 1)];
            ++want_dq[slot(ql::bin_index(dq[k], wp), total)];
            if (moves) --want_dq[slot(ql::bin_index(x[k], wp), total)];  // modulo 2^64
        }
        if (inside) QCOMPARE(want_err.back(), std::uint64_t(0));
        else QVERIFY2(want_err.back() > 0 && want_err.front() > 0 && want_err[want_err.size() - 2] > 0, "errors outside and at both ends");
        QCOMPARE(cc, want_cc);
        QCOMPARE(err_out, want_err.back());
        want_err.pop_back();
        QCOMPARE(err, want_err);
        if (!counted && !moves) {  // from codes: the caller bins each code's value
            QVERIFY(dqh.empty());
            QCOMPARE(dq_out, std::uint64_t(0));
            return;
        }
        QCOMPARE(dq_out, want_dq.back());
        want_dq.pop_back();
        QCOMPARE(dqh, want_dq);
    }

    // A dequantized value that is not finite for a finite input (as from an fp16 block scale that overflows)
    // has its error outside the grid: counted outside for each histogram mode, wherever it lies in a call
    // (a NaN there need not show in the largest |e|). The first call has a NaN alone. The dequantized
    // histogram is not compared: an error outside the grid sends the analysis to re-bin everything.
    void formatPassNonFiniteErrors_data() {
        QTest::addColumn<int>("mode");
        QTest::newRow("counted codes") << int(ql::kernels::FormatDqHistogram::CountedCodes);
        QTest::newRow("moves") << int(ql::kernels::FormatDqHistogram::Correction);
        QTest::newRow("from codes") << int(ql::kernels::FormatDqHistogram::FromCodes);
    }
    void formatPassNonFiniteErrors() {
        QFETCH(int, mode);
        ql::kernels::FormatPassSetup s;
        s.weights.base_lo = -4;
        s.weights.base_hi = 4;
        s.weights.base_bins = 80;
        s.weights.below = s.weights.above = 2;
        s.errors.base_lo = -0.1;
        s.errors.base_hi = 0.1;
        s.errors.base_bins = 40;
        s.dq_mode = static_cast<ql::kernels::FormatDqHistogram>(mode);
        const bool counted = s.dq_mode == ql::kernels::FormatDqHistogram::CountedCodes;
        if (counted) s.code_n = 16;
        if (!ql::kernels::FormatPass::available(s)) QSKIP("no vector path on this CPU");
        const std::size_t n = 5000, first = 2000;
        ql::Rng rng(5);
        std::vector<float> x(n), dq(n);
        std::vector<std::int8_t> codes(n);
        for (std::size_t k = 0; k < n; ++k) {
            x[k] = static_cast<float>(std::clamp(rng.normal(), -3.9, 3.9));
            dq[k] = x[k] + static_cast<float>(rng.uniform() * 0.1 - 0.05);
            codes[k] = static_cast<std::int8_t>(counted ? static_cast<int>(k % 16) : static_cast<int>(k * 37 % 256) - 128);
        }
        const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
        dq[100] = nan;
        dq[first + 500] = inf;
        dq[first + 501] = -inf;
        dq[first + 900] = nan;
        ql::kernels::FormatPass pass(s);
        ql::kernels::ErrorSums sums;
        pass.add(x.data(), dq.data(), codes.data(), static_cast<std::int64_t>(first), sums);
        pass.add(x.data() + first, dq.data() + first, codes.data() + first, static_cast<std::int64_t>(n - first), sums);
        std::vector<std::uint64_t> cc, dqh, err;
        std::uint64_t dq_out = 0, err_out = 0;
        pass.merge_into(cc, dqh, err, dq_out, err_out);
        const ql::BinParams ep = s.errors.params();
        std::vector<std::uint64_t> want_cc(256, 0), want_err(static_cast<std::size_t>(s.errors.total()), 0);
        std::uint64_t want_out = 0;
        for (std::size_t k = 0; k < n; ++k) {
            ++want_cc[static_cast<std::size_t>(codes[k] + 128)];
            const int b = ql::bin_index(dq[k] - x[k], ep);
            if (b < 0) ++want_out;
            else ++want_err[static_cast<std::size_t>(b)];
        }
        QCOMPARE(want_out, std::uint64_t(4));
        QCOMPARE(cc, want_cc);
        QCOMPARE(err, want_err);
        QCOMPARE(err_out, want_out);
    }

    // Finite inputs whose ggml block cannot store its scale: the fp16 scale (or Q4_1's minimum) overflows
    // past 65504 and the block dequantizes to +-inf or NaN, as llama.cpp's own bytes would. One block of
    // row 1 is scaled up so far; the rest stay small. The report counts those values, states +inf errors,
    // -inf dB and a NaN cosine, says why in a warning, gives row 1 an infinite MSE and the other rows
    // their own, and builds both histograms from the finite values on finite grids, bin for bin as the
    // scalar reference gives them (whichever pass ran first: a NaN sum or an infinite one sends the
    // configuration through the general loops).
    void nonfiniteDequantized_data() {
        QTest::addColumn<ql::Format>("format");
        QTest::addColumn<double>("blockScale");  // the overflowing block's values are normal(0, 1) times this
        QTest::newRow("q4_1: the block minimum overflows") << ql::Format::Q4_1 << 3e5;
        QTest::newRow("q4_0: d = max / -8 overflows") << ql::Format::Q4_0 << 3e6;
        QTest::newRow("q8_0: d = amax / 127 overflows") << ql::Format::Q8_0 << 1e8;
        QTest::newRow("q5_0: d = max / -16 overflows") << ql::Format::Q5_0 << 3e6;
        QTest::newRow("iq4_nl: d overflows") << ql::Format::IQ4_NL << 1e8;
        QTest::newRow("q4_k: the super-block scale overflows") << ql::Format::Q4_K << 1e8;
        QTest::newRow("q5_k: the super-block scale overflows") << ql::Format::Q5_K << 1e8;
        QTest::newRow("q2_k: the super-block scale overflows") << ql::Format::Q2_K << 1e8;
        QTest::newRow("q3_k: the super-block scale overflows") << ql::Format::Q3_K << 1e8;
        QTest::newRow("iq4_xs: the super-block scale overflows") << ql::Format::IQ4_XS << 1e8;
    }
    void nonfiniteDequantized() {
        QFETCH(ql::Format, format);
        QFETCH(double, blockScale);
        const std::int64_t rows = 4, cols = 512;
        ql::GeneratorSpec g;
        g.shape = {rows, cols};
        g.std = 1.0;
        Tensor base = ql::generate(g);
        for (std::int64_t k = 0; k < 256; ++k) base.values[static_cast<std::size_t>(cols + k)] *= static_cast<float>(blockScale);
        auto t = std::make_shared<const Tensor>(std::move(base));
        QuantConfig c;
        c.format = format;
        auto req = request(t, {c});
        req.options.histogram_bins = 64;
        const auto r = ql::analyze(req);
        const auto& cr = r.configs.at(0);
        QVERIFY2(cr.error.empty(), cr.error.c_str());

        std::vector<std::int8_t> codes;
        const std::vector<float> dq = ql::quantize_format_ref(*t, c, &codes, nullptr);
        std::uint64_t bad = 0;
        std::vector<double> row_sse(static_cast<std::size_t>(rows), 0.0);
        std::vector<bool> row_bad(static_cast<std::size_t>(rows), false);
        for (std::size_t k = 0; k < dq.size(); ++k) {
            const std::size_t row = k / static_cast<std::size_t>(cols);
            if (!std::isfinite(dq[k])) {
                ++bad;
                row_bad[row] = true;
                continue;
            }
            const float e = dq[k] - t->values[k];
            row_sse[row] += static_cast<double>(e * e);
        }
        QVERIFY2(bad > 0, "the row's premise: the reference dequantizes some values to +-inf or NaN");
        QVERIFY(row_bad[1] && !row_bad[0] && !row_bad[2] && !row_bad[3]);
        const auto& m = cr.metrics;
        const double inf = std::numeric_limits<double>::infinity();
        QCOMPARE(m.nonfinite_dq, bad);
        QCOMPARE(m.count, static_cast<std::uint64_t>(rows * cols));
        QCOMPARE(m.mse, inf);
        QCOMPARE(m.mae, inf);
        QCOMPARE(m.max_abs, inf);
        QCOMPARE(m.snr_db, -inf);
        QCOMPARE(m.sqnr_db, -inf);
        QVERIFY(std::isnan(m.cosine));
        QCOMPARE(cr.forward.mean_rel_pct, inf);
        const std::string name = c.display_name();
        QVERIFY2(std::any_of(r.warnings.begin(), r.warnings.end(),
                             [&](const std::string& w) { return w.find(name + ": " + std::to_string(bad) + " of") == 0 && w.find("fp16") != std::string::npos; }),
                 "a warning names the configuration, the count and fp16");
        QCOMPARE(cr.channel_mse.size(), static_cast<std::size_t>(rows));
        QCOMPARE(cr.channel_mse[1], inf);
        for (std::size_t row : {std::size_t(0), std::size_t(2), std::size_t(3)})
            QVERIFY(near(cr.channel_mse[row], row_sse[row] / static_cast<double>(cols), kSumTol));

        compareFiniteHistograms(r, cr, *t, dq, req.options.histogram_bins);
        QCOMPARE(cr.errors.total, static_cast<std::uint64_t>(rows * cols) - bad);
    }

    // The same where the shared weight grid reaches above the tensor's max: NaN and +inf stay out of the
    // bins above base_hi too. Row 1's first block runs from -10^6 to -10^4: Q4_1's d = 990000 / 15 and
    // Q4_0's d = -10^6 / -8 both overflow fp16, and its values dequantize to NaN (Q4_1: inf * q - inf)
    // or +-inf and NaN (Q4_0: (q - 8) * inf). Row 0's first block holds -10 and 8.7 (the tensor's max):
    // Q4_0's d = -10 / -8 = 1.25, and 8.7 / 1.25 rounds to level 7, 8.75, above the max.
    void nonfiniteDequantizedAboveTheGrid() {
        const std::int64_t cols = 256;
        std::vector<float> v(static_cast<std::size_t>(2 * cols));
        ql::Rng rng(11);
        for (auto& x : v) x = static_cast<float>(std::clamp(rng.normal(), -4.0, 4.0));
        v[3] = -10.0f;
        v[7] = 8.7f;
        for (std::int64_t k = 0; k < 32; ++k) v[static_cast<std::size_t>(cols + k)] = -1e4f - static_cast<float>(k) * (990000.0f / 31.0f);
        auto t = make({2, cols}, v);
        QuantConfig q41, q40;
        q41.format = ql::Format::Q4_1;
        q40.format = ql::Format::Q4_0;
        auto req = request(t, {q41, q40});
        req.options.histogram_bins = 50;
        const auto r = ql::analyze(req);
        QCOMPARE(r.tensor.max, 8.7f);
        QVERIFY2(r.configs[1].dequantized.hi > r.tensor.max, "the premise: Q4_0's levels reach above the tensor's max");
        for (std::size_t i = 0; i < 2; ++i) {
            const auto& cr = r.configs[i];
            QVERIFY2(cr.error.empty(), cr.error.c_str());
            const std::vector<float> dq = ql::quantize_format_ref(*t, cr.config, nullptr, nullptr);
            const auto bad = static_cast<std::uint64_t>(std::count_if(dq.begin(), dq.end(), [](float d) { return !std::isfinite(d); }));
            QCOMPARE(cr.metrics.nonfinite_dq, bad);
            QCOMPARE(bad, std::uint64_t(32));
            QVERIFY(std::any_of(dq.begin(), dq.end(), [](float d) { return std::isnan(d); }));
            compareFiniteHistograms(r, cr, *t, dq, req.options.histogram_bins);
        }
    }

    // The cosine where the passes' identity x dq = (x^2 + dq^2 - e^2) / 2 would cancel most digits: a clip
    // range far inside the data (dq much smaller than x), and data far from zero at a few bits (dq nearly
    // unrelated to x). The cosine must match the plain double sums of the reference to float precision.
    void cosineWithoutCancellation_data() {
        QTest::addColumn<QuantConfig>("config");
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("std");
        QTest::addColumn<double>("outliers");  // fraction of values at +-40 std
        QuantConfig p01 = cfg(8, Scheme::Symmetric);
        p01.range = ql::RangeMethod::Percentile;
        p01.percentile = 0.1;
        QTest::newRow("int8 sym, clipped at the 0.1th percentile of |x|") << p01 << 0.0 << 1.0 << 0.0;
        // five outliers set the step; the bulk, all near 1.5e7, rounds to the zero point's level 0
        QTest::newRow("int2 asym per tensor, the bulk dequantized to 0") << cfg(2, Scheme::Asymmetric) << 1.5e7 << 7.7e6 << 2e-5;
        QuantConfig nf4;
        nf4.format = ql::Format::NF4;
        nf4.block_size = 256;
        QTest::newRow("nf4 block 256 (control: little cancellation)") << nf4 << 0.0 << 1.0 << 0.003;
    }
    void cosineWithoutCancellation() {
        QFETCH(QuantConfig, config);
        QFETCH(double, mean);
        QFETCH(double, std);
        QFETCH(double, outliers);
        ql::GeneratorSpec g;
        g.shape = {64, 4096};
        g.mean = mean;
        g.std = std;
        g.outlier_fraction = outliers;
        g.outlier_magnitude = 40;
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        const auto r = ql::analyze(request(t, {config}));
        const auto& c = r.configs.at(0);
        QVERIFY2(c.error.empty(), c.error.c_str());
        const std::vector<float> dq = config.format == ql::Format::Int ? ql::quantize_int_ref(*t, config, nullptr, nullptr)
                                                                       : ql::quantize_format_ref(*t, config, nullptr, nullptr);
        double sx2 = 0, sd2 = 0, sxd = 0, se2 = 0;
        for (std::size_t k = 0; k < dq.size(); ++k) {
            const double x = t->values[k], d = dq[k];
            sx2 += x * x;
            sd2 += d * d;
            sxd += x * d;
            const float e = dq[k] - t->values[k];
            se2 += static_cast<double>(e) * e;
        }
        const double want = sxd / (std::sqrt(sx2) * std::sqrt(sd2));
        qInfo("cancellation factor %.3g: cosine %.12g, reference %.12g", (sx2 + sd2 + se2) / std::fabs(2 * sxd), c.metrics.cosine, want);
        QVERIFY(near(c.metrics.cosine, want, kSumTol));
    }

    // analyze() against the scalar references on seeded random cases: tensors of every distribution,
    // 1-3 axes, odd sizes, scales from 1e-3 to 1e3, outliers, LLM-like rows, an all-zero row, NaN and
    // -inf, ties; integer configurations of every bit width, scheme, granularity, axis, group size,
    // scale type and range method, and every storage format with its block sizes; one to three
    // configurations per request (sharing the weight grid), any bin count, one or two threads. Counts
    // and the maximum error exactly, the sums to float precision, as intPassMatchesScalar does.
    void randomisedAgainstReference_data() {
        QTest::addColumn<RandomCase>("rc");
        const std::vector<ql::Format> formats = {ql::Format::NF4,  ql::Format::NF4_DQ, ql::Format::FP8_E4M3, ql::Format::FP8_E5M2,
                                                 ql::Format::FP4_E2M1, ql::Format::MXFP4, ql::Format::NVFP4,  ql::Format::Q8_0,
                                                 ql::Format::Q4_0, ql::Format::Q4_1,  ql::Format::Q5_0,   ql::Format::Q4_K,
                                                 ql::Format::Q2_K, ql::Format::Q3_K, ql::Format::Q5_K, ql::Format::Q6_K,
                                                 ql::Format::IQ4_NL, ql::Format::IQ4_XS};
        for (std::uint64_t seed = 1; seed <= 400; ++seed) {
            ql::Rng rng(seed * 7919);
            auto pick = [&](int lo, int hi) { return lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(hi - lo + 1))); };
            RandomCase rc;
            rc.gen.distribution = static_cast<ql::Distribution>(pick(0, 3));
            const int nd = pick(1, 3);
            std::int64_t total = 1;
            rc.gen.shape.clear();
            for (int d = 0; d < nd; ++d) {
                const std::int64_t len = pick(0, 9) < 2 ? pick(1, 8) : pick(1, d == nd - 1 ? 1500 : 60);
                rc.gen.shape.push_back(len);
                total *= len;
            }
            if (total > 200000) rc.gen.shape.back() = std::max<std::int64_t>(1, rc.gen.shape.back() * 200000 / total);
            rc.gen.std = std::pow(10.0, rng.uniform() * 6.0 - 3.0);
            rc.gen.mean = pick(0, 3) == 0 ? (rng.uniform() * 6.0 - 3.0) * rc.gen.std : 0.0;
            rc.gen.seed = rng.next_u64();
            rc.gen.outlier_fraction = pick(0, 2) == 0 ? rng.uniform() * 0.01 : 0.0;
            rc.gen.outlier_magnitude = 2.0 + rng.uniform() * 30.0;
            rc.gen.llm_channels = pick(0, 3) == 0 ? pick(1, static_cast<int>(std::min<std::int64_t>(4, rc.gen.shape[0]))) : 0;
            rc.special = pick(0, 5) < 3 ? pick(0, 3) : 0;
            rc.bins = pick(0, 3) == 0 ? pick(2, 400) : pick(20, 120);
            rc.threads = pick(1, 2);
            QStringList names;
            const int ncfg = pick(1, 3);
            for (int k = 0; k < ncfg; ++k) {
                QuantConfig q;
                if (pick(0, 1) == 0) {
                    q.bits = pick(2, 8);
                    q.scheme = pick(0, 1) ? Scheme::Symmetric : Scheme::Asymmetric;
                    q.granularity = static_cast<Granularity>(pick(0, 2));
                    q.axis = pick(0, nd - 1);
                    q.group_size = pick(0, 2) == 0 ? pick(1, 300) : (1 << pick(4, 8));
                    q.scale_type = static_cast<ql::ScaleType>(pick(0, 2));
                    if (q.granularity == Granularity::PerTensor && pick(0, 2) == 0) {
                        q.range = static_cast<ql::RangeMethod>(pick(1, 3));
                        q.percentile = 90.0 + rng.uniform() * 10.0;
                    }
                } else {
                    q.format = formats[rng.below(formats.size())];
                    if (q.format == ql::Format::NF4 || q.format == ql::Format::NF4_DQ || q.format == ql::Format::FP4_E2M1)
                        q.block_size = pick(0, 2) == 0 ? pick(1, 300) : (pick(0, 1) ? 0 : (1 << pick(4, 8)));
                    if (q.format == ql::Format::FP8_E4M3 || q.format == ql::Format::FP8_E5M2 || q.format == ql::Format::FP4_E2M1) {
                        q.granularity = static_cast<Granularity>(pick(0, 2));
                        q.axis = pick(0, nd - 1);
                        q.group_size = pick(0, 2) == 0 ? pick(1, 300) : (1 << pick(4, 8));
                    }
                }
                if (!ql::validate(q, rc.gen.shape).empty()) continue;
                rc.configs.push_back(q);
                names << QString::fromStdString(q.describe());
            }
            if (rc.configs.empty()) continue;
            QStringList dims;
            for (auto d : rc.gen.shape) dims << QString::number(d);
            QTest::newRow(qPrintable(QStringLiteral("seed %1: %2 on %3").arg(seed).arg(names.join(QStringLiteral(" + "))).arg(dims.join(QLatin1Char('x')))))
                << rc;
        }
    }
    void randomisedAgainstReference() {
        QFETCH(RandomCase, rc);
        Tensor base = ql::generate(rc.gen);
        const std::size_t n = base.values.size();
        const auto row = static_cast<std::size_t>(rc.gen.shape.back());
        if (rc.special == 1) std::fill(base.values.begin(), base.values.begin() + static_cast<std::ptrdiff_t>(row), 0.0f);
        if (rc.special == 2 && n > 2) {
            base.values[n / 3] = std::numeric_limits<float>::quiet_NaN();
            base.values[n - 1] = -std::numeric_limits<float>::infinity();
        }
        if (rc.special == 3) {
            const double step = rc.gen.std / 4;
            for (auto& v : base.values) v = static_cast<float>(std::round(v / step) * step);
        }
        auto t = std::make_shared<const Tensor>(std::move(base));
        auto req = request(t, rc.configs);
        req.options.histogram_bins = rc.bins;
        const int before = omp_get_max_threads();
        omp_set_num_threads(rc.threads);
        const auto r = ql::analyze(req);
        omp_set_num_threads(before);
        QCOMPARE(r.configs.size(), rc.configs.size());
        const bool constant = !(r.tensor.min < r.tensor.max);
        for (std::size_t i = 0; i < rc.configs.size(); ++i) {
            const auto& c = r.configs[i];
            const QuantConfig& q = rc.configs[i];
            QVERIFY2(c.error.empty(), c.error.c_str());
            std::vector<std::int8_t> codes;
            const std::vector<float> dq = q.format == ql::Format::Int ? ql::quantize_int_ref(*t, q, &codes, nullptr)
                                                                    : ql::quantize_format_ref(*t, q, &codes, nullptr);
            std::vector<std::uint64_t> cc(256, 0);
            double sum_e2 = 0, sum_abs = 0, max_abs = 0, sum_x2 = 0, sum_dq2 = 0, sum_xdq = 0;
            std::uint64_t finite = 0, overflowed = 0;
            for (std::size_t k = 0; k < n; ++k) {
                const float x = t->values[k];
                if (!std::isfinite(x)) continue;
                ++finite;
                ++cc[static_cast<std::size_t>(codes[k] + 128)];
                if (!std::isfinite(dq[k])) {  // an fp16 block scale beyond 65504 (LLM-like rows of a wide tensor)
                    ++overflowed;
                    continue;
                }
                const float e = dq[k] - x;
                sum_e2 += static_cast<double>(e * e);
                sum_abs += std::fabs(static_cast<double>(e));
                max_abs = std::max(max_abs, static_cast<double>(std::fabs(e)));
                sum_x2 += static_cast<double>(x) * x;
                sum_dq2 += static_cast<double>(dq[k]) * dq[k];
                sum_xdq += static_cast<double>(x) * dq[k];
            }
            const auto first = cc.begin() + (c.lowest_code + 128);
            QCOMPARE(c.code_counts, std::vector<std::uint64_t>(first, first + static_cast<std::ptrdiff_t>(c.code_counts.size())));
            QCOMPARE(std::accumulate(c.code_counts.begin(), c.code_counts.end(), std::uint64_t(0)), finite);
            if (!constant) compareFiniteHistograms(r, c, *t, dq, rc.bins);  // a constant tensor's grid is a sliver of its own
            if (QTest::currentTestFailed()) return;
            QCOMPARE(c.metrics.nonfinite_dq, overflowed);
            QCOMPARE(c.metrics.count, finite);
            if (overflowed) {
                QCOMPARE(c.metrics.max_abs, std::numeric_limits<double>::infinity());
                continue;
            }
            QCOMPARE(c.metrics.max_abs, max_abs);
            if (finite == 0) continue;
            QVERIFY(near(c.metrics.mse, sum_e2 / static_cast<double>(finite), kSumTol));
            QVERIFY(near(c.metrics.mae, sum_abs / static_cast<double>(finite), kSumTol));
            if (sum_x2 > 0 && sum_dq2 > 0) QVERIFY(near(c.metrics.cosine, sum_xdq / (std::sqrt(sum_x2) * std::sqrt(sum_dq2)), kSumTol));
        }
    }

    // Dequantized values further from the data than the weight grid reaches (8 times the data's range past
    // either end) are said in a warning, and the histogram holds the rest. Two values near -2.3e6, 79110
    // apart, in a group of INT4 with an fp16 scale: (max - min) / 15 would be 157989, fp16 holds at most
    // 65504, so both clip to the lowest level, (0 - 15) * 65504 = -982560, 1.3e6 above the data.
    void dequantizedBeyondTheGrid() {
        auto t = make({2}, {-2369828.0f, -2290717.25f});
        const QuantConfig c = cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 32);
        const std::vector<float> dq = ql::quantize_int_ref(*t, c, nullptr, nullptr);
        QCOMPARE(dq, (std::vector<float>{-982560.0f, -982560.0f}));  // the premise
        const auto r = ql::analyze(request(t, {c}));
        const auto& cr = r.configs.at(0);
        QCOMPARE(cr.metrics.clipped, std::uint64_t(2));
        QCOMPARE(cr.dequantized.total, std::uint64_t(0));
        QVERIFY2(r.warnings.size() == 1 && r.warnings[0].find("2 dequantized values lie more than 8 ranges") != std::string::npos,
                 r.warnings.empty() ? "no warning" : r.warnings[0].c_str());
        // within reach: no warning (the same config on data whose range covers its levels)
        auto near_data = make({2}, {-982560.0f, 100.0f});
        QVERIFY(ql::analyze(request(near_data, {c})).warnings.empty());
    }

    // Formats whose blocks run along rows store a row's last block whole: on rows that are not whole
    // blocks the bits per weight count that padding, and the report says so (from 1% of the codes
    // stored); whole-block rows, and formats without blocks along rows, say nothing.
    void paddingIsSaid_data() {
        QTest::addColumn<ql::Format>("format");
        QTest::addColumn<QVector<qint64>>("shape");
        QTest::addColumn<quint64>("padding");  // code slots: rows x (whole blocks per row x block - row length)
        QTest::addColumn<QString>("says");     // "" = no note
        QTest::addColumn<double>("wholeBits"); // the format's bits per weight on rows of whole blocks (-1: its own, unpadded)
        QTest::newRow("q4_k, rows of 96 in 256") << ql::Format::Q4_K << QVector<qint64>{64, 96} << quint64(64 * 160)
                                                 << "Q4_K: each row of 96 values takes 256 code slots (whole blocks), so 62% of the "
                                                    "codes stored are padding, counted in its 12.00 bits per weight" << 4.5;
        QTest::newRow("q4_0, rows of 5 in 32") << ql::Format::Q4_0 << QVector<qint64>{3, 5} << quint64(3 * 27)
                                               << "each row of 5 values takes 32 code slots (whole blocks), so 84%" << 4.5;
        QTest::newRow("mxfp4, 17 values in 32") << ql::Format::MXFP4 << QVector<qint64>{17} << quint64(15)
                                                << "MXFP4: its 17 values take 32 code slots (whole blocks), so 47%" << 4.25;
        QTest::newRow("nvfp4, rows of 40 in 48") << ql::Format::NVFP4 << QVector<qint64>{8, 40} << quint64(8 * 8) << "17%"
                                               << (384 * 4 + 24 * 8 + 32) / 384.0;  // 24 E4M3 block scales, the fp32 tensor scale
        QTest::newRow("q4_k, whole super-blocks") << ql::Format::Q4_K << QVector<qint64>{4, 512} << quint64(0) << "" << 4.5;
        // 31 slots in 3200: below the 1% worth saying
        QTest::newRow("q8_0, a sliver") << ql::Format::Q8_0 << QVector<qint64>{1, 3200 - 31} << quint64(31) << "" << 8.5;
        QTest::newRow("int4 g128 (no blocks stored whole)") << ql::Format::Int << QVector<qint64>{64, 96} << quint64(0) << "" << -1.0;
    }
    void paddingIsSaid() {
        QFETCH(ql::Format, format);
        QFETCH(QVector<qint64>, shape);
        QFETCH(quint64, padding);
        QFETCH(QString, says);
        QFETCH(double, wholeBits);
        ql::GeneratorSpec g;
        g.shape.assign(shape.begin(), shape.end());
        auto t = std::make_shared<const Tensor>(ql::generate(g));
        QuantConfig c = format == ql::Format::Int ? cfg(4, Scheme::Asymmetric, Granularity::PerGroup, 128) : QuantConfig{};
        c.format = format;
        const auto r = ql::analyze(request(t, {c}));
        const auto& cr = r.configs.at(0);
        QVERIFY2(cr.error.empty(), cr.error.c_str());
        QCOMPARE(quint64(cr.storage.padding), padding);
        constexpr double kBitsRoundoff = 1e-12;  // bits per weight are one division of whole counts
        if (wholeBits < 0) wholeBits = cr.storage.bits_per_weight;
        QVERIFY2(std::fabs(ql::whole_block_bits(cr.storage, t->numel()) - wholeBits) < kBitsRoundoff,
                 qPrintable(QString::number(ql::whole_block_bits(cr.storage, t->numel()), 'g', 17)));
        std::vector<std::string> notes;
        for (const auto& w : r.warnings)
            if (w.find("padding") != std::string::npos) notes.push_back(w);
        if (says.isEmpty()) {
            QVERIFY2(notes.empty(), notes.empty() ? "" : notes[0].c_str());
            return;
        }
        QCOMPARE(int(notes.size()), 1);
        QVERIFY2(notes[0].find(says.toStdString()) != std::string::npos, notes[0].c_str());
    }

    void levelsOfChosenGroup() {
        std::vector<float> v(8);
        for (int i = 0; i < 8; ++i) v[static_cast<std::size_t>(i)] = i < 4 ? 0.1f * (i + 1) : 10.0f * (i + 1);
        auto req = request(make({1, 8}, v), {cfg(4, Scheme::Symmetric, Granularity::PerGroup, 4)});
        req.options.levels_index = 5;
        const auto r = ql::analyze(req);
        const auto& lv = r.configs[0].levels;
        QCOMPARE(int(lv.size()), 15);
        QVERIFY(near(lv.back(), 80.0, 1e-3));  // group 2's amax
    }
    // The sample row's block levels: two groups of 4 give two grids, and each sample value is one of
    // the levels of its own group (a dequantized value always lies on its block's grid).
    void sampleBlockLevels() {
        std::vector<float> v(8);
        for (int i = 0; i < 8; ++i) v[static_cast<std::size_t>(i)] = i < 4 ? 0.1f * (i + 1) : 10.0f * (i + 1);
        auto req = request(make({1, 8}, v), {cfg(4, Scheme::Symmetric, Granularity::PerGroup, 4), cfg(8, Scheme::Asymmetric)});
        req.options.sample_count = 8;
        const auto r = ql::analyze(req);
        const auto& g = r.configs[0];
        QCOMPARE(int(g.sample_levels.size()), 2);
        QCOMPARE(int(g.sample_level_of.size()), 8);
        QCOMPARE(g.sample_level_of.front(), 0);
        QCOMPARE(g.sample_level_of.back(), 1);
        // group amax, through the fp16 scale of per-group quantization (2^-11 relative rounding)
        constexpr double kFp16ScaleTol = 1e-3;
        QVERIFY(near(g.sample_levels[0].back(), 0.4, kFp16ScaleTol));
        QVERIFY(near(g.sample_levels[1].back(), 80.0, kFp16ScaleTol));
        for (int k = 0; k < 8; ++k) {
            const auto& lv = g.sample_levels[static_cast<std::size_t>(g.sample_level_of[static_cast<std::size_t>(k)])];
            QVERIFY2(std::find(lv.begin(), lv.end(), g.sample_dequantized[static_cast<std::size_t>(k)]) != lv.end(),
                     qPrintable(QString("sample %1 not on its block's grid").arg(k)));
        }
        QCOMPARE(int(r.configs[1].sample_levels.size()), 1);    // per tensor: one grid for the row
    }

    // Pareto front: (bits, SQNR) points; a point with more bits and less quality than another is off it.
    void paretoFront_data() {
        QTest::addColumn<QVector<double>>("bits");
        QTest::addColumn<QVector<double>>("quality");
        QTest::addColumn<bool>("higherIsBetter");
        QTest::addColumn<QVector<int>>("front");
        QTest::newRow("one point") << QVector<double>{4} << QVector<double>{20} << true << QVector<int>{0};
        QTest::newRow("dominated in the middle") << QVector<double>{4.5, 4.25, 8.5, 5.0} << QVector<double>{20, 18, 40, 19}
                                                 << true << QVector<int>{1, 0, 2};
        QTest::newRow("equal points both kept") << QVector<double>{4, 4} << QVector<double>{20, 20} << true << QVector<int>{0, 1};
        QTest::newRow("MSE: lower is better") << QVector<double>{4, 8, 6} << QVector<double>{1e-2, 1e-4, 1e-2} << false
                                              << QVector<int>{0, 1};
        QTest::newRow("exact point (+inf SQNR) kept, NaN left out")
            << QVector<double>{32, 4, 5} << QVector<double>{std::numeric_limits<double>::infinity(), 20, std::nan("")} << true
            << QVector<int>{1, 0};
    }
    void paretoFront() {
        QFETCH(QVector<double>, bits);
        QFETCH(QVector<double>, quality);
        QFETCH(bool, higherIsBetter);
        QFETCH(QVector<int>, front);
        const auto got = ql::pareto_front(std::vector<double>(bits.begin(), bits.end()),
                                          std::vector<double>(quality.begin(), quality.end()), higherIsBetter);
        QVector<int> g;
        for (auto i : got) g.push_back(static_cast<int>(i));
        QCOMPARE(g, front);
    }
};

QTEST_APPLESS_MAIN(TestAnalysis)
#include "test_analysis.moc"
