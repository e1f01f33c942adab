// ValueRef: a zero-copy view of one encoded EDN value (format.hpp).
//
// A ValueRef never owns bytes and never validates: it is only built over bytes that
// came from the Encoder, or that validate() accepted. Accessors are O(1) except map
// lookup, which is a binary search over the sorted keys (O(log n) comparisons).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <optional>
#include <string_view>

#include "persistence/edn/format.hpp"

namespace persistence::edn {

struct Inst {
    int64_t seconds = 0;   // since the Unix epoch, UTC
    uint32_t nanos = 0;    // 0 .. 999'999'999
};

struct DecimalParts {
    bool negative = false;
    int32_t scale = 0;          // value = coefficient × 10^-scale
    std::string_view digits;    // coefficient, no leading zeros, "0" for zero
};

struct BigintParts {
    bool negative = false;
    std::string_view digits;    // magnitude, no leading zeros
};

class ValueRef {
   public:
    ValueRef() = default;
    explicit ValueRef(const uint8_t* p) : p_(p) {}

    const uint8_t* data() const { return p_; }
    size_t size() const;                 // bytes of this value, header included
    Tag tag() const { return Tag(p_[0]); }
    Type type() const;

    bool is_nil() const { return tag() == Tag::nil; }
    bool is_collection() const;          // list, vector, map, set

    // Scalars. Each requires the matching tag.
    bool as_bool() const { return tag() == Tag::true_; }
    int64_t as_int() const { return load_i64(p_ + 1); }
    BigintParts as_bigint() const;
    double as_double() const;
    DecimalParts as_decimal() const;
    uint32_t as_char() const { return load_u32(p_ + 1); }
    std::string_view as_text() const;    // string, keyword (no ':'), symbol
    Inst as_inst() const;
    const uint8_t* as_uuid() const { return p_ + 1; }  // 16 bytes
    std::string_view tag_name() const;   // tagged: the tag symbol text
    ValueRef tagged_value() const;       // tagged: the value

    // Collections. count() is the number of elements (entries for a map).
    uint32_t count() const;
    ValueRef item(uint32_t i) const;     // list/vector/set: element i; map: key0,val0,key1,... (i < 2·count)
    ValueRef map_key(uint32_t i) const { return item(2 * i); }
    ValueRef map_val(uint32_t i) const { return item(2 * i + 1); }
    std::optional<ValueRef> map_get(ValueRef key) const;   // binary search
    bool set_contains(ValueRef member) const;               // binary search

   private:
    const uint8_t* p_ = nullptr;
};

}  // namespace persistence::edn
