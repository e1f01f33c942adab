// bench/audit (3), the core half: verification latency of an inclusion proof and of a
// consistency proof in a log of 2^20 leaves, with the same code verify_proof() and
// persistence-verify use, and the cost of the Ed25519 check that verify_proof() adds.
// Built by `make build/audit_core_bench`; prints one "name µs" line per figure.
#include <chrono>
#include <cstdio>
#include <vector>

#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/hash/merkle.hpp"

namespace audit = persistence::audit;
namespace hash = persistence::hash;

namespace {

template <typename F>
double micros_per_call(int n, F&& f) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) f(i);
    auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::micro>(t1 - t0).count() / n;
}

}  // namespace

int main() {
    const uint64_t size = uint64_t(1) << 20;
    // nodes[level][index]: every complete subtree, as the chain stores them.
    std::vector<std::vector<audit::Digest>> nodes(21);
    audit::LogFrontier frontier;
    for (uint64_t i = 0; i < size; ++i) {
        audit::Digest leaf = hash::sha256(&i, sizeof i);
        std::vector<audit::Digest> done = frontier.append(leaf);
        for (size_t level = 0; level < done.size(); ++level) nodes[level].push_back(done[level]);
    }
    audit::NodeLookup lookup = [&](audit::NodeId id) { return nodes[id.level][id.index]; };
    audit::Digest root = frontier.root();

    const int proofs = 512;
    std::vector<std::vector<audit::Digest>> paths;
    std::vector<uint64_t> indexes;
    double gen = micros_per_call(proofs, [&](int k) {
        uint64_t m = (uint64_t(k) * 2654435761u) % size;
        indexes.push_back(m);
        paths.push_back(audit::inclusion_proof(m, size, lookup));
    });
    int bad = 0;
    double verify = micros_per_call(200000, [&](int k) {
        size_t j = size_t(k) % proofs;
        if (!audit::verify_inclusion(nodes[0][indexes[j]], indexes[j], size, paths[j], root)) ++bad;
    });
    std::vector<audit::Digest> cons = audit::consistency_proof(size / 3, size, lookup);
    audit::Digest old_root = audit::log_root(size / 3, lookup);
    double consistency = micros_per_call(100000, [&](int) {
        if (!audit::verify_consistency(size / 3, size, old_root, root, cons)) ++bad;
    });
    audit::SigningKey key = audit::SigningKey::generate();
    audit::Checkpoint c;
    c.size = int64_t(size);
    c.root = root;
    std::string message = audit::checkpoint_bytes(c);
    audit::Signature sig = key.sign(message);
    double signature = micros_per_call(5000, [&](int) {
        if (!audit::verify_signature(key.public_key(), message, sig)) ++bad;
    });
    std::printf("inclusion_proof_generate_in_memory %.3f\n", gen);
    std::printf("verify_inclusion %.3f\n", verify);
    std::printf("verify_consistency %.3f\n", consistency);
    std::printf("ed25519_verify %.3f\n", signature);
    std::printf("failures %d\n", bad);
    return bad == 0 ? 0 : 1;
}
