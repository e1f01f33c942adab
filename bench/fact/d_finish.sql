-- bench/fact (d): after build_history. Prints one line for bench/fact.sh:
-- "hist DATOMS TRANSACTIONS ASSERTIONS".
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
VACUUM ANALYZE persistence.datoms;
VACUUM ANALYZE persistence.transactions;
VACUUM ANALYZE persistence.value_store;
SELECT format('hist %s %s %s', count(*), (SELECT count(*) FROM persistence.transactions),
              count(*) FILTER (WHERE is_assert AND valid_to IS NULL)) AS hist
FROM persistence.datoms \gset
\echo :hist
