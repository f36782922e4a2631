// Export of every chart, the metrics CSV and the session into a folder.
#include "export_all.h"

#include <QCoreApplication>
#include <QDir>
#include <QSaveFile>

#include "metrics_model.h"

namespace ql::ui {

bool writeTextFile(const QString& path, const QString& text, QString* error) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) {
        if (error) *error = QCoreApplication::translate("Export", "cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    f.write(text.toUtf8());
    if (!f.commit()) {
        if (error) *error = QCoreApplication::translate("Export", "cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

bool exportAll(const std::vector<ChartView*>& charts, const MetricsModel& metrics, const Session& session, const QString& dir,
               const ExportOptions& options, QStringList* written, QString* error) {
    QDir d(dir);
    if (!d.exists() && !d.mkpath(QStringLiteral("."))) {
        if (error) *error = QCoreApplication::translate("Export", "cannot create the folder %1").arg(dir);
        return false;
    }
    for (ChartView* c : charts) {
        for (ExportFormat f : options.formats) {
            const QString path = d.filePath(c->chartId() + QLatin1Char('.') + exportFormatSuffix(f));
            if (!c->exportTo(path, f, options.size, options.dpi, error)) return false;
            if (written) *written << path;
        }
    }
    const QString csv = d.filePath(QStringLiteral("metrics.csv"));
    if (!writeTextFile(csv, metrics.toCsv(), error)) return false;
    if (written) *written << csv;
    const QString json = d.filePath(QStringLiteral("session.json"));
    if (!saveSession(json, session, error)) return false;
    if (written) *written << json;
    return true;
}

} // namespace ql::ui
