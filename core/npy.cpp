// .npy reader and writer. The header is a Python dict literal; it is parsed by its grammar here
// (never evaluated), and every claim (header length, shape, dtype size) is checked against the bytes
// that exist before anything is allocated.
#include "core/npy.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>

#include "core/byte_reader.h"
#include "core/element_convert.h"
#include "core/mapped_file.h"

namespace ql {
namespace {

constexpr std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::size_t kMaxNpyDims = 32;  // NPY_MAXDIMS of numpy 1.x; more dims are folded into the first axis
constexpr std::uint64_t kMaxHeaderLen = 1u << 20;  // numpy itself refuses headers over 10 kB by default

// Header grammar:  dict := '{' (key ':' value ',')* [key ':' value] '}'   (whitespace anywhere)
//                  key  := string;  value := string | 'True' | 'False' | tuple
//                  tuple := '(' ')' | '(' int ',' ')' | '(' int (',' int)+ [','] ')'
// Errors point at the offending token: the key, the value, the digit run, the closing brace.
class HeaderParser {
public:
    HeaderParser(std::string_view text, std::uint64_t base, std::string file)
        : s_(text), base_(base), file_(std::move(file)) {}

    std::uint64_t descr_offset = 0;  // absolute offsets of the values, for later checks
    std::uint64_t shape_offset = 0;

    std::optional<Error> parse(std::string& descr, bool& fortran, std::vector<std::int64_t>& shape) {
        bool have_descr = false, have_fortran = false, have_shape = false;
        skip_ws();
        if (!eat('{')) return err("header must be a Python dict starting with '{'");
        std::size_t close = 0;
        while (true) {
            skip_ws();
            close = pos_;
            if (eat('}')) break;
            const std::size_t key_pos = pos_;
            std::string key;
            if (auto e = string_lit(key)) return e;
            skip_ws();
            if (!eat(':')) return err("expected ':' after key '" + key + "'");
            skip_ws();
            if (key == "descr") {
                if (have_descr) return err_at(key_pos, "duplicate key 'descr'");
                descr_offset = base_ + pos_;
                if (peek() != '\'' && peek() != '"')
                    return err("'descr' must be a dtype string (structured dtypes are not supported)");
                if (auto e = string_lit(descr)) return e;
                have_descr = true;
            } else if (key == "fortran_order") {
                if (have_fortran) return err_at(key_pos, "duplicate key 'fortran_order'");
                if (s_.substr(pos_, 4) == "True") { fortran = true; pos_ += 4; }
                else if (s_.substr(pos_, 5) == "False") { fortran = false; pos_ += 5; }
                else return err("'fortran_order' must be True or False");
                have_fortran = true;
            } else if (key == "shape") {
                if (have_shape) return err_at(key_pos, "duplicate key 'shape'");
                shape_offset = base_ + pos_;
                if (auto e = tuple(shape)) return e;
                have_shape = true;
            } else {
                return err_at(key_pos, "unexpected key '" + printable(key) + "' (a .npy header has exactly descr, fortran_order, shape)");
            }
            skip_ws();
            if (eat(',')) continue;
            skip_ws();
            close = pos_;
            if (eat('}')) break;
            return err("expected ',' or '}' in header dict");
        }
        skip_ws();
        if (pos_ != s_.size()) return err("unexpected text after the header dict");
        if (!have_descr) return err_at(close, "header has no 'descr'");
        if (!have_fortran) return err_at(close, "header has no 'fortran_order'");
        if (!have_shape) return err_at(close, "header has no 'shape'");
        return std::nullopt;
    }

private:
    char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }
    void skip_ws() {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
    }
    Error err(const std::string& rule) const { return err_at(pos_, rule); }
    Error err_at(std::size_t local, const std::string& rule) const { return make_error(file_, base_ + local, rule); }

    std::optional<Error> string_lit(std::string& out) {
        const char q = peek();
        if (q != '\'' && q != '"') return err("expected a quoted string");
        ++pos_;
        out.clear();
        while (pos_ < s_.size() && s_[pos_] != q) {
            if (s_[pos_] == '\\') return err("escapes are not allowed in header strings");
            out += s_[pos_++];
            if (out.size() > 64) return err("header string longer than 64 characters");
        }
        if (!eat(q)) return err("unterminated string in header");
        return std::nullopt;
    }

    std::optional<Error> tuple(std::vector<std::int64_t>& shape) {
        shape.clear();
        if (!eat('(')) return err("'shape' must be a tuple");
        skip_ws();
        if (eat(')')) return std::nullopt;  // () : a scalar
        while (true) {
            skip_ws();
            if (peek() == '-') return err("negative dimension in 'shape'");
            if (peek() < '0' || peek() > '9') return err("'shape' entries must be non-negative integers");
            const std::size_t num_pos = pos_;
            std::uint64_t v = 0;
            while (peek() >= '0' && peek() <= '9') {
                v = v * 10 + static_cast<std::uint64_t>(peek() - '0');
                if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return err_at(num_pos, "dimension in 'shape' overflows 64 bits");
                ++pos_;
            }
            if (peek() == 'L') ++pos_;  // Python 2 long suffix
            shape.push_back(static_cast<std::int64_t>(v));
            if (shape.size() > kMaxNpyDims)
                return err_at(num_pos, "'shape' has more than " + std::to_string(kMaxNpyDims) + " dimensions (numpy's limit)");
            skip_ws();
            if (peek() == ')') {
                if (shape.size() == 1) return err("a 1-element tuple needs a trailing comma: (n,)");
                ++pos_;
                return std::nullopt;
            }
            if (!eat(',')) return err("expected ',' or ')' in 'shape'");
            skip_ws();
            if (eat(')')) return std::nullopt;
        }
    }

    std::string_view s_;
    std::size_t pos_ = 0;
    std::uint64_t base_;
    std::string file_;
};

struct NpyDtype {
    DType dtype = DType::F32;
    int size = 4;  // bytes per element
    bool big_endian = false;
};

// descr := byteorder code;  byteorder '<' little, '>' big, '=' native (little on our targets),
// '|' not applicable (only for one-byte types).
std::optional<NpyDtype> parse_descr(const std::string& d) {
    if (d.size() < 3) return std::nullopt;
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|' && order != '=') return std::nullopt;
    const std::string code = d.substr(1);
    NpyDtype t;
    if (code == "f2") t = {DType::F16, 2};
    else if (code == "f4") t = {DType::F32, 4};
    else if (code == "f8") t = {DType::F64, 8};
    else if (code == "i1") t = {DType::I8, 1};
    else if (code == "u1") t = {DType::U8, 1};
    else if (code == "b1") t = {DType::Bool, 1};
    else if (code == "i2") t = {DType::I16, 2};
    else if (code == "u2") t = {DType::U16, 2};
    else if (code == "i4") t = {DType::I32, 4};
    else if (code == "u4") t = {DType::U32, 4};
    else if (code == "i8") t = {DType::I64, 8};
    else if (code == "u8") t = {DType::U64, 8};
    else return std::nullopt;
    if (t.size > 1 && order == '|') return std::nullopt;  // '|' means "byte order not applicable"
    t.big_endian = order == '>' && t.size > 1;
    return t;
}

std::uint64_t load_le(const std::uint8_t* p, int size) {
    std::uint64_t v = 0;
    for (int k = size; k-- > 0;) v = (v << 8) | p[k];
    return v;
}

std::string base_name(const std::string& path) {
    std::string stem = std::filesystem::path(path).filename().string();
    if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".npy") == 0) stem.resize(stem.size() - 4);
    return stem;
}

} // namespace

Result<NpyHeader> parse_npy_header(const std::uint8_t* data, std::size_t available, std::uint64_t total_size,
                                   const std::string& file) {
    if (available > total_size) available = static_cast<std::size_t>(total_size);
    if (available < 10)
        return make_error(file, available, "file too short for a .npy header (needs at least 10 bytes, has " + std::to_string(total_size) + ")");
    if (std::memcmp(data, kMagic, 6) != 0) return make_error(file, 0, "not a .npy file: magic bytes \\x93NUMPY missing");
    NpyHeader h;
    const int major = data[6], minor = data[7];
    if (major < 1 || major > 3 || minor != 0)
        return make_error(file, 6, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) + " (1.0, 2.0 and 3.0 are supported)");
    h.major_version = major;
    std::uint64_t header_len = 0, header_start = 0;
    if (major == 1) {
        header_len = load_le(data + 8, 2);
        header_start = 10;
    } else {
        if (available < 12) return make_error(file, available, "file too short for a version " + std::to_string(major) + ".0 header length (4 bytes at offset 8)");
        header_len = load_le(data + 8, 4);
        header_start = 12;
    }
    if (header_len > kMaxHeaderLen)
        return make_error(file, 8, "header length " + std::to_string(header_len) + " exceeds the 1 MiB limit");
    if (header_start + header_len > total_size)
        return make_error(file, 8, "header length " + std::to_string(header_len) + " runs past the end of the file (" + std::to_string(total_size) + " bytes)");
    if (header_start + header_len > available)
        return make_error(file, available, "header not fully available (" + std::to_string(available) + " of " + std::to_string(header_start + header_len) + " bytes)");
    std::string_view header(reinterpret_cast<const char*>(data + header_start), header_len);
    if (header.empty() || header.back() != '\n')
        return make_error(file, header_start + header_len, "header must end with a newline");
    for (std::size_t k = 0; k < header.size(); ++k) {
        const auto ch = static_cast<unsigned char>(header[k]);
        if (ch == 0 || (major < 3 && ch > 127))
            return make_error(file, header_start + k, major < 3 ? "header must be ASCII (version 1.0/2.0)" : "NUL byte in header");
    }
    if (major == 3 && !valid_utf8(header)) return make_error(file, header_start, "version 3.0 header is not valid UTF-8");
    std::string descr;
    HeaderParser hp(header, header_start, file);
    if (auto e = hp.parse(descr, h.fortran_order, h.shape)) return *e;
    auto dt = parse_descr(descr);
    if (!dt) return make_error(file, hp.descr_offset, "unsupported dtype '" + printable(descr) + "' (supported: f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 u8 b1, little or big endian)");
    h.dtype = dt->dtype;
    h.item_size = dt->size;
    h.big_endian = dt->big_endian;
    if (!checked_numel(h.shape, h.numel)) return make_error(file, hp.shape_offset, "shape's element count overflows 64 bits");
    h.data_offset = header_start + header_len;
    const std::uint64_t have = total_size - h.data_offset;
    const auto un = static_cast<std::uint64_t>(h.numel);
    if (un > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(dt->size))
        return make_error(file, hp.shape_offset, "data size (shape x itemsize) overflows 64 bits");
    h.data_bytes = un * static_cast<std::uint64_t>(dt->size);
    if (h.data_bytes != have)
        return make_error(file, h.data_offset, std::to_string(h.numel) + " elements x " + std::to_string(dt->size) + " bytes needs " +
                                                   std::to_string(h.data_bytes) + " data bytes, file has " + std::to_string(have));
    return h;
}

Tensor decode_npy_data(const NpyHeader& h, const std::uint8_t* src, std::string name) {
    Tensor t;
    t.name = std::move(name);
    t.source_dtype = h.dtype;
    const std::size_t n = static_cast<std::size_t>(h.numel);
    std::vector<std::int64_t> shape = h.shape;
    if (!h.fortran_order || shape.size() <= 1) {
        t.values.resize(n);
        convert_to_float(h.dtype, src, n, t.values.data(), h.big_endian);
    } else {
        // Fortran order: the first index varies fastest in the file, i.e. the file holds the C-order
        // array of the reversed shape. Convert, then transpose into C order.
        std::vector<float> f(n);
        convert_to_float(h.dtype, src, n, f.data(), h.big_endian);
        t.values.resize(n);
        const std::size_t r = shape.size();
        std::int64_t idx[kMaxNpyDims] = {}, cstride[kMaxNpyDims] = {};
        cstride[r - 1] = 1;
        for (std::size_t k = r - 1; k > 0; --k) cstride[k - 1] = cstride[k] * shape[k];
        std::int64_t c = 0;  // C-order position of idx
        for (std::size_t i = 0; i < n; ++i) {
            t.values[static_cast<std::size_t>(c)] = f[i];
            for (std::size_t k = 0; k < r; ++k) {  // advance the first index fastest
                c += cstride[k];
                if (++idx[k] < shape[k]) break;
                c -= idx[k] * cstride[k];
                idx[k] = 0;
            }
        }
    }
    t.shape = fold_shape(shape);
    return t;
}

Result<Tensor> parse_npy(const std::uint8_t* data, std::size_t size, const std::string& file) {
    auto h = parse_npy_header(data, size, size, file);
    if (!h) return h.error();
    return decode_npy_data(*h, data + h->data_offset, std::string());
}

Result<Tensor> read_npy(const std::string& path) {
    auto f = MappedFile::open(path);
    if (!f) return f.error();
    const auto& m = *f.value();
    auto r = parse_npy(m.data(), static_cast<std::size_t>(m.size()), path);
    if (r) r->name = base_name(path);
    return r;
}

namespace {

Status write_atomic(const std::string& path, const std::string& header, const void* data, std::size_t bytes) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return make_error(path, std::string("cannot create: ") + std::strerror(errno));
        out.write(header.data(), static_cast<std::streamsize>(header.size()));
        if (bytes) out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
        out.flush();
        if (!out) {
            std::remove(tmp.c_str());
            return make_error(path, "write failed (disk full?)");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        return make_error(path, std::string("cannot replace: ") + std::strerror(errno));
    }
    return Ok{};
}

std::string make_header(const std::string& descr, const std::vector<std::int64_t>& shape) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
    for (std::size_t k = 0; k < shape.size(); ++k) dict += std::to_string(shape[k]) + (shape.size() == 1 || k + 1 < shape.size() ? ", " : "");
    if (!shape.empty()) dict.resize(dict.size() - (shape.size() == 1 ? 1 : 0));
    dict += "), }";
    // Pad with spaces so magic + length + header is a multiple of 64, ending in '\n' (as numpy does).
    bool v2 = dict.size() + 11 > 65535;
    const std::size_t prefix = v2 ? 12 : 10;
    std::size_t total = prefix + dict.size() + 1;
    total = (total + 63) / 64 * 64;
    dict.append(total - prefix - dict.size() - 1, ' ');
    dict += '\n';
    std::string h(reinterpret_cast<const char*>(kMagic), 6);
    h += static_cast<char>(v2 ? 2 : 1);
    h += '\0';
    const std::size_t len = dict.size();
    h += static_cast<char>(len & 0xFF);
    h += static_cast<char>((len >> 8) & 0xFF);
    if (v2) {
        h += static_cast<char>((len >> 16) & 0xFF);
        h += static_cast<char>((len >> 24) & 0xFF);
    }
    return h + dict;
}

} // namespace

Status write_npy(const std::string& path, const Tensor& t) {
    if (static_cast<std::int64_t>(t.values.size()) != t.numel()) return make_error(path, "tensor has inconsistent shape and size");
    return write_atomic(path, make_header("<f4", t.shape), t.values.data(), t.values.size() * sizeof(float));
}

Status write_npy_int8(const std::string& path, const std::vector<std::int64_t>& shape, const std::int8_t* codes) {
    std::int64_t n = 0;
    if (!checked_numel(shape, n)) return make_error(path, "shape overflows");
    return write_atomic(path, make_header("|i1", shape), codes, static_cast<std::size_t>(n));
}

} // namespace ql
