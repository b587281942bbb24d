"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { atualizarModelosAcao, modelosEmCacheAcao } from "@/app/provedores-llm/actions";
import type { AcaoModeloGerenciada, ListaModelos } from "@/lib/schemas/llm";
import { ouvirMonitor } from "../monitor-ao-vivo";
import { useAviso } from "../toast";
import { useAcaoServidor } from "../ui/use-acao-servidor";
import { gerenciarModeloPelaApi } from "./gerenciar-modelo-pela-api";

const FEITO: Record<AcaoModeloGerenciada, string> = { carregar: "carregado", descarregar: "descarregado", excluir: "excluído" };

/** The model being loaded, unloaded or deleted, and which of those. */
export type ModeloOcupado = { modelo: string; acao: AcaoModeloGerenciada };

/**
 * A provider's model list as the page shows it: asked of the server on request, changed by load/unload/delete,
 * and reread from the cache when a download ends or the monitor sees the server change its models.
 */
export function useModelosDoProvedor(id: number, inicial: ListaModelos) {
  const [lista, setLista] = useState(inicial);
  const [ocupado, setOcupado] = useState<ModeloOcupado | null>(null);
  const router = useRouter();
  const avisar = useAviso();

  const atualizacao = useAcaoServidor(atualizarModelosAcao, {
    aoConcluir: (nova) => {
      setLista(nova);
      if (nova.erro) avisar(`Não foi possível atualizar: ${nova.erro.mensagem}`, "erro");
      else avisar(`Lista atualizada: ${nova.modelos.length} modelo(s).`);
      router.refresh();
    },
  });
  const gestao = useAcaoServidor(gerenciarModeloPelaApi, {
    aoConcluir: (nova, _id, acao, { modelo }) => {
      setLista(nova);
      avisar(`Modelo "${modelo}" ${FEITO[acao]}.`);
      router.refresh();
    },
  });
  // A reread that fails keeps what the page shows: there is nothing the user asked for to report.
  const { executar: lerCache } = useAcaoServidor(modelosEmCacheAcao, {
    mostrarErro: "nenhum",
    emParalelo: true,
    aoConcluir: setLista,
  });

  const atualizar = () => atualizacao.executar(id);
  const gerenciar = async (acao: AcaoModeloGerenciada, modelo: string) => {
    setOcupado({ modelo, acao });
    await gestao.executar(id, acao, { modelo });
    setOcupado(null);
  };
  // A finished download has refreshed the cache already: read it.
  const recarregar = useCallback(() => void lerCache(id), [id, lerCache]);

  // The monitor saw the server load or unload a model (another client, Ollama's keep_alive running out): reread.
  useEffect(
    () =>
      ouvirMonitor({
        modelos: (e) => {
          if (e.provedor_id === id) recarregar();
        },
      }),
    [id, recarregar],
  );

  return { lista, atualizar, atualizando: atualizacao.pendente, gerenciar, ocupado, recarregar };
}
