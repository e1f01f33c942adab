
-------------------------------------------------------------------------------
-- Branches (module branch, docs/branch.md)
-------------------------------------------------------------------------------
-- A branch is one row: its parent and the parent's tx it forked at. Nothing is copied;
-- every reader sees a branch through persistence._branch_view (30_fact.sql), which the
-- C read and write paths share. Merges and rewinds are new transactions built from the
-- pieces of the log, so the history shows them and nothing is ever deleted.

CREATE SEQUENCE @extschema@.branch_id_seq AS integer START 2;

-- One row per merge: what was replayed, so that the next merge of the same pair starts
-- after it. merge_sources maps each replayed transaction to its source.
CREATE TABLE @extschema@.merges (
    merge_tx       bigint PRIMARY KEY,
    source_branch  integer NOT NULL,
    target_branch  integer NOT NULL,
    source_head    bigint NOT NULL,
    target_head    bigint NOT NULL,
    strategy       text NOT NULL
);
CREATE INDEX merges_pair ON @extschema@.merges (source_branch, target_branch, source_head);
CREATE TABLE @extschema@.merge_sources (
    tx         bigint PRIMARY KEY,
    source_tx  bigint NOT NULL
);
CREATE INDEX merge_sources_source ON @extschema@.merge_sources (source_tx);

SELECT @extschema@._make_append_only(t::regclass)
FROM unnest(ARRAY['@extschema@.merges', '@extschema@.merge_sources']) AS t;

-- The newest transaction a branch sees (0 when it sees none). One index probe per
-- segment of its view (transactions_branch).
CREATE FUNCTION @extschema@._branch_head(branch text) RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT coalesce(max(m.head), 0)
        FROM @extschema@._branch_view(branch) bv,
             LATERAL (SELECT max(x.tx) AS head FROM @extschema@.transactions x
                      WHERE x.branch_id = bv.branch_id AND x.tx <= bv.max_tx) m
    $$;

-- Is tx visible on the branch?
CREATE FUNCTION @extschema@._branch_sees(branch text, t bigint) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT EXISTS (SELECT 1 FROM @extschema@.transactions x
                       JOIN @extschema@._branch_view(branch) bv
                         ON bv.branch_id = x.branch_id AND x.tx <= bv.max_tx
                       WHERE x.tx = t)
    $$;

CREATE FUNCTION @extschema@._require_tx_on(branch text, t bigint) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
        IF t IS NULL OR NOT @extschema@._branch_sees(branch, t) THEN
            RAISE EXCEPTION 'transaction % is not visible on branch "%"', coalesce(t::text, 'NULL'), branch
                USING ERRCODE = '22023',
                      HINT = 'A branch sees its own transactions and its base''s up to the fork point; '
                             'persistence.branches() shows fork and head txs.';
        END IF;
    END $$;

-- branch(name, from_branch, at_tx) → id: a new branch whose base is from_branch as of at_tx
-- (default: its head). O(1): one row, no datom copied.
CREATE FUNCTION @extschema@.branch(name text, from_branch text DEFAULT 'main', at_tx bigint DEFAULT NULL)
    RETURNS integer
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        base integer;
        fork bigint;
        new_id integer;
    BEGIN
        IF name IS NULL OR from_branch IS NULL THEN
            RAISE EXCEPTION 'branch name and from_branch must not be NULL'
                USING ERRCODE = '22004', HINT = 'Leave from_branch out for ''main''.';
        END IF;
        IF name !~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$' THEN
            RAISE EXCEPTION 'invalid branch name %', quote_literal(name)
                USING ERRCODE = '22023',
                      HINT = 'A branch name has 1 to 63 characters: a letter or digit, then letters, digits, '
                             '".", "_", "/" or "-".';
        END IF;
        base := @extschema@._branch_id(from_branch);
        IF at_tx IS NULL THEN
            fork := @extschema@._branch_head(from_branch);
        ELSE
            PERFORM @extschema@._require_tx_on(from_branch, at_tx);
            fork := at_tx;
        END IF;
        IF EXISTS (SELECT 1 FROM @extschema@.branches b WHERE b.name = branch.name) THEN
            RAISE EXCEPTION 'branch "%" already exists', name
                USING ERRCODE = '42710', HINT = 'Choose another name; branches are never dropped.';
        END IF;
        new_id := nextval('@extschema@.branch_id_seq');
        -- A concurrent creator of the same name gets the unique index's 23505.
        INSERT INTO @extschema@.branches (id, name, parent_id, fork_tx) VALUES (new_id, name, base, fork);
        RETURN new_id;
    END $$;

-- Every branch: its parent, fork point, head, own datoms and creation time.
CREATE FUNCTION @extschema@.branches()
    RETURNS TABLE (name text, parent text, fork_tx bigint, head_tx bigint, datom_count bigint,
                   created_at timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT b.name, p.name, b.fork_tx, coalesce(o.head, b.fork_tx, 0), coalesce(o.datoms, 0), b.created_at
        FROM @extschema@.branches b
        LEFT JOIN @extschema@.branches p ON p.id = b.parent_id
        LEFT JOIN LATERAL (SELECT max(x.tx) AS head, sum(x.datom_count)::bigint AS datoms
                           FROM @extschema@.transactions x WHERE x.branch_id = b.id) o ON true
        ORDER BY b.id
    $$;

-- The part of two views they share: for each branch in both, up to the lower limit.
CREATE FUNCTION @extschema@._common_view(a text, b text) RETURNS TABLE (branch_id integer, max_tx bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT va.branch_id, least(va.max_tx, vb.max_tx)
        FROM @extschema@._branch_view(a) va JOIN @extschema@._branch_view(b) vb ON vb.branch_id = va.branch_id
    $$;

-- Datoms a branch sees that `other` does not share with it (its changes since their
-- common ancestor). Per segment (b, m) of the branch's view they are the datoms of b's
-- transactions in (c, m], c the common limit of b (0 when `other` does not see b): one
-- range of transactions_branch per segment, then datoms_tx. Replays of transactions the
-- other branch sees are left out: a merged change is not a change of the side it came
-- back from.
CREATE FUNCTION @extschema@._changes(branch text, other text)
    RETURNS TABLE (e text, a text, vh bytea, tx bigint, valid_from timestamptz, valid_to timestamptz,
                   is_assert boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT d.e, d.a, d.vh, d.tx, d.valid_from, d.valid_to, d.is_assert
        FROM @extschema@._branch_view(branch) bv
        LEFT JOIN @extschema@._branch_view(other) ov ON ov.branch_id = bv.branch_id
        JOIN @extschema@.transactions x
          ON x.branch_id = bv.branch_id AND x.tx <= bv.max_tx
         AND x.tx > CASE WHEN ov.branch_id IS NULL THEN 0 ELSE least(bv.max_tx, ov.max_tx) END
        JOIN @extschema@.datoms d ON d.tx = x.tx
        WHERE NOT EXISTS (SELECT 1 FROM @extschema@.merge_sources ms
                          WHERE ms.tx = x.tx AND @extschema@._branch_sees(other, ms.source_tx))
    $$;

-- branch_diff(a, b): what each side changed since the common ancestor, as datoms.
CREATE FUNCTION @extschema@.branch_diff(a text, b text)
    RETURNS TABLE (branch text, e text, attribute text, v @extschema@.edn, tx bigint, tx_time timestamptz,
                   valid_from timestamptz, valid_to timestamptz, op text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT s.side, c.e, c.a, @extschema@._value(c.vh), c.tx, x.tx_time, c.valid_from, c.valid_to,
               CASE WHEN c.is_assert THEN 'assert' ELSE 'retract' END
        FROM (VALUES (1, a, b), (2, b, a)) AS s(n, side, other),
             LATERAL @extschema@._changes(s.side, s.other) c
        JOIN @extschema@.transactions x ON x.tx = c.tx
        ORDER BY s.n, c.tx, c.is_assert, c.e, c.a, c.valid_from
    $$;

-- The live pieces of a branch as known at tx t (NULL: latest): for each piece key the
-- newest datom decides (docs/fact.md §1: a retraction cancels exactly its piece).
CREATE FUNCTION @extschema@._live_pieces(branch text, t bigint)
    RETURNS TABLE (e text, a text, vh bytea, valid_from timestamptz, valid_to timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT p.e, p.a, p.vh, p.valid_from, p.valid_to
        FROM (SELECT DISTINCT ON (d.e, d.a, d.vh, d.valid_from, d.valid_to) d.*
              FROM @extschema@.datoms d
              JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
              WHERE t IS NULL OR d.tx <= t
              ORDER BY d.e, d.a, d.vh, d.valid_from, d.valid_to, d.tx DESC, d.is_assert DESC) p
        WHERE p.is_assert
    $$;

-- The same for one (e, a): an EAVT walk, for callers that touch a few pairs of a large log.
CREATE FUNCTION @extschema@._pair_pieces(branch text, t bigint, pe text, pa text)
    RETURNS TABLE (e text, a text, vh bytea, valid_from timestamptz, valid_to timestamptz)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT pe, pa, p.vh, p.valid_from, p.valid_to
        FROM (SELECT DISTINCT ON (d.vh, d.valid_from, d.valid_to) d.vh, d.valid_from, d.valid_to, d.is_assert
              FROM @extschema@.datoms d
              JOIN @extschema@._branch_view(branch) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
              WHERE d.e = pe AND d.a = pa AND (t IS NULL OR d.tx <= t)
              ORDER BY d.vh, d.valid_from, d.valid_to, d.tx DESC, d.is_assert DESC) p
        WHERE p.is_assert
    $$;

-- An EDN #inst of a timestamptz, in UTC with microseconds.
CREATE FUNCTION @extschema@._inst_text(t timestamptz) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT '#inst "' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"' $$;

-- One tx-data operation that asserts or retracts exactly one piece.
CREATE FUNCTION @extschema@._piece_op(is_assert boolean, e text, a text, vh bytea,
                                      valid_from timestamptz, valid_to timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT format('[%s %s %s %s {:valid-from %s%s}]',
                      CASE WHEN is_assert THEN ':db/add' ELSE ':db/retract' END,
                      to_jsonb(e)::text, a, @extschema@._value(vh)::text,
                      @extschema@._inst_text(valid_from),
                      CASE WHEN valid_to IS NULL THEN '' ELSE ' :valid-to ' || @extschema@._inst_text(valid_to) END)
    $$;

-- Transacts "make the live pieces of these (e, a) on `branch` equal their pieces on
-- `source` as of `source_t` (NULL: latest)": retract every live piece not in the source,
-- assert every source piece not live, each with its exact valid interval. `pairs` is a
-- query of (e, a) rows. Returns the tx (NULL if nothing differs and `always` is false).
CREATE FUNCTION @extschema@._assign_pieces(branch text, pairs text, source text, source_t bigint,
                                           provenance @extschema@.edn, always boolean)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        ops text;
    BEGIN
        EXECUTE format(
            'WITH pairs AS (SELECT DISTINCT e, a FROM (%s) q),
                  target AS (SELECT t.* FROM pairs, LATERAL @extschema@._pair_pieces($2, $3, pairs.e, pairs.a) t),
                  live AS (SELECT l.* FROM pairs, LATERAL @extschema@._pair_pieces($1, NULL, pairs.e, pairs.a) l),
                  out AS (SELECT false AS is_assert, * FROM (SELECT * FROM live EXCEPT SELECT * FROM target) r
                          UNION ALL
                          SELECT true, * FROM (SELECT * FROM target EXCEPT SELECT * FROM live) s)
             SELECT string_agg(@extschema@._piece_op(is_assert, e, a, vh, valid_from, valid_to), '' ''
                               ORDER BY is_assert, e, a, valid_from, vh)
             FROM out', pairs)
            INTO ops USING branch, source, source_t;
        IF ops IS NULL AND NOT always THEN
            RETURN NULL;
        END IF;
        RETURN @extschema@.transact(('[' || coalesce(ops, '') || ']')::@extschema@.edn, branch, provenance);
    END $$;

-- rewind(branch, to_tx, entities) → tx: one new transaction after which the branch's
-- current state (of every entity, or of the given ones) equals its state as of to_tx.
CREATE FUNCTION @extschema@.rewind(branch text, to_tx bigint, entities text[] DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
        IF branch IS NULL THEN
            RAISE EXCEPTION 'branch must not be NULL' USING ERRCODE = '22004';
        END IF;
        PERFORM @extschema@._branch_id(branch);   -- 42704 for an unknown branch, before to_tx
        PERFORM @extschema@._require_tx_on(branch, to_tx);
        IF entities IS NOT NULL AND array_position(entities, NULL) IS NOT NULL THEN
            RAISE EXCEPTION 'entities must not contain NULL'
                USING ERRCODE = '22004', HINT = 'Pass NULL (not an array with NULL) for every entity.';
        END IF;
        -- Only (e, a) with a datom after to_tx can differ from their state at to_tx.
        RETURN @extschema@._assign_pieces(branch,
            format('SELECT DISTINCT d.e, d.a FROM @extschema@.datoms d
                    JOIN @extschema@._branch_view(%L) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
                    WHERE d.tx > %s AND (%L::text[] IS NULL OR d.e = ANY (%L::text[]))',
                   branch, to_tx, entities, entities),
            branch, to_tx,
            format('{:rewind/to-tx %s :rewind/entities %s}', to_tx,
                   CASE WHEN entities IS NULL THEN 'nil'
                        ELSE '[' || coalesce((SELECT string_agg(to_jsonb(x)::text, ' ') FROM unnest(entities) x), '')
                             || ']' END
                  )::@extschema@.edn,
            true);
    END $$;

-- Cardinality of an attribute now ('one' for undefined attributes, like transact).
CREATE FUNCTION @extschema@._cardinality(a text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT coalesce((SELECT s.cardinality FROM @extschema@.attribute_as_of(a) s), 'one') $$;
CREATE FUNCTION @extschema@._is_unique(a text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT coalesce((SELECT s."unique" IS NOT NULL FROM @extschema@.attribute_as_of(a) s), false) $$;

-- merge(src, into, strategy) replays src's transactions since the common ancestor (and
-- since its last merge into the same branch) onto `into`, one new transaction per source
-- transaction, each naming its source in its provenance. Conflicts come back as rows:
--   cardinality-one  the same cardinality-one (e, a) changed on both sides;
--   unique           src asserts a unique (a, v) that another entity holds on `into`.
-- 'fail' writes nothing when there is a conflict; 'ours' keeps into's side of each
-- conflicting (e, a) and replays the rest; 'theirs' replays the rest and then makes each
-- conflicting (e, a) equal to src's (retracting into's holders of a unique value). A
-- final transaction records the merge (:merge/* datoms naming both heads).
CREATE FUNCTION @extschema@.merge(src text, "into" text, strategy text DEFAULT 'fail')
    RETURNS TABLE (merge_tx bigint, kind text, e text, attribute text, detail text, resolution text)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    SET client_min_messages = warning
    AS $$
    DECLARE
        target text := "into";
        src_id integer;
        target_id integer;
        src_head bigint;
        target_head bigint;
        last_head bigint;
        replayed integer := 0;
        conflicts integer;
        source record;
        ops text;
        new_tx bigint;
        record_id text := 'merge/' || gen_random_uuid();
    BEGIN
        IF src IS NULL OR target IS NULL OR strategy IS NULL THEN
            RAISE EXCEPTION 'src, into and strategy must not be NULL' USING ERRCODE = '22004';
        END IF;
        IF strategy NOT IN ('fail', 'ours', 'theirs') THEN
            RAISE EXCEPTION 'unknown merge strategy %', quote_literal(strategy)
                USING ERRCODE = '22023', HINT = 'Use ''fail'', ''ours'' or ''theirs''.';
        END IF;
        src_id := @extschema@._branch_id(src);
        target_id := @extschema@._branch_id(target);
        IF src_id = target_id THEN
            RAISE EXCEPTION 'cannot merge branch "%" into itself', src USING ERRCODE = '22023';
        END IF;
        -- One merge into a branch at a time: a second one waits and then starts after it.
        PERFORM pg_advisory_xact_lock(x'5045'::integer, target_id);
        src_head := @extschema@._branch_head(src);
        target_head := @extschema@._branch_head(target);
        SELECT max(m.source_head) INTO last_head FROM @extschema@.merges m
        WHERE m.source_branch = src_id AND m.target_branch = target_id;

        CREATE TEMP TABLE IF NOT EXISTS pg_temp.merge_src_changes
            (e text, a text, vh bytea, tx bigint, valid_from timestamptz, valid_to timestamptz, is_assert boolean)
            ON COMMIT DROP;
        CREATE TEMP TABLE IF NOT EXISTS pg_temp.merge_target_pairs (e text, a text) ON COMMIT DROP;
        CREATE TEMP TABLE IF NOT EXISTS pg_temp.merge_conflicts (kind text, e text, a text, detail text)
            ON COMMIT DROP;
        TRUNCATE pg_temp.merge_src_changes, pg_temp.merge_target_pairs, pg_temp.merge_conflicts;
        INSERT INTO pg_temp.merge_src_changes
        SELECT * FROM @extschema@._changes(src, target) c WHERE c.tx > coalesce(last_head, 0);
        INSERT INTO pg_temp.merge_target_pairs SELECT DISTINCT t.e, t.a FROM @extschema@._changes(target, src) t;
        ANALYZE pg_temp.merge_src_changes, pg_temp.merge_target_pairs;

        -- Cardinality one, changed on both sides.
        INSERT INTO pg_temp.merge_conflicts
        SELECT 'cardinality-one', p.e, p.a,
               format('changed on "%s" and on "%s" since their common ancestor', src, target)
        FROM (SELECT DISTINCT s.e, s.a FROM pg_temp.merge_src_changes s
              JOIN pg_temp.merge_target_pairs t ON t.e = s.e AND t.a = s.a) p
        WHERE @extschema@._cardinality(p.a) = 'one';
        -- Unique values src asserts that another entity holds on into (AVET per value).
        INSERT INTO pg_temp.merge_conflicts
        SELECT DISTINCT ON (s.e, s.a) 'unique', s.e, s.a,
               format('value %s is held by entity %s on "%s"', @extschema@._value(s.vh)::text, h.e, target)
        FROM (SELECT DISTINCT c.a FROM pg_temp.merge_src_changes c) ua
        JOIN pg_temp.merge_src_changes s ON s.a = ua.a AND s.is_assert
        CROSS JOIN LATERAL (
            SELECT p.e FROM (SELECT DISTINCT ON (d.e, d.valid_from, d.valid_to) d.e, d.is_assert
                             FROM @extschema@.datoms d
                             JOIN @extschema@._branch_view(target) bv
                               ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
                             WHERE d.a = s.a AND d.vh = s.vh
                             ORDER BY d.e, d.valid_from, d.valid_to, d.tx DESC, d.is_assert DESC) p
            WHERE p.is_assert AND p.e <> s.e LIMIT 1) h
        WHERE @extschema@._is_unique(ua.a)
          AND NOT EXISTS (SELECT 1 FROM pg_temp.merge_conflicts c WHERE c.e = s.e AND c.a = s.a)
        ORDER BY s.e, s.a;
        SELECT count(*) INTO conflicts FROM pg_temp.merge_conflicts;

        IF conflicts > 0 AND strategy = 'fail' THEN
            RETURN QUERY SELECT NULL::bigint, c.kind, c.e, c.a, c.detail, 'none'::text
                         FROM pg_temp.merge_conflicts c ORDER BY c.kind, c.e, c.a;
            RETURN;
        END IF;

        -- Replay each source transaction, without the conflicting (e, a).
        FOR source IN SELECT DISTINCT s.tx FROM pg_temp.merge_src_changes s ORDER BY s.tx LOOP
            SELECT string_agg(@extschema@._piece_op(s.is_assert, s.e, s.a, s.vh, s.valid_from, s.valid_to), ' '
                              ORDER BY s.is_assert, s.e, s.a, s.valid_from, s.vh)
            INTO ops
            FROM pg_temp.merge_src_changes s
            WHERE s.tx = source.tx
              AND NOT EXISTS (SELECT 1 FROM pg_temp.merge_conflicts c WHERE c.e = s.e AND c.a = s.a);
            CONTINUE WHEN ops IS NULL;
            new_tx := @extschema@.transact(('[' || ops || ']')::@extschema@.edn, target,
                format('{:merge/source-branch %s :merge/source-tx %s}', to_jsonb(src)::text, source.tx)::@extschema@.edn);
            INSERT INTO @extschema@.merge_sources VALUES (new_tx, source.tx);
            replayed := replayed + 1;
        END LOOP;

        -- 'theirs': each conflicting (e, a) becomes src's; holders of a unique value src
        -- now asserts lose it.
        IF conflicts > 0 AND strategy = 'theirs' THEN
            PERFORM @extschema@._assign_pieces(target,
                format('SELECT e, a FROM pg_temp.merge_conflicts
                        UNION SELECT d.e, d.a FROM pg_temp.merge_conflicts c
                              JOIN pg_temp.merge_src_changes s ON s.e = c.e AND s.a = c.a AND s.is_assert
                              JOIN @extschema@.datoms d ON d.a = s.a AND d.vh = s.vh AND d.e <> s.e
                              JOIN @extschema@._branch_view(%L) bv ON bv.branch_id = d.branch_id AND d.tx <= bv.max_tx
                        WHERE c.kind = ''unique''', target),
                src, NULL,
                format('{:merge/source-branch %s :merge/resolution "theirs"}', to_jsonb(src)::text)::@extschema@.edn,
                false);
        END IF;

        -- The record: a transaction naming both parents.
        new_tx := @extschema@.transact(format(
            '[{:db/id %s :merge/source %s :merge/into %s :merge/source-head %s :merge/into-head %s
               :merge/strategy %s :merge/replayed %s :merge/conflicts %s}]',
            to_jsonb(record_id)::text, to_jsonb(src)::text, to_jsonb(target)::text, src_head, target_head,
            to_jsonb(strategy)::text, replayed, conflicts)::@extschema@.edn,
            target,
            format('{:merge/parents [%s %s]}', src_head, target_head)::@extschema@.edn);
        INSERT INTO @extschema@.merges VALUES (new_tx, src_id, target_id, src_head, target_head, strategy);

        RETURN QUERY SELECT new_tx, c.kind, c.e, c.a, c.detail, strategy
                     FROM pg_temp.merge_conflicts c ORDER BY c.kind, c.e, c.a;
        RETURN QUERY SELECT new_tx, 'merged'::text, record_id, NULL::text,
                            format('%s transactions replayed from "%s"', replayed, src), strategy;
    END $$;
