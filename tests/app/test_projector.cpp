// The window on a 1280x800 projector (an offscreen screen of that size, tests/CMakeLists.txt): a
// classroom example in presentation mode shows two large charts side by side, each wide enough to
// read, one of them the chart its note points to, and the setup column with its lesson note whole (no
// sideways scrolling), every tab of the two groups named whole; leaving presentation mode brings back the
// four-chart arrangement.
#include <QtTest>
#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QStyle>
#include <QTabBar>
#include <QTableView>

#include "qcp_complaints.h"
#include "test_settings.h"
#include "dock_groups.h"
#include "charts/chart_view.h"
#include "examples.h"
#include "main_window.h"

using namespace ql;
using namespace ql::ui;

namespace {
constexpr int kAnalysisTimeoutMs = 60000;
constexpr int kReadableChartWidth = 350;  // pixels: a chart narrower than this in projector type is cramped
}

class TestProjector : public QObject {
    Q_OBJECT
    std::unique_ptr<MainWindow> w_;

    QSet<QString> chartGroups() const { return chartDockGroups(*w_); }

    // Fails the test where a visible tab cuts its name; the tabs counted.
    int tabsNamedWhole() const {
        int tabs = 0;
        for (QTabBar* bar : w_->findChildren<QTabBar*>(QString(), Qt::FindDirectChildrenOnly)) {
            if (!bar->isVisible()) continue;
            const int space = bar->style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, bar);
            for (int i = 0; i < bar->count(); ++i, ++tabs)
                if (bar->tabRect(i).width() < bar->fontMetrics().horizontalAdvance(bar->tabText(i)) + space) {
                    QTest::qFail(qPrintable(QStringLiteral("tab '%1' is %2 px wide").arg(bar->tabText(i)).arg(bar->tabRect(i).width())), __FILE__, __LINE__);
                    return -1;
                }
        }
        return tabs;
    }

private slots:
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    void initTestCase() {
        listenForQcpComplaints();
        useEmptyTestSettings(QStringLiteral("test_projector"));
        w_ = std::make_unique<MainWindow>();
        w_->show();
        const QScreen* sc = w_->screen();
        QVERIFY(sc);
        QVERIFY2(sc->geometry().size() == QSize(1280, 800),
                 qPrintable(QStringLiteral("the offscreen screen is %1x%2, not the projector's 1280x800 (configfile not read)")
                                .arg(sc->geometry().width())
                                .arg(sc->geometry().height())));
        QString error;
        const auto s = loadExample(QStringLiteral("scales-cost-bits"), &error);
        QVERIFY2(s, qPrintable(error));
        QSignalSpy shown(w_.get(), &MainWindow::analysisShown);
        w_->setSession(*s);
        QVERIFY(shown.wait(kAnalysisTimeoutMs));
    }
    void cleanupTestCase() {
        w_.reset();
        QSettings().clear();
    }

    void presentationOnAProjector() {
        const QSet<QString> before = chartGroups();
        QCOMPARE(before.size(), 4);
        auto* metricsDock = w_->findChild<QDockWidget*>(QStringLiteral("metricsDock"));
        QVERIFY(metricsDock);
        const int metricsHeight = metricsDock->height();
        w_->setPresentationMode(true);
        QTest::qWait(100);  // full screen, the projector's type and the column's width arrive as events
        QCOMPARE(chartGroups().size(), 2);
        // the two charts in front: side by side, each readable; one of them the chart the lesson's note
        // points to ("Bits vs error", the session's view.front)
        int front = 0;
        QStringList shown;
        for (ChartView* c : w_->charts())
            if (c->onScreen()) {
                ++front;
                shown << c->chartId();
                QVERIFY2(c->width() >= kReadableChartWidth, qPrintable(QStringLiteral("%1 is %2 px wide").arg(c->chartId()).arg(c->width())));
            }
        QCOMPARE(front, 2);
        QVERIFY2(shown.contains(QStringLiteral("pareto")), qPrintable(shown.join(QStringLiteral(", "))));
        // the setup column holds its content's width: the lesson note is not cut at its edge
        auto* scroll = w_->findChild<QScrollArea*>(QStringLiteral("setupScroll"));
        QVERIFY(scroll && scroll->widget());
        QVERIFY2(scroll->horizontalScrollBar()->maximum() == 0,
                 qPrintable(QStringLiteral("content %1 px in a %2 px column").arg(scroll->widget()->width()).arg(scroll->viewport()->width())));
        // every tab of the two groups names its chart whole (in the projector's type, and with the Speed and
        // survey docks as tabs, they read 'W...', 'M...', 'Er...')
        QVERIFY(tabsNamedWhole() >= 9);  // the nine charts at least (and the setup column's tabs)
        // the status line is whole or cut with an ellipsis, within its label: cut at the bar's edge it
        // read '... 4.00 MB (3.81 MiB) as FP3'
        auto* line = w_->findChild<QLabel*>(QStringLiteral("tensorSizeLabel"));
        QVERIFY(line);
        QVERIFY2(line->text() == line->toolTip() || line->text().endsWith(QChar(0x2026)), qPrintable(line->text()));
        QVERIFY2(line->fontMetrics().horizontalAdvance(line->text()) <= line->contentsRect().width(),
                 qPrintable(QStringLiteral("'%1' in %2 px").arg(line->text()).arg(line->contentsRect().width())));
        // the metrics table shows every configuration's row (the lesson's three: one showed)
        auto* metrics = w_->findChild<QDockWidget*>(QStringLiteral("metricsDock"));
        QVERIFY(metrics);
        auto* table = metrics->findChild<QTableView*>();
        QVERIFY(table && table->model());
        QCOMPARE(table->model()->rowCount(), 3);
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            const QRect cell = table->visualRect(table->model()->index(r, 0));
            QVERIFY2(cell.top() >= 0 && cell.bottom() < table->viewport()->height(),
                     qPrintable(QStringLiteral("row %1 at %2..%3 in a %4 px table").arg(r).arg(cell.top()).arg(cell.bottom()).arg(table->viewport()->height())));
        }
        for (const char* name : {"speedDock", "modelSurveyDock"}) {  // no model file is open
            auto* dock = w_->findChild<QDockWidget*>(QLatin1String(name));
            QVERIFY(dock);
            QVERIFY2(dock->isHidden(), name);
        }
        w_->setPresentationMode(false);
        QTest::qWait(100);
        QCOMPARE(chartGroups(), before);
        QCOMPARE(line->text(), line->toolTip());  // whole again in the normal type
        // the table about as high as before: it came back with presentation mode's minimum, 71 px higher,
        // taking the charts' room (4 px more remain: QMainWindow applies the restored sizes after the
        // window has laid out the bars in the normal type again; 7 px before the status bar was resized
        // first)
        constexpr int kRoundTripSlackPx = 5;
        QVERIFY2(std::abs(metricsDock->height() - metricsHeight) <= kRoundTripSlackPx,
                 qPrintable(QStringLiteral("%1 px, %2 before").arg(metricsDock->height()).arg(metricsHeight)));
        for (const char* name : {"speedDock", "modelSurveyDock"})
            QVERIFY2(!w_->findChild<QDockWidget*>(QLatin1String(name))->isHidden(), name);
    }

    // With a model file open the model survey keeps its tab, so a group holds five: a group whose names
    // would be cut takes the short ones its docks have ("Layers", "Survey"; at 1280x800 the left group
    // read 'Wei...', 'Model s...', 'Through la...'), and leaving presentation mode gives every dock its name.
    void presentationWithAModel() {
        QSignalSpy shown(w_.get(), &MainWindow::analysisShown);
        QVERIFY(w_->loadTensorFile(QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_model.safetensors")));
        QVERIFY(shown.wait(kAnalysisTimeoutMs));
        auto* survey = w_->findChild<QDockWidget*>(QStringLiteral("modelSurveyDock"));
        auto* layers = w_->findChild<QDockWidget*>(QStringLiteral("chart_layer_accumulation"));
        QVERIFY(survey && layers);
        const QString surveyName = survey->windowTitle(), layersName = layers->windowTitle();
        w_->setPresentationMode(true);
        QTest::qWait(100);
        QCOMPARE(chartGroups().size(), 2);
        QVERIFY(!survey->isHidden());
        const int tabs = tabsNamedWhole();
        if (QTest::currentTestFailed()) return;
        QVERIFY(tabs >= 10);  // the nine charts and the survey
        w_->setPresentationMode(false);
        QTest::qWait(100);
        QCOMPARE(survey->windowTitle(), surveyName);
        QCOMPARE(layers->windowTitle(), layersName);
        // the survey closed, then asked for in presentation mode (Survey whole model): its group fits its
        // names again (they read 'Wei...', 'Model s...')
        survey->hide();
        w_->setPresentationMode(true);
        QTest::qWait(100);
        QVERIFY(survey->isHidden());
        if (tabsNamedWhole() < 0) return;
        QVERIFY(w_->showDock(QStringLiteral("modelSurvey")));
        QTest::qWait(100);
        QVERIFY(!survey->isHidden());
        QCOMPARE(chartGroups().size(), 2);
        tabsNamedWhole();
        if (QTest::currentTestFailed()) return;
        w_->setPresentationMode(false);
        QTest::qWait(100);
        QCOMPARE(survey->windowTitle(), surveyName);
    }
};

QTEST_MAIN(TestProjector)
#include "test_projector.moc"
