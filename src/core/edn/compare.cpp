#include "persistence/edn/compare.hpp"

#include <algorithm>
#include <cstring>

namespace persistence::edn {

namespace {

template <typename T>
int three_way(T a, T b) {
    return a < b ? -1 : (a > b ? 1 : 0);
}

int compare_bytes(std::string_view a, std::string_view b) {
    size_t n = std::min(a.size(), b.size());
    int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
    if (c != 0) return c < 0 ? -1 : 1;
    return three_way(a.size(), b.size());
}

// Magnitudes as digit strings without leading zeros.
int compare_magnitude(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return compare_bytes(a, b);
}

// Bigints lie outside the int64 range, so a bigint's sign alone places it against any
// integer.
int compare_integers(ValueRef a, ValueRef b) {
    bool a_big = a.tag() == Tag::bigint, b_big = b.tag() == Tag::bigint;
    if (!a_big && !b_big) return three_way(a.as_int(), b.as_int());
    if (a_big && !b_big) return a.as_bigint().negative ? -1 : 1;
    if (!a_big && b_big) return b.as_bigint().negative ? 1 : -1;
    BigintParts x = a.as_bigint(), y = b.as_bigint();
    if (x.negative != y.negative) return x.negative ? -1 : 1;
    int c = compare_magnitude(x.digits, y.digits);
    return x.negative ? -c : c;
}

int compare_doubles(double x, double y) {
    bool xn = x != x, yn = y != y;
    if (xn || yn) return three_way(int(xn), int(yn));
    return three_way(x, y);
}

// |x| against |y| for nonzero coefficients: first by the position of the leading digit
// (digits - scale), then digit by digit, the shorter coefficient padded with zeros.
int compare_decimal_magnitude(const DecimalParts& x, const DecimalParts& y) {
    int64_t ax = int64_t(x.digits.size()) - x.scale;
    int64_t ay = int64_t(y.digits.size()) - y.scale;
    if (ax != ay) return ax < ay ? -1 : 1;
    size_t n = std::min(x.digits.size(), y.digits.size());
    int c = n ? std::memcmp(x.digits.data(), y.digits.data(), n) : 0;
    if (c != 0) return c < 0 ? -1 : 1;
    // The longer one is larger exactly when its remaining digits are not all zero.
    std::string_view rest = x.digits.size() > n ? x.digits.substr(n) : y.digits.substr(n);
    bool nonzero = rest.find_first_not_of('0') != std::string_view::npos;
    if (!nonzero) return 0;
    return x.digits.size() > n ? 1 : -1;
}

int compare_decimals(ValueRef a, ValueRef b) {
    DecimalParts x = a.as_decimal(), y = b.as_decimal();
    int sx = x.digits == "0" ? 0 : (x.negative ? -1 : 1);
    int sy = y.digits == "0" ? 0 : (y.negative ? -1 : 1);
    if (sx != sy) return three_way(sx, sy);
    if (sx != 0) {
        int c = compare_decimal_magnitude(x, y);
        if (c != 0) return sx < 0 ? -c : c;
    }
    // Numerically equal: 1.5M before 1.50M.
    return three_way(x.scale, y.scale);
}

int compare_items(ValueRef a, ValueRef b, uint32_t na, uint32_t nb) {
    uint32_t n = std::min(na, nb);
    for (uint32_t i = 0; i < n; ++i) {
        int c = compare(a.item(i), b.item(i));
        if (c != 0) return c;
    }
    return three_way(na, nb);
}

// Out of line so that the recursion through compare() has a small stack frame.
[[gnu::noinline]] int compare_scalars(ValueRef a, ValueRef b, Type t) {
    switch (t) {
        case Type::nil:
            return 0;
        case Type::boolean:
            return three_way(uint8_t(a.tag()), uint8_t(b.tag()));
        case Type::integer:
            return compare_integers(a, b);
        case Type::double_:
            return compare_doubles(a.as_double(), b.as_double());
        case Type::decimal:
            return compare_decimals(a, b);
        case Type::character:
            return three_way(a.as_char(), b.as_char());
        case Type::string:
        case Type::keyword:
        case Type::symbol:
            return compare_bytes(a.as_text(), b.as_text());
        case Type::inst: {
            Inst x = a.as_inst(), y = b.as_inst();
            if (x.seconds != y.seconds) return three_way(x.seconds, y.seconds);
            return three_way(x.nanos, y.nanos);
        }
        case Type::uuid: {
            int c = std::memcmp(a.as_uuid(), b.as_uuid(), 16);
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        default:
            return 0;
    }
}

}  // namespace

int compare(ValueRef a, ValueRef b) {
    // Map keys are mostly keywords or strings: decide those before the general dispatch.
    if (a.tag() == b.tag()) {
        switch (a.tag()) {
            case Tag::keyword:
            case Tag::string:
            case Tag::symbol:
                return compare_bytes(a.as_text(), b.as_text());
            case Tag::integer:
                return three_way(a.as_int(), b.as_int());
            default:
                break;
        }
    }
    Type ta = a.type(), tb = b.type();
    if (ta != tb) return three_way(uint8_t(ta), uint8_t(tb));
    switch (ta) {
        case Type::list:
        case Type::vector:
        case Type::set:
            return compare_items(a, b, a.count(), b.count());
        case Type::map:
            return compare_items(a, b, 2 * a.count(), 2 * b.count());
        case Type::tagged: {
            int c = compare_bytes(a.tag_name(), b.tag_name());
            if (c != 0) return c;
            return compare(a.tagged_value(), b.tagged_value());
        }
        default:
            return compare_scalars(a, b, ta);
    }
}

bool equal(ValueRef a, ValueRef b) {
    size_t n = a.size();
    return n == b.size() && std::memcmp(a.data(), b.data(), n) == 0;
}

}  // namespace persistence::edn
