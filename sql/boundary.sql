-- The C++/PostgreSQL boundary (STYLE.md §1, docs/architecture.md).
-- SQLSTATEs are checked by test/pgtap/boundary.sql; here the messages, DETAIL and HINT.
\set SHOW_CONTEXT never

-- (a) A C++ exception thrown in an SQL function becomes an ERROR ...
SELECT persistence._boundary_throw('runtime_error');
-- ... and the same session keeps working.
SELECT 1 AS session_still_works;
SELECT persistence._boundary_throw('bad_alloc');
SELECT persistence._boundary_throw('core_error');
SELECT persistence._boundary_throw('int');
SELECT persistence._boundary_throw('none') AS no_exception;

-- (b) A PostgreSQL error raised while C++ objects are alive keeps its SQLSTATE, DETAIL
-- and HINT, and the C++ destructors ran.
SELECT persistence._boundary_destructions() AS before \gset
SELECT persistence._boundary_pg_error('22012', 'raised by PostgreSQL', 'the detail survives', 'the hint survives');
SELECT persistence._boundary_destructions() - :before AS destructors_ran;
DO $$
DECLARE
    state text; msg text; detail text; hint text;
BEGIN
    PERFORM persistence._boundary_pg_error('P0042', 'custom', 'custom detail', 'custom hint');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RAISE NOTICE 'caught % / % / % / %', state, msg, detail, hint;
END
$$;
-- Errors inside a savepoint roll back only the savepoint.
BEGIN;
SAVEPOINT s;
SELECT persistence._boundary_throw('runtime_error');
ROLLBACK TO SAVEPOINT s;
SELECT 'after rollback to savepoint' AS works;
COMMIT;
-- Bad arguments to the test function itself.
SELECT persistence._boundary_pg_error('123', 'x', 'y', 'z');
SELECT persistence._boundary_throw(NULL) IS NULL AS strict_null;
