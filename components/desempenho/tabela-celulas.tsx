import type { ReactNode } from "react";
import type { CelulaBenchmark } from "@/lib/schemas/benchmark";
import { CabecalhoTabela } from "../cabecalho-tabela";
import { inteiro, ms, tokS } from "../formatos";
import { EXPLICACAO_FONTE, ROTULO_FONTE } from "./rotulos-benchmark";

const COLUNAS = [
  { rotulo: "Prompt (tokens)", numero: true },
  { rotulo: "Concorrência", numero: true },
  { rotulo: "TTFT p50", numero: true },
  { rotulo: "TTFT p95", numero: true },
  { rotulo: "Prefill", numero: true },
  { rotulo: "Geração por stream", numero: true },
  { rotulo: "Geração agregada", numero: true },
  { rotulo: "Req/s", numero: true },
  { rotulo: "Erros", numero: true },
  { rotulo: "Fonte" },
];

const reqS = (v: number | null) => (v === null ? "—" : v.toLocaleString("pt-BR", { maximumFractionDigits: 2 }));

/** One row per prompt length × concurrency, with who measured it. */
export function LinhaCelula({ c, antes }: { c: CelulaBenchmark; antes?: ReactNode }) {
  return (
    <tr className="border-t border-slate-100" data-celula={`${c.tokens_prompt}x${c.concorrencia}`}>
      {antes}
      <td className="px-3 py-2 text-right">{inteiro(c.tokens_prompt)}</td>
      <td className="px-3 py-2 text-right">{inteiro(c.concorrencia)}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">{ms(c.ttft_p50_ms)}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">{ms(c.ttft_p95_ms)}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">{tokS(c.prefill_tokens_s)}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">{tokS(c.geracao_tokens_s)}</td>
      <td className="whitespace-nowrap px-3 py-2 text-right">{tokS(c.geracao_agregada_tokens_s)}</td>
      <td className="px-3 py-2 text-right">{reqS(c.requisicoes_s)}</td>
      <td className={`px-3 py-2 text-right ${c.erros ? "text-red-700" : ""}`}>
        {inteiro(c.erros)}/{inteiro(c.requisicoes)}
      </td>
      <td className="px-3 py-2" title={EXPLICACAO_FONTE[c.fonte]}>
        {ROTULO_FONTE[c.fonte]}
      </td>
    </tr>
  );
}

/** What each column means and where "servidor"/"cliente" come from. */
export function LegendaCelulas() {
  return (
    <dl className="grid gap-1 text-xs text-slate-600 sm:grid-cols-2">
      <div>
        <dt className="inline font-medium">TTFT:</dt>{" "}
        <dd className="inline">do envio ao primeiro token da resposta (a espera na fila incluída).</dd>
      </div>
      <div>
        <dt className="inline font-medium">Prefill:</dt> <dd className="inline">tokens do prompt processados por segundo.</dd>
      </div>
      <div>
        <dt className="inline font-medium">Geração por stream / agregada:</dt>{" "}
        <dd className="inline">tokens/s de cada resposta (mediana) e de todas as respostas juntas de uma rodada.</dd>
      </div>
      <div>
        <dt className="inline font-medium">Req/s:</dt> <dd className="inline">requisições concluídas por segundo.</dd>
      </div>
      <div>
        <dt className="inline font-medium">Fonte servidor:</dt> <dd className="inline">{EXPLICACAO_FONTE.servidor}</dd>
      </div>
      <div>
        <dt className="inline font-medium">Fonte cliente:</dt> <dd className="inline">{EXPLICACAO_FONTE.cliente}</dd>
      </div>
    </dl>
  );
}

/** The cells of one run. */
export function TabelaCelulas({ celulas }: { celulas: CelulaBenchmark[] }) {
  return (
    <section aria-labelledby="celulas" className="space-y-2">
      <h2 id="celulas" className="text-lg font-semibold">
        Medidas por célula
      </h2>
      {celulas.length ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <CabecalhoTabela colunas={COLUNAS} />
            <tbody>
              {celulas.map((c) => (
                <LinhaCelula key={`${c.tokens_prompt}x${c.concorrencia}`} c={c} />
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-slate-600">Nenhuma célula medida ainda.</p>
      )}
      <LegendaCelulas />
    </section>
  );
}

export { COLUNAS as COLUNAS_CELULAS };
