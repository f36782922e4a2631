// The calibration view under the offscreen platform, driven like a user: a small generated layer goes
// through the view, the test waits for it, and the charts are compared with core's own report for the
// same request (ql::calib::run_calibration called directly): the comparison bars hold exactly the
// relative output errors, the AWQ chart marks the chosen ratio. Also: a newer request supersedes the
// running one, cancel keeps the last finished charts, a bad file leaves them too, the charts export to
// PNG and SVG, and the main window holds the view in a dock reached from the View menu.
#include <QtTest>

#include <QDockWidget>
#include <QImageReader>
#include <QLabel>
#include <QMenuBar>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QXmlStreamReader>

#include <cmath>

#include "qcp_complaints.h"
#include "test_settings.h"
#include "calibration_view.h"
#include "core/host_memory.h"
#include "charts/calibration_charts.h"
#include "core/calibration/calibration.h"
#include "core/npy.h"
#include "main_window.h"
#include "theme.h"

using namespace ql;
using namespace ql::ui;

namespace {

constexpr int kRunTimeoutMs = 120000;
constexpr double kExact = 0.0;  // the charts copy the report's doubles unchanged
constexpr double kEdgePx = 0.5;  // a text box may round to half a pixel past the plot's edge

// A layer that answers in well under a second: 48 outputs, 128 inputs, 128 tokens, 2 outlier channels.
CalibrationSetup smallSetup(int bits, int groupSize, std::vector<calib::CalibMethod> methods) {
    CalibrationSetup s;
    s.spec.out = 48;
    s.spec.in = 128;
    s.spec.tokens = 128;
    s.spec.seed = 7;
    s.spec.outlier_channels = 2;
    s.spec.correlation = 0.5;
    s.settings.bits = bits;
    s.settings.group_size = groupSize;
    s.methods = std::move(methods);
    return s;
}

std::vector<QCPBars*> barsOf(ChartView* c) {
    std::vector<QCPBars*> r;
    for (int i = 0; i < c->plottableCount(); ++i)
        if (auto* b = qobject_cast<QCPBars*>(c->plottable(i))) r.push_back(b);
    return r;
}

QCPGraph* graphNamed(ChartView* c, const QString& objectName) {
    for (int i = 0; i < c->graphCount(); ++i)
        if (c->graph(i)->objectName() == objectName) return c->graph(i);
    return nullptr;
}

// "" when path holds a valid, non-blank image / SVG of the size; else what is wrong.
QString validate(const QString& path, ExportFormat format, QSize size, int dpi) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return QStringLiteral("missing");
    const QByteArray bytes = f.readAll();
    if (bytes.isEmpty()) return QStringLiteral("empty");
    if (format == ExportFormat::Png) {
        QImageReader r(path);
        if (r.format() != "png") return QStringLiteral("format %1").arg(QString::fromLatin1(r.format()));
        const QImage img = r.read();
        if (img.isNull()) return QStringLiteral("does not decode");
        if (img.size() != size) return QStringLiteral("size %1x%2").arg(img.width()).arg(img.height());
        if (std::lround(img.dotsPerMeterX() * 0.0254) != dpi) return QStringLiteral("dpi %1").arg(img.dotsPerMeterX() * 0.0254);
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7) colours.insert(img.pixel(x, y));
        if (colours.size() < 4) return QStringLiteral("looks blank");
        return {};
    }
    QXmlStreamReader xml(bytes);
    bool sawSvg = false;
    int texts = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("svg")) sawSvg = true;
        if (xml.isStartElement() && xml.name() == QLatin1String("text")) ++texts;
    }
    if (xml.hasError()) return QStringLiteral("XML error: %1").arg(xml.errorString());
    if (!sawSvg) return QStringLiteral("no <svg> element");
    if (texts < 3) return QStringLiteral("only %1 text elements").arg(texts);
    QSvgRenderer renderer(bytes);
    if (!renderer.isValid()) return QStringLiteral("QSvgRenderer rejects it");
    if (renderer.viewBox().size() != size) return QStringLiteral("viewBox %1x%2").arg(renderer.viewBox().width()).arg(renderer.viewBox().height());
    return {};
}

// A new chart of the calibration view's, by id (null for an unknown id).
std::unique_ptr<CalibrationChart> newCalibrationChart(const QString& id) {
    std::unique_ptr<CalibrationChart> chart;
    for (CalibrationChart* c : createCalibrationCharts(nullptr)) {
        if (c->chartId() == id && !chart) chart.reset(c);
        else delete c;
    }
    return chart;
}

// `chart` shown at `size` (in projector type, or normal) with the inputs of the view's `shown` chart, drawn
// twice: the second time from a laid-out plot, as in the window.
void showInProjectorType(CalibrationChart& chart, const CalibrationChart& shown, QSize size, bool presentation = true) {
    chart.setChartStyle(makeChartStyle(false, presentation));
    chart.show();
    chart.resize(size);
    for (int pass = 0; pass < 2; ++pass) {
        chart.setCalibration(shown.calib());
        chart.replot();
    }
}

Tensor toTensor(const calib::MatrixRF& m, const char* name) {
    Tensor t(name, {m.rows(), m.cols()});
    std::copy(m.data(), m.data() + m.size(), t.values.begin());
    return t;
}

} // namespace

class TestCalibrationView : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<CalibrationView> view_;

    // Runs s through the view and waits until its report is shown.
    bool runShown(const CalibrationSetup& s) {
        QSignalSpy spy(view_.get(), &CalibrationView::reportShown);
        view_->setSetup(s);
        view_->run();
        if (spy.isEmpty() && !spy.wait(kRunTimeoutMs)) return false;
        view_->waitForIdle();
        return true;
    }

    // Runs a setup the view must refuse: no report shown, the last one kept; the status line's text.
    QString runRefused(const CalibrationSetup& s, const std::shared_ptr<const calib::CalibrationReport>& before) {
        QSignalSpy shown(view_.get(), &CalibrationView::reportShown);
        view_->setSetup(s);
        view_->run();
        view_->waitForIdle();
        auto* status = view_->findChild<QLabel*>(QStringLiteral("calibrationStatus"));
        if (shown.size() != 0 || view_->report() != before || status == nullptr) return QStringLiteral("(not refused)");
        return status->text();
    }

private slots:
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    void initTestCase() {
        listenForQcpComplaints();
        useEmptyTestSettings(QStringLiteral("test_calibration_view"));
        QVERIFY(dir_.isValid());
        view_ = std::make_unique<CalibrationView>();
        view_->resize(1300, 850);
    }
    void cleanupTestCase() {
        view_.reset();
        QSettings().clear();
    }

    void chartsBeforeAnyRun() {
        QVERIFY(!view_->report());
        QCOMPARE(view_->charts().size(), std::size_t(8));
        for (CalibrationChart* c : view_->charts()) {
            QVERIFY2(!c->title().isEmpty(), qPrintable(c->chartId()));
            QCOMPARE(c->plottableCount(), 0);  // a note, no data
        }
    }

    void barsEqualCoreReport_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("groupSize");
        QTest::addColumn<QString>("methods");
        QTest::addColumn<bool>("logScale");
        QTest::newRow("int4 g128 all methods, log") << 4 << 128 << "all" << true;
        QTest::newRow("int3 g32 all methods, linear") << 3 << 32 << "all" << false;
        QTest::newRow("int4 per row rtn+gptq") << 4 << -1 << "rtn,gptq" << true;
        QTest::newRow("int8 g64 awq_clip+smoothquant") << 8 << 64 << "awq_clip,smoothquant" << true;
    }
    void barsEqualCoreReport() {
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        QFETCH(QString, methods);
        QFETCH(bool, logScale);
        std::vector<calib::CalibMethod> ms;
        QVERIFY(calib::parse_calib_methods(methods.toStdString(), ms));
        CalibrationSetup s = smallSetup(bits, groupSize, ms);
        s.logScale = logScale;
        QVERIFY(runShown(s));
        const auto shown = view_->report();
        QVERIFY(shown);
        QVERIFY2(shown->error.empty(), shown->error.c_str());
        // Core's report for the same request, computed here without the view.
        const calib::CalibrationReport want = calib::run_calibration(view_->requestFor(view_->setup()));
        QCOMPARE(shown->methods.size(), want.methods.size());
        QCOMPARE(shown->layer.out, std::int64_t(48));
        QCOMPARE(shown->layer.in, std::int64_t(128));
        QCOMPARE(shown->settings.bits, bits);
        ChartView* c = view_->chart(QStringLiteral("calibration_output_error"));
        QVERIFY(c);
        const auto bars = barsOf(c);
        QCOMPARE(bars.size(), want.methods.size());
        for (std::size_t k = 0; k < want.methods.size(); ++k) {
            const auto& m = want.methods[k];
            QCOMPARE(bars[k]->objectName(), QStringLiteral("bar_") + QString::fromStdString(m.method));
            QCOMPARE(bars[k]->data()->size(), 1);
            QCOMPARE(bars[k]->data()->at(0)->key, double(k));
            QVERIFY(std::fabs(bars[k]->data()->at(0)->value - m.error.relative_output_error) <= kExact);
            QCOMPARE(shown->methods[k].error.relative_output_error, m.error.relative_output_error);
        }
        QCOMPARE(c->yAxis->scaleType(), logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        // Every bar inside the visible range.
        for (const auto& m : want.methods) QVERIFY(c->yAxis->range().contains(m.error.relative_output_error));
    }

    // The method chart in projector type in a 380 px column (the calibration view in presentation mode on
    // a 1280x800 projector) and in the floating view's 750 px: the eight names slanted within 30% of the
    // height, so the bars keep most of it (at a fixed 45 degrees the names took all but 10 px), and the
    // value labels apart ("1.01e-02" ran into its neighbours) or left to the tooltip, and inside the plot
    // ("1.01e-02" lost its top to the plot's edge). Drawn once after the switch from normal type, as
    // entering presentation mode does: the slots came from the normal type's layout, and "1.33e-03" ran
    // into "1.21e-03" at 750 px.
    void methodChartInAProjectorColumn_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("fromNormal");
        QTest::newRow("380x330") << QSize(380, 330) << false;
        QTest::newRow("380x330 entering presentation mode") << QSize(380, 330) << true;
        QTest::newRow("750x330") << QSize(750, 330) << false;
        QTest::newRow("750x330 entering presentation mode") << QSize(750, 330) << true;
    }
    void methodChartInAProjectorColumn() {
        QFETCH(QSize, size);
        QFETCH(bool, fromNormal);
        std::vector<calib::CalibMethod> ms;
        QVERIFY(calib::parse_calib_methods("all", ms));
        QVERIFY(runShown(smallSetup(4, 128, ms)));
        auto* shown = qobject_cast<CalibMethodErrorChart*>(view_->chart(QStringLiteral("calibration_output_error")));
        QVERIFY(shown);
        CalibMethodErrorChart chart;  // the same inputs in a chart of its own, shown at the column's size
        auto* c = &chart;
        if (fromNormal) {
            showInProjectorType(*c, *shown, size, false);
            c->setChartStyle(makeChartStyle(false, true));
            c->setCalibration(shown->calib());
            c->replot();
        } else {
            showInProjectorType(*c, *shown, size);
        }
        QCOMPARE(barsOf(c).size(), std::size_t(8));
        if (size.width() < 500)  // the column: the names take at most 30% (a wider chart's title takes two lines)
            QVERIFY2(c->axisRect()->height() >= 0.35 * c->height(),
                     qPrintable(QStringLiteral("a %1 px plot in a %2 px chart").arg(c->axisRect()->height()).arg(c->height())));
        std::vector<QRectF> boxes;
        for (int i = 0; i < c->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(c->item(i))) boxes.push_back(QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition()));
        if (size.width() >= 750) QCOMPARE(boxes.size(), std::size_t(8));  // room for every value
        const QRect plot = c->axisRect()->rect();
        for (std::size_t a = 0; a < boxes.size(); ++a) {
            QVERIFY2(boxes[a].top() >= plot.top() - kEdgePx, qPrintable(QStringLiteral("a value label's top at %1, the plot's at %2").arg(boxes[a].top()).arg(plot.top())));
            for (std::size_t b = a + 1; b < boxes.size(); ++b) QVERIFY2(boxes[a].intersected(boxes[b]).isEmpty(), "value labels overlap");
        }
    }

    // The detail charts in the dock's tabs in presentation mode on a 1280x800 projector, two charts of
    // about 372x383 px in projector type: the y titles leave the plot at least kPlotWidthShare of the
    // chart's width (the GPTQ chart's three-line titles either side left it 70 px), every legend entry
    // lies within the chart ("X before smoothing: range [-331.5, 295.2]" ran past its edge), and a
    // legend in the plot's corner covers none of the outlier channels' marks (SmoothQuant's five entries
    // covered the peaks).
    void detailChartsInAProjectorColumn_data() {
        QTest::addColumn<QString>("id");
        for (const char* id : {"calibration_gptq_columns", "calibration_gptq_hessian", "calibration_gptq_weight_error", "calibration_awq_loss",
                               "calibration_awq_scales", "calibration_smoothquant_channels", "calibration_smoothquant_histogram"})
            QTest::newRow(id) << QString::fromLatin1(id);
    }
    void detailChartsInAProjectorColumn() {
        QFETCH(QString, id);
        constexpr double kPlotWidthShare = 0.4;
        if (!view_->report() || !view_->report()->gptq || !view_->report()->smoothquant) QVERIFY(runShown(smallSetup(4, 128, calib::all_calib_methods())));
        auto* shown = qobject_cast<CalibrationChart*>(view_->chart(id));
        QVERIFY(shown);
        std::unique_ptr<CalibrationChart> chart = newCalibrationChart(id);
        QVERIFY(chart);
        CalibrationChart* c = chart.get();
        showInProjectorType(*c, *shown, QSize(372, 383));
        QVERIFY2(c->axisRect()->width() >= kPlotWidthShare * c->width(),
                 qPrintable(QStringLiteral("a %1 px plot in a %2 px chart").arg(c->axisRect()->width()).arg(c->width())));
        QVERIFY(c->legend->visible() && c->legend->itemCount() > 0);
        QRectF legendBox;
        for (int i = 0; i < c->legend->itemCount(); ++i) {
            QCPAbstractLegendItem* item = c->legend->item(i);
            if (!item) continue;  // an empty cell of the grid under the plot
            const QRect r = item->outerRect();
            // where its text ends as drawn (QCustomPlot squeezes an entry's box to the legend's, not its text)
            int right = r.right();
            if (auto* p = qobject_cast<QCPPlottableLegendItem*>(item))
                right = item->rect().left() + c->legend->iconSize().width() + c->legend->iconTextPadding() +
                        QFontMetrics(c->legend->font()).horizontalAdvance(p->plottable()->name());
            QVERIFY2(r.left() >= 0 && right <= c->width(), qPrintable(QStringLiteral("entry %1 at %2..%3 in a %4 px chart").arg(i).arg(r.left()).arg(right).arg(c->width())));
            legendBox |= QRectF(r);
        }
        if (!c->legendBelowPlot())
            for (int g = 0; g < c->graphCount(); ++g) {
                const QCPGraph* gr = c->graph(g);
                if (gr->lineStyle() != QCPGraph::lsNone || gr->scatterStyle().isNone()) continue;  // marks alone
                for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it) {
                    const QPointF p(c->xAxis->coordToPixel(it->key), gr->valueAxis()->coordToPixel(it->value));
                    QVERIFY2(!legendBox.contains(p), qPrintable(QStringLiteral("%1's mark at channel %2 under the legend").arg(gr->name()).arg(it->key)));
                }
            }
    }

    // A legend entry's underscore is drawn: QCustomPlot clips an entry to its row, and a row as high as
    // the font's line plus one pixel took the underscore of "Hessian diagonal H_jj" in the window's
    // narrow column (the legend in three-quarter type). Pixels of the chart as drawn, normal and
    // projector type.
    void legendUnderscoreDrawn_data() {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("size");
        QTest::newRow("normal, the window's column") << false << QSize(415, 390);
        QTest::newRow("normal, wide") << false << QSize(900, 500);
        QTest::newRow("projector column") << true << QSize(372, 383);
    }
    void legendUnderscoreDrawn() {
        QFETCH(bool, presentation);
        QFETCH(QSize, size);
        if (!view_->report() || !view_->report()->gptq) QVERIFY(runShown(smallSetup(4, 128, calib::all_calib_methods())));
        auto* shown = qobject_cast<CalibrationChart*>(view_->chart(QStringLiteral("calibration_gptq_hessian")));
        QVERIFY(shown);
        std::unique_ptr<CalibrationChart> chart = newCalibrationChart(QStringLiteral("calibration_gptq_hessian"));
        QVERIFY(chart);
        CalibrationChart* c = chart.get();
        showInProjectorType(*c, *shown, size, presentation);
        const QImage img = c->toPixmap(c->width(), c->height()).toImage();
        const QString prefix = QStringLiteral("Hessian diagonal H");
        bool found = false;
        for (int i = 0; i < c->legend->itemCount(); ++i) {
            auto* item = qobject_cast<QCPPlottableLegendItem*>(c->legend->item(i));
            if (!item || !item->plottable()->name().startsWith(prefix + QLatin1Char('_'))) continue;
            found = true;
            const QFontMetrics fm(item->font());
            const int x0 = item->rect().left() + c->legend->iconSize().width() + c->legend->iconTextPadding() + fm.horizontalAdvance(prefix);
            const int x1 = x0 + fm.horizontalAdvance(QStringLiteral("_"));
            // the underscore's middle columns, in the entry's lower half: some pixel as dark as text
            int darkest = 255;
            for (int x = x0 + 1; x < x1 - 1; ++x)
                for (int y = item->rect().center().y(); y <= item->rect().bottom(); ++y) darkest = std::min(darkest, qGray(img.pixel(x, y)));
            QVERIFY2(darkest < 160, qPrintable(QStringLiteral("no ink under '%1' at x %2..%3, rows %4..%5 (darkest grey %6), font %7 pt")
                                                   .arg(item->plottable()->name())
                                                   .arg(x0)
                                                   .arg(x1)
                                                   .arg(item->rect().center().y())
                                                   .arg(item->rect().bottom())
                                                   .arg(darkest)
                                                   .arg(item->font().pointSizeF())));
        }
        QVERIFY(found);
    }

    // Every layer source reaches core: the layer has the given shapes and the bars equal core's report.
    void layerSources_data() {
        QTest::addColumn<int>("source");
        QTest::addColumn<int>("wantTokens");
        QTest::newRow("current tensor + generated X") << int(CalibrationSetup::Source::CurrentTensor) << 128;
        QTest::newRow("W.npy + generated X") << int(CalibrationSetup::Source::WeightFile) << 128;
        QTest::newRow("W.npy + X.npy") << int(CalibrationSetup::Source::Files) << 64;
    }
    void layerSources() {
        QFETCH(int, source);
        QFETCH(int, wantTokens);
        calib::LayerSpec spec;
        spec.out = 40;
        spec.in = 96;
        spec.tokens = 64;
        spec.seed = 3;
        const calib::CalibLayer layer = calib::generate_layer(spec);
        const auto w = std::make_shared<const Tensor>(toTensor(layer.W, "W"));
        const QString wPath = dir_.filePath(QStringLiteral("W.npy")), xPath = dir_.filePath(QStringLiteral("X.npy"));
        QVERIFY(write_npy(wPath.toStdString(), *w).ok());
        QVERIFY(write_npy(xPath.toStdString(), toTensor(layer.X, "X")).ok());
        view_->setTensorProvider([w] { return w; });
        CalibrationSetup s = smallSetup(4, 32, {calib::CalibMethod::Rtn, calib::CalibMethod::Gptq, calib::CalibMethod::SmoothQuant});
        s.source = CalibrationSetup::Source(source);
        s.weightsPath = wPath;
        s.activationsPath = xPath;
        QVERIFY(runShown(s));
        const auto shown = view_->report();
        QVERIFY(shown);
        QCOMPARE(shown->layer.out, std::int64_t(40));
        QCOMPARE(shown->layer.in, std::int64_t(96));
        QCOMPARE(shown->layer.tokens, std::int64_t(wantTokens));
        const calib::CalibrationReport want = calib::run_calibration(view_->requestFor(view_->setup()));
        const auto bars = barsOf(view_->chart(QStringLiteral("calibration_output_error")));
        QCOMPARE(bars.size(), want.methods.size());
        for (std::size_t k = 0; k < bars.size(); ++k) QCOMPARE(bars[k]->data()->at(0)->value, want.methods[k].error.relative_output_error);
        view_->setTensorProvider({});
    }

    void awqChartMarksChosenRatio_data() {
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("groupSize");
        QTest::newRow("int4 g128") << 4 << 128;
        QTest::newRow("int3 g32") << 3 << 32;
    }
    void awqChartMarksChosenRatio() {
        QFETCH(int, bits);
        QFETCH(int, groupSize);
        QVERIFY(runShown(smallSetup(bits, groupSize, {calib::CalibMethod::Rtn, calib::CalibMethod::Awq})));
        const auto r = view_->report();
        QVERIFY(r && r->awq);
        const calib::AwqResult& a = *r->awq;
        QCOMPARE(a.ratios.size(), std::size_t(20));  // k / 20, k = 0 .. 19
        QVERIFY(a.best_index >= 0 && a.best_index < 20);
        QCOMPARE(a.ratio, a.ratios[std::size_t(a.best_index)]);
        // llm-awq's rule: the first strictly lowest loss.
        for (std::size_t k = 0; k < a.loss_vs_ratio.size(); ++k)
            QVERIFY(k < std::size_t(a.best_index) ? a.loss_vs_ratio[k] > a.loss : a.loss_vs_ratio[k] >= a.loss);
        ChartView* c = view_->chart(QStringLiteral("calibration_awq_loss"));
        QVERIFY(c);
        QCPGraph* chosen = graphNamed(c, QStringLiteral("chosenRatio"));
        QVERIFY(chosen);
        QCOMPARE(chosen->data()->size(), 1);
        QCOMPARE(chosen->data()->at(0)->key, a.ratio);
        QCOMPARE(chosen->data()->at(0)->value, a.loss);
        QVERIFY(chosen->name().contains(QString::number(a.ratio, 'g', 3)));
        // The curve is the report's loss against ratio.
        QCPGraph* curve = c->graph(0);
        QCOMPARE(curve->data()->size(), int(a.ratios.size()));
        for (int k = 0; k < curve->data()->size(); ++k) {
            QCOMPARE(curve->data()->at(k)->key, a.ratios[std::size_t(k)]);
            QCOMPARE(curve->data()->at(k)->value, a.loss_vs_ratio[std::size_t(k)]);
        }
        QVERIFY(c->xAxis->range().contains(a.ratio));
    }

    void detailChartsDrawTheReport() {
        QVERIFY(runShown(smallSetup(4, 128, calib::all_calib_methods())));
        const auto r = view_->report();
        QVERIFY(r && r->gptq && r->smoothquant);
        // GPTQ: per-column loss in processing order, and the Hessian diagonal per input channel.
        ChartView* cols = view_->chart(QStringLiteral("calibration_gptq_columns"));
        QCOMPARE(cols->graph(0)->data()->size(), int(r->gptq->column_loss.size()));
        QCOMPARE(cols->graph(1)->data()->at(cols->graph(1)->data()->size() - 1)->value, r->gptq->cumulative_loss.back());
        // GPTQ against RTN: each column's squared weight error, both in processing order.
        ChartView* werr = view_->chart(QStringLiteral("calibration_gptq_weight_error"));
        QCOMPARE(werr->graphCount(), 2);
        QCOMPARE(werr->graph(0)->data()->size(), int(r->gptq->column_rtn_sq_error.size()));
        QCOMPARE(werr->graph(1)->data()->size(), int(r->gptq->column_weight_sq_error.size()));
        auto drawnAs = [](double drawn, double value) { return value > 0 ? drawn == value : std::isnan(drawn); };  // log axis: 0 is a gap
        for (int k = 0; k < werr->graph(0)->data()->size(); ++k) {
            QVERIFY(drawnAs(werr->graph(0)->data()->at(k)->value, r->gptq->column_rtn_sq_error[std::size_t(k)]));
            QVERIFY(drawnAs(werr->graph(1)->data()->at(k)->value, r->gptq->column_weight_sq_error[std::size_t(k)]));
        }
        ChartView* hess = view_->chart(QStringLiteral("calibration_gptq_hessian"));
        QCOMPARE(hess->graph(0)->data()->size(), 128);
        for (int j = 0; j < 128; ++j) QCOMPARE(hess->graph(0)->data()->at(j)->value, r->gptq->hessian_diag[std::size_t(j)]);
        // The outlier channels are marked, at their own H_jj.
        QCOMPARE(hess->graph(1)->data()->size(), int(r->layer.outlier_channels.size()));
        // SmoothQuant: four per-channel curves (X and W, before and after).
        ChartView* sq = view_->chart(QStringLiteral("calibration_smoothquant_channels"));
        QVERIFY(sq->graphCount() >= 4);
        for (int j = 0; j < 128; ++j) {
            QCOMPARE(sq->graph(0)->data()->at(j)->value, double(r->smoothquant->act_absmax_before[std::size_t(j)]));
            QCOMPARE(sq->graph(1)->data()->at(j)->value, double(r->smoothquant->weight_absmax_before[std::size_t(j)]));
            QCOMPARE(sq->graph(2)->data()->at(j)->value, double(r->smoothquant->weight_absmax_after[std::size_t(j)]));
            QCOMPARE(sq->graph(3)->data()->at(j)->value, double(r->smoothquant->act_absmax_after[std::size_t(j)]));
        }
        ChartView* hist = view_->chart(QStringLiteral("calibration_smoothquant_histogram"));
        QCOMPARE(hist->graphCount(), 2);
        QCOMPARE(hist->graph(0)->data()->size(), int(r->smoothquant->act_hist_before.counts.size()));
    }

    void newerRequestSupersedesRunningOne() {
        QSignalSpy shown(view_.get(), &CalibrationView::reportShown);
        QSignalSpy started(view_.get(), &CalibrationView::started);
        CalibrationSetup big = smallSetup(4, 128, calib::all_calib_methods());
        big.spec.out = 256;
        big.spec.in = 512;
        big.spec.tokens = 512;
        view_->setSetup(big);
        view_->run();
        QVERIFY(started.wait(kRunTimeoutMs));
        // While the big layer runs, ask for a 3-bit run of the small one.
        view_->setSetup(smallSetup(3, 128, {calib::CalibMethod::Rtn}));
        view_->run();
        QVERIFY(shown.wait(kRunTimeoutMs));
        view_->waitForIdle();
        QCOMPARE(shown.size(), 1);  // the superseded run is never drawn
        QCOMPARE(view_->report()->settings.bits, 3);
        QCOMPARE(view_->report()->layer.in, std::int64_t(128));
        QCOMPARE(barsOf(view_->chart(QStringLiteral("calibration_output_error"))).size(), std::size_t(1));
    }

    void cancelKeepsTheLastCharts() {
        QVERIFY(runShown(smallSetup(4, 128, {calib::CalibMethod::Rtn, calib::CalibMethod::Gptq})));
        const auto before = view_->report();
        QSignalSpy shown(view_.get(), &CalibrationView::reportShown);
        QSignalSpy started(view_.get(), &CalibrationView::started);
        CalibrationSetup big = smallSetup(4, 128, calib::all_calib_methods());
        big.spec.out = 512;
        big.spec.in = 1024;
        big.spec.tokens = 1024;
        view_->setSetup(big);
        view_->run();
        QVERIFY(started.wait(kRunTimeoutMs));
        view_->cancel();
        view_->waitForIdle();
        QCOMPARE(shown.size(), 0);
        QCOMPARE(view_->report(), before);
    }

    void badFileKeepsTheLastCharts() {
        QVERIFY(runShown(smallSetup(4, 128, {calib::CalibMethod::Rtn})));
        const auto before = view_->report();
        CalibrationSetup s = smallSetup(4, 128, {calib::CalibMethod::Rtn});
        s.source = CalibrationSetup::Source::Files;
        s.weightsPath = dir_.filePath(QStringLiteral("missing_W.npy"));
        s.activationsPath = dir_.filePath(QStringLiteral("missing_X.npy"));
        const QString status = runRefused(s, before);
        QVERIFY2(status.contains(QStringLiteral("missing_W.npy")), qPrintable(status));
    }

    // A generated layer larger than the machine's free memory is refused with the reason in the status
    // line, before it is built; the last charts stay.
    void layerThatCannotFitKeepsTheLastCharts() {
        QVERIFY(runShown(smallSetup(4, 128, {calib::CalibMethod::Rtn})));
        const auto before = view_->report();
        CalibrationSetup s = smallSetup(4, 128, {calib::CalibMethod::Rtn});
        s.spec.out = s.spec.in = s.spec.tokens = 65536;
        const double need = 4.0 * 2 * 65536.0 * 65536.0 + calib::calibration_extra_bytes(65536, 65536, 65536, s.methods);
        const auto avail = available_memory_bytes();
        QVERIFY(avail.has_value());
        if (*avail >= need) QSKIP("this machine has the memory for a 65536 x 65536 layer with 65536 tokens");
        const QString status = runRefused(s, before);
        QVERIFY2(status.contains(QStringLiteral("needs at least")), qPrintable(status));
    }

    void exportChart_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<ExportFormat>("format");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("dpi");
        QTest::newRow("comparison png") << "calibration_output_error" << ExportFormat::Png << QSize(1200, 750) << 150;
        QTest::newRow("comparison svg") << "calibration_output_error" << ExportFormat::Svg << QSize(1000, 620) << 96;
        QTest::newRow("awq loss png") << "calibration_awq_loss" << ExportFormat::Png << QSize(900, 600) << 300;
        QTest::newRow("smoothquant svg") << "calibration_smoothquant_channels" << ExportFormat::Svg << QSize(1000, 620) << 96;
    }
    void exportChart() {
        QFETCH(QString, id);
        QFETCH(ExportFormat, format);
        QFETCH(QSize, size);
        QFETCH(int, dpi);
        QVERIFY(runShown(smallSetup(4, 128, calib::all_calib_methods())));
        ChartView* c = view_->chart(id);
        QVERIFY(c);
        const QString path = dir_.filePath(id + QLatin1Char('.') + exportFormatSuffix(format));
        QString error;
        QVERIFY2(c->exportTo(path, format, size, dpi, &error), qPrintable(error));
        const QString bad = validate(path, format, size, dpi);
        QVERIFY2(bad.isEmpty(), qPrintable(id + QStringLiteral(": ") + bad));
    }

    // The last run's setup comes back in a new view (QSettings), empty methods and all fields included.
    void setupPersists_data() {
        QTest::addColumn<int>("source");
        QTest::addColumn<int>("groupSize");
        QTest::addColumn<bool>("actOrder");
        QTest::addColumn<double>("alpha");
        QTest::newRow("generated, g32, act-order, alpha 0.75") << int(CalibrationSetup::Source::Generated) << 32 << true << 0.75;
        QTest::newRow("files, per row, alpha 0") << int(CalibrationSetup::Source::Files) << -1 << false << 0.0;
    }
    void setupPersists() {
        QFETCH(int, source);
        QFETCH(int, groupSize);
        QFETCH(bool, actOrder);
        QFETCH(double, alpha);
        CalibrationSetup s = smallSetup(3, groupSize, {calib::CalibMethod::Gptq, calib::CalibMethod::SmoothQuant});
        s.source = CalibrationSetup::Source(source);
        s.weightsPath = dir_.filePath(QStringLiteral("W.npy"));
        s.activationsPath = dir_.filePath(QStringLiteral("X.npy"));
        s.settings.act_order = actOrder;
        s.settings.alpha = alpha;
        s.settings.percdamp = 0.05;
        s.logScale = false;
        view_->setSetup(s);
        view_->run();
        view_->cancel();
        const CalibrationSetup got = CalibrationView().setup();
        QCOMPARE(int(got.source), source);
        QVERIFY(got.spec == s.spec);
        QCOMPARE(got.weightsPath, s.weightsPath);
        QCOMPARE(got.activationsPath, s.activationsPath);
        QCOMPARE(got.settings.bits, 3);
        QCOMPARE(got.settings.group_size, groupSize);
        QCOMPARE(got.settings.act_order, actOrder);
        QCOMPARE(got.settings.alpha, alpha);
        QCOMPARE(got.settings.percdamp, 0.05);
        QVERIFY(got.methods == s.methods);
        QCOMPARE(got.logScale, false);
    }

    void mainWindowHoldsTheViewInADock() {
        QSettings().clear();  // the default layer, not the last test's
        MainWindow w;
        w.resize(1400, 900);
        w.show();
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("calibrationDock"));
        QVERIFY(dock);
        auto* view = qobject_cast<CalibrationView*>(dock->widget());
        QVERIFY(view);
        QVERIFY(!dock->isVisible());
        // Hidden, it runs nothing: no calibration behind the window's back at start.
        QTest::qWait(50);
        QVERIFY(!view->busy());
        QVERIFY(!view->report());
        // The View menu's action shows it; showing it starts a run of the default layer.
        QAction* open = nullptr;
        for (QAction* a : w.menuBar()->actions())
            if (a->menu())
                for (QAction* b : a->menu()->actions())
                    if (b->shortcut() == QKeySequence(QStringLiteral("Ctrl+K"))) open = b;
        QVERIFY(open);
        QSignalSpy shown(view, &CalibrationView::reportShown);
        open->trigger();
        QVERIFY(dock->isVisible());
        QVERIFY(shown.wait(kRunTimeoutMs));
        view->waitForIdle();
        QVERIFY(view->report());
        QCOMPARE(view->report()->layer.out, CalibrationSetup::defaultSpec().out);
    }
};

QTEST_MAIN(TestCalibrationView)
#include "test_calibration_view.moc"
