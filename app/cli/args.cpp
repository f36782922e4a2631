// Argument parsing for the headless subcommands.
#include "cli/args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace ql::cli {

Args::Args(const std::vector<std::string>& args, const std::set<std::string>& value_options,
           const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::string key = a.substr(2);
            std::optional<std::string> inline_value;
            if (auto eq = key.find('='); eq != std::string::npos) {
                inline_value = key.substr(eq + 1);
                key = key.substr(0, eq);
            }
            if (value_options.count(key)) {
                if (inline_value) {
                    values_[key] = *inline_value;
                } else {
                    if (i + 1 >= args.size()) throw UsageError("option --" + key + " needs a value");
                    values_[key] = args[++i];
                }
            } else if (flags.count(key)) {
                if (inline_value) throw UsageError("option --" + key + " takes no value");
                flags_.insert(key);
            } else {
                throw UsageError("unknown option --" + key);
            }
        } else {
            positional_.push_back(a);
        }
    }
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
    auto v = get(name);
    return v ? *v : fallback;
}

std::string Args::require(const std::string& name) const {
    auto v = get(name);
    if (!v) throw UsageError("missing required option --" + name);
    return *v;
}

std::int64_t Args::get_int(const std::string& name, std::int64_t fallback) const {
    auto v = get(name);
    return v ? parse_int("--" + name, *v) : fallback;
}

double Args::get_double(const std::string& name, double fallback) const {
    auto v = get(name);
    return v ? parse_double("--" + name, *v) : fallback;
}

std::int64_t parse_int(const std::string& option, const std::string& text) {
    // Accept integers written in floating-point notation ("7e9") when they are whole numbers.
    double d = parse_double(option, text);
    if (d != std::floor(d) || std::fabs(d) > 9.0e18)
        throw UsageError(option + " needs a whole number, got '" + text + "'");
    return static_cast<std::int64_t>(d);
}

double parse_double(const std::string& option, const std::string& text) {
    if (text.empty()) throw UsageError(option + " needs a number, got an empty value");
    errno = 0;
    char* end = nullptr;
    double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(d))
        throw UsageError(option + " needs a number, got '" + text + "'");
    return d;
}

} // namespace ql::cli
