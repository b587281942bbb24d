import "server-only";
import { Worker } from "node:worker_threads";
import { bancoEmArquivo, clienteLibsql, urlBanco } from "./client";

/** How often the worker moves the WAL into the database file. */
const INTERVALO_MS = 1000;
/** With no statistics written for this long, the worker stops (and SQLite checkpoints by itself again). */
const OCIOSO_MS = 30_000;

// CommonJS run by the worker (eval: no file of its own for the bundler to place); `require` resolves from the
// project folder, where the server runs. The libSQL engine itself (what @libsql/client runs for a file), not
// the client, keeps the worker small.
const CODIGO_DO_WORKER = `
const { workerData } = require("node:worker_threads");
const Database = require("libsql");
const banco = new Database(workerData.arquivo);
setInterval(() => {
  try {
    banco.exec("PRAGMA wal_checkpoint(PASSIVE)");
  } catch {
    // The file is busy or gone: the next round tries again.
  }
}, workerData.intervaloMs);
`;

type Estado = { worker: Worker | null; vigia: NodeJS.Timeout | null; ultimaEscrita: number };
const global = globalThis as typeof globalThis & { __provedoresCheckpoints?: Estado };
global.__provedoresCheckpoints ??= { worker: null, vigia: null, ultimaEscrita: 0 };
const estado = global.__provedoresCheckpoints;

/**
 * WAL checkpoints off the event loop while the app writes statistics. By itself SQLite checkpoints inside
 * the commit that crosses 1000 WAL pages: that commit copies the pages into the database file and syncs it,
 * 10–40 ms measured on a 2-core machine, on the event loop — every request in flight waits behind it. Under
 * load the app's connection therefore never checkpoints; a worker thread with its own connection to the
 * same file does, every second (PASSIVE: it never waits for the app's writes, nor they for it). The worker
 * costs ~9 MiB, so it lives only while statistics are being written, and stops after 30 s without them.
 */
export function depoisDeGravarEstatisticas(): void {
  if (!bancoEmArquivo()) return;
  estado.ultimaEscrita = Date.now();
  if (!estado.worker) iniciar();
}

function iniciar(): void {
  const worker = new Worker(CODIGO_DO_WORKER, {
    eval: true,
    workerData: { arquivo: urlBanco().slice("file:".length), intervaloMs: INTERVALO_MS },
    resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
  });
  // Never what keeps the process alive; at exit SQLite checkpoints what is left when it closes the file.
  worker.unref();
  worker.on("error", (e) => {
    console.error("[provedores-llm] checkpoints do SQLite voltam para o processo principal:", e.message);
    parar();
  });
  estado.worker = worker;
  estado.vigia = setInterval(() => {
    if (Date.now() - estado.ultimaEscrita > OCIOSO_MS) parar();
  }, OCIOSO_MS / 3).unref();
  void clienteLibsql()
    .execute("PRAGMA wal_autocheckpoint = 0")
    .catch(() => {});
}

function parar(): void {
  if (estado.vigia) clearInterval(estado.vigia);
  const worker = estado.worker;
  estado.worker = null;
  estado.vigia = null;
  void worker?.terminate();
  void clienteLibsql()
    .execute("PRAGMA wal_autocheckpoint = 1000")
    .catch(() => {});
}
