import { migrate } from "drizzle-orm/libsql/migrator";
import path from "node:path";
import { db, bancoEmArquivo, clienteLibsql, pragmasDaConexao } from "./client";

/** Applies the committed drizzle-kit migrations; safe to call on every start. */
export async function aplicarMigracoes(): Promise<void> {
  if (bancoEmArquivo()) {
    // WAL with synchronous=NORMAL: a commit does not wait for fsync (the WAL is synced at checkpoints), so a
    // statistics write costs microseconds; a crash of the app loses nothing, a power cut at most the last commits.
    await clienteLibsql().executeMultiple(`PRAGMA journal_mode = WAL; ${pragmasDaConexao()}`);
  }
  await migrate(db(), { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
}
