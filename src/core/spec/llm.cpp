// explain_for_llm(): one line per problem, then a summary line. The format is pinned in
// docs/spec.md ("explain_for_llm format") and by golden tests; change both together.
//
//   at LOCATION: expected EXPECTED, got RECEIVED; FIX
//   N problems; fix them and resend the whole value.
//
// It is written for the repair loop: a model reads the lines and resends the whole value,
// so every line names where (a path the model can follow in what it wrote), what was
// expected, what it sent (cut to 60 characters) and one concrete edit.
#include <string>

#include "explain.hpp"
#include "persistence/edn/utf8.hpp"
#include "text.hpp"

namespace persistence::spec::detail {

namespace {

using edn::Tag;
using edn::ValueRef;

constexpr size_t value_chars = 60;
constexpr size_t key_chars = 40;
constexpr size_t listed_keys = 12;
constexpr size_t max_words = 300;  // characters of EXPECTED and of FIX

// A key readable as .name: an identifier-like keyword (or, in json mode, string), so the
// dot path cannot be misread. Anything else is written [key].
bool simple_name(std::string_view s) {
    if (s.empty()) return false;
    auto letter = [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_'; };
    if (!letter(s[0])) return false;
    for (char ch : s)
        if (!(letter(ch) || (ch >= '0' && ch <= '9') || ch == '-' || ch == '?' || ch == '!' || ch == '*' ||
              ch == '+' || ch == '/'))
            return false;
    return true;
}

std::string location(const RawProblem& p, bool json) {
    std::string out;
    for (const Seg& s : p.in) {
        switch (s.t) {
            case Seg::T::index:
                out += "[" + std::to_string(s.i) + "]";
                break;
            case Seg::T::member:
                out += "#{" + render(s.v, json, key_chars) + "}";
                break;
            default: {
                Tag t = s.v.tag();
                if ((t == Tag::keyword || (json && t == Tag::string)) && simple_name(s.v.as_text()))
                    out += "." + std::string(s.v.as_text());
                else
                    out += "[" + render(s.v, json, key_chars) + "]";
            }
        }
    }
    if (out.empty()) out = "top level";
    if (p.in_key) out += " (key)";
    return out;
}

std::string allowed_keys(const Node& map, bool json) {
    if (map.entries.empty()) return "no keys";
    if (map.entries.size() > listed_keys) return "only the keys the spec names";
    std::string out = "only the keys";
    for (const Entry& e : map.entries) out += " " + render(e.key, json, key_chars);
    return out;
}

// The length or count a bound applies to, for "(95 characters)".
uint64_t size_of(const Node& n, ValueRef v) {
    if (n.kind == Kind::string) {
        uint64_t k = 0;
        for (unsigned char ch : v.as_text()) k += (ch & 0xC0) != 0x80;
        return k;
    }
    return v.count();
}

bool counted(const Node& n) {
    return n.kind == Kind::string || n.kind == Kind::vector || n.kind == Kind::sequential ||
           n.kind == Kind::set || n.kind == Kind::map_of;
}

std::string line(const RawProblem& p, bool json) {
    const Compiled& c = *p.spec;
    const Node& n = *p.node;
    std::string expected, got, fix;
    if (p.value.data()) got = render(p.value, json, value_chars);
    switch (p.kind) {
        case ProblemKind::missing_key:
            expected = n.kind == Kind::multi ? "one of " + choices(n, json) : describe(c, n, json);
            got = "nothing";
            fix = "add the required key " + render(p.key, json, key_chars) + " (" + expected + ")";
            break;
        case ProblemKind::extra_key:
            expected = allowed_keys(n, json);
            got = "the extra key " + render(p.key, json, key_chars);
            fix = "remove the key " + render(p.key, json, key_chars);
            break;
        case ProblemKind::too_small:
        case ProblemKind::too_large: {
            bool small = p.kind == ProblemKind::too_small;
            expected = describe(c, n, json);
            if (counted(n)) {
                uint64_t limit = uint64_t(small ? n.imin : n.imax);
                got += " (" + unit(n, size_of(n, p.value)) + ")";
                if (n.kind == Kind::string)
                    fix = std::string("make it ") + (small ? "at least " : "at most ") + unit(n, limit);
                else
                    fix = std::string("give ") + (small ? "at least " : "at most ") + unit(n, limit);
            } else {
                ValueRef b = small ? n.min_value : n.max_value;
                std::string bound =
                    b.data() ? render(b, json, key_chars) : std::to_string(small ? n.imin : n.imax);
                fix = std::string("make it ") + (small ? "at least " : "at most ") + bound;
            }
            break;
        }
        case ProblemKind::wrong_count:
            expected = describe(c, n, json);
            got += " (" + count_of(p.value.count(), "item", "items") + ")";
            fix = "give exactly " + count_of(n.children.size(), "item", "items");
            break;
        case ProblemKind::not_in_enum:
            expected = describe(c, n, json);
            fix = "use one of " + choices(n, json);
            break;
        case ProblemKind::not_equal:
            expected = describe(c, n, json);
            fix = "use exactly " + render(n.members[0], json, value_chars);
            break;
        case ProblemKind::regex_mismatch:
            expected = describe(c, n, json);
            fix = "change it to match " + render(n.schema.item(n.schema.count() - 1), json, value_chars);
            break;
        case ProblemKind::invalid_dispatch:
            expected = "one of " + choices(n, json);
            fix = "use one of " + choices(n, json);
            break;
        case ProblemKind::fn_false:
            expected = describe(c, n, json);
            fix = "change it so that " + n.name + " accepts it";
            break;
        case ProblemKind::not_allowed:
            expected = describe(c, n, json);
            fix = "replace it with " + expected;
            break;
        case ProblemKind::wrong_type:
        case ProblemKind::no_match:
            expected = describe(c, n, json);
            fix = "replace it with " + expected;
            break;
    }
    // A description is linear in the schema; a huge schema must not make a huge line.
    auto cap = [](std::string& s) {
        if (edn::utf8::count(s) > max_words) s = std::string(edn::utf8::prefix(s, max_words - 3)) + "...";
    };
    cap(expected);
    cap(fix);
    return "at " + location(p, json) + ": expected " + expected + ", got " + got + "; " + fix;
}

}  // namespace

std::string llm_text(const Walker& w, bool json) {
    const auto& problems = w.problems();
    if (problems.empty()) return "";
    std::string out;
    for (const RawProblem& p : problems) out += line(p, json) + "\n";
    size_t k = problems.size();
    if (w.truncated())
        out += "more than " + std::to_string(k) + " problems (the first " + std::to_string(k) +
               " are listed); fix them and resend the whole value.";
    else if (k == 1)
        out += "1 problem; fix it and resend the whole value.";
    else
        out += std::to_string(k) + " problems; fix them and resend the whole value.";
    return out;
}

}  // namespace persistence::spec::detail

namespace persistence::spec {

core::Result<std::string> explain_for_llm(const Spec& spec, edn::ValueRef value, const Options& options) {
    detail::Walker w(options, true);
    core::Status s = detail::walk(spec, value, w);
    if (!s) return s.error();
    return detail::llm_text(w, options.json_keys);
}

}  // namespace persistence::spec
