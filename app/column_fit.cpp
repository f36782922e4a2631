#include "column_fit.h"

#include <QAbstractItemModel>
#include <QEvent>
#include <QTableView>

#include <algorithm>

namespace ql::ui {

ColumnFit::ColumnFit(QTableView* view) : QObject(view), view_(view) { view->installEventFilter(this); }

bool ColumnFit::eventFilter(QObject* watched, QEvent* event) {
    if (watched == view_ && event->type() == QEvent::FontChange) update();
    return false;
}

void ColumnFit::update() {
    const QAbstractItemModel* m = view_->model();
    if (!m) return;
    const int rows = m->rowCount(), cols = m->columnCount();
    std::vector<qsizetype> chars(static_cast<std::size_t>(std::max(cols, 0)), 0);
    for (int c = 0; c < cols; ++c) {
        qsizetype longest = m->headerData(c, Qt::Horizontal).toString().size();
        for (int r = 0; r < rows; ++r) longest = std::max(longest, m->data(m->index(r, c)).toString().size());
        chars[static_cast<std::size_t>(c)] = longest;
    }
    const bool structure = rows != rows_ || chars.size() != chars_.size() || view_->font() != font_;
    bool grew = false;
    for (std::size_t c = 0; !structure && c < chars.size(); ++c) grew = grew || chars[c] > chars_[c];
    if (!structure && !grew) return;
    view_->resizeColumnsToContents();
    rows_ = rows;
    font_ = view_->font();
    if (structure) {
        chars_ = chars;
    } else {
        for (std::size_t c = 0; c < chars.size(); ++c) chars_[c] = std::max(chars_[c], chars[c]);
    }
}

} // namespace ql::ui
