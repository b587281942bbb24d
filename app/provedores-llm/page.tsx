import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { DescobrirServidores } from "@/components/descobrir-servidores";
import { type Filtros, FiltrosProvedores } from "@/components/provedores-lista/filtros-provedores";
import { LinhaProvedor } from "@/components/provedores-lista/linha-provedor";
import { SemProvedores } from "@/components/provedores-lista/sem-provedores";
import { classeBotao } from "@/components/ui/botao";
import { comoErroApp } from "@/lib/errors";
import { listarProvedores } from "@/lib/provedores";
import type { ProvedorLLM } from "@/lib/schemas/provedor";

export const metadata: Metadata = { title: "Provedores" };

export default async function PaginaProvedores({ searchParams }: { searchParams: Promise<Filtros> }) {
  await connection();
  const filtros = await searchParams;
  const filtrando = Boolean(filtros.tipo || filtros.ativo || filtros.busca);
  let provedores: ProvedorLLM[] = [];
  let erroFiltro: string | null = null;
  try {
    provedores = await listarProvedores(Object.fromEntries(Object.entries(filtros).filter(([, v]) => v)));
  } catch (e) {
    erroFiltro = comoErroApp(e).message;
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Provedores</h1>
        <Link href="/provedores-llm/novo" className={classeBotao()}>
          Novo provedor
        </Link>
      </div>
      <DescobrirServidores />
      <FiltrosProvedores filtros={filtros} filtrando={filtrando} />
      {erroFiltro ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {erroFiltro}
        </p>
      ) : null}
      {!erroFiltro && provedores.length === 0 ? <SemProvedores filtrando={filtrando} /> : null}
      {provedores.length > 0 ? (
        <ul
          className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white"
          aria-label="Provedores cadastrados"
        >
          {provedores.map((p) => (
            <LinhaProvedor key={p.id} provedor={p} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
