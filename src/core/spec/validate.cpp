// The validator walk (walker.hpp) and valid().
#include <cstdlib>
#include <string>

#include "persistence/edn/compare.hpp"
#include "persistence/edn/utf8.hpp"
#include "text.hpp"
#include "walker.hpp"

namespace persistence::spec {

namespace detail {

using edn::Tag;
using edn::ValueRef;

namespace {
inline constexpr uint32_t depth_ceiling = 10000;
}

bool is_number(ValueRef v) {
    Tag t = v.tag();
    return t == Tag::integer || t == Tag::bigint || t == Tag::double_ || t == Tag::decimal;
}

double number_value(ValueRef v) {
    switch (v.tag()) {
        case Tag::integer:
            return double(v.as_int());
        case Tag::double_:
            return v.as_double();
        case Tag::bigint:
        case Tag::decimal: {
            // digits e -scale: no decimal point, so strtod's locale does not matter.
            std::string text;
            if (v.tag() == Tag::bigint) {
                auto b = v.as_bigint();
                text.append(b.negative ? "-" : "").append(b.digits);
            } else {
                auto d = v.as_decimal();
                text.append(d.negative ? "-" : "").append(d.digits);
                text += 'e';
                text += std::to_string(-int64_t(d.scale));
            }
            return std::strtod(text.c_str(), nullptr);
        }
        default:
            return 0;
    }
}

std::optional<ValueRef> lookup(const Compiled& c, ValueRef map, ValueRef key, uint32_t json_key, bool json,
                               ValueRef* found_key) {
    if (auto v = map.map_get(key)) {
        if (found_key) *found_key = key;
        return v;
    }
    if (json && json_key != no_offset) {
        ValueRef twin = c.aux_value(json_key);
        if (auto v = map.map_get(twin)) {
            if (found_key) *found_key = twin;
            return v;
        }
    }
    return std::nullopt;
}

bool accepts_type(const Compiled& c, const Node& n, ValueRef v, bool json) {
    Tag t = v.tag();
    switch (n.kind) {
        case Kind::any:
        case Kind::not_:
        case Kind::ref:
        case Kind::fn:
            return true;
        case Kind::nil:
            return t == Tag::nil;
        case Kind::boolean:
            return t == Tag::true_ || t == Tag::false_;
        case Kind::int_:
            return t == Tag::integer || t == Tag::bigint;
        case Kind::double_:
            return t == Tag::double_ || (json && is_number(v));
        case Kind::number:
            return is_number(v);
        case Kind::string:
        case Kind::re:
            return t == Tag::string;
        case Kind::keyword:
            return t == Tag::keyword;
        case Kind::symbol:
            return t == Tag::symbol;
        case Kind::uuid:
            return t == Tag::uuid;
        case Kind::inst:
            return t == Tag::inst;
        case Kind::map:
        case Kind::map_of:
        case Kind::multi:
            return t == Tag::map;
        case Kind::vector:
        case Kind::tuple:
            return t == Tag::vector;
        case Kind::sequential:
            return t == Tag::vector || t == Tag::list;
        case Kind::set:
            return t == Tag::set;
        case Kind::enum_:
        case Kind::equals:
            for (ValueRef m : n.members)
                if (m.type() == v.type()) return true;
            return false;
        case Kind::or_:
            for (uint32_t child : n.children)
                if (accepts_type(c, c.node(child), v, json)) return true;
            return false;
        case Kind::and_:
            for (uint32_t child : n.children)
                if (!accepts_type(c, c.node(child), v, json)) return false;
            return true;
        case Kind::maybe:
            return t == Tag::nil || accepts_type(c, c.node(n.children[0]), v, json);
    }
    return true;
}

Walker::Walker(const Options& options, bool collect)
    : o_(options),
      collect_(collect),
      max_depth_(options.max_depth > depth_ceiling ? depth_ceiling : options.max_depth) {}

bool Walker::fail(core::Error e) {
    if (!failed()) error_ = std::move(e);
    stopped_ = true;
    return false;
}

[[gnu::noinline]] bool Walker::report(ProblemKind k, const Compiled& c, const Node& n, ValueRef v) {
    if (!collect_) return false;
    if (problems_.size() >= (o_.max_problems ? o_.max_problems : 1)) {
        truncated_ = stopped_ = true;
        return false;
    }
    RawProblem p;
    p.kind = k;
    p.path = path_;
    p.in = in_;
    p.spec = &c;
    p.node = &n;
    p.value = v;
    p.in_key = in_key_;
    problems_.push_back(std::move(p));
    return false;
}

bool Walker::report_key(ProblemKind k, const Compiled& c, const Node& n, const Node& owner, ValueRef key,
                        ValueRef in_key, ValueRef v) {
    if (!collect_) return false;
    size_t before = problems_.size();
    path_.push_back(Seg::of_value(key));
    in_.push_back(Seg::of_value(in_key));
    report(k, c, n, v);
    path_.pop_back();
    in_.pop_back();
    if (problems_.size() > before) {
        problems_.back().owner = &owner;
        problems_.back().key = key;
        if (k == ProblemKind::extra_key) problems_.back().path.pop_back();  // the map's path
    }
    return false;
}

bool Walker::probe(const Compiled& c, uint32_t node, ValueRef v) {
    bool saved = collect_;
    collect_ = false;
    bool ok = check(c, node, v);
    collect_ = saved;
    return ok;
}

// Out of line, like every error path here, so that the recursion's frames stay small.
[[gnu::noinline, gnu::cold]] bool Walker::too_deep() {
    return fail(
        core::Error(core::sqlstate::program_limit_exceeded,
                    "value or recursive spec nested deeper than " + std::to_string(max_depth_) + " levels",
                    "Flatten the value, or check the spec's [:ref] cycles for one that does not "
                    "consume the value."));
}

[[gnu::noinline, gnu::cold]] bool Walker::too_long() {
    return fail(core::Error(core::sqlstate::program_limit_exceeded,
                            "checking the value took more than " + std::to_string(budget_) + " steps",
                            "The spec branches too much for this value (recursive [:or] or [:multi] "
                            "branches that fail late); make the branches exclusive earlier."));
}

void Walker::budget_for(ValueRef whole) { budget_ = step_base + step_per_byte * uint64_t(whole.size()); }

bool Walker::check(const Compiled& c, uint32_t node, ValueRef v) {
    if (depth_ >= max_depth_) return too_deep();
    if (budget_ == 0) budget_for(v);
    if (++steps_ > budget_) return too_long();
    const Node& n = c.node(node);
    ++depth_;
    if (collect_) path_.push_back(Seg::of_kind(n.kind));
    bool ok = dispatch(c, n, v);
    if (collect_) path_.pop_back();
    --depth_;
    return ok;
}

bool Walker::dispatch(const Compiled& c, const Node& n, ValueRef v) {
    Tag t = v.tag();
    switch (n.kind) {
        case Kind::any:
            return true;
        case Kind::int_:
            return check_int(c, n, v);
        case Kind::double_:
        case Kind::number:
            return check_real(c, n, v);
        case Kind::string:
            if (t != Tag::string) return report(ProblemKind::wrong_type, c, n, v);
            if (!n.has_min && !n.has_max) return true;
            return check_count(c, n, v, edn::utf8::count(v.as_text()));
        case Kind::map:
            return check_map(c, n, v);
        case Kind::map_of:
            return check_map_of(c, n, v);
        case Kind::vector:
        case Kind::sequential:
        case Kind::set:
            return check_items(c, n, v);
        case Kind::tuple:
            return check_tuple(c, n, v);
        case Kind::enum_: {
            uint32_t lo = 0, hi = uint32_t(n.members.size());
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                int cmp = edn::compare(n.members[mid], v);
                if (cmp == 0) return true;
                if (cmp < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            return report(ProblemKind::not_in_enum, c, n, v);
        }
        case Kind::equals:
            return edn::equal(n.members[0], v) || report(ProblemKind::not_equal, c, n, v);
        case Kind::or_:
            return check_or(c, n, v);
        case Kind::and_:
            // In order, stopping at the first child that fails: later children often
            // assume what earlier ones checked ([:and :int [:fn "even"]]).
            for (uint32_t child : n.children)
                if (!check(c, child, v)) return false;
            return true;
        case Kind::not_: {
            bool matched = probe(c, n.children[0], v);
            if (failed()) return false;
            return !matched || report(ProblemKind::not_allowed, c, n, v);
        }
        case Kind::maybe:
            if (t == Tag::nil) return true;
            // A value of another type is a type error of the whole [:maybe s] ("a string
            // or nil"), not of s.
            if (collect_ && !accepts_type(c, c.node(n.children[0]), v, o_.json_keys))
                return report(ProblemKind::wrong_type, c, n, v);
            return check(c, n.children[0], v);
        case Kind::re: {
            if (t != Tag::string) return report(ProblemKind::wrong_type, c, n, v);
            std::string_view s = v.as_text();
            if (RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *n.re)) return true;
            return report(ProblemKind::regex_mismatch, c, n, v);
        }
        case Kind::multi:
            return check_multi(c, n, v);
        case Kind::ref:
            return check_ref(n, v);
        case Kind::fn:
            return check_fn(c, n, v);
        default:
            break;
    }
    return accepts_type(c, n, v, o_.json_keys) || report(ProblemKind::wrong_type, c, n, v);
}

bool Walker::check_int(const Compiled& c, const Node& n, ValueRef v) {
    Tag t = v.tag();
    if (t == Tag::integer) {
        int64_t i = v.as_int();
        if (n.has_min && i < n.imin) return report(ProblemKind::too_small, c, n, v);
        if (n.has_max && i > n.imax) return report(ProblemKind::too_large, c, n, v);
        return true;
    }
    if (t != Tag::bigint) return report(ProblemKind::wrong_type, c, n, v);
    // A bigint lies outside the int64 range, so beyond any bound on its side.
    bool negative = v.as_bigint().negative;
    if (negative && n.has_min) return report(ProblemKind::too_small, c, n, v);
    if (!negative && n.has_max) return report(ProblemKind::too_large, c, n, v);
    return true;
}

bool Walker::check_real(const Compiled& c, const Node& n, ValueRef v) {
    if (!accepts_type(c, n, v, o_.json_keys)) return report(ProblemKind::wrong_type, c, n, v);
    if (!n.has_min && !n.has_max) return true;
    double d = number_value(v);
    // NaN is within no bounds.
    if (n.has_min && !(d >= n.dmin)) return report(ProblemKind::too_small, c, n, v);
    if (n.has_max && !(d <= n.dmax)) return report(ProblemKind::too_large, c, n, v);
    return true;
}

bool Walker::check_count(const Compiled& c, const Node& n, ValueRef v, uint64_t count) {
    if (n.has_min && count < uint64_t(n.imin)) return report(ProblemKind::too_small, c, n, v);
    if (n.has_max && count > uint64_t(n.imax)) return report(ProblemKind::too_large, c, n, v);
    return true;
}

const Entry* find_entry(const Compiled& c, const Node& map, ValueRef key, bool json) {
    auto search = [&](const std::vector<uint32_t>& index, bool twin) -> const Entry* {
        uint32_t lo = 0, hi = uint32_t(index.size());
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            const Entry& e = map.entries[index[mid]];
            int cmp = edn::compare(twin ? c.aux_value(e.json_key) : e.key, key);
            if (cmp == 0) return &e;
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return nullptr;
    };
    if (const Entry* e = search(map.by_key, false)) return e;
    if (json && key.tag() == Tag::string) return search(map.by_json_key, true);
    return nullptr;
}

bool Walker::check_map(const Compiled& c, const Node& n, ValueRef v) {
    if (v.tag() != Tag::map) return report(ProblemKind::wrong_type, c, n, v);
    bool ok = true;
    uint32_t matched = 0;
    for (const Entry& e : n.entries) {
        ValueRef found_key;
        auto found = lookup(c, v, e.key, e.json_key, o_.json_keys, &found_key);
        if (!found) {
            if (e.optional) continue;
            ValueRef in_key = o_.json_keys && e.json_key != no_offset ? c.aux_value(e.json_key) : e.key;
            report_key(ProblemKind::missing_key, c, c.node(e.child), n, e.key, in_key, ValueRef());
            ok = false;
            if (stop()) return false;
            continue;
        }
        ++matched;
        if (collect_) {
            path_.push_back(Seg::of_value(e.key));
            in_.push_back(Seg::of_value(found_key));
        }
        bool r = check(c, e.child, *found);
        if (collect_) {
            path_.pop_back();
            in_.pop_back();
        }
        if (!r) {
            ok = false;
            if (stop()) return false;
        }
    }
    if (n.closed && matched < v.count()) {
        for (uint32_t i = 0; i < v.count(); ++i) {
            ValueRef k = v.map_key(i);
            if (find_entry(c, n, k, o_.json_keys)) continue;
            report_key(ProblemKind::extra_key, c, n, n, k, k, v.map_val(i));
            ok = false;
            if (stop()) return false;
        }
    }
    return ok;
}

bool Walker::check_map_of(const Compiled& c, const Node& n, ValueRef v) {
    if (v.tag() != Tag::map) return report(ProblemKind::wrong_type, c, n, v);
    bool ok = check_count(c, n, v, v.count());
    if (!ok && stop()) return false;
    for (uint32_t i = 0; i < v.count(); ++i) {
        ValueRef k = v.map_key(i);
        if (collect_) in_.push_back(Seg::of_value(k));
        for (int part = 0; part < 2; ++part) {
            if (collect_) path_.push_back(Seg::of_keyword(part == 0 ? "key" : "value"));
            bool saved = in_key_;
            in_key_ = part == 0 || in_key_;
            bool r = check(c, n.children[part], part == 0 ? k : v.map_val(i));
            in_key_ = saved;
            if (collect_) path_.pop_back();
            if (!r) {
                ok = false;
                if (stop()) {
                    if (collect_) in_.pop_back();
                    return false;
                }
            }
        }
        if (collect_) in_.pop_back();
    }
    return ok;
}

bool Walker::check_items(const Compiled& c, const Node& n, ValueRef v) {
    Tag t = v.tag();
    bool type_ok = n.kind == Kind::vector ? t == Tag::vector
                   : n.kind == Kind::set  ? t == Tag::set
                                          : t == Tag::vector || t == Tag::list;
    if (!type_ok) return report(ProblemKind::wrong_type, c, n, v);
    bool ok = check_count(c, n, v, v.count());
    if (!ok && stop()) return false;
    uint32_t child = n.children[0];
    bool set = t == Tag::set;
    for (uint32_t i = 0; i < v.count(); ++i) {
        ValueRef item = v.item(i);
        if (collect_) in_.push_back(set ? Seg::of_member(item) : Seg::of_index(i));
        bool r = check(c, child, item);
        if (collect_) in_.pop_back();
        if (!r) {
            ok = false;
            if (stop()) return false;
        }
    }
    return ok;
}

bool Walker::check_tuple(const Compiled& c, const Node& n, ValueRef v) {
    if (v.tag() != Tag::vector) return report(ProblemKind::wrong_type, c, n, v);
    if (v.count() != n.children.size()) return report(ProblemKind::wrong_count, c, n, v);
    bool ok = true;
    for (uint32_t i = 0; i < v.count(); ++i) {
        if (collect_) {
            path_.push_back(Seg::of_index(i));
            in_.push_back(Seg::of_index(i));
        }
        bool r = check(c, n.children[i], v.item(i));
        if (collect_) {
            path_.pop_back();
            in_.pop_back();
        }
        if (!r) {
            ok = false;
            if (stop()) return false;
        }
    }
    return ok;
}

bool Walker::check_or(const Compiled& c, const Node& n, ValueRef v) {
    for (uint32_t child : n.children) {
        if (probe(c, child, v)) return true;
        if (failed()) return false;
    }
    if (!collect_) return false;
    // When exactly one branch takes this type of value, its own problems say more than
    // "matches no branch" ([:or :nil [:map ...]] given a map).
    int candidate = -1, candidates = 0;
    for (size_t i = 0; i < n.children.size(); ++i)
        if (accepts_type(c, c.node(n.children[i]), v, o_.json_keys)) {
            candidate = int(i);
            ++candidates;
        }
    if (candidates == 0) return report(ProblemKind::wrong_type, c, n, v);
    if (candidates > 1) return report(ProblemKind::no_match, c, n, v);
    path_.push_back(Seg::of_index(candidate));
    check(c, n.children[size_t(candidate)], v);
    path_.pop_back();
    return false;
}

bool Walker::check_multi(const Compiled& c, const Node& n, ValueRef v) {
    if (v.tag() != Tag::map) return report(ProblemKind::wrong_type, c, n, v);
    ValueRef found_key;
    auto d = lookup(c, v, n.dispatch_key, n.dispatch_json_key, o_.json_keys, &found_key);
    const Branch* branch = nullptr;
    if (d) {
        size_t lo = 0, hi = n.branches.size();
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            int cmp = edn::compare(n.branches[mid].dispatch, *d);
            if (cmp == 0) {
                branch = &n.branches[mid];
                break;
            }
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
    uint32_t child;
    if (branch) {
        child = branch->child;
        if (collect_) path_.push_back(Seg::of_value(branch->dispatch));
    } else if (n.default_child >= 0) {
        child = uint32_t(n.default_child);
        if (collect_) path_.push_back(Seg::of_value(n.default_dispatch));
    } else if (!d) {
        ValueRef in_key = o_.json_keys && n.dispatch_json_key != no_offset ? c.aux_value(n.dispatch_json_key)
                                                                           : n.dispatch_key;
        return report_key(ProblemKind::missing_key, c, n, n, n.dispatch_key, in_key, ValueRef());
    } else {
        if (!collect_) return false;
        in_.push_back(Seg::of_value(found_key));
        report(ProblemKind::invalid_dispatch, c, n, *d);
        in_.pop_back();
        return false;
    }
    bool ok = check(c, child, v);
    if (collect_) path_.pop_back();
    return ok;
}

[[gnu::noinline]] const Compiled* Walker::resolve(const Node& n) {
    for (const Resolved& r : resolved_)
        if (r.node == &n) return &r.spec->compiled();
    if (!o_.resolver) {
        fail(core::Error(sqlstate::undefined_object, "spec \"" + n.name + "\" is not defined",
                         "[:ref] names a spec; define it first (no resolver was given)."));
        return nullptr;
    }
    auto r = o_.resolver(n.name);
    if (!r) {
        fail(r.error());
        return nullptr;
    }
    if (!r.value()) {
        fail(core::Error(sqlstate::undefined_object, "spec \"" + n.name + "\" is not defined",
                         "[:ref] names a spec; define it first."));
        return nullptr;
    }
    resolved_.push_back(Resolved{&n, r.take()});
    return &resolved_.back().spec->compiled();
}

bool Walker::check_ref(const Node& n, ValueRef v) {
    const Compiled* target = resolve(n);
    if (!target) return false;
    if (collect_) path_.push_back(Seg::of_value(n.schema.item(n.schema.count() - 1)));
    bool ok = check(*target, target->root, v);
    if (collect_) path_.pop_back();
    return ok;
}

[[gnu::noinline]] bool Walker::check_fn(const Compiled& c, const Node& n, ValueRef v) {
    if (!o_.predicate)
        return fail(
            core::Error(sqlstate::feature_not_supported,
                        "cannot call [:fn \"" + n.name + "\"]: no function caller was given",
                        "[:fn] predicates run only where the caller provides them (the SQL functions)."));
    auto r = o_.predicate(n.name, v);
    if (!r) return fail(r.error());
    return r.value() || report(ProblemKind::fn_false, c, n, v);
}

}  // namespace detail

core::Result<bool> valid(const Spec& spec, edn::ValueRef value, const Options& options) {
    detail::Walker w(options, false);
    const detail::Compiled& c = spec.compiled();
    bool ok = w.check(c, c.root, value);
    if (w.failed()) return w.error();
    return ok;
}

}  // namespace persistence::spec
