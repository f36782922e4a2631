// Charts 4, 5, 7 and 8: sample values, error through layers, SNR vs bits, per-channel error.
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>

#include "charts/charts.h"

namespace ql::ui {
namespace {

void useLogY(ChartView* plot) {
    plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> t(new QCPAxisTickerLog);
    plot->yAxis->setTicker(t);
    plot->yAxis->setNumberFormat(QStringLiteral("eb"));
    plot->yAxis->setNumberPrecision(0);
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
        g->setData(x, QVector<double>(c.sample_dequantized.begin(), c.sample_dequantized.end()), true);
        styleGraph(g, in.colors.at(i), 1.5, true);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, in.colors.at(i), in.colors.at(i), 5 * style().scale));
    }
    finish();
    titleElement_->setText(title());
}

void LayerErrorChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Layer"), tr("Relative output error ||h - h_q|| / ||h|| (log)"));
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
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    finish();
    xAxis->setRange(xAxis->range().lower - 0.3, xAxis->range().upper + 0.3);
    yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 2);
    finish(false);
}

void SnrBitsChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Bit width"), tr("SNR (dB)"));
    bool any = false, reference = false;
    if (in.report) {
        const auto& cs = in.report->configs;
        for (std::size_t i = 0; i < cs.size(); ++i) {
            const auto& c = cs[i];
            if (!c.error.empty() || c.snr_vs_bits.empty()) continue;
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
            double own = std::numeric_limits<double>::quiet_NaN();
            for (const auto& p : c.snr_vs_bits) {
                if (!std::isfinite(p.snr_db)) continue;
                x.push_back(p.bits);
                y.push_back(p.snr_db);
                ry.push_back(p.reference_db);
                if (p.bits == c.config.bits) own = p.snr_db;
            }
            if (!drawn) {
                QuantConfig generic = c.config;
                generic.label.clear();
                QString name = QString::fromStdString(generic.describe());
                name.replace(QRegularExpression(QStringLiteral("^INT\\d+")), QStringLiteral("INT 2-8 bit"));
                QCPGraph* g = addGraph();
                g->setName(name);
                g->setData(x, y, true);
                styleGraph(g, in.colors.at(i), 2.0, false);
                g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, in.colors.at(i), style().background, 6 * style().scale));
            }
            if (std::isfinite(own)) {
                QCPGraph* mark = addGraph();
                mark->setName(QString::fromStdString(c.config.display_name()));
                mark->setData(QVector<double>{static_cast<double>(c.config.bits)}, QVector<double>{own}, true);
                mark->setLineStyle(QCPGraph::lsNone);
                mark->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, in.colors.at(i), in.colors.at(i), 13 * style().scale));
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
    if (!any) {
        addNote(tr("SNR vs bits is shown for integer configurations"));
        finish();
        return;
    }
    QSharedPointer<QCPAxisTickerFixed> xt(new QCPAxisTickerFixed);
    xt->setTickStep(1.0);
    xAxis->setTicker(xt);
    axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    finish();
    xAxis->setRange(1.7, 8.3);
    finish(false);
}

void ChannelErrorChart::rebuild() {
    resetPlot();
    const auto& in = inputs();
    setAxisTitles(tr("Output channel (row)"), in.logScale ? tr("MSE of the row (log)") : tr("MSE of the row"));
    bool any = false;
    if (in.report) {
        for (std::size_t i = 0; i < in.report->configs.size(); ++i) {
            const auto& c = in.report->configs[i];
            if (!c.error.empty() || c.channel_mse.empty()) continue;
            QVector<double> x, y;
            for (std::size_t k = 0; k < c.channel_mse.size(); ++k) {
                if (in.logScale && !(c.channel_mse[k] > 0)) continue;
                x.push_back(static_cast<double>(k));
                y.push_back(c.channel_mse[k]);
            }
            QCPGraph* g = addGraph();
            g->setName(QString::fromStdString(c.config.display_name()));
            g->setData(x, y, true);
            styleGraph(g, in.colors.at(i), c.channel_mse.size() > 200 ? 1.0 : 1.6, c.channel_mse.size() <= 64);
            any = true;
        }
    }
    if (!any) {
        addNote(tr("No per-channel error yet"));
        finish();
        return;
    }
    if (in.logScale) useLogY(this);
    finish();
    if (in.logScale) {
        yAxis->setRange(yAxis->range().lower / 2, yAxis->range().upper * 4);
        finish(false);
    }
}

std::vector<ChartView*> createAllCharts(QWidget* parent) {
    return {new WeightDistributionChart(parent), new ErrorDistributionChart(parent), new MemoryChart(parent), new SampleChart(parent),
            new LayerErrorChart(parent),         new GpuFitChart(parent),            new SnrBitsChart(parent), new ChannelErrorChart(parent)};
}

} // namespace ql::ui
