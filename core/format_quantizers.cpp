// The non-Int quantizers (see format_quantizers.h). Every per-element operation is the one the scalar
// reference uses (core/float_formats_math.h, core/ggml_blocks.h); only the loops are organised for
// speed (parallel prepare, per-slice runs, whole-block decoding).
#include "core/format_quantizers.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <mutex>
#include <stdexcept>

#include <omp.h>

#include "core/float_formats_math.h"
#include "core/format_kernels.h"
#include "core/fp4.h"
#include "core/fp8.h"
#include "core/ggml_blocks.h"
#include "core/ggml_quants.h"
#include "core/int_quantizer.h"
#include "core/hqq.h"
#include "core/large_buffer.h"
#include "core/nf4.h"
#include "core/simd_kernels.h"

namespace ql {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

bool is_ggml(Format f) {
    switch (f) {
    case Format::Q8_0: case Format::Q4_0: case Format::Q4_1: case Format::Q5_0: case Format::Q2_K: case Format::Q3_K:
    case Format::Q4_K: case Format::Q5_K: case Format::Q6_K: case Format::IQ4_NL: case Format::IQ4_XS:
        return true;
    default:
        return false;
    }
}

DType ggml_type(Format f) {
    switch (f) {
    case Format::Q8_0: return DType::GGML_Q8_0;
    case Format::Q4_0: return DType::GGML_Q4_0;
    case Format::Q4_1: return DType::GGML_Q4_1;
    case Format::Q5_0: return DType::GGML_Q5_0;
    case Format::Q2_K: return DType::GGML_Q2_K;
    case Format::Q3_K: return DType::GGML_Q3_K;
    case Format::Q4_K: return DType::GGML_Q4_K;
    case Format::Q5_K: return DType::GGML_Q5_K;
    case Format::Q6_K: return DType::GGML_Q6_K;
    case Format::IQ4_XS: return DType::GGML_IQ4_XS;
    case Format::IQ4_NL: return DType::GGML_IQ4_NL;
    default: throw std::invalid_argument("not a ggml format");
    }
}

std::int64_t last_dim(const std::vector<std::int64_t>& shape, std::int64_t numel) {
    return shape.empty() ? numel : shape.back();
}

// Largest finite |x| of x[0, n).
float finite_absmax(const float* x, std::int64_t n) { return simd::absmax_finite(x, n); }

std::vector<float> sorted_unique(std::vector<float> v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](float f) { return !std::isfinite(f); }), v.end());
    for (auto& f : v)
        if (f == 0.0f) f = 0.0f;  // -0 and +0 are one level
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

// Blocks of `block` values along each row (last axis); a row's last block may be shorter.
struct RowBlocks {
    std::int64_t numel = 0, cols = 1, rows = 0, block = 1, per_row = 0;
    static RowBlocks make(const std::vector<std::int64_t>& shape, std::int64_t numel, std::int64_t block) {
        RowBlocks r;
        r.numel = numel;
        r.block = block;
        r.cols = std::max<std::int64_t>(last_dim(shape, numel), 1);
        r.rows = numel == 0 ? 0 : numel / r.cols;
        r.per_row = (r.cols + block - 1) / block;
        return r;
    }
    std::int64_t count() const { return rows * per_row; }
    std::int64_t block_of(std::int64_t i) const { return (i / cols) * per_row + (i % cols) / block; }
    std::int64_t start(std::int64_t b) const { return (b / per_row) * cols + (b % per_row) * block; }
    std::int64_t length(std::int64_t b) const { return std::min(block, cols - (b % per_row) * block); }
    // flat elements from i to the end of i's block
    std::int64_t run_length(std::int64_t i) const {
        const std::int64_t c = i % cols;
        return std::min(block - c % block, cols - c);
    }
    std::int64_t granule() const { return cols % block == 0 || rows <= 1 ? block : 1; }
};

// ============================================================================================ minifloat
// FP8 E4M3 / E5M2 and FP4 E2M1 with one fp32 scale per tensor / channel / group.
class MinifloatQuantizer final : public Quantizer {
public:
    explicit MinifloatQuantizer(QuantConfig c)
        : Quantizer(std::move(c)), fmt_(config_.format == Format::FP4_E2M1 ? kE2M1 : fp8_format(config_.format)),
          slices_cfg_(fp4_e2m1_slices(config_)) {}
    bool prepare(const Tensor& t, const ProgressFn& progress) override {
        tensor_ = &t;
        layout_ = SliceLayout::make(slices_cfg_, t.shape);
        const SliceLayout& L = layout_;
        const float* x = t.data();
        std::vector<float> amax(static_cast<std::size_t>(L.slices), 0.0f);
        if (L.granularity == Granularity::PerTensor) {
            if (known_range_) {
                amax[0] = std::max(std::fabs(known_range_->first), std::fabs(known_range_->second));
            } else {
                const std::int64_t chunk = 1 << 16, nch = (L.numel + chunk - 1) / chunk;
                float a = 0.0f;
#pragma omp parallel for reduction(max : a) schedule(static)
                for (std::int64_t c = 0; c < nch; ++c) a = std::max(a, finite_absmax(x + c * chunk, std::min(chunk, L.numel - c * chunk)));
                amax[0] = a;
            }
        } else if (L.granularity == Granularity::PerGroup) {
            const std::int64_t rows = L.cols == 0 ? 0 : L.numel / L.cols;
#pragma omp parallel for schedule(static)
            for (std::int64_t r = 0; r < rows; ++r)
                for (std::int64_t g = 0; g < L.groups_per_row; ++g)
                    amax[static_cast<std::size_t>(r * L.groups_per_row + g)] =
                        finite_absmax(x + r * L.cols + g * L.group_size, std::min(L.group_size, L.cols - g * L.group_size));
        } else {
            // per channel: segments of `inner` values belong to channel seg % channels
            const std::int64_t segs = L.inner == 0 ? 0 : L.numel / L.inner;
            const int nt = omp_get_max_threads();
            std::vector<std::vector<float>> part(static_cast<std::size_t>(nt), std::vector<float>(amax.size(), 0.0f));
#pragma omp parallel
            {
                auto& a = part[static_cast<std::size_t>(omp_get_thread_num())];
#pragma omp for schedule(static)
                for (std::int64_t s = 0; s < segs; ++s) {
                    auto& v = a[static_cast<std::size_t>(s % L.channels)];
                    v = std::max(v, finite_absmax(x + s * L.inner, L.inner));
                }
            }
            for (const auto& a : part)
                for (std::size_t s = 0; s < amax.size(); ++s) amax[s] = std::max(amax[s], a[s]);
        }
        scale_.resize(amax.size());
        for (std::size_t s = 0; s < amax.size(); ++s) scale_[s] = minifloat_slice_scale(amax[s], fmt_);
        return report_progress(progress, 1, 1);
    }
    std::int64_t granule() const override { return 1; }
    void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes, std::uint64_t* clipped) const override {
        const float* x = tensor_->data();
        std::uint64_t clip = 0;
        std::int64_t i = begin;
        while (i < end) {
            const std::int64_t len = std::min(end - i, layout_.run_length(i));
            const float sc = scale_[static_cast<std::size_t>(layout_.slice_of(i))];
            clip += kernels::minifloat_fake_quant(x + i, len, sc, fmt_, dq + (i - begin), codes ? codes + (i - begin) : nullptr);
            i += len;
        }
        if (clipped) *clipped += clip;
    }
    StorageSize storage() const override { return sized(layout_); }
    StorageSize storage_for(const std::vector<std::int64_t>& shape) const override {
        return sized(SliceLayout::make(slices_cfg_, shape));
    }
    std::vector<float> levels_at(std::int64_t i) const override {
        if (scale_.empty() || layout_.numel == 0) return {};
        const float sc = scale_[static_cast<std::size_t>(layout_.slice_of(std::clamp<std::int64_t>(i, 0, layout_.numel - 1)))];
        std::vector<float> v;
        for (int c = 0; c < code_count(); ++c) v.push_back(minifloat_decode(static_cast<std::uint32_t>(c), fmt_) * sc);
        return sorted_unique(std::move(v));
    }
    int code_count() const override { return 1 << (1 + fmt_.ebits + fmt_.mbits); }
    std::pair<int, int> code_range() const override { return code_count() == 16 ? std::pair{0, 15} : std::pair{-128, 127}; }
    std::optional<std::vector<float>> code_values() const override {
        if (layout_.granularity != Granularity::PerTensor || scale_.size() != 1) return std::nullopt;
        // run() gives q * s for the rounded q, and q is exactly its code's value (NaN codes come only from NaN)
        std::vector<float> v(256, 0.0f);
        for (int c = 0; c < code_count(); ++c)
            v[static_cast<std::size_t>(static_cast<std::int8_t>(static_cast<std::uint8_t>(c)) + 128)] =
                minifloat_decode(static_cast<std::uint32_t>(c), fmt_) * scale_[0];
        return v;
    }
    QuantParams params() const override { return QuantParams{scale_, {}, {}}; }
    std::optional<OutputBounds> output_bounds() const override {
        if (scale_.empty()) return std::nullopt;
        const float smax = *std::max_element(scale_.begin(), scale_.end());
        // the widest gap of the grid is its top one: max - (largest value below max)
        const float below = minifloat_decode(static_cast<std::uint32_t>(minifloat_encode(fmt_.max, fmt_) - 1), fmt_);
        OutputBounds b;
        b.dq_hi = fmt_.max * smax;
        b.dq_lo = -b.dq_hi;
        b.err_abs = (fmt_.max - below) * 0.5f * smax * (1.0f + 0x1p-16f) + fmt_.max * smax * 0x1p-22f;
        return b;
    }

private:
    // 1 + ebits + mbits bits per code and an fp32 scale per slice
    StorageSize sized(const SliceLayout& L) const {
        const auto n = static_cast<std::uint64_t>(L.numel);
        return storage_of(n, n * static_cast<std::uint64_t>(1 + fmt_.ebits + fmt_.mbits), static_cast<std::uint64_t>(L.slices) * 32);
    }
    MiniFloat fmt_;
    QuantConfig slices_cfg_;
    const Tensor* tensor_ = nullptr;
    SliceLayout layout_;
    std::vector<float> scale_;
};

// ============================================================================================ MXFP4 / NVFP4
// A block's scale depends on its own values (and NVFP4's tensor scale s2 on the tensor's absmax), so
// prepare() reads nothing when the tensor's range is known: run() works out the scales of the blocks it
// quantizes while their values are in cache, levels_at() those of one block, and params() all of them
// (once, on first use). The output bounds follow from the tensor's absmax alone (see prepare()).
class BlockFp4Quantizer final : public Quantizer {
public:
    // e8m0_value(mx_shared_exponent(a)) for a finite a >= 0 from a's exponent bits E alone, in a form the
    // compiler vectorises: 2^(E - 129) for E >= 3, else 2^-127 (the exponent's floor).
    static float mx_block_scale(float a) {
        std::uint32_t b;
        std::memcpy(&b, &a, sizeof b);
        const std::uint32_t e = b >> 23;
        const std::uint32_t s = e >= 3 ? (e - 2) << 23 : 0x00400000u;
        float f;
        std::memcpy(&f, &s, sizeof f);
        return f;
    }
    explicit BlockFp4Quantizer(QuantConfig c) : Quantizer(std::move(c)) {}
    bool prepare(const Tensor& t, const ProgressFn& progress) override {
        tensor_ = &t;
        nv_ = config_.format == Format::NVFP4;
        blocks_ = RowBlocks::make(t.shape, t.numel(), nv_ ? kNvfp4Block : kMxfp4Block);
        const float* x = t.data();
        float amax = 0.0f;
        if (known_range_) {
            amax = std::max(std::fabs(known_range_->first), std::fabs(known_range_->second));
        } else {
            const std::int64_t n = t.numel(), chunk = 1 << 16, nch = (n + chunk - 1) / chunk;
#pragma omp parallel for reduction(max : amax) schedule(static)
            for (std::int64_t c = 0; c < nch; ++c) amax = std::max(amax, finite_absmax(x + c * chunk, std::min(chunk, n - c * chunk)));
        }
        s2_ = nv_ ? nvfp4_tensor_scale(amax) : 1.0f;
        all_ = std::make_unique<AllScales>();
        // A block's scale never falls as its absmax grows, so the largest is that of the tensor's absmax,
        // and so is the largest error bound max(s, a - 6 s) (half the top gap of E2M1, or the saturation
        // of the block's largest value): MXFP4: a block in a lower binade than the tensor's absmax (scale
        // 2^(e-2) for |a| in [2^e, 2^(e+1))) has a - 6 s < 2^(e-1), at most the top scale; NVFP4 rounds
        // a / (6 s2) to E4M3 (3 mantissa bits), so a - 6 s is at most about a / 16, far below the top
        // scale (448 s2, about the tensor's absmax / 6) while s2 is a normal float. With a subnormal s2
        // the bounds come from every block's scale.
        if (nv_ && !(s2_ >= std::numeric_limits<float>::min())) {
            const LargeVector<float>& s = scales();
            float err = 0.0f, smax = 0.0f;
            for (std::int64_t b = 0; b < blocks_.count(); ++b) {
                const float sb = s[static_cast<std::size_t>(b)];
                const float a = finite_absmax(x + blocks_.start(b), blocks_.length(b));
                err = std::max(err, std::max(sb, a - 6.0f * sb));
                smax = std::max(smax, sb);
            }
            err_ = err;
            smax_ = smax;
        } else {
            float top = 0.0f;
            block_scales_of_absmax(&amax, 1, &top);
            smax_ = top;
            err_ = std::max(top, amax - 6.0f * top);
        }
        return report_progress(progress, 1, 1);
    }
    std::int64_t granule() const override { return blocks_.granule(); }
    void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes, std::uint64_t* clipped) const override {
        const float* x = tensor_->data();
        std::uint64_t clip = 0;
        std::int64_t i = begin;
        const std::int64_t B = blocks_.block;
        if (blocks_.cols % B == 0 && begin % B == 0) {
            // rows hold whole blocks: the scales of up to kRunBlocks blocks at a time, then their values
            const std::int64_t whole = (end - begin) / B * B;
            float sc[kRunBlocks];
            for (std::int64_t p = 0; p < whole; p += kRunBlocks * B) {
                const std::int64_t len = std::min(whole - p, kRunBlocks * B);
                block_scales(x + begin + p, len, sc, false);
                clip += kernels::minifloat_fake_quant_blocks(x + begin + p, len, B, sc, kE2M1, dq + p, codes ? codes + p : nullptr);
            }
            i = begin + whole;
        }
        while (i < end) {
            const std::int64_t len = std::min(end - i, blocks_.run_length(i));
            const float s = scale_of_block(blocks_.block_of(i));
            clip += kernels::minifloat_fake_quant(x + i, len, s, kE2M1, dq + (i - begin), codes ? codes + (i - begin) : nullptr);
            i += len;
        }
        if (clipped) *clipped += clip;
    }
    // run()'s whole-block path: every block's scale, then E2M1 on each value. MXFP4's scales are powers
    // of two (at least 2^-127): their exact inverses go along.
    BlockRule block_rule(std::int64_t begin, std::int64_t end, float* params, std::int64_t stride) const override {
        const std::int64_t B = blocks_.block;
        if (!tensor_ || blocks_.cols % B != 0 || begin % B != 0 || (end - begin) % B != 0) return {};
        const float* x = tensor_->data();
        for (std::int64_t p = 0; p < end - begin; p += kRunBlocks * B)
            block_scales(x + begin + p, std::min(end - begin - p, kRunBlocks * B), params + p / B, false);
        if (!nv_)
            for (std::int64_t k = 0; k < (end - begin) / B; ++k) params[stride + k] = 1.0f / params[k];
        return {nv_ ? BlockRule::Kind::E2M1 : BlockRule::Kind::E2M1Pow2, B == 16 ? 4 : 5};
    }
    StorageSize storage() const override { return sized(blocks_); }
    StorageSize storage_for(const std::vector<std::int64_t>& shape) const override {
        return sized(RowBlocks::make(shape, numel_of(shape), config_.format == Format::NVFP4 ? kNvfp4Block : kMxfp4Block));
    }
    std::vector<float> levels_at(std::int64_t i) const override {
        if (!tensor_ || blocks_.count() == 0) return {};
        const float s = scale_of_block(blocks_.block_of(std::clamp<std::int64_t>(i, 0, blocks_.numel - 1)));
        std::vector<float> v;
        for (std::uint32_t c = 0; c < 16; ++c) v.push_back(minifloat_decode(c, kE2M1) * s);
        return sorted_unique(std::move(v));
    }
    int code_count() const override { return 16; }
    std::pair<int, int> code_range() const override { return {0, 15}; }
    QuantParams params() const override {
        if (!tensor_) return {};
        const LargeVector<float>& s = scales();
        return QuantParams{std::vector<float>(s.begin(), s.end()), {}, {}};
    }
    std::optional<OutputBounds> output_bounds() const override {
        if (!tensor_ || blocks_.count() == 0) return std::nullopt;
        OutputBounds b;
        b.dq_hi = 6.0f * smax_;
        b.dq_lo = -b.dq_hi;
        b.err_abs = err_ * (1.0f + 0x1p-16f);
        return b;
    }
    float tensor_scale() const { return s2_; }

private:
    // E2M1 codes of whole blocks (a row's last block stored whole), an 8-bit scale each, and NVFP4's
    // fp32 tensor scale
    StorageSize sized(const RowBlocks& b) const {
        const auto n = static_cast<std::uint64_t>(b.numel);
        const auto nb = static_cast<std::uint64_t>(b.count());
        const std::uint64_t stored = nb * static_cast<std::uint64_t>(b.block);
        StorageSize s = storage_of(n, stored * 4, nb * 8 + (config_.format == Format::NVFP4 ? 32 : 0));
        s.padding = stored - n;
        return s;
    }
    static constexpr std::int64_t kRunBlocks = 256;  // scales per step of run()
    // Scales of blocks with absmax amax[0, nb), nb at most kRunBlocks (MXFP4: X = 2^e; NVFP4: max(amax / (6 s2), 2^-9) on the
    // E4M3 grid, times s2, rounded to E4M3 by the vector loop as nvfp4_block_scale does).
    void block_scales_of_absmax(const float* amax, std::int64_t nb, float* out) const {
        if (!nv_) {
            for (std::int64_t k = 0; k < nb; ++k) out[k] = mx_block_scale(amax[k]);
            return;
        }
        const float six_s2 = 6.0f * s2_, one = 1.0f;
        float raw[kRunBlocks];
        for (std::int64_t k = 0; k < nb; ++k) {
            const float q = amax[k] / six_s2;
            raw[k] = q > 0x1p-9f ? q : 0x1p-9f;  // the smallest E4M3 subnormal
        }
        kernels::minifloat_fake_quant_blocks(raw, nb, nb, &one, kE4M3, out, nullptr);
        for (std::int64_t k = 0; k < nb; ++k) out[k] *= s2_;
    }
    // Scales of the consecutive blocks of x[0, count) (count at most kRunBlocks blocks; the last may be
    // shorter); from_memory as kernels::block_absmax has it.
    void block_scales(const float* x, std::int64_t count, float* out, bool from_memory) const {
        float amax[kRunBlocks];
        const std::int64_t nb = (count + blocks_.block - 1) / blocks_.block;
        kernels::block_absmax(x, count, blocks_.block, amax, from_memory);
        block_scales_of_absmax(amax, nb, out);
    }
    float scale_of_block(std::int64_t b) const {
        float s = 0.0f;
        block_scales(tensor_->data() + blocks_.start(b), blocks_.length(b), &s, true);
        return s;
    }
    // Every block's scale, worked out on first use.
    const LargeVector<float>& scales() const {
        std::call_once(all_->once, [&] {
            LargeVector<float>& scale = all_->scales;
            scale.resize(static_cast<std::size_t>(blocks_.count()));  // every block's scale is written below
            // tasks: up to kRunBlocks blocks of one row
            const std::int64_t per_row_tasks = (blocks_.per_row + kRunBlocks - 1) / kRunBlocks;
            const std::int64_t ntasks = blocks_.rows * per_row_tasks;
            const float* x = tensor_->data();
#pragma omp parallel for schedule(static)
            for (std::int64_t task = 0; task < ntasks; ++task) {
                const std::int64_t r = task / per_row_tasks, b0 = (task % per_row_tasks) * kRunBlocks;
                const std::int64_t nbt = std::min(blocks_.per_row, b0 + kRunBlocks) - b0;
                const std::int64_t c0 = b0 * blocks_.block, count = std::min(blocks_.cols - c0, nbt * blocks_.block);
                block_scales(x + r * blocks_.cols + c0, count, scale.data() + r * blocks_.per_row + b0, true);
            }
        });
        return all_->scales;
    }
    struct AllScales {
        std::once_flag once;
        LargeVector<float> scales;  // MXFP4: X = 2^e; NVFP4: s * s2
    };

    const Tensor* tensor_ = nullptr;
    bool nv_ = false;
    RowBlocks blocks_;
    float s2_ = 1.0f;
    std::unique_ptr<AllScales> all_;
    float err_ = 0.0f, smax_ = 0.0f;
};

// ============================================================================================ NF4
// NF4 scales each block by its own absmax, so prepare() reads nothing when the tensor's range is known:
// run() works out the absmax of the blocks it quantizes while their values are in cache, levels_at() that
// of one block, params() every block's (once, on first use). NF4_DQ quantizes the absmax values against
// their mean, which needs all of them first: its prepare() works them all out.
class Nf4Quantizer final : public Quantizer {
public:
    explicit Nf4Quantizer(QuantConfig c) : Quantizer(std::move(c)) {
        block_ = config_.block_size > 0 ? config_.block_size : kNf4DefaultBlock;
        lazy_ = config_.format == Format::NF4;
    }
    bool prepare(const Tensor& t, const ProgressFn& progress) override {
        tensor_ = &t;
        n_ = t.numel();
        nb_ = (n_ + block_ - 1) / block_;
        const float* x = t.data();
        std::shared_ptr<const LargeVector<float>> given = std::move(given_absmax_);
        given_absmax_.reset();
        if (given && given->size() != static_cast<std::size_t>(nb_)) given.reset();
        if (lazy_) {
            float amax = 0.0f;
            if (known_range_) {
                amax = std::max(std::fabs(known_range_->first), std::fabs(known_range_->second));
            } else {
                const std::int64_t chunk = 1 << 16, nch = (n_ + chunk - 1) / chunk;
#pragma omp parallel for reduction(max : amax) schedule(static)
                for (std::int64_t c = 0; c < nch; ++c) amax = std::max(amax, finite_absmax(x + c * chunk, std::min(chunk, n_ - c * chunk)));
            }
            all_ = std::make_unique<AllAbsmax>();
            all_->absmax = absmax_ = std::move(given);
            // the largest block absmax is the tensor's, and 0.1525 a never falls as a grows
            err_ = 0.1525f * amax;
            smax_ = amax;
            return report_progress(progress, 1, 1);
        }
        std::shared_ptr<LargeVector<float>> fresh;
        if (!given) {
            fresh = std::make_shared<LargeVector<float>>(static_cast<std::size_t>(nb_));  // every block written below
            given = fresh;
        }
        absmax_ = given;
        const float* amax = absmax_->data();
        stored_.resize(absmax_->size());
        inv_.resize(absmax_->size());
        float err = 0.0f, smax = 0.0f;
        constexpr std::int64_t kTask = 1024;  // blocks per task
        const std::int64_t ntasks = (nb_ + kTask - 1) / kTask;
#pragma omp parallel for schedule(static)
        for (std::int64_t task = 0; task < ntasks; ++task) {
            const std::int64_t b0 = task * kTask, b1 = std::min(nb_, b0 + kTask);
            if (fresh) kernels::block_absmax(x + b0 * block_, std::min(n_, b1 * block_) - b0 * block_, block_, fresh->data() + b0);
            for (std::int64_t b = b0; b < b1; ++b) inv_[static_cast<std::size_t>(b)] = 1.0f / amax[b];
        }
        nf4_double_quantize(amax, absmax_->size(), stored_.data(), &offset_, &scales2_, nullptr);
#pragma omp parallel for schedule(static) reduction(max : err, smax)
        for (std::int64_t b = 0; b < nb_; ++b) {
            const float a = amax[b], st = stored_[static_cast<std::size_t>(b)];
            // half the widest NF4 gap (between -1 and -0.696) times absmax, plus the stored absmax's error
            err = std::max(err, 0.1525f * a + std::fabs(a - st));
            smax = std::max(smax, std::fabs(st));
        }
        err_ = err;
        smax_ = smax;
        return report_progress(progress, 1, 1);
    }
    // Every block's absmax from an earlier quantizer of this tensor with this block size (see
    // set_nf4_block_absmax); before prepare(), for its next call only.
    void set_block_absmax(std::shared_ptr<const LargeVector<float>> a) { given_absmax_ = std::move(a); }
    // After prepare(): every block's absmax when prepare() has them (NF4+DQ always, NF4 when it was given
    // them), else null.
    std::shared_ptr<const LargeVector<float>> block_absmax() const { return absmax_; }
    std::int64_t granule() const override { return block_; }
    void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes, std::uint64_t* clipped) const override {
        const float* x = tensor_->data();
        std::uint64_t clip = 0;
        std::int64_t i0 = begin;
        if (begin % block_ == 0) {
            const std::int64_t whole = (end - begin) / block_ * block_;
            if (lazy_) {
                // up to kRunValues values (at least one block) at a time: their absmax (those given to
                // prepare(), else from the values), then their codes
                const std::int64_t step = std::max<std::int64_t>(1, kRunValues / block_) * block_;
                float own[kRunValues / 32], inv[kRunValues / 32];
                for (std::int64_t p = 0; p < whole; p += step) {
                    const std::int64_t len = std::min(whole - p, step), nb = len / block_;
                    const float* amax = own;
                    if (absmax_) amax = absmax_->data() + (begin + p) / block_;
                    else kernels::block_absmax(x + begin + p, len, block_, own, false);
                    for (std::int64_t k = 0; k < nb; ++k) inv[k] = 1.0f / amax[k];
                    kernels::nf4_fake_quant_blocks(x + begin + p, len, block_, inv, amax, dq + p, codes ? codes + p : nullptr);
                }
            } else {
                kernels::nf4_fake_quant_blocks(x + begin, whole, block_, inv_.data() + begin / block_, stored_.data() + begin / block_, dq,
                                               codes);
            }
            i0 = begin + whole;
        }
        for (std::int64_t i = i0; i < end;) {
            const std::int64_t b = i / block_;
            const std::int64_t stop = std::min(end, (b + 1) * block_);
            const float s = stored_of_block(b);
            const float inv = lazy_ ? 1.0f / s : inv_[static_cast<std::size_t>(b)];
            kernels::nf4_fake_quant(x + i, stop - i, inv, s, dq + (i - begin), codes ? codes + (i - begin) : nullptr);
            i = stop;
        }
        if (clipped) *clipped += clip;
    }
    StorageSize storage() const override { return sized(n_); }
    StorageSize storage_for(const std::vector<std::int64_t>& shape) const override {
        return sized(numel_of(shape));
    }
    std::vector<float> levels_at(std::int64_t i) const override {
        if (!tensor_ || nb_ == 0) return {};
        const float s = stored_of_block(std::clamp<std::int64_t>(i, 0, n_ - 1) / block_);
        std::vector<float> v;
        for (int c = 0; c < 16; ++c) v.push_back(nf4_value(c) * s);
        return sorted_unique(std::move(v));
    }
    int code_count() const override { return 16; }
    std::pair<int, int> code_range() const override { return {0, 15}; }
    QuantParams params() const override {
        if (!tensor_) return {};
        const LargeVector<float>& s = lazy_ ? absmax() : stored_;
        return QuantParams{std::vector<float>(s.begin(), s.end()), {}, {}};
    }
    std::optional<OutputBounds> output_bounds() const override {
        if (!tensor_ || nb_ == 0) return std::nullopt;
        return OutputBounds{-smax_, smax_, err_ * (1.0f + 0x1p-16f)};
    }

private:
    // 4-bit codes, and per block an fp32 absmax (NF4) or an 8-bit one with an fp32 scale per 256 of
    // them and the fp32 mean (NF4 with double quantization)
    StorageSize sized(std::int64_t n) const {
        const auto nb = static_cast<std::uint64_t>((n + block_ - 1) / block_);
        std::uint64_t meta = nb * 32;
        if (config_.format == Format::NF4_DQ) meta = nb * 8 + (nb + kNf4DqBlock - 1) / kNf4DqBlock * 32 + 32;
        return storage_of(static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n) * 4, meta);
    }
    static constexpr std::int64_t kRunValues = 8192;  // values per step of run(): kRunValues / 32 blocks at most
    // The stored absmax of block b (NF4: the block's absmax, worked out from its values).
    float stored_of_block(std::int64_t b) const {
        if (!lazy_) return stored_[static_cast<std::size_t>(b)];
        return finite_absmax(tensor_->data() + b * block_, std::min(block_, n_ - b * block_));
    }
    // NF4: every block's absmax, those given to prepare() or worked out on first use.
    const LargeVector<float>& absmax() const {
        std::call_once(all_->once, [&] {
            if (all_->absmax) return;
            auto a = std::make_shared<LargeVector<float>>(static_cast<std::size_t>(nb_));  // every block written below
            constexpr std::int64_t kTask = 1024;  // blocks per task
            const std::int64_t ntasks = (nb_ + kTask - 1) / kTask;
            const float* x = tensor_->data();
#pragma omp parallel for schedule(static)
            for (std::int64_t task = 0; task < ntasks; ++task) {
                const std::int64_t b0 = task * kTask, b1 = std::min(nb_, b0 + kTask);
                kernels::block_absmax(x + b0 * block_, std::min(n_, b1 * block_) - b0 * block_, block_, a->data() + b0);
            }
            all_->absmax = std::move(a);
        });
        return *all_->absmax;
    }
    struct AllAbsmax {
        std::once_flag once;
        std::shared_ptr<const LargeVector<float>> absmax;  // set by prepare() when given, else on first use
    };

    const Tensor* tensor_ = nullptr;
    std::int64_t n_ = 0, nb_ = 0, block_ = kNf4DefaultBlock;
    bool lazy_ = true;
    std::unique_ptr<AllAbsmax> all_;                     // NF4
    std::shared_ptr<const LargeVector<float>> absmax_;   // every block's absmax (NF4: when given to prepare())
    LargeVector<float> stored_, inv_;                    // NF4_DQ: absmax' and 1 / absmax of every block
    std::shared_ptr<const LargeVector<float>> given_absmax_;  // from set_block_absmax(), for the next prepare()
    std::vector<float> scales2_;
    float offset_ = 0.0f, err_ = 0.0f, smax_ = 0.0f;
};

// ============================================================================================ ggml blocks
// Per block type: values per block and per sub-block (values sharing one level set), the level of code q
// in sub-block j (the dequantizer's own expression), the code range, and each element's stored code.
template <class B>
struct Ggml;

template <>
struct Ggml<ggml::BlockQ8_0> {
    static constexpr int qk = 32, sub = 32, qmin = -128, qmax = 127, ncodes = 256;
    static float level(const ggml::BlockQ8_0& b, int, int q) { return static_cast<float>(q) * half_to_float(b.d); }
    static void codes(const ggml::BlockQ8_0& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ4_0> {
    static constexpr int qk = 32, sub = 32, qmin = 0, qmax = 15, ncodes = 16;
    static float level(const ggml::BlockQ4_0& b, int, int q) { return static_cast<float>(q - 8) * half_to_float(b.d); }
    static void codes(const ggml::BlockQ4_0& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ4_1> {
    static constexpr int qk = 32, sub = 32, qmin = 0, qmax = 15, ncodes = 16;
    static float level(const ggml::BlockQ4_1& b, int, int q) { return static_cast<float>(q) * half_to_float(b.d) + half_to_float(b.m); }
    static void codes(const ggml::BlockQ4_1& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ5_0> {
    static constexpr int qk = 32, sub = 32, qmin = 0, qmax = 31, ncodes = 32;
    static float level(const ggml::BlockQ5_0& b, int, int q) { return static_cast<float>(q - 16) * half_to_float(b.d); }
    static void codes(const ggml::BlockQ5_0& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockIQ4_NL> {
    static constexpr int qk = 32, sub = 32, qmin = 0, qmax = 15, ncodes = 16;
    static float level(const ggml::BlockIQ4_NL& b, int, int q) {
        return half_to_float(b.d) * static_cast<float>(ggml::iq4nl_value(q));
    }
    static void codes(const ggml::BlockIQ4_NL& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockIQ4_XS> {
    static constexpr int qk = 256, sub = 32, qmin = 0, qmax = 15, ncodes = 16;
    static float level(const ggml::BlockIQ4_XS& b, int j, int q) {
        const int ls = ((b.scales_l[j / 2] >> (4 * (j % 2))) & 0xF) | (((b.scales_h >> (2 * j)) & 3) << 4);
        return half_to_float(b.d) * static_cast<float>(ls - 32) * static_cast<float>(ggml::iq4nl_value(q));
    }
    static void codes(const ggml::BlockIQ4_XS& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
// Q4_K's and Q5_K's level q of sub-block j: d1 q - m1 from the 6-bit scale and min.
template <class B>
float scale_min_level(const B& b, int j, int q) {
    std::uint8_t sc, m;
    ggml::scale_min_k4(j, b.scales, sc, m);
    const float d1 = half_to_float(b.d) * static_cast<float>(sc), m1 = half_to_float(b.dmin) * static_cast<float>(m);
    return d1 * static_cast<float>(q) - m1;
}
template <>
struct Ggml<ggml::BlockQ4_K> {
    static constexpr int qk = 256, sub = 32, qmin = 0, qmax = 15, ncodes = 16;
    static float level(const ggml::BlockQ4_K& b, int j, int q) { return scale_min_level(b, j, q); }
    static void codes(const ggml::BlockQ4_K& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ2_K> {
    static constexpr int qk = 256, sub = 16, qmin = 0, qmax = 3, ncodes = 4;
    static float level(const ggml::BlockQ2_K& b, int j, int q) {
        const float dl = half_to_float(b.d) * static_cast<float>(b.scales[j] & 0xF);
        const float ml = half_to_float(b.dmin) * static_cast<float>(b.scales[j] >> 4);
        return dl * static_cast<float>(q) - ml;
    }
    static void codes(const ggml::BlockQ2_K& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ3_K> {
    static constexpr int qk = 256, sub = 16, qmin = 0, qmax = 7, ncodes = 8;
    static float level(const ggml::BlockQ3_K& b, int j, int q) {
        return half_to_float(b.d) * static_cast<float>(ggml::q3k_scale(b.scales, j)) * static_cast<float>(q - 4);
    }
    static void codes(const ggml::BlockQ3_K& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ5_K> {
    static constexpr int qk = 256, sub = 32, qmin = 0, qmax = 31, ncodes = 32;
    static float level(const ggml::BlockQ5_K& b, int j, int q) { return scale_min_level(b, j, q); }
    static void codes(const ggml::BlockQ5_K& b, std::int8_t* c) { ggml::block_codes(b, c); }
};
template <>
struct Ggml<ggml::BlockQ6_K> {
    static constexpr int qk = 256, sub = 16, qmin = 0, qmax = 63, ncodes = 64;
    static float level(const ggml::BlockQ6_K& b, int j, int q) {
        return half_to_float(b.d) * static_cast<float>(b.scales[j]) * static_cast<float>(q - 32);
    }
    static void codes(const ggml::BlockQ6_K& b, std::int8_t* c) { ggml::block_codes(b, c); }
};

// The layout of the 32-value blocks that the vector decoder reads (core/format_kernels_avx512.h); none for
// the K formats.
template <class B>
std::optional<kernels::detail::GgmlDecodeArgs> decode_layout() { return std::nullopt; }
template <class B>
kernels::detail::GgmlDecodeArgs nibble_layout(kernels::detail::GgmlDecodeArgs::Kind kind) {
    kernels::detail::GgmlDecodeArgs a;
    a.kind = kind;
    a.block_bytes = static_cast<int>(sizeof(B));
    a.d_at = static_cast<int>(offsetof(B, d));
    a.qs_at = static_cast<int>(offsetof(B, qs));
    return a;
}
template <>
std::optional<kernels::detail::GgmlDecodeArgs> decode_layout<ggml::BlockQ8_0>() {
    return nibble_layout<ggml::BlockQ8_0>(kernels::detail::GgmlDecodeArgs::Q8_0);
}
template <>
std::optional<kernels::detail::GgmlDecodeArgs> decode_layout<ggml::BlockQ4_0>() {
    return nibble_layout<ggml::BlockQ4_0>(kernels::detail::GgmlDecodeArgs::Q4_0);
}
template <>
std::optional<kernels::detail::GgmlDecodeArgs> decode_layout<ggml::BlockQ4_1>() {
    auto a = nibble_layout<ggml::BlockQ4_1>(kernels::detail::GgmlDecodeArgs::Q4_1);
    a.m_at = static_cast<int>(offsetof(ggml::BlockQ4_1, m));
    return a;
}
template <>
std::optional<kernels::detail::GgmlDecodeArgs> decode_layout<ggml::BlockQ5_0>() {
    auto a = nibble_layout<ggml::BlockQ5_0>(kernels::detail::GgmlDecodeArgs::Q5_0);
    a.qh_at = static_cast<int>(offsetof(ggml::BlockQ5_0, qh));
    return a;
}
template <>
std::optional<kernels::detail::GgmlDecodeArgs> decode_layout<ggml::BlockIQ4_NL>() {
    static const auto levels = [] {
        std::array<float, 16> v{};
        for (int q = 0; q < 16; ++q) v[static_cast<std::size_t>(q)] = static_cast<float>(ggml::iq4nl_value(q));
        return v;
    }();
    auto a = nibble_layout<ggml::BlockIQ4_NL>(kernels::detail::GgmlDecodeArgs::IQ4_NL);
    a.levels = levels.data();
    return a;
}

// Values and codes of whole K-quant blocks on the vector path where the CPU has one (false: not done).
template <class B>
bool decode_k_blocks(const B*, std::int64_t, float*, std::int8_t*) { return false; }
template <>
bool decode_k_blocks(const ggml::BlockQ4_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return ggml::dequantize_blocks_fast(b, nb, y, codes); }
template <>
bool decode_k_blocks(const ggml::BlockQ6_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return ggml::dequantize_blocks_fast(b, nb, y, codes); }
template <>
bool decode_k_blocks(const ggml::BlockQ2_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return ggml::dequantize_blocks_fast(b, nb, y, codes); }
template <>
bool decode_k_blocks(const ggml::BlockQ3_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return ggml::dequantize_blocks_fast(b, nb, y, codes); }
template <>
bool decode_k_blocks(const ggml::BlockQ5_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return ggml::dequantize_blocks_fast(b, nb, y, codes); }
template <>
bool decode_k_blocks(const ggml::BlockIQ4_XS* b, std::int64_t nb, float* y, std::int8_t* codes) { return ggml::dequantize_blocks_fast(b, nb, y, codes); }

// The reach of sub-block j's grid: below the lowest level by half its gap, above the highest by half its.
// A degenerate grid (all levels equal) has no reach limit.
template <class B>
void grid_edges(const B& b, int j, float& lo, float& hi) {
    using T = Ggml<B>;
    const float a0 = T::level(b, j, T::qmin), a1 = T::level(b, j, T::qmin + 1);
    const float z1 = T::level(b, j, T::qmax - 1), z0 = T::level(b, j, T::qmax);
    if (a0 == z0) {
        lo = -kInf;
        hi = kInf;
    } else if (a0 < z0) {
        lo = a0 - (a1 - a0) * 0.5f;
        hi = z0 + (z0 - z1) * 0.5f;
    } else {
        lo = z0 - (z1 - z0) * 0.5f;
        hi = a0 + (a0 - a1) * 0.5f;
    }
}

// grid_edges() of every sub-block, value by value: lo[k], hi[k] for the block's first len values.
template <class B>
void value_grid_edges(const B& b, std::int64_t len, float* lo, float* hi) {
    using T = Ggml<B>;
    for (int j = 0; j * T::sub < len; ++j) {
        float a, z;
        grid_edges(b, j, a, z);
        for (int k = j * T::sub; k < (j + 1) * T::sub; ++k) {
            lo[k] = a;
            hi[k] = z;
        }
    }
}

// The most fp16 rounding moves any 0 <= w <= v: half a unit in the last place at v (2^-25, half the
// subnormal step, below 2^-14), and never more than w itself (w rounds to 0 at worst).
inline double fp16_rounding_bound(double v) {
    int e = 0;
    (void)std::frexp(v, &e);  // v in [2^(e-1), 2^e)
    return std::min(v, std::max(std::ldexp(1.0, -25), std::ldexp(1.0, e - 12)));
}
inline float round_up(double v) {
    const auto f = static_cast<float>(v);
    return static_cast<double>(f) < v ? std::nextafter(f, kInf) : f;
}

// Q8_0's bounds from the tensor's finite range [mn, mx] alone (nullopt where a scale could leave fp16).
// A block's scale d = a / 127 (its absmax a <= A = max(|mn|, |mx|)) and its fp16 rounding never fall as
// a grows, so every level q fp16(d), |q| <= 127, lies within 127 fp16(A / 127): the block of the tensor's
// absmax has exactly that top level. q rounds x / d to nearest (the float rounding of x (1 / d) moves it
// by far less than 2^-15), so |dq - x| <= 127 h + (A / 127) / 2 with h = fp16_rounding_bound(A / 127) (q
// and the rounding of d both at their most: a value at 126.5 d with d rounded up by almost h), and every
// dq lies within that of its x, which caps the range at [mn - err, mx + err]. (Non-finite values are
// quantized as 0, which lies within.) On normal(0, 2) data of 4096 x 4096 the error bound is 9.5% above the
// measured largest error and the range equal to the measured one on the side of the larger magnitude and
// 0.05 wider on the other (a quarter of a histogram bin, enough there to add one bin to the weight grid).
// Q4_0, Q4_1 and Q5_0 have no such tight bound: their largest error comes from a block's spread (Q4_1:
// (max - min) / 30, bounded by (mx - mn) / 30) or from values opposite a block's largest one beyond its far
// level (Q4_0, Q5_0: up to min(|mn|, mx) / 8 or / 16), which the range alone bounds 30-70% above the
// measured errors on the same data.
inline std::optional<OutputBounds> q8_0_range_bounds(float mn, float mx) {
    if (!std::isfinite(mn) || !std::isfinite(mx) || !(mn <= mx)) return std::nullopt;
    const double P = std::max(0.0, static_cast<double>(mx)), N = std::max(0.0, -static_cast<double>(mn)), A = std::max(P, N);
    constexpr double kRel = 0x1p-20;  // margin for the float roundings along the way
    const float top = 127.0f * half_to_float(float_to_half(static_cast<float>(A) / 127.0f));  // exact product
    const double D = A / 127.0 * (1 + kRel);
    const double err = (127.0 * fp16_rounding_bound(D) + D * (0.5 + 0x1p-15)) * (1 + kRel);
    const double hi = std::min<double>(top, P + err), lo = -std::min<double>(top, N + err);
    if (!std::isfinite(top) || !std::isfinite(err)) return std::nullopt;
    return OutputBounds{-round_up(-lo), round_up(hi), round_up(err)};
}

// With the tensor's range known (set_tensor_range), Q8_0 on the AVX-512 path gives its bounds from it
// (q8_0_range_bounds) and prepare() reads nothing: run() quantizes the blocks it decodes while their
// values are in cache, levels_at() the one block it asks about, and the packed blocks (params(), view()
// for the CUDA pass) are worked out once, on first use. Otherwise prepare() quantizes every block and
// measures the bounds on the way.
template <class B>
class GgmlQuantizer final : public Quantizer {
    using T = Ggml<B>;

public:
    explicit GgmlQuantizer(QuantConfig c) : Quantizer(std::move(c)), type_(ggml_type(config_.format)) {}
    bool prepare(const Tensor& t, const ProgressFn& progress) override {
        tensor_ = &t;
        blocks_ = RowBlocks::make(t.shape, t.numel(), T::qk);
        all_ = std::make_unique<AllBlocks>();
        lazy_ = false;
        if (type_ == DType::GGML_Q8_0 && known_range_ && blocks_.count() > 0 && ggml::has_bounds_path(type_)) {
            if (auto b = q8_0_range_bounds(known_range_->first, known_range_->second)) {
                lazy_ = true;
                dq_lo_ = b->dq_lo;
                dq_hi_ = b->dq_hi;
                err_ = b->err_abs;
                return report_progress(progress, 1, 1);
            }
        }
        std::shared_ptr<const SliceRanges> given = ranges_given_ ? std::move(ranges_) : nullptr;
        ranges_given_ = false;
        ranges_.reset();
        const bool small = type_ == DType::GGML_Q4_0 || type_ == DType::GGML_Q4_1 || type_ == DType::GGML_Q5_0;
        if (small && known_range_ && blocks_.count() > 0 && blocks_.cols % T::qk == 0 && ggml::has_bounds_path(type_) &&
            bounds_from_block_ranges(t, std::move(given)))
            return report_progress(progress, 1, 1);
        quantize_all(&dq_lo_, &dq_hi_, &err_);
        std::call_once(all_->once, [] {});  // the blocks are there: packed() has nothing left to do
        return report_progress(progress, 1, 1);
    }
    std::int64_t granule() const override { return blocks_.granule(); }
    void run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes, std::uint64_t* clipped) const override {
        std::uint64_t clip = 0;
        float y[T::qk];
        std::int8_t c[T::qk];
        std::int64_t i = begin;
        if (blocks_.cols % T::qk == 0 && begin % T::qk == 0) {
            // rows hold whole blocks: block k of this range is block begin / qk + k
            static const auto layout = decode_layout<B>();
            const std::int64_t nb = (end - begin) / T::qk;
            if (lazy_) {
                // quantized and decoded kRunBlocks at a time; a group of blocks the vector path leaves
                // (non-finite values) goes block by block until it takes the rest again
                const float* x = tensor_->data() + begin;
                std::uint32_t cl[kRunBlocks];
                for (std::int64_t p = 0; p < nb;) {
                    const std::int64_t want = std::min(nb - p, kRunBlocks);
                    const std::int64_t done =
                        ggml::quantize_blocks_decoded(type_, x + p * T::qk, want, dq + p * T::qk, codes ? codes + p * T::qk : nullptr, cl);
                    for (std::int64_t k = 0; k < done; ++k) clip += cl[k];
                    p += done;
                    if (done < want) {
                        B blk;
                        std::uint32_t cb = 0;
                        block_at(begin / T::qk + p, blk, cb);
                        ggml::dequantize_block(blk, dq + p * T::qk);
                        if (codes) T::codes(blk, codes + p * T::qk);
                        clip += cb;
                        ++p;
                    }
                }
                i = begin + nb * T::qk;
            } else {
                const B* first = nb > 0 ? &all_->packed[static_cast<std::size_t>(begin / T::qk)] : nullptr;
                if (nb > 0 && (layout ? kernels::ggml_decode_blocks(*layout, reinterpret_cast<const std::uint8_t*>(first), nb, dq, codes)
                                      : decode_k_blocks(first, nb, dq, codes))) {
                    for (std::int64_t b = begin / T::qk; b < begin / T::qk + nb; ++b) clip += all_->clipped[static_cast<std::size_t>(b)];
                    i = begin + nb * T::qk;
                }
            }
            if (i == end) {
                if (clipped) *clipped += clip;
                return;
            }
        }
        // walk the blocks in order: the next block starts where this one ends (rows are contiguous)
        std::int64_t b = blocks_.block_of(i), s = blocks_.start(b), col = s % blocks_.cols;
        B own;
        while (i < end) {
            const std::int64_t len = std::min<std::int64_t>(T::qk, blocks_.cols - col);
            const std::int64_t from = i - s, to = std::min(len, end - s);
            std::uint32_t cb = 0;
            if (lazy_) block_at(b, own, cb);
            else cb = all_->clipped[static_cast<std::size_t>(b)];
            const B& blk = lazy_ ? own : all_->packed[static_cast<std::size_t>(b)];
            if (from == 0 && to == T::qk) {
                ggml::dequantize_block(blk, dq + (i - begin));
                if (codes) T::codes(blk, codes + (i - begin));
            } else {
                ggml::dequantize_block(blk, y);
                std::memcpy(dq + (i - begin), y + from, static_cast<std::size_t>(to - from) * sizeof(float));
                if (codes) {
                    T::codes(blk, c);
                    std::memcpy(codes + (i - begin), c + from, static_cast<std::size_t>(to - from));
                }
            }
            if (from == 0) clip += cb;
            i = s + to;
            s += len;
            col += len;
            if (col == blocks_.cols) col = 0;
            ++b;
        }
        if (clipped) *clipped += clip;
    }
    // The lazy path's blocks (rows of whole blocks, groups of 16 of them): their scales as
    // quantize_blocks_decoded() works them out, for the analysis to quantize the values itself.
    BlockRule block_rule(std::int64_t begin, std::int64_t end, float* params, std::int64_t stride) const override {
        if (!lazy_ || !tensor_ || blocks_.cols % T::qk != 0 || begin % T::qk != 0 || (end - begin) % (16 * T::qk) != 0) return {};
        BlockRule::Kind kind = BlockRule::Kind::None;
        switch (type_) {
        case DType::GGML_Q8_0: kind = BlockRule::Kind::Q8_0; break;
        case DType::GGML_Q4_0: kind = BlockRule::Kind::Q4_0; break;
        case DType::GGML_Q4_1: kind = BlockRule::Kind::Q4_1; break;
        case DType::GGML_Q5_0: kind = BlockRule::Kind::Q5_0; break;
        default: return {};
        }
        const std::int64_t nb = (end - begin) / T::qk;
        if (ggml::small_block_params(type_, tensor_->data() + begin, nb, params, stride) < nb) return {};
        return {kind, 5};
    }
    StorageSize storage() const override { return sized(blocks_); }
    StorageSize storage_for(const std::vector<std::int64_t>& shape) const override {
        return sized(RowBlocks::make(shape, numel_of(shape), T::qk));
    }
    std::vector<float> levels_at(std::int64_t i) const override {
        if (!tensor_ || blocks_.count() == 0) return {};
        const std::int64_t idx = std::clamp<std::int64_t>(i, 0, blocks_.numel - 1);
        const std::int64_t b = blocks_.block_of(idx);
        const int j = static_cast<int>((idx - blocks_.start(b)) / T::sub);
        B blk;
        if (lazy_) {
            std::uint32_t cb = 0;
            block_at(b, blk, cb);
        } else {
            blk = all_->packed[static_cast<std::size_t>(b)];
        }
        std::vector<float> v;
        for (int q = T::qmin; q <= T::qmax; ++q) v.push_back(T::level(blk, j, q));
        return sorted_unique(std::move(v));
    }
    int code_count() const override { return T::ncodes; }
    std::pair<int, int> code_range() const override { return {T::qmin, T::qmax}; }
    QuantParams params() const override {
        QuantParams p;
        if (!tensor_) return p;
        for (const B& blk : packed())
            for (int j = 0; j < T::qk / T::sub; ++j) p.scales.push_back(T::level(blk, j, T::qmin + 1) - T::level(blk, j, T::qmin));
        return p;
    }
    std::optional<OutputBounds> output_bounds() const override {
        if (!tensor_ || !(dq_lo_ <= dq_hi_)) return std::nullopt;
        return OutputBounds{dq_lo_, dq_hi_, err_ * (1.0f + 0x1p-16f)};
    }
    GgmlBlocksView view() const {
        GgmlBlocksView v;
        if (!tensor_ || blocks_.count() == 0) return v;
        const LargeVector<B>& packed_blocks = packed();
        v.format = config_.format;
        v.blocks = packed_blocks.data();
        v.block_count = static_cast<std::int64_t>(packed_blocks.size());
        v.cols = blocks_.cols;
        v.blocks_per_row = blocks_.per_row;
        for (std::uint32_t c : all_->clipped) v.clipped += c;
        return v;
    }

    void set_block_ranges(std::shared_ptr<const SliceRanges> r) {
        ranges_ = std::move(r);
        ranges_given_ = true;
    }
    std::shared_ptr<const SliceRanges> block_ranges() const { return ranges_; }

private:
    // codes of whole blocks (a row's last block stored whole) and each block's header
    StorageSize sized(const RowBlocks& b) const {
        const auto nb = static_cast<std::uint64_t>(b.count());
        const std::uint64_t code_bits = nb * static_cast<std::uint64_t>(T::qk) * static_cast<std::uint64_t>(bits_per_code());
        StorageSize s = storage_of(static_cast<std::uint64_t>(b.numel), code_bits, nb * sizeof(B) * 8 - code_bits);
        s.padding = nb * static_cast<std::uint64_t>(T::qk) - static_cast<std::uint64_t>(b.numel);
        return s;
    }
    static constexpr std::int64_t kRunBlocks = 64;  // blocks per step of run() on the lazy path
    // Q4_0, Q4_1, Q5_0 (whole blocks): the bounds from every block's min and max (given, or a scan of the
    // tensor) and the lazy path; false, nothing kept, where a value or a block's scale is not finite.
    bool bounds_from_block_ranges(const Tensor& t, std::shared_ptr<const SliceRanges> given) {
        const std::int64_t nb = blocks_.count();
        const auto nbz = static_cast<std::size_t>(nb);
        const float* x = t.data();
        constexpr std::int64_t kChunk = 4096;  // blocks per task
        const std::int64_t nchunks = (nb + kChunk - 1) / kChunk;
        std::shared_ptr<const SliceRanges> r = std::move(given);
        if (!(r && r->all_finite && r->lo.size() == nbz && r->hi.size() == nbz)) {
            auto fresh = std::make_shared<SliceRanges>();
            fresh->lo.resize(nbz);
            fresh->hi.resize(nbz);
            bool finite = true;
#pragma omp parallel for schedule(static) reduction(&& : finite)
            for (std::int64_t c = 0; c < nchunks; ++c) {
                const std::int64_t b0 = c * kChunk, len = std::min(kChunk, nb - b0);
                finite = ggml::block_ranges_32(x + b0 * T::qk, len, fresh->lo.data() + b0, fresh->hi.data() + b0) && finite;
            }
            if (!finite) return false;
            fresh->all_finite = true;
            r = std::move(fresh);
        }
        float lo = kInf, hi = -kInf, err = 0.0f;
        bool ok = true;
#pragma omp parallel for schedule(static) reduction(min : lo) reduction(max : hi, err) reduction(&& : ok)
        for (std::int64_t c = 0; c < nchunks; ++c) {
            const std::int64_t b0 = c * kChunk, len = std::min(kChunk, nb - b0);
            float l = kInf, h = -kInf, e = 0.0f;
            ok = ggml::small_block_bounds(type_, x + b0 * T::qk, r->lo.data() + b0, r->hi.data() + b0, len, l, h, e) && ok;
            lo = std::min(lo, l);
            hi = std::max(hi, h);
            err = std::max(err, e);
        }
        if (!ok) return false;
        ranges_ = std::move(r);
        lazy_ = true;
        dq_lo_ = lo;
        dq_hi_ = hi;
        err_ = err;
        return true;
    }
    int bits_per_code() const {
        switch (T::ncodes) {
        case 256: return 8;
        case 64: return 6;
        case 32: return 5;
        default: return 4;
        }
    }
    // Block b quantized alone (as its row's quantize_row gives it) and its clipped count.
    void block_at(std::int64_t b, B& blk, std::uint32_t& clip) const {
        const std::int64_t s = blocks_.start(b), len = blocks_.length(b);
        const float* x = tensor_->data() + s;
        ggml::quantize_row(type_, x, len, reinterpret_cast<std::uint8_t*>(&blk));
        float y[T::qk], eb_lo[T::qk], eb_hi[T::qk];
        ggml::dequantize_block(blk, y);
        value_grid_edges(blk, len, eb_lo, eb_hi);
        float lo = kInf, hi = -kInf, err = 0.0f;
        clip = 0;
        kernels::block_stats_edges(x, y, len, eb_lo, eb_hi, lo, hi, err, clip);
    }
    // Every block, worked out on first use (in prepare() when the bounds are measured).
    const LargeVector<B>& packed() const {
        std::call_once(all_->once, [&] { quantize_all(nullptr, nullptr, nullptr); });
        return all_->packed;
    }
    // Quantizes every block into all_ with its clipped count; the bounds measured on the way go to lo_out,
    // hi_out, err_out where not null.
    void quantize_all(float* lo_out, float* hi_out, float* err_out) const {
        const Tensor& t = *tensor_;
        const std::int64_t nb = blocks_.count();
        LargeVector<B>& packed_blocks = all_->packed;
        LargeVector<std::uint32_t>& clip_counts = all_->clipped;
        packed_blocks.resize(static_cast<std::size_t>(nb));  // every block and its count is written below
        clip_counts.resize(static_cast<std::size_t>(nb));
        const float* x = t.data();
        // tasks: up to 64 blocks of one row (the vectorised quantizers take several blocks at once)
        constexpr std::int64_t kTask = 64;
        const std::int64_t per_row_tasks = (blocks_.per_row + kTask - 1) / kTask;
        const std::int64_t ntasks = blocks_.rows * per_row_tasks;
        float lo = kInf, hi = -kInf, err = 0.0f;
        const bool whole = blocks_.cols % T::qk == 0;  // every block full: statistics per task in one call
        constexpr int kSubs = T::qk / T::sub;
        static const auto layout = decode_layout<B>();
        // The formats quantized with their bounds in one go spend about as long per block as the values
        // take to come from memory: each thread takes one long run of tasks, which the prefetchers follow.
        // (Not the formats with a scale search, the K formats, IQ4_NL and IQ4_XS: they spend far longer per block
        // than that, and small grabs keep the threads evenly loaded.)
        const bool searched = type_ == DType::GGML_Q2_K || type_ == DType::GGML_Q3_K || type_ == DType::GGML_Q4_K ||
                              type_ == DType::GGML_Q5_K || type_ == DType::GGML_Q6_K || type_ == DType::GGML_IQ4_NL ||
                              type_ == DType::GGML_IQ4_XS;
        const bool streaming = whole && ggml::has_bounds_path(type_) && !searched;
        const int threads = omp_get_max_threads();
        const std::int64_t grab = streaming ? std::max<std::int64_t>(1, (ntasks + threads - 1) / threads) : 4;
#pragma omp parallel reduction(min : lo) reduction(max : hi, err)
        {
            std::vector<float> y(static_cast<std::size_t>(kTask * T::qk));
            std::vector<float> elo(static_cast<std::size_t>(kTask * kSubs)), ehi(elo.size());
            std::vector<std::uint32_t> subclip(elo.size());
#pragma omp for schedule(dynamic, grab)
            for (std::int64_t task = 0; task < ntasks; ++task) {
                const std::int64_t r = task / per_row_tasks, b0 = (task % per_row_tasks) * kTask;
                const std::int64_t b1 = std::min(blocks_.per_row, b0 + kTask);
                const std::int64_t first = r * blocks_.per_row + b0, nb_task = b1 - b0;
                const std::int64_t c0 = b0 * T::qk, count = std::min(blocks_.cols, b1 * T::qk) - c0;
                const float* xt = x + r * blocks_.cols + c0;
                if (whole) {
                    // the vector path quantizes and works out the bounds in one go where it can; the
                    // blocks it leaves are quantized, decoded again and measured
                    ggml::BlockBoundsArgs bb;
                    bb.clipped = &clip_counts[static_cast<std::size_t>(first)];
                    bb.lo = lo;
                    bb.hi = hi;
                    bb.err = err;
                    const std::int64_t fused =
                        ggml::quantize_blocks_with_bounds(type_, xt, nb_task, reinterpret_cast<std::uint8_t*>(&packed_blocks[static_cast<std::size_t>(first)]), bb);
                    lo = bb.lo;
                    hi = bb.hi;
                    err = bb.err;
                    if (fused == nb_task) continue;
                    const std::int64_t f0 = first + fused, nb_rest = nb_task - fused;
                    const float* xr = xt + fused * T::qk;
                    ggml::quantize_row(type_, xr, nb_rest * T::qk, reinterpret_cast<std::uint8_t*>(&packed_blocks[static_cast<std::size_t>(f0)]));
                    const bool decoded = layout ? kernels::ggml_decode_blocks(*layout, reinterpret_cast<const std::uint8_t*>(&packed_blocks[static_cast<std::size_t>(f0)]),
                                                                              nb_rest, y.data(), nullptr)
                                                : decode_k_blocks(&packed_blocks[static_cast<std::size_t>(f0)], nb_rest, y.data(), nullptr);
                    // the next task's values (the rest of this row or the next row) come in from memory
                    // while this task's bounds are worked out, two cache lines per 32 values
                    const std::int64_t next = r * blocks_.cols + c0 + count, stop = blocks_.numel;
                    for (std::int64_t k = 0; k < nb_rest; ++k) {
                        const B& blk = packed_blocks[static_cast<std::size_t>(f0 + k)];
                        for (std::int64_t l = next + k * T::qk; l < std::min(stop, next + (k + 1) * T::qk); l += 16) __builtin_prefetch(x + l);
                        if (!decoded) ggml::dequantize_block(blk, y.data() + k * T::qk);
                        for (int j = 0; j < kSubs; ++j)
                            grid_edges(blk, j, elo[static_cast<std::size_t>(k * kSubs + j)], ehi[static_cast<std::size_t>(k * kSubs + j)]);
                    }
                    kernels::group_stats(xr, y.data(), nb_rest * kSubs, T::sub, elo.data(), ehi.data(), lo, hi, err, subclip.data());
                    for (std::int64_t k = 0; k < nb_rest; ++k) {
                        std::uint32_t c = 0;
                        for (int j = 0; j < kSubs; ++j) c += subclip[static_cast<std::size_t>(k * kSubs + j)];
                        clip_counts[static_cast<std::size_t>(f0 + k)] = c;
                    }
                    continue;
                }
                ggml::quantize_row(type_, xt, count, reinterpret_cast<std::uint8_t*>(&packed_blocks[static_cast<std::size_t>(first)]));
                for (std::int64_t b = first; b < first + nb_task; ++b) {
                    const B& blk = packed_blocks[static_cast<std::size_t>(b)];
                    ggml::dequantize_block(blk, y.data());
                    const std::int64_t s = blocks_.start(b), len = blocks_.length(b);
                    std::uint32_t clip = 0;
                    float eb_lo[T::qk], eb_hi[T::qk];
                    value_grid_edges(blk, len, eb_lo, eb_hi);
                    kernels::block_stats_edges(x + s, y.data(), len, eb_lo, eb_hi, lo, hi, err, clip);
                    clip_counts[static_cast<std::size_t>(b)] = clip;
                }
            }
        }
        if (lo_out) *lo_out = lo;
        if (hi_out) *hi_out = hi;
        if (err_out) *err_out = err;
    }
    struct AllBlocks {
        std::once_flag once;
        LargeVector<B> packed;
        LargeVector<std::uint32_t> clipped;  // per block: finite values beyond its grid's reach
    };

    DType type_;
    const Tensor* tensor_ = nullptr;
    RowBlocks blocks_;
    bool lazy_ = false;
    std::unique_ptr<AllBlocks> all_;
    float dq_lo_ = kInf, dq_hi_ = -kInf, err_ = 0.0f;
    std::shared_ptr<const SliceRanges> ranges_;  // Q4_0, Q4_1, Q5_0: every block's min and max (see set_ggml_block_ranges)
    bool ranges_given_ = false;
};

// Scalar reference of a ggml format: quantize_row_ref per row, dequantize, codes.
template <class B>
std::vector<float> ggml_ref(const Tensor& t, DType type, std::vector<std::int8_t>* codes, QuantParams* params) {
    using T = Ggml<B>;
    const std::int64_t n = t.numel();
    const std::int64_t cols = std::max<std::int64_t>(last_dim(t.shape, n), 1);
    const std::int64_t rows = n == 0 ? 0 : n / cols;
    std::vector<float> y(static_cast<std::size_t>(n));
    if (codes) codes->assign(y.size(), 0);
    if (params) *params = QuantParams{};
    const std::int64_t per_row = (cols + T::qk - 1) / T::qk;
    std::vector<B> row(static_cast<std::size_t>(per_row));
    float tmp[T::qk];
    std::int8_t c[T::qk];
    for (std::int64_t r = 0; r < rows; ++r) {
        ggml::quantize_row_ref(type, t.data() + r * cols, cols, reinterpret_cast<std::uint8_t*>(row.data()));
        for (std::int64_t b = 0; b < per_row; ++b) {
            ggml::dequantize_block(row[static_cast<std::size_t>(b)], tmp);
            T::codes(row[static_cast<std::size_t>(b)], c);
            const std::int64_t len = std::min<std::int64_t>(T::qk, cols - b * T::qk);
            for (std::int64_t k = 0; k < len; ++k) {
                y[static_cast<std::size_t>(r * cols + b * T::qk + k)] = tmp[k];
                if (codes) (*codes)[static_cast<std::size_t>(r * cols + b * T::qk + k)] = c[k];
            }
            if (params)
                for (int j = 0; j < T::qk / T::sub; ++j)
                    params->scales.push_back(T::level(row[static_cast<std::size_t>(b)], j, T::qmin + 1) -
                                             T::level(row[static_cast<std::size_t>(b)], j, T::qmin));
        }
    }
    return y;
}

} // namespace

GgmlBlocksView ggml_blocks_view(const Quantizer& q) {
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ8_0>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ4_0>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ4_1>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ5_0>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ2_K>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ3_K>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ4_K>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ5_K>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ6_K>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockIQ4_XS>*>(&q)) return g->view();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockIQ4_NL>*>(&q)) return g->view();
    return {};
}

bool set_ggml_block_ranges(Quantizer& q, std::shared_ptr<const SliceRanges> ranges) {
    if (auto* g = dynamic_cast<GgmlQuantizer<ggml::BlockQ4_0>*>(&q)) g->set_block_ranges(std::move(ranges));
    else if (auto* g1 = dynamic_cast<GgmlQuantizer<ggml::BlockQ4_1>*>(&q)) g1->set_block_ranges(std::move(ranges));
    else if (auto* g5 = dynamic_cast<GgmlQuantizer<ggml::BlockQ5_0>*>(&q)) g5->set_block_ranges(std::move(ranges));
    else return false;
    return true;
}

std::shared_ptr<const SliceRanges> ggml_block_ranges(const Quantizer& q) {
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ4_0>*>(&q)) return g->block_ranges();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ4_1>*>(&q)) return g->block_ranges();
    if (auto* g = dynamic_cast<const GgmlQuantizer<ggml::BlockQ5_0>*>(&q)) return g->block_ranges();
    return nullptr;
}

bool set_nf4_block_absmax(Quantizer& q, std::shared_ptr<const LargeVector<float>> absmax) {
    auto* nf4 = dynamic_cast<Nf4Quantizer*>(&q);
    if (nf4) nf4->set_block_absmax(std::move(absmax));
    return nf4 != nullptr;
}

std::shared_ptr<const LargeVector<float>> nf4_block_absmax(const Quantizer& q) {
    auto* nf4 = dynamic_cast<const Nf4Quantizer*>(&q);
    return nf4 ? nf4->block_absmax() : nullptr;
}

int default_block_size(Format f) {
    switch (f) {
    case Format::NF4: case Format::NF4_DQ: return kNf4DefaultBlock;
    case Format::MXFP4: return kMxfp4Block;
    case Format::NVFP4: return kNvfp4Block;
    case Format::Q8_0: case Format::Q4_0: case Format::Q4_1: case Format::Q5_0: case Format::IQ4_NL: return 32;
    case Format::Q2_K: case Format::Q3_K: case Format::Q4_K: case Format::Q5_K: case Format::Q6_K: case Format::IQ4_XS: return 256;
    case Format::HQQ: return kHqqDefaultGroup;
    default: return 0;
    }
}

std::string validate_format(const QuantConfig& c, const std::vector<std::int64_t>& shape) {
    const std::string name(format_name(c.format));
    const int bs = c.block_size;
    switch (c.format) {
    case Format::Int:
        return {};
    case Format::HQQ:
        if (c.bits < 2 || c.bits > 8) return "bits must be 2..8, got " + std::to_string(c.bits);
        if (bs != 0 && (bs < 8 || bs > 4096 || bs % 8 != 0))
            return "hqq group size (block size) must be a multiple of 8 in 8..4096, got " + std::to_string(bs);
        return {};
    case Format::NF4: case Format::NF4_DQ:
        if (bs != 0 && (bs < 32 || bs > 4096 || (bs & (bs - 1)) != 0))
            return name + " block size must be a power of two in 32..4096, got " + std::to_string(bs);
        return {};
    case Format::MXFP4: case Format::NVFP4:
        if (bs != 0 && bs != default_block_size(c.format))
            return name + " uses blocks of " + std::to_string(default_block_size(c.format)) + " values, got block size " + std::to_string(bs);
        return {};
    case Format::FP8_E4M3: case Format::FP8_E5M2: case Format::FP4_E2M1:
        if (bs == 0 && c.granularity == Granularity::PerChannel) {
            const int rank = static_cast<int>(shape.size());
            if (c.axis < 0 || c.axis >= std::max(rank, 1))
                return "axis " + std::to_string(c.axis) + " out of range for a " + std::to_string(rank) + "-D tensor";
        }
        if (bs == 0 && c.granularity == Granularity::PerGroup && c.group_size < 1)
            return "group size must be at least 1, got " + std::to_string(c.group_size);
        return {};
    default:
        if (is_ggml(c.format) && bs != 0 && bs != default_block_size(c.format))
            return name + " uses blocks of " + std::to_string(default_block_size(c.format)) + " values, got block size " + std::to_string(bs);
        return {};
    }
}

std::unique_ptr<Quantizer> make_format_quantizer(const QuantConfig& c) {
    // shape-free rules here; the axis of per-channel scales is checked against the tensor by validate()
    QuantConfig shapeless = c;
    shapeless.granularity = c.granularity == Granularity::PerChannel ? Granularity::PerTensor : c.granularity;
    if (std::string why = validate_format(shapeless, {}); !why.empty()) throw std::invalid_argument(why);
    switch (c.format) {
    case Format::FP8_E4M3: case Format::FP8_E5M2: case Format::FP4_E2M1: return std::make_unique<MinifloatQuantizer>(c);
    case Format::MXFP4: case Format::NVFP4: return std::make_unique<BlockFp4Quantizer>(c);
    case Format::NF4: case Format::NF4_DQ: return std::make_unique<Nf4Quantizer>(c);
    case Format::Q8_0: return std::make_unique<GgmlQuantizer<ggml::BlockQ8_0>>(c);
    case Format::Q4_0: return std::make_unique<GgmlQuantizer<ggml::BlockQ4_0>>(c);
    case Format::Q4_1: return std::make_unique<GgmlQuantizer<ggml::BlockQ4_1>>(c);
    case Format::Q5_0: return std::make_unique<GgmlQuantizer<ggml::BlockQ5_0>>(c);
    case Format::Q2_K: return std::make_unique<GgmlQuantizer<ggml::BlockQ2_K>>(c);
    case Format::Q3_K: return std::make_unique<GgmlQuantizer<ggml::BlockQ3_K>>(c);
    case Format::Q4_K: return std::make_unique<GgmlQuantizer<ggml::BlockQ4_K>>(c);
    case Format::Q5_K: return std::make_unique<GgmlQuantizer<ggml::BlockQ5_K>>(c);
    case Format::Q6_K: return std::make_unique<GgmlQuantizer<ggml::BlockQ6_K>>(c);
    case Format::IQ4_XS: return std::make_unique<GgmlQuantizer<ggml::BlockIQ4_XS>>(c);
    case Format::IQ4_NL: return std::make_unique<GgmlQuantizer<ggml::BlockIQ4_NL>>(c);
    case Format::HQQ: return make_hqq_quantizer(c);
    default: break;
    }
    throw std::invalid_argument("format " + std::string(format_name(c.format)) + " has no format quantizer");
}

std::vector<QuantConfig> common_format_configs(const QuantConfig& int_config, const std::vector<Format>& formats) {
    std::vector<QuantConfig> out;
    for (Format f : formats.empty() ? all_formats() : formats) {
        if (f == Format::Int) {
            QuantConfig c = int_config;
            c.format = Format::Int;
            out.push_back(c);
            continue;
        }
        QuantConfig c;
        c.format = f;
        if (f == Format::HQQ) c.bits = 4;  // HQQ's common setting: INT4, groups of 64
        out.push_back(c);
    }
    return out;
}

std::vector<float> quantize_format_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                       QuantParams* params) {
    if (std::string why = validate(c, t.shape); !why.empty()) throw std::invalid_argument(why);
    switch (c.format) {
    case Format::FP8_E4M3: case Format::FP8_E5M2: return quantize_fp8_ref(t, fp4_e2m1_slices(c), codes, params);
    case Format::FP4_E2M1: return quantize_fp4_e2m1_ref(t, c, codes, params);
    case Format::MXFP4: return quantize_mxfp4_ref(t, codes, params);
    case Format::NVFP4: return quantize_nvfp4_ref(t, codes, params);
    case Format::NF4: return quantize_nf4_ref(t, c.block_size > 0 ? c.block_size : kNf4DefaultBlock, codes, params);
    case Format::NF4_DQ: return quantize_nf4_dq_ref(t, c.block_size > 0 ? c.block_size : kNf4DefaultBlock, codes, params);
    case Format::Q8_0: return ggml_ref<ggml::BlockQ8_0>(t, DType::GGML_Q8_0, codes, params);
    case Format::Q4_0: return ggml_ref<ggml::BlockQ4_0>(t, DType::GGML_Q4_0, codes, params);
    case Format::Q4_1: return ggml_ref<ggml::BlockQ4_1>(t, DType::GGML_Q4_1, codes, params);
    case Format::Q5_0: return ggml_ref<ggml::BlockQ5_0>(t, DType::GGML_Q5_0, codes, params);
    case Format::Q2_K: return ggml_ref<ggml::BlockQ2_K>(t, DType::GGML_Q2_K, codes, params);
    case Format::Q3_K: return ggml_ref<ggml::BlockQ3_K>(t, DType::GGML_Q3_K, codes, params);
    case Format::Q4_K: return ggml_ref<ggml::BlockQ4_K>(t, DType::GGML_Q4_K, codes, params);
    case Format::Q5_K: return ggml_ref<ggml::BlockQ5_K>(t, DType::GGML_Q5_K, codes, params);
    case Format::Q6_K: return ggml_ref<ggml::BlockQ6_K>(t, DType::GGML_Q6_K, codes, params);
    case Format::IQ4_XS: return ggml_ref<ggml::BlockIQ4_XS>(t, DType::GGML_IQ4_XS, codes, params);
    case Format::IQ4_NL: return ggml_ref<ggml::BlockIQ4_NL>(t, DType::GGML_IQ4_NL, codes, params);
    case Format::HQQ: {  // the solver is its own reference (core/hqq.h; tests/core/test_hqq.cpp checks it independently)
        const std::int64_t group = c.block_size > 0 ? c.block_size : kHqqDefaultGroup;
        const HqqSolution sol = hqq_solve(t.data(), t.numel(), c.bits, group);
        std::vector<float> y(static_cast<std::size_t>(t.numel()));
        std::vector<std::int8_t> cd(y.size());
        hqq_apply(sol, t.data(), 0, t.numel(), y.data(), cd.data(), nullptr);
        if (codes) *codes = std::move(cd);
        if (params) *params = QuantParams{sol.scale, {}, sol.zero16};
        return y;
    }
    default: break;
    }
    throw std::invalid_argument("quantize_format_ref: format " + std::string(format_name(c.format)) + " is not a format quantizer's");
}

} // namespace ql
