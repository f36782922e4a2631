// Common chart behaviour and atomic export.
#include "charts/chart_view.h"

#include <QContextMenuEvent>
#include <QImage>
#include <QMenu>
#include <QPdfWriter>
#include <QSaveFile>
#include <QScopeGuard>
#include <QSvgGenerator>
#include <QTimer>
#include <QToolTip>

#include <cmath>
#include <limits>

namespace ql::ui {

QString exportFormatSuffix(ExportFormat f) {
    switch (f) {
    case ExportFormat::Png: return QStringLiteral("png");
    case ExportFormat::Jpg: return QStringLiteral("jpg");
    case ExportFormat::Pdf: return QStringLiteral("pdf");
    case ExportFormat::Svg: return QStringLiteral("svg");
    }
    return QStringLiteral("png");
}

bool parseExportFormat(const QString& s, ExportFormat& out) {
    const QString l = s.toLower();
    if (l == "png") out = ExportFormat::Png;
    else if (l == "jpg" || l == "jpeg") out = ExportFormat::Jpg;
    else if (l == "pdf") out = ExportFormat::Pdf;
    else if (l == "svg") out = ExportFormat::Svg;
    else return false;
    return true;
}

namespace {

// The plot's paint buffer, cleared with the chart's background colour where QCustomPlot clears it
// transparent. Every layer draws into this one buffer (the overlay layer is logical too), so the
// buffer is the whole picture: a paint copies it instead of filling the background and blending a
// transparent buffer over it. Source-over blending is associative: the same picture but for rounding
// (charts of the window compared: at most 2 of 255 in a channel, on antialiased edges).
class BackgroundPaintBuffer : public QCPPaintBufferPixmap {
public:
    BackgroundPaintBuffer(const QSize& size, double devicePixelRatio) : QCPPaintBufferPixmap(size, devicePixelRatio) {}
    void setBackground(const QColor& c) { background_ = c; }
    // Every pixel opaque since the last clear(): the plot's paint need not fill a background first.
    bool opaque() const { return opaque_; }
    void clear(const QColor& color) override {
        const bool fillBackground = color.alpha() == 0 && background_.isValid() && background_.alpha() == 255;
        QCPPaintBufferPixmap::clear(fillBackground ? background_ : color);
        opaque_ = fillBackground || color.alpha() == 255;
    }

protected:
    void reallocateBuffer() override {
        QCPPaintBufferPixmap::reallocateBuffer();  // uninitialised until the next clear()
        opaque_ = false;
    }

private:
    QColor background_;
    bool opaque_ = false;
};

// The chart's title. QCustomPlot asks a text element for its size twice per replot and lays the text
// out each time; the title measures its text once per text and font, as QCPTextElement does.
class TitleElement : public QCPTextElement {
public:
    explicit TitleElement(QCustomPlot* plot) : QCPTextElement(plot, QString(), QFont()) {}
    QSize minimumOuterSizeHint() const override {
        QSize result = fitted().size;
        result.rwidth() += mMargins.left() + mMargins.right();
        result.rheight() += mMargins.top() + mMargins.bottom();
        return result;
    }
    QSize maximumOuterSizeHint() const override {
        QSize result = fitted().size;
        result.setWidth(QWIDGETSIZE_MAX);
        result.rheight() += mMargins.top() + mMargins.bottom();
        return result;
    }
    QString shownText(QFont* font) const {
        if (font) *font = fitted().font;
        return fitted().text;
    }
    void draw(QCPPainter* painter) override {
        const Fit& f = fitted();
        painter->setFont(f.font);
        painter->setPen(QPen(mainTextColor()));
        painter->drawText(mRect, mTextFlags, f.text, &mTextBoundingRect);
    }

private:
    // A title wider than the chart (a narrow dock, presentation type) is set in a type up to a fifth
    // smaller, else on two lines broken near the middle (a projector column cut "GPTQ: error per column
    // as q..." to a guess), each cut with an ellipsis where even that does not fit; the title's tooltip
    // names the chart. Worked out once per text, font and width, as QCPTextElement measures its text.
    struct Fit {
        QString text;
        QFont font;
        QSize size;
    };
    const Fit& fitted() const {
        const int avail = mParentPlot ? mParentPlot->viewport().width() - mMargins.left() - mMargins.right() : 0;
        if (measured_ && mText == measuredText_ && mFont == measuredFont_ && avail == measuredAvail_) return fit_;
        measured_ = true;
        measuredText_ = mText;
        measuredFont_ = mFont;
        measuredAvail_ = avail;
        auto scaled = [this](double k) {
            QFont f = mFont;
            if (f.pointSizeF() > 0) f.setPointSizeF(f.pointSizeF() * k);
            return f;
        };
        fit_ = {mText, mFont, {}};
        const bool tight = avail > 0 && QFontMetrics(mFont).horizontalAdvance(mText) > avail && !mText.contains(QLatin1Char('\n'));
        if (tight) {
            // the space nearest the middle
            int mid = -1;
            for (int i = 0; i < mText.size(); ++i)
                if (mText.at(i) == QLatin1Char(' ') && (mid < 0 || std::abs(i - mText.size() / 2) < std::abs(mid - mText.size() / 2))) mid = i;
            const QString first = mid < 0 ? mText : mText.left(mid), second = mid < 0 ? QString() : mText.mid(mid + 1);
            // one line in a smaller type; else two lines (the larger type that holds both); else cut
            bool done = false;
            for (double k : {0.9, 0.8}) {
                if (!done && QFontMetrics(scaled(k)).horizontalAdvance(mText) <= avail) {
                    fit_.font = scaled(k);
                    done = true;
                }
            }
            for (double k : {0.9, 0.8}) {
                if (done || mid < 0) break;
                const QFontMetrics fm(scaled(k));
                if (std::max(fm.horizontalAdvance(first), fm.horizontalAdvance(second)) > avail && k > 0.8) continue;
                fit_.font = scaled(k);
                fit_.text = fm.elidedText(first, Qt::ElideRight, avail) + QLatin1Char('\n') + fm.elidedText(second, Qt::ElideRight, avail);
                done = true;
            }
            if (!done) {  // one word
                fit_.font = scaled(0.8);
                fit_.text = QFontMetrics(fit_.font).elidedText(mText, Qt::ElideRight, avail);
            }
        }
        fit_.size = QFontMetrics(fit_.font).boundingRect(0, 0, 0, 0, Qt::TextDontClip, fit_.text).size();
        return fit_;
    }
    mutable bool measured_ = false;
    mutable QString measuredText_;
    mutable QFont measuredFont_;
    mutable int measuredAvail_ = -1;
    mutable Fit fit_;
};

} // namespace

ChartView::ChartView(QWidget* parent) : QCustomPlot(parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    setNoAntialiasingOnDrag(true);
    // Straight polyline segments instead of a path per graph: the same pixels at these widths, a
    // fraction of the raster work on every update. No phImmediateRefresh: a replot marks the chart
    // for the window's next paint (update()) instead of painting the window at once (repaint(),
    // QCustomPlot's default), so the charts redrawn by one update share one paint of the window.
    setPlottingHints((plottingHints() | QCP::phFastPolylines) & ~QCP::PlottingHints(QCP::phImmediateRefresh));
    // QCustomPlot buffers its "overlay" layer apart (for selection rectangles, which these charts do
    // not use): one more full-size transparent pixmap to clear on every replot and to blend on every
    // paint. Drawn into the same buffer as the rest, the picture is the same.
    if (QCPLayer* overlay = layer(QStringLiteral("overlay"))) overlay->setMode(QCPLayer::lmLogical);
    // That one buffer starts from the background (BackgroundPaintBuffer); QCustomPlot keeps a buffer it
    // finds in place and makes its own only when there is none.
    mPaintBuffers.clear();
    mPaintBuffers.append(QSharedPointer<QCPAbstractPaintBuffer>(new BackgroundPaintBuffer(viewport().size(), bufferDevicePixelRatio())));
    setMinimumSize(kMinimumWidthPx, kMinimumHeightPx);
    plotLayout()->insertRow(0);
    titleElement_ = new TitleElement(this);
    plotLayout()->addElement(0, 0, titleElement_);
    style_ = makeChartStyle(false, false);
}

void ChartView::setInputs(const ChartInputs& inputs) {
    inputs_ = inputs;
    requestRebuild();
}

void ChartView::setChartStyle(const ChartStyle& style) {
    style_ = style;
    requestRebuild();
}

void ChartView::requestRebuild() {
    rebuildPending_ = true;
    if (!behindTab_) ensureCurrent();
}

void ChartView::ensureCurrent() {
    if (!rebuildPending_) return;
    rebuildPending_ = false;
    rebuild();
}

void ChartView::applyFrameStyle() {
    setBackground(QBrush(style_.background));
    if (auto* b = mPaintBuffers.isEmpty() ? nullptr : dynamic_cast<BackgroundPaintBuffer*>(mPaintBuffers.first().data()))
        b->setBackground(style_.background);
    // An opaque background paints every pixel: the window need not paint what lies beneath the chart.
    setAttribute(Qt::WA_OpaquePaintEvent, style_.background.alpha() == 255);
    titleElement_->setText(title());
    titleElement_->setFont(style_.font(12.5, true));
    titleElement_->setTextColor(style_.foreground);
    for (QCPAxis* ax : {xAxis, yAxis, xAxis2, yAxis2}) {
        ax->setBasePen(QPen(style_.foreground, style_.scale));
        ax->setTickPen(QPen(style_.foreground, style_.scale));
        ax->setSubTickPen(QPen(style_.foreground, style_.scale));
        ax->setTickLabelColor(style_.foreground);
        ax->setLabelColor(style_.foreground);
        ax->setTickLabelFont(style_.font(9.5));
        ax->setLabelFont(style_.font(10.5));
        ax->grid()->setPen(QPen(style_.grid, 1, Qt::DotLine));
        ax->grid()->setSubGridPen(QPen(style_.subgrid, 1, Qt::DotLine));
        ax->grid()->setZeroLinePen(QPen(style_.grid, 1));
    }
    legend->setVisible(true);
    setLegendType(style_.font(9.5));
    legend->setTextColor(style_.foreground);
    QColor lb = style_.background;
    lb.setAlpha(215);
    legend->setBrush(QBrush(lb));
    legend->setBorderPen(QPen(style_.grid));
}

void ChartView::resetPlot() {
    clearPlottables();
    clearItems();
    for (QCPAxis* ax : {xAxis, yAxis, yAxis2}) ax->setTickLabels(true);  // addNote() hides them
    xAxis->setScaleType(QCPAxis::stLinear);
    yAxis->setScaleType(QCPAxis::stLinear);
    xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    // Setting a number format makes the axis measure its labels again at the next replot, even when
    // the format is the one it has.
    for (QCPAxis* ax : {xAxis, yAxis})
        if (ax->numberFormat() != QLatin1String("gb")) ax->setNumberFormat(QStringLiteral("gb"));
    placeLegend(false);  // back in the plot's corner, where each chart may choose its corner
    setLegendCorner(Qt::AlignTop | Qt::AlignRight);
    legendAvoids_ = false;
    legendRaises_ = false;
    raisedY_ = false;
    rightTitle_.clear();
    rightShort_.clear();
    labelsPlacedAt_ = QSize();
    applyFrameStyle();
}

void ChartView::setRightAxisTitle(const QString& title, const QString& shorter) {
    rightTitle_ = title;
    rightShort_ = shorter;
    fitAxisTitles();
}

void ChartView::setLegendCorner(Qt::Alignment corner) {
    legendCorner_ = corner;
    if (legendBelow_) return;  // it goes there when it comes back into the plot
    QCPLayoutInset* inset = axisRect()->insetLayout();
    for (int i = 0; i < inset->elementCount(); ++i)
        if (inset->elementAt(i) == legend) inset->setInsetAlignment(i, corner);
}

void ChartView::placeLegend(bool below) {
    if (below == legendBelow_) return;
    if (below) {
        axisRect()->insetLayout()->take(legend);  // legendCorner_ keeps its corner for the way back
        const int row = plotLayout()->rowCount();
        plotLayout()->addElement(row, 0, legend);
        plotLayout()->setRowStretchFactor(row, 0.001);  // its own height, the plot the rest
        legend->setBorderPen(Qt::NoPen);               // under the axis title, as a key without a box
        legend->setBrush(Qt::NoBrush);
    } else {
        plotLayout()->take(legend);
        plotLayout()->simplify();
        axisRect()->insetLayout()->addElement(legend, legendCorner_);
        legend->setWrap(0);
        legend->setFillOrder(QCPLayoutGrid::foRowsFirst, true);  // one column again
        QColor lb = style_.background;
        lb.setAlpha(215);
        legend->setBrush(QBrush(lb));
        legend->setBorderPen(QPen(style_.grid));
    }
    legendBelow_ = below;
}

void ChartView::setAxisTitles(const QString& x, const QString& y, const QString& yShort, const QString& xShort) {
    axisTitles_ = {x, y};
    yShort_ = yShort;
    xShort_ = xShort;
    fitAxisTitles();
}

QString ChartView::fitLine(const QString& text, const QFont& font, int avail, int maxLines) {
    if (text.contains(QLatin1Char('\n'))) {  // already on lines of its own: each one cut where too long, the first maxLines
        QStringList lines = text.split(QLatin1Char('\n'));
        if (maxLines >= 1 && lines.size() > maxLines) lines = lines.mid(0, maxLines);
        for (QString& l : lines) l = QFontMetrics(font).elidedText(l, Qt::ElideRight, avail);
        return lines.join(QLatin1Char('\n'));
    }
    const QFontMetrics fm(font);
    if (avail <= 0 || fm.horizontalAdvance(text) <= avail) return text;
    if (maxLines <= 1) {
        const QString fitted = fm.elidedText(text, Qt::ElideRight, avail);
        return 3 * (fitted.size() - 1) < text.size() ? QString() : fitted;
    }
    // two lines, broken at the space nearest the middle; each cut where still too long
    int best = -1;
    for (int i = 0; i < text.size(); ++i)
        if (text.at(i) == QLatin1Char(' ') && (best < 0 || std::abs(i - text.size() / 2) < std::abs(best - text.size() / 2))) best = i;
    if (best >= 0 && maxLines >= 3 && (fm.horizontalAdvance(text.left(best)) > avail || fm.horizontalAdvance(text.mid(best + 1)) > avail)) {
        // two lines would be cut: three whole ones where they fit (the break pair whose longest line is shortest)
        int a = -1, b = -1, widest = std::numeric_limits<int>::max();
        for (int i = 0; i < text.size(); ++i)
            for (int j = i + 1; text.at(i) == QLatin1Char(' ') && j < text.size(); ++j) {
                if (text.at(j) != QLatin1Char(' ')) continue;
                const int w = std::max({fm.horizontalAdvance(text.left(i)), fm.horizontalAdvance(text.mid(i + 1, j - i - 1)),
                                        fm.horizontalAdvance(text.mid(j + 1))});
                if (w < widest) {
                    widest = w;
                    a = i;
                    b = j;
                }
            }
        if (a >= 0 && widest <= avail) return text.left(a) + QLatin1Char('\n') + text.mid(a + 1, b - a - 1) + QLatin1Char('\n') + text.mid(b + 1);
    }
    const QString fitted = best < 0 ? fm.elidedText(text, Qt::ElideRight, avail)
                                    : fm.elidedText(text.left(best), Qt::ElideRight, avail) + QLatin1Char('\n') +
                                          fm.elidedText(text.mid(best + 1), Qt::ElideRight, avail);
    // so little room that a few letters would be left: no title (the chart's title and its tooltip say it)
    return 3 * (fitted.size() - 2) < text.size() ? QString() : fitted;
}

void ChartView::fitAxisTitles() {
    // room along each axis, from the last layout: right of the y axis for the x title (it may reach
    // under the right margin), the plot's height for the y title (centred on it)
    const QMargins m = axisRect()->margins();
    const int titleH = titleElement_->outerRect().height();
    const int availX = width() - m.left() - 8;
    int availY = height() - titleH - m.top() - m.bottom() - 4;
    // a legend under the plot takes its rows from the plot's height (the weight chart's log density title
    // ran past the plot's top into the chart's title at 640x400 in projector type)
    if (legendBelow_) availY -= legend->minimumOuterSizeHint().height() + plotLayout()->rowSpacing();
    // the same titles, type and room as last time (most rebuilds): nothing to measure
    const FitKey key{axisTitles_, yShort_, xShort_, rightTitle_, rightShort_, xAxis->labelFont(), yAxis->labelFont(), yAxis2->labelFont(),
                     availX, availY, width()};
    if (key == axisFit_) return;
    axisFit_ = key;
    // Each line of a y title is a column the plot's width gives up: the lines of both y titles take at
    // most kYTitlesWidthShare of the chart's width (a 380 px GPTQ chart in projector type, three lines
    // either side, kept a plot of 70 px), one each at least. Where the title would be cut to them, its
    // short form.
    const int lineH = std::max(1, QFontMetrics(yAxis->labelFont()).height());
    const int lines = std::max(1, static_cast<int>(kYTitlesWidthShare * width() / lineH));
    const int sideLines = rightTitle_.isEmpty() ? std::min(3, lines) : std::clamp(lines / 2, 1, 3);
    // a title cut to its room (two lines across, up to three up) gives way to its short form where it has one
    auto fitTitle = [&](const QString& title, const QString& shorter, const QFont& font, int room, int maxLines) {
        const QString whole = fitLine(title, font, room, maxLines);
        if (shorter.isEmpty() || QString(whole).replace(QLatin1Char('\n'), QLatin1Char(' ')) == QString(title).replace(QLatin1Char('\n'), QLatin1Char(' ')))
            return whole;
        return fitLine(shorter, font, room, maxLines);
    };
    auto fitY = [&](const QString& title, const QString& shorter, const QFont& font) { return fitTitle(title, shorter, font, availY, sideLines); };
    // the right axis' title as the left one's (GPTQ's cumulative loss ran past the plot in projector type)
    if (!rightTitle_.isEmpty()) yAxis2->setLabel(fitY(rightTitle_, rightShort_, yAxis2->labelFont()));
    const QString x = fitTitle(axisTitles_.first, xShort_, xAxis->labelFont(), availX, 2);
    // a third line costs the y title's column a line's width, where the x title's would cost the plot height
    const QString y = fitY(axisTitles_.second, yShort_, yAxis->labelFont());
    if (xAxis->label() != x) xAxis->setLabel(x);
    if (yAxis->label() != y) yAxis->setLabel(y);
}

namespace {
const char* const kFullNameProperty = "qlFullName";
}

QString ChartView::titleAsDrawn(QFont* font) const { return static_cast<const TitleElement*>(titleElement_)->shownText(font); }

QFont ChartView::titleFont() const { return titleElement_->font(); }

QString ChartView::fullName(const QCPAbstractPlottable* p) {
    const QVariant full = p->property(kFullNameProperty);
    return full.isValid() ? full.toString() : p->name();
}

void ChartView::fitLegend() {
    if (legend->visible() && legend->itemCount() == 0) legend->setVisible(false);  // no empty box over a note
    // the entries as named (elideLegendEntries() cut some for the last size)
    for (int i = 0; i < plottableCount(); ++i)
        if (QCPAbstractPlottable* p = plottable(i); p->property(kFullNameProperty).isValid()) {
            p->setName(p->property(kFullNameProperty).toString());
            p->setProperty(kFullNameProperty, QVariant());
        }
    // A legend wider than about half the plot covers the data: in a narrow chart its type shrinks, to
    // three quarters at most. Wide charts (most) skip the measuring.
    const QFont base = style_.font(9.5);
    const int availX = width() - axisRect()->margins().left() - axisRect()->margins().right();
    QFont f = base;
    const bool narrow = legend->visible() && legend->itemCount() > 0 && width() < 640 * style_.scale;
    // the same entries in the same room as last time (a slider move renames none): the same type
    QString names;
    for (int i = 0; i < legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) names += item->plottable()->name() + QLatin1Char('\n');
    // the legend's width as one column (its entries measured alone: it may stand in a row under the plot)
    auto columnWidth = [this] {
        int w = 0;
        for (int i = 0; i < legend->itemCount(); ++i)
            if (QCPAbstractLegendItem* item = legend->item(i)) w = std::max(w, item->minimumOuterSizeHint().width());
        return w + legend->margins().left() + legend->margins().right();
    };
    if (narrow && names == legendFitNames_ && availX == legendFitWidth_ && base == legendFitBase_) {
        f = legendFitFont_;
    } else if (narrow) {
        for (double k : {1.0, 0.85, 0.75}) {
            f.setPointSizeF(base.pointSizeF() * k);
            setLegendType(f);
            if (columnWidth() <= availX * 55 / 100) break;
        }
        legendFitNames_ = names;
        legendFitWidth_ = availX;
        legendFitBase_ = base;
        legendFitFont_ = f;
    }

    // Inside the plot the legend is one column in a corner. Where that box would take more than
    // kLegendInsideShare of the plot (the weight chart's four entries in a small dock or in presentation
    // type), the entries go under the plot, side by side in as many columns as fit, unless that would
    // take more than kLegendBelowShare of the height (many entries: they stay in the corner).
    constexpr double kLegendInsideShare = 0.12, kLegendBelowShare = 0.3;
    // The plot's room estimated from the widget's size (the last layout's margins may be stale: an
    // export resizes a chart that was never laid out): tick labels and axis titles take about 75 px
    // across and 55 px down at normal type, the title its line.
    const bool any = legend->visible() && legend->itemCount() > 0;
    const int titleH = titleElement_ && titleElement_->visible() ? static_cast<QCPLayoutElement*>(titleElement_)->minimumOuterSizeHint().height() + 4 : 0;  // one line or two
    const int plotX = width() - static_cast<int>(75 * style_.scale);
    const int availY = height() - titleH - static_cast<int>(55 * style_.scale);
    LegendPlace want{names, base, f, plotX, availY, false, 1, f, false, 1, f, 0};
    if (!any) {
        legendPlace_ = want;
    } else if (!(legendPlace_.names == names && legendPlace_.font == base && legendPlace_.inside == f && legendPlace_.availX == plotX &&
                 legendPlace_.availY == availY)) {
        // the entries' sizes in font `font`
        std::vector<int> widths;
        int itemH = 0;
        auto measure = [&](const QFont& font) {
            if (legend->font() != font) setLegendType(font);
            widths.clear();
            itemH = 0;
            for (int i = 0; i < legend->itemCount(); ++i) {
                QCPAbstractLegendItem* item = legend->item(i);
                if (!item) continue;
                const QSize sz = item->minimumOuterSizeHint();
                widths.push_back(sz.width());
                itemH = std::max(itemH, sz.height());
            }
        };
        const QMargins m = legend->margins();
        const int gapX = legend->columnSpacing(), gapY = legend->rowSpacing();
        measure(f);
        const int n = static_cast<int>(widths.size());
        const int colW = (widths.empty() ? 0 : *std::max_element(widths.begin(), widths.end())) + m.left() + m.right();
        const int colH = n * itemH + (n - 1) * gapY + m.top() + m.bottom();
        const bool crowded = plotX > 0 && availY > 0 && double(colW) * colH > kLegendInsideShare * plotX * availY;
        // under the plot: the most columns that fit across the chart (the row spans its width), each as wide
        // as its widest entry (entries fill rows), in the largest type down to three quarters that keeps
        // the rows within kLegendBelowShare of the height
        for (double k : {1.0, 0.85, 0.75}) {
            if (!crowded || want.below) break;
            QFont fb = base;
            fb.setPointSizeF(base.pointSizeF() * k);
            measure(fb);
            int cols = std::max(n, 1);
            for (; cols > 1; --cols) {
                int across = m.left() + m.right() + (cols - 1) * gapX;
                for (int c = 0; c < cols; ++c) {
                    int w = 0;
                    for (int i = c; i < n; i += cols) w = std::max(w, widths[static_cast<std::size_t>(i)]);
                    across += w;
                }
                if (across <= width() - 10) break;
            }
            // one column still wider than the chart (a GPU's "A100 80GB: 80 GiB, 77.3 GB usable" in a 380 px
            // chart in projector type ran off its edge): the next smaller type
            if (cols == 1 && k > 0.75 && (widths.empty() ? 0 : *std::max_element(widths.begin(), widths.end())) + m.left() + m.right() > width() - 10)
                continue;
            const int rows = (n + cols - 1) / cols;
            const double share = double(rows * itemH + (rows - 1) * gapY + m.top() + m.bottom()) / availY;
            if (share <= kLegendBelowShare) {
                want.below = true;
                want.columns = cols;
                want.chosen = fb;
            } else if (const int h = rows * itemH + (rows - 1) * gapY + m.top() + m.bottom(); !want.belowIfCovering || h < want.heightBelow) {
                // too tall to go under the plot by default; chooseLegendCorner() takes it there (in its
                // lowest form) where every corner covers the data and the plot, as laid out, keeps room
                want.belowIfCovering = true;
                want.columnsBelow = cols;
                want.fontBelow = fb;
                want.heightBelow = h;
            }
        }
        legendPlace_ = want;
    }
    if (legend->font() != legendPlace_.chosen) setLegendType(legendPlace_.chosen);
    placeLegend(legendPlace_.below);
    if (legendPlace_.below && (legend->wrap() != legendPlace_.columns || legend->fillOrder() != QCPLayoutGrid::foColumnsFirst)) {
        legend->setWrap(legendPlace_.columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    }
    keepPlotRoom();
    elideLegendEntries();
    fitAxisTitles();  // the room along the y axis follows the legend's place
}

void ChartView::setLegendType(const QFont& font) {
    legend->setFont(font);
    // the line or box sample shrinks with the type: a row of a smaller legend is lower (five entries
    // under a 380 px SmoothQuant chart in projector type left it a plot under 116 px, icon-high rows)
    const double base = style_.font(9.5).pointSizeF();
    const double k = base > 0 && font.pointSizeF() > 0 ? std::min(1.0, font.pointSizeF() / base) : 1.0;
    // (a row a pixel higher than the text's box as QCustomPlot measures it: it clips an entry to its row,
    // and the text's lowest pixels, the underscores of "max |X_j| before" and "Hessian diagonal H_jj",
    // fell just below a row as high as the font's line, or that plus one pixel in three-quarter type)
    const int h = static_cast<int>(std::lround(14 * style_.scale * k));
    const int text = QFontMetrics(font).boundingRect(0, 0, 0, 0, Qt::TextDontClip, QStringLiteral("Hg_|")).height();
    legend->setIconSize(static_cast<int>(std::lround(28 * style_.scale * k)), std::max(h, text + 1));
}

void ChartView::elideLegendEntries() {
    if (!legend->visible()) return;
    // An entry wider than its room even in the smallest type ("X before smoothing: range [-331.5, 295.2]"
    // ran past a 370 px chart's edge in projector type) is cut with an ellipsis; hover the line for it.
    const QMargins lm = legend->margins();
    const QMargins am = axisRect()->margins();
    const int room = (legendBelow_ ? width() - 10 : width() - am.left() - am.right()) - lm.left() - lm.right();
    for (int i = 0; i < legend->itemCount(); ++i) {
        auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
        if (!item) continue;
        const int w = static_cast<QCPLayoutElement*>(item)->minimumOuterSizeHint().width();
        if (w <= room) continue;
        QCPAbstractPlottable* p = item->plottable();
        const QFontMetrics fm(legend->font());
        const QString name = p->name();
        const int textRoom = room - (w - fm.size(Qt::TextSingleLine, name).width());
        const QString cut = fm.elidedText(name, Qt::ElideRight, textRoom);
        if (textRoom <= 0 || 3 * cut.size() < name.size()) continue;  // a few letters would say nothing: whole
        p->setProperty(kFullNameProperty, name);
        p->setName(cut);
    }
}

void ChartView::resizeEvent(QResizeEvent* event) {
    QCustomPlot::resizeEvent(event);
    fitAxisTitles();
    fitLegend();
    chooseLegendCorner();
    fitXTicks();  // narrower: fewer ticks (wider, the count comes back with the next rebuild)
    // Point labels were placed in pixels for the last size: placed again (a rebuild, once the resizing
    // has settled within this event-loop pass), or entering presentation mode left the Pareto chart's
    // labels far from their points on long lines.
    if (!labelsPlacedAt_.isEmpty() &&
        (std::abs(width() - labelsPlacedAt_.width()) > kRelabelPx || std::abs(height() - labelsPlacedAt_.height()) > kRelabelPx))
        relabelSoon_.request();
}

void ChartView::relabel() {
    if (labelsPlacedAt_.isEmpty() || QWidget::size() == labelsPlacedAt_) return;
    rebuildPending_ = true;
    if (!behindTab_) ensureCurrent();
    queueReplot();
}

void ChartView::styleGraph(QCPGraph* g, const QColor& c, double width, bool markers) {
    g->setPen(QPen(c, style_.lineWidth(width)));
    if (markers) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, c, 5 * style_.scale));
}

QCPItemText* ChartView::addNote(const QString& text) {
    // a chart with a note has no data: no tick labels either (QCustomPlot's default 0..5 read as values)
    for (QCPAxis* ax : {xAxis, yAxis, yAxis2}) ax->setTickLabels(false);
    auto* t = new QCPItemText(this);
    t->setPositionAlignment(Qt::AlignCenter);
    t->position->setType(QCPItemPosition::ptAxisRectRatio);
    t->position->setCoords(0.5, 0.5);
    t->setText(text);
    t->setFont(style_.font(11));
    t->setColor(style_.original);
    return t;
}

void ChartView::finish(bool rescale) {
    fitLegend();
    if (rescale) {
        rescaleAxes(true);
        // a little air above the highest point so nothing touches the frame, and below the lowest where
        // the values do not start at 0 (bars, histograms): a point on the axis was half hidden (the model
        // survey's INT4 line ran along the x axis); values that are all at least 0 keep a range from 0 up
        if (yAxis->scaleType() == QCPAxis::stLinear) {
            const QCPRange r = yAxis->range();
            const double air = 0.06 * (r.upper - r.lower);
            const double lower = r.lower == 0 ? 0.0 : r.lower >= 0 ? std::max(0.0, r.lower - air) : r.lower - air;
            yAxis->setRange(lower, r.upper + air);
        }
    }
    homeX_ = xAxis->range();
    homeY_ = yAxis->range();
    haveHome_ = true;
    fitXTicks();
    queueReplot();
}

void ChartView::fitXTicks() {
    const QSharedPointer<QCPAxisTicker> t = xAxis->ticker();
    if (!t || t.dynamicCast<QCPAxisTickerText>() || t.dynamicCast<QCPAxisTickerFixed>() || xAxis->tickLabelRotation() != 0.0) return;
    const QFontMetricsF fm(xAxis->tickLabelFont());
    const double gap = 8 * style_.scale;
    // room for a long label ("-0.000125") between every two ticks on the last layout's axis: no need to
    // lay out and measure (most charts, most rebuilds)
    if (axisRect()->width() > 0 && axisRect()->width() / (t->tickCount() + 2.0) > fm.horizontalAdvance(QStringLiteral("-0.000125")) + gap) return;
    for (int attempt = 0; attempt < 3 && t->tickCount() > 2; ++attempt) {
        layOutNow();  // the axis' tick vector for its range and width
        const QVector<double> ticks = xAxis->tickVector();
        const QVector<QString> labels = xAxis->tickVectorLabels();
        bool overlap = false;
        for (int i = 1; i < ticks.size() && i < labels.size() && !overlap; ++i) {
            const double apart = std::fabs(xAxis->coordToPixel(ticks[i]) - xAxis->coordToPixel(ticks[i - 1]));
            overlap = (fm.horizontalAdvance(labels[i - 1]) + fm.horizontalAdvance(labels[i])) / 2 + gap > apart;
        }
        if (!overlap) return;
        t->setTickCount(t->tickCount() - 1);
    }
}

void ChartView::queueReplot() {
    if (onScreen()) {
        replotPending_ = false;
        replot(QCustomPlot::rpQueuedReplot);
    } else {
        replotPending_ = true;
    }
}

void ChartView::setBehindTab(bool behind) {
    behindTab_ = behind;
    if (!behind) ensureCurrent();  // queues its replot
    if (replotPending_) queueReplot();
}

void ChartView::showEvent(QShowEvent* event) {
    QCustomPlot::showEvent(event);
    if (replotPending_) queueReplot();
}

void ChartView::paintEvent(QPaintEvent* event) {
    auto* base = mPaintBuffers.isEmpty() ? nullptr : dynamic_cast<BackgroundPaintBuffer*>(mPaintBuffers.first().data());
    if (!base || !base->opaque() || !mBackgroundPixmap.isNull()) {
        QCustomPlot::paintEvent(event);  // fills the background, then draws the buffers over it
        return;
    }
    // The bottom buffer holds the background already: copy the buffers, with no fill beneath.
    QCPPainter painter(this);
    if (!painter.isActive()) return;
    for (const auto& buffer : std::as_const(mPaintBuffers)) buffer->draw(&painter);
}

// Puts each label beside its point (the label's position, in plot coordinates) where it overlaps no label
// placed before it, no other labelled point and none of `others` (unlabelled points, plot coordinates):
// right-above, right-below, left-above, left-below, then the same one to five label heights further up
// or down, joined to the point by a thin line. Where every spot is taken, the one that
// overlaps least. Labels are placed in the order given.
void ChartView::layOutNow() {
    plotLayout()->setOuterRect(QRect(0, 0, std::max(width(), 320), std::max(height(), 220)));
    for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout}) plotLayout()->update(phase);
}

std::vector<QLineF> ChartView::graphSegments(const QCPGraph* gr) {
    std::vector<QLineF> lines;
    const auto ls = gr->lineStyle();
    if (ls == QCPGraph::lsNone || !gr->visible()) return lines;
    QPointF prev;
    bool have = false;
    for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it) {
        if (!std::isfinite(it->key) || !std::isfinite(it->value)) {
            have = false;
            continue;
        }
        const QPointF q(gr->keyAxis()->coordToPixel(it->key), gr->valueAxis()->coordToPixel(it->value));
        if (have) {
            if (ls == QCPGraph::lsStepLeft || ls == QCPGraph::lsStepRight) {
                const QPointF corner = ls == QCPGraph::lsStepLeft ? QPointF(q.x(), prev.y()) : QPointF(prev.x(), q.y());
                lines.emplace_back(prev, corner);
                lines.emplace_back(corner, q);
            } else if (ls == QCPGraph::lsStepCenter) {
                const double mid = 0.5 * (prev.x() + q.x());
                lines.emplace_back(prev, QPointF(mid, prev.y()));
                lines.emplace_back(QPointF(mid, prev.y()), QPointF(mid, q.y()));
                lines.emplace_back(QPointF(mid, q.y()), q);
            } else {
                lines.emplace_back(prev, q);
            }
        }
        prev = q;
        have = true;
    }
    return lines;
}

namespace {
// The length of segment l inside rectangle r (Liang-Barsky clipping).
double lengthInside(const QLineF& l, const QRectF& r) {
    double t0 = 0.0, t1 = 1.0;
    const double dx = l.dx(), dy = l.dy();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {l.x1() - r.left(), r.right() - l.x1(), l.y1() - r.top(), r.bottom() - l.y1()};
    for (int k = 0; k < 4; ++k) {
        if (p[k] == 0.0) {
            if (q[k] < 0.0) return 0.0;
        } else {
            const double t = q[k] / p[k];
            if (p[k] < 0.0) t0 = std::max(t0, t);
            else t1 = std::min(t1, t);
        }
    }
    return t1 > t0 ? (t1 - t0) * l.length() : 0.0;
}
double areaOf(const QRectF& a, const QRectF& b) {
    const QRectF i = a.intersected(b);
    return i.isEmpty() ? 0.0 : i.width() * i.height();
}
} // namespace

double ChartView::inkIn(const QRectF& box) {
    const double lineW = 2.0 * style_.scale;  // a line counts as a strip about this wide
    double ink = 0.0;
    const QRectF area = axisRect()->rect();
    for (int g = 0; g < graphCount(); ++g) {
        const QCPGraph* gr = graph(g);
        if (!gr->visible()) continue;
        for (const QLineF& l : graphSegments(gr)) ink += lineW * lengthInside(l, box);
        // a filled graph (the histograms): the area between its line and the value axis' zero, column by
        // column: a step graph's bin at its own height (averaging a spike with its neighbours halved it, and a
        // legend over the INT8 error spike counted it as free), a line's between two points at their mean
        if (gr->brush().style() != Qt::NoBrush && gr->lineStyle() != QCPGraph::lsNone) {
            const QCPAxis* va = gr->valueAxis();
            const double base = va->scaleType() == QCPAxis::stLogarithmic ? (va->rangeReversed() ? area.top() : area.bottom())
                                                                          : va->coordToPixel(0.0);
            auto column = [&](double x0, double x1, double y) {
                const double top = std::max(area.top(), std::min(base, y)), bottom = std::min(area.bottom(), std::max(base, y));
                ink += areaOf(QRectF(QPointF(std::min(x0, x1), top), QPointF(std::max(x0, x1), bottom)), box);
            };
            std::vector<QPointF> run;  // the finite points of one stretch, in pixels
            auto flush = [&] {
                const bool step = gr->lineStyle() == QCPGraph::lsStepCenter;
                for (std::size_t i = 0; i < run.size(); ++i) {
                    if (step) {
                        const double half0 = i > 0 ? 0.5 * (run[i].x() - run[i - 1].x()) : (i + 1 < run.size() ? 0.5 * (run[i + 1].x() - run[i].x()) : 0.0);
                        const double half1 = i + 1 < run.size() ? 0.5 * (run[i + 1].x() - run[i].x()) : half0;
                        column(run[i].x() - half0, run[i].x() + half1, run[i].y());
                    } else if (i > 0) {
                        column(run[i - 1].x(), run[i].x(), 0.5 * (run[i - 1].y() + run[i].y()));
                    }
                }
                run.clear();
            };
            for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it) {
                if (!std::isfinite(it->key) || !std::isfinite(it->value)) {
                    flush();
                    continue;
                }
                run.emplace_back(gr->keyAxis()->coordToPixel(it->key), va->coordToPixel(it->value));
            }
            flush();
        }
        if (gr->scatterStyle().shape() != QCPScatterStyle::ssNone) {
            const double d = std::max(6.0, gr->scatterStyle().size());
            for (auto it = gr->data()->constBegin(); it != gr->data()->constEnd(); ++it) {
                const QPointF q(gr->keyAxis()->coordToPixel(it->key), gr->valueAxis()->coordToPixel(it->value));
                ink += 2.0 * areaOf(QRectF(q.x() - d / 2, q.y() - d / 2, d, d), box);  // a point matters more than its size
            }
        }
    }
    for (int b = 0; b < plottableCount(); ++b)
        if (auto* bars = qobject_cast<QCPBars*>(plottable(b)); bars && bars->visible())
            for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it) {
                const double w = bars->width();
                const double x0 = bars->keyAxis()->coordToPixel(it->key - w / 2), x1 = bars->keyAxis()->coordToPixel(it->key + w / 2);
                const double y0 = bars->valueAxis()->coordToPixel(bars->baseValue()), y1 = bars->valueAxis()->coordToPixel(it->value);
                ink += areaOf(QRectF(QPointF(std::min(x0, x1), std::min(y0, y1)), QPointF(std::max(x0, x1), std::max(y0, y1))), box);
            }
    // straight lines across the plot (the weight chart's levels grid): a thin strip each, cut to the plot
    for (int i = 0; i < itemCount(); ++i)
        if (auto* s = qobject_cast<QCPItemStraightLine*>(item(i)); s && s->visible()) {
            const QPointF a = s->point1->pixelPosition(), b = s->point2->pixelPosition();
            const QLineF dir(a, b);
            if (dir.length() <= 0) continue;
            // the line through a and b, long enough to cross the plot
            const double reach = 2.0 * (area.width() + area.height()) / dir.length();
            const QLineF across(a - reach * (b - a), a + reach * (b - a));
            ink += lineW * lengthInside(across, box);
        }
    for (const QRectF& r : textBoxes()) ink += 2.0 * areaOf(r, box);  // a label hidden is a point unnamed
    return ink;
}

std::vector<QRectF> ChartView::textBoxes() const {
    std::vector<QRectF> boxes;
    for (int i = 0; i < itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(item(i)); t && t->visible() && !t->text().isEmpty()) {
            const QMargins pad = t->padding();  // the text stands inside its padding
            boxes.push_back(QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition())
                                .adjusted(pad.left(), pad.top(), -pad.right(), -pad.bottom()));
        }
    return boxes;
}

void ChartView::legendAwayFromData() {
    legendAvoids_ = true;
    legendHome_ = legendCorner_;  // the legend may stand under the plot already (fitLegend in finish())
    chooseLegendCorner();
}

bool ChartView::keepPlotRoom() {
    if (!legendBelow_) return false;
    layOutNow();
    if (axisRect()->height() >= plotKeptBelow()) return false;
    legendPlace_.below = false;
    legendPlace_.belowIfCovering = false;
    legendPlace_.chosen = legendPlace_.inside;
    setLegendType(legendPlace_.chosen);
    placeLegend(false);
    fitAxisTitles();
    return true;
}

void ChartView::chooseLegendCorner() {
    // a range raised for the legend at another size comes down first (unless the user zoomed since): the
    // choice is made again, and a legend that went under the plot leaves no empty headroom behind
    if (raisedY_ && yAxis->range() == raisedTo_) {
        yAxis->setRange(unraisedY_);
        if (haveHome_) homeY_ = unraisedY_;
    }
    raisedY_ = false;
    if (!legendAvoids_ || legendBelow_ || !legend->visible() || legend->itemCount() == 0) return;
    setLegendCorner(legendHome_);
    layOutNow();
    const QRectF area = axisRect()->rect();
    const QRectF inner = axisRect()->insetLayout()->rect();  // where the legend stands: inside the inset's margins
    const QSizeF box = legend->outerRect().size();
    if (box.isEmpty() || area.isEmpty()) return;
    auto boxAt = [&](Qt::Alignment a) {
        const double x = a & Qt::AlignLeft ? inner.left() : inner.right() - box.width();
        const double y = a & Qt::AlignTop ? inner.top() : inner.bottom() - box.height();
        return QRectF(QPointF(x, y), box);
    };
    auto inkAt = [&](Qt::Alignment a) { return inkIn(boxAt(a)); };
    // the chart's own corner unless another covers clearly less: a legend that jumps between corners
    // as a slider moves is harder to follow than one that covers a little
    const double home = inkAt(legendHome_);
    if (home <= kLegendInkSlack * box.width() * box.height()) return;
    Qt::Alignment best = legendHome_;
    double least = home;
    for (Qt::Alignment a : {Qt::AlignTop | Qt::AlignRight, Qt::AlignTop | Qt::AlignLeft, Qt::AlignBottom | Qt::AlignRight,
                            Qt::AlignBottom | Qt::AlignLeft}) {
        if (a == legendHome_) continue;
        const double ink = inkAt(a);
        if (ink < least) {
            least = ink;
            best = a;
        }
    }
    if (least < 0.5 * home) setLegendCorner(best);
    // a box over more than kLegendBoxShareBelow of the plot goes under it where it may, rather than push
    // the data into the lower half (the weight chart's five entries in a presentation column)
    const bool bigBox = box.width() * box.height() > kLegendBoxShareBelow * area.width() * area.height();
    if (legendRaises_ && !(bigBox && legendPlace_.belowIfCovering) && least > kLegendInkSlack * box.width() * box.height() &&
        raiseForLegend(box, area))
        return;
    // every corner covers the data (the weight chart's spikes with four configurations in a small dock):
    // under the plot after all, where its rows take at most kLegendBelowShareCovering of the height
    if (legendPlace_.belowIfCovering && least > kLegendInkCovering * box.width() * box.height() &&
        (legendPlace_.heightBelow <= kLegendBelowShareCovering * area.height() ||
         bigBox) &&
        area.height() - legendPlace_.heightBelow - plotLayout()->rowSpacing() - 4 >= plotKeptBelow()) {
        legendPlace_.below = true;
        legendPlace_.columns = legendPlace_.columnsBelow;
        legendPlace_.chosen = legendPlace_.fontBelow;
        setLegendType(legendPlace_.chosen);
        placeLegend(true);
        legend->setWrap(legendPlace_.columns);
        legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
        if (keepPlotRoom()) chooseLegendCorner();
        fitAxisTitles();
    }
}

bool ChartView::raiseForLegend(const QSizeF& box, const QRectF& area) {
    // The share f of the plot's height the box (and a gap) takes from the top, the box standing inside the
    // inset layout's margins: the highest value v under the box must map below it, which for the range
    // [L, U] means (U - v) / (U - L) >= f on a linear axis and the same in logarithms on a log axis:
    // U = (v - f L) / (1 - f).
    const QRectF inner = axisRect()->insetLayout()->rect();
    const double f = (inner.top() - area.top() + box.height() + kLegendRaiseGap * style_.scale) / area.height();
    const bool log = yAxis->scaleType() == QCPAxis::stLogarithmic;
    const QCPRange r = yAxis->range();
    if (!(f > 0 && f < kLegendRaiseShare) || (log && !(r.lower > 0))) return false;
    auto toAxis = [log](double v) { return log ? std::log(v) : v; };
    double bestUpper = std::numeric_limits<double>::infinity();
    Qt::Alignment bestCorner = legendHome_;
    // the chart's own corner first where it is a top one: it keeps the legend unless the other needs clearly less
    const bool homeRight = (legendHome_ & Qt::AlignTop) && (legendHome_ & Qt::AlignRight);
    for (Qt::Alignment a : {homeRight ? Qt::AlignTop | Qt::AlignRight : Qt::AlignTop | Qt::AlignLeft,
                            homeRight ? Qt::AlignTop | Qt::AlignLeft : Qt::AlignTop | Qt::AlignRight}) {
        const double px0 = a & Qt::AlignLeft ? inner.left() : inner.right() - box.width();
        const double k0 = xAxis->pixelToCoord(px0), k1 = xAxis->pixelToCoord(px0 + box.width());
        double top = -std::numeric_limits<double>::infinity();  // the highest value under the box (axis units)
        for (int gi = 0; gi < graphCount(); ++gi) {
            const QCPGraph* g = graph(gi);
            if (!g->visible() || g->valueAxis() != yAxis) continue;  // a right axis' graph is not raised
            const bool line = g->lineStyle() != QCPGraph::lsNone, step = g->lineStyle() != QCPGraph::lsLine;
            bool havePrev = false;
            double pk = 0, pv = 0;
            for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
                if (!std::isfinite(it->value) || (log && !(it->value > 0))) {
                    havePrev = false;
                    continue;
                }
                const double k = it->key, v = toAxis(it->value);
                if (k >= k0 && k <= k1) top = std::max(top, v);
                if (line && havePrev)  // a segment that crosses an edge of the box's span: its value there (a step's higher one)
                    for (double edge : {k0, k1})
                        if ((pk < edge && edge < k) || (k < edge && edge < pk))
                            top = std::max(top, step ? std::max(pv, v) : pv + (v - pv) * (edge - pk) / (k - pk));
                havePrev = true;
                pk = k;
                pv = v;
            }
        }
        double upper = r.upper;  // nothing drawn under this corner: the range as it is
        if (std::isfinite(top)) {
            upper = (top - f * toAxis(r.lower)) / (1 - f);
            upper = std::max(log ? std::exp(upper) : upper, r.upper);
        }
        if (upper == r.upper) {  // clear already (what it covers is not the graphs': the levels grid)
            bestUpper = upper;
            bestCorner = a;
            break;
        }
        if (upper < bestUpper) {
            bestUpper = upper;
            bestCorner = a;
        }
    }
    if (!std::isfinite(bestUpper)) return false;
    yAxis->setRange(r.lower, bestUpper);
    if (haveHome_) homeY_ = yAxis->range();  // double-click brings back this view
    if (bestUpper != r.upper) {
        raisedY_ = true;
        unraisedY_ = r;
        raisedTo_ = yAxis->range();
    }
    setLegendCorner(bestCorner);
    return true;
}

int ChartView::placeLabelsApart(const std::vector<QCPItemText*>& labels, const std::vector<QPointF>& others,
                                const std::vector<bool>& droppable) {
    // Lay the plot out now (as replot would) so pixel positions are those of the drawn chart.
    layOutNow();
    rebuildWhenResized();
    std::vector<QRectF> placed, dots;  // labels placed so far; every labelled point's disc
    const double pad = 5 * style().scale, dot = 6 * style().scale, gap = 4 * style().scale;
    for (QCPItemText* t : labels) {
        const QPointF p(xAxis->coordToPixel(t->position->coords().x()), yAxis->coordToPixel(t->position->coords().y()));
        dots.emplace_back(p.x() - dot, p.y() - dot, 2 * dot, 2 * dot);
    }
    for (const QPointF& o : others) {
        const QPointF p(xAxis->coordToPixel(o.x()), yAxis->coordToPixel(o.y()));
        placed.emplace_back(p.x() - dot, p.y() - dot, 2 * dot, 2 * dot);
    }
    // a legend in the plot hides the labels under it (a Pareto name read '8 sym ch'): they keep off it
    if (legend->visible() && legend->itemCount() > 0 && !legendBelow_) placed.push_back(legend->outerRect());
    // the chart's lines (a graph with a line style: curves, the Pareto front's steps), in pixels: a label
    // that crosses one is hard to read, so it goes elsewhere when there is room
    std::vector<QLineF> lines;
    for (int g = 0; g < graphCount(); ++g) {
        const std::vector<QLineF> segs = graphSegments(graph(g));
        lines.insert(lines.end(), segs.begin(), segs.end());
    }
    auto crosses = [](const QRectF& r, const QLineF& l) {
        if (r.contains(l.p1()) || r.contains(l.p2())) return true;
        const QLineF edges[4] = {QLineF(r.topLeft(), r.topRight()), QLineF(r.topRight(), r.bottomRight()),
                                 QLineF(r.bottomRight(), r.bottomLeft()), QLineF(r.bottomLeft(), r.topLeft())};
        for (const QLineF& e : edges)
            if (l.intersects(e, nullptr) == QLineF::BoundedIntersection) return true;
        return false;
    };
    const QRectF area = axisRect()->rect();
    // A droppable label may cover this share of its box with other labels and points (a corner of a
    // neighbouring disc) and still be placed.
    constexpr double kDropShare = 0.12, kDropTextShare = 0.03;  // of its box over points and text; over text alone
    int dropped = 0;
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
        constexpr int kMaxSteps = 8;  // rows above or below the point a label may move (each costs kStepCost)
        for (int step = 0; step <= kMaxSteps; ++step)
            for (bool right : {true, false})
                for (bool above : {true, false}) spots.push_back({right, (above ? -1.0 : 1.0) * (1.0 + step * 1.15 * sz.height()), above});
        auto boxOf = [&](const Spot& sp) {
            const double x0 = sp.right ? p.x() + pad : p.x() - pad - sz.width();
            const double y0 = sp.above ? p.y() + sp.dy - sz.height() : p.y() + sp.dy;
            return QRectF(x0, y0, sz.width(), sz.height());
        };
        // the area of r over the labels placed so far (and the legend), and over other points (a label
        // starts beside its own)
        auto overText = [&](const QRectF& r) {
            double a = 0.0;
            for (const QRectF& o : placed)
                if (const QRectF i = o.intersected(r); !i.isEmpty()) a += i.width() * i.height();
            return a;
        };
        auto overPoints = [&](const QRectF& r) {
            double a = 0.0;
            for (std::size_t d = 0; d < dots.size(); ++d)
                if (const QRectF i = dots[d].intersected(r); d != li && !i.isEmpty()) a += i.width() * i.height();
            return a;
        };
        auto overlap = [&](const QRectF& r) {
            // text over text reads as neither: worse than a label over a point's disc or across a line
            // and a label over a point hides the point: worse than crossing a line
            constexpr double kTextOverText = 10.0, kTextOverPoint = 6.0;
            double a = kTextOverText * overText(r) + kTextOverPoint * overPoints(r);
            for (const QLineF& l : lines)  // across a line: less bad than on another label
                if (crosses(r, l)) a += 0.15 * r.width() * r.height();
            // out of the plot: only when nothing better, and past its left or bottom edge (over the tick labels
            // and the axis titles) as bad as over another label; past the chart's edge it is cut off ("sym
            // per-channel" of a Pareto label at 380 px in projector type, over the SQNR axis title)
            if (!area.contains(r)) a += (r.left() < area.left() || r.bottom() > area.bottom() ? 1.0 : 0.25) * r.width() * r.height();
            if (!QRectF(rect()).contains(r)) a += 10.0 * r.width() * r.height();
            return a;
        };
        std::size_t chosen = 0;
        double least = -1.0;
        // each step further from the point costs a little: a label a row off the plot's edge or across a
        // line reads better than one at the end of a long leader ("Q8_0" five rows under its point)
        constexpr double kStepCost = 0.05;
        for (std::size_t i = 0; i < spots.size(); ++i) {
            const double a = overlap(boxOf(spots[i])) + static_cast<double>(i / 4) * kStepCost * sz.width() * sz.height();
            if (least < 0.0 || a < least) {
                least = a;
                chosen = i;
            }
            if (a == 0.0) break;
        }
        const Spot& sp = spots[chosen];
        QRectF box = boxOf(sp);
        const double boxArea = box.width() * box.height();
        // past the plot's left or bottom edge a label lies over the tick labels, above the title's bottom over
        // the title; past the plot's top or right edge short of those it stands in the margin (the highest
        // point's name, above the plot)
        const double ceiling = titleElement_ && titleElement_->visible() ? titleElement_->outerRect().bottom() : rect().top();
        const bool overTicks = box.left() < area.left() || box.bottom() > area.bottom() || box.top() < ceiling || !QRectF(rect()).contains(box);
        // a compared format's name at the end of a long leader, across the cluster, names nothing clearly
        constexpr std::size_t kDroppableSteps = 3;
        const bool far = chosen / 4 > kDroppableSteps;
        if (li < droppable.size() && droppable[li] &&
            (overText(box) > kDropTextShare * boxArea || overText(box) + overPoints(box) > kDropShare * boxArea || overTicks || far)) {
            removeItem(t);  // unreadable over its neighbours: the point stays, named by its tooltip
            ++dropped;
            continue;
        }
        if (!QRectF(rect()).contains(box)) {
            // past the chart's edge on either side (a long name beside a point in a narrow chart): cut in its
            // middle to the room there, which keeps the end that tells configurations apart ("INT4 a…channel")
            const double room = sp.right ? rect().right() - (p.x() + pad) - 2 : (p.x() - pad) - rect().left() - 2;
            t->setText(fm.elidedText(t->text(), Qt::ElideMiddle, std::max(room, 0.0)));
            box.setWidth(fm.horizontalAdvance(t->text()) + 2);
            if (!sp.right) box.moveRight(p.x() - pad);
        }
        // later labels keep a gap to this one, so two labels side by side do not read as one
        placed.push_back(box.adjusted(-gap, -1, gap, 1));
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
    return dropped;
}

QString ChartView::tooltipAt(const QPoint& pos) const {
    double best = 12.0 * style_.scale;  // pixels
    QString text;
    for (int i = 0; i < graphCount(); ++i) {
        QCPGraph* g = graph(i);
        if (!g->visible() || fullName(g).isEmpty()) continue;
        const double key = xAxis->pixelToCoord(pos.x());
        auto it = g->data()->findBegin(key, true);
        for (int k = 0; k < 2 && it != g->data()->constEnd(); ++k, ++it) {
            const double px = xAxis->coordToPixel(it->key), py = yAxis->coordToPixel(it->value);
            const double d = std::hypot(px - pos.x(), py - pos.y());
            if (d < best && std::isfinite(it->value)) {
                best = d;
                text = QStringLiteral("%1\n%2 = %3\n%4 = %5")
                           .arg(fullName(g), xAxis->label(), QString::number(it->key, 'g', 6), yAxis->label(), QString::number(it->value, 'g', 6));
            }
        }
    }
    return text;
}

QString ChartView::hoverText(const QPoint& pos) const {
    if (titleElement_->visible() && titleElement_->outerRect().contains(pos)) {
        const QString e = explanation();
        if (!e.isEmpty()) return QStringLiteral("<p>%1</p>").arg(e.toHtmlEscaped());
    }
    return tooltipAt(pos);
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton) return;
    const QString tip = hoverText(event->pos());
    if (tip.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), tip, this);
}

bool ChartView::event(QEvent* event) {
    // set when first asked: the constructor cannot ask the subclass, and a chart may never be drawn
    if ((event->type() == QEvent::QueryWhatsThis || event->type() == QEvent::WhatsThis) && whatsThis().isEmpty())
        setWhatsThis(explanation());
    return QCustomPlot::event(event);
}

void ChartView::leaveEvent(QEvent* event) {
    QToolTip::hideText();
    QCustomPlot::leaveEvent(event);
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    QCustomPlot::mouseDoubleClickEvent(event);
    if (haveHome_) {
        xAxis->setRange(homeX_);
        yAxis->setRange(homeY_);
        queueReplot();
    }
}

void ChartView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    menu.addAction(tr("Reset view"), this, [this] {
        if (!haveHome_) return;
        xAxis->setRange(homeX_);
        yAxis->setRange(homeY_);
        queueReplot();
    });
    if (drawsDistributions()) {
        QAction* log = menu.addAction(tr("Log scale (both distributions)"));
        log->setCheckable(true);
        log->setChecked(inputs_.logHistograms);
        connect(log, &QAction::toggled, this, &ChartView::logHistogramsRequested);
    }
    menu.addSeparator();
    menu.addAction(tr("Export as PNG..."), this, [this] { emit exportRequested(this, ExportFormat::Png); });
    menu.addAction(tr("Export as JPG..."), this, [this] { emit exportRequested(this, ExportFormat::Jpg); });
    menu.addAction(tr("Export as PDF (vector)..."), this, [this] { emit exportRequested(this, ExportFormat::Pdf); });
    menu.addAction(tr("Export as SVG (vector)..."), this, [this] { emit exportRequested(this, ExportFormat::Svg); });
    menu.exec(event->globalPos());
}

bool ChartView::exportTo(const QString& path, ExportFormat format, QSize size, int dpi, QString* error) {
    ensureCurrent();
    if (size.width() <= 0 || size.height() <= 0) size = QSize(std::max(width(), 800), std::max(height(), 500));
    if (size.width() > 20000 || size.height() > 20000) {
        if (error) *error = tr("image size %1x%2 is too large (at most 20000 pixels a side)").arg(size.width()).arg(size.height());
        return false;
    }
    // Legends, tick counts, bar names and label places are fitted to the chart's room: drawn at another
    // size than on screen (a small dock exported for a slide), the chart is laid out for the export's size
    // and afterwards for its own again, the view kept where the user zoomed or panned. (Drawn at its
    // on-screen layout, a 420x260 dock exported at 1600x1000 had its legend under the plot in small type
    // and its bar names compacted.)
    const QSize own = QWidget::size();
    const QCPRange viewX = xAxis->range(), viewY = yAxis->range();
    const bool moved = haveHome_ && (viewX != homeX_ || viewY != homeY_);
    auto layOutAt = [&](QSize s) {
        resize(s);
        rebuild();
        if (moved) {
            xAxis->setRange(viewX);
            yAxis->setRange(viewY);
        }
    };
    if (size != own) layOutAt(size);
    const auto back = qScopeGuard([&] {
        if (size != own) layOutAt(own);
    });
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    bool ok = true;
    if (format == ExportFormat::Png || format == ExportFormat::Jpg) {
        QImage img = toPixmap(size.width(), size.height(), 1.0).toImage();
        const int dpm = static_cast<int>(std::lround(std::max(dpi, 1) / 0.0254));
        img.setDotsPerMeterX(dpm);
        img.setDotsPerMeterY(dpm);
        if (format == ExportFormat::Jpg) img = img.convertToFormat(QImage::Format_RGB32);
        ok = img.save(&file, format == ExportFormat::Png ? "PNG" : "JPG", format == ExportFormat::Jpg ? 92 : -1);
    } else if (format == ExportFormat::Pdf) {
        QPdfWriter writer(&file);
        writer.setCreator(QStringLiteral("QuantLens"));
        writer.setTitle(title());
        writer.setResolution(72);  // 1 unit = 1 pt: the chart's pixel size becomes its size in points
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setPageSize(QPageSize(QSizeF(size.width(), size.height()), QPageSize::Point));
        QCPPainter painter(&writer);
        if (!painter.isActive()) ok = false;
        else {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            toPainter(&painter, size.width(), size.height());
            painter.end();
        }
    } else {
        QSvgGenerator gen;
        gen.setOutputDevice(&file);
        gen.setSize(size);
        gen.setViewBox(QRect(QPoint(0, 0), size));
        gen.setTitle(title());
        gen.setDescription(QStringLiteral("QuantLens chart"));
        QCPPainter painter(&gen);
        if (!painter.isActive()) ok = false;
        else {
            painter.setMode(QCPPainter::pmVectorized);
            painter.setMode(QCPPainter::pmNoCaching);
            toPainter(&painter, size.width(), size.height());
            painter.end();
        }
    }
    if (!ok) {
        file.cancelWriting();
        if (error) *error = tr("could not render %1").arg(path);
        return false;
    }
    if (!file.commit()) {
        if (error) *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool renderChart(ChartView& chart, const QString& path, ExportFormat format, QSize size, int dpi, QString* error) {
    if (size.isEmpty()) size = QSize(1200, 750);
    chart.resize(size);
    return chart.exportTo(path, format, size, dpi, error);
}

} // namespace ql::ui
