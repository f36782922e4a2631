// Quantizer: one configured format applied to one tensor, in two steps.
//   prepare(t): everything that needs the whole tensor or a whole slice/block (ranges, scales, zero
//               points, the packed blocks of ggml formats). May read the tensor once.
//   run(b, e):  the dequantized values (and codes) of flat elements [b, e), thread-safe, so the
//               analysis runs one fused pass over chunks without materialising a second tensor.
// Each format has a scalar reference (quantize_ref in its own module) that tests compare with.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/progress.h"
#include "core/quant_config.h"
#include "core/tensor.h"

namespace ql {

// True storage of a quantized tensor: element codes plus every scale and zero point.
struct StorageSize {
    double bits_per_weight = 0;   // total bits / number of weights (e.g. INT4 + fp16 scale per 128 = 4.125)
    std::uint64_t bytes = 0;      // total bytes, rounded up to whole bytes
    std::uint64_t code_bytes = 0; // bytes of the element codes alone
    std::uint64_t meta_bytes = 0; // bytes of scales, zero points, block headers
    // code slots that hold no weight: formats whose blocks run along each row (the last axis) store a
    // row's last block whole, so rows that are not whole blocks pad it (counted in code_bytes and bits)
    std::uint64_t padding = 0;
};

// A padding fraction (of the code slots stored) from which the analysis, the survey and their readers say
// it: there the bits per weight are no longer the format's own.
inline constexpr double kPaddingWorthSaying = 0.01;

// The format's bits per weight on rows of whole blocks, from the storage of n weights whose rows pad
// their last block: the padded blocks hold n + padding code slots at the same bits each. What a model
// of whole-block rows (every preset: rows of 4096, 11008 ... values) pays, where this tensor's padding
// would not carry over.
inline double whole_block_bits(const StorageSize& s, std::int64_t n) {
    if (s.padding == 0 || n <= 0) return s.bits_per_weight;
    return s.bits_per_weight * static_cast<double>(n) / (static_cast<double>(n) + static_cast<double>(s.padding));
}

// The fraction of the code slots stored for n weights that is padding when it reaches kPaddingWorthSaying,
// else 0 (what the reports say; the survey weighs whole models itself).
inline double padding_worth_saying(const StorageSize& s, std::int64_t n) {
    if (s.padding == 0 || n <= 0) return 0.0;
    const double f = static_cast<double>(s.padding) / (static_cast<double>(n) + static_cast<double>(s.padding));
    return f >= kPaddingWorthSaying ? f : 0.0;
}

// The storage of n weights taking code_bits for their codes and meta_bits for scales, zero points and
// block headers (bytes rounded up to whole bytes).
StorageSize storage_of(std::uint64_t n, std::uint64_t code_bits, std::uint64_t meta_bits);

// Bounds a quantizer can promise before its pass runs, so the analysis can fix histogram ranges first
// and build every histogram in the same single pass (the analysis checks them and re-bins if broken).
struct OutputBounds {
    float dq_lo = 0, dq_hi = 0; // every dequantized value lies in [dq_lo, dq_hi]
    float err_abs = 0;          // |dq - x| <= err_abs for every finite value that was not clipped
};

// Per-slice parameters (Int: one per tensor / channel / group in slice order; block formats: one per block).
struct QuantParams {
    std::vector<float> scales;
    std::vector<std::int32_t> zero_points; // empty when the format has none (symmetric, float formats)
    std::vector<float> zero_values;        // zero points that are not integers (HQQ), one per slice
};

// run()'s per-element rule over a range, where it is one that the analysis' fused statistics
// (core/format_pass.h) can work out itself from the values: one parameter set per 1 << shift consecutive
// values from the range's start, parameter j of block k at params[j * stride + k]. E2M1: y = e2m1(x / s) * s
// with s = parameter 0 (NVFP4); E2M1Pow2: the same with every s a power of two and parameter 1 its exact
// inverse, x * (1 / s) being x / s (MXFP4); Q8_0, Q4_0, Q4_1, Q5_0: ggml's rule with the parameters of
// ggml::small_block_params (core/ggml_quants.h).
struct BlockRule {
    enum class Kind { None, E2M1, E2M1Pow2, Q8_0, Q4_0, Q4_1, Q5_0 } kind = Kind::None;
    int shift = 0;
};

class Quantizer {
public:
    explicit Quantizer(QuantConfig c) : config_(std::move(c)) {}
    virtual ~Quantizer() = default;
    Quantizer(const Quantizer&) = delete;
    Quantizer& operator=(const Quantizer&) = delete;

    const QuantConfig& config() const { return config_; }

    // t must outlive the quantizer. Returns false when progress cancelled it.
    virtual bool prepare(const Tensor& t, const ProgressFn& progress = {}) = 0;
    // Chunks given to run() start on a multiple of granule() (flat elements) and end on one or at numel.
    virtual std::int64_t granule() const = 0;
    // Dequantized values of flat elements [begin, end) into dq[0, end-begin); codes (may be null) get each
    // element's stored code (Int: q; other formats: the code index or bit pattern as a signed byte).
    // clipped (may be null) is increased by the number of finite values that fell outside the
    // representable grid and were saturated (Int: rint(x / scale) + z outside [qmin, qmax]).
    virtual void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes,
                     std::uint64_t* clipped = nullptr) const = 0;
    virtual StorageSize storage() const = 0;
    // The storage of a tensor of `shape` in this configuration, from the shape alone (no prepare(), no
    // values): storage() of a prepared quantizer equals it for its tensor's shape.
    virtual StorageSize storage_for(const std::vector<std::int64_t>& shape) const = 0;
    // Representable dequantized values of the slice or block holding flat index i, ascending.
    virtual std::vector<float> levels_at(std::int64_t i) const = 0;
    // How many distinct codes an element can take (2^bits for Int, 16 for NF4, 256 for FP8 ...).
    virtual int code_count() const = 0;
    virtual QuantParams params() const = 0;
    // The codes run() can report for finite inputs: [first, second] (Int: [qmin, qmax]; NF4, FP4 [0, 15],
    // Q5_0 [0, 31] ...). The fused analysis counts codes by comparing with each when there are few.
    virtual std::pair<int, int> code_range() const { return {-128, 127}; }
    // The dequantized value of every code (index code + 128) when one scale serves the whole tensor, so
    // that a code's count is also its value's count; nullopt when scales differ by slice or block.
    virtual std::optional<std::vector<float>> code_values() const { return std::nullopt; }
    // run()'s rule over [begin, end) (a chunk as run() gets) with its parameters in params (6 rows of
    // stride >= (end - begin) / 16 + 1 values), where the format has one; Kind::None elsewhere.
    virtual BlockRule block_rule(std::int64_t /*begin*/, std::int64_t /*end*/, float* /*params*/, std::int64_t /*stride*/) const {
        return {};
    }
    // Bounds known after prepare(), when the format can state them (see OutputBounds).
    virtual std::optional<OutputBounds> output_bounds() const { return std::nullopt; }
    // A finite [min, max] of the whole tensor the caller already knows; formats that need it may use it
    // in prepare() instead of reading the tensor again. Call before prepare().
    void set_tensor_range(float lo, float hi) { known_range_ = std::make_pair(lo, hi); }

    // The clip range [lo, hi] a range-setting method chose (per tensor), when there is one.
    virtual std::optional<std::pair<float, float>> clip_range() const { return std::nullopt; }

protected:
    QuantConfig config_;
    std::optional<std::pair<float, float>> known_range_;
};

// The quantizer for a configuration. Throws std::invalid_argument with validate()'s message when the
// configuration is invalid for the format.
std::unique_ptr<Quantizer> make_quantizer(const QuantConfig& config);

// The storage of a tensor of `shape` quantized with `config`, worked out from the shape alone: what a
// model's matrices take (the GPU fit sizes a model preset on its hidden x hidden matrices, whose rows
// are whole blocks and whose per-row scales spread over `hidden` weights, not over this tensor's rows).
// Throws std::invalid_argument with validate()'s message when the configuration does not fit the shape.
StorageSize storage_for_shape(const QuantConfig& config, const std::vector<std::int64_t>& shape);

// Whole-tensor quantization (the quantize CLI, tests): codes, parameters and the dequantized tensor.
struct QuantizedTensor {
    QuantConfig config;
    std::vector<std::int8_t> codes; // one per element, row-major
    QuantParams params;
    Tensor dequantized;             // same shape and name as the input
    StorageSize storage;
};
QuantizedTensor quantize(const Tensor& t, const QuantConfig& config, const ProgressFn& progress = {});

} // namespace ql
