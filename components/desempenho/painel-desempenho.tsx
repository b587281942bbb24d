"use client";

import Link from "next/link";
import { useState } from "react";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { FormularioBenchmark, type ModeloParaBenchmark } from "./formulario-benchmark";
import { VisaoBenchmark } from "./visao-benchmark";

/**
 * The provider's Desempenho tab above its history: the form, and the run just started (or the one already going
 * when the page opened) followed live, its charts and cells filling in as its cells end.
 */
export function PainelDesempenho({
  provedorId,
  modelos,
  emAndamento,
}: {
  provedorId: number;
  modelos: ModeloParaBenchmark[];
  emAndamento: Benchmark | null;
}) {
  const [atual, setAtual] = useState<Benchmark | null>(emAndamento);
  // The run shown here is the one going on, or the last one started from this page; a newer one found by the
  // server (the page refreshed after another tab started one) takes its place.
  const mostrado = emAndamento && (!atual || emAndamento.id > atual.id) ? emAndamento : atual;
  return (
    <div className="space-y-6">
      <FormularioBenchmark provedorId={provedorId} modelos={modelos} bloqueado={mostrado?.estado === "executando"} aoIniciar={setAtual} />
      {mostrado ? (
        <section aria-labelledby="execucao-atual" className="space-y-3">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="execucao-atual" className="text-lg font-semibold">
              Execução #{mostrado.id}
            </h2>
            <Link
              href={`/provedores-llm/${provedorId}/desempenho/${mostrado.id}`}
              className="text-sm font-medium text-sky-800 hover:underline"
            >
              Abrir a página da execução
            </Link>
          </div>
          <VisaoBenchmark key={mostrado.id} inicial={mostrado} aoTerminar={setAtual} />
        </section>
      ) : null}
    </div>
  );
}
