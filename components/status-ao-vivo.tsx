"use client";

import { useEffect, useState } from "react";
import type { StatusProvedor } from "@/db/schema";
import type { EventoMonitor } from "@/lib/monitor/eventos";
import { BadgeStatus } from "./badge-status";

type Situacao = { status: StatusProvedor; motivo: string | null };
type Ouvinte = (s: Situacao) => void;

// One connection to the monitor per tab, shared by every badge on the page; closed when the last one leaves.
let fonte: EventSource | null = null;
const ouvintes = new Map<number, Set<Ouvinte>>();

function avisar(id: number, s: Situacao) {
  for (const ouvir of ouvintes.get(id) ?? []) ouvir(s);
}

function assinar(id: number, ouvir: Ouvinte): () => void {
  const lista = ouvintes.get(id) ?? new Set<Ouvinte>();
  lista.add(ouvir);
  ouvintes.set(id, lista);
  if (!fonte) {
    fonte = new EventSource("/api/provedores-llm/eventos");
    // On connecting (and reconnecting) the stream starts with everyone's status: nothing missed stays stale.
    fonte.addEventListener("estado", (e) => {
      const { provedores } = JSON.parse((e as MessageEvent<string>).data) as {
        provedores: { provedor_id: number; status: StatusProvedor }[];
      };
      for (const p of provedores) avisar(p.provedor_id, { status: p.status, motivo: null });
    });
    fonte.addEventListener("status", (e) => {
      const evento = JSON.parse((e as MessageEvent<string>).data) as Extract<EventoMonitor, { tipo: "status" }>;
      avisar(evento.provedor_id, { status: evento.status, motivo: evento.motivo });
    });
  }
  return () => {
    lista.delete(ouvir);
    if (!lista.size) ouvintes.delete(id);
    if (!ouvintes.size) {
      fonte?.close();
      fonte = null;
    }
  };
}

/**
 * A provider's status as the background monitor sees it, live (SSE): the page never probes the server
 * itself. The reason of the last change shows on hover.
 */
export function StatusAoVivo({ id, inicial }: { id: number; inicial: StatusProvedor }) {
  const [situacao, setSituacao] = useState<Situacao>({ status: inicial, motivo: null });
  useEffect(
    () =>
      assinar(id, (s) =>
        setSituacao((atual) => ({ status: s.status, motivo: s.motivo ?? (s.status === atual.status ? atual.motivo : null) })),
      ),
    [id],
  );
  return (
    <span className="inline-flex items-center gap-1" title={situacao.motivo ?? undefined} data-status={situacao.status}>
      <BadgeStatus status={situacao.status} />
    </span>
  );
}
