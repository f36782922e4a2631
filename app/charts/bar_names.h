// Names and value labels under and over the bars of a bar chart (the memory, GPU-fit and calibration
// method charts), fitted to each bar's slot: wrapped, compacted, slanted and cut, or left out.
#pragma once

#include <QFont>
#include <QFontMetrics>
#include <QString>

#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include <qcustomplot.h>

#include "theme.h"

namespace ql::ui {

// A bar's name under it and its bits per weight (NaN: a bar without them, as a calibration method's).
struct BarName {
    QString name;
    double bits = std::numeric_limits<double>::quiet_NaN();
};

// Breaks a long bar name into lines of about `width` characters at spaces, so neighbouring tick labels
// do not run into each other.
QString wrapName(const QString& name, int width);

// A configuration's name as the Pareto chart labels its points: "INT4 sym" for per-tensor, "INT4 sym
// ch" for per-channel.
QString compactName(const QString& name);

// The bar names as tick labels (bars at keys 0, 1, ...; `slot` pixels each, the first starting
// `plotLeft` pixels from the chart's left edge): each name wrapped at spaces as narrowly as it takes
// (from `maxWrap` characters a line down to 4) for neighbours not to touch, over its bits per weight where it has them
// ("4.125 b/w", else the figure alone, else with the names compacted as on the Pareto chart). When a
// single word is still wider than a slot, one line per bar, "name, bits b/w", slanted so that it
// ends under its bar: at most 30% of the chart's height down and no further left than the chart's
// edge (QCustomPlot leaves out a tick label that would cross it), the name compacted and cut in its middle where
// longer, its bits kept whole. The first bar's slanted name has the room the plot's left margin gives:
// *firstLeft is the margin (pixels) it needs whole, at most kFirstNameLeftShare of the chart's width
// (0 unslanted), which the caller sets as the plot's least left margin. Returns the axis' tick label
// rotation.
double setBarTicks(QCPAxisTickerText& ticker, const std::vector<BarName>& bars, double slot, int plotLeft, int chartHeight,
                   int maxWrap, const QFontMetrics& fm, const std::function<int(const QString&)>& advance, int* firstLeft);

// How the bars' value labels fit their slots (`slot` pixels each): two lines ("1.00 MB" over "(977 KiB)")
// where both are allowed and the wider line leaves 8 px, else the first line alone, in 7 pt where 8.5 pt
// is too wide; none where even that would run into its neighbours (the tooltip gives both units).
// `lines` holds each bar's two lines; `width` measures a line in a font.
struct ValueLabels {
    QFont font;
    int lines = 0;  // 0: no value labels
};
ValueLabels fitValueLabels(const ChartStyle& style, const std::vector<std::pair<QString, QString>>& lines, double slot, bool twoAllowed,
                           const std::function<int(const QFont&, const QString&)>& width);

} // namespace ql::ui
