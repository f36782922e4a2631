// Shared option handling of the headless subcommands.
#include "cli/cli_common.h"

#include <stdexcept>

#include "core/model_file.h"
#include "core/npy.h"

namespace ql::cli {

const char* const kConfigHelp =
    "  --format NAME        int (default), nf4, nf4_dq, fp8_e4m3, fp8_e5m2, fp4_e2m1, mxfp4, nvfp4,\n"
    "                       q8_0, q4_0, q4_1, q5_0, q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, iq4_xs, hqq\n"
    "  --bits B             2..8 (int, hqq)                    [8]\n"
    "  --scheme S           sym | asym                         [asym]\n"
    "  --granularity G      tensor | channel | group           [tensor]\n"
    "  --axis A             channel axis for per-channel       [0]\n"
    "  --group-size G       values per group along the last axis [128]\n"
    "  --block-size N       block size of block formats (nf4, fp4; hqq's group) [format default]\n"
    "  --scale-type T       auto | f32 | f16 (how scales are stored) [auto]\n"
    "  --range R            minmax | percentile | mse | kl     [minmax]\n"
    "  --percentile P       for --range percentile             [99.9]\n";

const char* const kGeneratorHelp =
    "  --dist D             normal | uniform | laplace | student_t [normal]\n"
    "  --shape S            e.g. 1000x1000                     [1000x1000]\n"
    "  --std S, --mean M    [2, 0]\n"
    "  --dof D              Student-t degrees of freedom (> 2)  [3]\n"
    "  --seed N             [42]\n"
    "  --outliers F         fraction of values made outliers   [0]\n"
    "  --outlier-magnitude K  outliers are +-K std             [10]\n"
    "  --llm-channels N     rows scaled 10-100x (LLM-like)     [0]\n"
    "  --llm-scale MIN:MAX  scale range of those rows          [10:100]\n";

std::set<std::string> merge(std::initializer_list<std::set<std::string>> sets) {
    std::set<std::string> out;
    for (const auto& s : sets) out.insert(s.begin(), s.end());
    return out;
}

const std::set<std::string>& config_options() {
    static const std::set<std::string> s = {"format", "bits", "scheme", "granularity", "axis", "group-size",
                                            "block-size", "scale-type", "range", "percentile"};
    return s;
}

QuantConfig config_from_args(const Args& a) {
    QuantConfig c;
    if (auto f = a.get("format")) {
        auto p = parse_format(*f);
        if (!p) throw UsageError("unknown --format '" + *f + "'");
        c.format = *p;
    }
    c.bits = static_cast<int>(a.get_int("bits", 8));
    if (c.bits < 2 || c.bits > 8) throw UsageError("--bits must be 2..8, got " + std::to_string(c.bits));
    if (auto s = a.get("scheme")) {
        auto p = parse_scheme(*s);
        if (!p) throw UsageError("--scheme must be sym or asym, got '" + *s + "'");
        c.scheme = *p;
    }
    if (auto g = a.get("granularity")) {
        auto p = parse_granularity(*g);
        if (!p) throw UsageError("--granularity must be tensor, channel or group, got '" + *g + "'");
        c.granularity = *p;
    }
    c.axis = static_cast<int>(a.get_int("axis", 0));
    c.group_size = static_cast<int>(a.get_int("group-size", 128));
    if (c.group_size < 1) throw UsageError("--group-size must be at least 1");
    c.block_size = static_cast<int>(a.get_int("block-size", 0));
    if (c.block_size < 0) throw UsageError("--block-size must not be negative");
    if (auto t = a.get("scale-type")) {
        if (*t == "auto") c.scale_type = ScaleType::Auto;
        else if (*t == "f32") c.scale_type = ScaleType::F32;
        else if (*t == "f16") c.scale_type = ScaleType::F16;
        else throw UsageError("--scale-type must be auto, f32 or f16");
    }
    if (auto r = a.get("range")) {
        auto p = parse_range_method(*r);
        if (!p) throw UsageError("--range must be minmax, percentile, mse or kl");
        c.range = *p;
    }
    c.percentile = a.get_double("percentile", 99.9);
    return c;
}

const std::set<std::string>& generator_options() {
    static const std::set<std::string> s = {"dist", "shape", "std", "mean", "dof", "seed", "outliers",
                                            "outlier-magnitude", "llm-channels", "llm-scale"};
    return s;
}

GeneratorSpec generator_from_args(const Args& a) {
    GeneratorSpec g;
    if (auto d = a.get("dist"))
        if (!parse_distribution(d->c_str(), g.distribution)) throw UsageError("unknown --dist '" + *d + "'");
    if (auto s = a.get("shape"))
        if (!parse_shape(*s, g.shape)) throw UsageError("--shape must look like 1000x1000 (1 to 4 positive dims), got '" + *s + "'");
    g.std = a.get_double("std", g.std);
    g.mean = a.get_double("mean", g.mean);
    g.dof = a.get_double("dof", g.dof);
    const std::int64_t seed = a.get_int("seed", 42);
    if (seed < 0) throw UsageError("--seed must not be negative");
    g.seed = static_cast<std::uint64_t>(seed);
    g.outlier_fraction = a.get_double("outliers", 0.0);
    g.outlier_magnitude = a.get_double("outlier-magnitude", g.outlier_magnitude);
    g.llm_channels = static_cast<int>(a.get_int("llm-channels", 0));
    if (auto r = a.get("llm-scale")) {
        auto colon = r->find(':');
        if (colon == std::string::npos) throw UsageError("--llm-scale must look like MIN:MAX");
        g.llm_scale_min = parse_double("--llm-scale", r->substr(0, colon));
        g.llm_scale_max = parse_double("--llm-scale", r->substr(colon + 1));
    }
    return g;
}

std::shared_ptr<const Tensor> input_tensor(const Args& a, bool allow_generate) {
    if (allow_generate && a.flag("generate")) {
        try {
            return std::make_shared<const Tensor>(generate(generator_from_args(a)));
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
    }
    if (a.positional().empty()) throw UsageError(allow_generate ? "give an input FILE or --generate" : "give an input FILE");
    if (a.positional().size() > 1) throw UsageError("give one input file, got " + std::to_string(a.positional().size()));
    const std::string path = a.positional()[0];
    auto mf = open_model_file(path);
    if (!mf) throw std::runtime_error(mf.error().message());
    auto& file = *mf.value();
    std::string name = a.get_or("tensor", "");
    if (name.empty()) {
        if (file.tensors().size() != 1)
            throw UsageError(path + " holds " + std::to_string(file.tensors().size()) +
                             " tensors: choose one with --tensor NAME (see quantlens info " + path + ")");
        name = file.tensors()[0].name;
    }
    auto t = file.load(name);
    if (!t) throw std::runtime_error(t.error().message());
    return std::make_shared<const Tensor>(std::move(t).value());
}

} // namespace ql::cli
