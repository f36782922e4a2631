// quantlens info: what a weights file holds — format, metadata, every tensor (shape, dtype, parameters,
// bytes) and totals. Reads headers only (the file is memory-mapped; no tensor data is touched).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/memory.h"
#include "core/model_file.h"

namespace ql::cli {

namespace {

std::string shape_string(const std::vector<std::int64_t>& s) {
    if (s.empty()) return "scalar";
    std::string out;
    for (std::size_t k = 0; k < s.size(); ++k) out += (k ? "x" : "") + std::to_string(s[k]);
    return out;
}

std::string human_bytes(std::uint64_t b) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f GB = %.3f GiB", static_cast<double>(b) / kBytesPerGB, static_cast<double>(b) / kBytesPerGiB);
    return buf;
}

} // namespace

int cmd_info(const std::vector<std::string>& argv) {
    Args a(argv, {}, {"help", "json"});
    if (a.flag("help")) {
        std::printf("usage: quantlens info FILE [--json]\n\n"
                    "Lists a weights file: format, metadata, every tensor with its shape (numpy order), stored dtype,\n"
                    "parameters and bytes, and the totals. Formats: .npy, .npz, .safetensors (or\n"
                    "model.safetensors.index.json), .gguf, .onnx, TensorFlow.js model.json / *weights_manifest.json.\n"
                    "PyTorch pickles (.pt, .pth, .bin, .ckpt) are refused: convert them to safetensors.\n");
        return 0;
    }
    if (a.positional().size() != 1) throw UsageError("give exactly one FILE");
    const std::string path = a.positional()[0];
    auto opened = open_model_file(path);
    if (!opened) throw std::runtime_error(opened.error().message());
    const ModelFile& f = *opened.value();
    const ModelTotals tot = model_totals(f);
    if (a.flag("json")) {
        nlohmann::json j;
        j["file"] = f.path();
        j["format"] = f.format();
        j["metadata"] = nlohmann::json::array();
        for (const auto& kv : f.metadata()) j["metadata"].push_back({{"key", kv.first}, {"value", kv.second}});
        j["tensors"] = nlohmann::json::array();
        for (const auto& t : f.tensors()) {
            nlohmann::json tj{{"name", t.name}, {"shape", t.shape}, {"dtype", std::string(dtype_name(t.dtype))}, {"params", t.numel()},
                              {"bytes", t.bytes}, {"offset", t.offset}, {"file", t.file}};
            if (!t.encoding.empty()) tj["encoding"] = t.encoding;
            j["tensors"].push_back(tj);
        }
        j["tensor_count"] = f.tensors().size();
        j["total_params"] = tot.params;
        j["total_bytes"] = tot.bytes;
        j["total_gb"] = static_cast<double>(tot.bytes) / kBytesPerGB;
        j["total_gib"] = static_cast<double>(tot.bytes) / kBytesPerGiB;
        // names in files need not be UTF-8: replace what is not, rather than fail
        std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        return 0;
    }
    std::printf("file:    %s\nformat:  %s\n", f.path().c_str(), f.format().c_str());
    if (!f.metadata().empty()) {
        std::printf("metadata:\n");
        for (const auto& kv : f.metadata()) std::printf("  %s: %s\n", kv.first.c_str(), kv.second.c_str());
    }
    std::size_t width = 4;
    for (const auto& t : f.tensors()) width = std::max(width, std::min<std::size_t>(t.name.size(), 60));
    std::printf("tensors (%zu):\n  %-*s  %-18s %-8s %14s %14s\n", f.tensors().size(), static_cast<int>(width), "name", "shape", "dtype", "params", "bytes");
    for (const auto& t : f.tensors()) {
        std::printf("  %-*s  %-18s %-8s %14lld %14llu", static_cast<int>(width), t.name.c_str(), shape_string(t.shape).c_str(),
                    std::string(dtype_name(t.dtype)).c_str(), static_cast<long long>(t.numel()), static_cast<unsigned long long>(t.bytes));
        if (!t.encoding.empty()) std::printf("  (%s)", t.encoding.c_str());
        std::printf("\n");
    }
    std::printf("total:   %lld parameters (%.4g B), %llu bytes (%s)\n", static_cast<long long>(tot.params), static_cast<double>(tot.params) / 1e9,
                static_cast<unsigned long long>(tot.bytes), human_bytes(tot.bytes).c_str());
    return 0;
}

} // namespace ql::cli
