// The calibration charts: method comparison, GPTQ column by column and its Hessian diagonal, AWQ's
// ratio search and scales, SmoothQuant's per-channel maxima and activation histograms.
#include "charts/calibration_charts.h"
#include "charts/bar_names.h"
#include "charts/log_ticker.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ql::ui {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void useLog(QCPAxis* axis) {
    axis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<LogTicker> t(new LogTicker);
    axis->setTicker(t);
    axis->setNumberFormat(QStringLiteral("eb"));
    axis->setNumberPrecision(0);
}

// A log axis spanning less than three decades reads better as plain numbers (7, 10, 20) than as 7·10⁰.
void plainLogLabelsWhenNarrow(QCPAxis* axis) {
    const QCPRange r = axis->range();
    if (r.lower > 0 && r.upper / r.lower < 1000) {
        axis->setNumberFormat(QStringLiteral("g"));
        axis->setNumberPrecision(3);
    }
}

// Values for a log axis: non-positive ones become gaps.
QVector<double> positiveOrGap(const QVector<double>& v) {
    QVector<double> r(v);
    for (double& x : r)
        if (!(x > 0) || !std::isfinite(x)) x = kNaN;
    return r;
}

template <class T>
QVector<double> toVector(const std::vector<T>& v) {
    QVector<double> r;
    r.reserve(static_cast<qsizetype>(v.size()));
    for (const T& x : v) r.push_back(static_cast<double>(x));
    return r;
}

QVector<double> indices(std::size_t n) {
    QVector<double> r;
    r.reserve(static_cast<qsizetype>(n));
    for (std::size_t i = 0; i < n; ++i) r.push_back(static_cast<double>(i));
    return r;
}

// Colours (Okabe-Ito) of the methods: weight-only INT-b in blues/greens, W8A8 in oranges; the
// per-token variant of a W8A8 pair a shade lighter.
QColor methodColor(const std::string& m, const ChartStyle& st) {
    const auto& p = okabeItoPalette();
    if (m == "rtn") return st.original;
    if (m == "gptq") return p[1];
    if (m == "awq") return p[3];
    if (m == "awq_clip") return p[3].darker(140);
    if (m == "smoothquant_w8a8_tensor") return p[0];
    if (m == "smoothquant_w8a8_token") return p[0].lighter(125);
    if (m == "w8a8_tensor") return p[2];
    if (m == "w8a8_token") return p[2].lighter(130);
    return p[4];
}

} // namespace

void CalibrationChart::setCalibration(const CalibChartInputs& in) {
    calib_ = in;
    rebuild();
}

bool CalibrationChart::haveReport(const QString& emptyNote) {
    const auto& r = calib_.report;
    if (!r) {
        addNote(tr("Run the calibration to see this chart"));
        finish();
        return false;
    }
    if (!r->error.empty()) {
        addNote(tr("The calibration could not run:\n%1").arg(QString::fromStdString(r->error)));
        finish();
        return false;
    }
    if (!emptyNote.isEmpty()) {
        addNote(emptyNote);
        finish();
        return false;
    }
    return true;
}

// Outlier input channels of a generated layer, as rings on a per-channel curve.
void CalibrationChart::markOutlierChannels(const std::vector<double>& perChannel, const QString& name) {
    const auto& r = calib_.report;
    if (!r || r->layer.outlier_channels.empty()) return;
    QVector<double> x, y;
    for (std::int64_t c : r->layer.outlier_channels) {
        if (c < 0 || static_cast<std::size_t>(c) >= perChannel.size()) continue;
        x.push_back(static_cast<double>(c));
        y.push_back(perChannel[static_cast<std::size_t>(c)]);
    }
    if (x.isEmpty()) return;
    QCPGraph* g = addGraph();
    g->setName(name);
    g->setData(x, y, true);
    g->setLineStyle(QCPGraph::lsNone);
    const QColor c = okabeItoPalette()[2];
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 2 * style().scale), Qt::NoBrush, 11 * style().scale));
}

QString CalibMethodErrorChart::methodLabel(const std::string& m, int bits) {
    if (m == "rtn") return tr("RTN\nINT%1").arg(bits);
    if (m == "gptq") return tr("GPTQ\nINT%1").arg(bits);
    if (m == "awq") return tr("AWQ\nINT%1").arg(bits);
    if (m == "awq_clip") return tr("AWQ + clip\nINT%1").arg(bits);
    if (m == "smoothquant_w8a8_tensor") return tr("SmoothQuant\nW8A8\nper tensor");
    if (m == "smoothquant_w8a8_token") return tr("SmoothQuant\nW8A8\nper token");
    if (m == "w8a8_tensor") return tr("W8A8\nper tensor");
    if (m == "w8a8_token") return tr("W8A8\nper token");
    return QString::fromStdString(m);
}

QString CalibMethodErrorChart::title() const {
    const auto& r = calib().report;
    if (!r || !r->error.empty()) return tr("Layer-output error by method");
    const int g = r->settings.group_size;
    return tr("Layer-output error by method (weight-only INT%1, %2)")
        .arg(r->settings.bits)
        .arg(g > 0 ? tr("groups of %1").arg(g) : tr("one group per row"));
}

void CalibMethodErrorChart::rebuild() {
    resetPlot();
    const auto& in = calib();
    const bool log = in.logScale;
    setAxisTitles(tr("Method"),
                  log ? tr("Relative output error (log)\n||XWᵀ - XWqᵀ||² / ||XWᵀ||²") : tr("Relative output error\n||XWᵀ - XWqᵀ||² / ||XWᵀ||²"),
                  log ? tr("Relative error (log)") : tr("Relative error"));
    if (!haveReport(in.report && in.report->error.empty() && in.report->methods.empty() ? tr("No method ran") : QString())) return;
    const auto& methods = in.report->methods;
    const int bits = in.report->settings.bits;
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (const auto& m : methods) {
        const double v = m.error.relative_output_error;
        if (v > 0 && std::isfinite(v)) lo = std::min(lo, v);
        if (std::isfinite(v)) hi = std::max(hi, v);
    }
    if (!(hi > 0)) hi = 1;
    if (!std::isfinite(lo)) lo = hi;
    if (log) useLog(yAxis);
    // Names and value labels fitted to the bars' slots as the memory chart's (bar_names.h): wrapped side by
    // side, else slanted and cut within 30% of the height; at a fixed 45 degrees in projector type the
    // names took the whole height from the bars, and "1.01e-02" ran into its neighbours. The slot comes from
    // this style's layout (the value axis' labels and title set the plot's left edge): the last layout's
    // margins, from before presentation mode, made the slots of a projector's type 10 px too wide, and
    // "1.33e-03" ran into "1.21e-03".
    if (log) yAxis->setRange(lo / 3, hi * 4);
    else yAxis->setRange(0, hi * 1.15);
    layOutNow();
    const QMargins am = axisRect()->margins();
    const int plotWidth = axisRect()->width();
    const double slot = static_cast<double>(std::max(plotWidth, 40)) / static_cast<double>(std::max<std::size_t>(methods.size(), 1));
    std::vector<BarName> names;
    std::vector<std::pair<QString, QString>> valueTexts;
    for (const auto& m : methods) {
        names.push_back({methodLabel(m.method, bits).replace(QLatin1Char('\n'), QLatin1Char(' '))});
        valueTexts.emplace_back(QString::number(m.error.relative_output_error, 'e', 2), QString());
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const QFontMetrics tickMetrics(xAxis->tickLabelFont());
    int firstLeft = 0;
    const double rotation = setBarTicks(*ticker, names, slot, am.left(), height(), 16, tickMetrics,
                                        [&](const QString& line) { return tickMetrics.horizontalAdvance(line); }, &firstLeft);
    axisRect()->setMinimumMargins(QMargins(firstLeft, 0, 0, 0));
    const ValueLabels values = fitValueLabels(style(), valueTexts, slot, false,
                                              [](const QFont& font, const QString& t) { return QFontMetrics(font).horizontalAdvance(t); });
    rebuildWhenResized();
    for (std::size_t i = 0; i < methods.size(); ++i) {
        const auto& m = methods[i];
        const double v = m.error.relative_output_error;
        const QColor c = methodColor(m.method, style());
        auto* bar = new QCPBars(xAxis, yAxis);
        bar->setObjectName(QStringLiteral("bar_") + QString::fromStdString(m.method));
        bar->setName(methodLabel(m.method, bits).replace(QLatin1Char('\n'), QLatin1Char(' ')));
        bar->setWidth(0.66);
        // On a log axis the bars start far below the lowest value instead of at 0 (the top moves by a
        // millionth of the smallest bar, invisible; the data keep the report's value).
        bar->setBaseValue(log ? lo * 1e-6 : 0.0);
        bar->addData(static_cast<double>(i), v);
        bar->setPen(QPen(c.darker(130), 1));
        QColor f = c;
        f.setAlpha(225);
        bar->setBrush(f);
        bar->removeFromLegend();
        if (values.lines == 0) continue;  // the tooltip gives the value
        auto* label = new QCPItemText(this);
        label->position->setCoords(static_cast<double>(i), v);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(valueTexts[i].first);
        label->setFont(values.font);
        label->setColor(style().foreground);
        label->setPadding(QMargins(2, 1, 2, 2));
    }
    xAxis->setTicker(ticker);
    xAxis->setTickLabelRotation(rotation);
    xAxis->grid()->setVisible(false);
    legend->setVisible(false);
    finish(false);
    xAxis->setRange(-0.6, static_cast<double>(methods.size()) - 0.4);
    // room above the highest bar for its value label (in projector type "1.01e-02" lost its top to the
    // plot's edge): the label's height on the plot's scale
    double top = log ? hi * 4 : hi * 1.15;
    if (values.lines > 0) {
        layOutNow();
        const double plotH = axisRect()->height();
        const double labelH = QFontMetricsF(values.font).height() + 3 + 4;  // padding and air
        if (plotH > 2 * labelH) {
            const double share = labelH / (plotH - labelH);  // of the range below the highest bar
            if (log) top = std::max(top, hi * std::pow(hi / (lo / 3), share));
            else top = std::max(top, hi * (1 + share));
        }
    }
    yAxis->setRange(log ? lo / 3 : 0.0, top);
    finish(false);
}

QString CalibMethodErrorChart::tooltipAt(const QPoint& pos) const {
    const auto& r = calib().report;
    if (!r || !r->error.empty()) return {};
    const double key = xAxis->pixelToCoord(pos.x());
    const long i = std::lround(key);
    if (i < 0 || i >= static_cast<long>(r->methods.size()) || std::fabs(key - static_cast<double>(i)) > 0.35) return {};
    const auto& m = r->methods[static_cast<std::size_t>(i)];
    QString t = tr("%1\nrelative output error %2\noutput MSE %3\nweight MSE %4\ntime %5 s")
                    .arg(methodLabel(m.method, r->settings.bits).replace(QLatin1Char('\n'), QLatin1Char(' ')))
                    .arg(m.error.relative_output_error, 0, 'g', 6)
                    .arg(m.error.output_mse, 0, 'g', 6)
                    .arg(m.error.weight_mse, 0, 'g', 6)
                    .arg(m.seconds, 0, 'f', 3);
    for (const auto& v : m.values) t += QStringLiteral("\n%1 = %2").arg(QString::fromStdString(v.name)).arg(v.value, 0, 'g', 6);
    return t;
}

void GptqColumnErrorChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    const bool act = r && r->settings.act_order;
    setAxisTitles(act ? tr("Column, in quantization order (act-order: largest H_jj first)") : tr("Column, in quantization order"),
                  tr("Column loss Σ (w − q)² / U_jj² / 2 (log)"), tr("Column loss"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->gptq) empty = tr("Tick GPTQ among the methods to see this chart");
        else if (!r->gptq->error.empty()) empty = tr("GPTQ failed: %1").arg(QString::fromStdString(r->gptq->error));
        else if (r->gptq->column_loss.empty()) empty = tr("No columns");
    }
    if (!haveReport(empty)) return;
    const auto& g = *r->gptq;
    const QVector<double> x = indices(g.column_loss.size());
    useLog(yAxis);
    QCPGraph* per = addGraph();
    per->setName(tr("Loss of each column"));
    per->setData(x, positiveOrGap(toVector(g.column_loss)), true);
    styleGraph(per, okabeItoPalette()[1], 1.0);
    yAxis2->setVisible(true);
    yAxis2->setTickLabels(true);
    setRightAxisTitle(tr("Cumulative loss (GPTQ's Losses summed)"), tr("Cumulative loss"));
    QCPGraph* cum = addGraph(xAxis, yAxis2);
    cum->setName(tr("Cumulative loss (right axis), total %1").arg(g.loss, 0, 'g', 5));
    cum->setData(x, toVector(g.cumulative_loss), true);
    styleGraph(cum, okabeItoPalette()[2], 2.2);
    setLegendCorner(Qt::AlignTop | Qt::AlignLeft);
    finish();
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 40);  // room for the legend above the peaks
    yAxis2->setRange(0, yAxis2->range().upper * 1.3);
    finish(false);
}

void GptqWeightErrorChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    const bool act = r && r->settings.act_order;
    setAxisTitles(act ? tr("Column, in quantization order (act-order: largest H_jj first)") : tr("Column, in quantization order"),
                  tr("Σ over rows of (W − Q)² (log)"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->gptq) empty = tr("Tick GPTQ among the methods to see this chart");
        else if (!r->gptq->error.empty()) empty = tr("GPTQ failed: %1").arg(QString::fromStdString(r->gptq->error));
        else if (r->gptq->column_weight_sq_error.empty()) empty = tr("No columns");
    }
    if (!haveReport(empty)) return;
    const auto& g = *r->gptq;
    auto total = [](const std::vector<double>& v) {
        double s = 0;
        for (double e : v) s += e;
        return s;
    };
    const QVector<double> x = indices(g.column_weight_sq_error.size());
    useLog(yAxis);
    QCPGraph* rtn = addGraph();
    rtn->setName(tr("RTN, total %1").arg(total(g.column_rtn_sq_error), 0, 'g', 4));
    rtn->setData(x, positiveOrGap(toVector(g.column_rtn_sq_error)), true);
    styleGraph(rtn, okabeItoPalette()[0], 1.0);
    QCPGraph* gp = addGraph();
    gp->setName(tr("GPTQ, total %1 (yet the lower output error)").arg(total(g.column_weight_sq_error), 0, 'g', 4));
    gp->setData(x, positiveOrGap(toVector(g.column_weight_sq_error)), true);
    styleGraph(gp, okabeItoPalette()[1], 1.0);
    setLegendCorner(Qt::AlignTop | Qt::AlignLeft);
    finish();
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 2);
    finish(false);
    legendMayRaiseRange();  // room above the peaks as the legend needs it, else the legend under the plot
    legendAwayFromData();
}

void GptqHessianChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    setAxisTitles(tr("Input channel j"), tr("H_jj = 2/n Σ_t x_tj² (log)"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->gptq) empty = tr("Tick GPTQ among the methods to see this chart");
        else if (r->gptq->hessian_diag.empty()) empty = tr("GPTQ failed: %1").arg(QString::fromStdString(r->gptq->error));
    }
    if (!haveReport(empty)) return;
    const auto& g = *r->gptq;
    useLog(yAxis);
    QCPGraph* h = addGraph();
    h->setName(tr("Hessian diagonal H_jj"));
    h->setData(indices(g.hessian_diag.size()), positiveOrGap(toVector(g.hessian_diag)), true);
    styleGraph(h, okabeItoPalette()[1], 1.2);
    markOutlierChannels(g.hessian_diag, tr("Outlier input channels (x20-100)"));
    finish();
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 2);
    finish(false);
    legendMayRaiseRange();  // room above the peaks as the legend needs it, else the legend under the plot
    legendAwayFromData();
}

void AwqLossChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    setAxisTitles(tr("Ratio (s = mean|x|^ratio; 0 = plain RTN)"), tr("Loss: mean (XWᵀ − XW'ᵀ)² (output units²)"), tr("Loss (output units²)"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->awq) empty = tr("Tick AWQ among the methods to see this chart");
        else if (!r->awq->error.empty()) empty = tr("AWQ failed: %1").arg(QString::fromStdString(r->awq->error));
        else if (r->awq->ratios.empty()) empty = tr("No ratios");
    }
    if (!haveReport(empty)) return;
    const auto& a = *r->awq;
    QCPGraph* curve = addGraph();
    curve->setName(tr("Loss at each ratio"));
    curve->setData(toVector(a.ratios), toVector(a.loss_vs_ratio), true);
    styleGraph(curve, okabeItoPalette()[3], 2.0, true);
    QCPGraph* chosen = addGraph();
    chosen->setObjectName(QStringLiteral("chosenRatio"));
    chosen->setName(tr("Chosen ratio %1 (lowest loss)").arg(a.ratio, 0, 'g', 3));
    chosen->setData(QVector<double>{a.ratio}, QVector<double>{a.loss}, true);
    chosen->setLineStyle(QCPGraph::lsNone);
    const QColor c = okabeItoPalette()[2];
    chosen->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(c, 2.5 * style().scale), Qt::NoBrush, 12 * style().scale));  // within the legend's sample
    auto* line = new QCPItemStraightLine(this);
    line->point1->setCoords(a.ratio, 0);
    line->point2->setCoords(a.ratio, 1);
    line->setPen(QPen(c, style().lineWidth(1.2), Qt::DashLine));
    auto* label = new QCPItemText(this);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(a.ratio, 0.04);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setText(tr(" ratio %1").arg(a.ratio, 0, 'g', 3));
    label->setFont(style().font(10, true));
    label->setColor(c);
    setLegendCorner(Qt::AlignTop | Qt::AlignRight);
    finish();
    xAxis->setRange(-0.03, std::max(1.0, xAxis->range().upper + 0.03));
    finish(false);
}

QString AwqScalesChart::title() const {
    const auto& r = calib().report;
    if (!r || !r->awq || !r->awq->error.empty()) return tr("AWQ: per-channel scales");
    return tr("AWQ: scales s at ratio %1 (W·s, X/s)").arg(r->awq->ratio, 0, 'g', 3);
}

void AwqScalesChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    setAxisTitles(tr("Input channel j"), tr("Scale s_j (log)"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->awq) empty = tr("Tick AWQ among the methods to see this chart");
        else if (!r->awq->error.empty() || r->awq->scales.empty()) empty = tr("AWQ failed: %1").arg(QString::fromStdString(r->awq->error));
    }
    if (!haveReport(empty)) return;
    const auto& a = *r->awq;
    useLog(yAxis);
    useLog(yAxis2);
    yAxis2->setVisible(true);
    yAxis2->setTickLabels(true);
    setRightAxisTitle(tr("Mean |x_j| over tokens (log)"), tr("Mean |x_j| (log)"));
    QCPGraph* xm = addGraph(xAxis, yAxis2);
    xm->setName(tr("Mean |x_j| (right axis)"));
    xm->setData(indices(a.x_mean.size()), positiveOrGap(toVector(a.x_mean)), true);
    styleGraph(xm, style().original, 1.0);
    QCPGraph* s = addGraph();
    s->setName(tr("Scale s_j"));
    const QVector<double> sv = toVector(a.scales);
    s->setData(indices(a.scales.size()), positiveOrGap(sv), true);
    styleGraph(s, okabeItoPalette()[3], 1.6);
    std::vector<double> sd(sv.begin(), sv.end());
    markOutlierChannels(sd, tr("Outlier input channels"));
    finish();
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 3);
    yAxis2->setRange(yAxis2->range().lower / 2, yAxis2->range().upper * 3);
    plainLogLabelsWhenNarrow(yAxis);
    plainLogLabelsWhenNarrow(yAxis2);
    finish(false);
}

QString SmoothQuantMaxChart::title() const {
    const auto& r = calib().report;
    if (!r || !r->smoothquant || !r->smoothquant->error.empty()) return tr("SmoothQuant: per-channel max |X| and max |W|");
    return tr("SmoothQuant, α = %1: max |X| and max |W| per channel").arg(r->smoothquant->alpha, 0, 'g', 3);
}

void SmoothQuantMaxChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    setAxisTitles(tr("Input channel j"), tr("Max |value| over tokens (X) or output rows (W) (log)"), tr("Max |value| (log)"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->smoothquant) empty = tr("Tick SmoothQuant among the methods to see this chart");
        else if (!r->smoothquant->error.empty()) empty = tr("SmoothQuant failed: %1").arg(QString::fromStdString(r->smoothquant->error));
    }
    if (!haveReport(empty)) return;
    const auto& q = *r->smoothquant;
    useLog(yAxis);
    const auto& p = okabeItoPalette();
    struct Line {
        const std::vector<float>* v;
        QString name;
        QColor color;
        Qt::PenStyle pen;
        double width;
    };
    const Line lines[] = {
        {&q.act_absmax_before, tr("max |X_j| before"), p[2], Qt::SolidLine, 1.3},
        {&q.weight_absmax_before, tr("max |W_j| before"), p[1], Qt::SolidLine, 1.3},
        {&q.weight_absmax_after, tr("max |W_j·s_j| after"), p[5], Qt::SolidLine, 2.4},
        // dashed and on top: at alpha = 0.5 it equals max |W_j s_j| exactly
        {&q.act_absmax_after, tr("max |X_j/s_j| after"), p[0], Qt::DashLine, 2.4},
    };
    for (const Line& l : lines) {
        QCPGraph* g = addGraph();
        g->setName(l.name);
        g->setData(indices(l.v->size()), positiveOrGap(toVector(*l.v)), true);
        styleGraph(g, l.color, l.width);
        QPen pen = g->pen();
        pen.setStyle(l.pen);
        g->setPen(pen);
    }
    std::vector<double> before(q.act_absmax_before.begin(), q.act_absmax_before.end());
    markOutlierChannels(before, tr("Outlier channels"));
    finish();
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 2);
    finish(false);
    legendMayRaiseRange();  // room above the peaks as the legend needs it, else the legend under the plot
    legendAwayFromData();
}

void SmoothQuantHistogramChart::rebuild() {
    resetPlot();
    const auto& r = calib().report;
    setAxisTitles(tr("Activation value"), tr("Density (1 / value unit, log)"));
    QString empty;
    if (r && r->error.empty()) {
        if (!r->smoothquant) empty = tr("Tick SmoothQuant among the methods to see this chart");
        else if (!r->smoothquant->error.empty()) empty = tr("SmoothQuant failed: %1").arg(QString::fromStdString(r->smoothquant->error));
    }
    if (!haveReport(empty)) return;
    const auto& q = *r->smoothquant;
    useLog(yAxis);
    const auto& p = okabeItoPalette();
    const struct {
        const Histogram* h;
        QString name;
        QColor color;
    } hs[] = {
        {&q.act_hist_before, tr("X before smoothing: range [%1, %2]").arg(q.act_hist_before.lo, 0, 'g', 4).arg(q.act_hist_before.hi, 0, 'g', 4), p[2]},
        {&q.act_hist_after, tr("X / s after smoothing: range [%1, %2]").arg(q.act_hist_after.lo, 0, 'g', 4).arg(q.act_hist_after.hi, 0, 'g', 4), p[0]},
    };
    for (const auto& e : hs) {
        if (e.h->counts.empty()) continue;
        QVector<double> x;
        for (std::size_t i = 0; i < e.h->counts.size(); ++i) x.push_back(e.h->bin_center(i));
        const std::vector<double> d = e.h->density();
        QCPGraph* g = addGraph();
        g->setName(e.name);
        g->setData(x, positiveOrGap(toVector(d)), true);
        g->setLineStyle(QCPGraph::lsStepCenter);
        styleGraph(g, e.color, 1.8);
        QColor fill = e.color;
        fill.setAlpha(45);
        g->setBrush(fill);
    }
    finish();
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 4);
    finish(false);
}

std::vector<CalibrationChart*> createCalibrationCharts(QWidget* parent) {
    return {new CalibMethodErrorChart(parent), new GptqColumnErrorChart(parent), new GptqHessianChart(parent), new AwqLossChart(parent),
            new AwqScalesChart(parent),        new SmoothQuantMaxChart(parent),  new SmoothQuantHistogramChart(parent),
            new GptqWeightErrorChart(parent)};
}

} // namespace ql::ui
