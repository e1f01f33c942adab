#!/usr/bin/env bash
# Crash safety of sealing (docs/audit.md): under a write load, kill -9 the sealer worker
# (the postmaster restarts every backend) and then the postmaster itself; restart the
# server and show that every acknowledged transaction is durable, that the sealer comes
# back and seals all of them, and that the chain verifies.
# Acknowledged = its COMMIT returned: each pgbench transaction records its tx id in
# `acked` in the same SQL transaction, with synchronous_commit on.
# Runs with the throwaway cluster's env; leaves the server running (scripts/check.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${STRESS_SECONDS:-6}
db=persistence_audit_crash
bindir=$(pg_config --bindir)
sql() { "$bindir/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() {
    echo "audit_crash: FAILED: $*" >&2
    exit 1
}
wait_up() {
    local i
    for ((i = 0; i < 120; i++)); do
        if "$bindir/psql" -X -q -A -t -d "$db" -c "SELECT 1" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    return 1
}
sealer_pid() { sql -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'persistence sealer' AND datname = current_database()"; }
# pgbench of one-datom transacts for $1 seconds in the background; sets LOAD_PID.
start_load() {
    PGOPTIONS='-c synchronous_commit=on' "$bindir/pgbench" -n -c 4 -j 2 -T "$1" -f "$script" "$db" >"$work/load.$2.log" 2>&1 &
    LOAD_PID=$!
}

work=$(mktemp -d /tmp/audit_crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
script=$work/load.pgbench
cat >"$script" <<'BENCH'
\set n random(1, 1000000000)
BEGIN;
INSERT INTO acked SELECT persistence.transact(format('[[:db/add "k%s" :crash/n %s]]', :n, :n)::persistence.edn);
COMMIT;
BENCH

PGOPTIONS='-c client_min_messages=warning' "$bindir/dropdb" --force --if-exists "$db"
"$bindir/createdb" "$db"
sql -c "CREATE EXTENSION persistence" -c "CREATE TABLE acked (tx bigint PRIMARY KEY)"

# 1. The sealer itself dies by SIGKILL mid-load: the postmaster resets every backend.
# (The load's first commits bring the sealer: an idle database has none.)
start_load "$seconds" 1
for ((i = 0; i < 60; i++)); do
    [[ -n "$(sealer_pid)" ]] && break
    sleep 0.25
done
[[ -n "$(sealer_pid)" ]] || fail "no sealer worker for $db under load (is the extension preloaded?)"
sleep 1
kill -KILL "$(sealer_pid)" || fail "could not kill the sealer"
wait "$LOAD_PID" || true # clients are cut off by the reset
wait_up || fail "the server did not come back after the sealer was killed"

# 2. The postmaster dies by SIGKILL mid-load.
start_load "$seconds" 2
sleep 2
pm=$(head -1 "$PGDATA/postmaster.pid")
kill -KILL "$pm" || fail "could not kill the postmaster"
wait "$LOAD_PID" || true
# Orphaned backends leave when they notice; then the cluster restarts on its port.
for ((i = 0; i < 40; i++)); do
    pgrep -f "postgres: .*$db" >/dev/null || break
    sleep 0.5
done
bash scripts/cluster.sh restart "$PERSISTENCE_CLUSTER" >"$work/restart.log" 2>&1 || {
    cat "$work/restart.log" >&2
    fail "the cluster did not restart"
}
wait_up || fail "the server did not come back after the postmaster was killed"

acked=$(sql -c "SELECT count(*) FROM acked")
lost=$(sql -c "SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM persistence.transactions t WHERE t.tx = a.tx)")
echo "acknowledged transactions: $acked; lost: $lost"
((acked > 20)) || fail "too few acknowledged transactions ($acked)"
((lost == 0)) || fail "$lost acknowledged transactions are missing"

# The restarted sealer seals everything without help.
newest=$(sql -c "SELECT max(tx) FROM persistence.transactions")
for ((i = 0; i < 60; i++)); do
    [[ "$(sql -c "SELECT count(*) FROM persistence.seal_queue")" == 0 ]] && break
    sleep 0.5
done
[[ "$(sql -c "SELECT persistence.await_seal($newest, '30 s')")" == t ]] || fail "the sealer did not seal tx $newest after the restart"
unsealed=$(sql -c "SELECT count(*) FROM acked a WHERE NOT EXISTS (SELECT 1 FROM persistence.chain c WHERE c.tx = a.tx)")
((unsealed == 0)) || fail "$unsealed acknowledged transactions are not sealed"
txs=$(sql -c "SELECT count(*) FROM persistence.transactions")
entries=$(sql -c "SELECT count(*) FROM persistence.chain")
((txs == entries)) || fail "$txs transactions but $entries chain entries"
sql -c "SELECT persistence.checkpoint()" >/dev/null
verdict=$(sql -F ' ' -c "SELECT ok, coalesce(reason, '-') FROM persistence.verify_chain()")
echo "verify_chain: $verdict"
[[ "$verdict" == "t -" ]] || fail "verify_chain: $verdict"
echo "audit_crash: ok"
