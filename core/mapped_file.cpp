// Read-only memory maps (POSIX mmap) with the special-file checks every loader needs.
#include "core/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ql {
namespace {

std::string kind_of(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

Error not_regular(const std::string& path, mode_t m) {
    return make_error(path, "is " + kind_of(m) + ", not a weights file (only regular files can be opened)");
}

} // namespace

Status check_regular_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return make_error(path, std::string("cannot open: ") + std::strerror(errno));
    if (!S_ISREG(st.st_mode)) return not_regular(path, st.st_mode);
    return Ok{};
}

Result<std::shared_ptr<const MappedFile>> MappedFile::open(const std::string& path) {
    // stat first: opening a FIFO for reading would block until a writer appears.
    if (auto s = check_regular_file(path); !s) return s.error();
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return make_error(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return make_error(path, std::string("cannot stat: ") + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {  // replaced between stat and open
        ::close(fd);
        return not_regular(path, st.st_mode);
    }
    std::shared_ptr<MappedFile> f(new MappedFile());
    f->path_ = path;
    f->size_ = static_cast<std::uint64_t>(st.st_size);
    if (f->size_ > 0) {
        void* p = ::mmap(nullptr, static_cast<std::size_t>(f->size_), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            const int e = errno;
            ::close(fd);
            return make_error(path, std::string("cannot memory-map: ") + std::strerror(e));
        }
        f->map_ = p;
        f->data_ = static_cast<const std::uint8_t*>(p);
    }
    ::close(fd);  // the mapping stays valid after the descriptor is closed
    return std::shared_ptr<const MappedFile>(std::move(f));
}

std::shared_ptr<const MappedFile> MappedFile::from_bytes(const std::uint8_t* data, std::size_t size, std::string label) {
    std::shared_ptr<MappedFile> f(new MappedFile());
    f->path_ = std::move(label);
    f->size_ = size;
    if (size) {
        f->owned_.reset(new std::uint8_t[size]);
        std::memcpy(f->owned_.get(), data, size);
        f->data_ = f->owned_.get();
    }
    return f;
}

MappedFile::~MappedFile() {
    if (map_) ::munmap(map_, static_cast<std::size_t>(size_));
}

} // namespace ql
