// NextTurn: calls its function on the event loop's next turn, once however often it was asked for
// since: work that must wait until a resize or a dock change has been laid out (moving widgets between
// layouts inside a resize re-enters it), done once for a burst of events.
#pragma once

#include <functional>
#include <utility>

#include <QObject>
#include <QTimer>

namespace ql::ui {

class NextTurn {
public:
    // `owner` holds this object (its member): its destruction drops a pending call.
    NextTurn(QObject* owner, std::function<void()> fn) : owner_(owner), fn_(std::move(fn)) {}
    NextTurn(const NextTurn&) = delete;
    NextTurn& operator=(const NextTurn&) = delete;

    void request() {
        if (queued_) return;
        queued_ = true;
        QTimer::singleShot(0, owner_, [this] {
            queued_ = false;
            fn_();
        });
    }

private:
    QObject* owner_;
    std::function<void()> fn_;
    bool queued_ = false;
};

} // namespace ql::ui
