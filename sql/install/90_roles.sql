
-------------------------------------------------------------------------------
-- Privileges (docs/audit.md "Roles"): least privilege per role
-------------------------------------------------------------------------------
-- PUBLIC keeps the value types (edn, datom: I/O, operators, accessors, hashing), which
-- touch no table, and the spec checks (valid, explain, …, spec_check: contracts, not
-- memory; spec_check must work in CHECK constraints of every role's tables). Every function that reads the log is for persistence_reader, every one
-- that writes it for persistence_writer, and erasure, key rotation and forced checkpoints
-- for persistence_admin. Internal functions revoked from PUBLIC earlier stay revoked.
DO $grants$
DECLARE
    writer_functions text[] := ARRAY['transact', 'define_attribute', 'branch', 'merge', 'rewind', 'fork',
                                     'fold', 'seal', '_fork', 'spec_define'];
    admin_functions text[] := ARRAY['erase', 'rotate_signing_key', 'checkpoint'];
    internal_functions text[] := ARRAY['_transact_schema', '_erase_payloads', '_make_append_only',
                                       '_boundary_throw', '_boundary_pg_error', '_boundary_destructions',
                                       '_refuse_change', '_spec_registry_changed'];
    public_functions text[] := ARRAY['valid', 'explain', 'explain_for_llm', 'coerce', 'spec_generate',
                                     'spec_check', 'spec_get', '_spec_compile'];
    f record;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure AS sig, p.proname
        FROM pg_catalog.pg_proc p
        WHERE p.pronamespace = '@extschema@'::regnamespace
          AND p.proname !~ '^(edn|datom)(_|$)' AND p.proname <> 'merkle_root'
          AND p.proname <> ALL (public_functions)
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
        IF f.proname = ANY (internal_functions) THEN
            CONTINUE;
        ELSIF f.proname = ANY (admin_functions) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO persistence_admin', f.sig);
        ELSIF f.proname = ANY (writer_functions) THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO persistence_writer', f.sig);
        ELSE
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO persistence_reader', f.sig);
        END IF;
    END LOOP;
END $grants$;

-- The sealer's settings: admins may change them (per session for the SUSET ones, with
-- ALTER SYSTEM for the server-wide ones); the key file's path stays superuser-only.
GRANT SET ON PARAMETER persistence.checkpoint_entries, persistence.checkpoint_interval,
                       persistence.seal_batch TO persistence_admin;
GRANT ALTER SYSTEM ON PARAMETER persistence.checkpoint_entries, persistence.checkpoint_interval,
                                persistence.seal_batch, persistence.seal_delay,
                                persistence.sealer_databases, persistence.sealer_naptime TO persistence_admin;
