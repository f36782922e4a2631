// Memory of a model per format, in GB (10^9 bytes) and GiB (2^30 bytes), with an optional KV-cache
// term and overhead, and whether it fits the GPUs of the catalog (resources/gpus.json).
//
//   weights  = params x bits_per_weight / 8                       (7B at FP16: 14.0 GB = 13.04 GiB)
//   KV cache = 2 x layers x kv_heads x head_dim x context x batch x bytes per element
//   total    = (weights + KV cache) x (1 + overhead_fraction) + overhead_bytes
//   fits     = total <= GPU memory x usable_fraction x (1 - headroom)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ql {

constexpr double kBytesPerGB = 1e9;
constexpr double kBytesPerGiB = 1073741824.0;

struct GpuSpec {
    std::string name;
    std::string vendor;
    double memory_bytes = 0;      // the card's memory in bytes, exact (the catalog stores the integer)
    std::string marketed_memory;  // as the maker writes it, "24 GB" (binary for GPU memory: 24 GiB)
    std::string memory_type;      // "GDDR6X", "HBM3", "LPDDR5 unified" ...
    double bandwidth_gbps = 0;    // peak memory bandwidth, GB/s (10^9 bytes/s)
    double fp16_tflops = 0;       // dense FP16 tensor throughput, FP32 accumulate, approximate (0 = unknown)
    bool unified = false;         // memory shared with the CPU (Apple M-series)
    double usable_fraction = 1;   // share of memory a GPU workload may use by default
    std::string note;             // how the marketed size maps to the chips, sources, driver-reported size
    double memory_gb() const { return memory_bytes / kBytesPerGB; }
    double memory_gib() const { return memory_bytes / kBytesPerGiB; }
    double usable_bytes() const { return memory_bytes * usable_fraction; }
};

struct ModelPreset {
    std::string name;
    double params = 0;            // parameter count
    int layers = 0, hidden = 0;   // transformer blocks; hidden size
    int heads = 0;                // attention (query) heads; 0 = not given
    int kv_heads = 0, head_dim = 0; // key/value heads (< heads: grouped-query attention) and their size
    double context = 0;           // maximum context in tokens (config's max_position_embeddings); 0 = not given
    std::string note;
};

// The catalogs compiled in from resources/. Throw std::runtime_error naming the file and the problem
// when a resource is malformed (a build-time mistake, caught by the tests).
const std::vector<GpuSpec>& gpu_catalog();
const std::vector<ModelPreset>& model_presets();
// Case-insensitive lookup by name; nullptr when unknown.
const GpuSpec* find_gpu(std::string_view name);
const ModelPreset* find_model(std::string_view name);
// Parses catalog JSON text (for tests and for user-supplied catalogs). Every rule broken throws
// std::runtime_error starting with `source` and naming the entry ("x.json: gpus[3]: missing ...").
std::vector<GpuSpec> parse_gpu_catalog(std::string_view json_text, const std::string& source);
std::vector<ModelPreset> parse_model_presets(std::string_view json_text, const std::string& source);

// A named storage format for the memory table: plain FP32/FP16/BF16/INT8/INT4 or any true bits/weight.
struct MemoryFormat {
    std::string name;
    double bits_per_weight = 0;   // codes plus every scale / zero point, per weight
    std::string note;             // where the bits come from ("4 + 16/128: fp16 scale per 128")
    MemoryFormat() = default;     // constructors so {"FP16", 16} works without naming the note
    MemoryFormat(std::string n, double bits, std::string why = {})
        : name(std::move(n)), bits_per_weight(bits), note(std::move(why)) {}
};
std::vector<MemoryFormat> standard_memory_formats();  // FP32 32, FP16 16, BF16 16, INT8 8, INT4 4
// Every named format QuantLens knows, with the true bits per weight of a large tensor (last partial
// blocks ignored): the standard five, FP8, INT4/INT3 with fp16 group scales (GPTQ/AWQ), NF4 (+ double
// quant), FP4/MXFP4/NVFP4, and the ggml blocks (bytes per block x 8 / values per block).
std::vector<MemoryFormat> named_memory_formats();
// Case-insensitive; '-' and '_' are the same ("q4_k", "Q4-K", "int4_g128"). nullopt when unknown.
std::optional<MemoryFormat> find_memory_format(std::string_view name);

// "7e9", "6.74e9", "7B", "1.5b", "350M", "70 B" -> parameters; false when not a positive number.
bool parse_param_count(std::string_view text, double& out);
// "1.5GB" (10^9), "2GiB" (2^30), "512MB", "300MiB", "1e9" or "1e9B" (bytes) -> bytes; false otherwise.
bool parse_byte_size(std::string_view text, double& out);

struct KvCacheOptions {
    double context = 0;           // tokens; 0 = no KV-cache term
    int batch = 1;                // sequences held at once
    double bytes_per_element = 2; // 2 = FP16/BF16 cache, 1 = FP8/INT8, 4 = FP32
};

struct MemoryEstimate {
    double weight_bytes = 0;
    double kv_bytes = 0;
    double overhead_bytes = 0;    // (weights + KV) x overhead_fraction + overhead_bytes
    double total_bytes = 0;
    double total_gb() const { return total_bytes / kBytesPerGB; }
    double total_gib() const { return total_bytes / kBytesPerGiB; }
};

double weight_bytes(double params, double bits_per_weight);
double kv_cache_bytes(const ModelPreset& model, const KvCacheOptions& kv);
// Throws std::invalid_argument for negative or non-finite inputs.
MemoryEstimate estimate_memory(double params, double bits_per_weight, const ModelPreset* model,
                               const KvCacheOptions& kv, double overhead_fraction = 0.0,
                               double overhead_bytes = 0.0);

struct GpuFit {
    double need_bytes = 0;
    double capacity_bytes = 0;    // memory x usable_fraction x (1 - headroom)
    bool fits = false;            // need <= capacity
    double used_fraction = 0;     // need / (memory x usable_fraction): 0.58 = 58% of the usable memory
    double free_bytes = 0;        // capacity - need (negative when it does not fit)
};
// headroom_fraction: share of the usable memory kept free (activations, fragmentation, the CUDA
// context); clamped to [0, 0.99].
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
