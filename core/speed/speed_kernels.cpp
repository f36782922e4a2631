// CPU speed kernels (see speed_kernels.h). Vector paths are compiled with GCC/Clang target attributes,
// so this file builds for any x86-64 and picks the path at run time; the plain C++ path is the
// fallback and the behaviour on other architectures.
//
// Not the exact-arithmetic path: FMA intrinsics and reordered float sums are fine here (the core's
// -ffp-contract=off still applies to the plain C++ loops, which keeps the scalar path predictable).
//
// Integer products use the "dot product" register tile: R weight rows x B activation rows, each pair
// accumulating over k in vector lanes, reduced horizontally once per k-block:
//   INT8, AVX2:   maddubs(|x|, sign(w, x)) -> int16 pairs (<= 2*127*127, no saturation), madd -> int32
//   INT8, VNNI:   dpbusd(x + 128, w) -> int32; minus 128 * sum_k w[r][k] (precomputed per row)
//   W4, AVX2:     maddubs(u, x) with u in [0, 15] (<= 2*15*127 per int16 lane; up to 8 summed in
//                 int16), madd -> int32 per group, to float, times the group scale
//   W4, VNNI:     dpbusd(u, x) -> int32 per group
//   W4 offset:    sum_k (u - 8) x = sum_k u x - 8 sum_k x, the last term per (activation row, group).
#include "core/speed/speed_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <Eigen/Core>
#include <omp.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define QL_SPEED_X86 1
#define QL_TARGET(t) __attribute__((target(t)))
#else
#define QL_SPEED_X86 0
#define QL_TARGET(t)
#endif

namespace ql::speed {

// ---------------------------------------------------------------------------------------------
// ISA detection

const char* isa_name(Isa isa) {
    switch (isa) {
    case Isa::Auto: return "auto";
    case Isa::Scalar: return "scalar";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512Vnni: return "avx512vnni";
    }
    return "?";
}

bool isa_supported(Isa isa) {
    switch (isa) {
    case Isa::Auto:
    case Isa::Scalar: return true;
#if QL_SPEED_X86
    case Isa::Avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Avx512Vnni:
        return isa_supported(Isa::Avx2) && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#else
    default: return false;
#endif
    }
    return false;
}

Isa best_isa() {
    static const Isa best = isa_supported(Isa::Avx512Vnni) ? Isa::Avx512Vnni
                            : isa_supported(Isa::Avx2)      ? Isa::Avx2
                                                            : Isa::Scalar;
    return best;
}

std::vector<Isa> supported_isas() {
    std::vector<Isa> v{Isa::Scalar};
    for (Isa i : {Isa::Avx2, Isa::Avx512Vnni})
        if (isa_supported(i)) v.push_back(i);
    return v;
}

Isa resolve(Isa isa) { return (isa == Isa::Auto || !isa_supported(isa)) ? best_isa() : isa; }

std::string cpu_name() {
    std::ifstream f("/proc/cpuinfo");
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind("model name", 0) == 0) {
            const auto c = line.find(':');
            if (c != std::string::npos) {
                std::string s = line.substr(c + 1);
                s.erase(0, s.find_first_not_of(" \t"));
                return s;
            }
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Quantization of weights and activations (done once, outside the timed products)

namespace {

std::int64_t round_up(std::int64_t v, std::int64_t m) { return (v + m - 1) / m * m; }

void check_dims(std::int64_t batch, std::int64_t rows, std::int64_t cols) {
    if (batch <= 0 || rows <= 0 || cols <= 0)
        throw std::invalid_argument("speed kernel: batch, rows and cols must be positive (got batch " + std::to_string(batch) +
                                    ", rows " + std::to_string(rows) + ", cols " + std::to_string(cols) + ")");
}

float absmax(const float* x, std::int64_t n) {
    float m = 0;
    for (std::int64_t i = 0; i < n; ++i) m = std::max(m, std::fabs(x[i]));
    return m;
}

} // namespace

int W4Weights::code(std::int64_t r, std::int64_t k) const {
    const std::int64_t c = k / 64, j = k % 64;
    const std::uint8_t b = packed[static_cast<std::size_t>(r * (padded_cols / 2) + c * 32 + (j % 32))];
    return j < 32 ? (b & 0x0F) : (b >> 4);
}

// q = clamp(round(W / s), -127, 127), s = max|W[r]| / 127 (1 when the row is zero).
Int8Weights quantize_int8_rows(const float* w, std::int64_t rows, std::int64_t cols) {
    check_dims(1, rows, cols);
    Int8Weights out;
    out.rows = rows;
    out.cols = cols;
    out.padded_cols = round_up(cols, 64);
    out.q.assign(static_cast<std::size_t>(rows * out.padded_cols), 0);
    out.scale.resize(static_cast<std::size_t>(rows));
    out.row_sum.resize(static_cast<std::size_t>(rows));
    const std::int64_t nblocks = (out.padded_cols + kInt8SumBlock - 1) / kInt8SumBlock;
    out.block_sum.assign(static_cast<std::size_t>(rows * nblocks), 0);
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* src = w + r * cols;
        const float m = absmax(src, cols);
        const float s = m > 0 ? m / 127.0f : 1.0f;
        std::int32_t sum = 0;
        for (std::int64_t k = 0; k < cols; ++k) {
            const int q = static_cast<int>(std::clamp(std::nearbyint(src[k] / s), -127.0f, 127.0f));
            out.q[static_cast<std::size_t>(r * out.padded_cols + k)] = static_cast<std::int8_t>(q);
            out.block_sum[static_cast<std::size_t>(r * nblocks + k / kInt8SumBlock)] += q;
            sum += q;
        }
        out.scale[static_cast<std::size_t>(r)] = s;
        out.row_sum[static_cast<std::size_t>(r)] = sum;
    }
    return out;
}

// Per group: s = max|W| / 7, u = clamp(round(W / s), -8, 7) + 8 (u = 8 for a zero group).
W4Weights quantize_w4(const float* w, std::int64_t rows, std::int64_t cols, int group) {
    check_dims(1, rows, cols);
    if (group <= 0 || group % 32 != 0)
        throw std::invalid_argument("quantize_w4: group must be a positive multiple of 32 (got " + std::to_string(group) + ")");
    W4Weights out;
    out.rows = rows;
    out.cols = cols;
    out.group = group;
    out.padded_cols = round_up(cols, std::lcm<std::int64_t>(64, group));
    out.groups = out.padded_cols / group;
    out.packed.assign(static_cast<std::size_t>(rows * out.padded_cols / 2), 0x88);
    out.scale.assign(static_cast<std::size_t>(rows * out.groups), 0.0f);
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* src = w + r * cols;
        std::uint8_t* dst = out.packed.data() + r * (out.padded_cols / 2);
        for (std::int64_t g = 0; g < out.groups; ++g) {
            const std::int64_t k0 = g * group, k1 = std::min<std::int64_t>(k0 + group, cols);
            const float m = k0 < cols ? absmax(src + k0, k1 - k0) : 0.0f;
            const float s = m > 0 ? m / 7.0f : 0.0f;
            out.scale[static_cast<std::size_t>(r * out.groups + g)] = s;
            for (std::int64_t k = k0; k < k1; ++k) {
                const int q = s > 0 ? static_cast<int>(std::clamp(std::nearbyint(src[k] / s), -8.0f, 7.0f)) : 0;
                const int u = q + 8;
                const std::int64_t c = k / 64, j = k % 64;
                std::uint8_t& b = dst[c * 32 + (j % 32)];
                b = j < 32 ? static_cast<std::uint8_t>((b & 0xF0) | u) : static_cast<std::uint8_t>((b & 0x0F) | (u << 4));
            }
        }
    }
    return out;
}

// Per row: s = max|x[b]| / 127 (1 when zero), q = clamp(round(x / s), -127, 127), zero padding.
Int8Activations quantize_activations(const float* x, std::int64_t batch, std::int64_t cols, std::int64_t padded_cols) {
    check_dims(batch, 1, cols);
    Int8Activations a;
    a.batch = batch;
    a.cols = cols;
    a.padded_cols = std::max(padded_cols, cols);
    a.q.assign(static_cast<std::size_t>(batch * a.padded_cols), 0);
    a.scale.resize(static_cast<std::size_t>(batch));
#pragma omp parallel for schedule(static) if (batch > 1)
    for (std::int64_t b = 0; b < batch; ++b) {
        const float* src = x + b * cols;
        const float m = absmax(src, cols);
        const float s = m > 0 ? m / 127.0f : 1.0f;
        const float inv = 1.0f / s;
        std::int8_t* dst = a.q.data() + b * a.padded_cols;
        for (std::int64_t k = 0; k < cols; ++k)
            dst[k] = static_cast<std::int8_t>(std::clamp(std::nearbyint(src[k] * inv), -127.0f, 127.0f));
        a.scale[static_cast<std::size_t>(b)] = s;
    }
    return a;
}

namespace {

// ---------------------------------------------------------------------------------------------
// Plain C++ paths

void f32_scalar(const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols, float* y) {
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t b = 0; b < batch; ++b) {
            float acc = 0;
            for (std::int64_t k = 0; k < cols; ++k) acc += x[b * cols + k] * w[r * cols + k];
            y[b * rows + r] = acc;
        }
}

void int8_scalar(const Int8Activations& a, const Int8Weights& w, float* y) {
    const std::int64_t K = w.padded_cols;
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < w.rows; ++r)
        for (std::int64_t b = 0; b < a.batch; ++b) {
            std::int32_t acc = 0;
            const std::int8_t* wq = w.q.data() + r * K;
            const std::int8_t* xq = a.q.data() + b * a.padded_cols;
            for (std::int64_t k = 0; k < w.cols; ++k) acc += static_cast<std::int32_t>(wq[k]) * xq[k];
            y[b * w.rows + r] = static_cast<float>(acc) * (w.scale[r] * a.scale[b]);
        }
}

void w4_scalar(const Int8Activations& a, const W4Weights& w, float* y) {
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < w.rows; ++r)
        for (std::int64_t b = 0; b < a.batch; ++b) {
            const std::int8_t* xq = a.q.data() + b * a.padded_cols;
            float acc = 0;
            for (std::int64_t g = 0; g < w.groups; ++g) {
                std::int32_t dot = 0;
                const std::int64_t k1 = std::min<std::int64_t>((g + 1) * w.group, w.cols);
                for (std::int64_t k = g * w.group; k < k1; ++k) dot += (w.code(r, k) - 8) * xq[k];
                acc += static_cast<float>(dot) * w.scale[r * w.groups + g];
            }
            y[b * w.rows + r] = acc * a.scale[b];
        }
}

// Sums over each group of the activation codes: sx[b * groups + g] = sum_{k in g} q[b][k].
std::vector<std::int32_t> group_sums(const Int8Activations& a, int group, std::int64_t groups) {
    std::vector<std::int32_t> s(static_cast<std::size_t>(a.batch * groups), 0);
    for (std::int64_t b = 0; b < a.batch; ++b)
        for (std::int64_t g = 0; g < groups; ++g) {
            std::int32_t t = 0;
            const std::int8_t* q = a.q.data() + b * a.padded_cols + g * group;
            for (int k = 0; k < group; ++k) t += q[k];
            s[static_cast<std::size_t>(b * groups + g)] = t;
        }
    return s;
}

#if QL_SPEED_X86

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA paths

QL_TARGET("avx2,fma") inline float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

QL_TARGET("avx2,fma") inline std::int32_t hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

// FP32 GEMV: 4 rows share each load of x; two accumulators per row hide the FMA latency.
QL_TARGET("avx2,fma") void f32_gemv_avx2(const float* x, const float* w, std::int64_t rows, std::int64_t cols, float* y) {
    const std::int64_t k16 = cols / 16 * 16;
    const std::int64_t r4 = rows / 4 * 4;
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < r4; r += 4) {
        const float* w0 = w + r * cols;
        const float* w1 = w0 + cols;
        const float* w2 = w1 + cols;
        const float* w3 = w2 + cols;
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (std::int64_t k = 0; k < k16; k += 16) {
            const __m256 x0 = _mm256_loadu_ps(x + k), x1 = _mm256_loadu_ps(x + k + 8);
            a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + k), x0, a0);
            b0 = _mm256_fmadd_ps(_mm256_loadu_ps(w0 + k + 8), x1, b0);
            a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + k), x0, a1);
            b1 = _mm256_fmadd_ps(_mm256_loadu_ps(w1 + k + 8), x1, b1);
            a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + k), x0, a2);
            b2 = _mm256_fmadd_ps(_mm256_loadu_ps(w2 + k + 8), x1, b2);
            a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + k), x0, a3);
            b3 = _mm256_fmadd_ps(_mm256_loadu_ps(w3 + k + 8), x1, b3);
        }
        float s[4] = {hsum_ps(_mm256_add_ps(a0, b0)), hsum_ps(_mm256_add_ps(a1, b1)), hsum_ps(_mm256_add_ps(a2, b2)),
                      hsum_ps(_mm256_add_ps(a3, b3))};
        const float* ws[4] = {w0, w1, w2, w3};
        for (int i = 0; i < 4; ++i) {
            for (std::int64_t k = k16; k < cols; ++k) s[i] += ws[i][k] * x[k];
            y[r + i] = s[i];
        }
    }
    for (std::int64_t r = r4; r < rows; ++r) {
        float s = 0;
        for (std::int64_t k = 0; k < cols; ++k) s += w[r * cols + k] * x[k];
        y[r] = s;
    }
}

// FP32 GEMM through Eigen (its AVX2/FMA kernels), one block of output rows per thread.
void f32_gemm_eigen(const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols, float* y) {
    using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::Map<const RowMat> X(x, batch, cols);
    Eigen::Map<const RowMat> W(w, rows, cols);
    Eigen::Map<RowMat> Y(y, batch, rows);
#pragma omp parallel
    {
        const int nt = omp_get_num_threads(), t = omp_get_thread_num();
        const std::int64_t per = round_up((rows + nt - 1) / nt, 16);
        const std::int64_t r0 = std::min<std::int64_t>(rows, t * per), r1 = std::min<std::int64_t>(rows, r0 + per);
        if (r1 > r0) Y.middleCols(r0, r1 - r0).noalias() = X * W.middleRows(r0, r1 - r0).transpose();
    }
}

// Integer tile kernels: R weight rows x B activation rows over k in [k0, k1) (multiples of 64).
// INT8: acc[i][j] += sum_k w[i][k] x[j][k] (int32).
template <int R, int B>
QL_TARGET("avx2,fma") void int8_tile_avx2(const std::int8_t* const* wr, const std::int8_t* const* xr, std::int64_t k0,
                                          std::int64_t k1, std::int32_t* out) {
    __m256i acc[R][B];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) acc[i][j] = _mm256_setzero_si256();
    const __m256i ones = _mm256_set1_epi16(1);
    for (std::int64_t k = k0; k < k1; k += 32) {
        __m256i xv[B], ax[B];
        for (int j = 0; j < B; ++j) {
            xv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + k));
            ax[j] = _mm256_sign_epi8(xv[j], xv[j]);
        }
        for (int i = 0; i < R; ++i) {
            const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr[i] + k));
            for (int j = 0; j < B; ++j) {
                const __m256i p = _mm256_maddubs_epi16(ax[j], _mm256_sign_epi8(wv, xv[j]));
                acc[i][j] = _mm256_add_epi32(acc[i][j], _mm256_madd_epi16(p, ones));
            }
        }
    }
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) out[i * B + j] = hsum_epi32(acc[i][j]);
}

// W4: acc[i][j] += sum_g scale[i][g] * sum_{k in g} u[i][k] x[j][k] (float; the -8 offset is applied
// by the caller). k0, k1 are multiples of the group; the group a multiple of 32.
template <int R, int B>
QL_TARGET("avx2,fma") void w4_tile_avx2(const std::uint8_t* const* wr, const float* const* sr, const std::int8_t* const* xr,
                                        std::int64_t k0, std::int64_t k1, int group, float* out) {
    __m256 acc[R][B];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) acc[i][j] = _mm256_setzero_ps();
    const __m256i ones = _mm256_set1_epi16(1), low = _mm256_set1_epi8(0x0F);
    for (std::int64_t g0 = k0; g0 < k1; g0 += group) {
        __m256i gi[R][B];
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < B; ++j) gi[i][j] = _mm256_setzero_si256();
        // 32 inputs per step; int16 partial sums hold at most 8 steps (8 * 2 * 15 * 127 < 32767).
        if (group % 64 == 0) {
            // whole 64-input chunks: one load gives both nibble halves
            for (std::int64_t s0 = g0; s0 < g0 + group; s0 += 256) {
                const std::int64_t s1 = std::min<std::int64_t>(s0 + 256, g0 + group);
                __m256i p16[R][B];
                for (int i = 0; i < R; ++i)
                    for (int j = 0; j < B; ++j) p16[i][j] = _mm256_setzero_si256();
                for (std::int64_t c = s0; c < s1; c += 64) {
                    __m256i x0[B], x1[B];
                    for (int j = 0; j < B; ++j) {
                        x0[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + c));
                        x1[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + c + 32));
                    }
                    for (int i = 0; i < R; ++i) {
                        const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr[i] + c / 2));
                        const __m256i lo = _mm256_and_si256(raw, low), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low);
                        for (int j = 0; j < B; ++j)
                            p16[i][j] = _mm256_add_epi16(p16[i][j], _mm256_add_epi16(_mm256_maddubs_epi16(lo, x0[j]), _mm256_maddubs_epi16(hi, x1[j])));
                    }
                }
                for (int i = 0; i < R; ++i)
                    for (int j = 0; j < B; ++j) gi[i][j] = _mm256_add_epi32(gi[i][j], _mm256_madd_epi16(p16[i][j], ones));
            }
        } else
        for (std::int64_t s0 = g0; s0 < g0 + group; s0 += 256) {
            const std::int64_t s1 = std::min<std::int64_t>(s0 + 256, g0 + group);
            __m256i p16[R][B];
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < B; ++j) p16[i][j] = _mm256_setzero_si256();
            for (std::int64_t k = s0; k < s1; k += 32) {
                // k is 64c (low nibbles) or 64c + 32 (high nibbles) of chunk c.
                const bool high = (k & 63) != 0;
                for (int i = 0; i < R; ++i) {
                    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr[i] + (k & ~std::int64_t{63}) / 2));
                    const __m256i u = high ? _mm256_and_si256(_mm256_srli_epi16(raw, 4), low) : _mm256_and_si256(raw, low);
                    for (int j = 0; j < B; ++j)
                        p16[i][j] = _mm256_add_epi16(
                            p16[i][j], _mm256_maddubs_epi16(u, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + k))));
                }
            }
            for (int i = 0; i < R; ++i)
                for (int j = 0; j < B; ++j) gi[i][j] = _mm256_add_epi32(gi[i][j], _mm256_madd_epi16(p16[i][j], ones));
        }
        const std::int64_t g = g0 / group;
        for (int i = 0; i < R; ++i) {
            const __m256 s = _mm256_set1_ps(sr[i][g]);
            for (int j = 0; j < B; ++j) acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(gi[i][j]), s, acc[i][j]);
        }
    }
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) out[i * B + j] = hsum_ps(acc[i][j]);
}

// ---------------------------------------------------------------------------------------------
// AVX-512 VNNI paths (256-bit vectors with AVX512VL: the same layouts as AVX2, dpbusd instead of
// maddubs + madd, and 32 vector registers)

#define QL_VNNI_TARGET "avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"

QL_TARGET(QL_VNNI_TARGET) inline std::int32_t hsum_epi32_v(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

QL_TARGET(QL_VNNI_TARGET) inline float hsum_ps_v(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// INT8: acc = sum_k (x + 128) w over [k0, k1); the caller subtracts 128 * sum_k w over the same range.
template <int R, int B>
QL_TARGET(QL_VNNI_TARGET) void int8_tile_vnni(const std::int8_t* const* wr, const std::int8_t* const* xr, std::int64_t k0,
                                              std::int64_t k1, std::int32_t* out) {
    __m256i acc[R][B];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) acc[i][j] = _mm256_setzero_si256();
    const __m256i bias = _mm256_set1_epi8(static_cast<char>(0x80));
    for (std::int64_t k = k0; k < k1; k += 32) {
        __m256i xu[B];
        for (int j = 0; j < B; ++j)
            xu[j] = _mm256_xor_si256(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + k)), bias);  // x + 128
        for (int i = 0; i < R; ++i) {
            const __m256i wv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr[i] + k));
            for (int j = 0; j < B; ++j) acc[i][j] = _mm256_dpbusd_epi32(acc[i][j], xu[j], wv);
        }
    }
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) out[i * B + j] = hsum_epi32_v(acc[i][j]);
}

template <int R, int B>
QL_TARGET(QL_VNNI_TARGET) void w4_tile_vnni(const std::uint8_t* const* wr, const float* const* sr, const std::int8_t* const* xr,
                                            std::int64_t k0, std::int64_t k1, int group, float* out) {
    __m256 acc[R][B];
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) acc[i][j] = _mm256_setzero_ps();
    const __m256i low = _mm256_set1_epi8(0x0F);
    for (std::int64_t g0 = k0; g0 < k1; g0 += group) {
        __m256i gi[R][B];
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < B; ++j) gi[i][j] = _mm256_setzero_si256();
        if (group % 64 == 0) {
            for (std::int64_t c = g0; c < g0 + group; c += 64)
                for (int i = 0; i < R; ++i) {
                    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr[i] + c / 2));
                    const __m256i lo = _mm256_and_si256(raw, low), hi = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low);
                    for (int j = 0; j < B; ++j) {
                        gi[i][j] = _mm256_dpbusd_epi32(gi[i][j], lo, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + c)));
                        gi[i][j] = _mm256_dpbusd_epi32(gi[i][j], hi, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + c + 32)));
                    }
                }
        } else
        for (std::int64_t k = g0; k < g0 + group; k += 32) {
            const bool high = (k & 63) != 0;
            for (int i = 0; i < R; ++i) {
                const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wr[i] + (k & ~std::int64_t{63}) / 2));
                const __m256i u = high ? _mm256_and_si256(_mm256_srli_epi16(raw, 4), low) : _mm256_and_si256(raw, low);
                for (int j = 0; j < B; ++j)
                    gi[i][j] = _mm256_dpbusd_epi32(gi[i][j], u, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xr[j] + k)));
            }
        }
        const std::int64_t g = g0 / group;
        for (int i = 0; i < R; ++i) {
            const __m256 s = _mm256_set1_ps(sr[i][g]);
            for (int j = 0; j < B; ++j) acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(gi[i][j]), s, acc[i][j]);
        }
    }
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < B; ++j) out[i * B + j] = hsum_ps_v(acc[i][j]);
}

#endif // QL_SPEED_X86

// ---------------------------------------------------------------------------------------------
// Blocking and threads for the integer products: threads split the output rows in tiles of kR rows;
// GEMM walks k in blocks of kKc inputs and activation rows in blocks of kMb so that the activation
// block (kMb x kKc bytes) stays in the core's L2 while every weight tile of the thread passes over it.

constexpr int kR = 3, kB = 3;          // register tile (weight rows x activation rows)
constexpr int kGemvR = 4;              // GEMV: 4 weight rows per tile
constexpr std::int64_t kKc = 1024;     // inputs per k-block (a multiple of 64 and of the group)
constexpr std::int64_t kMb = 192;      // activation rows per block

// Calls fn.template operator()<R, B>() for runtime r in [1, 4], b in [1, 3].
template <typename F>
void dispatch_tile(int r, int b, F&& fn) {
    switch (r * 4 + b) {
    case 5: fn.template operator()<1, 1>(); break;
    case 6: fn.template operator()<1, 2>(); break;
    case 7: fn.template operator()<1, 3>(); break;
    case 9: fn.template operator()<2, 1>(); break;
    case 10: fn.template operator()<2, 2>(); break;
    case 11: fn.template operator()<2, 3>(); break;
    case 13: fn.template operator()<3, 1>(); break;
    case 14: fn.template operator()<3, 2>(); break;
    case 15: fn.template operator()<3, 3>(); break;
    case 17: fn.template operator()<4, 1>(); break;
    default: throw std::logic_error("speed: no tile kernel for this shape");
    }
}

// Runs tile(r0, nr, b0, nb, k0, k1, out[nr * nb]) over the whole product and accumulates `out` (float,
// already scaled for its k-block) into y (batch x rows), which it zeroes first.
template <typename Tile>
void run_tiles(std::int64_t batch, std::int64_t rows, std::int64_t K, std::int64_t kc, float* y, Tile&& tile) {
    std::fill(y, y + batch * rows, 0.0f);
    const int tr = batch == 1 ? kGemvR : kR;
    const std::int64_t tiles = (rows + tr - 1) / tr;
    const std::int64_t kstep = batch == 1 ? K : kc;
    const std::int64_t mstep = batch == 1 ? 1 : kMb;
#pragma omp parallel
    {
        float out[kGemvR * kB];
        for (std::int64_t k0 = 0; k0 < K; k0 += kstep) {
            const std::int64_t k1 = std::min(K, k0 + kstep);
            for (std::int64_t m0 = 0; m0 < batch; m0 += mstep) {
                const std::int64_t m1 = std::min(batch, m0 + mstep);
#pragma omp for schedule(static) nowait
                for (std::int64_t t = 0; t < tiles; ++t) {
                    const std::int64_t r0 = t * tr;
                    const int nr = static_cast<int>(std::min<std::int64_t>(tr, rows - r0));
                    for (std::int64_t b0 = m0; b0 < m1; b0 += kB) {
                        const int nb = static_cast<int>(std::min<std::int64_t>(kB, m1 - b0));
                        tile(r0, nr, b0, nb, k0, k1, out);
                        for (int i = 0; i < nr; ++i)
                            for (int j = 0; j < nb; ++j) y[(b0 + j) * rows + r0 + i] += out[i * nb + j];
                    }
                }
            }
        }
    }
}

void int8_vector(const Int8Activations& a, const Int8Weights& w, float* y, Isa isa) {
#if QL_SPEED_X86
    const std::int64_t K = w.padded_cols;
    const std::int64_t kc = kInt8SumBlock;
    const std::int64_t nblocks = (K + kc - 1) / kc;
    run_tiles(a.batch, w.rows, K, kc, y, [&](std::int64_t r0, int nr, std::int64_t b0, int nb, std::int64_t k0, std::int64_t k1, float* out) {
        const std::int8_t* wr[kGemvR];
        const std::int8_t* xr[kB];
        for (int i = 0; i < nr; ++i) wr[i] = w.q.data() + (r0 + i) * K;
        for (int j = 0; j < nb; ++j) xr[j] = a.q.data() + (b0 + j) * a.padded_cols;
        std::int32_t acc[kGemvR * kB];
        dispatch_tile(nr, nb, [&]<int R, int B>() {
            if (isa == Isa::Avx512Vnni) int8_tile_vnni<R, B>(wr, xr, k0, k1, acc);
            else int8_tile_avx2<R, B>(wr, xr, k0, k1, acc);
        });
        for (int i = 0; i < nr; ++i) {
            std::int32_t corr = 0;
            if (isa == Isa::Avx512Vnni) {
                // 128 * sum_k w over this k-block (the whole row when the block is the row)
                corr = 128 * (k0 == 0 && k1 == K ? w.row_sum[r0 + i] : w.block_sum[(r0 + i) * nblocks + k0 / kc]);
            }
            for (int j = 0; j < nb; ++j)
                out[i * nb + j] = static_cast<float>(acc[i * nb + j] - corr) * (w.scale[r0 + i] * a.scale[b0 + j]);
        }
    });
#else
    (void)isa;
    int8_scalar(a, w, y);
#endif
}

void w4_vector(const Int8Activations& a, const W4Weights& w, float* y, Isa isa) {
#if QL_SPEED_X86
    const std::int64_t K = w.padded_cols;
    const std::int64_t kc = std::max<std::int64_t>(w.group, kKc / w.group * w.group);
    const std::vector<std::int32_t> gsum = group_sums(a, w.group, w.groups);
    run_tiles(a.batch, w.rows, K, kc, y, [&](std::int64_t r0, int nr, std::int64_t b0, int nb, std::int64_t k0, std::int64_t k1, float* out) {
        const std::uint8_t* wr[kGemvR];
        const float* sr[kGemvR];
        const std::int8_t* xr[kB];
        for (int i = 0; i < nr; ++i) {
            wr[i] = w.packed.data() + (r0 + i) * (K / 2);
            sr[i] = w.scale.data() + (r0 + i) * w.groups;
        }
        for (int j = 0; j < nb; ++j) xr[j] = a.q.data() + (b0 + j) * a.padded_cols;
        dispatch_tile(nr, nb, [&]<int R, int B>() {
            if (isa == Isa::Avx512Vnni) w4_tile_vnni<R, B>(wr, sr, xr, k0, k1, w.group, out);
            else w4_tile_avx2<R, B>(wr, sr, xr, k0, k1, w.group, out);
        });
        // offset: sum (u - 8) x = sum u x - 8 sum x, per group with its scale
        for (int i = 0; i < nr; ++i)
            for (int j = 0; j < nb; ++j) {
                float corr = 0;
                for (std::int64_t g = k0 / w.group; g < k1 / w.group; ++g)
                    corr += sr[i][g] * static_cast<float>(gsum[static_cast<std::size_t>((b0 + j) * w.groups + g)]);
                out[i * nb + j] = (out[i * nb + j] - 8.0f * corr) * a.scale[b0 + j];
            }
    });
#else
    (void)isa;
    w4_scalar(a, w, y);
#endif
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Entry points

void matmul_f32(const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols, float* y, Isa isa) {
    check_dims(batch, rows, cols);
    isa = resolve(isa);
#if QL_SPEED_X86
    if (isa != Isa::Scalar) {
        if (batch == 1) f32_gemv_avx2(x, w, rows, cols, y);
        else f32_gemm_eigen(x, batch, w, rows, cols, y);
        return;
    }
#endif
    f32_scalar(x, batch, w, rows, cols, y);
}

void matmul_int8(const float* x, std::int64_t batch, const Int8Weights& w, float* y, Isa isa) {
    check_dims(batch, w.rows, w.cols);
    isa = resolve(isa);
    const Int8Activations a = quantize_activations(x, batch, w.cols, w.padded_cols);
    if (isa == Isa::Scalar) int8_scalar(a, w, y);
    else int8_vector(a, w, y, isa);
}

void matmul_w4(const float* x, std::int64_t batch, const W4Weights& w, float* y, Isa isa) {
    check_dims(batch, w.rows, w.cols);
    isa = resolve(isa);
    const Int8Activations a = quantize_activations(x, batch, w.cols, w.padded_cols);
    if (isa == Isa::Scalar) w4_scalar(a, w, y);
    else w4_vector(a, w, y, isa);
}

} // namespace ql::speed
