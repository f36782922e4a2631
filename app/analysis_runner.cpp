// Off-GUI-thread analysis with supersede/cancel and a tensor cache.
#include "analysis_runner.h"
#include "worker_pool.h"

#include <omp.h>

#include <QCoreApplication>
#include <QPromise>
#include <QtConcurrent>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "core/accelerator.h"
#include "core/format_quantizers.h"
#include "core/model_file.h"
#include "gpu/gpu_backend.h"

namespace ql::ui {

std::vector<QuantConfig> compareAllConfigs() {
    QuantConfig int8;
    int8.bits = 8;
    int8.scheme = Scheme::Symmetric;
    int8.granularity = Granularity::PerChannel;
    std::vector<QuantConfig> out = common_format_configs(int8);
    QuantConfig g128;
    g128.bits = 4;
    g128.scheme = Scheme::Asymmetric;
    g128.granularity = Granularity::PerGroup;
    g128.group_size = 128;
    QuantConfig pc4;
    pc4.bits = 4;
    pc4.scheme = Scheme::Symmetric;
    pc4.granularity = Granularity::PerChannel;
    out.insert(out.begin() + 1, {g128, pc4});
    return out;
}

namespace {

// The compare-all report depends on the tensor only: kept for the last tensor, so moving a slider
// does not redo it.
std::shared_ptr<const AnalysisReport> compareAllReport(const std::shared_ptr<const Tensor>& t, Accelerator* acc,
                                                       const std::function<bool(std::size_t, std::size_t)>& progress) {
    static std::mutex m;
    static std::weak_ptr<const Tensor> lastTensor;
    static std::shared_ptr<const AnalysisReport> last;
    {
        std::lock_guard<std::mutex> lock(m);
        if (last && lastTensor.lock() == t) return last;
    }
    AnalysisRequest req;
    req.tensor = t;
    for (QuantConfig c : compareAllConfigs())
        if (validate(c, t->shape).empty()) req.configs.push_back(c);
    req.options.layer_sim.enabled = false;
    req.options.forward_diff = false;
    req.options.snr_sweep = false;
    req.options.per_channel_error = false;
    req.options.sample_count = 0;
    req.options.accelerator = acc;
    auto rep = std::make_shared<const AnalysisReport>(analyze(req, progress));
    if (rep->cancelled) return nullptr;
    std::lock_guard<std::mutex> lock(m);
    lastTensor = t;
    last = rep;
    return rep;
}

} // namespace

std::shared_ptr<const GpuFitReport> makeGpuFit(const FitSettings& fit, const AnalysisReport* report) {
    const ModelPreset* model = find_model(fit.model);
    const double params = model ? model->params : fit.params;
    std::vector<MemoryFormat> formats = {{"FP32", 32}, {"FP16", 16}, {"INT8", 8}, {"INT4", 4}};
    // Each configuration at its bits per weight on the model's matrices, not on this tensor: a preset's
    // hidden x hidden matrices have rows of whole blocks and spread a per-row scale over `hidden` weights
    // (INT4 per channel on this tensor's rows of 96 values: 4.375 bits; on a 7B model's rows of 4096:
    // 4.009). Without a preset, the tensor's own bits less the padding of its rows (Q4_K on rows of 1000
    // values: 2% more bits), as a model's rows are whole blocks.
    if (report)
        for (const auto& c : report->configs) {
            if (!c.error.empty() || c.storage.bits_per_weight <= 0) continue;
            double bits = whole_block_bits(c.storage, report->tensor.numel);
            bool onModel = false;
            if (model && model->hidden > 0) {
                try {
                    bits = storage_for_shape(c.config, {model->hidden, model->hidden}).bits_per_weight;
                    onModel = true;
                } catch (const std::invalid_argument&) {
                    // a configuration that does not fit the model's shape keeps this tensor's bits
                }
            }
            // where the bits differ from the metrics table's, the chart's tooltip says why
            QString note;
            if (std::fabs(bits - c.storage.bits_per_weight) > 5e-5 * c.storage.bits_per_weight)
                note = onModel ? QCoreApplication::translate("AnalysisRunner", "%1 bits per weight on the model's %2 x %2 matrices; "
                                                                               "%3 on this tensor (its rows are shorter or pad their blocks)")
                                     .arg(bits, 0, 'g', 6)
                                     .arg(model->hidden)
                                     .arg(c.storage.bits_per_weight, 0, 'g', 6)
                               : QCoreApplication::translate("AnalysisRunner", "%1 bits per weight without the padding of this "
                                                                               "tensor's rows (%2 with it): a model's rows are whole blocks")
                                     .arg(bits, 0, 'g', 6)
                                     .arg(c.storage.bits_per_weight, 0, 'g', 6);
            formats.push_back({c.config.display_name(), bits, note.toStdString()});
        }
    KvCacheOptions kv;
    kv.context = model ? fit.kvContext : 0;
    return std::make_shared<const GpuFitReport>(gpu_fit_report(params, formats, fit.gpus, model, kv, fit.headroom));
}

namespace {

// The tensor of a source: generated, or read from its file (only the selected tensor).
std::shared_ptr<const Tensor> makeTensor(const TensorSource& src, const ProgressFn& progress, QString* error) {
    if (!src.fromFile) {
        try {
            return std::make_shared<const Tensor>(generate(src.generator, progress));
        } catch (const std::exception& e) {
            *error = QCoreApplication::translate("AnalysisRunner", "cannot generate the tensor: %1").arg(QString::fromStdString(e.what()));
            return nullptr;
        }
    }
    auto mf = open_model_file(src.file);
    if (!mf) {
        *error = QString::fromStdString(mf.error().message());
        return nullptr;
    }
    const auto& file = *mf.value();
    std::string name = src.tensor;
    if (name.empty()) {
        if (file.tensors().empty()) {
            *error = QCoreApplication::translate("AnalysisRunner", "%1 holds no tensors").arg(QString::fromStdString(src.file));
            return nullptr;
        }
        name = file.tensors().front().name;
    }
    auto t = file.load(name);
    if (!t) {
        *error = QString::fromStdString(t.error().message());
        return nullptr;
    }
    return std::make_shared<const Tensor>(std::move(t).value());
}

// The analysis threads yield to the GUI thread: with two cores, the OpenMP team of an analysis and
// the GUI thread painting the previous result would otherwise share the CPUs evenly, and a paint of
// the window could take up to twice as long. Nice 5 gives the GUI thread three times a worker's share
// of a contended core; much more would starve the analysis against any other busy program. A nice
// value is per thread on Linux; threads the worker starts later inherit it, and a thread may always
// lower its own priority. (The parts computed while the window paints also use one thread fewer.)
constexpr int kWorkerNice = 5;

void lowerThreadPriority() {
#ifdef __linux__
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    if (getpriority(PRIO_PROCESS, tid) < kWorkerNice) setpriority(PRIO_PROCESS, tid, kWorkerNice);
#endif
}

// The calling thread and its OpenMP team, for the window's jobs.
void lowerWorkerPriority() {
    lowerThreadPriority();
#pragma omp parallel
    lowerThreadPriority();
}

} // namespace

AnalysisResult runAnalysisJob(const Session& s, const std::shared_ptr<const Tensor>& cachedTensor, Accelerator* accelerator,
                              const std::function<bool(int)>& progress, const std::function<void(const AnalysisResult&)>& partial) {
    const auto t0 = std::chrono::steady_clock::now();
    AnalysisResult r;
    r.tensor = cachedTensor;
    if (!r.tensor) {
        r.tensor = makeTensor(s.tensor, [&](std::size_t d, std::size_t t) { return progress(static_cast<int>(200 * d / std::max<std::size_t>(t, 1))); },
                              &r.error);
        if (!r.tensor) {
            r.cancelled = r.error.contains(QStringLiteral("cancelled"));
            r.gpuFit = makeGpuFit(s.fit, nullptr);
            return r;
        }
    }
    AnalysisRequest req;
    req.tensor = r.tensor;
    req.configs = s.configs;
    req.options = s.analysis;
    req.options.accelerator = accelerator;
    // The window's job comes in up to four results: the charts' part, then the layer simulation (the
    // error-through-layers chart), then the SNR sweeps of solver formats not yet in the memo (HQQ's
    // curve on the SNR chart), then the forward differences (the table's output-error column).
    const bool splitLayers = partial && req.options.layer_sim.enabled;
    const bool splitForward = partial && req.options.forward_diff;
    const bool splitSweeps = partial && req.options.snr_sweep && std::any_of(req.configs.begin(), req.configs.end(), snr_sweep_solves);
    if (splitLayers) req.options.layer_sim.enabled = false;
    if (splitForward) req.options.forward_diff = false;
    if (splitSweeps) req.options.snr_sweep_solvers = false;
    const int span = s.view.compareAll ? 400 : 800;
    auto report = std::make_shared<AnalysisReport>(analyze(req, [&](std::size_t d, std::size_t t) {
        return progress(200 + static_cast<int>(span * d / std::max<std::size_t>(t, 1)));
    }));
    r.cancelled = report->cancelled;
    if (s.view.compareAll && !r.cancelled) {
        r.compare = compareAllReport(r.tensor, accelerator, [&](std::size_t d, std::size_t t) {
            return progress(600 + static_cast<int>(400 * d / std::max<std::size_t>(t, 1)));
        });
        r.cancelled = !r.compare;
    }
    r.gpuFit = makeGpuFit(s.fit, report.get());
    const bool sweepsMissing = splitSweeps && std::any_of(report->configs.begin(), report->configs.end(), [](const ConfigReport& c) {
                                   return c.error.empty() && snr_sweep_solves(c.config) && c.snr_vs_bits.empty();
                               });
    if ((splitLayers || sweepsMissing || splitForward) && !r.cancelled) {
        report->layers_pending = splitLayers;
        report->sweeps_pending = sweepsMissing;
        report->forward_pending = splitForward;
        r.report = report;
        r.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        partial(r);
        // A report handed out is shown and never changes: each later part goes into a copy. The
        // window's partial() returns once it has painted the first part, so the later parts take
        // every thread.
        const auto tick = [&](std::size_t, std::size_t) { return progress(1000); };
        auto refine = [&](const auto& add) {
            auto next = std::make_shared<AnalysisReport>(*report);
            const auto p0 = std::chrono::steady_clock::now();
            r.cancelled = !add(*next);
            next->compute_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p0).count();
            report = std::move(next);
        };
        if (splitLayers) {
            req.options.layer_sim.enabled = true;
            refine([&](AnalysisReport& rep) { return add_layer_sims(req, rep, tick); });
            if ((sweepsMissing || splitForward) && !r.cancelled) {
                r.report = report;
                partial(r);
            }
        }
        if (sweepsMissing && !r.cancelled) {
            req.options.snr_sweep_solvers = true;
            refine([&](AnalysisReport& rep) { return add_snr_sweeps(req, rep, tick); });
            if (splitForward && !r.cancelled) {
                r.report = report;
                partial(r);
            }
        }
        if (splitForward && !r.cancelled) {
            req.options.forward_diff = true;
            refine([&](AnalysisReport& rep) { return add_forward_diffs(req, rep, tick); });
        }
    }
    r.report = std::move(report);
    r.totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

// The hand-over between a job and the GUI thread. Measured on two cores, the later parts running
// while the GUI thread paints the first made its first chart's replot take several times its CPU
// time; so the job, having given its first part, waits until the window has painted it (or the job
// is cancelled, or a generous timeout passes, so that a window that does not paint never holds back
// the rest), and the later parts then have both cores.
struct AnalysisRunner::Gate {
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
    void release() {
        {
            std::lock_guard<std::mutex> lock(m);
            open = true;
        }
        cv.notify_all();
    }
    void wait(const QPromise<AnalysisResult>& promise) {
        using namespace std::chrono_literals;
        const auto deadline = std::chrono::steady_clock::now() + 500ms;
        std::unique_lock<std::mutex> lock(m);
        while (!open && !promise.isCanceled() && std::chrono::steady_clock::now() < deadline) cv.wait_for(lock, 5ms);
    }
};

AnalysisRunner::AnalysisRunner(QObject* parent) : QObject(parent), accelerator_(gpu::make_accelerator()) {
    qRegisterMetaType<ql::ui::AnalysisResult>();
    coalesce_.setSingleShot(true);
    coalesce_.setInterval(0);  // no added latency: a drag supersedes the running job instead
    connect(&coalesce_, &QTimer::timeout, this, &AnalysisRunner::startPending);
    connect(&watcher_, &QFutureWatcherBase::resultReadyAt, this, &AnalysisRunner::onResultReady);
    connect(&watcher_, &QFutureWatcherBase::finished, this, &AnalysisRunner::onFinished);
    connect(&watcher_, &QFutureWatcherBase::progressValueChanged, this, &AnalysisRunner::progressChanged);
}

AnalysisRunner::~AnalysisRunner() {
    pending_.reset();
    watcher_.cancel();
    watcher_.waitForFinished();
}

QString AnalysisRunner::backendName() const {
    if (accelerator_) return QString::fromStdString(accelerator_->name());
    return QStringLiteral("CPU");
}

void AnalysisRunner::request(const Session& s) {
    pending_ = s;
    if (watcher_.isRunning()) watcher_.cancel();  // the job sees it at its next progress report
    if (!coalesce_.isActive()) coalesce_.start();
}

void AnalysisRunner::cancel() {
    const bool dropped = pending_.has_value() || watcher_.isRunning();
    pending_.reset();
    coalesce_.stop();
    if (watcher_.isRunning()) watcher_.cancel();
    if (dropped) emit cancelled();
}

void AnalysisRunner::startPending() {
    if (!pending_ || watcher_.isRunning()) return;  // onFinished() starts it once the running job stops
    const Session s = *pending_;
    pending_.reset();
    std::shared_ptr<const Tensor> cached;
    {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (cachedTensor_ && cachedSource_ == s.tensor) cached = cachedTensor_;
    }
    Accelerator* acc = accelerator_.get();
    partialShown_ = false;
    gate_ = std::make_shared<Gate>();
    emit started();
    watcher_.setFuture(QtConcurrent::run(workerPool(), [s, cached, acc, gate = gate_](QPromise<AnalysisResult>& promise) {
        lowerWorkerPriority();
        promise.setProgressRange(0, 1000);
        auto progress = [&promise](int permille) {
            promise.setProgressValue(permille);
            return !promise.isCanceled();
        };
        bool first = true;
        promise.addResult(runAnalysisJob(s, cached, acc, progress, [&](const AnalysisResult& p) {
            promise.addResult(p);
            if (first) gate->wait(promise);
            first = false;
        }));
    }));
    std::lock_guard<std::mutex> lock(cacheMutex_);
    cachedSource_ = s.tensor;
    cachedTensor_.reset();  // filled from the result
}

void AnalysisRunner::onResultReady(int index) {
    const AnalysisResult r = watcher_.future().resultAt(index);
    {
        std::lock_guard<std::mutex> lock(cacheMutex_);
        if (r.tensor) cachedTensor_ = r.tensor;
    }
    // A superseded job's result is dropped: the newer request is about to run.
    if (pending_) return;
    const bool partial = r.report && (r.report->forward_pending || r.report->layers_pending || r.report->sweeps_pending);
    if (partialShown_) {  // a later part of the result on screen
        partialShown_ = partial;
        if (partial) emit refined(r);
        else emit completed(r);
        return;
    }
    partialShown_ = partial;
    emit finished(r);
    if (partial && gate_) {
        // The charts queue their replots (posted calls) while handling finished(); each replot marks
        // its chart for the window's paint, which Qt posts at low priority. The gate opens from an
        // event of a still lower priority: it is delivered after every posted paint, whenever posted.
        struct Opener : QObject {
            std::shared_ptr<Gate> gate;
            bool event(QEvent* e) override {
                if (e->type() != QEvent::User) return QObject::event(e);
                gate->release();
                deleteLater();
                return true;
            }
        };
        auto* opener = new Opener;
        opener->gate = gate_;
        QCoreApplication::postEvent(opener, new QEvent(QEvent::User), Qt::LowEventPriority - 1);
    }
}

void AnalysisRunner::onFinished() {
    if (pending_) startPending();
}

void AnalysisRunner::waitForIdle() {
    while (pending_ || watcher_.isRunning() || coalesce_.isActive()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (coalesce_.isActive() && !watcher_.isRunning()) {
            coalesce_.stop();
            startPending();
        }
    }
    QCoreApplication::processEvents();
}

} // namespace ql::ui
