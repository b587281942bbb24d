-- The counter and histogram tables rebuilt WITHOUT ROWID, with the same columns, primary key, foreign keys and
-- indexes. With a rowid, a row is found through the primary key's index and then read again from the table by its
-- rowid: every statistics read paid two b-tree searches a row (on 30 days of 20 servers most of its time). Without
-- a rowid the table is the primary key's b-tree: one search, the row's values beside its key, and no second index
-- to keep up on every upsert. db/schema.ts cannot say WITHOUT ROWID (drizzle has no such option), so its
-- definitions are unchanged and so is the snapshot: this migration is written by hand.
-- Each table: create the new one, copy the rows in key order, drop the old, rename, recreate its indexes. Nothing
-- references these tables, so dropping and renaming with foreign keys on touches no other table (and
-- PRAGMA foreign_keys cannot change inside the migration's transaction anyway).
-- CREATE TABLE cannot run twice: an instance that read the journal before another applied this one fails here and
-- rolls back (db/migrar.ts reads the journal again).
CREATE TABLE `__new_estatisticas_modelos` (
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_estatisticas_modelos` (`provedor_id`, `largura_ms`, `inicio`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`) SELECT `provedor_id`, `largura_ms`, `inicio`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta` FROM `estatisticas_modelos` ORDER BY `provedor_id`, `largura_ms`, `inicio`, `modelo`;
--> statement-breakpoint
DROP TABLE `estatisticas_modelos`;
--> statement-breakpoint
ALTER TABLE `__new_estatisticas_modelos` RENAME TO `estatisticas_modelos`;
--> statement-breakpoint
CREATE TABLE `__new_histogramas_latencia` (
	`provedor_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`modelo` text NOT NULL,
	`metrica` text NOT NULL,
	`balde` integer NOT NULL,
	`quantidade` integer NOT NULL,
	PRIMARY KEY(`provedor_id`, `largura_ms`, `inicio`, `modelo`, `metrica`, `balde`),
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_histogramas_latencia` (`provedor_id`, `largura_ms`, `inicio`, `modelo`, `metrica`, `balde`, `quantidade`) SELECT `provedor_id`, `largura_ms`, `inicio`, `modelo`, `metrica`, `balde`, `quantidade` FROM `histogramas_latencia` ORDER BY `provedor_id`, `largura_ms`, `inicio`, `modelo`, `metrica`, `balde`;
--> statement-breakpoint
DROP TABLE `histogramas_latencia`;
--> statement-breakpoint
ALTER TABLE `__new_histogramas_latencia` RENAME TO `histogramas_latencia`;
--> statement-breakpoint
CREATE TABLE `__new_estatisticas_portas` (
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_estatisticas_portas` (`provedor_id`, `largura_ms`, `inicio`, `porta`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`) SELECT `provedor_id`, `largura_ms`, `inicio`, `porta`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta` FROM `estatisticas_portas` ORDER BY `provedor_id`, `largura_ms`, `inicio`, `porta`;
--> statement-breakpoint
DROP TABLE `estatisticas_portas`;
--> statement-breakpoint
ALTER TABLE `__new_estatisticas_portas` RENAME TO `estatisticas_portas`;
--> statement-breakpoint
CREATE TABLE `__new_histogramas_latencia_portas` (
	`provedor_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`porta` text NOT NULL,
	`balde` integer NOT NULL,
	`quantidade` integer NOT NULL,
	PRIMARY KEY(`provedor_id`, `largura_ms`, `inicio`, `porta`, `balde`),
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_histogramas_latencia_portas` (`provedor_id`, `largura_ms`, `inicio`, `porta`, `balde`, `quantidade`) SELECT `provedor_id`, `largura_ms`, `inicio`, `porta`, `balde`, `quantidade` FROM `histogramas_latencia_portas` ORDER BY `provedor_id`, `largura_ms`, `inicio`, `porta`, `balde`;
--> statement-breakpoint
DROP TABLE `histogramas_latencia_portas`;
--> statement-breakpoint
ALTER TABLE `__new_histogramas_latencia_portas` RENAME TO `histogramas_latencia_portas`;
--> statement-breakpoint
CREATE TABLE `__new_estatisticas_chaves` (
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
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_estatisticas_chaves` (`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta`) SELECT `chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `requisicoes`, `requisicoes_sucesso`, `requisicoes_erro`, `tempo_total_ms`, `tokens_prompt`, `tokens_resposta` FROM `estatisticas_chaves` ORDER BY `chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`;
--> statement-breakpoint
DROP TABLE `estatisticas_chaves`;
--> statement-breakpoint
ALTER TABLE `__new_estatisticas_chaves` RENAME TO `estatisticas_chaves`;
--> statement-breakpoint
CREATE INDEX `estatisticas_chaves_provedor` ON `estatisticas_chaves` (`provedor_id`,`largura_ms`,`inicio`);
--> statement-breakpoint
CREATE TABLE `__new_histogramas_latencia_chaves` (
	`chave_id` integer NOT NULL,
	`largura_ms` integer NOT NULL,
	`inicio` integer NOT NULL,
	`provedor_id` integer NOT NULL,
	`modelo` text NOT NULL,
	`metrica` text NOT NULL,
	`balde` integer NOT NULL,
	`quantidade` integer NOT NULL,
	PRIMARY KEY(`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_histogramas_latencia_chaves` (`chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`, `quantidade`) SELECT `chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`, `quantidade` FROM `histogramas_latencia_chaves` ORDER BY `chave_id`, `largura_ms`, `inicio`, `provedor_id`, `modelo`, `metrica`, `balde`;
--> statement-breakpoint
DROP TABLE `histogramas_latencia_chaves`;
--> statement-breakpoint
ALTER TABLE `__new_histogramas_latencia_chaves` RENAME TO `histogramas_latencia_chaves`;
--> statement-breakpoint
CREATE INDEX `histogramas_latencia_chaves_provedor` ON `histogramas_latencia_chaves` (`provedor_id`,`largura_ms`,`inicio`);
