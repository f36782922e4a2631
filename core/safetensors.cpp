// .safetensors files and sharded models (model.safetensors.index.json), with every rule of the format
// enforced: an 8-byte little-endian header length no larger than 100,000,000 (the reference
// implementation's limit) and inside the file; a UTF-8 JSON object starting with '{'; no duplicate
// names; each entry {dtype, shape, data_offsets}; byte sizes equal to shape x dtype size; data_offsets
// contiguous from 0 with no gaps and no overlaps; the data section ending exactly at the end of the file.
#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "core/byte_reader.h"
#include "core/json_strict.h"
#include "core/loader_common.h"

namespace ql::detail {
namespace {

using nlohmann::json;

constexpr std::uint64_t kMaxHeaderLen = 100'000'000;

struct StDtype {
    const char* name;
    DType dtype;
};
constexpr StDtype kDtypes[] = {
    {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16}, {"F64", DType::F64},
    {"F8_E4M3", DType::F8_E4M3}, {"F8_E5M2", DType::F8_E5M2},
    {"I8", DType::I8}, {"U8", DType::U8}, {"I16", DType::I16}, {"U16", DType::U16},
    {"I32", DType::I32}, {"U32", DType::U32}, {"I64", DType::I64}, {"U64", DType::U64}, {"BOOL", DType::Bool},
};

const char* kDtypeList = "F32 F16 BF16 F64 F8_E4M3 F8_E5M2 I8 U8 I16 U16 I32 U32 I64 U64 BOOL";

struct Entry {
    TensorInfo info;
    std::uint64_t begin = 0, end = 0;  // data_offsets, relative to the data section
    std::uint64_t key_at = 0;          // absolute offset of the name in the header (for messages)
};

Result<std::unique_ptr<MappedModelFile>> parse_safetensors(std::shared_ptr<const MappedFile> f) {
    const std::string& file = f->path();
    const std::uint64_t size = f->size();
    if (size < 8) return make_error(file, 0, "file too short for the 8-byte header length (has " + std::to_string(size) + " bytes)");
    ByteReader r(f->data(), size, file);
    std::uint64_t n = 0;
    r.read(n, "header length");
    if (n > kMaxHeaderLen)
        return make_error(file, 0, "header length " + std::to_string(n) + " exceeds the format's limit of 100000000 bytes");
    if (n > size - 8)
        return make_error(file, 0, "header length " + std::to_string(n) + " runs past the end of the file (" + std::to_string(size) +
                                       " bytes, header would end at " + std::to_string(8 + n) + ")");
    const std::string_view text(reinterpret_cast<const char*>(f->data() + 8), static_cast<std::size_t>(n));
    if (text.empty() || text.front() != '{') return make_error(file, 8, "header must be a JSON object starting with '{'");
    auto parsed = parse_json_strict(text, file, 8);
    if (!parsed) return parsed.error();
    const json& h = *parsed;
    if (!h.is_object()) return make_error(file, 8, "header must be a JSON object");

    const std::uint64_t data_start = 8 + n;
    const std::uint64_t data_size = size - data_start;
    auto mf = std::make_unique<MappedModelFile>("safetensors", file);
    std::vector<Entry> entries;
    for (auto it = h.begin(); it != h.end(); ++it) {
        const std::string& name = it.key();
        const std::uint64_t at = json_key_offset(text, 8, name, 8);
        const json& v = it.value();
        if (name == "__metadata__") {
            if (!v.is_object()) return make_error(file, at, "__metadata__ must be an object of string values");
            for (auto m = v.begin(); m != v.end(); ++m) {
                if (!m.value().is_string())
                    return make_error(file, json_key_offset(text, 8, m.key(), at), "__metadata__ value of '" + printable(m.key()) + "' must be a string");
                mf->add_metadata(m.key(), m.value().get<std::string>());
            }
            continue;
        }
        const std::string q = "'" + printable(name, 200) + "'";
        if (!v.is_object()) return make_error(file, at, "entry " + q + " must be an object {dtype, shape, data_offsets}");
        for (const char* k : {"dtype", "shape", "data_offsets"})
            if (!v.contains(k)) return make_error(file, at, "entry " + q + " has no '" + k + "'");
        const json& jd = v["dtype"];
        if (!jd.is_string()) return make_error(file, at, "dtype of " + q + " must be a string");
        const std::string ds = jd.get<std::string>();
        Entry e;
        e.key_at = at;
        e.info.name = name;
        e.info.file = file;
        e.info.dtype = DType::Unknown;
        for (const auto& d : kDtypes)
            if (ds == d.name) e.info.dtype = d.dtype;
        if (e.info.dtype == DType::Unknown)
            return make_error(file, at, "dtype '" + printable(ds) + "' of " + q + " is not supported (supported: " + kDtypeList + ")");
        const json& js = v["shape"];
        if (!js.is_array()) return make_error(file, at, "shape of " + q + " must be an array of non-negative integers");
        for (const json& d : js) {
            if (!d.is_number_unsigned() || d.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return make_error(file, at, "shape of " + q + " must hold non-negative integers below 2^63, found " + printable(d.dump()));
            e.info.shape.push_back(static_cast<std::int64_t>(d.get<std::uint64_t>()));
        }
        const json& jo = v["data_offsets"];
        if (!jo.is_array() || jo.size() != 2 || !jo[0].is_number_unsigned() || !jo[1].is_number_unsigned())
            return make_error(file, at, "data_offsets of " + q + " must be [begin, end] with non-negative integers");
        e.begin = jo[0].get<std::uint64_t>();
        e.end = jo[1].get<std::uint64_t>();
        if (e.end < e.begin)
            return make_error(file, at, "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ") of " + q + " end before they begin");
        std::int64_t numel = 0;
        if (!checked_numel(e.info.shape, numel)) return make_error(file, at, "shape " + shape_text(e.info.shape) + " of " + q + " overflows 64 bits");
        std::uint64_t need = 0;
        if (!tensor_bytes(e.info.dtype, numel, need))
            return make_error(file, at, "size of " + q + " (shape x dtype) overflows 64 bits");
        if (e.end - e.begin != need)
            return make_error(file, at, "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ") of " + q + " hold " +
                                            std::to_string(e.end - e.begin) + " bytes, shape " + shape_text(e.info.shape) + " x " + ds +
                                            " needs " + std::to_string(need));
        if (e.end > data_size)
            return make_error(file, data_start + std::min(e.begin, data_size),
                              "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ") of " + q +
                                  " run past the end of the data section (" + std::to_string(data_size) + " bytes)");
        e.info.bytes = need;
        e.info.offset = data_start + e.begin;
        entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::uint64_t expect = 0;
    const Entry* prev = nullptr;
    for (const Entry& e : entries) {
        const std::string q = "'" + printable(e.info.name, 200) + "'";
        const std::string range = "[" + std::to_string(e.begin) + ", " + std::to_string(e.end) + ")";
        if (e.begin < expect)
            return make_error(file, data_start + e.begin, "data_offsets " + range + " of " + q + " overlap " + "'" + printable(prev->info.name, 200) +
                                                              "' [" + std::to_string(prev->begin) + ", " + std::to_string(prev->end) + ")");
        if (e.begin > expect)
            return make_error(file, data_start + expect, prev ? "gap of " + std::to_string(e.begin - expect) + " bytes between '" +
                                                                    printable(prev->info.name, 200) + "' (ends at " + std::to_string(expect) + ") and " + q +
                                                                    " (starts at " + std::to_string(e.begin) + "): offsets must be contiguous"
                                                              : "the first tensor " + q + " starts at " + std::to_string(e.begin) +
                                                                    ", not 0: offsets must be contiguous from 0");
        expect = e.end;
        prev = &e;
    }
    if (expect != data_size)
        return make_error(file, data_start + expect, "the tensors end at data offset " + std::to_string(expect) + " but the data section holds " +
                                                         std::to_string(data_size) + " bytes: the file length must match exactly");
    for (Entry& e : entries) {
        StoredTensor st{f, e.info.offset, e.info.bytes, false};
        mf->add(std::move(e.info), std::move(st));
    }
    return mf;
}

} // namespace

Result<std::unique_ptr<ModelFile>> open_safetensors(std::shared_ptr<const MappedFile> f) {
    auto r = parse_safetensors(std::move(f));
    if (!r) return r.error();
    return std::unique_ptr<ModelFile>(std::move(r).value());
}

// model.safetensors.index.json: {"metadata": {...}, "weight_map": {"tensor name": "shard file name"}}.
// Every shard is opened (each checked as above); the index and the shards must agree exactly.
Result<std::unique_ptr<ModelFile>> open_safetensors_index(std::shared_ptr<const MappedFile> f) {
    const std::string& file = f->path();
    if (f->size() > kMaxHeaderLen) return make_error(file, 0, "index file larger than 100000000 bytes");
    const std::string_view text(reinterpret_cast<const char*>(f->data()), static_cast<std::size_t>(f->size()));
    auto parsed = parse_json_strict(text, file, 0);
    if (!parsed) return parsed.error();
    const json& idx = *parsed;
    if (!idx.is_object() || !idx.contains("weight_map") || !idx["weight_map"].is_object())
        return make_error(file, 0, "a safetensors index must be an object with a \"weight_map\" object");
    auto mf = std::make_unique<MappedModelFile>("safetensors", file);
    if (idx.contains("metadata") && idx["metadata"].is_object())
        for (auto m = idx["metadata"].begin(); m != idx["metadata"].end(); ++m)
            mf->add_metadata("index." + m.key(), m.value().is_string() ? m.value().get<std::string>() : m.value().dump());
    std::vector<std::string> shard_order;
    std::map<std::string, std::vector<std::string>> names_by_shard;
    const json& wm = idx["weight_map"];
    for (auto it = wm.begin(); it != wm.end(); ++it) {
        if (!it.value().is_string())
            return make_error(file, json_key_offset(text, 0, it.key(), 0), "weight_map entry '" + printable(it.key()) + "' must name a shard file");
        const std::string shard = it.value().get<std::string>();
        if (!names_by_shard.count(shard)) shard_order.push_back(shard);
        names_by_shard[shard].push_back(it.key());
    }
    std::sort(shard_order.begin(), shard_order.end());  // model-00001-of-000NN order
    mf->add_metadata("shards", std::to_string(shard_order.size()));
    for (const std::string& shard : shard_order) {
        const std::uint64_t at = json_key_offset(text, 0, names_by_shard[shard].front(), 0);
        auto path = resolve_sibling(file, shard, at, "shard");
        if (!path) return path.error();
        auto sf = MappedFile::open(*path);
        if (!sf) return make_error(file, at, "shard of '" + printable(names_by_shard[shard].front(), 200) + "': " + sf.error().message());
        auto part = parse_safetensors(std::move(sf).value());
        if (!part) return part.error();
        const MappedModelFile& p = **part;
        const std::set<std::string> listed(names_by_shard[shard].begin(), names_by_shard[shard].end());
        for (const auto& name : listed)
            if (!p.info(name))
                return make_error(file, json_key_offset(text, 0, name, 0), "weight_map puts '" + printable(name, 200) + "' in " + shard + ", which does not hold it");
        for (const TensorInfo& ti : p.tensors()) {
            if (!listed.count(ti.name))
                return make_error(*path, ti.offset, "shard holds '" + printable(ti.name, 200) + "', which the index does not list for this shard");
            if (!mf->add(ti, *p.stored(ti.name)))
                return make_error(*path, ti.offset, "duplicate tensor name '" + printable(ti.name, 200) + "' across shards");
        }
        for (const auto& kv : p.metadata()) {
            const bool dup = std::any_of(mf->metadata().begin(), mf->metadata().end(), [&](const auto& m) { return m.first == kv.first; });
            if (!dup) mf->add_metadata(kv.first, kv.second);
        }
    }
    return std::unique_ptr<ModelFile>(std::move(mf));
}

} // namespace ql::detail
