import { createClient, type Client } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A database as an older version left it: the app's migrations before `tag` (e.g. "0005") applied at `url`
 * (a libSQL file in a new folder by default). Answers the folder and an open client, for the test to add rows.
 */
export async function bancoAntesDe(tag: string, url?: string): Promise<{ pasta: string; url: string; cliente: Client }> {
  const pasta = mkdtempSync(path.join(tmpdir(), "provedores-migracao-"));
  const anteriores = path.join(pasta, "migracoes-anteriores");
  cpSync(path.join(process.cwd(), "db", "migrations"), anteriores, { recursive: true });
  const diario = path.join(anteriores, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(diario, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < tag);
  writeFileSync(diario, JSON.stringify(journal));
  const destino = url ?? `file:${path.join(pasta, "provedores-llm.db")}`;
  const cliente = createClient({ url: destino });
  await migrate(drizzle(cliente), { migrationsFolder: anteriores });
  return { pasta, url: destino, cliente };
}
