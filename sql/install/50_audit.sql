
-------------------------------------------------------------------------------
-- The sealed audit chain (module audit, docs/audit.md)
-------------------------------------------------------------------------------
-- transact() queues every new transaction in seal_queue; the sealer (the background
-- worker, or seal() in a session) appends queued transactions to `chain` in the order it
-- observes their commits, and every N entries or T ms signs a checkpoint of the chain's
-- RFC 6962 Merkle log. Hash formats: docs/audit.md "Byte formats".

-- The log's identity: a random 16-byte id fixed at CREATE EXTENSION, signed into every
-- checkpoint so that checkpoints of two databases can never be confused.
CREATE TABLE @extschema@.audit_log (
    log_id     bytea PRIMARY KEY CHECK (length(log_id) = 16),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO @extschema@.audit_log (log_id) VALUES (uuid_send(gen_random_uuid()));

-- Committed transactions waiting to be sealed. Not a log table: the sealer deletes what
-- it sealed. Writers only insert their own tx id, so they share no row.
CREATE TABLE @extschema@.seal_queue (
    tx bigint PRIMARY KEY
);
-- Rows live for milliseconds: vacuum it by count, not by a fraction of its size.
ALTER TABLE @extschema@.seal_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
REVOKE ALL ON @extschema@.seal_queue FROM PUBLIC;
GRANT SELECT ON @extschema@.seal_queue TO persistence_reader;

-- One entry per sealed transaction. subtree_roots: the Merkle log's complete-subtree
-- hashes that end at this entry's leaf (levels 1.., 32 bytes each), so roots and proofs
-- need O(log n) lookups.
CREATE TABLE @extschema@.chain (
    seq           bigint PRIMARY KEY,
    tx            bigint NOT NULL UNIQUE,
    branch_id     integer NOT NULL,
    prev_hash     bytea NOT NULL,
    merkle_root   bytea NOT NULL,
    entry_hash    bytea NOT NULL,
    branch_prev   bytea NOT NULL,
    subtree_roots bytea,
    sealed_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX chain_branch ON @extschema@.chain (branch_id, seq);

-- Public keys that have signed checkpoints. The secret keys live in files (docs/audit.md
-- "Keys"); a key after the first is introduced by a rotation signed by its predecessor
-- and by itself, and recorded in the chain by the transaction rotation_tx.
CREATE TABLE @extschema@.signing_keys (
    key_id       bytea PRIMARY KEY,
    public_key   bytea NOT NULL UNIQUE CHECK (length(public_key) = 32),
    previous_key bytea REFERENCES @extschema@.signing_keys (key_id),
    sig_by_old   bytea,
    sig_by_new   bytea,
    rotation_tx  bigint,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Signed checkpoints of the Merkle log: the first `size` chain entries have `root`.
CREATE TABLE @extschema@.checkpoints (
    size      bigint PRIMARY KEY,
    root      bytea NOT NULL,
    prev_hash bytea NOT NULL,
    time      timestamptz NOT NULL,
    key_id    bytea NOT NULL,
    signature bytea NOT NULL,
    hash      bytea NOT NULL
);

-- Value payloads removed by erase(); the datoms keep their hashes.
CREATE TABLE @extschema@.erased_values (
    hash bytea PRIMARY KEY,
    tx   bigint NOT NULL
);

-- verify_chain(resume => true) starts after the last checkpoint a run verified.
CREATE TABLE @extschema@.verified_checkpoints (
    size        bigint NOT NULL,
    verified_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

SELECT @extschema@._make_append_only(t::regclass)
FROM unnest(ARRAY['@extschema@.audit_log', '@extschema@.chain', '@extschema@.signing_keys',
                  '@extschema@.checkpoints', '@extschema@.erased_values',
                  '@extschema@.verified_checkpoints']) AS t;

-- Sealing ---------------------------------------------------------------------------
-- Seals what is queued, in this session (the worker does the same when preloaded).
-- Returns the number of entries appended. Writes a checkpoint when one is due.
CREATE FUNCTION @extschema@.seal() RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_seal' LANGUAGE C VOLATILE SECURITY DEFINER;
-- Signs a checkpoint of the whole chain now (unless the newest one already covers it).
-- Returns the checkpoint's size.
CREATE FUNCTION @extschema@.checkpoint() RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_checkpoint' LANGUAGE C VOLATILE SECURITY DEFINER;
-- Waits until tx is sealed (true) or the timeout passes (false).
CREATE FUNCTION @extschema@.await_seal(tx bigint, timeout interval DEFAULT '10 s') RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_await_seal' LANGUAGE C VOLATILE STRICT;

-- Verification ------------------------------------------------------------------------
CREATE FUNCTION @extschema@.verify_chain(branch text DEFAULT NULL, from_seq bigint DEFAULT NULL,
                                         to_seq bigint DEFAULT NULL, resume boolean DEFAULT false)
    RETURNS TABLE (ok boolean, checked bigint, first_bad_tx bigint, reason text)
    AS 'MODULE_PATHNAME', 'persistence_verify_chain' LANGUAGE C VOLATILE SECURITY DEFINER;

-- Proofs ------------------------------------------------------------------------------
CREATE FUNCTION @extschema@.audit_proof(tx bigint) RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_audit_proof' LANGUAGE C STABLE STRICT;
CREATE FUNCTION @extschema@.consistency_proof(old_size bigint, new_size bigint DEFAULT NULL)
    RETURNS @extschema@.edn
    AS 'MODULE_PATHNAME', 'persistence_consistency_proof' LANGUAGE C STABLE;
CREATE FUNCTION @extschema@.verify_proof(proof @extschema@.edn) RETURNS boolean
    AS 'MODULE_PATHNAME', 'persistence_verify_proof' LANGUAGE C STABLE STRICT;

-- Keys (admin only) -------------------------------------------------------------------
CREATE FUNCTION @extschema@.rotate_signing_key() RETURNS bytea
    AS 'MODULE_PATHNAME', 'persistence_rotate_signing_key' LANGUAGE C VOLATILE SECURITY DEFINER;

-- Erasure (admin only) ------------------------------------------------------------------
CREATE FUNCTION @extschema@._erase_payloads(hashes bytea[]) RETURNS bigint
    AS 'MODULE_PATHNAME', 'persistence_erase_payloads' LANGUAGE C VOLATILE STRICT;
REVOKE ALL ON FUNCTION @extschema@._erase_payloads(bytea[]) FROM PUBLIC;

-- erase(e, a) → tx: drops the payloads of every value e holds or held (for attribute a,
-- or all of them), in every branch, assertions and retractions alike. The datoms and
-- their hashes stay, so the chain still verifies; the values read as the tombstone
-- #persistence/erased "<hash>". Recorded as a transaction on main (sealed like any other).
-- A payload is one per value (content addressing): any other datom holding the same
-- value reads the tombstone too, until the value is transacted again.
CREATE FUNCTION @extschema@.erase(e text, a text DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    DECLARE
        kw text := CASE WHEN a IS NULL THEN NULL ELSE @extschema@._keyword_text(a) END;
        hashes bytea[];
        removed bigint;
        tx bigint;
    BEGIN
        IF e IS NULL THEN
            RAISE EXCEPTION 'erase: the entity must not be NULL'
                USING ERRCODE = '22004', HINT = 'erase(''person-1'') erases every value of the entity.';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('persistence.erase', 0));
        SELECT array_agg(DISTINCT d.vh) INTO hashes
        FROM @extschema@.datoms d
        WHERE d.e = erase.e AND (kw IS NULL OR d.a = kw)
          AND NOT EXISTS (SELECT 1 FROM @extschema@.erased_values x WHERE x.hash = d.vh);
        IF hashes IS NULL THEN
            RAISE EXCEPTION 'erase: entity % has no value left to erase%', quote_literal(e),
                            coalesce(' for attribute ' || kw, '')
                USING ERRCODE = '22023', HINT = 'persistence.history(e) lists its datoms.';
        END IF;
        removed := @extschema@._erase_payloads(hashes);
        tx := @extschema@.transact(format('[{:db/id "persistence.erasure/%s" :persistence.erasure/entity %s '
                                          ':persistence.erasure/attribute %s :persistence.erasure/values %s}]',
                                          gen_random_uuid(), to_jsonb(e)::text,
                                          to_jsonb(coalesce(kw, '*'))::text, cardinality(hashes))::@extschema@.edn);
        INSERT INTO @extschema@.erased_values (hash, tx) SELECT h, tx FROM unnest(hashes) AS h;
        RETURN tx;
    END $$;

-- Export -------------------------------------------------------------------------------
-- The chain, its checkpoints and keys, and every transaction, datom and value, in the
-- line format persistence-verify reads (docs/audit.md "Export format").
CREATE FUNCTION @extschema@.export_chain() RETURNS SETOF text
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    BEGIN
        RETURN NEXT 'persistence-export 1';
        RETURN QUERY SELECT 'log ' || encode(l.log_id, 'hex') FROM @extschema@.audit_log l;
        RETURN QUERY SELECT format('key %s %s', encode(k.key_id, 'hex'), encode(k.public_key, 'hex'))
                     FROM @extschema@.signing_keys k ORDER BY k.created_at;
        RETURN QUERY SELECT format('branch %s %s %s', b.id, coalesce(b.parent_id, 0), coalesce(b.fork_tx, 0))
                     FROM @extschema@.branches b ORDER BY b.id;
        RETURN QUERY SELECT format('checkpoint %s %s %s %s %s %s', c.size, encode(c.root, 'hex'),
                                   encode(c.prev_hash, 'hex'),
                                   (extract(epoch FROM c.time) * 1000000)::bigint,
                                   encode(c.key_id, 'hex'), encode(c.signature, 'hex'))
                     FROM @extschema@.checkpoints c ORDER BY c.size;
        RETURN QUERY SELECT format('entry %s %s %s %s %s %s %s %s', c.seq, c.tx, c.branch_id,
                                   encode(c.prev_hash, 'hex'), encode(c.merkle_root, 'hex'),
                                   encode(c.entry_hash, 'hex'), encode(c.branch_prev, 'hex'),
                                   coalesce(encode(c.subtree_roots, 'hex'), '-'))
                     FROM @extschema@.chain c ORDER BY c.seq;
        RETURN QUERY SELECT format('tx %s %s %s %s %s', t.tx, t.branch_id,
                                   (extract(epoch FROM t.tx_time) * 1000000)::bigint, t.datom_count,
                                   encode(t.merkle_root, 'hex'))
                     FROM @extschema@.transactions t ORDER BY t.tx;
        RETURN QUERY SELECT format('datom %s %s %s %s %s %s %s %s', d.tx, encode(convert_to(d.e, 'UTF8'), 'hex'),
                                   encode(convert_to(d.a, 'UTF8'), 'hex'), encode(d.vh, 'hex'),
                                   (extract(epoch FROM d.valid_from) * 1000000)::bigint,
                                   coalesce(((extract(epoch FROM d.valid_to) * 1000000)::bigint)::text, '-'),
                                   CASE WHEN d.is_assert THEN 1 ELSE 0 END, encode(d.hash, 'hex'))
                     FROM @extschema@.datoms d ORDER BY d.tx;
        RETURN QUERY SELECT format('value %s %s', encode(v.hash, 'hex'),
                                   encode(substring(@extschema@.edn_send(v.v) FROM 2), 'hex'))
                     FROM @extschema@.value_store v;
        RETURN QUERY SELECT format('value %s -', encode(x.hash, 'hex')) FROM @extschema@.erased_values x;
        RETURN QUERY SELECT 'pending ' || q.tx FROM @extschema@.seal_queue q ORDER BY q.tx;
    END $$;
