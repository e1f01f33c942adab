// A working copy of the live pieces of one (e, a), and the operations the planner applies
// to it (model.hpp has the rules). Private to src/core/fact.
#pragma once

#include <string_view>
#include <vector>

#include "persistence/fact/model.hpp"

namespace persistence::fact::detail {

// A piece in a working copy. The views point into storage that outlives the plan: the
// pieces read from the store, or the transaction's own operations.
struct WorkPiece {
    Digest vhash{};
    Interval valid;
    std::string_view value;  // the encoded value when the transaction supplied it, else empty
    std::string_view ref;
};
using WorkPieces = std::vector<WorkPiece>;

// add v over p.valid. Cardinality one: every piece overlapping the interval goes; the parts
// of other values' pieces outside it come back; pieces of v overlapping it merge with it
// into one piece (their hull). Cardinality many: the same, but only pieces of v count.
// Returns false (and changes nothing) when a piece of v already covers the interval.
bool add_piece(WorkPieces& pieces, const WorkPiece& p, bool many);

// Removes the pieces of v (every value when v is null) that overlap `over` and re-adds
// their parts outside it. Returns whether anything changed.
bool retract_pieces(WorkPieces& pieces, const Digest* v, Interval over);

// The piece containing t (a cardinality-one working copy has at most one), or null.
const WorkPiece* piece_at(const WorkPieces& pieces, Micros t);

// Total order on pieces by (vhash, from, to): the identity a retraction cancels.
inline bool key_less(const Digest& av, const Interval& ai, const Digest& bv, const Interval& bi) {
    if (av != bv) return av < bv;
    if (ai.from != bi.from) return ai.from < bi.from;
    return ai.to < bi.to;
}

}  // namespace persistence::fact::detail
