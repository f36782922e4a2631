// ggml reference quantizers: hand-worked blocks (expected values derived by hand in each row's comment
// from the reference's formulas, not by this code), rounding rules, partial and all-zero blocks,
// non-finite inputs, and the vectorised paths against the scalar reference on random data.
// tests/core/test_ggml_reference.cpp compares with ggml itself when its library has been fetched.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/cpu_features.h"
#include "core/ggml_blocks.h"
#include "core/ggml_quants.h"
#include "core/ggml_quants_detail.h"
#include "core/half.h"
#include "core/rng.h"

using ql::DType;
namespace gg = ql::ggml;

Q_DECLARE_METATYPE(ql::DType)
Q_DECLARE_METATYPE(std::vector<float>)

// The kinds of block data the vectorised searches are checked on (see block_data()).
enum class BlockData { Normal, HeavyTails, Constant, AllZero, Tiny, Mixed, Integers, Huge, Subnormal, Signs, NonFinite };
Q_DECLARE_METATYPE(BlockData)

namespace {

// Quantize then dequantize through the public row API.
std::vector<float> round_trip(DType t, const std::vector<float>& x) {
    const auto n = static_cast<std::int64_t>(x.size());
    std::vector<std::uint8_t> bytes(gg::bytes_for(t, n).value());
    gg::quantize_row_ref(t, x.data(), n, bytes.data());
    std::vector<float> y(x.size());
    const ql::Status st = gg::dequantize(t, bytes, n, y);
    if (!st) qWarning("%s", st.error().message().c_str());
    return y;
}

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Data of one kind in blocks256 blocks of 256 values (one K super-block, 8 IQ4_NL blocks), varied by
// sub-block of 32.

std::vector<float> block_data(BlockData kind, std::int64_t blocks256, std::uint64_t seed) {
    std::vector<float> x(static_cast<std::size_t>(blocks256 * 256));
    ql::Rng rng(seed);
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double z = rng.normal();
        const std::size_t sub = i / 32;  // a sub-block of 32
        switch (kind) {
        case BlockData::Normal: x[i] = static_cast<float>(2.0 * z); break;
        case BlockData::HeavyTails: x[i] = static_cast<float>(z * z * z * z * z); break;
        case BlockData::Constant: x[i] = sub % 3 == 0 ? -1.5f : sub % 3 == 1 ? 0.75f : static_cast<float>(z); break;
        case BlockData::AllZero: x[i] = sub % 2 == 0 ? 0.0f : static_cast<float>(z * 1e-3); break;
        case BlockData::Tiny: x[i] = static_cast<float>(z * (sub % 2 == 0 ? 1e-17 : 1e-30)); break;
        case BlockData::Integers: x[i] = static_cast<float>(std::round(4.0 * z)); break;  // ties in every rounding
        case BlockData::Mixed:  // all-positive, all-negative, one spike among zeros, normal
            x[i] = sub % 4 == 0 ? static_cast<float>(std::fabs(z) + 3.0)
                 : sub % 4 == 1 ? static_cast<float>(-std::fabs(z) * 0.01)
                 : sub % 4 == 2 ? (i % 32 == 7 ? 40.0f : 0.0f)
                                : static_cast<float>(z);
            break;
        case BlockData::Huge:  // fp16 scales that overflow (|x| near 1e9) now and then, large ones, ordinary ones
            x[i] = static_cast<float>(z * (sub % 64 == 40 ? 1e9 : sub % 3 == 1 ? 1e4 : 1.0));
            break;
        case BlockData::Subnormal: x[i] = static_cast<float>(z) * (sub % 2 == 0 ? 1e-39f : 1e-6f); break;  // float and fp16 subnormals
        case BlockData::Signs: {
            // zeros of both signs first, last or alone; +a and -a both the largest magnitude, either first
            const std::size_t j = i % 32;
            switch (sub % 6) {
            case 0: x[i] = j == 3 ? -0.0f : j < 10 ? 0.0f : static_cast<float>(std::fabs(z) + 1.0); break;  // min a zero
            case 1: x[i] = j == 0 ? -0.0f : j < 10 ? 0.0f : static_cast<float>(-std::fabs(z) - 1.0); break;  // max a zero
            case 2: x[i] = j % 2 == 0 ? -0.0f : 0.0f; break;                                                  // all zero, -0 first
            case 3: x[i] = j == 5 ? -3.0f : j == 9 ? 3.0f : static_cast<float>(z); break;                     // tie, - first
            case 4: x[i] = j == 5 ? 3.0f : j == 9 ? -3.0f : static_cast<float>(z); break;                     // tie, + first
            default: x[i] = j == 31 ? -0.0f : static_cast<float>(std::fabs(z)); break;
            }
            break;
        }
        case BlockData::NonFinite:  // a NaN, +Inf or -Inf in a few blocks
            x[i] = static_cast<float>(z);
            if (i % 4001 == 3000) x[i] = std::numeric_limits<float>::quiet_NaN();
            if (i % 6007 == 5000) x[i] = (i / 6007) % 2 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
            break;
        }
    }
    return x;
}

// Runs one vectorised path on the whole blocks of x and checks each block it did against the
// reference; returns the number of blocks it did (0: the path is not there).
template <class Block>
std::int64_t check_path(std::int64_t (*path)(const float*, std::int64_t, Block*), const std::vector<float>& x, int qk) {
    const std::int64_t nb = static_cast<std::int64_t>(x.size()) / qk;
    std::vector<Block> fast(static_cast<std::size_t>(nb));
    const std::int64_t done = path(x.data(), nb, fast.data());
    for (std::int64_t b = 0; b < done; ++b) {
        Block ref;
        gg::quantize_block_ref(x.data() + b * qk, ref);
        if (std::memcmp(&ref, &fast[static_cast<std::size_t>(b)], sizeof ref) != 0) {
            qWarning("block %lld differs from the reference", static_cast<long long>(b));
            return -1;
        }
    }
    return done;
}

// Level of code q in a block (the dequantizer's expression), for the bounds check.
float level(const gg::BlockQ8_0& b, int q) { return static_cast<float>(q) * ql::half_to_float(b.d); }
float level(const gg::BlockQ4_0& b, int q) { return static_cast<float>(q - 8) * ql::half_to_float(b.d); }
float level(const gg::BlockQ4_1& b, int q) { return static_cast<float>(q) * ql::half_to_float(b.d) + ql::half_to_float(b.m); }
float level(const gg::BlockQ5_0& b, int q) { return static_cast<float>(q - 16) * ql::half_to_float(b.d); }
std::pair<int, int> code_span(const gg::BlockQ8_0&) { return {-128, 127}; }
std::pair<int, int> code_span(const gg::BlockQ4_0&) { return {0, 15}; }
std::pair<int, int> code_span(const gg::BlockQ4_1&) { return {0, 15}; }
std::pair<int, int> code_span(const gg::BlockQ5_0&) { return {0, 31}; }

bool is_finite_block(const float* x, int qk) {
    for (int j = 0; j < qk; ++j)
        if (!std::isfinite(x[j])) return false;
    return true;
}

// Runs a path that can give the analysis' bounds (Q8_0, Q4_0, Q4_1, Q5_0) on the whole blocks of x, with
// and without them, and checks every block it did against the reference, and the bounds against the
// reference's blocks dequantized and measured value by value. Returns the blocks done (-1: a mismatch).
template <class Block>
std::int64_t check_bounds_path(std::int64_t (*path)(const float*, std::int64_t, Block*, gg::BlockBoundsArgs*), const std::vector<float>& x) {
    constexpr int qk = 32;
    const std::int64_t nb = static_cast<std::int64_t>(x.size()) / qk;
    std::vector<Block> plain(static_cast<std::size_t>(nb)), bounded(plain.size());
    std::vector<std::uint32_t> clipped(plain.size(), 12345);
    gg::BlockBoundsArgs bb;
    bb.clipped = clipped.data();
    bb.lo = std::numeric_limits<float>::infinity();
    bb.hi = -bb.lo;
    bb.err = 0.0f;
    const std::int64_t done_plain = path(x.data(), nb, plain.data(), nullptr);
    const std::int64_t done = path(x.data(), nb, bounded.data(), &bb);
    if (done % 16 != 0 || done_plain % 16 != 0 || done > done_plain) {
        qWarning("blocks done: %lld without bounds, %lld with", static_cast<long long>(done_plain), static_cast<long long>(done));
        return -1;
    }
    // a path stops only at 16 blocks holding a non-finite value, or (with bounds) a non-finite fp16 scale
    if (done_plain < nb - nb % 16) {
        bool stop = false;
        for (std::int64_t b = done_plain; b < done_plain + 16; ++b) stop = stop || !is_finite_block(x.data() + b * qk, qk);
        if (!stop) {
            qWarning("the path stopped at block %lld without a reason", static_cast<long long>(done_plain));
            return -1;
        }
    }
    float lo = std::numeric_limits<float>::infinity(), hi = -lo, err = 0.0f;
    float y[qk];
    for (std::int64_t b = 0; b < done_plain; ++b) {
        Block ref;
        gg::quantize_block_ref(x.data() + b * qk, ref);
        if (std::memcmp(&ref, &plain[static_cast<std::size_t>(b)], sizeof ref) != 0 ||
            (b < done && std::memcmp(&ref, &bounded[static_cast<std::size_t>(b)], sizeof ref) != 0)) {
            qWarning("block %lld differs from the reference", static_cast<long long>(b));
            return -1;
        }
        if (b >= done) continue;
        gg::dequantize_block(ref, y);
        const auto [qmin, qmax] = code_span(ref);
        std::vector<float> levels;
        for (int q = qmin; q <= qmax; ++q) levels.push_back(level(ref, q));
        std::sort(levels.begin(), levels.end());
        const float l0 = levels[0], l1 = levels[1], m1 = levels[levels.size() - 2], m0 = levels.back();
        const bool flat = l0 == m0;
        const float reach_lo = flat ? -std::numeric_limits<float>::infinity() : l0 - (l1 - l0) * 0.5f;
        const float reach_hi = flat ? std::numeric_limits<float>::infinity() : m0 + (m0 - m1) * 0.5f;
        std::uint32_t c = 0;
        for (int j = 0; j < qk; ++j) {
            const float v = x[static_cast<std::size_t>(b * qk + j)];
            lo = std::min(lo, y[j]);
            hi = std::max(hi, y[j]);
            err = std::max(err, std::fabs(y[j] - v));
            c += (v < reach_lo || v > reach_hi) ? 1u : 0u;
        }
        if (clipped[static_cast<std::size_t>(b)] != c) {
            qWarning("block %lld: %u clipped, expected %u", static_cast<long long>(b), clipped[static_cast<std::size_t>(b)], c);
            return -1;
        }
    }
    if (done > 0 && !(same_bits(lo, bb.lo) || (lo == 0.0f && bb.lo == 0.0f))) {
        qWarning("lo %g, expected %g", static_cast<double>(bb.lo), static_cast<double>(lo));
        return -1;
    }
    if (done > 0 && !(same_bits(hi, bb.hi) || (hi == 0.0f && bb.hi == 0.0f))) {
        qWarning("hi %g, expected %g", static_cast<double>(bb.hi), static_cast<double>(hi));
        return -1;
    }
    if (!same_bits(err, bb.err)) {
        qWarning("err %g, expected %g", static_cast<double>(bb.err), static_cast<double>(err));
        return -1;
    }
    return done_plain;
}

} // namespace

// The level of code q of sub-block j of a searched format's block (the dequantizer's expression), the
// code range and the values per sub-block.
float klevel(const gg::BlockQ4_K& b, int j, int q) {
    std::uint8_t sc, m;
    gg::scale_min_k4(j, b.scales, sc, m);
    return ql::half_to_float(b.d) * static_cast<float>(sc) * static_cast<float>(q) - ql::half_to_float(b.dmin) * static_cast<float>(m);
}
float klevel(const gg::BlockQ6_K& b, int j, int q) { return ql::half_to_float(b.d) * static_cast<float>(b.scales[j]) * static_cast<float>(q - 32); }
float klevel(const gg::BlockIQ4_NL& b, int, int q) { return ql::half_to_float(b.d) * static_cast<float>(gg::iq4nl_value(q)); }
float klevel(const gg::BlockQ5_K& b, int j, int q) {
    std::uint8_t sc, m;
    gg::scale_min_k4(j, b.scales, sc, m);
    return ql::half_to_float(b.d) * static_cast<float>(sc) * static_cast<float>(q) - ql::half_to_float(b.dmin) * static_cast<float>(m);
}
float klevel(const gg::BlockQ2_K& b, int j, int q) {
    return ql::half_to_float(b.d) * static_cast<float>(b.scales[j] & 0xF) * static_cast<float>(q) -
           ql::half_to_float(b.dmin) * static_cast<float>(b.scales[j] >> 4);
}
float klevel(const gg::BlockQ3_K& b, int j, int q) {
    return ql::half_to_float(b.d) * static_cast<float>(gg::q3k_scale(b.scales, j)) * static_cast<float>(q - 4);
}
float klevel(const gg::BlockIQ4_XS& b, int j, int q) {
    const int ls = ((b.scales_l[j / 2] >> (4 * (j % 2))) & 0xF) | (((b.scales_h >> (2 * j)) & 3) << 4);
    return ql::half_to_float(b.d) * static_cast<float>(ls - 32) * static_cast<float>(gg::iq4nl_value(q));
}
bool kscales_finite(const gg::BlockQ4_K& b) { return std::isfinite(ql::half_to_float(b.d)) && std::isfinite(ql::half_to_float(b.dmin)); }
bool kscales_finite(const gg::BlockQ5_K& b) { return std::isfinite(ql::half_to_float(b.d)) && std::isfinite(ql::half_to_float(b.dmin)); }
bool kscales_finite(const gg::BlockQ2_K& b) { return std::isfinite(ql::half_to_float(b.d)) && std::isfinite(ql::half_to_float(b.dmin)); }
bool kscales_finite(const gg::BlockQ3_K& b) { return std::isfinite(ql::half_to_float(b.d)); }
bool kscales_finite(const gg::BlockIQ4_XS& b) { return std::isfinite(ql::half_to_float(b.d)); }
bool kscales_finite(const gg::BlockQ6_K& b) { return std::isfinite(ql::half_to_float(b.d)); }
bool kscales_finite(const gg::BlockIQ4_NL& b) { return std::isfinite(ql::half_to_float(b.d)); }

// quantize_blocks_with_bounds for a searched format against the reference's blocks and figures worked
// out here from the dequantized values and each sub-block's sorted levels; returns the blocks it did, -1
// on a mismatch.
template <class Block, int QK, int Sub, int QMax, int Step>
std::int64_t check_searched_bounds(DType type, const std::vector<float>& x) {
    const std::int64_t nb = static_cast<std::int64_t>(x.size()) / QK;
    std::vector<Block> out(static_cast<std::size_t>(nb)), ref(out.size());
    std::vector<std::uint32_t> clipped(out.size(), 12345u);
    gg::BlockBoundsArgs bb;
    bb.clipped = clipped.data();
    bb.lo = std::numeric_limits<float>::infinity();
    bb.hi = -bb.lo;
    bb.err = 0.0f;
    const std::int64_t done = gg::quantize_blocks_with_bounds(type, x.data(), nb, reinterpret_cast<std::uint8_t*>(out.data()), bb);
    gg::quantize_row_ref(type, x.data(), nb * QK, reinterpret_cast<std::uint8_t*>(ref.data()));
    if (done < 0 || done > nb) return -1;
    float lo = std::numeric_limits<float>::infinity(), hi = -lo, err = 0.0f;
    float y[QK];
    for (std::int64_t b = 0; b < done; ++b) {
        const Block& r = ref[static_cast<std::size_t>(b)];
        if (std::memcmp(&r, &out[static_cast<std::size_t>(b)], sizeof r) != 0) {
            qWarning("block %lld differs from the reference", static_cast<long long>(b));
            return -1;
        }
        gg::dequantize_block(r, y);
        std::uint32_t c = 0;
        for (int j = 0; j < QK / Sub; ++j) {
            std::vector<float> levels;
            for (int q = 0; q <= QMax; ++q) levels.push_back(klevel(r, j, q));
            std::sort(levels.begin(), levels.end());
            const float l0 = levels[0], l1 = levels[1], m1 = levels[levels.size() - 2], m0 = levels.back();
            const bool flat = l0 == m0;
            const float reach_lo = flat ? -std::numeric_limits<float>::infinity() : l0 - (l1 - l0) * 0.5f;
            const float reach_hi = flat ? std::numeric_limits<float>::infinity() : m0 + (m0 - m1) * 0.5f;
            for (int k = j * Sub; k < (j + 1) * Sub; ++k) {
                const float v = x[static_cast<std::size_t>(b * QK + k)];
                lo = std::min(lo, y[k]);
                hi = std::max(hi, y[k]);
                err = std::max(err, std::fabs(y[k] - v));
                c += (v < reach_lo || v > reach_hi) ? 1u : 0u;
            }
        }
        if (clipped[static_cast<std::size_t>(b)] != c) {
            qWarning("block %lld: %u clipped, expected %u", static_cast<long long>(b), clipped[static_cast<std::size_t>(b)], c);
            return -1;
        }
    }
    // it stops only at a block getting a non-finite fp16 scale, or before a step (Step blocks) holding a
    // non-finite value, or in its last step
    if (done < nb - nb % Step) {
        bool reason = !kscales_finite(ref[static_cast<std::size_t>(done)]);
        for (std::int64_t b = done; b < done + Step; ++b) reason = reason || !is_finite_block(x.data() + b * QK, QK);
        if (!reason) {
            qWarning("the path stopped at block %lld without a reason", static_cast<long long>(done));
            return -1;
        }
    }
    if (done > 0 && !((same_bits(lo, bb.lo) || (lo == 0.0f && bb.lo == 0.0f)) && (same_bits(hi, bb.hi) || (hi == 0.0f && bb.hi == 0.0f)) &&
                      same_bits(err, bb.err))) {
        qWarning("figures %g %g %g, expected %g %g %g", static_cast<double>(bb.lo), static_cast<double>(bb.hi), static_cast<double>(bb.err),
                 static_cast<double>(lo), static_cast<double>(hi), static_cast<double>(err));
        return -1;
    }
    return done;
}

template <class B>
void checkFastDecode() {
    constexpr int nb = 4000;
    std::vector<B> blocks(nb);
    ql::Rng rng(23);
    auto* p = reinterpret_cast<std::uint8_t*>(blocks.data());
    for (std::size_t i = 0; i < sizeof(B) * nb; ++i) p[i] = static_cast<std::uint8_t>(rng.next_u64());
    std::vector<float> y(static_cast<std::size_t>(nb) * 256), yf(y.size());
    std::vector<std::int8_t> c(y.size()), cf(y.size());
    for (int k = 0; k < nb; ++k) {
        gg::dequantize_block(blocks[static_cast<std::size_t>(k)], y.data() + 256 * k);
        gg::block_codes(blocks[static_cast<std::size_t>(k)], c.data() + 256 * k);
    }
    if (!gg::dequantize_blocks_fast(blocks.data(), nb, yf.data(), cf.data())) QSKIP("no AVX-512 on this CPU");
    for (std::size_t i = 0; i < y.size(); ++i) QVERIFY2((std::isnan(y[i]) && std::isnan(yf[i])) || same_bits(y[i], yf[i]), "value differs");
    QVERIFY(c == cf);
    std::vector<float> yv(y.size());  // values alone
    QVERIFY(gg::dequantize_blocks_fast(blocks.data(), nb, yv.data(), nullptr));
    QVERIFY(std::memcmp(yv.data(), yf.data(), yv.size() * sizeof(float)) == 0);
}

// dequantize_block and block_codes of nb packed blocks.
template <class B>
void decode_blocks(const std::uint8_t* bytes, std::int64_t nb, float* y, std::int8_t* c) {
    for (std::int64_t k = 0; k < nb; ++k) {
        B blk;
        std::memcpy(&blk, bytes + k * static_cast<std::int64_t>(sizeof(B)), sizeof(B));
        gg::dequantize_block(blk, y + k * 32);
        gg::block_codes(blk, c + k * 32);
    }
}

class TestGgmlQuants : public QObject {
    Q_OBJECT
private slots:
    // ggml's nearest_int: 1.5 * 2^23 added and the mantissa read back: round half to even.
    void nearestInt_data() {
        QTest::addColumn<float>("v");
        QTest::addColumn<int>("expected");
        QTest::newRow("2.5 -> 2 (even)") << 2.5f << 2;
        QTest::newRow("3.5 -> 4 (even)") << 3.5f << 4;
        QTest::newRow("-2.5 -> -2") << -2.5f << -2;
        QTest::newRow("-0.5 -> 0") << -0.5f << 0;
        QTest::newRow("0.49999997 -> 0") << 0.49999997f << 0;
        QTest::newRow("14.6 -> 15") << 14.6f << 15;
        QTest::newRow("-31.51 -> -32") << -31.51f << -32;
        QTest::newRow("4194303 (limit)") << 4194303.0f << 4194303;
    }
    void nearestInt() {
        QFETCH(float, v);
        QFETCH(int, expected);
        QCOMPARE(gg::nearest_int(v), expected);
    }

    // Hand-worked blocks: x in, the dequantized values expected, with the reasoning per row.
    void handWorked_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<std::vector<float>>("x");
        QTest::addColumn<std::vector<float>>("expected");

        {   // Q4_0: the largest-magnitude value is -4, so d = -4 / -8 = 0.5 (exact in fp16), id = 2,
            // q = min(15, trunc(2x + 8.5)), y = (q - 8) * 0.5.
            //   -4 -> trunc(0.5) = 0 -> -4;  1.3 -> trunc(11.1) = 11 -> 1.5;
            //   0.25 -> trunc(9.0) = 9 -> 0.5 (a tie rounds up);  -0.25 -> trunc(8.0) = 8 -> 0 (up again);
            //   3.9 -> trunc(16.3) = 16 -> min 15 -> 3.5 (the grid -8..7 has one level less above 0);
            //   other values 0 -> trunc(8.5) = 8 -> 0.
            std::vector<float> x(32, 0.0f), y(32, 0.0f);
            x[0] = -4.0f;  y[0] = -4.0f;
            x[1] = 1.3f;   y[1] = 1.5f;
            x[2] = 0.25f;  y[2] = 0.5f;
            x[3] = -0.25f; y[3] = 0.0f;
            x[20] = 3.9f;  y[20] = 3.5f;
            QTest::newRow("Q4_0 block, max magnitude negative") << DType::GGML_Q4_0 << x << y;
            // With the largest magnitude +4 instead, d = 4 / -8 = -0.5: the sign flips so that +4 lands on
            // q = 0 -> (0 - 8) * -0.5 = 4, still exact; 1.3 -> trunc(-2.6 + 8.5) = 5 -> (5 - 8) * -0.5 = 1.5.
            std::vector<float> x2(32, 0.0f), y2(32, 0.0f);
            x2[0] = 4.0f; y2[0] = 4.0f;
            x2[1] = 1.3f; y2[1] = 1.5f;
            QTest::newRow("Q4_0 block, max magnitude positive") << DType::GGML_Q4_0 << x2 << y2;
        }
        {   // Q8_0: absmax 127 / 64 -> d = 1/64 (exact), id = 64, q = roundf(64 x): half away from zero.
            //   0.5/64 -> roundf(0.5) = 1;  -0.5/64 -> -1;  1.5/64 -> 2;  2.5/64 -> 3 (not 2 as rint would).
            std::vector<float> x(32, 0.0f), y(32, 0.0f);
            x[0] = 127.0f / 64; y[0] = 127.0f / 64;
            x[1] = 0.5f / 64;   y[1] = 1.0f / 64;
            x[2] = -0.5f / 64;  y[2] = -1.0f / 64;
            x[3] = 1.5f / 64;   y[3] = 2.0f / 64;
            x[4] = 2.5f / 64;   y[4] = 3.0f / 64;
            QTest::newRow("Q8_0 block, roundf ties away from zero") << DType::GGML_Q8_0 << x << y;
        }
        {   // Q4_1: min -1, max 14 -> d = 15 / 15 = 1, m = -1; q = min(15, trunc(x + 1 + 0.5)); y = q - 1.
            //   0.5 -> trunc(2.0) = 2 -> 1 (tie up);  13.2 -> trunc(14.7) = 14 -> 13.
            std::vector<float> x(32, 0.0f), y(32, 0.0f);
            x[0] = -1.0f; y[0] = -1.0f;
            x[1] = 14.0f; y[1] = 14.0f;
            x[2] = 0.5f;  y[2] = 1.0f;
            x[3] = 13.2f; y[3] = 13.0f;
            QTest::newRow("Q4_1 block") << DType::GGML_Q4_1 << x << y;
        }
        {   // Q5_0: largest magnitude -8 -> d = 0.5, id = 2, q = min(31, trunc(2x + 16.5)), y = (q - 16) * 0.5.
            //   7.9 -> trunc(32.3) = 32 -> 31 -> 7.5;  0.3 -> trunc(17.1) = 17 -> 0.5.
            std::vector<float> x(32, 0.0f), y(32, 0.0f);
            x[5] = -8.0f; y[5] = -8.0f;
            x[6] = 7.9f;  y[6] = 7.5f;
            x[30] = 0.3f; y[30] = 0.5f;
            QTest::newRow("Q5_0 block") << DType::GGML_Q5_0 << x << y;
        }
        {   // Q4_K super-block, sub-block j holds l * s_j for l = 0..15 (twice), s_j = 1, 1/2, 1/4, 1/8, 1, ...
            // Each sub-block lies exactly on its min-max grid (min 0, scale s_j), so make_qkx2_quants keeps
            // it (error 0 cannot be beaten). Max scale 1: the 6-bit scales are nearest_int(63 s_j) = 63, 32
            // (31.5 to even), 16 (15.75), 8 (7.875); d = fp16(1/63) = 1040 * 2^-16 = 0.0158691406; mins 0.
            // Requantizing with d * sc = 0.999755859375, 0.5078125, 0.25390625, 0.126953125 gives q = l
            // (l / (d sc / s_j) stays within 0.25 of l), so y = d * sc * l: the error is the 6-bit scale's.
            std::vector<float> x(256), y(256);
            const float s[4] = {1.0f, 0.5f, 0.25f, 0.125f};
            const float dsc[4] = {0.999755859375f, 0.5078125f, 0.25390625f, 0.126953125f};
            for (int j = 0; j < 8; ++j)
                for (int i = 0; i < 32; ++i) {
                    const int l = i % 16;
                    x[static_cast<std::size_t>(32 * j + i)] = static_cast<float>(l) * s[j % 4];
                    y[static_cast<std::size_t>(32 * j + i)] = dsc[j % 4] * static_cast<float>(l);
                }
            QTest::newRow("Q4_K super-block, scales 1, 1/2, 1/4, 1/8") << DType::GGML_Q4_K << x << y;
            // With mins: every sub-block holds l - 8 (min -8, scale 1). ls = 63, lm = nearest_int(63/8 * 8)
            // = 63; dmin = fp16(8/63) = 1040 * 2^-13 = 0.126953125, so dm = 63 dmin = 7.998046875 and
            // d * 63 = 0.999755859375. q = nearest_int((x + 7.998046875) / 0.999755859375) = l, and
            // y = 0.999755859375 l - 7.998046875: -8 -> -7.998046875, 7 -> 6.998291015625.
            std::vector<float> x2(256), y2(256);
            for (int i = 0; i < 256; ++i) {
                const int l = i % 16;
                x2[static_cast<std::size_t>(i)] = static_cast<float>(l - 8);
                y2[static_cast<std::size_t>(i)] = 0.999755859375f * static_cast<float>(l) - 7.998046875f;
            }
            QTest::newRow("Q4_K super-block with mins") << DType::GGML_Q4_K << x2 << y2;
        }
        {   // Q6_K super-block, every sub-block of 16 holds l for l = -16..-1 (largest magnitude -16).
            // make_qx_quants: iscale = -32 / -16 = 2, L = 2x clamps to -32..31; weights x^2; scale
            // sumlx / suml2 = 0.5 exactly (all l = 2x) and no trial scale does better, so every sub-block
            // scale is 0.5 (max_scale 0.5): iscale = -128 / 0.5 = -256, d = fp16(-1/256) = -2^-8 (exact),
            // sc = nearest_int(-256 * 0.5) = -128 ... but MIN(127, -128) keeps -128; d * sc = 0.5, q = 2x,
            // y = 0.5 * q = x exactly.
            std::vector<float> x(256), y(256);
            for (int i = 0; i < 256; ++i) x[static_cast<std::size_t>(i)] = y[static_cast<std::size_t>(i)] = static_cast<float>(i % 16 - 16);
            QTest::newRow("Q6_K super-block on its grid") << DType::GGML_Q6_K << x << y;
        }
        {   // IQ4_NL: x = 0.5 * kvalues_iq4nl (a block on the codebook, max magnitude -63.5). The first
            // guess d = -(-63.5) / -127 = -0.5 ... id = -2 maps x to -kvalues, whose nearest entries are not
            // all exact; the trial t = 0 (id = -127 / -63.5 = 2) maps x onto the codebook exactly and wins
            // (weighted fit sumqx / sumq2 = 0.5, error 0), so d = 0.5 and y = x.
            const int kv[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};
            std::vector<float> x(32), y(32);
            for (int i = 0; i < 32; ++i) x[static_cast<std::size_t>(i)] = y[static_cast<std::size_t>(i)] = 0.5f * static_cast<float>(kv[i % 16]);
            QTest::newRow("IQ4_NL block on the codebook") << DType::GGML_IQ4_NL << x << y;
        }
    }
    void handWorked() {
        QFETCH(DType, type);
        QFETCH(std::vector<float>, x);
        QFETCH(std::vector<float>, expected);
        const auto y = round_trip(type, x);
        for (std::size_t i = 0; i < x.size(); ++i)
            if (y[i] != expected[i])
                QFAIL(qPrintable(QString("value %1: x %2 -> %3, expected %4").arg(i).arg(x[i], 0, 'g', 9).arg(y[i], 0, 'g', 12)
                                     .arg(expected[i], 0, 'g', 12)));
    }

    // Every format: an all-zero block dequantizes to zeros; a partial block equals the zero-padded one;
    // NaN/Inf are quantized as 0 (documented rule) without disturbing their block's scale.
    void edgeCases_data() {
        QTest::addColumn<DType>("type");
        for (DType t : {DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0, DType::GGML_Q4_K,
                        DType::GGML_Q6_K, DType::GGML_IQ4_NL})
            QTest::newRow(ql::dtype_name(t).data()) << t;
    }
    void edgeCases() {
        QFETCH(DType, type);
        const int qk = gg::block_layout(type)->values;
        // all zero
        const auto z = round_trip(type, std::vector<float>(static_cast<std::size_t>(qk), 0.0f));
        for (float v : z) QCOMPARE(v, 0.0f);
        // partial: qk + 7 values == the first qk + 7 of the zero-padded 2 qk values
        ql::Rng rng(5);
        std::vector<float> part(static_cast<std::size_t>(qk + 7));
        for (auto& v : part) v = static_cast<float>(rng.normal());
        std::vector<float> padded(part);
        padded.resize(static_cast<std::size_t>(2 * qk), 0.0f);
        const auto yp = round_trip(type, part), yq = round_trip(type, padded);
        for (std::size_t i = 0; i < part.size(); ++i) QVERIFY(same_bits(yp[i], yq[i]));
        // non-finite -> quantized as 0
        std::vector<float> clean(static_cast<std::size_t>(qk));
        for (auto& v : clean) v = static_cast<float>(rng.normal());
        clean[3] = 0.0f;
        clean[5] = 0.0f;
        clean[6] = 0.0f;
        std::vector<float> dirty(clean);
        dirty[3] = std::numeric_limits<float>::quiet_NaN();
        dirty[5] = std::numeric_limits<float>::infinity();
        dirty[6] = -std::numeric_limits<float>::infinity();
        const auto yc = round_trip(type, clean), yd = round_trip(type, dirty);
        for (std::size_t i = 0; i < clean.size(); ++i) QVERIFY(same_bits(yc[i], yd[i]));
    }

    // The vectorised paths give the scalar reference's bytes (random data of several scales, with
    // all-zero and constant blocks and a partial tail).
    void fastMatchesReference_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<double>("scale");
        for (DType t : {DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_NL,
                        DType::GGML_IQ4_XS, DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0}) {
            for (double s : {1e-5, 0.02, 1.0, 1000.0}) {
                const QByteArray name = QByteArray(ql::dtype_name(t).data()) + " scale " + QByteArray::number(s);
                QTest::newRow(name.constData()) << t << s;
            }
        }
    }
    void fastMatchesReference() {
        QFETCH(DType, type);
        QFETCH(double, scale);
        const std::int64_t n = 256 * 97 + 13;
        std::vector<float> x(static_cast<std::size_t>(n));
        ql::Rng rng(11);
        for (std::int64_t i = 0; i < n; ++i) {
            const double z = rng.normal();
            x[static_cast<std::size_t>(i)] = (i / 256) % 7 == 3 ? 0.0f : (i / 256) % 7 == 5 ? static_cast<float>(scale)
                                                                                                : static_cast<float>(z * z * z * scale);
        }
        std::vector<std::uint8_t> a(gg::bytes_for(type, n).value(), 1), b(a.size(), 2);
        gg::quantize_row_ref(type, x.data(), n, a.data());
        gg::quantize_row(type, x.data(), n, b.data());
        QVERIFY(a == b);
    }

    // Each vectorised search (AVX2, AVX-512), called directly, gives the reference's bytes block for block.
    void pathsMatchReference_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<BlockData>("kind");
        const std::pair<BlockData, const char*> kinds[] = {{BlockData::Normal, "normal"},     {BlockData::HeavyTails, "heavy tails"},
                                                           {BlockData::Constant, "constant"}, {BlockData::AllZero, "all zero"},
                                                           {BlockData::Tiny, "tiny"},         {BlockData::Mixed, "mixed"},
                                                           {BlockData::Integers, "integers"}};
        const std::pair<BlockData, const char*> more[] = {{BlockData::Huge, "huge"}, {BlockData::Subnormal, "subnormal"},
                                                          {BlockData::Signs, "zero signs and ties"}};
        for (DType t : {DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_NL,
                        DType::GGML_IQ4_XS}) {
            for (const auto& [kind, name] : kinds) {
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
            for (const auto& [kind, name] : more) {  // (Q4_K on float subnormals: an infinite iscale)
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
        }
        for (DType t : {DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0}) {
            for (const auto& [kind, name] : kinds) {
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
            for (const auto& [kind, name] : more) {
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
        }
    }
    void pathsMatchReference() {
        QFETCH(DType, type);
        QFETCH(BlockData, kind);
        const std::int64_t blocks256 = 37;  // odd: the paths leave a remainder to the next one
        const std::vector<float> x = block_data(kind, blocks256, 17);
        const bool avx512 = gg::detail::ggml_quants_avx512_compiled() && ql::cpu_has_avx512();
        std::int64_t simd = 0, wide = 0;
        switch (type) {
        case DType::GGML_Q4_K:
            simd = check_path(gg::detail::quantize_q4_k_blocks_simd, x, gg::kQK_K);
            if (avx512) wide = check_path(gg::detail::quantize_q4_k_blocks_avx512, x, gg::kQK_K);
            break;
        case DType::GGML_Q2_K:
            simd = check_path(gg::detail::quantize_q2_k_blocks_simd, x, gg::kQK_K);
            if (avx512) wide = check_path(gg::detail::quantize_q2_k_blocks_avx512, x, gg::kQK_K);
            break;
        case DType::GGML_Q3_K:
            simd = check_path(gg::detail::quantize_q3_k_blocks_simd, x, gg::kQK_K);
            if (avx512) wide = check_path(gg::detail::quantize_q3_k_blocks_avx512, x, gg::kQK_K);
            break;
        case DType::GGML_Q5_K:
            simd = check_path(gg::detail::quantize_q5_k_blocks_simd, x, gg::kQK_K);
            if (avx512) wide = check_path(gg::detail::quantize_q5_k_blocks_avx512, x, gg::kQK_K);
            break;
        case DType::GGML_IQ4_XS:
            simd = check_path(gg::detail::quantize_iq4_xs_blocks_simd, x, gg::kQK_K);
            if (avx512) wide = check_path(gg::detail::quantize_iq4_xs_blocks_avx512, x, gg::kQK_K);
            break;
        case DType::GGML_Q6_K:
            simd = check_path(gg::detail::quantize_q6_k_blocks_simd, x, gg::kQK_K);
            if (avx512) wide = check_path(gg::detail::quantize_q6_k_blocks_avx512, x, gg::kQK_K);
            break;
        case DType::GGML_Q8_0:
            simd = check_path(gg::detail::quantize_q8_0_blocks_simd, x, gg::kQK8_0);
            if (avx512) wide = check_bounds_path(gg::detail::quantize_q8_0_blocks_avx512, x);
            break;
        case DType::GGML_Q4_0:
            simd = check_path(gg::detail::quantize_q4_0_blocks_simd, x, gg::kQK4_0);
            if (avx512) wide = check_bounds_path(gg::detail::quantize_q4_0_blocks_avx512, x);
            break;
        case DType::GGML_Q4_1:
            simd = check_path(gg::detail::quantize_q4_1_blocks_simd, x, gg::kQK4_1);
            if (avx512) wide = check_bounds_path(gg::detail::quantize_q4_1_blocks_avx512, x);
            break;
        case DType::GGML_Q5_0:
            simd = check_path(gg::detail::quantize_q5_0_blocks_simd, x, gg::kQK5_0);
            if (avx512) wide = check_bounds_path(gg::detail::quantize_q5_0_blocks_avx512, x);
            break;
        default:
            simd = check_path(gg::detail::quantize_iq4_nl_blocks_simd, x, gg::kQK4_NL);
            if (avx512) wide = check_path(gg::detail::quantize_iq4_nl_blocks_avx512, x, gg::kQK4_NL);
            break;
        }
        QVERIFY(simd >= 0);
        QVERIFY(wide >= 0);
        if (simd == 0 && wide == 0) QSKIP("no vectorised path in this build on this CPU");
    }

    // The AVX-512 path of Q8_0, Q4_0, Q4_1 and Q5_0 stops before 16 blocks holding a non-finite value; the
    // whole chain (AVX-512, AVX2, scalar) gives the reference's bytes on rows with non-finite values,
    // signed zeros, ties, overflowing and subnormal scales and a partial last block; and the analysis'
    // entry point agrees with the path it calls.
    void chainMatchesReference_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<BlockData>("kind");
        const std::pair<BlockData, const char*> kinds[] = {{BlockData::NonFinite, "non-finite"}, {BlockData::Signs, "zero signs and ties"},
                                                           {BlockData::Huge, "huge"},            {BlockData::Subnormal, "subnormal"},
                                                           {BlockData::Normal, "normal"},        {BlockData::AllZero, "all zero"}};
        for (DType t : {DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0})
            for (const auto& [kind, name] : kinds) {
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
    }
    void chainMatchesReference() {
        QFETCH(DType, type);
        QFETCH(BlockData, kind);
        std::vector<float> x = block_data(kind, 41, 23);
        const bool avx512 = gg::detail::ggml_quants_avx512_compiled() && ql::cpu_has_avx512();
        if (avx512) {
            std::int64_t wide = 0;
            switch (type) {
            case DType::GGML_Q8_0: wide = check_bounds_path(gg::detail::quantize_q8_0_blocks_avx512, x); break;
            case DType::GGML_Q4_0: wide = check_bounds_path(gg::detail::quantize_q4_0_blocks_avx512, x); break;
            case DType::GGML_Q4_1: wide = check_bounds_path(gg::detail::quantize_q4_1_blocks_avx512, x); break;
            default: wide = check_bounds_path(gg::detail::quantize_q5_0_blocks_avx512, x); break;
            }
            QVERIFY(wide >= 0);
            // the analysis' entry point: the same blocks and figures as the path
            const std::int64_t nb = static_cast<std::int64_t>(x.size()) / 32;
            std::vector<std::uint8_t> a(gg::bytes_for(type, nb * 32).value() + 2), b(a.size() - 2);
            std::vector<std::uint32_t> ca(static_cast<std::size_t>(nb)), cb(ca.size());
            gg::BlockBoundsArgs ba, bq;
            ba.clipped = ca.data();
            bq.clipped = cb.data();
            const std::int64_t da = gg::quantize_blocks_with_bounds(type, x.data(), nb, b.data(), ba);
            QVERIFY(da % 16 == 0 && da <= nb);
            std::vector<std::uint8_t> ref(b.size());
            gg::quantize_row_ref(type, x.data(), nb * 32, ref.data());
            const std::size_t bytes = static_cast<std::size_t>(da) * (b.size() / static_cast<std::size_t>(nb));
            QVERIFY(std::memcmp(ref.data(), b.data(), bytes) == 0);
            QCOMPARE(gg::quantize_blocks_with_bounds(type, x.data(), nb, a.data() + 1, bq), std::int64_t{0});  // misaligned: not taken
            // without storing the blocks: the same blocks' values, codes and clipped counts
            std::vector<float> y(static_cast<std::size_t>(nb) * 32), yr(y.size());
            std::vector<std::int8_t> c(y.size()), cr(y.size());
            std::vector<std::uint32_t> cd(ca.size());
            const std::int64_t dd = gg::quantize_blocks_decoded(type, x.data(), nb, y.data(), c.data(), cd.data());
            QCOMPARE(dd, da);
            switch (type) {
            case DType::GGML_Q8_0: decode_blocks<gg::BlockQ8_0>(ref.data(), dd, yr.data(), cr.data()); break;
            case DType::GGML_Q4_0: decode_blocks<gg::BlockQ4_0>(ref.data(), dd, yr.data(), cr.data()); break;
            case DType::GGML_Q4_1: decode_blocks<gg::BlockQ4_1>(ref.data(), dd, yr.data(), cr.data()); break;
            default: decode_blocks<gg::BlockQ5_0>(ref.data(), dd, yr.data(), cr.data()); break;
            }
            QVERIFY(std::memcmp(y.data(), yr.data(), static_cast<std::size_t>(dd) * 32 * sizeof(float)) == 0);
            QVERIFY(std::memcmp(c.data(), cr.data(), static_cast<std::size_t>(dd) * 32) == 0);
            for (std::int64_t k = 0; k < dd; ++k) QCOMPARE(cd[static_cast<std::size_t>(k)], ca[static_cast<std::size_t>(k)]);
            QCOMPARE(gg::quantize_blocks_decoded(type, x.data(), nb, y.data(), nullptr, cd.data()), dd);  // codes not wanted
            QVERIFY(std::memcmp(y.data(), yr.data(), static_cast<std::size_t>(dd) * 32 * sizeof(float)) == 0);
        }
        // a partial last block
        x.resize(x.size() - 19);
        const auto n = static_cast<std::int64_t>(x.size());
        std::vector<std::uint8_t> a(gg::bytes_for(type, n).value(), 1), b(a.size(), 2);
        gg::quantize_row_ref(type, x.data(), n, a.data());
        gg::quantize_row(type, x.data(), n, b.data());
        QVERIFY(a == b);
    }

    // The AVX-512 K-quant decoders give dequantize_block's floats and block_codes' codes, for blocks of
    // any bytes (every fp16 scale, every packed code); skips without AVX-512.
    void fastDecodeMatchesBlocks_data() {
        QTest::addColumn<DType>("type");
        for (DType t : {DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_XS})
            QTest::newRow(std::string(ql::dtype_name(t)).c_str()) << t;
    }
    void fastDecodeMatchesBlocks() {
        QFETCH(DType, type);
        switch (type) {
        case DType::GGML_Q2_K: checkFastDecode<gg::BlockQ2_K>(); break;
        case DType::GGML_Q3_K: checkFastDecode<gg::BlockQ3_K>(); break;
        case DType::GGML_Q4_K: checkFastDecode<gg::BlockQ4_K>(); break;
        case DType::GGML_Q5_K: checkFastDecode<gg::BlockQ5_K>(); break;
        case DType::GGML_Q6_K: checkFastDecode<gg::BlockQ6_K>(); break;
        case DType::GGML_IQ4_XS: checkFastDecode<gg::BlockIQ4_XS>(); break;
        default: QFAIL("no decoder for this type");
        }
    }

    // The searched formats quantized with their figures (the analysis' entry point): the reference's
    // blocks, and the figures of their dequantized values and sub-block grids.
    void searchedBoundsMatchReference_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<BlockData>("kind");
        const std::pair<BlockData, const char*> kinds[] = {
            {BlockData::Normal, "normal"}, {BlockData::HeavyTails, "heavy tails"}, {BlockData::Constant, "constant"},
            {BlockData::AllZero, "all zero"}, {BlockData::Tiny, "tiny"}, {BlockData::Mixed, "mixed"}, {BlockData::Integers, "integers"},
            {BlockData::Huge, "huge"}, {BlockData::Subnormal, "subnormal"}, {BlockData::Signs, "signs"}, {BlockData::NonFinite, "non-finite"}};
        for (DType t : {DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_NL,
                        DType::GGML_IQ4_XS})
            for (const auto& [kind, name] : kinds) {
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
    }
    void searchedBoundsMatchReference() {
        QFETCH(DType, type);
        QFETCH(BlockData, kind);
        if (!gg::has_bounds_path(type)) QSKIP("no AVX-512 on this CPU");
        const std::vector<float> x = block_data(kind, 41, 29);
        std::int64_t done = 0;
        switch (type) {
        case DType::GGML_Q2_K: done = check_searched_bounds<gg::BlockQ2_K, 256, 16, 3, 2>(type, x); break;
        case DType::GGML_Q3_K: done = check_searched_bounds<gg::BlockQ3_K, 256, 16, 7, 4>(type, x); break;
        case DType::GGML_Q5_K: done = check_searched_bounds<gg::BlockQ5_K, 256, 32, 31, 4>(type, x); break;
        case DType::GGML_IQ4_XS: done = check_searched_bounds<gg::BlockIQ4_XS, 256, 32, 15, 4>(type, x); break;
        case DType::GGML_Q4_K: done = check_searched_bounds<gg::BlockQ4_K, 256, 32, 15, 4>(type, x); break;
        case DType::GGML_Q6_K: done = check_searched_bounds<gg::BlockQ6_K, 256, 16, 63, 2>(type, x); break;
        default: done = check_searched_bounds<gg::BlockIQ4_NL, 32, 32, 15, 32>(type, x); break;
        }
        QVERIFY(done >= 0);
        if (kind == BlockData::Normal) QVERIFY(done > 0);
    }

    // The searched formats' AVX-512 paths take any blocks and stop before a step holding an infinity or a
    // NaN (the caller leaves those to the scalar reference): the blocks they did are the reference's and
    // lie before the first non-finite value; on finite data they do every whole step; and the whole chain
    // (quantize_row) gives the reference's bytes, non-finite blocks included.
    void searchedPathsStopBeforeNonFinite_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<BlockData>("kind");
        for (DType t : {DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_NL,
                        DType::GGML_IQ4_XS})
            for (const auto& [kind, name] : {std::pair{BlockData::NonFinite, "non-finite"}, std::pair{BlockData::Normal, "normal"}}) {
                const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + name;
                QTest::newRow(row.constData()) << t << kind;
            }
    }
    void searchedPathsStopBeforeNonFinite() {
        QFETCH(DType, type);
        QFETCH(BlockData, kind);
        const std::vector<float> x = block_data(kind, 41, 31);
        const int qk = type == DType::GGML_IQ4_NL ? gg::kQK4_NL : gg::kQK_K;
        const std::int64_t whole = static_cast<std::int64_t>(x.size()) / qk;
        std::int64_t first_bad = whole;  // the block of the first non-finite value
        for (std::size_t i = 0; i < x.size() && first_bad == whole; ++i)
            if (!std::isfinite(x[i])) first_bad = static_cast<std::int64_t>(i) / qk;
        QCOMPARE(first_bad < whole, kind == BlockData::NonFinite);
        std::vector<std::uint8_t> a(gg::bytes_for(type, static_cast<std::int64_t>(x.size())).value(), 1), b(a.size(), 2);
        gg::quantize_row_ref(type, x.data(), static_cast<std::int64_t>(x.size()), a.data());
        gg::quantize_row(type, x.data(), static_cast<std::int64_t>(x.size()), b.data());
        QVERIFY(a == b);
        if (!(gg::detail::ggml_quants_avx512_compiled() && ql::cpu_has_avx512())) QSKIP("no AVX-512 on this CPU: the chain alone was checked");
        std::int64_t done = -1;
        switch (type) {
        case DType::GGML_Q2_K: done = check_path(gg::detail::quantize_q2_k_blocks_avx512, x, qk); break;
        case DType::GGML_Q3_K: done = check_path(gg::detail::quantize_q3_k_blocks_avx512, x, qk); break;
        case DType::GGML_Q4_K: done = check_path(gg::detail::quantize_q4_k_blocks_avx512, x, qk); break;
        case DType::GGML_Q5_K: done = check_path(gg::detail::quantize_q5_k_blocks_avx512, x, qk); break;
        case DType::GGML_Q6_K: done = check_path(gg::detail::quantize_q6_k_blocks_avx512, x, qk); break;
        case DType::GGML_IQ4_NL: done = check_path(gg::detail::quantize_iq4_nl_blocks_avx512, x, qk); break;
        default: done = check_path(gg::detail::quantize_iq4_xs_blocks_avx512, x, qk); break;
        }
        QVERIFY(done >= 0);
        QVERIFY2(done <= first_bad, qPrintable(QString("did %1 blocks, the first non-finite value is in block %2").arg(done).arg(first_bad)));
        constexpr std::int64_t kLargestStep = 32;  // IQ4_NL's two groups of 16 blocks; the K formats' steps are 2 or 4
        QVERIFY2(first_bad - done < kLargestStep, qPrintable(QString("stopped at block %1 of %2").arg(done).arg(first_bad)));
    }

    // A row the vector paths cannot take in whole steps (the layer simulation's 1000-wide rows, a few
    // blocks short of a step, a partial block, a non-finite value in the rest) gives the reference's
    // bytes: the rest goes to the vector path through a padded copy.
    void shortRestMatchesReference_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("nonfinite");
        for (DType t : {DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0, DType::GGML_Q2_K, DType::GGML_Q3_K,
                        DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_NL, DType::GGML_IQ4_XS})
            for (int count : {1000, 3 * 256, 5 * 256 + 17, 4 * 1024 + 1000, 1, 33 * 32 + 5})
                for (bool nonfinite : {false, true}) {
                    const QByteArray row = QByteArray(ql::dtype_name(t).data()) + " " + QByteArray::number(count) + (nonfinite ? " nan" : "");
                    QTest::newRow(row.constData()) << t << count << nonfinite;
                }
    }
    void shortRestMatchesReference() {
        QFETCH(DType, type);
        QFETCH(int, count);
        QFETCH(bool, nonfinite);
        std::vector<float> x = block_data(BlockData::Normal, (count + 255) / 256, 29);
        x.resize(static_cast<std::size_t>(count));
        if (nonfinite) {  // in the rest, past the whole steps
            x[static_cast<std::size_t>(count - 1)] = std::numeric_limits<float>::quiet_NaN();
            if (count > 40) x[static_cast<std::size_t>(count - 40)] = -std::numeric_limits<float>::infinity();
        }
        std::vector<std::uint8_t> a(gg::bytes_for(type, count).value(), 1), b(a.size(), 2);
        gg::quantize_row_ref(type, x.data(), count, a.data());
        gg::quantize_row(type, x.data(), count, b.data());
        QVERIFY(a == b);
    }

    void rejectsOtherTypes() {
        QVERIFY(!gg::can_quantize(DType::GGML_Q5_1));
        float x[32] = {};
        std::uint8_t out[64];
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, gg::quantize_row(DType::GGML_Q5_1, x, 32, out));
    }
};

QTEST_APPLESS_MAIN(TestGgmlQuants)
#include "test_ggml_quants.moc"
