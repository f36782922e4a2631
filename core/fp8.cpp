// FP8 scalar reference (see fp8.h).
#include "core/fp8.h"

#include <cmath>
#include <stdexcept>

#include "core/int_quantizer.h"

namespace ql {

const MiniFloat& fp8_format(Format f) {
    if (f == Format::FP8_E4M3) return kE4M3;
    if (f == Format::FP8_E5M2) return kE5M2;
    throw std::invalid_argument("not an FP8 format: " + std::string(format_name(f)));
}

float minifloat_slice_scale(float amax, const MiniFloat& fmt) {
    return amax > 0.0f ? amax / fmt.max : 1.0f;
}

// One minifloat slice format over a tensor: scale per slice, q = round(x / scale), y = q * scale.
std::vector<float> quantize_minifloat_slices_ref(const Tensor& t, const QuantConfig& slices, const MiniFloat& fmt,
                                                 std::vector<std::int8_t>* codes, QuantParams* params) {
    const SliceLayout L = SliceLayout::make(slices, t.shape);
    std::vector<float> amax(static_cast<std::size_t>(L.slices), 0.0f);
    for (std::int64_t i = 0; i < L.numel; ++i) {
        const float v = t.values[static_cast<std::size_t>(i)];
        if (!std::isfinite(v)) continue;
        auto& a = amax[static_cast<std::size_t>(L.slice_of(i))];
        a = std::fabs(v) > a ? std::fabs(v) : a;
    }
    std::vector<float> scale(amax.size());
    for (std::size_t s = 0; s < amax.size(); ++s) scale[s] = minifloat_slice_scale(amax[s], fmt);
    std::vector<float> y(static_cast<std::size_t>(L.numel));
    if (codes) codes->assign(y.size(), 0);
    for (std::int64_t i = 0; i < L.numel; ++i) {
        const float sc = scale[static_cast<std::size_t>(L.slice_of(i))];
        bool clipped = false;
        float q = minifloat_round(t.values[static_cast<std::size_t>(i)] / sc, fmt, clipped);
        if (q != q && !minifloat_has_nan(fmt)) q = 0.0f;
        y[static_cast<std::size_t>(i)] = q * sc;
        if (codes)
            (*codes)[static_cast<std::size_t>(i)] =
                static_cast<std::int8_t>(q != q ? minifloat_nan_code(fmt) : minifloat_encode(q, fmt));
    }
    if (params) {
        params->scales = scale;
        params->zero_points.clear();
    }
    return y;
}

std::vector<float> quantize_fp8_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                    QuantParams* params) {
    if (std::string why = validate(c, t.shape); !why.empty()) throw std::invalid_argument(why);
    return quantize_minifloat_slices_ref(t, c, fp8_format(c.format), codes, params);
}

} // namespace ql
