"use client";

import { useEffect, useState } from "react";
import type { EventoMonitor } from "@/lib/saude/eventos";
import { inteiro } from "./formatos";
import { ouvirMonitor } from "./monitor-ao-vivo";

type Fila = Pick<Extract<EventoMonitor, { tipo: "fila" }>, "em_voo" | "na_fila" | "limite" | "fila_max" | "por_modelo">;

const DESTA_INSTANCIA =
  "Contagem desta instância do app: com várias instâncias no mesmo banco, cada uma tem a sua fila e mostra só a dela.";

/** The provider's queue in this instance, live (SSE); null until the stream says (no request reached it yet: nothing running). */
function useFila(id: number): Fila | null {
  const [fila, setFila] = useState<Fila | null>(null);
  useEffect(
    () =>
      ouvirMonitor({
        fila: (e) => {
          if (e.provedor_id === id) setFila(e);
        },
      }),
    [id],
  );
  return fila;
}

/** The limit and the queue's length, for a tooltip. */
function detalhes(f: Fila | null): string {
  if (!f) return "";
  const limite =
    f.limite === null
      ? "Sem limite de requisições ao mesmo tempo."
      : `Limite de ${inteiro(f.limite)} ao mesmo tempo${f.por_modelo ? " por modelo carregado" : ""}.`;
  return ` ${limite} Fila de até ${inteiro(f.fila_max)} requisições.`;
}

/** "Em andamento 2/4 · Na fila 3": the provider's requests running and waiting, on its pages. */
export function FilaAoVivo({ id }: { id: number }) {
  const f = useFila(id);
  const emVoo = f?.em_voo ?? 0;
  const limite = f?.limite ?? null;
  return (
    <span
      className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700"
      title={`${DESTA_INSTANCIA}${detalhes(f)}`}
      data-fila-ao-vivo={id}
    >
      <span data-em-andamento={emVoo}>
        Em andamento {inteiro(emVoo)}
        {limite === null ? "" : `/${inteiro(limite)}`}
      </span>
      <span aria-hidden="true">·</span>
      <span data-na-fila={f?.na_fila ?? 0}>Na fila {inteiro(f?.na_fila ?? 0)}</span>
    </span>
  );
}

/** A small gauge for the list: in flight over the limit, and how many wait. */
export function MedidorFila({ id }: { id: number }) {
  const f = useFila(id);
  const emVoo = f?.em_voo ?? 0;
  const naFila = f?.na_fila ?? 0;
  const limite = f?.limite ?? null;
  const ocupado = limite ? Math.min(1, emVoo / limite) : emVoo ? 1 : 0;
  const texto = `Em andamento ${inteiro(emVoo)}${limite === null ? "" : `/${inteiro(limite)}`} · Na fila ${inteiro(naFila)}`;
  return (
    <span
      className="inline-flex items-center gap-1 text-xs text-slate-600"
      title={`${texto}. ${DESTA_INSTANCIA}${detalhes(f)}`}
      data-medidor-fila={id}
    >
      <span className="sr-only">{texto}</span>
      <span className="inline-block h-1.5 w-10 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <span className={`block h-full ${naFila ? "bg-amber-500" : "bg-sky-600"}`} style={{ width: `${Math.round(ocupado * 100)}%` }} />
      </span>
      <span aria-hidden="true">
        {inteiro(emVoo)}
        {limite === null ? "" : `/${inteiro(limite)}`}
        {naFila ? ` +${inteiro(naFila)}` : ""}
      </span>
    </span>
  );
}
