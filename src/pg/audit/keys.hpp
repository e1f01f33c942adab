// The checkpoint signing keys and witnesses: files in persistence.signing_key_directory
// (superuser-only setting; default $PGDATA/persistence), one key per log (database),
// named by the log id: <log id>.key, <log id>.witness, and <log id>.<key id>.retired for
// rotated keys (docs/audit.md "Keys"). Nothing here is reachable from SQL except through
// the sealer and verify_chain.
#pragma once

#include <optional>
#include <string>

#include "persistence/audit/checkpoint.hpp"
#include "persistence/core/error.hpp"

namespace persistence::pg {

std::string signing_key_path(const audit::LogId& log);

// Reads the log's key file; when it does not exist and `create` is set, creates it first
// (a fresh key, mode 0600, the directory 0700). Concurrent creators agree on one file.
core::Result<audit::SigningKey> load_signing_key(const audit::LogId& log, bool create);

// Rotation: the current key is kept as <log id>.<old key id>.retired, the new one is
// staged as <log id>.key.pending and renamed over <log id>.key when the transaction
// commits (removed if it aborts), so the file and persistence.signing_keys change together.
core::Status replace_signing_key_at_commit(const audit::LogId& log, const audit::SigningKey& old_key,
                                           const audit::SigningKey& new_key);

// The newest checkpoint this server signed for a log, recorded outside the database
// tables: a database restored from an older backup (while the witness survives) has a
// log that lacks it.
struct Witness {
    int64_t size = 0;
    audit::Digest hash{};
};
std::optional<Witness> read_witness(const audit::LogId& log);
// Records the witness when the current transaction commits (an error at commit would be a
// PANIC, so the write happens after it and only logs a WARNING if it fails).
void witness_at_commit(const audit::LogId& log, int64_t size, const audit::Digest& hash);

}  // namespace persistence::pg
