// Integer quantizer: slice layout, PyTorch observer parameters per slice, the fused fake-quant pass,
// and the scalar reference it is tested against.
#include "core/int_quantizer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <omp.h>

#include "core/half.h"
#include "core/range_setting.h"
#include "core/simd_kernels.h"

namespace ql {

ScaleType resolved_scale_type(const QuantConfig& c) {
    if (c.scale_type != ScaleType::Auto) return c.scale_type;
    return c.granularity == Granularity::PerGroup ? ScaleType::F16 : ScaleType::F32;
}

SliceLayout SliceLayout::make(const QuantConfig& c, const std::vector<std::int64_t>& shape) {
    SliceLayout L;
    L.granularity = c.granularity;
    const std::int64_t n = numel_of(shape);
    L.numel = n;
    switch (c.granularity) {
    case Granularity::PerTensor:
        L.slices = 1;
        break;
    case Granularity::PerChannel: {
        if (shape.empty()) { L.channels = 1; L.inner = 1; L.slices = 1; break; }
        const int axis = c.axis;
        L.channels = shape[static_cast<std::size_t>(axis)];
        L.inner = 1;
        for (std::size_t k = static_cast<std::size_t>(axis) + 1; k < shape.size(); ++k) L.inner *= shape[k];
        L.slices = L.channels;
        break;
    }
    case Granularity::PerGroup: {
        L.cols = shape.empty() ? 1 : shape.back();
        L.group_size = c.group_size;
        L.groups_per_row = L.cols == 0 ? 0 : (L.cols + L.group_size - 1) / L.group_size;
        const std::int64_t rows = L.cols == 0 ? 0 : n / L.cols;
        L.slices = rows * L.groups_per_row;
        break;
    }
    }
    return L;
}

std::int64_t SliceLayout::slice_of(std::int64_t i) const {
    switch (granularity) {
    case Granularity::PerTensor: return 0;
    case Granularity::PerChannel: return (i / inner) % channels;
    case Granularity::PerGroup: return (i / cols) * groups_per_row + (i % cols) / group_size;
    }
    return 0;
}

std::int64_t SliceLayout::run_length(std::int64_t i) const {
    switch (granularity) {
    case Granularity::PerTensor: return numel - i;
    case Granularity::PerChannel: return inner - i % inner;
    case Granularity::PerGroup: {
        const std::int64_t col = i % cols;
        const std::int64_t group_end = std::min(cols, (col / group_size + 1) * group_size);
        return group_end - col;
    }
    }
    return 1;
}

IntParams int_slice_params(float lo, float hi, int bits, bool symmetric, ScaleType scale_type) {
    IntParams p = int_params(lo, hi, bits, symmetric);
    if (scale_type == ScaleType::F16) {
        // The stored scale is fp16: round it, keep it positive and finite, and recompute what depends on it.
        float s = round_to_half(p.scale);
        if (!(s > 0.0f)) s = half_to_float(0x0001);        // smallest positive fp16 (2^-24)
        if (!std::isfinite(s)) s = half_to_float(0x7BFF);  // largest finite fp16 (65504)
        p.scale = s;
        p.inv_scale = 1.0f / s;
        if (!symmetric) {
            const IntRange r = int_code_range(bits, false);
            const float min_neg = lo < 0.0f ? lo : 0.0f;
            float zf = static_cast<float>(r.qmin) - ql_rint(min_neg / s);
            zf = std::min(std::max(zf, static_cast<float>(r.qmin)), static_cast<float>(r.qmax));
            p.zero_point = static_cast<std::int32_t>(zf);
        }
    }
    return p;
}

// ---------------------------------------------------------------------------------------------
// Scalar reference: straightforward loops over slices, nothing clever.
std::vector<float> quantize_int_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                    QuantParams* params) {
    if (std::string why = validate(c, t.shape); !why.empty()) throw std::invalid_argument(why);
    const SliceLayout L = SliceLayout::make(c, t.shape);
    const bool sym = c.scheme == Scheme::Symmetric;
    const IntRange r = int_code_range(c.bits, sym);
    std::vector<float> lo(static_cast<std::size_t>(L.slices), std::numeric_limits<float>::infinity());
    std::vector<float> hi(static_cast<std::size_t>(L.slices), -std::numeric_limits<float>::infinity());
    for (std::int64_t i = 0; i < L.numel; ++i) {
        const float v = t.values[static_cast<std::size_t>(i)];
        if (!std::isfinite(v)) continue;
        const auto s = static_cast<std::size_t>(L.slice_of(i));
        lo[s] = std::min(lo[s], v);
        hi[s] = std::max(hi[s], v);
    }
    if (c.range != RangeMethod::MinMax && c.granularity == Granularity::PerTensor) {
        const ClipChoice cc = choose_clip_range(t, c);  // core/range_setting.h
        lo[0] = cc.lo;
        hi[0] = cc.hi;
    }
    std::vector<IntParams> p(static_cast<std::size_t>(L.slices));
    for (std::size_t s = 0; s < p.size(); ++s) {
        if (!(lo[s] <= hi[s])) lo[s] = hi[s] = 0.0f;  // no finite value
        p[s] = int_slice_params(lo[s], hi[s], c.bits, sym, resolved_scale_type(c));
    }
    std::vector<float> dq(static_cast<std::size_t>(L.numel));
    if (codes) codes->assign(static_cast<std::size_t>(L.numel), 0);
    for (std::int64_t i = 0; i < L.numel; ++i) {
        const IntParams& ps = p[static_cast<std::size_t>(L.slice_of(i))];
        const int q = int_quantize(t.values[static_cast<std::size_t>(i)], ps, r);
        dq[static_cast<std::size_t>(i)] = int_dequantize(q, ps);
        if (codes) (*codes)[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(q);
    }
    if (params) {
        params->scales.clear();
        params->zero_points.clear();
        for (auto& ps : p) {
            params->scales.push_back(ps.scale);
            if (!sym) params->zero_points.push_back(ps.zero_point);
        }
    }
    return dq;
}

// ---------------------------------------------------------------------------------------------
IntQuantizer::IntQuantizer(QuantConfig c) : Quantizer(std::move(c)) {
    if (config_.bits < 2 || config_.bits > 8)
        throw std::invalid_argument("bits must be 2..8, got " + std::to_string(config_.bits));
    range_ = int_code_range(config_.bits, config_.scheme == Scheme::Symmetric);
}

bool IntQuantizer::prepare(const Tensor& t, const ProgressFn& progress) {
    if (std::string why = validate(config_, t.shape); !why.empty()) throw std::invalid_argument(why);
    tensor_ = &t;
    layout_ = SliceLayout::make(config_, t.shape);
    if (!clip_ && config_.range != RangeMethod::MinMax && config_.granularity == Granularity::PerTensor) {
        const ClipChoice cc = choose_clip_range(t, config_);  // core/range_setting.h
        clip_ = std::make_pair(cc.lo, cc.hi);
    }
    const SliceLayout& L = layout_;
    const bool sym = config_.scheme == Scheme::Symmetric;
    const ScaleType st = resolved_scale_type(config_);
    const float* x = t.data();
    const auto S = static_cast<std::size_t>(L.slices);
    const bool reuse = ranges_given_ && L.granularity != Granularity::PerTensor && ranges_ && ranges_->lo.size() == S &&
                       ranges_->hi.size() == S;
    ranges_given_ = false;
    auto fresh = std::make_shared<SliceRanges>();
    std::vector<float>& lo = fresh->lo;  // the scan's results; unused when reusing
    std::vector<float>& hi = fresh->hi;
    if (!reuse) {
        lo.assign(S, std::numeric_limits<float>::infinity());
        hi.assign(S, -std::numeric_limits<float>::infinity());
    }

    if (reuse) {
        // the ranges of an earlier scan of this tensor with this slicing
    } else if (clip_ && L.granularity == Granularity::PerTensor) {
        lo[0] = clip_->first;
        hi[0] = clip_->second;
    } else if (L.granularity == Granularity::PerTensor && known_range_) {
        lo[0] = known_range_->first;
        hi[0] = known_range_->second;
    } else if (L.granularity == Granularity::PerTensor) {
        const std::int64_t n = L.numel;
        const std::int64_t chunk = 1 << 16;
        const std::int64_t nchunks = (n + chunk - 1) / chunk;
        float glo = lo[0], ghi = hi[0];
#pragma omp parallel
        {
            float tlo = std::numeric_limits<float>::infinity(), thi = -tlo;
#pragma omp for schedule(static) nowait
            for (std::int64_t c = 0; c < nchunks; ++c) {
                float a, b;
                const std::int64_t b0 = c * chunk;
                if (simd::minmax_finite(x + b0, std::min(chunk, n - b0), a, b)) {
                    tlo = std::min(tlo, a);
                    thi = std::max(thi, b);
                }
            }
#pragma omp critical
            {
                glo = std::min(glo, tlo);
                ghi = std::max(ghi, thi);
            }
        }
        lo[0] = glo;
        hi[0] = ghi;
    } else if (L.granularity == Granularity::PerGroup) {
        const std::int64_t rows = L.cols == 0 ? 0 : L.numel / L.cols;
#pragma omp parallel for schedule(static)
        for (std::int64_t r = 0; r < rows; ++r) {
            for (std::int64_t g = 0; g < L.groups_per_row; ++g) {
                const std::int64_t b0 = r * L.cols + g * L.group_size;
                const std::int64_t len = std::min(L.group_size, L.cols - g * L.group_size);
                const auto s = static_cast<std::size_t>(r * L.groups_per_row + g);
                float a, b;
                if (simd::minmax_finite(x + b0, len, a, b)) {
                    lo[s] = a;
                    hi[s] = b;
                }
            }
        }
    } else {  // PerChannel: segments of `inner` contiguous values belong to channel (seg % channels)
        const std::int64_t segs = L.inner == 0 ? 0 : L.numel / L.inner;
        const int nt = omp_get_max_threads();
        std::vector<std::vector<float>> tlo(static_cast<std::size_t>(nt)), thi(static_cast<std::size_t>(nt));
#pragma omp parallel
        {
            const auto tid = static_cast<std::size_t>(omp_get_thread_num());
            auto& a_lo = tlo[tid];
            auto& a_hi = thi[tid];
            a_lo.assign(S, std::numeric_limits<float>::infinity());
            a_hi.assign(S, -std::numeric_limits<float>::infinity());
            if (L.inner == 1) {
                // channel = i % channels: scan row-blocks of `channels` values
                const std::int64_t blocks = L.numel / L.channels;
#pragma omp for schedule(static)
                for (std::int64_t b = 0; b < blocks; ++b) {
                    const float* xb = x + b * L.channels;
                    for (std::int64_t ch = 0; ch < L.channels; ++ch) {
                        const float v = xb[ch];
                        if (!std::isfinite(v)) continue;
                        const auto s = static_cast<std::size_t>(ch);
                        a_lo[s] = v < a_lo[s] ? v : a_lo[s];
                        a_hi[s] = v > a_hi[s] ? v : a_hi[s];
                    }
                }
            } else {
#pragma omp for schedule(static)
                for (std::int64_t seg = 0; seg < segs; ++seg) {
                    const auto s = static_cast<std::size_t>(seg % L.channels);
                    float a, b;
                    if (simd::minmax_finite(x + seg * L.inner, L.inner, a, b)) {
                        a_lo[s] = std::min(a_lo[s], a);
                        a_hi[s] = std::max(a_hi[s], b);
                    }
                }
            }
        }
        for (std::size_t k = 0; k < tlo.size(); ++k) {
            if (tlo[k].empty()) continue;
            for (std::size_t s = 0; s < S; ++s) {
                lo[s] = std::min(lo[s], tlo[k][s]);
                hi[s] = std::max(hi[s], thi[k][s]);
            }
        }
    }
    if (L.granularity == Granularity::PerTensor) ranges_.reset();
    else if (!reuse) ranges_ = fresh;
    const std::vector<float>& rlo = reuse ? ranges_->lo : lo;
    const std::vector<float>& rhi = reuse ? ranges_->hi : hi;
    params_.resize(S);
    // one parameter set per slice, independent of the others: vectorised, on every thread (131072
    // groups of 128 in a 4096 x 4096 tensor)
    const auto nslices = static_cast<std::int64_t>(S);
    constexpr std::int64_t kBlock = 4096;
#pragma omp parallel for schedule(static) if (nslices > kBlock)
    for (std::int64_t b = 0; b < nslices; b += kBlock) {
        const auto k = static_cast<std::size_t>(b);
        simd::int_slice_params(rlo.data() + k, rhi.data() + k, std::min(kBlock, nslices - b), config_.bits, sym,
                               st == ScaleType::F16, params_.data() + k);
    }
    vec_scale_.clear();
    vec_inv_.clear();
    vec_zp_.clear();
    if (L.granularity == Granularity::PerChannel && L.inner == 1) {
        for (const auto& p : params_) {
            vec_scale_.push_back(p.scale);
            vec_inv_.push_back(p.inv_scale);
            vec_zp_.push_back(static_cast<float>(p.zero_point));
        }
    }
    return report_progress(progress, 1, 1);
}

void IntQuantizer::run(std::int64_t begin, std::int64_t end, float* dq, std::int8_t* codes,
                       std::uint64_t* clipped) const {
    const float* x = tensor_->data();
    const SliceLayout& L = layout_;
    std::uint64_t clip = 0;
    if (L.granularity == Granularity::PerChannel && L.inner == 1 && L.channels > 1) {
        // Parameters change every element: per-element parameter arrays (built in prepare()).
        const float* sc = vec_scale_.data();
        const float* inv = vec_inv_.data();
        const float* zp = vec_zp_.data();
        std::int64_t i = begin;
        while (i < end) {
            const std::int64_t ch0 = i % L.channels;
            const std::int64_t len = std::min(end - i, L.channels - ch0);
            clip += simd::int_fake_quant_vec(x + i, len, sc + ch0, inv + ch0, zp + ch0,
                                             range_.qmin, range_.qmax, dq + (i - begin),
                                             codes ? codes + (i - begin) : nullptr);
            i += len;
        }
    } else {
        std::int64_t i = begin;
        while (i < end) {
            const std::int64_t len = std::min(end - i, L.run_length(i));
            const IntParams& p = params_[static_cast<std::size_t>(L.slice_of(i))];
            clip += simd::int_fake_quant(x + i, len, p.scale, p.inv_scale, p.zero_point, range_.qmin, range_.qmax,
                                         dq + (i - begin), codes ? codes + (i - begin) : nullptr);
            i += len;
        }
    }
    if (clipped) *clipped += clip;
}

namespace {

// codes of `bits` bits, and a scale (plus a zero point when asymmetric) per slice of the layout
StorageSize int_storage(const QuantConfig& c, const SliceLayout& layout) {
    const auto n = static_cast<std::uint64_t>(layout.numel);
    const std::uint64_t scale_bits = resolved_scale_type(c) == ScaleType::F16 ? 16 : 32;
    const std::uint64_t zp_bits = c.scheme == Scheme::Asymmetric ? static_cast<std::uint64_t>(c.bits) : 0;
    return storage_of(n, n * static_cast<std::uint64_t>(c.bits), static_cast<std::uint64_t>(layout.slices) * (scale_bits + zp_bits));
}

} // namespace

StorageSize IntQuantizer::storage() const { return int_storage(config_, layout_); }

StorageSize IntQuantizer::storage_for(const std::vector<std::int64_t>& shape) const {
    return int_storage(config_, SliceLayout::make(config_, shape));
}

std::vector<float> IntQuantizer::levels_at(std::int64_t i) const {
    std::vector<float> v;
    if (params_.empty()) return v;
    const std::int64_t idx = std::clamp<std::int64_t>(i, 0, std::max<std::int64_t>(layout_.numel - 1, 0));
    const IntParams& p = params_[static_cast<std::size_t>(layout_.numel ? layout_.slice_of(idx) : 0)];
    for (int q = range_.qmin; q <= range_.qmax; ++q) v.push_back(int_dequantize(q, p));
    return v;
}

// dq = (q - z) * s over q in [qmin, qmax]; an unclipped value is within half a step of its level.
std::optional<OutputBounds> IntQuantizer::output_bounds() const {
    if (params_.empty()) return std::nullopt;
    // The finite values each slice's parameters serve: values beyond its lowest or highest level are
    // clipped, with errors above half a step (a clip range chosen per tensor; an fp16 scale rounded
    // down, which moves the top level below the slice's maximum).
    const bool by_slice = ranges_ && ranges_->lo.size() == params_.size() && ranges_->hi.size() == params_.size();
    if (!by_slice && params_.size() == 1 && clip_ && !known_range_) return std::nullopt;  // the data's reach is unknown
    OutputBounds b{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), 0.0f};
    if (by_slice) {  // the same arithmetic as the loop below, vectorised (tested against it), on every thread
        const auto nslices = static_cast<std::int64_t>(params_.size());
        constexpr std::int64_t kBlock = 8192;
        const std::int64_t nblocks = (nslices + kBlock - 1) / kBlock;
        std::vector<OutputBounds> part(static_cast<std::size_t>(nblocks), b);
#pragma omp parallel for schedule(static) if (nblocks > 1)
        for (std::int64_t k = 0; k < nblocks; ++k) {
            OutputBounds& o = part[static_cast<std::size_t>(k)];
            const std::int64_t s = k * kBlock;
            simd::int_output_bounds(params_.data() + s, ranges_->lo.data() + s, ranges_->hi.data() + s, std::min(kBlock, nslices - s),
                                    range_.qmin, range_.qmax, o.dq_lo, o.dq_hi, o.err_abs);
        }
        for (const OutputBounds& o : part) {  // min and max: exact in any order
            b.dq_lo = std::min(b.dq_lo, o.dq_lo);
            b.dq_hi = std::max(b.dq_hi, o.dq_hi);
            b.err_abs = std::max(b.err_abs, o.err_abs);
        }
        return b;
    }
    for (std::size_t s = 0; s < params_.size(); ++s) {
        const IntParams& p = params_[s];
        const float lo = int_dequantize(range_.qmin, p), hi = int_dequantize(range_.qmax, p);
        b.dq_lo = std::min(b.dq_lo, lo);
        b.dq_hi = std::max(b.dq_hi, hi);
        float reach_lo = lo, reach_hi = hi;  // the slice's finite values
        if (by_slice) {
            reach_lo = ranges_->lo[s];
            reach_hi = ranges_->hi[s];
        } else if (params_.size() == 1 && known_range_) {
            reach_lo = known_range_->first;
            reach_hi = known_range_->second;
        }
        float clip = 0.0f;
        if (reach_lo <= reach_hi) clip = std::max({clip, reach_hi - hi, lo - reach_lo});
        // half a step (or the clipped distance), plus the float rounding of x * (1/s), of (q - z) * s and
        // of dq - x (a few ulps of the largest magnitude involved)
        const float mag = std::max({std::fabs(lo), std::fabs(hi), reach_lo <= reach_hi ? std::max(std::fabs(reach_lo), std::fabs(reach_hi)) : 0.0f});
        const float ulps = mag * 0x1p-21f;
        b.err_abs = std::max(b.err_abs, std::max(p.scale * 0.5f * (1.0f + 0x1p-20f), clip) + ulps);
    }
    return b;
}

QuantParams IntQuantizer::params() const {
    QuantParams qp;
    for (const auto& p : params_) {
        qp.scales.push_back(p.scale);
        if (config_.scheme == Scheme::Asymmetric) qp.zero_points.push_back(p.zero_point);
    }
    return qp;
}

} // namespace ql
