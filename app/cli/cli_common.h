// Pieces the headless subcommands share: quantization options, tensor input (a .npy file or the
// generator), and printing.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "cli/args.h"
#include "core/generators.h"
#include "core/quant_config.h"
#include "core/tensor.h"

namespace ql::cli {

// --format --bits --scheme --granularity --axis --group-size --block-size --scale-type --range --percentile
const std::set<std::string>& config_options();
QuantConfig config_from_args(const Args& a);
extern const char* const kConfigHelp;

// --dist --shape --std --mean --dof --seed --outliers --outlier-magnitude --llm-channels --llm-scale
const std::set<std::string>& generator_options();
GeneratorSpec generator_from_args(const Args& a);
extern const char* const kGeneratorHelp;

// The tensor a command works on: the positional FILE (with --tensor NAME for multi-tensor files), or
// the generator when --generate is given. Throws std::runtime_error with the loader's message.
std::shared_ptr<const Tensor> input_tensor(const Args& a, bool allow_generate);

std::set<std::string> merge(std::initializer_list<std::set<std::string>> sets);

} // namespace ql::cli
