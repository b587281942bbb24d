import type { Metadata } from "next";
import { FormularioChave } from "@/components/chaves/formulario-chave";
import { opcoesDeEscopo } from "../opcoes-de-escopo";
import { raizDoApp } from "../raiz-do-app";

export const metadata: Metadata = { title: "Nova chave" };

export default async function PaginaNovaChave() {
  const [provedores, raiz] = await Promise.all([opcoesDeEscopo(), raizDoApp()]);
  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Nova chave</h1>
        <p className="mt-1 text-sm text-slate-600">
          Dê um nome a quem vai usá-la e, se quiser, restrinja o que ela alcança e quanto pode usar. A chave é mostrada uma vez, ao criar.
        </p>
      </div>
      <FormularioChave modo="criar" provedores={provedores} raiz={raiz} />
    </div>
  );
}
