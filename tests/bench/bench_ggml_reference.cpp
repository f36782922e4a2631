// Benchmark (not a test): QuantLens' GGUF quantizers against ggml's own, the library the reference tests
// fetch (scripts/fetch-ggml-reference.sh), on one thread each, on the same values; checks that both
// write the same bytes. ggml's quantize_* is what llama-quantize runs for a type without an importance
// matrix, so the ratio says how the exact searches here compare with the reference's.
//
//   build/tests/bench_ggml_reference [ROWS [COLS [REPEATS]]]     (QL_GGML_REFERENCE: another library)
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/cpu_features.h"
#include "core/generators.h"
#include "core/ggml_quants.h"

namespace {

using QuantizeFn = std::size_t (*)(const float* src, void* dst, std::int64_t nrow, std::int64_t n_per_row, const float* imatrix);

std::string library_path() {
    if (const char* e = std::getenv("QL_GGML_REFERENCE")) return e;
    std::string dir = QL_TEST_CACHE_DIR;  // <project>/.cache/test-models: the library sits beside it
    while (!dir.empty() && dir.back() == '/') dir.pop_back();
    const auto slash = dir.rfind('/');
    return (slash == std::string::npos ? std::string(".") : dir.substr(0, slash)) + "/ggml-reference/libggml-base.so";
}

template <class F>
double best_ms(int repeats, F&& f) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto a = std::chrono::steady_clock::now();
        f();
        best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    }
    return best;
}

} // namespace

int main(int argc, char** argv) {
    const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 512, cols = argc > 2 ? std::atoll(argv[2]) : 4096;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    if (rows <= 0 || cols <= 0 || cols % 256 != 0 || repeats <= 0) {
        std::fprintf(stderr, "usage: bench_ggml_reference [ROWS [COLS (a multiple of 256) [REPEATS]]]\n");
        return 2;
    }
    const std::string path = library_path();
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        std::fprintf(stderr, "ggml's library not found at %s: run scripts/fetch-ggml-reference.sh (or set QL_GGML_REFERENCE)\n",
                     path.c_str());
        return 1;
    }
    ql::GeneratorSpec g;
    g.shape = {rows, cols};
    const ql::Tensor t = ql::generate(g);
    const std::int64_t n = rows * cols;
    std::printf("GGUF quantization of %lldx%lld normal(0, 2), one thread each, best of %d; QuantLens on %s\n",
                static_cast<long long>(rows), static_cast<long long>(cols), repeats,
                ql::cpu_has_avx512() ? "AVX-512" : ql::cpu_has_avx2() ? "AVX2" : "plain C++");
    std::printf("  %-8s %12s %14s %10s %11s\n", "type", "ggml ms", "QuantLens ms", "ratio", "same bytes");
    struct Type { ql::DType type; const char* fn; };
    const Type types[] = {{ql::DType::GGML_Q8_0, "quantize_q8_0"},   {ql::DType::GGML_Q4_0, "quantize_q4_0"},
                          {ql::DType::GGML_Q4_1, "quantize_q4_1"},   {ql::DType::GGML_Q5_0, "quantize_q5_0"},
                          {ql::DType::GGML_Q2_K, "quantize_q2_K"},   {ql::DType::GGML_Q3_K, "quantize_q3_K"},
                          {ql::DType::GGML_Q4_K, "quantize_q4_K"},   {ql::DType::GGML_Q5_K, "quantize_q5_K"},
                          {ql::DType::GGML_Q6_K, "quantize_q6_K"},   {ql::DType::GGML_IQ4_NL, "quantize_iq4_nl"},
                          {ql::DType::GGML_IQ4_XS, "quantize_iq4_xs"}};
    bool all_same = true;
    for (const Type& ty : types) {
        auto fn = reinterpret_cast<QuantizeFn>(dlsym(lib, ty.fn));
        if (!fn) {
            std::printf("  %-8s (ggml's library has no %s)\n", std::string(ql::dtype_name(ty.type)).c_str(), ty.fn);
            continue;
        }
        const auto bytes = static_cast<std::size_t>(ql::ggml::bytes_for(ty.type, n).value());
        std::vector<std::uint8_t> theirs(bytes), ours(bytes);
        const double a = best_ms(repeats, [&] { fn(t.data(), theirs.data(), rows, cols, nullptr); });
        const double b = best_ms(repeats, [&] { ql::ggml::quantize_row(ty.type, t.data(), n, ours.data()); });
        const bool same = theirs == ours;
        all_same = all_same && same;
        std::printf("  %-8s %12.1f %14.1f %9.1fx %11s\n", std::string(ql::dtype_name(ty.type)).c_str(), a, b, a / b, same ? "yes" : "NO");
    }
    std::printf("  ratio = ggml's time / QuantLens' time on the same thread count (one).\n");
    return all_same ? 0 : 3;
}
