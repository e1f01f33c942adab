// Encoder: builds canonical encoded EDN values (format.hpp) in one growing buffer.
//
// The text reader, binary builders (assoc, conj, casts from SQL types and jsonb) all go
// through it, so canonical form is enforced in one place: integers that fit in 64 bits
// are never stored as bigint, -0.0 and NaN are normalised, decimals lose leading zeros,
// map entries and set members are sorted and duplicates rejected when a collection ends.
//
// Errors are sticky: after the first failure every call is a no-op returning false, and
// error() tells what went wrong. Depth and size limits (54000) are checked as values are
// added. Vectors and lists are written in place; a map or set is reordered only when its
// items did not arrive already sorted.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/core/error.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/edn/value.hpp"

namespace persistence::edn {

class Encoder {
   public:
    explicit Encoder(Limits limits = {});

    bool nil();
    bool boolean(bool b);
    bool integer(int64_t i);
    // Magnitude as ASCII digits (leading zeros allowed); folded into integer when it fits.
    bool bigint(bool negative, std::string_view digits);
    bool real(double d);
    // value = ±digits × 10^-scale; digits ASCII, leading zeros allowed.
    bool decimal(bool negative, std::string_view digits, int32_t scale);
    bool character(uint32_t code_point);
    bool string(std::string_view utf8);      // validated as UTF-8 (22021)
    bool keyword(std::string_view text);     // without ':'; validated as a symbol name (22P02)
    bool symbol(std::string_view text);      // validated (22P02); nil/true/false are not symbols
    bool inst(Inst t);                       // year 0000..9999, nanos < 1e9 (22008)
    bool uuid(const uint8_t bytes[16]);
    bool raw(ValueRef v);                    // append an already canonical value

    // Collections: begin(list|vector|map|set), add items, end(). A map takes key, value,
    // key, value, ... An odd number of map items is a programming error caught by end().
    bool begin(Tag collection);
    bool end();
    // Tagged value: begin_tagged(tag), add exactly one value, end().
    bool begin_tagged(std::string_view tag);

    bool ok() const { return error_.code.empty(); }
    const core::Error& error() const { return error_; }
    // After a duplicate map key or set member made end() fail: the index of the
    // offending item within its collection (key index × 2 for maps), else -1.
    long duplicate_item() const { return duplicate_item_; }
    // Number of collections and tagged values still open.
    uint32_t open_depth() const { return uint32_t(frames_.size()); }

    // The finished value (exactly one top-level value must have been added).
    core::Result<std::string> finish();
    // Like finish(), but the bytes stay in the Encoder's buffer (valid until the next
    // change), so an Encoder that is reset and reused keeps its capacity.
    core::Result<std::string_view> finish_view();
    // Reset for reuse, keeping the buffer's capacity.
    void reset();
    void reset(const Limits& limits);
    // Bytes of memory its buffers hold (kept across reset()).
    size_t capacity() const;

    bool fail(core::Error e);  // records the first error; returns false

    // Taking back a value (the reader's #_ discard): begin_discard() before the value,
    // discard() once it is complete, at the same nesting depth. The value in between may
    // follow the one top-level value.
    struct Mark {
        size_t bytes;
        size_t items;
        size_t top_level_values;
    };
    Mark begin_discard();
    void discard(Mark m);

   private:
    struct Frame {
        Tag tag;
        size_t start;        // offset of the tag byte
        size_t items_begin;  // offset of the first item
        size_t first_offset; // index into item_offsets_ of this frame's first item
    };
    bool before_value();
    bool end_collection(Frame f);
    bool end_tagged(Frame f);

    Limits limits_;
    std::string buf_;    // storage: its size is the capacity, len_ the bytes written
    size_t len_ = 0;
    std::vector<Frame> frames_;
    std::vector<uint32_t> item_offsets_;  // absolute start offsets of items of open frames
    size_t top_level_values_ = 0;
    core::Error error_;
    long duplicate_item_ = -1;
    // Reused when a map or set has to be reordered, so sorting does not allocate per value.
    std::vector<uint32_t> sort_order_;
    std::string sort_bytes_;
};

}  // namespace persistence::edn
