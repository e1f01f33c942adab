-- The audit chain (docs/audit.md): the story of one sealed transaction, and the error
-- messages users see. Hashes, keys and times differ per run, so only booleans and counts
-- are printed. The sealer worker may run beside this script: it only ever seals earlier.
-- Its own database: the other suites read the whole log of theirs.
\set SHOW_CONTEXT never
CREATE DATABASE persistence_audit_regress;
\c persistence_audit_regress
SET client_min_messages = warning;
CREATE EXTENSION persistence;
RESET client_min_messages;
SET search_path = persistence, public;

SELECT transact('[[:db/add "invoice-7" :invoice/total 120.50M]]') > 0 AS written;
SELECT seal() >= 0 AS sealed;
SELECT count(*) = 0 AS queue_empty FROM seal_queue;
SELECT checkpoint() = (SELECT max(seq) FROM chain) AS checkpointed;
SELECT ok, first_bad_tx, reason FROM verify_chain();
SELECT verify_proof(audit_proof((SELECT max(tx) FROM transactions))) AS proof_checks;
SELECT verify_proof(consistency_proof(1)) AS consistent;
SELECT await_seal((SELECT max(tx) FROM transactions), '1 s') AS awaited;

-- Errors.
SELECT await_seal(-1, '1 s');
SELECT await_seal(1, '-1 s');
SELECT * FROM verify_chain(from_seq => 3, to_seq => 1);
SELECT * FROM verify_chain(from_seq => 1, resume => true);
SELECT * FROM verify_chain('no-such-branch');
SELECT audit_proof(-1);
SELECT consistency_proof(0);
SELECT consistency_proof(NULL);
SELECT verify_proof('{:proof/type :nope}');
SELECT verify_proof('{:proof/type :inclusion :log-id "00"}');
SELECT verify_proof('[]');
SELECT erase('nobody');
SELECT erase(NULL);
UPDATE chain SET seq = seq;
DELETE FROM checkpoints;
TRUNCATE signing_keys;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT seal();
ROLLBACK;
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT checkpoint();
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT await_seal(1, '1 s');
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT rotate_signing_key();
ROLLBACK;

\c contrib_regression
DROP DATABASE persistence_audit_regress WITH (FORCE);
