// Progress and cancellation for long core jobs (DESIGN rule 3). The callback receives work done and
// total in the job's own units and returns false to cancel; a cancelled job returns early and marks
// its result as cancelled. The app adapts this to QPromise/QFutureWatcher.
#pragma once

#include <cstddef>
#include <functional>

namespace ql {

using ProgressFn = std::function<bool(std::size_t done, std::size_t total)>;

// Calls fn when it is set; returns false when the job should stop.
inline bool report_progress(const ProgressFn& fn, std::size_t done, std::size_t total) {
    return fn ? fn(done, total) : true;
}

} // namespace ql
