// .safetensors: every dtype from byte-built files (known values from the dtype definitions), metadata,
// sharded models, lazy opening of a 10 GB file, and every rule of the format broken once, each with a
// message naming the file, the byte offset and the rule.
#include <QtTest>

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <limits>

#include "core/model_file.h"
#include "loader_test_util.h"

using namespace qltest;

namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

std::string one(const std::string& dtype, const std::string& shape, std::size_t nbytes) {
    return "{\"t\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[0," + std::to_string(nbytes) + "]}}";
}

// Compares floats bit-for-bit where both are NaN-free, and NaN with NaN.
bool same(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
    return true;
}

long max_rss_kib() {
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private slots:
    void dtypes_data() {
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<std::vector<float>>("values");
        auto row = [](const char* dt, const std::string& data, std::vector<float> v) {
            QTest::newRow(dt) << QString(dt) << QByteArray(data.data(), static_cast<int>(data.size())) << v;
        };
        row("F32", pack<float>({1.5f, -2.0f, 1e-30f}), {1.5f, -2.0f, 1e-30f});
        // binary16: 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24 (smallest subnormal), 0x7C00 = inf
        row("F16", pack<std::uint16_t>({0x3C00, 0xC000, 0x0001, 0x7C00}), {1.0f, -2.0f, std::ldexp(1.0f, -24), kInf});
        // bfloat16 is the upper half of a float32: 0x3F80 = 1, 0xC040 = -3, 0x4049 = 3.140625
        row("BF16", pack<std::uint16_t>({0x3F80, 0xC040, 0x4049}), {1.0f, -3.0f, 3.140625f});
        row("F64", pack<double>({0.25, -1e10}), {0.25f, -1e10f});
        // E4M3FN: bias 7; 0x38 = 1, 0xB8 = -1, 0x7E = 1.75 * 2^8 = 448 (max), 0x01 = 1/8 * 2^-6 = 2^-9,
        // 0x7F = NaN (no infinities), 0x08 = 2^-6 (smallest normal)
        row("F8_E4M3", pack<std::uint8_t>({0x38, 0xB8, 0x7E, 0x01, 0x7F, 0x08}), {1.0f, -1.0f, 448.0f, std::ldexp(1.0f, -9), kNaN, std::ldexp(1.0f, -6)});
        // E5M2: bias 15; 0x3C = 1, 0x7B = 1.75 * 2^15 = 57344 (max), 0x7C = inf, 0x01 = 2^-16, 0xC0 = -2
        row("F8_E5M2", pack<std::uint8_t>({0x3C, 0x7B, 0x7C, 0x01, 0xC0}), {1.0f, 57344.0f, kInf, std::ldexp(1.0f, -16), -2.0f});
        row("I8", pack<std::int8_t>({-128, 0, 127}), {-128, 0, 127});
        row("U8", pack<std::uint8_t>({0, 200, 255}), {0, 200, 255});
        row("I16", pack<std::int16_t>({-32768, 32767}), {-32768, 32767});
        row("U16", pack<std::uint16_t>({65535, 1}), {65535, 1});
        row("I32", pack<std::int32_t>({-2000000000, 7}), {-2000000000.0f, 7});
        row("U32", pack<std::uint32_t>({4000000000u}), {4000000000.0f});
        row("I64", pack<std::int64_t>({-(1LL << 40)}), {-1099511627776.0f});
        row("U64", pack<std::uint64_t>({1ULL << 63}), {9223372036854775808.0f});
        row("BOOL", pack<std::uint8_t>({0, 1, 1}), {0, 1, 1});
    }
    void dtypes() {
        QFETCH(QString, dtype);
        QFETCH(QByteArray, data);
        QFETCH(std::vector<float>, values);
        QTemporaryDir dir;
        const std::string bytes = data.toStdString();
        const std::string shape = "[" + std::to_string(values.size()) + "]";
        auto f = open_bytes(dir, "m.safetensors", safetensors(one(dtype.toStdString(), shape, bytes.size()), bytes));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->format(), std::string("safetensors"));
        QCOMPARE((*f)->tensors().size(), std::size_t{1});
        const ql::TensorInfo& ti = (*f)->tensors()[0];
        QCOMPARE(QString::fromStdString(std::string(ql::dtype_name(ti.dtype))), dtype);
        QCOMPARE(ti.bytes, static_cast<std::uint64_t>(bytes.size()));
        auto t = (*f)->load("t");
        QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(message(t.error())));
        QVERIFY2(same(t->values, values), qPrintable(QString("first value %1").arg(t->values.empty() ? 0.0 : t->values[0])));
        QCOMPARE(t->source_dtype, ti.dtype);
    }

    void layoutAndMetadata() {
        // Header lists 'b' first but its data comes second; shapes are numpy order.
        const std::string header =
            "{\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,32]},"
            "\"__metadata__\":{\"format\":\"pt\",\"note\":\"hello\"},"
            "\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
            "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[32,32]}}   ";  // trailing spaces: allowed padding
        const std::string data = pack<std::uint16_t>({0x3C00, 0x4000, 0x4200, 0x4400}) + pack<float>({1, 2, 3, 4, 5, 6});
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.safetensors", safetensors(header, data));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        const auto& ts = (*f)->tensors();
        QCOMPARE(ts.size(), std::size_t{3});
        QCOMPARE(ts[0].name, std::string("a"));  // file order
        QCOMPARE(ts[1].name, std::string("b"));
        QCOMPARE(ts[1].shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(ts[1].offset, static_cast<std::uint64_t>(8 + header.size() + 8));
        QCOMPARE(ts[1].bytes, std::uint64_t{24});
        QCOMPARE(ts[1].numel(), std::int64_t{6});
        QCOMPARE(ts[2].numel(), std::int64_t{0});
        const auto& md = (*f)->metadata();
        QVERIFY(std::find(md.begin(), md.end(), std::make_pair(std::string("format"), std::string("pt"))) != md.end());
        QVERIFY(std::find(md.begin(), md.end(), std::make_pair(std::string("note"), std::string("hello"))) != md.end());
        auto a = (*f)->load("a");
        QVERIFY(a.ok());
        QCOMPARE(a->values, (std::vector<float>{1, 2, 3, 4}));
        auto b = (*f)->load("b");
        QVERIFY(b.ok());
        QCOMPARE(b->shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(b->values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
        auto e = (*f)->load("empty");
        QVERIFY(e.ok());
        QVERIFY(e->values.empty());
        auto none = (*f)->load("nope");
        QVERIFY(!none.ok());
        QVERIFY(message(none.error()).contains("no tensor named 'nope'"));
        const auto tot = ql::model_totals(**f);
        QCOMPARE(tot.params, std::int64_t{10});
        QCOMPARE(tot.bytes, std::uint64_t{32});
    }

    void emptyModel() {
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.safetensors", safetensors("{}", ""));
        QVERIFY(f.ok());
        QVERIFY((*f)->tensors().empty());
    }

    // Each row breaks one rule; `at` is the byte offset the error must name (-1: the offset of
    // `marker` inside the header, + 8).
    void malformed_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<qint64>("at");
        auto row = [](const char* name, const std::string& f, const char* rule, qint64 at) {
            QTest::newRow(name) << QByteArray(f.data(), static_cast<int>(f.size())) << QString(rule) << at;
        };
        auto hdr = [&](const char* name, const std::string& header, const std::string& data, const char* rule, const std::string& marker,
                       bool last = false) {
            const auto p = last ? header.rfind(marker) : header.find(marker);
            QVERIFY2(p != std::string::npos, name);
            row(name, safetensors(header, data), rule, static_cast<qint64>(8 + p));
        };
        const std::string f4x2 = pack<float>({1, 2});
        row("7 bytes", std::string(7, '\0'), "file too short for the 8-byte header length", 0);
        row("header length above 100 MB", Bytes().u64(100'000'001).raw("{}").b, "exceeds the format's limit of 100000000", 0);
        row("header length past the end", Bytes().u64(50).raw("{}").b, "runs past the end of the file", 0);
        row("header length 2^64-1", Bytes().u64(~0ULL).raw("{}").b, "exceeds the format's limit", 0);
        row("header not an object", safetensors("[1, 2]", ""), "must be a JSON object starting with '{'", 8);
        row("empty header", safetensors("", ""), "must be a JSON object starting with '{'", 8);
        hdr("invalid UTF-8", "{\"w\xff\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", f4x2, "invalid UTF-8", "\xff");
        hdr("overlong UTF-8", "{\"w\xc0\xaf\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", f4x2, "invalid UTF-8", "\xc0");
        hdr("invalid JSON", "{\"w\":{\"dtype\":\"F32\",,\"shape\":[2],\"data_offsets\":[0,8]}}", f4x2, "invalid JSON", ",\"shape");  // the second comma
        const std::string cut = "{\"w\":{\"dtype\":\"F32\"";
        row("truncated JSON", safetensors(cut, ""), "invalid JSON", static_cast<qint64>(8 + cut.size()));  // at the end of the text
        hdr("duplicate tensor name",
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f4x2,
            "duplicate key 'w'", "\"w\"", true);
        hdr("duplicate field in an entry", "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,8]}}", f4x2,
            "duplicate key 'dtype'", "\"dtype\"", true);
        hdr("entry not an object", "{\"w\":[1,2]}", "", "must be an object {dtype, shape, data_offsets}", "\"w\"");
        hdr("no dtype", "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", f4x2, "has no 'dtype'", "\"w\"");
        hdr("no shape", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", f4x2, "has no 'shape'", "\"w\"");
        hdr("no data_offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", f4x2, "has no 'data_offsets'", "\"w\"");
        hdr("unknown dtype", "{\"w\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", f4x2, "dtype 'C64' of 'w' is not supported", "\"w\"");
        hdr("negative dim", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", f4x2, "non-negative integers", "\"w\"");
        hdr("fractional dim", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", f4x2, "non-negative integers", "\"w\"");
        hdr("dim above 2^63", "{\"w\":{\"dtype\":\"F32\",\"shape\":[9223372036854775808],\"data_offsets\":[0,8]}}", f4x2, "below 2^63", "\"w\"");
        hdr("shape product overflows", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", f4x2,
            "overflows 64 bits", "\"w\"");
        hdr("byte size overflows", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}", f4x2,
            "(shape x dtype) overflows 64 bits", "\"w\"");
        hdr("offsets not integers", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,\"8\"]}}", f4x2, "must be [begin, end]", "\"w\"");
        hdr("three offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", f4x2, "must be [begin, end]", "\"w\"");
        hdr("end before begin", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", f4x2, "end before they begin", "\"w\"");
        hdr("size differs from shape x dtype", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", f4x2,
            "hold 8 bytes, shape [3] x F32 needs 12", "\"w\"");
        hdr("metadata value not a string", "{\"__metadata__\":{\"k\":1}}", "", "__metadata__ value of 'k' must be a string", "\"k\"");
        hdr("metadata not an object", "{\"__metadata__\":\"x\"}", "", "__metadata__ must be an object", "\"__metadata__\"");
        std::string deep = "{\"w\":";
        for (int k = 0; k < 100; ++k) deep += "[";
        for (int k = 0; k < 100; ++k) deep += "]";
        deep += "}";
        row("JSON nested 100 deep", safetensors(deep, ""), "nested deeper than 64 levels", 8);
        // Offsets: header of two tensors, positions in the data section (absolute = 8 + header + offset)
        const std::string gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        row("gap between tensors", safetensors(gap, pack<float>({1, 2, 3})), "gap of 4 bytes between 'a' (ends at 4) and 'b' (starts at 8)",
            static_cast<qint64>(8 + gap.size() + 4));
        const std::string overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        row("overlapping tensors", safetensors(overlap, pack<float>({1, 2, 3})), "data_offsets [4, 12) of 'b' overlap 'a' [0, 8)",
            static_cast<qint64>(8 + overlap.size() + 4));
        const std::string late = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        row("first tensor not at 0", safetensors(late, pack<float>({1, 2})), "starts at 4, not 0", static_cast<qint64>(8 + late.size()));
        const std::string ok1 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        row("trailing bytes after the data", safetensors(ok1, pack<float>({1, 2, 3})), "the file length must match exactly",
            static_cast<qint64>(8 + ok1.size() + 8));
        row("data cut short", safetensors(ok1, pack<float>({1})), "run past the end of the data section (4 bytes)",
            static_cast<qint64>(8 + ok1.size()));
    }
    void malformed() {
        QFETCH(QByteArray, file);
        QFETCH(QString, rule);
        QFETCH(qint64, at);
        QTemporaryDir dir;
        auto f = open_bytes(dir, "bad.safetensors", file.toStdString());
        QVERIFY(!f.ok());
        const QString m = message(f.error());
        QVERIFY2(m.contains(rule), qPrintable(m));
        QVERIFY2(m.contains("bad.safetensors: at byte "), qPrintable(m));
        QCOMPARE(static_cast<qint64>(f.error().offset), at);
    }

    // A valid two-tensor file cut at every byte: each prefix is refused with a message, none crashes.
    void everyTruncation() {
        const std::string header = "{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[4,8]}}";
        const std::string f = safetensors(header, pack<std::uint16_t>({0x3C00, 0x4000, 0x3F80, 0x4000}));
        QTemporaryDir dir;
        QVERIFY(open_bytes(dir, "t.safetensors", f).ok());
        for (std::size_t len = 0; len < f.size(); ++len) {
            auto r = open_bytes(dir, "t.safetensors", f.substr(0, len));
            QVERIFY2(!r.ok(), qPrintable(QString("prefix of %1 bytes accepted").arg(len)));
            QVERIFY(r.error().has_offset);
        }
    }

    void sharded() {
        QTemporaryDir dir;
        const std::string s1 = safetensors("{\"w1\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", pack<float>({1, 2}));
        const std::string s2 = safetensors("{\"__metadata__\":{\"format\":\"pt\"},\"w2\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]},"
                                           "\"w3\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}",
                                           pack<std::uint16_t>({0xC000}) + pack<float>({7}));
        QVERIFY(write_file(dir.filePath("model-00001-of-00002.safetensors").toStdString(), s1));
        QVERIFY(write_file(dir.filePath("model-00002-of-00002.safetensors").toStdString(), s2));
        const std::string index = R"({"metadata": {"total_size": 14}, "weight_map": {
            "w3": "model-00002-of-00002.safetensors", "w1": "model-00001-of-00002.safetensors",
            "w2": "model-00002-of-00002.safetensors"}})";
        auto f = open_bytes(dir, "model.safetensors.index.json", index);
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->format(), std::string("safetensors"));
        const auto& ts = (*f)->tensors();
        QCOMPARE(ts.size(), std::size_t{3});
        QCOMPARE(ts[0].name, std::string("w1"));  // shard order, then file order
        QVERIFY(QString::fromStdString(ts[0].file).endsWith("model-00001-of-00002.safetensors"));
        QVERIFY(QString::fromStdString(ts[2].file).endsWith("model-00002-of-00002.safetensors"));
        auto w2 = (*f)->load("w2");
        QVERIFY(w2.ok());
        QCOMPARE(w2->values, (std::vector<float>{-2}));
        auto w3 = (*f)->load("w3");
        QVERIFY(w3.ok());
        QCOMPARE(w3->values, (std::vector<float>{7}));
        const auto& md = (*f)->metadata();
        QVERIFY(std::find(md.begin(), md.end(), std::make_pair(std::string("index.total_size"), std::string("14"))) != md.end());
        QVERIFY(std::find(md.begin(), md.end(), std::make_pair(std::string("shards"), std::string("2"))) != md.end());
        // a directory holding the index opens the sharded model
        auto d = ql::open_model_file(dir.path().toStdString());
        QVERIFY2(d.ok(), d.ok() ? "" : qPrintable(message(d.error())));
        QCOMPARE((*d)->tensors().size(), std::size_t{3});
    }

    void badIndex_data() {
        QTest::addColumn<QString>("index");
        QTest::addColumn<QString>("rule");
        QTest::newRow("missing shard") << R"({"weight_map": {"w1": "nope.safetensors"}})" << "cannot open";
        QTest::newRow("tensor not in its shard") << R"({"weight_map": {"w1": "s1.safetensors", "zz": "s1.safetensors"}})" << "puts 'zz' in s1.safetensors, which does not hold it";
        QTest::newRow("shard holds an unlisted tensor") << R"({"weight_map": {"w1": "s2.safetensors"}})" << "which the index does not list";
        QTest::newRow("path outside the folder") << R"({"weight_map": {"w1": "../s1.safetensors"}})" << "points outside the model's folder";
        QTest::newRow("absolute path") << R"({"weight_map": {"w1": "/etc/passwd"}})" << "is an absolute path";
        QTest::newRow("no weight_map") << R"({"metadata": {}, "weight_map": 3})" << "must be an object with a \"weight_map\" object";
        QTest::newRow("duplicate key") << R"({"weight_map": {"w1": "s1.safetensors", "w1": "s1.safetensors"}})" << "duplicate key 'w1'";
        QTest::newRow("tensor listed for another shard") << R"({"weight_map": {"w1": "s1.safetensors", "w2": "s3.safetensors"}})" << "which the index does not list for this shard";
    }
    void badIndex() {
        QFETCH(QString, index);
        QFETCH(QString, rule);
        QTemporaryDir dir;
        QVERIFY(write_file(dir.filePath("s1.safetensors").toStdString(),
                           safetensors("{\"w1\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", pack<float>({1}))));
        QVERIFY(write_file(dir.filePath("s2.safetensors").toStdString(),
                           safetensors("{\"w1\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w9\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                                       pack<float>({1, 2}))));
        QVERIFY(write_file(dir.filePath("s3.safetensors").toStdString(),
                           safetensors("{\"w1\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w2\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                                       pack<float>({1, 2}))));
        auto f = open_bytes(dir, "model.safetensors.index.json", index.toStdString());
        QVERIFY(!f.ok());
        QVERIFY2(message(f.error()).contains(rule), qPrintable(message(f.error())));
    }

    // A 10 GB file (sparse: no disk used) opens from its header alone, and loading its small tensor
    // needs memory for that tensor only: peak memory grows by far less than the file's size.
    void tenGigabytesOpenLazily() {
        QTemporaryDir dir;
        const std::uint64_t big = 2'500'000'000;  // F32 values: 10^10 bytes
        const std::string header = "{\"big\":{\"dtype\":\"F32\",\"shape\":[50000,50000],\"data_offsets\":[0," + std::to_string(big * 4) +
                                   "]},\"small\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + std::to_string(big * 4) + "," +
                                   std::to_string(big * 4 + 16) + "]}}";
        const std::string path = dir.filePath("big.safetensors").toStdString();
        const std::string head = safetensors(header, "");
        QVERIFY(write_file(path, head));
        if (::truncate(path.c_str(), static_cast<off_t>(head.size() + big * 4 + 16)) != 0) QSKIP("the temporary folder cannot hold a sparse 10 GB file");
        const long before = max_rss_kib();
        auto f = ql::open_model_file(path);
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->tensors()[0].bytes, std::uint64_t{10'000'000'000});
        auto s = (*f)->load("small");
        QVERIFY(s.ok());
        QCOMPARE(s->values, (std::vector<float>{0, 0, 0, 0}));
        const long grown_mib = (max_rss_kib() - before) / 1024;
        QVERIFY2(grown_mib < 64, qPrintable(QString("peak memory grew by %1 MiB").arg(grown_mib)));
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
