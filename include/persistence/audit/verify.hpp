// Verification of the audit chain, shared by persistence.verify_chain() (fed from the
// tables) and the offline persistence-verify command (fed from an export): one code path
// decides what is consistent.
//
// Two passes, so that the SQL face can read each table in its cheapest order:
//  1. content (TxContentCheck): per transaction, its datoms recomputed (datom hash, count,
//     Merkle root over the hashes in ascending byte order), in any order of transactions;
//  2. chain (ChainWalk): the chain entries in seq order with their transaction rows:
//     links, lineage links, entry hashes, stored subtree nodes, the Merkle log and the
//     signed checkpoints.
// The first problem in seq order wins: a content problem of a transaction is reported
// when the walk reaches that transaction's entry (ChainWalk::content_problem).
#pragma once
#ifdef POSTGRES_H
#error "persistence core headers must be included before postgres.h (STYLE.md §3)"
#endif

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "persistence/audit/chain.hpp"
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"

namespace persistence::audit {

// The reasons a verification reports, stable so that SQL and tests can match them. A
// reason may go on after its text with ": " and details (counts, sequence numbers); match
// on the prefix.
namespace reasons {
// TxContentCheck (pass 1), and the export's value check.
inline constexpr std::string_view datom_modified = "datom modified";
inline constexpr std::string_view datom_of_other_tx = "datom of another transaction";
inline constexpr std::string_view datom_deleted = "datom deleted";
inline constexpr std::string_view datom_inserted = "datom inserted";
inline constexpr std::string_view merkle_root_differs = "datoms do not match the transaction's Merkle root";
inline constexpr std::string_view value_mismatch = "value payload does not match its hash";
// ChainWalk (pass 2), per entry in this order.
inline constexpr std::string_view entry_missing = "entry missing";
inline constexpr std::string_view entries_reordered = "entries reordered";
inline constexpr std::string_view chain_link_broken = "chain link broken";
inline constexpr std::string_view transaction_missing =
    "transaction missing: the sealed transaction's row was deleted";
inline constexpr std::string_view transaction_row_mismatch =
    "transaction row does not match its sealed entry";
inline constexpr std::string_view unknown_branch = "entry of an unknown branch";
inline constexpr std::string_view lineage_broken = "branch lineage link broken";
inline constexpr std::string_view entry_hash_mismatch = "entry hash mismatch";
inline constexpr std::string_view merkle_node_mismatch = "stored Merkle node mismatch";
inline constexpr std::string_view checkpoint_root_differs =
    "checkpoint root differs from the log: split view / fork";
inline constexpr std::string_view checkpoint_unknown_key = "checkpoint signed by an unknown key";
inline constexpr std::string_view checkpoint_bad_signature = "checkpoint signature invalid";
inline constexpr std::string_view checkpoint_chain_broken = "checkpoint chain broken";
inline constexpr std::string_view checkpoint_other_log = "checkpoint of another log";
// ChainWalk::finish: "checkpoint of size N is newer than the log of M entries: truncated
// tail or restored from an older backup", then the unsealed transactions.
inline constexpr std::string_view checkpoint_beyond_log = "checkpoint of size ";
inline constexpr std::string_view unsealed_unknown =
    "transaction not in the chain and not waiting to be sealed: inserted behind the sealer";
}  // namespace reasons

// A problem found: the transaction it is first visible in (0 when none applies, e.g. a
// checkpoint beyond the end of the log) and a reason in plain words (docs/audit.md lists
// them). seq is the chain position, 0 when not at an entry.
struct Problem {
    int64_t tx = 0;
    int64_t seq = 0;
    std::string reason;
};

struct DatomRow {
    std::string_view e, a;
    Digest value_hash{};
    int64_t tx = 0;
    datom::Micros valid_from = 0, valid_to = datom::open_end;
    bool is_assert = true;
    Digest stored_hash{};
};

struct TxRow {
    int64_t tx = 0;
    int32_t branch_id = 0;
    int64_t tx_time = 0;
    uint32_t datom_count = 0;
    Digest merkle_root{};
};

// Pass 1, one transaction: add its datoms (any order), then finish().
class TxContentCheck {
   public:
    explicit TxContentCheck(const TxRow& tx) { reset(tx); }
    // Starts over on another transaction, keeping the buffers (pass 1 runs one check per
    // transaction; reusing one keeps it free of per-transaction allocations).
    void reset(const TxRow& tx);
    void add(const DatomRow& d);
    // The first problem of this transaction, if any: a datom whose stored hash differs
    // from its recomputed hash ("datom modified"), a datom of another tx, fewer or more
    // datoms than datom_count ("datom deleted" / "datom inserted"), or a Merkle root that
    // differs ("datoms do not match the transaction's Merkle root").
    std::optional<Problem> finish();

   private:
    TxRow tx_;
    std::vector<Digest> hashes_;
    std::optional<Problem> problem_;
    std::string scratch_;
};

// A value payload against its content hash (edn_hash = SHA-256 of the canonical bytes).
bool value_matches(const Digest& stored_hash, std::string_view canonical_bytes);

struct EntryRow {
    int64_t seq = 0;
    int64_t tx = 0;
    int32_t branch_id = 0;
    Digest prev_hash{}, merkle_root{}, entry_hash{}, branch_prev{};
    std::string_view subtree_roots;  // concatenated 32-byte node hashes, levels 1..
};

struct CheckpointRow {
    Checkpoint checkpoint;
    Signature signature{};
};

struct KeyRow {
    Digest key_id{};
    PublicKey public_key{};
};

struct BranchRow {
    int32_t id = 0;
    int32_t parent_id = 0;  // 0: none (main)
    int64_t fork_tx = 0;    // 0: forked before any transaction
};

// Pass 2. Configure (keys, checkpoints, branches, content problems), then feed every
// entry in seq order, then finish(). Stops collecting at the first problem.
class ChainWalk {
   public:
    ChainWalk(const LogId& log_id, std::vector<KeyRow> keys, std::vector<CheckpointRow> checkpoints,
              std::vector<BranchRow> branches);

    // Starts after a trusted prefix of `size` entries instead of at genesis: the last
    // entry's hash, each branch's last lineage hash (and the entry hash of each fork tx
    // at or before that point) and the frontier resumed from stored nodes. The frontier's
    // root is checked against the checkpoint of that size when there is one. Call it
    // before the first add(); throws std::invalid_argument if frontier.size() != size.
    void resume(uint64_t size, const Digest& last_entry_hash, LogFrontier frontier,
                std::unordered_map<int32_t, Digest> lineage_heads,
                std::unordered_map<int64_t, Digest> fork_entries);

    // A transaction whose content check (pass 1) failed; reported at its entry.
    void content_problem(const Problem& p);

    // One entry, in seq order, with its transaction row (nullptr: the row is missing).
    // Returns false once a problem has been found (the caller may stop feeding).
    bool add(const EntryRow& entry, const TxRow* tx);

    // After the last entry: checkpoints beyond the log's end, the checkpoint chain
    // (prev_hash), signatures and keys of checkpoints not met during the walk.
    // `unsealed_unknown`: committed transactions that are neither in the chain nor waiting
    // to be sealed (inserted behind the sealer's back), lowest first.
    std::optional<Problem> finish(const std::vector<int64_t>& unsealed_unknown = {});

    uint64_t checked() const { return checked_; }
    const std::optional<Problem>& problem() const { return problem_; }
    // The size of the last checkpoint whose root and signature were verified (0: none).
    int64_t last_verified_checkpoint() const { return last_verified_checkpoint_; }

   private:
    bool fail(int64_t tx, int64_t seq, std::string reason);
    // The first problem of checkpoints_[i]; its root is compared only when given.
    std::optional<std::string_view> checkpoint_problem(size_t i, const Digest* root) const;
    // Checks the checkpoints whose size the walk has reached (tx and seq: where).
    bool meet_checkpoints(int64_t tx, int64_t seq);

    LogId log_id_;
    std::map<Digest, PublicKey> keys_;
    std::vector<CheckpointRow> checkpoints_;  // by size, then time
    std::vector<bool> checkpoint_met_;        // root compared with the log's at its size
    size_t next_checkpoint_ = 0;
    std::unordered_map<int32_t, BranchRow> branches_;
    std::unordered_map<int64_t, int32_t> fork_txs_;  // fork tx -> a branch forked there
    std::unordered_map<int64_t, Digest> fork_entries_;
    std::unordered_map<int32_t, Digest> lineage_heads_;
    std::unordered_map<int64_t, Problem> content_problems_;
    LogFrontier frontier_;
    Digest last_entry_hash_{};
    uint64_t checked_ = 0;
    int64_t last_verified_checkpoint_ = 0;
    std::optional<Problem> problem_;
    std::vector<Digest> completed_;  // nodes the last append completed
};

}  // namespace persistence::audit
