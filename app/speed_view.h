// SpeedView: the Speed dock (issue 7). The learner picks a layer shape (presets or free entry), the
// batches (decode 1, prefill 512), the formats and the repeats, presses Run, and sees the measured
// time per format beside its memory-read floor on this CPU and, when there is one, the CUDA device
// (a table and a chart), the decode tokens/s this implies on each catalog GPU and this CPU (with the
// seed's figures), and a roofline against each device's measured roofs. One line says which GPU is
// measured or why none is. The measurement (gpu::run_speed_with_gpu: core's run_speed() on the CPU,
// then gpu/gpu_speed.h) runs on a worker thread (QtConcurrent) with progress and cancel; the window
// never blocks. Tests inject their own measurement (setMeasurement) to show GPU rows without a device.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

#include <QFutureWatcher>
#include <QWidget>

class QScrollArea;

#include "charts/speed_charts.h"
#include "next_turn.h"
#include "core/speed/speed_bench.h"

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;

namespace ql::ui {

class SpeedView : public QWidget {
    Q_OBJECT
public:
    explicit SpeedView(QWidget* parent = nullptr);
    ~SpeedView() override;

    // What Run calls on the worker thread; by default gpu::run_speed_with_gpu (CPU, then the GPU).
    using MeasureFn = std::function<speed::SpeedReport(const speed::SpeedRequest&, const ProgressFn&)>;
    void setMeasurement(MeasureFn measure) { measure_ = std::move(measure); }

    // The request the controls describe (the rotation size is not a control: 1 GiB unless set here).
    speed::SpeedRequest request() const;
    void setRotateBytes(double bytes) { rotateBytes_ = bytes; }
    void setShape(int rows, int cols);
    void setBatches(bool decode, bool prefill, int prefillBatch);
    void setFormats(bool fp32, bool int8, bool w4);
    void setRepeats(int repeats);

    void setChartStyle(const ChartStyle& style);   // the window's theme and presentation mode
    bool isRunning() const;
    std::shared_ptr<const speed::SpeedReport> report() const { return report_; }
    std::shared_ptr<const speed::DecodeEstimate> decodeEstimate() const { return decode_; }
    SpeedTimeChart* timeChart() const { return timeChart_; }
    DecodeTokensChart* decodeChart() const { return decodeChart_; }
    RooflineChart* rooflineChart() const { return rooflineChart_; }
    QTableWidget* table() const { return table_; }
    QString gpuLine() const;              // "GPU: <name> ..." or "GPU: none (<reason>)", as shown
    QString statusText() const;
    // True when the controls are the first tab ("Settings") of the charts' tabs: a view too narrow for
    // them and a chart side by side (a tab in the window's default arrangement).
    bool controlsInTabs() const;

public slots:
    void run();
    void cancel();

signals:
    void finished();                      // after a run ends (done, cancelled or failed)
    // A chart's Export menu (the window asks where and at what size: MainWindow::exportChart).
    void exportRequested(ql::ui::ChartView* chart, ql::ui::ExportFormat format);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Outcome {
        std::shared_ptr<const speed::SpeedReport> report;
        QString error;
    };
    void onFinished();
    void updateDecode();
    void fillTable();
    void showGpuLine();
    void applyChartStyle();
    std::optional<ChartStyle> windowStyle_;  // setChartStyle()'s
    void fitControls();  // the controls' column as wide as their fields need, up to half the view
    QScrollArea* controlsScroll_ = nullptr;
    void arrange();      // controls beside the charts, or as their first tab when the view is narrow
    QHBoxLayout* sideLayout_ = nullptr;
    NextTurn arrangeSoon_{this, [this] { arrange(); }};

    QComboBox* preset_ = nullptr;
    QSpinBox* rows_ = nullptr;
    QSpinBox* cols_ = nullptr;
    QCheckBox* decode1_ = nullptr;
    QCheckBox* prefill_ = nullptr;
    QSpinBox* prefillBatch_ = nullptr;
    QCheckBox* fp32_ = nullptr;
    QCheckBox* int8_ = nullptr;
    QCheckBox* w4_ = nullptr;
    QSpinBox* repeats_ = nullptr;
    QComboBox* model_ = nullptr;
    QSpinBox* context_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* gpuLine_ = nullptr;
    QTableWidget* table_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    SpeedTimeChart* timeChart_ = nullptr;
    DecodeTokensChart* decodeChart_ = nullptr;
    RooflineChart* rooflineChart_ = nullptr;

    MeasureFn measure_;
    double rotateBytes_ = kBytesPerGiB;
    std::shared_ptr<std::atomic<bool>> cancelFlag_;
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<const speed::SpeedReport> report_;
    std::shared_ptr<const speed::DecodeEstimate> decode_;
};

} // namespace ql::ui
