// Short renderings of EDN values for messages. Private to src/core/spec.
//
// Messages quote values that may be huge or hostile, so every rendering here is bounded:
// it stops building once past its budget instead of printing the whole value first.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <string>

#include "persistence/edn/value.hpp"

namespace persistence::spec::detail {

// The value as EDN (the printer's canonical text), or in JSON terms when json is set
// (null, objects, arrays; keywords, symbols, insts and uuids as strings), cut to at most
// max_chars code points: a longer rendering keeps max_chars - 3 and ends in "...".
std::string render(edn::ValueRef v, bool json, size_t max_chars);

// Canonical EDN text cut to 60 characters (compile errors).
inline std::string printed(edn::ValueRef v) { return render(v, false, 60); }

// "1 item", "3 items".
std::string count_of(uint64_t n, const char* singular, const char* plural);

}  // namespace persistence::spec::detail
