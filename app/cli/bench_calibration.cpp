// quantlens bench, section "gptq": GPTQ on a size x size layer with size/2 calibration tokens (4 bits,
// group 128), next to its floor measured in the same run: forming H = 2/n X^T X plus one Cholesky
// factorisation with Eigen. Prints seconds, GFLOP/s, the ratio to the floor and the peak RSS.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include <sys/resource.h>

#include <omp.h>

#include "cli/bench.h"
#include "core/calibration/calib_layer.h"
#include "core/calibration/gptq.h"
#include "core/calibration/group_quant.h"

namespace ql::cli {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Peak resident set of this process so far, MiB (getrusage reports KiB on Linux).
double peak_rss_mib() {
    struct rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Floating-point operations of one GPTQ run (multiply and add counted apart):
// H (lower triangle) n_tok * in^2, Cholesky in^3 / 3, triangular inverse in^3 / 3, the lazy batch
// updates 2 * out * bs * (columns after each block), the in-block updates out * (count^2 + count) per block.
double gptq_flops(double out, double in, double tokens, double bs) {
    double f = tokens * in * in + 2.0 * in * in * in / 3.0;
    for (double i1 = 0; i1 < in; i1 += bs) {
        const double count = std::min(bs, in - i1), rest = in - i1 - count;
        f += 2.0 * out * count * rest + out * (count * count + count);
    }
    return f;
}

} // namespace

void bench_gptq(const BenchOptions& opt, nlohmann::json& out) {
    calib::LayerSpec spec;
    spec.out = opt.size;
    spec.in = opt.size;
    spec.tokens = std::max<std::int64_t>(opt.size / 2, 1);
    spec.correlation = 0.5;
    const calib::CalibLayer L = calib::generate_layer(spec);
    calib::GptqOptions o;
    o.bits = 4;
    o.group_size = 128;
    const int runs = std::max(1, std::min(opt.repeats, 3));

    // The floor: H plus one Eigen Cholesky (damped as GPTQ damps it, so it always succeeds).
    double floor_h = 1e300, floor_chol = 1e300;
    for (int r = 0; r < runs; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        calib::MatrixRF H = calib::gptq_hessian(L.X);
        floor_h = std::min(floor_h, seconds_since(t0));
        H.diagonal().array() += 0.01f * H.diagonal().mean();
        t0 = std::chrono::steady_clock::now();
        const bool ok = calib::cholesky_in_place(H);
        floor_chol = std::min(floor_chol, seconds_since(t0));
        if (!ok) std::fprintf(stderr, "bench gptq: the floor's Cholesky failed\n");
    }
    const double floor_s = floor_h + floor_chol;

    double best = 1e300;
    calib::GptqResult g;
    for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        calib::GptqResult gr = calib::gptq_quantize(L.W, L.X, o);
        const double s = seconds_since(t0);
        if (s < best) {
            best = s;
            g = std::move(gr);
        }
    }
    const double peak = peak_rss_mib();
    const double flops = gptq_flops(static_cast<double>(spec.out), static_cast<double>(spec.in), static_cast<double>(spec.tokens), o.blocksize);
    const calib::LayerObjective obj(L);
    const double err_gptq = g.error.empty() ? obj.weight_only(g.Wq).relative_output_error : -1.0;
    const double err_rtn = obj.weight_only(calib::rtn_quantize(L.W, o.bits, o.group_size)).relative_output_error;
    const double ratio = best / floor_s;

    if (opt.json) {
        out.push_back({{"section", "gptq"},
                       {"out", spec.out},
                       {"in", spec.in},
                       {"tokens", spec.tokens},
                       {"threads", omp_get_max_threads()},
                       {"runs", runs},
                       {"gptq_s", best},
                       {"hessian_s", g.hessian_seconds},
                       {"factor_s", g.factor_seconds},
                       {"quant_s", g.quant_seconds},
                       {"finish_s", g.finish_seconds},
                       {"gflop", flops / 1e9},
                       {"gflops_per_s", flops / 1e9 / best},
                       {"floor_s", floor_s},
                       {"floor_hessian_s", floor_h},
                       {"floor_cholesky_s", floor_chol},
                       {"ratio_to_floor", ratio},
                       {"peak_rss_mib", peak},
                       {"relative_output_error_gptq", err_gptq},
                       {"relative_output_error_rtn", err_rtn},
                       {"error", g.error}});
        return;
    }
    std::printf("GPTQ on a %lldx%lld layer, %lld calibration tokens, 4 bits, group 128, %d threads (best of %d)\n",
                static_cast<long long>(spec.out), static_cast<long long>(spec.in), static_cast<long long>(spec.tokens), omp_get_max_threads(), runs);
    if (!g.error.empty()) std::printf("  GPTQ failed: %s\n", g.error.c_str());
    std::printf("  floor: H = 2/n X^T X %.3f s + one Eigen Cholesky %.3f s = %.3f s\n", floor_h, floor_chol, floor_s);
    std::printf("  GPTQ:  %.3f s (H %.3f s, damping + U = chol(H^-1) %.3f s, columns + lazy updates %.3f s, per-column errors %.3f s)\n",
                best, g.hessian_seconds, g.factor_seconds, g.quant_seconds, g.finish_seconds);
    std::printf("         %.1f GFLOP, %.1f GFLOP/s, %.2fx the floor (target <= 3x)\n", flops / 1e9, flops / 1e9 / best, ratio);
    std::printf("  peak RSS %.0f MiB (%.2f GiB; target < 2 GiB)\n", peak, peak / 1024.0);
    std::printf("  relative output error: GPTQ %.4e, RTN %.4e (%.2fx lower)\n", err_gptq, err_rtn, err_rtn / err_gptq);
}

} // namespace ql::cli
