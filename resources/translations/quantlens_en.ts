<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AnalysisRunner</name>
    <message>
        <source>cannot generate the tensor: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bits per weight on the model&apos;s %2 x %2 matrices; %3 on this tensor (its rows are shorter or pad their blocks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bits per weight without the padding of this tensor&apos;s rows (%2 with it): a model&apos;s rows are whole blocks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>INT8 vs INT4 (the seed notebooks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8 has 256 levels, INT4 16: the weight histogram collapses into 16 spikes (the dashed lines), the error spreads over plus or minus half a step, 16 times wider than INT8&apos;s, and the SNR falls by about 6 dB per bit (SNR vs bits). Move the bit slider and watch the spikes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier rows: per-tensor vs per-channel vs per-group scales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8 of the 1024 rows have weights 10-100 times larger, as in LLM layers. With one scale for the tensor their range sets the step, and nearly every weight of the other rows rounds to 0 (First weights: the per-tensor line is flat; weight chart, log scale): SQNR about 9 dB. A scale per row (per-channel) or per group of 128 follows each row&apos;s own range: about 17 and 18 dB, for 0.03 and 0.125 more bits per weight (table, Per channel chart).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heavy tails: clipping the range (percentile, MSE-optimal)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student-t weights (3 degrees of freedom) have rare, very large values. Min-max spends INT4&apos;s 16 levels on them, and the bulk gets a step so wide that the SNR is about 1 dB. Clipping at the 99.9th percentile or at the MSE-optimal ratio gives the bulk fine steps: SNR about 9.6 dB, while the clipped few get large errors (Max error). The clip values are the solid lines on the weight chart.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NF4 vs INT4 at 4 bits, blocks of 64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NF4&apos;s 16 levels (dashed) are quantiles of a normal distribution: dense near 0, where most weights are. With the same absmax scale per 64 weights it beats symmetric INT4 by about 1.4 dB; asymmetric INT4, whose zero point per group costs bits, comes out level with it. MXFP4&apos;s power-of-two scales cost accuracy for speed. Hover a weight in &quot;First weights&quot; to see the levels of its block.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What scales cost: true bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Smaller groups follow the weights more closely (SQNR up about 2 dB from per-channel to groups of 128, and again to 32), but every group stores its scale and zero point: 4.04, 4.16 and 4.63 bits per weight. &quot;Bits vs error&quot; puts them next to every other format on the same tensor, with the Pareto front; the Memory chart shows the bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF blocks: Q8_0, Q6_K, Q4_K, Q4_0 (llama.cpp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>llama.cpp&apos;s formats, exactly as llama-quantize makes them. Q4_K and Q4_0 both store 4.5 bits per weight, but Q4_K searches each sub-block of 32 for its scale and minimum (kept in 6 bits under fp16 super-block scales) and gains about 1.6 dB; Q6_K and Q8_0 buy accuracy with bits (Bits vs error). The dashed lines are the levels of Q4_K&apos;s block under the weight you hover.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no example named &apos;%1&apos; (examples: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which GGUF download? Q2_K to Q6_K and IQ4_XS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The files a GGUF model comes in, on LLM-like weights. Each step of the k-quant ladder keeps about one more bit per weight and gains about 6 dB, as INT does: 10.6, 16.4, 22.9, 28.9 and 35.0 dB SQNR at 2.625, 3.44, 4.5, 5.5 and 6.56 bits per weight (for an 8B model, that many GB). IQ4_XS, IQ4_NL&apos;s non-uniform levels with 6-bit block scales, comes within about 0.6 dB of Q4_K for 0.25 fewer bits (Bits vs error). The dashed lines are Q3_K&apos;s 8 levels in the block under the weight you hover.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensor %1 = %2 weights, %3 as FP32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 kB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scalar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> as stored (%1 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n tensor</numerusform>
            <numerusform>%n tensors</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a model or tensor file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (as stored)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Survey finished: %n weight tensor(s)</source>
        <translation>
            <numerusform>Survey finished: %n weight tensor</numerusform>
            <numerusform>Survey finished: %n weight tensors</numerusform>
        </translation>
    </message>
    <message>
        <source>GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 NaN and %2 infinite values left out of every metric and chart</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is larger than 16 MiB: not a session file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SurveyPanel</name>
    <message>
        <source>%1 dB</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::AnalysisPanel</name>
    <message>
        <source>Error through layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Simulate a stack of layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width (d x d)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight std</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw the levels of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Histogram bins</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer output error (X W^T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Multiply a random batch by the original and the quantized weights and compare (seed notebook 002)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per-channel error on a log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>configuration %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare all formats (Pareto and SNR charts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pareto chart: MSE (log) instead of SQNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also quantize this tensor in every format at its common settings: INT8/INT4, NF4, FP8, FP4, MXFP4, NVFP4, the GGUF blocks and HQQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distributions on a log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw the weight and error distributions on a logarithmic density axis: rare values (outliers, clipped weights, the tails of the error) show next to the peak</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::AwqLossChart</name>
    <message>
        <source>Ratio (s = mean|x|^ratio; 0 = plain RTN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss: mean (XWᵀ − XW&apos;ᵀ)² (output units²)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick AWQ among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No ratios</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss at each ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chosen ratio %1 (lowest loss)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ratio %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ: output loss vs scaling ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ gives every input channel a scale s = (mean |x|)^ratio: the weights are multiplied by s before quantizing and the inputs divided by s, so channels with large activations get finer weight steps. The curve is the layer&apos;s output error for each ratio from 0 (plain rounding) to 0.95; AWQ keeps the lowest (marked).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss (output units²)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::AwqScalesChart</name>
    <message>
        <source>AWQ: per-channel scales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ: scales s at ratio %1 (W·s, X/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input channel j</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale s_j (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick AWQ among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean |x_j| over tokens (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean |x_j| (right axis)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale s_j</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier input channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scale s_j of each input channel at the chosen ratio, next to the channel&apos;s mean |x_j|. The weights of channel j are multiplied by s_j before quantization and its inputs divided by s_j: the exact product stays the same, but channels with large inputs get a smaller rounding error relative to their size.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean |x_j| (log)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::CalibMethodErrorChart</name>
    <message>
        <source>RTN
INT%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ
INT%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ
INT%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ + clip
INT%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant
W8A8
per tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant
W8A8
per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>W8A8
per tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>W8A8
per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer-output error by method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer-output error by method (weight-only INT%1, %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>groups of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one group per row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative output error (log)
||XWᵀ - XWqᵀ||² / ||XWᵀ||²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative output error
||XWᵀ - XWqᵀ||² / ||XWᵀ||²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No method ran</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
relative output error %2
output MSE %3
weight MSE %4
time %5 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The error each method leaves in the layer&apos;s output on the calibration inputs X: ||X W^T - X Wq^T||^2 / ||X W^T||^2, lower is better. RTN rounds every weight on its own; GPTQ and AWQ use the inputs to decide how to round or scale, so at the same bits they usually leave less output error. The W8A8 bars quantize the activations too, with and without SmoothQuant.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative error (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::CalibrationChart</name>
    <message>
        <source>Run the calibration to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The calibration could not run:
%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::CalibrationView</name>
    <message>
        <source>RTN (round to nearest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AWQ + clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant W8A8 (and plain W8A8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer: weights W and activations X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generated layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>W.npy + X.npy files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>W.npy + generated activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current tensor + generated activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where W (out x in) and X (tokens x in) come from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a .npy file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>W.npy, [out, in]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X.npy, [tokens, in]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output features: rows of W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input features: columns of W and of X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calibration tokens: rows of X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same seed gives the same layer on every machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input channels of X scaled 20-100x, as measured in LLMs (SmoothQuant, LLM.int8())</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of each activation&apos;s variance from a shared low-rank mixing. 0: independent channels, H nearly diagonal, and GPTQ barely beats RTN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel correlation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight-only INT (RTN, GPTQ, AWQ)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asymmetric INT-b: one scale and integer zero point per output row and group of input columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one group per row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ act-order (largest H_jj first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ dampening: percdamp x mean(diag H) is added to the diagonal of H</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ percdamp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant W8A8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Migration strength: s_j = max|X_j|^alpha / max|W_j|^(1 - alpha). 0 leaves the weights unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>alpha = %1: share of the outliers moved into W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Methods to run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale on the comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the chosen methods on this layer (any change also re-runs them)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export all calibration charts...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every calibration chart as PNG, SVG and PDF, and the report as JSON, into one folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick at least one method.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the .npy file(s) of the layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The main window has no tensor yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; the charts show the last finished run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: W %2 x %3, X %4 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; outlier input channels %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calibration: GPTQ, AWQ, SmoothQuant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export every calibration chart and the report into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n file(s) to %1</source>
        <translation>
            <numerusform>Wrote %n file to %1</numerusform>
            <numerusform>Wrote %n files to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>GPTQ vs RTN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ChannelErrorChart</name>
    <message>
        <source>Per-channel error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output channel (row)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE of the row (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE of the row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No per-channel error yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mean squared error of each output channel (row). With one scale for the whole tensor, a few rows of large weights (LLM-like rows) set the range and every other row gets a coarse grid; a scale per channel or per group gives each row its own range, and the errors level out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: 1 row with infinite error, not drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 rows with infinite error, not drawn</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ChartView</name>
    <message>
        <source>Reset view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PNG...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as JPG...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as PDF (vector)...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as SVG (vector)...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image size %1x%2 is too large (at most 20000 pixels a side)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not render %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale (both distributions)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ConfigPanel</name>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a configuration (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate the selected configuration (Ctrl+Shift+D)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT (uniform integer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQQ (INT, zero point optimised)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asymmetric (zero point)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Granularity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel axis: 0 = output channels (rows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Block size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto (fp16 per group, else fp32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale stored as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Min-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE-optimal clipping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL divergence (entropy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Range</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n bit(s)</source>
        <translation>
            <numerusform>%n bit</numerusform>
            <numerusform>%n bits</numerusform>
        </translation>
    </message>
    <message>
        <source>Colour of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uniform integer levels, 2-8 bits: a scale (and, asymmetric, a zero point) per tensor, channel or group, as PyTorch&apos;s fake quantization computes them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NormalFloat4 (bitsandbytes, QLoRA): 16 levels at quantiles of a normal distribution, scaled by each block&apos;s absmax (fp32, blocks of 64): 4.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NF4 with double quantization (QLoRA): the blocks&apos; absmax values are themselves quantized to 8 bits in blocks of 256: about 4.127 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit float (OCP E4M3): 4 exponent and 3 mantissa bits, largest value 448, no infinities; scaled so that the largest |x| maps to 448. Levels are dense near 0 and coarse far from it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit float (OCP E5M2): 5 exponent and 2 mantissa bits, largest value 57344: more range and less precision than E4M3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit float E2M1: the magnitudes 0, 0.5, 1, 1.5, 2, 3, 4 and 6 with a sign, and an fp32 scale per tensor or block.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OCP Microscaling MXFP4: E2M1 values sharing a power-of-two (E8M0) scale per block of 32: 4.25 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NVIDIA NVFP4: E2M1 values with an FP8 (E4M3) scale per block of 16 and an fp32 scale per tensor: 4.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q8_0 (llama.cpp): 8-bit integers with an fp16 scale per block of 32: 8.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q4_0 (llama.cpp): 4-bit integers -8..7 times an fp16 scale per block of 32, the scale chosen so that the block&apos;s largest-magnitude value lands on -8: 4.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q4_1 (llama.cpp): 4-bit integers with an fp16 scale and an fp16 minimum per block of 32: 5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q5_0 (llama.cpp): 5-bit integers with an fp16 scale per block of 32: 5.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q4_K (llama.cpp k-quant): super-blocks of 256 values in 8 sub-blocks of 32, each with a 6-bit scale and minimum found by a search, under an fp16 scale and minimum: 4.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q6_K (llama.cpp k-quant): 6-bit integers, 16 sub-blocks of 16 with 8-bit scales under an fp16 scale per super-block of 256: 6.5625 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF IQ4_NL (llama.cpp): 4-bit codes into a fixed non-linear table of 16 levels, with an fp16 scale per block of 32 found by a search: 4.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Half-quadratic quantization (HQQ): integer codes with an fp16 scale and zero point per group of 64, the zero point optimised by a solver without calibration data: 4.5 bits per weight at 4 bits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q5_K (llama.cpp k-quant): Q4_K with 5-bit codes: super-blocks of 256 values in 8 sub-blocks of 32, each with a 6-bit scale and minimum found by a search, under an fp16 scale and minimum: 5.5 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q2_K (llama.cpp k-quant): 2-bit integers in 16 sub-blocks of 16, each with a 4-bit scale and minimum found by a search for the least absolute error, under an fp16 scale and minimum per super-block of 256: 2.625 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF Q3_K (llama.cpp k-quant): 3-bit integers -4..3 in 16 sub-blocks of 16, each with a signed 6-bit scale found by a search, under an fp16 scale per super-block of 256: 3.4375 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GGUF IQ4_XS (llama.cpp): IQ4_NL&apos;s table of 16 levels, the scale of each block of 32 found by the same search and stored in 6 bits under an fp16 scale per super-block of 256: 4.25 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::DecodeTokensChart</name>
    <message>
        <source>Estimated decode speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated decode speed of a %1-billion-parameter model (bandwidth / bytes per token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device (memory bandwidth)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per second (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No estimate yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (measured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seed 004, 7B %1: %2 tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 GB/s%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (measured read)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (catalog peak)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
%1: %2 tokens/s (%3 GB per token)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per second a model decodes at batch 1, estimated as memory bandwidth / bytes read per token (every weight once, plus the KV cache when set), for each GPU of the catalog and this CPU&apos;s measured read speed. Halving the bits per weight roughly doubles the tokens per second. Dashed: the figures the seed notebook claims for a 7B model.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ErrorDistributionChart</name>
    <message>
        <source>Quantization error distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization error (dequantized - original)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability density</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a configuration to see its error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization error = dequantized - original, for every weight. Rounding to the nearest level keeps each error within half a step (scale / 2), so with evenly spaced levels the errors spread almost evenly over [-scale/2, scale/2], and each extra bit halves that width. Values clipped at the ends of the range add tails. Unevenly spaced levels (NF4, FP8, FP4) give small weights small errors and large weights large ones, so their errors pile up at 0; HQQ&apos;s solver moves the zero point to make most errors small at the cost of a few larger ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability density (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Density (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Density</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ExportOptionsDialog</name>
    <message>
        <source>Export every chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px / pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> dpi</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Formats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Height</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG and JPG: pixels, with the resolution recorded for slides and print. PDF and SVG: vector pages of that many points.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::GptqColumnErrorChart</name>
    <message>
        <source>Column, in quantization order (act-order: largest H_jj first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column, in quantization order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column loss Σ (w − q)² / U_jj² / 2 (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick GPTQ among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss of each column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative loss (GPTQ&apos;s Losses summed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative loss (right axis), total %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ: error per column as quantization proceeds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ quantizes the weight matrix one column (input channel) at a time, in the order shown (with act-order, the inputs with the largest H_jj first). After each column it spreads that column&apos;s rounding error over the columns not yet quantized, through the inverse Hessian, so the later columns make up for it. The thin line is each column&apos;s loss, the thick one the running total (right axis): jumps mark the columns whose inputs are large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cumulative loss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::GptqHessianChart</name>
    <message>
        <source>Input channel j</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>H_jj = 2/n Σ_t x_tj² (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick GPTQ among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hessian diagonal H_jj</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier input channels (x20-100)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ: Hessian diagonal (which inputs matter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The diagonal of the Hessian H = 2/n X^T X of the layer&apos;s squared output error, one value per input channel: H_jj = 2/n sum_t x_tj^2, twice the mean square of that input. An error in a weight of channel j costs in proportion to H_jj, so channels with large inputs matter most; GPTQ&apos;s act-order quantizes them first, while there are the most columns left to absorb their error.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::GptqWeightErrorChart</name>
    <message>
        <source>Column, in quantization order (act-order: largest H_jj first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column, in quantization order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Σ over rows of (W − Q)² (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick GPTQ among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RTN, total %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ vs RTN: weight error per column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPTQ, total %1 (yet the lower output error)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The squared weight error of each column, summed over the rows, for GPTQ and for plain rounding (RTN), in GPTQ&apos;s order. GPTQ&apos;s weight error is not smaller, often larger: it changes later weights on purpose to cancel earlier rounding errors in the layer&apos;s output, and the output error (the method chart) is what it lowers.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::GpuFitChart</name>
    <message>
        <source>Which GPUs does the model fit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which GPUs does a %1-billion-parameter model fit?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format (bits per weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (GB, 10^9 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a model size and GPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fits every chosen GPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fits some</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fits none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 GiB, %3 GB usable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2 bits per weight: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (%3% of usable memory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The memory a model of the chosen size needs in each format (its weights, and the KV cache when set), against the usable memory of each chosen GPU (the lines: its memory less the headroom). A bar below a line fits that GPU. Each configuration counts its bits per weight on the model&apos;s own matrices (hidden x hidden for a preset): there the rows are whole blocks and a scale per row spreads over the hidden size, so INT4 per channel costs 4.009 bits on a 7B model&apos;s rows of 4096 even where this tensor&apos;s short rows make it 4.375. GB = 10^9 bytes and GiB = 2^30 bytes: a 7B model in FP16 needs 14.0 GB = 13.04 GiB.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::GpuFitPanel</name>
    <message>
        <source>Custom size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> billion parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory kept free for activations, CUDA context and fragmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headroom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the KV cache of this many tokens (needs a model preset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::LayerErrorChart</name>
    <message>
        <source>Error accumulation through layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative output error ||h - h_q|| / ||h|| (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn on the layer simulation to see error accumulate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A random input passes through a stack of random layers (Setup: layers, width, activation) once with FP32 weights and once with each configuration&apos;s quantized weights. The chart shows the relative difference of the outputs, ||h - h_q|| / ||h||, after each layer, on a log scale: each layer&apos;s error feeds the next, so the gap grows with depth.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative output error (log)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::MainWindow</name>
    <message>
        <source>QuantLens - see what quantization does to weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the running analysis (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend: CPU, %1 threads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configurations to compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export as CSV...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open session...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save session &amp;as...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export all charts...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export metrics as CSV...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Configurations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Duplicate configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full screen, larger fonts and thicker lines for projectors (F11)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts and panels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The default layout returns the next time QuantLens starts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About QuantLens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot use this tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
min %1, max %2, mean %3, std %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysis: %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export every chart, the metrics and the session into</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n file(s) to %1</source>
        <translation>
            <numerusform>Wrote %n file to %1</numerusform>
            <numerusform>Wrote %n files to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Save session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QuantLens sessions (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CUDA device: %1 (compute capability %2.%3, %4 GiB, %5 GB/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU, %1 threads (GPU: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About QuantLens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;QuantLens %1&lt;/h3&gt;&lt;p&gt;See what quantization does to neural-network weights: INT8/INT4 and more, their errors, memory and GPU fit.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Backend:&lt;/b&gt; %2&lt;/p&gt;&lt;p&gt;Qt %3, QCustomPlot, Eigen.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Calibration: GPTQ, AWQ, SmoothQuant...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Through layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNR vs bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits vs error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare &amp;all formats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantize this tensor in every format (INT, NF4, FP8, FP4, MXFP4, NVFP4, GGUF blocks) for the Pareto and SNR charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Speed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Speed: measure formats on this CPU and GPU...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What does this chart show? (click a chart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lesson note...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write what the class should look at in this session; it is saved with the session</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lesson note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to look at, e.g. &quot;Compare the SQNR of per-tensor and per-channel in the table&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the lesson note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‹ Previous example</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next example ›</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Examples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Classroom examples: ready-made lessons with a note on what to look at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time of the last analysis of the configurations on this machine: quantize, dequantize, metrics and histograms. A configuration analysed before on this tensor is taken from memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare all formats (%1 formats): %2 ms.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysis: cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analysis cancelled: the charts and the table do not show these settings. Recompute (F5) updates them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): </source>
        <translation>
            <numerusform>%n warning: </numerusform>
            <numerusform>%n warnings: </numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ql::ui::MemoryChart</name>
    <message>
        <source>Memory of this tensor per format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tensor yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format (bits per weight, scales included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 bits per weight
%3 bytes = %4 GB = %5 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The bytes this tensor takes in FP32, FP16, INT8 and INT4, and in each configuration with its scales and zero points included: an fp16 scale per group of 128 weights adds 16 / 128 = 0.125 bits per weight, so INT4 with groups of 128 takes 4.125 bits per weight, not 4. MB = 10^6 bytes; the tooltip also gives MiB = 2^20 bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GB, 10^9 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MB, 10^6 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kB, 10^3 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 b/w</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::MetricsModel</name>
    <message>
        <source>Mean squared error, mean (x - dq)^2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean absolute error, mean |x - dq|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Largest absolute error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signal-to-noise ratio: 10 log10(sum x^2 / sum (x - dq)^2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio: 10 log10(var(x) / MSE)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cosine similarity of the original and dequantized tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>True storage: code bits plus scales and zero points, per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Storage of this tensor, decimal and binary units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean |X W^T - X Wq^T| / mean |X W^T| for a random batch X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distinct codes that occur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values outside the representable range, saturated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MAE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer output error (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Levels used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GB / %2 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MB / %2 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 kB / %2 KiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* %1% of the codes stored are padding: this tensor&apos;s rows are not whole blocks, and each row&apos;s last block is stored whole</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>percentile %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE-optimal clipping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KL divergence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The range setting (%1) chose a clip range inside the data: values beyond it saturate on purpose, which buys a finer step for all the others.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MXFP4&apos;s shared scale is a power of two, 2^(floor(log2 amax) - 2) (OCP MX v1.0): a block&apos;s largest value lands between 4 and 8 in units of the scale, on an E2M1 grid whose top is 6, so values from 7 up round past 6 and saturate at 6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NVFP4 stores each block&apos;s scale in FP8 (E4M3). For a block far smaller than the tensor&apos;s largest values that scale falls among E4M3&apos;s coarse subnormals; rounded down, it puts the block&apos;s largest values past 6, the top of the E2M1 grid, where they saturate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q4_0 puts each block&apos;s largest-magnitude value on code -8; on the other side the codes stop at +7, so a value there beyond 7.5/8 of that magnitude saturates at +7.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q5_0 puts each block&apos;s largest-magnitude value on code -16; on the other side the codes stop at +15, so a value there beyond 15.5/16 of that magnitude saturates at +15.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q6_K&apos;s codes run from -32 to 31: each sub-block&apos;s largest-magnitude value goes to the -32 end and the other side stops at +31; the searched scale, stored in 8 bits, can also leave values past an end. Those saturate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IQ4_NL&apos;s table runs from -127 to 113: the search over 15 scales can leave a block&apos;s values past an end of the table, where they take the end level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HQQ&apos;s solver moves each group&apos;s zero point away from min-max to lower the error of most values, so values at a group&apos;s ends can fall outside its codes and saturate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Values more than half a step past the grid&apos;s end levels saturate at the end level.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 values (%3%) saturated.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of the %2 codes occur</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q2_K, Q4_K and Q5_K search each sub-block&apos;s scale and minimum for the least weighted error, and store them in 4 or 6 bits: the chosen levels need not reach a sub-block&apos;s extreme values, which then saturate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Q3_K&apos;s codes run from -4 to 3: each sub-block&apos;s largest-magnitude value goes to the -4 end and the other side stops at +3; the searched scale, stored in 6 bits, can also leave values past an end. Those saturate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IQ4_XS&apos;s table runs from -127 to 113: the search over 15 scales, and the scale&apos;s rounding to 6 bits, can leave a block&apos;s values past an end of the table, where they take the end level.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ModelBrowser</name>
    <message>
        <source>Open model...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>safetensors, GGUF, ONNX, TensorFlow.js, .npz or .npy; you can also drop a file on the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent model files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey whole model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantize every weight tensor with the current configurations: SQNR per layer, memory and GPU fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model open. Open a weights file to browse its tensors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter tensors (words in the name, e.g. &quot;layers.3 q_proj&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open model or tensor file...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;urvey whole model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights (*.safetensors *.gguf *.onnx *.npz *.npy *.json model.safetensors.index.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 holds no tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; (%2): %n tensor(s), %3 parameters, %4 stored.</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; (%2): %n tensor, %3 parameters, %4 stored.</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; (%2): %n tensors, %3 parameters, %4 stored.</numerusform>
        </translation>
    </message>
    <message>
        <source>Metadata (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 is stored already quantized&lt;/b&gt; as ggml %2 (%3 bits per weight, block scales included). The analysis starts from its dequantized values: quantizing them again shows what a second rounding adds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with its stored format %1 (show its levels)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 is stored quantized&lt;/b&gt;: %2. The analysis starts from the decoded values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the model file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QuantLens&apos; NVFP4 (NVIDIA ModelOpt&apos;s) adds a per-tensor FP32 scale that llama.cpp&apos;s lacks, so it is not offered as this tensor&apos;s stored format.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is an i-quant: each stored index picks a whole group of %2 weights from a fixed codebook of allowed patterns, with the signs and a small scale kept apart. QuantLens decodes it as llama.cpp does but does not quantize to it, so no stored format is offered.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ModelSqnrChart</name>
    <message>
        <source>Weight tensor, in file order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This file has no weight tensors (rank &gt;= 2, floating point)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Survey a model to see every layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer (each point a weight tensor, in file order; ticks at a layer&apos;s first tensor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2: SQNR %3 dB
%4 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR of every weight tensor along the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The SQNR of every weight tensor of the model, in file order, for each configuration: 10 log10(variance of the weights / mean squared error). Dips show the tensors that suffer most, often those with outlier channels, which are the candidates for more bits or a finer granularity.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::ParetoChart</name>
    <message>
        <source>Error vs true bits per weight (Pareto front)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight (scales and zero points included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MSE (log, lower is better)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR (dB, higher is better)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add configurations, or press &quot;Compare all formats&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All formats at their common settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2 bits per weight
SQNR %3 dB
MSE %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight, scales included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No configuration with a finite, nonzero error to place</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1% of the codes stored are padding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>* these bits count padding: rows are not whole blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each configuration (and with &quot;Compare all formats&quot;, each format at its common settings) at its true bits per weight against its error. The dashed front joins the points that no other point beats with both fewer bits and less error; a point off the front is beaten by one on it. Where the points crowd, a compared format whose name would only cover its neighbours is left unnamed: hover a point for its name. A * marks bits that count padding: formats whose blocks run along each row store a row&apos;s last block whole, so on rows that are not whole blocks they pay for empty slots (a model&apos;s rows of 4096 values would not).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::RooflineChart</name>
    <message>
        <source>Roofline: arithmetic intensity vs achieved throughput</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arithmetic intensity (operations per byte, log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Throughput (GFLOP/s or GOP/s, log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Run to measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU roof: %1 GB/s read, int8 peak %2 GOP/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU roof: %1 GB/s read, FP32 peak %2 GFLOP/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU roof: %1 GB/s read, best product %2 GFLOP/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each measurement as arithmetic intensity (operations per byte of memory read) against the throughput it reached, under the roofs min(bandwidth x intensity, compute peak). Points on the sloped part are limited by memory, as decoding at batch 1 is; points under the flat part by arithmetic.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SampleChart</name>
    <message>
        <source>First weights of a row: original vs dequantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First %1 weights of row %2: original vs dequantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Index in the row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tensor yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original (FP32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first weights of one row before (black) and after quantization. Each dequantized weight is the level nearest to the original (dashed lines: the levels of the block it lies in), and the vertical gap between the two markers is that weight&apos;s error. Hover a weight to show its block&apos;s levels on the weight distribution.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SmoothQuantHistogramChart</name>
    <message>
        <source>Activation value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Density (1 / value unit, log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick SmoothQuant among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X before smoothing: range [%1, %2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X / s after smoothing: range [%1, %2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant: activation values before and after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The distribution of the activation values before and after smoothing (log density). Smoothing divides the outlier channels by their scale, so the range shrinks and an INT8 step, range / 255, becomes finer for the bulk of the values.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SmoothQuantMaxChart</name>
    <message>
        <source>SmoothQuant: per-channel max |X| and max |W|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant, α = %1: max |X| and max |W| per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input channel j</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max |value| over tokens (X) or output rows (W) (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick SmoothQuant among the methods to see this chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max |X_j| before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max |W_j| before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SmoothQuant divides each input channel of the activations by s_j = max|X_j|^alpha / max|W_j|^(1-alpha) and multiplies that channel of the weights by s_j, which leaves X W^T unchanged. Before, a few activation channels have outliers far above the rest, which makes INT8 activations coarse for every other channel; after, the largest activations and weights meet in between, and both quantize well to INT8 (W8A8).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max |value| (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max |W_j·s_j| after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>max |X_j/s_j| after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier channels</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SnrBitsChart</name>
    <message>
        <source>SNR vs bit width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6.02 dB per bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight (scales and zero points included)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All formats (compare)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a configuration to see its SNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signal-to-noise ratio, 10 log10(signal power / error power), against bits per weight with scales and zero points included. Each extra bit halves the step, which divides the error power by 4 and adds about 6.02 dB (the dashed line). INT and HQQ configurations are swept over 2-8 bits; other formats have one bit width and are single points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Solving %1 at 2-8 bits for its curve...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight, scales included</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SpeedTimeChart</name>
    <message>
        <source>Time per product and the memory-read floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time per product, %1 x %2 layer, and the memory-read floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time per product (ms, log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Run to measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>measured median (whiskers: quartiles)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plain read of the same bytes (floor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interquartile range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1x floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
%2, batch %3 (%4)
median %5 ms (quartiles %6 - %7 ms)
floor %8 ms: %9x the floor
%10 GB/s, %11 GFLOP/s
%12 MB of weights, %13 copies rotated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format and batch (decode = batch 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The measured time of one matrix product per format and batch, next to the time of just reading the same weights from memory (the floor). At batch 1 (decoding) a product reads every weight once and does little arithmetic per byte, so it runs near the floor: fewer bits per weight, less to read, faster. At large batches the arithmetic dominates.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SpeedView</name>
    <message>
        <source>%1 x %2 (out x in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output features: rows of W (y = x W^T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input features: columns of W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>x</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Out x in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode (batch 1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prefill, batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FP32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8 (per-row scales)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit (group 128)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Formats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timed products per measurement, after two untimed warm-up products</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV cache read per token at this context (0 = weights only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode estimate for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time vs floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roofline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one batch and one format.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measurement failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; the charts keep the last complete run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2 threads, path %3: read %4 GB/s, FP32 peak %5 GFLOP/s, int8 peak %6 GOP/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times y = x W^T on this CPU, and on the GPU when there is one, next to a plain read of the same bytes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring on the CPU, then on the GPU ...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring on the CPU ...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU: %1, read %2 GB/s measured (%3 GB/s peak), best product %4 GFLOP/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU: none (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU: %1 (compute capability %2.%3, %4 GiB, %5 GB/s peak), measured after the CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU measurements that failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Median (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quartiles (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor (ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>x floor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Floor GB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GFLOP/s (GOP/s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights (MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 - %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::SurveyPanel</name>
    <message>
        <source>Open a model file and choose &quot;Survey whole model&quot; to quantize every weight tensor with the current configurations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%p% of the weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel survey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean SQNR (dB, parameter-weighted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worst SQNR (dB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Worst tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (GB, 10^9 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (GiB, 2^30 bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR per configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory of the whole model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR along the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU fit of this model</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Surveying %1: %2 weight tensors x %n configuration(s)...</source>
        <translation>
            <numerusform>Surveying %1: %2 weight tensors x %n configuration...</numerusform>
            <numerusform>Surveying %1: %2 weight tensors x %n configurations...</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Survey cancelled after %n weight tensor(s); the tables show those.</source>
        <translation>
            <numerusform>Survey cancelled after %n weight tensor; the tables show those.</numerusform>
            <numerusform>Survey cancelled after %n weight tensors; the tables show those.</numerusform>
        </translation>
    </message>
    <message>
        <source>Survey cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2): %3 parameters in all (%4 in %5 weight tensors), stored in %6.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight tensors at this configuration&apos;s bits per weight, every other tensor at FP16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Along the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GPU fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its blocks run along each row: %1 tensors&apos; rows are not whole blocks, so %2% of the codes stored are padding, counted in these bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::TensorPanel</name>
    <message>
        <source>Generate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load file...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laplace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student-t (heavy tails)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows: output channels of a Linear layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns: input channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Std</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degrees of freedom of the Student-t distribution (smaller = heavier tails)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student-t dof</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of values replaced by outliers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outliers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> x std</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlier size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM-like: this many output channels get a 10-100x larger scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM-like rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No file loaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
Tensor: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a weights file (.npy, .npz, .safetensors, .gguf, .onnx, TensorFlow.js) and analyse its tensors</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ql::ui::WeightDistributionChart</name>
    <message>
        <source>Weight distribution: original vs dequantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability density</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tensor yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Original (FP32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n levels of %1 in the block of weight %2 of row %3</source>
        <translation>
            <numerusform>%n level of %1 in the block of weight %2 of row %3</numerusform>
            <numerusform>%n levels of %1 in the block of weight %2 of row %3</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n levels of %1</source>
        <translation>
            <numerusform>%n level of %1</numerusform>
            <numerusform>%n levels of %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The grey histogram is the original weights; each configuration&apos;s outline is its dequantized weights, on the same bins (probability density). Quantization maps every weight to one of at most 2^bits levels, so the smooth shape collapses into spikes at the levels: the fewer the bits, the fewer and taller the spikes. The dashed lines are the levels of the chosen configuration; with a scale per group or block, those of the block under the weight you hover in &quot;First weights&quot;. On a log scale (the chart&apos;s right-click menu, or Setup &gt; Charts) rare weights show too: an outlier stretches the range, and levels sit unused between it and the bulk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probability density (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Density (log)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Density</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
