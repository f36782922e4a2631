// TensorFlow.js weights: a manifest (model.json's "weightsManifest", or a *weights_manifest.json array)
// lists groups; each group's weights lie back to back in the concatenation of its shard files
// ("paths", e.g. group1-shard1of2.bin). Weights may be affine-quantized ("quantization": {"dtype":
// "uint8"|"uint16", "min", "scale"}: value = q * scale + min, evaluated as TF.js does, in double and
// then rounded to float32) or stored as float16 ("quantization": {"dtype": "float16"}).
// Every weight's size is checked against the bytes its group's shards hold, which must match exactly.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "core/byte_reader.h"
#include "core/element_convert.h"
#include "core/half.h"
#include "core/json_strict.h"
#include "core/loader_common.h"

namespace ql::detail {
namespace {

using nlohmann::json;

enum class Storage { Plain, Affine, Float16, Unreadable };

struct Shard {
    std::shared_ptr<const MappedFile> file;
    std::uint64_t start = 0;  // offset of this shard in the group's concatenation
};

struct Weight {
    std::size_t group = 0;
    std::uint64_t offset = 0;   // in the group's concatenation
    Storage storage = Storage::Plain;
    DType stored = DType::F32;  // element type as stored (U8/U16 for affine, F16 for float16 quantization)
    bool to_int = false;        // original dtype int32: TF.js rounds the affine value (Math.round)
    double scale = 0, min = 0;
};

class TfjsModelFile final : public ModelFile {
public:
    explicit TfjsModelFile(std::string path) { path_ = std::move(path); }
    std::string format() const override { return "tfjs"; }

    Result<Tensor> load(const std::string& name) const override {
        auto it = std::find_if(tensors_.begin(), tensors_.end(), [&](const TensorInfo& t) { return t.name == name; });
        if (it == tensors_.end()) return make_error(path_, "no tensor named '" + printable(name, 200) + "' in this model");
        const TensorInfo& ti = *it;
        const Weight& w = weights_[static_cast<std::size_t>(it - tensors_.begin())];
        if (w.storage == Storage::Unreadable)
            return make_error(ti.file, ti.offset, "'" + ti.name + "' holds " + ti.encoding + " values, which have no numbers to analyse");
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(ti.bytes));
        gather(groups_[w.group], w.offset, bytes.data(), ti.bytes);
        const std::size_t n = static_cast<std::size_t>(ti.numel());
        Tensor t;
        t.name = ti.name;
        t.shape = fold_shape(ti.shape);
        t.source_dtype = w.stored;
        t.values.resize(n);
        if (w.storage == Storage::Affine) {
            // TF.js: Float32Array.from(q, v => v * scale + min) — double arithmetic, then float32;
            // for int32 weights Math.round (half up) of the same double.
            for (std::size_t i = 0; i < n; ++i) {
                const double q = w.stored == DType::U8 ? bytes[i] : static_cast<double>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
                const double v = q * w.scale + w.min;
                t.values[i] = static_cast<float>(w.to_int ? std::floor(v + 0.5) : v);
            }
        } else {
            convert_to_float(w.stored, bytes.data(), n, t.values.data(), false);
        }
        return t;
    }

    // Copies [offset, offset + n) of a group's concatenated shards (already checked to exist).
    static void gather(const std::vector<Shard>& shards, std::uint64_t offset, std::uint8_t* out, std::uint64_t n) {
        for (const Shard& s : shards) {
            if (n == 0) break;
            const std::uint64_t end = s.start + s.file->size();
            if (offset >= end) continue;
            const std::uint64_t from = offset - s.start;
            const std::uint64_t take = std::min(n, s.file->size() - from);
            std::memcpy(out, s.file->data() + from, static_cast<std::size_t>(take));
            out += take;
            offset += take;
            n -= take;
        }
    }

    std::vector<std::vector<Shard>> groups_;
    std::vector<Weight> weights_;
    void add(TensorInfo ti, Weight w) {
        tensors_.push_back(std::move(ti));
        weights_.push_back(w);
    }
    void meta(std::string k, std::string v) { metadata_.emplace_back(std::move(k), std::move(v)); }
};

// The shard holding byte `offset` of a group's concatenation and the offset inside it (the manifest
// itself when the group has no shards).
void locate(const std::vector<Shard>& shards, std::uint64_t offset, const std::string& manifest, std::string& file, std::uint64_t& local) {
    file = manifest;
    local = 0;
    for (const Shard& s : shards) {
        file = s.file->path();
        local = offset - s.start;
        if (offset < s.start + s.file->size()) return;
    }
}

std::string num(double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.9g", v);
    return b;
}

} // namespace

Result<std::unique_ptr<ModelFile>> open_tfjs(std::shared_ptr<const MappedFile> f,
                                             const std::unordered_map<std::string, std::shared_ptr<const MappedFile>>* shard_files) {
    const std::string& file = f->path();
    if (f->size() > (1u << 28)) return make_error(file, 0, "TF.js manifest larger than 256 MiB");
    const std::string_view text(reinterpret_cast<const char*>(f->data()), static_cast<std::size_t>(f->size()));
    auto parsed = parse_json_strict(text, file, 0, 256);  // modelTopology nests deeply
    if (!parsed) return parsed.error();
    const json& doc = *parsed;
    auto mf = std::make_unique<TfjsModelFile>(file);
    const json* manifest = nullptr;
    if (doc.is_array()) {
        manifest = &doc;
        mf->meta("tfjs.manifest", "weights_manifest.json");
    } else if (doc.is_object() && doc.contains("weightsManifest")) {
        manifest = &doc["weightsManifest"];
        for (const char* k : {"format", "generatedBy", "convertedBy"})
            if (doc.contains(k) && doc[k].is_string()) mf->meta(std::string("tfjs.") + k, doc[k].get<std::string>());
        if (doc.contains("modelTopology") && doc["modelTopology"].is_object()) {
            const json& mt = doc["modelTopology"];
            if (mt.contains("class_name") && mt["class_name"].is_string()) mf->meta("tfjs.model_class", mt["class_name"].get<std::string>());
            if (mt.contains("node") && mt["node"].is_array()) mf->meta("tfjs.graph_nodes", std::to_string(mt["node"].size()));
        }
    } else {
        return make_error(file, 0, "not a TensorFlow.js model: expected a model.json object with \"weightsManifest\" or a weights manifest array");
    }
    if (!manifest->is_array()) return make_error(file, json_key_offset(text, 0, "weightsManifest", 0), "\"weightsManifest\" must be an array of groups");

    std::set<std::string> names;
    for (std::size_t g = 0; g < manifest->size(); ++g) {
        const json& group = (*manifest)[g];
        const std::string gq = "weights group " + std::to_string(g);
        if (!group.is_object() || !group.contains("paths") || !group["paths"].is_array() || !group.contains("weights") || !group["weights"].is_array())
            return make_error(file, json_key_offset(text, 0, "paths", 0), gq + " must be an object with \"paths\" and \"weights\" arrays");
        std::vector<Shard> shards;
        std::uint64_t total = 0;
        for (const json& p : group["paths"]) {
            if (!p.is_string()) return make_error(file, json_key_offset(text, 0, "paths", 0), gq + ": every path must be a string");
            const std::string rel = p.get<std::string>();
            const std::uint64_t at = json_key_offset(text, 0, "paths", 0);
            std::shared_ptr<const MappedFile> sf;
            if (shard_files) {
                auto it = shard_files->find(rel);
                if (it == shard_files->end()) return make_error(file, at, gq + ": shard '" + printable(rel) + "' is missing");
                sf = it->second;
            } else {
                auto resolved = resolve_sibling(file, rel, at, "shard");
                if (!resolved) return resolved.error();
                auto opened = MappedFile::open(*resolved);
                if (!opened) return make_error(file, at, gq + ": " + opened.error().message());
                sf = std::move(opened).value();
            }
            shards.push_back(Shard{sf, total});
            total += sf->size();  // each shard's size is real, so the sum cannot overflow
        }
        std::uint64_t offset = 0;
        for (const json& w : group["weights"]) {
            if (!w.is_object() || !w.contains("name") || !w["name"].is_string())
                return make_error(file, json_key_offset(text, 0, "weights", 0), gq + ": every weight needs a \"name\" string");
            TensorInfo ti;
            ti.name = w["name"].get<std::string>();
            const std::uint64_t at = [&] {  // where the name is written, for messages
                const auto p = text.find(json(ti.name).dump());
                return p == std::string_view::npos ? std::uint64_t{0} : static_cast<std::uint64_t>(p);
            }();
            const std::string q = "'" + printable(ti.name, 200) + "'";
            if (!names.insert(ti.name).second) return make_error(file, at, "duplicate weight name " + q);
            if (!w.contains("shape") || !w["shape"].is_array()) return make_error(file, at, "weight " + q + " needs a \"shape\" array");
            for (const json& d : w["shape"]) {
                if (!d.is_number_unsigned() || d.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return make_error(file, at, "shape of " + q + " must hold non-negative integers, found " + printable(d.dump()));
                ti.shape.push_back(static_cast<std::int64_t>(d.get<std::uint64_t>()));
            }
            std::int64_t numel = 0;
            if (!checked_numel(ti.shape, numel)) return make_error(file, at, "shape " + shape_text(ti.shape) + " of " + q + " overflows 64 bits");
            if (!w.contains("dtype") || !w["dtype"].is_string()) return make_error(file, at, "weight " + q + " needs a \"dtype\" string");
            const std::string dtype = w["dtype"].get<std::string>();
            Weight wt;
            wt.group = g;
            wt.offset = offset;
            std::uint64_t bytes = 0;
            if (w.contains("quantization")) {
                const json& qz = w["quantization"];
                if (!qz.is_object() || !qz.contains("dtype") || !qz["dtype"].is_string())
                    return make_error(file, at, "quantization of " + q + " must be an object with a \"dtype\"");
                const std::string qd = qz["dtype"].get<std::string>();
                if (dtype != "float32" && dtype != "int32")
                    return make_error(file, at, "weight " + q + " of dtype '" + printable(dtype) + "' cannot be quantized (float32 and int32 can)");
                if (qd == "uint8" || qd == "uint16") {
                    if (!qz.contains("scale") || !qz["scale"].is_number() || !qz.contains("min") || !qz["min"].is_number())
                        return make_error(file, at, qd + " quantization of " + q + " needs numbers \"scale\" and \"min\"");
                    wt.storage = Storage::Affine;
                    wt.stored = qd == "uint8" ? DType::U8 : DType::U16;
                    wt.scale = qz["scale"].get<double>();
                    wt.min = qz["min"].get<double>();
                    wt.to_int = dtype == "int32";
                    ti.encoding = qd + " affine: value = min + scale * q (min " + num(wt.min) + ", scale " + num(wt.scale) + ")";
                } else if (qd == "float16") {
                    if (dtype != "float32") return make_error(file, at, "float16 quantization of " + q + " needs dtype float32");
                    wt.storage = Storage::Float16;
                    wt.stored = DType::F16;
                    ti.encoding = "float16 (quantized float32)";
                } else {
                    return make_error(file, at, "quantization dtype '" + printable(qd) + "' of " + q + " is not supported (uint8, uint16, float16)");
                }
            } else if (dtype == "float32") wt.stored = DType::F32;
            else if (dtype == "int32") wt.stored = DType::I32;
            else if (dtype == "bool") wt.stored = DType::Bool;
            else if (dtype == "float16") wt.stored = DType::F16;
            else if (dtype == "complex64") {
                wt.storage = Storage::Unreadable;
                wt.stored = DType::Unknown;
                ti.encoding = "complex64";
            } else if (dtype == "string") {
                wt.storage = Storage::Unreadable;
                wt.stored = DType::Unknown;
                ti.encoding = "string";
            } else {
                return make_error(file, at, "dtype '" + printable(dtype) + "' of " + q + " is not supported (float32, int32, bool, string, complex64)");
            }
            if (dtype == "string") {
                // each string: u32 little-endian byte length, then the bytes
                std::uint64_t pos = offset;
                for (std::int64_t i = 0; i < numel; ++i) {
                    std::uint8_t lb[4];
                    if (pos > total || total - pos < 4)
                        return make_error(file, at, "string weight " + q + " runs past the end of its shards (" + std::to_string(total) + " bytes)");
                    TfjsModelFile::gather(shards, pos, lb, 4);
                    const std::uint64_t len = lb[0] | (lb[1] << 8) | (lb[2] << 16) | (static_cast<std::uint64_t>(lb[3]) << 24);
                    pos += 4;
                    if (total - pos < len)
                        return make_error(file, at, "string " + std::to_string(i) + " of " + q + " runs past the end of its shards");
                    pos += len;
                }
                bytes = pos - offset;
            } else if (dtype == "complex64") {
                if (static_cast<std::uint64_t>(numel) > std::numeric_limits<std::uint64_t>::max() / 8)
                    return make_error(file, at, "size of " + q + " overflows 64 bits");
                bytes = static_cast<std::uint64_t>(numel) * 8;
            } else if (!tensor_bytes(wt.stored, numel, bytes)) {
                return make_error(file, at, "size of " + q + " overflows 64 bits");
            }
            if (bytes > total - offset)
                return make_error(file, at, "weight " + q + " needs bytes [" + std::to_string(offset) + ", " + std::to_string(offset) + " + " +
                                                std::to_string(bytes) + ") of " + gq + ", whose shards hold " + std::to_string(total) + " bytes");
            ti.dtype = wt.stored;
            ti.bytes = bytes;
            locate(shards, offset, file, ti.file, ti.offset);
            offset += bytes;
            mf->add(std::move(ti), wt);
        }
        if (offset != total) {
            std::string where;
            std::uint64_t local = 0;
            locate(shards, offset, file, where, local);
            return make_error(where, local, gq + "'s weights take " + std::to_string(offset) + " bytes but its shards hold " + std::to_string(total) +
                                                ": the shard sizes must match the manifest exactly");
        }
        mf->groups_.push_back(std::move(shards));
    }
    return std::unique_ptr<ModelFile>(std::move(mf));
}

} // namespace ql::detail
