// The AVX-512 kernel of the fused format statistics (core/format_pass.h). This file alone is compiled with
// AVX-512 enabled (core/CMakeLists.txt); core/format_pass.cpp calls it only when the CPU has it.
//
// Every per-element value is the scalar definition's IEEE operation, lane by lane, without contraction:
//   e = dq - x; bins as bin_index() (core/bin_grid.h): floor((v - lo) * inv_width), the upper-edge rule,
//   the shift (errors: for those inside the grid; counted codes' dequantized bins: without the upper-edge
//   rule; format_pass.cpp has the others counted again by format_pass_fix_avx512). The float sums e^2, |e|, dq^2 take the float products; each lane adds 4
//   of them in float and then goes on in double (16 lanes x 2 halves), reduced once per call, as the
//   integer pass. The sum of x dq is left to the caller: (x^2 + dq^2 - e^2) / 2 from sums it has.
#include "core/format_pass_kernel.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*(), which -Wuninitialized flags.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "core/format_vec_avx512_inl.h"
#include "core/ggml_small_avx512_inl.h"
#include "core/stats_avx512_inl.h"

namespace ql::kernels::detail {

namespace {

// A full adder on every bit: l = a ^ b ^ c, h = the majority of a, b, c.
inline void csa(__m512i& h, __m512i& l, __m512i a, __m512i b, __m512i c) {
    l = _mm512_ternarylogic_epi32(a, b, c, 0x96);
    h = _mm512_ternarylogic_epi32(a, b, c, 0xE8);
}

// cnt[p] += weight times the number of bytes of s with bit p set.
inline void count_positions(__m512i s, std::uint64_t weight, std::uint64_t* cnt) {
    for (int p = 0; p < 8; ++p)
        cnt[p] += weight * static_cast<std::uint64_t>(__builtin_popcountll(_mm512_test_epi8_mask(s, _mm512_set1_epi8(static_cast<char>(1 << p)))));
}

// counts[c] += the number of codes[k] == lo + c, for c < 16. Each code in that range becomes one set bit
// of a byte (lo .. lo + 7 in one vector, lo + 8 .. lo + 15 in another), and the bits of each position are
// added up by bit-sliced carry-save adders (Harley-Seal): ones, twos, fours, eights hold every position's
// running count bit by bit, and each group of 16 vectors carries out sixteens, counted then; the levels
// left at the end are counted with their weights. About 2 vector operations per 16 codes where a compare
// per code costs 8.
void count_16_codes(const std::int8_t* codes, std::int64_t n, int lo, std::uint64_t* counts) {
    const __m512i low_bits = _mm512_broadcast_i32x4(_mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 0, 0, 0, 0, 0, 0, 0, 0));
    const __m512i high_bits = _mm512_broadcast_i32x4(_mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, -128));
    const __m512i vlo = _mm512_set1_epi8(static_cast<char>(lo)), sixteen = _mm512_set1_epi8(16);
    const std::int64_t nv = (n + 63) / 64;
    // the one-hot bytes of vector v (zero past the end)
    const auto onehot = [&](std::int64_t v, __m512i& l, __m512i& h) {
        const std::int64_t left = n - v * 64;
        const __mmask64 m = left >= 64 ? ~__mmask64(0) : left <= 0 ? __mmask64(0) : (__mmask64(1) << left) - 1;
        const __m512i d = _mm512_sub_epi8(_mm512_maskz_loadu_epi8(m, codes + v * 64), vlo);
        const __mmask64 in = _mm512_mask_cmplt_epu8_mask(m, d, sixteen);
        l = _mm512_maskz_shuffle_epi8(in, low_bits, d);
        h = _mm512_maskz_shuffle_epi8(in, high_bits, d);
    };
    __m512i ones[2] = {_mm512_setzero_si512(), _mm512_setzero_si512()}, twos[2] = {ones[0], ones[0]}, fours[2] = {ones[0], ones[0]},
            eights[2] = {ones[0], ones[0]};
    std::uint64_t cnt[16] = {};
    // two vectors into ones, their carries out in t
    const auto pair = [&](std::int64_t v, __m512i* t) {
        __m512i l0, h0, l1, h1;
        onehot(v, l0, h0);
        onehot(v + 1, l1, h1);
        csa(t[0], ones[0], ones[0], l0, l1);
        csa(t[1], ones[1], ones[1], h0, h1);
    };
    // eight vectors, their carry out of fours in e
    const auto eight = [&](std::int64_t v, __m512i* e) {
        __m512i ta[2], tb[2], fa[2], fb[2];
        pair(v, ta);
        pair(v + 2, tb);
        for (int s = 0; s < 2; ++s) csa(fa[s], twos[s], twos[s], ta[s], tb[s]);
        pair(v + 4, ta);
        pair(v + 6, tb);
        for (int s = 0; s < 2; ++s) {
            csa(fb[s], twos[s], twos[s], ta[s], tb[s]);
            csa(e[s], fours[s], fours[s], fa[s], fb[s]);
        }
    };
    for (std::int64_t v = 0; v < nv; v += 16) {
        __m512i ea[2], eb[2];
        eight(v, ea);
        eight(v + 8, eb);
        for (int s = 0; s < 2; ++s) {
            __m512i sixteens;
            csa(sixteens, eights[s], eights[s], ea[s], eb[s]);
            count_positions(sixteens, 16, cnt + 8 * s);
        }
    }
    for (int s = 0; s < 2; ++s) {
        count_positions(eights[s], 8, cnt + 8 * s);
        count_positions(fours[s], 4, cnt + 8 * s);
        count_positions(twos[s], 2, cnt + 8 * s);
        count_positions(ones[s], 1, cnt + 8 * s);
    }
    for (int c = 0; c < 16; ++c) counts[c] += cnt[c];
}

// bin_index(v) of the weight grid for finite v, `outside` beyond it: weight_bin() (core/stats_avx512_inl.h)
// with the clamps done on the floored float, which holds integers exactly up to 2^24 (the grid has fewer
// bins, and a floor that large lands outside either way), so the float conversion comes last. A bin
// below the grid converts to a negative integer, one too far for int32 to 0x80000000: as unsigned both
// lie above `outside`, so one unsigned min sends every out-of-grid lane there.
struct FastGrid {
    __m512 lo, hi, inv, last, base_bins, below;
    __m512i outside, below_i;
};

inline FastGrid fast_grid(const BinParams& w) {
    FastGrid g;
    g.lo = _mm512_set1_ps(w.lo);
    g.hi = _mm512_set1_ps(w.hi);
    g.inv = _mm512_set1_ps(w.inv_width);
    g.last = _mm512_set1_ps(static_cast<float>(w.base_bins - 1));
    g.base_bins = _mm512_set1_ps(static_cast<float>(w.base_bins));
    g.below = _mm512_set1_ps(static_cast<float>(w.below));
    g.outside = _mm512_set1_epi32(w.total);
    g.below_i = _mm512_set1_epi32(w.below);
    return g;
}

inline __m512i fast_bin(__m512 v, const FastGrid& g) {
    __m512 t = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(v, g.lo), g.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __mmask16 le = _mm512_cmp_ps_mask(v, g.hi, _CMP_LE_OQ);
    t = _mm512_mask_min_ps(t, le, t, g.last);
    t = _mm512_mask_max_ps(t, static_cast<__mmask16>(~le), t, g.base_bins);
    return _mm512_min_epu32(_mm512_cvttps_epi32(_mm512_add_ps(t, g.below)), g.outside);
}

// fast_bin() without the upper-edge rule: the same bin but for v in [rule_lo, rule_hi] (a few floats around
// the grid's top, FormatPassArgs) and NaN.
// The floor comes with the conversion (rounding toward -inf); a float beyond int32 (or NaN) converts to
// 0x80000000, which stays above `outside` as unsigned after adding `below`, as does any negative bin.
inline __m512i plain_bin(__m512 v, const FastGrid& g) {
    const __m512i t = _mm512_cvt_roundps_epi32(_mm512_mul_ps(_mm512_sub_ps(v, g.lo), g.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    return _mm512_min_epu32(_mm512_add_epi32(t, g.below_i), g.outside);
}

// Where the kernel's dequantized values and codes come from: run()'s output in memory (Stored), or the
// format's rule worked out here from x and its blocks' parameters (E2M1Rule, SmallRule), which also
// writes them out for the code count and the fix pass. src(i, m, xv, code) gives the dequantized values
// of x[i, i + 16) (lanes m) and, where kCode, their codes as 32-bit lanes.
struct Stored {
    const float* dq;
    const std::int8_t* codes;
    template <bool kCode>
    inline __attribute__((always_inline)) __m512 get(std::int64_t i, __mmask16 m, __m512, __m512i& code) {
        if constexpr (kCode) code = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, codes + i));
        return _mm512_maskz_loadu_ps(m, dq + i);
    }
};

// FP4 E2M1, value i of the call in block (first + i) >> shift, parameter 0 its scale. kInverse: every
// scale a power of two, parameter 1 its exact inverse (MXFP4): a multiplication instead of a division.
template <bool kInverse>
struct E2M1Rule {
    E2M1Vec f;
    const float* params;
    std::int64_t stride, first;
    int shift;
    float* dq;
    std::int8_t* codes;
    std::uint64_t clipped = 0;  // finite values only come here: every saturated lane is a clipped value
    template <bool kCode>
    inline __attribute__((always_inline)) __m512 get(std::int64_t i, __mmask16 m, __m512 xv, __m512i& code) {
        const std::int64_t b = (first + i) >> shift;
        const __m512 vs = _mm512_set1_ps(params[b]);
        __mmask16 over;
        const __m512 y = kInverse ? f(xv, _mm512_set1_ps(params[stride + b]), vs, code, over) : f(xv, vs, code, over);
        clipped += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(over & m)));
        _mm512_mask_storeu_ps(dq + i, m, y);
        _mm512_mask_cvtepi32_storeu_epi8(codes + i, m, code);
        return y;
    }
};

// ggml's Q8_0, Q4_0, Q4_1, Q5_0 (blocks of 32): the code and level of each value from its block's id, d,
// min and m, and a value below the block's lo or above its hi counted as clipped.
template <ggml::detail::Small K>
struct SmallRule {
    const float* params;
    std::int64_t stride, first;
    float* dq;
    std::int8_t* codes;
    std::uint64_t clipped = 0;
    template <bool kCode>
    inline __attribute__((always_inline)) __m512 get(std::int64_t i, __mmask16 m, __m512 xv, __m512i& code) {
        const float* p = params + ((first + i) >> 5);
        const __m512 min = K == ggml::detail::Small::Q4_1 ? _mm512_set1_ps(p[2 * stride]) : _mm512_setzero_ps();
        const __m512 mf = K == ggml::detail::Small::Q4_1 ? _mm512_set1_ps(p[3 * stride]) : _mm512_setzero_ps();
        code = ggml::detail::codes_of<K>(xv, _mm512_set1_ps(p[0]), min);
        const __m512 y = ggml::detail::values_of<K>(code, _mm512_set1_ps(p[stride]), mf);
        const __mmask16 out = _mm512_mask_cmp_ps_mask(m, xv, _mm512_set1_ps(p[4 * stride]), _CMP_LT_OQ) |
                              _mm512_mask_cmp_ps_mask(m, xv, _mm512_set1_ps(p[5 * stride]), _CMP_GT_OQ);
        clipped += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(out)));
        _mm512_mask_storeu_ps(dq + i, m, y);
        _mm512_mask_cvtepi32_storeu_epi8(codes + i, m, code);
        return y;
    }
};

template <int kMode, class Src>
void run(FormatPassArgs& a, const float* x, Src& src, const std::int8_t* codes, std::int64_t n, FormatPassSums& out) {
    const __m512 elo = _mm512_set1_ps(a.elo), einv = _mm512_set1_ps(a.einv);
    const __m512i elast = _mm512_set1_epi32(a.ebins - 1);
    const __m512i stride = _mm512_set1_epi32(a.stride);
    const __m512i jdump = _mm512_set1_epi32(a.rows * a.stride);
    const __m512i c128 = _mm512_set1_epi32(128);
    const FastGrid wg = fast_grid(a.w);
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    // Correction: a base-grid bin t (an integer float) as t + below + 1 clamped to [0, total + 1], 0 and
    // total + 1 for outside (NaN too: max() gives its second operand then)
    const __m512 slot_lo = _mm512_set1_ps(static_cast<float>(-a.w.below - 1));
    const __m512 slot_hi = _mm512_set1_ps(static_cast<float>(a.w.total - a.w.below));
    const __m512 slot_shift = _mm512_set1_ps(static_cast<float>(a.w.below + 1));
    const __m512 rule_lo = _mm512_set1_ps(a.rule_lo);
    const __m512i slot_pair = _mm512_set1_epi32(((a.w.below + 1) << 16) + a.w.below + 1);
    const auto slot_of = [&](__m512 t) {
        return _mm512_cvttps_epi32(_mm512_add_ps(_mm512_min_ps(_mm512_max_ps(t, slot_lo), slot_hi), slot_shift));
    };

    std::uint32_t* joint = a.joint;
    std::int64_t moves = a.moves;
    std::uint32_t* const moves_out = a.moves_packed;  // (a local: the loop's memory barriers reload a's fields)

    __m512 pe2 = _mm512_setzero_ps(), pab = pe2, pdq = pe2;
    __m512d se2l = _mm512_setzero_pd(), se2h = se2l, sabl = se2l, sabh = se2l, sdql = se2l, sdqh = se2l;
    __m512 vmax = _mm512_setzero_ps();
    __m512 vlo = _mm512_set1_ps(__builtin_inff()), vhi = _mm512_set1_ps(-__builtin_inff());
    int in_block = 0;
    // Indices are stored, then counted kLag vectors later: by then the stores have left for the cache, so
    // the 16 scalar reloads do not wait on a vector store (which does not forward to narrow loads).
    constexpr int kLag = 4;
    alignas(64) std::int32_t jring[kLag][16];
    for (int r = 0; r < kLag; ++r) _mm512_store_si512(jring[r], jdump);
    int slot = 0;

    for (std::int64_t i = 0; i < n; i += 16) {
        const std::int64_t left = n - i;
        const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
        if (i < a.ahead_n) _mm_prefetch(reinterpret_cast<const char*>(a.ahead + i), _MM_HINT_T0);
        const __m512 xv = _mm512_maskz_loadu_ps(m, x + i);
        __m512i code;
        const __m512 dq = src.template get<kMode != 1>(i, m, xv, code);
        const __m512 e = _mm512_sub_ps(dq, xv);
        const __m512 ae = _mm512_and_ps(e, absmask);
        pe2 = _mm512_add_ps(pe2, _mm512_mul_ps(e, e));
        pab = _mm512_add_ps(pab, ae);
        pdq = _mm512_add_ps(pdq, _mm512_mul_ps(dq, dq));
        vmax = _mm512_max_ps(vmax, ae);
        vlo = _mm512_mask_min_ps(vlo, m, vlo, dq);
        vhi = _mm512_mask_max_ps(vhi, m, vhi, dq);

        // error bin: (e - elo) * einv truncated, the top edge in the last bin. An error inside [elo, ehi] gives
        // a non-negative product, whose truncation is its floor; one outside lands in an edge bin (negative
        // bins pass as large unsigned ones), and the caller, seeing it from the largest |e|, has
        // format_pass_fix_avx512 move it to the outside column.
        const __m512i eb = _mm512_min_epu32(_mm512_cvttps_epi32(_mm512_mul_ps(_mm512_sub_ps(e, elo), einv)), elast);
        __m512i row;
        if constexpr (kMode == 1) {
            row = plain_bin(dq, wg);  // the caller has the lanes the rule would change counted again
        } else {
            row = _mm512_add_epi32(code, c128);
        }
        const __m512i j = _mm512_mask_blend_epi32(m, jdump, _mm512_add_epi32(_mm512_mullo_epi32(row, stride), eb));
        // Count the indices stored kLag vectors ago, reading them back from memory: 16 scalar loads are
        // cheaper than 16 lane extractions, which compete with the arithmetic for vector ports.
        asm volatile("" ::: "memory");
        for (int l = 0; l < 16; ++l) ++joint[jring[slot][l]];
        _mm512_store_si512(jring[slot], j);
        slot = slot + 1 == kLag ? 0 : slot + 1;
        if constexpr (kMode == 2) {
            // A vector whose values and dequantized values lie in [lo, rule_lo) (nearly all: rule_lo is a
            // few floats below the grid's top, or -inf when not found) has both bins as truncations of
            // non-negative floats below base_bins: no edge rule and no clamp, as the integer pass's fast
            // slices; each slot is its bin + below + 1, added to both halves of the word at once.
            const __mmask16 safe = _mm512_mask_cmp_ps_mask(_mm512_mask_cmp_ps_mask(_mm512_cmp_ps_mask(dq, wg.lo, _CMP_GE_OQ), dq, rule_lo, _CMP_LT_OQ),
                                                           xv, rule_lo, _CMP_LT_OQ);
            if (static_cast<__mmask16>(safe | static_cast<__mmask16>(~m)) == static_cast<__mmask16>(0xFFFF)) {
                const __m512i tx = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_sub_ps(xv, wg.lo), wg.inv));
                const __m512i td = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_sub_ps(dq, wg.lo), wg.inv));
                const __mmask16 moved = _mm512_mask_cmpneq_epi32_mask(m, tx, td);
                const __m512i word = _mm512_add_epi32(_mm512_or_si512(_mm512_slli_epi32(td, 16), tx), slot_pair);
                _mm512_storeu_si512(moves_out + moves, _mm512_maskz_compress_epi32(moved, word));
                moves += __builtin_popcount(static_cast<unsigned>(moved));
            } else {
                // the base-grid bins as floats (bin_index() before the shift), the integer pass's way: x lies in
                // the base range, so only its top edge needs the rule; dq may lie beyond either edge. Two bins
                // that differ outside the grid make a move from outside to outside, which cancels.
                const __m512 tx = _mm512_min_ps(
                    _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(xv, wg.lo), wg.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC), wg.last);
                const __m512 td0 = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(dq, wg.lo), wg.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
                const __m512 td = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(dq, wg.hi, _CMP_LE_OQ), _mm512_max_ps(td0, wg.base_bins),
                                                       _mm512_min_ps(td0, wg.last));
                const __mmask16 moved = _mm512_cmp_ps_mask(tx, td, _CMP_NEQ_UQ) & m;
                // one word per move (FormatPassArgs::moves_packed): one compress and one store
                const __m512i word = _mm512_or_si512(_mm512_slli_epi32(slot_of(td), 16), slot_of(tx));
                _mm512_storeu_si512(moves_out + moves, _mm512_maskz_compress_epi32(moved, word));
                moves += __builtin_popcount(static_cast<unsigned>(moved));
            }
        }
        if (++in_block == 4) {
            widen_add(se2l, se2h, pe2);
            widen_add(sabl, sabh, pab);
            widen_add(sdql, sdqh, pdq);
            pe2 = pab = pdq = _mm512_setzero_ps();
            in_block = 0;
        }
    }
    asm volatile("" ::: "memory");
    for (int r = 0; r < kLag; ++r)
        for (int l = 0; l < 16; ++l) ++joint[jring[r][l]];
    widen_add(se2l, se2h, pe2);
    widen_add(sabl, sabh, pab);
    widen_add(sdql, sdqh, pdq);
    out.e2 += reduce(se2l, se2h);
    out.abs += reduce(sabl, sabh);
    out.dq2 += reduce(sdql, sdqh);
    out.max_abs = _mm512_reduce_max_ps(vmax);
    out.dq_lo = _mm512_reduce_min_ps(vlo);
    out.dq_hi = _mm512_reduce_max_ps(vhi);
    if constexpr (kMode == 1)
        for (int c = 0; c < a.code_n; c += 16) count_16_codes(codes, n, a.code_lo + c, a.code_counts + c);
    a.moves = moves;
}

} // namespace

void format_pass_fix_avx512(const FormatPassArgs& a, const float* x, const float* dqp, const std::int8_t* codes, std::int64_t n) {
    const __m512 elo = _mm512_set1_ps(a.elo), ehi = _mm512_set1_ps(a.ehi), einv = _mm512_set1_ps(a.einv);
    const __m512 rlo = _mm512_set1_ps(a.rule_lo), rhi = _mm512_set1_ps(a.rule_hi);
    const __m512i elast = _mm512_set1_epi32(a.ebins - 1), eout = _mm512_set1_epi32(a.ebins), stride = _mm512_set1_epi32(a.stride);
    const FastGrid wg = fast_grid(a.w);
    for (std::int64_t i = 0; i < n; i += 16) {
        const std::int64_t left = n - i;
        const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
        const __m512 dq = _mm512_maskz_loadu_ps(m, dqp + i);
        const __m512 e = _mm512_sub_ps(dq, _mm512_maskz_loadu_ps(m, x + i));
        // inside: e <= ehi and floor((e - elo) * einv) >= 0, as bin_index() has it
        const __m512 ep = _mm512_mul_ps(_mm512_sub_ps(e, elo), einv);
        const __m512 et = _mm512_roundscale_ps(ep, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
        const __mmask16 in = _mm512_mask_cmp_ps_mask(_mm512_cmp_ps_mask(e, ehi, _CMP_LE_OQ), et, _mm512_setzero_ps(), _CMP_GE_OQ);
        __mmask16 fix = m & static_cast<__mmask16>(~in);
        if (a.mode == 1) fix |= _mm512_mask_cmp_ps_mask(_mm512_mask_cmp_ps_mask(m, dq, rlo, _CMP_NLT_UQ), dq, rhi, _CMP_NGT_UQ);
        if (!fix) continue;
        // the kernel's cell (its truncated error bin) and the right one (for an error inside the grid the
        // truncation is the floor)
        const __m512i eb = _mm512_min_epu32(_mm512_cvttps_epi32(ep), elast);
        __m512i row = _mm512_add_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, codes + i)), _mm512_set1_epi32(128)), good_row = row;
        if (a.mode == 1) {
            row = plain_bin(dq, wg);
            good_row = fast_bin(dq, wg);
        }
        alignas(64) std::int32_t was[16], good[16];
        _mm512_store_si512(was, _mm512_add_epi32(_mm512_mullo_epi32(row, stride), eb));
        _mm512_store_si512(good, _mm512_add_epi32(_mm512_mullo_epi32(good_row, stride), _mm512_mask_blend_epi32(in, eout, eb)));
        for (unsigned f = fix; f; f &= f - 1) {
            const int l = __builtin_ctz(f);
            --a.joint[was[l]];
            ++a.joint[good[l]];
        }
    }
}

void format_pass_avx512(FormatPassArgs& a, const float* x, const float* dq, const std::int8_t* codes, std::int64_t n,
                        FormatPassSums& out) {
    Stored src{dq, codes};
    switch (a.mode) {
    case 1: run<1>(a, x, src, codes, n, out); break;
    case 2: run<2>(a, x, src, codes, n, out); break;
    default: run<0>(a, x, src, codes, n, out); break;
    }
}

void format_pass_fused_avx512(FormatPassArgs& a, const FusedRuleArgs& r, const float* x, float* dq, std::int8_t* codes, std::int64_t n,
                              FormatPassSums& out, std::uint64_t& clipped) {
    const auto go = [&](auto& src) {
        switch (a.mode) {
        case 1: run<1>(a, x, src, codes, n, out); break;
        case 2: run<2>(a, x, src, codes, n, out); break;
        default: run<0>(a, x, src, codes, n, out); break;
        }
    };
    const auto with = [&](auto src) {
        go(src);
        clipped += src.clipped;
    };
    using ggml::detail::Small;
    switch (r.kind) {
    case FusedRuleArgs::E2M1Pow2: with(E2M1Rule<true>{E2M1Vec(), r.params, r.stride, r.first, r.shift, dq, codes}); break;
    case FusedRuleArgs::E2M1: with(E2M1Rule<false>{E2M1Vec(), r.params, r.stride, r.first, r.shift, dq, codes}); break;
    case FusedRuleArgs::Q8_0: with(SmallRule<Small::Q8_0>{r.params, r.stride, r.first, dq, codes}); break;
    case FusedRuleArgs::Q4_0: with(SmallRule<Small::Q4_0>{r.params, r.stride, r.first, dq, codes}); break;
    case FusedRuleArgs::Q4_1: with(SmallRule<Small::Q4_1>{r.params, r.stride, r.first, dq, codes}); break;
    case FusedRuleArgs::Q5_0: with(SmallRule<Small::Q5_0>{r.params, r.stride, r.first, dq, codes}); break;
    }
}

bool format_pass_avx512_compiled() { return true; }

} // namespace ql::kernels::detail

#else

namespace ql::kernels::detail {
void format_pass_avx512(FormatPassArgs&, const float*, const float*, const std::int8_t*, std::int64_t, FormatPassSums&) {}
void format_pass_fix_avx512(const FormatPassArgs&, const float*, const float*, const std::int8_t*, std::int64_t) {}
void format_pass_fused_avx512(FormatPassArgs&, const FusedRuleArgs&, const float*, float*, std::int8_t*, std::int64_t, FormatPassSums&,
                              std::uint64_t&) {}
bool format_pass_avx512_compiled() { return false; }
} // namespace ql::kernels::detail

#endif
