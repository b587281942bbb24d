"use client";

import { useId, useRef, useState } from "react";

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
      <button
        type="button"
        onClick={() => dialogo.current?.showModal()}
        className="rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-600"
        aria-label={ariaLabel}
      >
        {rotulo}
      </button>
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
            <button
              type="button"
              // biome-ignore lint/a11y/noAutofocus: a destructive dialog opens on its safe choice (WAI-ARIA dialog pattern).
              autoFocus
              onClick={() => dialogo.current?.close()}
              className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Cancelar
            </button>
            <button
              type="button"
              onClick={executar}
              disabled={pendente}
              className="rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60"
            >
              {pendente ? confirmando : confirmar}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
