// LargeVector's buffer pool: a freed large buffer is reused by the next allocation of its rounded
// size, value-initialised elements are initialised whatever the reused memory held, and the pool
// keeps at most its cap.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/large_buffer.h"

using ql::LargeVector;
using Pool = ql::detail::LargePool;

namespace {
constexpr std::size_t kMiB = std::size_t(1) << 20;
}

class TestLargeBuffer : public QObject {
    Q_OBJECT
private slots:
    // Sizes in floats: each row's two sizes round to the same 2 MiB multiple or to different ones.
    void reuseOfTheSameRoundedSize_data() {
        QTest::addColumn<qint64>("first");
        QTest::addColumn<qint64>("second");
        QTest::addColumn<bool>("reused");
        QTest::newRow("same size") << qint64(3 * kMiB / 4) << qint64(3 * kMiB / 4) << true;
        QTest::newRow("same 4 MiB rounding") << qint64(kMiB / 2 + 1000) << qint64(kMiB - 1000) << true;
        QTest::newRow("4 MiB then 6 MiB") << qint64(kMiB - 1000) << qint64(kMiB + kMiB / 4) << false;
    }
    void reuseOfTheSameRoundedSize() {
        QFETCH(qint64, first);
        QFETCH(qint64, second);
        QFETCH(bool, reused);
        const float* p1 = nullptr;
        {
            LargeVector<float> a(static_cast<std::size_t>(first));
            p1 = a.data();
            QVERIFY(reinterpret_cast<std::uintptr_t>(p1) % (2 * kMiB) == 0);  // huge-page aligned
        }
        LargeVector<float> b(static_cast<std::size_t>(second));
        QCOMPARE(b.data() == p1, reused);
    }

    // A reused buffer held old values: elements constructed with a value get that value.
    void valueInitialisedOnReuse() {
        const std::size_t n = 2 * kMiB / sizeof(float) + 17;
        {
            LargeVector<float> dirty(n);
            std::fill(dirty.begin(), dirty.end(), 7.0f);
        }
        LargeVector<float> clean(n, 0.0f);
        QVERIFY(std::all_of(clean.begin(), clean.end(), [](float v) { return v == 0.0f; }));
    }

    // Freeing more than the cap keeps at most the cap; buffers above the largest kept size go back.
    void boundedPool() {
        std::vector<LargeVector<char>> many;
        for (std::size_t k = 0; k < Pool::kPoolBytes / (4 * kMiB) + 8; ++k) many.emplace_back(4 * kMiB);
        many.clear();
        QVERIFY(Pool::instance().held_bytes() <= Pool::kPoolBytes);
        QVERIFY(Pool::instance().held_bytes() >= Pool::kPoolBytes - 4 * kMiB);
        const std::size_t before = Pool::instance().held_bytes();
        { LargeVector<char> huge(Pool::kPoolLargest + 1); }
        QCOMPARE(Pool::instance().held_bytes(), before);
    }
};

QTEST_APPLESS_MAIN(TestLargeBuffer)
#include "test_large_buffer.moc"
