// What each chart shows, in a few sentences for a learner: the chart title's tooltip and its What's
// This text (Shift+F1). Kept together so that they read as one voice and translate as one piece.
#include "charts/calibration_charts.h"
#include "charts/charts.h"
#include "charts/speed_charts.h"
#include "charts/survey_charts.h"

namespace ql::ui {

QString WeightDistributionChart::explanation() const {
    return tr("The grey histogram is the original weights; each configuration's outline is its dequantized weights, on "
              "the same bins (probability density). Quantization maps every weight to one of at most 2^bits levels, so "
              "the smooth shape collapses into spikes at the levels: the fewer the bits, the fewer and taller the "
              "spikes. The dashed lines are the levels of the chosen configuration; with a scale per group or block, "
              "those of the block under the weight you hover in \"First weights\". On a log scale (the chart's "
              "right-click menu, or Setup > Charts) rare weights show too: an outlier stretches the range, and levels sit "
              "unused between it and the bulk.");
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
              "line fits that GPU. Each configuration counts its bits per weight on the model's own matrices (hidden x "
              "hidden for a preset): there the rows are whole blocks and a scale per row spreads over the hidden size, "
              "so INT4 per channel costs 4.009 bits on a 7B model's rows of 4096 even where this tensor's short rows "
              "make it 4.375. GB = 10^9 bytes and GiB = 2^30 bytes: a 7B model in FP16 needs 14.0 GB = 13.04 GiB.");
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
              "fewer bits and less error; a point off the front is beaten by one on it. Where the points crowd, a compared "
              "format whose name would only cover its neighbours is left unnamed: hover a point for its name. A * marks bits "
              "that count padding: formats whose blocks run along each row store a row's last block whole, so on rows "
              "that are not whole blocks they pay for empty slots (a model's rows of 4096 values would not).");
}

// ---- calibration (one layer with its calibration inputs X) ----

QString CalibMethodErrorChart::explanation() const {
    return tr("The error each method leaves in the layer's output on the calibration inputs X: "
              "||X W^T - X Wq^T||^2 / ||X W^T||^2, lower is better. RTN rounds every weight on its own; GPTQ and AWQ "
              "use the inputs to decide how to round or scale, so at the same bits they usually leave less output "
              "error. The W8A8 bars quantize the activations too, with and without SmoothQuant.");
}

QString GptqColumnErrorChart::explanation() const {
    return tr("GPTQ quantizes the weight matrix one column (input channel) at a time, in the order shown (with "
              "act-order, the inputs with the largest H_jj first). After each column it spreads that column's rounding "
              "error over the columns not yet quantized, through the inverse Hessian, so the later columns make up "
              "for it. The thin line is each column's loss, the thick one the running total (right axis): jumps mark "
              "the columns whose inputs are large.");
}

QString GptqHessianChart::explanation() const {
    return tr("The diagonal of the Hessian H = 2/n X^T X of the layer's squared output error, one value per input "
              "channel: H_jj = 2/n sum_t x_tj^2, twice the mean square of that input. An error in a weight of channel j "
              "costs in proportion to H_jj, so channels with large inputs matter most; GPTQ's act-order quantizes "
              "them first, while there are the most columns left to absorb their error.");
}

QString GptqWeightErrorChart::explanation() const {
    return tr("The squared weight error of each column, summed over the rows, for GPTQ and for plain rounding (RTN), "
              "in GPTQ's order. GPTQ's weight error is not smaller, often larger: it changes later weights on purpose "
              "to cancel earlier rounding errors in the layer's output, and the output error (the method chart) is "
              "what it lowers.");
}

QString AwqLossChart::explanation() const {
    return tr("AWQ gives every input channel a scale s = (mean |x|)^ratio: the weights are multiplied by s before "
              "quantizing and the inputs divided by s, so channels with large activations get finer weight steps. The "
              "curve is the layer's output error for each ratio from 0 (plain rounding) to 0.95; AWQ keeps the lowest "
              "(marked).");
}

QString AwqScalesChart::explanation() const {
    return tr("The scale s_j of each input channel at the chosen ratio, next to the channel's mean |x_j|. The weights of "
              "channel j are multiplied by s_j before quantization and its inputs divided by s_j: the exact product "
              "stays the same, but channels with large inputs get a smaller rounding error relative to their size.");
}

QString SmoothQuantMaxChart::explanation() const {
    return tr("SmoothQuant divides each input channel of the activations by s_j = max|X_j|^alpha / max|W_j|^(1-alpha) "
              "and multiplies that channel of the weights by s_j, which leaves X W^T unchanged. Before, a few activation "
              "channels have outliers far above the rest, which makes INT8 activations coarse for every other channel; "
              "after, the largest activations and weights meet in between, and both quantize well to INT8 (W8A8).");
}

QString SmoothQuantHistogramChart::explanation() const {
    return tr("The distribution of the activation values before and after smoothing (log density). Smoothing divides "
              "the outlier channels by their scale, so the range shrinks and an INT8 step, range / 255, becomes finer "
              "for the bulk of the values.");
}

// ---- speed and the model survey ----

QString SpeedTimeChart::explanation() const {
    return tr("The measured time of one matrix product per format and batch, next to the time of just reading the same "
              "weights from memory (the floor). At batch 1 (decoding) a product reads every weight once and does little "
              "arithmetic per byte, so it runs near the floor: fewer bits per weight, less to read, faster. At large "
              "batches the arithmetic dominates.");
}

QString DecodeTokensChart::explanation() const {
    return tr("Tokens per second a model decodes at batch 1, estimated as memory bandwidth / bytes read per token (every "
              "weight once, plus the KV cache when set), for each GPU of the catalog and this CPU's measured read "
              "speed. Halving the bits per weight roughly doubles the tokens per second. Dashed: the figures the seed "
              "notebook claims for a 7B model.");
}

QString RooflineChart::explanation() const {
    return tr("Each measurement as arithmetic intensity (operations per byte of memory read) against the throughput it "
              "reached, under the roofs min(bandwidth x intensity, compute peak). Points on the sloped part are limited "
              "by memory, as decoding at batch 1 is; points under the flat part by arithmetic.");
}

QString ModelSqnrChart::explanation() const {
    return tr("The SQNR of every weight tensor of the model, in file order, for each configuration: 10 log10(variance "
              "of the weights / mean squared error). Dips show the tensors that suffer most, often those with outlier "
              "channels, which are the candidates for more bits or a finer granularity.");
}

} // namespace ql::ui
