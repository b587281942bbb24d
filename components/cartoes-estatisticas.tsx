import type { EstatisticasProvedor } from "@/lib/schemas/llm";
import { inteiro, ms, porcentagem, tokS } from "./formatos";
import { dataHora } from "./rotulos";

/** The period's figures: a provider's (its statistics), or every server's (GET /api/estatisticas has the same fields). */
export function CartoesEstatisticas({ e }: { e: Omit<EstatisticasProvedor, "por_modelo"> }) {
  const itens: [string, string][] = [
    ["Requisições", inteiro(e.total_requisicoes)],
    ["Sucesso", `${inteiro(e.requisicoes_sucesso)} (${porcentagem(e.taxa_sucesso)})`],
    ["Erros", inteiro(e.requisicoes_erro)],
    ["Tempo médio", ms(e.tempo_medio_resposta_ms)],
    ["p50", ms(e.p50_ms)],
    ["p95", ms(e.p95_ms)],
    ["p99", ms(e.p99_ms)],
    ["1º token p50", ms(e.p50_primeiro_token_ms)],
    ["1º token p95", ms(e.p95_primeiro_token_ms)],
    ["Tokens/s p50", tokS(e.p50_tokens_por_segundo)],
    ["Tokens/s p95", tokS(e.p95_tokens_por_segundo)],
    ["Tokens", inteiro(e.tokens_totais)],
    ["Modelos carregados", inteiro(e.modelos_carregados)],
    ["Última atividade", dataHora(e.ultima_atividade ? new Date(e.ultima_atividade) : null)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {itens.map(([rotulo, valor]) => (
        <div key={rotulo} className="rounded-lg border border-slate-200 bg-white p-3">
          <dt className="text-xs text-slate-600">{rotulo}</dt>
          <dd className="mt-1 text-lg font-semibold" data-rotulo={rotulo}>
            {valor}
          </dd>
        </div>
      ))}
      <div
        className="col-span-2 rounded-lg border border-slate-200 bg-white p-3"
        title="Tempo que as requisições esperaram na fila do provedor antes de serem enviadas (0 ms: não esperaram)."
      >
        <dt className="text-xs text-slate-600">Espera na fila</dt>
        <dd className="mt-1 text-lg font-semibold" data-rotulo="Espera na fila">
          {e.p50_fila_ms === null ? (
            "—"
          ) : (
            <>
              p50 {ms(e.p50_fila_ms)} · p95 {ms(e.p95_fila_ms)} · p99 {ms(e.p99_fila_ms)}
            </>
          )}
        </dd>
      </div>
    </dl>
  );
}
