-- The access key a call was made with becomes a statistics dimension. Rows of the request log recorded before
-- keep a null key: the admin's, which they all were (no key could open a door before). The by-key tables store
-- the admin as key 0; the counters and histograms recorded before move there under 0 at every width they have,
-- so a provider's use by key adds up to its totals and the admin's history is whole.
-- CREATE TABLE cannot run twice: an instance that read the journal before another applied this one fails here and
-- rolls back (db/migrar.ts reads the journal again).
CREATE TABLE `estatisticas_chaves` (
	`chave_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`provedor_id` integer NOT NULL,
	`modelo` text NOT NULL,
	`requisicoes` integer DEFAULT 0 NOT NULL,
	`requisicoes_sucesso` integer DEFAULT 0 NOT NULL,
	`requisicoes_erro` integer DEFAULT 0 NOT NULL,
	`tempo_total_ms` real DEFAULT 0 NOT NULL,
	`tokens_prompt` integer DEFAULT 0 NOT NULL,
	`tokens_resposta` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`)
);
--> statement-breakpoint
CREATE INDEX `estatisticas_chaves_provedor` ON `estatisticas_chaves` (`provedor_id`,`largura_ms`,`inicio`);--> statement-breakpoint
CREATE TABLE `histogramas_latencia_chaves` (
	`chave_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`provedor_id` integer NOT NULL,
	`modelo` text NOT NULL,
	`metrica` text NOT NULL,
	`balde` integer NOT NULL,
	`quantidade` integer NOT NULL,
	PRIMARY KEY(`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`)
);
--> statement-breakpoint
CREATE INDEX `histogramas_latencia_chaves_provedor` ON `histogramas_latencia_chaves` (`provedor_id`,`largura_ms`,`inicio`);--> statement-breakpoint
ALTER TABLE `requisicoes_provedores` ADD `chave_id` integer;--> statement-breakpoint
CREATE INDEX `requisicoes_provedores_chave_data` ON `requisicoes_provedores` (`chave_id`,`criado_em`);
--> statement-breakpoint
INSERT INTO `estatisticas_chaves` (`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`)
SELECT 0, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`
FROM `estatisticas_modelos`;
--> statement-breakpoint
INSERT INTO `histogramas_latencia_chaves` (`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`, `quantidade`)
SELECT 0, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`, `quantidade`
FROM `histogramas_latencia`;
