-- persistence.edn through SQL: every function, operator and cast, and every error
-- path with its SQLSTATE (docs/edn.md).
BEGIN;
SET LOCAL search_path = persistence, public;
SELECT plan(106);

-- Binary receive is reached through binary COPY of a bytea field into an edn column.
CREATE TEMP TABLE recv_in (b bytea);
CREATE TEMP TABLE recv_out (v edn);
CREATE FUNCTION pg_temp.recv(bytes bytea) RETURNS edn LANGUAGE plpgsql AS $$
DECLARE
    f text := '/tmp/persistence_tap_recv_' || pg_backend_pid() || '.bin';
    result edn;
BEGIN
    TRUNCATE recv_in, recv_out;
    INSERT INTO recv_in VALUES (bytes);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT v INTO result FROM recv_out;
    RETURN result;
END $$;

-- Reading and printing -----------------------------------------------------------
SELECT is('{:b 2, :a 1}'::edn::text, '{:a 1 :b 2}', 'maps print in canonical key order');
SELECT is('#{3 1 2}'::edn::text, '#{1 2 3}', 'sets print in canonical order');
SELECT is('#inst "2026-11-25T12:30:00+02:00"'::edn, '#inst "2026-11-25T10:30:00Z"'::edn, '#inst offsets normalise to UTC');
SELECT is('12N'::edn, '12'::edn, 'N integers that fit 64 bits are plain integers');
SELECT isnt('1.5M'::edn, '1.50M'::edn, 'decimals keep their scale');
SELECT isnt('1'::edn, '1.0'::edn, 'integers and doubles are different values');
SELECT is('[1 #_ 2 3]'::edn::text, '[1 3]', '#_ discards');
SELECT is('"\u0041\uD83D\uDE00"'::edn::text, '"A😀"', 'unicode escapes and surrogate pairs');
SELECT is('#my/tag [1]'::edn::text, '#my/tag [1]', 'unknown tags are kept');
SELECT is('#uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"'::edn::text,
          '#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"', 'uuids print lower-case');

-- Text errors --------------------------------------------------------------------
SELECT throws_like($$SELECT '[1 2'::edn$$, '%line 1, column %', 'unclosed vector names line and column');
SELECT throws_ok($$SELECT '[1 2'::edn$$, '22P02', NULL, 'unclosed vector: 22P02');
SELECT throws_ok($$SELECT '{:a}'::edn$$, '22P02', NULL, 'odd map: 22P02');
SELECT throws_ok($$SELECT ''::edn$$, '22P02', NULL, 'empty input: 22P02');
SELECT throws_ok($$SELECT '1 2'::edn$$, '22P02', NULL, 'two values: 22P02');
SELECT throws_ok($$SELECT '{:a 1 :a 2}'::edn$$, '22P02', NULL, 'duplicate map key: 22P02');
SELECT throws_ok($$SELECT '#{1 1}'::edn$$, '22P02', NULL, 'duplicate set member: 22P02');
SELECT throws_ok($$SELECT '"\q"'::edn$$, '22P02', NULL, 'bad escape: 22P02');
SELECT throws_ok($$SELECT '"\uD800"'::edn$$, '22P02', NULL, 'lone surrogate: 22P02');
SELECT throws_ok($$SELECT '01'::edn$$, '22P02', NULL, 'leading zero: 22P02');
SELECT throws_ok($$SELECT ':'::edn$$, '22P02', NULL, 'bare colon: 22P02');
SELECT throws_ok($$SELECT 'a/b/c'::edn$$, '22P02', NULL, 'two slashes in a symbol: 22P02');
SELECT throws_ok($$SELECT '#inst 1'::edn$$, '22P02', NULL, '#inst needs a string: 22P02');
SELECT throws_ok($$SELECT '#inst "2026-02-30T00:00:00Z"'::edn$$, '22008', NULL, '#inst day out of range: 22008');
SELECT throws_ok($$SELECT '#uuid "xyz"'::edn$$, '22P02', NULL, 'bad uuid: 22P02');
SELECT throws_ok($$SELECT '\'::edn$$, '22P02', NULL, 'lone backslash: 22P02');
SELECT throws_ok($$SELECT '9223372036854775808'::edn$$, '22003', NULL, 'integer beyond 64 bits without N: 22003');
SELECT throws_ok($$SELECT '-1e400'::edn$$, '22003', NULL, 'double overflow: 22003');
SELECT throws_ok($$SELECT repeat('[', 1000000)::edn$$, '54000', NULL, 'deep nesting: 54000');
SELECT throws_like($$SELECT repeat('[', 600)::edn$$, '%nested too deeply%', 'deep nesting message');
SET LOCAL persistence.edn_max_size = '1kB';
SELECT throws_ok($$SELECT ('[' || repeat('1 ', 2000) || ']')::edn$$, '54000', NULL, 'too large: 54000');
RESET persistence.edn_max_size;
SELECT throws_ok($$SET persistence.edn_max_depth = 0$$, '22023', NULL, 'edn_max_depth is at least 1');
SELECT throws_ok($$SET persistence.no_such_setting = 1$$, '42602', NULL, 'the persistence. GUC prefix is reserved');

-- Binary receive -------------------------------------------------------------------
SELECT is(pg_temp.recv(edn_send('{:a [1 "x" 2.5M]}')), '{:a [1 "x" 2.5M]}'::edn, 'send → recv round trip');
SELECT throws_ok($$SELECT pg_temp.recv('\x02'::bytea)$$, '22P03', NULL, 'recv: unknown version');
SELECT throws_ok($$SELECT pg_temp.recv('\x01'::bytea)$$, '22P03', NULL, 'recv: empty value');
SELECT throws_ok($$SELECT pg_temp.recv('\x017f'::bytea)$$, '22P03', NULL, 'recv: unknown tag');
SELECT throws_ok($$SELECT pg_temp.recv('\x0110000000000000000000'::bytea)$$, '22P03', NULL, 'recv: trailing byte');
SELECT throws_ok($$SELECT pg_temp.recv('\x012102000000c328'::bytea)$$, '22021', NULL, 'recv: invalid UTF-8');
SELECT throws_ok($$SELECT pg_temp.recv('\x01110200000031'::bytea)$$, '22P03', NULL, 'recv: truncated bigint');
SELECT throws_like($$SELECT pg_temp.recv(decode('01' || '32' || '32000000' || '02000000' || '220100000062'
                      || '100100000000000000' || '220100000061' || '100200000000000000'
                      || '00000000' || '06000000' || '0f000000' || '15000000', 'hex'))$$,
                   '%map keys not strictly increasing%', 'recv: a map with its keys out of order');

-- Operators ------------------------------------------------------------------------
SELECT is('{:a {:b 1}}'::edn -> ':a', '{:b 1}'::edn, '-> text key');
SELECT is('{"k" 1}'::edn -> '"k"'::edn, '1'::edn, '-> edn key');
SELECT is('[1 2 3]'::edn -> 2, '3'::edn, '-> index');
SELECT is('[1 2 3]'::edn -> -3, '1'::edn, '-> negative index');
SELECT is('[1 2 3]'::edn -> 3, NULL, '-> index out of range is NULL');
SELECT is('{:a 1}'::edn -> ':b', NULL, '-> missing key is NULL');
SELECT throws_ok($$SELECT '{:a 1}'::edn -> '[1'$$, '22P02', NULL, '-> with a malformed key');
SELECT is('{:a [1 {:b 2}]}'::edn #> '[:a 1 :b]', '2'::edn, '#> path');
SELECT throws_ok($$SELECT '{:a 1}'::edn #> ':a'$$, '22023', NULL, '#> path must be a vector or list');
SELECT ok('{:a 1 :b [1 2]}'::edn @> '{:b [2]}', '@> nested');
SELECT ok(NOT ('{:a 1}'::edn @> '{:a 2}'), '@> value mismatch');
SELECT ok('{:b [2]}'::edn <@ '{:a 1 :b [1 2]}', '<@');
SELECT ok('[1 2]'::edn < '[1 3]' AND '1'::edn <= '1' AND '2'::edn > '1' AND '2'::edn >= '2'
          AND '1'::edn <> '2' AND '1'::edn = '1', 'comparison operators');
SELECT ok('nil'::edn < 'false' AND 'true'::edn < '0' AND '99N'::edn < '0.5' AND '1.0'::edn < '0.1M'
          AND '0.1M'::edn < '\a' AND '\a'::edn < '""' AND '"z"'::edn < ':a' AND ':z'::edn < 'a'
          AND 'z'::edn < '#inst "1970-01-01T00:00:00Z"'
          AND '#inst "9999-01-01T00:00:00Z"'::edn < '#uuid "00000000-0000-0000-0000-000000000000"'
          AND '#uuid "ffffffff-ffff-ffff-ffff-ffffffffffff"'::edn < '()' AND '(9)'::edn < '[]'
          AND '[9]'::edn < '{}' AND '{:z 9}'::edn < '#{}' AND '#{9}'::edn < '#a 1', 'type rank order');
SELECT ok('-100000000000000000000N'::edn < '-9223372036854775808'
          AND '9223372036854775807'::edn < '100000000000000000000N', 'bigints order with integers');
SELECT ok('##-Inf'::edn < '-1.0' AND '1e300'::edn < '##Inf' AND '##Inf'::edn < '##NaN', 'doubles: NaN last');
SELECT ok('1.5M'::edn < '1.50M' AND '1.49M'::edn < '1.5M' AND '-2M'::edn < '-1.5M', 'decimals by value, then scale');

-- Functions --------------------------------------------------------------------------
SELECT is(edn_typeof('#{}'), 'set', 'edn_typeof');
SELECT is(edn_typeof('99999999999999999999N'), 'integer', 'edn_typeof of a bigint');
SELECT is(edn_count('{:a 1 :b 2}'), 2, 'edn_count of a map');
SELECT is(edn_count('"héllo"'), 5, 'edn_count of a string counts characters');
SELECT throws_ok($$SELECT edn_count('1')$$, '22023', NULL, 'edn_count of a number');
SELECT results_eq($$SELECT edn_keys('{:b 2 :a 1}')$$, $$VALUES (':a'::edn), (':b'::edn)$$, 'edn_keys');
SELECT results_eq($$SELECT edn_vals('{:b 2 :a 1}')$$, $$VALUES ('1'::edn), ('2'::edn)$$, 'edn_vals');
SELECT throws_ok($$SELECT edn_keys('[1]')$$, '22023', NULL, 'edn_keys of a vector');
SELECT throws_ok($$SELECT edn_vals('"s"')$$, '22023', NULL, 'edn_vals of a string');
SELECT is(edn_get_in('{:a [5 6]}', '[:a 1]'), '6'::edn, 'edn_get_in');
SELECT is(edn_get_in('{:a [5 6]}', '[:a 9]'), NULL, 'edn_get_in missing');
SELECT is(edn_assoc('{:a 1}', ':b', '2'), '{:a 1 :b 2}'::edn, 'edn_assoc on a map');
SELECT is(edn_assoc('[1]', '1', '2'), '[1 2]'::edn, 'edn_assoc appends to a vector');
SELECT throws_ok($$SELECT edn_assoc('[1]', '3', '2')$$, '22023', NULL, 'edn_assoc index out of range');
SELECT throws_ok($$SELECT edn_assoc('#{}', '1', '2')$$, '22023', NULL, 'edn_assoc on a set');
SELECT is(edn_dissoc('{:a 1 :b 2}', ':b'), '{:a 1}'::edn, 'edn_dissoc');
SELECT throws_ok($$SELECT edn_dissoc('[1]', '0')$$, '22023', NULL, 'edn_dissoc on a vector');
SELECT is(edn_conj('[1]', '2'), '[1 2]'::edn, 'edn_conj on a vector');
SELECT is(edn_conj('(1)', '2'), '(2 1)'::edn, 'edn_conj on a list prepends');
SELECT throws_ok($$SELECT edn_conj('{}', '1')$$, '22023', NULL, 'edn_conj of a non-entry onto a map');
SELECT throws_ok($$SELECT edn_conj('"s"', '1')$$, '22023', NULL, 'edn_conj onto a string');
SELECT is(edn_merge('{:a 1}', '{:a 2 :b 3}'), '{:a 2 :b 3}'::edn, 'edn_merge: right wins');
SELECT throws_ok($$SELECT edn_merge('{}', '[]')$$, '22023', NULL, 'edn_merge of a vector');
SELECT is(encode(edn_hash('nil'), 'hex'), encode(sha256('\x00'::bytea), 'hex'), 'edn_hash is SHA-256 of the canonical bytes');
SELECT is(edn_hash('{:a 1, :b 2}'), edn_hash('{:b 2 :a 1}'), 'equal values hash equally');

-- Casts ------------------------------------------------------------------------------
SELECT is(42::bigint::edn, '42'::edn, 'bigint → edn');
SELECT is(42::int::edn, '42'::edn, 'integer → edn');
SELECT is(0.25::float8::edn, '0.25'::edn, 'double → edn');
SELECT is(1.50::numeric::edn, '1.50M'::edn, 'numeric with a fraction → decimal');
SELECT is(150::numeric::edn, '150'::edn, 'integral numeric → integer');
SELECT is(true::edn, 'true'::edn, 'boolean → edn');
SELECT is('2026-11-25 10:00:00.123456+00'::timestamptz::edn, '#inst "2026-11-25T10:00:00.123456Z"'::edn, 'timestamptz → #inst');
SELECT throws_ok($$SELECT '-infinity'::timestamptz::edn$$, '22008', NULL, 'infinite timestamptz');
SELECT is('00000000-0000-0000-0000-00000000000a'::uuid::edn, '#uuid "00000000-0000-0000-0000-00000000000a"'::edn, 'uuid → edn');
SELECT is('{"a": [1, 2.50, "x", null, true]}'::jsonb::edn, '{"a" [1 2.50M "x" nil true]}'::edn, 'jsonb → edn');
SELECT is('{"a": [1, 2.50, "x", null, true]}'::jsonb::edn::jsonb, '{"a": [1, 2.50, "x", null, true]}'::jsonb, 'jsonb → edn → jsonb');
SELECT is('{:k #{1}}'::edn::jsonb, '{"k": [1]}'::jsonb, 'edn → jsonb');
SELECT throws_ok($$SELECT '{:a 1 "a" 2}'::edn::jsonb$$, '22023', NULL, 'edn → jsonb with colliding keys');
SELECT throws_ok($$SELECT '##Inf'::edn::jsonb$$, '22023', NULL, 'edn → jsonb of an infinity');
SELECT throws_ok($$SELECT '"\u0000"'::edn::jsonb$$, '22P05', NULL, 'edn → jsonb of a NUL character');
SELECT is('[1]'::edn::text, '[1]', 'edn → text');

-- Function forms behind the operators and opclasses ---------------------------------
SELECT ok(edn_cmp('1', '2') < 0 AND edn_cmp('2', '1') > 0 AND edn_cmp('[1]', '[1]') = 0, 'edn_cmp');
SELECT ok(edn_lt('1', '2') AND edn_le('2', '2') AND edn_gt('3', '2') AND edn_ge('3', '3')
          AND edn_eq('{:a 1}', '{:a 1}') AND edn_ne('1', '1.0'), 'edn_lt/le/gt/ge/eq/ne');
SELECT is(edn_hash_int('{:a 1 :b 2}'), edn_hash_int('{:b 2 :a 1}'), 'edn_hash_int agrees for equal values');
SELECT ok(edn_hash_extended('[1]', 0) = edn_hash_extended('[1]', 0)
          AND edn_hash_extended('[1]', 0) <> edn_hash_extended('[1]', 1), 'edn_hash_extended uses its seed');
SELECT ok(edn_get('{:a 1}', ':a'::text) = '1' AND edn_get('[5 6]', 1) = '6'
          AND edn_get('{[1] 2}', '[1]'::edn) = '2', 'edn_get in its three forms');
SELECT ok(edn_contains('[1 2 3]', '[3]') AND edn_contained('[3]', '[1 2 3]'), 'edn_contains / edn_contained');
SELECT is(encode(edn_send('nil'), 'hex'), '0100', 'edn_send: version byte, then the value');

SELECT * FROM finish();
ROLLBACK;
