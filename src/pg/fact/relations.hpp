// The fact module's relations, looked up by name in the extension's schema and cached
// per backend until a relcache invalidation (DROP/CREATE EXTENSION, ALTER) clears them.
#pragma once

#include "pg/pg_headers.hpp"

extern "C" {
#include "access/skey.h"
}

namespace persistence::pg {

struct FactRelations {
    Oid schema;
    Oid branches, branches_pkey, branches_name;
    Oid transactions, transactions_pkey;
    Oid value_store, value_store_pkey;
    Oid datoms, datoms_eavt, datoms_avet, datoms_ea, datoms_tx;
    Oid tx_seq;
    Oid seal_queue, seal_queue_pkey;  // module audit: transactions waiting to be sealed
    Oid chain;                        // module audit: the sealed entries
    Oid erased_values, erased_values_pkey;  // module audit: erased payloads
};

// Plain PostgreSQL code: raises 55000 if the extension's objects are missing.
const FactRelations& fact_relations();

// One row by an equality key through an index, with the caller's snapshot: copies the
// columns `atts` (by-value types only) into values/nulls. False if there is none. The
// key's collation is set to the index column's. Plain PostgreSQL code.
bool lookup_row(Oid heap_oid, Oid index_oid, ScanKey key, int natts, const AttrNumber* atts, Datum* values,
                bool* nulls);

// Column numbers of persistence.datoms (checked against the catalog on lookup).
enum DatomColumn : int {
    col_e = 1, col_a, col_vh, col_ref, col_tx, col_branch, col_valid_from, col_valid_to, col_is_assert,
    col_hash, col_opens_ea, datom_columns = col_opens_ea
};

}  // namespace persistence::pg
