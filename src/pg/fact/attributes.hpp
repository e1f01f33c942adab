// Attribute definitions, read from the log (they are datoms of the attribute's entity,
// e = the ident, on branch main) and cached per backend.
#pragma once

#include "persistence/fact/model.hpp"

#include <string>

#include "pg/pg_headers.hpp"

namespace persistence::pg {

// The schema attributes (:db/ident, :db/valueType, ...) are built in.
inline constexpr int32 schema_branch = 1;  // main

// The definition as known at tx max_tx, valid at `at`. reader: an MVCC read with the
// caller's snapshot; otherwise the latest committed state.
fact::Attribute read_attribute(const std::string& ident, int64 max_tx, fact::Micros at, bool reader);

// The current definition, cached until a schema change commits anywhere (relcache
// invalidation of persistence.datoms, sent by note_schema_change()).
fact::Attribute lookup_attribute(const std::string& ident);
void note_schema_change();

}  // namespace persistence::pg
