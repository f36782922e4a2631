// Common chart behaviour and atomic export.
#include "charts/chart_view.h"

#include <QContextMenuEvent>
#include <QImage>
#include <QMenu>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
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

ChartView::ChartView(QWidget* parent) : QCustomPlot(parent) {
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    setNoAntialiasingOnDrag(true);
    // Straight polyline segments instead of a path per graph: the same pixels at these widths, a
    // fraction of the raster work on every update.
    setPlottingHints(plottingHints() | QCP::phFastPolylines);
    // QCustomPlot buffers its "overlay" layer apart (for selection rectangles, which these charts do
    // not use): one more full-size transparent pixmap to clear on every replot and to blend on every
    // paint. Drawn into the same buffer as the rest, the picture is the same.
    if (QCPLayer* overlay = layer(QStringLiteral("overlay"))) overlay->setMode(QCPLayer::lmLogical);
    setMinimumSize(320, 220);
    plotLayout()->insertRow(0);
    titleElement_ = new QCPTextElement(this, QString(), QFont());
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
    legend->setFont(style_.font(9.5));
    legend->setTextColor(style_.foreground);
    QColor lb = style_.background;
    lb.setAlpha(215);
    legend->setBrush(QBrush(lb));
    legend->setBorderPen(QPen(style_.grid));
    legend->setIconSize(static_cast<int>(28 * style_.scale), static_cast<int>(14 * style_.scale));
}

void ChartView::resetPlot() {
    clearPlottables();
    clearItems();
    xAxis->setScaleType(QCPAxis::stLinear);
    yAxis->setScaleType(QCPAxis::stLinear);
    xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    xAxis->setNumberFormat(QStringLiteral("gb"));
    yAxis->setNumberFormat(QStringLiteral("gb"));
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    applyFrameStyle();
}

void ChartView::setAxisTitles(const QString& x, const QString& y) {
    xAxis->setLabel(x);
    yAxis->setLabel(y);
}

void ChartView::styleGraph(QCPGraph* g, const QColor& c, double width, bool markers) {
    g->setPen(QPen(c, style_.lineWidth(width)));
    if (markers) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, c, 5 * style_.scale));
}

QCPItemText* ChartView::addNote(const QString& text) {
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
    if (rescale) {
        rescaleAxes(true);
        // a little air above the highest point so nothing touches the frame
        if (yAxis->scaleType() == QCPAxis::stLinear) {
            const QCPRange r = yAxis->range();
            yAxis->setRange(r.lower, r.upper + 0.06 * (r.upper - r.lower));
        }
    }
    homeX_ = xAxis->range();
    homeY_ = yAxis->range();
    haveHome_ = true;
    queueReplot();
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

QString ChartView::tooltipAt(const QPoint& pos) const {
    double best = 12.0 * style_.scale;  // pixels
    QString text;
    for (int i = 0; i < graphCount(); ++i) {
        QCPGraph* g = graph(i);
        if (!g->visible() || g->name().isEmpty()) continue;
        const double key = xAxis->pixelToCoord(pos.x());
        auto it = g->data()->findBegin(key, true);
        for (int k = 0; k < 2 && it != g->data()->constEnd(); ++k, ++it) {
            const double px = xAxis->coordToPixel(it->key), py = yAxis->coordToPixel(it->value);
            const double d = std::hypot(px - pos.x(), py - pos.y());
            if (d < best && std::isfinite(it->value)) {
                best = d;
                text = QStringLiteral("%1\n%2 = %3\n%4 = %5")
                           .arg(g->name(), xAxis->label(), QString::number(it->key, 'g', 6), yAxis->label(), QString::number(it->value, 'g', 6));
            }
        }
    }
    return text;
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton) return;
    const QString tip = tooltipAt(event->pos());
    if (tip.isEmpty()) QToolTip::hideText();
    else QToolTip::showText(event->globalPosition().toPoint(), tip, this);
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
    // Draw at the requested size: resize the layout temporarily so text and margins stay in proportion.
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
