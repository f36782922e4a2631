// libFuzzer target: .npz archives through libzip (stored and deflated members, npy headers inside).
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qlfuzz::load_all(ql::detail::open_npz(qlfuzz::bytes(data, size, "fuzz.npz")));
    return 0;
}
