// FP4 E2M1, MXFP4 and NVFP4 scalar references (see fp4.h).
#include "core/fp4.h"

#include <cmath>
#include <stdexcept>

namespace ql {

std::vector<float> quantize_minifloat_slices_ref(const Tensor& t, const QuantConfig& slices, const MiniFloat& fmt,
                                                 std::vector<std::int8_t>* codes, QuantParams* params);  // fp8.cpp

QuantConfig fp4_e2m1_slices(const QuantConfig& c) {
    QuantConfig s = c;
    if (c.block_size > 0) {
        s.granularity = Granularity::PerGroup;
        s.group_size = c.block_size;
    }
    return s;
}

std::vector<float> quantize_fp4_e2m1_ref(const Tensor& t, const QuantConfig& c, std::vector<std::int8_t>* codes,
                                         QuantParams* params) {
    if (std::string why = validate(c, t.shape); !why.empty()) throw std::invalid_argument(why);
    return quantize_minifloat_slices_ref(t, fp4_e2m1_slices(c), kE2M1, codes, params);
}

float nvfp4_tensor_scale(float amax) { return amax > 0.0f ? amax / (6.0f * 448.0f) : 1.0f; }

float nvfp4_block_scale(float block_amax, float s2) {
    float raw = block_amax / (6.0f * s2);
    const float smallest = 0x1p-9f;  // smallest E4M3 subnormal
    raw = raw > smallest ? raw : smallest;
    bool clipped = false;
    return minifloat_round(raw, kE4M3, clipped);
}

namespace {

// Calls f(row_begin, len) for every block of `block` values along the rows of t.
template <class F>
void for_each_row_block(const Tensor& t, int block, F f) {
    const std::int64_t n = t.numel();
    const std::int64_t cols = t.shape.empty() ? 1 : t.shape.back();
    if (n == 0 || cols == 0) return;
    for (std::int64_t r = 0; r < n / cols; ++r)
        for (std::int64_t c = 0; c < cols; c += block) f(r * cols + c, std::min<std::int64_t>(block, cols - c));
}

float finite_absmax(const float* x, std::int64_t n) {
    float a = 0.0f;
    for (std::int64_t k = 0; k < n; ++k)
        if (std::isfinite(x[k]) && std::fabs(x[k]) > a) a = std::fabs(x[k]);
    return a;
}

// y = E2M1(x / s) * s for one block; codes get the 4-bit code.
void e2m1_block(const float* x, std::int64_t n, float s, float* y, std::int8_t* codes) {
    for (std::int64_t k = 0; k < n; ++k) {
        bool clipped = false;
        float q = minifloat_round(x[k] / s, kE2M1, clipped);
        if (q != q) q = 0.0f;  // E2M1 has no NaN: a NaN input is stored as +0
        y[k] = q * s;
        if (codes) codes[k] = static_cast<std::int8_t>(minifloat_encode(q, kE2M1));
    }
}

} // namespace

std::vector<float> quantize_mxfp4_ref(const Tensor& t, std::vector<std::int8_t>* codes, QuantParams* params) {
    std::vector<float> y(static_cast<std::size_t>(t.numel()));
    if (codes) codes->assign(y.size(), 0);
    if (params) *params = QuantParams{};
    for_each_row_block(t, kMxfp4Block, [&](std::int64_t b, std::int64_t len) {
        const float X = e8m0_value(mx_shared_exponent(finite_absmax(t.data() + b, len)));
        e2m1_block(t.data() + b, len, X, y.data() + b, codes ? codes->data() + b : nullptr);
        if (params) params->scales.push_back(X);
    });
    return y;
}

std::vector<float> quantize_nvfp4_ref(const Tensor& t, std::vector<std::int8_t>* codes, QuantParams* params) {
    std::vector<float> y(static_cast<std::size_t>(t.numel()));
    if (codes) codes->assign(y.size(), 0);
    if (params) *params = QuantParams{};
    const float s2 = nvfp4_tensor_scale(finite_absmax(t.data(), t.numel()));
    for_each_row_block(t, kNvfp4Block, [&](std::int64_t b, std::int64_t len) {
        const float s = nvfp4_block_scale(finite_absmax(t.data() + b, len), s2);
        const float denom = s * s2;
        e2m1_block(t.data() + b, len, denom, y.data() + b, codes ? codes->data() + b : nullptr);
        if (params) params->scales.push_back(denom);
    });
    return y;
}

} // namespace ql
