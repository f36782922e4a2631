// AVX2 helpers shared by the translation units of core compiled with the project's own flags (never
// included by a file compiled for a wider instruction set: see the README's note on vector paths).
#pragma once

#if defined(__AVX2__)
#include <immintrin.h>

#include <algorithm>

namespace ql::simd::detail {

// The 8 lanes of the running minimum, maximum and largest error folded into the scalar ones.
inline void fold_lanes(__m256 vlo, __m256 vhi, __m256 verr, float& lo, float& hi, float& err) {
    alignas(32) float a[8], b[8], c[8];
    _mm256_store_ps(a, vlo);
    _mm256_store_ps(b, vhi);
    _mm256_store_ps(c, verr);
    for (int k = 0; k < 8; ++k) {
        lo = std::min(lo, a[k]);
        hi = std::max(hi, b[k]);
        err = std::max(err, c[k]);
    }
}

} // namespace ql::simd::detail
#endif
