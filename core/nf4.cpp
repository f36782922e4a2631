// NF4 and NF4 with double quantization, scalar references (see nf4.h).
#include "core/nf4.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/float_formats_math.h"

#if defined(__AVX2__)
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*(), which -Wuninitialized flags.
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

namespace ql {

namespace {

// torch.linspace(start, end, steps, dtype=float32) by its formula: step = (end - start) / (steps - 1);
// the first half start + step * i, the second half end - step * (steps - 1 - i).
std::vector<float> linspace_f32(float start, float end, int steps) {
    std::vector<float> v(static_cast<std::size_t>(steps));
    if (steps == 1) {
        v[0] = start;
        return v;
    }
    const float step = (end - start) / static_cast<float>(steps - 1);
    const int halfway = steps / 2;
    for (int i = 0; i < steps; ++i)
        v[static_cast<std::size_t>(i)] = i < halfway ? start + step * static_cast<float>(i)
                                                     : end - step * static_cast<float>(steps - i - 1);
    return v;
}

std::array<float, 256> make_dynamic_map() {
    // create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8): for exponent i = 0..6,
    // 2^i + 1 boundaries on [0.1, 1], their 2^i midpoints times +-10^(i - 6); then 0 and 1.
    std::vector<float> data;
    const float pow10[7] = {1e-06f, 1e-05f, 1e-04f, 1e-03f, 1e-02f, 1e-01f, 1.0f};
    for (int i = 0; i < 7; ++i) {
        const auto b = linspace_f32(0.1f, 1.0f, (1 << i) + 1);
        for (std::size_t k = 0; k + 1 < b.size(); ++k) {
            const float mean = (b[k] + b[k + 1]) / 2.0f;
            data.push_back(pow10[i] * mean);
            data.push_back(-pow10[i] * mean);
        }
    }
    data.push_back(0.0f);
    data.push_back(1.0f);
    std::sort(data.begin(), data.end());
    std::array<float, 256> m{};
    std::copy(data.begin(), data.end(), m.begin());
    return m;
}

float finite_absmax(const float* x, std::int64_t n) {
    float a = 0.0f;
    for (std::int64_t k = 0; k < n; ++k)
        if (std::isfinite(x[k]) && std::fabs(x[k]) > a) a = std::fabs(x[k]);
    return a;
}

void check_block(int block_size) {
    if (block_size < 32 || block_size > 4096 || (block_size & (block_size - 1)) != 0)
        throw std::invalid_argument("NF4 block size must be a power of two in 32..4096, got " + std::to_string(block_size));
}

} // namespace

const std::array<float, 256>& bnb_dynamic_map_signed() {
    static const std::array<float, 256> m = make_dynamic_map();
    return m;
}

int bnb_dynamic_code(float v) {
    const auto& m = bnb_dynamic_map_signed();
    if (!(v == v)) return 0;
    // hi = the first entry >= v (std::lower_bound as a fixed 8-step search: hi counts the entries < v),
    // then the nearer of it and its lower neighbour by |v - m| in float (ties: lower)
    int hi = 0;
    for (int step = 128; step > 0; step >>= 1) hi += m[static_cast<std::size_t>(hi + step - 1)] < v ? step : 0;
    if (hi == 255 && m[255] < v) return 255;
    if (hi == 0) return 0;
    const int lo = hi - 1;
    const float dlo = std::fabs(v - m[static_cast<std::size_t>(lo)]), dhi = std::fabs(v - m[static_cast<std::size_t>(hi)]);
    return dlo <= dhi ? lo : hi;
}

void nf4_double_quantize(const float* absmax, std::size_t n, float* out, float* offset_out, std::vector<float>* scales2,
                         std::uint8_t* codes) {
    const auto& map = bnb_dynamic_map_signed();
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) sum += absmax[k];
    const float offset = n == 0 ? 0.0f : static_cast<float>(sum / static_cast<double>(n));
    const auto nblocks = static_cast<std::int64_t>((n + kNf4DqBlock - 1) / kNf4DqBlock);
    if (scales2) scales2->assign(static_cast<std::size_t>(nblocks), 0.0f);
#pragma omp parallel for schedule(static) if (nblocks > 64)
    for (std::int64_t b = 0; b < nblocks; ++b) {
        const std::size_t b0 = static_cast<std::size_t>(b) * kNf4DqBlock, b1 = std::min(n, b0 + kNf4DqBlock);
        float c = 0.0f;
        std::size_t k = b0;
#if defined(__AVX512F__)
        {
            // the largest |absmax - offset| (exact in any order), 16 lanes at a time
            const __m512 voff = _mm512_set1_ps(offset), absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
            __m512 m = _mm512_setzero_ps();
            for (; k + 16 <= b1; k += 16) m = _mm512_max_ps(m, _mm512_and_ps(_mm512_sub_ps(_mm512_loadu_ps(absmax + k), voff), absmask));
            c = _mm512_reduce_max_ps(m);
        }
#endif
        for (; k < b1; ++k) c = std::max(c, std::fabs(absmax[k] - offset));
        k = b0;
        const float inv = 1.0f / c;
#if defined(__AVX512F__)
        if (c > 0.0f) {
            // 16 values at a time, each lane through bnb_dynamic_code's own comparisons. The map's entries
            // come from registers instead of memory (a gather costs about one load per lane): the first
            // four steps only probe entries 16 t + 15, one vector of pivots; the other probes pick from
            // the 256 entries as 8 pairs of vectors by the index's low 5 bits, then by its bits 5, 6, 7.
            const float* mp = map.data();
            __m512 tab[16];
            alignas(64) float pv[16];
            for (int t = 0; t < 16; ++t) {
                tab[t] = _mm512_loadu_ps(mp + 16 * t);
                pv[t] = mp[16 * t + 15];
            }
            const __m512 piv = _mm512_load_ps(pv);
            const auto entry = [&](__m512i idx) {
                const __mmask16 b5 = _mm512_test_epi32_mask(idx, _mm512_set1_epi32(32));
                const __mmask16 b6 = _mm512_test_epi32_mask(idx, _mm512_set1_epi32(64));
                const __mmask16 b7 = _mm512_test_epi32_mask(idx, _mm512_set1_epi32(128));
                __m512 q[4];
                for (int h = 0; h < 4; ++h)
                    q[h] = _mm512_mask_blend_ps(b5, _mm512_permutex2var_ps(tab[4 * h], idx, tab[4 * h + 1]),
                                                _mm512_permutex2var_ps(tab[4 * h + 2], idx, tab[4 * h + 3]));
                return _mm512_mask_blend_ps(b7, _mm512_mask_blend_ps(b6, q[0], q[1]), _mm512_mask_blend_ps(b6, q[2], q[3]));
            };
            const __m512 voff = _mm512_set1_ps(offset), vinv = _mm512_set1_ps(inv), vc = _mm512_set1_ps(c);
            const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
            for (; k + 16 <= b1; k += 16) {
                __m512 v = _mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(absmax + k), voff), vinv);
                v = _mm512_min_ps(_mm512_max_ps(v, _mm512_set1_ps(-1.0f)), _mm512_set1_ps(1.0f));  // no NaN here
                __m512i hi = _mm512_setzero_si512();
                for (int step = 128; step > 0; step >>= 1) {
                    const __m512i probe = _mm512_add_epi32(hi, _mm512_set1_epi32(step - 1));
                    // steps 128 .. 16: hi is a multiple of 16, so the probe is pivot probe / 16
                    const __m512 e = step >= 16 ? _mm512_permutexvar_ps(_mm512_srli_epi32(probe, 4), piv) : entry(probe);
                    hi = _mm512_mask_add_epi32(hi, _mm512_cmp_ps_mask(e, v, _CMP_LT_OQ), hi, _mm512_set1_epi32(step));
                }
                // v <= 1 = map[255], so hi is the first entry >= v; then the nearer of hi - 1 and hi (ties: lower)
                const __m512i lo = _mm512_max_epi32(_mm512_sub_epi32(hi, _mm512_set1_epi32(1)), _mm512_setzero_si512());
                const __m512 mlo = entry(lo), mhi = entry(hi);
                const __m512 dlo = _mm512_and_ps(_mm512_sub_ps(v, mlo), absmask);
                const __m512 dhi = _mm512_and_ps(_mm512_sub_ps(v, mhi), absmask);
                const __mmask16 to_lo = _mm512_cmp_ps_mask(dlo, dhi, _CMP_LE_OQ);
                _mm512_storeu_ps(out + k, _mm512_add_ps(_mm512_mul_ps(_mm512_mask_blend_ps(to_lo, mhi, mlo), vc), voff));
                if (codes) _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + k), _mm512_cvtepi32_epi8(_mm512_mask_blend_epi32(to_lo, hi, lo)));
            }
        }
#elif defined(__AVX2__)
        if (c > 0.0f) {
            // 8 values at a time, each lane through bnb_dynamic_code's own comparisons (gathered entries)
            const float* mp = map.data();
            const __m256 voff = _mm256_set1_ps(offset), vinv = _mm256_set1_ps(inv), vc = _mm256_set1_ps(c);
            const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
            for (; k + 8 <= b1; k += 8) {
                __m256 v = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(absmax + k), voff), vinv);
                v = _mm256_min_ps(_mm256_max_ps(v, _mm256_set1_ps(-1.0f)), _mm256_set1_ps(1.0f));  // no NaN here
                __m256i hi = _mm256_setzero_si256();
                for (int step = 128; step > 0; step >>= 1) {
                    const __m256i probe = _mm256_add_epi32(hi, _mm256_set1_epi32(step - 1));
                    const __m256 below = _mm256_cmp_ps(_mm256_i32gather_ps(mp, probe, 4), v, _CMP_LT_OQ);
                    hi = _mm256_add_epi32(hi, _mm256_and_si256(_mm256_castps_si256(below), _mm256_set1_epi32(step)));
                }
                // v <= 1 = map[255], so hi is the first entry >= v; then the nearer of hi - 1 and hi (ties: lower)
                const __m256i lo = _mm256_max_epi32(_mm256_sub_epi32(hi, _mm256_set1_epi32(1)), _mm256_setzero_si256());
                const __m256 dlo = _mm256_and_ps(_mm256_sub_ps(v, _mm256_i32gather_ps(mp, lo, 4)), absmask);
                const __m256 dhi = _mm256_and_ps(_mm256_sub_ps(v, _mm256_i32gather_ps(mp, hi, 4)), absmask);
                const __m256i code = _mm256_castps_si256(
                    _mm256_blendv_ps(_mm256_castsi256_ps(hi), _mm256_castsi256_ps(lo), _mm256_cmp_ps(dlo, dhi, _CMP_LE_OQ)));
                _mm256_storeu_ps(out + k, _mm256_add_ps(_mm256_mul_ps(_mm256_i32gather_ps(mp, code, 4), vc), voff));
                if (codes) {
                    alignas(32) std::int32_t cb[8];
                    _mm256_store_si256(reinterpret_cast<__m256i*>(cb), code);
                    for (int j = 0; j < 8; ++j) codes[k + static_cast<std::size_t>(j)] = static_cast<std::uint8_t>(cb[j]);
                }
            }
        }
#endif
        for (; k < b1; ++k) {
            float v = c > 0.0f ? (absmax[k] - offset) * inv : 0.0f;
            v = std::clamp(v, -1.0f, 1.0f);
            const int code = bnb_dynamic_code(v);
            out[k] = map[static_cast<std::size_t>(code)] * c + offset;
            if (codes) codes[k] = static_cast<std::uint8_t>(code);
        }
        if (scales2) (*scales2)[static_cast<std::size_t>(b)] = c;
    }
    if (offset_out) *offset_out = offset;
}

std::vector<float> nf4_double_quantize(const std::vector<float>& absmax, float* offset_out, std::vector<float>* scales2,
                                       std::vector<std::uint8_t>* codes) {
    std::vector<float> out(absmax.size());
    if (codes) codes->assign(absmax.size(), 0);
    nf4_double_quantize(absmax.data(), absmax.size(), out.data(), offset_out, scales2, codes ? codes->data() : nullptr);
    return out;
}

namespace {

std::vector<float> nf4_ref(const Tensor& t, int block_size, bool dq, std::vector<std::int8_t>* codes, QuantParams* params) {
    check_block(block_size);
    const std::int64_t n = t.numel();
    const std::int64_t nb = (n + block_size - 1) / block_size;
    std::vector<float> absmax(static_cast<std::size_t>(nb));
    for (std::int64_t b = 0; b < nb; ++b)
        absmax[static_cast<std::size_t>(b)] = finite_absmax(t.data() + b * block_size, std::min<std::int64_t>(block_size, n - b * block_size));
    const std::vector<float> stored = dq ? nf4_double_quantize(absmax, nullptr, nullptr, nullptr) : absmax;
    std::vector<float> y(static_cast<std::size_t>(n));
    if (codes) codes->assign(y.size(), 0);
    for (std::int64_t i = 0; i < n; ++i) {
        const auto b = static_cast<std::size_t>(i / block_size);
        const float inv = 1.0f / absmax[b];
        const int q = nf4_code(t.values[static_cast<std::size_t>(i)] * inv);
        y[static_cast<std::size_t>(i)] = nf4_value(q) * stored[b];
        if (codes) (*codes)[static_cast<std::size_t>(i)] = static_cast<std::int8_t>(q);
    }
    if (params) {
        params->scales = stored;
        params->zero_points.clear();
    }
    return y;
}

} // namespace

std::vector<float> quantize_nf4_ref(const Tensor& t, int block_size, std::vector<std::int8_t>* codes, QuantParams* params) {
    return nf4_ref(t, block_size, false, codes, params);
}

std::vector<float> quantize_nf4_dq_ref(const Tensor& t, int block_size, std::vector<std::int8_t>* codes,
                                       QuantParams* params) {
    return nf4_ref(t, block_size, true, codes, params);
}

} // namespace ql
