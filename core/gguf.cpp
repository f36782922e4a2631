// GGUF (versions 2 and 3), as written by llama.cpp: header, metadata key/values, tensor infos, then the
// aligned data section. Every count, string and array length is checked against the bytes left before
// anything is read or allocated; nested arrays are refused; shapes are reported in numpy order (GGUF
// stores ne[0], the innermost dimension, first).
//
// Layout (little-endian):
//   "GGUF" | u32 version | u64 n_tensors | u64 n_kv | n_kv x (string key, u32 type, value)
//   | n_tensors x (string name, u32 n_dims, n_dims x u64 ne, u32 ggml_type, u64 offset)
//   | padding to `general.alignment` (default 32) | data; tensor data at data_start + offset.
//   string := u64 length, bytes (UTF-8, no terminator);  array := u32 element type, u64 count, elements.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <limits>
#include <set>

#include "core/byte_reader.h"
#include "core/loader_common.h"

namespace ql::detail {
namespace {

enum class GgufType : std::uint32_t {
    U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9, U64 = 10, I64 = 11, F64 = 12,
};
constexpr std::uint32_t kTypeCount = 13;
const char* const kTypeNames[kTypeCount] = {"UINT8", "INT8", "UINT16", "INT16", "UINT32", "INT32", "FLOAT32",
                                            "BOOL", "STRING", "ARRAY", "UINT64", "INT64", "FLOAT64"};
constexpr std::size_t kTypeSize[kTypeCount] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};

// ggml_type ids -> (name, values per block, bytes per block, QuantLens dtype); from ggml.h / ggml-common.h.
struct GgmlType {
    const char* name;
    int block;        // values per block (1 for plain types)
    int bytes;        // bytes per block
    DType dtype;      // Unknown: listed, not decoded
};
GgmlType ggml_type(std::uint32_t id, bool& known) {
    known = true;
    switch (id) {
    case 0: return {"F32", 1, 4, DType::F32};
    case 1: return {"F16", 1, 2, DType::F16};
    case 2: return {"Q4_0", 32, 18, DType::GGML_Q4_0};
    case 3: return {"Q4_1", 32, 20, DType::GGML_Q4_1};
    case 6: return {"Q5_0", 32, 22, DType::GGML_Q5_0};
    case 7: return {"Q5_1", 32, 24, DType::GGML_Q5_1};
    case 8: return {"Q8_0", 32, 34, DType::GGML_Q8_0};
    case 9: return {"Q8_1", 32, 36, DType::GGML_Q8_1};
    case 10: return {"Q2_K", 256, 84, DType::GGML_Q2_K};
    case 11: return {"Q3_K", 256, 110, DType::GGML_Q3_K};
    case 12: return {"Q4_K", 256, 144, DType::GGML_Q4_K};
    case 13: return {"Q5_K", 256, 176, DType::GGML_Q5_K};
    case 14: return {"Q6_K", 256, 210, DType::GGML_Q6_K};
    case 15: return {"Q8_K", 256, 292, DType::GGML_Q8_K};
    case 16: return {"IQ2_XXS", 256, 66, DType::GGML_IQ2_XXS};
    case 17: return {"IQ2_XS", 256, 74, DType::GGML_IQ2_XS};
    case 18: return {"IQ3_XXS", 256, 98, DType::GGML_IQ3_XXS};
    case 19: return {"IQ1_S", 256, 50, DType::GGML_IQ1_S};
    case 20: return {"IQ4_NL", 32, 18, DType::GGML_IQ4_NL};
    case 21: return {"IQ3_S", 256, 110, DType::GGML_IQ3_S};
    case 22: return {"IQ2_S", 256, 82, DType::GGML_IQ2_S};
    case 23: return {"IQ4_XS", 256, 136, DType::GGML_IQ4_XS};
    case 24: return {"I8", 1, 1, DType::I8};
    case 25: return {"I16", 1, 2, DType::I16};
    case 26: return {"I32", 1, 4, DType::I32};
    case 27: return {"I64", 1, 8, DType::I64};
    case 28: return {"F64", 1, 8, DType::F64};
    case 29: return {"IQ1_M", 256, 56, DType::GGML_IQ1_M};
    case 30: return {"BF16", 1, 2, DType::BF16};
    case 34: return {"TQ1_0", 256, 54, DType::GGML_TQ1_0};
    case 35: return {"TQ2_0", 256, 66, DType::GGML_TQ2_0};
    case 39: return {"MXFP4", 32, 17, DType::GGML_MXFP4};
    case 40: return {"NVFP4", 64, 36, DType::GGML_NVFP4};
    default: known = false; return {"?", 1, 1, DType::Unknown};
    }
}

constexpr std::uint32_t kMaxDims = 4;  // GGML_MAX_DIMS
constexpr std::size_t kShownArrayItems = 8;

class GgufParser {
public:
    explicit GgufParser(std::shared_ptr<const MappedFile> f) : f_(std::move(f)), r_(f_->data(), f_->size(), f_->path()) {}

    Result<std::unique_ptr<ModelFile>> parse() {
        const std::string& file = f_->path();
        std::string_view magic;
        if (auto e = r_.bytes(4, magic, "magic")) return *e;
        if (magic != "GGUF") return make_error(file, 0, "not a GGUF file: magic bytes 'GGUF' missing");
        std::uint32_t version = 0;
        if (auto e = r_.read(version, "version")) return *e;
        if (version == 1) return make_error(file, 4, "GGUF version 1 is not supported (32-bit counts); re-convert with a current llama.cpp");
        if (version != 2 && version != 3) {
            if ((version & 0xFFFF) == 0 && (version >> 16) != 0)
                return make_error(file, 4, "big-endian GGUF files are not supported (version field reads " + std::to_string(version) + ")");
            return make_error(file, 4, "unsupported GGUF version " + std::to_string(version) + " (2 and 3 are supported)");
        }
        std::uint64_t n_tensors = 0, n_kv = 0;
        if (auto e = r_.read(n_tensors, "tensor count")) return *e;
        if (auto e = r_.read(n_kv, "metadata key/value count")) return *e;
        // Every tensor info takes at least 24 bytes and every key/value at least 13: a count the file
        // cannot hold is refused before anything is read.
        if (n_kv > r_.remaining() / 13)
            return make_error(file, 16, "metadata count " + std::to_string(n_kv) + " cannot fit in the " + std::to_string(r_.remaining()) + " bytes left");
        if (n_tensors > r_.remaining() / 24)
            return make_error(file, 8, "tensor count " + std::to_string(n_tensors) + " cannot fit in the " + std::to_string(r_.remaining()) + " bytes left");

        mf_ = std::make_unique<MappedModelFile>("gguf", file);
        mf_->add_metadata("gguf.version", std::to_string(version));
        std::set<std::string> keys;
        std::uint64_t alignment = 32;
        for (std::uint64_t i = 0; i < n_kv; ++i) {
            const std::uint64_t key_at = r_.pos();
            std::string key;
            if (auto e = string(key, "metadata key")) return *e;
            if (!keys.insert(key).second) return make_error(file, key_at, "duplicate metadata key '" + printable(key) + "'");
            const std::uint64_t type_at = r_.pos();
            std::uint32_t type = 0;
            if (auto e = r_.read(type, "metadata value type")) return *e;
            if (type >= kTypeCount) return make_error(file, type_at, "metadata '" + printable(key) + "' has unknown value type " + std::to_string(type));
            std::string shown;
            std::uint64_t scalar = 0;
            if (auto e = value(static_cast<GgufType>(type), key, shown, scalar)) return *e;
            if (key == "general.alignment") {
                if (type != static_cast<std::uint32_t>(GgufType::U32))
                    return make_error(file, type_at, "general.alignment must be a UINT32, found " + std::string(kTypeNames[type]));
                if (scalar == 0 || (scalar & (scalar - 1)) != 0)
                    return make_error(file, type_at + 4, "general.alignment " + std::to_string(scalar) + " is not a power of two");
                alignment = scalar;
            }
            mf_->add_metadata(key, shown);
        }

        struct Pending {
            TensorInfo info;
            std::uint64_t rel_offset;
            std::uint64_t info_at;
        };
        std::vector<Pending> pending;
        std::set<std::string> names;
        for (std::uint64_t i = 0; i < n_tensors; ++i) {
            Pending p;
            p.info_at = r_.pos();
            TensorInfo& ti = p.info;
            ti.file = file;
            if (auto e = string(ti.name, "tensor name")) return *e;
            if (!names.insert(ti.name).second) return make_error(file, p.info_at, "duplicate tensor name '" + printable(ti.name) + "'");
            const std::string q = "'" + printable(ti.name) + "'";
            const std::uint64_t dims_at = r_.pos();
            std::uint32_t n_dims = 0;
            if (auto e = r_.read(n_dims, "tensor dimension count")) return *e;
            if (n_dims > kMaxDims) return make_error(file, dims_at, "tensor " + q + " has " + std::to_string(n_dims) + " dimensions (at most 4)");
            std::vector<std::int64_t> ne(n_dims);
            for (std::uint32_t d = 0; d < n_dims; ++d) {
                const std::uint64_t at = r_.pos();
                std::uint64_t v = 0;
                if (auto e = r_.read(v, "tensor dimension")) return *e;
                if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return make_error(file, at, "dimension ne[" + std::to_string(d) + "] = " + std::to_string(v) + " of " + q + " is negative as int64");
                ne[d] = static_cast<std::int64_t>(v);
            }
            ti.shape.assign(ne.rbegin(), ne.rend());  // numpy order: ne[0] (contiguous) last
            const std::uint64_t type_at = r_.pos();
            std::uint32_t type_id = 0;
            if (auto e = r_.read(type_id, "tensor type")) return *e;
            bool known = false;
            const GgmlType gt = ggml_type(type_id, known);
            if (!known) return make_error(file, type_at, "tensor " + q + " has unknown ggml type " + std::to_string(type_id));
            ti.dtype = gt.dtype;
            if (gt.dtype == DType::Unknown) ti.encoding = gt.name;
            else if (gt.block > 1) ti.encoding = std::string("ggml ") + gt.name + " blocks of " + std::to_string(gt.block);
            const std::uint64_t off_at = r_.pos();
            if (auto e = r_.read(p.rel_offset, "tensor data offset")) return *e;
            std::int64_t numel = 0;
            if (!checked_numel(ti.shape, numel)) return make_error(file, dims_at, "shape " + shape_text(ti.shape) + " of " + q + " overflows 64 bits");
            if (n_dims > 0 && ne[0] % gt.block != 0)
                return make_error(file, dims_at, "ne[0] = " + std::to_string(ne[0]) + " of " + q + " is not a multiple of the " + gt.name +
                                                     " block size " + std::to_string(gt.block));
            if (n_dims == 0 && gt.block != 1) return make_error(file, dims_at, "scalar tensor " + q + " cannot use block type " + gt.name);
            const std::uint64_t blocks = static_cast<std::uint64_t>(numel) / static_cast<std::uint64_t>(gt.block);
            if (blocks > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(gt.bytes))
                return make_error(file, dims_at, "byte size of " + q + " overflows 64 bits");
            ti.bytes = blocks * static_cast<std::uint64_t>(gt.bytes);
            if (p.rel_offset % alignment != 0)
                return make_error(file, off_at, "data offset " + std::to_string(p.rel_offset) + " of " + q + " is not a multiple of the alignment " +
                                                    std::to_string(alignment));
            pending.push_back(std::move(p));
        }
        const std::uint64_t infos_end = r_.pos();
        const std::uint64_t data_start = (infos_end + alignment - 1) / alignment * alignment;  // infos_end <= size, alignment <= 2^31
        if (data_start > f_->size() && !pending.empty())
            return make_error(file, infos_end, "data section would start at " + std::to_string(data_start) + ", past the end of the file (" +
                                                   std::to_string(f_->size()) + " bytes)");
        const std::uint64_t data_size = data_start <= f_->size() ? f_->size() - data_start : 0;
        mf_->add_metadata("gguf.alignment", std::to_string(alignment));
        mf_->add_metadata("gguf.data_offset", std::to_string(data_start));

        // Data ranges inside the file and not overlapping (checked in offset order).
        std::vector<std::size_t> order(pending.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pending[a].rel_offset < pending[b].rel_offset; });
        std::uint64_t prev_end = 0;
        const Pending* prev = nullptr;  // the last tensor with data, in offset order
        for (std::size_t k : order) {
            const Pending& p = pending[k];
            const std::string q = "'" + printable(p.info.name) + "'";
            if (p.rel_offset > data_size || p.info.bytes > data_size - p.rel_offset)
                return make_error(file, p.info_at, "data of " + q + " [" + std::to_string(p.rel_offset) + ", +" + std::to_string(p.info.bytes) +
                                                       ") runs past the end of the data section (" + std::to_string(data_size) + " bytes)");
            if (p.info.bytes == 0) continue;
            if (prev && p.rel_offset < prev_end)
                return make_error(file, p.info_at, "data of " + q + " at offset " + std::to_string(p.rel_offset) + " overlaps '" +
                                                       printable(prev->info.name) + "' which ends at " + std::to_string(prev_end));
            prev_end = p.rel_offset + p.info.bytes;
            prev = &p;
        }
        for (Pending& p : pending) {
            p.info.offset = data_start + p.rel_offset;
            StoredTensor st{f_, p.info.offset, p.info.bytes, false};
            mf_->add(std::move(p.info), std::move(st));
        }
        return std::unique_ptr<ModelFile>(std::move(mf_));
    }

private:
    std::optional<Error> string(std::string& out, std::string_view what) {
        const std::uint64_t at = r_.pos();
        std::uint64_t len = 0;
        if (auto e = r_.read(len, std::string(what) + " length")) return e;
        if (len > r_.remaining())
            return make_error(r_.file(), at, std::string(what) + " length " + std::to_string(len) + " runs past the end of the file (" +
                                                 std::to_string(r_.remaining()) + " bytes left)");
        std::string_view sv;
        r_.bytes(len, sv, what);
        out.assign(sv);
        return std::nullopt;
    }

    // Reads one value; `shown` gets a display form, `scalar` the value of an unsigned integer.
    std::optional<Error> value(GgufType type, const std::string& key, std::string& shown, std::uint64_t& scalar) {
        const std::uint64_t at = r_.pos();
        if (type == GgufType::String) {
            std::string s;
            if (auto e = string(s, "string value of '" + printable(key) + "'")) return e;
            shown = printable(s, 200);
            return std::nullopt;
        }
        if (type == GgufType::Array) {
            std::uint32_t et = 0;
            std::uint64_t count = 0;
            if (auto e = r_.read(et, "array element type")) return e;
            if (et >= kTypeCount) return make_error(r_.file(), at, "array '" + printable(key) + "' has unknown element type " + std::to_string(et));
            if (et == static_cast<std::uint32_t>(GgufType::Array))
                return make_error(r_.file(), at, "array '" + printable(key) + "' holds arrays: nested arrays are not supported");
            if (auto e = r_.read(count, "array length")) return e;
            const std::size_t es = kTypeSize[et];
            const std::uint64_t min_each = es ? es : 8;  // a string takes at least its 8-byte length
            if (count > r_.remaining() / min_each)
                return make_error(r_.file(), at + 4, "array '" + printable(key) + "' of " + std::to_string(count) + " " + kTypeNames[et] +
                                                         " runs past the end of the file (" + std::to_string(r_.remaining()) + " bytes left)");
            shown = "[" + std::to_string(count) + " x " + kTypeNames[et] + "]";
            const std::uint64_t shown_items = std::min<std::uint64_t>(count, kShownArrayItems);
            for (std::uint64_t i = 0; i < shown_items; ++i) {
                std::string item;
                std::uint64_t dummy = 0;
                if (auto e = value(static_cast<GgufType>(et), key, item, dummy)) return e;
                shown += (i ? ", " : " ") + item;
            }
            if (count > shown_items) shown += ", ...";
            if (es) return r_.skip((count - shown_items) * es, "array elements");  // count * es <= remaining, checked above
            for (std::uint64_t i = shown_items; i < count; ++i) {  // strings: walk the lengths
                const std::uint64_t s_at = r_.pos();
                std::uint64_t len = 0;
                if (auto e = r_.read(len, "string length in array '" + printable(key) + "'")) return e;
                if (len > r_.remaining())
                    return make_error(r_.file(), s_at, "string " + std::to_string(i) + " of array '" + printable(key) + "' has length " +
                                                           std::to_string(len) + ", past the end of the file (" + std::to_string(r_.remaining()) + " bytes left)");
                r_.skip(len, "string");
            }
            return std::nullopt;
        }
        char buf[64];
        switch (type) {
        case GgufType::U8: { std::uint8_t v = 0; if (auto e = r_.read(v, "UINT8 value")) return e; scalar = v; shown = std::to_string(v); break; }
        case GgufType::I8: { std::int8_t v = 0; if (auto e = r_.read(v, "INT8 value")) return e; shown = std::to_string(v); break; }
        case GgufType::U16: { std::uint16_t v = 0; if (auto e = r_.read(v, "UINT16 value")) return e; scalar = v; shown = std::to_string(v); break; }
        case GgufType::I16: { std::int16_t v = 0; if (auto e = r_.read(v, "INT16 value")) return e; shown = std::to_string(v); break; }
        case GgufType::U32: { std::uint32_t v = 0; if (auto e = r_.read(v, "UINT32 value")) return e; scalar = v; shown = std::to_string(v); break; }
        case GgufType::I32: { std::int32_t v = 0; if (auto e = r_.read(v, "INT32 value")) return e; shown = std::to_string(v); break; }
        case GgufType::U64: { std::uint64_t v = 0; if (auto e = r_.read(v, "UINT64 value")) return e; scalar = v; shown = std::to_string(v); break; }
        case GgufType::I64: { std::int64_t v = 0; if (auto e = r_.read(v, "INT64 value")) return e; shown = std::to_string(v); break; }
        case GgufType::F32: { float v = 0; if (auto e = r_.read(v, "FLOAT32 value")) return e; std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v)); shown = buf; break; }
        case GgufType::F64: { double v = 0; if (auto e = r_.read(v, "FLOAT64 value")) return e; std::snprintf(buf, sizeof buf, "%.17g", v); shown = buf; break; }
        case GgufType::Bool: {
            std::uint8_t v = 0;
            if (auto e = r_.read(v, "BOOL value")) return e;
            if (v > 1) return make_error(r_.file(), at, "BOOL value of '" + printable(key) + "' is " + std::to_string(v) + ", not 0 or 1");
            shown = v ? "true" : "false";
            break;
        }
        default: return make_error(r_.file(), at, "unknown value type");
        }
        return std::nullopt;
    }

    std::shared_ptr<const MappedFile> f_;
    ByteReader r_;
    std::unique_ptr<MappedModelFile> mf_;
};

} // namespace

Result<std::unique_ptr<ModelFile>> open_gguf(std::shared_ptr<const MappedFile> f) { return GgufParser(std::move(f)).parse(); }

} // namespace ql::detail
