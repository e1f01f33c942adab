-- Specs (docs/spec.md): golden explain and explain_for_llm outputs for a realistic
-- agent-output schema, over EDN and over JSON, and the error messages of the SQL surface.
\set SHOW_CONTEXT never
SET search_path = persistence, public;

SELECT spec_define('regress/answer', $$
[:map
 [:answer [:string {:min 1 :max 200}]]
 [:confidence [:double {:min 0.0 :max 1.0}]]
 [:status [:enum :ok :partial :failed]]
 [:citations [:vector {:max 3} [:map [:url [:re "https?://[^ ]+"]] [:title [:string {:min 1}]]]]]
 [:meta {:optional true} [:map {:closed true} [:model :string] [:tokens [:int {:min 0}]]]]]
$$) AS version;

-- A conforming value: no problem.
SELECT explain('regress/answer', '{:answer "8.7%" :confidence 0.9 :status :ok :citations [{:url "https://a.example" :title "A"}]}');
SELECT explain_for_llm('regress/answer', '{:answer "8.7%" :confidence 0.9 :status :ok :citations []}') = '' AS conforms;

-- Several problems at once, in EDN.
SELECT explain('regress/answer', '{:answer "" :confidence 1.7 :status :maybe :citations [{:url "ftp://x" :title ""}] :meta {:model "m" :tokens -1 :temperature 0.2}}');
SELECT explain_for_llm('regress/answer', '{:answer "" :confidence 1.7 :status :maybe :citations [{:url "ftp://x" :title ""}] :meta {:model "m" :tokens -1 :temperature 0.2}}');

-- A missing key and a wrong type, in JSON (as an agent emits it).
SELECT explain_for_llm('regress/answer', '{"confidence": "high", "status": "ok", "citations": [{"url": "https://a.example"}]}'::jsonb);

-- coerce: strings where the schema wants numbers and keywords.
SELECT coerce('regress/answer', '{"answer": "x", "confidence": "0.5", "status": "partial", "citations": []}'::jsonb);
SELECT coerce('regress/answer', '{"answer": "x", "confidence": "very", "status": "partial", "citations": []}'::jsonb);

-- Errors.
SELECT spec_define('regress/bad', '[:map [:a [:int {:min "x"}]]]');
SELECT spec_define('regress/bad', '[:vector]');
SELECT spec_define('regress/bad', '[:re "(unclosed"]');
SELECT spec_get('regress/none');
SELECT spec_get('regress/answer@0');
SELECT valid('[:ref :regress/none]'::edn, '1');
SELECT spec_check('regress/answer', '{:answer "x"}');
