import Link from "next/link";
import type { ModeloOpenAI } from "@/lib/schemas/corpos-openai";
import { CabecalhoTabela } from "../cabecalho-tabela";

const COLUNAS = [{ rotulo: "Id" }, { rotulo: "Provedores (id fixo)" }];

/** The routed ids /v1 answers now, each with the providers that hold it and their pinned ids. */
export function ModelosRoteados({ modelos }: { modelos: ModeloOpenAI[] }) {
  if (!modelos.length) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
        Nenhum modelo conhecido ainda. Cadastre um provedor e clique em &quot;Testar conexão&quot; para carregar a lista dele.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <CabecalhoTabela colunas={COLUNAS} />
        <tbody>
          {modelos.map((m) => (
            <tr key={m.id} className="border-t border-slate-100 align-top">
              <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
                {m.id}
                {m.provedores_llm.embedding ? (
                  <span className="ml-2 rounded bg-violet-100 px-1.5 py-0.5 text-xs text-violet-800">embeddings</span>
                ) : null}
              </th>
              <td className="px-3 py-2">
                <ul className="space-y-1">
                  {m.provedores_llm.provedores.map((p) => (
                    <li key={p.id}>
                      <Link href={`/provedores-llm/${p.id}/detalhes`} className="text-sky-800 hover:underline">
                        {p.nome}
                      </Link>
                      {p.carregado ? <span className="ml-1 text-xs text-emerald-700">(carregado)</span> : null}
                      <span className="ml-2 font-mono text-xs text-slate-500">{`${p.slug}/${m.id}`}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
