-- Each answer's generation speed (tokens/s) in the per-request log; the latency histograms hold it as the metric
-- 'tokens_por_segundo' (a text value, no schema change). Requests recorded before this have no speed: null.
-- ADD COLUMN cannot run twice: an instance that read the journal before another applied this one fails here and
-- rolls back (db/migrar.ts reads the journal again).
ALTER TABLE `requisicoes_provedores` ADD `tokens_por_segundo` real;
