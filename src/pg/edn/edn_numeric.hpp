// PostgreSQL numeric ↔ EDN numbers, shared by the numeric cast and the jsonb casts.
#pragma once

#include "persistence/edn/encoder.hpp"
#include "pg/boundary.hpp"

namespace persistence::pg {

// Adds a numeric Datum: integral values without a fraction become integers (bigint N
// beyond 64 bits), others exact decimals keeping their scale, NaN/±Infinity doubles.
bool encode_numeric(edn::Encoder& enc, Datum numeric);
// A numeric Datum for an EDN integer, bigint, decimal or finite double (via its
// canonical shortest text, so no digits are invented).
Datum numeric_from_edn(edn::ValueRef v);

}  // namespace persistence::pg
