#!/usr/bin/env bash
# The audit module's benchmark (what `make bench-audit` does), on a throwaway cluster with
# the extension preloaded (so the sealer worker runs). Every figure is compared with a
# target or with a baseline measured in the same run, and printed in a final block:
#   (1) verify_chain() throughput in leaves (datoms) per second over AUDIT_TXS
#       transactions of AUDIT_PER datoms, against bench/audit/rfc6962_baseline.c (plain C,
#       OpenSSL SHA-256) recomputing the same leaves' hashes and per-transaction RFC 6962
#       roots from memory. Targets: ≥ 50% of the baseline and ≥ 2 M leaves/s on one core
#       (verify is single-threaded). The offline persistence-verify on the same export is
#       shown too.
#   (2) pgbench TPS of one-datom transacts (AUDIT_CLIENTS clients, AUDIT_SECONDS per run)
#       with the sealer worker on vs off (target ≥ 0.9×), AUDIT_REPS runs each, alternated.
#   (3) audit_proof(tx) latency (pgbench, one client, prepared; target ≤ 1 ms), and proof
#       verification: the core's verify_inclusion in a 2^20-leaf log (target ≤ 5 µs), with
#       verify_proof() from SQL (which adds EDN parsing and an Ed25519 check) shown too.
#   (4) sealing lag at AUDIT_LAG_RATE tx/s (pgbench -R): sealed_at - tx_time, p50 and p99
#       (target p99 < 50 ms).
# Timings never fail the script; only errors do. The extension must be installed
# (`make install`) unless BENCH_BUILD=1. Knobs (environment), defaults in brackets:
# AUDIT_TXS (2000), AUDIT_PER (1000), AUDIT_CLIENTS (4), AUDIT_SECONDS (15), AUDIT_REPS (3),
# AUDIT_LAG_RATE (1000), AUDIT_LAG_SECONDS (10). A quick run: AUDIT_TXS=200 AUDIT_SECONDS=3
# AUDIT_REPS=1 AUDIT_LAG_SECONDS=3.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

AUDIT_TXS=${AUDIT_TXS:-2000}
AUDIT_PER=${AUDIT_PER:-1000}
AUDIT_CLIENTS=${AUDIT_CLIENTS:-4}
AUDIT_SECONDS=${AUDIT_SECONDS:-15}
AUDIT_REPS=${AUDIT_REPS:-3}
AUDIT_LAG_RATE=${AUDIT_LAG_RATE:-1000}
AUDIT_LAG_SECONDS=${AUDIT_LAG_SECONDS:-10}
export CLUSTER_EXTRA_CONF=${CLUSTER_EXTRA_CONF:-$'shared_buffers = 1GB\njit_inline_above_cost = -1'}

BENCH_DIR=$REPO_ROOT/bench/audit
WORK=

now() { date +%s.%N; }


sealer_count() { sql_value -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'persistence sealer' AND datname = 'audit'"; }
# sealer on|off: allow or stop the worker of database audit (persistence.sealer_databases).
# "on" needs no wait: the first commit brings a sealer (idle databases have none).
sealer() {
    if [[ $1 == off ]]; then
        sql -c "ALTER SYSTEM SET persistence.sealer_databases = 'postgres'" -c "SELECT pg_reload_conf()" >/dev/null
        local i
        for ((i = 0; i < 120; i++)); do
            [[ "$(sealer_count)" == 0 ]] && return 0
            sleep 0.25
        done
        die "the sealer of database audit did not stop"
    fi
    sql -c "ALTER SYSTEM RESET persistence.sealer_databases" -c "SELECT pg_reload_conf()" >/dev/null
}

# ---------------------------------------------------------------- (1)

bench_verify() {
    suite_header "(1) verify_chain() over $AUDIT_TXS transactions x $AUDIT_PER datoms vs plain C RFC 6962"
    local t0 t1 s rep best=1e30 line
    t0=$SECONDS
    sql -c "CALL grow('g', $AUDIT_TXS, $AUDIT_PER)"
    sql -c "SELECT persistence.seal()" -c "SELECT persistence.checkpoint()" >/dev/null
    sql -c "VACUUM ANALYZE persistence.datoms, persistence.transactions, persistence.chain" -c CHECKPOINT
    V_LEAVES=$(sql_value -c "SELECT count(*) FROM persistence.datoms")
    say "  history: $V_LEAVES datoms in $(sql_value -c "SELECT count(*) FROM persistence.chain") entries, written and sealed in $((SECONDS - t0))s"
    for ((rep = 1; rep <= 3; rep++)); do
        t0=$(now)
        line=$(sql_value -F ' ' -c "SELECT ok, checked FROM persistence.verify_chain()")
        t1=$(now)
        s=$(calc "$t1 - $t0")
        say "  verify_chain() run $rep: $line in ${s}s"
        [[ "$line" == t* ]] || die "verify_chain failed: $line"
        best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (b < a) ? b : a }')
    done
    V_RATE=$(awk -v n="$V_LEAVES" -v s="$best" 'BEGIN { printf "%.0f", n / s }')
    sql_value -c "COPY (SELECT l FROM persistence.export_chain() l) TO STDOUT" >"$WORK/export"
    gcc -O2 -o "$WORK/baseline" "$BENCH_DIR/rfc6962_baseline.c" -lcrypto
    read -r n s _ < <("$WORK/baseline" "$WORK/export")
    B_RATE=$(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.0f", n / s }')
    say "  plain C baseline: $n leaves in ${s}s (best of 3)"
    O_RATE=nan
    if command -v persistence-verify >/dev/null || [[ -x "$(pg_bindir)/persistence-verify" ]]; then
        local tool
        tool=$(command -v persistence-verify || echo "$(pg_bindir)/persistence-verify")
        t0=$(now)
        "$tool" "$WORK/export" >"$WORK/offline.out" || die "persistence-verify failed: $(cat "$WORK/offline.out")"
        t1=$(now)
        O_RATE=$(awk -v n="$V_LEAVES" -v s="$(calc "$t1 - $t0")" 'BEGIN { printf "%.0f", n / s }')
        say "  persistence-verify (parse + verify the export): $(cat "$WORK/offline.out"), $O_RATE leaves/s"
    fi
}

# ---------------------------------------------------------------- (2)

T_ON=() T_OFF=()
bench_tps() {
    suite_header "(2) one-datom transacts, $AUDIT_CLIENTS clients, sealer on vs off (${AUDIT_SECONDS}s x $AUDIT_REPS)"
    local rep side out tps
    for ((rep = 1; rep <= AUDIT_REPS; rep++)); do
        for side in $( ((rep % 2)) && echo "on off" || echo "off on"); do
            sealer "$side"
            sql -c "SELECT persistence.seal()" -c CHECKPOINT >/dev/null # no backlog from an off run
            out=$("$(pg_bindir)/pgbench" -n -c "$AUDIT_CLIENTS" -j 2 -T "$AUDIT_SECONDS" -f "$BENCH_DIR/write.pgbench" audit 2>&1) ||
                die "pgbench failed: $out"
            tps=$(echo "$out" | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
            printf '  run %d sealer %-3s %9.0f tps\n' "$rep" "$side" "$tps"
            if [[ $side == on ]]; then T_ON+=("$tps"); else T_OFF+=("$tps"); fi
        done
    done
    sealer on
    TPS_ON=$(median "${T_ON[@]}")
    TPS_OFF=$(median "${T_OFF[@]}")
}

# ---------------------------------------------------------------- (3)

bench_proofs() {
    suite_header "(3) proof generation and verification"
    sql -c "SELECT persistence.seal()" -c "SELECT persistence.checkpoint()" >/dev/null
    local lo hi out
    read -r lo hi < <(sql_value -F ' ' -c "SELECT min(tx), max(tx) FROM persistence.chain")
    out=$("$(pg_bindir)/pgbench" -n -M prepared -c 1 -T 5 -D lo="$lo" -D hi="$hi" -f "$BENCH_DIR/proof.pgbench" audit 2>&1) ||
        die "pgbench audit_proof failed: $out"
    P_GEN_MS=$(echo "$out" | sed -n 's/^latency average = \([0-9.]*\) ms/\1/p')
    say "  audit_proof(tx): $P_GEN_MS ms average (one client, prepared, tree of $(sql_value -c "SELECT max(seq) FROM persistence.chain") leaves)"
    P_SQL_US=$(sql_value -c "
        CREATE TEMP TABLE proofs AS
            SELECT persistence.audit_proof(tx) AS p FROM persistence.chain ORDER BY random() LIMIT 200;
        DO \$\$ DECLARE t0 timestamptz := clock_timestamp(); ok bigint; BEGIN
            SELECT count(*) FILTER (WHERE persistence.verify_proof(p)) INTO ok FROM proofs, generate_series(1, 10);
            IF ok <> 2000 THEN RAISE EXCEPTION 'verify_proof failed on % proofs', 2000 - ok; END IF;
            PERFORM set_config('bench.us', (extract(epoch FROM clock_timestamp() - t0) * 1e6 / 2000)::numeric(10,1)::text, false);
        END \$\$;
        SELECT current_setting('bench.us')" | tail -1)
    say "  verify_proof() from SQL: $P_SQL_US µs per call (EDN parse, Merkle path, Ed25519 check)"
    make -s build/audit_core_bench >/dev/null
    build/audit_core_bench >"$WORK/core.out" || die "audit_core_bench failed: $(cat "$WORK/core.out")"
    sed 's/^/  core: /' "$WORK/core.out"
    P_CORE_US=$(awk '$1 == "verify_inclusion" { print $2 }' "$WORK/core.out")
    P_CONS_US=$(awk '$1 == "verify_consistency" { print $2 }' "$WORK/core.out")
    P_SIG_US=$(awk '$1 == "ed25519_verify" { print $2 }' "$WORK/core.out")
}

# ---------------------------------------------------------------- (4)

bench_lag() {
    suite_header "(4) sealing lag at $AUDIT_LAG_RATE tx/s for ${AUDIT_LAG_SECONDS}s"
    sealer on
    sql -c "SELECT persistence.seal()" >/dev/null
    local first last out
    first=$(sql_value -c "SELECT coalesce(max(tx), 0) FROM persistence.transactions")
    out=$("$(pg_bindir)/pgbench" -n -c "$AUDIT_CLIENTS" -j 2 -R "$AUDIT_LAG_RATE" -T "$AUDIT_LAG_SECONDS" \
        -f "$BENCH_DIR/write.pgbench" audit 2>&1) || die "pgbench failed: $out"
    say "  $(echo "$out" | grep -E '^tps' || true)"
    last=$(sql_value -c "SELECT max(tx) FROM persistence.transactions")
    [[ "$(sql_value -c "SELECT persistence.await_seal($last, '30 s')")" == t ]] || die "tx $last was not sealed in 30 s"
    read -r L50 L99 LMAX LN < <(sql_value -F ' ' -c "
        SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
               round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1), round(max(ms)::numeric, 1), count(*)
        FROM (SELECT extract(epoch FROM c.sealed_at - t.tx_time) * 1000 AS ms
              FROM persistence.chain c JOIN persistence.transactions t USING (tx)
              WHERE t.tx > $first AND t.tx <= $last) s")
    say "  lag over $LN transactions: p50 $L50 ms, p99 $L99 ms, max $LMAX ms"
}

report() {
    suite_header "audit benchmark results (ratios against baselines of this run; time: ${SECONDS}s)"
    local r
    r=$(calc "$V_RATE / $B_RATE")
    printf '  audit (1) verify_chain vs plain C RFC 6962:     %6s×  (target ≥ 0.5×)   %-6s  [%s vs %s leaves/s; offline persistence-verify %s leaves/s]\n' \
        "$r" "$(verdict "$r" 0.5 '>=')" "$V_RATE" "$B_RATE" "$O_RATE"
    r=$(calc "$V_RATE / 1000000")
    printf '  audit (1) verify_chain, M leaves/s on 1 core:   %6s   (target ≥ 2)     %-6s  [%s datoms]\n' \
        "$r" "$(verdict "$r" 2 '>=')" "$V_LEAVES"
    r=$(calc "$TPS_ON / $TPS_OFF")
    printf '  audit (2) transact tps, sealer on vs off:       %6s×  (target ≥ 0.9×)   %-6s  [%.0f vs %.0f tps, %d clients; medians of %d]\n' \
        "$r" "$(verdict "$r" 0.9 '>=')" "$TPS_ON" "$TPS_OFF" "$AUDIT_CLIENTS" "$AUDIT_REPS"
    printf '  audit (3) audit_proof(tx) latency, ms:         %7s   (target ≤ 1)     %-6s\n' \
        "$P_GEN_MS" "$(verdict "$P_GEN_MS" 1 '<=')"
    printf '  audit (3) verify_inclusion (core), µs:         %7s   (target ≤ 5)     %-6s  [consistency %s µs; Ed25519 check %s µs; verify_proof() from SQL %s µs]\n' \
        "$P_CORE_US" "$(verdict "$P_CORE_US" 5 '<=')" "$P_CONS_US" "$P_SIG_US" "$P_SQL_US"
    printf '  audit (4) sealing lag p99 at %s tx/s, ms:    %7s   (target < 50)    %-6s  [p50 %s ms, max %s ms, %s transactions]\n' \
        "$AUDIT_LAG_RATE" "$L99" "$(verdict "$L99" 50 '<')" "$L50" "$LMAX" "$LN"
}

main() {
    cd "$REPO_ROOT"
    install_signal_traps
    WORK=$(mktemp -d /tmp/persistence-bench-audit-out.XXXXXX)
    trap 'remove_throwaway_cluster; rm -rf -- "$WORK"' EXIT
    start_bench_cluster audit
    suite_header "benchmark audit (bench/audit.sh)"
    "$(pg_bindir)/createdb" audit
    export PGDATABASE=audit # every sql/sql_value below runs in it
    sql -c "CREATE EXTENSION persistence" -f "$BENCH_DIR/setup.sql"
    bench_verify
    bench_tps
    bench_proofs
    bench_lag
    report
}

main "$@"
