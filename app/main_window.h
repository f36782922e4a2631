// The QuantLens window: setup panels on the left, the charts in rearrangeable docks, the metrics table
// at the bottom, progress and backend in the status bar. It turns edits into a Session, hands the
// session to the AnalysisRunner, and gives the finished report to the charts and the table.
#pragma once

#include <QMainWindow>
#include <memory>
#include <vector>

#include "analysis_runner.h"
#include "charts/chart_view.h"
#include "next_turn.h"
#include "session.h"

class QDockWidget;
class QFrame;
class QLabel;
class QPushButton;
class QProgressBar;
class QStyle;
class QTableView;
class QToolButton;
class QMenu;

namespace ql::ui {

class ColumnFit;
class ConfigPanel;
class TensorPanel;
class AnalysisPanel;
class GpuFitPanel;
class MetricsModel;
class ModelBrowser;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Replaces the whole setup (session file, tests) and recomputes.
    void setSession(const Session& s);
    const Session& session() const { return session_; }
    bool openSession(const QString& path);            // shows a dialog on failure; keeps the last good state
    // Opens a classroom example (examples.h) and shows what to look at above the setup; false, with a
    // dialog, for an unknown id.
    bool openExample(const QString& id);
    bool loadTensorFile(const QString& path);         // a weights file as the tensor source
    const std::vector<ChartView*>& charts() const { return charts_; }
    ChartView* chart(const QString& id) const;
    ConfigPanel* configPanel() const { return configPanel_; }
    MetricsModel* metricsModel() const { return metrics_; }
    AnalysisRunner* runner() const { return runner_; }
    ModelBrowser* modelBrowser() const { return browser_; }  // app/model_browser.*
    std::shared_ptr<const AnalysisReport> lastReport() const { return lastReport_; }
    // The last analysis asked for was cancelled: the charts and the table lag the settings (the status
    // bar says so) until the next analysis is shown.
    bool analysisCancelled() const { return cancelled_; }
    bool presentationMode() const { return presentation_; }
    bool darkTheme() const { return dark_; }
    static QString shortChartTitle(const QString& chartId);  // translated dock/tab title
    // Shows and raises the dock named "<name>Dock" (speed, calibration, metrics, setup, modelBrowser,
    // modelSurvey); false when there is none of that name.
    bool showDock(const QString& name);

    // A status bar message, cut with an ellipsis where it would not fit (the whole message is then the
    // status bar's tooltip): in its middle by default, so that a path keeps its start and end; at its end
    // for sentences (Qt::ElideRight).
    void showStatusMessage(const QString& message, int timeoutMs, Qt::TextElideMode elide = Qt::ElideMiddle);

    // A chart's Export menu, whichever view holds the chart: asks where, and for PNG/JPG the size and
    // resolution (remembered, export_dialog.h); PDF/SVG take the chart's size on screen.
    void exportChart(ChartView* chart, ExportFormat format);

public slots:
    void setPresentationMode(bool on);
    void setDarkTheme(bool on);
    void recompute();

signals:
    // Emitted after the charts have drawn a finished analysis (tests, the GUI benchmark).
    void analysisShown();
    void analysisCompleted();  // the forward differences of the shown report arrived (metrics table)

protected:
    void closeEvent(QCloseEvent* event) override;
    bool event(QEvent* event) override;  // the dock groups' tab bars keep the normal type
    void showEvent(QShowEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void buildPanels();
    void buildCharts();
    void buildMetrics();
    void buildActions();
    void restoreSettings();
    void saveSettings() const;
    void onPanelsChanged();
    void onFinished(const AnalysisResult& r);
    void onRefined(const AnalysisResult& r);
    void onCancelled();
    void pushInputsToCharts();
    void updateTimeTip();
    ChartInputs chartInputs() const;
    void setCompareAll(bool on);
    // The weight and error distributions on a log density axis (the Charts setting, also in their menu).
    void setLogHistograms(bool on);
    // Sets the session's lesson (shown over the setup, saved with the session; empty hides it).
    void setLesson(const Lesson& lesson);
    // File > Lesson note...: a dialog to write or change the session's lesson title and note.
    void editLessonDialog();
    void exportAllDialog();
    void saveSessionAs();
    void saveSessionTo(const QString& path);
    void openSessionDialog();
    void openTensorDialog();
    void copyMetrics();
    void exportMetricsCsv();
    void showAbout();
    void addRecent(const QString& path);
    void updateRecentMenu();
    void applyStyle();
    // The setup column as wide as its fields need in the current fonts (presentation mode's larger type
    // clipped them), up to a third of the window; beyond that the fields scroll.
    void fitSetupColumn();
    // In presentation mode a tab group whose names would be cut takes the short names of its docks that
    // have one ("Layers", "Survey"); out of it, every dock its name.
    void fitTabNames();
    // In presentation mode the metrics table at least as high as its header and every configuration's row
    // (up to four); out of it, no minimum.
    void fitMetricsRows();
    NextTurn tabFitSoon_{this, [this] { fitTabNames(); }};
    void showError(const QString& title, const QString& message);

    Session session_;
    QString sessionPath_;
    AnalysisRunner* runner_ = nullptr;
    std::shared_ptr<const AnalysisReport> lastReport_;
    std::shared_ptr<const GpuFitReport> lastFit_;
    std::shared_ptr<const Tensor> lastTensor_;
    std::shared_ptr<const AnalysisReport> lastCompare_;  // "compare all formats", when view.compareAll
    int hoveredSample_ = -1;                              // weight under the cursor in the sample chart
    QAction* compareAction_ = nullptr;

    TensorPanel* tensorPanel_ = nullptr;
    ConfigPanel* configPanel_ = nullptr;
    AnalysisPanel* analysisPanel_ = nullptr;
    GpuFitPanel* fitPanel_ = nullptr;
    std::vector<ChartView*> charts_;
    std::vector<QDockWidget*> chartDocks_;
    MetricsModel* metrics_ = nullptr;
    QTableView* table_ = nullptr;
    ColumnFit* columnFit_ = nullptr;  // owned by table_
    QLabel* sizeLabel_ = nullptr;
    QLabel* timeLabel_ = nullptr;
    QLabel* backendLabel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QTimer* progressDelay_ = nullptr;  // the progress bar and Cancel appear only for work that lasts
    QToolButton* cancelButton_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QFrame* lessonNote_ = nullptr;    // the session's lesson: title and note (hidden without one)
    QLabel* lessonText_ = nullptr;
    QPushButton* lessonPrev_ = nullptr;  // step to the neighbouring examples (shown for an example)
    QPushButton* lessonNext_ = nullptr;
    int exampleIndex_ = -1;              // the open example in examples(), -1 for any other session
    void stepExample(int by);
    void updateExampleSteps();
    ModelBrowser* browser_ = nullptr;
    QStyle* tabStyle_ = nullptr;  // the dock tab bars' style (fewer pixels beside each name), owned by the window
    QAction* presentationAction_ = nullptr;
    QAction* darkAction_ = nullptr;
    bool presentation_ = false;
    // Presentation mode on a screen smaller than this (a 1280x800 projector) shows the charts in two
    // tab groups side by side, two large charts instead of four small ones under projector type; the
    // arrangement before comes back when it ends.
    static constexpr int kProjectorGridWidth = 1800, kProjectorGridHeight = 1050;
    QByteArray normalState_;
    void chartsInTwoColumns();
    bool dark_ = false;
    bool applying_ = false;
    bool cancelled_ = false;
    bool restoredLayout_ = false;  // a saved dock layout was restored: keep its sizes
    bool defaultSized_ = false;
};

} // namespace ql::ui
