#include "persistence/core/error.hpp"
#include "pg/fact/relations.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "access/genam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "utils/snapmgr.h"
}

namespace persistence::pg {

namespace {

FactRelations cached;
bool cached_valid = false;
bool callback_registered = false;

// Any relcache invalidation may be a DROP EXTENSION: forget every OID.
void forget_relations(Datum, Oid) { cached_valid = false; }

Oid lookup(const char* name, Oid schema) {
    Oid oid = get_relname_relid(name, schema);
    if (!OidIsValid(oid))
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("persistence relation \"%s\" is missing", name),
                        errhint("Reinstall the extension: DROP EXTENSION persistence; CREATE EXTENSION persistence.")));
    return oid;
}

}  // namespace

const FactRelations& fact_relations() {
    if (cached_valid) return cached;
    if (!callback_registered) {
        CacheRegisterRelcacheCallback(forget_relations, (Datum)0);
        callback_registered = true;
    }
    FactRelations r;
    r.schema = get_namespace_oid("persistence", false);
    r.branches = lookup("branches", r.schema);
    r.branches_pkey = lookup("branches_pkey", r.schema);
    r.branches_name = lookup("branches_name_key", r.schema);
    r.transactions = lookup("transactions", r.schema);
    r.transactions_pkey = lookup("transactions_pkey", r.schema);
    r.value_store = lookup("value_store", r.schema);
    r.value_store_pkey = lookup("value_store_pkey", r.schema);
    r.datoms = lookup("datoms", r.schema);
    r.datoms_eavt = lookup("datoms_eavt", r.schema);
    r.datoms_ea = lookup("datoms_ea", r.schema);
    r.datoms_tx = lookup("datoms_tx", r.schema);
    r.datoms_avet = lookup("datoms_avet", r.schema);
    r.tx_seq = lookup("tx_seq", r.schema);
    r.seal_queue = lookup("seal_queue", r.schema);
    r.seal_queue_pkey = lookup("seal_queue_pkey", r.schema);
    r.chain = lookup("chain", r.schema);
    r.erased_values = lookup("erased_values", r.schema);
    r.erased_values_pkey = lookup("erased_values_pkey", r.schema);
    cached = r;
    cached_valid = true;
    return cached;
}

bool lookup_row(Oid heap_oid, Oid index_oid, ScanKey key, int natts, const AttrNumber* atts, Datum* values,
                bool* nulls) {
    Relation heap = table_open(heap_oid, AccessShareLock);
    Relation index = index_open(index_oid, AccessShareLock);
    key->sk_collation = index->rd_indcollation[key->sk_attno - 1];
    IndexScanDesc scan = index_beginscan(heap, index, GetActiveSnapshot(), 1, 0);
    index_rescan(scan, key, 1, nullptr, 0);
    TupleTableSlot* slot = table_slot_create(heap, nullptr);
    bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
    for (int i = 0; found && i < natts; ++i) values[i] = slot_getattr(slot, atts[i], &nulls[i]);
    ExecDropSingleTupleTableSlot(slot);
    index_endscan(scan);
    index_close(index, AccessShareLock);
    table_close(heap, AccessShareLock);
    return found;
}

}  // namespace persistence::pg
