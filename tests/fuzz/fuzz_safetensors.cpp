// libFuzzer target: safetensors framing, strict JSON header and offset rules; also the sharded index
// parser (its shards never exist, so only the index's own checks run).
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qlfuzz::load_all(ql::detail::open_safetensors(qlfuzz::bytes(data, size, "fuzz.safetensors")));
    if (size > 8) qlfuzz::load_all(ql::detail::open_safetensors_index(qlfuzz::bytes(data + 8, size - 8, "model.safetensors.index.json")));
    return 0;
}
