// analyze(): the numbers behind every chart, in as few passes over the tensor as the formats allow.
//
//   summarize            one pass: finite min/max, mean, std, NaN/Inf counts (once per tensor)
//   prepare              per configuration: ranges/scales/blocks (per-tensor Int reuses the summary)
//   fused pass           per configuration, over cache-sized chunks in parallel: quantize + dequantize
//                        into a thread-local buffer, error sums, per-channel error, code counts and the
//                        original / dequantized / error histograms, whose ranges are fixed beforehand from
//                        the formats' output bounds. Formats without bounds (or a broken bound) get a
//                        second, histogram-only pass with the measured ranges. With AVX-512 the
//                        statistics take one sweep: Int quantizes in registers (core/int_pass.h; also
//                        with AVX2), the other formats read their run() output while it is in cache
//                        (core/format_pass.h).
// Sums are kept per chunk and merged in chunk order, so results do not depend on the thread count.
#include "core/analysis.h"

#include <Eigen/Dense>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "core/accelerator.h"
#include "core/analysis_kernels.h"
#include "core/format_pass.h"
#include "core/format_quantizers.h"
#include "core/generators.h"
#include "core/int_pass.h"
#include "core/int_quantizer.h"
#include "core/rng.h"

namespace ql {

std::vector<double> Histogram::density() const {
    std::vector<double> d(counts.size(), 0.0);
    const double w = bin_width();
    if (total == 0 || w <= 0) return d;
    for (std::size_t i = 0; i < counts.size(); ++i) d[i] = static_cast<double>(counts[i]) / (static_cast<double>(total) * w);
    return d;
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::int64_t kChunk = 16384;
// The weight grid extends past the data's [min, max] by at most this many times its range on each side.
constexpr double kMaxGridExtension = 8.0;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// Progress across the whole analysis: units from any thread, the callback only from the calling thread.
class Tracker {
public:
    Tracker(const ProgressFn& fn, std::size_t total) : fn_(fn), total_(std::max<std::size_t>(total, 1)) {}
    bool cancelled() const { return stop_.load(std::memory_order_relaxed); }
    // Adds units; calls the callback when on the master thread. Returns false once cancelled.
    bool add(std::size_t units) {
        const std::size_t d = done_.fetch_add(units) + units;
        if (fn_ && omp_get_thread_num() == 0) {
            if (!fn_(std::min(d, total_), total_)) stop_ = true;
        }
        return !cancelled();
    }
    void grow(std::size_t units) { total_ += units; }

private:
    const ProgressFn& fn_;
    std::size_t total_;
    std::atomic<std::size_t> done_{0};
    std::atomic<bool> stop_{false};
};

// Output channels: axis 0 for rank >= 2 (rows of a Linear weight, filters of a conv), one for 0/1-D.
struct ChannelLayout {
    std::int64_t channels = 1;
    std::int64_t len = 0;  // values per channel
};
ChannelLayout channel_layout(const Tensor& t) {
    ChannelLayout c;
    const std::int64_t n = t.numel();
    if (t.rank() >= 2 && t.shape[0] > 0) {
        c.channels = t.shape[0];
        c.len = n / t.shape[0];
    } else {
        c.channels = 1;
        c.len = n;
    }
    return c;
}

std::int64_t chunk_size_for(std::int64_t granule) {
    granule = std::max<std::int64_t>(granule, 1);
    return granule >= kChunk ? granule : kChunk / granule * granule;
}

// Per-chunk results of the fused pass, merged in chunk order.
struct ChunkResult {
    kernels::ErrorSums sums;
    std::uint64_t clipped = 0;
    std::vector<std::pair<std::int64_t, double>> channel_sse;  // (channel, sum of squared error)
};

struct PassRanges {
    bool histograms = false;      // build the dequantized and error histograms in this pass
    bool derive_dq_from_codes = false;
    kernels::BinGrid weights, errors;
    const std::vector<std::uint64_t>* original = nullptr;  // the original's histogram on weights' base bins
};

struct PassOutput {
    std::vector<ChunkResult> chunks;
    std::vector<std::uint64_t> code_counts;  // 256
    std::vector<std::uint64_t> dq, err;
    std::uint64_t dq_outside = 0, err_outside = 0;
    bool xdq_from_norms = false;  // sums' sum_xdq left out: it is (sum x^2 + sum dq^2 - sum e^2) / 2
};

// The integer path of core/int_pass.h, when it applies: every value finite, metrics and histograms in
// one pass, and the slices of each output channel's values one after another in the parameter list.
std::optional<kernels::IntPassSetup> int_pass_setup(const Quantizer& q, bool metrics, const PassRanges& r,
                                                     const ChannelLayout& ch, bool has_nonfinite) {
    const auto* iq = dynamic_cast<const IntQuantizer*>(&q);
    if (!iq || !metrics || has_nonfinite) return std::nullopt;
    const SliceLayout& L = iq->layout();
    if (L.numel <= 0 || L.numel >= (std::int64_t(1) << 31) || ch.len <= 0) return std::nullopt;  // 32-bit counters per thread
    bool consecutive = false;
    switch (L.granularity) {
    case Granularity::PerTensor: consecutive = true; break;
    case Granularity::PerGroup: consecutive = L.group_size > 0 && L.cols > 0 && ch.len % L.cols == 0; break;
    case Granularity::PerChannel: consecutive = L.inner > 1 && (L.inner == ch.len || L.inner * L.channels == ch.len); break;
    }
    if (!consecutive || iq->slice_params().size() != static_cast<std::size_t>(L.slices)) return std::nullopt;
    kernels::IntPassSetup s;
    const IntRange rg = int_code_range(iq->config().bits, iq->config().scheme == Scheme::Symmetric);
    s.qmin = rg.qmin;
    s.qmax = rg.qmax;
    s.weights = r.weights;
    s.errors = r.errors;
    if (!r.histograms) {
        // metrics only (the SNR sweep): the same sums as the full pass; one-bin grids, counts unused
        s.weights = kernels::BinGrid{};
        s.errors = kernels::BinGrid{};
        s.dq_mode = kernels::DqHistogram::FromCodes;
    } else if (r.derive_dq_from_codes && L.granularity == Granularity::PerTensor) {
        s.dq_mode = kernels::DqHistogram::FromCodes;
    } else if (s.qmax - s.qmin < 16) {
        // few codes: each slice's code counts go to its levels' bins, about one increment per 8 values
        s.dq_mode = kernels::DqHistogram::GroupCodes;
    } else {
        // A value's dequantized bin differs from its own bin only within half a step of a bin edge, for
        // about a quarter step / bin width of the values: when the mean step is at most half a bin, moving
        // those (two counts each) beats counting every value again.
        double sum_scale = 0;
        for (const auto& p : iq->slice_params()) sum_scale += p.scale;
        const double mean_scale = sum_scale / static_cast<double>(std::max<std::size_t>(iq->slice_params().size(), 1));
        const bool narrow = mean_scale <= r.weights.width() / 2 && r.weights.total() <= kernels::kMaxCorrectionBins;
        s.dq_mode = narrow && r.original ? kernels::DqHistogram::Correction : kernels::DqHistogram::Direct;
    }
    // one parameter set: the sum of dq^2 and the dequantized range follow from the code counts
    s.dq_sums = !(s.dq_mode == kernels::DqHistogram::FromCodes && L.granularity == Granularity::PerTensor);
    if (!kernels::IntPass::available(s)) return std::nullopt;
    return s;
}

bool int_fused_pass(const Tensor& t, const IntQuantizer& q, const kernels::IntPassSetup& setup, const PassRanges& r,
                    const ChannelLayout& ch, PassOutput& out, Tracker& tracker) {
    const std::int64_t n = t.numel();
    const std::int64_t nchunks = (n + kChunk - 1) / kChunk;
    const float* x = t.data();
    const SliceLayout& L = q.layout();
    const IntParams* params = q.slice_params().data();
    // slices after the first in a run; runs restart at each row of the last axis (groups) or channel
    const std::int64_t slice_len = L.granularity == Granularity::PerGroup     ? L.group_size
                                   : L.granularity == Granularity::PerChannel ? L.inner
                                                                              : n;
    const std::int64_t restart = L.granularity == Granularity::PerGroup ? L.cols : ch.len;
    // each slice's range (per channel and per group), from which the pass takes the dequantized range
    const std::shared_ptr<const SliceRanges> ranges = q.slice_ranges();
    const bool have_ranges = ranges && ranges->lo.size() == static_cast<std::size_t>(L.slices) &&
                             ranges->hi.size() == static_cast<std::size_t>(L.slices);
    const float* slo = have_ranges ? ranges->lo.data() : nullptr;
    const float* shi = have_ranges ? ranges->hi.data() : nullptr;
    out.chunks.assign(static_cast<std::size_t>(nchunks), ChunkResult{});
    out.code_counts.assign(256, 0);
    out.dq.assign(static_cast<std::size_t>(setup.weights.total()), 0);
    out.err.assign(static_cast<std::size_t>(setup.errors.total()), 0);
    const std::size_t unit = static_cast<std::size_t>(std::max<std::int64_t>(1, nchunks / 64));
#pragma omp parallel
    {
        kernels::IntPass pass(setup);
#pragma omp for schedule(dynamic, 2)
        for (std::int64_t c = 0; c < nchunks; ++c) {
            if (tracker.cancelled()) continue;
            const std::int64_t b = c * kChunk, e = std::min(n, b + kChunk);
            ChunkResult& cr = out.chunks[static_cast<std::size_t>(c)];
            std::int64_t i = b;
            while (i < e) {
                const std::int64_t chn = i / ch.len;
                const std::int64_t seg_end = std::min(e, (chn + 1) * ch.len);
                kernels::ErrorSums s;
                for (std::int64_t j = i; j < seg_end;) {
                    const std::int64_t piece_end = std::min(seg_end, (j / restart + 1) * restart);
                    const std::int64_t k = L.slice_of(j);
                    pass.add(x + j, piece_end - j, params + k, slo ? slo + k : nullptr, shi ? shi + k : nullptr, L.run_length(j),
                             slice_len, s, cr.clipped);
                    j = piece_end;
                }
                cr.channel_sse.emplace_back(chn, s.sum_e2);
                cr.sums.merge(s);
                i = seg_end;
            }
            if ((c + 1) % static_cast<std::int64_t>(unit) == 0) tracker.add(unit);
        }
#pragma omp critical(ql_int_pass_merge)
        pass.merge_into(out.code_counts, out.dq, out.err, out.dq_outside, out.err_outside);
    }
    out.xdq_from_norms = true;  // the vector pass never sums x dq (core/int_pass.h)
    if (!setup.dq_sums && !out.chunks.empty()) {
        // every value with code c dequantizes to the same level: count x level^2 (the float square, as
        // the pass squares each value), and the lowest and highest level used
        kernels::ErrorSums& s0 = out.chunks.front().sums;
        for (int c = setup.qmin; c <= setup.qmax; ++c) {
            const std::uint64_t cnt = out.code_counts[static_cast<std::size_t>(c + 128)];
            if (!cnt) continue;
            const float level = int_dequantize(c, params[0]);
            s0.sum_dq2 += static_cast<double>(cnt) * static_cast<double>(level * level);
            s0.dq_lo = std::min(s0.dq_lo, level);
            s0.dq_hi = std::max(s0.dq_hi, level);
        }
    }
    if (!r.histograms) {
        out.dq.clear();
        out.err.clear();
        out.dq_outside = out.err_outside = 0;
    } else if (setup.dq_mode == kernels::DqHistogram::Correction) {
        const auto below = static_cast<std::size_t>(r.weights.below);
        for (std::size_t k = 0; k < r.original->size(); ++k) out.dq[k + below] += (*r.original)[k];
    }
    return !tracker.cancelled();
}

// The statistics of core/format_pass.h for any other quantizer, when they apply: every value finite, metrics
// and histograms in one pass. The dequantized histogram comes from the code counts when one scale serves
// the whole tensor, from a table of dequantized x error bins when the codes are few enough to count by
// compares, else from the original's histogram and the values that move.
std::optional<kernels::FormatPassSetup> format_pass_setup(const Quantizer& q, bool metrics, const PassRanges& r,
                                                           std::int64_t n, bool has_nonfinite) {
    if (dynamic_cast<const IntQuantizer*>(&q) || !metrics || !r.histograms || has_nonfinite) return std::nullopt;
    if (n <= 0 || n >= (std::int64_t(1) << 31)) return std::nullopt;  // 32-bit counters per thread
    kernels::FormatPassSetup s;
    s.weights = r.weights;
    s.errors = r.errors;
    const auto [lo, hi] = q.code_range();
    if (q.code_values()) {
        s.dq_mode = kernels::FormatDqHistogram::FromCodes;
    } else if (hi - lo < 32) {
        s.dq_mode = kernels::FormatDqHistogram::CountedCodes;
        s.code_n = hi - lo < 16 ? 16 : 32;
        s.code_lo = std::min(lo, 128 - s.code_n);
    } else {
        // Many codes (Q8_0, FP8 by channel) come with fine steps: few values leave their own bin, so moving
        // those from the original histogram beats counting every value again.
        if (!r.original) return std::nullopt;
        s.dq_mode = kernels::FormatDqHistogram::Correction;
    }
    if (!kernels::FormatPass::available(s)) return std::nullopt;
    return s;
}

kernels::FusedRule::Kind fused_kind(BlockRule::Kind k) {
    switch (k) {
    case BlockRule::Kind::E2M1Pow2: return kernels::FusedRule::Kind::E2M1Pow2;
    case BlockRule::Kind::Q8_0: return kernels::FusedRule::Kind::Q8_0;
    case BlockRule::Kind::Q4_0: return kernels::FusedRule::Kind::Q4_0;
    case BlockRule::Kind::Q4_1: return kernels::FusedRule::Kind::Q4_1;
    case BlockRule::Kind::Q5_0: return kernels::FusedRule::Kind::Q5_0;
    default: return kernels::FusedRule::Kind::E2M1;
    }
}

// One pass over the tensor for quantizer q. metrics: error sums, channels, codes; ranges: histograms.
bool fused_pass(const Tensor& t, const Quantizer& q, bool metrics, const PassRanges& r, const ChannelLayout& ch,
                bool has_nonfinite, PassOutput& out, Tracker& tracker) {
    const std::int64_t n = t.numel();
    if (auto setup = int_pass_setup(q, metrics, r, ch, has_nonfinite))
        return int_fused_pass(t, dynamic_cast<const IntQuantizer&>(q), *setup, r, ch, out, tracker);
    const std::int64_t chunk = chunk_size_for(q.granule());
    const std::int64_t nchunks = (n + chunk - 1) / chunk;
    const float* x = t.data();
    if (metrics) {
        out.chunks.assign(static_cast<std::size_t>(nchunks), ChunkResult{});
        out.code_counts.assign(256, 0);
    }
    if (r.histograms) {
        out.dq.assign(static_cast<std::size_t>(r.weights.total()), 0);
        out.err.assign(static_cast<std::size_t>(r.errors.total()), 0);
    }
    const std::size_t unit = static_cast<std::size_t>(std::max<std::int64_t>(1, nchunks / 64));
    const auto fsetup = format_pass_setup(q, metrics, r, n, has_nonfinite);
    std::optional<std::vector<float>> code_values;
    if (fsetup && fsetup->dq_mode == kernels::FormatDqHistogram::FromCodes) code_values = q.code_values();
    // values per run() call of the fused statistics: dequantized values and codes stay in the L1 cache
    const std::int64_t granule = std::max<std::int64_t>(q.granule(), 1);
    const std::int64_t piece = std::min(chunk, granule >= 2048 ? granule : 2048 / granule * granule);
#pragma omp parallel
    {
        std::unique_ptr<kernels::FormatPass> fpass;
        if (fsetup) fpass = std::make_unique<kernels::FormatPass>(*fsetup);
        std::vector<float> buf(static_cast<std::size_t>(chunk));
        std::vector<std::int8_t> codes(metrics ? static_cast<std::size_t>(chunk) : 0);
        // a piece's block parameters where the fused statistics work out run()'s rule themselves
        const std::int64_t rule_stride = piece / 16 + 1;
        std::vector<float> rule_params(fpass ? static_cast<std::size_t>(6 * rule_stride) : 0);
        std::vector<std::uint64_t> cc(metrics ? 256 : 0, 0);
        std::uint32_t cc32[4][256] = {};
        kernels::BinCounter hdq, herr;
        kernels::CodeErrorCounter joint;  // codes and errors in one increment when both are wanted
        const bool use_joint = metrics && r.histograms;
        if (r.histograms && !fpass) {
            if (!r.derive_dq_from_codes) hdq = kernels::BinCounter(r.weights);
            if (use_joint) joint = kernels::CodeErrorCounter(r.errors);
            else herr = kernels::BinCounter(r.errors);
        }
        std::size_t since = 0;
#pragma omp for schedule(dynamic, 2)
        for (std::int64_t c = 0; c < nchunks; ++c) {
            if (tracker.cancelled()) continue;
            const std::int64_t b = c * chunk, e = std::min(n, b + chunk), len = e - b;
            ChunkResult* cr = metrics ? &out.chunks[static_cast<std::size_t>(c)] : nullptr;
            if (fpass) {
                // run() and the statistics a first-level-cache piece at a time, each piece's statistics in
                // one sweep per output-channel segment
                for (std::int64_t pb = b; pb < e; pb += piece) {
                    const std::int64_t pe = std::min(e, pb + piece);
                    // (the fused rules take one block per vector of 16: channel segments must start on one)
                    const BlockRule rule = ch.len % 16 == 0 ? q.block_rule(pb, pe, rule_params.data(), rule_stride) : BlockRule{};
                    if (rule.kind == BlockRule::Kind::None) q.run(pb, pe, buf.data(), codes.data(), &cr->clipped);
                    std::int64_t i = pb;
                    while (i < pe) {
                        const std::int64_t chn = ch.len > 0 ? i / ch.len : 0;
                        const std::int64_t seg_end = ch.len > 0 ? std::min(pe, (chn + 1) * ch.len) : pe;
                        kernels::ErrorSums s;
                        // the next piece's values come in from memory while this one is counted
                        const std::int64_t next = std::min(seg_end - i, n - (i + piece));
                        if (rule.kind == BlockRule::Kind::None) {
                            fpass->add(x + i, buf.data() + (i - pb), codes.data() + (i - pb), seg_end - i, s, x + i + piece, next);
                        } else {
                            kernels::FusedRule fr;
                            fr.kind = fused_kind(rule.kind);
                            fr.shift = rule.shift;
                            fr.first = i - pb;
                            fr.params = rule_params.data();
                            fr.stride = rule_stride;
                            fpass->add_fused(fr, x + i, buf.data() + (i - pb), codes.data() + (i - pb), seg_end - i, s, cr->clipped,
                                             x + i + piece, next);
                        }
                        if (!cr->channel_sse.empty() && cr->channel_sse.back().first == chn) cr->channel_sse.back().second += s.sum_e2;
                        else cr->channel_sse.emplace_back(chn, s.sum_e2);
                        cr->sums.merge(s);
                        i = seg_end;
                    }
                }
                if ((c + 1) % static_cast<std::int64_t>(unit) == 0) tracker.add(unit);
                continue;
            }
            q.run(b, e, buf.data(), metrics ? codes.data() : nullptr, cr ? &cr->clipped : nullptr);
            if (metrics) {
                // error sums per output-channel segment, so each channel's squared error falls out too
                std::int64_t i = b;
                while (i < e) {
                    const std::int64_t chn = ch.len > 0 ? i / ch.len : 0;
                    const std::int64_t seg_end = ch.len > 0 ? std::min(e, (chn + 1) * ch.len) : e;
                    kernels::ErrorSums s;
                    kernels::error_sums(x + i, buf.data() + (i - b), seg_end - i, s);
                    // a channel with a non-finite dequantized value has an infinite squared error
                    cr->channel_sse.emplace_back(chn, s.nonfinite_dq ? std::numeric_limits<double>::infinity() : s.sum_e2);
                    cr->sums.merge(s);
                    i = seg_end;
                }
                if (use_joint) {
                    joint.add(x + b, buf.data(), codes.data(), len);
                } else if (!has_nonfinite) {
                    std::int64_t k = 0;
                    for (; k + 4 <= len; k += 4) {
                        ++cc32[0][static_cast<std::uint8_t>(codes[static_cast<std::size_t>(k)] + 128)];
                        ++cc32[1][static_cast<std::uint8_t>(codes[static_cast<std::size_t>(k + 1)] + 128)];
                        ++cc32[2][static_cast<std::uint8_t>(codes[static_cast<std::size_t>(k + 2)] + 128)];
                        ++cc32[3][static_cast<std::uint8_t>(codes[static_cast<std::size_t>(k + 3)] + 128)];
                    }
                    for (; k < len; ++k) ++cc32[0][static_cast<std::uint8_t>(codes[static_cast<std::size_t>(k)] + 128)];
                    // uint32 counters: flush long before they could wrap
                    if (++since >= (std::size_t(1) << 15)) {
                        for (int s = 0; s < 4; ++s)
                            for (int v = 0; v < 256; ++v) { cc[static_cast<std::size_t>(v)] += cc32[s][v]; cc32[s][v] = 0; }
                        since = 0;
                    }
                } else {
                    for (std::int64_t k = 0; k < len; ++k)
                        if (std::isfinite(x[b + k])) ++cc[static_cast<std::uint8_t>(codes[static_cast<std::size_t>(k)] + 128)];
                }
            }
            if (r.histograms && !fpass) {
                if (!r.derive_dq_from_codes) hdq.add(buf.data(), x + b, len);
                if (!use_joint) herr.add_error(x + b, buf.data(), len);
            }
            if ((c + 1) % static_cast<std::int64_t>(unit) == 0) tracker.add(unit);
        }
#pragma omp critical(ql_fused_pass_merge)
        if (fpass) {
            fpass->merge_into(out.code_counts, out.dq, out.err, out.dq_outside, out.err_outside);
        } else {
            if (metrics) {
                for (int s = 0; s < 4; ++s)
                    for (int v = 0; v < 256; ++v) cc[static_cast<std::size_t>(v)] += cc32[s][v];
                for (std::size_t v = 0; v < 256; ++v) out.code_counts[v] += cc[v];
            }
            if (r.histograms) {
                if (!r.derive_dq_from_codes) {
                    hdq.merge_into(out.dq);
                    out.dq_outside += hdq.outside();
                }
                if (use_joint) {
                    out.err_outside += joint.merge_into(out.code_counts, out.err);
                } else {
                    herr.merge_into(out.err);
                    out.err_outside += herr.outside();
                }
            }
        }
    }
    if (fsetup) out.xdq_from_norms = true;  // the format pass leaves the products out
    if (fsetup && fsetup->dq_mode == kernels::FormatDqHistogram::Correction && !tracker.cancelled()) {
        const auto below = static_cast<std::size_t>(r.weights.below);
        for (std::size_t k = 0; k < r.original->size(); ++k) out.dq[k + below] += (*r.original)[k];
    }
    if (code_values && !tracker.cancelled()) {
        // one scale for the whole tensor: each code's count lands in its value's bin
        for (std::size_t c = 0; c < 256; ++c) {
            const std::uint64_t cnt = out.code_counts[c];
            if (!cnt) continue;
            const int bin = r.weights.bin_of((*code_values)[c]);
            if (bin < 0) out.dq_outside += cnt;
            else out.dq[static_cast<std::size_t>(bin)] += cnt;
        }
    }
    return !tracker.cancelled();
}

// sum x dq over the finite pairs, in double: for a pass that left the products out when the identity
// x dq = (x^2 + dq^2 - e^2) / 2 would cancel most of its digits (dq far smaller than x, or nearly
// orthogonal to it).
double exact_sum_xdq(const Tensor& t, const Quantizer& q) {
    const std::int64_t n = t.numel();
    const std::int64_t chunk = chunk_size_for(q.granule());
    const std::int64_t nchunks = (n + chunk - 1) / chunk;
    const float* x = t.data();
    std::vector<double> part(static_cast<std::size_t>(nchunks), 0.0);
#pragma omp parallel
    {
        std::vector<float> buf(static_cast<std::size_t>(chunk));
#pragma omp for schedule(dynamic, 2)
        for (std::int64_t c = 0; c < nchunks; ++c) {
            const std::int64_t b = c * chunk, e = std::min(n, b + chunk);
            q.run(b, e, buf.data(), nullptr, nullptr);
            double acc = 0;
            for (std::int64_t i = b; i < e; ++i) {
                const float d = buf[static_cast<std::size_t>(i - b)];
                if (std::isfinite(x[i]) && std::isfinite(d)) acc += static_cast<double>(x[i]) * static_cast<double>(d);
            }
            part[static_cast<std::size_t>(c)] = acc;
        }
    }
    return std::accumulate(part.begin(), part.end(), 0.0);  // chunk order: the same on any thread count
}

// The warning for a configuration some of whose finite inputs dequantize to +-inf or NaN.
std::string nonfinite_dq_warning(const QuantConfig& c, std::uint64_t bad, std::uint64_t finite) {
    std::string why;
    switch (c.format) {
    case Format::Q8_0: case Format::Q4_0: case Format::Q4_1: case Format::Q5_0: case Format::Q2_K: case Format::Q3_K: case Format::Q4_K: case Format::Q5_K: case Format::Q6_K:
    case Format::IQ4_NL: case Format::IQ4_XS:
        why = ": their block's scale (or minimum) is stored as fp16, which holds at most 65504, and overflows";
        break;
    default: why = ": their scale or level overflows float"; break;
    }
    return c.display_name() + ": " + std::to_string(bad) + " of " + std::to_string(finite) + " values dequantize to +-inf or NaN" + why +
           ". MSE, MAE, max error and the layer output error are infinite; the histograms show the finite values only";
}

// The note for a configuration whose stored blocks pad the tensor's rows (formats whose blocks run
// along the last axis store a row's last block whole), or "" when the padding is below
// kPaddingWorthSaying of the code slots: its bits per weight then count the padding.
std::string padding_note(const QuantConfig& c, const StorageSize& st, const std::vector<std::int64_t>& shape, std::int64_t n) {
    const double fraction = padding_worth_saying(st, n);
    if (fraction == 0) return {};
    char pct[32], bits[32];
    std::snprintf(pct, sizeof pct, "%.0f%%", 100.0 * fraction);
    std::snprintf(bits, sizeof bits, "%.2f", st.bits_per_weight);
    const std::int64_t cols = shape.empty() ? n : std::max<std::int64_t>(shape.back(), 1);
    const std::uint64_t rows = static_cast<std::uint64_t>(n / cols);
    std::string where;
    if (rows > 0 && st.padding % rows == 0)
        where = (rows == 1 ? "its " + std::to_string(cols) + " values take " : "each row of " + std::to_string(cols) + " values takes ") +
                std::to_string(static_cast<std::uint64_t>(cols) + st.padding / rows) + " code slots (whole blocks)";
    else
        where = "its last block of each run is stored whole";
    return c.display_name() + ": " + where + ", so " + pct + " of the codes stored are padding, counted in its " + bits +
           " bits per weight";
}

// Y - Yq when Wq holds +-inf or NaN: unbounded.
ForwardDiff infinite_forward_diff() {
    const double inf = std::numeric_limits<double>::infinity();
    return ForwardDiff{inf, inf, inf};
}

Histogram make_hist(double lo, double hi, std::vector<std::uint64_t> counts) {
    Histogram h;
    h.lo = lo;
    h.hi = hi;
    h.counts = std::move(counts);
    h.total = std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t(0));
    return h;
}

// ---- layer simulation and SNR sweep, memoised: they do not change when unrelated settings do ----

QuantConfig cache_key(QuantConfig c) {
    c.label.clear();
    c.color = 0;
    return c;
}

struct LayerSimKey {
    QuantConfig config;
    LayerSimOptions opt;
    bool operator<(const LayerSimKey& o) const {
        auto tie = [](const LayerSimKey& k) {
            return std::make_tuple(static_cast<int>(k.config.format), k.config.bits, static_cast<int>(k.config.scheme),
                                   static_cast<int>(k.config.granularity), k.config.axis, k.config.group_size,
                                   k.config.block_size, static_cast<int>(k.config.scale_type),
                                   static_cast<int>(k.config.range), k.config.percentile, k.opt.layers, k.opt.width,
                                   k.opt.batch, k.opt.weight_std, static_cast<int>(k.opt.activation), k.opt.seed);
        };
        return tie(*this) < tie(o);
    }
};

std::mutex g_memo_mutex;

// The Int quantizers' slice ranges (min and max of every channel or group), per tensor and slicing: a
// statistic of the tensor like its summary, kept while bits or scheme change, so a per-group
// configuration's slider move and the 7 bit widths of its SNR sweep scan the groups once.
struct RangesEntry {
    std::weak_ptr<const Tensor> tensor;
    Granularity granularity = Granularity::PerTensor;
    int axis = 0, group_size = 0;
    std::shared_ptr<const SliceRanges> ranges;
};
std::vector<RangesEntry> g_ranges_memo;

bool same_slicing(const RangesEntry& e, const QuantConfig& c) {
    if (e.granularity != c.granularity) return false;
    return c.granularity == Granularity::PerChannel ? e.axis == c.axis : e.group_size == c.group_size;
}

// NF4 and NF4+DQ's block absmax values, per tensor and block size, kept like the slice ranges: NF4+DQ
// reads the whole tensor for them before it can quantize, and they do not change with the format's other
// settings (or between NF4 and NF4+DQ).
struct BlockAbsmaxEntry {
    std::weak_ptr<const Tensor> tensor;
    int block = 0;  // the block size in use (the format's default when the configuration says 0)
    std::shared_ptr<const LargeVector<float>> absmax;
};
std::vector<BlockAbsmaxEntry> g_absmax_memo;

constexpr std::size_t kStatsMemoEntries = 8;  // per memo of per-tensor statistics; the oldest entry goes first

// Replaces memo's entry for (tp, what same() matches) by e, and drops entries of tensors that are gone.
template <class Entry, class Same>
void remember_stats(std::vector<Entry>& memo, const std::shared_ptr<const Tensor>& tp, Same same, Entry e) {
    std::erase_if(memo, [&](const Entry& old) { return old.tensor.expired() || (same(old) && old.tensor.lock() == tp); });
    if (memo.size() >= kStatsMemoEntries) memo.erase(memo.begin());
    memo.push_back(std::move(e));
}

// q.prepare(*tp), with the slice ranges of an earlier Int quantizer of tp with the same slicing, or the
// block absmax of an earlier NF4 quantizer of tp with the same block size.
bool prepare_with_memo(Quantizer& q, const std::shared_ptr<const Tensor>& tp, const ProgressFn& progress = {}) {
    auto* iq = dynamic_cast<IntQuantizer*>(&q);
    const QuantConfig& c = q.config();
    const bool sliced = iq && c.granularity != Granularity::PerTensor;
    const bool nf4 = c.format == Format::NF4 || c.format == Format::NF4_DQ;
    // Q4_0, Q4_1, Q5_0: their blocks' ranges are the tensor's per-group-32 slice ranges (see
    // set_ggml_block_ranges), kept with the Int quantizers' when their scan checked every value is finite
    const bool small_ggml = c.format == Format::Q4_0 || c.format == Format::Q4_1 || c.format == Format::Q5_0;
    auto group32 = [](const RangesEntry& e) { return e.granularity == Granularity::PerGroup && e.group_size == 32; };
    const int block = c.block_size > 0 ? c.block_size : default_block_size(c.format);
    auto same_block = [&](const BlockAbsmaxEntry& e) { return e.block == block; };
    if (sliced || nf4 || small_ggml) {
        std::lock_guard<std::mutex> lock(g_memo_mutex);
        if (sliced)
            for (const auto& e : g_ranges_memo)
                if (same_slicing(e, c) && e.tensor.lock() == tp) iq->set_slice_ranges(e.ranges);
        if (nf4)
            for (const auto& e : g_absmax_memo)
                if (same_block(e) && e.tensor.lock() == tp) set_nf4_block_absmax(q, e.absmax);
        if (small_ggml)
            for (const auto& e : g_ranges_memo)
                if (group32(e) && e.ranges->all_finite && e.tensor.lock() == tp) set_ggml_block_ranges(q, e.ranges);
    }
    if (!q.prepare(*tp, progress)) return false;
    if (sliced && iq->slice_ranges()) {
        std::lock_guard<std::mutex> lock(g_memo_mutex);
        remember_stats(g_ranges_memo, tp, [&](const RangesEntry& e) { return same_slicing(e, c); },
                       RangesEntry{tp, c.granularity, c.axis, c.group_size, iq->slice_ranges()});
    }
    if (small_ggml) {
        if (auto r = ggml_block_ranges(q); r && r->all_finite) {
            std::lock_guard<std::mutex> lock(g_memo_mutex);
            remember_stats(g_ranges_memo, tp, group32, RangesEntry{tp, Granularity::PerGroup, 0, 32, std::move(r)});
        }
    }
    if (nf4) {
        if (auto absmax = nf4_block_absmax(q)) {
            std::lock_guard<std::mutex> lock(g_memo_mutex);
            remember_stats(g_absmax_memo, tp, same_block, BlockAbsmaxEntry{tp, block, std::move(absmax)});
        }
    }
    return true;
}
std::map<LayerSimKey, std::vector<LayerError>> g_layer_memo;

float activate(float v, Activation a) {
    switch (a) {
    case Activation::None: return v;
    case Activation::ReLU: return v > 0.0f ? v : 0.0f;
    case Activation::GELU: return static_cast<float>(0.5 * v * (1.0 + std::erf(v / 1.4142135623730951)));
    }
    return v;
}

// w quantized with c and dequantized into out (w.numel() floats; reused across layers, so a layer costs
// no fresh pages).
void dequantize_into(const Tensor& w, const QuantConfig& c, float* out) {
    auto q = make_quantizer(c);
    q->prepare(w);
    const std::int64_t n = w.numel();
    const std::int64_t chunk = chunk_size_for(q->granule());
    const std::int64_t nchunks = (n + chunk - 1) / chunk;
#pragma omp parallel for schedule(static)
    for (std::int64_t c = 0; c < nchunks; ++c) {
        const std::int64_t b = c * chunk, e = std::min(n, b + chunk);
        q->run(b, e, out + b, nullptr, nullptr);
    }
}

// The FP32 side of the layer simulation: the random input, every layer's weights and the FP32 chain's
// output after each layer. It depends on the simulation options only, so it is made once and shared
// by every configuration (generating the weights costs more than the quantized chain itself).
struct LayerSimBase {
    LayerSimOptions opt;
    std::vector<Tensor> weights;     // layers x (d x d); empty when too large to keep
    RowMatrix input;                 // batch x d
    std::vector<RowMatrix> outputs;  // FP32 chain after each layer
};

constexpr double kMaxKeptLayerBytes = 256.0 * 1024 * 1024;

Tensor layer_weight(const LayerSimOptions& o, int l) {
    Tensor w("layer", {o.width, o.width});
    Rng rng(o.seed + 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(l + 1));
    fill_normal(rng, w.data(), w.numel(), o.weight_std);  // = weight_std x rng.normal() in turn
    return w;
}

bool same_layer_options(const LayerSimOptions& a, const LayerSimOptions& b) {
    return a.layers == b.layers && a.width == b.width && a.batch == b.batch && a.weight_std == b.weight_std &&
           a.activation == b.activation && a.seed == b.seed;
}

std::mutex g_layer_base_mutex;  // held while the base is made, so concurrent analyses make it once
std::shared_ptr<const LayerSimBase> g_layer_base;

std::shared_ptr<const LayerSimBase> layer_sim_base(const LayerSimOptions& o) {
    std::lock_guard<std::mutex> lock(g_layer_base_mutex);
    if (g_layer_base && same_layer_options(g_layer_base->opt, o)) return g_layer_base;
    auto base = std::make_shared<LayerSimBase>();
    base->opt = o;
    const int d = o.width;
    base->input.resize(o.batch, d);
    {
        Rng rng(o.seed ^ 0x5eed5eedull);
        for (Eigen::Index i = 0; i < base->input.size(); ++i) base->input.data()[i] = static_cast<float>(rng.normal());
    }
    // Weights are kept up to kMaxKeptLayerBytes; beyond, each configuration regenerates them.
    const bool keep = static_cast<double>(o.layers) * d * d * sizeof(float) <= kMaxKeptLayerBytes;
    RowMatrix h = base->input;
    for (int l = 0; l < o.layers; ++l) {
        Tensor w = layer_weight(o, l);
        Eigen::Map<const RowMatrix> W(w.data(), d, d);
        RowMatrix nh = h * W.transpose();
        h = nh.unaryExpr([&](float v) { return activate(v, o.activation); });
        base->outputs.push_back(h);
        if (keep) base->weights.push_back(std::move(w));
    }
    g_layer_base = base;
    return base;
}

// out = A B^T on every thread (Eigen is built without its own threads): each thread takes blocks of
// B's rows, i.e. of out's columns.
void product_nt(const RowMatrix& A, const RowMatrix& B, RowMatrix& out) {
    out.resize(A.rows(), B.rows());
    constexpr Eigen::Index kCols = 128;
    const Eigen::Index nblocks = (B.rows() + kCols - 1) / kCols;
#pragma omp parallel for schedule(dynamic, 1) if (nblocks > 1)
    for (Eigen::Index b = 0; b < nblocks; ++b) {
        const Eigen::Index c0 = b * kCols, nc = std::min(kCols, B.rows() - c0);
        out.middleCols(c0, nc).noalias() = A * B.middleRows(c0, nc).transpose();
    }
}

// N layers h <- act(h W^T) in FP32 and with every W quantized; error of the quantized chain per layer.
std::vector<LayerError> simulate_layers(const QuantConfig& c, const LayerSimOptions& o) {
    const LayerSimKey key{cache_key(c), o};
    {
        std::lock_guard<std::mutex> lock(g_memo_mutex);
        auto it = g_layer_memo.find(key);
        if (it != g_layer_memo.end()) return it->second;
    }
    if (o.layers < 1 || o.width < 1 || o.batch < 1 || o.layers > 256 || o.width > 16384 || o.batch > 65536)
        throw std::invalid_argument("layer simulation needs 1..256 layers, width 1..16384, batch 1..65536");
    const std::shared_ptr<const LayerSimBase> base = layer_sim_base(o);
    const int d = o.width;
    RowMatrix hq = base->input;
    RowMatrix Wq(d, d);  // one buffer for every layer's dequantized weights
    RowMatrix nhq;
    std::vector<LayerError> out;
    for (int l = 0; l < o.layers; ++l) {
        const auto li = static_cast<std::size_t>(l);
        if (li < base->weights.size()) dequantize_into(base->weights[li], c, Wq.data());
        else dequantize_into(layer_weight(o, l), c, Wq.data());
        product_nt(hq, Wq, nhq);
        hq = nhq.unaryExpr([&](float v) { return activate(v, o.activation); });
        const RowMatrix& h = base->outputs[static_cast<std::size_t>(l)];
        double abs_sum = 0, diff2 = 0, ref2 = 0;
        for (Eigen::Index i = 0; i < h.size(); ++i) {
            const double a = h.data()[i], b = hq.data()[i];
            abs_sum += std::fabs(a - b);
            diff2 += (a - b) * (a - b);
            ref2 += a * a;
        }
        LayerError e;
        e.layer = l + 1;
        e.mean_abs = abs_sum / static_cast<double>(h.size());
        e.relative = ref2 > 0 ? std::sqrt(diff2 / ref2) : 0.0;
        out.push_back(e);
    }
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    if (g_layer_memo.size() > 64) g_layer_memo.clear();
    g_layer_memo[key] = out;
    return out;
}

void layer_sim_into(ConfigReport& cr, const LayerSimOptions& o, AnalysisReport& rep) {
    try {
        cr.layers = simulate_layers(cr.config, o);
    } catch (const std::exception& e) {
        rep.warnings.push_back(cr.config.display_name() + ": layer simulation: " + e.what());
    }
}

// SNR at bits 2..8 for an Int or HQQ configuration on tensor t (memoised per tensor and bit-free config).
struct SweepEntry {
    std::weak_ptr<const Tensor> tensor;
    QuantConfig config;
    std::vector<SnrPoint> points;
};
std::vector<SweepEntry> g_sweep_memo;

QuantConfig sweep_key(const QuantConfig& c) {
    QuantConfig key = cache_key(c);
    key.bits = 0;
    return key;
}

// The memo's sweep of c on tp, or an empty one.
std::vector<SnrPoint> memoised_sweep(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c) {
    const QuantConfig key = sweep_key(c);
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    for (auto& e : g_sweep_memo)
        if (e.config == key && e.tensor.lock() == tp) return e.points;
    return {};
}

std::vector<SnrPoint> snr_sweep(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, double sum_x2,
                                const TensorSummary& summary, Tracker& tracker) {
    const QuantConfig key = sweep_key(c);
    if (auto memo = memoised_sweep(tp, c); !memo.empty()) return memo;
    const Tensor& t = *tp;
    std::vector<SnrPoint> pts;
    const ChannelLayout ch = channel_layout(t);
    for (int b = 2; b <= 8; ++b) {
        QuantConfig cb = c;
        cb.bits = b;
        auto q = make_quantizer(cb);
        if (cb.granularity == Granularity::PerTensor && summary.min <= summary.max)
            q->set_tensor_range(static_cast<float>(summary.min), static_cast<float>(summary.max));
        // HQQ's solver asks whether to go on at each iteration: a newer request stops it there
        if (!prepare_with_memo(*q, tp, [&](std::size_t, std::size_t) { return tracker.add(0); })) return {};
        PassOutput po;
        if (!fused_pass(t, *q, true, PassRanges{}, ch, summary.nan_count + summary.inf_count > 0, po, tracker)) return {};
        kernels::ErrorSums s;
        for (auto& cr : po.chunks) s.merge(cr.sums);
        SnrPoint p;
        p.bits = b;
        p.snr_db = s.sum_e2 > 0 ? 10.0 * std::log10(sum_x2 / s.sum_e2) : std::numeric_limits<double>::infinity();
        p.bits_per_weight = q->storage().bits_per_weight;
        pts.push_back(p);
    }
    const double snr8 = pts.back().snr_db;
    for (auto& p : pts) p.reference_db = snr8 - 6.02 * (8 - p.bits);
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    std::erase_if(g_sweep_memo, [](const SweepEntry& e) { return e.tensor.expired(); });
    if (g_sweep_memo.size() > 32) g_sweep_memo.erase(g_sweep_memo.begin());
    g_sweep_memo.push_back(SweepEntry{tp, key, pts});
    return pts;
}

// Forward difference of one layer: Y = X W^T and the error D = X (W - Wq)^T, W seen as
// [channels, fan_in] (a conv filter flattened), X ~ normal(0, 1) of [batch, fan_in].
struct ForwardContext {
    RowMatrix X;
    double mean_abs_y = 0;
};

ForwardContext forward_context(const Tensor& t, const ChannelLayout& ch, const AnalysisOptions& o) {
    ForwardContext f;
    const int B = std::clamp(o.forward_batch, 1, 4096);
    f.X.resize(B, ch.len);
    Rng rng(o.forward_seed);
    for (Eigen::Index i = 0; i < f.X.size(); ++i) f.X.data()[i] = static_cast<float>(rng.normal());
    Eigen::Map<const RowMatrix> W(t.data(), ch.channels, ch.len);
    const RowMatrix Y = f.X * W.transpose();
    double s = 0;
    for (Eigen::Index i = 0; i < Y.size(); ++i) s += std::fabs(static_cast<double>(Y.data()[i]));
    f.mean_abs_y = Y.size() ? s / static_cast<double>(Y.size()) : 0.0;
    return f;
}

ForwardDiff forward_diff(const Tensor& t, const Quantizer& q, const ChannelLayout& ch, const ForwardContext& f, int threads) {
    ForwardDiff r;
    const std::int64_t g = std::max<std::int64_t>(q.granule(), 1);
    // rows per block: a multiple of g / gcd(g, len) so every block starts on a granule boundary
    const std::int64_t step = g / std::gcd(g, std::max<std::int64_t>(ch.len, 1));
    const std::int64_t rows_per_block = std::max<std::int64_t>(step, (262144 / std::max<std::int64_t>(ch.len, 1)) / step * step);
    const std::int64_t nblocks = (ch.channels + rows_per_block - 1) / rows_per_block;
    const Eigen::Index B = f.X.rows();
    double abs_sum = 0, max_abs = 0;
#pragma omp parallel reduction(+ : abs_sum) reduction(max : max_abs) num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        RowMatrix E;
#pragma omp for schedule(dynamic, 1)
        for (std::int64_t blk = 0; blk < nblocks; ++blk) {
            const std::int64_t r0 = blk * rows_per_block, r1 = std::min(ch.channels, r0 + rows_per_block);
            E.resize(r1 - r0, ch.len);
            q.run(r0 * ch.len, r1 * ch.len, E.data(), nullptr, nullptr);
            Eigen::Map<const RowMatrix> W(t.data() + r0 * ch.len, r1 - r0, ch.len);
            E = W - E;  // W - Wq
            const RowMatrix D = f.X * E.transpose();
            for (Eigen::Index i = 0; i < D.size(); ++i) {
                const double a = std::fabs(static_cast<double>(D.data()[i]));
                abs_sum += a;
                max_abs = std::max(max_abs, a);
            }
        }
    }
    const double count = static_cast<double>(B) * static_cast<double>(ch.channels);
    r.mean_abs = count > 0 ? abs_sum / count : 0.0;
    r.max_abs = max_abs;
    r.mean_rel_pct = f.mean_abs_y > 0 ? r.mean_abs / f.mean_abs_y * 100.0 : 0.0;
    return r;
}

// The forward difference depends only on the tensor, the configuration and the forward options, so
// it is memoised like the SNR sweep: moving one configuration's slider recomputes that
// configuration's product alone (about 1 GFLOP on 4096x4096 with 32 rows), not every configuration's
// nor X W^T.
struct ForwardMemo {
    std::weak_ptr<const Tensor> tensor;
    int batch = 0;
    std::uint64_t seed = 0;
    QuantConfig config;     // cache_key of the configuration; unused for the context entry
    ForwardDiff diff;
};
std::vector<ForwardMemo> g_forward_memo;
struct ForwardContextMemo {
    std::weak_ptr<const Tensor> tensor;
    int batch = 0;
    std::uint64_t seed = 0;
    std::shared_ptr<const ForwardContext> context;
};
std::vector<ForwardContextMemo> g_forward_context_memo;

std::optional<ForwardDiff> memoised_forward_diff(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, const AnalysisOptions& o) {
    const QuantConfig key = cache_key(c);
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    for (const auto& e : g_forward_memo)
        if (e.batch == o.forward_batch && e.seed == o.forward_seed && e.config == key && e.tensor.lock() == tp) return e.diff;
    return std::nullopt;
}

void remember_forward_diff(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, const AnalysisOptions& o, const ForwardDiff& d) {
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    std::erase_if(g_forward_memo, [](const ForwardMemo& e) { return e.tensor.expired(); });
    if (g_forward_memo.size() >= 32) g_forward_memo.erase(g_forward_memo.begin());
    g_forward_memo.push_back(ForwardMemo{tp, o.forward_batch, o.forward_seed, cache_key(c), d});
}

std::shared_ptr<const ForwardContext> memoised_forward_context(const std::shared_ptr<const Tensor>& tp, const ChannelLayout& ch,
                                                               const AnalysisOptions& o) {
    {
        std::lock_guard<std::mutex> lock(g_memo_mutex);
        for (const auto& e : g_forward_context_memo)
            if (e.batch == o.forward_batch && e.seed == o.forward_seed && e.tensor.lock() == tp) return e.context;
    }
    auto ctx = std::make_shared<const ForwardContext>(forward_context(*tp, ch, o));
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    std::erase_if(g_forward_context_memo, [](const ForwardContextMemo& e) { return e.tensor.expired(); });
    if (g_forward_context_memo.size() >= 2) g_forward_context_memo.erase(g_forward_context_memo.begin());
    g_forward_context_memo.push_back(ForwardContextMemo{tp, o.forward_batch, o.forward_seed, ctx});
    return ctx;
}

// The memoised forward difference of configuration c, or computed with its prepared quantizer q (the
// context X and mean |X W^T| made on first use and kept in fwd).
ForwardDiff forward_of(const std::shared_ptr<const Tensor>& tp, const Quantizer& q, const QuantConfig& c, const ChannelLayout& ch,
                       const AnalysisOptions& o, std::shared_ptr<const ForwardContext>& fwd, int threads = 0) {
    if (auto memo = memoised_forward_diff(tp, c, o)) return *memo;
    if (!fwd) fwd = memoised_forward_context(tp, ch, o);
    const ForwardDiff d = forward_diff(*tp, q, ch, *fwd, threads);
    remember_forward_diff(tp, c, o, d);
    return d;
}

// Prepared quantizers and their fused pass, per (tensor, configuration): moving one configuration's
// slider leaves every other configuration's quantizer and histograms valid, so an update quantizes the
// changed configuration alone. A pass is reused only on the same grids (the weight grid is shared by
// every configuration, each error grid is its own). The entries hold a quantizer's parameters or
// packed blocks, so they are few and bounded in bytes.
struct PreparedMemo {
    std::weak_ptr<const Tensor> tensor;
    QuantConfig config;                      // cache_key
    const Accelerator* accelerator = nullptr;
    std::shared_ptr<Quantizer> q;            // prepared; only const members are used afterwards
    std::uint64_t bytes = 0;                 // its storage size, the memo's budget unit
    std::shared_ptr<const PassOutput> pass;  // null until a pass on bound-derived grids finished
    kernels::BinGrid wgrid, egrid;
};
std::vector<PreparedMemo> g_prepared_memo;  // most recently used last
constexpr std::size_t kPreparedMemoEntries = 8;
constexpr std::uint64_t kPreparedMemoBytes = std::uint64_t(768) << 20;  // 768 MiB of stored formats

bool same_grid(const kernels::BinGrid& a, const kernels::BinGrid& b) {
    return a.base_lo == b.base_lo && a.base_hi == b.base_hi && a.base_bins == b.base_bins && a.below == b.below && a.above == b.above;
}

PreparedMemo* find_prepared(const std::shared_ptr<const Tensor>& tp, const QuantConfig& key, const Accelerator* acc) {
    for (auto& e : g_prepared_memo)
        if (e.accelerator == acc && e.config == key && e.tensor.lock() == tp) return &e;
    return nullptr;
}

std::shared_ptr<Quantizer> memoised_quantizer(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, const Accelerator* acc) {
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    if (auto* e = find_prepared(tp, cache_key(c), acc)) return e->q;
    return nullptr;
}

void remember_quantizer(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, const Accelerator* acc, std::shared_ptr<Quantizer> q) {
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    const QuantConfig key = cache_key(c);
    if (find_prepared(tp, key, acc)) return;
    std::erase_if(g_prepared_memo, [](const PreparedMemo& e) { return e.tensor.expired(); });
    PreparedMemo m;
    m.tensor = tp;
    m.config = key;
    m.accelerator = acc;
    m.bytes = q->storage().bytes;
    m.q = std::move(q);
    g_prepared_memo.push_back(std::move(m));
    std::uint64_t total = 0;
    for (const auto& e : g_prepared_memo) total += e.bytes;
    while (g_prepared_memo.size() > 1 && (g_prepared_memo.size() > kPreparedMemoEntries || total > kPreparedMemoBytes)) {
        total -= g_prepared_memo.front().bytes;
        g_prepared_memo.erase(g_prepared_memo.begin());
    }
}

std::shared_ptr<const PassOutput> memoised_pass(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, const Accelerator* acc,
                                                const kernels::BinGrid& wgrid, const kernels::BinGrid& egrid) {
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    auto* e = find_prepared(tp, cache_key(c), acc);
    if (!e || !e->pass || !same_grid(e->egrid, egrid)) return nullptr;
    if (same_grid(e->wgrid, wgrid)) return e->pass;
    // The weight grid is shared by every configuration, so another configuration's bounds move its
    // extension (below/above) while the base grid stays: a value's bin before the shift by `below`
    // depends on the base grid alone, so the dequantized histogram moves over by whole bins, as long
    // as every counted bin still lies inside the new grid.
    const kernels::BinGrid& old = e->wgrid;
    if (old.base_lo != wgrid.base_lo || old.base_hi != wgrid.base_hi || old.base_bins != wgrid.base_bins) return nullptr;
    const PassOutput& src = *e->pass;
    if (src.dq_outside != 0 || src.dq.size() != static_cast<std::size_t>(old.total())) return nullptr;
    const std::int64_t shift = static_cast<std::int64_t>(wgrid.below) - old.below;
    auto moved = std::make_shared<PassOutput>();
    moved->dq.assign(static_cast<std::size_t>(wgrid.total()), 0);
    for (std::size_t k = 0; k < src.dq.size(); ++k) {
        if (!src.dq[k]) continue;
        const std::int64_t to = static_cast<std::int64_t>(k) + shift;
        if (to < 0 || to >= wgrid.total()) return nullptr;
        moved->dq[static_cast<std::size_t>(to)] = src.dq[k];
    }
    moved->chunks = src.chunks;
    moved->code_counts = src.code_counts;
    moved->err = src.err;
    moved->err_outside = src.err_outside;
    moved->xdq_from_norms = src.xdq_from_norms;
    return moved;
}

void remember_pass(const std::shared_ptr<const Tensor>& tp, const QuantConfig& c, const Accelerator* acc, const kernels::BinGrid& wgrid,
                   const kernels::BinGrid& egrid, std::shared_ptr<const PassOutput> pass) {
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    if (auto* e = find_prepared(tp, cache_key(c), acc)) {
        e->pass = std::move(pass);
        e->wgrid = wgrid;
        e->egrid = egrid;
    }
}

MemoryBar memory_bar(std::string label, double bits_per_weight, std::uint64_t bytes, int index) {
    MemoryBar m;
    m.label = std::move(label);
    m.bits_per_weight = bits_per_weight;
    m.bytes = bytes;
    m.gb = static_cast<double>(bytes) / 1e9;
    m.gib = static_cast<double>(bytes) / 1073741824.0;
    m.config_index = index;
    return m;
}

} // namespace

namespace {
TensorSummary summarize_impl(const Tensor& t, double* sum_x2) {
    TensorSummary s;
    s.name = t.name;
    s.shape = t.shape;
    s.numel = t.numel();
    const std::int64_t n = s.numel;
    const std::int64_t nchunks = (n + kChunk - 1) / kChunk;
    std::vector<kernels::Moments> parts(static_cast<std::size_t>(nchunks));
#pragma omp parallel for schedule(static)
    for (std::int64_t c = 0; c < nchunks; ++c) {
        const std::int64_t b = c * kChunk;
        kernels::moments(t.data() + b, std::min(kChunk, n - b), parts[static_cast<std::size_t>(c)]);
    }
    kernels::Moments m;
    for (auto& p : parts) m.merge(p);
    s.nan_count = m.nan;
    s.inf_count = m.inf;
    if (m.count) {
        s.min = m.lo;
        s.max = m.hi;
        s.mean = m.mean;
        s.std = std::sqrt(m.m2 / static_cast<double>(m.count));
        s.absmax = std::max(std::fabs(s.min), std::fabs(s.max));
    }
    if (sum_x2) *sum_x2 = m.sum_sq;
    return s;
}
} // namespace

void forget_configuration_memos() {
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    g_layer_memo.clear();
    g_forward_memo.clear();
    g_prepared_memo.clear();
}

void forget_configuration_memos(const QuantConfig& c) {
    const QuantConfig key = cache_key(c);
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    std::erase_if(g_layer_memo, [&](const auto& e) { return e.first.config == key; });
    std::erase_if(g_forward_memo, [&](const ForwardMemo& e) { return e.config == key; });
    std::erase_if(g_prepared_memo, [&](const PreparedMemo& e) { return e.config == key; });
}

TensorSummary summarize(const Tensor& t) { return summarize_impl(t, nullptr); }

namespace {

// Statistics of one tensor that every analysis of it shares.
struct TensorStats {
    TensorSummary summary;
    double sum_x2 = 0;
    kernels::BinGrid grid;                 // base grid [min, max] in `bins` bins
    std::vector<std::uint64_t> original;   // histogram of the finite values on that grid
};

struct StatsEntry {
    std::weak_ptr<const Tensor> tensor;
    int bins = 0;
    TensorStats stats;
};
std::vector<StatsEntry> g_stats_memo;

TensorStats compute_stats(const Tensor& t, int bins) {
    TensorStats st;
    st.summary = summarize_impl(t, &st.sum_x2);
    st.grid.base_lo = st.summary.min;
    st.grid.base_hi = st.summary.max;
    st.grid.base_bins = bins;
    if (!(st.grid.base_hi > st.grid.base_lo)) {
        const double m = std::max(std::fabs(st.grid.base_lo), 1.0) * 1e-3;
        st.grid.base_lo -= m;
        st.grid.base_hi += m;
    }
    const std::int64_t n = t.numel();
    st.original.assign(static_cast<std::size_t>(bins), 0);
    const std::int64_t nchunks = (n + kChunk - 1) / kChunk;
#pragma omp parallel
    {
        kernels::BinCounter local(st.grid);
#pragma omp for schedule(static)
        for (std::int64_t c = 0; c < nchunks; ++c) {
            const std::int64_t b = c * kChunk;
            local.add(t.data() + b, t.data() + b, std::min(kChunk, n - b));
        }
#pragma omp critical(ql_orig_hist)
        local.merge_into(st.original);
    }
    return st;
}

TensorStats tensor_stats(const std::shared_ptr<const Tensor>& tp, int bins) {
    {
        std::lock_guard<std::mutex> lock(g_memo_mutex);
        for (auto& e : g_stats_memo)
            if (e.bins == bins && e.tensor.lock() == tp) return e.stats;
    }
    TensorStats st = compute_stats(*tp, bins);
    std::lock_guard<std::mutex> lock(g_memo_mutex);
    std::erase_if(g_stats_memo, [](const StatsEntry& e) { return e.tensor.expired(); });
    if (g_stats_memo.size() > 8) g_stats_memo.erase(g_stats_memo.begin());
    g_stats_memo.push_back(StatsEntry{tp, bins, st});
    return st;
}

// The base grid extended by whole bins to cover [lo, hi] (at most 8 times the base bins each way).
kernels::BinGrid extend_grid(kernels::BinGrid g, double lo, double hi) {
    const double w = g.width();
    const double most = kMaxGridExtension * g.base_bins;
    g.below = lo < g.base_lo ? static_cast<int>(std::min(std::ceil((g.base_lo - lo) / w), most)) : 0;
    g.above = hi > g.base_hi ? static_cast<int>(std::min(std::ceil((hi - g.base_hi) / w), most)) : 0;
    return g;
}

// Error grid [-e_abs, e_abs] (a sliver when every error is 0).
kernels::BinGrid error_grid(double e_abs, const kernels::BinGrid& base, int bins) {
    kernels::BinGrid g;
    if (!(e_abs > 0)) e_abs = std::max(base.base_hi - base.base_lo, 1.0) * 1e-6;
    g.base_lo = -e_abs;
    g.base_hi = e_abs;
    g.base_bins = bins;
    return g;
}

} // namespace

AnalysisReport analyze(const AnalysisRequest& req, const ProgressFn& progress) {
    const auto t_start = Clock::now();
    AnalysisReport rep;
    rep.backend = "CPU, " + std::to_string(omp_get_max_threads()) + " threads";
    if (!req.tensor) {
        rep.warnings.push_back("no tensor to analyse");
        return rep;
    }
    const Tensor& t = *req.tensor;
    const AnalysisOptions& o = req.options;
    const int bins = std::clamp(o.histogram_bins, 2, 100000);
    const std::int64_t n = t.numel();
    const ChannelLayout ch = channel_layout(t);
    const std::size_t ncfg = req.configs.size();
    const std::size_t pass_units = 64;
    Tracker tracker(progress, 1 + ncfg * (2 * pass_units + 4));

    try {
        // Per-tensor statistics: moments, signal power and the original histogram on the base grid
        // [min, max] (memoised while the tensor lives: they do not change with the configurations).
        const TensorStats stats = tensor_stats(req.tensor, bins);
        rep.tensor = stats.summary;
        const double sum_x2 = stats.sum_x2;  // sum of squares of the finite values: the SNR's signal power
        const bool nonfinite = rep.tensor.nan_count + rep.tensor.inf_count > 0;
        const std::uint64_t nonfinite_n = rep.tensor.nan_count + rep.tensor.inf_count;
        if (nonfinite)
            rep.warnings.push_back(std::to_string(rep.tensor.nan_count) + " NaN and " + std::to_string(rep.tensor.inf_count) +
                                   " infinite values are left out of every metric and histogram");
        tracker.add(1);

        // Samples of the original.
        const std::int64_t srow = std::clamp<std::int64_t>(o.sample_row, 0, std::max<std::int64_t>(ch.channels - 1, 0));
        const std::int64_t scount = std::clamp<std::int64_t>(o.sample_count, 0, ch.len);
        rep.sample_row = srow;
        for (std::int64_t k = 0; k < scount; ++k) rep.sample_original.push_back(t.values[static_cast<std::size_t>(srow * ch.len + k)]);

        // Prepare every configuration (a quantizer prepared for this tensor before is reused).
        std::vector<std::shared_ptr<Quantizer>> qs(ncfg);
        rep.configs.resize(ncfg);
        std::vector<double> cfg_ms(ncfg, 0.0);
        for (std::size_t i = 0; i < ncfg; ++i) {
            ConfigReport& cr = rep.configs[i];
            cr.config = req.configs[i];
            const auto t0 = Clock::now();
            try {
                if (std::string why = validate(cr.config, t.shape); !why.empty()) throw std::invalid_argument(why);
                qs[i] = memoised_quantizer(req.tensor, cr.config, o.accelerator);
                if (!qs[i]) {
                    qs[i] = make_quantizer(cr.config);
                    if (rep.tensor.min <= rep.tensor.max && n > 0)
                        qs[i]->set_tensor_range(static_cast<float>(rep.tensor.min), static_cast<float>(rep.tensor.max));
                    // a solver (HQQ) asks at each iteration whether to go on: a newer request stops it there
                    if (!prepare_with_memo(*qs[i], req.tensor, [&](std::size_t, std::size_t) { return tracker.add(0); })) {
                        rep.cancelled = true;
                        break;
                    }
                    remember_quantizer(req.tensor, cr.config, o.accelerator, qs[i]);
                }
            } catch (const std::exception& e) {
                cr.error = e.what();
                qs[i].reset();
            }
            cfg_ms[i] += ms_since(t0);
            if (!tracker.add(1)) break;
        }
        if (tracker.cancelled()) rep.cancelled = true;

        // Histogram grids from the formats' bounds when every one states them: the weight grid is the
        // original's base grid extended by whole bins to hold every dequantized value (shared, so the
        // dequantized histograms overlay the original's bin for bin); each configuration's error grid
        // spans its own error bound, so an INT8 error histogram is not squeezed into a few bins of
        // INT4's range, and a changed configuration leaves the others' histograms valid.
        bool bounded = n > 0;
        double dq_lo = stats.grid.base_lo, dq_hi = stats.grid.base_hi;
        std::vector<kernels::BinGrid> egrids(ncfg, error_grid(0, stats.grid, bins));
        for (std::size_t i = 0; i < ncfg; ++i) {
            if (!qs[i]) continue;
            auto bd = qs[i]->output_bounds();
            if (!bd) {
                bounded = false;
                continue;
            }
            dq_lo = std::min(dq_lo, static_cast<double>(bd->dq_lo));
            dq_hi = std::max(dq_hi, static_cast<double>(bd->dq_hi));
            egrids[i] = error_grid(static_cast<double>(bd->err_abs), stats.grid, bins);
        }
        kernels::BinGrid wgrid = extend_grid(stats.grid, dq_lo, dq_hi);

        std::vector<PassOutput> outs(ncfg);
        std::vector<bool> from_memo(ncfg, false);
        // configurations whose dequantized values are not all finite (their vector pass's sums come out
        // +-inf or NaN): the general loops, which leave those values out of the sums and histograms
        std::vector<bool> general(ncfg, false);
        auto run_pass = [&](std::size_t i, bool metrics, bool hist) {
            const auto t0 = Clock::now();
            const kernels::BinGrid& egrid = egrids[i];
            if (metrics && hist && !general[i]) {
                if (auto memo = memoised_pass(req.tensor, rep.configs[i].config, o.accelerator, wgrid, egrid)) {
                    outs[i] = *memo;
                    from_memo[i] = true;
                    tracker.add(pass_units);
                    cfg_ms[i] += ms_since(t0);
                    return true;
                }
            }
            PassRanges r;
            r.histograms = hist;
            r.weights = wgrid;
            r.errors = egrid;
            r.original = &stats.original;
            auto* iq = dynamic_cast<const IntQuantizer*>(qs[i].get());
            r.derive_dq_from_codes = hist && metrics && iq && iq->layout().granularity == Granularity::PerTensor;
            PassOutput& po = outs[i];
            bool ok = false;
            if (o.accelerator && metrics && hist && !general[i]) {
                FusedPassSpec spec{wgrid, egrid, ch.len, ch.channels};
                FusedPassResult fr;
                if (o.accelerator->fused_pass(t, *qs[i], spec, fr)) {
                    po.chunks.assign(1, ChunkResult{});
                    po.chunks[0].sums = fr.sums;
                    po.chunks[0].clipped = fr.clipped;
                    for (std::int64_t c = 0; c < static_cast<std::int64_t>(fr.channel_sse.size()); ++c)
                        po.chunks[0].channel_sse.emplace_back(c, fr.channel_sse[static_cast<std::size_t>(c)]);
                    po.code_counts = fr.code_counts;
                    po.dq = fr.dq_counts;
                    po.err = fr.error_counts;
                    po.dq_outside = fr.dq_outside;
                    po.err_outside = fr.error_outside;
                    r.derive_dq_from_codes = false;
                    rep.backend = o.accelerator->name();
                    ok = true;
                    tracker.add(pass_units);
                }
            }
            if (!ok) {
                PassOutput fresh;
                if (!metrics) {  // histograms again: the metrics stay those of the first pass
                    fresh.chunks = std::move(po.chunks);
                    fresh.code_counts = std::move(po.code_counts);
                    fresh.xdq_from_norms = po.xdq_from_norms;
                }
                ok = fused_pass(t, *qs[i], metrics, r, ch, nonfinite || general[i], fresh, tracker);
                po = std::move(fresh);
            }
            if (ok && r.derive_dq_from_codes) {
                // Per-tensor Int: every element with code q dequantizes to the same level, so the
                // dequantized histogram is the code histogram moved to the levels' bins.
                const auto levels = iq->levels_at(0);
                const IntRange rg = int_code_range(iq->config().bits, iq->config().scheme == Scheme::Symmetric);
                po.dq.assign(static_cast<std::size_t>(wgrid.total()), 0);
                for (int code = rg.qmin; code <= rg.qmax; ++code) {
                    const std::uint64_t cnt = po.code_counts[static_cast<std::size_t>(code + 128)];
                    if (!cnt) continue;
                    const int bin = wgrid.bin_of(levels[static_cast<std::size_t>(code - rg.qmin)]);
                    if (bin < 0) po.dq_outside += cnt;
                    else po.dq[static_cast<std::size_t>(bin)] += cnt;
                }
            }
            cfg_ms[i] += ms_since(t0);
            return ok;
        };

        bool need_rebin = !bounded;
        for (std::size_t i = 0; i < ncfg && !rep.cancelled; ++i) {
            if (!qs[i]) continue;
            if (!run_pass(i, true, bounded)) {
                rep.cancelled = true;
                break;
            }
            {
                kernels::ErrorSums es;
                for (auto& c : outs[i].chunks) es.merge(c.sums);
                if (es.nonfinite_dq > 0 || !std::isfinite(es.sum_e2) || !std::isfinite(es.sum_abs) || !std::isfinite(es.max_abs)) {
                    // some dequantized values are +-inf or NaN: the metrics again over the finite ones (counting
                    // the others), then the histograms on grids of the finite ranges
                    general[i] = true;
                    outs[i] = PassOutput{};
                    if (!run_pass(i, true, false)) {
                        rep.cancelled = true;
                        break;
                    }
                    need_rebin = true;
                    continue;
                }
            }
            // a bound that did not hold: re-bin with the measured ranges
            if (bounded && (outs[i].dq_outside > 0 || outs[i].err_outside > 0)) need_rebin = true;
            else if (bounded && !from_memo[i])
                remember_pass(req.tensor, rep.configs[i].config, o.accelerator, wgrid, egrids[i], std::make_shared<const PassOutput>(outs[i]));
        }
        if (!rep.cancelled && need_rebin && n > 0) {
            dq_lo = stats.grid.base_lo;
            dq_hi = stats.grid.base_hi;
            for (std::size_t i = 0; i < ncfg; ++i) {
                if (!qs[i]) continue;
                kernels::ErrorSums es;
                for (auto& c : outs[i].chunks) es.merge(c.sums);
                if (es.count) {
                    dq_lo = std::min(dq_lo, static_cast<double>(es.dq_lo));
                    dq_hi = std::max(dq_hi, static_cast<double>(es.dq_hi));
                }
                egrids[i] = error_grid(static_cast<double>(es.max_abs), stats.grid, bins);
            }
            wgrid = extend_grid(stats.grid, dq_lo, dq_hi);
            for (std::size_t i = 0; i < ncfg && !rep.cancelled; ++i) {
                if (!qs[i]) continue;
                from_memo[i] = false;
                if (!run_pass(i, false, true)) rep.cancelled = true;
            }
        }
        (void)nonfinite_n;
        // The original's histogram, placed in the extended grid.
        {
            std::vector<std::uint64_t> counts(static_cast<std::size_t>(wgrid.total()), 0);
            for (std::size_t k = 0; k < stats.original.size(); ++k) counts[k + static_cast<std::size_t>(wgrid.below)] = stats.original[k];
            rep.original = make_hist(wgrid.lo(), wgrid.hi(), std::move(counts));
        }

        // Per-configuration results.
        const bool want_forward = o.forward_diff && n > 0 && ch.len > 0 && !rep.cancelled;
        std::shared_ptr<const ForwardContext> fwd;  // X and mean |X W^T|, made when a configuration needs them
        rep.memory.push_back(memory_bar("FP32", 32, static_cast<std::uint64_t>(n) * 4, -1));
        rep.memory.push_back(memory_bar("FP16", 16, static_cast<std::uint64_t>(n) * 2, -1));
        rep.memory.push_back(memory_bar("INT8", 8, static_cast<std::uint64_t>(n), -1));
        rep.memory.push_back(memory_bar("INT4", 4, (static_cast<std::uint64_t>(n) + 1) / 2, -1));
        for (std::size_t i = 0; i < ncfg && !rep.cancelled; ++i) {
            ConfigReport& cr = rep.configs[i];
            if (!qs[i]) continue;
            const Quantizer& q = *qs[i];
            const auto t0 = Clock::now();
            PassOutput& po = outs[i];
            kernels::ErrorSums s;
            std::uint64_t clipped = 0;
            cr.channel_mse.assign(static_cast<std::size_t>(ch.channels), 0.0);
            for (auto& c : po.chunks) {
                s.merge(c.sums);
                clipped += c.clipped;
                for (auto& [chn, sse] : c.channel_sse) cr.channel_mse[static_cast<std::size_t>(chn)] += sse;
            }
            if (ch.len > 0)
                for (auto& v : cr.channel_mse) v /= static_cast<double>(ch.len);
            if (!o.per_channel_error) cr.channel_mse.clear();
            ErrorMetrics& m = cr.metrics;
            m.count = s.count + s.nonfinite_dq;
            m.nonfinite = nonfinite_n;
            m.nonfinite_dq = s.nonfinite_dq;
            m.clipped = clipped;
            if (s.nonfinite_dq) {
                // the format cannot store these values' scale: an infinite error, whatever the others'
                const double inf = std::numeric_limits<double>::infinity();
                m.mse = m.rmse = m.mae = m.max_abs = inf;
                m.snr_db = m.sqnr_db = -inf;
                m.cosine = std::numeric_limits<double>::quiet_NaN();
                rep.warnings.push_back(nonfinite_dq_warning(cr.config, s.nonfinite_dq, s.count + s.nonfinite_dq));
            } else if (s.count) {
                const double cnt = static_cast<double>(s.count);
                m.mse = s.sum_e2 / cnt;
                m.rmse = std::sqrt(m.mse);
                m.mae = s.sum_abs / cnt;
                m.max_abs = s.max_abs;
                const double inf = std::numeric_limits<double>::infinity();
                m.snr_db = s.sum_e2 > 0 ? 10.0 * std::log10(sum_x2 / s.sum_e2) : inf;
                const double var = rep.tensor.std * rep.tensor.std;
                m.sqnr_db = m.mse > 0 ? 10.0 * std::log10(var / m.mse) : inf;
                // x dq = (x^2 + dq^2 - (dq - x)^2) / 2, when the pass left the products out; where that would
                // lose more than a factor kMaxCancellation of the sums' precision, summed again directly
                if (po.xdq_from_norms) {
                    constexpr double kMaxCancellation = 10.0;
                    const double twice = sum_x2 + s.sum_dq2 - s.sum_e2;
                    s.sum_xdq = sum_x2 + s.sum_dq2 + s.sum_e2 > kMaxCancellation * std::fabs(twice) ? exact_sum_xdq(t, q) : 0.5 * twice;
                }
                const double denom = std::sqrt(sum_x2) * std::sqrt(s.sum_dq2);
                m.cosine = denom > 0 ? s.sum_xdq / denom : (sum_x2 == 0 && s.sum_dq2 == 0 ? 1.0 : 0.0);
            }
            int lowest = -128, highest = 127;
            if (auto* iq = dynamic_cast<const IntQuantizer*>(&q)) {
                const IntRange rg = int_code_range(iq->config().bits, iq->config().scheme == Scheme::Symmetric);
                lowest = rg.qmin;
                highest = rg.qmax;
            }
            cr.lowest_code = lowest;
            cr.code_counts.assign(po.code_counts.begin() + (lowest + 128), po.code_counts.begin() + (highest + 129));
            m.levels_used = static_cast<std::uint64_t>(std::count_if(cr.code_counts.begin(), cr.code_counts.end(),
                                                                     [](std::uint64_t c) { return c > 0; }));
            cr.dequantized = make_hist(wgrid.lo(), wgrid.hi(), po.dq);
            // finite dequantized values beyond the grid, which reaches at most kMaxGridExtension ranges of the
            // data past either end (an fp16 scale held at 65504 can put clipped levels far outside): said,
            // since the histogram cannot show them
            if (const std::uint64_t beyond = po.dq_outside > m.nonfinite_dq ? po.dq_outside - m.nonfinite_dq : 0; beyond > 0)
                rep.warnings.push_back(cr.config.display_name() + ": " + std::to_string(beyond) +
                                       " dequantized values lie more than " + std::to_string(static_cast<int>(kMaxGridExtension)) +
                                       " ranges of the data beyond it and are left out of the weight histogram");
            cr.errors = make_hist(egrids[i].lo(), egrids[i].hi(), po.err);
            cr.storage = q.storage();
            if (std::string note = padding_note(cr.config, cr.storage, rep.tensor.shape, n); !note.empty())
                rep.warnings.push_back(std::move(note));
            cr.clip = q.clip_range();
            if (n > 0) cr.levels = q.levels_at(std::clamp<std::int64_t>(o.levels_index, 0, n - 1));
            if (scount > 0) {
                const std::int64_t g = std::max<std::int64_t>(q.granule(), 1);
                const std::int64_t first = srow * ch.len;
                const std::int64_t b = first / g * g;
                const std::int64_t e = std::min(n, ((first + scount + g - 1) / g) * g);
                std::vector<float> buf(static_cast<std::size_t>(e - b));
                q.run(b, e, buf.data(), nullptr, nullptr);
                cr.sample_dequantized.assign(buf.begin() + (first - b), buf.begin() + (first - b + scount));
                for (std::int64_t k = 0; k < scount; ++k) {
                    std::vector<float> lv = q.levels_at(first + k);
                    if (cr.sample_levels.empty() || cr.sample_levels.back() != lv) cr.sample_levels.push_back(std::move(lv));
                    cr.sample_level_of.push_back(static_cast<int>(cr.sample_levels.size()) - 1);
                }
            }
            if (want_forward) cr.forward = m.nonfinite_dq ? infinite_forward_diff() : forward_of(req.tensor, q, cr.config, ch, o, fwd);
            tracker.add(1);
            cfg_ms[i] += ms_since(t0);
            if (o.layer_sim.enabled) layer_sim_into(cr, o.layer_sim, rep);
            if (!tracker.add(1)) break;
            if (o.snr_sweep && has_snr_sweep(cr.config)) {
                // a solver's sweep only from the memo when add_snr_sweeps() is to make it
                if (o.snr_sweep_solvers || !snr_sweep_solves(cr.config)) cr.snr_vs_bits = snr_sweep(req.tensor, cr.config, sum_x2, rep.tensor, tracker);
                else cr.snr_vs_bits = memoised_sweep(req.tensor, cr.config);
            }
            if (!tracker.add(1)) break;
            cr.compute_ms = cfg_ms[i];
            cr.from_memo = from_memo[i];
            rep.memory.push_back(memory_bar(cr.config.display_name(), cr.storage.bits_per_weight, cr.storage.bytes, static_cast<int>(i)));
        }
    } catch (const std::exception& e) {
        rep.warnings.push_back(std::string("analysis stopped: ") + e.what());
    }
    if (tracker.cancelled()) rep.cancelled = true;
    rep.compute_ms = ms_since(t_start);
    return rep;
}

bool add_layer_sims(const AnalysisRequest& req, AnalysisReport& rep, const ProgressFn& progress) {
    if (rep.cancelled) return false;
    const std::size_t n = rep.configs.size();
    if (req.options.layer_sim.enabled)
        for (std::size_t i = 0; i < n; ++i) {
            if (!report_progress(progress, i, n)) return false;
            ConfigReport& cr = rep.configs[i];
            if (cr.error.empty()) layer_sim_into(cr, req.options.layer_sim, rep);
        }
    rep.layers_pending = false;
    return report_progress(progress, n, n);
}

bool has_snr_sweep(const QuantConfig& c) { return c.format == Format::Int || c.format == Format::HQQ; }
bool snr_sweep_solves(const QuantConfig& c) { return c.format == Format::HQQ; }

bool add_snr_sweeps(const AnalysisRequest& req, AnalysisReport& rep, const ProgressFn& progress) {
    if (!req.tensor || rep.cancelled) return !rep.cancelled;
    const std::size_t n = rep.configs.size();
    if (req.options.snr_sweep) {
        Tracker tracker(progress, n);
        const TensorStats stats = tensor_stats(req.tensor, std::clamp(req.options.histogram_bins, 2, 100000));
        for (std::size_t i = 0; i < n; ++i) {
            if (!tracker.add(0)) return false;
            ConfigReport& cr = rep.configs[i];
            if (cr.error.empty() && has_snr_sweep(cr.config) && cr.snr_vs_bits.empty()) {
                try {
                    cr.snr_vs_bits = snr_sweep(req.tensor, cr.config, stats.sum_x2, rep.tensor, tracker);
                } catch (const std::exception& e) {
                    rep.warnings.push_back(cr.config.display_name() + ": SNR sweep: " + e.what());
                }
            }
            if (!tracker.add(1)) return false;
        }
    }
    rep.sweeps_pending = false;
    return report_progress(progress, n, n);
}

bool add_forward_diffs(const AnalysisRequest& req, AnalysisReport& rep, const ProgressFn& progress, int threads) {
    if (!req.tensor || rep.cancelled) return !rep.cancelled;
    const Tensor& t = *req.tensor;
    const ChannelLayout ch = channel_layout(t);
    if (t.numel() == 0 || ch.len == 0) return true;
    std::shared_ptr<const ForwardContext> fwd;
    const std::size_t n = rep.configs.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (!report_progress(progress, i, n)) return false;
        ConfigReport& cr = rep.configs[i];
        if (!cr.error.empty()) continue;
        if (cr.metrics.nonfinite_dq) {
            cr.forward = infinite_forward_diff();
            continue;
        }
        if (auto memo = memoised_forward_diff(req.tensor, cr.config, req.options)) {
            cr.forward = *memo;
            continue;
        }
        try {
            std::shared_ptr<Quantizer> q = memoised_quantizer(req.tensor, cr.config, req.options.accelerator);
            if (!q) {  // dropped from the memo since analyze(): prepared again, as analyze() does
                q = make_quantizer(cr.config);
                if (rep.tensor.min <= rep.tensor.max)
                    q->set_tensor_range(static_cast<float>(rep.tensor.min), static_cast<float>(rep.tensor.max));
                if (!prepare_with_memo(*q, req.tensor)) return false;
            }
            cr.forward = forward_of(req.tensor, *q, cr.config, ch, req.options, fwd, threads);
        } catch (const std::exception& e) {
            rep.warnings.push_back(cr.config.display_name() + ": forward difference: " + e.what());
        }
    }
    rep.forward_pending = false;
    return report_progress(progress, n, n);
}

} // namespace ql

namespace ql {

std::vector<std::size_t> pareto_front(const std::vector<double>& bits, const std::vector<double>& quality, bool higher_is_better) {
    const std::size_t n = std::min(bits.size(), quality.size());
    auto usable = [&](std::size_t i) {
        if (!std::isfinite(bits[i]) || std::isnan(quality[i])) return false;
        return std::isfinite(quality[i]) || (higher_is_better && quality[i] > 0);
    };
    // better(a, b): a's quality strictly beats b's.
    auto better = [&](double a, double b) { return higher_is_better ? a > b : a < b; };
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < n; ++i) {
        if (!usable(i)) continue;
        bool beaten = false;
        for (std::size_t j = 0; j < n && !beaten; ++j) {
            if (j == i || !usable(j)) continue;
            const bool no_worse = bits[j] <= bits[i] && !better(quality[i], quality[j]);
            const bool strictly = bits[j] < bits[i] || better(quality[j], quality[i]);
            beaten = no_worse && strictly;
        }
        if (!beaten) front.push_back(i);
    }
    std::stable_sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) { return bits[a] < bits[b]; });
    return front;
}

} // namespace ql
