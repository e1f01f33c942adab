-- bench/spec setup (database spec): a realistic agent-output schema, the same checks
-- written by hand in PL/pgSQL over jsonb (the baseline), and documents to check.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

SELECT persistence.spec_define('bench/agent', $$
[:map
 [:answer [:string {:min 1 :max 2000}]]
 [:confidence [:double {:min 0.0 :max 1.0}]]
 [:status [:enum "ok" "partial" "failed"]]
 [:citations [:vector {:max 20}
              [:map [:url [:re "https?://[^ ]+"]] [:title [:string {:min 1}]] [:score [:double {:min 0.0 :max 1.0}]]]]]
 [:tool-calls [:vector [:map [:tool [:enum "search" "fetch" "calc"]]
                             [:id [:re "call_[a-z0-9]{6,}"]]
                             [:args [:map-of :string :any]]]]]
 [:meta {:optional true} [:map [:model :string] [:tokens [:int {:min 0}]]]]]
$$);

-- The same rules by hand, as people write them today.
CREATE FUNCTION agent_output_ok(j jsonb) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE c jsonb; t jsonb; k text;
BEGIN
    IF jsonb_typeof(j) <> 'object' THEN RETURN false; END IF;
    IF jsonb_typeof(j -> 'answer') IS DISTINCT FROM 'string'
       OR length(j ->> 'answer') NOT BETWEEN 1 AND 2000 THEN RETURN false; END IF;
    IF jsonb_typeof(j -> 'confidence') IS DISTINCT FROM 'number'
       OR (j ->> 'confidence')::numeric NOT BETWEEN 0 AND 1 THEN RETURN false; END IF;
    IF jsonb_typeof(j -> 'status') IS DISTINCT FROM 'string'
       OR j ->> 'status' NOT IN ('ok', 'partial', 'failed') THEN RETURN false; END IF;
    IF jsonb_typeof(j -> 'citations') IS DISTINCT FROM 'array' OR jsonb_array_length(j -> 'citations') > 20 THEN
        RETURN false;
    END IF;
    FOR c IN SELECT * FROM jsonb_array_elements(j -> 'citations') LOOP
        IF jsonb_typeof(c) <> 'object'
           OR jsonb_typeof(c -> 'url') IS DISTINCT FROM 'string' OR (c ->> 'url') !~ '^https?://[^ ]+$'
           OR jsonb_typeof(c -> 'title') IS DISTINCT FROM 'string' OR length(c ->> 'title') < 1
           OR jsonb_typeof(c -> 'score') IS DISTINCT FROM 'number'
           OR (c ->> 'score')::numeric NOT BETWEEN 0 AND 1 THEN
            RETURN false;
        END IF;
    END LOOP;
    IF jsonb_typeof(j -> 'tool-calls') IS DISTINCT FROM 'array' THEN RETURN false; END IF;
    FOR t IN SELECT * FROM jsonb_array_elements(j -> 'tool-calls') LOOP
        IF jsonb_typeof(t) <> 'object'
           OR jsonb_typeof(t -> 'tool') IS DISTINCT FROM 'string' OR t ->> 'tool' NOT IN ('search', 'fetch', 'calc')
           OR jsonb_typeof(t -> 'id') IS DISTINCT FROM 'string' OR (t ->> 'id') !~ '^call_[a-z0-9]{6,}$'
           OR jsonb_typeof(t -> 'args') IS DISTINCT FROM 'object' THEN
            RETURN false;
        END IF;
    END LOOP;
    IF j ? 'meta' THEN
        IF jsonb_typeof(j -> 'meta') <> 'object'
           OR jsonb_typeof(j -> 'meta' -> 'model') IS DISTINCT FROM 'string'
           OR jsonb_typeof(j -> 'meta' -> 'tokens') IS DISTINCT FROM 'number'
           OR (j -> 'meta' ->> 'tokens')::numeric < 0
           OR (j -> 'meta' ->> 'tokens')::numeric <> trunc((j -> 'meta' ->> 'tokens')::numeric) THEN
            RETURN false;
        END IF;
    END IF;
    RETURN true;
END $$;

-- n documents: most conform; every 7th breaks one rule (a bad score, status, id or url).
CREATE TABLE docs (id int PRIMARY KEY, doc jsonb NOT NULL);
CREATE FUNCTION make_docs(n int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO docs
    SELECT i, jsonb_build_object(
        'answer', 'The weighted average cost of capital is ' || (7 + i % 5) || '.' || (i % 10) || '%.',
        'confidence', CASE WHEN i % 7 = 3 THEN 1.5 ELSE (i % 100) / 100.0 END,
        'status', CASE WHEN i % 7 = 4 THEN 'unknown' ELSE (ARRAY['ok', 'partial', 'failed'])[1 + i % 3] END,
        'citations', (SELECT jsonb_agg(jsonb_build_object(
                          'url', CASE WHEN i % 7 = 5 AND c = 1 THEN 'ftp://x' ELSE 'https://example.com/doc/' || i || '/' || c END,
                          'title', 'Source ' || c, 'score', (c * 13 % 100) / 100.0))
                      FROM generate_series(1, 1 + i % 4) c),
        'tool-calls', (SELECT jsonb_agg(jsonb_build_object(
                           'tool', (ARRAY['search', 'fetch', 'calc'])[1 + (i + t) % 3],
                           'id', CASE WHEN i % 7 = 6 THEN 'bad' ELSE 'call_' || lpad(to_hex(i * 31 + t), 8, '0') END,
                           'args', jsonb_build_object('q', 'wacc ' || t, 'k', t)))
                       FROM generate_series(1, 1 + i % 3) t),
        'meta', jsonb_build_object('model', 'local-7b', 'tokens', 100 + i))
    FROM generate_series(1, n) i
$$;
