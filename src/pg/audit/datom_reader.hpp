// Reads the datoms of one transaction at a time through the datoms_tx index, with the
// caller's snapshot, for verification. Plain PostgreSQL code (may ereport): call through
// call_pg while C++ objects are alive. Pointers in a row live until the next call.
#pragma once

#include "pg/pg_headers.hpp"

extern "C" {
#include "access/genam.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
}

namespace persistence::pg {

struct TxDatomReader {
    Relation heap;
    Relation index;
    IndexScanDesc scan;
    TupleTableSlot* slot;
};

struct VerifyDatom {
    const char* e;
    int e_len;
    const char* a;
    int a_len;
    const uint8* vh;
    int vh_len;
    int64 tx;
    TimestampTz valid_from;
    bool valid_to_open;
    TimestampTz valid_to;
    bool is_assert;
    const uint8* hash;
    int hash_len;
};

void tx_datom_reader_open(TxDatomReader* r);
void tx_datom_reader_start(TxDatomReader* r, int64 tx);
bool tx_datom_reader_next(TxDatomReader* r, VerifyDatom* out);
void tx_datom_reader_close(TxDatomReader* r);

}  // namespace persistence::pg
