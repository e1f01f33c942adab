// UTF-8 helpers shared by the reader, the Encoder, validate() and the printer.
//
// "Valid" is RFC 3629: shortest form only, no UTF-16 surrogates, nothing above U+10FFFF.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace persistence::edn::utf8 {

inline bool is_scalar(uint32_t cp) { return cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF); }

// Decodes the code point starting at p (p < end). Returns its length (1..4), or 0 when
// the bytes there are not valid UTF-8.
size_t decode(const uint8_t* p, const uint8_t* end, uint32_t& cp);

// Offset of the first byte of the first invalid sequence, or s.size() if s is valid.
size_t find_invalid(std::string_view s);
inline bool valid(std::string_view s) { return find_invalid(s) == s.size(); }

// Appends the UTF-8 form of a scalar value.
void append(uint32_t cp, std::string& out);

// Number of code points of valid UTF-8 text.
size_t count(std::string_view s);

// The longest prefix of valid UTF-8 text with at most max_chars code points.
std::string_view prefix(std::string_view s, size_t max_chars);

}  // namespace persistence::edn::utf8
