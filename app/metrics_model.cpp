// Metrics table model and its CSV form.
#include "metrics_model.h"

#include "core/quantizer.h"

#include <QBrush>
#include <QFont>
#include <cmath>

namespace ql::ui {

MetricsModel::MetricsModel(QObject* parent) : QAbstractTableModel(parent) {}

void MetricsModel::setReport(std::shared_ptr<const AnalysisReport> report, std::vector<QColor> colors) {
    const int rows = report ? static_cast<int>(report->configs.size()) : 0;
    if (!report_ || !report || rows != rowCount() || rows == 0) {
        beginResetModel();
        report_ = std::move(report);
        colors_ = std::move(colors);
        endResetModel();
        return;
    }
    // The same rows: announce only the cells whose text, tooltip, colour or error state changed, so the
    // view repaints those cells and not the whole table (a moved slider changes one configuration's row).
    auto texts = [this, rows] {
        std::vector<QString> t;
        t.reserve(static_cast<std::size_t>(rows) * ColumnCount * 2);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < ColumnCount; ++c) {
                t.push_back(cell(r, c, false));
                t.push_back(cell(r, c, true));
            }
        return t;
    };
    const std::vector<QString> before = texts();
    std::vector<bool> failedBefore;
    for (const ConfigReport& c : report_->configs) failedBefore.push_back(!c.error.empty());
    const std::vector<QColor> colorsBefore = std::move(colors_);
    report_ = std::move(report);
    colors_ = std::move(colors);
    const std::vector<QString> after = texts();
    for (int r = 0; r < rows; ++r) {
        const auto row = static_cast<std::size_t>(r);
        auto colorOf = [row](const std::vector<QColor>& v) { return row < v.size() ? v[row] : QColor(); };
        const bool wholeRow = colorOf(colorsBefore) != colorOf(colors_) || failedBefore[row] != !report_->configs[row].error.empty();
        for (int c = 0; c < ColumnCount; ++c) {
            const std::size_t i = (row * ColumnCount + static_cast<std::size_t>(c)) * 2;
            if (wholeRow || before[i] != after[i] || before[i + 1] != after[i + 1]) emit dataChanged(index(r, c), index(r, c));
        }
    }
}

void MetricsModel::completeReport(std::shared_ptr<const AnalysisReport> report) {
    if (!report || !report_ || report->configs.size() != report_->configs.size()) {
        setReport(std::move(report), colors_);
        return;
    }
    report_ = std::move(report);
    if (rowCount() > 0) emit dataChanged(index(0, OutputErr), index(rowCount() - 1, OutputErr));
}

int MetricsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !report_ ? 0 : static_cast<int>(report_->configs.size());
}

int MetricsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MetricsModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Mse: return tr("Mean squared error, mean (x - dq)^2");
        case Mae: return tr("Mean absolute error, mean |x - dq|");
        case MaxErr: return tr("Largest absolute error");
        case Snr: return tr("Signal-to-noise ratio: 10 log10(sum x^2 / sum (x - dq)^2)");
        case Sqnr: return tr("Signal-to-quantization-noise ratio: 10 log10(var(x) / MSE)");
        case Cosine: return tr("Cosine similarity of the original and dequantized tensors");
        case Bits: return tr("True storage: code bits plus scales and zero points, per weight");
        case Size: return tr("Storage of this tensor, decimal and binary units");
        case OutputErr: return tr("Mean |X W^T - X Wq^T| / mean |X W^T| for a random batch X");
        case Levels: return tr("Distinct codes that occur");
        case Clipped: return tr("Values outside the representable range, saturated");
        default: return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case Name: return tr("Configuration");
    case Mse: return tr("MSE");
    case Mae: return tr("MAE");
    case MaxErr: return tr("Max error");
    case Snr: return tr("SNR (dB)");
    case Sqnr: return tr("SQNR (dB)");
    case Cosine: return tr("Cosine");
    case Bits: return tr("Bits/weight");
    case Size: return tr("Size");
    case OutputErr: return tr("Layer output error (%)");
    case Levels: return tr("Levels used");
    case Clipped: return tr("Clipped");
    }
    return {};
}

QString MetricsModel::cell(int row, int col, bool full) const {
    const ConfigReport& c = report_->configs[static_cast<std::size_t>(row)];
    if (col == Name) return QString::fromStdString(c.config.display_name());
    if (!c.error.empty()) return col == Mse ? QString::fromStdString(c.error) : QString();
    const auto& m = c.metrics;
    const int p = full ? 17 : 4;
    // +-inf and NaN spelled out (an exact configuration's SNR is +inf; one whose values overflow has -inf)
    auto special = [](double v) { return std::isnan(v) ? QStringLiteral("nan") : v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf"); };
    auto num = [&](double v) { return std::isfinite(v) ? QString::number(v, 'g', p) : special(v); };
    auto db = [&](double v) { return std::isfinite(v) ? QString::number(v, 'f', full ? 6 : 2) : special(v); };
    switch (col) {
    case Mse: return num(m.mse);
    case Mae: return num(m.mae);
    case MaxErr: return num(m.max_abs);
    case Snr: return db(m.snr_db);
    case Sqnr: return db(m.sqnr_db);
    case Cosine: return std::isfinite(m.cosine) ? QString::number(m.cosine, 'f', full ? 12 : 6) : special(m.cosine);
    case Bits: return QString::number(c.storage.bits_per_weight, 'g', full ? 12 : 5);
    case Size: {
        const double b = static_cast<double>(c.storage.bytes);
        if (full) return QString::number(c.storage.bytes);
        if (b >= 1e9) return tr("%1 GB / %2 GiB").arg(b / 1e9, 0, 'f', 2).arg(b / 1073741824.0, 0, 'f', 2);
        if (b >= 1e6) return tr("%1 MB / %2 MiB").arg(b / 1e6, 0, 'f', 2).arg(b / 1048576.0, 0, 'f', 2);
        if (b >= 1e3) return tr("%1 kB / %2 KiB").arg(b / 1e3, 0, 'f', 1).arg(b / 1024.0, 0, 'f', 1);
        // a small tensor's bytes whole: 69 B and 133 B both read "0.1 kB"
        return tr("%1 B").arg(c.storage.bytes);
    }
    case OutputErr:
        if (report_->forward_pending) return QStringLiteral("\u2026");  // computing, after the charts
        return c.forward.mean_rel_pct > 0 ? QString::number(c.forward.mean_rel_pct, 'f', full ? 8 : 3) : QStringLiteral("-");
    case Levels: return QString::number(m.levels_used);
    case Clipped: return QString::number(m.clipped);
    }
    return {};
}

QString MetricsModel::clippingReason(const QuantConfig& c) {
    switch (c.format) {
    case Format::Int:
        if (c.range != RangeMethod::MinMax) {
            const QString method = c.range == RangeMethod::Percentile ? tr("percentile %1").arg(c.percentile)
                                   : c.range == RangeMethod::MseOptimal ? tr("MSE-optimal clipping")
                                                                         : tr("KL divergence");
            return tr("The range setting (%1) chose a clip range inside the data: values beyond it saturate on purpose, "
                      "which buys a finer step for all the others.")
                .arg(method);
        }
        if (c.scheme == Scheme::Asymmetric)
            return tr("Min-max puts each slice's lowest and highest value on the end codes only up to rounding: the "
                      "zero point is a whole code (as PyTorch rounds it) and a scale stored in fp16 (per group, as GPTQ "
                      "and AWQ store it) is rounded too, so an extreme value can land more than half a step past the "
                      "end code and saturate there, less than a step from its place.");
        break;
    case Format::MXFP4:
        return tr("MXFP4's shared scale is a power of two, 2^(floor(log2 amax) - 2) (OCP MX v1.0): a block's largest "
                  "value lands between 4 and 8 in units of the scale, on an E2M1 grid whose top is 6, so values from 7 "
                  "up round past 6 and saturate at 6.");
    case Format::NVFP4:
        return tr("NVFP4 stores each block's scale in FP8 (E4M3). For a block far smaller than the tensor's largest "
                  "values that scale falls among E4M3's coarse subnormals; rounded down, it puts the block's largest "
                  "values past 6, the top of the E2M1 grid, where they saturate.");
    case Format::Q4_0:
        return tr("Q4_0 puts each block's largest-magnitude value on code -8; on the other side the codes stop at +7, "
                  "so a value there beyond 7.5/8 of that magnitude saturates at +7.");
    case Format::Q5_0:
        return tr("Q5_0 puts each block's largest-magnitude value on code -16; on the other side the codes stop at +15, "
                  "so a value there beyond 15.5/16 of that magnitude saturates at +15.");
    case Format::Q2_K:
    case Format::Q4_K:
    case Format::Q5_K:
        return tr("Q2_K, Q4_K and Q5_K search each sub-block's scale and minimum for the least weighted error, and store them "
                  "in 4 or 6 bits: the chosen levels need not reach a sub-block's extreme values, which then saturate.");
    case Format::Q3_K:
        return tr("Q3_K's codes run from -4 to 3: each sub-block's largest-magnitude value goes to the -4 end and the "
                  "other side stops at +3; the searched scale, stored in 6 bits, can also leave values past an end. "
                  "Those saturate.");
    case Format::Q6_K:
        return tr("Q6_K's codes run from -32 to 31: each sub-block's largest-magnitude value goes to the -32 end and "
                  "the other side stops at +31; the searched scale, stored in 8 bits, can also leave values past an end. "
                  "Those saturate.");
    case Format::IQ4_NL:
        return tr("IQ4_NL's table runs from -127 to 113: the search over 15 scales can leave a block's values past an "
                  "end of the table, where they take the end level.");
    case Format::IQ4_XS:
        return tr("IQ4_XS's table runs from -127 to 113: the search over 15 scales, and the scale's rounding to 6 bits, "
                  "can leave a block's values past an end of the table, where they take the end level.");
    case Format::HQQ:
        return tr("HQQ's solver moves each group's zero point away from min-max to lower the error of most values, so "
                  "values at a group's ends can fall outside its codes and saturate.");
    default:
        break;
    }
    return tr("Values more than half a step past the grid's end levels saturate at the end level.");
}

QVariant MetricsModel::data(const QModelIndex& index, int role) const {
    if (!report_ || !index.isValid()) return {};
    const int row = index.row(), col = index.column();
    // bits per weight that count padding (rows that are not whole blocks) carry a '*', said in the tooltip
    const ConfigReport& c = report_->configs[static_cast<std::size_t>(row)];
    const double padding = col == Bits && c.error.empty() ? padding_worth_saying(c.storage, report_->tensor.numel) : 0.0;
    if (role == Qt::DisplayRole) return padding > 0 ? cell(row, col, false) + QStringLiteral(" *") : cell(row, col, false);
    if (role == Qt::ToolTipRole && col == Clipped && c.error.empty() && c.metrics.clipped > 0) {
        const double n = static_cast<double>(report_->tensor.numel);
        const double share = n > 0 ? 100.0 * static_cast<double>(c.metrics.clipped) / n : 0.0;
        return tr("%1 of %2 values (%3%) saturated.").arg(c.metrics.clipped).arg(report_->tensor.numel).arg(share, 0, 'g', 3) +
               QStringLiteral("\n") + clippingReason(c.config);
    }
    if (role == Qt::ToolTipRole && col == Levels && c.error.empty()) {
        // how many of the format's codes occur (INT8 per tensor on a normal tensor: not all 256)
        int codes = 0;
        try {
            codes = make_quantizer(c.config)->code_count();
        } catch (const std::invalid_argument&) {
        }
        if (codes > 0) return tr("%1 of the %2 codes occur").arg(c.metrics.levels_used).arg(codes);
    }
    if (role == Qt::ToolTipRole)
        return padding > 0 ? cell(row, col, true) + QStringLiteral("\n") +
                                 tr("* %1% of the codes stored are padding: this tensor's rows are not whole blocks, and each "
                                    "row's last block is stored whole")
                                     .arg(100.0 * padding, 0, 'f', 0)
                           : cell(row, col, true);
    if (role == Qt::DecorationRole && col == Name && static_cast<std::size_t>(row) < colors_.size()) return colors_[static_cast<std::size_t>(row)];
    if (role == Qt::TextAlignmentRole) return col == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && !c.error.empty()) return QBrush(QColor(0xD5, 0x5E, 0x00));
    return {};
}

namespace {
QString csvQuote(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))) return s;
    QString q = s;
    q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}
} // namespace

QString MetricsModel::toCsv() const {
    // Header with units, machine-readable values (bytes, dB, percent) in full precision.
    QStringList head = {QStringLiteral("configuration"), QStringLiteral("mse"), QStringLiteral("mae"), QStringLiteral("max_abs_error"),
                        QStringLiteral("snr_db"), QStringLiteral("sqnr_db"), QStringLiteral("cosine"), QStringLiteral("bits_per_weight"),
                        QStringLiteral("size_bytes"), QStringLiteral("layer_output_error_pct"), QStringLiteral("levels_used"), QStringLiteral("clipped")};
    QString out = head.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c) cells << csvQuote(cell(r, c, true));
        out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

QString MetricsModel::toTsv(const QModelIndexList& selection) const {
    QList<int> rows;
    for (const auto& i : selection)
        if (!rows.contains(i.row())) rows << i.row();
    if (rows.isEmpty())
        for (int r = 0; r < rowCount(); ++r) rows << r;
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    QStringList head;
    for (int c = 0; c < ColumnCount; ++c) head << headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    lines << head.join(QLatin1Char('\t'));
    for (int r : rows) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c) cells << cell(r, c, false);
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace ql::ui
