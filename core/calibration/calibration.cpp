// Runs the calibration methods on one layer and collects the report (see calibration.h).
#include "core/calibration/calibration.h"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "core/host_memory.h"
#include "core/npy.h"

namespace ql::calib {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Maps a stage's own (done, total) onto 1000 units of the whole job.
ProgressFn stage_progress(const ProgressFn& outer, std::size_t stage, std::size_t stages) {
    if (!outer) return {};
    return [outer, stage, stages](std::size_t done, std::size_t total) {
        const std::size_t part = total ? done * 1000 / total : 1000;
        return outer(stage * 1000 + part, stages * 1000);
    };
}

std::string check_settings(const CalibrationSettings& s) {
    if (s.bits < 2 || s.bits > 8) return "bits must be 2..8 (got " + std::to_string(s.bits) + ")";
    if (s.group_size == 0) return "group size must be > 0, or -1 for one group per row";
    if (s.blocksize < 1) return "GPTQ block size must be >= 1";
    if (!(s.percdamp > 0.0 && s.percdamp < 1e6)) return "GPTQ percdamp must be > 0";
    if (!(s.alpha >= 0.0 && s.alpha <= 1.0)) return "SmoothQuant alpha must be in [0, 1]";
    if (s.awq_n_grid < 1 || s.awq_n_sample_token < 1) return "AWQ grid and sample sizes must be >= 1";
    if (s.histogram_bins < 1 || s.histogram_bins > 100000) return "histogram bins must be 1..100000";
    return {};
}

} // namespace

const char* calib_method_name(CalibMethod m) {
    switch (m) {
    case CalibMethod::Rtn: return "rtn";
    case CalibMethod::Gptq: return "gptq";
    case CalibMethod::Awq: return "awq";
    case CalibMethod::AwqClip: return "awq_clip";
    case CalibMethod::SmoothQuant: return "smoothquant";
    }
    return "rtn";
}

std::vector<CalibMethod> all_calib_methods() {
    return {CalibMethod::Rtn, CalibMethod::Gptq, CalibMethod::Awq, CalibMethod::AwqClip, CalibMethod::SmoothQuant};
}

bool parse_calib_methods(const std::string& text, std::vector<CalibMethod>& out) {
    if (text == "all") {
        out = all_calib_methods();
        return true;
    }
    std::vector<CalibMethod> r;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        bool found = false;
        for (CalibMethod m : all_calib_methods())
            if (item == calib_method_name(m)) {
                if (std::find(r.begin(), r.end(), m) == r.end()) r.push_back(m);
                found = true;
            }
        if (!found) return false;
    }
    if (r.empty()) return false;
    out = std::move(r);
    return true;
}

Result<CalibLayer> build_layer(const LayerSource& s) {
    switch (s.kind) {
    case LayerSource::Kind::Generated:
        try {
            return generate_layer(s.spec);
        } catch (const std::invalid_argument& e) {
            return make_error("generated layer", e.what());
        }
    case LayerSource::Kind::Files: return load_layer(s.weights_path, s.activations_path);
    case LayerSource::Kind::WeightFile: {
        auto w = read_npy(s.weights_path);
        if (!w) return w.error();
        w->name = s.weights_path;
        return layer_from_weight(*w, s.spec);
    }
    case LayerSource::Kind::Tensors:
        if (!s.weights || !s.activations) return make_error("calibration layer", "weights and activations tensors must both be given");
        return layer_from_tensors(*s.weights, *s.activations);
    case LayerSource::Kind::WeightTensor:
        if (!s.weights) return make_error("calibration layer", "no weight tensor given");
        return layer_from_weight(*s.weights, s.spec);
    }
    return make_error("calibration layer", "unknown layer source");
}

double calibration_extra_bytes(std::int64_t out, std::int64_t in, std::int64_t tokens, const std::vector<CalibMethod>& methods) {
    const double O = static_cast<double>(out), I = static_cast<double>(in), T = static_cast<double>(tokens);
    double floats = 2 * T * O + 2 * O * I;  // Y and X (W - Wq)^T; Wq and W - Wq
    if (std::find(methods.begin(), methods.end(), CalibMethod::Gptq) != methods.end()) floats += I * I;
    if (std::find(methods.begin(), methods.end(), CalibMethod::SmoothQuant) != methods.end()) floats += O * I + T * I;
    return 4 * floats;
}

namespace {

// The layer's own W and X and what the methods add, against the available memory; the reason, or "".
std::string memory_refusal(std::int64_t out, std::int64_t in, std::int64_t tokens, const std::vector<CalibMethod>& methods,
                           bool layer_allocated) {
    const double layer = layer_allocated ? 0.0 : 4.0 * (static_cast<double>(out) * static_cast<double>(in) +
                                                        static_cast<double>(tokens) * static_cast<double>(in));
    try {
        require_memory(layer + calibration_extra_bytes(out, in, tokens, methods),
                       "calibration: a layer of " + std::to_string(out) + " x " + std::to_string(in) + " with " +
                           std::to_string(tokens) + " tokens");
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return {};
}

} // namespace

CalibrationReport run_calibration(const CalibrationRequest& request, const ProgressFn& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    CalibrationReport rep;
    rep.settings = request.settings;
    if (auto e = check_settings(request.settings); !e.empty()) {
        rep.error = e;
        return rep;
    }
    // a generated layer's sizes are known before it is built: refuse one that cannot fit
    const LayerSource& src = request.source;
    if (src.kind == LayerSource::Kind::Generated || (src.kind == LayerSource::Kind::WeightTensor && src.weights && src.weights->rank() >= 2)) {
        const bool generated = src.kind == LayerSource::Kind::Generated;
        const std::int64_t out = generated ? src.spec.out : src.weights->rows(), in = generated ? src.spec.in : src.weights->cols();
        if (out > 0 && in > 0 && src.spec.tokens > 0)
            if (std::string why = memory_refusal(out, in, src.spec.tokens, request.methods, false); !why.empty()) {
                rep.error = why;
                return rep;
            }
    }
    auto layer = build_layer(request.source);
    if (!layer) {
        rep.error = layer.error().message();
        return rep;
    }
    const std::size_t stages = request.methods.size() + 1;
    if (!report_progress(progress, 1000, stages * 1000)) {
        rep.cancelled = true;
        return rep;
    }
    ProgressFn shifted;
    if (progress)
        shifted = [&](std::size_t done, std::size_t total) { return progress(1000 + done * (stages - 1) * 1000 / std::max<std::size_t>(total, 1), stages * 1000); };
    rep = run_calibration_on(*layer, request.methods, request.settings, shifted);
    rep.compute_seconds = seconds_since(t0);
    return rep;
}

CalibrationReport run_calibration_on(const CalibLayer& layer, const std::vector<CalibMethod>& methods,
                                     const CalibrationSettings& s, const ProgressFn& progress) {
    const auto t_all = std::chrono::steady_clock::now();
    CalibrationReport rep;
    rep.settings = s;
    if (auto e = check_settings(s); !e.empty()) {
        rep.error = e;
        return rep;
    }
    if (std::string why = memory_refusal(layer.out(), layer.in(), layer.tokens(), methods, true); !why.empty()) {
        rep.error = why;
        return rep;
    }
    rep.layer.name = layer.name;
    rep.layer.out = layer.out();
    rep.layer.in = layer.in();
    rep.layer.tokens = layer.tokens();
    rep.layer.outlier_channels = layer.outlier_channels;
    rep.layer.outlier_scales = layer.outlier_scales;
    const LayerObjective objective(layer);
    rep.layer.output_energy = objective.output_energy();

    const bool want_awq = std::count(methods.begin(), methods.end(), CalibMethod::Awq) > 0;
    const bool want_clip = std::count(methods.begin(), methods.end(), CalibMethod::AwqClip) > 0;
    const std::size_t stages = methods.size();
    for (std::size_t k = 0; k < methods.size(); ++k) {
        const ProgressFn sp = stage_progress(progress, k, stages);
        const auto t0 = std::chrono::steady_clock::now();
        switch (methods[k]) {
        case CalibMethod::Rtn: {
            MethodResult m;
            m.method = "rtn";
            m.error = objective.weight_only(rtn_quantize(layer.W, s.bits, s.group_size));
            m.values = {{"groups_per_row", static_cast<double>(group_count(layer.in(), s.group_size))}};
            m.seconds = seconds_since(t0);
            rep.methods.push_back(std::move(m));
            break;
        }
        case CalibMethod::Gptq: {
            GptqOptions o;
            o.bits = s.bits;
            o.group_size = s.group_size;
            o.blocksize = s.blocksize;
            o.percdamp = s.percdamp;
            o.act_order = s.act_order;
            o.hinv = s.hinv;
            GptqResult g = gptq_quantize(layer.W, layer.X, o, sp);
            if (g.cancelled) {
                rep.cancelled = true;
                return rep;
            }
            for (const auto& n : g.notes) rep.warnings.push_back("GPTQ: " + n);
            if (!g.error.empty()) {
                rep.warnings.push_back(g.error);
                rep.failed.push_back("gptq");
                rep.gptq = std::move(g);
                break;
            }
            MethodResult m;
            m.method = "gptq";
            m.error = objective.weight_only(g.Wq);
            m.values = {{"loss", g.loss},
                        {"percdamp", g.percdamp_used},
                        {"damp", g.damp},
                        {"damp_retries", static_cast<double>(g.damp_retries)},
                        {"dead_columns", static_cast<double>(g.dead_columns.size())},
                        {"act_order", s.act_order ? 1.0 : 0.0},
                        {"blocksize", static_cast<double>(s.blocksize)}};
            m.seconds = seconds_since(t0);
            rep.methods.push_back(std::move(m));
            g.Wq.resize(0, 0);
            rep.gptq = std::move(g);
            break;
        }
        case CalibMethod::Awq:
        case CalibMethod::AwqClip: {
            // One scale search serves both: run it (with clipping when awq_clip is asked for) the
            // first time either method comes up.
            if (!rep.awq) {
                AwqOptions o;
                o.bits = s.bits;
                o.group_size = s.group_size;
                o.n_grid = s.awq_n_grid;
                o.n_sample_token = s.awq_n_sample_token;
                o.clip = want_clip;
                AwqResult a = awq_quantize(layer.W, layer.X, o, sp);
                if (a.cancelled) {
                    rep.cancelled = true;
                    return rep;
                }
                if (!a.error.empty()) {
                    rep.warnings.push_back(a.error);
                    if (want_awq) rep.failed.push_back("awq");
                    if (want_clip) rep.failed.push_back("awq_clip");
                    rep.awq = std::move(a);
                    break;
                }
                const double secs = seconds_since(t0);
                for (bool clip : {false, true}) {
                    if (clip ? !want_clip : !want_awq) continue;
                    MethodResult m;
                    m.method = clip ? "awq_clip" : "awq";
                    m.error = objective.weight_only(clip ? a.Wq_clip : a.Wq);
                    m.values = {{"ratio", a.ratio}, {"loss", a.loss}};
                    if (clip) m.values.push_back({"clip_tokens", static_cast<double>(a.clip_tokens)});
                    m.seconds = clip ? a.search_seconds + a.clip_seconds : (want_clip ? a.search_seconds : secs);
                    rep.methods.push_back(std::move(m));
                }
                a.Wq.resize(0, 0);
                a.Wq_clip.resize(0, 0);
                rep.awq = std::move(a);
            }
            break;
        }
        case CalibMethod::SmoothQuant: {
            SmoothQuantOptions o;
            o.alpha = s.alpha;
            o.histogram_bins = s.histogram_bins;
            SmoothQuantResult q = smoothquant_w8a8(layer, objective, o);
            if (!q.error.empty()) {
                rep.warnings.push_back(q.error);
                rep.failed.push_back("smoothquant");
                rep.smoothquant = std::move(q);
                break;
            }
            const double secs = seconds_since(t0);
            for (const auto& v : q.variants) {
                MethodResult m;
                m.method = v.method;
                m.error = v.error;
                if (v.smoothed) m.values = {{"alpha", s.alpha}};
                m.seconds = secs;
                rep.methods.push_back(std::move(m));
            }
            rep.smoothquant = std::move(q);
            break;
        }
        }
        if (!report_progress(sp, 1, 1)) {
            rep.cancelled = true;
            return rep;
        }
    }
    rep.compute_seconds = seconds_since(t_all);
    return rep;
}

} // namespace ql::calib
