// Charts 3 and 6: memory of the current tensor per format, and a model's fit on GPUs.
#include <QFontMetrics>

#include <algorithm>
#include <cmath>
#include <functional>

#include "charts/bar_names.h"
#include "charts/charts.h"

namespace ql::ui {
namespace {

// Decimal unit for an axis whose largest value is maxBytes: (divisor, axis unit text).
std::pair<double, QString> axisUnit(double maxBytes) {
    if (maxBytes >= 1e9) return {1e9, MemoryChart::tr("GB, 10^9 bytes")};
    if (maxBytes >= 1e6) return {1e6, MemoryChart::tr("MB, 10^6 bytes")};
    if (maxBytes >= 1e3) return {1e3, MemoryChart::tr("kB, 10^3 bytes")};
    return {1.0, MemoryChart::tr("bytes")};
}

QCPBars* addBar(QCustomPlot* plot, double key, double value, const QColor& c, double width) {
    auto* b = new QCPBars(plot->xAxis, plot->yAxis);
    b->setWidth(width);
    b->addData(key, value);
    b->setPen(QPen(c.darker(130), 1));
    QColor f = c;
    f.setAlpha(220);
    b->setBrush(f);
    return b;
}

} // namespace

int MemoryChart::TextWidths::of(const QFont& f, const QString& line) {
    auto font = std::find_if(byFont.begin(), byFont.end(), [&](const auto& e) { return e.first == f; });
    if (font == byFont.end()) {
        if (byFont.size() >= 4) byFont.clear();  // a new style: the old fonts are not coming back soon
        byFont.emplace_back(f, QHash<QString, int>());
        font = byFont.end() - 1;
    }
    QHash<QString, int>& widths = font->second;
    if (widths.size() > 4096) widths.clear();
    auto it = widths.constFind(line);
    if (it != widths.constEnd()) return *it;
    const int w = QFontMetrics(f).horizontalAdvance(line);
    widths.insert(line, w);
    return w;
}

int MemoryChart::advance(const QString& line) { return tickWidths_.of(xAxis->tickLabelFont(), line); }

void MemoryChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    if (!in.report || in.report->memory.empty()) {
        setAxisTitles(tr("Format"), tr("Memory"));
        addNote(tr("No tensor yet"));
        finish();
        return;
    }
    const auto& mem = in.report->memory;
    double maxb = 0;
    for (const auto& m : mem) maxb = std::max(maxb, static_cast<double>(m.bytes));
    const auto [div, unit] = axisUnit(maxb);
    setAxisTitles(tr("Format (bits per weight, scales included)"), tr("Memory (%1)").arg(unit));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    // A bar's slot in pixels, for its value label and its name below: the chart's width less the axis
    // rect's margins of the last layout (the y axis), as it stays when the chart is resized.
    const QMargins am = axisRect()->margins();
    const int plotWidth = am.left() + am.right() > 0 ? width() - am.left() - am.right() : width() - 80;
    const double slot = static_cast<double>(std::max(plotWidth, 40)) / static_cast<double>(mem.size());
    // Value labels as wide as the slot allows, so that neighbouring labels do not run into each other.
    std::vector<std::pair<QString, QString>> valueTexts;
    for (const auto& m : mem) {
        const QString text = formatBytes(static_cast<double>(m.bytes));
        const QString decimal = text.section(QStringLiteral(" ("), 0, 0);
        valueTexts.emplace_back(decimal, text.mid(decimal.size() + 1));
    }
    const ValueLabels values = fitValueLabels(style(), valueTexts, slot, true, [this](const QFont& f, const QString& t) { return valueWidths_.of(f, t); });
    for (std::size_t i = 0; i < mem.size(); ++i) {
        const auto& m = mem[i];
        const QColor c = m.config_index >= 0 ? in.colors.at(static_cast<std::size_t>(m.config_index)) : style().original;
        auto* bar = addBar(this, static_cast<double>(i), static_cast<double>(m.bytes) / div, c, 0.65);
        bar->setName(QString::fromStdString(m.label));
        bar->removeFromLegend();
        if (values.lines == 0) continue;
        auto* label = new QCPItemText(this);
        label->position->setCoords(static_cast<double>(i), static_cast<double>(m.bytes) / div);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(values.lines == 2 && !valueTexts[i].second.isEmpty() ? valueTexts[i].first + QLatin1Char('\n') + valueTexts[i].second
                                                                             : valueTexts[i].first);
        label->setFont(values.font);
        label->setColor(style().foreground);
        label->setPadding(QMargins(2, 1, 2, 1));
        QColor lb = style().background;
        lb.setAlpha(210);
        label->setBrush(QBrush(lb));
        label->setLayer(QStringLiteral("axes"));  // above the GPU lines
    }
    laidOutWidth_ = width();
    std::vector<BarName> names;
    for (const auto& m : mem) names.push_back({QString::fromStdString(m.label), m.bits_per_weight});
    int firstLeft = 0;
    const double rotation = setBarTicks(*ticker, names, slot, am.left(), height(), 10, QFontMetrics(xAxis->tickLabelFont()),
                                        [this](const QString& line) { return advance(line); }, &firstLeft);
    axisRect()->setMinimumMargins(QMargins(firstLeft, 0, 0, 0));
    xAxis->setTicker(ticker);
    xAxis->setTickLabelRotation(rotation);
    xAxis->grid()->setVisible(false);
    legend->setVisible(false);
    finish(false);
    xAxis->setRange(-0.6, static_cast<double>(mem.size()) - 0.4);
    // room above the tallest bar for its value label (two lines in a short chart took more than a quarter
    // of the plot, and the label's top ran under the title)
    double headroom = 1.25;
    if (values.lines > 0) {
        layOutNow();
        const double plotH = axisRect()->height();
        const double labelH = QFontMetricsF(values.font).height() * values.lines + 2 + 6;
        if (plotH > 2 * labelH) headroom = std::max(headroom, plotH / (plotH - labelH));
    }
    yAxis->setRange(0, maxb / div * headroom);
    finish(false);
}

void MemoryChart::resizeEvent(QResizeEvent* event) {
    ChartView::resizeEvent(event);
    if (inputs().report && std::abs(width() - laidOutWidth_) > laidOutWidth_ / 10) rebuild();
}

QString MemoryChart::tooltipAt(const QPoint& pos) const {
    const auto& in = inputs();
    if (!in.report) return {};
    const double key = xAxis->pixelToCoord(pos.x());
    const long i = std::lround(key);
    if (i < 0 || i >= static_cast<long>(in.report->memory.size()) || std::fabs(key - static_cast<double>(i)) > 0.35) return {};
    const auto& m = in.report->memory[static_cast<std::size_t>(i)];
    return tr("%1\n%2 bits per weight\n%3 bytes = %4 GB = %5 GiB")
        .arg(QString::fromStdString(m.label))
        .arg(m.bits_per_weight, 0, 'g', 6)
        .arg(static_cast<qulonglong>(m.bytes))
        .arg(m.gb, 0, 'g', 6)
        .arg(m.gib, 0, 'g', 6);
}

QString GpuFitChart::title() const {
    const auto& fit = inputs().gpuFit;
    if (!fit) return tr("Which GPUs does the model fit?");
    return tr("Which GPUs does a %1-billion-parameter model fit?").arg(fit->params / 1e9, 0, 'g', 4);
}

void GpuFitChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Format (bits per weight)"), tr("Memory (GB, 10^9 bytes)"));
    if (!in.gpuFit || in.gpuFit->formats.empty()) {
        addNote(tr("Choose a model size and GPUs"));
        finish();
        return;
    }
    const GpuFitReport& f = *in.gpuFit;
    const QColor fitsAll(0x00, 0x9E, 0x73), fitsSome(0xE6, 0x9F, 0x00), fitsNone(0xD5, 0x5E, 0x00);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    // Format names as the memory chart's (setBarTicks): a bar's slot is the plot's width (the last
    // layout's) over the bars; on one line where there is room.
    const QMargins am = axisRect()->margins();
    const int plotWidth = am.left() + am.right() > 0 ? width() - am.left() - am.right() : width() - 80;
    const double slot = static_cast<double>(std::max(plotWidth, 40)) / static_cast<double>(f.formats.size());
    const QFontMetrics tickMetrics(xAxis->tickLabelFont());
    std::vector<BarName> names;
    for (const auto& fm : f.formats) names.push_back({QString::fromStdString(fm.name), fm.bits_per_weight});
    int firstLeft = 0;
    const double rotation = setBarTicks(*ticker, names, slot, am.left(), height(), 64, tickMetrics,
                                        [&](const QString& line) { return tickMetrics.horizontalAdvance(line); }, &firstLeft);
    axisRect()->setMinimumMargins(QMargins(firstLeft, 0, 0, 0));
    laidOutWidth_ = width();
    // The plot's height (the last layout's, or the chart's less its margins). In a short plot the value
    // labels give GB alone (the tooltip has GiB too): two lines left no room for the GPU names.
    const int plotH = axisRect()->height() > 0 ? axisRect()->height() : std::max(height() - 140, 60);
    // value labels as the memory chart's, as wide as the bar's slot allows (in a 380 px chart in projector
    // type "3.50 GB" over "3.26 GiB" ran into its neighbours)
    std::vector<std::pair<QString, QString>> valueTexts;
    for (const auto& e : f.estimates) {
        const double gb = e.total_bytes / 1e9, gib = e.total_gib();
        valueTexts.emplace_back(QStringLiteral("%1 GB").arg(gb, 0, 'f', gb < 10 ? 2 : 1), QStringLiteral("%1 GiB").arg(gib, 0, 'f', gib < 10 ? 2 : 1));
    }
    const ValueLabels values = fitValueLabels(style(), valueTexts, slot, plotH >= kTwoLinePlotHeight * style().scale,
                                              [](const QFont& font, const QString& t) { return QFontMetrics(font).horizontalAdvance(t); });
    const int valueLines = values.lines;
    double ymax = 0;
    constexpr double kBarWidth = 0.6;  // of a slot
    QCPBars* legendAll = nullptr;
    QCPBars* legendSome = nullptr;
    QCPBars* legendNone = nullptr;
    for (std::size_t i = 0; i < f.formats.size(); ++i) {
        const double gb = f.estimates[i].total_bytes / 1e9;
        ymax = std::max(ymax, gb);
        int fits = 0;
        for (const auto& g : f.fits[i]) fits += g.fits ? 1 : 0;
        const bool all = !f.gpus.empty() && fits == static_cast<int>(f.gpus.size());
        const QColor c = f.gpus.empty() ? style().original : all ? fitsAll : (fits > 0 ? fitsSome : fitsNone);
        auto* bar = addBar(this, static_cast<double>(i), gb, c, kBarWidth);
        if (!f.gpus.empty()) {
            QCPBars*& slot = all ? legendAll : (fits > 0 ? legendSome : legendNone);
            if (!slot) {
                slot = bar;
                bar->setName(all ? tr("fits every chosen GPU") : (fits > 0 ? tr("fits some") : tr("fits none")));
            } else {
                bar->removeFromLegend();
            }
        } else {
            bar->removeFromLegend();
        }
        if (valueLines == 0) continue;
        auto* label = new QCPItemText(this);
        label->position->setCoords(static_cast<double>(i), gb);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(valueLines == 2 ? valueTexts[i].first + QLatin1Char('\n') + valueTexts[i].second : valueTexts[i].first);
        label->setFont(values.font);
        label->setColor(style().foreground);
        label->setPadding(QMargins(2, 1, 2, 1));
        QColor lb = style().background;
        lb.setAlpha(210);
        label->setBrush(QBrush(lb));
        label->setLayer(QStringLiteral("axes"));  // above the GPU lines
    }
    // Each GPU's usable memory (with the headroom kept free) as a dashed line across the chart.
    static const Qt::PenStyle dashes[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine, Qt::DashDotDotLine};
    std::vector<double> caps;
    std::vector<QCPGraph*> lines;
    lineTips_.clear();
    for (std::size_t k = 0; k < f.gpus.size(); ++k) {
        const auto& g = f.gpus[k];
        const double cap = f.fits.empty() || f.fits[0].empty() ? g.memory_gb() : f.fits[0][k].capacity_bytes / 1e9;
        caps.push_back(cap);
        ymax = std::max(ymax, cap);
        QCPGraph* line = addGraph();
        line->setData(QVector<double>{-0.5, static_cast<double>(f.formats.size()) - 0.5}, QVector<double>{cap, cap});
        line->setPen(QPen(style().foreground, style().lineWidth(1.5), dashes[k % 4]));
        line->setName(tr("%1: %2 GiB, %3 GB usable").arg(QString::fromStdString(g.name)).arg(g.memory_gib(), 0, 'g', 4).arg(cap, 0, 'f', 1));
        lines.push_back(line);
        lineTips_.emplace_back(cap, line->name());
    }
    // Each line's GPU name over its right end, else over its left end where a bar's value label (or another
    // name) would be under it there, else none (the legend names every line). Boxes in bar slots across and
    // GB up, from the plot's size (the last layout's, or the chart's less its margins).
    const int n = static_cast<int>(f.formats.size());
    const double top = std::max(ymax * 1.2 * headroom_, 1e-9);
    const double gbPerPx = top / plotH, slotsPerPx = static_cast<double>(n) / std::max(plotWidth, 40);
    const QFont nameFont = style().font(8.5, true);
    const QFontMetrics nameMetrics(nameFont), valueMetrics(values.font);
    // Boxes that overlap by under kTouchPx only touch (a name over the line at 9.7 GB and the top of
    // INT4's "3.50 GB" 0.2 px above it are side by side on screen).
    constexpr double kTouchPx = 1.5;
    const double ex = kTouchPx * slotsPerPx, ey = kTouchPx * gbPerPx;
    struct Box {
        double x0, x1, y0, y1;
    };
    const auto meet = [ex, ey](const Box& a, const Box& b) { return a.x0 < b.x1 - ex && b.x0 < a.x1 - ex && a.y0 < b.y1 - ey && b.y0 < a.y1 - ey; };
    std::vector<Box> taken;
    if (legendKeep_.isValid())  // the legend's box (the second pass): names stay off it
        taken.push_back({legendKeep_.left(), legendKeep_.right(), legendKeep_.top(), legendKeep_.bottom()});
    const double valueHalfWidth = valueMetrics.horizontalAdvance(valueLines == 2 ? QStringLiteral("00.00 GiB") : QStringLiteral("00.00 GB")) * slotsPerPx / 2;
    for (int i = 0; i < n && valueLines > 0; ++i) {  // the value labels centred over each bar
        const double w = valueHalfWidth;
        const double gb = f.estimates[static_cast<std::size_t>(i)].total_bytes / 1e9;
        taken.push_back({i - w, i + w, gb, gb + (valueLines * valueMetrics.height() + 2) * gbPerPx});
    }
    std::vector<Box> barBoxes;  // the bars as drawn (width kBarWidth slots)
    for (int i = 0; i < n; ++i)
        barBoxes.push_back({i - kBarWidth / 2, i + kBarWidth / 2, 0.0, f.estimates[static_cast<std::size_t>(i)].total_bytes / 1e9});
    for (std::size_t k = 0; k < f.gpus.size(); ++k) {
        const QString name = QString::fromStdString(f.gpus[k].name);
        const double w = (nameMetrics.horizontalAdvance(name) + 4) * slotsPerPx, h = nameMetrics.height() * gbPerPx;
        const double cap = caps[k];
        const auto clear = [&](const Box& b, bool ofBars) {
            const auto meets = [&](const Box& t) { return meet(t, b); };
            return std::none_of(taken.begin(), taken.end(), meets) && (!ofBars || std::none_of(barBoxes.begin(), barBoxes.end(), meets));
        };
        // Where the name goes: over the line's right end; else over the line centred on a bar lower than
        // it or on the gap between two, from the right; else over its left end. A name on a bar hid part
        // of it ("RTX 3080" over the FP32 bar while the INT4 slot was free); only where every place on
        // the line is on a bar or a value label does it sit on a bar, at an end, on its background.
        struct Place {
            Box box;
            double x;
            Qt::Alignment align;
        };
        std::vector<Place> places{{{n - 0.5 - w, n - 0.5, cap, cap + h}, n - 0.5, Qt::AlignRight}};
        for (int s = 2 * n - 2; s >= 0; --s) {
            const double cx = 0.5 * s;
            if (cx - w / 2 >= -0.5 && cx + w / 2 <= n - 0.5) places.push_back({{cx - w / 2, cx + w / 2, cap, cap + h}, cx, Qt::AlignHCenter});
        }
        places.push_back({{-0.5, -0.5 + w, cap, cap + h}, -0.5, Qt::AlignLeft});
        const Place* chosen = nullptr;
        for (const Place& p : places)
            if (clear(p.box, true)) {
                chosen = &p;
                break;
            }
        for (const Place* end : {&places.front(), &places.back()})
            if (!chosen && clear(end->box, false)) chosen = end;
        if (!chosen) continue;
        taken.push_back(chosen->box);
        // named on the plot: in a short plot its legend entry would say it again (five entries covered
        // the bars in a dock at 1280x800); its memory and usable GB are in the tooltip on the line. A
        // taller plot keeps the entry, which gives them on a slide.
        if (plotH < kShortLegendPlotHeight * style().scale) lines[k]->removeFromLegend();
        auto* label = new QCPItemText(this);
        label->setObjectName(QStringLiteral("gpuName"));
        label->position->setCoords(chosen->x, cap);
        label->setPositionAlignment(chosen->align | Qt::AlignBottom);
        label->setText(name);
        label->setFont(nameFont);
        label->setColor(style().foreground);
        QColor lb = style().background;
        lb.setAlpha(180);
        label->setBrush(QBrush(lb));  // readable over a bar at the left end
        label->setLayer(QStringLiteral("axes"));
    }
    xAxis->setTicker(ticker);
    xAxis->setTickLabelRotation(rotation);
    xAxis->grid()->setVisible(false);
    setLegendCorner(legendKeep_.isValid() ? legendCornerKept_ : Qt::AlignTop | Qt::AlignLeft);
    finish(false);
    xAxis->setRange(-0.6, static_cast<double>(f.formats.size()) - 0.4);
    yAxis->setRange(0, top);
    finish(false);
    // The legend in the top corner where it covers less (bars are tallest on the left, GPU names sit at
    // the right), with room above the bars under it for their value labels where the plot has it (in a
    // dock at 1280x800 it covered the tallest bars' labels): once more with that corner kept, the value
    // axis that much higher and the GPU names off the legend's box.
    if (!headroomPass_ && legend->visible() && !legendBelowPlot() && legend->itemCount() > 0) {
        legendCornerKept_ = Qt::AlignTop | Qt::AlignLeft;
        layOutNow();
        const QRectF left = legend->outerRect();
        const QRectF right = left.translated(axisRect()->rect().right() - left.right(), 0);
        if (inkIn(right) < 0.5 * inkIn(left)) legendCornerKept_ = Qt::AlignTop | Qt::AlignRight;
        setLegendCorner(legendCornerKept_);
        headroom_ = legendHeadroom(valueMetrics.height() * valueLines + 2 + 4);
        layOutNow();
        const QRectF box = legend->outerRect();
        // the box in GB on the second pass's axis, which reaches headroom_ times as high
        legendKeep_ = QRectF(QPointF(xAxis->pixelToCoord(box.left()), yAxis->pixelToCoord(box.bottom()) * headroom_),
                             QPointF(xAxis->pixelToCoord(box.right()), yAxis->range().upper * headroom_));
        headroomPass_ = true;
        rebuild();
        headroom_ = 1.0;
        headroomPass_ = false;
        legendKeep_ = QRectF();
    }
}

double GpuFitChart::legendHeadroom(double labelH) {
    const QRectF plot = axisRect()->rect(), box = legend->outerRect();
    const double room = plot.height() - box.height() - 4 - labelH;  // pixels up to a label's top under the box
    if (room < 0.25 * plot.height()) return 1.0;                     // the bars would be flattened: leave it
    const double top = yAxis->range().upper;
    double need = top;
    const auto& est = inputs().gpuFit->estimates;
    for (std::size_t i = 0; i < est.size(); ++i) {
        const double x0 = xAxis->coordToPixel(static_cast<double>(i) - 0.5), x1 = xAxis->coordToPixel(static_cast<double>(i) + 0.5);
        if (x1 < box.left() || x0 > box.right()) continue;
        need = std::max(need, est[i].total_bytes / 1e9 * plot.height() / room);
    }
    return std::min(need / top, 2.0);
}

void GpuFitChart::resizeEvent(QResizeEvent* event) {
    ChartView::resizeEvent(event);
    if (inputs().gpuFit && std::abs(width() - laidOutWidth_) > laidOutWidth_ / 10) rebuild();
}

QString GpuFitChart::tooltipAt(const QPoint& pos) const {
    const auto& in = inputs();
    if (!in.gpuFit) return {};
    const GpuFitReport& f = *in.gpuFit;
    for (const auto& [cap, text] : lineTips_)  // on a GPU's line: its memory and what is usable
        if (std::fabs(yAxis->coordToPixel(cap) - pos.y()) <= 5 * style().scale) return text;
    const double key = xAxis->pixelToCoord(pos.x());
    const long i = std::lround(key);
    if (i < 0 || i >= static_cast<long>(f.formats.size()) || std::fabs(key - static_cast<double>(i)) > 0.35) return {};
    const auto& e = f.estimates[static_cast<std::size_t>(i)];
    QString t = tr("%1 at %2 bits per weight: %3").arg(QString::fromStdString(f.formats[static_cast<std::size_t>(i)].name))
                    .arg(f.formats[static_cast<std::size_t>(i)].bits_per_weight, 0, 'g', 5)
                    .arg(formatBytes(e.total_bytes));
    if (const std::string& note = f.formats[static_cast<std::size_t>(i)].note; !note.empty())
        t += QLatin1Char('\n') + QString::fromStdString(note);
    for (std::size_t k = 0; k < f.gpus.size(); ++k) {
        const auto& g = f.fits[static_cast<std::size_t>(i)][k];
        t += QLatin1Char('\n') + tr("%1: %2 (%3% of usable memory)")
                                       .arg(QString::fromStdString(f.gpus[k].name), g.fits ? tr("fits") : tr("does not fit"))
                                       .arg(g.used_fraction * 100, 0, 'f', 0);
    }
    return t;
}

} // namespace ql::ui
