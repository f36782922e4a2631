// quantlens bench: runs the benchmark sections and prints each time next to its floor.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <omp.h>

#include "cli/args.h"
#include "cli/bench.h"
#include "core/analysis.h"
#include "core/generators.h"
#include "core/simd_kernels.h"

namespace ql::cli {

Timing time_it(int repeats, const std::function<void()>& fn) {
    fn();  // warm-up
    std::vector<double> t;
    for (int r = 0; r < std::max(repeats, 1); ++r) {
        const auto a = std::chrono::steady_clock::now();
        fn();
        t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return Timing{t[t.size() / 2], t.front()};
}

PairedTiming time_paired(int repeats, int floor_repeats, const std::function<void()>& floor, const std::function<void()>& fn) {
    // the floor back to back before and after fn's runs back to back: each side timed as when benchmarked
    // alone (interleaving them one by one left the reads 30% slower, the last-level cache and the cores'
    // state then being an analysis's, which flattered the ratio), and close in time to the other
    std::vector<double> tf, tn;
    const auto block = [](int n, const std::function<void()>& f, std::vector<double>& out) {
        f();  // warm-up
        for (int r = 0; r < std::max(n, 1); ++r) {
            const auto a = std::chrono::steady_clock::now();
            f();
            out.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
        }
    };
    block(floor_repeats, floor, tf);
    block(repeats, fn, tn);
    block(floor_repeats, floor, tf);
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return Timing{v[v.size() / 2], v.front()};
    };
    const Timing f = median(tf), n = median(tn);
    return PairedTiming{n, f, n.median_ms / f.median_ms};
}

Timing plain_read(const float* x, std::int64_t n, int repeats) {
    volatile float sink = 0;
    return time_it(repeats, [&] { sink = simd::read_sum(x, n); });
}

namespace {

// Issue 2's benchmark: the whole analysis of one configuration (quantize, dequantize, every metric,
// three histograms, per-channel error) against one plain read of the tensor.
void bench_analysis(const BenchOptions& opt, nlohmann::json& out) {
    GeneratorSpec g;
    g.shape = {opt.size, opt.size};
    auto t = std::make_shared<const Tensor>(generate(g));
    const Timing read = plain_read(t->data(), t->numel(), opt.repeats * 3);
    if (!opt.json) {
        std::printf("analysis of one configuration on %s normal(0, 2), %d threads\n", t->shape_string().c_str(), omp_get_max_threads());
        std::printf("  plain read of the tensor (%.0f MB): median %.2f ms, min %.2f ms (%.1f GB/s)\n",
                    static_cast<double>(t->numel()) * 4 / 1e6, read.median_ms, read.min_ms,
                    static_cast<double>(t->numel()) * 4 / read.min_ms / 1e6);
    }
    // The cheapest exact per-value histogram: one table increment per value and nothing else. Every
    // analysis counts at least one per value, so on a machine whose increments are slow against its
    // reads this floor already takes a good part of the target.
    {
        volatile float sink = 0;
        volatile std::int64_t counted = 0;
        const float lo = -10.0f, hi = 10.0f;  // normal(0, 2): a few values beyond, in the edge bins
        const PairedTiming pt = time_paired(
            opt.repeats, opt.repeats, [&] { sink = simd::read_sum(t->data(), t->numel()); },
            [&] { counted = simd::histogram_floor(t->data(), t->numel(), lo, hi, 100); });
        if (opt.json) {
            out.push_back({{"section", "analysis"}, {"config", "histogram floor"}, {"median_ms", pt.fn.median_ms}, {"min_ms", pt.fn.min_ms},
                           {"plain_read_ms", pt.floor.median_ms}, {"plain_reads", pt.ratio}});
        } else {
            std::printf("  one table increment per value alone (a 100-bin histogram of the tensor): median %.2f ms = %.1f reads\n",
                        pt.fn.median_ms, pt.ratio);
            std::printf("  %-26s %10s %10s %10s %10s %12s\n", "configuration", "median ms", "min ms", "read ms", "reads", "first (ms)");
        }
    }
    struct Case { int bits; Granularity g; };
    for (Case c : {Case{8, Granularity::PerTensor}, Case{4, Granularity::PerTensor}, Case{8, Granularity::PerGroup},
                   Case{4, Granularity::PerGroup}}) {
        QuantConfig q;
        q.bits = c.bits;
        q.granularity = c.g;
        AnalysisRequest req;
        req.configs = {q};
        req.options.forward_diff = false;
        req.options.layer_sim.enabled = false;
        req.options.snr_sweep = false;
        // First analysis of a fresh tensor includes the per-tensor statistics (summary, original
        // histogram and, per channel or group, each slice's min and max); later ones (a changed setting)
        // reuse them.
        auto fresh = std::make_shared<const Tensor>(*t);
        req.tensor = fresh;
        const auto a = std::chrono::steady_clock::now();
        (void)analyze(req);
        const double first_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count();
        // every repeat a first visit of the configuration (analyze() memoises its prepared quantizer and
        // pass), between two runs of plain reads of the same tensor
        volatile float sink = 0;
        const PairedTiming pt = time_paired(
            opt.repeats, opt.repeats, [&] { sink = simd::read_sum(t->data(), t->numel()); },
            [&] {
                forget_configuration_memos(q);
                (void)analyze(req);
            });
        const Timing& tm = pt.fn;
        if (opt.json) {
            out.push_back({{"section", "analysis"}, {"config", q.describe()}, {"median_ms", tm.median_ms}, {"min_ms", tm.min_ms},
                           {"first_ms", first_ms}, {"plain_read_ms", pt.floor.median_ms}, {"plain_reads", pt.ratio}});
        } else {
            std::printf("  %-26s %10.2f %10.2f %10.2f %10.1f %12.2f\n", q.describe().c_str(), tm.median_ms, tm.min_ms, pt.floor.median_ms,
                        pt.ratio, first_ms);
        }
    }
    if (!opt.json)
        std::printf("  Each configuration's analyses run back to back between two runs of plain reads of the tensor;\n"
                    "  reads = median analysis / median of those reads (target <= 4). 'first' includes the per-tensor\n"
                    "  summary, original histogram and per-group min/max, which later analyses of the same tensor reuse.\n"
                    "  Each analysis counts one table increment per value for its histograms (the line above the table\n"
                    "  times that alone) and about 30 vector operations per 16 values.\n");
}

} // namespace

void bench_formats(const BenchOptions& opt, nlohmann::json& out);  // bench_formats.cpp
void bench_gptq(const BenchOptions& opt, nlohmann::json& out);   // bench_calibration.cpp
void bench_speed(const BenchOptions& opt, nlohmann::json& out);  // bench_speed.cpp

const std::vector<BenchSection>& bench_sections() {
    static const std::vector<BenchSection> s = {
        {"analysis", "whole analysis of one configuration vs a plain read (issue: foundation)", bench_analysis},
        {"formats", "every format's analysis vs the INT path, and compare-all (issue: formats)", bench_formats},
        {"gptq", "GPTQ on a size x size layer, size/2 tokens, vs forming H + one Cholesky (issue 6)", bench_gptq},
        {"speed", "GEMV vs the read floor and GEMM GOP/s for fp32/int8/w4 at 4096x4096 and 4096x14336 (issue 7)", bench_speed},
        {"gui", "window update after a changed setting, and GUI-thread stalls, vs a plain read (issue: window)", bench_gui},
    };
    return s;
}

int cmd_bench(const std::vector<std::string>& argv) {
    Args a(argv, {"only", "size", "repeats", "formats"}, {"help", "json", "list"});
    if (a.flag("help") || a.flag("list")) {
        std::printf("usage: quantlens bench [--only NAME[,NAME]] [--size N] [--repeats R] [--formats F[,F]] [--json]\n\n"
                    "  --formats F[,F]  the formats section times only these formats (and skips compare-all)\n\nsections:\n");
        for (const auto& s : bench_sections()) std::printf("  %-12s %s\n", s.name, s.summary);
        return 0;
    }
    BenchOptions opt;
    opt.size = a.get_int("size", 4096);
    opt.repeats = static_cast<int>(a.get_int("repeats", 7));
    opt.json = a.flag("json");
    if (opt.size < 64 || opt.size > 32768) throw UsageError("--size must be 64..32768");
    for (std::string f = a.get_or("formats", ""); !f.empty();) {
        const auto comma = f.find(',');
        const std::string name = f.substr(0, comma);
        if (!parse_format(name)) throw UsageError("--formats: no format named '" + name + "'");
        opt.formats.push_back(name);
        f = comma == std::string::npos ? std::string() : f.substr(comma + 1);
    }
    const std::string only = a.get_or("only", "");
    nlohmann::json out = nlohmann::json::array();
    bool any = false;
    for (const auto& s : bench_sections()) {
        if (!only.empty() && ("," + only + ",").find("," + std::string(s.name) + ",") == std::string::npos) continue;
        any = true;
        s.run(opt, out);
        if (!opt.json) std::printf("\n");
    }
    if (!any) throw UsageError("no bench section named '" + only + "' (see quantlens bench --list)");
    if (opt.json) std::printf("%s\n", out.dump(2).c_str());
    return 0;
}

} // namespace ql::cli
