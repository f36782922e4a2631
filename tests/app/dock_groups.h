// The chart docks' tab groups of a main window, each as its sorted member names (object names
// "chart_<id>"), for tests that rearrange the docks and check the arrangement comes back.
#pragma once

#include <QDockWidget>
#include <QMainWindow>
#include <QSet>
#include <QString>
#include <QStringList>

inline QSet<QString> chartDockGroups(const QMainWindow& w) {
    QSet<QString> groups;
    for (auto* d : w.findChildren<QDockWidget*>()) {
        if (!d->objectName().startsWith(QLatin1String("chart_")) || d->isFloating() || d->isHidden()) continue;
        QStringList members{d->objectName()};
        for (auto* t : w.tabifiedDockWidgets(d)) members << t->objectName();
        members.sort();
        groups.insert(members.join(QLatin1Char(',')));
    }
    return groups;
}
