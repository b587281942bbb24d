import type { RespostaLLM } from "@/lib/schemas/llm";
import { ms } from "../formatos";

/** The figures of a finished answer: speed, time to the first token, total time and token counts. */
export function MetricasResposta({ resposta }: { resposta: RespostaLLM }) {
  const metricas: [string, string][] = [
    ["Tokens/s", resposta.tokens_por_segundo?.toLocaleString("pt-BR", { maximumFractionDigits: 1 }) ?? "—"],
    ["Primeiro token", ms(resposta.tempo_primeiro_token_ms)],
    ["Tempo total", ms(resposta.tempo_resposta_ms)],
    ["Tokens (prompt + resposta)", `${resposta.tokens.prompt ?? "—"} + ${resposta.tokens.resposta ?? "—"}`],
  ];
  return (
    <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-4" aria-label="Métricas da resposta">
      {metricas.map(([rotulo, valor]) => (
        <div key={rotulo}>
          <dt className="text-slate-600">{rotulo}</dt>
          <dd className="font-semibold">{valor}</dd>
        </div>
      ))}
    </dl>
  );
}
