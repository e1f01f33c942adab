#include "persistence/edn/encoder.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "limits.hpp"
#include "persistence/edn/compare.hpp"
#include "persistence/edn/inst.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/symbol.hpp"
#include "persistence/edn/utf8.hpp"

namespace persistence::edn {

namespace {

constexpr int32_t max_decimal_scale = 1000000;

// buf_ is storage whose size is its capacity; len is the part written. Growing by
// doubling through resize() keeps appends to a compare and a fixed-size memcpy.
inline char* grow(std::string& buf, size_t& len, size_t n) {
    if (buf.size() - len < n) buf.resize(std::max({buf.size() * 2, len + n, size_t(256)}));
    char* p = &buf[len];
    len += n;
    return p;
}
inline void put_u8(std::string& b, size_t& len, uint8_t v) { *grow(b, len, 1) = char(v); }
inline void put_u32(std::string& b, size_t& len, uint32_t v) { std::memcpy(grow(b, len, 4), &v, 4); }
inline void put_u64(std::string& b, size_t& len, uint64_t v) { std::memcpy(grow(b, len, 8), &v, 8); }
inline void put_bytes(std::string& b, size_t& len, const void* p, size_t n) {
    if (n) std::memcpy(grow(b, len, n), p, n);
}
inline void put_bytes(std::string& b, size_t& len, std::string_view s) {
    put_bytes(b, len, s.data(), s.size());
}
void store_u32(std::string& b, size_t at, uint32_t v) { std::memcpy(&b[at], &v, 4); }

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::string_view strip_leading_zeros(std::string_view s) {
    size_t i = s.find_first_not_of('0');
    return i == std::string_view::npos ? s.substr(s.size() - 1) : s.substr(i);
}

// Digits of a magnitude without leading zeros that fits in int64 (with the sign).
bool fits_int64(bool negative, std::string_view digits) {
    if (digits.size() != 19) return digits.size() < 19;
    return digits <= (negative ? "9223372036854775808" : "9223372036854775807");
}

// Deepest nesting inside v, counting v itself; stops looking once past limit.
uint32_t value_depth(ValueRef v, uint32_t limit) {
    if (limit == 0) return 0;
    Tag t = v.tag();
    if (t == Tag::tagged) return 1 + value_depth(v.tagged_value(), limit - 1);
    if (!v.is_collection()) return 0;
    uint32_t n = t == Tag::map ? 2 * v.count() : v.count();
    uint32_t deepest = 0;
    for (uint32_t i = 0; i < n && deepest < limit - 1; ++i) {
        deepest = std::max(deepest, value_depth(v.item(i), limit - 1));
    }
    return 1 + deepest;
}

std::string shown_value(ValueRef v) {
    std::string text = to_string(v);
    std::string_view head = utf8::prefix(text, 100);
    if (head.size() == text.size()) return text;
    return std::string(head) + "...";
}

}  // namespace

Encoder::Encoder(Limits limits) : limits_(detail::effective(limits)) {}

bool Encoder::fail(core::Error e) {
    if (ok()) error_ = std::move(e);
    return false;
}

// Every value passes here before its first byte is written: one top-level value, one
// value under a tag, and each item's start offset remembered for the offsets table.
bool Encoder::before_value() {
    if (!ok()) return false;
    if (frames_.empty()) {
        if (top_level_values_ != 0) return fail(detail::internal_error("more than one top-level value"));
        ++top_level_values_;
        return true;
    }
    const Frame& f = frames_.back();
    if (f.tag == Tag::tagged && item_offsets_.size() > f.first_offset) {
        return fail(detail::internal_error("a tagged value takes exactly one value"));
    }
    item_offsets_.push_back(uint32_t(len_));
    return true;
}

// Size is checked before appending so that an oversized string never gets copied.
#define PERSISTENCE_ROOM(n)                                                          \
    do {                                                                             \
        if (len_ + (n) > limits_.max_size) return fail(detail::size_error(limits_)); \
    } while (0)

bool Encoder::nil() {
    if (!before_value()) return false;
    PERSISTENCE_ROOM(1);
    put_u8(buf_, len_, uint8_t(Tag::nil));
    return true;
}

bool Encoder::boolean(bool b) {
    if (!before_value()) return false;
    PERSISTENCE_ROOM(1);
    put_u8(buf_, len_, uint8_t(b ? Tag::true_ : Tag::false_));
    return true;
}

bool Encoder::integer(int64_t i) {
    if (!before_value()) return false;
    PERSISTENCE_ROOM(9);
    put_u8(buf_, len_, uint8_t(Tag::integer));
    put_u64(buf_, len_, uint64_t(i));
    return true;
}

bool Encoder::bigint(bool negative, std::string_view digits) {
    if (!ok()) return false;
    if (!all_digits(digits)) {
        return fail(core::Error(core::sqlstate::invalid_text_representation, "invalid bigint digits"));
    }
    digits = strip_leading_zeros(digits);
    if (fits_int64(negative, digits)) {
        uint64_t magnitude = 0;
        for (char c : digits) magnitude = magnitude * 10 + uint64_t(c - '0');
        return integer(negative ? int64_t(0 - magnitude) : int64_t(magnitude));
    }
    if (!before_value()) return false;
    PERSISTENCE_ROOM(6 + digits.size());
    put_u8(buf_, len_, uint8_t(Tag::bigint));
    put_u32(buf_, len_, uint32_t(digits.size()));
    put_u8(buf_, len_, negative ? '-' : '+');
    put_bytes(buf_, len_, digits);
    return true;
}

bool Encoder::real(double d) {
    if (!before_value()) return false;
    PERSISTENCE_ROOM(9);
    uint64_t bits;
    if (std::isnan(d)) {
        bits = canonical_nan_bits;
    } else {
        if (d == 0) d = 0.0;  // -0.0 == 0 is true; store +0.0
        std::memcpy(&bits, &d, 8);
    }
    put_u8(buf_, len_, uint8_t(Tag::double_));
    put_u64(buf_, len_, bits);
    return true;
}

bool Encoder::decimal(bool negative, std::string_view digits, int32_t scale) {
    if (!ok()) return false;
    if (!all_digits(digits)) {
        return fail(core::Error(core::sqlstate::invalid_text_representation, "invalid decimal digits"));
    }
    if (scale > max_decimal_scale || scale < -max_decimal_scale) {
        return fail(core::Error(core::sqlstate::numeric_value_out_of_range,
                                "decimal scale " + std::to_string(scale) + " is out of range",
                                "The scale of a decimal must be between -1000000 and 1000000."));
    }
    digits = strip_leading_zeros(digits);
    if (digits == "0") negative = false;
    if (!before_value()) return false;
    PERSISTENCE_ROOM(10 + digits.size());
    put_u8(buf_, len_, uint8_t(Tag::decimal));
    put_u32(buf_, len_, uint32_t(digits.size()));
    put_u8(buf_, len_, negative ? '-' : '+');
    put_u32(buf_, len_, uint32_t(scale));
    put_bytes(buf_, len_, digits);
    return true;
}

bool Encoder::character(uint32_t code_point) {
    if (!ok()) return false;
    if (!utf8::is_scalar(code_point)) {
        return fail(core::Error(
            core::sqlstate::invalid_text_representation,
            "invalid character: " + std::to_string(code_point) + " is not a Unicode scalar value"));
    }
    if (!before_value()) return false;
    PERSISTENCE_ROOM(5);
    put_u8(buf_, len_, uint8_t(Tag::character));
    put_u32(buf_, len_, code_point);
    return true;
}

namespace {
core::Error bad_utf8(const char* what) {
    return core::Error(core::sqlstate::character_not_in_repertoire,
                       std::string("invalid UTF-8 byte sequence in ") + what);
}
}  // namespace

bool Encoder::string(std::string_view utf8) {
    if (!ok()) return false;
    if (!utf8::valid(utf8)) return fail(bad_utf8("string"));
    if (!before_value()) return false;
    PERSISTENCE_ROOM(5 + utf8.size());
    put_u8(buf_, len_, uint8_t(Tag::string));
    put_u32(buf_, len_, uint32_t(utf8.size()));
    put_bytes(buf_, len_, utf8);
    return true;
}

bool Encoder::keyword(std::string_view text) {
    if (!ok()) return false;
    if (!utf8::valid(text)) return fail(bad_utf8("keyword"));
    if (!valid_keyword(text)) {
        return fail(core::Error(core::sqlstate::invalid_text_representation,
                                "invalid keyword \":" + std::string(utf8::prefix(text, 100)) + "\""));
    }
    if (!before_value()) return false;
    PERSISTENCE_ROOM(5 + text.size());
    put_u8(buf_, len_, uint8_t(Tag::keyword));
    put_u32(buf_, len_, uint32_t(text.size()));
    put_bytes(buf_, len_, text);
    return true;
}

bool Encoder::symbol(std::string_view text) {
    if (!ok()) return false;
    if (!utf8::valid(text)) return fail(bad_utf8("symbol"));
    if (!valid_symbol(text)) {
        return fail(core::Error(core::sqlstate::invalid_text_representation,
                                "invalid symbol \"" + std::string(utf8::prefix(text, 100)) + "\""));
    }
    if (!before_value()) return false;
    PERSISTENCE_ROOM(5 + text.size());
    put_u8(buf_, len_, uint8_t(Tag::symbol));
    put_u32(buf_, len_, uint32_t(text.size()));
    put_bytes(buf_, len_, text);
    return true;
}

bool Encoder::inst(Inst t) {
    if (!ok()) return false;
    if (!inst_in_range(t)) {
        return fail(core::Error(core::sqlstate::datetime_field_overflow, "#inst is out of range",
                                "The year in UTC must be between 0000 and 9999."));
    }
    if (!before_value()) return false;
    PERSISTENCE_ROOM(13);
    put_u8(buf_, len_, uint8_t(Tag::inst));
    put_u64(buf_, len_, uint64_t(t.seconds));
    put_u32(buf_, len_, t.nanos);
    return true;
}

bool Encoder::uuid(const uint8_t bytes[16]) {
    if (!before_value()) return false;
    PERSISTENCE_ROOM(17);
    put_u8(buf_, len_, uint8_t(Tag::uuid));
    put_bytes(buf_, len_, reinterpret_cast<const char*>(bytes), 16);
    return true;
}

bool Encoder::raw(ValueRef v) {
    if (!ok()) return false;
    size_t n = v.size();
    // Every level of nesting costs at least 9 bytes, so small values need no walk.
    uint32_t room = frames_.size() < limits_.max_depth ? limits_.max_depth - uint32_t(frames_.size()) : 0;
    if (n / 9 > room && value_depth(v, room + 1) > room) return fail(detail::depth_error(limits_));
    if (!before_value()) return false;
    PERSISTENCE_ROOM(n);
    put_bytes(buf_, len_, reinterpret_cast<const char*>(v.data()), n);
    return true;
}

bool Encoder::begin(Tag collection) {
    if (!ok()) return false;
    if (collection != Tag::list && collection != Tag::vector && collection != Tag::map &&
        collection != Tag::set) {
        return fail(detail::internal_error("begin() of a tag that is not a collection"));
    }
    if (frames_.size() >= limits_.max_depth) return fail(detail::depth_error(limits_));
    if (!before_value()) return false;
    PERSISTENCE_ROOM(9);
    size_t start = len_;
    put_u8(buf_, len_, uint8_t(collection));
    put_u64(buf_, len_, 0);  // body_len and count, filled in by end()
    frames_.push_back(Frame{collection, start, len_, item_offsets_.size()});
    return true;
}

bool Encoder::begin_tagged(std::string_view tag) {
    if (!ok()) return false;
    if (!utf8::valid(tag)) return fail(bad_utf8("tag"));
    if (!valid_tag(tag)) {
        return fail(core::Error(core::sqlstate::invalid_text_representation,
                                "invalid tag \"#" + std::string(utf8::prefix(tag, 100)) + "\"",
                                "A tag is a symbol starting with a letter, e.g. #my/thing; "
                                "#inst and #uuid are built in."));
    }
    if (frames_.size() >= limits_.max_depth) return fail(detail::depth_error(limits_));
    if (!before_value()) return false;
    PERSISTENCE_ROOM(9 + tag.size());
    size_t start = len_;
    put_u8(buf_, len_, uint8_t(Tag::tagged));
    put_u32(buf_, len_, 0);  // body_len, filled in by end()
    put_u32(buf_, len_, uint32_t(tag.size()));
    put_bytes(buf_, len_, tag);
    frames_.push_back(Frame{Tag::tagged, start, len_, item_offsets_.size()});
    return true;
}

bool Encoder::end() {
    if (!ok()) return false;
    if (frames_.empty()) return fail(detail::internal_error("end() without begin()"));
    Frame f = frames_.back();
    frames_.pop_back();
    return f.tag == Tag::tagged ? end_tagged(f) : end_collection(f);
}

bool Encoder::end_tagged(Frame f) {
    if (item_offsets_.size() != f.first_offset + 1) {
        return fail(detail::internal_error("a tagged value takes exactly one value"));
    }
    item_offsets_.resize(f.first_offset);
    store_u32(buf_, f.start + 1, uint32_t(len_ - (f.start + 5)));
    return true;
}

bool Encoder::end_collection(Frame f) {
    size_t n_items = item_offsets_.size() - f.first_offset;
    size_t stride = f.tag == Tag::map ? 2 : 1;
    if (n_items % stride != 0) return fail(detail::internal_error("a map needs a value for every key"));
    size_t n = n_items / stride;

    if (f.tag == Tag::map || f.tag == Tag::set) {
        auto duplicate = [&](size_t item) {
            duplicate_item_ = long(item);
            ValueRef v(reinterpret_cast<const uint8_t*>(buf_.data()) + item_offsets_[f.first_offset + item]);
            return fail(
                core::Error(core::sqlstate::invalid_text_representation,
                            std::string(f.tag == Tag::map ? "duplicate map key " : "duplicate set member ") +
                                shown_value(v),
                            "A map key or set member may appear only once; remove or merge the repeated one."));
        };
        const uint8_t* base = reinterpret_cast<const uint8_t*>(buf_.data());
        const uint32_t* offs = item_offsets_.data() + f.first_offset;
        bool sorted = true;
        for (size_t j = 1; j < n; ++j) {
            int c = compare(ValueRef(base + offs[(j - 1) * stride]), ValueRef(base + offs[j * stride]));
            if (c == 0) return duplicate(j * stride);  // items before j are strictly increasing
            if (c > 0) {
                sorted = false;
                break;
            }
        }
        if (!sorted) {
            sort_order_.resize(n);
            std::iota(sort_order_.begin(), sort_order_.end(), 0u);
            // Ties broken by position: among equal keys the later one comes second.
            std::sort(sort_order_.begin(), sort_order_.end(), [&](uint32_t x, uint32_t y) {
                int c = compare(ValueRef(base + offs[x * stride]), ValueRef(base + offs[y * stride]));
                return c < 0 || (c == 0 && x < y);
            });
            long first_dup = -1;
            for (size_t j = 1; j < n; ++j) {
                uint32_t x = sort_order_[j - 1], y = sort_order_[j];
                if (equal(ValueRef(base + offs[x * stride]), ValueRef(base + offs[y * stride])) &&
                    (first_dup < 0 || long(y) < first_dup)) {
                    first_dup = long(y);
                }
            }
            if (first_dup >= 0) return duplicate(size_t(first_dup) * stride);

            // Rewrite the items in order; the new offsets go after the order itself.
            size_t items_end = len_;
            sort_bytes_.assign(buf_, f.items_begin, items_end - f.items_begin);
            sort_order_.resize(n + n_items);
            uint32_t* new_offs = sort_order_.data() + n;
            size_t cursor = f.items_begin;
            for (size_t j = 0; j < n; ++j) {
                uint32_t e = sort_order_[j];
                size_t begin = offs[e * stride];
                size_t end = e + 1 < n ? offs[(e + 1) * stride] : items_end;
                new_offs[j * stride] = uint32_t(cursor);
                if (stride == 2) new_offs[j * stride + 1] = uint32_t(cursor + (offs[e * 2 + 1] - begin));
                std::memcpy(&buf_[cursor], sort_bytes_.data() + (begin - f.items_begin), end - begin);
                cursor += end - begin;
            }
            std::copy(new_offs, new_offs + n_items, item_offsets_.begin() + long(f.first_offset));
        }
    }

    PERSISTENCE_ROOM(4 * n_items);
    store_u32(buf_, f.start + 1, uint32_t(len_ + 4 * n_items - (f.start + 5)));
    store_u32(buf_, f.start + 5, uint32_t(n));
    size_t table = len_;
    grow(buf_, len_, 4 * n_items);
    for (size_t i = 0; i < n_items; ++i) {
        store_u32(buf_, table + 4 * i, uint32_t(item_offsets_[f.first_offset + i] - f.items_begin));
    }
    item_offsets_.resize(f.first_offset);
    return true;
}

#undef PERSISTENCE_ROOM

Encoder::Mark Encoder::begin_discard() {
    Mark m{len_, item_offsets_.size(), top_level_values_};
    if (frames_.empty()) top_level_values_ = 0;
    return m;
}

void Encoder::discard(Mark m) {
    len_ = m.bytes;
    item_offsets_.resize(m.items);
    top_level_values_ = m.top_level_values;
}

core::Result<std::string_view> Encoder::finish_view() {
    if (!ok()) return error_;
    if (!frames_.empty()) return core::Error(detail::internal_error("finish() with an open collection"));
    if (top_level_values_ != 1) return core::Error(detail::internal_error("finish() without a value"));
    return std::string_view(buf_.data(), len_);
}

core::Result<std::string> Encoder::finish() {
    auto view = finish_view();
    if (!view) return view.error();
    buf_.resize(len_);
    std::string out = std::move(buf_);
    buf_.clear();
    len_ = 0;
    top_level_values_ = 0;
    return out;
}

size_t Encoder::capacity() const {
    return buf_.size() + frames_.capacity() * sizeof(Frame) + item_offsets_.capacity() * sizeof(uint32_t) +
           sort_order_.capacity() * sizeof(uint32_t) + sort_bytes_.capacity();
}

void Encoder::reset(const Limits& limits) {
    limits_ = detail::effective(limits);
    reset();
}

void Encoder::reset() {
    len_ = 0;
    frames_.clear();
    item_offsets_.clear();
    top_level_values_ = 0;
    error_ = core::Error();
    duplicate_item_ = -1;
}

}  // namespace persistence::edn
