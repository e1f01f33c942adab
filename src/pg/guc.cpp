// GUC definitions. Plain ints only: GUC variables must not be C++ objects with
// constructors (they are static storage, STYLE.md §1).
#include <climits>

#include "pg/guc.hpp"

#include "pg/pg_headers.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace persistence::pg {

namespace {
int edn_max_depth = 512;
int edn_max_size_kb = 256 * 1024;
bool strict_schema_on = false;
// Audit chain (docs/audit.md "Operations").
char* sealer_databases_value = nullptr;
int sealer_naptime_ms = 1000;
int checkpoint_entries_value = 1000;
int checkpoint_interval_ms = 1000;
int seal_batch_value = 10000;
int seal_delay_ms = 10;
char* signing_key_directory_value = nullptr;
}  // namespace

void define_gucs() {
    // Depth is bounded well below what the C++ recursion in the core can take on the
    // default 8 MB stack; size below MaxAllocSize, the largest palloc.
    DefineCustomIntVariable("persistence.edn_max_depth",
                            "Maximum nesting depth of an EDN value (collections and tags).",
                            "Deeper values are rejected with SQLSTATE 54000.", &edn_max_depth, 512, 1,
                            4096, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("persistence.edn_max_size", "Maximum size of an encoded EDN value.",
                            "Larger values are rejected with SQLSTATE 54000.", &edn_max_size_kb,
                            256 * 1024, 1, 1024 * 1024 - 1, PGC_USERSET, GUC_UNIT_KB, nullptr, nullptr,
                            nullptr);
    // Superuser-only: a database's schema discipline is not for each session to relax.
    DefineCustomBoolVariable("persistence.strict_schema",
                             "Refuse attributes that persistence.define_attribute has not defined.",
                             "When off, an undefined attribute is any-type and cardinality one.",
                             &strict_schema_on, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    define_audit_gucs();
    MarkGUCPrefixReserved("persistence");
}

bool strict_schema() { return strict_schema_on; }

// The sealer's settings. Server-wide ones (which databases, how often it wakes, where the
// key is) are SIGHUP; the checkpoint cadence and batch size are SUSET so that an admin
// (GRANT SET ON PARAMETER, done by the install script for persistence_admin) or a test
// can change them per session, while the worker follows the server's configuration.
void define_audit_gucs() {
    DefineCustomStringVariable("persistence.sealer_databases",
                               "Databases the sealer worker serves (comma-separated; empty: every database "
                               "where the extension is installed).",
                               nullptr, &sealer_databases_value, "", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("persistence.sealer_naptime", "Longest sleep of the sealer between two passes.",
                            "Commits wake it at once; this bounds the delay of a time-based checkpoint.",
                            &sealer_naptime_ms, 1000, 10, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("persistence.checkpoint_entries", "Sign a checkpoint after this many new chain entries.",
                            nullptr, &checkpoint_entries_value, 1000, 1, INT_MAX, PGC_SUSET, 0, nullptr, nullptr,
                            nullptr);
    DefineCustomIntVariable("persistence.checkpoint_interval",
                            "Sign a checkpoint when this much time passed since the last one and entries were added.",
                            nullptr, &checkpoint_interval_ms, 1000, 1, INT_MAX, PGC_SUSET, GUC_UNIT_MS, nullptr,
                            nullptr, nullptr);
    DefineCustomIntVariable("persistence.seal_delay",
                            "Shortest time between two passes of the sealer worker.",
                            "Commits in between are sealed together: less work per transaction, at most this "
                            "much more sealing lag.",
                            &seal_delay_ms, 10, 0, 1000, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr, nullptr);
    DefineCustomIntVariable("persistence.seal_batch", "Most chain entries one sealing transaction appends.", nullptr,
                            &seal_batch_value, 10000, 1, 1000000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("persistence.signing_key_directory",
                               "Directory of the Ed25519 keys that sign checkpoints, one per database (empty: "
                               "$PGDATA/persistence).",
                               "Keep it outside the data directory to detect a restore from an older backup.",
                               &signing_key_directory_value, "", PGC_SIGHUP, GUC_SUPERUSER_ONLY, nullptr, nullptr,
                               nullptr);
}

const char* sealer_databases() { return sealer_databases_value; }
int sealer_naptime() { return sealer_naptime_ms; }
int checkpoint_entries() { return checkpoint_entries_value; }
int checkpoint_interval() { return checkpoint_interval_ms; }
int seal_batch() { return seal_batch_value; }
int seal_delay() { return seal_delay_ms; }
const char* signing_key_directory() { return signing_key_directory_value; }

edn::Limits edn_limits() {
    edn::Limits limits;
    limits.max_depth = uint32_t(edn_max_depth);
    limits.max_size = size_t(edn_max_size_kb) * 1024;
    return limits;
}

}  // namespace persistence::pg
