#include "pg/audit/queue.hpp"

#include "pg/fact/relations.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
}

namespace persistence::pg {

namespace {

// The transaction row of tx, read through transactions_pkey.
void read_transaction(IndexScanDesc scan, TupleTableSlot* slot, QueueRow* row) {
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(row->tx));
    index_rescan(scan, &key, 1, nullptr, 0);
    row->found = false;
    if (!index_getnext_slot(scan, ForwardScanDirection, slot)) return;
    bool null_branch, null_time, null_count, null_root;
    row->branch_id = DatumGetInt32(slot_getattr(slot, 2, &null_branch));
    row->tx_time = DatumGetTimestampTz(slot_getattr(slot, 3, &null_time));
    row->datom_count = DatumGetInt32(slot_getattr(slot, 5, &null_count));
    Datum root = slot_getattr(slot, 6, &null_root);
    if (null_branch || null_time || null_count || null_root) return;
    bytea* b = DatumGetByteaPP(root);
    if (VARSIZE_ANY_EXHDR(b) != 32) return;
    memcpy(row->merkle_root, VARDATA_ANY(b), 32);
    row->found = true;
}

}  // namespace

QueueRow* queue_read(int limit, int* n) {
    const FactRelations& rel = fact_relations();
    Snapshot snapshot = RegisterSnapshot(GetLatestSnapshot());
    Relation queue = table_open(rel.seal_queue, AccessShareLock);
    Relation queue_pkey = index_open(rel.seal_queue_pkey, AccessShareLock);
    Relation txs = table_open(rel.transactions, AccessShareLock);
    Relation txs_pkey = index_open(rel.transactions_pkey, AccessShareLock);
    IndexScanDesc qscan = index_beginscan(queue, queue_pkey, snapshot, 0, 0);
    index_rescan(qscan, nullptr, 0, nullptr, 0);
    IndexScanDesc tscan = index_beginscan(txs, txs_pkey, snapshot, 1, 0);
    TupleTableSlot* qslot = table_slot_create(queue, nullptr);
    TupleTableSlot* tslot = table_slot_create(txs, nullptr);
    auto* rows = static_cast<QueueRow*>(palloc(sizeof(QueueRow) * size_t(limit)));
    int count = 0;
    while (count < limit && index_getnext_slot(qscan, ForwardScanDirection, qslot)) {
        bool isnull;
        QueueRow* row = &rows[count++];
        row->tx = DatumGetInt64(slot_getattr(qslot, 1, &isnull));
        row->tid = qslot->tts_tid;
        read_transaction(tscan, tslot, row);
    }
    ExecDropSingleTupleTableSlot(tslot);
    ExecDropSingleTupleTableSlot(qslot);
    index_endscan(tscan);
    index_endscan(qscan);
    index_close(txs_pkey, AccessShareLock);
    table_close(txs, AccessShareLock);
    index_close(queue_pkey, AccessShareLock);
    table_close(queue, AccessShareLock);
    UnregisterSnapshot(snapshot);
    *n = count;
    return rows;
}

void queue_delete(const QueueRow* rows, int n) {
    if (n == 0) return;
    Relation queue = table_open(fact_relations().seal_queue, RowExclusiveLock);
    for (int i = 0; i < n; ++i) {
        ItemPointerData tid = rows[i].tid;
        simple_heap_delete(queue, &tid);
    }
    table_close(queue, RowExclusiveLock);
    CommandCounterIncrement();
}

}  // namespace persistence::pg
