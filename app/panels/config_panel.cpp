// Configuration list and editor.
#include "panels/config_panel.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include "core/quantizer.h"
#include "theme.h"

namespace ql::ui {
namespace {

QIcon swatch(const QColor& c) {
    QPixmap p(14, 14);
    p.fill(Qt::transparent);
    QPainter painter(&p);
    painter.setBrush(c);
    painter.setPen(c.darker(140));
    painter.drawRoundedRect(QRectF(0.5, 0.5, 13, 13), 3, 3);
    return QIcon(p);
}

// Formats this build can quantize (make_quantizer accepts them).
std::vector<Format> available_formats() {
    std::vector<Format> out;
    for (Format f : all_formats()) {
        QuantConfig c;
        c.format = f;
        try {
            (void)make_quantizer(c);
            out.push_back(f);
        } catch (const std::exception&) {
        }
    }
    return out;
}

} // namespace

QString ConfigPanel::formatDescription(Format f) {
    switch (f) {
    case Format::Int:
        return tr("Uniform integer levels, 2-8 bits: a scale (and, asymmetric, a zero point) per tensor, channel or group, "
                  "as PyTorch's fake quantization computes them.");
    case Format::NF4:
        return tr("NormalFloat4 (bitsandbytes, QLoRA): 16 levels at quantiles of a normal distribution, scaled by each "
                  "block's absmax (fp32, blocks of 64): 4.5 bits per weight.");
    case Format::NF4_DQ:
        return tr("NF4 with double quantization (QLoRA): the blocks' absmax values are themselves quantized to 8 bits in "
                  "blocks of 256: about 4.127 bits per weight.");
    case Format::FP8_E4M3:
        return tr("8-bit float (OCP E4M3): 4 exponent and 3 mantissa bits, largest value 448, no infinities; scaled so "
                  "that the largest |x| maps to 448. Levels are dense near 0 and coarse far from it.");
    case Format::FP8_E5M2:
        return tr("8-bit float (OCP E5M2): 5 exponent and 2 mantissa bits, largest value 57344: more range and less "
                  "precision than E4M3.");
    case Format::FP4_E2M1:
        return tr("4-bit float E2M1: the magnitudes 0, 0.5, 1, 1.5, 2, 3, 4 and 6 with a sign, and an fp32 scale per "
                  "tensor or block.");
    case Format::MXFP4:
        return tr("OCP Microscaling MXFP4: E2M1 values sharing a power-of-two (E8M0) scale per block of 32: 4.25 bits "
                  "per weight.");
    case Format::NVFP4:
        return tr("NVIDIA NVFP4: E2M1 values with an FP8 (E4M3) scale per block of 16 and an fp32 scale per tensor: "
                  "4.5 bits per weight.");
    case Format::Q8_0:
        return tr("GGUF Q8_0 (llama.cpp): 8-bit integers with an fp16 scale per block of 32: 8.5 bits per weight.");
    case Format::Q4_0:
        return tr("GGUF Q4_0 (llama.cpp): 4-bit integers -8..7 times an fp16 scale per block of 32, the scale chosen so "
                  "that the block's largest-magnitude value lands on -8: 4.5 bits per weight.");
    case Format::Q4_1:
        return tr("GGUF Q4_1 (llama.cpp): 4-bit integers with an fp16 scale and an fp16 minimum per block of 32: "
                  "5 bits per weight.");
    case Format::Q5_0:
        return tr("GGUF Q5_0 (llama.cpp): 5-bit integers with an fp16 scale per block of 32: 5.5 bits per weight.");
    case Format::Q2_K:
        return tr("GGUF Q2_K (llama.cpp k-quant): 2-bit integers in 16 sub-blocks of 16, each with a 4-bit scale and "
                  "minimum found by a search for the least absolute error, under an fp16 scale and minimum per super-block "
                  "of 256: 2.625 bits per weight.");
    case Format::Q3_K:
        return tr("GGUF Q3_K (llama.cpp k-quant): 3-bit integers -4..3 in 16 sub-blocks of 16, each with a signed 6-bit "
                  "scale found by a search, under an fp16 scale per super-block of 256: 3.4375 bits per weight.");
    case Format::Q4_K:
        return tr("GGUF Q4_K (llama.cpp k-quant): super-blocks of 256 values in 8 sub-blocks of 32, each with a 6-bit "
                  "scale and minimum found by a search, under an fp16 scale and minimum: 4.5 bits per weight.");
    case Format::Q5_K:
        return tr("GGUF Q5_K (llama.cpp k-quant): Q4_K with 5-bit codes: super-blocks of 256 values in 8 sub-blocks of "
                  "32, each with a 6-bit scale and minimum found by a search, under an fp16 scale and minimum: 5.5 bits "
                  "per weight.");
    case Format::Q6_K:
        return tr("GGUF Q6_K (llama.cpp k-quant): 6-bit integers, 16 sub-blocks of 16 with 8-bit scales under an fp16 "
                  "scale per super-block of 256: 6.5625 bits per weight.");
    case Format::IQ4_NL:
        return tr("GGUF IQ4_NL (llama.cpp): 4-bit codes into a fixed non-linear table of 16 levels, with an fp16 scale "
                  "per block of 32 found by a search: 4.5 bits per weight.");
    case Format::IQ4_XS:
        return tr("GGUF IQ4_XS (llama.cpp): IQ4_NL's table of 16 levels, the scale of each block of 32 found by the same "
                  "search and stored in 6 bits under an fp16 scale per super-block of 256: 4.25 bits per weight.");
    case Format::HQQ:
        return tr("Half-quadratic quantization (HQQ): integer codes with an fp16 scale and zero point per group of 64, "
                  "the zero point optimised by a solver without calibration data: 4.5 bits per weight at 4 bits.");
    }
    return {};
}

ConfigPanel::ConfigPanel(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    list_ = new QListWidget(this);
    list_->setMinimumHeight(90);
    list_->setMaximumHeight(160);
    v->addWidget(list_);
    auto* buttons = new QHBoxLayout;
    add_ = new QPushButton(tr("Add"), this);
    dup_ = new QPushButton(tr("Duplicate"), this);
    remove_ = new QPushButton(tr("Remove"), this);
    color_ = new QPushButton(tr("Colour..."), this);
    add_->setToolTip(tr("Add a configuration (Ctrl+N)"));
    dup_->setToolTip(tr("Duplicate the selected configuration (Ctrl+Shift+D)"));
    remove_->setToolTip(tr("Remove the selected configuration"));
    for (QPushButton* b : {add_, dup_, remove_, color_}) buttons->addWidget(b);
    v->addLayout(buttons);

    auto* f = new QFormLayout;
    f->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    label_ = new QLineEdit(this);
    f->addRow(tr("Name"), label_);
    format_ = new QComboBox(this);
    format_->setObjectName(QStringLiteral("formatCombo"));
    for (Format fm : available_formats()) {
        QString name = QString::fromLatin1(format_name(fm).data()).toUpper();
        if (fm == Format::Int) name = tr("INT (uniform integer)");
        if (fm == Format::HQQ) name = tr("HQQ (INT, zero point optimised)");
        format_->addItem(name, int(fm));
        format_->setItemData(format_->count() - 1, formatDescription(fm), Qt::ToolTipRole);
    }
    f->addRow(tr("Format"), format_);
    auto* bitsRow = new QHBoxLayout;
    bits_ = new QSlider(Qt::Horizontal, this);
    bits_->setRange(2, 8);
    bits_->setPageStep(1);
    bits_->setTickPosition(QSlider::TicksBelow);
    bits_->setTickInterval(1);
    bitsLabel_ = new QLabel(this);
    bitsLabel_->setMinimumWidth(48);
    bitsRow->addWidget(bits_);
    bitsRow->addWidget(bitsLabel_);
    f->addRow(tr("Bits"), bitsRow);
    scheme_ = new QComboBox(this);
    scheme_->addItem(tr("Asymmetric (zero point)"), int(Scheme::Asymmetric));
    scheme_->addItem(tr("Symmetric"), int(Scheme::Symmetric));
    f->addRow(tr("Scheme"), scheme_);
    granularity_ = new QComboBox(this);
    granularity_->addItem(tr("Per tensor"), int(Granularity::PerTensor));
    granularity_->addItem(tr("Per channel"), int(Granularity::PerChannel));
    granularity_->addItem(tr("Per group"), int(Granularity::PerGroup));
    f->addRow(tr("Granularity"), granularity_);
    axis_ = new QSpinBox(this);
    axis_->setRange(0, 3);
    axis_->setToolTip(tr("Channel axis: 0 = output channels (rows)"));
    f->addRow(tr("Channel axis"), axis_);
    group_ = new QSpinBox(this);
    group_->setRange(1, 1 << 20);
    group_->setValue(128);
    group_->setKeyboardTracking(false);
    f->addRow(tr("Group size"), group_);
    block_ = new QSpinBox(this);
    block_->setRange(0, 4096);
    block_->setSpecialValueText(tr("format default"));
    block_->setKeyboardTracking(false);
    blockLabel_ = new QLabel(tr("Block size"), this);
    blockLabel_->setObjectName(QStringLiteral("blockSizeLabel"));
    f->addRow(blockLabel_, block_);
    scaleType_ = new QComboBox(this);
    scaleType_->addItem(tr("Auto (fp16 per group, else fp32)"), int(ScaleType::Auto));
    scaleType_->addItem(QStringLiteral("fp32"), int(ScaleType::F32));
    scaleType_->addItem(QStringLiteral("fp16"), int(ScaleType::F16));
    f->addRow(tr("Scale stored as"), scaleType_);
    range_ = new QComboBox(this);
    range_->addItem(tr("Min-max"), int(RangeMethod::MinMax));
    range_->addItem(tr("Percentile"), int(RangeMethod::Percentile));
    range_->addItem(tr("MSE-optimal clipping"), int(RangeMethod::MseOptimal));
    range_->addItem(tr("KL divergence (entropy)"), int(RangeMethod::KlDivergence));
    f->addRow(tr("Range"), range_);
    percentile_ = new QDoubleSpinBox(this);
    percentile_->setRange(50.0, 100.0);
    percentile_->setDecimals(3);
    percentile_->setSingleStep(0.1);
    percentile_->setSuffix(QStringLiteral(" %"));
    percentile_->setKeyboardTracking(false);
    f->addRow(tr("Percentile"), percentile_);
    v->addLayout(f);

    connect(list_, &QListWidget::currentRowChanged, this, [this] { showEditor(); });
    connect(add_, &QPushButton::clicked, this, &ConfigPanel::addConfig);
    connect(dup_, &QPushButton::clicked, this, &ConfigPanel::duplicateConfig);
    connect(remove_, &QPushButton::clicked, this, &ConfigPanel::removeConfig);
    connect(color_, &QPushButton::clicked, this, &ConfigPanel::chooseColor);
    connect(label_, &QLineEdit::editingFinished, this, &ConfigPanel::readEditor);
    connect(bits_, &QSlider::valueChanged, this, [this](int b) {
        bitsLabel_->setText(tr("%n bit(s)", "", b));
        readEditor();
    });
    for (QComboBox* c : {format_, scheme_, granularity_, scaleType_, range_}) connect(c, &QComboBox::currentIndexChanged, this, &ConfigPanel::readEditor);
    const auto describeChosen = [this] { format_->setToolTip(format_->currentData(Qt::ToolTipRole).toString()); };
    connect(format_, &QComboBox::currentIndexChanged, this, describeChosen);
    describeChosen();
    for (QSpinBox* s : {axis_, group_, block_}) connect(s, &QSpinBox::valueChanged, this, &ConfigPanel::readEditor);
    connect(percentile_, &QDoubleSpinBox::valueChanged, this, &ConfigPanel::readEditor);
}

int ConfigPanel::current() const { return list_->currentRow(); }

void ConfigPanel::setCurrent(int index) { list_->setCurrentRow(index); }

void ConfigPanel::setConfigs(const std::vector<QuantConfig>& configs) {
    configs_ = configs;
    const int keep = std::clamp(list_->currentRow(), 0, std::max<int>(static_cast<int>(configs_.size()) - 1, 0));
    refreshList();
    list_->setCurrentRow(configs_.empty() ? -1 : keep);
    showEditor();
}

void ConfigPanel::refreshList() {
    updating_ = true;
    const int row = list_->currentRow();
    // Items are updated in place (a slider drag changes one name): clearing and re-adding them re-laid
    // out and repainted the list on every step.
    while (list_->count() > static_cast<int>(configs_.size())) delete list_->takeItem(list_->count() - 1);
    for (std::size_t i = 0; i < configs_.size(); ++i) {
        const int r = static_cast<int>(i);
        QListWidgetItem* item = r < list_->count() ? list_->item(r) : new QListWidgetItem(list_);
        const QColor colour = configColor(configs_[i].color, r);
        if (item->data(Qt::UserRole).value<QColor>() != colour || item->icon().isNull()) {
            item->setIcon(swatch(colour));
            item->setData(Qt::UserRole, colour);
        }
        const QString text = QStringLiteral("%1. %2").arg(i + 1).arg(QString::fromStdString(configs_[i].display_name()));
        if (item->text() != text) item->setText(text);
        const QString tip = QString::fromStdString(configs_[i].describe());
        if (item->toolTip() != tip) item->setToolTip(tip);
    }
    if (list_->currentRow() != std::min(row, list_->count() - 1)) list_->setCurrentRow(std::min(row, list_->count() - 1));
    add_->setEnabled(static_cast<int>(configs_.size()) < kMaxConfigs);
    dup_->setEnabled(!configs_.empty() && static_cast<int>(configs_.size()) < kMaxConfigs);
    remove_->setEnabled(!configs_.empty());
    color_->setEnabled(!configs_.empty());
    updating_ = false;
}

void ConfigPanel::showEditor() {
    const int i = list_->currentRow();
    const bool have = i >= 0 && i < static_cast<int>(configs_.size());
    for (QWidget* w : {static_cast<QWidget*>(label_), static_cast<QWidget*>(format_), static_cast<QWidget*>(bits_),
                       static_cast<QWidget*>(scheme_), static_cast<QWidget*>(granularity_), static_cast<QWidget*>(axis_),
                       static_cast<QWidget*>(group_), static_cast<QWidget*>(block_), static_cast<QWidget*>(scaleType_),
                       static_cast<QWidget*>(range_), static_cast<QWidget*>(percentile_)})
        w->setEnabled(have);
    if (!have) return;
    updating_ = true;
    const QuantConfig& c = configs_[static_cast<std::size_t>(i)];
    label_->setText(QString::fromStdString(c.label));
    label_->setPlaceholderText(QString::fromStdString(c.describe()));
    format_->setCurrentIndex(std::max(format_->findData(int(c.format)), 0));
    bits_->setValue(c.bits);
    bitsLabel_->setText(tr("%n bit(s)", "", c.bits));
    scheme_->setCurrentIndex(scheme_->findData(int(c.scheme)));
    granularity_->setCurrentIndex(granularity_->findData(int(c.granularity)));
    axis_->setValue(c.axis);
    group_->setValue(c.group_size);
    block_->setValue(c.block_size);
    scaleType_->setCurrentIndex(scaleType_->findData(int(c.scale_type)));
    range_->setCurrentIndex(range_->findData(int(c.range)));
    percentile_->setValue(c.percentile);
    const bool isInt = c.format == Format::Int;
    for (QWidget* w : {static_cast<QWidget*>(bits_), static_cast<QWidget*>(scheme_), static_cast<QWidget*>(granularity_),
                       static_cast<QWidget*>(scaleType_), static_cast<QWidget*>(range_)})
        w->setEnabled(isInt);
    bits_->setEnabled(isInt || c.format == Format::HQQ);  // HQQ: INT codes of 2..8 bits per group
    axis_->setEnabled(isInt && c.granularity == Granularity::PerChannel);
    group_->setEnabled(isInt && c.granularity == Granularity::PerGroup);
    block_->setEnabled(!isInt);
    blockLabel_->setText(c.format == Format::HQQ ? tr("Group size") : tr("Block size"));
    percentile_->setEnabled(isInt && c.range == RangeMethod::Percentile);
    updating_ = false;
}

void ConfigPanel::readEditor() {
    if (updating_) return;
    const int i = list_->currentRow();
    if (i < 0 || i >= static_cast<int>(configs_.size())) return;
    QuantConfig& c = configs_[static_cast<std::size_t>(i)];
    const QuantConfig before = c;
    c.label = label_->text().trimmed().toStdString();
    c.format = static_cast<Format>(format_->currentData().toInt());
    c.bits = bits_->value();
    c.scheme = static_cast<Scheme>(scheme_->currentData().toInt());
    c.granularity = static_cast<Granularity>(granularity_->currentData().toInt());
    c.axis = axis_->value();
    c.group_size = group_->value();
    c.block_size = block_->value();
    c.scale_type = static_cast<ScaleType>(scaleType_->currentData().toInt());
    c.range = static_cast<RangeMethod>(range_->currentData().toInt());
    c.percentile = percentile_->value();
    if (c == before) return;
    refreshList();
    showEditor();
    emit changed();
}

void ConfigPanel::addConfig() {
    if (static_cast<int>(configs_.size()) >= kMaxConfigs) return;
    QuantConfig c;
    c.bits = configs_.empty() ? 8 : std::max(2, configs_.back().bits - 2);
    configs_.push_back(c);
    refreshList();
    list_->setCurrentRow(static_cast<int>(configs_.size()) - 1);
    emit changed();
}

void ConfigPanel::duplicateConfig() {
    const int i = list_->currentRow();
    if (i < 0 || static_cast<int>(configs_.size()) >= kMaxConfigs) return;
    QuantConfig c = configs_[static_cast<std::size_t>(i)];
    c.color = 0;
    if (!c.label.empty()) c.label += " (2)";
    configs_.insert(configs_.begin() + i + 1, c);
    refreshList();
    list_->setCurrentRow(i + 1);
    emit changed();
}

void ConfigPanel::removeConfig() {
    const int i = list_->currentRow();
    if (i < 0 || i >= static_cast<int>(configs_.size())) return;
    configs_.erase(configs_.begin() + i);
    refreshList();
    list_->setCurrentRow(std::min(i, static_cast<int>(configs_.size()) - 1));
    showEditor();
    emit changed();
}

void ConfigPanel::chooseColor() {
    const int i = list_->currentRow();
    if (i < 0) return;
    QuantConfig& c = configs_[static_cast<std::size_t>(i)];
    const QColor chosen = QColorDialog::getColor(configColor(c.color, i), this, tr("Colour of %1").arg(QString::fromStdString(c.display_name())));
    if (!chosen.isValid()) return;
    c.color = static_cast<std::uint32_t>(chosen.rgb() & 0xFFFFFFu);
    if (c.color == 0) c.color = 0x000001;  // 0 means "palette colour"
    refreshList();
    emit changed();
}

} // namespace ql::ui
