// Uniform integer quantization (Format::Int): bits 2..8, symmetric or asymmetric, per tensor, per
// channel on any axis, or per group along the last axis; PyTorch's fake-quantization arithmetic
// (core/int_quant_math.h).
//
// Storage (true size): every code takes `bits` bits; every slice (tensor / channel / group) adds its
// scale (32 bits fp32 or 16 bits fp16) and, when asymmetric, a zero point packed at `bits` bits, as
// GPTQ/AWQ checkpoints pack qzeros. INT4 symmetric with an fp16 scale per group of 128 = 4 + 16/128 =
// 4.125 bits per weight.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "core/int_quant_math.h"
#include "core/quantizer.h"

namespace ql {

// The scale storage a configuration actually uses (Auto resolved: fp16 per group, fp32 otherwise).
ScaleType resolved_scale_type(const QuantConfig& c);

// How flat element indices map to slices for a granularity and shape.
struct SliceLayout {
    Granularity granularity = Granularity::PerTensor;
    std::int64_t numel = 0;
    std::int64_t slices = 1;      // number of (scale, zero point) pairs
    // PerChannel: channel of flat index i = (i / inner) % channels
    std::int64_t inner = 1, channels = 1;
    // PerGroup: row = i / cols, group = (i % cols) / group_size; slice = row * groups_per_row + group
    std::int64_t cols = 1, group_size = 1, groups_per_row = 1;

    static SliceLayout make(const QuantConfig& c, const std::vector<std::int64_t>& shape);
    std::int64_t slice_of(std::int64_t i) const;
    // Number of consecutive flat indices from i (inclusive) that share i's slice.
    std::int64_t run_length(std::int64_t i) const;
};

// Scalar reference (DESIGN rule 4): the plain loops every optimised path is compared with, bit for bit.
// Returns the dequantized values; codes/params when non-null.
std::vector<float> quantize_int_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                    QuantParams* params);

// Slice parameters from the finite range [lo, hi] of the slice, honouring the scale storage type.
IntParams int_slice_params(float lo, float hi, int bits, bool symmetric, ScaleType scale_type);

// Min and max of each slice's finite values (+inf / -inf where a slice has none). They depend on the
// tensor and its slicing alone, not on bits or scheme, so the analysis keeps them while a bit-width
// slider moves (and the SNR sweep prepares 7 bit widths from one scan).
struct SliceRanges {
    std::vector<float> lo, hi;
    bool all_finite = false;  // the scan saw only finite values (set by the scans that check: Q4_0, Q4_1, Q5_0's)
};

class IntQuantizer final : public Quantizer {
public:
    explicit IntQuantizer(QuantConfig c);
    bool prepare(const Tensor& t, const ProgressFn& progress = {}) override;
    std::int64_t granule() const override { return 1; }
    void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes,
             std::uint64_t* clipped = nullptr) const override;
    StorageSize storage() const override;
    StorageSize storage_for(const std::vector<std::int64_t>& shape) const override;
    std::vector<float> levels_at(std::int64_t i) const override;
    int code_count() const override { return range_.qmax - range_.qmin + 1; }
    std::pair<int, int> code_range() const override { return {range_.qmin, range_.qmax}; }
    QuantParams params() const override;
    std::optional<std::pair<float, float>> clip_range() const override { return clip_; }
    std::optional<OutputBounds> output_bounds() const override;

    const SliceLayout& layout() const { return layout_; }
    const std::vector<IntParams>& slice_params() const { return params_; }
    // Sets the per-tensor clip range used instead of min-max (range-setting methods); before prepare().
    void set_clip_range(float lo, float hi) { clip_ = std::make_pair(lo, hi); }
    // Per-channel and per-group: the slice ranges of this tensor from an earlier scan, used by prepare()
    // instead of scanning when they have one entry per slice; before prepare(), for its next call only.
    void set_slice_ranges(std::shared_ptr<const SliceRanges> r) {
        ranges_ = std::move(r);
        ranges_given_ = true;
    }
    // After prepare(), per-channel and per-group: the ranges it used (null per tensor).
    std::shared_ptr<const SliceRanges> slice_ranges() const { return ranges_; }

private:
    const Tensor* tensor_ = nullptr;
    SliceLayout layout_;
    IntRange range_{};
    std::vector<IntParams> params_;
    std::vector<float> vec_scale_, vec_inv_, vec_zp_;  // per-channel on the last axis: per-element arrays
    std::optional<std::pair<float, float>> clip_;
    std::shared_ptr<const SliceRanges> ranges_;
    bool ranges_given_ = false;
};

} // namespace ql
