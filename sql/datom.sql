-- persistence.datom: text form, fields, constructor, binary form, EAVT order, the content
-- hash and merkle_root (docs/datom.md).
\set SHOW_CONTEXT never
SET search_path = persistence, public;
SET timezone = 'UTC';

-- Reading and canonical printing --------------------------------------------------------
SELECT d::datom AS canonical FROM (VALUES
  ('#datom ["e1" :project/wacc 0.087M 5 #inst "2026-04-14T00:00:00.000Z" #inst "2026-04-14T00:00:00Z" nil :assert]'),
  ('#datom [#uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6" :person/name "Ana" 42
            #inst "2026-01-01T00:00:00Z" #inst "1970-01-01T00:00:00Z" #inst "1970-01-01T00:00:01Z" :retract]'),
  ('#datom ["e2", :plain, {:b [1 2] :a #{3 1}}, -9, #inst "2026-11-25T12:30:00+02:00",
            #inst "2026-11-25T10:30:00.5Z" #_ ignored, #inst "2027-01-01T00:00:00.000001Z", :assert] ; comment'),
  ('#datom ["\"quoted\" é" :a/b #my/tag nil 0 #inst "0000-01-01T00:00:00Z" #inst "0000-01-01T00:00:00Z"
            #inst "9999-12-31T23:59:59.999999Z" :assert]')
) AS t(d);
-- text → datom → text is stable
SELECT d::datom::text::datom::text = d::datom::text AS stable
  FROM (VALUES ('#datom ["x" :k/v [1 2.5 3M] 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :retract]')) AS t(d);

-- Shape errors: 22P02 naming the element ---------------------------------------------------
SELECT '["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#fact ["e1"]'::datom;
SELECT '#datom {:e "e1"}'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil]'::datom;
SELECT '#datom [e1 :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#datom ["" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#datom ["e1" "a" 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#datom ["e1" :a 1 1.0 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#datom ["e1" :a 1 1 "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" nil nil :assert]'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" 0 :assert]'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :add]'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil "assert"]'::datom;
-- The reader's own errors pass through
SELECT '#datom ["e1" :a 1 1'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-02-30T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
-- tx beyond 64 bits: 22003
SELECT '#datom ["e1" :a 1 9223372036854775808N #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
-- Sub-microsecond instants are rejected, never rounded: 22008
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00.0000001Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00.123456789Z" nil :assert]'::datom;
-- An empty valid interval: 22023
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" :assert]'::datom;
SELECT '#datom ["e1" :a 1 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-02T00:00:00Z" #inst "2026-01-01T00:00:00Z" :assert]'::datom;
-- The EDN limits apply to v (not to the #datom wrapper around it)
SET persistence.edn_max_depth = 3;
SELECT '#datom ["e1" :a [[[1]]] 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom AS at_the_limit;
SELECT '#datom ["e1" :a [[[[1]]]] 1 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :assert]'::datom;
RESET persistence.edn_max_depth;

-- Fields ---------------------------------------------------------------------------------
CREATE TABLE facts (id int PRIMARY KEY, d datom NOT NULL);
INSERT INTO facts VALUES
  (1, '#datom ["e1" :project/wacc 0.087M 5 #inst "2026-04-14T00:00:00Z" #inst "2026-04-14T00:00:00Z" nil :assert]'),
  (2, '#datom [#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6" :person/name "Ana" 42 #inst "2026-01-01T00:00:00Z" #inst "1970-01-01T00:00:00Z" #inst "1970-01-01T00:00:01Z" :retract]'),
  (3, '#datom ["e1" :project/wacc 0.091M 6 #inst "2026-04-15T00:00:00.123456Z" #inst "2026-04-15T00:00:00Z" #inst "2026-05-01T00:00:00Z" :assert]');
SELECT id, datom_e(d) AS e, datom_a(d) AS a, datom_v(d) AS v, datom_tx(d) AS tx, datom_tx_time(d) AS tx_time,
       datom_valid_from(d) AS valid_from, datom_valid_to(d) AS valid_to, datom_op(d) AS op
  FROM facts ORDER BY id;
SELECT pg_typeof(datom_v(d)) AS v_type, datom_valid_to(d) IS NULL AS open FROM facts WHERE id = 1;

-- The constructor ----------------------------------------------------------------------
SELECT datom('e1', 'project/wacc', '0.087M', 5, '2026-04-14 00:00+00', '2026-04-14 00:00+00', NULL, 'assert') AS built;
SELECT datom('e1', ':project/wacc', '0.087M', 5, '2026-04-14 02:00+02', '2026-04-14 00:00+00', NULL, 'assert')
       = (SELECT d FROM facts WHERE id = 1) AS same_as_text;
SELECT datom('é', 'a', '[1 "x"]', -1, '2000-01-01 00:00+00', '0001-01-01 00:00+00 BC', '9999-12-31 23:59:59.999999+00', 'retract');
-- Any NULL but valid_to gives NULL
SELECT datom(NULL, 'a', '1', 1, now(), now(), NULL, 'assert') IS NULL AS null_e,
       datom('e', 'a', '1', 1, now(), now(), NULL, NULL) IS NULL AS null_op;
-- Errors
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'add');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'ASSERT');
SELECT datom('e1', 'a', '1', 1, 'infinity', '2026-01-01Z', NULL, 'assert');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '-infinity', NULL, 'assert');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', 'infinity', 'assert');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '10000-01-01Z', NULL, 'assert');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '0002-01-01 BC', NULL, 'assert');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', '2026-01-01Z', 'assert');
SELECT datom('e1', 'a', '1', 1, '2026-01-01Z', '2026-01-02Z', '2026-01-01Z', 'assert');
SELECT datom('', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert');
SELECT datom('e1', '', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert');
SELECT datom('e1', 'a b', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert');
SELECT datom('e1', '::a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert');

-- Binary form: version 1, then the payload (docs/datom.md) -----------------------------
SELECT encode(datom_send(d), 'hex') AS wire FROM facts WHERE id = 1;

-- Order: EAVT, then tx-time, valid-from, valid-to, op; = is equality in every field -------
CREATE TABLE ordered (d datom);
INSERT INTO ordered SELECT datom(e, a, v::edn, tx, t, vf, vt, op) FROM (VALUES
  ('b',  ':x',   '1',   1, '2026-01-01Z'::timestamptz, '2026-01-01Z'::timestamptz, NULL::timestamptz, 'assert'),
  ('a',  ':y',   '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'),
  ('a',  ':x',   '2',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'),
  ('a',  ':x',   '1',   2, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'),
  ('a',  ':x',   '1',   1, '2026-01-02Z', '2026-01-01Z', NULL, 'assert'),
  ('a',  ':x',   '1',   1, '2026-01-01Z', '2026-01-02Z', NULL, 'assert'),
  ('a',  ':x',   '1',   1, '2026-01-01Z', '2026-01-01Z', '2026-02-01Z', 'assert'),
  ('a',  ':x',   '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'retract'),
  ('a',  ':x',   '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'),
  ('a',  ':x',   '1.0', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'),
  ('a0', ':x',   '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'),
  ('a',  ':x',   '1',   1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')
) AS t(e, a, v, tx, t, vf, vt, op);
SELECT d FROM ordered ORDER BY d;
SELECT count(*) AS total, count(DISTINCT d) AS distinct_datoms FROM ordered;
SELECT a.d < b.d AS lt, a.d <= b.d AS le, a.d = b.d AS eq, a.d <> b.d AS ne, a.d >= b.d AS ge, a.d > b.d AS gt,
       datom_cmp(a.d, b.d) AS cmp
  FROM (VALUES (datom('a', 'x', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'retract'))) AS a(d),
       (VALUES (datom('a', 'x', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'retract')),
               (datom('a', 'x', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert')),
               (datom('a', 'x', '0', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'))) AS b(d);
-- A btree index answers ordered and equality scans
CREATE INDEX ordered_eavt ON ordered (d);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT d FROM ordered WHERE d = datom('a', 'x', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert');
SELECT count(*) AS found FROM ordered WHERE d = datom('a', 'x', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert');
SELECT datom_e(d) AS e, datom_a(d) AS a FROM ordered WHERE d >= '#datom ["a0" :a nil 0 #inst "2026-01-01T00:00:00Z" #inst "2026-01-01T00:00:00Z" nil :retract]' ORDER BY d;
RESET enable_seqscan;
-- Merge join on =
SET enable_hashjoin = off;
SET enable_nestloop = off;
SELECT count(*) AS pairs FROM ordered x JOIN ordered y ON x.d = y.d;
RESET enable_hashjoin;
RESET enable_nestloop;

-- The content hash ------------------------------------------------------------------
-- Vectors computed independently with python3 hashlib (see test/unit/test_datom.cpp).
SELECT id, encode(datom_hash(d), 'hex') AS datom_hash FROM facts WHERE id IN (1, 2) ORDER BY id;
-- tx_time is not hashed; every other field is; v enters as edn_hash(v)
SELECT datom_hash(datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'))
     = datom_hash(datom('e', 'a', '1', 1, '2027-01-01Z', '2026-01-01Z', NULL, 'assert')) AS tx_time_not_hashed,
       datom_hash(datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'assert'))
     = datom_hash(datom('e', 'a', '1', 1, '2026-01-01Z', '2026-01-01Z', NULL, 'retract')) AS op_hashed;
SELECT encode(sha256(
         '\x01'::bytea
         || int4send(octet_length(datom_e(d))) || convert_to(datom_e(d), 'UTF8')
         || int4send(octet_length(datom_a(d))) || convert_to(datom_a(d), 'UTF8')
         || edn_hash(datom_v(d))
         || int8send(datom_tx(d))
         || int8send(((extract(epoch FROM datom_valid_from(d)) * 1000000)::bigint))
         || int8send(coalesce((extract(epoch FROM datom_valid_to(d)) * 1000000)::bigint, 9223372036854775807))
         || CASE datom_op(d) WHEN 'assert' THEN '\x01'::bytea ELSE '\x00'::bytea END), 'hex')
       = encode(datom_hash(d), 'hex') AS recomputed_in_sql
  FROM facts ORDER BY id;

-- merkle_root (RFC 6962) ----------------------------------------------------------------
SELECT encode(merkle_root('{}'), 'hex') AS empty_tree;
SELECT merkle_root(ARRAY[sha256('\x00')]) = sha256('\x00'::bytea || sha256('\x00')) AS one_leaf_is_its_leaf_hash;
SELECT encode(merkle_root(ARRAY[sha256('\x00'), sha256('\x01'), sha256('\x02')]), 'hex') AS three_leaves;
SELECT encode(merkle_root(array_agg(datom_hash(d) ORDER BY id)), 'hex') AS facts_root FROM facts;
SELECT merkle_root(ARRAY[sha256('\x00'), NULL]);
SELECT merkle_root(ARRAY['\x0001'::bytea]);
SELECT merkle_root(ARRAY[[sha256('\x00')], [sha256('\x01')]]);
SELECT merkle_root(NULL) IS NULL AS strict;

DROP TABLE facts, ordered;
