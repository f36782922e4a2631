// The codebooks of ggml's "i-quants" below 4 bits. Each stored index picks a whole group of values from a
// fixed list (a lattice codebook): 8 values for IQ1_S, IQ1_M and the IQ2 formats, 4 for the IQ3 formats.
// Entries hold each value's level number, value j in bits [b j, b j + b): b = 2 for IQ1 (levels -1, 0, 1)
// and IQ2 (8, 25, 43), b = 3 for IQ3_XXS (4, 12, 20, 28, 36, 44, 52, 62) and IQ3_S (1, 3, ..., 15).
// Read out of ggml's own dequantizers by scripts/make-iq-grids.py; checked against them by
// tests/core/test_ggml_reference.cpp.
#pragma once

#include <bit>
#include <cstdint>

namespace ql::ggml {

extern const std::uint16_t kIq2xxsGrid[256];
extern const std::uint16_t kIq2xsGrid[512];
extern const std::uint16_t kIq2sGrid[1024];
extern const std::uint16_t kIq3xxsGrid[256];
extern const std::uint16_t kIq3sGrid[512];
extern const std::uint16_t kIq1sGrid[2048];

// The level of value j (0-7) of an IQ2 entry: 8, 25 or 43.
inline int iq2_grid_value(std::uint16_t entry, int j) {
    constexpr int kLevels[4] = {8, 25, 43, 0};
    return kLevels[(entry >> (2 * j)) & 3];
}
// The level of value j (0-3) of an IQ3_XXS entry: 4, 12, ..., 52, 62.
inline int iq3xxs_grid_value(std::uint16_t entry, int j) {
    constexpr int kLevels[8] = {4, 12, 20, 28, 36, 44, 52, 62};
    return kLevels[(entry >> (3 * j)) & 7];
}
// The level of value j (0-3) of an IQ3_S entry: 1, 3, ..., 15.
inline int iq3s_grid_value(std::uint16_t entry, int j) { return 2 * ((entry >> (3 * j)) & 7) + 1; }
// The level of value j (0-7) of an IQ1 entry: -1, 0 or 1.
inline int iq1_grid_value(std::uint16_t entry, int j) { return static_cast<int>((entry >> (2 * j)) & 3) - 1; }
// The 8 signs of an IQ2 / IQ3 group from its 7 stored bits: the eighth makes the count of minus signs even.
inline std::uint8_t iq_signs(unsigned seven) {
    seven &= 127u;
    return static_cast<std::uint8_t>(seven | ((static_cast<unsigned>(std::popcount(seven)) & 1u) << 7));
}

} // namespace ql::ggml
