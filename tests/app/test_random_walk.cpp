// The whole window driven by a seeded random walk through its controls: every visible, enabled combo
// box, spin box, check box, button, slider, tab, list row, text field and menu action is a possible step, as a
// curious learner would click through them, and now and then a file is opened (some do not load).
// Dialogs that open are closed again (as a learner pressing Escape). Every few steps the test waits for
// the analysis and checks that the window shows core's report for the session it holds (ql::analyze
// called directly), so a late result from an earlier setting, or a setting shown but not applied,
// fails; that the calibration dock shows a run of its own settings; and that the session survives a
// save and an open. Run under the sanitizers it finds crashes and undefined behaviour on paths no
// scripted test takes. QL_RANDOM_WALK_SEEDS and QL_RANDOM_WALK_STEPS set the number of walks and their
// steps; QL_RANDOM_WALK_VERBOSE prints each step. Long runs want -maxwarnings 0: Qt Test stops printing
// after 2000 messages per test function, and a failing walk prints its steps as messages; long runs in the
// sanitizer build want QTEST_FUNCTION_TIMEOUT too (Qt Test's watchdog stops a run after 5 minutes, and a
// walk that starts the Speed tab's or the calibration dock's runs takes about 2 minutes there).
#include <QtTest>

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QStatusBar>
#include <QRadioButton>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QTabBar>
#include <QTimer>
#include <QToolButton>

#include <QAbstractItemView>
#include <QTemporaryDir>

#include <algorithm>
#include <optional>
#include <random>

#include "core/analysis.h"
#include "core/generators.h"
#include "core/model_file.h"
#include "core/npy.h"
#include "calibration_view.h"
#include "main_window.h"
#include "metrics_model.h"
#include "qcp_complaints.h"
#include "session.h"
#include "small_session.h"
#include "test_settings.h"

using namespace ql;
using namespace ql::ui;

// QVERIFY that first prints the walk's steps when it fails.
#define WALK_VERIFY(cond)               \
    do {                                \
        if (!(cond)) printSteps();      \
        QVERIFY(cond);                  \
    } while (false)

namespace {

constexpr int kDefaultSeeds = 3;
constexpr int kDefaultSteps = 60;
constexpr int kStepsBetweenChecks = 6;
constexpr double kFileChance = 0.04;
constexpr double kResizeChance = 0.03;
constexpr double kEndChance = 0.15;  // a spin box set to either end of its range
constexpr int kCheapTop = 4096;      // spin boxes up to this reach their top (larger ones are tensor sizes)

// Core's report for the session: its tensor generated, or read from its file (the named tensor, or the
// file's first), without the window. Empty when the file does not load.
std::optional<AnalysisReport> coreReport(const Session& s) {
    AnalysisRequest req;
    if (s.tensor.fromFile) {
        auto f = open_model_file(s.tensor.file);
        if (!f || f.value()->tensors().empty()) return std::nullopt;
        auto t = f.value()->load(s.tensor.tensor.empty() ? f.value()->tensors().front().name : s.tensor.tensor);
        if (!t) return std::nullopt;
        req.tensor = std::make_shared<const Tensor>(std::move(t).value());
    } else {
        req.tensor = std::make_shared<const Tensor>(generate(s.tensor.generator));
    }
    req.configs = s.configs;
    req.options = s.analysis;
    return analyze(req);
}

// Closes whatever modal dialog or popup menu a step opened, as Escape would.
class DialogCloser : public QObject {
public:
    explicit DialogCloser(QObject* parent) : QObject(parent) {
        timer_.setInterval(20);
        connect(&timer_, &QTimer::timeout, this, [] {
            if (QWidget* p = QApplication::activePopupWidget()) p->close();
            if (QWidget* m = QApplication::activeModalWidget()) {
                if (auto* d = qobject_cast<QDialog*>(m)) d->reject();
                else m->close();
            }
        });
        timer_.start();
    }

private:
    QTimer timer_;
};

} // namespace

class TestRandomWalk : public QObject {
    Q_OBJECT
    std::unique_ptr<MainWindow> w_;
    std::mt19937 rng_;
    QStringList log_;  // the steps taken, printed when a check fails
    QTemporaryDir dir_;
    std::vector<QString> files_;  // what the walk opens: tensors, models, a broken archive, a missing file
    const bool verbose_ = qEnvironmentVariableIsSet("QL_RANDOM_WALK_VERBOSE");  // print each step as it is taken

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

    static QString nameOf(const QObject* o) {
        QString n = o->objectName();
        if (const auto* b = qobject_cast<const QAbstractButton*>(o); b && n.isEmpty()) n = b->text();
        if (const auto* a = qobject_cast<const QAction*>(o); a && n.isEmpty()) n = a->text();
        if (n.isEmpty() && o->parent()) n = QStringLiteral("child of ") + o->parent()->metaObject()->className() + QLatin1Char(' ') +
                                           o->parent()->objectName();
        return QString::fromLatin1(o->metaObject()->className()) + QLatin1Char(' ') + n;
    }

    // Actions a random walk leaves alone: quitting ends the walk.
    static bool skipAction(const QAction* a) {
        if (a->isSeparator() || a->menu()) return true;
        const QKeySequence k = a->shortcut();
        return k == QKeySequence::Quit || k == QKeySequence::Close || a->text().contains(QLatin1String("Quit")) ||
               a->text().contains(QLatin1String("Exit"));
    }

    void step() {
        std::vector<QObject*> targets;
        for (QWidget* c : w_->findChildren<QWidget*>()) {
            if (!c->isVisible() || !c->isEnabled()) continue;
            if (qobject_cast<QComboBox*>(c) || qobject_cast<QAbstractSpinBox*>(c) || qobject_cast<QAbstractButton*>(c) ||
                qobject_cast<QSlider*>(c) || qobject_cast<QTabBar*>(c) || qobject_cast<QAbstractItemView*>(c) ||
                (qobject_cast<QLineEdit*>(c) && !qobject_cast<QAbstractSpinBox*>(c->parentWidget()) && !qobject_cast<QComboBox*>(c->parentWidget())))
                targets.push_back(c);
        }
        // now and then another window size (a projector, a laptop, a narrow half screen)
        if (chance(kResizeChance)) {
            const QSize size(std::uniform_int_distribution<int>(500, 1920)(rng_), std::uniform_int_distribution<int>(400, 1200)(rng_));
            log_ << QStringLiteral("resize to %1x%2").arg(size.width()).arg(size.height());
            w_->resize(size);
            return;
        }
        // now and then a file, as a learner opening one (some of them broken)
        if (chance(kFileChance)) {
            const QString f = files_[std::size_t(pick(int(files_.size())))];
            log_ << QStringLiteral("open file ") + QFileInfo(f).fileName();
            w_->loadTensorFile(f);
            return;
        }
        for (QAction* a : w_->findChildren<QAction*>())
            if (a->isEnabled() && !skipAction(a)) targets.push_back(a);
        QVERIFY(!targets.empty());
        QObject* t = targets[std::size_t(pick(int(targets.size())))];
        QString what = nameOf(t);
        if (auto* cb = qobject_cast<QComboBox*>(t)) {
            if (cb->count() == 0) return;
            const int i = pick(cb->count());
            what += QStringLiteral(" -> %1").arg(cb->itemText(i));
            log_ << what;
            cb->setCurrentIndex(i);
            emit cb->activated(i);
        } else if (auto* sb = qobject_cast<QSpinBox*>(t)) {
            // a few steps, or now and then either end of a range that costs little at its top
            const int steps = (pick(7) - 3) * std::max(1, sb->singleStep());
            int v = std::clamp(sb->value() + steps, sb->minimum(), sb->maximum());
            if (sb->maximum() <= kCheapTop && chance(kEndChance)) v = chance(0.5) ? sb->minimum() : sb->maximum();
            // a larger value in a size's range, so later steps supersede a job that runs a while
            else if (sb->maximum() > kCheapTop && chance(kEndChance)) v = std::clamp(1 << (5 + pick(7)), sb->minimum(), sb->maximum());
            what += QStringLiteral(" %1 -> %2").arg(sb->value()).arg(v);
            log_ << what;
            sb->setValue(v);
            emit sb->editingFinished();
        } else if (auto* ds = qobject_cast<QDoubleSpinBox*>(t)) {
            double v = std::clamp(ds->value() + (pick(7) - 3) * ds->singleStep(), ds->minimum(), ds->maximum());
            if (chance(kEndChance)) v = chance(0.5) ? ds->minimum() : ds->maximum();
            what += QStringLiteral(" %1 -> %2").arg(ds->value()).arg(v);
            log_ << what;
            ds->setValue(v);
            emit ds->editingFinished();
        } else if (auto* b = qobject_cast<QAbstractButton*>(t)) {
            log_ << what + QStringLiteral(" click");
            b->click();
        } else if (auto* sl = qobject_cast<QSlider*>(t)) {
            const QAbstractSlider::SliderAction act =
                chance(0.5) ? QAbstractSlider::SliderSingleStepAdd : QAbstractSlider::SliderSingleStepSub;
            log_ << what + (act == QAbstractSlider::SliderSingleStepAdd ? QStringLiteral(" +1") : QStringLiteral(" -1"));
            sl->triggerAction(act);
        } else if (auto* tb = qobject_cast<QTabBar*>(t)) {
            if (tb->count() == 0) return;
            const int i = pick(tb->count());
            log_ << what + QStringLiteral(" tab %1").arg(tb->tabText(i));
            tb->setCurrentIndex(i);
        } else if (auto* v = qobject_cast<QAbstractItemView*>(t)) {
            // a row, or a row's child (a tensor under its group), as a click would choose it
            QAbstractItemModel* m = v->model();
            if (m == nullptr || m->rowCount(v->rootIndex()) == 0) return;
            QModelIndex i = m->index(pick(m->rowCount(v->rootIndex())), 0, v->rootIndex());
            while (m->rowCount(i) > 0 && chance(0.7)) i = m->index(pick(m->rowCount(i)), 0, i);
            log_ << what + QStringLiteral(" row '%1'").arg(i.data().toString());
            v->setCurrentIndex(i);
            emit v->clicked(i);
        } else if (auto* le = qobject_cast<QLineEdit*>(t)) {
            // typed text (a filter, a name): words that match, that match nothing, and odd characters
            static const QStringList words = {QString(), QStringLiteral("weight"), QStringLiteral("conv"), QStringLiteral("zzz"),
                                              QStringLiteral("0"), QStringLiteral("*"), QStringLiteral("(["), QStringLiteral("\u4e2d")};
            const QString text = words[pick(int(words.size()))];
            log_ << what + QStringLiteral(" type '%1'").arg(text);
            le->setText(text);
            emit le->textEdited(text);
            emit le->editingFinished();
            emit le->returnPressed();
        } else if (auto* a = qobject_cast<QAction*>(t)) {
            log_ << what + QStringLiteral(" trigger");
            a->trigger();
        }
        // sometimes the next step comes before the last one's analysis is shown
        if (verbose_) qInfo("step %lld: %s", static_cast<long long>(log_.size()), qPrintable(log_.isEmpty() ? what : log_.last()));
        QTest::qWait(pick(3) == 0 ? 0 : pick(40));
    }

    void settle() {
        for (int i = 0; i < 3; ++i) {
            w_->runner()->waitForIdle();
            QTest::qWait(30);
        }
    }

    // Prints the steps so far, one per line: a check is about to fail.
    void printSteps() const {
        for (int i = 0; i < log_.size(); ++i) qInfo("step %d: %s", i + 1, qPrintable(log_[i]));
    }

    void checkAgainstCore() {
        settle();
        const Session s = w_->session();
        if (w_->analysisCancelled()) {
            // a cancelled analysis leaves the charts behind the settings, and the window says so where it
            // stays: the status bar's time field (a later message, an export's or a file's error, replaces
            // the note beside it)
            auto* time = w_->findChild<QLabel*>(QStringLiteral("analysisTimeLabel"));
            WALK_VERIFY(time && time->text().contains(QLatin1String("cancelled")));
            return;
        }
        const auto shown = w_->lastReport();
        WALK_VERIFY(shown);
        const std::optional<AnalysisReport> core = coreReport(s);
        WALK_VERIFY(core);  // the window keeps a file as its source only when it loads
        const AnalysisReport& want = *core;
        if (verbose_) qInfo("report checked: %zu configurations, %s", want.configs.size(), s.tensor.fromFile ? "a file" : "generated");
        if (shown->configs.size() != want.configs.size()) {
            printSteps();
            QFAIL(qPrintable(QStringLiteral("the window shows %1 configurations, its session has %2")
                                 .arg(shown->configs.size())
                                 .arg(want.configs.size())));
        }
        WALK_VERIFY(shown->tensor.numel == want.tensor.numel);
        for (std::size_t i = 0; i < want.configs.size(); ++i) {
            WALK_VERIFY(shown->configs[i].config == want.configs[i].config);
            const double a = shown->configs[i].metrics.mse, b = want.configs[i].metrics.mse;
            WALK_VERIFY(a == b || (std::isnan(a) && std::isnan(b)));
            WALK_VERIFY(shown->configs[i].dequantized.counts == want.configs[i].dequantized.counts);
        }
        WALK_VERIFY(w_->metricsModel()->rowCount() == int(want.configs.size()));
    }

    // Whatever setup the walk reached survives a session file: saved and opened again it is the same
    // setup (the file's JSON as well).
    void checkSessionRoundTrip() {
        const Session s = w_->session();
        const nlohmann::json j = sessionToJson(s);
        Session back;
        try {
            back = sessionFromJson(j);
        } catch (const std::exception& e) {
            printSteps();
            QFAIL(qPrintable(QStringLiteral("the window's session does not open again: %1\n%2")
                                 .arg(QString::fromUtf8(e.what()), QString::fromStdString(j.dump()))));
        }
        WALK_VERIFY(back.tensor == s.tensor);
        WALK_VERIFY(back.configs == s.configs);
        WALK_VERIFY(back.fit == s.fit);
        WALK_VERIFY(back.view == s.view);
        WALK_VERIFY(back.lesson == s.lesson);
        WALK_VERIFY(sessionToJson(back) == j);
    }

    // The calibration dock, once it has run: its charts come from a run of the settings its panel shows
    // (a generated layer: its sizes, the bits, group, GPTQ and SmoothQuant settings and the methods).
    void checkCalibration() {
        auto* v = w_->findChild<CalibrationView*>();
        if (v == nullptr) return;
        v->waitForIdle();
        const auto r = v->report();
        const CalibrationSetup s = v->setup();
        auto* status = v->findChild<QLabel*>(QStringLiteral("calibrationStatus"));
        WALK_VERIFY(status);
        // no run yet, or none for these settings, and the dock says why
        if (!r || s.source != CalibrationSetup::Source::Generated || s.methods.empty() ||
            status->text().startsWith(QLatin1String("Cancelled")) || status->text().startsWith(QLatin1String("Cannot")))
            return;
        if (verbose_) qInfo("calibration report checked: %zu methods", r->methods.size());
        if (!(r->layer.out == s.spec.out && r->layer.in == s.spec.in && r->layer.tokens == s.spec.tokens)) {
            printSteps();
            QFAIL(qPrintable(QStringLiteral("the calibration charts show a %1 x %2 layer with %3 tokens, the panel asks for %4 x %5 with %6; "
                                            "status: %7")
                                 .arg(r->layer.out)
                                 .arg(r->layer.in)
                                 .arg(r->layer.tokens)
                                 .arg(s.spec.out)
                                 .arg(s.spec.in)
                                 .arg(s.spec.tokens)
                                 .arg(status->text())));
        }
        WALK_VERIFY(r->settings.bits == s.settings.bits && r->settings.group_size == s.settings.group_size);
        WALK_VERIFY(r->settings.act_order == s.settings.act_order && r->settings.percdamp == s.settings.percdamp);
        WALK_VERIFY(r->settings.alpha == s.settings.alpha);
        for (calib::CalibMethod m : s.methods) {
            const std::string name = calib::calib_method_name(m);
            bool found = std::find(r->failed.begin(), r->failed.end(), name) != r->failed.end();
            for (const auto& mr : r->methods)
                found = found || mr.method == name || (m == calib::CalibMethod::SmoothQuant && mr.method.rfind("smoothquant", 0) == 0);
            if (!found) qInfo("the calibration report has no result for %s", name.c_str());
            WALK_VERIFY(found);
        }
    }

private slots:
    void cleanup() { failOnQcpComplaints(); }
    void initTestCase() {
        listenForQcpComplaints();
        useEmptyTestSettings(QStringLiteral("test_random_walk"));
        new DialogCloser(this);
        QVERIFY(dir_.isValid());
        GeneratorSpec g;
        g.shape = {48, 64};
        const QString npy = dir_.filePath(QStringLiteral("walk.npy"));
        QVERIFY(write_npy(npy.toStdString(), generate(g)).ok());
        files_ = {npy, QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_model.safetensors"),
                  QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_q8_0.gguf"), QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_fp4.gguf"),
                  QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_iq.gguf"), QStringLiteral(QL_TEST_DATA_DIR "/npz/mixed.npz"),
                  QStringLiteral(QL_TEST_DATA_DIR "/npz/bad_member_header.npz"), dir_.filePath(QStringLiteral("missing.npy"))};
        // real models where the test models were fetched (scripts/fetch-test-models.sh)
        const QString onnx = QStringLiteral(QL_TEST_CACHE_DIR "/silero-vad/weights/silero_vad_op18_ifless.onnx");
        if (QFileInfo::exists(onnx)) files_.push_back(onnx);
        const QString tfjs = QStringLiteral(QL_TEST_CACHE_DIR "/face-api/model/face_expression_model-weights_manifest.json");
        if (QFileInfo::exists(tfjs)) files_.push_back(tfjs);
    }
    void cleanupTestCase() { QSettings().clear(); }

    void walk_data() {
        QTest::addColumn<unsigned>("seed");
        const int seeds = qEnvironmentVariableIsSet("QL_RANDOM_WALK_SEEDS") ? qEnvironmentVariableIntValue("QL_RANDOM_WALK_SEEDS") : kDefaultSeeds;
        for (unsigned seed = 1; seed <= unsigned(seeds); ++seed) QTest::addRow("seed %u", seed) << seed;
    }
    void walk() {
        QFETCH(unsigned, seed);
        rng_.seed(seed);
        log_.clear();
        w_ = std::make_unique<MainWindow>();
        w_->resize(1400, 900);
        w_->show();
        w_->setSession(smallSession());
        const int steps = qEnvironmentVariableIsSet("QL_RANDOM_WALK_STEPS") ? qEnvironmentVariableIntValue("QL_RANDOM_WALK_STEPS")
                                                                             : kDefaultSteps;
        for (int i = 0; i < steps; ++i) {
            step();
            if (QTest::currentTestFailed()) return;
            if ((i + 1) % kStepsBetweenChecks == 0) {
                checkAgainstCore();
                if (QTest::currentTestFailed()) return;
                checkCalibration();
                if (QTest::currentTestFailed()) return;
                checkSessionRoundTrip();
                if (QTest::currentTestFailed()) return;
            }
        }
        checkAgainstCore();
        w_.reset();
    }
};

QTEST_MAIN(TestRandomWalk)
#include "test_random_walk.moc"
