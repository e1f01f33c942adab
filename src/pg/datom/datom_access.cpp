// The fields of a datom (datom_e … datom_op) and the constructor persistence.datom(...).
#include <string>

#include "persistence/datom/codec.hpp"
#include "pg/datom/datom_datum.hpp"
#include "pg/edn/edn_datum.hpp"

extern "C" {
#include "utils/timestamp.h"
}

using namespace persistence;

// persistence.datom_e(datom) → text
PERSISTENCE_FUNCTION(persistence_datom_e) { return pg::text_datum_from_utf8(pg::datom_arg(fcinfo, 0).e); }

// persistence.datom_a(datom) → text: the keyword with its colon, ':project/wacc'.
PERSISTENCE_FUNCTION(persistence_datom_a) { return pg::text_datum_from_utf8(pg::datom_arg(fcinfo, 0).a); }

// persistence.datom_v(datom) → edn
PERSISTENCE_FUNCTION(persistence_datom_v) { return pg::edn_datum(pg::datom_arg(fcinfo, 0).v); }

// persistence.datom_tx(datom) → bigint
PERSISTENCE_FUNCTION(persistence_datom_tx) { PG_RETURN_INT64(pg::datom_arg(fcinfo, 0).tx); }

// persistence.datom_tx_time(datom) → timestamptz
PERSISTENCE_FUNCTION(persistence_datom_tx_time) {
    PG_RETURN_TIMESTAMPTZ(pg::unix_micros_to_timestamptz(pg::datom_arg(fcinfo, 0).tx_time));
}

// persistence.datom_valid_from(datom) → timestamptz
PERSISTENCE_FUNCTION(persistence_datom_valid_from) {
    PG_RETURN_TIMESTAMPTZ(pg::unix_micros_to_timestamptz(pg::datom_arg(fcinfo, 0).valid_from));
}

// persistence.datom_valid_to(datom) → timestamptz: NULL when the interval is open.
PERSISTENCE_FUNCTION(persistence_datom_valid_to) {
    datom::DatomView d = pg::datom_arg(fcinfo, 0);
    if (d.open()) PG_RETURN_NULL();
    PG_RETURN_TIMESTAMPTZ(pg::unix_micros_to_timestamptz(d.valid_to));
}

// persistence.datom_op(datom) → text: 'assert' or 'retract'.
PERSISTENCE_FUNCTION(persistence_datom_op) {
    return pg::text_datum_from_utf8(pg::datom_arg(fcinfo, 0).is_assert ? "assert" : "retract");
}

namespace {

std::string_view text_arg(FunctionCallInfo fcinfo, int n) {
    text* t = PG_GETARG_TEXT_PP(n);
    return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

datom::Micros instant_arg(FunctionCallInfo fcinfo, int n, const char* name) {
    TimestampTz ts = PG_GETARG_TIMESTAMPTZ(n);
    std::optional<datom::Micros> t = pg::timestamptz_to_unix_micros(ts);
    if (t) return *t;
    bool infinite = TIMESTAMP_NOT_FINITE(ts);
    pg::raise({core::sqlstate::datetime_field_overflow,
               std::string("datom ") + name + (infinite ? " cannot be infinite" : " is out of range"),
               "Datom instants are finite and in the years 0000 to 9999 (UTC); an open valid_to is NULL."});
}

}  // namespace

// persistence.datom(e text, a text, v edn, tx bigint, tx_time timestamptz,
//                   valid_from timestamptz, valid_to timestamptz, op text) → datom
// Not strict: a NULL valid_to is the open end; any other NULL argument gives NULL.
PERSISTENCE_FUNCTION(persistence_datom_make) {
    for (int i = 0; i < 8; ++i) {
        if (i != 6 && PG_ARGISNULL(i)) PG_RETURN_NULL();
    }
    // Fetch and detoast everything before any C++ object is alive.
    std::string_view e_text = text_arg(fcinfo, 0);
    std::string_view a_text = text_arg(fcinfo, 1);
    edn::ValueRef v = pg::edn_arg(fcinfo, 2);
    int64 tx = PG_GETARG_INT64(3);
    std::string_view op = text_arg(fcinfo, 7);

    datom::DatomView d;
    d.e = pg::server_to_utf8(e_text);
    std::string a;
    std::string_view a_utf8 = pg::server_to_utf8(a_text);
    if (a_utf8.empty() || a_utf8[0] != ':') a += ':';
    a += a_utf8;
    d.a = a;
    d.v = v;
    d.tx = tx;
    d.tx_time = instant_arg(fcinfo, 4, "tx_time");
    d.valid_from = instant_arg(fcinfo, 5, "valid_from");
    d.valid_to = PG_ARGISNULL(6) ? datom::open_end : instant_arg(fcinfo, 6, "valid_to");
    if (op == "assert")
        d.is_assert = true;
    else if (op == "retract")
        d.is_assert = false;
    else
        pg::raise({core::sqlstate::invalid_parameter_value,
                   "datom op must be 'assert' or 'retract', got '" + std::string(op.substr(0, 64)) + "'",
                   "Pass op as 'assert' or 'retract' (lower case)."});
    if (core::Status s = datom::check(d); !s) pg::raise(s.error());
    return pg::datom_datum(d);
}
