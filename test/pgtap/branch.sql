-- Branches (docs/branch.md): O(1) fork at any tx, isolation between a branch, its base and
-- its siblings, nesting, branch_diff, the merge conflict matrix, rewind (with a property
-- test over random histories) and every error path. One SQL transaction, rolled back.
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(69);

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

-- Merge conflict matrix ---------------------------------------------------------------------------
SELECT transact('[[:db/add "p" :p/a 1] [:db/add "p" :p/b 1] [:db/add "p" :p/tags "x"]]');
SELECT define_attribute(':p/tags', 'string', 'many', NULL, 'tags');
SELECT branch('feat');
SELECT transact('[[:db/add "p" :p/a 2] [:db/add "p" :p/tags "y"]]', 'feat');
SELECT transact('[[:db/add "p" :p/c 3]]', 'feat');
SELECT transact('[[:db/add "p" :p/b 5] [:db/add "p" :p/tags "z"]]');
SELECT is((SELECT count(*) FROM merge('feat', 'main') WHERE kind = 'merged'), 1::bigint, 'merge without conflicts: merged');
SELECT is(entity('p')::text, '{:db/id "p" :p/a 2 :p/b 5 :p/c 3 :p/tags ["x" "y" "z"]}',
          'main has both sides; cardinality many accumulates from both');
SELECT is((SELECT count(*) FROM merge_sources ms JOIN transactions x ON x.tx = ms.tx WHERE x.branch_id = 1), 2::bigint,
          'one replayed transaction per source transaction');
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
SELECT throws_ok($$SELECT * FROM merge('u1', 'main', 'nope')$$, '22023', NULL, 'unknown strategy: 22023');
SELECT throws_ok($$SELECT * FROM merge('main', 'main')$$, '22023', NULL, 'merging a branch into itself: 22023');
SELECT throws_ok($$SELECT * FROM merge('nope', 'main')$$, '42704', NULL, 'unknown source: 42704');

-- Rewind --------------------------------------------------------------------------------------------
SELECT branch('rw');
INSERT INTO txn SELECT 'r1', transact('[[:db/add "r" :r/x 1] [:db/add "s" :r/x 1]]', 'rw');
SELECT transact('[[:db/add "r" :r/x 2] [:db/add "r" :r/y 2] [:db/add "s" :r/x 2]]', 'rw');
SELECT transact('[[:db/retract "r" :r/x 2]]', 'rw');
SELECT ok(rewind('rw', pg_temp.t('r1'), ARRAY['r']) > pg_temp.t('r1'), 'rewind returns the new tx');
SELECT is(entity('r', branch => 'rw')::text, '{:db/id "r" :r/x 1}', 'rewind of one entity restores it');
SELECT is(entity('s', branch => 'rw')::text, '{:db/id "s" :r/x 2}', 'other entities are untouched');
SELECT throws_ok($$SELECT rewind('rw', 999999999)$$, '22023', NULL, 'rewind to a tx not on the branch: 22023');
SELECT throws_ok($$SELECT rewind('rw', NULL)$$, '22023', NULL, 'rewind to NULL: 22023');

-- Property: after rewind(b, t), as_of(head) on b equals as_of(t) on b (random histories).
CREATE FUNCTION pg_temp.random_history(b text, n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE op text;
BEGIN
    FOR i IN 1 .. n LOOP
        op := CASE floor(random() * 4)::int
                  WHEN 0 THEN format('[:db/retract "e%s" :h/a%s]', floor(random() * 4), floor(random() * 3))
                  WHEN 1 THEN format('[:db/add "e%s" :h/a%s %s {:valid-from #inst "2026-0%s-01T00:00:00Z"}]',
                                     floor(random() * 4), floor(random() * 3), floor(random() * 5), 1 + floor(random() * 9))
                  ELSE format('[:db/add "e%s" :h/a%s %s]', floor(random() * 4), floor(random() * 3), floor(random() * 5)) END;
        PERFORM persistence.transact(('[' || op || ']')::persistence.edn, b);
    END LOOP;
END $$;
CREATE FUNCTION pg_temp.pieces(b text, t bigint) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(format('%s %s %s %s %s', e, a, v::text, valid_from, valid_to), '; '
                               ORDER BY e, a, v::text, valid_from), '')
    FROM persistence.valid_at('2026-06-15', t, b) WHERE e LIKE 'e%' $$;
CREATE FUNCTION pg_temp.rewind_property(rounds int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE b text; t bigint; head bigint; bad int := 0;
BEGIN
    FOR r IN 1 .. rounds LOOP
        b := 'prop' || r;
        PERFORM persistence.branch(b);
        PERFORM pg_temp.random_history(b, 5 + floor(random() * 10)::int);
        SELECT x.tx INTO t FROM persistence.transactions x WHERE x.branch_id = persistence._branch_id(b)
        ORDER BY random() LIMIT 1;
        PERFORM pg_temp.random_history(b, 1 + floor(random() * 10)::int);
        head := persistence.rewind(b, t);
        IF pg_temp.pieces(b, head) IS DISTINCT FROM pg_temp.pieces(b, t) THEN
            bad := bad + 1;
            RAISE NOTICE 'round %: % <> %', r, pg_temp.pieces(b, head), pg_temp.pieces(b, t);
        END IF;
    END LOOP;
    RETURN bad;
END $$;
SELECT is(pg_temp.rewind_property(25), 0, 'property: after rewind(b, t) the state equals the state as of t (25 random histories)');

SELECT * FROM finish();
ROLLBACK;
