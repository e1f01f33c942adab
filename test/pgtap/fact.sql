-- persistence.transact and the bitemporal readers: the seed example of docs/fact.md
-- (as_of, valid_at, entity, history, since, resolve_tx, datoms) plus retractions over an
-- explicit valid interval, nested refs in entity(), content addressing and the hashes
-- (datom_hash, merkle_root, tx_root). DESIGN.md §4, §4.1.
-- Everything runs in one SQL transaction that is rolled back; tx ids come from a
-- non-transactional sequence, so they are named through the temp table txn, never as numbers.
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(83);

CREATE TEMP TABLE txn (name text PRIMARY KEY, tx bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT tx FROM txn WHERE name = n $$;
-- The tx name of a tx id (for comparing history rows without absolute tx ids).
CREATE FUNCTION pg_temp.tn(x bigint) RETURNS text LANGUAGE sql AS $$ SELECT coalesce((SELECT name FROM txn WHERE tx = x), x::text) $$;

-- Before any transaction of this test ------------------------------------------------------
SELECT is(resolve_tx('1900-01-01T00:00:00Z'), NULL, 'resolve_tx before any transaction: NULL');
SELECT is(entity('proj', '1900-01-01T00:00:00Z'::timestamptz), NULL, 'entity as of a time before any transaction: NULL');

-- The seed example --------------------------------------------------------------------------
INSERT INTO txn SELECT 'tx1', transact('[[:db/add "proj" :project/wacc 0.087M {:valid-from #inst "2026-04-14T00:00:00Z"}]]');
SELECT is((SELECT v::text FROM valid_at('2026-04-15T00:00:00Z') WHERE e = 'proj' AND a = ':project/wacc'),
          '0.087M', 'tx1: valid_at(04-15) = 0.087M');
INSERT INTO txn SELECT 'tx2', transact('[[:db/add "proj" :project/wacc 0.091M {:valid-from #inst "2026-04-19T00:00:00Z"}]]');
SELECT is((SELECT v::text FROM valid_at('2026-04-15T00:00:00Z') WHERE e = 'proj' AND a = ':project/wacc'),
          '0.087M', 'tx2: valid_at(04-15) = 0.087M');
SELECT is((SELECT v::text FROM valid_at('2026-04-20T00:00:00Z') WHERE e = 'proj' AND a = ':project/wacc'),
          '0.091M', 'tx2: valid_at(04-20) = 0.091M');
SELECT is(entity('proj', pg_temp.t('tx1'))::text, '{:db/id "proj" :project/wacc 0.087M}',
          'entity(proj, tx1) sees 0.087M');
SELECT is(entity('proj', pg_temp.t('tx2'))::text, '{:db/id "proj" :project/wacc 0.091M}',
          'entity(proj, tx2) sees 0.091M (valid at tx2''s tx_time)');
SELECT results_eq(
    $$SELECT e, a, v::text, op FROM as_of(pg_temp.t('tx1')) WHERE e = 'proj'$$,
    $$VALUES ('proj', ':project/wacc', '0.087M', 'assert')$$,
    'as_of(tx1): 0.087M');
SELECT results_eq(
    $$SELECT e, a, v::text, tx, valid_from, valid_to, op FROM as_of(pg_temp.t('tx2')) WHERE e = 'proj'$$,
    $$VALUES ('proj', ':project/wacc', '0.091M', pg_temp.t('tx2'), '2026-04-19T00:00:00Z'::timestamptz, NULL::timestamptz, 'assert')$$,
    'as_of(tx2): 0.091M, asserted by tx2, valid from 04-19, open');

INSERT INTO txn SELECT 'tx3', transact('[[:db/add "proj" :project/wacc 0.085M {:valid-from #inst "2026-04-15T00:00:00Z" :valid-to #inst "2026-04-17T00:00:00Z"}]]');
INSERT INTO txn SELECT 'tx4', transact('[[:db/add "proj" :project/wacc 0.080M {:valid-from #inst "2026-04-10T00:00:00Z"}]]');

-- The bitemporal matrix: what was known at each tx never changes.
CREATE TEMP TABLE instants (vt timestamptz);
INSERT INTO instants VALUES ('2026-04-12T00:00:00Z'), ('2026-04-15T00:00:00Z'), ('2026-04-16T00:00:00Z'),
                            ('2026-04-18T00:00:00Z'), ('2026-04-20T00:00:00Z');
CREATE FUNCTION pg_temp.by_entity(x text) RETURNS TABLE (vt text, v text) LANGUAGE sql AS $$
    SELECT to_char(i.vt, 'MM-DD'), coalesce(entity('proj', pg_temp.t(x), i.vt) -> ':project/wacc', 'nil')::text
    FROM instants i ORDER BY i.vt $$;
CREATE FUNCTION pg_temp.by_valid_at(x text) RETURNS TABLE (vt text, v text) LANGUAGE sql AS $$
    SELECT to_char(i.vt, 'MM-DD'),
           coalesce((SELECT s.v::text FROM valid_at(i.vt, pg_temp.t(x)) s WHERE s.e = 'proj' AND s.a = ':project/wacc'), 'nil')
    FROM instants i ORDER BY i.vt $$;

SELECT results_eq($$SELECT * FROM pg_temp.by_entity('tx1')$$,
    $$VALUES ('04-12', 'nil'), ('04-15', '0.087M'), ('04-16', '0.087M'), ('04-18', '0.087M'), ('04-20', '0.087M')$$,
    'entity(proj, tx1, vt) at 04-12/15/16/18/20');
SELECT results_eq($$SELECT * FROM pg_temp.by_entity('tx2')$$,
    $$VALUES ('04-12', 'nil'), ('04-15', '0.087M'), ('04-16', '0.087M'), ('04-18', '0.087M'), ('04-20', '0.091M')$$,
    'entity(proj, tx2, vt)');
SELECT results_eq($$SELECT * FROM pg_temp.by_entity('tx3')$$,
    $$VALUES ('04-12', 'nil'), ('04-15', '0.085M'), ('04-16', '0.085M'), ('04-18', '0.087M'), ('04-20', '0.091M')$$,
    'entity(proj, tx3, vt): the bounded 0.085M over [04-15, 04-17)');
SELECT results_eq($$SELECT * FROM pg_temp.by_entity('tx4')$$,
    $$VALUES ('04-12', '0.080M'), ('04-15', '0.080M'), ('04-16', '0.080M'), ('04-18', '0.080M'), ('04-20', '0.080M')$$,
    'entity(proj, tx4, vt): the backdated open-ended 0.080M everywhere');
SELECT results_eq($$SELECT * FROM pg_temp.by_valid_at('tx1')$$, $$SELECT * FROM pg_temp.by_entity('tx1')$$,
    'valid_at(vt, tx1) agrees with entity');
SELECT results_eq($$SELECT * FROM pg_temp.by_valid_at('tx2')$$, $$SELECT * FROM pg_temp.by_entity('tx2')$$,
    'valid_at(vt, tx2) agrees with entity');
SELECT results_eq($$SELECT * FROM pg_temp.by_valid_at('tx3')$$, $$SELECT * FROM pg_temp.by_entity('tx3')$$,
    'valid_at(vt, tx3) agrees with entity');
SELECT results_eq($$SELECT * FROM pg_temp.by_valid_at('tx4')$$, $$SELECT * FROM pg_temp.by_entity('tx4')$$,
    'valid_at(vt, tx4) agrees with entity');
SELECT results_eq($$SELECT * FROM pg_temp.by_valid_at('tx4')$$,
    $$SELECT to_char(i.vt, 'MM-DD'), coalesce((SELECT s.v::text FROM valid_at(i.vt) s WHERE s.e = 'proj'), 'nil') FROM instants i ORDER BY i.vt$$,
    'valid_at(vt) without as_of = as of the latest tx');
SELECT results_eq(
    $$SELECT s.v::text FROM valid_at('2026-04-16T00:00:00Z', (SELECT x.tx_time FROM transactions x WHERE x.tx = pg_temp.t('tx3'))) s WHERE s.e = 'proj'$$,
    $$VALUES ('0.085M')$$,
    'valid_at(vt, timestamptz as_of) resolves the tx at that time');
SELECT is(entity('proj', (SELECT x.tx_time FROM transactions x WHERE x.tx = pg_temp.t('tx2')), '2026-04-20T00:00:00Z')::text,
          '{:db/id "proj" :project/wacc 0.091M}', 'entity(e, timestamptz as_of, valid_at)');

-- as_of(t timestamptz) reads as of resolve_tx(t) at valid instant t (docs/fact.md §5.1).
CREATE TEMP TABLE at_times AS
    SELECT x3.tx_time AS t3, x3.tx_time + (x4.tx_time - x3.tx_time) / 2 AS mid
    FROM transactions x3, transactions x4 WHERE x3.tx = pg_temp.t('tx3') AND x4.tx = pg_temp.t('tx4');
SELECT is(resolve_tx((SELECT mid FROM at_times)), pg_temp.t('tx3'), 'resolve_tx(a time between tx3 and tx4) = tx3');
SELECT results_eq($$SELECT * FROM as_of((SELECT t3 FROM at_times))$$,
    $$SELECT * FROM as_of(resolve_tx((SELECT t3 FROM at_times)))$$,
    'as_of(tx3''s tx_time) = as_of(resolve_tx(t)) = as_of(tx3)');
SELECT results_eq($$SELECT * FROM as_of((SELECT mid FROM at_times))$$,
    $$SELECT * FROM as_of(resolve_tx((SELECT mid FROM at_times)))$$,
    'as_of(a time between tx3 and tx4) = as_of(resolve_tx(t))');
SELECT results_eq($$SELECT * FROM as_of((SELECT mid FROM at_times))$$,
    $$SELECT * FROM valid_at((SELECT mid FROM at_times), resolve_tx((SELECT mid FROM at_times)))$$,
    'as_of(t) = valid_at(t, resolve_tx(t))');
SELECT results_eq($$SELECT e, v::text, pg_temp.tn(tx) FROM as_of((SELECT mid FROM at_times))$$,
    $$VALUES ('proj', '0.091M', 'tx2')$$, 'as_of(t between tx3 and tx4): 0.091M, decided by tx2');
SELECT is_empty($$SELECT * FROM as_of('1900-01-01T00:00:00Z'::timestamptz)$$,
                'as_of(a time before any tx): nothing (resolve_tx is NULL, which is not "latest" here)');

-- history: companion retractions and re-assertions in the same tx, retractions first.
SELECT results_eq(
    $$SELECT pg_temp.tn(tx), a, v::text, to_char(valid_from, 'MM-DD'), to_char(valid_to, 'MM-DD'), op FROM history('proj')$$,
    $$VALUES ('tx1', ':project/wacc', '0.087M', '04-14', NULL, 'assert'),
             ('tx2', ':project/wacc', '0.087M', '04-14', NULL, 'retract'),
             ('tx2', ':project/wacc', '0.087M', '04-14', '04-19', 'assert'),
             ('tx2', ':project/wacc', '0.091M', '04-19', NULL, 'assert'),
             ('tx3', ':project/wacc', '0.087M', '04-14', '04-19', 'retract'),
             ('tx3', ':project/wacc', '0.087M', '04-14', '04-15', 'assert'),
             ('tx3', ':project/wacc', '0.085M', '04-15', '04-17', 'assert'),
             ('tx3', ':project/wacc', '0.087M', '04-17', '04-19', 'assert'),
             ('tx4', ':project/wacc', '0.087M', '04-14', '04-15', 'retract'),
             ('tx4', ':project/wacc', '0.085M', '04-15', '04-17', 'retract'),
             ('tx4', ':project/wacc', '0.087M', '04-17', '04-19', 'retract'),
             ('tx4', ':project/wacc', '0.091M', '04-19', NULL, 'retract'),
             ('tx4', ':project/wacc', '0.080M', '04-10', NULL, 'assert')$$,
    'history(proj): the exact datoms of tx1..tx4');
SELECT results_eq($$SELECT * FROM history('proj', ':project/wacc')$$, $$SELECT * FROM history('proj')$$,
    'history(e, a) with the colon');
SELECT results_eq($$SELECT * FROM history('proj', 'project/wacc')$$, $$SELECT * FROM history('proj')$$,
    'history(e, a) without the colon');
SELECT is((SELECT count(*) FROM history('proj', 'project/other')), 0::bigint, 'history of another attribute: empty');
SELECT is((SELECT count(*) FROM history('nobody')), 0::bigint, 'history of an unknown entity: empty');
SELECT ok((SELECT bool_and(h.tx_time = x.tx_time) FROM history('proj') h JOIN transactions x ON x.tx = h.tx),
          'history rows carry their transaction''s tx_time');
SELECT results_eq(
    $$SELECT pg_temp.tn(x.tx), x.datom_count FROM transactions x WHERE x.tx IN (SELECT tx FROM txn) ORDER BY x.tx$$,
    $$VALUES ('tx1', 1), ('tx2', 3), ('tx3', 4), ('tx4', 5)$$,
    'transactions.datom_count');

-- since --------------------------------------------------------------------------------------
SELECT results_eq($$SELECT pg_temp.tn(tx), count(*) FROM since(pg_temp.t('tx2')) WHERE e = 'proj' GROUP BY tx ORDER BY tx$$,
    $$VALUES ('tx3', 4::bigint), ('tx4', 5::bigint)$$, 'since(tx2): the datoms of tx3 and tx4');
SELECT results_eq($$SELECT * FROM since(pg_temp.t('tx2')) WHERE e = 'proj' AND tx = pg_temp.t('tx3')$$,
    $$SELECT * FROM history('proj') WHERE tx = pg_temp.t('tx3')$$, 'since: retractions before assertions within a tx');
SELECT is((SELECT count(*) FROM since(pg_temp.t('tx4')) WHERE e = 'proj'), 0::bigint, 'since(latest tx): nothing');
SELECT results_eq($$SELECT * FROM since((SELECT x.tx_time FROM transactions x WHERE x.tx = pg_temp.t('tx2'))) WHERE e = 'proj'$$,
    $$SELECT * FROM since(pg_temp.t('tx2')) WHERE e = 'proj'$$, 'since(timestamptz) = since(resolve_tx(t))');
SELECT is((SELECT count(*) FROM since('1900-01-01T00:00:00Z'::timestamptz) WHERE e = 'proj'), 13::bigint,
          'since(a time before any tx): everything');

-- resolve_tx -------------------------------------------------------------------------------
SELECT is(resolve_tx((SELECT x.tx_time FROM transactions x WHERE x.tx = pg_temp.t('tx3'))), pg_temp.t('tx3'),
          'resolve_tx(tx_time of tx3) = tx3');
SELECT is(resolve_tx((SELECT x.tx_time FROM transactions x WHERE x.tx = pg_temp.t('tx3')) - interval '1 microsecond'),
          pg_temp.t('tx2'), 'resolve_tx just before tx3 = tx2');
SELECT is(resolve_tx(clock_timestamp()), pg_temp.t('tx4'), 'resolve_tx(now) = the latest tx');

-- Reader errors ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM as_of(-42)$$, '22023', NULL, 'as_of an unknown tx: 22023');
SELECT throws_ok($$SELECT entity('proj', -42::bigint)$$, '22023', NULL, 'entity as of an unknown tx: 22023');
SELECT is(entity('no-such-entity-' || gen_random_uuid()), NULL, 'entity of an unknown entity: NULL');
SELECT throws_ok($$SELECT entity('proj', depth => -1)$$, '22023', NULL, 'entity depth -1: 22023');
SELECT throws_ok($$SELECT entity('proj', depth => 1000000)$$, '22023', NULL, 'entity depth too large: 22023');
SELECT throws_ok($$SELECT tx_root(-42)$$, '22023', NULL, 'tx_root of an unknown tx: 22023');

-- datoms(index, components) ------------------------------------------------------------------
INSERT INTO txn SELECT 'tx5', transact('[{:db/id "p1" :person/name "Ann" :person/age 30} {:db/id "p2" :person/name "Bob" :person/age 30}]');
SELECT results_eq($$SELECT e, a, v::text, op FROM datoms('eavt', '["p1"]')$$,
    $$VALUES ('p1', ':person/age', '30', 'assert'), ('p1', ':person/name', '"Ann"', 'assert')$$, 'datoms eavt [e]');
SELECT results_eq($$SELECT e, a, v::text FROM datoms('eavt', '["p1" :person/name]')$$,
    $$VALUES ('p1', ':person/name', '"Ann"')$$, 'datoms eavt [e a]');
SELECT results_eq($$SELECT e, a, v::text FROM datoms('eavt', '["p1" :person/name "Ann"]')$$,
    $$VALUES ('p1', ':person/name', '"Ann"')$$, 'datoms eavt [e a v]');
SELECT results_eq($$SELECT e, v::text FROM datoms('aevt', '[:person/age]') WHERE e IN ('p1', 'p2')$$,
    $$VALUES ('p1', '30'), ('p2', '30')$$, 'datoms aevt [a]');
SELECT results_eq($$SELECT e FROM datoms('avet', '[:person/age 30]') WHERE e IN ('p1', 'p2')$$,
    $$VALUES ('p1'), ('p2')$$, 'datoms avet [a v]');
SELECT results_eq($$SELECT pg_temp.tn(tx), v::text, op FROM datoms('eavt', '["proj" :project/wacc 0.087M]')$$,
    $$SELECT pg_temp.tn(tx), v::text, op FROM history('proj') WHERE v = '0.087M' ORDER BY tx, op = 'assert', valid_from$$,
    'datoms eavt [e a v]: all history of that value, retractions included');
SELECT throws_ok($$SELECT * FROM datoms('evat', '[]')$$, '22023', NULL, 'datoms: unknown index 22023');
SELECT throws_ok($$SELECT * FROM datoms('eavt', '{:e "p1"}')$$, '22023', NULL, 'datoms: components not a vector 22023');
SELECT throws_ok($$SELECT * FROM datoms('eavt', '["p1" :person/name "Ann" 1]')$$, '22023', NULL, 'datoms: 4 components 22023');

-- Retraction over an explicit valid interval -----------------------------------------------
INSERT INTO txn SELECT 'iv1', transact('[[:db/add "iv" :iv/x 1 {:valid-from #inst "2026-01-01T00:00:00Z"}]]');
INSERT INTO txn SELECT 'iv2', transact('[[:db/retract "iv" :iv/x 1 {:valid-from #inst "2026-03-01T00:00:00Z" :valid-to #inst "2026-04-01T00:00:00Z"}]]');
CREATE FUNCTION pg_temp.iv(as_of bigint) RETURNS TABLE (vt text, v text) LANGUAGE sql AS $$
    SELECT to_char(i AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),
           coalesce((SELECT s.v::text FROM valid_at(i, as_of) s WHERE s.e = 'iv' AND s.a = ':iv/x'), 'nil')
    FROM unnest('{2025-12-31T23:59:59.999999Z, 2026-01-01T00:00:00Z, 2026-02-10T00:00:00Z, 2026-02-20T00:00:00Z,
                  2026-02-28T23:59:59.999999Z, 2026-03-01T00:00:00Z, 2026-03-15T00:00:00Z, 2026-03-31T23:59:59.999999Z,
                  2026-04-01T00:00:00Z, 2026-06-01T00:00:00Z}'::timestamptz[]) i ORDER BY i $$;
SELECT results_eq($$SELECT * FROM pg_temp.iv(pg_temp.t('iv2'))$$,
    $$VALUES ('2025-12-31 23:59:59.999999', 'nil'), ('2026-01-01 00:00:00.000000', '1'), ('2026-02-10 00:00:00.000000', '1'),
             ('2026-02-20 00:00:00.000000', '1'), ('2026-02-28 23:59:59.999999', '1'), ('2026-03-01 00:00:00.000000', 'nil'),
             ('2026-03-15 00:00:00.000000', 'nil'), ('2026-03-31 23:59:59.999999', 'nil'), ('2026-04-01 00:00:00.000000', '1'),
             ('2026-06-01 00:00:00.000000', '1')$$,
    'retract over [03-01, 04-01): absent inside (half-open), present before and from 04-01 on');
SELECT results_eq($$SELECT v FROM pg_temp.iv(pg_temp.t('iv1'))$$,
    $$VALUES ('nil'), ('1'), ('1'), ('1'), ('1'), ('1'), ('1'), ('1'), ('1'), ('1')$$,
    'as of iv1 (before the retraction) present from 01-01 on, inside the interval too');
SELECT results_eq(
    $$SELECT op, v::text, to_char(valid_from, 'MM-DD'), to_char(valid_to, 'MM-DD') FROM history('iv') WHERE tx = pg_temp.t('iv2')$$,
    $$VALUES ('retract', '1', '01-01', NULL), ('assert', '1', '01-01', '03-01'), ('assert', '1', '04-01', NULL)$$,
    'the bounded retraction: the piece is retracted and the parts outside the interval re-asserted');
INSERT INTO txn SELECT 'iv3', transact('[[:db/retract "iv" :iv/x 1 {:valid-from #inst "2026-03-05T00:00:00Z" :valid-to #inst "2026-03-10T00:00:00Z"}]]');
SELECT is((SELECT datom_count FROM transactions WHERE tx = pg_temp.t('iv3')), 0,
          'retracting over an interval where the value is absent writes no datom');
INSERT INTO txn SELECT 'iv4', transact('[[:db/retract "iv" :iv/x nil {:valid-from #inst "2026-02-15T00:00:00Z" :valid-to #inst "2026-03-15T00:00:00Z"}]]');
SELECT results_eq($$SELECT v FROM pg_temp.iv(pg_temp.t('iv4'))$$,
    $$VALUES ('nil'), ('1'), ('1'), ('nil'), ('nil'), ('nil'), ('nil'), ('nil'), ('1'), ('1')$$,
    'a retraction of every value over [02-15, 03-15) overlapping the earlier hole: absent from 02-15 to 04-01');

-- entity() expands refs to `depth` levels ---------------------------------------------------
SELECT ok(define_attribute('dp/owner', 'ref') > 0 AND define_attribute('dp/lead', 'ref') > 0
          AND define_attribute('dp/members', 'ref', 'many') > 0 AND define_attribute('dp/manager', 'ref') > 0,
          'define the ref attributes');
INSERT INTO txn SELECT 'dp1', transact('[{:db/id "org" :dp/name "Org" :dp/owner "team"}
    {:db/id "team" :dp/name "T" :dp/lead "ann" :dp/members ["ann" "bob"]}
    {:db/id "ann" :dp/name "Ann" :dp/manager "boss"} {:db/id "bob" :dp/name "Bob" :dp/manager "nobody"}
    {:db/id "boss" :dp/name "Boss"}]');
SELECT is(entity('org', depth => 1)::text, '{:db/id "org" :dp/name "Org" :dp/owner {:db/id "team" :dp/lead "ann" :dp/members ["ann" "bob"] :dp/name "T"}}',
          'depth 1: one level of refs, the nested refs stay ids');
SELECT is(entity('org', depth => 2)::text,
          '{:db/id "org" :dp/name "Org" :dp/owner {:db/id "team" :dp/lead {:db/id "ann" :dp/manager "boss" :dp/name "Ann"} '
          ':dp/members [{:db/id "ann" :dp/manager "boss" :dp/name "Ann"} {:db/id "bob" :dp/manager "nobody" :dp/name "Bob"}] :dp/name "T"}}',
          'depth 2: refs two levels deep (cardinality one and many), the third level stays ids');
SELECT is(entity('org', depth => 3)::text,
          '{:db/id "org" :dp/name "Org" :dp/owner {:db/id "team" :dp/lead {:db/id "ann" :dp/manager {:db/id "boss" :dp/name "Boss"} :dp/name "Ann"} '
          ':dp/members [{:db/id "ann" :dp/manager {:db/id "boss" :dp/name "Boss"} :dp/name "Ann"} {:db/id "bob" :dp/manager "nobody" :dp/name "Bob"}] :dp/name "T"}}',
          'depth 3: the third level too; a ref to an entity without attributes stays an id');
INSERT INTO txn SELECT 'dp2', transact('[[:db/add "ann" :dp/name "Ann B"]]');
SELECT is((entity('org', pg_temp.t('dp1'), depth => 2) -> ':dp/owner' -> ':dp/lead' -> ':dp/name')::text, '"Ann"',
          'depth 2 as of dp1: the nested entity is read as of the same point');
SELECT is((entity('org', depth => 2) -> ':dp/owner' -> ':dp/lead' -> ':dp/name')::text, '"Ann B"',
          'depth 2 now: the nested entity''s current value');

-- Content addressing ---------------------------------------------------------------------------
INSERT INTO txn SELECT 'tx6', transact('[[:db/add "c1" :note/text "shared value 7f3a"] [:db/add "c2" :note/text "shared value 7f3a"] [:db/add "c3" :note/text "shared value 7f3a"]]');
SELECT is((SELECT count(*) FROM value_store WHERE hash = edn_hash('"shared value 7f3a"')), 1::bigint,
          'a value asserted on 3 entities is stored once');
SELECT is((SELECT count(*) FROM datoms WHERE vh = edn_hash('"shared value 7f3a"')), 3::bigint, '3 datoms refer to it');
SELECT ok((SELECT bool_and(d.vh = edn_hash(s.v)) FROM datoms d JOIN value_store s ON s.hash = d.vh
           WHERE d.tx IN (SELECT tx FROM txn)), 'datoms.vh = edn_hash(v) for every datom of this test');

-- Hashes -----------------------------------------------------------------------------------
SELECT ok((SELECT bool_and(tx_root(x.tx) = x.merkle_root) FROM transactions x), 'tx_root(tx) = merkle_root for every transaction');
SELECT ok((SELECT bool_and(d.hash = _datom_hash(d.e, d.a, d.vh, d.tx, d.valid_from, d.valid_to, d.is_assert)) FROM datoms d),
          'datoms.hash = _datom_hash(columns) for every datom');
SELECT ok((SELECT bool_and(d.hash = datom_hash(datom(d.e, d.a, s.v, d.tx, x.tx_time, d.valid_from, d.valid_to,
                                                     CASE WHEN d.is_assert THEN 'assert' ELSE 'retract' END)))
           FROM datoms d JOIN value_store s ON s.hash = d.vh JOIN transactions x ON x.tx = d.tx),
          'datoms.hash = datom_hash(datom(e, a, v, tx, tx_time, valid_from, valid_to, op))');
SELECT is((SELECT merkle_root(array_agg(d.hash ORDER BY d.hash)) FROM datoms d WHERE d.tx = pg_temp.t('tx4')),
          (SELECT merkle_root FROM transactions WHERE tx = pg_temp.t('tx4')), 'merkle_root of tx4 = RFC 6962 root of its sorted datom hashes');

-- Reading one's own writes inside one SQL transaction: the readers' default valid instant
-- is the clock, like a transact's default valid-from, so a fact written earlier in the same
-- SQL transaction is current.
INSERT INTO txn SELECT 'ryw', transact('[[:db/add "ryw" :ryw/x 1]]');
SELECT is(entity('ryw')::text, '{:db/id "ryw" :ryw/x 1}', 'entity(e) sees a fact transacted earlier in the same SQL transaction');
SELECT is((SELECT count(*) FROM as_of() WHERE e = 'ryw'), 1::bigint, 'as_of() sees it too');
SELECT is(entity('ryw', valid_at => clock_timestamp())::text, '{:db/id "ryw" :ryw/x 1}', 'with valid_at => clock_timestamp() it is visible');

-- entity() finds attributes through datoms_ea (one row per (e, a) opened) and reads each
-- below the as-of point in tx windows of 64 and 4096 (docs/fact.md, "How entity() reads").
SAVEPOINT before_open;
SELECT lives_ok($$SELECT transact('[[:db/add "ea" :ea/x 1]]')$$, 'a first write in a savepoint');
ROLLBACK TO SAVEPOINT before_open;
INSERT INTO txn SELECT 'ea1', transact('[[:db/add "ea" :ea/x 2]]');
SELECT is(entity('ea')::text, '{:db/id "ea" :ea/x 2}', 'an (e, a) whose first writer rolled back is found again');
INSERT INTO txn SELECT 'ea2', transact('[[:db/add "ea" :ea/y 3] [:db/retract "ea" :ea/x 2]]');
SELECT is(entity('ea')::text, '{:db/id "ea" :ea/y 3}', 'a retracted attribute disappears, a new one appears');
SELECT is((SELECT count(*) FROM (SELECT e, a FROM datoms GROUP BY e, a HAVING NOT bool_or(opens_ea)) s), 0::bigint,
          'every (e, a) in the log has a row with opens_ea');
DO $$ BEGIN FOR i IN 1 .. 4200 LOOP PERFORM persistence.transact('[[:db/add "ea-filler" :ea/n 1]]'); END LOOP; END $$;
INSERT INTO txn SELECT 'ea3', transact('[[:db/add "ea" :ea/y 4]]');
SELECT is(entity('ea', as_of => pg_temp.t('ea3') - 1)::text, '{:db/id "ea" :ea/y 3}',
          'as of a tx more than 4160 transactions after the value was written (the unbounded window)');
SELECT is(entity('ea', as_of => pg_temp.t('ea2') + 100)::text, '{:db/id "ea" :ea/y 3}',
          'as of a tx between 64 and 4096 transactions after it');

SELECT * FROM finish();
ROLLBACK;
