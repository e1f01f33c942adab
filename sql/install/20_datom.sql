
-------------------------------------------------------------------------------
-- The datom type (docs/datom.md)
-------------------------------------------------------------------------------
CREATE TYPE @extschema@.datom;

CREATE FUNCTION @extschema@.datom_in(cstring) RETURNS @extschema@.datom
    AS 'MODULE_PATHNAME', 'persistence_datom_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_out(@extschema@.datom) RETURNS cstring
    AS 'MODULE_PATHNAME', 'persistence_datom_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_recv(internal) RETURNS @extschema@.datom
    AS 'MODULE_PATHNAME', 'persistence_datom_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_send(@extschema@.datom) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_datom_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.datom (
    INPUT = @extschema@.datom_in,
    OUTPUT = @extschema@.datom_out,
    RECEIVE = @extschema@.datom_recv,
    SEND = @extschema@.datom_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended,
    ALIGNMENT = int4
);
COMMENT ON TYPE @extschema@.datom IS 'one immutable bitemporal fact [e a v tx tx-time valid-from valid-to op] (docs/datom.md)';

-- Fields -------------------------------------------------------------------------
CREATE FUNCTION @extschema@.datom_e(@extschema@.datom) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_datom_e' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_a(@extschema@.datom) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_datom_a' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_v(@extschema@.datom) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_datom_v' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_tx(@extschema@.datom) RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_datom_tx' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_tx_time(@extschema@.datom) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'persistence_datom_tx_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_valid_from(@extschema@.datom) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'persistence_datom_valid_from' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_valid_to(@extschema@.datom) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'persistence_datom_valid_to' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_op(@extschema@.datom) RETURNS text
    AS 'MODULE_PATHNAME', 'persistence_datom_op' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Not STRICT: a NULL valid_to is the open end (any other NULL argument gives NULL).
CREATE FUNCTION @extschema@.datom(e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                                  valid_from timestamptz, valid_to timestamptz, op text)
    RETURNS @extschema@.datom
    AS 'MODULE_PATHNAME', 'persistence_datom_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Order (EAVT, then tx-time, valid-from, valid-to, op), equality, content hash -----
CREATE FUNCTION @extschema@.datom_cmp(@extschema@.datom, @extschema@.datom) RETURNS integer
    AS 'MODULE_PATHNAME', 'persistence_datom_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_lt(@extschema@.datom, @extschema@.datom) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_datom_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_le(@extschema@.datom, @extschema@.datom) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_datom_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_eq(@extschema@.datom, @extschema@.datom) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_datom_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_ne(@extschema@.datom, @extschema@.datom) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_datom_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_ge(@extschema@.datom, @extschema@.datom) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_datom_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_gt(@extschema@.datom, @extschema@.datom) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_datom_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.datom_hash(@extschema@.datom) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_datom_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.datom_hash(@extschema@.datom)
    IS 'SHA-256 of the canonical datom bytes (e, a, edn_hash(v), tx, valid_from, valid_to, op)';

CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.datom, RIGHTARG = @extschema@.datom, FUNCTION = @extschema@.datom_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.datom, RIGHTARG = @extschema@.datom, FUNCTION = @extschema@.datom_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.datom, RIGHTARG = @extschema@.datom, FUNCTION = @extschema@.datom_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, MERGES);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.datom, RIGHTARG = @extschema@.datom, FUNCTION = @extschema@.datom_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.datom, RIGHTARG = @extschema@.datom, FUNCTION = @extschema@.datom_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.datom, RIGHTARG = @extschema@.datom, FUNCTION = @extschema@.datom_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel);

CREATE OPERATOR CLASS @extschema@.datom_ops DEFAULT FOR TYPE @extschema@.datom USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.datom_cmp(@extschema@.datom, @extschema@.datom);

-- Merkle roots (RFC 6962) ------------------------------------------------------------
CREATE FUNCTION @extschema@.merkle_root(hashes bytea[]) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_merkle_root' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.merkle_root(bytea[])
    IS 'RFC 6962 Merkle tree root over 32-byte leaf hashes, in the order given';
