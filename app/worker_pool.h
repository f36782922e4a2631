// The thread pool of QuantLens' own background jobs (analysis, calibration, speed, model survey).
//
// Not QThreadPool::globalInstance(): Qt's raster engine hands parts of large fills and image conversions
// to the global pool and waits for them on the GUI thread. With the global pool's threads taken by a long
// analysis (or one waiting for the window's paint), a paint waited behind it: bench gui measured single
// GUI-thread events of 150-180 ms with 2 ms of CPU. Our jobs also lower their threads' priority, which must
// not stay with threads Qt uses for painting.
#pragma once

class QThreadPool;

namespace ql::ui {

// Owned by the application object (created on first use, after QApplication); as many threads as cores.
QThreadPool* workerPool();

} // namespace ql::ui
