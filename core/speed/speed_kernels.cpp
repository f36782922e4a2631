// CPU speed kernels (see speed_kernels.h). Vector paths are compiled with GCC/Clang target attributes,
// so this file builds for any x86-64 and picks the path at run time; the plain C++ path is the
// fallback and the behaviour on other architectures.
//
// Not the exact-arithmetic path: FMA intrinsics and reordered float sums are fine here (the core's
// -ffp-contract=off still applies to the plain C++ loops, which keeps the scalar path predictable).
//
// Integer products work on the 16-row weight tiles of speed_kernels.h: a vector lane is an output row,
// the activation's 4 consecutive bytes are broadcast to every lane, so a tile's sums need no
// horizontal reduction. A micro-kernel holds NT tiles x MR activation rows of accumulators in
// registers (the register block) over a k-block:
//   INT8, VNNI:   dpbusd(w + 128, x) -> int32 lanes; minus 128 * sum_k x[b][k] per activation row
//   INT8, AVX2:   w = (w + 128) ^ 0x80; maddubs(|x|, sign(w, x)) -> int16 pairs (<= 2*127*127, no
//                 saturation), madd with ones -> int32
//   W4, VNNI:     dpbusd(u, x) -> int32 per group, u in [0, 15]
//   W4, AVX2:     maddubs(u, x) (<= 2*15*127 per int16 lane; two nibble halves x 4 steps summed in
//                 int16 stay below 32767), madd -> int32 per group
//   W4 offset:    sum_k (u - 8) x = sum_k u x - 8 sum_k x, the last term per (activation row, group);
//                 then times the group scale (a vector of the tile's 16 rows) into float accumulators.
//
// Decode (batch 1) is bound by the memory read: each thread splits its tiles into 4 bands and walks
// them side by side, so the hardware prefetchers serve 4 sequential streams per core (one stream
// reaches only about 60% of the read floor here). Prefill (batch > 1) is bound by the dot products:
// k-blocks keep a thread's tile group in L1 while the activation rows of the block stream from L2.
#include "core/speed/speed_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <numeric>
#include <stdexcept>
#include <utility>

// GCC 12's 512-bit intrinsics (_mm512_cvtepi32_ps and others) pass _mm512_undefined_ps(), a
// self-initialised variable, and warn about it wherever they are inlined: not for these headers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
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
#pragma GCC diagnostic pop

// Register blocks: the loops over a block's tiles, rows and halves are unrolled so that every
// accumulator is a register. GCC keeps such accumulator arrays in memory (stored and reloaded every
// step) once partial redundancy elimination has run on the k loop, so the micro-kernels opt out of it.
#define QL_UNROLL _Pragma("GCC unroll 32")
#if defined(__GNUC__) && !defined(__clang__)
#define QL_MICRO __attribute__((optimize("no-tree-pre")))
#else
#define QL_MICRO
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

// Byte of code(r, k) in Int8Weights::q.
std::size_t int8_at(std::int64_t padded_cols, std::int64_t r, std::int64_t k) {
    const std::int64_t t = r / kTileRows, i = r % kTileRows;
    return static_cast<std::size_t>(((t * (padded_cols / 4) + k / 4) * kTileRows + i) * 4 + k % 4);
}

// Byte of u(r, k) in W4Weights::packed (low nibble when k % 8 < 4).
std::size_t w4_at(std::int64_t padded_cols, std::int64_t r, std::int64_t k) {
    const std::int64_t t = r / kTileRows, i = r % kTileRows;
    return static_cast<std::size_t>((t * (padded_cols / 8) + k / 8) * 64 + 4 * i + k % 4);
}

} // namespace

int Int8Weights::code(std::int64_t r, std::int64_t k) const { return int(q[int8_at(padded_cols, r, k)]) - 128; }

std::vector<std::int8_t> Int8Weights::row_major() const {
    std::vector<std::int8_t> out(static_cast<std::size_t>(rows * padded_cols));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t k = 0; k < padded_cols; ++k) out[static_cast<std::size_t>(r * padded_cols + k)] = static_cast<std::int8_t>(code(r, k));
    return out;
}

int W4Weights::code(std::int64_t r, std::int64_t k) const {
    const std::uint8_t b = packed[w4_at(padded_cols, r, k)];
    return k % 8 < 4 ? (b & 0x0F) : (b >> 4);
}

float W4Weights::group_scale(std::int64_t r, std::int64_t g) const {
    return scale[static_cast<std::size_t>(((r / kTileRows) * groups + g) * kTileRows + r % kTileRows)];
}

std::vector<std::uint8_t> W4Weights::row_major_packed() const {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(rows * padded_cols / 2));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t k = 0; k < padded_cols; ++k) {
            const std::int64_t c = k / 64, j = k % 64;
            std::uint8_t& b = out[static_cast<std::size_t>(r * (padded_cols / 2) + c * 32 + j % 32)];
            b = static_cast<std::uint8_t>(j < 32 ? (b & 0xF0) | code(r, k) : (b & 0x0F) | (code(r, k) << 4));
        }
    return out;
}

std::vector<float> W4Weights::row_major_scale() const {
    std::vector<float> out(static_cast<std::size_t>(rows * groups));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t g = 0; g < groups; ++g) out[static_cast<std::size_t>(r * groups + g)] = group_scale(r, g);
    return out;
}

// q = clamp(round(W / s), -127, 127), s = max|W[r]| / 127 (1 when the row is zero).
Int8Weights quantize_int8_rows(const float* w, std::int64_t rows, std::int64_t cols) {
    check_dims(1, rows, cols);
    Int8Weights out;
    out.rows = rows;
    out.cols = cols;
    out.padded_cols = round_up(cols, 64);
    out.tiles = (rows + kTileRows - 1) / kTileRows;
    out.q.assign(static_cast<std::size_t>(out.tiles * kTileRows * out.padded_cols), 128);
    out.scale.assign(static_cast<std::size_t>(out.tiles * kTileRows), 0.0f);
    // by tiles: the rows of a tile share cache lines
#pragma omp parallel for schedule(static)
    for (std::int64_t t = 0; t < out.tiles; ++t)
        for (std::int64_t r = t * kTileRows; r < std::min(rows, (t + 1) * kTileRows); ++r) {
            const float* src = w + r * cols;
            const float m = absmax(src, cols);
            const float s = m > 0 ? m / 127.0f : 1.0f;
            for (std::int64_t k = 0; k < cols; ++k) {
                const int q = static_cast<int>(std::clamp(std::nearbyint(src[k] / s), -127.0f, 127.0f));
                out.q[int8_at(out.padded_cols, r, k)] = static_cast<std::uint8_t>(q + 128);
            }
            out.scale[static_cast<std::size_t>(r)] = s;
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
    out.tiles = (rows + kTileRows - 1) / kTileRows;
    out.packed.assign(static_cast<std::size_t>(out.tiles * kTileRows * out.padded_cols / 2), 0x88);
    out.scale.assign(static_cast<std::size_t>(out.tiles * out.groups * kTileRows), 0.0f);
#pragma omp parallel for schedule(static)
    for (std::int64_t t = 0; t < out.tiles; ++t)
        for (std::int64_t r = t * kTileRows; r < std::min(rows, (t + 1) * kTileRows); ++r) {
            const float* src = w + r * cols;
            for (std::int64_t g = 0; g < out.groups; ++g) {
                const std::int64_t k0 = g * group, k1 = std::min<std::int64_t>(k0 + group, cols);
                const float m = k0 < cols ? absmax(src + k0, k1 - k0) : 0.0f;
                const float s = m > 0 ? m / 7.0f : 0.0f;
                out.scale[static_cast<std::size_t>((t * out.groups + g) * kTileRows + r % kTileRows)] = s;
                for (std::int64_t k = k0; k < k1; ++k) {
                    const int q = s > 0 ? static_cast<int>(std::clamp(std::nearbyint(src[k] / s), -8.0f, 7.0f)) : 0;
                    const int u = q + 8;
                    std::uint8_t& b = out.packed[w4_at(out.padded_cols, r, k)];
                    b = k % 8 < 4 ? static_cast<std::uint8_t>((b & 0xF0) | u) : static_cast<std::uint8_t>((b & 0x0F) | (u << 4));
                }
            }
        }
    return out;
}

// Per row: s = max|x[b]| / 127 (1 when zero), q = clamp(round(x / s), -127, 127), zero padding.
Int8Activations quantize_activations(const float* x, std::int64_t batch, std::int64_t cols, std::int64_t padded_cols,
                                     std::int64_t sum_block) {
    check_dims(batch, 1, cols);
    Int8Activations a;
    a.batch = batch;
    a.cols = cols;
    a.padded_cols = std::max(padded_cols, cols);
    a.q.assign(static_cast<std::size_t>(batch * a.padded_cols), 0);
    a.scale.resize(static_cast<std::size_t>(batch));
    a.sum_block = std::max<std::int64_t>(sum_block, 0);
    const std::int64_t nsums = a.sum_block > 0 ? (a.padded_cols + a.sum_block - 1) / a.sum_block : 0;
    a.sums.assign(static_cast<std::size_t>(batch * nsums), 0);
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
        for (std::int64_t i = 0; i < nsums; ++i) {
            std::int32_t t = 0;
            for (std::int64_t k = i * a.sum_block; k < std::min(cols, (i + 1) * a.sum_block); ++k) t += dst[k];
            a.sums[static_cast<std::size_t>(b * nsums + i)] = t;
        }
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
    const std::int64_t steps = w.padded_cols / 4;
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < w.rows; ++r) {
        const std::uint8_t* wt = w.q.data() + (r / kTileRows) * steps * 64 + (r % kTileRows) * 4;
        for (std::int64_t b = 0; b < a.batch; ++b) {
            const std::int8_t* xq = a.q.data() + b * a.padded_cols;
            std::int32_t acc = 0;
            for (std::int64_t s = 0; s < steps; ++s)
                for (int j = 0; j < 4; ++j) acc += (int(wt[s * 64 + j]) - 128) * xq[4 * s + j];
            y[b * w.rows + r] = static_cast<float>(acc) * (w.scale[static_cast<std::size_t>(r)] * a.scale[static_cast<std::size_t>(b)]);
        }
    }
}

void w4_scalar(const Int8Activations& a, const W4Weights& w, float* y) {
    const std::int64_t steps = w.padded_cols / 8, per_group = w.group / 8;
#pragma omp parallel for schedule(static)
    for (std::int64_t r = 0; r < w.rows; ++r) {
        const std::uint8_t* wt = w.packed.data() + (r / kTileRows) * steps * 64 + (r % kTileRows) * 4;
        for (std::int64_t b = 0; b < a.batch; ++b) {
            const std::int8_t* xq = a.q.data() + b * a.padded_cols;
            float acc = 0;
            for (std::int64_t g = 0; g < w.groups; ++g) {
                std::int32_t dot = 0;
                for (std::int64_t s = g * per_group; s < (g + 1) * per_group; ++s)
                    for (int j = 0; j < 4; ++j) {
                        const std::uint8_t byte = wt[s * 64 + j];
                        dot += ((byte & 0x0F) - 8) * xq[8 * s + j] + ((byte >> 4) - 8) * xq[8 * s + 4 + j];
                    }
                acc += static_cast<float>(dot) * w.group_scale(r, g);
            }
            y[b * w.rows + r] = acc * a.scale[static_cast<std::size_t>(b)];
        }
    }
}

#if QL_SPEED_X86

// ---------------------------------------------------------------------------------------------
// FP32 GEMV (AVX2 + FMA; also the AVX-512 machines' path: 256-bit loads keep the read at the floor
// whatever the alignment of the caller's weights, where unaligned 512-bit loads lose a third)

QL_TARGET("avx2,fma") inline float hsum_ps(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// y[r] = sum_k w[r][k] x[k] for the NR rows `rows[]`, two accumulators per row.
template <int NR>
QL_TARGET("avx2,fma") QL_MICRO void f32_rows_avx2(const float* x, const float* w, std::int64_t cols, const std::int64_t* rows, float* y) {
    const std::int64_t k16 = cols / 16 * 16;
    const float* wr[NR];
    QL_UNROLL for (int i = 0; i < NR; ++i) wr[i] = w + rows[i] * cols;
    __m256 a[NR], b[NR];
    QL_UNROLL for (int i = 0; i < NR; ++i) a[i] = b[i] = _mm256_setzero_ps();
    for (std::int64_t k = 0; k < k16; k += 16) {
        const __m256 x0 = _mm256_loadu_ps(x + k), x1 = _mm256_loadu_ps(x + k + 8);
        QL_UNROLL for (int i = 0; i < NR; ++i) {
            a[i] = _mm256_fmadd_ps(_mm256_loadu_ps(wr[i] + k), x0, a[i]);
            b[i] = _mm256_fmadd_ps(_mm256_loadu_ps(wr[i] + k + 8), x1, b[i]);
        }
    }
    QL_UNROLL for (int i = 0; i < NR; ++i) {
        float s = hsum_ps(_mm256_add_ps(a[i], b[i]));
        for (std::int64_t k = k16; k < cols; ++k) s += wr[i][k] * x[k];
        y[rows[i]] = s;
    }
}

// Each thread's rows in 4 bands walked side by side (4 sequential read streams per core).
void f32_gemv_avx2(const float* x, const float* w, std::int64_t rows, std::int64_t cols, float* y) {
#pragma omp parallel
    {
        const int nt = omp_get_num_threads(), th = omp_get_thread_num();
        const std::int64_t r0 = rows * th / nt, r1 = rows * (th + 1) / nt, len = (r1 - r0) / 4;
        for (std::int64_t i = 0; i < len; ++i) {
            const std::int64_t rs[4] = {r0 + i, r0 + len + i, r0 + 2 * len + i, r0 + 3 * len + i};
            f32_rows_avx2<4>(x, w, cols, rs, y);
        }
        for (std::int64_t r = r0 + 4 * len; r < r1; ++r) f32_rows_avx2<1>(x, w, cols, &r, y);
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

// ---------------------------------------------------------------------------------------------
// Integer micro-kernels: NT weight tiles (tile[n]) x MR activation rows (b0 ..) over inputs [k0, k1),
// adding their part of y[b][16 tile[n] + i] into y (batch x rows). The activation codes come from a
// panel of PS rows, 4 inputs of each row after another: row m's inputs 4s .. 4s + 3 at
// xp[(s * PS + m) * 4] (PS = 1: the plain row), so a block's broadcasts share one pointer.

// One product: the weights, the activations (scales, and sums per group or k-block) and y.
template <typename Weights>
struct Product {
    const Weights& w;
    const Int8Activations& a;
    float* y;
};

inline std::int32_t load4(const std::int8_t* p) {
    std::int32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// Rows of tile t that exist (16 but in the last tile).
inline int valid_rows(std::int64_t rows, std::int64_t t) { return static_cast<int>(std::min<std::int64_t>(kTileRows, rows - t * kTileRows)); }

// y[0 .. n) += v[0 .. n) for the 8 lanes of v (n <= 8).
QL_TARGET("avx2,fma") inline void add_lanes(float* y, __m256 v, int n) {
    if (n >= 8) {
        _mm256_storeu_ps(y, _mm256_add_ps(_mm256_loadu_ps(y), v));
        return;
    }
    alignas(32) float t[8];
    _mm256_store_ps(t, v);
    QL_UNROLL for (int i = 0; i < n; ++i) y[i] += t[i];
}

// INT8, AVX2: 256-bit halves of each 64-byte step (rows 0-7, rows 8-15 of the tile).
template <int NT, int MR, int PS>
QL_TARGET("avx2,fma") QL_MICRO void int8_micro_avx2(const Product<Int8Weights>& p, const std::int64_t* tile, std::int64_t b0, const std::int8_t* xp,
                    std::int64_t k0, std::int64_t k1) {
    const std::int64_t steps = p.w.padded_cols / 4;
    const std::uint8_t* wt[NT];
    QL_UNROLL for (int n = 0; n < NT; ++n) wt[n] = p.w.q.data() + tile[n] * steps * 64;
    __m256i acc[NT][2][MR];
    QL_UNROLL for (int n = 0; n < NT; ++n)
        QL_UNROLL for (int h = 0; h < 2; ++h)
            QL_UNROLL for (int m = 0; m < MR; ++m) acc[n][h][m] = _mm256_setzero_si256();
    const __m256i flip = _mm256_set1_epi8(static_cast<char>(0x80)), ones = _mm256_set1_epi16(1);
    for (std::int64_t s = k0 / 4; s < k1 / 4; ++s) {
        __m256i wv[NT][2];
        QL_UNROLL for (int n = 0; n < NT; ++n)
            QL_UNROLL for (int h = 0; h < 2; ++h)
                wv[n][h] = _mm256_xor_si256(_mm256_load_si256(reinterpret_cast<const __m256i*>(wt[n] + s * 64 + 32 * h)), flip);
        QL_UNROLL for (int m = 0; m < MR; ++m) {
            const __m256i xb = _mm256_set1_epi32(load4(xp + (s * PS + m) * 4));
            const __m256i ax = _mm256_abs_epi8(xb);
            QL_UNROLL for (int n = 0; n < NT; ++n)
                QL_UNROLL for (int h = 0; h < 2; ++h)
                    acc[n][h][m] = _mm256_add_epi32(acc[n][h][m], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(wv[n][h], xb)), ones));
        }
    }
    QL_UNROLL for (int n = 0; n < NT; ++n) {
        const int valid = valid_rows(p.w.rows, tile[n]);
        QL_UNROLL for (int h = 0; h < 2; ++h) {
            if (valid <= 8 * h) continue;
            const __m256 sw = _mm256_load_ps(p.w.scale.data() + tile[n] * kTileRows + 8 * h);
            QL_UNROLL for (int m = 0; m < MR; ++m) {
                const __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[n][h][m]), _mm256_mul_ps(sw, _mm256_set1_ps(p.a.scale[b0 + m])));
                add_lanes(p.y + (b0 + m) * p.w.rows + tile[n] * kTileRows + 8 * h, v, valid - 8 * h);
            }
        }
    }
}

// W4, AVX2.
template <int NT, int MR, int PS>
QL_TARGET("avx2,fma") QL_MICRO void w4_micro_avx2(const Product<W4Weights>& p, const std::int64_t* tile, std::int64_t b0, const std::int8_t* xp,
                    std::int64_t k0, std::int64_t k1) {
    const std::int64_t steps = p.w.padded_cols / 8, per_group = p.w.group / 8;
    const std::int64_t nsums = (p.a.padded_cols + p.a.sum_block - 1) / p.a.sum_block;
    const std::uint8_t* wt[NT];
    QL_UNROLL for (int n = 0; n < NT; ++n) wt[n] = p.w.packed.data() + tile[n] * steps * 64;
    __m256 accf[NT][2][MR];
    QL_UNROLL for (int n = 0; n < NT; ++n)
        QL_UNROLL for (int h = 0; h < 2; ++h)
            QL_UNROLL for (int m = 0; m < MR; ++m) accf[n][h][m] = _mm256_setzero_ps();
    const __m256i low = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
    for (std::int64_t g = k0 / p.w.group; g < k1 / p.w.group; ++g) {
        __m256i acc[NT][2][MR];
        QL_UNROLL for (int n = 0; n < NT; ++n)
            QL_UNROLL for (int h = 0; h < 2; ++h)
                QL_UNROLL for (int m = 0; m < MR; ++m) acc[n][h][m] = _mm256_setzero_si256();
        for (std::int64_t s4 = g * per_group; s4 < (g + 1) * per_group; s4 += 4) {
            __m256i p16[NT][2][MR];
            QL_UNROLL for (int n = 0; n < NT; ++n)
                QL_UNROLL for (int h = 0; h < 2; ++h)
                    QL_UNROLL for (int m = 0; m < MR; ++m) p16[n][h][m] = _mm256_setzero_si256();
            for (std::int64_t s = s4; s < s4 + 4; ++s) {
                __m256i lo[NT][2], hi[NT][2];
                QL_UNROLL for (int n = 0; n < NT; ++n)
                    QL_UNROLL for (int h = 0; h < 2; ++h) {
                        const __m256i raw = _mm256_load_si256(reinterpret_cast<const __m256i*>(wt[n] + s * 64 + 32 * h));
                        lo[n][h] = _mm256_and_si256(raw, low);
                        hi[n][h] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), low);
                    }
                QL_UNROLL for (int m = 0; m < MR; ++m) {
                    const __m256i xl = _mm256_set1_epi32(load4(xp + (2 * s * PS + m) * 4)), xh = _mm256_set1_epi32(load4(xp + ((2 * s + 1) * PS + m) * 4));
                    QL_UNROLL for (int n = 0; n < NT; ++n)
                        QL_UNROLL for (int h = 0; h < 2; ++h)
                            p16[n][h][m] = _mm256_add_epi16(p16[n][h][m], _mm256_add_epi16(_mm256_maddubs_epi16(lo[n][h], xl),
                                                                                          _mm256_maddubs_epi16(hi[n][h], xh)));
                }
            }
            QL_UNROLL for (int n = 0; n < NT; ++n)
                QL_UNROLL for (int h = 0; h < 2; ++h)
                    QL_UNROLL for (int m = 0; m < MR; ++m) acc[n][h][m] = _mm256_add_epi32(acc[n][h][m], _mm256_madd_epi16(p16[n][h][m], ones));
        }
        QL_UNROLL for (int m = 0; m < MR; ++m) {
            const __m256i off = _mm256_set1_epi32(8 * p.a.sums[static_cast<std::size_t>((b0 + m) * nsums + g)]);
            QL_UNROLL for (int n = 0; n < NT; ++n)
                QL_UNROLL for (int h = 0; h < 2; ++h) {
                    const __m256 sc = _mm256_load_ps(p.w.scale.data() + (tile[n] * p.w.groups + g) * kTileRows + 8 * h);
                    accf[n][h][m] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc[n][h][m], off)), sc, accf[n][h][m]);
                }
        }
    }
    QL_UNROLL for (int n = 0; n < NT; ++n) {
        const int valid = valid_rows(p.w.rows, tile[n]);
        QL_UNROLL for (int h = 0; h < 2; ++h) {
            if (valid <= 8 * h) continue;
            QL_UNROLL for (int m = 0; m < MR; ++m)
                add_lanes(p.y + (b0 + m) * p.w.rows + tile[n] * kTileRows + 8 * h,
                          _mm256_mul_ps(accf[n][h][m], _mm256_set1_ps(p.a.scale[b0 + m])), valid - 8 * h);
        }
    }
}

#define QL_VNNI_TARGET "avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni"

// y[0 .. 16) += v on the lanes of the tile's rows that exist.
QL_TARGET(QL_VNNI_TARGET) inline void add_tile(float* y, __m512 v, int valid) {
    const __mmask16 k = valid >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << valid) - 1);
    _mm512_mask_storeu_ps(y, k, _mm512_add_ps(_mm512_maskz_loadu_ps(k, y), v));
}

// INT8, AVX-512 VNNI: dpbusd(w + 128, x); the k-block's activation sums (a.sums, blocks of k1 - k0
// inputs or the whole row) remove the +128.
template <int NT, int MR, int PS>
QL_TARGET(QL_VNNI_TARGET) QL_MICRO void int8_micro_vnni(const Product<Int8Weights>& p, const std::int64_t* tile, std::int64_t b0, const std::int8_t* xp,
                    std::int64_t k0, std::int64_t k1) {
    const std::int64_t steps = p.w.padded_cols / 4;
    const std::uint8_t* wt[NT];
    QL_UNROLL for (int n = 0; n < NT; ++n) wt[n] = p.w.q.data() + tile[n] * steps * 64;
    __m512i acc[NT][MR];
    QL_UNROLL for (int n = 0; n < NT; ++n)
        QL_UNROLL for (int m = 0; m < MR; ++m) acc[n][m] = _mm512_setzero_si512();
    for (std::int64_t s = k0 / 4; s < k1 / 4; ++s) {
        __m512i wv[NT];
        QL_UNROLL for (int n = 0; n < NT; ++n) wv[n] = _mm512_load_si512(wt[n] + s * 64);
        QL_UNROLL for (int m = 0; m < MR; ++m) {
            const __m512i xb = _mm512_set1_epi32(load4(xp + (s * PS + m) * 4));
            QL_UNROLL for (int n = 0; n < NT; ++n) acc[n][m] = _mm512_dpbusd_epi32(acc[n][m], wv[n], xb);
        }
    }
    const std::int64_t nsums = (p.a.padded_cols + p.a.sum_block - 1) / p.a.sum_block;
    QL_UNROLL for (int m = 0; m < MR; ++m) {
        std::int32_t sx = 0;  // sum of x over [k0, k1): whole sum blocks
        for (std::int64_t i = k0 / p.a.sum_block; i < (k1 + p.a.sum_block - 1) / p.a.sum_block; ++i)
            sx += p.a.sums[static_cast<std::size_t>((b0 + m) * nsums + i)];
        const __m512i off = _mm512_set1_epi32(128 * sx);
        const __m512 xs = _mm512_set1_ps(p.a.scale[b0 + m]);
        QL_UNROLL for (int n = 0; n < NT; ++n) {
            const __m512 sw = _mm512_load_ps(p.w.scale.data() + tile[n] * kTileRows);
            add_tile(p.y + (b0 + m) * p.w.rows + tile[n] * kTileRows,
                     _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[n][m], off)), _mm512_mul_ps(sw, xs)), valid_rows(p.w.rows, tile[n]));
        }
    }
}

// W4, AVX-512 VNNI.
template <int NT, int MR, int PS>
QL_TARGET(QL_VNNI_TARGET) QL_MICRO void w4_micro_vnni(const Product<W4Weights>& p, const std::int64_t* tile, std::int64_t b0, const std::int8_t* xp,
                    std::int64_t k0, std::int64_t k1) {
    const std::int64_t steps = p.w.padded_cols / 8, per_group = p.w.group / 8;
    const std::int64_t nsums = (p.a.padded_cols + p.a.sum_block - 1) / p.a.sum_block;
    const std::uint8_t* wt[NT];
    QL_UNROLL for (int n = 0; n < NT; ++n) wt[n] = p.w.packed.data() + tile[n] * steps * 64;
    __m512 accf[NT][MR];
    QL_UNROLL for (int n = 0; n < NT; ++n)
        QL_UNROLL for (int m = 0; m < MR; ++m) accf[n][m] = _mm512_setzero_ps();
    const __m512i low = _mm512_set1_epi8(0x0F);
    for (std::int64_t g = k0 / p.w.group; g < k1 / p.w.group; ++g) {
        __m512i acc[NT][MR];
        QL_UNROLL for (int n = 0; n < NT; ++n)
            QL_UNROLL for (int m = 0; m < MR; ++m) acc[n][m] = _mm512_setzero_si512();
        for (std::int64_t s = g * per_group; s < (g + 1) * per_group; ++s) {
            __m512i lo[NT], hi[NT];
            QL_UNROLL for (int n = 0; n < NT; ++n) {
                const __m512i raw = _mm512_load_si512(wt[n] + s * 64);
                lo[n] = _mm512_and_si512(raw, low);
                hi[n] = _mm512_and_si512(_mm512_srli_epi16(raw, 4), low);
            }
            QL_UNROLL for (int m = 0; m < MR; ++m) {
                const __m512i xl = _mm512_set1_epi32(load4(xp + (2 * s * PS + m) * 4)), xh = _mm512_set1_epi32(load4(xp + ((2 * s + 1) * PS + m) * 4));
                QL_UNROLL for (int n = 0; n < NT; ++n) acc[n][m] = _mm512_dpbusd_epi32(_mm512_dpbusd_epi32(acc[n][m], lo[n], xl), hi[n], xh);
            }
        }
        QL_UNROLL for (int m = 0; m < MR; ++m) {
            const __m512i off = _mm512_set1_epi32(8 * p.a.sums[static_cast<std::size_t>((b0 + m) * nsums + g)]);
            QL_UNROLL for (int n = 0; n < NT; ++n)
                accf[n][m] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[n][m], off)),
                                             _mm512_load_ps(p.w.scale.data() + (tile[n] * p.w.groups + g) * kTileRows), accf[n][m]);
        }
    }
    QL_UNROLL for (int m = 0; m < MR; ++m) {
        const __m512 xs = _mm512_set1_ps(p.a.scale[b0 + m]);
        QL_UNROLL for (int n = 0; n < NT; ++n)
            add_tile(p.y + (b0 + m) * p.w.rows + tile[n] * kTileRows, _mm512_mul_ps(accf[n][m], xs), valid_rows(p.w.rows, tile[n]));
    }
}

#endif // QL_SPEED_X86

// ---------------------------------------------------------------------------------------------
// Drivers: which micro-kernel runs on which tiles, activation rows and k-blocks, on which thread.
// Threads split the weight tiles; y is zeroed first, then every call adds into it.

// Register blocks (tiles x activation rows) per path, and the prefill blocking.
struct Blocking {
    int nt;                    // tiles per micro-kernel call (the weights a loaded vector is reused over)
    int mr;                    // activation rows per call
};
constexpr Blocking kInt8Vnni{2, 12};  // 24 int32 accumulators of 32 zmm registers
constexpr Blocking kW4Vnni{1, 12};    // 12 int32 + 12 float accumulators
constexpr Blocking kInt8Avx2{1, 4};   // 8 of 16 ymm registers
constexpr Blocking kW4Avx2{1, 2};     // 3 x 4 of 16 ymm registers
constexpr int kGemvBands = 4;         // decode: read streams per thread
constexpr std::int64_t kKc = 1024;    // prefill: inputs per k-block (weights of a call: NT x 16 x kKc bytes in L1)
constexpr std::int64_t kMc = 384;     // prefill: activation rows per block (kMc x kKc bytes in L2)

// Calls f.template operator()<NT, MR>() for runtime nt in [1, NTmax], mr in [1, MRmax].
template <int NTmax, int MRmax, typename F>
void dispatch(int nt, int mr, F&& f) {
    [&]<int... I>(std::integer_sequence<int, I...>) {
        ((I == (nt - 1) * MRmax + (mr - 1) ? (f.template operator()<I / MRmax + 1, I % MRmax + 1>(), 0) : 0), ...);
    }(std::make_integer_sequence<int, NTmax * MRmax>{});
}

// Zeroes columns [16 t0, 16 t1) of y (batch x rows).
void zero_columns(float* y, std::int64_t batch, std::int64_t rows, std::int64_t t0, std::int64_t t1) {
    const std::int64_t c0 = std::min(rows, t0 * kTileRows), c1 = std::min(rows, t1 * kTileRows);
    for (std::int64_t b = 0; b < batch; ++b) std::fill(y + b * rows + c0, y + b * rows + c1, 0.0f);
}

// Decode: micro.template operator()<NT, 1, 1>(tiles, 0, x, 0, K) over 4 bands of each thread's tiles.
template <typename Micro>
void run_gemv(const Int8Activations& a, std::int64_t tiles, std::int64_t rows, std::int64_t K, float* y, Micro&& micro) {
#pragma omp parallel
    {
        const int nt = omp_get_num_threads(), th = omp_get_thread_num();
        const std::int64_t t0 = tiles * th / nt, t1 = tiles * (th + 1) / nt, len = (t1 - t0) / kGemvBands;
        zero_columns(y, 1, rows, t0, t1);
        for (std::int64_t i = 0; i < len; ++i) {
            std::int64_t ts[kGemvBands];
            for (int s = 0; s < kGemvBands; ++s) ts[s] = t0 + s * len + i;
            micro.template operator()<kGemvBands, 1, 1>(ts, 0, a.q.data(), 0, K);
        }
        for (std::int64_t t = t0 + kGemvBands * len; t < t1; ++t) micro.template operator()<1, 1, 1>(&t, 0, a.q.data(), 0, K);
    }
}

// Activation rows in panels of MR (see the micro-kernels): panel p, inputs 4s .. 4s + 3 of its row m at
// ((p * K / 4 + s) * MR + m) * 4; rows past the batch are zero.
template <int MR>
AlignedVector<std::int8_t> pack_panels(const Int8Activations& a, std::int64_t K) {
    const std::int64_t panels = (a.batch + MR - 1) / MR, steps = K / 4;
    AlignedVector<std::int8_t> out(static_cast<std::size_t>(panels * steps * MR * 4));
#pragma omp parallel for schedule(static)
    for (std::int64_t p = 0; p < panels; ++p)
        for (int m = 0; m < MR; ++m) {
            const std::int64_t b = p * MR + m;
            std::int8_t* dst = out.data() + p * steps * MR * 4 + m * 4;
            if (b >= a.batch) {
                for (std::int64_t s = 0; s < steps; ++s) std::memset(dst + s * MR * 4, 0, 4);
                continue;
            }
            const std::int8_t* src = a.q.data() + b * a.padded_cols;
            for (std::int64_t s = 0; s < steps; ++s) std::memcpy(dst + s * MR * 4, src + 4 * s, 4);
        }
    return out;
}

// Prefill: k-blocks of kc inputs, blocks of kMc activation rows, then register blocks of NT tiles x
// MR rows (the tile group stays in L1 while the block's activation panels pass). Threads take tile
// groups as they come (a thread that the system holds back leaves its share to the other); the
// barrier after each block orders the additions into y.
template <Blocking B, typename Micro>
void run_gemm(const Int8Activations& a, std::int64_t tiles, std::int64_t rows, std::int64_t K, std::int64_t kc, float* y, Micro&& micro) {
    static_assert(kMc % B.mr == 0, "an activation block is whole panels");
    const AlignedVector<std::int8_t> panels = pack_panels<B.mr>(a, K);
    const std::int64_t batch = a.batch, groups = (tiles + B.nt - 1) / B.nt;
#pragma omp parallel
    {
#pragma omp for schedule(static)
        for (std::int64_t b = 0; b < batch; ++b) std::fill(y + b * rows, y + (b + 1) * rows, 0.0f);
        for (std::int64_t k0 = 0; k0 < K; k0 += kc) {
            const std::int64_t k1 = std::min(K, k0 + kc);
            for (std::int64_t m0 = 0; m0 < batch; m0 += kMc) {
                const std::int64_t m1 = std::min(batch, m0 + kMc);
#pragma omp for schedule(dynamic, 1)
                for (std::int64_t g = 0; g < groups; ++g) {
                    std::int64_t ts[B.nt];
                    const int ntile = static_cast<int>(std::min<std::int64_t>(B.nt, tiles - g * B.nt));
                    for (int n = 0; n < ntile; ++n) ts[n] = g * B.nt + n;
                    for (std::int64_t b0 = m0; b0 < m1; b0 += B.mr) {
                        const int mr = static_cast<int>(std::min<std::int64_t>(B.mr, m1 - b0));
                        const std::int8_t* xp = panels.data() + b0 * K;  // panel b0 / MR
                        dispatch<B.nt, B.mr>(ntile, mr, [&]<int NT, int MR>() { micro.template operator()<NT, MR, B.mr>(ts, b0, xp, k0, k1); });
                    }
                }
            }
        }
    }
}

void int8_vector(const Int8Activations& a, const Int8Weights& w, float* y, Isa isa) {
#if QL_SPEED_X86
    const Product<Int8Weights> p{w, a, y};
    const std::int64_t K = w.padded_cols;
    if (isa == Isa::Avx512Vnni) {
        auto micro = [&]<int NT, int MR, int PS>(const std::int64_t* t, std::int64_t b0, const std::int8_t* xp, std::int64_t k0, std::int64_t k1) {
            int8_micro_vnni<NT, MR, PS>(p, t, b0, xp, k0, k1);
        };
        if (a.batch == 1) run_gemv(a, w.tiles, w.rows, K, y, micro);
        else run_gemm<kInt8Vnni>(a, w.tiles, w.rows, K, kKc, y, micro);
    } else {
        auto micro = [&]<int NT, int MR, int PS>(const std::int64_t* t, std::int64_t b0, const std::int8_t* xp, std::int64_t k0, std::int64_t k1) {
            int8_micro_avx2<NT, MR, PS>(p, t, b0, xp, k0, k1);
        };
        if (a.batch == 1) run_gemv(a, w.tiles, w.rows, K, y, micro);
        else run_gemm<kInt8Avx2>(a, w.tiles, w.rows, K, kKc, y, micro);
    }
#else
    (void)isa;
    int8_scalar(a, w, y);
#endif
}

void w4_vector(const Int8Activations& a, const W4Weights& w, float* y, Isa isa) {
#if QL_SPEED_X86
    const Product<W4Weights> p{w, a, y};
    const std::int64_t K = w.padded_cols;
    const std::int64_t kc = std::max<std::int64_t>(w.group, kKc / w.group * w.group);
    if (isa == Isa::Avx512Vnni) {
        auto micro = [&]<int NT, int MR, int PS>(const std::int64_t* t, std::int64_t b0, const std::int8_t* xp, std::int64_t k0, std::int64_t k1) {
            w4_micro_vnni<NT, MR, PS>(p, t, b0, xp, k0, k1);
        };
        if (a.batch == 1) run_gemv(a, w.tiles, w.rows, K, y, micro);
        else run_gemm<kW4Vnni>(a, w.tiles, w.rows, K, kc, y, micro);
    } else {
        auto micro = [&]<int NT, int MR, int PS>(const std::int64_t* t, std::int64_t b0, const std::int8_t* xp, std::int64_t k0, std::int64_t k1) {
            w4_micro_avx2<NT, MR, PS>(p, t, b0, xp, k0, k1);
        };
        if (a.batch == 1) run_gemv(a, w.tiles, w.rows, K, y, micro);
        else run_gemm<kW4Avx2>(a, w.tiles, w.rows, K, kc, y, micro);
    }
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
    // the VNNI path removes its +128 per k-block with these sums
    const Int8Activations a = quantize_activations(x, batch, w.cols, w.padded_cols, isa == Isa::Avx512Vnni ? kKc : 0);
    if (isa == Isa::Scalar) int8_scalar(a, w, y);
    else int8_vector(a, w, y, isa);
}

void matmul_w4(const float* x, std::int64_t batch, const W4Weights& w, float* y, Isa isa) {
    check_dims(batch, w.rows, w.cols);
    isa = resolve(isa);
    const Int8Activations a = quantize_activations(x, batch, w.cols, w.padded_cols, w.group);
    if (isa == Isa::Scalar) w4_scalar(a, w, y);
    else w4_vector(a, w, y, isa);
}

} // namespace ql::speed
