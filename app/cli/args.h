// Small argument parser for the headless subcommands: "--key value", "--key=value", "--flag" and
// positionals. Unknown options and malformed numbers are errors with a clear message (exit code 2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace ql::cli {

// Thrown for bad arguments; the dispatcher prints "quantlens CMD: <message>" and exits with code 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // value_options take a value; flags do not. Anything else starting with "--" is an error.
    Args(const std::vector<std::string>& args, const std::set<std::string>& value_options,
         const std::set<std::string>& flags);

    const std::vector<std::string>& positional() const { return positional_; }
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const;
    std::string get_or(const std::string& name, const std::string& fallback) const;
    std::string require(const std::string& name) const;   // UsageError when missing
    // Numbers: the whole text must parse; UsageError names the option and the text otherwise.
    std::int64_t get_int(const std::string& name, std::int64_t fallback) const;
    double get_double(const std::string& name, double fallback) const;

private:
    std::vector<std::string> positional_;
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
};

std::int64_t parse_int(const std::string& option, const std::string& text);
double parse_double(const std::string& option, const std::string& text);  // accepts 7e9

} // namespace ql::cli
