// The classroom examples' titles and notes (translated here; their settings are data in
// resources/examples/, embedded by resources/examples.qrc).
#include "examples.h"

#include <QCoreApplication>

#include <mutex>

// The examples' files live in a resource of the static ql_app library: registered once by name, since
// nothing else would pull its object file into the program.
static void registerExampleResources() {
    static std::once_flag once;
    std::call_once(once, [] { Q_INIT_RESOURCE(examples); });
}

namespace ql::ui {

std::vector<Example> examples() {
    return {
        {QStringLiteral("int8-vs-int4"), QCoreApplication::translate("Examples", "INT8 vs INT4 (the seed notebooks)"),
         QCoreApplication::translate("Examples", "INT8 has 256 levels, INT4 16: the weight histogram collapses into 16 spikes (the dashed lines), the error "
            "spreads over plus or minus half a step, 16 times wider than INT8's, and the SNR falls by about 6 dB per bit "
            "(SNR vs bits). Move the bit slider and watch the spikes.")},
        {QStringLiteral("outlier-rows"), QCoreApplication::translate("Examples", "Outlier rows: per-tensor vs per-channel vs per-group scales"),
         QCoreApplication::translate("Examples", "8 of the 1024 rows have weights 10-100 times larger, as in LLM layers. With one scale for the tensor their "
            "range sets the step, and nearly every weight of the other rows rounds to 0 (First weights: the per-tensor line is "
            "flat; weight chart, log scale): SQNR about 9 dB. A scale per row (per-channel) or per group of 128 follows each row's own range: about 17 and 18 dB, "
            "for 0.03 and 0.125 more bits per weight (table, Per channel chart).")},
        {QStringLiteral("heavy-tails-clipping"), QCoreApplication::translate("Examples", "Heavy tails: clipping the range (percentile, MSE-optimal)"),
         QCoreApplication::translate("Examples", "Student-t weights (3 degrees of freedom) have rare, very large values. Min-max spends INT4's 16 levels on "
            "them, and the bulk gets a step so wide that the SNR is about 1 dB. Clipping at the 99.9th percentile or at the "
            "MSE-optimal ratio gives the bulk fine steps: SNR about 9.6 dB, while the clipped few get large errors (Max "
            "error). The clip values are the solid lines on the weight chart.")},
        {QStringLiteral("nf4-vs-int4"), QCoreApplication::translate("Examples", "NF4 vs INT4 at 4 bits, blocks of 64"),
         QCoreApplication::translate("Examples", "NF4's 16 levels (dashed) are quantiles of a normal distribution: dense near 0, where most weights are. With "
            "the same absmax scale per 64 weights it beats symmetric INT4 by about 1.4 dB; asymmetric INT4, whose zero point "
            "per group costs bits, comes out level with it. MXFP4's power-of-two scales cost accuracy for speed. Hover a "
            "weight in \"First weights\" to see the levels of its block.")},
        {QStringLiteral("scales-cost-bits"), QCoreApplication::translate("Examples", "What scales cost: true bits per weight"),
         QCoreApplication::translate("Examples", "Smaller groups follow the weights more closely (SQNR up about 2 dB from per-channel to groups of 128, and again "
            "to 32), but every group stores its scale and zero point: 4.04, 4.16 and 4.63 bits per weight. \"Bits vs "
            "error\" puts them next to every other format on the same tensor, with the Pareto front; the Memory chart shows "
            "the bytes.")},
        {QStringLiteral("gguf-blocks"), QCoreApplication::translate("Examples", "GGUF blocks: Q8_0, Q6_K, Q4_K, Q4_0 (llama.cpp)"),
         QCoreApplication::translate("Examples", "llama.cpp's formats, exactly as llama-quantize makes them. Q4_K and Q4_0 both store 4.5 bits per weight, but "
            "Q4_K searches each sub-block of 32 for its scale and minimum (kept in 6 bits under fp16 super-block scales) and "
            "gains about 1.6 dB; Q6_K and Q8_0 buy accuracy with bits (Bits vs error). The dashed lines are the levels of "
            "Q4_K's block under the weight you hover.")},
        {QStringLiteral("gguf-ladder"), QCoreApplication::translate("Examples", "Which GGUF download? Q2_K to Q6_K and IQ4_XS"),
         QCoreApplication::translate("Examples", "The files a GGUF model comes in, on LLM-like weights. Each step of the k-quant ladder keeps about one more "
            "bit per weight and gains about 6 dB, as INT does: 10.6, 16.4, 22.9, 28.9 and 35.0 dB SQNR at 2.625, 3.44, 4.5, 5.5 "
            "and 6.56 bits per weight (for an 8B model, that many GB). IQ4_XS, IQ4_NL's non-uniform levels with 6-bit block "
            "scales, comes within about 0.6 dB of Q4_K for 0.25 fewer bits (Bits vs error). The dashed lines are Q3_K's 8 "
            "levels in the block under the weight you hover.")},
    };
}

QString exampleIds() {
    QStringList ids;
    for (const Example& e : examples()) ids << e.id;
    return ids.join(QStringLiteral(", "));
}

std::optional<Example> findExample(const QString& id) {
    for (const Example& e : examples())
        if (e.id == id) return e;
    return std::nullopt;
}

std::optional<Session> loadExample(const QString& id, QString* error) {
    if (!findExample(id)) {
        if (error) *error = QCoreApplication::translate("Examples", "no example named '%1' (examples: %2)").arg(id, exampleIds());
        return std::nullopt;
    }
    registerExampleResources();
    return loadSession(QStringLiteral(":/examples/%1.json").arg(id), error);
}

} // namespace ql::ui
