// Speed measurement (issue 7): times the speed kernels for one layer shape (out x in) and batch next
// to the plain memory read of the same bytes (the floor) in the same run, and models decode tokens/s
// from memory bandwidth. The CLI (`quantlens speed`), `quantlens bench --only speed` and the Speed
// view all call run_speed() and decode_estimate().
//
//   decode (batch 1):  reads every weight once per token; timings rotate over weight copies totalling
//                      >= rotate_bytes so that each product reads its weights from DRAM, not cache
//   effective GB/s   = weight bytes (codes + scales) / median time
//   GFLOP/s (GOP/s)  = 2 x batch x out x in / median time (one multiply-add = 2 operations)
//   intensity        = 2 x batch x out x in / (weight bytes + 4 x batch x (in + out)) operations/byte
//   tokens/s         = bandwidth / (weight bytes of the model + KV-cache bytes read per token)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/memory.h"
#include "core/progress.h"
#include "core/speed/speed_kernels.h"

namespace ql::speed {

// The formats timed. The CPU has kernels for F32, Int8 and W4 (core/speed/speed_kernels.h); F16 (cuBLAS)
// and W4A16 (4-bit weights, float16 activations) run only on a CUDA device (gpu/gpu_speed.h).
enum class SpeedFormat { F32, F16, Int8, W4, W4A16 };
const char* format_name(SpeedFormat f);                            // "fp32", "fp16", "int8", "w4", "w4a16"
std::optional<SpeedFormat> parse_speed_format(std::string_view s);  // case-insensitive; "int4"/"q4" -> W4
bool cpu_has_kernel(SpeedFormat f);                                 // F32, Int8, W4

struct SpeedRequest {
    std::int64_t rows = 4096;              // out features (W has rows x cols)
    std::int64_t cols = 4096;              // in features
    std::vector<std::int64_t> batches = {1, 512};
    // run_speed() times those with a CPU kernel and leaves the others (F16, W4A16) to the GPU
    std::vector<SpeedFormat> formats = {SpeedFormat::F32, SpeedFormat::Int8, SpeedFormat::W4};
    int warmup = 2;                        // untimed products before the timed ones
    int repeats = 10;                      // timed products (median and spread over these)
    double rotate_bytes = kBytesPerGiB;    // decode: weight copies totalling at least this many bytes
    int w4_group = 128;
    Isa isa = Isa::Auto;
    std::uint64_t seed = 1;
};

struct SpeedMeasurement {
    SpeedFormat format = SpeedFormat::F32;
    bool on_gpu = false;                   // measured on the CUDA device (gpu/gpu_speed.h), not this CPU
    std::string device;                    // "CPU: <model name>" or "CUDA: <device name>"
    std::string path;                      // what ran: ISA path ("avx2", "avx512vnni", "scalar", "eigen") or the CUDA kernel
    std::int64_t batch = 1;
    std::int64_t rows = 0, cols = 0;
    double weight_bytes = 0;               // bytes of weights one product reads (codes + scales)
    int copies = 1;                        // weight copies rotated over
    double median_ms = 0, min_ms = 0, max_ms = 0;
    double q25_ms = 0, q75_ms = 0;         // spread: quartiles of the timed repetitions
    double floor_ms = 0;                   // median plain read of weight_bytes, same copies, same run, same device
    double gbps = 0;                       // weight_bytes / median, GB/s (10^9 bytes/s)
    double floor_gbps = 0;                 // weight_bytes / floor_ms
    double gflops = 0;                     // 2 x batch x rows x cols / median, GFLOP/s (GOP/s for integer)
    double intensity = 0;                  // operations per byte moved (see the file comment)
    double ratio_to_floor() const { return floor_ms > 0 ? median_ms / floor_ms : 0; }
};

// The GPU part of a report. core measures the CPU only; gpu/gpu_speed.h fills this and appends the GPU
// rows (SpeedMeasurement::on_gpu) to SpeedReport::items.
struct GpuSpeedSummary {
    std::string device;                    // "CUDA: <device name>" when GPU rows were measured, else empty
    std::string none_reason;               // why no GPU was measured (no device, no CUDA build); else empty
    std::string failures;                  // the GPU measurements that failed, one a line; else empty
    double read_gbps = 0;                  // best plain read (floor) of the GPU rows: the measured bandwidth roof, GB/s
    double peak_gbps = 0;                  // the device's theoretical memory bandwidth, GB/s
    double roof_gflops = 0;                // highest throughput any GPU product reached in the run, GFLOP/s (GOP/s):
                                           // the compute roof as measured, a lower bound of the device's peak
    bool present() const { return !device.empty(); }
};

struct SpeedReport {
    std::int64_t rows = 0, cols = 0;
    std::string device;                    // "CPU: <model name>"
    std::string isa;                       // best path of this CPU
    int threads = 1;
    double read_gbps = 0;                  // measured memory read bandwidth: best floor of the run, GB/s
    double roof_f32_gflops = 0;            // measured FP32 FMA peak (registers only), GFLOP/s
    double roof_int8_gops = 0;             // measured int8 dot-product peak (registers only), GOP/s
    std::vector<SpeedMeasurement> items;   // the CPU rows, then the GPU rows when a device was measured
    GpuSpeedSummary gpu;
    bool cancelled = false;
};

// The memory run_speed() needs at least for a request, in bytes: the fp32 weight matrix, the input and
// output batches, and the largest format's weight copies (copies totalling rotate_bytes, at least one;
// their codes only). run_speed() refuses a request above the machine's available memory with a clear
// error (core/host_memory.h) instead of allocating it.
double speed_memory_bytes(const SpeedRequest& req);

// Times the request's formats that have a CPU kernel (the others are skipped: no CPU rows for them).
// Throws std::invalid_argument for non-positive shapes, batches or repeats, or no formats.
// progress(done, total) counts timed and untimed products and reads; returning false cancels.
SpeedReport run_speed(const SpeedRequest& req, const ProgressFn& progress = {});

// Operations per byte moved by one product y = x W^T (see the file comment):
//     2 x batch x rows x cols / (weight_bytes + 4 x batch x (rows + cols)).
double arithmetic_intensity(std::int64_t batch, std::int64_t rows, std::int64_t cols, double weight_bytes);

// Plain read of n bytes with every thread, the floor of a weight pass: the wrapping sum of the
// little-endian 64-bit words of the first n / 8 * 8 bytes plus each remaining byte.
std::uint64_t read_bytes(const void* data, std::size_t n);

// Register-only peaks of this CPU for the roofline's compute roofs (about 50 ms each), at the vector
// width the kernels use: 512-bit FMA and dpbusd where AVX-512 (VNNI) is present, else 256-bit.
double measure_f32_peak_gflops();
double measure_int8_peak_gops();

// --- Decode tokens/s model --------------------------------------------------------------------

struct DecodeDevice {
    std::string name;
    double bandwidth_gbps = 0;             // GB/s; catalog peak for GPUs, measured read for this CPU
    bool measured = false;                 // true for this CPU (from SpeedReport::read_gbps)
    std::vector<double> tokens_per_s;      // per format of DecodeEstimate::formats
};

// The seed's claimed figures (seed 004): a 7B model decodes at FP16 35, INT8 58, INT4 87 tokens/s.
struct DecodeReference {
    std::string format;
    double tokens_per_s;
};
std::vector<DecodeReference> seed_decode_reference();

struct DecodeEstimate {
    double params = 0;
    std::vector<MemoryFormat> formats;     // bits per weight decide bytes per token
    std::vector<double> bytes_per_token;   // per format: weights + KV-cache read
    double kv_bytes_per_token = 0;         // the whole KV cache at the chosen context, read once per token
    std::vector<DecodeDevice> devices;     // each catalog GPU with a bandwidth, then this CPU
    std::vector<DecodeReference> reference;
};

// tokens/s = bandwidth / (params x bits / 8 + KV cache bytes); model may be null (no KV term).
// cpu_read_gbps <= 0 leaves this CPU out.
DecodeEstimate decode_estimate(double params, const std::vector<MemoryFormat>& formats, const ModelPreset* model,
                               const KvCacheOptions& kv, double cpu_read_gbps, const std::string& cpu_label = "This CPU");

} // namespace ql::speed
