-- Specs (docs/spec.md): the registry, the checks over names and inline schemas, edn and
-- jsonb values, coerce, spec_generate's property (every generated value is valid, for
-- every schema kind), spec_check in CHECK constraints, attribute binding in transact, and
-- every error path. One SQL transaction, rolled back.
BEGIN;
SET LOCAL search_path = persistence, public;
SELECT plan(65);

-- Registry -----------------------------------------------------------------------------------
SELECT is(spec_define('tap/answer', '[:map [:text :string] [:confidence [:double {:min 0.0 :max 1.0}]]]'), 1,
          'spec_define: the first version is 1');
SELECT is(spec_define('tap/answer', '[:map [:text :string] [:confidence [:double {:min 0.0 :max 1.0}]]]'), 1,
          'the same schema again: the same version');
SELECT is(spec_define('tap/answer', '[:map [:text [:string {:min 1}]] [:confidence [:double {:min 0.0 :max 1.0}]]]'), 2,
          'a changed schema: version 2');
SELECT is(spec_get('tap/answer'), '[:map [:text [:string {:min 1}]] [:confidence [:double {:min 0.0 :max 1.0}]]]'::edn,
          'spec_get(name): the newest version');
SELECT is(spec_get('tap/answer@1'), '[:map [:text :string] [:confidence [:double {:min 0.0 :max 1.0}]]]'::edn,
          'spec_get(name@1): a fixed version');
SELECT is((SELECT count(*) FROM history('persistence.spec/tap/answer@2')), 3::bigint,
          'a version is stored as datoms (name, version, schema)');
SELECT throws_ok($$SELECT spec_get('tap/nope')$$, '42704', NULL, 'unknown spec: 42704');
SELECT throws_ok($$SELECT spec_get('tap/answer@9')$$, '42704', NULL, 'unknown version: 42704');
SELECT throws_ok($$SELECT spec_get('tap/answer@0')$$, '22023', NULL, 'version 0: 22023');
SELECT throws_ok($$SELECT spec_get('tap/answer@x')$$, '22023', NULL, 'a malformed version: 22023');
SELECT throws_ok($$SELECT spec_define('1bad', '[:int]')$$, '22023', NULL, 'a bad name: 22023');
SELECT throws_ok($$SELECT spec_define('a@1', '[:int]')$$, '22023', NULL, '@ is reserved for versions: 22023');
SELECT throws_ok($$SELECT spec_define(NULL, '[:int]')$$, '22004', NULL, 'NULL name: 22004');
SELECT throws_ok($$SELECT spec_define('tap/x', NULL)$$, '22004', NULL, 'NULL schema: 22004');
SELECT throws_ok($$SELECT spec_define('tap/x', '[:map [:a [:int {:min "x"}]]]')$$, '22P02', NULL,
                 'an invalid schema is refused at definition: 22P02');
SELECT throws_ok($$SELECT spec_define('tap/x', '[:frobnicate]')$$, '22P02', NULL, 'an unknown schema kind: 22P02');
SELECT throws_ok($$SELECT spec_define('tap/x', '[:re "("]')$$, '22P02', NULL, 'an invalid regex: 22P02');

-- valid over names, inline schemas, edn and jsonb -------------------------------------------------
SELECT ok(valid('tap/answer', '{:text "hi" :confidence 0.5}'::edn), 'valid(name, edn)');
SELECT ok(NOT valid('tap/answer', '{:text "" :confidence 0.5}'::edn), 'the newest version applies: empty text fails');
SELECT ok(valid('tap/answer@1', '{:text "" :confidence 0.5}'::edn), 'a pinned version applies');
SELECT ok(valid('[:vector :int]'::edn, '[1 2 3]'::edn), 'valid(inline schema, edn)');
SELECT ok(NOT valid('[:vector :int]'::edn, '[1 "2"]'::edn), 'an inline schema rejects');
SELECT ok(valid('tap/answer', '{"text": "hi", "confidence": 0.5}'::jsonb), 'valid(name, jsonb): "text" matches :text');
SELECT ok(NOT valid('tap/answer', '{"text": "hi", "confidence": 2}'::jsonb), 'jsonb: a bound is checked');
SELECT ok(valid('[:map [:n :int]]'::edn, '{"n": 3}'::jsonb), 'valid(inline schema, jsonb)');
SELECT is(valid('tap/answer', NULL::edn), NULL, 'valid is strict');
SELECT throws_ok($$SELECT valid('tap/nope', '1'::edn)$$, '42704', NULL, 'valid with an unknown spec: 42704');
SELECT throws_ok($$SELECT valid('[:nope]'::edn, '1'::edn)$$, '22P02', NULL, 'valid with an invalid inline schema: 22P02');

-- explain, explain_for_llm ---------------------------------------------------------------------------
SELECT is(explain('tap/answer', '{:text "hi" :confidence 0.5}'::edn)::text, '[]', 'explain of a valid value: []');
SELECT is(edn_count(explain('tap/answer', '{:confidence 7}'::edn)), 2, 'explain: one map per problem');
SELECT ok(explain('tap/answer', '{:confidence 7}'::edn) -> 0 @> '{:problem :missing-key}'::edn
          OR explain('tap/answer', '{:confidence 7}'::edn) -> 1 @> '{:problem :missing-key}'::edn, 'explain names the missing key');
SELECT is(explain_for_llm('tap/answer', '{:text "hi" :confidence 0.5}'::edn), '', 'explain_for_llm of a valid value: empty');
SELECT ok(explain_for_llm('tap/answer', '{:confidence 7}'::edn) LIKE '%:text%', 'explain_for_llm names the missing key');
SELECT is(array_length(string_to_array(explain_for_llm('tap/answer', '{:confidence 7}'::edn), E'\n'), 1), 3,
          'explain_for_llm: one line per problem and a summary line');

-- coerce --------------------------------------------------------------------------------------------------
SELECT is(coerce('[:map [:n :int] [:k :keyword]]'::edn, '{"n": "42", "k": "low"}'::jsonb)::text, '{:k :low :n 42}',
          'coerce: strings to int and keyword, string keys to keywords');
SELECT is(coerce('[:map [:n :int]]'::edn, '{:n 1}'::edn)::text, '{:n 1}', 'coerce of a conforming value: unchanged');
SELECT throws_ok($$SELECT coerce('[:map [:n :int]]'::edn, '{"n": "forty"}'::jsonb)$$, '22023', NULL,
                 'coerce of a value that cannot conform: 22023');

-- [:ref] and [:fn] --------------------------------------------------------------------------------------
SELECT ok(spec_define('tap/tree', '[:map [:value :int] [:children {:optional true} [:vector [:ref :tap/tree]]]]') = 1,
          'a recursive spec');
SELECT ok(valid('tap/tree', '{:value 1 :children [{:value 2} {:value 3 :children [{:value 4}]}]}'::edn), '[:ref] recursion: valid');
SELECT ok(NOT valid('tap/tree', '{:value 1 :children [{:value "x"}]}'::edn), '[:ref] recursion: a bad leaf is found');
CREATE FUNCTION pg_temp.tap_even(v persistence.edn) RETURNS boolean LANGUAGE sql
    AS $$ SELECT (v::text)::bigint % 2 = 0 $$;
SELECT ok(valid('[:and :int [:fn "pg_temp.tap_even"]]'::edn, '4'::edn), '[:fn]: the predicate says yes');
SELECT ok(NOT valid('[:and :int [:fn "pg_temp.tap_even"]]'::edn, '3'::edn), '[:fn]: the predicate says no');
SELECT throws_ok($$SELECT valid('[:fn "pg_temp.no_such_fn"]'::edn, '1'::edn)$$, '42883', NULL, '[:fn] of a missing function: 42883');
SELECT throws_ok($$SELECT valid('[:ref :tap/undefined]'::edn, '1'::edn)$$, '42704', NULL, '[:ref] to an undefined spec: 42704');

-- spec_generate: deterministic, and every value is valid, for every schema kind ---------------------
CREATE TEMP TABLE kinds (schema edn);
INSERT INTO kinds VALUES ('[:any]'), (':nil'), (':boolean'), ('[:int {:min -5 :max 5}]'), ('[:double {:min 0.0 :max 1.0}]'),
    (':number'), ('[:string {:min 1 :max 8}]'), (':keyword'), (':symbol'), (':uuid'), (':inst'),
    ('[:map [:a :int] [:b {:optional true} :string]]'), ('[:map {:closed true} [:a :int]]'), ('[:map-of :keyword :int]'),
    ('[:vector {:max 4} :int]'), ('[:sequential :string]'), ('[:set :keyword]'), ('[:tuple :int :string]'),
    ('[:enum :low :medium :high]'), ('[:= 42]'), ('[:or :int :string]'), ('[:and :int [:int {:min 3}]]'),
    ('[:not :int]'), ('[:maybe :int]'), ('[:re "[a-z]{2,5}-[0-9]+"]'),
    ('[:multi {:dispatch :kind} [:a [:map [:kind [:= :a]] [:x :int]]] [:b [:map [:kind [:= :b]] [:y :string]]]]'),
    ('[:map [:text [:string {:min 1}]] [:confidence [:double {:min 0.0 :max 1.0}]]]');
SELECT is((SELECT count(*) FROM kinds k, spec_generate(k.schema, 50, 7) g WHERE NOT valid(k.schema, g)), 0::bigint,
          'spec_generate: every value of every schema kind is valid');
SELECT is((SELECT count(*) FROM kinds k, spec_generate(k.schema, 50, 7) g), 50::bigint * (SELECT count(*) FROM kinds),
          'spec_generate: n values per schema');
SELECT ok((SELECT array_agg(g::text) FROM spec_generate('tap/tree', 20, 3) g)
          = (SELECT array_agg(g::text) FROM spec_generate('tap/tree', 20, 3) g), 'spec_generate is deterministic');
SELECT ok((SELECT array_agg(g::text) FROM spec_generate('tap/tree', 20, 3) g)
          <> (SELECT array_agg(g::text) FROM spec_generate('tap/tree', 20, 4) g), 'another seed, other values');
SELECT is((SELECT count(*) FROM spec_generate('tap/tree', 30, 1) g WHERE NOT valid('tap/tree', g)), 0::bigint,
          'spec_generate of a recursive spec: all valid');
SELECT throws_ok($$SELECT * FROM spec_generate('[:int]'::edn, -1, 0)$$, '22023', NULL, 'spec_generate with n < 0: 22023');
SELECT throws_ok($$SELECT * FROM spec_generate('[:fn "pg_temp.tap_even"]'::edn, 1, 0)$$, '0A000', NULL,
                 'spec_generate of a bare [:fn]: 0A000');

-- spec_check in a CHECK constraint --------------------------------------------------------------------
CREATE TEMP TABLE answers (a edn CHECK (spec_check('tap/answer@2', a)));
SELECT lives_ok($$INSERT INTO answers VALUES ('{:text "ok" :confidence 0.9}')$$, 'spec_check: a conforming row goes in');
SELECT throws_ok($$INSERT INTO answers VALUES ('{:text "" :confidence 0.9}')$$, '23514', NULL,
                 'spec_check: a non-conforming row is refused with 23514');
SELECT ok(spec_check('tap/answer', '{"text": "x", "confidence": 0}'::jsonb), 'spec_check over jsonb');
SELECT throws_ok($$SELECT spec_check('[:enum :open :closed]', '"open"'::jsonb)$$, '42704', NULL,
                 'spec_check takes a name: an inline schema given as text is an unknown spec');
CREATE DOMAIN pg_temp.answer AS jsonb CHECK (spec_check('tap/answer@2', VALUE));
SELECT lives_ok($$SELECT '{"text": "fine", "confidence": 0.3}'::jsonb::pg_temp.answer$$, 'spec_check in a domain: a conforming value');
SELECT throws_ok($$SELECT '{"text": "", "confidence": 0.3}'::jsonb::pg_temp.answer$$, '23514', NULL,
                 'spec_check in a domain: a non-conforming value is 23514');
SELECT is(spec_check('tap/answer', NULL::jsonb), NULL, 'spec_check(NULL) is NULL: CHECK passes, as SQL wants');

-- Binding: transact checks attributes bound to a spec ------------------------------------------------
SELECT ok(spec_define('tap/status', '[:enum :open :closed]') = 1, 'a spec for an attribute');
SELECT ok(define_attribute('tap/status', 'keyword', spec => 'tap/status') > 0, 'define_attribute(..., spec =>)');
SELECT ok(transact('[[:db/add "ticket-1" :tap/status :open]]') > 0, 'transact: a conforming value is written');
CREATE TEMP TABLE before AS SELECT count(*) AS n FROM datoms;
SELECT throws_ok($$SELECT transact('[[:db/add "ticket-2" :tap/other 1] [:db/add "ticket-2" :tap/status :pending]]')$$,
                 '23514', NULL, 'transact: a non-conforming value is refused with 23514');
SELECT is((SELECT count(*) FROM datoms), (SELECT n FROM before), 'nothing of that transaction was written');
SELECT ok(transact('[[:db/retract "ticket-1" :tap/status :open]]') > 0, 'retractions are not checked');
SELECT throws_ok($$SELECT define_attribute('tap/other2', 'keyword', spec => 'tap/undefined')$$, '42704', NULL,
                 'define_attribute with an unknown spec: 42704');

SELECT * FROM finish();
ROLLBACK;
