import type { Metadata } from "next";
import Link from "next/link";
import { CartoesEstatisticas } from "@/components/cartoes-estatisticas";
import { GraficosEstatisticas } from "@/components/graficos-estatisticas";
import { TabelaUsoPorChave } from "@/components/tabela-uso-por-chave";
import { TabelaUsoPorModelo } from "@/components/tabela-uso-por-modelo";
import { TabelaUsoPorPorta } from "@/components/tabela-uso-por-porta";
import { TabelaUsoPorProvedor } from "@/components/tabela-uso-por-provedor";
import { obterEstatisticasGerais } from "@/lib/estatisticas/consultar-estatisticas";
import { PeriodoEstatisticas } from "@/lib/schemas/llm";

export const metadata: Metadata = { title: "Estatísticas" };

const ROTULOS: Record<PeriodoEstatisticas, string> = { "1h": "1 hora", "24h": "24 horas", "7d": "7 dias", "30d": "30 dias" };

/** Every server's statistics as one (GET /api/estatisticas): nothing here calls a server. */
export default async function PaginaEstatisticasGerais({ searchParams }: { searchParams: Promise<{ periodo?: string }> }) {
  const periodo = PeriodoEstatisticas.catch("24h").parse((await searchParams).periodo);
  const e = await obterEstatisticasGerais(periodo);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Estatísticas</h1>
        <p className="text-sm text-slate-700">
          Todos os servidores juntos ({e.provedores} cadastrado(s)): contadores somados e percentis dos histogramas de todos eles.
        </p>
      </div>
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
          Nenhuma requisição neste período, em nenhum servidor.{" "}
          {e.provedores ? (
            <>
              Aponte um cliente para o endereço do app: veja como em{" "}
              <Link href="/provedores-llm/api" className="font-medium text-sky-800 underline">
                Usar pela API
              </Link>
              .
            </>
          ) : (
            <>
              Cadastre um servidor primeiro:{" "}
              <Link href="/provedores-llm/novo" className="font-medium text-sky-800 underline">
                Novo provedor
              </Link>
              , depois veja em{" "}
              <Link href="/provedores-llm/api" className="font-medium text-sky-800 underline">
                Usar pela API
              </Link>{" "}
              como chamá-lo.
            </>
          )}
        </p>
      ) : null}
      <GraficosEstatisticas serie={e.serie} periodo={periodo} />
      <TabelaUsoPorProvedor linhas={e.por_provedor} periodo={periodo} />
      <TabelaUsoPorModelo linhas={e.por_modelo} periodo={periodo} />
      {e.total_requisicoes ? <TabelaUsoPorPorta linhas={e.por_porta} /> : null}
      {e.total_requisicoes ? <TabelaUsoPorChave linhas={e.por_chave} /> : null}
    </div>
  );
}
