// The content-addressed value store: look a value up by its hash, store new values once.
#pragma once

#include "persistence/fact/model.hpp"

#include <string>
#include <vector>

#include "pg/pg_headers.hpp"

namespace persistence::pg {

// The stored edn Datum for a hash, or 0 if there is none. Sees committed values and the
// caller's own, whatever its snapshot: values are timeless, and a concurrent transaction
// may have stored one that this transaction refers to. Plain PostgreSQL code.
Datum value_lookup(const uint8* hash);

// Stores every value of `datoms` that carries a payload and is not stored yet. Values
// stored concurrently by another transaction are waited for, never duplicated.
void store_new_values(const std::vector<fact::NewDatom>& datoms);

}  // namespace persistence::pg
