// ONNX models (.onnx, with optional external data files): the graph's initializers, read through the
// ONNX protobuf classes from Debian's libonnx-dev. The file is memory-mapped and walked at the wire
// level with protobuf's CodedInputStream, so that opening parses only the small fields of each
// initializer (name, dims, data type, external-data entries) with onnx::TensorProto and records where
// its raw_data lies; load() reads that one tensor. Every length is checked against the bytes that
// exist (protobuf's own checks, plus the 2 GiB protobuf limit) and every external-data location,
// offset and length against the file it names.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <onnx/onnx_pb.h>

#include <climits>
#include <functional>
#include <limits>
#include <map>
#include <set>

#include "core/byte_reader.h"
#include "core/element_convert.h"
#include "core/half.h"
#include "core/loader_common.h"

namespace ql::detail {
namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

// One field of a protobuf message: where its tag starts and, for length-delimited fields, the value.
struct Field {
    std::uint32_t number = 0;
    int wire = 0;
    std::uint64_t tag_at = 0;                 // absolute offset of the tag
    std::uint64_t end = 0;                    // absolute offset just past the field
    std::uint64_t value_at = 0, value_len = 0;  // wire type 2 only
};

// Walks the fields of the message occupying [at, at + len) of data.
std::optional<Error> walk(const std::uint8_t* data, std::uint64_t at, std::uint64_t len, const std::string& file, const char* what,
                          const std::function<std::optional<Error>(const Field&)>& fn) {
    CodedInputStream in(data + at, static_cast<int>(len));
    in.SetRecursionLimit(32);
    while (static_cast<std::uint64_t>(in.CurrentPosition()) < len) {
        Field f;
        f.tag_at = at + static_cast<std::uint64_t>(in.CurrentPosition());
        const std::uint32_t tag = in.ReadTag();
        if (tag == 0) return make_error(file, f.tag_at, std::string("invalid protobuf field tag in ") + what);
        f.number = tag >> 3;
        f.wire = static_cast<int>(tag & 7);
        if (f.number == 0) return make_error(file, f.tag_at, std::string("protobuf field number 0 in ") + what);
        if (f.wire == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
            std::uint32_t n = 0;
            if (!in.ReadVarint32(&n)) return make_error(file, f.tag_at, std::string("truncated length of field ") + std::to_string(f.number) + " in " + what);
            const std::uint64_t left = len - static_cast<std::uint64_t>(in.CurrentPosition());
            if (n > left)
                return make_error(file, f.tag_at, "field " + std::to_string(f.number) + " of " + what + " claims " + std::to_string(n) +
                                                      " bytes, only " + std::to_string(left) + " remain");
            f.value_at = at + static_cast<std::uint64_t>(in.CurrentPosition());
            f.value_len = n;
            in.Skip(static_cast<int>(n));
        } else if (!WireFormatLite::SkipField(&in, tag)) {
            return make_error(file, f.tag_at, "malformed or truncated field " + std::to_string(f.number) + " in " + what);
        }
        f.end = at + static_cast<std::uint64_t>(in.CurrentPosition());
        if (auto e = fn(f)) return e;
    }
    return std::nullopt;
}

struct OnnxType {
    const char* name;
    DType dtype;      // Unknown: listed, not decoded
    int bits;         // bits per element (0: variable, strings)
};
OnnxType onnx_type(int t, bool& known) {
    known = true;
    switch (t) {
    case onnx::TensorProto::FLOAT: return {"FLOAT", DType::F32, 32};
    case onnx::TensorProto::UINT8: return {"UINT8", DType::U8, 8};
    case onnx::TensorProto::INT8: return {"INT8", DType::I8, 8};
    case onnx::TensorProto::UINT16: return {"UINT16", DType::U16, 16};
    case onnx::TensorProto::INT16: return {"INT16", DType::I16, 16};
    case onnx::TensorProto::INT32: return {"INT32", DType::I32, 32};
    case onnx::TensorProto::INT64: return {"INT64", DType::I64, 64};
    case onnx::TensorProto::STRING: return {"STRING", DType::Unknown, 0};
    case onnx::TensorProto::BOOL: return {"BOOL", DType::Bool, 8};
    case onnx::TensorProto::FLOAT16: return {"FLOAT16", DType::F16, 16};
    case onnx::TensorProto::DOUBLE: return {"DOUBLE", DType::F64, 64};
    case onnx::TensorProto::UINT32: return {"UINT32", DType::U32, 32};
    case onnx::TensorProto::UINT64: return {"UINT64", DType::U64, 64};
    case onnx::TensorProto::COMPLEX64: return {"COMPLEX64", DType::Unknown, 64};
    case onnx::TensorProto::COMPLEX128: return {"COMPLEX128", DType::Unknown, 128};
    case onnx::TensorProto::BFLOAT16: return {"BFLOAT16", DType::BF16, 16};
    case 17: return {"FLOAT8E4M3FN", DType::F8_E4M3, 8};
    case 18: return {"FLOAT8E4M3FNUZ", DType::Unknown, 8};
    case 19: return {"FLOAT8E5M2", DType::F8_E5M2, 8};
    case 20: return {"FLOAT8E5M2FNUZ", DType::Unknown, 8};
    case 21: return {"UINT4", DType::Unknown, 4};
    case 22: return {"INT4", DType::Unknown, 4};
    case 23: return {"FLOAT4E2M1", DType::Unknown, 4};
    default: known = false; return {"?", DType::Unknown, 0};
    }
}

enum class Source { Stored, Typed, Unreadable };

class OnnxModelFile final : public MappedModelFile {
public:
    OnnxModelFile(std::shared_ptr<const MappedFile> f) : MappedModelFile("onnx", f->path()), f_(std::move(f)) {}

    struct Extra {
        Source source = Source::Stored;
        int onnx_type = 0;
        std::uint64_t msg_at = 0, msg_len = 0;  // the TensorProto message (typed data)
    };
    std::map<std::string, Extra> extra_;

    Result<Tensor> load(const std::string& name) const override {
        auto it = extra_.find(name);
        const TensorInfo* ti = info(name);
        if (it == extra_.end() || !ti) return make_error(path_, "no tensor named '" + printable(name, 200) + "' in this model");
        if (it->second.source == Source::Stored) return MappedModelFile::load(name);
        if (it->second.source == Source::Unreadable)
            return make_error(ti->file, ti->offset, "'" + ti->name + "': " + ti->encoding + " values cannot be analysed");
        return load_typed(*ti, it->second);
    }

private:
    // Values in the typed repeated fields (float_data, int32_data ...): parsed by onnx::TensorProto
    // from this one message (memory for this tensor only) and checked against the element count.
    Result<Tensor> load_typed(const TensorInfo& ti, const Extra& x) const {
        onnx::TensorProto tp;
        if (!tp.ParseFromArray(f_->data() + x.msg_at, static_cast<int>(x.msg_len)))
            return make_error(path_, x.msg_at, "initializer '" + ti.name + "' is not a valid TensorProto");
        const std::int64_t numel = ti.numel();
        const auto n = static_cast<std::size_t>(numel);
        Tensor t;
        t.name = ti.name;
        t.shape = fold_shape(ti.shape);
        t.source_dtype = ti.dtype;
        t.values.resize(n);
        auto count_error = [&](const char* field, int have) {
            return make_error(path_, x.msg_at, "initializer '" + ti.name + "' has " + std::to_string(have) + " values in " + field +
                                                   ", its dims need " + std::to_string(numel));
        };
        switch (x.onnx_type) {
        case onnx::TensorProto::FLOAT:
            if (static_cast<std::int64_t>(tp.float_data_size()) != numel) return count_error("float_data", tp.float_data_size());
            for (std::size_t i = 0; i < n; ++i) t.values[i] = tp.float_data(static_cast<int>(i));
            break;
        case onnx::TensorProto::DOUBLE:
            if (static_cast<std::int64_t>(tp.double_data_size()) != numel) return count_error("double_data", tp.double_data_size());
            for (std::size_t i = 0; i < n; ++i) t.values[i] = static_cast<float>(tp.double_data(static_cast<int>(i)));
            break;
        case onnx::TensorProto::INT64:
            if (static_cast<std::int64_t>(tp.int64_data_size()) != numel) return count_error("int64_data", tp.int64_data_size());
            for (std::size_t i = 0; i < n; ++i) t.values[i] = static_cast<float>(tp.int64_data(static_cast<int>(i)));
            break;
        case onnx::TensorProto::UINT32:
        case onnx::TensorProto::UINT64:
            if (static_cast<std::int64_t>(tp.uint64_data_size()) != numel) return count_error("uint64_data", tp.uint64_data_size());
            for (std::size_t i = 0; i < n; ++i) t.values[i] = static_cast<float>(tp.uint64_data(static_cast<int>(i)));
            break;
        default:
            // int32_data holds INT32/INT16/INT8/UINT16/UINT8/BOOL values and the bit patterns of
            // FLOAT16/BFLOAT16/FLOAT8 values.
            if (static_cast<std::int64_t>(tp.int32_data_size()) != numel) return count_error("int32_data", tp.int32_data_size());
            for (std::size_t i = 0; i < n; ++i) {
                const std::int32_t v = tp.int32_data(static_cast<int>(i));
                const auto bits = static_cast<std::uint32_t>(v);
                switch (ti.dtype) {
                case DType::F16: t.values[i] = half_to_float(static_cast<std::uint16_t>(bits)); break;
                case DType::BF16: t.values[i] = bf16_to_float(static_cast<std::uint16_t>(bits)); break;
                case DType::F8_E4M3: t.values[i] = f8_e4m3_to_float(static_cast<std::uint8_t>(bits)); break;
                case DType::F8_E5M2: t.values[i] = f8_e5m2_to_float(static_cast<std::uint8_t>(bits)); break;
                case DType::Bool: t.values[i] = v ? 1.0f : 0.0f; break;
                default: t.values[i] = static_cast<float>(v); break;
                }
            }
            break;
        }
        return t;
    }

    std::shared_ptr<const MappedFile> f_;
};

bool parse_decimal(const std::string& s, std::uint64_t& out) {
    if (s.empty() || s.size() > 20) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
        v = v * 10 + d;
    }
    out = v;
    return true;
}

} // namespace

Result<std::unique_ptr<ModelFile>> open_onnx(std::shared_ptr<const MappedFile> f) {
    const std::string& file = f->path();
    if (f->size() > static_cast<std::uint64_t>(INT_MAX))
        return make_error(file, 0, "ONNX file of " + std::to_string(f->size()) + " bytes exceeds protobuf's 2 GiB limit (large models keep "
                                                                                   "their weights in external data files)");
    const std::uint8_t* data = f->data();
    auto mf = std::make_unique<OnnxModelFile>(f);

    // ModelProto: the graph (field 7) is walked below; the other fields are small and go to the library.
    std::string rest;
    std::optional<Field> graph;
    if (auto e = walk(data, 0, f->size(), file, "ModelProto", [&](const Field& fd) -> std::optional<Error> {
            if (fd.number == 7 && fd.wire == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
                if (graph) return make_error(file, fd.tag_at, "ModelProto has more than one graph");
                graph = fd;
            } else {
                rest.append(reinterpret_cast<const char*>(data + fd.tag_at), static_cast<std::size_t>(fd.end - fd.tag_at));
            }
            return std::nullopt;
        }))
        return *e;
    onnx::ModelProto model;
    if (!model.ParseFromString(rest)) return make_error(file, 0, "not an ONNX model: the ModelProto fields do not parse");
    if (!graph) return make_error(file, 0, "not an ONNX model: no graph (ModelProto field 7)");
    if (model.has_ir_version()) mf->add_metadata("onnx.ir_version", std::to_string(model.ir_version()));
    if (!model.producer_name().empty()) mf->add_metadata("onnx.producer", printable(model.producer_name() + " " + model.producer_version(), 200));
    if (!model.domain().empty()) mf->add_metadata("onnx.domain", printable(model.domain(), 200));
    if (model.has_model_version()) mf->add_metadata("onnx.model_version", std::to_string(model.model_version()));
    for (const auto& op : model.opset_import())
        mf->add_metadata("onnx.opset" + std::string(op.domain().empty() ? "" : "." + printable(op.domain(), 100)), std::to_string(op.version()));
    for (const auto& kv : model.metadata_props()) mf->add_metadata(printable(kv.key(), 200), printable(kv.value(), 200));
    if (!model.doc_string().empty()) mf->add_metadata("onnx.doc_string", printable(model.doc_string(), 200));

    // GraphProto: initializers (field 5); node (1) and sparse_initializer (15) are counted.
    std::vector<Field> inits;
    std::size_t nodes = 0, sparse = 0;
    std::string graph_name;
    if (auto e = walk(data, graph->value_at, graph->value_len, file, "GraphProto", [&](const Field& fd) -> std::optional<Error> {
            if (fd.wire != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) return std::nullopt;
            if (fd.number == 5) inits.push_back(fd);
            else if (fd.number == 1) ++nodes;
            else if (fd.number == 15) ++sparse;
            else if (fd.number == 2) graph_name.assign(reinterpret_cast<const char*>(data + fd.value_at), static_cast<std::size_t>(fd.value_len));
            return std::nullopt;
        }))
        return *e;
    if (!graph_name.empty()) mf->add_metadata("onnx.graph", printable(graph_name, 200));
    mf->add_metadata("onnx.nodes", std::to_string(nodes));
    if (sparse) mf->add_metadata("onnx.sparse_initializers (not listed)", std::to_string(sparse));

    std::map<std::string, std::shared_ptr<const MappedFile>> external_files;
    for (const Field& init : inits) {
        // Route the TensorProto's fields: raw_data and the typed arrays are located, the rest parsed.
        std::string small;
        std::optional<Field> raw;
        std::uint64_t typed_bytes = 0;
        bool has_typed = false;
        if (auto e = walk(data, init.value_at, init.value_len, file, "TensorProto", [&](const Field& fd) -> std::optional<Error> {
                switch (fd.number) {
                case 9:
                    if (fd.wire != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) return make_error(file, fd.tag_at, "raw_data must be length-delimited");
                    if (raw) return make_error(file, fd.tag_at, "initializer has raw_data twice");
                    raw = fd;
                    break;
                case 4: case 5: case 6: case 7: case 10: case 11:
                    has_typed = true;
                    typed_bytes += fd.end - fd.tag_at;
                    break;
                default:
                    small.append(reinterpret_cast<const char*>(data + fd.tag_at), static_cast<std::size_t>(fd.end - fd.tag_at));
                }
                return std::nullopt;
            }))
            return *e;
        onnx::TensorProto tp;
        if (!tp.ParseFromString(small)) return make_error(file, init.value_at, "initializer is not a valid TensorProto");
        TensorInfo ti;
        ti.name = tp.name();
        ti.file = file;
        const std::string q = "'" + printable(ti.name, 200) + "'";
        if (ti.name.empty()) return make_error(file, init.value_at, "initializer without a name");
        for (std::int64_t d : tp.dims()) {
            if (d < 0) return make_error(file, init.value_at, "initializer " + q + " has negative dimension " + std::to_string(d));
            ti.shape.push_back(d);
        }
        std::int64_t numel = 0;
        if (!checked_numel(ti.shape, numel)) return make_error(file, init.value_at, "dims " + shape_text(ti.shape) + " of " + q + " overflow 64 bits");
        bool known = false;
        const OnnxType ot = onnx_type(tp.data_type(), known);
        if (!known) return make_error(file, init.value_at, "initializer " + q + " has unknown data_type " + std::to_string(tp.data_type()));
        ti.dtype = ot.dtype;
        if (ot.dtype == DType::Unknown) ti.encoding = std::string("ONNX ") + ot.name;
        OnnxModelFile::Extra x;
        x.onnx_type = tp.data_type();
        x.msg_at = init.value_at;
        x.msg_len = init.value_len;
        // bytes the elements take when stored raw (4-bit types pack two per byte)
        std::uint64_t need = 0;
        if (ot.bits > 0) {
            const auto un = static_cast<std::uint64_t>(numel);
            if (ot.bits < 8) need = (un + 1) / 2;
            else if (un > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(ot.bits / 8))
                return make_error(file, init.value_at, "byte size of " + q + " overflows 64 bits");
            else need = un * static_cast<std::uint64_t>(ot.bits / 8);
        }
        const bool external = tp.data_location() == onnx::TensorProto::EXTERNAL;
        StoredTensor st;
        if (external) {
            if (raw || has_typed) return make_error(file, init.value_at, "initializer " + q + " is marked external but also holds data");
            if (ot.bits == 0) return make_error(file, init.value_at, "STRING initializer " + q + " cannot be external");
            std::string location;
            std::uint64_t offset = 0, length = need;
            bool have_length = false;
            for (const auto& kv : tp.external_data()) {
                if (kv.key() == "location") location = kv.value();
                else if (kv.key() == "offset") {
                    if (!parse_decimal(kv.value(), offset))
                        return make_error(file, init.value_at, "external data offset '" + printable(kv.value()) + "' of " + q + " is not a non-negative integer");
                } else if (kv.key() == "length") {
                    if (!parse_decimal(kv.value(), length))
                        return make_error(file, init.value_at, "external data length '" + printable(kv.value()) + "' of " + q + " is not a non-negative integer");
                    have_length = true;
                }
            }
            if (location.empty()) return make_error(file, init.value_at, "external initializer " + q + " has no 'location'");
            if (have_length && length != need)
                return make_error(file, init.value_at, "external data length " + std::to_string(length) + " of " + q + " differs from the " +
                                                           std::to_string(need) + " bytes its dims and data_type need");
            auto& ext = external_files[location];
            if (!ext) {
                auto path = resolve_sibling(file, location, init.value_at, "external data of " + q);
                if (!path) return path.error();
                auto opened = MappedFile::open(*path);
                if (!opened) return make_error(file, init.value_at, "external data of " + q + ": " + opened.error().message());
                ext = std::move(opened).value();
            }
            if (!ext->contains(offset, need))
                return make_error(ext->path(), std::min(offset, ext->size()),
                                  "external data of " + q + " [" + std::to_string(offset) + ", +" + std::to_string(need) + ") lies outside the file (" +
                                      std::to_string(ext->size()) + " bytes)");
            st = StoredTensor{ext, offset, need, false};
            ti.file = ext->path();
            ti.offset = offset;
            ti.bytes = need;
            ti.encoding += std::string(ti.encoding.empty() ? "" : ", ") + "external data";
        } else if (raw) {
            if (has_typed) return make_error(file, raw->tag_at, "initializer " + q + " holds both raw_data and typed data");
            if (ot.bits == 0) return make_error(file, raw->tag_at, "STRING initializer " + q + " cannot use raw_data");
            if (raw->value_len != need)
                return make_error(file, raw->value_at, "raw_data of " + q + " holds " + std::to_string(raw->value_len) + " bytes, dims " +
                                                           shape_text(ti.shape) + " x " + ot.name + " need " + std::to_string(need));
            st = StoredTensor{f, raw->value_at, need, false};
            ti.offset = raw->value_at;
            ti.bytes = need;
        } else {
            // typed repeated fields: every element takes at least one byte on the wire
            if (static_cast<std::uint64_t>(numel) > typed_bytes)
                return make_error(file, init.value_at, "initializer " + q + " needs " + std::to_string(numel) + " values but holds " +
                                                           (has_typed ? "only " + std::to_string(typed_bytes) + " bytes of typed data" : std::string("no data")));
            x.source = Source::Typed;
            ti.offset = init.value_at;
            ti.bytes = need ? need : typed_bytes;
            st = StoredTensor{f, init.value_at, 0, false};
        }
        if (ti.dtype == DType::Unknown || (x.source == Source::Stored && ot.bits < 8)) x.source = Source::Unreadable;
        if (!mf->add(ti, st)) return make_error(file, init.value_at, "duplicate initializer name " + q);
        mf->extra_[ti.name] = x;
    }
    return std::unique_ptr<ModelFile>(std::move(mf));
}

} // namespace ql::detail
