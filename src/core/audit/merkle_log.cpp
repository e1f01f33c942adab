#include "persistence/audit/merkle_log.hpp"

#include <array>
#include <stdexcept>

#include "persistence/hash/merkle.hpp"

namespace persistence::audit {

namespace {

unsigned bit_length(uint64_t x) { return x ? 64u - unsigned(__builtin_clzll(x)) : 0u; }

// The complete subtrees covering the leaves [begin, end), largest (leftmost) first. Every
// range met here starts at a multiple of a power of two >= its length (RFC 6962 splits at
// powers of two), so the binary digits of the length give its subtrees and the MTH of the
// range is their right fold.
template <typename F>
void range_nodes(uint64_t begin, uint64_t end, F&& visit) {
    uint64_t len = end - begin;
    for (unsigned level = bit_length(len); level-- > 0;) {
        if (!(len >> level & 1)) continue;
        visit(NodeId{level, begin >> level});
        begin += uint64_t(1) << level;
    }
}

// MTH of an aligned range from its stored subtrees, without allocating: at most 64 of them.
Digest range_hash(uint64_t begin, uint64_t end, const NodeLookup& node) {
    if (begin == end) return hash::sha256(nullptr, 0);
    std::array<Digest, 64> parts;
    unsigned n = 0;
    range_nodes(begin, end, [&](NodeId id) { parts[n++] = node(id); });
    Digest acc = parts[n - 1];
    for (unsigned i = n - 1; i-- > 0;) acc = hash::merkle_node_hash(parts[i], acc);
    return acc;
}

// The audit path of the complete subtree (level, index) in the tree of n leaves, as leaf
// ranges whose MTHs are the path elements, bottom-up (RFC 9162 PATH generalised to a
// subtree; with level 0 it is PATH itself). Below the level where the subtree's path and
// the path of the last leaf meet ("inner"), each sibling is complete except possibly the
// topmost one, which may be cut by the end of the tree; above it, only left siblings exist,
// and a node with none is carried up unchanged, as RFC 6962 does with an unbalanced right
// edge.
template <typename F>
void path_ranges(unsigned level, uint64_t index, uint64_t n, F&& visit) {
    const uint64_t last = (n - 1) >> level;
    const unsigned inner = bit_length(index ^ last);
    for (unsigned j = 0; j < inner; ++j) {
        uint64_t sibling = (index >> j) ^ 1;
        unsigned at = level + j;
        uint64_t begin = sibling << at, end = (sibling + 1) << at;
        visit(begin, end < n ? end : n);
    }
    for (unsigned j = inner; (index >> j) != 0; ++j) {
        if (!(index >> j & 1)) continue;
        uint64_t sibling = (index >> j) ^ 1;
        unsigned at = level + j;
        visit(sibling << at, (sibling + 1) << at);
    }
}

// RFC 9162 §2.1.4.1 PROOF(m, D[0:n]) bottom-up: the largest complete subtree ending at m
// (left out when it is all of D[0:m], which the verifier already holds as the old root),
// then that subtree's path in the tree of n leaves.
template <typename F>
void consistency_ranges(uint64_t m, uint64_t n, F&& visit) {
    if (m == n) return;
    unsigned level = unsigned(__builtin_ctzll(m));
    uint64_t index = (m - 1) >> level;
    if (index != 0) visit(index << level, (index + 1) << level);
    path_ranges(level, index, n, visit);
}

void check_inclusion_args(uint64_t m, uint64_t n) {
    if (m >= n) throw std::invalid_argument("inclusion proof: leaf index must be below the tree size");
}

void check_consistency_args(uint64_t m, uint64_t n) {
    if (m == 0 || m > n)
        throw std::invalid_argument("consistency proof: sizes must satisfy 0 < old size <= new size");
}

// One step up in RFC 9162's verification loops, shared by both algorithms.
inline void shift_while_even(uint64_t& fn, uint64_t& sn) {
    while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
    }
}

}  // namespace

std::vector<NodeId> root_nodes(uint64_t n) {
    std::vector<NodeId> out;
    range_nodes(0, n, [&](NodeId id) { out.push_back(id); });
    return out;
}

std::vector<NodeId> inclusion_nodes(uint64_t m, uint64_t n) {
    check_inclusion_args(m, n);
    std::vector<NodeId> out;
    path_ranges(0, m, n,
                [&](uint64_t b, uint64_t e) { range_nodes(b, e, [&](NodeId id) { out.push_back(id); }); });
    return out;
}

std::vector<NodeId> consistency_nodes(uint64_t m, uint64_t n) {
    check_consistency_args(m, n);
    std::vector<NodeId> out;
    consistency_ranges(
        m, n, [&](uint64_t b, uint64_t e) { range_nodes(b, e, [&](NodeId id) { out.push_back(id); }); });
    return out;
}

Digest log_root(uint64_t n, const NodeLookup& node) { return range_hash(0, n, node); }

std::vector<Digest> inclusion_proof(uint64_t m, uint64_t n, const NodeLookup& node) {
    check_inclusion_args(m, n);
    std::vector<Digest> out;
    path_ranges(0, m, n, [&](uint64_t b, uint64_t e) { out.push_back(range_hash(b, e, node)); });
    return out;
}

std::vector<Digest> consistency_proof(uint64_t m, uint64_t n, const NodeLookup& node) {
    check_consistency_args(m, n);
    std::vector<Digest> out;
    consistency_ranges(m, n, [&](uint64_t b, uint64_t e) { out.push_back(range_hash(b, e, node)); });
    return out;
}

bool verify_inclusion(const Digest& leaf_hash, uint64_t m, uint64_t n, const std::vector<Digest>& proof,
                      const Digest& root) {
    if (m >= n) return false;
    uint64_t fn = m, sn = n - 1;
    Digest r = leaf_hash;
    for (const Digest& p : proof) {
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            r = hash::merkle_node_hash(p, r);
            shift_while_even(fn, sn);
        } else {
            r = hash::merkle_node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verify_consistency(uint64_t m, uint64_t n, const Digest& old_root, const Digest& new_root,
                        const std::vector<Digest>& proof) {
    if (m > n) return false;
    if (m == n) return proof.empty() && old_root == new_root;
    // RFC 9162 leaves m = 0 out; every tree extends the empty one, whose MTH is fixed.
    if (m == 0) return proof.empty() && old_root == hash::sha256(nullptr, 0);
    if (proof.empty()) return false;
    // A power-of-two m is a complete subtree, left out of the proof: the old root stands
    // in for the first element (RFC 9162 step 2, without copying the proof).
    size_t i = 0;
    Digest fr = (m & (m - 1)) == 0 ? old_root : proof[i++];
    Digest sr = fr;
    uint64_t fn = m - 1, sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; i < proof.size(); ++i) {
        const Digest& c = proof[i];
        if (sn == 0) return false;
        if ((fn & 1) || fn == sn) {
            fr = hash::merkle_node_hash(c, fr);
            sr = hash::merkle_node_hash(c, sr);
            shift_while_even(fn, sn);
        } else {
            sr = hash::merkle_node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && fr == old_root && sr == new_root;
}

LogFrontier LogFrontier::resume(uint64_t size, const NodeLookup& node) {
    LogFrontier f;
    f.stack_.reserve(64);
    range_nodes(0, size, [&](NodeId id) { f.stack_.push_back(node(id)); });
    f.size_ = size;
    return f;
}

void LogFrontier::append(const Digest& leaf_data, std::vector<Digest>& completed) {
    if (stack_.capacity() < 64) stack_.reserve(64);
    completed.clear();
    Digest h = hash::merkle_leaf_hash(leaf_data.data(), leaf_data.size());
    completed.push_back(h);
    // Leaf size_ completes one subtree per trailing one bit of size_ (the old size).
    for (uint64_t c = size_; c & 1; c >>= 1) {
        h = hash::merkle_node_hash(stack_.back(), h);
        stack_.pop_back();
        completed.push_back(h);
    }
    stack_.push_back(h);
    ++size_;
}

std::vector<Digest> LogFrontier::append(const Digest& leaf_data) {
    std::vector<Digest> completed;
    completed.reserve(1 + unsigned(__builtin_ctzll(size_ + 1)));
    append(leaf_data, completed);
    return completed;
}

Digest LogFrontier::root() const {
    if (stack_.empty()) return hash::sha256(nullptr, 0);
    Digest acc = stack_.back();
    for (size_t i = stack_.size() - 1; i-- > 0;) acc = hash::merkle_node_hash(stack_[i], acc);
    return acc;
}

}  // namespace persistence::audit
