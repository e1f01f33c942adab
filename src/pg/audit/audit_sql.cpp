// SQL entry points of sealing and keys: seal(), checkpoint(), await_seal(),
// rotate_signing_key() (docs/audit.md).
// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include <algorithm>
#include <cstring>
#include <string>

#include "persistence/audit/checkpoint.hpp"

#include "pg/boundary.hpp"
#include "pg/audit/keys.hpp"
#include "pg/audit/nodes.hpp"
#include "pg/audit/seal.hpp"
#include "pg/audit/worker.hpp"
#include "pg/audit/spi.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "utils/timestamp.h"
}

namespace persistence::pg {

namespace {

const Oid int8_arg[] = {INT8OID};
const Oid text_arg[] = {TEXTOID};
const Oid rotation_key_args[] = {BYTEAOID, BYTEAOID, BYTEAOID, BYTEAOID, BYTEAOID, INT8OID};
const spi::Statement select_tx_state = {
    "SELECT EXISTS (SELECT 1 FROM persistence.transactions WHERE tx = $1), "
    "EXISTS (SELECT 1 FROM persistence.seal_queue WHERE tx = $1)",
    1, int8_arg};
const spi::Statement transact_rotation = {"SELECT persistence.transact($1::persistence.edn)", 1, text_arg};
const spi::Statement insert_rotated_key = {
    "INSERT INTO persistence.signing_keys (key_id, public_key, previous_key, sig_by_old, sig_by_new, rotation_tx) "
    "VALUES ($1, $2, $3, $4, $5, $6)",
    6, rotation_key_args};

// Sealing reads what committed while it waited for the sealing lock: that needs a fresh
// snapshot per statement, which REPEATABLE READ and SERIALIZABLE do not give.
void require_read_committed(const char* function) {
    if (IsolationUsesXactSnapshot())
        raise(core::Error("0A000", std::string("persistence.") + function +
                                       "() cannot run under REPEATABLE READ or SERIALIZABLE",
                          "Call it in a READ COMMITTED transaction of its own; with shared_preload_libraries = "
                          "'persistence' the sealer worker seals for you."));
}


}  // namespace

}  // namespace persistence::pg

using namespace persistence;
using namespace persistence::pg;

// persistence.seal() → bigint: seals what is queued now; entries appended.
PERSISTENCE_FUNCTION(persistence_seal) {
    require_read_committed("seal");
    int64 total = 0;
    spi::Session spi_session;
    for (;;) {
        SealOutcome out = seal_pending(CheckpointPolicy::due);
        total += out.sealed;
        if (!out.more) break;
    }
    PG_RETURN_INT64(total);
}

// persistence.checkpoint() → bigint: seals what is queued and signs a checkpoint of the
// whole chain (unless the newest already covers it); the chain's size.
PERSISTENCE_FUNCTION(persistence_checkpoint) {
    require_read_committed("checkpoint");
    spi::Session spi_session;
    for (;;) {
        SealOutcome out = seal_pending(CheckpointPolicy::force);
        if (!out.more) break;
    }
    PG_RETURN_INT64(chain_head().size);
}

// persistence.await_seal(tx bigint, timeout interval) → boolean.
PERSISTENCE_FUNCTION(persistence_await_seal) {
    int64 tx = PG_GETARG_INT64(0);
    Interval* timeout = PG_GETARG_INTERVAL_P(1);
    int64 timeout_us = call_pg([&] {
        return timeout->time + (int64(timeout->month) * DAYS_PER_MONTH + timeout->day) * USECS_PER_DAY;
    });
    if (timeout_us < 0)
        raise(core::Error("22023", "await_seal: the timeout must not be negative",
                          "Give an interval such as '5 s'."));
    require_read_committed("await_seal");
    spi::Session spi_session;
    Datum t = Int64GetDatum(tx);
    spi::run(select_tx_state, &t);
    if (!spi::get_bool(0, 1))
        raise(core::Error("22023", "await_seal: transaction " + std::to_string(tx) + " does not exist",
                          "Pass the tx id that persistence.transact() returned, after its transaction committed."));
    TimestampTz deadline = call_pg([] { return GetCurrentTimestamp(); }) + timeout_us;
    for (;;) {
        if (tx_sealed(tx)) PG_RETURN_BOOL(true);
        TimestampTz now = call_pg([] { return GetCurrentTimestamp(); });
        if (now >= deadline) PG_RETURN_BOOL(false);
        long wait_ms = long(std::min<int64>((deadline - now) / 1000 + 1, 10));
        call_pg([&] {
            (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, wait_ms, PG_WAIT_EXTENSION);
            ResetLatch(MyLatch);
            CHECK_FOR_INTERRUPTS();
        });
    }
}

// persistence.rotate_signing_key() → bytea: a new Ed25519 key signs the checkpoints from
// now on. The rotation is signed by the old and the new key, recorded in the chain as a
// transaction and in persistence.signing_keys; returns the new key id.
PERSISTENCE_FUNCTION(persistence_rotate_signing_key) {
    require_read_committed("rotate_signing_key");
    audit::Digest new_id{};
    {
    spi::Session spi_session;
    // No checkpoint may be signed with the old key while the keys change.
    take_seal_lock();
    audit::LogId log_id = spi::log_id();
    auto old_key = load_signing_key(log_id, true);
    if (!old_key.ok()) raise(old_key.error());
    ensure_signing_key_recorded(log_id, old_key.value());

    audit::SigningKey new_key = audit::SigningKey::generate();
    std::string message = audit::rotation_bytes(log_id, old_key.value().public_key(), new_key.public_key());
    audit::Signature by_old = old_key.value().sign(message);
    audit::Signature by_new = new_key.sign(message);
    audit::Digest old_id = audit::key_id(old_key.value().public_key());
    new_id = audit::key_id(new_key.public_key());

    std::string id_hex = hash::to_hex(new_id);
    std::string data = "[{:db/id \"persistence.key/" + id_hex + "\" :persistence.key/public \"" +
                       hash::to_hex(new_key.public_key()) +
                       "\" :persistence.key/previous \"" + hash::to_hex(old_id) + "\"}]";
    Datum arg = spi::text_datum(data);
    spi::run(transact_rotation, &arg);
    int64 rotation_tx = spi::get_int8(0, 1);

    Datum args[6] = {spi::bytea_datum(new_id),
                     spi::bytea_datum(new_key.public_key().data(), 32),
                     spi::bytea_datum(old_id),
                     spi::bytea_datum(by_old.data(), by_old.size()),
                     spi::bytea_datum(by_new.data(), by_new.size()),
                     Int64GetDatum(rotation_tx)};
    spi::run(insert_rotated_key, args);
    core::Status staged = replace_signing_key_at_commit(log_id, old_key.value(), new_key);
    if (!staged.ok()) raise(staged.error());
    }  // SPI_finish: the result must live in the caller's memory context
    PG_RETURN_BYTEA_P(reinterpret_cast<bytea*>(DatumGetPointer(spi::bytea_datum(new_id))));
}
