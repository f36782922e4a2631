// AVX-512 forms of the NF4 and minifloat fake-quantization loops (core/format_kernels_avx512.h). This file
// alone is compiled with AVX-512 enabled (core/CMakeLists.txt); core/format_kernels.cpp calls it only when
// the CPU has it. Each lane takes the scalar definition's IEEE operations (core/float_formats_math.h) in
// the same order; the last vector of a block is masked instead of finished in scalar code.
#include "core/format_kernels_avx512.h"

#if defined(__x86_64__) && defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VL__) && defined(__AVX512DQ__)
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "core/format_vec_avx512_inl.h"

namespace ql::kernels::detail {

namespace {
inline __mmask16 lanes(std::int64_t left) {
    return left >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << left) - 1u);
}
// step(i, m) over the values [b0, b1) of one block: its whole vectors with every lane, without a mask to
// work out, then the tail's lanes. In cache this took 0.05-0.06 ns per value off the NF4 and FP8 loops
// (blocks of 64, and one scale per tensor), where every vector worked out its own mask.
template <class Step>
inline __attribute__((always_inline)) void block_vectors(std::int64_t b0, std::int64_t b1, Step&& step) {
    std::int64_t i = b0;
    for (; i + 16 <= b1; i += 16) step(i, static_cast<__mmask16>(0xFFFF));
    if (i < b1) step(i, lanes(b1 - i));
}
} // namespace

// v = x / s rounded to nearest even on the grid: e = max(floor(log2 |v|), emin) from the exponent bits,
// r = rint(|v| * 2^-(e - mbits)) * 2^(e - mbits), saturated to max; the code from r's bits.
// Where s is a power of two whose inverse is a normal float, x / s is x times that exact inverse: both are
// the exact quotient rounded once, and the product is the cheaper instruction (E2M1's loop below, MXFP4's
// and NVFP4's, divides anyway: there the division measured no slower).
namespace {
// A block's scale s and, when s is a power of two whose inverse is a normal float, that exact inverse:
// x * (1 / s) then equals x / s bit for bit and costs a multiplication.
struct BlockScale {
    __m512 vs, vinv;
    bool pow2;
};
BlockScale block_scale(float s) {
    std::uint32_t sb;
    __builtin_memcpy(&sb, &s, sizeof sb);
    const std::uint32_t se = (sb >> 23) & 0xFFu;
    const bool pow2 = (sb & 0x7FFFFFu) == 0 && se >= 1 && se <= 253;  // s = 2^(se - 127): 1 / s = 2^(127 - se)
    return {_mm512_set1_ps(s), _mm512_set1_ps(pow2 ? 1.0f / s : 0.0f), pow2};
}

template <bool HasNan, bool Codes>
std::uint64_t minifloat_blocks(const float* x, std::int64_t n, std::int64_t block, const float* scales, const MiniFloatArgs& f, float* y,
                               std::int8_t* codes) {
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    const __m512 signmask = _mm512_castsi512_ps(_mm512_set1_epi32(static_cast<int>(0x80000000u)));
    const __m512 vmax = _mm512_set1_ps(f.max);
    const __m512 inf = _mm512_set1_ps(__builtin_inff());
    // Rounding |v| to the grid: C = 2^(e + 23 - mbits) with e = max(floor(log2 |v|), emin) has a unit in
    // the last place of 2^(e - mbits), the grid's step at |v|, and |v| < 2C, so (|v| + C) - C is |v|
    // rounded to nearest even on the grid, exactly (the sum stays in C's binade; the difference is exact).
    // C's exponent is |v|'s exponent field plus 23 - mbits, at least emin + 23 - mbits: one and, one add and
    // one integer max. |v| is capped at 2^100 first (the exponent then stays a float's; anything that large
    // saturates, as Inf does; NaN lanes take the cap too and are replaced below).
    const __m512i expmask = _mm512_set1_epi32(0x7F800000);
    const __m512i c_shift = _mm512_set1_epi32((23 - f.mbits) << 23);
    const __m512i c_min = _mm512_set1_epi32((f.emin + 23 - f.mbits + 127) << 23);
    const __m512 cap = _mm512_set1_ps(0x1p100f);
    // The code of r on the grid (r >= 0) from the sum s = |v| + C: s - C = r is a whole number of C's last
    // place, 2^(e - mbits), so bits(s) - bits(C) = r / 2^(e - mbits): the significand (1 << mbits) + mantissa
    // for e >= emin, the mantissa alone for a subnormal of the format (e = emin, C at its floor); adding
    // (e - emin) << mbits, which is bits(C) >> (23 - mbits) less a constant (C's mantissa bits are 0), gives
    // the exponent field and mantissa (a round up to the next binade carries into the field). Integer
    // operations only: r * 2^(-126 - emin) would give the same bits but make float subnormals, which these
    // processors finish in microcode. Saturated lanes take max's code.
    const __m512i code_base = _mm512_set1_epi32((f.emin + 23 - f.mbits + 127) << f.mbits);
    const __m512i max_code = _mm512_set1_epi32(f.max_code);
    const __m512i nan_code = _mm512_set1_epi32(f.nan_code);
    const __m512i code_sign = _mm512_set1_epi32(1 << (f.ebits + f.mbits));
    const __m128i code_shift = _mm_cvtsi32_si128(23 - f.mbits), sign_shift = _mm_cvtsi32_si128(31 - f.ebits - f.mbits);
    std::uint64_t clip = 0;
    // 16 values x[i, i + 16) (the lanes of m) of a block with scale vs (inverse vinv where Pow2)
    const auto step = [&]<bool Pow2>(std::int64_t i, __mmask16 m, __m512 vs, __m512 vinv) __attribute__((always_inline)) {
        const __m512 xv = _mm512_maskz_loadu_ps(m, x + i);
        const __m512 v = Pow2 ? _mm512_mul_ps(xv, vinv) : _mm512_div_ps(xv, vs);
        const __m512 a = _mm512_min_ps(_mm512_and_ps(v, absmask), cap);  // NaN: the cap (min gives its second operand)
        const __m512 c = _mm512_castsi512_ps(
            _mm512_max_epi32(_mm512_add_epi32(_mm512_and_si512(_mm512_castps_si512(a), expmask), c_shift), c_min));
        const __m512 sum = _mm512_add_ps(a, c);
        __m512 r = _mm512_sub_ps(sum, c);
        const __mmask16 over = _mm512_cmp_ps_mask(r, vmax, _CMP_GT_OQ);
        r = _mm512_mask_blend_ps(over, r, vmax);
        const __mmask16 finite_x = _mm512_cmp_ps_mask(_mm512_and_ps(xv, absmask), inf, _CMP_LT_OQ);
        clip += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(over & finite_x & m)));
        const __mmask16 isnan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        if constexpr (!HasNan) r = _mm512_mask_blend_ps(isnan, r, _mm512_setzero_ps());  // a NaN input is stored as +0
        __m512 q = _mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_castps_si512(r), _mm512_castps_si512(v), _mm512_castps_si512(signmask), 0xF8));  // r | (v & sign)
        q = _mm512_mask_blend_ps(isnan, q, HasNan ? v : _mm512_setzero_ps());
        _mm512_mask_storeu_ps(y + i, m, _mm512_mul_ps(q, vs));
        if constexpr (Codes) {
            const __m512i cb = _mm512_castps_si512(c);
            __m512i code = _mm512_add_epi32(_mm512_sub_epi32(_mm512_castps_si512(sum), cb),
                                            _mm512_sub_epi32(_mm512_srl_epi32(cb, code_shift), code_base));
            code = _mm512_mask_mov_epi32(code, over, max_code);
            if constexpr (!HasNan) code = _mm512_maskz_mov_epi32(static_cast<__mmask16>(~isnan), code);
            // q's sign bit moved to the code's sign bit
            code = _mm512_ternarylogic_epi32(code, _mm512_srl_epi32(_mm512_castps_si512(q), sign_shift), code_sign, 0xF8);
            if constexpr (HasNan) code = _mm512_mask_blend_epi32(isnan, code, nan_code);
            _mm_mask_storeu_epi8(codes + i, m, _mm512_cvtepi32_epi8(code));
        }
    };
    // the scale's kind decided once per block
    std::int64_t k = 0;
    for (std::int64_t b0 = 0; b0 < n; b0 += block, ++k) {
        const std::int64_t b1 = b0 + block < n ? b0 + block : n;
        const BlockScale bs = block_scale(scales[k]);
        if (bs.pow2) block_vectors(b0, b1, [&](std::int64_t i, __mmask16 m) { step.template operator()<true>(i, m, bs.vs, bs.vinv); });
        else block_vectors(b0, b1, [&](std::int64_t i, __mmask16 m) { step.template operator()<false>(i, m, bs.vs, bs.vinv); });
    }
    return clip;
}
// FP4 E2M1: E2M1Vec's rule (core/format_vec_avx512_inl.h) over blocks of one scale each; only a finite x
// whose rounding saturated counts as clipped.
template <bool Codes>
std::uint64_t e2m1_blocks(const float* x, std::int64_t n, std::int64_t block, const float* scales, float* y, std::int8_t* codes) {
    const E2M1Vec e2m1;
    const __m512 inf = _mm512_set1_ps(__builtin_inff());
    std::uint64_t clip = 0;
    // 16 values x[i, i + 16) (the lanes of m) of the block scaled by s
    const auto step = [&](std::int64_t i, __mmask16 m, __m512 vs) {
        const __m512 xv = _mm512_maskz_loadu_ps(m, x + i);
        __m512i code;
        __mmask16 over;
        const __m512 yv = e2m1(xv, vs, code, over);
        over &= m;
        if (over) {  // rare: only a finite x counts as clipped
            const __mmask16 finite_x = _mm512_cmp_ps_mask(_mm512_and_ps(xv, e2m1.absmask), inf, _CMP_LT_OQ);
            clip += static_cast<std::uint64_t>(__builtin_popcount(static_cast<unsigned>(over & finite_x)));
        }
        _mm512_mask_storeu_ps(y + i, m, yv);
        if constexpr (Codes) _mm512_mask_cvtepi32_storeu_epi8(codes + i, m, code);
    };
    if (block % 16 == 0 && n % block == 0) {
        // whole blocks of whole vectors (MXFP4's 32, NVFP4's 16): no masks, and nothing per block but the
        // scale's broadcast (the general loop below cost 0.07-0.08 ns more per value on blocks of 16 and 32)
        const std::int64_t per = block / 16;
        for (std::int64_t k = 0, i = 0; i < n; ++k) {
            const __m512 vs = _mm512_set1_ps(scales[k]);
            for (std::int64_t v = 0; v < per; ++v, i += 16) step(i, static_cast<__mmask16>(0xFFFF), vs);
        }
        return clip;
    }
    std::int64_t k = 0;
    for (std::int64_t b0 = 0; b0 < n; b0 += block, ++k) {
        const std::int64_t b1 = b0 + block < n ? b0 + block : n;
        const __m512 vs = _mm512_set1_ps(scales[k]);
        block_vectors(b0, b1, [&](std::int64_t i, __mmask16 m) { step(i, m, vs); });
    }
    return clip;
}

} // namespace

// One loop per NaN rule and codes-or-not, the format's numbers in registers (the stores to y and codes
// could alias f as far as the compiler knows).
std::uint64_t minifloat_fake_quant_blocks_avx512(const float* x, std::int64_t n, std::int64_t block, const float* scales,
                                                 const MiniFloatArgs& f, float* y, std::int8_t* codes) {
    const MiniFloatArgs a = f;
    if (a.ebits == 2 && a.mbits == 1 && a.emin == 0 && a.max == 6.0f && !a.has_nan)
        return codes ? e2m1_blocks<true>(x, n, block, scales, y, codes) : e2m1_blocks<false>(x, n, block, scales, y, codes);
    if (a.has_nan) return codes ? minifloat_blocks<true, true>(x, n, block, scales, a, y, codes) : minifloat_blocks<true, false>(x, n, block, scales, a, y, codes);
    return codes ? minifloat_blocks<false, true>(x, n, block, scales, a, y, codes) : minifloat_blocks<false, false>(x, n, block, scales, a, y, codes);
}

// v = x * inv; the code counts the thresholds below v (v > t; NaN: none), found by a binary search over
// the sorted thresholds in four steps (compare with t[c + 7], t[c + 3], t[c + 1], t[c]); y = level * stored.
namespace {
template <bool Codes>
void nf4_blocks(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored, const float* levels,
                const float* thresholds, float* y, std::int8_t* codes) {
    const __m512 lut = _mm512_loadu_ps(levels), th = _mm512_loadu_ps(thresholds);
    const __m512i i8 = _mm512_set1_epi32(8), i4 = _mm512_set1_epi32(4), i3 = _mm512_set1_epi32(3), i2 = _mm512_set1_epi32(2),
                  i1 = _mm512_set1_epi32(1);
    const __m512 t7 = _mm512_set1_ps(thresholds[7]);
    // 16 values x[i, i + 16) (the lanes of m) of a block with inverse vinv and stored absmax vs
    const auto step = [&](std::int64_t i, __mmask16 m, __m512 vinv, __m512 vs) __attribute__((always_inline)) {
        const __m512 v = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, x + i), vinv);
        __m512i c = _mm512_maskz_mov_epi32(_mm512_cmp_ps_mask(v, t7, _CMP_GT_OQ), i8);
        c = _mm512_mask_add_epi32(c, _mm512_cmp_ps_mask(v, _mm512_permutexvar_ps(_mm512_add_epi32(c, i3), th), _CMP_GT_OQ), c, i4);
        c = _mm512_mask_add_epi32(c, _mm512_cmp_ps_mask(v, _mm512_permutexvar_ps(_mm512_add_epi32(c, i1), th), _CMP_GT_OQ), c, i2);
        c = _mm512_mask_add_epi32(c, _mm512_cmp_ps_mask(v, _mm512_permutexvar_ps(c, th), _CMP_GT_OQ), c, i1);
        _mm512_mask_storeu_ps(y + i, m, _mm512_mul_ps(_mm512_permutexvar_ps(c, lut), vs));
        if constexpr (Codes) _mm_mask_storeu_epi8(codes + i, m, _mm512_cvtepi32_epi8(c));
    };
    for (std::int64_t b0 = 0; b0 < n; b0 += block) {
        const __m512 vinv = _mm512_set1_ps(invs[b0 / block]), vs = _mm512_set1_ps(stored[b0 / block]);
        block_vectors(b0, b0 + block < n ? b0 + block : n, [&](std::int64_t i, __mmask16 m) { step(i, m, vinv, vs); });
    }
}
} // namespace

void nf4_fake_quant_blocks_avx512(const float* x, std::int64_t n, std::int64_t block, const float* invs, const float* stored,
                                  const float* levels, const float* thresholds, float* y, std::int8_t* codes) {
    if (codes) nf4_blocks<true>(x, n, block, invs, stored, levels, thresholds, y, codes);
    else nf4_blocks<false>(x, n, block, invs, stored, levels, thresholds, y, codes);
}

// Per block: the scale broadcast from fp16 (exact, as half_to_float), the 32 codes as bytes (Q4 layouts:
// value j in the low nibble of qs[j], value j + 16 in the high one; Q5_0 adds 16 where bit j of qh is set),
// then the dequantizer's own expression: q d, (q - 8) d, q d + m, (q - 16) d, d level[q].
// One loop per layout, its offsets in registers: the stores to y and codes could alias `a` as far as the
// compiler knows, which otherwise reloads and re-tests the layout for every block.
namespace {
constexpr std::int64_t kDecodeAhead = 48;

template <GgmlDecodeArgs::Kind K>
void decode_blocks(const GgmlDecodeArgs& a, const std::uint8_t* blocks, std::int64_t nb, float* y, std::int8_t* codes) {
    const __m128i nib = _mm_set1_epi8(0x0F);
    const __m512 lut = K == GgmlDecodeArgs::IQ4_NL ? _mm512_loadu_ps(a.levels) : _mm512_setzero_ps();
    const __m512i bias = _mm512_set1_epi32(K == GgmlDecodeArgs::Q4_0 ? 8 : K == GgmlDecodeArgs::Q5_0 ? 16 : 0);
    const std::int64_t block_bytes = a.block_bytes;
    const int d_at = a.d_at, m_at = a.m_at, qh_at = a.qh_at, qs_at = a.qs_at;
    for (std::int64_t b = 0; b < nb; ++b) {
        const std::uint8_t* p = blocks + b * block_bytes;
        // the blocks come from memory (a tensor's blocks outgrow the caches) and a block is decoded in a
        // few cycles: ask for them kDecodeAhead blocks early, past this call's end too (the caller's next
        // call goes on with the following blocks; a prefetch does not fault)
        _mm_prefetch(reinterpret_cast<const char*>(p + kDecodeAhead * block_bytes), _MM_HINT_T0);
        std::uint16_t dh;
        __builtin_memcpy(&dh, p + d_at, 2);
        const __m512 d = _mm512_cvtph_ps(_mm256_set1_epi16(static_cast<short>(dh)));
        __m256i c;
        if constexpr (K == GgmlDecodeArgs::Q8_0) {
            c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + qs_at));
        } else {
            const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + qs_at));
            c = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_and_si128(q, nib)), _mm_and_si128(_mm_srli_epi16(q, 4), nib), 1);
            if constexpr (K == GgmlDecodeArgs::Q5_0) {
                std::uint32_t qh;
                __builtin_memcpy(&qh, p + qh_at, 4);
                c = _mm256_mask_add_epi8(c, static_cast<__mmask32>(qh), c, _mm256_set1_epi8(16));
            }
        }
        if (codes) _mm256_storeu_si256(reinterpret_cast<__m256i*>(codes + b * 32), c);
        __m512 m = _mm512_setzero_ps();
        if constexpr (K == GgmlDecodeArgs::Q4_1) {
            std::uint16_t mh;
            __builtin_memcpy(&mh, p + m_at, 2);
            m = _mm512_cvtph_ps(_mm256_set1_epi16(static_cast<short>(mh)));
        }
        for (int h = 0; h < 2; ++h) {
            const __m128i ch = h == 0 ? _mm256_castsi256_si128(c) : _mm256_extracti128_si256(c, 1);
            const __m512i qi = K == GgmlDecodeArgs::Q8_0 ? _mm512_cvtepi8_epi32(ch) : _mm512_cvtepu8_epi32(ch);
            __m512 v;
            if constexpr (K == GgmlDecodeArgs::IQ4_NL) v = _mm512_mul_ps(d, _mm512_permutexvar_ps(qi, lut));
            else if constexpr (K == GgmlDecodeArgs::Q4_1) v = _mm512_add_ps(_mm512_mul_ps(_mm512_cvtepi32_ps(qi), d), m);
            else v = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(qi, bias)), d);
            _mm512_storeu_ps(y + b * 32 + h * 16, v);
        }
    }
}
} // namespace

void ggml_decode_blocks_avx512(const GgmlDecodeArgs& a, const std::uint8_t* blocks, std::int64_t nb, float* y, std::int8_t* codes) {
    switch (a.kind) {
    case GgmlDecodeArgs::Q8_0: decode_blocks<GgmlDecodeArgs::Q8_0>(a, blocks, nb, y, codes); break;
    case GgmlDecodeArgs::Q4_0: decode_blocks<GgmlDecodeArgs::Q4_0>(a, blocks, nb, y, codes); break;
    case GgmlDecodeArgs::Q4_1: decode_blocks<GgmlDecodeArgs::Q4_1>(a, blocks, nb, y, codes); break;
    case GgmlDecodeArgs::Q5_0: decode_blocks<GgmlDecodeArgs::Q5_0>(a, blocks, nb, y, codes); break;
    case GgmlDecodeArgs::IQ4_NL: decode_blocks<GgmlDecodeArgs::IQ4_NL>(a, blocks, nb, y, codes); break;
    }
}

constexpr std::int64_t kAbsmaxAhead = 2048;  // values

namespace {
// The largest |x| of each of 16 consecutive whole blocks of `block` values (a multiple of 16) as
// integers (|x|'s bits order as |x| does): one vector of 16 lane-wise maxima per block, then the 16
// vectors folded together, halving the lanes per block at each of four steps, instead of a horizontal
// reduction per block. A NaN or Inf gives its block a maximum of at least 0x7F800000. For values in cache:
// it has no prefetches, and on values from memory it measured slower than the loop per block.
inline __m512i absmax_bits_16_blocks(const float* x, std::int64_t block) {
    const __m512i absmask = _mm512_set1_epi32(0x7FFFFFFF);
    __m512i v[16];
    for (int b = 0; b < 16; ++b) {
        const float* p = x + b * block;
        __m512i m = _mm512_setzero_si512();
        for (std::int64_t i = 0; i < block; i += 16) m = _mm512_max_epu32(m, _mm512_and_si512(_mm512_loadu_si512(p + i), absmask));
        v[b] = m;
    }
    // blocks 2i, 2i+1: lanes 0-7 and 8-15
    __m512i c[8];
    for (int i = 0; i < 8; ++i)
        c[i] = _mm512_max_epu32(_mm512_shuffle_i32x4(v[2 * i], v[2 * i + 1], 0x44), _mm512_shuffle_i32x4(v[2 * i], v[2 * i + 1], 0xEE));
    // blocks 4j .. 4j+3: four lanes each, one 128-bit lane per block
    __m512i e[4];
    for (int j = 0; j < 4; ++j)
        e[j] = _mm512_max_epu32(_mm512_shuffle_i32x4(c[2 * j], c[2 * j + 1], 0x88), _mm512_shuffle_i32x4(c[2 * j], c[2 * j + 1], 0xDD));
    // 128-bit lane L: two lanes of block 8k + L, then two of block 8k + 4 + L
    __m512i g[2];
    for (int k = 0; k < 2; ++k)
        g[k] = _mm512_max_epu32(_mm512_unpacklo_epi64(e[2 * k], e[2 * k + 1]), _mm512_unpackhi_epi64(e[2 * k], e[2 * k + 1]));
    // 128-bit lane L: blocks L, 4 + L, 8 + L, 12 + L
    const __m512 g0 = _mm512_castsi512_ps(g[0]), g1 = _mm512_castsi512_ps(g[1]);
    const __m512i r = _mm512_max_epu32(_mm512_castps_si512(_mm512_shuffle_ps(g0, g1, 0x88)), _mm512_castps_si512(_mm512_shuffle_ps(g0, g1, 0xDD)));
    // block b sits in lane 4 (b % 4) + b / 4
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    return _mm512_permutexvar_epi32(order, r);
}
} // namespace

void block_absmax_avx512(const float* x, std::int64_t n, std::int64_t block, float* out, bool from_memory) {
    const __m512 absmask = _mm512_castsi512_ps(_mm512_set1_epi32(0x7FFFFFFF));
    const __m512 inf = _mm512_set1_ps(__builtin_inff());
    // blocks from value b0 on, block k first, up to value `stop`, one at a time
    const auto one_by_one = [&](std::int64_t b0, std::int64_t k, std::int64_t stop) {
        for (; b0 < stop; b0 += block, ++k) {
            const std::int64_t b1 = b0 + block < stop ? b0 + block : stop;
            __m512 m = _mm512_setzero_ps();
            for (std::int64_t i = b0; i < b1; i += 16) {
                // the values come from memory: ask for them 8 KiB early (past the end too: the caller's next
                // call usually goes on from there, and a prefetch does not fault)
                if (from_memory) _mm_prefetch(reinterpret_cast<const char*>(x + i + kAbsmaxAhead), _MM_HINT_T0);
                // masked-off lanes load 0, which leaves the maximum as it is; NaN and +-Inf fail |v| < inf
                const __m512 v = _mm512_and_ps(_mm512_maskz_loadu_ps(lanes(b1 - i), x + i), absmask);
                m = _mm512_mask_max_ps(m, _mm512_cmp_ps_mask(v, inf, _CMP_LT_OQ), m, v);
            }
            out[k] = _mm512_reduce_max_ps(m);
        }
    };
    std::int64_t start = 0, first = 0;
    if (!from_memory && block % 16 == 0) {
        const __m512i inf_bits = _mm512_set1_epi32(0x7F800000);
        for (; start + 16 * block <= n; start += 16 * block, first += 16) {
            const __m512i m = absmax_bits_16_blocks(x + start, block);
            if (_mm512_cmpge_epu32_mask(m, inf_bits) != 0) one_by_one(start, first, start + 16 * block);  // a NaN or Inf
            else _mm512_storeu_si512(out + first, m);
        }
    }
    one_by_one(start, first, n);
}

bool format_kernels_avx512_compiled() { return true; }

} // namespace ql::kernels::detail

#else

namespace ql::kernels::detail {
std::uint64_t minifloat_fake_quant_blocks_avx512(const float*, std::int64_t, std::int64_t, const float*, const MiniFloatArgs&, float*,
                                                 std::int8_t*) {
    return 0;
}
void nf4_fake_quant_blocks_avx512(const float*, std::int64_t, std::int64_t, const float*, const float*, const float*, const float*,
                                  float*, std::int8_t*) {}
void ggml_decode_blocks_avx512(const GgmlDecodeArgs&, const std::uint8_t*, std::int64_t, float*, std::int8_t*) {}
void block_absmax_avx512(const float*, std::int64_t, std::int64_t, float*, bool) {}
bool format_kernels_avx512_compiled() { return false; }
} // namespace ql::kernels::detail

#endif
