#!/usr/bin/env bash
# Runs one SQL benchmark, bench/NAME.sql, on a throwaway cluster with the extension
# freshly built and installed: `bash bench/run.sh edn` (what `make bench-edn` does).
# Each benchmark prints its figures as ratios against a baseline measured in the same run.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

main() {
    local name=${1:?usage: bench/run.sh NAME (runs bench/NAME.sql)}
    local sql="bench/$name.sql"
    cd "$REPO_ROOT"
    [[ -f "$sql" ]] || die "$sql does not exist"
    install_signal_traps
    start_cluster_with_extension "bench-$name"
    suite_header "benchmark $name ($sql)"
    "$(pg_bindir)/createdb" bench
    "$(pg_bindir)/psql" -X -q -v ON_ERROR_STOP=1 -P pager=off -d bench \
        -c "CREATE EXTENSION persistence" -f "$sql"
    remove_throwaway_cluster
}

main "$@"
