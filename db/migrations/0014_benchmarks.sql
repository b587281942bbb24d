-- Benchmark runs (issue 20): kept until deleted, apart from the usage statistics. One running run per provider
-- across instances: the partial unique index (a second start fails on it, answered 409).
CREATE TABLE `benchmarks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`provedor_id` integer NOT NULL,
	`modelo` text NOT NULL,
	`estado` text NOT NULL,
	`perfil` text NOT NULL,
	`feitas` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`celulas` text DEFAULT '[]' NOT NULL,
	`servidor` text,
	`erro` text,
	`instancia` text NOT NULL,
	`cancelar` integer DEFAULT false NOT NULL,
	`eta_segundos` integer,
	`batimento_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`criado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`concluido_em` integer,
	FOREIGN KEY (`provedor_id`) REFERENCES `provedores_llm`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `benchmarks_um_executando_por_provedor` ON `benchmarks` (`provedor_id`) WHERE `estado` = 'executando';--> statement-breakpoint
CREATE INDEX `benchmarks_provedor_idx` ON `benchmarks` (`provedor_id`,`id`);