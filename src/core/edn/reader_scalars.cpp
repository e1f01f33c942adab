// Scalars of the text reader: numbers, strings, characters, keywords, symbols, ##Inf,
// #inst and #uuid. Every function starts at *p_ and leaves p_ after the token.
#include <charconv>
#include <cstring>
#include <limits>

#include "persistence/edn/inst.hpp"
#include "persistence/edn/utf8.hpp"
#include "reader_impl.hpp"

namespace persistence::edn::detail {

namespace {

constexpr const char* bad_text = core::sqlstate::invalid_text_representation;
constexpr const char* out_of_range = core::sqlstate::numeric_value_out_of_range;
constexpr const char* number_hint = "EDN numbers look like 42, -7, 42N, 1.5, -2e10, ##Inf or 1.50M.";
constexpr int64_t max_decimal_scale = 1000000;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool hex4(const char* p, const char* end, uint32_t& out) {
    if (end - p < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        int h = hex_value(p[i]);
        if (h < 0) return false;
        v = v << 4 | uint32_t(h);
    }
    out = v;
    return true;
}

}  // namespace

// int frac? exp? (N | M)?, with int = [+-]? (0 | [1-9][0-9]*) and frac = '.' [0-9]*.
bool Reader::number() {
    const char* start = p_;
    const char* q = p_;
    bool negative = *q == '-';
    if (*q == '-' || *q == '+') ++q;
    const char* int_begin = q;
    while (q < end_ && is_digit(*q)) ++q;
    const char* int_end = q;
    const char *frac_begin = q, *frac_end = q;
    bool is_float = false;
    if (q < end_ && *q == '.') {
        is_float = true;
        frac_begin = ++q;
        while (q < end_ && is_digit(*q)) ++q;
        frac_end = q;
    }
    int64_t exponent = 0;
    const char* float_end = q;
    bool bad = false;
    if (q < end_ && (*q == 'e' || *q == 'E')) {
        is_float = true;
        ++q;
        bool exp_negative = q < end_ && *q == '-';
        if (q < end_ && (*q == '-' || *q == '+')) ++q;
        const char* exp_begin = q;
        while (q < end_ && is_digit(*q)) {
            // Saturate: anything this large is out of range for every number type.
            if (exponent < 1000000000000) exponent = exponent * 10 + (*q - '0');
            ++q;
        }
        if (q == exp_begin) bad = true;
        if (exp_negative) exponent = -exponent;
        float_end = q;
    }
    char suffix = 0;
    if (q < end_ && (*q == 'N' || *q == 'M')) suffix = *q++;
    if (bad || (q < end_ && !is_delim(*q)) || (suffix == 'N' && is_float)) {
        const char* e = token_end(start);
        return fail(bad_text, "invalid number " + shown(start, e) + " at " + where(off(start)), number_hint);
    }
    if (int_end - int_begin > 1 && *int_begin == '0') {
        return fail(bad_text, "invalid number " + shown(start, q) + " at " + where(off(start)),
                    "Numbers have no leading zeros.");
    }
    p_ = q;

    if (suffix == 'M') {
        int64_t scale = int64_t(frac_end - frac_begin) - exponent;
        if (scale > max_decimal_scale || scale < -max_decimal_scale) {
            return fail(out_of_range,
                        "decimal " + shown(start, q) + " is out of range at " + where(off(start)),
                        "The scale of a decimal must be between -1000000 and 1000000.");
        }
        std::string_view digits(int_begin, size_t(int_end - int_begin));
        if (frac_end != frac_begin) {
            scratch_.assign(int_begin, int_end);
            scratch_.append(frac_begin, frac_end);
            digits = scratch_;
        }
        if (!encoded(enc_.decimal(negative, digits, int32_t(scale)))) return false;
        return value_done(off(start));
    }
    if (suffix == 'N') {
        if (!encoded(enc_.bigint(negative, std::string_view(int_begin, size_t(int_end - int_begin)))))
            return false;
        return value_done(off(start));
    }
    // from_chars takes '-' but not '+'.
    const char* parse_begin = negative ? start : int_begin;
    if (!is_float) {
        int64_t v;
        auto r = std::from_chars(parse_begin, int_end, v);
        if (r.ec != std::errc() || r.ptr != int_end) {
            return fail(out_of_range,
                        "integer " + shown(start, q) + " is out of range at " + where(off(start)),
                        "Append N for an arbitrary-precision integer.");
        }
        if (!encoded(enc_.integer(v))) return false;
        return value_done(off(start));
    }
    double d;
    auto r = std::from_chars(parse_begin, float_end, d);
    if (r.ec == std::errc::result_out_of_range) {
        return fail(out_of_range, "double " + shown(start, q) + " is out of range at " + where(off(start)),
                    "Use a decimal (suffix M) for numbers beyond double precision.");
    }
    if (r.ec != std::errc() || r.ptr != float_end) {
        return fail(bad_text, "invalid number " + shown(start, q) + " at " + where(off(start)), number_hint);
    }
    if (!encoded(enc_.real(d))) return false;
    return value_done(off(start));
}

bool Reader::symbolic_value() {
    const char* start = p_;
    const char* e = token_end(p_ + 2);
    std::string_view name(p_ + 2, size_t(e - (p_ + 2)));
    double d;
    if (name == "Inf")
        d = std::numeric_limits<double>::infinity();
    else if (name == "-Inf")
        d = -std::numeric_limits<double>::infinity();
    else if (name == "NaN")
        d = std::numeric_limits<double>::quiet_NaN();
    else {
        return fail(bad_text, "invalid symbolic value " + shown(start, e) + " at " + where(off(start)),
                    "The symbolic values are ##Inf, ##-Inf and ##NaN.");
    }
    p_ = e;
    if (!encoded(enc_.real(d))) return false;
    return value_done(off(start));
}

bool Reader::unicode_escape(size_t at, uint32_t& cp) {
    if (!hex4(p_, end_, cp)) {
        return fail_at(bad_text, "invalid \\u escape", at, "\\u takes exactly four hexadecimal digits.");
    }
    p_ += 4;
    return true;
}

// The string's contents, escapes resolved: a view into the text when there are none.
bool Reader::read_string(std::string_view& out) {
    size_t open_at = off(p_);
    const char* s = ++p_;
    while (p_ < end_ && *p_ != '"' && *p_ != '\\') ++p_;
    if (p_ < end_ && *p_ == '"') {
        out = std::string_view(s, size_t(p_ - s));
        ++p_;
        return true;
    }
    scratch_.assign(s, p_);
    for (;;) {
        if (p_ == end_) {
            return fail(bad_text, "expected '\"' to close the string opened at " + where(open_at));
        }
        char c = *p_;
        if (c == '"') {
            ++p_;
            break;
        }
        if (c != '\\') {
            const char* run = p_;
            while (p_ < end_ && *p_ != '"' && *p_ != '\\') ++p_;
            scratch_.append(run, p_);
            continue;
        }
        size_t at = off(p_);
        if (p_ + 1 == end_) {
            return fail(bad_text, "expected '\"' to close the string opened at " + where(open_at));
        }
        char e = p_[1];
        p_ += 2;
        switch (e) {
            case '"':
                scratch_ += '"';
                break;
            case '\\':
                scratch_ += '\\';
                break;
            case '/':
                scratch_ += '/';
                break;
            case 'n':
                scratch_ += '\n';
                break;
            case 't':
                scratch_ += '\t';
                break;
            case 'r':
                scratch_ += '\r';
                break;
            case 'b':
                scratch_ += '\b';
                break;
            case 'f':
                scratch_ += '\f';
                break;
            case 'u': {
                uint32_t cp;
                if (!unicode_escape(at, cp)) return false;
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail_at(bad_text, "unpaired UTF-16 surrogate in \\u escape", at);
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t low;
                    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u' || !hex4(p_ + 2, end_, low) ||
                        low < 0xDC00 || low > 0xDFFF) {
                        return fail_at(bad_text, "unpaired UTF-16 surrogate in \\u escape", at,
                                       "A high surrogate \\uD800-\\uDBFF must be followed by a low surrogate "
                                       "\\uDC00-\\uDFFF.");
                    }
                    p_ += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                utf8::append(cp, scratch_);
                break;
            }
            default: {
                uint32_t cp;
                size_t len = utf8::decode(reinterpret_cast<const uint8_t*>(text_.data()) + at + 1,
                                          reinterpret_cast<const uint8_t*>(end_), cp);
                return fail(bad_text,
                            "invalid escape " + shown(text_.data() + at, text_.data() + at + 1 + len) +
                                " in a string at " + where(at),
                            "Valid escapes are \\\" \\\\ \\/ \\n \\t \\r \\b \\f and \\uXXXX.");
            }
        }
    }
    out = scratch_;
    return true;
}

bool Reader::string_value() {
    size_t start = off(p_);
    std::string_view s;
    if (!read_string(s)) return false;
    if (!encoded(enc_.string(s))) return false;
    return value_done(start);
}

bool Reader::character() {
    const char* start = p_;
    ++p_;
    if (p_ == end_ || (char_classes.c[uint8_t(*p_)] & blank)) {
        return fail(bad_text,
                    "expected a character after '\\', found " + found(off(p_)) + " at " + where(off(start)),
                    "Write \\space, \\tab, \\newline or \\return for whitespace characters.");
    }
    const char* tok = p_;
    uint32_t cp;
    size_t len =
        utf8::decode(reinterpret_cast<const uint8_t*>(p_), reinterpret_cast<const uint8_t*>(end_), cp);
    const char* after_first = p_ + len;
    // A delimiter right after the backslash is the character itself: \( \" \; \,
    p_ = is_delim(*p_) ? after_first : token_end(p_);
    std::string_view name(tok, size_t(p_ - tok));
    bool ok = true;
    if (p_ == after_first) {
        // cp is the character
    } else if (name == "newline")
        cp = '\n';
    else if (name == "return")
        cp = '\r';
    else if (name == "space")
        cp = ' ';
    else if (name == "tab")
        cp = '\t';
    else if (name == "formfeed")
        cp = '\f';
    else if (name == "backspace")
        cp = '\b';
    else if (name.size() == 5 && name[0] == 'u' && hex4(tok + 1, p_, cp))
        ok = utf8::is_scalar(cp);
    else
        ok = false;
    if (ok && p_ < end_ && !is_delim(*p_)) ok = false;
    if (!ok) {
        const char* e = token_end(p_);
        return fail(bad_text, "invalid character literal " + shown(start, e) + " at " + where(off(start)),
                    "A character is \\ followed by one character, \\uXXXX (not a surrogate), or one of "
                    "\\newline \\return \\space \\tab \\formfeed \\backspace.");
    }
    if (!encoded(enc_.character(cp))) return false;
    return value_done(off(start));
}

bool Reader::keyword() {
    const char* start = p_;
    const char* e = token_end(p_ + 1);
    std::string_view name(p_ + 1, size_t(e - (p_ + 1)));
    p_ = e;
    // The Encoder checks the syntax; only the message needs the position.
    if (!enc_.keyword(name)) {
        if (enc_.error().code != bad_text) return encoded(false);
        return fail(bad_text, "invalid keyword " + shown(start, e) + " at " + where(off(start)),
                    "A keyword is ':' followed by a symbol name, e.g. :name or :ns/name.");
    }
    return value_done(off(start));
}

bool Reader::symbol() {
    const char* start = p_;
    const char* e = token_end(p_);
    std::string_view tok(p_, size_t(e - p_));
    p_ = e;
    bool ok;
    if (tok == "nil")
        ok = enc_.nil();
    else if (tok == "true")
        ok = enc_.boolean(true);
    else if (tok == "false")
        ok = enc_.boolean(false);
    else
        ok = enc_.symbol(tok);  // checks the syntax
    if (!ok) {
        if (enc_.error().code != bad_text) return encoded(false);
        return fail(
            bad_text, "invalid token " + shown(start, e) + " at " + where(off(start)),
            "Symbols start with a letter or one of . * + ! - _ ? $ % & = < > and contain at most one '/'.");
    }
    return value_done(off(start));
}

bool Reader::inst_or_uuid(bool is_inst, size_t start) {
    const char* tag = is_inst ? "#inst" : "#uuid";
    skip_space();
    size_t at = off(p_);
    if (p_ == end_ || *p_ != '"') {
        return fail(bad_text, std::string("expected a string after ") + tag + ", found " + found(at) +
                                  " at " + where(at));
    }
    std::string_view s;
    if (!read_string(s)) return false;
    if (is_inst) {
        Inst t;
        core::Status st = parse_rfc3339(s, t);
        if (!st) {
            return fail(st.error().code.c_str(), st.error().message + " at " + where(at), st.error().hint);
        }
        if (!encoded(enc_.inst(t))) return false;
        return value_done(start);
    }
    uint8_t bytes[16];
    bool ok = s.size() == 36;
    for (size_t i = 0, j = 0; ok && i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            ok = s[i] == '-';
            continue;
        }
        int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
        ok = hi >= 0 && lo >= 0;
        if (ok) bytes[j++] = uint8_t(hi << 4 | lo);
        ++i;
    }
    if (!ok) {
        std::string_view head = utf8::prefix(s, 64);
        return fail(bad_text,
                    "invalid #uuid \"" + std::string(head) + (head.size() < s.size() ? "..." : "") +
                        "\" at " + where(at),
                    "A uuid is 8-4-4-4-12 hexadecimal digits, e.g. "
                    "#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\".");
    }
    if (!encoded(enc_.uuid(bytes))) return false;
    return value_done(start);
}

}  // namespace persistence::edn::detail
