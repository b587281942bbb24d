"use client";

import { type KeyboardEvent, type ReactNode, useId, useRef, useState } from "react";

export type Aba = { id: string; rotulo: string; conteudo: ReactNode };

/**
 * Tabs as the WAI-ARIA pattern has them: one tab in the page's tab order (the selected one), arrows, Home and
 * End move between tabs and select them; every panel is rendered, the others hidden.
 */
export function Abas({ rotulo, abas }: { rotulo: string; abas: Aba[] }) {
  const [atual, setAtual] = useState(0);
  const prefixo = useId();
  const botoes = useRef<(HTMLButtonElement | null)[]>([]);
  const ir = (i: number) => {
    const n = (i + abas.length) % abas.length;
    setAtual(n);
    botoes.current[n]?.focus();
  };
  const teclas = (e: KeyboardEvent) => {
    const destino = { ArrowRight: atual + 1, ArrowLeft: atual - 1, Home: 0, End: abas.length - 1 }[e.key];
    if (destino === undefined) return;
    e.preventDefault();
    ir(destino);
  };
  return (
    <div className="space-y-3">
      <div role="tablist" aria-label={rotulo} className="flex flex-wrap gap-1 border-b border-slate-200" onKeyDown={teclas}>
        {abas.map((a, i) => (
          <button
            key={a.id}
            ref={(b) => {
              botoes.current[i] = b;
            }}
            type="button"
            role="tab"
            id={`${prefixo}-aba-${a.id}`}
            aria-controls={`${prefixo}-painel-${a.id}`}
            aria-selected={i === atual}
            tabIndex={i === atual ? 0 : -1}
            onClick={() => setAtual(i)}
            className={`-mb-px rounded-t-md border px-3 py-1.5 text-sm ${
              i === atual
                ? "border-slate-200 border-b-white bg-white font-semibold text-sky-800"
                : "border-transparent text-slate-700 hover:bg-slate-100"
            }`}
          >
            {a.rotulo}
          </button>
        ))}
      </div>
      {abas.map((a, i) => (
        <div
          key={a.id}
          role="tabpanel"
          id={`${prefixo}-painel-${a.id}`}
          aria-labelledby={`${prefixo}-aba-${a.id}`}
          hidden={i !== atual}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the pattern puts the panel in the tab order
          tabIndex={0}
          className="space-y-3"
        >
          {a.conteudo}
        </div>
      ))}
    </div>
  );
}
