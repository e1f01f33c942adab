-- bench/edn: EDN parse/print throughput against jsonb_in/jsonb_out on the same data,
-- measured in the same run. Prints ratios; absolute times on shared machines mean little.
-- Both sides go through the same I/O-conversion path (text → type, type → text), so
-- the difference is the parsers and printers themselves.
\set ON_ERROR_STOP 1
SET search_path = persistence, public;
SET client_min_messages = warning;

-- Corpus: each row holds the same document as EDN text and as JSON text ---------------
CREATE TEMP TABLE corpus (kind text, edn_text text, json_text text);

-- 1. small agent-state maps
INSERT INTO corpus
SELECT 'small maps',
       format('{:id %s :name "agent-%s" :score %s :tags [:plan :tool] :active %s :parent nil}',
              i, i, (i % 100) / 8.0, (i % 2 = 0)::text),
       format('{"id": %s, "name": "agent-%s", "score": %s, "tags": ["plan", "tool"], "active": %s, "parent": null}',
              i, i, (i % 100) / 8.0, (i % 2 = 0)::text)
FROM generate_series(1, 50000) AS i;

-- 2. nested plan-like vectors
INSERT INTO corpus
SELECT 'plan vectors',
       format('[:seq {:id "p%s"} [:tool-call {:tool :search :args {:q "query %s" :k 5}}] '
              '[:par {} [:llm-call {:model "local" :prompt "summarise %s" :max-tokens 256}] '
              '[:verify {:spec :answer}]] [:choice {} [:code {:src "(+ 1 2)"}] [:reflect {}]]]', i, i, i),
       format('["seq", {"id": "p%s"}, ["tool-call", {"tool": "search", "args": {"q": "query %s", "k": 5}}], '
              '["par", {}, ["llm-call", {"model": "local", "prompt": "summarise %s", "max-tokens": 256}], '
              '["verify", {"spec": "answer"}]], ["choice", {}, ["code", {"src": "(+ 1 2)"}], ["reflect", {}]]]', i, i, i)
FROM generate_series(1, 20000) AS i;

-- 3. 1 MB documents: vectors of 15000 event maps (about 1.1 MB of text each)
INSERT INTO corpus
SELECT '1 MB documents',
       '[' || string_agg(format('{:event %s :kind :observation :text "step %s of the run" :ok true}', i, i), ' ') || ']',
       '[' || string_agg(format('{"event": %s, "kind": "observation", "text": "step %s of the run", "ok": true}', i, i), ', ') || ']'
FROM generate_series(1, 8) AS d, generate_series(1, 15000) AS i
GROUP BY d;

CREATE TEMP TABLE parsed_edn AS SELECT kind, edn_text::edn AS v FROM corpus;
CREATE TEMP TABLE parsed_jsonb AS SELECT kind, json_text::jsonb AS v FROM corpus;

-- Best of `runs` timings of a query, in milliseconds.
CREATE FUNCTION pg_temp.best_ms(query text, runs int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE best float8 := 'Infinity'; t0 timestamptz; i int;
BEGIN
    FOR i IN 1..runs LOOP
        t0 := clock_timestamp();
        EXECUTE query;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;

CREATE TEMP TABLE results AS
SELECT k.kind,
       (SELECT sum(length(edn_text)) FROM corpus c WHERE c.kind = k.kind) AS edn_bytes,
       pg_temp.best_ms(format($q$SELECT count(edn_text::edn) FROM corpus WHERE kind = %L$q$, k.kind), 5) AS edn_parse_ms,
       pg_temp.best_ms(format($q$SELECT count(json_text::jsonb) FROM corpus WHERE kind = %L$q$, k.kind), 5) AS jsonb_parse_ms,
       pg_temp.best_ms(format($q$SELECT sum(length(v::text)) FROM parsed_edn WHERE kind = %L$q$, k.kind), 5) AS edn_print_ms,
       pg_temp.best_ms(format($q$SELECT sum(length(v::text)) FROM parsed_jsonb WHERE kind = %L$q$, k.kind), 5) AS jsonb_print_ms
FROM (SELECT DISTINCT kind FROM corpus) AS k;

\echo
\echo 'EDN parse/print speed relative to jsonb_in/jsonb_out on the same documents'
\echo '(ratio > 1.00 means EDN is faster; target: parse ratio >= 1.00)'
SELECT kind,
       pg_size_pretty(edn_bytes) AS edn_text,
       (SELECT count(*) FROM corpus c WHERE c.kind = r.kind) AS docs,
       round(edn_parse_ms::numeric, 1) AS edn_parse_ms,
       round(jsonb_parse_ms::numeric, 1) AS jsonb_parse_ms,
       round((jsonb_parse_ms / edn_parse_ms)::numeric, 2) AS parse_ratio,
       round(edn_print_ms::numeric, 1) AS edn_print_ms,
       round(jsonb_print_ms::numeric, 1) AS jsonb_print_ms,
       round((jsonb_print_ms / edn_print_ms)::numeric, 2) AS print_ratio
FROM results AS r ORDER BY edn_bytes;
