// RFC 6962 (Certificate Transparency) Merkle tree hashing, as RFC 9162 §2.1 restates it:
//   MTH({})      = SHA-256()
//   leaf hash    = SHA-256(0x00 ‖ d)
//   node hash    = SHA-256(0x01 ‖ left ‖ right)
//   MTH(D[0:n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two < n.
// The audit chain (issue 5) adds inclusion and consistency proofs on top of these.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstddef>
#include <cstdint>
#include <vector>

#include "persistence/hash/sha256.hpp"

namespace persistence::hash {

Digest merkle_leaf_hash(const void* data, size_t n);
Digest merkle_node_hash(const Digest& left, const Digest& right);

// The root over leaves whose data are 32-byte digests (a transaction's datom hashes, in
// the order given). O(n) hashing, O(log n) extra memory.
Digest merkle_root(const Digest* leaves, size_t n);
inline Digest merkle_root(const std::vector<Digest>& leaves) {
    return merkle_root(leaves.data(), leaves.size());
}

// The same root built one leaf at a time, for callers that stream their leaves (a scan,
// an SQL array) or whose leaves are not 32-byte digests (the RFC 6962 test vectors).
// Keeps one subtree root per set bit of the leaf count: at most 64 digests, no heap.
class MerkleRootBuilder {
   public:
    void add_leaf(const void* data, size_t n) { add_leaf_hash(merkle_leaf_hash(data, n)); }
    void add_leaf_hash(const Digest& leaf_hash);
    uint64_t size() const { return count_; }
    // MTH of the leaves added so far (SHA-256 of nothing when there are none).
    Digest root() const;

   private:
    Digest stack_[65];  // roots of complete subtrees, largest (leftmost) first; +1 while adding
    unsigned depth_ = 0;
    uint64_t count_ = 0;
};

}  // namespace persistence::hash
