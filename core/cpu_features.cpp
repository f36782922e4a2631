// Run-time CPU feature checks (core/cpu_features.h). Compiled with the project's default flags.
#include "core/cpu_features.h"

namespace ql {

bool cpu_has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                           __builtin_cpu_supports("popcnt");
    return ok;
#else
    return false;
#endif
}

} // namespace ql
