// .npy reader and writer. The header is a Python dict literal; it is parsed by its grammar here
// (never evaluated), and every claim (header length, shape, dtype size) is checked against the bytes
// that exist before anything is allocated.
#include "core/npy.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string_view>

#include "core/half.h"

namespace ql {
namespace {

constexpr std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
constexpr std::uint64_t kMaxHeaderLen = 1u << 20;  // numpy itself refuses headers over 10 kB by default

enum class Kind { Float, Int, UInt, Bool };
struct NpyDtype {
    Kind kind = Kind::Float;
    int size = 4;          // bytes per element
    bool big_endian = false;
    DType dtype = DType::F32;
};

// Header grammar:  dict := '{' (key ':' value ',')* [key ':' value] '}'   (whitespace anywhere)
//                  key  := string;  value := string | 'True' | 'False' | tuple
//                  tuple := '(' ')' | '(' int ',' ')' | '(' int (',' int)+ [','] ')'
class HeaderParser {
public:
    HeaderParser(std::string_view text, std::uint64_t base, std::string file)
        : s_(text), base_(base), file_(std::move(file)) {}

    std::optional<Error> parse(std::string& descr, bool& fortran, std::vector<std::int64_t>& shape) {
        bool have_descr = false, have_fortran = false, have_shape = false;
        skip_ws();
        if (!eat('{')) return err("header must be a Python dict starting with '{'");
        while (true) {
            skip_ws();
            if (eat('}')) break;
            std::string key;
            if (auto e = string_lit(key)) return e;
            skip_ws();
            if (!eat(':')) return err("expected ':' after key '" + key + "'");
            skip_ws();
            if (key == "descr") {
                if (have_descr) return err("duplicate key 'descr'");
                if (peek() != '\'' && peek() != '"')
                    return err("'descr' must be a dtype string (structured dtypes are not supported)");
                if (auto e = string_lit(descr)) return e;
                have_descr = true;
            } else if (key == "fortran_order") {
                if (have_fortran) return err("duplicate key 'fortran_order'");
                if (s_.substr(pos_, 4) == "True") { fortran = true; pos_ += 4; }
                else if (s_.substr(pos_, 5) == "False") { fortran = false; pos_ += 5; }
                else return err("'fortran_order' must be True or False");
                have_fortran = true;
            } else if (key == "shape") {
                if (have_shape) return err("duplicate key 'shape'");
                if (auto e = tuple(shape)) return e;
                have_shape = true;
            } else {
                return err("unexpected key '" + key + "' (a .npy header has exactly descr, fortran_order, shape)");
            }
            skip_ws();
            if (eat(',')) continue;
            skip_ws();
            if (eat('}')) break;
            return err("expected ',' or '}' in header dict");
        }
        skip_ws();
        if (pos_ != s_.size()) return err("unexpected text after the header dict");
        if (!have_descr) return err("header has no 'descr'");
        if (!have_fortran) return err("header has no 'fortran_order'");
        if (!have_shape) return err("header has no 'shape'");
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
    Error err(const std::string& rule) const { return make_error(file_, base_ + pos_, rule); }

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
            std::uint64_t v = 0;
            while (peek() >= '0' && peek() <= '9') {
                v = v * 10 + static_cast<std::uint64_t>(peek() - '0');
                if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return err("dimension in 'shape' overflows 64 bits");
                ++pos_;
            }
            if (peek() == 'L') ++pos_;  // Python 2 long suffix
            shape.push_back(static_cast<std::int64_t>(v));
            if (shape.size() > static_cast<std::size_t>(kMaxRank))
                return err("'shape' has more than " + std::to_string(kMaxRank) + " dimensions");
            skip_ws();
            if (eat(')')) {
                if (shape.size() == 1) return err("a 1-element tuple needs a trailing comma: (n,)");
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

std::optional<NpyDtype> parse_descr(const std::string& d) {
    if (d.size() < 3) return std::nullopt;
    const char order = d[0];
    if (order != '<' && order != '>' && order != '|' && order != '=') return std::nullopt;
    const std::string code = d.substr(1);
    NpyDtype t;
    t.big_endian = order == '>';
    if (code == "f2") t = {Kind::Float, 2, t.big_endian, DType::F16};
    else if (code == "f4") t = {Kind::Float, 4, t.big_endian, DType::F32};
    else if (code == "f8") t = {Kind::Float, 8, t.big_endian, DType::F64};
    else if (code == "i1") t = {Kind::Int, 1, false, DType::I8};
    else if (code == "u1") t = {Kind::UInt, 1, false, DType::U8};
    else if (code == "b1") t = {Kind::Bool, 1, false, DType::Bool};
    else if (code == "i2") t = {Kind::Int, 2, t.big_endian, DType::I16};
    else if (code == "u2") t = {Kind::UInt, 2, t.big_endian, DType::U16};
    else if (code == "i4") t = {Kind::Int, 4, t.big_endian, DType::I32};
    else if (code == "u4") t = {Kind::UInt, 4, t.big_endian, DType::U32};
    else if (code == "i8") t = {Kind::Int, 8, t.big_endian, DType::I64};
    else if (code == "u8") t = {Kind::UInt, 8, t.big_endian, DType::U64};
    else return std::nullopt;
    if (t.size > 1 && order == '|') return std::nullopt;  // '|' means "byte order not applicable"
    return t;
}

std::uint64_t load_le(const std::uint8_t* p, int size, bool big_endian) {
    std::uint64_t v = 0;
    for (int k = 0; k < size; ++k) {
        const int idx = big_endian ? k : size - 1 - k;
        v = (v << 8) | p[idx];
    }
    return v;
}

float element_to_float(const std::uint8_t* p, const NpyDtype& t) {
    const std::uint64_t u = load_le(p, t.size, t.big_endian);
    switch (t.kind) {
    case Kind::Bool: return u ? 1.0f : 0.0f;
    case Kind::UInt: return static_cast<float>(u);
    case Kind::Int: {
        const int shift = 64 - 8 * t.size;
        return static_cast<float>(static_cast<std::int64_t>(u << shift) >> shift);
    }
    case Kind::Float:
        if (t.size == 2) return half_to_float(static_cast<std::uint16_t>(u));
        if (t.size == 4) return bits_float(static_cast<std::uint32_t>(u));
        {
            double d;
            std::memcpy(&d, &u, 8);
            return static_cast<float>(d);
        }
    }
    return 0.0f;
}

std::string base_name(const std::string& path) {
    std::string stem = std::filesystem::path(path).filename().string();
    if (stem.size() > 4 && stem.compare(stem.size() - 4, 4, ".npy") == 0) stem.resize(stem.size() - 4);
    return stem;
}

} // namespace

Result<Tensor> parse_npy(const std::uint8_t* data, std::size_t size, const std::string& file) {
    if (size < 10) return make_error(file, size, "file too short for a .npy header (needs at least 10 bytes, has " + std::to_string(size) + ")");
    if (std::memcmp(data, kMagic, 6) != 0) return make_error(file, 0, "not a .npy file: magic bytes \\x93NUMPY missing");
    const int major = data[6], minor = data[7];
    if (major < 1 || major > 3 || minor != 0)
        return make_error(file, 6, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) + " (1.0, 2.0 and 3.0 are supported)");
    std::uint64_t header_len = 0, header_start = 0;
    if (major == 1) {
        header_len = static_cast<std::uint64_t>(data[8]) | (static_cast<std::uint64_t>(data[9]) << 8);
        header_start = 10;
    } else {
        if (size < 12) return make_error(file, size, "file too short for a version " + std::to_string(major) + " header length");
        header_len = load_le(data + 8, 4, false);
        header_start = 12;
    }
    if (header_len > kMaxHeaderLen)
        return make_error(file, 8, "header length " + std::to_string(header_len) + " exceeds the 1 MiB limit");
    if (header_start + header_len > size)
        return make_error(file, 8, "header length " + std::to_string(header_len) + " runs past the end of the file (" + std::to_string(size) + " bytes)");
    std::string_view header(reinterpret_cast<const char*>(data + header_start), header_len);
    if (header.empty() || header.back() != '\n')
        return make_error(file, header_start + header_len, "header must end with a newline");
    for (std::size_t k = 0; k < header.size(); ++k) {
        const auto ch = static_cast<unsigned char>(header[k]);
        if (ch == 0 || (major < 3 && ch > 127))
            return make_error(file, header_start + k, major < 3 ? "header must be ASCII (version 1.0/2.0)" : "NUL byte in header");
    }
    std::string descr;
    bool fortran = false;
    std::vector<std::int64_t> shape;
    HeaderParser hp(header, header_start, file);
    if (auto e = hp.parse(descr, fortran, shape)) return *e;
    auto dt = parse_descr(descr);
    if (!dt) return make_error(file, header_start, "unsupported dtype '" + descr + "' (supported: f2 f4 f8 i1 u1 i2 u2 i4 u4 i8 u8 b1)");
    std::int64_t numel = 0;
    if (!checked_numel(shape, numel)) return make_error(file, header_start, "shape's element count overflows 64 bits");
    const std::uint64_t data_start = header_start + header_len;
    const std::uint64_t have = size - data_start;
    const auto un = static_cast<std::uint64_t>(numel);
    if (un > std::numeric_limits<std::uint64_t>::max() / static_cast<std::uint64_t>(dt->size))
        return make_error(file, header_start, "data size (shape x itemsize) overflows 64 bits");
    const std::uint64_t need = un * static_cast<std::uint64_t>(dt->size);
    if (need != have)
        return make_error(file, data_start, "shape " + std::to_string(numel) + " x " + std::to_string(dt->size) + " bytes needs " +
                                               std::to_string(need) + " data bytes, file has " + std::to_string(have));

    Tensor t;
    t.shape = shape;
    t.source_dtype = dt->dtype;
    t.values.resize(static_cast<std::size_t>(numel));
    const std::uint8_t* src = data + data_start;
    if (!fortran || shape.size() <= 1) {
        if (dt->kind == Kind::Float && dt->size == 4 && !dt->big_endian) {
            std::memcpy(t.values.data(), src, need);
        } else {
            for (std::int64_t i = 0; i < numel; ++i) t.values[static_cast<std::size_t>(i)] = element_to_float(src + i * dt->size, *dt);
        }
    } else {
        // Fortran order: the first index varies fastest in the file. Walk the file in order and place
        // each value at its C-order position.
        const std::size_t r = shape.size();
        std::vector<std::int64_t> idx(r, 0), cstride(r, 1);
        for (std::size_t k = r - 1; k-- > 0;) cstride[k] = cstride[k + 1] * shape[k + 1];
        for (std::int64_t f = 0; f < numel; ++f) {
            std::int64_t c = 0;
            for (std::size_t k = 0; k < r; ++k) c += idx[k] * cstride[k];
            t.values[static_cast<std::size_t>(c)] = element_to_float(src + f * dt->size, *dt);
            for (std::size_t k = 0; k < r; ++k) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
    }
    return t;
}

Result<Tensor> read_npy(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return make_error(path, std::string("cannot open: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return make_error(path, "not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path, "cannot open for reading");
    const auto size = static_cast<std::size_t>(st.st_size);
    std::vector<std::uint8_t> bytes(size);  // the file's real size, not a claim inside it
    if (size && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size)))
        return make_error(path, "read failed");
    auto r = parse_npy(bytes.data(), bytes.size(), path);
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
