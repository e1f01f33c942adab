# Helpers shared by the benchmark scripts (bench/*.sh), sourced after scripts/lib.sh.
# Every figure a benchmark prints is a ratio against a baseline of the same run, or a
# value against a target; these turn raw timings into those lines.

# sql ARGS...: psql quiet, stopping at the first error, no pager.
sql() { "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -P pager=off "$@"; }
# sql_value ARGS...: the same, unaligned and tuples only (one value per line).
sql_value() { sql -A -t "$@"; }

# median N...: the median of the numbers.
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# calc EXPR: awk arithmetic, printed with %.2f.
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# percentile P FILES...: nearest-rank percentile P (0..100) of column 3 (latency, µs) of
# pgbench per-transaction logs.
percentile() {
    local p=$1
    shift
    cat "$@" | awk '{ print $3 }' | sort -n | awk -v p="$p" '{ v[NR] = $1 } END {
        r = int(NR * p / 100); if (r < NR * p / 100) r++; if (r < 1) r = 1; print v[r] }'
}

# verdict VALUE TARGET >=|<=|<: "ok" or "MISSED".
verdict() {
    awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
        ok = (op == ">=") ? (v + 0 >= t + 0) : (op == "<") ? (v + 0 < t + 0) : (v + 0 <= t + 0); print ok ? "ok" : "MISSED" }'
}

# start_bench_cluster NAME: a throwaway cluster (scripts/lib.sh) for benchmark NAME, with
# the installed extension (BENCH_BUILD=1: build and install it first), its env sourced.
start_bench_cluster() {
    local name=$1
    if [[ "${BENCH_BUILD:-0}" == 1 ]]; then
        start_cluster_with_extension "$name"
        return
    fi
    [[ -f "$("$PG_CONFIG" --sharedir)/extension/$EXTENSION.control" ]] ||
        die "the $EXTENSION extension is not installed (make install, or BENCH_BUILD=1)"
    start_throwaway_cluster "$name" || die "could not start the $name benchmark cluster"
    # shellcheck disable=SC1091
    source "$THROWAWAY_CLUSTER/env"
}
