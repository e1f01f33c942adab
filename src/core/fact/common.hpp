// Helpers shared by the fact module's sources: instants as microseconds, printing values
// into messages, the order of pieces. Private to src/core/fact.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/edn/value.hpp"
#include "persistence/fact/model.hpp"

namespace persistence::fact::detail {

// #inst → µs since the epoch. PostgreSQL's timestamptz holds microseconds, so a finer
// instant is refused (22008) rather than silently rounded.
bool inst_to_micros(edn::Inst t, Micros& out);
edn::Inst micros_to_inst(Micros m);
// "2026-04-14T00:00:00.000Z", or "open" for open_end.
std::string format_micros(Micros m);

// The canonical text of v, cut to about max_chars characters ("..." appended when cut).
std::string printed(edn::ValueRef v, size_t max_chars = 200);
std::string printed_bytes(std::string_view encoded, size_t max_chars = 200);
// "an integer", "a string", "nil", "a tagged value".
std::string a_type(edn::ValueRef v);
// "e" as an EDN string literal, for messages.
std::string quoted(std::string_view s);

// 8-4-4-4-12 hex digits (either case) → 16 bytes.
bool parse_uuid(std::string_view text, uint8_t out[16]);

inline edn::ValueRef view(std::string_view encoded) {
    return edn::ValueRef(reinterpret_cast<const uint8_t*>(encoded.data()));
}

inline Interval hull(const Interval& a, const Interval& b) {
    return Interval{std::min(a.from, b.from), std::max(a.to, b.to)};
}

inline std::string interval_text(const Interval& i) {
    return "[" + format_micros(i.from) + ", " + format_micros(i.to) + ")";
}

}  // namespace persistence::fact::detail
