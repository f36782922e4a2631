// quantlens generate: a seeded weight tensor to a .npy file.
#include <cstdio>

#include "cli/cli_common.h"
#include "core/npy.h"

namespace ql::cli {

int cmd_generate(const std::vector<std::string>& argv) {
    Args a(argv, merge({generator_options(), {"out"}}), {"help"});
    if (a.flag("help")) {
        std::printf("usage: quantlens generate [options] --out W.npy\n\nA seeded tensor, the same on every machine.\n\n%s", kGeneratorHelp);
        return 0;
    }
    const std::string out = a.require("out");
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    const GeneratorSpec spec = generator_from_args(a);
    Tensor t;
    try {
        t = generate(spec);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
    auto st = write_npy(out, t);
    if (!st) {
        std::fprintf(stderr, "quantlens generate: %s\n", st.error().message().c_str());
        return 1;
    }
    std::printf("wrote %s: %s, float32, %.3g MB (10^6 bytes)\n", out.c_str(), describe(spec).c_str(),
                static_cast<double>(t.values.size()) * 4 / 1e6);
    return 0;
}

} // namespace ql::cli
