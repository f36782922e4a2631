// The fused statistics of a non-Int format (see format_pass.h): per-thread tables and the
// run-time choice of the vector kernel (core/format_pass_avx512.cpp).
#include "core/cpu_features.h"
#include "core/format_pass.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/format_pass_kernel.h"

namespace ql::kernels {

namespace {

// Values per kernel call.
constexpr std::int64_t kPiece = 16384;
// The joint table (32-bit cells, never flushed: 16-bit cells flushed every 65535 values moved 256 x 101
// cells each time, as in the integer pass) must stay in the second-level cache. (16-bit cells for the
// small tables only, MXFP4's 110 x 101 in 22 KiB, which would stay in the first-level cache, changed
// nothing measurable on MXFP4, NF4, Q4_0 or NVFP4: 9.6-11.7 ms either way. Nor did pieces of 1024 or 4096
// values instead of 2048, below; 512 was 25% slower. The kernel alone, one thread, on MXFP4-like values:
// CountedCodes 0.67 ns per value, of which counting the codes 0.11; FromCodes' code rows 0.48. So MXFP4's
// analysis spends about half its time here, a quarter in the E2M1 quantization and a tenth in the block
// maxima. Fusing the E2M1 quantization into this pass (add_fused) took MXFP4 from 10.5-11.0 to 8.9-9.1 ms
// and NVFP4, which keeps its division, from 10.1-10.8 to 9.5-10.4; NF4 fused the same way, its four
// dependent lookups per vector in the same loop as the increments, measured no faster and stays unfused.
// Q8_0, Q4_0, Q4_1 and Q5_0 fused the same way gained 4-7%: 10.3-11.3 -> 9.9-10.5 ms for Q8_0. Counting
// their clipped values with the block parameters, only in blocks whose min or max passes the reach, instead
// of two compares per vector here, measured no change and was left out.)
constexpr std::int64_t kMaxJointCells = 256 * 1024;

bool use_avx512() {
    static const bool ok = detail::format_pass_avx512_compiled() && ql::cpu_has_avx512();
    return ok;
}

std::int64_t joint_rows(const FormatPassSetup& s) {
    return s.dq_mode == FormatDqHistogram::CountedCodes ? static_cast<std::int64_t>(s.weights.total()) + 1 : 256;
}

// floor((v - lo) * inv_width), the bin before bin_index()'s upper-edge rule and shift.
float plain_bin(float v, const BinParams& w) { return std::floor((v - w.lo) * w.inv_width); }

// [lo, hi] holding every float whose bin the upper-edge rule changes: those up to w.hi whose plain bin
// reaches base_bins and those above it whose plain bin falls short. The plain bin rises with v, so they
// lie between w.hi and the first float g whose plain bin reaches base_bins, a few floats from w.hi on
// a sound grid; false where g is not found near w.hi.
bool rule_range(const BinParams& w, float& lo, float& hi) {
    const auto reaches = [&](float v) { return plain_bin(v, w) >= static_cast<float>(w.base_bins); };
    if (!std::isfinite(w.hi)) return false;
    float g = w.hi;
    int steps = 0;
    constexpr int kMaxSteps = 1 << 12;
    if (reaches(g)) {
        while (steps++ < kMaxSteps && reaches(std::nextafter(g, -INFINITY))) g = std::nextafter(g, -INFINITY);
    } else {
        while (steps++ < kMaxSteps && !reaches(g)) g = std::nextafter(g, INFINITY);
    }
    if (steps >= kMaxSteps) return false;
    lo = std::min(g, w.hi);
    hi = std::max(g, w.hi);
    return true;
}

} // namespace

struct FormatPassTables {
    detail::FormatPassArgs args;
    std::vector<std::uint32_t> joint;       // [rows * stride + 1]
    std::vector<std::uint64_t> codes;       // CountedCodes: [code_n]
    std::vector<std::uint32_t> moves;               // Correction: one call's moves (FormatPassArgs::moves_packed)
    std::vector<std::uint64_t> dq_plus, dq_minus;   // Correction: by slot, [w.total + 2]: 0 and the last outside
    float within = 0;                       // every |e| up to this lies inside the error grid
};

bool FormatPass::available(const FormatPassSetup& s) {
    if (!use_avx512()) return false;
    if (s.errors.below != 0 || s.errors.above != 0) return false;
    if (s.dq_mode == FormatDqHistogram::CountedCodes &&
        (s.code_lo < -128 || s.code_lo + s.code_n > 128 || (s.code_n != 16 && s.code_n != 32)))
        return false;
    float lo = 0, hi = 0;
    if (s.dq_mode == FormatDqHistogram::CountedCodes && !rule_range(s.weights.params(), lo, hi)) return false;
    if (s.dq_mode == FormatDqHistogram::Correction && s.weights.total() > kMaxCorrectionBins) return false;
    return joint_rows(s) * (static_cast<std::int64_t>(s.errors.total()) + 1) <= kMaxJointCells &&
           s.weights.total() < (1 << 24);
}

FormatPass::FormatPass(const FormatPassSetup& s) : setup_(s), t_(std::make_unique<FormatPassTables>()) {
    FormatPassTables& t = *t_;
    detail::FormatPassArgs& a = t.args;
    a.ebins = s.errors.total();
    a.stride = a.ebins + 1;
    const BinParams ep = s.errors.params();
    a.elo = ep.lo;
    a.ehi = ep.hi;
    a.einv = ep.inv_width;
    t.within = std::min(-a.elo, a.ehi);
    by_dq_ = s.dq_mode == FormatDqHistogram::CountedCodes;
    a.w = s.weights.params();
    // CountedCodes: the values whose bin the upper-edge rule changes; Correction: below rule_lo a vector
    // skips the rules (-inf: never, when the range is not found)
    if (s.dq_mode == FormatDqHistogram::CountedCodes || s.dq_mode == FormatDqHistogram::Correction) {
        if (!rule_range(a.w, a.rule_lo, a.rule_hi)) a.rule_lo = a.rule_hi = -std::numeric_limits<float>::infinity();
    }
    a.mode = static_cast<int>(s.dq_mode);
    a.rows = static_cast<int>(joint_rows(s));
    t.joint.assign(static_cast<std::size_t>(a.rows) * static_cast<std::size_t>(a.stride) + 1, 0);
    a.joint = t.joint.data();
    if (s.dq_mode == FormatDqHistogram::Correction) {
        t.moves.assign(static_cast<std::size_t>(kPiece + 16), 0);
        t.dq_plus.assign(static_cast<std::size_t>(a.w.total) + 2, 0);
        t.dq_minus.assign(static_cast<std::size_t>(a.w.total) + 2, 0);
        a.moves_packed = t.moves.data();
    } else if (s.dq_mode == FormatDqHistogram::CountedCodes) {
        t.codes.assign(static_cast<std::size_t>(s.code_n), 0);
        a.code_lo = s.code_lo;
        a.code_n = s.code_n;
        a.code_counts = t.codes.data();
    }
}

FormatPass::~FormatPass() = default;

template <class Kernel>
void FormatPass::add_pieces(const float* x, const float* dq, const std::int8_t* codes, std::int64_t n, ErrorSums& sums, const float* ahead,
                            std::int64_t ahead_n, Kernel&& kernel) {
    FormatPassTables& t = *t_;
    detail::FormatPassSums s;
    float max_abs = 0;
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    std::int64_t done = 0;
    while (done < n) {
        const std::int64_t len = std::min(kPiece, n - done);
        t.args.ahead = ahead ? ahead + done : nullptr;
        t.args.ahead_n = ahead ? std::max<std::int64_t>(0, std::min(len, ahead_n - done)) : 0;
        t.args.moves = 0;
        kernel(done, len, s);
        // The kernel counts an error outside [elo, ehi] in an edge bin: |e| within both ends rules that
        // out (a NaN error shows in the sums, not always in the largest |e|); else those errors are found
        // and moved to the outside column, rarely (a broken bound, which sends the analysis to re-bin).
        // Counted codes' dequantized bins skip the upper-edge rule, which matters only for values from
        // rule_lo up (and NaN): the largest one below rule_lo rules them out.
        const bool nan = std::isnan(s.e2);
        if (!(s.max_abs <= t.within) || nan || (by_dq_ && !(s.dq_hi < t.args.rule_lo)))
            detail::format_pass_fix_avx512(t.args, x + done, dq + done, codes + done, len);
        for (std::int64_t m = 0; m < t.args.moves; ++m) {
            const std::uint32_t w = t.moves[static_cast<std::size_t>(m)];
            ++t.dq_plus[w >> 16];
            ++t.dq_minus[w & 0xFFFFu];
        }
        max_abs = std::max(max_abs, s.max_abs);
        lo = std::min(lo, s.dq_lo);
        hi = std::max(hi, s.dq_hi);
        done += len;
    }
    if (n > 0) {
        sums.sum_e2 += s.e2;
        sums.sum_abs += s.abs;
        sums.sum_dq2 += s.dq2;
        sums.max_abs = std::max(sums.max_abs, max_abs);
        sums.dq_lo = std::min(sums.dq_lo, lo);
        sums.dq_hi = std::max(sums.dq_hi, hi);
        sums.count += static_cast<std::uint64_t>(n);
    }
}

void FormatPass::add(const float* x, const float* dq, const std::int8_t* codes, std::int64_t n, ErrorSums& sums, const float* ahead,
                     std::int64_t ahead_n) {
    add_pieces(x, dq, codes, n, sums, ahead, ahead_n, [&](std::int64_t done, std::int64_t len, detail::FormatPassSums& s) {
        detail::format_pass_avx512(t_->args, x + done, dq + done, codes + done, len, s);
    });
}

void FormatPass::add_fused(const FusedRule& rule, const float* x, float* dq, std::int8_t* codes, std::int64_t n, ErrorSums& sums,
                           std::uint64_t& clipped, const float* ahead, std::int64_t ahead_n) {
    detail::FusedRuleArgs r;
    static_assert(static_cast<int>(FusedRule::Kind::E2M1Pow2) == detail::FusedRuleArgs::E2M1Pow2 &&
                  static_cast<int>(FusedRule::Kind::Q5_0) == detail::FusedRuleArgs::Q5_0, "the same enumerators in the same order");
    r.kind = static_cast<detail::FusedRuleArgs::Kind>(static_cast<int>(rule.kind));
    r.shift = rule.shift;
    r.params = rule.params;
    r.stride = rule.stride;
    add_pieces(x, dq, codes, n, sums, ahead, ahead_n, [&](std::int64_t done, std::int64_t len, detail::FormatPassSums& s) {
        r.first = rule.first + done;
        detail::format_pass_fused_avx512(t_->args, r, x + done, dq + done, codes + done, len, s, clipped);
    });
}

void FormatPass::merge_into(std::vector<std::uint64_t>& code_counts, std::vector<std::uint64_t>& dq, std::vector<std::uint64_t>& err,
                            std::uint64_t& dq_outside, std::uint64_t& err_outside) {
    FormatPassTables& t = *t_;
    const auto stride = static_cast<std::size_t>(t.args.stride);
    const auto ebins = static_cast<std::size_t>(t.args.ebins);
    const auto wtotal = static_cast<std::size_t>(t.args.w.total);
    const bool by_dq = setup_.dq_mode == FormatDqHistogram::CountedCodes;
    code_counts.resize(256, 0);
    err.resize(ebins, 0);
    if (setup_.dq_mode != FormatDqHistogram::FromCodes) dq.resize(wtotal, 0);
    for (std::size_t r = 0; r < static_cast<std::size_t>(t.args.rows); ++r) {
        std::uint64_t row = 0;
        for (std::size_t b = 0; b < ebins; ++b) {
            const std::uint64_t v = t.joint[r * stride + b];
            row += v;
            err[b] += v;
        }
        const std::uint64_t out = t.joint[r * stride + ebins];
        err_outside += out;
        if (!by_dq) code_counts[r] += row + out;
        else if (r < wtotal) dq[r] += row + out;
        else dq_outside += row + out;
    }
    if (by_dq) {
        for (std::size_t c = 0; c < t.codes.size(); ++c) code_counts[static_cast<std::size_t>(setup_.code_lo + 128) + c] += t.codes[c];
    } else if (setup_.dq_mode == FormatDqHistogram::Correction) {
        for (std::size_t b = 0; b < wtotal; ++b) dq[b] += t.dq_plus[b + 1] - t.dq_minus[b + 1];  // modulo 2^64
        dq_outside += t.dq_plus[0] + t.dq_plus[wtotal + 1];  // every x lies in the base range: none leaves from outside
    }
}

} // namespace ql::kernels
