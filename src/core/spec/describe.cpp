// Plain words for what a schema accepts, for explain_for_llm (docs/spec.md, "explain_for_llm
// format"). In json mode the words are JSON's (object, array, null) and literal values
// are rendered as JSON, because that is what the model wrote and must write back.
#include <string>

#include "explain.hpp"
#include "text.hpp"

namespace persistence::spec::detail {

namespace {

constexpr size_t literal_chars = 30;
constexpr size_t max_choices = 12;
constexpr size_t max_keys = 8;
constexpr size_t max_branches = 6;

std::string bound_text(edn::ValueRef written, int64_t fallback, bool json) {
    if (written.data()) return render(written, json, literal_chars);
    return std::to_string(fallback);
}

bool counts(Kind k) {
    return k == Kind::string || k == Kind::vector || k == Kind::sequential || k == Kind::set ||
           k == Kind::map_of;
}

std::string items_of(const Compiled& c, const Node& n, const char* what, bool json, int depth) {
    const Node& child = c.node(n.children[0]);
    if (depth >= 2 || child.kind == Kind::any) return "";
    return std::string(" (") + what + ": " + describe(c, child, json, depth + 1) + ")";
}

}  // namespace

std::string unit(const Node& n, uint64_t count) {
    if (n.kind == Kind::string) return count_of(count, "character", "characters");
    if (n.kind == Kind::map_of) return count_of(count, "entry", "entries");
    return count_of(count, "item", "items");
}

std::string bounds(const Node& n, bool json) {
    if (!n.has_min && !n.has_max) return "";
    if (counts(n.kind)) {
        if (n.has_min && n.has_max) {
            if (n.imin == n.imax) return " of exactly " + unit(n, uint64_t(n.imin));
            return " of " + std::to_string(n.imin) + " to " + unit(n, uint64_t(n.imax));
        }
        if (n.has_min) return " of at least " + unit(n, uint64_t(n.imin));
        return " of at most " + unit(n, uint64_t(n.imax));
    }
    std::string lo = bound_text(n.min_value, n.imin, json), hi = bound_text(n.max_value, n.imax, json);
    if (n.has_min && n.has_max) return lo == hi ? " equal to " + lo : " between " + lo + " and " + hi;
    if (n.has_min) return " of at least " + lo;
    return " of at most " + hi;
}

std::string choices(const Node& n, bool json) {
    const std::vector<edn::ValueRef>& values = n.listed;
    size_t total = n.kind == Kind::multi ? n.branches.size() : n.members.size();
    std::string out;
    for (size_t i = 0; i < values.size() && i < max_choices; ++i) {
        if (i) out += ' ';
        out += render(values[i], json, literal_chars);
    }
    if (total > max_choices) out += " ... (" + std::to_string(total) + " in all)";
    return out;
}

std::string describe(const Compiled& c, const Node& n, bool json, int depth) {
    switch (n.kind) {
        case Kind::any:
            return "any value";
        case Kind::nil:
            return json ? "null" : "nil";
        case Kind::boolean:
            return "a boolean";
        case Kind::int_:
            return "an integer" + bounds(n, json);
        case Kind::double_:
            return (json ? "a number" : "a double") + bounds(n, json);
        case Kind::number:
            return "a number" + bounds(n, json);
        case Kind::string:
            return "a string" + bounds(n, json);
        case Kind::keyword:
            return "a keyword";
        case Kind::symbol:
            return "a symbol";
        case Kind::uuid:
            return json ? "a UUID string (8-4-4-4-12 hex digits)" : "a UUID";
        case Kind::inst:
            return json ? "an RFC 3339 timestamp string such as \"2026-01-31T09:30:00Z\""
                        : "an #inst instant";
        case Kind::map: {
            std::string out = json ? "an object" : "a map";
            std::string keys;
            size_t listed = 0, required = 0;
            for (const Entry& e : n.entries) {
                if (e.optional) continue;
                ++required;
                if (listed == max_keys) continue;
                keys += (listed++ ? " " : "") + render(e.key, json, literal_chars);
            }
            if (required == 0) return out;
            if (required > listed) keys += " ...";
            return out + " with keys " + keys;
        }
        case Kind::map_of: {
            std::string out = (json ? "an object" : "a map") + bounds(n, json);
            if (depth >= 2) return out;
            return out + " (keys: " + describe(c, c.node(n.children[0]), json, depth + 1) +
                   "; values: " + describe(c, c.node(n.children[1]), json, depth + 1) + ")";
        }
        case Kind::vector:
            return (json ? "an array" : "a vector") + bounds(n, json) + items_of(c, n, "items", json, depth);
        case Kind::sequential:
            return (json ? "an array" : "a vector or list") + bounds(n, json) +
                   items_of(c, n, "items", json, depth);
        case Kind::set:
            return (json ? "an array of distinct items" : "a set") + bounds(n, json) +
                   items_of(c, n, json ? "items" : "members", json, depth);
        case Kind::tuple: {
            std::string out = std::string(json ? "an array" : "a vector") + " of exactly " +
                              count_of(n.children.size(), "item", "items");
            if (depth >= 2 || n.children.empty()) return out;
            out += " (";
            for (size_t i = 0; i < n.children.size(); ++i)
                out += (i ? ", " : "") + describe(c, c.node(n.children[i]), json, depth + 1);
            return out + ")";
        }
        case Kind::enum_:
            return "one of " + choices(n, json);
        case Kind::equals:
            return "exactly " + render(n.members[0], json, literal_chars);
        case Kind::or_: {
            std::string out;
            size_t k = n.children.size();
            if (k > max_branches) {
                for (size_t i = 0; i < max_branches; ++i)
                    out += describe(c, c.node(n.children[i]), json, depth + 1) + ", ";
                return out + "... (one of " + std::to_string(k) + " alternatives)";
            }
            for (size_t i = 0; i < k; ++i) {
                if (i) out += i + 1 == k ? " or " : ", ";
                out += describe(c, c.node(n.children[i]), json, depth + 1);
            }
            return out;
        }
        case Kind::and_: {
            std::string out = describe(c, c.node(n.children[0]), json, depth + 1);
            for (size_t i = 1; i < n.children.size(); ++i) {
                const Node& child = c.node(n.children[i]);
                if (child.kind == Kind::fn)
                    out += " accepted by " + child.name;
                else if (child.kind == Kind::re)
                    out += " matching " + render(child.schema.item(child.schema.count() - 1), json, 60);
                else
                    out += " that is also " + describe(c, child, json, depth + 1);
            }
            return out;
        }
        case Kind::not_:
            return "anything except " + describe(c, c.node(n.children[0]), json, depth + 1);
        case Kind::maybe:
            return describe(c, c.node(n.children[0]), json, depth + 1) + (json ? " or null" : " or nil");
        case Kind::re:
            return "a string matching " + render(n.schema.item(n.schema.count() - 1), json, 60);
        case Kind::multi: {
            return std::string(json ? "an object whose " : "a map whose ") +
                   render(n.dispatch_key, json, literal_chars) + " is one of " + choices(n, json);
        }
        case Kind::ref:
            return "a value matching the spec " + n.name;
        case Kind::fn:
            return "a value accepted by " + n.name;
    }
    return "a value";
}

}  // namespace persistence::spec::detail
