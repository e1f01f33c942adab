#include "pg/audit/datom_reader.hpp"

#include "pg/fact/relations.hpp"
#include "pg/fact/scan.hpp"

extern "C" {
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "utils/fmgroids.h"
#include "utils/timestamp.h"
#include "utils/snapmgr.h"
}

namespace persistence::pg {


void tx_datom_reader_open(TxDatomReader* r) {
    const FactRelations& rel = fact_relations();
    r->heap = table_open(rel.datoms, AccessShareLock);
    r->index = index_open(rel.datoms_tx, AccessShareLock);
    r->scan = index_beginscan(r->heap, r->index, GetActiveSnapshot(), 1, 0);
    r->slot = table_slot_create(r->heap, nullptr);
}

void tx_datom_reader_start(TxDatomReader* r, int64 tx) {
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(tx));
    index_rescan(r->scan, &key, 1, nullptr, 0);
}

bool tx_datom_reader_next(TxDatomReader* r, VerifyDatom* out) {
    if (!index_getnext_slot(r->scan, ForwardScanDirection, r->slot)) return false;
    const char* p;
    int len;
    text_field(r->slot, col_e, &out->e, &out->e_len);
    text_field(r->slot, col_a, &out->a, &out->a_len);
    text_field(r->slot, col_vh, &p, &len);
    out->vh = reinterpret_cast<const uint8*>(p), out->vh_len = len;
    text_field(r->slot, col_hash, &p, &len);
    out->hash = reinterpret_cast<const uint8*>(p), out->hash_len = len;
    bool isnull;
    out->tx = DatumGetInt64(slot_getattr(r->slot, col_tx, &isnull));
    out->valid_from = DatumGetTimestampTz(slot_getattr(r->slot, col_valid_from, &isnull));
    Datum to = slot_getattr(r->slot, col_valid_to, &out->valid_to_open);
    out->valid_to = out->valid_to_open ? 0 : DatumGetTimestampTz(to);
    out->is_assert = DatumGetBool(slot_getattr(r->slot, col_is_assert, &isnull));
    return true;
}

void tx_datom_reader_close(TxDatomReader* r) {
    ExecDropSingleTupleTableSlot(r->slot);
    index_endscan(r->scan);
    index_close(r->index, AccessShareLock);
    table_close(r->heap, AccessShareLock);
}

}  // namespace persistence::pg
