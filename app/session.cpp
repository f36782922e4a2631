// Session defaults and their JSON form (version 1).
#include "session.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

#include "core/json_strict.h"
#include "core/report_json.h"

namespace ql::ui {

QuantConfig defaultConfig(int bits) {
    QuantConfig c;
    c.bits = bits;
    c.scheme = Scheme::Asymmetric;
    c.granularity = Granularity::PerTensor;
    return c;
}

Session Session::defaults() {
    Session s;
    s.configs = {defaultConfig(8), defaultConfig(4)};
    s.analysis.layer_sim.enabled = true;
    return s;
}

nlohmann::json sessionToJson(const Session& s) {
    nlohmann::json j;
    j["quantlens_session"] = 1;
    nlohmann::json t;
    t["source"] = s.tensor.fromFile ? "file" : "generator";
    t["file"] = s.tensor.file;
    t["tensor"] = s.tensor.tensor;
    t["generator"] = to_json(s.tensor.generator);
    j["tensor"] = t;
    j["configs"] = nlohmann::json::array();
    for (const auto& c : s.configs) j["configs"].push_back(to_json(c));
    const auto& a = s.analysis;
    j["analysis"] = {{"histogram_bins", a.histogram_bins}, {"sample_row", a.sample_row}, {"sample_count", a.sample_count},
                     {"forward_diff", a.forward_diff}, {"forward_batch", a.forward_batch}, {"snr_sweep", a.snr_sweep},
                     {"levels_index", a.levels_index}, {"layer_sim", to_json(a.layer_sim)}};
    j["gpu_fit"] = {{"model", s.fit.model}, {"params", s.fit.params}, {"gpus", s.fit.gpus}, {"headroom", s.fit.headroom},
                    {"kv_context", s.fit.kvContext}};
    j["view"] = {{"levels_config", s.view.levelsConfig}, {"show_levels", s.view.showLevels}, {"log_channel_error", s.view.logChannelError},
                 {"log_histograms", s.view.logHistograms}, {"compare_all", s.view.compareAll}, {"pareto_mse", s.view.paretoMse}};
    if (!s.view.front.empty()) j["view"]["front"] = s.view.front;
    if (!s.lesson.empty()) j["lesson"] = {{"title", s.lesson.title}, {"note", s.lesson.note}};
    return j;
}

namespace {

template <class T>
T field(const nlohmann::json& j, const char* key, T fallback, const char* where) {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    try {
        return j[key].get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::invalid_argument(std::string(where) + "." + key + " has the wrong type");
    }
}

} // namespace

Session sessionFromJson(const nlohmann::json& j) {
    if (!j.is_object() || !j.contains("quantlens_session"))
        throw std::invalid_argument("not a QuantLens session (no \"quantlens_session\" key)");
    if (!j["quantlens_session"].is_number_integer() || j["quantlens_session"].get<int>() != 1)
        throw std::invalid_argument("unsupported session version (this QuantLens reads version 1)");
    Session s = Session::defaults();
    if (j.contains("tensor")) {
        const auto& t = j["tensor"];
        if (!t.is_object()) throw std::invalid_argument("tensor must be an object");
        const std::string src = field<std::string>(t, "source", "generator", "tensor");
        if (src != "generator" && src != "file") throw std::invalid_argument("tensor.source must be \"generator\" or \"file\"");
        s.tensor.fromFile = src == "file";
        s.tensor.file = field<std::string>(t, "file", "", "tensor");
        s.tensor.tensor = field<std::string>(t, "tensor", "", "tensor");
        if (t.contains("generator")) {
            try {
                s.tensor.generator = generator_spec_from_json(t["generator"]);
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(std::string("tensor.generator: ") + e.what());
            }
            // a session file asks for a tensor to be made: no larger than the window makes (16384 x 16384,
            // 1 GiB of float32), whatever the file claims
            constexpr double kMaxGeneratedValues = 268435456.0;  // 2^28
            double n = 1;
            for (std::int64_t d : s.tensor.generator.shape) n *= static_cast<double>(d);
            if (n > kMaxGeneratedValues)
                throw std::invalid_argument("tensor.generator.shape: at most 2^28 values (16384 x 16384, 1 GiB as float32)");
        }
        if (s.tensor.fromFile && s.tensor.file.empty()) throw std::invalid_argument("tensor.source is \"file\" but tensor.file is empty");
    }
    if (j.contains("configs")) {
        if (!j["configs"].is_array()) throw std::invalid_argument("configs must be an array");
        if (j["configs"].size() > 32) throw std::invalid_argument("at most 32 configurations");
        s.configs.clear();
        for (std::size_t i = 0; i < j["configs"].size(); ++i) {
            try {
                s.configs.push_back(quant_config_from_json(j["configs"][i]));
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument("configs[" + std::to_string(i) + "]: " + e.what());
            }
        }
    }
    if (j.contains("analysis")) {
        const auto& a = j["analysis"];
        if (!a.is_object()) throw std::invalid_argument("analysis must be an object");
        auto& o = s.analysis;
        o.histogram_bins = field<int>(a, "histogram_bins", o.histogram_bins, "analysis");
        if (o.histogram_bins < 2 || o.histogram_bins > 2000) throw std::invalid_argument("analysis.histogram_bins must be 2..2000");
        o.sample_row = field<std::int64_t>(a, "sample_row", o.sample_row, "analysis");
        o.sample_count = field<int>(a, "sample_count", o.sample_count, "analysis");
        if (o.sample_row < 0 || o.sample_count < 1 || o.sample_count > 10000)
            throw std::invalid_argument("analysis.sample_row must be >= 0 and sample_count 1..10000");
        o.forward_diff = field<bool>(a, "forward_diff", o.forward_diff, "analysis");
        o.forward_batch = field<int>(a, "forward_batch", o.forward_batch, "analysis");
        if (o.forward_batch < 1 || o.forward_batch > 4096) throw std::invalid_argument("analysis.forward_batch must be 1..4096");
        o.snr_sweep = field<bool>(a, "snr_sweep", o.snr_sweep, "analysis");
        o.levels_index = field<std::int64_t>(a, "levels_index", o.levels_index, "analysis");
        if (a.contains("layer_sim")) {
            try {
                o.layer_sim = layer_sim_from_json(a["layer_sim"]);
            } catch (const std::invalid_argument& e) {
                throw std::invalid_argument(std::string("analysis.layer_sim: ") + e.what());
            }
        }
    }
    if (j.contains("gpu_fit")) {
        const auto& f = j["gpu_fit"];
        if (!f.is_object()) throw std::invalid_argument("gpu_fit must be an object");
        s.fit.model = field<std::string>(f, "model", s.fit.model, "gpu_fit");
        s.fit.params = field<double>(f, "params", s.fit.params, "gpu_fit");
        s.fit.gpus = field<std::vector<std::string>>(f, "gpus", s.fit.gpus, "gpu_fit");
        s.fit.headroom = field<double>(f, "headroom", s.fit.headroom, "gpu_fit");
        s.fit.kvContext = field<double>(f, "kv_context", s.fit.kvContext, "gpu_fit");
        if (!(s.fit.params > 0 && s.fit.params < 1e15)) throw std::invalid_argument("gpu_fit.params must be positive");
        if (!(s.fit.headroom >= 0 && s.fit.headroom < 1)) throw std::invalid_argument("gpu_fit.headroom must be in [0, 1)");
        if (!(s.fit.kvContext >= 0 && s.fit.kvContext <= 1e8)) throw std::invalid_argument("gpu_fit.kv_context must be 0..1e8 tokens");
    }
    if (j.contains("view")) {
        const auto& v = j["view"];
        if (!v.is_object()) throw std::invalid_argument("view must be an object");
        s.view.levelsConfig = field<int>(v, "levels_config", s.view.levelsConfig, "view");
        s.view.showLevels = field<bool>(v, "show_levels", s.view.showLevels, "view");
        s.view.logChannelError = field<bool>(v, "log_channel_error", s.view.logChannelError, "view");
        s.view.logHistograms = field<bool>(v, "log_histograms", s.view.logHistograms, "view");
        s.view.compareAll = field<bool>(v, "compare_all", s.view.compareAll, "view");
        s.view.paretoMse = field<bool>(v, "pareto_mse", s.view.paretoMse, "view");
        s.view.front = field<std::vector<std::string>>(v, "front", s.view.front, "view");
        if (s.view.front.size() > 16) throw std::invalid_argument("view.front: at most 16 charts");
    }
    if (j.contains("lesson")) {
        const auto& l = j["lesson"];
        if (!l.is_object()) throw std::invalid_argument("lesson must be an object");
        s.lesson.title = field<std::string>(l, "title", "", "lesson");
        s.lesson.note = field<std::string>(l, "note", "", "lesson");
        constexpr std::size_t kMaxLessonChars = 8000;
        if (s.lesson.title.size() > kMaxLessonChars || s.lesson.note.size() > kMaxLessonChars)
            throw std::invalid_argument("lesson.title and lesson.note must be at most 8000 bytes");
    }
    return s;
}

bool saveSession(const QString& path, const Session& s, QString* error) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error) *error = QCoreApplication::translate("Session", "cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    const std::string text = sessionToJson(s).dump(2) + "\n";
    f.write(text.data(), static_cast<qint64>(text.size()));
    if (!f.commit()) {
        if (error) *error = QCoreApplication::translate("Session", "cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

std::optional<Session> loadSession(const QString& path, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = QCoreApplication::translate("Session", "cannot open %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    if (f.size() > 16 * 1024 * 1024) {
        if (error) *error = QCoreApplication::translate("Session", "%1 is larger than 16 MiB: not a session file").arg(path);
        return std::nullopt;
    }
    const QByteArray bytes = f.readAll();
    // strict JSON (core/json_strict.h): a syntax error gives its byte, line and column, and a key written
    // twice is refused instead of the last one silently winning
    auto j = parse_json_strict(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), path.toStdString(), 0);
    if (!j) {
        if (error) *error = QString::fromStdString(j.error().message());
        return std::nullopt;
    }
    try {
        return sessionFromJson(*j);
    } catch (const std::exception& e) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

} // namespace ql::ui
