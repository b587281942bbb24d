CREATE TABLE `eventos_status` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provedor_id` integer NOT NULL,
	`criado_em` integer NOT NULL,
	`de` text NOT NULL,
	`para` text NOT NULL,
	`motivo` text,
	`latencia_ms` integer,
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `eventos_status_provedor_criado` ON `eventos_status` (`provedor_id`,`criado_em`);--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `intervalo_verificacao_segundos` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `provedores_llm` ADD `falhas_seguidas` integer DEFAULT 0 NOT NULL;