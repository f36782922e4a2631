// The main window: layout, actions, settings, and the flow edit -> Session -> runner -> charts.
#include "main_window.h"
#include "speed_view.h"

#include <QAction>
#include <QApplication>
#include <QChildEvent>
#include <QClipboard>
#include <QComboBox>
#include <QCloseEvent>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSizeGrip>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QScreen>
#include <QProxyStyle>
#include <QStyleFactory>
#include <QStyle>
#include <QTabBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWhatsThis>

#include <omp.h>

#include <algorithm>
#include <limits>

#include "calibration_view.h"
#include "examples.h"
#include "scrollable.h"
#include "charts/charts.h"
#include "column_fit.h"
#include "export_all.h"
#include "export_dialog.h"
#include "gpu/gpu_backend.h"
#include "metrics_model.h"
#include "model_browser.h"
#include "panels/config_panel.h"
#include "panels/setup_panels.h"
#include "theme.h"

namespace ql::ui {
namespace {

// Dock tabs with half the padding beside their names (the base style's metric): a group's names then
// fit its tab bar whole in presentation mode on a 1280x800 projector, where with the full padding each
// was cut ('Er...', 'GP...', 'Mem...').
class CompactTabStyle : public QProxyStyle {
public:
    explicit CompactTabStyle(QObject* owner) : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) { setParent(owner); }
    int pixelMetric(PixelMetric metric, const QStyleOption* option, const QWidget* widget) const override {
        const int m = QProxyStyle::pixelMetric(metric, option, widget);
        return metric == PM_TabBarTabHSpace ? m / 2 : m;
    }
};

// A label as wide as its widest text, so that a new value repaints the label alone (a label that
// grows or shrinks relays out the whole window); the size follows its font (presentation mode).
class FixedWidthLabel : public QLabel {
public:
    FixedWidthLabel(QString widest, QWidget* parent) : QLabel(parent), widest_(std::move(widest)) { fit(); }

protected:
    void changeEvent(QEvent* event) override {
        QLabel::changeEvent(event);
        if (event->type() == QEvent::FontChange) fit();
    }

private:
    void fit() {
        const QFontMetrics fm(font());
        setFixedSize(fm.horizontalAdvance(widest_) + fm.averageCharWidth(), std::max(fm.height(), QLabel::minimumSizeHint().height()));
    }
    QString widest_;
};

// A status bar label whose text is cut with an ellipsis where the bar is too narrow for it (a projector's
// larger type), never mid-word without a sign: "as FP3" for "as FP32" would misstate the tensor. The
// whole text is its tooltip.
class ElidedLabel : public QLabel {
public:
    explicit ElidedLabel(QWidget* parent) : QLabel(parent) {}
    void setFullText(const QString& text) {
        full_ = text;
        setToolTip(text);
        refit();
    }
    QString fullText() const { return full_; }
    // any width: the status bar gives the label the room its permanent widgets leave
    QSize minimumSizeHint() const override { return {0, QLabel::minimumSizeHint().height()}; }
    QSize sizeHint() const override { return {fontMetrics().horizontalAdvance(full_), QLabel::sizeHint().height()}; }

protected:
    void resizeEvent(QResizeEvent* event) override {
        QLabel::resizeEvent(event);
        refit();
    }
    void changeEvent(QEvent* event) override {
        QLabel::changeEvent(event);
        if (event->type() == QEvent::FontChange) refit();
    }

private:
    void refit() {
        const QString shown = fontMetrics().elidedText(full_, Qt::ElideRight, std::max(0, contentsRect().width()));
        if (shown != text()) setText(shown);
    }
    QString full_;
};

constexpr int kStateVersion = 4;  // bump when the dock layout changes

QString tensorSizeText(const TensorSummary& t) {
    QString shape;
    for (std::size_t i = 0; i < t.shape.size(); ++i) shape += (i ? QStringLiteral("x") : QString()) + QString::number(t.shape[i]);
    const double n = static_cast<double>(t.numel);
    const QString count = n >= 1e6 ? QObject::tr("%1 M").arg(n / 1e6, 0, 'f', 2) : (n >= 1e3 ? QObject::tr("%1 k").arg(n / 1e3, 0, 'f', 1) : QString::number(t.numel));
    // a number and its unit stay on one line where the text wraps ("(3.81" / "MiB)" in the setup column)
    QString text = QObject::tr("Tensor %1 = %2 weights, %3 as FP32").arg(shape, count, formatBytes(n * 4));
    static const QRegularExpression numberUnit(QStringLiteral("(\\d) (B|kB|MB|GB|TB|KiB|MiB|GiB|TiB|k|M)\\b"));
    return text.replace(numberUnit, QStringLiteral("\\1\u00A0\\2"));
}

// The values every metric and histogram leaves out, or empty when all are finite.
QString nonFiniteText(const TensorSummary& t) {
    if (t.nan_count == 0 && t.inf_count == 0) return {};
    return QObject::tr("%1 NaN and %2 infinite values left out of every metric and chart")
        .arg(static_cast<qulonglong>(t.nan_count))
        .arg(static_cast<qulonglong>(t.inf_count));
}

} // namespace

// A status message cut with an ellipsis (by default in its middle: a path keeps its start and end) where
// it would run under the permanent labels; the whole message is the status bar's tooltip while it shows.
void MainWindow::showStatusMessage(const QString& message, int timeoutMs, Qt::TextElideMode elide) {
    QStatusBar* bar = statusBar();
    // QStatusBar draws the message from x = 6 to 2 px before its first visible permanent widget (or 12 px
    // before its end) and before the size grip
    int right = bar->width() - 12;
    if (const auto* grip = bar->findChild<QSizeGrip*>(); grip && grip->isVisible()) right = std::min(right, grip->x());
    for (const QWidget* w : {static_cast<QWidget*>(progress_), static_cast<QWidget*>(cancelButton_), static_cast<QWidget*>(timeLabel_),
                             static_cast<QWidget*>(backendLabel_)})
        if (w->isVisible()) {
            right = std::min(right, w->x() - 2);
            break;
        }
    const QString shown = bar->fontMetrics().elidedText(message, elide, std::max(0, right - 6));
    bar->setToolTip(shown == message ? QString() : message);
    bar->showMessage(shown, timeoutMs);
}

// Dock and tab titles: short, so tabbed charts stay readable (each chart draws its full title itself).
QString MainWindow::shortChartTitle(const QString& id) {
    if (id == QLatin1String("weight_distribution")) return tr("Weights");
    if (id == QLatin1String("error_distribution")) return tr("Error");
    if (id == QLatin1String("memory")) return tr("Memory");
    if (id == QLatin1String("sample_values")) return tr("First weights");
    if (id == QLatin1String("layer_accumulation")) return tr("Through layers");
    if (id == QLatin1String("gpu_fit")) return tr("GPU fit");
    if (id == QLatin1String("snr_vs_bits")) return tr("SNR vs bits");
    if (id == QLatin1String("channel_error")) return tr("Per channel");
    if (id == QLatin1String("pareto")) return tr("Bits vs error");
    return id;
}

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("QuantLensMainWindow"));
    setWindowTitle(tr("QuantLens - see what quantization does to weights"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks | QMainWindow::AllowTabbedDocks);
    runner_ = new AnalysisRunner(this);
    metrics_ = new MetricsModel(this);
    buildPanels();
    buildCharts();
    buildMetrics();
    browser_ = installModelBrowser(this);  // model tree and whole-model survey docks (app/model_browser.*)
    buildActions();
    // a dock shown or hidden in presentation mode (the model survey when asked for) changes what its
    // group's tabs hold: their names are fitted again
    for (QDockWidget* d : findChildren<QDockWidget*>())
        connect(d, &QDockWidget::visibilityChanged, this, [this] {
            if (presentation_) tabFitSoon_.request();
        });

    sizeLabel_ = new ElidedLabel(this);
    sizeLabel_->setObjectName(QStringLiteral("tensorSizeLabel"));
    // the analysis time changes with every update: room for five digits
    timeLabel_ = new FixedWidthLabel(tr("Analysis: %1 ms").arg(88888.8, 0, 'f', 1), this);
    timeLabel_->setObjectName(QStringLiteral("analysisTimeLabel"));
    backendLabel_ = new QLabel(this);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setMaximumWidth(180);
    progress_->setTextVisible(false);
    progress_->hide();
    cancelButton_ = new QToolButton(this);
    cancelButton_->setText(tr("Cancel"));
    cancelButton_->setToolTip(tr("Stop the running analysis (Esc)"));
    cancelButton_->hide();
    // The progress bar and Cancel come and go with each analysis: keep their space so the status bar
    // (and with it every dock above) never changes size, which would re-lay out and repaint every chart.
    for (QWidget* w : {static_cast<QWidget*>(progress_), static_cast<QWidget*>(cancelButton_)}) {
        QSizePolicy p = w->sizePolicy();
        p.setRetainSizeWhenHidden(true);
        w->setSizePolicy(p);
    }
    statusBar()->addWidget(sizeLabel_, 1);
    connect(statusBar(), &QStatusBar::messageChanged, this, [this](const QString& m) {
        if (m.isEmpty()) statusBar()->setToolTip(QString());
        // the tensor's line gives way to a message and comes back after it: QStatusBar hides it only when
        // it is visible at that moment, so a message shown before the window (a file or session opened
        // at start with a warning) would be drawn over it
        sizeLabel_->setVisible(m.isEmpty());
    });
    statusBar()->addPermanentWidget(progress_);
    statusBar()->addPermanentWidget(cancelButton_);
    statusBar()->addPermanentWidget(timeLabel_);
    statusBar()->addPermanentWidget(backendLabel_);
    const auto& dev = gpu::device_info();
    backendLabel_->setText(dev.available ? tr("Backend: %1").arg(QString::fromStdString(dev.name))
                                         : tr("Backend: CPU, %1 threads").arg(omp_get_max_threads()));
    backendLabel_->setToolTip(dev.available ? QString() : QString::fromStdString(dev.reason));

    // Long work shows its progress and a Cancel button; an update that is done within a quarter second
    // (a slider step) does not flash them, which also spares the status bar a repaint per step.
    progressDelay_ = new QTimer(this);
    progressDelay_->setSingleShot(true);
    progressDelay_->setInterval(250);
    connect(progressDelay_, &QTimer::timeout, this, [this] {
        if (!runner_->busy()) return;
        progress_->show();
        cancelButton_->show();
    });
    connect(runner_, &AnalysisRunner::started, this, [this] {
        progress_->setValue(0);
        if (!progress_->isVisible()) progressDelay_->start();
    });
    connect(runner_, &AnalysisRunner::progressChanged, progress_, &QProgressBar::setValue);
    connect(runner_, &AnalysisRunner::finished, this, &MainWindow::onFinished);
    connect(runner_, &AnalysisRunner::refined, this, &MainWindow::onRefined);
    connect(runner_, &AnalysisRunner::completed, this, &MainWindow::onRefined);
    connect(runner_, &AnalysisRunner::cancelled, this, &MainWindow::onCancelled);
    connect(cancelButton_, &QToolButton::clicked, runner_, &AnalysisRunner::cancel);

    restoreSettings();
    applyStyle();
}

MainWindow::~MainWindow() {
    // QWidget's destructor hides and deletes the children after this object is no longer a MainWindow:
    // their signals (a dock's visibilityChanged as it hides) must not reach the lambdas and slots that use
    // its members
    for (QObject* child : findChildren<QObject*>()) disconnect(child, nullptr, this, nullptr);
}

void MainWindow::showEvent(QShowEvent* event) {
    QMainWindow::showEvent(event);
    if (restoredLayout_ || defaultSized_) return;
    defaultSized_ = true;
    // Default sizes, once the window is laid out at its size: the setup column just wide enough for its
    // fields, the table about four rows high, the rest for the charts. A saved window state replaces them.
    // resizeDocks hands space it takes from one dock to the others listed in the same direction, so
    // each call lists the docks across the window (setup | two chart columns) and down (charts / table).
    QTimer::singleShot(0, this, [this] {
        auto* setup = findChild<QDockWidget*>(QStringLiteral("setupDock"));
        auto* table = findChild<QDockWidget*>(QStringLiteral("metricsDock"));
        auto* weights = chartDocks_.at(0);
        auto* errors = chartDocks_.at(1);
        auto* sample = chartDocks_.at(3);
        const int setupWidth = std::clamp(width() / 4, 360, 460);
        const int chartWidth = (width() - setupWidth) / 2;
        const int tableHeight = std::clamp(height() / 6, 130, 200);
        const int chartHeight = (height() - tableHeight - 120) / 2;
        resizeDocks({setup, weights, errors}, {setupWidth, chartWidth, chartWidth}, Qt::Horizontal);
        resizeDocks({weights, sample, table}, {chartHeight, chartHeight, tableHeight}, Qt::Vertical);
    });
}

ChartView* MainWindow::chart(const QString& id) const {
    for (ChartView* c : charts_)
        if (c->chartId() == id) return c;
    return nullptr;
}

void MainWindow::buildPanels() {
    auto* dock = new QDockWidget(tr("Setup"), this);
    dock->setObjectName(QStringLiteral("setupDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    auto* scroll = new QScrollArea(dock);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);  // only where the column cannot grow enough
    auto* content = new QWidget(scroll);
    auto* v = new QVBoxLayout(content);
    // The session's lesson (an example's title and what to look at, or a teacher's own note) over the
    // settings it made; closed with its button, back with the next session that has one.
    lessonNote_ = new QFrame(content);
    lessonNote_->setObjectName(QStringLiteral("lessonNote"));
    lessonNote_->setFrameShape(QFrame::StyledPanel);
    {
        auto* outer = new QVBoxLayout(lessonNote_);
        auto* h = new QHBoxLayout;
        lessonText_ = new QLabel(lessonNote_);
        lessonText_->setWordWrap(true);
        lessonText_->setTextFormat(Qt::RichText);
        lessonText_->setObjectName(QStringLiteral("lessonText"));
        auto* close = new QToolButton(lessonNote_);
        close->setText(QStringLiteral("\u00D7"));
        close->setAutoRaise(true);
        close->setToolTip(tr("Close the lesson note"));
        connect(close, &QToolButton::clicked, lessonNote_, &QWidget::hide);
        h->addWidget(lessonText_, 1);
        h->addWidget(close, 0, Qt::AlignTop);
        outer->addLayout(h);
        // an example steps to its neighbours, for a class that goes through them in order
        auto* steps = new QHBoxLayout;
        lessonPrev_ = new QPushButton(tr("\u2039 Previous example"), lessonNote_);
        lessonPrev_->setObjectName(QStringLiteral("lessonPrevious"));
        lessonNext_ = new QPushButton(tr("Next example \u203A"), lessonNote_);
        lessonNext_->setObjectName(QStringLiteral("lessonNext"));
        connect(lessonPrev_, &QPushButton::clicked, this, [this] { stepExample(-1); });
        connect(lessonNext_, &QPushButton::clicked, this, [this] { stepExample(+1); });
        steps->addWidget(lessonPrev_);
        steps->addStretch(1);
        steps->addWidget(lessonNext_);
        outer->addLayout(steps);
    }
    lessonNote_->hide();
    v->addWidget(lessonNote_);
    auto group = [&](const QString& title, QWidget* w) {
        auto* box = new QGroupBox(title, content);
        auto* l = new QVBoxLayout(box);
        l->addWidget(w);
        v->addWidget(box);
    };
    tensorPanel_ = new TensorPanel(content);
    configPanel_ = new ConfigPanel(content);
    analysisPanel_ = new AnalysisPanel(content);
    fitPanel_ = new GpuFitPanel(content);
    group(tr("Tensor"), tensorPanel_);
    group(tr("Configurations to compare"), configPanel_);
    v->addWidget(analysisPanel_);
    group(tr("GPU fit"), fitPanel_);
    v->addStretch(1);
    // Combo boxes size to a short text, not to their longest item, so the column never clips its fields.
    for (QComboBox* c : content->findChildren<QComboBox*>()) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
    }
    scroll->setWidget(content);
    scroll->setObjectName(QStringLiteral("setupScroll"));
    scroll->setMinimumWidth(340);
    dock->setWidget(scroll);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    connect(tensorPanel_, &TensorPanel::changed, this, &MainWindow::onPanelsChanged);
    connect(tensorPanel_, &TensorPanel::loadFileRequested, this, &MainWindow::openTensorDialog);
    connect(configPanel_, &ConfigPanel::changed, this, &MainWindow::onPanelsChanged);
    connect(analysisPanel_, &AnalysisPanel::changed, this, &MainWindow::onPanelsChanged);
    connect(fitPanel_, &GpuFitPanel::changed, this, &MainWindow::onPanelsChanged);
}

void MainWindow::buildCharts() {
    charts_ = createAllCharts(this);
    for (ChartView* c : charts_) {
        auto* dock = new QDockWidget(shortChartTitle(c->chartId()), this);
        dock->setObjectName(QStringLiteral("chart_") + c->chartId());
        dock->setWidget(c);
        dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
        chartDocks_.push_back(dock);
        connect(c, &ChartView::exportRequested, this, &MainWindow::exportChart);
        connect(c, &ChartView::logHistogramsRequested, this, &MainWindow::setLogHistograms);
        // A chart behind another tab of its dock group waits for its tab to redraw.
        connect(dock, &QDockWidget::visibilityChanged, c, [c](bool visible) { c->setBehindTab(!visible); });
        // Hovering a weight of the sample chart shows the levels of its block over the histogram.
        if (auto* sc = qobject_cast<SampleChart*>(c))
            connect(sc, &SampleChart::sampleHovered, this, [this](int k) {
                hoveredSample_ = k;
                if (ChartView* w = chart(QStringLiteral("weight_distribution"))) w->setInputs(chartInputs());
            });
    }
    // Default arrangement: distributions on top, the rest tabbed below; every dock can be moved.
    auto* weights = chartDocks_[0];
    auto* errors = chartDocks_[1];
    auto* memory = chartDocks_[2];
    auto* sample = chartDocks_[3];
    auto* layers = chartDocks_[4];
    auto* gpufit = chartDocks_[5];
    auto* snr = chartDocks_[6];
    auto* channel = chartDocks_[7];
    auto* pareto = chartDocks_[8];
    setCentralWidget(nullptr);
    addDockWidget(Qt::RightDockWidgetArea, weights);
    splitDockWidget(weights, errors, Qt::Horizontal);
    splitDockWidget(weights, sample, Qt::Vertical);
    splitDockWidget(errors, memory, Qt::Vertical);
    tabifyDockWidget(sample, layers);
    tabifyDockWidget(sample, channel);
    tabifyDockWidget(memory, gpufit);
    tabifyDockWidget(memory, snr);
    tabifyDockWidget(memory, pareto);
    sample->raise();
    memory->raise();
}

void MainWindow::buildMetrics() {
    auto* dock = new QDockWidget(tr("Metrics"), this);
    dock->setObjectName(QStringLiteral("metricsDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    auto* w = new QWidget(dock);
    auto* v = new QVBoxLayout(w);
    v->setContentsMargins(2, 2, 2, 2);
    table_ = new QTableView(w);
    table_->setModel(metrics_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    columnFit_ = new ColumnFit(table_);  // fitted to their text as the values change
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->setVisible(false);
    table_->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copy = new QAction(tr("Copy"), table_);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &MainWindow::copyMetrics);
    auto* csv = new QAction(tr("Export as CSV..."), table_);
    connect(csv, &QAction::triggered, this, &MainWindow::exportMetricsCsv);
    table_->addAction(copy);
    table_->addAction(csv);
    v->addWidget(table_);
    dock->setWidget(w);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
}

void MainWindow::buildActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QToolBar* tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolBar"));
    tb->setToolButtonStyle(Qt::ToolButtonTextOnly);

    auto* openSess = file->addAction(tr("&Open session..."), this, &MainWindow::openSessionDialog);
    openSess->setShortcut(QKeySequence::Open);
    auto* saveSess = file->addAction(tr("&Save session"), this, [this] {
        if (sessionPath_.isEmpty()) saveSessionAs();
        else saveSessionTo(sessionPath_);
    });
    saveSess->setShortcut(QKeySequence::Save);
    auto* saveAs = file->addAction(tr("Save session &as..."), this, &MainWindow::saveSessionAs);
    saveAs->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    recentMenu_ = file->addMenu(tr("Recent sessions"));
    auto* lessonAction = file->addAction(tr("&Lesson note..."), this, &MainWindow::editLessonDialog);
    lessonAction->setObjectName(QStringLiteral("lessonNoteAction"));
    lessonAction->setStatusTip(tr("Write what the class should look at in this session; it is saved with the session"));
    QMenu* examplesMenu = file->addMenu(tr("E&xamples"));
    examplesMenu->setToolTipsVisible(true);
    for (const Example& e : examples()) {
        QAction* a = examplesMenu->addAction(e.title, this, [this, id = e.id] { openExample(id); });
        a->setObjectName(QStringLiteral("example_") + e.id);
        a->setToolTip(e.lookAt);
        a->setStatusTip(e.lookAt);
    }
    file->addSeparator();
    auto* loadT = browser_->openAction();
    file->addAction(loadT);
    file->addMenu(browser_->recentMenu());
    file->addAction(browser_->surveyAction());
    file->addSeparator();
    auto* expAll = file->addAction(tr("&Export all charts..."), this, &MainWindow::exportAllDialog);
    expAll->setObjectName(QStringLiteral("exportAllAction"));
    expAll->setShortcut(QKeySequence(QStringLiteral("Ctrl+E")));
    auto* expCsv = file->addAction(tr("Export metrics as CSV..."), this, &MainWindow::exportMetricsCsv);
    (void)expCsv;
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* configs = menuBar()->addMenu(tr("&Configurations"));
    auto* add = configs->addAction(tr("&Add configuration"), configPanel_, &ConfigPanel::addConfig);
    add->setShortcut(QKeySequence(QStringLiteral("Ctrl+N")));
    auto* dup = configs->addAction(tr("&Duplicate configuration"), configPanel_, &ConfigPanel::duplicateConfig);
    dup->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+D")));
    auto* rem = configs->addAction(tr("&Remove configuration"), configPanel_, &ConfigPanel::removeConfig);
    rem->setShortcut(QKeySequence(QStringLiteral("Ctrl+Del")));
    configs->addSeparator();
    auto* re = configs->addAction(tr("Recompute"), this, &MainWindow::recompute);
    re->setShortcut(QKeySequence(Qt::Key_F5));
    auto* stop = configs->addAction(tr("Cancel analysis"), runner_, &AnalysisRunner::cancel);
    stop->setShortcut(QKeySequence(Qt::Key_Escape));

    compareAction_ = configs->addAction(tr("Compare &all formats"));
    compareAction_->setCheckable(true);
    compareAction_->setObjectName(QStringLiteral("compareAllAction"));
    compareAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    compareAction_->setToolTip(tr("Quantize this tensor in every format (INT, NF4, FP8, FP4, MXFP4, NVFP4, GGUF blocks) for the Pareto and SNR charts"));
    connect(compareAction_, &QAction::toggled, this, &MainWindow::setCompareAll);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    presentationAction_ = view->addAction(tr("&Presentation mode"));
    presentationAction_->setCheckable(true);
    presentationAction_->setShortcut(QKeySequence(Qt::Key_F11));
    presentationAction_->setToolTip(tr("Full screen, larger fonts and thicker lines for projectors (F11)"));
    connect(presentationAction_, &QAction::toggled, this, &MainWindow::setPresentationMode);
    darkAction_ = view->addAction(tr("&Dark theme"));
    darkAction_->setCheckable(true);
    darkAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));
    connect(darkAction_, &QAction::toggled, this, &MainWindow::setDarkTheme);
    view->addSeparator();
    QMenu* docks = view->addMenu(tr("Charts and panels"));
    for (QDockWidget* d : findChildren<QDockWidget*>()) docks->addAction(d->toggleViewAction());
    view->addAction(tr("Reset layout"), this, [this] {
        QSettings().remove(QStringLiteral("window/state"));
        QMessageBox::information(this, tr("Reset layout"), tr("The default layout returns the next time QuantLens starts."));
    });
    // Calibration (GPTQ, AWQ, SmoothQuant on one layer): a dock with its own settings (calibration_view.h).
    auto* calib = new CalibrationView(this);
    calib->setTensorProvider([this] { return lastTensor_; });
    calib->createDock(this);
    connect(calib, &CalibrationView::exportRequested, this, &MainWindow::exportChart);
    for (QAction* a : {darkAction_, presentationAction_})
        connect(a, &QAction::toggled, calib, [this, calib] { calib->setChartStyle(makeChartStyle(dark_, presentation_)); });
    auto* calibAction = view->addAction(tr("&Calibration: GPTQ, AWQ, SmoothQuant..."), calib, &CalibrationView::showDock);
    calibAction->setShortcut(QKeySequence(QStringLiteral("Ctrl+K")));
    {   // Speed (issue 7): time per format vs its read floor, decode tokens/s, roofline (speed_view.h).
        auto* speedDock = new QDockWidget(tr("Speed"), this);
        speedDock->setObjectName(QStringLiteral("speedDock"));
        auto* speedView = new SpeedView(speedDock);
        connect(speedView, &SpeedView::exportRequested, this, &MainWindow::exportChart);
        speedDock->setWidget(scrollable(speedView, speedDock));
        addDockWidget(Qt::RightDockWidgetArea, speedDock);
        tabifyDockWidget(chartDocks_[3], speedDock);
        chartDocks_[3]->raise();
        for (QAction* a : {darkAction_, presentationAction_})
            connect(a, &QAction::toggled, speedView, [this, speedView] { speedView->setChartStyle(makeChartStyle(dark_, presentation_)); });
        view->addAction(tr("&Speed: measure formats on this CPU and GPU..."), this, [this] { showDock(QStringLiteral("speed")); });
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    // what a chart shows: its title's tooltip, or this mode and a click on the chart
    QAction* whatsThis = QWhatsThis::createAction(this);
    whatsThis->setText(tr("What does this chart show? (click a chart)"));
    whatsThis->setObjectName(QStringLiteral("whatsThisAction"));
    help->addAction(whatsThis);
    auto* about = help->addAction(tr("&About QuantLens"), this, &MainWindow::showAbout);
    about->setShortcut(QKeySequence(Qt::Key_F1));

    tb->addAction(openSess);
    tb->addAction(saveSess);
    tb->addAction(loadT);
    // the classroom examples one click away: the File menu's list as a drop-down
    auto* examplesButton = new QToolButton(tb);
    examplesButton->setObjectName(QStringLiteral("examplesButton"));
    examplesButton->setText(tr("Examples"));
    examplesButton->setToolTip(tr("Classroom examples: ready-made lessons with a note on what to look at"));
    examplesButton->setMenu(examplesMenu);
    examplesButton->setPopupMode(QToolButton::InstantPopup);
    tb->addWidget(examplesButton);
    tb->addSeparator();
    tb->addAction(add);
    tb->addAction(compareAction_);
    tb->addSeparator();
    tb->addAction(expAll);
    tb->addAction(presentationAction_);
    tb->addAction(darkAction_);
    updateRecentMenu();
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (s.contains(QStringLiteral("window/geometry"))) restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    else resize(1600, 1000);
    // Never larger than the screen it opens on (a 1280x800 projector, a geometry saved on a larger
    // screen): the right column of charts lay beyond the screen's edge.
    if (const QScreen* sc = screen()) {
        const QRect avail = sc->availableGeometry();
        if (width() > avail.width() || height() > avail.height()) {
            resize(std::min(width(), avail.width()), std::min(height(), avail.height()));
            move(avail.topLeft());
        }
    }
    if (s.contains(QStringLiteral("window/state")))
        restoredLayout_ = restoreState(s.value(QStringLiteral("window/state")).toByteArray(), kStateVersion);
    dark_ = s.value(QStringLiteral("view/dark"), false).toBool();
    darkAction_->setChecked(dark_);
    Session start = Session::defaults();
    const QByteArray last = s.value(QStringLiteral("session/current")).toByteArray();
    if (!last.isEmpty()) {
        auto j = nlohmann::json::parse(last.constData(), last.constData() + last.size(), nullptr, false);
        if (!j.is_discarded()) {
            try {
                start = sessionFromJson(j);
            } catch (const std::exception&) {
                start = Session::defaults();  // an old or damaged stored session: start fresh
            }
        }
    }
    setSession(start);
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState(kStateVersion));
    s.setValue(QStringLiteral("view/dark"), dark_);
    s.setValue(QStringLiteral("session/current"), QByteArray::fromStdString(sessionToJson(session_).dump()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (presentation_) setPresentationMode(false);
    saveSettings();
    runner_->cancel();
    event->accept();
}

void MainWindow::setSession(const Session& s) {
    applying_ = true;
    session_ = s;
    setLesson(s.lesson);  // an example's, or a teacher's own in a saved session
    for (const std::string& id : s.view.front)  // the charts the session wants seen (unknown ids: none)
        if (auto* d = findChild<QDockWidget*>(QStringLiteral("chart_") + QString::fromStdString(id))) d->raise();
    exampleIndex_ = -1;   // openExample() sets it after this
    updateExampleSteps();
    tensorPanel_->show(s.tensor);
    browser_->showSource(s.tensor);
    configPanel_->setConfigs(s.configs);
    analysisPanel_->show(s.analysis, s.view, static_cast<int>(s.configs.size()));
    fitPanel_->show(s.fit);
    if (compareAction_) {
        QSignalBlocker b(compareAction_);
        compareAction_->setChecked(s.view.compareAll);
    }
    applying_ = false;
    recompute();
}

void MainWindow::onPanelsChanged() {
    if (applying_) return;
    Session s = session_;
    tensorPanel_->read(s.tensor);
    s.configs = configPanel_->configs();
    analysisPanel_->read(s.analysis, s.view);
    fitPanel_->read(s.fit);
    const bool countChanged = s.configs.size() != session_.configs.size();
    const bool onlyView = s.tensor == session_.tensor && s.configs == session_.configs && s.fit == session_.fit &&
                          s.analysis.histogram_bins == session_.analysis.histogram_bins &&
                          s.analysis.sample_row == session_.analysis.sample_row &&
                          s.analysis.sample_count == session_.analysis.sample_count &&
                          s.analysis.forward_diff == session_.analysis.forward_diff &&
                          s.analysis.layer_sim.enabled == session_.analysis.layer_sim.enabled &&
                          s.analysis.layer_sim.layers == session_.analysis.layer_sim.layers &&
                          s.analysis.layer_sim.width == session_.analysis.layer_sim.width &&
                          s.analysis.layer_sim.batch == session_.analysis.layer_sim.batch &&
                          s.analysis.layer_sim.weight_std == session_.analysis.layer_sim.weight_std &&
                          s.analysis.layer_sim.activation == session_.analysis.layer_sim.activation &&
                          !(s.view.compareAll && !session_.view.compareAll);  // turning compare on needs its analysis
    session_ = s;
    if (compareAction_ && compareAction_->isChecked() != s.view.compareAll) {
        QSignalBlocker b(compareAction_);
        compareAction_->setChecked(s.view.compareAll);
    }
    if (countChanged) {
        applying_ = true;
        analysisPanel_->show(s.analysis, s.view, static_cast<int>(s.configs.size()));
        applying_ = false;
    }
    if (onlyView) pushInputsToCharts();  // levels grid, log scale: no new analysis needed
    else recompute();
}

void MainWindow::recompute() { runner_->request(session_); }

void MainWindow::setCompareAll(bool on) {
    if (session_.view.compareAll == on) return;
    Session s = session_;
    s.view.compareAll = on;
    applying_ = true;
    analysisPanel_->show(s.analysis, s.view, static_cast<int>(s.configs.size()));
    applying_ = false;
    session_ = s;
    if (on) {
        // the chart the comparison fills comes to the front of its tab group
        if (auto* d = findChild<QDockWidget*>(QStringLiteral("chart_pareto"))) d->raise();
        recompute();
    } else {
        pushInputsToCharts();
        updateTimeTip();
    }
}

void MainWindow::setLogHistograms(bool on) {
    if (session_.view.logHistograms == on) return;
    session_.view.logHistograms = on;
    applying_ = true;
    analysisPanel_->show(session_.analysis, session_.view, static_cast<int>(session_.configs.size()));
    applying_ = false;
    pushInputsToCharts();  // a view choice: no new analysis
}

void MainWindow::stepExample(int by) {
    const auto all = examples();
    const int next = exampleIndex_ + by;
    if (exampleIndex_ < 0 || next < 0 || next >= static_cast<int>(all.size())) return;
    openExample(all[static_cast<std::size_t>(next)].id);
}

void MainWindow::updateExampleSteps() {
    const int n = static_cast<int>(examples().size());
    lessonPrev_->setVisible(exampleIndex_ >= 0);
    lessonNext_->setVisible(exampleIndex_ >= 0);
    lessonPrev_->setEnabled(exampleIndex_ > 0);
    lessonNext_->setEnabled(exampleIndex_ >= 0 && exampleIndex_ + 1 < n);
}

void MainWindow::setLesson(const Lesson& lesson) {
    session_.lesson = lesson;
    // plain text: escaped, line breaks kept
    QString note = QString::fromStdString(lesson.note).toHtmlEscaped();
    note.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    lessonText_->setText(QStringLiteral("<b>%1</b><br>%2").arg(QString::fromStdString(lesson.title).toHtmlEscaped(), note));
    lessonNote_->setVisible(!lesson.empty());
}

void MainWindow::editLessonDialog() {
    QDialog d(this);
    d.setWindowTitle(tr("Lesson note"));
    auto* form = new QFormLayout(&d);
    auto* title = new QLineEdit(QString::fromStdString(session_.lesson.title), &d);
    title->setObjectName(QStringLiteral("lessonTitleEdit"));
    auto* note = new QPlainTextEdit(QString::fromStdString(session_.lesson.note), &d);
    note->setObjectName(QStringLiteral("lessonNoteEdit"));
    note->setPlaceholderText(tr("What to look at, e.g. \"Compare the SQNR of per-tensor and per-channel in the table\""));
    form->addRow(tr("Title"), title);
    form->addRow(tr("Note"), note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &d);
    connect(buttons, &QDialogButtonBox::accepted, &d, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &d, &QDialog::reject);
    form->addRow(buttons);
    d.resize(520, 320);
    if (d.exec() != QDialog::Accepted) return;
    constexpr int kMaxLessonChars = 2000;  // well within a session file's 8000 bytes of UTF-8
    setLesson(Lesson{title->text().left(kMaxLessonChars).toStdString(), note->toPlainText().left(kMaxLessonChars).toStdString()});
}

void MainWindow::onFinished(const AnalysisResult& r) {
    progressDelay_->stop();
    progress_->hide();
    cancelButton_->hide();
    if (!r.error.isEmpty()) {
        if (r.cancelled) return;
        showError(tr("Cannot use this tensor"), r.error);
        // Keep the last good state: go back to the tensor that worked.
        if (lastTensor_ && session_.tensor.fromFile) {
            session_.tensor.fromFile = false;
            applying_ = true;
            tensorPanel_->show(session_.tensor);
            applying_ = false;
            recompute();
        }
        return;
    }
    if (r.cancelled || !r.report) {
        onCancelled();
        return;
    }
    if (cancelled_) statusBar()->clearMessage();  // the note that the charts lag the settings
    cancelled_ = false;
    lastTensor_ = r.tensor;
    lastReport_ = r.report;
    lastFit_ = r.gpuFit;
    lastCompare_ = r.compare;
    pushInputsToCharts();
    // Non-finite values stay in view as long as their tensor: in the status line and the tensor's box
    // (the report's warning says it once, and a status message goes after a few seconds).
    const QString size = tensorSizeText(r.report->tensor);
    const QString nonFinite = nonFiniteText(r.report->tensor);
    static_cast<ElidedLabel*>(sizeLabel_)->setFullText(nonFinite.isEmpty() ? size : size + QStringLiteral("; ") + nonFinite);
    tensorPanel_->setTensorInfo(size +
                                tr("\nmin %1, max %2, mean %3, std %4").arg(r.report->tensor.min, 0, 'g', 4).arg(r.report->tensor.max, 0, 'g', 4)
                                    .arg(r.report->tensor.mean, 0, 'g', 4).arg(r.report->tensor.std, 0, 'g', 4) +
                                (nonFinite.isEmpty() ? QString() : QStringLiteral("\n") + nonFinite));
    timeLabel_->setText(tr("Analysis: %1 ms").arg(r.report->compute_ms, 0, 'f', 1));
    updateTimeTip();
    backendLabel_->setText(tr("Backend: %1").arg(QString::fromStdString(r.report->backend)));
    // every warning, not the last one alone: counted, and cut at the end where they run long (a cut in
    // the middle spliced the end of one sentence to the start of another), all of them in the tooltip
    QStringList warnings;
    for (const auto& w : r.report->warnings) warnings << QString::fromStdString(w);
    if (warnings.size() == 1) showStatusMessage(warnings.front(), 10000, Qt::ElideRight);
    else if (!warnings.isEmpty())
        showStatusMessage(tr("%n warning(s): ", "", static_cast<int>(warnings.size())) + warnings.join(QStringLiteral("; ")), 10000, Qt::ElideRight);
    emit analysisShown();
}

// Nothing follows a cancelled analysis: the progress goes, and the window says until the next analysis
// that the charts and the table still show an earlier one (or none), not the settings beside them.
void MainWindow::onCancelled() {
    progressDelay_->stop();
    progress_->hide();
    cancelButton_->hide();
    cancelled_ = true;
    timeLabel_->setText(tr("Analysis: cancelled"));
    showStatusMessage(tr("Analysis cancelled: the charts and the table do not show these settings. Recompute (F5) updates them."), 0);
}

// A later part of the report on screen: the layer simulation or the solver formats' SNR sweeps (their
// chart alone is redrawn) or the forward differences (the metrics table's column); every other chart,
// drawn from the earlier part, is the same.
void MainWindow::onRefined(const AnalysisResult& r) {
    if (r.cancelled || !r.report || !lastReport_) return;
    const bool layersIn = lastReport_->layers_pending && !r.report->layers_pending;
    const bool sweepsIn = lastReport_->sweeps_pending && !r.report->sweeps_pending;
    const bool forwardIn = lastReport_->forward_pending && !r.report->forward_pending;
    lastReport_ = r.report;
    if (layersIn)
        if (ChartView* c = chart(QStringLiteral("layer_accumulation"))) c->setInputs(chartInputs());
    if (sweepsIn)
        if (ChartView* c = chart(QStringLiteral("snr_vs_bits"))) c->setInputs(chartInputs());
    if (forwardIn) {
        metrics_->completeReport(lastReport_);
        columnFit_->update();
        timeLabel_->setText(tr("Analysis: %1 ms").arg(r.report->compute_ms, 0, 'f', 1));
        updateTimeTip();
        emit analysisCompleted();
    }
}

// What the analysis time measures: the window's configurations, a setting seen before on this tensor
// taken from memory; "compare all formats", while shown, is timed on its own (its report is kept for the
// tensor).
void MainWindow::updateTimeTip() {
    QString tip = tr("Time of the last analysis of the configurations on this machine: quantize, dequantize, "
                     "metrics and histograms. A configuration analysed before on this tensor is taken from memory.");
    if (lastCompare_ && session_.view.compareAll) tip += QStringLiteral("\n") + tr("Compare all formats (%1 formats): %2 ms.")
                                                     .arg(lastCompare_->configs.size())
                                                     .arg(lastCompare_->compute_ms, 0, 'f', 1);
    timeLabel_->setToolTip(tip);
}

ChartInputs MainWindow::chartInputs() const {
    ChartInputs in;
    in.report = lastReport_;
    in.gpuFit = lastFit_;
    if (lastReport_)
        for (std::size_t i = 0; i < lastReport_->configs.size(); ++i)
            in.colors.push_back(configColor(lastReport_->configs[i].config.color, static_cast<int>(i)));
    in.levelsConfig = session_.view.levelsConfig;
    in.showLevels = session_.view.showLevels;
    in.logScale = session_.view.logChannelError;
    in.logHistograms = session_.view.logHistograms;
    in.compare = session_.view.compareAll ? lastCompare_ : nullptr;
    in.paretoMse = session_.view.paretoMse;
    if (lastReport_ && hoveredSample_ >= 0 && in.levelsConfig >= 0 && in.levelsConfig < static_cast<int>(lastReport_->configs.size())) {
        const auto& of = lastReport_->configs[static_cast<std::size_t>(in.levelsConfig)].sample_level_of;
        if (hoveredSample_ < static_cast<int>(of.size())) {
            in.levelsBlock = of[static_cast<std::size_t>(hoveredSample_)];
            in.levelsSample = hoveredSample_;
        }
    }
    return in;
}

void MainWindow::pushInputsToCharts() {
    const ChartInputs in = chartInputs();
    // While the layers are simulated, the layer chart keeps its drawing (onRefined() updates it).
    const bool layersPending = lastReport_ && lastReport_->layers_pending;
    for (ChartView* c : charts_)
        if (!layersPending || c->chartId() != QLatin1String("layer_accumulation")) c->setInputs(in);
    metrics_->setReport(lastReport_, in.colors);
    if (columnFit_) columnFit_->update();
    if (presentation_) fitMetricsRows();  // a configuration added or removed
}

bool MainWindow::event(QEvent* event) {
    // The dock groups' tabs are the teacher's controls, not what the class reads: they keep the normal
    // type in presentation mode, so that a group's names fit its tab bar on a projector (at 1280x800,
    // in the projector's type, they read 'W...', 'M...', 'T...'). QMainWindow makes its tab bars as
    // docks are tabbed together; each is set up when first polished.
    if (event->type() == QEvent::ChildPolished)
        if (auto* bar = qobject_cast<QTabBar*>(static_cast<QChildEvent*>(event)->child())) {
            bar->setFont(uiFont(false));
            if (!tabStyle_) tabStyle_ = new CompactTabStyle(this);
            bar->setStyle(tabStyle_);
        }
    return QMainWindow::event(event);
}

void MainWindow::applyStyle() {
    applyApplicationTheme(*qApp, dark_, presentation_);
    // the toolbar's overflow button takes its icon once, when made: again in this theme's colour
    for (auto* more : findChildren<QToolButton*>(QStringLiteral("qt_toolbar_ext_button")))
        more->setIcon(style()->standardIcon(QStyle::SP_ToolBarHorizontalExtensionButton, nullptr, more));
    const ChartStyle st = makeChartStyle(dark_, presentation_);
    for (ChartView* c : charts_) c->setChartStyle(st);
    // after the font change has reached every widget (it arrives as events)
    QTimer::singleShot(0, this, &MainWindow::fitSetupColumn);
    QTimer::singleShot(0, this, &MainWindow::fitTabNames);  // once the groups have their widths
    QTimer::singleShot(0, this, &MainWindow::fitMetricsRows);  // in the new type's row height
}

void MainWindow::fitMetricsRows() {
    // Presentation mode: the table at least as high as its header and every configuration's row (up to
    // kPresentedRows) and the sideways scroll bar (the projector's type makes the columns wider than the
    // window; at 1280x800 the lesson "What scales cost" showed one of its three rows); the
    // charts above give up the room. Out of it, the height the user gave the dock.
    constexpr int kPresentedRows = 4;
    int need = 0;
    if (presentation_) {
        const int rows = std::clamp(metrics_->rowCount(), 1, kPresentedRows);
        need = table_->horizontalHeader()->sizeHint().height() + 2 * table_->frameWidth();
        for (int r = 0; r < rows; ++r) need += r < metrics_->rowCount() ? table_->rowHeight(r) : table_->verticalHeader()->defaultSectionSize();
        // room for the sideways scroll bar whether or not it shows: the columns follow the values, and a
        // table whose height came and went with it would resize the charts during a slider's move
        need += table_->horizontalScrollBar()->sizeHint().height();
    }
    if (table_->minimumHeight() != need) table_->setMinimumHeight(need);
}

void MainWindow::fitSetupColumn() {
    auto* scroll = findChild<QScrollArea*>(QStringLiteral("setupScroll"));
    if (!scroll || !scroll->widget()) return;
    const int need = scroll->widget()->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() + 2 * scroll->frameWidth();
    // at most a third of the window: on a small screen the charts keep their room and the fields scroll.
    // In presentation mode up to two fifths: the projector's type made the column's content 511 px wide
    // at 1280 px, and the lesson note, laid out that wide, was cut at the column's edge.
    const int cap = std::max(340, presentation_ ? width() * 2 / 5 : width() / 3);
    scroll->setMinimumWidth(std::clamp(need, 340, cap));
}

bool MainWindow::showDock(const QString& name) {
    auto* dock = findChild<QDockWidget*>(name + QStringLiteral("Dock"));
    if (!dock) return false;
    // The calibration view floats over most of the window, as its menu item shows it (it opened at the
    // dock's small default size when asked for by name)
    if (name == QLatin1String("calibration"))
        if (auto* cv = findChild<CalibrationView*>()) {
            cv->showDock();
            return true;
        }
    // The Speed view (settings, a table and three charts) is unreadable in the chart column's tab area:
    // asked for, it floats over most of the window; double-clicking its title docks it again.
    if (name == QLatin1String("speed") && !dock->isFloating()) {
        dock->setFloating(true);
        QRect area = geometry();
        if (const QScreen* sc = screen()) area = area.intersected(sc->availableGeometry());
        const QSize size(std::max(900, area.width() * 9 / 10), std::max(600, area.height() * 9 / 10));
        dock->resize(size);
        dock->move(area.center() - QPoint(size.width() / 2, size.height() / 2));
    }
    dock->show();
    dock->raise();
    return true;
}

void MainWindow::setPresentationMode(bool on) {
    if (presentation_ == on) return;
    presentation_ = on;
    {
        QSignalBlocker b(presentationAction_);
        presentationAction_->setChecked(on);
    }
    if (on) {
        normalState_ = saveState(kStateVersion);
        showFullScreen();
        const QScreen* sc = screen();
        const QSize room = sc ? sc->geometry().size() : size();
        if (room.width() < kProjectorGridWidth || room.height() < kProjectorGridHeight) chartsInTwoColumns();
    } else {
        showNormal();
        // the normal type and no presentation minimum for the table first (the events the style posts
        // sent now), then the arrangement before: restored with the table's minimum it came back 71 px
        // higher, and in the projector's type 11 px (the status bar keeps its projector height until the
        // window lays it out again, a few pixels the table then takes)
        applyStyle();
        fitMetricsRows();
        QCoreApplication::sendPostedEvents();
        statusBar()->adjustSize();  // its normal height now: 3 px of the table's drift per round trip
        if (layout()) layout()->activate();
        if (!normalState_.isEmpty()) restoreState(normalState_, kStateVersion);  // the arrangement before
        normalState_.clear();
        return;
    }
    applyStyle();
}

void MainWindow::fitTabNames() {
    // Presentation mode's two tab groups on a projector: a group whose names do not fit its tab bar whole
    // takes the short names of its docks that have one (with a model file open, the left group's five tabs
    // read 'Wei...', 'Model s...', 'Through la...' at 1280x800). The names the lessons refer to ("First
    // weights", "Per channel", "Bits vs error") stay. Out of presentation mode every dock has its name.
    const std::pair<const char*, QString> briefNames[] = {{"chart_layer_accumulation", tr("Layers")}, {"modelSurveyDock", tr("Survey")}};
    constexpr const char* kFullTitle = "qlFullTitle";  // the dock's own name, kept while it shows the short one
    auto fullName = [&](QDockWidget* d) {
        const QVariant full = d->property(kFullTitle);
        return full.isValid() ? full.toString() : d->windowTitle();
    };
    auto briefName = [&](QDockWidget* d) {
        for (const auto& [dock, brief] : briefNames)
            if (d->objectName() == QLatin1String(dock)) return brief;
        return fullName(d);
    };
    std::vector<QDockWidget*> done;
    for (QDockWidget* d : findChildren<QDockWidget*>()) {
        if (std::find(done.begin(), done.end(), d) != done.end()) continue;
        std::vector<QDockWidget*> group{d};
        if (!d->isFloating() && !d->isHidden())
            for (QDockWidget* t : tabifiedDockWidgets(d))
                if (!t->isFloating() && !t->isHidden()) group.push_back(t);
        done.insert(done.end(), group.begin(), group.end());
        bool brief = false;
        if (presentation_ && group.size() > 1) {
            // the tabs' width with the whole names: each name, and the tab's padding as the bar draws it
            const QFontMetrics fm(uiFont(false));
            int pad = 24;
            for (QTabBar* bar : findChildren<QTabBar*>(QString(), Qt::FindDirectChildrenOnly)) {  // one style for all
                pad = bar->style()->pixelMetric(QStyle::PM_TabBarTabHSpace, nullptr, bar) + 4;
                break;
            }
            int need = 0;
            for (QDockWidget* t : group) need += fm.horizontalAdvance(fullName(t)) + pad;
            int room = 0;
            for (QDockWidget* t : group) room = std::max(room, t->width());
            brief = room > 0 && need > room;
        }
        for (QDockWidget* t : group) {
            const QString full = fullName(t), want = brief ? briefName(t) : full;
            t->setProperty(kFullTitle, want == full ? QVariant() : QVariant(full));
            if (t->windowTitle() != want) t->setWindowTitle(want);
        }
    }
}

void MainWindow::chartsInTwoColumns() {
    // The tab groups of docks around the charts (every dock in the window but the setup and the metrics),
    // each seen through its front dock, left and right of the middle of their span; each side becomes one
    // tab group whose front is a chart the session brings to the front (an example's note points to it:
    // "Bits vs error"), else the front that was at the top of that side.
    // Tabs a teacher can read in two groups: the Speed view floats over the window when asked for
    // (View > Speed) and the model survey has nothing to show without a model file, so neither takes a
    // tab there (leaving presentation mode restores them with the arrangement before).
    if (auto* speed = findChild<QDockWidget*>(QStringLiteral("speedDock")); speed && !speed->isFloating()) speed->hide();
    if (auto* survey = findChild<QDockWidget*>(QStringLiteral("modelSurveyDock")); survey && !survey->isFloating() && !(browser_ && browser_->model()))
        survey->hide();
    std::vector<std::vector<QDockWidget*>> groups;
    std::vector<QDockWidget*> fronts;
    for (QDockWidget* d : findChildren<QDockWidget*>()) {
        if (d->isFloating() || d->isHidden() || dockWidgetArea(d) != Qt::RightDockWidgetArea) continue;
        if (std::any_of(groups.begin(), groups.end(), [d](const auto& g) { return std::find(g.begin(), g.end(), d) != g.end(); })) continue;
        std::vector<QDockWidget*> g{d};
        for (QDockWidget* t : tabifiedDockWidgets(d))
            if (!t->isFloating() && !t->isHidden()) g.push_back(t);
        QDockWidget* front = nullptr;
        for (QDockWidget* t : g)
            if (!t->visibleRegion().isEmpty()) front = t;
        groups.push_back(g);
        fronts.push_back(front ? front : d);
    }
    if (groups.size() < 3) return;  // two columns (or fewer) already
    int lo = std::numeric_limits<int>::max(), hi = std::numeric_limits<int>::min();
    for (QDockWidget* f : fronts) {
        lo = std::min(lo, f->geometry().left());
        hi = std::max(hi, f->geometry().right());
    }
    const int mid = (lo + hi) / 2;
    for (bool right : {false, true}) {
        std::size_t target = groups.size();
        for (std::size_t k = 0; k < groups.size(); ++k)
            if ((fronts[k]->geometry().center().x() > mid) == right &&
                (target == groups.size() || fronts[k]->geometry().top() < fronts[target]->geometry().top()))
                target = k;
        if (target == groups.size()) continue;
        QDockWidget* show = fronts[target];
        for (std::size_t k = 0; k < groups.size(); ++k)
            if ((fronts[k]->geometry().center().x() > mid) == right)
                for (QDockWidget* d : groups[k]) {
                    if (k != target) tabifyDockWidget(fronts[target], d);
                    auto* c = qobject_cast<ChartView*>(d->widget());
                    if (c && std::find(session_.view.front.begin(), session_.view.front.end(), c->chartId().toStdString()) !=
                                 session_.view.front.end())
                        show = d;
                }
        show->raise();
    }
}

void MainWindow::setDarkTheme(bool on) {
    if (dark_ == on) return;
    dark_ = on;
    {
        QSignalBlocker b(darkAction_);
        darkAction_->setChecked(on);
    }
    applyStyle();
}

void MainWindow::showError(const QString& title, const QString& message) {
    // Dialogs wait for a click; under the offscreen platform (tests, headless runs) they only log.
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        qWarning("%s: %s", qPrintable(title), qPrintable(message));
        showStatusMessage(message, 10000);
        return;
    }
    QMessageBox::warning(this, title, message);
}

void MainWindow::exportChart(ChartView* chart, ExportFormat format) {
    const QString suffix = exportFormatSuffix(format);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1").arg(chart->title()), chart->chartId() + QLatin1Char('.') + suffix,
                                                      tr("%1 files (*.%2)").arg(suffix.toUpper(), suffix));
    if (path.isEmpty()) return;
    ExportOptions opt = rememberedExportOptions();
    if (format == ExportFormat::Png || format == ExportFormat::Jpg) {
        if (!askExportOptions(this, false, opt)) return;
    } else {
        opt.size = QSize(std::max(chart->width(), 800), std::max(chart->height(), 500));  // a vector page as on screen
    }
    QString error;
    if (!chart->exportTo(path, format, opt.size, opt.dpi, &error)) showError(tr("Export failed"), error);
    else showStatusMessage(tr("Wrote %1").arg(path), 5000);
}

void MainWindow::exportAllDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export every chart, the metrics and the session into"));
    if (dir.isEmpty()) return;
    ExportOptions opt;
    if (!askExportOptions(this, true, opt)) return;
    QStringList written;
    QString error;
    // The window's charts, plus the other views' charts (calibration, model survey) that hold data.
    std::vector<ChartView*> all = charts_;
    for (ChartView* c : findChildren<ChartView*>())
        if (std::find(all.begin(), all.end(), c) == all.end() && c->plottableCount() > 0) all.push_back(c);
    if (!exportAll(all, *metrics_, session_, dir, opt, &written, &error)) showError(tr("Export failed"), error);
    else showStatusMessage(tr("Wrote %n file(s) to %1", "", written.size()).arg(dir), 8000);
}

void MainWindow::saveSessionAs() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Save session"), sessionPath_.isEmpty() ? QStringLiteral("session.json") : sessionPath_,
                                                      tr("QuantLens sessions (*.json)"));
    if (!path.isEmpty()) saveSessionTo(path);
}

void MainWindow::saveSessionTo(const QString& path) {
    QString error;
    if (!saveSession(path, session_, &error)) {
        showError(tr("Cannot save the session"), error);
        return;
    }
    sessionPath_ = path;
    addRecent(path);
    showStatusMessage(tr("Saved %1").arg(path), 4000);
}

void MainWindow::openSessionDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), QString(), tr("QuantLens sessions (*.json)"));
    if (!path.isEmpty()) openSession(path);
}

bool MainWindow::openExample(const QString& id) {
    QString error;
    const auto example = findExample(id);
    auto s = loadExample(id, &error);
    if (!s || !example) {
        showError(tr("Cannot open the example"), error);
        return false;
    }
    sessionPath_.clear();  // Save asks where: the example itself stays as it is
    s->lesson = Lesson{example->title.toStdString(), example->lookAt.toStdString()};  // saved with the session
    setSession(*s);
    const auto all = examples();
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].id == id) exampleIndex_ = static_cast<int>(i);
    updateExampleSteps();
    return true;
}

bool MainWindow::openSession(const QString& path) {
    QString error;
    auto s = loadSession(path, &error);
    if (!s) {
        showError(tr("Cannot open the session"), error);
        return false;
    }
    sessionPath_ = path;
    addRecent(path);
    setSession(*s);
    return true;
}

void MainWindow::openTensorDialog() { emit browser_->openRequested(); }

// The model browser shows the file's tensors and makes its first weight tensor the source; a file that
// does not open leaves everything as it was.
bool MainWindow::loadTensorFile(const QString& path) {
    QString error;
    if (browser_->openFile(path, &error)) return true;
    showError(tr("Cannot open the model file"), error);
    return false;
}

void MainWindow::copyMetrics() { QApplication::clipboard()->setText(metrics_->toTsv(table_->selectionModel()->selectedIndexes())); }

void MainWindow::exportMetricsCsv() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export metrics"), QStringLiteral("metrics.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!writeTextFile(path, metrics_->toCsv(), &error)) showError(tr("Export failed"), error);
}

void MainWindow::showAbout() {
    const auto& dev = gpu::device_info();
    const QString backend = dev.available ? tr("CUDA device: %1 (compute capability %2.%3, %4 GiB, %5 GB/s)")
                                                .arg(QString::fromStdString(dev.name)).arg(dev.cc_major).arg(dev.cc_minor)
                                                .arg(dev.memory_total_gib, 0, 'f', 1).arg(dev.bandwidth_gbps, 0, 'f', 0)
                                          : tr("CPU, %1 threads (GPU: %2)").arg(omp_get_max_threads()).arg(QString::fromStdString(dev.reason));
    QMessageBox::about(this, tr("About QuantLens"),
                       tr("<h3>QuantLens %1</h3><p>See what quantization does to neural-network weights: INT8/INT4 and more, "
                          "their errors, memory and GPU fit.</p><p><b>Backend:</b> %2</p><p>Qt %3, QCustomPlot, Eigen.</p>")
                           .arg(QStringLiteral(QL_VERSION), backend, QString::fromLatin1(qVersion())));
}

void MainWindow::addRecent(const QString& path) {
    QSettings s;
    QStringList list = s.value(QStringLiteral("recent/sessions")).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > 8) list.removeLast();
    s.setValue(QStringLiteral("recent/sessions"), list);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList list = QSettings().value(QStringLiteral("recent/sessions")).toStringList();
    for (const QString& p : list) recentMenu_->addAction(QFileInfo(p).fileName(), this, [this, p] { openSession(p); })->setToolTip(p);
    recentMenu_->setEnabled(!list.isEmpty());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.isEmpty()) return;
    const QString path = urls.first().toLocalFile();
    if (path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive)) openSession(path);
    else loadTensorFile(path);
}

} // namespace ql::ui
