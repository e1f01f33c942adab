#!/usr/bin/env bash
# Concurrent writers leave a complete chain (docs/audit.md): 16 pgbench clients transact
# one-datom transactions on distinct entities (a quarter of them on a branch) for a
# bounded time while the sealer worker seals; then every transaction must reach the
# chain, exactly once, and verify_chain() must pass. Writers must never fail because of
# the chain (no 40001 on different entities).
# Runs with the throwaway cluster's PGHOST/PGPORT/PGUSER set (the extension preloaded).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${STRESS_SECONDS:-10}
db=persistence_audit_concurrent
bindir=$(pg_config --bindir)
sql() { "$bindir/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() {
    echo "audit_concurrent: FAILED: $*" >&2
    exit 1
}

PGOPTIONS='-c client_min_messages=warning' "$bindir/dropdb" --force --if-exists "$db"
"$bindir/createdb" "$db"
sql -c "CREATE EXTENSION persistence" -c "SELECT persistence.branch('side')" >/dev/null

script=$(mktemp /tmp/audit_concurrent.XXXXXX.pgbench)
trap 'rm -f "$script"' EXIT
cat >"$script" <<'BENCH'
\set n random(1, 1000000000)
\set side random(0, 3)
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT persistence.transact(format('[[:db/add "c%s-%s" :load/n %s]]', :client_id, :n, :n)::persistence.edn,
                            CASE WHEN :side = 0 THEN 'side' ELSE 'main' END);
COMMIT;
BENCH
out=$("$bindir/pgbench" -n -c 16 -j 2 -T "$seconds" -f "$script" "$db" 2>&1) || fail "pgbench failed: $out"
echo "$out" | grep -E 'number of (transactions actually processed|failed)|tps' || true
failed=$(echo "$out" | sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p')
[[ -z "$failed" || "$failed" == 0 ]] || fail "$failed transactions failed (serialization failures caused by the chain?)"

# Seal what the worker has not sealed yet, then compare.
sql -c "SELECT persistence.seal()" >/dev/null
read -r txs entries distinct_txs queued < <(sql -F ' ' -c "
    SELECT (SELECT count(*) FROM persistence.transactions), (SELECT count(*) FROM persistence.chain),
           (SELECT count(DISTINCT tx) FROM persistence.chain), (SELECT count(*) FROM persistence.seal_queue)")
echo "transactions $txs, chain entries $entries, queued $queued"
((txs > 100)) || fail "too few transactions ($txs) to mean anything"
((entries == txs && distinct_txs == txs && queued == 0)) || fail "the chain is not complete"
gaps=$(sql -c "SELECT count(*) FROM (SELECT seq - lag(seq) OVER (ORDER BY seq) AS d FROM persistence.chain) s WHERE d <> 1")
((gaps == 0)) || fail "the chain's seq has $gaps gaps"
sql -c "SELECT persistence.checkpoint()" >/dev/null
verdict=$(sql -F ' ' -c "SELECT ok, checked, coalesce(reason, '-') FROM persistence.verify_chain()")
echo "verify_chain: $verdict"
[[ "$verdict" == "t $txs -" ]] || fail "verify_chain: $verdict"
echo "audit_concurrent: ok"
