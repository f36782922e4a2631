// Speed charts (issue 7), on the common ChartView frame (export, theme, tooltip, zoom): measured time
// per format beside its memory-read floor, estimated decode tokens/s per device with the seed's
// figures marked, and a roofline. They draw a finished SpeedReport / DecodeEstimate from core.
#pragma once

#include <memory>

#include "charts/chart_view.h"
#include "core/speed/speed_bench.h"

namespace ql::ui {

// What the speed charts draw.
struct SpeedChartData {
    std::shared_ptr<const speed::SpeedReport> report;
    std::shared_ptr<const speed::DecodeEstimate> decode;
};

class SpeedChartBase : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    void setSpeedData(const SpeedChartData& data);
    const SpeedChartData& speedData() const { return data_; }

private:
    SpeedChartData data_;
};

// Grouped log-scale bars: per (device, format, batch), the median time (with its interquartile spread)
// and the plain read of the same bytes on the same device; CPU rows, then GPU rows after a dashed line.
class SpeedTimeChart : public SpeedChartBase {
    Q_OBJECT
public:
    using SpeedChartBase::SpeedChartBase;
    QString chartId() const override { return QStringLiteral("speed_time"); }
    QString title() const override;
    QString explanation() const override;
    QString tooltipAt(const QPoint& pos) const override;

protected:
    void rebuild() override;
};

// Grouped log-scale bars: per device (catalog GPUs and this CPU), decode tokens/s per format; the
// seed's claimed 7B figures as dashed lines.
class DecodeTokensChart : public SpeedChartBase {
    Q_OBJECT
public:
    using SpeedChartBase::SpeedChartBase;
    QString chartId() const override { return QStringLiteral("decode_tokens"); }
    QString title() const override;
    QString explanation() const override;
    QString tooltipAt(const QPoint& pos) const override;

protected:
    void rebuild() override;
};

// Log-log: arithmetic intensity (operations per byte) vs achieved GFLOP/s of each measurement (discs on
// the CPU, squares on the GPU), under the measured roofs min(bandwidth x intensity, compute peak): the
// CPU's for FP32 and int8, and, with GPU rows, the GPU's (its best floor and its best product, dashed).
class RooflineChart : public SpeedChartBase {
    Q_OBJECT
public:
    using SpeedChartBase::SpeedChartBase;
    QString chartId() const override { return QStringLiteral("roofline"); }
    QString title() const override;
    QString explanation() const override;

protected:
    void rebuild() override;
};

} // namespace ql::ui
