// Strict JSON parsing on top of nlohmann-json (see json_strict.h).
#include "core/json_strict.h"

#include <map>
#include <set>
#include <vector>

#include "core/byte_reader.h"

namespace ql {
namespace {

struct DuplicateKey {
    std::string key;
    std::size_t occurrence;  // which occurrence of the key text is the duplicate (0-based)
};
struct TooDeep {};

// Offset of the n-th occurrence of "key" in text (the text JSON-escapes are not undone: a key with
// escapes is found only when written plainly, else npos).
std::size_t nth_key(std::string_view text, const std::string& key, std::size_t n) {
    const std::string needle = nlohmann::json(key).dump();
    std::size_t pos = 0;
    for (std::size_t k = 0;;) {
        pos = text.find(needle, pos);
        if (pos == std::string_view::npos) return pos;
        std::size_t after = pos + needle.size();
        while (after < text.size() && (text[after] == ' ' || text[after] == '\t' || text[after] == '\n' || text[after] == '\r')) ++after;
        if (after < text.size() && text[after] == ':') {  // a key, not a value that happens to be equal
            if (k == n) return pos;
            ++k;
        }
        pos += needle.size();
    }
}

} // namespace

std::uint64_t json_key_offset(std::string_view text, std::uint64_t base, const std::string& key, std::uint64_t fallback) {
    const std::size_t p = nth_key(text, key, 0);
    return p == std::string_view::npos ? fallback : base + p;
}

Result<nlohmann::json> parse_json_strict(std::string_view text, const std::string& file, std::uint64_t base, int max_depth) {
    if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos)
        return make_error(file, base + bad, "invalid UTF-8 in JSON text");
    std::vector<std::set<std::string>> keys;  // the keys seen in each open object
    std::map<std::string, std::size_t> seen_count;  // occurrences of each key text so far (for the offset)
    auto cb = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) -> bool {
        using E = nlohmann::json::parse_event_t;
        if (depth > max_depth) throw TooDeep{};
        switch (event) {
        case E::object_start: keys.emplace_back(); break;
        case E::object_end:
            if (!keys.empty()) keys.pop_back();
            break;
        case E::key: {
            const std::string& k = parsed.get_ref<const std::string&>();
            const std::size_t occ = seen_count[k]++;
            if (!keys.empty() && !keys.back().insert(k).second) throw DuplicateKey{k, occ};
            break;
        }
        default: break;
        }
        return true;
    };
    try {
        return nlohmann::json::parse(text.begin(), text.end(), cb);
    } catch (const nlohmann::json::parse_error& e) {
        std::string what = e.what();
        if (auto p = what.find("parse error"); p != std::string::npos) what = what.substr(p);
        const std::uint64_t at = e.byte > 0 ? e.byte - 1 : 0;
        return make_error(file, base + at, "invalid JSON: " + what);
    } catch (const DuplicateKey& d) {
        const std::size_t p = nth_key(text, d.key, d.occurrence);
        const std::string rule = "duplicate key '" + printable(d.key, 200) + "' in a JSON object (each name may appear once)";
        return p == std::string_view::npos ? make_error(file, base, rule) : make_error(file, base + p, rule);
    } catch (const TooDeep&) {
        return make_error(file, base, "JSON nested deeper than " + std::to_string(max_depth) + " levels");
    } catch (const nlohmann::json::exception& e) {
        return make_error(file, base, std::string("invalid JSON: ") + e.what());
    }
}

} // namespace ql
