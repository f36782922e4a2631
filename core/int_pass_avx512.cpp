// The AVX-512 kernel of the fused integer analysis pass (core/int_pass.h). This file alone is compiled
// with AVX-512 enabled (core/CMakeLists.txt); core/int_pass.cpp calls it only when the CPU has it.
//
// Every per-element value is the scalar definition's IEEE operation, lane by lane, without contraction:
//   q  = clamp(rint(x * inv_scale) + z, qmin, qmax)   (roundscale to nearest even; max/min equal the
//        scalar clamp for the finite values this path sees)
//   dq = (q - z) * scale,  e = dq - x
//   bins as bin_index() (core/bin_grid.h): floor((v - lo) * inv_width), the upper-edge rule, the shift
//   (errors: for those inside the grid; int_pass.cpp tells the others from the largest |e|).
// The float sums e^2, |e|, dq^2, x dq take the float products; each lane adds 8 of them in float and
// then goes on in double (16 lanes x 2 halves), reduced once per call.
#include "core/int_pass_kernel.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
// GCC 12's AVX-512 headers start some intrinsics from _mm512_undefined_*(), which -Wuninitialized flags.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "core/stats_avx512_inl.h"

namespace ql::kernels::detail {

namespace {

template <int kMode, bool kDqSums, bool kRange>
void run(IntPassArgs& a, const float* x, std::int64_t n, const IntParams* params, const std::uint8_t* fast,
         std::int64_t first_len, std::int64_t slice_len, IntPassSums& out) {
    const int qmin = static_cast<int>(a.qminf);
    const __m512 zero = _mm512_setzero_ps(), span = _mm512_set1_ps(a.qmaxf - a.qminf);
    const __m512 elo = _mm512_set1_ps(a.elo), einv = _mm512_set1_ps(a.einv);
    const __m512i elast = _mm512_set1_epi32(a.ebins - 1);
    const __m512i stride = _mm512_set1_epi32(a.stride);
    const int rows = static_cast<int>(a.qmaxf - a.qminf) + 1;
    const __m512i jdump = _mm512_set1_epi32(rows * a.stride);
    const WeightGrid wg = weight_grid(a.w);
    const __m512 wlast = _mm512_set1_ps(static_cast<float>(a.w.base_bins - 1)), wbins = _mm512_set1_ps(static_cast<float>(a.w.base_bins));
    const __m512i ddump = _mm512_set1_epi32(a.w.total + 1);
    // Correction: a dequantized base-grid bin t is packed as t + below + 1, clamped to [0, total + 1]
    const __m512 to_lo = _mm512_set1_ps(static_cast<float>(-a.w.below - 1));
    const __m512 to_hi = _mm512_set1_ps(static_cast<float>(a.w.total - a.w.below));
    const __m512 to_shift = _mm512_set1_ps(static_cast<float>(a.w.below + 1));
    const __m512i to_shift_i = _mm512_set1_epi32(a.w.below + 1);
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));

    std::uint32_t* joint = a.joint;
    std::uint16_t* dq16 = a.dq16;
    std::int64_t moves = a.moves;
    std::uint32_t* const moves_out = a.moves_packed;  // (a local: the loop's memory barriers reload a's fields)

    __m512 pe2 = _mm512_setzero_ps(), pab = pe2, pdq = pe2;
    __m512d se2l = _mm512_setzero_pd(), se2h = se2l, sabl = se2l, sabh = se2l, sdql = se2l, sdqh = se2l;
    __m512 vmax = _mm512_setzero_ps();
    __m512 vlo = _mm512_set1_ps(__builtin_inff()), vhi = _mm512_set1_ps(-__builtin_inff());
    std::uint64_t clipped = 0;
    int in_block = 0;
    // Indices are stored, then counted kLag vectors later: by then the stores have left for the cache,
    // so the 16 scalar reloads do not wait on a vector store (which does not forward to narrow loads).
    constexpr int kLag = 4;
    alignas(64) std::int32_t jring[kLag][16];
    alignas(64) std::int32_t dring[kLag][16];
    for (int r = 0; r < kLag; ++r) {
        _mm512_store_si512(jring[r], jdump);
        _mm512_store_si512(dring[r], ddump);
    }
    int slot = 0;

    // GroupCodes: each lane counts its codes in 4-bit fields: 1 << 4 (code - qmin) into ca (0 for codes
    // 8-15, whose shift passes 31) and the same rotated into call, so codes 8-15 are call - ca. A field
    // holds at most kGroupVectors values before the counts go to the slice's levels' bins.
    constexpr int kGroupVectors = 15;
    const __m512i one = _mm512_set1_epi32(1);
    __m512i ca = _mm512_setzero_si512(), call = ca;
    int counted = 0;
    // The last slice's (count << 24 | level bin) per code, added to dq16 at the next slice's end, when
    // the vector store has long left for the cache (a wide store does not forward to narrow loads).
    alignas(64) std::uint32_t pending[16];
    _mm512_store_si512(pending, ddump);
    const auto add_pending = [&] {
        for (int r = 0; r < rows; ++r) {
            const std::uint32_t v = pending[r];
            dq16[v & 0xFFFFFFu] = static_cast<std::uint16_t>(dq16[v & 0xFFFFFFu] + (v >> 24));
        }
    };
    // Turns the lane counts into the slice's pending (count, level bin) pairs, levels (c - z) * scale.
    const auto add_group_counts = [&](__m512 sf, __m512 zf) {
        const __m512i nib = _mm512_set1_epi32(0x0F0F0F0F);
        const __m512i cb = _mm512_sub_epi32(call, ca);
        // byte k of a lane sum: the count of code 2k (a0, b0) or 2k + 1 (a1, b1) over the 16 lanes (at
        // most 16 x 15 = 240, so no byte carries into the next)
        const __m512i a0 = _mm512_and_si512(ca, nib), a1 = _mm512_and_si512(_mm512_srli_epi32(ca, 4), nib);
        const __m512i b0 = _mm512_and_si512(cb, nib), b1 = _mm512_and_si512(_mm512_srli_epi32(cb, 4), nib);
        // the four lane sums at once: pairs within each 128-bit part, then the four parts
        const __m512i ta = _mm512_add_epi32(_mm512_unpacklo_epi32(a0, a1), _mm512_unpackhi_epi32(a0, a1));
        const __m512i tb = _mm512_add_epi32(_mm512_unpacklo_epi32(b0, b1), _mm512_unpackhi_epi32(b0, b1));
        const __m512i t4 = _mm512_add_epi32(_mm512_unpacklo_epi64(ta, tb), _mm512_unpackhi_epi64(ta, tb));
        const __m256i t2 = _mm256_add_epi32(_mm512_castsi512_si256(t4), _mm512_extracti64x4_epi64(t4, 1));
        const __m128i t1 = _mm_add_epi32(_mm256_castsi256_si128(t2), _mm256_extracti128_si256(t2, 1));
        // bytes [a0 a1 b0 b1] in code order, one count per lane
        const __m128i order = _mm_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);
        const __m512i counts = _mm512_cvtepu8_epi32(_mm_shuffle_epi8(t1, order));
        const __m512 levels = _mm512_cvtepi32_ps(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
        const __m512 dq = _mm512_mul_ps(_mm512_sub_ps(levels, zf), sf);  // each code's dequantized value
        const __m512i bins = weight_bin(dq, weight_grid(a.w));
        // the slice's sum of dq^2 (count x the float square each value would add) and dequantized range
        const __m512 dq2 = _mm512_mul_ps(dq, dq);
        sdql = _mm512_add_pd(sdql, _mm512_mul_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(dq2)),
                                                 _mm512_cvtepi32_pd(_mm512_castsi512_si256(counts))));
        sdqh = _mm512_add_pd(sdqh, _mm512_mul_pd(_mm512_cvtps_pd(_mm512_extractf32x8_ps(dq2, 1)),
                                                 _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(counts, 1))));
        const __mmask16 used = _mm512_test_epi32_mask(counts, counts);
        vlo = _mm512_mask_min_ps(vlo, used, vlo, dq);
        vhi = _mm512_mask_max_ps(vhi, used, vhi, dq);
        add_pending();
        _mm512_store_si512(pending, _mm512_or_si512(bins, _mm512_slli_epi32(counts, 24)));
        ca = call = _mm512_setzero_si512();
        counted = 0;
    };

    // One slice's vectors. kFast (Correction, a slice whose values and dequantized values all lie in
    // [lo, hi] with bins below base_bins and whose codes do not clip, as int_slice_bounds_avx512 found
    // from the slice's range): no clamp, no clipped count, and both bins are the truncations of
    // non-negative floats, without bin_index()'s edge rules.
    const auto slice_loop = [&]<bool kFast>(std::int64_t& i, std::int64_t end, __m512 sf, __m512 inv, __m512 zf)
                                __attribute__((always_inline)) {
        for (; i < end; i += 16) {
            const std::int64_t left = end - i;
            const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
            _mm_prefetch(reinterpret_cast<const char*>(x + i) + 2048, _MM_HINT_T0);
            const __m512 xv = left >= 16 ? _mm512_loadu_ps(x + i) : _mm512_maskz_loadu_ps(m, x + i);
            // codes shifted by -qmin (zf is z - qmin): c is the joint table's row, and c - zf = q - z exactly
            const __m512 r = _mm512_roundscale_ps(_mm512_mul_ps(xv, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            const __m512 v = _mm512_add_ps(r, zf);
            // a fast slice's lowest and highest values round inside the code range: no value clips
            const __m512 c = kFast ? v : _mm512_min_ps(_mm512_max_ps(v, zero), span);
            if constexpr (!kFast) {
                const __mmask16 clip = _mm512_mask_cmp_ps_mask(m, v, c, _CMP_NEQ_OQ);
                clipped += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(clip)));
            }
            const __m512 dq = kFast ? _mm512_mul_ps(r, sf) : _mm512_mul_ps(_mm512_sub_ps(c, zf), sf);
            const __m512 e = _mm512_sub_ps(dq, xv);
            const __m512 ae = _mm512_and_ps(e, absmask);
            pe2 = _mm512_add_ps(pe2, _mm512_mul_ps(e, e));
            pab = _mm512_add_ps(pab, ae);
            if constexpr (kDqSums) pdq = _mm512_add_ps(pdq, _mm512_mul_ps(dq, dq));
            vmax = _mm512_max_ps(vmax, ae);
            if constexpr (kDqSums && kRange) {
                vlo = _mm512_mask_min_ps(vlo, m, vlo, dq);
                vhi = _mm512_mask_max_ps(vhi, m, vhi, dq);
            }

            // error bin: (e - elo) * einv truncated, the top edge in the last bin. An error inside [elo, ehi]
            // gives a non-negative product, whose truncation is its floor; one outside lands in an edge bin
            // (negative bins pass as large unsigned ones), and the caller, seeing it from the largest |e|,
            // throws these counts away.
            const __m512i ei = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_sub_ps(e, elo), einv));
            const __m512i eb = _mm512_min_epu32(ei, elast);
            const __m512i row = _mm512_cvttps_epi32(c);
            const __m512i j = _mm512_mask_blend_epi32(m, jdump, _mm512_add_epi32(_mm512_mullo_epi32(row, stride), eb));
            if constexpr (kMode == 3) {
                const __m512i sh = _mm512_slli_epi32(row, 2);
                ca = _mm512_mask_add_epi32(ca, m, ca, _mm512_sllv_epi32(one, sh));
                call = _mm512_mask_add_epi32(call, m, call, _mm512_rolv_epi32(one, sh));
                if (++counted == kGroupVectors) add_group_counts(sf, zf);
            }
            // Count the indices stored kLag vectors ago, reading them back from memory: 16 scalar loads
            // are cheaper than 16 lane extractions, which compete with the arithmetic for vector ports.
            asm volatile("" ::: "memory");
            if constexpr (kMode == 2) {
                for (int l = 0; l < 16; ++l) {
                    ++joint[jring[slot][l]];
                    ++dq16[dring[slot][l]];
                }
                _mm512_store_si512(dring[slot], _mm512_mask_blend_epi32(m, ddump, weight_bin(dq, wg)));
            } else {
                for (int l = 0; l < 16; ++l) ++joint[jring[slot][l]];
            }
            _mm512_store_si512(jring[slot], j);
            slot = slot + 1 == kLag ? 0 : slot + 1;
            if constexpr (kMode == 1 && kFast) {
                const __m512i tx = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_sub_ps(xv, wg.lo), wg.inv));
                const __m512i td = _mm512_cvttps_epi32(_mm512_mul_ps(_mm512_sub_ps(dq, wg.lo), wg.inv));
                const __mmask16 moved = _mm512_mask_cmpneq_epi32_mask(m, tx, td);
                const __m512i word = _mm512_or_si512(_mm512_slli_epi32(_mm512_add_epi32(td, to_shift_i), 16), tx);
                _mm512_storeu_si512(moves_out + moves, _mm512_maskz_compress_epi32(moved, word));
                moves += __builtin_popcount(static_cast<unsigned>(moved));
            } else if constexpr (kMode == 1) {
                // the base-grid bins as floats (bin_index() before the shift by `below`): x lies in the
                // base range, so only its top edge needs the rule; dq may lie beyond either edge
                const __m512 tx = _mm512_min_ps(
                    _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(xv, wg.lo), wg.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC), wlast);
                const __m512 td0 =
                    _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(dq, wg.lo), wg.inv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
                const __m512 td = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(dq, wg.hi, _CMP_LE_OQ), _mm512_max_ps(td0, wbins),
                                                       _mm512_min_ps(td0, wlast));
                const __mmask16 moved = _mm512_cmp_ps_mask(tx, td, _CMP_NEQ_UQ) & m;
                // one word per move: the dequantized bin shifted by below + 1 (0 and total + 1 mean outside
                // the grid, as is td's far-out or NaN) above the own base bin; one compress and one store
                const __m512i to = _mm512_cvttps_epi32(_mm512_add_ps(_mm512_min_ps(_mm512_max_ps(td, to_lo), to_hi), to_shift));
                const __m512i word = _mm512_or_si512(_mm512_slli_epi32(to, 16), _mm512_cvttps_epi32(tx));
                _mm512_storeu_si512(moves_out + moves, _mm512_maskz_compress_epi32(moved, word));
                moves += __builtin_popcount(static_cast<unsigned>(moved));
            }
            if (++in_block == 8) {
                widen_add(se2l, se2h, pe2);
                widen_add(sabl, sabh, pab);
                if constexpr (kDqSums) {
                    widen_add(sdql, sdqh, pdq);
                }
                pe2 = pab = pdq = _mm512_setzero_ps();
                in_block = 0;
            }
        }
    };

    std::int64_t i = 0;
    for (std::int64_t k = 0; i < n; ++k) {
        const std::int64_t len = (k == 0 ? first_len : slice_len) < n - i ? (k == 0 ? first_len : slice_len) : n - i;
        const IntParams& p = params[k];
        const __m512 sf = _mm512_set1_ps(p.scale), inv = _mm512_set1_ps(p.inv_scale);
        const __m512 zf = _mm512_set1_ps(static_cast<float>(p.zero_point - qmin));
        const std::int64_t end = i + len;
        if (kMode == 1 && fast != nullptr && fast[k]) slice_loop.template operator()<true>(i, end, sf, inv, zf);
        else slice_loop.template operator()<false>(i, end, sf, inv, zf);
        if constexpr (kMode == 3) {
            if (counted > 0) add_group_counts(sf, zf);
        }
        i = end;
    }
    if constexpr (kMode == 3) add_pending();
    asm volatile("" ::: "memory");
    for (int r = 0; r < kLag; ++r)
        for (int l = 0; l < 16; ++l) {
            ++joint[jring[r][l]];
            if constexpr (kMode == 2) ++dq16[dring[r][l]];
        }
    widen_add(se2l, se2h, pe2);
    widen_add(sabl, sabh, pab);
    widen_add(sdql, sdqh, pdq);
    out.e2 += reduce(se2l, se2h);
    out.abs += reduce(sabl, sabh);
    out.dq2 += reduce(sdql, sdqh);
    out.max_abs = _mm512_reduce_max_ps(vmax);
    out.dq_lo = _mm512_reduce_min_ps(vlo);
    out.dq_hi = _mm512_reduce_max_ps(vhi);
    out.clipped += clipped;
    a.moves = moves;
}

} // namespace

void int_slice_bounds_avx512(const IntPassArgs& a, const IntParams* params, const float* lo, const float* hi, std::int64_t count,
                             std::uint8_t* fast, float& dq_lo, float& dq_hi) {
    const float qmin = a.qminf;
    const __m512 zero = _mm512_setzero_ps(), span = _mm512_set1_ps(a.qmaxf - a.qminf);
    const __m512 wlo = _mm512_set1_ps(a.w.lo), whi = _mm512_set1_ps(a.w.hi), winv = _mm512_set1_ps(a.w.inv_width);
    const __m512 base = _mm512_set1_ps(static_cast<float>(a.w.base_bins));
    const __m512i three = _mm512_set1_epi32(3);
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m512 vlo = _mm512_set1_ps(__builtin_inff()), vhi = _mm512_set1_ps(-__builtin_inff());
    static_assert(sizeof(IntParams) == 12, "IntParams: three 32-bit fields");
    const float* pf = reinterpret_cast<const float*>(params);
    for (std::int64_t k = 0; k < count; k += 16) {
        const std::int64_t left = count - k;
        const __mmask16 m = left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
        // 16 parameter triples (48 floats) in three loads, each field picked out by two permutes (lanes
        // 11-15, and lane 10 of the zero points, come from the third vector)
        const float* trip = pf + 3 * k;
        const std::int64_t nf = 3 * (left >= 16 ? 16 : left);
        const auto part = [&](std::int64_t from) {
            const std::int64_t c = nf - from;
            return c >= 16 ? _mm512_loadu_ps(trip + from)
                           : _mm512_maskz_loadu_ps(c <= 0 ? static_cast<__mmask16>(0) : static_cast<__mmask16>((1u << c) - 1u), trip + from);
        };
        const __m512 v0 = part(0), v1 = part(16), v2 = part(32);
        const auto field = [&](int f, __mmask16 third) {
            const __m512i i = _mm512_add_epi32(_mm512_mullo_epi32(lanes, three), _mm512_set1_epi32(f));
            return _mm512_mask_permutexvar_ps(_mm512_permutex2var_ps(v0, i, v1), third, _mm512_sub_epi32(i, _mm512_set1_epi32(32)), v2);
        };
        const __m512 sf = field(0, 0xF800), inv = field(1, 0xF800);
        const __m512i zi = _mm512_castps_si512(field(2, 0xFC00));
        const __m512 zf = _mm512_sub_ps(_mm512_cvtepi32_ps(zi), _mm512_set1_ps(qmin));
        const __m512 xa = _mm512_maskz_loadu_ps(m, lo + k), xb = _mm512_maskz_loadu_ps(m, hi + k);
        // the kernel's codes and dequantized values of each slice's lowest and highest value: both are
        // monotone in x, so these are the slice's extremes
        const auto code_of = [&](__m512 v) {
            return _mm512_add_ps(_mm512_roundscale_ps(_mm512_mul_ps(v, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), zf);
        };
        const auto dq_of = [&](__m512 q) { return _mm512_mul_ps(_mm512_sub_ps(_mm512_min_ps(_mm512_max_ps(q, zero), span), zf), sf); };
        const __m512 qa = code_of(xa), qb = code_of(xb);
        const __m512 da = dq_of(qa), db = dq_of(qb);
        vlo = _mm512_mask_min_ps(vlo, m, vlo, da);
        vhi = _mm512_mask_max_ps(vhi, m, vhi, db);
        if (fast) {
            // x and dq inside [lo, hi] with (v - lo) * inv below base_bins at the slice's top: the bins of
            // every value and dequantized value are then the truncations of non-negative floats below
            // base_bins, which bin_index() gives without its edge rule. And no code clips.
            __mmask16 f = m & _mm512_cmp_ps_mask(da, wlo, _CMP_GE_OQ) & _mm512_cmp_ps_mask(db, whi, _CMP_LE_OQ);
            f &= _mm512_cmp_ps_mask(qa, zero, _CMP_GE_OQ) & _mm512_cmp_ps_mask(qb, span, _CMP_LE_OQ);  // nothing clips
            f &= _mm512_cmp_ps_mask(_mm512_mul_ps(_mm512_sub_ps(xb, wlo), winv), base, _CMP_LT_OQ);
            f &= _mm512_cmp_ps_mask(_mm512_mul_ps(_mm512_sub_ps(db, wlo), winv), base, _CMP_LT_OQ);
            _mm_mask_storeu_epi8(fast + k, m, _mm512_cvtepi32_epi8(_mm512_maskz_mov_epi32(f, _mm512_set1_epi32(1))));
        }
    }
    dq_lo = _mm512_reduce_min_ps(vlo);
    dq_hi = _mm512_reduce_max_ps(vhi);
}

void int_pass_avx512(IntPassArgs& a, const float* x, std::int64_t n, const IntParams* params, const std::uint8_t* fast,
                     std::int64_t first_len, std::int64_t slice_len, IntPassSums& out) {
    const bool range = a.dq_range;
    switch (a.mode) {
    case 1:
        if (range) run<1, true, true>(a, x, n, params, fast, first_len, slice_len, out);
        else run<1, true, false>(a, x, n, params, fast, first_len, slice_len, out);
        break;
    case 2:
        if (range) run<2, true, true>(a, x, n, params, fast, first_len, slice_len, out);
        else run<2, true, false>(a, x, n, params, fast, first_len, slice_len, out);
        break;
    case 3: run<3, false, false>(a, x, n, params, fast, first_len, slice_len, out); break;  // dq sums from each slice's codes
    default:
        if (!a.dq_sums) run<0, false, false>(a, x, n, params, fast, first_len, slice_len, out);
        else if (range) run<0, true, true>(a, x, n, params, fast, first_len, slice_len, out);
        else run<0, true, false>(a, x, n, params, fast, first_len, slice_len, out);
        break;
    }
}

bool int_pass_avx512_compiled() { return true; }

} // namespace ql::kernels::detail

#else

namespace ql::kernels::detail {
void int_pass_avx512(IntPassArgs&, const float*, std::int64_t, const IntParams*, const std::uint8_t*, std::int64_t, std::int64_t,
                     IntPassSums&) {}
void int_slice_bounds_avx512(const IntPassArgs&, const IntParams*, const float*, const float*, std::int64_t, std::uint8_t*, float&,
                             float&) {}
bool int_pass_avx512_compiled() { return false; }
} // namespace ql::kernels::detail

#endif
