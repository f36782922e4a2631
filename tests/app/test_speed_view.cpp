// The Speed dock (app/speed_view.*), offscreen: a tiny measurement runs off the GUI thread, and each
// chart then holds the report's numbers (medians and floors in the time chart, tokens/s from the
// measured read bandwidth in the decode chart, intensity and GFLOP/s in the roofline); cancel keeps
// the last complete report. An injected measurement with GPU rows shows them in the table, the time
// chart and the roofline (with the GPU's roof) without a device; the GPU line names the device or
// says why there is none.
#include <QtTest>
#include <QTabWidget>

#include <algorithm>
#include <atomic>

#include <QCheckBox>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QThread>

#include "qcp_complaints.h"
#include "gpu/gpu_backend.h"
#include "in_a_dock.h"
#include "core/host_memory.h"
#include "speed_view.h"
#include "theme.h"

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
QCPGraph* graphStartingWith(QCustomPlot* p, const QString& prefix) {
    for (int i = 0; i < p->graphCount(); ++i)
        if (p->graph(i)->name().startsWith(prefix)) return p->graph(i);
    return nullptr;
}

speed::SpeedMeasurement row(speed::SpeedFormat f, bool gpu, std::int64_t batch, double median, double floor) {
    speed::SpeedMeasurement m;
    m.format = f;
    m.on_gpu = gpu;
    m.device = gpu ? "CUDA: Test H100" : "CPU: Test CPU";
    m.path = gpu ? "cuBLAS GemmEx" : "avx2";
    m.batch = batch;
    m.rows = 4096;
    m.cols = 4096;
    m.weight_bytes = 4096.0 * 4096 * (f == speed::SpeedFormat::F16 ? 2 : 4);
    m.copies = 8;
    m.median_ms = median;
    m.min_ms = m.q25_ms = 0.9 * median;
    m.max_ms = m.q75_ms = 1.1 * median;
    m.floor_ms = floor;
    m.gbps = m.weight_bytes / (median * 1e6);
    m.floor_gbps = m.weight_bytes / (floor * 1e6);
    m.gflops = 2.0 * batch * 4096 * 4096 / (median * 1e6);
    m.intensity = speed::arithmetic_intensity(batch, 4096, 4096, m.weight_bytes);
    return m;
}

// A made-up report: two CPU rows and, with a GPU, fp16 decode and prefill rows on "Test H100".
speed::SpeedReport fakeReport(bool withGpu) {
    speed::SpeedReport r;
    r.rows = r.cols = 4096;
    r.device = "CPU: Test CPU";
    r.isa = "avx2";
    r.threads = 2;
    r.read_gbps = 20;
    r.roof_f32_gflops = 100;
    r.roof_int8_gops = 400;
    r.items = {row(speed::SpeedFormat::F32, false, 1, 3.4, 3.3), row(speed::SpeedFormat::F32, false, 512, 700, 3.3)};
    if (withGpu) {
        r.items.push_back(row(speed::SpeedFormat::F16, true, 1, 0.015, 0.012));
        r.items.push_back(row(speed::SpeedFormat::F16, true, 512, 0.05, 0.012));
        r.gpu.device = "CUDA: Test H100";
        r.gpu.read_gbps = 2800;
        r.gpu.peak_gbps = 3352;
        r.gpu.roof_gflops = r.items[3].gflops;
    } else {
        r.gpu.none_reason = "no CUDA device: test";
    }
    return r;
}
} // namespace

class TestSpeedView : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { listenForQcpComplaints(); }
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    // A layer larger than the machine's free memory (65536 x 65536 fp32 and a copy: 34 GB) is refused
    // with the reason in the status line, before anything is allocated; the view stays usable.
    void refusesALayerThatCannotFit() {
        SpeedView v;
        v.setShape(65536, 65536);
        v.setFormats(true, false, false);
        speed::SpeedRequest req = v.request();
        const auto avail = available_memory_bytes();
        QVERIFY(avail.has_value());
        if (*avail >= speed::speed_memory_bytes(req)) QSKIP("this machine has the memory for a 65536 x 65536 layer");
        QSignalSpy done(&v, &SpeedView::finished);
        v.run();
        QVERIFY(done.count() == 1 || done.wait(30000));
        QVERIFY2(v.statusText().contains(QLatin1String("needs at least")) && v.statusText().contains(QLatin1String("Choose a smaller size")),
                 qPrintable(v.statusText()));
        QVERIFY(!v.isRunning());
        // a size that fits runs afterwards
        v.setShape(64, 96);
        v.setBatches(true, false, 2);
        v.setRepeats(1);
        v.setRotateBytes(1e5);
        v.run();
        QVERIFY(done.count() == 2 || done.wait(120000));
        QVERIFY(v.report());
    }
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
        for (const char* fmt : {"CPU fp32", "CPU int8", "CPU w4"}) {
            QCPGraph* g = graphNamed(v.rooflineChart(), fmt);
            QVERIFY2(g, fmt);
            QCOMPARE(g->data()->size(), 2);
        }
        QCPGraph* w4 = graphNamed(v.rooflineChart(), "CPU w4");
        QCOMPARE(w4->data()->at(0)->key, r->items[4].intensity);
        QCOMPARE(w4->data()->at(0)->value, r->items[4].gflops);

        // the table: one row per measurement, the report's device and format
        QCOMPARE(v.table()->rowCount(), 6);
        QCOMPARE(v.table()->item(4, 1)->text(), QStringLiteral("w4"));
        QCOMPARE(v.table()->item(0, 0)->text(), QString::fromStdString(r->device));

        // without a device (this machine, CI) the GPU line says so and names the reason
        if (!gpu::device_info().available) {
            QCOMPARE(v.gpuLine(), QStringLiteral("GPU: none (%1)").arg(QString::fromStdString(gpu::device_info().reason)));
            QVERIFY(std::none_of(r->items.begin(), r->items.end(), [](const auto& m) { return m.on_gpu; }));
        }

        // the charts render to a file like every other chart
        QTemporaryDir dir;
        QString error;
        QVERIFY2(renderChart(*v.rooflineChart(), dir.filePath("roofline.svg"), ExportFormat::Svg, QSize(800, 500), 96, &error), qPrintable(error));
        QVERIFY(QFileInfo(dir.filePath("roofline.svg")).size() > 1000);
    }

    // Before any run, the GPU line describes this machine's device or why there is none.
    // Presentation mode on a projector: the charts keep the window's style through the font change that
    // follows it (they went back to normal type), and the controls' column widens with its type so that
    // no field is cut ("Decod", "Prefill, bat", "INT8 (per-row scale").
    void presentationTypeAndControls() {
        SpeedView v;
        v.resize(1150, 700);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        auto* chart = v.findChild<ChartView*>(QStringLiteral("speedTimeChart"));
        QVERIFY(chart);
        const double normal = chart->titleFont().pointSizeF();
        v.setChartStyle(makeChartStyle(false, true));
        v.setFont(uiFont(true));  // as the window's presentation mode sends it, after the style
        QTest::qWait(50);
        QVERIFY2(chart->titleFont().pointSizeF() > normal, "the charts went back to normal type");
        auto* scroll = v.findChild<QScrollArea*>();
        QVERIFY(scroll);
        for (QCheckBox* box : v.findChildren<QCheckBox*>()) {  // its text ends within the column, as drawn
            const int right = box->mapTo(scroll->viewport(), QPoint(box->sizeHint().width(), 0)).x();
            QVERIFY2(right <= scroll->viewport()->width(),
                     qPrintable(QStringLiteral("'%1' ends at %2 px in a %3 px column").arg(box->text()).arg(right).arg(scroll->viewport()->width())));
        }
    }

    // In a small dock (the Speed tab of the window's default arrangement) the controls become the
    // first tab of the charts' tabs and each part has the whole view (beside the controls a chart kept
    // a sliver, scrolled out of sight); a run from there shows the time chart; a wide view puts the
    // controls back beside the charts, which keep at least half its width.
    void narrowViewTabsItsControls_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("tabbed");
        QTest::newRow("the default window's tab, 440x260") << QSize(440, 260) << true;
        QTest::newRow("a column, 700x600") << QSize(700, 600) << true;
        QTest::newRow("floating, 1000x650") << QSize(1000, 650) << false;
    }
    void narrowViewTabsItsControls() {
        QFETCH(QSize, size);
        QFETCH(bool, tabbed);
        auto* view = new SpeedView;
        InADock dock(view, size);
        QVERIFY(QTest::qWaitForWindowExposed(&dock));
        QTRY_COMPARE(view->controlsInTabs(), tabbed);
        auto* tabs = view->findChild<QTabWidget*>();
        QVERIFY(tabs);
        auto* chart = view->timeChart();
        if (tabbed) {
            QCOMPARE(tabs->tabText(0), QStringLiteral("Settings"));
            QTRY_VERIFY2(view->width() <= size.width(), qPrintable(QStringLiteral("a %1 px view in a %2 px dock").arg(view->width()).arg(size.width())));
            tabs->setCurrentWidget(chart);
            QTest::qWait(20);
            QVERIFY2(chart->width() >= view->width() * 9 / 10, qPrintable(QStringLiteral("a %1 px chart in a %2 px view").arg(chart->width()).arg(view->width())));
            QCOMPARE(dock.scroll()->verticalScrollBar()->maximum(), 0);  // nothing scrolled out of sight
            const QRect inDock(chart->mapTo(&dock, QPoint(0, 0)), chart->size());  // in sight, not scrolled away
            QVERIFY2(dock.rect().contains(inDock), qPrintable(QStringLiteral("chart at %1,%2 %3x%4 in a %5x%6 dock").arg(inDock.x()).arg(inDock.y())
                                                                  .arg(inDock.width()).arg(inDock.height()).arg(size.width()).arg(size.height())));
            // a run started from the settings shows its result
            tabs->setCurrentIndex(0);
            view->setMeasurement([](const speed::SpeedRequest&, const ProgressFn&) { return fakeReport(false); });
            QSignalSpy done(view, &SpeedView::finished);
            view->run();
            QVERIFY(done.count() == 1 || done.wait(30000));
            QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(chart));
        } else {
            QVERIFY(tabs->tabText(0) != QStringLiteral("Settings"));
            QVERIFY2(chart->width() >= view->width() / 2, qPrintable(QStringLiteral("a %1 px chart in a %2 px view").arg(chart->width()).arg(view->width())));
        }
        // and back the other way when the dock is resized
        dock.resize(tabbed ? QSize(1100, 650) : QSize(440, 260));
        QTRY_COMPARE(view->controlsInTabs(), !tabbed);
    }

    void gpuLineBeforeARun() {
        SpeedView v;
        const auto& d = gpu::device_info();
        if (d.available) QVERIFY2(v.gpuLine().contains(QString::fromStdString(d.name)), qPrintable(v.gpuLine()));
        else QCOMPARE(v.gpuLine(), QStringLiteral("GPU: none (%1)").arg(QString::fromStdString(d.reason)));
        QVERIFY(v.findChild<QLabel*>(QStringLiteral("speedGpuLine"))->isVisibleTo(&v));
        QCOMPARE(v.table()->rowCount(), 0);
    }

    // An injected measurement (a made-up report): with GPU rows, the table, the time chart and the
    // roofline show them with their own floors and the GPU's roof; without, CPU rows only and the
    // reason in the GPU line.
    void injectedMeasurement_data() {
        QTest::addColumn<bool>("withGpu");
        QTest::addColumn<int>("rows");
        QTest::addColumn<QString>("gpuLine");
        QTest::newRow("GPU rows") << true << 4 << "GPU: CUDA: Test H100, read 2800 GB/s measured (3352 GB/s peak), best product 343597 GFLOP/s";
        QTest::newRow("no GPU") << false << 2 << "GPU: none (no CUDA device: test)";
    }
    void injectedMeasurement() {
        QFETCH(bool, withGpu);
        QFETCH(int, rows);
        QFETCH(QString, gpuLine);
        SpeedView v;
        v.resize(1200, 700);
        std::vector<std::size_t> seen;
        v.setMeasurement([withGpu, &seen](const speed::SpeedRequest&, const ProgressFn& progress) {
            for (std::size_t d : {500, 1000, 1500, 2000}) {
                seen.push_back(d);
                if (!progress(d, 2000)) break;
            }
            return fakeReport(withGpu);
        });
        QSignalSpy done(&v, &SpeedView::finished);
        v.run();
        QVERIFY(done.count() == 1 || done.wait(30000));
        QCOMPARE(seen.size(), std::size_t(4));
        const auto r = v.report();
        QVERIFY(r);
        QCOMPARE(v.gpuLine(), gpuLine);

        // table: CPU rows, then GPU rows with the device's name, its kernel and its own floor
        QTableWidget* t = v.table();
        QCOMPARE(t->rowCount(), rows);
        QCOMPARE(t->item(0, 0)->text(), QStringLiteral("CPU: Test CPU"));
        if (withGpu) {
            QCOMPARE(t->item(2, 0)->text(), QStringLiteral("CUDA: Test H100"));
            QCOMPARE(t->item(2, 1)->text(), QStringLiteral("fp16"));
            QCOMPARE(t->item(3, 2)->text(), QStringLiteral("512"));
            QCOMPARE(t->item(2, 5)->text(), QStringLiteral("0.012"));
            QCOMPARE(t->item(2, 6)->text(), QStringLiteral("1.25"));
            QCOMPARE(t->item(2, 11)->text(), QStringLiteral("cuBLAS GemmEx"));
        }

        // time chart: every row's median and floor, GPU ones included
        const auto tb = bars(v.timeChart());
        QCOMPARE(tb.size(), std::size_t(2));
        QCOMPARE(tb[0]->data()->size(), rows);
        for (int i = 0; i < rows; ++i) {
            QCOMPARE(tb[0]->data()->at(i)->value, r->items[std::size_t(i)].median_ms);
            QCOMPARE(tb[1]->data()->at(i)->value, r->items[std::size_t(i)].floor_ms);
        }

        // roofline: GPU points at (intensity, GFLOP/s) and the GPU roof min(read x intensity, best product)
        QCPGraph* gpuPoints = graphNamed(v.rooflineChart(), "GPU fp16");
        QCPGraph* gpuRoof = graphStartingWith(v.rooflineChart(), "GPU roof");
        QCOMPARE(gpuPoints != nullptr, withGpu);
        QCOMPARE(gpuRoof != nullptr, withGpu);
        QVERIFY(graphNamed(v.rooflineChart(), "CPU fp32"));
        if (withGpu) {
            QCOMPARE(gpuPoints->data()->size(), 2);
            QCOMPARE(gpuPoints->data()->at(1)->key, r->items[3].intensity);
            QCOMPARE(gpuPoints->data()->at(1)->value, r->items[3].gflops);
            const auto first = gpuRoof->data()->at(0), last = gpuRoof->data()->at(gpuRoof->data()->size() - 1);
            QVERIFY(std::fabs(first->value - 2800 * first->key) <= 1e-9 * first->value);  // bandwidth slope at low intensity
            QCOMPARE(last->value, r->gpu.roof_gflops);                                      // flat at the best product
        }
    }

    // Cancel reaches the measurement while it runs in its GPU half (progress past 1000 of 2000).
    void cancelDuringTheGpuPart() {
        SpeedView v;
        std::atomic<bool> inGpuPart{false};
        v.setMeasurement([&inGpuPart](const speed::SpeedRequest&, const ProgressFn& progress) {
            speed::SpeedReport r = fakeReport(true);
            inGpuPart = true;
            while (progress(1500, 2000)) QThread::msleep(1);
            r.cancelled = true;
            return r;
        });
        QSignalSpy done(&v, &SpeedView::finished);
        v.run();
        QTRY_VERIFY_WITH_TIMEOUT(inGpuPart.load(), 30000);
        v.cancel();
        QVERIFY(done.count() == 1 || done.wait(30000));
        QVERIFY(!v.report());
        QCOMPARE(v.table()->rowCount(), 0);
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
