// #inst: RFC 3339 parsing and proleptic Gregorian calendar arithmetic.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/edn/value.hpp"

namespace persistence::edn {

inline constexpr int64_t inst_min_seconds = -62167219200;  // 0000-01-01T00:00:00Z
inline constexpr int64_t inst_max_seconds = 253402300799;  // 9999-12-31T23:59:59Z

inline bool inst_in_range(Inst t) {
    return t.seconds >= inst_min_seconds && t.seconds <= inst_max_seconds && t.nanos < 1000000000u;
}

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);

// Parses the text inside #inst "...":
//   YYYY-MM-DD(T|t)HH:MM:SS(.fraction of 1..9 digits)?(Z|z|±HH:MM)
// normalised to UTC. Errors carry no position: 22P02 for the shape, 22008 naming the
// field that is out of range (a leap second 60 is out of range).
core::Status parse_rfc3339(std::string_view text, Inst& out);

}  // namespace persistence::edn
