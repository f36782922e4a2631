// Element conversions shared by the loaders (see element_convert.h for the definitions).
#include "core/element_convert.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "core/byte_reader.h"
#include "core/half.h"

namespace ql {

std::size_t element_bytes(DType t) {
    switch (t) {
    case DType::F32: case DType::I32: case DType::U32: return 4;
    case DType::F16: case DType::BF16: case DType::I16: case DType::U16: return 2;
    case DType::F64: case DType::I64: case DType::U64: return 8;
    case DType::F8_E4M3: case DType::F8_E5M2: case DType::I8: case DType::U8: case DType::Bool: return 1;
    default: return 0;
    }
}

float f8_e4m3_to_float(std::uint8_t b) {
    const bool neg = b & 0x80;
    const int exp = (b >> 3) & 0xF;
    const int mant = b & 0x7;
    float v;
    if (exp == 0xF && mant == 0x7) return std::numeric_limits<float>::quiet_NaN();
    if (exp == 0) v = std::ldexp(static_cast<float>(mant) / 8.0f, -6);
    else v = std::ldexp(1.0f + static_cast<float>(mant) / 8.0f, exp - 7);
    return neg ? -v : v;
}

float f8_e5m2_to_float(std::uint8_t b) { return half_to_float(static_cast<std::uint16_t>(b << 8)); }

namespace {

template <class T>
T load(const std::uint8_t* p, bool big_endian) {
    std::uint8_t b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    if (big_endian) {
        for (std::size_t k = 0; k < sizeof(T) / 2; ++k) std::swap(b[k], b[sizeof(T) - 1 - k]);
    }
    T v;
    std::memcpy(&v, b, sizeof(T));  // host is little-endian (x86-64, aarch64)
    return v;
}

template <class T, class F>
void convert_loop(const std::uint8_t* src, std::size_t n, float* dst, bool big_endian, F f) {
    const auto count = static_cast<std::int64_t>(n);
#pragma omp parallel for schedule(static) if (count > (1 << 18))
    for (std::int64_t i = 0; i < count; ++i) dst[i] = f(load<T>(src + static_cast<std::size_t>(i) * sizeof(T), big_endian));
}

} // namespace

bool convert_to_float(DType t, const std::uint8_t* src, std::size_t n, float* dst, bool big_endian) {
    switch (t) {
    case DType::F32:
        if (!big_endian) {
            if (n) std::memcpy(dst, src, n * 4);
            return true;
        }
        convert_loop<std::uint32_t>(src, n, dst, true, [](std::uint32_t u) { return bits_float(u); });
        return true;
    case DType::F16: convert_loop<std::uint16_t>(src, n, dst, big_endian, [](std::uint16_t u) { return half_to_float(u); }); return true;
    case DType::BF16: convert_loop<std::uint16_t>(src, n, dst, big_endian, [](std::uint16_t u) { return bf16_to_float(u); }); return true;
    case DType::F64: convert_loop<double>(src, n, dst, big_endian, [](double d) { return static_cast<float>(d); }); return true;
    case DType::F8_E4M3: convert_loop<std::uint8_t>(src, n, dst, false, [](std::uint8_t b) { return f8_e4m3_to_float(b); }); return true;
    case DType::F8_E5M2: convert_loop<std::uint8_t>(src, n, dst, false, [](std::uint8_t b) { return f8_e5m2_to_float(b); }); return true;
    case DType::I8: convert_loop<std::int8_t>(src, n, dst, false, [](std::int8_t v) { return static_cast<float>(v); }); return true;
    case DType::U8: convert_loop<std::uint8_t>(src, n, dst, false, [](std::uint8_t v) { return static_cast<float>(v); }); return true;
    case DType::Bool: convert_loop<std::uint8_t>(src, n, dst, false, [](std::uint8_t v) { return v ? 1.0f : 0.0f; }); return true;
    case DType::I16: convert_loop<std::int16_t>(src, n, dst, big_endian, [](std::int16_t v) { return static_cast<float>(v); }); return true;
    case DType::U16: convert_loop<std::uint16_t>(src, n, dst, big_endian, [](std::uint16_t v) { return static_cast<float>(v); }); return true;
    case DType::I32: convert_loop<std::int32_t>(src, n, dst, big_endian, [](std::int32_t v) { return static_cast<float>(v); }); return true;
    case DType::U32: convert_loop<std::uint32_t>(src, n, dst, big_endian, [](std::uint32_t v) { return static_cast<float>(v); }); return true;
    case DType::I64: convert_loop<std::int64_t>(src, n, dst, big_endian, [](std::int64_t v) { return static_cast<float>(v); }); return true;
    case DType::U64: convert_loop<std::uint64_t>(src, n, dst, big_endian, [](std::uint64_t v) { return static_cast<float>(v); }); return true;
    default: return false;
    }
}

// first axis = product of the leading dims. An empty tensor (a 0 anywhere) gets first axis 0: its
// leading dims may multiply past 64 bits when the 0 is among the kept axes (found by fuzz_onnx), and
// the element count stays 0 either way. A product that cannot be represented saturates (callers reject
// such shapes through checked_numel; this only keeps the arithmetic defined).
std::vector<std::int64_t> fold_shape(const std::vector<std::int64_t>& shape) {
    if (shape.size() <= static_cast<std::size_t>(kMaxRank)) return shape;
    const std::size_t extra = shape.size() - static_cast<std::size_t>(kMaxRank);
    std::vector<std::int64_t> out(shape.begin() + static_cast<std::ptrdiff_t>(extra), shape.end());
    for (auto d : shape)
        if (d == 0) {
            out[0] = 0;
            return out;
        }
    for (std::size_t k = 0; k < extra; ++k)
        if (__builtin_mul_overflow(out[0], shape[k], &out[0])) {
            out[0] = std::numeric_limits<std::int64_t>::max();
            break;
        }
    return out;
}

bool valid_utf8(std::string_view s) { return first_invalid_utf8(s) == std::string_view::npos; }

std::size_t first_invalid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = p[i];
        if (c < 0x80) { ++i; continue; }
        std::size_t len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return i;
        if (n - i < len) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return i;  // overlong
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += len;
    }
    return std::string_view::npos;
}

std::string printable(std::string_view s, std::size_t max_chars) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (out.size() >= max_chars) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != 0x7F) out += static_cast<char>(c);
        else {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

} // namespace ql
