CREATE TABLE `requisicoes_provedores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provedor_id` integer NOT NULL,
	`criado_em` integer NOT NULL,
	`modelo` text,
	`stream` integer DEFAULT false NOT NULL,
	`sucesso` integer NOT NULL,
	`codigo_erro` text,
	`tempo_resposta_ms` real NOT NULL,
	`tempo_primeiro_token_ms` real,
	`tokens_prompt` integer,
	`tokens_resposta` integer,
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `requisicoes_provedores_provedor_data` ON `requisicoes_provedores` (`provedor_id`,`criado_em`);--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `modelos_atualizados_em` integer;