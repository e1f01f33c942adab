-- The end-to-end tour run by `make demo` (README.md, "A 5-minute tour").
\pset null '(null)'
\pset border 2
SET search_path = persistence, public;

CREATE EXTENSION IF NOT EXISTS persistence;

\echo '== 1. EDN values: read anything, print one canonical form'
SELECT '{:project/name "Atlas", :project/wacc 9.5M, :tags #{:infra :b2b}, :started #inst "2026-03-01T09:00:00+01:00"}'::edn
       AS canonical;

\echo '== 2. Equal values print and hash equally, whatever order they were written in'
SELECT '{:b 2 :a 1}'::edn = '{:a 1, :b 2}'::edn AS equal,
       encode(edn_hash('{:b 2 :a 1}'), 'hex') AS sha256_of_canonical_bytes;

\echo '== 3. Reach into values without reparsing them'
WITH plan AS (SELECT '[:seq {:id "p1"} [:tool-call {:tool :search :args {:q "wacc"}}]]'::edn AS p)
SELECT p -> 0 AS node_type, p -> 1 -> ':id' AS id, p #> '[2 1 :args :q]' AS query,
       edn_typeof(p) AS type, edn_count(p) AS children
FROM plan;

\echo '== 4. Build new values from old ones (values are immutable)'
SELECT edn_assoc('{:step 1}', ':status', ':done') AS assoc,
       edn_conj('[:a :b]', ':c') AS conj,
       edn_merge('{:model "small" :temperature 0.2}', '{:temperature 0.0}') AS merge;

\echo '== 5. Containment and indexes, like jsonb'
CREATE TEMP TABLE observations (id serial PRIMARY KEY, body edn);
INSERT INTO observations (body) VALUES
  ('{:agent "planner" :kind :thought :text "estimate the WACC"}'),
  ('{:agent "tool" :kind :observation :value 9.5M}'),
  ('{:agent "planner" :kind :decision :choice :option-b}');
CREATE INDEX ON observations (body);
SELECT id, body -> ':kind' AS kind FROM observations WHERE body @> '{:agent "planner"}' ORDER BY body;

\echo '== 6. jsonb in, jsonb out'
SELECT '{"tool": "search", "args": {"q": "wacc", "k": 5}, "score": 0.75}'::jsonb::edn AS from_json,
       '{:tool :search :tags #{:a} :at #inst "2026-11-25T10:00:00Z"}'::edn::jsonb AS to_json;

\echo '== 7. Bad input gets a clear error with an SQLSTATE, line and column'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
\set SHOW_CONTEXT never
SELECT '{:a 1
  :b [1 2}'::edn;
SELECT '{:a 1 :a 2}'::edn;
\set VERBOSITY default
\set ON_ERROR_STOP 1
SELECT 'the session keeps working' AS after_errors;

-- Facts (docs/fact.md): one project's WACC, corrected on both time axes.
\echo '== 8. Facts: define an attribute, then record the WACC valid from 14 April'
SELECT define_attribute('project/wacc', 'decimal', doc => 'weighted average cost of capital') AS schema_tx;
SELECT transact('[[:db/add "proj" :project/wacc 0.087M {:valid-from #inst "2026-04-14T00:00:00Z"}]]') AS tx1 \gset
SELECT :tx1 AS tx1, entity('proj') AS now_known;

\echo '== 9. A correction from 19 April on: the old value is superseded only from then'
SELECT transact('[[:db/add "proj" :project/wacc 0.091M {:valid-from #inst "2026-04-19T00:00:00Z"}]]') AS tx2 \gset

\echo '== 10. A bounded correction (15-17 April) and a backdated one (from 10 April on)'
SELECT transact('[[:db/add "proj" :project/wacc 0.085M {:valid-from #inst "2026-04-15T00:00:00Z"
                                                         :valid-to   #inst "2026-04-17T00:00:00Z"}]]') AS tx3 \gset
SELECT transact('[[:db/add "proj" :project/wacc 0.080M {:valid-from #inst "2026-04-10T00:00:00Z"}]]') AS tx4 \gset

\echo '== 11. What each transaction knew, on each valid day: columns never change'
SELECT d::date AS valid_at,
       entity('proj', :tx1, d) -> ':project/wacc' AS "as of tx1",
       entity('proj', :tx2, d) -> ':project/wacc' AS "as of tx2",
       entity('proj', :tx3, d) -> ':project/wacc' AS "as of tx3",
       entity('proj', :tx4, d) -> ':project/wacc' AS "as of tx4"
FROM unnest('{2026-04-09,2026-04-10,2026-04-14,2026-04-15,2026-04-16,2026-04-17,2026-04-19,2026-04-20}'::timestamptz[]) AS d;

\echo '== 12. The history: companion retractions and re-assertions, nothing rewritten'
SELECT tx, op, v, valid_from, valid_to FROM history('proj');

\echo '== 13. Every transaction is sealed by a Merkle root over its datom hashes'
SELECT tx, datom_count, merkle_root = tx_root(tx) AS root_checks
FROM transactions WHERE tx >= :tx1 ORDER BY tx;

\echo '== 14. Compare-and-set refuses a stale write (SQLSTATE PX001); the log is append-only (55000)'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
\set SHOW_CONTEXT never
SELECT transact('[[:db/cas "proj" :project/wacc 0.087M 0.090M]]');
DELETE FROM datoms;
\set VERBOSITY default
\set ON_ERROR_STOP 1
SELECT entity('proj') AS unchanged;

-- Branches (docs/branch.md, docs/fork.md): what-if, a scored choice, and a way back.
\echo '== 15. A what-if branch at tx4: WACC 9.5% from 20 April, main untouched; branch_diff shows it'
SELECT branch('whatif', 'main', :tx4) AS whatif_id;
SELECT transact('[[:db/add "proj" :project/wacc 0.095M {:valid-from #inst "2026-04-20T00:00:00Z"}]]', 'whatif') AS w1 \gset
SELECT entity('proj', valid_at => '2026-04-21') -> ':project/wacc' AS main_wacc,
       entity('proj', valid_at => '2026-04-21', branch => 'whatif') -> ':project/wacc' AS whatif_wacc;
SELECT name, parent, fork_tx, head_tx, datom_count FROM branches() ORDER BY name;
SELECT branch, op, v, valid_from, valid_to FROM branch_diff('whatif', 'main');

\echo '== 16. fork: try two candidate corrections on the branch, keep the one closer to 9.2%, record the choice'
SELECT chosen, score, scores FROM fork(
    ARRAY['SELECT transact(''[[:db/add "proj" :project/wacc 0.090M {:valid-from #inst "2026-04-20T00:00:00Z"}]]'', ''whatif'')',
          'SELECT transact(''[[:db/add "proj" :project/wacc 0.093M {:valid-from #inst "2026-04-20T00:00:00Z"}]]'', ''whatif'')'],
    $$-abs((entity('proj', valid_at => '2026-04-21', branch => 'whatif') -> ':project/wacc')::jsonb::numeric - 0.092)$$,
    'whatif');
SELECT entity('proj', valid_at => '2026-04-21', branch => 'whatif') -> ':project/wacc' AS whatif_wacc_after_fork;

\echo '== 17. rewind: one new transaction puts the branch back to its state at w1; the history keeps everything'
SELECT rewind('whatif', :w1, ARRAY['proj']) AS rewind_tx;
SELECT entity('proj', valid_at => '2026-04-21', branch => 'whatif') -> ':project/wacc' AS whatif_wacc_after_rewind;
SELECT count(*) AS whatif_history_rows FROM history('proj', ':project/wacc', 'whatif');

-- The audit chain (docs/audit.md): sealed, signed, provable, verifiable, erasable.
\echo '== 18. Every transaction is sealed into a hash chain (the sealer worker does it at commit; seal() in a session)'
SELECT seal() >= 0 AS sealed_now, (SELECT count(*) FROM seal_queue) AS still_queued;
SELECT seq, tx, branch_id, left(encode(entry_hash, 'hex'), 16) AS entry_hash FROM chain ORDER BY seq DESC LIMIT 3;
\echo '== 19. A signed checkpoint, then verify_chain() recomputes everything from the datoms up'
SELECT checkpoint() AS checkpoint_size;
SELECT * FROM verify_chain();
\echo '== 20. An inclusion proof of tx4 anyone can check with the public key, and a consistency proof'
SELECT audit_proof(:tx4) -> ':path' AS audit_path, verify_proof(audit_proof(:tx4)) AS proof_ok;
SELECT verify_proof(consistency_proof(1)) AS log_only_grew;
\echo '== 21. Tampering is caught: as superuser with the triggers off, change one stored value (rolled back)'
BEGIN;
ALTER TABLE value_store DISABLE TRIGGER USER;
UPDATE value_store SET v = '0.001M' WHERE hash = edn_hash('0.085M');
SELECT ok, first_bad_tx, reason FROM verify_chain();
ROLLBACK;
\echo '== 22. Erasure drops a payload but keeps its hash: the chain still verifies'
SELECT transact('[[:db/add "client-9" :client/email "ana@example.com"]]') AS email_tx;
SELECT erase('client-9', ':client/email') AS erasure_tx;
SELECT entity('client-9') -> ':client/email' AS email_now;
SELECT seal() >= 0 AS sealed, (SELECT ok FROM verify_chain()) AS still_verifies;

-- Specs (docs/spec.md): a contract for what an agent emits, and the repair loop.
\echo '== 23. A spec for an agent''s answer, checked over the JSON the agent emits'
SELECT spec_define('agent/answer', '[:map [:answer [:string {:min 1}]] [:confidence [:double {:min 0.0 :max 1.0}]] [:sources [:vector {:min 1} [:re "https?://[^ ]+"]]]]') AS version;
SELECT valid('agent/answer', '{"answer": "WACC is 8.0%", "confidence": 0.8, "sources": ["https://example.com/q2"]}'::jsonb) AS good_answer;
\echo '== 24. What the model reads when its answer does not conform: one line per problem, with the fix'
SELECT explain_for_llm('agent/answer', '{"answer": "", "confidence": 1.3, "sources": ["see appendix"]}'::jsonb);
\echo '== 25. coerce parses strings the schema wants as numbers; an attribute bound to a spec guards transact'
SELECT coerce('[:map [:n :int] [:level :keyword]]'::edn, '{"n": "42", "level": "high"}'::jsonb);
SELECT spec_define('project/risk', '[:enum :low :medium :high]') AS risk_version;
SELECT define_attribute('project/risk', 'keyword', spec => 'project/risk') AS risk_attr_tx;
\set ON_ERROR_STOP 0
\set VERBOSITY default
SELECT transact('[[:db/add "proj" :project/risk :extreme]]');
\set ON_ERROR_STOP 1
SELECT transact('[[:db/add "proj" :project/risk :medium]]') > 0 AS risk_recorded;
