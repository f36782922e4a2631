// Data files from resources/ compiled into the binary (GPU catalog, model presets), by name.
#pragma once

#include <string_view>

namespace ql {

// The text of resources/NAME (e.g. "gpus.json"); empty when there is no such resource.
std::string_view embedded_resource(std::string_view name);

} // namespace ql
