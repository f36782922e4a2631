// Starts the QuantLens window. (The main window arrives with the GUI issue.)
#include "gui_main.h"

#include <QApplication>
#include <QLabel>

namespace ql {

int run_gui(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("QuantLens"));
    QApplication::setOrganizationName(QStringLiteral("QuantLens"));
    QLabel label(QObject::tr("QuantLens"));
    label.resize(640, 400);
    label.show();
    return app.exec();
}

} // namespace ql
