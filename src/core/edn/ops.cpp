#include "persistence/edn/ops.hpp"

#include "persistence/edn/compare.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/utf8.hpp"

namespace persistence::edn {

namespace {

std::string a_type(ValueRef v) {
    Type t = v.type();
    if (t == Type::nil) return "nil";
    if (t == Type::tagged) return "a tagged value";
    std::string name = type_name(t);
    return (name[0] == 'i' ? "an " : "a ") + name;
}

core::Error type_error(std::string message, std::string hint) {
    return core::Error(core::sqlstate::invalid_parameter_value, std::move(message), std::move(hint));
}

std::string copy(ValueRef v) { return std::string(reinterpret_cast<const char*>(v.data()), v.size()); }

// First position in a map (by key) or set (by member) not less than x; found tells
// whether it is equal.
uint32_t lower_bound(ValueRef coll, ValueRef x, bool& found) {
    bool is_map = coll.tag() == Tag::map;
    uint32_t lo = 0, hi = coll.count();
    found = false;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = compare(is_map ? coll.map_key(mid) : coll.item(mid), x);
        if (c == 0) {
            found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void copy_entries(Encoder& enc, ValueRef map, uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; ++i) {
        enc.raw(map.map_key(i));
        enc.raw(map.map_val(i));
    }
}

void copy_items(Encoder& enc, ValueRef coll, uint32_t from, uint32_t to) {
    for (uint32_t i = from; i < to; ++i) enc.raw(coll.item(i));
}

}  // namespace

std::optional<ValueRef> get_index(ValueRef coll, int64_t index) {
    if (coll.tag() != Tag::vector && coll.tag() != Tag::list) return std::nullopt;
    int64_t n = coll.count();
    if (index < 0) index += n;
    if (index < 0 || index >= n) return std::nullopt;
    return coll.item(uint32_t(index));
}

std::optional<ValueRef> get(ValueRef coll, ValueRef key) {
    switch (coll.tag()) {
        case Tag::vector:
        case Tag::list:
            if (key.tag() != Tag::integer) return std::nullopt;
            return get_index(coll, key.as_int());
        case Tag::map:
            return coll.map_get(key);
        case Tag::set: {
            bool found;
            uint32_t i = lower_bound(coll, key, found);
            if (!found) return std::nullopt;
            return coll.item(i);
        }
        default:
            return std::nullopt;
    }
}

Lookup get_in(ValueRef v, ValueRef path) {
    if (path.tag() != Tag::vector && path.tag() != Tag::list) {
        return type_error("a path must be a vector or a list, not " + a_type(path),
                          "Write the path as a vector of keys and indexes, e.g. '[:a 0 :b]'.");
    }
    std::optional<ValueRef> cur = v;
    for (uint32_t i = 0, n = path.count(); i < n && cur; ++i) cur = get(*cur, path.item(i));
    return cur;
}

bool contains(ValueRef a, ValueRef b) {
    if (a.tag() != b.tag()) return false;
    switch (a.tag()) {
        case Tag::map:
            for (uint32_t i = 0, n = b.count(); i < n; ++i) {
                std::optional<ValueRef> av = a.map_get(b.map_key(i));
                if (!av || !contains(*av, b.map_val(i))) return false;
            }
            return true;
        case Tag::vector:
        case Tag::list:
        case Tag::set:
            for (uint32_t i = 0, n = b.count(); i < n; ++i) {
                ValueRef x = b.item(i);
                // Equal values contain each other; a set finds those by binary search.
                if (a.tag() == Tag::set && a.set_contains(x)) continue;
                bool any = false;
                for (uint32_t j = 0, m = a.count(); j < m && !any; ++j) any = contains(a.item(j), x);
                if (!any) return false;
            }
            return true;
        case Tag::tagged:
            return a.tag_name() == b.tag_name() && contains(a.tagged_value(), b.tagged_value());
        default:
            return equal(a, b);
    }
}

core::Result<std::string> assoc(ValueRef coll, ValueRef key, ValueRef val, const Limits& limits) {
    Encoder enc(limits);
    switch (coll.tag()) {
        case Tag::nil:
            enc.begin(Tag::map);
            enc.raw(key);
            enc.raw(val);
            enc.end();
            return enc.finish();
        case Tag::map: {
            bool found;
            uint32_t i = lower_bound(coll, key, found);
            enc.begin(Tag::map);
            copy_entries(enc, coll, 0, i);
            enc.raw(key);
            enc.raw(val);
            copy_entries(enc, coll, found ? i + 1 : i, coll.count());
            enc.end();
            return enc.finish();
        }
        case Tag::vector: {
            uint32_t n = coll.count();
            if (key.tag() != Tag::integer && key.tag() != Tag::bigint) {
                return type_error("a vector index must be an integer, not " + a_type(key),
                                  "Vector positions are integers from 0 to the vector's length.");
            }
            if (key.tag() == Tag::bigint || key.as_int() < 0 || key.as_int() > int64_t(n)) {
                return type_error(
                    "index " + to_string(key) + " out of range for a vector of " + std::to_string(n) +
                        " elements",
                    "Use an index from 0 to " + std::to_string(n) + " (" + std::to_string(n) + " appends).");
            }
            uint32_t at = uint32_t(key.as_int());
            enc.begin(Tag::vector);
            copy_items(enc, coll, 0, at);
            enc.raw(val);
            copy_items(enc, coll, at < n ? at + 1 : n, n);
            enc.end();
            return enc.finish();
        }
        default:
            return type_error("cannot assoc on " + a_type(coll) + "; expected a map, vector or nil",
                              "assoc sets a key of a map or a position of a vector.");
    }
}

core::Result<std::string> dissoc(ValueRef map, ValueRef key, const Limits& limits) {
    if (map.tag() == Tag::nil) return copy(map);
    if (map.tag() != Tag::map)
        return type_error("cannot dissoc on " + a_type(map) + "; expected a map or nil",
                          "dissoc removes a key from a map.");
    bool found;
    uint32_t i = lower_bound(map, key, found);
    if (!found) return copy(map);
    Encoder enc(limits);
    enc.begin(Tag::map);
    copy_entries(enc, map, 0, i);
    copy_entries(enc, map, i + 1, map.count());
    enc.end();
    return enc.finish();
}

core::Result<std::string> conj(ValueRef coll, ValueRef x, const Limits& limits) {
    Encoder enc(limits);
    switch (coll.tag()) {
        case Tag::nil:
            enc.begin(Tag::list);
            enc.raw(x);
            enc.end();
            return enc.finish();
        case Tag::vector:
            enc.begin(Tag::vector);
            copy_items(enc, coll, 0, coll.count());
            enc.raw(x);
            enc.end();
            return enc.finish();
        case Tag::list:
            enc.begin(Tag::list);
            enc.raw(x);
            copy_items(enc, coll, 0, coll.count());
            enc.end();
            return enc.finish();
        case Tag::set: {
            bool found;
            uint32_t i = lower_bound(coll, x, found);
            if (found) return copy(coll);
            enc.begin(Tag::set);
            copy_items(enc, coll, 0, i);
            enc.raw(x);
            copy_items(enc, coll, i, coll.count());
            enc.end();
            return enc.finish();
        }
        case Tag::map:
            if (x.tag() == Tag::vector && x.count() == 2) return assoc(coll, x.item(0), x.item(1), limits);
            if (x.tag() == Tag::map) return merge(coll, x, limits);
            return type_error(
                "cannot conj " + a_type(x) + " onto a map; expected a [key value] vector or a map",
                "Add a map entry as a two-element vector, e.g. '[:k 1]'.");
        default:
            return type_error("cannot conj onto " + a_type(coll) + "; expected a collection or nil",
                              "conj adds to a vector, list, set or map.");
    }
}

core::Result<std::string> merge(ValueRef a, ValueRef b, const Limits& limits) {
    for (ValueRef v : {a, b}) {
        if (v.tag() != Tag::map && v.tag() != Tag::nil) {
            return type_error("cannot merge " + a_type(v) + "; expected maps or nil",
                              "merge combines maps; the right-hand map wins on equal keys.");
        }
    }
    uint32_t na = a.tag() == Tag::map ? a.count() : 0;
    uint32_t nb = b.tag() == Tag::map ? b.count() : 0;
    Encoder enc(limits);
    enc.begin(Tag::map);
    // Both key sequences are sorted: one merge pass keeps the result sorted.
    uint32_t i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i == na ? 1 : (j == nb ? -1 : compare(a.map_key(i), b.map_key(j)));
        if (c < 0) {
            copy_entries(enc, a, i, i + 1);
            ++i;
        } else {
            copy_entries(enc, b, j, j + 1);
            ++j;
            if (c == 0) ++i;  // the right-hand value wins
        }
    }
    enc.end();
    return enc.finish();
}

core::Result<int64_t> count(ValueRef v) {
    switch (v.tag()) {
        case Tag::nil:
            return int64_t(0);
        case Tag::list:
        case Tag::vector:
        case Tag::map:
        case Tag::set:
            return int64_t(v.count());
        case Tag::string:
            return int64_t(utf8::count(v.as_text()));
        default:
            return type_error("cannot count " + a_type(v), "edn_count counts collections, strings and nil.");
    }
}

}  // namespace persistence::edn
