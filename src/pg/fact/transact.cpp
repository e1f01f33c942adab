#include "persistence/datom/datom.hpp"
#include "persistence/fact/planner.hpp"
#include "persistence/hash/merkle.hpp"

#include "pg/fact/transact.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "pg/audit/worker.hpp"
#include "pg/boundary.hpp"
#include "pg/spec/binding.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/attributes.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/fact/relations.hpp"
#include "pg/fact/row_writer.hpp"
#include "pg/fact/store.hpp"
#include "pg/fact/values.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "access/xact.h"
#include "commands/sequence.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

Datum persistence_edn_from_jsonb(PG_FUNCTION_ARGS);
}

namespace persistence::pg {

namespace {

Datum bytea_datum(const uint8* data, size_t n) {
    auto* b = static_cast<bytea*>(palloc_or_throw(VARHDRSZ + n));
    SET_VARSIZE(b, VARHDRSZ + n);
    std::memcpy(VARDATA(b), data, n);
    return PointerGetDatum(b);
}

Datum text_datum(const std::string& s) {
    auto* t = static_cast<text*>(palloc_or_throw(VARHDRSZ + s.size()));
    SET_VARSIZE(t, VARHDRSZ + s.size());
    std::memcpy(VARDATA(t), s.data(), s.size());
    return PointerGetDatum(t);
}

void write_datoms(const std::vector<fact::NewDatom>& datoms, const std::vector<hash::Digest>& hashes, int64 tx,
                  int32 branch, const PgStore& store) {
    RowWriter writer(fact_relations().datoms);
    std::unordered_set<std::string> opened;  // e '\0' a flagged in this transaction
    for (size_t i = 0; i < datoms.size(); ++i) {
        const fact::NewDatom& d = datoms[i];
        bool opens = !store.saw(d.e, d.a) && opened.insert(d.e + '\0' + d.a).second;
        Datum row[datom_columns];
        bool nulls[datom_columns] = {};
        row[col_e - 1] = text_datum(d.e);
        row[col_a - 1] = text_datum(d.a);
        row[col_vh - 1] = bytea_datum(d.vhash.data(), d.vhash.size());
        if (d.ref.empty())
            nulls[col_ref - 1] = true, row[col_ref - 1] = 0;
        else
            row[col_ref - 1] = text_datum(d.ref);
        row[col_tx - 1] = Int64GetDatum(tx);
        row[col_branch - 1] = Int32GetDatum(branch);
        row[col_valid_from - 1] = TimestampTzGetDatum(timestamptz_from_micros(d.valid.from));
        if (d.valid.to == fact::open_end)
            nulls[col_valid_to - 1] = true, row[col_valid_to - 1] = 0;
        else
            row[col_valid_to - 1] = TimestampTzGetDatum(timestamptz_from_micros(d.valid.to));
        row[col_is_assert - 1] = BoolGetDatum(d.is_assert);
        row[col_hash - 1] = bytea_datum(hashes[i].data(), hashes[i].size());
        row[col_opens_ea - 1] = BoolGetDatum(opens);
        writer.insert(row, nulls);
    }
    writer.close();
}

void write_transaction(int64 tx, int32 branch, TimestampTz tx_time, Datum provenance, int32 count,
                       const hash::Digest& root) {
    RowWriter writer(fact_relations().transactions);
    Datum row[6] = {Int64GetDatum(tx), Int32GetDatum(branch), TimestampTzGetDatum(tx_time), provenance,
                    Int32GetDatum(count), bytea_datum(root.data(), root.size())};
    bool nulls[6] = {false, false, false, provenance == 0, false, false};
    writer.insert(row, nulls);
    writer.close();
}

// The sealer appends the transaction to the audit chain after it commits (docs/audit.md).
void queue_for_sealing(int64 tx) {
    RowWriter writer(fact_relations().seal_queue);
    Datum row[1] = {Int64GetDatum(tx)};
    bool nulls[1] = {false};
    writer.insert(row, nulls);
    writer.close();
    wake_sealer_at_commit();
}

}  // namespace

int64 run_transact(const TransactArgs& args) {
    TimestampTz now = call_pg([] { return GetCurrentTimestamp(); });
    fact::PlanOptions options;
    options.tx_time = micros_from_timestamptz(now);
    if (args.valid_from) options.valid_from = micros_from_timestamptz(*args.valid_from);
    options.strict_schema = strict_schema();
    options.parse = args.parse;
    options.limits = edn_limits();

    PgStore store(args.branch);
    auto planned = fact::plan_transaction(args.tx_data, options, store);
    if (!planned) raise(planned.error());
    std::vector<fact::NewDatom>& datoms = planned.value();
    store.close();
    // Values of attributes bound to a spec, before anything is written (docs/spec.md).
    check_attribute_specs(datoms);

    // Allocated after the planner's locks: per (e, a), tx ids follow commit order.
    Oid seq = fact_relations().tx_seq;
    int64 tx = call_pg([seq] { return nextval_internal(seq, false); });

    std::vector<hash::Digest> hashes;
    hashes.reserve(datoms.size());
    for (const auto& d : datoms)
        hashes.push_back(datom::datom_hash(d.e, d.a, d.vhash, tx, d.valid.from, d.valid.to, d.is_assert));
    // The Merkle root is over the datom hashes in ascending byte order (docs/fact.md).
    std::vector<hash::Digest> leaves = hashes;
    std::sort(leaves.begin(), leaves.end());
    hash::Digest root = hash::merkle_root(leaves);

    store_new_values(datoms);
    write_datoms(datoms, hashes, tx, args.branch.id, store);
    write_transaction(tx, args.branch.id, now, args.provenance, int32(datoms.size()), root);
    queue_for_sealing(tx);
    if (args.parse.allow_system) note_schema_change();
    // Later statements and later transact() calls in this statement see these datoms.
    call_pg([] { CommandCounterIncrement(); });
    return tx;
}

}  // namespace persistence::pg
