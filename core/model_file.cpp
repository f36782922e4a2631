// Format detection, the tensor store shared by the loaders, and the .npy model file.
#include "core/model_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>

#include "core/byte_reader.h"
#include "core/element_convert.h"
#include "core/ggml_blocks.h"
#include "core/loader_common.h"
#include "core/npy.h"

namespace ql {
namespace detail {

bool MappedModelFile::add(TensorInfo info, StoredTensor where) {
    if (index_.count(info.name)) return false;
    index_.emplace(info.name, tensors_.size());
    tensors_.push_back(std::move(info));
    stored_.push_back(std::move(where));
    return true;
}

const TensorInfo* MappedModelFile::info(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

const StoredTensor* MappedModelFile::stored(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &stored_[it->second];
}

Result<Tensor> MappedModelFile::load(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) return make_error(path_, "no tensor named '" + printable(name, 200) + "' in this file");
    const TensorInfo& ti = tensors_[it->second];
    const StoredTensor& st = stored_[it->second];
    if (!st.file || !st.file->contains(st.offset, st.bytes))  // checked at open; kept as a guard
        return make_error(ti.file, st.offset, "data of '" + ti.name + "' lies outside the file");
    return decode_tensor(ti, st.file->data() + st.offset, st.big_endian);
}

bool tensor_bytes(DType dtype, std::int64_t numel, std::uint64_t& out) {
    if (numel < 0) return false;
    const auto n = static_cast<std::uint64_t>(numel);
    if (const std::size_t eb = element_bytes(dtype); eb > 0) {
        if (n > std::numeric_limits<std::uint64_t>::max() / eb) return false;
        out = n * eb;
        return true;
    }
    if (auto b = ggml::bytes_for(dtype, numel)) {
        out = *b;
        return true;
    }
    return false;
}

Result<Tensor> decode_tensor(const TensorInfo& info, const std::uint8_t* bytes, bool big_endian) {
    std::int64_t numel = 0;
    if (!checked_numel(info.shape, numel)) return make_error(info.file, info.offset, "shape of '" + info.name + "' overflows 64 bits");
    const std::string type = info.dtype == DType::Unknown && !info.encoding.empty() ? info.encoding : std::string(dtype_name(info.dtype));
    Tensor t;
    t.name = info.name;
    t.source_dtype = info.dtype;
    if (element_bytes(info.dtype) > 0) {
        if (static_cast<std::uint64_t>(numel) * element_bytes(info.dtype) != info.bytes)
            return make_error(info.file, info.offset, "'" + info.name + "' holds " + std::to_string(info.bytes) + " bytes, its shape needs " +
                                                          std::to_string(static_cast<std::uint64_t>(numel) * element_bytes(info.dtype)));
        t.values.resize(static_cast<std::size_t>(numel));
        convert_to_float(info.dtype, bytes, static_cast<std::size_t>(numel), t.values.data(), big_endian);
    } else if (auto layout = ggml::block_layout(info.dtype)) {
        const auto need = ggml::bytes_for(info.dtype, numel);
        if (!need || *need != info.bytes)
            return make_error(info.file, info.offset, "'" + info.name + "' holds " + std::to_string(info.bytes) + " bytes, " + type +
                                                          " blocks for its shape need " + (need ? std::to_string(*need) : std::string("more than 2^64")));
        t.values.resize(static_cast<std::size_t>(numel));
        // Whole blocks are independent: decode chunks of blocks in parallel.
        const std::int64_t values_per_block = layout->values;
        const std::int64_t blocks = (numel + values_per_block - 1) / values_per_block;
        constexpr std::int64_t kBlocksPerChunk = 4096;
        const std::int64_t chunks = (blocks + kBlocksPerChunk - 1) / kBlocksPerChunk;
        std::string failure;
#pragma omp parallel for schedule(dynamic, 1) if (chunks > 1)
        for (std::int64_t c = 0; c < chunks; ++c) {
            const std::int64_t b0 = c * kBlocksPerChunk, b1 = std::min(blocks, b0 + kBlocksPerChunk);
            const std::int64_t v0 = b0 * values_per_block, v1 = std::min(numel, b1 * values_per_block);
            const std::span<const std::uint8_t> in(bytes + b0 * layout->bytes, static_cast<std::size_t>((b1 - b0) * layout->bytes));
            const std::span<float> out(t.values.data() + v0, static_cast<std::size_t>(v1 - v0));
            auto s = ggml::dequantize(info.dtype, in, v1 - v0, out, info.name);
            if (!s) {
#pragma omp critical
                failure = s.error().message();
            }
        }
        if (!failure.empty()) return make_error(info.file, info.offset, failure);
    } else {
        return make_error(info.file, info.offset, "'" + info.name + "': dequantization of " + type + " is not supported by QuantLens");
    }
    t.shape = fold_shape(info.shape);
    return t;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t k = 0; k < shape.size(); ++k) s += (k ? ", " : "") + std::to_string(shape[k]);
    return s + "]";
}

Result<std::string> resolve_sibling(const std::string& model_path, const std::string& name, std::uint64_t offset,
                                    const std::string& what) {
    namespace fs = std::filesystem;
    if (name.empty()) return make_error(model_path, offset, what + " has an empty file name");
    if (name.find('\0') != std::string::npos) return make_error(model_path, offset, what + " file name contains a NUL byte");
    const fs::path rel(name);
    if (rel.is_absolute()) return make_error(model_path, offset, what + " '" + printable(name) + "' is an absolute path (only files next to the model are read)");
    for (const auto& part : rel)
        if (part == "..") return make_error(model_path, offset, what + " '" + printable(name) + "' points outside the model's folder ('..')");
    return (fs::path(model_path).parent_path() / rel).string();
}

Error pickle_refusal(const std::string& path, const std::string& why) {
    return make_error(path, 0, why + ": a PyTorch pickle checkpoint. QuantLens does not open pickles, because unpickling can run "
                                     "arbitrary code hidden in the file. Convert it to safetensors in Python first, e.g. "
                                     "`from safetensors.torch import save_file; "
                                     "save_file(torch.load(\"model.pt\", weights_only=True), \"model.safetensors\")` "
                                     "(for a whole checkpoint dict, save its state_dict), then open the .safetensors file");
}

namespace {

// One .npy file as a model file: the header is checked at open, the data decoded at load.
class NpyModelFile final : public ModelFile {
public:
    NpyModelFile(std::shared_ptr<const MappedFile> f, NpyHeader h, std::string name) : f_(std::move(f)), h_(std::move(h)) {
        path_ = f_->path();
        TensorInfo info;
        info.name = std::move(name);
        info.shape = h_.shape;
        info.dtype = h_.dtype;
        info.bytes = h_.data_bytes;
        info.offset = h_.data_offset;
        info.file = path_;
        if (h_.big_endian) info.encoding = "big-endian";
        if (h_.fortran_order) info.encoding += std::string(info.encoding.empty() ? "" : ", ") + "Fortran order";
        tensors_.push_back(std::move(info));
        metadata_.emplace_back("npy.version", std::to_string(h_.major_version) + ".0");
        metadata_.emplace_back("npy.fortran_order", h_.fortran_order ? "True" : "False");
    }
    std::string format() const override { return "npy"; }
    Result<Tensor> load(const std::string& name) const override {
        if (name != tensors_[0].name) return make_error(path_, "no tensor named '" + printable(name, 200) + "' in this file");
        return decode_npy_data(h_, f_->data() + h_.data_offset, name);
    }

private:
    std::shared_ptr<const MappedFile> f_;
    NpyHeader h_;
};

std::string lower_ext(const std::string& path) {
    std::string e = std::filesystem::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

bool starts_with(const MappedFile& f, const char* magic, std::size_t n) { return f.size() >= n && std::memcmp(f.data(), magic, n) == 0; }

} // namespace

Result<std::unique_ptr<ModelFile>> open_npy(std::shared_ptr<const MappedFile> f) {
    auto h = parse_npy_header(f->data(), static_cast<std::size_t>(f->size()), f->size(), f->path());
    if (!h) return h.error();
    std::string name = std::filesystem::path(f->path()).filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".npy") == 0) name.resize(name.size() - 4);
    return std::unique_ptr<ModelFile>(new NpyModelFile(std::move(f), std::move(h).value(), name));
}

} // namespace detail

using namespace detail;

namespace {

// A directory opens the model inside it when there is exactly one obvious entry point.
Result<std::string> entry_point_in(const std::string& dir) {
    namespace fs = std::filesystem;
    for (const char* name : {"model.safetensors.index.json", "model.safetensors", "model.json", "model.gguf", "model.onnx"}) {
        std::error_code ec;
        if (fs::is_regular_file(fs::path(dir) / name, ec)) return (fs::path(dir) / name).string();
    }
    return make_error(dir, "is a directory without model.safetensors.index.json, model.safetensors, model.json, model.gguf or "
                           "model.onnx in it: open a weights file");
}

} // namespace

Result<std::unique_ptr<ModelFile>> open_model_file(const std::string& path_in) {
    std::string path = path_in;
    {
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            auto entry = entry_point_in(path);
            if (!entry) return entry.error();
            path = *entry;
        }
    }
    const std::string ext = lower_ext(path);
    if (ext == ".pt" || ext == ".pth" || ext == ".ckpt" || ext == ".pkl" || ext == ".pickle") {
        if (auto s = check_regular_file(path); !s) return s.error();
        return pickle_refusal(path, "refused unread (" + ext + " file)");
    }
    auto mf = MappedFile::open(path);
    if (!mf) return mf.error();
    std::shared_ptr<const MappedFile> f = std::move(mf).value();
    if (f->size() == 0) return make_error(path, 0, "file is empty (0 bytes): not a weights file");

    if (starts_with(*f, "\x93NUMPY", 6)) return open_npy(f);
    if (starts_with(*f, "PK\x03\x04", 4) || starts_with(*f, "PK\x05\x06", 4)) return open_npz(f);
    if (starts_with(*f, "GGUF", 4)) return open_gguf(f);
    if (f->size() >= 2 && f->data()[0] == 0x80 && f->data()[1] >= 2 && f->data()[1] <= 5)
        return pickle_refusal(path, "starts with the pickle protocol marker 0x80 0x0" + std::to_string(f->data()[1]));
    if (ext == ".safetensors" || (f->size() >= 9 && f->data()[8] == '{')) return open_safetensors(f);
    if (ext == ".gguf") return open_gguf(f);
    if (ext == ".npy") return open_npy(f);
    if (ext == ".npz") return open_npz(f);
    if (ext == ".onnx") return open_onnx(f);
    if (ext == ".json") {
        const std::string_view text(reinterpret_cast<const char*>(f->data()), static_cast<std::size_t>(std::min<std::uint64_t>(f->size(), 1u << 20)));
        if (text.find("\"weight_map\"") != std::string_view::npos) return open_safetensors_index(f);
        return open_tfjs(f);
    }
    if (ext == ".bin")
        return make_error(path, 0, "a .bin file that is neither a PyTorch checkpoint nor anything QuantLens reads on its own; if it is a "
                                   "TensorFlow.js weight shard, open the model.json (or *weights_manifest.json) next to it");
    return make_error(path, 0, "unrecognised file format (supported: .npy, .npz, .safetensors, model.safetensors.index.json, .gguf, "
                               ".onnx, TensorFlow.js model.json / weights_manifest.json)");
}

ModelTotals model_totals(const ModelFile& f) {
    ModelTotals t;
    for (const auto& ti : f.tensors()) {
        t.params += ti.numel();
        t.bytes += ti.bytes;
    }
    return t;
}

} // namespace ql
