// Proofs as EDN (docs/audit.md "Proofs"): what audit_proof() and consistency_proof()
// return and verify_proof() and third parties check. Hashes, keys and signatures are
// lower-case hex strings; times are µs since the Unix epoch.
//
// Inclusion:
//   {:proof/type :inclusion, :log-id "…", :tx 42, :seq 17, :tree-size 1000,
//    :entry {:prev-hash "…" :branch-id 1 :tx-time 1767225600000000 :datom-count 3
//            :branch-prev "…" :merkle-root "…"},
//    :entry-hash "…", :path ["…" …], :root "…",
//    :checkpoint {:size 1000 :root "…" :prev-hash "…" :time … :key-id "…" :signature "…"}}
//   Check: entry_hash(prev-hash, {seq, tx, branch-id, tx-time, datom-count, branch-prev},
//   merkle-root) = entry-hash; RFC 9162 inclusion of SHA-256(0x00 ‖ entry-hash) at index
//   seq - 1 in a tree of tree-size leaves with root; root = checkpoint root, size =
//   tree-size; the checkpoint's Ed25519 signature by the key with key-id.
// Consistency:
//   {:proof/type :consistency, :log-id "…", :old-size m, :new-size n, :old-root "…",
//    :new-root "…", :proof ["…" …], :old-checkpoint {…} (when m has one),
//    :new-checkpoint {…} (when n has one)}
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "persistence/audit/chain.hpp"
#include "persistence/audit/checkpoint.hpp"
#include "persistence/core/error.hpp"
#include "persistence/edn/value.hpp"

namespace persistence::audit {

struct SignedCheckpoint {
    Checkpoint checkpoint;
    Signature signature{};
};

struct InclusionProof {
    LogId log_id{};
    EntryMeta entry;
    Digest prev_hash{}, merkle_root{}, entry_hash{};
    uint64_t tree_size = 0;
    std::vector<Digest> path;
    Digest root{};
    SignedCheckpoint checkpoint;
};

struct ConsistencyProof {
    LogId log_id{};
    uint64_t old_size = 0, new_size = 0;
    Digest old_root{}, new_root{};
    std::vector<Digest> proof;
    std::optional<SignedCheckpoint> old_checkpoint, new_checkpoint;
};

// EDN text of a proof (read with edn::read to store it).
std::string to_edn(const InclusionProof& p);
std::string to_edn(const ConsistencyProof& p);

// A proof read back from EDN: 22023 errors name the missing or malformed key.
struct ParsedProof {
    std::optional<InclusionProof> inclusion;
    std::optional<ConsistencyProof> consistency;
};
core::Result<ParsedProof> parse_proof(edn::ValueRef v);

// The checks of the header comment. `key` is the public key trusted for the checkpoint's
// key id (nullptr: the signature is not checked). Returns the failed check, if any.
std::optional<std::string> check_proof(const InclusionProof& p, const PublicKey* key);
std::optional<std::string> check_proof(const ConsistencyProof& p, const PublicKey* old_key, const PublicKey* new_key);

}  // namespace persistence::audit
