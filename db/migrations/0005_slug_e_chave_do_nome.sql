-- Each provider gets a stored slug (the prefix of its pinned /v1 ids) and the key its name is compared by
-- (lib/provedores/nome.ts), both NOT NULL without a default: a write that leaves them out fails. The table is
-- rebuilt, as drizzle-kit rebuilds SQLite tables (the migrator turns foreign keys off around the migration,
-- so the rows of modelos_provedores, estatisticas_*, eventos_status... that point here stay, and their
-- REFERENCES resolve to the new table by name). Rows found here get `char(1) || id` for both, which no name or
-- slug can be: the app computes the real values at start-up (lib/provedores/completar-migracao.ts), as SQL
-- cannot (NFKC, full case folding, the slugs the catalogue gave out before).
-- First, a statement that cannot run twice: an instance that read the journal before another one starting at
-- the same moment applied this migration fails here and rolls back (db/migrar.ts reads the journal again),
-- instead of rebuilding the table once more over the slugs already given. The column goes with the old table.
ALTER TABLE `provedores_llm` ADD `slug` text;--> statement-breakpoint
CREATE TABLE `__new_provedores_llm` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`nome` text NOT NULL,
	`nome_chave` text NOT NULL,
	`slug` text NOT NULL,
	`tipo` text NOT NULL,
	`base_url` text NOT NULL,
	`descricao` text,
	`api_key` text,
	`ativo` integer DEFAULT true NOT NULL,
	`timeout_segundos` integer DEFAULT 60 NOT NULL,
	`intervalo_verificacao_segundos` integer DEFAULT 30 NOT NULL,
	`falhas_seguidas` integer DEFAULT 0 NOT NULL,
	`configuracao` text DEFAULT '{}' NOT NULL,
	`modelo_padrao` text,
	`status` text DEFAULT 'desconhecido' NOT NULL,
	`ultimo_teste_em` integer,
	`ultima_latencia_ms` integer,
	`modelos_atualizados_em` integer,
	`criado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`atualizado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_provedores_llm`("id", "nome", "nome_chave", "slug", "tipo", "base_url", "descricao", "api_key", "ativo", "timeout_segundos", "intervalo_verificacao_segundos", "falhas_seguidas", "configuracao", "modelo_padrao", "status", "ultimo_teste_em", "ultima_latencia_ms", "modelos_atualizados_em", "criado_em", "atualizado_em") SELECT "id", "nome", char(1) || "id", char(1) || "id", "tipo", "base_url", "descricao", "api_key", "ativo", "timeout_segundos", "intervalo_verificacao_segundos", "falhas_seguidas", "configuracao", "modelo_padrao", "status", "ultimo_teste_em", "ultima_latencia_ms", "modelos_atualizados_em", "criado_em", "atualizado_em" FROM `provedores_llm`;--> statement-breakpoint
-- AUTOINCREMENT: ids of deleted providers are never given again (metrics and statistics rely on it), so the
-- counter moves over too, not just the highest id left.
DELETE FROM `sqlite_sequence` WHERE `name` = '__new_provedores_llm';--> statement-breakpoint
INSERT INTO `sqlite_sequence` (`name`, `seq`) SELECT '__new_provedores_llm', `seq` FROM `sqlite_sequence` WHERE `name` = 'provedores_llm';--> statement-breakpoint
DROP TABLE `provedores_llm`;--> statement-breakpoint
ALTER TABLE `__new_provedores_llm` RENAME TO `provedores_llm`;--> statement-breakpoint
CREATE UNIQUE INDEX `provedores_llm_nome_chave_unico` ON `provedores_llm` (`nome_chave`);--> statement-breakpoint
CREATE UNIQUE INDEX `provedores_llm_slug_unico` ON `provedores_llm` (`slug`);--> statement-breakpoint
CREATE INDEX `provedores_llm_tipo_idx` ON `provedores_llm` (`tipo`);
