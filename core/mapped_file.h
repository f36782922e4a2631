// A read-only memory map of a whole file: loaders look at the bytes through it so that opening a
// 10 GB model touches only the pages of its header, and loading a tensor touches only that tensor.
// Directories and special files (devices such as /dev/zero, FIFOs, sockets) are refused before
// anything is read, so nothing blocks and nothing endless is mapped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"

namespace ql {

class MappedFile {
public:
    // Maps `path` read-only. An empty file maps to data() == nullptr, size() == 0.
    static Result<std::shared_ptr<const MappedFile>> open(const std::string& path);
    // Wraps bytes already in memory (tests, fuzzing, decompressed members); they are copied.
    static std::shared_ptr<const MappedFile> from_bytes(const std::uint8_t* data, std::size_t size, std::string label);

    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::uint8_t* data() const { return data_; }
    std::uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }
    // True when [offset, offset + length) lies inside the file (without overflowing).
    bool contains(std::uint64_t offset, std::uint64_t length) const {
        return offset <= size_ && length <= size_ - offset;
    }

private:
    MappedFile() = default;
    const std::uint8_t* data_ = nullptr;
    std::uint64_t size_ = 0;
    std::string path_;
    void* map_ = nullptr;            // mmap'ed region (nullptr for owned bytes or an empty file)
    std::unique_ptr<std::uint8_t[]> owned_;
};

// Checks that `path` names a regular file; the error says what it is instead (directory, device, FIFO).
Status check_regular_file(const std::string& path);

} // namespace ql
