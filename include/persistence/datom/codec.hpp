// The persistence.datom value: its binary payload, its text form, its order and hash
// (docs/datom.md). Pure C++; the SQL face (src/pg/datom/) only converts at the boundary.
//
// Binary payload, version 1 (what follows `int32 vl_len_ | u8 version | u8 reserved[3]`
// on disk, and the version byte on the wire). Integers little-endian, unaligned:
//   offset  0  i64 tx
//   offset  8  i64 tx_time      µs since the Unix epoch, UTC
//   offset 16  i64 valid_from   µs since the Unix epoch, UTC
//   offset 24  i64 valid_to     µs since the Unix epoch, UTC; INT64_MAX = open
//   offset 32  u32 e_len
//   offset 36  u32 a_len
//   offset 40  u8  op           0x01 assert, 0x00 retract
//   offset 41  u8  reserved[7]  zero
//   offset 48  e (e_len bytes of UTF-8), a (a_len bytes: the keyword with its ':'),
//              v (one canonical encoded EDN value, edn/format.hpp) filling the rest.
// Every field has exactly one valid encoding, so two payloads are equal exactly when the
// datoms are equal.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "persistence/core/error.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/edn/inst.hpp"
#include "persistence/edn/value.hpp"
#include "persistence/hash/sha256.hpp"

namespace persistence::datom {

inline constexpr uint8_t format_version = 1;

// The fixed part of the payload. Read and written with memcpy (the payload is unaligned).
struct Header {
    int64_t tx;
    int64_t tx_time;
    int64_t valid_from;
    int64_t valid_to;
    uint32_t e_len;
    uint32_t a_len;
    uint8_t op;
    uint8_t reserved[7];
};
static_assert(offsetof(Header, tx) == 0, "payload layout is frozen");
static_assert(offsetof(Header, tx_time) == 8, "payload layout is frozen");
static_assert(offsetof(Header, valid_from) == 16, "payload layout is frozen");
static_assert(offsetof(Header, valid_to) == 24, "payload layout is frozen");
static_assert(offsetof(Header, e_len) == 32, "payload layout is frozen");
static_assert(offsetof(Header, a_len) == 36, "payload layout is frozen");
static_assert(offsetof(Header, op) == 40, "payload layout is frozen");
static_assert(offsetof(Header, reserved) == 41, "payload layout is frozen");
static_assert(sizeof(Header) == 48, "payload layout is frozen");
inline constexpr size_t header_size = sizeof(Header);
// e ≥ 1 byte, a ≥ 2 (":x"), v ≥ 1 (nil).
inline constexpr size_t min_payload_size = header_size + 1 + 2 + 1;

inline constexpr uint8_t op_retract = 0x00;
inline constexpr uint8_t op_assert = 0x01;

// Instants a datom can hold: those an EDN #inst can print (years 0000–9999, UTC), all of
// which PostgreSQL's timestamptz also holds. valid_to may also be open_end.
inline constexpr Micros min_micros = edn::inst_min_seconds * 1000000;
inline constexpr Micros max_micros = edn::inst_max_seconds * 1000000 + 999999;
inline bool micros_in_range(Micros t) { return t >= min_micros && t <= max_micros; }

// A zero-copy view of a datom (into a payload, or into a Datom).
struct DatomView {
    std::string_view e;  // UTF-8, non-empty, no U+0000
    std::string_view a;  // ":ns/name" — the keyword as printed
    edn::ValueRef v;     // a canonical encoded EDN value
    int64_t tx = 0;
    Micros tx_time = 0;
    Micros valid_from = 0;
    Micros valid_to = open_end;
    bool is_assert = true;

    bool open() const { return valid_to == open_end; }
    std::string_view v_bytes() const { return {reinterpret_cast<const char*>(v.data()), v.size()}; }
};

// An owned datom.
struct Datom {
    std::string e;
    std::string a;
    std::string v;  // canonical encoded EDN value bytes
    int64_t tx = 0;
    Micros tx_time = 0;
    Micros valid_from = 0;
    Micros valid_to = open_end;
    bool is_assert = true;

    DatomView view() const;
};

// Checks the fields of a datom assembled from parts (the SQL constructor): e non-empty
// UTF-8 without U+0000 and a a valid keyword with its colon (22023), the instants within
// range (22008), valid_from < valid_to (22023). v must already be a valid EDN value.
core::Status check(const DatomView& d);

// Appends the payload of a datom that check() accepts.
void encode(const DatomView& d, std::string& out);
size_t encoded_size(const DatomView& d);
// Writes the payload into out, which has room for encoded_size(d) bytes.
void encode_into(const DatomView& d, uint8_t* out);

// Validates untrusted payload bytes (binary receive) and returns a view into them.
// Every byte is checked: sizes, zero reserved bytes, op, UTF-8 (22021), keyword syntax,
// the value (edn::validate, within limits: 54000), instants within range and
// valid_from < valid_to. Malformed input is 22P03.
core::Result<DatomView> decode(const uint8_t* data, size_t n, const edn::Limits& limits = {});

// A view of a payload known to be valid (stored data): no checks beyond the header.
DatomView view(const uint8_t* data, size_t n);

// Text form (docs/datom.md):
//   #datom [e a v tx tx-time valid-from valid-to op]
// e a string or #uuid, a a keyword, v any value, tx an integer, tx-time and valid-from
// #inst, valid-to #inst or nil, op :assert or :retract. The reader's errors pass through;
// a wrong shape is 22P02 naming the element, an #inst with sub-microsecond precision is
// 22008, valid-from ≥ valid-to is 22023, v beyond the limits is 54000.
core::Result<Datom> parse(std::string_view text, const edn::Limits& limits = {});
// Canonical text: parse(print(d)) == d. e is always printed as a string.
void print(const DatomView& d, std::string& out);

// EAVT order: e (bytes), a (bytes), v (edn::compare), tx, then tx_time, valid_from,
// valid_to, op (retract before assert), so that 0 means equal in every field.
int compare(const DatomView& x, const DatomView& y);
bool equal(const DatomView& x, const DatomView& y);

// SHA-256 of v's canonical encoded bytes (what persistence.edn_hash returns), and the
// datom's content hash over (e, a, that value hash, tx, valid_from, valid_to, op).
hash::Digest value_hash(const DatomView& d);
hash::Digest content_hash(const DatomView& d);

}  // namespace persistence::datom
