// The whole window under the offscreen platform, driven like a user: move the bit-width slider, add and
// remove configurations, save and reopen a session, open a bad session, load a .npy file, switch themes
// and presentation mode. After each change the test waits for the analysis and checks the charts and
// the table against core's own report for the same setup (ql::analyze called directly).
#include <QtTest>
#include <QScreen>

#include "qcp_complaints.h"
#include "test_settings.h"
#include "dock_groups.h"
#include <QThread>
#include <QThreadPool>

#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QDialog>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QSpinBox>
#include <QPlainTextEdit>
#include <QLineEdit>
#include <QStatusBar>
#include <QSlider>
#include <QStandardPaths>
#include <QToolButton>
#include <QTranslator>

#include <algorithm>
#include <cmath>
#include <limits>

#include "charts/calibration_charts.h"
#include "charts/charts.h"
#include "charts/speed_charts.h"
#include "charts/survey_charts.h"
#include "core/analysis.h"
#include "core/generators.h"
#include "core/npy.h"
#include "calibration_view.h"
#include "examples.h"
#include "export_dialog.h"
#include "gui_main.h"
#include "main_window.h"
#include "metrics_model.h"

#include <QHeaderView>
#include <QTableView>
#include "panels/config_panel.h"
#include "panels/setup_panels.h"
#include "session.h"
#include "speed_view.h"
#include "survey_panel.h"
#include "small_session.h"
#include "worker_pool.h"

using namespace ql;
using namespace ql::ui;

namespace {

constexpr int kAnalysisTimeoutMs = 60000;
constexpr double kRoundoff = 1e-12;  // a density is one division away from the counts

// Core's report for the window's current session, computed here without the window.
AnalysisReport coreReport(const Session& s) {
    AnalysisRequest req;
    req.tensor = std::make_shared<const Tensor>(generate(s.tensor.generator));
    req.configs = s.configs;
    req.options = s.analysis;
    return analyze(req);
}

QVector<double> values(QCPGraph* g) {
    QVector<double> v;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) v << it->value;
    return v;
}

} // namespace

// A failed check inside the helper ends the calling test too.
#define CHECK_AGAINST_CORE()                      \
    do {                                          \
        checkAgainstCore();                       \
        if (QTest::currentTestFailed()) return;   \
    } while (false)

namespace {

// Answers an export's dialogs as a user would, while trigger() runs: the file dialog with `target`
// (a file, or a folder for "Export all"), and the options dialog: what it showed first is recorded,
// then `set` changes it (null: accepted as it opened). Returns false when a dialog did not come.
struct ExportAnswers {
    QString target;
    std::function<void(ExportOptionsDialog*)> set;
    int fileDialogs = 0, optionDialogs = 0;
    QString chosen;  // what the file dialog returned
    ExportOptions shown;
};
bool answerExportDialogs(ExportAnswers& a, const std::function<void()>& trigger) {
    QTimer t;
    t.setInterval(10);
    QObject::connect(&t, &QTimer::timeout, [&a] {
        QWidget* m = QApplication::activeModalWidget();
        if (auto* fd = qobject_cast<QFileDialog*>(m)) {
            ++a.fileDialogs;
            QObject::connect(fd, &QFileDialog::fileSelected, [&a](const QString& f) { a.chosen = f; });
            if (fd->fileMode() == QFileDialog::Directory) {
                fd->setDirectory(a.target);  // the folder opened, as Choose takes it
            } else {  // the folder, and the name typed into the dialog's name field
                fd->setDirectory(QFileInfo(a.target).absolutePath());
                auto* name = fd->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
                if (name) name->setText(QFileInfo(a.target).fileName());
                else fd->selectFile(a.target);
            }
            static_cast<QDialog*>(fd)->accept();  // QFileDialog::accept, as its Save button
        } else if (auto* od = qobject_cast<ExportOptionsDialog*>(m)) {
            ++a.optionDialogs;
            a.shown = od->options();
            if (a.set) a.set(od);
            od->accept();
        } else if (m) {
            qWarning("unexpected modal widget %s", m->metaObject()->className());
            m->close();
        }
    });
    t.start();
    trigger();
    t.stop();
    if (a.fileDialogs != 1) qWarning("%d file dialogs came", a.fileDialogs);
    else if (QFileInfo(a.chosen) != QFileInfo(a.target)) qWarning("the file dialog returned '%s'", qPrintable(a.chosen));
    return a.fileDialogs == 1 && QFileInfo(a.chosen) == QFileInfo(a.target);
}
int pngDpi(const QImage& img) { return int(std::lround(img.dotsPerMeterX() * 0.0254)); }

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> w_;

    // Waits until the window has shown an analysis started after this call's trigger.
    bool waitShown(const std::function<void()>& trigger) {
        QSignalSpy spy(w_.get(), &MainWindow::analysisShown);
        trigger();
        if (!spy.wait(kAnalysisTimeoutMs)) return false;
        w_->runner()->waitForIdle();
        return true;
    }

    // The charts and table show exactly core's report for the window's session.
    void checkAgainstCore() {
        const auto shown = w_->lastReport();
        QVERIFY(shown);
        const AnalysisReport want = coreReport(w_->session());
        QCOMPARE(shown->configs.size(), want.configs.size());
        QCOMPARE(shown->tensor.numel, want.tensor.numel);
        for (std::size_t i = 0; i < want.configs.size(); ++i) {
            QVERIFY(shown->configs[i].config == want.configs[i].config);
            QCOMPARE(shown->configs[i].metrics.mse, want.configs[i].metrics.mse);
            QCOMPARE(shown->configs[i].metrics.snr_db, want.configs[i].metrics.snr_db);
            QCOMPARE(shown->configs[i].dequantized.counts, want.configs[i].dequantized.counts);
        }
        // Weight distribution: one dequantized curve per configuration, equal to core's density.
        ChartView* weights = w_->chart("weight_distribution");
        QVERIFY(weights);
        int densities = 0;  // the original and each dequantized histogram (the levels' legend entry is a line)
        for (int g = 0; g < weights->graphCount(); ++g) densities += weights->graph(g)->lineStyle() == QCPGraph::lsStepCenter;
        QCOMPARE(densities, 1 + int(want.configs.size()));
        for (std::size_t i = 0; i < want.configs.size(); ++i) {
            const QVector<double> got = values(weights->graph(int(i) + 1));
            const std::vector<double> d = want.configs[i].dequantized.density();
            QCOMPARE(got.size(), int(d.size()));
            for (std::size_t k = 0; k < d.size(); ++k) QVERIFY(std::fabs(got[int(k)] - d[k]) <= kRoundoff * std::max(1.0, d[k]));
        }
        // SNR chart: some curve holds exactly core's SNR sweep of each configuration.
        ChartView* snr = w_->chart("snr_vs_bits");
        snr->ensureCurrent();  // behind a tab: it rebuilds when shown
        for (const auto& c : want.configs) {
            if (c.snr_vs_bits.empty()) continue;  // no sweep (formats other than INT): a point of its own
            QVector<double> sweep;
            for (const auto& p : c.snr_vs_bits) sweep << p.snr_db;
            bool found = false;
            for (int g = 0; g < snr->graphCount(); ++g) found = found || values(snr->graph(g)) == sweep;
            QVERIFY2(found, c.config.display_name().c_str());
        }
        // Metrics table: one row per configuration, the full-precision MSE in the tooltip role.
        QCOMPARE(w_->metricsModel()->rowCount(), int(want.configs.size()));
        for (int r = 0; r < int(want.configs.size()); ++r)
            QCOMPARE(w_->metricsModel()->index(r, MetricsModel::Mse).data(Qt::ToolTipRole).toString().toDouble(),
                     want.configs[std::size_t(r)].metrics.mse);
    }

private slots:
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    void initTestCase() {
        listenForQcpComplaints();
        useEmptyTestSettings(QStringLiteral("test_main_window"));
        QVERIFY(dir_.isValid());
        w_ = std::make_unique<MainWindow>();
        w_->resize(1400, 900);
        w_->show();
        QVERIFY(waitShown([this] { w_->setSession(smallSession()); }));
    }
    void cleanupTestCase() {
        w_.reset();
        QSettings().clear();
    }

    void startsWithTheSeedSetup() {
        QCOMPARE(w_->session().configs.size(), std::size_t(2));
        QCOMPARE(w_->session().configs[0].bits, 8);
        QCOMPARE(w_->session().configs[1].bits, 4);
        QCOMPARE(w_->charts().size(), std::size_t(9));
        CHECK_AGAINST_CORE();
    }

    // The teacher drags the INT4 configuration's slider: the session, the report and the charts follow.
    void bitsSlider_data() {
        QTest::addColumn<int>("bits");
        QTest::newRow("3 bits") << 3;
        QTest::newRow("2 bits") << 2;
        QTest::newRow("back to 4") << 4;
    }
    void bitsSlider() {
        QFETCH(int, bits);
        ConfigPanel* panel = w_->configPanel();
        panel->setCurrent(1);
        QSlider* slider = panel->bitsSlider();
        QVERIFY(slider->isEnabled());
        QVERIFY(waitShown([&] { slider->setValue(bits); }));
        QCOMPARE(w_->session().configs[1].bits, bits);
        QCOMPARE(w_->lastReport()->configs[1].config.bits, bits);
        // Fewer bits, fewer levels: the levels grid shows at most 2^bits values.
        QVERIFY(w_->lastReport()->configs[1].levels.size() <= std::size_t(1) << bits);
        CHECK_AGAINST_CORE();
    }

    // A recompute with the same configurations updates the table in place: the row the user selected
    // stays selected, and the output-error column, filled after the charts, holds core's value.
    void tableKeepsSelectionAcrossUpdates() {
        auto* table = w_->findChild<QTableView*>();
        QVERIFY(table);
        table->selectRow(1);
        QCOMPARE(table->selectionModel()->selectedRows().size(), 1);
        ConfigPanel* panel = w_->configPanel();
        panel->setCurrent(1);
        const int bits = w_->session().configs[1].bits == 3 ? 4 : 3;
        QVERIFY(waitShown([&] { panel->bitsSlider()->setValue(bits); }));
        QVERIFY(!w_->lastReport()->forward_pending);
        const QModelIndexList rows = table->selectionModel()->selectedRows();
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.front().row(), 1);
        const AnalysisReport want = coreReport(w_->session());
        for (int r = 0; r < int(want.configs.size()); ++r) {
            const QString cell = w_->metricsModel()->index(r, MetricsModel::OutputErr).data(Qt::DisplayRole).toString();
            QCOMPARE(w_->lastReport()->configs[std::size_t(r)].forward.mean_rel_pct, want.configs[std::size_t(r)].forward.mean_rel_pct);
            QCOMPARE(cell, QString::number(want.configs[std::size_t(r)].forward.mean_rel_pct, 'f', 3));
        }
    }

    // Tabbed docks stay shown and stacked: a chart behind another tab must not redraw on every slider
    // move, and must show the current analysis as soon as its tab is chosen.
    void chartBehindTabRedrawsWhenShown() {
        ChartView* layers = w_->chart("layer_accumulation");
        ChartView* sample = w_->chart("sample_values");
        auto* layersDock = w_->findChild<QDockWidget*>(QStringLiteral("chart_layer_accumulation"));
        auto* sampleDock = w_->findChild<QDockWidget*>(QStringLiteral("chart_sample_values"));
        QVERIFY(layers && sample && layersDock && sampleDock);
        sampleDock->raise();  // the default arrangement: "First weights" in front of "Through layers"
        QTRY_VERIFY(sample->onScreen());
        QVERIFY(layers->isVisible());  // stacked behind, not hidden
        QVERIFY(!layers->onScreen());
        QSignalSpy layerReplots(layers, &QCustomPlot::afterReplot);
        QSignalSpy sampleReplots(sample, &QCustomPlot::afterReplot);
        ConfigPanel* panel = w_->configPanel();
        panel->setCurrent(1);
        const int bits = w_->session().configs[1].bits == 3 ? 4 : 3;
        QVERIFY(waitShown([&] { panel->bitsSlider()->setValue(bits); }));
        QTRY_VERIFY(sampleReplots.count() > 0);
        QCOMPARE(layerReplots.count(), 0);
        layersDock->raise();
        QTRY_VERIFY(layers->onScreen());
        QTRY_VERIFY(layerReplots.count() > 0);
        // what it draws is the current analysis: one curve per configuration, core's layer errors
        const AnalysisReport want = coreReport(w_->session());
        QCOMPARE(layers->graphCount(), int(want.configs.size()));
        for (int g = 0; g < layers->graphCount(); ++g) {
            const QVector<double> got = values(layers->graph(g));
            const auto& l = want.configs[std::size_t(g)].layers;
            QCOMPARE(got.size(), int(l.size()));
            for (int k = 0; k < got.size(); ++k) QCOMPARE(got[k], l[std::size_t(k)].relative);
        }
        sampleDock->raise();
        QTRY_VERIFY(!layers->onScreen());
    }

    // Qt's raster engine runs parts of large fills on QThreadPool::globalInstance() and waits for them on
    // the GUI thread, so the analysis runs on QuantLens' own pool: a paint never waits behind a job. Seen
    // from the GUI thread without processing events, the job is computing or waiting for the window's
    // paint (which needs events), so it holds one of the pool's threads now.
    void jobsLeaveTheGlobalPoolToQt() {
        QSignalSpy started(w_->runner(), &AnalysisRunner::started);
        Session s = w_->session();
        s.configs[1].bits = s.configs[1].bits == 3 ? 4 : 3;
        w_->setSession(s);
        QVERIFY(started.wait(kAnalysisTimeoutMs));
        QThread::msleep(30);
        QVERIFY(w_->runner()->busy());
        QCOMPARE(QThreadPool::globalInstance()->activeThreadCount(), 0);
        QVERIFY(ql::ui::workerPool()->activeThreadCount() >= 1);
        QVERIFY(ql::ui::workerPool() != QThreadPool::globalInstance());
        w_->runner()->waitForIdle();
        QVERIFY(waitShown([this] { w_->setSession(smallSession()); }));
    }
    void addAndRemoveConfigurations() {
        ConfigPanel* panel = w_->configPanel();
        QVERIFY(waitShown([&] { panel->addConfig(); }));
        QCOMPARE(w_->session().configs.size(), std::size_t(3));
        QCOMPARE(w_->chart("error_distribution")->graphCount(), 3);
        CHECK_AGAINST_CORE();
        panel->setCurrent(0);
        QVERIFY(waitShown([&] { panel->duplicateConfig(); }));
        QCOMPARE(w_->session().configs.size(), std::size_t(4));
        QVERIFY(w_->session().configs[1].bits == w_->session().configs[0].bits);
        panel->setCurrent(3);
        QVERIFY(waitShown([&] { panel->removeConfig(); }));
        panel->setCurrent(2);
        QVERIFY(waitShown([&] { panel->removeConfig(); }));
        QCOMPARE(w_->session().configs.size(), std::size_t(2));
        QCOMPARE(w_->chart("error_distribution")->graphCount(), 2);
        CHECK_AGAINST_CORE();
    }

    // Every entry of the format list says what the format is (a tooltip of a sentence or two, distinct per
    // format), and the list's own tooltip follows the chosen format.
    void formatListDescribesFormats() {
        auto* panel = w_->configPanel();
        panel->setCurrent(1);
        auto* format = panel->findChild<QComboBox*>(QStringLiteral("formatCombo"));
        QVERIFY(format);
        QSet<QString> seen;
        for (int i = 0; i < format->count(); ++i) {
            const QString tip = format->itemData(i, Qt::ToolTipRole).toString();
            QVERIFY2(tip.size() > 60, qPrintable(format->itemText(i)));
            QCOMPARE(tip, ConfigPanel::formatDescription(static_cast<Format>(format->itemData(i).toInt())));
            seen.insert(tip);
        }
        QCOMPARE(int(seen.size()), format->count());
        QCOMPARE(format->toolTip(), format->currentData(Qt::ToolTipRole).toString());
        const int nf4 = format->findData(int(Format::NF4));
        QVERIFY(waitShown([&] { format->setCurrentIndex(nf4); }));
        QVERIFY(format->toolTip().contains(QLatin1String("NormalFloat4")));
        QVERIFY(waitShown([&] { format->setCurrentIndex(format->findData(int(Format::Int))); }));
        QVERIFY(format->toolTip().contains(QLatin1String("Uniform integer")));
    }

    // HQQ from the format list: its bits stay editable and the block field is its group; the charts show
    // core's numbers for it, its SNR sweep (a later part of the job) included.
    void hqqFromThePanel() {
        auto* panel = w_->configPanel();
        panel->setCurrent(1);
        auto* format = panel->findChild<QComboBox*>(QStringLiteral("formatCombo"));
        auto* blockLabel = panel->findChild<QLabel*>(QStringLiteral("blockSizeLabel"));
        QVERIFY(format && blockLabel);
        const int hqq = format->findData(int(Format::HQQ));
        QVERIFY(hqq >= 0);
        QVERIFY(waitShown([&] { format->setCurrentIndex(hqq); }));
        QCOMPARE(w_->session().configs[1].format, Format::HQQ);
        // the first HQQ analysis of this tensor: the sweep came after the charts, and its chart was redrawn
        QCOMPARE(int(w_->lastReport()->configs[1].snr_vs_bits.size()), 7);
        CHECK_AGAINST_CORE();
        QVERIFY(panel->bitsSlider()->isEnabled());
        QCOMPARE(blockLabel->text(), QStringLiteral("Group size"));
        QVERIFY(waitShown([&] { panel->bitsSlider()->setValue(3); }));
        QCOMPARE(w_->lastReport()->configs[1].config.describe(), std::string("HQQ INT3 g64"));
        QVERIFY(!w_->lastReport()->sweeps_pending);
        QCOMPARE(int(w_->lastReport()->configs[1].snr_vs_bits.size()), 7);
        CHECK_AGAINST_CORE();
        QVERIFY(waitShown([&] { format->setCurrentIndex(format->findData(int(Format::Int))); }));
        QCOMPARE(blockLabel->text(), QStringLiteral("Block size"));
    }

    // "Compare all formats": every format at its common settings lands on the Pareto chart with core's
    // numbers; turning it off leaves only the window's configurations.
    void compareAllFormats() {
        auto* action = w_->findChild<QAction*>(QStringLiteral("compareAllAction"));
        QVERIFY(action);
        QVERIFY(waitShown([&] { action->trigger(); }));
        QVERIFY(w_->session().view.compareAll);
        AnalysisRequest req;
        req.tensor = std::make_shared<const Tensor>(generate(w_->session().tensor.generator));
        for (const QuantConfig& c : compareAllConfigs())
            if (validate(c, req.tensor->shape).empty()) req.configs.push_back(c);
        req.options.layer_sim.enabled = false;
        req.options.forward_diff = false;
        req.options.snr_sweep = false;
        const AnalysisReport want = analyze(req);
        QVERIFY(want.configs.size() >= 15);  // int x3, nf4, nf4_dq, fp8 x2, fp4, mxfp4, nvfp4, 7 ggml blocks
        ChartView* pareto = w_->chart(QStringLiteral("pareto"));
        QVERIFY(pareto);
        QSet<QPair<double, double>> shown;
        for (int g = 0; g < pareto->graphCount(); ++g)
            if (pareto->graph(g)->data()->size() == 1) shown.insert({pareto->graph(g)->data()->begin()->key, pareto->graph(g)->data()->begin()->value});
        for (const auto& c : want.configs) {
            QVERIFY2(c.error.empty(), c.error.c_str());
            QVERIFY2(shown.contains({c.storage.bits_per_weight, c.metrics.sqnr_db}), c.config.describe().c_str());
        }
        // the analysis time says what it measured, and how long the comparison took
        auto* time = w_->findChild<QLabel*>(QStringLiteral("analysisTimeLabel"));
        QVERIFY(time);
        const QString compareTip = QStringLiteral("Compare all formats (%1 formats):").arg(compareAllConfigs().size());
        QVERIFY2(time->toolTip().contains(QStringLiteral("taken from memory")), qPrintable(time->toolTip()));
        QVERIFY2(time->toolTip().contains(compareTip), qPrintable(time->toolTip()));
        action->trigger();  // off: a view change, the charts redraw at once without a new analysis
        QVERIFY(!w_->session().view.compareAll);
        QVERIFY2(!time->toolTip().contains(compareTip), qPrintable(time->toolTip()));
        int points = 0;
        for (int g = 0; g < pareto->graphCount(); ++g) points += pareto->graph(g)->data()->size() == 1 ? 1 : 0;
        QCOMPARE(points, int(w_->session().configs.size()));
    }

    // The distributions' log scale, asked from either chart's menu or the Charts checkbox: both charts go
    // logarithmic at once (a view choice: the report shown stays the same object, no new analysis), the
    // checkbox and the session follow, and back.
    void logDistributionsFromMenuOrPanel() {
        ChartView* weights = w_->chart(QStringLiteral("weight_distribution"));
        ChartView* errors = w_->chart(QStringLiteral("error_distribution"));
        auto* box = w_->findChild<QCheckBox*>(QStringLiteral("logHistograms"));
        QVERIFY(weights && errors && box);
        QVERIFY(weights->drawsDistributions() && errors->drawsDistributions());
        QVERIFY(!w_->chart(QStringLiteral("memory"))->drawsDistributions());
        QVERIFY(!w_->session().view.logHistograms);
        const auto report = w_->lastReport();
        emit errors->logHistogramsRequested(true);
        QVERIFY(w_->session().view.logHistograms);
        QVERIFY(box->isChecked());
        for (ChartView* c : {weights, errors}) {
            c->ensureCurrent();
            QCOMPARE(c->yAxis->scaleType(), QCPAxis::stLogarithmic);
        }
        QCOMPARE(w_->lastReport(), report);
        box->setChecked(false);  // the panel: back to linear
        QVERIFY(!w_->session().view.logHistograms);
        for (ChartView* c : {weights, errors}) {
            c->ensureCurrent();
            QCOMPARE(c->yAxis->scaleType(), QCPAxis::stLinear);
        }
        QCOMPARE(w_->lastReport(), report);
    }

    // File > Examples: one action per example, each opening its session (every configuration valid for its
    // tensor and analysed without an error) with its title and note above the setup; opening a session file
    // closes the note. The embedded files are exactly the listed examples.
    void examplesMenu() {
        const std::vector<Example> all = examples();
        QVERIFY(all.size() >= 5);
        QVERIFY(loadExample(all.front().id, nullptr));  // registers the embedded files
        QStringList files = QDir(QStringLiteral(":/examples")).entryList(QDir::Files);
        for (const Example& e : all) QVERIFY2(files.removeOne(e.id + QStringLiteral(".json")), qPrintable(e.id));
        QVERIFY2(files.isEmpty(), qPrintable(files.join(QLatin1Char(' '))));  // no file without an entry
        auto* note = w_->findChild<QWidget*>(QStringLiteral("lessonNote"));
        auto* text = w_->findChild<QLabel*>(QStringLiteral("lessonText"));
        QVERIFY(note && text);
        // the toolbar's Examples button drops down the same list
        auto* button = w_->findChild<QToolButton*>(QStringLiteral("examplesButton"));
        QVERIFY(button && button->menu());
        QCOMPARE(button->menu()->actions().size(), static_cast<qsizetype>(all.size()));
        for (const Example& e : all) {
            auto* action = w_->findChild<QAction*>(QStringLiteral("example_") + e.id);
            QVERIFY2(action, qPrintable(e.id));
            QCOMPARE(action->text(), e.title);
            QString error;
            const auto want = loadExample(e.id, &error);
            QVERIFY2(want, qPrintable(error));
            QVERIFY(waitShown([&] { action->trigger(); }));
            QVERIFY(w_->session().configs == want->configs);
            QVERIFY(w_->session().tensor == want->tensor);
            QVERIFY(!note->isHidden());
            QVERIFY(text->text().contains(e.title.toHtmlEscaped()));
            const auto shown = w_->lastReport();
            QVERIFY(shown);
            QCOMPARE(shown->configs.size(), want->configs.size());
            for (const auto& c : shown->configs) QVERIFY2(c.error.empty(), c.error.c_str());
            // the charts its note points to are in front of their tab groups
            for (const std::string& id : want->view.front) {
                ChartView* chart = w_->chart(QString::fromStdString(id));
                QVERIFY2(chart, id.c_str());
                QTRY_VERIFY2(chart->onScreen(), id.c_str());
            }
        }
        QString error;
        QVERIFY(!loadExample(QStringLiteral("no-such-example"), &error));
        QVERIFY(error.contains(QStringLiteral("outlier-rows")));  // the message lists the examples
        // the open example's note is part of its session: saved, it opens with the note again
        QCOMPARE(QString::fromStdString(w_->session().lesson.title), all.back().title);
        const QString withNote = dir_.filePath(QStringLiteral("example_saved.json"));
        QVERIFY(saveSession(withNote, w_->session(), &error));
        const QString path = dir_.filePath(QStringLiteral("after_example.json"));
        QVERIFY(saveSession(path, smallSession(), &error));
        QVERIFY(waitShown([&] { QVERIFY(w_->openSession(path)); }));
        QVERIFY(note->isHidden());  // a session without a lesson
        QVERIFY(waitShown([&] { QVERIFY(w_->openSession(withNote)); }));
        QVERIFY(!note->isHidden());
        QVERIFY(text->text().contains(all.back().title.toHtmlEscaped()));
        QVERIFY(waitShown([&] { QVERIFY(w_->openSession(path)); }));  // back to the plain session for the next tests
        QVERIFY(note->isHidden());
    }

    // An open example's note steps to its neighbours ("Previous example", "Next example"), disabled at the
    // ends and hidden for other sessions, so a class goes through the lessons in order.
    void examplesStepInOrder() {
        const std::vector<Example> all = examples();
        auto* prev = w_->findChild<QPushButton*>(QStringLiteral("lessonPrevious"));
        auto* next = w_->findChild<QPushButton*>(QStringLiteral("lessonNext"));
        QVERIFY(prev && next);
        QVERIFY(waitShown([&] { QVERIFY(w_->openExample(all.front().id)); }));
        QVERIFY(!prev->isHidden() && !next->isHidden());
        QVERIFY(!prev->isEnabled() && next->isEnabled());
        QVERIFY(waitShown([&] { next->click(); }));
        QCOMPARE(QString::fromStdString(w_->session().lesson.title), all[1].title);
        QVERIFY(prev->isEnabled());
        QVERIFY(waitShown([&] { prev->click(); }));
        QCOMPARE(QString::fromStdString(w_->session().lesson.title), all[0].title);
        QVERIFY(waitShown([&] { QVERIFY(w_->openExample(all.back().id)); }));
        QVERIFY(prev->isEnabled() && !next->isEnabled());
        QString error;
        const QString path = dir_.filePath(QStringLiteral("plain_after_steps.json"));
        QVERIFY(saveSession(path, smallSession(), &error));
        QVERIFY(waitShown([&] { QVERIFY(w_->openSession(path)); }));
        QVERIFY(prev->isHidden() && next->isHidden());
    }

    // File > Lesson note...: the dialog's title and note become the session's lesson, shown over the setup
    // (line breaks kept, markup shown as text) and saved with it; emptied, the note hides.
    void lessonNoteDialog() {
        auto* action = w_->findChild<QAction*>(QStringLiteral("lessonNoteAction"));
        auto* note = w_->findChild<QWidget*>(QStringLiteral("lessonNote"));
        auto* text = w_->findChild<QLabel*>(QStringLiteral("lessonText"));
        QVERIFY(action && note && text);
        auto fill = [](const QString& title, const QString& body) {
            QTimer::singleShot(0, [=] {
                auto* d = qobject_cast<QDialog*>(QApplication::activeModalWidget());
                QVERIFY(d);
                d->findChild<QLineEdit*>(QStringLiteral("lessonTitleEdit"))->setText(title);
                d->findChild<QPlainTextEdit*>(QStringLiteral("lessonNoteEdit"))->setPlainText(body);
                d->accept();
            });
        };
        fill(QStringLiteral("Row 7"), QStringLiteral("Look at <b>row 7</b>\nthen the table."));
        action->trigger();
        QCOMPARE(QString::fromStdString(w_->session().lesson.title), QStringLiteral("Row 7"));
        QVERIFY(!note->isHidden());
        QVERIFY(text->text().contains(QStringLiteral("&lt;b&gt;row 7&lt;/b&gt;<br>then")));
        QString error;
        const QString path = dir_.filePath(QStringLiteral("with_lesson.json"));
        QVERIFY(saveSession(path, w_->session(), &error));
        auto back = loadSession(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(QString::fromStdString(back->lesson.note), QStringLiteral("Look at <b>row 7</b>\nthen the table."));
        fill(QString(), QString());
        action->trigger();
        QVERIFY(w_->session().lesson.empty());
        QVERIFY(note->isHidden());
    }

    // A chart's Export as PNG/JPG, whichever view holds it (a window dock, the Speed view, the model
    // survey, the calibration dock), asks where and at what size and resolution, writes that, and the
    // next export starts from the choice (the Speed view and the survey used to write 1600x1000 at
    // 150 dpi without asking). PDF/SVG ask no size.
    void chartExportAsksSizeAndRemembers_data() {
        QTest::addColumn<QString>("where");
        QTest::addColumn<int>("format");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("dpi");
        QTest::newRow("window memory png 800x500 300 dpi") << "window" << int(ExportFormat::Png) << QSize(800, 500) << 300;
        QTest::newRow("speed time png 640x400 200 dpi") << "speed" << int(ExportFormat::Png) << QSize(640, 400) << 200;
        QTest::newRow("survey sqnr jpg 900x560 120 dpi") << "survey" << int(ExportFormat::Jpg) << QSize(900, 560) << 120;
        QTest::newRow("calibration png 700x450 600 dpi") << "calibration" << int(ExportFormat::Png) << QSize(700, 450) << 600;
        QTest::newRow("speed roofline svg: no size asked") << "speed" << int(ExportFormat::Svg) << QSize() << 0;
    }
    void chartExportAsksSizeAndRemembers() {
        QFETCH(QString, where);
        QFETCH(int, format);
        QFETCH(QSize, size);
        QFETCH(int, dpi);
        const auto f = ExportFormat(format);
        ChartView* chart = nullptr;
        if (where == QLatin1String("window")) chart = w_->chart(QStringLiteral("memory"));
        else if (where == QLatin1String("speed")) {
            auto* v = w_->findChild<SpeedView*>();
            chart = v ? (f == ExportFormat::Svg ? static_cast<ChartView*>(v->rooflineChart()) : v->timeChart()) : nullptr;
        } else if (where == QLatin1String("survey")) {
            auto* p = w_->findChild<SurveyPanel*>();
            chart = p ? p->sqnrChart() : nullptr;
        } else if (where == QLatin1String("calibration")) {
            auto* v = w_->findChild<CalibrationView*>();
            chart = v ? v->chart(QStringLiteral("calibration_output_error")) : nullptr;
        }
        QVERIFY2(chart, qPrintable(where));
        QSettings().remove(QStringLiteral("export"));
        const ExportOptions defaults;
        const QString suffix = exportFormatSuffix(f);

        ExportAnswers first{dir_.filePath(where + QStringLiteral("_first.") + suffix), [&](ExportOptionsDialog* d) {
                                d->findChild<QSpinBox*>(QStringLiteral("exportWidth"))->setValue(size.width());
                                d->findChild<QSpinBox*>(QStringLiteral("exportHeight"))->setValue(size.height());
                                d->findChild<QSpinBox*>(QStringLiteral("exportDpi"))->setValue(dpi);
                            }};
        QVERIFY(answerExportDialogs(first, [&] { emit chart->exportRequested(chart, f); }));
        QVERIFY2(QFileInfo::exists(first.target), qPrintable(first.target));
        if (f == ExportFormat::Svg || f == ExportFormat::Pdf) {
            QCOMPARE(first.optionDialogs, 0);
            return;
        }
        QCOMPARE(first.optionDialogs, 1);
        QCOMPARE(first.shown.size, defaults.size);  // nothing remembered yet
        QCOMPARE(first.shown.dpi, defaults.dpi);
        const QImage a(first.target);
        QCOMPARE(a.size(), size);
        QCOMPARE(pngDpi(a), dpi);

        ExportAnswers second{dir_.filePath(where + QStringLiteral("_second.") + suffix), nullptr};
        QVERIFY(answerExportDialogs(second, [&] { emit chart->exportRequested(chart, f); }));
        QCOMPARE(second.optionDialogs, 1);
        QCOMPARE(second.shown.size, size);  // the last choice
        QCOMPARE(second.shown.dpi, dpi);
        const QImage b(second.target);
        QCOMPARE(b.size(), size);
        QCOMPARE(pngDpi(b), dpi);
    }

    // File > Export all charts asks which formats, the size and the resolution, writes just those into
    // the folder (with metrics.csv and session.json) and remembers them; with no format ticked OK stays
    // disabled.
    void exportAllAsksFormatsAndSize() {
        auto* action = w_->findChild<QAction*>(QStringLiteral("exportAllAction"));
        QVERIFY(action);
        QSettings().remove(QStringLiteral("export"));
        const QString dir = dir_.filePath(QStringLiteral("export_all_jpg"));
        QVERIFY(QDir().mkpath(dir));
        bool okWithNone = true;
        ExportAnswers a{dir, [&](ExportOptionsDialog* d) {
                            for (const char* name : {"png", "jpg", "pdf", "svg"})
                                d->findChild<QCheckBox*>(QStringLiteral("exportFormat_") + QLatin1String(name))->setChecked(false);
                            okWithNone = d->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled();
                            d->findChild<QCheckBox*>(QStringLiteral("exportFormat_jpg"))->setChecked(true);
                            d->findChild<QSpinBox*>(QStringLiteral("exportWidth"))->setValue(640);
                            d->findChild<QSpinBox*>(QStringLiteral("exportHeight"))->setValue(400);
                            d->findChild<QSpinBox*>(QStringLiteral("exportDpi"))->setValue(240);
                        }};
        QVERIFY(answerExportDialogs(a, [&] { action->trigger(); }));
        QCOMPARE(a.optionDialogs, 1);
        QVERIFY(!okWithNone);
        const QStringList files = QDir(dir).entryList(QDir::Files);
        QVERIFY2(files.contains(QStringLiteral("metrics.csv")) && files.contains(QStringLiteral("session.json")), qPrintable(files.join(' ')));
        int jpgs = 0;
        for (const QString& name : files) {
            if (name == QLatin1String("metrics.csv") || name == QLatin1String("session.json")) continue;
            QVERIFY2(name.endsWith(QLatin1String(".jpg")), qPrintable(name));
            const QImage img(QDir(dir).filePath(name));
            QCOMPARE(img.size(), QSize(640, 400));
            QCOMPARE(pngDpi(img), 240);
            ++jpgs;
        }
        QVERIFY(jpgs >= int(w_->charts().size()));
        const ExportOptions kept = rememberedExportOptions();
        QCOMPARE(kept.size, QSize(640, 400));
        QCOMPARE(kept.dpi, 240);
        QVERIFY(kept.formats == std::vector<ExportFormat>{ExportFormat::Jpg});
    }

    // The figures each example's note quotes are those its seeded session gives: the note says "about"
    // (kNoteDb) or gives bits per weight to two decimals (kNoteBits). Each row: a quantity of the core
    // report of the example's session and the value the note states.
    void exampleNotesHoldTheirFigures_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("what");  // sqnr a | sqnr a-b | bits a | bits a-b | db-per-bit a,b
        QTest::addColumn<int>("a");
        QTest::addColumn<int>("b");
        QTest::addColumn<double>("stated");
        QTest::addColumn<double>("tolerance");
        constexpr double kNoteDb = 0.5;     // "about N dB"
        constexpr double kNoteBits = 0.005; // bits per weight quoted to two decimals
        QTest::newRow("int8-vs-int4: about 6 dB per bit") << "int8-vs-int4" << "db-per-bit" << 0 << 1 << 6.02 << kNoteDb;
        QTest::newRow("outlier-rows: per-tensor about 9 dB") << "outlier-rows" << "sqnr" << 0 << -1 << 9.0 << kNoteDb;
        QTest::newRow("outlier-rows: per-channel about 17 dB") << "outlier-rows" << "sqnr" << 1 << -1 << 17.0 << kNoteDb;
        QTest::newRow("outlier-rows: g128 about 18 dB") << "outlier-rows" << "sqnr" << 2 << -1 << 18.0 << kNoteDb;
        QTest::newRow("outlier-rows: per-channel 0.03 more bits") << "outlier-rows" << "bits a-b" << 1 << 0 << 0.03 << kNoteBits;
        QTest::newRow("outlier-rows: g128 0.125 more bits") << "outlier-rows" << "bits a-b" << 2 << 0 << 0.125 << kNoteBits;
        QTest::newRow("heavy tails: min-max about 1 dB") << "heavy-tails-clipping" << "sqnr" << 0 << -1 << 1.0 << kNoteDb;
        QTest::newRow("heavy tails: percentile about 9.6 dB") << "heavy-tails-clipping" << "sqnr" << 1 << -1 << 9.6 << kNoteDb;
        QTest::newRow("heavy tails: MSE-optimal about 9.6 dB") << "heavy-tails-clipping" << "sqnr" << 2 << -1 << 9.6 << kNoteDb;
        QTest::newRow("nf4: about 1.4 dB over symmetric INT4") << "nf4-vs-int4" << "sqnr a-b" << 2 << 0 << 1.4 << kNoteDb;
        QTest::newRow("nf4: level with asymmetric INT4") << "nf4-vs-int4" << "sqnr a-b" << 2 << 1 << 0.0 << kNoteDb;
        QTest::newRow("scales: g128 about 2 dB over per-channel") << "scales-cost-bits" << "sqnr a-b" << 1 << 0 << 2.0 << kNoteDb;
        QTest::newRow("scales: g32 about 2 dB over g128") << "scales-cost-bits" << "sqnr a-b" << 2 << 1 << 2.0 << kNoteDb;
        QTest::newRow("scales: per-channel 4.04 bits") << "scales-cost-bits" << "bits" << 0 << -1 << 4.04 << kNoteBits;
        QTest::newRow("scales: g128 4.16 bits") << "scales-cost-bits" << "bits" << 1 << -1 << 4.16 << kNoteBits;
        QTest::newRow("scales: g32 4.63 bits") << "scales-cost-bits" << "bits" << 2 << -1 << 4.63 << kNoteBits;
        QTest::newRow("gguf: Q4_K about 1.6 dB over Q4_0") << "gguf-blocks" << "sqnr a-b" << 2 << 3 << 1.6 << kNoteDb;
        QTest::newRow("gguf: Q4_K 4.5 bits") << "gguf-blocks" << "bits" << 2 << -1 << 4.5 << kNoteBits;
        QTest::newRow("gguf: Q4_0 4.5 bits") << "gguf-blocks" << "bits" << 3 << -1 << 4.5 << kNoteBits;
        // gguf-ladder: Q2_K, Q3_K, Q4_K, IQ4_XS, Q5_K, Q6_K
        QTest::newRow("ladder: Q2_K about 10.6 dB") << "gguf-ladder" << "sqnr" << 0 << -1 << 10.6 << kNoteDb;
        QTest::newRow("ladder: Q3_K about 16.4 dB") << "gguf-ladder" << "sqnr" << 1 << -1 << 16.4 << kNoteDb;
        QTest::newRow("ladder: Q4_K about 22.9 dB") << "gguf-ladder" << "sqnr" << 2 << -1 << 22.9 << kNoteDb;
        QTest::newRow("ladder: Q5_K about 28.9 dB") << "gguf-ladder" << "sqnr" << 4 << -1 << 28.9 << kNoteDb;
        QTest::newRow("ladder: Q6_K about 35.0 dB") << "gguf-ladder" << "sqnr" << 5 << -1 << 35.0 << kNoteDb;
        QTest::newRow("ladder: IQ4_XS about 0.6 dB under Q4_K") << "gguf-ladder" << "sqnr a-b" << 3 << 2 << -0.6 << kNoteDb;
        QTest::newRow("ladder: IQ4_XS 0.25 fewer bits") << "gguf-ladder" << "bits a-b" << 3 << 2 << -0.25 << kNoteBits;
        QTest::newRow("ladder: Q2_K 2.625 bits") << "gguf-ladder" << "bits" << 0 << -1 << 2.625 << kNoteBits;
        QTest::newRow("ladder: Q3_K 3.44 bits") << "gguf-ladder" << "bits" << 1 << -1 << 3.44 << kNoteBits;
        QTest::newRow("ladder: Q6_K 6.56 bits") << "gguf-ladder" << "bits" << 5 << -1 << 6.56 << kNoteBits;
    }
    void exampleNotesHoldTheirFigures() {
        QFETCH(QString, id);
        QFETCH(QString, what);
        QFETCH(int, a);
        QFETCH(int, b);
        QFETCH(double, stated);
        QFETCH(double, tolerance);
        QString error;
        auto s = loadExample(id, &error);
        QVERIFY2(s, qPrintable(error));
        s->analysis.layer_sim.enabled = false;  // the figures are of the tensor
        s->analysis.forward_diff = false;
        s->analysis.snr_sweep = false;
        const AnalysisReport r = coreReport(*s);
        const auto& ca = r.configs.at(std::size_t(a)).metrics;
        double got = 0;
        if (what == QLatin1String("sqnr")) got = ca.sqnr_db;
        else if (what == QLatin1String("sqnr a-b")) got = ca.sqnr_db - r.configs.at(std::size_t(b)).metrics.sqnr_db;
        else if (what == QLatin1String("bits")) got = r.configs.at(std::size_t(a)).storage.bits_per_weight;
        else if (what == QLatin1String("bits a-b"))
            got = r.configs.at(std::size_t(a)).storage.bits_per_weight - r.configs.at(std::size_t(b)).storage.bits_per_weight;
        else if (what == QLatin1String("db-per-bit"))
            got = (ca.snr_db - r.configs.at(std::size_t(b)).metrics.snr_db) / (r.configs.at(std::size_t(a)).config.bits - r.configs.at(std::size_t(b)).config.bits);
        else QFAIL("unknown quantity");
        QVERIFY2(std::fabs(got - stated) <= tolerance, qPrintable(QStringLiteral("%1: %2, the note says %3").arg(what).arg(got).arg(stated)));
    }

    // Save, change, reopen: the window returns to the saved setup and recomputes it.
    void saveAndReopenSession() {
        const QString path = dir_.filePath("class.json");
        QString error;
        const Session saved = w_->session();
        QVERIFY2(saveSession(path, saved, &error), qPrintable(error));
        w_->configPanel()->setCurrent(1);
        QVERIFY(waitShown([&] { w_->configPanel()->bitsSlider()->setValue(5); }));
        QCOMPARE(w_->session().configs[1].bits, 5);
        bool opened = false;
        QVERIFY(waitShown([&] { opened = w_->openSession(path); }));
        QVERIFY(opened);
        QVERIFY(sessionToJson(w_->session()) == sessionToJson(saved));
        QCOMPARE(w_->configPanel()->configs().size(), saved.configs.size());
        QCOMPARE(w_->lastReport()->configs[1].config.bits, saved.configs[1].bits);
        CHECK_AGAINST_CORE();
    }

    // `quantlens --session FILE`: the option is taken out before QApplication (which would take
    // "-session"/"--session" for the X11 session manager) and handed to QuantLens' own parser.
    void sessionArgumentReachesTheWindow_data() {
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<QStringList>("qt");
        QTest::addColumn<QStringList>("own");
        QTest::newRow("--session FILE") << QStringList{"quantlens", "--session", "a.json"} << QStringList{"quantlens"}
                                        << QStringList{"--session", "a.json"};
        QTest::newRow("--session=FILE among Qt's options")
            << QStringList{"quantlens", "-platform", "offscreen", "--session=b c.json", "--lang", "en"}
            << QStringList{"quantlens", "-platform", "offscreen", "--lang", "en"} << QStringList{"--session", "b c.json"};
        QTest::newRow("-session FILE") << QStringList{"quantlens", "-session", "c.json"} << QStringList{"quantlens"}
                                       << QStringList{"--session", "c.json"};
        QTest::newRow("no value: the parser says so") << QStringList{"quantlens", "--session"} << QStringList{"quantlens"}
                                                      << QStringList{"--session"};
        QTest::newRow("a weights file") << QStringList{"quantlens", "w.npy"} << QStringList{"quantlens", "w.npy"} << QStringList{};
    }
    void sessionArgumentReachesTheWindow() {
        QFETCH(QStringList, argv);
        QFETCH(QStringList, qt);
        QFETCH(QStringList, own);
        std::vector<QByteArray> bytes;
        for (const QString& a : argv) bytes.push_back(a.toLocal8Bit());
        std::vector<char*> ptrs;
        for (QByteArray& b : bytes) ptrs.push_back(b.data());
        const ql::ui::GuiArguments g = ql::ui::split_gui_arguments(static_cast<int>(ptrs.size()), ptrs.data());
        QStringList gotQt, gotOwn;
        for (char* a : g.qt) gotQt << QString::fromLocal8Bit(a);
        for (const std::string& a : g.own) gotOwn << QString::fromStdString(a);
        QCOMPARE(gotQt, qt);
        QCOMPARE(gotOwn, own);
    }

    // The tensor panel's file line is selectable only when it names a file: a selectable word-wrapped
    // label lays its text out again, and repaints, whenever the panel's layout asks its height (which
    // every analysis's changed setting did, several times).
    void fileLineSelectableOnlyWithAFile() {
        ql::ui::TensorPanel panel;
        ql::ui::TensorSource src;
        panel.show(src);
        auto label = [&] {
            for (QLabel* l : panel.findChildren<QLabel*>())
                if (l->text() == QLatin1String("No file loaded") || l->text().startsWith(QLatin1String("File: "))) return l;
            return static_cast<QLabel*>(nullptr);
        };
        QVERIFY(label());
        QCOMPARE(label()->textInteractionFlags(), Qt::TextInteractionFlags(Qt::NoTextInteraction));
        src.file = "/models/w.npy";
        panel.show(src);
        QVERIFY(label() && label()->text().startsWith(QLatin1String("File: w.npy")));
        QCOMPARE(label()->textInteractionFlags(), Qt::TextInteractionFlags(Qt::TextSelectableByMouse));
    }

    // The GPU-fit chart sizes a model at each configuration's bits per weight on the model's matrices,
    // not on this tensor: a preset's hidden x hidden matrices have rows of whole blocks, and a per-row
    // scale spreads over `hidden` weights. On rows of 96 values Q4_K stores 12 bits per weight and INT4
    // per channel 4.375; the 7B preset (hidden 4096) takes 4.5 and 4 + 36/4096. Without a preset the
    // tensor's own bits stand, less the padding of its rows.
    void gpuFitTakesModelBits_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("granularity");
        QTest::addColumn<int>("scheme");
        QTest::addColumn<QString>("model");
        QTest::addColumn<double>("tensorBits");  // the premise: this 64 x 96 tensor's own storage
        QTest::addColumn<double>("modelBits");
        const int q4k = static_cast<int>(Format::Q4_K), in = static_cast<int>(Format::Int);
        const int pt = static_cast<int>(Granularity::PerTensor), pc = static_cast<int>(Granularity::PerChannel),
                  pg = static_cast<int>(Granularity::PerGroup);
        const int asym = static_cast<int>(Scheme::Asymmetric), sym = static_cast<int>(Scheme::Symmetric);
        // Q4_K: 144-byte super-blocks of 256 values; a row of 96 is one block, 256 code slots
        QTest::newRow("Q4_K, 7B") << q4k << 4 << pt << asym << "7B" << 144.0 * 8 / 96 << 4.5;
        QTest::newRow("Q4_K, no preset") << q4k << 4 << pt << asym << "" << 144.0 * 8 / 96 << 4.5;
        // INT4 per channel: an fp32 scale and a 4-bit zero point per row
        QTest::newRow("INT4 per channel, 7B") << in << 4 << pc << asym << "7B" << 4 + 36.0 / 96 << 4 + 36.0 / 4096;
        QTest::newRow("INT4 per channel, 70B") << in << 4 << pc << asym << "70B" << 4 + 36.0 / 96 << 4 + 36.0 / 8192;
        QTest::newRow("INT8 sym per channel, 13B") << in << 8 << pc << sym << "13B" << 8 + 32.0 / 96 << 8 + 32.0 / 5120;
        QTest::newRow("INT4 per channel, no preset") << in << 4 << pc << asym << "" << 4 + 36.0 / 96 << 4 + 36.0 / 96;
        // INT4 g128: an fp16 scale and a 4-bit zero point per group; a row of 96 is one (short) group
        QTest::newRow("INT4 g128, 7B") << in << 4 << pg << asym << "7B" << 4 + 20.0 / 96 << 4 + 20.0 / 128;
        // per tensor: one scale and zero point for 4096^2 weights
        QTest::newRow("INT8 per tensor, 7B") << in << 8 << pt << asym << "7B" << 8 + 40.0 / (64 * 96) << 8 + 40.0 / (4096.0 * 4096);
    }
    void gpuFitTakesModelBits() {
        QFETCH(int, format);
        QFETCH(int, bits);
        QFETCH(int, granularity);
        QFETCH(int, scheme);
        QFETCH(QString, model);
        QFETCH(double, tensorBits);
        QFETCH(double, modelBits);
        constexpr double kBitsTolerance = 1e-12;
        Session s = smallSession();
        s.tensor.generator.shape = {64, 96};
        QuantConfig c;
        c.format = static_cast<Format>(format);
        c.bits = bits;
        c.granularity = static_cast<Granularity>(granularity);
        c.scheme = static_cast<Scheme>(scheme);
        c.group_size = 128;
        s.configs = {c};
        s.fit.model = model.toStdString();
        s.fit.params = 7e9;
        const AnalysisReport r = coreReport(s);
        QVERIFY2(r.configs.at(0).error.empty(), r.configs.at(0).error.c_str());
        QVERIFY(std::fabs(r.configs.at(0).storage.bits_per_weight - tensorBits) < kBitsTolerance);
        const auto fit = makeGpuFit(s.fit, &r);
        const std::string name = c.display_name();
        const auto it = std::find_if(fit->formats.begin(), fit->formats.end(), [&](const MemoryFormat& f) { return f.name == name; });
        QVERIFY(it != fit->formats.end());
        QVERIFY2(std::fabs(it->bits_per_weight - modelBits) < kBitsTolerance,
                 qPrintable(QStringLiteral("%1 bits per weight, expected %2").arg(it->bits_per_weight, 0, 'g', 17).arg(modelBits, 0, 'g', 17)));
        const std::size_t k = static_cast<std::size_t>(it - fit->formats.begin());
        QCOMPARE(fit->estimates[k].weight_bytes, fit->params * it->bits_per_weight / 8.0);
        // the chart's tooltip note says where bits that differ from the table's come from
        const QString note = QString::fromStdString(it->note);
        if (std::fabs(modelBits - tensorBits) < kBitsTolerance) QVERIFY2(note.isEmpty(), qPrintable(note));
        else if (model.isEmpty()) QVERIFY2(note.contains(QLatin1String("without the padding of this tensor's rows")), qPrintable(note));
        else QVERIFY2(note.contains(QLatin1String("on the model's")) && note.contains(QLatin1String(" matrices; ")), qPrintable(note));
    }

    // Cancel (Esc, or the status bar's button) stops the analysis: the progress and the button go, and
    // until the next analysis the window says that its charts and table do not show the settings beside
    // them. Both a queued request (cancelled before it starts) and a running job end so; before, either
    // left no word, and a running job's progress bar and Cancel button stayed.
    void cancelSaysTheChartsLag_data() {
        QTest::addColumn<bool>("running");
        QTest::newRow("queued") << false;
        QTest::newRow("running") << true;
    }
    void cancelSaysTheChartsLag() {
        QFETCH(bool, running);
        auto* progress = w_->statusBar()->findChild<QProgressBar*>();
        QToolButton* cancel = nullptr;
        for (QToolButton* b : w_->statusBar()->findChildren<QToolButton*>())
            if (b->text() == QLatin1String("Cancel")) cancel = b;
        QVERIFY(progress && cancel);
        const auto before = w_->lastReport();
        Session s = w_->session();
        s.configs.pop_back();
        if (running) {
            // large enough to run for seconds: the progress bar and Cancel show after a quarter second
            s.tensor.generator.shape = {8192, 8192};
            s.view.compareAll = true;
            w_->setSession(s);
            QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible(), kAnalysisTimeoutMs);
            QVERIFY(w_->runner()->busy());
            cancel->click();
        } else {
            w_->setSession(s);  // queued; it starts when control returns to the event loop
            QVERIFY(!w_->runner()->busy());
            w_->runner()->cancel();
        }
        w_->runner()->waitForIdle();
        QTest::qWait(50);
        QVERIFY(!progress->isVisible());
        QVERIFY(!cancel->isVisible());
        QVERIFY(w_->analysisCancelled());
        QCOMPARE(w_->lastReport(), before);  // nothing of the cancelled job reached the charts
        QVERIFY(w_->statusBar()->currentMessage().contains(QLatin1String("cancelled")));
        auto* time = w_->findChild<QLabel*>(QStringLiteral("analysisTimeLabel"));
        QVERIFY(time && time->text().contains(QLatin1String("cancelled")));
        // a later message (a file that does not open) replaces the note; the time field still says it
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("nowhere\\.npy")));
        QVERIFY(!w_->loadTensorFile(dir_.filePath(QStringLiteral("nowhere.npy"))));
        QVERIFY(!w_->statusBar()->currentMessage().contains(QLatin1String("cancelled")));
        QVERIFY(w_->analysisCancelled());
        QVERIFY(time->text().contains(QLatin1String("cancelled")));
        // Recompute brings the charts to the settings again, and the note goes
        QVERIFY(waitShown([&] {
            Session small = smallSession();
            small.configs = s.configs;
            w_->setSession(small);
        }));
        QVERIFY(!w_->analysisCancelled());
        QVERIFY(!w_->statusBar()->currentMessage().contains(QLatin1String("cancelled")));
        QVERIFY(!time->text().contains(QLatin1String("cancelled")));
        CHECK_AGAINST_CORE();
        QVERIFY(waitShown([&] { w_->setSession(smallSession()); }));
    }

    // A damaged session file: an error, and the window keeps its last good setup and charts.
    void badSessionKeepsState() {
        const QString path = dir_.filePath("broken.json");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"quantlens_session": 1, "configs": [{"format": "int", "bits": 99}], "analysis": {"histogram_bins": 0}})");
        f.close();
        const QByteArray before = QByteArray::fromStdString(sessionToJson(w_->session()).dump());
        const auto reportBefore = w_->lastReport();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("broken\\.json")));
        QVERIFY(!w_->openSession(path));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("missing\\.json")));
        QVERIFY(!w_->openSession(dir_.filePath("missing.json")));
        QCOMPARE(QByteArray::fromStdString(sessionToJson(w_->session()).dump()), before);
        QCOMPARE(w_->lastReport(), reportBefore);
    }

    // `quantlens FILE`: a .npy file becomes the tensor source; its shape reaches the report.
    void loadNpyTensor() {
        GeneratorSpec g;
        g.shape = {40, 70};
        g.seed = 9;
        const QString path = dir_.filePath("w.npy");
        QVERIFY(write_npy(path.toStdString(), generate(g)).ok());
        QVERIFY(waitShown([&] { w_->loadTensorFile(path); }));
        QVERIFY(w_->session().tensor.fromFile);
        QCOMPARE(w_->lastReport()->tensor.numel, std::int64_t(40 * 70));
        QCOMPARE(w_->lastReport()->tensor.shape, (std::vector<std::int64_t>{40, 70}));
        // Back to the generator for the tests that follow.
        QVERIFY(waitShown([&] { w_->setSession(smallSession()); }));
    }

    // A tensor with NaN and infinite values: the count stays in view with the tensor (the setup's tensor
    // box and the status line), and the report's warning shows in the status bar.
    void nonFiniteValuesStayInView() {
        GeneratorSpec g;
        g.shape = {30, 50};
        Tensor t = generate(g);
        t.values[3] = std::numeric_limits<float>::quiet_NaN();
        t.values[700] = std::numeric_limits<float>::quiet_NaN();
        t.values[1200] = -std::numeric_limits<float>::infinity();
        const QString path = dir_.filePath("nonfinite.npy");
        QVERIFY(write_npy(path.toStdString(), t).ok());
        QVERIFY(waitShown([&] { w_->loadTensorFile(path); }));
        QCOMPARE(w_->lastReport()->tensor.nan_count, std::uint64_t(2));
        const QString said = QStringLiteral("2 NaN and 1 infinite values left out");
        auto* panel = w_->findChild<TensorPanel*>();
        QVERIFY(panel);
        QVERIFY2(panel->tensorInfo().contains(said), qPrintable(panel->tensorInfo()));
        auto* line = w_->findChild<QLabel*>(QStringLiteral("tensorSizeLabel"));
        QVERIFY(line);
        QVERIFY2(line->toolTip().contains(said), qPrintable(line->toolTip()));
        const QString message = w_->statusBar()->currentMessage() + w_->statusBar()->toolTip();
        QVERIFY2(message.contains(QStringLiteral("NaN")), qPrintable(message));
        // a finite tensor says nothing of them
        QVERIFY(waitShown([&] { w_->setSession(smallSession()); }));
        QVERIFY(!panel->tensorInfo().contains(QStringLiteral("NaN")));
        QVERIFY(!line->toolTip().contains(QStringLiteral("NaN")));
        // a number and its unit are not split where the box wraps its text ("(3.81" / "MiB)")
        const QRegularExpression split(QStringLiteral("\\d (B|kB|MB|KiB|MiB|k|M)\\b"));
        QVERIFY2(!split.match(panel->tensorInfo()).hasMatch(), qPrintable(panel->tensorInfo()));
        QVERIFY(panel->tensorInfo().contains(QStringLiteral("\u00A0KiB")));
    }

    // A status message longer than the bar's room is cut in its middle, within that room (before the
    // permanent labels), and the whole message is the bar's tooltip while it shows; one that fits shows whole.
    void statusMessagesFitTheBar() {
        QStatusBar* bar = w_->statusBar();
        const QString path = QStringLiteral("/exports/") + QString(12, QLatin1Char('x')).repeated(20) + QStringLiteral("/lesson-3");
        const QString longMessage = QStringLiteral("Wrote 9 files to ") + path;
        w_->showStatusMessage(longMessage, 60000);
        const QString shown = bar->currentMessage();
        QVERIFY2(shown != longMessage && shown.contains(QChar(0x2026)), qPrintable(shown));
        QVERIFY2(shown.startsWith(QStringLiteral("Wrote 9 files")) && shown.endsWith(QStringLiteral("lesson-3")), qPrintable(shown));
        // the message's room ends 2 px before the first permanent widget the bar shows beside it
        int room = bar->width();
        for (QWidget* child : bar->findChildren<QWidget*>(QString(), Qt::FindDirectChildrenOnly))
            if (child->isVisible() && child->x() > 0) room = std::min(room, child->x() - 2);
        QVERIFY2(6 + bar->fontMetrics().horizontalAdvance(shown) <= room,
                 qPrintable(QStringLiteral("%1 px of text from x = 6, room to %2 px").arg(bar->fontMetrics().horizontalAdvance(shown)).arg(room)));
        QCOMPARE(bar->toolTip(), longMessage);
        w_->showStatusMessage(QStringLiteral("Saved"), 60000);
        QCOMPARE(bar->currentMessage(), QStringLiteral("Saved"));
        QVERIFY(bar->toolTip().isEmpty());
        w_->showStatusMessage(longMessage, 60000);
        bar->clearMessage();
        QVERIFY(bar->toolTip().isEmpty());
    }

    // Several analysis warnings: the bar says how many and starts with the first, cut at its end (a cut in
    // the middle spliced one warning's end to another's start), every warning whole in the tooltip.
    void analysisWarningsAreCountedAndCutAtTheEnd() {
        Session s = smallSession();
        s.tensor.generator.shape = {16, 1000};  // rows of 1000: IQ4_XS and IQ4_NL both pad their last block
        QuantConfig xs = s.configs.at(0), nl = s.configs.at(0);
        xs.format = Format::IQ4_XS;
        nl.format = Format::IQ4_NL;
        s.configs = {xs, nl};
        QVERIFY(waitShown([&] { w_->setSession(s); }));
        const auto& warnings = w_->lastReport()->warnings;
        QCOMPARE(warnings.size(), std::size_t(2));
        QStatusBar* bar = w_->statusBar();
        const QString shown = bar->currentMessage();
        // ("2 warnings" with the English plural forms installed, as the app does; "2 warning(s)" without them)
        QVERIFY2(shown.startsWith(QStringLiteral("2 warning")), qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral(": ") + QString::fromStdString(warnings[0]).left(12)), qPrintable(shown));
        QVERIFY2(shown.endsWith(QChar(0x2026)), qPrintable(shown));
        for (const auto& w : warnings) QVERIFY2(bar->toolTip().contains(QString::fromStdString(w)), qPrintable(bar->toolTip()));
    }

    // A message shown before the window is (a file or session opened at start whose analysis warns) hides
    // the tensor's line under it once the window shows, and the line comes back when the message goes.
    void statusMessageBeforeTheWindowShows() {
        MainWindow w;
        w.resize(1000, 700);
        auto* line = w.findChild<QLabel*>(QStringLiteral("tensorSizeLabel"));
        QVERIFY(line);
        w.showStatusMessage(QStringLiteral("Q4_1: 3 of 9 values dequantize to +-inf or NaN"), 60000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY2(!line->isVisible(), "the tensor's line is drawn under the message");
        w.statusBar()->clearMessage();
        QVERIFY(line->isVisible());
    }

    // Presentation mode: larger fonts and thicker lines on every chart; the theme switches colours.
    // `quantlens --view NAME` brings a dock to the front by name; an unknown name is refused.
    void showDockByName_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("exists");
        QTest::newRow("speed") << "speed" << true;
        QTest::newRow("calibration") << "calibration" << true;
        QTest::newRow("metrics") << "metrics" << true;
        QTest::newRow("unknown") << "nosuchpanel" << false;
    }
    void showDockByName() {
        QFETCH(QString, name);
        QFETCH(bool, exists);
        QCOMPARE(w_->showDock(name), exists);
        if (exists) QVERIFY(!w_->findChild<QDockWidget*>(name + QStringLiteral("Dock"))->isHidden());
        if (name == QLatin1String("speed") || name == QLatin1String("calibration")) {  // floats over the window, with room for its charts
            const auto* dock = w_->findChild<QDockWidget*>(name + QStringLiteral("Dock"));
            QVERIFY(dock->isFloating());
            QVERIFY2(dock->width() >= 900 && dock->height() >= 600, qPrintable(QStringLiteral("%1x%2").arg(dock->width()).arg(dock->height())));
        }
    }

    // The metrics table's columns hold their text: after analyses whose values change, and after the
    // projector's larger font (the table refits when its font changes, with no new analysis).
    void metricsColumnsFitTheirText() {
        auto* table = w_->findChild<QTableView*>();
        QVERIFY(table);
        auto fits = [table] {
            const int cols = table->model()->columnCount();
            for (int c = 0; c + 1 < cols; ++c) {  // the last column stretches
                const int need = std::max(static_cast<QAbstractItemView*>(table)->sizeHintForColumn(c), table->horizontalHeader()->sectionSizeHint(c));
                if (table->columnWidth(c) < need) {
                    qWarning("column %d: width %d, text needs %d", c, table->columnWidth(c), need);
                    return false;
                }
            }
            return true;
        };
        for (int bits : {2, 7, 4}) {
            Session s = w_->session();
            s.configs[1].bits = bits;
            if (bits == 4) s.configs[1].label = "INT4, the configuration the class compares with INT8";  // a longer name
            QVERIFY(waitShown([&] { w_->setSession(s); }));
            QVERIFY(fits());
        }
        w_->setPresentationMode(true);
        QCoreApplication::processEvents();  // the application font reaches the widgets through events
        QVERIFY(fits());
        w_->setPresentationMode(false);
        QCoreApplication::processEvents();
        QVERIFY(fits());
        QVERIFY(waitShown([this] { w_->setSession(smallSession()); }));
    }
    // On a screen smaller than a large monitor (the offscreen screen here, a 1280x800 projector) presentation
    // mode shows the charts in two tab groups side by side, two large charts instead of four small ones
    // under projector type; leaving it brings back the arrangement the user had.
    void presentationGroupsChartsOnASmallScreen() {
        auto groupsOfCharts = [this] { return chartDockGroups(*w_); };
        const QScreen* sc = w_->screen();
        QVERIFY(sc && sc->geometry().width() < 1800);  // the offscreen screen counts as small
        const QSet<QString> before = groupsOfCharts();
        QVERIFY2(before.size() >= 4, qPrintable(QStringList(before.values()).join(QStringLiteral(" | "))));
        w_->setPresentationMode(true);
        QCoreApplication::processEvents();
        const QSet<QString> during = groupsOfCharts();
        QCOMPARE(during.size(), 2);
        w_->setPresentationMode(false);
        QCoreApplication::processEvents();
        QCOMPARE(groupsOfCharts(), before);
    }

    void presentationAndTheme() {
        ChartView* c = w_->chart("error_distribution");
        const double font = c->xAxis->labelFont().pointSizeF();
        const double pen = c->graph(0)->pen().widthF();
        w_->setPresentationMode(true);
        QVERIFY(w_->presentationMode());
        QVERIFY(c->xAxis->labelFont().pointSizeF() > font * 1.3);
        // the status bar's fixed-size time label grows with the projector's font: its text still fits
        QCoreApplication::processEvents();  // the application font reaches the widgets through events
        int timeLabels = 0;
        for (auto* label : w_->statusBar()->findChildren<QLabel*>())
            if (label->text().startsWith(QStringLiteral("Analysis:"))) {
                ++timeLabels;
                QVERIFY2(label->width() >= label->fontMetrics().horizontalAdvance(label->text()), qPrintable(label->text()));
            }
        QCOMPARE(timeLabels, 1);
        QVERIFY(c->graph(0)->pen().widthF() > pen * 1.3);
        w_->setPresentationMode(false);
        QCOMPARE(c->xAxis->labelFont().pointSizeF(), font);
        w_->setDarkTheme(true);
        QVERIFY(w_->darkTheme());
        QVERIFY(c->toPixmap(200, 120).toImage().pixelColor(3, 3).lightness() < 100);
        w_->setDarkTheme(false);
        QVERIFY(c->toPixmap(200, 120).toImage().pixelColor(3, 3).lightness() > 200);
    }

    // Help > "What does this chart show?" (Shift+F1) enters What's This mode, where a click on a chart shows
    // its explanation.
    void whatsThisExplainsCharts() {
        auto* action = w_->findChild<QAction*>(QStringLiteral("whatsThisAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::SHIFT | Qt::Key_F1));
        ChartView* weights = w_->chart("weight_distribution");
        QVERIFY(weights);
        QEvent ask(QEvent::QueryWhatsThis);
        QCoreApplication::sendEvent(weights, &ask);
        QVERIFY(ask.isAccepted());
        QVERIFY(!weights->whatsThis().isEmpty());
        QCOMPARE(weights->whatsThis(), weights->explanation());
    }

    // The window fits a 1280x800 screen (a common projector): the docks' least widths and heights add up
    // to less, so no column of charts lies beyond the screen's edge.
    void fitsASmallScreen() {
        const QSize least = w_->minimumSizeHint();
        QVERIFY2(least.width() <= 1280 && least.height() <= 800, qPrintable(QStringLiteral("%1 x %2").arg(least.width()).arg(least.height())));
    }

    // The toolbar's overflow button ('>>', where Presentation mode and Dark theme go on a projector) stands
    // out from the toolbar in both themes: Fusion's fixed grey arrow all but vanished on the dark one.
    void overflowButtonVisible_data() {
        QTest::addColumn<bool>("dark");
        QTest::newRow("light") << false;
        QTest::newRow("dark") << true;
    }
    void overflowButtonVisible() {
        QFETCH(bool, dark);
        w_->setDarkTheme(dark);
        auto* more = w_->findChild<QToolButton*>(QStringLiteral("qt_toolbar_ext_button"));
        QVERIFY(more);
        const QImage icon = more->icon().pixmap(16, 16).toImage();
        QVERIFY(!icon.isNull());
        // the icon's ink (its opaque pixels' mean lightness) against the toolbar's background
        double ink = 0, weight = 0;
        for (int y = 0; y < icon.height(); ++y)
            for (int x = 0; x < icon.width(); ++x) {
                const QColor c = icon.pixelColor(x, y);
                ink += c.alphaF() * c.lightnessF();
                weight += c.alphaF();
            }
        QVERIFY(weight > 0);
        const double background = QApplication::palette().color(QPalette::Window).lightnessF();  // the toolbar's
        constexpr double kLeastLightnessGap = 0.4;
        QVERIFY2(std::abs(ink / weight - background) >= kLeastLightnessGap,
                 qPrintable(QStringLiteral("ink lightness %1 on %2").arg(ink / weight).arg(background)));
        w_->setDarkTheme(false);
    }

    // Every visible string of the window goes through tr(): with the zh_CN translation installed, a new
    // window's title, menus and chart titles are Chinese.
    // The English translation is installed too: it carries the plural forms, so a count reads "1 warning",
    // "2 warnings" and not "2 warning(s)" (the sources' text); Chinese for a zh locale.
    void translationFileForLocale_data() {
        QTest::addColumn<QByteArray>("lang");
        QTest::addColumn<QString>("file");
        QTest::newRow("zh_CN") << QByteArray("zh_CN") << QStringLiteral(":/i18n/quantlens_zh_CN.qm");
        QTest::newRow("zh_TW") << QByteArray("zh_TW") << QStringLiteral(":/i18n/quantlens_zh_CN.qm");
        QTest::newRow("en_US") << QByteArray("en_US") << QStringLiteral(":/i18n/quantlens_en.qm");
        QTest::newRow("C") << QByteArray("C") << QStringLiteral(":/i18n/quantlens_en.qm");
        QTest::newRow("de_DE") << QByteArray("de_DE") << QStringLiteral(":/i18n/quantlens_en.qm");
    }
    void translationFileForLocale() {
        QFETCH(QByteArray, lang);
        QFETCH(QString, file);
        QCOMPARE(QString::fromLatin1(ql::ui::translationFile(lang.constData())), file);
    }
    void englishPluralForms() {
        QTranslator en;
        QVERIFY(en.load(QString::fromLatin1(ql::ui::translationFile("en"))));
        // (QTranslator gives the form; QCoreApplication::translate puts the number in for %n)
        QCOMPARE(en.translate("ql::ui::MainWindow", "%n warning(s): ", nullptr, 1), QStringLiteral("%n warning: "));
        QCOMPARE(en.translate("ql::ui::MainWindow", "%n warning(s): ", nullptr, 2), QStringLiteral("%n warnings: "));
        QCOMPARE(en.translate("ql::ui::MainWindow", "Wrote %n file(s) to %1", nullptr, 3), QStringLiteral("Wrote %n files to %1"));
    }

    void chineseTranslation() {
        QTranslator zh;
        QVERIFY(zh.load(QStringLiteral(":/i18n/quantlens_zh_CN.qm")));
        QCoreApplication::installTranslator(&zh);
        {
            MainWindow cn;
            QVERIFY2(cn.windowTitle() != QLatin1String("QuantLens - see what quantization does to weights"), qPrintable(cn.windowTitle()));
            QVERIFY2(cn.windowTitle().contains(QChar(0x91CF)), qPrintable(cn.windowTitle()));  // 量 (quantization)
            auto hasCjk = [](const QString& t) {
                return std::any_of(t.begin(), t.end(), [](QChar c) { return c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF; });
            };
            int explained = 0;
            for (ChartView* ch : cn.charts()) {
                QVERIFY2(hasCjk(ch->title()), qPrintable(ch->title()));
                if (ch->explanation().isEmpty()) continue;
                QVERIFY2(hasCjk(ch->explanation()), qPrintable(ch->explanation()));
                ++explained;
            }
            QVERIFY(explained >= 9);  // the window's nine charts
            // and the calibration, speed and survey views' charts
            std::vector<std::unique_ptr<ChartView>> others;
            for (ChartView* c : createCalibrationCharts(nullptr)) others.emplace_back(c);
            others.emplace_back(new SpeedTimeChart(nullptr));
            others.emplace_back(new DecodeTokensChart(nullptr));
            others.emplace_back(new RooflineChart(nullptr));
            others.emplace_back(new ModelSqnrChart(nullptr));
            for (const auto& c : others) QVERIFY2(hasCjk(c->explanation()), qPrintable(c->explanation()));
            for (Format f : all_formats()) QVERIFY2(hasCjk(ConfigPanel::formatDescription(f)), qPrintable(ConfigPanel::formatDescription(f)));
            for (const Example& e : examples()) {  // the classroom examples' titles and notes
                QVERIFY2(hasCjk(e.title), qPrintable(e.title));
                QVERIFY2(hasCjk(e.lookAt), qPrintable(e.lookAt));
            }
            // the memory chart's unit (it was left in English: "内存（MB, 10^6 bytes）")
            auto memory = std::unique_ptr<ChartView>(new MemoryChart(nullptr));
            ChartInputs in;
            auto report = std::make_shared<AnalysisReport>();
            report->tensor.numel = 1000;
            MemoryBar bar;
            bar.label = "FP32";
            bar.bits_per_weight = 32;
            bar.bytes = 4000000;
            report->memory = {bar};
            in.report = report;
            memory->setInputs(in);
            QVERIFY2(memory->yAxis->label().contains(QStringLiteral("字节")), qPrintable(memory->yAxis->label()));
            QVERIFY(cn.runner());
            cn.runner()->cancel();
        }
        QCoreApplication::removeTranslator(&zh);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
