-- The three roles (docs/audit.md "Roles"): least privilege for reading, writing and
-- administering the log; PUBLIC keeps only the value types. Rolled back.
BEGIN;
SET LOCAL search_path = persistence, public;
SELECT plan(30);

CREATE ROLE persistence_tap_reader NOLOGIN IN ROLE persistence_reader;
CREATE ROLE persistence_tap_writer NOLOGIN IN ROLE persistence_writer;
CREATE ROLE persistence_tap_admin NOLOGIN IN ROLE persistence_admin;
CREATE ROLE persistence_tap_nobody NOLOGIN;

SELECT has_role('persistence_reader', 'the extension creates persistence_reader');
SELECT has_role('persistence_writer', 'the extension creates persistence_writer');
SELECT has_role('persistence_admin', 'the extension creates persistence_admin');
SELECT ok(pg_has_role('persistence_admin', 'persistence_writer', 'MEMBER')
          AND pg_has_role('persistence_writer', 'persistence_reader', 'MEMBER'), 'reader ⊂ writer ⊂ admin');

-- PUBLIC: the value types only.
SELECT ok(has_function_privilege('persistence_tap_nobody', 'persistence.edn_in(cstring)', 'EXECUTE'), 'PUBLIC reads EDN');
SELECT ok(has_function_privilege('persistence_tap_nobody', 'persistence.edn_hash(persistence.edn)', 'EXECUTE'), 'PUBLIC hashes EDN');
SELECT ok(NOT has_table_privilege('persistence_tap_nobody', 'persistence.datoms', 'SELECT'), 'PUBLIC cannot read datoms');
SELECT ok(NOT has_function_privilege('persistence_tap_nobody', 'persistence.entity(text, bigint, timestamptz, integer, text)', 'EXECUTE'),
          'PUBLIC cannot pull entities (entity() reads the log directly)');
SELECT ok(NOT has_function_privilege('persistence_tap_nobody', 'persistence.transact(persistence.edn, text, persistence.edn, timestamptz)', 'EXECUTE'),
          'PUBLIC cannot transact');
SELECT throws_ok($$SET LOCAL ROLE persistence_tap_nobody; SELECT persistence.as_of()$$, '42501', NULL,
                 'PUBLIC: as_of() is 42501');
SELECT throws_ok($$SET LOCAL ROLE persistence_tap_nobody; SELECT count(*) FROM persistence.chain$$, '42501', NULL,
                 'PUBLIC: SELECT from the chain is 42501');

-- Reader.
SELECT ok(has_table_privilege('persistence_tap_reader', 'persistence.datoms', 'SELECT'), 'reader: SELECT datoms');
SELECT ok(has_table_privilege('persistence_tap_reader', 'persistence.chain', 'SELECT'), 'reader: SELECT chain');
SELECT ok(has_function_privilege('persistence_tap_reader', 'persistence.as_of(bigint, text)', 'EXECUTE'), 'reader: as_of');
SELECT ok(has_function_privilege('persistence_tap_reader', 'persistence.verify_chain(text, bigint, bigint, boolean)', 'EXECUTE'), 'reader: verify_chain');
SELECT ok(has_function_privilege('persistence_tap_reader', 'persistence.audit_proof(bigint)', 'EXECUTE'), 'reader: audit_proof');
SELECT ok(NOT has_function_privilege('persistence_tap_reader', 'persistence.transact(persistence.edn, text, persistence.edn, timestamptz)', 'EXECUTE'),
          'reader: no transact');
SELECT ok(NOT has_table_privilege('persistence_tap_reader', 'persistence.datoms', 'INSERT'), 'reader: no INSERT into datoms');
SELECT throws_ok($$SET LOCAL ROLE persistence_tap_reader; SELECT persistence.transact('[[:db/add "r" :r/x 1]]')$$, '42501', NULL,
                 'reader: transact is 42501');

-- Writer.
SELECT ok(has_function_privilege('persistence_tap_writer', 'persistence.transact(persistence.edn, text, persistence.edn, timestamptz)', 'EXECUTE'), 'writer: transact');
SELECT ok(has_function_privilege('persistence_tap_writer', 'persistence.branch(text, text, bigint)', 'EXECUTE'), 'writer: branch');
SELECT ok(has_function_privilege('persistence_tap_writer', 'persistence.seal()', 'EXECUTE'), 'writer: seal');
SELECT ok(NOT has_function_privilege('persistence_tap_writer', 'persistence.erase(text, text)', 'EXECUTE'), 'writer: no erase');
SELECT ok(NOT has_function_privilege('persistence_tap_writer', 'persistence.rotate_signing_key()', 'EXECUTE'), 'writer: no key rotation');
SELECT throws_ok($$SET LOCAL ROLE persistence_tap_writer; SELECT persistence.erase('x')$$, '42501', NULL, 'writer: erase is 42501');

-- Admin.
SELECT ok(has_function_privilege('persistence_tap_admin', 'persistence.erase(text, text)', 'EXECUTE'), 'admin: erase');
SELECT ok(has_function_privilege('persistence_tap_admin', 'persistence.rotate_signing_key()', 'EXECUTE'), 'admin: rotate_signing_key');
SELECT ok(has_function_privilege('persistence_tap_admin', 'persistence.checkpoint()', 'EXECUTE'), 'admin: checkpoint');
SELECT ok(has_parameter_privilege('persistence_tap_admin', 'persistence.checkpoint_entries', 'SET'), 'admin: SET persistence.checkpoint_entries');
SELECT ok(NOT has_function_privilege('persistence_tap_admin', 'persistence._erase_payloads(bytea[])', 'EXECUTE'),
          'internal functions stay closed even to admin');

SELECT * FROM finish();
ROLLBACK;
