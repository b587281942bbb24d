import type { TipoProvedor } from "./tipo-e-status";

// The contract of a provider's fair share, read by the server (lib/fila) and by the form (what is in force).

/**
 * How many requests a server runs at once when it does not say (llama-server says: `total_slots` in /props,
 * learned with the model list). Ollama runs `OLLAMA_NUM_PARALLEL` per loaded model, 1 by default in current
 * releases; LM Studio's "Max Concurrent Predictions" is 4 per loaded model by default; llama-server's own
 * default is 4 slots (`-np` auto); an OpenAI-compatible server is whatever is behind it: no limit.
 */
export const CONCORRENCIA_PADRAO: Readonly<Record<TipoProvedor, number | null>> = {
  llama_cpp: 4,
  ollama: 1,
  lm_studio: 4,
  openai_compativel: null,
};

/** What the provider's row says of its fair share (the columns of provedores_llm). */
export type LinhaDaFila = {
  tipo: TipoProvedor;
  max_concorrencia: number | null;
  concorrencia_informada: number | null;
  modelos_simultaneos_informados: number | null;
  fila_max: number;
  fila_espera_segundos: number;
};

/**
 * The limit in force: the one set on the provider (0: none), else what the server reported, else the type's
 * default. Null: no limit.
 */
export function limiteEfetivo(linha: Pick<LinhaDaFila, "tipo" | "max_concorrencia" | "concorrencia_informada">): number | null {
  if (linha.max_concorrencia !== null) return linha.max_concorrencia === 0 ? null : linha.max_concorrencia;
  return linha.concorrencia_informada ?? CONCORRENCIA_PADRAO[linha.tipo];
}

/**
 * Whether the limit counts per model: Ollama, LM Studio and llama-server's router mode run each loaded model
 * with its own parallel slots; a single-model llama-server (every name goes to its one model) and an
 * OpenAI-compatible server count as one.
 */
export function limitePorModelo(linha: Pick<LinhaDaFila, "tipo" | "modelos_simultaneos_informados">): boolean {
  if (linha.tipo === "ollama" || linha.tipo === "lm_studio") return true;
  return linha.tipo === "llama_cpp" && linha.modelos_simultaneos_informados !== null;
}
