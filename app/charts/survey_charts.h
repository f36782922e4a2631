// Charts of the whole-model survey (core/model_survey.h): the SQNR of every weight tensor per
// configuration along the model (which layers suffer most), and the model's fit on GPUs for its real
// parameter count. They draw a finished ModelSurvey / GpuFitReport and compute nothing.
#pragma once

#include <memory>
#include <vector>

#include "charts/charts.h"
#include "core/model_survey.h"

namespace ql::ui {

class ModelSqnrChart : public ChartView {
    Q_OBJECT
public:
    using ChartView::ChartView;
    QString chartId() const override { return QStringLiteral("model_sqnr"); }
    QString title() const override { return tr("SQNR of every weight tensor along the model"); }
    QString explanation() const override;
    // colors: one per configuration of the survey.
    void setSurvey(std::shared_ptr<const ModelSurvey> survey, std::vector<QColor> colors);
    const std::shared_ptr<const ModelSurvey>& survey() const { return survey_; }
    // The tensor nearest to pos, its configuration and SQNR ("" when none is near).
    QString tooltipAt(const QPoint& pos) const override;

    // The layer number in a tensor name: the first all-digit dotted part ("model.layers.12.mlp..." and
    // GGUF's "blk.12.attn_q.weight" give 12), -1 when there is none.
    static int layerOf(const std::string& name);

protected:
    void rebuild() override;

private:
    std::shared_ptr<const ModelSurvey> survey_;
    std::vector<QColor> colors_;
};

// The GPU-fit chart for a surveyed model (its own file name next to the window's "gpu_fit").
class ModelGpuFitChart : public GpuFitChart {
    Q_OBJECT
public:
    using GpuFitChart::GpuFitChart;
    QString chartId() const override { return QStringLiteral("model_gpu_fit"); }
};

} // namespace ql::ui
