#!/usr/bin/env bash
# `make check`: the whole test suite, from dependencies to stress tests, in a throwaway
# cluster. Each suite prints a header and its own result; the last line is
# "N passed, N failed" and the exit status is non-zero when anything failed. A failed
# dependency install, build or install counts as one failure and skips the rest.
#
# Environment: JOBS (make -j, default 2), STRESS_TIMEOUT (per stress script, default 300 s),
# UNIT_TIMEOUT, SQL_SUITE_TIMEOUT (per suite, default 900 s), PG_CONFIG.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

UNIT_BINARIES=(build/unit/unit_tests build/unit-asan/unit_tests)

# Does the Makefile have TARGET? (make -n prints rather than runs the recipe.)
has_make_target() {
    make -n "$1" >/dev/null 2>&1
}

# Steps without which nothing else can run.
prerequisites() {
    suite_header "dependencies (scripts/deps.sh)"
    if ! run_logged "$LOG_DIR/deps.log" bash "$SCRIPTS_DIR/deps.sh"; then
        record_result dependencies 0 1
        return 1
    fi
    if ! build_extension; then
        record_result build 0 1
        return 1
    fi
    if ! install_extension; then
        record_result install 0 1
        return 1
    fi
}

run_unit_binary() {
    local bin=$1 log rc=0 counts
    log=$LOG_DIR/unit-$(basename "$(dirname "$bin")").log
    if [[ ! -x "$bin" ]]; then
        say "$bin was not built"
        record_result "unit $bin" 0 1
        return 0
    fi
    # UBSan only reports and carries on by default; a finding must fail the run.
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        run_bounded "$UNIT_TIMEOUT" "$log" "$bin" || rc=$?
    counts=$(count_catch2 "$log" "$rc")
    # shellcheck disable=SC2086
    record_result "unit $bin" $counts
}

# Catch2: both builds (-O2 and ASan/UBSan), each counted by test case.
suite_unit() {
    suite_header "unit tests (Catch2)"
    local rc=0 counts bin
    if has_make_target unit-build; then
        if ! run_logged "$LOG_DIR/unit-build.log" make_cmd unit-build; then
            record_result "unit build" 0 1
            return 0
        fi
        for bin in "${UNIT_BINARIES[@]}"; do run_unit_binary "$bin"; done
    else
        # Older Makefile: `make unit` runs both binaries; their summaries are all in one log.
        run_logged "$LOG_DIR/unit.log" make_cmd unit || rc=$?
        counts=$(count_catch2 "$LOG_DIR/unit.log" "$rc")
        # shellcheck disable=SC2086
        record_result unit $counts
    fi
}

suite_symbols() {
    suite_header "exported symbols (scripts/check-symbols.sh)"
    if run_logged "$LOG_DIR/symbols.log" bash "$SCRIPTS_DIR/check-symbols.sh"; then
        record_result symbols 1 0
    else
        record_result symbols 0 1
    fi
}

# libFuzzer smoke run: one test per fuzz target.
suite_fuzz() {
    suite_header "fuzz smoke (make fuzz-smoke)"
    local targets rc=0 counts
    targets=$(grep -lE 'LLVMFuzzerTestOneInput' test/fuzz/* 2>/dev/null | wc -l || true)
    if ((targets == 0)); then targets=2; fi
    # -k: a finding in one target must not stop the other from running.
    run_logged "$LOG_DIR/fuzz.log" make_cmd -k fuzz-smoke || rc=$?
    counts=$(count_fuzz "$LOG_DIR/fuzz.log" "$rc" "$targets")
    # shellcheck disable=SC2086
    record_result fuzz $counts
}

# Stress scripts: each executable test/stress/*.sh, with the cluster's env, under a timeout.
# A script must leave the server running (crash tests restart it with
# `bash scripts/cluster.sh restart "$PERSISTENCE_CLUSTER"`); one that does not fails, and
# the server is restarted so the next script still runs.
suite_stress() {
    suite_header "stress (test/stress/*.sh)"
    local scripts script name rc ran=0
    mapfile -t scripts < <(sorted_lines test/stress/*.sh)
    for script in "${scripts[@]}"; do
        name=$(basename "$script" .sh)
        if [[ ! -x "$script" ]]; then
            say "$script is not executable: not a test, skipped"
            continue
        fi
        ran=1
        say "## $script (timeout ${STRESS_TIMEOUT}s)"
        rc=0
        run_bounded "$STRESS_TIMEOUT" "$LOG_DIR/stress-$name.log" "./$script" || rc=$?
        if ! server_reachable; then
            say "$script left the server down; restarting it"
            if ((rc == 0)); then rc=1; fi
            cluster_stop "$THROWAWAY_CLUSTER" || true
            if ! cluster_start "$THROWAWAY_CLUSTER"; then
                record_result "stress $name" 0 1
                return 0
            fi
        fi
        if ((rc == 0)); then
            record_result "stress $name" 1 0
        else
            record_result "stress $name" 0 1
        fi
    done
    if ((ran == 0)); then say "no stress scripts: skipped"; fi
}

main() {
    cd "$REPO_ROOT"
    install_signal_traps
    prepare_output_dirs
    prerequisites || finish
    suite_unit
    suite_symbols
    suite_fuzz
    if start_throwaway_cluster check; then
        # shellcheck disable=SC1091
        source "$THROWAWAY_CLUSTER/env"
        run_sql_suites
        suite_stress
    else
        record_result cluster 0 1
    fi
    # Stop the server before the summary, so the summary stays the last line.
    remove_throwaway_cluster
    finish
}

main "$@"
