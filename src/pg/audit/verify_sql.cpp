// persistence.verify_chain(branch, from_seq, to_seq, resume) → (ok, checked, first_bad_tx,
// reason): feeds the tables to the core verifier (audit/verify.hpp), which decides.
// One snapshot for the whole run (read-only SPI and the active snapshot for datoms).
// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "persistence/audit/verify.hpp"

#include "pg/boundary.hpp"
#include "pg/fact/pg_time.hpp"
#include "pg/audit/datom_reader.hpp"
#include "pg/audit/keys.hpp"
#include "pg/audit/nodes.hpp"
#include "pg/audit/spi.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"
}

namespace persistence::pg {

namespace {

const Oid int8_arg[] = {INT8OID};
const Oid int8_2args[] = {INT8OID, INT8OID};
const Oid text_arg[] = {TEXTOID};

const spi::Statement select_keys = {
    "SELECT key_id, public_key, previous_key, sig_by_old, sig_by_new, coalesce(rotation_tx, 0) "
    "FROM persistence.signing_keys",
    0, nullptr};
const spi::Statement select_checkpoints = {
    "SELECT size, root, prev_hash, time, key_id, signature FROM persistence.checkpoints ORDER BY size", 0, nullptr};
const spi::Statement select_branches = {
    "SELECT id, coalesce(parent_id, 0), coalesce(fork_tx, 0) FROM persistence.branches", 0, nullptr};
const spi::Statement select_branch_view = {"SELECT branch_id, max_tx FROM persistence._branch_view($1)", 1,
                                           text_arg};
const spi::Statement select_entries = {
    "SELECT c.seq, c.tx, c.branch_id, c.prev_hash, c.merkle_root, c.entry_hash, c.branch_prev, c.subtree_roots, "
    "t.tx IS NOT NULL, t.branch_id, t.tx_time, t.datom_count, t.merkle_root "
    "FROM persistence.chain c LEFT JOIN persistence.transactions t ON t.tx = c.tx "
    "WHERE c.seq BETWEEN $1 AND $2 ORDER BY c.seq",
    2, int8_2args};
const spi::Statement select_entry_at = {"SELECT entry_hash FROM persistence.chain WHERE seq = $1", 1, int8_arg};
const spi::Statement select_lineage_before = {
    "SELECT DISTINCT ON (branch_id) branch_id, entry_hash FROM persistence.chain WHERE seq < $1 "
    "ORDER BY branch_id, seq DESC",
    1, int8_arg};
const spi::Statement select_fork_entries_before = {
    "SELECT c.tx, c.entry_hash FROM persistence.chain c "
    "WHERE c.seq < $1 AND c.tx IN (SELECT fork_tx FROM persistence.branches WHERE fork_tx IS NOT NULL)",
    1, int8_arg};
const spi::Statement select_unknown_txs = {
    "SELECT t.tx FROM persistence.transactions t "
    "WHERE NOT EXISTS (SELECT 1 FROM persistence.chain c WHERE c.tx = t.tx) "
    "AND NOT EXISTS (SELECT 1 FROM persistence.seal_queue q WHERE q.tx = t.tx) ORDER BY t.tx LIMIT 100",
    0, nullptr};
const spi::Statement select_orphan_datoms = {
    "SELECT min(d.tx) FROM persistence.datoms d "
    "WHERE NOT EXISTS (SELECT 1 FROM persistence.transactions t WHERE t.tx = d.tx)",
    0, nullptr};
const spi::Statement select_values = {"SELECT hash, v FROM persistence.value_store", 0, nullptr};
const spi::Statement select_last_verified = {"SELECT coalesce(max(size), 0) FROM persistence.verified_checkpoints",
                                             0, nullptr};
const spi::Statement select_checkpoint_hash = {"SELECT hash FROM persistence.checkpoints WHERE size = $1", 1,
                                               int8_arg};
const spi::Statement insert_verified = {"INSERT INTO persistence.verified_checkpoints (size) VALUES ($1)", 1,
                                        int8_arg};
const spi::Statement select_chain_size = {"SELECT coalesce(max(seq), 0) FROM persistence.chain", 0, nullptr};

constexpr long fetch_rows = 10000;
constexpr uint64_t notice_every = 1000000;


struct Outcome {
    bool ok = true;
    int64 checked = 0;
    int64 first_bad_tx = 0;
    std::string reason;
};

template <size_t N>
bool copy_bytes(std::optional<std::string_view> b, std::array<uint8_t, N>& out) {
    if (!b || b->size() != N) return false;
    std::memcpy(out.data(), b->data(), N);
    return true;
}

// The keys verify trusts: the key file's key (when this server has one) and the keys it
// descends from through valid rotations; without a key file, the table's rotation chain
// from its first key. Problems with keys are returned as reasons.
struct KeyCheck {
    std::vector<audit::KeyRow> trusted;
    std::optional<audit::Problem> problem;
    bool swapped = false;
};

KeyCheck check_keys(const audit::LogId& log_id) {
    struct Key {
        audit::KeyRow row;
        bool has_previous;
        audit::Digest previous;
        audit::Signature by_old, by_new;
        int64 rotation_tx;
    };
    std::vector<Key> keys;
    uint64 n = spi::run(select_keys, nullptr, nullptr, 0, true);
    KeyCheck out;
    for (uint64 r = 0; r < n; ++r) {
        Key k{};
        bool well_formed = copy_bytes(spi::get_bytes(r, 1), k.row.key_id) &&
                           copy_bytes(spi::get_bytes(r, 2), k.row.public_key);
        k.has_previous = copy_bytes(spi::get_bytes(r, 3), k.previous);
        copy_bytes(spi::get_bytes(r, 4), k.by_old);
        copy_bytes(spi::get_bytes(r, 5), k.by_new);
        k.rotation_tx = spi::get_int8(r, 6);
        if (!well_formed || audit::key_id(k.row.public_key) != k.row.key_id) {
            out.problem = audit::Problem{0, 0, "signing key swapped: a key id does not match its public key"};
            return out;
        }
        keys.push_back(k);
    }
    std::unordered_map<std::string, const Key*> by_id;
    for (const Key& k : keys) by_id[std::string(k.row.key_id.begin(), k.row.key_id.end())] = &k;
    // Every rotation must be signed by both keys.
    int roots = 0;
    for (const Key& k : keys) {
        if (!k.has_previous) {
            ++roots;
            continue;
        }
        auto prev = by_id.find(std::string(k.previous.begin(), k.previous.end()));
        if (prev == by_id.end() ||
            !audit::verify_rotation(log_id, prev->second->row.public_key, k.row.public_key, k.by_old, k.by_new)) {
            out.problem = audit::Problem{k.rotation_tx, 0, "signing key swapped: a key rotation is not signed by "
                                                           "both keys"};
            return out;
        }
    }
    if (roots > 1) {
        out.problem = audit::Problem{0, 0, "signing key swapped: more than one key has no predecessor"};
        return out;
    }
    // The newest key: the one no key names as its predecessor.
    const Key* newest = nullptr;
    for (const Key& k : keys) {
        bool is_previous = false;
        for (const Key& o : keys)
            if (o.has_previous && o.previous == k.row.key_id) is_previous = true;
        if (!is_previous) newest = &k;
    }
    const Key* start = newest;
    auto file_key = load_signing_key(log_id, false);
    if (file_key.ok()) {
        audit::Digest file_id = audit::key_id(file_key.value().public_key());
        auto it = by_id.find(std::string(file_id.begin(), file_id.end()));
        if (newest == nullptr || it == by_id.end() || it->second != newest) {
            out.swapped = true;
            start = it == by_id.end() ? nullptr : it->second;
        }
    }
    for (const Key* k = start; k != nullptr;) {
        out.trusted.push_back(k->row);
        if (!k->has_previous) break;
        auto prev = by_id.find(std::string(k->previous.begin(), k->previous.end()));
        k = prev == by_id.end() ? nullptr : prev->second;
    }
    return out;
}

std::vector<audit::CheckpointRow> load_checkpoints(const audit::LogId& log_id) {
    std::vector<audit::CheckpointRow> out;
    uint64 n = spi::run(select_checkpoints, nullptr, nullptr, 0, true);
    for (uint64 r = 0; r < n; ++r) {
        audit::CheckpointRow c;
        c.checkpoint.log_id = log_id;
        c.checkpoint.size = spi::get_int8(r, 1);
        copy_bytes(spi::get_bytes(r, 2), c.checkpoint.root);
        copy_bytes(spi::get_bytes(r, 3), c.checkpoint.prev_hash);
        c.checkpoint.time = micros_from_timestamptz(spi::get_int8(r, 4));
        copy_bytes(spi::get_bytes(r, 5), c.checkpoint.key_id);
        copy_bytes(spi::get_bytes(r, 6), c.signature);
        out.push_back(c);
    }
    return out;
}

std::vector<audit::BranchRow> load_branches() {
    std::vector<audit::BranchRow> out;
    uint64 n = spi::run(select_branches, nullptr, nullptr, 0, true);
    for (uint64 r = 0; r < n; ++r)
        out.push_back({spi::get_int4(r, 1), spi::get_int4(r, 2), spi::get_int8(r, 3)});
    return out;
}

// Value payloads whose content hash does not match (only tampering makes one).
std::set<audit::Digest> bad_values() {
    std::set<audit::Digest> bad;
    uint64 n = spi::run(select_values, nullptr, nullptr, 0, true);
    for (uint64 r = 0; r < n; ++r) {
        audit::Digest h{};
        bool hash_ok = copy_bytes(spi::get_bytes(r, 1), h);
        auto v = spi::get_bytes(r, 2);
        // After the varlena header: the edn version byte and 3 reserved bytes, then the
        // canonical bytes (pg/edn/edn_datum.hpp).
        bool ok = hash_ok && v && v->size() >= 4 && audit::value_matches(h, v->substr(4));
        if (!ok) bad.insert(h);
    }
    return bad;
}

// The content problem of one transaction, if any.
std::optional<audit::Problem> check_tx_content(TxDatomReader* reader, const audit::TxRow& tx,
                                               const std::set<audit::Digest>& bad_value_hashes) {
    audit::TxContentCheck check(tx);
    bool value_problem = false;
    call_pg([&] { tx_datom_reader_start(reader, tx.tx); });
    VerifyDatom d;
    while (call_pg([&] { return tx_datom_reader_next(reader, &d); })) {
        audit::DatomRow row;
        row.e = std::string_view(d.e, size_t(d.e_len));
        row.a = std::string_view(d.a, size_t(d.a_len));
        if (d.vh_len == 32) std::memcpy(row.value_hash.data(), d.vh, 32);
        if (d.hash_len == 32) std::memcpy(row.stored_hash.data(), d.hash, 32);
        if (d.vh_len != 32 || d.hash_len != 32) row.stored_hash[0] ^= 0xff;  // malformed: cannot match
        row.tx = d.tx;
        row.valid_from = micros_from_timestamptz(d.valid_from);
        row.valid_to = d.valid_to_open ? datom::open_end : micros_from_timestamptz(d.valid_to);
        row.is_assert = d.is_assert;
        check.add(row);
        if (!bad_value_hashes.empty() && bad_value_hashes.count(row.value_hash)) value_problem = true;
    }
    auto problem = check.finish();
    if (!problem && value_problem) problem = audit::Problem{tx.tx, 0, "value payload does not match its hash"};
    return problem;
}

struct BranchFilter {
    bool active = false;
    std::unordered_map<int32, int64> max_tx;  // branch id → newest tx the view sees
    bool sees(int32 branch, int64 tx) const {
        if (!active) return true;
        auto it = max_tx.find(branch);
        return it != max_tx.end() && tx <= it->second;
    }
};

Outcome run_verify(const char* branch, std::optional<int64> from_seq, std::optional<int64> to_seq, bool resume) {
    Outcome out;
    spi::Session spi_session;
    audit::LogId log_id = spi::log_id(true);

    BranchFilter filter;
    if (branch != nullptr) {
        Datum b = spi::text_datum(branch);
        uint64 n = spi::run(select_branch_view, &b, nullptr, 0, true);
        filter.active = true;
        for (uint64 r = 0; r < n; ++r) filter.max_tx[spi::get_int4(r, 1)] = spi::get_int8(r, 2);
    }

    KeyCheck keys = check_keys(log_id);
    audit::ChainWalk walk(log_id, keys.trusted, load_checkpoints(log_id), load_branches());
    spi::run(select_chain_size, nullptr, nullptr, 0, true);
    int64 chain_size = spi::get_int8(0, 1);

    int64 first = from_seq.value_or(1);
    if (resume && !from_seq) {
        spi::run(select_last_verified, nullptr, nullptr, 0, true);
        first = spi::get_int8(0, 1) + 1;
    }
    if (first < 1) first = 1;
    int64 last = to_seq.value_or(INT64_MAX);
    if (first > 1) {
        // Trust the prefix: its last entry, lineage heads, fork entries and stored nodes
        // (checked against a checkpoint of that size when there is one).
        Datum f = Int64GetDatum(first - 1);
        audit::Digest last_hash{};
        if (spi::run(select_entry_at, &f, nullptr, 0, true) == 1) copy_bytes(spi::get_bytes(0, 1), last_hash);
        std::unordered_map<int32_t, audit::Digest> heads;
        Datum s = Int64GetDatum(first);
        uint64 n = spi::run(select_lineage_before, &s, nullptr, 0, true);
        for (uint64 r = 0; r < n; ++r) copy_bytes(spi::get_bytes(r, 2), heads[spi::get_int4(r, 1)]);
        std::unordered_map<int64_t, audit::Digest> forks;
        n = spi::run(select_fork_entries_before, &s, nullptr, 0, true);
        for (uint64 r = 0; r < n; ++r) copy_bytes(spi::get_bytes(r, 2), forks[spi::get_int8(r, 1)]);
        NodeMap nodes = fetch_nodes(audit::root_nodes(uint64_t(first - 1)));
        audit::LogFrontier frontier = audit::LogFrontier::resume(uint64_t(first - 1), node_lookup(nodes));
        walk.resume(uint64_t(first - 1), last_hash, std::move(frontier), std::move(heads), std::move(forks));
    }
    if (keys.problem) {
        out.ok = false;
        out.first_bad_tx = keys.problem->tx;
        out.reason = keys.problem->reason;
        return out;
    }
    std::set<audit::Digest> bad_value_hashes = bad_values();

    TxDatomReader reader;
    call_pg([&] { tx_datom_reader_open(&reader); });
    Datum range[2] = {Int64GetDatum(first), Int64GetDatum(last)};
    Portal portal = call_pg([&] {
        SPIPlanPtr plan = SPI_prepare(select_entries.sql, 2, const_cast<Oid*>(select_entries.types));
        return SPI_cursor_open(nullptr, plan, range, nullptr, true);
    });
    bool going = true;
    uint64_t next_notice = notice_every;
    while (going) {
        uint64 n = call_pg([&] {
            SPI_cursor_fetch(portal, true, fetch_rows);
            return SPI_processed;
        });
        if (n == 0) break;
        SPITupleTable* batch = SPI_tuptable;
        for (uint64 r = 0; r < n && going; ++r) {
            audit::EntryRow e;
            e.seq = spi::get_int8(r, 1);
            e.tx = spi::get_int8(r, 2);
            e.branch_id = spi::get_int4(r, 3);
            bool well_formed = copy_bytes(spi::get_bytes(r, 4), e.prev_hash) &&
                               copy_bytes(spi::get_bytes(r, 5), e.merkle_root) &&
                               copy_bytes(spi::get_bytes(r, 6), e.entry_hash) &&
                               copy_bytes(spi::get_bytes(r, 7), e.branch_prev);
            if (!well_formed) e.entry_hash[0] ^= 0xff;  // a malformed hash cannot verify
            auto subtree = spi::get_bytes(r, 8);
            std::string subtree_copy = subtree ? std::string(*subtree) : std::string();
            e.subtree_roots = subtree_copy;
            bool has_tx = spi::get_bool(r, 9);
            audit::TxRow tx;
            if (has_tx) {
                tx.tx = e.tx;
                tx.branch_id = spi::get_int4(r, 10);
                tx.tx_time = micros_from_timestamptz(spi::get_int8(r, 11));
                tx.datom_count = uint32(spi::get_int4(r, 12));
                copy_bytes(spi::get_bytes(r, 13), tx.merkle_root);
                if (filter.sees(tx.branch_id, tx.tx)) {
                    auto problem = check_tx_content(&reader, tx, bad_value_hashes);
                    SPI_tuptable = batch;  // the reader does not use SPI; keep the batch current
                    if (problem) walk.content_problem(*problem);
                }
            }
            going = walk.add(e, has_tx ? &tx : nullptr);
            if (walk.checked() >= next_notice) {
                next_notice += notice_every;
                long long checked = static_cast<long long>(walk.checked());
                call_pg([&] { ereport(NOTICE, (errmsg("verify_chain: %lld entries checked", checked))); });
            }
        }
        call_pg([&] { SPI_freetuptable(batch); });
    }
    call_pg([&] {
        SPI_cursor_close(portal);
        tx_datom_reader_close(&reader);
    });

    // Committed transactions that are neither sealed nor queued: inserted behind the
    // sealer's back, or sealed once and their entries since deleted.
    std::vector<int64_t> unknown;
    bool to_end = last >= chain_size;
    if (to_end) {
        uint64 n = spi::run(select_unknown_txs, nullptr, nullptr, 0, true);
        for (uint64 r = 0; r < n; ++r) unknown.push_back(spi::get_int8(r, 1));
    }
    std::optional<audit::Problem> problem = walk.problem();
    if (!problem && to_end) problem = walk.finish(unknown);
    // A deleted entry or a cut tail: the first bad transaction is the first one whose
    // entry is gone, which the walk cannot name but the transactions table still can.
    bool entries_gone = problem && (problem->tx == 0 || problem->reason.rfind("entry missing", 0) == 0);
    if (entries_gone && !unknown.empty()) problem->tx = unknown.front();
    if (!problem && to_end && first == 1 && branch == nullptr) {
        spi::run(select_orphan_datoms, nullptr, nullptr, 0, true);
        int64 orphan = spi::get_int8(0, 1);
        if (orphan != 0) problem = audit::Problem{orphan, 0, "datom of a transaction that does not exist: inserted"};
    }
    if (!problem && to_end) {
        auto witness = read_witness(log_id);
        if (witness) {
            Datum sz = Int64GetDatum(witness->size);
            audit::Digest h{};
            bool found = spi::run(select_checkpoint_hash, &sz, nullptr, 0, true) == 1 &&
                         copy_bytes(spi::get_bytes(0, 1), h) && h == witness->hash;
            if (!found)
                problem = audit::Problem{0, 0, "restored from an older backup: checkpoint " +
                                                   std::to_string(witness->size) +
                                                   " that this server signed is not in the log"};
        }
    }
    if (problem && keys.swapped && problem->reason.rfind("checkpoint signed by an unknown key", 0) == 0)
        problem->reason = "signing key swapped: " + problem->reason;
    if (!problem && keys.swapped)
        problem = audit::Problem{0, 0, "signing key swapped: the key file does not match persistence.signing_keys"};

    out.checked = int64(walk.checked());
    if (problem) {
        out.ok = false;
        out.first_bad_tx = problem->tx;
        out.reason = problem->reason;
    } else if (to_end && walk.last_verified_checkpoint() > 0) {
        Datum sz = Int64GetDatum(walk.last_verified_checkpoint());
        spi::run(insert_verified, &sz);
    }
    return out;
}

}  // namespace

}  // namespace persistence::pg

using namespace persistence;
using namespace persistence::pg;

PERSISTENCE_FUNCTION(persistence_verify_chain) {
    const char* branch = PG_ARGISNULL(0) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(0));
    std::optional<int64> from_seq, to_seq;
    if (!PG_ARGISNULL(1)) from_seq = PG_GETARG_INT64(1);
    if (!PG_ARGISNULL(2)) to_seq = PG_GETARG_INT64(2);
    bool resume = !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
    if (from_seq && to_seq && *from_seq > *to_seq)
        raise(core::Error("22023", "verify_chain: from_seq is after to_seq", "Give from_seq <= to_seq."));
    if (resume && from_seq)
        raise(core::Error("22023", "verify_chain: resume and from_seq exclude each other",
                          "resume => true starts after the last checkpoint an earlier run verified."));
    Outcome out = run_verify(branch, from_seq, to_seq, resume);

    call_pg([&] { InitMaterializedSRF(fcinfo, 0); });
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    Datum values[4];
    bool nulls[4] = {false, false, out.first_bad_tx == 0, out.reason.empty()};
    values[0] = BoolGetDatum(out.ok);
    values[1] = Int64GetDatum(out.checked);
    values[2] = Int64GetDatum(out.first_bad_tx);
    values[3] = out.reason.empty() ? Datum(0) : spi::text_datum(out.reason);
    call_pg([&] { tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls); });
    return Datum(0);
}
