// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "persistence/audit/chain.hpp"
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"

#include "pg/boundary.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/audit/keys.hpp"
#include "pg/audit/nodes.hpp"
#include "pg/audit/seal.hpp"
#include "pg/guc.hpp"
#include "pg/audit/spi.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/timestamp.h"
}

namespace persistence::pg {

namespace {

// pg_advisory_xact_lock key of the sealing lock: one sealer per database at a time.
constexpr int64 seal_lock_key = 0x7065727369737431;  // "persist1"

const Oid int8_arg[] = {INT8OID};
const Oid int4_arg[] = {INT4OID};
const Oid int8_array_arg[] = {INT8ARRAYOID};
const Oid chain_insert_args[] = {INT8ARRAYOID,  INT8ARRAYOID,  INT4ARRAYOID,  BYTEAARRAYOID,
                                 BYTEAARRAYOID, BYTEAARRAYOID, BYTEAARRAYOID, BYTEAARRAYOID};
const Oid checkpoint_insert_args[] = {INT8OID, BYTEAOID, BYTEAOID, TIMESTAMPTZOID, BYTEAOID, BYTEAOID, BYTEAOID};
const Oid key_insert_args[] = {BYTEAOID, BYTEAOID};

const spi::Statement take_lock = {"SELECT pg_advisory_xact_lock($1)", 1, int8_arg};
const spi::Statement select_queue = {
    // LIMIT first, then one index probe per queued tx: a join would let the planner merge
    // the queue with the whole transactions table on every pass.
    "SELECT q.tx, t.branch_id, t.tx_time, t.datom_count, t.merkle_root, t.tx IS NULL "
    "FROM (SELECT tx FROM persistence.seal_queue ORDER BY tx LIMIT $1) q "
    "LEFT JOIN LATERAL (SELECT * FROM persistence.transactions x WHERE x.tx = q.tx) t ON true ORDER BY q.tx",
    1, int8_arg};
const spi::Statement select_lineage_head = {
    // Ordered like chain_branch (branch_id, seq), so that this is one backward probe of it
    // however long ago the branch last wrote.
    "SELECT entry_hash FROM persistence.chain WHERE branch_id = $1 ORDER BY branch_id DESC, seq DESC LIMIT 1", 1,
    int4_arg};
const spi::Statement select_fork_tx = {"SELECT coalesce(fork_tx, 0) FROM persistence.branches WHERE id = $1", 1,
                                       int4_arg};
const spi::Statement select_entry_of_tx = {"SELECT entry_hash FROM persistence.chain WHERE tx = $1", 1, int8_arg};
// One statement per pass, whatever the number of entries: per-row statements cost the
// sealer more CPU than the rows themselves.
const spi::Statement insert_entries = {
    "INSERT INTO persistence.chain (seq, tx, branch_id, prev_hash, merkle_root, entry_hash, branch_prev, "
    "subtree_roots) SELECT * FROM unnest($1, $2, $3, $4, $5, $6, $7, $8)",
    8, chain_insert_args};
const spi::Statement delete_queued = {"DELETE FROM persistence.seal_queue WHERE tx = ANY($1)", 1, int8_array_arg};
const spi::Statement select_last_checkpoint = {
    "SELECT size, hash, time FROM persistence.checkpoints ORDER BY size DESC LIMIT 1", 0, nullptr};
const spi::Statement select_newest_keys = {
    "SELECT key_id, public_key FROM persistence.signing_keys k "
    "WHERE NOT EXISTS (SELECT 1 FROM persistence.signing_keys n WHERE n.previous_key = k.key_id)",
    0, nullptr};
const spi::Statement insert_first_key = {
    "INSERT INTO persistence.signing_keys (key_id, public_key) VALUES ($1, $2)", 2, key_insert_args};
const spi::Statement insert_checkpoint = {
    "INSERT INTO persistence.checkpoints (size, root, prev_hash, time, key_id, signature, hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)",
    7, checkpoint_insert_args};
const spi::Statement select_sealed = {"SELECT 1 FROM persistence.chain WHERE tx = $1", 1, int8_arg};

struct QueuedTx {
    int64 tx = 0;
    int32 branch_id = 0;
    int64 tx_time = 0;  // µs since the Unix epoch
    uint32 datom_count = 0;
    audit::Digest merkle_root{};
    bool valid = false;  // the transaction row exists and is well-formed
};

[[noreturn]] void damaged(const std::string& what) {
    raise(core::Error("XX001", "the audit chain cannot be extended: " + what,
                      "Run SELECT * FROM persistence.verify_chain() to find the first bad transaction."));
}

// The lineage link of the next entry of `branch` (chain.hpp): its previous entry, or for
// its first entry the entry of its fork transaction.
class Lineage {
   public:
    const audit::Digest& link(int32 branch) {
        auto it = heads_.find(branch);
        if (it != heads_.end()) return it->second;
        Datum b = Int32GetDatum(branch);
        audit::Digest link{};
        if (spi::run(select_lineage_head, &b, nullptr, 1) == 1) {
            auto h = spi::get_digest(0, 1);
            if (!h) damaged("an entry of branch " + std::to_string(branch) + " has a malformed entry_hash");
            link = *h;
        } else {
            int64 fork = spi::run(select_fork_tx, &b, nullptr, 1) == 1 ? spi::get_int8(0, 1) : 0;
            if (fork != 0) link = entry_of(fork, branch);
        }
        return heads_[branch] = link;
    }
    void sealed(int32 branch, int64 tx, const audit::Digest& entry_hash) {
        heads_[branch] = entry_hash;
        batch_[tx] = entry_hash;
    }

   private:
    audit::Digest entry_of(int64 tx, int32 branch) {
        auto it = batch_.find(tx);
        if (it != batch_.end()) return it->second;
        Datum t = Int64GetDatum(tx);
        if (spi::run(select_entry_of_tx, &t, nullptr, 1) == 1) {
            auto h = spi::get_digest(0, 1);
            if (h) return *h;
        }
        damaged("the fork transaction " + std::to_string(tx) + " of branch " + std::to_string(branch) +
                " is not sealed");
    }
    std::unordered_map<int32, audit::Digest> heads_;
    std::unordered_map<int64, audit::Digest> batch_;
};

std::vector<QueuedTx> read_queue(int64 limit) {
    Datum l = Int64GetDatum(limit);
    uint64 n = spi::run(select_queue, &l, nullptr, 0);
    std::vector<QueuedTx> queue;
    queue.reserve(n);
    for (uint64 r = 0; r < n; ++r) {
        QueuedTx q;
        q.tx = spi::get_int8(r, 1);
        if (!spi::get_bool(r, 6)) {
            auto root = spi::get_digest(r, 5);
            q.branch_id = spi::get_int4(r, 2);
            q.tx_time = micros_from_timestamptz(spi::get_int8(r, 3));
            q.datom_count = uint32(spi::get_int4(r, 4));
            if (root) q.merkle_root = *root, q.valid = true;
        }
        queue.push_back(q);
    }
    return queue;
}

// One-dimensional arrays for SPI arguments (nulls: which elements are NULL).
Datum make_array(const std::vector<Datum>& elems, Oid type, int len, bool byval, char align,
                 const std::vector<bool>* nulls = nullptr) {
    return call_pg([&] {
        int n = int(elems.size());
        int dims[1] = {n}, lbs[1] = {1};
        bool* isnull = nullptr;
        if (nulls != nullptr) {
            isnull = static_cast<bool*>(palloc(sizeof(bool) * size_t(n) + 1));
            for (int i = 0; i < n; ++i) isnull[i] = (*nulls)[size_t(i)];
        }
        return PointerGetDatum(construct_md_array(const_cast<Datum*>(elems.data()), isnull, 1, dims, lbs, type, len,
                                                  byval, align));
    });
}
Datum int8_array(const std::vector<Datum>& e) { return make_array(e, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE); }
Datum int4_array(const std::vector<Datum>& e) { return make_array(e, INT4OID, 4, true, TYPALIGN_INT); }
Datum bytea_array(const std::vector<Datum>& e, const std::vector<bool>* nulls = nullptr) {
    return make_array(e, BYTEAOID, -1, false, TYPALIGN_INT, nulls);
}

int64 now_micros() { return micros_from_timestamptz(call_pg([] { return GetCurrentTimestamp(); })); }

}  // namespace

void take_seal_lock() {
    Datum lock = Int64GetDatum(seal_lock_key);
    spi::run(take_lock, &lock);
}

void ensure_signing_key_recorded(const audit::LogId& log_id, const audit::SigningKey& key) {
    uint64 n = spi::run(select_newest_keys, nullptr, nullptr, 0);
    audit::Digest id = audit::key_id(key.public_key());
    if (n == 0) {
        Datum args[2] = {spi::bytea_datum(id), spi::bytea_datum(key.public_key().data(), 32)};
        spi::run(insert_first_key, args);
        return;
    }
    auto pub = spi::get_bytes(0, 2);
    if (n > 1 || !pub || pub->size() != 32 || std::memcmp(pub->data(), key.public_key().data(), 32) != 0)
        raise(core::Error("55000",
                          "the signing key file does not match the newest key in persistence.signing_keys",
                          "The key file or the table was replaced (see docs/audit.md \"Keys\"): restore the "
                          "right key file, or rotate keys with persistence.rotate_signing_key().",
                          "key file: " + signing_key_path(log_id)));
}

// Signs a checkpoint of the whole chain when the policy says so. Returns its size or 0.
int64 write_checkpoint(CheckpointPolicy policy, const ChainHead& head, const audit::Digest& root) {
    if (policy == CheckpointPolicy::none || head.size == 0) return 0;
    int64 last_size = 0, last_time = 0;
    audit::Digest last_hash{};
    if (spi::run(select_last_checkpoint, nullptr, nullptr, 1) == 1) {
        last_size = spi::get_int8(0, 1);
        auto h = spi::get_digest(0, 2);
        if (!h) damaged("the newest checkpoint has a malformed hash");
        last_hash = *h;
        last_time = micros_from_timestamptz(spi::get_int8(0, 3));
    }
    if (head.size <= last_size) return 0;
    int64 now = now_micros();
    if (policy == CheckpointPolicy::due && last_size > 0 && head.size - last_size < checkpoint_entries() &&
        now - last_time < int64(checkpoint_interval()) * 1000)
        return 0;

    audit::LogId log_id = spi::log_id();
    auto key = load_signing_key(log_id, true);
    if (!key.ok()) raise(key.error());
    ensure_signing_key_recorded(log_id, key.value());

    audit::Checkpoint c;
    c.log_id = log_id;
    c.size = head.size;
    c.root = root;
    c.prev_hash = last_hash;
    c.time = now;
    c.key_id = audit::key_id(key.value().public_key());
    audit::Signature sig = key.value().sign(audit::checkpoint_bytes(c));
    audit::Digest hash = audit::checkpoint_hash(c, sig);
    Datum args[7] = {Int64GetDatum(c.size),
                     spi::bytea_datum(c.root),
                     spi::bytea_datum(c.prev_hash),
                     TimestampTzGetDatum(timestamptz_from_micros(c.time)),
                     spi::bytea_datum(c.key_id),
                     spi::bytea_datum(sig.data(), sig.size()),
                     spi::bytea_datum(hash)};
    spi::run(insert_checkpoint, args);
    witness_at_commit(log_id, c.size, hash);
    return c.size;
}

SealOutcome seal_pending(CheckpointPolicy checkpoint) {
    SealOutcome out;
    take_seal_lock();

    int64 batch = seal_batch();
    std::vector<QueuedTx> queue = read_queue(batch + 1);
    out.more = int64(queue.size()) > batch;
    if (out.more) queue.pop_back();

    ChainHead head = chain_head();
    audit::LogFrontier& frontier = chain_frontier(head);
    std::vector<audit::Digest> completed;
    Lineage lineage;
    std::vector<Datum> done;
    // The columns of the new entries, as Datums for the arrays of insert_entries.
    std::vector<Datum> seqs, txs, branches, prevs, roots, entries, lineage_links, subtrees;
    std::vector<bool> subtree_null;
    for (const QueuedTx& q : queue) {
        done.push_back(Int64GetDatum(q.tx));
        if (!q.valid) {
            // Only a superuser writing the queue by hand gets here: nothing to seal.
            ereport(WARNING, (errmsg("persistence: queued transaction %lld has no valid transaction row; "
                                     "dropped from the seal queue",
                                     static_cast<long long>(q.tx))));
            continue;
        }
        audit::EntryMeta m;
        m.seq = head.size + 1;
        m.tx = q.tx;
        m.branch_id = q.branch_id;
        m.tx_time = q.tx_time;
        m.datom_count = q.datom_count;
        m.branch_prev = lineage.link(q.branch_id);
        audit::Digest entry = audit::entry_hash(head.last_hash, m, q.merkle_root);
        frontier.append(entry, completed);
        std::string subtree;
        for (size_t i = 1; i < completed.size(); ++i)
            subtree.append(reinterpret_cast<const char*>(completed[i].data()), 32);
        seqs.push_back(Int64GetDatum(m.seq));
        txs.push_back(Int64GetDatum(m.tx));
        branches.push_back(Int32GetDatum(m.branch_id));
        prevs.push_back(spi::bytea_datum(head.last_hash));
        roots.push_back(spi::bytea_datum(q.merkle_root));
        entries.push_back(spi::bytea_datum(entry));
        lineage_links.push_back(spi::bytea_datum(m.branch_prev));
        subtrees.push_back(subtree.empty() ? Datum(0) : spi::bytea_datum(subtree.data(), subtree.size()));
        subtree_null.push_back(subtree.empty());
        lineage.sealed(q.branch_id, q.tx, entry);
        head.size = m.seq;
        head.last_hash = entry;
        ++out.sealed;
    }
    if (out.sealed > 0) {
        Datum args[8] = {int8_array(seqs),         int8_array(txs),     int4_array(branches),
                         bytea_array(prevs),       bytea_array(roots),  bytea_array(entries),
                         bytea_array(lineage_links), bytea_array(subtrees, &subtree_null)};
        spi::run(insert_entries, args);
    }
    if (!done.empty()) {
        Datum arr = int8_array(done);
        spi::run(delete_queued, &arr);
    }
    audit::Digest root = frontier.root();
    chain_frontier_advanced(head);
    out.checkpoint = write_checkpoint(checkpoint, head, root);
    return out;
}

bool tx_sealed(int64_t tx) {
    Datum t = Int64GetDatum(tx);
    return spi::run(select_sealed, &t, nullptr, 1) == 1;
}

}  // namespace persistence::pg
