#!/usr/bin/env bash
# The tamper suite (docs/audit.md "Threat model"): a sealed, checkpointed history with a
# branch, then one tamper per case, done as superuser with the append-only triggers
# disabled, inside a transaction that is rolled back afterwards. For each class
# verify_chain() must fail, name the exact first bad transaction and give the reason.
# Runs with the throwaway cluster's PGHOST/PGPORT/PGUSER (a superuser) set.
set -euo pipefail
cd "$(dirname "$0")/../.."
db=persistence_audit_tamper
bindir=$(pg_config --bindir)
sql() { "$bindir/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
failures=0
passed=0

PGOPTIONS='-c client_min_messages=warning' "$bindir/dropdb" --force --if-exists "$db"
"$bindir/createdb" "$db"
sql -c "CREATE EXTENSION persistence" -c "CREATE TABLE t (name text PRIMARY KEY, tx bigint)"

# The history: e1..e6 on main, checkpoint; branch b with b1, b2 and e7..e10 on main,
# checkpoint; e11, e12 sealed after it. Each statement commits on its own.
add() { sql -c "INSERT INTO t SELECT '$1', persistence.transact('[[:db/add \"$1\" :t/n $2] [:db/add \"$1\" :t/s \"v$2\"]]', '${3:-main}')"; }
for i in 1 2 3 4 5 6; do add "e$i" "$i"; done
sql -c "SELECT persistence.seal()" -c "SELECT persistence.checkpoint()" >/dev/null
sql -c "SELECT persistence.branch('b')" >/dev/null
add b1 101 b
add b2 102 b
for i in 7 8 9 10; do add "e$i" "$i"; done
sql -c "SELECT persistence.seal()" -c "SELECT persistence.checkpoint()" >/dev/null
for i in 11 12; do add "e$i" "$i"; done
sql -c "SELECT persistence.seal()" >/dev/null
echo "history: $(sql -c "SELECT count(*) FROM persistence.chain") entries," \
    "checkpoints at $(sql -c "SELECT string_agg(size::text, ', ' ORDER BY size) FROM persistence.checkpoints")"
baseline=$(sql -F '|' -c "SELECT ok, coalesce(reason, '') FROM persistence.verify_chain()")
if [[ "$baseline" != "t|" ]]; then
    echo "not ok - the untouched history does not verify: $baseline"
    exit 1
fi

# tamper NAME EXPECTED_TX_SQL REASON_REGEX TAMPER_SQL: EXPECTED_TX_SQL is evaluated
# before the tamper ('' for NULL); the reason must match REASON_REGEX (extended regex).
tamper() {
    local name=$1 expected_sql=$2 reason_re=$3 tamper_sql=$4 out ok tx reason expected
    out=$(sql -F '|' <<SQL 2>&1
SET client_min_messages = warning;
SET search_path = persistence, public;
BEGIN;
SELECT coalesce(($expected_sql)::text, '') AS expected \gset
ALTER TABLE datoms DISABLE TRIGGER USER;
ALTER TABLE transactions DISABLE TRIGGER USER;
ALTER TABLE value_store DISABLE TRIGGER USER;
ALTER TABLE chain DISABLE TRIGGER USER;
ALTER TABLE checkpoints DISABLE TRIGGER USER;
ALTER TABLE signing_keys DISABLE TRIGGER USER;
ALTER TABLE branches DISABLE TRIGGER USER;
$tamper_sql;
SELECT ok, coalesce(first_bad_tx::text, ''), coalesce(reason, ''), :'expected' FROM verify_chain();
ROLLBACK;
SQL
    ) || {
        echo "not ok - $name: $out"
        failures=$((failures + 1))
        return 0
    }
    IFS='|' read -r ok tx reason expected <<<"$(echo "$out" | tail -1)"
    if [[ "$ok" == f && "$tx" == "$expected" && "$reason" =~ $reason_re ]]; then
        echo "ok - $name: first bad tx ${tx:-NULL}: $reason"
        passed=$((passed + 1))
    else
        echo "not ok - $name: got ok=$ok tx=${tx:-NULL} reason='$reason'; expected tx=${expected:-NULL} reason ~ /$reason_re/"
        failures=$((failures + 1))
    fi
}
tx_of() { echo "(SELECT tx FROM t WHERE name = '$1')"; }
tx_at() { echo "(SELECT tx FROM chain WHERE seq = $1)"; }
newest_cp="(SELECT max(size) FROM checkpoints)"
oldest_cp="(SELECT min(size) FROM checkpoints)"

tamper "modified value" "$(tx_of e3)" '^value payload does not match its hash' \
    "UPDATE value_store SET v = '\"evil\"' WHERE hash = edn_hash('\"v3\"')"
tamper "modified datom" "$(tx_of e4)" '^datom modified' \
    "UPDATE datoms SET valid_from = valid_from - interval '1 day' WHERE e = 'e4' AND a = ':t/n'"
tamper "deleted datom" "$(tx_of e5)" '^datom deleted' \
    "DELETE FROM datoms WHERE e = 'e5' AND a = ':t/s'"
tamper "inserted datom" "$(tx_of e6)" '^datom inserted' \
    "INSERT INTO datoms SELECT 'intruder', a, vh, ref, tx, branch_id, valid_from, valid_to, is_assert,
            _datom_hash('intruder', a, vh, tx, valid_from, valid_to, is_assert), false
     FROM datoms WHERE e = 'e6' AND a = ':t/n'"
tamper "datom of a transaction that does not exist" "999999999" '^datom of a transaction that does not exist' \
    "INSERT INTO datoms SELECT e, a, vh, ref, 999999999, branch_id, valid_from, valid_to, is_assert, hash, false
     FROM datoms WHERE e = 'e6' AND a = ':t/n'"
tamper "deleted transaction" "$(tx_of e2)" '^transaction missing' \
    "DELETE FROM transactions WHERE tx = $(tx_of e2)"
tamper "modified transaction metadata" "$(tx_of e7)" '^entry hash mismatch' \
    "UPDATE transactions SET tx_time = tx_time + interval '1 s' WHERE tx = $(tx_of e7)"
tamper "inserted transaction" "999999990" '^transaction not in the chain' \
    "INSERT INTO transactions VALUES (999999990, 1, now(), NULL, 0, sha256(''))"
tamper "reordered entries" "$(tx_at 4)" '^(chain link broken|entries reordered)' \
    "UPDATE chain SET seq = -seq WHERE seq IN (3, 4);
     UPDATE chain SET seq = CASE seq WHEN -3 THEN 4 ELSE 3 END WHERE seq < 0"
tamper "deleted entry" "$(tx_at 5)" '^entry missing' \
    "DELETE FROM chain WHERE seq = 5"
tamper "inserted entry" "999999991" '^(entry hash mismatch|chain link broken)' \
    "UPDATE chain SET seq = -(seq + 1) WHERE seq >= 5;
     UPDATE chain SET seq = -seq WHERE seq < 0;
     INSERT INTO transactions VALUES (999999991, 1, now(), NULL, 0, sha256(''));
     INSERT INTO chain (seq, tx, branch_id, prev_hash, merkle_root, entry_hash, branch_prev, subtree_roots)
         SELECT 5, 999999991, 1, prev_hash, sha256(''), entry_hash, branch_prev, NULL FROM chain WHERE seq = 6"
tamper "broken branch lineage" "$(tx_of b1)" '^branch lineage link broken' \
    "UPDATE chain SET branch_prev = sha256('x') WHERE tx = $(tx_of b1)"
tamper "truncated tail" "$(tx_at "$newest_cp - 1")" '^checkpoint of size [0-9]+ is newer than the log' \
    "DELETE FROM chain WHERE seq >= $newest_cp - 1"
tamper "split view (a checkpoint of another history)" "$(tx_at "$newest_cp")" '^checkpoint root differs from the log' \
    "UPDATE checkpoints SET root = (SELECT root FROM checkpoints ORDER BY size LIMIT 1) WHERE size = $newest_cp"
tamper "forged signature" "$(tx_at "$oldest_cp")" '^checkpoint signature invalid' \
    "UPDATE checkpoints SET signature = set_byte(signature, 0, get_byte(signature, 0) # 1) WHERE size = $oldest_cp"
tamper "deleted checkpoint" "$(tx_at "(SELECT size FROM checkpoints ORDER BY size OFFSET 1 LIMIT 1)")" '^checkpoint chain broken' \
    "DELETE FROM checkpoints WHERE size = $oldest_cp"
tamper "swapped key" "$(tx_at "$oldest_cp")" '^signing key swapped' \
    "UPDATE signing_keys SET public_key = sha256('attacker'), key_id = sha256(sha256('attacker'))"
tamper "restored from an older backup" "NULL" '^restored from an older backup' \
    "DELETE FROM checkpoints WHERE size > $oldest_cp;
     DELETE FROM datoms WHERE tx > $(tx_at "$oldest_cp");
     DELETE FROM transactions WHERE tx > $(tx_at "$oldest_cp");
     DELETE FROM chain WHERE seq > $oldest_cp;
     DELETE FROM seal_queue;
     DELETE FROM branches WHERE name = 'b'"

after=$(sql -F '|' -c "SELECT ok, coalesce(reason, '') FROM persistence.verify_chain()")
if [[ "$after" == "t|" ]]; then echo "ok - every tamper was rolled back: the chain verifies"; passed=$((passed + 1)); else
    echo "not ok - after the rollbacks: $after"
    failures=$((failures + 1))
fi
# The offline verifier on an export of the same history: ok with the trusted key; a
# changed datom, or another trusted key, fails with the first bad tx.
offline() {
    local name=$1 want=$2 got
    shift 2
    got=$("$bindir/persistence-verify" "$@" 2>&1) || true
    if [[ "$got" =~ $want ]]; then
        echo "ok - persistence-verify, $name: $got"
        passed=$((passed + 1))
    else
        echo "not ok - persistence-verify, $name: got '$got', expected /$want/"
        failures=$((failures + 1))
    fi
}
work=$(mktemp -d /tmp/audit_tamper.XXXXXX)
sql -c "COPY (SELECT persistence.export_chain()) TO STDOUT" >"$work/export"
pub=$(sql -c "SELECT encode(public_key, 'hex') FROM persistence.signing_keys k
              WHERE NOT EXISTS (SELECT 1 FROM persistence.signing_keys n WHERE n.previous_key = k.key_id)")
entries=$(sql -c "SELECT count(*) FROM persistence.chain")
offline "untouched export" "^ok: $entries entries verified" --public-key "$pub" "$work/export"
e4=$(sql -c "SELECT tx FROM t WHERE name = 'e4'")
# One microsecond off in e4's first datom (text surgery: awk's numbers are doubles).
e4_valid_from=$(awk -v tx="$e4" '$1 == "datom" && $2 == tx { print $6; exit }' "$work/export")
awk -v tx="$e4" -v vf="$e4_valid_from" '$1 == "datom" && $2 == tx && $6 == vf && !done { $6 = substr(vf, 1, length(vf) - 1) ((substr(vf, length(vf)) + 1) % 10); done = 1 } { print }' \
    "$work/export" >"$work/tampered"
offline "a datom changed in the export" "^FAILED at tx $e4: datom modified" "$work/tampered"
offline "another trusted key" "^FAILED.*signing key swapped" --public-key "$(printf '%064d' 7)" "$work/export"
rm -rf "$work"

echo "audit_tamper: $passed passed, $failures failed"
((failures == 0))
