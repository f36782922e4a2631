// Memory estimates, KV cache, GPU fit, and the catalogs embedded from resources/.
#include "core/memory.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <stdexcept>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/resources.h"
#include "core/tensor.h"

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
        if (g.name.empty()) throw std::runtime_error(where + ": \"name\" must not be empty");
        const std::string named = where + " (" + g.name + ")";
        g.vendor = text(e, "vendor", named, false);
        g.marketed_memory = text(e, "marketed_memory", named, false);
        g.memory_type = text(e, "memory_type", named, false);
        // bytes, exactly: a whole number below 2^53 so the double holding it is exact
        if (!e.contains("memory_bytes")) throw std::runtime_error(named + ": missing \"memory_bytes\"");
        if (!e["memory_bytes"].is_number_unsigned() || e["memory_bytes"].get<std::uint64_t>() == 0 ||
            e["memory_bytes"].get<std::uint64_t>() > (std::uint64_t(1) << 53))
            throw std::runtime_error(named + ": \"memory_bytes\" must be a whole number of bytes in [1, 2^53]");
        g.memory_bytes = static_cast<double>(e["memory_bytes"].get<std::uint64_t>());
        g.bandwidth_gbps = number(e, "bandwidth_gbps", named, true);
        if (g.bandwidth_gbps <= 0) throw std::runtime_error(named + ": \"bandwidth_gbps\" must be > 0");
        g.fp16_tflops = number(e, "fp16_tflops", named, false);
        if (e.contains("unified") && !e["unified"].is_boolean()) throw std::runtime_error(named + ": \"unified\" must be true or false");
        g.unified = e.contains("unified") && e["unified"].get<bool>();
        g.usable_fraction = number(e, "usable_fraction", named, false, 1.0);
        if (g.usable_fraction <= 0 || g.usable_fraction > 1) throw std::runtime_error(named + ": \"usable_fraction\" must be in (0, 1]");
        g.note = text(e, "note", named, false);
        for (const auto& other : out)
            if (lower(other.name) == lower(g.name)) throw std::runtime_error(where + ": duplicate GPU name \"" + g.name + "\"");
        out.push_back(std::move(g));
    }
    return out;
}

std::vector<ModelPreset> parse_model_presets(std::string_view json_text, const std::string& source) {
    const auto j = parse_root(json_text, source, "models");
    std::vector<ModelPreset> out;
    auto whole = [](const nlohmann::json& e, const char* key, const std::string& where) {
        const double v = number(e, key, where, false);
        if (v != std::floor(v) || v > 1e9) throw std::runtime_error(where + ": \"" + key + "\" must be a whole number");
        return static_cast<int>(v);
    };
    for (std::size_t i = 0; i < j["models"].size(); ++i) {
        const auto& e = j["models"][i];
        const std::string where = source + ": models[" + std::to_string(i) + "]";
        if (!e.is_object()) throw std::runtime_error(where + ": must be an object");
        ModelPreset m;
        m.name = text(e, "name", where, true);
        if (m.name.empty()) throw std::runtime_error(where + ": \"name\" must not be empty");
        const std::string named = where + " (" + m.name + ")";
        m.params = number(e, "params", named, true);
        if (m.params <= 0) throw std::runtime_error(named + ": \"params\" must be > 0");
        m.layers = whole(e, "layers", named);
        m.hidden = whole(e, "hidden", named);
        m.heads = whole(e, "heads", named);
        m.kv_heads = whole(e, "kv_heads", named);
        m.head_dim = whole(e, "head_dim", named);
        m.context = number(e, "context", named, false);
        if (m.heads > 0 && m.kv_heads > 0 && m.heads % m.kv_heads != 0)
            throw std::runtime_error(named + ": \"heads\" must be a multiple of \"kv_heads\"");
        m.note = text(e, "note", named, false);
        for (const auto& other : out)
            if (lower(other.name) == lower(m.name)) throw std::runtime_error(where + ": duplicate model name \"" + m.name + "\"");
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
    return {{"FP32", 32, "IEEE float32"}, {"FP16", 16, "IEEE float16"}, {"BF16", 16, "bfloat16"},
            {"INT8", 8, "8-bit codes; per-tensor or per-channel scales not counted"},
            {"INT4", 4, "4-bit codes; scales not counted"}};
}

std::vector<MemoryFormat> named_memory_formats() {
    std::vector<MemoryFormat> f = standard_memory_formats();
    auto add = [&](const char* n, double bits, const char* note) { f.push_back({n, bits, note}); };
    add("FP8_E4M3", 8, "8-bit codes, one fp32 scale per tensor");
    add("FP8_E5M2", 8, "8-bit codes, one fp32 scale per tensor");
    add("INT8_G128", 8.0 + 16.0 / 128, "8 + 16/128: fp16 scale per group of 128");
    add("INT4_G128", 4.0 + 16.0 / 128, "4 + 16/128: fp16 scale per group of 128 (symmetric GPTQ/AWQ)");
    add("INT4_G128_ASYM", 4.0 + (16.0 + 4.0) / 128, "4 + (16 + 4)/128: fp16 scale and 4-bit zero point per 128 (GPTQ/AWQ checkpoints)");
    add("INT4_G64", 4.0 + 16.0 / 64, "4 + 16/64: fp16 scale per group of 64");
    add("INT4_G32", 4.0 + 16.0 / 32, "4 + 16/32: fp16 scale per group of 32");
    add("INT3_G128", 3.0 + 16.0 / 128, "3 + 16/128: fp16 scale per group of 128");
    add("INT2_G64", 2.0 + 16.0 / 64, "2 + 16/64: fp16 scale per group of 64");
    add("NF4", 4.0 + 32.0 / 64, "4 + 32/64: bitsandbytes NF4, fp32 absmax per block of 64");
    add("NF4_DQ", 4.0 + 8.0 / 64 + 32.0 / (64 * 256),
        "4 + 8/64 + 32/(64 x 256): NF4 with the absmax values quantized to 8 bits, fp32 scale per 256 of them");
    add("HQQ_G64", 4.0 + 32.0 / 64, "4 + 32/64: HQQ, fp16 scale and fp16 (fractional) zero point per group of 64");
    add("FP4_E2M1", 4.0 + 32.0 / 64, "4 + 32/64: E2M1 codes, fp32 scale per block of 64");
    add("MXFP4", 4.0 + 8.0 / 32, "4 + 8/32: OCP MX E2M1 codes, E8M0 scale per 32");
    add("NVFP4", 4.0 + 8.0 / 16, "4 + 8/16: E2M1 codes, E4M3 scale per 16 (fp32 tensor scale not counted)");
    // ggml blocks: bytes per block x 8 / values per block (ggml-common.h)
    for (auto [n, t, note] : std::initializer_list<std::tuple<const char*, DType, const char*>>{
             {"Q8_0", DType::GGML_Q8_0, "ggml: 34 bytes per 32 (fp16 scale + 32 int8)"},
             {"Q6_K", DType::GGML_Q6_K, "ggml: 210 bytes per 256"},
             {"Q5_K", DType::GGML_Q5_K, "ggml: 176 bytes per 256"},
             {"Q5_1", DType::GGML_Q5_1, "ggml: 24 bytes per 32"},
             {"Q5_0", DType::GGML_Q5_0, "ggml: 22 bytes per 32"},
             {"Q4_K", DType::GGML_Q4_K, "ggml: 144 bytes per 256"},
             {"Q4_1", DType::GGML_Q4_1, "ggml: 20 bytes per 32"},
             {"Q4_0", DType::GGML_Q4_0, "ggml: 18 bytes per 32 (fp16 scale + 32 nibbles)"},
             {"IQ4_NL", DType::GGML_IQ4_NL, "ggml: 18 bytes per 32, non-linear grid"},
             {"IQ4_XS", DType::GGML_IQ4_XS, "ggml: 136 bytes per 256, the IQ4_NL grid with a 6-bit scale per 32"},
             {"Q3_K", DType::GGML_Q3_K, "ggml: 110 bytes per 256"},
             {"IQ3_S", DType::GGML_IQ3_S, "ggml: 110 bytes per 256, 4 values per 9-bit codebook index"},
             {"IQ3_XXS", DType::GGML_IQ3_XXS, "ggml: 98 bytes per 256, 4 values per 8-bit codebook index"},
             {"Q2_K", DType::GGML_Q2_K, "ggml: 84 bytes per 256"},
             {"IQ2_S", DType::GGML_IQ2_S, "ggml: 82 bytes per 256, 8 values per 10-bit codebook index"},
             {"IQ2_XS", DType::GGML_IQ2_XS, "ggml: 74 bytes per 256, 8 values per 9-bit codebook index"},
             {"IQ2_XXS", DType::GGML_IQ2_XXS, "ggml: 66 bytes per 256, 8 values per 8-bit codebook index"},
             {"TQ2_0", DType::GGML_TQ2_0, "ggml: 66 bytes per 256, ternary weights in 2 bits (BitNet b1.58, TriLM)"},
             {"IQ1_M", DType::GGML_IQ1_M, "ggml: 56 bytes per 256, 8 values per 11-bit codebook index"},
             {"TQ1_0", DType::GGML_TQ1_0, "ggml: 54 bytes per 256, ternary weights 5 to a byte (BitNet b1.58, TriLM)"},
             {"IQ1_S", DType::GGML_IQ1_S, "ggml: 50 bytes per 256, 8 values per 11-bit codebook index"}})
        add(n, dtype_bits(t), note);
    return f;
}

std::optional<MemoryFormat> find_memory_format(std::string_view name) {
    auto norm = [](std::string_view s) {
        std::string r;
        for (char c : s) {
            if (c == ' ') continue;
            r += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return r;
    };
    const std::string n = norm(name);
    for (auto& f : named_memory_formats())
        if (norm(f.name) == n) return f;
    return std::nullopt;
}

namespace {
// Leading decimal number (strtod's grammar, starting with a digit or '.', no hex) and the unit after it.
bool split_number(std::string_view text, double& value, std::string& unit) {
    std::string s(text);
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return false;
    if (s.find_first_of("xX") != std::string::npos) return false;  // strtod would read hex
    char* end = nullptr;
    value = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || !std::isfinite(value)) return false;
    unit.assign(end);
    while (!unit.empty() && unit.front() == ' ') unit.erase(unit.begin());
    while (!unit.empty() && unit.back() == ' ') unit.pop_back();
    return true;
}
} // namespace

bool parse_param_count(std::string_view text, double& out) {
    double v = 0;
    std::string unit;
    if (!split_number(text, v, unit)) return false;
    const std::string u = lower(unit);
    double scale = 1;
    if (u.empty()) scale = 1;
    else if (u == "k") scale = 1e3;
    else if (u == "m") scale = 1e6;
    else if (u == "b" || u == "g") scale = 1e9;
    else if (u == "t") scale = 1e12;
    else return false;
    out = v * scale;
    return out > 0 && std::isfinite(out);
}

bool parse_byte_size(std::string_view text, double& out) {
    double v = 0;
    std::string unit;
    if (!split_number(text, v, unit)) return false;
    const std::string u = lower(unit);
    double scale = 0;
    if (u.empty() || u == "b") scale = 1;
    else if (u == "kb") scale = 1e3;
    else if (u == "mb") scale = 1e6;
    else if (u == "gb") scale = 1e9;
    else if (u == "tb") scale = 1e12;
    else if (u == "kib") scale = 1024.0;
    else if (u == "mib") scale = 1048576.0;
    else if (u == "gib") scale = kBytesPerGiB;
    else if (u == "tib") scale = kBytesPerGiB * 1024.0;
    else return false;
    out = v * scale;
    return out >= 0 && std::isfinite(out);
}

double weight_bytes(double params, double bits_per_weight) { return params * bits_per_weight / 8.0; }

double kv_cache_bytes(const ModelPreset& m, const KvCacheOptions& kv) {
    return 2.0 * m.layers * m.kv_heads * m.head_dim * kv.context * kv.batch * kv.bytes_per_element;
}

MemoryEstimate estimate_memory(double params, double bpw, const ModelPreset* model, const KvCacheOptions& kv,
                               double overhead_fraction, double overhead_bytes) {
    auto ok = [](double v) { return std::isfinite(v) && v >= 0; };
    if (!ok(params) || !ok(bpw)) throw std::invalid_argument("parameters and bits per weight must be finite and >= 0");
    if (!ok(kv.context) || kv.batch < 0 || !ok(kv.bytes_per_element))
        throw std::invalid_argument("KV context, batch and bytes per element must be finite and >= 0");
    if (!ok(overhead_fraction) || !ok(overhead_bytes)) throw std::invalid_argument("overhead must be finite and >= 0");
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
    f.capacity_bytes = usable * (1.0 - (headroom >= 0.0 ? std::min(headroom, 0.99) : 0.0));  // NaN -> 0
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
