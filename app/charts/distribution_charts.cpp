// Charts 1 and 2: weight and error distributions.
#include <cmath>

#include "charts/charts.h"

namespace ql::ui {
namespace {

// A density histogram as a step graph (bin centres, step-centre line style).
QCPGraph* addDensity(ChartView* plot, const Histogram& h, const QString& name, const QColor& c, double width, int fillAlpha) {
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    const auto d = h.density();
    QVector<double> x, y;
    x.reserve(static_cast<int>(d.size()));
    y.reserve(static_cast<int>(d.size()));
    for (std::size_t i = 0; i < d.size(); ++i) {
        x.push_back(h.bin_center(i));
        y.push_back(d[i]);
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

} // namespace

QString formatBytes(double bytes) {
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
    setAxisTitles(tr("Weight value"), tr("Probability density"));
    const auto& in = inputs();
    if (!in.report || in.report->tensor.numel == 0) {
        addNote(tr("No tensor yet"));
        finish();
        return;
    }
    const AnalysisReport& r = *in.report;
    addDensity(this, r.original, tr("Original (FP32)"), style().original, style().lineWidth(1.5), 90);
    for (std::size_t i = 0; i < r.configs.size(); ++i) {
        const ConfigReport& c = r.configs[i];
        if (!c.error.empty() || c.dequantized.counts.empty()) continue;
        addDensity(this, c.dequantized, tr("Dequantized: %1").arg(QString::fromStdString(c.config.display_name())),
                   in.colors.at(i), style().lineWidth(1.8), 40);
    }
    finish();
    // The levels grid of the chosen configuration: one thin line per representable value.
    if (in.showLevels && in.levelsConfig >= 0 && in.levelsConfig < static_cast<int>(r.configs.size())) {
        const ConfigReport& c = r.configs[static_cast<std::size_t>(in.levelsConfig)];
        // The block under the cursor in the sample chart, else the block at the report's levels index.
        const bool hovered = in.levelsBlock >= 0 && in.levelsBlock < static_cast<int>(c.sample_levels.size());
        const std::vector<float>& levels = hovered ? c.sample_levels[static_cast<std::size_t>(in.levelsBlock)] : c.levels;
        QColor lc = in.colors.at(static_cast<std::size_t>(in.levelsConfig));
        lc.setAlpha(levels.size() > 64 ? 90 : 170);
        for (float v : levels) {
            auto* line = new QCPItemStraightLine(this);
            line->point1->setCoords(v, 0);
            line->point2->setCoords(v, 1);
            line->setPen(QPen(lc, style().lineWidth(levels.size() > 64 ? 0.5 : 1.0), Qt::DashLine));
        }
        if (c.clip) {
            for (double v : {c.clip->first, c.clip->second}) {
                auto* line = new QCPItemStraightLine(this);
                line->point1->setCoords(v, 0);
                line->point2->setCoords(v, 1);
                line->setPen(QPen(in.colors.at(static_cast<std::size_t>(in.levelsConfig)), style().lineWidth(2.0)));
            }
        }
        // named in the legend, with a dashed icon: a note of its own ran into the legend in a narrow dock
        // or with presentation fonts
        QCPGraph* key = addGraph();
        key->setPen(QPen(lc, style().lineWidth(1.0), Qt::DashLine));
        key->setLineStyle(QCPGraph::lsLine);
        const QString name = QString::fromStdString(c.config.display_name());
        const int nl = static_cast<int>(levels.size());
        key->setName(hovered && in.levelsSample >= 0
                         ? tr("The %n levels of %1 in the block of weight %2 of row %3", "", nl).arg(name).arg(in.levelsSample).arg(r.sample_row)
                         : tr("The %n levels of %1", "", nl).arg(name));
    }
    yAxis->setRangeLower(0);
    queueReplot();
}

void ErrorDistributionChart::rebuild() {
    resetPlot();
    setAxisTitles(tr("Quantization error (dequantized - original)"), tr("Probability density"));
    const auto& in = inputs();
    if (!in.report || in.report->configs.empty()) {
        addNote(tr("Add a configuration to see its error"));
        finish();
        return;
    }
    const AnalysisReport& r = *in.report;
    for (std::size_t i = 0; i < r.configs.size(); ++i) {
        const ConfigReport& c = r.configs[i];
        if (!c.error.empty() || c.errors.counts.empty()) continue;
        addDensity(this, c.errors, QString::fromStdString(c.config.display_name()), in.colors.at(i), style().lineWidth(1.8), 50);
    }
    finish();
    yAxis->setRangeLower(0);
    queueReplot();
}

} // namespace ql::ui
