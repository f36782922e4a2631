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

#include "examples.h"
#include "main_window.h"

namespace ql {

namespace ui {

void setupApplication(QApplication& app, const char* lang) {
    QApplication::setApplicationName(QStringLiteral("QuantLens"));
    QApplication::setOrganizationName(QStringLiteral("QuantLens"));
    QApplication::setApplicationVersion(QStringLiteral(QL_VERSION));
    const QByteArray want = lang && *lang ? QByteArray(lang) : QLocale::system().name().toLatin1();
    auto* own = new QTranslator(&app);
    if (own->load(QString::fromLatin1(translationFile(want.constData())))) QApplication::installTranslator(own);
    if (want.startsWith("zh")) {
        auto* qt = new QTranslator(&app);
        if (qt->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) QApplication::installTranslator(qt);
    }
}

const char* translationFile(const char* lang) {
    return lang && std::strncmp(lang, "zh", 2) == 0 ? ":/i18n/quantlens_zh_CN.qm" : ":/i18n/quantlens_en.qm";
}

GuiArguments split_gui_arguments(int argc, char** argv) {
    GuiArguments out;
    for (int i = 0; i < argc; ++i) {
        const char* a = argv[i];
        if (i > 0 && (std::strcmp(a, "--session") == 0 || std::strcmp(a, "-session") == 0)) {
            out.own.emplace_back("--session");
            if (i + 1 < argc) out.own.emplace_back(argv[++i]);
            continue;
        }
        if (i > 0 && std::strncmp(a, "--session=", 10) == 0) {
            out.own.emplace_back("--session");
            out.own.emplace_back(a + 10);
            continue;
        }
        out.qt.push_back(argv[i]);
    }
    return out;
}

} // namespace ui

int run_gui(int argc, char** argv) {
    ui::GuiArguments split = ui::split_gui_arguments(argc, argv);
    int qt_argc = static_cast<int>(split.qt.size());
    split.qt.push_back(nullptr);  // argv[argc] is a null pointer
    QApplication app(qt_argc, split.qt.data());
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
    QCommandLineOption exampleOpt(QStringList{QStringLiteral("example")},
                                  QStringLiteral("Open a classroom example (File > Examples): %1.").arg(ui::exampleIds()),
                                  QStringLiteral("ID"));
    p.addOption(session);
    p.addOption(language);
    p.addOption(viewOpt);
    p.addOption(exampleOpt);
    p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("A weights file to analyse."));
    QStringList args = QCoreApplication::arguments();  // without the options Qt took
    for (const std::string& a : split.own) args << QString::fromLocal8Bit(a.c_str());
    p.process(args);
    const QByteArray langArg = p.value(language).toLatin1();
    ui::setupApplication(app, p.isSet(language) ? langArg.constData() : lang);
    if (p.isSet(exampleOpt) && !ui::findExample(p.value(exampleOpt))) {
        QString error;
        (void)ui::loadExample(p.value(exampleOpt), &error);
        std::fprintf(stderr, "quantlens: %s\n", qPrintable(error));
        return 2;
    }
    ui::MainWindow w;
    w.show();
    if (p.isSet(session)) w.openSession(p.value(session));
    else if (p.isSet(exampleOpt)) w.openExample(p.value(exampleOpt));
    else if (!p.positionalArguments().isEmpty()) w.loadTensorFile(p.positionalArguments().first());
    if (p.isSet(viewOpt) && !w.showDock(p.value(viewOpt))) {
        std::fprintf(stderr, "quantlens: no panel named '%s' (speed, calibration, metrics, setup, modelBrowser)\n", qPrintable(p.value(viewOpt)));
        return 2;
    }
    return app.exec();
}

} // namespace ql
