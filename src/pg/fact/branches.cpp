#include "persistence/core/error.hpp"
#include "pg/fact/branches.hpp"

#include "pg/fact/relations.hpp"

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
    Relation heap = table_open(r.branches, AccessShareLock);
    Relation index = index_open(r.branches_name, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_TEXTEQ, PointerGetDatum(name));
    key.sk_collation = index->rd_indcollation[0];
    IndexScanDesc scan = index_beginscan(heap, index, GetActiveSnapshot(), 1, 0);
    index_rescan(scan, &key, 1, nullptr, 0);
    TupleTableSlot* slot = table_slot_create(heap, nullptr);
    int32 id = 0;
    bool found = index_getnext_slot(scan, ForwardScanDirection, slot);
    if (found) {
        bool isnull;
        id = DatumGetInt32(slot_getattr(slot, 1, &isnull));
    }
    ExecDropSingleTupleTableSlot(slot);
    index_endscan(scan);
    index_close(index, AccessShareLock);
    table_close(heap, AccessShareLock);
    if (!found)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("branch \"%s\" does not exist", text_to_cstring(name)),
                        errhint("SELECT name FROM persistence.branches lists the branches.")));
    return id;
}

}  // namespace persistence::pg
