// Runs the quantlens binary as a user would, for the tests of its headless commands: exit code
// (-1 when it crashed or did not finish in time), standard output and standard error.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>

namespace ql::test {

struct Run {
    int code = -1;
    QByteArray out, err;
};

inline Run run(const QStringList& args, int timeoutMs = 120000) {
    QProcess p;
    p.start(QStringLiteral(QL_QUANTLENS_BIN), args);
    p.waitForFinished(timeoutMs);
    return Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(), p.readAllStandardError()};
}

} // namespace ql::test
