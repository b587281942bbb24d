import "server-only";
import { migrate } from "drizzle-orm/libsql/migrator";
import path from "node:path";
import { db, bancoEmArquivo, clienteLibsql, pragmasDaConexao } from "./client";

/** Opens the database and applies the committed drizzle-kit migrations. */
export async function migrarEsquema(): Promise<void> {
  if (bancoEmArquivo()) {
    // WAL with synchronous=NORMAL: a commit does not wait for fsync (the WAL is synced at checkpoints), so a
    // statistics write costs microseconds; a crash of the app loses nothing, a power cut at most the last commits.
    await clienteLibsql().executeMultiple(`PRAGMA journal_mode = WAL; ${pragmasDaConexao()}`);
  }
  const aplicar = () => migrate(db(), { migrationsFolder: path.join(process.cwd(), "db", "migrations") });
  try {
    await aplicar();
  } catch (e) {
    // Several instances starting at once on one database (sqld): one that read the journal before another
    // applied a migration fails on it (0005 starts with a statement that cannot run twice) and rolls back.
    // Read again: what the other applied is skipped. A real failure fails again, and is the one reported.
    await aplicar().catch(() => {
      throw e;
    });
  }
}
