"use client";

import { useRouter } from "next/navigation";
import { BotaoComConfirmacao } from "../botao-com-confirmacao";
import { useAviso } from "../toast";
import { cancelarOuExcluirPelaApi } from "./api-benchmarks";

/** Deletes a finished run, after a confirmation; `depois` is where to go once it is gone (its own page leaves). */
export function BotaoExcluirBenchmark({ provedorId, bid, depois }: { provedorId: number; bid: number; depois?: string }) {
  const router = useRouter();
  const avisar = useAviso();
  return (
    <BotaoComConfirmacao
      rotulo="Excluir"
      ariaLabel={`Excluir a execução #${bid}`}
      titulo={`Excluir a execução #${bid}?`}
      texto="As medidas desta execução serão apagadas. Isso não pode ser desfeito."
      confirmar="Excluir execução"
      confirmando="Excluindo…"
      aoConfirmar={async () => {
        const r = await cancelarOuExcluirPelaApi(provedorId, bid);
        if (!r.ok) return avisar(r.mensagem, "erro");
        avisar(`Execução #${bid} excluída.`);
        if (depois) router.push(depois);
        router.refresh();
      }}
    />
  );
}
