-- bench/branch setup (database branch): the history writer, the timing procedures of
-- (1) branch creation and (3) merge, and their timings table. Run by bench/branch.sh after
-- CREATE EXTENSION persistence. Every timing is taken in the server with clock_timestamp()
-- and includes the COMMIT of the statement it times.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- One row per timed call: series names what was timed (see bench/branch.sh).
CREATE TABLE timings (series text NOT NULL, ms float8 NOT NULL);

-- Batches first..last of `per` datoms each, one transact per batch on main, committed one
-- by one: entity "TAG-BATCH-N" (10 attributes :g/a0..:g/a9 each), an integer value from a
-- set of 100. Zero-padded ids keep the index inserts near one end of each index, as a log
-- written in entity order would.
CREATE PROCEDURE grow(tag text, first int, last int, per int) LANGUAGE plpgsql AS $$
DECLARE b int;
BEGIN
    FOR b IN first .. last LOOP
        PERFORM persistence.transact(('[' || string_agg(
                    format('[:db/add "%s-%s-%s" :g/a%s %s]', tag, lpad(b::text, 8, '0'),
                           lpad((i / 10)::text, 6, '0'), i % 10, i % 100), ' ') || ']')::persistence.edn)
        FROM generate_series(0, per - 1) AS i;
        COMMIT;
    END LOOP;
END $$;

-- (1) n calls of persistence.branch(PREFIX || i) from main, each timed with its COMMIT;
-- with at_tx, each call forks at a random past tx of main (an explicit audit point)
-- instead of at the head. The first `warmup` calls are not recorded.
CREATE PROCEDURE time_branches(series text, prefix text, n int, warmup int, at_tx boolean)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    ms float8[] := '{}';
    at_txs bigint[];
BEGIN
    IF at_tx THEN
        SELECT array_agg(tx) INTO at_txs
        FROM (SELECT tx FROM persistence.transactions WHERE branch_id = 1 ORDER BY random() LIMIT warmup + n) t;
        COMMIT;
    END IF;
    FOR i IN 1 .. warmup + n LOOP
        t0 := clock_timestamp();
        PERFORM persistence.branch(prefix || i, 'main', at_txs[1 + (i - 1) % cardinality(at_txs)]);
        COMMIT;
        IF i > warmup THEN
            ms := ms || extract(epoch FROM clock_timestamp() - t0) * 1000;
        END IF;
    END LOOP;
    INSERT INTO timings SELECT series, m FROM unnest(ms) AS m;
END $$;

-- (3) n one-datom transacts on `branch`, each committed: entity "TAG-i", attribute :m/v.
-- Records the time of the whole loop as one row.
CREATE PROCEDURE time_small_txs(series text, branch text, tag text, n int) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    FOR i IN 1 .. n LOOP
        PERFORM persistence.transact(format('[[:db/add "%s-%s" :m/v %s]]', tag, i, i)::persistence.edn, branch);
        COMMIT;
    END LOOP;
    INSERT INTO timings VALUES (series, extract(epoch FROM clock_timestamp() - t0) * 1000);
END $$;

-- (3) One merge(src, into), timed with its COMMIT. Its 'merged' row's detail goes to
-- merge_results (series, detail); any conflict row would be there as well.
CREATE TABLE merge_results (series text, kind text, detail text);
CREATE PROCEDURE time_merge(series text, src text, target text) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    CREATE TEMP TABLE merge_out ON COMMIT PRESERVE ROWS AS
        SELECT m.kind, m.detail FROM persistence.merge(src, target) m;
    COMMIT;
    INSERT INTO timings VALUES (series, extract(epoch FROM clock_timestamp() - t0) * 1000);
    INSERT INTO merge_results SELECT series, o.kind, o.detail FROM merge_out o;
    DROP TABLE merge_out;
END $$;

-- p50, p95 (nearest rank) and count of a series, in ms.
CREATE FUNCTION series_stats(s text) RETURNS TABLE (p50 numeric, p95 numeric, n bigint) LANGUAGE sql AS $$
    SELECT round(percentile_disc(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3),
           round(percentile_disc(0.95) WITHIN GROUP (ORDER BY ms)::numeric, 3), count(*)
    FROM timings WHERE series = s
$$;
