-- The sealed audit chain (docs/audit.md): sealing, checkpoints, verify_chain, proofs,
-- erasure, key rotation, roles and every error path. One SQL transaction, rolled back;
-- seal() takes the sealing lock, so the sealer worker waits until the end and the chain
-- cannot move under the tests. Tamper classes are in test/stress/audit_tamper.sh.
BEGIN;
SET LOCAL search_path = persistence, public;
SET LOCAL timezone = 'UTC';
SELECT plan(58);

CREATE TEMP TABLE txn (name text PRIMARY KEY, tx bigint NOT NULL);
CREATE FUNCTION pg_temp.t(n text) RETURNS bigint LANGUAGE sql AS $$ SELECT tx FROM txn WHERE name = n $$;

-- Sealing -----------------------------------------------------------------------------------
INSERT INTO txn SELECT 'a', transact('[[:db/add "alice" :person/email "alice@example.com"] [:db/add "alice" :person/age 41]]');
INSERT INTO txn SELECT 'b', transact('[[:db/add "bob" :person/email "bob@example.com"]]');
SELECT ok(EXISTS (SELECT 1 FROM seal_queue WHERE tx = pg_temp.t('a')), 'transact queues its tx for sealing');
SELECT cmp_ok(seal(), '>=', 2::bigint, 'seal() appends the queued transactions');
SELECT ok(NOT EXISTS (SELECT 1 FROM seal_queue WHERE tx IN (pg_temp.t('a'), pg_temp.t('b'))), 'sealed transactions leave the queue');
SELECT is(seal(), 0::bigint, 'a second seal() finds nothing to do');
SELECT ok((SELECT c2.seq = c1.seq + 1 FROM chain c1, chain c2 WHERE c1.tx = pg_temp.t('a') AND c2.tx = pg_temp.t('b')),
          'entries follow each other in tx order within one pass');
SELECT ok((SELECT c2.prev_hash = c1.entry_hash FROM chain c1, chain c2 WHERE c1.tx = pg_temp.t('a') AND c2.tx = pg_temp.t('b')),
          'prev_hash links to the previous entry');
SELECT ok((SELECT c.merkle_root = x.merkle_root FROM chain c JOIN transactions x USING (tx) WHERE tx = pg_temp.t('a')),
          'an entry carries its transaction''s Merkle root');
SELECT is((SELECT count(*) FROM transactions x WHERE NOT EXISTS (SELECT 1 FROM chain c WHERE c.tx = x.tx)
                                            AND NOT EXISTS (SELECT 1 FROM seal_queue q WHERE q.tx = x.tx)),
          0::bigint, 'every transaction is sealed or queued');
SELECT ok((SELECT c.branch_prev = p.entry_hash FROM chain c, chain p
           WHERE c.tx = pg_temp.t('b') AND p.tx = pg_temp.t('a')), 'branch_prev links main''s entries');
SELECT is(await_seal(pg_temp.t('a'), '0 s'), true, 'await_seal: a sealed tx returns true at once');
SELECT throws_ok($$SELECT await_seal(-5, '1 s')$$, '22023', NULL, 'await_seal: an unknown tx is 22023');
SELECT throws_ok($$SELECT await_seal(1, '-1 s')$$, '22023', NULL, 'await_seal: a negative timeout is 22023');
SELECT is(await_seal(NULL, '1 s'), NULL, 'await_seal is strict');

-- Checkpoints --------------------------------------------------------------------------------
SELECT is(checkpoint(), (SELECT max(seq) FROM chain), 'checkpoint() signs the whole chain and returns its size');
SELECT is((SELECT size FROM checkpoints ORDER BY size DESC LIMIT 1), (SELECT max(seq) FROM chain), 'the newest checkpoint covers the chain');
SELECT is(checkpoint(), (SELECT max(seq) FROM chain), 'checkpoint() again: nothing new, same size');
SELECT is((SELECT count(*) FROM checkpoints WHERE size = (SELECT max(seq) FROM chain)), 1::bigint, 'no duplicate checkpoint');
SELECT ok((SELECT key_id = sha256(public_key) FROM signing_keys k
           WHERE NOT EXISTS (SELECT 1 FROM signing_keys n WHERE n.previous_key = k.key_id)),
          'the signing key is recorded by its SHA-256 key id');
SELECT ok((SELECT c.key_id IN (SELECT key_id FROM signing_keys) FROM checkpoints c ORDER BY size DESC LIMIT 1),
          'checkpoints name a recorded key');

-- verify_chain ----------------------------------------------------------------------------------
SELECT results_eq($$SELECT ok, first_bad_tx, reason FROM verify_chain()$$,
                  $$VALUES (true, NULL::bigint, NULL::text)$$, 'verify_chain(): the chain verifies');
SELECT ok((SELECT checked FROM verify_chain()) = (SELECT max(seq) FROM chain), 'verify_chain() checks every entry');
SELECT ok((SELECT ok FROM verify_chain('main')), 'verify_chain(branch)');
SELECT ok((SELECT ok FROM verify_chain(from_seq => 2)), 'verify_chain(from_seq)');
SELECT ok((SELECT ok AND checked = 1 FROM verify_chain(from_seq => 1, to_seq => 1)), 'verify_chain(from_seq, to_seq)');
SELECT ok((SELECT ok FROM verify_chain(resume => true)), 'verify_chain(resume => true)');
SELECT throws_ok($$SELECT * FROM verify_chain(from_seq => 5, to_seq => 2)$$, '22023', NULL, 'from_seq after to_seq: 22023');
SELECT throws_ok($$SELECT * FROM verify_chain(from_seq => 2, resume => true)$$, '22023', NULL, 'resume with from_seq: 22023');
SELECT throws_ok($$SELECT * FROM verify_chain('nope')$$, '42704', NULL, 'unknown branch: 42704');

-- Branch continuity ------------------------------------------------------------------------------
SELECT ok(branch('audit-b') > 1, 'a branch');
INSERT INTO txn SELECT 'br', transact('[[:db/add "carol" :person/email "carol@example.com"]]', 'audit-b');
INSERT INTO txn SELECT 'br2', transact('[[:db/add "carol" :person/age 30]]', 'audit-b');
SELECT cmp_ok(seal(), '>=', 2::bigint, 'the branch''s transactions are sealed');
SELECT ok((SELECT c.branch_prev = f.entry_hash FROM chain c, chain f, branches b
           WHERE c.tx = pg_temp.t('br') AND b.name = 'audit-b' AND f.tx = b.fork_tx),
          'a branch''s first entry commits to its parent''s entry at the fork point');
SELECT ok((SELECT c.branch_prev = p.entry_hash FROM chain c, chain p WHERE c.tx = pg_temp.t('br2') AND p.tx = pg_temp.t('br')),
          'its next entry commits to the branch''s previous entry');
SELECT ok((SELECT ok FROM verify_chain('audit-b')), 'verify_chain on the branch');

-- Proofs ------------------------------------------------------------------------------------------
SELECT is(checkpoint(), (SELECT max(seq) FROM chain), 'a checkpoint covering the branch');
SELECT is(verify_proof(audit_proof(pg_temp.t('a'))), true, 'audit_proof(tx) verifies');
SELECT is(verify_proof(audit_proof(pg_temp.t('br2'))), true, 'audit_proof of the newest entry verifies');
SELECT is(audit_proof(pg_temp.t('a')) -> ':tx', pg_temp.t('a')::text::edn, 'the proof names its tx');
SELECT is(verify_proof(edn_assoc(audit_proof(pg_temp.t('a')), ':tx', '999999')), false, 'a proof for another tx fails');
SELECT is(verify_proof(edn_assoc(audit_proof(pg_temp.t('a')), ':root', to_jsonb(encode(sha256('x'), 'hex'))::edn)), false,
          'a proof against another root fails');
SELECT throws_ok($$SELECT verify_proof('{:proof/type :inclusion}')$$, '22023', NULL, 'a malformed proof: 22023');
SELECT throws_ok($$SELECT verify_proof('[1 2]')$$, '22023', NULL, 'a proof that is not a map: 22023');
SELECT throws_ok($$SELECT audit_proof(-1)$$, '55000', NULL, 'audit_proof of an unsealed tx: 55000');
SELECT is(verify_proof(consistency_proof(1)), true, 'consistency_proof(1) against the newest checkpoint verifies');
SELECT is(verify_proof(consistency_proof(2, (SELECT max(seq) FROM chain)::bigint)), true, 'consistency_proof(m, n) verifies');
SELECT is(verify_proof(edn_assoc(consistency_proof(1), ':old-root', to_jsonb(encode(sha256('x'), 'hex'))::edn)), false,
          'a consistency proof with another old root fails');
SELECT throws_ok($$SELECT consistency_proof(0)$$, '22023', NULL, 'consistency_proof(0): 22023');
SELECT throws_ok($$SELECT consistency_proof(3, 2)$$, '22023', NULL, 'consistency_proof(old > new): 22023');
SELECT throws_ok($$SELECT consistency_proof(NULL)$$, '22004', NULL, 'consistency_proof(NULL): 22004');

-- Erasure -------------------------------------------------------------------------------------------
INSERT INTO txn SELECT 'erase', erase('alice', ':person/email');
SELECT is((entity('alice') -> ':person/email')::text,
          '#persistence/erased "' || encode(edn_hash('"alice@example.com"'), 'hex') || '"',
          'an erased value reads as the tombstone');
SELECT is((entity('alice') -> ':person/age')::text, '41', 'other attributes keep their values');
SELECT ok(NOT EXISTS (SELECT 1 FROM value_store WHERE hash = edn_hash('"alice@example.com"')), 'the payload is gone');
SELECT cmp_ok(seal(), '>=', 1::bigint, 'the erasure is a sealed transaction');
SELECT results_eq($$SELECT ok, reason FROM verify_chain()$$, $$VALUES (true, NULL::text)$$, 'verify_chain passes after erasure');
SELECT throws_ok($$SELECT erase('alice', ':person/email')$$, '22023', NULL, 'erasing it again: nothing left, 22023');
SELECT throws_ok($$SELECT erase(NULL)$$, '22004', NULL, 'erase(NULL): 22004');

-- Keys -----------------------------------------------------------------------------------------------
SELECT ok(length(rotate_signing_key()) = 32, 'rotate_signing_key() returns the new key id');
SELECT is((SELECT count(*) FROM signing_keys WHERE previous_key IS NOT NULL), 1::bigint, 'the rotation names the previous key');

-- Roles, immutability -------------------------------------------------------------------------------
SELECT throws_ok($$UPDATE chain SET seq = seq$$, '55000', NULL, 'the chain is append-only');
SELECT * FROM finish();
ROLLBACK;
