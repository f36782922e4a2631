// The fused integer analysis pass (see int_pass.h): per-thread tables, their flushes, and the run-time
// choice of the vector kernel (core/int_pass_avx512.cpp).
#include "core/cpu_features.h"
#include "core/int_pass.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/int_pass_kernel.h"

namespace ql::kernels {

namespace {

// Values per kernel call, and the most values counted into the 16-bit dequantized table between two
// flushes (a cell can then hold at most this many).
constexpr std::int64_t kPiece = 16384;
constexpr std::int64_t kFlushAt = 65535;
// The joint table must stay in the second-level cache: codes x (error bins + 1) 32-bit cells. (16-bit
// cells flushed into 32-bit counters every 65535 values took 3% of the INT8 g128 analysis: 256 x 100
// cells per flush, and the table left the first-level cache anyway; measured again later, no gain beyond
// the noise. 8-bit cells whose wrap-around adds to a 32-bit carry table fit the first-level cache but
// cost a branch per increment: INT8 g128 6.4-6.6 -> 7.6-8.5 ms. A table folded into 4096 cells, wrong
// counts but the same work, took 5.7 ms: what the second-level cache costs here, about 1.5 ms.)
constexpr std::int64_t kMaxJointCells = 256 * 1024;

// The vector kernel this CPU runs: AVX-512, else AVX2, else none (the analysis keeps its general loops).
enum class Kernel { None, Avx2, Avx512 };
Kernel kernel() {
    static const Kernel k = detail::int_pass_avx512_compiled() && ql::cpu_has_avx512() ? Kernel::Avx512
                            : detail::int_pass_avx2_compiled() && ql::cpu_has_avx2()    ? Kernel::Avx2
                                                                                         : Kernel::None;
    return k;
}

// max / min as the vector kernels take them (the second operand unless the first is greater / less:
// the sign of a zero included).
inline float vmax(float a, float b) { return a > b ? a : b; }
inline float vmin(float a, float b) { return a < b ? a : b; }

} // namespace

struct IntPassTables {
    detail::IntPassArgs args;
    int rows = 0;
    std::vector<std::uint32_t> joint;       // [rows * stride + 1]
    std::vector<std::uint16_t> dq16;        // Direct, GroupCodes
    std::vector<std::uint32_t> dq_wide;
    std::vector<std::uint32_t> moves;               // Correction: one call's moves (IntPassArgs::moves_packed)
    std::vector<std::uint8_t> fast;                 // Correction: one call's slice flags (int_slice_bounds_avx512)
    std::vector<std::uint64_t> dq_plus, dq_minus;   // Correction: counts added and taken away
    bool errors_outside = false;            // some error fell outside the error grid (counted in an edge bin)
    std::int64_t pending = 0;               // values counted into dq16 since the last flush
};

bool IntPass::available(const IntPassSetup& s) {
    if (kernel() == Kernel::None) return false;
    if (s.qmin < -128 || s.qmax > 127 || s.qmin > s.qmax) return false;
    if (s.errors.below != 0 || s.errors.above != 0) return false;
    const std::int64_t rows = s.qmax - s.qmin + 1;
    if (s.dq_mode == DqHistogram::GroupCodes && rows > 16) return false;
    if (s.dq_mode == DqHistogram::Correction && s.weights.total() > kMaxCorrectionBins) return false;
    return rows * (static_cast<std::int64_t>(s.errors.total()) + 1) <= kMaxJointCells &&
           s.weights.total() < (1 << 24);
}

IntPass::IntPass(const IntPassSetup& s) : setup_(s), t_(std::make_unique<IntPassTables>()) {
    IntPassTables& t = *t_;
    detail::IntPassArgs& a = t.args;
    a.qminf = static_cast<float>(s.qmin);
    a.qmaxf = static_cast<float>(s.qmax);
    a.ebins = s.errors.total();
    a.stride = a.ebins;
    const BinParams ep = s.errors.params();
    a.elo = ep.lo;
    a.ehi = ep.hi;
    a.einv = ep.inv_width;
    a.w = s.weights.params();
    a.mode = static_cast<int>(s.dq_mode);
    a.dq_sums = s.dq_sums || s.dq_mode != DqHistogram::FromCodes;
    t.rows = s.qmax - s.qmin + 1;
    t.joint.assign(static_cast<std::size_t>(t.rows) * static_cast<std::size_t>(a.stride) + 1, 0);
    a.joint = t.joint.data();
    const auto wcells = static_cast<std::size_t>(a.w.total) + 2;
    if (s.dq_mode == DqHistogram::Direct || s.dq_mode == DqHistogram::GroupCodes) {
        t.dq16.assign(wcells, 0);
        t.dq_wide.assign(wcells, 0);
        a.dq16 = t.dq16.data();
    } else if (s.dq_mode == DqHistogram::Correction) {
        t.moves.assign(static_cast<std::size_t>(kPiece + 16), 0);
        t.dq_plus.assign(wcells, 0);   // [0] below the grid, [1, total] its bins, [total + 1] above it
        t.dq_minus.assign(wcells - 2, 0);  // the grid's bins: no value starts outside it
        a.moves_packed = t.moves.data();
    }
}

IntPass::~IntPass() = default;

void IntPass::flush() {
    IntPassTables& t = *t_;
    for (std::size_t k = 0; k < t.dq16.size(); ++k) {
        t.dq_wide[k] += t.dq16[k];
        t.dq16[k] = 0;
    }
    t.pending = 0;
}

void IntPass::add(const float* x, std::int64_t n, const IntParams* params, const float* slice_lo, const float* slice_hi,
                  std::int64_t first_len, std::int64_t slice_len, ErrorSums& sums, std::uint64_t& clipped) {
    IntPassTables& t = *t_;
    detail::IntPassSums s;
    float max_abs = 0;
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    // GroupCodes takes the dequantized range from each slice's code counts already
    const bool slice_range = slice_lo != nullptr && slice_hi != nullptr && t.args.dq_sums && setup_.dq_mode != DqHistogram::GroupCodes;
    t.args.dq_range = !slice_range;
    std::int64_t done = 0;
    while (done < n) {
        const std::int64_t len = std::min(kPiece, n - done);
        if (t.pending + len > kFlushAt) flush();
        // the slices of x[done, done + len)
        std::int64_t k = 0;
        std::int64_t first = first_len - done;
        if (first <= 0) {
            k = 1 + (-first) / slice_len;
            first = first_len + k * slice_len - done;
        }
        const IntParams* p = params + k;
        const std::uint8_t* fast = nullptr;
        if (slice_range) {
            const std::int64_t count = first >= len ? 1 : 1 + (len - first + slice_len - 1) / slice_len;
            const bool correction = setup_.dq_mode == DqHistogram::Correction;
            if (correction && t.fast.size() < static_cast<std::size_t>(count)) t.fast.resize(static_cast<std::size_t>(count));
            float dlo = 0, dhi = 0;
            if (kernel() == Kernel::Avx512)
                detail::int_slice_bounds_avx512(t.args, p, slice_lo + k, slice_hi + k, count, correction ? t.fast.data() : nullptr, dlo, dhi);
            else
                detail::int_slice_bounds_scalar(t.args, p, slice_lo + k, slice_hi + k, count, correction ? t.fast.data() : nullptr, dlo, dhi);
            lo = std::min(lo, dlo);
            hi = std::max(hi, dhi);
            if (correction) fast = t.fast.data();
        }
        t.args.moves = 0;
        if (kernel() == Kernel::Avx512) detail::int_pass_avx512(t.args, x + done, len, p, fast, first, slice_len, s);
        else detail::int_pass_avx2(t.args, x + done, len, p, fast, first, slice_len, s);
        max_abs = std::max(max_abs, s.max_abs);
        // the kernel counts an error outside [elo, ehi] in an edge bin: |e| within both ends rules that out
        if (!(s.max_abs <= std::min(-t.args.elo, t.args.ehi))) t.errors_outside = true;
        lo = std::min(lo, s.dq_lo);
        hi = std::max(hi, s.dq_hi);
        const auto below = static_cast<std::size_t>(t.args.w.below);
        for (std::int64_t m = 0; m < t.args.moves; ++m) {
            const std::uint32_t w = t.moves[static_cast<std::size_t>(m)];
            ++t.dq_plus[w >> 16];
            ++t.dq_minus[(w & 0xFFFFu) + below];
        }
        t.pending += len;
        done += len;
    }
    if (n > 0) {
        sums.sum_e2 += s.e2;
        sums.sum_abs += s.abs;
        sums.sum_dq2 += s.dq2;
        sums.sum_xdq += s.xdq;
        sums.max_abs = std::max(sums.max_abs, max_abs);
        sums.dq_lo = std::min(sums.dq_lo, lo);
        sums.dq_hi = std::max(sums.dq_hi, hi);
        sums.count += static_cast<std::uint64_t>(n);
        clipped += s.clipped;
    }
}

void IntPass::merge_into(std::vector<std::uint64_t>& code_counts, std::vector<std::uint64_t>& dq,
                         std::vector<std::uint64_t>& err, std::uint64_t& dq_outside, std::uint64_t& err_outside) {
    flush();
    IntPassTables& t = *t_;
    const auto stride = static_cast<std::size_t>(t.args.stride);
    const auto ebins = static_cast<std::size_t>(t.args.ebins);
    code_counts.resize(256, 0);
    err.resize(ebins, 0);
    for (std::size_t r = 0; r < static_cast<std::size_t>(t.rows); ++r) {
        std::uint64_t row = 0;
        for (std::size_t b = 0; b < ebins; ++b) {
            const std::uint64_t v = t.joint[r * stride + b];
            row += v;
            err[b] += v;
        }
        code_counts[r + static_cast<std::size_t>(setup_.qmin + 128)] += row;
    }
    if (t.errors_outside) err_outside += 1;  // at least one; the error counts are not valid then
    const auto wtotal = static_cast<std::size_t>(t.args.w.total);
    if (setup_.dq_mode == DqHistogram::Direct || setup_.dq_mode == DqHistogram::GroupCodes) {
        dq.resize(wtotal, 0);
        for (std::size_t b = 0; b < wtotal; ++b) dq[b] += t.dq_wide[b];
        dq_outside += t.dq_wide[wtotal];
    } else if (setup_.dq_mode == DqHistogram::Correction) {
        dq.resize(wtotal, 0);
        for (std::size_t b = 0; b < wtotal; ++b) dq[b] += t.dq_plus[b + 1] - t.dq_minus[b];  // modulo 2^64
        dq_outside += t.dq_plus[0] + t.dq_plus[wtotal + 1];
    }
}

namespace detail {

// int_slice_bounds_avx512 one slice at a time: the same float operations (rint to nearest even, the
// vector max / min), so the AVX2 kernel's fast slices and dequantized range are the same.
void int_slice_bounds_scalar(const IntPassArgs& a, const IntParams* params, const float* lo, const float* hi, std::int64_t count,
                             std::uint8_t* fast, float& dq_lo, float& dq_hi) {
    const float span = a.qmaxf - a.qminf, base = static_cast<float>(a.w.base_bins);
    float vlo = std::numeric_limits<float>::infinity(), vhi = -vlo;
    for (std::int64_t k = 0; k < count; ++k) {
        const IntParams& p = params[k];
        const float zf = static_cast<float>(p.zero_point) - a.qminf;
        const float qa = std::nearbyint(lo[k] * p.inv_scale) + zf, qb = std::nearbyint(hi[k] * p.inv_scale) + zf;
        const float da = (vmin(vmax(qa, 0.0f), span) - zf) * p.scale, db = (vmin(vmax(qb, 0.0f), span) - zf) * p.scale;
        vlo = vmin(vlo, da);
        vhi = vmax(vhi, db);
        if (fast)
            fast[k] = da >= a.w.lo && db <= a.w.hi && qa >= 0.0f && qb <= span && (hi[k] - a.w.lo) * a.w.inv_width < base &&
                      (db - a.w.lo) * a.w.inv_width < base;
    }
    dq_lo = vlo;
    dq_hi = vhi;
}

} // namespace detail

} // namespace ql::kernels
