// QuantLens' ggml formats against ggml itself: the quantizers llama-quantize calls (quantize_q4_K and
// friends, without an importance matrix) and the dequantizers, loaded from ggml 0.5's libggml-base.so
// (scripts/fetch-ggml-reference.sh fetches it from the npm package @node-llama-cpp/linux-x64). Every
// block must be byte-identical and every dequantized float bit-identical. Skips, saying why, when the
// library has not been fetched or this is not x86-64 Linux.
#include <QtTest>

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "core/ggml_blocks.h"
#include "core/ggml_quants.h"
#include "core/rng.h"

using ql::DType;
namespace gg = ql::ggml;

Q_DECLARE_METATYPE(ql::DType)

namespace {

using QuantizeFn = std::size_t (*)(const float* src, void* dst, std::int64_t nrow, std::int64_t n_per_row, const float* imatrix);
using DequantFn = void (*)(const void* x, float* y, std::int64_t k);

std::string library_path() {
    if (const char* e = std::getenv("QL_GGML_REFERENCE")) return e;
    // next to the test-model cache: <project>/.cache/ggml-reference
    std::string dir = QL_TEST_CACHE_DIR;
    while (!dir.empty() && dir.back() == '/') dir.pop_back();
    const auto slash = dir.rfind('/');
    return (slash == std::string::npos ? std::string(".") : dir.substr(0, slash)) + "/ggml-reference/libggml-base.so";
}

void* library() {
    static void* h = [] {
#if defined(__x86_64__) && defined(__linux__)
        return dlopen(library_path().c_str(), RTLD_NOW | RTLD_LOCAL);
#else
        return static_cast<void*>(nullptr);
#endif
    }();
    return h;
}

struct TypeNames {
    const char* quantize;    // ggml's function llama-quantize reaches through ggml_quantize_chunk
    const char* dequantize;
};

TypeNames names(DType t) {
    switch (t) {
    case DType::GGML_Q8_0: return {"quantize_q8_0", "dequantize_row_q8_0"};
    case DType::GGML_Q4_0: return {"quantize_q4_0", "dequantize_row_q4_0"};
    case DType::GGML_Q4_1: return {"quantize_q4_1", "dequantize_row_q4_1"};
    case DType::GGML_Q5_0: return {"quantize_q5_0", "dequantize_row_q5_0"};
    case DType::GGML_Q5_1: return {nullptr, "dequantize_row_q5_1"};
    case DType::GGML_Q2_K: return {"quantize_q2_K", "dequantize_row_q2_K"};
    case DType::GGML_Q3_K: return {"quantize_q3_K", "dequantize_row_q3_K"};
    case DType::GGML_Q4_K: return {"quantize_q4_K", "dequantize_row_q4_K"};
    case DType::GGML_Q5_K: return {"quantize_q5_K", "dequantize_row_q5_K"};
    case DType::GGML_Q6_K: return {"quantize_q6_K", "dequantize_row_q6_K"};
    case DType::GGML_IQ4_NL: return {"quantize_iq4_nl", "dequantize_row_iq4_nl"};
    case DType::GGML_IQ4_XS: return {"quantize_iq4_xs", "dequantize_row_iq4_xs"};
    case DType::GGML_MXFP4: return {nullptr, "dequantize_row_mxfp4"};
    case DType::GGML_NVFP4: return {nullptr, "dequantize_row_nvfp4"};
    case DType::GGML_TQ1_0: return {nullptr, "dequantize_row_tq1_0"};
    case DType::GGML_TQ2_0: return {nullptr, "dequantize_row_tq2_0"};
    case DType::GGML_IQ2_XXS: return {nullptr, "dequantize_row_iq2_xxs"};
    case DType::GGML_IQ2_XS: return {nullptr, "dequantize_row_iq2_xs"};
    case DType::GGML_IQ2_S: return {nullptr, "dequantize_row_iq2_s"};
    case DType::GGML_IQ3_XXS: return {nullptr, "dequantize_row_iq3_xxs"};
    case DType::GGML_IQ3_S: return {nullptr, "dequantize_row_iq3_s"};
    case DType::GGML_IQ1_S: return {nullptr, "dequantize_row_iq1_s"};
    case DType::GGML_IQ1_M: return {nullptr, "dequantize_row_iq1_m"};
    default: return {nullptr, nullptr};
    }
}

// Test data: rows of `cols` values from several distributions, each stressing something the reference
// does (ties of the rounding, all-zero and constant blocks, tiny and huge magnitudes, outliers).
std::vector<float> dataset(int kind, std::int64_t rows, std::int64_t cols) {
    std::vector<float> v(static_cast<std::size_t>(rows * cols));
    ql::Rng rng(1000 + static_cast<std::uint64_t>(kind));
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double z = rng.normal();
        switch (kind) {
        case 0: v[i] = static_cast<float>(z); break;                                   // normal(0, 1)
        case 1: v[i] = static_cast<float>(0.02 * z); break;                            // LLM-like weights
        case 2: v[i] = static_cast<float>(z * z * z); break;                           // heavy tails
        case 3: v[i] = static_cast<float>(std::round(z * 4.0)); break;                 // small integers: ties
        case 4: v[i] = static_cast<float>(std::round(z * 16.0) / 8.0); break;          // multiples of 1/8: ties
        case 5: v[i] = (i / 32) % 3 == 0 ? 0.0f : static_cast<float>(z); break;       // all-zero blocks of 32
        case 6: v[i] = (i / 256) % 4 == 1 ? 0.5f : static_cast<float>(z); break;      // constant super-blocks
        case 7: v[i] = static_cast<float>(1e-6 * z); break;                            // tiny: fp16 subnormal scales
        case 8: v[i] = static_cast<float>(300.0 * z); break;                           // large
        case 9: v[i] = rng.uniform() < 0.01 ? static_cast<float>(50.0 * z) : static_cast<float>(0.1 * z); break;  // outliers
        case 10: v[i] = static_cast<float>(std::fabs(z)) + 0.25f; break;               // all positive
        case 11: v[i] = -static_cast<float>(std::fabs(z)); break;                      // all negative
        case 13: case 14: {  // zeros of both signs: a zero minimum (13) or maximum (14) whose sign counts
            const float zero = rng.uniform() < 0.5 ? -0.0f : 0.0f;
            const float mag = static_cast<float>(std::round(std::fabs(z) * 3.0));
            v[i] = rng.uniform() < 0.4 ? zero : (kind == 13 ? mag : -mag);
            break;
        }
        default: v[i] = static_cast<float>(rng.uniform() * 2.0 - 1.0); break;          // uniform(-1, 1)
        }
    }
    return v;
}

constexpr int kDatasets = 15;

QString first_difference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, int block_bytes) {
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i])
            return QString("first difference at byte %1 (block %2): ours 0x%3, ggml 0x%4")
                .arg(i).arg(i / static_cast<std::size_t>(block_bytes)).arg(a[i], 2, 16, QChar('0')).arg(b[i], 2, 16, QChar('0'));
    return {};
}

} // namespace

class TestGgmlReference : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!library())
            QSKIP(qPrintable(QString("ggml reference library not available (%1): run scripts/fetch-ggml-reference.sh "
                                     "on x86-64 Linux to compare with ggml byte for byte")
                                 .arg(QString::fromStdString(library_path()))));
    }

    void quantizeMatchesGgml_data() {
        QTest::addColumn<DType>("type");
        QTest::addColumn<int>("kind");
        for (DType t : {DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0, DType::GGML_Q2_K,
                        DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K, DType::GGML_IQ4_NL, DType::GGML_IQ4_XS})
            for (int k = 0; k < kDatasets; ++k)
                QTest::newRow(qPrintable(QString("%1 data %2").arg(QString::fromLatin1(ql::dtype_name(t).data(), int(ql::dtype_name(t).size()))).arg(k)))
                    << t << k;
    }
    void quantizeMatchesGgml() {
        QFETCH(DType, type);
        QFETCH(int, kind);
        auto fn = reinterpret_cast<QuantizeFn>(dlsym(library(), names(type).quantize));
        QVERIFY2(fn, names(type).quantize);
        const std::int64_t rows = 24, cols = 1024;
        const std::vector<float> x = dataset(kind, rows, cols);
        const std::uint64_t nbytes = gg::bytes_for(type, rows * cols).value();
        std::vector<std::uint8_t> theirs(nbytes, 0xAA), ref(nbytes, 0x55), fast(nbytes, 0x33);
        QCOMPARE(fn(x.data(), theirs.data(), rows, cols, nullptr), std::size_t(nbytes));
        gg::quantize_row_ref(type, x.data(), rows * cols, ref.data());
        gg::quantize_row(type, x.data(), rows * cols, fast.data());
        const int bb = gg::block_layout(type)->bytes;
        QVERIFY2(ref == theirs, qPrintable("scalar reference: " + first_difference(ref, theirs, bb)));
        QVERIFY2(fast == theirs, qPrintable("vectorised path: " + first_difference(fast, theirs, bb)));
    }

    // Our decoders against ggml's on arbitrary block bytes (fp16 fields kept finite).
    void dequantizeMatchesGgml_data() {
        QTest::addColumn<DType>("type");
        for (DType t : {DType::GGML_Q8_0, DType::GGML_Q4_0, DType::GGML_Q4_1, DType::GGML_Q5_0, DType::GGML_Q5_1,
                        DType::GGML_Q2_K, DType::GGML_Q3_K, DType::GGML_Q4_K, DType::GGML_Q5_K, DType::GGML_Q6_K,
                        DType::GGML_IQ4_NL, DType::GGML_IQ4_XS, DType::GGML_MXFP4, DType::GGML_NVFP4, DType::GGML_TQ1_0,
                        DType::GGML_TQ2_0, DType::GGML_IQ2_XXS, DType::GGML_IQ2_XS, DType::GGML_IQ2_S, DType::GGML_IQ3_XXS,
                        DType::GGML_IQ3_S, DType::GGML_IQ1_S, DType::GGML_IQ1_M})
            QTest::newRow(ql::dtype_name(t).data()) << t;
    }
    // Every byte arbitrary, so every codebook entry, sign pattern and scale is met (4096 blocks hold
    // 131072 IQ2 groups of 8: each of IQ1's 2048 entries about 64 times).
    void dequantizeMatchesGgml() {
        QFETCH(DType, type);
        auto fn = reinterpret_cast<DequantFn>(dlsym(library(), names(type).dequantize));
        QVERIFY(fn);
        const auto L = gg::block_layout(type).value();
        const std::int64_t nblocks = 4096, n = nblocks * L.values;
        std::vector<std::uint8_t> bytes(static_cast<std::size_t>(nblocks * L.bytes));
        ql::Rng rng(77);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng.next_u64());
        // fp16 fields: the block's first 2 or 4 bytes, or the last 2 (Q2_K: last 4; Q3_K, Q6_K, TQ1_0,
        // TQ2_0: last 2; IQ1_M: the top nibbles of its last four 16-bit words, bit 6 of the last byte being
        // the exponent's highest). MXFP4 and NVFP4 have none: every E8M0 or UE4M3 byte is taken as it comes (E8M0 254
        // and 255 overflow to +-inf on the codes 8 and 12, in both).
        for (std::int64_t i = 0; i < nblocks; ++i) {
            std::uint8_t* p = bytes.data() + i * L.bytes;
            auto finite = [&](std::uint8_t* h) { h[1] = static_cast<std::uint8_t>(h[1] & 0x3F); };  // exponent < 16
            if (type == DType::GGML_Q2_K) { finite(p + L.bytes - 4); finite(p + L.bytes - 2); }
            else if (type == DType::GGML_Q3_K || type == DType::GGML_Q6_K || type == DType::GGML_TQ1_0 || type == DType::GGML_TQ2_0)
                finite(p + L.bytes - 2);
            else if (type == DType::GGML_MXFP4 || type == DType::GGML_NVFP4) continue;
            else if (type == DType::GGML_IQ1_M) p[L.bytes - 1] = static_cast<std::uint8_t>(p[L.bytes - 1] & ~0x40);
            else {
                finite(p);
                if (type == DType::GGML_Q4_1 || type == DType::GGML_Q5_1 || type == DType::GGML_Q4_K || type == DType::GGML_Q5_K)
                    finite(p + 2);
            }
        }
        std::vector<float> ours(static_cast<std::size_t>(n)), theirs(static_cast<std::size_t>(n));
        QVERIFY(gg::dequantize(type, bytes, n, ours).ok());
        fn(bytes.data(), theirs.data(), n);
        for (std::int64_t i = 0; i < n; ++i)
            if (std::memcmp(&ours[static_cast<std::size_t>(i)], &theirs[static_cast<std::size_t>(i)], sizeof(float)) != 0)
                QFAIL(qPrintable(QString("value %1: ours %2, ggml %3").arg(i).arg(ours[static_cast<std::size_t>(i)], 0, 'g', 9)
                                     .arg(theirs[static_cast<std::size_t>(i)], 0, 'g', 9)));
    }
};

QTEST_GUILESS_MAIN(TestGgmlReference)
#include "test_ggml_reference.moc"
