// The binary form of an EDN value, version 1 (documented for users in docs/edn.md).
//
// Every stored value is canonical: one value has exactly one byte string. That is what
// lets equality be memcmp, the hash opclass hash the bytes, and edn_hash be SHA-256 of
// them. Readers (text reader, receive, builders) must only ever produce canonical bytes;
// validate() rejects anything else.
//
// value      := tag:u8 payload                      (all integers little-endian, unaligned)
//   0x00 nil | 0x01 false | 0x02 true
//   0x10 integer   i64                              (every integer that fits in 64 bits)
//   0x11 bigint    u32 len, sign:u8 ('+'|'-'), ASCII digits
//                  (only values outside the i64 range; no leading zeros)
//   0x12 double    u64 IEEE-754 bits                (-0.0 stored as 0.0; NaN as 0x7ff8000000000000)
//   0x13 decimal   u32 len, sign:u8 ('+'|'-'), scale:i32, ASCII digits of the coefficient
//                  (value = ±coefficient × 10^-scale; coefficient without leading zeros,
//                   "0" for zero, zero is always '+'; scale is kept: 1.5M and 1.50M differ)
//   0x20 char      u32 Unicode scalar value (no surrogates, ≤ 0x10FFFF)
//   0x21 string    u32 len, UTF-8 bytes
//   0x22 keyword   u32 len, UTF-8 text without the leading ':' ("ns/name" or "name")
//   0x23 symbol    u32 len, UTF-8 text ("ns/name" or "name")
//   0x24 inst      i64 seconds since 1970-01-01T00:00:00Z, u32 nanoseconds (< 1e9);
//                  year 0000..9999 only
//   0x25 uuid      16 bytes, network order
//   0x30 list | 0x31 vector | 0x32 map | 0x33 set
//                  u32 body_len, u32 count, items, u32 offsets[k]
//                  body_len counts every byte after the body_len field itself;
//                  k = count (2 × count for a map: key0 val0 key1 val1 …);
//                  offsets[i] is the start of item i relative to the first item.
//                  Map keys and set members are strictly increasing in the total order
//                  (compare.hpp), so there are no duplicates and lookup is a binary search.
//   0x40 tagged    u32 body_len, u32 tag_len, tag symbol text, value
//
// The varlena datum is: int32 vl_len_, u8 version (=1), u8 reserved[3] (=0), value.
// send/recv use: u8 version (=1), value.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace persistence::edn {

inline constexpr uint8_t format_version = 1;

enum class Tag : uint8_t {
    nil = 0x00,
    false_ = 0x01,
    true_ = 0x02,
    integer = 0x10,
    bigint = 0x11,
    double_ = 0x12,
    decimal = 0x13,
    character = 0x20,
    string = 0x21,
    keyword = 0x22,
    symbol = 0x23,
    inst = 0x24,
    uuid = 0x25,
    list = 0x30,
    vector = 0x31,
    map = 0x32,
    set = 0x33,
    tagged = 0x40,
};

// The type a user sees (edn_typeof); booleans and the two integer forms fold together.
enum class Type : uint8_t {
    nil,
    boolean,
    integer,
    double_,
    decimal,
    character,
    string,
    keyword,
    symbol,
    inst,
    uuid,
    list,
    vector,
    map,
    set,
    tagged,
};

// Name of a type as edn_typeof() returns it: "nil", "boolean", "integer", "double", ...
const char* type_name(Type t);

// Limits the reader, receive and builders enforce (54000 when exceeded).
struct Limits {
    uint32_t max_depth = 512;                // nesting of collections and tags
    size_t max_size = size_t(256) << 20;     // bytes of the encoded value
};

// The deepest nesting any Limits can allow, whatever max_depth says: validate(), print(),
// compare() and contains() recurse once per level (under 200 bytes of stack each).
inline constexpr uint32_t max_depth_ceiling = 10000;

inline constexpr uint64_t canonical_nan_bits = 0x7ff8000000000000ULL;

// Unaligned little-endian loads and stores (x86 and arm64 are little-endian; the
// static_assert keeps a big-endian port honest).
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "format assumes little-endian host");
inline uint32_t load_u32(const uint8_t* p) { uint32_t v; std::memcpy(&v, p, 4); return v; }
inline int32_t load_i32(const uint8_t* p) { int32_t v; std::memcpy(&v, p, 4); return v; }
inline uint64_t load_u64(const uint8_t* p) { uint64_t v; std::memcpy(&v, p, 8); return v; }
inline int64_t load_i64(const uint8_t* p) { int64_t v; std::memcpy(&v, p, 8); return v; }

}  // namespace persistence::edn
