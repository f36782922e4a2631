// Memory of a model per format, in GB (10^9 bytes) and GiB (2^30 bytes), with an optional KV-cache
// term, and whether it fits the GPUs of the catalog (resources/gpus.json).
//
//   weights  = params x bits_per_weight / 8                       (7B at FP16: 14.0 GB = 13.04 GiB)
//   KV cache = 2 x layers x kv_heads x head_dim x context x batch x bytes per element
//   total    = (weights + KV cache) x (1 + overhead_fraction) + overhead_bytes
//   fits     = total <= GPU memory x usable_fraction x (1 - headroom)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ql {

constexpr double kBytesPerGB = 1e9;
constexpr double kBytesPerGiB = 1073741824.0;

struct GpuSpec {
    std::string name;
    std::string vendor;
    double memory_bytes = 0;     // the card's memory (GiB in the catalog, stored here in bytes)
    double bandwidth_gbps = 0;   // peak memory bandwidth, GB/s (10^9 bytes/s)
    double fp16_tflops = 0;      // dense FP16 tensor throughput, approximate (0 when unknown)
    bool unified = false;        // memory shared with the CPU (Apple M-series)
    double usable_fraction = 1;  // share of memory a GPU workload may use by default
    std::string note;
    double memory_gb() const { return memory_bytes / kBytesPerGB; }
    double memory_gib() const { return memory_bytes / kBytesPerGiB; }
};

struct ModelPreset {
    std::string name;
    double params = 0;
    int layers = 0, hidden = 0, kv_heads = 0, head_dim = 0;
    std::string note;
};

// The catalogs compiled in from resources/. Throw std::runtime_error naming the file and the problem
// when a resource is malformed (a build-time mistake, caught by the tests).
const std::vector<GpuSpec>& gpu_catalog();
const std::vector<ModelPreset>& model_presets();
// Case-insensitive lookup by name; nullptr when unknown.
const GpuSpec* find_gpu(std::string_view name);
const ModelPreset* find_model(std::string_view name);
// Parses catalog JSON text (for tests and for user-supplied catalogs).
std::vector<GpuSpec> parse_gpu_catalog(std::string_view json_text, const std::string& source);
std::vector<ModelPreset> parse_model_presets(std::string_view json_text, const std::string& source);

// A named storage format for the memory table: plain FP32/FP16/BF16/INT8/INT4 or any true bits/weight.
struct MemoryFormat {
    std::string name;
    double bits_per_weight = 0;
};
std::vector<MemoryFormat> standard_memory_formats();  // FP32 32, FP16 16, BF16 16, INT8 8, INT4 4

struct KvCacheOptions {
    double context = 0;           // tokens; 0 = no KV-cache term
    int batch = 1;
    double bytes_per_element = 2; // FP16 cache
};

struct MemoryEstimate {
    double weight_bytes = 0;
    double kv_bytes = 0;
    double overhead_bytes = 0;
    double total_bytes = 0;
    double total_gb() const { return total_bytes / kBytesPerGB; }
    double total_gib() const { return total_bytes / kBytesPerGiB; }
};

double weight_bytes(double params, double bits_per_weight);
double kv_cache_bytes(const ModelPreset& model, const KvCacheOptions& kv);
MemoryEstimate estimate_memory(double params, double bits_per_weight, const ModelPreset* model,
                               const KvCacheOptions& kv, double overhead_fraction = 0.0,
                               double overhead_bytes = 0.0);

struct GpuFit {
    double need_bytes = 0;
    double capacity_bytes = 0;    // memory x usable_fraction x (1 - headroom)
    bool fits = false;
    double used_fraction = 0;     // need / (memory x usable_fraction)
    double free_bytes = 0;        // capacity - need (negative when it does not fit)
};
GpuFit fit_on_gpu(const MemoryEstimate& m, const GpuSpec& gpu, double headroom_fraction = 0.1);

// Everything the GPU-fit chart draws: a model of `params` parameters in each format (true bits per
// weight) against each chosen GPU.
struct GpuFitReport {
    double params = 0;
    double headroom = 0.1;
    std::vector<MemoryFormat> formats;
    std::vector<GpuSpec> gpus;
    std::vector<MemoryEstimate> estimates;     // one per format
    std::vector<std::vector<GpuFit>> fits;     // [format][gpu]
    std::vector<std::string> unknown_gpus;     // names asked for that the catalog does not have
};
GpuFitReport gpu_fit_report(double params, const std::vector<MemoryFormat>& formats,
                            const std::vector<std::string>& gpu_names, const ModelPreset* model,
                            const KvCacheOptions& kv, double headroom_fraction);

} // namespace ql
