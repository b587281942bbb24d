"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { ErroNoLugar } from "../ui/erro-no-lugar";
import { BadgeEstadoBenchmark } from "./badge-estado-benchmark";
import { FichaServidor } from "./ficha-servidor";
import { GraficosBenchmark } from "./graficos-benchmark";
import { ProgressoBenchmark } from "./progresso-benchmark";
import { resumoDoPerfil } from "./rotulos-benchmark";
import { TabelaCelulas } from "./tabela-celulas";
import { useBenchmarkAoVivo } from "./use-benchmark-ao-vivo";

/**
 * One run, live while it runs: its state, progress, server, charts and cells. Once it ends the page refreshes (the
 * history) and `aoTerminar` hears the final state.
 */
export function VisaoBenchmark({ inicial, aoTerminar: avisar }: { inicial: Benchmark; aoTerminar?: (b: Benchmark) => void }) {
  const router = useRouter();
  const aoTerminar = useCallback(
    (b: Benchmark) => {
      avisar?.(b);
      router.refresh();
    },
    [router, avisar],
  );
  const { b, semAcompanhamento, apagada } = useBenchmarkAoVivo(inicial, aoTerminar);
  return (
    <div className="space-y-6" data-benchmark={b.id}>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <BadgeEstadoBenchmark estado={b.estado} />
        <span className="font-mono">{b.modelo}</span>
        <span className="text-slate-600">{resumoDoPerfil(b.perfil)}</span>
      </div>
      {b.erro ? <ErroNoLugar mensagem={b.erro} /> : null}
      <ErroNoLugar mensagem={semAcompanhamento} />
      <ProgressoBenchmark b={b} podeCancelar={!apagada} />
      <GraficosBenchmark celulas={b.celulas} />
      <TabelaCelulas celulas={b.celulas} />
      <FichaServidor s={b.servidor} />
    </div>
  );
}
