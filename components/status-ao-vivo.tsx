"use client";

import { useEffect, useState } from "react";
import { testarConexaoAcao } from "@/app/provedores-llm/actions";
import type { StatusProvedor } from "@/db/schema";
import { statusDoTeste } from "@/lib/provedores/status";
import { BadgeStatus } from "./badge-status";

/** The stored status at first, then what a fresh connection test says; inactive providers are not probed. */
export function StatusAoVivo({ id, inicial, ativo }: { id: number; inicial: StatusProvedor; ativo: boolean }) {
  const [status, setStatus] = useState<StatusProvedor>(inicial);
  const [verificando, setVerificando] = useState(ativo);
  const [motivo, setMotivo] = useState<string | null>(null);

  useEffect(() => {
    if (!ativo) return;
    let vivo = true;
    testarConexaoAcao(id).then((r) => {
      if (!vivo) return;
      setVerificando(false);
      if (!r.ok) return;
      setStatus(statusDoTeste(r.dados.sucesso, r.dados.erro?.codigo));
      setMotivo(r.dados.sucesso ? `${r.dados.latencia_ms} ms` : r.dados.mensagem);
    });
    return () => {
      vivo = false;
    };
  }, [id, ativo]);

  return (
    <span className="inline-flex items-center gap-1" title={motivo ?? undefined} data-status={verificando ? "verificando" : status}>
      <BadgeStatus status={status} />
      {verificando ? <span className="text-xs text-slate-500">verificando…</span> : null}
    </span>
  );
}
