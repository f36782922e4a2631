// Readable ticks on a short logarithmic range (log_ticker.h).
#include "charts/log_ticker.h"

#include <cmath>

namespace ql::ui {

QVector<double> LogTicker::mantissaTicks(const QCPRange& range, const QVector<int>& mantissas) {
    QVector<double> ticks;
    if (!(range.lower > 0 && range.upper > range.lower) || !std::isfinite(range.upper)) return ticks;
    const int first = int(std::floor(std::log10(range.lower))), last = int(std::floor(std::log10(range.upper)));
    double below = 0;  // the last value under the range: kept as the one tick beyond its lower end
    for (int k = first; k <= last + 1; ++k) {
        const double decade = std::pow(10.0, std::abs(k));  // exact for the decades an axis shows
        for (int m : mantissas) {
            const double v = k < 0 ? m / decade : m * decade;  // 0.3 as 3 / 10, the double nearest 0.3
            if (v < range.lower) {
                below = v;
            } else if (v <= range.upper) {
                if (ticks.isEmpty() && below > 0) ticks.push_back(below);
                ticks.push_back(v);
            } else {
                if (ticks.isEmpty() && below > 0) ticks.push_back(below);
                ticks.push_back(v);  // one beyond the upper end
                return ticks;
            }
        }
    }
    return ticks;
}

QVector<double> LogTicker::createTickVector(double tickStep, const QCPRange& range) {
    short_ = false;
    if (!(range.lower > 0 && range.upper > range.lower) || !std::isfinite(range.upper))
        return QCPAxisTickerLog::createTickVector(tickStep, range);
    auto inside = [&range](const QVector<double>& t) {
        int n = 0;
        for (double v : t) n += v >= range.lower && v <= range.upper;
        return n;
    };
    // three powers of ten or more: QCustomPlot's ticks (which step over decades on a long range)
    if (inside(mantissaTicks(range, {1})) >= kFewestTicks) return QCPAxisTickerLog::createTickVector(tickStep, range);
    QVector<double> ticks = mantissaTicks(range, {1, 2, 5});
    if (inside(ticks) < kFewestTicks) ticks = mantissaTicks(range, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    // more than the axis wants (a narrow chart took fewer): every other one
    if (inside(ticks) > tickCount() + 2) {
        QVector<double> thin;
        for (int i = 0; i < ticks.size(); i += 2) thin.push_back(ticks[i]);
        if (!thin.isEmpty() && thin.last() < range.upper && ticks.last() >= range.upper) thin.push_back(ticks.last());
        ticks = thin;
    }
    short_ = true;
    return ticks;
}

QVector<double> LogTicker::createSubTickVector(int subTickCount, const QVector<double>& ticks) {
    if (!short_ || ticks.size() < 2) return QCPAxisTickerLog::createSubTickVector(subTickCount, ticks);
    // every mantissa 1..9 between the first and the last tick that is not a tick
    QVector<double> sub;
    for (double v : mantissaTicks(QCPRange(ticks.first(), ticks.last()), {1, 2, 3, 4, 5, 6, 7, 8, 9})) {
        if (v <= ticks.first() || v >= ticks.last()) continue;
        bool isTick = false;
        for (double t : ticks) isTick = isTick || std::fabs(v - t) <= 1e-9 * t;
        if (!isTick) sub.push_back(v);
    }
    return sub;
}

} // namespace ql::ui
