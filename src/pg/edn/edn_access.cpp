// Reading into values without copying them: ->, #>, @>, <@, edn_typeof, edn_count,
// edn_keys, edn_vals, edn_get_in. Lookups work on the stored bytes (a map lookup is a
// binary search over its sorted keys); only the result is copied out.
#include <optional>
#include <string>

#include "persistence/edn/ops.hpp"
#include "persistence/edn/reader.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "funcapi.h"
#include "utils/tuplestore.h"
}

using namespace persistence;

namespace {

Datum lookup_result(FunctionCallInfo fcinfo, std::optional<edn::ValueRef> found) {
    if (!found) PG_RETURN_NULL();
    return pg::edn_datum(*found);
}

// Returns each value of [first, first + step·n) as one row of a one-column result.
Datum return_items(FunctionCallInfo fcinfo, edn::ValueRef coll, uint32_t first, uint32_t step) {
    InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
    ReturnSetInfo* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    uint32_t n = coll.is_nil() ? 0 : coll.count();
    for (uint32_t i = 0; i < n; ++i) {
        Datum value = pg::edn_datum(coll.item(first + step * i));
        bool isnull = false;
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
    }
    return Datum(0);
}

void require_map(edn::ValueRef v, const char* function) {
    if (v.tag() == edn::Tag::map || v.is_nil()) return;
    pg::raise({core::sqlstate::invalid_parameter_value,
               std::string(function) + " expects a map, got " + edn::type_name(v.type()),
               "Pass a map such as '{:a 1}' (nil counts as an empty map)."});
}

}  // namespace

// edn -> edn: value of a map key, element of a vector/list at an integer index, or NULL.
PERSISTENCE_FUNCTION(persistence_edn_get) {
    return lookup_result(fcinfo, edn::get(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1)));
}

// edn -> text: the key given as EDN text (so `doc -> ':a'` works with a literal).
PERSISTENCE_FUNCTION(persistence_edn_get_text) {
    edn::ValueRef coll = pg::edn_arg(fcinfo, 0);
    text* key_text = PG_GETARG_TEXT_PP(1);
    auto key = edn::read(pg::server_to_utf8(std::string_view(VARDATA_ANY(key_text), VARSIZE_ANY_EXHDR(key_text))),
                         pg::edn_limits());
    if (!key) pg::raise(key.error());
    auto found = edn::get(coll, edn::ValueRef(reinterpret_cast<const uint8_t*>(key.value().data())));
    return lookup_result(fcinfo, found);
}

// edn -> int: element at an index of a vector or list (negative counts from the end).
PERSISTENCE_FUNCTION(persistence_edn_get_index) {
    return lookup_result(fcinfo, edn::get_index(pg::edn_arg(fcinfo, 0), PG_GETARG_INT32(1)));
}

// edn #> edn, edn_get_in(edn, path edn): follows a vector of keys and indexes.
PERSISTENCE_FUNCTION(persistence_edn_get_in) {
    auto found = edn::get_in(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1));
    if (!found) pg::raise(found.error());
    return lookup_result(fcinfo, found.value());
}

// edn @> edn
PERSISTENCE_FUNCTION(persistence_edn_contains) {
    PG_RETURN_BOOL(edn::contains(pg::edn_arg(fcinfo, 0), pg::edn_arg(fcinfo, 1)));
}

// edn <@ edn
PERSISTENCE_FUNCTION(persistence_edn_contained) {
    PG_RETURN_BOOL(edn::contains(pg::edn_arg(fcinfo, 1), pg::edn_arg(fcinfo, 0)));
}

// edn_typeof(edn) → text: nil, boolean, integer, double, decimal, char, string, keyword,
// symbol, inst, uuid, list, vector, map, set or tagged.
PERSISTENCE_FUNCTION(persistence_edn_typeof) {
    PG_RETURN_TEXT_P(cstring_to_text(edn::type_name(pg::edn_arg(fcinfo, 0).type())));
}

// edn_count(edn) → integer
PERSISTENCE_FUNCTION(persistence_edn_count) {
    auto n = edn::count(pg::edn_arg(fcinfo, 0));
    if (!n) pg::raise(n.error());
    PG_RETURN_INT32(int32(n.value()));
}

// edn_keys(edn) → setof edn: a map's keys in canonical order.
PERSISTENCE_FUNCTION(persistence_edn_keys) {
    edn::ValueRef map = pg::edn_arg(fcinfo, 0);
    require_map(map, "edn_keys");
    return return_items(fcinfo, map, 0, 2);
}

// edn_vals(edn) → setof edn: a map's values, in the order of their keys.
PERSISTENCE_FUNCTION(persistence_edn_vals) {
    edn::ValueRef map = pg::edn_arg(fcinfo, 0);
    require_map(map, "edn_vals");
    return return_items(fcinfo, map, 1, 2);
}
