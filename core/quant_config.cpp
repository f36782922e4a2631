// Names, parsing and validation of QuantConfig.
#include "core/quant_config.h"

#include "core/format_quantizers.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

namespace ql {
namespace {

std::string lower(std::string_view s) {
    std::string r(s);
    for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

constexpr std::array<std::pair<Format, std::string_view>, 20> kFormatNames{{
    {Format::Int, "int"},          {Format::NF4, "nf4"},        {Format::NF4_DQ, "nf4_dq"},
    {Format::FP8_E4M3, "fp8_e4m3"}, {Format::FP8_E5M2, "fp8_e5m2"}, {Format::FP4_E2M1, "fp4_e2m1"},
    {Format::MXFP4, "mxfp4"},      {Format::NVFP4, "nvfp4"},    {Format::Q8_0, "q8_0"},
    {Format::Q4_0, "q4_0"},        {Format::Q4_1, "q4_1"},      {Format::Q5_0, "q5_0"},
    {Format::Q2_K, "q2_k"},        {Format::Q3_K, "q3_k"},      {Format::Q4_K, "q4_k"},
    {Format::Q5_K, "q5_k"},        {Format::Q6_K, "q6_k"},
    {Format::IQ4_NL, "iq4_nl"},    {Format::IQ4_XS, "iq4_xs"},
    {Format::HQQ, "hqq"},
}};

} // namespace

std::string_view format_name(Format f) {
    for (auto& [k, n] : kFormatNames)
        if (k == f) return n;
    return "unknown";
}

std::optional<Format> parse_format(std::string_view s) {
    std::string l = lower(s);
    for (auto& [k, n] : kFormatNames)
        if (n == l) return k;
    return std::nullopt;
}

std::vector<Format> all_formats() {
    std::vector<Format> v;
    for (auto& kn : kFormatNames) v.push_back(kn.first);
    return v;
}

std::string_view scheme_name(Scheme s) { return s == Scheme::Symmetric ? "sym" : "asym"; }
std::optional<Scheme> parse_scheme(std::string_view s) {
    std::string l = lower(s);
    if (l == "sym" || l == "symmetric") return Scheme::Symmetric;
    if (l == "asym" || l == "asymmetric") return Scheme::Asymmetric;
    return std::nullopt;
}

std::string_view granularity_name(Granularity g) {
    switch (g) {
    case Granularity::PerTensor: return "tensor";
    case Granularity::PerChannel: return "channel";
    case Granularity::PerGroup: return "group";
    }
    return "tensor";
}
std::optional<Granularity> parse_granularity(std::string_view s) {
    std::string l = lower(s);
    if (l == "tensor" || l == "per-tensor") return Granularity::PerTensor;
    if (l == "channel" || l == "per-channel") return Granularity::PerChannel;
    if (l == "group" || l == "per-group") return Granularity::PerGroup;
    return std::nullopt;
}

std::string_view range_method_name(RangeMethod r) {
    switch (r) {
    case RangeMethod::MinMax: return "minmax";
    case RangeMethod::Percentile: return "percentile";
    case RangeMethod::MseOptimal: return "mse";
    case RangeMethod::KlDivergence: return "kl";
    }
    return "minmax";
}
std::optional<RangeMethod> parse_range_method(std::string_view s) {
    std::string l = lower(s);
    if (l == "minmax" || l == "min-max") return RangeMethod::MinMax;
    if (l == "percentile") return RangeMethod::Percentile;
    if (l == "mse") return RangeMethod::MseOptimal;
    if (l == "kl" || l == "entropy") return RangeMethod::KlDivergence;
    return std::nullopt;
}

std::string QuantConfig::describe() const {
    if (format == Format::HQQ) return "HQQ INT" + std::to_string(bits) + " g" + std::to_string(block_size > 0 ? block_size : 64);
    if (format != Format::Int) {
        std::string s(format_name(format));
        for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (block_size > 0) s += " block " + std::to_string(block_size);
        return s;
    }
    std::string s = "INT" + std::to_string(bits) + " " + std::string(scheme_name(scheme)) + " ";
    switch (granularity) {
    case Granularity::PerTensor: s += "per-tensor"; break;
    case Granularity::PerChannel: s += "per-channel"; if (axis != 0) s += " axis " + std::to_string(axis); break;
    case Granularity::PerGroup: s += "g" + std::to_string(group_size); break;
    }
    // the range method as a reader of a legend or table wants it: which percentile, or what chose the clip
    switch (range) {
    case RangeMethod::MinMax: break;
    case RangeMethod::Percentile: {
        char p[32];
        std::snprintf(p, sizeof p, " p%g", percentile);
        s += p;
        break;
    }
    case RangeMethod::MseOptimal: s += " MSE-clip"; break;
    case RangeMethod::KlDivergence: s += " KL-clip"; break;
    }
    return s;
}

std::string validate(const QuantConfig& c, const std::vector<std::int64_t>& shape) {
    if (c.format == Format::Int) {
        if (c.bits < 2 || c.bits > 8) return "bits must be 2..8, got " + std::to_string(c.bits);
        if (c.granularity == Granularity::PerChannel) {
            int rank = static_cast<int>(shape.size());
            if (c.axis < 0 || c.axis >= std::max(rank, 1))
                return "axis " + std::to_string(c.axis) + " out of range for a " + std::to_string(rank) + "-D tensor";
        }
        if (c.granularity == Granularity::PerGroup && c.group_size < 1)
            return "group size must be at least 1, got " + std::to_string(c.group_size);
        if (c.range != RangeMethod::MinMax && c.granularity != Granularity::PerTensor)
            return "range method " + std::string(range_method_name(c.range)) + " applies to per-tensor INT only";
    }
    if (c.block_size < 0) return "block size must not be negative, got " + std::to_string(c.block_size);
    if (std::string why = validate_format(c, shape); !why.empty()) return why;
    if (c.range == RangeMethod::Percentile && !(c.percentile > 0.0 && c.percentile <= 100.0))
        return "percentile must be in (0, 100], got " + std::to_string(c.percentile);
    return {};
}

} // namespace ql
