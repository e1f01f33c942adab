-- bench/branch (2) setup (database branch_read): the history writer build_history().
-- bench/branch.sh calls it for main's entities (version 1 alone, the later versions from
-- two sessions), then creates b1 from main, b2 from b1 and b3 from b2; each branch writes
-- its own entities and main moves on after each fork. Entity ids of main are decimal
-- strings ("1".."entities"), so that pgbench can pass them as a parameter in prepared mode.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Version ver of attribute j of entity i: a string for even j, an int for odd j.
CREATE FUNCTION hist_value(ver int, i int, j int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN j % 2 = 0 THEN to_jsonb(format('v%s of %s/%s', ver, i, j))::text
                ELSE (ver::bigint * 1000000 + i * 10 + j)::text END
$$;

-- Versions first..last of entities PREFIX || lo..hi on `branch`: per version one transact
-- per 100 entities (1000 [:db/add]s, 10 attributes each), committed one by one. From
-- version 2 on each [:db/add] also retracts the old value and re-asserts it with its valid
-- time closed, so the log holds about 3 datoms per version.
CREATE PROCEDURE build_history(branch text, prefix text, first int, last int, lo int, hi int)
LANGUAGE plpgsql AS $$
DECLARE ver int; b int;
BEGIN
    FOR ver IN first .. last LOOP
        FOR b IN lo .. hi BY 100 LOOP
            PERFORM persistence.transact(('[' || string_agg(
                        format('[:db/add "%s%s" :p/a%s %s]', prefix, i, j, hist_value(ver, i, j)), ' ') || ']')::persistence.edn,
                        branch)
            FROM generate_series(b, least(b + 99, hi)) AS i, generate_series(0, 9) AS j;
            COMMIT;
        END LOOP;
    END LOOP;
END $$;
