#!/usr/bin/env bash
# `make installcheck`: the SQL suites (pg_regress, pgTAP, isolation) against a running
# server where persistence is already installed, named by PGHOST/PGPORT (and PGUSER).
# No build, no install, no cluster. Last line: "N passed, N failed".
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
    cd "$REPO_ROOT"
    install_signal_traps
    prepare_output_dirs
    suite_header "server ${PGHOST:-(default host)}:${PGPORT:-(default port)} as ${PGUSER:-$(id -un)}"
    if ! server_reachable; then
        say "no server accepting connections there; set PGHOST, PGPORT (and PGUSER)"
        record_result server 0 1
        finish
    fi
    run_sql_suites
    finish
}

main "$@"
