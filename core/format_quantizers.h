// Quantizers for every format other than Int (core/quantizer.h contract): FP8 E4M3/E5M2, FP4 E2M1, MXFP4,
// NVFP4, NF4 (with and without double quantization) and the ggml block formats Q8_0, Q4_0, Q4_1, Q5_0,
// Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS. Each gives, value for value, what its scalar reference (fp8.h, fp4.h, nf4.h,
// ggml_quants.h + ggml_blocks.h) gives; prepare() computes the scales (and packs the ggml blocks) once,
// run() dequantizes any range in parallel-safe chunks.
//
// Codes reported per element: FP8 the 8-bit pattern (as int8), FP4/MXFP4/NVFP4 the 4-bit E2M1 code
// (sign in bit 3), NF4 the code 0..15, ggml formats the stored quant (Q8_0 -128..127, Q4_0/Q4_1/IQ4_NL/
// IQ4_XS 0..15, Q5_0 0..31, Q2_K 0..3, Q3_K 0..7, Q4_K 0..15, Q5_K 0..31, Q6_K 0..63).
//
// "Clipped" (ErrorMetrics::clipped) for these formats: a finite value beyond the reach of its slice's
// or block's grid, i.e. below the lowest level minus half the lowest gap or above the highest level plus
// half the highest gap (FP8/FP4: the rounding saturated; MXFP4: values in (7X, 8X); Q4_0: x > 7.5 |d|).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/large_buffer.h"
#include "core/int_quantizer.h"
#include "core/quantizer.h"

namespace ql {

// Checks a non-Int configuration against a tensor shape: "" when valid, else the rule broken.
std::string validate_format(const QuantConfig& c, const std::vector<std::int64_t>& shape);

// The quantizer for a non-Int format (throws std::invalid_argument for Int or an invalid configuration).
std::unique_ptr<Quantizer> make_format_quantizer(const QuantConfig& c);

// Default block / group size of a format (0 when it has none), as shown to users.
int default_block_size(Format f);

// "Compare all formats": one configuration per format at its common settings (block formats at their
// default block, FP8/FP4 E2M1 per tensor), in all_formats() order; `int_config` stands for Format::Int.
// `formats` empty = every format.
std::vector<QuantConfig> common_format_configs(const QuantConfig& int_config, const std::vector<Format>& formats = {});

// Scalar reference of any non-Int format: dequantized values, codes and parameters, by plain loops.
std::vector<float> quantize_format_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                       QuantParams* params);

// The packed ggml blocks of a prepared ggml-format quantizer, for a pass that decodes them itself (the
// CUDA analysis pass, with core/ggml_blocks.h's QL_HD decoders and block_codes). blocks == nullptr for
// any other quantizer and before prepare().
struct GgmlBlocksView {
    Format format = Format::Int;      // Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q6_K or IQ4_NL
    const void* blocks = nullptr;     // block_count packed blocks (ggml::Block* of the format), row-major
    std::int64_t block_count = 0;
    std::int64_t cols = 1;            // values per row (last axis); a row's last block may be partial
    std::int64_t blocks_per_row = 0;  // ceil(cols / values per block)
    std::uint64_t clipped = 0;        // finite values beyond their block's grid, whole tensor
};
GgmlBlocksView ggml_blocks_view(const Quantizer& q);

// NF4 and NF4+DQ: the absmax of every block (flat blocks of the configuration's block size, the last one
// may be shorter; finite values only, 0 for a block without any). It depends on the tensor and the block
// size alone, so the analysis keeps it per tensor and block size, and a later quantizer of the same tensor
// skips the read: NF4+DQ's prepare() and NF4's params().
// set_nf4_block_absmax: the absmax of this tensor from an earlier quantizer, before prepare(), for its next
// call only (used when it has one entry per block); false, and nothing done, when q is not an NF4 quantizer.
bool set_nf4_block_absmax(Quantizer& q, std::shared_ptr<const LargeVector<float>> absmax);
// After prepare(): the absmax prepare() has (NF4+DQ always, NF4 when it was given them), else null.
std::shared_ptr<const LargeVector<float>> nf4_block_absmax(const Quantizer& q);

// Q4_0, Q4_1 and Q5_0 with the tensor's range given (set_tensor_range) and whole blocks in every row work
// out their bounds from each 32-value block's min and max (ggml::small_block_bounds) and then quantize in
// run(), as Q8_0 does, instead of quantizing every block in prepare(). Those ranges are the tensor's
// per-group-32 slice ranges (SliceRanges, all_finite), so the analysis keeps them with the Int
// quantizers' and a later quantizer of the same tensor skips the read.
// set_ggml_block_ranges: the ranges from an earlier scan of this tensor, before prepare(), for its next
// call only (used when they have one entry per block and all_finite); false, and nothing done, for other
// quantizers.
bool set_ggml_block_ranges(Quantizer& q, std::shared_ptr<const SliceRanges> ranges);
// After prepare(): the ranges it used (null when it quantized every block instead).
std::shared_ptr<const SliceRanges> ggml_block_ranges(const Quantizer& q);

} // namespace ql
