import Link from "next/link";
import type { UsoPorProvedor } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { inteiro, ms, tokS } from "./formatos";

/** Requests of the period by server (the /estatisticas page), each linking to that server's statistics. */
export function TabelaUsoPorProvedor({ linhas, periodo }: { linhas: UsoPorProvedor[]; periodo: string }) {
  if (!linhas.length) return null;
  return (
    <section aria-labelledby="por-servidor" className="space-y-2">
      <h2 id="por-servidor" className="text-lg font-semibold">
        Por servidor
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <CabecalhoTabela
            colunas={[
              { rotulo: "Servidor" },
              { rotulo: "Requisições", numero: true },
              { rotulo: "Erros", numero: true },
              { rotulo: "Tempo médio", numero: true },
              { rotulo: "p50", numero: true },
              { rotulo: "p95", numero: true },
              { rotulo: "Tokens/s p50", numero: true },
              { rotulo: "Tokens/s p95", numero: true },
              { rotulo: "Tokens", numero: true },
            ]}
          />
          <tbody>
            {linhas.map((l) => (
              <tr key={l.provedor_id} className={`border-t border-slate-100 ${l.requisicoes ? "" : "text-slate-500"}`}>
                <th scope="row" className="px-3 py-2 text-left font-normal whitespace-nowrap">
                  <Link href={`/provedores-llm/${l.provedor_id}/estatisticas?periodo=${periodo}`} className="text-sky-800 hover:underline">
                    {l.nome}
                  </Link>
                </th>
                <td className="px-3 py-2 text-right">{inteiro(l.requisicoes)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.erros)}</td>
                <td className="px-3 py-2 text-right">{ms(l.tempo_medio_ms)}</td>
                <td className="px-3 py-2 text-right">{ms(l.p50_ms)}</td>
                <td className="px-3 py-2 text-right">{ms(l.p95_ms)}</td>
                <td className="px-3 py-2 text-right">{tokS(l.p50_tokens_por_segundo)}</td>
                <td className="px-3 py-2 text-right">{tokS(l.p95_tokens_por_segundo)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
