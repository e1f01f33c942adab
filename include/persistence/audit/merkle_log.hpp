// The chain as an append-only RFC 6962 / RFC 9162 Merkle log: roots, inclusion proofs and
// consistency proofs computed from stored complete-subtree hashes, and their verification.
//
// A complete subtree ("node") is named by (level, index): it covers the 2^level leaves
// [index << level, (index + 1) << level). Level 0 nodes are leaf hashes
// SHA-256(0x00 ‖ leaf data). Every root and proof of a tree of any size is made of
// complete subtrees only (RFC 6962 splits at powers of two), so a log that stores each
// node once, when its last leaf is appended, answers any proof with O(log n) lookups.
//
// Storage used by the SQL face (docs/audit.md): the node (level >= 1, index) is kept with
// the chain entry of its last leaf, seq = (index + 1) << level, as element level - 1 of
// that entry's subtree_roots; level 0 is recomputed from the entry's entry_hash.
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "persistence/core/error.hpp"
#include "persistence/hash/sha256.hpp"

namespace persistence::audit {

using hash::Digest;

struct NodeId {
    unsigned level = 0;
    uint64_t index = 0;
    bool operator==(const NodeId& o) const { return level == o.level && index == o.index; }
    bool operator<(const NodeId& o) const { return level != o.level ? level < o.level : index < o.index; }
};

// Returns the hash of a complete subtree the caller has stored. May throw (the SQL face
// throws when a node is missing, which only tampering causes).
using NodeLookup = std::function<Digest(NodeId)>;

// The nodes whose hashes root(n), inclusion_proof(m, n) and consistency_proof(m, n) read,
// so that a caller can fetch them in one query before computing. Each list is exact
// (no node twice, none unused).
std::vector<NodeId> root_nodes(uint64_t n);
std::vector<NodeId> inclusion_nodes(uint64_t m, uint64_t n);    // m < n
std::vector<NodeId> consistency_nodes(uint64_t m, uint64_t n);  // 0 < m <= n

// MTH of the first n leaves (SHA-256 of nothing for n = 0).
Digest log_root(uint64_t n, const NodeLookup& node);
// RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the audit path of leaf m (0-based) in the tree of
// size n, leaf-to-root order. Precondition m < n (checked: throws std::invalid_argument).
std::vector<Digest> inclusion_proof(uint64_t m, uint64_t n, const NodeLookup& node);
// RFC 9162 §2.1.4.1 PROOF(m, D[0:n]) for 0 < m <= n (empty when m == n).
std::vector<Digest> consistency_proof(uint64_t m, uint64_t n, const NodeLookup& node);

// RFC 9162 §2.1.3.2: does leaf_hash sit at index m of the tree of size n with this root?
bool verify_inclusion(const Digest& leaf_hash, uint64_t m, uint64_t n, const std::vector<Digest>& proof,
                      const Digest& root);
// RFC 9162 §2.1.4.2: is the tree (n, new_root) an append-only extension of (m, old_root)?
bool verify_consistency(uint64_t m, uint64_t n, const Digest& old_root, const Digest& new_root,
                        const std::vector<Digest>& proof);

// The append side: the roots of the complete subtrees of the leaves added so far (one per
// set bit of the size), so that appending a leaf yields the nodes it completes.
class LogFrontier {
   public:
    LogFrontier() = default;
    // Resumes a log of `size` leaves from the stored nodes (root_nodes(size) of them).
    static LogFrontier resume(uint64_t size, const NodeLookup& node);

    // Appends one leaf (its data is a 32-byte entry hash). Returns the nodes it completed,
    // lowest level first: element 0 is the leaf hash (level 0), element i the node at
    // level i ending at this leaf. The caller stores elements 1.. with the entry.
    std::vector<Digest> append(const Digest& leaf_data);
    // The same into a caller's vector (cleared first), so that a walk over many entries
    // reuses one buffer.
    void append(const Digest& leaf_data, std::vector<Digest>& completed);
    uint64_t size() const { return size_; }
    Digest root() const;

   private:
    std::vector<Digest> stack_;  // complete subtree roots, largest (leftmost) first
    uint64_t size_ = 0;
};

}  // namespace persistence::audit
