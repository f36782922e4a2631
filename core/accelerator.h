// An optional accelerator for the analysis' fused pass (the CUDA backend in gpu/ provides one).
// core never includes gpu/: the app creates the accelerator and hands it to analyze() through
// AnalysisOptions. When it declines a configuration, or fails, the CPU path runs instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis_kernels.h"
#include "core/quantizer.h"
#include "core/tensor.h"

namespace ql {

// What the fused pass must produce for one configuration.
struct FusedPassSpec {
    kernels::BinGrid weights;            // bins of the dequantized-value histogram
    kernels::BinGrid errors;             // bins of the error histogram (dq - x)
    std::int64_t channel_len = 1;        // values per output channel (channel = i / channel_len)
    std::int64_t channels = 1;
};

struct FusedPassResult {
    kernels::ErrorSums sums;              // over finite x
    std::vector<double> channel_sse;      // sum of squared error per output channel
    std::vector<std::uint64_t> dq_counts; // histogram of dq (spec.bins), finite x only
    std::vector<std::uint64_t> error_counts;
    std::vector<std::uint64_t> code_counts; // 256 entries: code + 128
    std::uint64_t clipped = 0;
    std::uint64_t dq_outside = 0;         // finite values whose dq fell outside the weight grid
    std::uint64_t error_outside = 0;      // finite values whose error fell outside the error grid
};

class Accelerator {
public:
    virtual ~Accelerator() = default;
    virtual std::string name() const = 0;   // shown as the report's backend, e.g. the device name
    // Runs the pass for quantizer q, already prepared on t. Returns false when it cannot (the CPU runs it).
    virtual bool fused_pass(const Tensor& t, const Quantizer& q, const FusedPassSpec& spec, FusedPassResult& out) = 0;
};

} // namespace ql
