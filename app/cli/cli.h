// Headless command line of the quantlens binary: subcommands share core's AnalysisRequest path with the
// GUI. Each subcommand lives in its own cmd_*.cpp and is listed in the table in cli.cpp.
#pragma once

#include <string>
#include <vector>

namespace ql::cli {

// Entry point for the whole binary: dispatches to a subcommand or starts the GUI.
int main(int argc, char** argv);

// A subcommand gets its arguments after the subcommand's name and returns the process exit code
// (0 ok, 1 failure while running, 2 bad arguments). Output goes to stdout, errors to stderr.
using Command = int (*)(const std::vector<std::string>& args);

struct CommandInfo {
    const char* name;
    const char* summary;   // one line for `quantlens --help`
    Command run;
};

const std::vector<CommandInfo>& commands();

} // namespace ql::cli
