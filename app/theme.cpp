// Themes, palette and presentation scale.
#include "theme.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QProxyStyle>
#include <QStyle>
#include <QStyleFactory>

namespace ql::ui {

namespace {

// Fusion with one change: the toolbar's overflow button ('>>', where the buttons that do not fit are, among
// them Presentation mode and Dark theme on a projector) drawn in the palette's button text colour.
// Fusion's own is a fixed grey that all but vanished on the dark theme's toolbar.
class QuantLensStyle : public QProxyStyle {
public:
    QuantLensStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion"))) {}
    QIcon standardIcon(StandardPixmap sp, const QStyleOption* option, const QWidget* widget) const override {
        if (sp != SP_ToolBarHorizontalExtensionButton && sp != SP_ToolBarVerticalExtensionButton)
            return QProxyStyle::standardIcon(sp, option, widget);
        const QColor c = QApplication::palette().color(QPalette::ButtonText);
        QIcon icon;
        for (int size : {16, 32}) {
            QPixmap pm(size, size);
            pm.fill(Qt::transparent);
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            p.setPen(QPen(c, size / 10.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
            if (sp == SP_ToolBarVerticalExtensionButton) {  // two chevrons down
                p.translate(size, 0);
                p.rotate(90);
            }
            const double s = size / 16.0;
            for (double x0 : {4.0, 8.5}) p.drawPolyline(QPolygonF{{x0 * s, 4.0 * s}, {(x0 + 3.5) * s, 8.0 * s}, {x0 * s, 12.0 * s}});
            p.end();
            icon.addPixmap(pm);
        }
        return icon;
    }
};

} // namespace

QFont ChartStyle::font(double points, bool bold) const {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(points * scale);
    f.setBold(bold);
    return f;
}

ChartStyle makeChartStyle(bool dark, bool presentation) {
    ChartStyle s;
    s.dark = dark;
    s.scale = presentation ? 1.6 : 1.0;
    if (dark) {
        s.background = QColor(0x20, 0x22, 0x26);
        s.foreground = QColor(0xE6, 0xE6, 0xE6);
        s.grid = QColor(0x55, 0x58, 0x5E);
        s.subgrid = QColor(0x38, 0x3A, 0x3F);
        s.original = QColor(0xB0, 0xB0, 0xB0);
    } else {
        s.background = Qt::white;
        s.foreground = QColor(0x20, 0x20, 0x20);
        s.grid = QColor(0xD0, 0xD0, 0xD0);
        s.subgrid = QColor(0xEE, 0xEE, 0xEE);
        s.original = QColor(0x80, 0x80, 0x80);
    }
    return s;
}

const std::vector<QColor>& okabeItoPalette() {
    static const std::vector<QColor> p = {
        QColor(0xE6, 0x9F, 0x00),  // orange
        QColor(0x00, 0x72, 0xB2),  // blue
        QColor(0xD5, 0x5E, 0x00),  // vermillion
        QColor(0x00, 0x9E, 0x73),  // bluish green
        QColor(0xCC, 0x79, 0xA7),  // reddish purple
        QColor(0x56, 0xB4, 0xE9),  // sky blue
        QColor(0xF0, 0xE4, 0x42),  // yellow
    };
    return p;
}

QColor configColor(std::uint32_t own, int index) {
    if (own) return QColor::fromRgb(own & 0xFFFFFFu);
    const auto& p = okabeItoPalette();
    return p[static_cast<std::size_t>(index) % p.size()];
}

QFont uiFont(bool presentation) {
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPointSizeF(presentation ? kPresentationPointSize : kUiPointSize);
    return f;
}

void applyApplicationTheme(QApplication& app, bool dark, bool presentation) {
    app.setStyle(new QuantLensStyle);
    QPalette pal = app.style()->standardPalette();
    if (dark) {
        pal.setColor(QPalette::Window, QColor(0x2B, 0x2D, 0x31));
        pal.setColor(QPalette::WindowText, QColor(0xE6, 0xE6, 0xE6));
        pal.setColor(QPalette::Base, QColor(0x20, 0x22, 0x26));
        pal.setColor(QPalette::AlternateBase, QColor(0x2F, 0x32, 0x36));
        pal.setColor(QPalette::Text, QColor(0xE6, 0xE6, 0xE6));
        pal.setColor(QPalette::Button, QColor(0x35, 0x38, 0x3D));
        pal.setColor(QPalette::ButtonText, QColor(0xE6, 0xE6, 0xE6));
        pal.setColor(QPalette::ToolTipBase, QColor(0x35, 0x38, 0x3D));
        pal.setColor(QPalette::ToolTipText, QColor(0xE6, 0xE6, 0xE6));
        pal.setColor(QPalette::Highlight, QColor(0x00, 0x72, 0xB2));
        pal.setColor(QPalette::HighlightedText, Qt::white);
        pal.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        pal.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
        pal.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    }
    app.setPalette(pal);
    app.setFont(uiFont(presentation));
}

} // namespace ql::ui
