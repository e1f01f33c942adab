// Branches: names → ids, and a branch's view of the log (persistence.branches).
#pragma once

#include "pg/pg_headers.hpp"

namespace persistence::pg {

// One branch of a view and the newest tx of it that the view sees.
struct BranchSegment {
    int32 branch;
    int64 max_tx;  // PG_INT64_MAX for the viewing branch itself
};

// What a branch sees: its own transactions, its parent's up to the fork point, the
// grandparent's up to the lower of the two fork points, and so on to main. Segments are
// palloc'd in the current memory context; main's view is one segment.
struct BranchView {
    int32 id;
    int nsegs;
    BranchSegment* segs;
};

// Does the view see a datom of `branch` written by `tx`?
inline bool view_sees(const BranchView& view, int32 branch, int64 tx) {
    for (int i = 0; i < view.nsegs; ++i)
        if (view.segs[i].branch == branch) return tx <= view.segs[i].max_tx;
    return false;
}

// main's view (main has no parent): the attribute schema is read through it.
inline BranchView main_view() {
    static BranchSegment main_segment{1, PG_INT64_MAX};
    return BranchView{1, 1, &main_segment};
}

// The id of a branch by name, with the caller's snapshot; 42704 if there is none.
// Plain PostgreSQL code.
int32 branch_id(text* name);

// The view of a branch by name or id (caller's snapshot; 42704 if unknown). Plain
// PostgreSQL code.
BranchView branch_view(text* name);
BranchView branch_view_of(int32 id);

}  // namespace persistence::pg
