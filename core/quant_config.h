// QuantConfig: one quantization setting a learner compares (format, bits, scheme, granularity ...).
// The same struct drives the GUI's configuration list, the CLI flags and session files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ql {

// Every format QuantLens knows. CLI names in format_name(); "int" is the integer path (bits 2..8).
enum class Format {
    Int,        // uniform integer, bits 2..8, sym/asym, tensor/channel/group (PyTorch fake-quant rules)
    NF4,        // bitsandbytes NormalFloat4, absmax per block of the flattened tensor (fp32 absmax)
    NF4_DQ,     // NF4 with double quantization of the absmax values
    FP8_E4M3,   // OCP FP8 E4M3 (bias 7, no inf, max 448), scale = amax / 448
    FP8_E5M2,   // OCP FP8 E5M2 (bias 15, IEEE inf/NaN, max 57344)
    FP4_E2M1,   // FP4 E2M1 with an fp32 scale per tensor or per block
    MXFP4,      // OCP MX v1.0: E2M1 values, E8M0 shared scale per 32
    NVFP4,      // NVIDIA: E2M1 values, E4M3 scale per 16, fp32 tensor scale
    Q8_0, Q4_0, Q4_1, Q5_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, // ggml blocks, as ggml's quantize_row_*_ref
    HQQ,        // half-quadratic quantization: INT codes per group, zero point optimised (core/hqq.h)
};

enum class Scheme { Symmetric, Asymmetric };
enum class Granularity { PerTensor, PerChannel, PerGroup };

// How the integer range [lo, hi] is chosen before quantizing (issue: range setting / clipping).
enum class RangeMethod { MinMax, Percentile, MseOptimal, KlDivergence };

// Storage type of a scale: fp32 (PyTorch's observers) or fp16 (GPTQ/AWQ checkpoints, ggml). A scale
// stored as fp16 is rounded to fp16 before it is used, so the result is what the stored model gives.
// Auto: fp32 per tensor and per channel (PyTorch), fp16 per group (GPTQ/AWQ: INT4 g128 = 4.125 bits).
enum class ScaleType { Auto, F32, F16 };

struct QuantConfig {
    std::string label;              // legend text; empty = describe() is used
    Format format = Format::Int;
    int bits = 8;                   // Int and HQQ: 2..8
    Scheme scheme = Scheme::Asymmetric;
    Granularity granularity = Granularity::PerTensor;
    int axis = 0;                   // PerChannel: the channel axis (0 = output channels / rows)
    int group_size = 128;           // PerGroup: values per group along the last axis (last may be shorter)
    int block_size = 0;             // block formats (NF4, FP4, HQQ's group): values per block; 0 = the format's default
    ScaleType scale_type = ScaleType::Auto; // how scales are stored (and rounded before use)
    RangeMethod range = RangeMethod::MinMax;
    double percentile = 99.9;       // RangeMethod::Percentile, in percent of |x|
    std::uint32_t color = 0;        // 0xRRGGBB for charts; 0 = palette default

    std::string describe() const;   // "INT4 asym per-group 128", "NF4 block 64", "Q4_K"
    std::string display_name() const { return label.empty() ? describe() : label; }
    bool operator==(const QuantConfig&) const = default;
};

std::string_view format_name(Format f);                 // CLI name: "int", "nf4", "q4_k", ...
std::optional<Format> parse_format(std::string_view s); // inverse of format_name (case-insensitive)
std::vector<Format> all_formats();                      // every Format, in enum order
std::string_view scheme_name(Scheme s);                 // "sym" / "asym"
std::optional<Scheme> parse_scheme(std::string_view s);
std::string_view granularity_name(Granularity g);       // "tensor" / "channel" / "group"
std::optional<Granularity> parse_granularity(std::string_view s);
std::string_view range_method_name(RangeMethod r);      // "minmax" / "percentile" / "mse" / "kl"
std::optional<RangeMethod> parse_range_method(std::string_view s);

// Checks a configuration against a tensor shape; returns "" when valid, else the rule broken
// ("bits must be 2..8, got 9", "axis 2 out of range for a 2-D tensor").
std::string validate(const QuantConfig& c, const std::vector<std::int64_t>& shape);

} // namespace ql
