// Starts the QuantLens window (QApplication, translations, main window) and runs the event loop.
#pragma once

namespace ql {
int run_gui(int argc, char** argv);
}
