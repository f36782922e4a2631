// quantlens bench: benchmark sections that print their figures next to a floor measured in the same
// run (a plain read of the same bytes), so noisy machines still give meaningful ratios.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ql::cli {

struct BenchOptions {
    std::int64_t size = 4096;   // square tensor side
    int repeats = 7;            // timed repetitions; the median and the minimum are reported
    bool json = false;
    std::vector<std::string> formats;  // formats section: only these formats (empty = every format)
};

struct BenchSection {
    const char* name;
    const char* summary;
    // Prints a table (or adds rows to `out` in JSON mode).
    void (*run)(const BenchOptions& opt, nlohmann::json& out);
};

const std::vector<BenchSection>& bench_sections();

// The window's update latency and GUI-thread stalls (app/cli/bench_gui.cpp).
void bench_gui(const BenchOptions& opt, nlohmann::json& out);

// Times fn `repeats` times after one warm-up; returns {median, min} in milliseconds.
struct Timing {
    double median_ms = 0;
    double min_ms = 0;
};
Timing time_it(int repeats, const std::function<void()>& fn);

// fn's runs back to back (`repeats`, after a warm-up) between two such runs of its floor (`floor_repeats`
// each): each side timed as when benchmarked alone, and close in time to the other, so that a busy spell
// of the machine (other jobs, a neighbour's memory traffic) weighs on both sides of the ratio, the median
// of fn over the median of the floor.
struct PairedTiming {
    Timing fn, floor;
    double ratio = 0;
};
PairedTiming time_paired(int repeats, int floor_repeats, const std::function<void()>& floor, const std::function<void()>& fn);

// One plain read of `bytes` bytes of floats (a vectorised sum on all threads), the floor every
// tensor pass is compared with.
Timing plain_read(const float* data, std::int64_t count, int repeats);

} // namespace ql::cli
