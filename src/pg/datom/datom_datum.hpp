// The on-disk form of persistence.datom and the conversions at its boundary: Datums ↔
// views, timestamptz ↔ µs since the Unix epoch, core text ↔ database text.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "persistence/datom/codec.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "datatype/timestamp.h"
}

namespace persistence::pg {

// int32 vl_len_ | u8 version | u8 reserved[3] (zero) | payload (datom/codec.hpp).
struct DatomOnDisk {
    int32 vl_len_;
    uint8 version;
    uint8 reserved[3];
    uint8 payload[FLEXIBLE_ARRAY_MEMBER];
};
static_assert(offsetof(DatomOnDisk, version) == 4, "on-disk layout is frozen");
static_assert(offsetof(DatomOnDisk, reserved) == 5, "on-disk layout is frozen");
static_assert(offsetof(DatomOnDisk, payload) == 8, "on-disk layout is frozen");
inline constexpr size_t datom_header_size = offsetof(DatomOnDisk, payload);

// Detoasts argument n (a plain PostgreSQL call: use it before any C++ object is alive)
// and returns a view of the stored datom. A wrong version byte is data corruption (XX001).
datom::DatomView datom_arg(FunctionCallInfo fcinfo, int n);
datom::DatomView datom_view(Datum d);

// A new palloc'd datom Datum holding the payload of d (which check() or decode() accepted).
Datum datom_datum(const datom::DatomView& d);

// timestamptz counts µs from 2000-01-01, datoms from 1970-01-01.
TimestampTz unix_micros_to_timestamptz(datom::Micros t);
// nullopt for ±infinity and for instants a datom cannot hold (outside years 0000–9999).
std::optional<datom::Micros> timestamptz_to_unix_micros(TimestampTz t);

// A text Datum of UTF-8 core text, converted to the database encoding.
Datum text_datum_from_utf8(std::string_view utf8);

}  // namespace persistence::pg
