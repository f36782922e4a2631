// The QuantLens charts. Each draws one part of the analysis report (see ChartView) and computes
// nothing: every number comes from core.
#pragma once

#include <QHash>

#include <utility>
#include <vector>

#include "charts/chart_view.h"

namespace ql::ui {

// Degrees the memory and GPU-fit charts slant bar names that do not fit under their bars side by side
// (tick label rotation -kBarNameSlant).
constexpr double kBarNameSlant = 35.0;

// Short label of a compared point (Pareto, SNR vs bits): the format's name in capitals; an integer
// configuration also names bits, scheme and granularity ("INT4 asym g128"), as several may be compared.
QString shortLabel(const QuantConfig& c);
// The y axis logarithmic, ticked at powers of ten (10^k labels).
void useLogY(ChartView* plot);

// 1. Original vs dequantized weight distributions (shared bins, density), optional levels grid.
class WeightDistributionChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    bool drawsDistributions() const override { return true; }
    QString chartId() const override { return QStringLiteral("weight_distribution"); }
    QString title() const override { return tr("Weight distribution: original vs dequantized"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 2. Distribution of the quantization error (dequantized - original) per configuration.
class ErrorDistributionChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    bool drawsDistributions() const override { return true; }
    QString chartId() const override { return QStringLiteral("error_distribution"); }
    QString title() const override { return tr("Quantization error distribution"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 3. Memory of the current tensor per format, with each configuration's true size.
class MemoryChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("memory"); }
    QString title() const override { return tr("Memory of this tensor per format"); }
    QString explanation() const override;
    QString tooltipAt(const QPoint& pos) const override;

protected:
    void rebuild() override;
    void resizeEvent(QResizeEvent* event) override;  // re-wraps the bar names for the new width

private:
    int advance(const QString& line);  // horizontalAdvance in the tick font, remembered per line
    int laidOutWidth_ = 0;  // widget width the bar names were wrapped for
    // Text shaping is most of a rebuild's cost: widths of texts, remembered per font and text (a
    // slider move changes one bar's name and size; the others keep their widths). The value labels
    // try two fonts on every rebuild where the larger does not fit.
    struct TextWidths {
        std::vector<std::pair<QFont, QHash<QString, int>>> byFont;
        int of(const QFont& f, const QString& line);  // QFontMetrics(f).horizontalAdvance(line)
    };
    TextWidths tickWidths_;   // candidate tick lines (bar names), in the tick label font
    TextWidths valueWidths_;  // value labels over the bars, in their font
};

// 4. The first N weights of one row, original vs dequantized, with the levels grid of each block of the
// levels configuration; hovering a weight reports it (sampleHovered) so the histogram can show that
// weight's block levels.
class SampleChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("sample_values"); }
    QString title() const override;
    QString explanation() const override;

signals:
    void sampleHovered(int index);  // index in the row, -1 when the cursor leaves

protected:
    void rebuild() override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    int hovered_ = -1;
};

// 5. Error accumulated through layers (log scale).
class LayerErrorChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("layer_accumulation"); }
    QString title() const override { return tr("Error accumulation through layers"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 6. A model's memory per format against the memory of chosen GPUs.
class GpuFitChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("gpu_fit"); }
    QString title() const override;
    QString explanation() const override;
    QString tooltipAt(const QPoint& pos) const override;

protected:
    void rebuild() override;
    void resizeEvent(QResizeEvent* event) override;  // re-wraps the format names for the new width

private:
    int laidOutWidth_ = 0;  // widget width the names were wrapped for
    std::vector<std::pair<double, QString>> lineTips_;  // each GPU line's GB and its description
    // How much higher the value axis must reach for the bars under the legend to keep their value labels
    // (labelH pixels) clear of it; 1 when they are, or when that would flatten the bars.
    double legendHeadroom(double labelH);
    double headroom_ = 1.0;       // the value axis' reach over the default (the tallest thing x 1.2)
    bool headroomPass_ = false;   // rebuilding with headroom_, legendCornerKept_ and legendKeep_
    Qt::Alignment legendCornerKept_ = Qt::AlignTop | Qt::AlignLeft;
    static constexpr int kTwoLinePlotHeight = 180;  // pixels (normal type): shorter plots label GB alone
    static constexpr int kShortLegendPlotHeight = 320;  // pixels: shorter plots leave GPUs named on the plot out of the legend
    QRectF legendKeep_;           // the legend's box in the second pass (bar slots across, GB up), else null
};

// 7. SNR against bit width, with the 6.02 dB-per-bit line.
class SnrBitsChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("snr_vs_bits"); }
    QString title() const override { return tr("SNR vs bit width"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 8. MSE of every output channel (row), per configuration (log scale).
class ChannelErrorChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("channel_error"); }
    QString title() const override { return tr("Per-channel error"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 9. Error against true bits per weight: one point per configuration and, after "compare all formats",
// per format; the Pareto front (fewest bits for the quality) drawn through the best of them.
class ParetoChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("pareto"); }
    QString title() const override { return tr("Error vs true bits per weight (Pareto front)"); }
    QString explanation() const override;
    QString tooltipAt(const QPoint& pos) const override;

protected:
    void rebuild() override;

private:
    struct Point {
        QString name;
        double bits = 0, sqnr = 0, mse = 0;
        double padding = 0;  // share of the codes stored that pads rows (core's padding_worth_saying), else 0
    };
    std::vector<Point> points_;
};

// Every chart of the window, in display order (the caller owns them).
std::vector<ChartView*> createAllCharts(QWidget* parent);

// Human-readable bytes in decimal and binary units, three significant digits: "14.0 GB (13.0 GiB)",
// "4.00 MB (3.81 MiB)"; below 1000 bytes once: "512 B".
QString formatBytes(double bytes);

} // namespace ql::ui
