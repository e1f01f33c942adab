// LivePieces and ValuesAt: the two ways of reading one (e, a) from its newest datom back.
//
// Why the early stops are safe (cardinality one). The log keeps the model's invariant
// after every transaction: live pieces of a cardinality-one (e, a) never overlap. Let P
// be a piece whose newest datom is older than every tx fed so far, and suppose a datom D
// fed earlier overlaps P. If D asserted a piece Q, then Q and P were both live after D's
// tx and overlap, unless P was dead by then; if D retracted a piece R, then R was live
// just before D's tx and overlaps P, so P was dead then. Either way P is dead now (a
// piece that is dead stays dead until a newer datom of its own key, which would have
// been fed). So once the datoms fed cover the region, older datoms cannot add a live
// piece inside it. ValuesAt is the same argument restricted to the instant `at`.
// Same-value pieces never overlap in either cardinality, which is why the planner may
// use the early stop over datoms of a single value (scan_av).
#include "persistence/fact/timeline.hpp"

#include <cstring>

namespace persistence::fact {

namespace detail {

void HashIndex::push(uint64_t h) {
    uint32_t pos = uint32_t(hashes_.size());
    hashes_.push_back(h);
    if (buckets_.empty()) {
        if (hashes_.size() > 16) rebuild(64);
        return;
    }
    if (hashes_.size() > buckets_.size()) {
        rebuild(buckets_.size() * 2);
        return;
    }
    uint32_t& head = buckets_[h & (buckets_.size() - 1)];
    next_.push_back(head);
    head = pos;
}

void HashIndex::rebuild(size_t buckets) {
    buckets_.assign(buckets, npos);
    next_.assign(hashes_.size(), npos);
    for (uint32_t i = 0; i < hashes_.size(); ++i) {
        uint32_t& head = buckets_[hashes_[i] & (buckets - 1)];
        next_[i] = head;
        head = i;
    }
}

}  // namespace detail

namespace {

// The value hash is SHA-256, so any 8 of its bytes are already uniformly distributed.
uint64_t hash_of(const Digest& vhash) {
    uint64_t h;
    std::memcpy(&h, vhash.data(), 8);
    return h;
}

uint64_t hash_of(const Digest& vhash, const Interval& valid) {
    uint64_t h = hash_of(vhash);
    h ^= uint64_t(valid.from) * 0x9E3779B97F4A7C15ULL;
    h ^= uint64_t(valid.to) * 0xC2B2AE3D27D4EB4FULL;
    return h;
}

}  // namespace

// ------------------------------------------------------------------ LivePieces

LivePieces::LivePieces(Interval region, bool many) : region_(region), many_(many) {}

void LivePieces::note_seen(Interval i) {
    i.from = std::max(i.from, region_.from);
    i.to = std::min(i.to, region_.to);
    if (i.from >= i.to) return;
    if (seen_.empty() && i == region_) {  // the usual case: one open-ended datom covers it all
        covered_ = true;
        return;
    }
    // Merge into the sorted, disjoint list; touching intervals join ([a,b) ∪ [b,c) = [a,c)).
    size_t first = 0;
    while (first < seen_.size() && seen_[first].to < i.from) ++first;
    size_t last = first;
    while (last < seen_.size() && seen_[last].from <= i.to) {
        i.from = std::min(i.from, seen_[last].from);
        i.to = std::max(i.to, seen_[last].to);
        ++last;
    }
    if (first == last) {
        seen_.insert(seen_.begin() + long(first), i);
    } else {
        seen_[first] = i;
        seen_.erase(seen_.begin() + long(first) + 1, seen_.begin() + long(last));
    }
    covered_ = seen_.size() == 1 && seen_[0] == region_;
}

bool LivePieces::feed(const StoredDatom& d) {
    if (started_ && d.tx != tx_ && !many_ && covered_) return false;
    started_ = true;
    tx_ = d.tx;
    if (!d.valid.overlaps(region_)) return true;
    if (!many_ && !covered_) note_seen(d.valid);
    uint64_t h = hash_of(d.vhash, d.valid);
    uint32_t i = index_.find(h, [&](uint32_t k) {
        const Entry& e = entries_[k];
        return e.valid == d.valid && e.vhash == d.vhash;
    });
    if (i != detail::HashIndex::npos) {
        // The newest tx of a key decides; inside that tx an assertion wins.
        Entry& e = entries_[i];
        if (e.tx == d.tx && d.is_assert && !e.live) {
            e.live = true;
            e.ref = d.ref;
        }
        return true;
    }
    entries_.push_back(Entry{d.vhash, d.valid, d.tx, d.is_assert, d.is_assert ? d.ref : std::string()});
    index_.push(h);
    return true;
}

std::vector<Piece> LivePieces::pieces() const {
    std::vector<Piece> out;
    size_t n = 0;
    for (const Entry& e : entries_) n += e.live;
    out.reserve(n);
    for (const Entry& e : entries_)
        if (e.live) out.push_back(Piece{e.vhash, e.ref, e.valid, e.tx});
    return out;
}

// ------------------------------------------------------------------ ValuesAt

ValuesAt::ValuesAt(Micros at, bool many) : at_(at), many_(many) {}

bool ValuesAt::feed(const StoredDatom& d) {
    if (started_ && d.tx != tx_ && !many_ && found_) return false;
    started_ = true;
    tx_ = d.tx;
    if (!d.valid.contains(at_)) return true;
    found_ = true;
    uint64_t h = hash_of(d.vhash);
    uint32_t i = index_.find(h, [&](uint32_t k) { return entries_[k].piece.vhash == d.vhash; });
    if (i != detail::HashIndex::npos) {
        Entry& e = entries_[i];
        if (e.piece.tx == d.tx && d.is_assert && !e.live) {
            e.live = true;
            e.piece.valid = d.valid;
            e.piece.ref = d.ref;
        }
        return true;
    }
    entries_.push_back(
        Entry{Piece{d.vhash, d.is_assert ? d.ref : std::string(), d.valid, d.tx}, d.is_assert});
    index_.push(h);
    return true;
}

std::vector<Piece> ValuesAt::values() const {
    std::vector<Piece> out;
    for (const Entry& e : entries_)
        if (e.live) out.push_back(e.piece);
    return out;
}

}  // namespace persistence::fact
