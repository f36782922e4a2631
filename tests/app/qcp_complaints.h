// QCustomPlot reports misuse (a layout element index that does not exist, a layer it cannot find)
// with qDebug and carries on, so a chart can misbehave with only a line on the console. Suites that
// draw charts collect those lines and fail the test function that caused one.
#pragma once

#include <QString>
#include <QTest>
#include <QStringList>
#include <QtGlobal>

namespace qcp_complaints_detail {
inline QStringList& heard() {
    static QStringList lines;
    return lines;
}
inline QtMessageHandler& previous() {
    static QtMessageHandler h = nullptr;
    return h;
}
inline void handler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    // QCustomPlot's messages start with the function's signature, which names one of its QCP classes
    if (message.contains(QLatin1String("QCP"))) heard() << message;
    if (QtMessageHandler h = previous()) h(type, context, message);
}
}  // namespace qcp_complaints_detail

// Call once in initTestCase(), after QTest has installed its own handler (the lines still reach it).
inline void listenForQcpComplaints() {
    qcp_complaints_detail::previous() = qInstallMessageHandler(qcp_complaints_detail::handler);
}

// The lines heard since the last call, emptied.
inline QStringList takeQcpComplaints() {
    QStringList lines;
    lines.swap(qcp_complaints_detail::heard());
    return lines;
}

// For a suite's cleanup(): fails the test function whose charts made QCustomPlot complain, quoting it.
inline void failOnQcpComplaints() {
    const QStringList heard = takeQcpComplaints();
    if (!heard.isEmpty()) QTest::qFail(qPrintable(heard.join(QLatin1Char('\n'))), __FILE__, __LINE__);
}
