"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { cancelarDownloadAcao, iniciarDownloadAcao } from "@/app/provedores-llm/actions";
import type { DownloadModelo } from "@/lib/schemas/llm";
import { useAviso } from "../toast";
import { useAcaoServidor } from "../ui/use-acao-servidor";

/**
 * A provider's downloads, newest first, each running one followed live over SSE. Downloads run in the app:
 * leaving the page closes the streams, not the downloads.
 */
export function useDownloads(id: number, iniciais: DownloadModelo[], aoConcluir: () => void) {
  const [downloads, setDownloads] = useState(iniciais);
  const fontes = useRef(new Map<string, EventSource>());
  const avisar = useAviso();

  const atualizar = useCallback((d: DownloadModelo) => setDownloads((atual) => [d, ...atual.filter((x) => x.id !== d.id)]), []);

  const seguir = useCallback(
    (d: DownloadModelo) => {
      if (d.estado !== "baixando" || fontes.current.has(d.id)) return;
      const fonte = new EventSource(`/api/provedores-llm/${id}/modelos/downloads/${d.id}/eventos`);
      fontes.current.set(d.id, fonte);
      fonte.addEventListener("progresso", (e) => atualizar(JSON.parse((e as MessageEvent<string>).data) as DownloadModelo));
      fonte.addEventListener("fim", (e) => {
        const fim = JSON.parse((e as MessageEvent<string>).data) as DownloadModelo;
        atualizar(fim);
        fonte.close();
        fontes.current.delete(d.id);
        if (fim.estado === "concluido") {
          avisar(`Modelo "${fim.modelo}" baixado.`);
          aoConcluir();
        } else if (fim.estado === "falhou") avisar(`O download de "${fim.modelo}" falhou: ${fim.erro ?? ""}`, "erro");
      });
    },
    [id, atualizar, aoConcluir, avisar],
  );

  // Downloads already running when the page opened (started here or elsewhere) are followed too.
  useEffect(() => {
    for (const d of iniciais) seguir(d);
  }, [iniciais, seguir]);
  useEffect(() => {
    const abertas = fontes.current;
    return () => {
      for (const f of abertas.values()) f.close();
      abertas.clear();
    };
  }, []);

  const inicio = useAcaoServidor(iniciarDownloadAcao, {
    aoConcluir: (d) => {
      atualizar(d);
      seguir(d);
    },
  });
  const cancelamento = useAcaoServidor(cancelarDownloadAcao, { emParalelo: true, aoConcluir: atualizar });

  /** Starts (or joins) a download; true when it started. */
  const iniciar = async (modelo: string) => (await inicio.executar(id, { modelo })) !== undefined;
  const cancelar = (d: DownloadModelo) => void cancelamento.executar(id, d.id);

  return { downloads, iniciar, iniciando: inicio.pendente, cancelar };
}
