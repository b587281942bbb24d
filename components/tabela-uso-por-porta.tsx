import type { UsoPorPorta } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { inteiro, ms } from "./formatos";
import { rotuloPorta } from "./rotulos";

/** Requests of the period by the door they came in by (every door listed, "anterior" for what predates the count). */
export function TabelaUsoPorPorta({ linhas }: { linhas: UsoPorPorta[] }) {
  return (
    <section aria-labelledby="por-porta" className="space-y-2">
      <h2 id="por-porta" className="text-lg font-semibold">
        Por porta
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <CabecalhoTabela
            colunas={[
              { rotulo: "Porta" },
              { rotulo: "Requisições", numero: true },
              { rotulo: "Erros", numero: true },
              { rotulo: "Tempo médio", numero: true },
              { rotulo: "p95", numero: true },
              { rotulo: "Tokens (prompt + resposta)", numero: true },
            ]}
          />
          <tbody>
            {linhas.map((l) => (
              <tr key={l.porta ?? ""} className={`border-t border-slate-100 ${l.requisicoes ? "" : "text-slate-500"}`}>
                <th scope="row" className="px-3 py-2 text-left font-normal whitespace-nowrap">
                  {rotuloPorta(l.porta)}
                </th>
                <td className="px-3 py-2 text-right">{inteiro(l.requisicoes)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.erros)}</td>
                <td className="px-3 py-2 text-right">{ms(l.tempo_medio_ms)}</td>
                <td className="px-3 py-2 text-right">{ms(l.p95_ms)}</td>
                <td className="px-3 py-2 text-right">
                  {inteiro(l.tokens_prompt)} + {inteiro(l.tokens_resposta)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {linhas.some((l) => l.porta === null) ? (
        <p className="text-xs text-slate-600">“anterior”: requisições contadas antes de a porta de entrada ser registrada.</p>
      ) : null}
    </section>
  );
}
