// The AVX2 kernel of the fused integer analysis pass (core/int_pass.h), for CPUs without AVX-512: the
// AVX-512 kernel's loop (core/int_pass_avx512.cpp) on 8 lanes, in each of its modes.
// This file alone is compiled with AVX2 enabled (core/CMakeLists.txt); core/int_pass.cpp calls it only
// when the CPU has it.
//
// Every per-element value is the scalar definition's IEEE operation, lane by lane, without contraction,
// as in the AVX-512 kernel:
//   q  = clamp(rint(x * inv_scale) + z, qmin, qmax),  dq = (q - z) * scale,  e = dq - x
//   bins as bin_index() (core/bin_grid.h), errors truncated into their grid (int_pass.cpp tells the
//   outside ones from the largest |e|).
// The float sums e^2, |e|, dq^2 take the float products; each lane adds 8 of them in float and then
// goes on in double, reduced once per call.
#include "core/int_pass_kernel.h"

#if defined(__x86_64__) && defined(__AVX2__)
#include <immintrin.h>

namespace ql::kernels::detail {

namespace {

inline void widen_add(__m256d& lo, __m256d& hi, __m256 v) {
    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
}

inline double reduce(__m256d lo, __m256d hi) {
    alignas(32) double d[4];
    _mm256_store_pd(d, _mm256_add_pd(lo, hi));
    return (d[0] + d[2]) + (d[1] + d[3]);
}

inline __m256 floor_ps(__m256 v) { return _mm256_round_ps(v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }

// AVX-512's compress, AVX2-style, a 4-lane half at a time: row m of kPack4 is the byte shuffle that puts
// the 32-bit lanes set in m (a 4-bit mask) first, in order. 256 bytes: the table stays in the first-level
// cache beside the joint table's increments, where one of 256 rows for 8 lanes (8 KiB) was evicted.
struct PackTable {
    alignas(16) std::uint8_t idx[16][16];
};
constexpr PackTable make_pack_table() {
    PackTable t{};
    for (int m = 0; m < 16; ++m) {
        int k = 0;
        for (int l = 0; l < 4; ++l)
            if (m & (1 << l)) {
                for (int b = 0; b < 4; ++b) t.idx[m][4 * k + b] = static_cast<std::uint8_t>(4 * l + b);
                ++k;
            }
        for (; k < 4; ++k)
            for (int b = 0; b < 4; ++b) t.idx[m][4 * k + b] = 0x80;  // zero
    }
    return t;
}
constexpr PackTable kPack4 = make_pack_table();

// The lanes of `word` set in the 8-bit mask `moved` stored at out[0, popcount(moved)), in order.
inline std::int64_t pack_lanes(__m256i word, int moved, std::uint32_t* out) {
    const int m0 = moved & 15, m1 = moved >> 4;
    const __m128i lo = _mm_shuffle_epi8(_mm256_castsi256_si128(word), _mm_load_si128(reinterpret_cast<const __m128i*>(kPack4.idx[m0])));
    const __m128i hi = _mm_shuffle_epi8(_mm256_extracti128_si256(word, 1), _mm_load_si128(reinterpret_cast<const __m128i*>(kPack4.idx[m1])));
    const int n0 = __builtin_popcount(static_cast<unsigned>(m0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), lo);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + n0), hi);
    return n0 + __builtin_popcount(static_cast<unsigned>(m1));
}

// bin_index(v) of the weight grid for finite v, `outside` (total) beyond it: the AVX-512 weight_bin().
struct Grid {
    __m256 lo, hi, inv;
    __m256i last, base_bins, below, total;
};

inline Grid grid_of(const BinParams& w) {
    return Grid{_mm256_set1_ps(w.lo), _mm256_set1_ps(w.hi), _mm256_set1_ps(w.inv_width), _mm256_set1_epi32(w.base_bins - 1),
                _mm256_set1_epi32(w.base_bins), _mm256_set1_epi32(w.below), _mm256_set1_epi32(w.total)};
}

inline __m256i weight_bin(__m256 v, const Grid& g) {
    __m256 t = floor_ps(_mm256_mul_ps(_mm256_sub_ps(v, g.lo), g.inv));
    t = _mm256_min_ps(_mm256_max_ps(t, _mm256_set1_ps(-0x1p30f)), _mm256_set1_ps(0x1p30f));
    __m256i i = _mm256_cvttps_epi32(t);
    const __m256i le = _mm256_castps_si256(_mm256_cmp_ps(v, g.hi, _CMP_LE_OQ));
    i = _mm256_blendv_epi8(_mm256_max_epi32(i, g.base_bins), _mm256_min_epi32(i, g.last), le);
    i = _mm256_add_epi32(i, g.below);
    const __m256i bad = _mm256_or_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), i), _mm256_cmpgt_epi32(i, _mm256_sub_epi32(g.total, _mm256_set1_epi32(1))));
    return _mm256_blendv_epi8(i, g.total, bad);
}

template <int kMode, bool kDqSums, bool kRange>
void run(IntPassArgs& a, const float* x, std::int64_t n, const IntParams* params, const std::uint8_t* fast,
         std::int64_t first_len, std::int64_t slice_len, IntPassSums& out) {
    const int qmin = static_cast<int>(a.qminf);
    const __m256 zero = _mm256_setzero_ps(), span = _mm256_set1_ps(a.qmaxf - a.qminf);
    const __m256 elo = _mm256_set1_ps(a.elo), einv = _mm256_set1_ps(a.einv);
    const __m256i elast = _mm256_set1_epi32(a.ebins - 1);
    const __m256i stride = _mm256_set1_epi32(a.stride);
    const int rows = static_cast<int>(a.qmaxf - a.qminf) + 1;
    const __m256i jdump = _mm256_set1_epi32(rows * a.stride);
    const Grid wg = grid_of(a.w);
    const __m256 wlast = _mm256_set1_ps(static_cast<float>(a.w.base_bins - 1)), wbins = _mm256_set1_ps(static_cast<float>(a.w.base_bins));
    const __m256i ddump = _mm256_set1_epi32(a.w.total + 1);
    // Correction: a dequantized base-grid bin t is packed as t + below + 1, clamped to [0, total + 1]
    const __m256 to_lo = _mm256_set1_ps(static_cast<float>(-a.w.below - 1));
    const __m256 to_hi = _mm256_set1_ps(static_cast<float>(a.w.total - a.w.below));
    const __m256 to_shift = _mm256_set1_ps(static_cast<float>(a.w.below + 1));
    const __m256i to_shift_i = _mm256_set1_epi32(a.w.below + 1);
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256i iota = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);

    std::uint32_t* joint = a.joint;
    std::uint16_t* dq16 = a.dq16;
    std::int64_t moves = a.moves;
    std::uint32_t* const moves_out = a.moves_packed;  // (a local: the loop's memory barriers reload a's fields)

    __m256 pe2 = _mm256_setzero_ps(), pab = pe2, pdq = pe2;
    __m256d se2l = _mm256_setzero_pd(), se2h = se2l, sabl = se2l, sabh = se2l, sdql = se2l, sdqh = se2l;
    __m256 vmax = _mm256_setzero_ps();
    const __m256 inf = _mm256_set1_ps(__builtin_inff()), ninf = _mm256_set1_ps(-__builtin_inff());
    __m256 vlo = inf, vhi = ninf;
    std::uint64_t clipped = 0;
    int in_block = 0;
    // Indices are stored, then counted kLag vectors later (the stores have left for the cache by then).
    constexpr int kLag = 4;
    alignas(32) std::int32_t jring[kLag][8];
    alignas(32) std::int32_t dring[kLag][8];
    for (int r = 0; r < kLag; ++r) {
        _mm256_store_si256(reinterpret_cast<__m256i*>(jring[r]), jdump);
        _mm256_store_si256(reinterpret_cast<__m256i*>(dring[r]), ddump);
    }
    int slot = 0;

    // GroupCodes (at most 16 codes): each lane counts its codes in 4-bit fields, 1 << 4 (code - qmin) into
    // ca (0 for codes 8-15, whose shift passes 31) and 1 << (4 (code - qmin) mod 32) into call, so codes
    // 8-15 are call - ca. A field holds at most 15 values before the counts go to the slice's levels' bins.
    // Two sets of fields take the vectors in turn, so a slice of 16 vectors (128 values) fills each
    // field at most 8 times and goes to the bins once.
    constexpr int kGroupVectors = 30;
    const __m256i one = _mm256_set1_epi32(1), low5 = _mm256_set1_epi32(31);
    __m256i ca[2] = {_mm256_setzero_si256(), _mm256_setzero_si256()}, call[2] = {ca[0], ca[0]};
    int counted = 0;
    // The last slice's (count << 24 | level bin) per code, added to dq16 at the next slice's end, when
    // the vector stores have long left for the cache.
    alignas(32) std::uint32_t pending[16];
    _mm256_store_si256(reinterpret_cast<__m256i*>(pending), ddump);
    _mm256_store_si256(reinterpret_cast<__m256i*>(pending + 8), ddump);
    const auto add_pending = [&] {
        for (int r = 0; r < rows; ++r) {
            const std::uint32_t v = pending[r];
            dq16[v & 0xFFFFFFu] = static_cast<std::uint16_t>(dq16[v & 0xFFFFFFu] + (v >> 24));
        }
    };
    // The lane counts as the slice's pending (count, level bin) pairs, levels (c - z) * scale.
    const auto add_group_counts = [&](__m256 sf, __m256 zf) {
        const __m256i nib = _mm256_set1_epi32(0x0F0F0F0F);
        // byte k of a lane: the count of code 2k (even) or 2k + 1 (odd) in that lane, both sets added;
        // summed over the 8 lanes (at most 8 x 2 x 15 = 240 a byte, so no byte carries into the next)
        const auto even = [&](__m256i a, __m256i b) { return _mm256_add_epi32(_mm256_and_si256(a, nib), _mm256_and_si256(b, nib)); };
        const auto odd = [&](__m256i a, __m256i b) {
            return _mm256_add_epi32(_mm256_and_si256(_mm256_srli_epi32(a, 4), nib), _mm256_and_si256(_mm256_srli_epi32(b, 4), nib));
        };
        const auto lane_sum = [](__m256i v) {
            __m128i t = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
            t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 0x4E));
            return _mm_add_epi32(t, _mm_shuffle_epi32(t, 0xB1));  // every 32-bit lane holds the sum
        };
        const __m256i cb0 = _mm256_sub_epi32(call[0], ca[0]), cb1 = _mm256_sub_epi32(call[1], ca[1]);
        const __m128i a0 = lane_sum(even(ca[0], ca[1])), a1 = lane_sum(odd(ca[0], ca[1]));
        const __m128i b0 = lane_sum(even(cb0, cb1)), b1 = lane_sum(odd(cb0, cb1));
        // bytes [a0 a1 b0 b1] (codes 0 2 4 6 | 1 3 5 7 | 8 10 12 14 | 9 11 13 15) in code order
        const __m128i t1 = _mm_unpacklo_epi64(_mm_unpacklo_epi32(a0, a1), _mm_unpacklo_epi32(b0, b1));
        const __m128i order = _mm_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);
        const __m128i bytes = _mm_shuffle_epi8(t1, order);
        const __m256i counts[2] = {_mm256_cvtepu8_epi32(bytes), _mm256_cvtepu8_epi32(_mm_srli_si128(bytes, 8))};
        for (int h = 0; h < 2; ++h) {
            const __m256 levels = _mm256_cvtepi32_ps(_mm256_add_epi32(iota, _mm256_set1_epi32(8 * h)));
            const __m256 dq = _mm256_mul_ps(_mm256_sub_ps(levels, zf), sf);  // each code's dequantized value
            const __m256i bins = weight_bin(dq, wg);
            // the slice's sum of dq^2 (count x the float square each value would add) and dequantized range
            const __m256 dq2 = _mm256_mul_ps(dq, dq);
            sdql = _mm256_add_pd(sdql, _mm256_mul_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(dq2)),
                                                     _mm256_cvtepi32_pd(_mm256_castsi256_si128(counts[h]))));
            sdqh = _mm256_add_pd(sdqh, _mm256_mul_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(dq2, 1)),
                                                     _mm256_cvtepi32_pd(_mm256_extracti128_si256(counts[h], 1))));
            const __m256 used = _mm256_castsi256_ps(_mm256_cmpgt_epi32(counts[h], _mm256_setzero_si256()));
            vlo = _mm256_min_ps(vlo, _mm256_blendv_ps(inf, dq, used));
            vhi = _mm256_max_ps(vhi, _mm256_blendv_ps(ninf, dq, used));
            if (h == 0) add_pending();
            _mm256_store_si256(reinterpret_cast<__m256i*>(pending + 8 * h), _mm256_or_si256(bins, _mm256_slli_epi32(counts[h], 24)));
        }
        ca[0] = ca[1] = call[0] = call[1] = _mm256_setzero_si256();
        counted = 0;
    };

    const auto slice_loop = [&]<bool kFast>(std::int64_t& i, std::int64_t end, __m256 sf, __m256 inv, __m256 zf)
                                __attribute__((always_inline)) {
        for (; i < end; i += 8) {
            const std::int64_t left = end - i;
            const bool full = left >= 8;
            // lanes past the end: x = 0, and every figure of theirs masked out
            const __m256i lane = full ? _mm256_set1_epi32(-1) : _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(left)), iota);
            const __m256 lanef = _mm256_castsi256_ps(lane);
            _mm_prefetch(reinterpret_cast<const char*>(x + i) + 2048, _MM_HINT_T0);
            const __m256 xv = full ? _mm256_loadu_ps(x + i) : _mm256_maskload_ps(x + i, lane);
            const __m256 r = _mm256_round_ps(_mm256_mul_ps(xv, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            const __m256 v = _mm256_add_ps(r, zf);
            const __m256 c = kFast ? v : _mm256_min_ps(_mm256_max_ps(v, zero), span);
            if constexpr (!kFast) {
                const int clip = _mm256_movemask_ps(_mm256_and_ps(_mm256_cmp_ps(v, c, _CMP_NEQ_OQ), lanef));
                clipped += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(clip)));
            }
            const __m256 dq = _mm256_and_ps(kFast ? _mm256_mul_ps(r, sf) : _mm256_mul_ps(_mm256_sub_ps(c, zf), sf), lanef);
            const __m256 e = _mm256_and_ps(_mm256_sub_ps(dq, xv), lanef);
            const __m256 ae = _mm256_and_ps(e, absmask);
            pe2 = _mm256_add_ps(pe2, _mm256_mul_ps(e, e));
            pab = _mm256_add_ps(pab, ae);
            if constexpr (kDqSums) pdq = _mm256_add_ps(pdq, _mm256_mul_ps(dq, dq));
            vmax = _mm256_max_ps(vmax, ae);
            if constexpr (kDqSums && kRange) {
                vlo = _mm256_min_ps(vlo, _mm256_blendv_ps(inf, dq, lanef));
                vhi = _mm256_max_ps(vhi, _mm256_blendv_ps(ninf, dq, lanef));
            }

            // error bin: (e - elo) * einv truncated, the top edge in the last bin; an error outside
            // [elo, ehi] lands in an edge bin, which the caller sees from the largest |e|
            const __m256i ei = _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_sub_ps(e, elo), einv));
            const __m256i eb = _mm256_min_epu32(ei, elast);
            const __m256i row = _mm256_cvttps_epi32(c);
            const __m256i j = _mm256_blendv_epi8(jdump, _mm256_add_epi32(_mm256_mullo_epi32(row, stride), eb), lane);
            if constexpr (kMode == 3) {
                const __m256i sh = _mm256_slli_epi32(row, 2);
                const int set = counted & 1;
                ca[set] = _mm256_add_epi32(ca[set], _mm256_and_si256(_mm256_sllv_epi32(one, sh), lane));
                call[set] = _mm256_add_epi32(call[set], _mm256_and_si256(_mm256_sllv_epi32(one, _mm256_and_si256(sh, low5)), lane));
                if (++counted == kGroupVectors) add_group_counts(sf, zf);
            }
            asm volatile("" ::: "memory");
            if constexpr (kMode == 2) {
                for (int l = 0; l < 8; ++l) {
                    ++joint[jring[slot][l]];
                    ++dq16[dring[slot][l]];
                }
                _mm256_store_si256(reinterpret_cast<__m256i*>(dring[slot]), _mm256_blendv_epi8(ddump, weight_bin(dq, wg), lane));
            } else {
                for (int l = 0; l < 8; ++l) ++joint[jring[slot][l]];
            }
            _mm256_store_si256(reinterpret_cast<__m256i*>(jring[slot]), j);
            slot = slot + 1 == kLag ? 0 : slot + 1;
            if constexpr (kMode == 1) {
                __m256i word;
                int moved;
                if constexpr (kFast) {
                    const __m256i tx = _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_sub_ps(xv, wg.lo), wg.inv));
                    const __m256i td = _mm256_cvttps_epi32(_mm256_mul_ps(_mm256_sub_ps(dq, wg.lo), wg.inv));
                    moved = _mm256_movemask_ps(_mm256_andnot_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(tx, td)), lanef));
                    word = _mm256_or_si256(_mm256_slli_epi32(_mm256_add_epi32(td, to_shift_i), 16), tx);
                } else {
                    const __m256 tx = _mm256_min_ps(floor_ps(_mm256_mul_ps(_mm256_sub_ps(xv, wg.lo), wg.inv)), wlast);
                    const __m256 td0 = floor_ps(_mm256_mul_ps(_mm256_sub_ps(dq, wg.lo), wg.inv));
                    const __m256 td = _mm256_blendv_ps(_mm256_max_ps(td0, wbins), _mm256_min_ps(td0, wlast), _mm256_cmp_ps(dq, wg.hi, _CMP_LE_OQ));
                    moved = _mm256_movemask_ps(_mm256_and_ps(_mm256_cmp_ps(tx, td, _CMP_NEQ_UQ), lanef));
                    const __m256i to = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_min_ps(_mm256_max_ps(td, to_lo), to_hi), to_shift));
                    word = _mm256_or_si256(_mm256_slli_epi32(to, 16), _mm256_cvttps_epi32(tx));
                }
                // one word per moved lane, packed to the front (no branch: moves are a few percent of the
                // values, at random)
                moves += pack_lanes(word, moved, moves_out + moves);
            }
            if (++in_block == 8) {
                widen_add(se2l, se2h, pe2);
                widen_add(sabl, sabh, pab);
                if constexpr (kDqSums) widen_add(sdql, sdqh, pdq);
                pe2 = pab = pdq = _mm256_setzero_ps();
                in_block = 0;
            }
        }
    };

    std::int64_t i = 0;
    for (std::int64_t k = 0; i < n; ++k) {
        const std::int64_t len = (k == 0 ? first_len : slice_len) < n - i ? (k == 0 ? first_len : slice_len) : n - i;
        const IntParams& p = params[k];
        const __m256 sf = _mm256_set1_ps(p.scale), inv = _mm256_set1_ps(p.inv_scale);
        const __m256 zf = _mm256_set1_ps(static_cast<float>(p.zero_point - qmin));
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
        for (int l = 0; l < 8; ++l) {
            ++joint[jring[r][l]];
            if constexpr (kMode == 2) ++dq16[dring[r][l]];
        }
    widen_add(se2l, se2h, pe2);
    widen_add(sabl, sabh, pab);
    widen_add(sdql, sdqh, pdq);
    out.e2 += reduce(se2l, se2h);
    out.abs += reduce(sabl, sabh);
    out.dq2 += reduce(sdql, sdqh);
    alignas(32) float m[8], lo8[8], hi8[8];
    _mm256_store_ps(m, vmax);
    _mm256_store_ps(lo8, vlo);
    _mm256_store_ps(hi8, vhi);
    float mx = m[0], lo = lo8[0], hi = hi8[0];
    for (int l = 1; l < 8; ++l) {
        mx = m[l] > mx ? m[l] : mx;
        lo = lo8[l] < lo ? lo8[l] : lo;
        hi = hi8[l] > hi ? hi8[l] : hi;
    }
    out.max_abs = mx;
    out.dq_lo = lo;
    out.dq_hi = hi;
    out.clipped += clipped;
    a.moves = moves;
}

} // namespace

void int_pass_avx2(IntPassArgs& a, const float* x, std::int64_t n, const IntParams* params, const std::uint8_t* fast,
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

bool int_pass_avx2_compiled() { return true; }

} // namespace ql::kernels::detail

#else

namespace ql::kernels::detail {
void int_pass_avx2(IntPassArgs&, const float*, std::int64_t, const IntParams*, const std::uint8_t*, std::int64_t, std::int64_t,
                   IntPassSums&) {}
bool int_pass_avx2_compiled() { return false; }
} // namespace ql::kernels::detail

#endif
