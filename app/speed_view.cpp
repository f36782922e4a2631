// SpeedView (see speed_view.h): controls -> SpeedRequest -> the measurement (CPU, then the GPU when
// present) on a worker thread -> table and charts.
#include "speed_view.h"
#include "worker_pool.h"

#include <algorithm>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTimer>
#include <QSpinBox>
#include <QHeaderView>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "core/memory.h"
#include "gpu/gpu_backend.h"
#include "gpu/gpu_speed.h"

namespace ql::ui {

namespace {
struct ShapePreset {
    int rows, cols;
};
const ShapePreset kPresets[] = {{4096, 4096}, {4096, 14336}, {14336, 4096}, {11008, 4096}};
} // namespace

SpeedView::SpeedView(QWidget* parent) : QWidget(parent), measure_(&gpu::run_speed_with_gpu) {
    setObjectName(QStringLiteral("speedView"));
    auto* controls = new QWidget(this);
    auto* form = new QFormLayout(controls);

    preset_ = new QComboBox(controls);
    for (const auto& p : kPresets) preset_->addItem(tr("%1 x %2 (out x in)").arg(p.rows).arg(p.cols));
    preset_->addItem(tr("Custom"));
    rows_ = new QSpinBox(controls);
    cols_ = new QSpinBox(controls);
    for (QSpinBox* s : {rows_, cols_}) {
        s->setRange(1, 65536);
        s->setSingleStep(256);
    }
    rows_->setValue(4096);
    cols_->setValue(4096);
    rows_->setToolTip(tr("Output features: rows of W (y = x W^T)"));
    cols_->setToolTip(tr("Input features: columns of W"));
    auto* shapeRow = new QHBoxLayout;
    shapeRow->addWidget(rows_);
    shapeRow->addWidget(new QLabel(tr("x"), controls));
    shapeRow->addWidget(cols_);
    form->addRow(tr("Layer shape"), preset_);
    form->addRow(tr("Out x in"), shapeRow);
    connect(preset_, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (i >= 0 && i < static_cast<int>(std::size(kPresets))) {
            QSignalBlocker a(rows_), b(cols_);
            rows_->setValue(kPresets[i].rows);
            cols_->setValue(kPresets[i].cols);
        }
    });
    auto toCustom = [this] {
        for (int i = 0; i < static_cast<int>(std::size(kPresets)); ++i)
            if (kPresets[i].rows == rows_->value() && kPresets[i].cols == cols_->value()) {
                QSignalBlocker b(preset_);
                preset_->setCurrentIndex(i);
                return;
            }
        QSignalBlocker b(preset_);
        preset_->setCurrentIndex(preset_->count() - 1);
    };
    connect(rows_, &QSpinBox::valueChanged, this, toCustom);
    connect(cols_, &QSpinBox::valueChanged, this, toCustom);

    decode1_ = new QCheckBox(tr("Decode (batch 1)"), controls);
    decode1_->setChecked(true);
    prefill_ = new QCheckBox(tr("Prefill, batch"), controls);
    prefill_->setChecked(true);
    prefillBatch_ = new QSpinBox(controls);
    prefillBatch_->setRange(2, 4096);
    prefillBatch_->setValue(512);
    // decode on a line of its own, prefill and its batch on the next: in projector type one line cut
    // them to "Decod" and "Prefill,"
    auto* batchRows = new QVBoxLayout;
    auto* prefillRow = new QHBoxLayout;
    prefillRow->addWidget(prefill_);
    prefillRow->addWidget(prefillBatch_);
    prefillRow->addStretch(1);
    batchRows->addWidget(decode1_);
    batchRows->addLayout(prefillRow);
    form->addRow(tr("Batch"), batchRows);

    fp32_ = new QCheckBox(tr("FP32"), controls);
    int8_ = new QCheckBox(tr("INT8 (per-row scales)"), controls);
    w4_ = new QCheckBox(tr("4-bit (group 128)"), controls);
    auto* fmtRow = new QVBoxLayout;  // one per line: the labels stay whole in a narrow column
    for (QCheckBox* c : {fp32_, int8_, w4_}) {
        c->setChecked(true);
        fmtRow->addWidget(c);
    }
    form->addRow(tr("Formats"), fmtRow);

    repeats_ = new QSpinBox(controls);
    repeats_->setRange(1, 1000);
    repeats_->setValue(10);
    repeats_->setToolTip(tr("Timed products per measurement, after two untimed warm-up products"));
    form->addRow(tr("Repetitions"), repeats_);

    model_ = new QComboBox(controls);
    for (const auto& m : model_presets()) model_->addItem(QString::fromStdString(m.name));
    model_->setCurrentText(QStringLiteral("7B"));
    context_ = new QSpinBox(controls);
    context_->setRange(0, 1 << 20);
    context_->setSingleStep(1024);
    context_->setSuffix(tr(" tokens"));
    context_->setToolTip(tr("KV cache read per token at this context (0 = weights only)"));
    form->addRow(tr("Decode estimate for"), model_);
    form->addRow(tr("Context"), context_);
    connect(model_, &QComboBox::currentIndexChanged, this, &SpeedView::updateDecode);
    connect(context_, &QSpinBox::valueChanged, this, &SpeedView::updateDecode);

    runButton_ = new QPushButton(tr("Run"), controls);
    cancelButton_ = new QPushButton(tr("Cancel"), controls);
    cancelButton_->setEnabled(false);
    progress_ = new QProgressBar(controls);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(runButton_);
    runRow->addWidget(cancelButton_);
    runRow->addWidget(progress_, 1);
    form->addRow(runRow);
    status_ = new QLabel(tr("Times y = x W^T on this CPU, and on the GPU when there is one, next to a plain read of the same bytes."),
                         controls);
    status_->setWordWrap(true);
    form->addRow(status_);
    // The GPU line first, where a small dock still shows it.
    gpuLine_ = new QLabel(controls);
    gpuLine_->setObjectName(QStringLiteral("speedGpuLine"));
    gpuLine_->setWordWrap(true);
    gpuLine_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = gpuLine_->font();
    bold.setBold(true);
    gpuLine_->setFont(bold);
    form->insertRow(0, gpuLine_);
    showGpuLine();
    connect(runButton_, &QPushButton::clicked, this, &SpeedView::run);
    connect(cancelButton_, &QPushButton::clicked, this, &SpeedView::cancel);

    tabs_ = new QTabWidget(this);
    timeChart_ = new SpeedTimeChart(tabs_);
    decodeChart_ = new DecodeTokensChart(tabs_);
    rooflineChart_ = new RooflineChart(tabs_);
    timeChart_->setObjectName(QStringLiteral("speedTimeChart"));
    decodeChart_->setObjectName(QStringLiteral("decodeTokensChart"));
    rooflineChart_->setObjectName(QStringLiteral("rooflineChart"));
    tabs_->addTab(timeChart_, tr("Time vs floor"));
    tabs_->addTab(decodeChart_, tr("Decode tokens/s"));
    tabs_->addTab(rooflineChart_, tr("Roofline"));
    table_ = new QTableWidget(tabs_);
    table_->setObjectName(QStringLiteral("speedTable"));
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->setVisible(false);
    tabs_->addTab(table_, tr("Table"));
    for (ChartView* c : {static_cast<ChartView*>(timeChart_), static_cast<ChartView*>(decodeChart_), static_cast<ChartView*>(rooflineChart_)})
        connect(c, &ChartView::exportRequested, this, &SpeedView::exportRequested);

    auto* layout = sideLayout_ = new QHBoxLayout(this);
    // The controls scroll up and down when the dock is short rather than squeeze their rows together.
    controlsScroll_ = new QScrollArea(this);
    controlsScroll_->setWidget(controls);
    controlsScroll_->setWidgetResizable(true);
    controlsScroll_->setFrameShape(QFrame::NoFrame);
    controlsScroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    fitControls();
    layout->addWidget(controlsScroll_);
    layout->addWidget(tabs_, 1);

    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, &SpeedView::onFinished);
    applyChartStyle();
    fillTable();
    updateDecode();
}

SpeedView::~SpeedView() {
    cancel();
    watcher_.waitForFinished();
}

speed::SpeedRequest SpeedView::request() const {
    speed::SpeedRequest r;
    r.rows = rows_->value();
    r.cols = cols_->value();
    r.batches.clear();
    if (decode1_->isChecked()) r.batches.push_back(1);
    if (prefill_->isChecked()) r.batches.push_back(prefillBatch_->value());
    r.formats.clear();
    if (fp32_->isChecked()) r.formats.push_back(speed::SpeedFormat::F32);
    if (int8_->isChecked()) r.formats.push_back(speed::SpeedFormat::Int8);
    if (w4_->isChecked()) r.formats.push_back(speed::SpeedFormat::W4);
    r.repeats = repeats_->value();
    r.rotate_bytes = rotateBytes_;
    return r;
}

void SpeedView::setShape(int rows, int cols) {
    rows_->setValue(rows);
    cols_->setValue(cols);
}

void SpeedView::setBatches(bool decode, bool prefill, int prefillBatch) {
    decode1_->setChecked(decode);
    prefill_->setChecked(prefill);
    prefillBatch_->setValue(prefillBatch);
}

void SpeedView::setFormats(bool fp32, bool int8, bool w4) {
    fp32_->setChecked(fp32);
    int8_->setChecked(int8);
    w4_->setChecked(w4);
}

void SpeedView::setRepeats(int repeats) { repeats_->setValue(repeats); }

bool SpeedView::isRunning() const { return watcher_.isRunning(); }

void SpeedView::run() {
    if (isRunning()) return;
    const speed::SpeedRequest req = request();
    if (req.batches.empty() || req.formats.empty()) {
        status_->setText(tr("Choose at least one batch and one format."));
        return;
    }
    cancelFlag_ = std::make_shared<std::atomic<bool>>(false);
    auto flag = cancelFlag_;
    QPointer<QProgressBar> bar = progress_;
    runButton_->setEnabled(false);
    cancelButton_->setEnabled(true);
    progress_->setValue(0);
    status_->setText(gpu::device_info().available ? tr("Measuring on the CPU, then on the GPU ...") : tr("Measuring on the CPU ..."));
    watcher_.setFuture(QtConcurrent::run(workerPool(), [req, flag, bar, measure = measure_]() -> Outcome {
        Outcome out;
        try {
            auto progress = [flag, bar](std::size_t done, std::size_t total) {
                const int v = total ? static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total)) : 0;
                QMetaObject::invokeMethod(bar, [bar, v] { if (bar) bar->setValue(v); }, Qt::QueuedConnection);
                return !flag->load();
            };
            out.report = std::make_shared<const speed::SpeedReport>(measure(req, progress));
        } catch (const std::exception& e) {
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void SpeedView::cancel() {
    if (cancelFlag_) cancelFlag_->store(true);
}

void SpeedView::onFinished() {
    runButton_->setEnabled(true);
    cancelButton_->setEnabled(false);
    const Outcome out = watcher_.result();
    if (!out.error.isEmpty()) {
        status_->setText(tr("Measurement failed: %1").arg(out.error));
    } else if (!out.report || out.report->cancelled) {
        status_->setText(tr("Cancelled; the charts keep the last complete run."));
    } else {
        report_ = out.report;
        progress_->setValue(1000);
        status_->setText(tr("%1, %2 threads, path %3: read %4 GB/s, FP32 peak %5 GFLOP/s, int8 peak %6 GOP/s")
                             .arg(QString::fromStdString(report_->device))
                             .arg(report_->threads)
                             .arg(QString::fromStdString(report_->isa))
                             .arg(report_->read_gbps, 0, 'f', 1)
                             .arg(report_->roof_f32_gflops, 0, 'f', 0)
                             .arg(report_->roof_int8_gops, 0, 'f', 0));
        showGpuLine();
        fillTable();
        updateDecode();
        if (tabs_->currentWidget() == controlsScroll_) tabs_->setCurrentWidget(timeChart_);  // the result, in a narrow view
    }
    emit finished();
}

// The decode model from core: bandwidth / bytes per token for the chosen preset; this CPU at the
// read bandwidth measured by the last run.
void SpeedView::updateDecode() {
    const ModelPreset* m = find_model(model_->currentText().toStdString());
    if (!m) return;
    KvCacheOptions kv;
    kv.context = context_->value();
    decode_ = std::make_shared<const speed::DecodeEstimate>(
        speed::decode_estimate(m->params, {{"FP16", 16}, {"INT8", 8}, {"INT4", 4}}, m, kv, report_ ? report_->read_gbps : 0.0,
                               tr("This CPU").toStdString()));
    const SpeedChartData data{report_, decode_};
    timeChart_->setSpeedData(data);
    decodeChart_->setSpeedData(data);
    rooflineChart_->setSpeedData(data);
}

QString SpeedView::gpuLine() const { return gpuLine_->text(); }

QString SpeedView::statusText() const { return status_->text(); }

// Before a run: the device this machine has (gpu/gpu_backend.h) or why there is none; after one: what
// the report measured on it.
void SpeedView::showGpuLine() {
    QString text;
    if (report_ && report_->gpu.present()) {
        const auto& g = report_->gpu;
        text = tr("GPU: %1, read %2 GB/s measured (%3 GB/s peak), best product %4 GFLOP/s")
                   .arg(QString::fromStdString(g.device))
                   .arg(g.read_gbps, 0, 'f', 0)
                   .arg(g.peak_gbps, 0, 'f', 0)
                   .arg(g.roof_gflops, 0, 'f', 0);
    } else if (report_ && !report_->gpu.none_reason.empty()) {
        text = tr("GPU: none (%1)").arg(QString::fromStdString(report_->gpu.none_reason));
    } else if (const auto& d = gpu::device_info(); d.available) {
        text = tr("GPU: %1 (compute capability %2.%3, %4 GiB, %5 GB/s peak), measured after the CPU")
                   .arg(QString::fromStdString(d.name))
                   .arg(d.cc_major)
                   .arg(d.cc_minor)
                   .arg(d.memory_total_gib, 0, 'f', 1)
                   .arg(d.bandwidth_gbps, 0, 'f', 0);
    } else {
        text = tr("GPU: none (%1)").arg(QString::fromStdString(d.reason));
    }
    if (report_ && !report_->gpu.failures.empty())
        text += QLatin1Char('\n') + tr("GPU measurements that failed: %1").arg(QString::fromStdString(report_->gpu.failures));
    gpuLine_->setText(text);
}

// One row per measurement, CPU rows then GPU rows, as the report holds them; the numbers are the
// report's, formatted.
void SpeedView::fillTable() {
    const QStringList headers{tr("Device"),   tr("Format"),       tr("Batch"),       tr("Median (ms)"), tr("Quartiles (ms)"),
                              tr("Floor (ms)"), tr("x floor"),     tr("GB/s"),        tr("Floor GB/s"),  tr("GFLOP/s (GOP/s)"),
                              tr("Weights (MB)"), tr("Kernel")};
    table_->clear();
    table_->setColumnCount(static_cast<int>(headers.size()));
    table_->setHorizontalHeaderLabels(headers);
    const int n = report_ ? static_cast<int>(report_->items.size()) : 0;
    table_->setRowCount(n);
    for (int i = 0; i < n; ++i) {
        const auto& m = report_->items[static_cast<std::size_t>(i)];
        const QStringList cells{QString::fromStdString(m.device),
                                QString::fromLatin1(speed::format_name(m.format)),
                                QString::number(m.batch),
                                QString::number(m.median_ms, 'g', 4),
                                tr("%1 - %2").arg(m.q25_ms, 0, 'g', 4).arg(m.q75_ms, 0, 'g', 4),
                                QString::number(m.floor_ms, 'g', 4),
                                QString::number(m.ratio_to_floor(), 'f', 2),
                                QString::number(m.gbps, 'f', 1),
                                QString::number(m.floor_gbps, 'f', 1),
                                QString::number(m.gflops, 'f', 1),
                                QString::number(m.weight_bytes / 1e6, 'f', 2),
                                QString::fromStdString(m.path)};
        for (int c = 0; c < static_cast<int>(cells.size()); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c >= 2 && c <= 10) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(i, c, item);
        }
    }
    table_->resizeColumnsToContents();
}

void SpeedView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) applyChartStyle();
    // the controls' width follows their type (presentation mode's cut "Decode (batch 1)" and the shape
    // fields in a column fitted to the normal type), once the new font has reached every field
    if (event->type() == QEvent::FontChange) QTimer::singleShot(0, this, &SpeedView::fitControls);
}

namespace {
// The least width a chart beside the controls keeps; below it the controls become a tab.
constexpr int kChartBesideControlsPx = 480;
// A chart's least height as a tab: what a 260 px dock leaves under the tab bar.
constexpr int kNarrowChartHeightPx = 180;
} // namespace

bool SpeedView::controlsInTabs() const { return tabs_->indexOf(controlsScroll_) >= 0; }

void SpeedView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    arrangeSoon_.request();  // after the resize has been laid out
}

// In a small dock (the Speed tab of the window's default arrangement, about 440x260) the controls beside
// the charts left the charts a sliver, scrolled out of view. There the controls become the first tab,
// "Settings", of the charts' tab widget, so that each part has the whole view; a run then shows the time
// chart. A view wide enough for the controls and a chart of kChartBesideControlsPx has them side by side.
void SpeedView::arrange() {
    QWidget* controls = controlsScroll_->widget();
    const int controlsWidth = std::max(controls->minimumSizeHint().width(), 300) + controlsScroll_->verticalScrollBar()->sizeHint().width();
    const bool narrow = width() < controlsWidth + kChartBesideControlsPx;
    if (narrow == controlsInTabs()) return;
    // as tabs of a short dock the charts may be lower than a chart's usual least height
    for (ChartView* c : {static_cast<ChartView*>(timeChart_), static_cast<ChartView*>(decodeChart_), static_cast<ChartView*>(rooflineChart_)})
        c->setMinimumHeight(narrow ? kNarrowChartHeightPx : ChartView::kMinimumHeightPx);
    if (narrow) {
        sideLayout_->removeWidget(controlsScroll_);
        tabs_->insertTab(0, controlsScroll_, tr("Settings"));
        tabs_->setCurrentIndex(0);
    } else {
        const bool onSettings = tabs_->currentWidget() == controlsScroll_;
        tabs_->removeTab(tabs_->indexOf(controlsScroll_));
        sideLayout_->insertWidget(0, controlsScroll_);
        controlsScroll_->show();
        if (onSettings) tabs_->setCurrentIndex(0);
    }
    fitControls();
}

void SpeedView::fitControls() {
    QWidget* controls = controlsScroll_->widget();
    if (controlsInTabs()) {  // the tab's whole width
        controls->setMaximumWidth(QWIDGETSIZE_MAX);
        controlsScroll_->setMinimumWidth(0);
        controlsScroll_->setMaximumWidth(QWIDGETSIZE_MAX);
        return;
    }
    const int need = std::max(controls->minimumSizeHint().width(), 300);
    const int cap = std::max(470, width() / 2);  // the charts keep at least half
    controls->setMaximumWidth(cap);
    controlsScroll_->setFixedWidth(std::min(cap, need) + controlsScroll_->verticalScrollBar()->sizeHint().width());
}

// The window's style once it gave one (theme and presentation mode: the font change that entering
// presentation mode sends afterwards set the charts back to normal type), else the application theme's:
// dark when the window background is dark.
void SpeedView::applyChartStyle() {
    const bool dark = palette().color(QPalette::Window).lightnessF() < 0.5;
    const ChartStyle st = windowStyle_ ? *windowStyle_ : makeChartStyle(dark, false);
    for (ChartView* c : {static_cast<ChartView*>(timeChart_), static_cast<ChartView*>(decodeChart_), static_cast<ChartView*>(rooflineChart_)})
        if (c) c->setChartStyle(st);
}

void SpeedView::setChartStyle(const ChartStyle& style) {
    windowStyle_ = style;
    applyChartStyle();
}


} // namespace ql::ui
