// Run-time CPU feature checks (core/cpu_features.h). Compiled with the project's default flags.
#include "core/cpu_features.h"

#include <cstdlib>
#include <cstring>

namespace ql {

bool cpu_has_avx512() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    // QL_NO_AVX512=1 takes the other paths on a CPU that has it, as a CPU without it would (tests)
    static const bool off = [] {
        const char* v = std::getenv("QL_NO_AVX512");
        return v != nullptr && std::strcmp(v, "") != 0 && std::strcmp(v, "0") != 0;
    }();
    static const bool ok = !off && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                           __builtin_cpu_supports("popcnt");
    return ok;
#else
    return false;
#endif
}

bool cpu_has_avx2() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    return ok;
#else
    return false;
#endif
}

} // namespace ql
