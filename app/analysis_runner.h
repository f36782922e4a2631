// AnalysisRunner: runs core's analysis off the GUI thread (QtConcurrent + QFutureWatcher). A new
// request supersedes the running one: the running job is cancelled through core's progress callback
// and the newest request starts as soon as it stops. Generated and loaded tensors are cached while
// their source is unchanged, so moving a slider only re-runs the quantization.
#pragma once

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>
#include <mutex>
#include <optional>

#include "core/analysis.h"
#include "core/memory.h"
#include "session.h"

namespace ql {
class Accelerator;
}

namespace ql::ui {

struct AnalysisResult {
    std::shared_ptr<const Tensor> tensor;
    std::shared_ptr<const AnalysisReport> report;
    std::shared_ptr<const GpuFitReport> gpuFit;
    std::shared_ptr<const AnalysisReport> compare;  // every format at its common settings (view.compareAll)
    QString error;          // non-empty: the tensor could not be made or loaded (the report is empty)
    double totalMs = 0;     // wall time of the job, tensor creation included
    bool cancelled = false;
};

// The GPU-fit report for a session: FP16, INT8, INT4 and each configuration's true bits per weight.
std::shared_ptr<const GpuFitReport> makeGpuFit(const FitSettings& fit, const AnalysisReport* report);

// Runs the whole job synchronously (headless export, tests): tensor, analysis, GPU fit. With `partial`
// set, the parts no other chart needs come later: the result without the layer simulation, the
// solver formats' SNR sweeps not yet in the memo and the forward differences (report->layers_pending,
// sweeps_pending, forward_pending) goes to `partial` first, so the window draws the other charts while
// the layers are simulated; then the result with the layers, then with the sweeps (HQQ solves the
// tensor at 7 bit widths: up to seconds on 4096x4096), each while later parts are still pending; the
// returned result is complete, with the forward products (about 1 GFLOP per configuration on
// 4096x4096) that fill the table's output-error column. The first call of `partial`
// may block until the window has painted that part (the runner's does): the later parts then run
// on every thread without slowing the painting GUI thread.
AnalysisResult runAnalysisJob(const Session& s, const std::shared_ptr<const Tensor>& cachedTensor, Accelerator* accelerator,
                              const std::function<bool(int permille)>& progress,
                              const std::function<void(const AnalysisResult&)>& partial = {});

// The configurations of "compare all formats": every format at its common settings (INT8 per channel
// for the integer path) plus INT4 asymmetric with groups of 128 and INT4 symmetric per channel.
std::vector<QuantConfig> compareAllConfigs();

class AnalysisRunner : public QObject {
    Q_OBJECT
public:
    explicit AnalysisRunner(QObject* parent = nullptr);
    ~AnalysisRunner() override;  // cancels and waits for the running job

    // Queues s; requests made in the same pass of the event loop (several panels changing at once) are
    // coalesced into the newest, which starts as soon as control returns to the loop.
    void request(const Session& s);
    // Drops the queued request and stops the running job; cancelled() says so when there was either
    // (a stopped job's result never arrives).
    void cancel();
    bool busy() const { return watcher_.isRunning(); }
    QString backendName() const;
    // Blocks until the queue is empty and no job runs (tests, headless export).
    void waitForIdle();

signals:
    void started();
    void progressChanged(int permille);
    // A result to show: complete, or the charts' part (report->layers_pending, sweeps_pending or
    // forward_pending) that refined() and completed() follow.
    void finished(const ql::ui::AnalysisResult& result);
    // A later part of the result finished() gave, not yet complete: the layer simulation or the
    // sweeps are in.
    void refined(const ql::ui::AnalysisResult& result);
    // The complete result of the job whose partial result finished() gave: only the layer simulation,
    // the sweeps and the forward differences were added (the charts drawn from the partial stay valid).
    void completed(const ql::ui::AnalysisResult& result);
    // cancel() dropped a queued request or stopped a job: no result follows for it.
    void cancelled();

private:
    void startPending();
    void onResultReady(int index);
    void onFinished();

    QFutureWatcher<AnalysisResult> watcher_;
    QTimer coalesce_;
    std::optional<Session> pending_;
    bool partialShown_ = false;  // the running job's partial result went out through finished()
    // Opened by the GUI thread once the running job's first part has been painted: the job waits
    // for it before the later parts (see Gate in analysis_runner.cpp).
    struct Gate;
    std::shared_ptr<Gate> gate_;
    std::unique_ptr<Accelerator> accelerator_;
    // tensor cache: the last source and its tensor
    std::mutex cacheMutex_;
    TensorSource cachedSource_;
    std::shared_ptr<const Tensor> cachedTensor_;
};

} // namespace ql::ui

Q_DECLARE_METATYPE(ql::ui::AnalysisResult)
