// "Export all": every chart (in the chosen formats), the metrics CSV and the session JSON into one
// folder, each file written atomically. Shared by the window and `quantlens export`.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>
#include <vector>

#include "charts/chart_view.h"
#include "session.h"

namespace ql::ui {

class MetricsModel;

struct ExportOptions {
    std::vector<ExportFormat> formats{ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf};
    QSize size{1200, 750};   // pixels (PDF/SVG: points / user units of the same size)
    int dpi = 150;           // recorded in PNG/JPG
};

// Returns false on the first failure (error says which file and why); written lists every file made.
bool exportAll(const std::vector<ChartView*>& charts, const MetricsModel& metrics, const Session& session, const QString& dir,
               const ExportOptions& options, QStringList* written, QString* error);

bool writeTextFile(const QString& path, const QString& text, QString* error);  // atomic (QSaveFile)

} // namespace ql::ui
