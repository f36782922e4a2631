// What each chart of the window shows, in a few sentences for a learner: the chart title's tooltip
// and its What's This text (Shift+F1). Kept together so that they read as one voice and translate
// as one piece.
#include "charts/charts.h"

namespace ql::ui {

QString WeightDistributionChart::explanation() const {
    return tr("The grey histogram is the original weights; each configuration's outline is its dequantized weights, on "
              "the same bins (probability density). Quantization maps every weight to one of at most 2^bits levels, so "
              "the smooth shape collapses into spikes at the levels: the fewer the bits, the fewer and taller the "
              "spikes. The dashed lines are the levels of the chosen configuration; with a scale per group or block, "
              "those of the block under the weight you hover in \"First weights\".");
}

QString ErrorDistributionChart::explanation() const {
    return tr("Quantization error = dequantized - original, for every weight. Rounding to the nearest level keeps each "
              "error within half a step (scale / 2), so with evenly spaced levels the errors spread almost evenly over "
              "[-scale/2, scale/2], and each extra bit halves that width. Values clipped at the ends of the range add "
              "tails. Unevenly spaced levels (NF4, FP8, FP4) give small weights small errors and large weights large "
              "ones, so their errors pile up at 0; HQQ's solver moves the zero point to make most errors small at the "
              "cost of a few larger ones.");
}

QString MemoryChart::explanation() const {
    return tr("The bytes this tensor takes in FP32, FP16, INT8 and INT4, and in each configuration with its scales and "
              "zero points included: an fp16 scale per group of 128 weights adds 16 / 128 = 0.125 bits per weight, so "
              "INT4 with groups of 128 takes 4.125 bits per weight, not 4. MB = 10^6 bytes; the tooltip also gives "
              "MiB = 2^20 bytes.");
}

QString SampleChart::explanation() const {
    return tr("The first weights of one row before (black) and after quantization. Each dequantized weight is the level "
              "nearest to the original (dashed lines: the levels of the block it lies in), and the vertical gap between "
              "the two markers is that weight's error. Hover a weight to show its block's levels on the weight "
              "distribution.");
}

QString LayerErrorChart::explanation() const {
    return tr("A random input passes through a stack of random layers (Setup: layers, width, activation) once with FP32 "
              "weights and once with each configuration's quantized weights. The chart shows the relative difference of "
              "the outputs, ||h - h_q|| / ||h||, after each layer, on a log scale: each layer's error feeds the next, so "
              "the gap grows with depth.");
}

QString GpuFitChart::explanation() const {
    return tr("The memory a model of the chosen size needs in each format (its weights, and the KV cache when set), "
              "against the usable memory of each chosen GPU (the lines: its memory less the headroom). A bar below a "
              "line fits that GPU. GB = 10^9 bytes and GiB = 2^30 bytes: a 7B model in FP16 needs 14.0 GB = 13.04 GiB.");
}

QString SnrBitsChart::explanation() const {
    return tr("Signal-to-noise ratio, 10 log10(signal power / error power), against bits per weight with scales and zero "
              "points included. Each extra bit halves the step, which divides the error power by 4 and adds about "
              "6.02 dB (the dashed line). INT and HQQ configurations are swept over 2-8 bits; other formats have one bit "
              "width and are single points.");
}

QString ChannelErrorChart::explanation() const {
    return tr("The mean squared error of each output channel (row). With one scale for the whole tensor, a few rows of "
              "large weights (LLM-like rows) set the range and every other row gets a coarse grid; a scale per channel "
              "or per group gives each row its own range, and the errors level out.");
}

QString ParetoChart::explanation() const {
    return tr("Each configuration (and with \"Compare all formats\", each format at its common settings) at its true bits "
              "per weight against its error. The dashed front joins the points that no other point beats with both "
              "fewer bits and less error; a point off the front is beaten by one on it.");
}

} // namespace ql::ui
