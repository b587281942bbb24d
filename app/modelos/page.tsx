import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { CatalogoAoVivo } from "@/components/catalogo/catalogo-ao-vivo";
import { FiltrosCatalogo, type FiltrosDaPagina } from "@/components/catalogo/filtros-catalogo";
import { TabelaCatalogo } from "@/components/catalogo/tabela-catalogo";
import { DescobrirServidores } from "@/components/descobrir-servidores";
import { classeBotao } from "@/components/ui/botao";
import { listarCatalogo } from "@/lib/catalogo";
import { comoErroApp } from "@/lib/errors";
import type { CatalogoDeModelos } from "@/lib/schemas/catalogo";

export const metadata: Metadata = { title: "Modelos" };

export default async function PaginaCatalogo({ searchParams }: { searchParams: Promise<FiltrosDaPagina> }) {
  await connection();
  const brutos = await searchParams;
  const filtros = Object.fromEntries(Object.entries(brutos).filter(([, v]) => typeof v === "string" && v)) as FiltrosDaPagina;
  const filtrando = Object.keys(filtros).length > 0;
  let catalogo: CatalogoDeModelos | null = null;
  let erroFiltro: string | null = null;
  try {
    catalogo = await listarCatalogo(filtros);
  } catch (e) {
    erroFiltro = comoErroApp(e).message;
  }

  return (
    <div className="space-y-6">
      <CatalogoAoVivo />
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">Modelos</h1>
        <p className="text-sm text-slate-600">
          Todo modelo de todo servidor ativo, da lista em cache de cada um (nenhum servidor é consultado). Use o id sem prefixo para o app
          escolher o servidor, ou o id fixo (<code>servidor/modelo</code>) para um só.
        </p>
      </div>
      {catalogo?.servidores_ativos === 0 ? (
        <div className="space-y-4 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
          <h2 className="text-lg font-semibold">Nenhum servidor ativo</h2>
          <p className="mx-auto max-w-prose text-sm text-slate-600">
            Cadastre um servidor LLM (ou procure os que rodam nesta máquina) para ver aqui os modelos de cada um.
          </p>
          <Link href="/provedores-llm/novo" className={`inline-block ${classeBotao()}`}>
            Novo provedor
          </Link>
          <DescobrirServidores />
        </div>
      ) : (
        <>
          <FiltrosCatalogo filtros={filtros} filtrando={filtrando} />
          {erroFiltro ? (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
              {erroFiltro}
            </p>
          ) : null}
          {catalogo && catalogo.total_modelos === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
              Nenhum modelo em cache. Teste a conexão de cada servidor (botão &quot;Testar&quot; na{" "}
              <Link href="/provedores-llm" className="underline">
                lista de provedores
              </Link>
              ) para carregar a lista de modelos.
            </p>
          ) : null}
          {catalogo && catalogo.total_modelos > 0 && catalogo.modelos.length === 0 ? (
            <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
              Nenhum modelo corresponde aos filtros.
            </p>
          ) : null}
          {catalogo && catalogo.modelos.length > 0 ? (
            <>
              <p className="text-sm text-slate-600">
                {catalogo.modelos.length} de {catalogo.total_modelos} modelo(s) em {catalogo.servidores_ativos} servidor(es) ativo(s).
              </p>
              <TabelaCatalogo modelos={catalogo.modelos} />
            </>
          ) : null}
        </>
      )}
    </div>
  );
}
