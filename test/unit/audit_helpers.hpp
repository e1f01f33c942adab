// Shared helpers for the audit-chain unit tests: hex digests and an RFC 6962 reference tree.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/hash/merkle.hpp"

namespace audit_test {

namespace audit = persistence::audit;
namespace hash = persistence::hash;
using audit::Digest;

inline Digest digest(const std::string& hex) {
    std::string b = edn_test::from_hex(hex);
    REQUIRE(b.size() == 32);
    Digest d;
    std::copy(b.begin(), b.end(), d.begin());
    return d;
}

inline std::string hex(const Digest& d) { return hash::to_hex(d); }

// Distinct 32-byte leaf data, like the entry hashes the chain logs.
inline Digest leaf_data(uint64_t i) { return hash::sha256(&i, sizeof i); }

// RFC 6962 §2.1 written as the recursions of the RFC over leaf hashes [from, to): the
// independent reference the iterative code is checked against.
inline Digest ref_root(const std::vector<Digest>& leaves, size_t from, size_t to) {
    size_t n = to - from;
    if (n == 0) return hash::sha256(nullptr, 0);
    if (n == 1) return leaves[from];
    size_t k = 1;
    while (k * 2 < n) k *= 2;
    return hash::merkle_node_hash(ref_root(leaves, from, from + k), ref_root(leaves, from + k, to));
}

// PATH(m, D[from:to]), leaf-to-root order.
inline std::vector<Digest> ref_path(const std::vector<Digest>& leaves, size_t m, size_t from, size_t to) {
    size_t n = to - from;
    if (n <= 1) return {};
    size_t k = 1;
    while (k * 2 < n) k *= 2;
    std::vector<Digest> p;
    if (m < k) {
        p = ref_path(leaves, m, from, from + k);
        p.push_back(ref_root(leaves, from + k, to));
    } else {
        p = ref_path(leaves, m - k, from + k, to);
        p.push_back(ref_root(leaves, from, from + k));
    }
    return p;
}

// SUBPROOF(m, D[from:to], b) of RFC 9162 §2.1.4.1.
inline std::vector<Digest> ref_subproof(const std::vector<Digest>& leaves, size_t m, size_t from, size_t to,
                                        bool b) {
    size_t n = to - from;
    if (m == n) {
        if (b) return {};
        return {ref_root(leaves, from, to)};
    }
    size_t k = 1;
    while (k * 2 < n) k *= 2;
    std::vector<Digest> p;
    if (m <= k) {
        p = ref_subproof(leaves, m, from, from + k, b);
        p.push_back(ref_root(leaves, from + k, to));
    } else {
        p = ref_subproof(leaves, m - k, from + k, to, false);
        p.push_back(ref_root(leaves, from, from + k));
    }
    return p;
}

// The root an inclusion proof leads to, by the recursion of PATH (no bit tricks): the
// reference verify_inclusion must agree with for any claimed index and size.
inline std::optional<Digest> ref_root_from_path(Digest leaf, size_t m, size_t n,
                                                const std::vector<Digest>& proof, size_t used = 0) {
    if (m >= n) return std::nullopt;
    if (n == 1) return used == proof.size() ? std::optional<Digest>(leaf) : std::nullopt;
    if (used >= proof.size()) return std::nullopt;
    const Digest& last = proof[proof.size() - 1 - used];
    size_t k = 1;
    while (k * 2 < n) k *= 2;
    auto sub = m < k ? ref_root_from_path(leaf, m, k, proof, used + 1)
                     : ref_root_from_path(leaf, m - k, n - k, proof, used + 1);
    if (!sub) return std::nullopt;
    return m < k ? hash::merkle_node_hash(*sub, last) : hash::merkle_node_hash(last, *sub);
}

// The (old, new) roots a consistency proof leads to, by the recursion of SUBPROOF.
inline std::optional<std::pair<Digest, Digest>> ref_roots_from_subproof(size_t m, size_t n, bool b,
                                                                        const Digest& old_root,
                                                                        const std::vector<Digest>& proof,
                                                                        size_t used = 0) {
    size_t left = proof.size() - used;
    if (m == 0 || m > n) return std::nullopt;
    if (m == n) {
        if (b)
            return left == 0 ? std::optional<std::pair<Digest, Digest>>({old_root, old_root}) : std::nullopt;
        if (left != 1) return std::nullopt;
        return std::pair<Digest, Digest>{proof[0], proof[0]};
    }
    if (left == 0) return std::nullopt;
    const Digest& last = proof[proof.size() - 1 - used];
    size_t k = 1;
    while (k * 2 < n) k *= 2;
    if (m <= k) {
        auto sub = ref_roots_from_subproof(m, k, b, old_root, proof, used + 1);
        if (!sub) return std::nullopt;
        return std::pair<Digest, Digest>{sub->first, hash::merkle_node_hash(sub->second, last)};
    }
    auto sub = ref_roots_from_subproof(m - k, n - k, false, old_root, proof, used + 1);
    if (!sub) return std::nullopt;
    return std::pair<Digest, Digest>{hash::merkle_node_hash(last, sub->first),
                                     hash::merkle_node_hash(last, sub->second)};
}

// Every complete subtree of a tree, as a log would store them, with a lookup that
// records what it was asked for.
struct NodeStore {
    std::vector<std::vector<Digest>> levels;  // levels[l][i] = node (l, i)
    mutable std::vector<audit::NodeId> reads;

    explicit NodeStore(const std::vector<Digest>& leaf_hashes) {
        levels.push_back(leaf_hashes);
        while (levels.back().size() >= 2) {
            const auto& below = levels.back();
            std::vector<Digest> up;
            for (size_t i = 0; i + 1 < below.size(); i += 2)
                up.push_back(hash::merkle_node_hash(below[i], below[i + 1]));
            levels.push_back(std::move(up));
        }
    }
    audit::NodeLookup lookup() const {
        return [this](audit::NodeId id) {
            reads.push_back(id);
            REQUIRE(id.level < levels.size());
            REQUIRE(id.index < levels[id.level].size());
            return levels[id.level][id.index];
        };
    }
};

inline std::vector<Digest> leaf_hashes_of(size_t n) {
    std::vector<Digest> out;
    for (size_t i = 0; i < n; ++i) {
        Digest d = leaf_data(i);
        out.push_back(hash::merkle_leaf_hash(d.data(), d.size()));
    }
    return out;
}

}  // namespace audit_test
