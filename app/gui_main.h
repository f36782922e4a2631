// Starts the QuantLens window (QApplication, translations, main window) and runs the event loop.
#pragma once

#include <string>
#include <vector>

class QApplication;

namespace ql {

int run_gui(int argc, char** argv);

namespace ui {
// Application name/organisation (QSettings), translations for the system or chosen language.
// lang: "en", "zh_CN", or "" for the system locale.
void setupApplication(QApplication& app, const char* lang);
// The embedded translation for a language or locale name: Simplified Chinese for "zh...", else English,
// whose file carries the plural forms ("%n warning(s)" -> "1 warning", "2 warnings").
const char* translationFile(const char* lang);

// QApplication takes "-session ID" (also spelt "--session", the X11 session manager's option) out of
// argv before any parser of ours sees it, so `quantlens --session FILE` would open nothing. The session
// option is taken out first: `qt` is argv without it (for QApplication), `own` the option as QuantLens'
// parser should see it ("--session", then the value when one was given: "--session FILE",
// "--session=FILE" or "-session FILE").
struct GuiArguments {
    std::vector<char*> qt;
    std::vector<std::string> own;
};
GuiArguments split_gui_arguments(int argc, char** argv);
}

} // namespace ql
