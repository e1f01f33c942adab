// The deterministic random source of spec::generate(): xoshiro256** seeded through
// splitmix64, with integer-only helpers. std::mt19937 is deterministic but the standard
// distributions are not (each standard library draws differently), so generated values
// would differ between platforms; this never uses them, nor floating point.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>

namespace persistence::spec {

class Rng {
   public:
    explicit Rng(uint64_t seed) {
        for (uint64_t& word : s_) word = splitmix64(seed);
    }

    uint64_t next() {
        uint64_t result = rotl(s_[1] * 5, 7) * 9;
        uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    // Uniform in [0, n) for n > 0, without modulo bias (rejection).
    uint64_t below(uint64_t n) {
        uint64_t threshold = (0 - n) % n;
        for (;;) {
            uint64_t r = next();
            if (r >= threshold) return r % n;
        }
    }

    // Uniform in [lo, hi] (inclusive; lo <= hi), over the whole int64 range if asked.
    int64_t between(int64_t lo, int64_t hi) {
        uint64_t span = uint64_t(hi) - uint64_t(lo);
        uint64_t r = span == UINT64_MAX ? next() : below(span + 1);
        return int64_t(uint64_t(lo) + r);
    }

    bool chance(unsigned percent) { return below(100) < percent; }

   private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static uint64_t splitmix64(uint64_t& state) {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint64_t s_[4];
};

}  // namespace persistence::spec
