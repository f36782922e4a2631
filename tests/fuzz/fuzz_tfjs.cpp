// libFuzzer target: TF.js manifests and their shards. Input: manifest JSON, a NUL byte, then the bytes
// of the shard, which is offered under the names "w.bin" and "group1-shard1of1.bin".
#include <cstring>
#include <unordered_map>

#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const void* nul = std::memchr(data, 0, size);
    const std::size_t mlen = nul ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - data) : size;
    const std::size_t rest = nul ? size - mlen - 1 : 0;
    auto shard = qlfuzz::bytes(nul ? data + mlen + 1 : data, rest, "w.bin");
    std::unordered_map<std::string, std::shared_ptr<const ql::MappedFile>> shards = {{"w.bin", shard}, {"group1-shard1of1.bin", shard}};
    qlfuzz::load_all(ql::detail::open_tfjs(qlfuzz::bytes(data, mlen, "model.json"), &shards));
    return 0;
}
