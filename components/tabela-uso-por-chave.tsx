import type { UsoPorChave } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { inteiro, ms } from "./formatos";

/** Requests of the period by the access key that made them (the keys that used the provider, then the admin). */
export function TabelaUsoPorChave({ linhas }: { linhas: UsoPorChave[] }) {
  return (
    <section aria-labelledby="por-chave" className="space-y-2">
      <h2 id="por-chave" className="text-lg font-semibold">
        Por chave
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <CabecalhoTabela
            colunas={[
              { rotulo: "Chave" },
              { rotulo: "Requisições", numero: true },
              { rotulo: "Erros", numero: true },
              { rotulo: "Tempo médio", numero: true },
              { rotulo: "p95", numero: true },
              { rotulo: "Tokens (prompt + resposta)", numero: true },
            ]}
          />
          <tbody>
            {linhas.map((l) => (
              <tr key={l.chave_id ?? "admin"} className={`border-t border-slate-100 ${l.requisicoes ? "" : "text-slate-500"}`}>
                <th scope="row" className="px-3 py-2 text-left font-normal whitespace-nowrap">
                  {l.chave_id === null ? (
                    "Administrador"
                  ) : (
                    <>
                      {l.nome ?? `Chave ${l.chave_id}`} <span className="font-mono text-xs text-slate-500">pllm_{l.prefixo}…</span>
                    </>
                  )}
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
      <p className="text-xs text-slate-600">“Administrador”: chamadas com o AUTH_TOKEN, pela interface ou sem chave.</p>
    </section>
  );
}
