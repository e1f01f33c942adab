#include "persistence/hash/merkle.hpp"

#include <cstring>

namespace persistence::hash {

namespace {
// Leaves up to this size are prefixed in a stack buffer and hashed in one sha256() call;
// longer ones go through a Sha256 object.
constexpr size_t small_leaf = 256;
}  // namespace

Digest merkle_leaf_hash(const void* data, size_t n) {
    if (n <= small_leaf) {
        uint8_t buf[1 + small_leaf];
        buf[0] = 0x00;
        if (n) std::memcpy(buf + 1, data, n);
        return sha256(buf, 1 + n);
    }
    Sha256 h;
    const uint8_t prefix = 0x00;
    h.update(&prefix, 1);
    h.update(data, n);
    return h.finish();
}

Digest merkle_node_hash(const Digest& left, const Digest& right) {
    uint8_t buf[1 + 2 * 32];
    buf[0] = 0x01;
    std::memcpy(buf + 1, left.data(), 32);
    std::memcpy(buf + 33, right.data(), 32);
    return sha256(buf, sizeof buf);
}

// Leaf i completes a perfect subtree for every trailing one bit of i: after pushing it,
// merge the top two entries once per trailing one of the old count. The stack then holds
// the roots of the perfect subtrees given by the binary digits of the count, largest
// (leftmost) first.
void MerkleRootBuilder::add_leaf_hash(const Digest& leaf_hash) {
    stack_[depth_++] = leaf_hash;
    for (uint64_t c = count_; c & 1; c >>= 1) {
        --depth_;
        stack_[depth_ - 1] = merkle_node_hash(stack_[depth_ - 1], stack_[depth_]);
    }
    ++count_;
}

// RFC 6962 splits n leaves at the largest power of two k < n: the left part is the
// biggest perfect subtree and the right part recurses on the rest. Folding the stack
// from the right, smallest subtree first, builds exactly that shape.
Digest MerkleRootBuilder::root() const {
    if (depth_ == 0) return sha256(nullptr, 0);
    Digest acc = stack_[depth_ - 1];
    for (unsigned i = depth_ - 1; i-- > 0;) acc = merkle_node_hash(stack_[i], acc);
    return acc;
}

Digest merkle_root(const Digest* leaves, size_t n) {
    MerkleRootBuilder b;
    for (size_t i = 0; i < n; ++i) b.add_leaf(leaves[i].data(), leaves[i].size());
    return b.root();
}

}  // namespace persistence::hash
