// The Speed measurement on the CUDA device as rows of core's SpeedReport (see gpu_speed.h).
#include "gpu/gpu_speed.h"

#include <algorithm>

#include "gpu/gpu_backend.h"

namespace ql::gpu {

using speed::SpeedFormat;

std::vector<SpeedFormat> gpu_speed_formats(const std::vector<SpeedFormat>& chosen) {
    std::vector<SpeedFormat> out;
    auto add = [&](SpeedFormat f) {
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
    };
    for (SpeedFormat f : chosen) switch (f) {
        case SpeedFormat::F32:
            add(SpeedFormat::F32);
            add(SpeedFormat::F16);
            break;
        case SpeedFormat::F16: add(SpeedFormat::F16); break;
        case SpeedFormat::Int8: add(SpeedFormat::Int8); break;
        case SpeedFormat::W4:
        case SpeedFormat::W4A16: add(SpeedFormat::W4A16); break;
        }
    return out;
}

GemmFormat gemm_format_of(SpeedFormat f) {
    switch (f) {
    case SpeedFormat::F32: return GemmFormat::F32;
    case SpeedFormat::F16: return GemmFormat::F16;
    case SpeedFormat::Int8: return GemmFormat::Int8;
    case SpeedFormat::W4:
    case SpeedFormat::W4A16: return GemmFormat::W4A16;
    }
    return GemmFormat::F32;
}

speed::SpeedMeasurement gpu_measurement(SpeedFormat f, std::int64_t rows, std::int64_t cols, std::int64_t batch, const GemmTiming& t) {
    speed::SpeedMeasurement m;
    m.format = f;
    m.on_gpu = true;
    m.device = "CUDA: " + t.device;
    m.path = t.kernel;
    m.batch = batch;
    m.rows = rows;
    m.cols = cols;
    m.weight_bytes = t.weight_bytes;
    m.copies = t.copies;
    m.median_ms = t.median_ms;
    m.min_ms = t.min_ms;
    m.max_ms = t.max_ms;
    m.q25_ms = t.q25_ms;
    m.q75_ms = t.q75_ms;
    m.floor_ms = t.floor_ms;
    m.gbps = t.median_ms > 0 ? t.weight_bytes / (t.median_ms * 1e-3) / 1e9 : 0.0;
    m.floor_gbps = t.floor_ms > 0 ? t.weight_bytes / (t.floor_ms * 1e-3) / 1e9 : 0.0;
    m.gflops = t.median_ms > 0 ? t.flops / (t.median_ms * 1e-3) / 1e9 : 0.0;
    m.intensity = speed::arithmetic_intensity(batch, rows, cols, t.weight_bytes);
    return m;
}

void add_gpu_speed(const speed::SpeedRequest& req, speed::SpeedReport& report, const ProgressFn& progress) {
    const DeviceInfo& dev = device_info();
    if (!dev.available) {
        report.gpu.none_reason = dev.reason;
        return;
    }
    const std::vector<SpeedFormat> formats = gpu_speed_formats(req.formats);
    const int repeats = std::max(req.repeats, 1);
    const std::size_t total = formats.size() * req.batches.size() * static_cast<std::size_t>(repeats);
    std::size_t before = 0;
    bool stop = false;
    report.gpu.peak_gbps = dev.bandwidth_gbps;
    for (SpeedFormat f : formats)
        for (std::int64_t b : req.batches) {
            const auto t = measure_gemm(gemm_format_of(f), req.rows, req.cols, b, repeats, [&](int done, int) {
                stop = !report_progress(progress, before + static_cast<std::size_t>(done), total);
                return !stop;
            });
            before += static_cast<std::size_t>(repeats);
            if (stop) {
                report.cancelled = true;
                return;
            }
            if (!t) {
                report.gpu.failures += std::string(report.gpu.failures.empty() ? "" : "\n") + "GPU " + speed::format_name(f) +
                                       " batch " + std::to_string(b) + ": " + t.error().message();
                continue;
            }
            const speed::SpeedMeasurement m = gpu_measurement(f, req.rows, req.cols, b, *t);
            report.gpu.device = m.device;
            report.gpu.read_gbps = std::max(report.gpu.read_gbps, m.floor_gbps);
            report.gpu.roof_gflops = std::max(report.gpu.roof_gflops, m.gflops);
            report.items.push_back(m);
        }
}

speed::SpeedReport run_speed_with_gpu(const speed::SpeedRequest& req, const ProgressFn& progress) {
    const bool gpu = device_info().available;
    const std::size_t total = gpu ? 2000 : 1000;
    auto scaled = [&](std::size_t base) {
        return [&progress, base, total](std::size_t done, std::size_t n) {
            const std::size_t part = n ? static_cast<std::size_t>(1000.0 * static_cast<double>(done) / static_cast<double>(n)) : 0;
            return report_progress(progress, base + std::min<std::size_t>(part, 1000), total);
        };
    };
    speed::SpeedReport r = speed::run_speed(req, scaled(0));
    if (r.cancelled) return r;
    add_gpu_speed(req, r, scaled(1000));
    return r;
}

} // namespace ql::gpu
