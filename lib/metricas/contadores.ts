import "server-only";
import type { NomePorta, RegistroRequisicao } from "../schemas/llm";
import { doProcesso } from "../unico-por-processo";

/** Upper bounds (seconds) of the Prometheus latency histograms: a local LLM answers in ms to minutes. */
export const LIMITES_SEGUNDOS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] as const;

export type HistogramaPrometheus = { baldes: number[]; soma: number; n: number };
export type SeriePorModelo = {
  provedor_id: number;
  modelo: string;
  /** The door: one of five values, so it multiplies the series by five at most (MAXIMO_SERIES bounds them all). */
  porta: NomePorta;
  /**
   * The access key (its id; null: the admin). Keys are few, made by the admin: they multiply the series by their
   * number, still within MAXIMO_SERIES. Its name is read at each scrape (a renamed key keeps its series).
   */
  chave_id: number | null;
  /** Requests by outcome: "sucesso" or the error's codigo. */
  porCodigo: Map<string, number>;
  duracao: HistogramaPrometheus;
  primeiroToken: HistogramaPrometheus;
  /** Time in the provider's queue, of the requests that passed it (0 included). */
  fila: HistogramaPrometheus;
  tokensPrompt: number;
  tokensResposta: number;
};

/**
 * What /api/metrics exposes as counters: kept in memory since the process started, as Prometheus counters
 * are (a restart resets them and Prometheus' rate() handles that). Updated by the pipeline's record stage (lib/gateway/gravar.ts).
 */
export const series = doProcesso("metricasPrometheus", () => new Map<string, SeriePorModelo>());

const novoHistograma = (): HistogramaPrometheus => ({ baldes: LIMITES_SEGUNDOS.map(() => 0), soma: 0, n: 0 });

function observar(h: HistogramaPrometheus, segundos: number): void {
  // Buckets here are not cumulative; the exposition adds them up.
  const i = LIMITES_SEGUNDOS.findIndex((limite) => segundos <= limite);
  if (i >= 0) h.baldes[i]! += 1;
  h.soma += segundos;
  h.n += 1;
}

/** Model names come from callers: past this many series, new ones are counted together, keeping scrapes small. */
const MAXIMO_SERIES = 1000;
export const MODELO_OUTROS = "(outros)";

/** Deleted providers, newest last: a request of theirs that ends after the deletion is not counted. */
const excluidos = doProcesso("metricasProvedoresExcluidos", () => new Set<number>());
/** Ids never return (AUTOINCREMENT), so forgetting the oldest only risks a late request of a long-gone one. */
const MAXIMO_EXCLUIDOS = 10_000;

/**
 * A deleted provider's series go with it, and none comes back: its model names no longer count towards
 * MAXIMO_SERIES, so they cannot push the next provider's traffic into "(outros)".
 */
export function esquecerSeriesDoProvedor(provedorId: number): void {
  excluidos.delete(provedorId);
  excluidos.add(provedorId);
  if (excluidos.size > MAXIMO_EXCLUIDOS) excluidos.delete(excluidos.values().next().value!);
  for (const [chave, s] of series) if (s.provedor_id === provedorId) series.delete(chave);
}

export function contarParaMetricas(r: RegistroRequisicao): void {
  if (excluidos.has(r.provedor_id)) return;
  let modelo = r.modelo ?? "";
  const chaveId = r.chave_id ?? null;
  let chave = `${r.provedor_id}\u0000${r.porta}\u0000${chaveId ?? ""}\u0000${modelo}`;
  if (!series.has(chave) && series.size >= MAXIMO_SERIES) {
    modelo = MODELO_OUTROS;
    chave = `${r.provedor_id}\u0000${r.porta}\u0000${chaveId ?? ""}\u0000${modelo}`;
  }
  let s = series.get(chave);
  if (!s) {
    s = {
      provedor_id: r.provedor_id,
      modelo,
      porta: r.porta,
      chave_id: chaveId,
      porCodigo: new Map(),
      duracao: novoHistograma(),
      primeiroToken: novoHistograma(),
      fila: novoHistograma(),
      tokensPrompt: 0,
      tokensResposta: 0,
    };
    series.set(chave, s);
  }
  const codigo = r.sucesso ? "sucesso" : (r.codigo_erro ?? "erro");
  s.porCodigo.set(codigo, (s.porCodigo.get(codigo) ?? 0) + 1);
  observar(s.duracao, r.tempo_resposta_ms / 1000);
  if (r.tempo_primeiro_token_ms !== null) observar(s.primeiroToken, r.tempo_primeiro_token_ms / 1000);
  if (r.tempo_fila_ms !== null && r.tempo_fila_ms !== undefined) observar(s.fila, r.tempo_fila_ms / 1000);
  s.tokensPrompt += r.tokens_prompt ?? 0;
  s.tokensResposta += r.tokens_resposta ?? 0;
}
