// Format dispatch (make_quantizer) and whole-tensor quantization.
#include "core/quantizer.h"

#include <algorithm>
#include <stdexcept>

#include "core/format_quantizers.h"
#include "core/int_quantizer.h"

namespace ql {

StorageSize storage_of(std::uint64_t n, std::uint64_t code_bits, std::uint64_t meta_bits) {
    StorageSize s;
    s.code_bytes = (code_bits + 7) / 8;
    s.meta_bytes = (meta_bits + 7) / 8;
    s.bytes = (code_bits + meta_bits + 7) / 8;
    s.bits_per_weight = n ? static_cast<double>(code_bits + meta_bits) / static_cast<double>(n) : 0.0;
    return s;
}

std::unique_ptr<Quantizer> make_quantizer(const QuantConfig& config) {
    switch (config.format) {
    case Format::Int:
        return std::make_unique<IntQuantizer>(config);
    default:
        return make_format_quantizer(config);
    }
}

StorageSize storage_for_shape(const QuantConfig& config, const std::vector<std::int64_t>& shape) {
    const std::string why = validate(config, shape);
    if (!why.empty()) throw std::invalid_argument(why);
    return make_quantizer(config)->storage_for(shape);
}

QuantizedTensor quantize(const Tensor& t, const QuantConfig& config, const ProgressFn& progress) {
    QuantizedTensor out;
    out.config = config;
    auto q = make_quantizer(config);
    if (!q->prepare(t, progress)) return out;
    const std::int64_t n = t.numel();
    out.dequantized = Tensor(t.name, t.shape, t.source_dtype);
    out.codes.assign(static_cast<std::size_t>(n), 0);
    const std::int64_t g = std::max<std::int64_t>(q->granule(), 1);
    const std::int64_t chunk = std::max<std::int64_t>(g, (std::int64_t(1) << 16) / g * g);
    const std::int64_t nchunks = (n + chunk - 1) / chunk;
#pragma omp parallel for schedule(static)
    for (std::int64_t c = 0; c < nchunks; ++c) {
        const std::int64_t b = c * chunk, e = std::min(n, b + chunk);
        q->run(b, e, out.dequantized.data() + b, out.codes.data() + b, nullptr);
    }
    out.params = q->params();
    out.storage = q->storage();
    return out;
}

} // namespace ql
