// Whole-model survey in the window: every weight tensor of the open model quantized with each
// configuration (core's survey_model) off the GUI thread, with progress and cancel. Shows total
// parameters, the model's memory per format, its GPU fit for the real parameter count, a table of each
// configuration's mean and worst SQNR, and the SQNR of every weight tensor along the model.
#pragma once

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

#include "core/memory.h"
#include "core/model_survey.h"
#include "next_turn.h"
#include "session.h"
#include "theme.h"

class QLabel;
class QSplitter;
class QTabWidget;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace ql::ui {

class ChartView;
class ModelSqnrChart;
class ModelGpuFitChart;

class SurveyPanel : public QWidget {
    Q_OBJECT
public:
    explicit SurveyPanel(QWidget* parent = nullptr);
    ~SurveyPanel() override;  // cancels and waits for a running survey

    // Starts a survey of `model` with `configs`; a running one is cancelled first. fit: the GPUs and
    // headroom of the window's GPU-fit settings.
    void start(std::shared_ptr<const ModelFile> model, const std::vector<QuantConfig>& configs, const FitSettings& fit);
    void cancel();
    bool busy() const { return running_; }
    int progress() const { return watcher_.progressValue(); }  // per mille of the weights surveyed
    void waitForIdle();  // tests

    std::shared_ptr<const ModelSurvey> survey() const { return survey_; }
    // Shows a finished survey: tables, charts and GPU fit (a survey's end calls it; tests give their own).
    void showSurvey(const std::shared_ptr<const ModelSurvey>& s);
    std::shared_ptr<const GpuFitReport> gpuFit() const { return fit_; }
    ModelSqnrChart* sqnrChart() const { return sqnrChart_; }
    ModelGpuFitChart* fitChart() const { return fitChart_; }
    QTableWidget* summaryTable() const { return summary_; }
    QTableWidget* memoryTable() const { return memory_; }
    void setChartStyle(const ChartStyle& style);
    // True when the charts are tabs beside the tables (a short panel: the survey's tab in the window's
    // default arrangement) rather than under them.
    bool chartsBesideTables() const;

signals:
    void finished();                                  // a survey ended (done or cancelled)
    // Emitted on the survey's worker thread at every progress report, before the job checks for
    // cancel (weights surveyed so far, of all). A Qt::BlockingQueuedConnection acts at an exact point.
    void workerProgress(qulonglong done, qulonglong total);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void arrange();  // the charts under the tables, or as more tabs beside them in a short panel
    QSplitter* split_ = nullptr;
    QTabWidget* tables_ = nullptr;
    QTabWidget* charts_ = nullptr;
    NextTurn arrangeSoon_{this, [this] { arrange(); }};
    void onFinished();

    QFutureWatcher<ModelSurvey> watcher_;
    // a survey started and its finished() not yet handled (the future reports finished a moment before
    // the watcher's signal arrives)
    bool running_ = false;
    std::shared_ptr<std::atomic<bool>> stop_;
    std::shared_ptr<const ModelFile> model_;          // kept open while a survey reads it
    std::shared_ptr<const ModelSurvey> survey_;
    std::shared_ptr<const GpuFitReport> fit_;
    FitSettings fitSettings_;

    QLabel* header_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QTableWidget* summary_;
    QTableWidget* memory_;
    ModelSqnrChart* sqnrChart_;
    ModelGpuFitChart* fitChart_;
};

// The GPU fit of a surveyed model: each memory row of the survey (plain formats and configurations,
// in its true bytes) against the chosen GPUs.
std::shared_ptr<const GpuFitReport> surveyGpuFit(const ModelSurvey& s, const FitSettings& fit);

} // namespace ql::ui
