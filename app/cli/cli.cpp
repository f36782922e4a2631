// Subcommand table and dispatch for the quantlens binary.
#include "cli/cli.h"

#include <cstdio>
#include <cstring>

#include "cli/args.h"
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
