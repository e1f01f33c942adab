// Validation of untrusted binary input (edn_recv and on-disk format checks).
//
// Accepts exactly the canonical encodings the Encoder produces, consuming all n bytes:
// every length and offset in bounds and consistent, known tags, valid UTF-8, valid
// keyword and symbol syntax, canonical numbers, map keys and set members strictly
// increasing, depth and size within Limits. Errors: 22P03 (malformed binary),
// 22021 (bad UTF-8), 54000 (limits). Linear in n (plus the ordering checks).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstddef>
#include <cstdint>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"

namespace persistence::edn {

core::Status validate(const uint8_t* data, size_t n, const Limits& limits = {});

}  // namespace persistence::edn
