-- persistence.transact against the attribute schema: define_attribute and its migrations,
-- attribute_as_of, cardinality many, unique identity/value, :db/cas, retractions, refs and
-- the jsonb overload. DESIGN.md §4, §4.1; include/persistence/fact/planner.hpp.
-- One SQL transaction, rolled back. Reads of "now" use clock_timestamp() as the valid
-- instant: a transaction's default valid-from is its (clock) tx_time, later than now().
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(105);

CREATE TEMP TABLE txn (name text PRIMARY KEY, tx bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT tx FROM txn WHERE name = n $$;
CREATE FUNCTION pg_temp.cur(e text, depth int DEFAULT 1) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT entity(e, NULL::bigint, clock_timestamp(), depth)::text $$;
CREATE FUNCTION pg_temp.count_of(x bigint) RETURNS integer LANGUAGE sql AS $$
    SELECT datom_count FROM transactions WHERE tx = x $$;

-- define_attribute and attribute_as_of ------------------------------------------------------
INSERT INTO txn SELECT 'before', transact('[[:db/add "sch-marker" :sch/marker true]]');
SELECT ok(define_attribute('sch/tags', 'string', 'many', NULL, 'tags v1') > pg_temp.t('before'),
          'define_attribute returns the new tx');
INSERT INTO txn SELECT 'def1', max(tx) FROM transactions;
SELECT results_eq($$SELECT * FROM attribute_as_of(':sch/tags', pg_temp.t('def1'))$$,
    $$VALUES (':sch/tags', 'string', 'many', NULL::text, 'tags v1', NULL::text)$$, 'attribute_as_of(def1): the definition');
SELECT results_eq($$SELECT * FROM attribute_as_of('sch/tags', pg_temp.t('def1'))$$, $$SELECT * FROM attribute_as_of(':sch/tags', pg_temp.t('def1'))$$,
    'attribute_as_of: the colon is optional');
-- t NULL is the latest definition, also one made earlier in the same SQL transaction.
SELECT is((SELECT doc FROM attribute_as_of(':sch/tags')), 'tags v1',
          'attribute_as_of(ident) sees a definition made earlier in the same SQL transaction');
SELECT is_empty($$SELECT * FROM attribute_as_of(':sch/tags', pg_temp.t('before'))$$, 'attribute_as_of before the definition: no row');
INSERT INTO txn SELECT 'def2', define_attribute('sch/tags', 'string', 'many', NULL, 'tags v2');
SELECT is((SELECT doc FROM attribute_as_of(':sch/tags', pg_temp.t('def2'))), 'tags v2', 'attribute_as_of after a doc change: the new doc');
SELECT is((SELECT doc FROM attribute_as_of(':sch/tags', pg_temp.t('def1'))), 'tags v1', 'attribute_as_of(def1): the old doc');
SELECT is((SELECT doc FROM attribute_as_of(':sch/tags', (SELECT tx_time FROM transactions WHERE tx = pg_temp.t('def1')))),
          'tags v1', 'attribute_as_of(ident, timestamptz)');
SELECT is_empty($$SELECT * FROM attribute_as_of(':sch/never-defined')$$, 'attribute_as_of of an undefined attribute: no row');

-- Migrations
SELECT ok(define_attribute('sch/one', 'string') > 0, 'define a cardinality-one attribute');
INSERT INTO txn SELECT 'many', define_attribute('sch/one', 'string', 'many');
SELECT ok(pg_temp.t('many') > 0, 'one -> many is allowed');
SELECT is((SELECT cardinality FROM attribute_as_of('sch/one', pg_temp.t('many'))), 'many', 'now cardinality many');
-- The attribute was defined earlier in this SQL transaction: the checks see that definition.
SELECT throws_ok($$SELECT define_attribute('sch/one', 'string', 'one')$$, '0A000', NULL, 'many -> one: 0A000');
SELECT throws_ok($$SELECT define_attribute('sch/one', 'int', 'many')$$, '0A000', NULL, 'value type change: 0A000');

-- Errors
SELECT throws_ok($$SELECT define_attribute('sch/bad', 'text')$$, '22023', NULL, 'bad value_type: 22023');
SELECT throws_ok($$SELECT define_attribute('sch/bad', 'string', 'some')$$, '22023', NULL, 'bad cardinality: 22023');
SELECT throws_ok($$SELECT define_attribute('sch/bad', 'string', 'one', 'primary')$$, '22023', NULL, 'bad unique: 22023');
SELECT throws_ok($$SELECT define_attribute(':db/x', 'string')$$, '22023', NULL, 'reserved :db/x: 22023');
SELECT throws_ok($$SELECT define_attribute('db.type/x', 'string')$$, '22023', NULL, 'reserved :db.type/x: 22023');
SELECT throws_ok($$SELECT define_attribute(NULL, 'string')$$, '22004', NULL, 'NULL ident: 22004');
SELECT throws_ok($$SELECT define_attribute('sch/bad', NULL)$$, '22004', NULL, 'NULL value_type: 22004');
SELECT throws_ok($$SELECT define_attribute('sch/bad', 'string', NULL)$$, '22004', NULL, 'NULL cardinality: 22004');
SELECT throws_ok($$SELECT define_attribute('not a keyword', 'string')$$, '22P02', NULL, 'ident not a keyword: 22P02');

-- Cardinality many ------------------------------------------------------------------------
INSERT INTO txn SELECT 'm1', transact('[[:db/add "tagged" :sch/tags "beta"] [:db/add "tagged" :sch/tags "alpha"]]');
INSERT INTO txn SELECT 'm2', transact('[{:db/id "tagged" :sch/tags ["delta" "gamma"]}]');
SELECT is(pg_temp.cur('tagged'), '{:db/id "tagged" :sch/tags ["alpha" "beta" "delta" "gamma"]}',
          'many: values accumulate, entity returns a vector in canonical order');
SELECT is(pg_temp.count_of(pg_temp.t('m2')), 2, 'many: an entity-map vector asserts each value');
INSERT INTO txn SELECT 'm3', transact('[[:db/retract "tagged" :sch/tags "beta"]]');
SELECT is(pg_temp.cur('tagged'), '{:db/id "tagged" :sch/tags ["alpha" "delta" "gamma"]}', 'many: retract one value');
SELECT is(entity('tagged', pg_temp.t('m2'), clock_timestamp())::text,
          '{:db/id "tagged" :sch/tags ["alpha" "beta" "delta" "gamma"]}', 'many: as of m2 all four');
INSERT INTO txn SELECT 'm4', transact('[[:db/add "tagged" :sch/tags "alpha"]]');
SELECT is(pg_temp.count_of(pg_temp.t('m4')), 0, 'many: re-asserting a present value writes no datom');
SELECT throws_ok($$SELECT transact('[[:db/add "tagged" :sch/tags 5]]')$$, '22023', NULL, 'many: wrong value type 22023');
SELECT ok(define_attribute('sch/one1', 'string') > 0, 'define :sch/one1');
INSERT INTO txn SELECT 'one1', transact('[[:db/add "mig" :sch/one1 "x" {:valid-from #inst "2026-01-01T00:00:00Z"}]]');
SELECT ok(define_attribute('sch/one1', 'string', 'many') > 0, 'one -> many with a value present');
INSERT INTO txn SELECT 'one2', transact('[[:db/add "mig" :sch/one1 "y" {:valid-from #inst "2026-01-01T00:00:00Z"}]]');
SELECT is(pg_temp.cur('mig'), '{:db/id "mig" :sch/one1 ["x" "y"]}', 'after one -> many a second value adds');

-- Unique identity: upsert -------------------------------------------------------------------
SELECT ok(define_attribute('usr/email', 'string', 'one', 'identity') > 0, 'define :usr/email unique identity');
INSERT INTO txn SELECT 'u1', transact('[{:db/id "usr-1" :usr/email "ann@example.org" :usr/name "Ann"}]');
INSERT INTO txn SELECT 'u2', transact('[{:db/id "usr-new" :usr/email "ann@example.org" :usr/name "Annie"}]');
SELECT is(pg_temp.cur('usr-1'), '{:db/id "usr-1" :usr/email "ann@example.org" :usr/name "Annie"}',
          'identity upsert: a new :db/id with an existing email lands on the existing entity');
SELECT is(pg_temp.cur('usr-new'), NULL, 'identity upsert: the new id gets no datoms');
SELECT is_empty($$SELECT * FROM history('usr-new')$$, 'identity upsert: nothing in history for the new id');
SELECT results_eq($$SELECT e, a, v::text, op FROM since(pg_temp.t('u1')) WHERE tx = pg_temp.t('u2') AND valid_to IS NULL$$,
    $$VALUES ('usr-1', ':usr/name', '"Ann"', 'retract'), ('usr-1', ':usr/name', '"Annie"', 'assert')$$,
    'identity upsert: the name of usr-1 changes');
SELECT is(pg_temp.count_of(pg_temp.t('u2')), 3, 'upsert tx: retract, re-assert the old piece until now, assert the new');

-- Unique value
SELECT ok(define_attribute('usr/ssn', 'string', 'one', 'value') > 0, 'define :usr/ssn unique value');
INSERT INTO txn SELECT 'v1', transact('[[:db/add "usr-1" :usr/ssn "123"]]');
SELECT throws_ok($$SELECT transact('[[:db/add "usr-2" :usr/ssn "123"]]')$$, '23505', NULL, 'unique value on a second entity: 23505');
SELECT throws_ok($$SELECT transact('[{:db/id "usr-3" :usr/ssn "777"} {:db/id "usr-4" :usr/ssn "777"}]')$$, '23505', NULL,
                 'unique value on two entities in one tx: 23505');
SELECT ok(transact('[[:db/add "usr-1" :usr/ssn "123"]]') > 0, 'the same entity may re-assert its unique value');
-- Adding unique when two entities share a value
INSERT INTO txn SELECT 'dup', transact('[{:db/id "dup-1" :usr/nick "zed" :db/valid-from #inst "2026-01-01T00:00:00Z"} {:db/id "dup-2" :usr/nick "zed" :db/valid-from #inst "2026-01-01T00:00:00Z"}]');
SELECT throws_ok($$SELECT define_attribute('usr/nick', 'string', 'one', 'value')$$, '23505', NULL,
                 'adding unique value when duplicates exist: 23505');
SELECT throws_ok($$SELECT define_attribute('usr/nick', 'string', 'one', 'identity')$$, '23505', NULL,
                 'adding unique identity when duplicates exist: 23505');
-- The duplicate check covers every valid instant, not only the current one.
INSERT INTO txn SELECT 'fut', transact('[{:db/id "fut-1" :usr/code "q" :db/valid-from #inst "2099-01-01T00:00:00Z"} {:db/id "fut-2" :usr/code "q" :db/valid-from #inst "2099-01-01T00:00:00Z"}]');
SELECT throws_ok($$SELECT define_attribute('usr/code', 'string', 'one', 'value')$$, '23505', NULL,
                 'adding unique when duplicates exist only in future valid time: 23505');
INSERT INTO txn SELECT 'same', transact('[{:db/id "same-1" :usr/alias "w"} {:db/id "same-2" :usr/alias "w"}]');
SELECT throws_ok($$SELECT define_attribute('usr/alias', 'string', 'one', 'value')$$, '23505', NULL,
                 'adding unique when duplicates were written earlier in the same SQL transaction: 23505');
-- Adding unique to a defined attribute whose values do not clash: distinct values, one value
-- held by two entities over disjoint valid intervals, and a duplicate that was retracted
-- over its whole interval (it is in the history, but never live).
SELECT ok(define_attribute('usr/handle', 'string') > 0, 'define :usr/handle, not unique');
INSERT INTO txn SELECT 'h1', transact('[{:db/id "h-1" :usr/handle "@a"} {:db/id "h-2" :usr/handle "@b"}
    [:db/add "h-3" :usr/handle "@c" {:valid-from #inst "2026-01-01T00:00:00Z" :valid-to #inst "2026-02-01T00:00:00Z"}]
    [:db/add "h-4" :usr/handle "@c" {:valid-from #inst "2026-02-01T00:00:00Z"}]
    [:db/add "h-5" :usr/handle "@a" {:valid-from #inst "2026-01-01T00:00:00Z"}]]');
INSERT INTO txn SELECT 'h2', transact('[[:db/retract "h-5" :usr/handle "@a" {:valid-from #inst "2026-01-01T00:00:00Z"}]]');
SELECT lives_ok($$INSERT INTO txn SELECT 'h-unique', define_attribute('usr/handle', 'string', 'one', 'value')$$,
                'adding unique value to a defined attribute with values but no clash');
SELECT is((SELECT "unique" FROM attribute_as_of('usr/handle', pg_temp.t('h-unique'))), 'value', 'the attribute is now unique');
SELECT is((SELECT "unique" FROM attribute_as_of('usr/handle', pg_temp.t('h2'))), NULL, 'and was not before');
SELECT throws_ok($$SELECT transact('[[:db/add "h-6" :usr/handle "@b"]]')$$, '23505', NULL,
                 'the rule now holds for new writes: 23505');
SELECT is(pg_temp.cur('h-1') || ' ' || pg_temp.cur('h-4'), '{:db/id "h-1" :usr/handle "@a"} {:db/id "h-4" :usr/handle "@c"}',
          'the values are unchanged');
-- Every branch's view is checked, not only main's: the schema is shared by all branches, and
-- a branch holding duplicates would break the rule there (identity upserts, merges).
SELECT ok(define_attribute('usr/badge', 'string') > 0, 'define :usr/badge, not unique');
INSERT INTO txn SELECT 'b1', transact('[[:db/add "b-1" :usr/badge "X"]]');
SELECT ok(branch('badges') > 1 AND branch('badges2') > 1, 'two branches');
INSERT INTO txn SELECT 'b2', transact('[[:db/add "b-2" :usr/badge "X" {:valid-from #inst "2026-01-01T00:00:00Z"}]]', 'badges');
INSERT INTO txn SELECT 'b3', transact('[[:db/add "b-4" :usr/badge "Z"]]', 'badges');
INSERT INTO txn SELECT 'b4', transact('[[:db/add "b-5" :usr/badge "Z"]]', 'badges2');
SELECT throws_ok($$SELECT define_attribute('usr/badge', 'string', 'one', 'value')$$, '23505',
                 'cannot make :usr/badge unique: entities {b-1,b-2} share the value "X" on branch "badges"',
                 'adding unique when a branch''s view holds duplicates (one from main, one its own): 23505');
SELECT throws_ok($$SELECT define_attribute('usr/badge', 'string', 'one', 'identity')$$, '23505', NULL,
                 'the same for unique identity');
INSERT INTO txn SELECT 'b5', transact('[[:db/retract "b-2" :usr/badge "X" {:valid-from #inst "2026-01-01T00:00:00Z"}]]', 'badges');
SELECT lives_ok($$SELECT define_attribute('usr/badge', 'string', 'one', 'value')$$,
                'after the duplicate is retracted on the branch, unique can be added (the same value on two sibling branches is no clash)');

-- :db/cas ----------------------------------------------------------------------------------
INSERT INTO txn SELECT 'c1', transact('[[:db/add "acct" :acct/balance 100]]');
INSERT INTO txn SELECT 'c2', transact('[[:db/cas "acct" :acct/balance 100 150]]');
SELECT is(pg_temp.cur('acct'), '{:acct/balance 150 :db/id "acct"}', 'cas with the current value succeeds');
CREATE TEMP TABLE counts AS SELECT (SELECT count(*) FROM datoms) AS d, (SELECT count(*) FROM transactions) AS x,
                                   (SELECT count(*) FROM value_store) AS v;
SELECT throws_ok($$SELECT transact('[[:db/add "acct" :acct/owner "someone"] [:db/add "acct2" :acct/balance 5] [:db/cas "acct" :acct/balance 100 200]]')$$,
                 'PX001', NULL, 'cas with a stale value: PX001');
SELECT throws_like($$SELECT transact('[[:db/cas "acct" :acct/balance 100 200]]')$$, '%:db/cas failed%', 'cas failure message');
SELECT ok((SELECT d FROM counts) = (SELECT count(*) FROM datoms) AND (SELECT x FROM counts) = (SELECT count(*) FROM transactions)
          AND (SELECT v FROM counts) = (SELECT count(*) FROM value_store), 'a failing transaction writes nothing');
SELECT is(pg_temp.cur('acct'), '{:acct/balance 150 :db/id "acct"}', 'after the failed cas: unchanged, no :acct/owner');
SELECT is(pg_temp.cur('acct2'), NULL, 'after the failed cas: acct2 does not exist');
INSERT INTO txn SELECT 'c3', transact('[[:db/cas "fresh" :acct/balance nil 1]]');
SELECT is(pg_temp.cur('fresh'), '{:acct/balance 1 :db/id "fresh"}', 'cas nil = no value: succeeds on an absent attribute');
SELECT throws_ok($$SELECT transact('[[:db/cas "fresh" :acct/balance nil 2]]')$$, 'PX001', NULL, 'cas nil when a value is present: PX001');
SELECT throws_ok($$SELECT transact('[[:db/cas "acct" :acct/other 1 2]]')$$, 'PX001', NULL, 'cas of a value on an absent attribute: PX001');
SELECT throws_ok($$SELECT transact('[[:db/cas "acct" :acct/balance 150]]')$$, '22P02', NULL, 'cas arity: 22P02');
SELECT ok(pg_temp.t('c3') > pg_temp.t('c2'), 'cas txs are ordered');

-- Retractions ---------------------------------------------------------------------------------
INSERT INTO txn SELECT 'r0', transact('[{:db/id "ret" :ret/a 1 :ret/b 2 :ret/c 3 :ret/d 4}]');
INSERT INTO txn SELECT 'r1', transact('[[:db/retract "ret" :ret/a 1]]');
INSERT INTO txn SELECT 'r2', transact('[[:db/retract "ret" :ret/b]]');
INSERT INTO txn SELECT 'r3', transact('[[:db/retract "ret" :ret/c nil]]');
SELECT is(pg_temp.cur('ret'), '{:db/id "ret" :ret/d 4}', 'retract with a value, without a value and with nil');
SELECT is(entity('ret', pg_temp.t('r0'), clock_timestamp())::text, '{:db/id "ret" :ret/a 1 :ret/b 2 :ret/c 3 :ret/d 4}',
          'as of r0 everything is still there');
SELECT results_eq($$SELECT a, v::text, op, valid_to IS NULL FROM history('ret', 'ret/a') WHERE tx = pg_temp.t('r1')$$,
    $$VALUES (':ret/a', '1', 'retract', true), (':ret/a', '1', 'assert', false)$$,
    'retract: the open piece is retracted and re-asserted up to the retraction''s valid-from');
INSERT INTO txn SELECT 'r4', transact('[[:db/retract "ret" :ret/d 99]]');
SELECT is(pg_temp.count_of(pg_temp.t('r4')), 0, 'retract of a value that is not present: no datom');
INSERT INTO txn SELECT 'r5', transact('[[:db/retract "ret" :ret/zzz]]');
SELECT is(pg_temp.count_of(pg_temp.t('r5')), 0, 'retract of an absent attribute: no datom');
INSERT INTO txn SELECT 'r6', transact('[[:db/add "ret" :ret/d 4]]');
SELECT is(pg_temp.count_of(pg_temp.t('r6')), 0, 're-asserting the same value: no datom');
INSERT INTO txn SELECT 'r7', transact('[{:db/id "ret" :ret/d 4}]');
SELECT is(pg_temp.count_of(pg_temp.t('r7')), 0, 're-asserting the same value by entity map: no datom');
INSERT INTO txn SELECT 're0', transact('[{:db/id "gone" :ret/a 1 :ret/b 2} [:db/add "gone" :sch/tags "t1"] [:db/add "gone" :sch/tags "t2"]]');
INSERT INTO txn SELECT 're1', transact('[[:db/retractEntity "gone"]]');
SELECT is(pg_temp.cur('gone'), NULL, 'retractEntity: the entity is gone now');
SELECT is((SELECT count(*)::int FROM history('gone') WHERE tx = pg_temp.t('re1') AND op = 'retract'), 4,
          'retractEntity retracts every value, cardinality many included');
SELECT is(entity('gone', pg_temp.t('re0'), clock_timestamp())::text, '{:db/id "gone" :ret/a 1 :ret/b 2 :sch/tags ["t1" "t2"]}',
          'as of before the retractEntity it is still there');
SELECT throws_ok($$SELECT transact('[[:db/retract "ret" :ret/d 4 5 6]]')$$, '22P02', NULL, 'retract arity: 22P02');
SELECT throws_ok($$SELECT transact('[[:db/retractEntity "ret" :ret/d]]')$$, '22P02', NULL, 'retractEntity with an attribute: 22P02');

-- Refs ---------------------------------------------------------------------------------------
SELECT ok(define_attribute('x/parent', 'ref') > 0, 'define :x/parent ref');
INSERT INTO txn SELECT 'ref1', transact('[{:db/id "target" :x/label "T"} {:db/id "child" :x/parent "target"}]');
SELECT is(pg_temp.cur('child', 0), '{:db/id "child" :x/parent "target"}', 'depth 0: the ref as its entity id');
SELECT is(pg_temp.cur('child', 1), '{:db/id "child" :x/parent {:db/id "target" :x/label "T"}}',
          'depth 1: the referenced entity map, with its :db/id');
SELECT is(entity('child', NULL::bigint, clock_timestamp())::text, pg_temp.cur('child', 1), 'depth defaults to 1');
SELECT results_eq($$SELECT e, a, v::text, op FROM datoms('vaet', '["target"]')$$,
    $$VALUES ('child', ':x/parent', '"target"', 'assert')$$, 'datoms vaet [target]: the reverse ref');
SELECT results_eq($$SELECT e FROM datoms('vaet', '["target" :x/parent]')$$, $$VALUES ('child')$$, 'datoms vaet [v a]');
SELECT throws_ok($$SELECT transact('[[:db/add "child" :x/parent 42]]')$$, '22023', NULL, 'ref to a non-id value: 22023');

-- jsonb overload ---------------------------------------------------------------------------
INSERT INTO txn SELECT 'j1', transact('[{"db/id":"j1","person/name":"Ann","person/age":3}]'::jsonb);
SELECT is(pg_temp.cur('j1'), '{:db/id "j1" :person/age 3 :person/name "Ann"}', 'jsonb entity map');
INSERT INTO txn SELECT 'j2', transact('[["db/add","j1","person/name","Bob"]]'::jsonb);
SELECT is(pg_temp.cur('j1'), '{:db/id "j1" :person/age 3 :person/name "Bob"}', 'jsonb ["db/add", e, a, v]');
INSERT INTO txn SELECT 'j3', transact('[[":db/add","j1",":person/age",4,{"valid-from":"2026-02-01T00:00:00Z","valid-to":"2026-03-01T00:00:00Z"}]]'::jsonb);
SELECT results_eq($$SELECT v::text, valid_from, valid_to FROM history('j1', 'person/age') WHERE tx = pg_temp.t('j3') AND op = 'assert'$$,
    $$VALUES ('4', '2026-02-01T00:00:00Z'::timestamptz, '2026-03-01T00:00:00Z'::timestamptz)$$,
    'jsonb: ":db/add" with colons and RFC 3339 valid-from/valid-to');
INSERT INTO txn SELECT 'j4', transact('[{"db/id":"j4","person/age":1,"db/valid-from":"2026-05-01T00:00:00+02:00"}]'::jsonb);
SELECT is((SELECT valid_from FROM history('j4')), '2026-04-30T22:00:00Z'::timestamptz, 'jsonb entity map db/valid-from');
SELECT ok(define_attribute('jt/at', 'instant') > 0 AND define_attribute('jt/kw', 'keyword') > 0
          AND define_attribute('jt/id', 'uuid') > 0, 'define typed attributes');
INSERT INTO txn SELECT 'j5', transact('[{"db/id":"j5","jt/at":"2026-01-01T10:00:00+01:00","jt/kw":"status/open","jt/id":"F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"}]'::jsonb);
SELECT is(pg_temp.cur('j5'),
          '{:db/id "j5" :jt/at #inst "2026-01-01T09:00:00.000Z" :jt/id #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6" :jt/kw :status/open}',
          'jsonb: strings coerce to instant, keyword and uuid');
SELECT is((SELECT edn_typeof(v) FROM history('j5', 'jt/at')), 'inst', 'the stored instant is an #inst');
SELECT ok(transact('[["db/add","j5","jt/kw",":status/closed"]]'::jsonb) > 0, 'jsonb keyword with a colon');
SELECT is((SELECT v::text FROM valid_at(clock_timestamp()) WHERE e = 'j5' AND a = ':jt/kw'), ':status/closed', 'coerced keyword');
SELECT throws_ok($$SELECT transact('{"db/id":"x"}'::jsonb)$$, '22P02', NULL, 'jsonb: not an array: 22P02');
SELECT throws_ok($$SELECT transact('[["db/add","j1"]]'::jsonb)$$, '22P02', NULL, 'jsonb: wrong arity: 22P02');
SELECT throws_ok($$SELECT transact('[[1,"j1","person/name","x"]]'::jsonb)$$, '22P02', NULL, 'jsonb: op name a number: 22P02');
SELECT throws_ok($$SELECT transact('[["db/add",5,"person/name","x"]]'::jsonb)$$, '22P02', NULL, 'jsonb: entity id a number: 22P02');
SELECT throws_ok($$SELECT transact('[["db/add","j1","not an attr","x"]]'::jsonb)$$, '22P02', NULL, 'jsonb: bad attribute: 22P02');
SELECT throws_ok($$SELECT transact('[{"person/name":"x"}]'::jsonb)$$, '22P02', NULL, 'jsonb: entity map without db/id: 22P02');
SELECT throws_ok($$SELECT transact('[["db/add","j1","person/age",1,{"valid-from":5}]]'::jsonb)$$, '22P02', NULL, 'jsonb: numeric valid-from: 22P02');
SELECT throws_ok($$SELECT transact('[["db/add","j5","jt/at",5]]'::jsonb)$$, '22023', NULL, 'jsonb: a number for an instant attribute: 22023');
SELECT throws_ok($$SELECT transact(NULL::jsonb)$$, '22004', NULL, 'jsonb: NULL tx_data: 22004');

SELECT * FROM finish();
ROLLBACK;
