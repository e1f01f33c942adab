#include "persistence/core/error.hpp"
#include "pg/fact/row_writer.hpp"

#include <cstring>

#include "pg/boundary.hpp"

extern "C" {
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "executor/executor.h"
#include "nodes/makefuncs.h"
#include "parser/parsetree.h"
#include "utils/rel.h"
}

namespace persistence::pg {

namespace {

void open_writer(Oid relation, Relation* rel, EState** estate, ResultRelInfo** info, TupleTableSlot** slot) {
    *rel = table_open(relation, RowExclusiveLock);
    *estate = CreateExecutorState();
    RangeTblEntry* rte = makeNode(RangeTblEntry);
    rte->rtekind = RTE_RELATION;
    rte->relid = relation;
    rte->relkind = (*rel)->rd_rel->relkind;
    rte->rellockmode = RowExclusiveLock;
    ExecInitRangeTable(*estate, list_make1(rte));
    *info = makeNode(ResultRelInfo);
    InitResultRelInfo(*info, *rel, 1, nullptr, 0);
    (*estate)->es_output_cid = GetCurrentCommandId(true);
    ExecOpenIndices(*info, false);
    *slot = ExecInitExtraTupleSlot(*estate, RelationGetDescr(*rel), &TTSOpsVirtual);
}

void insert_row(EState* estate, ResultRelInfo* info, TupleTableSlot* slot, const Datum* values, const bool* nulls) {
    ExecClearTuple(slot);
    int natts = slot->tts_tupleDescriptor->natts;
    memcpy(slot->tts_values, values, sizeof(Datum) * natts);
    memcpy(slot->tts_isnull, nulls, sizeof(bool) * natts);
    ExecStoreVirtualTuple(slot);
    ExecSimpleRelationInsert(info, estate, slot);
    ResetPerTupleExprContext(estate);
}

}  // namespace

RowWriter::RowWriter(Oid relation) {
    call_pg([&] { open_writer(relation, &rel_, &estate_, &info_, &slot_); });
}

void RowWriter::insert(const Datum* values, const bool* nulls) {
    call_pg([&] { insert_row(estate_, info_, slot_, values, nulls); });
}

void RowWriter::close() {
    if (rel_ == nullptr) return;
    call_pg([&] {
        ExecCloseIndices(info_);
        ExecResetTupleTable(estate_->es_tupleTable, false);
        FreeExecutorState(estate_);
        table_close(rel_, RowExclusiveLock);
    });
    rel_ = nullptr;
}

}  // namespace persistence::pg
