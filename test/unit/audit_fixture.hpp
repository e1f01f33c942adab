// A synthetic sealed chain, built the way the sealer builds it, for the verification and
// export tests: two branches, datoms with value payloads, signed checkpoints every four
// entries and one transaction still waiting to be sealed.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit_helpers.hpp"
#include "persistence/audit/chain.hpp"
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/export.hpp"
#include "persistence/audit/verify.hpp"
#include "persistence/datom/datom.hpp"

namespace audit_test {

using audit::Problem;

struct FDatom {
    std::string e, a;
    Digest value_hash{};
    int64_t tx = 0;
    int64_t valid_from = 0, valid_to = persistence::datom::open_end;
    bool is_assert = true;
    Digest stored_hash{};

    audit::DatomRow row() const {
        return audit::DatomRow{e, a, value_hash, tx, valid_from, valid_to, is_assert, stored_hash};
    }
    void rehash() {
        stored_hash = persistence::datom::datom_hash(e, a, value_hash, tx, valid_from, valid_to, is_assert);
    }
};

struct FEntry {
    audit::EntryRow base;  // subtree_roots unset
    std::string roots;
    audit::EntryRow row() const {
        audit::EntryRow r = base;
        r.subtree_roots = roots;
        return r;
    }
};

struct FValue {
    Digest hash{};
    std::optional<std::string> bytes;
};

inline std::array<uint8_t, 32> seed_of(uint8_t b) {
    std::array<uint8_t, 32> s;
    s.fill(b);
    return s;
}

struct Fixture {
    audit::LogId log_id{};
    audit::SigningKey key = audit::SigningKey::from_seed(seed_of(7));
    std::vector<audit::KeyRow> keys;
    std::vector<audit::BranchRow> branches;
    std::vector<audit::TxRow> txs;
    std::vector<FDatom> datoms;
    std::vector<FValue> values;
    std::vector<FEntry> entries;  // in seq order
    std::vector<audit::CheckpointRow> checkpoints;
    std::vector<int64_t> pending;
    uint64_t checkpoint_every = 4;

    // Transactions 101..100+n in commit order; tx 105, 107 and 110 (and every tenth from
    // 115) are on branch 2, forked from main at tx 104; the last one is left unsealed.
    explicit Fixture(int n = 13, int datoms_per_tx = 3) {
        for (uint8_t i = 0; i < 16; ++i) log_id[i] = uint8_t(0x10 + i);
        keys.push_back({audit::key_id(key.public_key()), key.public_key()});
        branches.push_back({1, 0, 0});
        branches.push_back({2, 1, 104});
        std::string shared = "shared value";
        add_value(shared);
        for (int i = 1; i <= n; ++i) {
            int64_t tx = 100 + i;
            audit::TxRow t;
            t.tx = tx;
            t.branch_id = (tx == 105 || tx == 107 || tx == 110 || (tx > 110 && tx % 10 == 5)) ? 2 : 1;
            t.tx_time = 1700000000000000 + int64_t(i) * 1000;
            int count = 1 + (i % datoms_per_tx);
            for (int j = 0; j < count; ++j) {
                FDatom d;
                d.e = "entity-" + std::to_string(i % 5);
                d.a = ":attr/n" + std::to_string(j);
                std::string payload =
                    (tx == 103 || tx == 107) && j == 0 ? shared : "value " + std::to_string(i * 10 + j);
                d.value_hash = hash::sha256(payload.data(), payload.size());
                if (payload != shared) add_value(payload);
                d.tx = tx;
                d.valid_from = t.tx_time - 5;
                if (j == 1) d.valid_to = t.tx_time + 1000000;
                d.is_assert = j != 2;
                d.rehash();
                datoms.push_back(d);
            }
            txs.push_back(t);
            recount(tx);
        }
        pending.push_back(100 + n);
        seal_all();
    }

    void add_value(const std::string& payload) {
        values.push_back({hash::sha256(payload.data(), payload.size()), payload});
    }

    audit::TxRow* tx_row(int64_t tx) {
        for (auto& t : txs)
            if (t.tx == tx) return &t;
        return nullptr;
    }
    FEntry& entry_of(int64_t tx) {
        for (auto& e : entries)
            if (e.base.tx == tx) return e;
        FAIL("no entry for tx " << tx);
        return entries.front();
    }
    FDatom& datom_of(int64_t tx, size_t k = 0) {
        for (auto& d : datoms)
            if (d.tx == tx && k-- == 0) return d;
        FAIL("no datom " << k << " of tx " << tx);
        return datoms.front();
    }

    // The writer's datom_count and Merkle root of a transaction from its current datoms.
    void recount(int64_t tx) {
        std::vector<Digest> hs;
        for (const auto& d : datoms)
            if (d.tx == tx) hs.push_back(d.stored_hash);
        std::sort(hs.begin(), hs.end());
        audit::TxRow* t = tx_row(tx);
        t->datom_count = uint32_t(hs.size());
        t->merkle_root = hash::merkle_root(hs);
    }

    // What the sealer does: every transaction not pending gets an entry, in commit
    // order, with lineage links, the Merkle nodes it completes and periodic checkpoints.
    void seal_all() {
        entries.clear();
        checkpoints.clear();
        audit::LogFrontier frontier;
        std::map<int32_t, Digest> heads;
        std::map<int64_t, Digest> by_tx;
        Digest prev = audit::zero_digest;
        std::vector<Digest> completed;
        for (const audit::TxRow& t : txs) {
            if (std::find(pending.begin(), pending.end(), t.tx) != pending.end()) continue;
            FEntry e;
            e.base.seq = int64_t(entries.size()) + 1;
            e.base.tx = t.tx;
            e.base.branch_id = t.branch_id;
            e.base.prev_hash = prev;
            e.base.merkle_root = t.merkle_root;
            if (heads.count(t.branch_id)) {
                e.base.branch_prev = heads[t.branch_id];
            } else {
                for (const auto& b : branches)
                    if (b.id == t.branch_id && b.parent_id != 0 && b.fork_tx != 0)
                        e.base.branch_prev = by_tx[b.fork_tx];
            }
            audit::EntryMeta m{e.base.seq, t.tx, t.branch_id, t.tx_time, t.datom_count, e.base.branch_prev};
            e.base.entry_hash = audit::entry_hash(prev, m, t.merkle_root);
            frontier.append(e.base.entry_hash, completed);
            for (size_t i = 1; i < completed.size(); ++i)
                e.roots.append(reinterpret_cast<const char*>(completed[i].data()), 32);
            prev = heads[t.branch_id] = by_tx[t.tx] = e.base.entry_hash;
            entries.push_back(e);
            if (frontier.size() % checkpoint_every == 0)
                add_checkpoint(int64_t(frontier.size()), frontier.root(), key);
        }
    }

    void add_checkpoint(int64_t size, const Digest& root, const audit::SigningKey& by) {
        audit::CheckpointRow r;
        r.checkpoint.log_id = log_id;
        r.checkpoint.size = size;
        r.checkpoint.root = root;
        if (!checkpoints.empty()) {
            const auto& last = checkpoints.back();
            r.checkpoint.prev_hash = audit::checkpoint_hash(last.checkpoint, last.signature);
        }
        r.checkpoint.time = 1700000000000000 + size * 1000 + 500;
        r.checkpoint.key_id = audit::key_id(by.public_key());
        r.signature = by.sign(audit::checkpoint_bytes(r.checkpoint));
        checkpoints.push_back(r);
    }

    // Re-signs checkpoint i (after an edit) and re-chains the ones after it, as a holder
    // of the key could.
    void resign_from(size_t i, const audit::SigningKey& by) {
        for (; i < checkpoints.size(); ++i) {
            auto& c = checkpoints[i];
            if (i > 0)
                c.checkpoint.prev_hash =
                    audit::checkpoint_hash(checkpoints[i - 1].checkpoint, checkpoints[i - 1].signature);
            c.checkpoint.key_id = audit::key_id(by.public_key());
            c.signature = by.sign(audit::checkpoint_bytes(c.checkpoint));
        }
    }

    // The server's two passes over these rows, entries fed in the order of `entries`.
    std::optional<Problem> verify(audit::ChainWalk* walk_out = nullptr) const {
        audit::ChainWalk walk(log_id, keys, checkpoints, branches);
        audit::TxContentCheck check(audit::TxRow{});
        for (const auto& t : txs) {
            check.reset(t);
            for (const auto& d : datoms)
                if (d.tx == t.tx) check.add(d.row());
            if (auto p = check.finish()) walk.content_problem(*p);
        }
        std::vector<int64_t> sealed;
        for (const auto& e : entries) {
            sealed.push_back(e.base.tx);
            const audit::TxRow* t = nullptr;
            for (const auto& r : txs)
                if (r.tx == e.base.tx) t = &r;
            if (!walk.add(e.row(), t)) break;
        }
        std::vector<int64_t> unsealed;
        for (const auto& t : txs)
            if (std::find(sealed.begin(), sealed.end(), t.tx) == sealed.end() &&
                std::find(pending.begin(), pending.end(), t.tx) == pending.end())
                unsealed.push_back(t.tx);
        auto p = walk.finish(unsealed);
        if (walk_out) *walk_out = walk;
        return p;
    }

    // The export_chain() text; groups written in an order unlike write_export()'s, since
    // lines may come in any order.
    std::string export_text() const {
        std::string out;
        audit::export_header_line(out);
        for (const auto& d : datoms) audit::export_datom_line(d.row(), out);
        for (const auto& e : entries) audit::export_entry_line(e.row(), out);
        for (const auto& c : checkpoints) audit::export_checkpoint_line(c, out);
        audit::export_log_line(log_id, out);
        for (const auto& t : txs) audit::export_tx_line(t, out);
        for (const auto& v : values)
            audit::export_value_line(v.hash,
                                     v.bytes ? std::optional<std::string_view>(*v.bytes) : std::nullopt, out);
        for (const auto& b : branches) audit::export_branch_line(b, out);
        for (const auto& k : keys) audit::export_key_line(k, out);
        for (int64_t p : pending) audit::export_pending_line(p, out);
        return out;
    }
};

// Checks a problem's transaction and reason prefix.
#define CHECK_PROBLEM(problem, expected_tx, reason_prefix)           \
    do {                                                             \
        auto p_ = (problem);                                         \
        REQUIRE(p_.has_value());                                     \
        INFO("reason: " << p_->reason);                              \
        CHECK(p_->tx == (expected_tx));                              \
        CHECK(p_->reason.rfind(std::string(reason_prefix), 0) == 0); \
    } while (0)

}  // namespace audit_test
