import Link from "next/link";
import type { EstatisticasChave, PeriodoEstatisticas } from "@/lib/schemas/llm";
import { PeriodoEstatisticas as Periodos } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "../cabecalho-tabela";
import { inteiro, ms, porcentagem } from "../formatos";
import { GraficosEstatisticas } from "../graficos-estatisticas";
import { dataHora } from "../rotulos";

const ROTULOS: Record<PeriodoEstatisticas, string> = { "1h": "1 hora", "24h": "24 horas", "7d": "7 dias", "30d": "30 dias" };

type Linha = {
  chave: string;
  rotulo: string;
  requisicoes: number;
  erros: number;
  tempo_medio_ms: number | null;
  p95_ms: number | null;
  tokens: number;
};

function TabelaUso({ titulo, id, primeira, linhas }: { titulo: string; id: string; primeira: string; linhas: Linha[] }) {
  if (!linhas.length) return null;
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h3 id={id} className="text-base font-semibold">
        {titulo}
      </h3>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <CabecalhoTabela
            colunas={[
              { rotulo: primeira },
              { rotulo: "Requisições", numero: true },
              { rotulo: "Erros", numero: true },
              { rotulo: "Tempo médio", numero: true },
              { rotulo: "p95", numero: true },
              { rotulo: "Tokens", numero: true },
            ]}
          />
          <tbody>
            {linhas.map((l) => (
              <tr key={l.chave} className="border-t border-slate-100">
                <th scope="row" className="px-3 py-2 text-left font-normal">
                  {l.rotulo}
                </th>
                <td className="px-3 py-2 text-right">{inteiro(l.requisicoes)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.erros)}</td>
                <td className="px-3 py-2 text-right">{ms(l.tempo_medio_ms)}</td>
                <td className="px-3 py-2 text-right">{ms(l.p95_ms)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A key's use over the chosen period: counters, the charts of a provider's statistics, by model and by provider. */
export function UsoDaChave({ e, periodo }: { e: EstatisticasChave; periodo: PeriodoEstatisticas }) {
  const cartoes: [string, string][] = [
    ["Requisições", inteiro(e.total_requisicoes)],
    ["Sucesso", `${inteiro(e.requisicoes_sucesso)} (${porcentagem(e.taxa_sucesso)})`],
    ["Erros", inteiro(e.requisicoes_erro)],
    ["Tempo médio", ms(e.tempo_medio_resposta_ms)],
    ["p50", ms(e.p50_ms)],
    ["p95", ms(e.p95_ms)],
    ["p99", ms(e.p99_ms)],
    ["1º token p50", ms(e.p50_primeiro_token_ms)],
    ["Tokens", `${inteiro(e.tokens_totais)} (${inteiro(e.tokens_prompt)} + ${inteiro(e.tokens_resposta)})`],
    ["Última atividade", dataHora(e.ultima_atividade ? new Date(e.ultima_atividade) : null)],
  ];
  return (
    <section aria-labelledby="uso" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="uso" className="text-lg font-semibold">
          Uso
        </h2>
        <nav aria-label="Período" className="flex flex-wrap gap-2">
          {Periodos.options.map((opcao) => (
            <Link
              key={opcao}
              href={`?periodo=${opcao}`}
              aria-current={opcao === periodo ? "page" : undefined}
              className={`rounded-full px-3 py-1 text-sm ring-1 ${opcao === periodo ? "bg-sky-700 text-white ring-sky-700" : "ring-slate-300 hover:bg-slate-100"}`}
            >
              {ROTULOS[opcao]}
            </Link>
          ))}
        </nav>
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {cartoes.map(([rotulo, valor]) => (
          <div key={rotulo} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{rotulo}</dt>
            <dd className="mt-1 text-lg font-semibold" data-rotulo={rotulo}>
              {valor}
            </dd>
          </div>
        ))}
      </dl>
      {e.total_requisicoes === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          Nenhuma requisição com esta chave neste período.
        </p>
      ) : null}
      <GraficosEstatisticas serie={e.serie} periodo={periodo} />
      <TabelaUso
        titulo="Por modelo"
        id="uso-por-modelo"
        primeira="Modelo"
        linhas={e.por_modelo.map((m) => ({ ...m, chave: m.modelo, rotulo: m.modelo || "—", tokens: m.tokens_prompt + m.tokens_resposta }))}
      />
      <TabelaUso
        titulo="Por provedor"
        id="uso-por-provedor"
        primeira="Provedor"
        linhas={e.por_provedor.map((p) => ({
          ...p,
          chave: String(p.provedor_id),
          rotulo: p.nome ?? `#${p.provedor_id} (excluído)`,
          tokens: p.tokens_prompt + p.tokens_resposta,
        }))}
      />
    </section>
  );
}
