#include "common.hpp"

#include "persistence/edn/inst.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/utf8.hpp"

namespace persistence::fact::detail {

bool inst_to_micros(edn::Inst t, Micros& out) {
    if (t.nanos % 1000 != 0) return false;
    // Years 0000..9999 are about ±3.2e17 µs: no overflow.
    out = t.seconds * 1000000 + int64_t(t.nanos / 1000);
    return true;
}

edn::Inst micros_to_inst(Micros m) {
    int64_t s = m / 1000000, r = m % 1000000;
    if (r < 0) {
        r += 1000000;
        s -= 1;
    }
    return edn::Inst{s, uint32_t(r) * 1000u};
}

std::string format_micros(Micros m) {
    if (m == open_end) return "open";
    edn::Inst t = micros_to_inst(m);
    if (!edn::inst_in_range(t)) return std::to_string(m) + "us";
    std::string out;
    edn::format_inst(t, out);
    return out;
}

namespace {

std::string cut(std::string text, size_t max_chars) {
    if (text.size() <= max_chars) return text;
    std::string_view head = edn::utf8::prefix(text, max_chars);
    if (head.size() == text.size()) return text;
    std::string out(head);
    out += "...";
    return out;
}

}  // namespace

std::string printed(edn::ValueRef v, size_t max_chars) { return cut(edn::to_string(v), max_chars); }

std::string printed_bytes(std::string_view encoded, size_t max_chars) {
    return printed(view(encoded), max_chars);
}

std::string a_type(edn::ValueRef v) {
    edn::Type t = v.type();
    if (t == edn::Type::nil) return "nil";
    if (t == edn::Type::tagged) return "a tagged value";
    std::string name = edn::type_name(t);
    return (name[0] == 'i' ? "an " : "a ") + name;
}

std::string quoted(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
    return cut(std::move(out), 200);
}

bool parse_uuid(std::string_view text, uint8_t out[16]) {
    if (text.size() != 36) return false;
    int n = 0;
    for (size_t i = 0; i < 36; ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
            continue;
        }
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return false;
        if (n % 2 == 0)
            out[n / 2] = uint8_t(d << 4);
        else
            out[n / 2] |= uint8_t(d);
        ++n;
    }
    return true;
}

}  // namespace persistence::fact::detail
