// Ticks for a logarithmic axis that stay readable over a short range. QCustomPlot's log ticker labels
// powers of ten, one or two on an axis of two decades; under 1.6 decades it falls back to linear steps,
// which on a log axis bunch at the top and leave the lower part unlabelled (0.2, 0.4, 0.6, 0.8 on an
// axis from 0.05 to 0.9). Here a range holding fewer than three powers of ten takes 1-2-5 steps (0.05,
// 0.1, 0.2, 0.5), or every mantissa 1..9 where fewer than three of those fall in it, with the other
// mantissas as sub ticks; longer ranges keep QCustomPlot's powers.
#pragma once

#include <qcustomplot.h>

namespace ql::ui {

class LogTicker : public QCPAxisTickerLog {
public:
    // Ticks (one beyond each end, as QCustomPlot trims them) at m * 10^k for the mantissas, in [lower,
    // upper]; empty unless 0 < lower < upper.
    static QVector<double> mantissaTicks(const QCPRange& range, const QVector<int>& mantissas);

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
    QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;

private:
    bool short_ = false;                   // the last ticks came from mantissas
    static constexpr int kFewestTicks = 3;  // labels in range below which the next finer mantissas are taken
};

} // namespace ql::ui
