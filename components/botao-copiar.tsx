"use client";

import { useState } from "react";

/** Copies a text to the clipboard and says so for a moment; `rotuloAcessivel` names it among several (what it copies). */
export function BotaoCopiar({ texto, rotulo = "Copiar", rotuloAcessivel }: { texto: string; rotulo?: string; rotuloAcessivel?: string }) {
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
      aria-label={rotuloAcessivel}
      data-texto={texto}
      className="rounded-md px-2 py-1 text-xs font-medium text-sky-800 ring-1 ring-slate-300 hover:bg-slate-100"
    >
      <span aria-live="polite">{copiado ? "Copiado!" : rotulo}</span>
    </button>
  );
}
