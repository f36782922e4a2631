// Inputs that once crashed a loader or tripped a sanitizer in a libFuzzer run, replayed the way the fuzz
// targets feed them (tests/fuzz/fuzz_<parser>.cpp): tests/data/fuzz_regressions/<parser>/<case>. Every
// case must give a clean result: an error naming the file and a rule, or tensors whose values match
// their shapes. Under the asan-ubsan preset a relapse fails here with the sanitizer's report. Add a
// new crashing input by dropping it into the folder of its parser.
#include <QtTest>

#include <QDir>

#include <cstring>
#include <fstream>
#include <iterator>
#include <unordered_map>

#include "core/element_convert.h"
#include "core/loader_common.h"
#include "core/mapped_file.h"

using namespace ql;

Q_DECLARE_METATYPE(std::vector<std::int64_t>)

namespace {

const char* kLabelDir = "/nonexistent-quantlens-regression/";  // sibling files (shards, external data) never resolve

std::shared_ptr<const MappedFile> bytes(const std::string& data, const std::string& name) {
    return MappedFile::from_bytes(reinterpret_cast<const std::uint8_t*>(data.data()), data.size(), std::string(kLabelDir) + name);
}

// The parser's result for the input, as the fuzz target builds it.
Result<std::unique_ptr<ModelFile>> open_as(const QString& parser, const std::string& data) {
    if (parser == QLatin1String("npy")) return detail::open_npy(bytes(data, "fuzz.npy"));
    if (parser == QLatin1String("npz")) return detail::open_npz(bytes(data, "fuzz.npz"));
    if (parser == QLatin1String("safetensors")) return detail::open_safetensors(bytes(data, "fuzz.safetensors"));
    if (parser == QLatin1String("gguf")) return detail::open_gguf(bytes(data, "fuzz.gguf"));
    if (parser == QLatin1String("onnx")) return detail::open_onnx(bytes(data, "fuzz.onnx"));
    // tfjs: manifest, NUL, shard bytes
    const std::size_t nul = data.find('\0');
    const std::string manifest = data.substr(0, nul);
    auto shard = bytes(nul == std::string::npos ? std::string() : data.substr(nul + 1), "w.bin");
    std::unordered_map<std::string, std::shared_ptr<const MappedFile>> shards = {{"w.bin", shard}, {"group1-shard1of1.bin", shard}};
    return detail::open_tfjs(bytes(manifest, "model.json"), &shards);
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void replay_data() {
        QTest::addColumn<QString>("parser");
        QTest::addColumn<QString>("path");
        const QDir root(QStringLiteral(QL_TEST_DATA_DIR "/fuzz_regressions"));
        int cases = 0;
        for (const QString& parser : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            const QDir d(root.filePath(parser));
            for (const QString& f : d.entryList(QDir::Files)) {
                QTest::newRow(qPrintable(parser + QLatin1Char('/') + f)) << parser << d.filePath(f);
                ++cases;
            }
        }
        QVERIFY2(cases > 0, "no regression inputs found");
    }
    void replay() {
        QFETCH(QString, parser);
        QFETCH(QString, path);
        std::ifstream in(path.toStdString(), std::ios::binary);
        QVERIFY(in);
        const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        auto f = open_as(parser, data);
        if (!f) {
            const std::string msg = f.error().message();
            QVERIFY2(msg.find(kLabelDir) != std::string::npos, msg.c_str());  // names the file
            return;
        }
        for (const auto& t : f.value()->tensors()) {
            auto loaded = f.value()->load(t.name);
            if (!loaded) {
                QVERIFY2(!loaded.error().message().empty(), t.name.c_str());
                continue;
            }
            std::int64_t n = 0;
            QVERIFY(checked_numel(loaded->shape, n));
            QCOMPARE(static_cast<std::int64_t>(loaded->values.size()), n);
            QVERIFY(loaded->shape.size() <= static_cast<std::size_t>(kMaxRank));
        }
    }

    // fold_shape keeps the last kMaxRank axes and multiplies the leading ones into the first kept axis.
    void foldShape_data() {
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::addColumn<std::vector<std::int64_t>>("folded");
        QTest::newRow("rank 4 unchanged") << std::vector<std::int64_t>{2, 3, 4, 5} << std::vector<std::int64_t>{2, 3, 4, 5};
        QTest::newRow("rank 6") << std::vector<std::int64_t>{2, 3, 4, 5, 6, 7} << std::vector<std::int64_t>{24, 5, 6, 7};
        // the fuzz_onnx case: leading dims whose product passes 2^63, a zero among the kept axes
        QTest::newRow("empty, leading product overflows")
            << std::vector<std::int64_t>{123240, 68116944363978700, 5, 0, 1} << std::vector<std::int64_t>{0, 5, 0, 1};
        QTest::newRow("empty, zero in the leading dims") << std::vector<std::int64_t>{0, 9, 2, 3, 4} << std::vector<std::int64_t>{0, 2, 3, 4};
    }
    void foldShape() {
        QFETCH(std::vector<std::int64_t>, shape);
        QFETCH(std::vector<std::int64_t>, folded);
        QCOMPARE(fold_shape(shape), folded);
    }
};

QTEST_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
