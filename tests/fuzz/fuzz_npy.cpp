// libFuzzer target: the .npy header grammar and data decoding (parse_npy and the npy model file).
#include "fuzz_common.h"
#include "core/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto t = ql::parse_npy(data, size, "fuzz.npy");
    if (t) (void)t->numel();
    qlfuzz::load_all(ql::detail::open_npy(qlfuzz::bytes(data, size, "fuzz.npy")));
    return 0;
}
