#include <cstring>

#include "persistence/datom/datom.hpp"

namespace persistence::datom {

namespace {

void put_be32(std::string& out, uint32_t v) {
    char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    out.append(b, 4);
}

void put_be64(std::string& out, uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = char(v >> (56 - 8 * i));
    out.append(b, 8);
}

}  // namespace

void canonical_bytes(std::string_view e, std::string_view a, const hash::Digest& value_hash, int64_t tx,
                     Micros valid_from, Micros valid_to, bool is_assert, std::string& out) {
    out.clear();
    out.reserve(1 + 4 + e.size() + 4 + a.size() + 32 + 3 * 8 + 1);
    out.push_back(char(0x01));
    // Lengths are u32: callers hold e and a far below 4 GiB (PostgreSQL text is < 1 GiB).
    put_be32(out, uint32_t(e.size()));
    out.append(e.data(), e.size());
    put_be32(out, uint32_t(a.size()));
    out.append(a.data(), a.size());
    out.append(reinterpret_cast<const char*>(value_hash.data()), value_hash.size());
    put_be64(out, uint64_t(tx));
    put_be64(out, uint64_t(valid_from));
    put_be64(out, uint64_t(valid_to));
    out.push_back(is_assert ? char(0x01) : char(0x00));
}

hash::Digest datom_hash(std::string_view e, std::string_view a, const hash::Digest& value_hash, int64_t tx,
                        Micros valid_from, Micros valid_to, bool is_assert) {
    // The write path hashes datoms in bulk: typical ones fit a stack buffer, so hashing
    // allocates nothing (no static buffer: STYLE.md §1 forbids static C++ objects).
    constexpr size_t fixed = 1 + 4 + 4 + 32 + 3 * 8 + 1;
    uint8_t small[512];
    size_t n = fixed + e.size() + a.size();
    if (n > sizeof small) {
        std::string buf;
        canonical_bytes(e, a, value_hash, tx, valid_from, valid_to, is_assert, buf);
        return hash::sha256(buf.data(), buf.size());
    }
    uint8_t* p = small;
    auto be = [&p](uint64_t v, int bytes) {
        for (int i = bytes - 1; i >= 0; --i) *p++ = uint8_t(v >> (8 * i));
    };
    *p++ = 0x01;
    be(e.size(), 4);
    if (!e.empty()) std::memcpy(p, e.data(), e.size());
    p += e.size();
    be(a.size(), 4);
    if (!a.empty()) std::memcpy(p, a.data(), a.size());
    p += a.size();
    std::memcpy(p, value_hash.data(), 32);
    p += 32;
    be(uint64_t(tx), 8);
    be(uint64_t(valid_from), 8);
    be(uint64_t(valid_to), 8);
    *p++ = is_assert ? 0x01 : 0x00;
    return hash::sha256(small, size_t(p - small));
}

}  // namespace persistence::datom
