import type { UsoPorModelo } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { inteiro, ms } from "./formatos";

/** Requests of the period by model (every front door: the playground, requisicao, /v1). */
export function TabelaUsoPorModelo({ linhas }: { linhas: UsoPorModelo[] }) {
  if (!linhas.length) return null;
  return (
    <section aria-labelledby="por-modelo" className="space-y-2">
      <h2 id="por-modelo" className="text-lg font-semibold">
        Por modelo
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <CabecalhoTabela
            colunas={[
              { rotulo: "Modelo" },
              { rotulo: "Requisições", numero: true },
              { rotulo: "Erros", numero: true },
              { rotulo: "Tempo médio", numero: true },
              { rotulo: "p95", numero: true },
              { rotulo: "Fila p95", numero: true },
              { rotulo: "Tokens", numero: true },
            ]}
          />
          <tbody>
            {linhas.map((l) => (
              <tr key={l.modelo} className="border-t border-slate-100">
                <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
                  {l.modelo || "—"}
                </th>
                <td className="px-3 py-2 text-right">{inteiro(l.requisicoes)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.erros)}</td>
                <td className="px-3 py-2 text-right">{ms(l.tempo_medio_ms)}</td>
                <td className="px-3 py-2 text-right">{ms(l.p95_ms)}</td>
                <td className="px-3 py-2 text-right">{ms(l.p95_fila_ms)}</td>
                <td className="px-3 py-2 text-right">{inteiro(l.tokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
