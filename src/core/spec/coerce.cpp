// coerce(): parse, don't validate (docs/spec.md, "coerce").
//
// One walk over the schema and the value that rewrites only what the schema asks for
// and can be parsed unambiguously; everything else is copied through unchanged, so the
// final validation reports what is still wrong in the value the caller sent.
#include <algorithm>
#include <cmath>

#include "explain.hpp"
#include "persistence/edn/compare.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/edn/ops.hpp"
#include "scalars.hpp"

namespace persistence::spec {

namespace detail {

namespace {

using edn::Tag;
using edn::ValueRef;

edn::Limits limits() {
    edn::Limits l;
    l.max_depth = edn::max_depth_ceiling;
    return l;
}

ValueRef view(const std::string& bytes) { return ValueRef(reinterpret_cast<const uint8_t*>(bytes.data())); }

// A coerced child: either new bytes, or the input unchanged (bytes empty).
struct Out {
    std::string bytes;
    bool changed() const { return !bytes.empty(); }
    ValueRef or_(ValueRef original) const { return changed() ? view(bytes) : original; }
};

template <typename F>
[[gnu::noinline]] bool encode_into(Out& out, F&& f) {
    edn::Encoder enc(limits());
    if (!f(enc)) return false;
    auto r = enc.finish();
    if (!r) return false;
    out.bytes = r.take();
    return true;
}

class Coercer {
   public:
    // The probes share one step budget, that of the whole value.
    Coercer(const Options& o, ValueRef whole)
        : o_(o), probe_(o, false), budget_(step_base + step_per_byte * uint64_t(whole.size())) {
        probe_.budget_for(whole);
    }

    // False only on an error (error()); a value that cannot be converted is left as is.
    bool coerce(const Compiled& c, uint32_t node, ValueRef v, Out& out);
    const core::Error& error() const { return probe_.failed() ? probe_.error() : error_; }

   private:
    bool fail(core::Error e) {
        if (error_.code.empty()) error_ = std::move(e);
        return false;
    }
    bool too_deep(uint32_t limit);
    bool too_long();
    bool and_(const Compiled& c, const Node& n, ValueRef v, Out& out);
    bool or_(const Compiled& c, uint32_t node, const Node& n, ValueRef v, Out& out);
    bool scalar(const Node& n, ValueRef v, Out& out);
    bool map(const Compiled& c, const Node& n, ValueRef v, Out& out);
    bool map_of(const Compiled& c, const Node& n, ValueRef v, Out& out);
    bool items(const Compiled& c, const Node& n, ValueRef v, Out& out);
    bool multi(const Compiled& c, const Node& n, ValueRef v, Out& out);

    const Options& o_;
    Walker probe_;  // answers "does this conform?" for [:or], and resolves [:ref]
    core::Error error_;
    uint32_t depth_ = 0;
    uint64_t steps_ = 0, budget_;  // as the walker's (walker.hpp): [:or] retries each branch
};

[[gnu::noinline, gnu::cold]] bool Coercer::too_deep(uint32_t limit) {
    return fail(core::Error(core::sqlstate::program_limit_exceeded,
                            "value or recursive spec nested deeper than " + std::to_string(limit) + " levels",
                            "Flatten the value, or check the spec's [:ref] cycles."));
}

[[gnu::noinline, gnu::cold]] bool Coercer::too_long() {
    return fail(core::Error(core::sqlstate::program_limit_exceeded,
                            "coercing the value took more than " + std::to_string(budget_) + " steps",
                            "The spec branches too much for this value (recursive [:or] branches); make the "
                            "branches exclusive earlier."));
}

// The recursion only dispatches; each kind's work (and its locals) is out of line, so a
// deep value costs little stack per level.
bool Coercer::coerce(const Compiled& c, uint32_t node, ValueRef v, Out& out) {
    uint32_t limit = std::min<uint32_t>(o_.max_depth, 10000);
    if (depth_ >= limit) return too_deep(limit);
    if (++steps_ > budget_) return too_long();
    ++depth_;
    const Node& n = c.node(node);
    bool ok = true;
    switch (n.kind) {
        case Kind::map:
            ok = map(c, n, v, out);
            break;
        case Kind::map_of:
            ok = map_of(c, n, v, out);
            break;
        case Kind::vector:
        case Kind::sequential:
        case Kind::set:
        case Kind::tuple:
            ok = items(c, n, v, out);
            break;
        case Kind::multi:
            ok = multi(c, n, v, out);
            break;
        case Kind::maybe:
            if (v.tag() != Tag::nil) ok = coerce(c, n.children[0], v, out);
            break;
        case Kind::and_:
            ok = and_(c, n, v, out);
            break;
        case Kind::or_:
            ok = or_(c, node, n, v, out);
            break;
        case Kind::ref: {
            const Compiled* target = probe_.resolve(n);
            if (!target) return false;
            ok = coerce(*target, target->root, v, out);
            break;
        }
        default:
            ok = scalar(n, v, out);
            break;
    }
    --depth_;
    return ok;
}

[[gnu::noinline]] bool Coercer::and_(const Compiled& c, const Node& n, ValueRef v, Out& out) {
    // Each child's conversion feeds the next ([:and :int [:fn ...]]).
    for (uint32_t child : n.children) {
        Out next;
        if (!coerce(c, child, out.or_(v), next)) return false;
        if (next.changed()) out = std::move(next);
    }
    return true;
}

[[gnu::noinline]] bool Coercer::or_(const Compiled& c, uint32_t node, const Node& n, ValueRef v, Out& out) {
    // A value that already conforms is left alone ("1" stays a string for
    // [:or :string :int]); otherwise the first branch whose conversion conforms.
    if (probe_.probe(c, node, v)) return true;
    if (probe_.failed()) return false;
    for (uint32_t child : n.children) {
        Out attempt;
        if (!coerce(c, child, v, attempt)) return false;
        if (attempt.changed() && probe_.probe(c, child, view(attempt.bytes))) {
            out = std::move(attempt);
            return true;
        }
        if (probe_.failed()) return false;
    }
    return true;
}

[[gnu::noinline]] bool Coercer::scalar(const Node& n, ValueRef v, Out& out) {
    Tag t = v.tag();
    bool text = t == Tag::string;
    std::string_view s = text ? v.as_text() : std::string_view();
    switch (n.kind) {
        case Kind::int_:
            if (text)
                encode_into(out, [&](edn::Encoder& e) { return parse_integer(s, e); });
            else if (t == Tag::double_ || t == Tag::decimal)
                encode_into(out, [&](edn::Encoder& e) { return integral(v, e); });
            return true;
        case Kind::double_:
            if (text) {
                encode_into(out, [&](edn::Encoder& e) { return parse_double(s, e); });
            } else if (t == Tag::integer || t == Tag::bigint || t == Tag::decimal) {
                double d = number_value(v);
                if (std::isfinite(d)) encode_into(out, [&](edn::Encoder& e) { return e.real(d); });
            }
            return true;
        case Kind::number:
            if (text)
                encode_into(out, [&](edn::Encoder& e) { return parse_integer(s, e); }) ||
                    encode_into(out, [&](edn::Encoder& e) { return parse_double(s, e); });
            return true;
        case Kind::boolean:
            if (text) encode_into(out, [&](edn::Encoder& e) { return parse_boolean(s, e); });
            return true;
        case Kind::keyword:
            if (text) encode_into(out, [&](edn::Encoder& e) { return parse_keyword(s, e); });
            return true;
        case Kind::symbol:
            if (text) encode_into(out, [&](edn::Encoder& e) { return parse_symbol(s, e); });
            return true;
        case Kind::uuid:
            if (text) encode_into(out, [&](edn::Encoder& e) { return parse_uuid(s, e); });
            return true;
        case Kind::inst:
            if (text) encode_into(out, [&](edn::Encoder& e) { return parse_inst(s, e); });
            return true;
        case Kind::enum_:
        case Kind::equals: {
            if (!text) return true;
            // Only when exactly one literal is named by the text: "1" for [:enum 1 :1] is ambiguous.
            const ValueRef* match = nullptr;
            for (const ValueRef& m : n.members) {
                if (edn::equal(m, v)) return true;
                if (names_literal(m, s)) {
                    if (match) return true;
                    match = &m;
                }
            }
            if (match) out.bytes.assign(reinterpret_cast<const char*>(match->data()), match->size());
            return true;
        }
        default:
            return true;
    }
}

[[gnu::noinline]] bool Coercer::map(const Compiled& c, const Node& n, ValueRef v, Out& out) {
    if (v.tag() != Tag::map) return true;
    std::vector<Out> vals(v.count());
    std::vector<ValueRef> keys(v.count());
    bool changed = false;
    for (uint32_t i = 0; i < v.count(); ++i) {
        ValueRef k = v.map_key(i);
        keys[i] = k;
        const Entry* entry = find_entry(c, n, k, true);
        // "n" becomes :n when the schema names :n and the map does not already have it.
        if (entry && !edn::equal(entry->key, k)) {
            if (v.map_get(entry->key)) {
                entry = nullptr;
            } else {
                keys[i] = entry->key;
                changed = true;
            }
        }
        if (!entry) continue;
        if (!coerce(c, entry->child, v.map_val(i), vals[i])) return false;
        changed = changed || vals[i].changed();
    }
    if (!changed) return true;
    encode_into(out, [&](edn::Encoder& e) {
        e.begin(Tag::map);
        for (uint32_t i = 0; i < v.count(); ++i) {
            e.raw(keys[i]);
            e.raw(vals[i].or_(v.map_val(i)));
        }
        return e.end();
    });
    return true;
}

[[gnu::noinline]] bool Coercer::map_of(const Compiled& c, const Node& n, ValueRef v, Out& out) {
    if (v.tag() != Tag::map) return true;
    std::vector<Out> keys(v.count()), vals(v.count());
    bool changed = false;
    for (uint32_t i = 0; i < v.count(); ++i) {
        if (!coerce(c, n.children[0], v.map_key(i), keys[i])) return false;
        if (!coerce(c, n.children[1], v.map_val(i), vals[i])) return false;
        changed = changed || keys[i].changed() || vals[i].changed();
    }
    if (!changed) return true;
    // Two keys that convert to one ("1" and "01" as integers) keep their original form.
    if (!encode_into(out, [&](edn::Encoder& e) {
            e.begin(Tag::map);
            for (uint32_t i = 0; i < v.count(); ++i) {
                e.raw(keys[i].or_(v.map_key(i)));
                e.raw(vals[i].or_(v.map_val(i)));
            }
            return e.end();
        }))
        encode_into(out, [&](edn::Encoder& e) {
            e.begin(Tag::map);
            for (uint32_t i = 0; i < v.count(); ++i) {
                e.raw(v.map_key(i));
                e.raw(vals[i].or_(v.map_val(i)));
            }
            return e.end();
        });
    return true;
}

[[gnu::noinline]] bool Coercer::items(const Compiled& c, const Node& n, ValueRef v, Out& out) {
    Tag t = v.tag();
    if (t != Tag::vector && t != Tag::list && t != Tag::set) return true;
    if (n.kind == Kind::tuple && v.count() != n.children.size()) return true;
    // The collection type the schema wants: JSON arrays become sets, lists become vectors.
    Tag want = n.kind == Kind::set ? Tag::set : n.kind == Kind::sequential && t != Tag::set ? t : Tag::vector;
    std::vector<Out> xs(v.count());
    bool changed = want != t;
    for (uint32_t i = 0; i < v.count(); ++i) {
        uint32_t child = n.kind == Kind::tuple ? n.children[i] : n.children[0];
        if (!coerce(c, child, v.item(i), xs[i])) return false;
        changed = changed || xs[i].changed();
    }
    if (!changed) return true;
    // A set whose members collide once converted stays what it was (and fails validation).
    encode_into(out, [&](edn::Encoder& e) {
        e.begin(want);
        for (uint32_t i = 0; i < v.count(); ++i) e.raw(xs[i].or_(v.item(i)));
        return e.end();
    });
    return true;
}

[[gnu::noinline]] bool Coercer::multi(const Compiled& c, const Node& n, ValueRef v, Out& out) {
    if (v.tag() != Tag::map) return true;
    ValueRef found_key;
    auto d = lookup(c, v, n.dispatch_key, n.dispatch_json_key, true, &found_key);
    if (!d) return true;
    const Branch* branch = nullptr;
    for (const Branch& b : n.branches) {
        if (edn::equal(b.dispatch, *d)) {
            branch = &b;
            break;
        }
        if (d->tag() == Tag::string && names_literal(b.dispatch, d->as_text()) && !branch) branch = &b;
    }
    uint32_t child = branch ? branch->child : uint32_t(n.default_child);
    if (!branch && n.default_child < 0) return true;
    if (!coerce(c, child, v, out)) return false;
    // The dispatch key and value are the [:multi]'s to convert, whether or not the branch
    // names them: "type" becomes :type, "circle" becomes :circle.
    ValueRef now = out.or_(v);
    ValueRef key = now.map_get(n.dispatch_key) ? n.dispatch_key : found_key;
    auto current = now.map_get(key);
    if (!current) return true;
    ValueRef dispatch = branch ? branch->dispatch : *current;
    bool rename = !edn::equal(key, n.dispatch_key);
    if (!rename && edn::equal(dispatch, *current)) return true;
    std::string bytes(reinterpret_cast<const char*>(now.data()), now.size());
    if (rename) {
        auto r = edn::dissoc(now, key, limits());
        if (!r) return true;
        bytes = r.take();
    }
    auto r = edn::assoc(view(bytes), n.dispatch_key, dispatch, limits());
    if (r) out.bytes = r.take();
    return true;
}

}  // namespace

}  // namespace detail

core::Result<std::string> convert(const Spec& spec, edn::ValueRef value, const Options& options) {
    const detail::Compiled& c = spec.compiled();
    detail::Coercer coercer(options, value);
    detail::Out out;
    if (!coercer.coerce(c, c.root, value, out)) return coercer.error();
    return out.changed() ? std::move(out.bytes)
                         : std::string(reinterpret_cast<const char*>(value.data()), value.size());
}

core::Result<std::string> coerce(const Spec& spec, edn::ValueRef value, const Options& options) {
    auto converted = convert(spec, value, options);
    if (!converted) return converted.error();
    std::string result = converted.take();
    detail::Walker w(options, true);
    core::Status s = detail::walk(spec, detail::view(result), w);
    if (!s) return s.error();
    if (!w.problems().empty())
        return core::Error(
            core::sqlstate::invalid_parameter_value, "value does not conform to the spec",
            "DETAIL lists each problem with its fix; correct the value and send all of it again.",
            detail::llm_text(w, options.json_keys));
    return result;
}

}  // namespace persistence::spec
