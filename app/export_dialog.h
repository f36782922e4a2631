// The image size, resolution and formats of an export, asked once and remembered (QSettings
// "export/..."): a chart's own export (PNG/JPG) and "Export all" in the window, the Speed view, the
// model survey and the calibration dock all start from the last choice, so a teacher who exports at
// 300 dpi types it once.
#pragma once

#include <QDialog>

#include "export_all.h"

class QCheckBox;
class QDialogButtonBox;
class QSpinBox;

namespace ql::ui {

// Limits of the dialog (and of the remembered values: anything outside falls back to the default).
constexpr int kExportMinWidth = 200, kExportMaxWidth = 20000;
constexpr int kExportMinHeight = 150, kExportMaxHeight = 20000;
constexpr int kExportMinDpi = 36, kExportMaxDpi = 1200;

// The last options the user accepted; ExportOptions{}'s fields where none are stored or a stored one
// is out of range or unknown (a hand-edited settings file).
ExportOptions rememberedExportOptions();
void rememberExportOptions(const ExportOptions& options);

class ExportOptionsDialog : public QDialog {
    Q_OBJECT
public:
    // chooseFormats: "Export all" (which of PNG, JPG, PDF, SVG; the size is pixels for PNG/JPG and points
    // for PDF/SVG); false: one raster image (size and resolution only).
    ExportOptionsDialog(const ExportOptions& start, bool chooseFormats, QWidget* parent = nullptr);
    ExportOptions options() const;

private:
    void updateOk();
    ExportOptions start_;
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QSpinBox* dpi_ = nullptr;
    std::vector<std::pair<ExportFormat, QCheckBox*>> formats_;
    QDialogButtonBox* buttons_ = nullptr;
};

// Asks with the remembered options as the start; on OK remembers and returns true.
bool askExportOptions(QWidget* parent, bool chooseFormats, ExportOptions& out);

} // namespace ql::ui
