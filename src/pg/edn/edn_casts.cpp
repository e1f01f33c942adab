// Casts from SQL types into persistence.edn (docs/edn.md, "Casts").
#include <cmath>

#include "persistence/edn/encoder.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/edn/edn_numeric.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "datatype/timestamp.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"
}

using namespace persistence;

namespace {

// Every cast builds through the Encoder, so casts can only make canonical values.
template <typename Add>
Datum encode_one(Add&& add) {
    edn::Encoder enc(pg::edn_limits());
    add(enc);
    return pg::edn_result(enc.finish());
}

// PostgreSQL counts microseconds from 2000-01-01; EDN insts count from 1970-01-01.
constexpr int64 unix_to_pg_epoch_seconds = int64(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;

}  // namespace

// edn(bigint) → edn
PERSISTENCE_FUNCTION(persistence_edn_from_int8) {
    int64 i = PG_GETARG_INT64(0);
    return encode_one([&](edn::Encoder& e) { e.integer(i); });
}

// edn(integer) → edn
PERSISTENCE_FUNCTION(persistence_edn_from_int4) {
    int32 i = PG_GETARG_INT32(0);
    return encode_one([&](edn::Encoder& e) { e.integer(i); });
}

// edn(double precision) → edn
PERSISTENCE_FUNCTION(persistence_edn_from_float8) {
    double d = PG_GETARG_FLOAT8(0);
    return encode_one([&](edn::Encoder& e) { e.real(d); });
}

// edn(numeric) → edn
PERSISTENCE_FUNCTION(persistence_edn_from_numeric) {
    Datum n = PG_GETARG_DATUM(0);
    return encode_one([&](edn::Encoder& e) { pg::encode_numeric(e, n); });
}

// edn(boolean) → edn
PERSISTENCE_FUNCTION(persistence_edn_from_bool) {
    bool b = PG_GETARG_BOOL(0);
    return encode_one([&](edn::Encoder& e) { e.boolean(b); });
}

// edn(timestamptz) → edn: an #inst in UTC.
PERSISTENCE_FUNCTION(persistence_edn_from_timestamptz) {
    TimestampTz ts = PG_GETARG_TIMESTAMPTZ(0);
    if (TIMESTAMP_NOT_FINITE(ts))
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("cannot convert infinite timestamp to an EDN #inst"),
                        errhint("An #inst holds a finite instant in the years 0000 to 9999.")));
    int64 seconds = ts / USECS_PER_SEC;
    int64 micros = ts % USECS_PER_SEC;
    if (micros < 0) {
        micros += USECS_PER_SEC;
        seconds -= 1;
    }
    edn::Inst inst{seconds + unix_to_pg_epoch_seconds, uint32_t(micros * 1000)};
    return encode_one([&](edn::Encoder& e) { e.inst(inst); });
}

// edn(uuid) → edn
PERSISTENCE_FUNCTION(persistence_edn_from_uuid) {
    pg_uuid_t* u = PG_GETARG_UUID_P(0);
    return encode_one([&](edn::Encoder& e) { e.uuid(u->data); });
}
