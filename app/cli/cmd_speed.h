// The JSON object of one speed measurement, as `quantlens speed --json` and `quantlens bench --json`
// print it: format ("fp32", "fp16", "int8", "w4", "w4a16"), device, on_gpu, batch, shape, weight bytes,
// median and spread in ms, floor_ms (the plain read of the same bytes, same run, same device), GB/s,
// GFLOP/s and intensity.
#pragma once

#include <nlohmann/json.hpp>

#include "core/speed/speed_bench.h"

namespace ql::cli {

nlohmann::json speed_measurement_json(const speed::SpeedMeasurement& m);

} // namespace ql::cli
