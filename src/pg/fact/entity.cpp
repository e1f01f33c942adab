// Reads in C++: entity() (pull), the value lookup behind the SQL reads, attribute_as_of()
// and the datom hash recomputation behind tx_root().
#include "persistence/fact/planner.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/compare.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/fact/timeline.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/attributes.hpp"
#include "pg/fact/branches.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/fact/relations.hpp"
#include "pg/fact/scan.hpp"
#include "pg/fact/store.hpp"
#include "pg/fact/values.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
}

using namespace persistence;

namespace {

constexpr int max_pull_depth = 8;

// tx_time and branch of a transaction (reader, caller's snapshot); false if unknown.
bool tx_info(int64 tx, TimestampTz* time, int32* branch) {
    const pg::FactRelations& r = pg::fact_relations();
    ScanKeyData key;
    ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(tx));
    const AttrNumber columns[2] = {2, 3};  // branch_id, tx_time
    Datum values[2];
    bool nulls[2];
    if (!pg::lookup_row(r.transactions, r.transactions_pkey, &key, 2, columns, values, nulls)) return false;
    *branch = DatumGetInt32(values[0]);
    *time = DatumGetTimestampTz(values[1]);
    return true;
}

struct PullPoint {
    pg::BranchView view;
    int64 max_tx;
    fact::Micros at;
};

// One attribute's present values, as encoded EDN.
struct PulledAttribute {
    std::string a;
    bool many = false;
    bool ref = false;
    std::vector<std::string> values;
};

// The tombstone an erased payload reads as: #persistence/erased "<hash hex>" (docs/fact.md).
std::string erased_value(const fact::Digest& h) {
    edn::Encoder enc;
    enc.begin_tagged("persistence/erased");
    enc.string(hash::to_hex(h));
    enc.end();
    return enc.finish().take();
}

// One pull: the datom scan and the value reader are opened once and shared by every
// entity it visits (refs are expanded after their entity's scan has finished).
class Puller {
   public:
    explicit Puller(const PullPoint& at) : at_(at) {
        const pg::FactRelations& r = pg::fact_relations();
        scan_ = static_cast<pg::DatomScan*>(pg::palloc_or_throw(sizeof(pg::DatomScan)));
        names_ = static_cast<pg::DatomScan*>(pg::palloc_or_throw(sizeof(pg::DatomScan)));
        txs_ = static_cast<pg::DatomScan*>(pg::palloc_or_throw(sizeof(pg::DatomScan)));
        values_ = static_cast<pg::ValueReader*>(pg::palloc_or_throw(sizeof(pg::ValueReader)));
        pg::call_pg([&] {
            pg::datom_scan_open(scan_, r.datoms_eavt, GetActiveSnapshot(), nullptr, at.view, at.max_tx);
            pg::datom_scan_open(names_, r.datoms_ea, GetActiveSnapshot(), nullptr, at.view, at.max_tx);
            pg::datom_scan_open(txs_, r.datoms_tx, GetActiveSnapshot(), nullptr, at.view, at.max_tx);
            pg::value_reader_open(values_);
        });
        hi_ = std::min(at.max_tx, newest_tx());
    }
    // Not a destructor: on an error the transaction abort releases the scan and relations.
    void close() {
        pg::call_pg([&] {
            pg::value_reader_close(values_);
            pg::datom_scan_close(names_);
            pg::datom_scan_close(txs_);
            pg::datom_scan_close(scan_);
        });
    }

    // Appends the entity's map to enc; false (nothing appended) if it has no attribute.
    bool pull(edn::Encoder& enc, const std::string& e, int depth) {
        std::vector<PulledAttribute> attrs = attributes(e);
        if (attrs.empty()) return false;
        enc.begin(edn::Tag::map);
        enc.keyword("db/id");
        enc.string(e);
        for (const auto& p : attrs) {
            enc.keyword(std::string_view(p.a).substr(1));
            if (p.many) enc.begin(edn::Tag::vector);
            for (const auto& bytes : p.values) {
                edn::ValueRef v(reinterpret_cast<const uint8_t*>(bytes.data()));
                bool expanded = false;
                if (p.ref && depth > 0 && v.tag() == edn::Tag::string)
                    expanded = pull(enc, std::string(v.as_text()), depth - 1);
                if (!expanded) enc.raw(v);
            }
            if (p.many) enc.end();
        }
        enc.end();
        return true;
    }

   private:
    std::string value(const fact::Digest& h) {
        Datum d = pg::call_pg([&] { return pg::value_reader_get(values_, h.data()); });
        if (d == 0) return erased_value(h);
        edn::ValueRef v = pg::edn_view(d);
        return std::string(reinterpret_cast<const char*>(v.data()), v.size());
    }

    // An entity's attributes, from the index entries of datoms_ea alone (one per datom
    // that opened an (e, a), on any branch, visible or not: a superset, which the reads
    // below narrow down to what the point sees).
    std::vector<std::string> attribute_names(const std::string& e) {
        std::vector<std::string> names;
        pg::call_pg([&] {
            ScanKeyData key;
            pg::key_text_eq(&key, 1, e.data(), int(e.size()));
            pg::datom_scan_start_keys(names_, &key, 1, ForwardScanDirection);
            Datum cols[2];
            bool isnull[2];
            while (pg::datom_scan_next_entry(names_, cols, isnull)) {
                text* a = DatumGetTextPP(cols[1]);
                std::string_view name(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a));
                if (names.empty() || names.back() != name) names.emplace_back(name);
            }
        });
        return names;
    }

    // The newest tx in the datoms table (any branch, visible or not), or 0 if empty.
    int64 newest_tx() {
        return pg::call_pg([&] {
            pg::datom_scan_start_keys(txs_, nullptr, 0, BackwardScanDirection);
            Datum cols[1];
            bool isnull[1];
            return pg::datom_scan_next_entry(txs_, cols, isnull) ? DatumGetInt64(cols[0]) : int64(0);
        });
    }

    // Feeds the (e, a) datoms with tx <= `hi` to `values`, newest first, until it has
    // seen enough. The B-tree reads the whole leaf page below its starting point before
    // it returns the first entry, and (e, a) may have hundreds of entries there; a lower
    // tx bound ends that read early. So the walk goes in windows of growing width below
    // `hi`: a value changed recently costs a short read, an old one two more descents.
    void feed(const std::string& e, const std::string& a, int64 hi, fact::ValuesAt& values) {
        for (int64 width : {int64(64), int64(4096), int64(0)}) {
            bool bounded = width != 0 && hi >= width;
            int64 lo = bounded ? hi - width + 1 : 0;
            ScanKeyData keys[4];
            pg::RawDatom raw;
            bool more = pg::call_pg([&] {
                pg::key_text_eq(&keys[0], 1, e.data(), int(e.size()));
                pg::key_text_eq(&keys[1], 2, a.data(), int(a.size()));
                pg::key_int8_le(&keys[2], 3, hi);
                if (bounded) pg::key_int8_ge(&keys[3], 3, lo);
                pg::datom_scan_start(scan_, keys, bounded ? 4 : 3, BackwardScanDirection);
                return pg::datom_scan_next(scan_, &raw);
            });
            while (more) {
                if (!values.feed(pg::stored_datom(raw))) return;
                more = pg::call_pg([&] { return pg::datom_scan_next(scan_, &raw); });
            }
            if (!bounded) return;
            hi = lo - 1;
        }
    }

    // Each attribute's values at the point.
    std::vector<PulledAttribute> attributes(const std::string& e) {
        std::vector<PulledAttribute> out;
        for (const std::string& a : attribute_names(e)) {
            fact::Attribute def = pg::lookup_attribute(a);
            fact::ValuesAt values(at_.at, def.many);
            feed(e, a, hi_, values);
            std::vector<fact::Piece> present = values.values();
            if (present.empty()) continue;
            PulledAttribute p;
            p.a = a;
            p.many = def.many;
            p.ref = def.type == fact::ValueType::ref;
            for (const auto& piece : present) p.values.push_back(value(piece.vhash));
            if (p.many)
                std::sort(p.values.begin(), p.values.end(), [](const std::string& x, const std::string& y) {
                    return edn::compare(edn::ValueRef(reinterpret_cast<const uint8_t*>(x.data())),
                                        edn::ValueRef(reinterpret_cast<const uint8_t*>(y.data()))) < 0;
                });
            out.push_back(std::move(p));
        }
        return out;
    }

    PullPoint at_;
    int64 hi_;              // the newest tx a read can see: min(as-of point, newest tx)
    pg::DatomScan* scan_;   // datoms (EAVT)
    pg::DatomScan* names_;  // datoms_ea entries (attribute names)
    pg::DatomScan* txs_;    // datoms_tx entries (the newest tx)
    pg::ValueReader* values_;
};

}  // namespace

// persistence.entity(e text, as_of bigint, valid_at timestamptz, depth integer, branch text) → edn
PERSISTENCE_FUNCTION(persistence_entity) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    if (PG_ARGISNULL(4))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("branch must not be NULL"),
                        errhint("Leave it out for 'main'.")));
    text* e_text = PG_GETARG_TEXT_PP(0);
    PullPoint at;
    at.view = pg::branch_view(PG_GETARG_TEXT_PP(4));
    at.max_tx = PG_ARGISNULL(1) ? PG_INT64_MAX : PG_GETARG_INT64(1);
    int depth = PG_ARGISNULL(3) ? 1 : PG_GETARG_INT32(3);
    if (depth < 0 || depth > max_pull_depth)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("depth must be between 0 and %d", max_pull_depth),
                        errhint("depth 0 returns refs as entity ids; each level more expands them once.")));
    TimestampTz when;
    if (!PG_ARGISNULL(2)) {
        when = PG_GETARG_TIMESTAMPTZ(2);
    } else if (PG_ARGISNULL(1)) {
        when = GetCurrentTimestamp();  // the clock, like tx_time: own writes are current
    } else if (at.max_tx == 0) {
        PG_RETURN_NULL();  // before the first transaction nothing is known
    } else {
        int32 tx_branch;
        if (!tx_info(at.max_tx, &when, &tx_branch))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("transaction %lld does not exist", (long long)at.max_tx),
                            errhint("persistence.resolve_tx(timestamptz) finds the tx of a point in time.")));
        if (!pg::view_sees(at.view, tx_branch, at.max_tx))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("transaction %lld is not visible on branch \"%s\"", (long long)at.max_tx,
                                   text_to_cstring(PG_GETARG_TEXT_PP(4))),
                            errhint("A branch sees its own transactions and its base's up to the fork point.")));
    }
    if (TIMESTAMP_NOT_FINITE(when))
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("valid_at must be finite")));
    at.at = pg::micros_from_timestamptz(when);
    std::string e(VARDATA_ANY(e_text), VARSIZE_ANY_EXHDR(e_text));
    edn::Encoder enc(pg::edn_limits());
    Puller puller(at);
    bool found = puller.pull(enc, e, depth);
    puller.close();
    if (!found) PG_RETURN_NULL();
    return pg::edn_result(enc.finish());
}

// persistence._value(hash bytea) → edn
PERSISTENCE_FUNCTION(persistence_value) {
    bytea* h = PG_GETARG_BYTEA_PP(0);
    if (VARSIZE_ANY_EXHDR(h) != 32) PG_RETURN_NULL();
    uint8 hash[32];
    memcpy(hash, VARDATA_ANY(h), 32);
    Datum v = pg::value_lookup(hash);
    if (v == 0) {
        fact::Digest d;
        memcpy(d.data(), hash, 32);
        return pg::edn_datum(erased_value(d));
    }
    PG_RETURN_DATUM(v);
}

// persistence._datom_hash(e text, a text, vh bytea, tx bigint, valid_from timestamptz,
//                         valid_to timestamptz, is_assert boolean) → bytea
PERSISTENCE_FUNCTION(persistence_datom_row_hash) {
    for (int i : {0, 1, 2, 3, 4, 6})
        if (PG_ARGISNULL(i))
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("datom column %d is NULL", i + 1)));
    text* e = PG_GETARG_TEXT_PP(0);
    text* a = PG_GETARG_TEXT_PP(1);
    bytea* vh = PG_GETARG_BYTEA_PP(2);
    if (VARSIZE_ANY_EXHDR(vh) != 32)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("value hash is not 32 bytes")));
    int64 tx = PG_GETARG_INT64(3);
    fact::Micros from = pg::micros_from_timestamptz(PG_GETARG_TIMESTAMPTZ(4));
    fact::Micros to = PG_ARGISNULL(5) ? fact::open_end : pg::micros_from_timestamptz(PG_GETARG_TIMESTAMPTZ(5));
    bool is_assert = PG_GETARG_BOOL(6);
    fact::Digest vhash;
    memcpy(vhash.data(), VARDATA_ANY(vh), 32);
    fact::Digest d = datom::datom_hash(std::string_view(VARDATA_ANY(e), VARSIZE_ANY_EXHDR(e)),
                                       std::string_view(VARDATA_ANY(a), VARSIZE_ANY_EXHDR(a)), vhash, tx, from,
                                       to, is_assert);
    auto* out = static_cast<bytea*>(pg::palloc_or_throw(VARHDRSZ + 32));
    SET_VARSIZE(out, VARHDRSZ + 32);
    memcpy(VARDATA(out), d.data(), 32);
    PG_RETURN_BYTEA_P(out);
}

// persistence.attribute_as_of(ident text, t bigint) → TABLE(ident, value_type, cardinality,
// "unique", doc, spec): one row, or none when the attribute is not defined as of t.
PERSISTENCE_FUNCTION(persistence_attribute_as_of) {
    if (PG_ARGISNULL(0)) PG_RETURN_NULL();
    text* ident_text = PG_GETARG_TEXT_PP(0);
    int64 max_tx = PG_ARGISNULL(1) ? PG_INT64_MAX : PG_GETARG_INT64(1);
    TimestampTz when = GetCurrentTimestamp();  // the clock, like tx_time: own writes are current
    if (!PG_ARGISNULL(1) && max_tx > 0) {
        int32 branch;
        if (!tx_info(max_tx, &when, &branch))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("transaction %lld does not exist", (long long)max_tx),
                            errhint("persistence.resolve_tx(timestamptz) finds the tx of a point in time.")));
    }
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    std::string ident(VARDATA_ANY(ident_text), VARSIZE_ANY_EXHDR(ident_text));
    if (ident.empty() || ident[0] != ':') ident.insert(0, 1, ':');
    fact::Attribute attr = pg::read_attribute(ident, max_tx, pg::micros_from_timestamptz(when), true);
    if (!attr.defined) return (Datum)0;
    Datum values[6];
    bool nulls[6] = {};
    values[0] = pg::call_pg([&] { return PointerGetDatum(cstring_to_text(attr.ident.c_str())); });
    values[1] = pg::call_pg([&] { return PointerGetDatum(cstring_to_text(fact::value_type_name(attr.type))); });
    values[2] = pg::call_pg([&] { return PointerGetDatum(cstring_to_text(attr.many ? "many" : "one")); });
    nulls[3] = attr.unique == fact::Unique::none;
    if (!nulls[3]) values[3] = pg::call_pg([&] { return PointerGetDatum(cstring_to_text(fact::unique_name(attr.unique))); });
    nulls[4] = attr.doc.empty();
    if (!nulls[4]) values[4] = pg::call_pg([&] { return PointerGetDatum(cstring_to_text(attr.doc.c_str())); });
    nulls[5] = attr.spec.empty();
    if (!nulls[5]) values[5] = pg::call_pg([&] { return PointerGetDatum(cstring_to_text(attr.spec.c_str())); });
    pg::call_pg([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
    return (Datum)0;
}
