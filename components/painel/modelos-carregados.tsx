"use client";

import { useEffect, useState } from "react";
import { ouvirMonitor } from "../monitor-ao-vivo";

/** The server's loaded models as chips, from the cache, then as the monitor's checks see them load and unload. */
export function ModelosCarregados({ id, inicial }: { id: number; inicial: string[] }) {
  const [carregados, setCarregados] = useState(inicial);
  useEffect(
    () =>
      ouvirMonitor({
        modelos: (e) => {
          if (e.provedor_id === id) setCarregados([...e.carregados].sort());
        },
      }),
    [id],
  );
  if (!carregados.length) return <p className="text-xs text-slate-500">Nenhum modelo carregado.</p>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Modelos carregados">
      {carregados.map((m) => (
        <li
          key={m}
          className="max-w-full truncate rounded-full bg-emerald-50 px-2 py-0.5 font-mono text-xs text-emerald-900 ring-1 ring-inset ring-emerald-300"
          title={m}
          data-modelo-carregado={m}
        >
          {m}
        </li>
      ))}
    </ul>
  );
}
