// quantlens memory: model memory per format in GB and GiB, and which GPUs it fits.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/memory.h"

namespace ql::cli {

int cmd_memory(const std::vector<std::string>& argv) {
    Args a(argv, {"params", "bits", "gpu", "model", "kv-context", "kv-batch", "headroom", "overhead"}, {"help", "json", "list"});
    if (a.flag("help")) {
        std::printf("usage: quantlens memory --params N|PRESET [--bits B] [--gpu NAME] [--model PRESET --kv-context T\n"
                    "                        [--kv-batch B]] [--headroom F] [--overhead F] [--json] | --list\n\n"
                    "Weights memory per format (FP32, FP16, BF16, INT8, INT4, and --bits for any true bits per weight,\n"
                    "e.g. 4.125 for INT4 with an fp16 scale per 128) in GB (10^9 bytes) and GiB (2^30 bytes), plus an\n"
                    "optional KV cache, and whether it fits each GPU with the given headroom [0.1].\n");
        return 0;
    }
    if (a.flag("list")) {
        std::printf("GPUs:\n");
        for (const auto& g : gpu_catalog())
            std::printf("  %-22s %7.1f GiB %s %6.0f GB/s\n", g.name.c_str(), g.memory_gib(), g.unified ? "unified" : "       ", g.bandwidth_gbps);
        std::printf("Models:\n");
        for (const auto& m : model_presets()) std::printf("  %-16s %8.2fB parameters\n", m.name.c_str(), m.params / 1e9);
        return 0;
    }
    const std::string p = a.require("params");
    const ModelPreset* model = nullptr;
    double params = 0;
    if (const ModelPreset* m = find_model(p)) {
        model = m;
        params = m->params;
    } else {
        params = parse_double("--params", p);
        if (params <= 0) throw UsageError("--params must be positive");
    }
    if (auto mname = a.get("model")) {
        model = find_model(*mname);
        if (!model) throw UsageError("unknown --model '" + *mname + "' (see quantlens memory --list)");
    }
    KvCacheOptions kv;
    kv.context = a.get_double("kv-context", 0);
    kv.batch = static_cast<int>(a.get_int("kv-batch", 1));
    if (kv.context > 0 && !model) throw UsageError("--kv-context needs --model PRESET (layers, heads) or a preset as --params");
    const double headroom = a.get_double("headroom", 0.1);
    const double overhead = a.get_double("overhead", 0.0);
    std::vector<MemoryFormat> formats = standard_memory_formats();
    if (a.has("bits")) formats.push_back({"custom", a.get_double("bits", 4)});
    std::vector<const GpuSpec*> gpus;
    if (auto g = a.get("gpu")) {
        const GpuSpec* s = find_gpu(*g);
        if (!s) throw UsageError("unknown --gpu '" + *g + "' (see quantlens memory --list)");
        gpus.push_back(s);
    } else {
        for (const auto& s : gpu_catalog()) gpus.push_back(&s);
    }
    nlohmann::json j;
    j["params"] = params;
    j["headroom"] = headroom;
    j["kv_context"] = kv.context;
    for (const auto& f : formats) {
        const MemoryEstimate e = estimate_memory(params, f.bits_per_weight, model, kv, overhead);
        nlohmann::json fj{{"format", f.name}, {"bits_per_weight", f.bits_per_weight}, {"weight_bytes", e.weight_bytes},
                          {"kv_bytes", e.kv_bytes}, {"total_bytes", e.total_bytes}, {"total_gb", e.total_gb()}, {"total_gib", e.total_gib()}};
        nlohmann::json fits = nlohmann::json::array();
        for (const GpuSpec* g : gpus) {
            const GpuFit fit = fit_on_gpu(e, *g, headroom);
            fits.push_back({{"gpu", g->name}, {"fits", fit.fits}, {"used_fraction", fit.used_fraction}, {"free_gb", fit.free_bytes / 1e9}});
        }
        fj["gpus"] = fits;
        j["formats"].push_back(fj);
    }
    if (a.flag("json")) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::printf("%.4g parameters%s\n\n", params,
                kv.context > 0 ? (" + KV cache for " + std::to_string(static_cast<long long>(kv.context)) + " tokens").c_str() : "");
    std::printf("%-8s %8s %12s %12s\n", "format", "bits/w", "GB (1e9)", "GiB (2^30)");
    for (const auto& fj : j["formats"])
        std::printf("%-8s %8.4g %12.2f %12.2f\n", fj["format"].get<std::string>().c_str(), fj["bits_per_weight"].get<double>(),
                    fj["total_gb"].get<double>(), fj["total_gib"].get<double>());
    std::printf("\nfits? share of usable GPU memory, with %.0f%% headroom kept free\n%-30s", headroom * 100, "GPU");
    for (const auto& fj : j["formats"]) std::printf(" %9s", fj["format"].get<std::string>().c_str());
    std::printf("\n");
    for (std::size_t gi = 0; gi < gpus.size(); ++gi) {
        std::printf("%-30s", (gpus[gi]->name + " (" + std::to_string(static_cast<int>(gpus[gi]->memory_gib() + 0.5)) + " GiB)").c_str());
        for (const auto& fj : j["formats"]) {
            const auto& g = fj["gpus"][gi];
            char cell[32];
            std::snprintf(cell, sizeof cell, "%s %3.0f%%", g["fits"].get<bool>() ? "yes" : " no", g["used_fraction"].get<double>() * 100);
            std::printf(" %9s", cell);
        }
        std::printf("\n");
    }
    return 0;
}

} // namespace ql::cli
