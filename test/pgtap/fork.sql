-- persistence.fork and persistence.fold (DESIGN.md §5, docs/fork.md): the best candidate's
-- effects stay and the others' do not, ties, scores, the record datoms, on_error, argument
-- errors, the caller's search_path; fold's order, markers and all-or-nothing.
-- Everything runs in one SQL transaction that is rolled back. The tables the SQL under test
-- touches live in public and are named unqualified in that SQL, which therefore resolves
-- them through the caller's search_path (persistence, public).
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(86);

CREATE TABLE public.fork_acct (id integer PRIMARY KEY, bal integer NOT NULL);
INSERT INTO public.fork_acct VALUES (1, 0);
CREATE TABLE public.fork_log (who text);
CREATE FUNCTION pg_temp.h(sql text) RETURNS text LANGUAGE sql AS $$ SELECT encode(sha256(convert_to(sql, 'UTF8')), 'hex') $$;
CREATE FUNCTION pg_temp.bal() RETURNS integer LANGUAGE sql AS $$ SELECT bal FROM public.fork_acct WHERE id = 1 $$;
-- The CONTEXT (and QUERY) of the error a statement raises.
CREATE FUNCTION pg_temp.error_context(sql text) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE ctx text; q text;
    BEGIN
        EXECUTE sql;
        RETURN NULL;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT;
        RETURN ctx;
    END $$;
CREATE FUNCTION pg_temp.error_detail(sql text) RETURNS text LANGUAGE plpgsql AS $$
    DECLARE d text;
    BEGIN
        EXECUTE sql;
        RETURN NULL;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
        RETURN d;
    END $$;

SELECT has_function('persistence', 'fork', ARRAY['text[]', 'text', 'text', 'text', 'text'], 'fork(candidates, score, branch, on_error, search_path) exists');
SELECT has_function('persistence', 'fold', ARRAY['text[]', 'text', 'text'], 'fold(steps, branch, search_path) exists');
SELECT volatility_is('persistence', 'fork', ARRAY['text[]', 'text', 'text', 'text', 'text'], 'volatile', 'fork is VOLATILE');
SELECT volatility_is('persistence', 'fold', ARRAY['text[]', 'text', 'text'], 'volatile', 'fold is VOLATILE');

-- The best candidate wins ---------------------------------------------------------------------
CREATE TEMP TABLE r1 AS SELECT * FROM fork(
    ARRAY['UPDATE fork_acct SET bal = 10; INSERT INTO fork_log VALUES (''a'')',
          'UPDATE fork_acct SET bal = 30; INSERT INTO fork_log VALUES (''b'')',
          'UPDATE fork_acct SET bal = 20; INSERT INTO fork_log VALUES (''c'')'],
    '(SELECT bal FROM fork_acct WHERE id = 1)');
SELECT results_eq($$SELECT chosen, score, scores FROM r1$$,
    $$VALUES (2, 30::double precision, ARRAY[10, 30, 20]::double precision[])$$,
    'fork: chosen index (1-based), its score, all scores');
SELECT is(pg_temp.bal(), 30, 'the chosen candidate''s effect is present');
SELECT results_eq($$SELECT who FROM fork_log$$, $$VALUES ('b')$$,
    'the other candidates'' effects are absent (multi-statement candidates)');
SELECT matches((SELECT id FROM r1), '^fork/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', 'the record id is fork/<uuid>');

-- The record ------------------------------------------------------------------------------------
SELECT is(entity((SELECT id FROM r1))::text,
    format('{:db/id "%s" :fork/candidates ["%s" "%s" "%s"] :fork/chosen 2 :fork/on-error :abort '
           ':fork/score "(SELECT bal FROM fork_acct WHERE id = 1)" :fork/scores [10.0 30.0 20.0]}',
           (SELECT id FROM r1),
           pg_temp.h('UPDATE fork_acct SET bal = 10; INSERT INTO fork_log VALUES (''a'')'),
           pg_temp.h('UPDATE fork_acct SET bal = 30; INSERT INTO fork_log VALUES (''b'')'),
           pg_temp.h('UPDATE fork_acct SET bal = 20; INSERT INTO fork_log VALUES (''c'')')),
    'the record: candidate hashes, scores as doubles, chosen, score expression, on_error');
SELECT is((SELECT count(DISTINCT tx) FROM history((SELECT id FROM r1))), 1::bigint, 'the record is one transaction');
SELECT is((SELECT count(*) FROM history((SELECT id FROM r1))), 5::bigint, 'the record is five datoms');
SELECT is((SELECT x.provenance::text FROM transactions x WHERE x.tx = (SELECT max(tx) FROM history((SELECT id FROM r1)))),
    format('{:persistence/fork "%s"}', (SELECT id FROM r1)), 'the record''s provenance names the fork');
SELECT results_eq(
    $$SELECT edn_typeof(v) FROM history((SELECT id FROM r1), 'fork/chosen')$$, $$VALUES ('integer')$$,
    ':fork/chosen is an integer');
SELECT is((SELECT encode(sha256(convert_to('é', 'UTF8')), 'hex')), _sql_hash('é'),
    'the hashes are SHA-256 of the UTF-8 text');

-- Ties, kinds of scores ---------------------------------------------------------------------------
SELECT results_eq($$SELECT chosen, scores FROM fork(ARRAY['SELECT 1', 'SELECT 2', 'SELECT 3'], '7')$$,
    $$VALUES (1, ARRAY[7, 7, 7]::double precision[])$$, 'all tied: the lowest index');
SELECT results_eq(
    $$SELECT chosen FROM fork(ARRAY['UPDATE fork_acct SET bal = 1', 'UPDATE fork_acct SET bal = 5', 'UPDATE fork_acct SET bal = 5'],
                               '(SELECT bal FROM fork_acct WHERE id = 1)')$$,
    $$VALUES (2)$$, 'a tie between 2 and 3: 2');
SELECT results_eq(
    $$SELECT chosen, score FROM fork(ARRAY['UPDATE fork_acct SET bal = 1', 'UPDATE fork_acct SET bal = 2'],
                                      '-(SELECT bal FROM fork_acct WHERE id = 1)')$$,
    $$VALUES (1, -1::double precision)$$, 'higher is better: minimise by negating');
SELECT results_eq($$SELECT scores FROM fork(ARRAY['SELECT 1', 'SELECT 2'], '''2.5''::text')$$,
    $$VALUES (ARRAY[2.5, 2.5]::double precision[])$$, 'a text score that reads as a number');
CREATE TEMP TABLE r_inf AS SELECT * FROM fork(ARRAY['SELECT 1', 'SELECT 2'], $s$'Infinity'::float8 -- a trailing comment$s$);
SELECT results_eq($$SELECT chosen, score FROM r_inf$$, $$VALUES (1, 'Infinity'::double precision)$$,
    'an infinite score; a trailing comment in the score');
SELECT is(entity((SELECT id FROM r_inf), depth => 0) -> ':fork/scores', '[##Inf ##Inf]'::edn,
    'the record prints infinite scores as ##Inf');
UPDATE public.fork_acct SET bal = 5;
SELECT results_eq($$SELECT chosen, score FROM fork(ARRAY['', 'UPDATE fork_acct SET bal = -100'], '(SELECT bal FROM fork_acct WHERE id = 1)')$$,
    $$VALUES (1, 5::double precision)$$, 'an empty candidate does nothing (a baseline) and can win');
SELECT is(pg_temp.bal(), 5, 'the baseline won: nothing changed');
SELECT results_eq($$SELECT chosen, scores FROM fork('[0:1]={"UPDATE fork_acct SET bal = 1","UPDATE fork_acct SET bal = 9"}'::text[],
                                                      '(SELECT bal FROM fork_acct WHERE id = 1)')$$,
    $$VALUES (2, ARRAY[1, 9]::double precision[])$$, 'an array with another lower bound: indexes are still 1-based');

-- Candidates that write facts -------------------------------------------------------------------
CREATE TEMP TABLE r2 AS SELECT * FROM fork(
    ARRAY['SELECT persistence.transact(''[[:db/add "fork-p" :fork-test/plan "small"] [:db/add "fork-p" :fork-test/cost 3]]'')',
          'SELECT persistence.transact(''[[:db/add "fork-p" :fork-test/plan "large"] [:db/add "fork-p" :fork-test/cost 8]]'')'],
    $$(SELECT v::text::integer FROM persistence.as_of() WHERE e = 'fork-p' AND a = ':fork-test/cost')$$);
SELECT results_eq($$SELECT chosen, scores FROM r2$$, $$VALUES (2, ARRAY[3, 8]::double precision[])$$,
    'facts written by candidates are scored inside their subtransaction');
SELECT is(entity('fork-p')::text, '{:db/id "fork-p" :fork-test/cost 8 :fork-test/plan "large"}',
    'only the chosen candidate''s facts are in the log');
SELECT is((SELECT count(*) FROM datoms('eavt', '["fork-p"]')), 2::bigint, 'no datom of the losing candidate, not even retracted');

-- on_error ---------------------------------------------------------------------------------------
CREATE TEMP TABLE r3 AS SELECT * FROM fork(
    ARRAY['UPDATE fork_acct SET bal = 1/0', 'UPDATE fork_acct SET bal = 40', 'UPDATE fork_acct SET bal = 77'],
    '(SELECT bal FROM fork_acct WHERE id = 1 AND bal <> 77)', on_error => 'skip');
SELECT results_eq($$SELECT chosen, score, scores FROM r3$$,
    $$VALUES (2, 40::double precision, ARRAY[NULL, 40, NULL]::double precision[])$$,
    'skip: a failing candidate and a NULL score are skipped (NULL in scores)');
SELECT is(pg_temp.bal(), 40, 'skip: the best surviving candidate ran');
SELECT is(entity((SELECT id FROM r3), depth => 0) -> ':fork/scores', '[nil 40.0 nil]'::edn, 'skip: nil in the recorded scores');
SELECT is(entity((SELECT id FROM r3), depth => 0) -> ':fork/on-error', ':skip'::edn, 'skip: recorded');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['UPDATE fork_acct SET bal = 1', 'UPDATE fork_acct SET bal = 1/0'], '(SELECT bal FROM fork_acct)')$$,
    '22012', 'division by zero', 'abort (the default): the candidate''s own error');
SELECT matches(pg_temp.error_context($$SELECT * FROM fork(ARRAY['SELECT 1', 'UPDATE fork_acct SET bal = 1/0'], '1')$$),
    'persistence\.fork candidate 2 of 2', 'abort: CONTEXT names the candidate');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], 'NULL::integer')$$, '22004', NULL, 'abort: a NULL score is 22004');
SELECT throws_like($$SELECT * FROM fork(ARRAY['SELECT 1'], 'NULL::integer')$$, 'fork candidate 1 of 1: score is NULL', 'abort: NULL score message');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '''NaN''::float8')$$, '22023', NULL, 'abort: a NaN score is 22023');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], 'true')$$, '42846', NULL, 'abort: a score that is not a number (boolean)');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '''abc''::text')$$, '22P02', NULL, 'abort: a score that is not a number (text)');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '(SELECT no_such_column FROM fork_acct)')$$, '42703', NULL, 'abort: an error in the score');
SELECT matches(pg_temp.error_context($$SELECT * FROM fork(ARRAY['SELECT 1', 'SELECT 2'], '1/0')$$),
    'persistence\.fork score of candidate 1 of 2', 'abort: CONTEXT names the score of the candidate');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1/0', 'SELECT 1/0'], '1', on_error => 'skip')$$,
    'PXF01', 'fork: all 2 candidates failed', 'skip, all fail: PXF01');
SELECT is(pg_temp.error_detail($$SELECT * FROM fork(ARRAY['SELECT 1/0', 'SELECT 1'], 'NULL::float8', on_error => 'skip')$$),
    E'candidate 1: 22012 division by zero\ncandidate 2: 22004 fork candidate 2 of 2: score is NULL',
    'skip, all fail: DETAIL lists every failure');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['DO $d$ BEGIN RAISE EXCEPTION ''retry me'' USING ERRCODE = ''40001''; END $d$', 'SELECT 1'],
                                      '1', on_error => 'skip')$$,
    '40001', 'retry me', 'skip never skips class 40 (serialization failure): it aborts');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['DO $d$ BEGIN RAISE EXCEPTION ''bad'' USING ERRCODE = ''XX001''; END $d$', 'SELECT 1'],
                                      '1', on_error => 'skip')$$,
    'XX001', 'bad', 'skip never skips class XX');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1', 'COMMIT'], '1')$$, '0A000', NULL, 'a candidate cannot end the transaction');
SELECT is(pg_temp.bal(), 40, 'nothing of the failed forks remains');

-- search_path ------------------------------------------------------------------------------------
SELECT results_eq($$SELECT current_setting('search_path')$$, $$VALUES ('persistence, public')$$,
    'the caller''s search_path is unchanged after the forks');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['UPDATE fork_acct SET bal = 1'], '1', search_path => 'pg_catalog')$$,
    '42P01', NULL, 'search_path => pg_catalog: candidates no longer see public');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SET LOCAL search_path = pg_catalog'], '(SELECT count(*) FROM fork_acct)')$$,
    '42P01', NULL, 'the score runs under the search_path the candidate left');
SELECT is((SELECT chosen FROM fork(ARRAY['SET LOCAL search_path = pg_catalog', 'SELECT 1'], '(SELECT count(*) FROM public.fork_acct)')),
    1, 'a candidate''s SET LOCAL in its trial ...');
SELECT results_eq($$SELECT current_setting('search_path')$$, $$VALUES ('persistence, public')$$,
    '... and in its real run do not leak out of fork');
CREATE TEMP TABLE n_forks AS SELECT count(*) AS n FROM datoms('aevt', '[:fork/chosen]');
SELECT results_eq(
    $$SELECT chosen FROM fork(ARRAY['SELECT persistence.fork(ARRAY[''UPDATE fork_acct SET bal = 41'', ''UPDATE fork_acct SET bal = 42''], ''(SELECT bal FROM fork_acct)'')',
                                    'UPDATE fork_acct SET bal = 0'], '(SELECT bal FROM fork_acct)')$$,
    $$VALUES (1)$$, 'a fork inside a candidate');
SELECT is(pg_temp.bal(), 42, 'the nested fork''s choice ran');
SELECT is((SELECT count(*) FROM datoms('aevt', '[:fork/chosen]')) - (SELECT n FROM n_forks), 2::bigint,
    'two records: the outer fork and the nested one''s real run (its trial''s record was rolled back)');

-- Argument errors ----------------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM fork(NULL, '1')$$, '22004', 'candidates must not be NULL', 'candidates NULL: 22004');
SELECT throws_ok($$SELECT * FROM fork('{}', '1')$$, '22023', 'candidates must not be empty', 'candidates empty: 22023');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1', NULL], '1')$$, '22004', 'candidates[2] is NULL', 'a NULL candidate: 22004');
SELECT throws_ok($$SELECT * FROM fork('{{"SELECT 1"},{"SELECT 2"}}', '1')$$, '22023', NULL, 'a 2-D array: 22023');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], NULL)$$, '22004', 'score must not be NULL', 'score NULL: 22004');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '  ')$$, '22023', NULL, 'score blank: 22023');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '1', on_error => 'ignore')$$, '22023', 'unknown on_error ''ignore''', 'bad on_error: 22023');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '1', on_error => NULL)$$, '22004', NULL, 'on_error NULL: 22004');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '1', branch => 'no-such-branch')$$, '42704', NULL, 'unknown branch: 42704');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '1', branch => NULL)$$, '22004', NULL, 'branch NULL: 22004');
SELECT throws_ok($$SELECT * FROM fork(ARRAY['SELECT 1'], '1', search_path => NULL)$$, '22004', NULL, 'search_path NULL: 22004');


-- fold ---------------------------------------------------------------------------------------------
CREATE TEMP TABLE n_markers AS SELECT count(*) AS n FROM datoms('aevt', '[:fold/of]');
CREATE TEMP TABLE f1 AS SELECT fold(ARRAY[
    'INSERT INTO fork_log VALUES (''s1'')',
    'SELECT persistence.transact(''[[:db/add "fold-p" :fold-test/n 1]]'')',
    'UPDATE fork_log SET who = who || ''+s3'' WHERE who = ''s1''']) AS id;
CREATE FUNCTION pg_temp.marker_tx(i integer) RETURNS bigint LANGUAGE sql AS $$
    SELECT max(tx) FROM persistence.history((SELECT id FROM f1) || '/' || i) $$;
SELECT matches((SELECT id FROM f1), '^fold/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', 'fold returns its id, fold/<uuid>');
SELECT results_eq($$SELECT who FROM fork_log WHERE who LIKE 's1%'$$, $$VALUES ('s1+s3')$$, 'fold: the steps ran in order');
SELECT is(entity((SELECT id FROM f1))::text,
    format('{:db/id "%s" :fold/steps ["%s" "%s" "%s"]}', (SELECT id FROM f1),
           pg_temp.h('INSERT INTO fork_log VALUES (''s1'')'),
           pg_temp.h('SELECT persistence.transact(''[[:db/add "fold-p" :fold-test/n 1]]'')'),
           pg_temp.h('UPDATE fork_log SET who = who || ''+s3'' WHERE who = ''s1''')),
    'the fold entity: the hashes of its steps');
SELECT is(entity((SELECT id FROM f1) || '/2', depth => 0)::text,
    format('{:db/id "%s/2" :fold/hash "%s" :fold/index 2 :fold/of "%s"}', (SELECT id FROM f1),
           pg_temp.h('SELECT persistence.transact(''[[:db/add "fold-p" :fold-test/n 1]]'')'), (SELECT id FROM f1)),
    'a step marker: hash, index, of');
SELECT is((SELECT count(*) FROM datoms('aevt', '[:fold/of]')) - (SELECT n FROM n_markers), 3::bigint, 'one marker per step');
SELECT ok(pg_temp.marker_tx(1) < (SELECT max(tx) FROM history('fold-p'))
          AND (SELECT max(tx) FROM history('fold-p')) < pg_temp.marker_tx(2)
          AND pg_temp.marker_tx(2) < pg_temp.marker_tx(3),
    'markers follow their steps in tx order: marker 1 < step 2''s own transaction < marker 2 < marker 3');
SELECT is((SELECT max(tx) FROM history((SELECT id FROM f1))), pg_temp.marker_tx(3), 'the fold entity is written with the last marker');
SELECT is((SELECT count(*) FROM transactions x
           WHERE x.tx IN (pg_temp.marker_tx(1), pg_temp.marker_tx(2), pg_temp.marker_tx(3))
             AND x.provenance = format('{:persistence/fold "%s"}', (SELECT id FROM f1))::edn), 3::bigint,
    'every marker transaction''s provenance names the fold');
CREATE TEMP TABLE f2 AS SELECT fold(ARRAY['INSERT INTO fork_log VALUES (''one'')']) AS id;
SELECT is(entity((SELECT id FROM f2)) -> ':fold/steps',
    format('["%s"]', pg_temp.h('INSERT INTO fork_log VALUES (''one'')'))::edn, 'a one-step fold');

TRUNCATE public.fork_log;
SELECT throws_ok($$SELECT fold(ARRAY['INSERT INTO fork_log VALUES (''x'')', 'SELECT 1/0', 'INSERT INTO fork_log VALUES (''y'')'])$$,
    '22012', 'division by zero', 'fold: a failing step raises its own error');
SELECT matches(pg_temp.error_context($$SELECT fold(ARRAY['SELECT 1', 'SELECT 1/0', 'SELECT 3'])$$),
    'persistence\.fold step 2 of 3', 'fold: CONTEXT names the step');
SELECT is((SELECT count(*) FROM fork_log), 0::bigint, 'fold: nothing of the earlier steps remains');
SELECT is((SELECT count(*) FROM datoms('aevt', '[:fold/of]')) - (SELECT n FROM n_markers), 4::bigint, 'fold: no marker of a failed fold');
SELECT throws_ok($$SELECT fold(ARRAY['UPDATE fork_acct SET bal = 1'], search_path => 'pg_catalog')$$, '42P01', NULL,
    'fold: search_path => pg_catalog: steps no longer see public');
SELECT throws_ok($$SELECT fold(NULL)$$, '22004', 'steps must not be NULL', 'fold: steps NULL: 22004');
SELECT throws_ok($$SELECT fold('{}')$$, '22023', 'steps must not be empty', 'fold: steps empty: 22023');
SELECT throws_ok($$SELECT fold(ARRAY['SELECT 1', NULL, 'SELECT 3'])$$, '22004', 'steps[2] is NULL', 'fold: a NULL step: 22004');
SELECT throws_ok($$SELECT fold(ARRAY['SELECT 1'], 'no-such-branch')$$, '42704', NULL, 'fold: unknown branch: 42704');
SELECT throws_ok($$SELECT fold(ARRAY['SELECT 1'], NULL)$$, '22004', NULL, 'fold: branch NULL: 22004');

-- Another branch (the branch module; skipped when it is not installed) -------------------------------
CREATE FUNCTION pg_temp.on_branch() RETURNS SETOF text LANGUAGE plpgsql AS $$
    DECLARE fid text; did text;
    BEGIN
        IF to_regprocedure('persistence.branch(text,text,bigint)') IS NULL THEN
            RETURN NEXT skip('the branch module is not installed', 3);
            RETURN;
        END IF;
        EXECUTE 'SELECT persistence.branch(''fork-test-b'')';
        SELECT f.id INTO fid FROM persistence.fork(ARRAY['SELECT 1', 'SELECT 2'], '1', branch => 'fork-test-b') f;
        RETURN NEXT is(persistence.entity(fid, branch => 'fork-test-b') -> ':fork/chosen', '1'::persistence.edn,
                       'fork: the record is on the given branch');
        RETURN NEXT is(persistence.entity(fid), NULL, 'fork: ... and not on main');
        did := persistence.fold(ARRAY['SELECT 1'], 'fork-test-b');
        RETURN NEXT ok(persistence.entity(did || '/1', branch => 'fork-test-b') IS NOT NULL AND persistence.entity(did || '/1') IS NULL,
                       'fold: the markers are on the given branch only');
    END $$;
SELECT * FROM pg_temp.on_branch();

SELECT * FROM finish();
ROLLBACK;
