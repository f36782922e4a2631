// Chart 9: error against true bits per weight, with the Pareto front (core's pareto_front) through
// the configurations of the window and, after "compare all formats", every format on the same tensor.
#include <algorithm>
#include <cmath>

#include "charts/charts.h"

namespace ql::ui {
namespace {

// Short point label: the format's name; integer configurations also name bits, scheme and granularity.
QString shortLabel(const QuantConfig& c) {
    if (c.format != Format::Int) return QString::fromLatin1(format_name(c.format).data()).toUpper();
    QString g;
    if (c.granularity == Granularity::PerChannel) g = QStringLiteral(" ch");
    else if (c.granularity == Granularity::PerGroup) g = QStringLiteral(" g%1").arg(c.group_size);
    return QStringLiteral("INT%1 %2%3").arg(c.bits).arg(c.scheme == Scheme::Symmetric ? QStringLiteral("sym") : QStringLiteral("asym"), g);
}

} // namespace

void ParetoChart::rebuild() {
    resetPlot();
    points_.clear();
    const auto& in = inputs();
    const bool mse = in.paretoMse;
    setAxisTitles(tr("Bits per weight (scales and zero points included)"),
                  mse ? tr("MSE (log, lower is better)") : tr("SQNR (dB, higher is better)"));
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
                           c.metrics.sqnr_db, c.metrics.mse});
    }
    if (used.empty()) {
        addNote(tr("Add configurations, or press \"Compare all formats\""));
        finish();
        return;
    }
    if (mse) {
        yAxis->setScaleType(QCPAxis::stLogarithmic);
        QSharedPointer<QCPAxisTickerLog> t(new QCPAxisTickerLog);
        yAxis->setTicker(t);
        yAxis->setNumberFormat(QStringLiteral("eb"));
        yAxis->setNumberPrecision(0);
    }
    // The front first, so the points sit on top of it.
    const std::vector<std::size_t> front = pareto_front(bits, quality, !mse);
    if (front.size() > 1) {
        QCPGraph* f = addGraph();
        f->setName(tr("Pareto front: no other point has fewer bits and less error"));
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
    std::vector<QCPItemText*> labels;
    for (std::size_t k = 0; k < used.size(); ++k) {
        const Src& s = *used[k];
        QCPGraph* g = addGraph();
        g->setData(QVector<double>{bits[k]}, QVector<double>{quality[k]}, true);
        g->setLineStyle(QCPGraph::lsNone);
        const bool onFront = std::find(front.begin(), front.end(), k) != front.end();
        if (s.own) {
            g->setName(points_[k].name);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, s.colour, s.colour, 13 * style().scale));
        } else {
            g->setName(tr("All formats at their common settings"));
            if (compareLegend) g->removeFromLegend();
            compareLegend = true;
            g->setScatterStyle(QCPScatterStyle(onFront ? QCPScatterStyle::ssDisc : QCPScatterStyle::ssCircle, s.colour,
                                               onFront ? s.colour : style().background, 9 * style().scale));
        }
        // a compared format that is one of the window's own configurations sits under its point: the
        // own point's label names it
        const bool duplicate = !s.own && std::any_of(used.begin(), used.begin() + static_cast<std::ptrdiff_t>(k), [&](const Src* o) {
            return o->own && o->c->config.format == s.c->config.format && o->c->storage.bits_per_weight == s.c->storage.bits_per_weight &&
                   (mse ? o->c->metrics.mse : o->c->metrics.sqnr_db) == quality[k];
        });
        if (duplicate) continue;
        auto* t = new QCPItemText(this);
        t->position->setCoords(bits[k], quality[k]);
        t->setText(s.own ? points_[k].name : shortLabel(s.c->config));
        t->setFont(style().font(s.own ? 9 : 8));
        t->setColor(s.own ? s.colour.darker(s.colour.lightness() > 160 ? 140 : 100) : style().foreground);
        labels.push_back(t);
    }
    axisRect()->insetLayout()->setInsetAlignment(0, mse ? (Qt::AlignTop | Qt::AlignRight) : (Qt::AlignBottom | Qt::AlignRight));
    finish();
    // Room around the points: on the right for the labels of the widest formats, and above and below.
    const QCPRange xr = xAxis->range();
    xAxis->setRange(std::min(xr.lower, 2.0) - 0.3, xr.upper + 0.12 * std::max(xr.size(), 1.0) + 0.3);
    if (!mse) {
        const QCPRange yr = yAxis->range();
        yAxis->setRange(yr.lower - 0.06 * yr.size(), yr.upper + 0.04 * yr.size());
    }
    placeLabels(labels);
    finish(false);
}

// Puts each label beside its point where it overlaps no label placed before it and no other point:
// right-above, right-below, left-above, left-below, then the same one, two and three label heights
// further up or down, joined to the point by a thin line. Where every spot is taken, the one that
// overlaps least. Points with fewer bits first, the window's own ones before all.
void ParetoChart::placeLabels(const std::vector<QCPItemText*>& labels) {
    // Lay the plot out now (as replot would) so pixel positions are those of the drawn chart.
    plotLayout()->setOuterRect(QRect(0, 0, std::max(width(), 320), std::max(height(), 220)));
    for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout}) plotLayout()->update(phase);
    std::vector<QRectF> placed, dots;  // labels placed so far; every labelled point's disc
    const double pad = 5 * style().scale, dot = 6 * style().scale;
    for (QCPItemText* t : labels) {
        const QPointF p(xAxis->coordToPixel(t->position->coords().x()), yAxis->coordToPixel(t->position->coords().y()));
        dots.emplace_back(p.x() - dot, p.y() - dot, 2 * dot, 2 * dot);
    }
    const QRectF area = axisRect()->rect();
    for (std::size_t li = 0; li < labels.size(); ++li) {
        QCPItemText* t = labels[li];
        const QPointF p(xAxis->coordToPixel(t->position->coords().x()), yAxis->coordToPixel(t->position->coords().y()));
        const QFontMetricsF fm(t->font());
        const QSizeF sz(fm.horizontalAdvance(t->text()) + 2, fm.height());
        struct Spot {
            bool right;   // label to the right of the point
            double dy;    // vertical offset of the label's near edge, pixels (negative: up)
            bool above;   // the label's bottom edge at the offset (else its top edge)
        };
        std::vector<Spot> spots;
        for (int step = 0; step <= 3; ++step)
            for (bool right : {true, false})
                for (bool above : {true, false}) spots.push_back({right, (above ? -1.0 : 1.0) * (1.0 + step * 1.15 * sz.height()), above});
        auto boxOf = [&](const Spot& sp) {
            const double x0 = sp.right ? p.x() + pad : p.x() - pad - sz.width();
            const double y0 = sp.above ? p.y() + sp.dy - sz.height() : p.y() + sp.dy;
            return QRectF(x0, y0, sz.width(), sz.height());
        };
        auto overlap = [&](const QRectF& r) {
            double a = 0.0;
            for (const QRectF& o : placed) {
                const QRectF i = o.intersected(r);
                if (!i.isEmpty()) a += i.width() * i.height();
            }
            for (std::size_t d = 0; d < dots.size(); ++d) {  // other points (a label starts beside its own)
                const QRectF i = dots[d].intersected(r);
                if (d != li && !i.isEmpty()) a += i.width() * i.height();
            }
            if (!area.contains(r)) a += 0.25 * r.width() * r.height();  // out of the plot: only when nothing better
            return a;
        };
        std::size_t chosen = 0;
        double least = -1.0;
        for (std::size_t i = 0; i < spots.size(); ++i) {
            const double a = overlap(boxOf(spots[i]));
            if (least < 0.0 || a < least) {
                least = a;
                chosen = i;
            }
            if (a == 0.0) break;
        }
        const Spot& sp = spots[chosen];
        const QRectF box = boxOf(sp);
        placed.push_back(box);
        // anchor the label at its near corner, in pixels from the point
        t->setPositionAlignment((sp.right ? Qt::AlignLeft : Qt::AlignRight) | (sp.above ? Qt::AlignBottom : Qt::AlignTop));
        t->setPadding(QMargins(sp.right ? int(pad) : 0, 0, sp.right ? 0 : int(pad), 0));
        t->position->setCoords(xAxis->pixelToCoord(p.x()), yAxis->pixelToCoord(p.y() + sp.dy));
        t->setClipToAxisRect(false);
        if (std::fabs(sp.dy) > 1.5) {  // moved off its point: a thin line back to it
            auto* line = new QCPItemLine(this);
            line->start->setCoords(xAxis->pixelToCoord(p.x()), yAxis->pixelToCoord(p.y()));
            line->end->setCoords(xAxis->pixelToCoord(sp.right ? box.left() + pad * 0.5 : box.right() - pad * 0.5),
                                 yAxis->pixelToCoord(sp.above ? box.bottom() : box.top()));
            QColor c = t->color();
            c.setAlpha(120);
            line->setPen(QPen(c, 0.8 * style().scale));
            line->setLayer(QStringLiteral("grid"));
        }
    }
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
    return tr("%1\n%2 bits per weight\nSQNR %3 dB\nMSE %4").arg(best->name).arg(best->bits, 0, 'g', 5).arg(best->sqnr, 0, 'f', 2).arg(best->mse, 0, 'g', 4);
}

} // namespace ql::ui
