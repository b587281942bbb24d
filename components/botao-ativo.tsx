"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { atualizarProvedorAcao } from "@/app/provedores-llm/actions";
import { useAviso } from "./toast";

export function BotaoAtivo({ id, nome, ativo }: { id: number; nome: string; ativo: boolean }) {
  const [pendente, iniciar] = useTransition();
  const router = useRouter();
  const avisar = useAviso();
  const alternar = () =>
    iniciar(async () => {
      const r = await atualizarProvedorAcao(id, { ativo: !ativo });
      if (!r.ok) return avisar(r.mensagem, "erro");
      avisar(r.dados.ativo ? `Provedor "${nome}" ativado.` : `Provedor "${nome}" desativado.`);
      router.refresh();
    });
  return (
    <button
      type="button"
      onClick={alternar}
      disabled={pendente}
      aria-label={`${ativo ? "Desativar" : "Ativar"} ${nome}`}
      className="rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-600 disabled:opacity-60"
    >
      {pendente ? "…" : ativo ? "Desativar" : "Ativar"}
    </button>
  );
}
