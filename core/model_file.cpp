// Format detection and the .npy model file.
#include "core/model_file.h"

#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "core/npy.h"

namespace ql {
namespace {

class NpyModelFile final : public ModelFile {
public:
    static Result<std::unique_ptr<ModelFile>> open(const std::string& path) {
        auto t = read_npy(path);
        if (!t) return t.error();
        auto f = std::make_unique<NpyModelFile>();
        f->path_ = path;
        TensorInfo info;
        info.name = t->name;
        info.shape = t->shape;
        info.dtype = t->source_dtype;
        info.bytes = static_cast<std::uint64_t>(t->numel()) * static_cast<std::uint64_t>(dtype_bits(t->source_dtype) / 8);
        info.file = path;
        f->tensors_.push_back(info);
        f->tensor_ = std::move(t).value();
        return std::unique_ptr<ModelFile>(std::move(f));
    }
    std::string format() const override { return "npy"; }
    Result<Tensor> load(const std::string& name) const override {
        if (name != tensor_.name) return make_error(path_, "no tensor named '" + name + "'");
        return tensor_;
    }

private:
    Tensor tensor_;
};

} // namespace

Result<std::unique_ptr<ModelFile>> open_model_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return make_error(path, std::string("cannot open: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) return make_error(path, "is a directory, not a weights file");
    if (!S_ISREG(st.st_mode)) return make_error(path, "not a regular file");
    if (st.st_size == 0) return make_error(path, 0, "file is empty");
    unsigned char magic[8] = {};
    {
        std::ifstream in(path, std::ios::binary);
        in.read(reinterpret_cast<char*>(magic), sizeof magic);
    }
    if (std::memcmp(magic, "\x93NUMPY", 6) == 0) return NpyModelFile::open(path);
    return make_error(path, 0, "unrecognised file format (supported: .npy)");
}

} // namespace ql
