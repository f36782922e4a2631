// Whole-model survey panel: runs core's survey_model on a worker thread (QtConcurrent) and shows its
// tables and charts.
#include "survey_panel.h"
#include "worker_pool.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

#include <cmath>

#include "charts/survey_charts.h"
#include "model_browser.h"

namespace ql::ui {

std::shared_ptr<const GpuFitReport> surveyGpuFit(const ModelSurvey& s, const FitSettings& fit) {
    std::vector<MemoryFormat> formats;
    const double params = static_cast<double>(s.total_params);
    for (const auto& m : s.memory)
        if (params > 0) formats.emplace_back(m.label, static_cast<double>(m.bytes) * 8.0 / params);
    KvCacheOptions kv;
    kv.context = 0;  // weights only: the file does not say how many heads and layers the model has
    return std::make_shared<const GpuFitReport>(gpu_fit_report(params, formats, fit.gpus, nullptr, kv, fit.headroom));
}

namespace {

QTableWidgetItem* cell(const QString& text, const QString& tip = {}) {
    auto* it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (!tip.isEmpty()) it->setToolTip(tip);
    return it;
}

QTableWidget* makeTable(QWidget* parent, const QStringList& headers) {
    auto* t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->verticalHeader()->setVisible(false);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    return t;
}

// A wrapped label that is as high as its lines at its width without asking its layout for height for
// width: a layout with such an item makes the dock's scroll area hold the panel at its preferred
// height (the tables' and charts' preferred heights), which left a 260 px dock scrolling.
class WrappedLine : public QLabel {
public:
    WrappedLine(const QString& text, QWidget* parent) : QLabel(text, parent) {
        setWordWrap(true);
        setMinimumHeight(heightForWidth(sizeHint().width()));
    }
    bool hasHeightForWidth() const override { return false; }
    void setLine(const QString& text) {
        setText(text);
        refit();
    }

protected:
    void resizeEvent(QResizeEvent* event) override {
        QLabel::resizeEvent(event);
        refit();
    }

private:
    void refit() {
        const int h = QLabel::heightForWidth(std::max(width(), 1));
        if (h > 0 && h != minimumHeight()) setMinimumHeight(h);
    }
};

// dB with its sign at infinity: +inf for a configuration exact on every tensor, -inf for one whose values
// overflow (an fp16 block scale beyond 65504); "-" where there is none
QString dbText(double v) {
    if (std::isnan(v)) return QStringLiteral("-");
    if (std::isinf(v)) return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QCoreApplication::translate("SurveyPanel", "%1 dB").arg(v, 0, 'f', 2);
}

} // namespace

SurveyPanel::SurveyPanel(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    header_ = new WrappedLine(tr("Open a model file and choose \"Survey whole model\" to quantize every weight tensor with the current configurations."), this);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(header_);
    auto* row = new QHBoxLayout;
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setFormat(tr("%p% of the weights"));
    progress_->hide();
    cancel_ = new QPushButton(tr("Cancel survey"), this);
    cancel_->hide();
    row->addWidget(progress_, 1);
    row->addWidget(cancel_);
    v->addLayout(row);

    auto* split = split_ = new QSplitter(Qt::Vertical, this);
    auto* tables = tables_ = new QTabWidget(split);
    summary_ = makeTable(tables, {tr("Configuration"), tr("Tensors"), tr("Mean SQNR (dB, parameter-weighted)"), tr("Worst SQNR (dB)"),
                                  tr("Bits per weight"), tr("Worst tensor")});
    memory_ = makeTable(tables, {tr("Format"), tr("Bits per weight"), tr("Memory (GB, 10^9 bytes)"), tr("Memory (GiB, 2^30 bytes)")});
    tables->addTab(summary_, tr("SQNR per configuration"));
    tables->addTab(memory_, tr("Memory of the whole model"));
    auto* charts = charts_ = new QTabWidget(split);
    sqnrChart_ = new ModelSqnrChart(charts);
    fitChart_ = new ModelGpuFitChart(charts);
    charts->addTab(sqnrChart_, tr("SQNR along the model"));
    charts->addTab(fitChart_, tr("GPU fit of this model"));
    split->addWidget(tables);
    split->addWidget(charts);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    v->addWidget(split, 1);

    sqnrChart_->setSurvey(nullptr, {});
    connect(cancel_, &QPushButton::clicked, this, &SurveyPanel::cancel);
    connect(&watcher_, &QFutureWatcherBase::progressValueChanged, progress_, &QProgressBar::setValue);
    connect(&watcher_, &QFutureWatcherBase::finished, this, &SurveyPanel::onFinished);
}

SurveyPanel::~SurveyPanel() {
    cancel();
    watcher_.waitForFinished();
}

namespace {
// The least height of a panel that shows the tables with the charts under them.
constexpr int kTablesAndChartsHeightPx = 480;
// A chart's least height as a tab of a short panel: what a 260 px dock leaves under the header and tabs.
constexpr int kShortPanelChartHeightPx = 150;
} // namespace

bool SurveyPanel::chartsBesideTables() const { return tables_->indexOf(sqnrChart_) >= 0; }

void SurveyPanel::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    arrangeSoon_.request();  // after the resize has been laid out
}

// In a short panel (the survey's tab in the window's default arrangement, about 440x260) the charts
// under the tables were scrolled out of sight. There they become more tabs beside the tables, each
// with the whole panel; a panel of kTablesAndChartsHeightPx or more shows the charts under the tables.
void SurveyPanel::arrange() {
    const bool shortPanel = height() < kTablesAndChartsHeightPx;
    if (shortPanel == chartsBesideTables()) return;
    // in one row of four tabs the names are short, the whole ones their tooltips
    struct Part {
        QWidget* widget;
        QString name, brief;
    };
    const Part parts[] = {{summary_, tr("SQNR per configuration"), tr("SQNR")},
                          {memory_, tr("Memory of the whole model"), tr("Memory")},
                          {sqnrChart_, tr("SQNR along the model"), tr("Along the model")},
                          {fitChart_, tr("GPU fit of this model"), tr("GPU fit")}};
    QWidget* current = tables_->currentWidget();
    for (const Part& p : parts) {
        auto* chart = qobject_cast<ChartView*>(p.widget);
        if (chart) {  // the charts move between the two tab widgets
            QTabWidget* from = shortPanel ? charts_ : tables_;
            from->removeTab(from->indexOf(chart));
            (shortPanel ? tables_ : charts_)->addTab(chart, p.name);
            chart->setMinimumHeight(shortPanel ? kShortPanelChartHeightPx : ChartView::kMinimumHeightPx);  // under the header and tabs
        }
        QTabWidget* in = shortPanel || !chart ? tables_ : charts_;
        const int i = in->indexOf(p.widget);
        in->setTabText(i, shortPanel ? p.brief : p.name);
        in->setTabToolTip(i, shortPanel ? p.name : QString());
    }
    charts_->setVisible(!shortPanel);
    if (!shortPanel && (current == sqnrChart_ || current == fitChart_)) charts_->setCurrentWidget(current);
}

void SurveyPanel::setChartStyle(const ChartStyle& style) {
    sqnrChart_->setChartStyle(style);
    fitChart_->setChartStyle(style);
}

void SurveyPanel::start(std::shared_ptr<const ModelFile> model, const std::vector<QuantConfig>& configs, const FitSettings& fit) {
    if (!model) return;
    cancel();
    watcher_.waitForFinished();  // the previous survey stops at its next progress report
    model_ = std::move(model);
    fitSettings_ = fit;
    // The previous survey's results go: they belong to another model or other configurations.
    survey_.reset();
    fit_.reset();
    summary_->setRowCount(0);
    memory_->setRowCount(0);
    sqnrChart_->setSurvey(nullptr, {});
    fitChart_->setInputs(ChartInputs{});
    stop_ = std::make_shared<std::atomic<bool>>(false);
    progress_->setValue(0);
    progress_->show();
    cancel_->show();
    static_cast<WrappedLine*>(header_)->setLine(tr("Surveying %1: %2 weight tensors x %n configuration(s)...", "", static_cast<int>(configs.size()))
                         .arg(QFileInfo(QString::fromStdString(model_->path())).fileName())
                         .arg(std::count_if(model_->tensors().begin(), model_->tensors().end(), [](const TensorInfo& t) { return is_weight_tensor(t); })));
    auto file = model_;
    auto stop = stop_;
    running_ = true;
    watcher_.setFuture(QtConcurrent::run(workerPool(), [this, file, configs, stop](QPromise<ModelSurvey>& promise) {
        promise.setProgressRange(0, 1000);
        promise.addResult(survey_model(*file, configs, [&](std::size_t done, std::size_t total) {
            emit workerProgress(done, total);  // the panel outlives the job: its destructor waits
            promise.setProgressValue(static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(std::max<std::size_t>(total, 1))));
            return !stop->load();
        }));
    }));
}

// Only the flag: a cancelled QFuture would drop the partial survey the job still reports.
void SurveyPanel::cancel() {
    if (stop_) stop_->store(true);
}

void SurveyPanel::waitForIdle() {
    while (running_) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QCoreApplication::processEvents();
}

void SurveyPanel::onFinished() {
    if (watcher_.isRunning()) return;  // a finished() of the job before, should one arrive after the next began
    running_ = false;
    progress_->hide();
    cancel_->hide();
    const QFuture<ModelSurvey> f = watcher_.future();
    if (f.resultCount() > 0) {
        auto s = std::make_shared<const ModelSurvey>(f.result());
        if (s->cancelled) static_cast<WrappedLine*>(header_)->setLine(tr("Survey cancelled after %n weight tensor(s); the tables show those.", "", static_cast<int>(s->tensors.size())));
        showSurvey(s);
    } else {
        static_cast<WrappedLine*>(header_)->setLine(tr("Survey cancelled."));
    }
    emit finished();
}

void SurveyPanel::showSurvey(const std::shared_ptr<const ModelSurvey>& s) {
    survey_ = s;
    fit_ = surveyGpuFit(*s, fitSettings_);
    if (!s->cancelled)
        static_cast<WrappedLine*>(header_)->setLine(tr("<b>%1</b> (%2): %3 parameters in all (%4 in %5 weight tensors), stored in %6.")
                             .arg(QFileInfo(QString::fromStdString(s->file)).fileName().toHtmlEscaped(), QString::fromStdString(s->format))
                             .arg(QLocale().toString(static_cast<qlonglong>(s->total_params)))
                             .arg(QLocale().toString(static_cast<qlonglong>(s->weight_params)))
                             .arg(s->tensors.size())
                             .arg(formatBytes(static_cast<double>(s->stored_bytes))));
    std::vector<QColor> colors;
    for (std::size_t c = 0; c < s->configs.size(); ++c) colors.push_back(configColor(s->configs[c].color, static_cast<int>(c)));

    summary_->setRowCount(static_cast<int>(s->summary.size()));
    for (int r = 0; r < static_cast<int>(s->summary.size()); ++r) {
        const auto& m = s->summary[static_cast<std::size_t>(r)];
        auto* name = cell(QString::fromStdString(s->configs[static_cast<std::size_t>(r)].display_name()));
        name->setForeground(colors[static_cast<std::size_t>(r)]);
        summary_->setItem(r, 0, name);
        summary_->setItem(r, 1, cell(QString::number(m.tensors)));
        summary_->setItem(r, 2, cell(dbText(m.mean_sqnr_db), QString::number(m.mean_sqnr_db, 'g', 17)));
        summary_->setItem(r, 3, cell(dbText(m.min_sqnr_db), QString::number(m.min_sqnr_db, 'g', 17)));
        // rows that are not whole blocks: the padding is stored, and said (a model of short conv kernels)
        const bool padded = m.padding_fraction >= kPaddingWorthSaying;
        summary_->setItem(r, 4, cell(std::isfinite(m.bits_per_weight) ? QString::number(m.bits_per_weight, 'f', 3) + (padded ? QStringLiteral(" *") : QString())
                                                                       : QStringLiteral("-"),
                                     padded ? tr("Its blocks run along each row: %1 tensors' rows are not whole blocks, so %2% of the codes "
                                                 "stored are padding, counted in these bits per weight")
                                                  .arg(m.padded_tensors)
                                                  .arg(100.0 * m.padding_fraction, 0, 'f', 0)
                                            : QString()));
        summary_->setItem(r, 5, cell(QString::fromStdString(m.worst_tensor)));
    }
    memory_->setRowCount(static_cast<int>(s->memory.size()));
    for (int r = 0; r < static_cast<int>(s->memory.size()); ++r) {
        const auto& m = s->memory[static_cast<std::size_t>(r)];
        const QString bytes = tr("%1 bytes").arg(QLocale().toString(static_cast<qulonglong>(m.bytes)));
        memory_->setItem(r, 0, cell(QString::fromStdString(m.label),
                                    m.config_index >= 0 ? tr("Weight tensors at this configuration's bits per weight, every other tensor at FP16") : QString()));
        memory_->setItem(r, 1, cell(QString::number(m.bits_per_weight, 'g', 5)));
        memory_->setItem(r, 2, cell(QString::number(m.gb, 'f', 3), bytes));
        memory_->setItem(r, 3, cell(QString::number(m.gib, 'f', 3), bytes));
    }
    sqnrChart_->setSurvey(s, colors);
    ChartInputs in;
    in.gpuFit = fit_;
    fitChart_->setInputs(in);
}

} // namespace ql::ui
