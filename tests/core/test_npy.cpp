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
        row("scalar ()", "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", raw<float>({7.0f}), {}, {7.0f});
        row("keys in another order, double quotes", "{\"shape\": (2, 1), \"fortran_order\": False, \"descr\": \"<f4\"}",
            raw<float>({1, 2}), {2, 1}, {1, 2});
        // Fortran order: a 2x3 array [[1,2,3],[4,5,6]] is stored column by column
        row("fortran order 2x3", "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", raw<float>({1, 4, 2, 5, 3, 6}), {2, 3},
            {1, 2, 3, 4, 5, 6});
        row("version 2.0", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({3}), {1}, {3}, 2);
        row("version 3.0", "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", raw<float>({4}), {1}, {4}, 3);
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

    void malformed_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const std::string& f, const char* msg) {
            QTest::newRow(name) << QByteArray(f.data(), static_cast<int>(f.size())) << msg;
        };
        const std::string ok_dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        row("zero bytes", "", "too short");
        row("bad magic", "\x93NUMPX" + npy_bytes(ok_dict, raw<float>({1, 2})).substr(6), "magic");
        std::string v9 = npy_bytes(ok_dict, raw<float>({1, 2}));
        v9[6] = 9;
        row("version 9", v9, "unsupported .npy format version 9.0");
        std::string longhdr = npy_bytes(ok_dict, raw<float>({1, 2}));
        longhdr[8] = static_cast<char>(0xFF);
        longhdr[9] = static_cast<char>(0xFF);
        row("header length past the end", longhdr, "runs past the end");
        row("not a dict", npy_bytes("['descr', '<f4']", raw<float>({1, 2})), "must be a Python dict");
        row("missing shape", npy_bytes("{'descr': '<f4', 'fortran_order': False}", raw<float>({1, 2})), "no 'shape'");
        row("extra key", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", raw<float>({1, 2})), "unexpected key 'x'");
        row("duplicate key", npy_bytes("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", raw<float>({1, 2})),
            "duplicate key 'descr'");
        row("code in header", npy_bytes("{'descr': __import__('os'), 'fortran_order': False, 'shape': (2,)}", raw<float>({1, 2})),
            "'descr' must be a dtype string");
        row("negative dim", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,)}", raw<float>({1, 2})), "negative dimension");
        row("5 dims", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1, 1, 2)}", raw<float>({1, 2})),
            "more than 4 dimensions");
        row("huge dims overflow", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}", ""),
            "overflows 64 bits");
        row("dim overflows int64", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", ""),
            "overflows 64 bits");
        row("claims more data than the file", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000,)}", raw<float>({1, 2})),
            "needs 4000000 data bytes, file has 8");
        row("trailing bytes", npy_bytes(ok_dict, raw<float>({1, 2, 3})), "needs 8 data bytes, file has 12");
        row("structured dtype", npy_bytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", raw<float>({1, 2})),
            "structured dtypes are not supported");
        row("unknown dtype", npy_bytes("{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", raw<float>({1, 2, 3, 4})), "unsupported dtype '<c8'");
        row("1-tuple without comma", npy_bytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", raw<float>({1, 2})),
            "needs a trailing comma");
        row("fortran_order not bool", npy_bytes("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", raw<float>({1, 2})), "True or False");
    }
    void malformed() {
        QFETCH(QByteArray, file);
        QFETCH(QString, message);
        auto r = parse(file.toStdString());
        QVERIFY(!r.ok());
        const QString m = QString::fromStdString(r.error().message());
        QVERIFY2(m.contains(message), qPrintable(m));
        QVERIFY2(m.startsWith("test.npy: "), qPrintable(m));
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
        QVERIFY(QString::fromStdString(directory.error().message()).contains("not a regular file"));
        // writing into a missing directory fails cleanly and leaves nothing behind
        ql::Tensor t("w", {2});
        QVERIFY(!ql::write_npy(dir.filePath("no/such/dir/w.npy").toStdString(), t).ok());
    }
};

QTEST_APPLESS_MAIN(TestNpy)
#include "test_npy.moc"
