// Errors as values at the boundary (DESIGN rule 5): loaders and parsers return Result<T>, whose error
// names the file, the byte offset and the rule that was broken.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ql {

struct Error {
    std::string file;         // path or logical name of the input ("" when not file-based)
    std::uint64_t offset = 0; // byte offset in the file where the rule was broken
    bool has_offset = false;  // false when the error is not tied to a byte position
    std::string rule;         // the rule that was broken, in words

    // "model.safetensors: at byte 8: data_offsets [0, 4096) of 'w' overlap 'b'"
    std::string message() const {
        std::string m = file.empty() ? std::string() : file + ": ";
        if (has_offset) m += "at byte " + std::to_string(offset) + ": ";
        return m + rule;
    }
};

inline Error make_error(std::string file, std::string rule) { return Error{std::move(file), 0, false, std::move(rule)}; }
inline Error make_error(std::string file, std::uint64_t offset, std::string rule) {
    return Error{std::move(file), offset, true, std::move(rule)};
}

// A value or an Error. (std::expected is C++23; this is the small part of it QuantLens needs.)
template <class T>
class Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    const Error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

// Result for operations that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

} // namespace ql
