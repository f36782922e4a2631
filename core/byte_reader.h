// Bounds-checked little-endian reading of a byte range, for the hand-written binary parsers (GGUF,
// safetensors framing, npy). Every read checks the bytes that exist first; a failed read returns an
// Error naming the file, the absolute byte offset and what was being read.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"

namespace ql {

class ByteReader {
public:
    // data/size: the bytes to read; base: their absolute offset in `file` (for messages).
    ByteReader(const std::uint8_t* data, std::uint64_t size, std::string file, std::uint64_t base = 0)
        : data_(data), size_(size), base_(base), file_(std::move(file)) {}

    std::uint64_t pos() const { return base_ + pos_; }          // absolute offset of the next byte
    std::uint64_t local_pos() const { return pos_; }
    std::uint64_t remaining() const { return size_ - pos_; }
    const std::uint8_t* here() const { return data_ + pos_; }
    const std::string& file() const { return file_; }

    Error error(const std::string& rule) const { return make_error(file_, pos(), rule); }
    Error error_at(std::uint64_t absolute, const std::string& rule) const { return make_error(file_, absolute, rule); }

    // Reads an unsigned or signed integer, float or double stored little-endian.
    template <class T>
    std::optional<Error> read(T& out, std::string_view what) {
        static_assert(std::is_arithmetic_v<T>);
        if (remaining() < sizeof(T)) return truncated(sizeof(T), what);
        std::uint8_t b[sizeof(T)];
        for (std::size_t k = 0; k < sizeof(T); ++k) b[k] = data_[pos_ + k];
        if constexpr (sizeof(T) > 1) {
            // portable little-endian decode (the host is little-endian on every target we build,
            // but the file's order is what counts)
            std::uint64_t u = 0;
            for (std::size_t k = sizeof(T); k-- > 0;) u = (u << 8) | b[k];
            if constexpr (std::is_floating_point_v<T>) {
                if constexpr (sizeof(T) == 4) {
                    const auto u32 = static_cast<std::uint32_t>(u);
                    std::memcpy(&out, &u32, 4);
                } else {
                    std::memcpy(&out, &u, 8);
                }
            } else {
                out = static_cast<T>(u);
            }
        } else {
            std::memcpy(&out, b, 1);
        }
        pos_ += sizeof(T);
        return std::nullopt;
    }

    // Skips n bytes (they must exist).
    std::optional<Error> skip(std::uint64_t n, std::string_view what) {
        if (remaining() < n) return truncated(n, what);
        pos_ += n;
        return std::nullopt;
    }

    // A view of the next n bytes (they must exist); the reader moves past them.
    std::optional<Error> bytes(std::uint64_t n, std::string_view& out, std::string_view what) {
        if (remaining() < n) return truncated(n, what);
        out = std::string_view(reinterpret_cast<const char*>(data_ + pos_), static_cast<std::size_t>(n));
        pos_ += n;
        return std::nullopt;
    }

    Error truncated(std::uint64_t need, std::string_view what) const {
        return error("file truncated: " + std::string(what) + " needs " + std::to_string(need) + " bytes, only " +
                     std::to_string(remaining()) + " remain");
    }

private:
    const std::uint8_t* data_;
    std::uint64_t size_;
    std::uint64_t pos_ = 0;
    std::uint64_t base_;
    std::string file_;
};

// True when s is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool valid_utf8(std::string_view s);
// Index of the first byte that breaks UTF-8, or std::string_view::npos when s is well-formed.
std::size_t first_invalid_utf8(std::string_view s);

// "abc" for display: non-printable bytes escaped, cut to max_chars with "..." appended.
std::string printable(std::string_view s, std::size_t max_chars = 80);

} // namespace ql
