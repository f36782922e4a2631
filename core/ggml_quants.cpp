// ggml's reference quantizers, scalar (see ggml_quants.h). Each function follows the reference's float32
// expression order; comments give the formula, the code keeps the order.
#include "core/cpu_features.h"
#include "core/ggml_quants.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "core/ggml_quants_detail.h"
#include "core/half.h"

namespace ql::ggml {


namespace {

constexpr float kGroupMaxEps = 1e-15f;  // GROUP_MAX_EPS: below this absmax a group is "all zero"

inline std::uint16_t to_half(float v) { return float_to_half(v); }
inline float from_half(std::uint16_t h) { return half_to_float(h); }

// ggml's MIN/MAX macros: (a) < (b) ? (a) : (b) and (a) > (b) ? (a) : (b).
template <class T>
inline T gmin(T a, T b) { return a < b ? a : b; }
template <class T>
inline T gmax(T a, T b) { return a > b ? a : b; }

// C roundf (half away from zero), inline and vectorisable: trunc, then one step away from zero when the
// dropped fraction is at least one half (v - trunc(v) is exact).
inline float round_half_away(float v) {
    const float t = std::trunc(v);
    const float step = std::fabs(v - t) >= 0.5f ? 1.0f : 0.0f;  // a select, not a branch
    return t + std::copysign(step, v);
}

// The first of x[0, n) with the largest magnitude, as the reference searches it (strictly greater, so
// ties keep the first; NaN never wins); amax gets that magnitude. 0 and 0 when every value is 0.
inline float first_largest(const float* x, int n, float& amax) {
    float max = 0;
    amax = 0;
    for (int i = 0; i < n; ++i) {
        const float ax = std::fabs(x[i]);
        if (ax > amax) {
            amax = ax;
            max = x[i];
        }
    }
    return max;
}

// Index of the codebook entry nearest to x in the ascending 16-entry table val: the upper of two
// neighbours once 2x reaches their sum (ggml 0.5's best_index_int8; x + x and the integer sum are exact).
inline int best_index_int8(const std::int8_t* val, float x) {
    const float x2 = x + x;
    int idx = 0;
    for (int step = 8; step > 0; step >>= 1) {
        const int j = idx + step;
        idx = (x2 >= static_cast<float>(val[j - 1] + val[j])) ? j : idx;
    }
    return idx;
}

constexpr std::int8_t kIq4nlValues[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

// make_qx_quants(n, nmax, x, L, rmse_type = 1, qw = NULL): symmetric scale with the weighted
// least-squares refinement over 18 trial scales; weights w = x^2. Returns the scale, L = l + nmax.
float make_qx_quants_rmse1(int n, int nmax, const float* x, std::int8_t* L) {
    float amax = 0;
    const float max = first_largest(x, n, amax);
    if (amax < kGroupMaxEps) {
        for (int i = 0; i < n; ++i) L[i] = 0;
        return 0.0f;
    }
    float iscale = static_cast<float>(-nmax) / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        int l = nearest_int(iscale * x[i]);
        l = gmax(-nmax, gmin(nmax - 1, l));
        L[i] = static_cast<std::int8_t>(l + nmax);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * static_cast<float>(l);
        suml2 += w * static_cast<float>(l) * static_cast<float>(l);
    }
    float scale = suml2 != 0.0f ? sumlx / suml2 : 0.0f;
    float best = scale * sumlx;
    for (int is = -9; is <= 9; ++is) {
        if (is == 0) continue;
        iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(is)) / max;
        sumlx = suml2 = 0;
        for (int i = 0; i < n; ++i) {
            int l = nearest_int(iscale * x[i]);
            l = gmax(-nmax, gmin(nmax - 1, l));
            const float w = x[i] * x[i];
            sumlx += w * x[i] * static_cast<float>(l);
            suml2 += w * static_cast<float>(l) * static_cast<float>(l);
        }
        if (suml2 > 0 && sumlx * sumlx > best * suml2) {
            for (int i = 0; i < n; ++i) {
                const int l = nearest_int(iscale * x[i]);
                L[i] = static_cast<std::int8_t>(nmax + gmax(-nmax, gmin(nmax - 1, l)));
            }
            scale = sumlx / suml2;
            best = scale * sumlx;
        }
    }
    return scale;
}

// make_q3_quants(n, nmax, x, L, do_rmse = true): symmetric codes -nmax..nmax-1 from the value of largest
// magnitude (iscale = -nmax / max), then up to 5 passes that move single codes while sum(w x l)^2 / sum(w l^2)
// (w = x^2) grows. Returns sum(w x l) / sum(w l^2); L = code + nmax.
float make_q3_quants(int n, int nmax, const float* x, std::int8_t* L) {
    float amax = 0;
    const float max = first_largest(x, n, amax);
    if (amax < kGroupMaxEps) {
        for (int i = 0; i < n; ++i) L[i] = 0;
        return 0.f;
    }
    const float iscale = static_cast<float>(-nmax) / max;
    float sumlx = 0, suml2 = 0;
    for (int i = 0; i < n; ++i) {
        const int l = gmax(-nmax, gmin(nmax - 1, nearest_int(iscale * x[i])));
        L[i] = static_cast<std::int8_t>(l);
        const float w = x[i] * x[i];
        sumlx += w * x[i] * static_cast<float>(l);
        suml2 += w * static_cast<float>(l) * static_cast<float>(l);
    }
    for (int itry = 0; itry < 5; ++itry) {
        int n_changed = 0;
        for (int i = 0; i < n; ++i) {
            const float w = x[i] * x[i];
            float slx = sumlx - w * x[i] * static_cast<float>(L[i]);
            if (slx > 0) {
                float sl2 = suml2 - w * static_cast<float>(L[i]) * static_cast<float>(L[i]);
                const int new_l = gmax(-nmax, gmin(nmax - 1, nearest_int(x[i] * sl2 / slx)));
                if (new_l != L[i]) {
                    slx += w * x[i] * static_cast<float>(new_l);
                    sl2 += w * static_cast<float>(new_l) * static_cast<float>(new_l);
                    if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                        L[i] = static_cast<std::int8_t>(new_l);
                        sumlx = slx;
                        suml2 = sl2;
                        ++n_changed;
                    }
                }
            }
        }
        if (!n_changed) break;
    }
    for (int i = 0; i < n; ++i) L[i] = static_cast<std::int8_t>(L[i] + nmax);
    return sumlx / suml2;
}

// make_qkx2_quants(n, nmax, x, weights, L, &the_min, Laux, rmin, rdelta, nstep, use_mad = false):
// asymmetric x ~ scale * l + min (min <= 0), starting from the min-max fit and trying nstep + 1 scales
// (rmin + rdelta * is + nmax) / (max - min), each solved by weighted least squares for scale and min;
// keeps the one with the smallest weighted squared error (use_mad: absolute error, as Q2_K asks). Returns
// scale; the_min = -min.
float make_qkx2_quants(int n, int nmax, const float* x, const float* weights, std::uint8_t* L, float* the_min,
                       std::uint8_t* Laux, float rmin, float rdelta, int nstep, bool use_mad = false) {
    float min = x[0], max = x[0];
    float sum_w = weights[0];
    float sum_x = sum_w * x[0];
    for (int i = 1; i < n; ++i) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
        const float w = weights[i];
        sum_w += w;
        sum_x += w * x[i];
    }
    if (min > 0) min = 0;
    if (max == min) {
        for (int i = 0; i < n; ++i) L[i] = 0;
        *the_min = -min;
        return 0.0f;
    }
    float iscale = static_cast<float>(nmax) / (max - min);
    float scale = 1 / iscale;
    float best_error = 0;
    for (int i = 0; i < n; ++i) {
        const int l = nearest_int(iscale * (x[i] - min));
        L[i] = static_cast<std::uint8_t>(gmax(0, gmin(nmax, l)));
        float diff = scale * static_cast<float>(L[i]) + min - x[i];
        diff = use_mad ? std::fabs(diff) : diff * diff;
        best_error += weights[i] * diff;
    }
    if (nstep < 1) {
        *the_min = -min;
        return scale;
    }
    for (int is = 0; is <= nstep; ++is) {
        iscale = (rmin + rdelta * static_cast<float>(is) + static_cast<float>(nmax)) / (max - min);
        float sum_l = 0, sum_l2 = 0, sum_xl = 0;
        for (int i = 0; i < n; ++i) {
            int l = nearest_int(iscale * (x[i] - min));
            l = gmax(0, gmin(nmax, l));
            Laux[i] = static_cast<std::uint8_t>(l);
            const float w = weights[i];
            const float fl = static_cast<float>(l);
            sum_l += w * fl;
            sum_l2 += w * fl * fl;
            sum_xl += w * fl * x[i];
        }
        const float D = sum_w * sum_l2 - sum_l * sum_l;
        if (D > 0) {
            float this_scale = (sum_w * sum_xl - sum_x * sum_l) / D;
            float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D;
            if (this_min > 0) {
                this_min = 0;
                this_scale = sum_xl / sum_l2;
            }
            float cur_error = 0;
            for (int i = 0; i < n; ++i) {
                float diff = this_scale * static_cast<float>(Laux[i]) + this_min - x[i];
                diff = use_mad ? std::fabs(diff) : diff * diff;
                cur_error += weights[i] * diff;
            }
            if (cur_error < best_error) {
                for (int i = 0; i < n; ++i) L[i] = Laux[i];
                best_error = cur_error;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    *the_min = -min;
    return scale;
}

} // namespace

// Q4_0: d = m / -8 where m is the value of largest magnitude; q = min(15, trunc(x / d + 8.5)).
void quantize_block_ref(const float* x, BlockQ4_0& y) {
    constexpr int qk = kQK4_0;
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < qk; ++j) {
        const float v = x[j];
        if (amax < std::fabs(v)) {
            amax = std::fabs(v);
            max = v;
        }
    }
    const float d = max / -8;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y.d = to_half(d);
    for (int j = 0; j < qk / 2; ++j) {
        const float x0 = x[j] * id;
        const float x1 = x[qk / 2 + j] * id;
        const int xi0 = gmin(15, static_cast<int>(x0 + 8.5f));
        const int xi1 = gmin(15, static_cast<int>(x1 + 8.5f));
        y.qs[j] = static_cast<std::uint8_t>(xi0 | (xi1 << 4));
    }
}

// Q4_1: d = (max - min) / 15, m = min; q = min(15, trunc((x - min) / d + 0.5)).
void quantize_block_ref(const float* x, BlockQ4_1& y) {
    constexpr int qk = kQK4_1;
    float min = std::numeric_limits<float>::max(), max = -std::numeric_limits<float>::max();  // FLT_MAX
    for (int j = 0; j < qk; ++j) {
        const float v = x[j];
        if (v < min) min = v;
        if (v > max) max = v;
    }
    const float d = (max - min) / ((1 << 4) - 1);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y.d = to_half(d);
    y.m = to_half(min);
    for (int j = 0; j < qk / 2; ++j) {
        const float x0 = (x[j] - min) * id;
        const float x1 = (x[qk / 2 + j] - min) * id;
        const int xi0 = gmin(15, static_cast<int>(x0 + 0.5f));
        const int xi1 = gmin(15, static_cast<int>(x1 + 0.5f));
        y.qs[j] = static_cast<std::uint8_t>(xi0 | (xi1 << 4));
    }
}

// Q5_0: d = m / -16; q = min(31, trunc(x / d + 16.5)); 4 low bits in qs, the 5th in qh.
void quantize_block_ref(const float* x, BlockQ5_0& y) {
    constexpr int qk = kQK5_0;
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < qk; ++j) {
        const float v = x[j];
        if (amax < std::fabs(v)) {
            amax = std::fabs(v);
            max = v;
        }
    }
    const float d = max / -16;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y.d = to_half(d);
    std::uint32_t qh = 0;
    for (int j = 0; j < qk / 2; ++j) {
        const float x0 = x[j] * id;
        const float x1 = x[qk / 2 + j] * id;
        const int xi0 = gmin(31, static_cast<int>(x0 + 16.5f));
        const int xi1 = gmin(31, static_cast<int>(x1 + 16.5f));
        y.qs[j] = static_cast<std::uint8_t>((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
        qh |= ((static_cast<std::uint32_t>(xi0) & 0x10u) >> 4) << j;
        qh |= ((static_cast<std::uint32_t>(xi1) & 0x10u) >> 4) << (j + qk / 2);
    }
    for (int k = 0; k < 4; ++k) y.qh[k] = static_cast<std::uint8_t>(qh >> (8 * k));
}

// Q8_0: d = absmax / 127; q = roundf(x / d) (half away from zero).
void quantize_block_ref(const float* x, BlockQ8_0& y) {
    float amax = 0.0f;
    for (int j = 0; j < kQK8_0; ++j) amax = gmax(amax, std::fabs(x[j]));
    const float d = amax / ((1 << 7) - 1);
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y.d = to_half(d);
    for (int j = 0; j < kQK8_0; ++j) y.qs[j] = static_cast<std::int8_t>(static_cast<int>(round_half_away(x[j] * id)));
}

// Q4_K: per sub-block of 32, make_qkx2_quants with weights av_x + |x| (av_x = rms of the sub-block)
// gives scale and min; they are stored as 6-bit multiples of d = max scale / 63 and dmin = max min / 63
// (fp16), and every value is requantized with the stored ones: q = clamp(nearest_int((x + dm) / d), 0, 15).
namespace {

// The sub-block search Q4_K and Q5_K share: per 32 values, weights av_x + |x| (av_x = the sub-block's rms)
// and make_qkx2_quants with the format's top code, rmin and steps.
void k_sub_block_search(const float* x, int nmax, float rmin, int nstep, std::uint8_t* L, float* scales, float* mins) {
    std::uint8_t Laux[32];
    float weights[32];
    for (int j = 0; j < kQK_K / 32; ++j) {
        float sum_x2 = 0;
        for (int l = 0; l < 32; ++l) sum_x2 += x[32 * j + l] * x[32 * j + l];
        const float av_x = std::sqrt(sum_x2 / 32);
        for (int l = 0; l < 32; ++l) weights[l] = av_x + std::fabs(x[32 * j + l]);
        scales[j] = make_qkx2_quants(32, nmax, x + 32 * j, weights, L + 32 * j, &mins[j], Laux, rmin, 0.1f, nstep);
    }
}

} // namespace

void quantize_block_ref(const float* x, BlockQ4_K& y) {
    std::uint8_t L[kQK_K];
    float mins[kQK_K / 32], scales[kQK_K / 32];
    k_sub_block_search(x, 15, -1.f, 20, L, scales, mins);
    detail::finish_q4_k(x, scales, mins, L, y);
}

// Q2_K's and Q3_K's low 2 bits: per 128 values, byte l holds values l, l + 32, l + 64, l + 96 (bits 0-1 .. 6-7).
template <class T>
void pack_2bit(const T* L, std::uint8_t* qs) {
    for (int j = 0; j < kQK_K; j += 128)
        for (int l = 0; l < 32; ++l)
            qs[j / 4 + l] = static_cast<std::uint8_t>(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
}

// Q3_K: per sub-block of 16, make_q3_quants(nmax 4) gives a signed scale; the scales are stored as 6-bit
// multiples (+32) of d = -max_scale / 32 (fp16) and every value requantized: q = clamp(nearest_int(x / (d sc)),
// -4, 3) + 4, its 3rd bit in hmask. 3.4375 bits per weight.
void quantize_block_ref(const float* x, BlockQ3_K& y) {
    std::int8_t L[kQK_K];
    float scales[kQK_K / 16];
    for (int j = 0; j < kQK_K / 16; ++j) scales[j] = make_q3_quants(16, 4, x + 16 * j, L + 16 * j);
    detail::finish_q3_k(x, scales, L, y);
}

// Q2_K: per sub-block of 16, make_qkx2_quants(nmax 3, weights |x|, rmin -0.5, 15 steps, absolute error)
// gives scale and min; both are stored as 4-bit multiples of d = max scale / 15 and dmin = max min / 15
// (fp16), and every value is requantized: q = clamp(nearest_int((x + dm) / d), 0, 3). 2.625 bits per weight.
void quantize_block_ref(const float* x, BlockQ2_K& y) {
    std::uint8_t L[kQK_K];
    std::uint8_t Laux[16];
    float weights[16];
    float mins[kQK_K / 16];
    float scales[kQK_K / 16];
    for (int j = 0; j < kQK_K / 16; ++j) {
        for (int l = 0; l < 16; ++l) weights[l] = std::fabs(x[16 * j + l]);
        scales[j] = make_qkx2_quants(16, 3, x + 16 * j, weights, L + 16 * j, &mins[j], Laux, -0.5f, 0.1f, 15, true);
    }
    detail::finish_q2_k(x, scales, mins, L, y);
}

namespace detail {

// The part of quantize_row_q3_K_ref after the sub-block search (L holds the search's codes, 0..7).
void finish_q3_k(const float* x, const float* scales, std::int8_t* L, BlockQ3_K& y) {
    float d[kQK_K / 16];
    q3_k_scales(scales, y, d);
    for (int j = 0; j < kQK_K / 16; ++j) {
        if (d[j] == 0.0f) continue;  // the search's codes stay
        for (int ii = 0; ii < 16; ++ii) {
            const int l = gmax(-4, gmin(3, nearest_int(x[16 * j + ii] / d[j])));
            L[16 * j + ii] = static_cast<std::int8_t>(l + 4);
        }
    }
    q3_k_pack(L, y);
}

// The scales of quantize_row_q3_K_ref: the one of largest magnitude (the first) sets d = 1 / (-32 / max);
// each is stored as clamp(nearest_int(-32 / max * scale), -32, 31) + 32 in 6 bits (low 4 in scales[0..7],
// high 2 in scales[8..11]). d[j] = fp16 d times the stored scale - 32, as the requantization uses it.
void q3_k_scales(const float* scales, BlockQ3_K& y, float* d) {
    float amax = 0;
    const float max_scale = first_largest(scales, kQK_K / 16, amax);
    std::memset(y.scales, 0, sizeof y.scales);
    if (max_scale != 0.0f) {
        const float iscale = -32.f / max_scale;
        for (int j = 0; j < kQK_K / 16; ++j) {
            int l = gmax(-32, gmin(31, static_cast<int>(static_cast<std::int8_t>(nearest_int(iscale * scales[j]))))) + 32;
            if (j < 8) y.scales[j] = static_cast<std::uint8_t>(l & 0xF);
            else y.scales[j - 8] = static_cast<std::uint8_t>(y.scales[j - 8] | ((l & 0xF) << 4));
            l >>= 4;
            y.scales[j % 4 + 8] = static_cast<std::uint8_t>(y.scales[j % 4 + 8] | (l << (2 * (j / 4))));
        }
        y.d = to_half(1 / iscale);
    } else {
        y.d = to_half(0.f);
    }
    for (int j = 0; j < kQK_K / 16; ++j) d[j] = from_half(y.d) * static_cast<float>(q3k_scale(y.scales, j));
}

// Q3_K's codes L (0..7): the 3rd bit of value j in bit j / 32 of hmask[j % 32], the low 2 bits packed.
void q3_k_pack(std::int8_t* L, BlockQ3_K& y) {
    std::memset(y.hmask, 0, sizeof y.hmask);
    int m = 0;
    std::uint8_t hm = 1;
    for (int j = 0; j < kQK_K; ++j) {
        if (L[j] > 3) {
            y.hmask[m] = static_cast<std::uint8_t>(y.hmask[m] | hm);
            L[j] = static_cast<std::int8_t>(L[j] - 4);
        }
        if (++m == kQK_K / 8) {
            m = 0;
            hm = static_cast<std::uint8_t>(hm << 1);
        }
    }
    pack_2bit(L, y.qs);
}

// The part of quantize_row_q2_K_ref after the sub-block search (L holds the search's codes).
void finish_q2_k(const float* x, const float* scales, const float* mins, std::uint8_t* L, BlockQ2_K& y) {
    float d[kQK_K / 16], dm[kQK_K / 16];
    q2_k_scales(scales, mins, y, d, dm);
    for (int j = 0; j < kQK_K / 16; ++j) {
        if (d[j] == 0.0f) continue;  // the search's codes stay
        for (int ii = 0; ii < 16; ++ii) {
            const int l = nearest_int((x[16 * j + ii] + dm[j]) / d[j]);
            L[16 * j + ii] = static_cast<std::uint8_t>(gmax(0, gmin(3, l)));
        }
    }
    pack_2bit(L, y.qs);
}

// Q2_K's scales and minimums as quantize_row_q2_K_ref stores them: each a 4-bit multiple (nearest_int) of
// d = max scale / 15 and dmin = max min / 15 (fp16; 0 where the largest is not positive), the scale in the
// low and the minimum in the high nibble of scales[j]. d[j], dm[j]: the requantization's fp16 d times the
// stored scale and fp16 dmin times the stored minimum.
void q2_k_scales(const float* scales, const float* mins, BlockQ2_K& y, float* d, float* dm) {
    constexpr float q4scale = 15.f;
    float max_scale = 0, max_min = 0;
    for (int j = 0; j < kQK_K / 16; ++j) {
        if (scales[j] > max_scale) max_scale = scales[j];
        if (mins[j] > max_min) max_min = mins[j];
    }
    if (max_scale > 0) {
        const float iscale = q4scale / max_scale;
        for (int j = 0; j < kQK_K / 16; ++j) y.scales[j] = static_cast<std::uint8_t>(nearest_int(iscale * scales[j]));
        y.d = to_half(max_scale / q4scale);
    } else {
        for (int j = 0; j < kQK_K / 16; ++j) y.scales[j] = 0;
        y.d = to_half(0.f);
    }
    if (max_min > 0) {
        const float iscale = q4scale / max_min;
        for (int j = 0; j < kQK_K / 16; ++j)
            y.scales[j] = static_cast<std::uint8_t>(y.scales[j] | (nearest_int(iscale * mins[j]) << 4));
        y.dmin = to_half(max_min / q4scale);
    } else {
        y.dmin = to_half(0.f);
    }
    for (int j = 0; j < kQK_K / 16; ++j) {
        d[j] = from_half(y.d) * static_cast<float>(y.scales[j] & 0xF);
        dm[j] = from_half(y.dmin) * static_cast<float>(y.scales[j] >> 4);
    }
}

} // namespace detail

// Q5_K: Q4_K's scheme with 5-bit codes: make_qkx2_quants(nmax 31, rmin -0.5, 15 steps), the same 6-bit
// scales and mins, q = clamp(nearest_int((x + dm) / d), 0, 31), the 5th bits in qh.
void quantize_block_ref(const float* x, BlockQ5_K& y) {
    std::uint8_t L[kQK_K];
    float mins[kQK_K / 32], scales[kQK_K / 32];
    k_sub_block_search(x, 31, -0.5f, 15, L, scales, mins);
    detail::finish_q5_k(x, scales, mins, L, y);
}

namespace detail {

namespace {

// Q4_K's and Q5_K's shared scale step: 6-bit multiples of d = max scale / 63 and dmin = max min / 63.
template <class B>
void k_scales_mins(const float* scales, const float* mins, B& y, float* d, float* dm) {
    float max_scale = 0, max_min = 0;
    for (int j = 0; j < kQK_K / 32; ++j) {
        if (scales[j] > max_scale) max_scale = scales[j];
        if (mins[j] > max_min) max_min = mins[j];
    }
    const float inv_scale = max_scale > 0 ? 63.f / max_scale : 0.f;
    const float inv_min = max_min > 0 ? 63.f / max_min : 0.f;
    for (int j = 0; j < kQK_K / 32; ++j) {
        std::uint8_t ls = static_cast<std::uint8_t>(nearest_int(inv_scale * scales[j]));
        std::uint8_t lm = static_cast<std::uint8_t>(nearest_int(inv_min * mins[j]));
        ls = gmin<std::uint8_t>(63, ls);
        lm = gmin<std::uint8_t>(63, lm);
        if (j < 4) {
            y.scales[j] = ls;
            y.scales[j + 4] = lm;
        } else {
            y.scales[j + 4] = static_cast<std::uint8_t>((ls & 0xF) | ((lm & 0xF) << 4));
            y.scales[j - 4] = static_cast<std::uint8_t>(y.scales[j - 4] | ((ls >> 4) << 6));
            y.scales[j] = static_cast<std::uint8_t>(y.scales[j] | ((lm >> 4) << 6));
        }
    }
    y.d = to_half(max_scale / 63.f);
    y.dmin = to_half(max_min / 63.f);
    for (int j = 0; j < kQK_K / 32; ++j) {
        std::uint8_t sc, m;
        scale_min_k4(j, y.scales, sc, m);
        d[j] = from_half(y.d) * static_cast<float>(sc);
        dm[j] = from_half(y.dmin) * static_cast<float>(m);
    }
}

// Requantization with the stored scales and mins: q = clamp(nearest_int((x + dm) / d), 0, nmax).
void k_requantize(const float* x, const float* d, const float* dm, int nmax, std::uint8_t* L) {
    for (int j = 0; j < kQK_K / 32; ++j) {
        if (d[j] == 0.0f) continue;
        for (int ii = 0; ii < 32; ++ii) {
            const int l = nearest_int((x[32 * j + ii] + dm[j]) / d[j]);
            L[32 * j + ii] = static_cast<std::uint8_t>(gmax(0, gmin(nmax, l)));
        }
    }
}

} // namespace

void finish_q5_k(const float* x, const float* scales, const float* mins, std::uint8_t* L, BlockQ5_K& y) {
    float d[kQK_K / 32], dm[kQK_K / 32];
    q5_k_scales(scales, mins, y, d, dm);
    k_requantize(x, d, dm, 31, L);
    q5_k_pack(L, y);
}

void q5_k_scales(const float* scales, const float* mins, BlockQ5_K& y, float* d, float* dm) { k_scales_mins(scales, mins, y, d, dm); }

// Per 64 values: the low 4 bits of values l and l + 32 in the nibbles of qs[l], their 5th bits at bits
// 2p and 2p + 1 of qh[l] (p: the pair of sub-blocks, 0..3).
void q5_k_pack(const std::uint8_t* L, BlockQ5_K& y) {
    std::uint8_t* ql = y.qs;
    std::memset(y.qh, 0, sizeof y.qh);
    std::uint8_t m1 = 1, m2 = 2;
    for (int n = 0; n < kQK_K; n += 64) {
        for (int j = 0; j < 32; ++j) {
            int l1 = L[n + j], l2 = L[n + j + 32];
            if (l1 > 15) {
                l1 -= 16;
                y.qh[j] = static_cast<std::uint8_t>(y.qh[j] | m1);
            }
            if (l2 > 15) {
                l2 -= 16;
                y.qh[j] = static_cast<std::uint8_t>(y.qh[j] | m2);
            }
            ql[j] = static_cast<std::uint8_t>(l1 | (l2 << 4));
        }
        m1 = static_cast<std::uint8_t>(m1 << 2);
        m2 = static_cast<std::uint8_t>(m2 << 2);
        ql += 32;
    }
}

// The part of quantize_row_q4_K_ref after the sub-block search: 6-bit scales and mins, fp16 d and dmin,
// requantization with the stored values, packing.
void finish_q4_k(const float* x, const float* scales, const float* mins, std::uint8_t* L, BlockQ4_K& y) {
    float d[kQK_K / 32], dm[kQK_K / 32];
    q4_k_scales(scales, mins, y, d, dm);
    k_requantize(x, d, dm, 15, L);
    q4_k_pack(L, y);
}

void q4_k_scales(const float* scales, const float* mins, BlockQ4_K& y, float* d, float* dm) { k_scales_mins(scales, mins, y, d, dm); }

void q4_k_pack(const std::uint8_t* L, BlockQ4_K& y) {
    std::uint8_t* q = y.qs;
    for (int j = 0; j < kQK_K; j += 64) {
        for (int l = 0; l < 32; ++l) q[l] = static_cast<std::uint8_t>(L[j + l] | (L[j + l + 32] << 4));
        q += 32;
    }
}

} // namespace detail

// Q6_K: per sub-block of 16, make_qx_quants(nmax 32, weights x^2) gives a signed scale; scales are stored
// as int8 multiples of d = -max_scale / 128 (fp16) and values requantized: q = clamp(nearest_int(x / (d sc)), -32, 31).
void quantize_block_ref(const float* x, BlockQ6_K& y) {
    std::int8_t L[kQK_K];
    float scales[kQK_K / 16];
    for (int ib = 0; ib < kQK_K / 16; ++ib) scales[ib] = make_qx_quants_rmse1(16, 32, x + 16 * ib, L + 16 * ib);
    detail::finish_q6_k(x, scales, L, y);
}

namespace detail {

// The part of quantize_row_q6_K_ref after the sub-block scales: int8 scales, fp16 d, requantization, packing.
void finish_q6_k(const float* x, const float* scales, std::int8_t* L, BlockQ6_K& y) {
    float d[kQK_K / 16];
    if (!q6_k_scales(scales, y, d)) return;
    for (int j = 0; j < kQK_K / 16; ++j) {
        if (d[j] == 0.0f) continue;
        for (int ii = 0; ii < 16; ++ii) {
            int l = nearest_int(x[16 * j + ii] / d[j]);
            l = gmax(-32, gmin(31, l));
            L[16 * j + ii] = static_cast<std::int8_t>(l + 32);
        }
    }
    q6_k_pack(L, y);
}

bool q6_k_scales(const float* scales, BlockQ6_K& y, float* d) {
    float max_scale = 0, max_abs_scale = 0;
    for (int ib = 0; ib < kQK_K / 16; ++ib) {
        const float scale = scales[ib];
        const float abs_scale = std::fabs(scale);
        if (abs_scale > max_abs_scale) {
            max_abs_scale = abs_scale;
            max_scale = scale;
        }
    }
    if (max_abs_scale < kGroupMaxEps) {
        std::memset(&y, 0, sizeof y);
        y.d = to_half(0.f);
        return false;
    }
    const float iscale = -128.f / max_scale;
    y.d = to_half(1 / iscale);
    for (int ib = 0; ib < kQK_K / 16; ++ib) y.scales[ib] = static_cast<std::int8_t>(gmin(127, nearest_int(iscale * scales[ib])));
    for (int j = 0; j < kQK_K / 16; ++j) d[j] = from_half(y.d) * static_cast<float>(y.scales[j]);
    return true;
}

void q6_k_pack(const std::int8_t* L, BlockQ6_K& y) {
    std::uint8_t* ql = y.ql;
    std::uint8_t* qh = y.qh;
    for (int j = 0; j < kQK_K; j += 128) {
        for (int l = 0; l < 32; ++l) {
            const int q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF, q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
            ql[l] = static_cast<std::uint8_t>(q1 | (q3 << 4));
            ql[l + 32] = static_cast<std::uint8_t>(q2 | (q4 << 4));
            qh[l] = static_cast<std::uint8_t>((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) |
                                              ((L[j + l + 96] >> 4) << 6));
        }
        ql += 64;
        qh += 32;
    }
}

} // namespace detail

// The scale search of quantize_row_iq4_nl_impl for one block of 32 (ntry 7, no importance matrix), which
// IQ4_NL and IQ4_XS share: weights x^2; start from d = max / 127 and its weighted least-squares refinement,
// then try id = (t - 127) / max for t = -7..7, keeping the scale with the largest sumqx^2 / sumq2. 0 for a
// block below GROUP_MAX_EPS.
namespace {
float iq4_block_scale(const float* x) {
    constexpr int n = 32;
    constexpr int ntry = 7;
    const std::int8_t* values = kIq4nlValues;
    float weight[n];
    for (int j = 0; j < n; ++j) weight[j] = x[j] * x[j];
    float amax = 0;
    const float max = first_largest(x, n, amax);
    if (amax < kGroupMaxEps) return 0.f;
    float d = -max / static_cast<float>(values[0]);
    float id = 1 / d;
    float sumqx = 0, sumq2 = 0;
    for (int j = 0; j < n; ++j) {
        const float al = id * x[j];
        const int l = best_index_int8(values, al);
        const float q = static_cast<float>(values[l]);
        const float w = weight[j];
        sumqx += w * q * x[j];
        sumq2 += w * q * q;
    }
    d = sumq2 > 0 ? sumqx / sumq2 : 0.f;
    float best = d * sumqx;
    for (int itry = -ntry; itry <= ntry; ++itry) {
        id = static_cast<float>(itry + values[0]) / max;
        sumqx = sumq2 = 0;
        for (int j = 0; j < n; ++j) {
            const float al = id * x[j];
            const int l = best_index_int8(values, al);
            const float q = static_cast<float>(values[l]);
            const float w = weight[j];
            sumqx += w * q * x[j];
            sumq2 += w * q * q;
        }
        if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
            d = sumqx / sumq2;
            best = d * sumqx;
        }
    }
    return d;
}
} // namespace

// IQ4_NL (quantize_iq4_nl: quantize_row_iq4_nl_impl with super-block = block = 32): the block's searched
// scale in fp16, each code picked with the unrounded scale.
void quantize_block_ref(const float* x, BlockIQ4_NL& y) { detail::finish_iq4_nl(x, iq4_block_scale(x), y); }

// IQ4_XS (quantize_iq4_xs: quantize_row_iq4_nl_impl with super-block 256, block 32): each block of 32's
// searched scale, then d = -(the scale of largest magnitude) / 32 in fp16 and each scale as
// clamp(nearest_int(scale / d), -32, 31) + 32 in 6 bits; the codes picked with the unrounded d times that.
// 4.25 bits per weight.
void quantize_block_ref(const float* x, BlockIQ4_XS& y) {
    float scales[kQK_K / 32];
    for (int ib = 0; ib < kQK_K / 32; ++ib) scales[ib] = iq4_block_scale(x + 32 * ib);
    detail::finish_iq4_xs(x, scales, y);
}

namespace detail {

// The end of quantize_row_iq4_nl_impl for one block: fp16 d, every code chosen with the unrounded scale.
void finish_iq4_nl(const float* x, float scale, BlockIQ4_NL& y) {
    std::uint8_t L[kQK4_NL];
    const float id = iq4_nl_scale(scale, y);
    for (int j = 0; j < kQK4_NL; ++j) L[j] = static_cast<std::uint8_t>(best_index_int8(kIq4nlValues, id * x[j]));
    for (int j = 0; j < 16; ++j) y.qs[j] = static_cast<std::uint8_t>(L[j] | (L[16 + j] << 4));
}

// The end of quantize_row_iq4_nl_impl for an IQ4_XS super-block (scales: the 8 blocks' searched scales).
void finish_iq4_xs(const float* x, const float* scales, BlockIQ4_XS& y) {
    float idl[kQK_K / 32];
    iq4_xs_scales(scales, y, idl);
    for (int ib = 0; ib < kQK_K / 32; ++ib) {
        std::uint8_t L[32];
        for (int j = 0; j < 32; ++j) L[j] = static_cast<std::uint8_t>(best_index_int8(kIq4nlValues, idl[ib] * x[32 * ib + j]));
        for (int j = 0; j < 16; ++j) y.qs[16 * ib + j] = static_cast<std::uint8_t>(L[j] | (L[16 + j] << 4));
    }
}

// IQ4_XS's scales: d = -(the scale of largest magnitude, the first such) / 32 in fp16 (-0 when every block
// is below GROUP_MAX_EPS, stored as such); block ib's l = clamp(nearest_int(scale / d), -32, 31), stored as
// l + 32 (the low 4 bits in nibble ib % 2 of scales_l[ib / 2], the high 2 at bits 2 ib of scales_h); the
// codes are picked with idl[ib] = 1 / (d l) from the unrounded d (0 where d l is 0).
void iq4_xs_scales(const float* scales, BlockIQ4_XS& y, float* idl) {
    float amax_scale = 0;
    const float max_scale = first_largest(scales, kQK_K / 32, amax_scale);
    const float d = -max_scale / 32;
    y.d = to_half(d);
    const float id = d != 0.0f ? 1 / d : 0.f;
    y.scales_h = 0;
    for (int ib = 0; ib < kQK_K / 32; ++ib) {
        const int l = gmax(-32, gmin(31, nearest_int(id * scales[ib])));
        const float dl = d * static_cast<float>(l);
        idl[ib] = dl != 0.0f ? 1 / dl : 0.f;
        const int ls = l + 32;
        if (ib % 2 == 0) y.scales_l[ib / 2] = static_cast<std::uint8_t>(ls & 0xF);
        else y.scales_l[ib / 2] = static_cast<std::uint8_t>(y.scales_l[ib / 2] | ((ls & 0xF) << 4));
        y.scales_h = static_cast<std::uint16_t>(y.scales_h | ((ls >> 4) << (2 * ib)));
    }
}

float iq4_nl_scale(float scale, BlockIQ4_NL& y) {
    y.d = to_half(scale);
    return scale != 0.0f ? 1 / scale : 0;
}

} // namespace detail

bool can_quantize(DType type) {
    switch (type) {
    case DType::GGML_Q8_0: case DType::GGML_Q4_0: case DType::GGML_Q4_1: case DType::GGML_Q5_0:
    case DType::GGML_Q2_K: case DType::GGML_Q3_K: case DType::GGML_Q4_K: case DType::GGML_Q5_K: case DType::GGML_Q6_K: case DType::GGML_IQ4_NL:
    case DType::GGML_IQ4_XS:
        return true;
    default:
        return false;
    }
}

namespace {

// The block's values with the partial-block and non-finite rules applied. Returns true when they had
// to be copied (into buf); otherwise x can be used in place.
template <int QK>
const float* block_input(const float* x, std::int64_t avail, float* buf) {
    bool clean = avail >= QK;
    if (clean)
        for (int j = 0; j < QK; ++j)
            if (!std::isfinite(x[j])) { clean = false; break; }
    if (clean) return x;
    const std::int64_t m = std::min<std::int64_t>(avail, QK);
    for (std::int64_t j = 0; j < m; ++j) buf[j] = std::isfinite(x[j]) ? x[j] : 0.0f;
    for (std::int64_t j = m; j < QK; ++j) buf[j] = 0.0f;
    return buf;
}

template <class Block, int QK>
void quantize_blocks_scalar(const float* x, std::int64_t count, std::uint8_t* out, std::int64_t first_block) {
    const std::int64_t nb = (count + QK - 1) / QK;
    float buf[QK];
    Block b;
    for (std::int64_t i = first_block; i < nb; ++i) {
        const float* xb = block_input<QK>(x + i * QK, count - i * QK, buf);
        quantize_block_ref(xb, b);
        std::memcpy(out + i * static_cast<std::int64_t>(sizeof(Block)), &b, sizeof(Block));
    }
}

// The leading blocks that are whole and finite can go to a vectorised path directly from x.
// (A value is non-finite when its exponent bits are all ones; the test runs on the bits a block at a
// time so that it vectorises.)
std::int64_t clean_prefix_blocks(const float* x, std::int64_t count, int qk) {
    const std::int64_t whole = count / qk;
    for (std::int64_t b = 0; b < whole; ++b) {
        std::uint32_t bad = 0;
        for (int j = 0; j < qk; ++j) {
            std::uint32_t u;
            std::memcpy(&u, x + b * qk + j, sizeof u);
            bad |= static_cast<std::uint32_t>((u & 0x7f800000u) == 0x7f800000u);
        }
        if (bad) return b;
    }
    return whole;
}

bool use_avx512() {
    static const bool ok = detail::ggml_quants_avx512_compiled() && ql::cpu_has_avx512();
    return ok;
}

using Avx512Path = std::nullptr_t;

// Values of the padded tail: one whole step of every vector path (Q3_K, Q4_K, Q5_K, IQ4_XS: four
// super-blocks; IQ4_NL: 32 blocks of 32; the others less).
constexpr std::int64_t kTailValues = 1024;

// The blocks from `done` on, when they hold at most kTailValues values (the whole blocks a vector path
// leaves, fewer than one of its steps, and a partial last block), quantized by `path` from a copy that
// block_input's rules make of them (non-finite values 0, the partial block padded with zeros), itself
// padded with zeros to a whole number of steps: the reference's bytes, since each block's search is
// its own. Returns the blocks done (0 when more are left or the path declines).
template <class Block, int QK, class Path>
std::int64_t quantize_padded_tail(const float* x, std::int64_t count, Block* y, std::int64_t done, Path path) {
    static_assert(kTailValues % QK == 0);
    const std::int64_t rest = count - done * QK;
    if (rest <= 0 || rest > kTailValues) return 0;
    float buf[kTailValues];
    for (std::int64_t j = 0; j < rest; ++j) buf[j] = std::isfinite(x[done * QK + j]) ? x[done * QK + j] : 0.0f;
    std::fill(buf + rest, buf + kTailValues, 0.0f);
    Block tmp[kTailValues / QK];
    const std::int64_t want = (rest + QK - 1) / QK;
    if (path(buf, kTailValues / QK, tmp) < want) return 0;
    std::copy(tmp, tmp + want, y + done);
    return want;
}

// The whole blocks go to the AVX-512 path when the CPU has one (it stops before a group of blocks that
// holds a non-finite value), and a short rest after them (the blocks fewer than one of its steps and a
// partial block: a row of 1000 values) through a padded copy; what is left after a non-finite value: its
// clean blocks to the AVX2 path, a short rest the same way; the others to the scalar reference.
template <class Block, int QK, class Simd, class Wide = Avx512Path>
void quantize_blocks_fast(const float* x, std::int64_t count, std::uint8_t* out, Simd simd, Wide wide = nullptr) {
    std::int64_t done = 0;
    if (reinterpret_cast<std::uintptr_t>(out) % alignof(Block) == 0) {
        Block* y = reinterpret_cast<Block*>(out);
        if constexpr (!std::is_same_v<Wide, Avx512Path>)
            if (use_avx512()) {
                done = wide(x, count / QK, y);
                done += quantize_padded_tail<Block, QK>(x, count, y, done, wide);
            }
        if (done * QK < count) {
            const std::int64_t clean = done + clean_prefix_blocks(x + done * QK, count - done * QK, QK);
            done += simd(x + done * QK, clean - done, y + done);
            done += quantize_padded_tail<Block, QK>(x, count, y, done, simd);
        }
    }
    quantize_blocks_scalar<Block, QK>(x, count, out, done);
}

// A path that can also give the analysis' bounds, asked for the blocks alone.
template <class Block>
auto no_bounds(std::int64_t (*path)(const float*, std::int64_t, Block*, BlockBoundsArgs*)) {
    return [path](const float* x, std::int64_t n, Block* y) { return path(x, n, y, nullptr); };
}

void require_quantizable(DType type) {
    if (!can_quantize(type))
        throw std::invalid_argument("QuantLens does not quantize into ggml type " + std::string(dtype_name(type)));
}

} // namespace

void quantize_row_ref(DType type, const float* x, std::int64_t count, std::uint8_t* out) {
    require_quantizable(type);
    switch (type) {
    case DType::GGML_Q8_0: quantize_blocks_scalar<BlockQ8_0, kQK8_0>(x, count, out, 0); break;
    case DType::GGML_Q4_0: quantize_blocks_scalar<BlockQ4_0, kQK4_0>(x, count, out, 0); break;
    case DType::GGML_Q4_1: quantize_blocks_scalar<BlockQ4_1, kQK4_1>(x, count, out, 0); break;
    case DType::GGML_Q5_0: quantize_blocks_scalar<BlockQ5_0, kQK5_0>(x, count, out, 0); break;
    case DType::GGML_Q2_K: quantize_blocks_scalar<BlockQ2_K, kQK_K>(x, count, out, 0); break;
    case DType::GGML_Q3_K: quantize_blocks_scalar<BlockQ3_K, kQK_K>(x, count, out, 0); break;
    case DType::GGML_Q4_K: quantize_blocks_scalar<BlockQ4_K, kQK_K>(x, count, out, 0); break;
    case DType::GGML_Q5_K: quantize_blocks_scalar<BlockQ5_K, kQK_K>(x, count, out, 0); break;
    case DType::GGML_Q6_K: quantize_blocks_scalar<BlockQ6_K, kQK_K>(x, count, out, 0); break;
    case DType::GGML_IQ4_NL: quantize_blocks_scalar<BlockIQ4_NL, kQK4_NL>(x, count, out, 0); break;
    case DType::GGML_IQ4_XS: quantize_blocks_scalar<BlockIQ4_XS, kQK_K>(x, count, out, 0); break;
    default: break;
    }
}

void quantize_row(DType type, const float* x, std::int64_t count, std::uint8_t* out) {
    require_quantizable(type);
    switch (type) {
    case DType::GGML_Q4_K:
        quantize_blocks_fast<BlockQ4_K, kQK_K>(x, count, out, detail::quantize_q4_k_blocks_simd, detail::quantize_q4_k_blocks_avx512);
        break;
    case DType::GGML_Q2_K:
        quantize_blocks_fast<BlockQ2_K, kQK_K>(x, count, out, detail::quantize_q2_k_blocks_simd, detail::quantize_q2_k_blocks_avx512);
        break;
    case DType::GGML_Q3_K:
        quantize_blocks_fast<BlockQ3_K, kQK_K>(x, count, out, detail::quantize_q3_k_blocks_simd, detail::quantize_q3_k_blocks_avx512);
        break;
    case DType::GGML_Q5_K:
        quantize_blocks_fast<BlockQ5_K, kQK_K>(x, count, out, detail::quantize_q5_k_blocks_simd, detail::quantize_q5_k_blocks_avx512);
        break;
    case DType::GGML_Q6_K:
        quantize_blocks_fast<BlockQ6_K, kQK_K>(x, count, out, detail::quantize_q6_k_blocks_simd, detail::quantize_q6_k_blocks_avx512);
        break;
    case DType::GGML_IQ4_NL:
        quantize_blocks_fast<BlockIQ4_NL, kQK4_NL>(x, count, out, detail::quantize_iq4_nl_blocks_simd,
                                                   detail::quantize_iq4_nl_blocks_avx512);
        break;
    case DType::GGML_IQ4_XS:
        quantize_blocks_fast<BlockIQ4_XS, kQK_K>(x, count, out, detail::quantize_iq4_xs_blocks_simd, detail::quantize_iq4_xs_blocks_avx512);
        break;
    case DType::GGML_Q8_0:
        quantize_blocks_fast<BlockQ8_0, kQK8_0>(x, count, out, detail::quantize_q8_0_blocks_simd, no_bounds(detail::quantize_q8_0_blocks_avx512));
        break;
    case DType::GGML_Q4_0:
        quantize_blocks_fast<BlockQ4_0, kQK4_0>(x, count, out, detail::quantize_q4_0_blocks_simd, no_bounds(detail::quantize_q4_0_blocks_avx512));
        break;
    case DType::GGML_Q4_1:
        quantize_blocks_fast<BlockQ4_1, kQK4_1>(x, count, out, detail::quantize_q4_1_blocks_simd, no_bounds(detail::quantize_q4_1_blocks_avx512));
        break;
    case DType::GGML_Q5_0:
        quantize_blocks_fast<BlockQ5_0, kQK5_0>(x, count, out, detail::quantize_q5_0_blocks_simd, no_bounds(detail::quantize_q5_0_blocks_avx512));
        break;
    default:
        quantize_row_ref(type, x, count, out);
        break;
    }
}

std::int64_t quantize_blocks_decoded(DType type, const float* x, std::int64_t nblocks, float* y, std::int8_t* codes, std::uint32_t* clipped) {
    if (!use_avx512()) return 0;
    return detail::quantize_small_blocks_decoded_avx512(type, x, nblocks, y, codes, clipped);
}

std::int64_t small_block_params(DType type, const float* x, std::int64_t nblocks, float* params, std::int64_t stride) {
    if (!use_avx512()) return 0;
    return detail::small_block_params_avx512(type, x, nblocks, params, stride);
}

bool block_ranges_32(const float* x, std::int64_t nblocks, float* lo, float* hi) {
    return use_avx512() && detail::block_ranges_32_avx512(x, nblocks, lo, hi);
}

bool small_block_bounds(DType type, const float* x, const float* lo, const float* hi, std::int64_t nblocks, float& dq_lo, float& dq_hi, float& err) {
    return use_avx512() && detail::small_block_bounds_avx512(type, x, lo, hi, nblocks, dq_lo, dq_hi, err);
}

bool has_bounds_path(DType type) {
    return use_avx512() && (type == DType::GGML_Q8_0 || type == DType::GGML_Q4_0 || type == DType::GGML_Q4_1 || type == DType::GGML_Q5_0 ||
                            type == DType::GGML_Q2_K || type == DType::GGML_Q3_K || type == DType::GGML_Q4_K || type == DType::GGML_Q5_K ||
                            type == DType::GGML_Q6_K || type == DType::GGML_IQ4_NL || type == DType::GGML_IQ4_XS);
}

namespace {
// A decoder of the AVX-512 file, where the CPU has it.
template <class B>
bool decode_fast(void (*fn)(const B*, std::int64_t, float*, std::int8_t*), const B* b, std::int64_t nb, float* y, std::int8_t* codes) {
    if (!use_avx512()) return false;
    fn(b, nb, y, codes);
    return true;
}
} // namespace

bool dequantize_blocks_fast(const BlockQ4_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return decode_fast(detail::dequantize_q4_k_blocks_avx512, b, nb, y, codes); }
bool dequantize_blocks_fast(const BlockQ6_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return decode_fast(detail::dequantize_q6_k_blocks_avx512, b, nb, y, codes); }
bool dequantize_blocks_fast(const BlockQ2_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return decode_fast(detail::dequantize_q2_k_blocks_avx512, b, nb, y, codes); }
bool dequantize_blocks_fast(const BlockQ3_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return decode_fast(detail::dequantize_q3_k_blocks_avx512, b, nb, y, codes); }
bool dequantize_blocks_fast(const BlockQ5_K* b, std::int64_t nb, float* y, std::int8_t* codes) { return decode_fast(detail::dequantize_q5_k_blocks_avx512, b, nb, y, codes); }
bool dequantize_blocks_fast(const BlockIQ4_XS* b, std::int64_t nb, float* y, std::int8_t* codes) { return decode_fast(detail::dequantize_iq4_xs_blocks_avx512, b, nb, y, codes); }

std::int64_t quantize_blocks_with_bounds(DType type, const float* x, std::int64_t nblocks, std::uint8_t* out, BlockBoundsArgs& bounds) {
    if (!use_avx512() || reinterpret_cast<std::uintptr_t>(out) % alignof(BlockQ4_0) != 0) return 0;  // all: 2-byte aligned
    static_assert(alignof(BlockQ8_0) == alignof(BlockQ4_0) && alignof(BlockQ4_1) == alignof(BlockQ4_0) &&
                  alignof(BlockQ5_0) == alignof(BlockQ4_0) && alignof(BlockQ4_K) == alignof(BlockQ4_0) &&
                  alignof(BlockQ6_K) == alignof(BlockQ4_0) && alignof(BlockIQ4_NL) == alignof(BlockQ4_0) &&
                  alignof(BlockQ2_K) == alignof(BlockQ4_0) && alignof(BlockQ3_K) == alignof(BlockQ4_0) &&
                  alignof(BlockQ5_K) == alignof(BlockQ4_0) && alignof(BlockIQ4_XS) == alignof(BlockQ4_0));
    switch (type) {
    case DType::GGML_Q8_0: return detail::quantize_q8_0_blocks_avx512(x, nblocks, reinterpret_cast<BlockQ8_0*>(out), &bounds);
    case DType::GGML_Q4_0: return detail::quantize_q4_0_blocks_avx512(x, nblocks, reinterpret_cast<BlockQ4_0*>(out), &bounds);
    case DType::GGML_Q4_1: return detail::quantize_q4_1_blocks_avx512(x, nblocks, reinterpret_cast<BlockQ4_1*>(out), &bounds);
    case DType::GGML_Q5_0: return detail::quantize_q5_0_blocks_avx512(x, nblocks, reinterpret_cast<BlockQ5_0*>(out), &bounds);
    // the searched formats stop before a group of blocks that holds a non-finite value, as the others
    case DType::GGML_Q2_K: return detail::quantize_q2_k_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockQ2_K*>(out), bounds);
    case DType::GGML_Q3_K: return detail::quantize_q3_k_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockQ3_K*>(out), bounds);
    case DType::GGML_Q5_K: return detail::quantize_q5_k_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockQ5_K*>(out), bounds);
    case DType::GGML_IQ4_XS: return detail::quantize_iq4_xs_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockIQ4_XS*>(out), bounds);
    case DType::GGML_Q4_K: return detail::quantize_q4_k_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockQ4_K*>(out), bounds);
    case DType::GGML_Q6_K: return detail::quantize_q6_k_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockQ6_K*>(out), bounds);
    case DType::GGML_IQ4_NL: return detail::quantize_iq4_nl_blocks_bounds_avx512(x, nblocks, reinterpret_cast<BlockIQ4_NL*>(out), bounds);
    default: return 0;
    }
}

} // namespace ql::ggml
