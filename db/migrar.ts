import "server-only";
import { migrate } from "drizzle-orm/libsql/migrator";
import path from "node:path";
import { db, bancoEmArquivo, clienteLibsql } from "./client";

/** Applies the committed drizzle-kit migrations; safe to call on every start. */
export async function aplicarMigracoes(): Promise<void> {
  if (bancoEmArquivo()) {
    // WAL lets the pages read while a request writes its statistics.
    await clienteLibsql().execute("PRAGMA journal_mode = WAL");
  }
  await migrate(db(), { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
}
