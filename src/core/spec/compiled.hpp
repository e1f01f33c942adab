// The compiled form of a schema: a flat array of nodes over the canonical schema bytes.
// Private to src/core/spec.
//
// Nodes refer to their part of the schema through ValueRefs into Compiled::bytes and
// Compiled::aux, which never change after compile(), so a Spec can be shared and its
// views stay valid for its lifetime.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "persistence/edn/value.hpp"
#include "persistence/spec/spec.hpp"

namespace persistence::spec::detail {

enum class Kind : uint8_t {
    any,
    nil,
    boolean,
    int_,
    double_,
    number,
    string,
    keyword,
    symbol,
    uuid,
    inst,
    map,
    map_of,
    vector,
    sequential,
    set,
    tuple,
    enum_,
    equals,
    or_,
    and_,
    not_,
    maybe,
    re,
    multi,
    ref,
    fn,
};

// The schema keyword of a kind ("int", "map-of", ...), as used in paths.
const char* kind_name(Kind k);

inline constexpr uint32_t no_offset = UINT32_MAX;

struct Entry {
    edn::ValueRef key;              // the key as written
    uint32_t json_key = no_offset;  // offset in aux of the string twin of a keyword key
    bool optional = false;
    uint32_t child = 0;  // node index
};

struct Branch {
    edn::ValueRef dispatch;  // the dispatch value as written
    uint32_t child = 0;
};

struct Node {
    Kind kind = Kind::any;
    bool closed = false;  // map
    bool has_min = false, has_max = false;
    int64_t imin = 0, imax = 0;          // :int bounds, or length/count bounds
    double dmin = 0, dmax = 0;           // :double / :number bounds
    edn::ValueRef min_value, max_value;  // the bounds as written (for messages)
    edn::ValueRef schema;                // this sub-schema as written
    std::vector<uint32_t> children;      // vector/set/...: [child]; map-of: [key, value]; tuple/or/and: all
    std::vector<Entry> entries;          // map, in written order
    std::vector<uint32_t> by_key;        // map: entry indexes sorted by key (canonical order)
    std::vector<uint32_t> by_json_key;   // map: entries with a string twin, sorted by twin
    std::vector<edn::ValueRef> members;  // enum: sorted, unique; =: the one value
    std::vector<edn::ValueRef> listed;   // enum members / multi dispatch values as written (messages)
    edn::ValueRef dispatch_key;          // multi
    uint32_t dispatch_json_key = no_offset;
    std::vector<Branch> branches;    // multi: sorted by dispatch value
    int64_t default_child = -1;      // multi: node of the :malli.core/default branch
    edn::ValueRef default_dispatch;  // multi: the :malli.core/default keyword as written
    std::unique_ptr<RE2> re;         // re
    std::string name;                // ref: spec name; fn: function name; re: pattern
};

struct Compiled {
    std::string bytes;  // the schema's canonical encoding
    std::string aux;    // encoded keyword-key string twins (json_keys mode)
    std::vector<Node> nodes;
    uint32_t root = 0;
    hash::Digest fingerprint{};
    std::vector<std::string> refs, functions;

    const Node& node(uint32_t i) const { return nodes[i]; }
    edn::ValueRef aux_value(uint32_t off) const {
        return edn::ValueRef(reinterpret_cast<const uint8_t*>(aux.data()) + off);
    }
};

}  // namespace persistence::spec::detail
