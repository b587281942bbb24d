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
