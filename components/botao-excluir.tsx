"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { excluirProvedorAcao } from "@/app/provedores-llm/actions";
import { useAviso } from "./toast";

/** Deletes only after an explicit confirmation in a modal dialog (Esc or "Cancelar" backs out). */
export function BotaoExcluir({ id, nome, depois }: { id: number; nome: string; depois?: string }) {
  const dialogo = useRef<HTMLDialogElement>(null);
  const [pendente, setPendente] = useState(false);
  const router = useRouter();
  const avisar = useAviso();

  const confirmar = async () => {
    setPendente(true);
    const r = await excluirProvedorAcao(id);
    setPendente(false);
    dialogo.current?.close();
    if (!r.ok) {
      avisar(r.mensagem, "erro");
      return;
    }
    avisar(`Provedor "${nome}" excluído.`);
    if (depois) router.push(depois);
    router.refresh();
  };

  return (
    <>
      <button
        type="button"
        onClick={() => dialogo.current?.showModal()}
        className="rounded-md px-2 py-1 text-sm font-medium text-red-700 hover:bg-red-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-600"
        aria-label={`Excluir ${nome}`}
      >
        Excluir
      </button>
      <dialog
        ref={dialogo}
        aria-labelledby={`excluir-${id}-titulo`}
        className="m-auto w-[min(28rem,calc(100%-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="space-y-3 p-5">
          <h2 id={`excluir-${id}-titulo`} className="text-lg font-semibold text-slate-900">
            Excluir &quot;{nome}&quot;?
          </h2>
          <p className="text-sm text-slate-700">
            O provedor, os modelos em cache e as estatísticas dele serão apagados. Isso não pode ser desfeito.
          </p>
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
              onClick={confirmar}
              disabled={pendente}
              className="rounded-md bg-red-700 px-3 py-2 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60"
            >
              {pendente ? "Excluindo…" : "Excluir provedor"}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
