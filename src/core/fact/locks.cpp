// Lock keys: SHA-256 over a tag byte and u32-length-prefixed parts (planner.hpp). The
// lengths are big-endian, as in the datom's canonical bytes.
#include "locks.hpp"

#include <algorithm>
#include <cstring>

namespace persistence::fact {

namespace {

// Hashes tag ‖ len(a) ‖ a ‖ len(b) ‖ b in one call; a stack buffer serves the usual sizes.
Digest key_of(char tag, std::string_view a, std::string_view b, bool two) {
    size_t n = 1 + 4 + a.size() + (two ? 4 + b.size() : 0);
    char stack[256];
    std::string heap;
    char* buf = stack;
    if (n > sizeof stack) {
        heap.resize(n);
        buf = heap.data();
    }
    size_t at = 0;
    buf[at++] = tag;
    auto part = [&](std::string_view s) {
        uint32_t len = uint32_t(s.size());
        buf[at++] = char(len >> 24);
        buf[at++] = char(len >> 16);
        buf[at++] = char(len >> 8);
        buf[at++] = char(len);
        if (!s.empty()) std::memcpy(buf + at, s.data(), s.size());
        at += s.size();
    };
    part(a);
    if (two) part(b);
    return hash::sha256(buf, n);
}

}  // namespace

Digest lock_key_ea(std::string_view e, std::string_view a) { return key_of('A', e, a, true); }

Digest lock_key_entity(std::string_view e) { return key_of('E', e, {}, false); }

Digest lock_key_unique(std::string_view a, const Digest& vhash) {
    return key_of('U', a, std::string_view(reinterpret_cast<const char*>(vhash.data()), vhash.size()), true);
}

namespace detail {

void normalize_locks(std::vector<LockRequest>& locks) {
    std::sort(locks.begin(), locks.end(), [](const LockRequest& x, const LockRequest& y) {
        if (x.key != y.key) return x.key < y.key;
        return x.exclusive && !y.exclusive;  // exclusive first, so unique() keeps it
    });
    locks.erase(std::unique(locks.begin(), locks.end(),
                            [](const LockRequest& x, const LockRequest& y) { return x.key == y.key; }),
                locks.end());
}

}  // namespace detail

}  // namespace persistence::fact
