// .npz files: a zip archive (libzip) whose members are .npy arrays, stored or deflated. Opening reads
// only each member's .npy header (inflating just its first bytes); load() inflates one member. A
// member's claimed size is checked against its compressed size (deflate cannot expand more than
// 1032:1) before anything is allocated. Zips holding data.pkl are PyTorch checkpoints and are refused.
#include <zip.h>

#include <algorithm>
#include <mutex>

#include "core/byte_reader.h"
#include "core/loader_common.h"
#include "core/npy.h"

namespace ql::detail {
namespace {

constexpr std::uint64_t kMaxDeflateRatio = 1032;   // deflate's largest possible expansion
constexpr std::uint64_t kHeaderPeek = 12 + (1u << 20);  // magic + version + length + the npy header limit

struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
    void operator()(zip_file_t* f) const { zip_fclose(f); }
};

struct Member {
    zip_uint64_t index = 0;
    std::string entry;      // name inside the archive, e.g. "arr_0.npy"
    std::uint64_t size = 0; // uncompressed bytes
    NpyHeader header;
};

class NpzModelFile final : public ModelFile {
public:
    NpzModelFile(std::shared_ptr<const MappedFile> f, std::unique_ptr<zip_t, ZipCloser> z) : f_(std::move(f)), z_(std::move(z)) {
        path_ = f_->path();
    }
    std::string format() const override { return "npz"; }

    void add(Member m, std::string name, bool deflated) {
        TensorInfo ti;
        ti.name = std::move(name);
        ti.shape = m.header.shape;
        ti.dtype = m.header.dtype;
        ti.bytes = m.header.data_bytes;
        ti.offset = m.header.data_offset;  // inside the member's uncompressed bytes
        ti.file = path_;
        ti.encoding = "npz member '" + printable(m.entry) + "'" + (deflated ? " (deflated)" : " (stored)");
        if (m.header.big_endian) ti.encoding += ", big-endian";
        if (m.header.fortran_order) ti.encoding += ", Fortran order";
        tensors_.push_back(std::move(ti));
        members_.push_back(std::move(m));
    }

    Result<Tensor> load(const std::string& name) const override {
        for (std::size_t k = 0; k < tensors_.size(); ++k) {
            if (tensors_[k].name != name) continue;
            const Member& m = members_[k];
            std::vector<std::uint8_t> bytes;
            {
                std::lock_guard<std::mutex> lock(mu_);  // a zip_t is not thread-safe
                auto r = read_member(z_.get(), m.index, m.size, m.size, path_, m.entry, bytes);
                if (!r) return r.error();
            }
            const std::string label = path_ + ":" + m.entry;
            auto h = parse_npy_header(bytes.data(), bytes.size(), bytes.size(), label);
            if (!h) return h.error();  // the member changed since it was opened
            return decode_npy_data(*h, bytes.data() + h->data_offset, name);
        }
        return make_error(path_, "no tensor named '" + printable(name, 200) + "' in this file");
    }

    // Reads the first `want` bytes of member `index` (whose size is `size`); want == size reads it all
    // and checks that the member ends there (libzip verifies the CRC at the end).
    static Status read_member(zip_t* z, zip_uint64_t index, std::uint64_t size, std::uint64_t want, const std::string& path,
                              const std::string& entry, std::vector<std::uint8_t>& out) {
        std::unique_ptr<zip_file_t, ZipFileCloser> zf(zip_fopen_index(z, index, 0));
        if (!zf) return make_error(path, "cannot read npz member '" + printable(entry) + "': " + zip_strerror(z));
        out.resize(static_cast<std::size_t>(want));
        std::uint64_t got = 0;
        while (got < want) {
            const zip_int64_t n = zip_fread(zf.get(), out.data() + got, want - got);
            if (n < 0) return make_error(path, "npz member '" + printable(entry) + "' is corrupt: " + zip_file_strerror(zf.get()));
            if (n == 0) break;
            got += static_cast<std::uint64_t>(n);
        }
        if (got != want)
            return make_error(path, "npz member '" + printable(entry) + "' ends after " + std::to_string(got) + " bytes, its directory entry says " +
                                        std::to_string(size));
        if (want == size) {
            std::uint8_t extra;
            const zip_int64_t n = zip_fread(zf.get(), &extra, 1);
            if (n < 0) return make_error(path, "npz member '" + printable(entry) + "' is corrupt: " + zip_file_strerror(zf.get()));
            if (n > 0) return make_error(path, "npz member '" + printable(entry) + "' holds more bytes than its directory entry says (" + std::to_string(size) + ")");
        }
        return Ok{};
    }

private:
    std::shared_ptr<const MappedFile> f_;  // libzip reads from this mapping
    std::unique_ptr<zip_t, ZipCloser> z_;
    std::vector<Member> members_;
    mutable std::mutex mu_;
};

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

Result<std::unique_ptr<ModelFile>> open_npz(std::shared_ptr<const MappedFile> f) {
    const std::string& path = f->path();
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t* src = zip_source_buffer_create(f->data(), f->size(), 0, &zerr);
    if (!src) {
        const std::string msg = zip_error_strerror(&zerr);
        zip_error_fini(&zerr);
        return make_error(path, 0, "cannot read as a zip archive: " + msg);
    }
    zip_t* raw = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!raw) {
        const std::string msg = zip_error_strerror(&zerr);
        zip_source_free(src);
        zip_error_fini(&zerr);
        return make_error(path, 0, "not a valid zip archive (.npz): " + msg);
    }
    zip_error_fini(&zerr);
    std::unique_ptr<zip_t, ZipCloser> z(raw);
    const zip_int64_t n = zip_get_num_entries(z.get(), 0);
    if (n < 0) return make_error(path, 0, "cannot list the zip archive's members");
    // PyTorch's zip checkpoints hold ARCHIVE/data.pkl: refuse before reading anything else.
    for (zip_int64_t i = 0; i < n; ++i) {
        const char* nm = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), 0);
        if (nm && (ends_with(nm, "data.pkl") || ends_with(nm, ".pkl")))
            return pickle_refusal(path, "a zip archive holding '" + printable(nm) + "'");
    }
    std::vector<Member> members;
    std::vector<bool> deflated;
    std::vector<std::string> names;
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0)
            return make_error(path, "cannot read the directory entry of zip member " + std::to_string(i) + ": " + zip_strerror(z.get()));
        const std::string entry = (st.valid & ZIP_STAT_NAME) && st.name ? st.name : "";
        if (entry.empty() || entry.back() == '/') continue;  // directories
        const std::string q = "npz member '" + printable(entry) + "'";
        if (!ends_with(entry, ".npy")) return make_error(path, q + " is not a .npy array (an .npz holds only .npy members)");
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) return make_error(path, q + " is encrypted");
        if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE) || !(st.valid & ZIP_STAT_COMP_METHOD))
            return make_error(path, q + " has an incomplete directory entry");
        if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)
            return make_error(path, q + " uses compression method " + std::to_string(st.comp_method) + " (only stored and deflated members are read)");
        if (st.comp_method == ZIP_CM_STORE && st.size != st.comp_size)
            return make_error(path, q + " is stored uncompressed but claims " + std::to_string(st.size) + " bytes in " + std::to_string(st.comp_size));
        if (st.comp_size > f->size()) return make_error(path, q + " claims " + std::to_string(st.comp_size) + " compressed bytes, more than the file holds");
        if (st.size / kMaxDeflateRatio > st.comp_size + 1)
            return make_error(path, q + " claims " + std::to_string(st.size) + " bytes from " + std::to_string(st.comp_size) +
                                        " compressed, beyond deflate's 1032:1 limit");
        Member m;
        m.index = static_cast<zip_uint64_t>(i);
        m.entry = entry;
        m.size = st.size;
        std::vector<std::uint8_t> head;
        auto rd = NpzModelFile::read_member(z.get(), m.index, m.size, std::min<std::uint64_t>(m.size, kHeaderPeek), path, entry, head);
        if (!rd) return rd.error();
        auto h = parse_npy_header(head.data(), head.size(), m.size, path + ":" + entry);
        if (!h) return h.error();
        m.header = std::move(h).value();
        std::string name = entry.substr(0, entry.size() - 4);
        if (std::find(names.begin(), names.end(), name) != names.end()) return make_error(path, "duplicate " + q);
        names.push_back(name);
        deflated.push_back(st.comp_method == ZIP_CM_DEFLATE);
        members.push_back(std::move(m));
    }
    auto mf = std::make_unique<NpzModelFile>(f, std::move(z));
    for (std::size_t k = 0; k < members.size(); ++k) mf->add(std::move(members[k]), names[k], deflated[k]);
    return std::unique_ptr<ModelFile>(std::move(mf));
}

} // namespace ql::detail
