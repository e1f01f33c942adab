#!/usr/bin/env bash
# The branch module's benchmark (what `make bench-branch` does), on a throwaway cluster.
# Every figure is compared with a target or with a baseline measured in the same run, and
# printed in a final block:
#   (1) branch creation: persistence.branch(name) from main, timed in the server with its
#       COMMIT (BRANCH_CALLS calls; p50 and p95 per call), once on a history of
#       BRANCH_SMALL_DATOMS datoms and once after the history grew to BRANCH_LARGE_DATOMS.
#       Target: < 1 ms per call at both sizes, and flat: p50 large / p50 small ≤ 1.5×.
#       The same calls with an explicit at_tx (a random past tx of main) are shown too.
#       "datoms copied" counts the datoms whose branch_id is one of the new branches
#       (target 0: creating a branch copies nothing).
#   (2) reads on a depth-3 branch: BRANCH_ENTITIES entities x 10 attributes x
#       BRANCH_VERSIONS versions on main; b1 forks from main, b2 from b1, b3 from b2, each
#       writing its own entities (so b3's view has 4 segments), and after each fork main
#       writes BRANCH_MOVES more versions of every entity, which b3 must skip. pgbench, 1
#       client, prepared: entity(e) on b3 vs on main (the current value), and
#       entity(e, as_of => t) with t a random tx of main before b1's fork (the same
#       answer on both). p50 and p95 latency ratios b3 / main; target ≤ 1.5×.
#   (3) merge of BRANCH_MERGE_TXS transactions: branch m from main, that many one-datom
#       transacts on m (distinct entities), the same number written directly on main (the
#       baseline: that loop's time), then merge('m', 'main') timed with its COMMIT.
#       Reported: merge time, cost per replayed transaction, and merge / direct loop. No
#       target in issue 4; run once at each history size (small, then large), so the last
#       line shows how the merge's cost grows with the history.
# The machine is small and shared: each pgbench figure is the median of BRANCH_REPS runs;
# timings never fail the script, only errors do.
#
# The extension must already be installed (`make install`); this script does not build
# or install it unless BENCH_BUILD=1, which does what bench/run.sh does first.
# Knobs (environment), defaults in brackets: BRANCH_SMALL_DATOMS (10000),
# BRANCH_LARGE_DATOMS (10000000), BRANCH_CALLS (200), BRANCH_GROW_BATCH (10000 datoms
# per transact while growing), BRANCH_GROW_SESSIONS (2), BRANCH_MERGE_TXS (10000),
# BRANCH_ENTITIES (1000), BRANCH_VERSIONS (20), BRANCH_MOVES (1), BRANCH_READ_SECONDS
# (10, each pgbench run of (2)), BRANCH_REPS (3). A quick run: BRANCH_LARGE_DATOMS=200000
# BRANCH_MERGE_TXS=1000 BRANCH_ENTITIES=200 BRANCH_VERSIONS=5 BRANCH_READ_SECONDS=2
# BRANCH_REPS=1.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BRANCH_SMALL_DATOMS=${BRANCH_SMALL_DATOMS:-10000}
BRANCH_LARGE_DATOMS=${BRANCH_LARGE_DATOMS:-10000000}
BRANCH_CALLS=${BRANCH_CALLS:-200}
BRANCH_GROW_BATCH=${BRANCH_GROW_BATCH:-10000}
BRANCH_GROW_SESSIONS=${BRANCH_GROW_SESSIONS:-2}
BRANCH_MERGE_TXS=${BRANCH_MERGE_TXS:-10000}
BRANCH_ENTITIES=${BRANCH_ENTITIES:-1000}
BRANCH_VERSIONS=${BRANCH_VERSIONS:-20}
BRANCH_MOVES=${BRANCH_MOVES:-1}
BRANCH_READ_SECONDS=${BRANCH_READ_SECONDS:-10}
BRANCH_REPS=${BRANCH_REPS:-3}
BRANCH_WARMUP=10
# The large history is about 5 GB of tables and indexes; (2)'s is small. Give the cluster
# the shared buffers a deployment would have, like bench/fact.sh.
# JIT inlining is off: with it, any query costly enough to be inlined (jit_inline_above_cost)
# that calls a persistence C function, such as merge's queries on 10 k transactions, aborts
# the server process in LLVM (an assertion: persistence.index.bc holds alias summaries,
# the C++ constructor aliases, which PostgreSQL 15's inliner casts to function summaries).
# Reproduce: SET jit_above_cost = 0; SET jit_inline_above_cost = 0;
#            SELECT persistence._value(vh) FROM persistence.datoms;
export CLUSTER_EXTRA_CONF=${CLUSTER_EXTRA_CONF:-$'shared_buffers = 2GB\njit_inline_above_cost = -1'}

BENCH_DIR=$REPO_ROOT/bench/branch
WORK=



# ---------------------------------------------------------------- (1), (3)

# datom_count: the datoms of database branch (a sequential scan).
datom_count() { sql_value -d branch -c "SELECT count(*) FROM persistence.datoms"; }

# bench_create SIZE: (1) at the current history. SIZE (small, large) names the series:
# create-SIZE-head and create-SIZE-at. Sets CREATE_<SIZE>_COPIED.
bench_create() {
    local size=$1 p50 p95 n s copied
    sql -d branch -c "VACUUM ANALYZE persistence.transactions, persistence.branches" -c "ANALYZE persistence.datoms" \
        -c CHECKPOINT
    sql -d branch -c "CALL time_branches('create-$size-head', '$size-head-', $BRANCH_CALLS, $BRANCH_WARMUP, false)"
    sql -d branch -c "CALL time_branches('create-$size-at', '$size-at-', $BRANCH_CALLS, $BRANCH_WARMUP, true)"
    for s in head at; do
        read -r p50 p95 n < <(sql_value -F ' ' -d branch -c "SELECT * FROM series_stats('create-$size-$s')")
        printf '  branch() %-8s p50 %7s ms  p95 %7s ms  (%d calls)\n' "${s/at/at_tx}" "$p50" "$p95" "$n"
    done
    copied=$(sql_value -d branch -c "SELECT count(*) FROM persistence.datoms
        WHERE branch_id IN (SELECT id FROM persistence.branches WHERE name LIKE '$size-%')")
    say "  datoms whose branch_id is one of the $((2 * (BRANCH_CALLS + BRANCH_WARMUP))) new branches: $copied"
    printf -v "CREATE_${size^^}_COPIED" '%s' "$copied"
}

# bench_merge SIZE: (3) at the current history, with branch m-SIZE.
bench_merge() {
    local size=$1 line
    sql -d branch -c "SELECT persistence.branch('m-$size')" >/dev/null
    sql -d branch -c "CALL time_small_txs('write-$size-branch', 'm-$size', 'mb-$size', $BRANCH_MERGE_TXS)"
    sql -d branch -c "CALL time_small_txs('write-$size-main', 'main', 'mm-$size', $BRANCH_MERGE_TXS)"
    sql -d branch -c CHECKPOINT
    sql -d branch -c "CALL time_merge('merge-$size', 'm-$size', 'main')"
    line=$(sql_value -F ' ' -d branch -c "
        SELECT round((SELECT ms FROM timings WHERE series = 'write-$size-branch')::numeric),
               round((SELECT ms FROM timings WHERE series = 'write-$size-main')::numeric),
               round((SELECT ms FROM timings WHERE series = 'merge-$size')::numeric),
               (SELECT count(*) FROM merge_results WHERE series = 'merge-$size' AND kind <> 'merged'),
               (SELECT substring(detail from '^[0-9]+') FROM merge_results
                WHERE series = 'merge-$size' AND kind = 'merged')")
    local wb wm mg conflicts replayed
    read -r wb wm mg conflicts replayed <<<"$line"
    say "  $BRANCH_MERGE_TXS one-datom transacts on m-$size: $wb ms; on main (baseline): $wm ms"
    say "  merge('m-$size', 'main'): $mg ms, ${replayed:-0} transactions replayed, $conflicts conflicts"
    printf -v "MERGE_${size^^}" '%s %s %s %s %s' "$wb" "$wm" "$mg" "${replayed:-0}" "$conflicts"
}

# grow_history TARGET: transacts of BRANCH_GROW_BATCH datoms on main from
# BRANCH_GROW_SESSIONS sessions until the history holds at least TARGET datoms.
grow_history() {
    local target=$1 have need batches per_session k first last pids=() t0
    have=$(datom_count)
    need=$((target - have))
    if ((need <= 0)); then
        say "  history already holds $have datoms"
        return
    fi
    batches=$(((need + BRANCH_GROW_BATCH - 1) / BRANCH_GROW_BATCH))
    per_session=$(((batches + BRANCH_GROW_SESSIONS - 1) / BRANCH_GROW_SESSIONS))
    t0=$SECONDS
    for ((k = 1; k <= BRANCH_GROW_SESSIONS; k++)); do
        first=$(((k - 1) * per_session + 1))
        last=$((k * per_session < batches ? k * per_session : batches))
        ((first <= last)) || continue
        sql -d branch -c "CALL grow('g$k', $first, $last, $BRANCH_GROW_BATCH)" &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || die "growing the history failed"; done
    GROW_S=$((SECONDS - t0))
    say "  wrote $batches transacts of $BRANCH_GROW_BATCH datoms from $BRANCH_GROW_SESSIONS sessions in ${GROW_S}s"
}

bench_small() {
    local per=$((BRANCH_SMALL_DATOMS < 1000 ? BRANCH_SMALL_DATOMS : 1000))
    suite_header "(1), (3) at a history of $BRANCH_SMALL_DATOMS datoms"
    sql -d branch -c "CALL grow('s', 1, $(((BRANCH_SMALL_DATOMS + per - 1) / per)), $per)"
    SMALL_DATOMS=$(datom_count)
    say "  history: $SMALL_DATOMS datoms in $(sql_value -d branch -c "SELECT count(*) FROM persistence.transactions") transactions"
    bench_create small
    bench_merge small
}

bench_large() {
    suite_header "(1), (3) at a history of $BRANCH_LARGE_DATOMS datoms"
    GROW_S=0
    grow_history "$BRANCH_LARGE_DATOMS"
    LARGE_DATOMS=$(datom_count)
    say "  history: $LARGE_DATOMS datoms in $(sql_value -d branch -c "SELECT count(*) FROM persistence.transactions") transactions," \
        "$(sql_value -d branch -c "SELECT pg_size_pretty(pg_total_relation_size('persistence.datoms'))") (datoms and indexes)"
    bench_create large
    bench_merge large
}

# ---------------------------------------------------------------- (2)

bench_reads() {
    suite_header "(2) entity reads on b3 (main > b1 > b2 > b3) vs main: $BRANCH_ENTITIES entities x 10 attributes x $BRANCH_VERSIONS versions"
    local t0 pids=() half own b base rep name br
    "$(pg_bindir)/createdb" branch_read
    sql -d branch_read -c "CREATE EXTENSION persistence" -f "$BENCH_DIR/read_setup.sql"
    t0=$SECONDS
    sql -d branch_read -c "CALL build_history('main', '', 1, 1, 1, $BRANCH_ENTITIES)"
    R_TMIN=$(sql_value -d branch_read -c "SELECT max(tx) FROM persistence.transactions")
    half=$(((BRANCH_ENTITIES / 2 + 99) / 100 * 100))
    if ((BRANCH_VERSIONS > 1)); then
        sql -d branch_read -c "CALL build_history('main', '', 2, $BRANCH_VERSIONS, 1, $half)" &
        pids+=($!)
        if ((half < BRANCH_ENTITIES)); then
            sql -d branch_read -c "CALL build_history('main', '', 2, $BRANCH_VERSIONS, $((half + 1)), $BRANCH_ENTITIES)" &
            pids+=($!)
        fi
        for pid in "${pids[@]}"; do wait "$pid" || die "building the history failed"; done
    fi
    # b1 from main, b2 from b1, b3 from b2: each writes 2 versions of its own tenth of
    # entities ("b1-1"...), and main moves on after each fork.
    own=$(((BRANCH_ENTITIES + 9) / 10))
    base=main
    local moved=$BRANCH_VERSIONS
    for b in b1 b2 b3; do
        sql_value -d branch_read -c "SELECT persistence.branch('$b', '$base')" >/dev/null
        if [[ $b == b1 ]]; then
            R_TMAX=$(sql_value -d branch_read -c "SELECT fork_tx FROM persistence.branches WHERE name = 'b1'")
        fi
        sql -d branch_read -c "CALL build_history('$b', '$b-', 1, 2, 1, $own)"
        if ((BRANCH_MOVES > 0)); then
            sql -d branch_read -c "CALL build_history('main', '', $((moved + 1)), $((moved + BRANCH_MOVES)), 1, $BRANCH_ENTITIES)"
            moved=$((moved + BRANCH_MOVES))
        fi
        base=$b
    done
    R_BUILD_S=$((SECONDS - t0))
    sql -d branch_read -c "SET client_min_messages = warning" \
        -c "VACUUM ANALYZE persistence.datoms, persistence.transactions, persistence.value_store, persistence.branches"
    R_DATOMS=$(sql_value -d branch_read -c "SELECT count(*) FROM persistence.datoms")
    say "  history: $R_DATOMS datoms in $(sql_value -d branch_read -c "SELECT count(*) FROM persistence.transactions")" \
        "transactions, written in ${R_BUILD_S}s; as_of drawn from tx $R_TMIN..$R_TMAX (b1's fork)"
    sql -d branch_read -c "SELECT name, parent, fork_tx, head_tx, datom_count FROM persistence.branches() ORDER BY name"
    say "  b3's view: $(sql_value -d branch_read -c "SELECT string_agg(format('(%s, %s)', branch_id, max_tx), ' ') FROM persistence._branch_view('b3')")"
    say "  sample now, main: $(sql_value -d branch_read -c "SELECT persistence.entity('1', depth => 0)" | cut -c1-100)…"
    say "  sample now, b3:   $(sql_value -d branch_read -c "SELECT persistence.entity('1', depth => 0, branch => 'b3')" | cut -c1-100)…"
    say "  as_of answers equal on main and b3 (20 samples): $(sql_value -d branch_read -c "
        SELECT bool_and(persistence.entity(e::text, as_of => t)::text = persistence.entity(e::text, as_of => t, branch => 'b3')::text)
        FROM (SELECT 1 + (random() * ($BRANCH_ENTITIES - 1))::int AS e,
                     $R_TMIN + (random() * ($R_TMAX - $R_TMIN))::bigint AS t FROM generate_series(1, 20)) s")"

    declare -gA R50=() R95=()
    local order
    for ((rep = 1; rep <= BRANCH_REPS; rep++)); do
        # Alternate which side runs first in a round.
        if ((rep % 2)); then order="main b3"; else order="b3 main"; fi
        for name in r_latest r_asof; do
            for br in $order; do
                local prefix=$WORK/$name.$br.$rep out=$WORK/$name.$br.$rep.out rc=0
                "$(pg_bindir)/pgbench" -n -M prepared -c 1 -j 1 -T "$BRANCH_READ_SECONDS" -l --log-prefix="$prefix" \
                    -D entities="$BRANCH_ENTITIES" -D tmin="$R_TMIN" -D tmax="$R_TMAX" -D br="$br" \
                    -f "$BENCH_DIR/$name.pgbench" branch_read >"$out" 2>&1 || rc=$?
                if ((rc != 0)) || grep -qE 'aborted|ERROR' "$out"; then
                    grep -E 'aborted|ERROR|error' "$out" | head -20 >&2
                    die "pgbench $name ($br) failed (exit $rc); see $out"
                fi
                local p50 p95 n
                p50=$(percentile 50 "$prefix".*)
                p95=$(percentile 95 "$prefix".*)
                n=$(cat "$prefix".* | wc -l)
                printf '  %-8s %-4s run %d: p50 %6d µs  p95 %6d µs  (%d queries)\n' "$name" "$br" "$rep" "$p50" "$p95" "$n"
                R50[$name.$br]+="$p50 " R95[$name.$br]+="$p95 "
            done
        done
    done
    local key
    for key in "${!R50[@]}"; do
        # shellcheck disable=SC2086 # a list of numbers
        R50[$key]=$(median ${R50[$key]})
        # shellcheck disable=SC2086
        R95[$key]=$(median ${R95[$key]})
    done
    say "  median: now main p50 ${R50[r_latest.main]} p95 ${R95[r_latest.main]} µs, b3 p50 ${R50[r_latest.b3]} p95 ${R95[r_latest.b3]} µs;" \
        "as_of main p50 ${R50[r_asof.main]} p95 ${R95[r_asof.main]} µs, b3 p50 ${R50[r_asof.b3]} p95 ${R95[r_asof.b3]} µs"
}

# ---------------------------------------------------------------- report


# stats SERIES: "p50 p95" of a timings series of database branch.
stats() { sql_value -F ' ' -d branch -c "SELECT p50, p95 FROM series_stats('$1')"; }

# row LABEL VALUE UNIT TARGET VERDICT DETAIL: one line of the results block. UNIT is ms,
# x (printed ×) or empty; TARGET is printed as given (it pads to one width).
row() {
    local value
    case $3 in
    ms) value=$(printf '%7s ms' "$2") ;;
    x) value=$(printf '%7s×  ' "$2") ;;
    *) value=$(printf '%7s   ' "$2") ;;
    esac
    printf '  %-46s %s  %s  %-6s  %s\n' "$1" "$value" "$4" "$5" "$6"
}
T_MS='(target < 1 ms) '
T_RATIO='(target ≤ 1.5×) '
T_ZERO='(target 0)      '
T_NONE='(no target)     '

report() {
    local sh50 sh95 sa50 sa95 lh50 lh95 la50 la95 r
    read -r sh50 sh95 < <(stats create-small-head)
    read -r sa50 sa95 < <(stats create-small-at)
    read -r lh50 lh95 < <(stats create-large-head)
    read -r la50 la95 < <(stats create-large-at)
    local swb swm smg srep sconf lwb lwm lmg lrep lconf
    read -r swb swm smg srep sconf <<<"$MERGE_SMALL"
    read -r lwb lwm lmg lrep lconf <<<"$MERGE_LARGE"
    local small large
    small=$(awk -v n="$SMALL_DATOMS" 'BEGIN { printf (n >= 1e6 ? "%.1fM" : "%.0fk"), (n >= 1e6 ? n / 1e6 : n / 1000) }')
    large=$(awk -v n="$LARGE_DATOMS" 'BEGIN { printf (n >= 1e6 ? "%.1fM" : "%.0fk"), (n >= 1e6 ? n / 1e6 : n / 1000) }')

    suite_header "branch benchmark results (ratios against baselines of this run; time: ${SECONDS}s)"
    row "branch (1) branch() at $small datoms, p50:" "$sh50" ms "$T_MS" "$(verdict "$sh50" 1 '<')" \
        "[p95 $sh95 ms; at_tx: p50 $sa50, p95 $sa95 ms; $BRANCH_CALLS calls each]"
    row "branch (1) branch() at $large datoms, p50:" "$lh50" ms "$T_MS" "$(verdict "$lh50" 1 '<')" \
        "[p95 $lh95 ms; at_tx: p50 $la50, p95 $la95 ms; history grown in ${GROW_S}s]"
    r=$(calc "$lh50 / $sh50")
    row "branch (1) branch() p50, $large vs $small datoms:" "$r" x "$T_RATIO" "$(verdict "$r" 1.5 '<=')" \
        "[at_tx: $(calc "$la50 / $sa50")×]"
    r=$((CREATE_SMALL_COPIED + CREATE_LARGE_COPIED))
    row "branch (1) datoms copied by branch():" "$r" '' "$T_ZERO" "$(verdict "$r" 0 '<=')" \
        "[$((4 * (BRANCH_CALLS + BRANCH_WARMUP))) branches created]"
    r=$(calc "${R50[r_latest.b3]} / ${R50[r_latest.main]}")
    row "branch (2) entity(e) b3 vs main, p50:" "$r" x "$T_RATIO" "$(verdict "$r" 1.5 '<=')" \
        "[${R50[r_latest.b3]} vs ${R50[r_latest.main]} µs]"
    r=$(calc "${R95[r_latest.b3]} / ${R95[r_latest.main]}")
    row "branch (2) entity(e) b3 vs main, p95:" "$r" x "$T_RATIO" "$(verdict "$r" 1.5 '<=')" \
        "[${R95[r_latest.b3]} vs ${R95[r_latest.main]} µs]"
    r=$(calc "${R50[r_asof.b3]} / ${R50[r_asof.main]}")
    row "branch (2) entity(e, as_of) b3 vs main, p50:" "$r" x "$T_RATIO" "$(verdict "$r" 1.5 '<=')" \
        "[${R50[r_asof.b3]} vs ${R50[r_asof.main]} µs]"
    r=$(calc "${R95[r_asof.b3]} / ${R95[r_asof.main]}")
    row "branch (2) entity(e, as_of) b3 vs main, p95:" "$r" x "$T_RATIO" "$(verdict "$r" 1.5 '<=')" \
        "[${R95[r_asof.b3]} vs ${R95[r_asof.main]} µs; $R_DATOMS datoms]"
    row "branch (3) merge of $BRANCH_MERGE_TXS txs at $small datoms:" "$smg" ms "$T_NONE" info \
        "[$(awk -v m="$smg" -v n="$srep" 'BEGIN { printf "%.3f", n ? m / n : 0 }') ms per replayed tx ($srep replayed, $sconf conflicts); $(calc "$smg / $swm")× the $BRANCH_MERGE_TXS direct transacts on main ($swm ms; on m $swb ms)]"
    row "branch (3) merge of $BRANCH_MERGE_TXS txs at $large datoms:" "$lmg" ms "$T_NONE" info \
        "[$(awk -v m="$lmg" -v n="$lrep" 'BEGIN { printf "%.3f", n ? m / n : 0 }') ms per replayed tx ($lrep replayed, $lconf conflicts); $(calc "$lmg / $lwm")× the $BRANCH_MERGE_TXS direct transacts on main ($lwm ms; on m $lwb ms)]"
    r=$(calc "$lmg / $smg")
    row "branch (3) merge time, $large vs $small datoms:" "$r" x "$T_NONE" info ""
}

main() {
    cd "$REPO_ROOT"
    install_signal_traps
    WORK=$(mktemp -d /tmp/persistence-bench-branch-out.XXXXXX)
    trap 'remove_throwaway_cluster; rm -rf -- "$WORK"' EXIT
    start_bench_cluster branch
    suite_header "benchmark branch (bench/branch.sh)"
    "$(pg_bindir)/createdb" branch
    sql -d branch -c "CREATE EXTENSION persistence" -f "$BENCH_DIR/setup.sql"
    bench_small
    bench_large
    bench_reads
    report
}

main "$@"
