import type { Metadata } from "next";
import Link from "next/link";
import { AbasProvedor } from "@/components/abas-provedor";
import { BadgeAtivo } from "@/components/badge-status";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { CLASSE_LINK_ACAO } from "@/components/ui/botao";
import { BotaoAtivo } from "@/components/botao-ativo";
import { BotaoExcluir } from "@/components/botao-excluir";
import { DisponibilidadeProvedor } from "@/components/provedor-detalhes/disponibilidade-provedor";
import { FichaProvedor } from "@/components/provedor-detalhes/ficha-provedor";
import { ResumosProvedor } from "@/components/provedor-detalhes/resumos-provedor";
import { obterEstatisticas } from "@/lib/estatisticas/consultar-estatisticas";
import { lerModelosEmCache, obterDisponibilidade } from "@/lib/provedores";
import { limiteEmVigor } from "@/lib/provedores/limite-em-vigor";
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
          <Link href={`/provedores-llm/${p.id}/editar`} className={CLASSE_LINK_ACAO}>
            Editar
          </Link>
          <BotaoAtivo id={p.id} nome={p.nome} ativo={p.ativo} />
          <BotaoExcluir id={p.id} nome={p.nome} depois="/provedores-llm" />
        </div>
      </div>
      <AbasProvedor id={p.id} atual="detalhes" />
      <ResumosProvedor provedor={p} lista={lista} estatisticas={e} />
      <DisponibilidadeProvedor provedor={p} disponibilidade={d} />
      <FichaProvedor provedor={p} limite={limiteEmVigor(p)} />
      <Link href="/provedores-llm" className="text-sm text-slate-700 underline">
        Voltar para a lista
      </Link>
    </div>
  );
}
