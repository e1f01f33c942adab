#include "persistence/core/error.hpp"
#include "pg/fact/scan.hpp"

#include "pg/fact/relations.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/itup.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_collation.h"
#include "executor/tuptable.h"
#include "storage/bufmgr.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
}

namespace persistence::pg {

namespace {

text* make_text(const char* s, int len) {
    text* t = static_cast<text*>(palloc(VARHDRSZ + len));
    SET_VARSIZE(t, VARHDRSZ + len);
    memcpy(VARDATA(t), s, len);
    return t;
}

// Visible to `see`? Raises 40001 on a concurrent change of a checked key.
bool tuple_visible(DatomScan* s) {
    auto* bslot = reinterpret_cast<BufferHeapTupleTableSlot*>(s->slot);
    HeapTuple tuple = bslot->base.tuple;
    Buffer buffer = bslot->buffer;
    LockBuffer(buffer, BUFFER_LOCK_SHARE);
    bool visible = HeapTupleSatisfiesVisibility(tuple, s->see, buffer);
    bool conflict = visible && s->check != nullptr &&
                    !TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tuple->t_data)) &&
                    !HeapTupleSatisfiesVisibility(tuple, s->check, buffer);
    LockBuffer(buffer, BUFFER_LOCK_UNLOCK);
    if (conflict)
        ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                        errmsg("could not serialize access due to a concurrent transact on the same facts"),
                        errdetail("A transaction that committed after this one started changed a fact this "
                                  "transaction changes."),
                        errhint("Retry the transaction.")));
    return visible;
}


}  // namespace

void text_field(TupleTableSlot* slot, int att, const char** p, int* len) {
    bool isnull;
    Datum d = slot_getattr(slot, att, &isnull);
    if (isnull) {
        *p = nullptr;
        *len = 0;
        return;
    }
    struct varlena* v = PG_DETOAST_DATUM_PACKED(d);
    *p = VARDATA_ANY(v);
    *len = int(VARSIZE_ANY_EXHDR(v));
}

void datom_scan_open(DatomScan* s, Oid index_oid, Snapshot see, Snapshot check, const BranchView& view,
                     int64 max_tx) {
    const FactRelations& r = fact_relations();
    s->heap = table_open(r.datoms, AccessShareLock);
    if (RelationGetDescr(s->heap)->natts != datom_columns)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("persistence.datoms has an unexpected shape"),
                        errhint("Reinstall the extension.")));
    s->index = index_open(index_oid, AccessShareLock);
    s->scan = nullptr;
    s->slot = table_slot_create(s->heap, nullptr);
    s->see = see;
    s->check = check;
    s->view = view;
    s->max_tx = max_tx;
    s->direction = BackwardScanDirection;
}

namespace {

void start(DatomScan* s, ScanKey keys, int nkeys, ScanDirection direction, bool keys_only) {
    if (s->scan == nullptr || s->scan->numberOfKeys != nkeys || s->scan->xs_want_itup != keys_only) {
        if (s->scan != nullptr) index_endscan(s->scan);
        s->scan = index_beginscan(s->heap, s->index, SnapshotAny, nkeys, 0);
        s->scan->xs_want_itup = keys_only;  // before the rescan, which sizes its buffers
    }
    index_rescan(s->scan, keys, nkeys, nullptr, 0);
    s->direction = direction;
}

}  // namespace

void datom_scan_start(DatomScan* s, ScanKey keys, int nkeys, ScanDirection direction) {
    start(s, keys, nkeys, direction, false);
}

void datom_scan_start_keys(DatomScan* s, ScanKey keys, int nkeys, ScanDirection direction) {
    start(s, keys, nkeys, direction, true);
}

bool datom_scan_next_entry(DatomScan* s, Datum* values, bool* isnull) {
    if (index_getnext_tid(s->scan, s->direction) == nullptr) return false;
    index_deform_tuple(s->scan->xs_itup, s->scan->xs_itupdesc, values, isnull);
    return true;
}

bool datom_scan_next(DatomScan* s, RawDatom* out) {
    while (index_getnext_slot(s->scan, s->direction, s->slot)) {
        bool isnull;
        int64 tx = DatumGetInt64(slot_getattr(s->slot, col_tx, &isnull));
        int32 branch = DatumGetInt32(slot_getattr(s->slot, col_branch, &isnull));
        if (tx > s->max_tx || !view_sees(s->view, branch, tx)) continue;
        if (!tuple_visible(s)) continue;
        out->tx = tx;
        out->branch = branch;
        text_field(s->slot, col_e, &out->e, &out->e_len);
        text_field(s->slot, col_a, &out->a, &out->a_len);
        const char* vh;
        text_field(s->slot, col_vh, &vh, &out->vh_len);
        out->vh = reinterpret_cast<const uint8*>(vh);
        text_field(s->slot, col_ref, &out->ref, &out->ref_len);
        out->valid_from = DatumGetTimestampTz(slot_getattr(s->slot, col_valid_from, &isnull));
        Datum to = slot_getattr(s->slot, col_valid_to, &out->valid_to_open);
        out->valid_to = out->valid_to_open ? 0 : DatumGetTimestampTz(to);
        out->is_assert = DatumGetBool(slot_getattr(s->slot, col_is_assert, &isnull));
        return true;
    }
    return false;
}

void datom_scan_close(DatomScan* s) {
    if (s->scan != nullptr) index_endscan(s->scan);
    ExecDropSingleTupleTableSlot(s->slot);
    index_close(s->index, AccessShareLock);
    table_close(s->heap, AccessShareLock);
}

void key_text_eq(ScanKey k, AttrNumber att, const char* s, int len) {
    ScanKeyInit(k, att, BTEqualStrategyNumber, F_TEXTEQ, PointerGetDatum(make_text(s, len)));
}

void key_text_lt(ScanKey k, AttrNumber att, const char* s, int len) {
    ScanKeyInit(k, att, BTLessStrategyNumber, F_TEXT_LT, PointerGetDatum(make_text(s, len)));
}

void key_bytea_eq(ScanKey k, AttrNumber att, const uint8* b, int len) {
    ScanKeyInit(k, att, BTEqualStrategyNumber, F_BYTEAEQ,
                PointerGetDatum(make_text(reinterpret_cast<const char*>(b), len)));
}

void key_int8_le(ScanKey k, AttrNumber att, int64 v) {
    ScanKeyInit(k, att, BTLessEqualStrategyNumber, F_INT8LE, Int64GetDatum(v));
}

void key_int8_ge(ScanKey k, AttrNumber att, int64 v) {
    ScanKeyInit(k, att, BTGreaterEqualStrategyNumber, F_INT8GE, Int64GetDatum(v));
}

Snapshot latest_snapshot() { return RegisterSnapshot(GetLatestSnapshot()); }

}  // namespace persistence::pg
