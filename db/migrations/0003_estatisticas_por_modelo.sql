CREATE TABLE `estatisticas_modelos` (
	`provedor_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`modelo` text NOT NULL,
	`requisicoes` integer DEFAULT 0 NOT NULL,
	`requisicoes_sucesso` integer DEFAULT 0 NOT NULL,
	`requisicoes_erro` integer DEFAULT 0 NOT NULL,
	`tempo_total_ms` real DEFAULT 0 NOT NULL,
	`tokens_prompt` integer DEFAULT 0 NOT NULL,
	`tokens_resposta` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`provedor_id`, `largura_ms`, `inicio`, `modelo`),
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `histogramas_latencia` (
	`provedor_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`modelo` text NOT NULL,
	`metrica` text NOT NULL,
	`balde` integer NOT NULL,
	`quantidade` integer NOT NULL,
	PRIMARY KEY(`provedor_id`, `largura_ms`, `inicio`, `modelo`, `metrica`, `balde`),
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Counters recorded before this version have no model: they move to the by-model table under '' (minute rows
-- for the 32 days those are kept, hours and days for all), so every period keeps its totals.
INSERT INTO `estatisticas_modelos` (`provedor_id`, `largura_ms`, `inicio`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`)
SELECT `provedor_id`, 60000, `inicio`, '', `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`
FROM `estatisticas_provedores` WHERE `inicio` >= (unixepoch() - 32 * 86400) * 1000;
--> statement-breakpoint
INSERT INTO `estatisticas_modelos` (`provedor_id`, `largura_ms`, `inicio`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`)
SELECT `provedor_id`, 3600000, `inicio` - `inicio` % 3600000, '', sum(`requisicoes`), sum(`requisicoes_sucesso`), sum(`requisicoes_erro`), sum(`tempo_total_ms`), sum(`tokens_prompt`), sum(`tokens_resposta`)
FROM `estatisticas_provedores` GROUP BY `provedor_id`, `inicio` - `inicio` % 3600000;
--> statement-breakpoint
INSERT INTO `estatisticas_modelos` (`provedor_id`, `largura_ms`, `inicio`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`)
SELECT `provedor_id`, 86400000, `inicio` - `inicio` % 86400000, '', sum(`requisicoes`), sum(`requisicoes_sucesso`), sum(`requisicoes_erro`), sum(`tempo_total_ms`), sum(`tokens_prompt`), sum(`tokens_resposta`)
FROM `estatisticas_provedores` GROUP BY `provedor_id`, `inicio` - `inicio` % 86400000;
