// quantlens bench --only gui: the window's responsiveness. For 1000x1000 and NxN (--size, 4096 by
// default) tensors with the two default configurations, it moves the INT4 configuration's bit-width
// slider like a user and times (a) the whole update, from the changed setting to every visible chart redrawn,
// against a plain read of the same tensor measured in the same run (core's memos of the moved
// configuration are dropped before each move, so every update is a first visit of its bit width; the
// untouched INT8 configuration keeps its memos, as in the window), and (b) the GUI thread: the
// longest stall seen by an event-loop probe (a 1 ms precise timer whose late ticks are stalls) and the
// total time the GUI thread spent dispatching events during the update, with the thread's CPU time in
// those events (the difference is time the thread waited or was descheduled) and the event kinds it
// went to. Targets: the GUI-thread work
// of an update under one 60 Hz frame (16.7 ms), the whole update within 10 plain reads.
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSlider>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "charts/chart_view.h"
#include "cli/bench.h"
#include "core/analysis.h"
#include "core/generators.h"
#include "main_window.h"
#include "panels/config_panel.h"

namespace ql::cli {
namespace {

// Times every top-level event dispatch of the GUI thread while `measuring` is set.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool measuring = false;
    double workMs = 0;        // sum of top-level dispatch times
    double longestMs = 0;     // longest single top-level dispatch
    double cpuMs = 0;         // the GUI thread's CPU time in those dispatches
    bool beforeResult = false; // set while the update's analysis result has not arrived
    double beforeResultMs = 0; // dispatch time while it was set: work that shares the cores with the analysis
    // dispatch time per (event type, receiver class), summed over every measured update
    std::map<std::pair<int, const char*>, std::pair<double, double>> byKind;  // wall ms, CPU ms
    bool notify(QObject* receiver, QEvent* event) override {
        if (!measuring || depth_ > 0) {
            ++depth_;
            const bool r = QApplication::notify(receiver, event);
            --depth_;
            return r;
        }
        // read before dispatching: the receiver may be deleted by its event
        const std::pair<int, const char*> kind{static_cast<int>(event->type()), receiver->metaObject()->className()};
        const double cpu0 = threadCpuMs();
        QElapsedTimer t;
        t.start();
        ++depth_;
        const bool r = QApplication::notify(receiver, event);
        --depth_;
        const double ms = static_cast<double>(t.nsecsElapsed()) / 1e6;
        const double cpu = threadCpuMs() - cpu0;
        workMs += ms;
        cpuMs += cpu;
        if (beforeResult) beforeResultMs += ms;
        longestMs = std::max(longestMs, ms);
        auto& k = byKind[kind];
        k.first += ms;
        k.second += cpu;
        return r;
    }
    static double threadCpuMs() {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
    }

private:
    int depth_ = 0;
};

// Runs a function after the window's queued paints: a widget's update() posts its window's paint at
// low priority, behind every normal event, so a zero timer could fire before it.
class AfterPaints : public QObject {
public:
    explicit AfterPaints(std::function<void()> fn) : fn_(std::move(fn)) {}
    void post() { QCoreApplication::postEvent(this, new QEvent(QEvent::User), Qt::LowEventPriority); }
    bool event(QEvent* e) override {
        if (e->type() != QEvent::User) return QObject::event(e);
        fn_();
        return true;
    }

private:
    std::function<void()> fn_;
};

struct UpdateSample {
    double updateMs = 0;      // changed setting -> every chart replotted and painted
    double completeMs = 0;    // changed setting -> the metrics table's forward differences in too
    double stallMs = 0;       // longest late tick of the probe (its 1 ms period subtracted)
    double workMs = 0;        // GUI-thread event dispatch time during the update
    double cpuMs = 0;         // the GUI thread's CPU time in those events
    double longestEventMs = 0;
    double partialMs = 0;     // the worker's time for the charts' part of the analysis
    double beforeResultMs = 0; // GUI-thread work between the changed setting and the analysis result
    bool timedOut = false;
};

// Moves the slider to `bits` and runs the event loop until every visible chart has replotted after the
// new analysis was shown.
UpdateSample measureUpdate(ui::MainWindow& w, TimedApplication* app, int bits) {
    UpdateSample s;
    std::set<QObject*> replotted;
    bool shown = false;
    QEventLoop loop;
    QList<QMetaObject::Connection> links;
    // Charts in hidden tabs redraw when shown (ChartView::queueReplot): the update is done when every
    // chart on screen has replotted.
    std::size_t nCharts = 0;
    for (ui::ChartView* c : w.charts()) nCharts += c->onScreen() ? 1 : 0;
    // The charts are drawn from the analysis without the forward differences; the table's column
    // follows (MainWindow::analysisCompleted). The update is over when both are in.
    QElapsedTimer clock;
    bool chartsDone = false, tableDone = false;
    auto maybeQuit = [&] {
        if (chartsDone && tableDone) loop.quit();
    };
    links << QObject::connect(&w, &ui::MainWindow::analysisShown, &loop, [&] {
        shown = true;
        if (app) app->beforeResult = false;
        replotted.clear();
        tableDone = !(w.lastReport() && w.lastReport()->forward_pending);
        if (w.lastReport()) s.partialMs = w.lastReport()->compute_ms;
        if (tableDone) s.completeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    });
    links << QObject::connect(&w, &ui::MainWindow::analysisCompleted, &loop, [&] {
        tableDone = true;
        s.completeMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        maybeQuit();
    });
    AfterPaints painted([&] {
        chartsDone = true;
        s.updateMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        maybeQuit();
    });
    for (ui::ChartView* c : w.charts())
        links << QObject::connect(c, &QCustomPlot::afterReplot, &loop, [&, c] {
            if (!shown) return;
            replotted.insert(c);
            if (replotted.size() == nCharts) painted.post();  // done once the paints queued now are painted
        });

    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    qint64 last = 0;
    QObject::connect(&probe, &QTimer::timeout, &loop, [&] {
        const qint64 now = clock.nsecsElapsed();
        s.stallMs = std::max(s.stallMs, static_cast<double>(now - last) / 1e6 - 1.0);
        last = now;
    });
    QTimer guard;  // a broken update must not hang the benchmark
    guard.setSingleShot(true);
    QObject::connect(&guard, &QTimer::timeout, &loop, [&] {
        s.timedOut = true;
        loop.quit();
    });

    if (app) {
        app->workMs = 0;
        app->cpuMs = 0;
        app->longestMs = 0;
        app->beforeResultMs = 0;
        app->beforeResult = true;
        app->measuring = true;
    }
    clock.start();
    probe.start();
    guard.start(120000);
    QTimer::singleShot(0, &loop, [&] {
        clock.restart();
        last = 0;
        w.configPanel()->bitsSlider()->setValue(bits);
    });
    loop.exec();
    if (s.timedOut) s.updateMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    s.completeMs = std::max(s.completeMs, s.updateMs);
    probe.stop();
    if (app) {
        app->measuring = false;
        app->beforeResult = false;
        s.beforeResultMs = app->beforeResultMs;
        s.workMs = app->workMs;
        s.cpuMs = app->cpuMs;
        s.longestEventMs = app->longestMs;
    }
    for (const auto& l : links) QObject::disconnect(l);
    return s;
}

QString eventName(int type) {
    switch (type) {
    case QEvent::MetaCall: return QStringLiteral("queued call");
    case QEvent::UpdateRequest: return QStringLiteral("paint");
    case QEvent::LayoutRequest: return QStringLiteral("layout");
    case QEvent::Timer: return QStringLiteral("timer");
    case QEvent::FutureCallOut: return QStringLiteral("analysis result");
    default: return QStringLiteral("event %1").arg(type);
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}
double maximum(const std::vector<double>& v) { return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()); }

} // namespace

void bench_gui(const BenchOptions& opt, nlohmann::json& out) {
    TimedApplication* app = nullptr;
    static int argc = 1;
    static char name[] = "quantlens";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance()) {
        if (!std::getenv("QT_QPA_PLATFORM") && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY"))
            setenv("QT_QPA_PLATFORM", "offscreen", 1);
        app = new TimedApplication(argc, argv);  // lives until the process ends, as a QApplication should
        QApplication::setApplicationName(QStringLiteral("QuantLens-bench"));  // own QSettings: the user's are untouched
        QApplication::setOrganizationName(QStringLiteral("QuantLens"));
    } else {
        app = dynamic_cast<TimedApplication*>(QCoreApplication::instance());
    }
    if (!opt.json) {
        std::printf("GUI update: INT4 slider moved (4 -> 3 -> 4 ...), two configurations, every visible chart redrawn (%s platform)\n",
                    QApplication::platformName().toLocal8Bit().constData());
        std::printf("  %-11s %9s %9s %8s %9s %8s %14s %10s %14s %14s\n", "tensor", "read ms", "update ms", "reads", "table ms", "reads",
                    "GUI work ms", "GUI CPU ms", "longest ev ms", "probe stall ms");
    }
    std::vector<std::int64_t> sizes{1000};
    if (opt.size != 1000) sizes.push_back(opt.size);
    for (std::int64_t n : sizes) {
        ui::Session s = ui::Session::defaults();
        s.tensor.generator.shape = {n, n};
        s.configs[1].bits = 4;

        const Tensor t = generate(s.tensor.generator);
        const Timing read = plain_read(t.data(), t.numel(), opt.repeats * 3);

        ui::MainWindow w;
        w.resize(1600, 1000);
        w.show();
        w.setSession(s);
        w.runner()->waitForIdle();
        w.configPanel()->setCurrent(1);
        QCoreApplication::processEvents();

        (void)measureUpdate(w, app, 3);  // warm-up: first analysis after the tensor was made
        std::vector<double> upd, complete, work, cpu, longest, stall, analysis, partial, before;
        if (app) app->byKind.clear();
        bool timedOut = false;
        for (int r = 0; r < std::max(opt.repeats, 1); ++r) {
            // a first visit of the new bit width, not a memo hit; the INT8 configuration, which the user
            // did not touch, keeps its memos as it would in the window
            const int bits = r % 2 == 0 ? 4 : 3;
            QuantConfig moved = s.configs[1];
            moved.bits = bits;
            forget_configuration_memos(moved);
            const UpdateSample u = measureUpdate(w, app, bits);
            timedOut |= u.timedOut;
            upd.push_back(u.updateMs);
            complete.push_back(u.completeMs);
            work.push_back(u.workMs);
            cpu.push_back(u.cpuMs);
            partial.push_back(u.partialMs);
            before.push_back(u.beforeResultMs);
            longest.push_back(u.longestEventMs);
            stall.push_back(u.stallMs);
            if (auto rep = w.lastReport()) analysis.push_back(rep->compute_ms);
        }
        // Where the GUI thread's share goes: each visible chart rebuilt from the same inputs and
        // repainted at once (median of a few), slowest first.
        std::vector<std::pair<double, QString>> chartMs;
        for (ui::ChartView* c : w.charts()) {
            if (!c->onScreen()) continue;
            std::vector<double> v;
            for (int k = 0; k < 5; ++k) {
                QElapsedTimer ct;
                ct.start();
                c->setInputs(c->inputs());
                c->replot(QCustomPlot::rpImmediateRefresh);
                v.push_back(static_cast<double>(ct.nsecsElapsed()) / 1e6);
            }
            chartMs.emplace_back(median(v), c->chartId());
        }
        std::sort(chartMs.rbegin(), chartMs.rend());
        const double reads = median(upd) / read.median_ms;
        const QString shape = QStringLiteral("%1x%1").arg(n);
        if (opt.json) {
            out.push_back({{"section", "gui"},
                           {"shape", shape.toStdString()},
                           {"configs", 2},
                           {"plain_read_ms", read.median_ms},
                           {"update_median_ms", median(upd)},
                           {"update_max_ms", maximum(upd)},
                           {"plain_reads", reads},
                           {"complete_median_ms", median(complete)},
                           {"complete_plain_reads", median(complete) / read.median_ms},
                           {"analysis_median_ms", median(analysis)},
                           {"analysis_charts_part_median_ms", median(partial)},
                           {"gui_work_median_ms", median(work)},
                           {"gui_work_max_ms", maximum(work)},
                           {"gui_work_before_result_median_ms", median(before)},
                           {"gui_cpu_median_ms", median(cpu)},
                           {"longest_event_max_ms", maximum(longest)},
                           {"probe_stall_max_ms", maximum(stall)},
                           {"timed_out", timedOut}});
        } else {
            std::printf("  %-11s %9.2f %9.1f %8.1f %9.1f %8.1f %7.1f (max %4.1f) %10.1f %14.1f %14.1f%s\n", shape.toLatin1().constData(),
                        read.median_ms, median(upd), reads, median(complete), median(complete) / read.median_ms, median(work),
                        maximum(work), median(cpu), maximum(longest), maximum(stall), timedOut ? "  TIMED OUT" : "");
            QString parts;
            for (const auto& [ms, id] : chartMs) parts += QStringLiteral(" %1 %2,").arg(id).arg(ms, 0, 'f', 1);
            parts.chop(1);
            if (app && !upd.empty()) {
                // where the GUI work went: the five largest (event, receiver) kinds, per update
                std::vector<std::pair<std::pair<double, double>, QString>> kinds;
                const auto per = static_cast<double>(upd.size());
                for (const auto& [k, t] : app->byKind)
                    kinds.push_back({{t.first / per, t.second / per}, eventName(k.first) + QStringLiteral(" to ") + QString::fromLatin1(k.second)});
                std::sort(kinds.rbegin(), kinds.rend());
                QString line;
                for (std::size_t i = 0; i < std::min<std::size_t>(5, kinds.size()); ++i)
                    line += QStringLiteral(" %1 %2 (CPU %3),").arg(kinds[i].second).arg(kinds[i].first.first, 0, 'f', 1).arg(kinds[i].first.second, 0, 'f', 1);
                line.chop(1);
                std::printf("    GUI work per update, ms (%.1f of it before the analysis result, sharing the cores with it):%s\n",
                            median(before), line.toLocal8Bit().constData());
            }
            std::printf("    analysis (worker threads): the charts' part %.1f ms, with the forward differences %.1f ms; the %zu of %zu charts\n"
                        "    on screen (the others wait behind their tabs), rebuild + paint ms:%s\n",
                        median(partial), median(analysis), chartMs.size(), w.charts().size(),
                        parts.toLocal8Bit().constData());
        }
    }
    if (!opt.json)
        std::printf("  update = changed setting -> every visible chart replotted and painted (median; a first visit of the bit\n"
                    "  width: the moved configuration's memos are dropped before each move); reads = update / plain read\n"
                    "  (target <= 10 on the large tensor). table = until the metrics table's output error (the forward\n"
                    "  differences, computed after the charts' part of the analysis) is in too. GUI work = time the GUI\n"
                    "  thread spent in events during one whole update, table included (median, max; target < 16.7 ms);\n"
                    "  GUI CPU = the GUI thread's CPU time in them (less when it waited or another thread had its core);\n"
                    "  longest ev = longest single event; probe stall = the\n"
                    "  latest a 1 ms timer fired. The window is %s; an offscreen window paints into memory.\n",
                    QApplication::platformName() == QLatin1String("offscreen") ? "offscreen" : "on screen");
}

} // namespace ql::cli
