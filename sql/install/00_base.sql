-- persistence 0.1.0, built by the Makefile from sql/install/*.sql (one fragment per module).
-- 0.1.0 is not released yet, so its fragments still grow; once it is released it is never
-- edited again and later releases add persistence--A--B.sql (docs/architecture.md).

\echo Use "CREATE EXTENSION persistence" to load this file. \quit

GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- The three roles (docs/audit.md "Roles"), created once per cluster: a second database
-- that installs the extension reuses them, and DROP EXTENSION leaves them (roles are
-- cluster objects). reader ⊂ writer ⊂ admin; the grants are made at the end of the
-- script (90_roles.sql), once every object exists.
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'persistence_reader') THEN
        CREATE ROLE persistence_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'persistence_writer') THEN
        CREATE ROLE persistence_writer NOLOGIN IN ROLE persistence_reader;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'persistence_admin') THEN
        CREATE ROLE persistence_admin NOLOGIN IN ROLE persistence_writer;
    END IF;
END $roles$;

-------------------------------------------------------------------------------
-- The boundary self-test functions (internal; superuser only).
-------------------------------------------------------------------------------
CREATE FUNCTION @extschema@._boundary_throw(kind text) RETURNS void
    AS 'MODULE_PATHNAME', 'persistence_boundary_throw' LANGUAGE C STRICT VOLATILE;
CREATE FUNCTION @extschema@._boundary_pg_error(sqlstate text, message text, detail text, hint text)
    RETURNS void
    AS 'MODULE_PATHNAME', 'persistence_boundary_pg_error' LANGUAGE C STRICT VOLATILE;
CREATE FUNCTION @extschema@._boundary_destructions() RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_boundary_destructions' LANGUAGE C STRICT VOLATILE;
REVOKE ALL ON FUNCTION @extschema@._boundary_throw(text),
                       @extschema@._boundary_pg_error(text, text, text, text),
                       @extschema@._boundary_destructions() FROM PUBLIC;

