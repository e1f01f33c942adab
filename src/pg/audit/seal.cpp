// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <algorithm>
#include <climits>
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
#include "pg/audit/queue.hpp"
#include "pg/audit/seal.hpp"
#include "pg/guc.hpp"
#include "pg/audit/spi.hpp"
#include "pg/fact/relations.hpp"
#include "pg/fact/row_writer.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/timestamp.h"
}

namespace persistence::pg {

namespace {

// pg_advisory_xact_lock key of the sealing lock: one sealer per database at a time.
constexpr int64 seal_lock_key = 0x7065727369737431;  // "persist1"

const Oid int8_arg[] = {INT8OID};
const Oid int4_arg[] = {INT4OID};
const Oid checkpoint_insert_args[] = {INT8OID, BYTEAOID, BYTEAOID, TIMESTAMPTZOID, BYTEAOID, BYTEAOID, BYTEAOID};
const Oid key_insert_args[] = {BYTEAOID, BYTEAOID};

const spi::Statement take_lock = {"SELECT pg_advisory_xact_lock($1)", 1, int8_arg};
const spi::Statement select_lineage_head = {
    // Ordered like chain_branch (branch_id, seq), so that this is one backward probe of it
    // however long ago the branch last wrote.
    "SELECT entry_hash FROM persistence.chain WHERE branch_id = $1 ORDER BY branch_id DESC, seq DESC LIMIT 1", 1,
    int4_arg};
const spi::Statement select_fork_tx = {"SELECT coalesce(fork_tx, 0) FROM persistence.branches WHERE id = $1", 1,
                                       int4_arg};
const spi::Statement select_entry_of_tx = {"SELECT entry_hash FROM persistence.chain WHERE tx = $1", 1, int8_arg};
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

namespace {

// Signs a checkpoint of the first head.size entries (whose Merkle root is `root`) when
// the policy says so. Returns its size, or 0 when none was written.
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

}  // namespace

SealOutcome seal_pending(CheckpointPolicy checkpoint) {
    SealOutcome out;
    take_seal_lock();

    int64 batch = seal_batch();
    int n_queued = 0;
    QueueRow* queued = call_pg([&] { return queue_read(int(std::min<int64>(batch, INT_MAX - 1)) + 1, &n_queued); });
    out.more = n_queued > batch;
    if (out.more) --n_queued;

    ChainHead head = chain_head();
    audit::LogFrontier& frontier = chain_frontier(head);
    std::vector<audit::Digest> completed;
    Lineage lineage;
    // Entries are appended like transact() appends datoms: straight into the heap and
    // its indexes, no statement to plan or execute (the sealer's cost per entry is what
    // writers lose when the machine is busy).
    RowWriter writer(fact_relations().chain);
    TimestampTz sealed_at = call_pg([] { return GetCurrentTimestamp(); });
    for (int i = 0; i < n_queued; ++i) {
        const QueueRow& q = queued[i];
        if (!q.found) {
            // Only a superuser writing the queue by hand gets here: nothing to seal.
            call_pg([&] {
                ereport(WARNING, (errmsg("persistence: queued transaction %lld has no valid transaction row; "
                                         "dropped from the seal queue",
                                         static_cast<long long>(q.tx))));
            });
            continue;
        }
        audit::EntryMeta m;
        m.seq = head.size + 1;
        m.tx = q.tx;
        m.branch_id = q.branch_id;
        m.tx_time = micros_from_timestamptz(q.tx_time);
        m.datom_count = uint32(q.datom_count);
        m.branch_prev = lineage.link(q.branch_id);
        audit::Digest root;
        std::memcpy(root.data(), q.merkle_root, 32);
        audit::Digest entry = audit::entry_hash(head.last_hash, m, root);
        frontier.append(entry, completed);
        std::string subtree;
        for (size_t i = 1; i < completed.size(); ++i)
            subtree.append(reinterpret_cast<const char*>(completed[i].data()), 32);
        Datum row[9] = {Int64GetDatum(m.seq),
                        Int64GetDatum(m.tx),
                        Int32GetDatum(m.branch_id),
                        spi::bytea_datum(head.last_hash),
                        spi::bytea_datum(root),
                        spi::bytea_datum(entry),
                        spi::bytea_datum(m.branch_prev),
                        subtree.empty() ? Datum(0) : spi::bytea_datum(subtree.data(), subtree.size()),
                        TimestampTzGetDatum(sealed_at)};
        bool nulls[9] = {false, false, false, false, false, false, false, subtree.empty(), false};
        writer.insert(row, nulls);
        lineage.sealed(q.branch_id, q.tx, entry);
        head.size = m.seq;
        head.last_hash = entry;
        ++out.sealed;
    }
    writer.close();
    call_pg([&] { queue_delete(queued, n_queued); });
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
