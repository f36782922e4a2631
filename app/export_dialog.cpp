#include "export_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include <algorithm>

namespace ql::ui {

namespace {
constexpr ExportFormat kAllFormats[] = {ExportFormat::Png, ExportFormat::Jpg, ExportFormat::Pdf, ExportFormat::Svg};

int inRange(const QVariant& v, int lo, int hi, int fallback) {
    bool ok = false;
    const int x = v.toInt(&ok);
    return ok && x >= lo && x <= hi ? x : fallback;
}
} // namespace

ExportOptions rememberedExportOptions() {
    const ExportOptions def;
    ExportOptions o;
    QSettings s;
    o.size = QSize(inRange(s.value(QStringLiteral("export/width")), kExportMinWidth, kExportMaxWidth, def.size.width()),
                   inRange(s.value(QStringLiteral("export/height")), kExportMinHeight, kExportMaxHeight, def.size.height()));
    o.dpi = inRange(s.value(QStringLiteral("export/dpi")), kExportMinDpi, kExportMaxDpi, def.dpi);
    if (s.contains(QStringLiteral("export/formats"))) {
        std::vector<ExportFormat> formats;
        for (const QString& name : s.value(QStringLiteral("export/formats")).toStringList()) {
            ExportFormat f;
            if (!parseExportFormat(name, f)) {
                formats.clear();  // a name this version does not know: the whole list is suspect
                break;
            }
            if (std::find(formats.begin(), formats.end(), f) == formats.end()) formats.push_back(f);
        }
        if (!formats.empty()) o.formats = formats;
    }
    return o;
}

void rememberExportOptions(const ExportOptions& options) {
    QSettings s;
    s.setValue(QStringLiteral("export/width"), options.size.width());
    s.setValue(QStringLiteral("export/height"), options.size.height());
    s.setValue(QStringLiteral("export/dpi"), options.dpi);
    QStringList names;
    for (ExportFormat f : options.formats) names << exportFormatSuffix(f);
    s.setValue(QStringLiteral("export/formats"), names);
}

ExportOptionsDialog::ExportOptionsDialog(const ExportOptions& start, bool chooseFormats, QWidget* parent) : QDialog(parent), start_(start) {
    setWindowTitle(chooseFormats ? tr("Export every chart") : tr("Image size"));
    auto* form = new QFormLayout(this);
    auto spin = [this](const char* name, int lo, int hi, int value, const QString& suffix) {
        auto* b = new QSpinBox(this);
        b->setObjectName(QLatin1String(name));
        b->setRange(lo, hi);
        b->setValue(std::clamp(value, lo, hi));
        b->setSuffix(suffix);
        return b;
    };
    const QString unit = chooseFormats ? tr(" px / pt") : tr(" px");
    width_ = spin("exportWidth", kExportMinWidth, kExportMaxWidth, start.size.width(), unit);
    height_ = spin("exportHeight", kExportMinHeight, kExportMaxHeight, start.size.height(), unit);
    dpi_ = spin("exportDpi", kExportMinDpi, kExportMaxDpi, start.dpi, tr(" dpi"));
    if (chooseFormats) {
        auto* row = new QHBoxLayout;
        for (ExportFormat f : kAllFormats) {
            auto* box = new QCheckBox(exportFormatSuffix(f).toUpper(), this);
            box->setObjectName(QStringLiteral("exportFormat_") + exportFormatSuffix(f));
            box->setChecked(std::find(start.formats.begin(), start.formats.end(), f) != start.formats.end());
            connect(box, &QCheckBox::toggled, this, &ExportOptionsDialog::updateOk);
            row->addWidget(box);
            formats_.emplace_back(f, box);
        }
        row->addStretch(1);
        form->addRow(tr("Formats"), row);
    }
    form->addRow(tr("Width"), width_);
    form->addRow(tr("Height"), height_);
    form->addRow(tr("Resolution"), dpi_);
    if (chooseFormats) {
        auto* note = new QLabel(tr("PNG and JPG: pixels, with the resolution recorded for slides and print. "
                                   "PDF and SVG: vector pages of that many points."), this);
        note->setWordWrap(true);
        form->addRow(note);
    }
    buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons_);
    updateOk();
}

void ExportOptionsDialog::updateOk() {
    bool any = formats_.empty();
    for (const auto& [f, box] : formats_) any = any || box->isChecked();
    buttons_->button(QDialogButtonBox::Ok)->setEnabled(any);
}

ExportOptions ExportOptionsDialog::options() const {
    ExportOptions o;
    o.size = QSize(width_->value(), height_->value());
    o.dpi = dpi_->value();
    if (formats_.empty()) {
        o.formats = start_.formats;
    } else {
        o.formats.clear();
        for (const auto& [f, box] : formats_)
            if (box->isChecked()) o.formats.push_back(f);
    }
    return o;
}

bool askExportOptions(QWidget* parent, bool chooseFormats, ExportOptions& out) {
    ExportOptionsDialog d(rememberedExportOptions(), chooseFormats, parent);
    if (d.exec() != QDialog::Accepted) return false;
    out = d.options();
    rememberExportOptions(out);
    return true;
}

} // namespace ql::ui
