// CUDA products y = x W^T for the speed view (gpu/gpu_gemm.h): cuBLAS for FP32/FP16, a __dp4a kernel
// for INT8 and a W4A16 kernel that unpacks core/speed's 4-bit layout in registers. Every CUDA and
// cuBLAS call is checked; failures come back as Error values, never an abort.
#include "gpu/gpu_gemm.h"

#include <cublas_v2.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/rng.h"
#include "core/speed/speed_kernels.h"
#include "gpu/gpu_backend.h"

namespace ql::gpu {

const char* gemm_format_name(GemmFormat f) {
    switch (f) {
    case GemmFormat::F32: return "fp32";
    case GemmFormat::F16: return "fp16";
    case GemmFormat::Int8: return "int8";
    case GemmFormat::W4A16: return "w4a16";
    }
    return "?";
}

namespace {

Error cuda_error(const char* what, cudaError_t e) { return make_error("CUDA", std::string(what) + ": " + cudaGetErrorString(e)); }
Error cublas_error(const char* what, cublasStatus_t s) {
    return make_error("cuBLAS", std::string(what) + ": status " + std::to_string(static_cast<int>(s)));
}

// Device memory owned by a unique_ptr (freed on every path).
struct CudaFree {
    void operator()(void* p) const { cudaFree(p); }
};
template <class T>
using DevPtr = std::unique_ptr<T, CudaFree>;

template <class T>
Result<DevPtr<T>> dev_alloc(std::size_t count) {
    void* p = nullptr;
    if (cudaError_t e = cudaMalloc(&p, std::max<std::size_t>(count, 1) * sizeof(T)); e != cudaSuccess) return cuda_error("cudaMalloc", e);
    return DevPtr<T>(static_cast<T*>(p));
}

template <class T>
Result<DevPtr<T>> dev_copy(const T* host, std::size_t count) {
    auto d = dev_alloc<T>(count);
    if (!d) return d.error();
    if (cudaError_t e = cudaMemcpy(d->get(), host, count * sizeof(T), cudaMemcpyHostToDevice); e != cudaSuccess)
        return cuda_error("cudaMemcpy to device", e);
    return std::move(d);
}

struct CublasHandle {
    cublasHandle_t h = nullptr;
    ~CublasHandle() {
        if (h) cublasDestroy(h);
    }
};

// INT8: one warp per (output row r, batch row b). wq: rows x padded int8 (row-major); xq: batch x padded
// int8; sw: rows float32 scales; sx: batch float32 scales; y: batch x rows float32. padded % 64 == 0.
__global__ void int8_dp4a_kernel(const std::int8_t* __restrict__ wq, const float* __restrict__ sw, const std::int8_t* __restrict__ xq,
                                 const float* __restrict__ sx, float* __restrict__ y, int rows, int batch, int padded) {
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    const int lane = threadIdx.x % 32;
    if (warp >= rows * batch) return;
    const int r = warp % rows, b = warp / rows;
    const int* w4 = reinterpret_cast<const int*>(wq + static_cast<std::size_t>(r) * padded);
    const int* x4 = reinterpret_cast<const int*>(xq + static_cast<std::size_t>(b) * padded);
    int acc = 0;
    for (int k = lane; k < padded / 4; k += 32) acc = __dp4a(w4[k], x4[k], acc);
    for (int o = 16; o > 0; o >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, o);
    if (lane == 0) y[static_cast<std::size_t>(b) * rows + r] = static_cast<float>(acc) * sw[r] * sx[b];
}

// W4A16: one warp per (row r, batch row b). packed: rows x padded/2 bytes in core/speed's layout (byte j
// of 32-byte chunk c: low nibble = input 64c + j, high nibble = input 64c + 32 + j; code u in [0, 15]
// means u - 8); scale: rows x groups float32; x: batch x cols float16; y: batch x rows float32.
__global__ void w4a16_kernel(const std::uint8_t* __restrict__ packed, const float* __restrict__ scale, const __half* __restrict__ x,
                             float* __restrict__ y, int rows, int cols, int batch, int padded, int group, int groups) {
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    const int lane = threadIdx.x % 32;
    if (warp >= rows * batch) return;
    const int r = warp % rows, b = warp / rows;
    const std::uint8_t* wr = packed + static_cast<std::size_t>(r) * (padded / 2);
    const float* sr = scale + static_cast<std::size_t>(r) * groups;
    const __half* xb = x + static_cast<std::size_t>(b) * cols;
    float acc = 0.0f;
    for (int c = 0; c < padded / 64; ++c) {
        const std::uint8_t byte = wr[c * 32 + lane];
        const int k0 = c * 64 + lane, k1 = k0 + 32;
        if (k0 < cols) acc += static_cast<float>((byte & 0xF) - 8) * sr[k0 / group] * __half2float(xb[k0]);
        if (k1 < cols) acc += static_cast<float>((byte >> 4) - 8) * sr[k1 / group] * __half2float(xb[k1]);
    }
    for (int o = 16; o > 0; o >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, o);
    if (lane == 0) y[static_cast<std::size_t>(b) * rows + r] = acc;
}

// The read floor: every thread sums 16-byte words of `bytes` bytes; one float per block to `out`.
__global__ void read_kernel(const uint4* __restrict__ p, std::size_t words, unsigned* __restrict__ out) {
    unsigned s = 0;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < words; i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const uint4 v = p[i];
        s ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (s == 0x9E3779B9u) out[blockIdx.x] = s;  // keeps the loads; almost never written
}

__global__ void float_to_half_kernel(const float* in, __half* out, std::size_t n) {
    const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
    if (i < n) out[i] = __float2half_rn(in[i]);
}

// Everything one format needs on the device for one weight copy.
struct DeviceWeights {
    DevPtr<float> f32;
    DevPtr<__half> f16;
    DevPtr<std::int8_t> i8;
    DevPtr<std::uint8_t> w4;
    DevPtr<float> scale;
    std::int64_t padded = 0, groups = 0;
    double bytes = 0;
};

struct DeviceActivations {
    DevPtr<float> f32;
    DevPtr<__half> f16;
    DevPtr<std::int8_t> i8;
    DevPtr<float> scale;
};

Result<DeviceWeights> upload_weights(GemmFormat f, const float* w, std::int64_t rows, std::int64_t cols, int group) {
    DeviceWeights d;
    const std::size_t n = static_cast<std::size_t>(rows * cols);
    if (f == GemmFormat::F32 || f == GemmFormat::F16) {
        auto a = dev_copy(w, n);
        if (!a) return a.error();
        if (f == GemmFormat::F32) {
            d.f32 = std::move(a.value());
            d.bytes = 4.0 * static_cast<double>(n);
        } else {
            auto h = dev_alloc<__half>(n);
            if (!h) return h.error();
            float_to_half_kernel<<<static_cast<unsigned>((n + 255) / 256), 256>>>(a->get(), h->get(), n);
            if (cudaError_t e = cudaGetLastError(); e != cudaSuccess) return cuda_error("float_to_half_kernel launch", e);
            d.f16 = std::move(h.value());
            d.bytes = 2.0 * static_cast<double>(n);
        }
    } else if (f == GemmFormat::Int8) {
        const speed::Int8Weights q = speed::quantize_int8_rows(w, rows, cols);
        auto a = dev_copy(q.q.data(), q.q.size());
        if (!a) return a.error();
        auto s = dev_copy(q.scale.data(), q.scale.size());
        if (!s) return s.error();
        d.i8 = std::move(a.value());
        d.scale = std::move(s.value());
        d.padded = q.padded_cols;
        d.bytes = static_cast<double>(q.bytes());
    } else {
        const speed::W4Weights q = speed::quantize_w4(w, rows, cols, group);
        auto a = dev_copy(q.packed.data(), q.packed.size());
        if (!a) return a.error();
        auto s = dev_copy(q.scale.data(), q.scale.size());
        if (!s) return s.error();
        d.w4 = std::move(a.value());
        d.scale = std::move(s.value());
        d.padded = q.padded_cols;
        d.groups = q.groups;
        d.bytes = static_cast<double>(q.bytes());
    }
    return std::move(d);
}

Result<DeviceActivations> upload_activations(GemmFormat f, const float* x, std::int64_t batch, std::int64_t cols, std::int64_t padded) {
    DeviceActivations d;
    const std::size_t n = static_cast<std::size_t>(batch * cols);
    if (f == GemmFormat::Int8) {
        const speed::Int8Activations q = speed::quantize_activations(x, batch, cols, padded);
        auto a = dev_copy(q.q.data(), q.q.size());
        if (!a) return a.error();
        auto s = dev_copy(q.scale.data(), q.scale.size());
        if (!s) return s.error();
        d.i8 = std::move(a.value());
        d.scale = std::move(s.value());
        return std::move(d);
    }
    auto a = dev_copy(x, n);
    if (!a) return a.error();
    if (f == GemmFormat::F32) {
        d.f32 = std::move(a.value());
        return std::move(d);
    }
    auto h = dev_alloc<__half>(n);
    if (!h) return h.error();
    float_to_half_kernel<<<static_cast<unsigned>((n + 255) / 256), 256>>>(a->get(), h->get(), n);
    if (cudaError_t e = cudaGetLastError(); e != cudaSuccess) return cuda_error("float_to_half_kernel launch", e);
    d.f16 = std::move(h.value());
    return std::move(d);
}

// Launches one product (no synchronisation).
Status launch(GemmFormat f, cublasHandle_t h, const DeviceWeights& w, const DeviceActivations& x, float* y, std::int64_t rows,
              std::int64_t cols, std::int64_t batch, int group) {
    const int m = static_cast<int>(rows), n = static_cast<int>(batch), k = static_cast<int>(cols);
    const float one = 1.0f, zero = 0.0f;
    // Row-major y (batch x rows) = x W^T is column-major y^T = W x^T: op(A) = W^T of the column-major view.
    if (f == GemmFormat::F32) {
        if (cublasStatus_t s = cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, w.f32.get(), k, x.f32.get(), k, &zero, y, m);
            s != CUBLAS_STATUS_SUCCESS)
            return cublas_error("cublasSgemm", s);
        return Ok{};
    }
    if (f == GemmFormat::F16) {
        if (cublasStatus_t s = cublasGemmEx(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, w.f16.get(), CUDA_R_16F, k, x.f16.get(), CUDA_R_16F, k,
                                            &zero, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
            s != CUBLAS_STATUS_SUCCESS)
            return cublas_error("cublasGemmEx (fp16)", s);
        return Ok{};
    }
    const std::int64_t warps = rows * batch;
    const unsigned blocks = static_cast<unsigned>((warps * 32 + 255) / 256);
    if (f == GemmFormat::Int8)
        int8_dp4a_kernel<<<blocks, 256>>>(w.i8.get(), w.scale.get(), x.i8.get(), x.scale.get(), y, m, n, static_cast<int>(w.padded));
    else
        w4a16_kernel<<<blocks, 256>>>(w.w4.get(), w.scale.get(), x.f16.get(), y, m, k, n, static_cast<int>(w.padded), group,
                                      static_cast<int>(w.groups));
    if (cudaError_t e = cudaGetLastError(); e != cudaSuccess) return cuda_error("kernel launch", e);
    return Ok{};
}

Status check_shape(std::int64_t rows, std::int64_t cols, std::int64_t batch, int group) {
    if (rows <= 0 || cols <= 0 || batch <= 0) return make_error("gemm", "rows, cols and batch must be positive");
    if (rows > (1 << 30) || cols > (1 << 30) || batch > (1 << 20)) return make_error("gemm", "shape too large for the kernels' int indices");
    if (group <= 0 || group % 32 != 0) return make_error("gemm", "the W4A16 group size must be a positive multiple of 32");
    return Ok{};
}

} // namespace

Result<std::vector<float>> gemm(GemmFormat f, const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols,
                                int group) {
    if (!device_info().available) return make_error("CUDA", device_info().reason);
    if (Status s = check_shape(rows, cols, batch, group); !s) return s.error();
    CublasHandle h;
    if (cublasStatus_t s = cublasCreate(&h.h); s != CUBLAS_STATUS_SUCCESS) return cublas_error("cublasCreate", s);
    auto dw = upload_weights(f, w, rows, cols, group);
    if (!dw) return dw.error();
    auto dx = upload_activations(f, x, batch, cols, dw->padded);
    if (!dx) return dx.error();
    auto dy = dev_alloc<float>(static_cast<std::size_t>(rows * batch));
    if (!dy) return dy.error();
    if (Status s = launch(f, h.h, *dw, *dx, dy->get(), rows, cols, batch, group); !s) return s.error();
    if (cudaError_t e = cudaDeviceSynchronize(); e != cudaSuccess) return cuda_error("product", e);
    std::vector<float> y(static_cast<std::size_t>(rows * batch));
    if (cudaError_t e = cudaMemcpy(y.data(), dy->get(), y.size() * sizeof(float), cudaMemcpyDeviceToHost); e != cudaSuccess)
        return cuda_error("cudaMemcpy to host", e);
    return y;
}

Result<GemmTiming> measure_gemm(GemmFormat f, std::int64_t rows, std::int64_t cols, std::int64_t batch, int repeats,
                                const std::function<bool(int, int)>& progress) {
    const DeviceInfo& info = device_info();
    if (!info.available) return make_error("CUDA", info.reason);
    if (Status s = check_shape(rows, cols, batch, 128); !s) return s.error();
    repeats = std::max(repeats, 1);
    // Random weights and activations, normal(0, 1) from the project's generator.
    std::vector<float> w(static_cast<std::size_t>(rows * cols)), x(static_cast<std::size_t>(batch * cols));
    Rng rng(1234);
    for (float& v : w) v = static_cast<float>(rng.normal());
    for (float& v : x) v = static_cast<float>(rng.normal());
    CublasHandle h;
    if (cublasStatus_t s = cublasCreate(&h.h); s != CUBLAS_STATUS_SUCCESS) return cublas_error("cublasCreate", s);
    auto first = upload_weights(f, w.data(), rows, cols, 128);
    if (!first) return first.error();
    // Decode reads its weights from device memory, not from L2: rotate over copies totalling >= 1 GiB
    // (at most half the free memory, at most 64 copies).
    const double target = std::min(1073741824.0, info.memory_free_gib * 1073741824.0 / 2);
    const int copies = std::clamp(static_cast<int>(std::ceil(target / std::max(first->bytes, 1.0))), 1, 64);
    std::vector<DeviceWeights> ws;
    ws.push_back(std::move(first.value()));
    for (int c = 1; c < copies; ++c) {
        auto more = upload_weights(f, w.data(), rows, cols, 128);
        if (!more) break;  // out of memory: fewer copies
        ws.push_back(std::move(more.value()));
    }
    auto dx = upload_activations(f, x.data(), batch, cols, ws[0].padded);
    if (!dx) return dx.error();
    auto dy = dev_alloc<float>(static_cast<std::size_t>(rows * batch));
    if (!dy) return dy.error();
    auto sink = dev_alloc<unsigned>(4096);
    if (!sink) return sink.error();
    cudaEvent_t start = nullptr, stop = nullptr;
    if (cudaError_t e = cudaEventCreate(&start); e != cudaSuccess) return cuda_error("cudaEventCreate", e);
    if (cudaError_t e = cudaEventCreate(&stop); e != cudaSuccess) {
        cudaEventDestroy(start);
        return cuda_error("cudaEventCreate", e);
    }
    struct Events {
        cudaEvent_t a, b;
        ~Events() {
            cudaEventDestroy(a);
            cudaEventDestroy(b);
        }
    } events{start, stop};
    auto time_one = [&](const std::function<Status()>& fn) -> Result<double> {
        if (cudaError_t e = cudaEventRecord(start); e != cudaSuccess) return cuda_error("cudaEventRecord", e);
        if (Status s = fn(); !s) return s.error();
        if (cudaError_t e = cudaEventRecord(stop); e != cudaSuccess) return cuda_error("cudaEventRecord", e);
        if (cudaError_t e = cudaEventSynchronize(stop); e != cudaSuccess) return cuda_error("product", e);
        float ms = 0;
        if (cudaError_t e = cudaEventElapsedTime(&ms, start, stop); e != cudaSuccess) return cuda_error("cudaEventElapsedTime", e);
        return static_cast<double>(ms);
    };
    auto product = [&](int i) { return launch(f, h.h, ws[static_cast<std::size_t>(i) % ws.size()], *dx, dy->get(), rows, cols, batch, 128); };
    auto read = [&](int i) -> Status {
        const DeviceWeights& d = ws[static_cast<std::size_t>(i) % ws.size()];
        const void* p = d.f32 ? static_cast<const void*>(d.f32.get()) : d.f16 ? static_cast<const void*>(d.f16.get())
                        : d.i8 ? static_cast<const void*>(d.i8.get()) : static_cast<const void*>(d.w4.get());
        const std::size_t words = static_cast<std::size_t>(d.bytes) / 16;  // the scales are left out: a few %
        read_kernel<<<std::min<std::size_t>(4096, (words + 255) / 256 + 1), 256>>>(static_cast<const uint4*>(p), words, sink->get());
        if (cudaError_t e = cudaGetLastError(); e != cudaSuccess) return cuda_error("read_kernel launch", e);
        return Ok{};
    };
    if (auto warm = time_one([&] { return product(0); }); !warm) return warm.error();
    std::vector<double> kt, rt;
    for (int i = 0; i < repeats; ++i) {
        auto t = time_one([&] { return product(i + 1); });
        if (!t) return t.error();
        kt.push_back(*t);
        auto r = time_one([&] { return read(i + 1); });
        if (!r) return r.error();
        rt.push_back(*r);
        if (progress && !progress(i + 1, repeats)) return make_error("CUDA", "cancelled");
    }
    std::sort(kt.begin(), kt.end());
    std::sort(rt.begin(), rt.end());
    GemmTiming t;
    t.device = info.name;
    t.median_ms = kt[kt.size() / 2];
    t.min_ms = kt.front();
    t.max_ms = kt.back();
    t.floor_ms = rt[rt.size() / 2];
    t.weight_bytes = ws[0].bytes;
    t.flops = 2.0 * static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(batch);
    t.copies = static_cast<int>(ws.size());
    return t;
}

} // namespace ql::gpu
