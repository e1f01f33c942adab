// Walking persistence.datoms through one of its indexes, newest tx first.
//
// The index is walked with SnapshotAny and each tuple is tested against `see` by hand,
// which takes no SIREAD lock: transactions that touch different entities never conflict
// through B-tree page locks, whatever they read or write through this module (serializable
// safety for facts comes from the locks and checks of transact, docs/fact.md). When
// `check` is set (transact under REPEATABLE READ or SERIALIZABLE, `see` being the latest
// snapshot) a tuple that `see` shows but the transaction's snapshot does not was committed
// by a concurrent writer of a key this transaction has locked: a real conflict, 40001.
//
// These are plain PostgreSQL functions (they may ereport): call them through call_pg
// while C++ objects are alive. Nothing here allocates C++ objects.
#pragma once

#include "pg/fact/branches.hpp"
#include "pg/pg_headers.hpp"

extern "C" {
#include "access/genam.h"
#include "access/relscan.h"
#include "access/sdir.h"
#include "access/skey.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/snapshot.h"
}

namespace persistence::pg {

// One datom row, pointing into the scan's current tuple (valid until the next call).
struct RawDatom {
    const char* e;
    int e_len;
    const char* a;
    int a_len;
    const uint8* vh;
    int vh_len;
    const char* ref;  // nullptr when NULL
    int ref_len;
    int64 tx;
    int32 branch;
    TimestampTz valid_from;
    bool valid_to_open;
    TimestampTz valid_to;
    bool is_assert;
};

struct DatomScan {
    Relation heap;
    Relation index;
    IndexScanDesc scan;
    TupleTableSlot* slot;
    Snapshot see;     // which tuples are visible
    Snapshot check;   // transact under RR/SERIALIZABLE: the transaction's snapshot; else nullptr
    BranchView view;  // only datoms this branch view sees
    int64 max_tx;     // only datoms with tx <= max_tx
    ScanDirection direction;
};

void datom_scan_open(DatomScan* s, Oid index_oid, Snapshot see, Snapshot check, const BranchView& view,
                     int64 max_tx);
// (Re)starts the walk with these keys (text keys compare in the "C" collation).
void datom_scan_start(DatomScan* s, ScanKey keys, int nkeys, ScanDirection direction);
bool datom_scan_next(DatomScan* s, RawDatom* out);
// A walk over the index entries alone: datom_scan_next_entry gives the next entry's
// index columns (values/isnull sized for the index's columns) without reading the heap,
// whatever the entry's visibility, tx or branch. For finding which keys exist and how
// recent they are (entity() finds an entity's attributes so). Text values point into
// the entry and live until the next call.
void datom_scan_start_keys(DatomScan* s, ScanKey keys, int nkeys, ScanDirection direction);
bool datom_scan_next_entry(DatomScan* s, Datum* values, bool* isnull);
void datom_scan_close(DatomScan* s);

// A text or bytea column of the slot as bytes (detoasted if it had to be); nullptr, 0 when
// NULL. The pointer lives until the slot moves on.
void text_field(TupleTableSlot* slot, int att, const char** p, int* len);

// Key helpers: equality on a text or bytea column, and int8 comparisons.
void key_text_eq(ScanKey k, AttrNumber att, const char* s, int len);
void key_text_lt(ScanKey k, AttrNumber att, const char* s, int len);
void key_bytea_eq(ScanKey k, AttrNumber att, const uint8* b, int len);
void key_int8_le(ScanKey k, AttrNumber att, int64 v);
void key_int8_ge(ScanKey k, AttrNumber att, int64 v);

// A snapshot that sees everything committed now, plus this transaction's own writes;
// registered (free it with UnregisterSnapshot).
Snapshot latest_snapshot();

}  // namespace persistence::pg
