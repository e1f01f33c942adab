// ChainWalk and TxContentCheck over a synthetic chain: the valid chain passes and every
// class of tampering is reported at the right transaction with the right reason.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "audit_fixture.hpp"

using namespace audit_test;
namespace reasons = audit::reasons;

TEST_CASE("audit verify: a valid chain passes") {
    Fixture f;
    REQUIRE(f.entries.size() == 12);
    REQUIRE(f.checkpoints.size() == 3);
    audit::ChainWalk walk(f.log_id, {}, {}, {});
    CHECK_FALSE(f.verify(&walk).has_value());
    CHECK(walk.checked() == 12);
    CHECK(walk.last_verified_checkpoint() == 12);

    // The branch's first entry commits to main's entry at the fork (tx 104).
    CHECK(f.entry_of(105).base.branch_prev == f.entry_of(104).base.entry_hash);
    CHECK(f.entry_of(107).base.branch_prev == f.entry_of(105).base.entry_hash);
    CHECK(f.entry_of(106).base.branch_prev == f.entry_of(104).base.entry_hash);
    CHECK(f.entry_of(101).base.branch_prev == audit::zero_digest);
}

TEST_CASE("audit verify: datom tampering is found by the content pass") {
    SECTION("modified datom") {
        Fixture f;
        f.datom_of(106).e = "someone else";
        CHECK_PROBLEM(f.verify(), 106, reasons::datom_modified);
    }
    SECTION("modified datom with its stored hash recomputed") {
        Fixture f;
        f.datom_of(102, 1).valid_to = 1;
        f.datom_of(102, 1).rehash();
        CHECK_PROBLEM(f.verify(), 102, reasons::merkle_root_differs);
    }
    SECTION("deleted datom") {
        Fixture f;
        auto& d = f.datom_of(105, 2);
        f.datoms.erase(f.datoms.begin() + (&d - f.datoms.data()));
        CHECK_PROBLEM(f.verify(), 105, reasons::datom_deleted);
    }
    SECTION("inserted datom") {
        Fixture f;
        FDatom d = f.datom_of(108);
        d.a = ":attr/forged";
        d.rehash();
        f.datoms.push_back(d);
        CHECK_PROBLEM(f.verify(), 108, reasons::datom_inserted);
    }
    SECTION("datom moved to another transaction, hash recomputed") {
        Fixture f;
        FDatom& d = f.datom_of(102);
        d.tx = 109;
        d.rehash();
        CHECK_PROBLEM(f.verify(), 102, reasons::datom_deleted);
    }
    SECTION("the first problem in seq order wins") {
        Fixture f;
        f.datom_of(110).e = "x";
        f.datom_of(103).e = "y";
        CHECK_PROBLEM(f.verify(), 103, reasons::datom_modified);
    }
}

TEST_CASE("audit verify: transaction rows") {
    SECTION("deleted transaction row") {
        Fixture f;
        f.txs.erase(f.txs.begin() + 4);  // tx 105
        CHECK_PROBLEM(f.verify(), 105, reasons::transaction_missing);
    }
    SECTION("modified tx_time") {
        Fixture f;
        f.tx_row(106)->tx_time += 1;
        CHECK_PROBLEM(f.verify(), 106, reasons::entry_hash_mismatch);
    }
    SECTION("modified datom_count") {
        Fixture f;
        f.tx_row(102)->datom_count += 1;
        CHECK_PROBLEM(f.verify(), 102, reasons::entry_hash_mismatch);
    }
    SECTION("transaction row moved to another branch") {
        Fixture f;
        f.tx_row(103)->branch_id = 2;
        CHECK_PROBLEM(f.verify(), 103, reasons::transaction_row_mismatch);
    }
    SECTION("Merkle root rewritten to match tampered datoms") {
        Fixture f;
        f.datom_of(104).e = "rewritten";
        f.datom_of(104).rehash();
        f.recount(104);
        CHECK_PROBLEM(f.verify(), 104, reasons::transaction_row_mismatch);
    }
    SECTION("unsealed unknown transaction") {
        Fixture f;
        audit::TxRow t = *f.tx_row(112);
        t.tx = 150;
        f.txs.push_back(t);
        audit::TxRow u = t;
        u.tx = 140;
        f.txs.push_back(u);
        CHECK_PROBLEM(f.verify(), 140, reasons::unsealed_unknown);
    }
    SECTION("a pending transaction is fine") {
        Fixture f;
        REQUIRE(f.pending == std::vector<int64_t>{113});
        CHECK_FALSE(f.verify().has_value());
    }
}

TEST_CASE("audit verify: entries") {
    SECTION("reordered entries (two entries swap places)") {
        Fixture f;
        std::swap(f.entries[4], f.entries[5]);
        f.entries[4].base.seq = 5;
        f.entries[5].base.seq = 6;
        CHECK_PROBLEM(f.verify(), 106, reasons::chain_link_broken);
    }
    SECTION("entries fed out of seq order") {
        Fixture f;
        std::swap(f.entries[4], f.entries[5]);
        CHECK_PROBLEM(f.verify(), 106, reasons::entry_missing);
    }
    SECTION("repeated seq") {
        Fixture f;
        f.entries.insert(f.entries.begin() + 3, f.entries[2]);
        CHECK_PROBLEM(f.verify(), 103, reasons::entries_reordered);
    }
    SECTION("deleted entry") {
        Fixture f;
        f.entries.erase(f.entries.begin() + 5);  // seq 6, tx 106
        CHECK_PROBLEM(f.verify(), 107, reasons::entry_missing);
    }
    SECTION("inserted entry, forged consistently, later entries renumbered") {
        Fixture f;
        // A forged transaction committed "between" 106 and 107, sealed by hand.
        audit::TxRow t = *f.tx_row(106);
        t.tx = 170;
        FDatom d = f.datom_of(106);
        d.tx = 170;
        d.rehash();
        f.datoms.push_back(d);
        f.txs.push_back(t);
        f.recount(170);
        t = *f.tx_row(170);
        FEntry e;
        e.base = f.entries[5].base;
        e.base.seq = 7;
        e.base.tx = 170;
        e.base.prev_hash = f.entries[5].base.entry_hash;
        e.base.merkle_root = t.merkle_root;
        e.base.branch_prev = f.entries[5].base.entry_hash;
        audit::EntryMeta m{7, 170, t.branch_id, t.tx_time, t.datom_count, e.base.branch_prev};
        e.base.entry_hash = audit::entry_hash(e.base.prev_hash, m, t.merkle_root);
        audit::LogFrontier fr;
        for (int i = 0; i < 6; ++i) fr.append(f.entries[i].base.entry_hash);
        auto nodes = fr.append(e.base.entry_hash);
        for (size_t i = 1; i < nodes.size(); ++i)
            e.roots.append(reinterpret_cast<const char*>(nodes[i].data()), 32);
        f.entries.insert(f.entries.begin() + 6, e);
        for (size_t i = 7; i < f.entries.size(); ++i) f.entries[i].base.seq += 1;
        CHECK_PROBLEM(f.verify(), 107, reasons::chain_link_broken);
    }
    SECTION("stored Merkle node changed") {
        Fixture f;
        REQUIRE(f.entries[7].roots.size() == 3 * 32);  // seq 8 completes levels 1..3
        f.entries[7].roots[40] ^= 1;
        CHECK_PROBLEM(f.verify(), 108, reasons::merkle_node_mismatch);
    }
    SECTION("stored Merkle node missing") {
        Fixture f;
        f.entries[3].roots.resize(32);
        CHECK_PROBLEM(f.verify(), 104, reasons::merkle_node_mismatch);
    }
    SECTION("entry of an unknown branch") {
        Fixture f;
        f.branches.pop_back();
        CHECK_PROBLEM(f.verify(), 105, reasons::unknown_branch);
    }
}

TEST_CASE("audit verify: branch lineage") {
    SECTION("fork point of the branch row changed") {
        Fixture f;
        f.branches[1].fork_tx = 103;
        CHECK_PROBLEM(f.verify(), 105, reasons::lineage_broken);
    }
    SECTION("fork point not in the chain") {
        Fixture f;
        f.branches[1].fork_tx = 99;
        CHECK_PROBLEM(f.verify(), 105, reasons::lineage_broken);
    }
    SECTION("an entry relinked to another lineage, its hash recomputed") {
        Fixture f;
        FEntry& e = f.entry_of(107);
        e.base.branch_prev = f.entry_of(106).base.entry_hash;
        const audit::TxRow& t = *f.tx_row(107);
        audit::EntryMeta m{e.base.seq, t.tx, t.branch_id, t.tx_time, t.datom_count, e.base.branch_prev};
        e.base.entry_hash = audit::entry_hash(e.base.prev_hash, m, t.merkle_root);
        CHECK_PROBLEM(f.verify(), 107, reasons::lineage_broken);
    }
    SECTION("a branch forked before any transaction starts at genesis") {
        Fixture f;
        f.branches[1].fork_tx = 0;
        f.seal_all();
        CHECK(f.entry_of(105).base.branch_prev == audit::zero_digest);
        CHECK_FALSE(f.verify().has_value());
    }
}

TEST_CASE("audit verify: checkpoints") {
    SECTION("truncated tail") {
        Fixture f;
        f.entries.resize(10);
        f.pending = {111, 112, 113};  // keep the cut transactions out of the unsealed check
        CHECK_PROBLEM(
            f.verify(), 0,
            "checkpoint of size 12 is newer than the log of 10 entries: truncated tail or restored from an "
            "older backup");
    }
    SECTION("truncated tail: the log check comes before the unsealed transactions") {
        Fixture f;
        f.entries.resize(10);
        CHECK_PROBLEM(f.verify(), 0, reasons::checkpoint_beyond_log);
    }
    SECTION("split view: a validly signed checkpoint of another root") {
        Fixture f;
        f.checkpoints[1].checkpoint.root[0] ^= 1;
        f.resign_from(1, f.key);
        CHECK_PROBLEM(f.verify(), 108, reasons::checkpoint_root_differs);
    }
    SECTION("bad signature") {
        Fixture f;
        f.checkpoints[1].signature[5] ^= 0x20;
        CHECK_PROBLEM(f.verify(), 108, reasons::checkpoint_bad_signature);
    }
    SECTION("signed by an unknown key") {
        Fixture f;
        audit::SigningKey other = audit::SigningKey::from_seed(seed_of(9));
        f.resign_from(1, other);
        CHECK_PROBLEM(f.verify(), 108, reasons::checkpoint_unknown_key);
    }
    SECTION("a key row filed under another key's id is not trusted") {
        Fixture f;
        audit::SigningKey other = audit::SigningKey::from_seed(seed_of(9));
        f.keys = {{audit::key_id(f.key.public_key()), other.public_key()}};
        for (size_t i = 0; i < f.checkpoints.size(); ++i) {
            auto& c = f.checkpoints[i];
            if (i > 0)
                c.checkpoint.prev_hash =
                    audit::checkpoint_hash(f.checkpoints[i - 1].checkpoint, f.checkpoints[i - 1].signature);
            c.signature = other.sign(audit::checkpoint_bytes(c.checkpoint));  // key_id still the real key's
        }
        CHECK_PROBLEM(f.verify(), 104, reasons::checkpoint_unknown_key);
    }
    SECTION("broken checkpoint chain: a checkpoint deleted") {
        Fixture f;
        f.checkpoints.erase(f.checkpoints.begin() + 1);
        CHECK_PROBLEM(f.verify(), 112, reasons::checkpoint_chain_broken);
    }
    SECTION("broken checkpoint chain: prev_hash rewritten and re-signed") {
        Fixture f;
        f.checkpoints[2].checkpoint.prev_hash[3] ^= 1;
        f.checkpoints[2].signature = f.key.sign(audit::checkpoint_bytes(f.checkpoints[2].checkpoint));
        CHECK_PROBLEM(f.verify(), 112, reasons::checkpoint_chain_broken);
    }
    SECTION("checkpoint of another log") {
        Fixture f;
        for (auto& c : f.checkpoints) c.checkpoint.log_id[0] ^= 1;
        f.resign_from(0, f.key);
        CHECK_PROBLEM(f.verify(), 104, reasons::checkpoint_other_log);
    }
    SECTION("two checkpoints of one size, e.g. across a key rotation") {
        Fixture f;
        audit::SigningKey next = audit::SigningKey::from_seed(seed_of(11));
        f.keys.push_back({audit::key_id(next.public_key()), next.public_key()});
        f.add_checkpoint(12, f.checkpoints.back().checkpoint.root, next);
        CHECK_FALSE(f.verify().has_value());
    }
}

TEST_CASE("audit verify: the empty log and resuming after a trusted prefix") {
    Fixture f;
    SECTION("empty log, checkpoint of size 0") {
        Fixture e(0);
        e.pending.clear();
        e.add_checkpoint(0, hash::sha256(nullptr, 0), e.key);
        CHECK_FALSE(e.verify().has_value());
        e.checkpoints[0].checkpoint.root[0] ^= 1;
        e.resign_from(0, e.key);
        CHECK_PROBLEM(e.verify(), 0, reasons::checkpoint_root_differs);
    }
    SECTION("resume at 8") {
        // The stored nodes of the first 8 entries, looked up the way the SQL face does.
        auto lookup = [&](audit::NodeId id) {
            uint64_t seq = (id.index + 1) << id.level;
            const FEntry& e = f.entries[seq - 1];
            if (id.level == 0) return hash::merkle_leaf_hash(e.base.entry_hash.data(), 32);
            Digest d;
            std::copy_n(e.roots.data() + 32 * (id.level - 1), 32, d.begin());
            return d;
        };
        audit::ChainWalk walk(f.log_id, f.keys, f.checkpoints, f.branches);
        std::unordered_map<int32_t, Digest> heads{{1, f.entry_of(108).base.entry_hash},
                                                  {2, f.entry_of(107).base.entry_hash}};
        std::unordered_map<int64_t, Digest> forks{{104, f.entry_of(104).base.entry_hash}};
        SECTION("continues to the end") {
            walk.resume(8, f.entries[7].base.entry_hash, audit::LogFrontier::resume(8, lookup), heads, forks);
            for (size_t i = 8; i < f.entries.size(); ++i)
                REQUIRE(walk.add(f.entries[i].row(), f.tx_row(f.entries[i].base.tx)));
            CHECK_FALSE(walk.finish().has_value());
            CHECK(walk.checked() == 4);
            CHECK(walk.last_verified_checkpoint() == 12);
        }
        SECTION("a wrong stored node is caught by the checkpoint at the resume point") {
            f.entries[7].roots[64] ^= 1;  // node (3, 0), the one root_nodes(8) reads
            walk.resume(8, f.entries[7].base.entry_hash, audit::LogFrontier::resume(8, lookup), heads, forks);
            CHECK_PROBLEM(walk.problem(), 0, reasons::checkpoint_root_differs);
        }
        SECTION("checkpoints inside the prefix still have their keys checked") {
            f.resign_from(0, audit::SigningKey::from_seed(seed_of(9)));
            f.resign_from(1, f.key);
            audit::ChainWalk w(f.log_id, f.keys, f.checkpoints, f.branches);
            w.resume(8, f.entries[7].base.entry_hash, audit::LogFrontier::resume(8, lookup), heads, forks);
            for (size_t i = 8; i < f.entries.size(); ++i)
                w.add(f.entries[i].row(), f.tx_row(f.entries[i].base.tx));
            CHECK(w.last_verified_checkpoint() == 12);
            CHECK_PROBLEM(w.finish(), 0, reasons::checkpoint_unknown_key);
        }
        SECTION("a frontier of another size is a bug") {
            CHECK_THROWS_AS(walk.resume(8, f.entries[7].base.entry_hash,
                                        audit::LogFrontier::resume(7, lookup), heads, forks),
                            std::invalid_argument);
        }
    }
}

TEST_CASE("audit verify: value payloads") {
    CHECK(audit::value_matches(hash::sha256("abc", 3), "abc"));
    CHECK_FALSE(audit::value_matches(hash::sha256("abc", 3), "abd"));
}

// Not run by default: `build/unit/unit_tests "[.bench]"` times both passes over 2 M
// datoms in 200 k transactions against the bare cost of hashing those datoms.
TEST_CASE("audit verify: throughput of the two passes", "[.bench]") {
    const int n_tx = 200000, per_tx = 10;
    struct Row {
        std::string e, a;
        Digest vh, stored;
        int64_t tx, from, to;
        bool op;
    };
    std::vector<Row> rows;
    rows.reserve(size_t(n_tx) * per_tx);
    std::vector<audit::TxRow> txs;
    std::vector<FEntry> entries;
    audit::LogFrontier frontier;
    std::vector<audit::CheckpointRow> checkpoints;
    audit::SigningKey key = audit::SigningKey::from_seed(seed_of(3));
    audit::LogId log_id{};
    std::vector<Digest> hs, completed;
    Digest prev = audit::zero_digest;
    for (int t = 0; t < n_tx; ++t) {
        hs.clear();
        for (int j = 0; j < per_tx; ++j) {
            uint64_t k = uint64_t(t) * per_tx + uint64_t(j);
            Row r{"entity-" + std::to_string(k % 1000003),
                  ":attr/a" + std::to_string(j),
                  hash::sha256(&k, 8),
                  {},
                  1000 + t,
                  1700000000000000 + t,
                  j % 3 ? persistence::datom::open_end : 1800000000000000,
                  j != 9};
            r.stored = persistence::datom::datom_hash(r.e, r.a, r.vh, r.tx, r.from, r.to, r.op);
            hs.push_back(r.stored);
            rows.push_back(std::move(r));
        }
        std::sort(hs.begin(), hs.end());
        audit::TxRow x{1000 + t, 1, 1700000000000000 + t, uint32_t(per_tx), hash::merkle_root(hs)};
        txs.push_back(x);
        FEntry e;
        e.base.seq = t + 1;
        e.base.tx = x.tx;
        e.base.branch_id = 1;
        e.base.prev_hash = prev;
        e.base.merkle_root = x.merkle_root;
        e.base.branch_prev = prev;
        audit::EntryMeta m{e.base.seq, x.tx, 1, x.tx_time, x.datom_count, e.base.branch_prev};
        e.base.entry_hash = prev = audit::entry_hash(e.base.prev_hash, m, x.merkle_root);
        frontier.append(prev, completed);
        for (size_t i = 1; i < completed.size(); ++i)
            e.roots.append(reinterpret_cast<const char*>(completed[i].data()), 32);
        entries.push_back(std::move(e));
        if (frontier.size() % 1000 == 0) {
            audit::CheckpointRow c;
            c.checkpoint.log_id = log_id;
            c.checkpoint.size = int64_t(frontier.size());
            c.checkpoint.root = frontier.root();
            if (!checkpoints.empty())
                c.checkpoint.prev_hash =
                    audit::checkpoint_hash(checkpoints.back().checkpoint, checkpoints.back().signature);
            c.checkpoint.key_id = audit::key_id(key.public_key());
            c.signature = key.sign(audit::checkpoint_bytes(c.checkpoint));
            checkpoints.push_back(c);
        }
    }
    using clock = std::chrono::steady_clock;
    auto secs = [](clock::duration d) { return std::chrono::duration<double>(d).count(); };

    // Baseline: the datom hashes alone.
    auto b0 = clock::now();
    Digest sink{};
    for (const Row& r : rows)
        sink[0] ^= persistence::datom::datom_hash(r.e, r.a, r.vh, r.tx, r.from, r.to, r.op)[0];
    auto b1 = clock::now();

    auto t0 = clock::now();
    audit::ChainWalk walk(log_id, {{audit::key_id(key.public_key()), key.public_key()}}, checkpoints,
                          {{1, 0, 0}});
    audit::TxContentCheck check(txs[0]);
    size_t at = 0;
    for (const audit::TxRow& x : txs) {
        check.reset(x);
        for (; at < rows.size() && rows[at].tx == x.tx; ++at) {
            const Row& r = rows[at];
            check.add(audit::DatomRow{r.e, r.a, r.vh, r.tx, r.from, r.to, r.op, r.stored});
        }
        if (auto p = check.finish()) walk.content_problem(*p);
    }
    auto t1 = clock::now();
    for (size_t i = 0; i < entries.size(); ++i) REQUIRE(walk.add(entries[i].row(), &txs[i]));
    CHECK_FALSE(walk.finish().has_value());
    auto t2 = clock::now();
    CHECK(walk.checked() == uint64_t(n_tx));
    double n = double(rows.size());
    WARN("datom hashing alone: " << n / secs(b1 - b0) / 1e6
                                 << " M datoms/s; pass 1: " << n / secs(t1 - t0) / 1e6
                                 << " M datoms/s; pass 2: " << double(n_tx) / secs(t2 - t1) / 1e6
                                 << " M entries/s; both: " << n / secs(t2 - t0) / 1e6 << " M datoms/s ("
                                 << sink[0] % 1 << ")");
}

TEST_CASE("audit verify: TxContentCheck on its own") {
    // Long entity ids take the scratch-buffer path; the hash is the same definition.
    FDatom d;
    d.e = std::string(700, 'e');
    d.a = ":long/entity";
    d.value_hash = hash::sha256("v", 1);
    d.tx = 9;
    d.rehash();
    std::vector<Digest> leaves{d.stored_hash};
    audit::TxRow t{9, 1, 5, 1, hash::merkle_root(leaves)};
    audit::TxContentCheck check(t);
    check.add(d.row());
    CHECK_FALSE(check.finish().has_value());

    check.reset(t);
    FDatom other = d;
    other.tx = 10;
    other.rehash();
    check.add(other.row());
    CHECK_PROBLEM(check.finish(), 9, reasons::datom_of_other_tx);

    // Reset clears the previous problem; no datoms for a count of 1 is a deletion.
    check.reset(t);
    auto p = check.finish();
    CHECK_PROBLEM(p, 9, reasons::datom_deleted);
    CHECK(p->reason == "datom deleted: 0 datoms where the transaction counts 1");

    // An empty transaction roots at SHA-256 of nothing.
    audit::TxRow empty{11, 1, 5, 0, hash::sha256(nullptr, 0)};
    check.reset(empty);
    CHECK_FALSE(check.finish().has_value());
}
