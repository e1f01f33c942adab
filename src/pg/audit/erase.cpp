// persistence._erase_payloads(hashes bytea[]) → bigint: removes value payloads from the
// value store, bypassing its append-only trigger (only erase() calls it; docs/audit.md
// "Erasure"). The datoms keep the hashes, so every proof still verifies; the space is
// reclaimed by VACUUM like any deleted row.
#include "pg/boundary.hpp"
#include "pg/fact/relations.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
}

namespace persistence::pg {

namespace {

// Plain PostgreSQL code: deletes the value_store rows of these hashes; returns how many.
int64 delete_payloads(Datum* hashes, bool* nulls, int n) {
    const FactRelations& rel = fact_relations();
    Relation heap = table_open(rel.value_store, RowExclusiveLock);
    Relation index = index_open(rel.value_store_pkey, RowExclusiveLock);
    Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
    TupleTableSlot* slot = table_slot_create(heap, nullptr);
    IndexScanDesc scan = index_beginscan(heap, index, snapshot, 1, 0);
    int64 deleted = 0;
    for (int i = 0; i < n; ++i) {
        if (nulls[i]) continue;
        ScanKeyData key;
        ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_BYTEAEQ, hashes[i]);
        index_rescan(scan, &key, 1, nullptr, 0);
        while (index_getnext_slot(scan, ForwardScanDirection, slot)) {
            simple_heap_delete(heap, &slot->tts_tid);
            ++deleted;
        }
    }
    index_endscan(scan);
    ExecDropSingleTupleTableSlot(slot);
    UnregisterSnapshot(snapshot);
    index_close(index, RowExclusiveLock);
    table_close(heap, RowExclusiveLock);
    CommandCounterIncrement();
    return deleted;
}

}  // namespace

}  // namespace persistence::pg

PERSISTENCE_FUNCTION(persistence_erase_payloads) {
    ArrayType* array = PG_GETARG_ARRAYTYPE_P(0);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(array, BYTEAOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    PG_RETURN_INT64(persistence::pg::delete_payloads(elems, nulls, n));
}
