// quantlens bench, section "speed" (issue 7): decode (batch 1) GEMV of each format against the plain
// read of its weight bytes in the same run, and prefill (batch 512) GEMM throughput, on the issue's
// two layer presets, each printed next to the target.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/bench.h"
#include "cli/cmd_speed.h"
#include "core/speed/speed_bench.h"

namespace ql::cli {

namespace {

// Targets of issue 7 on the peers' 2-core machine: GEMV median / read floor, and GEMM at batch 512.
double gemv_target(speed::SpeedFormat f) {
    switch (f) {
    case speed::SpeedFormat::F32: return 1.3;   // ggml f32 at the DRAM floor
    case speed::SpeedFormat::Int8: return 2.0;  // ggml q8_0: 1.6x
    case speed::SpeedFormat::W4: return 2.2;    // ggml q4 repacked: 1.7-2x
    case speed::SpeedFormat::F16:
    case speed::SpeedFormat::W4A16: return 0;   // GPU only: not in this CPU section
    }
    return 0;
}
constexpr double kInt8GemmTargetGops = 600;   // with VNNI (oneDNN 1370 GOP/s)
constexpr double kW4GemmTargetMs = 1.5 * 42;  // within 1.5x of ggml's repacked 4-bit, 4096x4096

} // namespace

void bench_speed(const BenchOptions& opt, nlohmann::json& out) {
    const std::int64_t presets[][2] = {{4096, 4096}, {4096, 14336}};
    if (!opt.json)
        std::printf("speed kernels on this CPU (issue 7): GEMV ratio = median / plain read of the same bytes (same run)\n"
                    "  %-11s %-6s %6s %10s %10s %7s %8s %9s  %s\n", "shape", "format", "batch", "median ms", "floor ms", "ratio",
                    "GB/s", "GOP/s", "target");
    for (const auto& p : presets) {
        speed::SpeedRequest req;
        req.rows = p[0];
        req.cols = p[1];
        req.repeats = std::max(opt.repeats, 3);
        // prefill only on the square preset: 60 GFLOP per FP32 product on the wide one takes long here
        req.batches = p[1] == 4096 ? std::vector<std::int64_t>{1, 512} : std::vector<std::int64_t>{1};
        const speed::SpeedReport r = speed::run_speed(req);
        for (const auto& m : r.items) {
            std::string target;
            bool met = true;
            if (m.batch == 1) {
                met = m.ratio_to_floor() <= gemv_target(m.format);
                char buf[64];
                std::snprintf(buf, sizeof buf, "ratio <= %.1f", gemv_target(m.format));
                target = buf;
            } else if (m.format == speed::SpeedFormat::Int8) {
                met = m.gflops >= kInt8GemmTargetGops;
                target = "GOP/s >= 600 (VNNI)";
            } else if (m.format == speed::SpeedFormat::W4 && m.rows == 4096 && m.cols == 4096) {
                met = m.median_ms <= kW4GemmTargetMs;
                target = "median <= 63 ms";
            } else {
                target = "(ggml 84 ms, OpenBLAS 46 ms)";
                met = true;
            }
            if (opt.json) {
                nlohmann::json j = speed_measurement_json(m);
                j["section"] = "speed";
                j["target"] = target;
                j["target_met"] = met;
                out.push_back(j);
            } else {
                const std::string shape = std::to_string(m.rows) + "x" + std::to_string(m.cols);
                std::printf("  %-11s %-6s %6lld %10.3f %10.3f %7.2f %8.1f %9.1f  %s%s\n", shape.c_str(), speed::format_name(m.format),
                            static_cast<long long>(m.batch), m.median_ms, m.floor_ms, m.ratio_to_floor(), m.gbps, m.gflops,
                            target.c_str(), met ? "" : "  (missed)");
            }
        }
        if (!opt.json)
            std::printf("  %s, path %s, %d threads; read %.1f GB/s, FP32 roof %.0f GFLOP/s, int8 roof %.0f GOP/s\n", r.device.c_str(),
                        r.isa.c_str(), r.threads, r.read_gbps, r.roof_f32_gflops, r.roof_int8_gops);
    }
}

} // namespace ql::cli
