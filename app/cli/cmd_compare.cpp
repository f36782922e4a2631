// quantlens compare: every format (or a list) on one tensor, side by side: true bits per weight, MSE,
// SQNR, cosine similarity and maximum error, through the same analyze() the GUI uses.
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/analysis.h"
#include "core/format_quantizers.h"

namespace ql::cli {

namespace {

std::vector<Format> parse_format_list(const std::string& text) {
    if (text == "all") return all_formats();
    std::vector<Format> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) continue;
        const auto f = parse_format(item);
        if (!f) throw UsageError("unknown format '" + item + "' in --formats (names: int, nf4, nf4_dq, fp8_e4m3, fp8_e5m2, "
                                 "fp4_e2m1, mxfp4, nvfp4, q8_0, q4_0, q4_1, q5_0, q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, iq4_xs, or all)");
        out.push_back(*f);
    }
    if (out.empty()) throw UsageError("--formats needs at least one format name or 'all'");
    return out;
}

} // namespace

int cmd_compare(const std::vector<std::string>& argv) {
    Args a(argv, merge({config_options(), generator_options(), {"tensor", "formats"}}), {"help", "json", "generate"});
    if (a.flag("help")) {
        std::printf("usage: quantlens compare (IN [--tensor NAME] | --generate [generator options]) [--formats all|LIST] [--json]\n\n"
                    "Quantizes one tensor in every listed format (default: all) and prints true bits per weight\n"
                    "(scales included), MSE, SQNR, cosine similarity and the largest absolute error per format.\n"
                    "Block formats use their default block; --block-size applies to nf4, nf4_dq, fp4_e2m1 and hqq (INT4,\n"
                    "its group).\n"
                    "'int' is the integer path with the options below (default INT8 asym per tensor).\n\n%s\nGenerator:\n%s",
                    kConfigHelp, kGeneratorHelp);
        return 0;
    }
    const std::vector<Format> formats = parse_format_list(a.get_or("formats", "all"));
    QuantConfig int_cfg = config_from_args(a);
    int_cfg.format = Format::Int;
    std::vector<QuantConfig> configs = common_format_configs(int_cfg, formats);
    if (a.has("block-size"))
        for (auto& c : configs)
            if (c.format == Format::NF4 || c.format == Format::NF4_DQ || c.format == Format::FP4_E2M1 || c.format == Format::HQQ) c.block_size = int_cfg.block_size;
    AnalysisRequest req;
    req.tensor = input_tensor(a, true);
    for (const auto& c : configs)
        if (std::string why = validate(c, req.tensor->shape); !why.empty()) throw UsageError(std::string(format_name(c.format)) + ": " + why);
    req.configs = configs;
    req.options.forward_diff = false;
    req.options.layer_sim.enabled = false;
    req.options.snr_sweep = false;
    req.options.per_channel_error = false;
    const AnalysisReport r = analyze(req);
    if (r.cancelled) throw std::runtime_error("analysis cancelled");
    if (a.flag("json")) {
        nlohmann::json out;
        out["tensor"] = {{"name", r.tensor.name}, {"shape", r.tensor.shape}, {"numel", r.tensor.numel}};
        out["compute_ms"] = r.compute_ms;
        out["warnings"] = r.warnings;
        out["formats"] = nlohmann::json::array();
        for (const auto& cr : r.configs) {
            nlohmann::json j = {{"format", std::string(format_name(cr.config.format))}, {"config", cr.config.describe()}};
            if (!cr.error.empty()) {
                j["error"] = cr.error;
            } else {
                const auto& m = cr.metrics;
                j.update({{"bits_per_weight", cr.storage.bits_per_weight}, {"bytes", cr.storage.bytes}, {"mse", m.mse},
                          {"sqnr_db", m.sqnr_db}, {"snr_db", m.snr_db}, {"cosine", m.cosine}, {"max_abs_error", m.max_abs},
                          {"clipped", m.clipped}, {"levels_used", m.levels_used}, {"nonfinite_dq", m.nonfinite_dq},
                          {"compute_ms", cr.compute_ms}});
            }
            out["formats"].push_back(j);
        }
        std::printf("%s\n", out.dump(2).c_str());
        return 0;
    }
    std::printf("tensor %s  shape %s  (%lld values)\n", r.tensor.name.c_str(), req.tensor->shape_string().c_str(),
                static_cast<long long>(r.tensor.numel));
    std::printf("%-28s %10s %13s %10s %12s %12s %10s\n", "format", "bits/wt", "MSE", "SQNR dB", "cosine", "max |err|", "ms");
    for (const auto& cr : r.configs) {
        if (!cr.error.empty()) {
            std::printf("%-28s error: %s\n", cr.config.describe().c_str(), cr.error.c_str());
            continue;
        }
        const auto& m = cr.metrics;
        std::printf("%-28s %10.4f %13.6g %10.2f %12.8f %12.6g %10.1f\n", cr.config.describe().c_str(), cr.storage.bits_per_weight,
                    m.mse, m.sqnr_db, m.cosine, m.max_abs, cr.compute_ms);
    }
    std::printf("bits/wt: true storage incl. scales and zero points; SQNR = 10 log10(var(x) / MSE); total %.1f ms\n", r.compute_ms);
    // a format whose values overflow (inf above) says why here
    for (const auto& w : r.warnings) std::printf("note: %s\n", w.c_str());
    return 0;
}

} // namespace ql::cli
