// The sealer background workers (docs/audit.md "Operations"): with
// shared_preload_libraries = 'persistence', a launcher starts one sealer per database that
// has the extension (or per database named in persistence.sealer_databases); each sealer
// sleeps on its latch, is woken by every commit that wrote datoms in its database, and
// seals and checkpoints exactly as persistence.seal() does.
#pragma once

namespace persistence::pg {

// From _PG_init: shared memory hooks and the launcher (only while preloading), and the
// commit callback that wakes the sealer (in every backend).
void sealer_init();

// transact() calls this: at commit, wake this database's sealer.
void wake_sealer_at_commit();

// Is a sealer worker running for this database? (false without preload)
bool sealer_running();

}  // namespace persistence::pg
