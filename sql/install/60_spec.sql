
-------------------------------------------------------------------------------
-- Specs: malli-style schemas as EDN (module spec, docs/spec.md)
-------------------------------------------------------------------------------
-- spec_define stores each version of a named spec as datoms (entity
-- "persistence.spec/<name>@<version>", sealed into the audit chain like any fact) and in
-- this registry, the index the checks read. Versions are immutable; `name` means the
-- newest version, `name@3` a fixed one.
CREATE TABLE @extschema@.specs (
    name        text COLLATE "C" NOT NULL,
    version     integer NOT NULL,
    schema      @extschema@.edn NOT NULL,
    fingerprint bytea NOT NULL,
    tx          bigint NOT NULL,
    PRIMARY KEY (name, version)
);
SELECT @extschema@._make_append_only('@extschema@.specs'::regclass);

-- Compiles a schema, raising its error (22P02 with the path of the bad part).
CREATE FUNCTION @extschema@._spec_compile(schema @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_compile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Tells every backend that the registry changed (their name → version caches).
CREATE FUNCTION @extschema@._spec_registry_changed() RETURNS void
    AS 'MODULE_PATHNAME', 'persistence_spec_registry_changed' LANGUAGE C VOLATILE;

-- spec_define(name, schema) → version: a new version when the schema differs from the
-- newest one, else the newest version's number.
CREATE FUNCTION @extschema@.spec_define(name text, schema @extschema@.edn) RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        newest record;
        fp bytea;
        v integer;
        tx bigint;
    BEGIN
        IF name IS NULL OR schema IS NULL THEN
            RAISE EXCEPTION 'spec_define: name and schema must not be NULL'
                USING ERRCODE = '22004', HINT = 'For example spec_define(''agent/answer'', ''[:map [:text :string]]'').';
        END IF;
        IF name !~ '^[A-Za-z][A-Za-z0-9._/-]{0,62}$' THEN
            RAISE EXCEPTION 'spec_define: invalid spec name %', quote_literal(name)
                USING ERRCODE = '22023',
                      HINT = 'A spec name has 1 to 63 characters: a letter, then letters, digits, ".", "_", "/" or "-" '
                             '("@" is reserved for versions: name@3).';
        END IF;
        PERFORM @extschema@._spec_compile(schema);
        PERFORM pg_advisory_xact_lock(hashtextextended('persistence.spec_define ' || name, 0));
        fp := @extschema@.edn_hash(schema);
        SELECT s.version, s.fingerprint INTO newest FROM @extschema@.specs s
        WHERE s.name = spec_define.name ORDER BY s.version DESC LIMIT 1;
        IF FOUND AND newest.fingerprint = fp THEN
            RETURN newest.version;
        END IF;
        v := coalesce(newest.version, 0) + 1;
        tx := @extschema@.transact(format(
            '[{:db/id %s :persistence.spec/name %s :persistence.spec/version %s :persistence.spec/schema %s}]',
            to_jsonb(format('persistence.spec/%s@%s', name, v))::text, to_jsonb(name)::text, v,
            schema::text)::@extschema@.edn);
        INSERT INTO @extschema@.specs (name, version, schema, fingerprint, tx) VALUES (name, v, schema, fp, tx);
        PERFORM @extschema@._spec_registry_changed();
        RETURN v;
    END $$;

-- The schema of a spec: `name` (the newest version) or `name@version`.
CREATE FUNCTION @extschema@.spec_get(name text) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_get' LANGUAGE C STABLE STRICT;

-- Checks. `spec` is a name (text: 'agent/answer', 'agent/answer@2') or an inline schema
-- (edn); `value` is edn, or jsonb (then "n" also matches a map-schema key :n, and
-- explain_for_llm speaks JSON). One C function serves each operation: it looks at the
-- argument types.
CREATE FUNCTION @extschema@.valid(spec text, value @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.valid(spec @extschema@.edn, value @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.valid(spec text, value jsonb) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.valid(spec @extschema@.edn, value jsonb) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_valid' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.explain(spec text, value @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.explain(spec @extschema@.edn, value @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.explain(spec text, value jsonb) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.explain(spec @extschema@.edn, value jsonb) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_explain' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.explain_for_llm(spec text, value @extschema@.edn) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_spec_explain_for_llm' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.explain_for_llm(spec @extschema@.edn, value @extschema@.edn) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_spec_explain_for_llm' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.explain_for_llm(spec text, value jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_spec_explain_for_llm' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.explain_for_llm(spec @extschema@.edn, value jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_spec_explain_for_llm' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE FUNCTION @extschema@.coerce(spec text, value @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_coerce' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.coerce(spec @extschema@.edn, value @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_coerce' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.coerce(spec text, value jsonb) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_coerce' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.coerce(spec @extschema@.edn, value jsonb) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_coerce' LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- n conforming values, the same for the same (spec, n, seed).
CREATE FUNCTION @extschema@.spec_generate(spec text, n integer, seed integer DEFAULT 0)
    RETURNS SETOF @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_generate' LANGUAGE C STABLE STRICT;
CREATE FUNCTION @extschema@.spec_generate(spec @extschema@.edn, n integer, seed integer DEFAULT 0)
    RETURNS SETOF @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_spec_generate' LANGUAGE C STABLE STRICT;

-- For CHECK constraints and domains on your own tables: true, or 23514 with the
-- explain_for_llm text in DETAIL. Pin a version (name@3) so that a later spec_define
-- does not change what existing rows were checked against.
CREATE FUNCTION @extschema@.spec_check(spec text, value @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_check' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.spec_check(spec text, value jsonb) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_spec_check' LANGUAGE C STABLE STRICT PARALLEL SAFE;
