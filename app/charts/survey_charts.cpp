// Whole-model survey chart: one SQNR curve per configuration over the model's weight tensors in file
// order, with the layers marked on the x axis.
#include "charts/survey_charts.h"

#include <cmath>
#include <limits>

namespace ql::ui {

int ModelSqnrChart::layerOf(const std::string& name) {
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('.', start);
        if (end == std::string::npos) end = name.size();
        const std::size_t len = end - start;
        if (len > 0 && len <= 6) {
            bool digits = true;
            for (std::size_t i = start; i < end; ++i) digits = digits && name[i] >= '0' && name[i] <= '9';
            if (digits) return std::stoi(name.substr(start, len));
        }
        start = end + 1;
    }
    return -1;
}

void ModelSqnrChart::setSurvey(std::shared_ptr<const ModelSurvey> survey, std::vector<QColor> colors) {
    survey_ = std::move(survey);
    colors_ = std::move(colors);
    rebuild();
}

void ModelSqnrChart::rebuild() {
    resetPlot();
    setAxisTitles(tr("Weight tensor, in file order"), tr("SQNR (dB)"));
    if (!survey_ || survey_->tensors.empty()) {
        addNote(survey_ ? tr("This file has no weight tensors (rank >= 2, floating point)") : tr("Survey a model to see every layer"));
        finish();
        return;
    }
    const ModelSurvey& s = *survey_;
    // Layer ticks: the first tensor of each layer number; thinned so labels do not overlap.
    std::vector<std::pair<int, int>> starts;  // (tensor index, layer)
    int last = std::numeric_limits<int>::min();
    for (std::size_t i = 0; i < s.tensors.size(); ++i) {
        const int layer = layerOf(s.tensors[i].name);
        if (layer >= 0 && layer != last) starts.emplace_back(static_cast<int>(i), layer);
        if (layer >= 0) last = layer;
    }
    if (starts.size() >= 2) {
        QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
        const std::size_t step = std::max<std::size_t>(1, (starts.size() + 15) / 16);
        for (std::size_t k = 0; k < starts.size(); k += step)
            ticker->addTick(starts[k].first, QString::number(starts[k].second));
        xAxis->setTicker(ticker);
        setAxisTitles(tr("Layer (each point a weight tensor, in file order; ticks at a layer's first tensor)"), tr("SQNR (dB)"));
    }
    for (std::size_t c = 0; c < s.configs.size(); ++c) {
        QVector<double> x, y;
        for (std::size_t i = 0; i < s.tensors.size(); ++i) {
            const auto& t = s.tensors[i];
            if (c >= t.sqnr_db.size() || !std::isfinite(t.sqnr_db[c])) continue;
            x.push_back(static_cast<double>(i));
            y.push_back(t.sqnr_db[c]);
        }
        QCPGraph* g = addGraph();
        g->setName(QString::fromStdString(s.configs[c].display_name()));
        g->setData(x, y, true);
        const QColor col = c < colors_.size() ? colors_[c] : configColor(0, static_cast<int>(c));
        styleGraph(g, col, 1.5, s.tensors.size() <= 400);
    }
    finish();
    xAxis->setRange(xAxis->range().lower - 0.5, xAxis->range().upper + 0.5);
    replot(QCustomPlot::rpQueuedReplot);
}

QString ModelSqnrChart::tooltipAt(const QPoint& pos) const {
    if (!survey_) return {};
    const double limit = 12.0 * style().scale;  // pixels
    double best = limit;
    QString text;
    for (int gi = 0; gi < graphCount(); ++gi) {
        QCPGraph* g = graph(gi);
        if (!g->visible()) continue;
        auto it = g->data()->findBegin(xAxis->pixelToCoord(pos.x()), true);
        for (int k = 0; k < 2 && it != g->data()->constEnd(); ++k, ++it) {
            const double d = std::hypot(xAxis->coordToPixel(it->key) - pos.x(), yAxis->coordToPixel(it->value) - pos.y());
            const auto i = static_cast<std::size_t>(it->key);
            if (d < best && i < survey_->tensors.size()) {
                best = d;
                const auto& t = survey_->tensors[i];
                text = tr("%1\n%2: SQNR %3 dB\n%4 parameters").arg(QString::fromStdString(t.name), fullName(g))
                           .arg(it->value, 0, 'f', 2).arg(t.params);
            }
        }
    }
    return text;
}

} // namespace ql::ui
