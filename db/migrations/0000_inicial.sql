CREATE TABLE `estatisticas_provedores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provedor_id` integer NOT NULL,
	`inicio` integer NOT NULL,
	`requisicoes` integer DEFAULT 0 NOT NULL,
	`requisicoes_sucesso` integer DEFAULT 0 NOT NULL,
	`requisicoes_erro` integer DEFAULT 0 NOT NULL,
	`tempo_total_ms` real DEFAULT 0 NOT NULL,
	`tokens_prompt` integer DEFAULT 0 NOT NULL,
	`tokens_resposta` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `estatisticas_provedores_bucket` ON `estatisticas_provedores` (`provedor_id`,`inicio`);--> statement-breakpoint
CREATE TABLE `modelos_provedores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provedor_id` integer NOT NULL,
	`modelo` text NOT NULL,
	`nome` text NOT NULL,
	`tamanho_bytes` integer,
	`familia` text,
	`parametros` text,
	`quantizacao` text,
	`contexto_max` integer,
	`carregado` integer,
	`detalhes` text,
	`atualizado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `modelos_provedores_provedor_modelo` ON `modelos_provedores` (`provedor_id`,`modelo`);--> statement-breakpoint
CREATE TABLE `provedores_llm` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`nome` text NOT NULL,
	`tipo` text NOT NULL,
	`base_url` text NOT NULL,
	`descricao` text,
	`api_key` text,
	`ativo` integer DEFAULT true NOT NULL,
	`timeout_segundos` integer DEFAULT 60 NOT NULL,
	`configuracao` text DEFAULT '{}' NOT NULL,
	`modelo_padrao` text,
	`status` text DEFAULT 'desconhecido' NOT NULL,
	`ultimo_teste_em` integer,
	`ultima_latencia_ms` integer,
	`criado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`atualizado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provedores_llm_nome_unico` ON `provedores_llm` (lower("nome"));--> statement-breakpoint
CREATE INDEX `provedores_llm_tipo_idx` ON `provedores_llm` (`tipo`);