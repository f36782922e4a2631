// quantlens survey: a whole model quantized with one or more configurations — total parameters, memory
// per format, and the SQNR of every weight tensor (which layers suffer most), through core's
// survey_model() (one analyze() per tensor, one tensor in memory at a time).
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/model_file.h"
#include "core/model_survey.h"

namespace ql::cli {

namespace {

// "int8:sym:channel,int4:group:128,nf4,q4_k,hqq3:b128": per item a format ("intN" for the integer path,
// "hqqN" for HQQ at N bits, "hqq" at 4) then options in any order: sym|asym, tensor|channel|group, a
// number (group size, implies group), bN (block size; HQQ's group), f16|f32 (scale storage).
std::vector<QuantConfig> parse_configs(const std::string& text) {
    std::vector<QuantConfig> out;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        if (item.empty()) throw UsageError("empty configuration in --configs '" + text + "'");
        std::stringstream parts(item);
        std::string tok;
        std::getline(parts, tok, ':');
        QuantConfig c;
        if (tok.size() == 4 && tok.rfind("int", 0) == 0 && tok[3] >= '2' && tok[3] <= '8') {
            c.format = Format::Int;
            c.bits = tok[3] - '0';
        } else if (tok.size() == 4 && tok.rfind("hqq", 0) == 0 && tok[3] >= '2' && tok[3] <= '8') {
            c.format = Format::HQQ;
            c.bits = tok[3] - '0';
        } else if (auto f = parse_format(tok)) {
            c.format = *f;
            if (c.format == Format::HQQ) c.bits = 4;  // its common setting
        } else {
            throw UsageError("unknown format '" + tok + "' in --configs (int2..int8, nf4, fp8_e4m3, q4_k, ...)");
        }
        while (std::getline(parts, tok, ':')) {
            if (auto s = parse_scheme(tok)) c.scheme = *s;
            else if (auto g = parse_granularity(tok)) c.granularity = *g;
            else if (tok == "f16") c.scale_type = ScaleType::F16;
            else if (tok == "f32") c.scale_type = ScaleType::F32;
            else if (tok.size() > 1 && tok[0] == 'b') c.block_size = static_cast<int>(parse_int("--configs block size", tok.substr(1)));
            else if (!tok.empty() && std::isdigit(static_cast<unsigned char>(tok[0]))) {
                c.group_size = static_cast<int>(parse_int("--configs group size", tok));
                c.granularity = Granularity::PerGroup;
            } else {
                throw UsageError("unknown option '" + tok + "' in --configs item '" + item + "'");
            }
        }
        out.push_back(c);
    }
    return out;
}

std::string fmt(double v, const char* f = "%.2f") {
    if (std::isnan(v)) return "-";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char b[32];
    std::snprintf(b, sizeof b, f, v);
    return b;
}

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

} // namespace

int cmd_survey(const std::vector<std::string>& argv) {
    Args a(argv, merge({config_options(), {"configs"}}), {"help", "json"});
    if (a.flag("help")) {
        std::printf("usage: quantlens survey FILE [--configs LIST | config options] [--json]\n\n"
                    "Quantizes every weight tensor (rank >= 2, floating point or block-quantized) of a model with each\n"
                    "configuration and reports its SQNR (10 log10(var / MSE), dB) and SNR, the parameter-weighted mean\n"
                    "and the worst tensor per configuration, and the model's memory per format (GB = 10^9 bytes,\n"
                    "GiB = 2^30 bytes; for a configuration: weight tensors at its bits per weight, others at FP16).\n\n"
                    "  --configs LIST       comma-separated: int8:sym:channel,int4:asym:group:128,nf4,q4_k,hqq3:b128,...\n"
                    "                       [int8:sym:channel,int4:asym:group:128]\n"
                    "or one configuration with the options of quantlens stats:\n%s",
                    kConfigHelp);
        return 0;
    }
    if (a.positional().size() != 1) throw UsageError("give exactly one FILE");
    std::vector<QuantConfig> configs;
    bool single = false;
    for (const auto& o : config_options()) single = single || a.has(o);
    if (a.has("configs")) {
        if (single) throw UsageError("give either --configs or single-configuration options, not both");
        configs = parse_configs(*a.get("configs"));
    } else if (single) {
        configs.push_back(config_from_args(a));
    } else {
        configs = parse_configs("int8:sym:channel,int4:asym:group:128");
    }
    auto opened = open_model_file(a.positional()[0]);
    if (!opened) throw std::runtime_error(opened.error().message());
    const ModelSurvey s = survey_model(*opened.value(), configs);

    if (a.flag("json")) {
        nlohmann::json j;
        j["file"] = s.file;
        j["format"] = s.format;
        j["total_params"] = s.total_params;
        j["stored_bytes"] = s.stored_bytes;
        j["weight_params"] = s.weight_params;
        j["weight_tensors"] = s.tensors.size();
        j["configs"] = nlohmann::json::array();
        for (std::size_t c = 0; c < s.configs.size(); ++c) {
            const auto& sm = s.summary[c];
            j["configs"].push_back({{"name", s.configs[c].display_name()}, {"bits_per_weight", number(sm.bits_per_weight)},
                                    {"mean_sqnr_db", number(sm.mean_sqnr_db)}, {"min_sqnr_db", number(sm.min_sqnr_db)},
                                    {"worst_tensor", sm.worst_tensor}, {"tensors", sm.tensors},
                                    {"padding_fraction", sm.padding_fraction}, {"padded_tensors", sm.padded_tensors}});
        }
        j["memory"] = nlohmann::json::array();
        for (const auto& m : s.memory)
            j["memory"].push_back({{"label", m.label}, {"bits_per_weight", m.bits_per_weight}, {"bytes", m.bytes}, {"gb", m.gb}, {"gib", m.gib},
                                   {"config_index", m.config_index}});
        j["tensors"] = nlohmann::json::array();
        for (const auto& t : s.tensors) {
            nlohmann::json tj{{"name", t.name}, {"shape", t.shape}, {"dtype", std::string(dtype_name(t.dtype))}, {"params", t.params}};
            nlohmann::json sq = nlohmann::json::array(), sn = nlohmann::json::array(), bits = nlohmann::json::array();
            for (std::size_t c = 0; c < s.configs.size(); ++c) {
                sq.push_back(number(t.sqnr_db[c]));
                sn.push_back(number(t.snr_db[c]));
                bits.push_back(number(t.bits_per_weight[c]));
            }
            tj["sqnr_db"] = sq;
            tj["snr_db"] = sn;
            tj["bits_per_weight"] = bits;
            bool any_error = false;
            for (const auto& e : t.errors) any_error = any_error || !e.empty();
            if (any_error) tj["errors"] = t.errors;
            if (!t.load_error.empty()) tj["load_error"] = t.load_error;
            j["tensors"].push_back(tj);
        }
        std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    std::printf("file:    %s (%s)\n", s.file.c_str(), s.format.c_str());
    std::printf("params:  %lld total, %lld in %zu weight tensors\n\n", static_cast<long long>(s.total_params),
                static_cast<long long>(s.weight_params), s.tensors.size());
    std::printf("memory:\n");
    for (const auto& m : s.memory)
        std::printf("  %-34s %7.3f bits/weight %12.4f GB %12.4f GiB\n", m.label.c_str(), m.bits_per_weight, m.gb, m.gib);
    std::printf("\nSQNR per weight tensor (dB):\n  %-50s", "tensor");
    for (const auto& c : s.configs) std::printf(" %24s", c.display_name().c_str());
    std::printf("\n");
    for (const auto& t : s.tensors) {
        std::printf("  %-50s", t.name.c_str());
        for (std::size_t c = 0; c < s.configs.size(); ++c) std::printf(" %24s", t.load_error.empty() ? fmt(t.sqnr_db[c]).c_str() : "unreadable");
        std::printf("\n");
    }
    std::printf("\nsummary:\n");
    for (std::size_t c = 0; c < s.configs.size(); ++c) {
        const auto& sm = s.summary[c];
        std::printf("  %-30s mean %s dB (parameter-weighted), worst %s dB in %s, %s bits/weight\n", s.configs[c].display_name().c_str(),
                    fmt(sm.mean_sqnr_db).c_str(), fmt(sm.min_sqnr_db).c_str(), sm.worst_tensor.empty() ? "-" : sm.worst_tensor.c_str(),
                    fmt(sm.bits_per_weight, "%.3f").c_str());
        if (sm.padding_fraction >= kPaddingWorthSaying)
            std::printf("  %-30s (its blocks run along each row: %d tensors' rows are not whole blocks, so %.0f%% of the codes stored\n"
                        "  %-30s  are padding, counted in its bits/weight)\n",
                        "", sm.padded_tensors, 100.0 * sm.padding_fraction, "");
    }
    return 0;
}

} // namespace ql::cli
