// Symbol, keyword and tag syntax, shared by the reader, the Encoder and validate() so
// that no path can build a symbol the reader would not read back.
//
// A name part starts with an ASCII letter, one of . * + ! - _ ? $ % & = < >, or any
// non-ASCII code point; if it starts with - + or . the next character is not a digit.
// Later characters may also be digits, # : and '. Text is "name", "ns/name" or "/".
// The text must already be valid UTF-8.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <string_view>

namespace persistence::edn {

// A symbol; "nil", "true" and "false" are literals, not symbols.
bool valid_symbol(std::string_view text);
// A keyword's text without the leading ':' ("/" and "" are not keywords).
bool valid_keyword(std::string_view text);
// A tag of a tagged value: a symbol starting with an ASCII letter, except the built-in
// tags inst and uuid (their values are not kept as tagged values).
bool valid_tag(std::string_view text);

}  // namespace persistence::edn
