// GGUF v2/v3: metadata of every value type, tensors in numpy order, plain and ggml block types with
// values known from the block definitions (ggml-common.h), and every rule broken once (truncation at
// every byte, counts and lengths beyond the file, nested arrays, alignment, overflow, overlaps ...).
#include <QtTest>

#include <algorithm>
#include <limits>

#include "core/model_file.h"
#include "loader_test_util.h"

using namespace qltest;

namespace {

enum : std::uint32_t { U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STR = 8, ARR = 9, U64 = 10, I64 = 11, F64 = 12 };
enum : std::uint32_t { T_F32 = 0, T_F16 = 1, T_Q4_0 = 2, T_Q4_1 = 3, T_Q5_0 = 6, T_Q5_1 = 7, T_Q8_0 = 8, T_Q4_K = 12, T_Q5_K = 13, T_Q6_K = 14,
                       T_Q8_K = 15, T_IQ2_XXS = 16, T_IQ4_XS = 23, T_BF16 = 30, T_TQ1_0 = 34, T_TQ2_0 = 35, T_MXFP4 = 39, T_NVFP4 = 40 };

struct TensorSpec {
    std::string name;
    std::vector<std::uint64_t> ne;  // GGUF order: ne[0] innermost
    std::uint32_t type;
    std::string data;
    std::int64_t offset = -1;       // -1: next aligned offset
};

// A GGUF file: header, the given key/value bytes (already encoded, count n_kv), tensor infos, data.
std::string gguf(const std::vector<TensorSpec>& ts, const std::string& kvs = "", std::uint64_t n_kv = 0, std::uint32_t version = 3,
                 std::uint64_t alignment = 32) {
    Bytes b;
    b.raw("GGUF").u32(version).u64(ts.size()).u64(n_kv).raw(kvs);
    std::uint64_t next = 0;
    std::vector<std::uint64_t> offs;
    for (const auto& t : ts) {
        const std::uint64_t off = t.offset >= 0 ? static_cast<std::uint64_t>(t.offset) : next;
        offs.push_back(off);
        next = std::max(next, (off + t.data.size() + alignment - 1) / alignment * alignment);
        b.gstr(t.name).u32(static_cast<std::uint32_t>(t.ne.size()));
        for (auto n : t.ne) b.u64(n);
        b.u32(t.type).u64(off);
    }
    b.pad_to(alignment);
    const std::size_t data_start = b.size();
    std::string data(next, '\0');
    for (std::size_t k = 0; k < ts.size(); ++k)
        if (offs[k] + ts[k].data.size() <= data.size()) data.replace(offs[k], ts[k].data.size(), ts[k].data);
    // trim to the end of the last tensor's data (padding after the last tensor is not required)
    std::size_t end = 0;
    for (std::size_t k = 0; k < ts.size(); ++k) end = std::max<std::size_t>(end, offs[k] + ts[k].data.size());
    data.resize(std::min(end, data.size()));
    (void)data_start;
    return b.b + data;
}

std::string kv_u32(const std::string& k, std::uint32_t v) { return Bytes().gstr(k).u32(U32).u32(v).b; }
std::string kv_str(const std::string& k, const std::string& v) { return Bytes().gstr(k).u32(STR).gstr(v).b; }

std::string metadata_value(const ql::ModelFile& f, const std::string& key) {
    for (const auto& kv : f.metadata())
        if (kv.first == key) return kv.second;
    return "<absent>";
}

// Block builders (layouts from ggml-common.h)
std::string q8_0(std::uint16_t d_half, const std::vector<std::int8_t>& q) {  // 32 values
    Bytes b;
    b.u16(d_half);
    for (auto v : q) b.le(v);
    return b.b;
}

} // namespace

class TestGguf : public QObject {
    Q_OBJECT
private slots:
    void metadataOfEveryType() {
        std::string kvs;
        kvs += Bytes().gstr("general.architecture").u32(STR).gstr("llama").b;
        kvs += Bytes().gstr("k.u8").u32(U8).u8(200).b;
        kvs += Bytes().gstr("k.i8").u32(I8).le<std::int8_t>(-5).b;
        kvs += Bytes().gstr("k.u16").u32(U16).u16(60000).b;
        kvs += Bytes().gstr("k.i16").u32(I16).le<std::int16_t>(-30000).b;
        kvs += Bytes().gstr("k.u32").u32(U32).u32(4000000000u).b;
        kvs += Bytes().gstr("k.i32").u32(I32).i32(-2000000000).b;
        kvs += Bytes().gstr("k.f32").u32(F32).f32(0.5f).b;
        kvs += Bytes().gstr("k.bool").u32(BOOL).u8(1).b;
        kvs += Bytes().gstr("k.u64").u32(U64).u64(1ULL << 40).b;
        kvs += Bytes().gstr("k.i64").u32(I64).le<std::int64_t>(-7).b;
        kvs += Bytes().gstr("k.f64").u32(F64).le<double>(0.25).b;
        kvs += Bytes().gstr("k.arr").u32(ARR).u32(I32).u64(3).i32(1).i32(-2).i32(3).b;
        Bytes toks;
        toks.gstr("tokenizer.ggml.tokens").u32(ARR).u32(STR).u64(10);
        for (int k = 0; k < 10; ++k) toks.gstr("t" + std::to_string(k));
        kvs += toks.b;
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.gguf", gguf({{"w", {2}, T_F32, pack<float>({1, 2})}}, kvs, 14));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        const auto& m = **f;
        QCOMPARE(m.format(), std::string("gguf"));
        QCOMPARE(metadata_value(m, "general.architecture"), std::string("llama"));
        QCOMPARE(metadata_value(m, "gguf.version"), std::string("3"));
        QCOMPARE(metadata_value(m, "k.u8"), std::string("200"));
        QCOMPARE(metadata_value(m, "k.i8"), std::string("-5"));
        QCOMPARE(metadata_value(m, "k.u16"), std::string("60000"));
        QCOMPARE(metadata_value(m, "k.i16"), std::string("-30000"));
        QCOMPARE(metadata_value(m, "k.u32"), std::string("4000000000"));
        QCOMPARE(metadata_value(m, "k.i32"), std::string("-2000000000"));
        QCOMPARE(metadata_value(m, "k.f32"), std::string("0.5"));
        QCOMPARE(metadata_value(m, "k.bool"), std::string("true"));
        QCOMPARE(metadata_value(m, "k.u64"), std::string("1099511627776"));
        QCOMPARE(metadata_value(m, "k.i64"), std::string("-7"));
        QCOMPARE(metadata_value(m, "k.f64"), std::string("0.25"));
        QCOMPARE(metadata_value(m, "k.arr"), std::string("[3 x INT32] 1, -2, 3"));
        QCOMPARE(metadata_value(m, "tokenizer.ggml.tokens"), std::string("[10 x STRING] t0, t1, t2, t3, t4, t5, t6, t7, ..."));
        QCOMPARE(metadata_value(m, "gguf.alignment"), std::string("32"));
    }

    // Values known from the definitions: plain types bit for bit; ggml blocks built by hand.
    void tensorTypes_data() {
        QTest::addColumn<quint32>("type");
        QTest::addColumn<std::vector<std::int64_t>>("ne");  // GGUF order
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<std::vector<float>>("values");      // first values (C order of the numpy shape)
        QTest::addColumn<QString>("dtype");
        auto row = [](const char* name, std::uint32_t type, std::vector<std::int64_t> ne, const std::string& data, std::vector<float> v, const char* dt) {
            QTest::newRow(name) << type << ne << QByteArray(data.data(), static_cast<int>(data.size())) << v << QString(dt);
        };
        // F32 ne = [3, 2]: two rows of three; numpy shape [2, 3]
        row("F32 2x3", T_F32, {3, 2}, pack<float>({1, 2, 3, 4, 5, 6}), {1, 2, 3, 4, 5, 6}, "F32");
        row("F16", T_F16, {2}, pack<std::uint16_t>({0x3C00, 0xBC00}), {1, -1}, "F16");
        row("BF16", T_BF16, {2}, pack<std::uint16_t>({0x4000, 0xC080}), {2, -4}, "BF16");
        // Q8_0: d = fp16 0x3800 (0.5); x = d * q
        std::vector<std::int8_t> q(32);
        for (int j = 0; j < 32; ++j) q[static_cast<std::size_t>(j)] = static_cast<std::int8_t>(j - 16);
        std::vector<float> q8v(32);
        for (int j = 0; j < 32; ++j) q8v[static_cast<std::size_t>(j)] = 0.5f * static_cast<float>(j - 16);
        row("Q8_0", T_Q8_0, {32}, q8_0(0x3800, q), q8v, "Q8_0");
        // Q4_0: d = 2 (0x4000); x = d * (nibble - 8); qs[j] low nibble = value j, high = value j + 16
        {
            Bytes b;
            b.u16(0x4000);
            for (int j = 0; j < 16; ++j) b.u8(static_cast<std::uint8_t>((j & 0xF) | ((15 - j) << 4)));
            std::vector<float> v(32);
            for (int j = 0; j < 16; ++j) {
                v[static_cast<std::size_t>(j)] = 2.0f * static_cast<float>(j - 8);
                v[static_cast<std::size_t>(j + 16)] = 2.0f * static_cast<float>(15 - j - 8);
            }
            row("Q4_0", T_Q4_0, {32}, b.b, v, "Q4_0");
        }
        // Q4_1: d = 1, m = 0.5 (0x3800); x = d * nibble + m; all bytes 0x21: low 1 -> 1.5, high 2 -> 2.5
        {
            Bytes b;
            b.u16(0x3C00).u16(0x3800);
            for (int j = 0; j < 16; ++j) b.u8(0x21);
            std::vector<float> v(32, 1.5f);
            std::fill(v.begin() + 16, v.end(), 2.5f);
            row("Q4_1", T_Q4_1, {32}, b.b, v, "Q4_1");
        }
        // Q5_0: d = 1; 5th bit of value j at bit j of qh; x = d * (q - 16). qh = 0xFFFF0000: values
        // 16..31 get the high bit. qs = 0x00: values 0..15 -> 0 - 16, values 16..31 -> 16 - 16 = 0
        {
            Bytes b;
            b.u16(0x3C00).u32(0xFFFF0000u);
            for (int j = 0; j < 16; ++j) b.u8(0x00);
            std::vector<float> v(32, -16.0f);
            std::fill(v.begin() + 16, v.end(), 0.0f);
            row("Q5_0", T_Q5_0, {32}, b.b, v, "Q5_0");
        }
        // Q5_1: d = 1, m = -1 (0xBC00); qh all ones: x = (16 + nibble) - 1; qs 0x00 -> 15
        {
            Bytes b;
            b.u16(0x3C00).u16(0xBC00).u32(0xFFFFFFFFu);
            for (int j = 0; j < 16; ++j) b.u8(0x00);
            row("Q5_1", T_Q5_1, {32}, b.b, std::vector<float>(32, 15.0f), "Q5_1");
        }
        // Q4_K: d = 1, dmin = 0; 6-bit scales: bytes 0..3 = 1 (sub-blocks 0..3 scale 1), 4..7 = 0 (mins
        // 0), 8..11 = 0x01 (sub-blocks 4..7 scale 1, min 0); every qs byte 0x53: per 64 values the
        // first 32 take the low nibble (3), the next 32 the high nibble (5).
        {
            Bytes b;
            b.u16(0x3C00).u16(0x0000);
            for (int j = 0; j < 4; ++j) b.u8(1);
            for (int j = 0; j < 4; ++j) b.u8(0);
            for (int j = 0; j < 4; ++j) b.u8(0x01);
            for (int j = 0; j < 128; ++j) b.u8(0x53);
            std::vector<float> v(256);
            for (int j = 0; j < 256; ++j) v[static_cast<std::size_t>(j)] = (j % 64) < 32 ? 3.0f : 5.0f;
            row("Q4_K", T_Q4_K, {256}, b.b, v, "Q4_K");
        }
        // Q5_K: as Q4_K with every 5th bit set (qh 0xFF): +16
        {
            Bytes b;
            b.u16(0x3C00).u16(0x0000);
            for (int j = 0; j < 4; ++j) b.u8(1);
            for (int j = 0; j < 4; ++j) b.u8(0);
            for (int j = 0; j < 4; ++j) b.u8(0x01);
            for (int j = 0; j < 32; ++j) b.u8(0xFF);
            for (int j = 0; j < 128; ++j) b.u8(0x53);
            std::vector<float> v(256);
            for (int j = 0; j < 256; ++j) v[static_cast<std::size_t>(j)] = (j % 64) < 32 ? 19.0f : 21.0f;
            row("Q5_K", T_Q5_K, {256}, b.b, v, "Q5_K");
        }
        // Q6_K: ql, qh zero -> q = 0 - 32; scales 2; d = 0.25 (0x3400): x = 0.25 * 2 * -32 = -16
        {
            Bytes b;
            for (int j = 0; j < 128 + 64; ++j) b.u8(0);
            for (int j = 0; j < 16; ++j) b.u8(2);
            b.u16(0x3400);
            row("Q6_K", T_Q6_K, {256}, b.b, std::vector<float>(256, -16.0f), "Q6_K");
        }
        // IQ4_XS: d = 0.25 (0x3400); every scale ls = 36 (low nibbles 4, high bits 2: scales_h 0xAAAA),
        // so x = 0.25 * 4 * kvalues_iq4nl[q]; every qs byte 0xF0: per 32 values the first 16 take q 0
        // (-127), the next 16 q 15 (113).
        {
            Bytes b;
            b.u16(0x3400).u16(0xAAAA);
            for (int j = 0; j < 4; ++j) b.u8(0x44);
            for (int j = 0; j < 128; ++j) b.u8(0xF0);
            std::vector<float> v(256);
            for (int j = 0; j < 256; ++j) v[static_cast<std::size_t>(j)] = (j % 32) < 16 ? -127.0f : 113.0f;
            row("IQ4_XS", T_IQ4_XS, {256}, b.b, v, "IQ4_XS");
        }
        // MXFP4, two blocks of 32 (a row of 64): e = 128 (X = 2) and e = 125 (X = 1/4); qs bytes 0x9F:
        // values j < 16 code 15 (-6), values j >= 16 code 9 (-0.5).
        {
            Bytes b;
            for (std::uint8_t e : {std::uint8_t(128), std::uint8_t(125)}) {
                b.u8(e);
                for (int j = 0; j < 16; ++j) b.u8(0x9F);
            }
            std::vector<float> v(64);
            for (int j = 0; j < 64; ++j) v[static_cast<std::size_t>(j)] = ((j % 32) < 16 ? -6.0f : -0.5f) * (j < 32 ? 2.0f : 0.25f);
            row("MXFP4", T_MXFP4, {64}, b.b, v, "MXFP4");
        }
        // NVFP4 (llama.cpp, one block of 64): UE4M3 scales 0x38 (1), 0x40 (2), 0x30 (0.5), 0x00 (0); every qs
        // byte 0x9F: per 16 values the first 8 take code 15 (-6), the next 8 code 9 (-0.5).
        {
            Bytes b;
            for (std::uint8_t d : {std::uint8_t(0x38), std::uint8_t(0x40), std::uint8_t(0x30), std::uint8_t(0x00)}) b.u8(d);
            for (int j = 0; j < 32; ++j) b.u8(0x9F);
            const float scale[4] = {1.0f, 2.0f, 0.5f, 0.0f};
            std::vector<float> v(64);
            for (int j = 0; j < 64; ++j) v[static_cast<std::size_t>(j)] = ((j % 16) < 8 ? -6.0f : -0.5f) * scale[j / 16];
            row("NVFP4", T_NVFP4, {64}, b.b, v, "NVFP4");
        }
        // TQ2_0: every qs byte 0x24 (00 10 01 00: q 0, 1, 2, 0 for values m, m + 32, m + 64, m + 96), d = 2.
        {
            Bytes b;
            for (int j = 0; j < 64; ++j) b.u8(0x24);
            b.u16(0x4000);
            std::vector<float> v(256);
            const float t[4] = {-2.0f, 0.0f, 2.0f, -2.0f};
            for (int j = 0; j < 256; ++j) v[static_cast<std::size_t>(j)] = t[(j % 128) / 32];
            row("TQ2_0", T_TQ2_0, {256}, b.b, v, "TQ2_0");
        }
        // IQ2_XXS, d = 2: per 32 values codebook entries 0 (all level 8) and a word with scale 1 and no signs
        // but group 3's bits 0000011 (values 24, 25 negative; even count, no parity sign): (1/2 + 1) / 4 x 2 x 8.
        {
            Bytes b;
            b.u16(0x4000);
            for (int ib = 0; ib < 8; ++ib) {
                b.u16(0);
                b.u16(0);
                const std::uint32_t aux = 1u << 28 | 3u << 21;
                b.u16(static_cast<std::uint16_t>(aux & 0xFFFF));
                b.u16(static_cast<std::uint16_t>(aux >> 16));
            }
            std::vector<float> v(256, 6.0f);
            for (int ib = 0; ib < 8; ++ib) v[static_cast<std::size_t>(32 * ib + 24)] = v[static_cast<std::size_t>(32 * ib + 25)] = -6.0f;
            row("IQ2_XXS", T_IQ2_XXS, {256}, b.b, v, "IQ2_XXS");
        }
        // TQ1_0, d = 0.25: qs[0] = 255, whose five trits ((255 3^n mod 256) * 3) >> 8 are all 2 (+d: values
        // 0, 32, 64, 96, 128); every other byte 0, all trits 0 (-d).
        {
            Bytes b;
            b.u8(255);
            for (int j = 1; j < 52; ++j) b.u8(0);
            b.u16(0x3400);
            std::vector<float> v(256, -0.25f);
            for (int n = 0; n < 5; ++n) v[static_cast<std::size_t>(32 * n)] = 0.25f;
            row("TQ1_0", T_TQ1_0, {256}, b.b, v, "TQ1_0");
        }
    }
    void tensorTypes() {
        QFETCH(quint32, type);
        QFETCH(std::vector<std::int64_t>, ne);
        QFETCH(QByteArray, data);
        QFETCH(std::vector<float>, values);
        QFETCH(QString, dtype);
        QTemporaryDir dir;
        std::vector<std::uint64_t> une(ne.begin(), ne.end());
        auto f = open_bytes(dir, "m.gguf", gguf({{"x", une, type, data.toStdString()}}));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        const auto& ti = (*f)->tensors()[0];
        QCOMPARE(ti.shape, std::vector<std::int64_t>(ne.rbegin(), ne.rend()));
        QCOMPARE(QString::fromStdString(std::string(ql::dtype_name(ti.dtype))), dtype);
        QCOMPARE(ti.bytes, static_cast<std::uint64_t>(data.size()));
        auto t = (*f)->load("x");
        QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(message(t.error())));
        QCOMPARE(t->source_dtype, ti.dtype);  // an already-quantized tensor says so
        QCOMPARE(t->values, values);
    }

    // A large Q8_0 tensor (8192 blocks, decoded in parallel chunks) with a per-block pattern.
    void largeQ8_0() {
        const int rows = 1024, cols = 256;
        std::string data;
        for (int blk = 0; blk < rows * cols / 32; ++blk) {
            std::vector<std::int8_t> q(32);
            for (int j = 0; j < 32; ++j) q[static_cast<std::size_t>(j)] = static_cast<std::int8_t>((blk + j) % 100 - 50);
            data += q8_0(0x3C00, q);  // d = 1
        }
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.gguf", gguf({{"w", {static_cast<std::uint64_t>(cols), static_cast<std::uint64_t>(rows)}, T_Q8_0, data}}));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        auto t = (*f)->load("w");
        QVERIFY(t.ok());
        QCOMPARE(t->shape, (std::vector<std::int64_t>{rows, cols}));
        for (int i = 0; i < rows * cols; i += 997) {
            const int blk = i / 32, j = i % 32;
            QCOMPARE(t->values[static_cast<std::size_t>(i)], static_cast<float>((blk + j) % 100 - 50));
        }
    }

    void alignmentAndLayout() {
        const std::string kvs = kv_u32("general.alignment", 64) + kv_str("general.name", "tiny");
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.gguf", gguf({{"a", {4}, T_F32, pack<float>({1, 2, 3, 4})}, {"b", {2, 2}, T_F16, pack<std::uint16_t>({0x3C00, 0x4000, 0x4200, 0x4400})}},
                                                kvs, 2, 2, 64));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE(metadata_value(**f, "gguf.alignment"), std::string("64"));
        QCOMPARE(metadata_value(**f, "gguf.version"), std::string("2"));
        const auto& ts = (*f)->tensors();
        QCOMPARE(ts[0].offset % 64, std::uint64_t{0});
        QCOMPARE(ts[1].offset - ts[0].offset, std::uint64_t{64});
        auto b = (*f)->load("b");
        QVERIFY(b.ok());
        QCOMPARE(b->values, (std::vector<float>{1, 2, 3, 4}));
    }

    void typeWithoutDecoder() {
        QTemporaryDir dir;
        // Q8_K is ggml's intermediate type for dot products: a valid GGUF type that no model stores
        auto f = open_bytes(dir, "m.gguf", gguf({{"k", {256}, T_Q8_K, std::string(292, '\0')}}));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->tensors()[0].bytes, std::uint64_t{292});
        auto t = (*f)->load("k");
        QVERIFY(!t.ok());
        QVERIFY2(message(t.error()).contains("dequantization of Q8_K is not supported"), qPrintable(message(t.error())));
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<qint64>("at");
        auto row = [](const char* name, const std::string& f, const char* rule, qint64 at) {
            QTest::newRow(name) << QByteArray(f.data(), static_cast<int>(f.size())) << QString(rule) << at;
        };
        const std::vector<TensorSpec> one = {{"w", {2}, T_F32, pack<float>({1, 2})}};
        std::string bad_magic = gguf(one);
        bad_magic[3] = 'X';
        row("bad magic", bad_magic, "magic bytes 'GGUF' missing", 0);
        row("version 1", gguf(one, "", 0, 1), "GGUF version 1 is not supported", 4);
        row("version 4", gguf(one, "", 0, 4), "unsupported GGUF version 4", 4);
        row("big-endian", gguf(one, "", 0, 0x03000000u), "big-endian GGUF files are not supported", 4);
        row("tensor count beyond the file", Bytes().raw("GGUF").u32(3).u64(1ULL << 40).u64(0).b, "tensor count 1099511627776 cannot fit", 8);
        row("kv count beyond the file", Bytes().raw("GGUF").u32(3).u64(0).u64(~0ULL).b, "metadata count 18446744073709551615 cannot fit", 16);
        // key/value section starts at 24
        row("key length beyond the file", gguf(one, Bytes().u64(1ULL << 50).raw("k").b, 1), "metadata key length 1125899906842624 runs past the end", 24);
        row("string value beyond the file", gguf(one, Bytes().gstr("k").u32(STR).u64(1ULL << 62).b, 1), "runs past the end of the file", 24 + 8 + 1 + 4);
        row("array count beyond the file", gguf(one, Bytes().gstr("k").u32(ARR).u32(U32).u64(1ULL << 62).b, 1), "array 'k' of 4611686018427387904 UINT32 runs past the end",
            24 + 13 + 4);
        row("string in array beyond the file", gguf(one, Bytes().gstr("k").u32(ARR).u32(STR).u64(2).gstr("a").u64(1000).b, 1),
            "length 1000 runs past the end of the file", 24 + 13 + 4 + 8 + 9);
        {
            Bytes b;
            b.gstr("k").u32(ARR).u32(STR).u64(10);
            for (int k = 0; k < 9; ++k) b.gstr("a");
            b.u64(1000);
            row("10th string in array beyond the file", gguf(one, b.b, 1), "string 9 of array 'k' has length 1000", 24 + 13 + 12 + 81);
        }
        row("nested array", gguf(one, Bytes().gstr("k").u32(ARR).u32(ARR).u64(1).u32(U8).u64(0).b, 1), "nested arrays are not supported", 24 + 13);
        row("unknown value type", gguf(one, Bytes().gstr("k").u32(13).u32(0).b, 1), "unknown value type 13", 24 + 9);
        row("unknown array element type", gguf(one, Bytes().gstr("k").u32(ARR).u32(99).u64(0).b, 1), "unknown element type 99", 24 + 13);
        row("duplicate key", gguf(one, kv_str("k", "a") + kv_str("k", "b"), 2), "duplicate metadata key 'k'", 24 + 22);
        row("bool not 0 or 1", gguf(one, Bytes().gstr("k").u32(BOOL).u8(2).b, 1), "BOOL value of 'k' is 2", 24 + 13);
        row("alignment not a power of two", gguf(one, kv_u32("general.alignment", 48), 1), "general.alignment 48 is not a power of two", 24 + 25 + 4);
        row("alignment zero", gguf(one, kv_u32("general.alignment", 0), 1), "general.alignment 0 is not a power of two", 24 + 25 + 4);
        row("alignment of the wrong type", gguf(one, Bytes().gstr("general.alignment").u32(U64).u64(32).b, 1), "general.alignment must be a UINT32", 24 + 25);
        // tensor infos start at 24 when there are no key/values
        row("5 dimensions", gguf({{"w", {1, 1, 1, 1, 2}, T_F32, pack<float>({1, 2})}}), "has 5 dimensions (at most 4)", 24 + 9);
        row("dimension above 2^63", gguf({{"w", {1ULL << 63}, T_F32, ""}}), "is negative as int64", 24 + 13);
        row("shape product overflows", gguf({{"w", {1ULL << 32, 1ULL << 32}, T_F32, ""}}), "overflows 64 bits", 24 + 9);
        row("byte size overflows", gguf({{"w", {1ULL << 62}, 28 /* F64 */, ""}}), "byte size of 'w' overflows 64 bits", 24 + 9);
        row("unknown ggml type", gguf({{"w", {2}, 99, pack<float>({1, 2})}}), "unknown ggml type 99", 24 + 21);
        row("removed ggml type Q4_2", gguf({{"w", {32}, 4, std::string(20, '\0')}}), "unknown ggml type 4", 24 + 21);
        row("row not a whole number of blocks", gguf({{"w", {33}, T_Q8_0, std::string(34, '\0')}}), "ne[0] = 33 of 'w' is not a multiple of the Q8_0 block size 32", 24 + 9);
        row("misaligned offset", gguf({{"w", {2}, T_F32, pack<float>({1, 2}), 4}}), "data offset 4 of 'w' is not a multiple of the alignment 32", 24 + 25);
        row("data past the end", gguf({{"w", {2}, T_F32, pack<float>({1})}}), "runs past the end of the data section (4 bytes)", 24);
        row("overlapping tensors", gguf({{"a", {16}, T_F32, std::string(64, '\1')}, {"b", {2}, T_F32, pack<float>({1, 2}), 32}}),
            "data of 'b' at offset 32 overlaps 'a' which ends at 64", 24 + 33);
        row("duplicate tensor name", gguf({{"w", {2}, T_F32, pack<float>({1, 2})}, {"w", {2}, T_F32, pack<float>({1, 2})}}), "duplicate tensor name 'w'", 24 + 33);
        std::string no_data = Bytes().raw("GGUF").u32(3).u64(1).u64(0).gstr("w").u32(1).u64(2).u32(T_F32).u64(0).b;
        row("data section past the end", no_data, "data section would start at 64, past the end of the file (57 bytes)", 57);
    }
    void malformed() {
        QFETCH(QByteArray, file);
        QFETCH(QString, rule);
        QFETCH(qint64, at);
        QTemporaryDir dir;
        auto f = open_bytes(dir, "bad.gguf", file.toStdString());
        QVERIFY(!f.ok());
        const QString m = message(f.error());
        QVERIFY2(m.contains(rule), qPrintable(m));
        QVERIFY2(m.contains("bad.gguf: at byte "), qPrintable(m));
        QCOMPARE(static_cast<qint64>(f.error().offset), at);
    }

    void everyTruncation() {
        std::string kvs = kv_str("general.architecture", "llama") + kv_u32("general.alignment", 32) +
                          Bytes().gstr("arr").u32(ARR).u32(STR).u64(2).gstr("x").gstr("yz").b;
        const std::string f = gguf({{"a", {32}, T_Q8_0, std::string(34, '\2')}, {"b", {2, 1}, T_F16, pack<std::uint16_t>({1, 2})}}, kvs, 3);
        QTemporaryDir dir;
        QVERIFY(open_bytes(dir, "t.gguf", f).ok());
        for (std::size_t len = 0; len < f.size(); ++len) {
            auto r = open_bytes(dir, "t.gguf", f.substr(0, len));
            QVERIFY2(!r.ok(), qPrintable(QString("prefix of %1 bytes accepted").arg(len)));
        }
    }
};

QTEST_APPLESS_MAIN(TestGguf)
#include "test_gguf.moc"
