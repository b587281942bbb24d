-- The door a call came in by becomes a statistics dimension. Rows of the request log recorded before keep a
-- null door (they came by either door: no value would be true), shown as "anterior". The counters recorded
-- before move to the by-door table under '' at every width they have, so each period's doors add up to its
-- totals; they have no times by door (no histogram rows), so their p95 by door is unknown, not invented.
-- CREATE TABLE cannot run twice: an instance that read the journal before another applied this one fails
-- here and rolls back (db/migrar.ts reads the journal again).
CREATE TABLE `estatisticas_portas` (
	`provedor_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`porta` text NOT NULL,
	`requisicoes` integer DEFAULT 0 NOT NULL,
	`requisicoes_sucesso` integer DEFAULT 0 NOT NULL,
	`requisicoes_erro` integer DEFAULT 0 NOT NULL,
	`tempo_total_ms` real DEFAULT 0 NOT NULL,
	`tokens_prompt` integer DEFAULT 0 NOT NULL,
	`tokens_resposta` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`provedor_id`, `largura_ms`, `inicio`, `porta`),
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `histogramas_latencia_portas` (
	`provedor_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`porta` text NOT NULL,
	`balde` integer NOT NULL,
	`quantidade` integer NOT NULL,
	PRIMARY KEY(`provedor_id`, `largura_ms`, `inicio`, `porta`, `balde`),
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `requisicoes_provedores` ADD `porta` text;
--> statement-breakpoint
INSERT INTO `estatisticas_portas` (`provedor_id`, `largura_ms`, `inicio`, `porta`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`)
SELECT `provedor_id`, `largura_ms`, `inicio`, '', sum(`requisicoes`), sum(`requisicoes_sucesso`), sum(`requisicoes_erro`), sum(`tempo_total_ms`), sum(`tokens_prompt`), sum(`tokens_resposta`)
FROM `estatisticas_modelos` GROUP BY `provedor_id`, `largura_ms`, `inicio`;
