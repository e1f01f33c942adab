// Ordering and equality of persistence.datom (the btree operator class, EAVT order) and
// datom_hash, the content hash of the audit chain.
#include <cstring>

#include "persistence/datom/codec.hpp"
#include "pg/datom/datom_datum.hpp"

using namespace persistence;

namespace {
int cmp_args(FunctionCallInfo fcinfo) {
    return datom::compare(pg::datom_arg(fcinfo, 0), pg::datom_arg(fcinfo, 1));
}
bool eq_args(FunctionCallInfo fcinfo) {
    return datom::equal(pg::datom_arg(fcinfo, 0), pg::datom_arg(fcinfo, 1));
}
}  // namespace

// persistence.datom_cmp(datom, datom) → int: btree support function 1.
PERSISTENCE_FUNCTION(persistence_datom_cmp) { PG_RETURN_INT32(cmp_args(fcinfo)); }
PERSISTENCE_FUNCTION(persistence_datom_lt) { PG_RETURN_BOOL(cmp_args(fcinfo) < 0); }
PERSISTENCE_FUNCTION(persistence_datom_le) { PG_RETURN_BOOL(cmp_args(fcinfo) <= 0); }
PERSISTENCE_FUNCTION(persistence_datom_gt) { PG_RETURN_BOOL(cmp_args(fcinfo) > 0); }
PERSISTENCE_FUNCTION(persistence_datom_ge) { PG_RETURN_BOOL(cmp_args(fcinfo) >= 0); }
// Every field is canonical, so equality in all fields is what the order calls 0.
PERSISTENCE_FUNCTION(persistence_datom_eq) { PG_RETURN_BOOL(eq_args(fcinfo)); }
PERSISTENCE_FUNCTION(persistence_datom_ne) { PG_RETURN_BOOL(!eq_args(fcinfo)); }

// persistence.datom_hash(datom) → bytea: SHA-256 of the canonical hash bytes
// (e, a, edn_hash(v), tx, valid_from, valid_to, op); docs/datom.md.
PERSISTENCE_FUNCTION(persistence_datom_hash) {
    hash::Digest d = datom::content_hash(pg::datom_arg(fcinfo, 0));
    bytea* out = static_cast<bytea*>(pg::palloc_or_throw(VARHDRSZ + d.size()));
    SET_VARSIZE(out, VARHDRSZ + d.size());
    std::memcpy(VARDATA(out), d.data(), d.size());
    PG_RETURN_BYTEA_P(out);
}
