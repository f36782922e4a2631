// Strict JSON for file headers (safetensors header and index, TF.js manifests): nlohmann-json does the
// parsing; this adds the rules it leaves out. UTF-8 is checked first, duplicate keys (which nlohmann
// silently collapses to one) are refused at every depth, and nesting is bounded. Errors name the file
// and the absolute byte offset.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace ql {

// text: the JSON bytes; base: their absolute offset in `file`; max_depth: deepest nesting accepted.
Result<nlohmann::json> parse_json_strict(std::string_view text, const std::string& file, std::uint64_t base,
                                         int max_depth = 64);

// Absolute offset of the first occurrence of "key" (as a quoted JSON string) in text, or `fallback`.
std::uint64_t json_key_offset(std::string_view text, std::uint64_t base, const std::string& key, std::uint64_t fallback);

} // namespace ql
