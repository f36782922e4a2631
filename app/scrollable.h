// A dock's content in a frameless scroll area: the dock's least size then no longer holds its column of
// the window wider or taller than a small screen (a 1280x800 projector) allows; the content scrolls.
#pragma once

#include <QScrollArea>

namespace ql::ui {

inline QScrollArea* scrollable(QWidget* content, QWidget* parent) {
    auto* scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    return scroll;
}

} // namespace ql::ui
