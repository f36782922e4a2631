// quantlens speed: times FP32, INT8 and 4-bit (W4) products y = x W^T for one layer shape on this CPU
// and, when there is a CUDA device, FP32, FP16, INT8 and W4A16 on it (gpu/gpu_speed.h), each next to
// the plain read of the same weight bytes in the same run on the same device (the floor), and
// estimates decode tokens/s from memory bandwidth (core/speed/speed_bench.h).
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gpu/gpu_speed.h"

#include "cli/args.h"
#include "cli/cmd_speed.h"
#include "core/speed/speed_bench.h"

namespace ql::cli {

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

// "4096x14336" -> out 4096, in 14336.
void parse_shape(const std::string& text, std::int64_t& rows, std::int64_t& cols) {
    const auto x = text.find_first_of("xX");
    if (x == std::string::npos) throw UsageError("--shape must be OUTxIN, e.g. 4096x14336 (got '" + text + "')");
    rows = parse_int("shape", text.substr(0, x));
    cols = parse_int("shape", text.substr(x + 1));
    if (rows <= 0 || cols <= 0 || rows > 65536 || cols > 65536) throw UsageError("--shape sides must be 1..65536 (got '" + text + "')");
}

} // namespace

nlohmann::json speed_measurement_json(const speed::SpeedMeasurement& m) {
    return {{"format", speed::format_name(m.format)},
            {"device", m.device},
            {"on_gpu", m.on_gpu},
            {"path", m.path},
            {"batch", m.batch},
            {"shape", {m.rows, m.cols}},
            {"weight_bytes", m.weight_bytes},
            {"copies", m.copies},
            {"median_ms", m.median_ms},
            {"min_ms", m.min_ms},
            {"max_ms", m.max_ms},
            {"q25_ms", m.q25_ms},
            {"q75_ms", m.q75_ms},
            {"floor_ms", m.floor_ms},
            {"ratio_to_floor", m.ratio_to_floor()},
            {"gbps", m.gbps},
            {"floor_gbps", m.floor_gbps},
            {"gflops", m.gflops},
            {"intensity", m.intensity}};
}

int cmd_speed(const std::vector<std::string>& argv) {
    Args a(argv, {"shape", "batch", "formats", "repeats", "warmup", "group", "isa", "rotate-gib", "model", "context"},
           {"help", "json"});
    if (a.flag("help")) {
        std::printf(
            "usage: quantlens speed [--shape OUTxIN] [--batch 1,512] [--formats fp32,int8,w4] [--repeats N] [--json]\n\n"
            "Times y = x W^T on this CPU for each format and batch (1 = decode, 512 = prefill), next to a plain\n"
            "read of the same weight bytes in the same run (the floor), and on the CUDA device when there is one\n"
            "(fp32 also as fp16 via cuBLAS, w4 as w4a16). Decode timings rotate over weight copies totalling\n"
            "--rotate-gib GiB on the CPU (1 GiB on the GPU) so that weights come from memory, not cache.\n\n"
            "  --shape OUTxIN     layer shape (default 4096x4096; the other preset is 4096x14336)\n"
            "  --batch LIST       activation rows per product (default 1,512)\n"
            "  --formats LIST     fp32, int8 (per-row scales), w4 (4-bit, group scales) (default all three);\n"
            "                     fp16 and w4a16 (GPU only) pick those GPU rows alone\n"
            "  --repeats N        timed products per measurement (default 10); --warmup N untimed (default 2)\n"
            "  --group G          W4 group size, a multiple of 32 (default 128)\n"
            "  --isa PATH         auto, scalar, avx2, avx512vnni (default auto: the best this CPU has)\n"
            "  --rotate-gib X     decode working set in GiB (default 1)\n"
            "  --model NAME       decode estimate for a preset (default 7B); --context N adds its KV cache\n"
            "  --json             one JSON object per measurement (format, device, batch, median_ms, floor_ms,\n"
            "                     gbps, gflops, spread ...) in an array\n");
        return 0;
    }
    speed::SpeedRequest req;
    parse_shape(a.get_or("shape", "4096x4096"), req.rows, req.cols);
    req.batches.clear();
    for (const auto& b : split(a.get_or("batch", "1,512"))) {
        const std::int64_t v = parse_int("batch", b);
        if (v <= 0 || v > 8192) throw UsageError("--batch values must be 1..8192 (got '" + b + "')");
        req.batches.push_back(v);
    }
    if (req.batches.empty()) throw UsageError("--batch needs at least one value");
    req.formats.clear();
    for (const auto& f : split(a.get_or("formats", "fp32,int8,w4"))) {
        const auto p = speed::parse_speed_format(f);
        if (!p) throw UsageError("unknown format '" + f + "' in --formats (names: fp32, fp16, int8, w4, w4a16)");
        req.formats.push_back(*p);
    }
    if (req.formats.empty()) throw UsageError("--formats needs at least one of fp32, fp16, int8, w4, w4a16");
    req.repeats = static_cast<int>(a.get_int("repeats", 10));
    req.warmup = static_cast<int>(a.get_int("warmup", 2));
    if (req.repeats < 1 || req.repeats > 10000) throw UsageError("--repeats must be 1..10000");
    if (req.warmup < 0 || req.warmup > 1000) throw UsageError("--warmup must be 0..1000");
    req.w4_group = static_cast<int>(a.get_int("group", 128));
    if (req.w4_group <= 0 || req.w4_group % 32 != 0) throw UsageError("--group must be a positive multiple of 32");
    const double gib = a.get_double("rotate-gib", 1.0);
    if (!(gib >= 0 && gib <= 64)) throw UsageError("--rotate-gib must be 0..64");
    req.rotate_bytes = gib * kBytesPerGiB;
    const std::string isa = a.get_or("isa", "auto");
    if (isa == "auto") req.isa = speed::Isa::Auto;
    else if (isa == "scalar") req.isa = speed::Isa::Scalar;
    else if (isa == "avx2") req.isa = speed::Isa::Avx2;
    else if (isa == "avx512vnni") req.isa = speed::Isa::Avx512Vnni;
    else throw UsageError("--isa must be auto, scalar, avx2 or avx512vnni");
    if (!speed::isa_supported(req.isa)) throw UsageError(std::string("this CPU has no ") + isa + " path (best: " + speed::isa_name(speed::best_isa()) + ")");

    const speed::SpeedReport r = gpu::run_speed_with_gpu(req);
    if (a.flag("json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& m : r.items) out.push_back(speed_measurement_json(m));
        if (!r.gpu.none_reason.empty()) std::fprintf(stderr, "GPU: none (%s)\n", r.gpu.none_reason.c_str());
        if (!r.gpu.failures.empty()) std::fprintf(stderr, "%s\n", r.gpu.failures.c_str());
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }
    std::printf("%s, %d threads, path %s; layer %lld x %lld (out x in)\n", r.device.c_str(), r.threads, r.isa.c_str(),
                static_cast<long long>(r.rows), static_cast<long long>(r.cols));
    std::printf("%-6s %6s %8s %10s %9s %10s %7s %9s %10s %9s\n", "format", "batch", "MB", "median ms", "spread", "floor ms",
                "ratio", "GB/s", "GFLOP/s", "path");
    for (const auto& m : r.items)
        if (!m.on_gpu)
            std::printf("%-6s %6lld %8.2f %10.3f %9.3f %10.3f %7.2f %9.1f %10.1f %9s\n", speed::format_name(m.format),
                        static_cast<long long>(m.batch), m.weight_bytes / 1e6, m.median_ms, m.q75_ms - m.q25_ms, m.floor_ms,
                        m.ratio_to_floor(), m.gbps, m.gflops, m.path.c_str());
    std::printf("spread = interquartile range; floor = plain read of the same weight bytes (same copies, same run);\n"
                "ratio = median / floor; GB/s = weight bytes / median; GFLOP/s counts 2 per multiply-add (GOP/s for int).\n");
    std::printf("measured roofs: read %.1f GB/s, FP32 FMA %.0f GFLOP/s, int8 dot %.0f GOP/s\n", r.read_gbps, r.roof_f32_gflops,
                r.roof_int8_gops);
    if (r.gpu.present()) {
        std::printf("\n%s: floor = plain device-memory read of the same weight bytes\n", r.gpu.device.c_str());
        for (const auto& m : r.items)
            if (m.on_gpu)
                std::printf("%-6s %6lld %8.2f %10.3f %9.3f %10.3f %7.2f %9.1f %10.1f  %s\n", speed::format_name(m.format),
                            static_cast<long long>(m.batch), m.weight_bytes / 1e6, m.median_ms, m.q75_ms - m.q25_ms, m.floor_ms,
                            m.ratio_to_floor(), m.gbps, m.gflops, m.path.c_str());
        std::printf("GPU roofs: read %.1f GB/s measured (%.0f GB/s peak), best product %.0f GFLOP/s\n", r.gpu.read_gbps,
                    r.gpu.peak_gbps, r.gpu.roof_gflops);
    }
    if (!r.gpu.none_reason.empty()) std::printf("GPU: none (%s)\n", r.gpu.none_reason.c_str());
    if (!r.gpu.failures.empty()) std::printf("%s\n", r.gpu.failures.c_str());
    std::printf("\n");

    // Decode model for one preset on this CPU and a few catalog GPUs.
    const std::string model_name = a.get_or("model", "7B");
    const ModelPreset* model = find_model(model_name);
    if (!model) throw UsageError("unknown --model '" + model_name + "' (see quantlens memory --list)");
    KvCacheOptions kv;
    kv.context = a.get_double("context", 0);
    const speed::DecodeEstimate e =
        speed::decode_estimate(model->params, {{"FP16", 16}, {"INT8", 8}, {"INT4", 4}}, model, kv, r.read_gbps, "this CPU (measured)");
    std::printf("decode estimate, %s (%.2fB parameters, KV %.2f GB/token): tokens/s = bandwidth / bytes per token\n",
                model->name.c_str(), model->params / 1e9, e.kv_bytes_per_token / 1e9);
    std::printf("  %-24s %9s %8s %8s %8s\n", "device", "GB/s", "FP16", "INT8", "INT4");
    for (const auto& d : e.devices)
        std::printf("  %-24s %9.0f %8.1f %8.1f %8.1f\n", d.name.c_str(), d.bandwidth_gbps, d.tokens_per_s[0], d.tokens_per_s[1],
                    d.tokens_per_s[2]);
    std::printf("  seed 004's claim for 7B:            %8.0f %8.0f %8.0f\n", e.reference[0].tokens_per_s, e.reference[1].tokens_per_s,
                e.reference[2].tokens_per_s);
    return 0;
}

} // namespace ql::cli
