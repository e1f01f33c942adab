#!/usr/bin/env bash
# The fact module's benchmark (what `make bench-fact` does): persistence.transact() and
# persistence.entity() against plain-table baselines measured in the same run, on a
# throwaway cluster. Prints four ratios (and the 40001 counts) in a final block:
#   (a) one transact of 1000 datoms vs one INSERT of the same 1000 rows into a plain table
#       with the 7 indexes of persistence.datoms;
#   (b) one-datom transacts from 8 pgbench clients under SERIALIZABLE vs the same load of
#       one-row INSERTs into that plain table, and the serialization failures (40001);
#   (c) the transacts of (b) vs a hand-written hash chain (BEFORE INSERT trigger, pgcrypto)
#       under SERIALIZABLE, counting only its successful transactions;
#   (d) entity(e, as_of => a random past tx) over 1000 entities x 10 attributes x 100
#       versions vs SELECT * FROM current_state WHERE e = $1: p50 and p95 latency.
# The machine is small and shared: each pgbench figure is the median of FACT_REPS runs.
#
# The extension must already be installed (`make install`); this script does not build
# or install it unless BENCH_BUILD=1, which does what bench/run.sh does first.
# Knobs (environment): FACT_REPS (3), FACT_B_SECONDS (20, each run of (b) and (c)),
# FACT_D_SECONDS (10, each run of (d)), FACT_A_ROUNDS (40), FACT_VERSIONS (100),
# FACT_ENTITIES (1000).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FACT_REPS=${FACT_REPS:-3}
FACT_B_SECONDS=${FACT_B_SECONDS:-20}
FACT_D_SECONDS=${FACT_D_SECONDS:-10}
FACT_A_ROUNDS=${FACT_A_ROUNDS:-40}
FACT_VERSIONS=${FACT_VERSIONS:-100}
FACT_ENTITIES=${FACT_ENTITIES:-1000}
FACT_CLIENTS=8
FACT_THREADS=2
# The history of (d) is about 1.3 GB of tables and indexes: give the cluster the shared
# buffers a deployment of that size would have, so that (d) measures the reads and not
# copies from the OS page cache (the plain baseline fits in any cache).
export CLUSTER_EXTRA_CONF=${CLUSTER_EXTRA_CONF:-shared_buffers = 2GB}

BENCH_DIR=$REPO_ROOT/bench/fact
WORK=


# The recipe baseline of (c) needs pgcrypto (shipped with the postgresql-15 package).
start_fact_cluster() {
    [[ -f "$("$PG_CONFIG" --sharedir)/extension/pgcrypto.control" ]] ||
        die "pgcrypto is not installed (it ships with the postgresql-15 package)"
    start_bench_cluster fact
}

# ---------------------------------------------------------------- (a)

bench_a() {
    suite_header "(a) 1000-datom transact vs 1000-row INSERT ($FACT_A_ROUNDS rounds each)"
    sql -d fact -c "CALL bench_a($FACT_A_ROUNDS, 3)"
    read -r A_TX_MS A_INS_MS < <(sql_value -F ' ' -d fact -c "
        SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE side = 'transact')::numeric, 2),
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE side = 'insert')::numeric, 2)
        FROM timings_a")
    say "median: transact ${A_TX_MS} ms, INSERT ${A_INS_MS} ms"
}

# ---------------------------------------------------------------- (b), (c)

B_TX_TPS=() B_TX_SER=() B_INS_TPS=() B_INS_SER=() C_TPS=() C_SER=() C_FAILED=()

# pgbench_write NAME REP: one run of bench/fact/NAME.pgbench from 8 clients under
# SERIALIZABLE, no retries; sets RUN_TPS, RUN_DONE, RUN_FAILED, RUN_SER.
pgbench_write() {
    local name=$1 rep=$2 out rc=0
    out=$WORK/$name.$rep.out
    sql -d fact -c CHECKPOINT
    PGOPTIONS="${PGOPTIONS:-} -c default_transaction_isolation=serializable" \
        "$(pg_bindir)/pgbench" -n -c "$FACT_CLIENTS" -j "$FACT_THREADS" -T "$FACT_B_SECONDS" \
        --max-tries=1 --failures-detailed -f "$BENCH_DIR/$name.pgbench" fact >"$out" 2>&1 || rc=$?
    if ((rc != 0)) || grep -qE 'aborted|ERROR' "$out"; then
        warn "pgbench $name failed (exit $rc):"
        grep -E 'aborted|ERROR|error' "$out" | head -20 >&2
        die "see $out"
    fi
    RUN_TPS=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$out")
    RUN_DONE=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out")
    RUN_FAILED=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out")
    RUN_SER=$(sed -n 's/^number of serialization failures: \([0-9]*\).*/\1/p' "$out")
    printf '  %-11s run %d: %9.0f tps  %8d ok  %8d failed (%d serialization)\n' \
        "$name" "$rep" "$RUN_TPS" "$RUN_DONE" "${RUN_FAILED:-0}" "${RUN_SER:-0}"
}

bench_bc() {
    suite_header "(b), (c) one row per transaction, $FACT_CLIENTS clients, SERIALIZABLE, ${FACT_B_SECONDS}s runs x $FACT_REPS"
    local rep order name
    for ((rep = 1; rep <= FACT_REPS; rep++)); do
        # Rotate the order so that no side always runs first (or last) in a round.
        case $((rep % 3)) in
        1) order="b_transact b_insert c_recipe" ;;
        2) order="b_insert c_recipe b_transact" ;;
        0) order="c_recipe b_transact b_insert" ;;
        esac
        for name in $order; do
            pgbench_write "$name" "$rep"
            case $name in
            b_transact) B_TX_TPS+=("$RUN_TPS") B_TX_SER+=("${RUN_SER:-0}") ;;
            b_insert) B_INS_TPS+=("$RUN_TPS") B_INS_SER+=("${RUN_SER:-0}") ;;
            c_recipe) C_TPS+=("$RUN_TPS") C_SER+=("${RUN_SER:-0}") C_FAILED+=("${RUN_FAILED:-0}") ;;
            esac
        done
    done
    B_TX=$(median "${B_TX_TPS[@]}")
    B_INS=$(median "${B_INS_TPS[@]}")
    C_RECIPE=$(median "${C_TPS[@]}")
    B_TX_SER_TOTAL=$(printf '%s\n' "${B_TX_SER[@]}" | awk '{ s += $1 } END { print s + 0 }')
    # Serializable must have kept the recipe's chain linear: no two rows with one parent.
    C_FORKS=$(sql_value -d fact -c "SELECT count(prev_id) - count(DISTINCT prev_id) FROM recipe_log")
    B_DATOMS=$(sql_value -d fact -c "SELECT count(*) FROM persistence.datoms WHERE e LIKE 'b%'")
    printf 'median: transact %.0f tps, INSERT %.0f tps, recipe %.0f tps; transact datoms written: %s; recipe chain forks: %s\n' \
        "$B_TX" "$B_INS" "$C_RECIPE" "$B_DATOMS" "$C_FORKS"
}

# ---------------------------------------------------------------- (d)

bench_d() {
    suite_header "(d) entity as of a past tx: $FACT_ENTITIES entities x 10 attributes x $FACT_VERSIONS versions"
    local t0 t1 line rep name pids=() half
    "$(pg_bindir)/createdb" fact_hist
    sql -d fact_hist -c "CREATE EXTENSION persistence" \
        -v versions="$FACT_VERSIONS" -v entities="$FACT_ENTITIES" -f "$BENCH_DIR/d_setup.sql"
    t0=$SECONDS
    # Version 1 of every entity first: from D_TMIN on, every entity exists.
    sql -d fact_hist -c "CALL build_history(1, 1, 1, $FACT_ENTITIES)"
    D_TMIN=$(sql_value -d fact_hist -c "SELECT max(tx) FROM persistence.transactions")
    # The later versions from two sessions (2 cores), one per half of the entities.
    half=$(((FACT_ENTITIES / 2 + 99) / 100 * 100))
    if ((FACT_VERSIONS > 1)); then
        sql -d fact_hist -c "CALL build_history(2, $FACT_VERSIONS, 1, $half)" &
        pids+=($!)
        if ((half < FACT_ENTITIES)); then
            sql -d fact_hist -c "CALL build_history(2, $FACT_VERSIONS, $((half + 1)), $FACT_ENTITIES)" &
            pids+=($!)
        fi
        for pid in "${pids[@]}"; do wait "$pid" || die "building the history failed"; done
    fi
    t1=$SECONDS
    line=$(sql -d fact_hist -f "$BENCH_DIR/d_finish.sql")
    read -r _ D_DATOMS D_TXS D_ASSERTS <<<"$line"
    D_TMAX=$(sql_value -d fact_hist -c "SELECT max(tx) FROM persistence.transactions")
    D_BUILD_S=$((t1 - t0))
    say "history: $D_DATOMS datoms ($D_ASSERTS value assertions, the rest retractions and" \
        "closed re-assertions) in $D_TXS transactions, written in ${D_BUILD_S}s; as_of drawn from tx $D_TMIN..$D_TMAX"
    say "sample: $(sql_value -d fact_hist -c "SELECT persistence.entity('1', as_of => $D_TMIN + ($D_TMAX - $D_TMIN) / 2)")"

    local ent50=() ent95=() pl50=() pl95=()
    for ((rep = 1; rep <= FACT_REPS; rep++)); do
        for name in d_entity d_plain; do
            local prefix=$WORK/$name.$rep out=$WORK/$name.$rep.out rc=0
            "$(pg_bindir)/pgbench" -n -M prepared -c 1 -j 1 -T "$FACT_D_SECONDS" -l --log-prefix="$prefix" \
                -D entities="$FACT_ENTITIES" -D tmin="$D_TMIN" -D tmax="$D_TMAX" \
                -f "$BENCH_DIR/$name.pgbench" fact_hist >"$out" 2>&1 || rc=$?
            if ((rc != 0)) || grep -qE 'aborted|ERROR' "$out"; then
                grep -E 'aborted|ERROR|error' "$out" | head -20 >&2
                die "pgbench $name failed (exit $rc); see $out"
            fi
            local p50 p95 n
            p50=$(percentile 50 "$prefix".*)
            p95=$(percentile 95 "$prefix".*)
            n=$(cat "$prefix".* | wc -l)
            printf '  %-9s run %d: p50 %6d µs  p95 %6d µs  (%d queries)\n' "$name" "$rep" "$p50" "$p95" "$n"
            if [[ $name == d_entity ]]; then
                ent50+=("$p50") ent95+=("$p95")
            else
                pl50+=("$p50") pl95+=("$p95")
            fi
        done
    done
    D_ENT50=$(median "${ent50[@]}") D_ENT95=$(median "${ent95[@]}")
    D_PL50=$(median "${pl50[@]}") D_PL95=$(median "${pl95[@]}")
    say "median: entity p50 $D_ENT50 µs, p95 $D_ENT95 µs; plain p50 $D_PL50 µs, p95 $D_PL95 µs"
}

# ---------------------------------------------------------------- report


report() {
    local ra rb rc r50 r95
    ra=$(calc "$A_INS_MS / $A_TX_MS")
    rb=$(calc "$B_TX / $B_INS")
    rc=$(calc "$B_TX / $C_RECIPE")
    r50=$(calc "$D_ENT50 / $D_PL50")
    r95=$(calc "$D_ENT95 / $D_PL95")
    suite_header "fact benchmark results (ratios against baselines of this run; time: ${SECONDS}s)"
    printf '  fact (a) 1000-datom transact vs INSERT:        %6s×  (target ≥ 0.5×)  %-6s  [transact %s ms, INSERT %s ms; median of %d]\n' \
        "$ra" "$(verdict "$ra" 0.5 '>=')" "$A_TX_MS" "$A_INS_MS" "$FACT_A_ROUNDS"
    printf '  fact (b) 1-datom transact tps vs INSERT:       %6s×  (target ≥ 0.7×)  %-6s  [%.0f vs %.0f tps, 8 clients, SERIALIZABLE]\n' \
        "$rb" "$(verdict "$rb" 0.7 '>=')" "$B_TX" "$B_INS"
    printf '  fact (b) transact serialization failures:      %6s   (target 0)       %-6s  [all %d runs; INSERT baseline: %s]\n' \
        "$B_TX_SER_TOTAL" "$(verdict "$B_TX_SER_TOTAL" 0 '<=')" "$FACT_REPS" \
        "$(printf '%s\n' "${B_INS_SER[@]}" | awk '{ s += $1 } END { print s + 0 }')"
    printf '  fact (c) transact tps vs hash-chain recipe:    %6s×  (target ≥ 5×)    %-6s  [recipe %.0f ok tps; 40001 per run: %s; forks %s]\n' \
        "$rc" "$(verdict "$rc" 5 '>=')" "$C_RECIPE" "${C_SER[*]}" "$C_FORKS"
    printf '  fact (d) entity as_of vs plain, p50 latency:   %6s×  (target ≤ 3×)    %-6s  [%s vs %s µs]\n' \
        "$r50" "$(verdict "$r50" 3 '<=')" "$D_ENT50" "$D_PL50"
    printf '  fact (d) entity as_of vs plain, p95 latency:   %6s×  (target ≤ 3×)    %-6s  [%s vs %s µs; %s datoms, built in %ss]\n' \
        "$r95" "$(verdict "$r95" 3 '<=')" "$D_ENT95" "$D_PL95" "$D_DATOMS" "$D_BUILD_S"
}

main() {
    cd "$REPO_ROOT"
    install_signal_traps
    WORK=$(mktemp -d /tmp/persistence-bench-fact-out.XXXXXX)
    trap 'remove_throwaway_cluster; rm -rf -- "$WORK"' EXIT
    start_fact_cluster
    suite_header "benchmark fact (bench/fact.sh)"
    "$(pg_bindir)/createdb" fact
    sql -d fact -c "CREATE EXTENSION persistence" -f "$BENCH_DIR/setup.sql"
    bench_a
    bench_bc
    bench_d
    report
}

main "$@"
