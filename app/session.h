// Session: the whole setup of the window (tensor source, configurations, options, GPU-fit choices,
// view) as one value, saved to and opened from a JSON file a teacher can reopen in class.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <QString>
#include <nlohmann/json.hpp>

#include "core/analysis.h"
#include "core/generators.h"
#include "core/quant_config.h"

namespace ql::ui {

struct TensorSource {
    bool fromFile = false;
    std::string file;               // a weights file (.npy, and the model formats)
    std::string tensor;             // tensor name inside a multi-tensor file ("" = the only one)
    GeneratorSpec generator;
    bool operator==(const TensorSource&) const = default;
};

struct FitSettings {
    std::string model = "7B";       // a preset name, or "" for a custom parameter count
    double params = 7e9;            // used when model is "" (or not a preset)
    std::vector<std::string> gpus{"RTX 3080", "RTX 4090", "A100 80GB"};
    double headroom = 0.1;          // fraction of GPU memory kept free
    double kvContext = 0;           // tokens of KV cache (0 = weights only)
    bool operator==(const FitSettings&) const = default;
};

struct ViewSettings {
    int levelsConfig = 1;           // configuration whose levels are drawn over the histogram
    bool showLevels = true;
    bool logChannelError = true;
    bool logHistograms = false;     // weight and error distributions on a log density axis (rare values show)
    bool compareAll = false;        // also analyse every format at its common settings (Pareto, SNR charts)
    bool paretoMse = false;         // Pareto chart y axis: MSE (log) instead of SQNR (dB)
    std::vector<std::string> front; // charts (ids) brought to the front of their tab group when the session opens
    bool operator==(const ViewSettings&) const = default;
};

// A teacher's note carried by a session: shown over the setup when the session opens (the classroom
// examples carry theirs; any saved session may have one).
struct Lesson {
    std::string title;
    std::string note;  // plain text
    bool empty() const { return title.empty() && note.empty(); }
    bool operator==(const Lesson&) const = default;
};

struct Session {
    TensorSource tensor;
    std::vector<QuantConfig> configs;
    AnalysisOptions analysis;
    FitSettings fit;
    ViewSettings view;
    Lesson lesson;

    // The seed notebooks' setup: 1000x1000 normal(0, 2) seed 42; INT8 and INT4 asymmetric per tensor;
    // 5 layers of 1000x1000 normal(0, 0.1), batch 32.
    static Session defaults();
};

// The default colour of the i-th configuration is the palette's; sessions store explicit colours only.
QuantConfig defaultConfig(int bits);

nlohmann::json sessionToJson(const Session& s);
// Throws std::invalid_argument naming the field and the rule.
Session sessionFromJson(const nlohmann::json& j);

// Atomic save (QSaveFile). Returns false with a message.
bool saveSession(const QString& path, const Session& s, QString* error);
// Opens a session file; nullopt with a message naming the file and what is wrong.
std::optional<Session> loadSession(const QString& path, QString* error);

} // namespace ql::ui
