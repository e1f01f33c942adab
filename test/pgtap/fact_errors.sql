-- persistence.transact error paths (every one with its SQLSTATE, nothing written) and the
-- immutability of the log tables. DESIGN.md §4; include/persistence/fact/tx_data.hpp, planner.hpp.
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(63);

-- Malformed tx data: 22P02 --------------------------------------------------------------------
SELECT throws_ok($$SELECT transact('{:db/id "e"}')$$, '22P02', NULL, 'tx_data a map: 22P02');
SELECT throws_ok($$SELECT transact('"text"')$$, '22P02', NULL, 'tx_data a string: 22P02');
SELECT throws_like($$SELECT transact('{:db/id "e"}')$$, '%must be a vector%', 'tx_data not a vector: message');
SELECT throws_ok($$SELECT transact('[1]')$$, '22P02', NULL, 'an operation that is neither vector nor map: 22P02');
SELECT throws_ok($$SELECT transact('[[]]')$$, '22P02', NULL, 'empty operation: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/frob "e" :a/b 1]]')$$, '22P02', NULL, 'unknown operation: 22P02');
SELECT throws_ok($$SELECT transact('[["db/add" "e" :a/b 1]]')$$, '22P02', NULL, 'operation name a string (EDN mode): 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b]]')$$, '22P02', NULL, ':db/add with 3 elements: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 {} 2]]')$$, '22P02', NULL, ':db/add with 6 elements: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/retract "e"]]')$$, '22P02', NULL, ':db/retract with 2 elements: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/cas "e" :a/b 1]]')$$, '22P02', NULL, ':db/cas with 4 elements: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/retractEntity]]')$$, '22P02', NULL, ':db/retractEntity with 1 element: 22P02');
SELECT throws_like($$SELECT transact('[[:db/add "e" :a/b 1] [:db/add :e :a/b 1]]')$$, 'tx_data[1][1]: entity id%',
                   'the message names the path of the bad element');
SELECT throws_ok($$SELECT transact('[[:db/add :e :a/b 1]]')$$, '22P02', NULL, 'entity id a keyword: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add 42 :a/b 1]]')$$, '22P02', NULL, 'entity id a number: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "" :a/b 1]]')$$, '22P02', NULL, 'empty entity id: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add ":a/b" :a/b 1]]')$$, '22023', NULL, 'entity id starting with a colon: 22023');
SELECT throws_ok($$SELECT transact('[[:db/add "e" "a/b" 1]]')$$, '22P02', NULL, 'attribute a string (EDN mode): 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" a/b 1]]')$$, '22P02', NULL, 'attribute a symbol: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :db/ident 1]]')$$, '22023', NULL, 'attribute in the reserved namespace db: 22023');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :db.type/x 1]]')$$, '22023', NULL, 'attribute in db.*: 22023');
SELECT throws_ok($$SELECT transact('[{:a/b 1}]')$$, '22P02', NULL, 'entity map without :db/id: 22P02');
SELECT throws_ok($$SELECT transact('[{:db/id "e" "a/b" 1}]')$$, '22P02', NULL, 'entity map with a string key: 22P02');
SELECT throws_ok($$SELECT transact('[{:db/id :e :a/b 1}]')$$, '22P02', NULL, 'entity map with a keyword :db/id: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 {:valid-since #inst "2026-01-01T00:00:00Z"}]]')$$, '22P02', NULL, 'unknown option key: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 [:valid-from]]]')$$, '22P02', NULL, 'options not a map: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 {:valid-from "2026-01-01T00:00:00Z"}]]')$$, '22P02', NULL, 'valid-from a string (EDN mode): 22P02');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-02T00:00:00Z" :valid-to #inst "2026-01-01T00:00:00Z"}]]')$$,
                 '22023', NULL, 'valid-from after valid-to: 22023');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-01T00:00:00Z" :valid-to #inst "2026-01-01T00:00:00Z"}]]')$$,
                 '22023', NULL, 'valid-from = valid-to (empty interval): 22023');
SELECT throws_ok($$SELECT transact('[{:db/id "e" :a/b 1 :db/valid-from #inst "2026-01-02T00:00:00Z" :db/valid-to #inst "2026-01-01T00:00:00Z"}]')$$,
                 '22023', NULL, 'entity map valid-from after valid-to: 22023');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1 {:valid-from #inst "2026-01-01T00:00:00.0000001Z"}]]')$$,
                 '22008', NULL, 'sub-microsecond #inst: 22008');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1] [:db/add "e" :a/b 2]]')$$, '21000', NULL,
                 'two overlapping values of a cardinality-one attribute in one tx: 21000');

-- NULL arguments, unknown branch -----------------------------------------------------------------
SELECT throws_ok($$SELECT transact(NULL::edn)$$, '22004', NULL, 'NULL tx_data: 22004');
SELECT throws_ok($$SELECT transact('[]'::edn, NULL)$$, '22004', NULL, 'NULL branch: 22004');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1]]', 'no-such-branch')$$, '42704', NULL, 'unknown branch: 42704');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :a/b 1]]', valid_from => 'infinity')$$, '22008', NULL, 'infinite valid_from: 22008');

-- Types and strict mode ----------------------------------------------------------------------------
SELECT ok(define_attribute('err/count', 'int') > 0, 'define :err/count int');
SELECT throws_ok($$SELECT transact('[[:db/add "e" :err/count "three"]]')$$, '22023', NULL, 'a string for an int attribute: 22023');
SELECT throws_ok($$SELECT transact('[{:db/id "e" :err/count 1.5}]')$$, '22023', NULL, 'a double for an int attribute: 22023');
SET LOCAL persistence.strict_schema = on;
SELECT throws_ok($$SELECT transact('[[:db/add "e" :err/undefined 1]]')$$, '42704', NULL, 'strict mode: undefined attribute 42704');
SELECT ok(transact('[[:db/add "strict-e" :err/count 1]]') > 0, 'strict mode: a defined attribute is fine');
RESET persistence.strict_schema;
SELECT ok(transact('[[:db/add "strict-e" :err/undefined 1]]') > 0, 'strict mode off: undefined attributes are any-type');

-- A failing transaction writes nothing and takes no tx id --------------------------------------------
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM datoms) AS d, (SELECT count(*) FROM transactions) AS x,
                                   (SELECT count(*) FROM value_store) AS v, transact('[]') AS tx;
SELECT throws_ok($$SELECT transact('[[:db/add "w1" :err/fresh "value-9b1e"] [:db/add "w1" :err/count "bad"]]')$$, '22023', NULL,
                 'a transaction with one bad op fails');
SELECT ok((SELECT d FROM before) = (SELECT count(*) FROM datoms), 'no datom written');
SELECT ok((SELECT x + 1 FROM before) = (SELECT count(*) FROM transactions), 'no transaction written (only the empty one)');
SELECT ok((SELECT v FROM before) = (SELECT count(*) FROM value_store), 'no value stored');
SELECT is(transact('[]'), (SELECT tx + 1 FROM before), 'the failed transaction took no tx id');
SELECT is((SELECT datom_count FROM transactions WHERE tx = (SELECT tx FROM before)), 0, 'an empty tx_data writes a transaction with 0 datoms');

-- Immutability ---------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE datoms SET e = e$$, '55000', NULL, 'UPDATE datoms: 55000');
SELECT throws_ok($$DELETE FROM datoms$$, '55000', NULL, 'DELETE datoms: 55000');
SELECT throws_ok($$TRUNCATE datoms$$, '55000', NULL, 'TRUNCATE datoms: 55000');
SELECT throws_ok($$UPDATE transactions SET datom_count = datom_count$$, '55000', NULL, 'UPDATE transactions: 55000');
SELECT throws_ok($$DELETE FROM value_store$$, '55000', NULL, 'DELETE value_store: 55000');
SELECT throws_ok($$TRUNCATE branches CASCADE$$, '55000', NULL, 'TRUNCATE branches: 55000');
SELECT throws_ok($$UPDATE branches SET name = 'x' WHERE false$$, '55000', NULL, 'UPDATE branches (even of no row): 55000');
SET LOCAL session_replication_role = replica;
SELECT throws_ok($$DELETE FROM datoms$$, '55000', NULL, 'replica role: DELETE datoms 55000');
SELECT throws_ok($$TRUNCATE transactions$$, '55000', NULL, 'replica role: TRUNCATE transactions 55000');
SELECT throws_ok($$UPDATE value_store SET v = v$$, '55000', NULL, 'replica role: UPDATE value_store 55000');
SELECT throws_ok($$DELETE FROM branches$$, '55000', NULL, 'replica role: DELETE branches 55000');
RESET session_replication_role;
CREATE ROLE persistence_fact_tap_user NOLOGIN;
GRANT USAGE ON SCHEMA persistence TO persistence_fact_tap_user;
SELECT throws_ok($$SET LOCAL ROLE persistence_fact_tap_user;
                   INSERT INTO persistence.datoms VALUES ('e', ':a/b', '\x00', NULL, 1, 1, now(), NULL, true, '\x00')$$,
                 '42501', NULL, 'INSERT into datoms by a non-superuser: 42501');
SELECT throws_ok($$SET LOCAL ROLE persistence_fact_tap_user;
                   INSERT INTO persistence.transactions VALUES (-1, 1, now(), NULL, 0, '\x00')$$,
                 '42501', NULL, 'INSERT into transactions by a non-superuser: 42501');
SELECT throws_ok($$SET LOCAL ROLE persistence_fact_tap_user;
                   INSERT INTO persistence.value_store VALUES ('\x00', '1')$$,
                 '42501', NULL, 'INSERT into value_store by a non-superuser: 42501');
SELECT throws_ok($$SET LOCAL ROLE persistence_fact_tap_user;
                   INSERT INTO persistence.branches (id, name) VALUES (-1, 'x')$$,
                 '42501', NULL, 'INSERT into branches by a non-superuser: 42501');

SELECT * FROM finish();
ROLLBACK;
