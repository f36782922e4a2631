// Tensor, analysis-options and GPU-fit panels.
#include "panels/setup_panels.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/memory.h"
#include "core/report_json.h"

namespace ql::ui {
namespace {

QSpinBox* spin(QWidget* parent, int lo, int hi, int step = 1) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setKeyboardTracking(false);
    s->setAccelerated(true);
    return s;
}

QDoubleSpinBox* dspin(QWidget* parent, double lo, double hi, double step, int decimals) {
    auto* s = new QDoubleSpinBox(parent);
    s->setRange(lo, hi);
    s->setSingleStep(step);
    s->setDecimals(decimals);
    s->setKeyboardTracking(false);
    s->setAccelerated(true);
    return s;
}

} // namespace

TensorPanel::TensorPanel(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    auto* src = new QHBoxLayout;
    generated_ = new QRadioButton(tr("Generate"), this);
    fromFile_ = new QRadioButton(tr("File"), this);
    auto* group = new QButtonGroup(this);
    group->addButton(generated_);
    group->addButton(fromFile_);
    src->addWidget(generated_);
    src->addWidget(fromFile_);
    loadButton_ = new QPushButton(tr("Load file..."), this);
    loadButton_->setToolTip(tr("Open a weights file (.npy, .npz, .safetensors, .gguf, .onnx, TensorFlow.js) and analyse its tensors"));
    src->addWidget(loadButton_);
    v->addLayout(src);
    fileLabel_ = new QLabel(this);
    fileLabel_->setWordWrap(true);
    v->addWidget(fileLabel_);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    dist_ = new QComboBox(this);
    dist_->addItem(tr("Normal"), int(Distribution::Normal));
    dist_->addItem(tr("Uniform"), int(Distribution::Uniform));
    dist_->addItem(tr("Laplace"), int(Distribution::Laplace));
    dist_->addItem(tr("Student-t (heavy tails)"), int(Distribution::StudentT));
    form->addRow(tr("Distribution"), dist_);
    auto* shape = new QHBoxLayout;
    rows_ = spin(this, 1, 16384);
    cols_ = spin(this, 1, 16384);
    rows_->setToolTip(tr("Rows: output channels of a Linear layer"));
    cols_->setToolTip(tr("Columns: input channels"));
    shape->addWidget(rows_);
    shape->addWidget(new QLabel(QStringLiteral("x"), this));
    shape->addWidget(cols_);
    form->addRow(tr("Shape"), shape);
    std_ = dspin(this, 0.0, 1e6, 0.1, 4);
    form->addRow(tr("Std"), std_);
    dof_ = dspin(this, 2.05, 1000, 0.5, 2);
    dof_->setToolTip(tr("Degrees of freedom of the Student-t distribution (smaller = heavier tails)"));
    form->addRow(tr("Student-t dof"), dof_);
    seed_ = spin(this, 0, 2147483647);
    form->addRow(tr("Seed"), seed_);
    outliers_ = dspin(this, 0.0, 100.0, 0.1, 3);
    outliers_->setSuffix(QStringLiteral(" %"));
    outliers_->setToolTip(tr("Share of values replaced by outliers"));
    form->addRow(tr("Outliers"), outliers_);
    outlierMag_ = dspin(this, 0.0, 1000.0, 1.0, 1);
    outlierMag_->setSuffix(tr(" x std"));
    form->addRow(tr("Outlier size"), outlierMag_);
    llmRows_ = spin(this, 0, 16384);
    llmRows_->setToolTip(tr("LLM-like: this many output channels get a 10-100x larger scale"));
    form->addRow(tr("LLM-like rows"), llmRows_);
    v->addLayout(form);
    info_ = new QLabel(this);
    info_->setWordWrap(true);
    v->addWidget(info_);

    connect(dist_, &QComboBox::currentIndexChanged, this, [this] {
        dof_->setEnabled(dist_->currentData().toInt() == int(Distribution::StudentT));
        emit changed();
    });
    for (QSpinBox* s : {rows_, cols_, seed_, llmRows_}) connect(s, &QSpinBox::valueChanged, this, &TensorPanel::changed);
    for (QDoubleSpinBox* s : {std_, dof_, outliers_, outlierMag_}) connect(s, &QDoubleSpinBox::valueChanged, this, &TensorPanel::changed);
    connect(generated_, &QRadioButton::toggled, this, [this](bool) { emit changed(); });
    connect(loadButton_, &QPushButton::clicked, this, &TensorPanel::loadFileRequested);
}

void TensorPanel::show(const TensorSource& t) {
    QList<QWidget*> all{generated_, fromFile_, dist_, rows_, cols_, std_, dof_, seed_, outliers_, outlierMag_, llmRows_};
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QWidget* w : all) blockers.push_back(std::make_unique<QSignalBlocker>(w));
    file_ = t;
    generated_->setChecked(!t.fromFile);
    fromFile_->setChecked(t.fromFile);
    fromFile_->setEnabled(!t.file.empty());
    fileLabel_->setText(t.file.empty() ? tr("No file loaded") : tr("File: %1").arg(QFileInfo(QString::fromStdString(t.file)).fileName()) +
                                                                   (t.tensor.empty() ? QString() : tr("\nTensor: %1").arg(QString::fromStdString(t.tensor))));
    // Selectable (to copy a file or tensor name) only when it names one: a selectable word-wrapped label
    // lays its text out again, and repaints, whenever the panel's layout asks its height, which a
    // changed setting does on every analysis
    fileLabel_->setTextInteractionFlags(t.file.empty() ? Qt::NoTextInteraction : Qt::TextSelectableByMouse);
    const auto& g = t.generator;
    dist_->setCurrentIndex(dist_->findData(int(g.distribution)));
    dof_->setEnabled(g.distribution == Distribution::StudentT);
    rows_->setValue(static_cast<int>(g.shape.size() >= 2 ? g.shape[0] : 1));
    cols_->setValue(static_cast<int>(g.shape.empty() ? 1 : g.shape.back()));
    std_->setValue(g.std);
    dof_->setValue(g.dof);
    seed_->setValue(static_cast<int>(g.seed));
    outliers_->setValue(g.outlier_fraction * 100.0);
    outlierMag_->setValue(g.outlier_magnitude);
    llmRows_->setValue(g.llm_channels);
    for (QWidget* w : {static_cast<QWidget*>(dist_), static_cast<QWidget*>(rows_), static_cast<QWidget*>(cols_), static_cast<QWidget*>(std_),
                       static_cast<QWidget*>(dof_), static_cast<QWidget*>(seed_), static_cast<QWidget*>(outliers_),
                       static_cast<QWidget*>(outlierMag_), static_cast<QWidget*>(llmRows_)})
        w->setEnabled(!t.fromFile && (w != dof_ || g.distribution == Distribution::StudentT));
}

void TensorPanel::read(TensorSource& t) const {
    t.fromFile = fromFile_->isChecked() && !file_.file.empty();
    t.file = file_.file;
    t.tensor = file_.tensor;
    auto& g = t.generator;
    g.distribution = static_cast<Distribution>(dist_->currentData().toInt());
    g.shape = {rows_->value(), cols_->value()};
    g.std = std_->value();
    g.dof = dof_->value();
    g.seed = static_cast<std::uint64_t>(seed_->value());
    g.outlier_fraction = outliers_->value() / 100.0;
    g.outlier_magnitude = outlierMag_->value();
    g.llm_channels = std::min(llmRows_->value(), rows_->value());
}

void TensorPanel::setTensorInfo(const QString& text) { info_->setText(text); }
QString TensorPanel::tensorInfo() const { return info_->text(); }

AnalysisPanel::AnalysisPanel(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    auto* layerBox = new QGroupBox(tr("Error through layers"), this);
    auto* lf = new QFormLayout(layerBox);
    layerOn_ = new QCheckBox(tr("Simulate a stack of layers"), layerBox);
    lf->addRow(layerOn_);
    layers_ = spin(layerBox, 1, 64);
    lf->addRow(tr("Layers"), layers_);
    width_ = spin(layerBox, 8, 8192, 100);
    lf->addRow(tr("Width (d x d)"), width_);
    batch_ = spin(layerBox, 1, 4096);
    lf->addRow(tr("Batch"), batch_);
    layerStd_ = dspin(layerBox, 0.0001, 100, 0.01, 4);
    lf->addRow(tr("Weight std"), layerStd_);
    activation_ = new QComboBox(layerBox);
    activation_->addItem(tr("None"), int(Activation::None));
    activation_->addItem(QStringLiteral("ReLU"), int(Activation::ReLU));
    activation_->addItem(QStringLiteral("GELU"), int(Activation::GELU));
    lf->addRow(tr("Activation"), activation_);
    v->addWidget(layerBox);

    auto* viewBox = new QGroupBox(tr("Charts"), this);
    auto* vf = new QFormLayout(viewBox);
    showLevels_ = new QCheckBox(tr("Draw the levels of"), viewBox);
    levelsConfig_ = new QComboBox(viewBox);
    vf->addRow(showLevels_, levelsConfig_);
    bins_ = spin(viewBox, 10, 2000, 10);
    vf->addRow(tr("Histogram bins"), bins_);
    sampleRow_ = spin(viewBox, 0, 1 << 30);
    vf->addRow(tr("Sample row"), sampleRow_);
    sampleCount_ = spin(viewBox, 1, 10000, 10);
    vf->addRow(tr("Sample weights"), sampleCount_);
    forward_ = new QCheckBox(tr("Layer output error (X W^T)"), viewBox);
    forward_->setToolTip(tr("Multiply a random batch by the original and the quantized weights and compare (seed notebook 002)"));
    vf->addRow(forward_);
    logChannel_ = new QCheckBox(tr("Per-channel error on a log scale"), viewBox);
    vf->addRow(logChannel_);
    logHistograms_ = new QCheckBox(tr("Distributions on a log scale"), viewBox);
    logHistograms_->setObjectName(QStringLiteral("logHistograms"));
    logHistograms_->setToolTip(tr("Draw the weight and error distributions on a logarithmic density axis: rare values (outliers, clipped "
                                  "weights, the tails of the error) show next to the peak"));
    vf->addRow(logHistograms_);
    compareAll_ = new QCheckBox(tr("Compare all formats (Pareto and SNR charts)"), viewBox);
    compareAll_->setToolTip(tr("Also quantize this tensor in every format at its common settings: INT8/INT4, NF4, FP8, FP4, MXFP4, NVFP4, the GGUF blocks and HQQ"));
    compareAll_->setObjectName(QStringLiteral("compareAll"));
    vf->addRow(compareAll_);
    paretoMse_ = new QCheckBox(tr("Pareto chart: MSE (log) instead of SQNR"), viewBox);
    vf->addRow(paretoMse_);
    v->addWidget(viewBox);

    for (QSpinBox* s : {layers_, width_, batch_, bins_, sampleRow_, sampleCount_}) connect(s, &QSpinBox::valueChanged, this, &AnalysisPanel::changed);
    connect(layerStd_, &QDoubleSpinBox::valueChanged, this, &AnalysisPanel::changed);
    for (QCheckBox* c : {layerOn_, forward_, showLevels_, logChannel_, logHistograms_, compareAll_, paretoMse_}) connect(c, &QCheckBox::toggled, this, &AnalysisPanel::changed);
    for (QComboBox* c : {activation_, levelsConfig_}) connect(c, &QComboBox::currentIndexChanged, this, &AnalysisPanel::changed);
}

void AnalysisPanel::show(const AnalysisOptions& a, const ViewSettings& vs, int configCount) {
    QList<QObject*> all{layerOn_, layers_, width_, batch_, activation_, layerStd_, bins_, sampleRow_, sampleCount_, forward_, showLevels_, levelsConfig_, logChannel_, logHistograms_, compareAll_, paretoMse_};
    std::vector<std::unique_ptr<QSignalBlocker>> blockers;
    for (QObject* w : all) blockers.push_back(std::make_unique<QSignalBlocker>(w));
    layerOn_->setChecked(a.layer_sim.enabled);
    layers_->setValue(a.layer_sim.layers);
    width_->setValue(a.layer_sim.width);
    batch_->setValue(a.layer_sim.batch);
    layerStd_->setValue(a.layer_sim.weight_std);
    activation_->setCurrentIndex(activation_->findData(int(a.layer_sim.activation)));
    for (QWidget* w : {static_cast<QWidget*>(layers_), static_cast<QWidget*>(width_), static_cast<QWidget*>(batch_),
                       static_cast<QWidget*>(layerStd_), static_cast<QWidget*>(activation_)})
        w->setEnabled(a.layer_sim.enabled);
    bins_->setValue(a.histogram_bins);
    sampleRow_->setValue(static_cast<int>(a.sample_row));
    sampleCount_->setValue(a.sample_count);
    forward_->setChecked(a.forward_diff);
    levelsConfig_->clear();
    for (int i = 0; i < configCount; ++i) levelsConfig_->addItem(tr("configuration %1").arg(i + 1), i);
    levelsConfig_->setCurrentIndex(std::clamp(vs.levelsConfig, 0, std::max(configCount - 1, 0)));
    showLevels_->setChecked(vs.showLevels);
    logChannel_->setChecked(vs.logChannelError);
    logHistograms_->setChecked(vs.logHistograms);
    compareAll_->setChecked(vs.compareAll);
    paretoMse_->setChecked(vs.paretoMse);
}

void AnalysisPanel::read(AnalysisOptions& a, ViewSettings& vs) const {
    a.layer_sim.enabled = layerOn_->isChecked();
    a.layer_sim.layers = layers_->value();
    a.layer_sim.width = width_->value();
    a.layer_sim.batch = batch_->value();
    a.layer_sim.weight_std = layerStd_->value();
    a.layer_sim.activation = static_cast<Activation>(activation_->currentData().toInt());
    a.histogram_bins = bins_->value();
    a.sample_row = sampleRow_->value();
    a.sample_count = sampleCount_->value();
    a.forward_diff = forward_->isChecked();
    vs.showLevels = showLevels_->isChecked();
    vs.levelsConfig = std::max(levelsConfig_->currentIndex(), 0);
    vs.logChannelError = logChannel_->isChecked();
    vs.logHistograms = logHistograms_->isChecked();
    vs.compareAll = compareAll_->isChecked();
    vs.paretoMse = paretoMse_->isChecked();
}

GpuFitPanel::GpuFitPanel(QWidget* parent) : QWidget(parent) {
    auto* f = new QFormLayout(this);
    f->setContentsMargins(0, 0, 0, 0);
    model_ = new QComboBox(this);
    for (const auto& m : model_presets())
        model_->addItem(QStringLiteral("%1 (%2 B)").arg(QString::fromStdString(m.name)).arg(m.params / 1e9, 0, 'g', 4), QString::fromStdString(m.name));
    model_->addItem(tr("Custom size"), QString());
    f->addRow(tr("Model"), model_);
    params_ = dspin(this, 0.01, 100000, 1, 2);
    params_->setSuffix(tr(" billion parameters"));
    f->addRow(tr("Custom size"), params_);
    gpus_ = new QListWidget(this);
    for (const auto& g : gpu_catalog()) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 (%2 GiB)").arg(QString::fromStdString(g.name)).arg(g.memory_gib(), 0, 'g', 4), gpus_);
        item->setData(Qt::UserRole, QString::fromStdString(g.name));
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
        item->setToolTip(QString::fromStdString(g.note));
    }
    gpus_->setMinimumHeight(120);
    f->addRow(tr("GPUs"), gpus_);
    headroom_ = dspin(this, 0, 90, 5, 0);
    headroom_->setSuffix(QStringLiteral(" %"));
    headroom_->setToolTip(tr("Memory kept free for activations, CUDA context and fragmentation"));
    f->addRow(tr("Headroom"), headroom_);
    kvContext_ = spin(this, 0, 1 << 20, 1024);
    kvContext_->setSuffix(tr(" tokens"));
    kvContext_->setToolTip(tr("Add the KV cache of this many tokens (needs a model preset)"));
    f->addRow(tr("KV cache"), kvContext_);
    connect(model_, &QComboBox::currentIndexChanged, this, [this] {
        params_->setEnabled(model_->currentData().toString().isEmpty());
        emit changed();
    });
    connect(params_, &QDoubleSpinBox::valueChanged, this, &GpuFitPanel::changed);
    connect(headroom_, &QDoubleSpinBox::valueChanged, this, &GpuFitPanel::changed);
    connect(kvContext_, &QSpinBox::valueChanged, this, &GpuFitPanel::changed);
    connect(gpus_, &QListWidget::itemChanged, this, &GpuFitPanel::changed);
}

void GpuFitPanel::show(const FitSettings& fs) {
    QSignalBlocker b1(model_), b2(params_), b3(gpus_), b4(headroom_), b5(kvContext_);
    int idx = model_->findData(QString::fromStdString(fs.model));
    if (idx < 0) idx = model_->count() - 1;
    model_->setCurrentIndex(idx);
    params_->setValue(fs.params / 1e9);
    params_->setEnabled(model_->currentData().toString().isEmpty());
    for (int i = 0; i < gpus_->count(); ++i) {
        auto* item = gpus_->item(i);
        const std::string name = item->data(Qt::UserRole).toString().toStdString();
        const bool on = std::find(fs.gpus.begin(), fs.gpus.end(), name) != fs.gpus.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
    headroom_->setValue(fs.headroom * 100);
    kvContext_->setValue(static_cast<int>(fs.kvContext));
}

void GpuFitPanel::read(FitSettings& fs) const {
    fs.model = model_->currentData().toString().toStdString();
    fs.params = params_->value() * 1e9;
    fs.gpus.clear();
    for (int i = 0; i < gpus_->count(); ++i)
        if (gpus_->item(i)->checkState() == Qt::Checked) fs.gpus.push_back(gpus_->item(i)->data(Qt::UserRole).toString().toStdString());
    fs.headroom = headroom_->value() / 100.0;
    fs.kvContext = kvContext_->value();
}

} // namespace ql::ui
