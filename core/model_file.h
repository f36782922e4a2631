// A weights file opened for browsing: the list of tensors (name, shape, dtype, bytes) and metadata,
// with each tensor read only when asked for. open_model_file() picks the format by content (magic
// bytes), then by extension. Files are memory-mapped: opening reads headers only, load() reads one
// tensor. Formats: .npy, .npz, .safetensors (+ model.safetensors.index.json shards), GGUF v2/v3,
// ONNX (+ external data), TensorFlow.js (model.json / *weights_manifest.json + .bin shards).
// PyTorch pickles (.pt/.pth/.bin/.ckpt) are refused unread: unpickling can run arbitrary code.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/tensor.h"

namespace ql {

struct TensorInfo {
    std::string name;                 // e.g. "model.layers.0.self_attn.q_proj.weight"
    std::vector<std::int64_t> shape;  // numpy order
    DType dtype = DType::F32;         // as stored in the file
    std::uint64_t bytes = 0;          // bytes in the file
    std::uint64_t offset = 0;         // byte offset of the data in `file`
    std::string file;                 // the file holding the data (shards, external data)
    std::string encoding;             // how stored values map to real ones when not plain, for display
                                      // ("uint8 affine: min + scale * q, min -0.5, scale 0.0039"), else ""
    std::int64_t numel() const {
        std::int64_t n = 0;
        return checked_numel(shape, n) ? n : 0;
    }
};

class ModelFile {
public:
    virtual ~ModelFile() = default;
    virtual std::string format() const = 0;  // "npy", "npz", "safetensors", "gguf", "onnx", "tfjs"
    const std::string& path() const { return path_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }
    // Key/value metadata for display (GGUF KVs, safetensors __metadata__, ONNX producer ...).
    const std::vector<std::pair<std::string, std::string>>& metadata() const { return metadata_; }
    const TensorInfo* find(const std::string& name) const {
        for (const auto& t : tensors_)
            if (t.name == name) return &t;
        return nullptr;
    }
    // The tensor as float32 (dequantized when the file stores it quantized).
    virtual Result<Tensor> load(const std::string& name) const = 0;

protected:
    std::string path_;
    std::vector<TensorInfo> tensors_;
    std::vector<std::pair<std::string, std::string>> metadata_;
};

Result<std::unique_ptr<ModelFile>> open_model_file(const std::string& path);

// Total parameters and bytes of all tensors of a file (what `quantlens info` prints as totals).
struct ModelTotals {
    std::int64_t params = 0;
    std::uint64_t bytes = 0;
};
ModelTotals model_totals(const ModelFile& f);

} // namespace ql
