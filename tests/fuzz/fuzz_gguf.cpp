// libFuzzer target: GGUF header, metadata key/values, tensor infos, and dequantization of every tensor.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qlfuzz::load_all(ql::detail::open_gguf(qlfuzz::bytes(data, size, "fuzz.gguf")));
    return 0;
}
