// Starts the QuantLens window: `quantlens`, `quantlens FILE`, `quantlens --session FILE`,
// `quantlens --view speed` (a panel in front at start, e.g. for a class).
#include "gui_main.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "main_window.h"

namespace ql {

namespace ui {

void setupApplication(QApplication& app, const char* lang) {
    QApplication::setApplicationName(QStringLiteral("QuantLens"));
    QApplication::setOrganizationName(QStringLiteral("QuantLens"));
    QApplication::setApplicationVersion(QStringLiteral(QL_VERSION));
    const QString want = lang && *lang ? QString::fromLatin1(lang) : QLocale::system().name();
    if (want.startsWith(QStringLiteral("zh"))) {
        auto* own = new QTranslator(&app);
        if (own->load(QStringLiteral(":/i18n/quantlens_zh_CN.qm"))) QApplication::installTranslator(own);
        auto* qt = new QTranslator(&app);
        if (qt->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) QApplication::installTranslator(qt);
    }
}

} // namespace ui

int run_gui(int argc, char** argv) {
    QApplication app(argc, argv);
    const char* lang = std::getenv("QUANTLENS_LANG");
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("QuantLens: see what quantization does to neural-network weights"));
    p.addHelpOption();
    p.addVersionOption();
    QCommandLineOption session(QStringList{QStringLiteral("session")}, QStringLiteral("Open a session file."), QStringLiteral("FILE"));
    QCommandLineOption language(QStringList{QStringLiteral("lang")}, QStringLiteral("Interface language: en or zh_CN."), QStringLiteral("LANG"));
    QCommandLineOption viewOpt(QStringList{QStringLiteral("view")},
                               QStringLiteral("Bring a panel to the front at start: speed, calibration, metrics, setup, modelBrowser."),
                               QStringLiteral("NAME"));
    p.addOption(session);
    p.addOption(language);
    p.addOption(viewOpt);
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A weights file to analyse."));
    p.process(app);
    const QByteArray langArg = p.value(language).toLatin1();
    ui::setupApplication(app, p.isSet(language) ? langArg.constData() : lang);
    ui::MainWindow w;
    w.show();
    if (p.isSet(session)) w.openSession(p.value(session));
    else if (!p.positionalArguments().isEmpty()) w.loadTensorFile(p.positionalArguments().first());
    if (p.isSet(viewOpt) && !w.showDock(p.value(viewOpt))) {
        std::fprintf(stderr, "quantlens: no panel named '%s' (speed, calibration, metrics, setup, modelBrowser)\n", qPrintable(p.value(viewOpt)));
        return 2;
    }
    return app.exec();
}

} // namespace ql
