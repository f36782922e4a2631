// quantlens quantize and quantlens stats: one configuration applied to one tensor, headless.
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/analysis.h"
#include "core/npy.h"
#include "core/quantizer.h"
#include "core/report_json.h"
#include "metrics_model.h"

namespace ql::cli {

int cmd_quantize(const std::vector<std::string>& argv) {
    Args a(argv, merge({config_options(), {"out", "codes", "tensor"}}), {"help"});
    if (a.flag("help")) {
        std::printf("usage: quantlens quantize IN [--tensor NAME] [options] --out OUT.npy [--codes CODES.npy]\n\n"
                    "Writes the dequantized float32 tensor to OUT (and the int8 codes to CODES).\n\n%s", kConfigHelp);
        return 0;
    }
    const std::string out = a.require("out");
    const QuantConfig c = config_from_args(a);
    auto t = input_tensor(a, false);
    if (std::string why = validate(c, t->shape); !why.empty()) throw UsageError(why);
    QuantizedTensor q = quantize(*t, c);
    if (auto st = write_npy(out, q.dequantized); !st) {
        std::fprintf(stderr, "quantlens quantize: %s\n", st.error().message().c_str());
        return 1;
    }
    if (auto codes = a.get("codes")) {
        if (auto st = write_npy_int8(*codes, t->shape, q.codes.data()); !st) {
            std::fprintf(stderr, "quantlens quantize: %s\n", st.error().message().c_str());
            return 1;
        }
    }
    std::printf("%s: %s -> %s, %.4f bits per weight, %llu bytes (%.4f GB, %.4f GiB)\n", t->name.c_str(), c.describe().c_str(),
                out.c_str(), q.storage.bits_per_weight, static_cast<unsigned long long>(q.storage.bytes),
                static_cast<double>(q.storage.bytes) / 1e9, static_cast<double>(q.storage.bytes) / 1073741824.0);
    return 0;
}

int cmd_stats(const std::vector<std::string>& argv) {
    Args a(argv, merge({config_options(), generator_options(), {"tensor", "bins"}}), {"help", "json", "generate", "full"});
    if (a.flag("help")) {
        std::printf("usage: quantlens stats (IN [--tensor NAME] | --generate [generator options]) [options] [--json [--full]]\n\n"
                    "Error metrics, storage and tensor summary of one configuration.\n"
                    "--json --full adds the histograms, the sample values, the per-channel errors and the SNR at\n"
                    "2-8 bits (INT and HQQ; HQQ solves the tensor at each bit width).\n\n%s\nGenerator:\n%s",
                    kConfigHelp, kGeneratorHelp);
        return 0;
    }
    const QuantConfig c = config_from_args(a);
    AnalysisRequest req;
    req.tensor = input_tensor(a, true);
    if (std::string why = validate(c, req.tensor->shape); !why.empty()) throw UsageError(why);
    req.configs = {c};
    req.options.histogram_bins = static_cast<int>(a.get_int("bins", 100));
    req.options.layer_sim.enabled = false;
    req.options.snr_sweep = a.flag("full");
    const AnalysisReport r = analyze(req);
    const ConfigReport& cr = r.configs.at(0);
    if (!cr.error.empty()) {
        std::fprintf(stderr, "quantlens stats: %s\n", cr.error.c_str());
        return 1;
    }
    if (a.flag("json")) {
        std::printf("%s\n", to_json(r, a.flag("full")).dump(2).c_str());
        return 0;
    }
    const auto& m = cr.metrics;
    std::printf("tensor   %s  shape %s  min %.6g  max %.6g  mean %.6g  std %.6g\n", r.tensor.name.c_str(),
                req.tensor->shape_string().c_str(), r.tensor.min, r.tensor.max, r.tensor.mean, r.tensor.std);
    if (m.nonfinite) std::printf("         %llu non-finite values left out\n", static_cast<unsigned long long>(m.nonfinite));
    std::printf("config   %s\n", c.describe().c_str());
    if (m.nonfinite_dq)
        std::printf("         %llu values dequantize to +-inf or NaN\n", static_cast<unsigned long long>(m.nonfinite_dq));
    for (const auto& w : r.warnings) std::fprintf(stderr, "quantlens stats: warning: %s\n", w.c_str());
    std::printf("MSE      %.6g\nRMSE     %.6g\nMAE      %.6g\nmax err  %.6g\n", m.mse, m.rmse, m.mae, m.max_abs);
    std::printf("SNR      %.2f dB\nSQNR     %.2f dB\ncosine   %.8f\n", m.snr_db, m.sqnr_db, m.cosine);
    std::printf("levels   %llu used, %llu values clipped\n", static_cast<unsigned long long>(m.levels_used), static_cast<unsigned long long>(m.clipped));
    if (m.clipped > 0) {
        // why, in the format's own terms (the metrics table's tooltip), wrapped under the line above
        std::string line = "        ";
        for (const QString& word : ui::MetricsModel::clippingReason(c).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (line.size() > 9 && line.size() + 1 + static_cast<std::size_t>(word.size()) > 100) {
                std::printf("%s\n", line.c_str());
                line = "        ";
            }
            line += " " + word.toStdString();
        }
        std::printf("%s\n", line.c_str());
    }
    std::printf("storage  %.4f bits per weight, %llu bytes = %.6f GB = %.6f GiB\n", cr.storage.bits_per_weight,
                static_cast<unsigned long long>(cr.storage.bytes), static_cast<double>(cr.storage.bytes) / 1e9,
                static_cast<double>(cr.storage.bytes) / 1073741824.0);
    if (const double padding = padding_worth_saying(cr.storage, r.tensor.numel); padding > 0)
        std::printf("         %.0f%% of the codes stored are padding (each row's last block is stored whole)\n", 100.0 * padding);
    std::printf("layer    output error (X W^T, batch %d): mean |dY| %.6g, max %.6g, %.3f%% of mean |Y|\n",
                req.options.forward_batch, cr.forward.mean_abs, cr.forward.max_abs, cr.forward.mean_rel_pct);
    return 0;
}

} // namespace ql::cli
