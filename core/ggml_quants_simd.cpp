// Vectorised ggml block quantizers (placeholder: the scalar reference does all blocks).
#include "core/ggml_blocks.h"

namespace ql::ggml::detail {
std::int64_t quantize_q4_k_blocks_simd(const float*, std::int64_t, BlockQ4_K*) { return 0; }
std::int64_t quantize_q6_k_blocks_simd(const float*, std::int64_t, BlockQ6_K*) { return 0; }
std::int64_t quantize_iq4_nl_blocks_simd(const float*, std::int64_t, BlockIQ4_NL*) { return 0; }
} // namespace ql::ggml::detail
