-- bench/fact (d) setup (database fact_hist): the history writer build_history() and the
-- plain baseline current_state (e, a, v) with 10 rows per entity and a btree on e.
-- bench/fact.sh then calls build_history (version 1 alone, the later versions from two
-- sessions, one per half of the entities) and d_finish.sql. psql variables: versions,
-- entities. Entity ids are decimal strings ("1".."entities"), so that pgbench can pass
-- them as a parameter in prepared mode.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- Version ver of attribute j of entity i: a string for even j, an int for odd j.
CREATE FUNCTION hist_value(ver int, i int, j int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN j % 2 = 0 THEN to_jsonb(format('v%s of %s/%s', ver, i, j))::text
                ELSE (ver::bigint * 1000000 + i * 10 + j)::text END
$$;

-- Versions first..last of entities lo..hi: per version one transact per 100 entities
-- (1000 [:db/add]s, 10 attributes each), committed one by one. Cardinality one: from
-- version 2 on each [:db/add] also retracts the old value and re-asserts it with its
-- valid time closed, so the log holds about 3 datoms per version.
CREATE PROCEDURE build_history(first int, last int, lo int, hi int) LANGUAGE plpgsql AS $$
DECLARE ver int; b int;
BEGIN
    FOR ver IN first .. last LOOP
        FOR b IN lo .. hi BY 100 LOOP
            PERFORM persistence.transact(('[' || string_agg(
                        format('[:db/add "%s" :p/a%s %s]', i, j, hist_value(ver, i, j)), ' ') || ']')::persistence.edn)
            FROM generate_series(b, least(b + 99, hi)) AS i, generate_series(0, 9) AS j;
            COMMIT;
        END LOOP;
    END LOOP;
END $$;

CREATE TABLE current_state (e text NOT NULL, a text NOT NULL, v text);
INSERT INTO current_state
SELECT i::text, format(':p/a%s', j), hist_value(:versions, i, j)
FROM generate_series(1, :entities) AS i, generate_series(0, 9) AS j;
CREATE INDEX current_state_e ON current_state (e);
VACUUM ANALYZE current_state;
