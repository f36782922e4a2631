// The Speed measurement on the CUDA device (issue 7), shared by `quantlens speed` and the Speed view:
// the request's formats timed on device 0 by measure_gemm() (gpu/gpu_gemm.h), each next to the plain
// device-memory read of the same weight bytes (its floor), as rows of core's SpeedReport. Plain C++:
// compiled with and without CUDA; without a device the report says why and holds the CPU rows only.
#pragma once

#include <cstdint>
#include <vector>

#include "core/progress.h"
#include "core/speed/speed_bench.h"
#include "gpu/gpu_gemm.h"

namespace ql::gpu {

// The GPU formats timed for the learner's choice: fp32 -> fp32 and fp16 (both cuBLAS), int8 -> int8,
// w4 -> w4a16 (the same 4-bit codes, float16 activations); fp16 and w4a16 chosen directly stay as they
// are. In order of first appearance, without repeats.
std::vector<speed::SpeedFormat> gpu_speed_formats(const std::vector<speed::SpeedFormat>& chosen);

// The gpu_gemm.h format of a GPU speed format: F32, F16, Int8 as they are, W4 and W4A16 -> W4A16.
GemmFormat gemm_format_of(speed::SpeedFormat f);

// One GPU timing as a report row: on_gpu, device "CUDA: <name>", path = the kernel, GB/s and GFLOP/s
// from the weight bytes, FLOPs and median, the floor's GB/s, and the intensity of core's formula.
speed::SpeedMeasurement gpu_measurement(speed::SpeedFormat f, std::int64_t rows, std::int64_t cols, std::int64_t batch,
                                        const GemmTiming& t);

// Times each GPU format (gpu_speed_formats of req.formats) at each batch of req on device 0 (W4A16 in
// groups of 128) and appends the rows to report.items; fills report.gpu (device, bandwidth roof = best
// floor, compute roof = best product). Without a device or CUDA build: no rows and
// report.gpu.none_reason says why. A measurement that fails is left out and named in report.gpu.failures.
// progress(done, total) counts timed GPU products; false cancels (report.cancelled).
void add_gpu_speed(const speed::SpeedRequest& req, speed::SpeedReport& report, const ProgressFn& progress = {});

// The Speed view's and the CLI's measurement: core's run_speed() on the CPU, then add_gpu_speed().
// progress(done, total) runs over both: 0..1000 for the CPU, 1000..2000 for the GPU when one exists.
speed::SpeedReport run_speed_with_gpu(const speed::SpeedRequest& req, const ProgressFn& progress = {});

} // namespace ql::gpu
