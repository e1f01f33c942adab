#include "persistence/audit/verify.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "persistence/hash/merkle.hpp"

namespace persistence::audit {

namespace {

// Longest (e, a) pair hashed from a stack buffer by datom_hash(); longer datoms are
// hashed from the check's scratch string so that neither path allocates per datom.
constexpr size_t small_datom_text = 512 - (1 + 4 + 4 + 32 + 3 * 8 + 1);

// A tampered datom_count must not make the check reserve gigabytes up front.
constexpr uint32_t max_reserve = 1u << 16;

std::string with_detail(std::string_view reason, const std::string& detail) {
    std::string out(reason);
    out += ": ";
    out += detail;
    return out;
}

}  // namespace

void TxContentCheck::reset(const TxRow& tx) {
    tx_ = tx;
    hashes_.clear();
    hashes_.reserve(std::min(tx.datom_count, max_reserve));
    problem_.reset();
}

void TxContentCheck::add(const DatomRow& d) {
    if (problem_) return;
    if (d.tx != tx_.tx) {
        problem_ = Problem{tx_.tx, 0, std::string(reasons::datom_of_other_tx)};
        return;
    }
    Digest h;
    if (d.e.size() + d.a.size() <= small_datom_text) {
        h = datom::datom_hash(d.e, d.a, d.value_hash, d.tx, d.valid_from, d.valid_to, d.is_assert);
    } else {
        datom::canonical_bytes(d.e, d.a, d.value_hash, d.tx, d.valid_from, d.valid_to, d.is_assert, scratch_);
        h = hash::sha256(scratch_.data(), scratch_.size());
    }
    if (h != d.stored_hash) {
        problem_ = Problem{tx_.tx, 0, std::string(reasons::datom_modified)};
        return;
    }
    hashes_.push_back(h);
}

std::optional<Problem> TxContentCheck::finish() {
    if (problem_) return problem_;
    if (hashes_.size() != tx_.datom_count) {
        bool fewer = hashes_.size() < tx_.datom_count;
        std::string detail = std::to_string(hashes_.size()) + " datoms where the transaction counts " +
                             std::to_string(tx_.datom_count);
        problem_ =
            Problem{tx_.tx, 0, with_detail(fewer ? reasons::datom_deleted : reasons::datom_inserted, detail)};
        return problem_;
    }
    // The writer roots the transaction over its datom hashes in ascending byte order
    // (docs/fact.md), so the order the datoms were read in does not matter.
    std::sort(hashes_.begin(), hashes_.end());
    if (hash::merkle_root(hashes_) != tx_.merkle_root)
        problem_ = Problem{tx_.tx, 0, std::string(reasons::merkle_root_differs)};
    return problem_;
}

bool value_matches(const Digest& stored_hash, std::string_view canonical_bytes) {
    return hash::sha256(canonical_bytes.data(), canonical_bytes.size()) == stored_hash;
}

ChainWalk::ChainWalk(const LogId& log_id, std::vector<KeyRow> keys, std::vector<CheckpointRow> checkpoints,
                     std::vector<BranchRow> branches)
    : log_id_(log_id), checkpoints_(std::move(checkpoints)) {
    // A key row is trusted only under its true id: a row that files another public key
    // under a known key's id would otherwise make forged checkpoints verify.
    for (const KeyRow& k : keys)
        if (key_id(k.public_key) == k.key_id) keys_.emplace(k.key_id, k.public_key);
    std::stable_sort(checkpoints_.begin(), checkpoints_.end(),
                     [](const CheckpointRow& a, const CheckpointRow& b) {
                         if (a.checkpoint.size != b.checkpoint.size)
                             return a.checkpoint.size < b.checkpoint.size;
                         return a.checkpoint.time < b.checkpoint.time;
                     });
    checkpoint_met_.assign(checkpoints_.size(), false);
    for (const BranchRow& b : branches) {
        branches_[b.id] = b;
        if (b.fork_tx != 0) fork_txs_[b.fork_tx] = b.id;
    }
    completed_.reserve(64);
}

void ChainWalk::resume(uint64_t size, const Digest& last_entry_hash, LogFrontier frontier,
                       std::unordered_map<int32_t, Digest> lineage_heads,
                       std::unordered_map<int64_t, Digest> fork_entries) {
    if (frontier.size() != size)
        throw std::invalid_argument("ChainWalk::resume: the frontier's size differs from size");
    last_entry_hash_ = last_entry_hash;
    frontier_ = std::move(frontier);
    lineage_heads_ = std::move(lineage_heads);
    for (auto& [tx, h] : fork_entries) fork_entries_[tx] = h;
    // Checkpoints inside the trusted prefix are not met by the walk; finish() still checks
    // their keys, signatures and chain.
    while (next_checkpoint_ < checkpoints_.size() &&
           checkpoints_[next_checkpoint_].checkpoint.size < int64_t(size))
        ++next_checkpoint_;
    meet_checkpoints(0, int64_t(size));
}

void ChainWalk::content_problem(const Problem& p) { content_problems_.emplace(p.tx, p); }

bool ChainWalk::fail(int64_t tx, int64_t seq, std::string reason) {
    if (!problem_) problem_ = Problem{tx, seq, std::move(reason)};
    return false;
}

std::optional<std::string_view> ChainWalk::checkpoint_problem(size_t i, const Digest* root) const {
    const CheckpointRow& row = checkpoints_[i];
    const Checkpoint& c = row.checkpoint;
    if (root && c.root != *root) return reasons::checkpoint_root_differs;
    auto key = keys_.find(c.key_id);
    if (key == keys_.end()) return reasons::checkpoint_unknown_key;
    if (!verify_signature(key->second, checkpoint_bytes(c), row.signature))
        return reasons::checkpoint_bad_signature;
    Digest prev =
        i == 0 ? zero_digest : checkpoint_hash(checkpoints_[i - 1].checkpoint, checkpoints_[i - 1].signature);
    if (c.prev_hash != prev) return reasons::checkpoint_chain_broken;
    if (c.log_id != log_id_) return reasons::checkpoint_other_log;
    return std::nullopt;
}

bool ChainWalk::meet_checkpoints(int64_t tx, int64_t seq) {
    const int64_t size = int64_t(frontier_.size());
    if (next_checkpoint_ >= checkpoints_.size() || checkpoints_[next_checkpoint_].checkpoint.size > size)
        return true;
    Digest root = frontier_.root();
    for (; next_checkpoint_ < checkpoints_.size(); ++next_checkpoint_) {
        int64_t at = checkpoints_[next_checkpoint_].checkpoint.size;
        if (at > size) break;
        if (at < size) continue;  // below a resumed prefix or negative: finish() checks it
        checkpoint_met_[next_checkpoint_] = true;
        if (auto why = checkpoint_problem(next_checkpoint_, &root)) return fail(tx, seq, std::string(*why));
        last_verified_checkpoint_ = at;
    }
    return true;
}

bool ChainWalk::add(const EntryRow& e, const TxRow* tx) {
    if (problem_) return false;
    // Checkpoints of the empty log are met before the first entry.
    if (!meet_checkpoints(0, int64_t(frontier_.size()))) return false;
    const uint64_t expected = frontier_.size() + 1;
    if (e.seq < int64_t(expected))
        return fail(e.tx, e.seq,
                    with_detail(reasons::entries_reordered, "seq " + std::to_string(e.seq) + " where seq " +
                                                                std::to_string(expected) + " was expected"));
    if (e.seq > int64_t(expected))
        return fail(
            e.tx, e.seq,
            with_detail(reasons::entry_missing, "seq " + std::to_string(expected) +
                                                    " is absent, the next is " + std::to_string(e.seq)));
    if (e.prev_hash != last_entry_hash_) return fail(e.tx, e.seq, std::string(reasons::chain_link_broken));
    if (!tx) return fail(e.tx, e.seq, std::string(reasons::transaction_missing));
    if (tx->tx != e.tx || tx->branch_id != e.branch_id || tx->merkle_root != e.merkle_root)
        return fail(e.tx, e.seq, std::string(reasons::transaction_row_mismatch));

    Digest lineage = zero_digest;
    auto head = lineage_heads_.find(e.branch_id);
    if (head != lineage_heads_.end()) {
        lineage = head->second;
    } else {
        auto b = branches_.find(e.branch_id);
        if (b == branches_.end()) return fail(e.tx, e.seq, std::string(reasons::unknown_branch));
        // A branch's first entry commits to its parent's state at the fork: the entry of
        // the fork transaction (sealed earlier, since it committed before the branch
        // existed). main and branches forked before any transaction start at genesis.
        if (b->second.parent_id != 0 && b->second.fork_tx != 0) {
            auto f = fork_entries_.find(b->second.fork_tx);
            if (f == fork_entries_.end()) return fail(e.tx, e.seq, std::string(reasons::lineage_broken));
            lineage = f->second;
        }
    }
    if (e.branch_prev != lineage) return fail(e.tx, e.seq, std::string(reasons::lineage_broken));

    EntryMeta meta;
    meta.seq = e.seq;
    meta.tx = e.tx;
    meta.branch_id = e.branch_id;
    meta.tx_time = tx->tx_time;
    meta.datom_count = tx->datom_count;
    meta.branch_prev = e.branch_prev;
    if (entry_hash(e.prev_hash, meta, e.merkle_root) != e.entry_hash)
        return fail(e.tx, e.seq, std::string(reasons::entry_hash_mismatch));

    if (!content_problems_.empty()) {
        auto c = content_problems_.find(e.tx);
        if (c != content_problems_.end()) return fail(e.tx, e.seq, c->second.reason);
    }

    frontier_.append(e.entry_hash, completed_);
    const size_t stored = completed_.size() - 1;
    if (e.subtree_roots.size() != 32 * stored ||
        (stored && std::memcmp(e.subtree_roots.data(), completed_[1].data(), 32 * stored) != 0))
        return fail(e.tx, e.seq, std::string(reasons::merkle_node_mismatch));

    last_entry_hash_ = e.entry_hash;
    if (head != lineage_heads_.end())
        head->second = e.entry_hash;
    else
        lineage_heads_.emplace(e.branch_id, e.entry_hash);
    if (!fork_txs_.empty() && fork_txs_.count(e.tx)) fork_entries_[e.tx] = e.entry_hash;
    ++checked_;
    return meet_checkpoints(e.tx, e.seq);
}

std::optional<Problem> ChainWalk::finish(const std::vector<int64_t>& unsealed_unknown) {
    if (problem_) return problem_;
    if (!meet_checkpoints(0, int64_t(frontier_.size()))) return problem_;
    const int64_t size = int64_t(frontier_.size());
    for (size_t i = 0; i < checkpoints_.size(); ++i) {
        if (checkpoint_met_[i]) continue;
        const Checkpoint& c = checkpoints_[i].checkpoint;
        if (c.size <= size) {
            // Inside a resumed prefix: the root was trusted with the prefix, the rest is not.
            if (auto why = checkpoint_problem(i, nullptr)) {
                fail(0, 0, std::string(*why));
                return problem_;
            }
            continue;
        }
        // Beyond the end. A checkpoint nobody signed is junk, not evidence of a cut log.
        if (keys_.find(c.key_id) == keys_.end()) {
            fail(0, 0, std::string(reasons::checkpoint_unknown_key));
        } else if (!verify_signature(keys_.at(c.key_id), checkpoint_bytes(c), checkpoints_[i].signature)) {
            fail(0, 0, std::string(reasons::checkpoint_bad_signature));
        } else {
            fail(0, 0,
                 std::string(reasons::checkpoint_beyond_log) + std::to_string(c.size) +
                     " is newer than the log of " + std::to_string(size) +
                     " entries: truncated tail or restored from an older backup");
        }
        return problem_;
    }
    if (!unsealed_unknown.empty()) {
        int64_t first = *std::min_element(unsealed_unknown.begin(), unsealed_unknown.end());
        fail(first, 0, std::string(reasons::unsealed_unknown));
    }
    return problem_;
}

}  // namespace persistence::audit
