// The chain's Merkle log: proofs against the published RFC 6962 / Certificate Transparency
// vectors and an independent recursive implementation, verification against tampering,
// and the append-side frontier.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit_helpers.hpp"
#include "ct_vectors.hpp"
#include "helpers.hpp"

using namespace audit_test;
using audit::NodeId;

namespace {

// The 8 leaves of the CT reference tree and the proofs published for it in
// transparency-dev/merkle proof/verify_test.go and testonly/reference_test.go (commit
// 02194e9afb6c1d95b5381350007963aa70fff472; the vectors come from the C++
// google/certificate-transparency merkle_tree_test.cc). Indices here are 0-based; the Go
// inclusion table is 1-based.

struct Vector {
    uint64_t a, b;  // inclusion: leaf index, tree size; consistency: old size, new size
    std::vector<const char*> proof;
};

const std::vector<Vector> ct_inclusion = {
    {0, 1, {}},
    {0, 2, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"}},
    {1, 2, {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"}},
    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {0,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

const std::vector<Vector> ct_consistency = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::vector<Digest> ct_leaf_hashes() {
    std::vector<Digest> out;
    for (const char* l : ct_leaves) {
        std::string b = edn_test::from_hex(l);
        out.push_back(hash::merkle_leaf_hash(b.data(), b.size()));
    }
    return out;
}

std::vector<std::string> hexes(const std::vector<Digest>& ds) {
    std::vector<std::string> out;
    for (const auto& d : ds) out.push_back(hex(d));
    return out;
}

std::vector<std::string> hexes(const std::vector<const char*>& ds) { return {ds.begin(), ds.end()}; }

// Every bit of every input flipped, one at a time: none may verify.
void check_inclusion_rejects_flips(const Digest& leaf, uint64_t m, uint64_t n,
                                   const std::vector<Digest>& proof, const Digest& root) {
    for (size_t i = 0; i <= proof.size() + 1; ++i) {
        for (unsigned bit = 0; bit < 256; ++bit) {
            std::vector<Digest> p = proof;
            Digest l = leaf, r = root;
            Digest& target = i < proof.size() ? p[i] : i == proof.size() ? l : r;
            target[bit / 8] ^= uint8_t(1u << (bit % 8));
            if (audit::verify_inclusion(l, m, n, p, r))
                FAIL("accepted a flipped bit " << bit << " of input " << i);
        }
    }
}

void check_consistency_rejects_flips(uint64_t m, uint64_t n, const Digest& old_root, const Digest& new_root,
                                     const std::vector<Digest>& proof) {
    for (size_t i = 0; i <= proof.size() + 1; ++i) {
        for (unsigned bit = 0; bit < 256; ++bit) {
            std::vector<Digest> p = proof;
            Digest o = old_root, r = new_root;
            Digest& target = i < proof.size() ? p[i] : i == proof.size() ? o : r;
            target[bit / 8] ^= uint8_t(1u << (bit % 8));
            if (audit::verify_consistency(m, n, o, r, p))
                FAIL("accepted a flipped bit " << bit << " of input " << i);
        }
    }
}

// The lookups a computation made must be exactly the list the *_nodes function announced.
void check_reads(const NodeStore& store, const std::vector<NodeId>& announced) {
    CHECK(store.reads == announced);
    std::set<NodeId> unique(announced.begin(), announced.end());
    CHECK(unique.size() == announced.size());
    store.reads.clear();
}

}  // namespace

TEST_CASE("audit merkle log: the published CT reference proofs") {
    std::vector<Digest> leaves = ct_leaf_hashes();
    NodeStore store(leaves);
    for (uint64_t n = 0; n <= 8; ++n) CHECK(hex(audit::log_root(n, store.lookup())) == ct_roots[n]);
    store.reads.clear();
    for (const Vector& v : ct_inclusion) {
        INFO("inclusion of leaf " << v.a << " in " << v.b);
        CHECK(hexes(audit::inclusion_proof(v.a, v.b, store.lookup())) == hexes(v.proof));
        check_reads(store, audit::inclusion_nodes(v.a, v.b));
        std::vector<Digest> proof;
        for (const char* h : v.proof) proof.push_back(digest(h));
        CHECK(audit::verify_inclusion(leaves[v.a], v.a, v.b, proof, digest(ct_roots[v.b])));
        check_inclusion_rejects_flips(leaves[v.a], v.a, v.b, proof, digest(ct_roots[v.b]));
    }
    for (const Vector& v : ct_consistency) {
        INFO("consistency " << v.a << " -> " << v.b);
        CHECK(hexes(audit::consistency_proof(v.a, v.b, store.lookup())) == hexes(v.proof));
        check_reads(store, audit::consistency_nodes(v.a, v.b));
        std::vector<Digest> proof;
        for (const char* h : v.proof) proof.push_back(digest(h));
        Digest old_root = digest(ct_roots[v.a]), new_root = digest(ct_roots[v.b]);
        CHECK(audit::verify_consistency(v.a, v.b, old_root, new_root, proof));
        if (!proof.empty()) check_consistency_rejects_flips(v.a, v.b, old_root, new_root, proof);
    }
}

TEST_CASE("audit merkle log: proofs equal the RFC recursion for every size up to 64") {
    std::vector<Digest> leaves = leaf_hashes_of(64);
    NodeStore store(leaves);
    for (uint64_t n = 0; n <= 64; ++n) {
        INFO("tree size " << n);
        Digest root = ref_root(leaves, 0, n);
        REQUIRE(audit::log_root(n, store.lookup()) == root);
        check_reads(store, audit::root_nodes(n));
        for (uint64_t m = 0; m < n; ++m) {
            INFO("leaf " << m);
            std::vector<Digest> proof = audit::inclusion_proof(m, n, store.lookup());
            REQUIRE(proof == ref_path(leaves, m, 0, n));
            check_reads(store, audit::inclusion_nodes(m, n));
            REQUIRE(audit::verify_inclusion(leaves[m], m, n, proof, root));
            // Any other index fails. A proof does not pin the tree size (the signed
            // checkpoint does): some other sizes share the shape of this path, and the
            // verifier must accept exactly those the RFC recursion accepts.
            for (uint64_t m2 = 0; m2 < n + 2; ++m2)
                if (m2 != m) CHECK_FALSE(audit::verify_inclusion(leaves[m], m2, n, proof, root));
            CHECK_FALSE(audit::verify_inclusion(leaves[m], m, 2 * n, proof, root));
            for (uint64_t n2 = 0; n2 < 2 * n + 2; ++n2) {
                auto r = ref_root_from_path(leaves[m], m, n2, proof);
                CHECK(audit::verify_inclusion(leaves[m], m, n2, proof, root) == (r && *r == root));
            }
        }
        for (uint64_t m = 1; m <= n; ++m) {
            INFO("consistency from " << m);
            Digest old_root = ref_root(leaves, 0, m);
            std::vector<Digest> proof = audit::consistency_proof(m, n, store.lookup());
            REQUIRE(proof == ref_subproof(leaves, m, 0, n, true));
            check_reads(store, audit::consistency_nodes(m, n));
            REQUIRE(audit::verify_consistency(m, n, old_root, root, proof));
            for (uint64_t m2 = 0; m2 <= n + 1; ++m2)
                if (m2 != m) CHECK_FALSE(audit::verify_consistency(m2, n, old_root, root, proof));
            if (m < n) CHECK_FALSE(audit::verify_consistency(m, 2 * n, old_root, root, proof));
            for (uint64_t n2 = 1; n2 < 2 * n + 2; ++n2) {
                auto r = ref_roots_from_subproof(m, n2, true, old_root, proof);
                CHECK(audit::verify_consistency(m, n2, old_root, root, proof) ==
                      (r && r->first == old_root && r->second == root));
            }
        }
    }
}

TEST_CASE("audit merkle log: every bit flip is rejected, trees up to 16") {
    std::vector<Digest> leaves = leaf_hashes_of(16);
    NodeStore store(leaves);
    for (uint64_t n = 1; n <= 16; ++n) {
        Digest root = ref_root(leaves, 0, n);
        for (uint64_t m = 0; m < n; ++m)
            check_inclusion_rejects_flips(leaves[m], m, n, audit::inclusion_proof(m, n, store.lookup()),
                                          root);
        for (uint64_t m = 1; m < n; ++m)
            check_consistency_rejects_flips(m, n, ref_root(leaves, 0, m), root,
                                            audit::consistency_proof(m, n, store.lookup()));
    }
}

TEST_CASE("audit merkle log: random sizes up to 5000 agree with the recursion") {
    std::vector<Digest> leaves = leaf_hashes_of(5000);
    NodeStore store(leaves);
    std::mt19937_64 rng(20261205);
    for (int round = 0; round < 40; ++round) {
        uint64_t n = 1 + rng() % 5000;
        INFO("tree size " << n);
        Digest root = ref_root(leaves, 0, n);
        REQUIRE(audit::log_root(n, store.lookup()) == root);
        check_reads(store, audit::root_nodes(n));
        for (int k = 0; k < 4; ++k) {
            uint64_t m = k == 0 ? n - 1 : rng() % n;
            std::vector<Digest> proof = audit::inclusion_proof(m, n, store.lookup());
            REQUIRE(proof == ref_path(leaves, m, 0, n));
            check_reads(store, audit::inclusion_nodes(m, n));
            CHECK(audit::verify_inclusion(leaves[m], m, n, proof, root));
            uint64_t old_size = k == 0 ? n : 1 + rng() % n;
            std::vector<Digest> cproof = audit::consistency_proof(old_size, n, store.lookup());
            REQUIRE(cproof == ref_subproof(leaves, old_size, 0, n, true));
            check_reads(store, audit::consistency_nodes(old_size, n));
            CHECK(audit::verify_consistency(old_size, n, ref_root(leaves, 0, old_size), root, cproof));
        }
    }
}

TEST_CASE("audit merkle log: edge cases") {
    std::vector<Digest> leaves = leaf_hashes_of(4);
    NodeStore store(leaves);
    Digest empty = hash::sha256(nullptr, 0);
    CHECK(audit::root_nodes(0).empty());
    CHECK(audit::log_root(0, store.lookup()) == empty);
    CHECK_THROWS_AS(audit::inclusion_proof(3, 3, store.lookup()), std::invalid_argument);
    CHECK_THROWS_AS(audit::inclusion_nodes(0, 0), std::invalid_argument);
    CHECK_THROWS_AS(audit::consistency_proof(0, 3, store.lookup()), std::invalid_argument);
    CHECK_THROWS_AS(audit::consistency_nodes(4, 3), std::invalid_argument);
    CHECK(audit::consistency_proof(3, 3, store.lookup()).empty());
    CHECK(audit::root_nodes(6) == std::vector<NodeId>{{2, 0}, {1, 2}});
    CHECK(audit::root_nodes(7) == std::vector<NodeId>{{2, 0}, {1, 2}, {0, 6}});
    // The empty tree: everything extends it, but only with its true root and no proof.
    Digest r4 = ref_root(leaves, 0, 4);
    CHECK(audit::verify_consistency(0, 4, empty, r4, {}));
    CHECK_FALSE(audit::verify_consistency(0, 4, r4, r4, {}));
    CHECK_FALSE(audit::verify_consistency(0, 4, empty, r4, {r4}));
    CHECK(audit::verify_consistency(0, 0, empty, empty, {}));
    // Equal sizes: equal roots and no proof.
    CHECK(audit::verify_consistency(4, 4, r4, r4, {}));
    CHECK_FALSE(audit::verify_consistency(4, 4, r4, empty, {}));
    CHECK_FALSE(audit::verify_consistency(4, 4, r4, r4, {r4}));
    // Shrinking is never consistent; an empty tree has no leaves to include.
    CHECK_FALSE(audit::verify_consistency(4, 3, r4, r4, {r4}));
    CHECK_FALSE(audit::verify_inclusion(leaves[0], 0, 0, {}, empty));
    // A single leaf is its own root, with an empty path.
    CHECK(audit::verify_inclusion(leaves[0], 0, 1, {}, leaves[0]));
    CHECK_FALSE(audit::verify_inclusion(leaves[0], 0, 1, {leaves[1]}, leaves[0]));
}

TEST_CASE("audit merkle log: the frontier yields the completed nodes and the root") {
    const uint64_t total = 300;
    std::vector<Digest> data, leaves;
    for (uint64_t i = 0; i < total; ++i) {
        data.push_back(leaf_data(i));
        leaves.push_back(hash::merkle_leaf_hash(data.back().data(), 32));
    }
    NodeStore store(leaves);
    audit::LogFrontier f;
    CHECK(f.root() == hash::sha256(nullptr, 0));
    std::vector<Digest> reused;
    for (uint64_t i = 0; i < total; ++i) {
        INFO("leaf " << i);
        std::vector<Digest> nodes = f.append(data[i]);
        uint64_t size = i + 1;
        REQUIRE(nodes.size() == 1 + unsigned(__builtin_ctzll(size)));
        for (unsigned level = 0; level < nodes.size(); ++level)
            CHECK(nodes[level] == store.levels[level][(size >> level) - 1]);
        CHECK(f.size() == size);
        CHECK(f.root() == hash::merkle_root(data.data(), size));
        CHECK(f.root() == ref_root(leaves, 0, size));

        // Resuming from the stored nodes continues exactly where the frontier is.
        audit::LogFrontier g = audit::LogFrontier::resume(size, store.lookup());
        check_reads(store, audit::root_nodes(size));
        CHECK(g.size() == size);
        CHECK(g.root() == f.root());
        if (size < total) {
            audit::LogFrontier h = f;
            h.append(data[size], reused);
            g.append(data[size], reused);
            CHECK(g.root() == h.root());
        }
    }
}

// Not run by default (hidden tag): `build/unit/unit_tests "[.bench]"` prints the cost of
// verifying proofs in a log of 2^20 leaves.
TEST_CASE("audit merkle log: verification speed at 2^20 leaves", "[.bench]") {
    const uint64_t n = uint64_t(1) << 20;
    std::vector<Digest> leaves = leaf_hashes_of(n);
    NodeStore store(leaves);
    Digest root = audit::log_root(n, store.lookup());
    std::mt19937_64 rng(7);
    const int rounds = 2000;
    std::vector<std::vector<Digest>> proofs;
    std::vector<uint64_t> ms;
    for (int i = 0; i < rounds; ++i) {
        ms.push_back(rng() % n);
        proofs.push_back(audit::inclusion_proof(ms.back(), n, store.lookup()));
    }
    auto t0 = std::chrono::steady_clock::now();
    int ok = 0;
    for (int i = 0; i < rounds; ++i) ok += audit::verify_inclusion(leaves[ms[i]], ms[i], n, proofs[i], root);
    auto t1 = std::chrono::steady_clock::now();
    CHECK(ok == rounds);
    // Consistency from random old sizes to three new sizes near 2^20 (odd shapes too).
    Digest new_roots[3];
    for (int k = 0; k < 3; ++k) new_roots[k] = audit::log_root(n - uint64_t(k), store.lookup());
    std::vector<uint64_t> olds;
    std::vector<Digest> old_roots;
    proofs.clear();
    for (int i = 0; i < rounds; ++i) {
        olds.push_back(1 + rng() % (n - 3));
        old_roots.push_back(audit::log_root(olds.back(), store.lookup()));
        proofs.push_back(audit::consistency_proof(olds.back(), n - uint64_t(i % 3), store.lookup()));
    }
    auto t2 = std::chrono::steady_clock::now();
    ok = 0;
    for (int i = 0; i < rounds; ++i)
        ok += audit::verify_consistency(olds[i], n - uint64_t(i % 3), old_roots[i], new_roots[i % 3],
                                        proofs[i]);
    auto t3 = std::chrono::steady_clock::now();
    CHECK(ok == rounds);
    auto us = [](auto d) { return std::chrono::duration<double, std::micro>(d).count(); };
    WARN("verify_inclusion: " << us(t1 - t0) / rounds << " us; verify_consistency: " << us(t3 - t2) / rounds
                              << " us (2^20 leaves)");
}
