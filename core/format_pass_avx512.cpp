// The AVX-512 kernel of the fused format statistics (core/format_pass.h). This file alone is compiled with
// AVX-512 enabled (core/CMakeLists.txt); core/format_pass.cpp calls it only when the CPU has it.
//
// Every per-element value is the scalar definition's IEEE operation, lane by lane, without contraction:
//   e = dq - x; bins as bin_index() (core/bin_grid.h): floor((v - lo) * inv_width), the upper-edge rule,
//   the shift. The float sums e^2, |e|, dq^2, x dq take the float products; each lane adds 4 of them in
//   float and then goes on in double (16 lanes x 2 halves), reduced once per call, as the integer pass.
#include "core/format_pass_kernel.h"

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

// counts[c] += the number of codes[k] == lo + c, for c < 16: byte counters per code (a masked subtract of
// -1 per 64 codes), folded into the 64-bit counts before a byte could wrap.
void count_16_codes(const std::int8_t* codes, std::int64_t n, int lo, std::uint64_t* counts) {
    __m512i acc[16];
    __m512i want[16];
    for (int c = 0; c < 16; ++c) {
        acc[c] = _mm512_setzero_si512();
        want[c] = _mm512_set1_epi8(static_cast<char>(lo + c));
    }
    const __m512i minus1 = _mm512_set1_epi8(-1);
    auto fold = [&] {
        for (int c = 0; c < 16; ++c) {
            counts[c] += static_cast<std::uint64_t>(_mm512_reduce_add_epi64(_mm512_sad_epu8(acc[c], _mm512_setzero_si512())));
            acc[c] = _mm512_setzero_si512();
        }
    };
    int steps = 0;
    for (std::int64_t i = 0; i < n; i += 64) {
        const std::int64_t left = n - i;
        const __mmask64 m = left >= 64 ? ~__mmask64(0) : (__mmask64(1) << left) - 1;
        const __m512i v = _mm512_maskz_loadu_epi8(m, codes + i);
        for (int c = 0; c < 16; ++c) acc[c] = _mm512_mask_sub_epi8(acc[c], _mm512_mask_cmpeq_epi8_mask(m, v, want[c]), acc[c], minus1);
        if (++steps == 255) {
            fold();
            steps = 0;
        }
    }
    fold();
}

template <int kMode>
void run(FormatPassArgs& a, const float* x, const float* dqp, const std::int8_t* codes, std::int64_t n, FormatPassSums& out) {
    const __m512 elo = _mm512_set1_ps(a.elo), ehi = _mm512_set1_ps(a.ehi), einv = _mm512_set1_ps(a.einv);
    const __m512i elast = _mm512_set1_epi32(a.ebins - 1), eout = _mm512_set1_epi32(a.ebins);
    const __m512i stride = _mm512_set1_epi32(a.stride);
    const __m512i jdump = _mm512_set1_epi32(a.rows * a.stride);
    const __m512i c128 = _mm512_set1_epi32(128);
    const WeightGrid wg = weight_grid(a.w);
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));

    std::uint16_t* joint = a.joint;
    std::int64_t moves = a.moves;

    __m512 pe2 = _mm512_setzero_ps(), pab = pe2, pdq = pe2, pxd = pe2;
    __m512d se2l = _mm512_setzero_pd(), se2h = se2l, sabl = se2l, sabh = se2l, sdql = se2l, sdqh = se2l, sxdl = se2l, sxdh = se2l;
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
        const __m512 dq = _mm512_maskz_loadu_ps(m, dqp + i);
        const __m512 e = _mm512_sub_ps(dq, xv);
        const __m512 ae = _mm512_and_ps(e, absmask);
        pe2 = _mm512_add_ps(pe2, _mm512_mul_ps(e, e));
        pab = _mm512_add_ps(pab, ae);
        pdq = _mm512_add_ps(pdq, _mm512_mul_ps(dq, dq));
        pxd = _mm512_add_ps(pxd, _mm512_mul_ps(xv, dq));
        vmax = _mm512_max_ps(vmax, ae);
        vlo = _mm512_mask_min_ps(vlo, m, vlo, dq);
        vhi = _mm512_mask_max_ps(vhi, m, vhi, dq);

        // error bin: floor((e - elo) * einv), e <= ehi keeps it in the last bin; else outside
        const __m512i ei = _mm512_cvttps_epi32(
            _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(e, elo), einv), _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC));
        const __mmask16 eok = _mm512_cmp_ps_mask(e, ehi, _CMP_LE_OQ) & _mm512_cmpge_epi32_mask(ei, _mm512_setzero_si512());
        const __m512i eb = _mm512_mask_blend_epi32(eok, eout, _mm512_min_epi32(ei, elast));
        __m512i row;
        if constexpr (kMode == 1) {
            row = weight_bin(dq, wg);
        } else {
            const __m128i c8 = _mm_maskz_loadu_epi8(m, codes + i);
            row = _mm512_add_epi32(_mm512_cvtepi8_epi32(c8), c128);
        }
        const __m512i j = _mm512_mask_blend_epi32(m, jdump, _mm512_add_epi32(_mm512_mullo_epi32(row, stride), eb));
        // Count the indices stored kLag vectors ago, reading them back from memory: 16 scalar loads are
        // cheaper than 16 lane extractions, which compete with the arithmetic for vector ports.
        asm volatile("" ::: "memory");
        for (int l = 0; l < 16; ++l) ++joint[jring[slot][l]];
        _mm512_store_si512(jring[slot], j);
        slot = slot + 1 == kLag ? 0 : slot + 1;
        if constexpr (kMode == 2) {
            const __m512i xb = weight_bin(xv, wg), db = weight_bin(dq, wg);
            const __mmask16 moved = _mm512_cmpneq_epi32_mask(xb, db) & m;
            _mm512_storeu_si512(a.move_to + moves, _mm512_maskz_compress_epi32(moved, db));
            _mm512_storeu_si512(a.move_from + moves, _mm512_maskz_compress_epi32(moved, xb));
            moves += __builtin_popcount(static_cast<unsigned>(moved));
        }
        if (++in_block == 4) {
            widen_add(se2l, se2h, pe2);
            widen_add(sabl, sabh, pab);
            widen_add(sdql, sdqh, pdq);
            widen_add(sxdl, sxdh, pxd);
            pe2 = pab = pdq = pxd = _mm512_setzero_ps();
            in_block = 0;
        }
    }
    asm volatile("" ::: "memory");
    for (int r = 0; r < kLag; ++r)
        for (int l = 0; l < 16; ++l) ++joint[jring[r][l]];
    widen_add(se2l, se2h, pe2);
    widen_add(sabl, sabh, pab);
    widen_add(sdql, sdqh, pdq);
    widen_add(sxdl, sxdh, pxd);
    out.e2 += reduce(se2l, se2h);
    out.abs += reduce(sabl, sabh);
    out.dq2 += reduce(sdql, sdqh);
    out.xdq += reduce(sxdl, sxdh);
    out.max_abs = _mm512_reduce_max_ps(vmax);
    out.dq_lo = _mm512_reduce_min_ps(vlo);
    out.dq_hi = _mm512_reduce_max_ps(vhi);
    if constexpr (kMode == 1)
        for (int c = 0; c < a.code_n; c += 16) count_16_codes(codes, n, a.code_lo + c, a.code_counts + c);
    a.moves = moves;
}

} // namespace

void format_pass_avx512(FormatPassArgs& a, const float* x, const float* dq, const std::int8_t* codes, std::int64_t n,
                        FormatPassSums& out) {
    switch (a.mode) {
    case 1: run<1>(a, x, dq, codes, n, out); break;
    case 2: run<2>(a, x, dq, codes, n, out); break;
    default: run<0>(a, x, dq, codes, n, out); break;
    }
}

bool format_pass_avx512_compiled() { return true; }

} // namespace ql::kernels::detail

#else

namespace ql::kernels::detail {
void format_pass_avx512(FormatPassArgs&, const float*, const float*, const std::int8_t*, std::int64_t, FormatPassSums&) {}
bool format_pass_avx512_compiled() { return false; }
} // namespace ql::kernels::detail

#endif
