// Chart 9: error against true bits per weight, with the Pareto front (core's pareto_front) through
// the configurations of the window and, after "compare all formats", every format on the same tensor.
#include <algorithm>
#include <cmath>

#include "charts/log_ticker.h"
#include "core/quantizer.h"
#include "charts/charts.h"

namespace ql::ui {

QString shortLabel(const QuantConfig& c) {
    if (c.format != Format::Int) return QString::fromLatin1(format_name(c.format).data()).toUpper();
    QString g;
    if (c.granularity == Granularity::PerChannel) g = QStringLiteral(" ch");
    else if (c.granularity == Granularity::PerGroup) g = QStringLiteral(" g%1").arg(c.group_size);
    return QStringLiteral("INT%1 %2%3").arg(c.bits).arg(c.scheme == Scheme::Symmetric ? QStringLiteral("sym") : QStringLiteral("asym"), g);
}

void ParetoChart::rebuild() {
    resetPlot();
    points_.clear();
    const auto& in = inputs();
    const bool mse = in.paretoMse;
    setAxisTitles(tr("Bits per weight (scales and zero points included)"),
                  mse ? tr("MSE (log, lower is better)") : tr("SQNR (dB, higher is better)"), QString(),
                  tr("Bits per weight, scales included"));
    struct Src {
        const ConfigReport* c;
        QColor colour;
        bool own;  // one of the window's configurations
    };
    std::vector<Src> src;
    if (in.report)
        for (std::size_t i = 0; i < in.report->configs.size(); ++i) src.push_back({&in.report->configs[i], in.colors.at(i), true});
    if (in.compare) {
        QColor m = style().foreground;
        m.setAlpha(170);
        for (const auto& c : in.compare->configs) src.push_back({&c, m, false});
    }
    std::vector<double> bits, quality;
    std::vector<const Src*> used;
    for (const auto& s : src) {
        const ConfigReport& c = *s.c;
        if (!c.error.empty() || c.metrics.count == 0) continue;
        const double q = mse ? c.metrics.mse : c.metrics.sqnr_db;
        if (!std::isfinite(q) || (mse && q <= 0)) continue;  // exact results have no place on a log/dB axis
        bits.push_back(c.storage.bits_per_weight);
        quality.push_back(q);
        used.push_back(&s);
        points_.push_back({QString::fromStdString(s.own ? c.config.display_name() : c.config.describe()), c.storage.bits_per_weight,
                           c.metrics.sqnr_db, c.metrics.mse, in.report ? padding_worth_saying(c.storage, in.report->tensor.numel) : 0.0});
    }
    if (used.empty()) {
        // configurations that are all exact or infinitely wrong have no place either
        addNote(src.empty() ? tr("Add configurations, or press \"Compare all formats\"")
                            : tr("No configuration with a finite, nonzero error to place"));
        finish();
        return;
    }
    if (mse) {
        yAxis->setScaleType(QCPAxis::stLogarithmic);
        QSharedPointer<LogTicker> t(new LogTicker);
        yAxis->setTicker(t);
        yAxis->setNumberFormat(QStringLiteral("eb"));
        yAxis->setNumberPrecision(0);
    }
    // The front first, so the points sit on top of it.
    const std::vector<std::size_t> front = pareto_front(bits, quality, !mse);
    if (front.size() > 1) {
        QCPGraph* f = addGraph();
        f->setName(tr("Pareto front"));  // what it means: the chart's explanation
        QVector<double> fx, fy;
        for (std::size_t k : front) {
            fx.push_back(bits[k]);
            fy.push_back(quality[k]);
        }
        f->setData(fx, fy, true);
        f->setLineStyle(QCPGraph::lsStepLeft);
        f->setPen(QPen(style().foreground, style().lineWidth(1.5), Qt::DashLine));
    }
    bool compareLegend = false;
    // labels by rank: the window's configurations, then formats on the front, then the others; a
    // compared format is left unnamed (its tooltip names it) where its label would only cover its
    // neighbours or leave the plot, so the front's names come before the others'
    struct Label {
        QCPItemText* item;
        int rank;
    };
    std::vector<Label> ranked;
    for (std::size_t k = 0; k < used.size(); ++k) {
        const Src& s = *used[k];
        // a compared format that is one of the window's own configurations is that point: drawn over it,
        // its smaller circle hollowed the own point's disc; the own point's label names it
        const bool duplicate = !s.own && std::any_of(used.begin(), used.begin() + static_cast<std::ptrdiff_t>(k), [&](const Src* o) {
            return o->own && o->c->config.format == s.c->config.format && o->c->storage.bits_per_weight == s.c->storage.bits_per_weight &&
                   (mse ? o->c->metrics.mse : o->c->metrics.sqnr_db) == quality[k];
        });
        if (duplicate) continue;
        QCPGraph* g = addGraph();
        g->setData(QVector<double>{bits[k]}, QVector<double>{quality[k]}, true);
        g->setLineStyle(QCPGraph::lsNone);
        const bool onFront = std::find(front.begin(), front.end(), k) != front.end();
        if (s.own) {
            // its label names it in its colour: a legend entry would say it again, and the legend of four
            // configurations covered a third of the plot in a small dock
            g->setName(points_[k].name);
            g->removeFromLegend();
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, s.colour, s.colour, 13 * style().scale));
        } else {
            g->setName(tr("All formats at their common settings"));
            if (compareLegend) g->removeFromLegend();
            compareLegend = true;
            g->setScatterStyle(QCPScatterStyle(onFront ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssCircle, s.colour,
                                               onFront ? s.colour : style().background, 9 * style().scale));
        }
        auto* t = new QCPItemText(this);
        t->position->setCoords(bits[k], quality[k]);
        // bits that count padding (rows that are not whole blocks) are marked, and the note below says so
        const QString mark = points_[k].padding > 0 ? QStringLiteral(" *") : QString();
        t->setText((s.own ? points_[k].name : shortLabel(s.c->config)) + mark);
        t->setFont(style().font(s.own ? 9 : 8));
        t->setColor(s.own ? s.colour.darker(s.colour.lightness() > 160 ? 140 : 100) : style().foreground);
        ranked.push_back({t, s.own ? 0 : onFront ? 1 : 2});
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const Label& a, const Label& b) { return a.rank < b.rank; });
    std::vector<QCPItemText*> labels;
    std::vector<bool> droppable;
    for (const Label& l : ranked) {
        labels.push_back(l.item);
        droppable.push_back(l.rank > 0);
    }
    setLegendCorner(mse ? (Qt::AlignTop | Qt::AlignRight) : (Qt::AlignBottom | Qt::AlignRight));
    // in the corner the front leaves empty (few bits and little error): top left for SQNR, bottom left for MSE
    if (std::any_of(points_.begin(), points_.end(), [](const Point& p) { return p.padding > 0; })) {
        auto* note = new QCPItemText(this);
        note->setPositionAlignment(Qt::AlignLeft | (mse ? Qt::AlignBottom : Qt::AlignTop));
        note->position->setType(QCPItemPosition::ptAxisRectRatio);
        note->position->setCoords(0.01, mse ? 0.98 : 0.02);
        note->setText(tr("* these bits count padding: rows are not whole blocks"));
        note->setTextAlignment(Qt::AlignLeft);
        note->setFont(style().font(8.5));
        note->setColor(style().foreground);
    }
    finish();
    // Room around the points: on the right for the labels of the widest formats, and above and below.
    const QCPRange xr = xAxis->range();
    xAxis->setRange(std::min(xr.lower, 2.0) - 0.3, xr.upper + 0.12 * std::max(xr.size(), 1.0) + 0.3);
    if (!mse) {
        const QCPRange yr = yAxis->range();
        yAxis->setRange(yr.lower - 0.06 * yr.size(), yr.upper + 0.04 * yr.size());
    }
    // the legend's place first (away from the points), then the labels around it
    legendAwayFromData();
    placeLabelsApart(labels, {}, droppable);  // the explanation says where the unnamed points' names are
    finish(false);
}

QString ParetoChart::tooltipAt(const QPoint& pos) const {
    const Point* best = nullptr;
    double bestD = 1e300;
    for (const auto& p : points_) {
        const double y = inputs().paretoMse ? p.mse : p.sqnr;
        const double dx = xAxis->coordToPixel(p.bits) - pos.x(), dy = yAxis->coordToPixel(y) - pos.y();
        const double d = dx * dx + dy * dy;
        if (d < bestD) {
            bestD = d;
            best = &p;
        }
    }
    if (!best || bestD > 14.0 * 14.0 * style().scale * style().scale) return {};
    QString tip =
        tr("%1\n%2 bits per weight\nSQNR %3 dB\nMSE %4").arg(best->name).arg(best->bits, 0, 'g', 5).arg(best->sqnr, 0, 'f', 2).arg(best->mse, 0, 'g', 4);
    if (best->padding > 0) tip += QStringLiteral("\n") + tr("%1% of the codes stored are padding").arg(100.0 * best->padding, 0, 'f', 0);
    return tip;
}

} // namespace ql::ui
