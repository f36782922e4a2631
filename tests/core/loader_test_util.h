// Byte-by-byte builders for the loader tests: little-endian fields, GGUF and safetensors framing, a
// minimal protobuf writer for ONNX, and a temporary-file helper. Independent of the loaders' code.
#pragma once

#include <QTemporaryDir>
#include <QtTest>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/model_file.h"

namespace qltest {

// Appends little-endian fields to a byte string.
struct Bytes {
    std::string b;
    template <class T>
    Bytes& le(T v) {
        char c[sizeof(T)];
        std::memcpy(c, &v, sizeof(T));  // the test machines are little-endian, as the formats
        b.append(c, sizeof(T));
        return *this;
    }
    Bytes& u8(std::uint8_t v) { return le(v); }
    Bytes& u16(std::uint16_t v) { return le(v); }
    Bytes& u32(std::uint32_t v) { return le(v); }
    Bytes& u64(std::uint64_t v) { return le(v); }
    Bytes& i32(std::int32_t v) { return le(v); }
    Bytes& f32(float v) { return le(v); }
    Bytes& raw(const std::string& s) { b += s; return *this; }
    Bytes& pad_to(std::size_t multiple, char fill = 0) {
        while (b.size() % multiple) b += fill;
        return *this;
    }
    // GGUF string: u64 length + bytes
    Bytes& gstr(const std::string& s) { u64(s.size()); return raw(s); }
    std::size_t size() const { return b.size(); }
};

template <class T>
std::string pack(std::initializer_list<T> v) {
    Bytes b;
    for (T x : v) b.le(x);
    return b.b;
}

// safetensors: u64 header length, the JSON header, the data.
inline std::string safetensors(const std::string& header, const std::string& data) {
    Bytes b;
    b.u64(header.size()).raw(header).raw(data);
    return b.b;
}

// Protobuf wire format (for ONNX fixtures): varints, tags, length-delimited fields.
struct Proto {
    std::string b;
    Proto& varint(std::uint64_t v) {
        do {
            std::uint8_t c = v & 0x7F;
            v >>= 7;
            if (v) c |= 0x80;
            b += static_cast<char>(c);
        } while (v);
        return *this;
    }
    Proto& tag(int field, int wire) { return varint(static_cast<std::uint64_t>(field) << 3 | static_cast<std::uint64_t>(wire)); }
    Proto& vfield(int field, std::uint64_t v) { tag(field, 0); return varint(v); }
    Proto& bytes(int field, const std::string& s) { tag(field, 2); varint(s.size()); b += s; return *this; }
    Proto& msg(int field, const Proto& m) { return bytes(field, m.b); }
    Proto& f32(int field, float v) { tag(field, 5); char c[4]; std::memcpy(c, &v, 4); b.append(c, 4); return *this; }
};

inline bool write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes bytes to DIR/name and opens them with open_model_file.
inline ql::Result<std::unique_ptr<ql::ModelFile>> open_bytes(const QTemporaryDir& dir, const std::string& name, const std::string& bytes) {
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    if (!write_file(path, bytes)) return ql::make_error(path, "test could not write the file");
    return ql::open_model_file(path);
}

// CRC-32 (IEEE 802.3, as zlib.crc32), bitwise: for checking stored bytes against facts from Python.
inline std::uint32_t crc32(const std::string& s) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : s) {
        c ^= ch;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

// The bytes a TensorInfo says the tensor occupies, read straight from its file.
inline std::string stored_bytes(const ql::TensorInfo& ti) {
    std::ifstream in(ti.file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(ti.offset));
    std::string s(static_cast<std::size_t>(ti.bytes), '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    return in ? s : std::string();
}

inline double sum(const std::vector<float>& v) {
    double s = 0;
    for (float x : v) s += x;
    return s;
}

// Where fetched real models live (scripts/fetch-test-models.sh); empty when the file is absent.
inline std::string cached_model(const std::string& rel) {
    const std::string p = std::string(QL_TEST_CACHE_DIR) + "/" + rel;
    return QFile::exists(QString::fromStdString(p)) ? p : std::string();
}

inline QString message(const ql::Error& e) { return QString::fromStdString(e.message()); }

} // namespace qltest

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<std::int64_t>)
Q_DECLARE_METATYPE(std::string)
