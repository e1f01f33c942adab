// Collection operations behind the SQL functions and operators (docs/edn.md).
// Builders return a new encoded value; lookups return views into their input.
// Type errors are 22023 naming the type received and the type expected.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <optional>
#include <string>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/edn/value.hpp"

namespace persistence::edn {

using Lookup = core::Result<std::optional<ValueRef>>;

// coll -> key: a map's value for key; a vector's or list's element at an integer index
// (negative counts from the end). Missing key or index out of range: empty optional.
// Any other collection type, or a non-integer index into a vector/list: empty optional
// (like jsonb's ->). nil -> anything: empty.
std::optional<ValueRef> get(ValueRef coll, ValueRef key);
std::optional<ValueRef> get_index(ValueRef coll, int64_t index);
// Follows a path (a vector or list of keys/indices); 22023 when path is not sequential.
Lookup get_in(ValueRef v, ValueRef path);

// a @> b: maps contain maps whose every key is present with a contained value;
// vectors, lists and sets contain every element of b contained by some element of a
// (same collection type); scalars contain equal scalars; tagged: same tag, contained value.
bool contains(ValueRef a, ValueRef b);

core::Result<std::string> assoc(ValueRef coll, ValueRef key, ValueRef val, const Limits& limits);
core::Result<std::string> dissoc(ValueRef map, ValueRef key, const Limits& limits);
core::Result<std::string> conj(ValueRef coll, ValueRef x, const Limits& limits);
core::Result<std::string> merge(ValueRef a, ValueRef b, const Limits& limits);
// Number of elements (entries of a map, characters of a string); 22023 for other types.
core::Result<int64_t> count(ValueRef v);

}  // namespace persistence::edn
