// The fused analysis pass for the ggml block formats (Q8_0, Q4_0, Q4_1, Q5_0, IQ4_NL, IQ4_XS, Q2_K .. Q6_K): the
// quantizer's packed blocks (prepared on the CPU by ggml's reference quantizers) are decoded on the GPU by
// the very QL_HD decoders the CPU uses (core/ggml_blocks.h dequantize_block, block_codes), into shared
// memory, and every value is compared with its original by the shared accumulator (fused_common.cuh).
#include <cuda_runtime.h>

#include "core/format_quantizers.h"
#include "core/ggml_blocks.h"
#include "gpu/fused_common.cuh"

namespace ql::gpu::fused {
namespace {

constexpr int kTileValues = 2048;  // decoded values held in shared memory per CTA iteration

// The pass over `nblocks` blocks of type B: blocks [nblocks] packed ggml blocks, row-major, per_row per
// row of `cols` values (a row's last block may be partial: its padding is skipped); x [rows * cols]
// float32, the originals. Each iteration decodes kTileValues / QK consecutive blocks, one per thread,
// then every thread takes values of the tile in increasing flat order.
template <class B, int QK>
__global__ void __launch_bounds__(kThreads) ggml_kernel(const B* __restrict__ blocks, long long nblocks, long long cols, long long per_row,
                                                         const float* __restrict__ x, Outputs o) {
    constexpr int kBlocks = kTileValues / QK;
    static_assert(kBlocks >= 1 && kBlocks <= kThreads, "one block per decoding thread");
    __shared__ SharedCounts s;
    __shared__ float s_y[kTileValues];
    __shared__ std::int8_t s_c[kTileValues];
    init_shared(s);
    ThreadAccumulator acc;
    for (long long first = static_cast<long long>(blockIdx.x) * kBlocks; first < nblocks; first += static_cast<long long>(gridDim.x) * kBlocks) {
        const int count = nblocks - first < kBlocks ? static_cast<int>(nblocks - first) : kBlocks;
        if (threadIdx.x < count) {
            const B& blk = blocks[first + threadIdx.x];  // read in place: a copy of a 210-byte block spills
            ggml::dequantize_block(blk, s_y + threadIdx.x * QK);
            ggml::block_codes(blk, s_c + threadIdx.x * QK);
        }
        __syncthreads();
        for (int slot = threadIdx.x; slot < count * QK; slot += blockDim.x) {
            const long long b = first + slot / QK;
            const long long col = (b % per_row) * QK + slot % QK;
            if (col >= cols) continue;  // padding of a row's partial last block
            const long long i = (b / per_row) * cols + col;
            const float xi = x[i];
            acc.add(i, xi, s_y[slot], s_c[slot], false, s, o);  // clipping: counted by the quantizer
        }
        __syncthreads();
    }
    acc.finish(s, o);
}

template <class B, int QK>
bool run(const GgmlBlocksView& v, const float* x, PassBuffers& pb) {
    DeviceBuffer<B> db;
    if (!db.upload(static_cast<const B*>(v.blocks), static_cast<std::size_t>(v.block_count)))
        return pb.fail("cudaMalloc / cudaMemcpy (ggml blocks)", cudaGetLastError());
    ggml_kernel<B, QK><<<grid_for(v.block_count, kTileValues / QK), kThreads>>>(db.ptr, v.block_count, v.cols, v.blocks_per_row, x,
                                                                              pb.outputs());
    if (!pb.check_launch("fused pass (ggml) launch")) return false;
    // db is freed on return: the kernel must have finished reading it
    if (cudaError_t e = cudaDeviceSynchronize(); e != cudaSuccess) return pb.fail("fused pass (ggml)", e);
    return true;
}

} // namespace

bool ggml_pass(const float* x, long long n, const Quantizer& q, PassBuffers& pb, bool& handled) {
    const GgmlBlocksView v = ggml_blocks_view(q);
    handled = v.blocks != nullptr && v.cols > 0 && v.block_count == (n / v.cols) * v.blocks_per_row;
    if (!handled) return false;
    switch (v.format) {
    case Format::Q8_0: return run<ggml::BlockQ8_0, ggml::kQK8_0>(v, x, pb);
    case Format::Q4_0: return run<ggml::BlockQ4_0, ggml::kQK4_0>(v, x, pb);
    case Format::Q4_1: return run<ggml::BlockQ4_1, ggml::kQK4_1>(v, x, pb);
    case Format::Q5_0: return run<ggml::BlockQ5_0, ggml::kQK5_0>(v, x, pb);
    case Format::IQ4_NL: return run<ggml::BlockIQ4_NL, ggml::kQK4_NL>(v, x, pb);
    case Format::Q2_K: return run<ggml::BlockQ2_K, ggml::kQK_K>(v, x, pb);
    case Format::Q3_K: return run<ggml::BlockQ3_K, ggml::kQK_K>(v, x, pb);
    case Format::Q4_K: return run<ggml::BlockQ4_K, ggml::kQK_K>(v, x, pb);
    case Format::Q5_K: return run<ggml::BlockQ5_K, ggml::kQK_K>(v, x, pb);
    case Format::Q6_K: return run<ggml::BlockQ6_K, ggml::kQK_K>(v, x, pb);
    case Format::IQ4_XS: return run<ggml::BlockIQ4_XS, ggml::kQK_K>(v, x, pb);
    default: handled = false; return false;
    }
}

} // namespace ql::gpu::fused
