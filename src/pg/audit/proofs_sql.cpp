// audit_proof(tx), consistency_proof(old_size, new_size), verify_proof(proof): the SQL face
// of audit/proof.hpp. Nodes come from the chain in one query (audit/nodes.hpp).
// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <cstring>
#include <string>

#include "persistence/audit/merkle_log.hpp"
#include "persistence/audit/proof.hpp"
#include "persistence/edn/reader.hpp"

#include "pg/boundary.hpp"
#include "pg/edn/edn_datum.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/audit/nodes.hpp"
#include "pg/audit/spi.hpp"

extern "C" {
#include "catalog/pg_type.h"
}

namespace persistence::pg {

namespace {

const Oid int8_arg[] = {INT8OID};
const Oid bytea_arg[] = {BYTEAOID};
const spi::Statement select_entry = {
    "SELECT c.seq, c.branch_id, c.prev_hash, c.merkle_root, c.entry_hash, c.branch_prev, t.tx_time, t.datom_count "
    "FROM persistence.chain c JOIN persistence.transactions t ON t.tx = c.tx WHERE c.tx = $1",
    1, int8_arg};
const spi::Statement select_newest_checkpoint = {
    "SELECT size, root, prev_hash, time, key_id, signature FROM persistence.checkpoints ORDER BY size DESC LIMIT 1",
    0, nullptr};
const spi::Statement select_checkpoint = {
    "SELECT size, root, prev_hash, time, key_id, signature FROM persistence.checkpoints WHERE size = $1", 1,
    int8_arg};
const spi::Statement select_public_key = {"SELECT public_key FROM persistence.signing_keys WHERE key_id = $1", 1,
                                          bytea_arg};
const spi::Statement select_chain_size = {"SELECT coalesce(max(seq), 0) FROM persistence.chain", 0, nullptr};


template <size_t N>
std::array<uint8_t, N> column(uint64 r, int c) {
    std::array<uint8_t, N> out{};
    auto b = spi::get_bytes(r, c);
    if (!b || b->size() != N)
        raise(core::Error("XX001", "the audit chain is damaged: a stored hash has the wrong length",
                          "Run SELECT * FROM persistence.verify_chain() to find the first bad transaction."));
    std::memcpy(out.data(), b->data(), N);
    return out;
}

// Row 0 of a checkpoint query.
audit::SignedCheckpoint checkpoint_row(const audit::LogId& id) {
    audit::SignedCheckpoint c;
    c.checkpoint.log_id = id;
    c.checkpoint.size = spi::get_int8(0, 1);
    c.checkpoint.root = column<32>(0, 2);
    c.checkpoint.prev_hash = column<32>(0, 3);
    c.checkpoint.time = micros_from_timestamptz(spi::get_int8(0, 4));
    c.checkpoint.key_id = column<32>(0, 5);
    c.signature = column<64>(0, 6);
    return c;
}

std::optional<audit::SignedCheckpoint> checkpoint_of_size(int64 size, const audit::LogId& id) {
    Datum s = Int64GetDatum(size);
    if (spi::run(select_checkpoint, &s, nullptr, 1) != 1) return std::nullopt;
    return checkpoint_row(id);
}

// The trusted public key of a key id (nullopt: not in persistence.signing_keys).
std::optional<audit::PublicKey> public_key(const audit::Digest& key_id) {
    Datum k = spi::bytea_datum(key_id);
    if (spi::run(select_public_key, &k, nullptr, 1) != 1) return std::nullopt;
    return column<32>(0, 1);
}

}  // namespace

}  // namespace persistence::pg

using namespace persistence;
using namespace persistence::pg;

// persistence.audit_proof(tx bigint) → edn: inclusion of tx's entry in the newest checkpoint.
PERSISTENCE_FUNCTION(persistence_audit_proof) {
    int64 tx = PG_GETARG_INT64(0);
    std::string text;
    {
        spi::Session spi_session;
        audit::InclusionProof p;
        p.log_id = spi::log_id();
        Datum t = Int64GetDatum(tx);
        if (spi::run(select_entry, &t, nullptr, 1) != 1)
            raise(core::Error("55000", "transaction " + std::to_string(tx) + " is not sealed",
                              "A transaction is sealed after it commits: SELECT persistence.await_seal(tx) "
                              "or persistence.seal(), then persistence.checkpoint()."));
        p.entry.tx = tx;
        p.entry.seq = spi::get_int8(0, 1);
        p.entry.branch_id = spi::get_int4(0, 2);
        p.prev_hash = column<32>(0, 3);
        p.merkle_root = column<32>(0, 4);
        p.entry_hash = column<32>(0, 5);
        p.entry.branch_prev = column<32>(0, 6);
        p.entry.tx_time = micros_from_timestamptz(spi::get_int8(0, 7));
        p.entry.datom_count = uint32_t(spi::get_int4(0, 8));
        if (spi::run(select_newest_checkpoint, nullptr, nullptr, 1) != 1 || spi::get_int8(0, 1) < p.entry.seq)
            raise(core::Error("55000",
                              "transaction " + std::to_string(tx) + " is sealed but no checkpoint covers it yet",
                              "SELECT persistence.checkpoint() signs one now; the sealer worker signs one every "
                              "persistence.checkpoint_entries entries or persistence.checkpoint_interval."));
        p.checkpoint = checkpoint_row(p.log_id);
        p.tree_size = uint64_t(p.checkpoint.checkpoint.size);
        uint64_t index = uint64_t(p.entry.seq - 1);
        std::vector<audit::NodeId> ids = audit::inclusion_nodes(index, p.tree_size);
        NodeMap nodes = fetch_nodes(ids);
        p.path = audit::inclusion_proof(index, p.tree_size, node_lookup(nodes));
        p.root = p.checkpoint.checkpoint.root;
        text = audit::to_edn(p);
    }
    return edn_result(edn::read(text));
}

// persistence.consistency_proof(old_size bigint, new_size bigint DEFAULT NULL) → edn: the
// log of new_size entries (default: the newest checkpoint's) extends that of old_size.
PERSISTENCE_FUNCTION(persistence_consistency_proof) {
    if (PG_ARGISNULL(0))
        raise(core::Error("22004", "consistency_proof: old_size must not be NULL",
                          "Give the size of an earlier checkpoint, e.g. SELECT size FROM persistence.checkpoints."));
    int64 old_size = PG_GETARG_INT64(0);
    std::string text;
    {
        spi::Session spi_session;
        audit::ConsistencyProof p;
        p.log_id = spi::log_id();
        int64 new_size;
        if (PG_ARGISNULL(1)) {
            if (spi::run(select_newest_checkpoint, nullptr, nullptr, 1) != 1)
                raise(core::Error("55000", "consistency_proof: there is no checkpoint yet",
                                  "SELECT persistence.checkpoint() signs one."));
            new_size = spi::get_int8(0, 1);
        } else {
            new_size = PG_GETARG_INT64(1);
        }
        spi::run(select_chain_size);
        int64 chain_size = spi::get_int8(0, 1);
        if (old_size < 1 || old_size > new_size || new_size > chain_size)
            raise(core::Error("22023",
                              "consistency_proof: need 1 <= old_size <= new_size <= " + std::to_string(chain_size) +
                                  " (the chain's size), got " + std::to_string(old_size) + " and " +
                                  std::to_string(new_size),
                              "Sizes are numbers of chain entries; checkpoint sizes are in persistence.checkpoints."));
        p.old_size = uint64_t(old_size);
        p.new_size = uint64_t(new_size);
        std::vector<audit::NodeId> ids = audit::consistency_nodes(p.old_size, p.new_size);
        for (const auto& id : audit::root_nodes(p.old_size)) ids.push_back(id);
        for (const auto& id : audit::root_nodes(p.new_size)) ids.push_back(id);
        NodeMap nodes = fetch_nodes(ids);
        audit::NodeLookup lookup = node_lookup(nodes);
        p.proof = audit::consistency_proof(p.old_size, p.new_size, lookup);
        p.old_root = audit::log_root(p.old_size, lookup);
        p.new_root = audit::log_root(p.new_size, lookup);
        p.old_checkpoint = checkpoint_of_size(old_size, p.log_id);
        p.new_checkpoint = checkpoint_of_size(new_size, p.log_id);
        text = audit::to_edn(p);
    }
    return edn_result(edn::read(text));
}

// persistence.verify_proof(proof edn) → boolean: checks a proof of either kind, including
// the checkpoint signatures against persistence.signing_keys. A malformed proof is an
// error (22023); a proof that does not check out is false, with the reason as a NOTICE.
PERSISTENCE_FUNCTION(persistence_verify_proof) {
    edn::ValueRef v = edn_arg(fcinfo, 0);
    auto parsed = audit::parse_proof(v);
    if (!parsed.ok()) raise(parsed.error());
    std::optional<std::string> failure;
    {
        spi::Session spi_session;
        audit::LogId id = spi::log_id();
        if (parsed.value().inclusion) {
            const audit::InclusionProof& p = *parsed.value().inclusion;
            auto key = public_key(p.checkpoint.checkpoint.key_id);
            if (p.log_id != id)
                failure = "the proof is of another log";
            else if (!key)
                failure = "the checkpoint's key is not in persistence.signing_keys";
            else
                failure = audit::check_proof(p, &*key);
        } else {
            const audit::ConsistencyProof& p = *parsed.value().consistency;
            std::optional<audit::PublicKey> old_key, new_key;
            if (p.old_checkpoint) old_key = public_key(p.old_checkpoint->checkpoint.key_id);
            if (p.new_checkpoint) new_key = public_key(p.new_checkpoint->checkpoint.key_id);
            if (p.log_id != id)
                failure = "the proof is of another log";
            else if ((p.old_checkpoint && !old_key) || (p.new_checkpoint && !new_key))
                failure = "a checkpoint's key is not in persistence.signing_keys";
            else
                failure = audit::check_proof(p, old_key ? &*old_key : nullptr, new_key ? &*new_key : nullptr);
        }
    }
    if (failure) {
        std::string msg = "verify_proof: " + *failure;
        call_pg([&] { ereport(NOTICE, (errmsg("%s", msg.c_str()))); });
        PG_RETURN_BOOL(false);
    }
    PG_RETURN_BOOL(true);
}
