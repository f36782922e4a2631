#include "worker_pool.h"

#include <QCoreApplication>
#include <QPointer>
#include <QThread>
#include <QThreadPool>

namespace ql::ui {

QThreadPool* workerPool() {
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setObjectName(QStringLiteral("quantlens-workers"));
        pool->setMaxThreadCount(QThread::idealThreadCount());
    }
    return pool;
}

} // namespace ql::ui
