// CUDA products y = x W^T for the speed view (gpu/gpu_gemm.h). Speed path (DESIGN rule 6's exception):
// sums are reordered and this file is compiled with FMA contraction; tests compare with a double product
// by NMSE. Every CUDA, cuBLAS and cuBLASLt call is checked; failures come back as Error values.
//
// Kernels per format and batch (kGemvBatch = 8):
//   F32     cublasSgemm                         (cuBLAS picks its GEMV for batch 1)
//   F16     cublasGemmEx fp16 x fp16 -> fp32, fp32 compute
//   Int8    batch <= 8: int8_gemv_kernel (__dp4a, 16-byte loads, the batch rows in registers)
//           batch  > 8: cuBLASLt int8 x int8 -> int32 GEMM (tensor cores), then int8_scale_kernel;
//                       int8_gemv_kernel over batch slices when cuBLASLt has no algorithm for the shape
//   W4A16   batch <= 8: w4a16_gemv_kernel (4-bit codes unpacked and scaled in registers)
//           batch  > 8: w4_dequant_kernel to an fp16 copy of W, then cublasGemmEx as F16
// The quantized layouts are core/speed's (speed_kernels.h), so the GPU and CPU kernels see the same codes.
#include "gpu/gpu_gemm.h"

#include <cublasLt.h>
#include <cublas_v2.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/half.h"
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

constexpr int kThreads = 256;                 // threads per CTA of the hand-written kernels
constexpr int kWarps = kThreads / 32;         // output rows per CTA of the GEMV kernels (one warp per row)
constexpr int kGemvBatch = 8;                 // batch rows one GEMV pass keeps in registers
constexpr std::size_t kLtWorkspace = 32u << 20;  // bytes of cuBLASLt workspace

Error cuda_error(const char* what, cudaError_t e) { return make_error("CUDA", std::string(what) + ": " + cudaGetErrorString(e)); }
Error cublas_error(const char* what, cublasStatus_t s) {
    return make_error("cuBLAS", std::string(what) + ": status " + std::to_string(static_cast<int>(s)));
}
Status launched(const char* what) {
    if (cudaError_t e = cudaGetLastError(); e != cudaSuccess) return cuda_error(what, e);
    return Ok{};
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
    if (cudaError_t e = cudaMalloc(&p, std::max<std::size_t>(count, 1) * sizeof(T)); e != cudaSuccess) {
        cudaGetLastError();
        return cuda_error("cudaMalloc", e);
    }
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

// ---- kernels -----------------------------------------------------------------------------------------

// INT8 GEMV: one warp per output row r (blockIdx.x * kWarps + warp), batch rows b0 = blockIdx.y * NB ..
// b0 + NB - 1 in registers (NB = 1 for decode, 8 otherwise: fewer registers, more warps in flight).
//   wq  [rows x padded]  int8, row-major (core/speed Int8Weights::row_major(); padded % 64 == 0, zeros after cols)
//   sw  [rows]           float32, per-row weight scale
//   xq  [batch x padded] int8, row-major (core/speed Int8Activations::q)
//   sx  [batch]          float32, per-row activation scale
//   y   [batch x rows]   float32, y[b][r] = (sum_k wq[r][k] xq[b][k]) * sw[r] * sx[b]
template <int NB>
__global__ void __launch_bounds__(kThreads) int8_gemv_kernel(const std::int8_t* __restrict__ wq, const float* __restrict__ sw,
                                                              const std::int8_t* __restrict__ xq, const float* __restrict__ sx,
                                                              float* __restrict__ y, int rows, int batch, int padded) {
    const int r = blockIdx.x * kWarps + threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    const int b0 = blockIdx.y * NB;
    if (r >= rows) return;
    const int nb = min(NB, batch - b0);
    const int units = padded / 16;  // 16-byte units per row
    const int4* w = reinterpret_cast<const int4*>(wq + static_cast<std::size_t>(r) * padded);
    int acc[NB] = {};
    for (int u = lane; u < units; u += 32) {
        const int4 wv = __ldg(w + u);
#pragma unroll
        for (int b = 0; b < NB; ++b) {
            if (b < nb) {
                const int4 xv = __ldg(reinterpret_cast<const int4*>(xq + static_cast<std::size_t>(b0 + b) * padded) + u);
                acc[b] = __dp4a(wv.x, xv.x, acc[b]);
                acc[b] = __dp4a(wv.y, xv.y, acc[b]);
                acc[b] = __dp4a(wv.z, xv.z, acc[b]);
                acc[b] = __dp4a(wv.w, xv.w, acc[b]);
            }
        }
    }
#pragma unroll
    for (int b = 0; b < NB; ++b) {
        int v = acc[b];
        for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
        if (lane == 0 && b < nb) y[static_cast<std::size_t>(b0 + b) * rows + r] = static_cast<float>(v) * sw[r] * sx[b0 + b];
    }
}

// INT8 GEMM epilogue: acc [batch x rows] int32 (column-major rows x batch from cuBLASLt, the same memory)
// -> y [batch x rows] float32 = acc * sw[r] * sx[b]; sw [rows], sx [batch] float32.
__global__ void int8_scale_kernel(const std::int32_t* __restrict__ acc, const float* __restrict__ sw, const float* __restrict__ sx,
                                  float* __restrict__ y, int rows, long long total) {
    const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= total) return;
    const int r = static_cast<int>(i % rows);
    const long long b = i / rows;
    y[i] = static_cast<float>(acc[i]) * sw[r] * sx[b];
}

// Sum over 8 consecutive inputs of (code - 8) * x: codes in the nibbles at `shift` (0 low, 4 high) of the
// 8 bytes w0 (inputs 0..3), w1 (inputs 4..7), little-endian; xv: the 8 float16 inputs.
__device__ __forceinline__ float w4_dot8(unsigned w0, unsigned w1, uint4 xv, int shift) {
    const __half2* h = reinterpret_cast<const __half2*>(&xv);
    float s = 0.0f;
#pragma unroll
    for (int p = 0; p < 4; ++p) {
        const unsigned wd = p < 2 ? w0 : w1;
        const int bit = 16 * (p & 1) + shift;
        const float2 xf = __half22float2(h[p]);
        s += static_cast<float>(static_cast<int>((wd >> bit) & 0xFu) - 8) * xf.x +
             static_cast<float>(static_cast<int>((wd >> (bit + 8)) & 0xFu) - 8) * xf.y;
    }
    return s;
}

// W4A16 GEMV: one warp per output row r, batch rows b0 = blockIdx.y * NB .. b0 + NB - 1 (NB = 1 for
// decode, 8 otherwise; accumulators in registers, the codes unpacked again per batch row). Each lane
// loads 16 bytes of codes = half a 32-byte chunk c: bytes j0..j0+15 (j0 = 0 or 16) hold inputs
// 64c + j0 + t (low nibbles) and 64c + 32 + j0 + t (high nibbles), t = 0..15, each 16 within one group.
//   packed [rows x padded/2] uint8, core/speed W4Weights::row_major_packed(), code u in [0, 15] means u - 8
//   scale  [rows x groups]   float32, groups = padded / group, group % 32 == 0
//   x      [batch x padded]  float16, row-major, zeros after cols
//   y      [batch x rows]    float32, y[b][r] = sum_k (u[r][k] - 8) * scale[r][k / group] * x[b][k]
template <int NB>
__global__ void __launch_bounds__(kThreads) w4a16_gemv_kernel(const std::uint8_t* __restrict__ packed, const float* __restrict__ scale,
                                                               const __half* __restrict__ x, float* __restrict__ y, int rows, int batch,
                                                               int padded, int group, int groups) {
    const int r = blockIdx.x * kWarps + threadIdx.x / 32;
    const int lane = threadIdx.x % 32;
    const int b0 = blockIdx.y * NB;
    if (r >= rows) return;
    const int nb = min(NB, batch - b0);
    const int units = padded / 32;  // 16-byte units per row
    const uint4* w = reinterpret_cast<const uint4*>(packed + static_cast<std::size_t>(r) * (padded / 2));
    const float* sr = scale + static_cast<std::size_t>(r) * groups;
    float acc[NB] = {};
    for (int u = lane; u < units; u += 32) {
        const uint4 wv = __ldg(w + u);
        const int klo = 64 * (u >> 1) + (u & 1) * 16, khi = klo + 32;
        const float slo = __ldg(sr + klo / group), shi = __ldg(sr + khi / group);
#pragma unroll
        for (int b = 0; b < NB; ++b) {
            if (b < nb) {
                const __half* xb = x + static_cast<std::size_t>(b0 + b) * padded;
                const uint4 xl0 = __ldg(reinterpret_cast<const uint4*>(xb + klo)), xl1 = __ldg(reinterpret_cast<const uint4*>(xb + klo + 8));
                const uint4 xh0 = __ldg(reinterpret_cast<const uint4*>(xb + khi)), xh1 = __ldg(reinterpret_cast<const uint4*>(xb + khi + 8));
                acc[b] += (w4_dot8(wv.x, wv.y, xl0, 0) + w4_dot8(wv.z, wv.w, xl1, 0)) * slo +
                          (w4_dot8(wv.x, wv.y, xh0, 4) + w4_dot8(wv.z, wv.w, xh1, 4)) * shi;
            }
        }
    }
#pragma unroll
    for (int b = 0; b < NB; ++b) {
        float v = acc[b];
        for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
        if (lane == 0 && b < nb) y[static_cast<std::size_t>(b0 + b) * rows + r] = v;
    }
}

// W4 -> fp16 for the prefill GEMM: one thread per packed byte.
//   packed [rows x padded/2] uint8 (layout as w4a16_gemv_kernel), scale [rows x groups] float32
//   w16    [rows x padded]   float16, w16[r][k] = (u[r][k] - 8) * scale[r][k / group]
__global__ void w4_dequant_kernel(const std::uint8_t* __restrict__ packed, const float* __restrict__ scale, __half* __restrict__ w16,
                                  int padded, int group, int groups, long long bytes) {
    const long long i = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= bytes) return;
    const long long half_row = padded / 2;
    const long long r = i / half_row;
    const int j = static_cast<int>(i % half_row);
    const int klo = 64 * (j / 32) + j % 32, khi = klo + 32;
    const std::uint8_t byte = packed[i];
    const float* sr = scale + r * groups;
    __half* wr = w16 + r * padded;
    wr[klo] = __float2half_rn(static_cast<float>((byte & 0xF) - 8) * sr[klo / group]);
    wr[khi] = __float2half_rn(static_cast<float>((byte >> 4) - 8) * sr[khi / group]);
}

// The read floor: every thread xors 16-byte words of p [words] (grid-stride); the result is stored only
// in a case that does not occur, so the loads stay. out [gridDim.x] uint32 (a sink).
__global__ void read_kernel(const uint4* __restrict__ p, std::size_t words, unsigned* __restrict__ out) {
    unsigned s = 0;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < words; i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const uint4 v = __ldg(p + i);
        s ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (s == 0x9E3779B9u) out[blockIdx.x] = s;
}

// in [n] float32 -> out [n] float16, round to nearest even.
__global__ void float_to_half_kernel(const float* __restrict__ in, __half* __restrict__ out, std::size_t n) {
    const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
    if (i < n) out[i] = __float2half_rn(in[i]);
}

// ---- host side ---------------------------------------------------------------------------------------

// Everything one format needs on the device for one weight copy.
struct DeviceWeights {
    DevPtr<float> f32;
    DevPtr<__half> f16;
    DevPtr<std::int8_t> i8;
    DevPtr<std::uint8_t> w4;
    DevPtr<float> scale;
    std::int64_t padded = 0, groups = 0;
    double bytes = 0;            // bytes a product reads: the weights and their scales
    std::size_t data_bytes = 0;  // bytes of the buffer data() points at (the weights without scales)
    const void* data() const {
        if (f32) return f32.get();
        if (f16) return f16.get();
        if (i8) return i8.get();
        return w4.get();
    }
};

struct DeviceActivations {
    DevPtr<float> f32;
    DevPtr<__half> f16;
    DevPtr<std::int8_t> i8;
    DevPtr<float> scale;
};

// cuBLASLt int8 GEMM plan for y^T (rows x batch, int32, column-major) = W (op T) x^T: the "TN" layout
// int8 tensor-core kernels want. ready == false when cuBLASLt has no algorithm for the shape.
struct LtInt8Plan {
    cublasLtHandle_t lt = nullptr;
    cublasLtMatmulDesc_t op = nullptr;
    cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
    cublasLtMatmulPreference_t pref = nullptr;
    cublasLtMatmulHeuristicResult_t heur{};
    DevPtr<unsigned char> workspace;
    bool ready = false;
    std::string why_not;  // when !ready
    LtInt8Plan() = default;
    LtInt8Plan(const LtInt8Plan&) = delete;
    LtInt8Plan& operator=(const LtInt8Plan&) = delete;
    ~LtInt8Plan() {
        if (pref) cublasLtMatmulPreferenceDestroy(pref);
        if (c) cublasLtMatrixLayoutDestroy(c);
        if (b) cublasLtMatrixLayoutDestroy(b);
        if (a) cublasLtMatrixLayoutDestroy(a);
        if (op) cublasLtMatmulDescDestroy(op);
        if (lt) cublasLtDestroy(lt);
    }
    // m = rows, n = batch, k = padded inputs.
    void prepare(int m, int n, int k) {
        auto no = [&](const char* what, cublasStatus_t s) {
            why_not = std::string(what) + ": status " + std::to_string(static_cast<int>(s));
        };
        cublasStatus_t s;
        if ((s = cublasLtCreate(&lt)) != CUBLAS_STATUS_SUCCESS) return no("cublasLtCreate", s);
        if ((s = cublasLtMatmulDescCreate(&op, CUBLAS_COMPUTE_32I, CUDA_R_32I)) != CUBLAS_STATUS_SUCCESS) return no("cublasLtMatmulDescCreate", s);
        const cublasOperation_t ta = CUBLAS_OP_T;
        if ((s = cublasLtMatmulDescSetAttribute(op, CUBLASLT_MATMUL_DESC_TRANSA, &ta, sizeof ta)) != CUBLAS_STATUS_SUCCESS)
            return no("cublasLtMatmulDescSetAttribute", s);
        if ((s = cublasLtMatrixLayoutCreate(&a, CUDA_R_8I, k, m, k)) != CUBLAS_STATUS_SUCCESS) return no("cublasLtMatrixLayoutCreate (W)", s);
        if ((s = cublasLtMatrixLayoutCreate(&b, CUDA_R_8I, k, n, k)) != CUBLAS_STATUS_SUCCESS) return no("cublasLtMatrixLayoutCreate (x)", s);
        if ((s = cublasLtMatrixLayoutCreate(&c, CUDA_R_32I, m, n, m)) != CUBLAS_STATUS_SUCCESS) return no("cublasLtMatrixLayoutCreate (y)", s);
        if ((s = cublasLtMatmulPreferenceCreate(&pref)) != CUBLAS_STATUS_SUCCESS) return no("cublasLtMatmulPreferenceCreate", s);
        const std::size_t ws = kLtWorkspace;
        if ((s = cublasLtMatmulPreferenceSetAttribute(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws, sizeof ws)) != CUBLAS_STATUS_SUCCESS)
            return no("cublasLtMatmulPreferenceSetAttribute", s);
        int found = 0;
        if ((s = cublasLtMatmulAlgoGetHeuristic(lt, op, a, b, c, c, pref, 1, &heur, &found)) != CUBLAS_STATUS_SUCCESS || found == 0) {
            why_not = "cuBLASLt has no int8 algorithm for this shape";
            return;
        }
        auto w = dev_alloc<unsigned char>(kLtWorkspace);
        if (!w) {
            why_not = w.error().message();
            return;
        }
        workspace = std::move(w.value());
        ready = true;
    }
    // acc = W x^T as int32: wq [rows x padded] int8, xq [batch x padded] int8, acc [batch x rows] int32.
    Status run(const std::int8_t* wq, const std::int8_t* xq, std::int32_t* acc) const {
        const std::int32_t alpha = 1, beta = 0;
        if (cublasStatus_t s = cublasLtMatmul(lt, op, &alpha, wq, a, xq, b, &beta, acc, c, acc, c, &heur.algo, workspace.get(), kLtWorkspace, 0);
            s != CUBLAS_STATUS_SUCCESS)
            return cublas_error("cublasLtMatmul (int8)", s);
        return Ok{};
    }
};

// Per-call state: handles, the plan of the large-batch path and its scratch buffers.
struct GemmContext {
    cublasHandle_t blas = nullptr;
    std::unique_ptr<LtInt8Plan> lt;   // Int8, batch > kGemvBatch
    DevPtr<std::int32_t> acc;         // [batch x rows] int32, Int8 through cuBLASLt
    DevPtr<__half> w16;               // [rows x padded] float16, W4A16 prefill
    std::string kernel;               // what runs, for GemmTiming::kernel
    GemmContext() = default;
    GemmContext(const GemmContext&) = delete;
    GemmContext& operator=(const GemmContext&) = delete;
    ~GemmContext() {
        if (blas) cublasDestroy(blas);
    }
};

Result<std::unique_ptr<GemmContext>> make_context(GemmFormat f, std::int64_t rows, std::int64_t batch, std::int64_t padded) {
    auto ctx = std::make_unique<GemmContext>();
    if (cublasStatus_t s = cublasCreate(&ctx->blas); s != CUBLAS_STATUS_SUCCESS) return cublas_error("cublasCreate", s);
    const bool gemv = batch <= kGemvBatch;
    switch (f) {
    case GemmFormat::F32: ctx->kernel = "cuBLAS SGEMM"; break;
    case GemmFormat::F16: ctx->kernel = "cuBLAS GemmEx fp16 -> fp32"; break;
    case GemmFormat::Int8:
        ctx->kernel = "dp4a GEMV";
        if (!gemv) {
            ctx->lt = std::make_unique<LtInt8Plan>();
            ctx->lt->prepare(static_cast<int>(rows), static_cast<int>(batch), static_cast<int>(padded));
            if (ctx->lt->ready) {
                auto a = dev_alloc<std::int32_t>(static_cast<std::size_t>(rows * batch));
                if (!a) return a.error();
                ctx->acc = std::move(a.value());
                ctx->kernel = "cuBLASLt int8 GEMM";
            } else {
                ctx->kernel = "dp4a GEMV over batch slices (" + ctx->lt->why_not + ")";
            }
        }
        break;
    case GemmFormat::W4A16:
        ctx->kernel = "W4A16 GEMV";
        if (!gemv) {
            auto w = dev_alloc<__half>(static_cast<std::size_t>(rows * padded));
            if (!w) return w.error();
            ctx->w16 = std::move(w.value());
            ctx->kernel = "W4 -> fp16 dequantize + cuBLAS GemmEx";
        }
        break;
    }
    return std::move(ctx);
}

Result<DeviceWeights> upload_weights(GemmFormat f, const float* w, std::int64_t rows, std::int64_t cols, int group) {
    DeviceWeights d;
    const std::size_t n = static_cast<std::size_t>(rows * cols);
    if (f == GemmFormat::F32 || f == GemmFormat::F16) {
        auto a = dev_copy(w, n);
        if (!a) return a.error();
        if (f == GemmFormat::F32) {
            d.f32 = std::move(a.value());
            d.bytes = 4.0 * static_cast<double>(n);
            d.data_bytes = 4 * n;
        } else {
            auto h = dev_alloc<__half>(n);
            if (!h) return h.error();
            float_to_half_kernel<<<static_cast<unsigned>((n + kThreads - 1) / kThreads), kThreads>>>(a->get(), h->get(), n);
            if (Status s = launched("float_to_half_kernel"); !s) return s.error();
            d.f16 = std::move(h.value());
            d.bytes = 2.0 * static_cast<double>(n);
            d.data_bytes = 2 * n;
        }
    } else if (f == GemmFormat::Int8) {
        // the CPU kernels' tiles back to rows (the layout these kernels read)
        const speed::Int8Weights q = speed::quantize_int8_rows(w, rows, cols);
        const std::vector<std::int8_t> codes = q.row_major();
        auto a = dev_copy(codes.data(), codes.size());
        if (!a) return a.error();
        auto s = dev_copy(q.scale.data(), static_cast<std::size_t>(rows));
        if (!s) return s.error();
        d.i8 = std::move(a.value());
        d.scale = std::move(s.value());
        d.padded = q.padded_cols;
        d.bytes = static_cast<double>(codes.size() + static_cast<std::size_t>(rows) * sizeof(float));
        d.data_bytes = codes.size();
    } else {
        const speed::W4Weights q = speed::quantize_w4(w, rows, cols, group);
        const std::vector<std::uint8_t> packed = q.row_major_packed();
        const std::vector<float> scales = q.row_major_scale();
        auto a = dev_copy(packed.data(), packed.size());
        if (!a) return a.error();
        auto s = dev_copy(scales.data(), scales.size());
        if (!s) return s.error();
        d.w4 = std::move(a.value());
        d.scale = std::move(s.value());
        d.padded = q.padded_cols;
        d.groups = q.groups;
        d.bytes = static_cast<double>(packed.size() + scales.size() * sizeof(float));
        d.data_bytes = packed.size();
    }
    if (cudaError_t e = cudaDeviceSynchronize(); e != cudaSuccess) return cuda_error("weight upload", e);
    return std::move(d);
}

// x (batch x cols float32) in the format's activation layout: F32 as is; F16 as float16 (cols wide);
// Int8 quantized per row (core/speed), padded; W4A16 float16 padded to `padded` with zeros.
Result<DeviceActivations> upload_activations(GemmFormat f, const float* x, std::int64_t batch, std::int64_t cols, std::int64_t padded) {
    DeviceActivations d;
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
    if (f == GemmFormat::F32) {
        auto a = dev_copy(x, static_cast<std::size_t>(batch * cols));
        if (!a) return a.error();
        d.f32 = std::move(a.value());
        return std::move(d);
    }
    const std::int64_t width = f == GemmFormat::W4A16 ? padded : cols;
    std::vector<std::uint16_t> h(static_cast<std::size_t>(batch * width), 0);  // 0x0000 = +0
    for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t k = 0; k < cols; ++k) h[static_cast<std::size_t>(b * width + k)] = float_to_half(x[b * cols + k]);
    auto a = dev_copy(reinterpret_cast<const __half*>(h.data()), h.size());
    if (!a) return a.error();
    d.f16 = std::move(a.value());
    return std::move(d);
}

// Launches one product (no synchronisation).
Status launch(GemmFormat f, const GemmContext& ctx, const DeviceWeights& w, const DeviceActivations& x, float* y, std::int64_t rows,
              std::int64_t cols, std::int64_t batch, int group) {
    const int m = static_cast<int>(rows), n = static_cast<int>(batch), k = static_cast<int>(cols);
    const float one = 1.0f, zero = 0.0f;
    // Row-major y (batch x rows) = x W^T is column-major y^T = W x^T: op(A) = W^T of the column-major view.
    if (f == GemmFormat::F32) {
        if (cublasStatus_t s = cublasSgemm(ctx.blas, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, w.f32.get(), k, x.f32.get(), k, &zero, y, m);
            s != CUBLAS_STATUS_SUCCESS)
            return cublas_error("cublasSgemm", s);
        return Ok{};
    }
    if (f == GemmFormat::F16) {
        if (cublasStatus_t s = cublasGemmEx(ctx.blas, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, w.f16.get(), CUDA_R_16F, k, x.f16.get(), CUDA_R_16F,
                                            k, &zero, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
            s != CUBLAS_STATUS_SUCCESS)
            return cublas_error("cublasGemmEx (fp16)", s);
        return Ok{};
    }
    const int padded = static_cast<int>(w.padded);
    const int nb = batch == 1 ? 1 : kGemvBatch;  // batch rows per GEMV CTA
    const dim3 gemv_grid(static_cast<unsigned>((rows + kWarps - 1) / kWarps), static_cast<unsigned>((batch + nb - 1) / nb));
    if (f == GemmFormat::Int8) {
        if (ctx.lt && ctx.lt->ready) {
            if (Status s = ctx.lt->run(w.i8.get(), x.i8.get(), ctx.acc.get()); !s) return s;
            const long long total = rows * batch;
            int8_scale_kernel<<<static_cast<unsigned>((total + kThreads - 1) / kThreads), kThreads>>>(ctx.acc.get(), w.scale.get(),
                                                                                                      x.scale.get(), y, m, total);
            return launched("int8_scale_kernel");
        }
        if (nb == 1) int8_gemv_kernel<1><<<gemv_grid, kThreads>>>(w.i8.get(), w.scale.get(), x.i8.get(), x.scale.get(), y, m, n, padded);
        else int8_gemv_kernel<kGemvBatch><<<gemv_grid, kThreads>>>(w.i8.get(), w.scale.get(), x.i8.get(), x.scale.get(), y, m, n, padded);
        return launched("int8_gemv_kernel");
    }
    if (ctx.w16) {
        const long long bytes = rows * (w.padded / 2);
        w4_dequant_kernel<<<static_cast<unsigned>((bytes + kThreads - 1) / kThreads), kThreads>>>(w.w4.get(), w.scale.get(), ctx.w16.get(),
                                                                                                  padded, group, static_cast<int>(w.groups), bytes);
        if (Status s = launched("w4_dequant_kernel"); !s) return s;
        if (cublasStatus_t s = cublasGemmEx(ctx.blas, CUBLAS_OP_T, CUBLAS_OP_N, m, n, padded, &one, ctx.w16.get(), CUDA_R_16F, padded,
                                            x.f16.get(), CUDA_R_16F, padded, &zero, y, CUDA_R_32F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
            s != CUBLAS_STATUS_SUCCESS)
            return cublas_error("cublasGemmEx (w4 prefill)", s);
        return Ok{};
    }
    if (nb == 1) w4a16_gemv_kernel<1><<<gemv_grid, kThreads>>>(w.w4.get(), w.scale.get(), x.f16.get(), y, m, n, padded, group, static_cast<int>(w.groups));
    else w4a16_gemv_kernel<kGemvBatch><<<gemv_grid, kThreads>>>(w.w4.get(), w.scale.get(), x.f16.get(), y, m, n, padded, group,
                                                           static_cast<int>(w.groups));
    return launched("w4a16_gemv_kernel");
}

Status check_shape(std::int64_t rows, std::int64_t cols, std::int64_t batch, int group) {
    if (rows <= 0 || cols <= 0 || batch <= 0)
        return make_error("gemm", "rows, cols and batch must be positive (got " + std::to_string(rows) + " x " + std::to_string(cols) +
                                      ", batch " + std::to_string(batch) + ")");
    if (rows > (1 << 28) || cols > (1 << 28) || batch > (1 << 18) || rows * batch > (std::int64_t(1) << 31) - 1 ||
        rows * cols > (std::int64_t(1) << 34))
        return make_error("gemm", "shape too large for the kernels (rows, cols <= 2^28, batch <= 2^18, rows * batch < 2^31, rows * cols <= 2^34)");
    if (group <= 0 || group % 32 != 0) return make_error("gemm", "the W4A16 group size must be a positive multiple of 32, got " + std::to_string(group));
    return Ok{};
}

} // namespace

Result<std::vector<float>> gemm(GemmFormat f, const float* x, std::int64_t batch, const float* w, std::int64_t rows, std::int64_t cols,
                                int group) {
    if (!device_info().available) return make_error("CUDA", device_info().reason);
    if (Status s = check_shape(rows, cols, batch, group); !s) return s.error();
    auto dw = upload_weights(f, w, rows, cols, group);
    if (!dw) return dw.error();
    auto ctx = make_context(f, rows, batch, dw->padded);
    if (!ctx) return ctx.error();
    auto dx = upload_activations(f, x, batch, cols, dw->padded);
    if (!dx) return dx.error();
    auto dy = dev_alloc<float>(static_cast<std::size_t>(rows * batch));
    if (!dy) return dy.error();
    if (Status s = launch(f, **ctx, *dw, *dx, dy->get(), rows, cols, batch, group); !s) return s.error();
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
    constexpr int kGroup = 128;
    if (Status s = check_shape(rows, cols, batch, kGroup); !s) return s.error();
    repeats = std::max(repeats, 1);
    // Random weights and activations, normal(0, 1) from the project's generator.
    std::vector<float> w(static_cast<std::size_t>(rows * cols)), x(static_cast<std::size_t>(batch * cols));
    Rng rng(1234);
    for (float& v : w) v = static_cast<float>(rng.normal());
    for (float& v : x) v = static_cast<float>(rng.normal());
    auto first = upload_weights(f, w.data(), rows, cols, kGroup);
    if (!first) return first.error();
    // Decode reads its weights from device memory, not from L2: rotate over copies totalling >= 1 GiB
    // (at most half the free memory, at most 64 copies).
    const double target = std::min(1073741824.0, info.memory_free_gib * 1073741824.0 / 2);
    const int copies = std::clamp(static_cast<int>(std::ceil(target / std::max(first->bytes, 1.0))), 1, 64);
    std::vector<DeviceWeights> ws;
    ws.push_back(std::move(first.value()));
    for (int c = 1; c < copies; ++c) {
        auto more = upload_weights(f, w.data(), rows, cols, kGroup);
        if (!more) break;  // out of memory: fewer copies
        ws.push_back(std::move(more.value()));
    }
    w.clear();
    w.shrink_to_fit();
    auto ctx = make_context(f, rows, batch, ws[0].padded);
    if (!ctx) return ctx.error();
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
    auto product = [&](int i) {
        return launch(f, **ctx, ws[static_cast<std::size_t>(i) % ws.size()], *dx, dy->get(), rows, cols, batch, kGroup);
    };
    auto read = [&](int i) -> Status {
        const DeviceWeights& d = ws[static_cast<std::size_t>(i) % ws.size()];
        const std::size_t words = d.data_bytes / 16;  // the scales (a few %) are left out
        read_kernel<<<static_cast<unsigned>(std::min<std::size_t>(4096, (words + kThreads - 1) / kThreads + 1)), kThreads>>>(
            static_cast<const uint4*>(d.data()), words, sink->get());
        return launched("read_kernel");
    };
    if (auto warm = time_one([&] { return product(0); }); !warm) return warm.error();
    if (auto warm = time_one([&] { return read(0); }); !warm) return warm.error();
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
    auto median = [](const std::vector<double>& v) { return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]); };
    GemmTiming t;
    t.device = info.name;
    t.kernel = (*ctx)->kernel;
    t.median_ms = median(kt);
    // quartiles by linear interpolation between the sorted timings
    auto quantile = [](const std::vector<double>& v, double q) {
        const double pos = q * static_cast<double>(v.size() - 1);
        const std::size_t i = static_cast<std::size_t>(pos);
        const double frac = pos - static_cast<double>(i);
        return i + 1 < v.size() ? v[i] + frac * (v[i + 1] - v[i]) : v[i];
    };
    t.q25_ms = quantile(kt, 0.25);
    t.q75_ms = quantile(kt, 0.75);
    t.min_ms = kt.front();
    t.max_ms = kt.back();
    t.floor_ms = median(rt);
    t.weight_bytes = ws[0].bytes;
    t.flops = 2.0 * static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(batch);
    t.copies = static_cast<int>(ws.size());
    t.peak_gbps = info.bandwidth_gbps;
    return t;
}

} // namespace ql::gpu
