CREATE TABLE `sessoes` (
	`id` text PRIMARY KEY NOT NULL,
	`impressao_token` text NOT NULL,
	`criado_em` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`expira_em` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessoes_expira_em` ON `sessoes` (`expira_em`);