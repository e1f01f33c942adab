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
const Oid chain_insert_args[] = {INT8OID, INT8OID, INT4OID, BYTEAOID, BYTEAOID, BYTEAOID, BYTEAOID, BYTEAOID};
const Oid checkpoint_insert_args[] = {INT8OID, BYTEAOID, BYTEAOID, TIMESTAMPTZOID, BYTEAOID, BYTEAOID, BYTEAOID};
const Oid key_insert_args[] = {BYTEAOID, BYTEAOID};

const spi::Statement take_lock = {"SELECT pg_advisory_xact_lock($1)", 1, int8_arg};
const spi::Statement select_queue = {
    "SELECT q.tx, t.branch_id, t.tx_time, t.datom_count, t.merkle_root, t.tx IS NULL "
    "FROM persistence.seal_queue q LEFT JOIN persistence.transactions t ON t.tx = q.tx ORDER BY q.tx LIMIT $1",
    1, int8_arg};
const spi::Statement select_lineage_head = {
    "SELECT entry_hash FROM persistence.chain WHERE branch_id = $1 ORDER BY seq DESC LIMIT 1", 1, int4_arg};
const spi::Statement select_fork_tx = {"SELECT coalesce(fork_tx, 0) FROM persistence.branches WHERE id = $1", 1,
                                       int4_arg};
const spi::Statement select_entry_of_tx = {"SELECT entry_hash FROM persistence.chain WHERE tx = $1", 1, int8_arg};
const spi::Statement insert_entry = {
    "INSERT INTO persistence.chain (seq, tx, branch_id, prev_hash, merkle_root, entry_hash, branch_prev, "
    "subtree_roots) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    8, chain_insert_args};
const spi::Statement delete_queued = {"DELETE FROM persistence.seal_queue WHERE tx = ANY($1)", 1, int8_array_arg};
const spi::Statement select_last_checkpoint = {
    "SELECT size, hash, time FROM persistence.checkpoints ORDER BY size DESC LIMIT 1", 0, nullptr};
const spi::Statement select_log_id = {"SELECT log_id FROM persistence.audit_log", 0, nullptr};
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

    if (spi::run(select_log_id, nullptr, nullptr, 0) != 1) damaged("persistence.audit_log must hold one row");
    auto log_id_bytes = spi::get_bytes(0, 1);
    if (!log_id_bytes || log_id_bytes->size() != 16) damaged("the log id is malformed");
    audit::LogId log_id;
    std::memcpy(log_id.data(), log_id_bytes->data(), 16);
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
    Lineage lineage;
    std::vector<Datum> done;
    std::string meta;
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
        std::vector<audit::Digest> nodes = frontier.append(entry);
        std::string subtree;
        for (size_t i = 1; i < nodes.size(); ++i) subtree.append(reinterpret_cast<const char*>(nodes[i].data()), 32);
        Datum args[8] = {Int64GetDatum(m.seq),
                         Int64GetDatum(m.tx),
                         Int32GetDatum(m.branch_id),
                         spi::bytea_datum(head.last_hash),
                         spi::bytea_datum(q.merkle_root),
                         spi::bytea_datum(entry),
                         spi::bytea_datum(m.branch_prev),
                         subtree.empty() ? Datum(0) : spi::bytea_datum(subtree.data(), subtree.size())};
        const char nulls[8] = {' ', ' ', ' ', ' ', ' ', ' ', ' ', subtree.empty() ? 'n' : ' '};
        spi::run(insert_entry, args, nulls);
        lineage.sealed(q.branch_id, q.tx, entry);
        head.size = m.seq;
        head.last_hash = entry;
        ++out.sealed;
    }
    if (!done.empty()) {
        Datum arr = call_pg([&] {
            return PointerGetDatum(
                construct_array(done.data(), int(done.size()), INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
        });
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
