// The fact model shared by the write path (planner.hpp) and the readers (timeline.hpp).
//
// Semantics in one paragraph (docs/fact.md has the worked examples):
// * A *piece* is a live assertion of (e, a, v) over a half-open valid interval
//   [from, to). Every assert datom creates one piece; a retract datom cancels exactly the
//   piece with the same (e, a, v, from, to). A piece is never cut in place: superseding a
//   part of it retracts the whole piece and re-asserts the parts that stay (the companion
//   retractions and re-assertions, written in the same transaction).
// * A transaction's datoms are the difference between the live pieces of each touched
//   (e, a) before and after its operations: retractions of pieces that went away,
//   assertions of pieces that came. Nothing else is written.
// * Cardinality one: the live pieces of (e, a) never overlap, so at any valid instant, as
//   known at any tx, there is at most one value. Cardinality many: pieces of the same value
//   never overlap; different values may.
// * Reading (e, a) as of tx T at valid instant V: for each value, the newest datom (tx ≤ T)
//   of that value whose interval contains V decides; within one tx an assertion wins over a
//   retraction. It is present iff that datom is an assertion.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "persistence/datom/datom.hpp"
#include "persistence/hash/sha256.hpp"

namespace persistence::fact {

using datom::Micros;
using datom::open_end;
using hash::Digest;

// Half-open [from, to); to == open_end is open. from < to always.
struct Interval {
    Micros from = 0;
    Micros to = open_end;
    bool contains(Micros t) const { return from <= t && t < to; }
    bool overlaps(const Interval& o) const { return from < o.to && o.from < to; }
    bool covers(const Interval& o) const { return from <= o.from && o.to <= to; }
    bool operator==(const Interval& o) const { return from == o.from && to == o.to; }
};

enum class ValueType : uint8_t { any, string, integer, double_, decimal, boolean, keyword, instant, uuid, ref, edn };
enum class Unique : uint8_t { none, identity, value };

// Names as used by define_attribute(): any string int double decimal boolean keyword
// instant uuid ref edn; unique: identity value.
std::optional<ValueType> parse_value_type(std::string_view name);
const char* value_type_name(ValueType t);
std::optional<Unique> parse_unique(std::string_view name);
const char* unique_name(Unique u);  // "" for none

// An attribute's definition as currently known. An undefined attribute (defined = false)
// is any-type, cardinality one, not unique.
struct Attribute {
    std::string ident;  // the keyword as printed, with its colon: ":person/email"
    bool defined = false;
    ValueType type = ValueType::any;
    bool many = false;
    Unique unique = Unique::none;
    std::string doc;
    std::string spec;
};

// A datom as stored: the value by its hash.
struct StoredDatom {
    std::string e;
    std::string a;
    Digest vhash{};
    std::string ref;  // for a ref attribute: the entity id the value names; else empty
    int64_t tx = 0;
    Interval valid;
    bool is_assert = true;
};

// A datom the planner wants written (the tx id and the hashes are added by the caller).
struct NewDatom {
    std::string e;
    std::string a;
    Digest vhash{};
    std::string value;  // canonical encoded EDN of the value; empty if already stored
    std::string ref;    // as in StoredDatom
    Interval valid;
    bool is_assert = true;
};

// A live piece of (e, a): value by hash, its interval, and the tx that asserted it.
struct Piece {
    Digest vhash{};
    std::string ref;
    Interval valid;
    int64_t tx = 0;
};

}  // namespace persistence::fact
