// JSON conversion of configurations, generator specs and reports.
#include "core/report_json.h"

#include <cmath>
#include <stdexcept>

namespace ql {
namespace {

using nlohmann::json;

json number_or_null(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

template <class T>
T get_or(const json& j, const char* key, T fallback) {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    try {
        return j[key].get<T>();
    } catch (const json::exception&) {
        throw std::invalid_argument(std::string("field \"") + key + "\" has the wrong type");
    }
}

} // namespace

const char* activation_name(Activation a) {
    switch (a) {
    case Activation::None: return "none";
    case Activation::ReLU: return "relu";
    case Activation::GELU: return "gelu";
    }
    return "none";
}

bool parse_activation(const std::string& s, Activation& out) {
    if (s == "none") out = Activation::None;
    else if (s == "relu") out = Activation::ReLU;
    else if (s == "gelu") out = Activation::GELU;
    else return false;
    return true;
}

json to_json(const QuantConfig& c) {
    json j;
    j["label"] = c.label;
    j["format"] = std::string(format_name(c.format));
    j["bits"] = c.bits;
    j["scheme"] = std::string(scheme_name(c.scheme));
    j["granularity"] = std::string(granularity_name(c.granularity));
    j["axis"] = c.axis;
    j["group_size"] = c.group_size;
    j["block_size"] = c.block_size;
    j["scale_type"] = c.scale_type == ScaleType::Auto ? "auto" : (c.scale_type == ScaleType::F16 ? "f16" : "f32");
    j["range"] = std::string(range_method_name(c.range));
    j["percentile"] = c.percentile;
    char hex[8];
    std::snprintf(hex, sizeof hex, "#%06X", c.color & 0xFFFFFFu);
    j["color"] = c.color ? std::string(hex) : std::string();
    return j;
}

QuantConfig quant_config_from_json(const json& j) {
    if (!j.is_object()) throw std::invalid_argument("a configuration must be a JSON object");
    QuantConfig c;
    c.label = get_or<std::string>(j, "label", "");
    const auto f = parse_format(get_or<std::string>(j, "format", "int"));
    if (!f) throw std::invalid_argument("unknown format \"" + get_or<std::string>(j, "format", "") + "\"");
    c.format = *f;
    c.bits = get_or<int>(j, "bits", 8);
    const auto s = parse_scheme(get_or<std::string>(j, "scheme", "asym"));
    if (!s) throw std::invalid_argument("scheme must be sym or asym");
    c.scheme = *s;
    const auto g = parse_granularity(get_or<std::string>(j, "granularity", "tensor"));
    if (!g) throw std::invalid_argument("granularity must be tensor, channel or group");
    c.granularity = *g;
    c.axis = get_or<int>(j, "axis", 0);
    c.group_size = get_or<int>(j, "group_size", 128);
    c.block_size = get_or<int>(j, "block_size", 0);
    const std::string st = get_or<std::string>(j, "scale_type", "auto");
    if (st == "auto") c.scale_type = ScaleType::Auto;
    else if (st == "f16") c.scale_type = ScaleType::F16;
    else if (st == "f32") c.scale_type = ScaleType::F32;
    else throw std::invalid_argument("scale_type must be auto, f16 or f32");
    const auto r = parse_range_method(get_or<std::string>(j, "range", "minmax"));
    if (!r) throw std::invalid_argument("range must be minmax, percentile, mse or kl");
    c.range = *r;
    c.percentile = get_or<double>(j, "percentile", 99.9);
    const std::string col = get_or<std::string>(j, "color", "");
    if (!col.empty()) {
        if (col.size() != 7 || col[0] != '#') throw std::invalid_argument("color must look like #RRGGBB");
        c.color = static_cast<std::uint32_t>(std::stoul(col.substr(1), nullptr, 16));
    }
    if (c.bits < 2 || c.bits > 8) throw std::invalid_argument("bits must be 2..8, got " + std::to_string(c.bits));
    if (c.group_size < 1) throw std::invalid_argument("group_size must be >= 1");
    return c;
}

json to_json(const GeneratorSpec& g) {
    json j;
    j["distribution"] = distribution_name(g.distribution);
    j["shape"] = g.shape;
    j["mean"] = g.mean;
    j["std"] = g.std;
    j["dof"] = g.dof;
    j["seed"] = g.seed;
    j["outlier_fraction"] = g.outlier_fraction;
    j["outlier_magnitude"] = g.outlier_magnitude;
    j["llm_channels"] = g.llm_channels;
    j["llm_scale_min"] = g.llm_scale_min;
    j["llm_scale_max"] = g.llm_scale_max;
    return j;
}

GeneratorSpec generator_spec_from_json(const json& j) {
    if (!j.is_object()) throw std::invalid_argument("a generator must be a JSON object");
    GeneratorSpec g;
    const std::string d = get_or<std::string>(j, "distribution", "normal");
    if (!parse_distribution(d.c_str(), g.distribution)) throw std::invalid_argument("unknown distribution \"" + d + "\"");
    g.shape = get_or<std::vector<std::int64_t>>(j, "shape", g.shape);
    if (g.shape.empty() || g.shape.size() > 4) throw std::invalid_argument("shape must have 1 to 4 dimensions");
    for (auto v : g.shape)
        if (v <= 0 || v > (std::int64_t(1) << 32)) throw std::invalid_argument("shape dimensions must be positive");
    g.mean = get_or<double>(j, "mean", g.mean);
    g.std = get_or<double>(j, "std", g.std);
    g.dof = get_or<double>(j, "dof", g.dof);
    g.seed = get_or<std::uint64_t>(j, "seed", g.seed);
    g.outlier_fraction = get_or<double>(j, "outlier_fraction", g.outlier_fraction);
    g.outlier_magnitude = get_or<double>(j, "outlier_magnitude", g.outlier_magnitude);
    g.llm_channels = get_or<int>(j, "llm_channels", g.llm_channels);
    g.llm_scale_min = get_or<double>(j, "llm_scale_min", g.llm_scale_min);
    g.llm_scale_max = get_or<double>(j, "llm_scale_max", g.llm_scale_max);
    return g;
}

json to_json(const LayerSimOptions& o) {
    return json{{"enabled", o.enabled}, {"layers", o.layers}, {"width", o.width}, {"batch", o.batch},
                {"weight_std", o.weight_std}, {"activation", activation_name(o.activation)}, {"seed", o.seed}};
}

LayerSimOptions layer_sim_from_json(const json& j) {
    if (!j.is_object()) throw std::invalid_argument("layer simulation options must be a JSON object");
    LayerSimOptions o;
    o.enabled = get_or<bool>(j, "enabled", o.enabled);
    o.layers = get_or<int>(j, "layers", o.layers);
    o.width = get_or<int>(j, "width", o.width);
    o.batch = get_or<int>(j, "batch", o.batch);
    o.weight_std = get_or<double>(j, "weight_std", o.weight_std);
    o.seed = get_or<std::uint64_t>(j, "seed", o.seed);
    if (!parse_activation(get_or<std::string>(j, "activation", "none"), o.activation))
        throw std::invalid_argument("activation must be none, relu or gelu");
    if (o.layers < 1 || o.layers > 256) throw std::invalid_argument("layers must be 1..256");
    if (o.width < 1 || o.width > 16384) throw std::invalid_argument("width must be 1..16384");
    if (o.batch < 1 || o.batch > 65536) throw std::invalid_argument("batch must be 1..65536");
    return o;
}

json to_json(const TensorSummary& s) {
    return json{{"name", s.name}, {"shape", s.shape}, {"numel", s.numel}, {"min", s.min}, {"max", s.max},
                {"mean", s.mean}, {"std", s.std}, {"absmax", s.absmax}, {"nan_count", s.nan_count},
                {"inf_count", s.inf_count}};
}

json to_json(const ErrorMetrics& m) {
    return json{{"mse", m.mse}, {"rmse", m.rmse}, {"mae", m.mae}, {"max_abs_error", m.max_abs},
                {"snr_db", number_or_null(m.snr_db)}, {"sqnr_db", number_or_null(m.sqnr_db)}, {"cosine", m.cosine},
                {"clipped", m.clipped}, {"levels_used", m.levels_used}, {"count", m.count}, {"nonfinite", m.nonfinite},
                {"nonfinite_dq", m.nonfinite_dq}};
}

json to_json(const StorageSize& s) {
    return json{{"bits_per_weight", s.bits_per_weight}, {"bytes", s.bytes}, {"code_bytes", s.code_bytes},
                {"meta_bytes", s.meta_bytes}, {"padding", s.padding}, {"gb", static_cast<double>(s.bytes) / 1e9},
                {"gib", static_cast<double>(s.bytes) / 1073741824.0}};
}

json to_json(const Histogram& h) {
    return json{{"lo", h.lo}, {"hi", h.hi}, {"counts", h.counts}, {"total", h.total}};
}

json to_json(const AnalysisReport& r, bool full) {
    json j;
    j["tensor"] = to_json(r.tensor);
    j["backend"] = r.backend;
    j["compute_ms"] = r.compute_ms;
    j["cancelled"] = r.cancelled;
    j["warnings"] = r.warnings;
    json configs = json::array();
    for (const auto& c : r.configs) {
        json cj;
        cj["config"] = to_json(c.config);
        cj["name"] = c.config.display_name();
        if (!c.error.empty()) {
            cj["error"] = c.error;
            configs.push_back(cj);
            continue;
        }
        cj["metrics"] = to_json(c.metrics);
        cj["storage"] = to_json(c.storage);
        cj["forward"] = json{{"mean_abs", c.forward.mean_abs}, {"max_abs", c.forward.max_abs},
                             {"mean_rel_pct", c.forward.mean_rel_pct}};
        json layers = json::array();
        for (const auto& l : c.layers) layers.push_back(json{{"layer", l.layer}, {"mean_abs", l.mean_abs}, {"relative", l.relative}});
        cj["layers"] = layers;
        json snr = json::array();
        for (const auto& p : c.snr_vs_bits)
            snr.push_back(json{{"bits", p.bits}, {"snr_db", number_or_null(p.snr_db)}, {"bits_per_weight", p.bits_per_weight}});
        cj["snr_vs_bits"] = snr;
        if (c.clip) cj["clip"] = json::array({c.clip->first, c.clip->second});
        if (full) {
            cj["dequantized_histogram"] = to_json(c.dequantized);
            cj["error_histogram"] = to_json(c.errors);
            cj["levels"] = c.levels;
            cj["channel_mse"] = c.channel_mse;
            cj["sample_dequantized"] = c.sample_dequantized;
            cj["sample_levels"] = c.sample_levels;
            cj["sample_level_of"] = c.sample_level_of;
        }
        configs.push_back(cj);
    }
    j["configs"] = configs;
    json mem = json::array();
    for (const auto& m : r.memory)
        mem.push_back(json{{"label", m.label}, {"bits_per_weight", m.bits_per_weight}, {"bytes", m.bytes}, {"gb", m.gb}, {"gib", m.gib}});
    j["memory"] = mem;
    if (full) {
        j["original_histogram"] = to_json(r.original);
        j["sample_row"] = r.sample_row;
        j["sample_original"] = r.sample_original;
    }
    return j;
}

} // namespace ql
