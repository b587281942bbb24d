-- The fair share of each provider (lib/fila): its concurrency limit (null: what the server reports, learned with
-- the model list), its queue's length and wait; each request's time in the queue; a key's priority in the queue.
-- ADD COLUMN cannot run twice: an instance that read the journal before another applied this one fails here and
-- rolls back (db/migrar.ts reads the journal again).
ALTER TABLE `chaves_acesso` ADD `prioridade` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `max_concorrencia` integer;--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `fila_max` integer DEFAULT 64 NOT NULL;--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `fila_espera_segundos` integer DEFAULT 60 NOT NULL;--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `concorrencia_informada` integer;--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `modelos_simultaneos_informados` integer;--> statement-breakpoint
ALTER TABLE `requisicoes_provedores` ADD `tempo_fila_ms` real;