#include "persistence/fact/planner.hpp"
#include "pg/fact/values.hpp"

#include <algorithm>
#include <cstring>

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/relations.hpp"
#include "pg/fact/row_writer.hpp"
#include "pg/fact/store.hpp"

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "executor/tuptable.h"
#include "storage/lmgr.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
}

extern "C" Datum persistence_edn_in(PG_FUNCTION_ARGS);

namespace persistence::pg {

namespace {

bytea* hash_bytea(const uint8* hash) {
    bytea* b = static_cast<bytea*>(palloc(VARHDRSZ + 32));
    SET_VARSIZE(b, VARHDRSZ + 32);
    memcpy(VARDATA(b), hash, 32);
    return b;
}

// Is a value with this hash stored (committed or our own) or being stored by a
// transaction still in progress? Waits for such a transaction and looks again.
bool value_present(Relation heap, Relation index, const uint8* hash) {
    for (;;) {
        SnapshotData dirty;
        InitDirtySnapshot(dirty);
        ScanKeyData key;
        ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_BYTEAEQ, PointerGetDatum(hash_bytea(hash)));
        IndexScanDesc scan = index_beginscan(heap, index, &dirty, 1, 0);
        index_rescan(scan, &key, 1, nullptr, 0);
        TupleTableSlot* slot = table_slot_create(heap, nullptr);
        bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
        TransactionId wait_for = found ? (TransactionIdIsValid(dirty.xmin) ? dirty.xmin : dirty.xmax)
                                       : InvalidTransactionId;
        ExecDropSingleTupleTableSlot(slot);
        index_endscan(scan);
        if (!found) return false;
        if (!TransactionIdIsValid(wait_for)) return true;
        XactLockTableWait(wait_for, heap, nullptr, XLTW_None);
    }
}

// The payload of an erased value reads as the tombstone #persistence/erased "<hash hex>"
// (docs/audit.md "Erasure"); 0 when the hash was never erased.
Datum erased_tombstone(const uint8* hash) {
    const FactRelations& rel = fact_relations();
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_BYTEAEQ, PointerGetDatum(hash_bytea(hash)));
    AttrNumber att = 2;
    Datum tx;
    bool isnull;
    if (!lookup_row(rel.erased_values, rel.erased_values_pkey, &key, 1, &att, &tx, &isnull)) return 0;
    static const char digits[] = "0123456789abcdef";
    char text[sizeof "#persistence/erased \"\"" + 64];
    int n = snprintf(text, sizeof text, "#persistence/erased \"");
    for (int i = 0; i < 32; ++i) text[n++] = digits[hash[i] >> 4], text[n++] = digits[hash[i] & 15];
    text[n++] = '"';
    text[n] = '\0';
    return DirectFunctionCall1(persistence_edn_in, CStringGetDatum(text));
}

}  // namespace

void value_reader_open(ValueReader* r) {
    const FactRelations& rel = fact_relations();
    r->heap = table_open(rel.value_store, AccessShareLock);
    r->index = index_open(rel.value_store_pkey, AccessShareLock);
    r->scan = index_beginscan(r->heap, r->index, SnapshotSelf, 1, 0);
    r->slot = table_slot_create(r->heap, nullptr);
}

Datum value_reader_get(ValueReader* r, const uint8* hash) {
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_BYTEAEQ, PointerGetDatum(hash_bytea(hash)));
    index_rescan(r->scan, &key, 1, nullptr, 0);
    Datum result = 0;
    if (index_getnext_slot(r->scan, ForwardScanDirection, r->slot)) {
        bool isnull;
        Datum v = slot_getattr(r->slot, 2, &isnull);
        if (!isnull) result = PointerGetDatum(PG_DETOAST_DATUM_COPY(v));
    }
    ExecClearTuple(r->slot);
    if (result == 0) result = erased_tombstone(hash);
    return result;
}

void value_reader_close(ValueReader* r) {
    ExecDropSingleTupleTableSlot(r->slot);
    index_endscan(r->scan);
    index_close(r->index, AccessShareLock);
    table_close(r->heap, AccessShareLock);
}

Datum value_lookup(const uint8* hash) {
    ValueReader r;
    value_reader_open(&r);
    Datum result = value_reader_get(&r, hash);
    value_reader_close(&r);
    return result;
}

void store_new_values(const std::vector<fact::NewDatom>& datoms) {
    // One candidate per distinct hash.
    std::vector<const fact::NewDatom*> candidates;
    for (const auto& d : datoms)
        if (!d.value.empty()) candidates.push_back(&d);
    if (candidates.empty()) return;
    std::sort(candidates.begin(), candidates.end(),
              [](const fact::NewDatom* x, const fact::NewDatom* y) { return x->vhash < y->vhash; });
    candidates.erase(std::unique(candidates.begin(), candidates.end(),
                                 [](const fact::NewDatom* x, const fact::NewDatom* y) { return x->vhash == y->vhash; }),
                     candidates.end());

    const FactRelations& r = fact_relations();
    Relation heap = call_pg([&] { return table_open(r.value_store, RowExclusiveLock); });
    Relation index = call_pg([&] { return index_open(r.value_store_pkey, RowExclusiveLock); });
    std::vector<const fact::NewDatom*> missing;
    for (const fact::NewDatom* d : candidates)
        if (!call_pg([&] { return value_present(heap, index, d->vhash.data()); })) missing.push_back(d);
    if (!missing.empty()) {
        // Two transactions storing the same new value: the second waits for the first
        // (space 3 lock held to commit), then finds the value and skips it.
        std::vector<fact::LockRequest> locks;
        for (const fact::NewDatom* d : missing) locks.push_back({d->vhash, true, fact::LockSpace::entity});
        take_fact_locks(3, locks);
        RowWriter writer(r.value_store);
        for (const fact::NewDatom* d : missing) {
            if (call_pg([&] { return value_present(heap, index, d->vhash.data()); })) continue;
            Datum hash = call_pg([&] { return PointerGetDatum(hash_bytea(d->vhash.data())); });
            Datum value = edn_datum(d->value);
            Datum row[2] = {hash, value};
            bool nulls[2] = {false, false};
            writer.insert(row, nulls);
        }
        writer.close();
    }
    call_pg([&] {
        index_close(index, RowExclusiveLock);
        table_close(heap, RowExclusiveLock);
    });
}

}  // namespace persistence::pg
