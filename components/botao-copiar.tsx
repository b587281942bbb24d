"use client";

import { useState } from "react";

/** Copies a text to the clipboard and says so for a moment. */
export function BotaoCopiar({ texto, rotulo = "Copiar" }: { texto: string; rotulo?: string }) {
  const [copiado, setCopiado] = useState(false);
  const copiar = async () => {
    await navigator.clipboard.writeText(texto);
    setCopiado(true);
    setTimeout(() => setCopiado(false), 1500);
  };
  return (
    <button
      type="button"
      onClick={copiar}
      className="rounded-md px-2 py-1 text-xs font-medium text-sky-800 ring-1 ring-slate-300 hover:bg-slate-100"
    >
      <span aria-live="polite">{copiado ? "Copiado!" : rotulo}</span>
    </button>
  );
}
