// What this CPU can run, asked once at run time: the AVX-512 kernels (files compiled with AVX-512
// enabled, chosen only when this answers true).
#pragma once

namespace ql {

// AVX-512 F, BW, VL and DQ (and POPCNT) on this CPU; false on other architectures and compilers, and
// when the environment sets QL_NO_AVX512 (to anything but 0): the test suite runs the other paths so.
bool cpu_has_avx512();

// AVX2 and POPCNT on this CPU (the AVX2 kernels); false on other architectures and compilers.
bool cpu_has_avx2();

} // namespace ql
