-- The C++/PostgreSQL boundary: SQLSTATEs, DETAIL/HINT preservation, destructors.
BEGIN;
SELECT plan(12);

-- Returns 'SQLSTATE|message|detail|hint' of the error `sql` raises.
CREATE FUNCTION pg_temp.caught(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; msg text; detail text; hint text;
BEGIN
    EXECUTE sql;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN concat_ws('|', state, msg, detail, hint);
END $$;

-- (a) C++ exceptions become ERRORs with a proper SQLSTATE.
SELECT throws_ok($$SELECT persistence._boundary_throw('runtime_error')$$, 'XX000',
                 'boundary test: runtime_error thrown in C++', 'std::runtime_error → XX000 internal_error');
SELECT throws_ok($$SELECT persistence._boundary_throw('bad_alloc')$$, '53200', NULL,
                 'std::bad_alloc → 53200 out_of_memory');
SELECT throws_ok($$SELECT persistence._boundary_throw('int')$$, 'XX000', 'unknown C++ exception',
                 'a non-std exception → XX000');
SELECT is(pg_temp.caught($$SELECT persistence._boundary_throw('core_error')$$),
          '22023|boundary test: core error|the detail survives|the hint survives',
          'a core error keeps its SQLSTATE, message, detail and hint');
SELECT lives_ok($$SELECT persistence._boundary_throw('none')$$, 'no exception, no error');
SELECT is((SELECT 40 + 2), 42, 'the session keeps working after the errors');

-- (b) PostgreSQL errors raised under live C++ objects keep everything; destructors run.
SELECT persistence._boundary_destructions() AS before \gset
SELECT is(pg_temp.caught($$SELECT persistence._boundary_pg_error('22012', 'pg message', 'pg detail', 'pg hint')$$),
          '22012|pg message|pg detail|pg hint', 'ereport under C++ objects keeps SQLSTATE, DETAIL and HINT');
SELECT is(persistence._boundary_destructions() - :before, 1::bigint,
          'the C++ destructor ran while the PostgreSQL error unwound');
SELECT is(pg_temp.caught($$SELECT persistence._boundary_throw('runtime_error')$$),
          'XX000|boundary test: runtime_error thrown in C++||This is a bug in the persistence extension; please report it.',
          'unexpected C++ exceptions say they are bugs');
SELECT is(persistence._boundary_destructions() - :before, 2::bigint,
          'the C++ destructor ran while the C++ exception unwound');
SELECT throws_ok($$SELECT persistence._boundary_pg_error('123', 'x', 'y', 'z')$$, '22023', NULL,
                 'the self-test validates its own arguments');
SELECT is(has_function_privilege('public', 'persistence._boundary_throw(text)', 'execute'), false,
          'the self-test functions are not executable by PUBLIC');

SELECT * FROM finish();
ROLLBACK;
