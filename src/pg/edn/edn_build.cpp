// Building new values from old ones: edn_assoc, edn_dissoc, edn_conj, edn_merge.
#include <string>

#include "persistence/edn/ops.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/guc.hpp"

using namespace persistence;


// edn_assoc(coll edn, key edn, val edn) → edn
PERSISTENCE_FUNCTION(persistence_edn_assoc) {
    return pg::edn_result(edn::assoc(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1), pg::edn_arg(fcinfo, 2),
                            pg::edn_limits()));
}

// edn_dissoc(map edn, key edn) → edn
PERSISTENCE_FUNCTION(persistence_edn_dissoc) {
    return pg::edn_result(edn::dissoc(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1), pg::edn_limits()));
}

// edn_conj(coll edn, x edn) → edn
PERSISTENCE_FUNCTION(persistence_edn_conj) {
    return pg::edn_result(edn::conj(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1), pg::edn_limits()));
}

// edn_merge(a edn, b edn) → edn
PERSISTENCE_FUNCTION(persistence_edn_merge) {
    return pg::edn_result(edn::merge(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1), pg::edn_limits()));
}
