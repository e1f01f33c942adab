// compile(): schema EDN → Compiled nodes, rejecting every malformed part with 22P02 and
// its schema path (docs/spec.md, "Paths"), so a bad schema fails when it is defined and
// never while a value is checked.
#include <algorithm>
#include <cmath>

#include "compiled.hpp"
#include "persistence/edn/compare.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/edn/utf8.hpp"
#include "text.hpp"

namespace persistence::spec {

namespace detail {
namespace {

using edn::Tag;
using edn::ValueRef;

struct Named {
    const char* name;
    Kind kind;
};

constexpr Named kind_names[] = {
    {"any", Kind::any},       {"nil", Kind::nil},         {"boolean", Kind::boolean},
    {"int", Kind::int_},      {"double", Kind::double_},  {"number", Kind::number},
    {"string", Kind::string}, {"keyword", Kind::keyword}, {"symbol", Kind::symbol},
    {"uuid", Kind::uuid},     {"inst", Kind::inst},       {"map", Kind::map},
    {"map-of", Kind::map_of}, {"vector", Kind::vector},   {"sequential", Kind::sequential},
    {"set", Kind::set},       {"tuple", Kind::tuple},     {"enum", Kind::enum_},
    {"=", Kind::equals},      {"or", Kind::or_},          {"and", Kind::and_},
    {"not", Kind::not_},      {"maybe", Kind::maybe},     {"re", Kind::re},
    {"multi", Kind::multi},   {"ref", Kind::ref},         {"fn", Kind::fn},
};

bool kind_named(std::string_view s, Kind& out) {
    for (const Named& n : kind_names)
        if (s == n.name) {
            out = n.kind;
            return true;
        }
    return false;
}

bool is_leaf(Kind k) { return k <= Kind::inst; }
bool has_value_bounds(Kind k) { return k == Kind::int_ || k == Kind::double_ || k == Kind::number; }
bool has_count_bounds(Kind k) {
    return k == Kind::string || k == Kind::vector || k == Kind::sequential || k == Kind::set ||
           k == Kind::map_of;
}
bool valid_key(ValueRef k) {
    Tag t = k.tag();
    return t == Tag::keyword || t == Tag::string || t == Tag::symbol || t == Tag::integer;
}

class Compiler {
   public:
    Compiler(Compiled& c, const CompileOptions& o) : c_(c), o_(o) {}

    bool schema(ValueRef v, uint32_t& out);
    core::Error error;

   private:
    // One path segment for as long as it lives.
    struct Seg {
        Seg(Compiler& c, std::string s) : c_(c) { c_.path_.push_back(std::move(s)); }
        ~Seg() { c_.path_.pop_back(); }
        Compiler& c_;
    };

    bool fail(const std::string& what, const char* code = core::sqlstate::invalid_text_representation) {
        std::string at = "[";
        for (size_t i = 0; i < path_.size(); ++i) at += (i ? " " : "") + path_[i];
        at += "]";
        error = core::Error(code, "invalid schema at " + at + ": " + what,
                            "See docs/spec.md, \"Schema kinds\", for the schema language.");
        return false;
    }
    uint32_t add(Kind k, ValueRef schema) {
        c_.nodes.emplace_back();
        c_.nodes.back().kind = k;
        c_.nodes.back().schema = schema;
        return uint32_t(c_.nodes.size() - 1);
    }
    Node& at(uint32_t i) { return c_.nodes[i]; }
    uint32_t twin(std::string_view keyword_text) {
        edn::Encoder enc;
        enc.string(keyword_text);
        auto r = enc.finish();
        uint32_t off = uint32_t(c_.aux.size());
        c_.aux += r.value();
        return off;
    }

    bool keyword_schema(ValueRef v, uint32_t& out);
    bool symbol_schema(ValueRef v, uint32_t& out);
    bool vector_schema(ValueRef v, uint32_t& out);
    bool props(ValueRef p, uint32_t node);
    bool bound(std::string_view which, ValueRef val, uint32_t node);
    bool children(ValueRef v, uint32_t first, uint32_t node, bool indexed);
    bool map_entries(ValueRef v, uint32_t first, uint32_t node);
    bool multi_branches(ValueRef v, uint32_t first, uint32_t node);
    bool regex(ValueRef v, uint32_t node);
    bool name_child(ValueRef v, uint32_t first, uint32_t node);

    Compiled& c_;
    const CompileOptions& o_;
    std::vector<std::string> path_;
    uint32_t depth_ = 0;
};

bool Compiler::schema(ValueRef v, uint32_t& out) {
    if (depth_ >= o_.max_depth)
        return fail("schema nested deeper than " + std::to_string(o_.max_depth) + " levels",
                    core::sqlstate::program_limit_exceeded);
    ++depth_;
    bool ok;
    switch (v.tag()) {
        case Tag::keyword:
            ok = keyword_schema(v, out);
            break;
        case Tag::symbol:
            ok = symbol_schema(v, out);
            break;
        case Tag::vector:
            ok = vector_schema(v, out);
            break;
        default:
            ok = fail(
                "a schema is a type keyword such as :int, a predicate symbol such as int?, or a vector "
                "such as [:vector :int]; got " +
                printed(v));
    }
    --depth_;
    return ok;
}

bool Compiler::keyword_schema(ValueRef v, uint32_t& out) {
    Kind k;
    if (!kind_named(v.as_text(), k)) return fail("unknown schema type " + printed(v));
    if (!is_leaf(k) && k != Kind::map)
        return fail(printed(v) + " needs arguments: write [" + printed(v) + " ...]");
    out = add(k, v);
    return true;
}

// malli's predicate symbols, for schemas written in that style.
bool Compiler::symbol_schema(ValueRef v, uint32_t& out) {
    std::string_view s = v.as_text();
    static constexpr Named simple[] = {
        {"any?", Kind::any},         {"nil?", Kind::nil},       {"boolean?", Kind::boolean},
        {"int?", Kind::int_},        {"integer?", Kind::int_},  {"double?", Kind::double_},
        {"float?", Kind::double_},   {"number?", Kind::number}, {"string?", Kind::string},
        {"keyword?", Kind::keyword}, {"symbol?", Kind::symbol}, {"uuid?", Kind::uuid},
        {"inst?", Kind::inst},       {"map?", Kind::map},
    };
    for (const Named& n : simple)
        if (s == n.name) {
            out = add(n.kind, v);
            return true;
        }
    if (s == "pos-int?" || s == "neg-int?" || s == "nat-int?") {
        out = add(Kind::int_, v);
        Node& n = at(out);
        if (s == "neg-int?")
            n.has_max = true, n.imax = -1;
        else
            n.has_min = true, n.imin = s == "pos-int?" ? 1 : 0;
        return true;
    }
    Kind coll = s == "vector?"       ? Kind::vector
                : s == "sequential?" ? Kind::sequential
                : s == "set?"        ? Kind::set
                : s == "some?"       ? Kind::not_
                                     : Kind::any;
    if (coll == Kind::any) return fail("unknown predicate " + printed(v));
    out = add(coll, v);
    uint32_t child = add(coll == Kind::not_ ? Kind::nil : Kind::any, v);
    at(out).children.push_back(child);
    return true;
}

bool Compiler::vector_schema(ValueRef v, uint32_t& out) {
    uint32_t n = v.count();
    if (n == 0) return fail("empty schema vector; a schema vector starts with a type keyword such as :map");
    ValueRef head = v.item(0);
    Kind k;
    if (head.tag() != Tag::keyword)
        return fail("a schema vector starts with a type keyword such as :map; got " + printed(head));
    if (!kind_named(head.as_text(), k)) return fail("unknown schema type " + printed(head));
    Seg seg(*this, printed(head));
    out = add(k, v);
    uint32_t first = 1;
    // A map after the type is the properties, except as the only argument of := / :enum,
    // where it is the value.
    bool value_kind = k == Kind::equals || k == Kind::enum_;
    if (n > 1 && v.item(1).tag() == Tag::map && (!value_kind || n > 2)) {
        if (!props(v.item(1), out)) return false;
        first = 2;
    }
    uint32_t args = n - first;
    std::string name = printed(head);
    auto exactly = [&](uint32_t want, const char* what) {
        if (args == want) return true;
        return fail("[" + name + "] takes exactly " + std::to_string(want) + " " + what + ", got " +
                    std::to_string(args));
    };
    auto at_least_one = [&](const char* what) {
        if (args >= 1) return true;
        return fail("[" + name + "] needs at least one " + std::string(what));
    };
    if (is_leaf(k)) {
        if (args != 0) return fail("[" + name + "] takes only properties, no child schemas");
        return true;
    }
    switch (k) {
        case Kind::map:
            return map_entries(v, first, out);
        case Kind::map_of: {
            if (!exactly(2, "child schemas (key and value)")) return false;
            uint32_t key, val;
            {
                Seg s(*this, ":key");
                if (!schema(v.item(first), key)) return false;
            }
            {
                Seg s(*this, ":value");
                if (!schema(v.item(first + 1), val)) return false;
            }
            at(out).children = {key, val};
            return true;
        }
        case Kind::vector:
        case Kind::sequential:
        case Kind::set:
        case Kind::not_:
        case Kind::maybe:
            return exactly(1, "child schema") && children(v, first, out, false);
        case Kind::tuple:
            return children(v, first, out, true);
        case Kind::or_:
        case Kind::and_:
            return at_least_one("child schema") && children(v, first, out, true);
        case Kind::enum_: {
            if (!at_least_one("value")) return false;
            std::vector<ValueRef>& m = at(out).members;
            for (uint32_t i = first; i < n; ++i) {
                ValueRef x = v.item(i);
                m.push_back(x);
                std::vector<ValueRef>& listed = at(out).listed;
                if (listed.size() == 64) continue;
                bool seen = false;
                for (ValueRef y : listed) seen = seen || edn::equal(x, y);
                if (!seen) listed.push_back(x);
            }
            std::sort(m.begin(), m.end(), [](ValueRef a, ValueRef b) { return edn::compare(a, b) < 0; });
            m.erase(std::unique(m.begin(), m.end(), [](ValueRef a, ValueRef b) { return edn::equal(a, b); }),
                    m.end());
            return true;
        }
        case Kind::equals:
            if (!exactly(1, "value")) return false;
            at(out).members.push_back(v.item(first));
            return true;
        case Kind::re:
            return exactly(1, "pattern string") && regex(v.item(first), out);
        case Kind::multi:
            return multi_branches(v, first, out);
        case Kind::ref:
        case Kind::fn:
            return exactly(1, k == Kind::ref ? "spec name" : "function name") && name_child(v, first, out);
        default:
            return fail("unsupported schema type " + name);
    }
}

bool Compiler::children(ValueRef v, uint32_t first, uint32_t node, bool indexed) {
    for (uint32_t i = first; i < v.count(); ++i) {
        uint32_t child;
        if (indexed) {
            Seg s(*this, std::to_string(i - first));
            if (!schema(v.item(i), child)) return false;
        } else if (!schema(v.item(i), child)) {
            return false;
        }
        at(node).children.push_back(child);
    }
    return true;
}

bool Compiler::props(ValueRef p, uint32_t node) {
    Kind k = at(node).kind;
    for (uint32_t i = 0; i < p.count(); ++i) {
        ValueRef key = p.map_key(i), val = p.map_val(i);
        Seg s(*this, printed(key));
        if (key.tag() != Tag::keyword) return fail("property keys are keywords; got " + printed(key));
        std::string_view name = key.as_text();
        // Annotations: documentation and namespaced keys are the user's, never checked.
        if (name.find('/') != std::string_view::npos || name == "title" || name == "description" ||
            name == "doc")
            continue;
        if ((name == "min" || name == "max") && (has_value_bounds(k) || has_count_bounds(k))) {
            if (!bound(name, val, node)) return false;
        } else if (name == "closed" && k == Kind::map) {
            if (val.tag() != Tag::true_ && val.tag() != Tag::false_)
                return fail(":closed must be true or false; got " + printed(val));
            at(node).closed = val.as_bool();
        } else if (name == "dispatch" && k == Kind::multi) {
            if (!valid_key(val))
                return fail(":dispatch must be a map key (a keyword, string, symbol or integer); got " +
                            printed(val));
            at(node).dispatch_key = val;
            if (val.tag() == Tag::keyword) at(node).dispatch_json_key = twin(val.as_text());
        } else {
            std::string allowed = has_value_bounds(k) || has_count_bounds(k) ? ":min :max"
                                  : k == Kind::map                           ? ":closed"
                                  : k == Kind::multi                         ? ":dispatch"
                                                                             : "";
            return fail("unknown property " + printed(key) + " of :" + kind_name(k) +
                        " (allowed: " + (allowed.empty() ? "" : allowed + ", ") +
                        ":title :description :doc, namespaced keys)");
        }
    }
    Node& n = at(node);
    if (n.has_min && n.has_max) {
        bool inverted = k == Kind::double_ || k == Kind::number ? n.dmin > n.dmax : n.imin > n.imax;
        if (inverted) return fail(":min is greater than :max");
    }
    return true;
}

bool Compiler::bound(std::string_view which, ValueRef val, uint32_t node) {
    Node& n = at(node);
    bool is_min = which == "min";
    std::string what = ":" + std::string(which) + " of :" + kind_name(n.kind);
    if (n.kind == Kind::double_ || n.kind == Kind::number) {
        double d;
        if (val.tag() == Tag::integer)
            d = double(val.as_int());
        else if (val.tag() == Tag::double_ && !std::isnan(val.as_double()))
            d = val.as_double();
        else
            return fail(what + " must be a number (an integer or a double); got " + printed(val));
        (is_min ? n.dmin : n.dmax) = d;
    } else {
        if (val.tag() != Tag::integer) return fail(what + " must be an integer; got " + printed(val));
        int64_t i = val.as_int();
        if (has_count_bounds(n.kind) && i < 0)
            return fail(what + " must not be negative; got " + printed(val));
        (is_min ? n.imin : n.imax) = i;
    }
    (is_min ? n.has_min : n.has_max) = true;
    (is_min ? n.min_value : n.max_value) = val;
    return true;
}

bool Compiler::map_entries(ValueRef v, uint32_t first, uint32_t node) {
    for (uint32_t i = first; i < v.count(); ++i) {
        ValueRef e = v.item(i);
        uint32_t index = i - first;
        if (e.tag() != Tag::vector || e.count() < 2 || e.count() > 3) {
            Seg s(*this, std::to_string(index));
            return fail("a map entry is [key schema] or [key {:optional true} schema]; got " + printed(e));
        }
        ValueRef key = e.item(0);
        if (!valid_key(key)) {
            Seg s(*this, std::to_string(index));
            return fail("a map key must be a keyword, string, symbol or integer; got " + printed(key));
        }
        Seg s(*this, printed(key));
        Entry entry;
        entry.key = key;
        if (e.count() == 3) {
            ValueRef p = e.item(1);
            if (p.tag() != Tag::map) return fail("entry properties must be a map; got " + printed(p));
            for (uint32_t j = 0; j < p.count(); ++j) {
                ValueRef pk = p.map_key(j), pv = p.map_val(j);
                Seg ps(*this, printed(pk));
                std::string_view name = pk.tag() == Tag::keyword ? pk.as_text() : std::string_view();
                if (name == "optional") {
                    if (pv.tag() != Tag::true_ && pv.tag() != Tag::false_)
                        return fail(":optional must be true or false; got " + printed(pv));
                    entry.optional = pv.as_bool();
                } else if (name.empty() || !(name.find('/') != std::string_view::npos || name == "title" ||
                                             name == "description" || name == "doc")) {
                    return fail("unknown entry property " + printed(pk) +
                                " (allowed: :optional :title :description :doc, namespaced keys)");
                }
            }
        }
        if (!schema(e.item(e.count() - 1), entry.child)) return false;
        if (key.tag() == Tag::keyword) entry.json_key = twin(key.as_text());
        at(node).entries.push_back(entry);
    }
    Node& n = at(node);
    n.by_key.resize(n.entries.size());
    for (uint32_t i = 0; i < n.by_key.size(); ++i) n.by_key[i] = i;
    std::sort(n.by_key.begin(), n.by_key.end(),
              [&](uint32_t a, uint32_t b) { return edn::compare(n.entries[a].key, n.entries[b].key) < 0; });
    for (size_t i = 1; i < n.by_key.size(); ++i)
        if (edn::equal(n.entries[n.by_key[i - 1]].key, n.entries[n.by_key[i]].key)) {
            Seg s(*this, printed(n.entries[n.by_key[i]].key));
            return fail("duplicate key " + printed(n.entries[n.by_key[i]].key));
        }
    for (uint32_t i = 0; i < n.entries.size(); ++i)
        if (n.entries[i].json_key != no_offset) n.by_json_key.push_back(i);
    std::sort(n.by_json_key.begin(), n.by_json_key.end(), [&](uint32_t a, uint32_t b) {
        return edn::compare(c_.aux_value(n.entries[a].json_key), c_.aux_value(n.entries[b].json_key)) < 0;
    });
    return true;
}

bool Compiler::multi_branches(ValueRef v, uint32_t first, uint32_t node) {
    if (at(node).dispatch_key.data() == nullptr)
        return fail("[:multi] needs properties with the dispatch key: [:multi {:dispatch :type} ...]");
    if (first == v.count()) return fail("[:multi] needs at least one branch [dispatch-value schema]");
    for (uint32_t i = first; i < v.count(); ++i) {
        ValueRef b = v.item(i);
        if (b.tag() != Tag::vector || b.count() != 2) {
            Seg s(*this, std::to_string(i - first));
            return fail("a [:multi] branch is [dispatch-value schema]; got " + printed(b));
        }
        ValueRef d = b.item(0);
        Seg s(*this, printed(d));
        uint32_t child;
        if (!schema(b.item(1), child)) return false;
        if (d.tag() == Tag::keyword && d.as_text() == "malli.core/default") {
            if (at(node).default_child >= 0) return fail("duplicate default branch");
            at(node).default_child = child;
            at(node).default_dispatch = d;
            continue;
        }
        at(node).branches.push_back(Branch{d, child});
        if (at(node).listed.size() < 64) at(node).listed.push_back(d);
    }
    std::vector<Branch>& br = at(node).branches;
    std::sort(br.begin(), br.end(),
              [](const Branch& a, const Branch& b) { return edn::compare(a.dispatch, b.dispatch) < 0; });
    for (size_t i = 1; i < br.size(); ++i)
        if (edn::equal(br[i - 1].dispatch, br[i].dispatch)) {
            Seg s(*this, printed(br[i].dispatch));
            return fail("duplicate dispatch value " + printed(br[i].dispatch));
        }
    return true;
}

bool Compiler::regex(ValueRef v, uint32_t node) {
    if (v.tag() != Tag::string) return fail("the pattern of [:re] must be a string; got " + printed(v));
    std::string_view pattern = v.as_text();
    RE2::Options opts;
    opts.set_encoding(RE2::Options::EncodingUTF8);
    opts.set_log_errors(false);
    opts.set_max_mem(o_.regex_max_mem);
    auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
    if (!re->ok()) {
        if (re->error_code() == RE2::ErrorPatternTooLarge)
            return fail("regular expression " + printed(v) + " is too large (the limit is " +
                            std::to_string(o_.regex_max_mem) + " bytes of compiled program)",
                        core::sqlstate::program_limit_exceeded);
        return fail("invalid regular expression " + printed(v) + ": " + re->error());
    }
    at(node).re = std::move(re);
    at(node).name.assign(pattern.data(), pattern.size());
    return true;
}

bool Compiler::name_child(ValueRef v, uint32_t first, uint32_t node) {
    ValueRef name = v.item(first);
    bool ref = at(node).kind == Kind::ref;
    Tag t = name.tag();
    if (ref ? !(t == Tag::keyword || t == Tag::string) : !(t == Tag::string || t == Tag::symbol))
        return fail(ref ? "[:ref] takes a spec name, a keyword or a string; got " + printed(name)
                        : "[:fn] takes a function name, a string such as \"schema.function\"; got " +
                              printed(name));
    std::string_view text = name.as_text();
    if (text.empty()) return fail(ref ? "empty spec name" : "empty function name");
    at(node).name.assign(text.data(), text.size());
    (ref ? c_.refs : c_.functions).emplace_back(text);
    return true;
}

void sort_unique(std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace
}  // namespace detail

Spec::Spec(std::unique_ptr<detail::Compiled> c) : c_(std::move(c)) {}
Spec::~Spec() = default;

edn::ValueRef Spec::schema() const {
    return edn::ValueRef(reinterpret_cast<const uint8_t*>(c_->bytes.data()));
}
const hash::Digest& Spec::fingerprint() const { return c_->fingerprint; }
const std::vector<std::string>& Spec::refs() const { return c_->refs; }
const std::vector<std::string>& Spec::functions() const { return c_->functions; }

hash::Digest fingerprint(edn::ValueRef schema) { return hash::sha256(schema.data(), schema.size()); }

core::Result<SpecPtr> compile(edn::ValueRef schema, const CompileOptions& options) {
    auto c = std::make_unique<detail::Compiled>();
    c->bytes.assign(reinterpret_cast<const char*>(schema.data()), schema.size());
    c->fingerprint = fingerprint(schema);
    detail::Compiler compiler(*c, options);
    edn::ValueRef own(reinterpret_cast<const uint8_t*>(c->bytes.data()));
    if (!compiler.schema(own, c->root)) return compiler.error;
    detail::sort_unique(c->refs);
    detail::sort_unique(c->functions);
    return SpecPtr(new Spec(std::move(c)));
}

core::Result<SpecPtr> compile_text(std::string_view schema_text, const CompileOptions& options) {
    auto r = edn::read(schema_text);
    if (!r) return r.error();
    return compile(edn::ValueRef(reinterpret_cast<const uint8_t*>(r.value().data())), options);
}

}  // namespace persistence::spec
