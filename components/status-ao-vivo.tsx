"use client";

import { useEffect, useState } from "react";
import type { StatusProvedor } from "@/lib/schemas/tipo-e-status";
import { BadgeStatus } from "./badge-status";
import { ouvirMonitor } from "./monitor-ao-vivo";

type Situacao = { status: StatusProvedor; motivo: string | null };

/**
 * A provider's status as the background monitor sees it, live (SSE): the page never probes the server
 * itself. The reason of the last change shows on hover.
 */
export function StatusAoVivo({ id, inicial }: { id: number; inicial: StatusProvedor }) {
  const [situacao, setSituacao] = useState<Situacao>({ status: inicial, motivo: null });
  useEffect(
    () =>
      ouvirMonitor({
        // The snapshot carries no reason: a reason already shown stays while the status is the same.
        estado: (provedores) => {
          const meu = provedores.find((p) => p.provedor_id === id);
          if (meu) setSituacao((atual) => ({ status: meu.status, motivo: meu.status === atual.status ? atual.motivo : null }));
        },
        status: (e) => {
          if (e.provedor_id === id) setSituacao({ status: e.status, motivo: e.motivo });
        },
      }),
    [id],
  );
  return (
    <span className="inline-flex items-center gap-1" title={situacao.motivo ?? undefined} data-status={situacao.status}>
      <BadgeStatus status={situacao.status} />
    </span>
  );
}
