// Sealing: appending queued transactions to the chain, and signing checkpoints. Shared by
// persistence.seal()/checkpoint() (in a session) and the sealer worker. Callers are in a
// transaction, inside SPI_connect, with an active snapshot.
#pragma once

#include <cstdint>

#include "persistence/audit/checkpoint.hpp"
#include "persistence/hash/sha256.hpp"

namespace persistence::pg {

struct SealOutcome {
    int64_t sealed = 0;       // entries appended
    bool more = false;        // the queue held more than one batch
    int64_t checkpoint = 0;   // size of the checkpoint written, 0 if none
};

// Seals up to persistence.seal_batch queued transactions in tx order, under the sealing
// lock (one sealer at a time; a second waits, then finds the work done). Then writes a
// checkpoint if `checkpoint` is "due" (persistence.checkpoint_entries new entries or
// persistence.checkpoint_interval elapsed) or "force" (any new entry since the last).
enum class CheckpointPolicy { none, due, force };
SealOutcome seal_pending(CheckpointPolicy checkpoint);

// The sealing lock (a transaction-level advisory lock): one sealer at a time.
void take_seal_lock();

// The newest key of persistence.signing_keys must be this key file's; on first use the
// table is empty and the key is recorded. 55000 when they differ (docs/audit.md "Keys").
void ensure_signing_key_recorded(const audit::LogId& log_id, const audit::SigningKey& key);

// Is tx in the chain (a fresh snapshot under READ COMMITTED)?
bool tx_sealed(int64_t tx);

}  // namespace persistence::pg
