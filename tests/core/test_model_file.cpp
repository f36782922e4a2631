// open_model_file: format detection by content and extension, refusal of PyTorch pickles without
// reading them, and files that are not weights at all (empty, directories, devices, FIFOs, missing).
#include <QtTest>

#include <sys/stat.h>
#include <sys/types.h>

#include "core/model_file.h"
#include "loader_test_util.h"

using namespace qltest;

namespace {

std::string npy_bytes() {
    std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    while ((10 + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) + '\0' + dict + pack<float>({1, 2, 3, 4});
}

std::string st_bytes() { return safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", pack<float>({5})); }

std::string gguf_bytes() {
    return Bytes().raw("GGUF").u32(3).u64(1).u64(0).gstr("w").u32(1).u64(1).u32(0).u64(0).pad_to(32).f32(6).b;
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT
private slots:
    void detection_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("format");
        auto row = [](const char* label, const char* name, const std::string& b, const char* fmt) {
            QTest::newRow(label) << QString(name) << QByteArray(b.data(), static_cast<int>(b.size())) << QString(fmt);
        };
        row("npy", "w.npy", npy_bytes(), "npy");
        row("npy by content", "w.dat", npy_bytes(), "npy");
        row("safetensors", "m.safetensors", st_bytes(), "safetensors");
        row("safetensors by content", "weights.dat", st_bytes(), "safetensors");
        row("gguf", "m.gguf", gguf_bytes(), "gguf");
        row("gguf by content", "m.bin", gguf_bytes(), "gguf");
    }
    void detection() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, format);
        QTemporaryDir dir;
        auto f = open_bytes(dir, name.toStdString(), bytes.toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE(QString::fromStdString((*f)->format()), format);
        QCOMPARE((*f)->tensors().size(), std::size_t{1});
        QVERIFY((*f)->load((*f)->tensors()[0].name).ok());
    }

    void npyAsModel() {
        QTemporaryDir dir;
        auto f = open_bytes(dir, "weights.npy", npy_bytes());
        QVERIFY(f.ok());
        const auto& ti = (*f)->tensors()[0];
        QCOMPARE(ti.name, std::string("weights"));
        QCOMPARE(ti.shape, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(ti.offset, std::uint64_t{128});  // 10 + 58-byte dict + newline, padded to 64
        QCOMPARE(ti.bytes, std::uint64_t{16});
        QCOMPARE((*f)->load("weights")->values, (std::vector<float>{1, 2, 3, 4}));
        QVERIFY(!(*f)->load("other").ok());
    }

    void refused_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("rule");
        auto row = [](const char* label, const char* name, const std::string& b, const char* rule) {
            QTest::newRow(label) << QString(name) << QByteArray(b.data(), static_cast<int>(b.size())) << QString(rule);
        };
        // pickle protocol 2..5 marker; the rest is never read
        row("pickle protocol 2 (.bin)", "pytorch_model.bin", std::string("\x80\x02\x8a\x0alots of bytes", 16), "unpickling can run arbitrary code");
        row("pickle protocol 4 (.ckpt)", "model.ckpt", std::string("\x80\x04\x95", 3), "unpickling can run arbitrary code");
        row(".pt whatever it holds", "model.pt", "cos\nsystem\n(S'echo hi'\ntR.", "refused unread (.pt file)");
        row(".pth", "model.pth", "x", "Convert it to safetensors");
        row("PyTorch zip saved as .bin", "pytorch_model.bin", read_file(std::string(QL_TEST_DATA_DIR) + "/npz/torch_like.pt"), "unpickling can run");
        row("zero bytes", "empty.safetensors", "", "file is empty (0 bytes)");
        row("unknown format", "notes.txt", "hello world", "unrecognised file format");
        row("a .bin that is not a checkpoint", "group1-shard1of1.bin", "\x01\x02\x03\x04", "open the model.json");
        row("JSON that is not a model", "config.json", "{\"hidden_size\": 4096}", "not a TensorFlow.js model");
        row("corrupt zip", "w.npz", "PK\x03\x04 not really a zip", "not a valid zip archive");
    }
    void refused() {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, rule);
        QTemporaryDir dir;
        auto f = open_bytes(dir, name.toStdString(), bytes.toStdString());
        QVERIFY(!f.ok());
        const QString m = message(f.error());
        QVERIFY2(m.contains(rule), qPrintable(m));
        QVERIFY2(m.contains(name), qPrintable(m));  // names the file
    }

    void pickleMessageExplains() {
        QTemporaryDir dir;
        auto f = open_bytes(dir, "model.pt", "\x80\x02");
        QVERIFY(!f.ok());
        const QString m = message(f.error());
        QVERIFY(m.contains("pickle"));
        QVERIFY(m.contains("arbitrary code"));
        QVERIFY(m.contains("safetensors"));
        QVERIFY(m.contains("save_file"));
    }

    void specialFiles() {
        QTemporaryDir dir;
        auto missing = ql::open_model_file(dir.filePath("nothing.safetensors").toStdString());
        QVERIFY(!missing.ok());
        QVERIFY2(message(missing.error()).contains("cannot open"), qPrintable(message(missing.error())));

        auto d = ql::open_model_file(dir.path().toStdString());
        QVERIFY(!d.ok());
        QVERIFY2(message(d.error()).contains("is a directory without"), qPrintable(message(d.error())));

        if (QFile::exists("/dev/zero")) {
            auto z = ql::open_model_file("/dev/zero");
            QVERIFY(!z.ok());
            QVERIFY2(message(z.error()).contains("is a character device"), qPrintable(message(z.error())));
        }
        // a FIFO with no writer: opening must not block
        const std::string fifo = dir.filePath("pipe.safetensors").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        auto p = ql::open_model_file(fifo);
        QVERIFY(!p.ok());
        QVERIFY2(message(p.error()).contains("is a FIFO"), qPrintable(message(p.error())));
        // a pickle extension on a FIFO is still a FIFO (nothing is read either way)
        const std::string fifo_pt = dir.filePath("pipe.pt").toStdString();
        QCOMPARE(::mkfifo(fifo_pt.c_str(), 0600), 0);
        auto pp = ql::open_model_file(fifo_pt);
        QVERIFY(!pp.ok());
        QVERIFY2(message(pp.error()).contains("is a FIFO"), qPrintable(message(pp.error())));
    }

    void directoryWithModel() {
        QTemporaryDir dir;
        QVERIFY(write_file(dir.filePath("model.safetensors").toStdString(), st_bytes()));
        auto f = ql::open_model_file(dir.path().toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->format(), std::string("safetensors"));
    }
};

QTEST_APPLESS_MAIN(TestModelFile)
#include "test_model_file.moc"
