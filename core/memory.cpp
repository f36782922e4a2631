// Memory estimates, KV cache, GPU fit, and the catalogs embedded from resources/.
#include "core/memory.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/resources.h"

namespace ql {
namespace {

std::string lower(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

nlohmann::json parse_root(std::string_view text, const std::string& source, const char* array_key) {
    nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) throw std::runtime_error(source + ": not valid JSON");
    if (!j.is_object() || !j.contains(array_key) || !j[array_key].is_array())
        throw std::runtime_error(source + ": expected an object with an array \"" + array_key + "\"");
    return j;
}

double number(const nlohmann::json& e, const char* key, const std::string& where, bool required, double fallback = 0) {
    if (!e.contains(key)) {
        if (required) throw std::runtime_error(where + ": missing \"" + key + "\"");
        return fallback;
    }
    if (!e[key].is_number()) throw std::runtime_error(where + ": \"" + key + "\" must be a number");
    const double v = e[key].get<double>();
    if (!std::isfinite(v) || v < 0) throw std::runtime_error(where + ": \"" + key + "\" must be finite and >= 0");
    return v;
}

std::string text(const nlohmann::json& e, const char* key, const std::string& where, bool required) {
    if (!e.contains(key)) {
        if (required) throw std::runtime_error(where + ": missing \"" + key + "\"");
        return {};
    }
    if (!e[key].is_string()) throw std::runtime_error(where + ": \"" + key + "\" must be a string");
    return e[key].get<std::string>();
}

} // namespace

std::vector<GpuSpec> parse_gpu_catalog(std::string_view json_text, const std::string& source) {
    const auto j = parse_root(json_text, source, "gpus");
    std::vector<GpuSpec> out;
    for (std::size_t i = 0; i < j["gpus"].size(); ++i) {
        const auto& e = j["gpus"][i];
        const std::string where = source + ": gpus[" + std::to_string(i) + "]";
        if (!e.is_object()) throw std::runtime_error(where + ": must be an object");
        GpuSpec g;
        g.name = text(e, "name", where, true);
        g.vendor = text(e, "vendor", where, false);
        g.memory_bytes = number(e, "memory_gib", where, true) * kBytesPerGiB;
        g.bandwidth_gbps = number(e, "bandwidth_gbps", where, true);
        g.fp16_tflops = number(e, "fp16_tflops", where, false);
        g.unified = e.contains("unified") && e["unified"].is_boolean() && e["unified"].get<bool>();
        g.usable_fraction = number(e, "usable_fraction", where, false, 1.0);
        if (g.usable_fraction <= 0 || g.usable_fraction > 1) throw std::runtime_error(where + ": usable_fraction must be in (0, 1]");
        if (g.memory_bytes <= 0) throw std::runtime_error(where + ": memory_gib must be > 0");
        g.note = text(e, "note", where, false);
        for (const auto& other : out)
            if (lower(other.name) == lower(g.name)) throw std::runtime_error(where + ": duplicate GPU name \"" + g.name + "\"");
        out.push_back(std::move(g));
    }
    return out;
}

std::vector<ModelPreset> parse_model_presets(std::string_view json_text, const std::string& source) {
    const auto j = parse_root(json_text, source, "models");
    std::vector<ModelPreset> out;
    for (std::size_t i = 0; i < j["models"].size(); ++i) {
        const auto& e = j["models"][i];
        const std::string where = source + ": models[" + std::to_string(i) + "]";
        if (!e.is_object()) throw std::runtime_error(where + ": must be an object");
        ModelPreset m;
        m.name = text(e, "name", where, true);
        m.params = number(e, "params", where, true);
        m.layers = static_cast<int>(number(e, "layers", where, false));
        m.hidden = static_cast<int>(number(e, "hidden", where, false));
        m.kv_heads = static_cast<int>(number(e, "kv_heads", where, false));
        m.head_dim = static_cast<int>(number(e, "head_dim", where, false));
        m.note = text(e, "note", where, false);
        if (m.params <= 0) throw std::runtime_error(where + ": params must be > 0");
        out.push_back(std::move(m));
    }
    return out;
}

const std::vector<GpuSpec>& gpu_catalog() {
    static const std::vector<GpuSpec> c = parse_gpu_catalog(embedded_resource("gpus.json"), "resources/gpus.json");
    return c;
}

const std::vector<ModelPreset>& model_presets() {
    static const std::vector<ModelPreset> c = parse_model_presets(embedded_resource("models.json"), "resources/models.json");
    return c;
}

const GpuSpec* find_gpu(std::string_view name) {
    const std::string l = lower(name);
    for (const auto& g : gpu_catalog())
        if (lower(g.name) == l) return &g;
    return nullptr;
}

const ModelPreset* find_model(std::string_view name) {
    const std::string l = lower(name);
    for (const auto& m : model_presets())
        if (lower(m.name) == l) return &m;
    return nullptr;
}

std::vector<MemoryFormat> standard_memory_formats() {
    return {{"FP32", 32}, {"FP16", 16}, {"BF16", 16}, {"INT8", 8}, {"INT4", 4}};
}

double weight_bytes(double params, double bits_per_weight) { return params * bits_per_weight / 8.0; }

double kv_cache_bytes(const ModelPreset& m, const KvCacheOptions& kv) {
    return 2.0 * m.layers * m.kv_heads * m.head_dim * kv.context * kv.batch * kv.bytes_per_element;
}

MemoryEstimate estimate_memory(double params, double bpw, const ModelPreset* model, const KvCacheOptions& kv,
                               double overhead_fraction, double overhead_bytes) {
    MemoryEstimate e;
    e.weight_bytes = weight_bytes(params, bpw);
    e.kv_bytes = (model && kv.context > 0) ? kv_cache_bytes(*model, kv) : 0.0;
    e.overhead_bytes = (e.weight_bytes + e.kv_bytes) * overhead_fraction + overhead_bytes;
    e.total_bytes = e.weight_bytes + e.kv_bytes + e.overhead_bytes;
    return e;
}

GpuFit fit_on_gpu(const MemoryEstimate& m, const GpuSpec& gpu, double headroom) {
    GpuFit f;
    const double usable = gpu.memory_bytes * gpu.usable_fraction;
    f.need_bytes = m.total_bytes;
    f.capacity_bytes = usable * (1.0 - std::clamp(headroom, 0.0, 0.99));
    f.fits = f.need_bytes <= f.capacity_bytes;
    f.used_fraction = usable > 0 ? f.need_bytes / usable : 0.0;
    f.free_bytes = f.capacity_bytes - f.need_bytes;
    return f;
}

GpuFitReport gpu_fit_report(double params, const std::vector<MemoryFormat>& formats, const std::vector<std::string>& gpu_names,
                            const ModelPreset* model, const KvCacheOptions& kv, double headroom) {
    GpuFitReport r;
    r.params = params;
    r.headroom = headroom;
    r.formats = formats;
    for (const auto& n : gpu_names) {
        if (const GpuSpec* g = find_gpu(n)) r.gpus.push_back(*g);
        else r.unknown_gpus.push_back(n);
    }
    for (const auto& f : formats) {
        const MemoryEstimate e = estimate_memory(params, f.bits_per_weight, model, kv);
        r.estimates.push_back(e);
        std::vector<GpuFit> row;
        for (const auto& g : r.gpus) row.push_back(fit_on_gpu(e, g, headroom));
        r.fits.push_back(std::move(row));
    }
    return r;
}

} // namespace ql
