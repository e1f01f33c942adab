
-------------------------------------------------------------------------------
-- The datom log (module fact, docs/fact.md)
-------------------------------------------------------------------------------
-- Every table here is append-only: a C trigger refuses UPDATE, DELETE and TRUNCATE for
-- every role (ENABLE ALWAYS, so session_replication_role = replica does not skip it).
-- Rows are written only by persistence.transact() (C, through the heap and index access
-- methods); ordinary roles may read but hold no INSERT privilege.

CREATE FUNCTION @extschema@._refuse_change() RETURNS trigger
    AS 'MODULE_PATHNAME', 'persistence_refuse_change' LANGUAGE C;

-- Branches: `main` exists from the start; the branches module adds the rest.
CREATE TABLE @extschema@.branches (
    id         integer PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    parent_id  integer,
    fork_tx    bigint,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO @extschema@.branches (id, name) VALUES (1, 'main');

-- tx ids: one sequence for all branches, so a tx id names its branch. Sequences are not
-- transactional and share no row between writers.
CREATE SEQUENCE @extschema@.tx_seq AS bigint;

CREATE TABLE @extschema@.transactions (
    tx          bigint PRIMARY KEY,
    branch_id   integer NOT NULL,
    tx_time     timestamptz NOT NULL,
    provenance  @extschema@.edn,
    datom_count integer NOT NULL,
    merkle_root bytea NOT NULL
);
CREATE INDEX transactions_time ON @extschema@.transactions (branch_id, tx_time, tx);
CREATE INDEX transactions_branch ON @extschema@.transactions (branch_id, tx);

-- Values, content-addressed: hash = edn_hash(v), each value stored once.
CREATE TABLE @extschema@.value_store (
    hash bytea PRIMARY KEY,
    v    @extschema@.edn
);

-- Datoms. The value enters by its hash; ref holds the entity id of a ref value.
CREATE TABLE @extschema@.datoms (
    e          text COLLATE "C" NOT NULL,
    a          text COLLATE "C" NOT NULL,
    vh         bytea NOT NULL,
    ref        text COLLATE "C",
    tx         bigint NOT NULL,
    branch_id  integer NOT NULL,
    valid_from timestamptz NOT NULL,
    valid_to   timestamptz,
    is_assert  boolean NOT NULL,
    hash       bytea NOT NULL,
    -- Derived, not part of the datom or its hash: true on a datom that opened its (e, a),
    -- i.e. when its writer, holding the (e, a) lock, saw no earlier datom of that pair.
    -- The partial index datoms_ea over these rows lists an entity's attributes in one
    -- short walk (entity() reads it instead of skipping through EAVT).
    opens_ea   boolean NOT NULL DEFAULT false
);
-- EAVT/AEVT/AVET end in tx so that the newest datoms of one (e, a) or (a, v) are one
-- backward index walk away; the value part of EAVT is the value hash.
CREATE INDEX datoms_eavt  ON @extschema@.datoms (e, a, tx);
CREATE INDEX datoms_aevt  ON @extschema@.datoms (a, e, tx);
CREATE INDEX datoms_avet  ON @extschema@.datoms (a, vh, tx);
CREATE INDEX datoms_vaet  ON @extschema@.datoms (ref, a, e) WHERE ref IS NOT NULL;
CREATE INDEX datoms_valid ON @extschema@.datoms (valid_from, valid_to);
CREATE INDEX datoms_tx    ON @extschema@.datoms (tx);
CREATE INDEX datoms_ea    ON @extschema@.datoms (e, a) WHERE opens_ea;

-- Makes a log table append-only (the triggers above, ENABLE ALWAYS) and readable by
-- persistence_reader (and so by writer and admin).
-- Every module's log tables go through it at install time.
CREATE FUNCTION @extschema@._make_append_only(t regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
        EXECUTE format('CREATE TRIGGER refuse_update_delete BEFORE UPDATE OR DELETE ON %s
                        FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._refuse_change()', t);
        EXECUTE format('CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON %s
                        FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._refuse_change()', t);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER refuse_update_delete', t);
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER refuse_truncate', t);
        EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', t);
        EXECUTE format('GRANT SELECT ON %s TO persistence_reader', t);
    END $$;
REVOKE ALL ON FUNCTION @extschema@._make_append_only(regclass) FROM PUBLIC;
SELECT @extschema@._make_append_only(t::regclass)
FROM unnest(ARRAY['@extschema@.branches', '@extschema@.transactions', '@extschema@.value_store',
                  '@extschema@.datoms']) AS t;
REVOKE ALL ON SEQUENCE @extschema@.tx_seq FROM PUBLIC;

-- Internal helpers --------------------------------------------------------------
-- VOLATILE although it only reads: the planner evaluates STABLE functions while it
-- estimates, with a snapshot that may not yet see a branch created by the previous
-- statement of the same function, and this one raises 42704 for an unknown branch.
CREATE FUNCTION @extschema@._branch_id(branch text) RETURNS integer
    AS 'MODULE_PATHNAME', 'persistence_branch_id' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
-- What a branch sees (docs/branch.md): a datom or transaction of branch_id b with tx t is
-- visible iff a row (b, m) has t <= m. Every reader joins against it.
CREATE FUNCTION @extschema@._branch_view(branch text) RETURNS TABLE (branch_id integer, max_tx bigint)
    AS 'MODULE_PATHNAME', 'persistence_branch_view' LANGUAGE C STABLE PARALLEL SAFE ROWS 2;
-- The value of a hash: committed or the caller's own, whatever the snapshot (values are
-- timeless, and a concurrent transaction may have stored one this transaction refers to).
CREATE FUNCTION @extschema@._value(hash bytea) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_value' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@._transact_schema(tx_data @extschema@.edn) RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_transact_schema' LANGUAGE C VOLATILE STRICT;
REVOKE ALL ON FUNCTION @extschema@._transact_schema(@extschema@.edn) FROM PUBLIC;

CREATE FUNCTION @extschema@._datom_hash(e text, a text, vh bytea, tx bigint, valid_from timestamptz,
                                        valid_to timestamptz, is_assert boolean) RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_datom_row_hash' LANGUAGE C IMMUTABLE PARALLEL SAFE;
-- An attribute name as stored: the keyword with its colon.
CREATE FUNCTION @extschema@._keyword_text(a text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN left(a, 1) = ':' THEN a ELSE ':' || a END $$;
-- The tx_time of a transaction of the branch; 22023 when there is none.
CREATE FUNCTION @extschema@._tx_time_checked(t bigint, branch text) RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE result timestamptz;
    BEGIN
        SELECT x.tx_time INTO result
        FROM @extschema@.transactions x
        JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = x.branch_id AND x.tx <= bv.max_tx
        WHERE x.tx = t;
        IF result IS NULL THEN
            RAISE EXCEPTION 'transaction % is not visible on branch "%"', t, branch
                USING ERRCODE = '22023',
                      HINT = 'persistence.resolve_tx(timestamptz) finds the tx of a point in time.';
        END IF;
        RETURN result;
    END $$;

-- Writing -------------------------------------------------------------------------
CREATE FUNCTION @extschema@.transact(tx_data @extschema@.edn, branch text DEFAULT 'main',
                                     provenance @extschema@.edn DEFAULT NULL,
                                     valid_from timestamptz DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_transact' LANGUAGE C VOLATILE;
CREATE FUNCTION @extschema@.transact(tx_data jsonb, branch text DEFAULT 'main',
                                     provenance jsonb DEFAULT NULL,
                                     valid_from timestamptz DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_transact_jsonb' LANGUAGE C VOLATILE;

-- Reading -------------------------------------------------------------------------
CREATE FUNCTION @extschema@.resolve_tx(t timestamptz, branch text DEFAULT 'main') RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT x.tx FROM @extschema@.transactions x
        JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = x.branch_id AND x.tx <= bv.max_tx
        WHERE x.tx_time <= t
        ORDER BY x.tx_time DESC, x.tx DESC LIMIT 1
    $$;

-- The state at valid instant vt as known at tx as_of (NULL: the latest). For each
-- (e, a, v) the newest datom whose interval contains vt decides; within one tx an
-- assertion wins over a retraction (docs/fact.md).
CREATE FUNCTION @extschema@.valid_at(vt timestamptz, as_of bigint DEFAULT NULL, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT d.e, d.a, @extschema@._value(d.vh), d.tx, x.tx_time, d.valid_from, d.valid_to, 'assert'
        FROM (SELECT DISTINCT ON (d.e, d.a, d.vh) d.*
              FROM @extschema@.datoms d
              JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
              WHERE (as_of IS NULL OR d.tx <= as_of)
                AND d.valid_from <= vt AND (d.valid_to IS NULL OR d.valid_to > vt)
              ORDER BY d.e, d.a, d.vh, d.tx DESC, d.is_assert DESC) d
        JOIN @extschema@.transactions x ON x.tx = d.tx
        WHERE d.is_assert
        ORDER BY d.e, d.a, 3
    $$;
CREATE FUNCTION @extschema@.valid_at(vt timestamptz, as_of timestamptz, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT * FROM @extschema@.valid_at(vt, coalesce(@extschema@.resolve_tx(as_of, branch), 0), branch)
    $$;

-- What a query made at tx t returned: transactions up to t, values valid at t's tx_time.
-- Without t: everything, valid at the clock time (tx_time and the default valid_from are
-- clock times too, so a transaction reads its own writes).
CREATE FUNCTION @extschema@.as_of(t bigint DEFAULT NULL, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT * FROM @extschema@.valid_at(
            CASE WHEN t IS NULL THEN clock_timestamp() ELSE @extschema@._tx_time_checked(t, branch) END, t, branch)
    $$;
CREATE FUNCTION @extschema@.as_of(t timestamptz, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM @extschema@.valid_at(t, t, branch) $$;

-- The datoms as the readers return them (e, a, v, tx, tx_time, valid_from, valid_to, op),
-- plus the columns they filter and sort on. v is looked up only for the rows returned.
CREATE VIEW @extschema@._datom_rows AS
    SELECT d.e, d.a, @extschema@._value(d.vh) AS v, d.tx, x.tx_time, d.valid_from, d.valid_to,
           CASE WHEN d.is_assert THEN 'assert' ELSE 'retract' END AS op,
           d.vh, d.ref, d.branch_id, d.is_assert
    FROM @extschema@.datoms d JOIN @extschema@.transactions x ON x.tx = d.tx;
REVOKE ALL ON @extschema@._datom_rows FROM PUBLIC;
GRANT SELECT ON @extschema@._datom_rows TO persistence_reader;

-- Every datom of e (and a), in tx order, retractions before assertions within a tx.
CREATE FUNCTION @extschema@.history(entity text, attribute text DEFAULT NULL, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT d.e, d.a, d.v, d.tx, d.tx_time, d.valid_from, d.valid_to, d.op
        FROM @extschema@._datom_rows d
        JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
        WHERE d.e = entity AND (attribute IS NULL OR d.a = @extschema@._keyword_text(attribute))
        ORDER BY d.tx, d.is_assert, d.a, d.valid_from, 3
    $$;

-- The datoms of the transactions after t, in tx order.
CREATE FUNCTION @extschema@.since(t bigint, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT d.e, d.a, d.v, d.tx, d.tx_time, d.valid_from, d.valid_to, d.op
        FROM @extschema@._datom_rows d
        JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
        WHERE d.tx > t
        ORDER BY d.tx, d.is_assert, d.e, d.a, d.valid_from, 3
    $$;
CREATE FUNCTION @extschema@.since(t timestamptz, branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM @extschema@.since(coalesce(@extschema@.resolve_tx(t, branch), 0), branch) $$;

-- Pull: a map of attribute → value (a vector for cardinality many), refs expanded to depth.
CREATE FUNCTION @extschema@.entity(e text, as_of bigint DEFAULT NULL, valid_at timestamptz DEFAULT NULL,
                                   depth integer DEFAULT 1, branch text DEFAULT 'main')
    RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_entity' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.entity(e text, as_of timestamptz, valid_at timestamptz DEFAULT NULL,
                                   depth integer DEFAULT 1, branch text DEFAULT 'main')
    RETURNS @extschema@.edn
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT @extschema@.entity(e, coalesce(@extschema@.resolve_tx(as_of, branch), 0),
                                  coalesce(valid_at, as_of), depth, branch)
    $$;

-- The raw index walk: every datom (asserts and retractions, all history) whose leading
-- components equal `components`, in the index's order.
CREATE FUNCTION @extschema@.datoms(index text, components @extschema@.edn DEFAULT '[]', branch text DEFAULT 'main')
    RETURNS TABLE (e text, a text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        n integer;
        order_by text;
        cond text := '';
    BEGIN
        IF index IS NULL OR index NOT IN ('eavt', 'aevt', 'avet', 'vaet') THEN
            RAISE EXCEPTION 'unknown index %', coalesce(quote_literal(index), 'NULL')
                USING ERRCODE = '22023', HINT = 'Use one of eavt, aevt, avet, vaet.';
        END IF;
        IF components IS NULL OR @extschema@.edn_typeof(components) <> 'vector' THEN
            RAISE EXCEPTION 'components must be an EDN vector, got %', coalesce(components::text, 'NULL')
                USING ERRCODE = '22023', HINT = 'For example ''["e1" :person/name]''.';
        END IF;
        n := @extschema@.edn_count(components);
        IF n > 3 THEN
            RAISE EXCEPTION 'components has % elements; at most 3 lead an index walk', n
                USING ERRCODE = '22023', HINT = 'Give e, a and v (or a prefix) in the index''s order.';
        END IF;
        -- Each component in the index's order: its column and how it is matched.
        FOR i IN 0 .. n - 1 LOOP
            cond := cond || format(' AND %s',
                CASE substr(index, i + 1, 1)
                    WHEN 'e' THEN format('d.e = @extschema@._entity_text(%L::@extschema@.edn)', @extschema@.edn_get(components, i)::text)
                    WHEN 'a' THEN format('d.a = @extschema@._attribute_text(%L::@extschema@.edn)', @extschema@.edn_get(components, i)::text)
                    WHEN 'v' THEN CASE WHEN index = 'vaet'
                                       THEN format('d.ref = @extschema@._entity_text(%L::@extschema@.edn)', @extschema@.edn_get(components, i)::text)
                                       ELSE format('d.vh = @extschema@.edn_hash(%L::@extschema@.edn)', @extschema@.edn_get(components, i)::text) END
                    ELSE 'true' END);
        END LOOP;
        IF index = 'vaet' THEN cond := cond || ' AND d.ref IS NOT NULL'; END IF;
        order_by := CASE index WHEN 'eavt' THEN 'd.e, d.a, 3, d.tx'
                               WHEN 'aevt' THEN 'd.a, d.e, 3, d.tx'
                               WHEN 'avet' THEN 'd.a, 3, d.e, d.tx'
                               ELSE 'd.ref, d.a, d.e, d.tx' END;
        RETURN QUERY EXECUTE format(
            'SELECT d.e, d.a, d.v, d.tx, d.tx_time, d.valid_from, d.valid_to, d.op
             FROM @extschema@._datom_rows d
             JOIN @extschema@._branch_view($1) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
             WHERE true %s ORDER BY %s, d.is_assert, d.valid_from', cond, order_by)
            USING branch;
    END $$;

-- An entity id from EDN: a string as is, a #uuid as its canonical text.
CREATE FUNCTION @extschema@._entity_text(v @extschema@.edn) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT CASE @extschema@.edn_typeof(v)
                   WHEN 'string' THEN v::jsonb #>> '{}'
                   WHEN 'uuid' THEN v::jsonb #>> '{}'
                   ELSE @extschema@._raise_22023('an entity id must be an EDN string or #uuid, got ' || v::text) END
    $$;
CREATE FUNCTION @extschema@._attribute_text(v @extschema@.edn) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT CASE @extschema@.edn_typeof(v)
                   WHEN 'keyword' THEN v::text
                   ELSE @extschema@._raise_22023('an attribute must be an EDN keyword, got ' || v::text) END
    $$;
CREATE FUNCTION @extschema@._raise_22023(message text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$ BEGIN RAISE EXCEPTION '%', message USING ERRCODE = '22023'; END $$;

-- Recomputes a transaction's Merkle root from its datoms (each datom hash recomputed from
-- its columns), over the hashes in ascending byte order.
CREATE FUNCTION @extschema@.tx_root(tx bigint) RETURNS bytea
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE result bytea;
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM @extschema@.transactions x WHERE x.tx = tx_root.tx) THEN
            RAISE EXCEPTION 'transaction % does not exist', tx
                USING ERRCODE = '22023', HINT = 'SELECT tx FROM persistence.transactions lists them.';
        END IF;
        SELECT @extschema@.merkle_root(coalesce(array_agg(h ORDER BY h), '{}'::bytea[])) INTO result
        FROM (SELECT @extschema@._datom_hash(d.e, d.a, d.vh, d.tx, d.valid_from, d.valid_to, d.is_assert) AS h
              FROM @extschema@.datoms d WHERE d.tx = tx_root.tx) s;
        RETURN result;
    END $$;

-- Attribute schema ------------------------------------------------------------------
CREATE FUNCTION @extschema@.attribute_as_of(ident text, t bigint DEFAULT NULL)
    RETURNS TABLE (ident text, value_type text, cardinality text, "unique" text, doc text, spec text)
    AS 'MODULE_PATHNAME', 'persistence_attribute_as_of' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.attribute_as_of(ident text, t timestamptz)
    RETURNS TABLE (ident text, value_type text, cardinality text, "unique" text, doc text, spec text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM @extschema@.attribute_as_of(ident, coalesce(@extschema@.resolve_tx(t), 0)) $$;

-- Defines or migrates an attribute. Forward-only: doc, one → many, adding or dropping
-- unique (adding only when no two entities share a value) are allowed; changing the
-- value type or many → one are refused (0A000).
CREATE FUNCTION @extschema@.define_attribute(ident text, value_type text, cardinality text DEFAULT 'one',
                                             "unique" text DEFAULT NULL, doc text DEFAULT NULL,
                                             spec text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        kw text;
        cur record;
        defined boolean;
        clash record;
        data text;
    BEGIN
        IF ident IS NULL OR value_type IS NULL OR cardinality IS NULL THEN
            RAISE EXCEPTION 'ident, value_type and cardinality must not be NULL'
                USING ERRCODE = '22004', HINT = 'For example define_attribute(''person/email'', ''string'').';
        END IF;
        kw := @extschema@._keyword_text(ident);
        IF @extschema@.edn_typeof(@extschema@.edn_in(kw::cstring)) IS DISTINCT FROM 'keyword' THEN
            RAISE EXCEPTION 'attribute ident % is not a keyword', quote_literal(ident)
                USING ERRCODE = '22P02', HINT = 'Use a namespaced keyword such as :person/email.';
        END IF;
        IF kw LIKE ':db/%' OR kw LIKE ':db.%' THEN
            RAISE EXCEPTION 'attribute % is in the reserved namespace db', kw
                USING ERRCODE = '22023', HINT = 'Choose your own namespace, e.g. :person/email.';
        END IF;
        IF value_type NOT IN ('any', 'string', 'int', 'double', 'decimal', 'boolean', 'keyword',
                              'instant', 'uuid', 'ref', 'edn') THEN
            RAISE EXCEPTION 'unknown value_type %', quote_literal(value_type)
                USING ERRCODE = '22023',
                      HINT = 'One of any, string, int, double, decimal, boolean, keyword, instant, uuid, ref, edn.';
        END IF;
        IF cardinality NOT IN ('one', 'many') THEN
            RAISE EXCEPTION 'unknown cardinality %', quote_literal(cardinality)
                USING ERRCODE = '22023', HINT = 'one or many.';
        END IF;
        IF "unique" IS NOT NULL AND "unique" NOT IN ('identity', 'value') THEN
            RAISE EXCEPTION 'unknown unique %', quote_literal("unique")
                USING ERRCODE = '22023', HINT = 'NULL, identity or value.';
        END IF;
        -- A bound spec must exist (42704 from spec_get otherwise); docs/spec.md "Binding".
        IF spec IS NOT NULL THEN
            PERFORM @extschema@.spec_get(spec);
        END IF;
        -- Serialize definitions of one attribute (the checks below read, then write).
        PERFORM pg_advisory_xact_lock(hashtextextended('persistence.define_attribute ' || kw, 0));
        SELECT * INTO cur FROM @extschema@.attribute_as_of(kw) LIMIT 1;
        defined := FOUND;
        IF defined THEN
            IF cur.value_type <> value_type THEN
                RAISE EXCEPTION 'cannot change the value type of % from % to %', kw, cur.value_type, value_type
                    USING ERRCODE = '0A000',
                          HINT = 'Schema changes are forward-only: define a new attribute and migrate the values with transact.';
            END IF;
            IF cur.cardinality = 'many' AND cardinality = 'one' THEN
                RAISE EXCEPTION 'cannot change the cardinality of % from many to one', kw
                    USING ERRCODE = '0A000',
                          HINT = 'Schema changes are forward-only: define a new cardinality-one attribute instead.';
            END IF;
        END IF;
        IF "unique" IS NOT NULL AND (NOT defined OR cur."unique" IS NULL) THEN
            -- Any two entities whose live assertions of one value overlap in valid time
            -- (not only at the current instant), in the view of any branch: the schema is
            -- shared by all branches and the write path enforces the same rule in each
            -- branch's view (docs/fact.md §3). Main first, so its clash is the one reported.
            WITH live AS (
                SELECT DISTINCT ON (b.id, d.e, d.vh, d.valid_from, d.valid_to)
                       b.id AS bid, b.name AS bname, d.e, d.vh, d.valid_from, d.valid_to, d.is_assert
                FROM @extschema@.branches b
                CROSS JOIN LATERAL @extschema@._branch_view(b.name) bv
                JOIN @extschema@.datoms d ON d.branch_id = bv.branch_id AND d.tx <= bv.max_tx
                WHERE d.a = kw
                ORDER BY b.id, d.e, d.vh, d.valid_from, d.valid_to, d.tx DESC, d.is_assert DESC)
            SELECT @extschema@._value(l1.vh) AS v, ARRAY[l1.e, l2.e] AS es, l1.bid, l1.bname INTO clash
            FROM live l1 JOIN live l2 ON l1.bid = l2.bid AND l1.vh = l2.vh AND l1.e < l2.e
            WHERE l1.is_assert AND l2.is_assert
              AND tstzrange(l1.valid_from, l1.valid_to) && tstzrange(l2.valid_from, l2.valid_to)
            ORDER BY l1.bid
            LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING
                    ERRCODE = '23505',
                    MESSAGE = format('cannot make %s unique: entities %s share the value %s%s', kw, clash.es, clash.v,
                                     CASE WHEN clash.bid = 1 THEN '' ELSE format(' on branch "%s"', clash.bname) END),
                    HINT = CASE WHEN clash.bid = 1 THEN 'Retract the duplicates first, then add unique.'
                                ELSE format('Retract the duplicates on branch "%s" first, then add unique.', clash.bname) END;
            END IF;
        END IF;
        data := format('[{:db/id %s :db/ident %s :db/valueType :db.type/%s :db/cardinality :db.cardinality/%s}',
                       to_jsonb(kw)::text, kw, value_type, cardinality);
        IF "unique" IS NOT NULL THEN
            data := data || format(' [:db/add %s :db/unique :db.unique/%s]', to_jsonb(kw)::text, "unique");
        ELSIF defined AND cur."unique" IS NOT NULL THEN
            data := data || format(' [:db/retract %s :db/unique]', to_jsonb(kw)::text);
        END IF;
        IF doc IS NOT NULL THEN
            data := data || format(' [:db/add %s :db/doc %s]', to_jsonb(kw)::text, to_jsonb(doc)::text);
        END IF;
        IF spec IS NOT NULL THEN
            data := data || format(' [:db/add %s :db.attr/spec %s]', to_jsonb(kw)::text, to_jsonb(spec)::text);
        END IF;
        RETURN @extschema@._transact_schema((data || ']')::@extschema@.edn);
    END $$;
