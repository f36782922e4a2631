// JSON forms of the core's requests and results (nlohmann::json): what `quantlens stats --json`
// prints, and the pieces session files are made of. from_json functions validate and throw
// std::invalid_argument naming the field and the rule.
#pragma once

#include <nlohmann/json.hpp>

#include "core/analysis.h"
#include "core/generators.h"
#include "core/quant_config.h"

namespace ql {

nlohmann::json to_json(const QuantConfig& c);
QuantConfig quant_config_from_json(const nlohmann::json& j);

nlohmann::json to_json(const GeneratorSpec& g);
GeneratorSpec generator_spec_from_json(const nlohmann::json& j);

nlohmann::json to_json(const LayerSimOptions& o);
LayerSimOptions layer_sim_from_json(const nlohmann::json& j);

nlohmann::json to_json(const TensorSummary& s);
nlohmann::json to_json(const ErrorMetrics& m);   // non-finite dB (exact match) written as null
nlohmann::json to_json(const StorageSize& s);
nlohmann::json to_json(const Histogram& h);
// The report without the bulky arrays unless `full` (histograms, samples, per-channel errors).
nlohmann::json to_json(const AnalysisReport& r, bool full);

const char* activation_name(Activation a);
bool parse_activation(const std::string& s, Activation& out);

} // namespace ql
