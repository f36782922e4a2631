// Charts 1 and 2: weight and error distributions.
#include <algorithm>
#include <cmath>
#include <limits>

#include "charts/charts.h"

namespace ql::ui {
namespace {

// The smallest and largest nonzero density drawn (none yet: lower > upper). Not a QCPRange, which swaps
// reversed ends.
struct Positive {
    double lower = std::numeric_limits<double>::infinity();
    double upper = -std::numeric_limits<double>::infinity();
};

// A density histogram as a step graph (bin centres, step-centre line style). On a log axis an empty bin
// has no height: it is a gap (NaN) in the steps. positive = the smallest and largest nonzero densities,
// folded in.
QCPGraph* addDensity(ChartView* plot, const Histogram& h, const QString& name, const QColor& c, double width, int fillAlpha, bool log,
                     Positive& positive) {
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    const auto d = h.density();
    QVector<double> x, y;
    x.reserve(static_cast<int>(d.size()));
    y.reserve(static_cast<int>(d.size()));
    for (std::size_t i = 0; i < d.size(); ++i) {
        x.push_back(h.bin_center(i));
        const bool empty = !(d[i] > 0);
        y.push_back(log && empty ? std::numeric_limits<double>::quiet_NaN() : d[i]);
        if (!empty) {
            positive.lower = std::min(positive.lower, d[i]);
            positive.upper = std::max(positive.upper, d[i]);
        }
    }
    g->setData(x, y, true);
    g->setLineStyle(QCPGraph::lsStepCenter);
    g->setPen(QPen(c, width));
    if (fillAlpha > 0) {
        QColor f = c;
        f.setAlpha(fillAlpha);
        g->setBrush(QBrush(f));
        // A step outline has only vertical and horizontal edges: an antialiased fill looks the same and
        // costs most of the chart's raster time.
        g->setAntialiasedFill(false);
    }
    g->setAntialiased(false);  // axis-aligned steps: crisp without antialiasing, and cheaper
    return g;
}

constexpr double kMinDecadesSpan = 100.0;  // the log density axis spans at least this ratio

// The density axis: from 0 on a linear scale; on a log scale from half the smallest nonzero density (one
// value in a bin) to twice the largest, so that a lone outlier's bin shows as a step of its own, and at
// least two decades (the axis is ticked at powers of ten; INT8's uniform errors span less than one),
// starting at a power of ten.
void densityAxis(ChartView* plot, bool log, const Positive& positive) {
    if (!log || !(positive.lower <= positive.upper)) {
        plot->yAxis->setRangeLower(0);
        return;
    }
    const double hi = positive.upper * 2;
    const double lo = std::min(positive.lower / 2, hi / kMinDecadesSpan);
    plot->yAxis->setRange(std::pow(10.0, std::floor(std::log10(lo))), hi);  // from a labelled power of ten
}

// The vertical line x = v over the whole plot (its two points at heights that exist on either scale).
void addVerticalLine(ChartView* plot, double v, const QPen& pen) {
    auto* line = new QCPItemStraightLine(plot);
    line->point1->setCoords(v, 1);
    line->point2->setCoords(v, 2);
    line->setPen(pen);
}


} // namespace

QString formatBytes(double bytes) {
    // below 1000 bytes both units are bytes: say it once ("512 B", not "512 B (512 B)" or "64.0 B")
    if (bytes < 1000.0) {
        const bool whole = bytes == std::floor(bytes);
        return QStringLiteral("%1 B").arg(bytes, 0, 'f', whole ? 0 : 1);
    }
    auto unit = [](double b, double base, const char* const names[]) {
        int k = 0;
        while (b >= base && k < 4) {
            b /= base;
            ++k;
        }
        return QStringLiteral("%1 %2").arg(b, 0, 'f', b < 10 ? 2 : (b < 100 ? 1 : 0)).arg(QString::fromLatin1(names[k]));
    };
    static const char* const dec[] = {"B", "kB", "MB", "GB", "TB"};
    static const char* const bin[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    return QStringLiteral("%1 (%2)").arg(unit(bytes, 1000.0, dec), unit(bytes, 1024.0, bin));
}

void WeightDistributionChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Weight value"), in.logHistograms ? tr("Probability density (log)") : tr("Probability density"),
                  in.logHistograms ? tr("Density (log)") : tr("Density"));
    if (!in.report || in.report->tensor.numel == 0) {
        addNote(tr("No tensor yet"));
        finish();
        return;
    }
    const AnalysisReport& r = *in.report;
    const bool log = in.logHistograms;
    Positive positive;
    addDensity(this, r.original, tr("Original (FP32)"), style().original, style().lineWidth(1.5), 90, log, positive);
    for (std::size_t i = 0; i < r.configs.size(); ++i) {
        const ConfigReport& c = r.configs[i];
        if (!c.error.empty() || c.dequantized.counts.empty()) continue;
        // named as in the other charts: the title says these are the dequantized weights, and a shorter
        // legend covers less of the data (or fits under the plot)
        addDensity(this, c.dequantized, QString::fromStdString(c.config.display_name()), in.colors.at(i), style().lineWidth(1.8), 40, log,
                   positive);
    }
    if (log) useLogY(this);
    finish();
    // The levels grid of the chosen configuration: one thin line per representable value.
    if (in.showLevels && in.levelsConfig >= 0 && in.levelsConfig < static_cast<int>(r.configs.size())) {
        const ConfigReport& c = r.configs[static_cast<std::size_t>(in.levelsConfig)];
        // The block under the cursor in the sample chart, else the block at the report's levels index.
        const bool hovered = in.levelsBlock >= 0 && in.levelsBlock < static_cast<int>(c.sample_levels.size());
        const std::vector<float>& levels = hovered ? c.sample_levels[static_cast<std::size_t>(in.levelsBlock)] : c.levels;
        QColor lc = in.colors.at(static_cast<std::size_t>(in.levelsConfig));
        lc.setAlpha(levels.size() > 64 ? 90 : 170);
        for (float v : levels) addVerticalLine(this, v, QPen(lc, style().lineWidth(levels.size() > 64 ? 0.5 : 1.0), Qt::DashLine));
        if (c.clip)
            for (double v : {c.clip->first, c.clip->second})
                addVerticalLine(this, v, QPen(in.colors.at(static_cast<std::size_t>(in.levelsConfig)), style().lineWidth(2.0)));
        // named in the legend, with a dashed icon: a note of its own ran into the legend in a narrow dock
        // or with presentation fonts
        QCPGraph* key = addGraph();
        key->setPen(QPen(lc, style().lineWidth(1.0), Qt::DashLine));
        key->setLineStyle(QCPGraph::lsLine);
        const QString name = QString::fromStdString(c.config.display_name());
        const int nl = static_cast<int>(levels.size());
        key->setName(hovered && in.levelsSample >= 0
                         ? tr("%n levels of %1 in the block of weight %2 of row %3", "", nl).arg(name).arg(in.levelsSample).arg(r.sample_row)
                         : tr("%n levels of %1", "", nl).arg(name));
    }
    densityAxis(this, log, positive);
    finish(false);
    legendMayRaiseRange();  // headroom above the peaks rather than a legend over them
    legendAwayFromData();
}

void ErrorDistributionChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Quantization error (dequantized - original)"), in.logHistograms ? tr("Probability density (log)") : tr("Probability density"),
                  in.logHistograms ? tr("Density (log)") : tr("Density"));
    if (!in.report || in.report->configs.empty()) {
        addNote(tr("Add a configuration to see its error"));
        finish();
        return;
    }
    const AnalysisReport& r = *in.report;
    const bool log = in.logHistograms;
    Positive positive;
    for (std::size_t i = 0; i < r.configs.size(); ++i) {
        const ConfigReport& c = r.configs[i];
        if (!c.error.empty() || c.errors.counts.empty()) continue;
        addDensity(this, c.errors, QString::fromStdString(c.config.display_name()), in.colors.at(i), style().lineWidth(1.8), 50, log, positive);
    }
    if (log) useLogY(this);
    finish();
    densityAxis(this, log, positive);
    finish(false);
    legendMayRaiseRange();  // headroom above the peaks rather than a legend over them
    legendAwayFromData();
}

} // namespace ql::ui
