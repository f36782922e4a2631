// A suite's own QSettings, emptied: never the user's (QStandardPaths' test mode), one per suite.
#pragma once

#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>

inline void useEmptyTestSettings(const QString& suite) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("QuantLensTest"));
    QCoreApplication::setApplicationName(suite);
    QSettings().clear();
}
