# shellcheck shell=bash
# Functions shared by the scripts in this directory: messages and result counting, the
# throwaway PostgreSQL cluster, build and install, and the SQL suites that both
# `make check` and `make installcheck` run. Source it: it defines functions and settings
# (and nullglob) and runs nothing.

if [[ -n "${PERSISTENCE_LIB_LOADED:-}" ]]; then
    return 0
fi
PERSISTENCE_LIB_LOADED=1

SCRIPTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPTS_DIR/.." && pwd)
SCRIPT_NAME=$(basename "$0")

PG_CONFIG=${PG_CONFIG:-pg_config}
JOBS=${JOBS:-2}
# The extension: persistence.so and its install scripts sql/persistence--*.sql.
EXTENSION=persistence
# What the SQL suites preload, load and CREATE on the server. Only the harness's own tests
# point it elsewhere (at a contrib module), to exercise the scripts without persistence.so.
TEST_EXTENSION=${TEST_EXTENSION:-$EXTENSION}
# A hung test must not hang CI forever; these bound each suite (seconds).
SQL_SUITE_TIMEOUT=${SQL_SUITE_TIMEOUT:-900}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-900}
STRESS_TIMEOUT=${STRESS_TIMEOUT:-300}

BUILD_DIR=$REPO_ROOT/build
LOG_DIR=$BUILD_DIR/test-logs

# Globs that match nothing expand to nothing, so "no tests yet" is an empty list.
shopt -s nullglob

# ---------------------------------------------------------------- messages

say() { printf '%s\n' "$*"; }
warn() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() {
    warn "$*"
    exit 1
}
# Suite headers and results share one prefix: `grep '^####' log` gives the outline of a run.
suite_header() { printf '\n#### %s\n' "$1"; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a command as root: directly when we are root, else through sudo (which may prompt).
run_privileged() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -- "$@"
    else
        warn "needs root (and sudo is not installed): $*"
        return 1
    fi
}

# make with the job count, and PG_CONFIG passed on only when the caller chose one
# (a plain environment variable would not survive sudo).
make_cmd() {
    local args=(-j"$JOBS")
    if [[ -n "${PG_CONFIG_EXPLICIT:-}" ]]; then args+=("PG_CONFIG=$PG_CONFIG"); fi
    make "${args[@]}" "$@"
}
if [[ "$PG_CONFIG" != pg_config ]]; then PG_CONFIG_EXPLICIT=1; fi

# Run a command, showing its output and keeping a copy in LOG; returns the command's status.
# For builds: they stay in the foreground process group, so Ctrl-C stops them directly.
run_logged() {
    local log=$1 rc=0
    shift
    mkdir -p "$(dirname "$log")"
    "$@" 2>&1 | tee "$log" || rc=$?
    return "$rc"
}

# run_bounded SECONDS LOG CMD...: like run_logged, for tests that might hang. timeout gives
# CMD its own process group and kills the whole group when time is up. That group no longer
# sees a Ctrl-C, so CMD runs in the background and we `wait`, which a signal interrupts at
# once; the trap (install_signal_traps) then stops timeout, and timeout stops CMD's group.
BOUNDED_PID=
run_bounded() {
    local seconds=$1 log=$2 rc=0 out tee_pid waited
    shift 2
    mkdir -p "$(dirname "$log")"
    exec {out}> >(tee "$log")
    tee_pid=$!
    # The command gets the pipe as stdout only ({out} closed), so a daemon it leaves behind
    # (a restarted postmaster) holds no extra copy of it.
    timeout -k 10 "$seconds" "$@" >&"$out" 2>&1 {out}>&- </dev/null &
    BOUNDED_PID=$!
    exec {out}>&-
    wait "$BOUNDED_PID" || rc=$?
    BOUNDED_PID=
    # The log is read next: give tee a moment to finish writing it, but do not wait for
    # a background process that still holds the pipe.
    for ((waited = 0; waited < 50; waited++)); do
        kill -0 "$tee_pid" 2>/dev/null || break
        sleep 0.1
    done
    if ((rc == 124 || rc == 137)); then say "timed out after ${seconds}s: $*"; fi
    return "$rc"
}

# Ctrl-C and TERM end the script at once (stopping a bounded command); EXIT always removes
# the throwaway cluster, whatever the reason for exiting.
install_signal_traps() {
    trap 'stop_on_signal 130' INT
    trap 'stop_on_signal 143' TERM
    trap remove_throwaway_cluster EXIT
}

stop_on_signal() {
    trap '' INT TERM
    if [[ -n "$BOUNDED_PID" ]]; then
        kill -TERM "$BOUNDED_PID" 2>/dev/null || true
        wait "$BOUNDED_PID" 2>/dev/null || true
    fi
    say "interrupted" >&2
    exit "$1"
}

# The arguments (glob results) one a line in byte order: test order must not depend on the
# caller's locale.
sorted_lines() {
    if (($# > 0)); then printf '%s\n' "$@" | LC_ALL=C sort; fi
}

pg_bindir() { "$PG_CONFIG" --bindir; }
pg_pgxs_test_dir() { printf '%s/pgxs/src/test\n' "$("$PG_CONFIG" --pkglibdir)"; }

# ---------------------------------------------------------------- counting

TOTAL_PASSED=0
TOTAL_FAILED=0
FAILED_SUITES=()

# record_result NAME PASSED FAILED: add to the totals and print the suite's own result.
record_result() {
    local name=$1 passed=$2 failed=$3
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    if ((failed > 0)); then
        FAILED_SUITES+=("$name ($failed)")
        printf '#### %s: FAILED (%d passed, %d failed)\n' "$name" "$passed" "$failed"
    else
        printf '#### %s: ok (%d passed)\n' "$name" "$passed"
    fi
}

# Print the one summary line (last line of output) and exit non-zero if anything failed.
finish() {
    echo
    if ((${#FAILED_SUITES[@]} > 0)); then
        local IFS=,
        say "failures in:${FAILED_SUITES[*]/#/ }"
    fi
    say "time: ${SECONDS}s"
    printf '%d passed, %d failed\n' "$TOTAL_PASSED" "$TOTAL_FAILED"
    if ((TOTAL_FAILED > 0)); then exit 1; fi
    exit 0
}

strip_colour() { sed 's/\x1b\[[0-9;]*m//g' "$1"; }

# Each count_* prints "PASSED FAILED" for a log. A non-zero exit with no failure found in
# the log (a crash, a timeout, a tool that could not start) still counts as one failure.
at_least_one_failure_if() {
    local rc=$1 passed=$2 failed=$3
    if ((rc != 0 && failed == 0)); then failed=1; fi
    echo "$passed $failed"
}

# Catch2 2.x console summaries: "All tests passed (A assertions in N test cases)" or
# "test cases: N | P passed | F failed | E failed as expected"; any number of them.
count_catch2() {
    local log=$1 rc=$2 counts
    counts=$(strip_colour "$log" | awk '
        /^All tests passed \(/ {
            if (match($0, /in [0-9]+ test case/)) p += substr($0, RSTART + 3) + 0
        }
        /^test cases:/ {
            n = split($0, col, "|")
            for (i = 2; i <= n; i++) {
                c = col[i]; gsub(/^ +| +$/, "", c)
                if (c ~ /failed as expected$/ || c ~ /passed$/) p += c + 0
                else if (c ~ /failed$/) f += c + 0
            }
        }
        END { print p + 0, f + 0 }')
    # shellcheck disable=SC2086 # two numbers, split on purpose
    at_least_one_failure_if "$rc" $counts
}

# pg_regress / pg_isolation_regress: one line per test, "... ok" or "... FAILED" in
# PostgreSQL 15 ("ok N - name" / "not ok N - name" from 16 on). EXPECTED is how many
# tests were asked for: tests that never reported (the driver died) count as failed.
count_pg_regress() {
    local log=$1 rc=$2 expected=$3 passed failed
    read -r passed failed < <(strip_colour "$log" | awk '
        / \.\.\. ok( |$)/ || /\.\.\. failed \(ignored\)/ || /^ok [0-9]+ / { p++; next }
        / \.\.\. FAILED/ || /^not ok [0-9]+ / { f++ }
        END { print p + 0, f + 0 }')
    if ((passed + failed < expected)); then failed=$((expected - passed)); fi
    at_least_one_failure_if "$rc" "$passed" "$failed"
}

# pg_prove (TAP::Harness). "Files=N, Tests=M": M subtests ran. Per file, "Failed X/Y
# subtests" (X includes planned tests that never ran) and, in the "Test Summary Report",
# "(Wstat: W Tests: T Failed: F)" plus "Parse errors" for a file that died or broke its
# plan. Passed = M minus the subtests that ran and failed; a broken file counts X failures,
# or F, or at least one.
count_pg_prove() {
    local log=$1 rc=$2 counts
    counts=$(strip_colour "$log" | tr '\r' '\n' | awk '
        function close_entry() {
            if (entry != "") {
                n = planned_failed[entry] + 0
                if (n < entry_failed) n = entry_failed
                if (n == 0 && entry_bad) n = 1
                failed += n
            }
            entry = ""
        }
        /^Test Summary Report/ { report = 1; next }
        /^Files=[0-9]+, Tests=[0-9]+/ {
            close_entry(); report = 0
            match($0, /Tests=[0-9]+/); tests = substr($0, RSTART + 6) + 0
            next
        }
        !report && / \.\. / { current = substr($0, 1, index($0, " .. ") - 1) }
        !report && /^Failed [0-9]+\/[0-9]+ subtests/ { planned_failed[current] = $2 + 0 }
        report && /\(Wstat: / {
            close_entry()
            entry = substr($0, 1, index($0, " (Wstat: ") - 1)
            match($0, /Failed: [0-9]+/); entry_failed = substr($0, RSTART + 8) + 0
            ran_failed += entry_failed
            match($0, /Wstat: [0-9]+/); entry_bad = (substr($0, RSTART + 7) + 0 != 0)
            next
        }
        report && /^ +Parse errors:/ { entry_bad = 1 }
        END { close_entry(); print tests - ran_failed, failed + 0 }')
    # shellcheck disable=SC2086
    at_least_one_failure_if "$rc" $counts
}

# Fuzz targets: scripts/fuzz.sh prints "fuzz NAME: ok (no finding)" or "fuzz NAME: FINDING"
# per target; raw libFuzzer output instead ends a clean run with "Done N runs in S
# second(s)". TARGETS is how many fuzz targets there are (for targets that never ran).
count_fuzz() {
    local log=$1 rc=$2 targets=$3 passed failed
    read -r passed failed < <(strip_colour "$log" | awk '
        /^fuzz [^ ]+: ok/ { ok++ } /^fuzz [^ ]+: FINDING/ { bad++ } /^Done [0-9]+ runs in / { done++ }
        END { if (ok + bad > 0) print ok + 0, bad + 0; else print done + 0, 0 }')
    if ((rc == 0)); then
        # The run succeeded; if its output could not be read, the make target is one test.
        if ((passed == 0)); then passed=1; fi
    elif ((passed + failed < targets)); then
        failed=$((targets - passed))
    fi
    at_least_one_failure_if "$rc" "$passed" "$failed"
}

# ---------------------------------------------------------------- build

build_extension() {
    suite_header "build (make all)"
    run_logged "$LOG_DIR/build.log" make_cmd all
}

install_extension() {
    suite_header "install (make install)"
    local args=(make)
    if [[ -n "${PG_CONFIG_EXPLICIT:-}" ]]; then args+=("PG_CONFIG=$PG_CONFIG"); fi
    run_logged "$LOG_DIR/install.log" run_privileged "${args[@]}" install
}

# ---------------------------------------------------------------- throwaway cluster
#
# Layout of a cluster directory DIR: data/ (PGDATA), socket/ (the Unix socket), log/
# (server log), env (exports for clients), .persistence-cluster (marker: safe to delete).
# PostgreSQL refuses to run as root, so when root calls, the server runs as `postgres`.

CLUSTER_FIRST_PORT=${CLUSTER_FIRST_PORT:-55432}

cluster_owner() {
    if is_root; then echo postgres; else id -un; fi
}

# Run a command as the OS user that owns the cluster, from / so that a private caller
# directory (the checkout may be under /root) does not get in the way.
as_cluster_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# postgresql-common creates `postgres`; without it (unusual) make a system user.
ensure_postgres_user() {
    if ! getent passwd postgres >/dev/null; then
        useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
            --shell /bin/bash postgres
    fi
}

# Something accepting on 127.0.0.1:PORT (a listener on any address would block our bind).
port_in_use() {
    local port=$1
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if command -v ss >/dev/null 2>&1 && [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]; then
        return 0
    fi
    return 1
}

find_free_port() {
    local port=$1
    while port_in_use "$port"; do port=$((port + 1)); done
    echo "$port"
}

# Read one variable from DIR/env (empty when there is none).
cluster_env_value() {
    local dir=$1 name=$2
    [[ -f "$dir/env" ]] || return 0
    # shellcheck disable=SC1091
    (source "$dir/env" && printf '%s\n' "${!name:-}")
}

# The postmaster's PID when it is alive. Not `pg_ctl status`: a postmaster killed by a crash
# test stays a zombie until init reaps it, and pg_ctl takes a zombie for a live server.
postmaster_pid() {
    local dir=$1 pid state
    pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
    [[ -n "$state" && "$state" != Z ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]] || return 1
    echo "$pid"
}

cluster_is_running() {
    postmaster_pid "$1" >/dev/null
}

cluster_init() {
    local dir=$1 locale_opt=(--no-locale)
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then locale_opt=(--locale=C.UTF-8); fi
    as_cluster_owner "$(pg_bindir)/initdb" -D "$dir/data" --auth=trust --encoding=UTF8 \
        "${locale_opt[@]}" --no-sync --no-instructions >"$dir/log/initdb.log" 2>&1 || {
        cat "$dir/log/initdb.log" >&2
        return 1
    }
    # A disposable test cluster: durability off for speed, the extension preloaded for its
    # background workers, reachable only locally and through the private socket.
    cat >>"$dir/data/postgresql.conf" <<EOF

# ---- throwaway test cluster (scripts/lib.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
shared_preload_libraries = '$TEST_EXTENSION'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
# One sealer per database with the extension (docs/audit.md "Operations"): the suites
# create several databases.
max_worker_processes = 32
log_line_prefix = '%m [%p] %q%u@%d '
EOF
    # Extra settings a caller needs (a benchmark's memory), one per line.
    if [[ -n "${CLUSTER_EXTRA_CONF:-}" ]]; then printf '%s\n' "$CLUSTER_EXTRA_CONF" >>"$dir/data/postgresql.conf"; fi
}

cluster_write_env() {
    local dir=$1 port=$2
    {
        echo "# source this file to use the throwaway cluster in $dir"
        printf 'export PGHOST=%q\n' "$dir/socket"
        printf 'export PGPORT=%q\n' "$port"
        printf 'export PGUSER=%q\n' "$(cluster_owner)"
        echo "export PGDATABASE=postgres"
        printf 'export PGDATA=%q\n' "$dir/data"
        printf 'export PERSISTENCE_CLUSTER=%q\n' "$dir"
    } >"$dir/env.tmp"
    mv "$dir/env.tmp" "$dir/env"
}

# pg_ctl start on PORT. Returns 2 when the port was taken (try another), 3 when a crashed
# server is not quite gone: its backends still hold the shared memory, or its postmaster is
# an unreaped zombie whose PID still locks postmaster.pid.
cluster_try_start() {
    local dir=$1 port=$2 log size
    log=$dir/log/postgresql.log
    size=$(stat -c %s "$log" 2>/dev/null || echo 0)
    if as_cluster_owner "$(pg_bindir)/pg_ctl" start -D "$dir/data" -l "$log" -w -t 120 \
        -o "-p $port" >>"$dir/log/pg_ctl.log" 2>&1; then
        return 0
    fi
    if tail -c +"$((size + 1))" "$log" | grep -q 'Address already in use'; then return 2; fi
    if tail -c +"$((size + 1))" "$log" | grep -qE 'is still in use|lock file .* already exists'; then
        return 3
    fi
    return 1
}

# cluster_start DIR: create (first time) and start the cluster, write DIR/env. A restart
# keeps the port recorded in DIR/env, because clients already hold it.
cluster_start() {
    local dir=$1 port pinned attempt rc
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # The socket path must fit in sun_path (107 bytes).
    if ((${#dir} > 70)); then
        warn "cluster directory path too long for a Unix socket: $dir"
        return 1
    fi
    touch "$dir/.persistence-cluster"
    mkdir -p "$dir/socket" "$dir/log"
    if is_root; then
        ensure_postgres_user
        chown -R postgres: "$dir"
    fi
    if ! as_cluster_owner test -w "$dir" -a -x "$dir"; then
        warn "user $(cluster_owner) cannot write $dir (a private parent such as /root?); use a directory under /tmp"
        return 1
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then cluster_init "$dir" || return 1; fi

    pinned=$(cluster_env_value "$dir" PGPORT)
    if cluster_is_running "$dir"; then
        if [[ -z "$pinned" ]]; then
            warn "$dir is running but has no env file"
            return 1
        fi
        say "cluster already running in $dir (port $pinned)"
        return 0
    fi
    port=${pinned:-$(find_free_port "$CLUSTER_FIRST_PORT")}
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        rc=0
        cluster_try_start "$dir" "$port" || rc=$?
        if ((rc == 0)); then break; fi
        # Another cluster grabbed the port between the check and the bind: take the next.
        if ((rc == 2)) && [[ -z "$pinned" ]] && ((attempt < 10)); then
            port=$(find_free_port $((port + 1)))
            continue
        fi
        if ((rc == 3)) && ((attempt < 10)); then
            sleep 1
            continue
        fi
        warn "could not start PostgreSQL in $dir; last lines of its log:"
        tail -n 30 "$dir/log/postgresql.log" >&2 || true
        return 1
    done
    cluster_write_env "$dir" "$port"
    say "cluster running in $dir (port $port); use: source $dir/env"
}

# cluster_stop DIR: fast shutdown; immediate if that hangs; SIGKILL as the last resort.
cluster_stop() {
    local dir=$1 pg_ctl pid
    [[ -f "$dir/data/PG_VERSION" ]] || return 0
    cluster_is_running "$dir" || return 0
    pg_ctl=$(pg_bindir)/pg_ctl
    as_cluster_owner "$pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >>"$dir/log/pg_ctl.log" 2>&1 && return 0
    as_cluster_owner "$pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >>"$dir/log/pg_ctl.log" 2>&1 && return 0
    if pid=$(postmaster_pid "$dir"); then kill -KILL "$pid" 2>/dev/null || true; fi
    warn "cluster in $dir did not stop cleanly (see $dir/log)"
    return 1
}

# cluster_status DIR: 0 when running (like pg_ctl status), 3 when not.
cluster_status() {
    local dir=$1
    if cluster_is_running "$dir"; then
        say "running: $dir (port $(cluster_env_value "$dir" PGPORT)); use: source $dir/env"
        return 0
    fi
    say "not running: $dir"
    return 3
}

# cluster_destroy DIR: stop it and delete the directory, but only one this file made.
cluster_destroy() {
    local dir=$1
    [[ -d "$dir" ]] || return 0
    cluster_stop "$dir" || true
    if [[ -f "$dir/.persistence-cluster" ]]; then rm -rf -- "$dir"; fi
}

# Start a fresh cluster in a new /tmp directory for this script; the EXIT trap of
# install_signal_traps stops and removes it. Sets THROWAWAY_CLUSTER.
THROWAWAY_CLUSTER=
start_throwaway_cluster() {
    local purpose=$1
    # /tmp, not TMPDIR: the postgres user must reach it even when the caller's TMPDIR is private.
    THROWAWAY_CLUSTER=$(mktemp -d "/tmp/persistence-$purpose.XXXXXX")
    suite_header "throwaway cluster"
    cluster_start "$THROWAWAY_CLUSTER"
}

# Everything a tool needs before it talks to the extension: packages, a fresh build
# installed, and a throwaway cluster (THROWAWAY_CLUSTER) whose env is sourced.
start_cluster_with_extension() {
    local purpose=$1
    bash "$SCRIPTS_DIR/deps.sh"
    build_extension || die "build failed"
    install_extension || die "install failed"
    start_throwaway_cluster "$purpose" || die "could not start the $purpose cluster"
    # shellcheck disable=SC1091
    source "$THROWAWAY_CLUSTER/env"
}

remove_throwaway_cluster() {
    [[ -n "$THROWAWAY_CLUSTER" ]] || return 0
    # Keep the server log: it explains a crash after the directory is gone.
    if [[ -f "$THROWAWAY_CLUSTER/log/postgresql.log" ]]; then
        mkdir -p "$LOG_DIR"
        cp "$THROWAWAY_CLUSTER/log/postgresql.log" "$LOG_DIR/postgresql.log" 2>/dev/null || true
    fi
    cluster_destroy "$THROWAWAY_CLUSTER" >/dev/null 2>&1 || true
    THROWAWAY_CLUSTER=
}

# ---------------------------------------------------------------- SQL suites
# They talk to the server named by PGHOST/PGPORT/PGUSER (the throwaway cluster's env, or
# the caller's server for installcheck), run from REPO_ROOT, and record their own results.

# pg_regress's connection flags, from the environment.
regress_conn_flags() {
    REGRESS_CONN=()
    if [[ -n "${PGHOST:-}" ]]; then REGRESS_CONN+=("--host=$PGHOST"); fi
    if [[ -n "${PGPORT:-}" ]]; then REGRESS_CONN+=("--port=$PGPORT"); fi
    if [[ -n "${PGUSER:-}" ]]; then REGRESS_CONN+=("--user=$PGUSER"); fi
}

# Fresh output directories, so a second run in the same checkout reports only itself.
prepare_output_dirs() {
    rm -rf "$BUILD_DIR/regress" "$BUILD_DIR/isolation" "$LOG_DIR"
    mkdir -p "$BUILD_DIR/regress" "$BUILD_DIR/isolation" "$LOG_DIR"
}

server_reachable() {
    "$(pg_bindir)/pg_isready" -q -d postgres
}

# pg_regress: every sql/*.sql except the install/upgrade scripts, in sorted order.
suite_pg_regress() {
    suite_header "pg_regress (sql/ vs expected/)"
    local tests=() files f name rc=0 counts
    mapfile -t files < <(sorted_lines sql/*.sql)
    for f in "${files[@]}"; do
        name=$(basename "$f" .sql)
        [[ "$name" == "$EXTENSION"--* ]] && continue
        tests+=("$name")
    done
    if ((${#tests[@]} == 0)); then
        say "no regression tests in sql/: skipped"
        return 0
    fi
    regress_conn_flags
    run_bounded "$SQL_SUITE_TIMEOUT" "$LOG_DIR/pg_regress.log" \
        "$(pg_pgxs_test_dir)/regress/pg_regress" --inputdir=. --outputdir=build/regress \
        --bindir="$(pg_bindir)" "${REGRESS_CONN[@]}" --load-extension="$TEST_EXTENSION" \
        --dbname=contrib_regression "${tests[@]}" || rc=$?
    counts=$(count_pg_regress "$LOG_DIR/pg_regress.log" "$rc" "${#tests[@]}")
    show_regression_diffs "$BUILD_DIR/regress/regression.diffs"
    # shellcheck disable=SC2086
    record_result pg_regress $counts
}

show_regression_diffs() {
    local diffs=$1
    if [[ -s "$diffs" ]]; then
        say "#### $diffs (first 200 lines):"
        head -n 200 "$diffs"
    fi
}

# pgTAP: every test/pgtap/*.sql in a fresh database holding pgtap and the extension.
suite_pgtap() {
    suite_header "pgTAP (test/pgtap/*.sql via pg_prove)"
    local files rc=0 counts bindir
    mapfile -t files < <(sorted_lines test/pgtap/*.sql)
    if ((${#files[@]} == 0)); then
        say "no pgTAP suites in test/pgtap/: skipped"
        return 0
    fi
    bindir=$(pg_bindir)
    # Quiet the NOTICE about a missing database on a fresh server.
    if ! PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" \
        "$bindir/dropdb" --force --if-exists persistence_tap ||
        ! "$bindir/createdb" persistence_tap ||
        ! "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d persistence_tap \
            -c 'CREATE EXTENSION pgtap' -c "CREATE EXTENSION \"$TEST_EXTENSION\""; then
        record_result pgTAP 0 1
        return 0
    fi
    run_bounded "$SQL_SUITE_TIMEOUT" "$LOG_DIR/pgtap.log" \
        pg_prove --norc --failures --psql-bin="$bindir/psql" -d persistence_tap \
        "${files[@]}" || rc=$?
    counts=$(count_pg_prove "$LOG_DIR/pgtap.log" "$rc")
    # shellcheck disable=SC2086
    record_result pgTAP $counts
}

# Isolation specs: test/stress/isolation/specs/*.spec against expected/*.out beside them.
suite_isolation() {
    suite_header "isolation (test/stress/isolation/specs)"
    local dir=test/stress/isolation specs=() files f rc=0 counts
    mapfile -t files < <(sorted_lines "$dir"/specs/*.spec)
    for f in "${files[@]}"; do specs+=("$(basename "$f" .spec)"); done
    if ((${#specs[@]} == 0)); then
        say "no isolation specs: skipped"
        return 0
    fi
    regress_conn_flags
    run_bounded "$SQL_SUITE_TIMEOUT" "$LOG_DIR/isolation.log" \
        "$(pg_pgxs_test_dir)/isolation/pg_isolation_regress" --inputdir="$dir" \
        --outputdir=build/isolation --bindir="$(pg_bindir)" "${REGRESS_CONN[@]}" \
        --load-extension="$TEST_EXTENSION" --dbname=isolation_regression "${specs[@]}" || rc=$?
    counts=$(count_pg_regress "$LOG_DIR/isolation.log" "$rc" "${#specs[@]}")
    show_regression_diffs "$BUILD_DIR/isolation/regression.diffs"
    # shellcheck disable=SC2086
    record_result isolation $counts
}

run_sql_suites() {
    suite_pg_regress
    suite_pgtap
    suite_isolation
}
