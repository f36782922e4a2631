// Internal pieces shared by the model-file loaders (not part of the public API): a ModelFile whose
// tensors lie in memory-mapped files, and the checks every format repeats.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/mapped_file.h"
#include "core/model_file.h"

namespace ql::detail {

// Where one tensor's bytes are: a mapped file, an offset and a length already checked to lie inside it.
struct StoredTensor {
    std::shared_ptr<const MappedFile> file;
    std::uint64_t offset = 0;
    std::uint64_t bytes = 0;
    bool big_endian = false;
};

// A ModelFile whose tensors are plain element arrays or ggml blocks inside mapped files.
class MappedModelFile : public ModelFile {
public:
    explicit MappedModelFile(std::string format, std::string path) : format_(std::move(format)) { path_ = std::move(path); }
    std::string format() const override { return format_; }
    Result<Tensor> load(const std::string& name) const override;

    // Adds a tensor; false when the name is already present (callers report the duplicate).
    bool add(TensorInfo info, StoredTensor where);
    void add_metadata(std::string key, std::string value) { metadata_.emplace_back(std::move(key), std::move(value)); }
    const TensorInfo* info(const std::string& name) const;
    const StoredTensor* stored(const std::string& name) const;

protected:
    std::string format_;
    std::vector<StoredTensor> stored_;
    std::unordered_map<std::string, std::size_t> index_;
};

// Decodes `count` elements of `dtype` (plain element types and the ggml block types) from bytes that
// were already checked to be exactly the tensor's size. Errors name `file`, the offset and the rule.
Result<Tensor> decode_tensor(const TensorInfo& info, const std::uint8_t* bytes, bool big_endian);

// Bytes a tensor of `numel` elements of `dtype` occupies; false when the dtype has no fixed size or
// the product overflows 64 bits.
bool tensor_bytes(DType dtype, std::int64_t numel, std::uint64_t& out);

// "[4096, 4096]"
std::string shape_text(const std::vector<std::int64_t>& shape);

// Resolves a file name found inside a model file (shard, external data) against the directory of the
// model file. Refuses absolute paths and ".." components so a file cannot point outside its folder.
Result<std::string> resolve_sibling(const std::string& model_path, const std::string& name, std::uint64_t offset,
                                    const std::string& what);

// The loaders, each reading an already-mapped file (the fuzz targets call these on bytes in memory).
Result<std::unique_ptr<ModelFile>> open_npy(std::shared_ptr<const MappedFile> f);
Result<std::unique_ptr<ModelFile>> open_npz(std::shared_ptr<const MappedFile> f);
Result<std::unique_ptr<ModelFile>> open_safetensors(std::shared_ptr<const MappedFile> f);
Result<std::unique_ptr<ModelFile>> open_safetensors_index(std::shared_ptr<const MappedFile> f);
Result<std::unique_ptr<ModelFile>> open_gguf(std::shared_ptr<const MappedFile> f);
Result<std::unique_ptr<ModelFile>> open_onnx(std::shared_ptr<const MappedFile> f);
// TF.js: the manifest (model.json or *weights_manifest.json); shards are found next to it, unless
// `shards` supplies them by name (fuzzing).
Result<std::unique_ptr<ModelFile>> open_tfjs(std::shared_ptr<const MappedFile> f,
                                             const std::unordered_map<std::string, std::shared_ptr<const MappedFile>>* shards = nullptr);

// The message for PyTorch pickles, which are never opened.
Error pickle_refusal(const std::string& path, const std::string& why);

} // namespace ql::detail
