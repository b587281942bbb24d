"use client";

import { useRouter } from "next/navigation";
import { excluirProvedorAcao } from "@/app/provedores-llm/actions";
import { BotaoComConfirmacao } from "./botao-com-confirmacao";
import { useAviso } from "./toast";
import { useAcaoServidor } from "./ui/use-acao-servidor";

/** Deletes a provider only after an explicit confirmation. */
export function BotaoExcluir({ id, nome, depois }: { id: number; nome: string; depois?: string }) {
  const router = useRouter();
  const avisar = useAviso();
  const { executar } = useAcaoServidor(excluirProvedorAcao, {
    aoConcluir: () => {
      avisar(`Provedor "${nome}" excluído.`);
      if (depois) router.push(depois);
      router.refresh();
    },
  });

  return (
    <BotaoComConfirmacao
      rotulo="Excluir"
      ariaLabel={`Excluir ${nome}`}
      titulo={`Excluir "${nome}"?`}
      texto="O provedor, os modelos em cache e as estatísticas dele serão apagados. Isso não pode ser desfeito."
      confirmar="Excluir provedor"
      confirmando="Excluindo…"
      aoConfirmar={async () => {
        await executar(id);
      }}
    />
  );
}
