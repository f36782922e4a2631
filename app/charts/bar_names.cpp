// Bar names and value labels fitted to their slots (bar_names.h).
#include "charts/bar_names.h"

#include <algorithm>

#include "charts/charts.h"

namespace ql::ui {

QString wrapName(const QString& name, int width) {
    QString out, line;
    for (const QString& w : name.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + w.size() > width) {
            out += line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + w;
    }
    return out + line;
}

QString compactName(const QString& name) {
    QString s = name;
    s.replace(QLatin1String(" per-tensor"), QString());
    s.replace(QLatin1String(" per-channel"), QLatin1String(" ch"));
    return s;
}

double setBarTicks(QCPAxisTickerText& ticker, const std::vector<BarName>& bars, double slot, int plotLeft, int chartHeight,
                   int maxWrap, const QFontMetrics& fm, const std::function<int(const QString&)>& advance, int* firstLeft) {
    constexpr double kFirstNameLeftShare = 0.3;
    const auto bitsOf = [](const BarName& b, bool unit) {
        // "b/w": bits per weight, as the axis title says
        return unit ? MemoryChart::tr("%1 b/w").arg(b.bits, 0, 'g', 5) : QString::number(b.bits, 'g', 5);
    };
    enum Form { Full, Figure, Compact, Slanted };
    auto tickText = [&](const BarName& b, Form form, int wrap) {
        const bool bits = !std::isnan(b.bits);
        if (form == Slanted) return bits ? QStringLiteral("%1, %2").arg(compactName(b.name), bitsOf(b, true)) : compactName(b.name);
        const QString name = wrapName(form == Compact ? compactName(b.name) : b.name, wrap);
        return bits ? QStringLiteral("%1\n%2").arg(name, bitsOf(b, form == Full)) : name;
    };
    // neighbours, each centred under its bar, keep 5 px between them
    auto fits = [&](Form form, int wrap) {
        int prev = -1;
        for (const auto& b : bars) {
            int w = 0;
            for (const QString& line : tickText(b, form, wrap).split(QLatin1Char('\n'))) w = std::max(w, advance(line));
            if (prev >= 0 && (prev + w) / 2.0 + 5 > slot) return false;
            prev = w;
        }
        return true;
    };
    Form form = Slanted;
    int wrap = maxWrap;
    for (Form f : {Full, Figure, Compact}) {
        for (wrap = maxWrap; wrap > 4 && !fits(f, wrap);) --wrap;
        if (fits(f, wrap)) {
            form = f;
            break;
        }
    }
    const double a = kBarNameSlant * M_PI / 180.0;
    const double down = 0.30 * chartHeight / std::sin(a);
    *firstLeft = 0;
    if (form == Slanted && !bars.empty()) {
        // the slanted text's box reaches left of its bar's centre by its length x cos and its height x sin
        const double need = std::min<double>(advance(tickText(bars[0], form, wrap)), down) * std::cos(a) + fm.height() * std::sin(a) + 4 - 0.5 * slot;
        const double chartWidth = plotLeft + slot * static_cast<double>(bars.size());
        *firstLeft = static_cast<int>(std::ceil(std::min(need, kFirstNameLeftShare * chartWidth)));
        plotLeft = std::max(plotLeft, *firstLeft);
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        QString text = tickText(bars[i], form, wrap);
        if (form == Slanted) {
            // QCustomPlot leaves out a tick label the widget's edge would cut (the first bar's vanished)
            const double left = (plotLeft + (static_cast<double>(i) + 0.5) * slot - fm.height() * std::sin(a) - 4) / std::cos(a);
            const int room = static_cast<int>(std::min(down, left));
            if (advance(text) > room) {
                // "INT4 sym…4.25 b/w" (cut in the middle of the whole text) hid the figure, and a name cut at
                // its end ("INT4 asy…" three times) what tells the configurations apart: the name is cut in its
                // middle ("INT4…g128"), the bits kept whole
                const QString bits = std::isnan(bars[i].bits) ? QString() : QStringLiteral(", ") + bitsOf(bars[i], true);
                const int nameRoom = room - advance(bits);
                const QString name = compactName(bars[i].name);
                // whole words where they fit: its first and last ("INT4…g128"), else cut in the middle
                const QStringList words = name.split(QLatin1Char(' '), Qt::SkipEmptyParts);
                const QString ends = words.size() >= 3 ? words.first() + QChar(0x2026) + words.last() : QString();
                // (a name of one or two words keeps its start: "INT8…")
                const QString shortName = nameRoom <= 0 ? QString()
                                          : !ends.isEmpty() && advance(ends) <= nameRoom
                                              ? ends
                                              : fm.elidedText(name, words.size() >= 3 ? Qt::ElideMiddle : Qt::ElideRight, nameRoom);
                text = shortName.size() >= std::min<qsizetype>(5, name.size()) ? shortName + bits  // "IN…8" at least
                                                                                       : fm.elidedText(text, Qt::ElideMiddle, std::max(room, 1));
            }
        }
        ticker.addTick(static_cast<double>(i), text);
    }
    return form == Slanted ? -kBarNameSlant : 0.0;
}

ValueLabels fitValueLabels(const ChartStyle& style, const std::vector<std::pair<QString, QString>>& lines, double slot, bool twoAllowed,
                           const std::function<int(const QFont&, const QString&)>& width) {
    ValueLabels fit{style.font(8.5), 0};
    int widestLine = 0, widestFirst = 0;
    auto measure = [&] {
        widestLine = widestFirst = 0;
        for (const auto& [first, second] : lines) {
            widestFirst = std::max(widestFirst, width(fit.font, first));
            widestLine = std::max({widestLine, widestFirst, width(fit.font, second)});
        }
    };
    measure();
    if (twoAllowed && widestLine + 8 <= slot) {
        fit.lines = 2;
        return fit;
    }
    if (widestFirst + 4 > slot) {
        fit.font = style.font(7);
        measure();
    }
    fit.lines = widestFirst + 4 <= slot ? 1 : 0;
    return fit;
}

} // namespace ql::ui
