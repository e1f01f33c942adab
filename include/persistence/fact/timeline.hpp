// Reading the log of one (e, a): the datoms arrive newest transaction first (descending
// tx; any order inside one tx) and a collector decides when it has seen enough, so a read
// touches only the recent end of a long history (model.hpp has the rules).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <vector>

#include "persistence/fact/model.hpp"

namespace persistence::fact {

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
};

}  // namespace persistence::fact
