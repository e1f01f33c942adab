// The EDN text reader: text in, canonical encoded value out (format.hpp).
//
// Grammar and errors are documented in docs/edn.md. Runs in time linear in the input
// (plus sorting map keys), recursion is bounded by Limits::max_depth, and every failure
// is an Error naming line:column (1-based, columns in characters) and what was expected:
//   22P02 malformed text, duplicate map key or set member
//   22021 invalid UTF-8
//   22003 number out of range (integer without N beyond 64 bits, double overflow)
//   22008 #inst field out of range
//   54000 nesting deeper than max_depth, or encoded value larger than max_size
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <string>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"

namespace persistence::edn {

// Reads exactly one value (surrounded by optional whitespace, commas, comments and #_
// discards). Returns the encoded value bytes.
core::Result<std::string> read(std::string_view text, const Limits& limits = {});

}  // namespace persistence::edn
