// SQL entry points of the branches module that need C: a branch's view of the log, which
// every reader joins against (docs/branch.md).
#include "pg/boundary.hpp"
#include "pg/fact/branches.hpp"

extern "C" {
#include "funcapi.h"
#include "utils/tuplestore.h"
}

// persistence._branch_view(branch text) → TABLE (branch_id integer, max_tx bigint): the
// segments of the branch's view. A datom of branch_id b written by tx t is visible on the
// branch iff a row (b, m) has t <= m.
PERSISTENCE_FUNCTION(persistence_branch_view) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("branch must not be NULL"),
                        errhint("Leave it out for 'main'.")));
    persistence::pg::BranchView view = persistence::pg::branch_view(PG_GETARG_TEXT_PP(0));
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (int i = 0; i < view.nsegs; ++i) {
        Datum values[2] = {Int32GetDatum(view.segs[i].branch), Int64GetDatum(view.segs[i].max_tx)};
        bool nulls[2] = {false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
