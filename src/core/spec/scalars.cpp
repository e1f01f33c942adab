#include "scalars.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "persistence/edn/inst.hpp"
#include "persistence/edn/symbol.hpp"

namespace persistence::spec::detail {

namespace {

bool digits_only(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool parse_integer(std::string_view s, edn::Encoder& out) {
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    if (!digits_only(s)) return false;
    return out.bigint(negative, s);
}

bool parse_double(std::string_view s, edn::Encoder& out) {
    // [+-]? digits [. digits]? ([eE] [+-]? digits)? or [+-]? . digits ...: checked by hand
    // so that from_chars (locale-free) never sees inf, nan or hex floats.
    std::string_view body = s;
    if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
    size_t i = 0, int_digits = 0, frac_digits = 0;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++int_digits;
    if (i < body.size() && body[i] == '.') {
        ++i;
        while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++frac_digits;
    }
    if (int_digits + frac_digits == 0) return false;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
        size_t exp_digits = 0;
        while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++exp_digits;
        if (exp_digits == 0) return false;
    }
    if (i != body.size()) return false;
    std::string text(s[0] == '+' ? s.substr(1) : s);
    double d = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), d);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || !std::isfinite(d)) return false;
    return out.real(d);
}

bool parse_boolean(std::string_view s, edn::Encoder& out) {
    if (s != "true" && s != "false") return false;
    return out.boolean(s == "true");
}

bool parse_keyword(std::string_view s, edn::Encoder& out) {
    if (!s.empty() && s[0] == ':') s.remove_prefix(1);
    return edn::valid_keyword(s) && out.keyword(s);
}

bool parse_symbol(std::string_view s, edn::Encoder& out) { return edn::valid_symbol(s) && out.symbol(s); }

bool parse_uuid(std::string_view s, edn::Encoder& out) {
    if (s.size() != 36) return false;
    uint8_t bytes[16];
    size_t b = 0;
    for (size_t i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
            ++i;
            continue;
        }
        int hi = hex(s[i]), lo = hex(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        bytes[b++] = uint8_t(hi << 4 | lo);
        i += 2;
    }
    return out.uuid(bytes);
}

bool parse_inst(std::string_view s, edn::Encoder& out) {
    edn::Inst t;
    if (!edn::parse_rfc3339(s, t).ok()) return false;
    return out.inst(t);
}

bool integral(edn::ValueRef v, edn::Encoder& out) {
    if (v.tag() == edn::Tag::double_) {
        double d = v.as_double();
        // 2^63 is exact as a double; the range check keeps the cast defined.
        if (!std::isfinite(d) || d != std::trunc(d) || d < -9223372036854775808.0 ||
            d >= 9223372036854775808.0)
            return false;
        return out.integer(int64_t(d));
    }
    if (v.tag() != edn::Tag::decimal) return false;
    edn::DecimalParts p = v.as_decimal();
    std::string digits(p.digits);
    if (p.scale > 0) {
        size_t scale = size_t(p.scale);
        if (digits == "0") return out.integer(0);
        if (scale >= digits.size()) return false;
        if (digits.find_first_not_of('0', digits.size() - scale) != std::string::npos) return false;
        digits.resize(digits.size() - scale);
    } else if (digits != "0") {
        // 1E+30M is an integer, but not one worth writing out beyond a few hundred digits.
        if (-int64_t(p.scale) > 400) return false;
        digits.append(size_t(-int64_t(p.scale)), '0');
    }
    return out.bigint(p.negative && digits != "0", digits);
}

bool names_literal(edn::ValueRef literal, std::string_view text) {
    switch (literal.tag()) {
        case edn::Tag::keyword: {
            std::string_view k = literal.as_text();
            return text == k || (text.size() == k.size() + 1 && text[0] == ':' && text.substr(1) == k);
        }
        case edn::Tag::symbol:
            return text == literal.as_text();
        case edn::Tag::integer:
            return text == std::to_string(literal.as_int());
        case edn::Tag::true_:
            return text == "true";
        case edn::Tag::false_:
            return text == "false";
        default:
            return false;
    }
}

}  // namespace persistence::spec::detail
