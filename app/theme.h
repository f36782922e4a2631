// Look of the window and charts: light/dark themes, the colour-blind-safe Okabe-Ito palette for the
// configurations, and the presentation scale (larger fonts, thicker lines for projectors).
#pragma once

#include <QColor>
#include <QFont>
#include <QString>
#include <vector>

class QApplication;

namespace ql::ui {

struct ChartStyle {
    bool dark = false;
    double scale = 1.0;       // 1 normally, about 1.6 in presentation mode
    QColor background, foreground, grid, subgrid, original;
    QFont font(double points = 10.0, bool bold = false) const;
    double lineWidth(double base = 2.0) const { return base * scale; }
};

ChartStyle makeChartStyle(bool dark, bool presentation);

// Okabe & Ito (2008) colour-blind-safe colours, ordered for contrast on light and dark backgrounds.
const std::vector<QColor>& okabeItoPalette();
// The colour of configuration i: its own colour when set (0xRRGGBB, non-zero), else the palette's.
QColor configColor(std::uint32_t own, int index);

// The application's type in points: normal, and in presentation mode (projectors).
constexpr double kUiPointSize = 9.5;
constexpr double kPresentationPointSize = 14.0;

// The application's type (DejaVu Sans at kUiPointSize, or kPresentationPointSize).
QFont uiFont(bool presentation);

// Applies the theme to the whole application (Fusion style with a matching QPalette).
void applyApplicationTheme(QApplication& app, bool dark, bool presentation);

} // namespace ql::ui
