// .npz: stored and deflated .npy members (fixtures made by tests/data/make_fixtures.py with Python's
// zipfile, values listed there), members that are not arrays, a member whose header disagrees with its
// size, a claimed size beyond deflate's limit, and the archive cut at every byte.
#include <QtTest>

#include "core/model_file.h"
#include "loader_test_util.h"

using namespace qltest;

namespace {
std::string fixture(const char* name) { return std::string(QL_TEST_DATA_DIR) + "/npz/" + name; }
}

class TestNpz : public QObject {
    Q_OBJECT
private slots:
    void storedAndDeflated() {
        auto f = ql::open_model_file(fixture("mixed.npz"));
        QVERIFY2(f.ok(), f.ok() ? "" : qPrintable(message(f.error())));
        QCOMPARE((*f)->format(), std::string("npz"));
        const auto& ts = (*f)->tensors();
        QCOMPARE(ts.size(), std::size_t{4});
        QCOMPARE(ts[0].name, std::string("a"));
        QCOMPARE(ts[0].shape, (std::vector<std::int64_t>{2, 3}));
        QCOMPARE(ts[0].dtype, ql::DType::F32);
        QVERIFY(QString::fromStdString(ts[0].encoding).contains("stored"));
        QCOMPARE(ts[1].name, std::string("b"));
        QCOMPARE(ts[1].dtype, ql::DType::I16);
        QVERIFY(QString::fromStdString(ts[1].encoding).contains("deflated"));
        QCOMPARE(ts[3].name, std::string("sub/d"));
        QCOMPARE(ts[3].numel(), std::int64_t{1000});

        auto a = (*f)->load("a");
        QVERIFY(a.ok());
        QCOMPARE(a->values, (std::vector<float>{0, 1, 2, 3, 4, 5}));
        auto b = (*f)->load("b");
        QVERIFY(b.ok());
        QCOMPARE(b->values, (std::vector<float>{-1, 2, -3, 4}));
        QCOMPARE(b->source_dtype, ql::DType::I16);
        auto c = (*f)->load("c");  // big-endian, Fortran order
        QVERIFY(c.ok());
        QCOMPARE(c->shape, (std::vector<std::int64_t>{2, 2}));
        QCOMPARE(c->values, (std::vector<float>{1, 2, 3, 4}));
        auto d = (*f)->load("sub/d");
        QVERIFY(d.ok());
        QCOMPARE(d->values, std::vector<float>(1000, 0.0f));
        QVERIFY(!(*f)->load("zz").ok());
    }

    void refused_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("rule");
        QTest::newRow("member that is not .npy") << "not_npy_member.npz" << "npz member 'README.txt' is not a .npy array";
        QTest::newRow("member header disagrees with its size") << "bad_member_header.npz" << "needs 12 data bytes, file has 8";
        QTest::newRow("PyTorch zip checkpoint") << "torch_like.pt" << "pickle can run";
    }
    void refused() {
        QFETCH(QString, file);
        QFETCH(QString, rule);
        auto f = ql::open_model_file(fixture(file.toUtf8().constData()));
        QVERIFY(!f.ok());
        QVERIFY2(message(f.error()).contains(rule) || message(f.error()).contains("unpickling can run"), qPrintable(message(f.error())));
    }

    // The directory and the local header both claim 4 GB for a member of a few compressed bytes:
    // refused from the claim alone, before anything is inflated or allocated.
    void claimedSizeBeyondDeflateLimit() {
        std::string z = read_file(fixture("mixed.npz"));
        // member 'b': local header "PK\3\4" (uncompressed size at +22) and central entry "PK\1\2" (at +24)
        const std::size_t local = z.rfind("PK\x03\x04", z.find("b.npy"));
        const std::size_t central = z.rfind("PK\x01\x02", z.rfind("b.npy"));
        QVERIFY(local != std::string::npos && central != std::string::npos && central > local);
        for (std::size_t at : {local + 22, central + 24}) {
            z[at] = '\xF0';
            z[at + 1] = z[at + 2] = z[at + 3] = '\xFF';
        }
        QTemporaryDir dir;
        auto f = open_bytes(dir, "bomb.npz", z);
        QVERIFY(!f.ok());
        QVERIFY2(message(f.error()).contains("npz member 'b.npy' claims 4294967280 bytes from") &&
                     message(f.error()).contains("beyond deflate's 1032:1 limit"),
                 qPrintable(message(f.error())));
    }

    void everyTruncation() {
        const std::string z = read_file(fixture("mixed.npz"));
        QVERIFY(z.size() > 100);
        QTemporaryDir dir;
        for (std::size_t len = 0; len < z.size(); ++len) {
            auto f = open_bytes(dir, "t.npz", z.substr(0, len));
            QVERIFY2(!f.ok(), qPrintable(QString("prefix of %1 bytes accepted").arg(len)));
        }
    }

    // A flipped byte in a deflated member's data is caught when it is loaded (CRC or inflate error),
    // never returned as numbers.
    void corruptDeflatedData() {
        std::string z = read_file(fixture("mixed.npz"));
        const std::size_t data_at = z.find("b.npy") + 5;
        z[data_at + 3] = static_cast<char>(z[data_at + 3] ^ 0x55);
        QTemporaryDir dir;
        auto f = open_bytes(dir, "c.npz", z);
        if (!f.ok()) {  // the member's header no longer inflates: refused at open
            QVERIFY(message(f.error()).contains("b.npy"));
            return;
        }
        auto b = (*f)->load("b");
        QVERIFY2(!b.ok(), "a corrupt deflated member was decoded");
        QVERIFY(message(b.error()).contains("b.npy"));
    }
};

QTEST_APPLESS_MAIN(TestNpz)
#include "test_npz.moc"
