// Ordering, equality and hashing of persistence.edn: the btree and hash operator
// classes, and edn_hash (SHA-256 of the canonical bytes).
#include <cstring>

#include "persistence/edn/compare.hpp"
#include "persistence/hash/sha256.hpp"
#include "pg/edn/edn_datum.hpp"

extern "C" {
#include "common/hashfn.h"
}

using namespace persistence;

namespace {
int cmp_args(FunctionCallInfo fcinfo) { return edn::compare(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1)); }
bool eq_args(FunctionCallInfo fcinfo) { return edn::equal(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1)); }
}  // namespace

// persistence.edn_cmp(edn, edn) → int: btree support function 1.
PERSISTENCE_FUNCTION(persistence_edn_cmp) { PG_RETURN_INT32(cmp_args(fcinfo)); }
PERSISTENCE_FUNCTION(persistence_edn_lt) { PG_RETURN_BOOL(cmp_args(fcinfo) < 0); }
PERSISTENCE_FUNCTION(persistence_edn_le) { PG_RETURN_BOOL(cmp_args(fcinfo) <= 0); }
PERSISTENCE_FUNCTION(persistence_edn_gt) { PG_RETURN_BOOL(cmp_args(fcinfo) > 0); }
PERSISTENCE_FUNCTION(persistence_edn_ge) { PG_RETURN_BOOL(cmp_args(fcinfo) >= 0); }
// Values are canonical, so equality is byte equality.
PERSISTENCE_FUNCTION(persistence_edn_eq) { PG_RETURN_BOOL(eq_args(fcinfo)); }
PERSISTENCE_FUNCTION(persistence_edn_ne) { PG_RETURN_BOOL(!eq_args(fcinfo)); }

// persistence.edn_hash_int(edn) → int: hash opclass support function 1.
PERSISTENCE_FUNCTION(persistence_edn_hash_int) {
    edn::ValueRef v = pg::edn_arg(fcinfo, 0);
    return hash_any(v.data(), int(v.size()));
}

// persistence.edn_hash_extended(edn, bigint) → bigint: hash opclass support function 2.
PERSISTENCE_FUNCTION(persistence_edn_hash_extended) {
    edn::ValueRef v = pg::edn_arg(fcinfo, 0);
    return hash_any_extended(v.data(), int(v.size()), uint64(PG_GETARG_INT64(1)));
}

// persistence.edn_hash(edn) → bytea: SHA-256 of the canonical binary form.
PERSISTENCE_FUNCTION(persistence_edn_hash) {
    edn::ValueRef v = pg::edn_arg(fcinfo, 0);
    hash::Digest d = hash::sha256(v.data(), v.size());
    bytea* out = static_cast<bytea*>(pg::palloc_or_throw(VARHDRSZ + d.size()));
    SET_VARSIZE(out, VARHDRSZ + d.size());
    std::memcpy(VARDATA(out), d.data(), d.size());
    PG_RETURN_BYTEA_P(out);
}
