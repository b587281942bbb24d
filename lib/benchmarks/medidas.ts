import type { CelulaBenchmark, FonteDasMedidas } from "../schemas/benchmark";

/** What one measured request gave: its times (ms, performance.now()) and the server's own figures when it sent them. */
export type MedidaDaRequisicao =
  | {
      ok: true;
      ttftMs: number;
      /** Prompt and answer tokens the server counted (null: it did not say). */
      tokensPrompt: number | null;
      tokensResposta: number | null;
      /** Answer tokens as counted here when the server does not say: the base of the aggregate. */
      tokensGerados: number;
      prefillTokensS: number | null;
      geracaoTokensS: number | null;
      fonte: FonteDasMedidas;
    }
  | { ok: false; erro: string };

/** One round: `concorrencia` requests sent together, and how long until the last one ended. */
export type Rodada = { medidas: MedidaDaRequisicao[]; duracaoMs: number };

/** The value at the nearest rank `p` (0–1) of a sorted list; null when empty. */
export function percentil(ordenados: readonly number[], p: number): number | null {
  if (!ordenados.length) return null;
  const posicao = Math.max(1, Math.ceil(p * ordenados.length));
  return ordenados[posicao - 1]!;
}

const ordenar = (v: readonly (number | null)[]): number[] =>
  v.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);

const mediana = (v: readonly (number | null)[]) => percentil(ordenar(v), 0.5);

const arredondar = (v: number | null, casas = 1): number | null => {
  if (v === null) return null;
  const f = 10 ** casas;
  return Math.round(v * f) / f;
};

/**
 * The figures of one request from what its stream showed: the server's timings where it sent them (prefill =
 * prompt tokens ÷ its prompt time; generation = answer tokens ÷ its generation time), else the app's clock:
 * prefill = prompt tokens ÷ (time to first token − its wait in the app's queue), generation = (answer tokens − 1) ÷
 * (last token − first token). The time to first token keeps the wait: it is what a caller waits.
 */
export function medirRequisicao(
  o: {
    t0: number;
    primeiroTexto: number;
    ultimoTexto: number;
    /** Text events seen: the answer's tokens when the server does not count them (one token per event). */
    eventosDeTexto: number;
    tokensPromptPedidos: number;
    /** How long it waited in the app's queue for the provider (lib/fila) before it was sent. */
    esperaNaFilaMs: number;
  },
  servidor: {
    tokensPrompt: number | null;
    tokensResposta: number | null;
    /** The server's own prompt and generation times (ms), when it reports them. */
    promptMs: number | null;
    geracaoMs: number | null;
  },
): MedidaDaRequisicao {
  const ttftMs = o.primeiroTexto - o.t0;
  const tokensResposta = servidor.tokensResposta ?? o.eventosDeTexto;
  const tokensPrompt = servidor.tokensPrompt ?? o.tokensPromptPedidos;
  const comTimings = servidor.promptMs !== null && servidor.geracaoMs !== null && servidor.promptMs > 0 && servidor.geracaoMs > 0;
  if (comTimings) {
    return {
      ok: true,
      ttftMs,
      tokensPrompt: servidor.tokensPrompt,
      tokensResposta: servidor.tokensResposta,
      tokensGerados: tokensResposta,
      prefillTokensS: (tokensPrompt * 1000) / servidor.promptMs!,
      geracaoTokensS: (tokensResposta * 1000) / servidor.geracaoMs!,
      fonte: "servidor",
    };
  }
  const geracaoMs = o.ultimoTexto - o.primeiroTexto;
  return {
    ok: true,
    ttftMs,
    tokensPrompt: servidor.tokensPrompt,
    tokensResposta: servidor.tokensResposta,
    tokensGerados: tokensResposta,
    prefillTokensS: ttftMs - o.esperaNaFilaMs > 0 ? (tokensPrompt * 1000) / (ttftMs - o.esperaNaFilaMs) : null,
    geracaoTokensS: tokensResposta > 1 && geracaoMs > 0 ? ((tokensResposta - 1) * 1000) / geracaoMs : null,
    fonte: "cliente",
  };
}

/**
 * One cell from its rounds: percentiles of the time to first token by nearest rank, medians of the per-request
 * speeds, aggregate generation = Σ answer tokens of a round ÷ its wall time (median over rounds), requests/s =
 * successful requests ÷ the rounds' wall time. `fonte` is "servidor" only when every successful request had
 * the server's timings.
 */
export function resumirCelula(tokensPrompt: number, concorrencia: number, rodadas: readonly Rodada[]): CelulaBenchmark {
  const todas = rodadas.flatMap((r) => r.medidas);
  const boas = todas.flatMap((m) => (m.ok ? [m] : []));
  const ttfts = ordenar(boas.map((m) => m.ttftMs));
  const agregadas = rodadas.map((r) => {
    const tokens = r.medidas.reduce((s, m) => s + (m.ok ? m.tokensGerados : 0), 0);
    return tokens > 0 && r.duracaoMs > 0 ? (tokens * 1000) / r.duracaoMs : null;
  });
  const duracaoTotalMs = rodadas.reduce((s, r) => s + r.duracaoMs, 0);
  return {
    tokens_prompt: tokensPrompt,
    concorrencia,
    requisicoes: todas.length,
    erros: todas.length - boas.length,
    ttft_p50_ms: arredondar(percentil(ttfts, 0.5)),
    ttft_p95_ms: arredondar(percentil(ttfts, 0.95)),
    prefill_tokens_s: arredondar(mediana(boas.map((m) => m.prefillTokensS))),
    geracao_tokens_s: arredondar(mediana(boas.map((m) => m.geracaoTokensS))),
    geracao_agregada_tokens_s: arredondar(mediana(agregadas)),
    requisicoes_s: boas.length && duracaoTotalMs > 0 ? arredondar((boas.length * 1000) / duracaoTotalMs, 3) : null,
    tokens_prompt_medidos: arredondar(mediana(boas.map((m) => m.tokensPrompt)), 0),
    tokens_resposta_medidos: arredondar(mediana(boas.map((m) => m.tokensResposta)), 0),
    fonte: boas.length > 0 && boas.every((m) => m.fonte === "servidor") ? "servidor" : "cliente",
  };
}
