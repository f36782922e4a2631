// Shared by the libFuzzer targets: wrap the input as an in-memory "file" and exercise a loader the way
// the app does (open, then load every tensor), so the sanitizers see every read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/loader_common.h"
#include "core/mapped_file.h"

namespace qlfuzz {

// A label in a folder that does not exist: references to other files (shards, external data) fail
// to open instead of reading whatever lies in the fuzzer's working directory.
inline const char* kLabelDir = "/nonexistent-quantlens-fuzz/";

inline std::shared_ptr<const ql::MappedFile> bytes(const std::uint8_t* data, std::size_t size, const std::string& name) {
    return ql::MappedFile::from_bytes(data, size, std::string(kLabelDir) + name);
}

// Loads every tensor of an opened file; errors are fine, crashes and sanitizer reports are not.
inline void load_all(const ql::Result<std::unique_ptr<ql::ModelFile>>& f) {
    if (!f) {
        (void)f.error().message();
        return;
    }
    for (const auto& t : f.value()->tensors()) {
        auto r = f.value()->load(t.name);
        if (r) {
            volatile float sink = r->values.empty() ? 0.0f : r->values.back();
            (void)sink;
        }
    }
    (void)ql::model_totals(*f.value());
}

} // namespace qlfuzz
