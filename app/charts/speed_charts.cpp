// Speed charts (issue 7): time vs floor, decode tokens/s per device, roofline. Each draws the report
// it is given and computes nothing beyond placing bars and lines.
#include "charts/speed_charts.h"
#include "charts/log_ticker.h"

#include <algorithm>
#include <cmath>

namespace ql::ui {
namespace {

const QColor kFormatColors[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44), QColor(148, 103, 189)};

// One colour per timed format; W4A16 (the GPU's 4-bit) shares W4's hue, a shade darker.
QColor formatColor(speed::SpeedFormat f) {
    switch (f) {
    case speed::SpeedFormat::F32: return kFormatColors[0];
    case speed::SpeedFormat::F16: return kFormatColors[3];
    case speed::SpeedFormat::Int8: return kFormatColors[1];
    case speed::SpeedFormat::W4: return kFormatColors[2];
    case speed::SpeedFormat::W4A16: return kFormatColors[2].darker(140);
    }
    return kFormatColors[0];
}

QString deviceKind(const speed::SpeedMeasurement& m) { return m.on_gpu ? QObject::tr("GPU") : QObject::tr("CPU"); }

QCPBars* makeBars(QCustomPlot* plot, const QColor& c, double width, const QString& name) {
    auto* b = new QCPBars(plot->xAxis, plot->yAxis);
    b->setWidth(width);
    b->setName(name);
    b->setPen(QPen(c.darker(130), 1));
    QColor f = c;
    f.setAlpha(220);
    b->setBrush(f);
    return b;
}

// Under each pair of bars: the format and the batch (the device names its group above the bars).
QString measurementLabel(const speed::SpeedMeasurement& m) {
    return QStringLiteral("%1\n%2")
        .arg(QString::fromLatin1(speed::format_name(m.format)))
        .arg(m.batch == 1 ? QObject::tr("decode") : QObject::tr("batch %1").arg(m.batch));
}

} // namespace

void SpeedChartBase::setSpeedData(const SpeedChartData& data) {
    data_ = data;
    rebuild();
}

// --- time per format beside its floor -------------------------------------------------------------

QString SpeedTimeChart::title() const {
    const auto& r = speedData().report;
    if (!r) return tr("Time per product and the memory-read floor");
    return tr("Time per product, %1 x %2 layer, and the memory-read floor").arg(r->rows).arg(r->cols);
}

void SpeedTimeChart::rebuild() {
    resetPlot();
    setAxisTitles(tr("Format and batch (decode = batch 1)"), tr("Time per product (ms, log scale)"));
    const auto& r = speedData().report;
    if (!r || r->items.empty()) {
        addNote(tr("Press Run to measure"));
        finish();
        return;
    }
    auto* kernel = makeBars(this, QColor(31, 119, 180), 0.38, tr("measured median (whiskers: quartiles)"));
    auto* floor = makeBars(this, QColor(150, 150, 150), 0.38, tr("plain read of the same bytes (floor)"));
    auto* spread = new QCPErrorBars(xAxis, yAxis);
    spread->setName(tr("interquartile range"));
    spread->removeFromLegend();
    spread->setDataPlottable(kernel);
    spread->setPen(QPen(style().foreground, 1.2));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double lo = 1e300, hi = 0;
    for (std::size_t i = 0; i < r->items.size(); ++i) {
        const auto& m = r->items[i];
        const double x = static_cast<double>(i);
        kernel->addData(x - 0.2, m.median_ms);
        floor->addData(x + 0.2, m.floor_ms);
        spread->addData(m.median_ms - m.q25_ms, m.q75_ms - m.median_ms);
        ticker->addTick(x, measurementLabel(m));
        auto* label = new QCPItemText(this);
        label->position->setCoords(x - 0.2, m.q75_ms);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setText(tr("%1x floor").arg(m.ratio_to_floor(), 0, 'f', 2));
        label->setFont(style().font(8.5));
        label->setColor(style().foreground);
        lo = std::min({lo, m.floor_ms, m.q25_ms});
        hi = std::max({hi, m.floor_ms, m.q75_ms});
    }
    // CPU rows, then GPU rows: each group's device above it, a dashed line between the groups.
    std::size_t firstGpu = r->items.size();
    for (std::size_t i = 0; i < r->items.size(); ++i)
        if (r->items[i].on_gpu) {
            firstGpu = i;
            break;
        }
    auto groupLabel = [&](std::size_t from, std::size_t to, const std::string& device) {
        if (from >= to) return;
        auto* t = new QCPItemText(this);
        t->position->setTypeX(QCPItemPosition::ptPlotCoords);
        t->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        t->position->setCoords((static_cast<double>(from) + static_cast<double>(to) - 1) / 2, 0.16);
        t->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
        t->setText(QString::fromStdString(device));
        t->setFont(style().font(10, true));
        t->setColor(style().foreground);
    };
    groupLabel(0, firstGpu, r->device);
    if (firstGpu < r->items.size()) groupLabel(firstGpu, r->items.size(), r->items[firstGpu].device);
    if (firstGpu > 0 && firstGpu < r->items.size()) {
        auto* sep = new QCPItemStraightLine(this);
        sep->point1->setCoords(static_cast<double>(firstGpu) - 0.5, 1);
        sep->point2->setCoords(static_cast<double>(firstGpu) - 0.5, 2);
        sep->setPen(QPen(style().foreground, 1.0, Qt::DashLine));
    }
    // log scale: bars grow from the bottom of the axis
    kernel->setBaseValue(lo / 4);
    floor->setBaseValue(lo / 4);
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<LogTicker>(new LogTicker));
    xAxis->setTicker(ticker);
    xAxis->grid()->setVisible(false);
    legend->setVisible(true);
    finish(false);
    xAxis->setRange(-0.6, static_cast<double>(r->items.size()) - 0.4);
    yAxis->setRange(lo / 4, hi * 30);  // room above the bars for the legend and the device names
    finish(false);
}

QString SpeedTimeChart::tooltipAt(const QPoint& pos) const {
    const auto& r = speedData().report;
    if (!r) return {};
    const double key = xAxis->pixelToCoord(pos.x());
    const long i = std::lround(key);
    if (i < 0 || i >= static_cast<long>(r->items.size())) return {};
    const auto& m = r->items[static_cast<std::size_t>(i)];
    return tr("%1\n%2, batch %3 (%4)\nmedian %5 ms (quartiles %6 - %7 ms)\nfloor %8 ms: %9x the floor\n%10 GB/s, %11 GFLOP/s\n%12 MB of weights, %13 copies rotated")
        .arg(QString::fromStdString(m.device))
        .arg(QString::fromLatin1(speed::format_name(m.format)))
        .arg(m.batch)
        .arg(QString::fromStdString(m.path))
        .arg(m.median_ms, 0, 'g', 4)
        .arg(m.q25_ms, 0, 'g', 4)
        .arg(m.q75_ms, 0, 'g', 4)
        .arg(m.floor_ms, 0, 'g', 4)
        .arg(m.ratio_to_floor(), 0, 'f', 2)
        .arg(m.gbps, 0, 'f', 1)
        .arg(m.gflops, 0, 'f', 1)
        .arg(m.weight_bytes / 1e6, 0, 'f', 2)
        .arg(m.copies);
}

// --- decode tokens/s per device ---------------------------------------------------------------------

QString DecodeTokensChart::title() const {
    const auto& d = speedData().decode;
    if (!d) return tr("Estimated decode speed");
    return tr("Estimated decode speed of a %1-billion-parameter model (bandwidth / bytes per token)").arg(d->params / 1e9, 0, 'g', 4);
}

void DecodeTokensChart::rebuild() {
    resetPlot();
    setAxisTitles(tr("Device (memory bandwidth)"), tr("Tokens per second (log scale)"));
    const auto& d = speedData().decode;
    if (!d || d->devices.empty() || d->formats.empty()) {
        addNote(tr("No estimate yet"));
        finish();
        return;
    }
    const std::size_t nf = d->formats.size();
    const double width = 0.8 / static_cast<double>(nf);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double lo = 1e300, hi = 0;
    for (std::size_t f = 0; f < nf; ++f) {
        auto* bars = makeBars(this, kFormatColors[f % 4], width * 0.95, QString::fromStdString(d->formats[f].name));
        for (std::size_t i = 0; i < d->devices.size(); ++i) {
            const double v = d->devices[i].tokens_per_s[f];
            bars->addData(static_cast<double>(i) - 0.4 + width * (static_cast<double>(f) + 0.5), v);
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        bars->setBaseValue(lo / 4);
    }
    for (std::size_t i = 0; i < d->devices.size(); ++i) {
        const auto& dev = d->devices[i];
        ticker->addTick(static_cast<double>(i), QStringLiteral("%1\n%2 GB/s%3")
                                                    .arg(QString::fromStdString(dev.name))
                                                    .arg(dev.bandwidth_gbps, 0, 'f', 0)
                                                    .arg(dev.measured ? tr(" (measured)") : QString()));
    }
    for (int p = 0; p < plottableCount(); ++p)
        if (auto* b = qobject_cast<QCPBars*>(plottable(p))) b->setBaseValue(lo / 4);
    // The seed's figures (7B): dashed horizontal lines, one per format.
    const Qt::PenStyle dashes[] = {Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    for (std::size_t k = 0; k < d->reference.size(); ++k) {
        const auto& ref = d->reference[k];
        auto* line = new QCPItemStraightLine(this);
        line->point1->setCoords(0, ref.tokens_per_s);
        line->point2->setCoords(1, ref.tokens_per_s);
        line->setPen(QPen(style().foreground, 1.2, dashes[k % 3]));
        auto* label = new QCPItemText(this);
        label->position->setType(QCPItemPosition::ptAxisRectRatio);
        label->position->setTypeY(QCPItemPosition::ptPlotCoords);
        label->position->setCoords(0.01, ref.tokens_per_s);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        label->setText(tr("seed 004, 7B %1: %2 tokens/s").arg(QString::fromStdString(ref.format)).arg(ref.tokens_per_s, 0, 'f', 0));
        label->setFont(style().font(8.5));
        label->setColor(style().foreground);
        lo = std::min(lo, ref.tokens_per_s);
        hi = std::max(hi, ref.tokens_per_s);
    }
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setTicker(QSharedPointer<LogTicker>(new LogTicker));
    xAxis->setTicker(ticker);
    xAxis->setTickLabelRotation(d->devices.size() > 8 ? 40 : 0);
    xAxis->grid()->setVisible(false);
    legend->setVisible(true);
    finish(false);
    xAxis->setRange(-0.6, static_cast<double>(d->devices.size()) - 0.4);
    yAxis->setRange(lo / 4, hi * 3);
    finish(false);
}

QString DecodeTokensChart::tooltipAt(const QPoint& pos) const {
    const auto& d = speedData().decode;
    if (!d) return {};
    const double key = xAxis->pixelToCoord(pos.x());
    const long i = std::lround(key);
    if (i < 0 || i >= static_cast<long>(d->devices.size())) return {};
    const auto& dev = d->devices[static_cast<std::size_t>(i)];
    QString t = tr("%1: %2 GB/s%3").arg(QString::fromStdString(dev.name)).arg(dev.bandwidth_gbps, 0, 'f', 1).arg(dev.measured ? tr(" (measured read)") : tr(" (catalog peak)"));
    for (std::size_t f = 0; f < d->formats.size(); ++f)
        t += tr("\n%1: %2 tokens/s (%3 GB per token)")
                 .arg(QString::fromStdString(d->formats[f].name))
                 .arg(dev.tokens_per_s[f], 0, 'f', 1)
                 .arg(d->bytes_per_token[f] / 1e9, 0, 'f', 2);
    return t;
}

// --- roofline ---------------------------------------------------------------------------------------

QString RooflineChart::title() const { return tr("Roofline: arithmetic intensity vs achieved throughput"); }

void RooflineChart::rebuild() {
    resetPlot();
    setAxisTitles(tr("Arithmetic intensity (operations per byte, log)"), tr("Throughput (GFLOP/s or GOP/s, log)"));
    const auto& r = speedData().report;
    if (!r || r->items.empty() || r->read_gbps <= 0) {
        addNote(tr("Press Run to measure"));
        finish();
        return;
    }
    double imin = 1e300, imax = 0, pmin = 1e300;
    for (const auto& m : r->items) {
        imin = std::min(imin, m.intensity);
        imax = std::max(imax, m.intensity);
        pmin = std::min(pmin, m.gflops);
    }
    imin /= 4;
    imax *= 4;
    const auto& gpu = r->gpu;
    const bool withGpu = gpu.present() && gpu.read_gbps > 0;
    double top = std::max(r->roof_int8_gops, r->roof_f32_gflops);
    // Roofs: min(bandwidth x intensity, peak), sampled densely in log space so the knee is sharp.
    auto roof = [&](double gbps, double peak, const QColor& c, Qt::PenStyle pen, const QString& name) {
        if (peak <= 0 || gbps <= 0) return;
        QCPGraph* g = addGraph();
        g->setName(name);
        styleGraph(g, c, 2.0);
        QPen p = g->pen();
        p.setStyle(pen);
        g->setPen(p);
        for (int k = 0; k <= 200; ++k) {
            const double i = imin * std::pow(imax / imin, k / 200.0);
            g->addData(i, std::min(gbps * i, peak));
        }
        pmin = std::min(pmin, gbps * imin);
        top = std::max(top, peak);
    };
    roof(r->read_gbps, r->roof_int8_gops, QColor(214, 39, 40), Qt::SolidLine,
         tr("CPU roof: %1 GB/s read, int8 peak %2 GOP/s").arg(r->read_gbps, 0, 'f', 1).arg(r->roof_int8_gops, 0, 'f', 0));
    roof(r->read_gbps, r->roof_f32_gflops, QColor(127, 127, 127), Qt::SolidLine,
         tr("CPU roof: %1 GB/s read, FP32 peak %2 GFLOP/s").arg(r->read_gbps, 0, 'f', 1).arg(r->roof_f32_gflops, 0, 'f', 0));
    if (withGpu)
        roof(gpu.read_gbps, gpu.roof_gflops, QColor(23, 190, 207), Qt::DashLine,
             tr("GPU roof: %1 GB/s read, best product %2 GFLOP/s").arg(gpu.read_gbps, 0, 'f', 0).arg(gpu.roof_gflops, 0, 'f', 0));
    // One scatter per (device, format): discs on the CPU, squares on the GPU.
    for (bool onGpu : {false, true})
        for (speed::SpeedFormat f : {speed::SpeedFormat::F32, speed::SpeedFormat::F16, speed::SpeedFormat::Int8, speed::SpeedFormat::W4,
                                     speed::SpeedFormat::W4A16}) {
            QCPGraph* g = nullptr;
            for (const auto& m : r->items) {
                if (m.format != f || m.on_gpu != onGpu) continue;
                if (!g) {
                    g = addGraph();
                    g->setName(QStringLiteral("%1 %2").arg(deviceKind(m), QString::fromLatin1(speed::format_name(f))));
                    g->setLineStyle(QCPGraph::lsNone);
                    g->setScatterStyle(QCPScatterStyle(onGpu ? QCPScatterStyle::ssSquare : QCPScatterStyle::ssDisc, formatColor(f),
                                                       formatColor(f), 9 * style().scale));
                }
                g->addData(m.intensity, m.gflops);
                auto* label = new QCPItemText(this);
                label->position->setCoords(m.intensity, m.gflops);
                label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
                label->setText(QStringLiteral(" %1 b%2").arg(QString::fromLatin1(speed::format_name(f))).arg(m.batch));
                label->setFont(style().font(8));
                label->setColor(style().foreground);
            }
        }
    xAxis->setScaleType(QCPAxis::stLogarithmic);
    yAxis->setScaleType(QCPAxis::stLogarithmic);
    xAxis->setTicker(QSharedPointer<LogTicker>(new LogTicker));
    yAxis->setTicker(QSharedPointer<LogTicker>(new LogTicker));
    legend->setVisible(true);
    setLegendCorner(Qt::AlignBottom | Qt::AlignRight);
    finish(false);
    xAxis->setRange(imin, imax);
    yAxis->setRange(pmin / 2, top * 2);
    finish(false);
}

} // namespace ql::ui
