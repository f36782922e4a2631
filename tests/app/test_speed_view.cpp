// The Speed dock (app/speed_view.*), offscreen: a tiny measurement runs off the GUI thread, and each
// chart then holds the report's numbers (medians and floors in the time chart, tokens/s from the
// measured read bandwidth in the decode chart, intensity and GFLOP/s in the roofline); cancel keeps
// the last complete report.
#include <QtTest>

#include <QSignalSpy>

#include "speed_view.h"

using namespace ql;
using namespace ql::ui;

namespace {
std::vector<QCPBars*> bars(QCustomPlot* p) {
    std::vector<QCPBars*> out;
    for (int i = 0; i < p->plottableCount(); ++i)
        if (auto* b = qobject_cast<QCPBars*>(p->plottable(i))) out.push_back(b);
    return out;
}
QCPGraph* graphNamed(QCustomPlot* p, const QString& name) {
    for (int i = 0; i < p->graphCount(); ++i)
        if (p->graph(i)->name() == name) return p->graph(i);
    return nullptr;
}
} // namespace

class TestSpeedView : public QObject {
    Q_OBJECT
private slots:
    void tinyRunFillsTheCharts() {
        SpeedView v;
        v.resize(1200, 700);
        v.setShape(64, 96);
        v.setBatches(true, true, 3);
        v.setFormats(true, true, true);
        v.setRepeats(2);
        v.setRotateBytes(1e5);
        QSignalSpy done(&v, &SpeedView::finished);
        v.run();
        QVERIFY(v.isRunning() || done.count() == 1);
        QVERIFY(done.count() == 1 || done.wait(120000));
        const auto r = v.report();
        QVERIFY(r);
        QCOMPARE(r->items.size(), std::size_t(6));

        // time chart: kernel medians and floors, in report order
        const auto tb = bars(v.timeChart());
        QCOMPARE(tb.size(), std::size_t(2));
        QCOMPARE(tb[0]->data()->size(), 6);
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(tb[0]->data()->at(i)->value, r->items[std::size_t(i)].median_ms);
            QCOMPARE(tb[1]->data()->at(i)->value, r->items[std::size_t(i)].floor_ms);
        }

        // decode chart: this CPU last, at the measured read bandwidth; tokens/s = bandwidth / bytes per token
        const auto d = v.decodeEstimate();
        QVERIFY(d);
        QVERIFY(d->devices.back().measured);
        QCOMPARE(d->devices.back().bandwidth_gbps, r->read_gbps);
        const auto db = bars(v.decodeChart());
        QCOMPARE(db.size(), d->formats.size());
        const int cpu = static_cast<int>(d->devices.size()) - 1;
        for (std::size_t f = 0; f < db.size(); ++f) {
            const double expect = r->read_gbps * 1e9 / d->bytes_per_token[f];
            QVERIFY(std::fabs(db[f]->data()->at(cpu)->value - expect) <= 1e-9 * expect);
        }

        // roofline: one point per measurement at (intensity, GFLOP/s)
        for (const char* fmt : {"fp32", "int8", "w4"}) {
            QCPGraph* g = graphNamed(v.rooflineChart(), fmt);
            QVERIFY2(g, fmt);
            QCOMPARE(g->data()->size(), 2);
        }
        QCPGraph* w4 = graphNamed(v.rooflineChart(), "w4");
        QCOMPARE(w4->data()->at(0)->key, r->items[4].intensity);
        QCOMPARE(w4->data()->at(0)->value, r->items[4].gflops);

        // the charts render to a file like every other chart
        QTemporaryDir dir;
        QString error;
        QVERIFY2(renderChart(*v.rooflineChart(), dir.filePath("roofline.svg"), ExportFormat::Svg, QSize(800, 500), 96, &error), qPrintable(error));
        QVERIFY(QFileInfo(dir.filePath("roofline.svg")).size() > 1000);
    }

    void cancelKeepsTheLastReport() {
        SpeedView v;
        v.setShape(512, 512);
        v.setBatches(true, false, 2);
        v.setFormats(false, false, true);
        v.setRepeats(1000);
        v.setRotateBytes(1e6);
        QSignalSpy done(&v, &SpeedView::finished);
        v.run();
        v.cancel();
        QVERIFY(done.count() == 1 || done.wait(120000));
        QVERIFY(!v.report());   // the cancelled run left no report
        QVERIFY(!v.isRunning());
    }
};

QTEST_MAIN(TestSpeedView)
#include "test_speed_view.moc"
