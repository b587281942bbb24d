import type { ReactNode } from "react";
import type { Painel } from "@/lib/painel/consultar-painel";
import { inteiro, ms } from "../formatos";
import { ServidoresOnline } from "./online-ao-vivo";

/** The top of the overview: servers online, models loaded, and today's traffic over every server. */
export function TotaisDoPainel({ painel }: { painel: Painel }) {
  const t = painel.totais;
  const itens: [string, ReactNode][] = [
    ["Servidores online", <ServidoresOnline key="online" inicial={painel.servidores.map((s) => ({ id: s.id, status: s.status }))} />],
    ["Modelos carregados", `${inteiro(t.modelos_carregados)}/${inteiro(t.modelos)}`],
    ["Requisições hoje", inteiro(t.requisicoes_hoje)],
    ["Tokens hoje", inteiro(t.tokens_hoje)],
    ["Erros hoje", inteiro(t.erros_hoje)],
    ["p95 hoje", ms(t.p95_hoje_ms)],
  ];
  return (
    <section aria-label="Totais">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {itens.map(([rotulo, valor]) => (
          <div key={rotulo} className="rounded-lg border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{rotulo}</dt>
            <dd className="mt-1 text-lg font-semibold" data-rotulo={rotulo}>
              {valor}
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-500">“Hoje” conta desde 0:00 UTC, de todos os servidores.</p>
    </section>
  );
}
