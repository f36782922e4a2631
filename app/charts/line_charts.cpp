// Charts 4, 5, 7 and 8: sample values, error through layers, SNR vs bits, per-channel error.
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

#include "charts/log_ticker.h"
#include "charts/charts.h"

namespace ql::ui {

void useLogY(ChartView* plot) {
    plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<LogTicker> t(new LogTicker);
    plot->yAxis->setTicker(t);
    plot->yAxis->setNumberFormat(QStringLiteral("eb"));
    plot->yAxis->setNumberPrecision(0);
}

namespace {

// Secondary marks (the "compare all" points): the text colour, half transparent.
QColor muted(const ChartStyle& s) {
    QColor c = s.foreground;
    c.setAlpha(150);
    return c;
}

} // namespace

QString SampleChart::title() const {
    const auto& r = inputs().report;
    if (!r) return tr("First weights of a row: original vs dequantized");
    return tr("First %1 weights of row %2: original vs dequantized").arg(r->sample_original.size()).arg(r->sample_row);
}

void SampleChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Index in the row"), tr("Weight value"));
    if (!in.report || in.report->sample_original.empty()) {
        addNote(tr("No tensor yet"));
        finish();
        return;
    }
    const AnalysisReport& r = *in.report;
    QVector<double> x;
    for (std::size_t k = 0; k < r.sample_original.size(); ++k) x.push_back(static_cast<double>(k));
    QCPGraph* orig = addGraph();
    orig->setName(tr("Original (FP32)"));
    orig->setData(x, QVector<double>(r.sample_original.begin(), r.sample_original.end()), true);
    styleGraph(orig, style().foreground, 1.5, true);
    for (std::size_t i = 0; i < r.configs.size(); ++i) {
        const auto& c = r.configs[i];
        if (!c.error.empty() || c.sample_dequantized.empty()) continue;
        QCPGraph* g = addGraph();
        g->setName(QString::fromStdString(c.config.display_name()));
        QVector<double> y(c.sample_dequantized.begin(), c.sample_dequantized.end());
        for (double& v : y)
            if (!std::isfinite(v)) v = qQNaN();  // a value that dequantizes to +-inf: a gap in the line
        g->setData(x, y, true);
        styleGraph(g, in.colors.at(i), 1.5, true);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, in.colors.at(i), in.colors.at(i), 5 * style().scale));
    }
    // The grid each block of the levels configuration snaps to: its levels as short dashed segments
    // over the block's weights (for at most 64 levels; finer grids would only grey the plot).
    double yLo = 0, yHi = 0;
    bool haveRange = false;
    // the range the drawn values take (a dequantized value may lie beyond the originals: a point drawn
    // past the plot's frame was lost)
    auto widen = [&](const std::vector<float>& values) {
        for (float v : values) {
            if (!std::isfinite(v)) continue;
            yLo = haveRange ? std::min(yLo, double(v)) : v;
            yHi = haveRange ? std::max(yHi, double(v)) : v;
            haveRange = true;
        }
    };
    widen(r.sample_original);
    for (const auto& c : r.configs)
        if (c.error.empty()) widen(c.sample_dequantized);
    const int lc = in.levelsConfig;
    if (in.showLevels && lc >= 0 && lc < static_cast<int>(r.configs.size())) {
        const ConfigReport& c = r.configs[static_cast<std::size_t>(lc)];
        const auto& of = c.sample_level_of;
        QColor col = in.colors.at(static_cast<std::size_t>(lc));
        col.setAlpha(110);
        const double pad = 0.25 * std::max(yHi - yLo, 1e-12);
        for (std::size_t k = 0; k < of.size();) {
            std::size_t e = k;
            while (e < of.size() && of[e] == of[k]) ++e;
            const auto& lv = c.sample_levels.at(static_cast<std::size_t>(of[k]));
            if (lv.size() <= 64) {
                for (float v : lv) {
                    if (v < yLo - pad || v > yHi + pad) continue;
                    auto* seg = new QCPItemLine(this);
                    seg->start->setCoords(double(k) - 0.5, v);
                    seg->end->setCoords(double(e) - 0.5, v);
                    seg->setPen(QPen(col, style().lineWidth(0.8), Qt::DashLine));
                    seg->setLayer(QStringLiteral("grid"));
                }
                if (k > 0) {  // block boundary
                    auto* b = new QCPItemStraightLine(this);
                    b->point1->setCoords(double(k) - 0.5, 0);
                    b->point2->setCoords(double(k) - 0.5, 1);
                    b->setPen(QPen(col, style().lineWidth(1.2), Qt::DotLine));
                    b->setLayer(QStringLiteral("grid"));
                }
            }
            k = e;
        }
    }
    finish();
    if (haveRange) {  // the data, not far-off levels, decide the view
        // A flat row (a norm weight of ones, a constant tensor) still gets a span the tick labels can tell
        // apart: 5% of its size (or 1 around 0) each way, where 8% of a zero spread left every label '14'.
        const double flat = yLo == 0 && yHi == 0 ? 1.0 : 0.05 * std::max(std::fabs(yLo), std::fabs(yHi));
        const double m = yHi - yLo > 1e-6 * std::max(std::fabs(yLo), std::fabs(yHi)) ? 0.08 * (yHi - yLo) : flat;
        yAxis->setRange(yLo - m, yHi + m);
        finish(false);
    }
    legendAwayFromData();
    titleElement_->setText(title());
}

void SampleChart::mouseMoveEvent(QMouseEvent* event) {
    ChartView::mouseMoveEvent(event);
    const auto& r = inputs().report;
    int k = -1;
    if (r && !r->sample_original.empty() && axisRect()->rect().contains(event->pos())) {
        const long i = std::lround(xAxis->pixelToCoord(event->pos().x()));
        if (i >= 0 && i < static_cast<long>(r->sample_original.size())) k = static_cast<int>(i);
    }
    if (k != hovered_) {
        hovered_ = k;
        emit sampleHovered(k);
    }
}

void SampleChart::leaveEvent(QEvent* event) {
    ChartView::leaveEvent(event);
    if (hovered_ != -1) {
        hovered_ = -1;
        emit sampleHovered(-1);
    }
}

void LayerErrorChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Layer"), tr("Relative output error ||h - h_q|| / ||h|| (log)"), tr("Relative output error (log)"));
    bool any = false;
    if (in.report) {
        for (std::size_t i = 0; i < in.report->configs.size(); ++i) {
            const auto& c = in.report->configs[i];
            if (!c.error.empty() || c.layers.empty()) continue;
            QVector<double> x, y;
            for (const auto& l : c.layers) {
                if (!(l.relative > 0)) continue;
                x.push_back(l.layer);
                y.push_back(l.relative);
            }
            if (x.isEmpty()) continue;
            QCPGraph* g = addGraph();
            g->setName(QString::fromStdString(c.config.display_name()));
            g->setData(x, y, true);
            styleGraph(g, in.colors.at(i), 2.0, true);
            any = true;
        }
    }
    if (!any) {
        addNote(tr("Turn on the layer simulation to see error accumulate"));
        finish();
        return;
    }
    useLogY(this);
    QSharedPointer<QCPAxisTickerFixed> xt(new QCPAxisTickerFixed);
    xt->setTickStep(1.0);
    xt->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
    xAxis->setTicker(xt);
    setLegendCorner(Qt::AlignBottom | Qt::AlignRight);
    finish();
    xAxis->setRange(xAxis->range().lower - 0.3, xAxis->range().upper + 0.3);
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 2);
    finish(false);
    legendMayRaiseRange();  // rising curves: a top corner cleared rather than a bottom one crossed
    legendAwayFromData();
}

void SnrBitsChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Bits per weight (scales and zero points included)"), tr("SNR (dB)"), QString(), tr("Bits per weight, scales included"));
    bool any = false, reference = false;
    double xmax = 8.3;
    std::vector<QPointF> marks;  // the configurations' own points, which the compared formats' labels keep clear of
    QStringList pendingSweeps;   // solver configurations whose curve a later part of the job brings
    if (in.report) {
        const auto& cs = in.report->configs;
        for (std::size_t i = 0; i < cs.size(); ++i) {
            const auto& c = cs[i];
            if (!c.error.empty()) continue;
            if (c.snr_vs_bits.empty()) {
                // A float or codebook format has one bit width: it is a point, at its true bits.
                if (!std::isfinite(c.metrics.snr_db)) continue;
                QCPGraph* mark = addGraph();
                mark->setName(QString::fromStdString(c.config.display_name()));
                mark->setData(QVector<double>{c.storage.bits_per_weight}, QVector<double>{c.metrics.snr_db}, true);
                mark->setLineStyle(QCPGraph::lsNone);
                mark->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, in.colors.at(i), in.colors.at(i), 14 * style().scale));
                marks.emplace_back(c.storage.bits_per_weight, c.metrics.snr_db);
                xmax = std::max(xmax, c.storage.bits_per_weight + 0.3);
                any = true;
                if (in.report->sweeps_pending && snr_sweep_solves(c.config)) pendingSweeps << QString::fromStdString(c.config.display_name());
                continue;
            }
            // Configurations that differ only in bit width share one curve: draw it once, in the
            // colour of the first of them, and mark every configuration's own bit width on it.
            bool drawn = false;
            for (std::size_t k = 0; k < i; ++k) {
                const auto& o = cs[k].snr_vs_bits;
                drawn = drawn || (o.size() == c.snr_vs_bits.size() &&
                                  std::equal(o.begin(), o.end(), c.snr_vs_bits.begin(), [](const SnrPoint& a, const SnrPoint& b) {
                                      return a.bits == b.bits && a.snr_db == b.snr_db;
                                  }));
            }
            QVector<double> x, y, ry;
            double own = std::numeric_limits<double>::quiet_NaN(), ownX = 0;
            for (const auto& p : c.snr_vs_bits) {
                if (!std::isfinite(p.snr_db)) continue;
                x.push_back(p.bits_per_weight);
                y.push_back(p.snr_db);
                ry.push_back(p.reference_db);
                xmax = std::max(xmax, p.bits_per_weight + 0.3);
                if (p.bits == c.config.bits) {
                    own = p.snr_db;
                    ownX = p.bits_per_weight;
                }
            }
            if (!drawn) {
                QuantConfig generic = c.config;
                generic.label.clear();
                QString name = QString::fromStdString(generic.describe());
                name.replace(QRegularExpression(QStringLiteral("\\bINT\\d+")), QStringLiteral("INT 2-8 bit"));  // HQQ INT 2-8 bit g64 too
                QCPGraph* g = addGraph();
                g->setName(name);
                g->setData(x, y, true);
                styleGraph(g, in.colors.at(i), 2.0, false);
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, in.colors.at(i), style().background, 6 * style().scale));
            }
            if (std::isfinite(own)) {
                QCPGraph* mark = addGraph();
                mark->setName(QString::fromStdString(c.config.display_name()));
                mark->setData(QVector<double>{ownX}, QVector<double>{own}, true);
                mark->setLineStyle(QCPGraph::lsNone);
                mark->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, in.colors.at(i), in.colors.at(i), 13 * style().scale));
                marks.emplace_back(ownX, own);
            }
            if (!reference) {
                QCPGraph* rg = addGraph();
                rg->setName(tr("6.02 dB per bit"));
                rg->setData(x, ry, true);
                rg->setPen(QPen(style().foreground, style().lineWidth(1.2), Qt::DashLine));
                reference = true;
            }
            any = true;
        }
    }
    // "Compare all formats": every format as a small labelled point; one that is also a configuration of
    // the window sits under that configuration's own mark, which the legend names.
    std::vector<QCPItemText*> labels;
    if (in.compare) {
        QVector<double> x, y;
        for (const auto& c : in.compare->configs) {
            if (!c.error.empty() || !std::isfinite(c.metrics.snr_db)) continue;
            x.push_back(c.storage.bits_per_weight);
            y.push_back(c.metrics.snr_db);
            xmax = std::max(xmax, c.storage.bits_per_weight + 0.3);
            const bool own = in.report && std::any_of(in.report->configs.begin(), in.report->configs.end(), [&](const ConfigReport& o) {
                                 return o.error.empty() && o.config.format == c.config.format &&
                                        o.storage.bits_per_weight == c.storage.bits_per_weight && o.metrics.snr_db == c.metrics.snr_db;
                             });
            if (own) continue;
            auto* t = new QCPItemText(this);
            t->position->setCoords(c.storage.bits_per_weight, c.metrics.snr_db);
            t->setText(shortLabel(c.config));
            t->setFont(style().font(8));
            t->setColor(muted(style()));
            labels.push_back(t);
        }
        if (!x.isEmpty()) {
            QCPGraph* g = addGraph();
            g->setName(tr("All formats (compare)"));
            g->setData(x, y, false);
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, muted(style()), 9 * style().scale));
            any = true;
        }
    }
    if (!any) {
        addNote(tr("Add a configuration to see its SNR"));
        finish();
        return;
    }
    if (!pendingSweeps.isEmpty()) {  // the solver runs at 2-8 bits now; its point stands in meanwhile
        auto* note = new QCPItemText(this);
        note->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.99, 0.98);
        note->setText(tr("Solving %1 at 2-8 bits for its curve...").arg(pendingSweeps.join(QStringLiteral(", "))));
        note->setFont(style().font(8.5));
        note->setColor(muted(style()));
    }
    QSharedPointer<QCPAxisTickerFixed> xt(new QCPAxisTickerFixed);
    xt->setTickStep(1.0);
    xAxis->setTicker(xt);
    setLegendCorner(Qt::AlignTop | Qt::AlignLeft);
    finish();
    xAxis->setRange(1.7, xmax);
    const QCPRange yr = yAxis->range();  // room for the labels of the highest and lowest points
    yAxis->setRange(yr.lower - 0.06 * yr.size(), yr.upper + 0.04 * yr.size());
    // the compared formats' names (one that would only cover its neighbours or leave the plot is left
    // out: the mark's tooltip names it), then the legend's place, away from curves, marks and names
    if (!labels.empty()) placeLabelsApart(labels, marks, std::vector<bool>(labels.size(), true));
    finish(false);
    legendAwayFromData();
}

void ChannelErrorChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Output channel (row)"), in.logScale ? tr("MSE of the row (log)") : tr("MSE of the row"));
    bool any = false;
    QStringList unbounded;  // configurations with rows of infinite error (values that dequantize to +-inf)
    if (in.report) {
        for (std::size_t i = 0; i < in.report->configs.size(); ++i) {
            const auto& c = in.report->configs[i];
            if (!c.error.empty() || c.channel_mse.empty()) continue;
            QVector<double> x, y;
            int infinite = 0;
            for (std::size_t k = 0; k < c.channel_mse.size(); ++k) {
                if (!std::isfinite(c.channel_mse[k])) {
                    ++infinite;
                    continue;
                }
                if (in.logScale && !(c.channel_mse[k] > 0)) continue;
                x.push_back(static_cast<double>(k));
                y.push_back(c.channel_mse[k]);
            }
            QCPGraph* g = addGraph();
            g->setName(QString::fromStdString(c.config.display_name()));
            g->setData(x, y, true);
            styleGraph(g, in.colors.at(i), c.channel_mse.size() > 200 ? 1.0 : 1.6, c.channel_mse.size() <= 64);
            any = true;
            const QString name = QString::fromStdString(c.config.display_name());
            if (infinite == 1) unbounded << tr("%1: 1 row with infinite error, not drawn").arg(name);
            else if (infinite > 1) unbounded << tr("%1: %2 rows with infinite error, not drawn").arg(name).arg(infinite);
        }
    }
    if (!any) {
        addNote(tr("No per-channel error yet"));
        finish();
        return;
    }
    if (!unbounded.isEmpty()) {
        auto* note = new QCPItemText(this);
        note->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.99, 0.98);
        note->setText(unbounded.join(QLatin1Char('\n')));
        note->setFont(style().font(8.5));
        note->setColor(muted(style()));
    }
    if (in.logScale) useLogY(this);
    finish();
    if (in.logScale) {
        yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 4);
        finish(false);
    }
    legendAwayFromData();
}

std::vector<ChartView*> createAllCharts(QWidget* parent) {
    return {new WeightDistributionChart(parent), new ErrorDistributionChart(parent), new MemoryChart(parent), new SampleChart(parent),
            new LayerErrorChart(parent),         new GpuFitChart(parent),            new SnrBitsChart(parent), new ChannelErrorChart(parent),
            new ParetoChart(parent)};
}

} // namespace ql::ui
