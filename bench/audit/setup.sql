-- bench/audit setup (database audit): the history writer. Run by bench/audit.sh after
-- CREATE EXTENSION persistence.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- n transactions of `per` datoms each on main, committed one by one: entity "TAG-T-I",
-- ten attributes :v/a0..:v/a9, values from a set of 1000 (so the value store stays small
-- and verify's cost is the datoms).
CREATE PROCEDURE grow(tag text, n int, per int) LANGUAGE plpgsql AS $$
BEGIN
    FOR t IN 1 .. n LOOP
        PERFORM persistence.transact(('[' || string_agg(
                    format('[:db/add "%s-%s-%s" :v/a%s %s]', tag, t, i / 10, i % 10, (t * 7 + i) % 1000), ' ')
                    || ']')::persistence.edn)
        FROM generate_series(0, per - 1) AS i;
        COMMIT;
    END LOOP;
END $$;
