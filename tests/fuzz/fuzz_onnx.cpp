// libFuzzer target: the ONNX wire-level walk, TensorProto routing and typed/raw initializer decoding.
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    qlfuzz::load_all(ql::detail::open_onnx(qlfuzz::bytes(data, size, "fuzz.onnx")));
    return 0;
}
