// The content-addressed value store: look a value up by its hash, store new values once.
#pragma once

#include "persistence/fact/model.hpp"

#include <string>
#include <vector>

#include "pg/pg_headers.hpp"

extern "C" {
#include "access/genam.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
}

namespace persistence::pg {

// The stored edn Datum for a hash, or 0 if there is none. Sees committed values and the
// caller's own, whatever its snapshot: values are timeless, and a concurrent transaction
// may have stored one that this transaction refers to. Plain PostgreSQL code.
Datum value_lookup(const uint8* hash);

// Many lookups with the relations and the index scan opened once (entity() reads one
// value per attribute: reopening them each time cost more than the lookup itself).
struct ValueReader {
    Relation heap;
    Relation index;
    IndexScanDesc scan;
    TupleTableSlot* slot;
};
void value_reader_open(ValueReader* r);
Datum value_reader_get(ValueReader* r, const uint8* hash);  // as value_lookup
void value_reader_close(ValueReader* r);

// Stores every value of `datoms` that carries a payload and is not stored yet. Values
// stored concurrently by another transaction are waited for, never duplicated.
void store_new_values(const std::vector<fact::NewDatom>& datoms);

}  // namespace persistence::pg
