import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { DescobrirServidores } from "@/components/descobrir-servidores";
import { CartaoServidor } from "@/components/painel/cartao-servidor";
import { SemTrafego } from "@/components/painel/sem-trafego";
import { TotaisDoPainel } from "@/components/painel/totais-do-painel";
import { SemProvedores } from "@/components/provedores-lista/sem-provedores";
import { classeBotao } from "@/components/ui/botao";
import { obterPainel } from "@/lib/painel/consultar-painel";

export const metadata: Metadata = { title: "Painel" };

/** The landing page: every server at a glance, from the database and the monitor only (no server is asked). */
export default async function PaginaPainel() {
  await connection();
  const painel = await obterPainel();
  const semServidores = painel.servidores.length === 0;
  const semTrafego = !semServidores && painel.servidores.every((s) => s.requisicoes_24h === 0);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Painel</h1>
        <div className="flex flex-wrap items-center gap-3">
          <Link href="/provedores-llm" className="text-sm text-slate-700 underline hover:text-slate-900">
            Lista de provedores
          </Link>
          <Link href="/provedores-llm/novo" className={classeBotao()}>
            Novo provedor
          </Link>
        </div>
      </div>
      {semServidores ? (
        <>
          <DescobrirServidores />
          <SemProvedores filtrando={false} />
        </>
      ) : (
        <>
          <TotaisDoPainel painel={painel} />
          {semTrafego ? <SemTrafego /> : null}
          <ul className="grid gap-4 sm:grid-cols-2" aria-label="Servidores">
            {painel.servidores.map((s) => (
              <CartaoServidor key={s.id} s={s} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
