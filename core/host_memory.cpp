// Free memory of this machine and the check before large jobs (core/host_memory.h).
#include "core/host_memory.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

namespace ql {

std::optional<double> available_memory_bytes() {
#if defined(__linux__)
    std::ifstream in("/proc/meminfo");
    std::string key;
    double kib = 0;
    std::string unit;
    while (in >> key >> kib) {
        std::getline(in, unit);
        if (key == "MemAvailable:") return kib * 1024.0;
    }
#endif
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGE_SIZE)
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0) return static_cast<double>(pages) * static_cast<double>(page);
#endif
    return std::nullopt;
}

void require_memory(double bytes, const std::string& what, std::optional<double> available) {
    if (!available) available = available_memory_bytes();
    if (!available || bytes <= *available) return;
    auto size = [](double b) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.1f GB (%.1f GiB)", b / 1e9, b / 1073741824.0);
        return std::string(buf);
    };
    throw std::invalid_argument(what + " needs at least " + size(bytes) + " of memory; this machine has " + size(*available) +
                                " available. Choose a smaller size.");
}

} // namespace ql
