// The calibration charts (GPTQ, AWQ, SmoothQuant on one layer). Each draws one part of a finished
// ql::calib::CalibrationReport on the common ChartView frame (export, theme, legend, tooltip) and
// computes nothing: every number comes from core/calibration.
#pragma once

#include <memory>
#include <vector>

#include "charts/chart_view.h"
#include "core/calibration/calibration.h"

namespace ql::ui {

// What the calibration charts draw: the report plus the view choices that are not in it.
struct CalibChartInputs {
    std::shared_ptr<const calib::CalibrationReport> report;
    bool logScale = true;   // log y on the method comparison bars
};

// Base of the calibration charts: they draw calib() instead of the analysis inputs().
class CalibrationChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    void setCalibration(const CalibChartInputs& in);
    const CalibChartInputs& calib() const { return calib_; }

protected:
    // true when the report exists and has no error; otherwise writes a note and returns false.
    bool haveReport(const QString& emptyNote);
    void markOutlierChannels(const std::vector<double>& perChannel, const QString& name);

private:
    CalibChartInputs calib_;
};

// 1. Relative layer-output error ||X W^T - X Wq^T||^2 / ||X W^T||^2 of every method that ran (bars,
// log option). Bar k is the k-th entry of report.methods.
class CalibMethodErrorChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_output_error"); }
    QString title() const override;
    QString explanation() const override;
    QString tooltipAt(const QPoint& pos) const override;
    static QString methodLabel(const std::string& method, int bits);   // "GPTQ\nINT4", "SmoothQuant\nW8A8 per token"

protected:
    void rebuild() override;
};

// 2. GPTQ column by column: each column's share of GPTQ's loss as quantization proceeds (processing
// order), and the running sum.
class GptqColumnErrorChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_gptq_columns"); }
    QString title() const override { return tr("GPTQ: error per column as quantization proceeds"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 3. The Hessian diagonal H_jj = 2/n sum_t x_tj^2 per input channel: which inputs matter.
class GptqHessianChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_gptq_hessian"); }
    QString title() const override { return tr("GPTQ: Hessian diagonal (which inputs matter)"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 3b. GPTQ against RTN, column by column (processing order): the squared weight error
// sum_rows (W - Q)^2 of each column. GPTQ's is not smaller (it moves error into later columns where
// the inputs tolerate it); its output error is (chart 1).
class GptqWeightErrorChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_gptq_weight_error"); }
    QString title() const override { return tr("GPTQ vs RTN: weight error per column"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 4. AWQ's search: loss against the ratio, the chosen ratio marked (a one-point graph whose
// objectName is "chosenRatio").
class AwqLossChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_awq_loss"); }
    QString title() const override { return tr("AWQ: output loss vs scaling ratio"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 5. AWQ's per-channel scales s at the chosen ratio, with mean |x| per channel.
class AwqScalesChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_awq_scales"); }
    QString title() const override;
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 6. SmoothQuant: per-channel max |X| and max |W| before and after smoothing.
class SmoothQuantMaxChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_smoothquant_channels"); }
    QString title() const override;
    QString explanation() const override;

protected:
    void rebuild() override;
};

// 7. SmoothQuant: histogram of the activation values before and after smoothing.
class SmoothQuantHistogramChart : public CalibrationChart {
    Q_OBJECT
public:
    using CalibrationChart::CalibrationChart;
    QString chartId() const override { return QStringLiteral("calibration_smoothquant_histogram"); }
    QString title() const override { return tr("SmoothQuant: activation values before and after"); }
    QString explanation() const override;

protected:
    void rebuild() override;
};

// Every calibration chart, in display order (the caller owns them).
std::vector<CalibrationChart*> createCalibrationCharts(QWidget* parent);

} // namespace ql::ui
