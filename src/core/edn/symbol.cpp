#include "persistence/edn/symbol.hpp"

#include <cstdint>

namespace persistence::edn {

namespace {

enum : uint8_t { start = 1, constituent = 2, digit = 4, letter = 8 };

struct Classes {
    uint8_t c[256] = {};
    constexpr Classes() {
        for (int i = 'a'; i <= 'z'; ++i) c[i] = start | constituent | letter;
        for (int i = 'A'; i <= 'Z'; ++i) c[i] = start | constituent | letter;
        for (int i = 0x80; i < 256; ++i) c[i] = start | constituent;  // any non-ASCII code point
        for (char s : {'.', '*', '+', '!', '-', '_', '?', '$', '%', '&', '=', '<', '>'})
            c[uint8_t(s)] = start | constituent;
        for (int i = '0'; i <= '9'; ++i) c[i] = constituent | digit;
        for (char s : {'#', ':', '\''}) c[uint8_t(s)] = constituent;
    }
};
constexpr Classes classes{};

bool valid_part(const uint8_t* s, size_t n) {
    if (n == 0 || !(classes.c[s[0]] & start)) return false;
    // "-1", "+1" and ".5" read as numbers (or not at all), never as symbols.
    if ((s[0] == '-' || s[0] == '+' || s[0] == '.') && n > 1 && (classes.c[s[1]] & digit)) return false;
    for (size_t i = 1; i < n; ++i) {
        if (!(classes.c[s[i]] & constituent)) return false;
    }
    return true;
}

bool valid_name(std::string_view text) {
    const uint8_t* s = reinterpret_cast<const uint8_t*>(text.data());
    size_t n = text.size();
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '/') return valid_part(s, i) && valid_part(s + i + 1, n - i - 1);
    }
    return valid_part(s, n);
}

}  // namespace

bool valid_symbol(std::string_view text) {
    if (text.size() <= 5) {
        if (text == "/") return true;
        if (text == "nil" || text == "true" || text == "false") return false;
    }
    return valid_name(text);
}

bool valid_keyword(std::string_view text) { return valid_name(text); }

bool valid_tag(std::string_view text) {
    if (text.empty() || !(classes.c[uint8_t(text[0])] & letter)) return false;
    if (text == "inst" || text == "uuid") return false;
    return valid_symbol(text);
}

}  // namespace persistence::edn
