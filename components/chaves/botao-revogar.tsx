"use client";

import { useRouter } from "next/navigation";
import { revogarChaveAcao } from "@/app/chaves/actions";
import { BotaoComConfirmacao } from "../botao-com-confirmacao";
import { useAviso } from "../toast";
import { useAcaoServidor } from "../ui/use-acao-servidor";

/** Revokes a key only after an explicit confirmation; the page then shows it revoked. */
export function BotaoRevogar({ id, nome }: { id: number; nome: string }) {
  const router = useRouter();
  const avisar = useAviso();
  const { executar } = useAcaoServidor(revogarChaveAcao, {
    aoConcluir: () => {
      avisar(`Chave "${nome}" revogada.`);
      router.refresh();
    },
  });
  return (
    <BotaoComConfirmacao
      rotulo="Revogar"
      ariaLabel={`Revogar ${nome}`}
      titulo={`Revogar "${nome}"?`}
      texto="Em poucos segundos a chave deixa de abrir qualquer porta, em todas as instâncias do app. Uma chave revogada não volta a valer: para dar acesso de novo, crie outra. As estatísticas dela continuam guardadas."
      confirmar="Revogar chave"
      confirmando="Revogando…"
      aoConfirmar={async () => {
        await executar(id);
      }}
    />
  );
}
