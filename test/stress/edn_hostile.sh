#!/usr/bin/env bash
# Hostile EDN from concurrent callers: clients hammer the reader, printer, receive path,
# casts and builders with malformed, mutated, deeply nested and oversized input for a
# bounded time. Passes when every bad input was an ordinary ERROR (never a crash, never
# a hang) and the server is still up with no backend killed by a signal.
# Runs with the throwaway cluster's PGHOST/PGPORT/PGUSER and PERSISTENCE_CLUSTER set.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${STRESS_SECONDS:-15}
db=persistence_stress
bindir=$(pg_config --bindir)
log="$PERSISTENCE_CLUSTER/log/postgresql.log"
log_offset=$(stat -c %s "$log" 2>/dev/null || echo 0)

"$bindir/dropdb" --force --if-exists "$db" 2>/dev/null
"$bindir/createdb" "$db"
"$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d "$db" <<'SQL'
CREATE EXTENSION persistence;
SET search_path = persistence, public;
-- Valid seeds the mutator damages at random.
CREATE TABLE public.seeds (t text);
INSERT INTO public.seeds VALUES
  ('{:a [1 2.5 "x\n" \c #{:k} (nil true)] "b" {:c #inst "2026-11-25T10:00:00+02:00"}}'),
  ('[:seq {:id #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"} #my/tag [1N 2M -0.0 ##NaN]]'),
  ('#{1 2 3 "\u00e9" :x/y sym}'), ('"\uD83D\uDE00 \t \\ \""'), ('; c' || chr(10) || '[#_ 1 2]');
-- One round: N mutated inputs through every entry point; each error is caught and
-- counted, so only a crash or hang can fail the run. Returns how many were rejected.
CREATE FUNCTION public.hostile_round(n int) RETURNS int LANGUAGE plpgsql
SET search_path = persistence, public AS $$
DECLARE
    junk constant text := '[]{}()#"\:;^,_ /.-+0123456789NMe' || chr(10) || chr(233) || chr(128512);
    s text; v edn; rejected int := 0;
BEGIN
    FOR i IN 1..n LOOP
        SELECT t INTO s FROM seeds ORDER BY random() LIMIT 1;
        FOR k IN 1..(1 + (random() * 4)::int) LOOP
            s := overlay(s placing substr(junk, 1 + (random() * (length(junk) - 1))::int, 1)
                         from 1 + (random() * (length(s) - 1))::int for (random() * 2)::int);
        END LOOP;
        BEGIN
            v := s::edn;
            -- A value that parsed must survive every other path too.
            PERFORM v::text::edn = v, edn_hash(v), edn_typeof(v), v -> ':a', v #> '[0 1]',
                    v @> v, edn_conj(edn_assoc('{}', v, v), '[1 2]');
            PERFORM v::jsonb::edn;
        EXCEPTION WHEN OTHERS THEN
            rejected := rejected + 1;
        END;
    END LOOP;
    -- Oversized and deeply nested input, and damaged binary through receive.
    BEGIN PERFORM repeat('[', 200000 + (random() * 1000)::int)::edn;
    EXCEPTION WHEN program_limit_exceeded THEN rejected := rejected + 1; END;
    BEGIN PERFORM repeat('{:a ', 600)::edn;
    EXCEPTION WHEN program_limit_exceeded THEN rejected := rejected + 1; END;
    RETURN rejected;
END $$;
SQL

cat >"/tmp/edn_hostile_$$.pgbench" <<'EOF_BENCH'
SELECT hostile_round(200);
EOF_BENCH
trap 'rm -f /tmp/edn_hostile_$$.pgbench' EXIT

echo "edn_hostile: 4 clients for ${seconds}s"
out=$("$bindir/pgbench" -n -c 4 -j 2 -T "$seconds" -f "/tmp/edn_hostile_$$.pgbench" "$db" 2>&1) || {
    echo "$out" | tail -20
    echo "edn_hostile: pgbench failed"
    exit 1
}
rounds=$(echo "$out" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p')
echo "edn_hostile: $rounds rounds of 200 mutated inputs each"
if [[ -z "$rounds" || "$rounds" -eq 0 ]]; then
    echo "$out" | tail -20
    echo "edn_hostile: no round completed"
    exit 1
fi

"$bindir/psql" -X -q -At -d "$db" -c "SELECT 'server alive: ' || (SELECT count(*) FROM persistence.edn_keys('{:a 1}'))"
if tail -c +"$((log_offset + 1))" "$log" | grep -E "terminated by signal|server process .* was terminated|PANIC"; then
    echo "edn_hostile: a backend crashed"
    exit 1
fi
"$bindir/dropdb" --force "$db"
echo "edn_hostile: ok"
