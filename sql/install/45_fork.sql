
-------------------------------------------------------------------------------
-- fork and fold (module branch, DESIGN.md §5; docs/fork.md)
-------------------------------------------------------------------------------
-- Both run caller-supplied SQL with the caller's rights (SECURITY INVOKER) and record what
-- they did as datoms in the caller's transaction. Their search_path is pinned like every
-- function's, so the SQL they run gets the caller's search_path through the last
-- parameter, whose default is evaluated at the call site, before the pinned path applies.
-- Each piece of SQL is executed behind a comment naming it ("persistence.fork candidate
-- 2 of 3"), so an error's CONTEXT (or QUERY) says which one failed.

-- SHA-256 of a text's UTF-8 bytes, lower-case hex (STABLE: convert_to is).
CREATE FUNCTION @extschema@._sql_hash(sql text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT encode(sha256(convert_to(sql, 'UTF8')), 'hex') $$;

-- The argument checks shared by fork and fold: a non-empty one-dimensional array without
-- NULL elements, a known branch, a well-formed search_path.
CREATE FUNCTION @extschema@._check_sql_array(what text, sqls text[], branch text, search_path text,
                                             example text) RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE k integer;
    BEGIN
        IF sqls IS NULL THEN
            RAISE EXCEPTION '% must not be NULL', what
                USING ERRCODE = '22004', HINT = example;
        END IF;
        IF cardinality(sqls) = 0 THEN
            RAISE EXCEPTION '% must not be empty', what
                USING ERRCODE = '22023', HINT = example;
        END IF;
        IF array_ndims(sqls) <> 1 THEN
            RAISE EXCEPTION '% must be a one-dimensional array, got % dimensions', what, array_ndims(sqls)
                USING ERRCODE = '22023', HINT = example;
        END IF;
        k := array_position(sqls, NULL);
        IF k IS NOT NULL THEN
            RAISE EXCEPTION '%[%] is NULL', what, k - array_lower(sqls, 1) + 1
                USING ERRCODE = '22004',
                      HINT = 'Every element must be SQL text; use '''' for a step that does nothing.';
        END IF;
        IF branch IS NULL THEN
            RAISE EXCEPTION 'branch must not be NULL'
                USING ERRCODE = '22004', HINT = 'Omit it for ''main''.';
        END IF;
        PERFORM @extschema@._branch_id(branch);   -- 42704 for an unknown branch
        IF search_path IS NULL THEN
            RAISE EXCEPTION 'search_path must not be NULL'
                USING ERRCODE = '22004',
                      HINT = 'Omit it to run the SQL under the caller''s search_path, or give one such as ''public''.';
        END IF;
        -- 22023 for a malformed list; the SET clause undoes it when this function returns.
        PERFORM set_config('search_path', search_path, true);
    END $$;

-- fork: the work behind persistence.fork (which only renames the result columns: a
-- PL/pgSQL function cannot have an input and an output both named `score`).
CREATE FUNCTION @extschema@._fork(candidates text[], score_sql text, branch text, on_error text,
                                  caller_path text)
    RETURNS TABLE (chosen integer, chosen_score double precision, scores double precision[], id text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        pinned constant text := 'pg_catalog, pg_temp';
        n integer;
        s double precision;
        all_scores double precision[];
        best integer;
        done boolean;
        failures text[] := '{}';
        err_state text;
        err_msg text;
        fork_id text;
        data text;
    BEGIN
        PERFORM @extschema@._check_sql_array('candidates', candidates, branch, caller_path,
            'For example fork(ARRAY[''UPDATE t SET x = 1'', ''UPDATE t SET x = 2''], ''(SELECT x FROM t)'').');
        IF score_sql IS NULL THEN
            RAISE EXCEPTION 'score must not be NULL'
                USING ERRCODE = '22004', HINT = 'Give a SQL expression such as ''(SELECT count(*) FROM t)''.';
        END IF;
        IF btrim(score_sql, E' \t\r\n\f\v') = '' THEN
            RAISE EXCEPTION 'score must be a SQL expression, got an empty string'
                USING ERRCODE = '22023', HINT = 'Give a SQL expression such as ''(SELECT count(*) FROM t)''.';
        END IF;
        IF on_error IS NULL THEN
            RAISE EXCEPTION 'on_error must not be NULL'
                USING ERRCODE = '22004', HINT = 'Use ''abort'' or ''skip''.';
        END IF;
        IF on_error NOT IN ('abort', 'skip') THEN
            RAISE EXCEPTION 'unknown on_error %', quote_literal(on_error)
                USING ERRCODE = '22023', HINT = 'Use ''abort'' or ''skip''.';
        END IF;
        -- From here on, candidates[1 .. n].
        candidates := candidates[array_lower(candidates, 1) : array_upper(candidates, 1)];
        n := cardinality(candidates);
        all_scores := array_fill(NULL::double precision, ARRAY[n]);

        -- Trials. Each candidate and its score run in a subtransaction (the BEGIN ... EXCEPTION
        -- block) that is always rolled back: by the private PXF00 after a good score, by the
        -- candidate's own error otherwise. `done` and `s` are PL/pgSQL variables, which the
        -- rollback leaves alone; so do the set_config calls, which it undoes.
        FOR i IN 1 .. n LOOP
            done := false;
            s := NULL;
            BEGIN
                PERFORM set_config('search_path', caller_path, true);
                EXECUTE format('/* persistence.fork candidate %s of %s */ ', i, n) || candidates[i];
                EXECUTE format(E'/* persistence.fork score of candidate %s of %s */ SELECT (\n', i, n)
                        || score_sql || E'\n)::double precision'
                    INTO s;
                PERFORM set_config('search_path', pinned, true);
                IF s IS NULL THEN
                    RAISE EXCEPTION 'fork candidate % of %: score is NULL', i, n
                        USING ERRCODE = '22004', HINT = 'The score expression must give a number for every candidate.';
                END IF;
                IF s = 'NaN'::double precision THEN
                    RAISE EXCEPTION 'fork candidate % of %: score is NaN', i, n
                        USING ERRCODE = '22023', HINT = 'The score expression must give a comparable number.';
                END IF;
                done := true;
                RAISE EXCEPTION 'persistence.fork rolls back candidate %', i USING ERRCODE = 'PXF00';
            EXCEPTION WHEN OTHERS THEN
                IF NOT done THEN
                    -- A failed candidate. Errors that are about the whole transaction rather
                    -- than the candidate are never skipped: class 40 (serialization failure,
                    -- deadlock: retry the transaction), 53 (out of resources), 57 (operator
                    -- intervention), 58 (system error), XX (internal error, corruption).
                    GET STACKED DIAGNOSTICS err_state = RETURNED_SQLSTATE, err_msg = MESSAGE_TEXT;
                    IF on_error = 'abort' OR left(err_state, 2) IN ('40', '53', '57', '58', 'XX') THEN
                        RAISE;
                    END IF;
                    failures := failures || format('candidate %s: %s %s', i, err_state, err_msg);
                    s := NULL;
                END IF;
            END;
            all_scores[i] := s;
            -- Higher is better; on a tie the lower index stays.
            IF s IS NOT NULL AND (best IS NULL OR s > all_scores[best]) THEN
                best := i;
            END IF;
        END LOOP;

        IF best IS NULL THEN
            RAISE EXCEPTION 'fork: all % candidates failed', n
                USING ERRCODE = 'PXF01', DETAIL = array_to_string(failures, E'\n'),
                      HINT = 'Each failure is listed in DETAIL; on_error => ''abort'' raises the first one as it is.';
        END IF;

        -- The chosen candidate, for real. Its score is the one of its trial (not re-evaluated).
        PERFORM set_config('search_path', caller_path, true);
        EXECUTE format('/* persistence.fork chosen candidate %s of %s */ ', best, n) || candidates[best];
        PERFORM set_config('search_path', pinned, true);

        -- The record.
        fork_id := 'fork/' || gen_random_uuid();
        data := format('[{:db/id "%s" :fork/candidates [%s] :fork/scores [%s] :fork/chosen %s :fork/score %s :fork/on-error :%s}]',
                       fork_id,
                       (SELECT string_agg('"' || @extschema@._sql_hash(c) || '"', ' ' ORDER BY k)
                        FROM unnest(candidates) WITH ORDINALITY u(c, k)),
                       (SELECT string_agg(coalesce(@extschema@.edn(x)::text, 'nil'), ' ' ORDER BY k)
                        FROM unnest(all_scores) WITH ORDINALITY u(x, k)),
                       best, to_jsonb(score_sql)::text, on_error);
        PERFORM @extschema@.transact(data::@extschema@.edn, branch,
                                     format('{:persistence/fork "%s"}', fork_id)::@extschema@.edn);

        RETURN QUERY SELECT best, all_scores[best], all_scores, fork_id;
    END $$;

-- Runs each candidate in a rolled-back subtransaction, scores it, re-runs the best one
-- (highest score, ties: lowest index) and records the decision; docs/fork.md.
CREATE FUNCTION @extschema@.fork(candidates text[], score text, branch text DEFAULT 'main',
                                 on_error text DEFAULT 'abort',
                                 search_path text DEFAULT pg_catalog.current_setting('search_path'))
    RETURNS TABLE (chosen integer, score double precision, scores double precision[], id text)
    LANGUAGE sql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM @extschema@._fork($1, $2, $3, $4, $5) $$;

-- Runs the steps in order, no subtransaction (any error aborts everything), and after each
-- step transacts its marker; the last marker's transaction also holds the fold entity.
CREATE FUNCTION @extschema@.fold(steps text[], branch text DEFAULT 'main',
                                 search_path text DEFAULT pg_catalog.current_setting('search_path'))
    RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        pinned constant text := 'pg_catalog, pg_temp';
        caller_path constant text := fold.search_path;
        n integer;
        fold_id text;
        data text;
    BEGIN
        PERFORM @extschema@._check_sql_array('steps', steps, branch, caller_path,
            'For example fold(ARRAY[''INSERT INTO t VALUES (1)'', ''UPDATE t SET x = x + 1'']).');
        steps := steps[array_lower(steps, 1) : array_upper(steps, 1)];
        n := cardinality(steps);
        fold_id := 'fold/' || gen_random_uuid();
        FOR i IN 1 .. n LOOP
            PERFORM set_config('search_path', caller_path, true);
            EXECUTE format('/* persistence.fold step %s of %s */ ', i, n) || steps[i];
            PERFORM set_config('search_path', pinned, true);
            data := format('[{:db/id "%s/%s" :fold/of "%s" :fold/index %s :fold/hash "%s"}',
                           fold_id, i, fold_id, i, @extschema@._sql_hash(steps[i]));
            IF i = n THEN
                data := data || format(' {:db/id "%s" :fold/steps [%s]}', fold_id,
                    (SELECT string_agg('"' || @extschema@._sql_hash(c) || '"', ' ' ORDER BY k)
                     FROM unnest(steps) WITH ORDINALITY u(c, k)));
            END IF;
            PERFORM @extschema@.transact((data || ']')::@extschema@.edn, branch,
                                         format('{:persistence/fold "%s"}', fold_id)::@extschema@.edn);
        END LOOP;
        RETURN fold_id;
    END $$;
