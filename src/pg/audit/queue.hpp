// The seal queue, read and emptied by the sealer through seal_queue's primary key, with
// the newest committed state (a fresh snapshot: the sealer reads after waiting for its
// lock). Plain PostgreSQL code: call it through call_pg. An index walk, never a plan: the
// queue churns (every row lives for milliseconds), and a planner looking at a table full
// of dead rows may pick a sequential scan that makes each pass O(dead rows).
#pragma once

#include "pg/pg_headers.hpp"

extern "C" {
#include "datatype/timestamp.h"
#include "storage/itemptr.h"
}

namespace persistence::pg {

struct QueueRow {
    int64 tx;
    ItemPointerData tid;
    // From the transaction row (found = false when it is missing or malformed).
    bool found;
    int32 branch_id;
    TimestampTz tx_time;
    int32 datom_count;
    uint8 merkle_root[32];
};

// Up to `limit` queued transactions in tx order, palloc'd; *n receives how many.
QueueRow* queue_read(int limit, int* n);
// Deletes the queue rows of the first n entries of rows (the caller holds the sealing
// lock, so no other sealer deletes them concurrently).
void queue_delete(const QueueRow* rows, int n);

}  // namespace persistence::pg
