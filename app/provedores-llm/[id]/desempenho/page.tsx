import type { Metadata } from "next";
import Link from "next/link";
import { AbasProvedor } from "@/components/abas-provedor";
import { HistoricoBenchmarks } from "@/components/desempenho/historico-benchmarks";
import { PainelDesempenho } from "@/components/desempenho/painel-desempenho";
import { FilaAoVivo } from "@/components/fila-ao-vivo";
import { StatusAoVivo } from "@/components/status-ao-vivo";
import { listarBenchmarks, modelosParaBenchmark } from "@/lib/benchmarks";
import type { Benchmark } from "@/lib/schemas/benchmark";
import { provedorDaPagina } from "../provedor-da-pagina";

export const metadata: Metadata = { title: "Desempenho" };

/** A provider's benchmarks: start one, follow it live, and its history. */
export default async function PaginaDesempenho({ params }: { params: Promise<{ id: string }> }) {
  const p = await provedorDaPagina(params);
  const [modelos, execucoes] = await Promise.all([modelosParaBenchmark(p.id), listarBenchmarks(p.id)]);
  const emAndamento = execucoes.find((b: Benchmark) => b.estado === "executando") ?? null;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">Desempenho de {p.nome}</h1>
        <StatusAoVivo id={p.id} inicial={p.status} />
        <FilaAoVivo id={p.id} />
      </div>
      <AbasProvedor id={p.id} atual="desempenho" />
      <p className="text-sm text-slate-700">
        Mede a velocidade real deste servidor num modelo: tempo até o primeiro token, prefill e geração (tokens/s) em cada tamanho de prompt
        e concorrência. As requisições da medição não entram nas estatísticas de uso. Compare execuções de vários servidores em{" "}
        <Link href="/desempenho" className="font-medium text-sky-800 underline">
          Desempenho
        </Link>
        .
      </p>
      <PainelDesempenho provedorId={p.id} modelos={modelos} emAndamento={emAndamento} />
      <HistoricoBenchmarks provedorId={p.id} execucoes={execucoes} />
    </div>
  );
}
