-- bench/fact setup (database fact): the baseline tables of (a), (b) and (c) and the
-- timing procedure of (a). Run by bench/fact.sh after CREATE EXTENSION persistence.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- (a), (b) baseline: the columns of persistence.datoms and its 7 indexes
-- (copied from sql/install/30_fact.sql), in a plain table with no triggers.
-- opens_ea defaults to true: every row that (a) and (b) write is the first datom of a
-- fresh (e, a), which transact() marks opens_ea, so the partial index plain_datoms_ea
-- gets one entry per row on both sides. The positional INSERTs of bench_a and
-- b_insert.pgbench give the first 10 columns and leave opens_ea to its default.
CREATE TABLE plain_datoms (
    e          text COLLATE "C" NOT NULL,
    a          text COLLATE "C" NOT NULL,
    vh         bytea NOT NULL,
    ref        text COLLATE "C",
    tx         bigint NOT NULL,
    branch_id  integer NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    is_assert  boolean NOT NULL,
    hash       bytea NOT NULL,
    opens_ea   boolean NOT NULL DEFAULT true
);
CREATE INDEX plain_datoms_eavt  ON plain_datoms (e, a, tx);
CREATE INDEX plain_datoms_aevt  ON plain_datoms (a, e, tx);
CREATE INDEX plain_datoms_avet  ON plain_datoms (a, vh, tx);
CREATE INDEX plain_datoms_vaet  ON plain_datoms (ref, a, e) WHERE ref IS NOT NULL;
CREATE INDEX plain_datoms_valid ON plain_datoms (valid_from, valid_to);
CREATE INDEX plain_datoms_tx    ON plain_datoms (tx);
CREATE INDEX plain_datoms_ea    ON plain_datoms (e, a) WHERE opens_ea;

-- (c) the hand-written recipe: a plain log whose BEFORE INSERT trigger chains each row to
-- the previous one with pgcrypto. Correct only under SERIALIZABLE (two writers reading the
-- same head would fork the chain), where concurrent writers fail with 40001 instead.
CREATE TABLE recipe_log (
    id   bigserial PRIMARY KEY,
    e    text NOT NULL,
    a    text NOT NULL,
    v    text,
    at   timestamptz NOT NULL DEFAULT now(),
    prev_id bigint,            -- the row this one chains to (a fork: two rows share one)
    hash bytea NOT NULL
);
CREATE INDEX recipe_log_ea ON recipe_log (e, a);
CREATE FUNCTION recipe_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE prev bytea;
BEGIN
    SELECT id, hash INTO NEW.prev_id, prev FROM recipe_log ORDER BY id DESC LIMIT 1;
    NEW.hash := digest(coalesce(prev, '\x'::bytea)
                       || convert_to(concat_ws(' ', NEW.e, NEW.a, NEW.v, NEW.at), 'UTF8'), 'sha256');
    RETURN NEW;
END $$;
CREATE TRIGGER recipe_chain BEFORE INSERT ON recipe_log
    FOR EACH ROW EXECUTE FUNCTION recipe_chain();
INSERT INTO recipe_log (e, a, v) VALUES ('genesis', ':p/a0', '0');

-- (a) timings: one row per measured round and side, in milliseconds.
CREATE TABLE timings_a (round int, side text, ms float8);

-- (a) Each round builds 1000 [:db/add e a v] (100 fresh entities x 10 attributes, string
-- and int values) as one EDN literal and the same 1000 rows as one multi-row INSERT into
-- plain_datoms (vh and hash computed beforehand, as literals), then times each statement
-- sent through EXECUTE and its COMMIT. The side that goes first alternates per round.
CREATE PROCEDURE bench_a(rounds int, warmup int) LANGUAGE plpgsql AS $$
DECLARE
    r int;
    edn_sql text;
    ins_sql text;
    t0 timestamptz;
    tx_ms float8[] := '{}';
    ins_ms float8[] := '{}';
    ms float8;
    side text;
BEGIN
    FOR r IN 1 .. warmup + rounds LOOP
        SELECT format('SELECT persistence.transact(%L)',
                      '[' || string_agg(format('[:db/add %s %s %s]', to_jsonb(ent)::text, att, val), ' ') || ']'),
               'INSERT INTO plain_datoms VALUES '
                   || string_agg(format('(%L, %L, %L, NULL, %s, 1, %L, NULL, true, %L)',
                                        ent, att, sha256(convert_to(val, 'UTF8')), r, clock_timestamp(),
                                        sha256(convert_to(concat_ws(' ', ent, att, val, r), 'UTF8'))), ', ')
        INTO edn_sql, ins_sql
        FROM (SELECT format('a%s-%s', r, i) AS ent,
                     format(':p/a%s', j) AS att,
                     CASE WHEN j % 2 = 0 THEN to_jsonb(format('value %s of %s', j, i))::text
                          ELSE (r * 100000 + i * 10 + j)::text END AS val
              FROM generate_series(1, 100) AS i, generate_series(0, 9) AS j) AS d;
        COMMIT;
        FOREACH side IN ARRAY CASE WHEN r % 2 = 0 THEN ARRAY['transact', 'insert'] ELSE ARRAY['insert', 'transact'] END LOOP
            t0 := clock_timestamp();
            EXECUTE CASE side WHEN 'transact' THEN edn_sql ELSE ins_sql END;
            COMMIT;
            ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
            IF r > warmup THEN
                IF side = 'transact' THEN tx_ms := tx_ms || ms; ELSE ins_ms := ins_ms || ms; END IF;
            END IF;
        END LOOP;
    END LOOP;
    INSERT INTO timings_a SELECT o, 'transact', m FROM unnest(tx_ms) WITH ORDINALITY AS u(m, o);
    INSERT INTO timings_a SELECT o, 'insert', m FROM unnest(ins_ms) WITH ORDINALITY AS u(m, o);
END $$;
