// Small vectorised building blocks shared by the quantizers and the analysis (AVX2 when the build
// targets it, plain C++ otherwise). Each returns exactly what its scalar loop would: only min/max and
// integer counts are reordered, never a float sum.
#pragma once

#include <cstdint>

#include "core/int_quant_math.h"

namespace ql::simd {

// Minimum and maximum over the finite values of x[0, n); returns false (lo, hi untouched) when none.
bool minmax_finite(const float* x, std::int64_t n, float& lo, float& hi);
// Maximum of |x| over finite values (0 when none).
float absmax_finite(const float* x, std::int64_t n);

// Integer fake-quantization of x[0, n) with one parameter set (core/int_quant_math.h, bit for bit):
// dq = (clamp(rint(x * inv_scale) + z, qmin, qmax) - z) * scale; NaN -> code z. codes may be null.
// Returns the number of finite values whose rint(x * inv_scale) + z fell outside [qmin, qmax].
std::uint64_t int_fake_quant(const float* x, std::int64_t n, float scale, float inv_scale, int zero_point,
                             int qmin, int qmax, float* dq, std::int8_t* codes);

// The same with per-element parameters (per-channel on the last axis): element k uses scale[k] ...
std::uint64_t int_fake_quant_vec(const float* x, std::int64_t n, const float* scale, const float* inv_scale,
                                 const float* zero_point, int qmin, int qmax, float* dq, std::int8_t* codes);

// Observer parameters of n slices whose finite values span [lo[k], hi[k]] (lo > hi or NaN: no finite
// value, the range [0, 0]): out[k] = int_slice_params(lo[k], hi[k], bits, symmetric, F16 or F32 scale),
// bit for bit (core/int_quantizer.h).
void int_slice_params(const float* lo, const float* hi, std::int64_t n, int bits, bool symmetric, bool f16_scale,
                      IntParams* out);

// IntQuantizer::output_bounds() over n slices with parameters p[k] whose finite values span
// [reach_lo[k], reach_hi[k]] (reach_lo > reach_hi: none), the same float operations: the lowest and
// highest level over all slices into dq_lo / dq_hi (min / max with their values on entry) and the
// largest error bound into err_abs.
void int_output_bounds(const IntParams* p, const float* reach_lo, const float* reach_hi, std::int64_t n, int qmin, int qmax,
                       float& dq_lo, float& dq_hi, float& err_abs);

// Sum of x[0, n) with every thread, vectorised: one plain read of the data, the floor that benchmarks
// compare tensor passes with.
float read_sum(const float* x, std::int64_t n);

// One table increment per value and nothing else: the histogram of x[0, n) on [lo, hi] in `bins` equal
// bins (values beyond either end counted in the edge bins), with every thread, each on its own table, the
// indices stored eight at a time and read back for the increments as the analysis passes do (NaN in the
// first bin). Returns the number of values counted, n. A floor for benchmarks: an exact per-value
// histogram cannot cost much less than this on the machine at hand.
std::int64_t histogram_floor(const float* x, std::int64_t n, float lo, float hi, int bins);

} // namespace ql::simd
