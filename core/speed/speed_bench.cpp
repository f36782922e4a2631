// Speed measurement and the decode tokens/s model (see speed_bench.h).
#include "core/speed/speed_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <stdexcept>

#include <omp.h>

#include "core/host_memory.h"
#include "core/rng.h"

// GCC 12's 512-bit intrinsics pass _mm512_undefined_*(), a self-initialised variable, and warn about
// it wherever they are inlined: not for these headers.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define QL_SPEED_X86 1
#define QL_TARGET(t) __attribute__((target(t)))
#else
#define QL_SPEED_X86 0
#define QL_TARGET(t)
#endif
#pragma GCC diagnostic pop

namespace ql::speed {

const char* format_name(SpeedFormat f) {
    switch (f) {
    case SpeedFormat::F32: return "fp32";
    case SpeedFormat::F16: return "fp16";
    case SpeedFormat::Int8: return "int8";
    case SpeedFormat::W4: return "w4";
    case SpeedFormat::W4A16: return "w4a16";
    }
    return "?";
}

bool cpu_has_kernel(SpeedFormat f) {
    switch (f) {
    case SpeedFormat::F32:
    case SpeedFormat::Int8:
    case SpeedFormat::W4: return true;
    case SpeedFormat::F16:
    case SpeedFormat::W4A16: return false;
    }
    return false;
}

double arithmetic_intensity(std::int64_t batch, std::int64_t rows, std::int64_t cols, double weight_bytes) {
    const double ops = 2.0 * static_cast<double>(batch) * static_cast<double>(rows) * static_cast<double>(cols);
    return ops / (weight_bytes + 4.0 * static_cast<double>(batch) * static_cast<double>(rows + cols));
}

std::optional<SpeedFormat> parse_speed_format(std::string_view s) {
    std::string t(s);
    for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t == "fp32" || t == "f32") return SpeedFormat::F32;
    if (t == "fp16" || t == "f16") return SpeedFormat::F16;
    if (t == "w4a16") return SpeedFormat::W4A16;
    if (t == "int8" || t == "i8" || t == "w8") return SpeedFormat::Int8;
    if (t == "w4" || t == "int4" || t == "q4") return SpeedFormat::W4;
    return std::nullopt;
}

namespace {

#if QL_SPEED_X86
// Sum of 32-byte words [w0, w1) read as four interleaved streams (the way the GEMV kernels read four
// weight rows at once, which the hardware prefetchers serve best).
QL_TARGET("avx2") std::uint64_t read_words_avx2(const unsigned char* p, std::int64_t w0, std::int64_t w1) {
    const std::int64_t len = (w1 - w0) / 4;
    __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
    const auto* a = reinterpret_cast<const __m256i*>(p) + w0;
    for (std::int64_t i = 0; i < len; ++i) {
        s0 = _mm256_add_epi64(s0, _mm256_loadu_si256(a + i));
        s1 = _mm256_add_epi64(s1, _mm256_loadu_si256(a + len + i));
        s2 = _mm256_add_epi64(s2, _mm256_loadu_si256(a + 2 * len + i));
        s3 = _mm256_add_epi64(s3, _mm256_loadu_si256(a + 3 * len + i));
    }
    for (std::int64_t i = w0 + 4 * len; i < w1; ++i) s0 = _mm256_add_epi64(s0, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p) + i));
    const __m256i t = _mm256_add_epi64(_mm256_add_epi64(s0, s1), _mm256_add_epi64(s2, s3));
    // the lanes added as unsigned: the sum of the bytes read is a checksum that wraps (a signed sum would
    // overflow, which is undefined)
    return static_cast<std::uint64_t>(_mm256_extract_epi64(t, 0)) + static_cast<std::uint64_t>(_mm256_extract_epi64(t, 1)) +
           static_cast<std::uint64_t>(_mm256_extract_epi64(t, 2)) + static_cast<std::uint64_t>(_mm256_extract_epi64(t, 3));
}
#endif

std::uint64_t read_tail(const unsigned char* b, std::size_t from, std::size_t n);

} // namespace

std::uint64_t read_bytes(const void* data, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(data);
    std::uint64_t s = 0;
#if QL_SPEED_X86
    if (isa_supported(Isa::Avx2)) {
        const std::int64_t words = static_cast<std::int64_t>(n / 32);
#pragma omp parallel reduction(+ : s)
        {
            const int nt = omp_get_num_threads(), t = omp_get_thread_num();
            const std::int64_t w0 = words * t / nt, w1 = words * (t + 1) / nt;
            s += read_words_avx2(b, w0, w1);
        }
        return s + read_tail(b, static_cast<std::size_t>(words) * 32, n);
    }
#endif
    return read_tail(b, 0, n);
}

namespace {
// The 64-bit words of [from, n) (from a multiple of 8) and the bytes after the last whole word.
std::uint64_t read_tail(const unsigned char* b, std::size_t from, std::size_t n) {
    std::uint64_t s = 0;
    for (std::size_t i = from; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, b + i, 8);
        s += w;
    }
    for (std::size_t i = from + (n - from) / 8 * 8; i < n; ++i) s += b[i];
    return s;
}
} // namespace

namespace {

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

#if QL_SPEED_X86
// 10 independent FMA chains per thread: 10 x 8 lanes x 2 flops per iteration.
QL_TARGET("avx2,fma") double f32_peak_avx2(std::int64_t iters) {
    double total = 0;
#pragma omp parallel reduction(+ : total)
    {
        __m256 a[10];
        for (int i = 0; i < 10; ++i) a[i] = _mm256_set1_ps(1.0f + 0.001f * static_cast<float>(i));
        const __m256 m = _mm256_set1_ps(0.999999f), c = _mm256_set1_ps(1e-7f);
        for (std::int64_t it = 0; it < iters; ++it)
            for (int i = 0; i < 10; ++i) a[i] = _mm256_fmadd_ps(a[i], m, c);
        __m256 s = a[0];
        for (int i = 1; i < 10; ++i) s = _mm256_add_ps(s, a[i]);
        alignas(32) float v[8];
        _mm256_store_ps(v, s);
        total += static_cast<double>(v[0]);
    }
    return total;
}

// The AVX2 int8 kernel's inner step, on registers: maddubs + madd + add per 32 multiply-adds.
QL_TARGET("avx2,fma") std::int64_t int8_peak_avx2(std::int64_t iters) {
    std::int64_t total = 0;
#pragma omp parallel reduction(+ : total)
    {
        __m256i acc[8];
        for (int i = 0; i < 8; ++i) acc[i] = _mm256_setzero_si256();
        // the unsigned operand changes every iteration (one byte add) so nothing is hoisted out of the loop
        __m256i u = _mm256_set1_epi8(3);
        // and each chain has its own signed operand, so every chain does its own maddubs
        __m256i s[8];
        for (int i = 0; i < 8; ++i) s[i] = _mm256_set1_epi8(static_cast<char>(-2 - i));
        const __m256i step = _mm256_set1_epi8(1), ones = _mm256_set1_epi16(1);
        for (std::int64_t it = 0; it < iters; ++it) {
            u = _mm256_add_epi8(u, step);
            for (int i = 0; i < 8; ++i) acc[i] = _mm256_add_epi32(acc[i], _mm256_madd_epi16(_mm256_maddubs_epi16(u, s[i]), ones));
        }
        __m256i t = acc[0];
        for (int i = 1; i < 8; ++i) t = _mm256_add_epi32(t, acc[i]);
        total += _mm256_extract_epi32(t, 0);
    }
    return total;
}

// The VNNI kernels' inner step, on registers: one 512-bit dpbusd per 64 multiply-adds, 8 chains.
QL_TARGET("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni") std::int64_t int8_peak_vnni(std::int64_t iters) {
    std::int64_t total = 0;
#pragma omp parallel reduction(+ : total)
    {
        // distinct starting values: identical chains would be merged into one by the compiler
        __m512i a0 = _mm512_set1_epi32(0), a1 = _mm512_set1_epi32(1), a2 = _mm512_set1_epi32(2), a3 = _mm512_set1_epi32(3),
                a4 = _mm512_set1_epi32(4), a5 = _mm512_set1_epi32(5), a6 = _mm512_set1_epi32(6), a7 = _mm512_set1_epi32(7);
        const __m512i u = _mm512_set1_epi8(3), s = _mm512_set1_epi8(-2);
        for (std::int64_t it = 0; it < iters; ++it) {
            a0 = _mm512_dpbusd_epi32(a0, u, s);
            a1 = _mm512_dpbusd_epi32(a1, u, s);
            a2 = _mm512_dpbusd_epi32(a2, u, s);
            a3 = _mm512_dpbusd_epi32(a3, u, s);
            a4 = _mm512_dpbusd_epi32(a4, u, s);
            a5 = _mm512_dpbusd_epi32(a5, u, s);
            a6 = _mm512_dpbusd_epi32(a6, u, s);
            a7 = _mm512_dpbusd_epi32(a7, u, s);
        }
        const __m512i t = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)),
                                           _mm512_add_epi32(_mm512_add_epi32(a4, a5), _mm512_add_epi32(a6, a7)));
        // the lanes wrap as the instruction does (GCC's _mm512_reduce_add_epi32 adds them as signed ints,
        // which overflows here, undefined behaviour); only a result the compiler must keep
        alignas(64) std::uint32_t lane[16];
        _mm512_store_si512(lane, t);
        std::uint32_t sum = 0;
        for (std::uint32_t v : lane) sum += v;
        total += static_cast<std::int32_t>(sum);
    }
    return total;
}

// 10 independent 512-bit FMA chains per thread (the width Eigen's FP32 GEMM uses on AVX-512 builds).
QL_TARGET("avx2,fma,avx512f") double f32_peak_avx512(std::int64_t iters) {
    double total = 0;
#pragma omp parallel reduction(+ : total)
    {
        __m512 a0 = _mm512_set1_ps(1.0f), a1 = _mm512_set1_ps(1.001f), a2 = _mm512_set1_ps(1.002f), a3 = _mm512_set1_ps(1.003f),
               a4 = _mm512_set1_ps(1.004f), a5 = _mm512_set1_ps(1.005f), a6 = _mm512_set1_ps(1.006f), a7 = _mm512_set1_ps(1.007f),
               a8 = _mm512_set1_ps(1.008f), a9 = _mm512_set1_ps(1.009f);
        const __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
        for (std::int64_t it = 0; it < iters; ++it) {
            a0 = _mm512_fmadd_ps(a0, m, c);
            a1 = _mm512_fmadd_ps(a1, m, c);
            a2 = _mm512_fmadd_ps(a2, m, c);
            a3 = _mm512_fmadd_ps(a3, m, c);
            a4 = _mm512_fmadd_ps(a4, m, c);
            a5 = _mm512_fmadd_ps(a5, m, c);
            a6 = _mm512_fmadd_ps(a6, m, c);
            a7 = _mm512_fmadd_ps(a7, m, c);
            a8 = _mm512_fmadd_ps(a8, m, c);
            a9 = _mm512_fmadd_ps(a9, m, c);
        }
        const __m512 t = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                                       _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)), _mm512_add_ps(a8, a9)));
        total += static_cast<double>(_mm512_reduce_add_ps(t));
    }
    return total;
}
#endif

// Median of `reps` timings of fn (ms), the best of three tries of `iters`-sized work for the peaks.
template <typename F>
double best_ms(F&& fn) {
    double best = 1e300;
    for (int t = 0; t < 3; ++t) {
        const double a = now_ms();
        fn();
        best = std::min(best, now_ms() - a);
    }
    return best;
}

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    const double pos = q * static_cast<double>(v.size() - 1);
    const std::size_t i = static_cast<std::size_t>(pos);
    const double f = pos - static_cast<double>(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

} // namespace

double measure_f32_peak_gflops() {
#if QL_SPEED_X86
    const std::int64_t iters = 2'000'000;
    volatile double sink = 0;
    double ms = 0, lanes = 0;
    if (__builtin_cpu_supports("avx512f")) {
        ms = best_ms([&] { sink = f32_peak_avx512(iters); });
        lanes = 16;
    } else if (isa_supported(Isa::Avx2)) {
        ms = best_ms([&] { sink = f32_peak_avx2(iters); });
        lanes = 8;
    } else {
        return 0;
    }
    const double flops = static_cast<double>(omp_get_max_threads()) * static_cast<double>(iters) * 10 * lanes * 2;
    return flops / (ms * 1e-3) / 1e9;
#else
    return 0;
#endif
}

double measure_int8_peak_gops() {
#if QL_SPEED_X86
    const std::int64_t iters = 2'000'000;
    volatile std::int64_t sink = 0;
    double ms = 0;
    double lanes = 32;  // multiply-adds per instruction
    if (isa_supported(Isa::Avx512Vnni)) {
        ms = best_ms([&] { sink = int8_peak_vnni(iters); });
        lanes = 64;
    } else if (isa_supported(Isa::Avx2)) {
        ms = best_ms([&] { sink = int8_peak_avx2(iters); });
    } else {
        return 0;
    }
    const double ops = static_cast<double>(omp_get_max_threads()) * static_cast<double>(iters) * 8 * lanes * 2;
    return ops / (ms * 1e-3) / 1e9;
#else
    return 0;
#endif
}

double speed_memory_bytes(const SpeedRequest& req) {
    const double R = static_cast<double>(req.rows), C = static_cast<double>(req.cols);
    const double max_batch = req.batches.empty() ? 0.0 : static_cast<double>(*std::max_element(req.batches.begin(), req.batches.end()));
    double copies = 0;
    for (SpeedFormat f : req.formats) {
        if (!cpu_has_kernel(f)) continue;
        const double bytes = f == SpeedFormat::F32 ? 4 * R * C : f == SpeedFormat::Int8 ? R * C : R * C / 2;
        copies = std::max(copies, std::max(1.0, std::ceil(req.rotate_bytes / bytes)) * bytes);
    }
    return 4 * R * C + 4 * max_batch * (R + C) + copies;
}

SpeedReport run_speed(const SpeedRequest& req, const ProgressFn& progress) {
    if (req.rows <= 0 || req.cols <= 0) throw std::invalid_argument("speed: the shape must be positive (out x in)");
    if (req.formats.empty()) throw std::invalid_argument("speed: no format to measure");
    if (req.batches.empty()) throw std::invalid_argument("speed: no batch to measure");
    for (auto b : req.batches)
        if (b <= 0) throw std::invalid_argument("speed: batch " + std::to_string(b) + " is not positive");
    if (req.repeats <= 0 || req.warmup < 0) throw std::invalid_argument("speed: repeats must be positive, warm-up not negative");
    require_memory(speed_memory_bytes(req), "speed: a " + std::to_string(req.rows) + " x " + std::to_string(req.cols) + " layer");

    SpeedReport rep;
    rep.rows = req.rows;
    rep.cols = req.cols;
    const std::string cpu = cpu_name();
    rep.device = "CPU: " + (cpu.empty() ? std::string("unknown") : cpu);
    const Isa isa = resolve(req.isa);
    rep.isa = isa_name(isa);
    rep.threads = omp_get_max_threads();

    const std::size_t per_product = static_cast<std::size_t>(req.warmup + req.repeats);
    std::vector<SpeedFormat> cpu_formats;
    for (SpeedFormat f : req.formats)
        if (cpu_has_kernel(f)) cpu_formats.push_back(f);
    const std::size_t total = cpu_formats.size() * req.batches.size() * per_product + 2;
    std::size_t done = 0;
    auto tick = [&] { return report_progress(progress, ++done, total); };

    // One seeded weight matrix, uniform in [-1, 1) (the values do not change the speed).
    const std::int64_t R = req.rows, C = req.cols;
    std::vector<float> w(static_cast<std::size_t>(R * C));
    {
        Rng rng(req.seed);
        for (auto& v : w) v = static_cast<float>(rng.uniform() * 2.0 - 1.0);
    }
    const std::int64_t max_batch = *std::max_element(req.batches.begin(), req.batches.end());
    std::vector<float> x(static_cast<std::size_t>(max_batch * C));
    {
        Rng rng(req.seed + 1);
        for (auto& v : x) v = static_cast<float>(rng.uniform() * 2.0 - 1.0);
    }
    std::vector<float> y(static_cast<std::size_t>(max_batch * R));

    for (SpeedFormat f : cpu_formats) {
        // Weight copies totalling >= rotate_bytes; product(i, batch) and read(i) use copy i.
        std::vector<std::vector<float>> f32;
        std::vector<Int8Weights> i8;
        std::vector<W4Weights> w4;
        double bytes = 0;
        int copies = 1;
        if (f == SpeedFormat::F32) {
            bytes = static_cast<double>(w.size()) * sizeof(float);
        } else if (f == SpeedFormat::Int8) {
            i8.push_back(quantize_int8_rows(w.data(), R, C));
            bytes = static_cast<double>(i8[0].bytes());
        } else {
            w4.push_back(quantize_w4(w.data(), R, C, req.w4_group));
            bytes = static_cast<double>(w4[0].bytes());
        }
        copies = static_cast<int>(std::max(1.0, std::ceil(req.rotate_bytes / bytes)));
        if (f == SpeedFormat::F32) f32.assign(static_cast<std::size_t>(copies), w);
        if (f == SpeedFormat::Int8) i8.resize(static_cast<std::size_t>(copies), i8[0]);
        if (f == SpeedFormat::W4) w4.resize(static_cast<std::size_t>(copies), w4[0]);

        auto product = [&](int i, std::int64_t batch) {
            switch (f) {
            case SpeedFormat::F32: matmul_f32(x.data(), batch, f32[static_cast<std::size_t>(i)].data(), R, C, y.data(), isa); break;
            case SpeedFormat::Int8: matmul_int8(x.data(), batch, i8[static_cast<std::size_t>(i)], y.data(), isa); break;
            case SpeedFormat::W4: matmul_w4(x.data(), batch, w4[static_cast<std::size_t>(i)], y.data(), isa); break;
            case SpeedFormat::F16:
            case SpeedFormat::W4A16: break;  // no CPU kernel: not in cpu_formats
            }
        };
        volatile std::uint64_t sink = 0;
        auto read = [&](int i) {
            std::uint64_t s = 0;
            switch (f) {
            case SpeedFormat::F32: s = read_bytes(f32[static_cast<std::size_t>(i)].data(), static_cast<std::size_t>(bytes)); break;
            case SpeedFormat::Int8: {
                const auto& q = i8[static_cast<std::size_t>(i)];
                s = read_bytes(q.q.data(), q.q.size()) + read_bytes(q.scale.data(), q.scale.size() * sizeof(float));
                break;
            }
            case SpeedFormat::W4: {
                const auto& q = w4[static_cast<std::size_t>(i)];
                s = read_bytes(q.packed.data(), q.packed.size()) + read_bytes(q.scale.data(), q.scale.size() * sizeof(float));
                break;
            }
            case SpeedFormat::F16:
            case SpeedFormat::W4A16: break;
            }
            sink = sink + s;
        };

        // Every copy read once before any timing, as a loaded model's layers have been: the first
        // pass over freshly allocated memory runs at a fraction of the read bandwidth here (with 16
        // copies of a 4096x4096 FP32 layer and 9 products, every product was such a first pass).
        for (int i = 0; i < copies; ++i) read(i);

        for (std::int64_t batch : req.batches) {
            std::vector<double> t, fl;
            int next = 0;
            for (std::size_t r = 0; r < per_product; ++r) {
                const int i = next;
                next = (next + 1) % copies;
                const double a = now_ms();
                product(i, batch);
                const double b = now_ms();
                // The floor reads another copy than the one just multiplied, so it comes from DRAM too.
                read((i + copies / 2) % copies);
                const double c = now_ms();
                if (static_cast<int>(r) >= req.warmup) {
                    t.push_back(b - a);
                    fl.push_back(c - b);
                }
                if (!tick()) {
                    rep.cancelled = true;
                    return rep;
                }
            }
            SpeedMeasurement m;
            m.format = f;
            m.device = rep.device;
            m.path = (f == SpeedFormat::F32 && batch > 1 && isa != Isa::Scalar) ? "eigen" : isa_name(isa);
            m.batch = batch;
            m.rows = R;
            m.cols = C;
            m.weight_bytes = bytes;
            m.copies = copies;
            m.median_ms = quantile(t, 0.5);
            m.q25_ms = quantile(t, 0.25);
            m.q75_ms = quantile(t, 0.75);
            m.min_ms = *std::min_element(t.begin(), t.end());
            m.max_ms = *std::max_element(t.begin(), t.end());
            m.floor_ms = quantile(fl, 0.5);
            m.gbps = bytes / (m.median_ms * 1e-3) / 1e9;
            m.floor_gbps = bytes / (m.floor_ms * 1e-3) / 1e9;
            const double ops = 2.0 * static_cast<double>(batch) * static_cast<double>(R) * static_cast<double>(C);
            m.gflops = ops / (m.median_ms * 1e-3) / 1e9;
            m.intensity = arithmetic_intensity(batch, R, C, bytes);
            rep.read_gbps = std::max(rep.read_gbps, m.floor_gbps);
            rep.items.push_back(m);
        }
    }
    rep.roof_f32_gflops = measure_f32_peak_gflops();
    if (!tick()) {
        rep.cancelled = true;
        return rep;
    }
    rep.roof_int8_gops = measure_int8_peak_gops();
    tick();
    return rep;
}

std::vector<DecodeReference> seed_decode_reference() { return {{"FP16", 35.0}, {"INT8", 58.0}, {"INT4", 87.0}}; }

DecodeEstimate decode_estimate(double params, const std::vector<MemoryFormat>& formats, const ModelPreset* model,
                               const KvCacheOptions& kv, double cpu_read_gbps, const std::string& cpu_label) {
    if (!(params > 0) || !std::isfinite(params)) throw std::invalid_argument("decode estimate: parameters must be positive");
    DecodeEstimate e;
    e.params = params;
    e.formats = formats;
    KvCacheOptions one = kv;
    one.batch = 1;
    e.kv_bytes_per_token = model ? kv_cache_bytes(*model, one) : 0.0;
    for (const auto& f : formats) e.bytes_per_token.push_back(weight_bytes(params, f.bits_per_weight) + e.kv_bytes_per_token);
    auto add = [&](const std::string& name, double gbps, bool measured) {
        DecodeDevice d;
        d.name = name;
        d.bandwidth_gbps = gbps;
        d.measured = measured;
        for (double b : e.bytes_per_token) d.tokens_per_s.push_back(gbps * 1e9 / b);
        e.devices.push_back(d);
    };
    for (const auto& g : gpu_catalog())
        if (g.bandwidth_gbps > 0) add(g.name, g.bandwidth_gbps, false);
    if (cpu_read_gbps > 0) add(cpu_label, cpu_read_gbps, true);
    e.reference = seed_decode_reference();
    return e;
}

} // namespace ql::speed
