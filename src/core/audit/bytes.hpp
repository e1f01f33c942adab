// Big-endian integers and lower-case hex for the audit module's byte formats and export
// lines. Internal to src/core/audit: the formats are documented in docs/audit.md.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace persistence::audit::bytes {

inline uint8_t* put_be(uint8_t* p, uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) *p++ = uint8_t(v >> (8 * i));
    return p;
}

inline void append_be(std::string& out, uint64_t v, int width) {
    uint8_t b[8];
    put_be(b, v, width);
    out.append(reinterpret_cast<const char*>(b), size_t(width));
}

inline void append_raw(std::string& out, const void* data, size_t n) {
    out.append(static_cast<const char*>(data), n);
}

inline void append_hex(std::string& out, const void* data, size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    const auto* p = static_cast<const uint8_t*>(data);
    size_t at = out.size();
    out.resize(at + 2 * n);
    for (size_t i = 0; i < n; ++i) {
        out[at + 2 * i] = digits[p[i] >> 4];
        out[at + 2 * i + 1] = digits[p[i] & 15];
    }
}

// -1 for anything but 0-9, a-f (upper case is not accepted: the formats write lower case,
// so an upper-case digit is a sign of a hand-edited or foreign file).
inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

// Decodes exactly n bytes from 2n hex digits; false on any other length or digit.
inline bool decode_hex(std::string_view hex, uint8_t* out, size_t n) {
    if (hex.size() != 2 * n) return false;
    for (size_t i = 0; i < n; ++i) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = uint8_t(hi << 4 | lo);
    }
    return true;
}

// Decodes any even number of hex digits, appending to out.
inline bool decode_hex_append(std::string_view hex, std::string& out) {
    if (hex.size() % 2) return false;
    size_t at = out.size();
    out.resize(at + hex.size() / 2);
    return decode_hex(hex, reinterpret_cast<uint8_t*>(&out[at]), hex.size() / 2);
}

}  // namespace persistence::audit::bytes
