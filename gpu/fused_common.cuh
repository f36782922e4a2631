// What every fused analysis pass on the GPU shares (gpu/fused_pass.cu, gpu/fused_ggml.cu): the device
// accumulator that turns (x, dq, code) into error sums, per-channel squared error, histograms and code
// counts exactly as core's CPU pass defines them (core/analysis.cpp fused_pass, core/bin_grid.h), and the
// host side that allocates, launches, checks and reads the totals back. Internal to gpu/ (CUDA types).
#pragma once

#include <cuda_runtime.h>

#include <cfloat>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/accelerator.h"
#include "core/bin_grid.h"

namespace ql::gpu::fused {

constexpr int kThreads = 256;         // threads per CTA of every pass kernel
constexpr int kMaxSharedBins = 2048;  // histograms up to this many bins are counted in shared memory first

// Global accumulators of one pass (device memory).
struct Totals {
    double sum_e2, sum_abs, sum_dq2, sum_xdq;
    unsigned int max_abs_bits;  // max |e| as float bits (non-negative floats order like their bits)
    int dq_lo_key, dq_hi_key;   // order-preserving int keys of the float min / max of dq
    unsigned long long count, clipped, dq_outside, err_outside;
};

// Where a pass writes, and the bins it uses (a kernel argument, by value; pointers are device memory).
struct Outputs {
    BinParams wbins, ebins;           // dequantized-value and error histograms (core/bin_grid.h)
    long long channel_len;            // output channel of flat index i = i / channel_len
    unsigned long long* dq_hist;      // [wbins.total] counts
    unsigned long long* err_hist;     // [ebins.total] counts
    unsigned long long* codes;        // [256] counts, index = code + 128
    double* channel_sse;              // [channels] sum of squared error per output channel
    Totals* totals;                   // [1]
};

__device__ __forceinline__ int float_key(float f) {
    const int i = __float_as_int(f);
    return i >= 0 ? i : i ^ 0x7FFFFFFF;
}

__device__ __forceinline__ double warp_sum(double v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xFFFFFFFFu, v, o);
    return v;
}

// Shared-memory part of the accumulator (one per CTA).
struct SharedCounts {
    unsigned int dq[kMaxSharedBins];
    unsigned int err[kMaxSharedBins];
    unsigned int codes[256];
    double sums[4][kThreads / 32];
};

__device__ __forceinline__ void init_shared(SharedCounts& s) {
    for (int k = threadIdx.x; k < kMaxSharedBins; k += blockDim.x) {
        s.dq[k] = 0;
        s.err[k] = 0;
    }
    for (int k = threadIdx.x; k < 256; k += blockDim.x) s.codes[k] = 0;
    __syncthreads();
}

// One thread's running sums. Elements must be added in increasing flat index (per thread), so the
// per-channel squared error is flushed once per channel change.
struct ThreadAccumulator {
    double e2 = 0, eabs = 0, dq2 = 0, xdq = 0;
    float emax = 0, lo = FLT_MAX, hi = -FLT_MAX;
    unsigned long long count = 0, clipped = 0, dq_out = 0, err_out = 0;
    long long cur_channel = -1;
    double cur_sse = 0;

    // x: the original (float32), dq: its dequantized value, code: the stored code as a signed byte
    // (-128..127), clip: the format counted it as saturated. Non-finite x take no part (core's rule).
    __device__ __forceinline__ void add(long long i, float x, float dq, int code, bool clip, SharedCounts& s, const Outputs& o) {
        if (!isfinite(x)) return;
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
        if (clip) ++clipped;
        atomicAdd(&s.codes[(code + 128) & 255], 1u);
        const int bd = bin_index(dq, o.wbins);
        if (bd < 0) ++dq_out;
        else if (o.wbins.total <= kMaxSharedBins) atomicAdd(&s.dq[bd], 1u);
        else atomicAdd(&o.dq_hist[bd], 1ull);
        const int be = bin_index(e, o.ebins);
        if (be < 0) ++err_out;
        else if (o.ebins.total <= kMaxSharedBins) atomicAdd(&s.err[be], 1u);
        else atomicAdd(&o.err_hist[be], 1ull);
        const long long ch = i / o.channel_len;
        if (ch != cur_channel) {
            if (cur_channel >= 0) atomicAdd(&o.channel_sse[cur_channel], cur_sse);
            cur_channel = ch;
            cur_sse = 0;
        }
        cur_sse += ed * ed;
    }

    // Adds this CTA's sums, maxima, histograms and code counts to the global totals. Every thread of the
    // CTA must call it (it synchronises).
    __device__ __forceinline__ void finish(SharedCounts& s, const Outputs& o) {
        if (cur_channel >= 0) atomicAdd(&o.channel_sse[cur_channel], cur_sse);
        const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
        const double w0 = warp_sum(e2), w1 = warp_sum(eabs), w2 = warp_sum(dq2), w3 = warp_sum(xdq);
        if (lane == 0) {
            s.sums[0][warp] = w0;
            s.sums[1][warp] = w1;
            s.sums[2][warp] = w2;
            s.sums[3][warp] = w3;
        }
        Totals* t = o.totals;
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
                s0 += s.sums[0][w];
                s1 += s.sums[1][w];
                s2 += s.sums[2][w];
                s3 += s.sums[3][w];
            }
            atomicAdd(&t->sum_e2, s0);
            atomicAdd(&t->sum_abs, s1);
            atomicAdd(&t->sum_dq2, s2);
            atomicAdd(&t->sum_xdq, s3);
        }
        for (int k = threadIdx.x; k < 256; k += blockDim.x)
            if (s.codes[k]) atomicAdd(&o.codes[k], static_cast<unsigned long long>(s.codes[k]));
        if (o.wbins.total <= kMaxSharedBins)
            for (int k = threadIdx.x; k < o.wbins.total; k += blockDim.x)
                if (s.dq[k]) atomicAdd(&o.dq_hist[k], static_cast<unsigned long long>(s.dq[k]));
        if (o.ebins.total <= kMaxSharedBins)
            for (int k = threadIdx.x; k < o.ebins.total; k += blockDim.x)
                if (s.err[k]) atomicAdd(&o.err_hist[k], static_cast<unsigned long long>(s.err[k]));
    }
};

// ---- host side ---------------------------------------------------------------------------------------

// Device memory that frees itself. alloc() zero-fills; a failure is a false return (errors are values).
template <class T>
struct DeviceBuffer {
    T* ptr = nullptr;
    DeviceBuffer() = default;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer() {
        if (ptr) cudaFree(ptr);
    }
    bool alloc(std::size_t count) {
        if (count == 0) count = 1;
        return cudaMalloc(&ptr, count * sizeof(T)) == cudaSuccess && cudaMemset(ptr, 0, count * sizeof(T)) == cudaSuccess;
    }
    bool upload(const T* host, std::size_t count) {
        return alloc(count) && (count == 0 || cudaMemcpy(ptr, host, count * sizeof(T), cudaMemcpyHostToDevice) == cudaSuccess);
    }
};

// The outputs of one pass in device memory, and their way back into a FusedPassResult.
class PassBuffers {
public:
    // Allocates and zeroes everything for spec; false (with error() set) when the device refuses.
    bool init(const FusedPassSpec& spec, long long n);
    const Outputs& outputs() const { return out_; }
    // Synchronises, then copies the totals into r. extra_clipped is added to r.clipped (formats whose
    // clipping the quantizer counted when it prepared). False (with error() set) on any CUDA error.
    bool read_back(FusedPassResult& r, unsigned long long extra_clipped = 0);
    // Records the first CUDA error of a launch (cudaGetLastError); false when there was one.
    bool check_launch(const char* what);
    // Records `what` failed with e (the first failure is kept) and clears e; returns false.
    bool fail(const char* what, cudaError_t e);
    const std::string& error() const { return error_; }

private:
    Outputs out_{};
    int wtot_ = 0, etot_ = 0;
    long long channels_ = 1;
    DeviceBuffer<unsigned long long> dh_, de_, dc_;
    DeviceBuffer<double> dch_;
    DeviceBuffer<Totals> dt_;
    std::string error_;
};

// Number of CTAs for `work` units of `per_cta` each, capped for a grid-stride loop.
inline unsigned int grid_for(long long work, long long per_cta) {
    const long long g = (work + per_cta - 1) / per_cta;
    return static_cast<unsigned int>(g < 1 ? 1 : (g > 65535 ? 65535 : g));
}

// The ggml block formats (gpu/fused_ggml.cu): false when q is not a ggml quantizer or on a CUDA error
// (error set); x is the tensor already on the device.
bool ggml_pass(const float* x, long long n, const Quantizer& q, PassBuffers& buffers, bool& handled);

} // namespace ql::gpu::fused
