#include "persistence/edn/validate.hpp"

#include <string>

#include "limits.hpp"
#include "persistence/edn/compare.hpp"
#include "persistence/edn/inst.hpp"
#include "persistence/edn/symbol.hpp"
#include "persistence/edn/utf8.hpp"
#include "persistence/edn/value.hpp"

namespace persistence::edn {

namespace {

constexpr int32_t max_decimal_scale = 1000000;

class Validator {
 public:
    Validator(const uint8_t* data, const Limits& limits) : base_(data), limits_(limits) {}

    // Checks the value at p, which must end at or before end; returns its end, or null.
    const uint8_t* value(const uint8_t* p, const uint8_t* end, uint32_t depth);

    core::Error error;

 private:
    // Out of line, like everything but the recursion itself, so that each level of
    // nesting costs little stack.
    [[gnu::noinline]] const uint8_t* fail(const uint8_t* at, const char* what);
    [[gnu::noinline]] const uint8_t* bad_utf8(const uint8_t* at);
    [[gnu::noinline]] const uint8_t* too_deep();
    [[gnu::noinline]] const uint8_t* scalar(const uint8_t* p, const uint8_t* end);
    [[gnu::noinline]] const uint8_t* tag_text(const uint8_t* p, const uint8_t* body_end);
    const uint8_t* digits(const uint8_t* d, size_t len, bool allow_zero);
    const uint8_t* text(const uint8_t* p, const uint8_t* end);
    const uint8_t* collection(const uint8_t* p, const uint8_t* end, uint32_t depth);
    const uint8_t* tagged(const uint8_t* p, const uint8_t* end, uint32_t depth);

    const uint8_t* base_;
    const Limits& limits_;
};

bool need(const uint8_t* p, const uint8_t* end, size_t n) { return size_t(end - p) >= n; }

// Binary input only comes from clients speaking the format; tell them where it is defined.
const char* const format_hint =
    "Binary EDN must be canonical, as edn_send produces it (docs/edn.md, \"Binary format\").";

const uint8_t* Validator::fail(const uint8_t* at, const char* what) {
    error =
        core::Error(core::sqlstate::invalid_binary_representation,
                    std::string("invalid binary EDN: ") + what + " at byte " + std::to_string(at - base_),
                    format_hint);
    return nullptr;
}

const uint8_t* Validator::bad_utf8(const uint8_t* at) {
    error = core::Error(core::sqlstate::character_not_in_repertoire,
                        "invalid UTF-8 byte sequence in binary EDN at byte " + std::to_string(at - base_),
                        "Strings, keywords and symbols must be valid UTF-8.");
    return nullptr;
}

const uint8_t* Validator::too_deep() {
    error = detail::depth_error(limits_);
    return nullptr;
}

// Digit run of a bigint or decimal: ASCII digits, no leading zeros ("0" alone only for
// a decimal zero).
const uint8_t* Validator::digits(const uint8_t* d, size_t len, bool allow_zero) {
    if (len == 0) return fail(d, "empty digits");
    for (size_t i = 0; i < len; ++i) {
        if (d[i] < '0' || d[i] > '9') return fail(d + i, "non-digit in a number");
    }
    if (d[0] == '0' && !(allow_zero && len == 1)) return fail(d, "leading zero in a number");
    return d + len;
}

const uint8_t* Validator::text(const uint8_t* p, const uint8_t* end) {
    if (!need(p, end, 5)) return fail(p, "truncated value");
    size_t len = load_u32(p + 1);
    if (!need(p + 5, end, len)) return fail(p, "length past the end");
    std::string_view s(reinterpret_cast<const char*>(p + 5), len);
    size_t bad = utf8::find_invalid(s);
    if (bad != len) return bad_utf8(p + 5 + bad);
    Tag t = Tag(p[0]);
    if (t == Tag::keyword && !valid_keyword(s)) return fail(p, "invalid keyword");
    if (t == Tag::symbol && !valid_symbol(s)) return fail(p, "invalid symbol");
    return p + 5 + len;
}

const uint8_t* Validator::value(const uint8_t* p, const uint8_t* end, uint32_t depth) {
    if (p >= end) return fail(p, "truncated value");
    switch (Tag(p[0])) {
        case Tag::list:
        case Tag::vector:
        case Tag::map:
        case Tag::set:
            return collection(p, end, depth);
        case Tag::tagged:
            return tagged(p, end, depth);
        default:
            return scalar(p, end);
    }
}

const uint8_t* Validator::scalar(const uint8_t* p, const uint8_t* end) {
    switch (Tag(p[0])) {
        case Tag::nil:
        case Tag::false_:
        case Tag::true_:
            return p + 1;
        case Tag::integer:
            if (!need(p, end, 9)) return fail(p, "truncated integer");
            return p + 9;
        case Tag::bigint: {
            if (!need(p, end, 6)) return fail(p, "truncated bigint");
            size_t len = load_u32(p + 1);
            if (!need(p + 6, end, len)) return fail(p, "bigint length past the end");
            if (p[5] != '+' && p[5] != '-') return fail(p + 5, "bad sign byte");
            if (!digits(p + 6, len, false)) return nullptr;
            std::string_view d(reinterpret_cast<const char*>(p + 6), len);
            bool fits =
                len < 19 || (len == 19 && d <= (p[5] == '-' ? "9223372036854775808" : "9223372036854775807"));
            if (fits) return fail(p, "bigint within the 64-bit range");
            return p + 6 + len;
        }
        case Tag::double_: {
            if (!need(p, end, 9)) return fail(p, "truncated double");
            uint64_t bits = load_u64(p + 1);
            if (bits == 0x8000000000000000ULL) return fail(p, "negative zero");
            bool nan =
                (bits & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL && (bits & 0x000fffffffffffffULL);
            if (nan && bits != canonical_nan_bits) return fail(p, "non-canonical NaN");
            return p + 9;
        }
        case Tag::decimal: {
            if (!need(p, end, 10)) return fail(p, "truncated decimal");
            size_t len = load_u32(p + 1);
            if (!need(p + 10, end, len)) return fail(p, "decimal length past the end");
            if (p[5] != '+' && p[5] != '-') return fail(p + 5, "bad sign byte");
            int32_t scale = load_i32(p + 6);
            if (scale > max_decimal_scale || scale < -max_decimal_scale)
                return fail(p + 6, "decimal scale out of range");
            if (!digits(p + 10, len, true)) return nullptr;
            if (len == 1 && p[10] == '0' && p[5] == '-') return fail(p + 5, "negative zero decimal");
            return p + 10 + len;
        }
        case Tag::character: {
            if (!need(p, end, 5)) return fail(p, "truncated char");
            if (!utf8::is_scalar(load_u32(p + 1))) return fail(p + 1, "char is not a Unicode scalar value");
            return p + 5;
        }
        case Tag::string:
        case Tag::keyword:
        case Tag::symbol:
            return text(p, end);
        case Tag::inst: {
            if (!need(p, end, 13)) return fail(p, "truncated inst");
            if (!inst_in_range(Inst{load_i64(p + 1), load_u32(p + 9)})) return fail(p, "inst out of range");
            return p + 13;
        }
        case Tag::uuid:
            if (!need(p, end, 17)) return fail(p, "truncated uuid");
            return p + 17;
        default:
            return fail(p, "unknown tag");
    }
}

const uint8_t* Validator::collection(const uint8_t* p, const uint8_t* end, uint32_t depth) {
    if (depth >= limits_.max_depth) return too_deep();
    if (!need(p, end, 9)) return fail(p, "truncated collection");
    size_t body_len = load_u32(p + 1);
    if (!need(p + 5, end, body_len) || body_len < 4) return fail(p + 1, "collection length past the end");
    const uint8_t* body_end = p + 5 + body_len;
    Tag t = Tag(p[0]);
    uint64_t n = load_u32(p + 5);
    uint64_t k = t == Tag::map ? 2 * n : n;
    // Each item takes at least one byte and one offset.
    if (5 * k > body_len - 4) return fail(p + 5, "count too large for the collection length");
    const uint8_t* items = p + 9;
    const uint8_t* table = body_end - 4 * k;
    const uint8_t* q = items;
    size_t stride = t == Tag::map ? 2 : 1;
    const uint8_t* prev_key = nullptr;
    for (uint64_t i = 0; i < k; ++i) {
        if (load_u32(table + 4 * i) != uint64_t(q - items))
            return fail(table + 4 * i, "offset does not match the item");
        const uint8_t* next = value(q, table, depth + 1);
        if (!next) return nullptr;
        bool ordered = t == Tag::map || t == Tag::set;
        if (ordered && i % stride == 0) {
            if (prev_key && compare(ValueRef(prev_key), ValueRef(q)) >= 0) {
                return fail(q, t == Tag::map ? "map keys not strictly increasing"
                                             : "set members not strictly increasing");
            }
            prev_key = q;
        }
        q = next;
    }
    if (q != table) return fail(q, "collection items do not fill the body");
    return body_end;
}

const uint8_t* Validator::tagged(const uint8_t* p, const uint8_t* end, uint32_t depth) {
    if (depth >= limits_.max_depth) return too_deep();
    if (!need(p, end, 9)) return fail(p, "truncated tagged value");
    size_t body_len = load_u32(p + 1);
    if (!need(p + 5, end, body_len) || body_len < 4) return fail(p + 1, "tagged length past the end");
    const uint8_t* body_end = p + 5 + body_len;
    const uint8_t* value_begin = tag_text(p, body_end);
    if (!value_begin) return nullptr;
    const uint8_t* next = value(value_begin, body_end, depth + 1);
    if (!next) return nullptr;
    if (next != body_end) return fail(next, "tagged value does not fill the body");
    return body_end;
}

const uint8_t* Validator::tag_text(const uint8_t* p, const uint8_t* body_end) {
    size_t tag_len = load_u32(p + 5);
    if (!need(p + 9, body_end, tag_len)) return fail(p + 5, "tag length past the end");
    std::string_view tag(reinterpret_cast<const char*>(p + 9), tag_len);
    size_t bad = utf8::find_invalid(tag);
    if (bad != tag_len) return bad_utf8(p + 9 + bad);
    if (!valid_tag(tag)) return fail(p + 9, "invalid tag");
    return p + 9 + tag_len;
}

}  // namespace

core::Status validate(const uint8_t* data, size_t n, const Limits& requested) {
    const Limits limits = detail::effective(requested);
    if (n > limits.max_size) return detail::size_error(limits);
    Validator v(data, limits);
    const uint8_t* end = data + n;
    const uint8_t* q = v.value(data, end, 0);
    if (!q) return v.error;
    if (q != end) {
        return core::Error(
            core::sqlstate::invalid_binary_representation,
            "invalid binary EDN: trailing bytes after the value at byte " + std::to_string(q - data),
            format_hint);
    }
    return {};
}

}  // namespace persistence::edn
