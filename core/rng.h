// The project's own seeded random numbers (DESIGN rule 7): the same seed gives the same tensor on
// every machine and standard library. xoshiro256** seeded through splitmix64; transforms written here
// (no std::*_distribution, whose outputs differ between standard libraries).
#pragma once

#include <cmath>
#include <cstdint>

namespace ql {

class Rng {
public:
    explicit Rng(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& w : s_) w = splitmix64(x);
    }

    // xoshiro256** (Blackman & Vigna): 64 random bits.
    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform double in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    // Uniform double in (0, 1): never 0, safe for log().
    double uniform_open() { return (static_cast<double>(next_u64() >> 11) + 0.5) * 0x1.0p-53; }
    // Integer in [0, n) (n > 0), by multiply-shift on 64 bits; bias below 2^-32 for n < 2^32.
    std::uint64_t below(std::uint64_t n) {
        return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next_u64()) * n) >> 64);
    }

    // Standard normal by the Box-Muller transform in double: z = sqrt(-2 ln u1) cos(2 pi u2); the
    // second value of each pair, sqrt(-2 ln u1) sin(2 pi u2), is kept for the next call.
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        const std::uint64_t b1 = next_u64();
        const std::uint64_t b2 = next_u64();
        double z;
        normal_pair(b1, b2, z, spare_);
        has_spare_ = true;
        return z;
    }
    // The pair normal() makes of two successive next_u64() draws b1, b2: u1 = uniform_open()'s value of
    // b1, u2 = uniform()'s of b2; z0 = r cos(a) (returned first), z1 = r sin(a) (the spare).
    static void normal_pair(std::uint64_t b1, std::uint64_t b2, double& z0, double& z1) {
        const double u1 = (static_cast<double>(b1 >> 11) + 0.5) * 0x1.0p-53;
        const double u2 = static_cast<double>(b2 >> 11) * 0x1.0p-53;
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double a = 6.283185307179586476925286766559 * u2;
        z1 = r * std::sin(a);
        z0 = r * std::cos(a);
    }

    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
    double spare_ = 0;
    bool has_spare_ = false;
};

} // namespace ql
