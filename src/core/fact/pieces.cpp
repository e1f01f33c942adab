#include "pieces.hpp"

#include "common.hpp"

namespace persistence::fact::detail {

namespace {

// Removes pieces[i] by moving the last piece into its place (order does not matter).
void remove_at(WorkPieces& pieces, size_t i) {
    if (i + 1 != pieces.size()) pieces[i] = pieces.back();
    pieces.pop_back();
}

// Appends the parts of `p` that lie outside `cut` (zero, one or two pieces).
void push_outside(WorkPieces& pieces, const WorkPiece& p, Interval cut) {
    if (p.valid.from < cut.from) {
        WorkPiece left = p;
        left.valid.to = cut.from;
        pieces.push_back(left);
    }
    if (cut.to < p.valid.to) {
        WorkPiece right = p;
        right.valid.from = cut.to;
        pieces.push_back(right);
    }
}

}  // namespace

bool add_piece(WorkPieces& pieces, const WorkPiece& p, bool many) {
    for (const WorkPiece& q : pieces)
        if (q.vhash == p.vhash && q.valid.covers(p.valid)) return false;
    WorkPiece merged = p;
    // Pieces re-added by push_outside never overlap p.valid, so the loop passes over them.
    for (size_t i = 0; i < pieces.size();) {
        const WorkPiece q = pieces[i];
        bool same = q.vhash == p.vhash;
        if (!q.valid.overlaps(p.valid) || (many && !same)) {
            ++i;
            continue;
        }
        remove_at(pieces, i);
        if (same) {
            merged.valid = hull(merged.valid, q.valid);
            if (merged.value.empty()) merged.value = q.value;
        } else {
            push_outside(pieces, q, p.valid);
        }
    }
    pieces.push_back(merged);
    return true;
}

bool retract_pieces(WorkPieces& pieces, const Digest* v, Interval over) {
    bool changed = false;
    size_t n = pieces.size();  // re-added parts are appended and never overlap `over`
    for (size_t i = 0; i < n;) {
        const WorkPiece q = pieces[i];
        if (!q.valid.overlaps(over) || (v && q.vhash != *v)) {
            ++i;
            continue;
        }
        changed = true;
        // Keep the unvisited pieces before the appended ones: swap with the last unvisited.
        pieces[i] = pieces[n - 1];
        pieces[n - 1] = pieces.back();
        pieces.pop_back();
        --n;
        push_outside(pieces, q, over);
    }
    return changed;
}

const WorkPiece* piece_at(const WorkPieces& pieces, Micros t) {
    for (const WorkPiece& p : pieces)
        if (p.valid.contains(t)) return &p;
    return nullptr;
}

}  // namespace persistence::fact::detail
