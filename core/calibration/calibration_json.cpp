// JSON of calibration reports (see calibration_json.h for the layout).
#include "core/calibration/calibration_json.h"

#include <cmath>

#include "core/report_json.h"

namespace ql::calib {
namespace {

using nlohmann::json;

json num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

template <class T>
json nums(const std::vector<T>& v) {
    json a = json::array();
    for (const auto& x : v) a.push_back(num(static_cast<double>(x)));
    return a;
}

json params_json(const std::vector<GroupParams>& p, bool scale) {
    json a = json::array();
    for (const auto& g : p) a.push_back(num(scale ? g.scale : g.zero));
    return a;
}

} // namespace

json to_json(const CalibrationReport& r, bool details) {
    json j;
    j["layer"] = {{"name", r.layer.name},
                  {"out", r.layer.out},
                  {"in", r.layer.in},
                  {"tokens", r.layer.tokens},
                  {"outlier_channels", r.layer.outlier_channels},
                  {"outlier_scales", nums(r.layer.outlier_scales)},
                  {"output_energy", num(r.layer.output_energy)}};
    const auto& s = r.settings;
    j["settings"] = {{"bits", s.bits},
                     {"group_size", s.group_size},
                     {"blocksize", s.blocksize},
                     {"percdamp", s.percdamp},
                     {"act_order", s.act_order},
                     {"hinv", s.hinv == HinvMethod::Reversed ? "reversed" : "reference"},
                     {"awq_n_grid", s.awq_n_grid},
                     {"awq_n_sample_token", s.awq_n_sample_token},
                     {"alpha", s.alpha}};
    json methods = json::array();
    for (const auto& m : r.methods) {
        json o = {{"method", m.method},
                  {"relative_output_error", num(m.error.relative_output_error)},
                  {"weight_mse", num(m.error.weight_mse)},
                  {"output_mse", num(m.error.output_mse)},
                  {"seconds", num(m.seconds)}};
        for (const auto& v : m.values) o[v.name] = num(v.value);
        if ((m.method == "awq" || m.method == "awq_clip") && r.awq) o["loss_vs_ratio"] = nums(r.awq->loss_vs_ratio);
        if (m.method == "gptq" && r.gptq) o["notes"] = r.gptq->notes;
        methods.push_back(std::move(o));
    }
    j["methods"] = std::move(methods);
    j["warnings"] = r.warnings;
    j["failed"] = r.failed;
    j["cancelled"] = r.cancelled;
    if (!r.error.empty()) j["error"] = r.error;
    j["compute_seconds"] = num(r.compute_seconds);
    if (!details) return j;

    json d = json::object();
    if (r.gptq && r.gptq->error.empty()) {
        const auto& g = *r.gptq;
        d["gptq"] = {{"order", g.order},
                     {"hessian_diag", nums(g.hessian_diag)},
                     {"dead_columns", g.dead_columns},
                     {"column_loss", nums(g.column_loss)},
                     {"cumulative_loss", nums(g.cumulative_loss)},
                     {"column_weight_sq_error", nums(g.column_weight_sq_error)},
                     {"column_rtn_sq_error", nums(g.column_rtn_sq_error)},
                     {"groups", g.groups},
                     {"group_of_column", g.group_of_column},
                     {"scales", params_json(g.params, true)},
                     {"zeros", params_json(g.params, false)},
                     {"hessian_seconds", g.hessian_seconds},
                     {"factor_seconds", g.factor_seconds},
                     {"quant_seconds", g.quant_seconds},
                     {"finish_seconds", g.finish_seconds}};
    }
    if (r.awq && r.awq->error.empty()) {
        const auto& a = *r.awq;
        json o = {{"ratios", nums(a.ratios)},
                  {"loss_vs_ratio", nums(a.loss_vs_ratio)},
                  {"best_index", a.best_index},
                  {"ratio", a.ratio},
                  {"x_mean", nums(a.x_mean)},
                  {"scales", nums(a.scales)}};
        if (!a.clip_max.empty()) {
            o["groups"] = a.groups;
            o["clip_max"] = nums(a.clip_max);
            o["clip_fraction"] = nums(a.clip_fraction);
            o["clip_tokens"] = a.clip_tokens;
        }
        d["awq"] = std::move(o);
    }
    if (r.smoothquant && r.smoothquant->error.empty()) {
        const auto& q = *r.smoothquant;
        d["smoothquant"] = {{"alpha", q.alpha},
                            {"scales", nums(q.scales)},
                            {"act_absmax_before", nums(q.act_absmax_before)},
                            {"act_absmax_after", nums(q.act_absmax_after)},
                            {"weight_absmax_before", nums(q.weight_absmax_before)},
                            {"weight_absmax_after", nums(q.weight_absmax_after)},
                            {"act_hist_before", ql::to_json(q.act_hist_before)},
                            {"act_hist_after", ql::to_json(q.act_hist_after)}};
    }
    j["details"] = std::move(d);
    return j;
}

} // namespace ql::calib
