#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and demos (functions in lib.sh).
#
#   bash scripts/cluster.sh start [DIR]    create (first time) and start; DIR defaults to a
#                                          new /tmp/persistence-cluster.XXXXXX
#   bash scripts/cluster.sh stop DIR       fast shutdown (keeps DIR)
#   bash scripts/cluster.sh restart DIR    stop and start on the same port (crash tests)
#   bash scripts/cluster.sh status DIR     exit 0 when running, 3 when not
#   bash scripts/cluster.sh destroy DIR    stop and delete DIR
#
# Clients: `source DIR/env` sets PGHOST, PGPORT, PGUSER, PGDATABASE (and PGDATA,
# PERSISTENCE_CLUSTER). When run as root the server runs as the OS user `postgres`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
    sed -n '4,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
    exit 2
}

main() {
    local cmd=${1:-} dir=${2:-}
    if [[ -z "$dir" && "$cmd" != start ]]; then usage; fi
    case "$cmd" in
    start)
        if [[ -z "$dir" ]]; then dir=$(mktemp -d /tmp/persistence-cluster.XXXXXX); fi
        cluster_start "$dir"
        ;;
    stop) cluster_stop "$dir" ;;
    restart)
        cluster_stop "$dir"
        cluster_start "$dir"
        ;;
    status) cluster_status "$dir" ;;
    destroy) cluster_destroy "$dir" ;;
    *) usage ;;
    esac
}

main "$@"
