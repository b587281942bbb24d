"use client";

import type { EventoMonitor } from "@/lib/saude/eventos";
import type { StatusProvedor } from "@/lib/schemas/tipo-e-status";

/** What the monitor's stream says (GET /api/provedores-llm/eventos), as each component wants to hear it. */
export type OuvinteMonitor = {
  /** Everyone's status, on connecting and on every reconnection (nothing missed stays stale). */
  estado?: (provedores: { provedor_id: number; status: StatusProvedor }[]) => void;
  status?: (e: Extract<EventoMonitor, { tipo: "status" }>) => void;
  modelos?: (e: Extract<EventoMonitor, { tipo: "modelos" }>) => void;
  /** A queue of this instance: its state at connect, then each change. */
  fila?: (e: Extract<EventoMonitor, { tipo: "fila" }>) => void;
};

// One connection per tab, shared by every component on the page; closed when the last one leaves.
let fonte: EventSource | null = null;
const ouvintes = new Set<OuvinteMonitor>();
/** The last state of each queue heard on this connection: a component that joins later starts from it. */
const filas = new Map<number, Extract<EventoMonitor, { tipo: "fila" }>>();

function dados<T>(e: Event): T {
  return JSON.parse((e as MessageEvent<string>).data) as T;
}

export function ouvirMonitor(ouvinte: OuvinteMonitor): () => void {
  ouvintes.add(ouvinte);
  if (!fonte) {
    fonte = new EventSource("/api/provedores-llm/eventos");
    fonte.addEventListener("estado", (e) => {
      const { provedores } = dados<{ provedores: { provedor_id: number; status: StatusProvedor }[] }>(e);
      for (const o of ouvintes) o.estado?.(provedores);
    });
    fonte.addEventListener("status", (e) => {
      const evento = dados<Extract<EventoMonitor, { tipo: "status" }>>(e);
      for (const o of ouvintes) o.status?.(evento);
    });
    fonte.addEventListener("modelos", (e) => {
      const evento = dados<Extract<EventoMonitor, { tipo: "modelos" }>>(e);
      for (const o of ouvintes) o.modelos?.(evento);
    });
    fonte.addEventListener("fila", (e) => {
      const evento = dados<Extract<EventoMonitor, { tipo: "fila" }>>(e);
      filas.set(evento.provedor_id, evento);
      for (const o of ouvintes) o.fila?.(evento);
    });
  } else if (ouvinte.fila) {
    for (const evento of filas.values()) ouvinte.fila(evento);
  }
  return () => {
    ouvintes.delete(ouvinte);
    if (!ouvintes.size) {
      fonte?.close();
      fonte = null;
      filas.clear();
    }
  };
}
