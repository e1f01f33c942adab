// RFC 6962 Merkle tree hashing against the published Certificate Transparency vectors.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ct_vectors.hpp"
#include "helpers.hpp"
#include "persistence/hash/merkle.hpp"

namespace hash = persistence::hash;
using edn_test::from_hex;

namespace {

std::string hex(const hash::Digest& d) { return hash::to_hex(d); }


// RFC 6962 §2.1 written as the recursion, to check the builder's stack on every shape.
hash::Digest reference_root(const std::vector<hash::Digest>& leaf_hashes, size_t from, size_t to) {
    size_t n = to - from;
    if (n == 0) return hash::sha256(nullptr, 0);
    if (n == 1) return leaf_hashes[from];
    size_t k = 1;
    while (k * 2 < n) k *= 2;
    return hash::merkle_node_hash(reference_root(leaf_hashes, from, from + k),
                                  reference_root(leaf_hashes, from + k, to));
}

}  // namespace

TEST_CASE("merkle: leaf and node hashes") {
    // echo -n 00 | xxd -r -p | sha256sum
    CHECK(hex(hash::merkle_leaf_hash(nullptr, 0)) ==
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    // echo -n 004C313233343536 | xxd -r -p | sha256sum  ("L123456")
    CHECK(hex(hash::merkle_leaf_hash("L123456", 7)) ==
          "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    // A leaf longer than the stack buffer takes the incremental path: same definition.
    std::string big(1000, 'x');
    std::string prefixed = std::string(1, '\0') + big;
    CHECK(hash::merkle_leaf_hash(big.data(), big.size()) == hash::sha256(prefixed.data(), prefixed.size()));
    hash::Digest l = hash::merkle_leaf_hash("a", 1), r = hash::merkle_leaf_hash("b", 1);
    std::string node =
        std::string(1, '\1') + std::string(l.begin(), l.end()) + std::string(r.begin(), r.end());
    CHECK(hash::merkle_node_hash(l, r) == hash::sha256(node.data(), node.size()));
    CHECK(hash::merkle_node_hash(l, r) != hash::merkle_node_hash(r, l));
}

TEST_CASE("merkle: the RFC 6962 reference tree, every size 0..8") {
    for (size_t n = 0; n <= 8; ++n) {
        INFO("tree size " << n);
        hash::MerkleRootBuilder b;
        for (size_t i = 0; i < n; ++i) {
            std::string leaf = from_hex(ct_leaves[i]);
            b.add_leaf(leaf.data(), leaf.size());
        }
        CHECK(b.size() == n);
        CHECK(hex(b.root()) == ct_roots[n]);
    }
}

TEST_CASE("merkle: root over digests") {
    CHECK(hex(hash::merkle_root(nullptr, 0)) == ct_roots[0]);
    CHECK(hex(hash::merkle_root(std::vector<hash::Digest>{})) == ct_roots[0]);
    // Leaves SHA-256(0x00), SHA-256(0x01), SHA-256(0x02); the root was computed with
    //   python3 -c "import hashlib;H=lambda b:hashlib.sha256(b).digest();L=[H(b'\0'+H(bytes([i]))) for i in
    //   range(3)];print(H(b'\1'+H(b'\1'+L[0]+L[1])+L[2]).hex())"
    std::vector<hash::Digest> leaves;
    for (uint8_t i = 0; i < 3; ++i) leaves.push_back(hash::sha256(&i, 1));
    CHECK(hex(hash::merkle_root(leaves)) ==
          "d1f13800048f5909d4043fc0c152f6643280cba608b672715e56ce159a20629f");
    // One leaf: the root is its leaf hash, not the digest itself.
    CHECK(hash::merkle_root(leaves.data(), 1) == hash::merkle_leaf_hash(leaves[0].data(), 32));
    CHECK(hash::merkle_root(leaves.data(), 1) != leaves[0]);
}

TEST_CASE("merkle: the stack builder agrees with the recursion for every size up to 300") {
    std::vector<hash::Digest> data;
    std::vector<hash::Digest> leaf_hashes;
    for (uint32_t i = 0; i < 300; ++i) {
        data.push_back(hash::sha256(&i, sizeof i));
        leaf_hashes.push_back(hash::merkle_leaf_hash(data.back().data(), 32));
    }
    hash::MerkleRootBuilder b;
    for (size_t n = 0; n <= data.size(); ++n) {
        INFO("tree size " << n);
        CHECK(hash::merkle_root(data.data(), n) == reference_root(leaf_hashes, 0, n));
        CHECK(b.root() == reference_root(leaf_hashes, 0, n));
        if (n < data.size()) b.add_leaf_hash(leaf_hashes[n]);
    }
}
