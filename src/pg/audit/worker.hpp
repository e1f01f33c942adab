// The sealer background workers (docs/audit.md "Operations"): with
// shared_preload_libraries = 'persistence', a launcher starts a sealer for a database that
// has the extension (or is named in persistence.sealer_databases) at startup and whenever
// a commit that wrote datoms finds none; each sealer sleeps on its latch, is woken by every
// such commit in its database, seals and checkpoints exactly as persistence.seal() does,
// and leaves after 3 s without work (so that an idle database can be dropped).
#pragma once

namespace persistence::pg {

// From _PG_init: shared memory hooks and the launcher (only while preloading), and the
// commit callback that wakes the sealer (in every backend).
void sealer_init();

// transact() calls this: at commit, wake this database's sealer.
void wake_sealer_at_commit();

}  // namespace persistence::pg
