import type { Metadata } from "next";
import Link from "next/link";
import { AbasProvedor } from "@/components/abas-provedor";
import { BadgeAtivo, BadgeStatus } from "@/components/badge-status";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { BotaoAtivo } from "@/components/botao-ativo";
import { BotaoExcluir } from "@/components/botao-excluir";
import { duracao } from "@/components/formatos";
import { FichaProvedor } from "@/components/provedor-detalhes/ficha-provedor";
import { ResumosProvedor } from "@/components/provedor-detalhes/resumos-provedor";
import { dataHora } from "@/components/rotulos";
import { obterEstatisticas } from "@/lib/estatisticas/consultar";
import { lerModelosEmCache, obterDisponibilidade } from "@/lib/provedores";
import { provedorDaPagina } from "../provedor-da-pagina";

export const metadata: Metadata = { title: "Detalhes do provedor" };

export default async function PaginaDetalhes({ params }: { params: Promise<{ id: string }> }) {
  const p = await provedorDaPagina(params);
  const [lista, e, d] = await Promise.all([lerModelosEmCache(p.id), obterEstatisticas(p.id, "24h"), obterDisponibilidade(p.id)]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{p.nome}</h1>
        <StatusAoVivo id={p.id} inicial={p.status} />
        <BadgeAtivo ativo={p.ativo} />
        <div className="ml-auto flex flex-wrap gap-1">
          <Link href={`/provedores-llm/${p.id}/editar`} className="rounded-md px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50">
            Editar
          </Link>
          <BotaoAtivo id={p.id} nome={p.nome} ativo={p.ativo} />
          <BotaoExcluir id={p.id} nome={p.nome} depois="/provedores-llm" />
        </div>
      </div>
      <AbasProvedor id={p.id} atual="detalhes" />
      <ResumosProvedor provedor={p} lista={lista} estatisticas={e} />
      <section className="rounded-lg border border-slate-200 bg-white p-4" aria-label="Disponibilidade">
        <h2 className="text-sm font-medium text-slate-600">Disponibilidade</h2>
        <dl className="mt-2 grid grid-cols-3 gap-3">
          {(["24h", "7d", "30d"] as const).map((periodo) => (
            <div key={periodo}>
              <dt className="text-xs text-slate-600">{{ "24h": "24 horas", "7d": "7 dias", "30d": "30 dias" }[periodo]}</dt>
              <dd className="text-2xl font-semibold" data-uptime={periodo}>
                {d.uptime[periodo] === null ? "—" : `${d.uptime[periodo].toLocaleString("pt-BR", { maximumFractionDigits: 2 })}%`}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-1 text-xs text-slate-600">
          {p.ativo
            ? `Verificado a cada ${p.intervalo_verificacao_segundos} s; offline depois de 3 falhas seguidas.`
            : "Provedor inativo: não é verificado."}
        </p>
        <h3 className="mt-4 text-sm font-medium text-slate-600">Últimos incidentes</h3>
        {d.incidentes.length ? (
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-xs text-slate-600">
              <tr>
                <th className="py-1 pr-3 font-medium">Início</th>
                <th className="py-1 pr-3 font-medium">Fim</th>
                <th className="py-1 pr-3 font-medium">Duração</th>
                <th className="py-1 font-medium">Motivo</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d.incidentes.map((i) => (
                <tr key={i.inicio.getTime()} data-incidente>
                  <td className="py-1 pr-3 whitespace-nowrap">{dataHora(i.inicio)}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{i.fim ? dataHora(i.fim) : "em andamento"}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{duracao(i.duracao_ms)}</td>
                  <td className="py-1 text-slate-700">
                    <BadgeStatus status={i.status} /> {i.motivo ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="mt-1 text-sm text-slate-700">Nenhum incidente nos últimos 30 dias.</p>
        )}
      </section>
      <FichaProvedor provedor={p} />
      <Link href="/provedores-llm" className="text-sm text-slate-700 underline">
        Voltar para a lista
      </Link>
    </div>
  );
}
