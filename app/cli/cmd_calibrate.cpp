// quantlens calibrate: RTN, GPTQ, AWQ, AWQ + clip and SmoothQuant W8A8 on one layer with calibration
// activations, headless; the same run_calibration() the GUI calls.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "core/calibration/calibration.h"
#include "core/calibration/calibration_json.h"

namespace ql::cli {

namespace {

const char* const kCalibrateHelp =
    "usage: quantlens calibrate [--method M] [--weights W.npy [--activations X.npy]] [options] [--json [--details]]\n"
    "\n"
    "Quantizes one linear layer y = x W^T with calibration activations X and reports, per method, the\n"
    "relative layer-output error ||X W^T - X Wq^T||^2 / ||X W^T||^2 and the weight MSE.\n"
    "\n"
    "  --method M           rtn|gptq|awq|awq_clip|smoothquant|all, or a comma list (default all)\n"
    "  --weights W.npy      weight [out, in]; without it a layer is generated\n"
    "  --activations X.npy  activations [tokens, in] (or [batch, seq, in]); without it, X is generated\n"
    "  --bits B             weight bits of RTN/GPTQ/AWQ, 2..8 (default 4)\n"
    "  --group-size G       input columns per (scale, zero) group, or -1 for one per row (default 128)\n"
    "  --alpha A            SmoothQuant migration strength 0..1 (default 0.5)\n"
    "  --act-order          GPTQ: quantize columns by descending Hessian diagonal\n"
    "  --percdamp P         GPTQ dampening, fraction of mean(diag H) (default 0.01)\n"
    "  --blocksize N        GPTQ lazy-batch block (default 128)\n"
    "  --hinv reversed|reference  GPTQ: how U = chol(H^-1, upper) is computed (default reversed)\n"
    "generated layer (and generated X for --weights alone):\n"
    "  --tokens N           calibration tokens (default 1024)\n"
    "  --in I --out O       input and output features (default 1024 x 1024)\n"
    "  --seed S             (default 42)\n"
    "  --outlier-channels K input channels 20-100x larger (default 4)\n"
    "  --correlation C      low-rank channel correlation 0..<1 (default 0.5)\n"
    "output:\n"
    "  --json               one JSON object: {\"layer\", \"settings\", \"methods\": [{\"method\",\n"
    "                       \"relative_output_error\", \"weight_mse\", ...method values}], \"warnings\"}\n"
    "  --details            with --json: the chart arrays (GPTQ per-column loss and Hessian diagonal,\n"
    "                       AWQ curve and scales, SmoothQuant per-channel maxima and histograms)\n";

} // namespace

int cmd_calibrate(const std::vector<std::string>& argv) {
    Args a(argv,
           {"method", "weights", "activations", "bits", "group-size", "alpha", "tokens", "in", "out", "seed", "percdamp",
            "blocksize", "outlier-channels", "correlation", "hinv"},
           {"help", "json", "details", "act-order"});
    if (a.flag("help")) {
        std::printf("%s", kCalibrateHelp);
        return 0;
    }
    if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
    calib::CalibrationRequest req;
    if (!calib::parse_calib_methods(a.get_or("method", "all"), req.methods))
        throw UsageError("--method must be rtn, gptq, awq, awq_clip, smoothquant, all, or a comma list of them");
    auto& s = req.settings;
    s.bits = static_cast<int>(a.get_int("bits", 4));
    if (s.bits < 2 || s.bits > 8) throw UsageError("--bits must be 2..8");
    const std::int64_t g = a.get_int("group-size", 128);
    if (g == 0 || g < -1 || g > (1 << 20)) throw UsageError("--group-size must be a positive number of columns, or -1 for one group per row");
    s.group_size = static_cast<int>(g);
    s.alpha = a.get_double("alpha", 0.5);
    if (!(s.alpha >= 0.0 && s.alpha <= 1.0)) throw UsageError("--alpha must be in [0, 1]");
    s.act_order = a.flag("act-order");
    s.percdamp = a.get_double("percdamp", 0.01);
    if (!(s.percdamp > 0.0 && s.percdamp < 1e6)) throw UsageError("--percdamp must be > 0");
    const std::int64_t bs = a.get_int("blocksize", 128);
    if (bs < 1 || bs > 65536) throw UsageError("--blocksize must be 1..65536");
    s.blocksize = static_cast<int>(bs);
    const std::string hinv = a.get_or("hinv", "reversed");
    if (hinv == "reversed") s.hinv = calib::HinvMethod::Reversed;
    else if (hinv == "reference") s.hinv = calib::HinvMethod::Reference;
    else throw UsageError("--hinv must be reversed or reference");

    auto& spec = req.source.spec;
    auto side = [&](const char* name, std::int64_t fallback) {
        const std::int64_t v = a.get_int(name, fallback);
        if (v < 1 || v > 65536) throw UsageError(std::string("--") + name + " must be 1..65536");
        return v;
    };
    spec.tokens = side("tokens", 1024);
    spec.in = side("in", 1024);
    spec.out = side("out", 1024);
    spec.seed = static_cast<std::uint64_t>(a.get_int("seed", 42));
    const std::int64_t k = a.get_int("outlier-channels", 4);
    if (k < 0 || k > 65536) throw UsageError("--outlier-channels must be 0..65536");
    spec.outlier_channels = static_cast<int>(k);
    spec.correlation = a.get_double("correlation", 0.5);
    if (!(spec.correlation >= 0.0 && spec.correlation < 1.0)) throw UsageError("--correlation must be in [0, 1)");

    const bool has_w = a.has("weights"), has_x = a.has("activations");
    if (has_x && !has_w) throw UsageError("--activations needs --weights");
    if (has_w && (a.has("in") || a.has("out"))) throw UsageError("--in/--out describe a generated layer; --weights gives its own shape");
    if (has_w && has_x) {
        req.source.kind = calib::LayerSource::Kind::Files;
        req.source.weights_path = a.require("weights");
        req.source.activations_path = a.require("activations");
    } else if (has_w) {
        req.source.kind = calib::LayerSource::Kind::WeightFile;
        req.source.weights_path = a.require("weights");
    }

    const calib::CalibrationReport r = calib::run_calibration(req);
    if (!r.error.empty()) {
        std::fprintf(stderr, "quantlens calibrate: %s\n", r.error.c_str());
        return 1;
    }
    if (a.flag("json")) {
        std::printf("%s\n", calib::to_json(r, a.flag("details")).dump(2).c_str());
    } else {
        std::printf("layer %s: W %lld x %lld, X %lld tokens; %d-bit weights, group %d\n", r.layer.name.c_str(),
                    static_cast<long long>(r.layer.out), static_cast<long long>(r.layer.in), static_cast<long long>(r.layer.tokens), s.bits,
                    s.group_size);
        std::printf("  %-26s %14s %14s %9s  %s\n", "method", "rel. out err", "weight MSE", "time s", "method values");
        for (const auto& m : r.methods) {
            std::string vals;
            for (const auto& v : m.values) {
                char buf[80];
                std::snprintf(buf, sizeof buf, "%s%s=%.6g", vals.empty() ? "" : " ", v.name.c_str(), v.value);
                vals += buf;
            }
            std::printf("  %-26s %14.6e %14.6e %9.3f  %s\n", m.method.c_str(), m.error.relative_output_error, m.error.weight_mse, m.seconds,
                        vals.c_str());
        }
        for (const auto& w : r.warnings) std::printf("warning: %s\n", w.c_str());
    }
    // A method that could not run (e.g. GPTQ with H never positive definite) is a failure of the run.
    return r.failed.empty() ? 0 : 1;
}

} // namespace ql::cli
