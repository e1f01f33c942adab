-- persistence.transact and the readers (module fact, DESIGN.md §4): the seed example, the
-- bitemporal matrix, history, cardinality many, unique attributes and schema migrations,
-- :db/cas, retractions, refs, the jsonb overload, error paths and the log's immutability.
-- tx ids are never printed (other suites may transact first); they are named via \gset.
-- tx_time is the clock: only comparisons with it are printed.
\set SHOW_CONTEXT never
SET search_path = persistence, public;
SET timezone = 'UTC';
CREATE TEMP TABLE txn (name text PRIMARY KEY, tx bigint NOT NULL);
CREATE FUNCTION pg_temp.tn(x bigint) RETURNS text LANGUAGE sql AS $$ SELECT coalesce((SELECT name FROM txn WHERE tx = x), '?') $$;

-- The seed example ------------------------------------------------------------------------------
INSERT INTO txn SELECT 'tx1', transact('[[:db/add "proj" :project/wacc 0.087M {:valid-from #inst "2026-04-14T00:00:00Z"}]]');
INSERT INTO txn SELECT 'tx2', transact('[[:db/add "proj" :project/wacc 0.091M {:valid-from #inst "2026-04-19T00:00:00Z"}]]');
SELECT tx AS tx1 FROM txn WHERE name = 'tx1' \gset
SELECT tx AS tx2 FROM txn WHERE name = 'tx2' \gset
SELECT :tx2 > :tx1 AS increasing;
SELECT e, a, v, valid_from, valid_to, op FROM valid_at('2026-04-15T00:00:00Z');
SELECT e, a, v, valid_from, valid_to, op FROM valid_at('2026-04-20T00:00:00Z');
SELECT entity('proj', :tx1) AS as_of_tx1, entity('proj', :tx2) AS as_of_tx2;
SELECT e, a, v, pg_temp.tn(tx) AS tx, valid_from, valid_to, op FROM as_of(:tx1);
SELECT e, a, v, pg_temp.tn(tx) AS tx, valid_from, valid_to, op FROM as_of(:tx2);
INSERT INTO txn SELECT 'tx3', transact('[[:db/add "proj" :project/wacc 0.085M {:valid-from #inst "2026-04-15T00:00:00Z" :valid-to #inst "2026-04-17T00:00:00Z"}]]');
INSERT INTO txn SELECT 'tx4', transact('[[:db/add "proj" :project/wacc 0.080M {:valid-from #inst "2026-04-10T00:00:00Z"}]]');
SELECT tx AS tx3 FROM txn WHERE name = 'tx3' \gset
-- What was known at each tx, at each valid instant, by entity() and by valid_at() (they agree).
SELECT x.name AS as_of, to_char(i.vt, 'MM-DD') AS valid,
       entity('proj', x.tx, i.vt) -> ':project/wacc' AS by_entity,
       (SELECT s.v FROM valid_at(i.vt, x.tx) s WHERE s.e = 'proj') AS by_valid_at
FROM txn x, (VALUES ('2026-04-12T00:00:00Z'::timestamptz), ('2026-04-15T00:00:00Z'), ('2026-04-16T00:00:00Z'),
                    ('2026-04-18T00:00:00Z'), ('2026-04-20T00:00:00Z')) AS i(vt)
ORDER BY x.tx, i.vt;
-- The companion retractions and re-assertions, retractions first within a tx.
SELECT pg_temp.tn(tx) AS tx, a, v, valid_from, valid_to, op FROM history('proj');
SELECT pg_temp.tn(tx) AS tx, datom_count FROM transactions WHERE tx IN (SELECT tx FROM txn) ORDER BY tx;
SELECT count(*) FROM history('proj', 'project/wacc');
SELECT pg_temp.tn(tx) AS tx, count(*) FROM since(:tx2) GROUP BY tx ORDER BY tx;
SELECT resolve_tx('1900-01-01T00:00:00Z') AS before_everything,
       pg_temp.tn(resolve_tx((SELECT tx_time FROM transactions WHERE tx = :tx3))) AS at_tx3_time;
SELECT bool_and(tx_root(tx) = merkle_root) AS roots_ok FROM transactions;
SELECT bool_and(hash = _datom_hash(e, a, vh, tx, valid_from, valid_to, is_assert)) AS hashes_ok FROM datoms;

-- Cardinality many --------------------------------------------------------------------------------
SELECT define_attribute('doc/tags', 'string', 'many', NULL, 'free tags') > 0 AS defined;
SELECT ident, value_type, cardinality, "unique", doc, spec FROM attribute_as_of('doc/tags');
SELECT transact('[[:db/add "d1" :doc/tags "beta"] [:db/add "d1" :doc/tags "alpha"] {:db/id "d1" :doc/tags ["delta" "gamma"]}]') > 0 AS ok;
SELECT entity('d1');
SELECT transact('[[:db/retract "d1" :doc/tags "beta"]]') > 0 AS ok;
SELECT entity('d1');
-- Migrations: one -> many allowed, many -> one and type changes refused.
SELECT define_attribute('doc/title', 'string') > 0 AS defined;
SELECT define_attribute('doc/title', 'string', 'many') > 0 AS migrated;
SELECT define_attribute('doc/title', 'string', 'one');
SELECT define_attribute('doc/title', 'int', 'many');
SELECT define_attribute('doc/x', 'text');
SELECT define_attribute('doc/x', 'string', 'few');
SELECT define_attribute('doc/x', 'string', 'one', 'primary');
SELECT define_attribute(':db/x', 'string');
SELECT define_attribute(NULL, 'string');

-- Unique identity (upsert) and unique value ---------------------------------------------------------
SELECT define_attribute('usr/email', 'string', 'one', 'identity') > 0 AS defined;
SELECT transact('[{:db/id "usr-1" :usr/email "ann@example.org" :usr/name "Ann"}]') > 0 AS ok;
SELECT transact('[{:db/id "usr-new" :usr/email "ann@example.org" :usr/name "Annie"}]') > 0 AS ok;
SELECT entity('usr-1') AS existing, entity('usr-new') AS new_id;
SELECT define_attribute('usr/ssn', 'string', 'one', 'value') > 0 AS defined;
SELECT transact('[[:db/add "usr-1" :usr/ssn "123"]]') > 0 AS ok;
\set VERBOSITY sqlstate
SELECT transact('[[:db/add "usr-2" :usr/ssn "123"]]');
\set VERBOSITY default
SELECT transact('[{:db/id "nick-1" :usr/nick "zed"} {:db/id "nick-2" :usr/nick "zed"}]') > 0 AS ok;
SELECT define_attribute('usr/nick', 'string', 'one', 'value');

-- :db/cas -------------------------------------------------------------------------------------------
SELECT transact('[[:db/add "acct" :acct/balance 100]]') > 0 AS ok;
SELECT transact('[[:db/cas "acct" :acct/balance 100 150]]') > 0 AS ok;
SELECT count(*) AS datoms_before FROM datoms \gset
\set VERBOSITY sqlstate
SELECT transact('[[:db/add "acct" :acct/owner "x"] [:db/cas "acct" :acct/balance 100 200]]');
\set VERBOSITY default
SELECT count(*) = :datoms_before AS nothing_written FROM datoms;
SELECT entity('acct');
SELECT transact('[[:db/cas "fresh" :acct/balance nil 1]]') > 0 AS cas_nil_ok;
\set VERBOSITY sqlstate
SELECT transact('[[:db/cas "fresh" :acct/balance nil 2]]');
\set VERBOSITY default

-- Retractions ----------------------------------------------------------------------------------------
SELECT transact('[{:db/id "ret" :ret/a 1 :ret/b 2 :ret/c 3 :ret/d 4}]') > 0 AS ok;
SELECT transact('[[:db/retract "ret" :ret/a 1] [:db/retract "ret" :ret/b] [:db/retract "ret" :ret/c nil]]') > 0 AS ok;
SELECT entity('ret');
SELECT transact('[[:db/retract "ret" :ret/d 99]]') AS t \gset
SELECT datom_count AS absent_value_retracted FROM transactions WHERE tx = :t;
SELECT transact('[[:db/add "ret" :ret/d 4]]') AS t \gset
SELECT datom_count AS same_value_reasserted FROM transactions WHERE tx = :t;
SELECT transact('[[:db/retractEntity "ret"]]') > 0 AS ok;
SELECT entity('ret');

-- Refs -------------------------------------------------------------------------------------------------
SELECT define_attribute('x/parent', 'ref') > 0 AS defined;
SELECT transact('[{:db/id "target" :x/label "T"} {:db/id "child" :x/parent "target"}]') > 0 AS ok;
SELECT entity('child', depth => 0) AS depth0, entity('child', depth => 1) AS depth1;
SELECT e, a, v, op FROM datoms('vaet', '["target"]');

-- jsonb -----------------------------------------------------------------------------------------------
SELECT transact('[{"db/id":"j1","person/name":"Ann","person/age":3}]'::jsonb) > 0 AS ok;
SELECT transact('[["db/add","j1","person/name","Bob",{"valid-from":"2026-01-01T00:00:00Z"}]]'::jsonb) > 0 AS ok;
SELECT define_attribute('jt/at', 'instant') > 0 AND define_attribute('jt/kw', 'keyword') > 0
       AND define_attribute('jt/id', 'uuid') > 0 AS defined;
SELECT transact('[{"db/id":"j1","jt/at":"2026-01-01T10:00:00+01:00","jt/kw":"status/open","jt/id":"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"}]'::jsonb) > 0 AS ok;
SELECT entity('j1');
SELECT transact('{"db/id":"j1"}'::jsonb);
SELECT transact('[["db/add","j1"]]'::jsonb);

-- Malformed tx data -----------------------------------------------------------------------------------
SELECT transact('{:db/id "e"}');
SELECT transact('[[:db/frob "e" :a/b 1]]');
SELECT transact('[[:db/add "e" :a/b]]');
SELECT transact('[[:db/add :e :a/b 1]]');
SELECT transact('[[:db/add "e" "a/b" 1]]');
SELECT transact('[[:db/add "e" :a/b 1 {:valid-since #inst "2026-01-01T00:00:00Z"}]]');
SELECT transact('[[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-02T00:00:00Z" :valid-to #inst "2026-01-01T00:00:00Z"}]]');
SELECT transact('[[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-01T00:00:00.0000001Z"}]]');
SELECT transact(NULL::edn);
SELECT transact('[[:db/add "e" :a/b 1]]', 'no-such-branch');
SELECT transact('[[:db/add "e" :doc/title 5]]');
SET persistence.strict_schema = on;
SELECT transact('[[:db/add "e" :undefined/attr 1]]');
RESET persistence.strict_schema;

-- Reader errors ----------------------------------------------------------------------------------------
SELECT * FROM as_of(-1);
SELECT entity('no-such-entity') IS NULL AS unknown_entity;
SELECT entity('proj', depth => -1);
SELECT tx_root(-1);
SELECT * FROM datoms('xxxx');
SELECT * FROM datoms('eavt', '"proj"');
SELECT * FROM datoms('eavt', '[1 2 3 4]');

-- Immutability --------------------------------------------------------------------------------------
UPDATE datoms SET e = e;
DELETE FROM transactions;
TRUNCATE value_store;
UPDATE branches SET name = name;
SET session_replication_role = replica;
DELETE FROM datoms;
RESET session_replication_role;
SELECT count(*) > 0 AS still_there FROM datoms;
