// Appends rows to one of the extension's tables with its indexes maintained, as the
// executor does for INSERT but without a plan: the logical-replication apply path
// (ExecSimpleRelationInsert). No permission check: only transact() writes the log.
#pragma once

#include "pg/pg_headers.hpp"

extern "C" {
#include "nodes/execnodes.h"
}

namespace persistence::pg {

class RowWriter {
   public:
    explicit RowWriter(Oid relation);
    ~RowWriter() = default;
    RowWriter(const RowWriter&) = delete;
    RowWriter& operator=(const RowWriter&) = delete;
    // values/nulls: one per column, in table order.
    void insert(const Datum* values, const bool* nulls);
    // Closes indexes and the relation (on error the abort does it).
    void close();

   private:
    Relation rel_ = nullptr;
    EState* estate_ = nullptr;
    ResultRelInfo* info_ = nullptr;
    TupleTableSlot* slot_ = nullptr;
};

}  // namespace persistence::pg
