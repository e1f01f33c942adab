-- Branches (docs/branch.md): O(1) fork at any tx, isolation between a branch, its base and
-- its siblings, nesting, branch_diff, merge (its record and provenance, the conflict matrix
-- including :db/cas), rewind (with a property test over random histories) and every error
-- path with its SQLSTATE. One SQL transaction, rolled back.
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(109);

CREATE TEMP TABLE txn (name text PRIMARY KEY, tx bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT tx FROM txn WHERE name = n $$;
-- The current value of (e, a) on a branch, as text (NULL when absent).
CREATE FUNCTION pg_temp.val(e text, a text, b text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(v::text, ' ' ORDER BY v::text) FROM persistence.as_of(NULL::bigint, b) s WHERE s.e = $1 AND s.a = $2 $$;

-- Creation ---------------------------------------------------------------------------------
INSERT INTO txn SELECT 'm1', transact('[[:db/add "acme" :co/wacc 0.087] [:db/add "acme" :co/name "Acme"]]');
SELECT ok(branch('whatif') > 1, 'branch() returns the new id');
SELECT is((SELECT parent || '@' || fork_tx FROM branches() WHERE name = 'whatif'), 'main@' || pg_temp.t('m1'),
          'branches(): parent and fork tx (the head of main by default)');
SELECT is((SELECT head_tx FROM branches() WHERE name = 'whatif'), pg_temp.t('m1'), 'a new branch''s head is its fork point');
SELECT is((SELECT datom_count FROM branches() WHERE name = 'whatif'), 0::bigint, 'a new branch owns no datom');
SELECT is((SELECT count(*) FROM datoms WHERE branch_id = _branch_id('whatif')), 0::bigint, 'no datom was copied');
SELECT throws_ok($$SELECT branch('whatif')$$, '42710', 'branch "whatif" already exists', 'duplicate name: 42710');
SELECT throws_ok($$SELECT branch('-bad')$$, '22023', NULL, 'a name starting with - is refused');
SELECT throws_ok($$SELECT branch('a b')$$, '22023', NULL, 'a name with a space is refused');
SELECT throws_ok($$SELECT branch(repeat('x', 64))$$, '22023', NULL, 'a 64-character name is refused');
SELECT throws_ok($$SELECT branch(NULL)$$, '22004', NULL, 'NULL name: 22004');
SELECT throws_ok($$SELECT branch('x1', NULL)$$, '22004', NULL, 'NULL from_branch: 22004');
SELECT throws_ok($$SELECT branch('x2', 'nope')$$, '42704', 'branch "nope" does not exist', 'unknown base: 42704');
SELECT throws_ok($$SELECT branch('x3', 'main', 999999999)$$, '22023', NULL, 'an at_tx that does not exist: 22023');

-- Isolation --------------------------------------------------------------------------------
INSERT INTO txn SELECT 'w1', transact('[[:db/add "acme" :co/wacc 0.095]]', 'whatif');
SELECT is(pg_temp.val('acme', ':co/wacc', 'whatif'), '0.095', 'the branch sees its own write');
SELECT is(pg_temp.val('acme', ':co/wacc', 'main'), '0.087', 'main does not see the branch''s write');
SELECT is(pg_temp.val('acme', ':co/name', 'whatif'), '"Acme"', 'the branch sees its base''s facts');
SELECT is(entity('acme', branch => 'whatif')::text, '{:co/name "Acme" :co/wacc 0.095 :db/id "acme"}', 'entity() on the branch');
SELECT is(entity('acme')::text, '{:co/name "Acme" :co/wacc 0.087 :db/id "acme"}', 'entity() on main');
INSERT INTO txn SELECT 'm2', transact('[[:db/add "acme" :co/name "Acme Corp"]]');
SELECT is(pg_temp.val('acme', ':co/name', 'whatif'), '"Acme"', 'main''s writes after the fork are not visible on the branch');
SELECT ok(branch('sibling') > 0, 'a sibling branch from main''s head');
SELECT is(pg_temp.val('acme', ':co/wacc', 'sibling'), '0.087', 'the sibling does not see the other branch');
SELECT is(pg_temp.val('acme', ':co/name', 'sibling'), '"Acme Corp"', 'the sibling sees main up to its own fork');
SELECT throws_ok(format('SELECT branch(%L, %L, %s)', 'x4', 'sibling', pg_temp.t('w1')), '22023',
                 format('transaction %s is not visible on branch "sibling"', pg_temp.t('w1')),
                 'branch() at a tx of a sibling branch: 22023');
SELECT throws_ok(format('SELECT branch(%L, %L, %s)', 'x5', 'whatif', pg_temp.t('m2')), '22023',
                 format('transaction %s is not visible on branch "whatif"', pg_temp.t('m2')),
                 'branch() from a child at a tx its base wrote after the child''s fork: 22023');
SELECT lives_ok(format('SELECT branch(%L, %L, %s)', 'x6', 'whatif', pg_temp.t('m1')),
                'branch() from a child at its base''s tx up to the fork is fine');
SELECT is((SELECT count(*) FROM history('acme', branch => 'whatif')), 5::bigint,
          'history on the branch: the base''s 2 datoms up to the fork plus its own 3 (new value, retraction, closed re-assertion)');
SELECT is((SELECT count(*) FROM since(pg_temp.t('m1'), 'whatif')), 3::bigint, 'since() on the branch: only its own transaction');
SELECT is(resolve_tx(now() + interval '1 hour', 'whatif'), pg_temp.t('w1'), 'resolve_tx on the branch finds the branch''s tx');
SELECT throws_ok(format('SELECT * FROM as_of(%s, %L)', pg_temp.t('m2'), 'whatif'), '22023', NULL,
                 'as_of(a tx of main after the fork) on the branch: 22023');
SELECT throws_ok(format('SELECT entity(%L, as_of => %s, branch => %L)', 'acme', pg_temp.t('m2'), 'whatif'), '22023', NULL,
                 'entity(as_of => tx not visible on the branch): 22023');
SELECT is((SELECT count(*) FROM datoms('eavt', '["acme" :co/wacc]', 'whatif')), 4::bigint, 'datoms() walks the branch''s view');

-- Rules are evaluated against the branch's view.
SELECT lives_ok($$SELECT transact('[[:db/cas "acme" :co/wacc 0.095 0.1]]', 'whatif')$$, 'CAS against the branch''s value');
SELECT throws_ok($$SELECT transact('[[:db/cas "acme" :co/wacc 0.095 0.2]]')$$, 'PX001', NULL, 'the same CAS on main fails');
SELECT define_attribute(':co/ticker', 'string', 'one', 'value', 'exchange ticker');
SELECT transact('[[:db/add "acme" :co/ticker "ACM"]]');
SELECT ok(branch('uniq') > 0, 'a branch after the ticker');
SELECT throws_ok($$SELECT transact('[[:db/add "other" :co/ticker "ACM"]]', 'uniq')$$, '23505', NULL,
                 'unique :value is checked against the base''s facts too');
SELECT lives_ok($$SELECT transact('[[:db/add "other" :co/ticker "OTH"]]', 'uniq')$$, 'a different value is fine');
SELECT lives_ok($$SELECT transact('[[:db/add "other2" :co/ticker "OTH"]]', 'whatif')$$,
                'a sibling''s unique value does not constrain another branch');

-- Nesting three deep ---------------------------------------------------------------------------
SELECT branch('l1');
INSERT INTO txn SELECT 'l1', transact('[[:db/add "n" :n/level 1] [:db/add "n" :n/l1 true]]', 'l1');
SELECT branch('l2', 'l1');
INSERT INTO txn SELECT 'l2', transact('[[:db/add "n" :n/level 2] [:db/add "n" :n/l2 true]]', 'l2');
SELECT branch('l3', 'l2');
INSERT INTO txn SELECT 'l3', transact('[[:db/add "n" :n/level 3]]', 'l3');
INSERT INTO txn SELECT 'l1b', transact('[[:db/add "n" :n/late true]]', 'l1');
SELECT is(entity('n', branch => 'l3')::text, '{:db/id "n" :n/l1 true :n/l2 true :n/level 3}', 'depth 3 sees all ancestors up to each fork');
SELECT is(entity('n', branch => 'l2')::text, '{:db/id "n" :n/l1 true :n/l2 true :n/level 2}', 'depth 2 does not see its child');
SELECT is(entity('n', branch => 'l1')::text, '{:db/id "n" :n/l1 true :n/late true :n/level 1}', 'depth 1 sees neither child');
SELECT is(entity('n'), NULL, 'main sees nothing of n');
SELECT is(entity('n', as_of => pg_temp.t('l1'), branch => 'l3')::text, '{:db/id "n" :n/l1 true :n/level 1}', 'as of an ancestor''s tx on the deepest branch');
SELECT branch('l2-old', 'l2', pg_temp.t('l1'));
SELECT throws_ok(format('SELECT branch(%L, %L, %s)', 'x7', 'l3', pg_temp.t('l1b')), '22023', NULL,
                 'branch() from depth 3 at a grandparent''s tx written after the forks: 22023');
SELECT is((SELECT string_agg(name, ' ' ORDER BY name) FROM branches WHERE name LIKE 'x_'), 'x6',
          'the refused branch() calls created no branch');
SELECT is(entity('n', branch => 'l2-old')::text, '{:db/id "n" :n/l1 true :n/level 1}', 'a branch at an earlier tx of its base (at_tx from the grandparent)');

-- branch_diff ------------------------------------------------------------------------------------
SELECT is((SELECT string_agg(branch || ' ' || op || ' ' || v::text, ', ' ORDER BY branch, tx, op, v::text)
           FROM branch_diff('l3', 'l1') WHERE e = 'n' AND attribute = ':n/level'),
          'l3 assert 1, l3 assert 2, l3 retract 1, l3 assert 2, l3 assert 3, l3 retract 2',
          'branch_diff: l3''s changes to :n/level since the common ancestor (l2''s and its own transactions)');
SELECT is((SELECT string_agg(branch || ' ' || attribute, ', ') FROM branch_diff('l3', 'l1') WHERE branch = 'l1'), 'l1 :n/late',
          'branch_diff: l1''s change after l2 forked from it');
SELECT is((SELECT count(*) FROM branch_diff('l1', 'l1')), 0::bigint, 'a branch has no diff with itself');
SELECT is((SELECT count(*) FROM branch_diff('main', 'sibling') WHERE branch = 'sibling'), 0::bigint,
          'a branch that wrote nothing has no changes');
SELECT throws_ok($$SELECT * FROM branch_diff(NULL, 'main')$$, '22004', NULL, 'branch_diff(NULL, b): 22004');
SELECT throws_ok($$SELECT * FROM branch_diff('main', NULL)$$, '22004', NULL, 'branch_diff(a, NULL): 22004');
SELECT throws_ok($$SELECT * FROM branch_diff('nope', 'main')$$, '42704', 'branch "nope" does not exist',
                 'branch_diff with an unknown first branch: 42704');
SELECT throws_ok($$SELECT * FROM branch_diff('main', 'nope')$$, '42704', 'branch "nope" does not exist',
                 'branch_diff with an unknown second branch: 42704');

-- Merge conflict matrix ---------------------------------------------------------------------------
SELECT transact('[[:db/add "p" :p/a 1] [:db/add "p" :p/b 1] [:db/add "p" :p/tags "x"]]');
SELECT define_attribute(':p/tags', 'string', 'many', NULL, 'tags');
SELECT branch('feat');
INSERT INTO txn SELECT 'f1', transact('[[:db/add "p" :p/a 2] [:db/add "p" :p/tags "y"]]', 'feat');
INSERT INTO txn SELECT 'f2', transact('[[:db/add "p" :p/c 3]]', 'feat');
SELECT transact('[[:db/add "p" :p/b 5] [:db/add "p" :p/tags "z"]]');
INSERT INTO txn SELECT 'feat-head', _branch_head('feat');
INSERT INTO txn SELECT 'main-head', _branch_head('main');
CREATE TEMP TABLE merged AS SELECT * FROM merge('feat', 'main');
SELECT is((SELECT count(*) FROM merged WHERE kind = 'merged'), 1::bigint, 'merge without conflicts: merged');
SELECT is(entity('p')::text, '{:db/id "p" :p/a 2 :p/b 5 :p/c 3 :p/tags ["x" "y" "z"]}',
          'main has both sides; cardinality many accumulates from both');
SELECT is((SELECT count(*) FROM merge_sources ms JOIN transactions x ON x.tx = ms.tx WHERE x.branch_id = 1), 2::bigint,
          'one replayed transaction per source transaction');
-- The replayed transactions name their source; the record names both parents.
SELECT results_eq(
    $$SELECT ms.source_tx, x.provenance FROM merge_sources ms JOIN transactions x ON x.tx = ms.tx
      WHERE x.branch_id = 1 ORDER BY ms.tx$$,
    $$VALUES (pg_temp.t('f1'), format('{:merge/source-branch "feat" :merge/source-tx %s}', pg_temp.t('f1'))::edn),
             (pg_temp.t('f2'), format('{:merge/source-branch "feat" :merge/source-tx %s}', pg_temp.t('f2'))::edn)$$,
    'each replayed transaction''s provenance is {:merge/source-branch "feat" :merge/source-tx N}, in source order');
SELECT is((SELECT count(*) FROM merge_sources ms JOIN transactions x ON x.tx = ms.tx
           WHERE x.branch_id = 1 AND ms.tx > pg_temp.t('main-head') AND ms.tx < (SELECT merge_tx FROM merged WHERE kind = 'merged')),
          2::bigint, 'the replays come after into''s head and before the record');
SELECT is_empty(
    $$SELECT d.e, d.a, d.vh, d.valid_from, d.valid_to, d.is_assert FROM datoms d WHERE d.tx = pg_temp.t('f1')
      EXCEPT
      SELECT d.e, d.a, d.vh, d.valid_from, d.valid_to, d.is_assert FROM datoms d
      JOIN merge_sources ms ON ms.tx = d.tx WHERE ms.source_tx = pg_temp.t('f1')$$,
    'the replay of f1 re-asserts and re-retracts exactly f1''s pieces (plus main''s own companions)');
SELECT results_eq(
    $$SELECT merge_tx, e LIKE 'merge/%', attribute, detail, resolution FROM merged$$,
    $$VALUES (_branch_head('main'), true, NULL::text, '2 transactions replayed from "feat"', 'fail')$$,
    'the merged row: the record tx (main''s head now), the record entity, the count, the strategy');
SELECT is((SELECT provenance FROM transactions WHERE tx = (SELECT merge_tx FROM merged)),
          format('{:merge/parents [%s %s]}', pg_temp.t('feat-head'), pg_temp.t('main-head'))::edn,
          'the record''s provenance is {:merge/parents [src-head into-head]}');
SELECT is((SELECT entity(e) FROM merged),
          format('{:db/id %s :merge/conflicts 0 :merge/into "main" :merge/into-head %s :merge/replayed 2 :merge/source "feat"
                   :merge/source-head %s :merge/strategy "fail"}',
                 (SELECT to_jsonb(e)::text FROM merged), pg_temp.t('main-head'), pg_temp.t('feat-head'))::edn,
          'the record entity carries the :merge/* datoms');
SELECT is((SELECT count(*) FROM datoms WHERE tx = (SELECT merge_tx FROM merged) AND (e <> (SELECT e FROM merged) OR a NOT LIKE ':merge/%')),
          0::bigint, 'the record transaction writes only the record entity''s :merge/* datoms');
SELECT results_eq(
    $$SELECT merge_tx, source_branch, target_branch, source_head, target_head, strategy FROM merges$$,
    $$SELECT (SELECT merge_tx FROM merged), _branch_id('feat'), 1, pg_temp.t('feat-head'), pg_temp.t('main-head'), 'fail'::text$$,
    'persistence.merges has the merge''s row');
SELECT is((SELECT detail FROM merge('feat', 'main') WHERE kind = 'merged'), '0 transactions replayed from "feat"',
          'a second merge replays nothing new');

SELECT branch('c1');
SELECT transact('[[:db/add "p" :p/a 10] [:db/add "p" :p/d 1]]', 'c1');
SELECT transact('[[:db/add "p" :p/a 20]]');
CREATE TEMP TABLE failed AS SELECT * FROM merge('c1', 'main');
SELECT is((SELECT kind || ' ' || e || ' ' || attribute || ' ' || resolution FROM failed), 'cardinality-one p :p/a none',
          'strategy fail: the conflict is returned');
SELECT is(entity('p')::text, '{:db/id "p" :p/a 20 :p/b 5 :p/c 3 :p/tags ["x" "y" "z"]}', 'strategy fail: nothing merged');
SELECT is((SELECT count(*) FROM merge('c1', 'main', 'ours') WHERE kind = 'cardinality-one' AND resolution = 'ours'), 1::bigint,
          'strategy ours: the conflict is reported as resolved');
SELECT is(entity('p')::text, '{:db/id "p" :p/a 20 :p/b 5 :p/c 3 :p/d 1 :p/tags ["x" "y" "z"]}',
          'strategy ours: main keeps its value, the rest is merged');
SELECT branch('c2');
SELECT transact('[[:db/add "p" :p/a 30]]', 'c2');
SELECT transact('[[:db/add "p" :p/a 40]]');
SELECT lives_ok($$SELECT * FROM merge('c2', 'main', 'theirs')$$, 'strategy theirs');
SELECT is(pg_temp.val('p', ':p/a', 'main'), '30', 'strategy theirs: the source''s value wins');
SELECT branch('u1');
SELECT transact('[[:db/add "q1" :co/ticker "QQQ"]]', 'u1');
SELECT transact('[[:db/add "q2" :co/ticker "QQQ"]]');
SELECT is((SELECT kind FROM merge('u1', 'main') LIMIT 1), 'unique', 'a unique value taken on the target: a unique conflict');
SELECT is(pg_temp.val('q1', ':co/ticker', 'main'), NULL, 'strategy fail on a unique conflict: nothing merged');
SAVEPOINT unique_ours;
SELECT is((SELECT resolution FROM merge('u1', 'main', 'ours') WHERE kind = 'unique'), 'ours', 'unique conflict, strategy ours');
SELECT is(pg_temp.val('q2', ':co/ticker', 'main') || ' ' || coalesce(pg_temp.val('q1', ':co/ticker', 'main'), '-'), '"QQQ" -',
          'strategy ours: the target''s holder keeps the value, the source''s assertion is dropped');
ROLLBACK TO SAVEPOINT unique_ours;
SELECT is((SELECT resolution FROM merge('u1', 'main', 'theirs') WHERE kind = 'unique'), 'theirs', 'unique conflict, strategy theirs');
SELECT is(coalesce(pg_temp.val('q2', ':co/ticker', 'main'), '-') || ' ' || pg_temp.val('q1', ':co/ticker', 'main'), '- "QQQ"',
          'strategy theirs: the target''s holder loses the value, the source''s entity gets it');

-- :db/cas in the conflict matrix. A CAS changes its (e, a) like an add: a CAS on one side
-- while the other side changed the same (e, a) is a cardinality-one conflict.
SELECT transact('[[:db/add "k" :k/bal 100] [:db/add "k2" :k/bal 100] [:db/add "k3" :k/bal 100]]');
SELECT branch('cas');
SELECT branch('cas2');
SELECT transact('[[:db/cas "k" :k/bal 100 150] [:db/cas "k2" :k/bal 100 150]]', 'cas');
SELECT transact('[[:db/add "k3" :k/bal 140]]', 'cas2');
SELECT transact('[[:db/add "k" :k/bal 120] [:db/cas "k3" :k/bal 100 130]]');
SELECT results_eq($$SELECT kind, e, attribute, resolution, merge_tx IS NULL FROM merge('cas', 'main')$$,
    $$VALUES ('cardinality-one', 'k', ':k/bal', 'none', true)$$,
    'CAS on the source, add on the target, strategy fail: one cardinality-one conflict');
SELECT is(pg_temp.val('k', ':k/bal', 'main') || ' ' || pg_temp.val('k2', ':k/bal', 'main'), '120 100',
          'strategy fail: nothing merged');
SAVEPOINT cas_ours;
SELECT results_eq($$SELECT kind, coalesce(attribute, '-') || ' ' || resolution FROM merge('cas', 'main', 'ours')$$,
    $$VALUES ('cardinality-one', ':k/bal ours'), ('merged', '- ours')$$,
    'CAS conflict, strategy ours: the conflict is resolved as ours, the rest merged');
SELECT is(pg_temp.val('k', ':k/bal', 'main') || ' ' || pg_temp.val('k2', ':k/bal', 'main'), '120 150',
          'strategy ours: main keeps 120 on k; the CAS on k2 (no conflict) is replayed');
ROLLBACK TO SAVEPOINT cas_ours;
SELECT results_eq($$SELECT kind, e, resolution FROM merge('cas', 'main', 'theirs') WHERE kind <> 'merged'$$,
    $$VALUES ('cardinality-one', 'k', 'theirs')$$, 'CAS conflict, strategy theirs: the conflict is resolved as theirs');
SELECT is(pg_temp.val('k', ':k/bal', 'main') || ' ' || pg_temp.val('k2', ':k/bal', 'main'), '150 150',
          'strategy theirs: the CAS''s value wins on k; k2 is replayed');
SELECT results_eq($$SELECT kind, e, resolution FROM merge('cas2', 'main')$$,
    $$VALUES ('cardinality-one', 'k3', 'none')$$,
    'add on the source, CAS on the target: a cardinality-one conflict under fail');
SELECT is(pg_temp.val('k3', ':k/bal', 'main'), '130', 'the target''s CAS value stays');
-- Known limit (docs/branch.md §2): a check-only CAS (old = new) writes no datom, so a merge
-- does not see it and it is no conflict even though its check no longer holds on the target.
SELECT branch('cas3');
SELECT transact('[[:db/cas "k3" :k/bal 130 130] [:db/add "k3" :k/note "checked"]]', 'cas3');
SELECT transact('[[:db/add "k3" :k/bal 135]]');
SELECT is((SELECT string_agg(kind, ' ') FROM merge('cas3', 'main')), 'merged',
          'a check-only CAS on the source is not a conflict (known limit)');

SELECT throws_ok($$SELECT * FROM merge('u1', 'main', 'nope')$$, '22023', NULL, 'unknown strategy: 22023');
SELECT throws_ok($$SELECT * FROM merge('main', 'main')$$, '22023', NULL, 'merging a branch into itself: 22023');
SELECT throws_ok($$SELECT * FROM merge('nope', 'main')$$, '42704', 'branch "nope" does not exist', 'unknown source: 42704');
SELECT throws_ok($$SELECT * FROM merge('u1', 'nope')$$, '42704', 'branch "nope" does not exist', 'unknown target: 42704');
SELECT throws_ok($$SELECT * FROM merge(NULL, 'main')$$, '22004', NULL, 'merge with a NULL source: 22004');
SELECT throws_ok($$SELECT * FROM merge('u1', NULL)$$, '22004', NULL, 'merge with a NULL target: 22004');
SELECT throws_ok($$SELECT * FROM merge('u1', 'main', NULL)$$, '22004', NULL, 'merge with a NULL strategy: 22004');

-- Rewind --------------------------------------------------------------------------------------------
SELECT branch('rw');
INSERT INTO txn SELECT 'r1', transact('[[:db/add "r" :r/x 1] [:db/add "s" :r/x 1]]', 'rw');
SELECT transact('[[:db/add "r" :r/x 2] [:db/add "r" :r/y 2] [:db/add "s" :r/x 2]]', 'rw');
SELECT transact('[[:db/retract "r" :r/x 2]]', 'rw');
SELECT ok(rewind('rw', pg_temp.t('r1'), ARRAY['r']) > pg_temp.t('r1'), 'rewind returns the new tx');
SELECT is(entity('r', branch => 'rw')::text, '{:db/id "r" :r/x 1}', 'rewind of one entity restores it');
SELECT is(entity('s', branch => 'rw')::text, '{:db/id "s" :r/x 2}', 'other entities are untouched');
SELECT is((SELECT provenance FROM transactions WHERE tx = _branch_head('rw')),
          format('{:rewind/to-tx %s :rewind/entities ["r"]}', pg_temp.t('r1'))::edn,
          'the rewind''s provenance names to_tx and the entities');
SELECT lives_ok(format('INSERT INTO txn SELECT %L, rewind(%L, %s, %L)', 'r-none', 'rw', pg_temp.t('r1'), '{}'),
                'rewind of an empty entity list');
SELECT is((SELECT datom_count::text || ' ' || provenance::text FROM transactions WHERE tx = pg_temp.t('r-none')),
          format('0 {:rewind/entities [] :rewind/to-tx %s}', pg_temp.t('r1')),
          'rewind of an empty entity list: a transaction with no datom, on record');
SELECT throws_ok($$SELECT rewind('rw', 999999999)$$, '22023', NULL, 'rewind to a tx not on the branch: 22023');
SELECT throws_ok($$SELECT rewind('rw', NULL)$$, '22023', NULL, 'rewind to NULL: 22023');
SELECT throws_ok(format('SELECT rewind(%L, %s)', 'rw', pg_temp.t('w1')), '22023',
                 format('transaction %s is not visible on branch "rw"', pg_temp.t('w1')),
                 'rewind to a tx of another branch: 22023');
SELECT throws_ok(format('SELECT rewind(NULL, %s)', pg_temp.t('r1')), '22004', 'branch must not be NULL',
                 'rewind of a NULL branch: 22004');
SELECT throws_ok(format('SELECT rewind(%L, %s)', 'nope', pg_temp.t('r1')), '42704', 'branch "nope" does not exist',
                 'rewind of an unknown branch: 42704');
SELECT throws_ok($$SELECT rewind('nope', NULL)$$, '42704', 'branch "nope" does not exist',
                 'rewind of an unknown branch to NULL: 42704 (the branch is checked first)');
SELECT throws_ok(format('SELECT rewind(%L, %s, ARRAY[%L, NULL])', 'rw', pg_temp.t('r1'), 'r'), '22004',
                 'entities must not contain NULL', 'rewind with NULL inside entities: 22004');

-- Property: after head := rewind(b, t), the branch's state at its head equals its state as of
-- t: the same live pieces (e, a, v, valid_from, valid_to) for every (e, a), and the same
-- valid_at at every instant where a piece starts or ends, just before each, and the clock.
-- Random histories (seeded): cardinality one and many, adds with the default valid-from
-- (the transaction time), with an open or a bounded explicit interval, retractions of a
-- value over an interval, of every value from now on or from an instant, retractEntity.
SELECT define_attribute(':h/m', 'int', 'many', NULL, 'the rewind property''s cardinality-many attribute');
CREATE FUNCTION pg_temp.random_history(b text, n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE op text; e text; a text; v int; m int; vf text; vt text;
BEGIN
    FOR i IN 1 .. n LOOP
        e := 'e' || floor(random() * 4);
        a := CASE WHEN random() < 0.25 THEN ':h/m' ELSE ':h/a' || floor(random() * 3) END;
        v := floor(random() * 5);
        m := 1 + floor(random() * 9);
        vf := format('#inst "2026-%s-01T00:00:00Z"', to_char(m, 'FM00'));
        vt := format('#inst "2026-%s-15T00:00:00Z"', to_char(m + floor(random() * 3), 'FM00'));
        op := CASE floor(random() * 8)::int
                  WHEN 0 THEN format('[:db/retract "%s" %s]', e, a)
                  WHEN 1 THEN format('[:db/retract "%s" %s %s {:valid-from %s :valid-to %s}]', e, a, v, vf, vt)
                  WHEN 2 THEN format('[:db/retract "%s" %s nil {:valid-from %s}]', e, a, vf)
                  WHEN 3 THEN format('[:db/add "%s" %s %s {:valid-from %s}]', e, a, v, vf)
                  WHEN 4 THEN format('[:db/add "%s" %s %s {:valid-from %s :valid-to %s}]', e, a, v, vf, vt)
                  WHEN 5 THEN format('[:db/retractEntity "%s"]', e)
                  ELSE format('[:db/add "%s" %s %s]', e, a, v) END;
        PERFORM persistence.transact(('[' || op || ']')::persistence.edn, b);
    END LOOP;
END $$;
-- The live pieces of the property's entities on b as of t (NULL: the latest).
CREATE FUNCTION pg_temp.pieces(b text, t bigint) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(format('%s %s %s [%s, %s)', e, a, persistence._value(vh)::text, valid_from,
                                      coalesce(valid_to::text, 'open')), '; ' ORDER BY e, a, valid_from, vh), '')
    FROM persistence._live_pieces(b, t) WHERE e LIKE 'e_' $$;
-- valid_at as of t at each of the instants.
CREATE FUNCTION pg_temp.states(b text, t bigint, instants timestamptz[]) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(format('@%s %s %s %s', i, s.e, s.a, s.v::text), '; ' ORDER BY i, s.e, s.a, s.v::text), '')
    FROM unnest(instants) i, LATERAL persistence.valid_at(i, t, b) s WHERE s.e LIKE 'e_' $$;
CREATE TEMP TABLE rewind_rounds (round int, changed boolean, pieces_ok boolean, states_ok boolean);
CREATE FUNCTION pg_temp.rewind_property(rounds int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE b text; t bigint; head bigint; before text; instants timestamptz[];
BEGIN
    FOR r IN 1 .. rounds LOOP
        b := 'prop' || r;
        PERFORM persistence.branch(b);
        PERFORM pg_temp.random_history(b, 5 + floor(random() * 10)::int);
        SELECT x.tx INTO t FROM persistence.transactions x WHERE x.branch_id = persistence._branch_id(b)
        ORDER BY random() LIMIT 1;
        PERFORM pg_temp.random_history(b, 1 + floor(random() * 10)::int);
        before := pg_temp.pieces(b, NULL);
        head := persistence.rewind(b, t);
        SELECT array_agg(DISTINCT x) INTO instants FROM (
            SELECT unnest(ARRAY[d.valid_from, d.valid_to, d.valid_from - interval '1 microsecond',
                                d.valid_to - interval '1 microsecond']) AS x
            FROM persistence.datoms d
            JOIN persistence._branch_view(b) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
            WHERE d.e LIKE 'e_'
            UNION ALL SELECT clock_timestamp()) s
        WHERE x IS NOT NULL;
        INSERT INTO rewind_rounds VALUES (r, before IS DISTINCT FROM pg_temp.pieces(b, t),
            pg_temp.pieces(b, head) = pg_temp.pieces(b, t),
            pg_temp.states(b, head, instants) = pg_temp.states(b, t, instants));
        IF NOT (pg_temp.pieces(b, head) = pg_temp.pieces(b, t)) THEN
            RAISE NOTICE 'round %: pieces at head % <> as of t %', r, pg_temp.pieces(b, head), pg_temp.pieces(b, t);
        END IF;
    END LOOP;
END $$;
SELECT setseed(0.4242);
SELECT pg_temp.rewind_property(30);
SELECT is((SELECT count(*) FROM rewind_rounds WHERE pieces_ok), 30::bigint,
          'property: after rewind(b, t) the live pieces of every (e, a) equal those as of t (30 random histories)');
SELECT is((SELECT count(*) FROM rewind_rounds WHERE states_ok), 30::bigint,
          'property: and valid_at agrees at every piece boundary, just before each, and the clock');
SELECT cmp_ok((SELECT count(*) FROM rewind_rounds WHERE changed), '>=', 20::bigint,
              'the random histories are not trivial: in most rounds the rewind had something to undo');

SELECT * FROM finish();
ROLLBACK;
