#!/usr/bin/env bash
# The spec module's benchmark (what `make bench-spec` does), on a throwaway cluster:
#   (1) validation throughput of a realistic agent-output schema (nested map, enums,
#       vectors of maps, regexes; bench/spec/setup.sql) over SPEC_DOCS jsonb documents:
#       persistence.valid('bench/agent', doc) vs the same rules hand-written in PL/pgSQL
#       over jsonb (agent_output_ok), the same documents, the same answers (checked).
#       Target: ≥ 20× faster. Also the inline-schema form valid(schema, doc), and
#       valid(name, edn) on the same documents stored as EDN (the conforming ones through
#       coerce, so with keyword keys): the same check without the jsonb → EDN conversion
#       that valid(…, jsonb) pays on every call.
#   (2) cost of one validation with the backend's compiled-spec cache cold (the first call
#       in a new session: registry read and compile) vs warm (the second call), median
#       over SPEC_SESSIONS fresh sessions.
# Each throughput figure is the best of SPEC_REPS passes. Timings never fail the script.
# The extension must be installed (`make install`) unless BENCH_BUILD=1. Knobs: SPEC_DOCS
# (5000), SPEC_REPS (5), SPEC_SESSIONS (20).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SPEC_DOCS=${SPEC_DOCS:-5000}
SPEC_REPS=${SPEC_REPS:-5}
SPEC_SESSIONS=${SPEC_SESSIONS:-20}
BENCH_DIR=$REPO_ROOT/bench/spec


# best_ms QUERY: the best of SPEC_REPS server-side timings of QUERY (ms); prints its result too.
best_ms() {
    sql_value -c "
        CREATE OR REPLACE FUNCTION pg_temp.time_it(q text, reps int) RETURNS TABLE (ms float8, result text)
        LANGUAGE plpgsql AS \$\$
        DECLARE t0 timestamptz; best float8 := 'infinity'; r text;
        BEGIN
            FOR i IN 1 .. reps LOOP
                t0 := clock_timestamp();
                EXECUTE q INTO r;
                best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
            END LOOP;
            RETURN QUERY SELECT best, r;
        END \$\$;
        SELECT round(ms::numeric, 2) || ' ' || result FROM pg_temp.time_it(\$q\$$1\$q\$, $SPEC_REPS)"
}

main() {
    cd "$REPO_ROOT"
    install_signal_traps
    start_bench_cluster spec
    trap 'remove_throwaway_cluster' EXIT
    suite_header "benchmark spec (bench/spec.sh)"
    "$(pg_bindir)/createdb" spec
    export PGDATABASE=spec
    sql -c "CREATE EXTENSION persistence" -f "$BENCH_DIR/setup.sql" -c "SELECT make_docs($SPEC_DOCS)" \
        -c "CREATE TABLE docs_edn AS SELECT id, CASE WHEN persistence.valid('bench/agent', doc)
                THEN persistence.coerce('bench/agent', doc) ELSE doc::persistence.edn END AS doc FROM docs" \
        -c "VACUUM ANALYZE" >/dev/null

    suite_header "(1) $SPEC_DOCS documents: persistence.valid vs PL/pgSQL over jsonb (best of $SPEC_REPS)"
    local plpgsql named inline edn
    read -r plpgsql plpgsql_ok < <(best_ms "SELECT count(*) FILTER (WHERE agent_output_ok(doc)) FROM docs")
    read -r named named_ok < <(best_ms "SELECT count(*) FILTER (WHERE persistence.valid('bench/agent', doc)) FROM docs")
    read -r inline inline_ok < <(best_ms "SELECT count(*) FILTER (WHERE persistence.valid(persistence.spec_get('bench/agent'), doc)) FROM docs")
    read -r edn edn_ok < <(best_ms "SELECT count(*) FILTER (WHERE persistence.valid('bench/agent', doc)) FROM docs_edn")
    say "  PL/pgSQL agent_output_ok(jsonb): $plpgsql ms ($plpgsql_ok valid)"
    say "  valid('bench/agent', jsonb):     $named ms ($named_ok valid)"
    say "  valid(inline schema, jsonb):     $inline ms ($inline_ok valid)"
    say "  valid('bench/agent', edn):       $edn ms ($edn_ok valid)"
    [[ "$plpgsql_ok" == "$named_ok" && "$named_ok" == "$inline_ok" && "$inline_ok" == "$edn_ok" ]] ||
        die "the checks disagree: $plpgsql_ok / $named_ok / $inline_ok / $edn_ok valid documents"

    suite_header "(2) one validation, compiled-spec cache cold vs warm ($SPEC_SESSIONS fresh sessions)"
    local cold=() warm=() s c w
    for ((s = 1; s <= SPEC_SESSIONS; s++)); do
        read -r c w < <(sql_value -c "
            DO \$\$ DECLARE d jsonb; t0 timestamptz; t1 timestamptz; t2 timestamptz; BEGIN
                SELECT doc INTO d FROM docs WHERE id = 1;
                t0 := clock_timestamp(); PERFORM persistence.valid('bench/agent', d);
                t1 := clock_timestamp(); PERFORM persistence.valid('bench/agent', d);
                t2 := clock_timestamp();
                PERFORM set_config('bench.cold', (extract(epoch FROM t1 - t0) * 1e6)::text, false);
                PERFORM set_config('bench.warm', (extract(epoch FROM t2 - t1) * 1e6)::text, false);
            END \$\$;
            SELECT current_setting('bench.cold') || ' ' || current_setting('bench.warm')" | tail -1)
        cold+=("$c")
        warm+=("$w")
    done
    COLD=$(median "${cold[@]}")
    WARM=$(median "${warm[@]}")
    say "  median: cold $COLD µs, warm $WARM µs"

    suite_header "spec benchmark results (ratios against baselines of this run; time: ${SECONDS}s)"
    local r
    r=$(calc "$plpgsql / $named")
    printf '  spec (1) valid(name, jsonb) vs PL/pgSQL:   %7s×  (target ≥ 20×)  %-6s  [%s vs %s ms for %d documents: %s µs vs %s µs each]\n' \
        "$r" "$(verdict "$r" 20 '>=')" "$named" "$plpgsql" "$SPEC_DOCS" \
        "$(calc "$named * 1000 / $SPEC_DOCS")" "$(calc "$plpgsql * 1000 / $SPEC_DOCS")"
    printf '  spec (1) valid(inline, jsonb) vs PL/pgSQL: %7s×  (no target)    info    [%s ms]\n' "$(calc "$plpgsql / $inline")" "$inline"
    printf '  spec (1) valid(name, edn) vs PL/pgSQL:     %7s×  (no target)    info    [%s ms: no jsonb conversion]\n' \
        "$(calc "$plpgsql / $edn")" "$edn"
    printf '  spec (2) one validation, cache cold/warm:  %7s×  (no target)    info    [cold %s µs (registry + compile), warm %s µs]\n' \
        "$(calc "$COLD / $WARM")" "$COLD" "$WARM"
}

main "$@"
