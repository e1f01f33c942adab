// generate(): deterministic conforming values (docs/spec.md, "generate").
//
// Every draw comes from one Rng (random.hpp) in a fixed order, and every value is built
// from integers (doubles are multiples of 1/4), so the same seed gives the same bytes on
// every platform. Each value is validated before it is returned; schemas that only
// filter ([:and] beyond its first generatable child, [:not], [:fn]) are met by bounded
// retries.
#include <algorithm>
#include <cmath>
#include <map>

#include "explain.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/edn/ops.hpp"
#include "persistence/edn/symbol.hpp"
#include "persistence/edn/utf8.hpp"
#include "persistence/spec/random.hpp"
#include "persistence/spec/regex_gen.hpp"
#include "text.hpp"

namespace persistence::spec {

namespace detail {

namespace {

using edn::Tag;
using edn::ValueRef;

constexpr uint32_t soft_depth = 12;        // beyond: smallest values (recursion must bottom out)
constexpr uint32_t hard_depth = 200;       // beyond: 54000
constexpr int filter_tries = 100;          // [:and], [:not]
constexpr int regex_tries = 50;            // subset generator candidates checked by RE2
constexpr int sample_tries = 4000;         // candidates for patterns outside the subset
constexpr int value_tries = 20;            // whole values
constexpr int64_t max_items = 100000;      // :min of a collection we agree to build
constexpr int64_t max_chars = 1000000;     // :min of a string we agree to build
constexpr size_t work_budget = 16u << 20;  // bytes built (nested values count again) per value
constexpr uint64_t step_budget = 1000000;  // gen() calls, regex candidates, validation steps per value

const char* const soft_code = core::sqlstate::invalid_parameter_value;

ValueRef view(const std::string& s) { return ValueRef(reinterpret_cast<const uint8_t*>(s.data())); }

edn::Limits limits() {
    edn::Limits l;
    l.max_depth = edn::max_depth_ceiling;
    return l;
}

bool has_ref(const Compiled& c, const Node& n) {
    if (n.kind == Kind::ref) return true;
    for (uint32_t k : n.children)
        if (has_ref(c, c.node(k))) return true;
    for (const Entry& e : n.entries)
        if (!e.optional && has_ref(c, c.node(e.child))) return true;
    for (const Branch& b : n.branches)
        if (has_ref(c, c.node(b.child))) return true;
    return false;
}

class Generator {
   public:
    Generator(const Options& o, uint64_t seed) : o_(o), rng_(seed), refs_(o, false) {}

    bool gen(const Compiled& c, uint32_t node, std::string& out);
    // gen(), but a "could not generate" failure (22023, 0A000) is cleared and returns
    // false, so the caller can try something else; other errors stay (hard()).
    bool attempt(const Compiled& c, uint32_t node, std::string& out);
    bool hard() const { return !error_.code.empty(); }
    // Whether v conforms to the node; false with hard() on a callback or depth error.
    bool conforms(const Compiled& c, uint32_t node, ValueRef v);
    const core::Error& error() const { return error_; }
    void clear() { error_ = core::Error(); }
    // Starts the work budget of a new top-level value.
    void next_value() { built_ = steps_ = 0; }
    // Counts work; false (54000) once the value's step budget is spent.
    bool step(uint64_t n = 1) {
        steps_ += n;
        if (steps_ <= step_budget) return true;
        return fail(core::sqlstate::program_limit_exceeded,
                    "cannot generate a value: it took more than " + std::to_string(step_budget) + " steps",
                    "The spec makes conforming values rare (filters that disagree, patterns outside the "
                    "generator's subset, many distinct keys); simplify it.");
    }
    bool fail(const char* code, std::string message, std::string hint = {}) {
        if (error_.code.empty()) error_ = core::Error(code, std::move(message), std::move(hint));
        return false;
    }

   private:
    template <typename F>
    [[gnu::noinline]] bool build(std::string& out, F&& f) {
        edn::Encoder enc(limits());
        f(enc);
        auto r = enc.finish();
        if (!r) return fail(r.error().code.c_str(), r.error().message, r.error().hint);
        out = r.take();
        built_ += out.size();
        if (built_ > work_budget)
            return fail(
                core::sqlstate::program_limit_exceeded,
                "cannot generate a value: building it took more than " + std::to_string(work_budget >> 20) +
                    " MiB",
                "Lower the :min of large strings and collections, or make [:and] parts agree sooner.");
        return true;
    }
    bool minimal() const { return depth_ > soft_depth; }
    int64_t count(const Node& n, int64_t extra);
    void name(std::string& out);
    void text(int64_t length, std::string& out);
    void any_value(edn::Encoder& e, int depth);
    double real(const Node& n);
    bool generate_kind(const Compiled& c, uint32_t node, const Node& n, std::string& out);
    bool map(const Compiled& c, const Node& n, std::string& out);
    bool distinct(const Compiled& c, const Node& n, std::string& out);
    bool sequence(const Compiled& c, const Node& n, std::string& out);
    bool one_of(const Compiled& c, const Node& n, std::string& out);
    bool all_of(const Compiled& c, uint32_t node, const Node& n, std::string& out);
    bool regex(const Node& n, std::string& out);
    bool multi(const Compiled& c, uint32_t node, const Node& n, std::string& out);

    const Options& o_;
    Rng rng_;
    Walker refs_;  // resolves [:ref] once per generate() call
    core::Error error_;
    uint32_t depth_ = 0;
    size_t built_ = 0;
    uint64_t steps_ = 0;
    std::map<const Node*, std::shared_ptr<const RegexGenerator>> regexes_;
};

bool Generator::attempt(const Compiled& c, uint32_t node, std::string& out) {
    if (gen(c, node, out)) return true;
    if (error_.code == soft_code || error_.code == sqlstate::feature_not_supported) clear();
    return false;
}

bool Generator::conforms(const Compiled& c, uint32_t node, ValueRef v) {
    Walker w(o_, false);
    bool ok = w.check(c, node, v);
    if (w.failed()) {
        error_ = w.error();
        return false;
    }
    if (!step(w.steps())) return false;
    return ok;
}

int64_t Generator::count(const Node& n, int64_t extra) {
    int64_t lo = n.has_min ? n.imin : 0;
    if (lo > max_items) return -1;
    int64_t hi = minimal() ? lo : lo + extra;
    if (n.has_max && n.imax < hi) hi = n.imax;
    return rng_.between(lo, hi);
}

void Generator::name(std::string& out) {
    static constexpr char first[] = "abcdefghijklmnopqrstuvwxyz";
    static constexpr char rest[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
    auto part = [&]() {
        out += first[rng_.below(26)];
        for (int64_t i = rng_.between(0, 7); i > 0; --i) out += rest[rng_.below(37)];
    };
    out.clear();
    if (rng_.chance(25)) {
        part();
        out += '/';
    }
    part();
}

void Generator::text(int64_t length, std::string& out) {
    static constexpr char ascii[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,!?";
    static constexpr uint32_t other[] = {0xE9, 0xDF, 0xFC, 0xF1, 0x4E2D, 0x6587, 0x1F600};
    for (int64_t i = 0; i < length; ++i) {
        if (rng_.chance(90))
            out += ascii[rng_.below(sizeof ascii - 1)];
        else
            edn::utf8::append(other[rng_.below(7)], out);
    }
}

void Generator::any_value(edn::Encoder& e, int depth) {
    std::string s;
    switch (rng_.below(depth > 0 ? 8 : 6)) {
        case 0:
            e.nil();
            break;
        case 1:
            e.boolean(rng_.chance(50));
            break;
        case 2:
            e.integer(rng_.between(-1000, 1000));
            break;
        case 3:
            e.real(double(rng_.between(-4000, 4000)) / 4);
            break;
        case 4:
            text(rng_.between(0, 8), s), e.string(s);
            break;
        case 5:
            name(s), e.keyword(s);
            break;
        case 6:
            e.begin(Tag::vector);
            for (int64_t i = rng_.between(0, 3); i > 0; --i) any_value(e, depth - 1);
            e.end();
            break;
        default:
            // Distinct keys by construction: :k0 :k1 ...
            e.begin(Tag::map);
            for (int64_t i = rng_.between(0, 3), k = 0; k < i; ++k) {
                e.keyword("k" + std::to_string(k));
                any_value(e, depth - 1);
            }
            e.end();
    }
}

// Multiples of 1/4 within the bounds: exact in binary, so the same on every platform.
double Generator::real(const Node& n) {
    double lo = n.has_min ? n.dmin : (n.has_max ? n.dmax - 1000 : -1000);
    double hi = n.has_max ? n.dmax : lo + 2000;
    double clo = std::max(lo, -1e15), chi = std::min(hi, 1e15);
    if (clo > chi) return n.has_min ? n.dmin : n.dmax;
    double klo = std::ceil(clo * 4), khi = std::floor(chi * 4);
    if (klo > khi) return n.has_min ? n.dmin : n.dmax;
    if (minimal()) return klo / 4;
    return double(rng_.between(int64_t(klo), int64_t(khi))) / 4;
}

bool Generator::gen(const Compiled& c, uint32_t node, std::string& out) {
    if (depth_ >= hard_depth)
        return fail(
            core::sqlstate::program_limit_exceeded,
            "cannot generate a value: the spec nests deeper than " + std::to_string(hard_depth) + " levels",
            "A recursive spec must allow a value that ends the recursion (an optional key, "
            "[:maybe ...], an empty collection or an [:or] branch without the [:ref]).");
    if (!step()) return false;
    ++depth_;
    bool ok = generate_kind(c, node, c.node(node), out);
    --depth_;
    return ok;
}

bool Generator::generate_kind(const Compiled& c, uint32_t node, const Node& n, std::string& out) {
    std::string s;
    switch (n.kind) {
        case Kind::any:
            return build(out, [&](edn::Encoder& e) { any_value(e, 1); });
        case Kind::nil:
            return build(out, [](edn::Encoder& e) { e.nil(); });
        case Kind::boolean:
            return build(out, [&](edn::Encoder& e) { e.boolean(rng_.chance(50)); });
        case Kind::int_: {
            int64_t lo =
                n.has_min ? n.imin : (n.has_max ? std::max<int64_t>(n.imax, INT64_MIN + 1000) - 1000 : -1000);
            int64_t hi = n.has_max ? n.imax : (lo <= INT64_MAX - 1000 ? lo + 1000 : INT64_MAX);
            int64_t i = minimal() || rng_.chance(10) ? (rng_.chance(50) ? lo : hi) : rng_.between(lo, hi);
            return build(out, [&](edn::Encoder& e) { e.integer(i); });
        }
        case Kind::double_: {
            double d = real(n);
            return build(out, [&](edn::Encoder& e) { e.real(d); });
        }
        case Kind::number: {
            double d = real(n);
            if (rng_.chance(50) && d == std::trunc(d) && std::fabs(d) < 1e15)
                return build(out, [&](edn::Encoder& e) { e.integer(int64_t(d)); });
            return build(out, [&](edn::Encoder& e) { e.real(d); });
        }
        case Kind::string: {
            int64_t lo = n.has_min ? n.imin : 0;
            if (lo > max_chars)
                return fail(
                    core::sqlstate::program_limit_exceeded,
                    "cannot generate strings of more than " + std::to_string(max_chars) + " characters");
            int64_t hi = minimal() ? lo : lo + 12;
            if (n.has_max && n.imax < hi) hi = n.imax;
            text(rng_.between(lo, hi), s);
            return build(out, [&](edn::Encoder& e) { e.string(s); });
        }
        case Kind::keyword:
        case Kind::symbol:
            name(s);
            return build(out, [&](edn::Encoder& e) { n.kind == Kind::keyword ? e.keyword(s) : e.symbol(s); });
        case Kind::uuid: {
            uint8_t b[16];
            for (int i = 0; i < 16; i += 8) {
                uint64_t r = rng_.next();
                for (int j = 0; j < 8; ++j) b[i + j] = uint8_t(r >> (8 * j));
            }
            b[6] = uint8_t((b[6] & 0x0F) | 0x40);  // version 4
            b[8] = uint8_t((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
            return build(out, [&](edn::Encoder& e) { e.uuid(b); });
        }
        case Kind::inst: {
            // 2000-01-01 .. 2030-01-01, whole milliseconds.
            int64_t ms = rng_.between(int64_t(946684800) * 1000, int64_t(1893456000) * 1000);
            edn::Inst t{ms / 1000, uint32_t(ms % 1000) * 1000000u};
            return build(out, [&](edn::Encoder& e) { e.inst(t); });
        }
        case Kind::map:
            return map(c, n, out);
        case Kind::map_of:
        case Kind::set:
            return distinct(c, n, out);
        case Kind::vector:
        case Kind::sequential:
        case Kind::tuple:
            return sequence(c, n, out);
        case Kind::enum_: {
            ValueRef m = n.members[rng_.below(n.members.size())];
            return build(out, [&](edn::Encoder& e) { e.raw(m); });
        }
        case Kind::equals:
            return build(out, [&](edn::Encoder& e) { e.raw(n.members[0]); });
        case Kind::or_:
            return one_of(c, n, out);
        case Kind::and_:
            return all_of(c, node, n, out);
        case Kind::not_:
            for (int t = 0; t < filter_tries; ++t) {
                if (!build(out, [&](edn::Encoder& e) { any_value(e, 1); })) return false;
                bool matched = conforms(c, n.children[0], view(out));
                if (hard()) return false;
                if (!matched) return true;
            }
            return fail(soft_code, "could not generate a value outside " +
                                       printed(c.node(n.children[0]).schema) + " in " +
                                       std::to_string(filter_tries) + " tries");
        case Kind::maybe:
            if (!minimal() && !rng_.chance(20) && attempt(c, n.children[0], out)) return true;
            if (hard()) return false;
            return build(out, [](edn::Encoder& e) { e.nil(); });
        case Kind::re:
            return regex(n, out);
        case Kind::multi:
            return multi(c, node, n, out);
        case Kind::ref: {
            const Compiled* target = refs_.resolve(n);
            if (!target) {
                error_ = refs_.error();
                return false;
            }
            return gen(*target, target->root, out);
        }
        case Kind::fn:
            return fail(sqlstate::feature_not_supported,
                        "cannot generate values for [:fn \"" + n.name + "\"]: a predicate cannot be inverted",
                        "Combine it with a schema that can be generated, e.g. [:and :int [:fn \"" + n.name +
                            "\"]]; generated values are kept when the function accepts them.");
    }
    return fail(core::sqlstate::internal_error, "unknown schema kind");
}

bool Generator::map(const Compiled& c, const Node& n, std::string& out) {
    std::vector<std::string> vals(n.entries.size());
    std::vector<bool> present(n.entries.size());
    for (size_t i = 0; i < n.entries.size(); ++i) {
        const Entry& e = n.entries[i];
        if (e.optional) {
            if (minimal() || !rng_.chance(50)) continue;
            present[i] = attempt(c, e.child, vals[i]);
            if (hard()) return false;
        } else {
            if (!gen(c, e.child, vals[i])) return false;
            present[i] = true;
        }
    }
    return build(out, [&](edn::Encoder& e) {
        e.begin(Tag::map);
        for (size_t i = 0; i < n.entries.size(); ++i)
            if (present[i]) e.raw(n.entries[i].key), e.raw(view(vals[i]));
        e.end();
    });
}

// Sets and [:map-of]: draws until enough distinct members (keys) or the tries run out.
bool Generator::distinct(const Compiled& c, const Node& n, std::string& out) {
    int64_t want = count(n, 4);
    if (want < 0)
        return fail(core::sqlstate::program_limit_exceeded,
                    "cannot generate collections of more than " + std::to_string(max_items) + " items");
    bool map = n.kind == Kind::map_of;
    std::map<std::string, std::string> items;  // key bytes → value bytes
    for (int64_t t = 0; int64_t(items.size()) < want && t < want * 10 + 20; ++t) {
        std::string k, v;
        if (!gen(c, n.children[0], k)) return false;
        if (items.count(k)) continue;
        if (map && !gen(c, n.children[1], v)) return false;
        items.emplace(std::move(k), std::move(v));
    }
    if (n.has_min && int64_t(items.size()) < n.imin)
        return fail(soft_code, "could not generate " + std::to_string(n.imin) + " distinct " +
                                   (map ? "keys" : "members") + " for " + printed(n.schema));
    return build(out, [&](edn::Encoder& e) {
        e.begin(map ? Tag::map : Tag::set);
        for (auto& kv : items) {
            e.raw(view(kv.first));
            if (map) e.raw(view(kv.second));
        }
        e.end();
    });
}

bool Generator::sequence(const Compiled& c, const Node& n, std::string& out) {
    bool tuple = n.kind == Kind::tuple;
    int64_t k = tuple ? int64_t(n.children.size()) : count(n, 4);
    if (k < 0)
        return fail(core::sqlstate::program_limit_exceeded,
                    "cannot generate collections of more than " + std::to_string(max_items) + " items");
    std::vector<std::string> xs(static_cast<size_t>(k));
    for (int64_t i = 0; i < k; ++i)
        if (!gen(c, tuple ? n.children[size_t(i)] : n.children[0], xs[size_t(i)])) return false;
    Tag tag = n.kind == Kind::sequential && rng_.chance(50) ? Tag::list : Tag::vector;
    return build(out, [&](edn::Encoder& e) {
        e.begin(tag);
        for (auto& x : xs) e.raw(view(x));
        e.end();
    });
}

bool Generator::one_of(const Compiled& c, const Node& n, std::string& out) {
    std::vector<uint32_t> order(n.children.size());
    size_t start = rng_.below(order.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = n.children[(start + i) % order.size()];
    if (minimal())
        std::stable_partition(order.begin(), order.end(), [&](uint32_t k) { return !has_ref(c, c.node(k)); });
    for (uint32_t k : order) {
        if (attempt(c, k, out)) return true;
        if (hard()) return false;
    }
    return fail(soft_code, "could not generate a value for any branch of " + printed(n.schema));
}

bool Generator::all_of(const Compiled& c, uint32_t node, const Node& n, std::string& out) {
    // The children most likely to produce a conforming value first; [:fn] never.
    auto rank = [&](uint32_t k) {
        Kind kind = c.node(k).kind;
        return kind == Kind::re || kind == Kind::enum_ || kind == Kind::equals ? 0 : kind == Kind::fn ? 2 : 1;
    };
    std::vector<uint32_t> order;
    for (uint32_t k : n.children)
        if (rank(k) < 2) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return rank(a) < rank(b); });
    if (order.empty())
        return fail(sqlstate::feature_not_supported,
                    "cannot generate values for " + printed(n.schema) + ": every part is a [:fn] predicate",
                    "Add a schema that can be generated, e.g. [:and :int [:fn \"...\"]].");
    for (int t = 0; t < filter_tries; ++t) {
        if (!attempt(c, order[size_t(t) % order.size()], out)) {
            if (hard()) return false;
            continue;
        }
        bool ok = conforms(c, node, view(out));
        if (hard()) return false;
        if (ok) return true;
    }
    return fail(soft_code,
                "could not generate a value for " + printed(n.schema) + " in " +
                    std::to_string(filter_tries) + " tries",
                "The parts of the [:and] rarely agree; put the most specific schema first.");
}

bool Generator::regex(const Node& n, std::string& out) {
    auto it = regexes_.find(&n);
    if (it == regexes_.end()) {
        auto g = RegexGenerator::compile(n.name);
        it = regexes_.emplace(&n, g ? g.value() : nullptr).first;
    }
    // A candidate costs a step per 16 bytes (RE2 is linear), and at least one.
    auto matches = [&](const std::string& s) { return step(1 + s.size() / 16) && RE2::FullMatch(s, *n.re); };
    std::string s;
    if (it->second) {
        for (int t = 0; t < regex_tries && !hard(); ++t)
            if (it->second->generate(rng_, s) && matches(s))
                return build(out, [&](edn::Encoder& e) { e.string(s); });
    }
    // Outside the subset (or no candidate matched): strings over the pattern's own
    // characters plus letters and digits, kept when RE2 matches them.
    std::string alphabet = "abcxyzABC0129 -_.@";
    for (unsigned char ch : n.name)
        if (ch >= 0x20 && ch < 0x7F && alphabet.find(char(ch)) == std::string::npos) alphabet += char(ch);
    for (int t = 0; t < sample_tries && !hard(); ++t) {
        s.clear();
        for (int64_t i = rng_.between(0, t < sample_tries / 2 ? 6 : 16); i > 0; --i)
            s += alphabet[rng_.below(alphabet.size())];
        if (matches(s)) return build(out, [&](edn::Encoder& e) { e.string(s); });
    }
    if (hard()) return false;
    return fail(soft_code,
                "could not generate a string matching " + printed(n.schema.item(n.schema.count() - 1)),
                "generate supports literals, classes, ., ?, *, +, {m,n}, |, groups and anchors "
                "(docs/spec.md, \"generate\"); simplify the pattern or add an [:enum] of examples.");
}

bool Generator::multi(const Compiled& c, uint32_t node, const Node& n, std::string& out) {
    std::vector<const Branch*> order;
    size_t k = n.branches.size();
    size_t start = k ? rng_.below(k) : 0;
    for (size_t i = 0; i < k; ++i) order.push_back(&n.branches[(start + i) % k]);
    if (minimal())
        std::stable_partition(order.begin(), order.end(),
                              [&](const Branch* b) { return !has_ref(c, c.node(b->child)); });
    for (const Branch* b : order) {
        for (int t = 0; t < 10; ++t) {
            std::string v;
            if (!attempt(c, b->child, v)) {
                if (hard()) return false;
                break;
            }
            if (view(v).tag() != Tag::map) break;
            // The branch schema need not fix the dispatch key; the value must carry it.
            auto r = edn::assoc(view(v), n.dispatch_key, b->dispatch, limits());
            if (!r) break;
            bool ok = conforms(c, node, view(r.value()));
            if (hard()) return false;
            if (ok) {
                out = r.take();
                return true;
            }
        }
    }
    if (n.default_child >= 0 && attempt(c, uint32_t(n.default_child), out)) {
        bool ok = conforms(c, node, view(out));
        if (hard() || ok) return ok;
    }
    if (hard()) return false;
    return fail(soft_code, "could not generate a value for " + printed(n.schema));
}

}  // namespace

}  // namespace detail

core::Result<std::vector<std::string>> generate(const Spec& spec, size_t n, uint64_t seed,
                                                const Resolver& resolver, const Predicate& predicate) {
    Options o;
    o.resolver = resolver;
    o.predicate = predicate;
    const detail::Compiled& c = spec.compiled();
    detail::Generator g(o, seed);
    std::vector<std::string> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        std::string v;
        bool done = false;
        g.next_value();
        for (int t = 0; t < detail::value_tries && !done; ++t) {
            if (!g.attempt(c, c.root, v)) {
                if (g.hard()) return g.error();
                continue;
            }
            done = g.conforms(c, c.root, detail::view(v));
            if (g.hard()) return g.error();
        }
        if (!done) {
            // One more time, keeping the reason.
            if (!g.gen(c, c.root, v)) return g.error();
            if (!g.conforms(c, c.root, detail::view(v))) {
                if (g.hard()) return g.error();
                return core::Error(core::sqlstate::invalid_parameter_value,
                                   "could not generate a value conforming to the spec",
                                   "The spec's parts may contradict each other.");
            }
        }
        out.push_back(std::move(v));
    }
    return out;
}

}  // namespace persistence::spec
