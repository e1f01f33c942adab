// The checkpoint signing key and the checkpoint witness, both files beside each other:
// persistence.signing_key_file (superuser-only GUC), by default
// $PGDATA/persistence/signing.key, and checkpoint.witness in the same directory
// (docs/audit.md "Keys"). Nothing here is reachable from SQL except through the sealer.
#pragma once

#include <optional>
#include <string>

#include "persistence/audit/checkpoint.hpp"
#include "persistence/core/error.hpp"

namespace persistence::pg {

std::string signing_key_path();
std::string witness_path();

// Reads the key file; when it does not exist and `create` is set, creates it first (a
// fresh key, mode 0600, its directory 0700). Concurrent creators agree on one file.
core::Result<audit::SigningKey> load_signing_key(bool create);

// Rotation: the current key is kept as signing.key.<old key id hex>.retired, the new one
// is staged as signing.key.pending and renamed over signing.key when the transaction
// commits (removed if it aborts), so the file and persistence.signing_keys change together.
core::Status replace_signing_key_at_commit(const audit::SigningKey& old_key, const audit::SigningKey& new_key);

// The newest checkpoint this server wrote, as recorded outside the database tables: a
// database restored from an older backup (while the witness survives) has a log that
// lacks it.
struct Witness {
    int64_t size = 0;
    audit::Digest hash{};
};
std::optional<Witness> read_witness();
// Records the witness when the current transaction commits (an error at commit would be a
// PANIC, so the write happens after it and only logs a WARNING if it fails).
void witness_at_commit(int64_t size, const audit::Digest& hash);

}  // namespace persistence::pg
