-- persistence.edn: reading, canonical printing, errors, operators, functions, casts,
-- indexes and joins (docs/edn.md).
\set SHOW_CONTEXT never
SET search_path = persistence, public;

-- Every literal kind, printed canonically ------------------------------------------
SELECT v::edn AS canonical FROM (VALUES
  ('nil'), ('true'), ('false'), ('42'), ('-7'), ('+5'), ('-0'),
  ('123456789012345678901234567890N'), ('12N'), ('-9223372036854775808'),
  ('1.5'), ('1.0'), ('-0.0'), ('1e20'), ('2.5E-3'), ('##Inf'), ('##-Inf'), ('##NaN'),
  ('1.50M'), ('0.0050M'), ('7M'), ('1.5E3M'), ('-0.0M'),
  ('"hi\tthere\n\"quoted\" \\ \u0041 \uD83D\uDE00"'), ('"ünïcödé"'),
  ('\a'), ('\newline'), ('\space'), ('\u0041'), ('\('), ('\é'),
  (':kw'), (':ns/kw'), ('sym'), ('ns/sym'), ('/'), ('a.b-c*d!e_f?g$h%i&j=k<l>m'),
  ('(1 2 3)'), ('[1 [2 [3]]]'), ('{:b 2, :a 1}'), ('#{3 1 2}'), ('{}'), ('[]'), ('()'), ('#{}'),
  ('#inst "2026-11-25T12:30:00+02:00"'), ('#inst "2026-11-25T10:30:00.5Z"'),
  ('#inst "1969-12-31T23:59:59.123456789Z"'),
  ('#uuid "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6"'),
  ('#my/tag [1 2]'), ('#a #b 1'),
  ('; comment
    [1 #_ 2 3 #_#_ 4 5] ; trailing comment')
) AS t(v);

-- Canonical order of maps and sets, mixed types
SELECT '{"b" 1, :a 2, 3 4, nil 5, [1] 6, #{} 7, \c 8, 1.5 9}'::edn AS mixed_map;
SELECT '#{:b :a "z" 10 2 1.0 nil true false}'::edn AS mixed_set;
-- text → edn → text is stable
SELECT v::edn::text = v::edn::text::edn::text AS stable
  FROM (VALUES ('{:z [1 2.5 "x"], :a #{:q :p}}'), ('#inst "2026-01-01T00:00:00-05:00"')) AS t(v);

-- Malformed text: 22P02 naming line:column and what was expected ------------------
SELECT '[1 2'::edn;
SELECT '{:a 1 :b}'::edn;
SELECT '[1 2]]'::edn;
SELECT ''::edn;
SELECT '   ; only a comment'::edn;
SELECT '{:a 1 :a 2}'::edn;
SELECT '#{1 1}'::edn;
SELECT '[1
  "unterminated'::edn;
SELECT '"bad \q escape"'::edn;
SELECT '01'::edn;
SELECT '1/2'::edn;
SELECT '::double'::edn;
SELECT '#inst 5'::edn;
SELECT '#inst "2026-13-01T00:00:00Z"'::edn;
SELECT '#inst "2026-11-25"'::edn;
SELECT '#uuid "nope"'::edn;
SELECT '#1 2'::edn;
SELECT '"\uD800"'::edn;
-- Numbers out of range: 22003
SELECT '9223372036854775808'::edn;
SELECT '1e400'::edn;
-- Limits: 54000 with a hint
SET persistence.edn_max_depth = 3;
SELECT '[[[1]]]'::edn AS at_the_limit;
SELECT '[[[[1]]]]'::edn;
RESET persistence.edn_max_depth;
SELECT repeat('[', 100000)::edn;
SET persistence.edn_max_size = '1kB';
SELECT ('"' || repeat('x', 2000) || '"')::edn;
RESET persistence.edn_max_size;

-- Operators --------------------------------------------------------------------
SELECT '{:a {:b [10 20 30]}}'::edn -> ':a' AS get_text_key,
       '{:a {:b [10 20 30]}}'::edn -> ':missing' AS missing_is_null,
       '{"k" 1}'::edn -> '"k"'::edn AS get_edn_key,
       '[10 20 30]'::edn -> 1 AS get_index,
       '[10 20 30]'::edn -> -1 AS get_last,
       '(10 20 30)'::edn -> 5 AS out_of_range,
       '{:a {:b [10 20 30]}}'::edn #> '[:a :b 2]' AS get_path,
       '{:a nil}'::edn -> ':a' AS nil_value_is_not_null;
SELECT '{:a 1 :b {:c [1 2 3]}}'::edn @> '{:b {:c [3]}}' AS map_contains,
       '{:a 1}'::edn @> '{:a 2}' AS wrong_value,
       '#{1 2 3}'::edn @> '#{1 3}' AS set_contains,
       '[1 2]'::edn <@ '[3 2 1]' AS contained,
       '1'::edn @> '1' AS scalar_equal;
SELECT '{:a 1}'::edn #> '5';

-- Functions ---------------------------------------------------------------------
SELECT v::edn AS value, edn_typeof(v::edn) AS type FROM (VALUES
  ('nil'), ('true'), ('1'), ('99999999999999999999N'), ('1.5'), ('1.5M'), ('\x'), ('"s"'),
  (':k'), ('s'), ('#inst "2026-01-01T00:00:00Z"'), ('#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"'),
  ('()'), ('[]'), ('{}'), ('#{}'), ('#t 1')) AS t(v);
SELECT edn_count('[1 2 3]') AS vector, edn_count('{:a 1}') AS map, edn_count('"héllo"') AS string,
       edn_count('nil') AS nil, edn_count('#{1}') AS set;
SELECT edn_count('42');
SELECT edn_keys('{:b 2 :a 1 "c" 3}');
SELECT edn_vals('{:b 2 :a 1 "c" 3}');
SELECT count(*) AS nil_has_no_keys FROM edn_keys('nil');
SELECT edn_keys('[1 2]');
SELECT edn_get_in('{:a [{:b 1}]}', '[:a 0 :b]') AS found, edn_get_in('{:a 1}', '[:x :y]') AS missing;
SELECT edn_get_in('{:a 1}', ':a');
SELECT edn_assoc('{:a 1}', ':b', '2') AS map_assoc, edn_assoc('[1 2]', '2', '3') AS vector_append,
       edn_assoc('nil', ':a', '1') AS nil_assoc, edn_assoc('{:a 1}', ':a', '9') AS replace;
SELECT edn_assoc('[1 2]', '5', '3');
SELECT edn_assoc('"s"', ':a', '1');
SELECT edn_dissoc('{:a 1 :b 2}', ':a') AS dissoc, edn_dissoc('{:a 1}', ':zz') AS no_op;
SELECT edn_dissoc('[1]', '0');
SELECT edn_conj('[1 2]', '3') AS vector, edn_conj('(1 2)', '0') AS list, edn_conj('#{1}', '2') AS set,
       edn_conj('{:a 1}', '[:b 2]') AS map, edn_conj('nil', '1') AS nil;
SELECT edn_conj('{:a 1}', '5');
SELECT edn_merge('{:a 1 :b 1}', '{:b 2 :c 3}') AS merged, edn_merge('nil', '{:a 1}') AS from_nil;
SELECT edn_merge('[1]', '{:a 1}');
SELECT encode(edn_hash('{:a 1 :b [true 2.5]}'), 'hex') AS hash_vector,
       edn_hash('{:a 1, :b 2}') = edn_hash('{:b 2 :a 1}') AS equal_values_equal_hashes;

-- Casts --------------------------------------------------------------------------
SELECT 42::bigint::edn AS int8, 7::int::edn AS int4, 2.5::float8::edn AS float8,
       (-0.0)::float8::edn AS negative_zero, 'NaN'::float8::edn AS nan,
       1.50::numeric::edn AS numeric_scale, 123456789012345678901234567890::numeric::edn AS big,
       'Infinity'::numeric::edn AS numeric_inf, true::edn AS bool,
       '2026-11-25 12:00:00+02'::timestamptz::edn AS ts,
       'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'::uuid::edn AS uuid;
SELECT 'infinity'::timestamptz::edn;
SELECT j::jsonb::edn AS edn, j::jsonb::edn::jsonb AS back, j::jsonb::edn::jsonb = j::jsonb AS identity
  FROM (VALUES ('null'), ('true'), ('1'), ('1.50'), ('-0.001'), ('123456789012345678901234567890'),
               ('"s\u00e9"'), ('[1, "two", [3]]'), ('{"b": {"c": [1, 2]}, "a": null}'), ('[]'), ('{}'))
       AS t(j);
SELECT '{:kw 1 "s" 2 sym 3 4 5 [1] 6}'::edn::jsonb AS keys_to_json,
       '[#{1 2} (3) \c #inst "2026-11-25T10:00:00Z" #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6" #t 1 1.5 2.5M 3N]'::edn::jsonb
       AS values_to_json;
SELECT '{:a 1 "a" 2}'::edn::jsonb;
SELECT '##NaN'::edn::jsonb;
SELECT '"nul\u0000"'::edn::jsonb;
SELECT '{:a 1}'::edn::text AS to_text, '[1 2]'::text::edn AS from_text;

-- Binary send (receive, which validates every byte, is tested through binary COPY in
-- test/pgtap/edn.sql) ------------------------------------------------------------------
SELECT encode(edn_send('{:a [1 "x"]}'), 'hex') AS binary_form;

-- Order, indexes, DISTINCT, GROUP BY, joins ------------------------------------
CREATE TEMP TABLE vals (id serial, v edn);
INSERT INTO vals (v) VALUES ('[1 2]'), ('nil'), ('"b"'), ('1.5'), (':k'), ('{:a 1}'), ('#{1}'), ('2'),
  ('-1'), ('"a"'), ('true'), ('false'), ('1.5'), ('(1)'), ('\c'), ('sym'), ('1.5M'),
  ('#inst "2026-01-01T00:00:00Z"'), ('#uuid "00000000-0000-0000-0000-000000000001"'), ('#t 0'),
  ('100000000000000000000N'), ('-100000000000000000000N'), ('##NaN'), ('##-Inf');
SELECT v FROM vals ORDER BY v, id;
SELECT DISTINCT v FROM vals ORDER BY v;
SELECT v, count(*) FROM vals GROUP BY v HAVING count(*) > 1;
CREATE INDEX vals_btree ON vals (v);
CREATE INDEX vals_hash ON vals USING hash (v);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM vals WHERE v = '"a"';
SELECT v FROM vals WHERE v = '"a"';
SELECT v FROM vals WHERE v > '"a"' AND v < ':zzz' ORDER BY v;
RESET enable_seqscan;
CREATE TEMP TABLE other (w edn);
INSERT INTO other VALUES ('1.5'), ('{:a 1}'), ('nil'), ('"zzz"');
SET enable_hashjoin = off; SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM vals JOIN other ON v = w;
SELECT count(*) AS merge_join_rows FROM vals JOIN other ON v = w;
RESET enable_hashjoin; SET enable_mergejoin = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM vals JOIN other ON v = w;
SELECT count(*) AS hash_join_rows FROM vals JOIN other ON v = w;
RESET enable_mergejoin; RESET enable_nestloop;
-- NULL in, NULL out (strict functions)
SELECT edn_typeof(NULL) IS NULL AS null_in_null_out, NULL::edn -> ':a' IS NULL AS null_get;
