"use client";

import { useId, useRef, useState } from "react";
import { Botao } from "./ui/botao";

type Props = {
  /** The button that opens the dialog, and its accessible name. */
  rotulo: string;
  ariaLabel: string;
  titulo: string;
  texto: string;
  /** The confirming button's label, and while it works. */
  confirmar: string;
  confirmando: string;
  /** Resolves when done; the dialog closes then. */
  aoConfirmar: () => Promise<void>;
};

/** A destructive action behind an explicit confirmation in a modal dialog (Esc or "Cancelar" backs out). */
export function BotaoComConfirmacao({ rotulo, ariaLabel, titulo, texto, confirmar, confirmando, aoConfirmar }: Props) {
  const dialogo = useRef<HTMLDialogElement>(null);
  const [pendente, setPendente] = useState(false);
  const idTitulo = useId();

  const executar = async () => {
    setPendente(true);
    try {
      await aoConfirmar();
    } finally {
      setPendente(false);
      dialogo.current?.close();
    }
  };

  return (
    <>
      <Botao variante="perigo" forma="texto" onClick={() => dialogo.current?.showModal()} aria-label={ariaLabel}>
        {rotulo}
      </Botao>
      <dialog
        ref={dialogo}
        aria-labelledby={idTitulo}
        className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-3 p-5">
          <h2 id={idTitulo} className="text-lg font-semibold text-slate-900">
            {titulo}
          </h2>
          <p className="text-sm text-slate-700">{texto}</p>
          <div className="flex justify-end gap-2 pt-2">
            <Botao
              variante="secundario"
              tamanho="medio"
              // A destructive dialog opens on its safe choice (WAI-ARIA dialog pattern).
              autoFocus
              onClick={() => dialogo.current?.close()}
            >
              Cancelar
            </Botao>
            <Botao variante="perigo" tamanho="medio" onClick={executar} pendente={pendente} textoPendente={confirmando}>
              {confirmar}
            </Botao>
          </div>
        </div>
      </dialog>
    </>
  );
}
