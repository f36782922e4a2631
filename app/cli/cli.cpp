// Subcommand table and dispatch for the quantlens binary.
#include "cli/cli.h"

#include <cstdio>
#include <cstring>

#include "cli/args.h"
#include "gui_main.h"

namespace ql::cli {

const std::vector<CommandInfo>& commands() {
    static const std::vector<CommandInfo> table = {
    };
    return table;
}

static void print_help() {
    std::printf("QuantLens %s: see what quantization does to neural-network weights.\n\n", QL_VERSION);
    std::printf("usage: quantlens [FILE | --session FILE]      open the window\n");
    std::printf("       quantlens COMMAND [options]            run headless\n\ncommands:\n");
    for (const auto& c : commands()) std::printf("  %-10s %s\n", c.name, c.summary);
    std::printf("\n`quantlens COMMAND --help` describes a command's options.\n");
}

int main(int argc, char** argv) {
    if (argc >= 2) {
        const char* first = argv[1];
        if (std::strcmp(first, "--help") == 0 || std::strcmp(first, "-h") == 0 || std::strcmp(first, "help") == 0) {
            print_help();
            return 0;
        }
        if (std::strcmp(first, "--version") == 0) {
            std::printf("quantlens %s\n", QL_VERSION);
            return 0;
        }
        for (const auto& c : commands()) {
            if (std::strcmp(first, c.name) == 0) {
                std::vector<std::string> args(argv + 2, argv + argc);
                try {
                    return c.run(args);
                } catch (const UsageError& e) {
                    std::fprintf(stderr, "quantlens %s: %s (see quantlens %s --help)\n", c.name, e.what(), c.name);
                    return 2;
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "quantlens %s: error: %s\n", c.name, e.what());
                    return 1;
                }
            }
        }
    }
    return ql::run_gui(argc, argv);
}

} // namespace ql::cli
