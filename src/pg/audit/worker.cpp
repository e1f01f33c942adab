// Core headers first: the pg/ headers below include postgres.h (STYLE.md §3).
#include "persistence/audit/checkpoint.hpp"
#include "persistence/audit/merkle_log.hpp"
#include "persistence/datom/datom.hpp"
#include "persistence/edn/format.hpp"
#include "persistence/hash/sha256.hpp"
#include "pg/audit/worker.hpp"

#include <algorithm>

#include "pg/audit/seal.hpp"
#include "pg/boundary.hpp"
#include "pg/guc.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

PGDLLEXPORT void persistence_sealer_launcher_main(Datum arg);
PGDLLEXPORT void persistence_sealer_main(Datum arg);
}

namespace persistence::pg {

namespace {

// One slot per database a sealer serves: which process to wake.
constexpr int max_sealers = 64;
// A sealer with nothing to seal for this long exits (a commit brings one back at once,
// through the launcher): an idle database must be droppable, and DROP DATABASE waits only
// 5 s for the sessions connected to it.
constexpr long idle_exit_ms = 3000;
struct SealerSlot {
    Oid database;
    int procno;  // -1: no sealer running
};
struct SealerShared {
    slock_t mutex;
    SealerSlot slots[max_sealers];
    int launcher_procno;        // -1: no launcher
    Oid wanted[max_sealers];    // databases whose commits found no sealer
    int n_wanted;
};
SealerShared* shared = nullptr;

shmem_request_hook_type prev_shmem_request = nullptr;
shmem_startup_hook_type prev_shmem_startup = nullptr;
bool wake_pending = false;

void shmem_request() {
    if (prev_shmem_request) prev_shmem_request();
    RequestAddinShmemSpace(MAXALIGN(sizeof(SealerShared)));
}

void shmem_startup() {
    if (prev_shmem_startup) prev_shmem_startup();
    LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
    bool found;
    shared = static_cast<SealerShared*>(ShmemInitStruct("persistence sealer", sizeof(SealerShared), &found));
    if (!found) {
        SpinLockInit(&shared->mutex);
        for (auto& s : shared->slots) s.database = InvalidOid, s.procno = -1;
        shared->launcher_procno = -1;
        shared->n_wanted = 0;
    }
    LWLockRelease(AddinShmemInitLock);
}

void commit_callback(XactEvent event, void*) {
    if (!wake_pending) return;
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT) {
        wake_pending = false;
        if (shared == nullptr) return;
        // Wake this database's sealer; when it has none (it exits when idle), ask the
        // launcher to start one.
        int procno = -1, launcher = -1;
        SpinLockAcquire(&shared->mutex);
        for (auto& slot : shared->slots)
            if (slot.database == MyDatabaseId) procno = slot.procno;
        if (procno < 0) {
            bool listed = false;
            for (int i = 0; i < shared->n_wanted; ++i) listed |= shared->wanted[i] == MyDatabaseId;
            if (!listed && shared->n_wanted < max_sealers) shared->wanted[shared->n_wanted++] = MyDatabaseId;
            launcher = shared->launcher_procno;
        }
        SpinLockRelease(&shared->mutex);
        if (procno >= 0) SetLatch(&ProcGlobal->allProcs[procno].procLatch);
        if (launcher >= 0) SetLatch(&ProcGlobal->allProcs[launcher].procLatch);
    } else if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT) {
        wake_pending = false;
    }
}

void register_slot(Oid db) {
    SpinLockAcquire(&shared->mutex);
    SealerSlot* free_slot = nullptr;
    for (auto& s : shared->slots) {
        if (s.database == db) free_slot = &s;
        if (free_slot == nullptr && s.database == InvalidOid) free_slot = &s;
    }
    if (free_slot != nullptr) free_slot->database = db, free_slot->procno = MyProc->pgprocno;
    SpinLockRelease(&shared->mutex);
    if (free_slot == nullptr)
        ereport(ERROR, (errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
                        errmsg("persistence: more than %d databases need a sealer", max_sealers),
                        errhint("Name the databases to serve in persistence.sealer_databases.")));
}

void release_slot(int, Datum db) {
    SpinLockAcquire(&shared->mutex);
    for (auto& s : shared->slots)
        if (s.database == DatumGetObjectId(db) && s.procno == MyProc->pgprocno)
            s.database = InvalidOid, s.procno = -1;
    SpinLockRelease(&shared->mutex);
}

void fill_worker(BackgroundWorker* w, const char* function, const char* name) {
    memset(w, 0, sizeof *w);
    w->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    w->bgw_start_time = BgWorkerStart_RecoveryFinished;
    w->bgw_restart_time = 5;  // seconds after a crash
    snprintf(w->bgw_library_name, BGW_MAXLEN, "persistence");
    snprintf(w->bgw_function_name, BGW_MAXLEN, "%s", function);
    snprintf(w->bgw_name, BGW_MAXLEN, "%s", name);
    snprintf(w->bgw_type, BGW_MAXLEN, "persistence sealer");
}

// Is `name` listed in persistence.sealer_databases (an empty list serves all)?
bool database_selected(const char* name) {
    const char* list = sealer_databases();
    if (list == nullptr || list[0] == '\0') return true;
    char* copy = pstrdup(list);
    List* names = nullptr;
    bool ok = SplitIdentifierString(copy, ',', &names);
    bool found = false;
    ListCell* lc;
    foreach (lc, names)
        if (strcmp(static_cast<const char*>(lfirst(lc)), name) == 0) found = true;
    list_free(names);
    pfree(copy);
    if (!ok) ereport(WARNING, (errmsg("persistence.sealer_databases is not a valid list of names")));
    return found;
}

// One sealing pass of the worker in its own transaction.
SealOutcome sealer_pass(CheckpointPolicy policy) {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    PushActiveSnapshot(GetTransactionSnapshot());
    // Exit code 0 unregisters the worker: the launcher starts it again when the
    // extension is installed or the database selected again.
    const char* why = nullptr;
    if (!OidIsValid(get_extension_oid("persistence", true)))
        why = "the extension is not installed in this database";
    else if (!database_selected(get_database_name(MyDatabaseId)))
        why = "this database is not in persistence.sealer_databases";
    if (why != nullptr) {
        PopActiveSnapshot();
        CommitTransactionCommand();
        ereport(LOG, (errmsg("persistence sealer: %s; exiting", why)));
        proc_exit(0);
    }
    pgstat_report_activity(STATE_RUNNING, "persistence: sealing");
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "persistence sealer: SPI_connect failed");
    SealOutcome out;
    guard([&] {
        out = seal_pending(policy);
        return Datum(0);
    });
    SPI_finish();
    PopActiveSnapshot();
    CommitTransactionCommand();
    pgstat_report_activity(STATE_IDLE, nullptr);
    return out;
}

}  // namespace

void sealer_init() {
    RegisterXactCallback(commit_callback, nullptr);
    if (!process_shared_preload_libraries_in_progress) return;
    prev_shmem_request = shmem_request_hook;
    shmem_request_hook = shmem_request;
    prev_shmem_startup = shmem_startup_hook;
    shmem_startup_hook = shmem_startup;
    BackgroundWorker w;
    fill_worker(&w, "persistence_sealer_launcher_main", "persistence sealer launcher");
    snprintf(w.bgw_type, BGW_MAXLEN, "persistence sealer launcher");
    RegisterBackgroundWorker(&w);
}

void wake_sealer_at_commit() { wake_pending = true; }


}  // namespace persistence::pg

using namespace persistence::pg;

// The launcher: connected to no database (it reads only the shared catalog pg_database).
// At its start it starts a sealer for every served database; afterwards it starts one
// when a commit in a database finds none (sealers leave when idle), woken by that commit's
// latch. It alone (re)starts sealers (they are registered BGW_NEVER_RESTART), at most
// once per restart_after_ms per database, so a sealer that keeps exiting (no extension
// there, a dropped database, an error) cannot make it spin.
namespace {

constexpr long launcher_naptime_ms = 10000;
constexpr long restart_after_ms = 1000;

struct Started {
    Oid database;
    BackgroundWorkerHandle* handle;  // nullptr: the last attempt to start one failed
    TimestampTz started_at;
};

// The databases to serve now.
int selected_databases(Oid* dbs, int max) {
    int n = 0;
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    Relation rel = table_open(DatabaseRelationId, AccessShareLock);
    TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
    HeapTuple tup;
    while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr && n < max) {
        auto* db = reinterpret_cast<Form_pg_database>(GETSTRUCT(tup));
        if (db->datallowconn && !db->datistemplate && database_selected(NameStr(db->datname))) dbs[n++] = db->oid;
    }
    table_endscan(scan);
    table_close(rel, AccessShareLock);
    CommitTransactionCommand();
    return n;
}

bool running(const Started& s) {
    pid_t pid;
    return s.handle != nullptr && GetBackgroundWorkerPid(s.handle, &pid) != BGWH_STOPPED;
}

void start_sealer(Started* s, MemoryContext cxt) {
    BackgroundWorker w;
    fill_worker(&w, "persistence_sealer_main", "persistence sealer");
    w.bgw_restart_time = BGW_NEVER_RESTART;
    w.bgw_main_arg = ObjectIdGetDatum(s->database);
    w.bgw_notify_pid = MyProcPid;
    if (s->handle != nullptr) pfree(s->handle);
    s->handle = nullptr;
    s->started_at = GetCurrentTimestamp();
    MemoryContext old = MemoryContextSwitchTo(cxt);
    bool ok = RegisterDynamicBackgroundWorker(&w, &s->handle);
    MemoryContextSwitchTo(old);
    if (!ok) {
        s->handle = nullptr;
        ereport(WARNING, (errmsg("persistence: could not start a sealer for database %u", s->database),
                          errhint("Raise max_worker_processes: each database with the extension needs one.")));
    }
}

}  // namespace

void persistence_sealer_launcher_main(Datum) {
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
    BackgroundWorkerUnblockSignals();
    BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
    pgstat_report_appname("persistence sealer launcher");

    MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "persistence launcher", ALLOCSET_DEFAULT_SIZES);
    auto* started = static_cast<Started*>(MemoryContextAllocZero(cxt, sizeof(Started) * max_sealers));
    int n_started = 0;
    SpinLockAcquire(&shared->mutex);
    shared->launcher_procno = MyProc->pgprocno;
    SpinLockRelease(&shared->mutex);

    // At start (after a crash or a restart), every served database gets a sealer, which
    // seals what the queue holds and leaves when idle; afterwards, only databases whose
    // commits found no sealer (the commit callback lists them and sets this latch).
    bool first = true;
    while (!ShutdownRequestPending) {
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            ProcessConfigFile(PGC_SIGHUP);
        }
        Oid wanted[max_sealers];
        int n_wanted = 0;
        SpinLockAcquire(&shared->mutex);
        for (int i = 0; i < shared->n_wanted; ++i) wanted[n_wanted++] = shared->wanted[i];
        shared->n_wanted = 0;
        SpinLockRelease(&shared->mutex);

        Oid dbs[max_sealers];
        int n_dbs = selected_databases(dbs, max_sealers);
        // Forget databases no longer served once their sealer has stopped.
        for (int j = 0; j < n_started;) {
            bool selected = false;
            for (int i = 0; i < n_dbs; ++i) selected |= dbs[i] == started[j].database;
            if (!selected && !running(started[j])) {
                if (started[j].handle != nullptr) pfree(started[j].handle);
                started[j] = started[--n_started];
            } else {
                ++j;
            }
        }
        for (int i = 0; i < n_dbs; ++i) {
            bool asked = first;
            for (int w = 0; w < n_wanted; ++w) asked |= wanted[w] == dbs[i];
            if (!asked) continue;
            Started* s = nullptr;
            for (int j = 0; j < n_started; ++j)
                if (started[j].database == dbs[i]) s = &started[j];
            if (s == nullptr) {
                if (n_started == max_sealers) continue;
                s = &started[n_started++];
                *s = Started{dbs[i], nullptr, 0};
            } else if (running(*s)) {
                continue;
            } else if (!TimestampDifferenceExceeds(s->started_at, GetCurrentTimestamp(), int(restart_after_ms))) {
                // Asked again too soon (a sealer that keeps failing): ask later.
                SpinLockAcquire(&shared->mutex);
                if (shared->n_wanted < max_sealers) shared->wanted[shared->n_wanted++] = dbs[i];
                SpinLockRelease(&shared->mutex);
                continue;
            }
            start_sealer(s, cxt);
        }
        first = false;
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, launcher_naptime_ms,
                        PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
    }
    proc_exit(0);
}

// A database's sealer: seal, then sleep until a commit wakes it or the naptime passes.
void persistence_sealer_main(Datum arg) {
    Oid db = DatumGetObjectId(arg);
    pqsignal(SIGHUP, SignalHandlerForConfigReload);
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
    BackgroundWorkerInitializeConnectionByOid(db, InvalidOid, 0);
    pgstat_report_appname("persistence sealer");
    if (shared == nullptr) elog(ERROR, "persistence sealer: shared memory is not set up");
    register_slot(db);
    before_shmem_exit(release_slot, ObjectIdGetDatum(db));

    TimestampTz last_pass = 0, last_work = GetCurrentTimestamp();
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        if (ConfigReloadPending) {
            ConfigReloadPending = false;
            ProcessConfigFile(PGC_SIGHUP);
        }
        // Group commits: at most one pass per persistence.seal_delay, so that under load
        // each pass seals many transactions with one statement instead of one each.
        long since_ms = long((GetCurrentTimestamp() - last_pass) / 1000);
        if (since_ms < seal_delay())
            (void)WaitLatch(MyLatch, WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, seal_delay() - since_ms, PG_WAIT_EXTENSION);
        // Reset before the pass: a commit during the pass sets it again.
        ResetLatch(MyLatch);
        last_pass = GetCurrentTimestamp();
        SealOutcome out = sealer_pass(CheckpointPolicy::due);
        if (out.sealed > 0) last_work = last_pass;
        if (out.more) continue;
        if (TimestampDifferenceExceeds(last_work, GetCurrentTimestamp(), idle_exit_ms)) {
            // Idle: leave, so that the database can be dropped (DROP DATABASE waits 5 s
            // for its sessions). Commits from now on ask the launcher for a new sealer;
            // the last pass, after the slot is gone, seals what committed before that and
            // signs the tail.
            release_slot(0, ObjectIdGetDatum(db));
            sealer_pass(CheckpointPolicy::force);
            proc_exit(0);
        }
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                        std::min<long>(long(sealer_naptime()), idle_exit_ms), PG_WAIT_EXTENSION);
    }
}
