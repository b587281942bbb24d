import Link from "next/link";
import type { UsoPorModelo, UsoPorProvedor } from "@/lib/schemas/llm";
import { CabecalhoTabela } from "./cabecalho-tabela";
import { inteiro, ms, tokS } from "./formatos";

type Linha = UsoPorModelo & {
  /** Across servers (the /estatisticas page): the servers that served the model, shown side by side under it. */
  provedores?: UsoPorProvedor[];
};

/** Requests of the period by model (every front door: the playground, requisicao, /v1). */
export function TabelaUsoPorModelo({ linhas, periodo }: { linhas: Linha[]; periodo?: string }) {
  if (!linhas.length) return null;
  const colunas = [
    { rotulo: "Modelo" },
    { rotulo: "Requisições", numero: true },
    { rotulo: "Erros", numero: true },
    { rotulo: "Tempo médio", numero: true },
    { rotulo: "p50", numero: true },
    { rotulo: "p95", numero: true },
    { rotulo: "Tokens/s p50", numero: true },
    { rotulo: "Fila p95", numero: true },
    { rotulo: "Tokens", numero: true },
  ];
  return (
    <section aria-labelledby="por-modelo" className="space-y-2">
      <h2 id="por-modelo" className="text-lg font-semibold">
        Por modelo
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <CabecalhoTabela colunas={colunas} />
          <tbody>
            {linhas.map((l) => (
              <LinhaModelo key={l.modelo} l={l} colunas={colunas.length} periodo={periodo} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LinhaModelo({ l, colunas, periodo }: { l: Linha; colunas: number; periodo?: string }) {
  return (
    <>
      <tr className="border-t border-slate-100" data-modelo={l.modelo}>
        <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
          {l.modelo || "—"}
        </th>
        <td className="px-3 py-2 text-right">{inteiro(l.requisicoes)}</td>
        <td className="px-3 py-2 text-right">{inteiro(l.erros)}</td>
        <td className="px-3 py-2 text-right">{ms(l.tempo_medio_ms)}</td>
        <td className="px-3 py-2 text-right">{ms(l.p50_ms)}</td>
        <td className="px-3 py-2 text-right">{ms(l.p95_ms)}</td>
        <td className="px-3 py-2 text-right">{tokS(l.p50_tokens_por_segundo)}</td>
        <td className="px-3 py-2 text-right">{ms(l.p95_fila_ms)}</td>
        <td className="px-3 py-2 text-right">{inteiro(l.tokens)}</td>
      </tr>
      {l.provedores?.length ? (
        <tr className="bg-slate-50/60">
          <td colSpan={colunas} className="px-3 pb-3 pt-1">
            <ul aria-label={`Servidores de ${l.modelo || "—"}`} className="flex flex-wrap gap-2">
              {l.provedores.map((p) => (
                <li key={p.provedor_id} className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs">
                  <Link
                    href={`/provedores-llm/${p.provedor_id}/estatisticas${periodo ? `?periodo=${periodo}` : ""}`}
                    className="font-medium text-sky-800 hover:underline"
                  >
                    {p.nome}
                  </Link>
                  <span className="ml-2 text-slate-600">
                    {inteiro(p.requisicoes)} req · p50 {ms(p.p50_ms)} · p95 {ms(p.p95_ms)} · {tokS(p.p50_tokens_por_segundo)}
                  </span>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      ) : null}
    </>
  );
}
