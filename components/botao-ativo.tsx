"use client";

import { useRouter } from "next/navigation";
import { atualizarProvedorAcao } from "@/app/provedores-llm/actions";
import { useAviso } from "./toast";
import { Botao } from "./ui/botao";
import { useAcaoServidor } from "./ui/use-acao-servidor";

/** Turns a provider on or off from the list; busy until the list shows the new state. */
export function BotaoAtivo({ id, nome, ativo }: { id: number; nome: string; ativo: boolean }) {
  const router = useRouter();
  const avisar = useAviso();
  const { executar, pendente } = useAcaoServidor(atualizarProvedorAcao, {
    aoConcluir: (p) => {
      avisar(p.ativo ? `Provedor "${nome}" ativado.` : `Provedor "${nome}" desativado.`);
      router.refresh();
    },
  });
  return (
    <Botao
      variante="secundario"
      forma="texto"
      onClick={() => executar(id, { ativo: !ativo })}
      pendente={pendente}
      textoPendente="…"
      aria-label={`${ativo ? "Desativar" : "Ativar"} ${nome}`}
    >
      {ativo ? "Desativar" : "Ativar"}
    </Botao>
  );
}
