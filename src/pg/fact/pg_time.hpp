// timestamptz (µs since 2000-01-01) ↔ core Micros (µs since 1970-01-01).
#pragma once

#include "persistence/datom/datom.hpp"

#include "pg/pg_headers.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace persistence::pg {

inline constexpr int64 unix_to_pg_epoch_micros =
    int64(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * USECS_PER_SEC;

inline datom::Micros micros_from_timestamptz(TimestampTz t) { return t + unix_to_pg_epoch_micros; }
inline TimestampTz timestamptz_from_micros(datom::Micros m) { return m - unix_to_pg_epoch_micros; }

}  // namespace persistence::pg
