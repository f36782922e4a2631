// ChartView: the common frame of every QuantLens chart (a QCustomPlot). It draws a finished report
// (ChartInputs) and computes nothing. It gives every chart the same behaviour: title, axis titles with
// units, legend, zoom and pan (mouse wheel / drag, double-click resets), hover tooltip with the value,
// a context menu to export PNG/JPG/PDF/SVG, and the theme / presentation style.
#pragma once

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include <QColor>
#include <QPointer>
#include <QString>
#include <qcustomplot.h>

#include "core/analysis.h"
#include "core/memory.h"
#include "next_turn.h"
#include "theme.h"

namespace ql::ui {

// What the charts draw: the analysis report plus the few view choices that are not in it.
struct ChartInputs {
    std::shared_ptr<const AnalysisReport> report;
    std::shared_ptr<const GpuFitReport> gpuFit;
    std::vector<QColor> colors;   // one per configuration of the report
    int levelsConfig = 0;         // configuration whose representable levels are drawn
    bool showLevels = false;      // draw the levels grid over the weight histogram
    bool logScale = true;         // log y where a chart offers it (per-channel error)
    bool logHistograms = false;   // the weight and error distributions on a log density axis
    int levelsBlock = -1;         // >= 0: draw the levels of sample block k (sample_levels) of levelsConfig
    int levelsSample = -1;        // the sample weight (index in the row) whose block that is, for the label
    std::shared_ptr<const AnalysisReport> compare;  // "compare all formats" on the same tensor (may be null)
    bool paretoMse = false;       // Pareto chart: y = MSE (log) instead of SQNR
};

enum class ExportFormat { Png, Jpg, Pdf, Svg };
QString exportFormatSuffix(ExportFormat f);   // "png", "jpg", "pdf", "svg"
bool parseExportFormat(const QString& s, ExportFormat& out);

class ChartView : public QCustomPlot {
    Q_OBJECT
public:
    explicit ChartView(QWidget* parent = nullptr);
    // A chart's least size in a layout (a tab of a short dock may lower the height)
    static constexpr int kMinimumWidthPx = 320, kMinimumHeightPx = 220;

    virtual QString chartId() const = 0;   // file-name stem, e.g. "weight_distribution"
    virtual QString title() const = 0;     // translated title
    // What the chart shows, in a few sentences for a learner (translated; empty where none): the title's
    // tooltip and the chart's What's This text.
    virtual QString explanation() const { return {}; }

    // New inputs or style rebuild the plot at once, except behind a tab (onScreen()), where the
    // rebuild waits until the tab is chosen, an export, or ensureCurrent().
    void setInputs(const ChartInputs& inputs);
    void setChartStyle(const ChartStyle& style);
    const ChartInputs& inputs() const { return inputs_; }
    // Rebuilds now if new inputs or a new style wait: the plottables then show the current analysis.
    void ensureCurrent();

    // Writes the chart atomically (QSaveFile). size in pixels (0 = the widget's size, at least
    // 800x500); dpi recorded in PNG/JPG files. Returns false with a message on failure.
    bool exportTo(const QString& path, ExportFormat format, QSize size, int dpi, QString* error);

    // Tooltip text for a point in widget coordinates ("" = none). Default: the nearest data point.
    virtual QString tooltipAt(const QPoint& pos) const;
    // The tooltip at pos: explanation() over the title (as rich text, so that it wraps), else tooltipAt(pos).
    QString hoverText(const QPoint& pos) const;

    // Whether the chart draws ChartInputs::logHistograms (the weight and error distributions): its context
    // menu then offers the log scale.
    virtual bool drawsDistributions() const { return false; }

    // The title as the chart's width lets it be drawn: one line or two, in `font` (a narrow chart's smaller type)
    QString titleAsDrawn(QFont* font = nullptr) const;
    QFont titleFont() const;  // the title's type before fitting
    // A plottable's name as the chart gave it: a legend entry too wide for a narrow chart is cut
    static QString fullName(const QCPAbstractPlottable* p);

signals:
    void exportRequested(ChartView* chart, ExportFormat format);
    // The user asked for the distributions on a log (true) or linear scale from the context menu.
    void logHistogramsRequested(bool on);

protected:
    // Rebuilds the plot from inputs() and style(); called after either changes.
    virtual void rebuild() = 0;

    const ChartStyle& style() const { return style_; }
    void resetPlot();                                  // clears plottables/items, styles axes and legend
    // yShort: the y title where the room beside a narrow chart's plot would cut `y` ("Column loss (log)")
    void setAxisTitles(const QString& x, const QString& y, const QString& yShort = QString(), const QString& xShort = QString());
    void setRightAxisTitle(const QString& title, const QString& shorter = QString());  // yAxis2's, fitted as the left one
    void styleGraph(QCPGraph* g, const QColor& c, double width, bool markers = false);
    QCPItemText* addNote(const QString& text);         // a grey note centred in the plot (e.g. "no data")
    // Moves point labels (each positioned at its point) apart so that none overlaps another label or a
    // point, and keeps them off the chart's lines where there is room; `others` are unlabelled points to
    // keep clear (plot coordinates). Call with the axes' ranges set and the graphs added. Labels are
    // placed in their order; a label marked in `droppable` that no spot keeps off the labels placed
    // before it and off other points (by more than a sliver) is removed from the chart instead, its point
    // left for the tooltip. Returns the number removed.
    int placeLabelsApart(const std::vector<QCPItemText*>& labels, const std::vector<QPointF>& others = {},
                         const std::vector<bool>& droppable = {});
    // The last rebuild fitted texts to the chart's pixel size (point labels, bar names): a resize by more
    // than kRelabelPx rebuilds it, once the resizing settles (placeLabelsApart() calls it).
    void rebuildWhenResized() { labelsPlacedAt_ = QWidget::size(); }
    void finish(bool rescale = true);                  // rescale, remember the home view, queued replot
    void layOutNow();  // lays the plot out as replot would, so pixel positions are those of the drawn chart
    // A legend inside the plot goes to the corner where it covers the least of what is drawn (lines, the
    // histograms' fills, bars, points, labels): the chart's own corner (its inset alignment now) unless
    // another covers less than half as much. Chosen again when the chart is resized. Call after the
    // final ranges are set and the labels placed.
    void legendAwayFromData();
    // Before legendAwayFromData(): where the legend's corner would cover the data, the value axis may grow at its top
    // (the legend's height, at most kLegendRaiseShare of the plot) so that a top corner clears the graphs'
    // lines and points (the layer chart's rising curves, which a bottom corner crossed).
    void legendMayRaiseRange() { legendRaises_ = true; }
    // The plot corner the legend stands in, or goes back to from under the plot (charts set it rather
    // than the inset layout's alignment: under the plot the legend is not in that layout).
    void setLegendCorner(Qt::Alignment corner);
    // How much of a point or line the drawn things put inside `box` (pixels, after layOutNow()).
    double inkIn(const QRectF& box);
    std::vector<QRectF> textBoxes() const;  // the drawn boxes of the chart's text items (point labels, notes), in pixels
    // A queued replot when the chart is on screen; a chart in a hidden tab replots when it is shown
    // (exports render on their own), so a changed setting redraws only what the user sees.
    void queueReplot();
public:
    // Shown and not behind another tab: QMainWindow keeps the docks of a tab group shown and stacked
    // (isVisible() is true for all of them), so the window passes on each dock's visibilityChanged().
    bool onScreen() const { return isVisible() && !behindTab_; }
    void setBehindTab(bool behind);
protected:
    void showEvent(QShowEvent* event) override;
    void paintEvent(QPaintEvent* event) override;

    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;  // What's This asks: the text is explanation()

    QCPTextElement* titleElement_ = nullptr;
    void resizeEvent(QResizeEvent* event) override;  // the axis titles fitted to the new size

private:
    void applyFrameStyle();
    static std::vector<QLineF> graphSegments(const QCPGraph* g);  // a graph's line as drawn, in pixels
    void chooseLegendCorner();
    // Fewer ticks on the x axis (a plain or log ticker) where neighbouring tick labels would run into
    // each other: "-0.005-0.0025" in a narrow chart in projector type.
    void fitXTicks();
    // fitLegend() estimates the plot's height; as laid out (tick labels on several lines, slanted names)
    // a legend under the plot may leave it less than kPlotKeptBelow: then the legend goes back into its
    // corner (and stays there for the same entries and room). True when it moved.
    bool keepPlotRoom();
    // A corner whose ink is at most this share of the legend's box counts as free: the legend stays there.
    static constexpr double kLegendInkSlack = 0.01;
    // Where the emptiest corner's ink is more than this share of the box, the legend goes under the plot
    // if its rows take at most kLegendBelowShareCovering of the plot's height as laid out (tick labels on
    // several lines leave less than the estimate); else it stays in the corner.
    static constexpr double kLegendInkCovering = 0.03;
    static constexpr double kLegendBelowShareCovering = 0.5;
    // ... or more, where the box in its corner would take more than this share of the plot's area (the SNR
    // chart's seven entries, 282x206 px over a 293x407 px plot in a 380 px chart in projector type)
    static constexpr double kLegendBoxShareBelow = 0.25;
    static constexpr double kPlotKeptBelow = 80;  // pixels (at normal type) the plot keeps with the legend under it
    // ... in larger type by the square root of its scale: the plot's lines and marks are the data, the type
    // only names them (a 380 px SmoothQuant chart in projector type kept its five-entry legend over the
    // outlier peaks for want of 116 px)
    double plotKeptBelow() const { return kPlotKeptBelow * std::sqrt(std::max(1.0, style_.scale)); }
    bool legendAvoids_ = false;  // legendAwayFromData() was called since the last resetPlot()
    bool legendRaises_ = false;  // legendMayRaiseRange() was called since the last resetPlot()
    bool raisedY_ = false;       // raiseForLegend() raised the value range from unraisedY_ to raisedTo_
    QCPRange unraisedY_, raisedTo_;
    QSize labelsPlacedAt_;       // the chart's size when placeLabelsApart() last ran since resetPlot(), else empty
    NextTurn relabelSoon_{this, [this] { relabel(); }};
    void relabel();  // point labels placed again for the settled size
    static constexpr int kRelabelPx = 8;  // a resize by more than this (pixels, either way) places the labels again
    // The value range raised so that a top corner of `area` (pixels) holds a legend box of `box` clear of
    // the graphs; false where that would take more than kLegendRaiseShare of the plot.
    bool raiseForLegend(const QSizeF& box, const QRectF& area);
    static constexpr double kLegendRaiseShare = 0.5;  // as much as a legend under the plot may take (kLegendBelowShareCovering)
    static constexpr double kLegendRaiseGap = 6;  // pixels (at normal type) between the legend and the data under it
    Qt::Alignment legendHome_ = Qt::AlignTop | Qt::AlignRight;
    Qt::Alignment legendCorner_ = Qt::AlignTop | Qt::AlignRight;  // its corner in the plot, also while under it
    // The axis titles as setAxisTitles() gave them, set on the axes broken onto two lines and cut with an
    // ellipsis where longer than the room along their axis (a narrow dock, presentation type).
    void fitAxisTitles();
    // `text` within `avail` pixels: whole, on two lines, on three (maxLines 3) where two would be cut, else
    // two lines cut with an ellipsis (one, maxLines 1); empty where only a few letters would be left.
    static QString fitLine(const QString& text, const QFont& font, int avail, int maxLines);
    // The legend's type smaller in a narrow chart, and the legend below the plot, its entries side by side,
    // where inside it would cover too much of the data (a small chart, presentation type).
    void fitLegend();
    void placeLegend(bool below);  // moves the legend between the plot's corner and a row under it
    void setLegendType(const QFont& font);  // the legend's font, its samples sized to it
    void elideLegendEntries();     // entries wider than the legend's room cut with an ellipsis (fullName())
    QPair<QString, QString> axisTitles_;
    QString yShort_, xShort_;
    QString rightTitle_, rightShort_;  // setRightAxisTitle()'s, since the last resetPlot()
    static constexpr double kYTitlesWidthShare = 0.18;
    struct FitKey {  // what the axis titles were last fitted for
        QPair<QString, QString> titles;
        QString yShort, xShort, right, rightShort;
        QFont xFont, yFont, y2Font;
        int availX = -1, availY = -1, width = -1;
        bool operator==(const FitKey&) const = default;
    };
    FitKey axisFit_;
    QString legendFitNames_;  // the legend entries, room and base type its type was last chosen for
    int legendFitWidth_ = -1;
    QFont legendFitBase_, legendFitFont_;
    bool legendBelow_ = false;
    struct LegendPlace {  // what the legend's place was last chosen for (entries, base type, room), and the choice
        QString names;
        QFont font;
        QFont inside;  // the corner's type (smaller in a narrow chart)
        int availX = -1, availY = -1;
        bool below = false;
        int columns = 1;
        QFont chosen;  // the legend's type: in the corner fitLegend's narrow-chart type, under the plot its own
        // in the corner, but under the plot in columnsBelow and fontBelow if every corner covers the data
        bool belowIfCovering = false;
        int columnsBelow = 1;
        QFont fontBelow;
        int heightBelow = 0;  // pixels
    };
    LegendPlace legendPlace_;
public:
    bool legendBelowPlot() const { return legendBelow_; }
private:
    ChartInputs inputs_;
    ChartStyle style_;
    QCPRange homeX_, homeY_;
    bool haveHome_ = false;
    void requestRebuild();  // now, or when the chart's tab is chosen
    bool replotPending_ = false;
    bool rebuildPending_ = false;
    bool behindTab_ = false;
};

// Renders a chart to a file without showing it (headless export and tests).
bool renderChart(ChartView& chart, const QString& path, ExportFormat format, QSize size, int dpi, QString* error);

} // namespace ql::ui
