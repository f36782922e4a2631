// Whole-model survey (see model_survey.h): one analyze() call per weight tensor, metrics only.
#include "core/model_survey.h"

#include <cmath>
#include <limits>
#include <memory>

#include "core/analysis.h"
#include "core/memory.h"

namespace ql {

bool is_weight_tensor(const TensorInfo& t) {
    if (t.shape.size() < 2 || t.numel() < 2) return false;
    switch (t.dtype) {
    case DType::F32: case DType::F16: case DType::BF16: case DType::F64: case DType::F8_E4M3: case DType::F8_E5M2:
    case DType::GGML_Q4_0: case DType::GGML_Q4_1: case DType::GGML_Q5_0: case DType::GGML_Q5_1: case DType::GGML_Q8_0:
    case DType::GGML_Q2_K: case DType::GGML_Q3_K: case DType::GGML_Q4_K: case DType::GGML_Q5_K: case DType::GGML_Q6_K:
    case DType::GGML_IQ4_NL: case DType::GGML_IQ4_XS: case DType::GGML_MXFP4: case DType::GGML_NVFP4:
    case DType::GGML_TQ1_0: case DType::GGML_TQ2_0: case DType::GGML_IQ2_XXS: case DType::GGML_IQ2_XS: case DType::GGML_IQ2_S:
    case DType::GGML_IQ3_XXS: case DType::GGML_IQ3_S: case DType::GGML_IQ1_S: case DType::GGML_IQ1_M:
        return true;
    case DType::U8: case DType::U16:
        return t.encoding.find("affine") != std::string::npos;  // TF.js quantized float weights
    default:
        return false;
    }
}

namespace {

AnalysisOptions metrics_only() {
    AnalysisOptions o;
    o.histogram_bins = 16;
    o.sample_count = 0;
    o.per_channel_error = false;
    o.forward_diff = false;
    o.snr_sweep = false;
    o.layer_sim.enabled = false;
    return o;
}

SurveyMemory memory_row(std::string label, double bits, double params, int config_index) {
    SurveyMemory m;
    m.label = std::move(label);
    m.bits_per_weight = bits;
    m.bytes = static_cast<std::uint64_t>(std::ceil(weight_bytes(params, bits)));
    m.gb = static_cast<double>(m.bytes) / kBytesPerGB;
    m.gib = static_cast<double>(m.bytes) / kBytesPerGiB;
    m.config_index = config_index;
    return m;
}

} // namespace

ModelSurvey survey_model(const ModelFile& file, const std::vector<QuantConfig>& configs, const ProgressFn& progress) {
    ModelSurvey s;
    s.file = file.path();
    s.format = file.format();
    s.configs = configs;
    const ModelTotals totals = model_totals(file);
    s.total_params = totals.params;
    s.stored_bytes = totals.bytes;
    for (const auto& t : file.tensors())
        if (is_weight_tensor(t)) s.weight_params += t.numel();
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    const std::size_t nc = configs.size();
    std::vector<double> weighted_sqnr(nc, 0), weighted_bits(nc, 0), applied_params(nc, 0), padding(nc, 0);
    s.summary.assign(nc, SurveyConfigSummary{});
    for (auto& sm : s.summary) sm.min_sqnr_db = std::numeric_limits<double>::infinity();
    std::size_t done = 0;
    const auto total = static_cast<std::size_t>(s.weight_params);
    for (const auto& info : file.tensors()) {
        if (!is_weight_tensor(info)) continue;
        if (!report_progress(progress, done, total)) {
            s.cancelled = true;
            break;
        }
        SurveyTensor st;
        st.name = info.name;
        st.shape = info.shape;
        st.dtype = info.dtype;
        st.params = info.numel();
        st.sqnr_db.assign(nc, nan);
        st.snr_db.assign(nc, nan);
        st.bits_per_weight.assign(nc, nan);
        st.errors.assign(nc, "");
        auto loaded = file.load(info.name);
        if (!loaded) {
            st.load_error = loaded.error().message();
        } else {
            AnalysisRequest req;
            req.tensor = std::make_shared<const Tensor>(std::move(loaded).value());
            req.configs = configs;
            req.options = metrics_only();
            // Progress inside a tensor too, so a large tensor can be cancelled while it is analysed.
            const AnalysisReport rep = analyze(req, [&](std::size_t d, std::size_t t) {
                const double part = t > 0 ? static_cast<double>(st.params) * static_cast<double>(d) / static_cast<double>(t) : 0.0;
                return report_progress(progress, done + static_cast<std::size_t>(part), total);
            });
            if (rep.cancelled) {
                s.cancelled = true;
                break;
            }
            for (std::size_t c = 0; c < nc && c < rep.configs.size(); ++c) {
                const ConfigReport& cr = rep.configs[c];
                if (!cr.error.empty()) {
                    st.errors[c] = cr.error;
                    continue;
                }
                st.sqnr_db[c] = cr.metrics.sqnr_db;
                st.snr_db[c] = cr.metrics.snr_db;
                st.bits_per_weight[c] = cr.storage.bits_per_weight;
                const auto p = static_cast<double>(st.params);
                auto& sm = s.summary[c];
                if (std::isfinite(cr.metrics.sqnr_db)) weighted_sqnr[c] += p * cr.metrics.sqnr_db;
                weighted_bits[c] += p * cr.storage.bits_per_weight;
                applied_params[c] += p;
                ++sm.tensors;
                padding[c] += static_cast<double>(cr.storage.padding);
                if (cr.storage.padding > 0) ++sm.padded_tensors;
                if (cr.metrics.sqnr_db < sm.min_sqnr_db) {
                    sm.min_sqnr_db = cr.metrics.sqnr_db;
                    sm.worst_tensor = st.name;
                }
            }
        }
        done += static_cast<std::size_t>(st.params);
        s.tensors.push_back(std::move(st));
    }
    if (!s.cancelled) report_progress(progress, total, total);
    for (std::size_t c = 0; c < nc; ++c) {
        auto& sm = s.summary[c];
        if (applied_params[c] > 0) {
            sm.mean_sqnr_db = weighted_sqnr[c] / applied_params[c];
            sm.bits_per_weight = weighted_bits[c] / applied_params[c];
            sm.padding_fraction = padding[c] / (applied_params[c] + padding[c]);
        } else {
            sm.mean_sqnr_db = sm.min_sqnr_db = sm.bits_per_weight = nan;
        }
    }
    const auto all = static_cast<double>(s.total_params);
    for (const auto& f : standard_memory_formats()) s.memory.push_back(memory_row(f.name, f.bits_per_weight, all, -1));
    for (std::size_t c = 0; c < nc; ++c) {
        const double bits = s.summary[c].bits_per_weight;
        if (!std::isfinite(bits)) continue;
        const double w = static_cast<double>(s.weight_params);
        SurveyMemory m = memory_row(configs[c].display_name(), bits, w, static_cast<int>(c));
        m.bytes += static_cast<std::uint64_t>(std::ceil(weight_bytes(all - w, 16.0)));
        m.gb = static_cast<double>(m.bytes) / kBytesPerGB;
        m.gib = static_cast<double>(m.bytes) / kBytesPerGiB;
        s.memory.push_back(m);
    }
    return s;
}

} // namespace ql
