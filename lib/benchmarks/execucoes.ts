import "server-only";
import type { Benchmark } from "../schemas/benchmark";
import { doProcesso } from "../unico-por-processo";

/**
 * A run this process is executing: its abort (cancel, shutdown), its JSON as it stands (fresher than the row,
 * which the heartbeat renews), who listens (the SSE), and its end.
 */
export type Execucao = {
  id: number;
  provedorId: number;
  controle: AbortController;
  dados: Benchmark;
  ouvintes: Set<(b: Benchmark) => void>;
  /** Why it was stopped before its end (null: it was not). */
  parada: "cancelado" | "interrompido" | null;
  /** Resolves with the run as stored once it ended, however it ended. */
  terminada: Promise<Benchmark>;
};

// Runs outlive the request that started them and the page that follows them: they live in the process.
const execucoes = doProcesso("benchmarksEmExecucao", () => new Map<number, Execucao>());

export const execucaoDe = (bid: number): Execucao | undefined => execucoes.get(bid);

export function registrarExecucao(ex: Execucao): void {
  execucoes.set(ex.id, ex);
}

export function esquecerExecucao(bid: number): void {
  execucoes.delete(bid);
}

/** Tells every listener the run as it stands now. */
export function publicar(ex: Execucao, dados: Benchmark): void {
  ex.dados = dados;
  for (const ouvir of [...ex.ouvintes]) ouvir(dados);
}

/** The runs this process is executing now. */
export const idsEmExecucao = (): number[] => [...execucoes.keys()];
