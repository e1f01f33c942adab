#!/usr/bin/env bash
# `make demo`: build and install persistence, start a throwaway cluster, and run
# scripts/demo.sql in a new database `demo`, echoing each query before its result.
# KEEP=1 leaves the cluster running afterwards and prints how to connect and stop it.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEMO_SQL=scripts/demo.sql

print_how_to_connect() {
    local dir=$1
    # shellcheck disable=SC1091
    source "$dir/env"
    say ""
    say "The demo cluster is still running (KEEP=1). Connect with:"
    say "  psql -h $PGHOST -p $PGPORT -U $PGUSER demo"
    say "Stop it with:"
    say "  bash scripts/cluster.sh stop $dir"
    say "(and delete it with: bash scripts/cluster.sh destroy $dir)"
}

main() {
    cd "$REPO_ROOT"
    # Fail before the slow build when there is nothing to show.
    if [[ ! -f "$DEMO_SQL" ]]; then die "$DEMO_SQL does not exist yet: nothing to demo"; fi
    install_signal_traps
    start_cluster_with_extension demo
    local dir=$THROWAWAY_CLUSTER rc=0
    if [[ "${KEEP:-0}" == 1 ]]; then
        # Keep it even when the demo fails: the state is what one wants to look at.
        THROWAWAY_CLUSTER=
        trap - EXIT
    fi
    suite_header "demo ($DEMO_SQL)"
    "$(pg_bindir)/createdb" demo
    "$(pg_bindir)/psql" -X -v ON_ERROR_STOP=1 --echo-queries -P pager=off -d demo \
        -f "$DEMO_SQL" || rc=$?
    if [[ "${KEEP:-0}" == 1 ]]; then
        print_how_to_connect "$dir"
    else
        remove_throwaway_cluster
    fi
    if ((rc != 0)); then die "the demo failed (psql exit status $rc)"; fi
    say "demo finished"
}

main "$@"
