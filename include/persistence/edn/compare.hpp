// The total order over all EDN values (docs/edn.md, "Order").
//
// Values of different types order by type rank:
//   nil < boolean < integer < double < decimal < char < string < keyword < symbol
//       < inst < uuid < list < vector < map < set < tagged
// Within a type: false < true; integers numerically (bigints included); doubles
// numerically with NaN last; decimals numerically, then by scale (1.5M < 1.50M);
// chars by code point; strings, keywords and symbols by UTF-8 bytes (= code points);
// insts by time; uuids by bytes; lists, vectors, sets and maps lexicographically over
// their items in stored order (a map's items are key0 val0 key1 val1 … in key order);
// tagged values by tag, then value.
// Consistent with equality: compare(a, b) == 0 exactly when the bytes are equal.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include "persistence/edn/value.hpp"

namespace persistence::edn {

int compare(ValueRef a, ValueRef b);  // <0, 0, >0
bool equal(ValueRef a, ValueRef b);   // byte equality (values are canonical)

}  // namespace persistence::edn
