// Strings that parse unambiguously into other scalars, for coerce(). Private to
// src/core/spec. Each function appends the parsed value to the Encoder and returns true,
// or returns false (appending nothing) when the text is not exactly that scalar: no
// surrounding spaces, no partial parses, nothing out of range.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <string_view>

#include "persistence/edn/encoder.hpp"

namespace persistence::spec::detail {

bool parse_integer(std::string_view s, edn::Encoder& out);  // -?[0-9]+ (also +), bigints included
bool parse_double(std::string_view s, edn::Encoder& out);   // decimal notation, finite
bool parse_boolean(std::string_view s, edn::Encoder& out);  // true | false
bool parse_keyword(std::string_view s, edn::Encoder& out);  // name, ns/name or :name
bool parse_symbol(std::string_view s, edn::Encoder& out);
bool parse_uuid(std::string_view s, edn::Encoder& out);  // 8-4-4-4-12 hex, any case
bool parse_inst(std::string_view s, edn::Encoder& out);  // RFC 3339 (edn::parse_rfc3339)

// An integral number (double or decimal) as an integer.
bool integral(edn::ValueRef v, edn::Encoder& out);

// Whether text names an [:enum]/[:=] literal: a keyword's text (with or without ':'),
// a symbol's text, an integer's digits, true/false.
bool names_literal(edn::ValueRef literal, std::string_view text);

}  // namespace persistence::spec::detail
