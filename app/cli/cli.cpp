// Subcommand table and dispatch for the quantlens binary.
#include "cli/cli.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "cli/args.h"
#include "examples.h"
#include "gui_main.h"

namespace ql::cli {

int cmd_info(const std::vector<std::string>&);
int cmd_survey(const std::vector<std::string>&);
int cmd_generate(const std::vector<std::string>&);
int cmd_quantize(const std::vector<std::string>&);
int cmd_stats(const std::vector<std::string>&);
int cmd_memory(const std::vector<std::string>&);
int cmd_bench(const std::vector<std::string>&);
int cmd_export(const std::vector<std::string>&);
int cmd_compare(const std::vector<std::string>&);
int cmd_calibrate(const std::vector<std::string>&);
int cmd_speed(const std::vector<std::string>&);

const std::vector<CommandInfo>& commands() {
    static const std::vector<CommandInfo> table = {
        {"generate", "write a seeded weight tensor (normal, uniform, Laplace, Student-t) to .npy", cmd_generate},
        {"quantize", "quantize a tensor; write the dequantized values and codes to .npy", cmd_quantize},
        {"info", "list a weights file's tensors (shape, dtype, bytes) and metadata: npy/npz/safetensors/gguf/onnx/tfjs", cmd_info},
        {"survey", "quantize every weight tensor of a model: SQNR per tensor and memory per format", cmd_survey},
        {"stats", "error metrics (MSE, SNR, SQNR ...) and storage of one configuration", cmd_stats},
        {"memory", "model memory per format in GB and GiB, and which GPUs it fits", cmd_memory},
        {"export", "render every chart of a session (or the demo) to PNG/JPG/PDF/SVG without a window", cmd_export},
        {"compare", "every format on one tensor: bits per weight, MSE, SQNR, cosine, max error", cmd_compare},
        {"bench", "benchmarks, each next to a plain memory read measured in the same run", cmd_bench},
        {"speed", "time fp32/int8/4-bit matrix products on this CPU next to a plain read; decode tokens/s", cmd_speed},
        {"calibrate", "RTN, GPTQ, AWQ and SmoothQuant on one layer with calibration activations", cmd_calibrate},
    };
    return table;
}

static void print_help() {
    std::printf("QuantLens %s: see what quantization does to neural-network weights.\n\n", QL_VERSION);
    std::printf("usage: quantlens [FILE | --session FILE | --example ID]   open the window\n");
    std::printf("       quantlens COMMAND [options]                        run headless\n\ncommands:\n");
    for (const auto& c : commands()) std::printf("  %-10s %s\n", c.name, c.summary);
    std::printf("\nexamples (File > Examples; --example ID, or export --example ID headless):\n  %s\n", qPrintable(ui::exampleIds()));
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
        // a word that names no command and no file (a mistyped command): said here, where the window
        // would have opened to say it cannot load the file
        if (first[0] != '-' && std::strchr(first, '.') == nullptr && std::strchr(first, '/') == nullptr && !std::filesystem::exists(first)) {
            std::fprintf(stderr, "quantlens: '%s' is neither a command nor a file (quantlens --help lists the commands)\n", first);
            return 2;
        }
    }
#if defined(__linux__)
    // Without a display Qt aborts with a message about platform plugins; say what to do instead.
    const bool platformGiven = std::getenv("QT_QPA_PLATFORM") != nullptr ||
                               std::any_of(argv + 1, argv + argc, [](const char* a) { return std::strcmp(a, "-platform") == 0; });
    if (!platformGiven && std::getenv("DISPLAY") == nullptr && std::getenv("WAYLAND_DISPLAY") == nullptr) {
        std::fprintf(stderr,
                     "quantlens: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
                     "Headless, the same charts: quantlens export --demo --out DIR, or export --session FILE --out DIR;\n"
                     "quantlens --help lists every command.\n");
        return 1;
    }
#endif
    return ql::run_gui(argc, argv);
}

} // namespace ql::cli
