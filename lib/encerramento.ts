import { erroAppEm } from "./errors";
import { doProcesso } from "./unico-por-processo";

// The process's shutdown, as every bundle sees it (lib/unico-por-processo.ts): what must end at once when it starts.
const encerramento = doProcesso("encerramento", () => ({
  iniciado: false,
  avisos: new Set<() => void>(),
  tarefas: [] as Promise<unknown>[],
}));

/**
 * Runs `aviso` when the shutdown starts (at once if it already has): for what never ends by itself, such as
 * a live page's event stream, which would hold the shutdown for its whole grace period. Returns how to cancel.
 */
export function aoEncerrar(aviso: () => void): () => void {
  if (encerramento.iniciado) {
    aviso();
    return () => {};
  }
  encerramento.avisos.add(aviso);
  return () => encerramento.avisos.delete(aviso);
}

/** SIGTERM/SIGINT arrived (servidor.ts): every waiting `aoEncerrar` runs, once. */
export function iniciarEncerramento(): void {
  if (encerramento.iniciado) return;
  encerramento.iniciado = true;
  for (const aviso of [...encerramento.avisos]) aviso();
  encerramento.avisos.clear();
}

/**
 * Work the shutdown must let finish before the process exits (a benchmark run storing that it was interrupted):
 * servidor.ts waits for it, bounded, with the statistics' last writes.
 */
export function adiarSaida(tarefa: Promise<unknown>): void {
  encerramento.tarefas.push(tarefa.catch(() => {}));
}

/** Resolves once every task handed to `adiarSaida` settled (those added meanwhile too). */
export async function tarefasDaSaida(): Promise<void> {
  for (let i = 0; i < encerramento.tarefas.length; i++) await encerramento.tarefas[i];
}

/**
 * The error is the shutdown ending an upstream call (lib/adapters/http.ts), not the server failing: like a
 * cancellation it is tried on no other provider and does not mark the server as failed.
 */
export function ehEncerramento(erro: unknown): boolean {
  return erroAppEm(erro)?.porEncerramento === true;
}
