// The fused analysis pass on the GPU (core/accelerator.h): each element is quantized, dequantized and
// compared with its original in registers, with the SAME per-element functions as the CPU path:
//   Int                      core/int_quant_math.h  (int_quantize, int_dequantize)
//   FP8 E4M3/E5M2, FP4 E2M1  core/float_formats_math.h (minifloat_round / encode), one scale per slice
//   MXFP4, NVFP4             the same E2M1 rounding, one scale per block of 32 / 16 along each row
//   NF4, NF4 with DQ         nf4_code / nf4_value, q = nf4_code(x * (1 / absmax)), dq = value * stored
//   ggml block formats       the quantizer's packed blocks decoded by core/ggml_blocks.h (fused_ggml.cu)
// The scales come from the prepared quantizer (prepare() ran on the CPU); only the per-element work and
// the reductions run here. Sums, maxima, histograms and code counts are reduced per CTA in shared memory
// (gpu/fused_common.cuh). A format not listed, or any CUDA error, returns false: the CPU runs it.
#include <cuda_runtime.h>

#include <memory>
#include <string>
#include <vector>

#include "core/float_formats_math.h"
#include "core/format_quantizers.h"
#include "core/fp4.h"
#include "core/fp8.h"
#include "core/int_quant_math.h"
#include "core/int_quantizer.h"
#include "core/nf4.h"
#include "gpu/fused_common.cuh"
#include "gpu/gpu_backend.h"

namespace ql::gpu {
namespace fused {

// ---- PassBuffers ---------------------------------------------------------------------------------------

bool PassBuffers::fail(const char* what, cudaError_t e) {
    if (error_.empty()) error_ = std::string(what) + ": " + cudaGetErrorString(e);
    cudaGetLastError();  // clear a non-sticky error so the next call starts clean
    return false;
}

bool PassBuffers::check_launch(const char* what) {
    const cudaError_t e = cudaGetLastError();
    return e == cudaSuccess ? true : fail(what, e);
}

bool PassBuffers::init(const FusedPassSpec& spec, long long n) {
    wtot_ = spec.weights.total();
    etot_ = spec.errors.total();
    channels_ = spec.channels > 0 ? spec.channels : 1;
    if (!dh_.alloc(static_cast<std::size_t>(wtot_)) || !de_.alloc(static_cast<std::size_t>(etot_)) || !dc_.alloc(256) ||
        !dch_.alloc(static_cast<std::size_t>(channels_)) || !dt_.alloc(1))
        return fail("cudaMalloc (pass outputs)", cudaGetLastError());
    Totals init{};
    init.dq_lo_key = 0x7FFFFFFF;
    init.dq_hi_key = static_cast<int>(0x80000000u);
    if (cudaError_t e = cudaMemcpy(dt_.ptr, &init, sizeof init, cudaMemcpyHostToDevice); e != cudaSuccess) return fail("cudaMemcpy (totals)", e);
    out_.wbins = spec.weights.params();
    out_.ebins = spec.errors.params();
    out_.channel_len = spec.channel_len > 0 ? spec.channel_len : (n > 0 ? n : 1);
    out_.dq_hist = dh_.ptr;
    out_.err_hist = de_.ptr;
    out_.codes = dc_.ptr;
    out_.channel_sse = dch_.ptr;
    out_.totals = dt_.ptr;
    return true;
}

bool PassBuffers::read_back(FusedPassResult& r, unsigned long long extra_clipped) {
    if (cudaError_t e = cudaDeviceSynchronize(); e != cudaSuccess) return fail("fused pass", e);
    Totals tot{};
    r.dq_counts.assign(static_cast<std::size_t>(wtot_), 0);
    r.error_counts.assign(static_cast<std::size_t>(etot_), 0);
    r.code_counts.assign(256, 0);
    r.channel_sse.assign(static_cast<std::size_t>(channels_), 0.0);
    static_assert(sizeof(unsigned long long) == sizeof(std::uint64_t));
    cudaError_t e = cudaMemcpy(&tot, dt_.ptr, sizeof tot, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess) e = cudaMemcpy(r.dq_counts.data(), dh_.ptr, r.dq_counts.size() * 8, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess) e = cudaMemcpy(r.error_counts.data(), de_.ptr, r.error_counts.size() * 8, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess) e = cudaMemcpy(r.code_counts.data(), dc_.ptr, 256 * 8, cudaMemcpyDeviceToHost);
    if (e == cudaSuccess) e = cudaMemcpy(r.channel_sse.data(), dch_.ptr, r.channel_sse.size() * sizeof(double), cudaMemcpyDeviceToHost);
    if (e != cudaSuccess) return fail("cudaMemcpy (pass results)", e);
    r.sums = kernels::ErrorSums{};
    r.sums.sum_e2 = tot.sum_e2;
    r.sums.sum_abs = tot.sum_abs;
    r.sums.sum_dq2 = tot.sum_dq2;
    r.sums.sum_xdq = tot.sum_xdq;
    float mx;
    std::memcpy(&mx, &tot.max_abs_bits, sizeof mx);
    r.sums.max_abs = mx;
    r.sums.count = tot.count;
    if (tot.count) {
        auto key_float = [](int k) {
            const int i = k >= 0 ? k : k ^ 0x7FFFFFFF;
            float f;
            std::memcpy(&f, &i, sizeof f);
            return f;
        };
        r.sums.dq_lo = key_float(tot.dq_lo_key);
        r.sums.dq_hi = key_float(tot.dq_hi_key);
    }
    r.clipped = tot.clipped + extra_clipped;
    r.dq_outside = tot.dq_outside;
    r.error_outside = tot.err_outside;
    return true;
}

} // namespace fused

namespace {

using fused::kThreads;
using fused::Outputs;
using fused::PassBuffers;

constexpr int kTile = 8192;  // consecutive elements per CTA iteration

// Which slice (scale) flat index i uses; the formulas of core's SliceLayout::slice_of.
struct SliceMap {
    int kind = 0;             // 0: one slice; 1: channel (i / inner) % channels; 2: (i / cols) * per_row + (i % cols) / group
    long long inner = 1, channels = 1;
    long long cols = 1, group = 1, per_row = 1;
    __device__ __forceinline__ long long operator()(long long i) const {
        if (kind == 0) return 0;
        if (kind == 1) return (i / inner) % channels;
        return (i / cols) * per_row + (i % cols) / group;
    }
};

SliceMap slice_map(const SliceLayout& L) {
    SliceMap m;
    if (L.granularity == Granularity::PerChannel) {
        m.kind = 1;
        m.inner = L.inner > 0 ? L.inner : 1;
        m.channels = L.channels > 0 ? L.channels : 1;
    } else if (L.granularity == Granularity::PerGroup) {
        m.kind = 2;
        m.cols = L.cols > 0 ? L.cols : 1;
        m.group = L.group_size > 0 ? L.group_size : 1;
        m.per_row = L.groups_per_row;
    }
    return m;
}

// Blocks of `block` values along rows of `cols` (MXFP4, NVFP4: core's RowBlocks), or along the flat
// tensor when cols == n (NF4).
SliceMap row_blocks(long long cols, long long block) {
    SliceMap m;
    m.kind = 2;
    m.cols = cols > 0 ? cols : 1;
    m.group = block;
    m.per_row = (m.cols + block - 1) / block;
    return m;
}

// Per-element operations: (i, finite x) -> dq, code (as a signed byte), clip.

// Int: params [slices] IntParams (scale, 1 / scale, zero point), codes in [qmin, qmax].
struct IntOp {
    const IntParams* params;
    IntRange range;
    SliceMap map;
    __device__ __forceinline__ void operator()(long long i, float x, float& dq, int& code, bool& clip) const {
        const IntParams p = params[map(i)];
        const float v = ql_rint(x * p.inv_scale) + static_cast<float>(p.zero_point);
        clip = v < static_cast<float>(range.qmin) || v > static_cast<float>(range.qmax);
        code = int_quantize(x, p, range);
        dq = int_dequantize(code, p);
    }
};

// Minifloat with a float32 scale per slice: q = round_f(x / s) (saturating), dq = q * s; the code is the
// format's bit pattern (NaN code for NaN; E2M1 stores NaN as +0). scales: [slices] float32.
struct MiniOp {
    const float* scales;
    MiniFloat f;
    SliceMap map;
    __device__ __forceinline__ void operator()(long long i, float x, float& dq, int& code, bool& clip) const {
        const float s = scales[map(i)];
        bool c = false;
        float q = minifloat_round(x / s, f, c);
        if (q != q && !minifloat_has_nan(f)) q = 0.0f;
        dq = q * s;
        clip = c;
        code = static_cast<std::int8_t>(q != q ? minifloat_nan_code(f) : minifloat_encode(q, f));
    }
};

// NF4: inv [blocks] float32 = 1 / absmax, stored [blocks] float32 (absmax, or its double-quantized value).
struct Nf4Op {
    const float* inv;
    const float* stored;
    SliceMap map;
    __device__ __forceinline__ void operator()(long long i, float x, float& dq, int& code, bool& clip) const {
        const long long b = map(i);
        code = nf4_code(x * inv[b]);
        dq = nf4_value(code) * stored[b];
        clip = false;
    }
};

// The pass: x [n] float32 on the device; CTAs take tiles of kTile consecutive elements (grid-stride), so
// each thread visits increasing indices.
template <class Op>
__global__ void __launch_bounds__(kThreads) fused_kernel(const float* __restrict__ x, long long n, Op op, Outputs o) {
    __shared__ fused::SharedCounts s;
    fused::init_shared(s);
    fused::ThreadAccumulator acc;
    for (long long tile = blockIdx.x; tile * kTile < n; tile += gridDim.x) {
        const long long begin = tile * kTile, end = begin + kTile < n ? begin + kTile : n;
        for (long long i = begin + threadIdx.x; i < end; i += blockDim.x) {
            const float xi = x[i];
            if (!isfinite(xi)) continue;
            float dq;
            int code;
            bool clip;
            op(i, xi, dq, code, clip);
            acc.add(i, xi, dq, code, clip, s, o);
        }
    }
    acc.finish(s, o);
}

// NF4's 1 / absmax per block: one warp per block of `block` values of x [n]; absmax over finite values
// (0 when none), exactly as core's finite_absmax (a maximum is the same in any order). inv: [blocks].
__global__ void nf4_inverse_kernel(const float* __restrict__ x, long long n, long long block, long long blocks, float* __restrict__ inv) {
    const long long warp = (static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x) / 32;
    const int lane = threadIdx.x & 31;
    if (warp >= blocks) return;
    const long long begin = warp * block, end = begin + block < n ? begin + block : n;
    float a = 0.0f;
    for (long long i = begin + lane; i < end; i += 32) {
        const float v = fabsf(x[i]);
        if (v < INFINITY) a = fmaxf(a, v);
    }
    for (int o = 16; o > 0; o >>= 1) a = fmaxf(a, __shfl_down_sync(0xFFFFFFFFu, a, o));
    if (lane == 0) inv[warp] = 1.0f / a;
}

template <class Op>
bool launch(const float* x, long long n, const Op& op, PassBuffers& pb, const char* what) {
    fused_kernel<Op><<<fused::grid_for(n, kTile), kThreads>>>(x, n, op, pb.outputs());
    return pb.check_launch(what);
}

class CudaAccelerator final : public Accelerator {
public:
    std::string name() const override { return "CUDA: " + device_info().name; }

    bool fused_pass(const Tensor& t, const Quantizer& q, const FusedPassSpec& spec, FusedPassResult& out) override {
        const long long n = t.numel();
        if (n <= 0 || static_cast<long long>(t.values.size()) < n) return decline("an empty tensor (or fewer values than its shape)");
        const Format f = q.config().format;
        last_error_.clear();
        if (!supported(f)) {
            last_error_ = std::string("format ") + std::string(format_name(f)) + " has no CUDA pass (the CPU runs it)";
            return false;
        }
        fused::DeviceBuffer<float> dx;
        PassBuffers pb;
        if (!dx.upload(t.data(), static_cast<std::size_t>(n)))
            return decline(std::string("cudaMalloc / cudaMemcpy (tensor): ") + cudaGetErrorString(cudaGetLastError()));
        if (!pb.init(spec, n)) return note(pb);
        unsigned long long extra_clipped = 0;
        // parameters that must outlive the kernels (freed after read_back synchronises)
        fused::DeviceBuffer<IntParams> dparams;
        fused::DeviceBuffer<float> dscales, dinv;
        bool ok = false;
        switch (f) {
        case Format::Int: {
            const auto* iq = dynamic_cast<const IntQuantizer*>(&q);
            if (!iq) return decline("an Int configuration without an IntQuantizer");
            const auto& p = iq->slice_params();
            if (p.empty() || !dparams.upload(p.data(), p.size())) return decline("Int slice parameters missing or not uploaded");
            const IntRange r = int_code_range(iq->config().bits, iq->config().scheme == Scheme::Symmetric);
            ok = launch(dx.ptr, n, IntOp{dparams.ptr, r, slice_map(iq->layout())}, pb, "fused pass (int)");
            break;
        }
        case Format::FP8_E4M3: case Format::FP8_E5M2: case Format::FP4_E2M1: {
            const SliceLayout L = SliceLayout::make(fp4_e2m1_slices(q.config()), t.shape);
            const std::vector<float> s = q.params().scales;
            if (static_cast<long long>(s.size()) != L.slices || !dscales.upload(s.data(), s.size()))
                return decline("minifloat scales: " + std::to_string(s.size()) + " for " + std::to_string(L.slices) + " slices");
            const MiniFloat m = f == Format::FP4_E2M1 ? kE2M1 : fp8_format(f);
            ok = launch(dx.ptr, n, MiniOp{dscales.ptr, m, slice_map(L)}, pb, "fused pass (minifloat)");
            break;
        }
        case Format::MXFP4: case Format::NVFP4: {
            const long long cols = t.shape.empty() ? n : t.shape.back();
            if (cols <= 0) return decline("a tensor with an empty last axis");
            const SliceMap m = row_blocks(cols, f == Format::NVFP4 ? kNvfp4Block : kMxfp4Block);
            const std::vector<float> s = q.params().scales;
            if (static_cast<long long>(s.size()) != (n / cols) * m.per_row || !dscales.upload(s.data(), s.size()))
                return decline("block scales: " + std::to_string(s.size()) + " for " + std::to_string((n / cols) * m.per_row) + " blocks");
            ok = launch(dx.ptr, n, MiniOp{dscales.ptr, kE2M1, m}, pb, "fused pass (block fp4)");
            break;
        }
        case Format::NF4: case Format::NF4_DQ: {
            const long long block = q.config().block_size > 0 ? q.config().block_size : kNf4DefaultBlock;
            const SliceMap m = row_blocks(n, block);
            const std::vector<float> s = q.params().scales;
            if (static_cast<long long>(s.size()) != m.per_row || !dscales.upload(s.data(), s.size()) ||
                !dinv.alloc(s.size()))
                return decline("NF4 scales: " + std::to_string(s.size()) + " for " + std::to_string(m.per_row) + " blocks");
            const long long threads = m.per_row * 32;
            nf4_inverse_kernel<<<static_cast<unsigned>((threads + kThreads - 1) / kThreads), kThreads>>>(dx.ptr, n, block, m.per_row,
                                                                                                         dinv.ptr);
            if (!pb.check_launch("nf4_inverse_kernel")) return note(pb);
            ok = launch(dx.ptr, n, Nf4Op{dinv.ptr, dscales.ptr, m}, pb, "fused pass (nf4)");
            break;
        }
        default: {
            bool handled = false;
            ok = fused::ggml_pass(dx.ptr, n, q, pb, handled);
            if (!handled) {
                last_error_ = "the quantizer holds no packed ggml blocks";
                return false;
            }
            extra_clipped = ggml_blocks_view(q).clipped;
            break;
        }
        }
        if (!ok || !pb.read_back(out, extra_clipped)) return note(pb);
        return true;
    }

    const std::string& last_error() const { return last_error_; }

private:
    static bool supported(Format f) {
        switch (f) {
        case Format::Int: case Format::FP8_E4M3: case Format::FP8_E5M2: case Format::FP4_E2M1: case Format::MXFP4:
        case Format::NVFP4: case Format::NF4: case Format::NF4_DQ: case Format::Q8_0: case Format::Q4_0: case Format::Q4_1:
        case Format::Q5_0: case Format::Q2_K: case Format::Q3_K: case Format::Q4_K: case Format::Q5_K: case Format::Q6_K: case Format::IQ4_NL:
        case Format::IQ4_XS:
            return true;
        default:
            return false;
        }
    }
    bool decline(std::string why) {
        cudaGetLastError();
        last_error_ = std::move(why);
        return false;
    }
    bool note(const PassBuffers& pb) {
        last_error_ = pb.error();
        return false;
    }
    std::string last_error_;
};

} // namespace

std::string last_pass_error(const Accelerator* a) {
    if (const auto* c = dynamic_cast<const CudaAccelerator*>(a)) return c->last_error();
    return a ? "not a CUDA accelerator" : "no accelerator: " + device_info().reason;
}

std::unique_ptr<Accelerator> make_accelerator() {
    if (!device_info().available) return nullptr;
    return std::make_unique<CudaAccelerator>();
}

} // namespace ql::gpu
