// Library entry: the module magic block and _PG_init.
#include "pg/audit/worker.hpp"
#include "pg/guc.hpp"

#include "pg/boundary.hpp"

extern "C" {
PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

// Runs once per backend that loads the library (or in the postmaster when preloaded).
void _PG_init(void) {
    // GUCs, then the sealer's hooks and workers: none of it throws, and its errors are
    // PostgreSQL's own.
    persistence::pg::define_gucs();
    persistence::pg::sealer_init();
}
}
