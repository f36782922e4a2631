// NF4 (bitsandbytes): the 16 NormalFloat values and the decision-tree thresholds (the fp32 midpoints),
// ties to the lower code, hand-worked blocks, block-size rules, all-zero and non-finite blocks, and
// double quantization with the signed 8-bit dynamic map. No bitsandbytes here to run: the expected values
// come from bitsandbytes' published table (functional.get_4bit_type("nf4"), dDequantizeNF4) and are
// worked by hand in each row.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/float_formats_math.h"
#include "core/format_kernels.h"
#include "core/format_quantizers.h"
#include "core/nf4.h"
#include "core/quantizer.h"
#include "core/rng.h"

namespace {

// Every entry of a 256-entry code map and every midpoint between neighbours, each with its two float
// neighbours: the values where the nearest-entry search must decide a tie or an edge.
template <class Map>
std::vector<float> map_probes(const Map& m) {
    std::vector<float> probes;
    for (int i = 0; i < 256; ++i) {
        const float e = m[static_cast<std::size_t>(i)];
        probes.insert(probes.end(), {e, std::nextafter(e, -2.0f), std::nextafter(e, 2.0f)});
        if (i < 255) {
            const float mid = (e + m[static_cast<std::size_t>(i + 1)]) / 2.0f;
            probes.insert(probes.end(), {mid, std::nextafter(mid, -2.0f), std::nextafter(mid, 2.0f)});
        }
    }
    return probes;
}

} // namespace

class TestNf4 : public QObject {
    Q_OBJECT
private slots:
    void table_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<float>("value");
        const float v[16] = {-1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
                             -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
                             0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
                             0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f};
        for (int c = 0; c < 16; ++c) QTest::newRow(qPrintable(QString("code %1").arg(c))) << c << v[c];
    }
    void table() {
        QFETCH(int, code);
        QFETCH(float, value);
        QCOMPARE(ql::nf4_value(code), value);
        QCOMPARE(ql::nf4_code(value), code);  // every code value quantizes to itself
    }
    // The tree's thresholds: a value exactly on one takes the lower code, the next float up the upper.
    void ties() {
        const float t[15] = {-0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f,
                             -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
                             0.1202552504837513f, 0.2035212516784668f, 0.2920137718319893f, 0.3893125355243683f,
                             0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f};
        for (int k = 0; k < 15; ++k) {
            QCOMPARE(ql::nf4_code(t[k]), k);
            QCOMPARE(ql::nf4_code(std::nextafter(t[k], 2.0f)), k + 1);
            // each threshold is the midpoint of its neighbours to within float rounding
            QVERIFY(std::fabs(t[k] - (ql::nf4_value(k) + ql::nf4_value(k + 1)) / 2) < 1e-7f);
        }
        QCOMPARE(ql::nf4_code(std::numeric_limits<float>::quiet_NaN()), 0);  // no comparison holds
        QCOMPARE(ql::nf4_code(std::numeric_limits<float>::infinity()), 15);
        QCOMPARE(ql::nf4_code(-std::numeric_limits<float>::infinity()), 0);
    }

    // Block of 64 with absmax 2: x / 2 -> nearest NF4 value -> times 2.
    //   2 -> 1 -> 2;  -1 -> -0.5 -> code 2 (-0.525) -> -1.0501461;  0.3 -> 0.15 -> code 9 (0.1609) -> 0.3218604;
    //   0.05 -> 0.025 -> below 0.0398 -> code 7 (0) -> 0
    void handWorkedBlock() {
        ql::Tensor t("t", {64});
        t.values.assign(64, 0.0f);
        t.values[0] = 2.0f;
        t.values[1] = -1.0f;
        t.values[2] = 0.3f;
        t.values[3] = 0.05f;
        std::vector<std::int8_t> codes;
        ql::QuantParams p;
        const auto y = ql::quantize_nf4_ref(t, 64, &codes, &p);
        QCOMPARE(p.scales.at(0), 2.0f);
        QCOMPARE(y[0], 2.0f);
        QCOMPARE(int(codes[1]), 2);
        QCOMPARE(y[1], -0.5250730514526367f * 2.0f);
        QCOMPARE(int(codes[2]), 9);
        QCOMPARE(y[2], 0.16093020141124725f * 2.0f);
        QCOMPARE(int(codes[3]), 7);
        QCOMPARE(y[3], 0.0f);
    }
    // Blocks follow the flattened tensor, not rows: a 3 x 50 tensor with block 64 has blocks [0,64), [64,128), [128,150).
    void flattenedBlocks() {
        ql::Tensor t("t", {3, 50});
        for (int i = 0; i < 150; ++i) t.values[static_cast<std::size_t>(i)] = i < 64 ? 1.0f : (i < 128 ? 4.0f : 0.5f);
        ql::QuantParams p;
        (void)ql::quantize_nf4_ref(t, 64, nullptr, &p);
        QCOMPARE(p.scales.size(), std::size_t(3));
        QCOMPARE(p.scales[0], 1.0f);
        QCOMPARE(p.scales[1], 4.0f);
        QCOMPARE(p.scales[2], 0.5f);
    }
    // All-zero block: 1/0 = inf, 0 * inf = NaN -> code 0 -> -1 * 0 = -0 (as bitsandbytes computes it).
    void allZeroBlock() {
        ql::Tensor t("t", {64});
        std::vector<std::int8_t> codes;
        const auto y = ql::quantize_nf4_ref(t, 64, &codes, nullptr);
        for (int i = 0; i < 64; ++i) {
            QCOMPARE(y[static_cast<std::size_t>(i)], 0.0f);
            QCOMPARE(int(codes[static_cast<std::size_t>(i)]), 0);
        }
    }
    // Non-finite inputs: absmax over the finite values; NaN -> code 0 (-absmax), +Inf -> code 15 (+absmax).
    void nonFinite() {
        ql::Tensor t("t", {64});
        t.values.assign(64, 0.0f);
        t.values[0] = 0.5f;
        t.values[1] = std::numeric_limits<float>::quiet_NaN();
        t.values[2] = std::numeric_limits<float>::infinity();
        ql::QuantParams p;
        const auto y = ql::quantize_nf4_ref(t, 64, nullptr, &p);
        QCOMPARE(p.scales[0], 0.5f);
        QCOMPARE(y[1], -0.5f);
        QCOMPARE(y[2], 0.5f);
    }
    void blockSizes() {
        for (int bs : {32, 64, 128, 4096}) {
            ql::QuantConfig c;
            c.format = ql::Format::NF4;
            c.block_size = bs;
            QVERIFY(ql::validate(c, {4096}).empty());
        }
        for (int bs : {16, 48, 100, 8192}) {
            ql::QuantConfig c;
            c.format = ql::Format::NF4;
            c.block_size = bs;
            QVERIFY(!ql::validate(c, {4096}).empty());
        }
    }

    // create_dynamic_map(signed=True): 256 ascending values, 0 and 1 present, 127 negative values mirroring
    // 127 positive ones below 1, the smallest magnitude 1e-6 * 0.55 (the single mean of linspace(0.1, 1, 2)).
    void dynamicMap() {
        const auto& m = ql::bnb_dynamic_map_signed();
        QVERIFY(std::is_sorted(m.begin(), m.end()));
        QVERIFY(std::adjacent_find(m.begin(), m.end()) == m.end());
        QCOMPARE(m[255], 1.0f);
        int zero = -1, neg = 0;
        for (int i = 0; i < 256; ++i) {
            if (m[static_cast<std::size_t>(i)] == 0.0f) zero = i;
            if (m[static_cast<std::size_t>(i)] < 0.0f) ++neg;
        }
        QCOMPARE(zero, 127);
        QCOMPARE(neg, 127);
        for (int i = 0; i < 127; ++i) QCOMPARE(m[static_cast<std::size_t>(i)], -m[static_cast<std::size_t>(254 - i)]);
        QCOMPARE(m[128], 1e-06f * ((0.1f + 1.0f) / 2.0f));
        QVERIFY(m[0] > -1.0f && m[0] < -0.99f);  // the mean of the last two of 65 boundaries
        QCOMPARE(ql::bnb_dynamic_code(1.0f), 255);
        QCOMPARE(ql::bnb_dynamic_code(0.0f), 127);
        QCOMPARE(ql::bnb_dynamic_code(-1.0f), 0);
    }
    // Double quantization of two blocks with absmax 3 and 1: offset 2, the 256-block scale c = 1, values
    // +1 -> map 1.0 -> 3 exactly, -1 -> map[0] -> 2 + map[0] (the map has no -1).
    void doubleQuantHandWorked() {
        float offset = 0;
        std::vector<float> c2;
        const auto a = ql::nf4_double_quantize({3.0f, 1.0f}, &offset, &c2, nullptr);
        QCOMPARE(offset, 2.0f);
        QCOMPARE(c2.size(), std::size_t(1));
        QCOMPARE(c2[0], 1.0f);
        QCOMPARE(a[0], 3.0f);
        QCOMPARE(a[1], ql::bnb_dynamic_map_signed()[0] * 1.0f + 2.0f);
    }
    // Equal absmax everywhere: every value sits on the offset, so NF4 with double quantization equals NF4.
    void doubleQuantEqualBlocks() {
        ql::Tensor t("t", {8, 64});
        for (int r = 0; r < 8; ++r)
            for (int k = 0; k < 64; ++k) t.values[static_cast<std::size_t>(r * 64 + k)] = (k == r ? 1.5f : 0.01f * static_cast<float>(k - 30));
        const auto y1 = ql::quantize_nf4_ref(t, 64, nullptr, nullptr);
        const auto y2 = ql::quantize_nf4_dq_ref(t, 64, nullptr, nullptr);
        for (std::size_t i = 0; i < y1.size(); ++i) QCOMPARE(y2[i], y1[i]);
    }
    // The vectorised NF4 loop picks nf4_code's code for every threshold, the floats either side of it,
    // the code values, signed zeros, +-Inf and NaN (whole vectors and a scalar tail of 5).
    void kernelMatchesTree() {
        std::vector<float> x;
        for (int k = 0; k < 16; ++k) x.push_back(ql::nf4_value(k));
        for (int k = 1; k < 16; ++k) {
            // the midpoint threshold between codes k - 1 and k, found from the tree itself
            float lo = ql::nf4_value(k - 1), hi = ql::nf4_value(k);
            while (std::nextafter(lo, hi) < hi) {
                const float mid = lo + (hi - lo) * 0.5f;
                if (mid == lo || mid == hi) break;
                (ql::nf4_code(mid) < k ? lo : hi) = mid;
            }
            for (float v : {std::nextafter(lo, -2.0f), lo, hi, std::nextafter(hi, 2.0f)}) x.push_back(v);
        }
        for (float v : {0.0f, -0.0f, 2.0f, -2.0f, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                        std::numeric_limits<float>::quiet_NaN()})
            x.push_back(v);
        while (x.size() % 8 != 5) x.push_back(0.5f);
        std::vector<float> y(x.size());
        std::vector<std::int8_t> codes(x.size());
        ql::kernels::nf4_fake_quant(x.data(), static_cast<std::int64_t>(x.size()), 1.0f, 2.0f, y.data(), codes.data());
        for (std::size_t i = 0; i < x.size(); ++i) {
            QCOMPARE(int(codes[i]), ql::nf4_code(x[i]));
            QCOMPARE(y[i], ql::nf4_value(ql::nf4_code(x[i])) * 2.0f);
        }
    }
    // The blocked NF4 loop against the definition block by block: each block has its own inverse and
    // stored absmax (every other one 1.5 times its neighbour's, so a vector that takes a neighbouring
    // block's scale picks other codes), in whole blocks of whole vectors, block sizes that are not a
    // multiple of 16, and a short last block; with and without the codes.
    void blocksMatchTree_data() {
        QTest::addColumn<int>("block");
        QTest::addColumn<int>("n");
        QTest::newRow("blocks of 64") << 64 << 64 * 9;
        QTest::newRow("blocks of 16") << 16 << 16 * 11;
        QTest::newRow("blocks of 32, short last block") << 32 << 32 * 6 + 21;
        QTest::newRow("blocks of 48, short last block of 16") << 48 << 48 * 4 + 16;
        QTest::newRow("blocks of 40 (not whole vectors)") << 40 << 40 * 5 + 7;
    }
    void blocksMatchTree() {
        QFETCH(int, block);
        QFETCH(int, n);
        ql::Rng rng(11);
        std::vector<float> x(static_cast<std::size_t>(n));
        for (auto& v : x) v = static_cast<float>(rng.normal() * 0.6);
        const int blocks = (n + block - 1) / block;
        std::vector<float> invs, stored;
        for (int b = 0; b < blocks; ++b) {
            const float absmax = b % 2 == 0 ? 1.0f : 1.5f;
            invs.push_back(1.0f / absmax);
            stored.push_back(absmax);
        }
        std::vector<float> y(x.size()), y_only(x.size());
        std::vector<std::int8_t> codes(x.size());
        ql::kernels::nf4_fake_quant_blocks(x.data(), n, block, invs.data(), stored.data(), y.data(), codes.data());
        ql::kernels::nf4_fake_quant_blocks(x.data(), n, block, invs.data(), stored.data(), y_only.data(), nullptr);
        for (int i = 0; i < n; ++i) {
            const auto k = static_cast<std::size_t>(i), b = static_cast<std::size_t>(i / block);
            const int code = ql::nf4_code(x[k] * invs[b]);
            QCOMPARE(int(codes[k]), code);
            QCOMPARE(y[k], ql::nf4_value(code) * stored[b]);
            QCOMPARE(y_only[k], y[k]);
        }
    }
    // bnb_dynamic_code against a plain scan for the nearest entry (ties to the lower), on the entries,
    // their midpoints and the floats around both; and nf4_double_quantize (vectorised) against the
    // formula with that code, on absmax values that land on entries and midpoints.
    void dynamicCodeNearest() {
        const auto& m = ql::bnb_dynamic_map_signed();
        auto nearest = [&](float v) {
            int best = 0;
            for (int i = 1; i < 256; ++i)
                if (std::fabs(v - m[static_cast<std::size_t>(i)]) < std::fabs(v - m[static_cast<std::size_t>(best)])) best = i;
            return best;
        };
        std::vector<float> probes = map_probes(m);
        for (float v : probes) {
            const float c = std::clamp(v, -1.0f, 1.0f);
            QCOMPARE(ql::bnb_dynamic_code(c), nearest(c));
        }
        // absmax = offset + v * c with offset 1 and c 1 (exact for these v): three blocks of 256 and a tail
        std::vector<float> absmax;
        ql::Rng rng(5);
        for (float v : probes) absmax.push_back(1.0f + v);
        while (absmax.size() < 3 * 256 + 13) absmax.push_back(static_cast<float>(rng.uniform() * 2.0));
        float offset = 0;
        std::vector<float> c2;
        std::vector<std::uint8_t> codes;
        const auto got = ql::nf4_double_quantize(absmax, &offset, &c2, &codes);
        for (std::size_t k = 0; k < absmax.size(); ++k) {
            const float c = c2[k / 256];
            const float v = std::clamp((absmax[k] - offset) * (1.0f / c), -1.0f, 1.0f);
            const int code = ql::bnb_dynamic_code(v);
            QCOMPARE(int(codes[k]), code);
            QCOMPARE(got[k], m[static_cast<std::size_t>(code)] * c + offset);
        }
    }
    // nf4_double_quantize's vector loop lane for lane against the formula with bnb_dynamic_code: values
    // that reach it unchanged (offset 0 and c 1: each 256-value block starts with 1, -1, then pairs v, -v
    // whose running sum returns to 0 after each pair), on the map's entries, their midpoints (exact ties,
    // which go to the lower code) and the floats around both; counts with whole vectors, a tail, only a
    // tail, and enough blocks for the threads to share them.
    void doubleQuantTies_data() {
        QTest::addColumn<int>("count");
        QTest::newRow("one block") << 256;
        QTest::newRow("blocks and a tail") << 2 * 256 + 7;
        QTest::newRow("tail only") << 13;
        QTest::newRow("many blocks") << 80 * 256 + 34;
    }
    void doubleQuantTies() {
        QFETCH(int, count);
        const auto& m = ql::bnb_dynamic_map_signed();
        std::vector<float> probes = map_probes(m);
        std::vector<float> absmax;
        std::size_t next = 0;
        while (absmax.size() < static_cast<std::size_t>(count)) {
            if (absmax.size() % 256 == 0) {
                absmax.push_back(1.0f);
                absmax.push_back(-1.0f);
                continue;
            }
            const float v = std::clamp(probes[next++ % probes.size()], -1.0f, 1.0f);
            absmax.push_back(v);
            absmax.push_back(-v);
        }
        absmax.resize(static_cast<std::size_t>(count));
        if (count % 2) absmax.back() = 0.0f;  // the sum stays 0
        float offset = 1;
        std::vector<float> c2;
        std::vector<std::uint8_t> codes;
        const auto got = ql::nf4_double_quantize(absmax, &offset, &c2, &codes);
        QCOMPARE(offset, 0.0f);
        int ties = 0;
        for (std::size_t k = 0; k < absmax.size(); ++k) {
            QCOMPARE(c2[k / 256], 1.0f);
            const float v = absmax[k];
            const int code = ql::bnb_dynamic_code(v);
            if (code > 0 && code < 255 && std::fabs(v - m[static_cast<std::size_t>(code)]) == std::fabs(v - m[static_cast<std::size_t>(code + 1)]))
                ++ties;
            QCOMPARE(int(codes[k]), code);
            QCOMPARE(got[k], m[static_cast<std::size_t>(code)] * 1.0f + 0.0f);
        }
        if (count >= 256) QVERIFY(ties > 0);
    }
    // About 4.127 bits per weight at block 64.
    void doubleQuantStorage() {
        ql::Tensor t("t", {1024, 1024});
        for (std::size_t i = 0; i < t.values.size(); ++i) t.values[i] = static_cast<float>(i % 97) - 48.0f;
        ql::QuantConfig c;
        c.format = ql::Format::NF4_DQ;
        auto q = ql::make_quantizer(c);
        QVERIFY(q->prepare(t));
        QVERIFY(std::fabs(q->storage().bits_per_weight - 4.127) < 0.001);
    }
};

QTEST_APPLESS_MAIN(TestNf4)
#include "test_nf4.moc"
