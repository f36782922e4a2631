// The chart classes draw exactly what a report holds: reports filled by hand with values whose drawn
// form follows from the definitions (density = count / (total x bin width), bytes / 10^9 for GB ...),
// then the plottables of each chart are compared with them. Also: every chart has a title, axis titles
// with units, a legend, zoom/pan, and survives an empty report.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "qcp_complaints.h"
#include "analysis_runner.h"
#include "examples.h"
#include "charts/calibration_charts.h"
#include "charts/charts.h"
#include "charts/log_ticker.h"
#include "charts/speed_charts.h"
#include "charts/survey_charts.h"
#include "theme.h"

using namespace ql;
using namespace ql::ui;

namespace {

constexpr double kExact = 0.0;       // values copied through unchanged
constexpr double kRoundoff = 1e-12;  // values divided once (density, bytes to GB)
constexpr int kEdgePx = 1;           // pixels: a legend in a corner meets two edges of the plot's inset area (rounding)
// A chart where the weight chart's seven entries fill more than an eighth of the plot in its corner but
// would take more than 30% of the height under it (and less than 50%), leaving the plot at least 80 px.
const QSize kCoveringSize(420, 300);

Histogram hist(double lo, double hi, std::vector<std::uint64_t> counts) {
    Histogram h;
    h.lo = lo;
    h.hi = hi;
    h.counts = std::move(counts);
    h.total = 0;
    for (auto c : h.counts) h.total += c;
    return h;
}

QuantConfig intConfig(int bits) {
    QuantConfig c;
    c.bits = bits;
    return c;
}

// Two configurations (INT8, INT4) with small, distinct, hand-chosen numbers in every field a chart draws.
std::shared_ptr<AnalysisReport> handReport() {
    auto r = std::make_shared<AnalysisReport>();
    r->tensor.name = "hand";
    r->tensor.shape = {4, 5};
    r->tensor.numel = 20;
    r->original = hist(-1.0, 1.0, {1, 2, 3, 4});  // width 0.5, total 10: density 0.2 0.4 0.6 0.8
    r->sample_original = {0.5f, -0.25f, 1.0f};
    r->sample_row = 2;
    for (int bits : {8, 4}) {
        ConfigReport c;
        c.config = intConfig(bits);
        c.dequantized = hist(-1.0, 1.0, bits == 8 ? std::vector<std::uint64_t>{1, 2, 3, 4} : std::vector<std::uint64_t>{0, 5, 0, 5});
        c.errors = hist(-0.2, 0.2, bits == 8 ? std::vector<std::uint64_t>{0, 10} : std::vector<std::uint64_t>{4, 6});
        c.levels = bits == 8 ? std::vector<float>{-1.0f, 0.0f, 1.0f} : std::vector<float>{-1.0f, 1.0f};
        c.sample_dequantized = bits == 8 ? std::vector<float>{0.5f, -0.25f, 1.0f} : std::vector<float>{0.4f, -0.4f, 1.2f};
        c.layers = {{1, 0.001, 0.01 * (9 - bits)}, {2, 0.002, bits == 8 ? 0.0 : 0.1}, {3, 0.004, 0.04 * (9 - bits)}};
        c.snr_vs_bits = {{2, 3.0, 2.5, 1.9}, {4, 15.0, 4.5, 13.94}, {8, 37.98, 8.5, 37.98}};
        c.channel_mse = {1e-4 * (9 - bits), 0.0, 3e-4 * (9 - bits), 2e-4 * (9 - bits)};
        c.storage.bits_per_weight = bits + 0.5;
        c.metrics.count = 20;
        c.metrics.mse = bits == 8 ? 1e-4 : 1e-2;
        c.metrics.sqnr_db = bits == 8 ? 40.0 : 20.0;
        c.metrics.snr_db = bits == 8 ? 41.0 : 21.0;
        // sample weights 0 and 1 in one block, weight 2 in the next
        c.sample_levels = {{-0.5f, 0.0f, 0.5f}, {-1.2f, 0.0f, 1.2f}};
        c.sample_level_of = {0, 0, 1};
        r->configs.push_back(c);
    }
    auto bar = [](const char* label, double bpw, std::uint64_t bytes, int config) {
        MemoryBar b;
        b.label = label;
        b.bits_per_weight = bpw;
        b.bytes = bytes;
        b.gb = static_cast<double>(bytes) / 1e9;
        b.gib = static_cast<double>(bytes) / 1073741824.0;
        b.config_index = config;
        return b;
    };
    r->memory = {bar("FP32", 32, 4000000, -1), bar("FP16", 16, 2000000, -1), bar("INT8", 8, 1000000, -1),
                 bar("INT4", 4, 500000, -1),   bar("INT8 asym", 8.5, 1062500, 0), bar("INT4 asym", 4.5, 562500, 1)};
    r->backend = "hand";
    return r;
}

// A 7e9-parameter model at 16 and 4 bits per weight against two GPUs: 14 GB fits an 80 GB card but not
// 12 GB; 3.5 GB fits both (capacities given directly, headroom 0).
std::shared_ptr<GpuFitReport> handFit() {
    auto f = std::make_shared<GpuFitReport>();
    f->params = 7e9;
    f->headroom = 0;
    f->formats = {{"FP16", 16}, {"INT4", 4}};
    GpuSpec big, small;
    big.name = "Big";
    big.memory_bytes = 80e9;
    small.name = "Small";
    small.memory_bytes = 12e9;
    f->gpus = {big, small};
    for (double bpw : {16.0, 4.0}) {
        MemoryEstimate e;
        e.weight_bytes = e.total_bytes = 7e9 * bpw / 8;
        f->estimates.push_back(e);
        std::vector<GpuFit> row;
        for (const auto& g : f->gpus) {
            GpuFit fit;
            fit.need_bytes = e.total_bytes;
            fit.capacity_bytes = g.memory_bytes;
            fit.fits = e.total_bytes <= g.memory_bytes;
            fit.used_fraction = e.total_bytes / g.memory_bytes;
            row.push_back(fit);
        }
        f->fits.push_back(row);
    }
    return f;
}

ChartInputs handInputs() {
    ChartInputs in;
    in.report = handReport();
    in.gpuFit = handFit();
    in.colors = {okabeItoPalette()[0], okabeItoPalette()[1]};
    in.levelsConfig = 1;
    in.showLevels = true;
    in.logScale = true;
    return in;
}

// Every text item's box on screen, without its padding (the text itself), in item order; texts gets
// their texts when given.
std::vector<QRectF> textBoxes(QCustomPlot* chart, QStringList* texts = nullptr) {
    std::vector<QRectF> boxes;
    for (int i = 0; i < chart->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(chart->item(i))) {
            const QMargins pad = t->padding();
            boxes.push_back(QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition())
                                .adjusted(pad.left(), pad.top(), -pad.right(), -pad.bottom()));
            if (texts) *texts << t->text();
        }
    return boxes;
}

// `chart` shown at `size` in the normal or projector type with `in`, drawn twice: the second time from a
// laid-out plot, as in the window.
void showWith(ChartView& chart, const ChartInputs& in, QSize size, bool presentation) {
    chart.setChartStyle(makeChartStyle(false, presentation));
    chart.show();
    chart.resize(size);
    for (int pass = 0; pass < 2; ++pass) {
        chart.setInputs(in);
        chart.replot();
    }
}

// A point of "compare all" (or one of the window's configurations) at (true bits, SNR = SQNR).
ConfigReport comparedPoint(Format f, double bits_per_weight, double snr, int bits = 4, Scheme s = Scheme::Asymmetric,
                           Granularity g = Granularity::PerTensor) {
    ConfigReport c;
    c.config.format = f;
    c.config.bits = bits;
    c.config.scheme = s;
    c.config.granularity = g;
    c.storage.bits_per_weight = bits_per_weight;
    c.metrics.count = 20;
    c.metrics.sqnr_db = c.metrics.snr_db = snr;
    c.metrics.mse = std::pow(10.0, -snr / 10.0);
    return c;
}

std::unique_ptr<ChartView> makeChart(const QString& id) {
    auto all = createAllCharts(nullptr);
    std::unique_ptr<ChartView> keep;
    for (ChartView* c : all) {
        if (c->chartId() == id && !keep) keep.reset(c);
        else delete c;
    }
    return keep;
}

QVector<double> keys(QCPGraph* g) {
    QVector<double> k;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) k << it->key;
    return k;
}
QVector<double> values(QCPGraph* g) {
    QVector<double> v;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) v << it->value;
    return v;
}

void compareSeries(const QVector<double>& got, const QVector<double>& want, double tol) {
    QCOMPARE(got.size(), want.size());
    for (int i = 0; i < got.size(); ++i)
        QVERIFY2(std::fabs(got[i] - want[i]) <= tol * std::max(1.0, std::fabs(want[i])),
                 qPrintable(QStringLiteral("point %1: %2 != %3").arg(i).arg(got[i], 0, 'g', 17).arg(want[i], 0, 'g', 17)));
}

QCPGraph* graphNamed(QCustomPlot* p, const QString& name) {
    for (int i = 0; i < p->graphCount(); ++i)
        if (p->graph(i)->name() == name) return p->graph(i);
    return nullptr;
}

template <class T>
int countItems(QCustomPlot* p) {
    int n = 0;
    for (int i = 0; i < p->itemCount(); ++i) n += qobject_cast<T*>(p->item(i)) ? 1 : 0;
    return n;
}

const QStringList kAllCharts = {"weight_distribution", "error_distribution", "memory", "sample_values",
                                "layer_accumulation", "gpu_fit", "snr_vs_bits", "channel_error", "pareto"};

} // namespace

class TestCharts : public QObject {
    Q_OBJECT
    ChartInputs lesson_;  // the "What scales cost" lesson's analysis, with every format compared (loadLesson())
    void loadLesson() {
        if (lesson_.report) return;  // one analysis for every test that draws it
        QString error;
        const auto session = loadExample(QStringLiteral("scales-cost-bits"), &error);
        QVERIFY2(session, qPrintable(error));
        const AnalysisResult r = runAnalysisJob(*session, nullptr, nullptr, [](int) { return true; });
        QVERIFY2(r.report && r.error.isEmpty(), qPrintable(r.error));
        lesson_.report = r.report;
        lesson_.gpuFit = r.gpuFit;
        lesson_.compare = r.compare;
        lesson_.levelsConfig = session->view.levelsConfig;  // the levels grid over the weights, as the lesson shows it
        lesson_.showLevels = session->view.showLevels;
        for (std::size_t i = 0; i < r.report->configs.size(); ++i) lesson_.colors.push_back(configColor(r.report->configs[i].config.color, int(i)));
    }

private slots:
    void initTestCase() { listenForQcpComplaints(); }
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    void everyChartExists() {
        auto all = createAllCharts(nullptr);
        QStringList ids;
        for (ChartView* c : all) {
            ids << c->chartId();
            delete c;
        }
        QCOMPARE(ids, kAllCharts);
    }

    // Every chart explains itself to a learner: hovering its title shows explanation() (wrapped, as rich
    // text), hovering the plot shows the point tooltips instead, and What's This (Shift+F1) gives the same text.
    void explainsItself_data() {
        QTest::addColumn<QString>("id");
        for (const QString& id : kAllCharts) QTest::newRow(qPrintable(id)) << id;
    }
    void explainsItself() {
        QFETCH(QString, id);
        auto chart = makeChart(id);
        chart->resize(800, 500);
        chart->setInputs(handInputs());
        chart->replot();
        const QString e = chart->explanation();
        QVERIFY2(e.size() > 120, qPrintable(e));  // a few sentences, not a label
        QEvent ask(QEvent::QueryWhatsThis);  // What's This mode asks each widget under the cursor
        QCoreApplication::sendEvent(chart.get(), &ask);
        QVERIFY(ask.isAccepted());
        QCOMPARE(chart->whatsThis(), e);
        const QPoint title(chart->width() / 2, 12);
        QCOMPARE(chart->hoverText(title), QStringLiteral("<p>%1</p>").arg(e.toHtmlEscaped()));
        const QPoint plot = chart->axisRect()->rect().center();
        QVERIFY(!chart->hoverText(plot).contains(e.toHtmlEscaped()));
    }

    // The calibration, speed and survey charts explain themselves too, before anything is drawn, and
    // distinctly: no two charts share a text.
    void otherChartsExplainThemselves() {
        std::vector<std::unique_ptr<ChartView>> charts;
        for (ChartView* c : createCalibrationCharts(nullptr)) charts.emplace_back(c);
        charts.emplace_back(new SpeedTimeChart(nullptr));
        charts.emplace_back(new DecodeTokensChart(nullptr));
        charts.emplace_back(new RooflineChart(nullptr));
        charts.emplace_back(new ModelSqnrChart(nullptr));
        QCOMPARE(int(charts.size()), 12);
        QSet<QString> texts;
        for (auto& c : charts) {
            QEvent ask(QEvent::QueryWhatsThis);
            QCoreApplication::sendEvent(c.get(), &ask);
            QVERIFY(ask.isAccepted());
            const QString e = c->explanation();
            QVERIFY2(e.size() > 120, qPrintable(c->chartId()));
            QCOMPARE(c->whatsThis(), e);
            texts.insert(e);
        }
        for (const QString& id : kAllCharts) texts.insert(makeChart(id)->explanation());
        QCOMPARE(int(texts.size()), 12 + int(kAllCharts.size()));
    }

    // In a narrow chart (a side dock, presentation type) the axis titles break onto two lines and every
    // line fits beside its axis, the legend's type shrinks so it covers less of the data, and both come
    // back whole at full width.
    void narrowChartFitsItsText_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("error_distribution") << "error_distribution";
        QTest::newRow("snr_vs_bits") << "snr_vs_bits";
    }
    void narrowChartFitsItsText() {
        QFETCH(QString, id);
        auto chart = makeChart(id);
        chart->setChartStyle(makeChartStyle(false, true));  // presentation type
        chart->show();  // a hidden widget gets its resize events only when shown
        chart->resize(1400, 800);
        chart->setInputs(handInputs());
        chart->replot();
        const QString full = chart->xAxis->label();
        QVERIFY(!full.contains(QLatin1Char('\n')));
        const QFont wideLegend = chart->legend->font();
        chart->resize(330, 420);
        chart->replot();  // the layout the next fit measures from
        chart->resize(320, 420);
        chart->replot();
        const QString narrow = chart->xAxis->label();
        QVERIFY2(narrow.contains(QLatin1Char('\n')), qPrintable(narrow));
        const int room = chart->width() - chart->axisRect()->margins().left();
        for (const QString& line : narrow.split(QLatin1Char('\n')))
            QVERIFY2(QFontMetrics(chart->xAxis->labelFont()).horizontalAdvance(line) <= room, qPrintable(line));
        // the legend off the data: in smaller type in its corner, or under the plot
        QVERIFY2(chart->legendBelowPlot() || chart->legend->font().pointSizeF() < wideLegend.pointSizeF(), "the legend keeps its type");
        chart->resize(1400, 800);
        chart->replot();
        QCOMPARE(chart->xAxis->label(), full);
        QVERIFY(!chart->legendBelowPlot());
        QCOMPARE(chart->legend->font().pointSizeF(), wideLegend.pointSizeF());
    }

    // The y axis title stays within the plot's height, whole: a legend under the plot takes its rows from
    // that height (the weight chart's log density title ran past the plot into the chart's title at
    // 640x400 in projector type), and a long title takes a third line rather than being cut.
    void yTitleWithinThePlot_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("below");  // the legend under the plot
        QTest::newRow("log weights, 640x400") << "weight_distribution" << QSize(640, 400) << true;
        QTest::newRow("log errors, 420x360") << "error_distribution" << QSize(420, 360) << true;
        QTest::newRow("layers, 420x300") << "layer_accumulation" << QSize(420, 300) << true;
        QTest::newRow("layers, 640x480") << "layer_accumulation" << QSize(640, 480) << false;
    }
    void yTitleWithinThePlot() {
        QFETCH(QString, id);
        QFETCH(QSize, size);
        QFETCH(bool, below);
        ChartInputs in = handInputs();
        in.logHistograms = true;
        auto chart = makeChart(id);
        chart->setChartStyle(makeChartStyle(false, true));
        chart->show();
        chart->resize(size);
        chart->setInputs(in);
        chart->replot();
        QCOMPARE(chart->legendBelowPlot(), below);
        const QString title = chart->yAxis->label();
        QVERIFY2(!title.isEmpty() && !title.contains(QChar(0x2026)), qPrintable(title));  // whole, no ellipsis
        const QFontMetrics fm(chart->yAxis->labelFont());
        for (const QString& line : title.split(QLatin1Char('\n')))
            QVERIFY2(fm.horizontalAdvance(line) <= chart->axisRect()->height(),
                     qPrintable(QStringLiteral("'%1' %2 px along a %3 px plot").arg(line).arg(fm.horizontalAdvance(line)).arg(chart->axisRect()->height())));
    }

    // A legend that would cover more than about an eighth of a small plot goes under it, its entries side by
    // side (the weight chart's four in a chart of the default window's size: two columns), and back into
    // the plot's corner in a large one. Under the plot it overlaps neither the plot nor its axis titles;
    // a new rebuild in either place draws without layout warnings.
    void crowdedLegendGoesBelow_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QSize>("small");
        QTest::addColumn<int>("columns");
        QTest::addColumn<bool>("presentation");
        QTest::newRow("weights in a 600x330 dock") << "weight_distribution" << QSize(600, 330) << 2 << false;
        QTest::newRow("errors at 320x420, presentation type") << "error_distribution" << QSize(320, 420) << 1 << true;
    }
    void crowdedLegendGoesBelow() {
        QFETCH(QString, id);
        QFETCH(QSize, small);
        QFETCH(int, columns);
        QFETCH(bool, presentation);
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".+")));
        auto chart = makeChart(id);
        chart->setChartStyle(makeChartStyle(false, presentation));
        chart->show();
        chart->resize(1200, 750);
        chart->setInputs(handInputs());
        chart->replot();
        QVERIFY(!chart->legendBelowPlot());
        QCOMPARE(chart->legend->layout(), static_cast<QCPLayout*>(chart->axisRect()->insetLayout()));
        chart->resize(small);
        chart->replot();
        QVERIFY(chart->legendBelowPlot());
        QCOMPARE(chart->legend->layout(), static_cast<QCPLayout*>(chart->plotLayout()));
        QCOMPARE(chart->legend->columnCount(), columns);
        const QRect plot = chart->axisRect()->outerRect();  // the plot with its tick labels and axis titles
        QVERIFY2(chart->legend->outerRect().top() >= plot.bottom(),
                 qPrintable(QStringLiteral("legend at %1, plot to %2").arg(chart->legend->outerRect().top()).arg(plot.bottom())));
        QVERIFY(chart->legend->outerRect().bottom() <= chart->height());
        chart->setInputs(handInputs());  // rebuilt: back in the corner, then under the plot again
        chart->replot();
        QVERIFY(chart->legendBelowPlot());
        QCOMPARE(chart->legend->itemCount(), chart->legend->elementCount());
        chart->resize(1200, 750);
        chart->replot();
        QVERIFY(!chart->legendBelowPlot());
        QCOMPARE(chart->legend->columnCount(), 1);
        // in a corner of the plot: at one of its sides and at its top or bottom (not centred over the data)
        const QRect box = chart->legend->outerRect(), plotArea = chart->axisRect()->insetLayout()->rect();  // inside its margins
        const bool atSide = std::abs(box.left() - plotArea.left()) <= kEdgePx || std::abs(box.right() - plotArea.right()) <= kEdgePx;
        const bool atEnd = std::abs(box.top() - plotArea.top()) <= kEdgePx || std::abs(box.bottom() - plotArea.bottom()) <= kEdgePx;
        QVERIFY2(atSide && atEnd, qPrintable(QStringLiteral("legend (%1,%2 %3x%4) in plot (%5,%6 %7x%8)")
                                                 .arg(box.x()).arg(box.y()).arg(box.width()).arg(box.height())
                                                 .arg(plotArea.x()).arg(plotArea.y()).arg(plotArea.width()).arg(plotArea.height())));
    }

    // Neighbouring x tick labels never run into each other: in a narrow chart in projector type the error
    // axis ("-0.0025") takes fewer ticks. Checked on the laid-out axis, label widths measured.
    void xTickLabelsApart_data() {
        QTest::addColumn<int>("width");
        QTest::newRow("a 330 px dock") << 330;
        QTest::newRow("a 480 px dock") << 480;
        QTest::newRow("wide") << 1200;
    }
    void xTickLabelsApart() {
        QFETCH(int, width);
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        for (auto& c : r->configs) c.errors = hist(-0.0056, 0.0056, {1, 3, 4, 2});
        in.report = r;
        auto chart = makeChart(QStringLiteral("error_distribution"));
        chart->setChartStyle(makeChartStyle(false, true));
        chart->resize(width, 420);
        chart->setInputs(in);
        chart->replot();
        const QVector<double> ticks = chart->xAxis->tickVector();
        const QVector<QString> labels = chart->xAxis->tickVectorLabels();
        QVERIFY(ticks.size() >= 2);
        const QFontMetricsF fm(chart->xAxis->tickLabelFont());
        for (int i = 1; i < ticks.size(); ++i) {
            const double apart = std::fabs(chart->xAxis->coordToPixel(ticks[i]) - chart->xAxis->coordToPixel(ticks[i - 1]));
            QVERIFY2((fm.horizontalAdvance(labels[i - 1]) + fm.horizontalAdvance(labels[i])) / 2 < apart,
                     qPrintable(QStringLiteral("'%1' and '%2' %3 px apart").arg(labels[i - 1], labels[i]).arg(apart)));
        }
    }

    // Title, axis titles (with a unit or a "log"/"dB" marker where the quantity has one), zoom/pan.
    void frame_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("legend");
        QTest::addColumn<int>("entries");  // at least; the Pareto chart's points are named by their labels
        for (const QString& id : kAllCharts) QTest::newRow(qPrintable(id)) << id << (id != "memory") << (id == "pareto" ? 1 : 2);
    }
    void frame() {
        QFETCH(QString, id);
        QFETCH(bool, legend);
        QFETCH(int, entries);
        auto chart = makeChart(id);
        chart->resize(900, 600);
        chart->setInputs(handInputs());
        QVERIFY(!chart->title().isEmpty());
        QVERIFY(!chart->xAxis->label().isEmpty());
        QVERIFY(!chart->yAxis->label().isEmpty());
        QVERIFY(chart->interactions().testFlag(QCP::iRangeDrag));
        QVERIFY(chart->interactions().testFlag(QCP::iRangeZoom));
        QCOMPARE(chart->legend->visible(), legend);
        if (legend) QVERIFY(chart->legend->itemCount() >= entries);
    }

    // A legend inside the plot stands in the corner where it covers the least of the data: the chart's own
    // (the weight chart's top right) unless another covers clearly less. Here the histograms rise to the
    // right, to the left, or at both ends; where every corner covers the data and the rows fit in under
    // half the height, the legend goes under the plot.
    void legendAwayFromData_data() {
        QTest::addColumn<QVector<int>>("counts");
        QTest::addColumn<int>("corner");  // Qt::Alignment; 0: under the plot
        QTest::newRow("rising to the right") << QVector<int>{1, 1, 2, 8} << int(Qt::AlignTop | Qt::AlignLeft);
        QTest::newRow("rising to the left") << QVector<int>{8, 2, 1, 1} << int(Qt::AlignTop | Qt::AlignRight);
        QTest::newRow("flat") << QVector<int>{1, 1, 1, 1} << int(Qt::AlignTop | Qt::AlignRight);
        QTest::newRow("high at both ends") << QVector<int>{8, 3, 3, 8} << 0;
    }
    void legendAwayFromData() {
        QFETCH(QVector<int>, counts);
        QFETCH(int, corner);
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        std::vector<std::uint64_t> c(counts.begin(), counts.end());
        r->original = hist(-1.0, 1.0, c);
        for (int k = 0; k < 4; ++k) r->configs.push_back(r->configs[std::size_t(k % 2)]);  // six: seven entries, four rows below
        for (auto& cfg : r->configs) cfg.dequantized = hist(-1.0, 1.0, c);
        in.report = r;
        in.colors.clear();
        for (int k = 0; k < 6; ++k) in.colors.push_back(okabeItoPalette()[std::size_t(k)]);
        in.showLevels = false;
        auto chart = makeChart(QStringLiteral("weight_distribution"));
        chart->resize(kCoveringSize);
        chart->setInputs(in);
        chart->replot();
        if (corner == 0) {
            QVERIFY(chart->legendBelowPlot());
            return;
        }
        QVERIFY(!chart->legendBelowPlot());
        QCOMPARE(int(chart->axisRect()->insetLayout()->insetAlignment(0)), corner);
        QVERIFY(chart->legend->outerRect().intersects(chart->axisRect()->rect()));
    }

    // A log axis over a short range labels 1-2-5 steps (or every mantissa), not QCustomPlot's linear
    // fallback (0.2 0.4 0.6 0.8 bunched at the top of 0.05..0.9) or a lone power of ten; three powers of
    // ten or more keep the powers.
    void logTicksReadable_data() {
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        QTest::addColumn<QVector<double>>("ticks");  // the ticks inside the range
        QTest::newRow("0.05 to 0.9") << 0.05 << 0.9 << QVector<double>{0.05, 0.1, 0.2, 0.5};
        QTest::newRow("1.5e-6 to 3e-5") << 1.5e-6 << 3e-5 << QVector<double>{2e-6, 5e-6, 1e-5, 2e-5};
        QTest::newRow("0.3 to 0.9: every mantissa") << 0.3 << 0.9 << QVector<double>{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
        QTest::newRow("0.005 to 0.9") << 0.005 << 0.9 << QVector<double>{0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5};
        QTest::newRow("1e-3 to 2: powers") << 1e-3 << 2.0 << QVector<double>{1e-3, 1e-2, 1e-1, 1.0};
    }
    void logTicksReadable() {
        QFETCH(double, lower);
        QFETCH(double, upper);
        QFETCH(QVector<double>, ticks);
        QCustomPlot plot;
        plot.resize(600, 500);
        plot.yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot.yAxis->setTicker(QSharedPointer<LogTicker>(new LogTicker));
        plot.yAxis->setRange(lower, upper);
        plot.replot();
        QVector<double> inside;
        for (double t : plot.yAxis->tickVector())
            if (t >= lower && t <= upper) inside.push_back(t);
        QCOMPARE(inside.size(), ticks.size());
        for (int i = 0; i < ticks.size(); ++i)
            QVERIFY2(std::fabs(inside[i] - ticks[i]) <= kRoundoff * ticks[i], qPrintable(QStringLiteral("tick %1: %2, not %3").arg(i).arg(inside[i]).arg(ticks[i])));
    }

    // Where every corner would cover the data, a chart that may raise its value range stands its legend in a
    // top corner clear of every line, step and point, with every value still inside the range: the layer
    // chart's rising curves (its bottom-right corner crossed the lowest), and the INT8 error spike of a
    // tiny tensor in a narrow chart (both top corners reached it; its fill was counted at half height).
    void legendClearOfTheData_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QSize>("size");
        QTest::newRow("layers: rising curves, 640x420") << "layer_accumulation" << QSize(640, 420);
        QTest::newRow("errors: a central spike, 378x555") << "error_distribution" << QSize(378, 555);
    }
    void legendClearOfTheData() {
        QFETCH(QString, id);
        QFETCH(QSize, size);
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        std::vector<double> values;  // every value drawn, for the range check
        if (id == QLatin1String("layer_accumulation")) {
            r->configs.resize(4, r->configs[0]);
            const double base[] = {0.005, 0.017, 0.07, 0.085};  // GGUF Q8_0, Q6_K, Q4_K, Q4_0 on 5 layers
            for (std::size_t k = 0; k < 4; ++k) {
                r->configs[k].config.label = "config " + std::to_string(k);
                r->configs[k].layers.clear();
                for (int l = 1; l <= 5; ++l) {
                    r->configs[k].layers.push_back({l, 0.0, base[k] * (1.0 + 0.6 * std::log(double(l)))});
                    values.push_back(r->configs[k].layers.back().relative);
                }
            }
        } else {  // INT8: a spike of two bins in the middle; INT4: low and flat across
            std::vector<std::uint64_t> spike(40, 0), flat(40, 1);
            spike[19] = 60;
            spike[20] = 33;
            r->configs[0].errors = hist(-0.09, 0.09, spike);
            r->configs[1].errors = hist(-0.09, 0.09, flat);
        }
        in.report = r;
        in.colors.clear();
        for (std::size_t k = 0; k < r->configs.size(); ++k) in.colors.push_back(okabeItoPalette()[k]);
        auto chart = makeChart(id);
        chart->setChartStyle(makeChartStyle(false, true));
        chart->resize(size);
        chart->setInputs(in);
        chart->replot();
        QVERIFY(!chart->legendBelowPlot());
        const QRectF box = chart->legend->outerRect();
        for (int g = 0; g < chart->graphCount(); ++g) {  // each graph walked pixel by pixel as drawn, its points with their markers
            const QCPGraph* gr = chart->graph(g);
            const double radius = gr->scatterStyle().size() / 2;
            auto walk = [&](QPointF a, QPointF b) {
                for (double t = 0; t <= 1; t += 1.0 / std::max(1.0, QLineF(a, b).length()))
                    if (box.contains(a + t * (b - a))) return false;
                return true;
            };
            QPointF prev;
            for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it) {
                const QPointF p(chart->xAxis->coordToPixel(it->key), chart->yAxis->coordToPixel(it->value));
                QVERIFY2(!box.intersects(QRectF(p.x() - radius, p.y() - radius, 2 * radius, 2 * radius)), qPrintable(gr->name()));
                if (it != gr->data()->constBegin()) {
                    if (gr->lineStyle() == QCPGraph::lsStepCenter) {
                        const double mid = 0.5 * (prev.x() + p.x());
                        QVERIFY2(walk(prev, {mid, prev.y()}) && walk({mid, prev.y()}, {mid, p.y()}) && walk({mid, p.y()}, p), qPrintable(gr->name()));
                    } else {
                        QVERIFY2(walk(prev, p), qPrintable(gr->name()));
                    }
                }
                prev = p;
            }
            for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it) values.push_back(it->value);
        }
        QVERIFY(box.top() < chart->axisRect()->rect().center().y());  // a top corner
        for (double v : values) QVERIFY2(v <= chart->yAxis->range().upper && (v <= 0 || v >= chart->yAxis->range().lower), qPrintable(QString::number(v)));
    }

    // A lesson's charts in one of the two columns of presentation mode on a 1280x800 projector (380x550 in
    // projector type): no text past the chart's edge (a Pareto label ran off it, the first bar's name
    // vanished), the GPU-fit chart's value labels apart (they ran into each other), the first bar named
    // whole ("FP3...b/w"), and a legend that would cover a quarter of the plot under it (the SNR chart's
    // seven entries covered half).
    void projectorColumnReadable_data() {
        QTest::addColumn<QString>("id");
        for (const char* id : {"gpu_fit", "memory", "pareto", "snr_vs_bits"}) QTest::newRow(id) << QString::fromLatin1(id);
    }
    void projectorColumnReadable() {
        QFETCH(QString, id);
        loadLesson();
        QVERIFY(lesson_.report);
        auto chart = makeChart(id);
        showWith(*chart, lesson_, QSize(380, 550), true);
        QStringList texts;
        const std::vector<QRectF> boxes = textBoxes(chart.get(), &texts);
        QVERIFY(!boxes.empty() || id == QLatin1String("memory"));  // (its value labels left out at this width)
        for (std::size_t i = 0; i < boxes.size(); ++i)
            QVERIFY2(boxes[i].left() >= 0 && boxes[i].right() <= chart->width(),
                     qPrintable(QStringLiteral("'%1' from %2 to %3 px").arg(texts[int(i)]).arg(boxes[i].left()).arg(boxes[i].right())));
        if (id == QLatin1String("gpu_fit") || id == QLatin1String("memory")) {
            for (std::size_t a = 0; a < boxes.size(); ++a)
                for (std::size_t b = a + 1; b < boxes.size(); ++b)
                    QVERIFY2(boxes[a].intersected(boxes[b]).isEmpty(), qPrintable(QStringLiteral("'%1' and '%2' overlap").arg(texts[int(a)], texts[int(b)])));
            auto ticker = chart->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
            QVERIFY(ticker && !ticker->ticks().isEmpty());
            QVERIFY2(!ticker->ticks().first().contains(QChar(0x2026)), qPrintable(ticker->ticks().first()));
        }
        if (!chart->legendBelowPlot() && chart->legend->visible()) {
            const QRect box = chart->legend->outerRect(), plot = chart->axisRect()->rect();
            QVERIFY2(double(box.width()) * box.height() <= 0.25 * plot.width() * plot.height(),
                     qPrintable(QStringLiteral("a %1x%2 legend over a %3x%4 plot").arg(box.width()).arg(box.height()).arg(plot.width()).arg(plot.height())));
        }
    }

    // The lesson's Pareto chart with every format compared: no point label over another or under the
    // legend (in a presentation column the names of the 4-bit cluster ran into each other, and at 440x300 the
    // legend hid part of 'INT8 sym ch'); the window's configurations are always named, a format off the
    // front may be left unnamed where its name would only cover its neighbours.
    void paretoLabelsApart_data() {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("size");
        QTest::newRow("projector column 380x550") << true << QSize(380, 550);
        QTest::newRow("narrow projector column 330x500") << true << QSize(330, 500);
        QTest::newRow("projector column 440x420") << true << QSize(440, 420);
        QTest::newRow("a dock 440x300") << false << QSize(440, 300);
        QTest::newRow("wide 900x560") << false << QSize(900, 560);
    }
    void paretoLabelsApart() {
        QFETCH(bool, presentation);
        QFETCH(QSize, size);
        loadLesson();
        QVERIFY(lesson_.report && lesson_.compare);
        auto chart = makeChart(QStringLiteral("pareto"));
        showWith(*chart, lesson_, size, presentation);
        QStringList texts;
        const std::vector<QRectF> boxes = textBoxes(chart.get(), &texts);
        constexpr double kTouchPx = 1.5;  // boxes that overlap by less only touch
        for (std::size_t a = 0; a < boxes.size(); ++a)
            for (std::size_t b = a + 1; b < boxes.size(); ++b) {
                const QRectF i = boxes[a].intersected(boxes[b]);
                QVERIFY2(i.width() < kTouchPx || i.height() < kTouchPx, qPrintable(QStringLiteral("'%1' and '%2' overlap by %3x%4 px").arg(texts[int(a)], texts[int(b)]).arg(i.width()).arg(i.height())));
            }
        if (!chart->legendBelowPlot() && chart->legend->visible())
            for (std::size_t a = 0; a < boxes.size(); ++a)
                QVERIFY2(!boxes[a].intersects(QRectF(chart->legend->outerRect())), qPrintable(QStringLiteral("'%1' under the legend").arg(texts[int(a)])));
        for (const auto& c : lesson_.report->configs) {  // named, whole or cut in its middle at the chart's edge
            const QString name = QString::fromStdString(c.config.display_name());
            const bool named = std::any_of(texts.begin(), texts.end(), [&](const QString& t) {
                const int cut = t.indexOf(QChar(0x2026));
                return t == name || (cut > 0 && name.startsWith(t.left(cut)) && name.endsWith(t.mid(cut + 1)));
            });
            QVERIFY2(named, qPrintable(name + QStringLiteral(" not in: ") + texts.join(QStringLiteral(" | "))));
        }
        QVERIFY2(texts.size() >= int(lesson_.report->configs.size()) + 6, qPrintable(texts.join(QStringLiteral(" | "))));  // most formats named
        // the x title whole, or its short form whole where the long one would be cut ('...zero points includ...')
        QVERIFY2(!chart->xAxis->label().contains(QChar(0x2026)), qPrintable(chart->xAxis->label()));
    }

    // A chart resized from a window's dock into a presentation column looks as if built at its new size:
    // the Pareto chart's labels placed again (entering presentation mode left them far from their points
    // on long lines), the weight chart's range raised for a legend in its corner brought down when the
    // legend goes under the plot.
    void resizedAsIfBuiltThere_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("pareto") << "pareto";
        QTest::newRow("weight_distribution") << "weight_distribution";
    }
    void resizedAsIfBuiltThere() {
        QFETCH(QString, id);
        loadLesson();
        QVERIFY(lesson_.report);
        const QSize column(380, 550);
        auto make = [&](QSize size) {
            auto chart = makeChart(id);
            chart->setChartStyle(makeChartStyle(false, true));
            chart->show();
            chart->resize(size);
            for (int pass = 0; pass < 2; ++pass) {
                chart->setInputs(lesson_);
                chart->replot();
            }
            return chart;
        };
        auto resized = make(QSize(480, 560));  // the weight chart's legend in its corner over a raised range
        resized->resize(column);
        QCoreApplication::processEvents();  // the queued placing of the labels
        resized->replot();
        auto built = make(column);
        QCOMPARE(resized->yAxis->range(), built->yAxis->range());
        QCOMPARE(resized->legendBelowPlot(), built->legendBelowPlot());
        QStringList a, b;
        const std::vector<QRectF> ra = textBoxes(resized.get(), &a), rb = textBoxes(built.get(), &b);
        QCOMPARE(a, b);
        for (std::size_t i = 0; i < ra.size(); ++i)
            QVERIFY2((ra[i].center() - rb[i].center()).manhattanLength() <= 2.0,
                     qPrintable(QStringLiteral("'%1' at %2,%3, not %4,%5").arg(a[int(i)]).arg(ra[i].center().x()).arg(ra[i].center().y()).arg(rb[i].center().x()).arg(rb[i].center().y())));
    }

    // An empty report draws a note and no data; nothing crashes.
    void emptyReport_data() {
        QTest::addColumn<QString>("id");
        for (const QString& id : kAllCharts) QTest::newRow(qPrintable(id)) << id;
    }
    void emptyReport() {
        QFETCH(QString, id);
        auto chart = makeChart(id);
        chart->resize(600, 400);
        ChartInputs in;
        chart->setInputs(in);
        in.report = std::make_shared<AnalysisReport>();
        chart->setInputs(in);
        QCOMPARE(chart->plottableCount(), 0);
        QVERIFY(countItems<QCPItemText>(chart.get()) >= 1);
        QVERIFY2(!chart->legend->visible(), "an empty legend box over the note");
        // nor tick labels: QCustomPlot's default range 0..5 read as values ("Time per product: 0-5 ms")
        for (QCPAxis* ax : {chart->xAxis, chart->yAxis}) QVERIFY(!ax->tickLabels());
        chart->setInputs(handInputs());  // with data the legend is back, and the tick labels
        QVERIFY(chart->legend->visible() || chart->legend->itemCount() == 0);
        for (QCPAxis* ax : {chart->xAxis, chart->yAxis}) QVERIFY(ax->tickLabels());
    }

    void weightDistribution() {
        auto chart = makeChart("weight_distribution");
        const ChartInputs in = handInputs();
        chart->setInputs(in);
        QCOMPARE(chart->graphCount(), 4);  // the original, two dequantized, the levels' legend entry
        // Original: bin centres and count / (total x width).
        compareSeries(keys(chart->graph(0)), {-0.75, -0.25, 0.25, 0.75}, kRoundoff);
        compareSeries(values(chart->graph(0)), {0.2, 0.4, 0.6, 0.8}, kRoundoff);
        compareSeries(values(chart->graph(2)), {0.0, 1.0, 0.0, 1.0}, kRoundoff);  // INT4: 5 and 5 of 10
        // The levels grid of configuration 1 (INT4): one vertical line per level at its value.
        QCOMPARE(countItems<QCPItemStraightLine>(chart.get()), 2);
        QList<double> at;
        for (int i = 0; i < chart->itemCount(); ++i)
            if (auto* l = qobject_cast<QCPItemStraightLine*>(chart->item(i))) at << l->point1->coords().x();
        std::sort(at.begin(), at.end());
        QCOMPARE(at, (QList<double>{-1.0, 1.0}));
        // named in the legend with a dashed icon in the configuration's colour, no note over the plot
        QCPGraph* key = chart->graph(3);
        QCOMPARE(key->name(), QStringLiteral("2 levels of %1").arg(QString::fromStdString(in.report->configs[1].config.display_name())));
        QCOMPARE(key->pen().style(), Qt::DashLine);
        QCOMPARE(key->pen().color().rgb(), in.colors.at(1).rgb());
        QVERIFY(chart->legend->hasItemWithPlottable(key));
        QCOMPARE(countItems<QCPItemText>(chart.get()), 0);
        ChartInputs off = in;
        off.showLevels = false;
        chart->setInputs(off);
        QCOMPARE(countItems<QCPItemStraightLine>(chart.get()), 0);
        QCOMPARE(chart->graphCount(), 3);
    }

    void errorDistribution() {
        auto chart = makeChart("error_distribution");
        chart->setInputs(handInputs());
        QCOMPARE(chart->graphCount(), 2);
        compareSeries(keys(chart->graph(1)), {-0.1, 0.1}, kRoundoff);
        compareSeries(values(chart->graph(1)), {4 / (10 * 0.2), 6 / (10 * 0.2)}, kRoundoff);
        QCOMPARE(chart->graph(0)->pen().color(), okabeItoPalette()[0]);
        QCOMPARE(chart->graph(1)->pen().color(), okabeItoPalette()[1]);
    }

    // "Distributions on a log scale": the density axis logarithmic, an empty bin a gap (NaN) in the steps
    // rather than a drop to log(0), the axis from a power of ten at or below half the smallest nonzero
    // density (and two decades below twice the largest) to twice the largest; the levels grid still
    // drawn. Linear: from 0, empty bins at 0.
    void logDistributions_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("log");
        QTest::addColumn<int>("graph");         // a graph with an empty bin (INT4's dequantized, INT8's errors)
        QTest::addColumn<double>("smallest");   // the chart's smallest and largest nonzero density
        QTest::addColumn<double>("largest");
        for (bool log : {true, false}) {
            const char* scale = log ? "log" : "linear";
            QTest::newRow(qPrintable(QStringLiteral("weights, %1").arg(QLatin1String(scale)))) << QStringLiteral("weight_distribution") << log << 2 << 0.2 << 1.0;
            QTest::newRow(qPrintable(QStringLiteral("errors, %1").arg(QLatin1String(scale)))) << QStringLiteral("error_distribution") << log << 0 << 2.0 << 5.0;
        }
    }
    void logDistributions() {
        QFETCH(QString, id);
        QFETCH(bool, log);
        QFETCH(int, graph);
        QFETCH(double, smallest);
        QFETCH(double, largest);
        auto chart = makeChart(id);
        ChartInputs in = handInputs();
        in.logHistograms = log;
        chart->setInputs(in);
        QCOMPARE(chart->yAxis->scaleType(), log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        QVERIFY(chart->yAxis->label().contains(QStringLiteral("(log)")) == log);
        const QList<double> v = values(chart->graph(graph));
        QVERIFY(std::any_of(v.begin(), v.end(), [&](double y) { return log ? std::isnan(y) : y == 0.0; }));
        for (double y : v) QVERIFY(std::isnan(y) ? log : (y > 0 || !log));
        const QCPRange r = chart->yAxis->range();
        if (log) {
            const double lo = std::min(smallest / 2, 2 * largest / 100);
            QVERIFY2(r.lower <= lo && r.lower > lo / 10.0, qPrintable(QStringLiteral("lower %1 for %2").arg(r.lower).arg(lo)));
            QCOMPARE(std::log10(r.lower), std::round(std::log10(r.lower)));
            QVERIFY(std::fabs(r.upper - 2 * largest) <= kRoundoff * largest);
        } else {
            QCOMPARE(r.lower, 0.0);
        }
        if (id == QStringLiteral("weight_distribution")) QCOMPARE(countItems<QCPItemStraightLine>(chart.get()), 2);
    }

    void sampleValues() {
        auto chart = makeChart("sample_values");
        chart->setInputs(handInputs());
        QCOMPARE(chart->graphCount(), 3);
        compareSeries(keys(chart->graph(0)), {0, 1, 2}, kExact);
        compareSeries(values(chart->graph(0)), {0.5, -0.25, 1.0}, kExact);
        compareSeries(values(chart->graph(2)), {double(0.4f), double(-0.4f), double(1.2f)}, kExact);
        QVERIFY(chart->title().contains(QLatin1String("row 2")));
    }

    // Layers with a zero error are left out on the log axis.
    void layerAccumulation() {
        auto chart = makeChart("layer_accumulation");
        chart->setInputs(handInputs());
        QCOMPARE(chart->graphCount(), 2);
        QCOMPARE(chart->yAxis->scaleType(), QCPAxis::stLogarithmic);
        compareSeries(keys(chart->graph(0)), {1, 3}, kExact);
        compareSeries(keys(chart->graph(1)), {1, 2, 3}, kExact);
        compareSeries(values(chart->graph(1)), {0.05, 0.1, 0.2}, kRoundoff);
    }

    // Some curve holds each configuration's sweep, and the 6.02 dB-per-bit reference line is drawn.
    void snrVsBits() {
        auto chart = makeChart("snr_vs_bits");
        chart->setInputs(handInputs());
        // x = true bits per weight of each sweep point
        bool sweep = false;
        for (int g = 0; g < chart->graphCount(); ++g)
            sweep = sweep || (keys(chart->graph(g)) == QVector<double>{2.5, 4.5, 8.5} && values(chart->graph(g)) == QVector<double>{3.0, 15.0, 37.98});
        QVERIFY(sweep);
        QCPGraph* ref = graphNamed(chart.get(), QStringLiteral("6.02 dB per bit"));
        QVERIFY(ref);
        compareSeries(values(ref), {1.9, 13.94, 37.98}, kExact);
    }

    // While the window's job still solves an HQQ configuration at 2-8 bits (sweeps_pending), the SNR chart
    // shows its point and says the curve is coming; once the sweep is in, the note is gone.
    void snrVsBitsPendingSweep() {
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        r->configs[1].config.format = Format::HQQ;
        r->configs[1].config.block_size = 64;
        r->configs[1].snr_vs_bits.clear();
        r->sweeps_pending = true;
        in.report = r;
        auto chart = makeChart("snr_vs_bits");
        chart->setInputs(in);
        QStringList texts;
        textBoxes(chart.get(), &texts);
        const QString name = QString::fromStdString(r->configs[1].config.display_name());
        QVERIFY2(texts.join('|').contains(QStringLiteral("Solving %1 at 2-8 bits").arg(name)), qPrintable(texts.join('|')));
        QVERIFY(graphNamed(chart.get(), name));  // its own point meanwhile
        auto done = std::make_shared<AnalysisReport>(*r);
        done->sweeps_pending = false;
        done->configs[1].snr_vs_bits = {{2, 7.0, 2.5, 1.9}, {4, 21.0, 4.5, 13.94}, {8, 45.0, 8.5, 37.98}};
        in.report = done;
        chart->setInputs(in);
        texts.clear();
        textBoxes(chart.get(), &texts);
        QVERIFY2(!texts.join('|').contains(QLatin1String("Solving")), qPrintable(texts.join('|')));
    }

    // A float or codebook format has no bit sweep: it is one point at its true bits and its SNR.
    void snrVsBitsFormatPoint() {
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        r->configs[1].config.format = Format::NF4;
        r->configs[1].snr_vs_bits.clear();
        in.report = r;
        auto chart = makeChart("snr_vs_bits");
        chart->setInputs(in);
        QCPGraph* p = graphNamed(chart.get(), QString::fromStdString(r->configs[1].config.display_name()));
        QVERIFY(p);
        compareSeries(keys(p), {4.5}, kExact);
        compareSeries(values(p), {21.0}, kExact);
    }

    // Pareto: the window's configurations and the compare-all formats as points at (true bits, SQNR);
    // the front runs through the points no other beats on both. Here NF4 at 4.5 bits and 25 dB beats
    // INT4 at 4.5 bits and 20 dB, so the front is NF4 -> INT8; FP8 at 8.0 bits and 30 dB is on it too.
    void pareto_data() {
        QTest::addColumn<bool>("mse");
        QTest::addColumn<QVector<double>>("frontKeys");
        QTest::addColumn<QVector<double>>("frontValues");
        QTest::newRow("SQNR") << false << QVector<double>{4.5, 8.0, 8.5} << QVector<double>{25.0, 30.0, 40.0};
        QTest::newRow("MSE log") << true << QVector<double>{4.5, 8.0, 8.5} << QVector<double>{3e-3, 1e-3, 1e-4};
    }
    void pareto() {
        QFETCH(bool, mse);
        QFETCH(QVector<double>, frontKeys);
        QFETCH(QVector<double>, frontValues);
        ChartInputs in = handInputs();
        auto cmp = std::make_shared<AnalysisReport>();
        auto point = [](Format f, double bits, double sqnr, double e) {
            ConfigReport c;
            c.config.format = f;
            c.storage.bits_per_weight = bits;
            c.metrics.count = 20;
            c.metrics.sqnr_db = sqnr;
            c.metrics.mse = e;
            return c;
        };
        cmp->configs = {point(Format::NF4, 4.5, 25.0, 3e-3), point(Format::FP8_E4M3, 8.0, 30.0, 1e-3)};
        in.compare = cmp;
        in.paretoMse = mse;
        auto chart = makeChart("pareto");
        chart->resize(900, 600);
        chart->setInputs(in);
        chart->replot();
        QCPGraph* front = nullptr;
        for (int g = 0; g < chart->graphCount(); ++g)
            if (chart->graph(g)->name().startsWith(QLatin1String("Pareto front"))) front = chart->graph(g);
        QVERIFY(front);
        compareSeries(keys(front), frontKeys, kExact);
        compareSeries(values(front), frontValues, kExact);
        QCOMPARE(chart->yAxis->scaleType(), mse ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        // one point per configuration and per compared format, each labelled
        QCOMPARE(chart->graphCount(), 1 + 2 + 2);
        QCOMPARE(countItems<QCPItemText>(chart.get()), 4);
        // the legend keys the front and the compared formats; the window's configurations are named by
        // their labels, in their colours
        QCOMPARE(chart->legend->itemCount(), 2);
        QVERIFY(chart->legend->hasItemWithPlottable(front));
        QVERIFY(chart->tooltipAt(QPoint(int(chart->xAxis->coordToPixel(4.5)), int(chart->yAxis->coordToPixel(mse ? 3e-3 : 25.0))))
                    .contains(QLatin1String("4.5 bits")));
    }

    // Bits that count padding (rows that are not whole blocks): the point's label carries a '*', its
    // tooltip the share, and a note in the corner the front leaves empty says what the '*' means; without
    // padding worth saying there is neither.
    void paretoMarksPadding_data() {
        QTest::addColumn<bool>("mse");
        QTest::newRow("SQNR") << false;
        QTest::newRow("MSE log") << true;
    }
    void paretoMarksPadding() {
        QFETCH(bool, mse);
        ChartInputs in = handInputs();
        const std::int64_t n = in.report->tensor.numel;
        QVERIFY(n > 0);
        auto cmp = std::make_shared<AnalysisReport>();
        ConfigReport padded = comparedPoint(Format::Q4_K, 12.0, 22.9);
        padded.storage.padding = static_cast<std::uint64_t>(n) * 3;  // 75% of the codes stored
        ConfigReport sliver = comparedPoint(Format::Q8_0, 8.5, 45.0);
        sliver.storage.padding = static_cast<std::uint64_t>(n) / 200;  // under 1%: not said
        cmp->configs = {padded, sliver};
        in.compare = cmp;
        in.paretoMse = mse;
        auto chart = makeChart("pareto");
        chart->resize(900, 600);
        chart->setInputs(in);
        chart->replot();
        QStringList texts;
        textBoxes(chart.get(), &texts);
        QVERIFY2(texts.contains(QStringLiteral("Q4_K *")), qPrintable(texts.join(QLatin1Char('|'))));
        QVERIFY2(texts.contains(QStringLiteral("Q8_0")), qPrintable(texts.join(QLatin1Char('|'))));
        QCOMPARE(int(std::count_if(texts.begin(), texts.end(), [](const QString& t) { return t.startsWith(QLatin1String("* these bits count padding")); })), 1);
        const QPoint at(int(chart->xAxis->coordToPixel(12.0)), int(chart->yAxis->coordToPixel(mse ? padded.metrics.mse : 22.9)));
        QVERIFY2(chart->tooltipAt(at).contains(QLatin1String("75% of the codes stored are padding")), qPrintable(chart->tooltipAt(at)));
        // no padding worth saying anywhere: no mark, no note
        cmp->configs = {sliver};
        chart->setInputs(in);
        chart->replot();
        texts.clear();
        textBoxes(chart.get(), &texts);
        QVERIFY(std::none_of(texts.begin(), texts.end(), [](const QString& t) { return t.contains(QLatin1Char('*')); }));
    }

    // Crowded points (every 4-bit format lands near 4.5 bits and 21 dB), on the Pareto and the SNR
    // charts: no two labels overlap, and a compared format that is one of the window's configurations
    // is not labelled again (its own point or mark names it).
    void crowdedLabelsApart_data() {
        QTest::addColumn<QString>("chart");
        QTest::addColumn<int>("labels");
        QTest::newRow("pareto") << "pareto" << 2 + 9;       // the window's two and the nine others
        QTest::newRow("snr_vs_bits") << "snr_vs_bits" << 9;  // the window's own show in the legend
    }
    void crowdedLabelsApart() {
        QFETCH(QString, chart);
        QFETCH(int, labels);
        ChartInputs in = handInputs();
        auto cmp = std::make_shared<AnalysisReport>();
        const auto point = [](Format f, double bits, double sqnr) { return comparedPoint(f, bits, sqnr); };
        // the window's own two configurations, and the same two among the compared formats
        auto own = std::make_shared<AnalysisReport>(*in.report);
        own->configs = {point(Format::HQQ, 4.5, 21.3), point(Format::Q4_0, 4.5, 21.32)};
        in.report = own;
        in.colors = {QColor(Qt::blue), QColor(Qt::red)};
        cmp->configs = {point(Format::HQQ, 4.5, 21.3),  point(Format::Q4_0, 4.5, 21.32), point(Format::NF4, 4.5, 20.8),
                        point(Format::NVFP4, 4.5, 20.5), point(Format::IQ4_NL, 4.5, 22.4), point(Format::Q4_K, 4.5, 23.0),
                        point(Format::NF4_DQ, 4.127, 20.7), point(Format::MXFP4, 4.25, 18.8), point(Format::Q4_1, 5.0, 22.2),
                        point(Format::FP4_E2M1, 4.0, 17.1), point(Format::Q8_0, 8.5, 45.0)};
        in.compare = cmp;
        auto view = makeChart(chart);
        view->resize(900, 560);
        view->setInputs(in);
        view->replot();
        const std::vector<QRectF> boxes = textBoxes(view.get());
        QCOMPARE(int(boxes.size()), labels);
        for (std::size_t a = 0; a < boxes.size(); ++a)
            for (std::size_t b = a + 1; b < boxes.size(); ++b) {
                const QRectF i = boxes[a].adjusted(1, 1, -1, -1).intersected(boxes[b].adjusted(1, 1, -1, -1));
                QVERIFY2(i.isEmpty(), qPrintable(QStringLiteral("labels %1 and %2 overlap").arg(a).arg(b)));
            }
    }

    // "Compare all" holds several integer configurations (INT8 by channel, INT4 by group and by channel):
    // on both charts each compared point's label names its bits, scheme and granularity, so the three
    // INT points can be told apart, and other formats their name.
    void comparedIntPointsNamed_data() {
        QTest::addColumn<QString>("chart");
        QTest::newRow("pareto") << "pareto";
        QTest::newRow("snr_vs_bits") << "snr_vs_bits";
    }
    void comparedIntPointsNamed() {
        QFETCH(QString, chart);
        ChartInputs in = handInputs();
        auto own = std::make_shared<AnalysisReport>(*in.report);
        own->configs = {comparedPoint(Format::HQQ, 4.5, 21.3, 4, Scheme::Asymmetric, Granularity::PerGroup)};
        in.report = own;
        in.colors = {QColor(Qt::blue)};
        auto cmp = std::make_shared<AnalysisReport>();
        cmp->configs = {comparedPoint(Format::Int, 8.0, 42.0, 8, Scheme::Symmetric, Granularity::PerChannel),
                        comparedPoint(Format::Int, 4.125, 20.0, 4, Scheme::Asymmetric, Granularity::PerGroup),
                        comparedPoint(Format::Int, 4.0, 17.0, 4, Scheme::Symmetric, Granularity::PerChannel),
                        comparedPoint(Format::NF4, 4.127, 20.7)};
        in.compare = cmp;
        auto view = makeChart(chart);
        view->resize(900, 560);
        view->setInputs(in);
        view->replot();
        QStringList texts;
        textBoxes(view.get(), &texts);
        for (const char* want : {"INT8 sym ch", "INT4 asym g128", "INT4 sym ch", "NF4"})
            QVERIFY2(texts.contains(QLatin1String(want)), qPrintable(QStringLiteral("no label '%1' in: %2").arg(QLatin1String(want), texts.join(QStringLiteral(" | ")))));
    }

    // A compared format's label sits beside its point but off the curves (the sweep and the 6.02 dB line),
    // here for a point just below both lines and one just above them, where the first spot tried
    // (right of the point, above it) would cross them.
    void labelsOffTheLines_data() {
        QTest::addColumn<double>("bits");
        QTest::addColumn<double>("snr");
        QTest::newRow("just below the lines") << 6.5 << 25.0;
        QTest::newRow("just above the lines") << 3.5 << 9.8;
    }
    void labelsOffTheLines() {
        QFETCH(double, bits);
        QFETCH(double, snr);
        ChartInputs in = handInputs();
        auto cmp = std::make_shared<AnalysisReport>();
        cmp->configs = {comparedPoint(Format::Q4_1, bits, snr)};
        in.compare = cmp;
        auto view = makeChart(QStringLiteral("snr_vs_bits"));
        view->resize(900, 560);
        view->setInputs(in);
        view->replot();
        QStringList texts;
        const std::vector<QRectF> boxes = textBoxes(view.get(), &texts);
        QCOMPARE(texts, QStringList{QStringLiteral("Q4_1")});
        int lines = 0;
        for (int g = 0; g < view->graphCount(); ++g) {
            QCPGraph* gr = view->graph(g);
            if (gr->lineStyle() == QCPGraph::lsNone) continue;
            for (auto it = gr->data()->constBegin(); it + 1 != gr->data()->constEnd(); ++it) {
                const QLineF l(gr->keyAxis()->coordToPixel(it->key), gr->valueAxis()->coordToPixel(it->value),
                               gr->keyAxis()->coordToPixel((it + 1)->key), gr->valueAxis()->coordToPixel((it + 1)->value));
                const QRectF& r = boxes.front();
                bool cross = r.contains(l.p1()) || r.contains(l.p2());
                for (const QLineF& e : {QLineF(r.topLeft(), r.topRight()), QLineF(r.topRight(), r.bottomRight()),
                                        QLineF(r.bottomRight(), r.bottomLeft()), QLineF(r.bottomLeft(), r.topLeft())})
                    cross = cross || l.intersects(e, nullptr) == QLineF::BoundedIntersection;
                QVERIFY2(!cross, qPrintable(QStringLiteral("the label crosses a segment of %1").arg(gr->name())));
                ++lines;
            }
        }
        QVERIFY(lines >= 4);  // the sweep's two segments and the reference line's two
    }

    // Hovering sample weight 2 shows its block's levels over the histogram; the sample chart draws each
    // block's grid as segments over that block's weights.
    void blockLevels() {
        ChartInputs in = handInputs();
        in.levelsBlock = 1;
        in.levelsSample = 2;
        auto weights = makeChart("weight_distribution");
        weights->setInputs(in);
        QList<double> at;
        for (int i = 0; i < weights->itemCount(); ++i)
            if (auto* l = qobject_cast<QCPItemStraightLine*>(weights->item(i))) at << l->point1->coords().x();
        std::sort(at.begin(), at.end());
        QCOMPARE(at, (QList<double>{double(-1.2f), 0.0, double(1.2f)}));
        auto sample = makeChart("sample_values");
        sample->setInputs(handInputs());
        QList<QPair<double, double>> segs;  // (x start, level) of each segment
        for (int i = 0; i < sample->itemCount(); ++i)
            if (auto* l = qobject_cast<QCPItemLine*>(sample->item(i))) segs << qMakePair(l->start->coords().x(), l->start->coords().y());
        std::sort(segs.begin(), segs.end());
        // block 0 (weights 0-1): -0.5, 0, 0.5; block 1 (weight 2): -1.2, 0, 1.2; the data span -0.25..1 (+25%)
        // keeps every level but -1.2
        QCOMPARE(segs, (QList<QPair<double, double>>{{-0.5, -0.5}, {-0.5, 0.0}, {-0.5, 0.5}, {1.5, 0.0}, {1.5, double(1.2f)}}));
    }

    void channelError_data() {
        QTest::addColumn<bool>("log");
        QTest::addColumn<int>("points");
        QTest::newRow("log scale skips zero") << true << 3;
        QTest::newRow("linear keeps zero") << false << 4;
    }
    void channelError() {
        QFETCH(bool, log);
        QFETCH(int, points);
        auto chart = makeChart("channel_error");
        ChartInputs in = handInputs();
        in.logScale = log;
        chart->setInputs(in);
        QCOMPARE(chart->graphCount(), 2);
        QCOMPARE(chart->yAxis->scaleType(), log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
        QCOMPARE(values(chart->graph(0)).size(), points);
        QCOMPARE(values(chart->graph(0)).first(), 1e-4);
        QCOMPARE(values(chart->graph(1)).last(), 2e-4 * 5);
    }

    // A row with an infinite MSE (values that dequantize to +-inf) is left out of the line, so the axis
    // keeps the finite rows' range, and a note names the configuration and how many rows are not drawn.
    void channelErrorInfiniteRows_data() {
        QTest::addColumn<bool>("log");
        QTest::addColumn<int>("points");
        QTest::newRow("log scale") << true << 2;    // zero and +inf left out
        QTest::newRow("linear") << false << 3;      // +inf left out
    }
    void channelErrorInfiniteRows() {
        QFETCH(bool, log);
        QFETCH(int, points);
        auto chart = makeChart("channel_error");
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        r->configs[0].channel_mse[2] = std::numeric_limits<double>::infinity();
        in.report = r;
        in.logScale = log;
        chart->setInputs(in);
        QCOMPARE(values(chart->graph(0)).size(), points);
        QVERIFY(std::isfinite(chart->yAxis->range().upper) && std::isfinite(chart->yAxis->range().lower));
        QVERIFY(chart->yAxis->range().upper < 1.0);  // the finite rows' MSE are at most 1.6e-3
        QStringList notes;
        for (int i = 0; i < chart->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(chart->item(i))) notes << t->text();
        const QString name = QString::fromStdString(r->configs[0].config.display_name());
        QVERIFY2(notes.filter(name + QStringLiteral(": 1 row with infinite error")).size() == 1, qPrintable(notes.join(QLatin1Char('|'))));
    }

    // A flat row (every sample 14, or 0) gets a span whose tick labels differ from each other and hold the
    // value; a spread of 1e-12 around it left every label reading '14'.
    void sampleValuesFlat_data() {
        QTest::addColumn<float>("value");
        QTest::newRow("14") << 14.0f;
        QTest::newRow("0") << 0.0f;
        QTest::newRow("-0.002") << -0.002f;
    }
    void sampleValuesFlat() {
        QFETCH(float, value);
        auto chart = makeChart("sample_values");
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        std::fill(r->sample_original.begin(), r->sample_original.end(), value);
        for (auto& c : r->configs) std::fill(c.sample_dequantized.begin(), c.sample_dequantized.end(), value);
        in.report = r;
        chart->resize(480, 360);
        chart->setInputs(in);
        chart->replot();
        const QCPRange y = chart->yAxis->range();
        QVERIFY2(y.lower < value && value < y.upper, qPrintable(QStringLiteral("%1 .. %2").arg(y.lower).arg(y.upper)));
        const QVector<QString> labels = chart->yAxis->tickVectorLabels();
        QVERIFY(labels.size() >= 3);
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
    }

    // A sample value that dequantizes to +-inf is a gap in its line (NaN), not a point at infinity.
    void sampleValuesInfinite() {
        auto chart = makeChart("sample_values");
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        r->configs[1].sample_dequantized[1] = -std::numeric_limits<float>::infinity();
        in.report = r;
        chart->setInputs(in);
        const auto v = values(chart->graph(2));
        QCOMPARE(v.size(), 3);
        QVERIFY(std::isnan(v[1]));
        QCOMPARE(v[2], double(1.2f));
        QVERIFY(std::isfinite(chart->yAxis->range().lower));
    }

    // One bar per memory entry, in MB (the largest is 4e6 bytes), labelled with decimal and binary units.
    void memoryBars() {
        auto chart = makeChart("memory");
        const ChartInputs in = handInputs();
        chart->setInputs(in);
        const auto& mem = in.report->memory;
        QCOMPARE(chart->plottableCount(), static_cast<int>(mem.size()));
        QVERIFY(chart->yAxis->label().contains(QLatin1String("MB")));
        for (int i = 0; i < chart->plottableCount(); ++i) {
            auto* bars = qobject_cast<QCPBars*>(chart->plottable(i));
            QVERIFY(bars);
            QCOMPARE(bars->data()->size(), 1);
            QCOMPARE(bars->data()->at(0)->key, double(i));
            QVERIFY(std::fabs(bars->data()->at(0)->value - static_cast<double>(mem[i].bytes) / 1e6) <= kRoundoff);
        }
        // The configuration bars take their configuration's colour.
        QCOMPARE(qobject_cast<QCPBars*>(chart->plottable(5))->pen().color(), okabeItoPalette()[1].darker(130));
        QStringList labels;
        for (int i = 0; i < chart->itemCount(); ++i)
            if (auto* t = qobject_cast<QCPItemText*>(chart->item(i))) labels << t->text();
        QVERIFY2(labels.join('|').contains(QLatin1String("4.00 MB")), qPrintable(labels.join('|')));
        QVERIFY2(labels.join('|').contains(QLatin1String("MiB")), qPrintable(labels.join('|')));
    }

    // Bytes in decimal and binary units, three significant digits; below 1000 bytes, where both are
    // bytes, once (the memory chart of a 16x8 tensor read '512 B (512 B)' and '64.0 B (64.0 B)').
    void formatBytesUnits_data() {
        QTest::addColumn<double>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("0") << 0.0 << QStringLiteral("0 B");
        QTest::newRow("INT4 of 128 weights") << 64.0 << QStringLiteral("64 B");
        QTest::newRow("half a byte") << 68.5 << QStringLiteral("68.5 B");
        QTest::newRow("999") << 999.0 << QStringLiteral("999 B");
        QTest::newRow("1000") << 1000.0 << QStringLiteral("1.00 kB (1000 B)");
        QTest::newRow("1000x1000 FP32") << 4e6 << QStringLiteral("4.00 MB (3.81 MiB)");
        QTest::newRow("7B at FP16") << 14e9 << QStringLiteral("14.0 GB (13.0 GiB)");
    }
    void formatBytesUnits() {
        QFETCH(double, bytes);
        QFETCH(QString, text);
        QCOMPARE(formatBytes(bytes), text);
    }

    // The value labels over the bars never run into each other: both units on two lines where a bar's
    // slot holds them, the decimal one alone (smaller if need be) where the chart is narrow; and the
    // tallest bar's label stays inside the plot, under the title, in a short chart too.
    void memoryLabelsFit_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<bool>("binary");  // the MiB line shown
        QTest::newRow("wide") << 1200 << 380 << true;
        QTest::newRow("a narrow dock") << 300 << 380 << false;
        QTest::newRow("a short dock") << 560 << 240 << true;
    }
    void memoryLabelsFit() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(bool, binary);
        auto chart = makeChart("memory");
        chart->resize(width, height);
        chart->show();  // a shown widget gets its size, and its plot is laid out for it
        QCoreApplication::processEvents();
        chart->setInputs(handInputs());
        chart->replot();
        QStringList texts;
        const std::vector<QRectF> boxes = textBoxes(chart.get(), &texts);
        QCOMPARE(int(boxes.size()), chart->plottableCount());
        QCOMPARE(texts.join('|').contains(QLatin1String("MiB")), binary);
        QVERIFY(texts.join('|').contains(QLatin1String("4.00 MB")));
        for (std::size_t a = 0; a < boxes.size(); ++a)
            for (std::size_t b = a + 1; b < boxes.size(); ++b)
                QVERIFY2(boxes[a].intersected(boxes[b]).isEmpty(), qPrintable(QStringLiteral("%1 and %2 overlap").arg(texts[int(a)], texts[int(b)])));
        const QRect plot = chart->axisRect()->rect();
        for (std::size_t a = 0; a < boxes.size(); ++a)
            QVERIFY2(boxes[a].top() >= plot.top(),
                     qPrintable(QStringLiteral("%1 starts at %2, above the plot's top %3").arg(texts[int(a)]).arg(boxes[a].top()).arg(plot.top())));
    }

    // In a small chart with presentation type the bar names are slanted and cut with an ellipsis where
    // longer than 30% of the chart's height allows, so the bars keep room.
    void memoryNamesFitASmallChart() {
        auto chart = makeChart("memory");
        chart->setChartStyle(makeChartStyle(false, true));
        chart->resize(330, 300);
        chart->show();
        QCoreApplication::processEvents();
        chart->setInputs(handInputs());
        chart->replot();
        chart->setInputs(handInputs());  // measured from a laid-out plot
        QCOMPARE(chart->xAxis->tickLabelRotation(), -kBarNameSlant);
        auto ticker = chart->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
        QVERIFY(ticker);
        const QFontMetrics fm(chart->xAxis->tickLabelFont());
        const double limit = 0.30 * chart->height() / std::sin(kBarNameSlant * M_PI / 180.0) + 1;
        bool cut = false;
        int cutKeepingBits = 0;
        const auto report = handReport();
        const auto& mem = report->memory;
        for (auto it = ticker->ticks().cbegin(); it != ticker->ticks().cend(); ++it) {
            QVERIFY2(fm.horizontalAdvance(it.value()) <= limit, qPrintable(it.value()));
            const bool thisCut = it.value().contains(QChar(0x2026));
            cut = cut || thisCut;
            // a name cut in its middle keeps its bits per weight whole
            const QString bits = QStringLiteral(", %1 b/w").arg(mem.at(std::size_t(it.key())).bits_per_weight, 0, 'g', 5);
            if (thisCut && it.value().endsWith(bits)) ++cutKeepingBits;
        }
        QVERIFY2(cut, "no name needed cutting: the chart is not small enough for this test");
        QVERIFY2(cutKeepingBits > 0, "every cut name lost its bits per weight");
        QVERIFY(chart->axisRect()->height() > 20);  // the bars keep room
    }

    // FP16 (14 GB) fits only the 80 GB card: "fits some"; INT4 (3.5 GB) fits both: "fits every GPU".
    void gpuFit() {
        auto chart = makeChart("gpu_fit");
        chart->setInputs(handInputs());
        QList<QCPBars*> bars;
        for (int i = 0; i < chart->plottableCount(); ++i)
            if (auto* b = qobject_cast<QCPBars*>(chart->plottable(i))) bars << b;
        QCOMPARE(bars.size(), 2);
        QCOMPARE(bars[0]->data()->at(0)->value, 14.0);
        QCOMPARE(bars[1]->data()->at(0)->value, 3.5);
        QVERIFY(bars[0]->brush().color().rgb() != bars[1]->brush().color().rgb());
        // Each GPU's capacity is a horizontal line at its usable GB.
        QCPGraph* big = nullptr;
        QCPGraph* small = nullptr;
        for (int i = 0; i < chart->graphCount(); ++i) {
            if (chart->graph(i)->name().startsWith(QLatin1String("Big"))) big = chart->graph(i);
            if (chart->graph(i)->name().startsWith(QLatin1String("Small"))) small = chart->graph(i);
        }
        QVERIFY(big && small);
        compareSeries(values(big), {80.0, 80.0}, kExact);
        compareSeries(values(small), {12.0, 12.0}, kExact);
        QVERIFY(chart->yAxis->range().upper >= 80.0);
        QVERIFY(chart->title().contains(QLatin1String("7")));
    }

    // A GPU's name sits over its line's right end, or its left end where a bar's value label would be
    // under it, or is left out and named in the legend (a line named on the plot is not named again
    // there): no name box overlaps a value label, and the legend covers neither. Six bars, the last
    // one's top `last` GB under the small GPU's line (12 GB): at 10.5 GB its label covers the line's
    // right end (the name goes left), at 3.5 GB in a large chart it does not. In a dock's size at
    // 1280x800 the value labels give GB alone (one line), so that the names find room.
    void gpuNamesClearOfValueLabels_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<double>("last");
        QTest::addColumn<int>("atRight");  // -1: not checked
        QTest::addColumn<int>("valueLines");
        QTest::addColumn<bool>("offBars");  // every name off the bars (a place on its line is free)
        QTest::newRow("600x330, last bar 10.5 GB") << QSize(600, 330) << 10.5 << 1 << 2 << false;
        QTest::newRow("900x700, last bar 12.5 GB (a free slot on the line)") << QSize(900, 700) << 12.5 << 1 << 2 << true;
        QTest::newRow("1600x1000, last bar 3.5 GB") << QSize(1600, 1000) << 3.5 << 2 << 2 << true;
        QTest::newRow("440x240, last bar 10.5 GB") << QSize(440, 240) << 10.5 << -1 << 1 << false;
    }
    void gpuNamesClearOfValueLabels() {
        QFETCH(QSize, size);
        QFETCH(double, last);
        QFETCH(int, atRight);
        QFETCH(int, valueLines);
        QFETCH(bool, offBars);
        auto chart = makeChart("gpu_fit");
        chart->show();
        chart->resize(size);
        ChartInputs in = handInputs();
        auto fit = std::make_shared<GpuFitReport>(*in.gpuFit);
        const std::vector<double> gb = {28, 14, 7, 3.5, 7, last};
        fit->formats.clear();
        fit->estimates.clear();
        fit->fits.resize(gb.size(), fit->fits.front());
        for (std::size_t i = 0; i < gb.size(); ++i) {
            fit->formats.push_back({std::string(1, static_cast<char>('A' + i)), 8});
            MemoryEstimate e;
            e.weight_bytes = e.total_bytes = gb[i] * 1e9;
            fit->estimates.push_back(e);
        }
        in.gpuFit = fit;
        chart->setInputs(in);
        chart->replot();
        chart->setInputs(in);  // laid out for this size
        chart->replot();
        auto box = [&](QCPItemText* t) {
            const QFontMetrics fm(t->font());
            QRectF r(QPointF(0, 0), QSizeF(fm.boundingRect(QRect(0, 0, 1000, 1000), 0, t->text()).size()));
            r.adjust(-t->padding().left(), -t->padding().top(), t->padding().right(), t->padding().bottom());
            const QPointF p = t->position->pixelPosition();
            const Qt::Alignment a = t->positionAlignment();
            const double x = a & Qt::AlignRight ? p.x() - r.width() : a & Qt::AlignHCenter ? p.x() - r.width() / 2 : p.x();
            const double y = a & Qt::AlignBottom ? p.y() - r.height() : p.y();
            return QRectF(x, y, r.width(), r.height());
        };
        QList<QRectF> names, values;
        QStringList named;
        int right = 0;
        for (int i = 0; i < chart->itemCount(); ++i) {
            auto* t = qobject_cast<QCPItemText*>(chart->item(i));
            if (!t) continue;
            if (t->objectName() == QLatin1String("gpuName")) {
                names << box(t);
                named << t->text();
                right += (t->positionAlignment() & Qt::AlignRight) ? 1 : 0;
            } else {
                values << box(t);
                QCOMPARE(int(t->text().count(QLatin1Char('\n'))) + 1, valueLines);
            }
        }
        QCOMPARE(values.size(), 6);
        // boxes overlapping by under 1.5 px only touch (the chart's kTouchPx)
        constexpr double kTouchPx = 1.5;
        const auto overlap = [](const QRectF& a, const QRectF& b) {
            const QRectF i = a.intersected(b);
            return i.width() >= kTouchPx && i.height() >= kTouchPx;
        };
        for (const QRectF& nr : names)
            for (const QRectF& vr : values)
                QVERIFY2(!overlap(nr, vr), qPrintable(QStringLiteral("name at %1,%2 over a value label").arg(nr.x()).arg(nr.y())));
        if (atRight >= 0) QCOMPARE(right, atRight);
        if (offBars)  // a name on a bar hid it ("RTX 3080" over the FP32 bar with the INT4 slot free)
            for (int i = 0; i < chart->plottableCount(); ++i)
                if (auto* b = qobject_cast<QCPBars*>(chart->plottable(i)); b && !b->data()->isEmpty()) {
                    const double key = b->data()->at(0)->key, value = b->data()->at(0)->value, half = b->width() / 2;
                    const QRectF bar(QPointF(chart->xAxis->coordToPixel(key - half), chart->yAxis->coordToPixel(value)),
                                     QPointF(chart->xAxis->coordToPixel(key + half), chart->yAxis->coordToPixel(0)));
                    for (int k = 0; k < names.size(); ++k)
                        QVERIFY2(!overlap(names[k], bar.normalized()), qPrintable(QStringLiteral("%1 on bar %2").arg(named[k]).arg(key)));
                }
        // each GPU named on the plot or in the legend; in a short plot not in both
        for (const char* gpu : {"Big", "Small"}) {
            int inLegend = 0;
            for (int i = 0; i < chart->legend->itemCount(); ++i)
                if (auto* item = qobject_cast<QCPPlottableLegendItem*>(chart->legend->item(i)))
                    inLegend += item->plottable()->name().startsWith(QLatin1String(gpu)) ? 1 : 0;
            QVERIFY(inLegend + int(named.contains(QLatin1String(gpu))) >= 1);
            if (valueLines == 1) QCOMPARE(inLegend + int(named.contains(QLatin1String(gpu))), 1);
        }
        // on a line, its tooltip says what the legend said: the GPU, its memory and what is usable
        const QString tip = chart->tooltipAt(QPoint(int(chart->xAxis->coordToPixel(2.5)), int(chart->yAxis->coordToPixel(12.0))));
        QVERIFY2(tip.startsWith(QLatin1String("Small")) && tip.contains(QLatin1String("12.0 GB usable")), qPrintable(tip));
        if (!chart->legendBelowPlot()) {
            const QRectF lg = chart->legend->outerRect();
            for (const QRectF& r : values + names)
                QVERIFY2(!lg.intersects(r), qPrintable(QStringLiteral("the legend covers a label at %1,%2").arg(r.x()).arg(r.y())));
        }
    }

    // Long format names under the GPU-fit bars are wrapped at spaces so that neighbours do not run into
    // each other in a chart of a dock's width (they did at 600 px: "INT4INT8 asym per-tensor"), and kept
    // on one line where there is room. Narrower, the names are compacted as on the Pareto chart ("INT8
    // asym" for per-tensor) before they would be slanted.
    void gpuFitNamesWrap_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("wrapped");
        QTest::addColumn<bool>("compact");
        QTest::newRow("600 px") << 600 << true << false;
        QTest::newRow("1600 px") << 1600 << false << false;
        QTest::newRow("400 px") << 400 << true << true;
    }
    void gpuFitNamesWrap() {
        QFETCH(int, width);
        QFETCH(bool, wrapped);
        QFETCH(bool, compact);
        auto chart = makeChart("gpu_fit");
        chart->show();
        chart->resize(width, 360);
        ChartInputs in = handInputs();
        auto fit = std::make_shared<GpuFitReport>(*in.gpuFit);
        const std::vector<std::string> names = {"FP32", "FP16", "INT8", "INT4", "INT8 asym per-tensor", "INT4 asym per-tensor g128"};
        fit->formats.clear();
        fit->estimates.resize(names.size(), fit->estimates.front());
        fit->fits.resize(names.size(), fit->fits.front());
        for (const auto& n : names) fit->formats.push_back({n, 8});
        in.gpuFit = fit;
        chart->setInputs(in);
        chart->replot();  // the layout the names are wrapped for
        chart->setInputs(in);
        chart->replot();
        auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(chart->xAxis->ticker());
        QVERIFY(ticker);
        const double slot = chart->axisRect()->width() / static_cast<double>(names.size());
        const QFontMetrics fm(chart->xAxis->tickLabelFont());
        bool anyWrapped = false, full = false;
        for (auto it = ticker->ticks().constBegin(); it != ticker->ticks().constEnd(); ++it) {
            const QStringList lines = it.value().split(QLatin1Char('\n'));
            anyWrapped = anyWrapped || lines.size() > 2;  // name on more than one line, then the bits
            for (const QString& line : lines) QVERIFY2(fm.horizontalAdvance(line) <= slot, qPrintable(line));
            full = full || it.value().contains(QLatin1String("per-tensor"));
        }
        QCOMPARE(anyWrapped, wrapped);
        QCOMPARE(full, !compact);
        QCOMPARE(chart->xAxis->tickLabelRotation(), 0.0);
    }

    // A failed configuration is left out of every chart; the others still draw.
    void failedConfigSkipped() {
        ChartInputs in = handInputs();
        auto r = std::make_shared<AnalysisReport>(*in.report);
        r->configs[0] = ConfigReport{};
        r->configs[0].config = intConfig(9);
        r->configs[0].error = "bits must be 2..8, got 9";
        in.report = r;
        auto chart = makeChart("error_distribution");
        chart->setInputs(in);
        QCOMPARE(chart->graphCount(), 1);
        QCOMPARE(chart->graph(0)->pen().color(), okabeItoPalette()[1]);
    }

    // Presentation style: thicker lines and larger fonts than the normal style.
    void presentationStyle() {
        auto chart = makeChart("error_distribution");
        chart->setInputs(handInputs());
        const double normalWidth = chart->graph(0)->pen().widthF();
        const double normalFont = chart->xAxis->labelFont().pointSizeF();
        chart->setChartStyle(makeChartStyle(false, true));
        QVERIFY(chart->graph(0)->pen().widthF() > normalWidth);
        QVERIFY(chart->xAxis->labelFont().pointSizeF() > normalFont);
        chart->setChartStyle(makeChartStyle(true, false));
        QVERIFY(chart->toPixmap(200, 150).toImage().pixelColor(2, 2).lightness() < 100);
    }

    // A chart paints the picture of its latest replot over its own background (its paint buffer starts
    // from the background colour, so the window paints nothing beneath it): new data show, old data
    // leave no trace, and a theme change brings its background.
    void paintShowsLatestReplot_data() {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void paintShowsLatestReplot() {
        QFETCH(bool, dark);
        auto chart = makeChart("error_distribution");
        chart->resize(600, 400);
        chart->setChartStyle(makeChartStyle(dark, false));
        QVERIFY(chart->testAttribute(Qt::WA_OpaquePaintEvent));
        const ChartInputs first = handInputs();
        chart->setInputs(first);
        chart->replot();
        const QImage before = chart->grab().toImage();
        const QColor background = makeChartStyle(dark, false).background;
        QCOMPARE(before.pixelColor(1, 1), background);
        QCOMPARE(before.pixelColor(before.width() - 2, before.height() - 2), background);
        ChartInputs second = handInputs();
        auto other = std::make_shared<AnalysisReport>(*second.report);
        other->configs[1].errors = hist(-0.2, 0.2, {9, 1});
        second.report = other;
        chart->setInputs(second);
        chart->replot();
        const QImage changed = chart->grab().toImage();
        QVERIFY(changed != before);
        chart->setInputs(first);
        chart->replot();
        QCOMPARE(chart->grab().toImage(), before);
    }

    // The title's box follows its text and font (the title measures its text once per text and font).
    void titleBoxFollowsText() {
        auto chart = makeChart("sample_values");
        chart->show();  // the title's room is the chart's width as laid out
        chart->resize(1400, 500);
        ChartInputs in = handInputs();
        chart->setInputs(in);
        chart->replot();
        auto* title = qobject_cast<QCPTextElement*>(chart->plotLayout()->element(0, 0));
        QVERIFY(title);
        QCPLayoutElement* box = title;  // the size hints are public on the layout element
        auto expected = [&] {
            const QSize text = QFontMetrics(title->font()).boundingRect(0, 0, 0, 0, Qt::TextDontClip, title->text()).size();
            return text + QSize(title->margins().left() + title->margins().right(), title->margins().top() + title->margins().bottom());
        };
        QCOMPARE(box->minimumOuterSizeHint(), expected());
        const int shortWidth = box->minimumOuterSizeHint().width();
        auto longer = std::make_shared<AnalysisReport>(*in.report);
        longer->sample_row = 123456789;
        in.report = longer;
        chart->setInputs(in);
        chart->replot();
        QVERIFY(title->text().contains(QLatin1String("123456789")));
        QCOMPARE(box->minimumOuterSizeHint(), expected());
        QVERIFY(box->minimumOuterSizeHint().width() > shortWidth);
        const int normalHeight = title->outerRect().height();
        chart->setChartStyle(makeChartStyle(false, true));  // presentation: a larger font
        chart->replot();
        QCOMPARE(box->minimumOuterSizeHint(), expected());
        QCOMPARE(box->maximumOuterSizeHint().height(), expected().height());
        QVERIFY(title->outerRect().height() > normalHeight);
    }

    // A title too wide for the chart even in a fifth smaller type goes onto two lines, each whole within
    // the chart (a 380 px calibration chart in projector type read "GPTQ: error per column as q..."), and
    // back onto one in a wide chart.
    void titleOnTwoLines_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("lines");
        QTest::newRow("first weights, 1400 px") << "sample_values" << 1400 << 1;
        QTest::newRow("first weights, 380 px") << "sample_values" << 380 << 2;
        QTest::newRow("weights, 380 px") << "weight_distribution" << 380 << 2;
        QTest::newRow("SNR vs bits, 380 px") << "snr_vs_bits" << 380 << 1;
    }
    void titleOnTwoLines() {
        QFETCH(QString, id);
        QFETCH(int, width);
        QFETCH(int, lines);
        auto chart = makeChart(id);
        chart->setChartStyle(makeChartStyle(false, true));
        chart->show();
        chart->resize(width, 550);
        chart->setInputs(handInputs());
        chart->replot();
        QFont font;
        const QString shown = chart->titleAsDrawn(&font);
        QCOMPARE(shown.count(QLatin1Char('\n')) + 1, lines);
        QCOMPARE(QString(shown).replace(QLatin1Char('\n'), QLatin1Char(' ')), chart->title());  // whole
        auto* title = static_cast<QCPLayoutElement*>(chart->plotLayout()->element(0, 0));
        const QFontMetrics fm(font);
        for (const QString& line : shown.split(QLatin1Char('\n')))
            QVERIFY2(fm.horizontalAdvance(line) <= title->rect().width(),
                     qPrintable(QStringLiteral("'%1': %2 px in %3 px").arg(line).arg(fm.horizontalAdvance(line)).arg(title->rect().width())));
        QVERIFY(title->rect().height() >= lines * fm.height());  // the layout gave it its lines
        QVERIFY(font.pointSizeF() >= 0.8 * chart->titleFont().pointSizeF() - 1e-9);
        chart->resize(1400, 550);
        chart->replot();
        QCOMPARE(chart->titleAsDrawn(&font), chart->title());
        QCOMPARE(font, chart->titleFont());
    }

    // Every marked point of a linear chart stands clear of the plot's frame, by its marker's radius at
    // least: the range has air below the lowest value as above the highest, unless the values start at 0
    // (a point on the x axis was half hidden: the model survey's INT4 line).
    void pointsClearOfTheFrame_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("first weights") << "sample_values";
        QTest::newRow("SNR vs bits") << "snr_vs_bits";
        QTest::newRow("model survey") << "model_sqnr";
    }
    void pointsClearOfTheFrame() {
        QFETCH(QString, id);
        std::unique_ptr<ChartView> chart;
        if (id == QLatin1String("model_sqnr")) {  // two configurations over seven tensors, about 48 and 23.5 dB
            auto survey = std::make_shared<ModelSurvey>();
            survey->configs.resize(2);
            for (int i = 0; i < 7; ++i) {
                SurveyTensor t;
                t.name = "model.layers." + std::to_string(i / 2) + ".w" + std::to_string(i);
                t.sqnr_db = {48.0 + 0.1 * (i % 3), 23.5 + 0.1 * (i % 2)};
                survey->tensors.push_back(t);
            }
            auto* survey_chart = new ModelSqnrChart;
            survey_chart->setSurvey(survey, {okabeItoPalette()[0], okabeItoPalette()[1]});
            chart.reset(survey_chart);
        } else {
            chart = makeChart(id);
            chart->setInputs(handInputs());
        }
        chart->show();
        chart->resize(800, 500);
        chart->replot();
        const QRect plot = chart->axisRect()->rect();
        int marked = 0;
        for (int g = 0; g < chart->graphCount(); ++g) {
            const QCPGraph* gr = chart->graph(g);
            if (gr->scatterStyle().isNone() || gr->valueAxis()->scaleType() != QCPAxis::stLinear) continue;
            const double r = gr->scatterStyle().size() / 2;
            for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it, ++marked) {
                if (!std::isfinite(it->value) || it->value == 0) continue;  // a value of 0 may sit on a 0 axis
                const double y = gr->valueAxis()->coordToPixel(it->value);
                QVERIFY2(y - r >= plot.top() && y + r <= plot.bottom(),
                         qPrintable(QStringLiteral("%1 at %2: %3 px in a plot from %4 to %5").arg(gr->name()).arg(it->key).arg(y).arg(plot.top()).arg(plot.bottom())));
            }
        }
        QVERIFY(marked > 0);
    }

    // QCustomPlot clips a legend entry to its row: every row is a pixel higher than its text's line, in
    // every type the legend takes, so that descenders and underscores stay ("Hessian diagonal H_jj" read
    // "H jj" in normal type, "max |X_j| before" in the smaller type under a narrow chart).
    void legendRowsHoldTheirText_data() {
        QTest::addColumn<bool>("presentation");
        QTest::addColumn<QSize>("size");
        QTest::newRow("normal, 900x600") << false << QSize(900, 600);
        QTest::newRow("normal, 380x300") << false << QSize(380, 300);
        QTest::newRow("projector, 1200x700") << true << QSize(1200, 700);
        QTest::newRow("projector, 380x550") << true << QSize(380, 550);
    }
    void legendRowsHoldTheirText() {
        QFETCH(bool, presentation);
        QFETCH(QSize, size);
        for (const QString& id : {QStringLiteral("weight_distribution"), QStringLiteral("sample_values"), QStringLiteral("snr_vs_bits")}) {
            auto chart = makeChart(id);
            chart->setChartStyle(makeChartStyle(false, presentation));
            chart->show();
            chart->resize(size);
            chart->setInputs(handInputs());
            chart->replot();
            const int line = QFontMetrics(chart->legend->font()).height();
            for (int i = 0; i < chart->legend->itemCount(); ++i)
                if (QCPAbstractLegendItem* item = chart->legend->item(i))
                    QVERIFY2(item->rect().height() >= line + 1,
                             qPrintable(QStringLiteral("%1: a %2 px row for %3 px text").arg(id).arg(item->rect().height()).arg(line)));
        }
    }

    // A legend entry wider than the chart even in the legend's smallest type is cut with an ellipsis to
    // lie within the chart (an activation range ran past a 370 px chart's edge in projector type); the
    // plottable keeps its whole name (fullName(), the tooltip's), and a wider chart shows it whole.
    void longLegendEntryCut_data() {
        QTest::addColumn<QString>("id");
        QTest::newRow("layers") << "layer_accumulation";
        QTest::newRow("errors") << "error_distribution";
        QTest::newRow("per channel") << "channel_error";
    }
    void longLegendEntryCut() {
        QFETCH(QString, id);
        const std::string label = "INT4 as the teacher named it for this class, with every setting spelt out";
        ChartInputs in = handInputs();
        auto named = std::make_shared<AnalysisReport>(*in.report);
        named->configs[1].config.label = label;
        in.report = named;
        auto chart = makeChart(id);
        chart->setChartStyle(makeChartStyle(false, true));
        chart->show();
        chart->resize(380, 550);
        chart->setInputs(in);
        chart->replot();
        const QString whole = QString::fromStdString(label);
        auto entry = [&]() -> QCPPlottableLegendItem* {
            for (int i = 0; i < chart->legend->itemCount(); ++i)
                if (auto* item = qobject_cast<QCPPlottableLegendItem*>(chart->legend->item(i)); item && ChartView::fullName(item->plottable()) == whole)
                    return item;
            return nullptr;
        };
        // where the entry's text ends as drawn (QCustomPlot squeezes the entry's box to the legend's, not its text)
        auto textRight = [&](QCPPlottableLegendItem* it) {
            return it->rect().left() + chart->legend->iconSize().width() + chart->legend->iconTextPadding() +
                   QFontMetrics(chart->legend->font()).horizontalAdvance(it->plottable()->name());
        };
        QCPPlottableLegendItem* item = entry();
        QVERIFY(item);
        QVERIFY2(textRight(item) <= chart->width(), qPrintable(QStringLiteral("text to %1 in a %2 px chart").arg(textRight(item)).arg(chart->width())));
        QVERIFY(item->plottable()->name().endsWith(QChar(0x2026)));
        QVERIFY(whole.startsWith(item->plottable()->name().chopped(1)));
        chart->resize(1600, 550);
        chart->replot();
        item = entry();
        QVERIFY(item);
        QCOMPARE(item->plottable()->name(), whole);
        QVERIFY(textRight(item) <= chart->width());
    }

    // Hover: a point under the cursor gives a tooltip with its value.
    void tooltip() {
        auto chart = makeChart("sample_values");
        chart->resize(800, 500);
        chart->setInputs(handInputs());
        chart->replot();
        QCPGraph* orig = chart->graph(0);
        const QPoint at(int(chart->xAxis->coordToPixel(1)), int(chart->yAxis->coordToPixel(-0.25)));
        const QString tip = chart->tooltipAt(at);
        QVERIFY2(tip.contains(QLatin1String("-0.25")), qPrintable(tip));
        QVERIFY(tip.contains(orig->name()));
        QVERIFY(chart->tooltipAt(QPoint(2, 2)).isEmpty());
        auto mem = makeChart("memory");
        mem->resize(800, 500);
        mem->setInputs(handInputs());
        mem->replot();
        const QString memTip = mem->tooltipAt(QPoint(int(mem->xAxis->coordToPixel(0)), int(mem->yAxis->coordToPixel(1))));
        QVERIFY2(memTip.contains(QLatin1String("4000000 bytes")), qPrintable(memTip));
        // a GPU-fit bar: its format's bits, size, each GPU, and the format's note where it has one
        auto fit = makeChart("gpu_fit");
        fit->resize(800, 500);
        ChartInputs in = handInputs();
        auto f = std::make_shared<GpuFitReport>(*in.gpuFit);
        f->formats[1].note = "4.00879 bits per weight on the model's 4096 x 4096 matrices";
        in.gpuFit = f;
        fit->setInputs(in);
        fit->replot();
        const QString fitTip = fit->tooltipAt(QPoint(int(fit->xAxis->coordToPixel(1)), int(fit->yAxis->coordToPixel(1))));
        QVERIFY2(fitTip.startsWith(QLatin1String("INT4 at 4 bits per weight")) &&
                     fitTip.contains(QLatin1String("\n4.00879 bits per weight on the model's 4096 x 4096 matrices\n")),
                 qPrintable(fitTip));
        const QString fp16Tip = fit->tooltipAt(QPoint(int(fit->xAxis->coordToPixel(0)), int(fit->yAxis->coordToPixel(1))));
        QVERIFY2(fp16Tip.startsWith(QLatin1String("FP16 at 16 bits per weight")) && !fp16Tip.contains(QLatin1String("matrices")),
                 qPrintable(fp16Tip));
    }
};

QTEST_MAIN(TestCharts)
#include "test_charts.moc"
