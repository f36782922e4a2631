// JSON form of a calibration report, what `quantlens calibrate --json` prints:
//   {
//     "layer":    {"name", "out", "in", "tokens", "outlier_channels", "outlier_scales", "output_energy"},
//     "settings": {"bits", "group_size", "blocksize", "percdamp", "act_order", "alpha", ...},
//     "methods":  [ {"method", "relative_output_error", "weight_mse", "output_mse", "seconds",
//                    ...the method's own values: GPTQ "loss", "percdamp", "damp", "damp_retries",
//                    "dead_columns"; AWQ "ratio", "loss" and "loss_vs_ratio"; SmoothQuant "alpha"} ],
//     "warnings": [...], "failed": [methods that could not run], "error": "..." (only when the run failed), "cancelled": bool,
//     "details":  {...}   (only with details: the chart arrays of GPTQ, AWQ and SmoothQuant)
//   }
// Non-finite numbers are written as null.
#pragma once

#include <nlohmann/json.hpp>

#include "core/calibration/calibration.h"

namespace ql::calib {

nlohmann::json to_json(const CalibrationReport& r, bool details);

} // namespace ql::calib
