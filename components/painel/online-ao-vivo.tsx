"use client";

import { useEffect, useState } from "react";
import type { StatusProvedor } from "@/lib/schemas/tipo-e-status";
import { inteiro } from "../formatos";
import { ouvirMonitor } from "../monitor-ao-vivo";

/** "3/4": the servers online over those registered, following the monitor's stream as the cards' badges do. */
export function ServidoresOnline({ inicial }: { inicial: { id: number; status: StatusProvedor }[] }) {
  const [status, setStatus] = useState(() => new Map(inicial.map((s) => [s.id, s.status])));
  useEffect(
    () =>
      ouvirMonitor({
        estado: (provedores) =>
          setStatus((atual) => {
            const novo = new Map(atual);
            for (const p of provedores) if (novo.has(p.provedor_id)) novo.set(p.provedor_id, p.status);
            return novo;
          }),
        status: (e) => setStatus((atual) => (atual.has(e.provedor_id) ? new Map(atual).set(e.provedor_id, e.status) : atual)),
      }),
    [],
  );
  const online = [...status.values()].filter((s) => s === "online").length;
  return (
    <span data-servidores-online={online}>
      {inteiro(online)}/{inteiro(status.size)}
    </span>
  );
}
