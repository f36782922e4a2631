// quantlens memory: model memory per format in GB (10^9) and GiB (2^30), an optional KV cache and
// overhead, and which GPUs of the catalog it fits with the chosen headroom. Text table or JSON.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/memory.h"

namespace ql::cli {
namespace {

const char* const kMemoryHelp =
    "usage: quantlens memory --params N|PRESET [options] [--json]\n"
    "       quantlens memory --list\n\n"
    "Memory of a model's weights per format in GB (10^9 bytes) and GiB (2^30 bytes), plus an optional\n"
    "KV cache and overhead, and whether it fits each GPU with some memory kept free.\n\n"
    "  --params N|PRESET    parameter count (7e9, 6.74e9, 7B, 350M) or a model preset (\"Llama-2 7B\")\n"
    "  --bits B[,B...]      extra rows at these true bits per weight (4.125 = INT4 + fp16 scale per 128)\n"
    "  --format F[,F...]    extra rows for named formats: int4_g128, nf4, nf4_dq, mxfp4, nvfp4, fp8_e4m3,\n"
    "                       q4_k, q6_k, q8_0 ... (see --list)\n"
    "  --gpu NAME[,NAME...] only these GPUs (default: the whole catalog)\n"
    "  --model PRESET       the architecture for the KV cache (default: the --params preset)\n"
    "  --kv-context T|max   KV cache for T tokens (max: the preset's context)   [none]\n"
    "  --kv-batch B         sequences held at once                             [1]\n"
    "  --kv-bytes N         bytes per cached element: 2 FP16/BF16, 1 FP8/INT8   [2]\n"
    "  --overhead X         extra memory: a fraction of weights + cache (0.1) or a size (1.5GB, 2GiB) [0]\n"
    "  --headroom F         share of the usable GPU memory kept free, 0 <= F < 1 [0.1]\n"
    "  --json               machine-readable output\n"
    "  --list               the GPU catalog, the model presets and the named formats\n";

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t b = 0;
    while (b <= s.size()) {
        std::size_t e = s.find(',', b);
        if (e == std::string::npos) e = s.size();
        std::string item = s.substr(b, e - b);
        while (!item.empty() && item.front() == ' ') item.erase(item.begin());
        while (!item.empty() && item.back() == ' ') item.pop_back();
        if (!item.empty()) out.push_back(item);
        b = e + 1;
    }
    return out;
}

std::string fmt(const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

int list_catalogs() {
    std::printf("GPUs (memory as marketed = exact GiB; usable share of unified memory):\n");
    std::printf("  %-22s %-8s %10s %-16s %9s %12s\n", "name", "marketed", "GiB", "type", "GB/s", "FP16 TFLOPS");
    for (const auto& g : gpu_catalog()) {
        std::string usable = g.unified ? " (" + fmt("%.0f", g.usable_fraction * 100) + "% usable)" : "";
        std::printf("  %-22s %-8s %10.2f %-16s %9.0f %12s%s\n", g.name.c_str(), g.marketed_memory.c_str(), g.memory_gib(),
                    g.memory_type.c_str(), g.bandwidth_gbps, g.fp16_tflops > 0 ? fmt("%.1f", g.fp16_tflops).c_str() : "n/a",
                    usable.c_str());
    }
    std::printf("\nModel presets (KV cache per token at FP16 = 2 x layers x kv_heads x head_dim x 2 bytes):\n");
    std::printf("  %-16s %10s %7s %8s %9s %9s %9s %13s\n", "name", "params", "layers", "hidden", "kv heads", "head dim", "context",
                "KV/token KiB");
    for (const auto& m : model_presets())
        std::printf("  %-16s %9.2fB %7d %8d %9d %9d %9.0f %13.1f\n", m.name.c_str(), m.params / 1e9, m.layers, m.hidden, m.kv_heads,
                    m.head_dim, m.context, 2.0 * m.layers * m.kv_heads * m.head_dim * 2 / 1024);
    std::printf("\nNamed formats (true bits per weight of a large tensor):\n");
    for (const auto& f : named_memory_formats())
        std::printf("  %-15s %8.4f  %s\n", f.name.c_str(), f.bits_per_weight, f.note.c_str());
    return 0;
}

} // namespace

int cmd_memory(const std::vector<std::string>& argv) {
    Args a(argv, {"params", "bits", "format", "gpu", "model", "kv-context", "kv-batch", "kv-bytes", "headroom", "overhead"},
           {"help", "json", "list"});
    if (a.flag("help")) {
        std::printf("%s", kMemoryHelp);
        return 0;
    }
    if (a.flag("list")) return list_catalogs();
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");

    // What: parameters, or a preset that also gives the architecture.
    const std::string p = a.require("params");
    const ModelPreset* model = find_model(p);
    double params = 0;
    if (model) params = model->params;
    else if (!parse_param_count(p, params))
        throw UsageError("--params needs a positive count (7e9, 7B, 350M) or a model preset, got '" + p +
                         "'; quantlens memory --list shows them");
    if (auto mname = a.get("model")) {
        model = find_model(*mname);
        if (!model) throw UsageError("unknown --model '" + *mname + "'; quantlens memory --list shows them");
    }

    // KV cache and overhead.
    KvCacheOptions kv;
    if (auto c = a.get("kv-context")) {
        if (!model) throw UsageError("--kv-context needs the architecture: give --model PRESET or a preset as --params");
        if (*c == "max") {
            if (model->context <= 0) throw UsageError("preset '" + model->name + "' has no maximum context; give --kv-context T");
            kv.context = model->context;
        } else {
            kv.context = parse_double("--kv-context", *c);
            if (kv.context < 0 || kv.context != std::floor(kv.context)) throw UsageError("--kv-context needs a whole number of tokens >= 0");
        }
    }
    const std::int64_t batch = a.get_int("kv-batch", 1);
    if (batch < 1 || batch > 1000000) throw UsageError("--kv-batch must be 1..1000000");
    kv.batch = static_cast<int>(batch);
    kv.bytes_per_element = a.get_double("kv-bytes", 2.0);
    if (!(kv.bytes_per_element > 0 && kv.bytes_per_element <= 8)) throw UsageError("--kv-bytes must be in (0, 8]");
    double overhead_fraction = 0, overhead_bytes = 0;
    if (auto o = a.get("overhead")) {
        double v = 0;
        bool plain = true;
        for (char ch : *o) plain = plain && (std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == 'e' || ch == 'E' || ch == '+' || ch == '-');
        if (plain) {
            overhead_fraction = parse_double("--overhead", *o);
            if (overhead_fraction < 0 || overhead_fraction > 10) throw UsageError("--overhead as a fraction must be in [0, 10], got '" + *o + "'");
        } else if (parse_byte_size(*o, v)) {
            overhead_bytes = v;
        } else {
            throw UsageError("--overhead needs a fraction (0.1) or a size (1.5GB, 2GiB), got '" + *o + "'");
        }
    }
    const double headroom = a.get_double("headroom", 0.1);
    if (!(headroom >= 0 && headroom < 1)) throw UsageError("--headroom must be in [0, 1), got " + a.get_or("headroom", ""));

    // Formats: the standard five, then --format and --bits rows.
    std::vector<MemoryFormat> formats = standard_memory_formats();
    if (auto fs = a.get("format")) {
        for (const auto& n : split_list(*fs)) {
            auto f = find_memory_format(n);
            if (!f) throw UsageError("unknown --format '" + n + "'; quantlens memory --list shows them");
            formats.push_back(*f);
        }
    }
    if (auto bs = a.get("bits")) {
        for (const auto& b : split_list(*bs)) {
            const double bits = parse_double("--bits", b);
            if (!(bits > 0 && bits <= 64)) throw UsageError("--bits must be in (0, 64], got '" + b + "'");
            formats.push_back({fmt("%g bits", bits), bits, "given with --bits"});
        }
    }

    std::vector<const GpuSpec*> gpus;
    if (auto gs = a.get("gpu")) {
        for (const auto& n : split_list(*gs)) {
            const GpuSpec* s = find_gpu(n);
            if (!s) throw UsageError("unknown --gpu '" + n + "'; quantlens memory --list shows them");
            gpus.push_back(s);
        }
    } else {
        for (const auto& s : gpu_catalog()) gpus.push_back(&s);
    }

    nlohmann::json j;
    j["params"] = params;
    if (model) j["model"] = model->name;
    j["headroom"] = headroom;
    j["kv_cache"] = {{"context", kv.context}, {"batch", kv.batch}, {"bytes_per_element", kv.bytes_per_element}};
    j["overhead"] = {{"fraction", overhead_fraction}, {"bytes", overhead_bytes}};
    j["units"] = "GB = 10^9 bytes, GiB = 2^30 bytes";
    for (const auto& f : formats) {
        const MemoryEstimate e = estimate_memory(params, f.bits_per_weight, model, kv, overhead_fraction, overhead_bytes);
        nlohmann::json fj{{"format", f.name},
                          {"bits_per_weight", f.bits_per_weight},
                          {"weight_bytes", e.weight_bytes},
                          {"kv_bytes", e.kv_bytes},
                          {"overhead_bytes", e.overhead_bytes},
                          {"total_bytes", e.total_bytes},
                          {"total_gb", e.total_gb()},
                          {"total_gib", e.total_gib()}};
        nlohmann::json fits = nlohmann::json::array();
        for (const GpuSpec* g : gpus) {
            const GpuFit fit = fit_on_gpu(e, *g, headroom);
            fits.push_back({{"gpu", g->name},
                            {"memory_bytes", g->memory_bytes},
                            {"capacity_bytes", fit.capacity_bytes},
                            {"fits", fit.fits},
                            {"used_fraction", fit.used_fraction},
                            {"free_bytes", fit.free_bytes},
                            {"free_gb", fit.free_bytes / kBytesPerGB},
                            {"free_gib", fit.free_bytes / kBytesPerGiB}});
        }
        fj["gpus"] = fits;
        j["formats"].push_back(fj);
    }
    if (a.flag("json")) {
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }

    // Text: what was estimated, a format table, then a fits grid.
    std::printf("%s%.4g billion parameters\n", model ? (model->name + ": ").c_str() : "", params / 1e9);
    if (kv.context > 0) {
        const double kvb = kv_cache_bytes(*model, kv);
        std::printf("+ KV cache: 2 x %d layers x %d KV heads x %d x %.0f tokens x batch %d x %g bytes = %.2f GB (%.2f GiB)\n",
                    model->layers, model->kv_heads, model->head_dim, kv.context, kv.batch, kv.bytes_per_element, kvb / kBytesPerGB,
                    kvb / kBytesPerGiB);
    }
    if (overhead_fraction > 0 || overhead_bytes > 0)
        std::printf("+ overhead: %.0f%% of weights and cache + %.2f GB\n", overhead_fraction * 100, overhead_bytes / kBytesPerGB);
    std::printf("\n%-15s %8s %12s %12s %12s\n", "format", "bits/w", "weights GB", "total GB", "total GiB");
    for (const auto& fj : j["formats"])
        std::printf("%-15s %8.4g %12.2f %12.2f %12.2f\n", fj["format"].get<std::string>().c_str(), fj["bits_per_weight"].get<double>(),
                    fj["weight_bytes"].get<double>() / kBytesPerGB, fj["total_gb"].get<double>(), fj["total_gib"].get<double>());

    if (gpus.size() == 1) {
        const GpuSpec& g = *gpus[0];
        // both units, and the maker's figure as sold: an RTX 4090's "24 GB" is 24 GiB = 25.77 GB ("24 GB =
        // 24.00 GiB" read as a contradiction)
        std::printf("\n%s: %.2f GiB = %.2f GB %s (sold as \"%s\")%s, %.0f%% kept free\n", g.name.c_str(), g.memory_gib(),
                    g.memory_gb(), g.memory_type.c_str(), g.marketed_memory.c_str(),
                    g.unified ? (", " + fmt("%.0f", g.usable_fraction * 100) + "% usable by the GPU").c_str() : "", headroom * 100);
        std::printf("%-15s %5s %8s %12s %12s\n", "format", "fits", "used", "free GB", "free GiB");
        for (const auto& fj : j["formats"]) {
            const auto& r = fj["gpus"][0];
            std::printf("%-15s %5s %7.0f%% %12.2f %12.2f\n", fj["format"].get<std::string>().c_str(), r["fits"].get<bool>() ? "yes" : "no",
                        r["used_fraction"].get<double>() * 100, r["free_gb"].get<double>(), r["free_gib"].get<double>());
        }
        return 0;
    }
    std::size_t width = 3;
    std::vector<std::string> labels;
    for (const GpuSpec* g : gpus) {
        labels.push_back(g->name + " (" + fmt("%.4g", g->memory_gib()) + " GiB)");
        width = std::max(width, labels.back().size());
    }
    const int w = static_cast<int>(width);
    std::printf("\nfits? and share of the usable GPU memory, with %.0f%% of it kept free\n%-*s", headroom * 100, w, "GPU");
    for (const auto& fj : j["formats"]) std::printf(" %9.9s", fj["format"].get<std::string>().c_str());
    std::printf("\n");
    for (std::size_t gi = 0; gi < gpus.size(); ++gi) {
        std::printf("%-*s", w, labels[gi].c_str());
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
