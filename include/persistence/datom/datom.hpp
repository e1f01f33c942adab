// A datom: one immutable fact [e a v tx tx-time valid-from valid-to op] (DESIGN.md §3),
// its canonical hash bytes and its content hash.
//
// Times are microseconds since the Unix epoch, UTC (PostgreSQL's timestamptz resolution).
// valid_to == open_end means the interval is open (valid "forever"). The SQL face converts
// to and from timestamptz at the boundary.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "persistence/hash/sha256.hpp"

namespace persistence::datom {

using Micros = int64_t;
inline constexpr Micros open_end = std::numeric_limits<int64_t>::max();

// Canonical hash bytes of a datom, version 1 (documented in docs/datom.md; never changes
// without a new version byte):
//   u8  0x01                          format version
//   u32 big-endian byte length of e,  e (UTF-8)
//   u32 big-endian byte length of a,  a (UTF-8, the keyword as printed, with its colon)
//   32  value hash (edn_hash of v: SHA-256 of its canonical encoding)
//   i64 big-endian tx
//   i64 big-endian valid_from (µs since the Unix epoch)
//   i64 big-endian valid_to   (µs since the Unix epoch; INT64_MAX = open)
//   u8  op: 0x01 assert, 0x00 retract
// The value enters only through its hash, so an erased payload keeps the proof.
void canonical_bytes(std::string_view e, std::string_view a, const hash::Digest& value_hash,
                     int64_t tx, Micros valid_from, Micros valid_to, bool is_assert,
                     std::string& out);

// SHA-256 of canonical_bytes().
hash::Digest datom_hash(std::string_view e, std::string_view a, const hash::Digest& value_hash,
                        int64_t tx, Micros valid_from, Micros valid_to, bool is_assert);

}  // namespace persistence::datom
