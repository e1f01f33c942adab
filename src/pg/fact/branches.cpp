#include "persistence/core/error.hpp"
#include "pg/fact/branches.hpp"

#include "pg/fact/relations.hpp"

#include <algorithm>

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
}

namespace persistence::pg {

int32 branch_id(text* name) {
    // main is id 1 from the start and can never change.
    if (VARSIZE_ANY_EXHDR(name) == 4 && memcmp(VARDATA_ANY(name), "main", 4) == 0) return 1;
    const FactRelations& r = fact_relations();
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_TEXTEQ, PointerGetDatum(name));
    const AttrNumber id_column = 1;
    Datum id;
    bool isnull;
    bool found = lookup_row(r.branches, r.branches_name, &key, 1, &id_column, &id, &isnull);
    if (!found)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("branch \"%s\" does not exist", text_to_cstring(name)),
                        errhint("SELECT name FROM persistence.branches lists the branches.")));
    return DatumGetInt32(id);
}

namespace {

// parent_id and fork_tx of branch `id` (caller's snapshot); false if there is none.
bool branch_row(int32 id, int32* parent, int64* fork_tx) {
    const FactRelations& r = fact_relations();
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(id));
    const AttrNumber columns[2] = {3, 4};  // parent_id, fork_tx
    Datum values[2];
    bool nulls[2];
    if (!lookup_row(r.branches, r.branches_pkey, &key, 2, columns, values, nulls)) return false;
    *parent = nulls[0] ? 0 : DatumGetInt32(values[0]);
    *fork_tx = nulls[1] ? 0 : DatumGetInt64(values[1]);
    return true;
}

// Branches are created parent first, so a chain ends at main; the bound only guards a
// damaged table against looping.
constexpr int max_branch_depth = 100000;

}  // namespace

BranchView branch_view_of(int32 id) {
    BranchView view;
    view.id = id;
    view.nsegs = 0;
    int capacity = 4;
    view.segs = static_cast<BranchSegment*>(palloc(sizeof(BranchSegment) * capacity));
    int32 current = id;
    int64 limit = PG_INT64_MAX;
    while (current != 0) {
        if (view.nsegs == max_branch_depth)
            ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("branch %d has a cyclic parent chain", id)));
        int32 parent;
        int64 fork_tx;
        if (current == 1) {
            parent = 0;  // main: the root, id 1 from the start
            fork_tx = 0;
        } else if (!branch_row(current, &parent, &fork_tx)) {
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT), errmsg("branch %d does not exist", current),
                            errhint("SELECT * FROM persistence.branches() lists the branches.")));
        }
        if (view.nsegs == capacity) {
            capacity *= 2;
            view.segs = static_cast<BranchSegment*>(repalloc(view.segs, sizeof(BranchSegment) * capacity));
        }
        view.segs[view.nsegs++] = BranchSegment{current, limit};
        limit = std::min(limit, fork_tx);
        current = parent;
    }
    return view;
}

BranchView branch_view(text* name) { return branch_view_of(branch_id(name)); }

}  // namespace persistence::pg
