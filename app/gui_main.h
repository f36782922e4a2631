// Starts the QuantLens window (QApplication, translations, main window) and runs the event loop.
#pragma once

class QApplication;

namespace ql {

int run_gui(int argc, char** argv);

namespace ui {
// Application name/organisation (QSettings), translations for the system or chosen language.
// lang: "en", "zh_CN", or "" for the system locale.
void setupApplication(QApplication& app, const char* lang);
}

} // namespace ql
