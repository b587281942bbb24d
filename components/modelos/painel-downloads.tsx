"use client";

import type { TipoProvedor } from "@/lib/schemas/tipo-e-status";
import type { AcoesModelos } from "@/lib/adapters";
import type { DownloadModelo } from "@/lib/schemas/llm";
import { FormularioDownload } from "./formulario-download";
import { ItemDownload } from "./item-download";
import { useDownloads } from "./use-downloads";

type Props = {
  id: number;
  tipo: TipoProvedor;
  acoes: AcoesModelos;
  iniciais: DownloadModelo[];
  /** A download finished: the model list has changed. */
  aoConcluir: () => void;
};

/**
 * "Baixar modelo": a name, then each download with its bar, bytes, speed and time left (per layer where the
 * server reports layers), followed live over SSE. Downloads run in the app: leaving the page does not stop them.
 */
export function PainelDownloads({ id, tipo, acoes, iniciais, aoConcluir }: Props) {
  const { downloads, iniciar, iniciando, cancelar } = useDownloads(id, iniciais, aoConcluir);
  if (!acoes.baixar) return null;
  return (
    <section aria-labelledby="baixar-modelo" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="baixar-modelo" className="text-lg font-semibold">
        Baixar modelo
      </h2>
      <FormularioDownload tipo={tipo} iniciando={iniciando} aoIniciar={iniciar} />
      {downloads.length ? (
        <ul className="space-y-3" aria-label="Downloads">
          {downloads.map((d) => (
            <ItemDownload key={d.id} download={d} podeCancelar={acoes.cancelar_download} aoCancelar={() => cancelar(d)} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}
