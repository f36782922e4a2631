// .npy: round trips, every dtype from byte-built files, Fortran order, and malformed files (every
// truncation, bad magic/version/header/shape/size) each with a message naming file, offset and rule.
#include <QtTest>

#include <cstring>
#include <fstream>
#include <string>

#include "core/npy.h"

namespace {

// Builds a version-1.0 .npy file: magic, version, header (padded to 64 with a final '\n'), data.
std::string npy_bytes(const std::string& dict, const std::string& data, int major = 1) {
    std::string header = dict;
    const std::size_t prefix = major == 1 ? 10 : 12;
    while ((prefix + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(major);
    out += '\0';
    const std::size_t len = header.size();
    out += static_cast<char>(len & 0xFF);
    out += static_cast<char>((len >> 8) & 0xFF);
    if (major != 1) {
        out += static_cast<char>((len >> 16) & 0xFF);
        out += static_cast<char>((len >> 24) & 0xFF);
    }
    return out + header + data;
}

template <class T>
std::string raw(std::initializer_list<T> v, bool big_endian = false) {
    std::string s;
    for (T x : v) {
        char b[sizeof(T)];
        std::memcpy(b, &x, sizeof(T));
        if (big_endian) std::reverse(b, b + sizeof(T));
        s.append(b, sizeof(T));
    }
    return s;
}

ql::Result<ql::Tensor> parse(const std::string& bytes) {
    return ql::parse_npy(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "test.npy");
}

} // namespace

Q_DECLARE_METATYPE(std::vector<float>)
Q_DECLARE_METATYPE(std::vector<std::int64_t>)

class TestNpy : public QObject {
    Q_OBJECT
private slots:
    void dtypes_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<std::vector<float>>("values");
        auto row = [](const char* name, const std::string& dict, const std::string& data, std::vector<std::int64_t> shape,
                      std::vector<float> values, int major = 1) {
            const std::string f = npy_bytes(dict, data, major);
            QTest::newRow(name) << QByteArray(f.data(), static_cast<int>(f.size())) << shape << values;
        };
        row("<f4", "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", raw<float>({1.5f, -2.0f, 0.25f}), {3}, {1.5f, -2.0f, 0.25f});
        row(">f4 big-endian", "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", raw<float>({1.5f, -3.0f}, true), {2}, {1.5f, -3.0f});
        // fp16 0x3C00 = 1, 0xC000 = -2, 0x3555 = 0.333251953125, 0x7BFF = 65504
        row("<f2", "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", raw<std::uint16_t>({0x3C00, 0xC000, 0x3555, 0x7BFF}), {4},
            {1.0f, -2.0f, 0.333251953125f, 65504.0f});
        row("<f8", "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", raw<double>({0.1, -1e300}), {2},
            {0.1f, -std::numeric_limits<float>::infinity()});
        row("|i1", "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", raw<std::int8_t>({-128, 0, 127}), {3}, {-128, 0, 127});
        row("|u1", "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", raw<std::uint8_t>({0, 255}), {2}, {0, 255});
        row("|b1", "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", raw<std::uint8_t>({0, 1}), {2}, {0, 1});
        row("<i2", "{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }", raw<std::int16_t>({-32768, 1234}), {2}, {-32768, 1234});
        row(">i4", "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", raw<std::int32_t>({-5, 70000}, true), {2}, {-5, 70000});
        row("<u4", "{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }", raw<std::uint32_t>({4000000000u}), {1}, {4e9f});
        row("<i8", "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", raw<std::int64_t>({-7}), {1}, {-7});
        row("<u2", "{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }", raw<std::uint16_t>({65535}), {1}, {65535});
        row(">f2 big-endian", "{'descr': '>f2', 'fortran_order': False, 'shape': (2,), }", raw<std::uint16_t>({0x3C00, 0xC000}, true), {2}, {1.0f, -2.0f});
        row(">f8 big-endian", "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", raw<double>({0.5, -4.0}, true), {2}, {0.5f, -4.0f});
        row("=f4 native order", "{'descr': '=f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({2.5f}), {1}, {2.5f});
        row(">i2 big-endian", "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }", raw<std::int16_t>({-300, 5}, true), {2}, {-300, 5});
        row(">u2 big-endian", "{'descr': '>u2', 'fortran_order': False, 'shape': (1,), }", raw<std::uint16_t>({65000}, true), {1}, {65000});
        row("<i4", "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", raw<std::int32_t>({-2147483647 - 1, 9}), {2}, {-2147483648.0f, 9});
        row(">u4 big-endian", "{'descr': '>u4', 'fortran_order': False, 'shape': (1,), }", raw<std::uint32_t>({123456}, true), {1}, {123456});
        row(">i8 big-endian", "{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }", raw<std::int64_t>({-1099511627776LL}, true), {1}, {-1099511627776.0f});
        row("<u8", "{'descr': '<u8', 'fortran_order': False, 'shape': (1,), }", raw<std::uint64_t>({1ULL << 40}), {1}, {1099511627776.0f});
        row(">u8 big-endian", "{'descr': '>u8', 'fortran_order': False, 'shape': (1,), }", raw<std::uint64_t>({3}, true), {1}, {3});
        row("|b1 nonzero is True", "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", raw<std::uint8_t>({0, 2, 255}), {3}, {0, 1, 1});
        row("Python 2 long dims", "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }", raw<float>({1, 2}), {2}, {1, 2});
        row("scalar ()", "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", raw<float>({7.0f}), {}, {7.0f});
        row("keys in another order, double quotes", "{\"shape\": (2, 1), \"fortran_order\": False, \"descr\": \"<f4\"}",
            raw<float>({1, 2}), {2, 1}, {1, 2});
        // Fortran order: a 2x3 array [[1,2,3],[4,5,6]] is stored column by column
        row("fortran order 2x3", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", raw<float>({1, 4, 2, 5, 3, 6}), {2, 3},
            {1, 2, 3, 4, 5, 6});
        // 2x3x2 in Fortran order: element [i][j][k] is stored at i + 2*j + 6*k; value = 100i + 10j + k
        row("fortran order 2x3x2", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3, 2), }",
            raw<float>({0, 100, 10, 110, 20, 120, 1, 101, 11, 111, 21, 121}), {2, 3, 2},
            {0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121});
        row("fortran order big-endian f8", "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }", raw<double>({1, 3, 2, 4}, true), {2, 2},
            {1, 2, 3, 4});
        // 5 axes are folded into the first axis (Tensor holds up to 4): 2x1x1x1x3 -> 2x1x1x3
        row("5-D folded", "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 1, 1, 3), }", raw<float>({1, 2, 3, 4, 5, 6}), {2, 1, 1, 3},
            {1, 2, 3, 4, 5, 6});
        row("version 2.0", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({3}), {1}, {3}, 2);
        row("version 3.0", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({4}), {1}, {4}, 3);
        row("version 3.0 with whitespace and tabs", "{ 'descr' :\t'<f4' , 'fortran_order' : False , 'shape' : ( 1 , ) }", raw<float>({4}), {1}, {4}, 3);
        row("empty array", "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", "", {0, 4}, {});
    }
    void dtypes() {
        QFETCH(QByteArray, file);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(std::vector<float>, values);
        auto r = parse(file.toStdString());
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->shape, shape);
        QCOMPARE(r->values, values);
    }

    // Each row: the file, the rule's words, and the byte offset the error must name: `at` is a marker
    // inside the header dict (offset = header start + its position), or a fixed offset when >= 0.
    void malformed_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("offset");
        auto row = [](const char* name, const std::string& f, const char* msg, qint64 offset) {
            QTest::newRow(name) << QByteArray(f.data(), static_cast<int>(f.size())) << msg << offset;
        };
        // offset of `marker` (its last occurrence when last) inside a v1 header built from dict
        auto at = [](const std::string& dict, const std::string& marker, bool last = false) {
            const auto p = last ? dict.rfind(marker) : dict.find(marker);
            return static_cast<qint64>(10 + p);
        };
        const std::string ok_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        row("zero bytes", "", "too short", 0);
        row("bad magic", "\x93NUMPX" + npy_bytes(ok_dict, raw<float>({1, 2})).substr(6), "magic", 0);
        std::string v9 = npy_bytes(ok_dict, raw<float>({1, 2}));
        v9[6] = 9;
        row("version 9", v9, "unsupported .npy format version 9.0", 6);
        std::string v11 = npy_bytes(ok_dict, raw<float>({1, 2}));
        v11[7] = 1;
        row("version 1.1", v11, "unsupported .npy format version 1.1", 6);
        std::string v0 = npy_bytes(ok_dict, raw<float>({1, 2}));
        v0[6] = 0;
        row("version 0.0", v0, "unsupported .npy format version 0.0", 6);
        std::string longhdr = npy_bytes(ok_dict, raw<float>({1, 2}));
        longhdr[8] = static_cast<char>(0xFF);
        longhdr[9] = static_cast<char>(0xFF);
        row("header length past the end", longhdr, "runs past the end", 8);
        std::string v2huge = npy_bytes(ok_dict, raw<float>({1, 2}), 2);
        v2huge[11] = 0x7F;  // 2 GiB header claimed
        row("v2 header length above 1 MiB", v2huge, "exceeds the 1 MiB limit", 8);
        // ok_dict pads to a 128-byte prefix: the header ends at byte 128, the data starts there
        std::string nonl = npy_bytes(ok_dict, raw<float>({1, 2}));
        QCOMPARE(nonl.size(), std::size_t{128 + 8});
        nonl[127] = ' ';
        row("header without final newline", nonl, "must end with a newline", 128);
        std::string nonascii = npy_bytes(ok_dict, raw<float>({1, 2}));
        nonascii[126] = static_cast<char>(0xC3);
        row("non-ASCII in a v1 header", nonascii, "must be ASCII", 126);
        std::string badutf8 = npy_bytes(ok_dict, raw<float>({1, 2}), 3);
        badutf8[126] = static_cast<char>(0xC3);  // a lead byte followed by the final newline
        row("invalid UTF-8 in a v3 header", badutf8, "not valid UTF-8", 12);
        const std::string list = "['descr', '<f4']";
        row("not a dict", npy_bytes(list, raw<float>({1, 2})), "must be a Python dict", at(list, "["));
        const std::string noshape = "{'descr': '<f4', 'fortran_order': False}";
        row("missing shape", npy_bytes(noshape, raw<float>({1, 2})), "no 'shape'", at(noshape, "}"));
        const std::string nodescr = "{'fortran_order': False, 'shape': (2,), }";
        row("missing descr", npy_bytes(nodescr, raw<float>({1, 2})), "no 'descr'", at(nodescr, "}"));
        const std::string extra = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}";
        row("extra key", npy_bytes(extra, raw<float>({1, 2})), "unexpected key 'x'", at(extra, "'x'"));
        const std::string dup = "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}";
        row("duplicate key", npy_bytes(dup, raw<float>({1, 2})), "duplicate key 'descr'", at(dup, "'descr'", true));
        const std::string code = "{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,)}";
        row("code in header", npy_bytes(code, raw<float>({1, 2})), "'descr' must be a dtype string", at(code, "__import__"));
        const std::string neg = "{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}";
        row("negative dim", npy_bytes(neg, raw<float>({1, 2})), "negative dimension", at(neg, "-2"));
        std::string d33 = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
        for (int k = 0; k < 33; ++k) d33 += "1, ";
        d33 += ")}";
        row("33 dims", npy_bytes(d33, raw<float>({1})), "more than 32 dimensions", at(d33, "1, )"));
        const std::string huge = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}";
        row("shape product overflows", npy_bytes(huge, ""), "overflows 64 bits", at(huge, "(4294967296"));
        const std::string bytes_over = "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,)}";
        row("bytes overflow", npy_bytes(bytes_over, ""), "data size (shape x itemsize) overflows 64 bits", at(bytes_over, "(46"));
        const std::string bigdim = "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}";
        row("dim overflows int64", npy_bytes(bigdim, ""), "overflows 64 bits", at(bigdim, "9999"));
        row("claims more data than the file", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000,)}", raw<float>({1, 2})),
            "needs 4000000 data bytes, file has 8", 128);  // 10 + 61-byte dict + newline > 64: padded to 128
        row("trailing bytes", npy_bytes(ok_dict, raw<float>({1, 2, 3})), "needs 8 data bytes, file has 12", 128);
        const std::string structured = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}";
        row("structured dtype", npy_bytes(structured, raw<float>({1, 2})), "structured dtypes are not supported", at(structured, "[("));
        const std::string c8 = "{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}";
        row("unknown dtype", npy_bytes(c8, raw<float>({1, 2, 3, 4})), "unsupported dtype '<c8'", at(c8, "'<c8'"));
        const std::string pipe4 = "{'descr': '|f4', 'fortran_order': False, 'shape': (2,)}";
        row("| byte order on a 4-byte type", npy_bytes(pipe4, raw<float>({1, 2})), "unsupported dtype '|f4'", at(pipe4, "'|f4'"));
        const std::string nocomma = "{'descr': '<f4', 'fortran_order': False, 'shape': (2)}";
        row("1-tuple without comma", npy_bytes(nocomma, raw<float>({1, 2})), "needs a trailing comma", at(nocomma, ")}"));
        const std::string fo = "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}";
        row("fortran_order not bool", npy_bytes(fo, raw<float>({1, 2})), "True or False", at(fo, "0,"));
        const std::string esc = "{'descr': '<f\\x34', 'fortran_order': False, 'shape': (2,)}";
        row("escape in string", npy_bytes(esc, raw<float>({1, 2})), "escapes are not allowed", at(esc, "\\"));
        const std::string after = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x";
        row("text after the dict", npy_bytes(after, raw<float>({1, 2})), "unexpected text after the header dict", at(after, "x"));
        const std::string unterminated = "{'descr': '<f4";
        row("unterminated string", npy_bytes(unterminated, raw<float>({1, 2})), "unterminated string", 64);
    }
    void malformed() {
        QFETCH(QByteArray, file);
        QFETCH(QString, message);
        QFETCH(qint64, offset);
        auto r = parse(file.toStdString());
        QVERIFY(!r.ok());
        const QString m = QString::fromStdString(r.error().message());
        QVERIFY2(m.contains(message), qPrintable(m));
        QVERIFY2(m.startsWith("test.npy: "), qPrintable(m));
        QVERIFY2(r.error().has_offset, qPrintable(m));
        QCOMPARE(static_cast<qint64>(r.error().offset), offset);
    }

    // A valid file cut at every byte is refused with a message, never read out of bounds.
    void everyTruncation() {
        const std::string f = npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", raw<float>({1, 2, 3, 4, 5, 6}));
        for (std::size_t len = 0; len < f.size(); ++len) {
            auto r = parse(f.substr(0, len));
            QVERIFY2(!r.ok(), qPrintable(QString("truncated at %1 accepted").arg(len)));
            QVERIFY(!r.error().message().empty());
        }
        QVERIFY(parse(f).ok());
    }

    void roundTrip_data() {
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::newRow("1-D") << std::vector<std::int64_t>{5};
        QTest::newRow("2-D") << std::vector<std::int64_t>{3, 4};
        QTest::newRow("4-D") << std::vector<std::int64_t>{2, 3, 2, 2};
        QTest::newRow("scalar") << std::vector<std::int64_t>{};
    }
    void roundTrip() {
        QFETCH(std::vector<std::int64_t>, shape);
        ql::Tensor t("w", shape);
        for (std::size_t i = 0; i < t.values.size(); ++i) t.values[i] = 0.5f * static_cast<float>(i) - 1.0f;
        QTemporaryDir dir;
        const std::string path = dir.filePath("w.npy").toStdString();
        QVERIFY(ql::write_npy(path, t).ok());
        auto r = ql::read_npy(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->shape, shape);
        QCOMPARE(r->values, t.values);
        QCOMPARE(r->name, std::string("w"));
        // numpy's layout: the data starts on a 64-byte boundary
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        QCOMPARE(static_cast<std::size_t>(in.tellg()) % 64, (t.values.size() * 4) % 64);
        QVERIFY(!QFile::exists(dir.filePath("w.npy.tmp")));
    }

    void int8Codes() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("c.npy").toStdString();
        const std::int8_t codes[] = {-128, -1, 0, 127};
        QVERIFY(ql::write_npy_int8(path, {2, 2}, codes).ok());
        auto r = ql::read_npy(path);
        QVERIFY(r.ok());
        QCOMPARE(r->source_dtype, ql::DType::I8);
        QCOMPARE(r->values, (std::vector<float>{-128, -1, 0, 127}));
    }

    void filesystemErrors() {
        QTemporaryDir dir;
        auto missing = ql::read_npy(dir.filePath("none.npy").toStdString());
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.error().message()).contains("cannot open"));
        auto directory = ql::read_npy(dir.path().toStdString());
        QVERIFY(!directory.ok());
        QVERIFY(QString::fromStdString(directory.error().message()).contains("is a directory"));
        // writing into a missing directory fails cleanly and leaves nothing behind
        ql::Tensor t("w", {2});
        QVERIFY(!ql::write_npy(dir.filePath("no/such/dir/w.npy").toStdString(), t).ok());
    }
};

QTEST_APPLESS_MAIN(TestNpy)
#include "test_npy.moc"
