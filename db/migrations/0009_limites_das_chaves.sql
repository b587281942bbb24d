-- Access keys' limits (lib/chaves/limites), shared by every instance on one database: what each key took of each
-- window (UTC minute, day, month) and the concurrency slots each instance claimed. No foreign key: a key is never
-- deleted (revoking keeps its row), and these rows are small and pruned by window.
-- CREATE TABLE cannot run twice: an instance that read the journal before another applied this one fails here and
-- rolls back (db/migrar.ts reads the journal again).
CREATE TABLE `em_voo_das_chaves` (
	`chave_id` integer NOT NULL,
	`instancia` text NOT NULL,
	`vagas` integer NOT NULL,
	`atualizado_em` integer NOT NULL,
	PRIMARY KEY(`chave_id`, `instancia`)
);
--> statement-breakpoint
CREATE TABLE `uso_das_chaves` (
	`chave_id` integer NOT NULL,
	`janela` text NOT NULL,
	`inicio` integer NOT NULL,
	`requisicoes` integer DEFAULT 0 NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`chave_id`, `janela`, `inicio`)
);
