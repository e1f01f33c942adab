// Reading the log of one (e, a): the datoms arrive newest transaction first (descending
// tx; any order inside one tx) and a collector decides when it has seen enough, so a read
// touches only the recent end of a long history (model.hpp has the rules).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <string>
#include <vector>

#include "persistence/fact/model.hpp"

namespace persistence::fact {

namespace detail {
// Positions in a growing vector found by a 64-bit hash plus an equality test: a linear
// scan over the hashes while small, chained buckets once larger (a long cardinality-many
// history must not cost a quadratic number of comparisons).
class HashIndex {
   public:
    static constexpr uint32_t npos = UINT32_MAX;
    template <class Eq>
    uint32_t find(uint64_t h, Eq&& eq) const {
        if (buckets_.empty()) {
            for (uint32_t i = 0; i < hashes_.size(); ++i)
                if (hashes_[i] == h && eq(i)) return i;
            return npos;
        }
        for (uint32_t i = buckets_[h & (buckets_.size() - 1)]; i != npos; i = next_[i])
            if (hashes_[i] == h && eq(i)) return i;
        return npos;
    }
    void push(uint64_t h);  // the next position, hashed as h

   private:
    void rebuild(size_t buckets);
    std::vector<uint64_t> hashes_;
    std::vector<uint32_t> next_;
    std::vector<uint32_t> buckets_;
};
}  // namespace detail

// The live pieces of one (e, a) that overlap `region`, as of everything fed.
// Cardinality one can stop early: once the union of the intervals of all datoms fed
// covers `region` and a datom of an older tx arrives, nothing older can be live inside
// the region (the pieces never overlap). Cardinality many needs the whole history.
class LivePieces {
   public:
    LivePieces(Interval region, bool many);
    // Feed the next datom; returns false when no older datom can change the answer
    // (the datom given with that false is ignored and the caller stops scanning).
    bool feed(const StoredDatom& d);
    // Live pieces overlapping the region (any order).
    std::vector<Piece> pieces() const;

   private:
    struct Entry {
        Digest vhash;
        Interval valid;
        int64_t tx;       // the tx of the datom that decided
        bool live;
        std::string ref;  // of the deciding assertion
    };
    void note_seen(Interval i);

    Interval region_;
    bool many_;
    bool started_ = false;
    bool covered_ = false;     // the intervals fed cover region_
    int64_t tx_ = 0;           // tx of the last datom fed
    std::vector<Interval> seen_;  // union of the intervals fed, clipped to region_, sorted
    std::vector<Entry> entries_;  // one per (vhash, from, to) seen
    detail::HashIndex index_;
};

// The values of one (e, a) at valid instant `at`, as of everything fed (the caller feeds
// only datoms with tx ≤ the as-of tx). Cardinality one stops after the newest tx that has a
// datom containing `at`.
class ValuesAt {
   public:
    ValuesAt(Micros at, bool many);
    bool feed(const StoredDatom& d);   // false: stop, as for LivePieces
    // The deciding assertion of each present value, as a Piece (any order).
    std::vector<Piece> values() const;

   private:
    struct Entry {
        Piece piece;  // the deciding datom (tx, interval, ref)
        bool live;
    };
    Micros at_;
    bool many_;
    bool started_ = false;
    bool found_ = false;  // some datom fed contains at_
    int64_t tx_ = 0;
    std::vector<Entry> entries_;  // one per value seen
    detail::HashIndex index_;
};

}  // namespace persistence::fact
