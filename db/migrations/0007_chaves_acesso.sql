-- Access keys (lib/chaves): the secret itself is never stored, only its SHA-256 and a visible prefix. A name is
-- unique among the keys not revoked (the partial index), so a revoked key's name can be given to its replacement.
-- CREATE TABLE cannot run twice: an instance that read the journal before another applied this one fails here and
-- rolls back (db/migrar.ts reads the journal again).
CREATE TABLE `chaves_acesso` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`nome` text NOT NULL,
	`descricao` text,
	`hash` text NOT NULL,
	`prefixo` text NOT NULL,
	`provedores` text,
	`modelos` text,
	`portas` text,
	`limite_rpm` integer,
	`limite_tpm` integer,
	`limite_concorrencia` integer,
	`orcamento_tokens_dia` integer,
	`orcamento_tokens_mes` integer,
	`criada_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`expira_em` integer,
	`revogada_em` integer,
	`ultimo_uso_em` integer,
	`ativa` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chaves_acesso_hash_unico` ON `chaves_acesso` (`hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `chaves_acesso_nome_unico_em_uso` ON `chaves_acesso` (`nome`) WHERE "chaves_acesso"."revogada_em" is null;