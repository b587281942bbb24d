import "server-only";

/** The answer's reservation when the request names no maximum (no `max_tokens` or any of its spellings). */
export const RESERVA_PADRAO_RESPOSTA = 1024;

/** About four characters of JSON per token: the prompt's estimate, corrected by the usage at the end. */
const CARACTERES_POR_TOKEN = 4;

const inteiroPositivo = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : null);

/**
 * The most tokens the answer may have, as the request's body says it in its door's dialect: OpenAI's
 * `max_completion_tokens` / `max_tokens`, Anthropic's `max_tokens`, Responses' `max_output_tokens`, Ollama's
 * `options.num_predict` (or the contract's `configuracao.max_tokens`); null when it says none.
 */
export function maximoDaResposta(corpo: Readonly<Record<string, unknown>>): number | null {
  const opcoes = corpo.options as Record<string, unknown> | undefined;
  const configuracao = corpo.configuracao as Record<string, unknown> | undefined;
  return (
    inteiroPositivo(corpo.max_completion_tokens) ??
    inteiroPositivo(corpo.max_tokens) ??
    inteiroPositivo(corpo.max_output_tokens) ??
    inteiroPositivo(opcoes?.num_predict) ??
    inteiroPositivo(configuracao?.max_tokens) ??
    null
  );
}

/**
 * The tokens a request reserves when it starts: its prompt, estimated from the body's size (every character of
 * the JSON, keys included: an estimate on the safe side), plus the answer's maximum (or RESERVA_PADRAO_RESPOSTA).
 * The usage the server reports at the end replaces it.
 */
export function reservaDeTokens(corpo: Readonly<Record<string, unknown>> | null): number {
  if (!corpo) return RESERVA_PADRAO_RESPOSTA;
  const prompt = Math.ceil(JSON.stringify(corpo).length / CARACTERES_POR_TOKEN);
  return prompt + (maximoDaResposta(corpo) ?? RESERVA_PADRAO_RESPOSTA);
}
