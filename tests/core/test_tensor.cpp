// Tensor basics: element counts with overflow checks, rows/cols conventions, shape parsing.
#include <QtTest>

#include <limits>

#include "core/tensor.h"

class TestTensor : public QObject {
    Q_OBJECT
private slots:
    void numelRowsCols_data() {
        QTest::addColumn<QList<qint64>>("shape");
        QTest::addColumn<qint64>("numel");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("cols");
        QTest::newRow("scalar") << QList<qint64>{} << qint64(1) << qint64(1) << qint64(1);
        QTest::newRow("1-D") << QList<qint64>{7} << qint64(7) << qint64(1) << qint64(7);
        QTest::newRow("linear 2-D") << QList<qint64>{4, 3} << qint64(12) << qint64(4) << qint64(3);
        QTest::newRow("conv 4-D") << QList<qint64>{8, 3, 3, 3} << qint64(216) << qint64(72) << qint64(3);
        QTest::newRow("empty dim") << QList<qint64>{0, 5} << qint64(0) << qint64(0) << qint64(5);
    }
    void numelRowsCols() {
        QFETCH(QList<qint64>, shape);
        QFETCH(qint64, numel);
        QFETCH(qint64, rows);
        QFETCH(qint64, cols);
        ql::Tensor t("t", std::vector<std::int64_t>(shape.begin(), shape.end()));
        QCOMPARE(t.numel(), numel);
        QCOMPARE(t.rows(), rows);
        QCOMPARE(t.cols(), cols);
        QCOMPARE(static_cast<qint64>(t.values.size()), numel);
    }

    void checkedNumelOverflow() {
        std::int64_t n = 0;
        const std::int64_t big = std::numeric_limits<std::int64_t>::max() / 2 + 1;
        QVERIFY(!ql::checked_numel({big, 2}, n));
        QVERIFY(!ql::checked_numel({-1, 4}, n));
        QVERIFY(ql::checked_numel({1 << 20, 1 << 20}, n));
        QCOMPARE(n, std::int64_t(1) << 40);
    }

    void parseShape_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("1000x1000") << "1000x1000" << true << QList<qint64>{1000, 1000};
        QTest::newRow("comma") << "4,1024" << true << QList<qint64>{4, 1024};
        QTest::newRow("4-D") << "2x3x4x5" << true << QList<qint64>{2, 3, 4, 5};
        QTest::newRow("5-D refused") << "1x1x1x1x1" << false << QList<qint64>{};
        QTest::newRow("zero refused") << "0x4" << false << QList<qint64>{};
        QTest::newRow("trailing x") << "4x" << false << QList<qint64>{};
        QTest::newRow("letters") << "axb" << false << QList<qint64>{};
        QTest::newRow("overflow") << "9223372036854775807x2" << false << QList<qint64>{};
    }
    void parseShape() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QList<qint64>, shape);
        std::vector<std::int64_t> out;
        QCOMPARE(ql::parse_shape(text.toStdString(), out), ok);
        if (ok) QCOMPARE(out, std::vector<std::int64_t>(shape.begin(), shape.end()));
    }
};

QTEST_APPLESS_MAIN(TestTensor)
#include "test_tensor.moc"
