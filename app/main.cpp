// quantlens: the desktop window, or a headless subcommand when the first argument names one
// (quantize, stats, generate, memory, export, bench, ...). See app/cli/cli.h.
#include "cli/cli.h"

int main(int argc, char** argv) { return ql::cli::main(argc, argv); }
