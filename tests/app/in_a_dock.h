// A view held as the window holds a dock's content (app/scrollable.h: a frameless scroll area), shown
// at a dock's size: tests of views that rearrange themselves in small docks.
#pragma once

#include <QScrollArea>
#include <QSize>
#include <QVBoxLayout>
#include <QWidget>

#include "scrollable.h"

class InADock : public QWidget {
public:
    // Takes `content` and shows it at `size`.
    InADock(QWidget* content, QSize size) {
        auto* layout = new QVBoxLayout(this);
        layout->setContentsMargins(0, 0, 0, 0);
        scroll_ = ql::ui::scrollable(content, this);
        layout->addWidget(scroll_);
        resize(size);
        show();
    }
    QScrollArea* scroll() const { return scroll_; }

private:
    QScrollArea* scroll_ = nullptr;
};
