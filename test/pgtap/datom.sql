-- persistence.datom through SQL: text and binary forms, fields, the constructor, EAVT order,
-- datom_hash and merkle_root, and every error path with its SQLSTATE (docs/datom.md).
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(92);

-- Binary receive is reached through binary COPY of a bytea field into a datom column.
CREATE TEMP TABLE recv_in (b bytea);
CREATE TEMP TABLE recv_out (d datom);
CREATE FUNCTION pg_temp.recv(bytes bytea) RETURNS datom LANGUAGE plpgsql AS $$
DECLARE
    f text := '/tmp/persistence_tap_datom_recv_' || pg_backend_pid() || '.bin';
    result datom;
BEGIN
    TRUNCATE recv_in, recv_out;
    INSERT INTO recv_in VALUES (bytes);
    EXECUTE format('COPY recv_in TO %L (FORMAT binary)', f);
    EXECUTE format('COPY recv_out FROM %L (FORMAT binary)', f);
    SELECT d INTO result FROM recv_out;
    RETURN result;
END $$;
-- The SQLSTATE recv raises for bytes, or 'ok'.
CREATE FUNCTION pg_temp.recv_state(bytes bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_temp.recv(bytes);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
CREATE FUNCTION pg_temp.le8(x bigint) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode(string_agg(substr(h, 15 - 2 * i, 2), '' ORDER BY i), 'hex')
      FROM (SELECT lpad(to_hex(x), 16, '0') AS h) s, generate_series(0, 7) i
$$;
CREATE FUNCTION pg_temp.le4(x int) RETURNS bytea LANGUAGE sql AS $$
    SELECT substr(pg_temp.le8(x), 1, 4)
$$;

-- Wire form of the payload fields (docs/datom.md): version, then the payload.
CREATE FUNCTION pg_temp.wire(tx bigint, tx_time bigint, valid_from bigint, valid_to bigint,
                             e bytea, a bytea, v bytea, op int, reserved bytea DEFAULT '\x00000000000000')
RETURNS bytea LANGUAGE sql AS $$
    SELECT '\x01'::bytea
        || pg_temp.le8(tx) || pg_temp.le8(tx_time) || pg_temp.le8(valid_from) || pg_temp.le8(valid_to)
        || pg_temp.le4(length(e)) || pg_temp.le4(length(a)) || set_byte('\x00'::bytea, 0, op) || reserved
        || e || a || v
$$;
CREATE TEMP TABLE sample (id int, d datom);
INSERT INTO sample VALUES
  (1, '#datom ["e1" :project/wacc 0.087M 5 #inst "2026-04-14T00:00:00.000Z" #inst "2026-04-14T00:00:00Z" nil :assert]'),
  (2, '#datom [#uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6" :person/name "Ana" 42 #inst "2026-01-01T00:00:00Z" #inst "1970-01-01T00:00:00Z" #inst "1970-01-01T00:00:01Z" :retract]'),
  (3, '#datom ["é" :a {:k #{1 2} "s" [nil 1.5 2M]} -1 #inst "2000-01-01T00:00:00Z" #inst "0000-01-01T00:00:00Z" #inst "9999-12-31T23:59:59.999999Z" :assert]');

-- Reading and printing -------------------------------------------------------------------
SELECT is((SELECT d::text FROM sample WHERE id = 1),
          '#datom ["e1" :project/wacc 0.087M 5 #inst "2026-04-14T00:00:00.000Z" #inst "2026-04-14T00:00:00.000Z" nil :assert]',
          'datom prints canonically');
SELECT is((SELECT datom_e(d) FROM sample WHERE id = 2), 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'a #uuid e becomes its lower-case text');
SELECT ok((SELECT d::text LIKE '#datom ["f81d4fae-%' FROM sample WHERE id = 2), 'e prints as a string');
SELECT is((SELECT count(*) FROM sample WHERE d::text::datom = d), 3::bigint, 'text → datom → text round trips');

-- Text errors ------------------------------------------------------------------------------
SELECT throws_ok($$SELECT '["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22P02', NULL, 'untagged vector: 22P02');
SELECT throws_ok($$SELECT '#fact ["e1"]'::datom$$, '22P02', NULL, 'another tag: 22P02');
SELECT throws_ok($$SELECT '#datom ("e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert)'::datom$$,
                 '22P02', NULL, 'a list instead of a vector: 22P02');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil]'::datom$$,
                 '22P02', NULL, 'seven elements: 22P02');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert 9]'::datom$$,
                 '22P02', NULL, 'nine elements: 22P02');
SELECT throws_like($$SELECT '#datom [e1 :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                   '%element 1 (e) must be a string or a #uuid, got a symbol%', 'e as a symbol: names element 1');
SELECT throws_ok($$SELECT '#datom [1 :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22P02', NULL, 'e as an integer: 22P02');
SELECT throws_ok($$SELECT '#datom ["" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22P02', NULL, 'empty e: 22P02');
SELECT throws_ok($$SELECT '#datom ["a\u0000" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22P02', NULL, 'e with U+0000: 22P02');
SELECT throws_like($$SELECT '#datom ["e1" "a" 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                   '%element 2 (a) must be a keyword%', 'a as a string: names element 2');
SELECT throws_ok($$SELECT '#datom ["e1" a/b 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22P02', NULL, 'a as a symbol: 22P02');
SELECT throws_like($$SELECT '#datom ["e1" :a 1 "1" #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                   '%element 4 (tx) must be an integer, got a string%', 'tx as a string: names element 4');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1.5 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22P02', NULL, 'tx as a double: 22P02');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 99999999999999999999N #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22003', NULL, 'tx beyond 64 bits: 22003');
SELECT throws_like($$SELECT '#datom ["e1" :a 1 1 "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                   '%element 5 (tx-time) must be an #inst%', 'tx-time as a string: names element 5');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" nil nil :assert]'::datom$$,
                 '22P02', NULL, 'valid-from nil: 22P02');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" 0 :assert]'::datom$$,
                 '22P02', NULL, 'valid-to an integer: 22P02');
SELECT throws_like($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :add]'::datom$$,
                   '%element 8 (op) must be :assert or :retract, got :add%', 'op :add: names element 8');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil assert]'::datom$$,
                 '22P02', NULL, 'op as a symbol: 22P02');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00.0000001Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '22008', NULL, 'sub-microsecond tx-time: 22008');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00.000000001Z" nil :assert]'::datom$$,
                 '22008', NULL, 'sub-microsecond valid-from: 22008');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" #inst "2026-01-02T00:00:00.1234567Z" :assert]'::datom$$,
                 '22008', NULL, 'sub-microsecond valid-to: 22008');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" :assert]'::datom$$,
                 '22023', NULL, 'valid-from = valid-to: 22023');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-02T00:00:00Z" #inst "2026-01-01T00:00:00Z" :assert]'::datom$$,
                 '22023', NULL, 'valid-from > valid-to: 22023');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1'::datom$$, '22P02', NULL, 'unclosed vector: 22P02');
SELECT throws_ok($$SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert] x'::datom$$,
                 '22P02', NULL, 'trailing input: 22P02');
SET LOCAL persistence.edn_max_depth = 3;
SELECT lives_ok($$SELECT '#datom ["e1" :a [[[1]]] 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                'v at edn_max_depth is accepted');
SELECT throws_ok($$SELECT '#datom ["e1" :a [[[[1]]]] 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom$$,
                 '54000', NULL, 'v deeper than edn_max_depth: 54000');
RESET persistence.edn_max_depth;

-- Fields -----------------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT datom_e(d), datom_a(d), datom_v(d)::text, datom_tx(d), datom_tx_time(d), datom_valid_from(d), datom_valid_to(d), datom_op(d)
        FROM sample ORDER BY id$$,
    $$VALUES ('e1', ':project/wacc', '0.087M', 5::bigint, '2026-04-14 00:00:00+00'::timestamptz, '2026-04-14 00:00:00+00'::timestamptz, NULL::timestamptz, 'assert'),
             ('f81d4fae-7dec-11d0-a765-00a0c91e6bf6', ':person/name', '"Ana"', 42, '2026-01-01 00:00:00+00', '1970-01-01 00:00:00+00', '1970-01-01 00:00:01+00', 'retract'),
             ('é', ':a', '{"s" [nil 1.5 2M] :k #{1 2}}', -1, '2000-01-01 00:00:00+00', '0001-01-01 00:00:00+00 BC', '9999-12-31 23:59:59.999999+00', 'assert')$$,
    'every field of every sample datom');

-- The constructor -------------------------------------------------------------------------
SELECT is(datom('e1', 'project/wacc', '0.087M', 5, '2026-04-14 00:00+00', '2026-04-14 00:00+00', NULL, 'assert'),
          (SELECT d FROM sample WHERE id = 1), 'datom(...) adds the colon; NULL valid_to is open');
SELECT is(datom('e1', ':project/wacc', '0.087M', 5, '2026-04-14 00:00+00', '2026-04-14 00:00+00', NULL, 'assert'),
          (SELECT d FROM sample WHERE id = 1), 'datom(...) keeps a given colon');
SELECT is(datom('f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'person/name', '"Ana"', 42, '2026-01-01Z', '1970-01-01Z', '1970-01-01 00:00:01Z', 'retract'),
          (SELECT d FROM sample WHERE id = 2), 'datom(...) builds a retraction with a closed interval');
SELECT ok(datom('e', 'a', '1', 1, NULL, '2026-01-01Z', NULL, 'assert') IS NULL, 'a NULL tx_time gives NULL');
SELECT ok(datom('e', 'a', NULL, 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert') IS NULL, 'a NULL v gives NULL');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'add')$$, '22023', NULL, 'bad op: 22023');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, ':assert')$$, '22023', NULL, 'op with a colon: 22023');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, 'infinity', '2026-01-01Z', NULL, 'assert')$$, '22008', NULL, 'infinite tx_time: 22008');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '-infinity', NULL, 'assert')$$, '22008', NULL, 'infinite valid_from: 22008');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', 'infinity', 'assert')$$, '22008', NULL, 'infinite valid_to: 22008 (NULL is open)');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '10000-01-01Z', NULL, 'assert')$$, '22008', NULL, 'year 10000: 22008');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '4000-01-01 00:00+00 BC', '2026-01-01Z', NULL, 'assert')$$, '22008', NULL, 'year 4000 BC: 22008');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', '2026-01-01Z', 'assert')$$, '22023', NULL, 'valid_from = valid_to: 22023');
SELECT throws_ok($$SELECT datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-02Z', '2026-01-01Z', 'assert')$$, '22023', NULL, 'valid_from > valid_to: 22023');
SELECT throws_ok($$SELECT datom('', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')$$, '22023', NULL, 'empty e: 22023');
SELECT throws_ok($$SELECT datom('e', 'not a keyword', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')$$, '22023', NULL, 'a not a keyword: 22023');

-- Binary form -------------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM sample WHERE pg_temp.recv(datom_send(d)) = d), 3::bigint, 'send → recv round trips');
SELECT is((SELECT count(*) FROM sample WHERE datom_send(pg_temp.recv(datom_send(d))) = datom_send(d)), 3::bigint,
          'send → recv → send gives the same bytes');
SELECT is((SELECT count(*) FROM sample WHERE pg_temp.recv(datom_send(d::text::datom))::text = d::text), 3::bigint,
          'text → binary → text round trips');
SELECT is(pg_temp.wire(5, 1776124800000000, 1776124800000000, 9223372036854775807, 'e1', ':project/wacc', '\x13020000002b030000003837', 1),
          (SELECT datom_send(d) FROM sample WHERE id = 1), 'the wire form is the documented layout');
SELECT is(pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', ':a', '\x00', 0))::text,
          '#datom ["e" :a nil 7 #inst "1970-01-01T00:00:00.000Z" #inst "1970-01-01T00:00:00.000Z" #inst "1970-01-01T00:00:00.000001Z" :retract]',
          'recv of a hand-built payload');
SELECT throws_ok($$SELECT pg_temp.recv('\x02'::bytea || substr(datom_send(d), 2)) FROM sample WHERE id = 1$$, '22P03', NULL, 'recv: unknown version');
SELECT throws_ok($$SELECT pg_temp.recv('\x01'::bytea)$$, '22P03', NULL, 'recv: no payload');
SELECT is((SELECT count(*) FROM sample, generate_series(1, length(datom_send(d)) - 1) n
            WHERE pg_temp.recv_state(substr(datom_send(d), 1, n)) <> '22P03'), 0::bigint,
          'recv: every truncation of every sample is 22P03');
SELECT throws_ok($$SELECT pg_temp.recv(datom_send(d) || '\x00'::bytea) FROM sample WHERE id = 1$$, '22P03', NULL, 'recv: a trailing byte');
SELECT throws_ok($$SELECT pg_temp.recv('\x01'::bytea || sha256('a') || sha256('b') || sha256('c'))$$, '22P03', NULL, 'recv: garbage');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', ':a', '\x00', 0, '\x00000000000001'))$$, '22P03', NULL, 'recv: a reserved byte set');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', ':a', '\x00', 2))$$, '22P03', NULL, 'recv: op byte 2');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, '', ':a', '\x00', 1))$$, '22P03', NULL, 'recv: empty e');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, '\xc328', ':a', '\x00', 1))$$, '22021', NULL, 'recv: invalid UTF-8 in e');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e\000x', ':a', '\x00', 1))$$, '22P03', NULL, 'recv: U+0000 in e');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', 'a/b', '\x00', 1))$$, '22P03', NULL, 'recv: a without its colon');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', ':a b', '\x00', 1))$$, '22P03', NULL, 'recv: a not a keyword');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', ':a', '\x7f', 1))$$, '22P03', NULL, 'recv: v with an unknown tag');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 1, 'e', ':a', '\x2102000000c328', 1))$$, '22021', NULL, 'recv: v with invalid UTF-8');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 5, 5, 5, 'e', ':a', '\x00', 1))$$, '22P03', NULL, 'recv: valid_from = valid_to');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 253402300800000000, 0, 1, 'e', ':a', '\x00', 1))$$, '22P03', NULL, 'recv: tx_time after 9999');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, -62167219200000001, 1, 'e', ':a', '\x00', 1))$$, '22P03', NULL, 'recv: valid_from before 0000');
SELECT throws_ok($$SELECT pg_temp.recv(pg_temp.wire(7, 0, 0, 9223372036854775806, 'e', ':a', '\x00', 1))$$, '22P03', NULL, 'recv: valid_to out of range and not open');
SET LOCAL persistence.edn_max_depth = 1;
SELECT throws_ok($$SELECT pg_temp.recv(datom_send(d)) FROM sample WHERE id = 3$$, '54000', NULL, 'recv: v deeper than edn_max_depth');
RESET persistence.edn_max_depth;

-- Order and equality ---------------------------------------------------------------------
CREATE TEMP TABLE ordered (rank int, d datom);
INSERT INTO ordered VALUES
  (1, datom('a',  'x', '1',   1, '2026-01-01Z', '2026-01-01Z', '2026-02-01Z', 'assert')),
  (2, datom('a',  'x', '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'retract')),
  (3, datom('a',  'x', '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
  (4, datom('a',  'x', '1',   1, '2026-01-01Z', '2026-01-02Z', NULL, 'assert')),
  (5, datom('a',  'x', '1',   1, '2026-01-02Z', '2026-01-01Z', NULL, 'assert')),
  (6, datom('a',  'x', '1',   2, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
  (7, datom('a',  'x', '2',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
  (8, datom('a',  'x', '"1"', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
  (9, datom('a',  'y', '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
  (10, datom('b', 'x', '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'));
SELECT results_eq($$SELECT rank FROM ordered ORDER BY d DESC$$, $$SELECT generate_series(10, 1, -1)$$,
                  'ORDER BY follows EAVT, then tx-time, valid-from, valid-to, op');
CREATE INDEX ON ordered (d);
SET LOCAL enable_seqscan = off;
SELECT results_eq($$SELECT rank FROM ordered WHERE d > (SELECT d FROM ordered WHERE rank = 7) ORDER BY d$$,
                  $$VALUES (8), (9), (10)$$, 'a btree range scan');
RESET enable_seqscan;
SELECT ok((SELECT bool_and(x.d < y.d AND x.d <= y.d AND x.d <> y.d AND y.d > x.d AND y.d >= x.d AND datom_cmp(x.d, y.d) = -1)
             FROM ordered x JOIN ordered y ON x.rank < y.rank), 'operators agree with the ranks for all pairs');
SELECT ok((SELECT bool_and(x.d = y.d AND datom_cmp(x.d, y.d) = 0 AND NOT x.d <> y.d) FROM ordered x JOIN ordered y ON x.rank = y.rank),
          'every datom equals itself');
SELECT is((SELECT count(DISTINCT d) FROM (SELECT d FROM ordered UNION ALL SELECT d FROM ordered) s), 10::bigint, 'DISTINCT');

-- datom_hash --------------------------------------------------------------------------------
-- python3 -c "import hashlib,struct;v=hashlib.sha256(bytes.fromhex('13020000002b030000003837')).digest();e=b'e1';a=b':project/wacc';print(hashlib.sha256(b'\x01'+struct.pack('>I',len(e))+e+struct.pack('>I',len(a))+a+v+struct.pack('>qqq',5,1776124800000000,2**63-1)+b'\x01').hexdigest())"
SELECT is((SELECT encode(datom_hash(d), 'hex') FROM sample WHERE id = 1),
          'b6436e4e908980e70db8bd17e715fe2c572415bb32f9e109f01db671f04ef41d', 'datom_hash: the python-computed vector');
SELECT is((SELECT encode(datom_hash(d), 'hex') FROM sample WHERE id = 2),
          '66c9c88f9de8ec91f6fe9865fa8e5c47cad160ac361710bface133228ce837e0', 'datom_hash: a retraction with a closed interval');
SELECT is((SELECT count(*) FROM sample WHERE datom_hash(pg_temp.recv(datom_send(d))) = datom_hash(d)), 3::bigint,
          'datom_hash survives send/recv');
SELECT is(datom_hash(datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
          datom_hash(datom('e', 'a', '1', 1, '2030-01-01Z', '2026-01-01Z', NULL, 'assert')), 'tx_time is not hashed');
SELECT isnt(datom_hash(datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
            datom_hash(datom('e', 'a', '1', 2, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')), 'tx is hashed');
SELECT isnt(datom_hash(datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
            datom_hash(datom('e', 'a', '1.0', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')), 'v is hashed');

-- merkle_root ------------------------------------------------------------------------------
SELECT is(encode(merkle_root('{}'), 'hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'merkle_root of nothing is SHA-256 of nothing');
SELECT is(merkle_root(ARRAY[sha256('\x00')]), sha256('\x00'::bytea || sha256('\x00')), 'one leaf: its leaf hash');
-- python3 -c "import hashlib;H=lambda b:hashlib.sha256(b).digest();L=[H(b'\0'+H(bytes([i]))) for i in range(3)];print(H(b'\1'+H(b'\1'+L[0]+L[1])+L[2]).hex())"
SELECT is(encode(merkle_root(ARRAY[sha256('\x00'), sha256('\x01'), sha256('\x02')]), 'hex'),
          'd1f13800048f5909d4043fc0c152f6643280cba608b672715e56ce159a20629f', 'three leaves: the python-computed root');
SELECT is(merkle_root(ARRAY[sha256('\x00'), sha256('\x01')]),
          sha256('\x01'::bytea || sha256('\x00'::bytea || sha256('\x00')) || sha256('\x00'::bytea || sha256('\x01'))),
          'two leaves: node(leaf, leaf)');
SELECT throws_ok($$SELECT merkle_root(ARRAY[sha256('\x00'), NULL])$$, '22004', NULL, 'merkle_root: a NULL element');
SELECT throws_ok($$SELECT merkle_root(ARRAY['\x00'::bytea])$$, '22023', NULL, 'merkle_root: a short element');
SELECT throws_ok($$SELECT merkle_root(ARRAY[sha256('\x00') || '\x00'::bytea])$$, '22023', NULL, 'merkle_root: a long element');
SELECT throws_ok($$SELECT merkle_root(ARRAY[[sha256('\x00')]])$$, '22023', NULL, 'merkle_root: a 2-D array');

SELECT * FROM finish();
ROLLBACK;
