-------------------------------------------------------------------------------
-- The edn type
-------------------------------------------------------------------------------
CREATE TYPE @extschema@.edn;

CREATE FUNCTION @extschema@.edn_in(cstring) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_out(@extschema@.edn) RETURNS cstring
    AS 'MODULE_PATHNAME', 'persistence_edn_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_recv(internal) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_send(@extschema@.edn) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_edn_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.edn (
    INPUT = @extschema@.edn_in,
    OUTPUT = @extschema@.edn_out,
    RECEIVE = @extschema@.edn_recv,
    SEND = @extschema@.edn_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended,
    ALIGNMENT = int4,
    -- String category: an untyped literal given to a function overloaded on edn and jsonb
    -- (transact) resolves to edn.
    CATEGORY = 'S'
);
COMMENT ON TYPE @extschema@.edn IS 'an EDN value in canonical binary form (docs/edn.md)';

-- Comparison, equality, hashing -----------------------------------------------
CREATE FUNCTION @extschema@.edn_cmp(@extschema@.edn, @extschema@.edn) RETURNS integer
    AS 'MODULE_PATHNAME', 'persistence_edn_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_lt(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_le(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_eq(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_ne(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_ge(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_gt(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_hash_int(@extschema@.edn) RETURNS integer
    AS 'MODULE_PATHNAME', 'persistence_edn_hash_int' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_hash_extended(@extschema@.edn, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_edn_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_hash(@extschema@.edn) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_edn_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.edn_hash(@extschema@.edn)
    IS 'SHA-256 of the canonical binary form of the value';

CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS @extschema@.edn_ops DEFAULT FOR TYPE @extschema@.edn USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.edn_cmp(@extschema@.edn, @extschema@.edn);

CREATE OPERATOR CLASS @extschema@.edn_hash_ops DEFAULT FOR TYPE @extschema@.edn USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.edn_hash_int(@extschema@.edn),
    FUNCTION 2 @extschema@.edn_hash_extended(@extschema@.edn, bigint);

-- Access -----------------------------------------------------------------------
CREATE FUNCTION @extschema@.edn_get(coll @extschema@.edn, key @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_get' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_get(coll @extschema@.edn, key text) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_get_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_get(coll @extschema@.edn, index integer) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_get_index' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_get_in(value @extschema@.edn, path @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_get_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_contains(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_contained(@extschema@.edn, @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_edn_contained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.-> (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_get);
CREATE OPERATOR @extschema@.-> (
    LEFTARG = @extschema@.edn, RIGHTARG = text, FUNCTION = @extschema@.edn_get);
CREATE OPERATOR @extschema@.-> (
    LEFTARG = @extschema@.edn, RIGHTARG = integer, FUNCTION = @extschema@.edn_get);
CREATE OPERATOR @extschema@.#> (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_get_in);
CREATE OPERATOR @extschema@.@> (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_contains,
    COMMUTATOR = OPERATOR(@extschema@.<@), RESTRICT = contsel, JOIN = contjoinsel);
CREATE OPERATOR @extschema@.<@ (
    LEFTARG = @extschema@.edn, RIGHTARG = @extschema@.edn, FUNCTION = @extschema@.edn_contained,
    COMMUTATOR = OPERATOR(@extschema@.@>), RESTRICT = contsel, JOIN = contjoinsel);

CREATE FUNCTION @extschema@.edn_typeof(@extschema@.edn) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_edn_typeof' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_count(@extschema@.edn) RETURNS integer
    AS 'MODULE_PATHNAME', 'persistence_edn_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_keys(@extschema@.edn) RETURNS SETOF @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_keys' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_vals(@extschema@.edn) RETURNS SETOF @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_vals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Building ---------------------------------------------------------------------
CREATE FUNCTION @extschema@.edn_assoc(coll @extschema@.edn, key @extschema@.edn, val @extschema@.edn)
    RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_assoc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_dissoc(map @extschema@.edn, key @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_dissoc' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_conj(coll @extschema@.edn, x @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_conj' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_merge(a @extschema@.edn, b @extschema@.edn) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_merge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Casts ------------------------------------------------------------------------
-- text ↔ edn are PostgreSQL's automatic I/O conversion casts (edn_in / edn_out).
CREATE FUNCTION @extschema@.edn(jsonb) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn_to_jsonb(@extschema@.edn) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'persistence_edn_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(bigint) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(integer) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(double precision) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_float8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(numeric) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(boolean) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_bool' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(timestamptz) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_timestamptz' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.edn(uuid) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_edn_from_uuid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (jsonb AS @extschema@.edn) WITH FUNCTION @extschema@.edn(jsonb);
CREATE CAST (@extschema@.edn AS jsonb) WITH FUNCTION @extschema@.edn_to_jsonb(@extschema@.edn);
CREATE CAST (bigint AS @extschema@.edn) WITH FUNCTION @extschema@.edn(bigint);
CREATE CAST (integer AS @extschema@.edn) WITH FUNCTION @extschema@.edn(integer);
CREATE CAST (double precision AS @extschema@.edn) WITH FUNCTION @extschema@.edn(double precision);
CREATE CAST (numeric AS @extschema@.edn) WITH FUNCTION @extschema@.edn(numeric);
CREATE CAST (boolean AS @extschema@.edn) WITH FUNCTION @extschema@.edn(boolean);
CREATE CAST (timestamptz AS @extschema@.edn) WITH FUNCTION @extschema@.edn(timestamptz);
CREATE CAST (uuid AS @extschema@.edn) WITH FUNCTION @extschema@.edn(uuid);
