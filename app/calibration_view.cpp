// The calibration view: settings panel -> CalibrationRequest -> run_calibration() off the GUI thread
// -> the calibration charts.
#include "calibration_view.h"
#include "worker_pool.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrent>

#include <algorithm>
#include <cmath>

#include "core/calibration/calibration_json.h"
#include "export_all.h"
#include "export_dialog.h"

namespace ql::ui {
namespace {

// Group sizes offered; -1 is one group per row.
const int kGroupSizes[] = {32, 64, 128, 256, 512, -1};

QString methodCheckText(calib::CalibMethod m) {
    switch (m) {
    case calib::CalibMethod::Rtn: return CalibrationView::tr("RTN (round to nearest)");
    case calib::CalibMethod::Gptq: return CalibrationView::tr("GPTQ");
    case calib::CalibMethod::Awq: return CalibrationView::tr("AWQ");
    case calib::CalibMethod::AwqClip: return CalibrationView::tr("AWQ + clip");
    case calib::CalibMethod::SmoothQuant: return CalibrationView::tr("SmoothQuant W8A8 (and plain W8A8)");
    }
    return {};
}

QString channelList(const std::vector<std::int64_t>& c) {
    QStringList l;
    for (std::size_t i = 0; i < c.size() && i < 8; ++i) l << QString::number(c[i]);
    if (c.size() > 8) l << QStringLiteral("...");
    return l.join(QStringLiteral(", "));
}

} // namespace

calib::LayerSpec CalibrationSetup::defaultSpec() {
    calib::LayerSpec s;
    s.out = 512;
    s.in = 512;
    s.tokens = 512;
    return s;
}

CalibrationView::CalibrationView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("calibrationView"));
    coalesce_.setSingleShot(true);
    coalesce_.setInterval(250);  // a slider being dragged asks once it rests
    connect(&coalesce_, &QTimer::timeout, this, &CalibrationView::startPending);
    connect(&watcher_, &QFutureWatcherBase::finished, this, &CalibrationView::onFinished);
    connect(&watcher_, &QFutureWatcherBase::progressValueChanged, this, [this](int v) {
        progress_->setValue(v);
        emit progressChanged(v);
    });

    split_ = new QSplitter(Qt::Horizontal, this);
    panelScroll_ = new QScrollArea(split_);
    panelScroll_->setWidgetResizable(true);
    panelScroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    panel_ = buildPanel();
    panelScroll_->setWidget(panel_);
    split_->addWidget(panelScroll_);
    split_->addWidget(buildCharts());
    split_->setStretchFactor(0, 0);
    split_->setStretchFactor(1, 1);
    fitPanelWidth();
    auto* lay = new QHBoxLayout(this);
    lay->setContentsMargins(0, 0, 0, 0);
    lay->addWidget(split_);

    setSetup(loadSetup());
    pushToCharts();
}

// The panel's last setup, kept in QSettings under calibration/ (the defaults where a key is missing
// or unreadable).
CalibrationSetup CalibrationView::loadSetup() {
    QSettings q;
    CalibrationSetup s;
    q.beginGroup(QStringLiteral("calibration"));
    s.source = static_cast<CalibrationSetup::Source>(std::clamp(q.value(QStringLiteral("source"), 0).toInt(), 0, 3));
    s.spec.out = q.value(QStringLiteral("out"), qlonglong(s.spec.out)).toLongLong();
    s.spec.in = q.value(QStringLiteral("in"), qlonglong(s.spec.in)).toLongLong();
    s.spec.tokens = q.value(QStringLiteral("tokens"), qlonglong(s.spec.tokens)).toLongLong();
    s.spec.seed = q.value(QStringLiteral("seed"), qulonglong(s.spec.seed)).toULongLong();
    s.spec.outlier_channels = q.value(QStringLiteral("outlierChannels"), s.spec.outlier_channels).toInt();
    s.spec.correlation = q.value(QStringLiteral("correlation"), s.spec.correlation).toDouble();
    s.weightsPath = q.value(QStringLiteral("weights")).toString();
    s.activationsPath = q.value(QStringLiteral("activations")).toString();
    s.settings.bits = q.value(QStringLiteral("bits"), s.settings.bits).toInt();
    s.settings.group_size = q.value(QStringLiteral("groupSize"), s.settings.group_size).toInt();
    s.settings.act_order = q.value(QStringLiteral("actOrder"), s.settings.act_order).toBool();
    s.settings.percdamp = q.value(QStringLiteral("percdamp"), s.settings.percdamp).toDouble();
    s.settings.alpha = q.value(QStringLiteral("alpha"), s.settings.alpha).toDouble();
    if (q.contains(QStringLiteral("methods"))) {
        std::vector<calib::CalibMethod> m;
        if (calib::parse_calib_methods(q.value(QStringLiteral("methods")).toString().toStdString(), m)) s.methods = m;
    }
    s.logScale = q.value(QStringLiteral("logScale"), s.logScale).toBool();
    return s;
}

void CalibrationView::saveSetup(const CalibrationSetup& s) {
    QSettings q;
    q.beginGroup(QStringLiteral("calibration"));
    q.setValue(QStringLiteral("source"), static_cast<int>(s.source));
    q.setValue(QStringLiteral("out"), qlonglong(s.spec.out));
    q.setValue(QStringLiteral("in"), qlonglong(s.spec.in));
    q.setValue(QStringLiteral("tokens"), qlonglong(s.spec.tokens));
    q.setValue(QStringLiteral("seed"), qulonglong(s.spec.seed));
    q.setValue(QStringLiteral("outlierChannels"), s.spec.outlier_channels);
    q.setValue(QStringLiteral("correlation"), s.spec.correlation);
    q.setValue(QStringLiteral("weights"), s.weightsPath);
    q.setValue(QStringLiteral("activations"), s.activationsPath);
    q.setValue(QStringLiteral("bits"), s.settings.bits);
    q.setValue(QStringLiteral("groupSize"), s.settings.group_size);
    q.setValue(QStringLiteral("actOrder"), s.settings.act_order);
    q.setValue(QStringLiteral("percdamp"), s.settings.percdamp);
    q.setValue(QStringLiteral("alpha"), s.settings.alpha);
    QStringList names;
    for (calib::CalibMethod m : s.methods) names << QString::fromLatin1(calib::calib_method_name(m));
    q.setValue(QStringLiteral("methods"), names.join(QLatin1Char(',')));
    q.setValue(QStringLiteral("logScale"), s.logScale);
}

CalibrationView::~CalibrationView() {
    pending_.reset();
    coalesce_.stop();
    watcher_.cancel();
    watcher_.waitForFinished();
}

QWidget* CalibrationView::buildPanel() {
    auto* content = new QWidget(this);
    auto* v = new QVBoxLayout(content);

    // Layer
    auto* layerBox = new QGroupBox(tr("Layer: weights W and activations X"), content);
    auto* lv = new QVBoxLayout(layerBox);
    source_ = new QComboBox(layerBox);
    source_->addItem(tr("Generated layer"));
    source_->addItem(tr("W.npy + X.npy files"));
    source_->addItem(tr("W.npy + generated activations"));
    source_->addItem(tr("Current tensor + generated activations"));
    source_->setToolTip(tr("Where W (out x in) and X (tokens x in) come from"));
    lv->addWidget(source_);

    fileBox_ = new QWidget(layerBox);
    auto* ff = new QFormLayout(fileBox_);
    ff->setContentsMargins(0, 0, 0, 0);
    auto fileRow = [&](QLineEdit*& edit, const QString& placeholder) {
        auto* row = new QWidget(fileBox_);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        edit = new QLineEdit(row);
        edit->setPlaceholderText(placeholder);
        auto* b = new QToolButton(row);
        b->setText(tr("..."));
        b->setToolTip(tr("Choose a .npy file"));
        QLineEdit* e = edit;
        connect(b, &QToolButton::clicked, this, [this, e] { chooseFile(e); });
        connect(edit, &QLineEdit::editingFinished, this, &CalibrationView::onEdited);
        h->addWidget(edit, 1);
        h->addWidget(b);
        return row;
    };
    ff->addRow(tr("Weights W"), fileRow(wPath_, tr("W.npy, [out, in]")));
    xFileRow_ = fileRow(xPath_, tr("X.npy, [tokens, in]"));
    ff->addRow(tr("Activations X"), xFileRow_);
    lv->addWidget(fileBox_);

    genBox_ = new QWidget(layerBox);
    auto* gf = new QFormLayout(genBox_);
    gf->setContentsMargins(0, 0, 0, 0);
    auto spin = [&](int lo, int hi, const QString& tip) {
        auto* s = new QSpinBox(genBox_);
        s->setRange(lo, hi);
        s->setToolTip(tip);
        connect(s, &QSpinBox::valueChanged, this, &CalibrationView::onEdited);
        return s;
    };
    sizeBox_ = new QWidget(genBox_);
    auto* sf = new QFormLayout(sizeBox_);
    sf->setContentsMargins(0, 0, 0, 0);
    out_ = spin(1, 65536, tr("Output features: rows of W"));
    in_ = spin(1, 65536, tr("Input features: columns of W and of X"));
    out_->setParent(sizeBox_);
    in_->setParent(sizeBox_);
    sf->addRow(tr("Output features"), out_);
    sf->addRow(tr("Input features"), in_);
    gf->addRow(sizeBox_);
    tokens_ = spin(1, 65536, tr("Calibration tokens: rows of X"));
    seed_ = spin(0, 1 << 30, tr("The same seed gives the same layer on every machine"));
    outliers_ = spin(0, 256, tr("Input channels of X scaled 20-100x, as measured in LLMs (SmoothQuant, LLM.int8())"));
    correlation_ = new QDoubleSpinBox(genBox_);
    correlation_->setRange(0.0, 0.95);
    correlation_->setSingleStep(0.05);
    correlation_->setDecimals(2);
    correlation_->setToolTip(tr("Share of each activation's variance from a shared low-rank mixing. 0: independent channels, "
                                "H nearly diagonal, and GPTQ barely beats RTN"));
    connect(correlation_, &QDoubleSpinBox::valueChanged, this, &CalibrationView::onEdited);
    gf->addRow(tr("Tokens"), tokens_);
    gf->addRow(tr("Seed"), seed_);
    gf->addRow(tr("Outlier channels"), outliers_);
    gf->addRow(tr("Channel correlation"), correlation_);
    lv->addWidget(genBox_);
    layerInfo_ = new QLabel(layerBox);
    layerInfo_->setWordWrap(true);
    layerInfo_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    lv->addWidget(layerInfo_);
    v->addWidget(layerBox);
    connect(source_, &QComboBox::currentIndexChanged, this, [this] {
        updateSourceFields();
        onEdited();
    });

    // Weight-only quantization (RTN, GPTQ, AWQ)
    auto* qBox = new QGroupBox(tr("Weight-only INT (RTN, GPTQ, AWQ)"), content);
    auto* qf = new QFormLayout(qBox);
    bits_ = new QSpinBox(qBox);
    bits_->setRange(2, 8);
    bits_->setSuffix(tr(" bits"));
    bits_->setToolTip(tr("Asymmetric INT-b: one scale and integer zero point per output row and group of input columns"));
    connect(bits_, &QSpinBox::valueChanged, this, &CalibrationView::onEdited);
    group_ = new QComboBox(qBox);
    for (int g : kGroupSizes) group_->addItem(g > 0 ? tr("%1 columns").arg(g) : tr("one group per row"), g);
    connect(group_, &QComboBox::currentIndexChanged, this, &CalibrationView::onEdited);
    actOrder_ = new QCheckBox(tr("GPTQ act-order (largest H_jj first)"), qBox);
    connect(actOrder_, &QCheckBox::toggled, this, &CalibrationView::onEdited);
    percdamp_ = new QDoubleSpinBox(qBox);
    percdamp_->setRange(0.0001, 10.0);
    percdamp_->setDecimals(4);
    percdamp_->setSingleStep(0.01);
    percdamp_->setToolTip(tr("GPTQ dampening: percdamp x mean(diag H) is added to the diagonal of H"));
    connect(percdamp_, &QDoubleSpinBox::valueChanged, this, &CalibrationView::onEdited);
    qf->addRow(tr("Bits"), bits_);
    qf->addRow(tr("Group size"), group_);
    qf->addRow(tr("GPTQ percdamp"), percdamp_);
    qf->addRow(actOrder_);
    v->addWidget(qBox);

    // SmoothQuant
    auto* sBox = new QGroupBox(tr("SmoothQuant W8A8"), content);
    auto* sv = new QVBoxLayout(sBox);
    alphaLabel_ = new QLabel(sBox);
    alpha_ = new QSlider(Qt::Horizontal, sBox);
    alpha_->setRange(0, 100);
    alpha_->setSingleStep(5);
    alpha_->setPageStep(10);
    alpha_->setTickPosition(QSlider::TicksBelow);
    alpha_->setTickInterval(10);
    alpha_->setToolTip(tr("Migration strength: s_j = max|X_j|^alpha / max|W_j|^(1 - alpha). 0 leaves the weights unchanged"));
    connect(alpha_, &QSlider::valueChanged, this, [this](int a) {
        alphaLabel_->setText(tr("alpha = %1: share of the outliers moved into W").arg(a / 100.0, 0, 'f', 2));
        onEdited();
    });
    alphaLabel_->setWordWrap(true);
    sv->addWidget(alphaLabel_);
    sv->addWidget(alpha_);
    v->addWidget(sBox);

    // Methods
    auto* mBox = new QGroupBox(tr("Methods to run"), content);
    auto* mv = new QVBoxLayout(mBox);
    for (calib::CalibMethod m : calib::all_calib_methods()) {
        auto* c = new QCheckBox(methodCheckText(m), mBox);
        connect(c, &QCheckBox::toggled, this, &CalibrationView::onEdited);
        mv->addWidget(c);
        methods_.emplace_back(m, c);
    }
    log_ = new QCheckBox(tr("Log scale on the comparison"), mBox);
    connect(log_, &QCheckBox::toggled, this, [this] {
        if (applying_) return;
        saveSetup(setup());
        pushToCharts();
    });
    mv->addWidget(log_);
    v->addWidget(mBox);

    // Run
    auto* runRow = new QHBoxLayout;
    runButton_ = new QPushButton(tr("Run"), content);
    runButton_->setToolTip(tr("Run the chosen methods on this layer (any change also re-runs them)"));
    cancelButton_ = new QPushButton(tr("Cancel"), content);
    cancelButton_->setEnabled(false);
    connect(runButton_, &QPushButton::clicked, this, &CalibrationView::run);
    connect(cancelButton_, &QPushButton::clicked, this, &CalibrationView::cancel);
    runRow->addWidget(runButton_);
    runRow->addWidget(cancelButton_);
    v->addLayout(runRow);
    progress_ = new QProgressBar(content);
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    progress_->setVisible(false);
    v->addWidget(progress_);
    status_ = new QLabel(content);
    status_->setObjectName(QStringLiteral("calibrationStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(status_);
    auto* exportAll = new QPushButton(tr("Export all calibration charts..."), content);
    exportAll->setToolTip(tr("Every calibration chart as PNG, SVG and PDF, and the report as JSON, into one folder"));
    connect(exportAll, &QPushButton::clicked, this, &CalibrationView::exportAllCharts);
    v->addWidget(exportAll);
    v->addStretch(1);
    for (QComboBox* c : content->findChildren<QComboBox*>()) {
        c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        c->setMinimumContentsLength(8);
    }
    return content;
}

QWidget* CalibrationView::buildCharts() {
    charts_ = createCalibrationCharts(this);
    for (CalibrationChart* c : charts_) connect(c, &ChartView::exportRequested, this, &CalibrationView::exportRequested);
    // The comparison on top, always visible; each method's own pictures side by side in a tab below.
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts_[0]);
    auto* tabs = new QTabWidget(split);
    tabs->setObjectName(QStringLiteral("calibrationTabs"));
    auto pair = [&](CalibrationChart* a, CalibrationChart* b, const QString& name) {
        auto* s = new QSplitter(Qt::Horizontal, tabs);
        s->addWidget(a);
        s->addWidget(b);
        s->setStretchFactor(0, 1);
        s->setStretchFactor(1, 1);
        s->setSizes({500, 500});  // half each, whatever the charts' size hints
        tabs->addTab(s, name);
    };
    pair(charts_[1], charts_[2], tr("GPTQ"));
    tabs->addTab(charts_[7], tr("GPTQ vs RTN"));  // weight error per column: GPTQ's is not the smaller one
    pair(charts_[3], charts_[4], tr("AWQ"));
    pair(charts_[5], charts_[6], tr("SmoothQuant"));
    split->addWidget(tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    return split;
}

CalibrationChart* CalibrationView::chart(const QString& id) const {
    for (CalibrationChart* c : charts_)
        if (c->chartId() == id) return c;
    return nullptr;
}

void CalibrationView::setTensorProvider(std::function<std::shared_ptr<const Tensor>()> provider) { tensorProvider_ = std::move(provider); }

void CalibrationView::setSetup(const CalibrationSetup& s) {
    applying_ = true;
    source_->setCurrentIndex(static_cast<int>(s.source));
    out_->setValue(static_cast<int>(s.spec.out));
    in_->setValue(static_cast<int>(s.spec.in));
    tokens_->setValue(static_cast<int>(s.spec.tokens));
    seed_->setValue(static_cast<int>(s.spec.seed));
    outliers_->setValue(s.spec.outlier_channels);
    correlation_->setValue(s.spec.correlation);
    wPath_->setText(s.weightsPath);
    xPath_->setText(s.activationsPath);
    bits_->setValue(s.settings.bits);
    int gi = group_->findData(s.settings.group_size > 0 ? s.settings.group_size : -1);
    if (gi < 0) {  // a size the list does not offer: add it
        group_->addItem(tr("%1 columns").arg(s.settings.group_size), s.settings.group_size);
        gi = group_->count() - 1;
    }
    group_->setCurrentIndex(gi);
    actOrder_->setChecked(s.settings.act_order);
    percdamp_->setValue(s.settings.percdamp);
    alpha_->setValue(static_cast<int>(std::lround(s.settings.alpha * 100)));
    alphaLabel_->setText(tr("alpha = %1: share of the outliers moved into W").arg(alpha_->value() / 100.0, 0, 'f', 2));
    for (auto& [m, box] : methods_) box->setChecked(std::find(s.methods.begin(), s.methods.end(), m) != s.methods.end());
    log_->setChecked(s.logScale);
    updateSourceFields();
    applying_ = false;
    pushToCharts();
}

CalibrationSetup CalibrationView::setup() const {
    CalibrationSetup s;
    s.source = static_cast<CalibrationSetup::Source>(std::clamp(source_->currentIndex(), 0, 3));
    s.spec.out = out_->value();
    s.spec.in = in_->value();
    s.spec.tokens = tokens_->value();
    s.spec.seed = static_cast<std::uint64_t>(seed_->value());
    s.spec.outlier_channels = outliers_->value();
    s.spec.correlation = correlation_->value();
    s.weightsPath = wPath_->text().trimmed();
    s.activationsPath = xPath_->text().trimmed();
    s.settings.bits = bits_->value();
    s.settings.group_size = group_->currentData().toInt();
    s.settings.act_order = actOrder_->isChecked();
    s.settings.percdamp = percdamp_->value();
    s.settings.alpha = alpha_->value() / 100.0;
    s.methods.clear();
    for (const auto& [m, box] : methods_)
        if (box->isChecked()) s.methods.push_back(m);
    s.logScale = log_->isChecked();
    return s;
}

calib::CalibrationRequest CalibrationView::requestFor(const CalibrationSetup& s) const {
    calib::CalibrationRequest r;
    r.settings = s.settings;
    r.methods = s.methods;
    auto& src = r.source;
    src.spec = s.spec;
    switch (s.source) {
    case CalibrationSetup::Source::Generated: src.kind = calib::LayerSource::Kind::Generated; break;
    case CalibrationSetup::Source::Files:
        src.kind = calib::LayerSource::Kind::Files;
        src.weights_path = s.weightsPath.toStdString();
        src.activations_path = s.activationsPath.toStdString();
        break;
    case CalibrationSetup::Source::WeightFile:
        src.kind = calib::LayerSource::Kind::WeightFile;
        src.weights_path = s.weightsPath.toStdString();
        break;
    case CalibrationSetup::Source::CurrentTensor:
        src.kind = calib::LayerSource::Kind::WeightTensor;
        if (tensorProvider_) src.weights = tensorProvider_();
        break;
    }
    return r;
}

void CalibrationView::updateSourceFields() {
    const auto src = static_cast<CalibrationSetup::Source>(source_->currentIndex());
    const bool files = src == CalibrationSetup::Source::Files;
    const bool wfile = src == CalibrationSetup::Source::WeightFile;
    fileBox_->setVisible(files || wfile);
    if (auto* form = qobject_cast<QFormLayout*>(fileBox_->layout())) form->setRowVisible(xFileRow_, files);
    genBox_->setVisible(!files);
    sizeBox_->setVisible(src == CalibrationSetup::Source::Generated);  // otherwise W gives the sizes
}

void CalibrationView::onEdited() {
    if (applying_) return;
    if (!ranOnce_ && !isVisible()) return;  // nothing runs before the view is first shown
    run();
}

void CalibrationView::run() {
    const CalibrationSetup s = setup();
    saveSetup(s);
    pushToCharts();  // the log choice applies at once
    if (s.methods.empty()) {
        status_->setText(tr("Tick at least one method."));
        return;
    }
    const auto src = s.source;
    if ((src == CalibrationSetup::Source::Files && (s.weightsPath.isEmpty() || s.activationsPath.isEmpty())) ||
        (src == CalibrationSetup::Source::WeightFile && s.weightsPath.isEmpty())) {
        status_->setText(tr("Choose the .npy file(s) of the layer."));
        return;
    }
    ranOnce_ = true;
    pending_ = requestFor(s);
    if (src == CalibrationSetup::Source::CurrentTensor && !pending_->source.weights) {
        pending_.reset();
        status_->setText(tr("The main window has no tensor yet."));
        return;
    }
    if (watcher_.isRunning()) watcher_.cancel();  // the job sees it at its next progress report
    if (!coalesce_.isActive()) coalesce_.start();
}

void CalibrationView::cancel() {
    pending_.reset();
    coalesce_.stop();
    if (watcher_.isRunning()) watcher_.cancel();
}

bool CalibrationView::busy() const { return running_ || pending_.has_value(); }

void CalibrationView::startPending() {
    if (!pending_ || running_) return;  // onFinished() starts it once the running job stops
    const calib::CalibrationRequest req = std::move(*pending_);
    pending_.reset();
    progress_->setValue(0);
    progress_->setVisible(true);
    cancelButton_->setEnabled(true);
    status_->setText(tr("Running..."));
    emit started();
    running_ = true;
    watcher_.setFuture(QtConcurrent::run(workerPool(), [req](QPromise<ReportPtr>& promise) {
        promise.setProgressRange(0, 1000);
        auto rep = std::make_shared<calib::CalibrationReport>(calib::run_calibration(req, [&promise](std::size_t done, std::size_t total) {
            promise.setProgressValue(static_cast<int>(done * 1000 / std::max<std::size_t>(total, 1)));
            return !promise.isCanceled();
        }));
        promise.addResult(ReportPtr(std::move(rep)));
    }));
}

void CalibrationView::onFinished() {
    if (watcher_.isRunning()) return;  // a finished() of the job before, should one arrive after the next began
    running_ = false;
    const QFuture<ReportPtr> f = watcher_.future();
    ReportPtr r = f.resultCount() > 0 ? f.result() : nullptr;
    if (pending_) {  // superseded: the newer request runs now, this result is dropped
        startPending();
        return;
    }
    progress_->setVisible(false);
    cancelButton_->setEnabled(false);
    if (!r || r->cancelled) {
        status_->setText(tr("Cancelled; the charts show the last finished run."));
        return;
    }
    showReport(r);
}

void CalibrationView::showReport(const ReportPtr& r) {
    if (!r->error.empty()) {
        // Keep the last good charts; say what is wrong.
        status_->setText(tr("Cannot run: %1").arg(QString::fromStdString(r->error)));
        return;
    }
    report_ = r;
    const auto& l = r->layer;
    QString info = tr("%1: W %2 x %3, X %4 tokens").arg(QString::fromStdString(l.name)).arg(l.out).arg(l.in).arg(l.tokens);
    if (!l.outlier_channels.empty()) info += tr("; outlier input channels %1").arg(channelList(l.outlier_channels));
    layerInfo_->setText(info);
    QString st = tr("Done in %1 s.").arg(r->compute_seconds, 0, 'f', 2);
    for (const auto& w : r->warnings) st += QLatin1Char('\n') + tr("Warning: %1").arg(QString::fromStdString(w));
    status_->setText(st);
    pushToCharts();
    emit reportShown();
}

void CalibrationView::pushToCharts() {
    CalibChartInputs in;
    in.report = report_;
    in.logScale = log_->isChecked();
    for (CalibrationChart* c : charts_) c->setCalibration(in);
}

void CalibrationView::setChartStyle(const ChartStyle& style) {
    for (CalibrationChart* c : charts_) c->setChartStyle(style);
    if (dock_ && dock_->isFloating() && dock_->isVisible()) fitDockToWindow();  // presentation mode resizes the window
}

void CalibrationView::waitForIdle() {
    while (busy() || coalesce_.isActive()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        if (coalesce_.isActive() && !running_) {
            coalesce_.stop();
            startPending();
        }
    }
    QCoreApplication::processEvents();
}

void CalibrationView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (!ranOnce_) QTimer::singleShot(0, this, &CalibrationView::run);  // the first look shows a finished run
}

// The settings column exactly as wide as its fields need, the rest for the charts.
void CalibrationView::fitPanelWidth() {
    const int w = panel_->sizeHint().width() + panelScroll_->verticalScrollBar()->sizeHint().width() + 4;
    panelScroll_->setMinimumWidth(w);
    split_->setSizes({w, std::max(600, split_->width() - w)});
}

void CalibrationView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange && panel_) QTimer::singleShot(0, this, &CalibrationView::fitPanelWidth);
}

void CalibrationView::chooseFile(QLineEdit* target) {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a .npy file"), QFileInfo(target->text()).absolutePath(), tr("NumPy arrays (*.npy)"));
    if (path.isEmpty()) return;
    target->setText(path);
    onEdited();
}

QDockWidget* CalibrationView::createDock(QMainWindow* window) {
    dock_ = new QDockWidget(tr("Calibration: GPTQ, AWQ, SmoothQuant"), window);
    dock_->setObjectName(QStringLiteral("calibrationDock"));
    dock_->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    dock_->setWidget(this);
    window->addDockWidget(Qt::RightDockWidgetArea, dock_);
    // hidden before it floats: a dock that is not hidden is shown when it floats (a window of its own),
    // which ran the whole calibration (its first look runs one) on every start, unseen
    dock_->hide();
    dock_->setFloating(true);
    return dock_;
}

void CalibrationView::showDock() {
    if (!dock_) return;
    if (dock_->isFloating() && !dock_->isVisible()) fitDockToWindow();
    dock_->show();
    dock_->raise();
    dock_->activateWindow();
}

// A floating dock covers most of the main window, centred over it: the settings and four charts need
// the room.
void CalibrationView::fitDockToWindow() {
    QWidget* w = dock_->parentWidget();
    QRect area = w ? w->geometry() : QRect(0, 0, 1400, 900);
    if (const QScreen* sc = screen()) area = area.intersected(sc->availableGeometry());
    const QSize size(std::max(900, area.width() * 19 / 20), std::max(600, area.height() * 19 / 20));
    dock_->resize(size);
    dock_->move(area.center() - QPoint(size.width() / 2, size.height() / 2));
}

void CalibrationView::exportAllCharts() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export every calibration chart and the report into"));
    if (dir.isEmpty()) return;
    ExportOptions opt;
    if (!askExportOptions(this, true, opt)) return;
    QStringList written;
    QString error;
    bool ok = true;
    for (CalibrationChart* c : charts_) {
        for (ExportFormat f : opt.formats) {
            const QString path = QDir(dir).filePath(c->chartId() + QLatin1Char('.') + exportFormatSuffix(f));
            ok = c->exportTo(path, f, opt.size, opt.dpi, &error);
            if (!ok) break;
            written << path;
        }
        if (!ok) break;
    }
    if (ok && report_) {
        const QString json = QDir(dir).filePath(QStringLiteral("calibration.json"));
        ok = writeTextFile(json, QString::fromStdString(calib::to_json(*report_, true).dump(2)), &error);
        if (ok) written << json;
    }
    if (!ok) {
        if (QGuiApplication::platformName() == QLatin1String("offscreen")) status_->setText(tr("Export failed: %1").arg(error));
        else QMessageBox::warning(this, tr("Export failed"), error);
        return;
    }
    status_->setText(tr("Wrote %n file(s) to %1", "", static_cast<int>(written.size())).arg(dir));
}

} // namespace ql::ui
