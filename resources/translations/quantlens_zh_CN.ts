<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnalysisRunner</name>
    <message>
        <source>cannot generate the tensor: %1</source>
        <translation>无法生成张量：%1</translation>
    </message>
    <message>
        <source>%1 holds no tensors</source>
        <translation>%1 中没有张量</translation>
    </message>
    <message>
        <source>%1 bits per weight on the model&apos;s %2 x %2 matrices; %3 on this tensor (its rows are shorter or pad their blocks)</source>
        <translation>在模型的 %2 x %2 矩阵上为每权重 %1 比特；在当前张量上为 %3（它的行更短或需要填充块）</translation>
    </message>
    <message>
        <source>%1 bits per weight without the padding of this tensor&apos;s rows (%2 with it): a model&apos;s rows are whole blocks</source>
        <translation>不计当前张量各行的填充时为每权重 %1 比特（计入时为 %2）：模型的行都是整块</translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>INT8 vs INT4 (the seed notebooks)</source>
        <translation>INT8 与 INT4（种子笔记本）</translation>
    </message>
    <message>
        <source>INT8 has 256 levels, INT4 16: the weight histogram collapses into 16 spikes (the dashed lines), the error spreads over plus or minus half a step, 16 times wider than INT8&apos;s, and the SNR falls by about 6 dB per bit (SNR vs bits). Move the bit slider and watch the spikes.</source>
        <translation>INT8 有 256 个量化级，INT4 只有 16 个：权重直方图塌缩成 16 个尖峰（虚线），误差分布在正负半个步长之内，比 INT8 宽 16 倍，而且每少一位信噪比下降约 6 dB（“信噪比与位数”）。拖动位宽滑块，观察尖峰的变化。</translation>
    </message>
    <message>
        <source>Outlier rows: per-tensor vs per-channel vs per-group scales</source>
        <translation>离群行：按张量、按通道与按组缩放</translation>
    </message>
    <message>
        <source>8 of the 1024 rows have weights 10-100 times larger, as in LLM layers. With one scale for the tensor their range sets the step, and nearly every weight of the other rows rounds to 0 (First weights: the per-tensor line is flat; weight chart, log scale): SQNR about 9 dB. A scale per row (per-channel) or per group of 128 follows each row&apos;s own range: about 17 and 18 dB, for 0.03 and 0.125 more bits per weight (table, Per channel chart).</source>
        <translation>1024 行中有 8 行的权重大 10-100 倍，就像大语言模型的层那样。整个张量只用一个缩放因子时，这些行的范围决定了步长，其余各行的权重几乎全部舍入为 0（“前几个权重”：按张量的那条线是平的；权重图，对数刻度）：SQNR 约 9 dB。每行一个缩放因子（逐通道）或每 128 个一组，都能跟随每行自己的范围：约 17 和 18 dB，每个权重只多用 0.03 和 0.125 位（表格、“逐通道”图）。</translation>
    </message>
    <message>
        <source>Heavy tails: clipping the range (percentile, MSE-optimal)</source>
        <translation>重尾分布：截断范围（百分位数、MSE 最优）</translation>
    </message>
    <message>
        <source>Student-t weights (3 degrees of freedom) have rare, very large values. Min-max spends INT4&apos;s 16 levels on them, and the bulk gets a step so wide that the SNR is about 1 dB. Clipping at the 99.9th percentile or at the MSE-optimal ratio gives the bulk fine steps: SNR about 9.6 dB, while the clipped few get large errors (Max error). The clip values are the solid lines on the weight chart.</source>
        <translation>Student-t 权重（3 个自由度）偶尔会有非常大的值。最小-最大法把 INT4 的 16 个量化级花在这些值上，主体部分的步长宽得使信噪比只有约 1 dB。在第 99.9 百分位数或 MSE 最优比例处截断，主体就能得到细密的步长：信噪比约 9.6 dB，而被截断的少数值误差很大（最大误差）。截断值是权重图上的实线。</translation>
    </message>
    <message>
        <source>NF4 vs INT4 at 4 bits, blocks of 64</source>
        <translation>4 位下的 NF4 与 INT4，每块 64 个</translation>
    </message>
    <message>
        <source>NF4&apos;s 16 levels (dashed) are quantiles of a normal distribution: dense near 0, where most weights are. With the same absmax scale per 64 weights it beats symmetric INT4 by about 1.4 dB; asymmetric INT4, whose zero point per group costs bits, comes out level with it. MXFP4&apos;s power-of-two scales cost accuracy for speed. Hover a weight in &quot;First weights&quot; to see the levels of its block.</source>
        <translation>NF4 的 16 个量化级（虚线）是正态分布的分位数：在 0 附近密集，而大多数权重正位于那里。每 64 个权重使用相同的 absmax 缩放因子时，它比对称 INT4 高约 1.4 dB；非对称 INT4 每组的零点要占用位数，结果与它持平。MXFP4 的 2 的幂缩放因子以精度换取速度。在“前几个权重”中悬停某个权重，可查看其所在块的量化级。</translation>
    </message>
    <message>
        <source>What scales cost: true bits per weight</source>
        <translation>缩放因子的代价：每个权重的真实位数</translation>
    </message>
    <message>
        <source>Smaller groups follow the weights more closely (SQNR up about 2 dB from per-channel to groups of 128, and again to 32), but every group stores its scale and zero point: 4.04, 4.16 and 4.63 bits per weight. &quot;Bits vs error&quot; puts them next to every other format on the same tensor, with the Pareto front; the Memory chart shows the bytes.</source>
        <translation>组越小，越能贴合权重（从逐通道到每组 128 个，SQNR 约提高 2 dB，到每组 32 个再提高约 2 dB），但每组都要存储自己的缩放因子和零点：每个权重 4.04、4.16 和 4.63 位。“位数与误差”图把它们与同一张量上的其他所有格式放在一起，并画出帕累托前沿；“内存”图显示字节数。</translation>
    </message>
    <message>
        <source>GGUF blocks: Q8_0, Q6_K, Q4_K, Q4_0 (llama.cpp)</source>
        <translation>GGUF 块：Q8_0、Q6_K、Q4_K、Q4_0（llama.cpp）</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s formats, exactly as llama-quantize makes them. Q4_K and Q4_0 both store 4.5 bits per weight, but Q4_K searches each sub-block of 32 for its scale and minimum (kept in 6 bits under fp16 super-block scales) and gains about 1.6 dB; Q6_K and Q8_0 buy accuracy with bits (Bits vs error). The dashed lines are the levels of Q4_K&apos;s block under the weight you hover.</source>
        <translation>llama.cpp 的格式，与 llama-quantize 生成的完全一致。Q4_K 和 Q4_0 每个权重都存储 4.5 位，但 Q4_K 为每个 32 个值的子块搜索缩放因子和最小值（以 6 位存储，外加 fp16 超级块缩放因子），因而高出约 1.6 dB；Q6_K 和 Q8_0 用更多位数换取精度（“位数与误差”）。虚线是鼠标悬停的权重所在 Q4_K 块的量化级。</translation>
    </message>
    <message>
        <source>no example named &apos;%1&apos; (examples: %2)</source>
        <translation>没有名为“%1”的示例（示例：%2）</translation>
    </message>
    <message>
        <source>Which GGUF download? Q2_K to Q6_K and IQ4_XS</source>
        <translation>该下载哪个 GGUF？从 Q2_K 到 Q6_K 以及 IQ4_XS</translation>
    </message>
    <message>
        <source>The files a GGUF model comes in, on LLM-like weights. Each step of the k-quant ladder keeps about one more bit per weight and gains about 6 dB, as INT does: 10.6, 16.4, 22.9, 28.9 and 35.0 dB SQNR at 2.625, 3.44, 4.5, 5.5 and 6.56 bits per weight (for an 8B model, that many GB). IQ4_XS, IQ4_NL&apos;s non-uniform levels with 6-bit block scales, comes within about 0.6 dB of Q4_K for 0.25 fewer bits (Bits vs error). The dashed lines are Q3_K&apos;s 8 levels in the block under the weight you hover.</source>
        <translation>GGUF 模型提供的各种文件，作用在类似 LLM 的权重上。k-quant 阶梯的每一级每个权重大约多保留 1 位，SQNR 约提高 6 dB，与 INT 相同：每权重 2.625、3.44、4.5、5.5 和 6.56 位时 SQNR 分别为 10.6、16.4、22.9、28.9 和 35.0 dB（对 8B 模型，正好是这么多 GB）。IQ4_XS 使用 IQ4_NL 的非均匀级别和 6 位块缩放因子，比 Q4_K 少 0.25 位，SQNR 只低约 0.6 dB（位数与误差）。虚线是鼠标所指权重所在块中 Q3_K 的 8 个级别。</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>%1 M</source>
        <translation>%1 M</translation>
    </message>
    <message>
        <source>%1 k</source>
        <translation>%1 k</translation>
    </message>
    <message>
        <source>Tensor %1 = %2 weights, %3 as FP32</source>
        <translation>张量 %1 = %2 个权重，FP32 占 %3</translation>
    </message>
    <message>
        <source>batch %1</source>
        <translation>批大小 %1</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>scalar</source>
        <translation>标量</translation>
    </message>
    <message>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source> as stored (%1 bytes)</source>
        <translation> 按存储格式（%1 字节）</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s)</source>
        <translation>
            <numerusform>%n 个张量</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Model survey</source>
        <translation>模型概览</translation>
    </message>
    <message>
        <source>Open a model or tensor file</source>
        <translation>打开模型或张量文件</translation>
    </message>
    <message>
        <source>Cannot open the model file</source>
        <translation>无法打开模型文件</translation>
    </message>
    <message>
        <source>%1 (as stored)</source>
        <translation>%1（按存储格式）</translation>
    </message>
    <message numerus="yes">
        <source>Survey finished: %n weight tensor(s)</source>
        <translation>
            <numerusform>概览完成：%n 个权重张量</numerusform>
        </translation>
    </message>
    <message>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>%1 NaN and %2 infinite values left out of every metric and chart</source>
        <translation>%1 个 NaN 和 %2 个无穷值未计入任何指标和图表</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than 16 MiB: not a session file</source>
        <translation>%1 大于 16 MiB：不是会话文件</translation>
    </message>
</context>
<context>
    <name>SurveyPanel</name>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
</context>
<context>
    <name>ql::ui::AnalysisPanel</name>
    <message>
        <source>Error through layers</source>
        <translation>逐层误差</translation>
    </message>
    <message>
        <source>Simulate a stack of layers</source>
        <translation>模拟多层网络</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>Width (d x d)</source>
        <translation>宽度 (d x d)</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Weight std</source>
        <translation>权重标准差</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Draw the levels of</source>
        <translation>绘制量化级别：</translation>
    </message>
    <message>
        <source>Histogram bins</source>
        <translation>直方图分箱数</translation>
    </message>
    <message>
        <source>Sample row</source>
        <translation>示例行</translation>
    </message>
    <message>
        <source>Sample weights</source>
        <translation>示例权重数</translation>
    </message>
    <message>
        <source>Layer output error (X W^T)</source>
        <translation>层输出误差 (X W^T)</translation>
    </message>
    <message>
        <source>Multiply a random batch by the original and the quantized weights and compare (seed notebook 002)</source>
        <translation>用原始权重和量化权重分别乘以一批随机输入并比较（种子笔记本 002）</translation>
    </message>
    <message>
        <source>Per-channel error on a log scale</source>
        <translation>逐通道误差使用对数坐标</translation>
    </message>
    <message>
        <source>configuration %1</source>
        <translation>配置 %1</translation>
    </message>
    <message>
        <source>Compare all formats (Pareto and SNR charts)</source>
        <translation>比较所有格式（帕累托图和信噪比图）</translation>
    </message>
    <message>
        <source>Pareto chart: MSE (log) instead of SQNR</source>
        <translation>帕累托图：用 MSE（对数）代替 SQNR</translation>
    </message>
    <message>
        <source>Also quantize this tensor in every format at its common settings: INT8/INT4, NF4, FP8, FP4, MXFP4, NVFP4, the GGUF blocks and HQQ</source>
        <translation>同时以各格式的常用设置量化此张量：INT8/INT4、NF4、FP8、FP4、MXFP4、NVFP4、GGUF 块格式和 HQQ</translation>
    </message>
    <message>
        <source>Distributions on a log scale</source>
        <translation>分布图使用对数刻度</translation>
    </message>
    <message>
        <source>Draw the weight and error distributions on a logarithmic density axis: rare values (outliers, clipped weights, the tails of the error) show next to the peak</source>
        <translation>以对数密度轴绘制权重分布和误差分布：罕见的值（离群值、被截断的权重、误差的尾部）会与峰值一同显示</translation>
    </message>
</context>
<context>
    <name>ql::ui::AwqLossChart</name>
    <message>
        <source>Ratio (s = mean|x|^ratio; 0 = plain RTN)</source>
        <translation>比例（s = mean|x|^ratio；0 = 普通 RTN）</translation>
    </message>
    <message>
        <source>Loss: mean (XWᵀ − XW&apos;ᵀ)² (output units²)</source>
        <translation>损失：mean (XWᵀ − XW&apos;ᵀ)²（输出单位²）</translation>
    </message>
    <message>
        <source>Tick AWQ among the methods to see this chart</source>
        <translation>在方法中勾选 AWQ 以查看此图</translation>
    </message>
    <message>
        <source>AWQ failed: %1</source>
        <translation>AWQ 失败：%1</translation>
    </message>
    <message>
        <source>No ratios</source>
        <translation>没有比例</translation>
    </message>
    <message>
        <source>Loss at each ratio</source>
        <translation>各比例下的损失</translation>
    </message>
    <message>
        <source>Chosen ratio %1 (lowest loss)</source>
        <translation>选定比例 %1（损失最低）</translation>
    </message>
    <message>
        <source> ratio %1</source>
        <translation> 比例 %1</translation>
    </message>
    <message>
        <source>AWQ: output loss vs scaling ratio</source>
        <translation>AWQ：输出损失与缩放比例</translation>
    </message>
    <message>
        <source>AWQ gives every input channel a scale s = (mean |x|)^ratio: the weights are multiplied by s before quantizing and the inputs divided by s, so channels with large activations get finer weight steps. The curve is the layer&apos;s output error for each ratio from 0 (plain rounding) to 0.95; AWQ keeps the lowest (marked).</source>
        <translation>AWQ 给每个输入通道一个缩放因子 s = (mean |x|)^ratio：量化前权重乘以 s，输入除以 s，于是激活值大的通道得到更细的权重步长。曲线是比例从 0（普通舍入）到 0.95 时该层的输出误差；AWQ 取最低处（已标出）。</translation>
    </message>
    <message>
        <source>Loss (output units²)</source>
        <translation>损失（输出单位²）</translation>
    </message>
</context>
<context>
    <name>ql::ui::AwqScalesChart</name>
    <message>
        <source>AWQ: per-channel scales</source>
        <translation>AWQ：逐通道缩放因子</translation>
    </message>
    <message>
        <source>AWQ: scales s at ratio %1 (W·s, X/s)</source>
        <translation>AWQ：比例 %1 下的缩放因子 s（W·s，X/s）</translation>
    </message>
    <message>
        <source>Input channel j</source>
        <translation>输入通道 j</translation>
    </message>
    <message>
        <source>Scale s_j (log)</source>
        <translation>缩放因子 s_j（对数）</translation>
    </message>
    <message>
        <source>Tick AWQ among the methods to see this chart</source>
        <translation>在方法中勾选 AWQ 以查看此图</translation>
    </message>
    <message>
        <source>AWQ failed: %1</source>
        <translation>AWQ 失败：%1</translation>
    </message>
    <message>
        <source>Mean |x_j| over tokens (log)</source>
        <translation>各 token 的 |x_j| 均值（对数）</translation>
    </message>
    <message>
        <source>Mean |x_j| (right axis)</source>
        <translation>|x_j| 均值（右轴）</translation>
    </message>
    <message>
        <source>Scale s_j</source>
        <translation>缩放因子 s_j</translation>
    </message>
    <message>
        <source>Outlier input channels</source>
        <translation>离群输入通道</translation>
    </message>
    <message>
        <source>The scale s_j of each input channel at the chosen ratio, next to the channel&apos;s mean |x_j|. The weights of channel j are multiplied by s_j before quantization and its inputs divided by s_j: the exact product stays the same, but channels with large inputs get a smaller rounding error relative to their size.</source>
        <translation>所选比例下每个输入通道的缩放因子 s_j，旁边是该通道的 mean |x_j|。通道 j 的权重在量化前乘以 s_j，其输入除以 s_j：精确乘积不变，但输入大的通道相对于自身大小的舍入误差更小。</translation>
    </message>
    <message>
        <source>Mean |x_j| (log)</source>
        <translation>|x_j| 均值（对数）</translation>
    </message>
</context>
<context>
    <name>ql::ui::CalibMethodErrorChart</name>
    <message>
        <source>RTN
INT%1</source>
        <translation>RTN
INT%1</translation>
    </message>
    <message>
        <source>GPTQ
INT%1</source>
        <translation>GPTQ
INT%1</translation>
    </message>
    <message>
        <source>AWQ
INT%1</source>
        <translation>AWQ
INT%1</translation>
    </message>
    <message>
        <source>AWQ + clip
INT%1</source>
        <translation>AWQ + 裁剪
INT%1</translation>
    </message>
    <message>
        <source>SmoothQuant
W8A8
per tensor</source>
        <translation>SmoothQuant
W8A8
逐张量</translation>
    </message>
    <message>
        <source>SmoothQuant
W8A8
per token</source>
        <translation>SmoothQuant
W8A8
逐 token</translation>
    </message>
    <message>
        <source>W8A8
per tensor</source>
        <translation>W8A8
逐张量</translation>
    </message>
    <message>
        <source>W8A8
per token</source>
        <translation>W8A8
逐 token</translation>
    </message>
    <message>
        <source>Layer-output error by method</source>
        <translation>各方法的层输出误差</translation>
    </message>
    <message>
        <source>Layer-output error by method (weight-only INT%1, %2)</source>
        <translation>各方法的层输出误差（仅权重 INT%1，%2）</translation>
    </message>
    <message>
        <source>groups of %1</source>
        <translation>每组 %1 列</translation>
    </message>
    <message>
        <source>one group per row</source>
        <translation>每行一组</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Relative output error (log)
||XWᵀ - XWqᵀ||² / ||XWᵀ||²</source>
        <translation>相对输出误差（对数）
||XWᵀ - XWqᵀ||² / ||XWᵀ||²</translation>
    </message>
    <message>
        <source>Relative output error
||XWᵀ - XWqᵀ||² / ||XWᵀ||²</source>
        <translation>相对输出误差
||XWᵀ - XWqᵀ||² / ||XWᵀ||²</translation>
    </message>
    <message>
        <source>No method ran</source>
        <translation>没有运行任何方法</translation>
    </message>
    <message>
        <source>%1
relative output error %2
output MSE %3
weight MSE %4
time %5 s</source>
        <translation>%1
相对输出误差 %2
输出 MSE %3
权重 MSE %4
用时 %5 秒</translation>
    </message>
    <message>
        <source>The error each method leaves in the layer&apos;s output on the calibration inputs X: ||X W^T - X Wq^T||^2 / ||X W^T||^2, lower is better. RTN rounds every weight on its own; GPTQ and AWQ use the inputs to decide how to round or scale, so at the same bits they usually leave less output error. The W8A8 bars quantize the activations too, with and without SmoothQuant.</source>
        <translation>各方法在校准输入 X 上给该层输出留下的误差：||X W^T - X Wq^T||^2 / ||X W^T||^2，越低越好。RTN 对每个权重单独舍入；GPTQ 和 AWQ 利用输入来决定如何舍入或缩放，因此在相同位数下通常留下更小的输出误差。W8A8 柱同时量化激活值，分别有无 SmoothQuant。</translation>
    </message>
    <message>
        <source>Relative error (log)</source>
        <translation>相对误差（对数）</translation>
    </message>
    <message>
        <source>Relative error</source>
        <translation>相对误差</translation>
    </message>
</context>
<context>
    <name>ql::ui::CalibrationChart</name>
    <message>
        <source>Run the calibration to see this chart</source>
        <translation>运行校准以查看此图</translation>
    </message>
    <message>
        <source>The calibration could not run:
%1</source>
        <translation>校准无法运行：
%1</translation>
    </message>
</context>
<context>
    <name>ql::ui::CalibrationView</name>
    <message>
        <source>RTN (round to nearest)</source>
        <translation>RTN（就近取整）</translation>
    </message>
    <message>
        <source>GPTQ</source>
        <translation>GPTQ</translation>
    </message>
    <message>
        <source>AWQ</source>
        <translation>AWQ</translation>
    </message>
    <message>
        <source>AWQ + clip</source>
        <translation>AWQ + 裁剪</translation>
    </message>
    <message>
        <source>SmoothQuant W8A8 (and plain W8A8)</source>
        <translation>SmoothQuant W8A8（及普通 W8A8）</translation>
    </message>
    <message>
        <source>Layer: weights W and activations X</source>
        <translation>层：权重 W 与激活 X</translation>
    </message>
    <message>
        <source>Generated layer</source>
        <translation>生成的层</translation>
    </message>
    <message>
        <source>W.npy + X.npy files</source>
        <translation>W.npy + X.npy 文件</translation>
    </message>
    <message>
        <source>W.npy + generated activations</source>
        <translation>W.npy + 生成的激活</translation>
    </message>
    <message>
        <source>Current tensor + generated activations</source>
        <translation>当前张量 + 生成的激活</translation>
    </message>
    <message>
        <source>Where W (out x in) and X (tokens x in) come from</source>
        <translation>W（输出 x 输入）和 X（token x 输入）的来源</translation>
    </message>
    <message>
        <source>...</source>
        <translation>...</translation>
    </message>
    <message>
        <source>Choose a .npy file</source>
        <translation>选择 .npy 文件</translation>
    </message>
    <message>
        <source>Weights W</source>
        <translation>权重 W</translation>
    </message>
    <message>
        <source>W.npy, [out, in]</source>
        <translation>W.npy，[输出, 输入]</translation>
    </message>
    <message>
        <source>X.npy, [tokens, in]</source>
        <translation>X.npy，[token, 输入]</translation>
    </message>
    <message>
        <source>Activations X</source>
        <translation>激活 X</translation>
    </message>
    <message>
        <source>Output features: rows of W</source>
        <translation>输出特征数：W 的行数</translation>
    </message>
    <message>
        <source>Input features: columns of W and of X</source>
        <translation>输入特征数：W 和 X 的列数</translation>
    </message>
    <message>
        <source>Output features</source>
        <translation>输出特征数</translation>
    </message>
    <message>
        <source>Input features</source>
        <translation>输入特征数</translation>
    </message>
    <message>
        <source>Calibration tokens: rows of X</source>
        <translation>校准 token 数：X 的行数</translation>
    </message>
    <message>
        <source>The same seed gives the same layer on every machine</source>
        <translation>相同的种子在任何机器上生成相同的层</translation>
    </message>
    <message>
        <source>Input channels of X scaled 20-100x, as measured in LLMs (SmoothQuant, LLM.int8())</source>
        <translation>X 中放大 20-100 倍的输入通道，与在大语言模型中测得的一致（SmoothQuant、LLM.int8()）</translation>
    </message>
    <message>
        <source>Share of each activation&apos;s variance from a shared low-rank mixing. 0: independent channels, H nearly diagonal, and GPTQ barely beats RTN</source>
        <translation>每个激活的方差中来自共享低秩混合的比例。0：通道相互独立，H 接近对角，GPTQ 几乎不优于 RTN</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Outlier channels</source>
        <translation>离群通道数</translation>
    </message>
    <message>
        <source>Channel correlation</source>
        <translation>通道相关性</translation>
    </message>
    <message>
        <source>Weight-only INT (RTN, GPTQ, AWQ)</source>
        <translation>仅权重 INT（RTN、GPTQ、AWQ）</translation>
    </message>
    <message>
        <source> bits</source>
        <translation> 位</translation>
    </message>
    <message>
        <source>Asymmetric INT-b: one scale and integer zero point per output row and group of input columns</source>
        <translation>非对称 INT-b：每个输出行的每组输入列有一个缩放因子和整数零点</translation>
    </message>
    <message>
        <source>%1 columns</source>
        <translation>%1 列</translation>
    </message>
    <message>
        <source>one group per row</source>
        <translation>每行一组</translation>
    </message>
    <message>
        <source>GPTQ act-order (largest H_jj first)</source>
        <translation>GPTQ act-order（H_jj 最大者优先）</translation>
    </message>
    <message>
        <source>GPTQ dampening: percdamp x mean(diag H) is added to the diagonal of H</source>
        <translation>GPTQ 阻尼：在 H 的对角线上加 percdamp x mean(diag H)</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Group size</source>
        <translation>分组大小</translation>
    </message>
    <message>
        <source>GPTQ percdamp</source>
        <translation>GPTQ percdamp</translation>
    </message>
    <message>
        <source>SmoothQuant W8A8</source>
        <translation>SmoothQuant W8A8</translation>
    </message>
    <message>
        <source>Migration strength: s_j = max|X_j|^alpha / max|W_j|^(1 - alpha). 0 leaves the weights unchanged</source>
        <translation>迁移强度：s_j = max|X_j|^alpha / max|W_j|^(1 - alpha)。0 时权重不变</translation>
    </message>
    <message>
        <source>alpha = %1: share of the outliers moved into W</source>
        <translation>alpha = %1：迁移到 W 中的离群值比例</translation>
    </message>
    <message>
        <source>Methods to run</source>
        <translation>要运行的方法</translation>
    </message>
    <message>
        <source>Log scale on the comparison</source>
        <translation>对比图使用对数坐标</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run the chosen methods on this layer (any change also re-runs them)</source>
        <translation>在此层上运行所选方法（任何更改也会重新运行）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export all calibration charts...</source>
        <translation>导出所有校准图表...</translation>
    </message>
    <message>
        <source>Every calibration chart as PNG, SVG and PDF, and the report as JSON, into one folder</source>
        <translation>将每个校准图表导出为 PNG、SVG 和 PDF，并将报告导出为 JSON，存入同一文件夹</translation>
    </message>
    <message>
        <source>SmoothQuant</source>
        <translation>SmoothQuant</translation>
    </message>
    <message>
        <source>Tick at least one method.</source>
        <translation>请至少勾选一种方法。</translation>
    </message>
    <message>
        <source>Choose the .npy file(s) of the layer.</source>
        <translation>请选择该层的 .npy 文件。</translation>
    </message>
    <message>
        <source>The main window has no tensor yet.</source>
        <translation>主窗口还没有张量。</translation>
    </message>
    <message>
        <source>Running...</source>
        <translation>正在运行...</translation>
    </message>
    <message>
        <source>Cancelled; the charts show the last finished run.</source>
        <translation>已取消；图表显示上一次完成的运行。</translation>
    </message>
    <message>
        <source>Cannot run: %1</source>
        <translation>无法运行：%1</translation>
    </message>
    <message>
        <source>%1: W %2 x %3, X %4 tokens</source>
        <translation>%1：W %2 x %3，X %4 个 token</translation>
    </message>
    <message>
        <source>; outlier input channels %1</source>
        <translation>；离群输入通道 %1</translation>
    </message>
    <message>
        <source>Done in %1 s.</source>
        <translation>用时 %1 秒完成。</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>Calibration: GPTQ, AWQ, SmoothQuant</source>
        <translation>校准：GPTQ、AWQ、SmoothQuant</translation>
    </message>
    <message>
        <source>Export every calibration chart and the report into</source>
        <translation>将所有校准图表和报告导出到</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n file(s) to %1</source>
        <translation>
            <numerusform>已将 %n 个文件写入 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>GPTQ vs RTN</source>
        <translation>GPTQ 与 RTN</translation>
    </message>
</context>
<context>
    <name>ql::ui::ChannelErrorChart</name>
    <message>
        <source>Per-channel error</source>
        <translation>逐通道误差</translation>
    </message>
    <message>
        <source>Output channel (row)</source>
        <translation>输出通道（行）</translation>
    </message>
    <message>
        <source>MSE of the row (log)</source>
        <translation>该行的 MSE（对数）</translation>
    </message>
    <message>
        <source>MSE of the row</source>
        <translation>该行的 MSE</translation>
    </message>
    <message>
        <source>No per-channel error yet</source>
        <translation>尚无逐通道误差</translation>
    </message>
    <message>
        <source>The mean squared error of each output channel (row). With one scale for the whole tensor, a few rows of large weights (LLM-like rows) set the range and every other row gets a coarse grid; a scale per channel or per group gives each row its own range, and the errors level out.</source>
        <translation>每个输出通道（行）的均方误差。整个张量只用一个缩放因子时，少数权重较大的行（类 LLM 行）决定了范围，其他各行只得到很粗的网格；按通道或按组的缩放因子让每行有自己的范围，误差随之变得均匀。</translation>
    </message>
    <message>
        <source>%1: 1 row with infinite error, not drawn</source>
        <translation>%1：1 行误差为无穷大，未绘出</translation>
    </message>
    <message>
        <source>%1: %2 rows with infinite error, not drawn</source>
        <translation>%1：%2 行误差为无穷大，未绘出</translation>
    </message>
</context>
<context>
    <name>ql::ui::ChartView</name>
    <message>
        <source>Reset view</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>Export as PNG...</source>
        <translation>导出为 PNG...</translation>
    </message>
    <message>
        <source>Export as JPG...</source>
        <translation>导出为 JPG...</translation>
    </message>
    <message>
        <source>Export as PDF (vector)...</source>
        <translation>导出为 PDF（矢量）...</translation>
    </message>
    <message>
        <source>Export as SVG (vector)...</source>
        <translation>导出为 SVG（矢量）...</translation>
    </message>
    <message>
        <source>image size %1x%2 is too large (at most 20000 pixels a side)</source>
        <translation>图像尺寸 %1x%2 太大（每边最多 20000 像素）</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>could not render %1</source>
        <translation>无法渲染 %1</translation>
    </message>
    <message>
        <source>Log scale (both distributions)</source>
        <translation>对数刻度（两个分布图）</translation>
    </message>
</context>
<context>
    <name>ql::ui::ConfigPanel</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Colour...</source>
        <translation>颜色...</translation>
    </message>
    <message>
        <source>Add a configuration (Ctrl+N)</source>
        <translation>添加一个配置 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Duplicate the selected configuration (Ctrl+Shift+D)</source>
        <translation>复制所选配置 (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Remove the selected configuration</source>
        <translation>删除所选配置</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>INT (uniform integer)</source>
        <translation>INT（均匀整数）</translation>
    </message>
    <message>
        <source>HQQ (INT, zero point optimised)</source>
        <translation>HQQ（INT，零点优化）</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Asymmetric (zero point)</source>
        <translation>非对称（零点）</translation>
    </message>
    <message>
        <source>Symmetric</source>
        <translation>对称</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Per tensor</source>
        <translation>逐张量</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <source>Per group</source>
        <translation>逐组</translation>
    </message>
    <message>
        <source>Granularity</source>
        <translation>粒度</translation>
    </message>
    <message>
        <source>Channel axis: 0 = output channels (rows)</source>
        <translation>通道轴：0 = 输出通道（行）</translation>
    </message>
    <message>
        <source>Channel axis</source>
        <translation>通道轴</translation>
    </message>
    <message>
        <source>Group size</source>
        <translation>组大小</translation>
    </message>
    <message>
        <source>format default</source>
        <translation>格式默认值</translation>
    </message>
    <message>
        <source>Block size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <source>Auto (fp16 per group, else fp32)</source>
        <translation>自动（逐组用 fp16，否则 fp32）</translation>
    </message>
    <message>
        <source>Scale stored as</source>
        <translation>缩放因子存储为</translation>
    </message>
    <message>
        <source>Min-max</source>
        <translation>最小-最大值</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>百分位数</translation>
    </message>
    <message>
        <source>MSE-optimal clipping</source>
        <translation>MSE 最优截断</translation>
    </message>
    <message>
        <source>KL divergence (entropy)</source>
        <translation>KL 散度（熵）</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message numerus="yes">
        <source>%n bit(s)</source>
        <translation>
            <numerusform>%n 位</numerusform>
        </translation>
    </message>
    <message>
        <source>Colour of %1</source>
        <translation>%1 的颜色</translation>
    </message>
    <message>
        <source>Uniform integer levels, 2-8 bits: a scale (and, asymmetric, a zero point) per tensor, channel or group, as PyTorch&apos;s fake quantization computes them.</source>
        <translation>均匀整数量化级，2-8 位：每个张量、通道或组一个缩放因子（非对称时还有一个零点），按 PyTorch 伪量化的方式计算。</translation>
    </message>
    <message>
        <source>NormalFloat4 (bitsandbytes, QLoRA): 16 levels at quantiles of a normal distribution, scaled by each block&apos;s absmax (fp32, blocks of 64): 4.5 bits per weight.</source>
        <translation>NormalFloat4（bitsandbytes、QLoRA）：16 个量化级位于正态分布的分位点上，按每块的绝对值最大值缩放（fp32，每块 64 个）：每权重 4.5 位。</translation>
    </message>
    <message>
        <source>NF4 with double quantization (QLoRA): the blocks&apos; absmax values are themselves quantized to 8 bits in blocks of 256: about 4.127 bits per weight.</source>
        <translation>带双重量化的 NF4（QLoRA）：各块的绝对值最大值本身再按每块 256 个量化为 8 位：每权重约 4.127 位。</translation>
    </message>
    <message>
        <source>8-bit float (OCP E4M3): 4 exponent and 3 mantissa bits, largest value 448, no infinities; scaled so that the largest |x| maps to 448. Levels are dense near 0 and coarse far from it.</source>
        <translation>8 位浮点（OCP E4M3）：4 位指数、3 位尾数，最大值 448，无无穷大；缩放使最大的 |x| 映射到 448。量化级在 0 附近密集，远离 0 处稀疏。</translation>
    </message>
    <message>
        <source>8-bit float (OCP E5M2): 5 exponent and 2 mantissa bits, largest value 57344: more range and less precision than E4M3.</source>
        <translation>8 位浮点（OCP E5M2）：5 位指数、2 位尾数，最大值 57344：比 E4M3 范围更大、精度更低。</translation>
    </message>
    <message>
        <source>4-bit float E2M1: the magnitudes 0, 0.5, 1, 1.5, 2, 3, 4 and 6 with a sign, and an fp32 scale per tensor or block.</source>
        <translation>4 位浮点 E2M1：幅值 0、0.5、1、1.5、2、3、4 和 6 加上符号，每个张量或块一个 fp32 缩放因子。</translation>
    </message>
    <message>
        <source>OCP Microscaling MXFP4: E2M1 values sharing a power-of-two (E8M0) scale per block of 32: 4.25 bits per weight.</source>
        <translation>OCP 微缩放 MXFP4：E2M1 值，每块 32 个共享一个 2 的幂（E8M0）缩放因子：每权重 4.25 位。</translation>
    </message>
    <message>
        <source>NVIDIA NVFP4: E2M1 values with an FP8 (E4M3) scale per block of 16 and an fp32 scale per tensor: 4.5 bits per weight.</source>
        <translation>NVIDIA NVFP4：E2M1 值，每块 16 个一个 FP8（E4M3）缩放因子，每个张量一个 fp32 缩放因子：每权重 4.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q8_0 (llama.cpp): 8-bit integers with an fp16 scale per block of 32: 8.5 bits per weight.</source>
        <translation>GGUF Q8_0（llama.cpp）：8 位整数，每块 32 个一个 fp16 缩放因子：每权重 8.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q4_0 (llama.cpp): 4-bit integers -8..7 times an fp16 scale per block of 32, the scale chosen so that the block&apos;s largest-magnitude value lands on -8: 4.5 bits per weight.</source>
        <translation>GGUF Q4_0（llama.cpp）：4 位整数 -8..7 乘以每块 32 个一个的 fp16 缩放因子，缩放因子的选取使块中绝对值最大的值正好落在 -8：每权重 4.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q4_1 (llama.cpp): 4-bit integers with an fp16 scale and an fp16 minimum per block of 32: 5 bits per weight.</source>
        <translation>GGUF Q4_1（llama.cpp）：4 位整数，每块 32 个一个 fp16 缩放因子和一个 fp16 最小值：每权重 5 位。</translation>
    </message>
    <message>
        <source>GGUF Q5_0 (llama.cpp): 5-bit integers with an fp16 scale per block of 32: 5.5 bits per weight.</source>
        <translation>GGUF Q5_0（llama.cpp）：5 位整数，每块 32 个一个 fp16 缩放因子：每权重 5.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q4_K (llama.cpp k-quant): super-blocks of 256 values in 8 sub-blocks of 32, each with a 6-bit scale and minimum found by a search, under an fp16 scale and minimum: 4.5 bits per weight.</source>
        <translation>GGUF Q4_K（llama.cpp k-quant）：每个超级块 256 个值，分为 8 个 32 值子块，每个子块有通过搜索得到的 6 位缩放因子和最小值，其上还有 fp16 缩放因子和最小值：每权重 4.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q6_K (llama.cpp k-quant): 6-bit integers, 16 sub-blocks of 16 with 8-bit scales under an fp16 scale per super-block of 256: 6.5625 bits per weight.</source>
        <translation>GGUF Q6_K（llama.cpp k-quant）：6 位整数，每个 256 值超级块分为 16 个 16 值子块，各有 8 位缩放因子，其上还有一个 fp16 缩放因子：每权重 6.5625 位。</translation>
    </message>
    <message>
        <source>GGUF IQ4_NL (llama.cpp): 4-bit codes into a fixed non-linear table of 16 levels, with an fp16 scale per block of 32 found by a search: 4.5 bits per weight.</source>
        <translation>GGUF IQ4_NL（llama.cpp）：4 位代码指向一个固定的 16 级非线性表，每块 32 个一个通过搜索得到的 fp16 缩放因子：每权重 4.5 位。</translation>
    </message>
    <message>
        <source>Half-quadratic quantization (HQQ): integer codes with an fp16 scale and zero point per group of 64, the zero point optimised by a solver without calibration data: 4.5 bits per weight at 4 bits.</source>
        <translation>半二次量化（HQQ）：整数代码，每组 64 个一个 fp16 缩放因子和零点，零点由求解器优化，无需校准数据：4 位时每权重 4.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q5_K (llama.cpp k-quant): Q4_K with 5-bit codes: super-blocks of 256 values in 8 sub-blocks of 32, each with a 6-bit scale and minimum found by a search, under an fp16 scale and minimum: 5.5 bits per weight.</source>
        <translation>GGUF Q5_K（llama.cpp k-quant）：使用 5 位编码的 Q4_K：每个超级块 256 个值，分为 8 个 32 值子块，每个子块有通过搜索得到的 6 位缩放因子和最小值，其上还有 fp16 缩放因子和最小值：每权重 5.5 位。</translation>
    </message>
    <message>
        <source>GGUF Q2_K (llama.cpp k-quant): 2-bit integers in 16 sub-blocks of 16, each with a 4-bit scale and minimum found by a search for the least absolute error, under an fp16 scale and minimum per super-block of 256: 2.625 bits per weight.</source>
        <translation>GGUF Q2_K（llama.cpp k-quant）：2 位整数，分为 16 个 16 值子块，每个子块有通过搜索（最小绝对误差）得到的 4 位缩放因子和最小值，每个 256 值超级块另有 fp16 缩放因子和最小值：每权重 2.625 位。</translation>
    </message>
    <message>
        <source>GGUF Q3_K (llama.cpp k-quant): 3-bit integers -4..3 in 16 sub-blocks of 16, each with a signed 6-bit scale found by a search, under an fp16 scale per super-block of 256: 3.4375 bits per weight.</source>
        <translation>GGUF Q3_K（llama.cpp k-quant）：-4..3 的 3 位整数，分为 16 个 16 值子块，每个子块有通过搜索得到的带符号 6 位缩放因子，每个 256 值超级块另有 fp16 缩放因子：每权重 3.4375 位。</translation>
    </message>
    <message>
        <source>GGUF IQ4_XS (llama.cpp): IQ4_NL&apos;s table of 16 levels, the scale of each block of 32 found by the same search and stored in 6 bits under an fp16 scale per super-block of 256: 4.25 bits per weight.</source>
        <translation>GGUF IQ4_XS（llama.cpp）：使用 IQ4_NL 的 16 级查找表，每个 32 值块的缩放因子由同样的搜索得到并以 6 位存储，每个 256 值超级块另有 fp16 缩放因子：每权重 4.25 位。</translation>
    </message>
</context>
<context>
    <name>ql::ui::DecodeTokensChart</name>
    <message>
        <source>Estimated decode speed</source>
        <translation>估计的解码速度</translation>
    </message>
    <message>
        <source>Estimated decode speed of a %1-billion-parameter model (bandwidth / bytes per token)</source>
        <translation>%1 十亿参数模型的估计解码速度（带宽 / 每个 token 的字节数）</translation>
    </message>
    <message>
        <source>Device (memory bandwidth)</source>
        <translation>设备（内存带宽）</translation>
    </message>
    <message>
        <source>Tokens per second (log scale)</source>
        <translation>每秒 token 数（对数坐标）</translation>
    </message>
    <message>
        <source>No estimate yet</source>
        <translation>尚无估计</translation>
    </message>
    <message>
        <source> (measured)</source>
        <translation>（实测）</translation>
    </message>
    <message>
        <source>seed 004, 7B %1: %2 tokens/s</source>
        <translation>种子 004，7B %1：每秒 %2 个 token</translation>
    </message>
    <message>
        <source>%1: %2 GB/s%3</source>
        <translation>%1：%2 GB/s%3</translation>
    </message>
    <message>
        <source> (measured read)</source>
        <translation>（实测读取）</translation>
    </message>
    <message>
        <source> (catalog peak)</source>
        <translation>（目录峰值）</translation>
    </message>
    <message>
        <source>
%1: %2 tokens/s (%3 GB per token)</source>
        <translation>
%1：每秒 %2 个 token（每个 token %3 GB）</translation>
    </message>
    <message>
        <source>Tokens per second a model decodes at batch 1, estimated as memory bandwidth / bytes read per token (every weight once, plus the KV cache when set), for each GPU of the catalog and this CPU&apos;s measured read speed. Halving the bits per weight roughly doubles the tokens per second. Dashed: the figures the seed notebook claims for a 7B model.</source>
        <translation>模型在批大小 1 时每秒解码的词元数，按 内存带宽 / 每个词元读取的字节数（每个权重读一次，设置了 KV 缓存时再加上它）估算，覆盖目录中的每块 GPU 和本机 CPU 实测的读取速度。每权重位数减半，每秒词元数大约翻倍。虚线：种子笔记本对 7B 模型声称的数值。</translation>
    </message>
</context>
<context>
    <name>ql::ui::ErrorDistributionChart</name>
    <message>
        <source>Quantization error distribution</source>
        <translation>量化误差分布</translation>
    </message>
    <message>
        <source>Quantization error (dequantized - original)</source>
        <translation>量化误差（反量化值 - 原始值）</translation>
    </message>
    <message>
        <source>Probability density</source>
        <translation>概率密度</translation>
    </message>
    <message>
        <source>Add a configuration to see its error</source>
        <translation>添加一个配置以查看其误差</translation>
    </message>
    <message>
        <source>Quantization error = dequantized - original, for every weight. Rounding to the nearest level keeps each error within half a step (scale / 2), so with evenly spaced levels the errors spread almost evenly over [-scale/2, scale/2], and each extra bit halves that width. Values clipped at the ends of the range add tails. Unevenly spaced levels (NF4, FP8, FP4) give small weights small errors and large weights large ones, so their errors pile up at 0; HQQ&apos;s solver moves the zero point to make most errors small at the cost of a few larger ones.</source>
        <translation>量化误差 = 反量化值 - 原始值，对每个权重计算。舍入到最近的量化级使每个误差不超过半个步长（scale / 2），因此量化级均匀分布时，误差几乎均匀地分布在 [-scale/2, scale/2] 上，每多一位宽度减半。在范围两端被截断的值形成拖尾。量化级分布不均匀的格式（NF4、FP8、FP4）让小权重误差小、大权重误差大，所以误差集中在 0 附近；HQQ 的求解器移动零点，使大多数误差变小，代价是少数误差变大。</translation>
    </message>
    <message>
        <source>Probability density (log)</source>
        <translation>概率密度（对数）</translation>
    </message>
    <message>
        <source>Density (log)</source>
        <translation>密度（对数）</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
</context>
<context>
    <name>ql::ui::ExportOptionsDialog</name>
    <message>
        <source>Export every chart</source>
        <translation>导出所有图表</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source> px / pt</source>
        <translation> 像素 / 点</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source> dpi</source>
        <translation> dpi</translation>
    </message>
    <message>
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>PNG and JPG: pixels, with the resolution recorded for slides and print. PDF and SVG: vector pages of that many points.</source>
        <translation>PNG 与 JPG：像素，并记录分辨率，供幻灯片和打印使用。PDF 与 SVG：相同点数的矢量页面。</translation>
    </message>
</context>
<context>
    <name>ql::ui::GptqColumnErrorChart</name>
    <message>
        <source>Column, in quantization order (act-order: largest H_jj first)</source>
        <translation>列（按量化顺序；act-order：H_jj 最大者优先）</translation>
    </message>
    <message>
        <source>Column, in quantization order</source>
        <translation>列（按量化顺序）</translation>
    </message>
    <message>
        <source>Column loss Σ (w − q)² / U_jj² / 2 (log)</source>
        <translation>列损失 Σ (w − q)² / U_jj² / 2（对数）</translation>
    </message>
    <message>
        <source>Tick GPTQ among the methods to see this chart</source>
        <translation>在方法中勾选 GPTQ 以查看此图</translation>
    </message>
    <message>
        <source>GPTQ failed: %1</source>
        <translation>GPTQ 失败：%1</translation>
    </message>
    <message>
        <source>No columns</source>
        <translation>没有列</translation>
    </message>
    <message>
        <source>Loss of each column</source>
        <translation>每列的损失</translation>
    </message>
    <message>
        <source>Cumulative loss (GPTQ&apos;s Losses summed)</source>
        <translation>累计损失（GPTQ 的 Losses 之和）</translation>
    </message>
    <message>
        <source>Cumulative loss (right axis), total %1</source>
        <translation>累计损失（右轴），总计 %1</translation>
    </message>
    <message>
        <source>GPTQ: error per column as quantization proceeds</source>
        <translation>GPTQ：量化过程中每列的误差</translation>
    </message>
    <message>
        <source>GPTQ quantizes the weight matrix one column (input channel) at a time, in the order shown (with act-order, the inputs with the largest H_jj first). After each column it spreads that column&apos;s rounding error over the columns not yet quantized, through the inverse Hessian, so the later columns make up for it. The thin line is each column&apos;s loss, the thick one the running total (right axis): jumps mark the columns whose inputs are large.</source>
        <translation>GPTQ 按所示顺序一次量化权重矩阵的一列（一个输入通道）（启用 act-order 时，H_jj 最大的输入先量化）。每量化一列，它就通过逆 Hessian 把该列的舍入误差分摊到尚未量化的列上，由后面的列来弥补。细线是每列的损失，粗线是累计总和（右轴）：跳变处是输入较大的列。</translation>
    </message>
    <message>
        <source>Column loss</source>
        <translation>列损失</translation>
    </message>
    <message>
        <source>Cumulative loss</source>
        <translation>累计损失</translation>
    </message>
</context>
<context>
    <name>ql::ui::GptqHessianChart</name>
    <message>
        <source>Input channel j</source>
        <translation>输入通道 j</translation>
    </message>
    <message>
        <source>H_jj = 2/n Σ_t x_tj² (log)</source>
        <translation>H_jj = 2/n Σ_t x_tj²（对数）</translation>
    </message>
    <message>
        <source>Tick GPTQ among the methods to see this chart</source>
        <translation>在方法中勾选 GPTQ 以查看此图</translation>
    </message>
    <message>
        <source>GPTQ failed: %1</source>
        <translation>GPTQ 失败：%1</translation>
    </message>
    <message>
        <source>Hessian diagonal H_jj</source>
        <translation>Hessian 对角线 H_jj</translation>
    </message>
    <message>
        <source>Outlier input channels (x20-100)</source>
        <translation>离群输入通道（x20-100）</translation>
    </message>
    <message>
        <source>GPTQ: Hessian diagonal (which inputs matter)</source>
        <translation>GPTQ：Hessian 对角线（哪些输入重要）</translation>
    </message>
    <message>
        <source>The diagonal of the Hessian H = 2/n X^T X of the layer&apos;s squared output error, one value per input channel: H_jj = 2/n sum_t x_tj^2, twice the mean square of that input. An error in a weight of channel j costs in proportion to H_jj, so channels with large inputs matter most; GPTQ&apos;s act-order quantizes them first, while there are the most columns left to absorb their error.</source>
        <translation>该层输出平方误差的 Hessian 矩阵 H = 2/n X^T X 的对角线，每个输入通道一个值：H_jj = 2/n sum_t x_tj^2，即该输入均方值的两倍。通道 j 中一个权重的误差，其代价与 H_jj 成正比，所以输入大的通道最重要；GPTQ 的 act-order 先量化它们，此时剩下最多的列来吸收其误差。</translation>
    </message>
</context>
<context>
    <name>ql::ui::GptqWeightErrorChart</name>
    <message>
        <source>Column, in quantization order (act-order: largest H_jj first)</source>
        <translation>列（按量化顺序；act-order：H_jj 最大者优先）</translation>
    </message>
    <message>
        <source>Column, in quantization order</source>
        <translation>列（按量化顺序）</translation>
    </message>
    <message>
        <source>Σ over rows of (W − Q)² (log)</source>
        <translation>各行 (W − Q)² 之和（对数）</translation>
    </message>
    <message>
        <source>Tick GPTQ among the methods to see this chart</source>
        <translation>在方法中勾选 GPTQ 以查看此图</translation>
    </message>
    <message>
        <source>GPTQ failed: %1</source>
        <translation>GPTQ 失败：%1</translation>
    </message>
    <message>
        <source>No columns</source>
        <translation>没有列</translation>
    </message>
    <message>
        <source>RTN, total %1</source>
        <translation>RTN，合计 %1</translation>
    </message>
    <message>
        <source>GPTQ, total %1 (yet the lower output error)</source>
        <translation>GPTQ，合计 %1（但输出误差更低）</translation>
    </message>
    <message>
        <source>GPTQ vs RTN: weight error per column</source>
        <translation>GPTQ 与 RTN：每列的权重误差</translation>
    </message>
    <message>
        <source>The squared weight error of each column, summed over the rows, for GPTQ and for plain rounding (RTN), in GPTQ&apos;s order. GPTQ&apos;s weight error is not smaller, often larger: it changes later weights on purpose to cancel earlier rounding errors in the layer&apos;s output, and the output error (the method chart) is what it lowers.</source>
        <translation>GPTQ 与普通舍入（RTN）在每列上的权重平方误差（按行求和），按 GPTQ 的顺序排列。GPTQ 的权重误差并不更小，往往更大：它有意改变后面的权重，以抵消前面的舍入误差在该层输出中的影响，它降低的是输出误差（见方法对比图）。</translation>
    </message>
</context>
<context>
    <name>ql::ui::GpuFitChart</name>
    <message>
        <source>Which GPUs does the model fit?</source>
        <translation>模型能装进哪些 GPU？</translation>
    </message>
    <message>
        <source>Which GPUs does a %1-billion-parameter model fit?</source>
        <translation>%1 十亿参数的模型能装进哪些 GPU？</translation>
    </message>
    <message>
        <source>Format (bits per weight)</source>
        <translation>格式（每个权重的位数）</translation>
    </message>
    <message>
        <source>Memory (GB, 10^9 bytes)</source>
        <translation>内存（GB，10^9 字节）</translation>
    </message>
    <message>
        <source>Choose a model size and GPUs</source>
        <translation>请选择模型大小和 GPU</translation>
    </message>
    <message>
        <source>fits every chosen GPU</source>
        <translation>所有选中的 GPU 都装得下</translation>
    </message>
    <message>
        <source>fits some</source>
        <translation>部分装得下</translation>
    </message>
    <message>
        <source>fits none</source>
        <translation>都装不下</translation>
    </message>
    <message>
        <source>%1: %2 GiB, %3 GB usable</source>
        <translation>%1：%2 GiB，可用 %3 GB</translation>
    </message>
    <message>
        <source>%1 at %2 bits per weight: %3</source>
        <translation>%1，每个权重 %2 位：%3</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>装得下</translation>
    </message>
    <message>
        <source>does not fit</source>
        <translation>装不下</translation>
    </message>
    <message>
        <source>%1: %2 (%3% of usable memory)</source>
        <translation>%1：%2（占可用内存的 %3%）</translation>
    </message>
    <message>
        <source>The memory a model of the chosen size needs in each format (its weights, and the KV cache when set), against the usable memory of each chosen GPU (the lines: its memory less the headroom). A bar below a line fits that GPU. Each configuration counts its bits per weight on the model&apos;s own matrices (hidden x hidden for a preset): there the rows are whole blocks and a scale per row spreads over the hidden size, so INT4 per channel costs 4.009 bits on a 7B model&apos;s rows of 4096 even where this tensor&apos;s short rows make it 4.375. GB = 10^9 bytes and GiB = 2^30 bytes: a 7B model in FP16 needs 14.0 GB = 13.04 GiB.</source>
        <translation>所选规模的模型在各格式下所需的内存（权重，设置了 KV 缓存时再加上它），与每块所选 GPU 的可用内存（横线：显存减去预留空间）对比。柱子低于某条横线，即可放入该 GPU。每个配置按模型自身矩阵上的每权重比特数计算（预设模型取 hidden x hidden）：那里的行都是整块，每行一个的缩放分摊到 hidden 个权重上，所以逐通道 INT4 在 7B 模型 4096 长的行上只需 4.009 比特，即使当前张量的短行让它达到 4.375。GB = 10^9 字节，GiB = 2^30 字节：7B 模型在 FP16 下需要 14.0 GB = 13.04 GiB。</translation>
    </message>
</context>
<context>
    <name>ql::ui::GpuFitPanel</name>
    <message>
        <source>Custom size</source>
        <translation>自定义大小</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source> billion parameters</source>
        <translation> 十亿参数</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPU</translation>
    </message>
    <message>
        <source>Memory kept free for activations, CUDA context and fragmentation</source>
        <translation>为激活值、CUDA 上下文和碎片预留的显存</translation>
    </message>
    <message>
        <source>Headroom</source>
        <translation>预留空间</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Add the KV cache of this many tokens (needs a model preset)</source>
        <translation>加上这么多 token 的 KV 缓存（需要模型预设）</translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
</context>
<context>
    <name>ql::ui::LayerErrorChart</name>
    <message>
        <source>Error accumulation through layers</source>
        <translation>误差逐层累积</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Relative output error ||h - h_q|| / ||h|| (log)</source>
        <translation>相对输出误差 ||h - h_q|| / ||h||（对数）</translation>
    </message>
    <message>
        <source>Turn on the layer simulation to see error accumulate</source>
        <translation>打开多层模拟以查看误差累积</translation>
    </message>
    <message>
        <source>A random input passes through a stack of random layers (Setup: layers, width, activation) once with FP32 weights and once with each configuration&apos;s quantized weights. The chart shows the relative difference of the outputs, ||h - h_q|| / ||h||, after each layer, on a log scale: each layer&apos;s error feeds the next, so the gap grows with depth.</source>
        <translation>一个随机输入依次通过一叠随机层（设置：层数、宽度、激活函数），一次使用 FP32 权重，一次使用各配置的量化权重。图中显示每层之后两者输出的相对差异 ||h - h_q|| / ||h||（对数刻度）：每层的误差传入下一层，所以差距随深度增大。</translation>
    </message>
    <message>
        <source>Relative output error (log)</source>
        <translation>相对输出误差（对数）</translation>
    </message>
</context>
<context>
    <name>ql::ui::MainWindow</name>
    <message>
        <source>QuantLens - see what quantization does to weights</source>
        <translation>QuantLens - 看看量化对权重做了什么</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running analysis (Esc)</source>
        <translation>停止正在运行的分析 (Esc)</translation>
    </message>
    <message>
        <source>Backend: %1</source>
        <translation>后端：%1</translation>
    </message>
    <message>
        <source>Backend: CPU, %1 threads</source>
        <translation>后端：CPU，%1 个线程</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Configurations to compare</source>
        <translation>要比较的配置</translation>
    </message>
    <message>
        <source>GPU fit</source>
        <translation>GPU 容量</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Export as CSV...</source>
        <translation>导出为 CSV...</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>&amp;Open session...</source>
        <translation>打开会话(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Save session</source>
        <translation>保存会话(&amp;S)</translation>
    </message>
    <message>
        <source>Save session &amp;as...</source>
        <translation>会话另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>Recent sessions</source>
        <translation>最近的会话</translation>
    </message>
    <message>
        <source>&amp;Export all charts...</source>
        <translation>导出全部图表(&amp;E)...</translation>
    </message>
    <message>
        <source>Export metrics as CSV...</source>
        <translation>将指标导出为 CSV...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Configurations</source>
        <translation>配置(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Add configuration</source>
        <translation>添加配置(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Duplicate configuration</source>
        <translation>复制配置(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Remove configuration</source>
        <translation>删除配置(&amp;R)</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <source>Cancel analysis</source>
        <translation>取消分析</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Full screen, larger fonts and thicker lines for projectors (F11)</source>
        <translation>全屏、更大的字体和更粗的线条，适合投影仪 (F11)</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>深色主题(&amp;D)</translation>
    </message>
    <message>
        <source>Charts and panels</source>
        <translation>图表和面板</translation>
    </message>
    <message>
        <source>Reset layout</source>
        <translation>重置布局</translation>
    </message>
    <message>
        <source>The default layout returns the next time QuantLens starts.</source>
        <translation>下次启动 QuantLens 时将恢复默认布局。</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About QuantLens</source>
        <translation>关于 QuantLens(&amp;A)</translation>
    </message>
    <message>
        <source>Cannot use this tensor</source>
        <translation>无法使用此张量</translation>
    </message>
    <message>
        <source>
min %1, max %2, mean %3, std %4</source>
        <translation>
最小值 %1，最大值 %2，均值 %3，标准差 %4</translation>
    </message>
    <message>
        <source>Analysis: %1 ms</source>
        <translation>分析：%1 毫秒</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>导出 %1</translation>
    </message>
    <message>
        <source>%1 files (*.%2)</source>
        <translation>%1 文件 (*.%2)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Export every chart, the metrics and the session into</source>
        <translation>将所有图表、指标和会话导出到</translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n file(s) to %1</source>
        <translation>
            <numerusform>已将 %n 个文件写入 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>QuantLens sessions (*.json)</source>
        <translation>QuantLens 会话 (*.json)</translation>
    </message>
    <message>
        <source>Cannot save the session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>Cannot open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>CUDA device: %1 (compute capability %2.%3, %4 GiB, %5 GB/s)</source>
        <translation>CUDA 设备：%1（计算能力 %2.%3，%4 GiB，%5 GB/s）</translation>
    </message>
    <message>
        <source>CPU, %1 threads (GPU: %2)</source>
        <translation>CPU，%1 个线程（GPU：%2）</translation>
    </message>
    <message>
        <source>About QuantLens</source>
        <translation>关于 QuantLens</translation>
    </message>
    <message>
        <source>&lt;h3&gt;QuantLens %1&lt;/h3&gt;&lt;p&gt;See what quantization does to neural-network weights: INT8/INT4 and more, their errors, memory and GPU fit.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Backend:&lt;/b&gt; %2&lt;/p&gt;&lt;p&gt;Qt %3, QCustomPlot, Eigen.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;QuantLens %1&lt;/h3&gt;&lt;p&gt;看看量化对神经网络权重做了什么：INT8/INT4 等格式的误差、内存占用以及能否装进 GPU。&lt;/p&gt;&lt;p&gt;&lt;b&gt;后端：&lt;/b&gt;%2&lt;/p&gt;&lt;p&gt;Qt %3、QCustomPlot、Eigen。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Bits vs error</source>
        <translation>位数与误差</translation>
    </message>
    <message>
        <source>Compare &amp;all formats</source>
        <translation>比较所有格式(&amp;A)</translation>
    </message>
    <message>
        <source>Quantize this tensor in every format (INT, NF4, FP8, FP4, MXFP4, NVFP4, GGUF blocks) for the Pareto and SNR charts</source>
        <translation>将此张量量化为每一种格式（INT、NF4、FP8、FP4、MXFP4、NVFP4、GGUF 块格式），用于帕累托图和信噪比图</translation>
    </message>
    <message>
        <source>&amp;Calibration: GPTQ, AWQ, SmoothQuant...</source>
        <translation>校准(&amp;C)：GPTQ、AWQ、SmoothQuant...</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>First weights</source>
        <translation>前几个权重</translation>
    </message>
    <message>
        <source>Through layers</source>
        <translation>逐层</translation>
    </message>
    <message>
        <source>SNR vs bits</source>
        <translation>信噪比与位数</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Cannot open the model file</source>
        <translation>无法打开模型文件</translation>
    </message>
    <message>
        <source>&amp;Speed: measure formats on this CPU and GPU...</source>
        <translation>速度(&amp;S)：在此 CPU 和 GPU 上测量各格式...</translation>
    </message>
    <message>
        <source>What does this chart show? (click a chart)</source>
        <translation>这个图表显示什么？（点击一个图表）</translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation>示例(&amp;X)</translation>
    </message>
    <message>
        <source>Cannot open the example</source>
        <translation>无法打开示例</translation>
    </message>
    <message>
        <source>&amp;Lesson note...</source>
        <translation>课堂说明(&amp;L)...</translation>
    </message>
    <message>
        <source>Write what the class should look at in this session; it is saved with the session</source>
        <translation>写下本会话中学生应当观察什么；它随会话一起保存</translation>
    </message>
    <message>
        <source>Lesson note</source>
        <translation>课堂说明</translation>
    </message>
    <message>
        <source>What to look at, e.g. &quot;Compare the SQNR of per-tensor and per-channel in the table&quot;</source>
        <translation>要观察什么，例如“在表格中比较按张量与逐通道的 SQNR”</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Close the lesson note</source>
        <translation>关闭课堂说明</translation>
    </message>
    <message>
        <source>‹ Previous example</source>
        <translation>‹ 上一个示例</translation>
    </message>
    <message>
        <source>Next example ›</source>
        <translation>下一个示例 ›</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>Classroom examples: ready-made lessons with a note on what to look at</source>
        <translation>课堂示例：现成的课程，附有观察要点说明</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>逐层</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>概览</translation>
    </message>
    <message>
        <source>Time of the last analysis of the configurations on this machine: quantize, dequantize, metrics and histograms. A configuration analysed before on this tensor is taken from memory.</source>
        <translation>本机上对各配置最近一次分析的用时：量化、反量化、指标和直方图。此张量上分析过的配置直接取自内存。</translation>
    </message>
    <message>
        <source>Compare all formats (%1 formats): %2 ms.</source>
        <translation>比较所有格式（%1 种格式）：%2 ms。</translation>
    </message>
    <message>
        <source>Analysis: cancelled</source>
        <translation>分析：已取消</translation>
    </message>
    <message>
        <source>Analysis cancelled: the charts and the table do not show these settings. Recompute (F5) updates them.</source>
        <translation>分析已取消：图表和表格未显示这些设置。重新计算（F5）可更新它们。</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): </source>
        <translation>
            <numerusform>%n 条警告：</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ql::ui::MemoryChart</name>
    <message>
        <source>Memory of this tensor per format</source>
        <translation>此张量在各格式下的内存</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>No tensor yet</source>
        <translation>尚无张量</translation>
    </message>
    <message>
        <source>Format (bits per weight, scales included)</source>
        <translation>格式（每个权重的位数，含缩放因子）</translation>
    </message>
    <message>
        <source>Memory (%1)</source>
        <translation>内存（%1）</translation>
    </message>
    <message>
        <source>%1
%2 bits per weight
%3 bytes = %4 GB = %5 GiB</source>
        <translation>%1
每个权重 %2 位
%3 字节 = %4 GB = %5 GiB</translation>
    </message>
    <message>
        <source>The bytes this tensor takes in FP32, FP16, INT8 and INT4, and in each configuration with its scales and zero points included: an fp16 scale per group of 128 weights adds 16 / 128 = 0.125 bits per weight, so INT4 with groups of 128 takes 4.125 bits per weight, not 4. MB = 10^6 bytes; the tooltip also gives MiB = 2^20 bytes.</source>
        <translation>此张量在 FP32、FP16、INT8 和 INT4 下占用的字节数，以及每个配置包含缩放因子和零点在内的大小：每 128 个权重一个 fp16 缩放因子，每个权重多 16 / 128 = 0.125 位，所以按 128 分组的 INT4 每个权重占 4.125 位，而不是 4 位。MB = 10^6 字节；提示中也给出 MiB = 2^20 字节。</translation>
    </message>
    <message>
        <source>GB, 10^9 bytes</source>
        <translation>GB，10^9 字节</translation>
    </message>
    <message>
        <source>MB, 10^6 bytes</source>
        <translation>MB，10^6 字节</translation>
    </message>
    <message>
        <source>kB, 10^3 bytes</source>
        <translation>kB，10^3 字节</translation>
    </message>
    <message>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>%1 b/w</source>
        <translation>%1 位/权重</translation>
    </message>
</context>
<context>
    <name>ql::ui::MetricsModel</name>
    <message>
        <source>Mean squared error, mean (x - dq)^2</source>
        <translation>均方误差，mean (x - dq)^2</translation>
    </message>
    <message>
        <source>Mean absolute error, mean |x - dq|</source>
        <translation>平均绝对误差，mean |x - dq|</translation>
    </message>
    <message>
        <source>Largest absolute error</source>
        <translation>最大绝对误差</translation>
    </message>
    <message>
        <source>Signal-to-noise ratio: 10 log10(sum x^2 / sum (x - dq)^2)</source>
        <translation>信噪比：10 log10(sum x^2 / sum (x - dq)^2)</translation>
    </message>
    <message>
        <source>Signal-to-quantization-noise ratio: 10 log10(var(x) / MSE)</source>
        <translation>信号与量化噪声比：10 log10(var(x) / MSE)</translation>
    </message>
    <message>
        <source>Cosine similarity of the original and dequantized tensors</source>
        <translation>原始张量与反量化张量的余弦相似度</translation>
    </message>
    <message>
        <source>True storage: code bits plus scales and zero points, per weight</source>
        <translation>实际存储：每个权重的编码位数加上缩放因子和零点</translation>
    </message>
    <message>
        <source>Storage of this tensor, decimal and binary units</source>
        <translation>此张量的存储大小，十进制与二进制单位</translation>
    </message>
    <message>
        <source>Mean |X W^T - X Wq^T| / mean |X W^T| for a random batch X</source>
        <translation>对随机输入批 X：mean |X W^T - X Wq^T| / mean |X W^T|</translation>
    </message>
    <message>
        <source>Distinct codes that occur</source>
        <translation>实际出现的不同编码数</translation>
    </message>
    <message>
        <source>Values outside the representable range, saturated</source>
        <translation>超出可表示范围而被截断的值</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>Max error</source>
        <translation>最大误差</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation>位/权重</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Layer output error (%)</source>
        <translation>层输出误差 (%)</translation>
    </message>
    <message>
        <source>Levels used</source>
        <translation>使用的级别数</translation>
    </message>
    <message>
        <source>Clipped</source>
        <translation>截断数</translation>
    </message>
    <message>
        <source>%1 GB / %2 GiB</source>
        <translation>%1 GB / %2 GiB</translation>
    </message>
    <message>
        <source>%1 MB / %2 MiB</source>
        <translation>%1 MB / %2 MiB</translation>
    </message>
    <message>
        <source>%1 kB / %2 KiB</source>
        <translation>%1 kB / %2 KiB</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>* %1% of the codes stored are padding: this tensor&apos;s rows are not whole blocks, and each row&apos;s last block is stored whole</source>
        <translation>* 存储的编码中有 %1% 是填充：此张量的行不是整数个块，每行的最后一个块按整块存储</translation>
    </message>
    <message>
        <source>percentile %1</source>
        <translation>百分位 %1</translation>
    </message>
    <message>
        <source>MSE-optimal clipping</source>
        <translation>MSE 最优截断</translation>
    </message>
    <message>
        <source>KL divergence</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <source>The range setting (%1) chose a clip range inside the data: values beyond it saturate on purpose, which buys a finer step for all the others.</source>
        <translation>范围设定（%1）在数据内部选了截断范围：超出它的值被有意饱和，换来其余所有值更细的步长。</translation>
    </message>
    <message>
        <source>MXFP4&apos;s shared scale is a power of two, 2^(floor(log2 amax) - 2) (OCP MX v1.0): a block&apos;s largest value lands between 4 and 8 in units of the scale, on an E2M1 grid whose top is 6, so values from 7 up round past 6 and saturate at 6.</source>
        <translation>MXFP4 的共享缩放是 2 的幂，2^(floor(log2 amax) - 2)（OCP MX v1.0）：块中最大的值以缩放为单位落在 4 到 8 之间，而 E2M1 网格的顶端是 6，所以 7 及以上的值会舍入到 6 之外，被饱和为 6。</translation>
    </message>
    <message>
        <source>NVFP4 stores each block&apos;s scale in FP8 (E4M3). For a block far smaller than the tensor&apos;s largest values that scale falls among E4M3&apos;s coarse subnormals; rounded down, it puts the block&apos;s largest values past 6, the top of the E2M1 grid, where they saturate.</source>
        <translation>NVFP4 把每个块的缩放存为 FP8（E4M3）。对于比张量最大值小得多的块，这个缩放落在 E4M3 稀疏的次正规数中；向下舍入后，块中最大的值会超过 E2M1 网格的顶端 6，在那里被饱和。</translation>
    </message>
    <message>
        <source>Q4_0 puts each block&apos;s largest-magnitude value on code -8; on the other side the codes stop at +7, so a value there beyond 7.5/8 of that magnitude saturates at +7.</source>
        <translation>Q4_0 把每个块中绝对值最大的值放在编码 -8 上；另一侧的编码止于 +7，所以那一侧超过该幅度 7.5/8 的值被饱和为 +7。</translation>
    </message>
    <message>
        <source>Q5_0 puts each block&apos;s largest-magnitude value on code -16; on the other side the codes stop at +15, so a value there beyond 15.5/16 of that magnitude saturates at +15.</source>
        <translation>Q5_0 把每个块中绝对值最大的值放在编码 -16 上；另一侧的编码止于 +15，所以那一侧超过该幅度 15.5/16 的值被饱和为 +15。</translation>
    </message>
    <message>
        <source>Q6_K&apos;s codes run from -32 to 31: each sub-block&apos;s largest-magnitude value goes to the -32 end and the other side stops at +31; the searched scale, stored in 8 bits, can also leave values past an end. Those saturate.</source>
        <translation>Q6_K 的编码范围是 -32 到 31：每个子块中绝对值最大的值放在 -32 一端，另一侧止于 +31；搜索出的、以 8 位存储的缩放也可能让一些值超出两端。这些值被饱和。</translation>
    </message>
    <message>
        <source>IQ4_NL&apos;s table runs from -127 to 113: the search over 15 scales can leave a block&apos;s values past an end of the table, where they take the end level.</source>
        <translation>IQ4_NL 的码表范围是 -127 到 113：对 15 个缩放的搜索可能让块中一些值超出码表两端，它们取端点的级别。</translation>
    </message>
    <message>
        <source>HQQ&apos;s solver moves each group&apos;s zero point away from min-max to lower the error of most values, so values at a group&apos;s ends can fall outside its codes and saturate.</source>
        <translation>HQQ 的求解器把每组的零点从最小-最大值处移开，以降低大多数值的误差，所以组两端的值可能落在编码之外而被饱和。</translation>
    </message>
    <message>
        <source>Min-max puts each slice&apos;s lowest and highest value on the end codes only up to rounding: the zero point is a whole code (as PyTorch rounds it) and a scale stored in fp16 (per group, as GPTQ and AWQ store it) is rounded too, so an extreme value can land more than half a step past the end code and saturate there, less than a step from its place.</source>
        <translation>最小-最大法只在舍入意义上把每个切片的最小值和最大值放在两端的编码上：零点是整数编码（与 PyTorch 的取整方式相同），以 fp16 存储的缩放因子（按组存储，与 GPTQ 和 AWQ 相同）也经过舍入，因此极端值可能落在端点编码之外超过半个步长，并在那里被饱和，离原位置不到一个步长。</translation>
    </message>
    <message>
        <source>Values more than half a step past the grid&apos;s end levels saturate at the end level.</source>
        <translation>超出网格端点级别半个步长以上的值被饱和为端点级别。</translation>
    </message>
    <message>
        <source>%1 of %2 values (%3%) saturated.</source>
        <translation>%2 个值中有 %1 个（%3%）被饱和。</translation>
    </message>
    <message>
        <source>%1 of the %2 codes occur</source>
        <translation>%2 个编码中出现了 %1 个</translation>
    </message>
    <message>
        <source>Q2_K, Q4_K and Q5_K search each sub-block&apos;s scale and minimum for the least weighted error, and store them in 4 or 6 bits: the chosen levels need not reach a sub-block&apos;s extreme values, which then saturate.</source>
        <translation>Q2_K、Q4_K 和 Q5_K 为每个子块搜索加权误差最小的缩放因子和最小值，并以 4 位或 6 位存储：所选的量化级不一定覆盖子块的极值，超出的值会饱和。</translation>
    </message>
    <message>
        <source>Q3_K&apos;s codes run from -4 to 3: each sub-block&apos;s largest-magnitude value goes to the -4 end and the other side stops at +3; the searched scale, stored in 6 bits, can also leave values past an end. Those saturate.</source>
        <translation>Q3_K 的编码范围是 -4 到 3：每个子块中绝对值最大的值落在 -4 一端，另一侧止于 +3；搜索得到并以 6 位存储的缩放因子也可能让值超出两端。这些值会饱和。</translation>
    </message>
    <message>
        <source>IQ4_XS&apos;s table runs from -127 to 113: the search over 15 scales, and the scale&apos;s rounding to 6 bits, can leave a block&apos;s values past an end of the table, where they take the end level.</source>
        <translation>IQ4_XS 的查找表范围是 -127 到 113：对 15 个缩放因子的搜索以及缩放因子舍入到 6 位，都可能让块中的值超出表的两端，这些值取端点的级别。</translation>
    </message>
</context>
<context>
    <name>ql::ui::ModelBrowser</name>
    <message>
        <source>Open model...</source>
        <translation>打开模型...</translation>
    </message>
    <message>
        <source>safetensors, GGUF, ONNX, TensorFlow.js, .npz or .npy; you can also drop a file on the window</source>
        <translation>safetensors、GGUF、ONNX、TensorFlow.js、.npz 或 .npy；也可以把文件拖到窗口上</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>最近</translation>
    </message>
    <message>
        <source>Recent model files</source>
        <translation>最近的模型文件</translation>
    </message>
    <message>
        <source>Survey whole model</source>
        <translation>概览整个模型</translation>
    </message>
    <message>
        <source>Quantize every weight tensor with the current configurations: SQNR per layer, memory and GPU fit</source>
        <translation>用当前配置量化每个权重张量：逐层 SQNR、内存和 GPU 容量</translation>
    </message>
    <message>
        <source>No model open. Open a weights file to browse its tensors.</source>
        <translation>尚未打开模型。打开一个权重文件以浏览其中的张量。</translation>
    </message>
    <message>
        <source>Filter tensors (words in the name, e.g. &quot;layers.3 q_proj&quot;)</source>
        <translation>筛选张量（名称中的词，例如 &quot;layers.3 q_proj&quot;）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>&amp;Open model or tensor file...</source>
        <translation>打开模型或张量文件(&amp;O)...</translation>
    </message>
    <message>
        <source>S&amp;urvey whole model</source>
        <translation>概览整个模型(&amp;U)</translation>
    </message>
    <message>
        <source>Weights (*.safetensors *.gguf *.onnx *.npz *.npy *.json model.safetensors.index.json);;All files (*)</source>
        <translation>权重 (*.safetensors *.gguf *.onnx *.npz *.npy *.json model.safetensors.index.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 holds no tensors</source>
        <translation>%1 中没有张量</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt; (%2): %n tensor(s), %3 parameters, %4 stored.</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;（%2）：%n 个张量，%3 个参数，存储占 %4。</numerusform>
        </translation>
    </message>
    <message>
        <source>Metadata (%1)</source>
        <translation>元数据（%1）</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 is stored already quantized&lt;/b&gt; as ggml %2 (%3 bits per weight, block scales included). The analysis starts from its dequantized values: quantizing them again shows what a second rounding adds.</source>
        <translation>&lt;b&gt;%1 已经以量化形式存储&lt;/b&gt;，格式为 ggml %2（每个权重 %3 位，含块缩放因子）。分析从其反量化值开始：再次量化显示第二次舍入带来的误差。</translation>
    </message>
    <message>
        <source>Compare with its stored format %1 (show its levels)</source>
        <translation>与其存储格式 %1 比较（显示其量化级别）</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 is stored quantized&lt;/b&gt;: %2. The analysis starts from the decoded values.</source>
        <translation>&lt;b&gt;%1 以量化形式存储&lt;/b&gt;：%2。分析从解码后的值开始。</translation>
    </message>
    <message>
        <source>Cannot open the model file</source>
        <translation>无法打开模型文件</translation>
    </message>
    <message>
        <source>QuantLens&apos; NVFP4 (NVIDIA ModelOpt&apos;s) adds a per-tensor FP32 scale that llama.cpp&apos;s lacks, so it is not offered as this tensor&apos;s stored format.</source>
        <translation>QuantLens 的 NVFP4（NVIDIA ModelOpt 的方案）多一个逐张量的 FP32 缩放因子，而 llama.cpp 的没有，因此不把它作为该张量的存储格式提供。</translation>
    </message>
    <message>
        <source>%1 is an i-quant: each stored index picks a whole group of %2 weights from a fixed codebook of allowed patterns, with the signs and a small scale kept apart. QuantLens decodes it as llama.cpp does but does not quantize to it, so no stored format is offered.</source>
        <translation>%1 是一种 i-quant：每个存储的索引从固定的码本（允许的模式）中一次选出一组 %2 个权重，符号和小缩放因子另行存储。QuantLens 按 llama.cpp 的方式解码它，但不会量化为该格式，因此不提供其存储格式。</translation>
    </message>
</context>
<context>
    <name>ql::ui::ModelSqnrChart</name>
    <message>
        <source>Weight tensor, in file order</source>
        <translation>权重张量（按文件顺序）</translation>
    </message>
    <message>
        <source>SQNR (dB)</source>
        <translation>SQNR (dB)</translation>
    </message>
    <message>
        <source>This file has no weight tensors (rank &gt;= 2, floating point)</source>
        <translation>此文件没有权重张量（秩 &gt;= 2，浮点）</translation>
    </message>
    <message>
        <source>Survey a model to see every layer</source>
        <translation>概览一个模型以查看每一层</translation>
    </message>
    <message>
        <source>Layer (each point a weight tensor, in file order; ticks at a layer&apos;s first tensor)</source>
        <translation>层（每个点是一个权重张量，按文件顺序；刻度位于每层的第一个张量）</translation>
    </message>
    <message>
        <source>%1
%2: SQNR %3 dB
%4 parameters</source>
        <translation>%1
%2：SQNR %3 dB
%4 个参数</translation>
    </message>
    <message>
        <source>SQNR of every weight tensor along the model</source>
        <translation>模型中每个权重张量的 SQNR</translation>
    </message>
    <message>
        <source>The SQNR of every weight tensor of the model, in file order, for each configuration: 10 log10(variance of the weights / mean squared error). Dips show the tensors that suffer most, often those with outlier channels, which are the candidates for more bits or a finer granularity.</source>
        <translation>模型中每个权重张量（按文件顺序）在各配置下的 SQNR：10 log10(权重方差 / 均方误差)。低谷表明受影响最大的张量，常常是有离群通道的张量，它们适合使用更多位数或更细的粒度。</translation>
    </message>
</context>
<context>
    <name>ql::ui::ParetoChart</name>
    <message>
        <source>Error vs true bits per weight (Pareto front)</source>
        <translation>误差与每个权重的实际位数（帕累托前沿）</translation>
    </message>
    <message>
        <source>Bits per weight (scales and zero points included)</source>
        <translation>每个权重的位数（含缩放因子和零点）</translation>
    </message>
    <message>
        <source>MSE (log, lower is better)</source>
        <translation>MSE（对数，越低越好）</translation>
    </message>
    <message>
        <source>SQNR (dB, higher is better)</source>
        <translation>SQNR（dB，越高越好）</translation>
    </message>
    <message>
        <source>Add configurations, or press &quot;Compare all formats&quot;</source>
        <translation>添加配置，或点击“比较所有格式”</translation>
    </message>
    <message>
        <source>All formats at their common settings</source>
        <translation>所有格式（常用设置）</translation>
    </message>
    <message>
        <source>%1
%2 bits per weight
SQNR %3 dB
MSE %4</source>
        <translation>%1
每个权重 %2 位
SQNR %3 dB
MSE %4</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>Each configuration (and with &quot;Compare all formats&quot;, each format at its common settings) at its true bits per weight against its error. The dashed front joins the points that no other point beats with both fewer bits and less error; a point off the front is beaten by one on it. Where the points crowd, a compared format whose name would only cover its neighbours is left unnamed: hover a point for its name. A * marks bits that count padding: formats whose blocks run along each row store a row&apos;s last block whole, so on rows that are not whole blocks they pay for empty slots (a model&apos;s rows of 4096 values would not).</source>
        <translation>每个配置（开启“比较所有格式”时，还有各格式的常用设置）按其真实的每权重位数与误差画出。虚线前沿连接那些没有任何其他点能以更少的位数和更小的误差同时胜过的点；不在前沿上的点会被前沿上的某个点胜过。点很密集时，名称只会遮住相邻标签的比较格式不标名称：将鼠标悬停在点上即可看到其名称。* 表示该位数包含填充：块沿每行排列的格式会将每行的最后一个块按整块存储，因此在行长不是整数个块时要为空位付出代价（模型中 4096 个值的行则不会）。</translation>
    </message>
    <message>
        <source>Bits per weight, scales included</source>
        <translation>每个权重的位数（含缩放因子）</translation>
    </message>
    <message>
        <source>No configuration with a finite, nonzero error to place</source>
        <translation>没有误差有限且非零的配置可以标出</translation>
    </message>
    <message>
        <source>* these bits count padding: rows are not whole blocks</source>
        <translation>* 这些比特数包含填充：各行不是整数个块</translation>
    </message>
    <message>
        <source>%1% of the codes stored are padding</source>
        <translation>存储的编码中有 %1% 是填充</translation>
    </message>
</context>
<context>
    <name>ql::ui::RooflineChart</name>
    <message>
        <source>Roofline: arithmetic intensity vs achieved throughput</source>
        <translation>屋顶线：算术强度与实际吞吐量</translation>
    </message>
    <message>
        <source>Arithmetic intensity (operations per byte, log)</source>
        <translation>算术强度（每字节运算数，对数）</translation>
    </message>
    <message>
        <source>Throughput (GFLOP/s or GOP/s, log)</source>
        <translation>吞吐量（GFLOP/s 或 GOP/s，对数）</translation>
    </message>
    <message>
        <source>Press Run to measure</source>
        <translation>点击“运行”开始测量</translation>
    </message>
    <message>
        <source>CPU roof: %1 GB/s read, int8 peak %2 GOP/s</source>
        <translation>CPU 屋顶：读取 %1 GB/s，int8 峰值 %2 GOP/s</translation>
    </message>
    <message>
        <source>CPU roof: %1 GB/s read, FP32 peak %2 GFLOP/s</source>
        <translation>CPU 屋顶：读取 %1 GB/s，FP32 峰值 %2 GFLOP/s</translation>
    </message>
    <message>
        <source>GPU roof: %1 GB/s read, best product %2 GFLOP/s</source>
        <translation>GPU 屋顶：读取 %1 GB/s，最快乘积 %2 GFLOP/s</translation>
    </message>
    <message>
        <source>Each measurement as arithmetic intensity (operations per byte of memory read) against the throughput it reached, under the roofs min(bandwidth x intensity, compute peak). Points on the sloped part are limited by memory, as decoding at batch 1 is; points under the flat part by arithmetic.</source>
        <translation>每次测量按算术强度（每读取一字节内存的运算次数）与所达到的吞吐量画出，上方是屋顶线 min(带宽 x 强度, 计算峰值)。位于斜坡部分下方的点受内存限制，批大小 1 的解码就是如此；位于平坦部分下方的点受算力限制。</translation>
    </message>
</context>
<context>
    <name>ql::ui::SampleChart</name>
    <message>
        <source>First weights of a row: original vs dequantized</source>
        <translation>某一行的前几个权重：原始值与反量化值</translation>
    </message>
    <message>
        <source>First %1 weights of row %2: original vs dequantized</source>
        <translation>第 %2 行的前 %1 个权重：原始值与反量化值</translation>
    </message>
    <message>
        <source>Index in the row</source>
        <translation>行内索引</translation>
    </message>
    <message>
        <source>Weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>No tensor yet</source>
        <translation>尚无张量</translation>
    </message>
    <message>
        <source>Original (FP32)</source>
        <translation>原始值 (FP32)</translation>
    </message>
    <message>
        <source>The first weights of one row before (black) and after quantization. Each dequantized weight is the level nearest to the original (dashed lines: the levels of the block it lies in), and the vertical gap between the two markers is that weight&apos;s error. Hover a weight to show its block&apos;s levels on the weight distribution.</source>
        <translation>某一行的前几个权重在量化前（黑色）和量化后的值。每个反量化权重是离原始值最近的量化级（虚线：该权重所在块的量化级），两个标记之间的竖直距离就是该权重的误差。将鼠标悬停在某个权重上，可在权重分布图中显示其所在块的量化级。</translation>
    </message>
</context>
<context>
    <name>ql::ui::SmoothQuantHistogramChart</name>
    <message>
        <source>Activation value</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>Density (1 / value unit, log)</source>
        <translation>密度（1 / 数值单位，对数）</translation>
    </message>
    <message>
        <source>Tick SmoothQuant among the methods to see this chart</source>
        <translation>在方法中勾选 SmoothQuant 以查看此图</translation>
    </message>
    <message>
        <source>SmoothQuant failed: %1</source>
        <translation>SmoothQuant 失败：%1</translation>
    </message>
    <message>
        <source>X before smoothing: range [%1, %2]</source>
        <translation>平滑前的 X：范围 [%1, %2]</translation>
    </message>
    <message>
        <source>X / s after smoothing: range [%1, %2]</source>
        <translation>平滑后的 X / s：范围 [%1, %2]</translation>
    </message>
    <message>
        <source>SmoothQuant: activation values before and after</source>
        <translation>SmoothQuant：平滑前后的激活值</translation>
    </message>
    <message>
        <source>The distribution of the activation values before and after smoothing (log density). Smoothing divides the outlier channels by their scale, so the range shrinks and an INT8 step, range / 255, becomes finer for the bulk of the values.</source>
        <translation>平滑前后激活值的分布（对数密度）。平滑把离群通道除以其缩放因子，范围随之缩小，INT8 的步长 range / 255 对大部分值而言变得更细。</translation>
    </message>
</context>
<context>
    <name>ql::ui::SmoothQuantMaxChart</name>
    <message>
        <source>SmoothQuant: per-channel max |X| and max |W|</source>
        <translation>SmoothQuant：逐通道 max |X| 与 max |W|</translation>
    </message>
    <message>
        <source>SmoothQuant, α = %1: max |X| and max |W| per channel</source>
        <translation>SmoothQuant，α = %1：逐通道 max |X| 与 max |W|</translation>
    </message>
    <message>
        <source>Input channel j</source>
        <translation>输入通道 j</translation>
    </message>
    <message>
        <source>Max |value| over tokens (X) or output rows (W) (log)</source>
        <translation>按 token（X）或输出行（W）取的最大 |值|（对数）</translation>
    </message>
    <message>
        <source>Tick SmoothQuant among the methods to see this chart</source>
        <translation>在方法中勾选 SmoothQuant 以查看此图</translation>
    </message>
    <message>
        <source>SmoothQuant failed: %1</source>
        <translation>SmoothQuant 失败：%1</translation>
    </message>
    <message>
        <source>max |X_j| before</source>
        <translation>平滑前 max |X_j|</translation>
    </message>
    <message>
        <source>max |W_j| before</source>
        <translation>平滑前 max |W_j|</translation>
    </message>
    <message>
        <source>SmoothQuant divides each input channel of the activations by s_j = max|X_j|^alpha / max|W_j|^(1-alpha) and multiplies that channel of the weights by s_j, which leaves X W^T unchanged. Before, a few activation channels have outliers far above the rest, which makes INT8 activations coarse for every other channel; after, the largest activations and weights meet in between, and both quantize well to INT8 (W8A8).</source>
        <translation>SmoothQuant 把激活值的每个输入通道除以 s_j = max|X_j|^alpha / max|W_j|^(1-alpha)，并把权重的对应通道乘以 s_j，X W^T 保持不变。平滑前，少数激活通道的离群值远高于其余通道，使其他所有通道的 INT8 激活值都很粗糙；平滑后，最大的激活值与权重在中间相遇，两者都能很好地量化为 INT8（W8A8）。</translation>
    </message>
    <message>
        <source>Max |value| (log)</source>
        <translation>最大 |值|（对数）</translation>
    </message>
    <message>
        <source>max |W_j·s_j| after</source>
        <translation>平滑后 max |W_j·s_j|</translation>
    </message>
    <message>
        <source>max |X_j/s_j| after</source>
        <translation>平滑后 max |X_j/s_j|</translation>
    </message>
    <message>
        <source>Outlier channels</source>
        <translation>离群通道</translation>
    </message>
</context>
<context>
    <name>ql::ui::SnrBitsChart</name>
    <message>
        <source>SNR vs bit width</source>
        <translation>信噪比与位宽</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>SNR (dB)</translation>
    </message>
    <message>
        <source>6.02 dB per bit</source>
        <translation>每位 6.02 dB</translation>
    </message>
    <message>
        <source>Bits per weight (scales and zero points included)</source>
        <translation>每个权重的位数（含缩放因子和零点）</translation>
    </message>
    <message>
        <source>All formats (compare)</source>
        <translation>所有格式（比较）</translation>
    </message>
    <message>
        <source>Add a configuration to see its SNR</source>
        <translation>添加一个配置以查看其信噪比</translation>
    </message>
    <message>
        <source>Signal-to-noise ratio, 10 log10(signal power / error power), against bits per weight with scales and zero points included. Each extra bit halves the step, which divides the error power by 4 and adds about 6.02 dB (the dashed line). INT and HQQ configurations are swept over 2-8 bits; other formats have one bit width and are single points.</source>
        <translation>信噪比 10 log10(信号功率 / 误差功率) 与每权重位数（含缩放因子和零点）的关系。每多一位，步长减半，误差功率除以 4，信噪比约增加 6.02 dB（虚线）。INT 和 HQQ 配置在 2-8 位上扫描；其他格式只有一种位宽，显示为单个点。</translation>
    </message>
    <message>
        <source>Solving %1 at 2-8 bits for its curve...</source>
        <translation>正在以 2-8 位求解 %1，以绘制其曲线...</translation>
    </message>
    <message>
        <source>Bits per weight, scales included</source>
        <translation>每个权重的位数（含缩放因子）</translation>
    </message>
</context>
<context>
    <name>ql::ui::SpeedTimeChart</name>
    <message>
        <source>Time per product and the memory-read floor</source>
        <translation>每次乘积的时间与内存读取下限</translation>
    </message>
    <message>
        <source>Time per product, %1 x %2 layer, and the memory-read floor</source>
        <translation>%1 x %2 层每次乘积的时间与内存读取下限</translation>
    </message>
    <message>
        <source>Time per product (ms, log scale)</source>
        <translation>每次乘积的时间（毫秒，对数坐标）</translation>
    </message>
    <message>
        <source>Press Run to measure</source>
        <translation>点击“运行”开始测量</translation>
    </message>
    <message>
        <source>measured median (whiskers: quartiles)</source>
        <translation>实测中位数（须线：四分位数）</translation>
    </message>
    <message>
        <source>plain read of the same bytes (floor)</source>
        <translation>读取相同字节（下限）</translation>
    </message>
    <message>
        <source>interquartile range</source>
        <translation>四分位距</translation>
    </message>
    <message>
        <source>%1x floor</source>
        <translation>下限的 %1 倍</translation>
    </message>
    <message>
        <source>%1
%2, batch %3 (%4)
median %5 ms (quartiles %6 - %7 ms)
floor %8 ms: %9x the floor
%10 GB/s, %11 GFLOP/s
%12 MB of weights, %13 copies rotated</source>
        <translation>%1
%2，批大小 %3（%4）
中位数 %5 毫秒（四分位数 %6 - %7 毫秒）
下限 %8 毫秒：下限的 %9 倍
%10 GB/s，%11 GFLOP/s
权重 %12 MB，轮换 %13 份副本</translation>
    </message>
    <message>
        <source>Format and batch (decode = batch 1)</source>
        <translation>格式与批大小（解码 = 批大小 1）</translation>
    </message>
    <message>
        <source>The measured time of one matrix product per format and batch, next to the time of just reading the same weights from memory (the floor). At batch 1 (decoding) a product reads every weight once and does little arithmetic per byte, so it runs near the floor: fewer bits per weight, less to read, faster. At large batches the arithmetic dominates.</source>
        <translation>每种格式和批大小下一次矩阵乘积的实测时间，旁边是仅从内存读取同样权重所需的时间（下限）。批大小为 1（解码）时，一次乘积把每个权重读一次，每字节的运算很少，所以接近下限运行：每权重位数越少，要读的越少，越快。批大小很大时，算术运算占主导。</translation>
    </message>
</context>
<context>
    <name>ql::ui::SpeedView</name>
    <message>
        <source>%1 x %2 (out x in)</source>
        <translation>%1 x %2（输出 x 输入）</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Output features: rows of W (y = x W^T)</source>
        <translation>输出特征：W 的行数 (y = x W^T)</translation>
    </message>
    <message>
        <source>Input features: columns of W</source>
        <translation>输入特征：W 的列数</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>Layer shape</source>
        <translation>层形状</translation>
    </message>
    <message>
        <source>Out x in</source>
        <translation>输出 x 输入</translation>
    </message>
    <message>
        <source>Decode (batch 1)</source>
        <translation>解码（批大小 1）</translation>
    </message>
    <message>
        <source>Prefill, batch</source>
        <translation>预填充，批大小</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>FP32</source>
        <translation>FP32</translation>
    </message>
    <message>
        <source>INT8 (per-row scales)</source>
        <translation>INT8（逐行缩放因子）</translation>
    </message>
    <message>
        <source>4-bit (group 128)</source>
        <translation>4 位（组大小 128）</translation>
    </message>
    <message>
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Timed products per measurement, after two untimed warm-up products</source>
        <translation>每次测量计时的乘积次数（另有两次不计时的预热）</translation>
    </message>
    <message>
        <source>Repetitions</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>KV cache read per token at this context (0 = weights only)</source>
        <translation>此上下文长度下每个 token 读取的 KV 缓存（0 = 仅权重）</translation>
    </message>
    <message>
        <source>Decode estimate for</source>
        <translation>解码估计：</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Time vs floor</source>
        <translation>时间与下限</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>解码每秒 token 数</translation>
    </message>
    <message>
        <source>Roofline</source>
        <translation>屋顶线</translation>
    </message>
    <message>
        <source>Choose at least one batch and one format.</source>
        <translation>请至少选择一个批大小和一种格式。</translation>
    </message>
    <message>
        <source>Measurement failed: %1</source>
        <translation>测量失败：%1</translation>
    </message>
    <message>
        <source>Cancelled; the charts keep the last complete run.</source>
        <translation>已取消；图表保留上一次完整运行的结果。</translation>
    </message>
    <message>
        <source>%1, %2 threads, path %3: read %4 GB/s, FP32 peak %5 GFLOP/s, int8 peak %6 GOP/s</source>
        <translation>%1，%2 个线程，路径 %3：读取 %4 GB/s，FP32 峰值 %5 GFLOP/s，int8 峰值 %6 GOP/s</translation>
    </message>
    <message>
        <source>This CPU</source>
        <translation>此 CPU</translation>
    </message>
    <message>
        <source>Times y = x W^T on this CPU, and on the GPU when there is one, next to a plain read of the same bytes.</source>
        <translation>在此 CPU 上（如有 GPU 也在 GPU 上）计时 y = x W^T，并与读取相同字节的时间对比。</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Measuring on the CPU, then on the GPU ...</source>
        <translation>正在 CPU 上测量，然后在 GPU 上测量...</translation>
    </message>
    <message>
        <source>Measuring on the CPU ...</source>
        <translation>正在 CPU 上测量...</translation>
    </message>
    <message>
        <source>GPU: %1, read %2 GB/s measured (%3 GB/s peak), best product %4 GFLOP/s</source>
        <translation>GPU：%1，实测读取 %2 GB/s（峰值 %3 GB/s），最快乘积 %4 GFLOP/s</translation>
    </message>
    <message>
        <source>GPU: none (%1)</source>
        <translation>GPU：无（%1）</translation>
    </message>
    <message>
        <source>GPU: %1 (compute capability %2.%3, %4 GiB, %5 GB/s peak), measured after the CPU</source>
        <translation>GPU：%1（计算能力 %2.%3，%4 GiB，峰值 %5 GB/s），在 CPU 之后测量</translation>
    </message>
    <message>
        <source>GPU measurements that failed: %1</source>
        <translation>失败的 GPU 测量：%1</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Median (ms)</source>
        <translation>中位数（毫秒）</translation>
    </message>
    <message>
        <source>Quartiles (ms)</source>
        <translation>四分位数（毫秒）</translation>
    </message>
    <message>
        <source>Floor (ms)</source>
        <translation>下限（毫秒）</translation>
    </message>
    <message>
        <source>x floor</source>
        <translation>下限倍数</translation>
    </message>
    <message>
        <source>GB/s</source>
        <translation>GB/s</translation>
    </message>
    <message>
        <source>Floor GB/s</source>
        <translation>下限 GB/s</translation>
    </message>
    <message>
        <source>GFLOP/s (GOP/s)</source>
        <translation>GFLOP/s（GOP/s）</translation>
    </message>
    <message>
        <source>Weights (MB)</source>
        <translation>权重（MB）</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>内核</translation>
    </message>
    <message>
        <source>%1 - %2</source>
        <translation>%1 - %2</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>ql::ui::SurveyPanel</name>
    <message>
        <source>Open a model file and choose &quot;Survey whole model&quot; to quantize every weight tensor with the current configurations.</source>
        <translation>打开一个模型文件并选择“概览整个模型”，以用当前配置量化每个权重张量。</translation>
    </message>
    <message>
        <source>%p% of the weights</source>
        <translation>权重的 %p%</translation>
    </message>
    <message>
        <source>Cancel survey</source>
        <translation>取消概览</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Mean SQNR (dB, parameter-weighted)</source>
        <translation>平均 SQNR（dB，按参数加权）</translation>
    </message>
    <message>
        <source>Worst SQNR (dB)</source>
        <translation>最差 SQNR (dB)</translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation>每个权重的位数</translation>
    </message>
    <message>
        <source>Worst tensor</source>
        <translation>最差张量</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Memory (GB, 10^9 bytes)</source>
        <translation>内存（GB，10^9 字节）</translation>
    </message>
    <message>
        <source>Memory (GiB, 2^30 bytes)</source>
        <translation>内存（GiB，2^30 字节）</translation>
    </message>
    <message>
        <source>SQNR per configuration</source>
        <translation>各配置的 SQNR</translation>
    </message>
    <message>
        <source>Memory of the whole model</source>
        <translation>整个模型的内存</translation>
    </message>
    <message>
        <source>SQNR along the model</source>
        <translation>沿模型的 SQNR</translation>
    </message>
    <message>
        <source>GPU fit of this model</source>
        <translation>此模型的 GPU 容量</translation>
    </message>
    <message numerus="yes">
        <source>Surveying %1: %2 weight tensors x %n configuration(s)...</source>
        <translation>
            <numerusform>正在概览 %1：%2 个权重张量 x %n 个配置...</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Survey cancelled after %n weight tensor(s); the tables show those.</source>
        <translation>
            <numerusform>概览在 %n 个权重张量后取消；表格显示这些结果。</numerusform>
        </translation>
    </message>
    <message>
        <source>Survey cancelled.</source>
        <translation>概览已取消。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2): %3 parameters in all (%4 in %5 weight tensors), stored in %6.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;（%2）：共 %3 个参数（其中 %4 在 %5 个权重张量中），存储于 %6。</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>Weight tensors at this configuration&apos;s bits per weight, every other tensor at FP16</source>
        <translation>权重张量按此配置的每权重位数计算，其他张量按 FP16 计算</translation>
    </message>
    <message>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Along the model</source>
        <translation>沿模型</translation>
    </message>
    <message>
        <source>GPU fit</source>
        <translation>GPU 容量</translation>
    </message>
    <message>
        <source>Its blocks run along each row: %1 tensors&apos; rows are not whole blocks, so %2% of the codes stored are padding, counted in these bits per weight</source>
        <translation>它的块沿每一行排列：%1 个张量的行长度不是块的整数倍，因此存储的编码中有 %2% 是填充，已计入这里的每权重位数</translation>
    </message>
</context>
<context>
    <name>ql::ui::TensorPanel</name>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Load file...</source>
        <translation>加载文件...</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>正态分布</translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation>均匀分布</translation>
    </message>
    <message>
        <source>Laplace</source>
        <translation>拉普拉斯分布</translation>
    </message>
    <message>
        <source>Student-t (heavy tails)</source>
        <translation>学生 t 分布（重尾）</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>分布</translation>
    </message>
    <message>
        <source>Rows: output channels of a Linear layer</source>
        <translation>行：线性层的输出通道</translation>
    </message>
    <message>
        <source>Columns: input channels</source>
        <translation>列：输入通道</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>Degrees of freedom of the Student-t distribution (smaller = heavier tails)</source>
        <translation>学生 t 分布的自由度（越小尾部越重）</translation>
    </message>
    <message>
        <source>Student-t dof</source>
        <translation>t 分布自由度</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Share of values replaced by outliers</source>
        <translation>被替换为离群值的比例</translation>
    </message>
    <message>
        <source>Outliers</source>
        <translation>离群值</translation>
    </message>
    <message>
        <source> x std</source>
        <translation> x 标准差</translation>
    </message>
    <message>
        <source>Outlier size</source>
        <translation>离群值大小</translation>
    </message>
    <message>
        <source>LLM-like: this many output channels get a 10-100x larger scale</source>
        <translation>类 LLM：这么多输出通道的尺度放大 10-100 倍</translation>
    </message>
    <message>
        <source>LLM-like rows</source>
        <translation>类 LLM 行数</translation>
    </message>
    <message>
        <source>No file loaded</source>
        <translation>未加载文件</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>文件：%1</translation>
    </message>
    <message>
        <source>
Tensor: %1</source>
        <translation>
张量：%1</translation>
    </message>
    <message>
        <source>Open a weights file (.npy, .npz, .safetensors, .gguf, .onnx, TensorFlow.js) and analyse its tensors</source>
        <translation>打开权重文件（.npy、.npz、.safetensors、.gguf、.onnx、TensorFlow.js）并分析其中的张量</translation>
    </message>
</context>
<context>
    <name>ql::ui::WeightDistributionChart</name>
    <message>
        <source>Weight distribution: original vs dequantized</source>
        <translation>权重分布：原始值与反量化值</translation>
    </message>
    <message>
        <source>Weight value</source>
        <translation>权重值</translation>
    </message>
    <message>
        <source>Probability density</source>
        <translation>概率密度</translation>
    </message>
    <message>
        <source>No tensor yet</source>
        <translation>尚无张量</translation>
    </message>
    <message>
        <source>Original (FP32)</source>
        <translation>原始值 (FP32)</translation>
    </message>
    <message numerus="yes">
        <source>%n levels of %1 in the block of weight %2 of row %3</source>
        <translation>
            <numerusform>%1 在第 %3 行第 %2 个权重所在块中的 %n 个量化级别</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n levels of %1</source>
        <translation>
            <numerusform>%1 的 %n 个量化级别</numerusform>
        </translation>
    </message>
    <message>
        <source>The grey histogram is the original weights; each configuration&apos;s outline is its dequantized weights, on the same bins (probability density). Quantization maps every weight to one of at most 2^bits levels, so the smooth shape collapses into spikes at the levels: the fewer the bits, the fewer and taller the spikes. The dashed lines are the levels of the chosen configuration; with a scale per group or block, those of the block under the weight you hover in &quot;First weights&quot;. On a log scale (the chart&apos;s right-click menu, or Setup &gt; Charts) rare weights show too: an outlier stretches the range, and levels sit unused between it and the bulk.</source>
        <translation>灰色直方图是原始权重；每个配置的轮廓线是其反量化后的权重，使用相同的分箱（概率密度）。量化把每个权重映射到至多 2^bits 个量化级之一，因此平滑的形状变成量化级处的尖峰：位数越少，尖峰越少越高。虚线是所选配置的量化级；若按组或按块缩放，则是在“前几个权重”中鼠标悬停的权重所在块的量化级。使用对数刻度（图表的右键菜单，或“设置 &gt; 图表”）时，罕见的权重也会显示出来：一个离群值会拉长范围，在它与主体之间的量化级则无人使用。</translation>
    </message>
    <message>
        <source>Probability density (log)</source>
        <translation>概率密度（对数）</translation>
    </message>
    <message>
        <source>Density (log)</source>
        <translation>密度（对数）</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
</context>
</TS>
