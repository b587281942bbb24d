import type { ListaModelos } from "@/lib/schemas/llm";
import { dataHora } from "../rotulos";
import { Botao } from "../ui/botao";

/** When the list was last read from the server, and the button that reads it again. */
export function BarraAtualizacao({
  atualizadoEm,
  atualizando,
  aoAtualizar,
}: {
  atualizadoEm: ListaModelos["atualizado_em"];
  atualizando: boolean;
  aoAtualizar: () => void;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-600">
        Última atualização: <strong>{atualizadoEm ? dataHora(new Date(atualizadoEm)) : "nunca"}</strong>
      </p>
      <Botao variante="secundario" tamanho="medio" onClick={aoAtualizar} pendente={atualizando} textoPendente="Atualizando…">
        Atualizar lista
      </Botao>
    </div>
  );
}
