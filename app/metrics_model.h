// The metrics table: one row per configuration (MSE, MAE, max error, SNR, SQNR, cosine, bits per
// weight, size ...), straight from the analysis report. Copyable and exportable as CSV.
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <memory>
#include <vector>

#include "core/analysis.h"

namespace ql::ui {

class MetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Mse, Mae, MaxErr, Snr, Sqnr, Cosine, Bits, Size, OutputErr, Levels, Clipped, ColumnCount };
    explicit MetricsModel(QObject* parent = nullptr);

    // A report with as many configurations as the one shown updates the cells in place (the view keeps
    // its selection and scroll position, and repaints only the cells that changed); any other resets
    // the model.
    void setReport(std::shared_ptr<const AnalysisReport> report, std::vector<QColor> colors);
    // The same report with its forward differences in: only the output-error column changes.
    void completeReport(std::shared_ptr<const AnalysisReport> report);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The table as CSV (RFC 4180 quoting), full precision, header row first.
    QString toCsv() const;
    // Rows as tab-separated text for the clipboard (what spreadsheets paste).
    QString toTsv(const QModelIndexList& selection) const;
    // Why a configuration saturates values (the Clipped cell's tooltip): MXFP4's power-of-two scales,
    // Q4_0's codes -8..7, a range setting's clip range ... in the learner's words.
    static QString clippingReason(const QuantConfig& c);

private:
    QString cell(int row, int col, bool full) const;
    std::shared_ptr<const AnalysisReport> report_;
    std::vector<QColor> colors_;
};

} // namespace ql::ui
