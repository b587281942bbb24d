import type { ServerResponse } from "node:http";

/**
 * A test server's set speed, so a benchmark's figures can be checked: a generation spends
 * prompt tokens / `prefillTokensS` seconds on the prompt, then emits token i (from 0) at
 * the prefill's end + (i + 1) / `geracaoTokensS`. `comTimings: false`: the server reports no timings of its own (usage stays),
 * and the client must time the answer itself.
 */
export type Velocidade = { prefillTokensS: number; geracaoTokensS: number; comTimings?: boolean };

/** What the server measured of one generation it ran (ms, from when it held its slot). */
export type Medicao = {
  tokensPrompt: number;
  tokensGerados: number;
  /** Prompt processing: from the slot taken to the prompt's end. */
  prefillMs: number;
  /** Generation: from the prompt's end to the last token sent (the first token's step counted, as llama.cpp's). */
  geracaoMs: number;
  /** From the slot taken to the last token sent. */
  totalMs: number;
};

/** The tokens a generation emits when the request asks no number of them. */
export const TOKENS_PADRAO = 128;

/** The asked number of tokens, when one is asked (a negative one, llama's and Ollama's "no limit", is none). */
export function tokensPedidos(...campos: (number | undefined)[]): number | undefined {
  const n = campos.find((c) => typeof c === "number" && c >= 0);
  return n === undefined ? undefined : Math.floor(n);
}

/** `n` word tokens of filler: the server's answer, repeated as often as needed. */
export function tokensDeEnchimento(resposta: string[], n: number): string[] {
  const palavras = resposta.length ? resposta : [" palavra"];
  return Array.from({ length: n }, (_, i) => {
    const p = palavras[i % palavras.length]!;
    // Every token after the first starts with a space, so the text reads as words even when the answer repeats.
    return i > 0 && !/^\s/.test(p) ? ` ${p}` : p;
  });
}

/** Resolves at the absolute time `ate` (performance.now()), or at once when the client leaves: false then. */
function esperarAte(res: ServerResponse, ate: number): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  const falta = ate - performance.now();
  if (falta <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const saiu = () => {
      clearTimeout(relogio);
      resolve(false);
    };
    const relogio = setTimeout(() => {
      res.off("close", saiu);
      resolve(!res.destroyed);
    }, falta);
    res.once("close", saiu);
  });
}

/**
 * Runs one generation at `velocidade` on an answer whose slot is held: waits the prefill, then calls `enviar(de, ate)`
 * with the tokens [de, ate) whose time has come. Times are absolute (the prefill's end + (i + 1) / geracaoTokensS), and every token
 * whose time has passed goes in the same call, so timer lateness never accumulates. `enviar` writes them (a stream)
 * or does nothing (a whole answer, sent by the caller after). What was measured, or null when the client left.
 */
export async function gerarNoRitmo(
  res: ServerResponse,
  velocidade: Velocidade,
  tokensPrompt: number,
  tokensGerados: number,
  enviar: (de: number, ate: number) => void,
): Promise<Medicao | null> {
  const inicio = performance.now();
  if (!(await esperarAte(res, inicio + (tokensPrompt / velocidade.prefillTokensS) * 1000))) return null;
  // Generation starts where the prefill ends: token i is due at fimDoPrefill + (i + 1) / g (the first one takes a
  // step too, as on a real server).
  const fimDoPrefill = performance.now();
  let ultimo = fimDoPrefill;
  let enviados = 0;
  while (enviados < tokensGerados) {
    const agora = performance.now();
    const devidos = Math.min(tokensGerados, Math.floor(((agora - fimDoPrefill) / 1000) * velocidade.geracaoTokensS));
    if (devidos > enviados) {
      enviar(enviados, devidos);
      enviados = devidos;
      ultimo = performance.now();
      continue;
    }
    if (!(await esperarAte(res, fimDoPrefill + ((enviados + 1) / velocidade.geracaoTokensS) * 1000))) return null;
  }
  if (res.destroyed) return null;
  return { tokensPrompt, tokensGerados, prefillMs: fimDoPrefill - inicio, geracaoMs: ultimo - fimDoPrefill, totalMs: ultimo - inicio };
}

const arredondar = (x: number, casas = 3) => Math.round(x * 10 ** casas) / 10 ** casas;
/** Tokens per second over `ms`; with no time measured (one token), the count itself. */
const porSegundo = (n: number, ms: number) => (ms > 0 ? arredondar((n / ms) * 1000, 2) : n);

/** llama-server's `timings` (shared/provider-apis.md): predicted_per_second = predicted_n / predicted_ms, as the real one. */
export function timingsLlama(m: Medicao): Record<string, number> {
  return {
    cache_n: 0,
    prompt_n: m.tokensPrompt,
    prompt_ms: arredondar(m.prefillMs),
    prompt_per_token_ms: arredondar(m.prefillMs / Math.max(m.tokensPrompt, 1)),
    prompt_per_second: porSegundo(m.tokensPrompt, m.prefillMs),
    predicted_n: m.tokensGerados,
    predicted_ms: arredondar(m.geracaoMs),
    predicted_per_token_ms: arredondar(m.geracaoMs / Math.max(m.tokensGerados, 1)),
    predicted_per_second: porSegundo(m.tokensGerados, m.geracaoMs),
  };
}

/** Ollama's final metrics, in ns; without timings, only the counts. `cargaNs`: the load this request waited for. */
export function metricasOllama(m: Medicao, cargaNs: number, comTimings: boolean): Record<string, number> {
  const contagens = { prompt_eval_count: m.tokensPrompt, eval_count: m.tokensGerados };
  if (!comTimings) return contagens;
  const ns = (ms: number) => Math.max(1, Math.round(ms * 1e6));
  return {
    total_duration: cargaNs + ns(m.totalMs),
    load_duration: cargaNs || 1334875,
    prompt_eval_count: m.tokensPrompt,
    prompt_eval_duration: ns(m.prefillMs),
    eval_count: m.tokensGerados,
    eval_duration: ns(m.geracaoMs),
  };
}

/** LM Studio's `stats` on /api/v0 (seconds); tokens_per_second = tokens / generation_time. */
export function statsLmStudio(m: Medicao, finish: string): Record<string, unknown> {
  return {
    tokens_per_second: porSegundo(m.tokensGerados, m.geracaoMs),
    time_to_first_token: arredondar(m.prefillMs / 1000, 4),
    generation_time: arredondar(m.geracaoMs / 1000, 4),
    stop_reason: finish === "length" ? "maxPredictedTokensReached" : "eosFound",
  };
}
