// The fused analysis pass for integer quantization on the GPU: each element is quantized, dequantized
// and compared with its original in registers, with the SAME per-element functions as the CPU
// (core/int_quant_math.h, core/bin_grid.h); sums, maxima, histograms and code counts are reduced in
// shared memory per block and added to global totals once per block.
#include <cuda_runtime.h>

#include <cfloat>
#include <cstring>
#include <cstdint>
#include <string>
#include <vector>

#include "core/accelerator.h"
#include "core/bin_grid.h"
#include "core/int_quant_math.h"
#include "core/int_quantizer.h"
#include "gpu/gpu_backend.h"

namespace ql::gpu {
namespace {

constexpr int kThreads = 256;
constexpr int kTile = 8192;           // elements per block
constexpr int kMaxSharedBins = 2048;  // histograms up to this many bins live in shared memory

// Global accumulators of one pass (device memory).
struct Totals {
    double sum_e2, sum_abs, sum_dq2, sum_xdq;
    unsigned int max_abs_bits;        // |e| as float bits (non-negative floats order like their bits)
    int dq_lo_key, dq_hi_key;         // order-preserving int keys of float min/max
    unsigned long long count, clipped, dq_outside, err_outside;
};

__device__ __forceinline__ int float_key(float f) {
    const int i = __float_as_int(f);
    return i >= 0 ? i : i ^ 0x7FFFFFFF;
}
__host__ __device__ __forceinline__ float key_float(int k) {
#if defined(__CUDA_ARCH__)
    return __int_as_float(k >= 0 ? k : k ^ 0x7FFFFFFF);
#else
    const int i = k >= 0 ? k : k ^ 0x7FFFFFFF;
    float f;
    std::memcpy(&f, &i, sizeof f);
    return f;
#endif
}

// Parameters of the pass (kernel argument, by value).
struct PassArgs {
    const float* x;                   // [n] float32, the tensor
    long long n;                      // elements
    const IntParams* params;          // [slices] per-slice scale / inverse / zero point
    int granularity;                  // 0 tensor, 1 channel on axis 0 (slice = i / inner), 2 group
    long long inner;                  // channel: values per channel
    long long cols, group_size, groups_per_row;  // group: slice = (i / cols) * gpr + (i % cols) / gs
    int qmin, qmax;
    BinParams wbins, ebins;           // dequantized-value and error histograms
    long long channel_len;            // output channel of i = i / channel_len (per-channel error)
    unsigned long long* dq_hist;      // [wbins.total]
    unsigned long long* err_hist;     // [ebins.total]
    unsigned long long* codes;        // [256], index code + 128
    double* channel_sse;              // [channels]
    Totals* totals;
};

__device__ __forceinline__ long long slice_of(const PassArgs& a, long long i) {
    if (a.granularity == 0) return 0;
    if (a.granularity == 1) return i / a.inner;
    return (i / a.cols) * a.groups_per_row + (i % a.cols) / a.group_size;
}

__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xFFFFFFFFu, v, o);
    return v;
}

__global__ void fused_int_kernel(PassArgs a) {
    __shared__ unsigned int s_dq[kMaxSharedBins];
    __shared__ unsigned int s_err[kMaxSharedBins];
    __shared__ unsigned int s_codes[256];
    __shared__ double s_sum[4][kThreads / 32];
    const bool shared_dq = a.wbins.total <= kMaxSharedBins, shared_err = a.ebins.total <= kMaxSharedBins;
    for (int k = threadIdx.x; k < kMaxSharedBins; k += blockDim.x) {
        s_dq[k] = 0;
        s_err[k] = 0;
    }
    for (int k = threadIdx.x; k < 256; k += blockDim.x) s_codes[k] = 0;
    __syncthreads();

    const IntRange r{a.qmin, a.qmax};
    double e2 = 0, eabs = 0, dq2 = 0, xdq = 0;
    float emax = 0, lo = FLT_MAX, hi = -FLT_MAX;
    unsigned long long count = 0, clipped = 0, dq_out = 0, err_out = 0;
    const long long begin = static_cast<long long>(blockIdx.x) * kTile;
    const long long end = begin + kTile < a.n ? begin + kTile : a.n;
    long long cur_channel = -1;
    double cur_sse = 0;
    for (long long i = begin + threadIdx.x; i < end; i += blockDim.x) {
        const float x = a.x[i];
        if (!isfinite(x)) continue;
        const IntParams p = a.params[slice_of(a, i)];
        const float v = ql_rint(x * p.inv_scale) + static_cast<float>(p.zero_point);
        if (v < static_cast<float>(a.qmin) || v > static_cast<float>(a.qmax)) ++clipped;
        const int q = int_quantize(x, p, r);
        const float dq = int_dequantize(q, p);
        const float e = dq - x;
        const double ed = e;
        e2 += ed * ed;
        eabs += fabs(ed);
        dq2 += static_cast<double>(dq) * dq;
        xdq += static_cast<double>(x) * dq;
        emax = fmaxf(emax, fabsf(e));
        lo = fminf(lo, dq);
        hi = fmaxf(hi, dq);
        ++count;
        atomicAdd(&s_codes[q + 128], 1u);
        const int bd = bin_index(dq, a.wbins);
        if (bd < 0) ++dq_out;
        else if (shared_dq) atomicAdd(&s_dq[bd], 1u);
        else atomicAdd(&a.dq_hist[bd], 1ull);
        const int be = bin_index(e, a.ebins);
        if (be < 0) ++err_out;
        else if (shared_err) atomicAdd(&s_err[be], 1u);
        else atomicAdd(&a.err_hist[be], 1ull);
        const long long ch = i / a.channel_len;
        if (ch != cur_channel) {
            if (cur_channel >= 0) atomicAdd(&a.channel_sse[cur_channel], cur_sse);
            cur_channel = ch;
            cur_sse = 0;
        }
        cur_sse += ed * ed;
    }
    if (cur_channel >= 0) atomicAdd(&a.channel_sse[cur_channel], cur_sse);

    // block reduction of the double sums through the warps
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    e2 = warp_sum(e2);
    eabs = warp_sum(eabs);
    dq2 = warp_sum(dq2);
    xdq = warp_sum(xdq);
    if (lane == 0) {
        s_sum[0][warp] = e2;
        s_sum[1][warp] = eabs;
        s_sum[2][warp] = dq2;
        s_sum[3][warp] = xdq;
    }
    Totals* t = a.totals;
    if (count) {
        atomicMax(&t->max_abs_bits, __float_as_uint(emax));
        atomicMin(&t->dq_lo_key, float_key(lo));
        atomicMax(&t->dq_hi_key, float_key(hi));
        atomicAdd(&t->count, count);
    }
    if (clipped) atomicAdd(&t->clipped, clipped);
    if (dq_out) atomicAdd(&t->dq_outside, dq_out);
    if (err_out) atomicAdd(&t->err_outside, err_out);
    __syncthreads();
    if (threadIdx.x == 0) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int w = 0; w < kThreads / 32; ++w) {
            s0 += s_sum[0][w];
            s1 += s_sum[1][w];
            s2 += s_sum[2][w];
            s3 += s_sum[3][w];
        }
        atomicAdd(&t->sum_e2, s0);
        atomicAdd(&t->sum_abs, s1);
        atomicAdd(&t->sum_dq2, s2);
        atomicAdd(&t->sum_xdq, s3);
    }
    for (int k = threadIdx.x; k < 256; k += blockDim.x)
        if (s_codes[k]) atomicAdd(&a.codes[k], static_cast<unsigned long long>(s_codes[k]));
    if (shared_dq)
        for (int k = threadIdx.x; k < a.wbins.total; k += blockDim.x)
            if (s_dq[k]) atomicAdd(&a.dq_hist[k], static_cast<unsigned long long>(s_dq[k]));
    if (shared_err)
        for (int k = threadIdx.x; k < a.ebins.total; k += blockDim.x)
            if (s_err[k]) atomicAdd(&a.err_hist[k], static_cast<unsigned long long>(s_err[k]));
}

// Device memory that frees itself; errors are values (a false return), never aborts.
template <class T>
struct DeviceBuffer {
    T* ptr = nullptr;
    bool alloc(std::size_t count) {
        if (count == 0) count = 1;
        return cudaMalloc(&ptr, count * sizeof(T)) == cudaSuccess && cudaMemset(ptr, 0, count * sizeof(T)) == cudaSuccess;
    }
    ~DeviceBuffer() {
        if (ptr) cudaFree(ptr);
    }
};

class CudaAccelerator final : public Accelerator {
public:
    std::string name() const override { return "CUDA: " + device_info().name; }

    bool fused_pass(const Tensor& t, const Quantizer& q, const FusedPassSpec& spec, FusedPassResult& out) override {
        const auto* iq = dynamic_cast<const IntQuantizer*>(&q);
        if (!iq) return false;
        const SliceLayout& L = iq->layout();
        int gran = 0;
        if (L.granularity == Granularity::PerChannel) {
            if (L.inner * L.channels != L.numel) return false;  // only axis 0: slice = i / inner
            gran = 1;
        } else if (L.granularity == Granularity::PerGroup) {
            gran = 2;
        }
        const long long n = t.numel();
        if (n <= 0) return false;
        const auto& params = iq->slice_params();
        DeviceBuffer<float> dx;
        DeviceBuffer<IntParams> dp;
        DeviceBuffer<unsigned long long> dh, de, dc;
        DeviceBuffer<double> dch;
        DeviceBuffer<Totals> dt;
        const int wtot = spec.weights.total(), etot = spec.errors.total();
        if (!dx.alloc(static_cast<std::size_t>(n)) || !dp.alloc(params.size()) || !dh.alloc(static_cast<std::size_t>(wtot)) ||
            !de.alloc(static_cast<std::size_t>(etot)) || !dc.alloc(256) || !dch.alloc(static_cast<std::size_t>(spec.channels)) ||
            !dt.alloc(1)) {
            cudaGetLastError();
            return false;
        }
        Totals init{};
        init.dq_lo_key = 0x7FFFFFFF;
        init.dq_hi_key = static_cast<int>(0x80000000u);
        if (cudaMemcpy(dx.ptr, t.data(), static_cast<std::size_t>(n) * sizeof(float), cudaMemcpyHostToDevice) != cudaSuccess ||
            cudaMemcpy(dp.ptr, params.data(), params.size() * sizeof(IntParams), cudaMemcpyHostToDevice) != cudaSuccess ||
            cudaMemcpy(dt.ptr, &init, sizeof init, cudaMemcpyHostToDevice) != cudaSuccess) {
            cudaGetLastError();
            return false;
        }
        PassArgs a{};
        a.x = dx.ptr;
        a.n = n;
        a.params = dp.ptr;
        a.granularity = gran;
        a.inner = L.inner;
        a.cols = L.cols;
        a.group_size = L.group_size;
        a.groups_per_row = L.groups_per_row;
        const IntRange r = int_code_range(iq->config().bits, iq->config().scheme == Scheme::Symmetric);
        a.qmin = r.qmin;
        a.qmax = r.qmax;
        a.wbins = spec.weights.params();
        a.ebins = spec.errors.params();
        a.channel_len = spec.channel_len > 0 ? spec.channel_len : n;
        a.dq_hist = dh.ptr;
        a.err_hist = de.ptr;
        a.codes = dc.ptr;
        a.channel_sse = dch.ptr;
        a.totals = dt.ptr;
        const long long blocks = (n + kTile - 1) / kTile;
        fused_int_kernel<<<static_cast<unsigned int>(blocks), kThreads>>>(a);
        if (cudaGetLastError() != cudaSuccess || cudaDeviceSynchronize() != cudaSuccess) {
            cudaGetLastError();
            return false;
        }
        Totals tot{};
        out.dq_counts.assign(static_cast<std::size_t>(wtot), 0);
        out.error_counts.assign(static_cast<std::size_t>(etot), 0);
        out.code_counts.assign(256, 0);
        out.channel_sse.assign(static_cast<std::size_t>(spec.channels), 0.0);
        if (cudaMemcpy(&tot, dt.ptr, sizeof tot, cudaMemcpyDeviceToHost) != cudaSuccess ||
            cudaMemcpy(out.dq_counts.data(), dh.ptr, out.dq_counts.size() * 8, cudaMemcpyDeviceToHost) != cudaSuccess ||
            cudaMemcpy(out.error_counts.data(), de.ptr, out.error_counts.size() * 8, cudaMemcpyDeviceToHost) != cudaSuccess ||
            cudaMemcpy(out.code_counts.data(), dc.ptr, 256 * 8, cudaMemcpyDeviceToHost) != cudaSuccess ||
            cudaMemcpy(out.channel_sse.data(), dch.ptr, out.channel_sse.size() * sizeof(double), cudaMemcpyDeviceToHost) != cudaSuccess) {
            cudaGetLastError();
            return false;
        }
        out.sums.sum_e2 = tot.sum_e2;
        out.sums.sum_abs = tot.sum_abs;
        out.sums.sum_dq2 = tot.sum_dq2;
        out.sums.sum_xdq = tot.sum_xdq;
        float mx;
        std::memcpy(&mx, &tot.max_abs_bits, sizeof mx);
        out.sums.max_abs = mx;
        out.sums.count = tot.count;
        if (tot.count) {
            out.sums.dq_lo = key_float(tot.dq_lo_key);
            out.sums.dq_hi = key_float(tot.dq_hi_key);
        }
        out.clipped = tot.clipped;
        out.dq_outside = tot.dq_outside;
        out.error_outside = tot.err_outside;
        return true;
    }
};

} // namespace

std::unique_ptr<Accelerator> make_accelerator() {
    if (!device_info().available) return nullptr;
    return std::make_unique<CudaAccelerator>();
}

} // namespace ql::gpu
