// Column widths of a table that follow its text, measured only when they may need to grow.
//
// Qt's QHeaderView::ResizeToContents measures (and shapes) the text of every cell and header on every data
// change; on the metrics table that was about a tenth of the window's GUI-thread work per slider move.
// Here the columns are fitted (QTableView::resizeColumnsToContents) when the row count, the font or a
// column's longest text in characters grows; values of the same length keep their widths.
#pragma once

#include <QFont>
#include <QObject>

#include <vector>

class QTableView;

namespace ql::ui {

class ColumnFit : public QObject {
public:
    // Owned by the view; refits by itself when the view's font changes.
    explicit ColumnFit(QTableView* view);
    // After the model's data, rows or headers changed: fits the columns when needed.
    void update();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QTableView* view_;
    int rows_ = -1;
    QFont font_;
    std::vector<qsizetype> chars_;  // each column's longest text (header included) at the last fit
};

} // namespace ql::ui
