// How much memory this machine has free, and a check that a job's certain minimum fits in it before the
// job allocates: a layer the Speed tab or the calibration dock is asked for (up to 65536 x 65536 floats,
// 17 GB a matrix) would otherwise be mapped page by page until the kernel's out-of-memory killer ends the
// whole application, and the learner's session with it.
#pragma once

#include <optional>
#include <string>

namespace ql {

// Bytes the system can give a new allocation without swapping: MemAvailable of /proc/meminfo on Linux,
// else the physical memory (sysconf); nullopt where neither is known.
std::optional<double> available_memory_bytes();

// Throws std::invalid_argument "<what> needs at least 34.4 GB (32.0 GiB) of memory; this machine has
// 22.5 GB (20.9 GiB) available. Choose a smaller size." when bytes exceed the available memory
// (`available` when given, else available_memory_bytes(); nothing is checked when that is unknown).
void require_memory(double bytes, const std::string& what, std::optional<double> available = std::nullopt);

} // namespace ql
