import type { Metadata } from "next";
import Link from "next/link";
import { BadgeEstadoChave } from "@/components/chaves/badge-estado";
import { BotaoRevogar } from "@/components/chaves/botao-revogar";
import { estadoDaChave, prefixoVisivel } from "@/components/chaves/escopo";
import { FichaChave } from "@/components/chaves/ficha-chave";
import { FormularioChave } from "@/components/chaves/formulario-chave";
import { UsoDaChave } from "@/components/chaves/uso-da-chave";
import { dataHora } from "@/components/rotulos";
import { estatisticasDaChave } from "@/lib/estatisticas/consultar-estatisticas-da-chave";
import { PeriodoEstatisticas } from "@/lib/schemas/llm";
import { opcoesDeEscopo } from "../opcoes-de-escopo";
import { raizDoApp } from "../raiz-do-app";
import { chaveDaPagina } from "./chave-da-pagina";

export const metadata: Metadata = { title: "Chave de acesso" };

export default async function PaginaChave({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ periodo?: string }>;
}) {
  const c = await chaveDaPagina(params);
  const periodo = PeriodoEstatisticas.catch("24h").parse((await searchParams).periodo);
  const [provedores, raiz, e] = await Promise.all([opcoesDeEscopo(), raizDoApp(), estatisticasDaChave(c.id, periodo)]);
  const estado = estadoDaChave(c);
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{c.nome}</h1>
        <code className="text-sm text-slate-600">{prefixoVisivel(c.prefixo)}</code>
        <BadgeEstadoChave estado={estado} />
        {c.revogada_em ? null : (
          <div className="ml-auto">
            <BotaoRevogar id={c.id} nome={c.nome} />
          </div>
        )}
      </div>
      {c.revogada_em ? (
        <p role="status" className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-800">
          Esta chave foi revogada em {dataHora(c.revogada_em)}: ela não abre mais nenhuma porta e não pode ser editada. Para dar acesso de
          novo,{" "}
          <Link href="/chaves/nova" className="font-medium underline">
            crie outra chave
          </Link>
          .
        </p>
      ) : null}
      <FichaChave chave={c} provedores={provedores} />
      <UsoDaChave e={e} periodo={periodo} />
      {c.revogada_em ? null : (
        <section aria-labelledby="editar" className="space-y-3">
          <h2 id="editar" className="text-lg font-semibold">
            Editar
          </h2>
          <p className="text-sm text-slate-600">O segredo da chave não muda: para trocá-lo, crie outra chave e revogue esta.</p>
          <FormularioChave modo="editar" chave={c} provedores={provedores} raiz={raiz} />
        </section>
      )}
      <Link href="/chaves" className="text-sm text-slate-700 underline">
        Voltar para a lista
      </Link>
    </div>
  );
}
