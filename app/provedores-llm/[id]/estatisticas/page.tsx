import type { Metadata } from "next";
import Link from "next/link";
import { AbasProvedor } from "@/components/abas-provedor";
import { FilaAoVivo } from "@/components/fila-ao-vivo";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { CartoesEstatisticas } from "@/components/cartoes-estatisticas";
import { GraficosEstatisticas } from "@/components/graficos-estatisticas";
import { TabelaRequisicoesRecentes } from "@/components/tabela-requisicoes-recentes";
import { TabelaUsoPorChave } from "@/components/tabela-uso-por-chave";
import { TabelaUsoPorModelo } from "@/components/tabela-uso-por-modelo";
import { TabelaUsoPorPorta } from "@/components/tabela-uso-por-porta";
import { obterEstatisticas } from "@/lib/estatisticas/consultar-estatisticas";
import { listarRequisicoesRecentes } from "@/lib/estatisticas/recentes";
import { PaginaRequisicoes, PeriodoEstatisticas } from "@/lib/schemas/llm";
import { provedorDaPagina } from "../provedor-da-pagina";

export const metadata: Metadata = { title: "Estatísticas" };

const ROTULOS: Record<PeriodoEstatisticas, string> = { "1h": "1 hora", "24h": "24 horas", "7d": "7 dias", "30d": "30 dias" };

export default async function PaginaEstatisticas({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ periodo?: string; pagina?: string }>;
}) {
  const p = await provedorDaPagina(params);
  const busca = await searchParams;
  const periodo = PeriodoEstatisticas.catch("24h").parse(busca.periodo);
  const pagina = PaginaRequisicoes.shape.pagina.catch(1).parse(busca.pagina);
  const [e, recentes] = await Promise.all([obterEstatisticas(p.id, periodo), listarRequisicoesRecentes(p.id, { pagina })]);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Estatísticas de {p.nome}</h1>
        <StatusAoVivo id={p.id} inicial={p.status} />
        <FilaAoVivo id={p.id} />
      </div>
      <AbasProvedor id={p.id} atual="estatisticas" />
      <nav aria-label="Período" className="flex flex-wrap gap-2">
        {PeriodoEstatisticas.options.map((opcao) => (
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
      <CartoesEstatisticas e={e} />
      {e.total_requisicoes === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-600">
          Nenhuma requisição neste período. Envie um prompt na aba Testar ou pela API.
        </p>
      ) : null}
      <GraficosEstatisticas serie={e.serie} periodo={periodo} />
      <TabelaUsoPorModelo linhas={e.por_modelo} />
      {e.total_requisicoes ? <TabelaUsoPorPorta linhas={e.por_porta} /> : null}
      {e.total_requisicoes ? <TabelaUsoPorChave linhas={e.por_chave} /> : null}
      <TabelaRequisicoesRecentes r={recentes} hrefDaPagina={(n) => `?periodo=${periodo}&pagina=${n}`} />
    </div>
  );
}
