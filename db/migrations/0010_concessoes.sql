-- Leases among the instances sharing one database (lib/monitor/concessao.ts): the monitor runs on the one instance
-- whose lease has not expired (`expira_em`, milliseconds by the database's own clock). CREATE TABLE cannot run twice:
-- an instance that read the journal before another applied this one fails here and rolls back (db/migrar.ts reads
-- the journal again).
CREATE TABLE `concessoes` (
	`nome` text PRIMARY KEY NOT NULL,
	`titular` text NOT NULL,
	`expira_em` integer NOT NULL,
	`desde` integer NOT NULL
);
