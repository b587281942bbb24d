import "server-only";
import type { RegistroRequisicao } from "../schemas/llm";

/**
 * An answer's generation speed in tokens per second, as the statistics keep it: the server's own figure when
 * the pipeline has it, else the answer's tokens over its generation time (for a stream, the time after the first
 * token; for a whole answer, all of it). Null for a failure or an answer without a token count.
 */
export function tokensPorSegundoDe(
  r: Pick<
    RegistroRequisicao,
    "sucesso" | "stream" | "tempo_resposta_ms" | "tempo_primeiro_token_ms" | "tokens_resposta" | "tokens_por_segundo"
  >,
): number | null {
  if (!r.sucesso) return null;
  if (typeof r.tokens_por_segundo === "number" && r.tokens_por_segundo > 0 && Number.isFinite(r.tokens_por_segundo))
    return Math.round(r.tokens_por_segundo * 100) / 100;
  if (!r.tokens_resposta || r.tokens_resposta <= 0) return null;
  const primeiro = r.tempo_primeiro_token_ms;
  // A stream whose text came all at once (nothing after the first token) is measured over its whole time.
  const geracaoMs =
    r.stream && primeiro !== null && primeiro !== undefined && r.tempo_resposta_ms > primeiro
      ? r.tempo_resposta_ms - primeiro
      : r.tempo_resposta_ms;
  if (!(geracaoMs > 0)) return null;
  return Math.round((r.tokens_resposta / (geracaoMs / 1000)) * 100) / 100;
}
