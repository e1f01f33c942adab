// Canonical printing: one text form per value; print(read(print(v))) == print(v).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <string>

#include "persistence/edn/value.hpp"

namespace persistence::edn {

// Appends the canonical text of v to out.
void print(ValueRef v, std::string& out);
std::string to_string(ValueRef v);

// Pieces shared with the jsonb and SQL-type conversions.
void format_inst(Inst t, std::string& out);                 // 2026-11-25T10:00:00.000Z (no quotes)
void format_decimal_plain(DecimalParts d, std::string& out); // -12.50, 1500 (no M, no exponent)
void format_uuid(const uint8_t* bytes16, std::string& out);  // lower-case 8-4-4-4-12

}  // namespace persistence::edn
