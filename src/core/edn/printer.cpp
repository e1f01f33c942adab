#include "persistence/edn/printer.hpp"

#include <charconv>

#include "persistence/edn/inst.hpp"
#include "persistence/edn/utf8.hpp"

namespace persistence::edn {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

template <typename T>
void append_number(T v, std::string& out) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, size_t(r.ptr - buf));
}

void append_u_escape(uint32_t cp, std::string& out) {
    static constexpr char upper[] = "0123456789ABCDEF";
    char b[6] = {'\\',          'u', upper[(cp >> 12) & 15], upper[(cp >> 8) & 15], upper[(cp >> 4) & 15],
                 upper[cp & 15]};
    out.append(b, 6);
}

void append_padded(unsigned v, int width, std::string& out) {
    char b[16];
    for (int i = width - 1; i >= 0; --i) {
        b[i] = char('0' + v % 10);
        v /= 10;
    }
    out.append(b, size_t(width));
}

void print_double(double d, std::string& out) {
    if (d != d) {
        out += "##NaN";
        return;
    }
    if (d == __builtin_inf()) {
        out += "##Inf";
        return;
    }
    if (d == -__builtin_inf()) {
        out += "##-Inf";
        return;
    }
    size_t start = out.size();
    append_number(d, out);
    // Shortest form may look like an integer ("1", "123456789012345683968"); keep it a double.
    if (out.find_first_of(".e", start) == std::string::npos) out += ".0";
}

void print_decimal(DecimalParts d, std::string& out) {
    if (d.scale >= 0) {
        format_decimal_plain(d, out);
    } else {
        if (d.negative) out += '-';
        out += d.digits;
        out += "E+";
        append_number(-int64_t(d.scale), out);
    }
    out += 'M';
}

void print_char(uint32_t c, std::string& out) {
    out += '\\';
    switch (c) {
        case '\n':
            out += "newline";
            return;
        case '\r':
            out += "return";
            return;
        case ' ':
            out += "space";
            return;
        case '\t':
            out += "tab";
            return;
        case '\f':
            out += "formfeed";
            return;
        case '\b':
            out += "backspace";
            return;
        default:
            break;
    }
    // Control characters would be invisible or swallowed as whitespace when read back.
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
        out.pop_back();
        append_u_escape(c, out);
        return;
    }
    utf8::append(c, out);
}

void print_string(std::string_view s, std::string& out) {
    out += '"';
    size_t run = 0;  // start of the pending run of bytes that need no escape
    for (size_t i = 0; i < s.size(); ++i) {
        uint8_t c = uint8_t(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                append_u_escape(c, out);
                break;
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

void print_items(ValueRef v, uint32_t n, std::string& out) {
    for (uint32_t i = 0; i < n; ++i) {
        if (i) out += ' ';
        print(v.item(i), out);
    }
}

}  // namespace

void format_inst(Inst t, std::string& out) {
    int64_t days = t.seconds / 86400;
    int64_t secs = t.seconds % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    int64_t year;
    unsigned month, day;
    civil_from_days(days, year, month, day);
    append_padded(unsigned(year), 4, out);
    out += '-';
    append_padded(month, 2, out);
    out += '-';
    append_padded(day, 2, out);
    out += 'T';
    append_padded(unsigned(secs / 3600), 2, out);
    out += ':';
    append_padded(unsigned(secs / 60 % 60), 2, out);
    out += ':';
    append_padded(unsigned(secs % 60), 2, out);
    out += '.';
    // Milliseconds always; micro- or nanoseconds only when the value needs them.
    if (t.nanos % 1000000 == 0)
        append_padded(t.nanos / 1000000, 3, out);
    else if (t.nanos % 1000 == 0)
        append_padded(t.nanos / 1000, 6, out);
    else
        append_padded(t.nanos, 9, out);
    out += 'Z';
}

void format_decimal_plain(DecimalParts d, std::string& out) {
    if (d.negative) out += '-';
    if (d.scale <= 0) {
        out += d.digits;
        if (d.digits != "0") out.append(size_t(-int64_t(d.scale)), '0');
        return;
    }
    size_t scale = size_t(d.scale);
    if (d.digits.size() > scale) {
        out.append(d.digits.substr(0, d.digits.size() - scale));
        out += '.';
        out.append(d.digits.substr(d.digits.size() - scale));
    } else {
        out += "0.";
        out.append(scale - d.digits.size(), '0');
        out += d.digits;
    }
}

void format_uuid(const uint8_t* b, std::string& out) {
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex_digits[b[i] >> 4];
        out += hex_digits[b[i] & 15];
    }
}

namespace {

// Kept out of line so that the recursion through print() has a small stack frame.
[[gnu::noinline]] void print_scalar(ValueRef v, std::string& out) {
    switch (v.tag()) {
        case Tag::nil:
            out += "nil";
            return;
        case Tag::false_:
            out += "false";
            return;
        case Tag::true_:
            out += "true";
            return;
        case Tag::integer:
            append_number(v.as_int(), out);
            return;
        case Tag::bigint: {
            BigintParts b = v.as_bigint();
            if (b.negative) out += '-';
            out += b.digits;
            out += 'N';
            return;
        }
        case Tag::double_:
            print_double(v.as_double(), out);
            return;
        case Tag::decimal:
            print_decimal(v.as_decimal(), out);
            return;
        case Tag::character:
            print_char(v.as_char(), out);
            return;
        case Tag::string:
            print_string(v.as_text(), out);
            return;
        case Tag::keyword:
            out += ':';
            out += v.as_text();
            return;
        case Tag::symbol:
            out += v.as_text();
            return;
        case Tag::inst:
            out += "#inst \"";
            format_inst(v.as_inst(), out);
            out += '"';
            return;
        case Tag::uuid:
            out += "#uuid \"";
            format_uuid(v.as_uuid(), out);
            out += '"';
            return;
        default:
            return;
    }
}

}  // namespace

void print(ValueRef v, std::string& out) {
    switch (v.tag()) {
        case Tag::list:
            out += '(';
            print_items(v, v.count(), out);
            out += ')';
            return;
        case Tag::vector:
            out += '[';
            print_items(v, v.count(), out);
            out += ']';
            return;
        case Tag::map:
            out += '{';
            print_items(v, 2 * v.count(), out);
            out += '}';
            return;
        case Tag::set:
            out += "#{";
            print_items(v, v.count(), out);
            out += '}';
            return;
        case Tag::tagged:
            out += '#';
            out += v.tag_name();
            out += ' ';
            print(v.tagged_value(), out);
            return;
        default:
            print_scalar(v, out);
            return;
    }
}

std::string to_string(ValueRef v) {
    std::string out;
    print(v, out);
    return out;
}

}  // namespace persistence::edn
