// Shared helpers for the EDN unit tests.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "persistence/edn/compare.hpp"
#include "persistence/edn/encoder.hpp"
#include "persistence/edn/printer.hpp"
#include "persistence/edn/reader.hpp"
#include "persistence/edn/validate.hpp"

namespace edn_test {

namespace edn = persistence::edn;

inline edn::ValueRef vref(const std::string& bytes) {
    return edn::ValueRef(reinterpret_cast<const uint8_t*>(bytes.data()));
}

// Reads text that must be valid; fails the test with the error otherwise.
inline std::string rd(const std::string& text, const edn::Limits& limits = {}) {
    auto r = edn::read(text, limits);
    INFO("text: " << text);
    if (!r) INFO("error: " << r.error().code << " " << r.error().message);
    REQUIRE(r.ok());
    return r.take();
}

// Canonical text of the value the text reads as.
inline std::string pr(const std::string& text) { return edn::to_string(vref(rd(text))); }

inline persistence::core::Error err(const std::string& text, const edn::Limits& limits = {}) {
    auto r = edn::read(text, limits);
    INFO("text: " << text);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

inline bool valid(const std::string& bytes, const edn::Limits& limits = {}) {
    return edn::validate(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), limits).ok();
}

inline std::string to_hex(const std::string& bytes) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

inline std::string from_hex(const std::string& hex) {
    std::string out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    std::string digits;
    for (char c : hex) {
        if (c != ' ') digits += c;
    }
    for (size_t i = 0; i + 1 < digits.size(); i += 2)
        out += char(nibble(digits[i]) << 4 | nibble(digits[i + 1]));
    return out;
}

inline int cmp(const std::string& a, const std::string& b) { return edn::compare(vref(rd(a)), vref(rd(b))); }

}  // namespace edn_test
